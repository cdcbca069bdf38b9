package kctest_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/kcgo/kc/keycloak/kctest"
)

// TestCORSWebOrigins pins Keycloak's CORS on the client-dependent
// endpoints: the Origin is echoed only when it is one of the client's web
// origins ("+" = the redirect URIs' origins, "*" = any), never before the
// client is authenticated, while preflights, discovery and the JWKS answer
// any origin.
func TestCORSWebOrigins(t *testing.T) {
	t.Parallel()
	s, _ := startDemo(t)
	for _, c := range []kctest.Client{
		{ClientID: "spa", Public: true, DirectAccessGrants: true, RedirectURIs: []string{"https://spa.test/cb"}, WebOrigins: []string{"https://other.test"}},
		{ClientID: "any", Public: true, DirectAccessGrants: true, WebOrigins: []string{"*"}},
		{ClientID: "plus", Public: true, DirectAccessGrants: true, RedirectURIs: []string{"https://app.test:8443/*", "http://127.0.0.1/cb"}, WebOrigins: []string{"+"}},
	} {
		if _, err := s.AddClient("demo", c); err != nil {
			t.Fatal(err)
		}
	}
	password := func(client string) url.Values {
		return url.Values{"grant_type": {"password"}, "client_id": {client}, "username": {"alice"}, "password": {"alice"}, "scope": {"openid"}}
	}
	appToken := token(t, s, "demo", password("demo-app"))["access_token"].(string)
	tokenURL, userinfoURL := oidcURL(s, "demo", "token"), oidcURL(s, "demo", "userinfo")
	for _, tc := range []struct {
		name, method, url string
		form              url.Values
		header            []string
		origin            string
		status            int
		allowed           bool
	}{
		{"demo-app, origin of its redirect URI", "POST", tokenURL, password("demo-app"), nil, "http://127.0.0.1", 200, true},
		{"demo-app, other origin", "POST", tokenURL, password("demo-app"), nil, "http://evil.test", 200, false},
		{"demo-app, other port", "POST", tokenURL, password("demo-app"), nil, "http://127.0.0.1:8080", 200, false},
		{"explicit web origin", "POST", tokenURL, password("spa"), nil, "https://other.test", 200, true},
		{"redirect URI origin without +", "POST", tokenURL, password("spa"), nil, "https://spa.test", 200, false},
		{"* allows any origin", "POST", tokenURL, password("any"), nil, "http://whatever.test", 200, true},
		{"+ with a wildcard redirect and a port", "POST", tokenURL, password("plus"), nil, "https://app.test:8443", 200, true},
		{"no web origins", "POST", tokenURL, url.Values{"grant_type": {"client_credentials"}, "client_id": {"demo-service"}, "client_secret": {"demo-service-secret"}}, nil, "http://127.0.0.1", 200, false},
		{"grant error after client auth", "POST", tokenURL, url.Values{"grant_type": {"password"}, "client_id": {"demo-app"}, "username": {"alice"}, "password": {"x"}}, nil, "http://127.0.0.1", 401, true},
		{"failed client auth", "POST", tokenURL, url.Values{"grant_type": {"client_credentials"}, "client_id": {"demo-service"}, "client_secret": {"x"}}, nil, "http://127.0.0.1", 401, false},
		{"missing grant_type", "POST", tokenURL, url.Values{"client_id": {"demo-app"}}, nil, "http://127.0.0.1", 400, false},
		{"userinfo, client origin", "GET", userinfoURL, nil, bearer(appToken), "http://127.0.0.1", 200, true},
		{"userinfo, other origin", "GET", userinfoURL, nil, bearer(appToken), "http://evil.test", 200, false},
		{"userinfo without a token: any origin", "GET", userinfoURL, nil, nil, "http://evil.test", 401, true},
		{"userinfo with a bad token: any origin", "GET", userinfoURL, nil, bearer("x.y.z"), "http://evil.test", 401, true},
		{"introspect by a client without web origins", "POST", oidcURL(s, "demo", "token/introspect"), url.Values{"token": {appToken}, "client_id": {"demo-service"}, "client_secret": {"demo-service-secret"}}, nil, "http://127.0.0.1", 200, false},
		{"revoke by demo-app", "POST", oidcURL(s, "demo", "revoke"), url.Values{"token": {"x"}, "client_id": {"demo-app"}}, nil, "http://127.0.0.1", 200, true},
		{"device by demo-app, other origin", "POST", oidcURL(s, "demo", "auth/device"), url.Values{"client_id": {"demo-app"}}, nil, "http://evil.test", 200, false},
		{"discovery: any origin", "GET", s.URL + "/realms/demo/.well-known/openid-configuration", nil, nil, "http://evil.test", 200, true},
		{"certs: any origin", "GET", oidcURL(s, "demo", "certs"), nil, nil, "http://evil.test", 200, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var r result
			hdr := append([]string{"Origin", tc.origin}, tc.header...)
			if tc.form != nil {
				r = postForm(t, tc.url, tc.form, hdr...)
			} else {
				r = do(t, tc.method, tc.url, nil, hdr...)
			}
			if r.status != tc.status {
				t.Fatalf("status %d %s, want %d", r.status, r.body, tc.status)
			}
			got := r.header.Get("Access-Control-Allow-Origin")
			if tc.allowed && (got != tc.origin || r.header.Get("Access-Control-Allow-Credentials") != "true") {
				t.Errorf("Access-Control-Allow-Origin %q, credentials %q: want %q, true", got, r.header.Get("Access-Control-Allow-Credentials"), tc.origin)
			}
			if !tc.allowed && (got != "" || r.header.Get("Access-Control-Allow-Credentials") != "") {
				t.Errorf("CORS headers %v, want none", r.header)
			}
		})
	}
	// Preflights answer any origin, as Keycloak's do.
	pre := do(t, http.MethodOptions, tokenURL, nil, "Origin", "http://evil.test", "Access-Control-Request-Method", "POST")
	if pre.status != 200 || pre.header.Get("Access-Control-Allow-Origin") != "http://evil.test" || pre.header.Get("Access-Control-Max-Age") != "3600" {
		t.Errorf("preflight: %d %v", pre.status, pre.header)
	}
	// Token answers expose Access-Control-Allow-Methods, as Keycloak's do.
	r := postForm(t, tokenURL, password("demo-app"), "Origin", "http://127.0.0.1")
	if got := r.header.Get("Access-Control-Expose-Headers"); got != "Access-Control-Allow-Methods" {
		t.Errorf("Access-Control-Expose-Headers %q, want Access-Control-Allow-Methods", got)
	}
}
