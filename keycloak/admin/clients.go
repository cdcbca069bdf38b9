package admin

import (
	"context"
	"iter"
)

// ClientsService manages the clients of a realm. Clients are addressed by
// their UUID (ClientApp.ID), not their client ID.
type ClientsService struct{ base }

// ClientListOptions are the query parameters of ClientsService.List.
type ClientListOptions struct {
	// ClientID matches the client ID exactly, or as a substring when
	// Search is true.
	ClientID string
	Search   bool
	// Attributes filters on client attributes; sent as q=k1:v1 k2:v2.
	Attributes   map[string]string
	ViewableOnly bool
	// First and Max page the list; Keycloak returns every client when Max
	// is not given.
	First, Max int
}

// List returns the clients matching opts (one page with First and Max).
//
// Keycloak: GET /admin/realms/{realm}/clients
func (s *ClientsService) List(ctx context.Context, opts *ClientListOptions) ([]ClientApp, error) {
	if err := need("realm", s.realm); err != nil {
		return nil, err
	}
	q := query{}
	if opts != nil {
		q.str("clientId", opts.ClientID)
		if opts.Search {
			q.str("search", "true")
		}
		q.attrs("q", opts.Attributes)
		if opts.ViewableOnly {
			q.str("viewableOnly", "true")
		}
		q.int("first", opts.First)
		q.int("max", opts.Max)
	}
	var out clientList
	_, err := s.c.do(ctx, "GET", s.path("clients"), q.values(), nil, &out)
	return out, err
}

// All iterates over every client matching opts, a page at a time.
//
// Keycloak: GET /admin/realms/{realm}/clients
func (s *ClientsService) All(ctx context.Context, opts *ClientListOptions) iter.Seq2[ClientApp, error] {
	var o ClientListOptions
	if opts != nil {
		o = *opts
	}
	return pages(ctx, o.First, o.Max, func(ctx context.Context, first, max int) ([]ClientApp, error) {
		o.First, o.Max = first, max
		return s.List(ctx, &o)
	})
}

// GetByClientID returns the client whose client ID is clientID; the error
// matches kc.ErrNotFound when there is none.
//
// Keycloak: GET /admin/realms/{realm}/clients
func (s *ClientsService) GetByClientID(ctx context.Context, clientID string) (*ClientApp, error) {
	if err := need("realm", s.realm, "clientID", clientID); err != nil {
		return nil, err
	}
	cs, err := s.List(ctx, &ClientListOptions{ClientID: clientID})
	if err != nil {
		return nil, err
	}
	for i := range cs {
		if cs[i].ClientID == clientID {
			return &cs[i], nil
		}
	}
	return nil, &notFoundError{what: "client " + clientID}
}

// Get returns client clientUUID.
//
// Keycloak: GET /admin/realms/{realm}/clients/{client-uuid}
func (s *ClientsService) Get(ctx context.Context, clientUUID string) (*ClientApp, error) {
	if err := need("realm", s.realm, "clientUUID", clientUUID); err != nil {
		return nil, err
	}
	return fetch[ClientApp](ctx, s.c, "GET", s.path("clients", clientUUID), nil, nil)
}

// Create creates client c (c.ClientID is required) and returns its UUID.
// Keycloak itself accepts a client without a clientId and stores it under
// its UUID; kc refuses that request before sending it, since such a client
// is almost always a mistake.
//
// Keycloak: POST /admin/realms/{realm}/clients
func (s *ClientsService) Create(ctx context.Context, c *ClientApp) (string, error) {
	if err := need("realm", s.realm); err != nil {
		return "", err
	}
	if err := needBody("client", c); err != nil {
		return "", err
	}
	if err := need("clientID", c.ClientID); err != nil {
		return "", err
	}
	return s.c.create(ctx, s.path("clients"), c)
}

// Update changes client clientUUID; fields left nil keep their value.
//
// Keycloak: PUT /admin/realms/{realm}/clients/{client-uuid}
func (s *ClientsService) Update(ctx context.Context, clientUUID string, c *ClientApp) error {
	if err := need("realm", s.realm, "clientUUID", clientUUID); err != nil {
		return err
	}
	if err := needBody("client", c); err != nil {
		return err
	}
	_, err := s.c.do(ctx, "PUT", s.path("clients", clientUUID), nil, c, nil)
	return err
}

// Delete deletes client clientUUID.
//
// Keycloak: DELETE /admin/realms/{realm}/clients/{client-uuid}
func (s *ClientsService) Delete(ctx context.Context, clientUUID string) error {
	if err := need("realm", s.realm, "clientUUID", clientUUID); err != nil {
		return err
	}
	_, err := s.c.do(ctx, "DELETE", s.path("clients", clientUUID), nil, nil, nil)
	return err
}

// Secret returns the secret of confidential client clientUUID.
//
// Keycloak: GET /admin/realms/{realm}/clients/{client-uuid}/client-secret
func (s *ClientsService) Secret(ctx context.Context, clientUUID string) (*ClientSecret, error) {
	if err := need("realm", s.realm, "clientUUID", clientUUID); err != nil {
		return nil, err
	}
	return fetch[ClientSecret](ctx, s.c, "GET", s.path("clients", clientUUID, "client-secret"), nil, nil)
}

// RegenerateSecret gives client clientUUID a new secret and returns it.
// Keycloak does this for any client, public ones included; a public client
// still does not authenticate with it.
//
// Keycloak: POST /admin/realms/{realm}/clients/{client-uuid}/client-secret
func (s *ClientsService) RegenerateSecret(ctx context.Context, clientUUID string) (*ClientSecret, error) {
	if err := need("realm", s.realm, "clientUUID", clientUUID); err != nil {
		return nil, err
	}
	return fetch[ClientSecret](ctx, s.c, "POST", s.path("clients", clientUUID, "client-secret"), nil, nil)
}

// ServiceAccountUser returns the service-account user of client
// clientUUID (username "service-account-<clientId>").
//
// Keycloak: GET /admin/realms/{realm}/clients/{client-uuid}/service-account-user
func (s *ClientsService) ServiceAccountUser(ctx context.Context, clientUUID string) (*User, error) {
	if err := need("realm", s.realm, "clientUUID", clientUUID); err != nil {
		return nil, err
	}
	return fetch[User](ctx, s.c, "GET", s.path("clients", clientUUID, "service-account-user"), nil, nil)
}

// DefaultClientScopes returns the default client scopes of client
// clientUUID (ID and name of each).
//
// Keycloak: GET /admin/realms/{realm}/clients/{client-uuid}/default-client-scopes
func (s *ClientsService) DefaultClientScopes(ctx context.Context, clientUUID string) ([]ClientScope, error) {
	return s.scopes(ctx, clientUUID, "default-client-scopes")
}

// OptionalClientScopes returns the optional client scopes of client
// clientUUID.
//
// Keycloak: GET /admin/realms/{realm}/clients/{client-uuid}/optional-client-scopes
func (s *ClientsService) OptionalClientScopes(ctx context.Context, clientUUID string) ([]ClientScope, error) {
	return s.scopes(ctx, clientUUID, "optional-client-scopes")
}

func (s *ClientsService) scopes(ctx context.Context, clientUUID, kind string) ([]ClientScope, error) {
	if err := need("realm", s.realm, "clientUUID", clientUUID); err != nil {
		return nil, err
	}
	var out clientScopeList
	_, err := s.c.do(ctx, "GET", s.path("clients", clientUUID, kind), nil, nil, &out)
	return out, err
}

func (s *ClientsService) linkScope(ctx context.Context, method, clientUUID, kind, scopeID string) error {
	if err := need("realm", s.realm, "clientUUID", clientUUID, "clientScopeID", scopeID); err != nil {
		return err
	}
	_, err := s.c.do(ctx, method, s.path("clients", clientUUID, kind, scopeID), nil, nil, nil)
	return err
}

// AddDefaultClientScope makes client scope clientScopeID a default scope
// of client clientUUID.
//
// Keycloak: PUT /admin/realms/{realm}/clients/{client-uuid}/default-client-scopes/{clientScopeId}
func (s *ClientsService) AddDefaultClientScope(ctx context.Context, clientUUID, clientScopeID string) error {
	return s.linkScope(ctx, "PUT", clientUUID, "default-client-scopes", clientScopeID)
}

// RemoveDefaultClientScope removes a default client scope.
//
// Keycloak: DELETE /admin/realms/{realm}/clients/{client-uuid}/default-client-scopes/{clientScopeId}
func (s *ClientsService) RemoveDefaultClientScope(ctx context.Context, clientUUID, clientScopeID string) error {
	return s.linkScope(ctx, "DELETE", clientUUID, "default-client-scopes", clientScopeID)
}

// AddOptionalClientScope makes client scope clientScopeID an optional
// scope of client clientUUID.
//
// Keycloak: PUT /admin/realms/{realm}/clients/{client-uuid}/optional-client-scopes/{clientScopeId}
func (s *ClientsService) AddOptionalClientScope(ctx context.Context, clientUUID, clientScopeID string) error {
	return s.linkScope(ctx, "PUT", clientUUID, "optional-client-scopes", clientScopeID)
}

// RemoveOptionalClientScope removes an optional client scope.
//
// Keycloak: DELETE /admin/realms/{realm}/clients/{client-uuid}/optional-client-scopes/{clientScopeId}
func (s *ClientsService) RemoveOptionalClientScope(ctx context.Context, clientUUID, clientScopeID string) error {
	return s.linkScope(ctx, "DELETE", clientUUID, "optional-client-scopes", clientScopeID)
}

// SessionCount returns the number of active user sessions of client
// clientUUID.
//
// Keycloak: GET /admin/realms/{realm}/clients/{client-uuid}/session-count
func (s *ClientsService) SessionCount(ctx context.Context, clientUUID string) (int, error) {
	return s.count(ctx, clientUUID, "session-count")
}

// OfflineSessionCount returns the number of offline sessions of client
// clientUUID.
//
// Keycloak: GET /admin/realms/{realm}/clients/{client-uuid}/offline-session-count
func (s *ClientsService) OfflineSessionCount(ctx context.Context, clientUUID string) (int, error) {
	return s.count(ctx, clientUUID, "offline-session-count")
}

func (s *ClientsService) count(ctx context.Context, clientUUID, kind string) (int, error) {
	if err := need("realm", s.realm, "clientUUID", clientUUID); err != nil {
		return 0, err
	}
	var out countBody
	_, err := s.c.do(ctx, "GET", s.path("clients", clientUUID, kind), nil, nil, &out)
	return out.Count, err
}

// PageOptions page a list: First is the offset, Max the page size
// (Keycloak's default for sessions: 100). Zero values are not sent.
type PageOptions struct {
	First, Max int
}

// UserSessions returns one page of the user sessions of client clientUUID.
//
// Keycloak: GET /admin/realms/{realm}/clients/{client-uuid}/user-sessions
func (s *ClientsService) UserSessions(ctx context.Context, clientUUID string, opts *PageOptions) ([]UserSession, error) {
	if err := need("realm", s.realm, "clientUUID", clientUUID); err != nil {
		return nil, err
	}
	q := query{}
	if opts != nil {
		q.int("first", opts.First)
		q.int("max", opts.Max)
	}
	var out []UserSession
	_, err := s.c.do(ctx, "GET", s.path("clients", clientUUID, "user-sessions"), q.values(), nil, &out)
	return out, err
}

// AllUserSessions iterates over the user sessions of client clientUUID, a
// page at a time.
//
// Keycloak: GET /admin/realms/{realm}/clients/{client-uuid}/user-sessions
func (s *ClientsService) AllUserSessions(ctx context.Context, clientUUID string, opts *PageOptions) iter.Seq2[UserSession, error] {
	var o PageOptions
	if opts != nil {
		o = *opts
	}
	return pages(ctx, o.First, o.Max, func(ctx context.Context, first, max int) ([]UserSession, error) {
		o.First, o.Max = first, max
		return s.UserSessions(ctx, clientUUID, &o)
	})
}

// OfflineSessions returns one page of the offline sessions of client
// clientUUID.
//
// Keycloak: GET /admin/realms/{realm}/clients/{client-uuid}/offline-sessions
func (s *ClientsService) OfflineSessions(ctx context.Context, clientUUID string, opts *PageOptions) ([]UserSession, error) {
	if err := need("realm", s.realm, "clientUUID", clientUUID); err != nil {
		return nil, err
	}
	q := query{}
	if opts != nil {
		q.int("first", opts.First)
		q.int("max", opts.Max)
	}
	var out []UserSession
	_, err := s.c.do(ctx, "GET", s.path("clients", clientUUID, "offline-sessions"), q.values(), nil, &out)
	return out, err
}

// RotatedSecret returns the previous secret of client clientUUID, valid
// for a while after a rotation by a client policy; the error matches
// kc.ErrNotFound when there is none.
//
// Keycloak: GET /admin/realms/{realm}/clients/{client-uuid}/client-secret/rotated
func (s *ClientsService) RotatedSecret(ctx context.Context, clientUUID string) (*ClientSecret, error) {
	if err := need("realm", s.realm, "clientUUID", clientUUID); err != nil {
		return nil, err
	}
	return fetch[ClientSecret](ctx, s.c, "GET", s.path("clients", clientUUID, "client-secret", "rotated"), nil, nil)
}

// InvalidateRotatedSecret ends the validity of client clientUUID's
// previous secret.
//
// Keycloak: DELETE /admin/realms/{realm}/clients/{client-uuid}/client-secret/rotated
func (s *ClientsService) InvalidateRotatedSecret(ctx context.Context, clientUUID string) error {
	if err := need("realm", s.realm, "clientUUID", clientUUID); err != nil {
		return err
	}
	_, err := s.c.do(ctx, "DELETE", s.path("clients", clientUUID, "client-secret", "rotated"), nil, nil, nil)
	return err
}

// Roles returns the service of client clientUUID's roles.
func (s *ClientsService) Roles(clientUUID string) *RolesService {
	return &RolesService{base: s.base, client: true, clientUUID: clientUUID}
}

// ProtocolMappers returns the service of client clientUUID's protocol
// mappers.
func (s *ClientsService) ProtocolMappers(clientUUID string) *ProtocolMappersService {
	return &ProtocolMappersService{base: s.base, kind: "clients", ownerName: "clientUUID", owner: clientUUID}
}

// ScopeMappings returns the service of client clientUUID's role scope
// mappings.
func (s *ClientsService) ScopeMappings(clientUUID string) *ScopeMappingsService {
	return &ScopeMappingsService{mappings{base: s.base, kind: "clients", ownerName: "clientUUID", owner: clientUUID, suffix: "scope-mappings"}}
}
