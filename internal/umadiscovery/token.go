package umadiscovery

import (
	"time"

	"github.com/kcgo/kc"
)

// TokenResponse is the body of a token endpoint's success answer.
type TokenResponse struct {
	AccessToken      string `json:"access_token"`
	TokenType        string `json:"token_type"`
	ExpiresIn        int64  `json:"expires_in"`
	RefreshToken     string `json:"refresh_token"`
	RefreshExpiresIn int64  `json:"refresh_expires_in"`
	IDToken          string `json:"id_token"`
	Scope            string `json:"scope"`
	SessionState     string `json:"session_state"`
	NotBeforePolicy  int64  `json:"not-before-policy"`
	Upgraded         bool   `json:"upgraded"`
}

// Token converts the answer to a *kc.Token whose expiries count from now.
func (r *TokenResponse) Token(now time.Time) *kc.Token {
	t := &kc.Token{
		AccessToken:     r.AccessToken,
		TokenType:       r.TokenType,
		RefreshToken:    r.RefreshToken,
		IDToken:         r.IDToken,
		Scope:           r.Scope,
		SessionState:    r.SessionState,
		NotBeforePolicy: r.NotBeforePolicy,
		Upgraded:        r.Upgraded,
	}
	if r.ExpiresIn > 0 {
		t.Expiry = now.Add(time.Duration(r.ExpiresIn) * time.Second)
	}
	if r.RefreshToken != "" && r.RefreshExpiresIn > 0 {
		t.RefreshExpiry = now.Add(time.Duration(r.RefreshExpiresIn) * time.Second)
	}
	return t
}
