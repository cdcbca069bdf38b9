package oidc

import (
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestVerifyJWKSFetchesAreRateLimited(t *testing.T) {
	// While the JWKS fails, is empty or has no usable key, Verify must not
	// fetch it for every token: one fetch per RefetchInterval, the first
	// one included, and the callers in between get ErrKeysUnavailable.
	t.Parallel()
	for _, tc := range []struct {
		name   string
		break_ func(op *fakeOP)
	}{
		{"failing", func(op *fakeOP) { op.inject("/certs", fault{status: 500, body: `{"error":"unknown_error"}`}) }},
		{"empty", func(op *fakeOP) { op.removeKey("key-a") }},
		{"no signing key", func(op *fakeOP) {
			op.removeKey("key-a")
			op.extraJWKS = append(op.extraJWKS, map[string]any{"kid": "enc", "kty": "RSA", "use": "enc", "n": "AQAB", "e": "AQAB"})
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			op := newFakeOP(t)
			m := op.accessClaims("alice", "app", "openid", "")
			m["aud"] = "app"
			tok := op.sign(m)
			tc.break_(op)
			v := newTestVerifier(t, op, VerifierConfig{RefetchInterval: 10 * time.Second})
			flood := func() {
				var wg sync.WaitGroup
				for range 200 {
					wg.Go(func() {
						if _, err := v.Verify(t.Context(), tok); err == nil {
							t.Error("verified without keys")
						}
					})
				}
				wg.Wait()
			}
			flood()
			if n := op.count("/certs"); n != 1 {
				t.Errorf("200 tokens made %d JWKS fetches, want 1", n)
			}
			_, err := v.Verify(t.Context(), tok)
			if !errors.Is(err, ErrKeysUnavailable) || !strings.Contains(err.Error(), "keys unavailable") {
				t.Errorf("within the window: err = %v, want ErrKeysUnavailable", err)
			}
			op.clock.Advance(9 * time.Second)
			flood()
			if n := op.count("/certs"); n != 1 {
				t.Errorf("within the window: %d JWKS fetches, want 1", n)
			}
			op.clock.Advance(time.Second)
			flood()
			if n := op.count("/certs"); n != 2 {
				t.Errorf("next window: %d JWKS fetches, want 2", n)
			}
		})
	}
}

func TestVerifyRefreshesKeysOlderThanMaxAge(t *testing.T) {
	// A key the realm removed (rotation after a leak) must stop verifying
	// once the key set is older than MaxKeyAge, without any goroutine:
	// the next Verify after that refetches. Keycloak's old adapters:
	// public-key-cache-ttl, 86400 s by default.
	t.Parallel()
	if DefaultMaxKeyAge != 24*time.Hour {
		t.Errorf("DefaultMaxKeyAge = %v, want 24h", DefaultMaxKeyAge)
	}
	for _, maxAge := range []time.Duration{0, time.Hour} {
		op := newFakeOP(t)
		v := newTestVerifier(t, op, VerifierConfig{MaxKeyAge: maxAge, SkipExpiryCheck: true})
		age := maxAge
		if age == 0 {
			age = DefaultMaxKeyAge
		}
		m := op.accessClaims("alice", "app", "openid", "")
		m["aud"] = "app"
		leaked := op.sign(m)
		if _, err := v.Verify(t.Context(), leaked); err != nil {
			t.Fatal(err)
		}
		op.rotate(RS256, rsaKey(2))
		op.removeKey("key-a")
		op.clock.Advance(age - time.Second)
		if _, err := v.Verify(t.Context(), leaked); err != nil {
			t.Fatalf("max age %v: before it: %v", age, err)
		}
		op.clock.Advance(time.Second)
		if _, err := v.Verify(t.Context(), leaked); !errors.Is(err, ErrUnknownKey) {
			t.Errorf("max age %v: removed key after it: err = %v, want ErrUnknownKey", age, err)
		}
		if _, err := v.Verify(t.Context(), op.sign(m)); err != nil {
			t.Errorf("max age %v: current key: %v", age, err)
		}
		if n := op.count("/certs"); n != 2 {
			t.Errorf("max age %v: %d JWKS fetches, want 2", age, n)
		}
	}
	op := newFakeOP(t)
	if _, err := op.client("app").Verifier(VerifierConfig{MaxKeyAge: -time.Second}); err == nil || !strings.Contains(err.Error(), "MaxKeyAge") {
		t.Errorf("negative MaxKeyAge: err = %v", err)
	}
}

func TestVerifyRejectsDuplicateMembers(t *testing.T) {
	// RFC 7515 §4 and RFC 7519 §4: a JWS whose header or claims have a
	// member name twice may be rejected; parsers disagree on which one
	// wins (kc kept the first resource_access roles, encoding/json merged).
	t.Parallel()
	op := newFakeOP(t)
	v := newTestVerifier(t, op, VerifierConfig{SkipAudienceCheck: true})
	m := op.accessClaims("alice", "app", "openid", "")
	delete(m, "resource_access")
	delete(m, "realm_access")
	gb, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	good := string(gb)
	inner := strings.TrimSuffix(strings.TrimPrefix(good, "{"), "}")
	for _, tc := range []struct {
		name, header, payload string
	}{
		{"claim", `{"alg":"RS256","kid":"key-a"}`, `{` + inner + `,"sub":"root"}`},
		{"claim, escaped", `{"alg":"RS256","kid":"key-a"}`, `{` + inner + `,"\u0073ub":"root"}`},
		{"resource_access app", `{"alg":"RS256","kid":"key-a"}`, `{` + inner + `,"resource_access":{"app":{"roles":["admin"]},"app":{}}}`},
		{"roles", `{"alg":"RS256","kid":"key-a"}`, `{` + inner + `,"realm_access":{"roles":["a"],"roles":[]}}`},
		{"deep", `{"alg":"RS256","kid":"key-a"}`, `{` + inner + `,"custom":{"a":[{"b":1,"b":2}]}}`},
		{"header alg", `{"alg":"RS256","kid":"key-a","alg":"RS256"}`, good},
		{"header kid", `{"alg":"RS256","kid":"key-a","kid":"key-b"}`, good},
		{"header nested", `{"alg":"RS256","kid":"key-a","jwk":{"kty":"RSA","kty":"EC"}}`, good},
		{"header escaped", `{"alg":"RS256","kid":"key-a","\u006bid":"key-a"}`, good},
	} {
		tok := rawJWTRaw(t, tc.header, tc.payload, rsSigner(t, op))
		if _, err := v.Verify(t.Context(), tok); !errors.Is(err, ErrMalformedToken) || !strings.Contains(err.Error(), "duplicate") {
			t.Errorf("%s: err = %v, want ErrMalformedToken naming the duplicate", tc.name, err)
		}
	}
	if _, err := v.Verify(t.Context(), rawJWTRaw(t, `{"alg":"RS256","kid":"key-a"}`, good, rsSigner(t, op))); err != nil {
		t.Errorf("the same token without duplicates: %v", err)
	}
}

func TestVerifyTokenTypeConfusion(t *testing.T) {
	// Keycloak marks its tokens with the typ claim (Bearer, ID, Logout,
	// Refresh); other providers' ID tokens have none, so an access token
	// without the claim must carry the JOSE header typ at+jwt (RFC 9068 §4,
	// RFC 8725 §3.11), unless the config accepts untyped tokens.
	t.Parallel()
	op := newFakeOP(t)
	claims := func(typ string, edit func(m map[string]any)) map[string]any {
		m := op.accessClaims("alice", "app", "openid", "")
		m["aud"] = "app"
		if typ == "" {
			delete(m, "typ")
		} else {
			m["typ"] = typ
		}
		if edit != nil {
			edit(m)
		}
		return m
	}
	hdr := func(typ string) string {
		if typ == "" {
			return `{"alg":"RS256","kid":"key-a"}`
		}
		return `{"alg":"RS256","kid":"key-a","typ":"` + typ + `"}`
	}
	for _, tc := range []struct {
		name      string
		cfg       VerifierConfig
		headerTyp string
		claimTyp  string
		idToken   bool
		edit      func(m map[string]any)
		want      error
	}{
		{"keycloak access token", VerifierConfig{}, "JWT", "Bearer", false, nil, nil},
		{"keycloak ID token as access token", VerifierConfig{}, "JWT", "ID", false, nil, ErrInvalidClaims},
		{"other provider's ID token as access token", VerifierConfig{}, "JWT", "", false, nil, ErrInvalidClaims},
		{"untyped, no header typ", VerifierConfig{}, "", "", false, nil, ErrInvalidClaims},
		{"RFC 9068 at+jwt", VerifierConfig{}, "at+jwt", "", false, nil, nil},
		{"RFC 9068 application/at+jwt", VerifierConfig{}, "application/AT+JWT", "", false, nil, nil},
		{"untyped, accepted by config", VerifierConfig{AcceptUntypedAccessTokens: true}, "JWT", "", false, nil, nil},
		{"untyped, type check skipped", VerifierConfig{SkipTypeCheck: true}, "JWT", "", false, nil, nil},
		{"at+jwt as ID token", VerifierConfig{}, "at+jwt", "", true, nil, ErrInvalidClaims},
		{"other provider's ID token", VerifierConfig{}, "JWT", "", true, nil, nil},
		// OIDC Core §3.1.3.7: azp, when present, is the client's ID.
		{"ID token for another client", VerifierConfig{}, "JWT", "ID", true, func(m map[string]any) { m["aud"] = []string{"app", "other"}; m["azp"] = "other" }, ErrInvalidClaims},
		{"ID token without azp", VerifierConfig{}, "JWT", "ID", true, func(m map[string]any) { delete(m, "azp") }, nil},
		{"access token of another client", VerifierConfig{}, "JWT", "Bearer", false, func(m map[string]any) { m["azp"] = "other" }, nil},
		{"azp asked, absent", VerifierConfig{AuthorizedParty: "app"}, "JWT", "Bearer", false, func(m map[string]any) { delete(m, "azp") }, ErrInvalidClaims},
		{"azp asked, other", VerifierConfig{AuthorizedParty: "app"}, "JWT", "Bearer", false, func(m map[string]any) { m["azp"] = "other" }, ErrInvalidClaims},
	} {
		v := newTestVerifier(t, op, tc.cfg)
		tok := rawJWT(t, hdr(tc.headerTyp), claims(tc.claimTyp, tc.edit), rsSigner(t, op))
		var err error
		if tc.idToken {
			_, err = v.VerifyIDToken(t.Context(), tok, "")
		} else {
			_, err = v.Verify(t.Context(), tok)
		}
		if !errors.Is(err, tc.want) || (tc.want == nil) != (err == nil) {
			t.Errorf("%s: err = %v, want %v", tc.name, err, tc.want)
		}
	}
}
