package benchmarks

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"math/big"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"
)

// The verification benchmarks share one signed token and one JWKS, served
// by a plain httptest server at Keycloak's paths, so every verifier checks
// the same bytes with the same key.
const (
	verifyRealm    = "bench"
	verifyClientID = "bench-api"
	verifyKid      = "bench-key-1"
)

type verifyFixture struct {
	server *httptest.Server
	key    *rsa.PrivateKey
	issuer string
	token  string // a Keycloak-shaped RS256 access token
	now    time.Time
}

var (
	fixtureOnce sync.Once
	fixture     *verifyFixture
	fixtureErr  error
)

// tokenFixture returns the shared fixture; its server lives as long as the
// test binary.
func tokenFixture(tb testing.TB) *verifyFixture {
	tb.Helper()
	fixtureOnce.Do(func() { fixture, fixtureErr = newVerifyFixture() })
	if fixtureErr != nil {
		tb.Fatal(fixtureErr)
	}
	return fixture
}

func newVerifyFixture() (*verifyFixture, error) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, err
	}
	f := &verifyFixture{key: key, now: time.Now().Truncate(time.Second)}
	mux := http.NewServeMux()
	f.server = httptest.NewServer(mux)
	f.issuer = f.server.URL + "/realms/" + verifyRealm
	oidcPath := "/realms/" + verifyRealm + "/protocol/openid-connect"
	mux.HandleFunc("GET /realms/"+verifyRealm+"/.well-known/openid-configuration", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, map[string]any{
			"issuer":                                f.issuer,
			"authorization_endpoint":                f.issuer + "/protocol/openid-connect/auth",
			"token_endpoint":                        f.issuer + "/protocol/openid-connect/token",
			"introspection_endpoint":                f.issuer + "/protocol/openid-connect/token/introspect",
			"userinfo_endpoint":                     f.issuer + "/protocol/openid-connect/userinfo",
			"end_session_endpoint":                  f.issuer + "/protocol/openid-connect/logout",
			"jwks_uri":                              f.issuer + "/protocol/openid-connect/certs",
			"grant_types_supported":                 []string{"authorization_code", "client_credentials", "password", "refresh_token"},
			"response_types_supported":              []string{"code"},
			"subject_types_supported":               []string{"public", "pairwise"},
			"id_token_signing_alg_values_supported": []string{"RS256"},
		})
	})
	mux.HandleFunc("GET "+oidcPath+"/certs", func(w http.ResponseWriter, r *http.Request) {
		pub := &key.PublicKey
		writeJSON(w, map[string]any{"keys": []map[string]any{{
			"kid": verifyKid, "kty": "RSA", "alg": "RS256", "use": "sig",
			"n": b64(pub.N.Bytes()),
			"e": b64(big.NewInt(int64(pub.E)).Bytes()),
		}}})
	})
	f.token, err = signRS256(key, verifyKid, f.claims())
	if err != nil {
		return nil, err
	}
	return f, nil
}

// claims are the claims of the fixture's token: a Keycloak access token's.
func (f *verifyFixture) claims() map[string]any {
	return map[string]any{
		"exp":                f.now.Add(time.Hour).Unix(),
		"iat":                f.now.Unix(),
		"jti":                "onrtac:6f1d1c9e-7c43-4a7e-9c55-2f8f3b1f6a01",
		"iss":                f.issuer,
		"aud":                []string{verifyClientID, "account"},
		"sub":                "0b4ab0a4-4e5b-4f8e-b0a5-0c3e8f7d5b11",
		"typ":                "Bearer",
		"azp":                "bench-web",
		"sid":                "3c1f0d7e-2b7a-4d8e-9f1a-5e6d7c8b9a00",
		"acr":                "1",
		"allowed-origins":    []string{"https://app.example.com"},
		"realm_access":       map[string]any{"roles": []string{"default-roles-bench", "offline_access", "uma_authorization", "reader"}},
		"resource_access":    map[string]any{"account": map[string]any{"roles": []string{"manage-account", "view-profile"}}},
		"scope":              "openid profile email",
		"email_verified":     true,
		"name":               "Alice Liddell",
		"preferred_username": "alice",
		"given_name":         "Alice",
		"family_name":        "Liddell",
		"email":              "alice@example.com",
	}
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

func b64(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

func signRS256(key *rsa.PrivateKey, kid string, claims any) (string, error) {
	h, err := json.Marshal(map[string]string{"alg": "RS256", "typ": "JWT", "kid": kid})
	if err != nil {
		return "", err
	}
	p, err := json.Marshal(claims)
	if err != nil {
		return "", err
	}
	input := b64(h) + "." + b64(p)
	sum := sha256.Sum256([]byte(input))
	sig, err := rsa.SignPKCS1v15(rand.Reader, key, crypto.SHA256, sum[:])
	if err != nil {
		return "", err
	}
	return input + "." + b64(sig), nil
}
