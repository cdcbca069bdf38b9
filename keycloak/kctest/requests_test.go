package kctest_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kcgo/kc/keycloak/kctest"
)

// heapInUse returns the live heap after a full collection.
func heapInUse() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// TestRequestLogBounded sends 100,000 requests, each with a password in
// its form, and checks that the heap does not grow once the request log
// is full: the log keeps the last DefaultRequestLogSize requests, not
// every one. Not parallel: it measures the process's heap.
func TestRequestLogBounded(t *testing.T) {
	s, err := kctest.New(kctest.WithRequestLog(1000))
	if err != nil {
		t.Fatal(err)
	}
	h := s.Handler()
	body := url.Values{"grant_type": {"password"}, "client_id": {"no-such-client"},
		"username": {"alice"}, "password": {"hunter2-" + strings.Repeat("x", 500)}}.Encode()
	send := func(n int) {
		for range n {
			req := httptest.NewRequest(http.MethodPost, "/realms/master/protocol/openid-connect/token", strings.NewReader(body))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("Authorization", "Basic c2VjcmV0OnNlY3JldA==")
			w := httptest.NewRecorder()
			h.ServeHTTP(w, req)
			if w.Code != http.StatusUnauthorized && w.Code != http.StatusBadRequest {
				t.Fatalf("token: %d %s", w.Code, w.Body)
			}
		}
	}
	send(2000) // fill the log
	before := heapInUse()
	send(100_000)
	after := heapInUse()
	growth := int64(after) - int64(before)
	t.Logf("heap %d KiB before, %d KiB after 100,000 requests (%+d KiB)", before>>10, after>>10, growth>>10)
	if growth > 2<<20 {
		t.Errorf("heap grew by %d KiB over 100,000 requests, want it flat (< 2 MiB)", growth>>10)
	}
	reqs := s.Requests()
	if len(reqs) != 1000 || s.RequestCount("POST", "/realms/master/*") != 1000 {
		t.Errorf("log keeps %d requests, want the last 1000", len(reqs))
	}
	last := reqs[len(reqs)-1]
	if strings.Contains(last.Body, "hunter2") || strings.Contains(last.Header.Get("Authorization"), "c2Vj") {
		t.Errorf("the log keeps a secret: %q %q", last.Body, last.Header.Get("Authorization"))
	}
	if form, _ := url.ParseQuery(last.Body); form.Get("password") != "REDACTED" || form.Get("username") != "alice" {
		t.Errorf("logged form %q, want the password redacted and the rest kept", last.Body)
	}
	if got := last.Header.Get("Authorization"); got != "Basic REDACTED" || last.Status != http.StatusUnauthorized && last.Status != http.StatusBadRequest {
		t.Errorf("logged Authorization %q status %d", got, last.Status)
	}
}

// TestRequestLogRedactsJSON checks that secrets in JSON bodies and query
// strings do not reach the log.
func TestRequestLogRedactsJSON(t *testing.T) {
	t.Parallel()
	s, _ := startDemo(t)
	tok := masterToken(t, s)
	adminDo(t, s, tok, "POST", "/admin/realms/demo/users",
		`{"username":"logged","credentials":[{"type":"password","value":"s3cr\"et","temporary":false}]}`)
	do(t, "GET", s.URL+"/realms/demo/protocol/openid-connect/logout?id_token_hint=eyJhbGciOi&client_id=x", nil)
	for _, r := range s.Requests() {
		if strings.Contains(r.Body, "s3cr") || strings.Contains(r.Query, "eyJhbGciOi") || strings.Contains(r.Header.Get("Authorization"), tok) {
			t.Errorf("logged secret: %s %s?%s %q", r.Method, r.Path, r.Query, r.Body)
		}
	}
}

// TestRequestLogOff checks WithRequestLog(0): nothing is kept.
func TestRequestLogOff(t *testing.T) {
	t.Parallel()
	s := kctest.Start(t, kctest.WithRequestLog(0))
	do(t, "GET", s.URL+"/realms/master", nil)
	if n := len(s.Requests()); n != 0 {
		t.Errorf("%d requests logged with the log off", n)
	}
}

// arrivalContext reports when the server first waits on it: a Latency
// fault waits on the request's context, after the request was logged.
type arrivalContext struct {
	context.Context
	once    sync.Once
	waiting chan struct{}
}

func (c *arrivalContext) Done() <-chan struct{} {
	c.once.Do(func() { close(c.waiting) })
	return c.Context.Done()
}

// TestRequestCountSeesRequestsInFlight checks that a request is counted
// from the moment it arrives, not when its handler returns: a client that
// gives up on a slow answer (here, a request held by a Latency fault until
// the client goes away) finds its request counted.
func TestRequestCountSeesRequestsInFlight(t *testing.T) {
	t.Parallel()
	s, _ := startDemo(t)
	s.InjectFault(kctest.Fault{Method: "GET", Path: "/realms/demo", Latency: time.Hour, Times: 1})
	ctx, cancel := context.WithCancel(t.Context())
	actx := &arrivalContext{Context: ctx, waiting: make(chan struct{})}
	req := httptest.NewRequest(http.MethodGet, "/realms/demo", nil).WithContext(actx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		s.Handler().ServeHTTP(httptest.NewRecorder(), req)
	}()
	<-actx.waiting
	if n := s.RequestCount("GET", "/realms/demo"); n != 1 {
		t.Errorf("RequestCount while the request is in flight = %d, want 1", n)
	}
	cancel() // the client gives up
	<-done
	if r := s.Requests(); len(r) != 1 || r[0].Status != 0 {
		t.Errorf("after the client went away: %+v, want one request with status 0", r)
	}
}
