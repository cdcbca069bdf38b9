package admin

import "context"

// RoleMappingsService manages the roles mapped to one user or one group:
// realm roles, and the roles of each client (by client UUID). Get it from
// UsersService.RoleMappings or GroupsService.RoleMappings.
type RoleMappingsService struct{ mappings }

// mappings is what role mappings (of a user or group) and scope mappings
// (of a client or client scope) share: an owner, a path under it, and the
// realm-or-client role lists there.
type mappings struct {
	base
	kind      string // "users", "groups", "clients" or "client-scopes"
	ownerName string // "userID", "groupID", ..., for errors
	owner     string
	suffix    string // "role-mappings" or "scope-mappings"
}

func (s *mappings) check(more ...string) error {
	return need(append([]string{"realm", s.realm, s.ownerName, s.owner}, more...)...)
}

func (s *mappings) p(segs ...string) []string {
	return s.path(append([]string{s.kind, s.owner, s.suffix}, segs...)...)
}

// roleTarget is where mapped roles live: the realm's roles, or one
// client's.
type roleTarget struct {
	client bool
	uuid   string
}

var realmRoles = roleTarget{}

func clientRoles(clientUUID string) roleTarget { return roleTarget{client: true, uuid: clientUUID} }

// target returns the path segments of t followed by tail, after checking
// the arguments.
func (s *mappings) target(t roleTarget, tail ...string) ([]string, error) {
	if !t.client {
		return append([]string{"realm"}, tail...), s.check()
	}
	return append([]string{"clients", t.uuid}, tail...), s.check("clientUUID", t.uuid)
}

// list GETs the roles at the target.
func (s *mappings) list(ctx context.Context, t roleTarget, q query, tail ...string) ([]Role, error) {
	segs, err := s.target(t, tail...)
	if err != nil {
		return nil, err
	}
	var out roleList
	_, err = s.c.do(ctx, "GET", s.p(segs...), q.values(), nil, &out)
	return out, err
}

// change POSTs (adds) or DELETEs (removes) roles at the target.
func (s *mappings) change(ctx context.Context, method string, t roleTarget, roles []Role) error {
	segs, err := s.target(t)
	if err != nil {
		return err
	}
	if err := checkRoles(roles); err != nil {
		return err
	}
	_, err = s.c.do(ctx, method, s.p(segs...), nil, roles, nil)
	return err
}

// checkRoles rejects an empty list and roles without ID or name: Keycloak
// needs both to match an existing role.
func checkRoles(roles []Role) error {
	if len(roles) == 0 {
		return need("roles", "")
	}
	for _, r := range roles {
		if err := need("role ID", r.ID, "role name", r.Name); err != nil {
			return err
		}
	}
	return nil
}

// Get returns every direct mapping: realm roles and client roles by client.
//
// Keycloak: GET /admin/realms/{realm}/users/{user-id}/role-mappings
// Keycloak: GET /admin/realms/{realm}/groups/{group-id}/role-mappings
func (s *RoleMappingsService) Get(ctx context.Context) (*Mappings, error) {
	if err := s.check(); err != nil {
		return nil, err
	}
	return fetch[Mappings](ctx, s.c, "GET", s.p(), nil, nil)
}

// RealmRoles returns the realm roles mapped directly. For a user this includes
// default-roles-{realm}: Keycloak grants it as a mapping when the user is
// created.
//
// Keycloak: GET /admin/realms/{realm}/users/{user-id}/role-mappings/realm
// Keycloak: GET /admin/realms/{realm}/groups/{group-id}/role-mappings/realm
func (s *RoleMappingsService) RealmRoles(ctx context.Context) ([]Role, error) {
	return s.list(ctx, realmRoles, nil)
}

// AvailableRealmRoles returns the realm roles that could still be mapped.
//
// Keycloak: GET /admin/realms/{realm}/users/{user-id}/role-mappings/realm/available
// Keycloak: GET /admin/realms/{realm}/groups/{group-id}/role-mappings/realm/available
func (s *RoleMappingsService) AvailableRealmRoles(ctx context.Context) ([]Role, error) {
	return s.list(ctx, realmRoles, nil, "available")
}

// CompositeOptions are the query parameters of the effective-role calls.
type CompositeOptions struct {
	// BriefRepresentation leaves out the roles' attributes (default true).
	BriefRepresentation *bool
}

func (o *CompositeOptions) query() query {
	q := query{}
	if o != nil {
		q.boolp("briefRepresentation", o.BriefRepresentation)
	}
	return q
}

// EffectiveRealmRoles returns the effective realm roles: direct, through
// composite roles and, for a user, through groups.
//
// Keycloak: GET /admin/realms/{realm}/users/{user-id}/role-mappings/realm/composite
// Keycloak: GET /admin/realms/{realm}/groups/{group-id}/role-mappings/realm/composite
func (s *RoleMappingsService) EffectiveRealmRoles(ctx context.Context, opts *CompositeOptions) ([]Role, error) {
	return s.list(ctx, realmRoles, opts.query(), "composite")
}

// AddRealmRoles maps realm roles; each needs its ID and name (from Roles.Get).
//
// Keycloak: POST /admin/realms/{realm}/users/{user-id}/role-mappings/realm
// Keycloak: POST /admin/realms/{realm}/groups/{group-id}/role-mappings/realm
func (s *RoleMappingsService) AddRealmRoles(ctx context.Context, roles []Role) error {
	return s.change(ctx, "POST", realmRoles, roles)
}

// RemoveRealmRoles unmaps realm roles.
//
// Keycloak: DELETE /admin/realms/{realm}/users/{user-id}/role-mappings/realm
// Keycloak: DELETE /admin/realms/{realm}/groups/{group-id}/role-mappings/realm
func (s *RoleMappingsService) RemoveRealmRoles(ctx context.Context, roles []Role) error {
	return s.change(ctx, "DELETE", realmRoles, roles)
}

// ClientRoles returns the roles of client clientUUID mapped directly.
//
// Keycloak: GET /admin/realms/{realm}/users/{user-id}/role-mappings/clients/{client-id}
// Keycloak: GET /admin/realms/{realm}/groups/{group-id}/role-mappings/clients/{client-id}
func (s *RoleMappingsService) ClientRoles(ctx context.Context, clientUUID string) ([]Role, error) {
	return s.list(ctx, clientRoles(clientUUID), nil)
}

// AvailableClientRoles returns the roles of client clientUUID that could still
// be mapped.
//
// Keycloak: GET /admin/realms/{realm}/users/{user-id}/role-mappings/clients/{client-id}/available
// Keycloak: GET /admin/realms/{realm}/groups/{group-id}/role-mappings/clients/{client-id}/available
func (s *RoleMappingsService) AvailableClientRoles(ctx context.Context, clientUUID string) ([]Role, error) {
	return s.list(ctx, clientRoles(clientUUID), nil, "available")
}

// EffectiveClientRoles returns the effective roles of client clientUUID.
//
// Keycloak: GET /admin/realms/{realm}/users/{user-id}/role-mappings/clients/{client-id}/composite
// Keycloak: GET /admin/realms/{realm}/groups/{group-id}/role-mappings/clients/{client-id}/composite
func (s *RoleMappingsService) EffectiveClientRoles(ctx context.Context, clientUUID string, opts *CompositeOptions) ([]Role, error) {
	return s.list(ctx, clientRoles(clientUUID), opts.query(), "composite")
}

// AddClientRoles maps roles of client clientUUID.
//
// Keycloak: POST /admin/realms/{realm}/users/{user-id}/role-mappings/clients/{client-id}
// Keycloak: POST /admin/realms/{realm}/groups/{group-id}/role-mappings/clients/{client-id}
func (s *RoleMappingsService) AddClientRoles(ctx context.Context, clientUUID string, roles []Role) error {
	return s.change(ctx, "POST", clientRoles(clientUUID), roles)
}

// RemoveClientRoles unmaps roles of client clientUUID.
//
// Keycloak: DELETE /admin/realms/{realm}/users/{user-id}/role-mappings/clients/{client-id}
// Keycloak: DELETE /admin/realms/{realm}/groups/{group-id}/role-mappings/clients/{client-id}
func (s *RoleMappingsService) RemoveClientRoles(ctx context.Context, clientUUID string, roles []Role) error {
	return s.change(ctx, "DELETE", clientRoles(clientUUID), roles)
}
