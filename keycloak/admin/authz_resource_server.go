package admin

import (
	"context"
	"fmt"
	"iter"
	"net/http"
	"strings"
)

// ResourceServerService manages the Authorization Services of one client
// (its resource server): settings, resources, scopes, policies and
// permissions. Authorization services must be enabled on the client
// (ClientApp.AuthorizationServicesEnabled); Keycloak answers
// 404 otherwise.
type ResourceServerService struct {
	authzBase

	Resources   *AuthzResourcesService // protected resources
	Scopes      *AuthzScopesService    // authorization scopes
	Policies    *PoliciesService       // policies (and, with Permission, permissions)
	Permissions *PermissionsService    // resource and scope permissions
}

// authzBase addresses .../clients/{client-uuid}/authz/resource-server.
type authzBase struct {
	base
	client string
}

// path returns the segments of the resource server's path followed by segs.
func (b authzBase) path(segs ...string) []string {
	return b.base.path(append([]string{"clients", b.client, "authz", "resource-server"}, segs...)...)
}

// need checks the realm, the client and the name/value pairs.
func (b authzBase) need(pairs ...string) error {
	return need(append([]string{"realm", b.realm, "clientUUID", b.client}, pairs...)...)
}

// ResourceServer returns the service of client clientUUID's Authorization
// Services. An empty clientUUID is reported by each call, before anything
// is sent.
func (s *ClientsService) ResourceServer(clientUUID string) *ResourceServerService {
	b := authzBase{base: s.base, client: clientUUID}
	return &ResourceServerService{
		authzBase:   b,
		Resources:   &AuthzResourcesService{b},
		Scopes:      &AuthzScopesService{b},
		Policies:    &PoliciesService{b},
		Permissions: &PermissionsService{b},
	}
}

// Get returns the resource server's settings (without its resources,
// scopes and policies).
//
// Keycloak: GET /admin/realms/{realm}/clients/{client-uuid}/authz/resource-server
func (s *ResourceServerService) Get(ctx context.Context) (*ResourceServer, error) {
	if err := s.need(); err != nil {
		return nil, err
	}
	return fetch[ResourceServer](ctx, s.c, "GET", s.path(), nil, nil)
}

// Update changes the resource server's policy enforcement mode, decision
// strategy and remote resource management.
//
// Keycloak: PUT /admin/realms/{realm}/clients/{client-uuid}/authz/resource-server
func (s *ResourceServerService) Update(ctx context.Context, rs *ResourceServer) error {
	if err := s.need(); err != nil {
		return err
	}
	if err := needBody("resource server", rs); err != nil {
		return err
	}
	_, err := s.c.do(ctx, "PUT", s.path(), nil, rs, nil)
	return err
}

// Settings exports the resource server with its resources, scopes and
// policies (policies refer to others by name), as Import reads it.
//
// Keycloak: GET /admin/realms/{realm}/clients/{client-uuid}/authz/resource-server/settings
func (s *ResourceServerService) Settings(ctx context.Context) (*ResourceServer, error) {
	if err := s.need(); err != nil {
		return nil, err
	}
	return fetch[ResourceServer](ctx, s.c, "GET", s.path("settings"), nil, nil)
}

// Import merges rs into the resource server: its settings, its scopes,
// and its resources and policies by name (existing ones are updated).
//
// Keycloak: POST /admin/realms/{realm}/clients/{client-uuid}/authz/resource-server/import
func (s *ResourceServerService) Import(ctx context.Context, rs *ResourceServer) error {
	if err := s.need(); err != nil {
		return err
	}
	if err := needBody("resource server", rs); err != nil {
		return err
	}
	_, err := s.c.do(ctx, "POST", s.path("import"), nil, rs, nil)
	return err
}

// AuthzResourcesService manages the protected resources of a resource
// server.
type AuthzResourcesService struct{ authzBase }

// AuthzResourceListOptions are the query parameters of
// AuthzResourcesService.List.
type AuthzResourceListOptions struct {
	ID string // _id: this resource only
	// Name matches names containing it, case-insensitively, or exactly
	// with ExactName.
	Name      string
	ExactName bool
	URI       string // a resource with this URI
	// MatchingURI, with URI, falls back to the resource whose URI
	// pattern (such as /api/*) matches URI best.
	MatchingURI bool
	Owner       string // owner ID or username
	Type        string
	Scope       string // a scope name
	Deep        bool   // with owners and scopes in full
	// First and Max page the list; Keycloak returns every resource when
	// Max is not given.
	First, Max int
}

func (o *AuthzResourceListOptions) query() query {
	q := query{}
	if o == nil {
		return q
	}
	q.str("_id", o.ID)
	q.str("name", o.Name)
	if o.ExactName {
		q.str("exactName", "true")
	}
	q.str("uri", o.URI)
	if o.MatchingURI {
		q.str("matchingUri", "true")
	}
	q.str("owner", o.Owner)
	q.str("type", o.Type)
	q.str("scope", o.Scope)
	if o.Deep {
		q.str("deep", "true")
	}
	q.int("first", o.First)
	q.int("max", o.Max)
	return q
}

// List returns the resources matching opts.
//
// Keycloak: GET /admin/realms/{realm}/clients/{client-uuid}/authz/resource-server/resource
func (s *AuthzResourcesService) List(ctx context.Context, opts *AuthzResourceListOptions) ([]AuthzResource, error) {
	if err := s.need(); err != nil {
		return nil, err
	}
	var out []AuthzResource
	_, err := s.c.do(ctx, "GET", s.path("resource"), opts.query().values(), nil, &out)
	return out, err
}

// All iterates over every resource matching opts, a page at a time.
//
// Keycloak: GET /admin/realms/{realm}/clients/{client-uuid}/authz/resource-server/resource
func (s *AuthzResourcesService) All(ctx context.Context, opts *AuthzResourceListOptions) iter.Seq2[AuthzResource, error] {
	var o AuthzResourceListOptions
	if opts != nil {
		o = *opts
	}
	return pages(ctx, o.First, o.Max, func(ctx context.Context, first, max int) ([]AuthzResource, error) {
		o.First, o.Max = first, max
		return s.List(ctx, &o)
	})
}

// Get returns resource resourceID.
//
// Keycloak: GET /admin/realms/{realm}/clients/{client-uuid}/authz/resource-server/resource/{resource-id}
func (s *AuthzResourcesService) Get(ctx context.Context, resourceID string) (*AuthzResource, error) {
	if err := s.need("resourceID", resourceID); err != nil {
		return nil, err
	}
	return fetch[AuthzResource](ctx, s.c, "GET", s.path("resource", resourceID), nil, nil)
}

// Search returns the resource named name (exactly); the error matches
// kc.ErrNotFound when there is none.
//
// Keycloak: GET /admin/realms/{realm}/clients/{client-uuid}/authz/resource-server/resource/search
func (s *AuthzResourcesService) Search(ctx context.Context, name string) (*AuthzResource, error) {
	if err := s.need("name", name); err != nil {
		return nil, err
	}
	var out AuthzResource
	if err := s.search(ctx, s.path("resource", "search"), name, "resource", &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// search GETs path?name=name into out; 204 (nothing found) is a
// notFoundError.
func (b authzBase) search(ctx context.Context, path []string, name, what string, out any) error {
	q := query{}
	q.str("name", name)
	resp, err := b.c.do(ctx, "GET", path, q.values(), nil, out)
	if err != nil {
		return err
	}
	if resp.StatusCode == http.StatusNoContent {
		return &notFoundError{what: what + " " + name}
	}
	return nil
}

// Create creates resource r (r.Name is required) and returns its ID.
//
// Keycloak: POST /admin/realms/{realm}/clients/{client-uuid}/authz/resource-server/resource
func (s *AuthzResourcesService) Create(ctx context.Context, r *AuthzResource) (string, error) {
	if err := s.need(); err != nil {
		return "", err
	}
	if err := needBody("resource", r); err != nil {
		return "", err
	}
	if err := need("resource name", r.Name); err != nil {
		return "", err
	}
	var out AuthzResource
	if err := s.createBody(ctx, s.path("resource"), r, &out); err != nil {
		return "", err
	}
	return out.ID, nil
}

// createBody POSTs body and decodes the created representation, which
// must carry an ID.
func (b authzBase) createBody(ctx context.Context, path []string, body any, out interface{ id() string }) error {
	resp, err := b.c.do(ctx, "POST", path, nil, body, out)
	if err != nil {
		return err
	}
	if out.id() == "" {
		return fmt.Errorf("admin: POST %s: answer %d has no id", strings.Join(path, "/"), resp.StatusCode)
	}
	return nil
}

func (r *AuthzResource) id() string { return r.ID }
func (s *AuthzScope) id() string    { return s.ID }
func (p *Policy) id() string        { return p.ID }

// Update changes resource resourceID (its name, URIs, scopes, ...).
//
// Keycloak: PUT /admin/realms/{realm}/clients/{client-uuid}/authz/resource-server/resource/{resource-id}
func (s *AuthzResourcesService) Update(ctx context.Context, resourceID string, r *AuthzResource) error {
	if err := s.need("resourceID", resourceID); err != nil {
		return err
	}
	if err := needBody("resource", r); err != nil {
		return err
	}
	_, err := s.c.do(ctx, "PUT", s.path("resource", resourceID), nil, r, nil)
	return err
}

// Delete deletes resource resourceID.
//
// Keycloak: DELETE /admin/realms/{realm}/clients/{client-uuid}/authz/resource-server/resource/{resource-id}
func (s *AuthzResourcesService) Delete(ctx context.Context, resourceID string) error {
	if err := s.need("resourceID", resourceID); err != nil {
		return err
	}
	_, err := s.c.do(ctx, "DELETE", s.path("resource", resourceID), nil, nil, nil)
	return err
}

// Scopes returns the scopes of resource resourceID.
//
// Keycloak: GET /admin/realms/{realm}/clients/{client-uuid}/authz/resource-server/resource/{resource-id}/scopes
func (s *AuthzResourcesService) Scopes(ctx context.Context, resourceID string) ([]AuthzScope, error) {
	var out []AuthzScope
	return out, s.getList(ctx, &out, "resourceID", resourceID, "resource", resourceID, "scopes")
}

// Permissions returns the permissions that apply to resource resourceID,
// directly or by its type.
//
// Keycloak: GET /admin/realms/{realm}/clients/{client-uuid}/authz/resource-server/resource/{resource-id}/permissions
func (s *AuthzResourcesService) Permissions(ctx context.Context, resourceID string) ([]Policy, error) {
	var out []Policy
	return out, s.getList(ctx, &out, "resourceID", resourceID, "resource", resourceID, "permissions")
}

// Attributes returns the attributes of resource resourceID.
//
// Keycloak: GET /admin/realms/{realm}/clients/{client-uuid}/authz/resource-server/resource/{resource-id}/attributes
func (s *AuthzResourcesService) Attributes(ctx context.Context, resourceID string) (map[string][]string, error) {
	var out map[string][]string
	return out, s.getList(ctx, &out, "resourceID", resourceID, "resource", resourceID, "attributes")
}

// getList checks the named ID and GETs the resource server's path segs
// into out.
func (b authzBase) getList(ctx context.Context, out any, idName, id string, segs ...string) error {
	if err := b.need(idName, id); err != nil {
		return err
	}
	_, err := b.c.do(ctx, "GET", b.path(segs...), nil, nil, out)
	return err
}

// AuthzScopesService manages the authorization scopes of a resource
// server.
type AuthzScopesService struct{ authzBase }

// AuthzScopeListOptions are the query parameters of AuthzScopesService.List.
type AuthzScopeListOptions struct {
	ID   string // scopeId: this scope only
	Name string // names containing it, case-insensitively
	// First and Max page the list; Keycloak returns every scope when Max
	// is not given.
	First, Max int
}

// List returns the scopes matching opts.
//
// Keycloak: GET /admin/realms/{realm}/clients/{client-uuid}/authz/resource-server/scope
func (s *AuthzScopesService) List(ctx context.Context, opts *AuthzScopeListOptions) ([]AuthzScope, error) {
	if err := s.need(); err != nil {
		return nil, err
	}
	q := query{}
	if opts != nil {
		q.str("scopeId", opts.ID)
		q.str("name", opts.Name)
		q.int("first", opts.First)
		q.int("max", opts.Max)
	}
	var out []AuthzScope
	_, err := s.c.do(ctx, "GET", s.path("scope"), q.values(), nil, &out)
	return out, err
}

// All iterates over every scope matching opts, a page at a time.
//
// Keycloak: GET /admin/realms/{realm}/clients/{client-uuid}/authz/resource-server/scope
func (s *AuthzScopesService) All(ctx context.Context, opts *AuthzScopeListOptions) iter.Seq2[AuthzScope, error] {
	var o AuthzScopeListOptions
	if opts != nil {
		o = *opts
	}
	return pages(ctx, o.First, o.Max, func(ctx context.Context, first, max int) ([]AuthzScope, error) {
		o.First, o.Max = first, max
		return s.List(ctx, &o)
	})
}

// Get returns scope scopeID.
//
// Keycloak: GET /admin/realms/{realm}/clients/{client-uuid}/authz/resource-server/scope/{scope-id}
func (s *AuthzScopesService) Get(ctx context.Context, scopeID string) (*AuthzScope, error) {
	var out AuthzScope
	if err := s.getList(ctx, &out, "scopeID", scopeID, "scope", scopeID); err != nil {
		return nil, err
	}
	return &out, nil
}

// Search returns the scope named name (exactly); the error matches
// kc.ErrNotFound when there is none.
//
// Keycloak: GET /admin/realms/{realm}/clients/{client-uuid}/authz/resource-server/scope/search
func (s *AuthzScopesService) Search(ctx context.Context, name string) (*AuthzScope, error) {
	if err := s.need("name", name); err != nil {
		return nil, err
	}
	var out AuthzScope
	if err := s.search(ctx, s.path("scope", "search"), name, "scope", &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// Create creates scope sc (sc.Name is required) and returns its ID. A
// scope of the same name is a conflict (kc.ErrConflict).
//
// Keycloak: POST /admin/realms/{realm}/clients/{client-uuid}/authz/resource-server/scope
func (s *AuthzScopesService) Create(ctx context.Context, sc *AuthzScope) (string, error) {
	if err := s.need(); err != nil {
		return "", err
	}
	if err := needBody("scope", sc); err != nil {
		return "", err
	}
	if err := need("scope name", sc.Name); err != nil {
		return "", err
	}
	var out AuthzScope
	if err := s.createBody(ctx, s.path("scope"), sc, &out); err != nil {
		return "", err
	}
	return out.ID, nil
}

// Update changes scope scopeID.
//
// Keycloak: PUT /admin/realms/{realm}/clients/{client-uuid}/authz/resource-server/scope/{scope-id}
func (s *AuthzScopesService) Update(ctx context.Context, scopeID string, sc *AuthzScope) error {
	if err := s.need("scopeID", scopeID); err != nil {
		return err
	}
	if err := needBody("scope", sc); err != nil {
		return err
	}
	_, err := s.c.do(ctx, "PUT", s.path("scope", scopeID), nil, sc, nil)
	return err
}

// Delete deletes scope scopeID.
//
// Keycloak: DELETE /admin/realms/{realm}/clients/{client-uuid}/authz/resource-server/scope/{scope-id}
func (s *AuthzScopesService) Delete(ctx context.Context, scopeID string) error {
	if err := s.need("scopeID", scopeID); err != nil {
		return err
	}
	_, err := s.c.do(ctx, "DELETE", s.path("scope", scopeID), nil, nil, nil)
	return err
}

// Resources returns the resources that have scope scopeID (ID and name
// only).
//
// Keycloak: GET /admin/realms/{realm}/clients/{client-uuid}/authz/resource-server/scope/{scope-id}/resources
func (s *AuthzScopesService) Resources(ctx context.Context, scopeID string) ([]AuthzResource, error) {
	var out []AuthzResource
	return out, s.getList(ctx, &out, "scopeID", scopeID, "scope", scopeID, "resources")
}

// Permissions returns the scope permissions of scope scopeID.
//
// Keycloak: GET /admin/realms/{realm}/clients/{client-uuid}/authz/resource-server/scope/{scope-id}/permissions
func (s *AuthzScopesService) Permissions(ctx context.Context, scopeID string) ([]Policy, error) {
	var out []Policy
	return out, s.getList(ctx, &out, "scopeID", scopeID, "scope", scopeID, "permissions")
}
