package oidc

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
)

// AuthCodeURL returns the URL of the authorization endpoint to send the
// user's browser to, for the authorization code flow: response_type=code,
// client_id, state, the scopes ([WithScopes] or [Scope]) and the options
// ([RedirectURI], [Nonce], [PKCE], [Prompt], [LoginHint], [MaxAge],
// [ResponseMode], [Param]). It needs the discovery document, hence ctx.
// Parameters are sorted by name.
//
// state must be unguessable and checked when the browser comes back; see
// [GenerateState]. The code that comes back goes to [Client.Exchange].
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
