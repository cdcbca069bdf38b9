package uma

import (
	"context"
	"errors"
	"net/url"
	"strconv"
	"strings"

	"github.com/kcgo/kc"
)

// Policy is a user-managed permission: a resource owner's rule granting
// scopes of their resource to roles, groups, clients or users, or under a
// JavaScript condition.
type Policy struct {
	ID               string   `json:"id,omitempty"`
	Name             string   `json:"name"`
	Description      string   `json:"description,omitempty"`
	Scopes           []string `json:"scopes,omitempty"`
	Roles            []string `json:"roles,omitempty"`
	Groups           []string `json:"groups,omitempty"`
	Clients          []string `json:"clients,omitempty"`
	Users            []string `json:"users,omitempty"`
	Condition        string   `json:"condition,omitempty"`
	DecisionStrategy string   `json:"decisionStrategy,omitempty"` // UNANIMOUS, AFFIRMATIVE, CONSENSUS
	Logic            string   `json:"logic,omitempty"`            // POSITIVE, NEGATIVE
	Type             string   `json:"type,omitempty"`             // "uma", set by Keycloak
	Owner            string   `json:"owner,omitempty"`            // set by Keycloak
}

// PolicyQuery filters a listing of user-managed policies.
type PolicyQuery struct {
	Name     string
	Resource string // resource id
	Scope    string // scope name
	First    int
	Max      int
}

func checkOwner(ts kc.TokenSource) error {
	if ts == nil {
		return errors.New("uma: ownerToken is nil")
	}
	return nil
}

// CreatePolicy adds a policy to the resource resourceID, which must have
// owner-managed access. ownerToken is the resource owner's access token,
// issued to the resource server's client (not the PAT).
//
// Keycloak: POST /realms/{realm}/authz/protection/uma-policy/{resource_id}
func (c *Client) CreatePolicy(ctx context.Context, ownerToken kc.TokenSource, resourceID string, p Policy) (*Policy, error) {
	if err := checkCtx(ctx); err != nil {
		return nil, err
	}
	if err := checkOwner(ownerToken); err != nil {
		return nil, err
	}
	if err := checkID("resourceID", resourceID); err != nil {
		return nil, err
	}
	if strings.TrimSpace(p.Name) == "" {
		return nil, errors.New("uma: policy name is empty")
	}
	var out Policy
	if _, err := c.do(ctx, ownerToken, "POST", "policy_endpoint", []string{resourceID}, nil, p, &out, false); err != nil {
		return nil, err
	}
	return &out, nil
}

// ListPolicies returns the owner's policies that q selects (one page).
//
// Keycloak: GET /realms/{realm}/authz/protection/uma-policy
func (c *Client) ListPolicies(ctx context.Context, ownerToken kc.TokenSource, q *PolicyQuery) ([]Policy, error) {
	if err := checkCtx(ctx); err != nil {
		return nil, err
	}
	if err := checkOwner(ownerToken); err != nil {
		return nil, err
	}
	v := url.Values{}
	if q != nil {
		if q.First < 0 || q.Max < 0 {
			return nil, errors.New("uma: PolicyQuery: First and Max must not be negative")
		}
		for k, s := range map[string]string{"name": q.Name, "resource": q.Resource, "scope": q.Scope} {
			if s != "" {
				v.Set(k, s)
			}
		}
		if q.First > 0 {
			v.Set("first", strconv.Itoa(q.First))
		}
		if q.Max > 0 {
			v.Set("max", strconv.Itoa(q.Max))
		}
	}
	out := []Policy{}
	if _, err := c.do(ctx, ownerToken, "GET", "policy_endpoint", nil, v, nil, &out, false); err != nil {
		return nil, err
	}
	return out, nil
}

// GetPolicy returns the owner's policy policyID.
//
// Keycloak: GET /realms/{realm}/authz/protection/uma-policy/{policy_id}
func (c *Client) GetPolicy(ctx context.Context, ownerToken kc.TokenSource, policyID string) (*Policy, error) {
	if err := checkCtx(ctx); err != nil {
		return nil, err
	}
	if err := checkOwner(ownerToken); err != nil {
		return nil, err
	}
	if err := checkID("policyID", policyID); err != nil {
		return nil, err
	}
	var out Policy
	if _, err := c.do(ctx, ownerToken, "GET", "policy_endpoint", []string{policyID}, nil, nil, &out, false); err != nil {
		return nil, err
	}
	return &out, nil
}

// UpdatePolicy replaces the owner's policy policyID with p.
//
// Keycloak: PUT /realms/{realm}/authz/protection/uma-policy/{policy_id}
func (c *Client) UpdatePolicy(ctx context.Context, ownerToken kc.TokenSource, policyID string, p Policy) error {
	if err := checkCtx(ctx); err != nil {
		return err
	}
	if err := checkOwner(ownerToken); err != nil {
		return err
	}
	if err := checkID("policyID", policyID); err != nil {
		return err
	}
	if strings.TrimSpace(p.Name) == "" {
		return errors.New("uma: policy name is empty")
	}
	p.ID = policyID
	_, err := c.do(ctx, ownerToken, "PUT", "policy_endpoint", []string{policyID}, nil, p, nil, false)
	return err
}

// DeletePolicy deletes the owner's policy policyID.
//
// Keycloak: DELETE /realms/{realm}/authz/protection/uma-policy/{policy_id}
func (c *Client) DeletePolicy(ctx context.Context, ownerToken kc.TokenSource, policyID string) error {
	if err := checkCtx(ctx); err != nil {
		return err
	}
	if err := checkOwner(ownerToken); err != nil {
		return err
	}
	if err := checkID("policyID", policyID); err != nil {
		return err
	}
	_, err := c.do(ctx, ownerToken, "DELETE", "policy_endpoint", []string{policyID}, nil, nil, nil, false)
	return err
}
