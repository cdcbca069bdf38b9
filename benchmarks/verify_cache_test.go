package benchmarks

import (
	"context"
	"fmt"
	"sync"
	"testing"

	kcoidc "github.com/kcgo/kc/keycloak/oidc"
)

// The cache benchmarks verify tokens a resource server sees again and
// again: kc's Verifier remembers verified tokens (keyed by a maphash of
// the whole token, compared byte for byte on a hit), go-oidc checks the
// signature every time.
const cacheTokens = 256

var (
	rotatingOnce sync.Once
	rotating     []string
	rotatingErr  error
)

// rotatingTokens returns cacheTokens distinct tokens of the fixture's
// shape (each its own jti and session), signed once.
func rotatingTokens(tb testing.TB, f *verifyFixture) []string {
	tb.Helper()
	rotatingOnce.Do(func() {
		for i := range cacheTokens {
			c := f.claims()
			c["jti"] = fmt.Sprintf("onrtac:6f1d1c9e-7c43-4a7e-9c55-%012d", i)
			c["sid"] = fmt.Sprintf("3c1f0d7e-2b7a-4d8e-9f1a-%012d", i)
			tok, err := signRS256(f.key, verifyKid, c)
			if err != nil {
				rotatingErr = err
				return
			}
			rotating = append(rotating, tok)
		}
	})
	if rotatingErr != nil {
		tb.Fatal(rotatingErr)
	}
	return rotating
}

// kcVerifier is kc's Verifier as kcVerify makes it, with cfg.
func kcVerifier(tb testing.TB, f *verifyFixture, cfg kcoidc.VerifierConfig) *kcoidc.Verifier {
	c, err := kcoidc.New(f.server.URL, verifyRealm, verifyClientID)
	if err != nil {
		tb.Fatal(err)
	}
	v, err := c.Verifier(cfg)
	if err != nil {
		tb.Fatal(err)
	}
	return v
}

// cacheSides are the verifiers of BenchmarkVerifyCache, each new (an
// empty cache) for every case: kc's Verify, kc's VerifyInto into one
// Claims per goroutine, and go-oidc with the claims decoded.
func cacheSides(tb testing.TB, f *verifyFixture, cfg kcoidc.VerifierConfig) []struct {
	name string
	new  func() verifyFunc // one per goroutine
} {
	type side = struct {
		name string
		new  func() verifyFunc
	}
	v := kcVerifier(tb, f, cfg)
	into := kcVerifier(tb, f, cfg)
	goOIDC := goOIDCVerify(tb, f, true)
	return []side{
		{"lib=kc", func() verifyFunc {
			return func(ctx context.Context, token string) (verified, error) {
				c, err := v.Verify(ctx, token)
				if err != nil {
					return verified{}, err
				}
				return verified{Subject: c.Subject, Roles: c.RealmAccess.Roles}, nil
			}
		}},
		{"lib=kc-into", func() verifyFunc {
			var c kcoidc.Claims
			return func(ctx context.Context, token string) (verified, error) {
				if err := into.VerifyInto(ctx, token, &c); err != nil {
					return verified{}, err
				}
				return verified{Subject: c.Subject, Roles: c.RealmAccess.Roles}, nil
			}
		}},
		{"lib=go-oidc", func() verifyFunc { return goOIDC }},
	}
}

func TestVerifyCacheSidesAgree(t *testing.T) {
	f := tokenFixture(t)
	toks := rotatingTokens(t, f)
	for _, side := range cacheSides(t, f, kcoidc.VerifierConfig{}) {
		fn := side.new()
		for round := range 2 { // the second round hits kc's cache
			for _, tok := range []string{toks[0], toks[cacheTokens-1]} {
				got, err := fn(t.Context(), tok)
				if err != nil || got.Subject != "0b4ab0a4-4e5b-4f8e-b0a5-0c3e8f7d5b11" || len(got.Roles) != 4 {
					t.Errorf("%s, round %d: %+v, %v", side.name, round, got, err)
				}
			}
		}
	}
}

// BenchmarkVerifyCache: hit, the same token again (1 goroutine, and 8
// with b.RunParallel); hit-256, 256 distinct tokens in turn, all
// remembered; miss, the same 256 tokens through a cache of 16, so that
// every call verifies the signature and replaces an entry.
func BenchmarkVerifyCache(b *testing.B) {
	f := tokenFixture(b)
	toks := rotatingTokens(b, f)
	cases := []struct {
		name     string
		tokens   []string
		cfg      kcoidc.VerifierConfig
		parallel int // goroutines per GOMAXPROCS; 0: one goroutine
	}{
		{"case=hit", toks[:1], kcoidc.VerifierConfig{}, 0},
		{"case=hit-8-goroutines", toks[:1], kcoidc.VerifierConfig{}, 8},
		{"case=hit-256", toks, kcoidc.VerifierConfig{}, 0},
		{"case=miss", toks, kcoidc.VerifierConfig{TokenCacheSize: 16}, 0},
	}
	for _, tc := range cases {
		for _, side := range cacheSides(b, f, tc.cfg) {
			b.Run(tc.name+"/"+side.name, func(b *testing.B) {
				ctx := b.Context()
				fn := side.new()
				for _, tok := range tc.tokens { // warm the keys, and fill the cache
					if _, err := fn(ctx, tok); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportAllocs()
				if tc.parallel == 0 {
					i := 0
					loopCPU(b, func() {
						if _, err := fn(ctx, tc.tokens[i%len(tc.tokens)]); err != nil {
							b.Fatal(err)
						}
						i++
					})
					return
				}
				b.SetParallelism((tc.parallel + runtimeProcs() - 1) / runtimeProcs())
				parallelCPU(b, func(pb *testing.PB) {
					fn := side.new()
					for pb.Next() {
						if _, err := fn(ctx, tc.tokens[0]); err != nil {
							b.Error(err)
							return
						}
					}
				})
			})
		}
	}
}
