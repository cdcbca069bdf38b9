package oidc

import (
	"context"
	"errors"
	"sync/atomic"
	"time"

	"github.com/kcgo/kc"
	"github.com/kcgo/kc/internal/flight"
)

// RefreshingSource is a managed token source: it caches its token, refreshes
// it before it expires (see [WithEarlyRefresh]), and makes one request
// however many goroutines ask at once. It refreshes with the refresh
// token when it has one, and falls back to a new grant when Keycloak
// rejects the refresh token (invalid_grant: session ended, token expired
// or revoked). It implements kc.RefreshingSource and kc.TokenInvalidator, so
// it plugs into every kc client, kc.NewHTTPClient and (through
// kc.OAuth2TokenSource) golang.org/x/oauth2. It is safe for concurrent
// use.
type RefreshingSource struct {
	c     *Client
	grant func(ctx context.Context) (*kc.Token, error) // nil: refresh only

	cur atomic.Pointer[cachedToken] // read without a lock on the hot path
	fly flight.Group[*kc.Token]
}

// cachedToken is the source's token and when it was received.
type cachedToken struct {
	tok      *kc.Token
	obtained time.Time
}

// ErrLoginRequired is returned by a [Client.RefreshTokenSource] whose
// refresh token is missing or expired: the user must log in again.
var ErrLoginRequired = errors.New("oidc: no usable refresh token; the user must log in again")

var (
	_ kc.TokenSource      = (*RefreshingSource)(nil)
	_ kc.TokenInvalidator = (*RefreshingSource)(nil)
)

// ClientCredentialsSource returns a managed source of service-account
// tokens from the client credentials grant. opts are those of
// [Client.ClientCredentials].
func (c *Client) ClientCredentialsSource(opts ...CallOption) *RefreshingSource {
	opts = append([]CallOption(nil), opts...)
	return &RefreshingSource{c: c, grant: func(ctx context.Context) (*kc.Token, error) {
		return c.ClientCredentials(ctx, opts...)
	}}
}

// PasswordSource returns a managed source of tokens of the user username,
// from the password grant; the password is kept to log in again when the
// session ends. opts are those of [Client.Password].
func (c *Client) PasswordSource(username, password string, opts ...CallOption) *RefreshingSource {
	opts = append([]CallOption(nil), opts...)
	return &RefreshingSource{c: c, grant: func(ctx context.Context) (*kc.Token, error) {
		return c.Password(ctx, username, password, opts...)
	}}
}

// RefreshTokenSource returns a managed source that starts from tok (for
// example the result of [Client.ExchangeCode]) and refreshes it with its
// refresh token. When the refresh token is rejected there is no grant to
// fall back to: Token returns the error (errors.Is(err, kc.ErrInvalidGrant))
// and the user must log in again.
func (c *Client) RefreshTokenSource(tok *kc.Token) *RefreshingSource {
	s := &RefreshingSource{c: c}
	if tok != nil {
		cp := *tok
		s.cur.Store(&cachedToken{tok: &cp, obtained: c.now()})
	}
	return s
}

// Token returns the cached token while it is fresh, else gets a new one.
//
// Keycloak: POST /realms/{realm}/protocol/openid-connect/token
func (s *RefreshingSource) Token(ctx context.Context) (*kc.Token, error) {
	if t := s.fresh(); t != nil {
		return t, nil
	}
	return s.fly.Do(ctx, func(ctx context.Context) (*kc.Token, error) {
		if t := s.fresh(); t != nil { // another caller refreshed it
			return t, nil
		}
		return s.renew(ctx)
	})
}

// InvalidateToken drops t's access token, if it is still the cached one,
// so that the next Token call gets a new one; the refresh token is kept.
func (s *RefreshingSource) InvalidateToken(t *kc.Token) {
	if t == nil || t.AccessToken == "" {
		return
	}
	for {
		cur := s.cur.Load()
		if cur == nil || cur.tok.AccessToken != t.AccessToken {
			return
		}
		cp := *cur.tok
		cp.AccessToken = ""
		if s.cur.CompareAndSwap(cur, &cachedToken{tok: &cp, obtained: cur.obtained}) {
			return
		}
	}
}

// fresh returns the cached token if it need not be refreshed yet.
func (s *RefreshingSource) fresh() *kc.Token {
	cur := s.cur.Load()
	if cur == nil {
		return nil
	}
	t, obtained := cur.tok, cur.obtained
	if t.AccessToken == "" {
		return nil
	}
	if t.Expiry.IsZero() {
		return t
	}
	early := s.c.cfg.earlyRefresh
	if early == 0 && !s.c.earlySet() {
		early = DefaultEarlyRefresh
	}
	if life := t.Expiry.Sub(obtained); life > 0 {
		early = min(early, life/10)
	}
	if t.ExpiresWithin(s.c.now(), early) {
		return nil
	}
	return t
}

// renew refreshes with the refresh token if there is a usable one, falling
// back to the grant.
func (s *RefreshingSource) renew(ctx context.Context) (*kc.Token, error) {
	var old *kc.Token
	if cur := s.cur.Load(); cur != nil {
		old = cur.tok
	}
	now := s.c.now()
	if old != nil && old.RefreshToken != "" && (old.RefreshExpiry.IsZero() || now.Before(old.RefreshExpiry)) {
		t, err := s.c.Refresh(ctx, old.RefreshToken)
		if err == nil {
			return s.store(t), nil
		}
		if s.grant == nil || !errors.Is(err, kc.ErrInvalidGrant) {
			return nil, err
		}
	}
	if s.grant == nil {
		return nil, ErrLoginRequired
	}
	t, err := s.grant(ctx)
	if err != nil {
		return nil, err
	}
	return s.store(t), nil
}

func (s *RefreshingSource) store(t *kc.Token) *kc.Token {
	s.cur.Store(&cachedToken{tok: t, obtained: s.c.now()})
	return t
}
