package kctest_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/kcgo/kc/keycloak/kctest"
)

func TestFaultStatusTimesThenRecover(t *testing.T) {
	t.Parallel()
	s, _ := startDemo(t)
	path := "/realms/demo/protocol/openid-connect/token"
	s.InjectFault(kctest.Fault{Method: "POST", Path: path, Status: 503, RetryAfter: 2 * time.Second, Body: `{"error":"unavailable"}`, Times: 2})
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {"demo-service"}, "client_secret": {"demo-service-secret"}}
	var got []int
	for range 3 {
		r := postForm(t, s.URL+path, form)
		got = append(got, r.status)
		if r.status == 503 && (r.header.Get("Retry-After") != "2" || r.str("error") != "unavailable" || r.header.Get("Content-Type") != "application/json") {
			t.Errorf("fault response: %v %s", r.header, r.body)
		}
	}
	if diff := cmp.Diff([]int{503, 503, 200}, got); diff != "" {
		t.Errorf("statuses (-want +got):\n%s", diff)
	}
	// The request log saw all three, with their statuses and form bodies.
	var logged []int
	for _, r := range s.Requests() {
		if r.Path == path {
			logged = append(logged, r.Status)
			if !strings.Contains(r.Body, "grant_type=client_credentials") || r.Header.Get("Content-Type") == "" {
				t.Errorf("logged request = %+v", r)
			}
		}
	}
	if diff := cmp.Diff([]int{503, 503, 200}, logged); diff != "" {
		t.Errorf("logged statuses (-want +got):\n%s", diff)
	}
	for _, tc := range []struct {
		method, path string
		want         int
	}{
		{"POST", path, 3},
		{"post", path, 3},
		{"", path, 3},
		{"GET", path, 0},
		{"", "/realms/demo/*", 3},
		{"", "/realms/other/*", 0},
	} {
		if got := s.RequestCount(tc.method, tc.path); got != tc.want {
			t.Errorf("RequestCount(%q, %q) = %d, want %d", tc.method, tc.path, got, tc.want)
		}
	}
	s.ResetRequests()
	if n := len(s.Requests()); n != 0 {
		t.Errorf("%d requests after reset", n)
	}
}

func TestFaultPrefixMethodAndRemove(t *testing.T) {
	t.Parallel()
	s, _ := startDemo(t)
	id := s.InjectFault(kctest.Fault{Method: "GET", Path: "/realms/demo/*", Status: 500})
	if r := do(t, "GET", s.URL+"/realms/demo/.well-known/openid-configuration", nil); r.status != 500 {
		t.Errorf("prefix fault: %d", r.status)
	}
	if r := do(t, "GET", s.URL+"/realms/master/.well-known/openid-configuration", nil); r.status != 200 {
		t.Errorf("other realm: %d", r.status)
	}
	if r := postForm(t, oidcURL(s, "demo", "token"), url.Values{}); r.status != 400 {
		t.Errorf("other method: %d", r.status)
	}
	s.RemoveFault(id)
	if r := do(t, "GET", s.URL+"/realms/demo/.well-known/openid-configuration", nil); r.status != 200 {
		t.Errorf("after remove: %d", r.status)
	}
	s.InjectFault(kctest.Fault{Path: "/realms/demo/.well-known/openid-configuration", Status: 429})
	s.ClearFaults()
	if r := do(t, "GET", s.URL+"/realms/demo/.well-known/openid-configuration", nil); r.status != 200 {
		t.Errorf("after clear: %d", r.status)
	}
}

func TestFaultLatency(t *testing.T) {
	t.Parallel()
	clockless, _ := startDemo(t)
	path := "/realms/demo/.well-known/openid-configuration"
	clockless.InjectFault(kctest.Fault{Path: path, Latency: time.Hour})

	// The handler returns as soon as the request context ends.
	ctx, cancel := context.WithCancel(t.Context())
	req := httptest.NewRequestWithContext(ctx, "GET", path, nil)
	rec := httptest.NewRecorder()
	done := make(chan struct{})
	go func() {
		clockless.Handler().ServeHTTP(rec, req)
		close(done)
	}()
	cancel()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("latency fault ignored the cancelled context")
	}

	// Over the network the client's deadline ends the wait.
	s, _ := startDemo(t)
	s.InjectFault(kctest.Fault{Path: path, Latency: time.Hour, Times: 1})
	cctx, ccancel := context.WithTimeout(t.Context(), 100*time.Millisecond)
	defer ccancel()
	creq, _ := http.NewRequestWithContext(cctx, "GET", s.URL+path, nil)
	if _, err := http.DefaultClient.Do(creq); err == nil {
		t.Fatal("request with latency fault succeeded before its deadline")
	}
	// A latency fault with no status then serves normally.
	s.InjectFault(kctest.Fault{Path: path, Latency: time.Millisecond, Times: 1})
	if r := do(t, "GET", s.URL+path, nil); r.status != 200 {
		t.Errorf("after latency: %d", r.status)
	}
}

func TestFaultReset(t *testing.T) {
	t.Parallel()
	s, _ := startDemo(t)
	path := "/realms/demo/protocol/openid-connect/certs"
	s.InjectFault(kctest.Fault{Path: path, Reset: true, Times: 1})
	req, _ := http.NewRequestWithContext(t.Context(), "GET", s.URL+path, nil)
	if resp, err := http.DefaultClient.Do(req); err == nil {
		resp.Body.Close()
		t.Fatalf("reset fault answered %d", resp.StatusCode)
	}
	if r := do(t, "GET", s.URL+path, nil); r.status != 200 {
		t.Errorf("after reset: %d", r.status)
	}
}

func TestConcurrentUse(t *testing.T) {
	t.Parallel()
	s, clock := startDemo(t)
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			tok := passwordToken(t, s, "alice", "alice", "openid")
			introspect(t, s, tok["access_token"].(string))
			if i%2 == 0 {
				_, _ = s.RotateKey("demo")
			}
			_, _ = s.AddUser("demo", kctest.User{Username: "u" + string(rune('a'+i)), Password: "p"})
			clock.Advance(time.Second)
			_ = s.Requests()
		}()
	}
	wg.Wait()
}

func TestEscapedPathSegments(t *testing.T) {
	t.Parallel()
	s := kctest.Start(t)
	if _, err := s.AddRealm(kctest.Realm{Name: "a/b c"}); err != nil {
		t.Fatal(err)
	}
	r := do(t, "GET", s.URL+"/realms/"+url.PathEscape("a/b c")+"/.well-known/openid-configuration", nil)
	if r.status != 200 {
		t.Fatalf("status %d %s", r.status, r.body)
	}
	if got, want := r.str("issuer"), s.URL+"/realms/a%2Fb%20c"; got != want {
		t.Errorf("issuer = %q, want %q", got, want)
	}
	// Tokens of that realm verify and introspect.
	if _, err := s.AddClient("a/b c", kctest.Client{ClientID: "c", Secret: "s"}); err != nil {
		t.Fatal(err)
	}
	realmURL := s.URL + "/realms/" + url.PathEscape("a/b c") + "/protocol/openid-connect/"
	tok := postForm(t, realmURL+"token", url.Values{"grant_type": {"client_credentials"}, "client_id": {"c"}, "client_secret": {"s"}})
	if tok.status != 200 {
		t.Fatalf("token: %d %s", tok.status, tok.body)
	}
	in := postForm(t, realmURL+"token/introspect", url.Values{"token": {tok.str("access_token")}, "client_id": {"c"}, "client_secret": {"s"}})
	if in.json()["active"] != true {
		t.Errorf("introspect: %s", in.body)
	}
}
