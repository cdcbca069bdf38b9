package oidc

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"

	"github.com/kcgo/kc"
	"github.com/kcgo/kc/internal/oauth"
	"github.com/kcgo/kc/internal/redact"
	"github.com/kcgo/kc/internal/rest"
)

// Grant types.
const (
	GrantPassword          = "password"
	GrantClientCredentials = "client_credentials"
	GrantAuthorizationCode = "authorization_code"
	GrantRefreshToken      = "refresh_token"
	GrantTokenExchange     = "urn:ietf:params:oauth:grant-type:token-exchange"
	GrantDeviceCode        = "urn:ietf:params:oauth:grant-type:device_code"
)

// Token types of token exchange (RFC 8693).
const (
	TokenTypeAccessToken  = "urn:ietf:params:oauth:token-type:access_token"
	TokenTypeRefreshToken = "urn:ietf:params:oauth:token-type:refresh_token"
	TokenTypeIDToken      = "urn:ietf:params:oauth:token-type:id_token"
)

// retry policy of a token request.
type retryPolicy int

const (
	retryNever retryPolicy = iota // a code, a device code, a rotating refresh token: single use
	retrySafe                     // a new grant: repeating it only makes another token
)

// tokenRequest posts form to the token endpoint with the client's
// authentication and decodes the token.
func (c *Client) tokenRequest(ctx context.Context, form url.Values, policy retryPolicy) (*kc.Token, error) {
	u, err := c.endpoint(ctx, "token endpoint", func(d *Discovery) string { return d.TokenEndpoint })
	if err != nil {
		return nil, err
	}
	req := &rest.Request{Method: http.MethodPost, URL: u, Form: form,
		Idempotent: policy == retrySafe, NoRetry: policy == retryNever}
	if err := c.authenticate(ctx, req); err != nil {
		return nil, err
	}
	var tr oauth.TokenResponse
	if _, err := c.rest.Do(ctx, req, &tr); err != nil {
		return nil, err
	}
	if tr.AccessToken == "" {
		return nil, fmt.Errorf("oidc: %s grant: the token endpoint answered without access_token", form.Get("grant_type"))
	}
	return tr.Token(c.now()), nil
}

// authenticate adds the client's credentials to a request to one of the
// token, introspection, revocation, logout or device endpoints.
func (c *Client) authenticate(ctx context.Context, req *rest.Request) error {
	switch c.cfg.method {
	case ClientSecretBasic:
		req.BasicUser, req.BasicPassword = c.clientID, c.cfg.secret
		return nil
	case ClientSecretPost:
		req.Form.Set("client_id", c.clientID)
		req.Form.Set("client_secret", c.cfg.secret)
		return nil
	case ClientSecretJWT, PrivateKeyJWT:
		d, err := c.Discovery(ctx)
		if err != nil {
			return err
		}
		a, err := c.assertion(d.Issuer)
		if err != nil {
			return err
		}
		req.Form.Set("client_id", c.clientID)
		req.Form.Set("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer")
		req.Form.Set("client_assertion", a)
		return nil
	}
	req.Form.Set("client_id", c.clientID)
	return nil
}

// Password asks for a token with the resource owner password credentials
// grant (Keycloak: "Direct access grants"). A wrong password is an
// *kc.APIError that satisfies errors.Is(err, kc.ErrInvalidGrant). Options:
// [Scope], [Param] (e.g. Param("totp", code)).
//
// Keycloak: POST /realms/{realm}/protocol/openid-connect/token
func (c *Client) Password(ctx context.Context, username, password string, opts ...CallOption) (*kc.Token, error) {
	if username == "" {
		return nil, errors.New("oidc: username is empty")
	}
	form, err := c.params(opts)
	if err != nil {
		return nil, err
	}
	form.Set("grant_type", GrantPassword)
	form.Set("username", username)
	form.Set("password", password)
	return c.tokenRequest(ctx, form, retrySafe)
}

// ClientCredentials asks for a token of the client's service account with
// the client credentials grant. Options: [Scope], [Param].
//
// Keycloak: POST /realms/{realm}/protocol/openid-connect/token
func (c *Client) ClientCredentials(ctx context.Context, opts ...CallOption) (*kc.Token, error) {
	form, err := c.params(opts)
	if err != nil {
		return nil, err
	}
	form.Set("grant_type", GrantClientCredentials)
	return c.tokenRequest(ctx, form, retrySafe)
}

// ExchangeCode trades an authorization code for tokens (authorization code
// grant). redirectURI must be the one of the authorization URL; verifier is
// the PKCE code verifier given to [PKCE], or "" when the URL had none. A
// code is single-use, so the request is never retried. Options: [Param].
//
// Keycloak: POST /realms/{realm}/protocol/openid-connect/token
func (c *Client) ExchangeCode(ctx context.Context, code, redirectURI, verifier string, opts ...CallOption) (*kc.Token, error) {
	if code == "" {
		return nil, errors.New("oidc: code is empty")
	}
	if err := checkRedirectURI(redirectURI); err != nil {
		return nil, err
	}
	if verifier != "" {
		if err := checkVerifier(verifier); err != nil {
			return nil, err
		}
	}
	form, err := c.params(append(opts[:len(opts):len(opts)], Scope()))
	if err != nil {
		return nil, err
	}
	form.Set("grant_type", GrantAuthorizationCode)
	form.Set("code", code)
	form.Set("redirect_uri", redirectURI)
	if verifier != "" {
		form.Set("code_verifier", verifier)
	}
	return c.tokenRequest(ctx, form, retryNever)
}

// Refresh trades a refresh token for new tokens. Keycloak answers an
// expired or revoked refresh token, or an ended session, with
// invalid_grant: errors.Is(err, kc.ErrInvalidGrant). The request is not
// retried (with refresh token rotation a refresh token is single-use).
// Options: [Scope] (to narrow the scopes), [Param]; the client's default
// scopes are not sent.
//
// Keycloak: POST /realms/{realm}/protocol/openid-connect/token
func (c *Client) Refresh(ctx context.Context, refreshToken string, opts ...CallOption) (*kc.Token, error) {
	if refreshToken == "" {
		return nil, errors.New("oidc: refreshToken is empty")
	}
	form, err := c.params(append([]CallOption{Scope()}, opts...))
	if err != nil {
		return nil, err
	}
	form.Set("grant_type", GrantRefreshToken)
	form.Set("refresh_token", refreshToken)
	return c.tokenRequest(ctx, form, retryNever)
}

// TokenExchange is a standard token exchange request (RFC 8693; Keycloak
// 26.2 and later, with "Standard token exchange" enabled on the client).
type TokenExchange struct {
	// SubjectToken is the token to exchange. Required.
	SubjectToken string
	// SubjectTokenType is its type; TokenTypeAccessToken when empty.
	SubjectTokenType string
	// Audiences are the clients the new token is meant for (repeatable
	// "audience" parameter).
	Audiences []string
	// RequestedTokenType is the type to get: TokenTypeAccessToken (the
	// default), TokenTypeRefreshToken or TokenTypeIDToken.
	RequestedTokenType string
	// Scopes narrows the scopes of the new token.
	Scopes []string
}

type plainTokenExchange TokenExchange

func (x TokenExchange) redacted() plainTokenExchange {
	p := plainTokenExchange(x)
	p.SubjectToken = redact.Secret(p.SubjectToken)
	return p
}

// Format prints x, with every verb, without its subject token.
func (x TokenExchange) Format(f fmt.State, verb rune) { redact.Format(f, verb, x.redacted()) }

// LogValue makes slog log x without its subject token.
func (x TokenExchange) LogValue() slog.Value { return slog.AnyValue(x.redacted()) }

// MarshalJSON encodes x without its subject token.
func (x TokenExchange) MarshalJSON() ([]byte, error) { return json.Marshal(x.redacted()) }

// ExchangeToken exchanges a token for another (RFC 8693). The type of the
// token returned is in its IssuedTokenType; an exchanged ID token comes
// in AccessToken with TokenType "N_A", as Keycloak sends it.
//
// Keycloak: POST /realms/{realm}/protocol/openid-connect/token
func (c *Client) ExchangeToken(ctx context.Context, x TokenExchange) (*kc.Token, error) {
	if x.SubjectToken == "" {
		return nil, errors.New("oidc: TokenExchange.SubjectToken is empty")
	}
	for _, a := range x.Audiences {
		if a == "" {
			return nil, errors.New("oidc: TokenExchange.Audiences has an empty audience")
		}
	}
	form, err := c.params([]CallOption{Scope(x.Scopes...)})
	if err != nil {
		return nil, fmt.Errorf("oidc: TokenExchange.Scopes: %w", err)
	}
	form.Set("grant_type", GrantTokenExchange)
	form.Set("subject_token", x.SubjectToken)
	form.Set("subject_token_type", cmpOr(x.SubjectTokenType, TokenTypeAccessToken))
	for _, a := range x.Audiences {
		form.Add("audience", a)
	}
	// RFC 8693 §2.1: without it the server picks the type; send the
	// documented default.
	form.Set("requested_token_type", cmpOr(x.RequestedTokenType, TokenTypeAccessToken))
	return c.tokenRequest(ctx, form, retrySafe)
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
