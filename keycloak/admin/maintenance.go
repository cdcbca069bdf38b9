package admin

import "context"

// GlobalRequestResult is Keycloak's answer to a push to the clients' admin
// URLs or cluster nodes: which were reached and which were not.
type GlobalRequestResult struct {
	SuccessRequests []string `json:"successRequests,omitempty"`
	FailedRequests  []string `json:"failedRequests,omitempty"`
}

func (s *RealmsService) post(ctx context.Context, name, op string) error {
	if err := need("realm", name); err != nil {
		return err
	}
	_, err := s.c.do(ctx, "POST", []string{"admin", "realms", name, op}, nil, nil, nil)
	return err
}

// ClearRealmCache clears the server's realm cache for realm name.
//
// Keycloak: POST /admin/realms/{realm}/clear-realm-cache
func (s *RealmsService) ClearRealmCache(ctx context.Context, name string) error {
	return s.post(ctx, name, "clear-realm-cache")
}

// ClearUserCache clears the server's user cache for realm name.
//
// Keycloak: POST /admin/realms/{realm}/clear-user-cache
func (s *RealmsService) ClearUserCache(ctx context.Context, name string) error {
	return s.post(ctx, name, "clear-user-cache")
}

// ClearKeysCache clears the server's cache of external public keys (the
// clients' and identity providers' JWKS).
//
// Keycloak: POST /admin/realms/{realm}/clear-keys-cache
func (s *RealmsService) ClearKeysCache(ctx context.Context, name string) error {
	return s.post(ctx, name, "clear-keys-cache")
}

// ClearCRLCache clears the server's cache of certificate revocation lists.
//
// Keycloak: POST /admin/realms/{realm}/clear-crl-cache
func (s *RealmsService) ClearCRLCache(ctx context.Context, name string) error {
	return s.post(ctx, name, "clear-crl-cache")
}

// PushRevocation pushes the realm's not-before time to every client that
// has an admin URL.
//
// Keycloak: POST /admin/realms/{realm}/push-revocation
func (s *RealmsService) PushRevocation(ctx context.Context, name string) (*GlobalRequestResult, error) {
	if err := need("realm", name); err != nil {
		return nil, err
	}
	return fetch[GlobalRequestResult](ctx, s.c, "POST", []string{"admin", "realms", name, "push-revocation"}, nil, nil)
}

// CredentialRegistrators returns the enabled required actions that
// register a credential (CONFIGURE_TOTP, webauthn-register, ...).
//
// Keycloak: GET /admin/realms/{realm}/credential-registrators
func (s *RealmsService) CredentialRegistrators(ctx context.Context, name string) ([]string, error) {
	if err := need("realm", name); err != nil {
		return nil, err
	}
	var out []string
	_, err := s.c.do(ctx, "GET", []string{"admin", "realms", name, "credential-registrators"}, nil, nil, &out)
	return out, err
}

// PushRevocation pushes the realm's not-before time to client uuid's admin
// URL.
//
// Keycloak: POST /admin/realms/{realm}/clients/{client-uuid}/push-revocation
func (s *ClientsService) PushRevocation(ctx context.Context, uuid string) (*GlobalRequestResult, error) {
	if err := need("realm", s.realm, "uuid", uuid); err != nil {
		return nil, err
	}
	return fetch[GlobalRequestResult](ctx, s.c, "POST", s.path("clients", uuid, "push-revocation"), nil, nil)
}

// RegisterNode registers cluster node host of client uuid, as a Keycloak
// adapter does on start.
//
// Keycloak: POST /admin/realms/{realm}/clients/{client-uuid}/nodes
func (s *ClientsService) RegisterNode(ctx context.Context, uuid, host string) error {
	if err := need("realm", s.realm, "uuid", uuid, "host", host); err != nil {
		return err
	}
	_, err := s.c.do(ctx, "POST", s.path("clients", uuid, "nodes"), nil, map[string]string{"node": host}, nil)
	return err
}

// UnregisterNode unregisters cluster node host of client uuid.
//
// Keycloak: DELETE /admin/realms/{realm}/clients/{client-uuid}/nodes/{node}
func (s *ClientsService) UnregisterNode(ctx context.Context, uuid, host string) error {
	if err := need("realm", s.realm, "uuid", uuid, "host", host); err != nil {
		return err
	}
	_, err := s.c.do(ctx, "DELETE", s.path("clients", uuid, "nodes", host), nil, nil, nil)
	return err
}

// TestNodesAvailable asks the server to call every registered cluster node
// of client uuid.
//
// Keycloak: GET /admin/realms/{realm}/clients/{client-uuid}/test-nodes-available
func (s *ClientsService) TestNodesAvailable(ctx context.Context, uuid string) (*GlobalRequestResult, error) {
	if err := need("realm", s.realm, "uuid", uuid); err != nil {
		return nil, err
	}
	return fetch[GlobalRequestResult](ctx, s.c, "GET", s.path("clients", uuid, "test-nodes-available"), nil, nil)
}

// RegenerateRegistrationAccessToken issues a new registration access token
// for client uuid (the credential of the client registration API) and
// returns it.
//
// Keycloak: POST /admin/realms/{realm}/clients/{client-uuid}/registration-access-token
func (s *ClientsService) RegenerateRegistrationAccessToken(ctx context.Context, uuid string) (string, error) {
	if err := need("realm", s.realm, "uuid", uuid); err != nil {
		return "", err
	}
	var out struct {
		Token string `json:"registrationAccessToken"`
	}
	_, err := s.c.do(ctx, "POST", s.path("clients", uuid, "registration-access-token"), nil, nil, &out)
	return out.Token, err
}
