// Package oauth holds what the packages that talk to a token endpoint
// share: the success body of a token request.
package oauth

import (
	"time"

	"github.com/kcgo/kc"
)

// TokenResponse is the success body of Keycloak's token endpoint
// (AccessTokenResponse), token exchange and UMA fields included.
type TokenResponse struct {
	AccessToken      string `json:"access_token"`
	TokenType        string `json:"token_type"`
	RefreshToken     string `json:"refresh_token"`
	IDToken          string `json:"id_token"`
	ExpiresIn        int64  `json:"expires_in"`
	RefreshExpiresIn int64  `json:"refresh_expires_in"`
	Scope            string `json:"scope"`
	SessionState     string `json:"session_state"`
	IssuedTokenType  string `json:"issued_token_type"`
	NotBeforePolicy  int64  `json:"not-before-policy"`
	Upgraded         bool   `json:"upgraded"`
}

// Token converts the answer to a *kc.Token whose expiries count from now.
func (r *TokenResponse) Token(now time.Time) *kc.Token {
	t := &kc.Token{
		AccessToken: r.AccessToken, TokenType: r.TokenType, RefreshToken: r.RefreshToken,
		IDToken: r.IDToken, Scope: r.Scope, SessionState: r.SessionState,
		IssuedTokenType: r.IssuedTokenType, NotBeforePolicy: r.NotBeforePolicy, Upgraded: r.Upgraded,
	}
	if r.ExpiresIn > 0 {
		t.Expiry = now.Add(time.Duration(r.ExpiresIn) * time.Second)
	}
	if r.RefreshExpiresIn > 0 && r.RefreshToken != "" {
		t.RefreshExpiry = now.Add(time.Duration(r.RefreshExpiresIn) * time.Second)
	}
	return t
}
