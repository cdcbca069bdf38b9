package admin

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"

	"github.com/kcgo/kc"
	"github.com/kcgo/kc/internal/redact"
	"github.com/kcgo/kc/internal/rest"
)

// The client registration service (/realms/{realm}/clients-registrations)
// lets an application register its own client. It is not authenticated
// with the admin client's token source: Register takes an initial access
// token ([ClientRegistrationService.CreateInitialAccess]), a user's or
// service account's access token granting create-client or
// manage-clients, or "" for an anonymous request (which the realm's
// anonymous client-registration policies, such as Trusted Hosts, must
// allow); the other calls take the registration access token Keycloak
// returned with the client. Keycloak rotates that token on every update:
// keep the one of the latest answer. Errors are *kc.APIError, with
// Keycloak's "error" and "error_description" (invalid_token,
// insufficient_scope, invalid_client_metadata).

// RegisteredClient is a client as the client registration service returns
// it, with its registration access token.
type RegisteredClient struct {
	Client                  ClientApp
	RegistrationAccessToken string
}

type plainRegisteredClient RegisteredClient

func (c RegisteredClient) redacted() plainRegisteredClient {
	p := plainRegisteredClient(c)
	p.Client.Secret = redact.Secret(p.Client.Secret)
	p.RegistrationAccessToken = redact.Secret(p.RegistrationAccessToken)
	return p
}

// Format prints c, with every verb, without its secret and token.
func (c RegisteredClient) Format(f fmt.State, verb rune) { redact.Format(f, verb, c.redacted()) }

// LogValue makes slog log c without its secret and token.
func (c RegisteredClient) LogValue() slog.Value { return slog.AnyValue(c.redacted()) }

// OIDCClientMetadata is OpenID Connect Dynamic Client Registration (RFC
// 7591) client metadata, as Keycloak's OIDCClientRepresentation holds it;
// members this struct does not declare are kept in Extra.
type OIDCClientMetadata struct {
	ClientID                string   `json:"client_id,omitempty"`
	ClientSecret            string   `json:"client_secret,omitempty"`
	ClientIDIssuedAt        int64    `json:"client_id_issued_at,omitempty"`
	ClientSecretExpiresAt   int64    `json:"client_secret_expires_at,omitempty"`
	RedirectURIs            []string `json:"redirect_uris,omitempty"`
	TokenEndpointAuthMethod string   `json:"token_endpoint_auth_method,omitempty"`
	GrantTypes              []string `json:"grant_types,omitempty"`
	ResponseTypes           []string `json:"response_types,omitempty"`
	ClientName              string   `json:"client_name,omitempty"`
	ClientURI               string   `json:"client_uri,omitempty"`
	LogoURI                 string   `json:"logo_uri,omitempty"`
	Scope                   string   `json:"scope,omitempty"`
	Contacts                []string `json:"contacts,omitempty"`
	TosURI                  string   `json:"tos_uri,omitempty"`
	PolicyURI               string   `json:"policy_uri,omitempty"`
	JWKSURI                 string   `json:"jwks_uri,omitempty"`
	SubjectType             string   `json:"subject_type,omitempty"`
	RegistrationClientURI   string   `json:"registration_client_uri,omitempty"`
	RegistrationAccessToken string   `json:"registration_access_token,omitempty"`

	Extra Extra `json:"-"`
}

type plainOIDCClientMetadata OIDCClientMetadata

// MarshalJSON encodes the metadata with its Extra members.
func (m OIDCClientMetadata) MarshalJSON() ([]byte, error) {
	return marshalWithExtra((*plainOIDCClientMetadata)(&m), m.Extra)
}

// UnmarshalJSON decodes the metadata and keeps unknown members in Extra.
func (m *OIDCClientMetadata) UnmarshalJSON(b []byte) error {
	return decodeInto(b, (*plainOIDCClientMetadata)(m), &m.Extra)
}

func (m OIDCClientMetadata) redacted() plainOIDCClientMetadata {
	p := plainOIDCClientMetadata(m)
	p.ClientSecret = redact.Secret(p.ClientSecret)
	p.RegistrationAccessToken = redact.Secret(p.RegistrationAccessToken)
	return p
}

// Format prints m, with every verb, without its secret and token.
func (m OIDCClientMetadata) Format(f fmt.State, verb rune) { redact.Format(f, verb, m.redacted()) }

// LogValue makes slog log m without its secret and token.
func (m OIDCClientMetadata) LogValue() slog.Value { return slog.AnyValue(m.redacted()) }

// regPath returns /realms/{realm}/clients-registrations/{provider}/segs...
func (s *ClientRegistrationService) regPath(provider string, segs ...string) []string {
	return append([]string{"realms", s.realm, "clients-registrations", provider}, segs...)
}

// regSend sends one request of the client registration service with token
// as the bearer ("" for none).
func (s *ClientRegistrationService) regSend(ctx context.Context, method, token string, path []string, body, out any) error {
	req := &rest.Request{Method: method, Path: path, JSON: body}
	if token != "" {
		req.Auth = kc.StaticAccessToken(token)
	}
	_, err := s.c.rest.Do(ctx, req, out)
	return err
}

// registered decodes a ClientRepresentation with registrationAccessToken.
func registered(raw json.RawMessage) (*RegisteredClient, error) {
	var c ClientApp
	if err := json.Unmarshal(raw, &c); err != nil {
		return nil, fmt.Errorf("admin: decoding the registered client: %w", err)
	}
	out := &RegisteredClient{Client: c}
	if t, ok := c.Extra["registrationAccessToken"]; ok {
		_ = json.Unmarshal(t, &out.RegistrationAccessToken)
		delete(out.Client.Extra, "registrationAccessToken")
	}
	return out, nil
}

// Register registers a client with the "default" provider (a client
// representation). token is an initial access token, an access token
// granting create-client or manage-clients, or "" (anonymous).
//
// Keycloak: POST /realms/{realm}/clients-registrations/default
func (s *ClientRegistrationService) Register(ctx context.Context, token string, c *ClientApp) (*RegisteredClient, error) {
	if err := need("realm", s.realm); err != nil {
		return nil, err
	}
	if err := needBody("client", c); err != nil {
		return nil, err
	}
	var raw json.RawMessage
	if err := s.regSend(ctx, "POST", token, s.regPath("default"), c, &raw); err != nil {
		return nil, err
	}
	return registered(raw)
}

// Registered returns the client clientID (its client ID, not its UUID),
// read with its registration access token (or an admin's access token).
//
// Keycloak: GET /realms/{realm}/clients-registrations/default/{client-id}
func (s *ClientRegistrationService) Registered(ctx context.Context, registrationToken, clientID string) (*RegisteredClient, error) {
	if err := need("realm", s.realm, "registrationToken", registrationToken, "clientID", clientID); err != nil {
		return nil, err
	}
	var raw json.RawMessage
	if err := s.regSend(ctx, "GET", registrationToken, s.regPath("default", clientID), nil, &raw); err != nil {
		return nil, err
	}
	return registered(raw)
}

// UpdateRegistered updates the client clientID; c.ClientID must be
// clientID. The answer carries the new registration access token.
//
// Keycloak: PUT /realms/{realm}/clients-registrations/default/{client-id}
func (s *ClientRegistrationService) UpdateRegistered(ctx context.Context, registrationToken, clientID string, c *ClientApp) (*RegisteredClient, error) {
	if err := need("realm", s.realm, "registrationToken", registrationToken, "clientID", clientID); err != nil {
		return nil, err
	}
	if err := needBody("client", c); err != nil {
		return nil, err
	}
	var raw json.RawMessage
	if err := s.regSend(ctx, "PUT", registrationToken, s.regPath("default", clientID), c, &raw); err != nil {
		return nil, err
	}
	return registered(raw)
}

// DeleteRegistered deletes the client clientID.
//
// Keycloak: DELETE /realms/{realm}/clients-registrations/default/{client-id}
func (s *ClientRegistrationService) DeleteRegistered(ctx context.Context, registrationToken, clientID string) error {
	if err := need("realm", s.realm, "registrationToken", registrationToken, "clientID", clientID); err != nil {
		return err
	}
	return s.regSend(ctx, "DELETE", registrationToken, s.regPath("default", clientID), nil, nil)
}

// RegisterOIDC registers a client from OpenID Connect client metadata;
// Keycloak picks the client ID (md.ClientID must be empty). token is as
// for Register.
//
// Keycloak: POST /realms/{realm}/clients-registrations/openid-connect
func (s *ClientRegistrationService) RegisterOIDC(ctx context.Context, token string, md *OIDCClientMetadata) (*OIDCClientMetadata, error) {
	if err := need("realm", s.realm); err != nil {
		return nil, err
	}
	if err := needBody("metadata", md); err != nil {
		return nil, err
	}
	var out OIDCClientMetadata
	if err := s.regSend(ctx, "POST", token, s.regPath("openid-connect"), md, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// RegisteredOIDC returns the metadata of the client clientID.
//
// Keycloak: GET /realms/{realm}/clients-registrations/openid-connect/{client-id}
func (s *ClientRegistrationService) RegisteredOIDC(ctx context.Context, registrationToken, clientID string) (*OIDCClientMetadata, error) {
	if err := need("realm", s.realm, "registrationToken", registrationToken, "clientID", clientID); err != nil {
		return nil, err
	}
	var out OIDCClientMetadata
	if err := s.regSend(ctx, "GET", registrationToken, s.regPath("openid-connect", clientID), nil, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// UpdateRegisteredOIDC updates the metadata of the client clientID. The
// answer carries the new registration access token.
//
// Keycloak: PUT /realms/{realm}/clients-registrations/openid-connect/{client-id}
func (s *ClientRegistrationService) UpdateRegisteredOIDC(ctx context.Context, registrationToken, clientID string, md *OIDCClientMetadata) (*OIDCClientMetadata, error) {
	if err := need("realm", s.realm, "registrationToken", registrationToken, "clientID", clientID); err != nil {
		return nil, err
	}
	if err := needBody("metadata", md); err != nil {
		return nil, err
	}
	var out OIDCClientMetadata
	if err := s.regSend(ctx, "PUT", registrationToken, s.regPath("openid-connect", clientID), md, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// DeleteRegisteredOIDC deletes the client clientID.
//
// Keycloak: DELETE /realms/{realm}/clients-registrations/openid-connect/{client-id}
func (s *ClientRegistrationService) DeleteRegisteredOIDC(ctx context.Context, registrationToken, clientID string) error {
	if err := need("realm", s.realm, "registrationToken", registrationToken, "clientID", clientID); err != nil {
		return err
	}
	return s.regSend(ctx, "DELETE", registrationToken, s.regPath("openid-connect", clientID), nil, nil)
}

// AdapterConfiguration returns the client's adapter configuration (its
// keycloak.json: realm, auth-server-url, resource, credentials, ...) from
// the "install" provider. token is the client's registration access
// token or an admin's access token; "" works for a public client.
//
// Keycloak: GET /realms/{realm}/clients-registrations/install/{client-id}
func (s *ClientRegistrationService) AdapterConfiguration(ctx context.Context, token, clientID string) (map[string]any, error) {
	if err := need("realm", s.realm, "clientID", clientID); err != nil {
		return nil, err
	}
	out := map[string]any{}
	if err := s.regSend(ctx, "GET", token, s.regPath("install", clientID), nil, &out); err != nil {
		return nil, err
	}
	return out, nil
}
