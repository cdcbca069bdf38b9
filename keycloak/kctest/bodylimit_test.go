package kctest_test

import (
	"io"
	"strings"
	"testing"
)

// unsized hides a reader's length, so the body is sent chunked.
type unsized struct{ io.Reader }

// TestBodyLimits pins 413 with an empty body for bodies over the limit:
// 1 MiB for forms and JSON, 32 MiB for a realm import.
func TestBodyLimits(t *testing.T) {
	t.Parallel()
	s, _ := startDemo(t)
	tok := masterToken(t, s)
	big := strings.Repeat("x", 1<<20)
	form := "grant_type=password&client_id=demo-app&username=alice&password=alice&pad=" + big
	bearer := []string{"Authorization", "Bearer " + tok, "Content-Type", "application/json"}
	formCT := []string{"Content-Type", "application/x-www-form-urlencoded"}
	for _, tc := range []struct {
		name, method, path string
		body               io.Reader
		header             []string
		status             int
	}{
		{"token form with length", "POST", "/realms/demo/protocol/openid-connect/token", strings.NewReader(form), formCT, 413},
		{"token form chunked", "POST", "/realms/demo/protocol/openid-connect/token", unsized{strings.NewReader(form)}, formCT, 413},
		{"userinfo form chunked", "POST", "/realms/demo/protocol/openid-connect/userinfo", unsized{strings.NewReader("access_token=" + big)}, formCT, 413},
		{"device form", "POST", "/realms/demo/protocol/openid-connect/auth/device", strings.NewReader("client_id=demo-app&pad=" + big), formCT, 413},
		{"admin JSON with length", "POST", "/admin/realms/demo/users", strings.NewReader(`{"username":"` + big + `"}`), bearer, 413},
		{"admin JSON chunked", "POST", "/admin/realms/demo/users", unsized{strings.NewReader(`{"username":"` + big + `"}`)}, bearer, 413},
		{"realm import of 2 MiB", "POST", "/admin/realms", strings.NewReader(`{"realm":"big","enabled":true,"displayName":"` + big + big + `"}`), bearer, 201},
		{"realm import over 32 MiB", "POST", "/admin/realms", strings.NewReader(`{"realm":"huge","displayName":"` + strings.Repeat(big, 32) + `"}`), bearer, 413},
		{"realm import over 32 MiB chunked", "POST", "/admin/realms", unsized{strings.NewReader(`{"realm":"huge","displayName":"` + strings.Repeat(big, 32) + `"}`)}, bearer, 413},
		{"partial import of 2 MiB", "POST", "/admin/realms/demo/partialImport", strings.NewReader(`{"ifResourceExists":"SKIP","roles":{"realm":[{"name":"big","description":"` + big + big + `"}]}}`), bearer, 200},
		{"partial import over 32 MiB", "POST", "/admin/realms/demo/partialImport", unsized{strings.NewReader(`{"roles":{"realm":[{"name":"huge","description":"` + strings.Repeat(big, 32) + `"}]}}`)}, bearer, 413},
		{"form under the limit", "POST", "/realms/demo/protocol/openid-connect/token", unsized{strings.NewReader("grant_type=password&client_id=demo-app&username=alice&password=alice")}, formCT, 200},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := do(t, tc.method, s.URL+tc.path, tc.body, tc.header...)
			if r.status != tc.status {
				t.Fatalf("%d %.200s, want %d", r.status, r.body, tc.status)
			}
			if tc.status == 413 && (len(r.body) != 0 || r.header.Get("Content-Type") != "") {
				t.Errorf("413 body %.100q, Content-Type %q: want both empty", r.body, r.header.Get("Content-Type"))
			}
		})
	}
}
