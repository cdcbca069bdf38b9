package admin

import (
	"context"
	"encoding/json"
)

// ConfigProperty is a ConfigPropertyRepresentation: one setting a
// provider takes, as the admin console renders it.
type ConfigProperty struct {
	Name     string `json:"name,omitempty"`
	Label    string `json:"label,omitempty"`
	HelpText string `json:"helpText,omitempty"`
	// Type is the console's widget: "String", "boolean", "List", "Role",
	// "Password", "MultivaluedString", ...
	Type string `json:"type,omitempty"`
	// DefaultValue is the default as Keycloak sends it: a string, a
	// number, a boolean or a list.
	DefaultValue json.RawMessage `json:"defaultValue,omitempty"`
	Options      []string        `json:"options,omitempty"`
	Secret       bool            `json:"secret,omitempty"`
	Required     bool            `json:"required,omitempty"`
	ReadOnly     bool            `json:"readOnly,omitempty"`
}

// AuthenticatorConfigInfo is an AuthenticatorConfigInfoRepresentation:
// what an authenticator's configuration holds.
type AuthenticatorConfigInfo struct {
	ProviderID string           `json:"providerId,omitempty"`
	Name       string           `json:"name,omitempty"`
	HelpText   string           `json:"helpText,omitempty"`
	Properties []ConfigProperty `json:"properties,omitempty"`
}

// RequiredActionConfig is a RequiredActionConfigRepresentation.
type RequiredActionConfig struct {
	Config map[string]string `json:"config"`
}

// AuthenticatorConfigDescription describes the configuration of the
// authenticator, client authenticator, form or form action providerID.
//
// Keycloak: GET /admin/realms/{realm}/authentication/config-description/{providerId}
func (s *AuthenticationService) AuthenticatorConfigDescription(ctx context.Context, providerID string) (*AuthenticatorConfigInfo, error) {
	if err := need("realm", s.realm, "providerID", providerID); err != nil {
		return nil, err
	}
	return fetch[AuthenticatorConfigInfo](ctx, s.c, "GET", s.path("config-description", providerID), nil, nil)
}

// PerClientConfigDescription returns, per client authenticator, the
// settings it keeps on each client.
//
// Keycloak: GET /admin/realms/{realm}/authentication/per-client-config-description
func (s *AuthenticationService) PerClientConfigDescription(ctx context.Context) (map[string][]ConfigProperty, error) {
	if err := need("realm", s.realm); err != nil {
		return nil, err
	}
	var out map[string][]ConfigProperty
	_, err := s.c.do(ctx, "GET", s.path("per-client-config-description"), nil, nil, &out)
	return out, err
}

// RequiredActionConfigDescription describes the configuration of required
// action alias; Keycloak answers 404 for one that is not configurable.
//
// Keycloak: GET /admin/realms/{realm}/authentication/required-actions/{alias}/config-description
func (s *AuthenticationService) RequiredActionConfigDescription(ctx context.Context, alias string) ([]ConfigProperty, error) {
	if err := need("realm", s.realm, "alias", alias); err != nil {
		return nil, err
	}
	var out struct {
		Properties []ConfigProperty `json:"properties"`
	}
	_, err := s.c.do(ctx, "GET", s.path("required-actions", alias, "config-description"), nil, nil, &out)
	return out.Properties, err
}

// RequiredActionConfig returns the configuration of required action
// alias; Keycloak answers 400 for one that is not configurable.
//
// Keycloak: GET /admin/realms/{realm}/authentication/required-actions/{alias}/config
func (s *AuthenticationService) RequiredActionConfig(ctx context.Context, alias string) (map[string]string, error) {
	if err := need("realm", s.realm, "alias", alias); err != nil {
		return nil, err
	}
	var out RequiredActionConfig
	if _, err := s.c.do(ctx, "GET", s.path("required-actions", alias, "config"), nil, nil, &out); err != nil {
		return nil, err
	}
	return out.Config, nil
}

// SetRequiredActionConfig replaces the configuration of required action
// alias; Keycloak drops the entries whose value is empty.
//
// Keycloak: PUT /admin/realms/{realm}/authentication/required-actions/{alias}/config
func (s *AuthenticationService) SetRequiredActionConfig(ctx context.Context, alias string, config map[string]string) error {
	if err := need("realm", s.realm, "alias", alias); err != nil {
		return err
	}
	if config == nil {
		config = map[string]string{}
	}
	_, err := s.c.do(ctx, "PUT", s.path("required-actions", alias, "config"), nil, RequiredActionConfig{Config: config}, nil)
	return err
}

// DeleteRequiredActionConfig removes the configuration of required action
// alias, so that its defaults apply.
//
// Keycloak: DELETE /admin/realms/{realm}/authentication/required-actions/{alias}/config
func (s *AuthenticationService) DeleteRequiredActionConfig(ctx context.Context, alias string) error {
	if err := need("realm", s.realm, "alias", alias); err != nil {
		return err
	}
	_, err := s.c.do(ctx, "DELETE", s.path("required-actions", alias, "config"), nil, nil, nil)
	return err
}
