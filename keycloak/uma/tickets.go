package uma

import (
	"context"
	"errors"
	"net/url"
	"strconv"
	"strings"

	"github.com/kcgo/kc"
)

// WithTokenSource returns a client that authenticates with ts instead of the PAT: for
// the permission-ticket calls a resource owner makes with their own token
// (creating a ticket for their resource, approving a request). The new
// client shares c's connections and configuration.
func (c *Client) WithTokenSource(ts kc.TokenSource) *Client {
	cp := *c
	cp.pat = ts
	return &cp
}

// PermissionRequest asks for access to a resource: its id (or name) and
// the scopes wanted, with optional claims that the policies can read.
type PermissionRequest struct {
	ResourceID string              `json:"resource_id"`
	Scopes     []string            `json:"resource_scopes,omitempty"`
	Claims     map[string][]string `json:"claims,omitempty"`
}

// CreateTicket asks for a permission ticket for the requests, which a
// resource server hands to a client in a 401 UMA challenge; the client
// exchanges it for an RPT (see package authz). The ticket is a signed JWT.
//
// Keycloak: POST /realms/{realm}/authz/protection/permission
func (c *Client) CreateTicket(ctx context.Context, reqs ...PermissionRequest) (string, error) {
	if err := checkCtx(ctx); err != nil {
		return "", err
	}
	if len(reqs) == 0 {
		return "", errors.New("uma: no permission request")
	}
	for i, r := range reqs {
		if strings.TrimSpace(r.ResourceID) == "" {
			return "", errors.New("uma: permission request " + strconv.Itoa(i) + ": ResourceID is empty")
		}
	}
	pat, err := c.patSource()
	if err != nil {
		return "", err
	}
	var out struct {
		Ticket string `json:"ticket"`
	}
	if _, err := c.do(ctx, pat, "POST", "permission_endpoint", nil, nil, reqs, &out, false); err != nil {
		return "", err
	}
	if out.Ticket == "" {
		return "", errors.New("uma: permission endpoint returned no ticket")
	}
	return out.Ticket, nil
}

// PermissionTicket is a permission a requester asked for, or one a
// resource owner granted: on one resource, and on one scope of it or on
// the whole resource.
type PermissionTicket struct {
	ID            string `json:"id,omitempty"`
	Owner         string `json:"owner,omitempty"`
	OwnerName     string `json:"ownerName,omitempty"`
	Resource      string `json:"resource,omitempty"` // resource id
	ResourceName  string `json:"resourceName,omitempty"`
	Scope         string `json:"scope,omitempty"` // scope id
	ScopeName     string `json:"scopeName,omitempty"`
	Requester     string `json:"requester,omitempty"` // user id
	RequesterName string `json:"requesterName,omitempty"`
	Granted       bool   `json:"granted"`
}

// TicketQuery filters a listing of permission tickets.
type TicketQuery struct {
	ScopeID    string
	ResourceID string
	Owner      string // owner id
	Requester  string // requester id
	Granted    *bool
	// ReturnNames fills the ...Name fields of the tickets.
	ReturnNames bool
	First       int
	Max         int // page size; 0 is Keycloak's default (100)
}

func (q *TicketQuery) values(paged bool) (url.Values, error) {
	v := url.Values{}
	if q == nil {
		return v, nil
	}
	if q.First < 0 || q.Max < 0 {
		return nil, errors.New("uma: TicketQuery: First and Max must not be negative")
	}
	set := func(k, s string) {
		if s != "" {
			v.Set(k, s)
		}
	}
	set("scopeId", q.ScopeID)
	set("resourceId", q.ResourceID)
	set("owner", q.Owner)
	set("requester", q.Requester)
	if q.Granted != nil {
		v.Set("granted", strconv.FormatBool(*q.Granted))
	}
	if q.ReturnNames {
		v.Set("returnNames", "true")
	}
	if paged {
		if q.First > 0 {
			v.Set("first", strconv.Itoa(q.First))
		}
		if q.Max > 0 {
			v.Set("max", strconv.Itoa(q.Max))
		}
	}
	return v, nil
}

// CreatePermissionTicket grants (or records a request for) the permission
// t describes: Resource, Requester or RequesterName, Scope or ScopeName,
// Granted. Keycloak lets only the resource's owner do it: use
// c.WithTokenSource(ownerToken) for a resource a user owns.
//
// Keycloak: POST /realms/{realm}/authz/protection/permission/ticket
func (c *Client) CreatePermissionTicket(ctx context.Context, t PermissionTicket) (*PermissionTicket, error) {
	if err := checkCtx(ctx); err != nil {
		return nil, err
	}
	switch {
	case strings.TrimSpace(t.Resource) == "":
		return nil, errors.New("uma: permission ticket Resource is empty")
	case t.Requester == "" && t.RequesterName == "":
		return nil, errors.New("uma: permission ticket Requester and RequesterName are empty")
	case t.Scope == "" && t.ScopeName == "":
		return nil, errors.New("uma: permission ticket Scope and ScopeName are empty")
	case t.ID != "":
		return nil, errors.New("uma: permission ticket ID must be empty on create")
	}
	pat, err := c.patSource()
	if err != nil {
		return nil, err
	}
	var out PermissionTicket
	if _, err := c.do(ctx, pat, "POST", "permission_endpoint", []string{"ticket"}, nil, t, &out, false); err != nil {
		return nil, err
	}
	return &out, nil
}

// ListPermissionTickets returns the permission tickets q selects (one
// page).
//
// Keycloak: GET /realms/{realm}/authz/protection/permission/ticket
func (c *Client) ListPermissionTickets(ctx context.Context, q *TicketQuery) ([]PermissionTicket, error) {
	if err := checkCtx(ctx); err != nil {
		return nil, err
	}
	v, err := q.values(true)
	if err != nil {
		return nil, err
	}
	pat, err := c.patSource()
	if err != nil {
		return nil, err
	}
	out := []PermissionTicket{}
	if _, err := c.do(ctx, pat, "GET", "permission_endpoint", []string{"ticket"}, v, nil, &out, false); err != nil {
		return nil, err
	}
	return out, nil
}

// CountPermissionTickets returns how many permission tickets q selects
// (First and Max are ignored).
//
// Keycloak: GET /realms/{realm}/authz/protection/permission/ticket/count
func (c *Client) CountPermissionTickets(ctx context.Context, q *TicketQuery) (int, error) {
	if err := checkCtx(ctx); err != nil {
		return 0, err
	}
	v, err := q.values(false)
	if err != nil {
		return 0, err
	}
	pat, err := c.patSource()
	if err != nil {
		return 0, err
	}
	var n int
	if _, err := c.do(ctx, pat, "GET", "permission_endpoint", []string{"ticket", "count"}, v, nil, &n, false); err != nil {
		return 0, err
	}
	return n, nil
}

// UpdatePermissionTicket updates the ticket t.ID: Keycloak grants it when
// t.Granted is true and deletes it when t.Granted is false. The owner or
// the resource server may do it.
//
// Keycloak: PUT /realms/{realm}/authz/protection/permission/ticket
func (c *Client) UpdatePermissionTicket(ctx context.Context, t PermissionTicket) error {
	if err := checkCtx(ctx); err != nil {
		return err
	}
	if err := checkID("permission ticket ID", t.ID); err != nil {
		return err
	}
	pat, err := c.patSource()
	if err != nil {
		return err
	}
	_, err = c.do(ctx, pat, "PUT", "permission_endpoint", []string{"ticket"}, nil, t, nil, false)
	return err
}

// ApprovePermissionTicket grants the permission a requester asked for:
// UpdatePermissionTicket with Granted true.
//
// Keycloak: PUT /realms/{realm}/authz/protection/permission/ticket
func (c *Client) ApprovePermissionTicket(ctx context.Context, ticketID string) error {
	if err := checkID("ticketID", ticketID); err != nil {
		return err
	}
	return c.UpdatePermissionTicket(ctx, PermissionTicket{ID: ticketID, Granted: true})
}

// DeletePermissionTicket deletes the ticket ticketID: a request is
// dropped, a granted permission revoked. The owner, the requester or the
// resource server may do it.
//
// Keycloak: DELETE /realms/{realm}/authz/protection/permission/ticket/{id}
func (c *Client) DeletePermissionTicket(ctx context.Context, ticketID string) error {
	if err := checkCtx(ctx); err != nil {
		return err
	}
	if err := checkID("ticketID", ticketID); err != nil {
		return err
	}
	pat, err := c.patSource()
	if err != nil {
		return err
	}
	_, err = c.do(ctx, pat, "DELETE", "permission_endpoint", []string{"ticket", ticketID}, nil, nil, nil, false)
	return err
}
