package oidc

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/kcgo/kc"
	"github.com/kcgo/kc/internal/redact"
	"github.com/kcgo/kc/internal/rest"
)

// TokenTypeHint tells introspection and revocation what kind of token they
// are given (RFC 7662, RFC 7009).
type TokenTypeHint string

// Token type hints.
const (
	HintNone                 TokenTypeHint = ""
	HintAccessToken          TokenTypeHint = "access_token"
	HintRefreshToken         TokenTypeHint = "refresh_token"
	HintRequestingPartyToken TokenTypeHint = "requesting_party_token" // Keycloak: an RPT, for introspection
)

// UserInfo is the answer of the UserInfo endpoint: standard claims typed,
// all claims in Raw.
type UserInfo struct {
	Subject           string   `json:"sub"`
	PreferredUsername string   `json:"preferred_username,omitempty"`
	Email             string   `json:"email,omitempty"`
	EmailVerified     bool     `json:"email_verified,omitempty"`
	Name              string   `json:"name,omitempty"`
	GivenName         string   `json:"given_name,omitempty"`
	FamilyName        string   `json:"family_name,omitempty"`
	Groups            []string `json:"groups,omitempty"`

	// Raw is the answer as the provider sent it.
	Raw json.RawMessage `json:"-"`
}

// Decode decodes the raw claims into v.
func (u *UserInfo) Decode(v any) error { return json.Unmarshal(u.Raw, v) }

// UserInfo returns the claims about the user of accessToken, which must
// hold the openid scope. A signed answer (application/jwt) is verified
// with the realm's keys (signature and issuer) before it is decoded. Keycloak 19.0.2 and later send errors in the
// WWW-Authenticate header; they come back as an *kc.APIError whose
// ErrorCode is "invalid_token" (401) or "insufficient_scope" (403).
//
// Keycloak: GET /realms/{realm}/protocol/openid-connect/userinfo
func (c *Client) UserInfo(ctx context.Context, accessToken string) (*UserInfo, error) {
	if accessToken == "" {
		return nil, errors.New("oidc: accessToken is empty")
	}
	u, err := c.endpoint(ctx, "userinfo endpoint", func(d *Discovery) string { return d.UserInfoEndpoint })
	if err != nil {
		return nil, err
	}
	var raw []byte
	resp, err := c.rest.Do(ctx, &rest.Request{Method: http.MethodGet, URL: u,
		Auth: kc.StaticAccessToken(accessToken)}, &raw)
	if err != nil {
		return nil, err
	}
	if ct := resp.Header.Get("Content-Type"); strings.HasPrefix(ct, "application/jwt") {
		// Signed userinfo (client attribute user.info.response.signature.alg):
		// verify it with the realm's keys.
		v, err := c.userInfoVerifier()
		if err != nil {
			return nil, err
		}
		claims, err := v.Verify(ctx, strings.TrimSpace(string(raw)))
		if err != nil {
			return nil, fmt.Errorf("oidc: signed userinfo: %w", err)
		}
		raw = claims.Raw
	}
	info := new(UserInfo)
	if err := json.Unmarshal(raw, info); err != nil {
		return nil, fmt.Errorf("oidc: decoding userinfo: %w", err)
	}
	info.Raw = raw
	return info, nil
}

// Introspection is the answer of the introspection endpoint (RFC 7662).
// An inactive token has Active false and nothing else.
type Introspection struct {
	Active    bool   `json:"active"`
	ClientID  string `json:"client_id,omitempty"`
	Username  string `json:"username,omitempty"`
	TokenType string `json:"token_type,omitempty"`
	// Permissions of an RPT.
	Permissions []kc.GrantedPermission `json:"permissions,omitempty"`
	// Claims are the token's claims; Raw holds the whole answer.
	Claims
}

// Introspect asks the provider whether token is active, and for its
// claims (RFC 7662). hint may be empty. Keycloak needs a confidential
// client; an inactive, expired or unknown token is not an error: it comes
// back with Active false.
//
// Keycloak: POST /realms/{realm}/protocol/openid-connect/token/introspect
func (c *Client) Introspect(ctx context.Context, token string, hint TokenTypeHint) (*Introspection, error) {
	if token == "" {
		return nil, errors.New("oidc: token is empty")
	}
	u, err := c.endpoint(ctx, "introspection endpoint", func(d *Discovery) string { return d.IntrospectionEndpoint })
	if err != nil {
		return nil, err
	}
	form := url.Values{"token": {token}}
	if hint != "" {
		form.Set("token_type_hint", string(hint))
	}
	req := &rest.Request{Method: http.MethodPost, URL: u, Form: form, Idempotent: true}
	if err := c.authenticate(ctx, req); err != nil {
		return nil, err
	}
	var raw []byte
	if _, err := c.rest.Do(ctx, req, &raw); err != nil {
		return nil, err
	}
	in := new(Introspection)
	if err := json.Unmarshal(raw, in); err != nil {
		return nil, fmt.Errorf("oidc: decoding introspection: %w", err)
	}
	in.Raw = raw
	return in, nil
}

// Revoke revokes token (RFC 7009): a refresh token ends the client's
// session, an access token is blocklisted. hint may be empty.
//
// As RFC 7009 §2.2 says, revoking a token that is already invalid
// succeeds: Keycloak answers it with 200 and an "invalid_token" body,
// which Revoke treats as success (the token is unusable either way).
// Another client's token is an error (400 invalid_request).
//
// Keycloak: POST /realms/{realm}/protocol/openid-connect/revoke
func (c *Client) Revoke(ctx context.Context, token string, hint TokenTypeHint) error {
	if token == "" {
		return errors.New("oidc: token is empty")
	}
	u, err := c.endpoint(ctx, "revocation endpoint", func(d *Discovery) string { return d.RevocationEndpoint })
	if err != nil {
		return err
	}
	form := url.Values{"token": {token}}
	if hint != "" {
		form.Set("token_type_hint", string(hint))
	}
	req := &rest.Request{Method: http.MethodPost, URL: u, Form: form, Idempotent: true}
	if err := c.authenticate(ctx, req); err != nil {
		return err
	}
	_, err = c.rest.Do(ctx, req, nil)
	return err
}

// Logout ends the user session of refreshToken (back-channel logout):
// Keycloak answers 204. Only 204, or 200 with an empty body, is success:
// a provider that answers with a page or a redirect (which is not
// followed) has logged nobody out, and Logout returns an error; send the
// browser to [Client.EndSessionURL] there. An invalid or expired refresh
// token is an *kc.APIError that satisfies errors.Is(err, kc.ErrInvalidGrant).
//
// Keycloak: POST /realms/{realm}/protocol/openid-connect/logout
func (c *Client) Logout(ctx context.Context, refreshToken string) error {
	if refreshToken == "" {
		return errors.New("oidc: refreshToken is empty")
	}
	u, err := c.endpoint(ctx, "end session endpoint", func(d *Discovery) string { return d.EndSessionEndpoint })
	if err != nil {
		return err
	}
	req := &rest.Request{Method: http.MethodPost, URL: u, Form: url.Values{"refresh_token": {refreshToken}}, NoRetry: true}
	if err := c.authenticate(ctx, req); err != nil {
		return err
	}
	var body []byte
	resp, err := c.rest.Do(ctx, req, &body)
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusNoContent && (resp.StatusCode != http.StatusOK || len(bytes.TrimSpace(body)) > 0) {
		return fmt.Errorf("oidc: POST %s: answered %d with %d bytes of %q, not 204: the session was not ended (for browser logout use EndSessionURL)",
			redact.URL(u), resp.StatusCode, len(body), resp.Header.Get("Content-Type"))
	}
	return nil
}

// EndSession holds the parameters of an RP-Initiated Logout URL
// (OpenID Connect RP-Initiated Logout 1.0 §2). All are optional.
type EndSession struct {
	// IDTokenHint is the ID token of the session to end; Keycloak asks
	// the user to confirm when it is missing.
	IDTokenHint string
	// PostLogoutRedirectURI is where the browser goes afterwards: an
	// absolute URI registered on the client (Keycloak:
	// post.logout.redirect.uris).
	PostLogoutRedirectURI string
	// State comes back on PostLogoutRedirectURI; it needs one.
	State string
	// LogoutHint and UILocales are the logout_hint and ui_locales
	// parameters.
	LogoutHint, UILocales string
}

// EndSessionURL returns the URL of the end session endpoint to send the
// user's browser to, for browser logout (RP-Initiated Logout): with
// client_id and the parameters of es that are set. It needs the discovery
// document, hence ctx. The back-channel [Client.Logout] ends a session
// with its refresh token instead.
//
// Keycloak: GET /realms/{realm}/protocol/openid-connect/logout
func (c *Client) EndSessionURL(ctx context.Context, es EndSession) (string, error) {
	if es.PostLogoutRedirectURI != "" {
		ru, err := url.Parse(es.PostLogoutRedirectURI)
		if err != nil || !ru.IsAbs() || ru.Fragment != "" || strings.HasSuffix(es.PostLogoutRedirectURI, "#") {
			return "", errors.New("oidc: EndSession.PostLogoutRedirectURI must be an absolute URI without a fragment")
		}
	}
	if es.State != "" && es.PostLogoutRedirectURI == "" {
		return "", errors.New("oidc: EndSession.State needs a PostLogoutRedirectURI to come back on")
	}
	u, err := c.endpoint(ctx, "end session endpoint", func(d *Discovery) string { return d.EndSessionEndpoint })
	if err != nil {
		return "", err
	}
	q := u.Query()
	q.Set("client_id", c.clientID)
	for k, v := range map[string]string{"id_token_hint": es.IDTokenHint, "post_logout_redirect_uri": es.PostLogoutRedirectURI,
		"state": es.State, "logout_hint": es.LogoutHint, "ui_locales": es.UILocales} {
		if v != "" {
			q.Set(k, v)
		}
	}
	u.RawQuery = q.Encode()
	return u.String(), nil
}

// JSONWebKey is one key of a JWKS (RFC 7517), as sent.
type JSONWebKey struct {
	KeyID     string   `json:"kid,omitempty"`
	KeyType   string   `json:"kty"`
	Algorithm string   `json:"alg,omitempty"`
	Use       string   `json:"use,omitempty"`
	N         string   `json:"n,omitempty"`
	E         string   `json:"e,omitempty"`
	Curve     string   `json:"crv,omitempty"`
	X         string   `json:"x,omitempty"`
	Y         string   `json:"y,omitempty"`
	X5C       []string `json:"x5c,omitempty"`
	X5T       string   `json:"x5t,omitempty"`
	X5TS256   string   `json:"x5t#S256,omitempty"`
}

// JSONWebKeySet is a JWKS.
type JSONWebKeySet struct {
	Keys []JSONWebKey `json:"keys"`
	// Raw is the set as the provider sent it.
	Raw json.RawMessage `json:"-"`
}

// JWKS fetches the realm's public keys. To verify tokens, use a
// [Verifier], which caches them.
//
// Keycloak: GET /realms/{realm}/protocol/openid-connect/certs
func (c *Client) JWKS(ctx context.Context) (*JSONWebKeySet, error) {
	u, err := c.endpoint(ctx, "jwks_uri", func(d *Discovery) string { return d.JWKSURI })
	if err != nil {
		return nil, err
	}
	return fetchJWKS(ctx, c.rest, u)
}

func fetchJWKS(ctx context.Context, rc *rest.Client, u *url.URL) (*JSONWebKeySet, error) {
	var raw []byte
	if _, err := rc.Do(ctx, &rest.Request{Method: http.MethodGet, URL: u}, &raw); err != nil {
		return nil, err
	}
	set := new(JSONWebKeySet)
	if err := json.Unmarshal(raw, set); err != nil {
		return nil, fmt.Errorf("oidc: decoding JWKS: %w", err)
	}
	set.Raw = raw
	return set, nil
}
