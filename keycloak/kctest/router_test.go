package kctest_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/kcgo/kc/keycloak/kctest"
)

// TestTrailingSlash pins JAX-RS's matching of a resource path with or
// without one trailing "/" (Keycloak 26 runs on Quarkus REST, whose
// RequestMapper matches either form), on every kind of route: the Node
// admin client creates a realm with POST /admin/realms/, gocloak calls
// realm endpoints with a trailing slash.
func TestTrailingSlash(t *testing.T) {
	t.Parallel()
	for _, basePath := range []string{"", "/auth"} {
		s, _ := startDemo(t, kctest.WithBasePath(basePath))
		tok := masterToken(t, s)
		bearer := []string{"Authorization", "Bearer " + tok, "Content-Type", "application/json"}
		for _, tc := range []struct {
			method, path, body string
			status             int
		}{
			{"POST", "/admin/realms/", `{"realm":"slash","enabled":true}`, 201},
			{"GET", "/admin/realms/slash/", "", 200},
			{"GET", "/admin/realms/demo/users/", "", 200},
			{"GET", "/admin/realms/demo/clients/", "", 200},
			{"POST", "/admin/realms/demo/roles/", `{"name":"slashed"}`, 201},
			{"GET", "/admin/realms/demo/roles/slashed/", "", 200},
			{"GET", "/realms/demo/", "", 200},
			{"GET", "/realms/demo/.well-known/openid-configuration/", "", 200},
			{"GET", "/realms/demo/protocol/openid-connect/certs/", "", 200},
			{"DELETE", "/admin/realms/slash/", "", 204},
			// An unknown path stays unknown.
			{"GET", "/admin/realms/demo/nothing/", "", 404},
		} {
			res := do(t, tc.method, s.URL+tc.path, strings.NewReader(tc.body), bearer...)
			if res.status != tc.status {
				t.Errorf("base %q: %s %s: %d %s, want %d", basePath, tc.method, tc.path, res.status, res.body, tc.status)
			}
		}
		// The token endpoint too, with a form.
		res := postForm(t, oidcURL(s, "master", "token")+"/", url.Values{
			"grant_type": {"password"}, "client_id": {"admin-cli"}, "username": {"admin"}, "password": {"admin"},
		})
		if res.status != http.StatusOK || res.str("access_token") == "" {
			t.Errorf("base %q: POST token/: %d %s", basePath, res.status, res.body)
		}
	}
}
