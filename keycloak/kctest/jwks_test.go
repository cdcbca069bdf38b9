package kctest_test

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestJWKSListsEncryptionKey pins keycloak-server.md §4.9: like Keycloak
// 26 the JWKS lists an RSA-OAEP encryption key (use "enc") besides the
// RS256 signing key, first, so clients must choose keys by kid and use;
// tokens are never signed with it.
func TestJWKSListsEncryptionKey(t *testing.T) {
	t.Parallel()
	s, _ := startDemo(t)
	r := do(t, http.MethodGet, oidcURL(s, "demo", "certs"), nil)
	type key struct{ Kid, Kty, Alg, Use, E string }
	var got []key
	for _, k := range r.json()["keys"].([]any) {
		m := k.(map[string]any)
		got = append(got, key{Kid: m["kid"].(string), Kty: m["kty"].(string), Alg: m["alg"].(string), Use: m["use"].(string), E: m["e"].(string)})
		for _, f := range []string{"n", "x5t", "x5t#S256"} {
			if m[f] == "" || m[f] == nil {
				t.Errorf("key %v: no %s", m["kid"], f)
			}
		}
		if x5c, _ := m["x5c"].([]any); len(x5c) != 1 {
			t.Errorf("key %v: x5c %v, want one certificate", m["kid"], m["x5c"])
		}
	}
	if len(got) != 2 {
		t.Fatalf("keys = %+v, want an enc key and a sig key", got)
	}
	active, err := s.ActiveKeyID("demo")
	if err != nil {
		t.Fatal(err)
	}
	want := []key{{Kid: got[0].Kid, Kty: "RSA", Alg: "RSA-OAEP", Use: "enc", E: "AQAB"}, {Kid: active, Kty: "RSA", Alg: "RS256", Use: "sig", E: "AQAB"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("JWKS (-want +got):\n%s", diff)
	}
	if got[0].Kid == active {
		t.Error("the encryption key has the signing key's kid")
	}
	// Tokens name the signing key.
	tok := postForm(t, oidcURL(s, "demo", "token"), url.Values{"grant_type": {"password"}, "client_id": {"demo-app"}, "username": {"alice"}, "password": {"alice"}}).str("access_token")
	claims := verify(t, s, "demo", tok)
	if claims["preferred_username"] != "alice" {
		t.Errorf("claims %v", claims)
	}
	var hdr struct {
		Kid string `json:"kid"`
	}
	decodeJWTHeader(t, tok, &hdr)
	if hdr.Kid != active {
		t.Errorf("token kid %q, want the signing key %q", hdr.Kid, active)
	}
	// Rotation keeps one encryption key and never makes it the signer.
	if _, err := s.RotateKey("demo"); err != nil {
		t.Fatal(err)
	}
	enc := 0
	for _, k := range do(t, http.MethodGet, oidcURL(s, "demo", "certs"), nil).json()["keys"].([]any) {
		if k.(map[string]any)["use"] == "enc" {
			enc++
		}
	}
	if enc != 1 {
		t.Errorf("%d encryption keys after rotation, want 1", enc)
	}
}

// decodeJWTHeader decodes a compact JWT's header into v.
func decodeJWTHeader(t *testing.T, tok string, v any) {
	t.Helper()
	h, _, _ := strings.Cut(tok, ".")
	b, err := base64.RawURLEncoding.DecodeString(h)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatal(err)
	}
}
