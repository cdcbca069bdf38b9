package oidc

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"

	"github.com/kcgo/kc/internal/rest"
)

// Discovery is an OpenID Provider's configuration document
// (OpenID Connect Discovery 1.0 and RFC 8414).
type Discovery struct {
	Issuer                            string   `json:"issuer"`
	AuthorizationEndpoint             string   `json:"authorization_endpoint,omitempty"`
	TokenEndpoint                     string   `json:"token_endpoint,omitempty"`
	IntrospectionEndpoint             string   `json:"introspection_endpoint,omitempty"`
	UserInfoEndpoint                  string   `json:"userinfo_endpoint,omitempty"`
	EndSessionEndpoint                string   `json:"end_session_endpoint,omitempty"`
	JWKSURI                           string   `json:"jwks_uri,omitempty"`
	RevocationEndpoint                string   `json:"revocation_endpoint,omitempty"`
	DeviceAuthorizationEndpoint       string   `json:"device_authorization_endpoint,omitempty"`
	RegistrationEndpoint              string   `json:"registration_endpoint,omitempty"`
	PushedAuthorizationEndpoint       string   `json:"pushed_authorization_request_endpoint,omitempty"`
	GrantTypesSupported               []string `json:"grant_types_supported,omitempty"`
	ResponseTypesSupported            []string `json:"response_types_supported,omitempty"`
	ResponseModesSupported            []string `json:"response_modes_supported,omitempty"`
	ScopesSupported                   []string `json:"scopes_supported,omitempty"`
	ClaimsSupported                   []string `json:"claims_supported,omitempty"`
	CodeChallengeMethodsSupported     []string `json:"code_challenge_methods_supported,omitempty"`
	TokenEndpointAuthMethodsSupported []string `json:"token_endpoint_auth_methods_supported,omitempty"`
	IDTokenSigningAlgValuesSupported  []string `json:"id_token_signing_alg_values_supported,omitempty"`
	SubjectTypesSupported             []string `json:"subject_types_supported,omitempty"`
	BackchannelLogoutSupported        bool     `json:"backchannel_logout_supported,omitempty"`
	AuthorizationResponseIssParameter bool     `json:"authorization_response_iss_parameter_supported,omitempty"`

	// Raw is the whole document as the provider sent it.
	Raw json.RawMessage `json:"-"`
}

// ErrIssuerMismatch: the provider's discovery document names another
// issuer than the one the client was made for ([NewFromIssuer]; OpenID
// Connect Discovery §4.3), or an authorization response's iss parameter is
// not the provider's issuer (RFC 9207).
var ErrIssuerMismatch = errors.New("oidc: issuer mismatch")

// Discovery returns the realm's discovery document. It is fetched on the
// first call of any method that needs an endpoint, once: concurrent
// callers share one request, and later calls use the copy. A failed fetch
// is not kept; the next call tries again. The document is shared: do not
// change it.
//
// A client of [NewFromIssuer] fetches {issuer}/.well-known/openid-configuration
// and refuses a document whose issuer is not the one it was made for.
//
// Keycloak: GET /realms/{realm}/.well-known/openid-configuration
func (c *Client) Discovery(ctx context.Context) (*Discovery, error) {
	if d := c.disc.Load(); d != nil {
		return d, nil
	}
	return c.discFly.Do(ctx, func(ctx context.Context) (*Discovery, error) {
		if d := c.disc.Load(); d != nil {
			return d, nil
		}
		req := &rest.Request{Method: http.MethodGet}
		if c.issuer != "" {
			u, err := url.Parse(c.issuer)
			if err != nil {
				return nil, fmt.Errorf("oidc: issuer: %w", err)
			}
			req.URL = u.JoinPath(".well-known", "openid-configuration")
		} else {
			req.Path = []string{"realms", c.realm, ".well-known", "openid-configuration"}
		}
		var raw []byte
		if _, err := c.rest.Do(ctx, req, &raw); err != nil {
			return nil, err
		}
		d := new(Discovery)
		if err := json.Unmarshal(raw, d); err != nil {
			return nil, fmt.Errorf("oidc: decoding discovery document: %w", err)
		}
		if d.Issuer == "" {
			return nil, fmt.Errorf("oidc: discovery document has no issuer")
		}
		if c.issuer != "" && d.Issuer != c.issuer {
			return nil, fmt.Errorf("%w: the discovery document of %q names the issuer %q", ErrIssuerMismatch, c.issuer, d.Issuer)
		}
		d.Raw = raw
		c.disc.Store(d)
		return d, nil
	})
}

// endpoint returns the endpoint name picks from the discovery document,
// parsed; an error names the endpoint when the provider has none.
func (c *Client) endpoint(ctx context.Context, name string, pick func(*Discovery) string) (*url.URL, error) {
	d, err := c.Discovery(ctx)
	if err != nil {
		return nil, err
	}
	return parseEndpoint(name, pick(d))
}

func parseEndpoint(name, raw string) (*url.URL, error) {
	if raw == "" {
		return nil, fmt.Errorf("oidc: the provider has no %s", name)
	}
	u, err := url.Parse(raw)
	if err != nil || !u.IsAbs() || u.Host == "" {
		return nil, fmt.Errorf("oidc: the provider's %s %q is not an absolute URL", name, raw)
	}
	return u, nil
}
