package admin

import (
	"context"
	"encoding/json"
	"iter"
	"maps"
)

// OrganizationsService manages the organizations of a realm (Keycloak 26;
// the realm needs organizationsEnabled, or every call answers 404).
type OrganizationsService struct{ base }

// Organization is an OrganizationRepresentation.
type Organization struct {
	ID          string               `json:"id,omitempty"`
	Name        string               `json:"name,omitempty"`
	Alias       string               `json:"alias,omitempty"`
	Enabled     *bool                `json:"enabled,omitempty"`
	Description *string              `json:"description,omitempty"`
	RedirectURL *string              `json:"redirectUrl,omitempty"`
	Attributes  map[string][]string  `json:"attributes,omitempty"`
	Domains     []OrganizationDomain `json:"domains,omitempty"`

	Extra Extra `json:"-"`
}

type plainOrganization Organization

// MarshalJSON encodes the organization with its Extra fields.
func (o Organization) MarshalJSON() ([]byte, error) {
	return marshalWithExtra((*plainOrganization)(&o), o.Extra)
}

// UnmarshalJSON decodes the organization and keeps unknown fields in Extra.
func (o *Organization) UnmarshalJSON(b []byte) error {
	return decodeInto(b, (*plainOrganization)(o), &o.Extra)
}

func (p *plainOrganization) rep() *Organization { return (*Organization)(p) }
func (p *plainOrganization) extra() *Extra      { return &p.Extra }

// OrganizationDomain is an OrganizationDomainRepresentation.
type OrganizationDomain struct {
	Name     string `json:"name"`
	Verified bool   `json:"verified,omitempty"`
}

// Member is a MemberRepresentation: a user with its membership type
// ("MANAGED" or "UNMANAGED").
type Member struct {
	User
	MembershipType string `json:"membershipType,omitempty"`
}

// MarshalJSON encodes the member: the user and its membership type.
func (m Member) MarshalJSON() ([]byte, error) {
	u := m.User
	if m.MembershipType != "" {
		u.Extra = maps.Clone(u.Extra)
		if u.Extra == nil {
			u.Extra = Extra{}
		}
		b, err := json.Marshal(m.MembershipType)
		if err != nil {
			return nil, err
		}
		u.Extra["membershipType"] = b
	}
	return u.MarshalJSON()
}

// requestBody keeps the member whole: the embedded User's plain form
// would lose MembershipType.
func (m *Member) requestBody() any { return m }

// UnmarshalJSON decodes the member (the embedded User would take over
// decoding otherwise).
func (m *Member) UnmarshalJSON(b []byte) error {
	if err := m.User.UnmarshalJSON(b); err != nil {
		return err
	}
	if raw, ok := m.User.Extra["membershipType"]; ok {
		if err := m.User.Extra.decode("membershipType", raw, &m.MembershipType); err != nil {
			return err
		}
		if len(m.User.Extra) == 0 {
			m.User.Extra = nil
		}
	}
	return nil
}

// OrganizationListOptions are the query parameters of
// OrganizationsService.List and Count.
type OrganizationListOptions struct {
	Search              string            // name or domain
	Exact               *bool             // Search matches whole names
	Attributes          map[string]string // q=k1:v1 k2:v2
	BriefRepresentation *bool             // Keycloak's default: true (no attributes)
	First, Max          int               // Keycloak's default max: 10
}

// List returns one page of the organizations (Keycloak's default page: 10).
//
// Keycloak: GET /admin/realms/{realm}/organizations
func (s *OrganizationsService) List(ctx context.Context, opts *OrganizationListOptions) ([]Organization, error) {
	if err := need("realm", s.realm); err != nil {
		return nil, err
	}
	q := query{}
	if opts != nil {
		q.str("search", opts.Search)
		q.boolp("exact", opts.Exact)
		q.attrs("q", opts.Attributes)
		q.boolp("briefRepresentation", opts.BriefRepresentation)
		q.int("first", opts.First)
		q.int("max", opts.Max)
	}
	var out organizationList
	_, err := s.c.do(ctx, "GET", s.path("organizations"), q.values(), nil, &out)
	return out, err
}

// All iterates over the organizations, a page at a time.
//
// Keycloak: GET /admin/realms/{realm}/organizations
func (s *OrganizationsService) All(ctx context.Context, opts *OrganizationListOptions) iter.Seq2[Organization, error] {
	var o OrganizationListOptions
	if opts != nil {
		o = *opts
	}
	return pages(ctx, o.First, o.Max, func(ctx context.Context, first, max int) ([]Organization, error) {
		o.First, o.Max = first, max
		return s.List(ctx, &o)
	})
}

// Count returns the number of organizations matching opts (First, Max and
// BriefRepresentation are ignored).
//
// Keycloak: GET /admin/realms/{realm}/organizations/count
func (s *OrganizationsService) Count(ctx context.Context, opts *OrganizationListOptions) (int, error) {
	if err := need("realm", s.realm); err != nil {
		return 0, err
	}
	q := query{}
	if opts != nil {
		q.str("search", opts.Search)
		q.boolp("exact", opts.Exact)
		q.attrs("q", opts.Attributes)
	}
	var n int
	_, err := s.c.do(ctx, "GET", s.path("organizations", "count"), q.values(), nil, &n)
	return n, err
}

// Get returns organization orgID.
//
// Keycloak: GET /admin/realms/{realm}/organizations/{org-id}
func (s *OrganizationsService) Get(ctx context.Context, orgID string) (*Organization, error) {
	if err := need("realm", s.realm, "orgID", orgID); err != nil {
		return nil, err
	}
	return fetch[Organization](ctx, s.c, "GET", s.path("organizations", orgID), nil, nil)
}

// Create creates organization o (Name required) and returns its ID.
//
// Keycloak: POST /admin/realms/{realm}/organizations
func (s *OrganizationsService) Create(ctx context.Context, o *Organization) (string, error) {
	if err := need("realm", s.realm); err != nil {
		return "", err
	}
	if err := needBody("organization", o); err != nil {
		return "", err
	}
	if err := need("organization name", o.Name); err != nil {
		return "", err
	}
	return s.c.create(ctx, s.path("organizations"), o)
}

// Update replaces organization orgID.
//
// Keycloak: PUT /admin/realms/{realm}/organizations/{org-id}
func (s *OrganizationsService) Update(ctx context.Context, orgID string, o *Organization) error {
	if err := need("realm", s.realm, "orgID", orgID); err != nil {
		return err
	}
	if err := needBody("organization", o); err != nil {
		return err
	}
	_, err := s.c.do(ctx, "PUT", s.path("organizations", orgID), nil, o, nil)
	return err
}

// Delete deletes organization orgID; its managed members are deleted too.
//
// Keycloak: DELETE /admin/realms/{realm}/organizations/{org-id}
func (s *OrganizationsService) Delete(ctx context.Context, orgID string) error {
	if err := need("realm", s.realm, "orgID", orgID); err != nil {
		return err
	}
	_, err := s.c.do(ctx, "DELETE", s.path("organizations", orgID), nil, nil, nil)
	return err
}

// MemberListOptions are the query parameters of OrganizationsService.Members.
type MemberListOptions struct {
	Search         string
	Exact          *bool
	MembershipType string // "MANAGED" or "UNMANAGED"
	First, Max     int    // Keycloak's default max: 10
}

// Members returns one page of organization orgID's members.
//
// Keycloak: GET /admin/realms/{realm}/organizations/{org-id}/members
func (s *OrganizationsService) Members(ctx context.Context, orgID string, opts *MemberListOptions) ([]Member, error) {
	if err := need("realm", s.realm, "orgID", orgID); err != nil {
		return nil, err
	}
	q := query{}
	if opts != nil {
		q.str("search", opts.Search)
		q.boolp("exact", opts.Exact)
		q.str("membershipType", opts.MembershipType)
		q.int("first", opts.First)
		q.int("max", opts.Max)
	}
	var out []Member
	_, err := s.c.do(ctx, "GET", s.path("organizations", orgID, "members"), q.values(), nil, &out)
	return out, err
}

// AllMembers iterates over organization orgID's members.
//
// Keycloak: GET /admin/realms/{realm}/organizations/{org-id}/members
func (s *OrganizationsService) AllMembers(ctx context.Context, orgID string, opts *MemberListOptions) iter.Seq2[Member, error] {
	var o MemberListOptions
	if opts != nil {
		o = *opts
	}
	return pages(ctx, o.First, o.Max, func(ctx context.Context, first, max int) ([]Member, error) {
		o.First, o.Max = first, max
		return s.Members(ctx, orgID, &o)
	})
}

// MemberCount returns the number of members of organization orgID.
//
// Keycloak: GET /admin/realms/{realm}/organizations/{org-id}/members/count
func (s *OrganizationsService) MemberCount(ctx context.Context, orgID string) (int, error) {
	if err := need("realm", s.realm, "orgID", orgID); err != nil {
		return 0, err
	}
	var n int
	_, err := s.c.do(ctx, "GET", s.path("organizations", orgID, "members", "count"), nil, nil, &n)
	return n, err
}

// Member returns member userID of organization orgID.
//
// Keycloak: GET /admin/realms/{realm}/organizations/{org-id}/members/{member-id}
func (s *OrganizationsService) Member(ctx context.Context, orgID, userID string) (*Member, error) {
	if err := need("realm", s.realm, "orgID", orgID, "userID", userID); err != nil {
		return nil, err
	}
	return fetch[Member](ctx, s.c, "GET", s.path("organizations", orgID, "members", userID), nil, nil)
}

// AddMember makes existing user userID an (unmanaged) member of
// organization orgID.
//
// Keycloak: POST /admin/realms/{realm}/organizations/{org-id}/members
func (s *OrganizationsService) AddMember(ctx context.Context, orgID, userID string) error {
	if err := need("realm", s.realm, "orgID", orgID, "userID", userID); err != nil {
		return err
	}
	_, err := s.c.do(ctx, "POST", s.path("organizations", orgID, "members"), nil, userID, nil)
	return err
}

// RemoveMember removes user userID from organization orgID (a managed
// member is deleted).
//
// Keycloak: DELETE /admin/realms/{realm}/organizations/{org-id}/members/{member-id}
func (s *OrganizationsService) RemoveMember(ctx context.Context, orgID, userID string) error {
	if err := need("realm", s.realm, "orgID", orgID, "userID", userID); err != nil {
		return err
	}
	_, err := s.c.do(ctx, "DELETE", s.path("organizations", orgID, "members", userID), nil, nil, nil)
	return err
}

// OfMember returns the organizations user userID is a member of.
//
// Keycloak: GET /admin/realms/{realm}/organizations/members/{member-id}/organizations
func (s *OrganizationsService) OfMember(ctx context.Context, userID string) ([]Organization, error) {
	if err := need("realm", s.realm, "userID", userID); err != nil {
		return nil, err
	}
	var out organizationList
	_, err := s.c.do(ctx, "GET", s.path("organizations", "members", userID, "organizations"), nil, nil, &out)
	return out, err
}

// IdentityProviders returns the identity providers linked to organization
// orgID.
//
// Keycloak: GET /admin/realms/{realm}/organizations/{org-id}/identity-providers
func (s *OrganizationsService) IdentityProviders(ctx context.Context, orgID string) ([]IdentityProvider, error) {
	if err := need("realm", s.realm, "orgID", orgID); err != nil {
		return nil, err
	}
	var out identityProviderList
	_, err := s.c.do(ctx, "GET", s.path("organizations", orgID, "identity-providers"), nil, nil, &out)
	return out, err
}

// AddIdentityProvider links identity provider alias to organization orgID.
// Keycloak takes the provider's alias or its internal ID. A provider linked
// to this organization already answers 409 (kc.ErrConflict); one linked to
// another organization answers 400.
//
// Keycloak: POST /admin/realms/{realm}/organizations/{org-id}/identity-providers
func (s *OrganizationsService) AddIdentityProvider(ctx context.Context, orgID, alias string) error {
	if err := need("realm", s.realm, "orgID", orgID, "alias", alias); err != nil {
		return err
	}
	_, err := s.c.do(ctx, "POST", s.path("organizations", orgID, "identity-providers"), nil, alias, nil)
	return err
}

// RemoveIdentityProvider unlinks identity provider alias from organization
// orgID.
//
// Keycloak: DELETE /admin/realms/{realm}/organizations/{org-id}/identity-providers/{alias}
func (s *OrganizationsService) RemoveIdentityProvider(ctx context.Context, orgID, alias string) error {
	if err := need("realm", s.realm, "orgID", orgID, "alias", alias); err != nil {
		return err
	}
	_, err := s.c.do(ctx, "DELETE", s.path("organizations", orgID, "identity-providers", alias), nil, nil, nil)
	return err
}
