package admin

import "context"

// ProtocolMappersService manages the protocol mappers of a client
// (ClientsService.ProtocolMappers) or a client scope
// (ClientScopesService.ProtocolMappers).
type ProtocolMappersService struct {
	base
	kind      string // "clients" or "client-scopes"
	ownerName string
	owner     string
}

func (s *ProtocolMappersService) check(more ...string) error {
	return need(append([]string{"realm", s.realm, s.ownerName, s.owner}, more...)...)
}

func (s *ProtocolMappersService) p(segs ...string) []string {
	return s.path(append([]string{s.kind, s.owner, "protocol-mappers"}, segs...)...)
}

// List returns the protocol mappers.
//
// Keycloak: GET /admin/realms/{realm}/clients/{client-uuid}/protocol-mappers/models
// Keycloak: GET /admin/realms/{realm}/client-scopes/{client-scope-id}/protocol-mappers/models
func (s *ProtocolMappersService) List(ctx context.Context) ([]ProtocolMapper, error) {
	if err := s.check(); err != nil {
		return nil, err
	}
	var out []ProtocolMapper
	_, err := s.c.do(ctx, "GET", s.p("models"), nil, nil, &out)
	return out, err
}

// Get returns protocol mapper mapperID.
//
// Keycloak: GET /admin/realms/{realm}/clients/{client-uuid}/protocol-mappers/models/{id}
// Keycloak: GET /admin/realms/{realm}/client-scopes/{client-scope-id}/protocol-mappers/models/{id}
func (s *ProtocolMappersService) Get(ctx context.Context, mapperID string) (*ProtocolMapper, error) {
	if err := s.check("mapperID", mapperID); err != nil {
		return nil, err
	}
	return fetch[ProtocolMapper](ctx, s.c, "GET", s.p("models", mapperID), nil, nil)
}

// Create creates protocol mapper m (Name and ProtocolMapper required) and
// returns its ID.
//
// Keycloak: POST /admin/realms/{realm}/clients/{client-uuid}/protocol-mappers/models
// Keycloak: POST /admin/realms/{realm}/client-scopes/{client-scope-id}/protocol-mappers/models
func (s *ProtocolMappersService) Create(ctx context.Context, m *ProtocolMapper) (string, error) {
	if err := s.check(); err != nil {
		return "", err
	}
	if err := needBody("protocol mapper", m); err != nil {
		return "", err
	}
	if err := need("mapper name", m.Name, "protocolMapper", m.ProtocolMapper); err != nil {
		return "", err
	}
	return s.c.create(ctx, s.p("models"), m)
}

// Update replaces protocol mapper mapperID.
//
// Keycloak: PUT /admin/realms/{realm}/clients/{client-uuid}/protocol-mappers/models/{id}
// Keycloak: PUT /admin/realms/{realm}/client-scopes/{client-scope-id}/protocol-mappers/models/{id}
func (s *ProtocolMappersService) Update(ctx context.Context, mapperID string, m *ProtocolMapper) error {
	if err := s.check("mapperID", mapperID); err != nil {
		return err
	}
	if err := needBody("protocol mapper", m); err != nil {
		return err
	}
	_, err := s.c.do(ctx, "PUT", s.p("models", mapperID), nil, m, nil)
	return err
}

// Delete deletes protocol mapper mapperID.
//
// Keycloak: DELETE /admin/realms/{realm}/clients/{client-uuid}/protocol-mappers/models/{id}
// Keycloak: DELETE /admin/realms/{realm}/client-scopes/{client-scope-id}/protocol-mappers/models/{id}
func (s *ProtocolMappersService) Delete(ctx context.Context, mapperID string) error {
	if err := s.check("mapperID", mapperID); err != nil {
		return err
	}
	_, err := s.c.do(ctx, "DELETE", s.p("models", mapperID), nil, nil, nil)
	return err
}

// AddModels creates several protocol mappers at once.
//
// Keycloak: POST /admin/realms/{realm}/clients/{client-uuid}/protocol-mappers/add-models
// Keycloak: POST /admin/realms/{realm}/client-scopes/{client-scope-id}/protocol-mappers/add-models
func (s *ProtocolMappersService) AddModels(ctx context.Context, ms []ProtocolMapper) error {
	if err := s.check(); err != nil {
		return err
	}
	if len(ms) == 0 {
		return need("mappers", "")
	}
	for _, m := range ms {
		if err := need("mapper name", m.Name, "protocolMapper", m.ProtocolMapper); err != nil {
			return err
		}
	}
	_, err := s.c.do(ctx, "POST", s.p("add-models"), nil, ms, nil)
	return err
}

// ListByProtocol returns the protocol mappers of protocol protocol
// ("openid-connect" or "saml").
//
// Keycloak: GET /admin/realms/{realm}/clients/{client-uuid}/protocol-mappers/protocol/{protocol}
// Keycloak: GET /admin/realms/{realm}/client-scopes/{client-scope-id}/protocol-mappers/protocol/{protocol}
func (s *ProtocolMappersService) ListByProtocol(ctx context.Context, protocol string) ([]ProtocolMapper, error) {
	if err := s.check("protocol", protocol); err != nil {
		return nil, err
	}
	var out []ProtocolMapper
	_, err := s.c.do(ctx, "GET", s.p("protocol", protocol), nil, nil, &out)
	return out, err
}
