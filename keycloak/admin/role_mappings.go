package admin

import "context"

// RoleMappingsService manages the roles mapped to one user or one group:
// realm roles, and the roles of each client (by client UUID). Get it from
// UsersService.RoleMappings or GroupsService.RoleMappings.
type RoleMappingsService struct {
	base
	kind      string // "users" or "groups"
	ownerName string // "userID" or "groupID", for errors
	owner     string
}

func (s *RoleMappingsService) check(more ...string) error {
	return need(append([]string{"realm", s.realm, s.ownerName, s.owner}, more...)...)
}

func (s *RoleMappingsService) p(segs ...string) []string {
	return s.path(append([]string{s.kind, s.owner, "role-mappings"}, segs...)...)
}

func (s *RoleMappingsService) roles(ctx context.Context, segs []string, q query) ([]Role, error) {
	var out roleList
	_, err := s.c.do(ctx, "GET", s.p(segs...), q.values(), nil, &out)
	return out, err
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

// Realm returns the realm roles mapped directly.
//
// Keycloak: GET /admin/realms/{realm}/users/{user-id}/role-mappings/realm
// Keycloak: GET /admin/realms/{realm}/groups/{group-id}/role-mappings/realm
func (s *RoleMappingsService) Realm(ctx context.Context) ([]Role, error) {
	if err := s.check(); err != nil {
		return nil, err
	}
	return s.roles(ctx, []string{"realm"}, nil)
}

// RealmAvailable returns the realm roles that could still be mapped.
//
// Keycloak: GET /admin/realms/{realm}/users/{user-id}/role-mappings/realm/available
// Keycloak: GET /admin/realms/{realm}/groups/{group-id}/role-mappings/realm/available
func (s *RoleMappingsService) RealmAvailable(ctx context.Context) ([]Role, error) {
	if err := s.check(); err != nil {
		return nil, err
	}
	return s.roles(ctx, []string{"realm", "available"}, nil)
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

// RealmEffective returns the effective realm roles: direct, through
// composite roles and, for a user, through groups.
//
// Keycloak: GET /admin/realms/{realm}/users/{user-id}/role-mappings/realm/composite
// Keycloak: GET /admin/realms/{realm}/groups/{group-id}/role-mappings/realm/composite
func (s *RoleMappingsService) RealmEffective(ctx context.Context, opts *CompositeOptions) ([]Role, error) {
	if err := s.check(); err != nil {
		return nil, err
	}
	return s.roles(ctx, []string{"realm", "composite"}, opts.query())
}

// AddRealm maps realm roles; each needs its ID and name (from Roles.Get).
//
// Keycloak: POST /admin/realms/{realm}/users/{user-id}/role-mappings/realm
// Keycloak: POST /admin/realms/{realm}/groups/{group-id}/role-mappings/realm
func (s *RoleMappingsService) AddRealm(ctx context.Context, roles []Role) error {
	if err := s.check(); err != nil {
		return err
	}
	if err := checkRoles(roles); err != nil {
		return err
	}
	_, err := s.c.do(ctx, "POST", s.p("realm"), nil, roles, nil)
	return err
}

// RemoveRealm unmaps realm roles.
//
// Keycloak: DELETE /admin/realms/{realm}/users/{user-id}/role-mappings/realm
// Keycloak: DELETE /admin/realms/{realm}/groups/{group-id}/role-mappings/realm
func (s *RoleMappingsService) RemoveRealm(ctx context.Context, roles []Role) error {
	if err := s.check(); err != nil {
		return err
	}
	if err := checkRoles(roles); err != nil {
		return err
	}
	_, err := s.c.do(ctx, "DELETE", s.p("realm"), nil, roles, nil)
	return err
}

// Client returns the roles of client clientUUID mapped directly.
//
// Keycloak: GET /admin/realms/{realm}/users/{user-id}/role-mappings/clients/{client-id}
// Keycloak: GET /admin/realms/{realm}/groups/{group-id}/role-mappings/clients/{client-id}
func (s *RoleMappingsService) Client(ctx context.Context, clientUUID string) ([]Role, error) {
	if err := s.check("clientUUID", clientUUID); err != nil {
		return nil, err
	}
	return s.roles(ctx, []string{"clients", clientUUID}, nil)
}

// ClientAvailable returns the roles of client clientUUID that could still
// be mapped.
//
// Keycloak: GET /admin/realms/{realm}/users/{user-id}/role-mappings/clients/{client-id}/available
// Keycloak: GET /admin/realms/{realm}/groups/{group-id}/role-mappings/clients/{client-id}/available
func (s *RoleMappingsService) ClientAvailable(ctx context.Context, clientUUID string) ([]Role, error) {
	if err := s.check("clientUUID", clientUUID); err != nil {
		return nil, err
	}
	return s.roles(ctx, []string{"clients", clientUUID, "available"}, nil)
}

// ClientEffective returns the effective roles of client clientUUID.
//
// Keycloak: GET /admin/realms/{realm}/users/{user-id}/role-mappings/clients/{client-id}/composite
// Keycloak: GET /admin/realms/{realm}/groups/{group-id}/role-mappings/clients/{client-id}/composite
func (s *RoleMappingsService) ClientEffective(ctx context.Context, clientUUID string, opts *CompositeOptions) ([]Role, error) {
	if err := s.check("clientUUID", clientUUID); err != nil {
		return nil, err
	}
	return s.roles(ctx, []string{"clients", clientUUID, "composite"}, opts.query())
}

// AddClient maps roles of client clientUUID.
//
// Keycloak: POST /admin/realms/{realm}/users/{user-id}/role-mappings/clients/{client-id}
// Keycloak: POST /admin/realms/{realm}/groups/{group-id}/role-mappings/clients/{client-id}
func (s *RoleMappingsService) AddClient(ctx context.Context, clientUUID string, roles []Role) error {
	if err := s.check("clientUUID", clientUUID); err != nil {
		return err
	}
	if err := checkRoles(roles); err != nil {
		return err
	}
	_, err := s.c.do(ctx, "POST", s.p("clients", clientUUID), nil, roles, nil)
	return err
}

// RemoveClient unmaps roles of client clientUUID.
//
// Keycloak: DELETE /admin/realms/{realm}/users/{user-id}/role-mappings/clients/{client-id}
// Keycloak: DELETE /admin/realms/{realm}/groups/{group-id}/role-mappings/clients/{client-id}
func (s *RoleMappingsService) RemoveClient(ctx context.Context, clientUUID string, roles []Role) error {
	if err := s.check("clientUUID", clientUUID); err != nil {
		return err
	}
	if err := checkRoles(roles); err != nil {
		return err
	}
	_, err := s.c.do(ctx, "DELETE", s.p("clients", clientUUID), nil, roles, nil)
	return err
}
