package oidc

import (
	"crypto"
	"crypto/elliptic"
	"crypto/hmac"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/kcgo/kc"
)

// rawJWT builds a token from a literal header and claims, signed with the
// fake provider's active key unless sig is given.
func rawJWT(t *testing.T, header string, claims any, signer func(input []byte) []byte) string {
	t.Helper()
	cb, err := json.Marshal(claims)
	if err != nil {
		t.Fatal(err)
	}
	input := b64([]byte(header)) + "." + b64(cb)
	return input + "." + b64(signer([]byte(input)))
}

func rsSigner(t *testing.T, op *fakeOP) func([]byte) []byte {
	return func(in []byte) []byte {
		sig, err := sign(op.activeKey().key, RS256, in)
		if err != nil {
			t.Fatal(err)
		}
		return sig
	}
}

func newTestVerifier(t *testing.T, op *fakeOP, cfg VerifierConfig) *Verifier {
	t.Helper()
	v, err := op.client("app", WithClientSecret("app-secret")).Verifier(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestVerifyClaims(t *testing.T) {
	t.Parallel()
	op := newFakeOP(t)
	now := op.clock.Now()
	base := func(edit func(m map[string]any)) map[string]any {
		m := op.accessClaims("alice", "app", "openid email", "sid-1")
		m["aud"] = []string{"app", "account"}
		if edit != nil {
			edit(m)
		}
		return m
	}
	tests := []struct {
		name  string
		cfg   VerifierConfig
		claim func(m map[string]any)
		id    bool
		nonce string
		want  error
	}{
		{"valid", VerifierConfig{}, nil, false, "", nil},
		{"aud as string", VerifierConfig{}, func(m map[string]any) { m["aud"] = "app" }, false, "", nil},
		{"aud any of", VerifierConfig{Audiences: []string{"x", "account"}}, nil, false, "", nil},
		{"aud mismatch", VerifierConfig{Audiences: []string{"billing"}}, nil, false, "", ErrInvalidAudience},
		{"aud missing", VerifierConfig{}, func(m map[string]any) { delete(m, "aud") }, false, "", ErrInvalidAudience},
		{"aud skipped", VerifierConfig{SkipAudienceCheck: true}, func(m map[string]any) { delete(m, "aud") }, false, "", nil},
		{"wrong issuer", VerifierConfig{}, func(m map[string]any) { m["iss"] = "https://evil/realms/demo" }, false, "", ErrInvalidIssuer},
		{"issuer skipped", VerifierConfig{SkipIssuerCheck: true}, func(m map[string]any) { m["iss"] = "x" }, false, "", nil},
		{"azp ok", VerifierConfig{AuthorizedParty: "app"}, nil, false, "", nil},
		{"azp mismatch", VerifierConfig{AuthorizedParty: "spa"}, nil, false, "", ErrInvalidClaims},
		{"expired", VerifierConfig{}, func(m map[string]any) { m["exp"] = now.Unix() }, false, "", ErrTokenExpired},
		{"expired within leeway", VerifierConfig{Leeway: time.Minute}, func(m map[string]any) { m["exp"] = now.Add(-30 * time.Second).Unix() }, false, "", nil},
		{"no exp", VerifierConfig{}, func(m map[string]any) { delete(m, "exp") }, false, "", ErrInvalidClaims},
		{"no exp, skipped", VerifierConfig{SkipExpiryCheck: true}, func(m map[string]any) { delete(m, "exp") }, false, "", nil},
		{"nbf future", VerifierConfig{}, func(m map[string]any) { m["nbf"] = now.Add(time.Minute).Unix() }, false, "", ErrTokenNotYetValid},
		{"nbf within leeway", VerifierConfig{Leeway: 2 * time.Minute}, func(m map[string]any) { m["nbf"] = now.Add(time.Minute).Unix() }, false, "", nil},
		{"iat future", VerifierConfig{}, func(m map[string]any) { m["iat"] = now.Add(time.Minute).Unix() }, false, "", ErrTokenNotYetValid},
		{"fractional exp", VerifierConfig{}, func(m map[string]any) { m["exp"] = float64(now.Add(time.Minute).Unix()) + 0.5 }, false, "", nil},
		{"ID token as access token", VerifierConfig{}, func(m map[string]any) { m["typ"] = "ID" }, false, "", ErrInvalidClaims},
		{"refresh token as access token", VerifierConfig{}, func(m map[string]any) { m["typ"] = "Refresh" }, false, "", ErrInvalidClaims},
		{"no typ (other providers)", VerifierConfig{}, func(m map[string]any) { delete(m, "typ") }, false, "", ErrInvalidClaims},
		{"no typ, untyped accepted", VerifierConfig{AcceptUntypedAccessTokens: true}, func(m map[string]any) { delete(m, "typ") }, false, "", nil},
		{"typ skipped", VerifierConfig{SkipTypeCheck: true}, func(m map[string]any) { m["typ"] = "ID" }, false, "", nil},
		{"ID token", VerifierConfig{}, func(m map[string]any) { m["typ"], m["nonce"] = "ID", "n-1" }, true, "n-1", nil},
		{"ID token wrong nonce", VerifierConfig{}, func(m map[string]any) { m["typ"], m["nonce"] = "ID", "n-1" }, true, "n-2", ErrInvalidClaims},
		{"ID token missing nonce", VerifierConfig{}, func(m map[string]any) { m["typ"] = "ID" }, true, "n-2", ErrInvalidClaims},
		{"access token as ID token", VerifierConfig{}, nil, true, "", ErrInvalidClaims},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := newTestVerifier(t, op, tt.cfg)
			tok := op.sign(base(tt.claim))
			var err error
			if tt.id {
				_, err = v.VerifyIDToken(t.Context(), tok, tt.nonce)
			} else {
				_, err = v.Verify(t.Context(), tok)
			}
			if !errors.Is(err, tt.want) || (tt.want == nil) != (err == nil) {
				t.Fatalf("error = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestVerifyTypedClaims(t *testing.T) {
	t.Parallel()
	op := newFakeOP(t)
	v := newTestVerifier(t, op, VerifierConfig{Audiences: []string{"account"}})
	m := op.accessClaims("alice", "app", "openid email profile", "sid-1")
	m["groups"] = []string{"/staff"}
	m["custom"] = map[string]any{"tier": "gold"}
	c, err := v.Verify(t.Context(), op.sign(m))
	if err != nil {
		t.Fatal(err)
	}
	now := op.clock.Now()
	want := &Claims{
		Issuer: op.issuer, Subject: "id-alice", Audience: Audience{"account"}, Expiry: NumericDate(now.Add(5 * time.Minute).Unix()),
		IssuedAt: NumericDate(now.Unix()), ID: m["jti"].(string), Type: "Bearer", AuthorizedParty: "app", SessionID: "sid-1",
		Scope: "openid email profile", PreferredUsername: "alice", Email: "alice@example.com", EmailVerified: true,
		RealmAccess:    Access{Roles: []string{"default-roles-demo", "offline_access", "admin"}},
		ResourceAccess: map[string]Access{"account": {Roles: []string{"manage-account", "view-profile"}}, "app": {Roles: []string{"reader"}}},
		Groups:         []string{"/staff"},
	}
	if diff := cmp.Diff(want, c, cmp.FilterPath(func(p cmp.Path) bool { return strings.HasSuffix(p.String(), "Raw") }, cmp.Ignore())); diff != "" {
		t.Errorf("claims (-want +got):\n%s", diff)
	}
	if !c.Expiry.Time().Equal(now.Add(5*time.Minute)) || !c.HasRealmRole("admin") || c.HasRealmRole("root") || !c.HasClientRole("app", "reader") ||
		c.HasClientRole("ghost", "reader") || !c.HasScope("email") || c.HasScope("mail") || len(c.Scopes()) != 3 ||
		len(c.RealmRoles()) != 3 || c.ClientRoles("account")[0] != "manage-account" {
		t.Errorf("helpers disagree with %+v", c)
	}
	var custom struct{ Custom struct{ Tier string } }
	if err := c.Decode(&custom); err != nil || custom.Custom.Tier != "gold" {
		t.Errorf("Decode: %v %+v", err, custom)
	}
}

func TestVerifyRejectsForgeries(t *testing.T) {
	t.Parallel()
	op := newFakeOP(t)
	claims := op.accessClaims("alice", "app", "openid", "")
	claims["aud"] = "app"
	good := op.sign(claims)
	parts := strings.Split(good, ".")
	hs := func(key []byte) func([]byte) []byte {
		return func(in []byte) []byte {
			m := hmac.New(sha256.New, key)
			m.Write(in)
			return m.Sum(nil)
		}
	}
	rsaPub := op.activeKey().key.Public().(*rsa.PublicKey)
	pemKey := pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: must(x509.MarshalPKIXPublicKey(rsaPub))})
	tests := []struct {
		name  string
		token string
		want  error
	}{
		{"alg none", b64([]byte(`{"alg":"none","kid":"key-a"}`)) + "." + parts[1] + ".", ErrUnsupportedAlgorithm},
		{"alg none with sig", rawJWT(t, `{"alg":"none","kid":"key-a"}`, claims, func([]byte) []byte { return []byte{1} }), ErrUnsupportedAlgorithm},
		{"hs256 with the RSA public key as secret", rawJWT(t, `{"alg":"HS256","kid":"key-a"}`, claims, hs(pemKey)), ErrUnsupportedAlgorithm},
		{"RS256 not allowed: PS256 header", rawJWT(t, `{"alg":"PS256","kid":"key-a"}`, claims, rsSigner(t, op)), ErrUnsupportedAlgorithm},
		{"tampered payload", parts[0] + "." + b64([]byte(`{"iss":"`+op.issuer+`","aud":"app","exp":9999999999,"typ":"Bearer"}`)) + "." + parts[2], ErrInvalidSignature},
		{"truncated signature", parts[0] + "." + parts[1] + "." + parts[2][:20], ErrInvalidSignature},
		{"two parts", parts[0] + "." + parts[1], ErrMalformedToken},
		{"four parts", good + ".x", ErrMalformedToken},
		{"padding", parts[0] + "=." + parts[1] + "." + parts[2], ErrMalformedToken},
		{"std alphabet", strings.NewReplacer("-", "+", "_", "/").Replace(parts[0]) + "x+/." + parts[1] + "." + parts[2], ErrMalformedToken},
		{"header not JSON", b64([]byte(`alg=RS256`)) + "." + parts[1] + "." + parts[2], ErrMalformedToken},
		{"header no alg", rawJWT(t, `{"kid":"key-a"}`, claims, rsSigner(t, op)), ErrMalformedToken},
		{"crit", rawJWT(t, `{"alg":"RS256","kid":"key-a","crit":["exp"]}`, claims, rsSigner(t, op)), ErrMalformedToken},
		{"payload not JSON", rawJWTRaw(t, `{"alg":"RS256","kid":"key-a"}`, "not json", rsSigner(t, op)), ErrMalformedToken},
		{"unknown kid", rawJWT(t, `{"alg":"RS256","kid":"nope"}`, claims, rsSigner(t, op)), ErrUnknownKey},
		{"too long", strings.Repeat("a", maxTokenSize+1), ErrMalformedToken},
		{"empty", "", ErrMalformedToken},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := newTestVerifier(t, op, VerifierConfig{})
			_, err := v.Verify(t.Context(), tt.token)
			if !errors.Is(err, tt.want) {
				t.Fatalf("error = %v, want %v", err, tt.want)
			}
		})
	}
	t.Run("hs256 signed with the RSA modulus", func(t *testing.T) {
		v := newTestVerifier(t, op, VerifierConfig{Algorithms: []string{RS256, PS256, ES256, EdDSA}})
		tok := rawJWT(t, `{"alg":"HS256","kid":"key-a"}`, claims, hs(rsaPub.N.Bytes()))
		if _, err := v.Verify(t.Context(), tok); !errors.Is(err, ErrUnsupportedAlgorithm) {
			t.Fatalf("error = %v, want ErrUnsupportedAlgorithm", err)
		}
	})
	t.Run("config refuses none and HMAC", func(t *testing.T) {
		for _, alg := range []string{"none", hs256, "HS512", "RSA-OAEP"} {
			if _, err := op.client("app", WithClientSecret("app-secret")).Verifier(VerifierConfig{Algorithms: []string{alg}}); err == nil {
				t.Errorf("algorithm %q accepted", alg)
			}
		}
	})
}

func rawJWTRaw(t *testing.T, header, payload string, signer func([]byte) []byte) string {
	input := b64([]byte(header)) + "." + b64([]byte(payload))
	return input + "." + b64(signer([]byte(input)))
}

func TestVerifyAlgorithms(t *testing.T) {
	t.Parallel()
	all := []string{RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, ES512, EdDSA}
	keys := map[string]crypto.Signer{
		RS256: rsaKey(1), RS384: rsaKey(1), RS512: rsaKey(1), PS256: rsaKey(1), PS384: rsaKey(1), PS512: rsaKey(1),
		ES256: mustECKey(elliptic.P256()), ES384: mustECKey(elliptic.P384()), ES512: mustECKey(elliptic.P521()), EdDSA: mustEdKey(),
	}
	op := newFakeOP(t)
	for _, alg := range all {
		kid := op.rotate(alg, keys[alg])
		m := op.accessClaims("alice", "app", "openid", "")
		m["aud"] = "app"
		tok := op.sign(m)
		t.Run(alg+" allowed", func(t *testing.T) {
			v := newTestVerifier(t, op, VerifierConfig{Algorithms: all})
			if _, err := v.Verify(t.Context(), tok); err != nil {
				t.Fatalf("kid %s: %v", kid, err)
			}
		})
		t.Run(alg+" not allowed", func(t *testing.T) {
			other := RS256
			if alg == RS256 {
				other = PS256
			}
			v := newTestVerifier(t, op, VerifierConfig{Algorithms: []string{other}})
			if _, err := v.Verify(t.Context(), tok); !errors.Is(err, ErrUnsupportedAlgorithm) {
				t.Fatalf("error = %v, want ErrUnsupportedAlgorithm", err)
			}
		})
	}
}

// gocloak D8: a header whose base64url holds "-" or "_" decodes.
func TestVerifyHeaderURLAlphabet(t *testing.T) {
	t.Parallel()
	op := newFakeOP(t)
	kid := ""
	var header string
	for i := 0; ; i++ {
		if i == 30 {
			t.Fatal("found no header whose base64url has - and _")
		}
		kid = strings.Repeat("k", i) + "ab?ab>"
		header = `{"alg":"RS256","kid":"` + kid + `","typ":"JWT"}`
		if e := b64([]byte(header)); strings.Contains(e, "-") && strings.Contains(e, "_") {
			break
		}
	}
	op.mu.Lock()
	op.keys[0].kid = kid
	op.mu.Unlock()
	m := op.accessClaims("alice", "app", "openid", "")
	m["aud"] = "app"
	tok := rawJWT(t, header, m, rsSigner(t, op))
	if _, err := newTestVerifier(t, op, VerifierConfig{}).Verify(t.Context(), tok); err != nil {
		t.Fatalf("header %s: %v", b64([]byte(header)), err)
	}
}

func TestVerifyHeaderParsing(t *testing.T) {
	t.Parallel()
	tests := []struct {
		header   string
		alg, kid string
		crit     bool
		bad      bool
	}{
		{`{"alg":"RS256","kid":"a"}`, "RS256", "a", false, false},
		{` { "typ" : "JWT" , "x5c":["a","b"], "n":{"a":[1,{"b":"}"}]}, "num": -1.5e3, "t": true, "alg":"ES256" } `, "ES256", "", false, false},
		{`{"alg":"RS256","kid":"a\"b"}`, "RS256", `a"b`, false, false},
		{`{"alg":"RS256","crit":["b64"]}`, "RS256", "", true, false},
		{`{"alg":"RS256"`, "", "", false, true},
		{`{"alg":"RS256",}`, "", "", false, true},
		{`{"alg":}`, "", "", false, true},
		{`{"alg":"RS256"} x`, "", "", false, true},
		{`["alg"]`, "", "", false, true},
		{`{}`, "", "", false, false},
	}
	for _, tt := range tests {
		var h jwsHeader
		err := parseHeader([]byte(tt.header), &h)
		if (err != nil) != tt.bad {
			t.Errorf("%s: error %v, want bad=%v", tt.header, err, tt.bad)
			continue
		}
		if !tt.bad && (string(h.alg) != tt.alg || string(h.kid) != tt.kid || h.crit != tt.crit) {
			t.Errorf("%s: got alg=%q kid=%q crit=%v", tt.header, h.alg, h.kid, h.crit)
		}
	}
}

// gocloak D2: the JWKS has kid a, the token has kid b: one refetch, then
// success.
func TestVerifyKeyRotation(t *testing.T) {
	t.Parallel()
	op := newFakeOP(t)
	v := newTestVerifier(t, op, VerifierConfig{})
	m := op.accessClaims("alice", "app", "openid", "")
	m["aud"] = "app"
	if _, err := v.Verify(t.Context(), op.sign(m)); err != nil {
		t.Fatal(err)
	}
	op.rotate(RS256, rsaKey(2))
	op.removeKey("key-a")
	tok := op.sign(m)
	if _, err := v.Verify(t.Context(), tok); !errors.Is(err, ErrUnknownKey) {
		t.Fatalf("right after the first fetch: err = %v, want ErrUnknownKey (rate-limited)", err)
	}
	op.clock.Advance(DefaultRefetchInterval)
	for i := range 5 {
		if _, err := v.Verify(t.Context(), tok); err != nil {
			t.Fatalf("verify %d after rotation: %v", i, err)
		}
	}
	if n := op.count("/certs"); n != 2 {
		t.Errorf("%d JWKS fetches, want 2 (initial + one refetch)", n)
	}
}

// A flood of tokens with made-up kids makes at most one JWKS fetch per
// refetch interval.
func TestVerifyUnknownKidRateLimit(t *testing.T) {
	t.Parallel()
	op := newFakeOP(t)
	v := newTestVerifier(t, op, VerifierConfig{RefetchInterval: 10 * time.Second})
	m := op.accessClaims("alice", "app", "openid", "")
	m["aud"] = "app"
	if _, err := v.Verify(t.Context(), op.sign(m)); err != nil {
		t.Fatal(err)
	}
	op.clock.Advance(10 * time.Second) // the first fetch counts for the limit too
	flood := func() {
		var wg sync.WaitGroup
		for i := range 1000 {
			wg.Go(func() {
				tok := rawJWT(t, fmt.Sprintf(`{"alg":"RS256","kid":"random-%d-%s"}`, i, newID()), m, func([]byte) []byte { return []byte{1, 2, 3} })
				if _, err := v.Verify(t.Context(), tok); !errors.Is(err, ErrUnknownKey) {
					t.Errorf("error = %v, want ErrUnknownKey", err)
				}
			})
		}
		wg.Wait()
	}
	flood()
	if n := op.count("/certs"); n != 2 {
		t.Errorf("after the first flood: %d JWKS fetches, want 2 (initial + 1)", n)
	}
	op.clock.Advance(5 * time.Second)
	flood()
	if n := op.count("/certs"); n != 2 {
		t.Errorf("within the window: %d JWKS fetches, want 2", n)
	}
	op.clock.Advance(5 * time.Second)
	flood()
	if n := op.count("/certs"); n != 3 {
		t.Errorf("next window: %d JWKS fetches, want 3", n)
	}
	// A real key still verifies in the meantime.
	if _, err := v.Verify(t.Context(), op.sign(m)); err != nil {
		t.Fatal(err)
	}
}

func TestVerifyConcurrentFirstFetch(t *testing.T) {
	t.Parallel()
	op := newFakeOP(t)
	v := newTestVerifier(t, op, VerifierConfig{})
	m := op.accessClaims("alice", "app", "openid", "")
	m["aud"] = "app"
	tok := op.sign(m)
	var wg sync.WaitGroup
	for range 100 {
		wg.Go(func() {
			if _, err := v.Verify(t.Context(), tok); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if n := op.count("/certs"); n != 1 {
		t.Errorf("%d JWKS fetches, want 1", n)
	}
	if n := op.count("openid-configuration"); n != 1 {
		t.Errorf("%d discovery fetches, want 1", n)
	}
}

func TestVerifyKeepsKeysWhenFetchFails(t *testing.T) {
	t.Parallel()
	op := newFakeOP(t)
	v := newTestVerifier(t, op, VerifierConfig{})
	m := op.accessClaims("alice", "app", "openid", "")
	m["aud"] = "app"
	tok := op.sign(m)
	if _, err := v.Verify(t.Context(), tok); err != nil {
		t.Fatal(err)
	}
	op.inject("/certs", fault{status: 500, body: `{"error":"unknown_error"}`})
	if _, err := v.Verify(t.Context(), rawJWT(t, `{"alg":"RS256","kid":"new"}`, m, rsSigner(t, op))); err == nil {
		t.Fatal("want the fetch error")
	}
	if _, err := v.Verify(t.Context(), tok); err != nil {
		t.Fatalf("known key after a failed fetch: %v", err)
	}
}

func TestJWKSFiltering(t *testing.T) {
	t.Parallel()
	op := newFakeOP(t)
	ec := mustECKey(elliptic.P256())
	encJWK := jwkOf("enc-1", "RSA-OAEP", rsaKey(1).Public())
	encJWK["use"] = "enc"
	noUseOAEP := jwkOf("enc-2", "RSA-OAEP", rsaKey(1).Public())
	delete(noUseOAEP, "use")
	op.mu.Lock()
	op.extraJWKS = []map[string]any{encJWK, noUseOAEP,
		{"kid": "hmac", "kty": "oct", "k": "c2VjcmV0", "alg": "HS256"},
		{"kid": "bad", "kty": "RSA", "n": "!!", "e": "AQAB"},
		{"kid": "x25519", "kty": "OKP", "crv": "X25519", "x": b64(make([]byte, 32))},
		jwkOf("ec-1", "ES256", ec.Public()),
	}
	op.mu.Unlock()
	set, err := op.client("app", WithClientSecret("app-secret")).JWKS(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	ks, err := parseKeySet(set)
	if err != nil {
		t.Fatal(err)
	}
	var kids []string
	for _, k := range ks.all {
		kids = append(kids, k.kid)
	}
	if diff := cmp.Diff([]string{"key-a", "ec-1"}, kids); diff != "" {
		t.Errorf("usable keys (-want +got):\n%s", diff)
	}
	// A token claiming the encryption key's kid finds no key.
	v := newTestVerifier(t, op, VerifierConfig{})
	m := op.accessClaims("alice", "app", "", "")
	m["aud"] = "app"
	if _, err := v.Verify(t.Context(), rawJWT(t, `{"alg":"RS256","kid":"enc-1"}`, m, func(in []byte) []byte {
		s, _ := sign(rsaKey(1), RS256, in)
		return s
	})); !errors.Is(err, ErrUnknownKey) {
		t.Errorf("error = %v, want ErrUnknownKey", err)
	}
	if _, err := parseKeySet(&JSONWebKeySet{Keys: []JSONWebKey{{KeyType: "oct"}}}); err == nil {
		t.Error("a set without signing keys parsed")
	}
}

func TestVerifyWithoutKid(t *testing.T) {
	t.Parallel()
	op := newFakeOP(t)
	v := newTestVerifier(t, op, VerifierConfig{})
	m := op.accessClaims("alice", "app", "", "")
	m["aud"] = "app"
	if _, err := v.Verify(t.Context(), rawJWT(t, `{"alg":"RS256"}`, m, rsSigner(t, op))); err != nil {
		t.Fatal(err)
	}
	if _, err := v.Verify(t.Context(), rawJWT(t, `{"alg":"RS256"}`, m, func([]byte) []byte { return make([]byte, 256) })); !errors.Is(err, ErrInvalidSignature) {
		t.Errorf("error = %v, want ErrInvalidSignature", err)
	}
}

func TestNewVerifier(t *testing.T) {
	t.Parallel()
	op := newFakeOP(t)
	jwks := op.srv.URL + op.base() + "/certs"
	v, err := NewVerifier(op.issuer, jwks, VerifierConfig{Audiences: []string{"app"}}, WithClock(op.clock.Now))
	if err != nil {
		t.Fatal(err)
	}
	m := op.accessClaims("alice", "app", "", "")
	m["aud"] = "app"
	if _, err := v.Verify(t.Context(), op.sign(m)); err != nil {
		t.Fatal(err)
	}
	if n := op.count("openid-configuration"); n != 0 {
		t.Errorf("NewVerifier fetched discovery %d times", n)
	}
	for _, tt := range []struct {
		issuer, jwks string
		cfg          VerifierConfig
		want         string
	}{
		{"", jwks, VerifierConfig{Audiences: []string{"a"}}, "issuer is empty"},
		{op.issuer, "/certs", VerifierConfig{Audiences: []string{"a"}}, "not an absolute http(s) URL"},
		{op.issuer, jwks, VerifierConfig{}, "set Audiences or SkipAudienceCheck"},
		{op.issuer, jwks, VerifierConfig{Audiences: []string{""}}, "empty audience"},
		{op.issuer, jwks, VerifierConfig{SkipAudienceCheck: true, Leeway: -1}, "Leeway is negative"},
		{op.issuer, jwks, VerifierConfig{SkipAudienceCheck: true, Algorithms: []string{"none"}}, `"none" is not supported`},
	} {
		if _, err := NewVerifier(tt.issuer, tt.jwks, tt.cfg); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("NewVerifier(%q, %q, %+v) error = %v, want %q", tt.issuer, tt.jwks, tt.cfg, err, tt.want)
		}
	}
}

func TestAudienceAndNumericDate(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		in   string
		want Audience
		bad  bool
	}{
		{`"a"`, Audience{"a"}, false},
		{`["a","b"]`, Audience{"a", "b"}, false},
		{`[]`, Audience{}, false},
		{`1`, nil, true},
	} {
		var a Audience
		err := json.Unmarshal([]byte(tt.in), &a)
		if (err != nil) != tt.bad || (!tt.bad && !cmp.Equal(tt.want, a)) {
			t.Errorf("Audience %s = %v, %v", tt.in, a, err)
		}
	}
	var d struct{ D NumericDate }
	if err := json.Unmarshal([]byte(`{"D":1.7e9}`), &d); err != nil || d.D != 1_700_000_000 {
		t.Errorf("NumericDate 1.7e9 = %v, %v", d.D, err)
	}
	if NumericDate(0).Time() != (time.Time{}) {
		t.Error("zero NumericDate is not the zero time")
	}
	if err := json.Unmarshal([]byte(`{"D":"x"}`), &d); err == nil {
		t.Error("string NumericDate accepted")
	}
}

func TestB64Decode(t *testing.T) {
	t.Parallel()
	for i := range 70 {
		b := make([]byte, i)
		for j := range b {
			b[j] = byte(j*37 + i)
		}
		got, err := b64Decode(nil, base64.RawURLEncoding.EncodeToString(b))
		if err != nil || string(got) != string(b) {
			t.Fatalf("length %d: %v", i, err)
		}
	}
	for _, bad := range []string{"a", "ab=", "a+b/", "ab!c", "AB"} {
		if _, err := b64Decode(nil, bad); err == nil {
			t.Errorf("%q decoded", bad)
		}
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

func TestVerifyLogoutToken(t *testing.T) {
	t.Parallel()
	op := newFakeOP(t)
	v := newTestVerifier(t, op, VerifierConfig{})
	now := op.clock.Now()
	base := func(edit func(m map[string]any)) string {
		m := map[string]any{"iss": op.issuer, "aud": "app", "iat": now.Unix(), "exp": now.Add(time.Minute).Unix(), "jti": "j-1",
			"typ": "Logout", "sid": "s-1", "sub": "u-1",
			"events": map[string]any{"http://schemas.openid.net/event/backchannel-logout": map[string]any{}, "revoke_offline_access": true}}
		if edit != nil {
			edit(m)
		}
		return op.sign(m)
	}
	tests := []struct {
		name string
		edit func(m map[string]any)
		want error
	}{
		{"valid", nil, nil},
		{"sub only", func(m map[string]any) { delete(m, "sid") }, nil},
		{"no event", func(m map[string]any) { m["events"] = map[string]any{} }, ErrInvalidClaims},
		{"event not an object", func(m map[string]any) {
			m["events"] = map[string]any{"http://schemas.openid.net/event/backchannel-logout": true}
		}, ErrInvalidClaims},
		{"nonce", func(m map[string]any) { m["nonce"] = "n" }, ErrInvalidClaims},
		{"no jti", func(m map[string]any) { delete(m, "jti") }, ErrInvalidClaims},
		{"neither sid nor sub", func(m map[string]any) { delete(m, "sid"); delete(m, "sub") }, ErrInvalidClaims},
		{"access token", func(m map[string]any) { m["typ"] = "Bearer" }, ErrInvalidClaims},
		{"wrong audience", func(m map[string]any) { m["aud"] = "other" }, ErrInvalidAudience},
		{"expired", func(m map[string]any) { m["exp"] = now.Add(-time.Minute).Unix() }, ErrTokenExpired},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := v.VerifyLogoutToken(t.Context(), base(tt.edit))
			if !errors.Is(err, tt.want) || (tt.want == nil) != (err == nil) {
				t.Fatalf("error = %v, want %v", err, tt.want)
			}
			if err == nil && c.Subject != "u-1" {
				t.Errorf("claims = %+v", c)
			}
		})
	}
}

func TestAccessTokenHash(t *testing.T) {
	t.Parallel()
	// OpenID Connect Core 1.0, Appendix A.3.
	if got, want := accessTokenHash(RS256, "jHkWEdUXMU1BwAsC4vtUsZwnNvTIxEl0z9K3vx5KF0Y"), "77QmUPtjPfzWtF2AnpK9RQ"; got != want {
		t.Errorf("RS256 at_hash = %q, want %q", got, want)
	}
	for alg, n := range map[string]int{RS256: 22, PS256: 22, ES256: 22, RS384: 32, PS384: 32, ES384: 32, RS512: 43, PS512: 43, ES512: 43, EdDSA: 43} {
		if got := accessTokenHash(alg, "token"); len(got) != n {
			t.Errorf("%s at_hash %q has %d characters, want %d", alg, got, len(got), n)
		}
	}
	if err := checkAccessTokenHash(accessTokenHash(ES384, "t"), ES384, "t"); err != nil {
		t.Error(err)
	}
	if err := checkAccessTokenHash(accessTokenHash(ES256, "t"), ES384, "t"); !errors.Is(err, ErrInvalidClaims) {
		t.Errorf("at_hash of another algorithm: error = %v", err)
	}
}

// VerifyIDTokenOf refuses bad input by name, before any request.
func TestVerifyIDTokenOfBadInput(t *testing.T) {
	t.Parallel()
	c, err := New(failServer(t), "demo", "app")
	if err != nil {
		t.Fatal(err)
	}
	v, err := c.Verifier(VerifierConfig{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		tok  *kc.Token
		want string
	}{
		{nil, "oidc: tok is nil"},
		{&kc.Token{AccessToken: "a"}, "oidc: tok.IDToken is empty"},
		{&kc.Token{IDToken: "i"}, "oidc: tok.AccessToken is empty"},
	} {
		if _, err := v.VerifyIDTokenOf(t.Context(), tt.tok, ""); err == nil || !strings.HasPrefix(err.Error(), tt.want) {
			t.Errorf("VerifyIDTokenOf(%v) error = %v, want %q", tt.tok, err, tt.want)
		}
	}
}
