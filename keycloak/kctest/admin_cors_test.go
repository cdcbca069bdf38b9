package kctest_test

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kcgo/kc/keycloak/kctest"
)

// splitHeaderList returns the comma-separated members of a header value,
// sorted: Keycloak builds them from a HashSet, so their order is not part
// of the contract.
func splitHeaderList(v string) []string {
	var out []string
	for _, m := range strings.Split(v, ",") {
		if m = strings.TrimSpace(m); m != "" {
			out = append(out, m)
		}
	}
	slices.Sort(out)
	return out
}

// TestAdminCORSPreflight pins Keycloak's admin preflight: AdminRoot hands
// every OPTIONS request under /admin/realms and /admin/serverinfo, before
// authentication, to AdminCorsPreflightService.preflight, which answers
// 200 through DefaultCors.add with preflight(), allowedMethods("GET",
// "PUT", "POST", "DELETE") and auth(): the Origin echoed whatever it is,
// credentials allowed, Cors.DEFAULT_ALLOW_HEADERS plus Authorization, and
// Cors.DEFAULT_MAX_AGE (an hour). Without an Origin, DefaultCors.add adds
// nothing.
func TestAdminCORSPreflight(t *testing.T) {
	t.Parallel()
	s, _ := startDemo(t)
	wantMethods := []string{"DELETE", "GET", "POST", "PUT"}
	wantHeaders := splitHeaderList("Origin, Accept, X-Requested-With, Content-Type, Access-Control-Request-Method, Access-Control-Request-Headers, DPoP, Authorization")
	for _, path := range []string{
		"/admin/realms", "/admin/realms/", "/admin/realms/demo", "/admin/realms/demo/users",
		"/admin/realms/demo/users/123/role-mappings/realm", "/admin/realms/no-such-realm/clients",
		"/admin/serverinfo",
	} {
		t.Run(path, func(t *testing.T) {
			t.Parallel()
			r := do(t, http.MethodOptions, s.URL+path, nil, "Origin", "http://evil.test",
				"Access-Control-Request-Method", "DELETE", "Access-Control-Request-Headers", "authorization, content-type")
			if r.status != http.StatusOK || len(r.body) != 0 {
				t.Fatalf("status %d body %q, want 200 and no body", r.status, r.body)
			}
			h := r.header
			if h.Get("Access-Control-Allow-Origin") != "http://evil.test" || h.Get("Access-Control-Allow-Credentials") != "true" || h.Get("Access-Control-Max-Age") != "3600" {
				t.Errorf("headers %v", h)
			}
			if diff := cmp.Diff(wantMethods, splitHeaderList(h.Get("Access-Control-Allow-Methods"))); diff != "" {
				t.Errorf("Access-Control-Allow-Methods (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(wantHeaders, splitHeaderList(h.Get("Access-Control-Allow-Headers"))); diff != "" {
				t.Errorf("Access-Control-Allow-Headers (-want +got):\n%s", diff)
			}
			if h.Get("Access-Control-Expose-Headers") != "" {
				t.Errorf("a preflight exposes no header: %v", h)
			}
			bare := do(t, http.MethodOptions, s.URL+path, nil)
			if bare.status != http.StatusOK {
				t.Errorf("without Origin: status %d, want 200", bare.status)
			}
			for k := range bare.header {
				if strings.HasPrefix(k, "Access-Control-") {
					t.Errorf("without Origin: %s: %s", k, bare.header.Get(k))
				}
			}
		})
	}
}

// TestAdminCORSOnlyAllowedOrigins pins the CORS headers of Admin REST
// answers: AdminRoot.getRealmsAdmin (and getServerInfo) authenticates the
// bearer token, then calls Cors.builder().allowedOrigins(auth.getToken())
// ...exposedHeaders("Location").auth().add(): DefaultCors.add echoes the
// Origin with credentials only when the token's allowed-origins claim
// holds it or "*". That claim comes from the token client's web origins
// ("+" standing for its redirect URIs' origins, AllowedWebOriginsProtocolMapper
// and WebOriginsUtils.resolveValidWebOrigins). No valid token, no origin
// in the claim, or no claim: no CORS header at all.
func TestAdminCORSOnlyAllowedOrigins(t *testing.T) {
	t.Parallel()
	s := kctest.Start(t)
	for _, c := range []kctest.Client{
		{ClientID: "console", Public: true, DirectAccessGrants: true, RedirectURIs: []string{"https://console.test/cb"}, WebOrigins: []string{"https://admin.test"}},
		{ClientID: "plus", Public: true, DirectAccessGrants: true, RedirectURIs: []string{"https://app.test:8443/*"}, WebOrigins: []string{"+"}},
		{ClientID: "any", Public: true, DirectAccessGrants: true, WebOrigins: []string{"*"}},
	} {
		if _, err := s.AddClient("master", c); err != nil {
			t.Fatal(err)
		}
	}
	login := func(client string) string {
		tok := token(t, s, "master", url.Values{"grant_type": {"password"}, "client_id": {client}, "username": {"admin"}, "password": {"admin"}})
		return tok["access_token"].(string)
	}
	console, plus, anyOrigin, cli := login("console"), login("plus"), login("any"), adminToken(t, s)
	for _, tc := range []struct {
		name, method, path, body, token, origin string
		status                                  int
		allowed                                 bool
		expose                                  string
	}{
		{"listed web origin", "GET", "/admin/realms", "", console, "https://admin.test", 200, true, "Location"},
		{"trailing slash", "GET", "/admin/realms/", "", console, "https://admin.test", 200, true, "Location"},
		{"sub-resource", "GET", "/admin/realms/master/users", "", console, "https://admin.test", 200, true, "Location"},
		{"create answers 201", "POST", "/admin/realms", `{"realm":"cors-made","enabled":true}`, console, "https://admin.test", 201, true, "Location"},
		{"serverinfo exposes nothing", "GET", "/admin/serverinfo", "", console, "https://admin.test", 200, true, ""},
		{"origin not listed", "GET", "/admin/realms", "", console, "http://evil.test", 200, false, ""},
		{"redirect URI origin without +", "GET", "/admin/realms", "", console, "https://console.test", 200, false, ""},
		{"other scheme", "GET", "/admin/realms", "", console, "http://admin.test", 200, false, ""},
		{"+ resolves to the redirect URI origin", "GET", "/admin/realms", "", plus, "https://app.test:8443", 200, true, "Location"},
		{"+ and another port", "GET", "/admin/realms", "", plus, "https://app.test", 200, false, ""},
		{"* allows any origin", "GET", "/admin/realms", "", anyOrigin, "http://whatever.test", 200, true, "Location"},
		{"admin-cli has no web origins", "GET", "/admin/realms", "", cli, "http://localhost", 200, false, ""},
		{"no token", "GET", "/admin/realms", "", "", "https://admin.test", 401, false, ""},
		{"bad token", "GET", "/admin/realms/master/users", "", "x.y.z", "https://admin.test", 401, false, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			hdr := []string{"Origin", tc.origin}
			if tc.token != "" {
				hdr = append(hdr, "Authorization", "Bearer "+tc.token)
			}
			var body *strings.Reader
			if tc.body != "" {
				body = strings.NewReader(tc.body)
				hdr = append(hdr, "Content-Type", "application/json")
			}
			var r result
			if body != nil {
				r = do(t, tc.method, s.URL+tc.path, body, hdr...)
			} else {
				r = do(t, tc.method, s.URL+tc.path, nil, hdr...)
			}
			if r.status != tc.status {
				t.Fatalf("status %d %s, want %d", r.status, r.body, tc.status)
			}
			got := map[string]string{}
			for k := range r.header {
				if strings.HasPrefix(k, "Access-Control-") {
					got[k] = r.header.Get(k)
				}
			}
			want := map[string]string{}
			if tc.allowed {
				want["Access-Control-Allow-Origin"] = tc.origin
				want["Access-Control-Allow-Credentials"] = "true"
				if tc.expose != "" {
					want["Access-Control-Expose-Headers"] = tc.expose
				}
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("CORS headers (-want +got):\n%s", diff)
			}
		})
	}
}
