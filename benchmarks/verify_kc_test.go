package benchmarks

import (
	"context"
	"testing"

	"github.com/kcgo/kc/keycloak/oidc"
)

// kcVerify is kc's oidc Verifier made from a client of the realm: the
// issuer and the JWKS URL from discovery, the keys cached once warm;
// issuer, audience, expiry, typ and signature checked; the claims, realm
// roles included, typed in the result.
// With the same token every time, a call after the first is a hit of
// the verified-token cache; kcVerifyNoCache turns the cache off.
func kcVerify(tb testing.TB, f *verifyFixture) verifyFunc {
	return kcVerifyConfig(tb, f, oidc.VerifierConfig{})
}

// kcVerifyNoCache is kcVerify without the verified-token cache: every call
// checks the signature and decodes the claims.
func kcVerifyNoCache(tb testing.TB, f *verifyFixture) verifyFunc {
	return kcVerifyConfig(tb, f, oidc.VerifierConfig{DisableTokenCache: true})
}

func kcVerifyConfig(tb testing.TB, f *verifyFixture, cfg oidc.VerifierConfig) verifyFunc {
	c, err := oidc.New(f.server.URL, verifyRealm, verifyClientID)
	if err != nil {
		tb.Fatal(err)
	}
	v, err := c.Verifier(cfg)
	if err != nil {
		tb.Fatal(err)
	}
	return func(ctx context.Context, token string) (verified, error) {
		claims, err := v.Verify(ctx, token)
		if err != nil {
			return verified{}, err
		}
		return verified{Subject: claims.Subject, Roles: claims.RealmAccess.Roles}, nil
	}
}
