package kctest_test

import (
	"bytes"
	"mime/multipart"
	"strings"
	"testing"
)

// TestAdminIdentityProviderExtrasWire pins IdentityProvidersResource and
// IdentityProviderResource (Keycloak 26.6): statuses and bodies of
// providers/{id}, import-config, upload-certificate, export, reload-keys
// and mapper-types.
func TestAdminIdentityProviderExtrasWire(t *testing.T) {
	t.Parallel()
	s, tok := startAdmin(t)
	const p = "/admin/realms/acme/identity-provider"
	if res := adminDo(t, s, tok, "POST", p+"/instances", `{"alias":"corp","providerId":"oidc"}`); res.status != 201 {
		t.Fatalf("create: %d %s", res.status, res.body)
	}
	multi := func(path string, fields map[string]string) result {
		var b bytes.Buffer
		mw := multipart.NewWriter(&b)
		for k, v := range fields {
			_ = mw.WriteField(k, v)
		}
		_ = mw.Close()
		return do(t, "POST", s.URL+path, &b, "Authorization", "Bearer "+tok, "Content-Type", mw.FormDataContentType())
	}
	for _, c := range []struct {
		name   string
		res    result
		status int
		body   string
	}{
		{"factory", adminDo(t, s, tok, "GET", p+"/providers/saml", ""), 200, `{"id":"saml","name":"SAML v2.0"}`},
		{"unknown factory", adminDo(t, s, tok, "GET", p+"/providers/nope", ""), 400, `{"error":"HTTP 400 Bad Request"}`},
		{"import-config without fromUrl", adminDo(t, s, tok, "POST", p+"/import-config", `{"providerId":"oidc"}`), 400, `{"error":"HTTP 400 Bad Request"}`},
		{"import-config of a non-http URL", adminDo(t, s, tok, "POST", p+"/import-config", `{"providerId":"oidc","fromUrl":"file:///etc/passwd"}`), 500, `unknown_error`},
		{"import-config upload without file", multi(p+"/import-config", map[string]string{"providerId": "oidc"}), 400, `{"error":"HTTP 400 Bad Request"}`},
		{"import-config upload", multi(p+"/import-config", map[string]string{"providerId": "oidc", "file": `{"issuer":"https://x","token_endpoint":"https://x/t"}`}), 200,
			`{"issuer":"https://x","tokenUrl":"https://x/t"}`},
		{"upload-certificate without format", multi(p+"/upload-certificate", map[string]string{"file": "x"}), 400, `{"error":"keystoreFormat cannot be null"}`},
		{"export of an OIDC provider", adminDo(t, s, tok, "GET", p+"/instances/corp/export", ""), 204, ``},
		{"reload-keys without a JWKS URL", adminDo(t, s, tok, "GET", p+"/instances/corp/reload-keys", ""), 200, `false`},
		{"mapper-types of an unknown provider", adminDo(t, s, tok, "GET", p+"/instances/nope/mapper-types", ""), 404, `{"error":"HTTP 404 Not Found"}`},
	} {
		if c.res.status != c.status || !strings.Contains(string(c.res.body), c.body) {
			t.Errorf("%s: %d %s, want %d %s", c.name, c.res.status, c.res.body, c.status, c.body)
		}
	}
}
