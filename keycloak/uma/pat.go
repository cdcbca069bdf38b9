package uma

import (
	"context"
	"errors"
	"net/url"
	"sync"
	"time"

	"golang.org/x/sync/singleflight"

	"github.com/kcgo/kc"
	"github.com/kcgo/kc/internal/rest"
	"github.com/kcgo/kc/internal/umadiscovery"
)

// patEarly is how long before its expiry a PAT is replaced.
const patEarly = 30 * time.Second

// patSource obtains the PAT with the client_credentials grant and caches
// it. It implements kc.TokenSource and kc.TokenInvalidator.
type patSource struct {
	c                *Client
	clientID, secret string
	now              func() time.Time

	group singleflight.Group
	mu    sync.Mutex
	tok   *kc.Token
}

func newPATSource(c *Client, clientID, secret string) *patSource {
	return &patSource{c: c, clientID: clientID, secret: secret, now: time.Now}
}

// Token returns the cached PAT, or obtains a new one when there is none or
// it expires within 30 seconds.
//
// Keycloak: POST /realms/{realm}/protocol/openid-connect/token (grant_type=client_credentials)
func (p *patSource) Token(ctx context.Context) (*kc.Token, error) {
	p.mu.Lock()
	t := p.tok
	p.mu.Unlock()
	if t != nil && !t.ExpiresWithin(p.now(), patEarly) {
		return t, nil
	}
	return umadiscovery.Shared(ctx, &p.group, "pat", func() (*kc.Token, error) { return p.fetch(ctx) })
}

// InvalidateToken drops t if it is the cached token, so the next Token
// call obtains a new one.
func (p *patSource) InvalidateToken(t *kc.Token) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.tok == t || (t != nil && p.tok != nil && p.tok.AccessToken == t.AccessToken) {
		p.tok = nil
	}
}

func (p *patSource) fetch(ctx context.Context) (*kc.Token, error) {
	u, err := p.c.endpoint(ctx, "token_endpoint")
	if err != nil {
		return nil, err
	}
	var resp umadiscovery.TokenResponse
	if _, err := p.c.rest.Do(ctx, &rest.Request{
		Method:        "POST",
		URL:           u,
		Form:          url.Values{"grant_type": {"client_credentials"}},
		BasicUser:     p.clientID,
		BasicPassword: p.secret,
		Idempotent:    true, // a client_credentials grant can be repeated
	}, &resp); err != nil {
		return nil, err
	}
	if resp.AccessToken == "" {
		return nil, errors.New("uma: token endpoint returned no access_token")
	}
	t := resp.Token(p.now())
	p.mu.Lock()
	p.tok = t
	p.mu.Unlock()
	return t, nil
}
