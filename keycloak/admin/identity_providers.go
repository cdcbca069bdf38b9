package admin

import (
	"context"
	"iter"
)

// IdentityProvidersService manages the identity providers of a realm
// (GitHub, another OIDC or SAML server, ...), addressed by alias.
type IdentityProvidersService struct{ base }

// IdentityProvider is an IdentityProviderRepresentation.
type IdentityProvider struct {
	Alias                     string            `json:"alias,omitempty"`
	DisplayName               *string           `json:"displayName,omitempty"`
	InternalID                string            `json:"internalId,omitempty"`
	ProviderID                string            `json:"providerId,omitempty"` // "oidc", "saml", "github", ...
	Enabled                   *bool             `json:"enabled,omitempty"`
	TrustEmail                *bool             `json:"trustEmail,omitempty"`
	StoreToken                *bool             `json:"storeToken,omitempty"`
	AddReadTokenRoleOnCreate  *bool             `json:"addReadTokenRoleOnCreate,omitempty"`
	AuthenticateByDefault     *bool             `json:"authenticateByDefault,omitempty"`
	LinkOnly                  *bool             `json:"linkOnly,omitempty"`
	HideOnLogin               *bool             `json:"hideOnLogin,omitempty"`
	FirstBrokerLoginFlowAlias *string           `json:"firstBrokerLoginFlowAlias,omitempty"`
	PostBrokerLoginFlowAlias  *string           `json:"postBrokerLoginFlowAlias,omitempty"`
	Config                    map[string]string `json:"config,omitempty"`

	Extra Extra `json:"-"`
}

type plainIdentityProvider IdentityProvider

// MarshalJSON encodes the identity provider with its Extra fields.
func (p IdentityProvider) MarshalJSON() ([]byte, error) {
	return marshalWithExtra((*plainIdentityProvider)(&p), p.Extra)
}

// UnmarshalJSON decodes the identity provider and keeps unknown fields in
// Extra.
func (p *IdentityProvider) UnmarshalJSON(b []byte) error {
	return decodeInto(b, (*plainIdentityProvider)(p), &p.Extra)
}

func (p *plainIdentityProvider) rep() *IdentityProvider { return (*IdentityProvider)(p) }
func (p *plainIdentityProvider) extra() *Extra          { return &p.Extra }

// IdentityProviderMapper is an IdentityProviderMapperRepresentation.
type IdentityProviderMapper struct {
	ID                     string            `json:"id,omitempty"`
	Name                   string            `json:"name,omitempty"`
	IdentityProviderAlias  string            `json:"identityProviderAlias,omitempty"`
	IdentityProviderMapper string            `json:"identityProviderMapper,omitempty"` // e.g. "hardcoded-role-idp-mapper"
	Config                 map[string]string `json:"config,omitempty"`
}

// IdentityProviderListOptions are the query parameters of
// IdentityProvidersService.List.
type IdentityProviderListOptions struct {
	Search              string // prefix of the alias; "*x*" infix
	BriefRepresentation *bool
	RealmOnly           *bool // leave out the providers of organizations
	First, Max          int
}

// List returns one page of the realm's identity providers.
//
// Keycloak: GET /admin/realms/{realm}/identity-provider/instances
func (s *IdentityProvidersService) List(ctx context.Context, opts *IdentityProviderListOptions) ([]IdentityProvider, error) {
	if err := need("realm", s.realm); err != nil {
		return nil, err
	}
	q := query{}
	if opts != nil {
		q.str("search", opts.Search)
		q.boolp("briefRepresentation", opts.BriefRepresentation)
		q.boolp("realmOnly", opts.RealmOnly)
		q.int("first", opts.First)
		q.int("max", opts.Max)
	}
	var out identityProviderList
	_, err := s.c.do(ctx, "GET", s.path("identity-provider", "instances"), q.values(), nil, &out)
	return out, err
}

// All iterates over the realm's identity providers, a page at a time.
//
// Keycloak: GET /admin/realms/{realm}/identity-provider/instances
func (s *IdentityProvidersService) All(ctx context.Context, opts *IdentityProviderListOptions) iter.Seq2[IdentityProvider, error] {
	var o IdentityProviderListOptions
	if opts != nil {
		o = *opts
	}
	return pages(ctx, o.First, o.Max, func(ctx context.Context, first, max int) ([]IdentityProvider, error) {
		o.First, o.Max = first, max
		return s.List(ctx, &o)
	})
}

// Get returns identity provider alias.
//
// Keycloak: GET /admin/realms/{realm}/identity-provider/instances/{alias}
func (s *IdentityProvidersService) Get(ctx context.Context, alias string) (*IdentityProvider, error) {
	if err := need("realm", s.realm, "alias", alias); err != nil {
		return nil, err
	}
	return fetch[IdentityProvider](ctx, s.c, "GET", s.path("identity-provider", "instances", alias), nil, nil)
}

// Create creates identity provider p (Alias and ProviderID required) and
// returns its alias.
//
// Keycloak: POST /admin/realms/{realm}/identity-provider/instances
func (s *IdentityProvidersService) Create(ctx context.Context, p *IdentityProvider) (string, error) {
	if err := need("realm", s.realm); err != nil {
		return "", err
	}
	if err := needBody("identity provider", p); err != nil {
		return "", err
	}
	if err := need("alias", p.Alias, "providerID", p.ProviderID); err != nil {
		return "", err
	}
	if _, err := s.c.do(ctx, "POST", s.path("identity-provider", "instances"), nil, p, nil); err != nil {
		return "", err
	}
	return p.Alias, nil
}

// Update changes identity provider alias.
//
// Keycloak: PUT /admin/realms/{realm}/identity-provider/instances/{alias}
func (s *IdentityProvidersService) Update(ctx context.Context, alias string, p *IdentityProvider) error {
	if err := need("realm", s.realm, "alias", alias); err != nil {
		return err
	}
	if err := needBody("identity provider", p); err != nil {
		return err
	}
	_, err := s.c.do(ctx, "PUT", s.path("identity-provider", "instances", alias), nil, p, nil)
	return err
}

// Delete deletes identity provider alias and the users' links to it.
//
// Keycloak: DELETE /admin/realms/{realm}/identity-provider/instances/{alias}
func (s *IdentityProvidersService) Delete(ctx context.Context, alias string) error {
	if err := need("realm", s.realm, "alias", alias); err != nil {
		return err
	}
	_, err := s.c.do(ctx, "DELETE", s.path("identity-provider", "instances", alias), nil, nil, nil)
	return err
}

// Mappers returns the service of identity provider alias's mappers.
func (s *IdentityProvidersService) Mappers(alias string) *IdentityProviderMappersService {
	return &IdentityProviderMappersService{base: s.base, alias: alias}
}

// IdentityProviderMappersService manages the mappers of one identity
// provider.
type IdentityProviderMappersService struct {
	base
	alias string
}

func (s *IdentityProviderMappersService) p(segs ...string) []string {
	return s.path(append([]string{"identity-provider", "instances", s.alias, "mappers"}, segs...)...)
}

// List returns the mappers.
//
// Keycloak: GET /admin/realms/{realm}/identity-provider/instances/{alias}/mappers
func (s *IdentityProviderMappersService) List(ctx context.Context) ([]IdentityProviderMapper, error) {
	if err := need("realm", s.realm, "alias", s.alias); err != nil {
		return nil, err
	}
	var out []IdentityProviderMapper
	_, err := s.c.do(ctx, "GET", s.p(), nil, nil, &out)
	return out, err
}

// Get returns mapper mapperID.
//
// Keycloak: GET /admin/realms/{realm}/identity-provider/instances/{alias}/mappers/{id}
func (s *IdentityProviderMappersService) Get(ctx context.Context, mapperID string) (*IdentityProviderMapper, error) {
	if err := need("realm", s.realm, "alias", s.alias, "mapperID", mapperID); err != nil {
		return nil, err
	}
	return fetch[IdentityProviderMapper](ctx, s.c, "GET", s.p(mapperID), nil, nil)
}

// Create creates mapper m (Name and IdentityProviderMapper required) and
// returns its ID.
//
// Keycloak: POST /admin/realms/{realm}/identity-provider/instances/{alias}/mappers
func (s *IdentityProviderMappersService) Create(ctx context.Context, m *IdentityProviderMapper) (string, error) {
	if err := need("realm", s.realm, "alias", s.alias); err != nil {
		return "", err
	}
	if err := needBody("mapper", m); err != nil {
		return "", err
	}
	if err := need("mapper name", m.Name, "identityProviderMapper", m.IdentityProviderMapper); err != nil {
		return "", err
	}
	body := *m
	if body.IdentityProviderAlias == "" {
		body.IdentityProviderAlias = s.alias
	}
	return s.c.create(ctx, s.p(), &body)
}

// Update replaces mapper mapperID.
//
// Keycloak: PUT /admin/realms/{realm}/identity-provider/instances/{alias}/mappers/{id}
func (s *IdentityProviderMappersService) Update(ctx context.Context, mapperID string, m *IdentityProviderMapper) error {
	if err := need("realm", s.realm, "alias", s.alias, "mapperID", mapperID); err != nil {
		return err
	}
	if err := needBody("mapper", m); err != nil {
		return err
	}
	_, err := s.c.do(ctx, "PUT", s.p(mapperID), nil, m, nil)
	return err
}

// Delete deletes mapper mapperID.
//
// Keycloak: DELETE /admin/realms/{realm}/identity-provider/instances/{alias}/mappers/{id}
func (s *IdentityProviderMappersService) Delete(ctx context.Context, mapperID string) error {
	if err := need("realm", s.realm, "alias", s.alias, "mapperID", mapperID); err != nil {
		return err
	}
	_, err := s.c.do(ctx, "DELETE", s.p(mapperID), nil, nil, nil)
	return err
}
