package admin

import "context"

// ClientScopesService manages the client scopes of a realm.
type ClientScopesService struct{ base }

// List returns every client scope of the realm.
//
// Keycloak: GET /admin/realms/{realm}/client-scopes
func (s *ClientScopesService) List(ctx context.Context) ([]ClientScope, error) {
	if err := need("realm", s.realm); err != nil {
		return nil, err
	}
	var out clientScopeList
	_, err := s.c.do(ctx, "GET", s.path("client-scopes"), nil, nil, &out)
	return out, err
}

// Get returns client scope scopeID.
//
// Keycloak: GET /admin/realms/{realm}/client-scopes/{client-scope-id}
func (s *ClientScopesService) Get(ctx context.Context, scopeID string) (*ClientScope, error) {
	if err := need("realm", s.realm, "scopeID", scopeID); err != nil {
		return nil, err
	}
	return fetch[ClientScope](ctx, s.c, "GET", s.path("client-scopes", scopeID), nil, nil)
}

// Create creates client scope sc (sc.Name is required; Protocol defaults
// to "openid-connect") and returns its ID. Keycloak keeps sc.ID when it is
// set and creates the protocol mappers sc carries.
//
// Keycloak: POST /admin/realms/{realm}/client-scopes
func (s *ClientScopesService) Create(ctx context.Context, sc *ClientScope) (string, error) {
	if err := need("realm", s.realm); err != nil {
		return "", err
	}
	if err := needBody("client scope", sc); err != nil {
		return "", err
	}
	if err := need("client scope name", sc.Name); err != nil {
		return "", err
	}
	return s.c.create(ctx, s.path("client-scopes"), sc)
}

// Update changes client scope scopeID.
//
// Keycloak: PUT /admin/realms/{realm}/client-scopes/{client-scope-id}
func (s *ClientScopesService) Update(ctx context.Context, scopeID string, sc *ClientScope) error {
	if err := need("realm", s.realm, "scopeID", scopeID); err != nil {
		return err
	}
	if err := needBody("client scope", sc); err != nil {
		return err
	}
	_, err := s.c.do(ctx, "PUT", s.path("client-scopes", scopeID), nil, sc, nil)
	return err
}

// Delete deletes client scope scopeID.
//
// Keycloak: DELETE /admin/realms/{realm}/client-scopes/{client-scope-id}
func (s *ClientScopesService) Delete(ctx context.Context, scopeID string) error {
	if err := need("realm", s.realm, "scopeID", scopeID); err != nil {
		return err
	}
	_, err := s.c.do(ctx, "DELETE", s.path("client-scopes", scopeID), nil, nil, nil)
	return err
}

// ProtocolMappers returns the service of client scope scopeID's protocol
// mappers.
func (s *ClientScopesService) ProtocolMappers(scopeID string) *ProtocolMappersService {
	return &ProtocolMappersService{base: s.base, kind: "client-scopes", ownerName: "scopeID", owner: scopeID}
}

// ScopeMappings returns the service of client scope scopeID's role scope
// mappings.
func (s *ClientScopesService) ScopeMappings(scopeID string) *ScopeMappingsService {
	return &ScopeMappingsService{mappings{base: s.base, kind: "client-scopes", ownerName: "scopeID", owner: scopeID, suffix: "scope-mappings"}}
}
