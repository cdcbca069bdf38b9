package oidc_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"

	"github.com/kcgo/kc"
	"github.com/kcgo/kc/keycloak/kctest"
	"github.com/kcgo/kc/keycloak/oidc"
)

func benchSetup(b *testing.B) (*kctest.Server, *oidc.Client, string) {
	b.Helper()
	s := kctest.Start(b, kctest.WithRealmFile(demoRealm))
	c, err := oidc.New(s.URL, "demo", "demo-app")
	if err != nil {
		b.Fatal(err)
	}
	tok, err := c.Password(b.Context(), "alice", "alice")
	if err != nil {
		b.Fatal(err)
	}
	return s, c, tok.AccessToken
}

// BenchmarkVerify is a warm Verify of a Keycloak RS256 (2048-bit) access
// token: keys cached, signature checked, claims decoded and checked.
func BenchmarkVerify(b *testing.B) {
	_, c, tok := benchSetup(b)
	v, err := c.Verifier(oidc.VerifierConfig{Audiences: []string{"account"}})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	if _, err := v.Verify(ctx, tok); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := v.Verify(ctx, tok); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkVerifyGoJOSEBaseline does what coreos/go-oidc's verifier does on
// a warm key cache (go-jose ParseSigned, Verify with the cached key, the
// claims decoded into a struct), for comparison.
func BenchmarkVerifyGoJOSEBaseline(b *testing.B) {
	_, c, tok := benchSetup(b)
	set, err := c.JWKS(b.Context())
	if err != nil {
		b.Fatal(err)
	}
	var jwks jose.JSONWebKeySet
	if err := json.Unmarshal(set.Raw, &jwks); err != nil {
		b.Fatal(err)
	}
	var key jose.JSONWebKey
	for _, k := range jwks.Keys {
		if k.Use == "sig" {
			key = k
		}
	}
	type idToken struct {
		Issuer   string          `json:"iss"`
		Subject  string          `json:"sub"`
		Audience json.RawMessage `json:"aud"`
		Expiry   int64           `json:"exp"`
		IssuedAt int64           `json:"iat"`
		Nonce    string          `json:"nonce"`
		AtHash   string          `json:"at_hash"`
	}
	b.ReportAllocs()
	for b.Loop() {
		jws, err := jose.ParseSignedCompact(tok, []jose.SignatureAlgorithm{jose.RS256})
		if err != nil {
			b.Fatal(err)
		}
		if jws.Signatures[0].Header.KeyID != key.KeyID {
			b.Fatal("kid")
		}
		payload, err := jws.Verify(key.Key)
		if err != nil {
			b.Fatal(err)
		}
		var t idToken
		if err := json.Unmarshal(payload, &t); err != nil {
			b.Fatal(err)
		}
		var claims oidc.Claims // go-oidc decodes the claims again for the caller
		if err := json.Unmarshal(payload, &claims); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkClientCredentials is one token request against kctest (both
// sides in this process).
func BenchmarkClientCredentials(b *testing.B) {
	s := kctest.Start(b, kctest.WithRealmFile(demoRealm))
	c, err := oidc.New(s.URL, "demo", "demo-service", oidc.WithClientSecret("demo-service-secret"))
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	if _, err := c.ClientCredentials(ctx); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.ClientCredentials(ctx); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkTokenSourceParallel is Token on a warm managed source from
// many goroutines.
func BenchmarkTokenSourceParallel(b *testing.B) {
	s := kctest.Start(b, kctest.WithRealmFile(demoRealm))
	c, err := oidc.New(s.URL, "demo", "demo-service", oidc.WithClientSecret("demo-service-secret"), kc.WithTimeout(10*time.Second))
	if err != nil {
		b.Fatal(err)
	}
	ts := c.ClientCredentialsSource()
	if _, err := ts.Token(b.Context()); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		ctx := context.Background()
		for pb.Next() {
			if _, err := ts.Token(ctx); err != nil {
				b.Error(err)
				return
			}
		}
	})
}
