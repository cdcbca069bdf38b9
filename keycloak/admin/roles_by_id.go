package admin

import "context"

// RolesByIDService manages realm and client roles by their ID.
type RolesByIDService struct{ base }

// Get returns role roleID.
//
// Keycloak: GET /admin/realms/{realm}/roles-by-id/{role-id}
func (s *RolesByIDService) Get(ctx context.Context, roleID string) (*Role, error) {
	if err := need("realm", s.realm, "roleID", roleID); err != nil {
		return nil, err
	}
	return fetch[Role](ctx, s.c, "GET", s.path("roles-by-id", roleID), nil, nil)
}

// Update replaces role roleID's name, description and attributes.
//
// Keycloak: PUT /admin/realms/{realm}/roles-by-id/{role-id}
func (s *RolesByIDService) Update(ctx context.Context, roleID string, r *Role) error {
	if err := need("realm", s.realm, "roleID", roleID); err != nil {
		return err
	}
	if err := needBody("role", r); err != nil {
		return err
	}
	_, err := s.c.do(ctx, "PUT", s.path("roles-by-id", roleID), nil, r, nil)
	return err
}

// Delete deletes role roleID.
//
// Keycloak: DELETE /admin/realms/{realm}/roles-by-id/{role-id}
func (s *RolesByIDService) Delete(ctx context.Context, roleID string) error {
	if err := need("realm", s.realm, "roleID", roleID); err != nil {
		return err
	}
	_, err := s.c.do(ctx, "DELETE", s.path("roles-by-id", roleID), nil, nil, nil)
	return err
}

// Composites returns the roles role roleID is composed of.
//
// Keycloak: GET /admin/realms/{realm}/roles-by-id/{role-id}/composites
func (s *RolesByIDService) Composites(ctx context.Context, roleID string) ([]Role, error) {
	if err := need("realm", s.realm, "roleID", roleID); err != nil {
		return nil, err
	}
	var out roleList
	_, err := s.c.do(ctx, "GET", s.path("roles-by-id", roleID, "composites"), nil, nil, &out)
	return out, err
}

// AddComposites makes role roleID a composite of roles (each with its ID).
//
// Keycloak: POST /admin/realms/{realm}/roles-by-id/{role-id}/composites
func (s *RolesByIDService) AddComposites(ctx context.Context, roleID string, roles []Role) error {
	if err := need("realm", s.realm, "roleID", roleID); err != nil {
		return err
	}
	if err := checkRoleIDs(roles); err != nil {
		return err
	}
	_, err := s.c.do(ctx, "POST", s.path("roles-by-id", roleID, "composites"), nil, roles, nil)
	return err
}

// RemoveComposites removes roles from role roleID's composites.
//
// Keycloak: DELETE /admin/realms/{realm}/roles-by-id/{role-id}/composites
func (s *RolesByIDService) RemoveComposites(ctx context.Context, roleID string, roles []Role) error {
	if err := need("realm", s.realm, "roleID", roleID); err != nil {
		return err
	}
	if err := checkRoleIDs(roles); err != nil {
		return err
	}
	_, err := s.c.do(ctx, "DELETE", s.path("roles-by-id", roleID, "composites"), nil, roles, nil)
	return err
}

// RealmComposites returns the realm roles role roleID is composed of.
//
// Keycloak: GET /admin/realms/{realm}/roles-by-id/{role-id}/composites/realm
func (s *RolesByIDService) RealmComposites(ctx context.Context, roleID string) ([]Role, error) {
	if err := need("realm", s.realm, "roleID", roleID); err != nil {
		return nil, err
	}
	var out roleList
	_, err := s.c.do(ctx, "GET", s.path("roles-by-id", roleID, "composites", "realm"), nil, nil, &out)
	return out, err
}

// ClientComposites returns the roles of client clientUUID that role
// roleID is composed of.
//
// Keycloak: GET /admin/realms/{realm}/roles-by-id/{role-id}/composites/clients/{clientUuid}
func (s *RolesByIDService) ClientComposites(ctx context.Context, roleID, clientUUID string) ([]Role, error) {
	if err := need("realm", s.realm, "roleID", roleID, "clientUUID", clientUUID); err != nil {
		return nil, err
	}
	var out roleList
	_, err := s.c.do(ctx, "GET", s.path("roles-by-id", roleID, "composites", "clients", clientUUID), nil, nil, &out)
	return out, err
}
