package oidc

import (
	"encoding/json"
	"net/url"
	"testing"
	"time"
	"unicode/utf8"
)

// FuzzVerify feeds arbitrary tokens to a warm verifier: no panic, and
// nothing but a well-signed token passes.
func FuzzVerify(f *testing.F) {
	key := rsaKey(0)
	now := time.Unix(1_900_000_000, 0)
	good, err := signJWT(key, "k", RS256, map[string]any{"iss": "https://iss", "aud": "a", "exp": now.Add(time.Hour).Unix()})
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range []string{good, "", ".", "..", "a.b.c", good + "x", "eyJhbGciOiJub25lIn0.e30.", "eyJhbGciOiJSUzI1NiIsImtpZCI6ImsifQ.e30.AAAA"} {
		f.Add(s)
	}
	b, _ := json.Marshal(map[string]any{"keys": []any{map[string]any{"kid": "k", "kty": "RSA", "alg": RS256, "use": "sig",
		"n": b64(key.N.Bytes()), "e": "AQAB"}}})
	var set JSONWebKeySet
	if err := json.Unmarshal(b, &set); err != nil {
		f.Fatal(err)
	}
	ks, err := parseKeySet(&set)
	if err != nil {
		f.Fatal(err)
	}
	v, err := newVerifier(VerifierConfig{Audiences: []string{"a"}, RefetchInterval: time.Hour}, nil, func() time.Time { return now })
	if err != nil {
		f.Fatal(err)
	}
	u, _ := url.Parse("https://iss/certs")
	v.ep.Store(&verifierEndpoints{issuer: "https://iss", jwks: u})
	v.keys.Store(ks)
	v.lastRefetch = now // no fetch: rate-limited for the whole run
	f.Fuzz(func(t *testing.T, tok string) {
		c, err := v.Verify(t.Context(), tok)
		if err == nil && tok != good {
			t.Errorf("token %q verified: %+v", tok, c)
		}
	})
}

// FuzzParseHeader checks the allocation-free header parser against
// encoding/json: whatever it accepts is valid JSON with the same alg.
func FuzzParseHeader(f *testing.F) {
	for _, s := range []string{`{"alg":"RS256","kid":"a"}`, `{}`, `{"alg":"RS256","x":[1,{"y":"}"}]}`, `{"alg":"a\"b"}`, `{"alg":1}`, `{"a":}`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var h jwsHeader
		if parseHeader([]byte(s), &h) != nil {
			return
		}
		var w map[string]any
		if err := json.Unmarshal([]byte(s), &w); err != nil {
			t.Fatalf("parseHeader accepted invalid JSON %q", s)
		}
		// Invalid UTF-8 stays raw here (encoding/json replaces it): it
		// matches no algorithm and no key ID either way.
		if alg, ok := w["alg"].(string); ok && utf8.Valid(h.alg) && alg != string(h.alg) {
			t.Errorf("%q: alg %q, encoding/json says %q", s, h.alg, alg)
		}
	})
}
