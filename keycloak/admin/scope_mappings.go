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

// RealmRoles returns the realm roles in scope.
//
// Keycloak: GET /admin/realms/{realm}/client-scopes/{client-scope-id}/scope-mappings/realm
// Keycloak: GET /admin/realms/{realm}/clients/{client-uuid}/scope-mappings/realm
func (s *ScopeMappingsService) RealmRoles(ctx context.Context) ([]Role, error) {
	return s.list(ctx, realmRoles, nil)
}

// AddRealmRoles puts realm roles in scope (each with ID and name).
//
// Keycloak: POST /admin/realms/{realm}/client-scopes/{client-scope-id}/scope-mappings/realm
// Keycloak: POST /admin/realms/{realm}/clients/{client-uuid}/scope-mappings/realm
func (s *ScopeMappingsService) AddRealmRoles(ctx context.Context, roles []Role) error {
	return s.change(ctx, "POST", realmRoles, roles)
}

// RemoveRealmRoles takes realm roles out of scope.
//
// Keycloak: DELETE /admin/realms/{realm}/client-scopes/{client-scope-id}/scope-mappings/realm
// Keycloak: DELETE /admin/realms/{realm}/clients/{client-uuid}/scope-mappings/realm
func (s *ScopeMappingsService) RemoveRealmRoles(ctx context.Context, roles []Role) error {
	return s.change(ctx, "DELETE", realmRoles, roles)
}

// ClientRoles returns the roles of client clientUUID in scope.
//
// Keycloak: GET /admin/realms/{realm}/client-scopes/{client-scope-id}/scope-mappings/clients/{client}
// Keycloak: GET /admin/realms/{realm}/clients/{client-uuid}/scope-mappings/clients/{client}
func (s *ScopeMappingsService) ClientRoles(ctx context.Context, clientUUID string) ([]Role, error) {
	return s.list(ctx, clientRoles(clientUUID), nil)
}

// AddClientRoles puts roles of client clientUUID in scope.
//
// Keycloak: POST /admin/realms/{realm}/client-scopes/{client-scope-id}/scope-mappings/clients/{client}
// Keycloak: POST /admin/realms/{realm}/clients/{client-uuid}/scope-mappings/clients/{client}
func (s *ScopeMappingsService) AddClientRoles(ctx context.Context, clientUUID string, roles []Role) error {
	return s.change(ctx, "POST", clientRoles(clientUUID), roles)
}

// RemoveClientRoles takes roles of client clientUUID out of scope.
//
// Keycloak: DELETE /admin/realms/{realm}/client-scopes/{client-scope-id}/scope-mappings/clients/{client}
// Keycloak: DELETE /admin/realms/{realm}/clients/{client-uuid}/scope-mappings/clients/{client}
func (s *ScopeMappingsService) RemoveClientRoles(ctx context.Context, clientUUID string, roles []Role) error {
	return s.change(ctx, "DELETE", clientRoles(clientUUID), roles)
}

// AvailableRealmRoles returns the realm roles that could still be put in scope.
//
// Keycloak: GET /admin/realms/{realm}/client-scopes/{client-scope-id}/scope-mappings/realm/available
// Keycloak: GET /admin/realms/{realm}/clients/{client-uuid}/scope-mappings/realm/available
func (s *ScopeMappingsService) AvailableRealmRoles(ctx context.Context) ([]Role, error) {
	return s.list(ctx, realmRoles, nil, "available")
}

// EffectiveRealmRoles returns the realm roles in scope, composites expanded.
//
// Keycloak: GET /admin/realms/{realm}/client-scopes/{client-scope-id}/scope-mappings/realm/composite
// Keycloak: GET /admin/realms/{realm}/clients/{client-uuid}/scope-mappings/realm/composite
func (s *ScopeMappingsService) EffectiveRealmRoles(ctx context.Context) ([]Role, error) {
	return s.list(ctx, realmRoles, nil, "composite")
}

// AvailableClientRoles returns the roles of client clientUUID that could still
// be put in scope.
//
// Keycloak: GET /admin/realms/{realm}/client-scopes/{client-scope-id}/scope-mappings/clients/{client}/available
// Keycloak: GET /admin/realms/{realm}/clients/{client-uuid}/scope-mappings/clients/{client}/available
func (s *ScopeMappingsService) AvailableClientRoles(ctx context.Context, clientUUID string) ([]Role, error) {
	return s.list(ctx, clientRoles(clientUUID), nil, "available")
}

// EffectiveClientRoles returns the roles of client clientUUID in scope,
// composites expanded.
//
// Keycloak: GET /admin/realms/{realm}/client-scopes/{client-scope-id}/scope-mappings/clients/{client}/composite
// Keycloak: GET /admin/realms/{realm}/clients/{client-uuid}/scope-mappings/clients/{client}/composite
func (s *ScopeMappingsService) EffectiveClientRoles(ctx context.Context, clientUUID string) ([]Role, error) {
	return s.list(ctx, clientRoles(clientUUID), nil, "composite")
}
