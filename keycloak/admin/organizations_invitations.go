package admin

import (
	"context"
	"net/url"

	"github.com/kcgo/kc/internal/rest"
)

// OrganizationInvitation is an OrganizationInvitationRepresentation
// (Keycloak 26.6): an invitation to join an organization, kept until it
// is deleted, resent or accepted.
type OrganizationInvitation struct {
	ID             string `json:"id,omitempty"`
	OrganizationID string `json:"organizationId,omitempty"`
	Email          string `json:"email,omitempty"`
	FirstName      string `json:"firstName,omitempty"`
	LastName       string `json:"lastName,omitempty"`
	SentDate       int64  `json:"sentDate,omitempty"`  // Unix seconds
	ExpiresAt      int64  `json:"expiresAt,omitempty"` // Unix seconds
	Status         string `json:"status,omitempty"`    // "PENDING" or "EXPIRED"
	InviteLink     string `json:"inviteLink,omitempty"`
}

// InvitationListOptions are the query parameters of
// OrganizationsService.Invitations.
type InvitationListOptions struct {
	Status    string // "PENDING" or "EXPIRED"
	Email     string
	Search    string // part of the email or a name
	FirstName string
	LastName  string
	First     int
	Max       int // Keycloak's default: all
}

// Invitations returns the invitations of organization orgID.
//
// Keycloak: GET /admin/realms/{realm}/organizations/{org-id}/invitations
func (s *OrganizationsService) Invitations(ctx context.Context, orgID string, opts *InvitationListOptions) ([]OrganizationInvitation, error) {
	if err := need("realm", s.realm, "orgID", orgID); err != nil {
		return nil, err
	}
	q := query{}
	if opts != nil {
		q.str("status", opts.Status)
		q.str("email", opts.Email)
		q.str("search", opts.Search)
		q.str("firstName", opts.FirstName)
		q.str("lastName", opts.LastName)
		q.int("first", opts.First)
		q.int("max", opts.Max)
	}
	var out []OrganizationInvitation
	_, err := s.c.do(ctx, "GET", s.path("organizations", orgID, "invitations"), q.values(), nil, &out)
	return out, err
}

// Invitation returns invitation id of organization orgID.
//
// Keycloak: GET /admin/realms/{realm}/organizations/{org-id}/invitations/{id}
func (s *OrganizationsService) Invitation(ctx context.Context, orgID, id string) (*OrganizationInvitation, error) {
	if err := need("realm", s.realm, "orgID", orgID, "invitationID", id); err != nil {
		return nil, err
	}
	return fetch[OrganizationInvitation](ctx, s.c, "GET", s.path("organizations", orgID, "invitations", id), nil, nil)
}

// DeleteInvitation deletes invitation id of organization orgID; its link
// stops working.
//
// Keycloak: DELETE /admin/realms/{realm}/organizations/{org-id}/invitations/{id}
func (s *OrganizationsService) DeleteInvitation(ctx context.Context, orgID, id string) error {
	if err := need("realm", s.realm, "orgID", orgID, "invitationID", id); err != nil {
		return err
	}
	_, err := s.c.do(ctx, "DELETE", s.path("organizations", orgID, "invitations", id), nil, nil, nil)
	return err
}

// ResendInvitation replaces invitation id of organization orgID with a
// new one (a new ID and link) and sends it again.
//
// Keycloak: POST /admin/realms/{realm}/organizations/{org-id}/invitations/{id}/resend
func (s *OrganizationsService) ResendInvitation(ctx context.Context, orgID, id string) error {
	if err := need("realm", s.realm, "orgID", orgID, "invitationID", id); err != nil {
		return err
	}
	_, err := s.c.do(ctx, "POST", s.path("organizations", orgID, "invitations", id, "resend"), nil, nil, nil)
	return err
}

// InviteUser invites email to organization orgID: a user with that
// address gets an invitation link, an unknown address a registration link
// (firstName and lastName, both or neither, name the new user). A pending
// invitation or a member with that address answers 409 (kc.ErrConflict);
// a realm without SMTP settings answers 500.
//
// Keycloak: POST /admin/realms/{realm}/organizations/{org-id}/members/invite-user
func (s *OrganizationsService) InviteUser(ctx context.Context, orgID, email, firstName, lastName string) error {
	if err := need("realm", s.realm, "orgID", orgID, "email", email); err != nil {
		return err
	}
	form := url.Values{"email": {email}}
	if firstName != "" {
		form.Set("firstName", firstName)
	}
	if lastName != "" {
		form.Set("lastName", lastName)
	}
	_, err := s.c.send(ctx, &rest.Request{Method: "POST", Path: s.path("organizations", orgID, "members", "invite-user"), Form: form}, nil)
	return err
}

// InviteExistingUser invites user userID to organization orgID.
//
// Keycloak: POST /admin/realms/{realm}/organizations/{org-id}/members/invite-existing-user
func (s *OrganizationsService) InviteExistingUser(ctx context.Context, orgID, userID string) error {
	if err := need("realm", s.realm, "orgID", orgID, "userID", userID); err != nil {
		return err
	}
	form := url.Values{"id": {userID}}
	_, err := s.c.send(ctx, &rest.Request{Method: "POST", Path: s.path("organizations", orgID, "members", "invite-existing-user"), Form: form}, nil)
	return err
}
