package benchmarks

import (
	"context"
	"testing"

	"github.com/kcgo/kc"
	"github.com/kcgo/kc/keycloak/oidc"
)

// kcExpiry is kc's managed client-credentials TokenSource, reading the
// server's fake clock: each expiry moves the clock one token lifespan on,
// so the one long-lived source finds its token expired.
func kcExpiry(tb testing.TB, e *expiryServer) (expirySide, bool) {
	c, err := oidc.New(e.srv.URL, expiryRealm, serviceClient,
		oidc.WithClientSecret(serviceSecret), oidc.WithClock(e.clock.Now))
	if err != nil {
		tb.Fatal(err)
	}
	ts := c.ClientCredentialsSource()
	return expirySide{"lib=kc", func(context.Context) kc.TokenSource {
		e.clock.Advance(expiryLifespan)
		return ts
	}}, true
}
