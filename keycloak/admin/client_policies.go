package admin

import (
	"context"
	"encoding/json"
	"net/url"

	"github.com/kcgo/kc/internal/rest"
)

// ClientPoliciesService manages a realm's client policies, client
// profiles and client types: the rules Keycloak applies to clients as they
// are registered, updated and used.
type ClientPoliciesService struct{ base }

// ClientPolicies is a ClientPoliciesRepresentation: the realm's policies
// and, when asked for, the global (built-in) ones.
type ClientPolicies struct {
	Policies       []ClientPolicy `json:"policies"`
	GlobalPolicies []ClientPolicy `json:"globalPolicies,omitempty"`
}

// ClientPolicy applies its Profiles to the clients its Conditions match.
type ClientPolicy struct {
	Name        string                  `json:"name"`
	Description string                  `json:"description,omitempty"`
	Enabled     bool                    `json:"enabled"`
	Conditions  []ClientPolicyCondition `json:"conditions,omitempty"`
	Profiles    []string                `json:"profiles,omitempty"`
}

// ClientPolicyCondition is one condition of a policy: its provider
// ("client-roles", "client-updater-source-host", ...) and configuration.
type ClientPolicyCondition struct {
	Condition     string          `json:"condition"`
	Configuration json.RawMessage `json:"configuration,omitempty"`
}

// ClientProfiles is a ClientProfilesRepresentation.
type ClientProfiles struct {
	Profiles       []ClientProfile `json:"profiles"`
	GlobalProfiles []ClientProfile `json:"globalProfiles,omitempty"`
}

// ClientProfile is a named set of executors ("pkce-enforcer",
// "secure-client-authenticator", ...).
type ClientProfile struct {
	Name        string                  `json:"name"`
	Description string                  `json:"description,omitempty"`
	Executors   []ClientProfileExecutor `json:"executors,omitempty"`
}

// ClientProfileExecutor is one executor of a profile.
type ClientProfileExecutor struct {
	Executor      string          `json:"executor"`
	Configuration json.RawMessage `json:"configuration,omitempty"`
}

// ClientTypes is a ClientTypesRepresentation: the realm's client types and
// the global ones.
type ClientTypes struct {
	ClientTypes       []ClientType `json:"client-types"`
	GlobalClientTypes []ClientType `json:"global-client-types,omitempty"`
}

// ClientType presets and locks client fields ("sla", "service-account").
type ClientType struct {
	Name     string                     `json:"name"`
	Provider string                     `json:"provider"`
	Parent   string                     `json:"parent,omitempty"`
	Config   map[string]json.RawMessage `json:"config,omitempty"`
}

// Policies returns the realm's client policies, and the global ones when
// includeGlobal is true.
//
// Keycloak: GET /admin/realms/{realm}/client-policies/policies
func (s *ClientPoliciesService) Policies(ctx context.Context, includeGlobal bool) (*ClientPolicies, error) {
	if err := need("realm", s.realm); err != nil {
		return nil, err
	}
	return fetch[ClientPolicies](ctx, s.c, "GET", s.path("client-policies", "policies"), includeParam("include-global-policies", includeGlobal), nil)
}

// UpdatePolicies replaces the realm's client policies with p.Policies.
//
// Keycloak: PUT /admin/realms/{realm}/client-policies/policies
func (s *ClientPoliciesService) UpdatePolicies(ctx context.Context, p *ClientPolicies) error {
	if err := need("realm", s.realm); err != nil {
		return err
	}
	if err := needBody("policies", p); err != nil {
		return err
	}
	body := ClientPolicies{Policies: p.Policies}
	if body.Policies == nil {
		body.Policies = []ClientPolicy{}
	}
	_, err := s.c.do(ctx, "PUT", s.path("client-policies", "policies"), nil, body, nil)
	return err
}

// Profiles returns the realm's client profiles, and the global ones when
// includeGlobal is true.
//
// Keycloak: GET /admin/realms/{realm}/client-policies/profiles
func (s *ClientPoliciesService) Profiles(ctx context.Context, includeGlobal bool) (*ClientProfiles, error) {
	if err := need("realm", s.realm); err != nil {
		return nil, err
	}
	return fetch[ClientProfiles](ctx, s.c, "GET", s.path("client-policies", "profiles"), includeParam("include-global-profiles", includeGlobal), nil)
}

// UpdateProfiles replaces the realm's client profiles with p.Profiles.
//
// Keycloak: PUT /admin/realms/{realm}/client-policies/profiles
func (s *ClientPoliciesService) UpdateProfiles(ctx context.Context, p *ClientProfiles) error {
	if err := need("realm", s.realm); err != nil {
		return err
	}
	if err := needBody("profiles", p); err != nil {
		return err
	}
	body := ClientProfiles{Profiles: p.Profiles}
	if body.Profiles == nil {
		body.Profiles = []ClientProfile{}
	}
	_, err := s.c.do(ctx, "PUT", s.path("client-policies", "profiles"), nil, body, nil)
	return err
}

// ClientTypes returns the realm's client types and the global ones.
//
// Keycloak: GET /admin/realms/{realm}/client-types
func (s *ClientPoliciesService) ClientTypes(ctx context.Context) (*ClientTypes, error) {
	if err := need("realm", s.realm); err != nil {
		return nil, err
	}
	return fetch[ClientTypes](ctx, s.c, "GET", s.path("client-types"), nil, nil)
}

// UpdateClientTypes replaces the realm's client types with
// t.ClientTypes; a type may not take the name of a global one.
//
// Keycloak: PUT /admin/realms/{realm}/client-types
func (s *ClientPoliciesService) UpdateClientTypes(ctx context.Context, t *ClientTypes) error {
	if err := need("realm", s.realm); err != nil {
		return err
	}
	if err := needBody("client types", t); err != nil {
		return err
	}
	body := ClientTypes{ClientTypes: t.ClientTypes}
	if body.ClientTypes == nil {
		body.ClientTypes = []ClientType{}
	}
	_, err := s.c.do(ctx, "PUT", s.path("client-types"), nil, body, nil)
	return err
}

func includeParam(name string, v bool) url.Values {
	if !v {
		return nil
	}
	return url.Values{name: {"true"}}
}

// ClientRegistrationService manages what client registration needs from
// the Admin REST API: initial access tokens, the registration policy
// providers, and the conversion of a client description.
type ClientRegistrationService struct{ base }

// InitialAccess is a ClientInitialAccessPresentation. Token is set only in
// the answer of CreateInitialAccess, and is redacted when printed.
type InitialAccess struct {
	ID             string `json:"id,omitempty"`
	Token          string `json:"token,omitempty"`
	Timestamp      int64  `json:"timestamp,omitempty"` // seconds since the epoch
	Expiration     int    `json:"expiration"`          // seconds; 0: never
	Count          int    `json:"count"`
	RemainingCount int    `json:"remainingCount"`
}

// InitialAccessTokens lists the realm's unexpired initial access tokens
// (without their token).
//
// Keycloak: GET /admin/realms/{realm}/clients-initial-access
func (s *ClientRegistrationService) InitialAccessTokens(ctx context.Context) ([]InitialAccess, error) {
	if err := need("realm", s.realm); err != nil {
		return nil, err
	}
	var out []InitialAccess
	_, err := s.c.do(ctx, "GET", s.path("clients-initial-access"), nil, nil, &out)
	return out, err
}

// CreateInitialAccess creates an initial access token that registers up to
// count clients (Keycloak's default when count is 0: 1) and expires after
// expiration seconds (0: never). The answer holds the token.
//
// Keycloak: POST /admin/realms/{realm}/clients-initial-access
func (s *ClientRegistrationService) CreateInitialAccess(ctx context.Context, expiration, count int) (*InitialAccess, error) {
	if err := need("realm", s.realm); err != nil {
		return nil, err
	}
	body := map[string]int{"expiration": expiration}
	if count != 0 {
		body["count"] = count
	}
	var out InitialAccess
	_, err := s.c.send(ctx, &rest.Request{Method: "POST", Path: s.path("clients-initial-access"), JSON: body}, &out)
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// DeleteInitialAccess deletes initial access token id.
//
// Keycloak: DELETE /admin/realms/{realm}/clients-initial-access/{id}
func (s *ClientRegistrationService) DeleteInitialAccess(ctx context.Context, id string) error {
	if err := need("realm", s.realm, "id", id); err != nil {
		return err
	}
	_, err := s.c.do(ctx, "DELETE", s.path("clients-initial-access", id), nil, nil, nil)
	return err
}

// ComponentType is a ComponentTypeRepresentation: a provider a component
// can be created from, with its configuration properties.
type ComponentType struct {
	ID         string            `json:"id"`
	HelpText   string            `json:"helpText,omitempty"`
	Properties []json.RawMessage `json:"properties,omitempty"`
	Metadata   json.RawMessage   `json:"metadata,omitempty"`
}

// PolicyProviders lists the client-registration policy providers.
//
// Keycloak: GET /admin/realms/{realm}/client-registration-policy/providers
func (s *ClientRegistrationService) PolicyProviders(ctx context.Context) ([]ComponentType, error) {
	if err := need("realm", s.realm); err != nil {
		return nil, err
	}
	var out []ComponentType
	_, err := s.c.do(ctx, "GET", s.path("client-registration-policy", "providers"), nil, nil, &out)
	return out, err
}

// ConvertDescription turns a client description (OpenID Connect client
// metadata as JSON, RFC 7591) into a client representation, without
// creating anything.
//
// Keycloak: POST /admin/realms/{realm}/client-description-converter
func (s *ClientRegistrationService) ConvertDescription(ctx context.Context, description []byte) (*ClientApp, error) {
	if err := need("realm", s.realm, "description", string(description)); err != nil {
		return nil, err
	}
	var out ClientApp
	_, err := s.c.send(ctx, &rest.Request{Method: "POST", Path: s.path("client-description-converter"),
		Body: description, ContentType: "application/json"}, &out)
	if err != nil {
		return nil, err
	}
	return &out, nil
}
