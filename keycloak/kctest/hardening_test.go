package kctest_test

import (
	"net/url"
	"testing"

	"github.com/kcgo/kc/keycloak/kctest"
)

// masterToken signs the bootstrap admin in through admin-cli.
func masterToken(t *testing.T, s *kctest.Server) string {
	t.Helper()
	res := postForm(t, oidcURL(s, "master", "token"), url.Values{
		"grant_type": {"password"}, "client_id": {"admin-cli"}, "username": {"admin"}, "password": {"admin"},
	})
	tok := res.str("access_token")
	if tok == "" {
		t.Fatalf("admin login: %d %s", res.status, res.body)
	}
	return tok
}

// TestWrongMethod pins JAX-RS's answer to a method a path does not have:
// 405 with an Allow header and {"error":"HTTP 405 Method Not Allowed"},
// while an unknown path stays 404.
func TestWrongMethod(t *testing.T) {
	t.Parallel()
	for _, basePath := range []string{"", "/auth"} {
		s, _ := startDemo(t, kctest.WithBasePath(basePath))
		tok := masterToken(t, s)
		for _, tc := range []struct {
			method, path string
			status       int
			allow        string
			body         string
		}{
			{"GET", "/realms/demo/protocol/openid-connect/token", 405, "OPTIONS, POST", `{"error":"HTTP 405 Method Not Allowed"}`},
			{"PUT", "/realms/demo/protocol/openid-connect/userinfo", 405, "GET, HEAD, OPTIONS, POST", `{"error":"HTTP 405 Method Not Allowed"}`},
			{"POST", "/realms/demo/protocol/openid-connect/certs", 405, "GET, HEAD, OPTIONS", `{"error":"HTTP 405 Method Not Allowed"}`},
			{"DELETE", "/realms/demo/.well-known/openid-configuration", 405, "GET, HEAD, OPTIONS", `{"error":"HTTP 405 Method Not Allowed"}`},
			{"PATCH", "/admin/realms", 405, "GET, HEAD, POST", `{"error":"HTTP 405 Method Not Allowed"}`},
			{"GET", "/realms/demo/protocol/openid-connect/nope", 404, "", `{"error":"HTTP 404 Not Found"}`},
			{"GET", "/realms/nope/protocol/openid-connect/token", 404, "", `{"error":"Realm does not exist"}`},
			{"POST", "/realms/nope/protocol/openid-connect/certs", 404, "", `{"error":"Realm does not exist"}`},
			{"PUT", "/realms/nope/.well-known/openid-configuration", 405, "GET, HEAD, OPTIONS", `{"error":"HTTP 405 Method Not Allowed"}`},
			{"GET", "/realms/demo/nope", 404, "", `{"error":"HTTP 404 Not Found"}`},
			{"GET", "/nope", 404, "", `{"error":"HTTP 404 Not Found"}`},
			{"POST", "/nope", 404, "", `{"error":"HTTP 404 Not Found"}`},
			{"GET", "/realms/demo/protocol/openid-connect/certs", 200, "", ""},
		} {
			r := do(t, tc.method, s.URL+tc.path, nil, "Authorization", "Bearer "+tok)
			if r.status != tc.status || r.header.Get("Allow") != tc.allow {
				t.Errorf("%s %s%s: %d Allow %q, want %d Allow %q", tc.method, basePath, tc.path, r.status, r.header.Get("Allow"), tc.status, tc.allow)
			}
			if tc.body != "" && (string(r.body) != tc.body || r.header.Get("Content-Type") != "application/json") {
				t.Errorf("%s %s%s: body %s (%s), want %s", tc.method, basePath, tc.path, r.body, r.header.Get("Content-Type"), tc.body)
			}
		}
	}
}

// TestWrongMethodKeepsMiddleware checks that faults and the request log
// still see requests that no route serves.
func TestWrongMethodKeepsMiddleware(t *testing.T) {
	t.Parallel()
	s, _ := startDemo(t)
	path := "/realms/demo/protocol/openid-connect/token"
	s.ResetRequests()
	if r := do(t, "GET", s.URL+path, nil); r.status != 405 {
		t.Fatalf("GET token: %d, want 405", r.status)
	}
	reqs := s.Requests()
	if len(reqs) != 1 || reqs[0].Status != 405 || reqs[0].Method != "GET" || reqs[0].Path != path {
		t.Errorf("request log %+v, want one GET %s with status 405", reqs, path)
	}
	s.InjectFault(kctest.Fault{Method: "GET", Path: path, Status: 503, Times: 1})
	if r := do(t, "GET", s.URL+path, nil); r.status != 503 {
		t.Errorf("GET token with a 503 fault: %d, want 503", r.status)
	}
	if r := do(t, "GET", s.URL+path, nil); r.status != 405 {
		t.Errorf("GET token after the fault: %d, want 405", r.status)
	}
}
