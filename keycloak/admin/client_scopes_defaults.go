package admin

import "context"

// RealmDefaults returns the realm's default client scopes: those every new
// client gets as default scopes.
//
// Keycloak: GET /admin/realms/{realm}/default-default-client-scopes
func (s *ClientScopesService) RealmDefaults(ctx context.Context) ([]ClientScope, error) {
	return s.defaults(ctx, "default-default-client-scopes")
}

// RealmOptionals returns the realm's optional client scopes: those every
// new client gets as optional scopes.
//
// Keycloak: GET /admin/realms/{realm}/default-optional-client-scopes
func (s *ClientScopesService) RealmOptionals(ctx context.Context) ([]ClientScope, error) {
	return s.defaults(ctx, "default-optional-client-scopes")
}

// AddRealmDefault makes client scope scopeID a realm default scope.
//
// Keycloak: PUT /admin/realms/{realm}/default-default-client-scopes/{clientScopeId}
func (s *ClientScopesService) AddRealmDefault(ctx context.Context, scopeID string) error {
	return s.link(ctx, "PUT", "default-default-client-scopes", scopeID)
}

// RemoveRealmDefault removes client scope scopeID from the realm defaults.
//
// Keycloak: DELETE /admin/realms/{realm}/default-default-client-scopes/{clientScopeId}
func (s *ClientScopesService) RemoveRealmDefault(ctx context.Context, scopeID string) error {
	return s.link(ctx, "DELETE", "default-default-client-scopes", scopeID)
}

// AddRealmOptional makes client scope scopeID a realm optional scope.
//
// Keycloak: PUT /admin/realms/{realm}/default-optional-client-scopes/{clientScopeId}
func (s *ClientScopesService) AddRealmOptional(ctx context.Context, scopeID string) error {
	return s.link(ctx, "PUT", "default-optional-client-scopes", scopeID)
}

// RemoveRealmOptional removes client scope scopeID from the realm's
// optional scopes.
//
// Keycloak: DELETE /admin/realms/{realm}/default-optional-client-scopes/{clientScopeId}
func (s *ClientScopesService) RemoveRealmOptional(ctx context.Context, scopeID string) error {
	return s.link(ctx, "DELETE", "default-optional-client-scopes", scopeID)
}

func (s *ClientScopesService) defaults(ctx context.Context, kind string) ([]ClientScope, error) {
	if err := need("realm", s.realm); err != nil {
		return nil, err
	}
	var out clientScopeList
	_, err := s.c.do(ctx, "GET", s.path(kind), nil, nil, &out)
	return out, err
}

func (s *ClientScopesService) link(ctx context.Context, method, kind, scopeID string) error {
	if err := need("realm", s.realm, "scopeID", scopeID); err != nil {
		return err
	}
	_, err := s.c.do(ctx, method, s.path(kind, scopeID), nil, nil, nil)
	return err
}
