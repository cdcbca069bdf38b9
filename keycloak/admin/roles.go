package admin

import (
	"context"
	"iter"
	"strconv"
)

// RolesService manages the roles of the realm (RealmClient.Roles) or of
// one client (ClientsService.Roles), by name.
type RolesService struct {
	base
	client     bool   // roles of a client
	clientUUID string // that client
}

func (s *RolesService) check(more ...string) error {
	pairs := []string{"realm", s.realm}
	if s.client {
		pairs = append(pairs, "clientUUID", s.clientUUID)
	}
	return need(append(pairs, more...)...)
}

func (s *RolesService) p(segs ...string) []string {
	if s.client {
		return s.path(append([]string{"clients", s.clientUUID, "roles"}, segs...)...)
	}
	return s.path(append([]string{"roles"}, segs...)...)
}

// RoleListOptions are the query parameters of RolesService.List.
type RoleListOptions struct {
	Search              string // substring of the role name
	BriefRepresentation *bool  // Keycloak's default: true
	// First and Max page the list; Keycloak pages it only when both are
	// given, and returns every role otherwise.
	First, Max int
}

// List returns the roles (one page when opts gives First and Max).
//
// Keycloak: GET /admin/realms/{realm}/roles
// Keycloak: GET /admin/realms/{realm}/clients/{client-uuid}/roles
func (s *RolesService) List(ctx context.Context, opts *RoleListOptions) ([]Role, error) {
	if err := s.check(); err != nil {
		return nil, err
	}
	q := query{}
	if opts != nil {
		q.str("search", opts.Search)
		q.boolp("briefRepresentation", opts.BriefRepresentation)
		if opts.Max > 0 {
			q.values().Set("first", strconv.Itoa(opts.First))
			q.int("max", opts.Max)
		}
	}
	var out roleList
	_, err := s.c.do(ctx, "GET", s.p(), q.values(), nil, &out)
	return out, err
}

// All iterates over every role, a page at a time. opts is copied.
//
// Keycloak: GET /admin/realms/{realm}/roles
// Keycloak: GET /admin/realms/{realm}/clients/{client-uuid}/roles
func (s *RolesService) All(ctx context.Context, opts *RoleListOptions) iter.Seq2[Role, error] {
	var o RoleListOptions
	if opts != nil {
		o = *opts
	}
	return pages(ctx, o.First, o.Max, func(ctx context.Context, first, max int) ([]Role, error) {
		o.First, o.Max = first, max
		return s.List(ctx, &o)
	})
}

// Get returns role name.
//
// Keycloak: GET /admin/realms/{realm}/roles/{role-name}
// Keycloak: GET /admin/realms/{realm}/clients/{client-uuid}/roles/{role-name}
func (s *RolesService) Get(ctx context.Context, name string) (*Role, error) {
	if err := s.check("role name", name); err != nil {
		return nil, err
	}
	return fetch[Role](ctx, s.c, "GET", s.p(name), nil, nil)
}

// Create creates role r (r.Name is required) and returns its name (roles
// are addressed by name; Keycloak's Location ends with it).
//
// Keycloak: POST /admin/realms/{realm}/roles
// Keycloak: POST /admin/realms/{realm}/clients/{client-uuid}/roles
func (s *RolesService) Create(ctx context.Context, r *Role) (string, error) {
	if err := s.check(); err != nil {
		return "", err
	}
	if err := needBody("role", r); err != nil {
		return "", err
	}
	if err := need("role name", r.Name); err != nil {
		return "", err
	}
	if _, err := s.c.do(ctx, "POST", s.p(), nil, r, nil); err != nil {
		return "", err
	}
	return r.Name, nil
}

// Update replaces role name (Keycloak sets name, description and
// attributes from r).
//
// Keycloak: PUT /admin/realms/{realm}/roles/{role-name}
// Keycloak: PUT /admin/realms/{realm}/clients/{client-uuid}/roles/{role-name}
func (s *RolesService) Update(ctx context.Context, name string, r *Role) error {
	if err := s.check("role name", name); err != nil {
		return err
	}
	if err := needBody("role", r); err != nil {
		return err
	}
	_, err := s.c.do(ctx, "PUT", s.p(name), nil, r, nil)
	return err
}

// Delete deletes role name.
//
// Keycloak: DELETE /admin/realms/{realm}/roles/{role-name}
// Keycloak: DELETE /admin/realms/{realm}/clients/{client-uuid}/roles/{role-name}
func (s *RolesService) Delete(ctx context.Context, name string) error {
	if err := s.check("role name", name); err != nil {
		return err
	}
	_, err := s.c.do(ctx, "DELETE", s.p(name), nil, nil, nil)
	return err
}

// Composites returns the roles role name is composed of.
//
// Keycloak: GET /admin/realms/{realm}/roles/{role-name}/composites
// Keycloak: GET /admin/realms/{realm}/clients/{client-uuid}/roles/{role-name}/composites
func (s *RolesService) Composites(ctx context.Context, name string) ([]Role, error) {
	if err := s.check("role name", name); err != nil {
		return nil, err
	}
	var out roleList
	_, err := s.c.do(ctx, "GET", s.p(name, "composites"), nil, nil, &out)
	return out, err
}

// RealmComposites returns the realm roles role name is composed of.
//
// Keycloak: GET /admin/realms/{realm}/roles/{role-name}/composites/realm
// Keycloak: GET /admin/realms/{realm}/clients/{client-uuid}/roles/{role-name}/composites/realm
func (s *RolesService) RealmComposites(ctx context.Context, name string) ([]Role, error) {
	if err := s.check("role name", name); err != nil {
		return nil, err
	}
	var out roleList
	_, err := s.c.do(ctx, "GET", s.p(name, "composites", "realm"), nil, nil, &out)
	return out, err
}

// ClientComposites returns the roles of client clientUUID that role name
// is composed of.
//
// Keycloak: GET /admin/realms/{realm}/roles/{role-name}/composites/clients/{targetClientUuid}
// Keycloak: GET /admin/realms/{realm}/clients/{client-uuid}/roles/{role-name}/composites/clients/{targetClientUuid}
func (s *RolesService) ClientComposites(ctx context.Context, name, clientUUID string) ([]Role, error) {
	if err := s.check("role name", name, "target clientUUID", clientUUID); err != nil {
		return nil, err
	}
	var out roleList
	_, err := s.c.do(ctx, "GET", s.p(name, "composites", "clients", clientUUID), nil, nil, &out)
	return out, err
}

// AddComposites makes role name a composite of roles (each with its ID).
//
// Keycloak: POST /admin/realms/{realm}/roles/{role-name}/composites
// Keycloak: POST /admin/realms/{realm}/clients/{client-uuid}/roles/{role-name}/composites
func (s *RolesService) AddComposites(ctx context.Context, name string, roles []Role) error {
	if err := s.check("role name", name); err != nil {
		return err
	}
	if err := checkRoleIDs(roles); err != nil {
		return err
	}
	_, err := s.c.do(ctx, "POST", s.p(name, "composites"), nil, roles, nil)
	return err
}

// RemoveComposites removes roles from the composites of role name.
//
// Keycloak: DELETE /admin/realms/{realm}/roles/{role-name}/composites
// Keycloak: DELETE /admin/realms/{realm}/clients/{client-uuid}/roles/{role-name}/composites
func (s *RolesService) RemoveComposites(ctx context.Context, name string, roles []Role) error {
	if err := s.check("role name", name); err != nil {
		return err
	}
	if err := checkRoleIDs(roles); err != nil {
		return err
	}
	_, err := s.c.do(ctx, "DELETE", s.p(name, "composites"), nil, roles, nil)
	return err
}

// MemberOptions page the users or groups holding a role, or a group's
// members.
type MemberOptions struct {
	BriefRepresentation *bool
	First, Max          int // Keycloak's default max: 100
}

func (o *MemberOptions) query() query {
	q := query{}
	if o != nil {
		q.boolp("briefRepresentation", o.BriefRepresentation)
		q.int("first", o.First)
		q.int("max", o.Max)
	}
	return q
}

// Users returns one page of the users that hold role name directly.
//
// Keycloak: GET /admin/realms/{realm}/roles/{role-name}/users
// Keycloak: GET /admin/realms/{realm}/clients/{client-uuid}/roles/{role-name}/users
func (s *RolesService) Users(ctx context.Context, name string, opts *MemberOptions) ([]User, error) {
	if err := s.check("role name", name); err != nil {
		return nil, err
	}
	var out userList
	_, err := s.c.do(ctx, "GET", s.p(name, "users"), opts.query().values(), nil, &out)
	return out, err
}

// AllUsers iterates over the users that hold role name directly.
//
// Keycloak: GET /admin/realms/{realm}/roles/{role-name}/users
// Keycloak: GET /admin/realms/{realm}/clients/{client-uuid}/roles/{role-name}/users
func (s *RolesService) AllUsers(ctx context.Context, name string, opts *MemberOptions) iter.Seq2[User, error] {
	var o MemberOptions
	if opts != nil {
		o = *opts
	}
	return pages(ctx, o.First, o.Max, func(ctx context.Context, first, max int) ([]User, error) {
		o.First, o.Max = first, max
		return s.Users(ctx, name, &o)
	})
}

// Groups returns one page of the groups that hold role name.
//
// Keycloak: GET /admin/realms/{realm}/roles/{role-name}/groups
// Keycloak: GET /admin/realms/{realm}/clients/{client-uuid}/roles/{role-name}/groups
func (s *RolesService) Groups(ctx context.Context, name string, opts *MemberOptions) ([]Group, error) {
	if err := s.check("role name", name); err != nil {
		return nil, err
	}
	var out groupList
	_, err := s.c.do(ctx, "GET", s.p(name, "groups"), opts.query().values(), nil, &out)
	return out, err
}

// AllGroups iterates over the groups that hold role name.
//
// Keycloak: GET /admin/realms/{realm}/roles/{role-name}/groups
// Keycloak: GET /admin/realms/{realm}/clients/{client-uuid}/roles/{role-name}/groups
func (s *RolesService) AllGroups(ctx context.Context, name string, opts *MemberOptions) iter.Seq2[Group, error] {
	var o MemberOptions
	if opts != nil {
		o = *opts
	}
	return pages(ctx, o.First, o.Max, func(ctx context.Context, first, max int) ([]Group, error) {
		o.First, o.Max = first, max
		return s.Groups(ctx, name, &o)
	})
}

// checkRoleIDs rejects an empty list and roles without ID.
func checkRoleIDs(roles []Role) error {
	if len(roles) == 0 {
		return need("roles", "")
	}
	for _, r := range roles {
		if err := need("role ID", r.ID); err != nil {
			return err
		}
	}
	return nil
}
