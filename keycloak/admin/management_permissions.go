package admin

import (
	"context"
)

// ManagementPermissionsService turns fine-grained admin permissions
// (version 1) of users, clients, roles, groups and identity providers on
// and off. Keycloak serves these endpoints only with the feature
// admin-fine-grained-authz:v1; without it (Keycloak 26's default, where
// version 2 is on) each answers 501, an *kc.APIError with StatusCode 501.
//
// Turning a target's permissions on creates a resource, its scopes and one
// scope permission per scope in the authorization services of the realm's
// realm-management client; attach policies to those permissions (with
// [AuthzService] on realm-management) to grant admins access.
type ManagementPermissionsService struct{ base }

// ManagementPermissionReference is whether a target's fine-grained
// permissions are on and, when they are, the ID of its authorization
// resource and of the permission of each scope ("view", "manage",
// "map-roles", ...).
type ManagementPermissionReference struct {
	Enabled          bool              `json:"enabled"`
	Resource         string            `json:"resource,omitempty"`
	ScopePermissions map[string]string `json:"scopePermissions,omitempty"`
}

func (s *ManagementPermissionsService) get(ctx context.Context, path []string) (*ManagementPermissionReference, error) {
	return fetch[ManagementPermissionReference](ctx, s.c, "GET", path, nil, nil)
}

func (s *ManagementPermissionsService) set(ctx context.Context, path []string, enabled bool) (*ManagementPermissionReference, error) {
	return fetch[ManagementPermissionReference](ctx, s.c, "PUT", path, nil, ManagementPermissionReference{Enabled: enabled})
}

// Users returns the permissions of the realm's users.
//
// Keycloak: GET /admin/realms/{realm}/users-management-permissions
func (s *ManagementPermissionsService) Users(ctx context.Context) (*ManagementPermissionReference, error) {
	if err := need("realm", s.realm); err != nil {
		return nil, err
	}
	return s.get(ctx, s.path("users-management-permissions"))
}

// SetUsers turns the permissions of the realm's users on or off.
//
// Keycloak: PUT /admin/realms/{realm}/users-management-permissions
func (s *ManagementPermissionsService) SetUsers(ctx context.Context, enabled bool) (*ManagementPermissionReference, error) {
	if err := need("realm", s.realm); err != nil {
		return nil, err
	}
	return s.set(ctx, s.path("users-management-permissions"), enabled)
}

// Client returns the permissions of the client with the UUID clientID.
//
// Keycloak: GET /admin/realms/{realm}/clients/{client-uuid}/management/permissions
func (s *ManagementPermissionsService) Client(ctx context.Context, clientID string) (*ManagementPermissionReference, error) {
	if err := need("realm", s.realm, "clientID", clientID); err != nil {
		return nil, err
	}
	return s.get(ctx, s.path("clients", clientID, "management", "permissions"))
}

// SetClient turns the permissions of the client with the UUID clientID on
// or off.
//
// Keycloak: PUT /admin/realms/{realm}/clients/{client-uuid}/management/permissions
func (s *ManagementPermissionsService) SetClient(ctx context.Context, clientID string, enabled bool) (*ManagementPermissionReference, error) {
	if err := need("realm", s.realm, "clientID", clientID); err != nil {
		return nil, err
	}
	return s.set(ctx, s.path("clients", clientID, "management", "permissions"), enabled)
}

// ClientRole returns the permissions of the role roleName of the client
// with the UUID clientID.
//
// Keycloak: GET /admin/realms/{realm}/clients/{client-uuid}/roles/{role-name}/management/permissions
func (s *ManagementPermissionsService) ClientRole(ctx context.Context, clientID, roleName string) (*ManagementPermissionReference, error) {
	if err := need("realm", s.realm, "clientID", clientID, "roleName", roleName); err != nil {
		return nil, err
	}
	return s.get(ctx, s.path("clients", clientID, "roles", roleName, "management", "permissions"))
}

// SetClientRole turns the permissions of a client role on or off.
//
// Keycloak: PUT /admin/realms/{realm}/clients/{client-uuid}/roles/{role-name}/management/permissions
func (s *ManagementPermissionsService) SetClientRole(ctx context.Context, clientID, roleName string, enabled bool) (*ManagementPermissionReference, error) {
	if err := need("realm", s.realm, "clientID", clientID, "roleName", roleName); err != nil {
		return nil, err
	}
	return s.set(ctx, s.path("clients", clientID, "roles", roleName, "management", "permissions"), enabled)
}

// Role returns the permissions of the realm role roleName.
//
// Keycloak: GET /admin/realms/{realm}/roles/{role-name}/management/permissions
func (s *ManagementPermissionsService) Role(ctx context.Context, roleName string) (*ManagementPermissionReference, error) {
	if err := need("realm", s.realm, "roleName", roleName); err != nil {
		return nil, err
	}
	return s.get(ctx, s.path("roles", roleName, "management", "permissions"))
}

// SetRole turns the permissions of the realm role roleName on or off.
//
// Keycloak: PUT /admin/realms/{realm}/roles/{role-name}/management/permissions
func (s *ManagementPermissionsService) SetRole(ctx context.Context, roleName string, enabled bool) (*ManagementPermissionReference, error) {
	if err := need("realm", s.realm, "roleName", roleName); err != nil {
		return nil, err
	}
	return s.set(ctx, s.path("roles", roleName, "management", "permissions"), enabled)
}

// RoleByID returns the permissions of the role (realm or client) with ID
// roleID.
//
// Keycloak: GET /admin/realms/{realm}/roles-by-id/{role-id}/management/permissions
func (s *ManagementPermissionsService) RoleByID(ctx context.Context, roleID string) (*ManagementPermissionReference, error) {
	if err := need("realm", s.realm, "roleID", roleID); err != nil {
		return nil, err
	}
	return s.get(ctx, s.path("roles-by-id", roleID, "management", "permissions"))
}

// SetRoleByID turns the permissions of the role with ID roleID on or off.
//
// Keycloak: PUT /admin/realms/{realm}/roles-by-id/{role-id}/management/permissions
func (s *ManagementPermissionsService) SetRoleByID(ctx context.Context, roleID string, enabled bool) (*ManagementPermissionReference, error) {
	if err := need("realm", s.realm, "roleID", roleID); err != nil {
		return nil, err
	}
	return s.set(ctx, s.path("roles-by-id", roleID, "management", "permissions"), enabled)
}

// Group returns the permissions of the group with ID groupID.
//
// Keycloak: GET /admin/realms/{realm}/groups/{group-id}/management/permissions
func (s *ManagementPermissionsService) Group(ctx context.Context, groupID string) (*ManagementPermissionReference, error) {
	if err := need("realm", s.realm, "groupID", groupID); err != nil {
		return nil, err
	}
	return s.get(ctx, s.path("groups", groupID, "management", "permissions"))
}

// SetGroup turns the permissions of the group with ID groupID on or off.
//
// Keycloak: PUT /admin/realms/{realm}/groups/{group-id}/management/permissions
func (s *ManagementPermissionsService) SetGroup(ctx context.Context, groupID string, enabled bool) (*ManagementPermissionReference, error) {
	if err := need("realm", s.realm, "groupID", groupID); err != nil {
		return nil, err
	}
	return s.set(ctx, s.path("groups", groupID, "management", "permissions"), enabled)
}

// IdentityProvider returns the permissions of the identity provider alias.
//
// Keycloak: GET /admin/realms/{realm}/identity-provider/instances/{alias}/management/permissions
func (s *ManagementPermissionsService) IdentityProvider(ctx context.Context, alias string) (*ManagementPermissionReference, error) {
	if err := need("realm", s.realm, "alias", alias); err != nil {
		return nil, err
	}
	return s.get(ctx, s.path("identity-provider", "instances", alias, "management", "permissions"))
}

// SetIdentityProvider turns the permissions of the identity provider alias
// on or off.
//
// Keycloak: PUT /admin/realms/{realm}/identity-provider/instances/{alias}/management/permissions
func (s *ManagementPermissionsService) SetIdentityProvider(ctx context.Context, alias string, enabled bool) (*ManagementPermissionReference, error) {
	if err := need("realm", s.realm, "alias", alias); err != nil {
		return nil, err
	}
	return s.set(ctx, s.path("identity-provider", "instances", alias, "management", "permissions"), enabled)
}
