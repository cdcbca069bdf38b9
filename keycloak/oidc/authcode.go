package oidc

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"net/url"
)

// AuthCodeURL returns the URL of the authorization endpoint to send the
// user's browser to, for the authorization code flow: response_type=code,
// client_id, state, the scopes ([WithScopes] or [Scope]) and the options
// ([RedirectURI], [Nonce], [PKCE], [Prompt], [LoginHint], [MaxAge],
// [ResponseMode], [Param]). It needs the discovery document, hence ctx.
// Parameters are sorted by name.
//
// state must be unguessable and checked when the browser comes back; see
// [GenerateState]. Check the response with
// [Client.ParseAuthorizationResponse]; the code it returns goes to
// [Client.ExchangeCode].
//
// Keycloak: GET /realms/{realm}/protocol/openid-connect/auth
func (c *Client) AuthCodeURL(ctx context.Context, state string, opts ...CallOption) (string, error) {
	if state == "" {
		return "", errors.New("oidc: state is empty")
	}
	q, err := c.params(opts)
	if err != nil {
		return "", err
	}
	u, err := c.endpoint(ctx, "authorization endpoint", func(d *Discovery) string { return d.AuthorizationEndpoint })
	if err != nil {
		return "", err
	}
	q.Set("response_type", "code")
	q.Set("client_id", c.clientID)
	q.Set("state", state)
	if old := u.Query(); len(old) > 0 {
		for k, vs := range old {
			if _, ok := q[k]; !ok {
				q[k] = vs
			}
		}
	}
	u.RawQuery = q.Encode()
	return u.String(), nil
}

// ErrStateMismatch: an authorization response's state is missing or is
// not the state of the authorization URL.
var ErrStateMismatch = errors.New("oidc: authorization response: state mismatch")

// AuthorizationError is an error answer of the authorization endpoint, as
// the browser brings it back to the redirect URI (RFC 6749 §4.1.2.1):
// "access_denied" when the user declined, "login_required" after
// Prompt("none"), ...
type AuthorizationError struct {
	ErrorCode        string // error
	ErrorDescription string // error_description
	ErrorURI         string // error_uri
}

func (e *AuthorizationError) Error() string {
	if e.ErrorDescription != "" {
		return fmt.Sprintf("oidc: authorization response: %s: %s", e.ErrorCode, e.ErrorDescription)
	}
	return "oidc: authorization response: " + e.ErrorCode
}

// ParseAuthorizationResponse checks the authorization response the
// browser brought back to the redirect URI (the query of the request to
// it, or the form of a form_post response) and returns its code, for
// [Client.ExchangeCode]. In order:
//   - the iss parameter (RFC 9207, mix-up attacks): when present it must be
//     the provider's issuer, and when the provider advertises
//     authorization_response_iss_parameter_supported (Keycloak does) it
//     must be present; otherwise an error wraps [ErrIssuerMismatch];
//   - state must equal the state of the authorization URL, compared in
//     constant time; otherwise an error wraps [ErrStateMismatch];
//   - an error answer is an [*AuthorizationError];
//   - the code must be present.
//
// It needs the discovery document, hence ctx.
func (c *Client) ParseAuthorizationResponse(ctx context.Context, response url.Values, state string) (code string, err error) {
	if state == "" {
		return "", errors.New("oidc: ParseAuthorizationResponse: state is empty")
	}
	d, err := c.Discovery(ctx)
	if err != nil {
		return "", err
	}
	switch iss, ok := response["iss"]; {
	case ok && (len(iss) != 1 || iss[0] != d.Issuer):
		return "", fmt.Errorf("%w: the authorization response's iss is %q, want %q", ErrIssuerMismatch, iss, d.Issuer)
	case !ok && d.AuthorizationResponseIssParameter:
		return "", fmt.Errorf("%w: the authorization response has no iss, which the provider promises (RFC 9207)", ErrIssuerMismatch)
	}
	if got := response["state"]; len(got) != 1 || subtle.ConstantTimeCompare([]byte(got[0]), []byte(state)) != 1 {
		return "", ErrStateMismatch
	}
	if e := response.Get("error"); e != "" {
		return "", &AuthorizationError{ErrorCode: e, ErrorDescription: response.Get("error_description"), ErrorURI: response.Get("error_uri")}
	}
	code = response.Get("code")
	if code == "" {
		return "", errors.New("oidc: authorization response has no code")
	}
	return code, nil
}

// GenerateVerifier returns a new PKCE code verifier (RFC 7636): 43
// characters from 32 random bytes.
func GenerateVerifier() string { return randomString(32) }

// GenerateState returns a new random state for [Client.AuthCodeURL].
func GenerateState() string { return randomString(24) }

// GenerateNonce returns a new random nonce for [Nonce].
func GenerateNonce() string { return randomString(24) }

func randomString(n int) string {
	b := make([]byte, n)
	rand.Read(b) // never fails
	return base64.RawURLEncoding.EncodeToString(b)
}

// S256Challenge returns the S256 code challenge of a PKCE verifier:
// BASE64URL(SHA256(verifier)) without padding.
func S256Challenge(verifier string) string {
	sum := sha256.Sum256([]byte(verifier))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// checkVerifier applies RFC 7636 §4.1: 43 to 128 characters of
// [A-Za-z0-9-._~].
func checkVerifier(v string) error {
	if len(v) < 43 || len(v) > 128 {
		return fmt.Errorf("oidc: PKCE verifier has %d characters, want 43 to 128", len(v))
	}
	for i := 0; i < len(v); i++ {
		ch := v[i]
		if !('A' <= ch && ch <= 'Z' || 'a' <= ch && ch <= 'z' || '0' <= ch && ch <= '9' ||
			ch == '-' || ch == '.' || ch == '_' || ch == '~') {
			return errors.New("oidc: PKCE verifier has a character outside [A-Za-z0-9-._~]")
		}
	}
	return nil
}
