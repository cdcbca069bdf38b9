package admin

import "context"

// ScopeMappingsService manages the role scope mappings of a client scope
// (ClientScopesService.ScopeMappings) or a client
// (ClientsService.ScopeMappings): the roles a token requested through it
// may carry.
type ScopeMappingsService struct{ mappings }

// Get returns every scope mapping: realm roles and client roles by client.
//
// Keycloak: GET /admin/realms/{realm}/client-scopes/{client-scope-id}/scope-mappings
// Keycloak: GET /admin/realms/{realm}/clients/{client-uuid}/scope-mappings
func (s *ScopeMappingsService) Get(ctx context.Context) (*Mappings, error) {
	if err := s.check(); err != nil {
		return nil, err
	}
	return fetch[Mappings](ctx, s.c, "GET", s.p(), nil, nil)
}

// Realm returns the realm roles in scope.
//
// Keycloak: GET /admin/realms/{realm}/client-scopes/{client-scope-id}/scope-mappings/realm
// Keycloak: GET /admin/realms/{realm}/clients/{client-uuid}/scope-mappings/realm
func (s *ScopeMappingsService) Realm(ctx context.Context) ([]Role, error) {
	return s.list(ctx, realmRoles, nil)
}

// AddRealm puts realm roles in scope (each with ID and name).
//
// Keycloak: POST /admin/realms/{realm}/client-scopes/{client-scope-id}/scope-mappings/realm
// Keycloak: POST /admin/realms/{realm}/clients/{client-uuid}/scope-mappings/realm
func (s *ScopeMappingsService) AddRealm(ctx context.Context, roles []Role) error {
	return s.change(ctx, "POST", realmRoles, roles)
}

// RemoveRealm takes realm roles out of scope.
//
// Keycloak: DELETE /admin/realms/{realm}/client-scopes/{client-scope-id}/scope-mappings/realm
// Keycloak: DELETE /admin/realms/{realm}/clients/{client-uuid}/scope-mappings/realm
func (s *ScopeMappingsService) RemoveRealm(ctx context.Context, roles []Role) error {
	return s.change(ctx, "DELETE", realmRoles, roles)
}

// Client returns the roles of client clientUUID in scope.
//
// Keycloak: GET /admin/realms/{realm}/client-scopes/{client-scope-id}/scope-mappings/clients/{client}
// Keycloak: GET /admin/realms/{realm}/clients/{client-uuid}/scope-mappings/clients/{client}
func (s *ScopeMappingsService) Client(ctx context.Context, clientUUID string) ([]Role, error) {
	return s.list(ctx, clientRoles(clientUUID), nil)
}

// AddClient puts roles of client clientUUID in scope.
//
// Keycloak: POST /admin/realms/{realm}/client-scopes/{client-scope-id}/scope-mappings/clients/{client}
// Keycloak: POST /admin/realms/{realm}/clients/{client-uuid}/scope-mappings/clients/{client}
func (s *ScopeMappingsService) AddClient(ctx context.Context, clientUUID string, roles []Role) error {
	return s.change(ctx, "POST", clientRoles(clientUUID), roles)
}

// RemoveClient takes roles of client clientUUID out of scope.
//
// Keycloak: DELETE /admin/realms/{realm}/client-scopes/{client-scope-id}/scope-mappings/clients/{client}
// Keycloak: DELETE /admin/realms/{realm}/clients/{client-uuid}/scope-mappings/clients/{client}
func (s *ScopeMappingsService) RemoveClient(ctx context.Context, clientUUID string, roles []Role) error {
	return s.change(ctx, "DELETE", clientRoles(clientUUID), roles)
}

// RealmAvailable returns the realm roles that could still be put in scope.
//
// Keycloak: GET /admin/realms/{realm}/client-scopes/{client-scope-id}/scope-mappings/realm/available
// Keycloak: GET /admin/realms/{realm}/clients/{client-uuid}/scope-mappings/realm/available
func (s *ScopeMappingsService) RealmAvailable(ctx context.Context) ([]Role, error) {
	return s.list(ctx, realmRoles, nil, "available")
}

// RealmEffective returns the realm roles in scope, composites expanded.
//
// Keycloak: GET /admin/realms/{realm}/client-scopes/{client-scope-id}/scope-mappings/realm/composite
// Keycloak: GET /admin/realms/{realm}/clients/{client-uuid}/scope-mappings/realm/composite
func (s *ScopeMappingsService) RealmEffective(ctx context.Context) ([]Role, error) {
	return s.list(ctx, realmRoles, nil, "composite")
}

// ClientAvailable returns the roles of client clientUUID that could still
// be put in scope.
//
// Keycloak: GET /admin/realms/{realm}/client-scopes/{client-scope-id}/scope-mappings/clients/{client}/available
// Keycloak: GET /admin/realms/{realm}/clients/{client-uuid}/scope-mappings/clients/{client}/available
func (s *ScopeMappingsService) ClientAvailable(ctx context.Context, clientUUID string) ([]Role, error) {
	return s.list(ctx, clientRoles(clientUUID), nil, "available")
}

// ClientEffective returns the roles of client clientUUID in scope,
// composites expanded.
//
// Keycloak: GET /admin/realms/{realm}/client-scopes/{client-scope-id}/scope-mappings/clients/{client}/composite
// Keycloak: GET /admin/realms/{realm}/clients/{client-uuid}/scope-mappings/clients/{client}/composite
func (s *ScopeMappingsService) ClientEffective(ctx context.Context, clientUUID string) ([]Role, error) {
	return s.list(ctx, clientRoles(clientUUID), nil, "composite")
}
