package admin

import "context"

// AddExecutionTo adds execution e (e.ParentFlow, the parent flow's ID, is
// required; Authenticator, or AuthenticatorFlow and FlowID for a
// sub-flow) at the end of its flow and returns its ID. AddExecution,
// which takes the flow's alias, is the usual way.
//
// Keycloak: POST /admin/realms/{realm}/authentication/executions
func (s *AuthenticationService) AddExecutionTo(ctx context.Context, e *AuthenticationExecution) (string, error) {
	if err := need("realm", s.realm); err != nil {
		return "", err
	}
	if err := needBody("execution", e); err != nil {
		return "", err
	}
	if err := need("parent flow", e.ParentFlow); err != nil {
		return "", err
	}
	return s.c.create(ctx, s.path("executions"), e)
}

// CreateExecutionConfig gives execution executionID the new configuration
// cfg (cfg.Alias is required) and returns the configuration's ID.
//
// Keycloak: POST /admin/realms/{realm}/authentication/executions/{executionId}/config
func (s *AuthenticationService) CreateExecutionConfig(ctx context.Context, executionID string, cfg *AuthenticatorConfig) (string, error) {
	if err := need("realm", s.realm, "executionID", executionID); err != nil {
		return "", err
	}
	if err := needBody("config", cfg); err != nil {
		return "", err
	}
	if err := need("config alias", cfg.Alias); err != nil {
		return "", err
	}
	return s.c.create(ctx, s.path("executions", executionID, "config"), cfg)
}

// ExecutionConfig returns configuration configID of execution
// executionID. Keycloak deprecates this path for AuthenticatorConfig.
//
// Keycloak: GET /admin/realms/{realm}/authentication/executions/{executionId}/config/{id}
func (s *AuthenticationService) ExecutionConfig(ctx context.Context, executionID, configID string) (*AuthenticatorConfig, error) {
	if err := need("realm", s.realm, "executionID", executionID, "configID", configID); err != nil {
		return nil, err
	}
	return fetch[AuthenticatorConfig](ctx, s.c, "GET", s.path("executions", executionID, "config", configID), nil, nil)
}

// AuthenticatorConfig returns authenticator configuration configID (the
// AuthenticationConfig of an execution).
//
// Keycloak: GET /admin/realms/{realm}/authentication/config/{id}
func (s *AuthenticationService) AuthenticatorConfig(ctx context.Context, configID string) (*AuthenticatorConfig, error) {
	if err := need("realm", s.realm, "configID", configID); err != nil {
		return nil, err
	}
	return fetch[AuthenticatorConfig](ctx, s.c, "GET", s.path("config", configID), nil, nil)
}

// UpdateAuthenticatorConfig replaces authenticator configuration
// configID's alias and settings with cfg's.
//
// Keycloak: PUT /admin/realms/{realm}/authentication/config/{id}
func (s *AuthenticationService) UpdateAuthenticatorConfig(ctx context.Context, configID string, cfg *AuthenticatorConfig) error {
	if err := need("realm", s.realm, "configID", configID); err != nil {
		return err
	}
	if err := needBody("config", cfg); err != nil {
		return err
	}
	_, err := s.c.do(ctx, "PUT", s.path("config", configID), nil, cfg, nil)
	return err
}

// DeleteAuthenticatorConfig deletes authenticator configuration configID;
// its execution is left without one.
//
// Keycloak: DELETE /admin/realms/{realm}/authentication/config/{id}
func (s *AuthenticationService) DeleteAuthenticatorConfig(ctx context.Context, configID string) error {
	if err := need("realm", s.realm, "configID", configID); err != nil {
		return err
	}
	_, err := s.c.do(ctx, "DELETE", s.path("config", configID), nil, nil, nil)
	return err
}
