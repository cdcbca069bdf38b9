package rest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/kcgo/kc"
	"github.com/kcgo/kc/internal/settings"
)

func newClient(t *testing.T, serverURL string, opts ...kc.Option) *Client {
	t.Helper()
	s, err := settings.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	c, err := New("test", serverURL, s)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// fastRetry keeps retry tests quick without changing what they test.
var fastRetry = kc.WithRetry(3, time.Millisecond, 2*time.Millisecond)

func TestDefaultsBoundEveryCall(t *testing.T) {
	// gocloak D3: no timeout and no retries by default, so a call could hang forever.
	t.Parallel()
	c := newClient(t, "http://127.0.0.1:1")
	if got := c.http.HTTPClient.Timeout; got != settings.DefaultTimeout {
		t.Errorf("default per-attempt timeout = %v, want %v", got, settings.DefaultTimeout)
	}
	if got := c.http.RetryMax; got != settings.DefaultAttempts-1 {
		t.Errorf("RetryMax = %d, want %d", got, settings.DefaultAttempts-1)
	}
	if c.http.Logger != nil {
		t.Errorf("retryablehttp logger = %v, want nil (it would print to stderr)", c.http.Logger)
	}
	if c.http.ErrorHandler == nil {
		t.Error("no ErrorHandler: the last response would be lost after the retries")
	}
}

func TestPathEscaping(t *testing.T) {
	// gocloak D4: role "a/b c?d" reached /roles/a/b c with ?d as a query.
	t.Parallel()
	names := []string{"a/b c?d", "x#y", "100%", "semi;colon", "ü-ñ-日本", "a+b", "..x", "x..", ".hidden", "a%2Fb", "tab\tx"}
	var mu sync.Mutex
	var got []string
	mux := http.NewServeMux()
	mux.HandleFunc("GET /admin/realms/{realm}/roles/{role}", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		got = append(got, r.PathValue("realm")+"|"+r.PathValue("role")+"|"+r.URL.RawQuery)
		mu.Unlock()
		w.Write([]byte(`{}`))
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	c := newClient(t, srv.URL)
	var want []string
	for _, n := range names {
		if _, err := c.Do(t.Context(), &Request{Method: "GET", Path: []string{"admin", "realms", "r/1", "roles", n}}, nil); err != nil {
			t.Fatalf("role %q: %v", n, err)
		}
		want = append(want, "r/1|"+n+"|")
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("segments the server saw (-want +got):\n%s", diff)
	}
}

func TestDotSegmentsAreRefusedAndNothingIsSent(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("request sent: %s", r.URL)
	}))
	t.Cleanup(srv.Close)
	c := newClient(t, srv.URL)
	for _, seg := range []string{"..", ".", ""} {
		_, err := c.Do(t.Context(), &Request{Method: "GET", Path: []string{"admin", "realms", "r", "users", seg, "x"}}, nil)
		if err == nil || !strings.Contains(err.Error(), fmt.Sprintf("%q", seg)) {
			t.Errorf("segment %q: err = %v, want an error naming it", seg, err)
		}
	}
}

func TestBasePathAppliesToEveryURL(t *testing.T) {
	// gocloak D5: with legacy support, serverinfo still went to /admin/serverinfo.
	t.Parallel()
	for _, tc := range []struct {
		server string
		opts   []kc.Option
	}{
		{"https://kc.example.com", []kc.Option{kc.WithLegacyAuthPath()}},
		{"https://kc.example.com/", []kc.Option{kc.WithBasePath("/auth/")}},
		{"https://kc.example.com/auth", nil},
		{"https://kc.example.com/auth", []kc.Option{kc.WithLegacyAuthPath()}},
	} {
		c := newClient(t, tc.server, tc.opts...)
		for _, segs := range [][]string{
			{"admin", "serverinfo"},
			{"admin", "realms", "r", "users"},
			{"realms", "r", ".well-known", "openid-configuration"},
			{"realms", "r", "authz", "protection", "resource_set"},
		} {
			u, err := c.URL(segs...)
			if err != nil {
				t.Fatal(err)
			}
			want := "https://kc.example.com/auth/" + strings.Join(segs, "/")
			if u.String() != want {
				t.Errorf("%s %v: URL = %s, want %s", tc.server, segs, u, want)
			}
		}
	}
}

func TestParseServerURL(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, wantErr string }{
		{"", "serverURL is empty"},
		{"kc.example.com", "scheme must be http or https"},
		{"ftp://kc.example.com", "scheme must be http or https"},
		{"https://", "has no host"},
		{"https://kc.example.com?x=1", "query or fragment"},
		{"https://kc.example.com#f", "query or fragment"},
		{"https://u:secret@kc.example.com", "must not hold credentials"},
		{"https://kc.example.com/a/../b", "unclean path"},
		{"https://kc.example.com/auth/", ""},
	} {
		_, err := ParseServerURL("pkg", tc.in)
		switch {
		case tc.wantErr == "" && err != nil:
			t.Errorf("%q: %v", tc.in, err)
		case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
			t.Errorf("%q: err = %v, want %q", tc.in, err, tc.wantErr)
		case err != nil && strings.Contains(err.Error(), "secret"):
			t.Errorf("%q: error shows the password: %v", tc.in, err)
		}
	}
}

// flaky answers with the statuses in order, then 200 {"ok":true}.
type flaky struct {
	mu       sync.Mutex
	statuses []int
	header   http.Header
	calls    int
	methods  []string
}

func (f *flaky) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls++
	f.methods = append(f.methods, r.Method)
	io.Copy(io.Discard, r.Body)
	if len(f.statuses) > 0 {
		st := f.statuses[0]
		f.statuses = f.statuses[1:]
		for k, v := range f.header {
			w.Header()[k] = v
		}
		w.WriteHeader(st)
		fmt.Fprintf(w, `{"error":"status %d"}`, st)
		return
	}
	w.Write([]byte(`{"ok":true}`))
}

func (f *flaky) count() int { f.mu.Lock(); defer f.mu.Unlock(); return f.calls }

func TestRetryPolicy(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		req        Request
		statuses   []int
		wantCalls  int
		wantStatus int // 0: success
	}{
		{"GET 503 then 200", Request{Method: "GET"}, []int{503}, 2, 0},
		{"GET 429 502 504 exhausts 3 attempts", Request{Method: "GET"}, []int{429, 502, 504}, 3, 504},
		{"PUT 502 then 204", Request{Method: "PUT", JSON: map[string]int{"a": 1}}, []int{502}, 2, 0},
		{"DELETE 503 then 200", Request{Method: "DELETE"}, []int{503}, 2, 0},
		{"POST is not retried", Request{Method: "POST", Form: map[string][]string{"a": {"b"}}}, []int{503}, 1, 503},
		{"POST marked idempotent is retried", Request{Method: "POST", JSON: []int{1}, Idempotent: true}, []int{503}, 2, 0},
		{"NoRetry GET", Request{Method: "GET", NoRetry: true}, []int{503}, 1, 503},
		{"GET 500 is not retried", Request{Method: "GET"}, []int{500}, 1, 500},
		{"GET 404 is not retried", Request{Method: "GET"}, []int{404}, 1, 404},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := &flaky{statuses: tc.statuses}
			srv := httptest.NewServer(f)
			t.Cleanup(srv.Close)
			c := newClient(t, srv.URL, fastRetry)
			var out map[string]any
			req := tc.req
			_, err := c.Do(t.Context(), &req, &out)
			if got := f.count(); got != tc.wantCalls {
				t.Errorf("server saw %d requests, want %d", got, tc.wantCalls)
			}
			if tc.wantStatus == 0 {
				if err != nil || out["ok"] != true {
					t.Errorf("Do = %v, %v; want success", out, err)
				}
				return
			}
			var ae *kc.APIError
			if !errors.As(err, &ae) || ae.StatusCode != tc.wantStatus {
				t.Errorf("Do error = %v, want APIError with status %d", err, tc.wantStatus)
			}
		})
	}
}

func TestRetryAfterIsHonoured(t *testing.T) {
	t.Parallel()
	// The backoff is an hour: the call finishes only if Retry-After: 0 is used instead.
	f := &flaky{statuses: []int{429, 503}, header: http.Header{"Retry-After": {"0"}}}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	c := newClient(t, srv.URL, kc.WithRetry(3, time.Hour, time.Hour))
	if _, err := c.Do(t.Context(), &Request{Method: "GET"}, nil); err != nil {
		t.Fatal(err)
	}
	if f.count() != 3 {
		t.Errorf("calls = %d, want 3", f.count())
	}

	// A Retry-After beyond the cap ends the retries; the caller gets the 429.
	f2 := &flaky{statuses: []int{429}, header: http.Header{"Retry-After": {"3600"}}}
	srv2 := httptest.NewServer(f2)
	t.Cleanup(srv2.Close)
	c2 := newClient(t, srv2.URL, fastRetry)
	_, err := c2.Do(t.Context(), &Request{Method: "GET"}, nil)
	if ae, ok := errors.AsType[*kc.APIError](err); !ok || ae.StatusCode != 429 {
		t.Errorf("err = %v, want the 429", err)
	}
	if f2.count() != 1 {
		t.Errorf("calls = %d, want 1", f2.count())
	}
}

func TestBackoff(t *testing.T) {
	t.Parallel()
	resp := func(h string) *http.Response {
		r := &http.Response{Header: http.Header{}}
		if h != "" {
			r.Header.Set("Retry-After", h)
		}
		return r
	}
	if d := Backoff(time.Second, time.Minute, 0, resp("7")); d != 7*time.Second {
		t.Errorf("Retry-After 7: wait %v", d)
	}
	date := time.Now().Add(90 * time.Second).UTC().Format(http.TimeFormat)
	if d := Backoff(time.Second, time.Minute, 0, resp(date)); d < 80*time.Second || d > 91*time.Second {
		t.Errorf("Retry-After date: wait %v, want about 90s", d)
	}
	for n := range 10 {
		for range 50 {
			d := Backoff(100*time.Millisecond, 2*time.Second, n, resp(""))
			ceil := min(100*time.Millisecond<<n, 2*time.Second)
			if d < 100*time.Millisecond || d > ceil {
				t.Fatalf("attempt %d: wait %v outside [100ms, %v]", n, d, ceil)
			}
		}
	}
}

func TestRetriesStopWhenTheContextEnds(t *testing.T) {
	t.Parallel()
	first := make(chan struct{})
	var once sync.Once
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		once.Do(func() { close(first) })
		w.WriteHeader(503)
	}))
	t.Cleanup(srv.Close)
	c := newClient(t, srv.URL, kc.WithRetry(10, time.Hour, time.Hour))
	ctx, cancel := context.WithCancel(t.Context())
	go func() { <-first; cancel() }()
	done := make(chan error, 1)
	go func() { _, err := c.Do(ctx, &Request{Method: "GET"}, nil); done <- err }()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v, want context.Canceled", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Do did not return after the context was cancelled")
	}
}

func TestDeadlineAndCancelAreVisible(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		<-r.Context().Done()
	}))
	t.Cleanup(srv.Close)
	c := newClient(t, srv.URL)
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Millisecond)
	defer cancel()
	_, err := c.Do(ctx, &Request{Method: "GET"}, nil)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v, want DeadlineExceeded", err)
	}
}

func TestPerAttemptTimeout(t *testing.T) {
	t.Parallel()
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) == 1 {
			<-r.Context().Done() // the first attempt hangs
			return
		}
		w.Write([]byte(`{"ok":true}`))
	}))
	t.Cleanup(srv.Close)
	c := newClient(t, srv.URL, kc.WithTimeout(50*time.Millisecond), fastRetry)
	var out map[string]bool
	if _, err := c.Do(t.Context(), &Request{Method: "GET"}, &out); err != nil || !out["ok"] {
		t.Fatalf("Do = %v, %v; want the second attempt's answer", out, err)
	}
}

// countingTransport is a caller's own transport.
type countingTransport struct {
	n    atomic.Int32
	next http.RoundTripper
}

func (c *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	c.n.Add(1)
	r2 := r.Clone(r.Context())
	r2.Header.Set("X-Caller-Transport", "yes")
	return c.next.RoundTrip(r2)
}

func TestWithHTTPClientKeepsTheOtherOptions(t *testing.T) {
	t.Parallel()
	for _, order := range []string{"client first", "client last"} {
		t.Run(order, func(t *testing.T) {
			t.Parallel()
			var mu sync.Mutex
			var uas, marks []string
			var calls int
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				mu.Lock()
				defer mu.Unlock()
				calls++
				uas = append(uas, r.UserAgent())
				marks = append(marks, r.Header.Get("X-Caller-Transport"))
				switch calls {
				case 1:
					w.WriteHeader(503) // retried
				case 2:
					<-r.Context().Done() // cut by the per-attempt timeout, retried
				default:
					w.Write([]byte(`{}`))
				}
			}))
			t.Cleanup(srv.Close)
			ct := &countingTransport{next: http.DefaultTransport}
			own := &http.Client{Transport: ct, Timeout: time.Hour}
			opts := []kc.Option{kc.WithRetry(3, time.Millisecond, time.Millisecond), kc.WithTimeout(100 * time.Millisecond), kc.WithUserAgent("billing/1.4")}
			if order == "client first" {
				opts = append([]kc.Option{kc.WithHTTPClient(own)}, opts...)
			} else {
				opts = append(opts, kc.WithHTTPClient(own))
			}
			c := newClient(t, srv.URL, opts...)
			if _, err := c.Do(t.Context(), &Request{Method: "GET"}, nil); err != nil {
				t.Fatal(err)
			}
			if ct.n.Load() != 3 {
				t.Errorf("caller's transport saw %d attempts, want 3", ct.n.Load())
			}
			for i, ua := range uas {
				if !strings.HasPrefix(ua, "billing/1.4 kc-go/") || marks[i] != "yes" {
					t.Errorf("attempt %d: User-Agent %q, caller transport mark %q", i, ua, marks[i])
				}
			}
			if own.Timeout != time.Hour || own.Transport != ct {
				t.Error("the caller's client was modified")
			}
		})
	}
}

func TestErrorBodyFamilies(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		status int
		body   string
		header string
		want   kc.APIError
		is     []error
	}{
		{
			name: "OAuth", status: 401,
			body: `{"error":"invalid_grant","error_description":"Invalid user credentials"}`,
			want: kc.APIError{ErrorCode: "invalid_grant", ErrorDescription: "Invalid user credentials"},
			is:   []error{kc.ErrUnauthorized, kc.ErrInvalidGrant},
		},
		{
			name: "OAuth invalid_grant with 400", status: 400,
			body: `{"error":"invalid_grant","error_description":"Token is not active"}`,
			want: kc.APIError{ErrorCode: "invalid_grant", ErrorDescription: "Token is not active"},
			is:   []error{kc.ErrBadRequest, kc.ErrInvalidGrant},
		},
		{
			name: "admin errorMessage", status: 409,
			body: `{"errorMessage":"User exists with same username"}`,
			want: kc.APIError{ErrorMessage: "User exists with same username"},
			is:   []error{kc.ErrConflict},
		},
		{
			name: "admin field error", status: 400,
			body: `{"field":"username","errorMessage":"error-invalid-length","params":["username",3,255]}`,
			want: kc.APIError{Field: "username", ErrorMessage: "error-invalid-length", Params: []any{"username", 3.0, 255.0}},
			is:   []error{kc.ErrBadRequest},
		},
		{
			name: "admin multi-error", status: 400,
			body: `{"errors":[{"field":"email","errorMessage":"error-invalid-email","params":["email","bad"]},{"field":"firstName","errorMessage":"error-empty"}]}`,
			want: kc.APIError{Errors: []kc.FieldError{
				{Field: "email", ErrorMessage: "error-invalid-email", Params: []any{"email", "bad"}},
				{Field: "firstName", ErrorMessage: "error-empty"},
			}},
			is: []error{kc.ErrBadRequest},
		},
		{
			name: "generic JAX-RS", status: 404,
			body: `{"error":"User not found"}`,
			want: kc.APIError{ErrorCode: "User not found"},
			is:   []error{kc.ErrNotFound},
		},
		{
			name: "generic 403", status: 403,
			body: `{"error":"HTTP 403 Forbidden"}`,
			want: kc.APIError{ErrorCode: "HTTP 403 Forbidden"},
			is:   []error{kc.ErrForbidden},
		},
		{
			name: "UserInfo challenge", status: 401,
			header: `Bearer realm="demo", error="invalid_token", error_description="Token verification failed"`,
			want:   kc.APIError{ErrorCode: "invalid_token", ErrorDescription: "Token verification failed", WWWAuthenticate: `Bearer realm="demo", error="invalid_token", error_description="Token verification failed"`},
			is:     []error{kc.ErrUnauthorized},
		},
		{
			name: "not JSON", status: 502, body: `<html>bad gateway</html>`,
			want: kc.APIError{},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if tc.header != "" {
					w.Header().Set("WWW-Authenticate", tc.header)
				}
				w.WriteHeader(tc.status)
				io.WriteString(w, tc.body)
			}))
			t.Cleanup(srv.Close)
			c := newClient(t, srv.URL, kc.WithoutRetry())
			_, err := c.Do(t.Context(), &Request{Method: "POST", Path: []string{"x"}, Query: map[string][]string{"password": {"hunter2"}}}, nil)
			ae, ok := errors.AsType[*kc.APIError](err)
			if !ok {
				t.Fatalf("err = %v (%T), want *kc.APIError", err, err)
			}
			want := tc.want
			want.StatusCode, want.Method = tc.status, "POST"
			want.URL = srv.URL + "/x?password=REDACTED"
			want.Body = []byte(tc.body)
			if len(want.Body) == 0 {
				want.Body = []byte{}
			}
			if diff := cmp.Diff(&want, ae); diff != "" {
				t.Errorf("APIError (-want +got):\n%s", diff)
			}
			for _, s := range tc.is {
				if !errors.Is(err, s) {
					t.Errorf("errors.Is(err, %v) = false", s)
				}
			}
			for _, s := range []error{kc.ErrBadRequest, kc.ErrUnauthorized, kc.ErrForbidden, kc.ErrNotFound, kc.ErrConflict, kc.ErrInvalidGrant} {
				if errors.Is(err, s) && !containsErr(tc.is, s) {
					t.Errorf("errors.Is(err, %v) = true, want false", s)
				}
			}
			if strings.Contains(err.Error(), "hunter2") {
				t.Errorf("error shows a secret: %v", err)
			}
		})
	}
}

func containsErr(list []error, e error) bool {
	for _, x := range list {
		if x == e {
			return true
		}
	}
	return false
}

func TestErrorBodyIsBounded(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(500)
		w.Write(bytes.Repeat([]byte("x"), 1<<20))
	}))
	t.Cleanup(srv.Close)
	c := newClient(t, srv.URL)
	_, err := c.Do(t.Context(), &Request{Method: "GET"}, nil)
	ae, ok := errors.AsType[*kc.APIError](err)
	if !ok || len(ae.Body) != kc.MaxErrorBody {
		t.Fatalf("err = %v; body length %d, want %d", err, len(ae.Body), kc.MaxErrorBody)
	}
}

func TestCreatedIDFromLocation(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var body map[string]string
		json.NewDecoder(r.Body).Decode(&body)
		if r.Header.Get("Content-Type") != "application/json" || body["username"] != "alice" {
			t.Errorf("body %v, content type %q", body, r.Header.Get("Content-Type"))
		}
		w.Header().Set("Location", "http://"+r.Host+"/admin/realms/r/roles/a%2Fb%20c")
		w.WriteHeader(201)
	}))
	t.Cleanup(srv.Close)
	c := newClient(t, srv.URL)
	resp, err := c.Do(t.Context(), &Request{Method: "POST", Path: []string{"admin", "realms", "r", "roles"}, JSON: map[string]string{"username": "alice"}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 201 || resp.ID != "a/b c" {
		t.Errorf("status %d, ID %q; want 201 and %q", resp.StatusCode, resp.ID, "a/b c")
	}
}

func TestFormBodyAndBasicAuth(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		user, pass, _ := r.BasicAuth()
		if err := r.ParseForm(); err != nil {
			t.Error(err)
		}
		// RFC 6749 §2.3.1: the client id and secret are form-encoded before Basic.
		if user != "my%3Aclient" || pass != "s+e%2Fc" || r.PostForm.Get("grant_type") != "client_credentials" {
			t.Errorf("basic %q:%q, form %v", user, pass, r.PostForm)
		}
		w.Write([]byte(`{"access_token":"x"}`))
	}))
	t.Cleanup(srv.Close)
	c := newClient(t, srv.URL)
	var out struct {
		AccessToken string `json:"access_token"`
	}
	_, err := c.Do(t.Context(), &Request{Method: "POST", Form: map[string][]string{"grant_type": {"client_credentials"}}, BasicUser: "my:client", BasicPassword: "s e/c"}, &out)
	if err != nil || out.AccessToken != "x" {
		t.Fatalf("out %+v, err %v", out, err)
	}
}

// invalidatingSource hands out token-1, then token-2 after an invalidation.
type invalidatingSource struct {
	mu          sync.Mutex
	n           int
	invalidated []string
}

func (s *invalidatingSource) Token(context.Context) (*kc.Token, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return &kc.Token{AccessToken: fmt.Sprintf("token-%d", s.n+1)}, nil
}

func (s *invalidatingSource) InvalidateToken(t *kc.Token) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.invalidated = append(s.invalidated, t.AccessToken)
	s.n++
}

func TestUnauthorizedRefreshesOnceAndRetries(t *testing.T) {
	t.Parallel()
	var seen []string
	var mu sync.Mutex
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen = append(seen, r.Header.Get("Authorization"))
		mu.Unlock()
		if r.Header.Get("Authorization") != "Bearer token-2" {
			w.WriteHeader(401)
			w.Write([]byte(`{"error":"HTTP 401 Unauthorized"}`))
			return
		}
		w.Write([]byte(`[]`))
	}))
	t.Cleanup(srv.Close)
	c := newClient(t, srv.URL)
	src := &invalidatingSource{}
	if _, err := c.Do(t.Context(), &Request{Method: "GET", Auth: src}, nil); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"Bearer token-1", "Bearer token-2"}, seen); diff != "" {
		t.Errorf("Authorization headers (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"token-1"}, src.invalidated); diff != "" {
		t.Errorf("invalidated (-want +got):\n%s", diff)
	}

	// A second 401 is returned: one retry only.
	seen = nil
	always := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen = append(seen, r.Header.Get("Authorization"))
		mu.Unlock()
		w.WriteHeader(401)
	}))
	t.Cleanup(always.Close)
	c2 := newClient(t, always.URL)
	_, err := c2.Do(t.Context(), &Request{Method: "GET", Auth: &invalidatingSource{}}, nil)
	if !errors.Is(err, kc.ErrUnauthorized) || len(seen) != 2 {
		t.Errorf("err = %v after %d requests; want ErrUnauthorized after 2", err, len(seen))
	}
}

func TestTransportErrorWrapsItsCause(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there now
	c := newClient(t, "http://"+addr, kc.WithoutRetry())
	_, err = c.Do(t.Context(), &Request{Method: "GET", Query: map[string][]string{"client_secret": {"s3cret"}}}, nil)
	if _, ok := errors.AsType[*net.OpError](err); !ok {
		t.Errorf("err = %v, want it to wrap a *net.OpError", err)
	}
	if strings.Contains(err.Error(), "s3cret") {
		t.Errorf("error shows a secret: %v", err)
	}
}

func TestLogsHoldNoSecret(t *testing.T) {
	t.Parallel()
	f := &flaky{statuses: []int{503}}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	var buf bytes.Buffer
	var mu sync.Mutex
	logger := slog.New(slog.NewJSONHandler(&lockedWriter{w: &buf, mu: &mu}, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c := newClient(t, srv.URL, kc.WithLogger(logger), fastRetry)
	_, err := c.Do(t.Context(), &Request{
		Method: "GET", Query: map[string][]string{"code": {"the-code"}, "first": {"0"}},
		Auth: kc.StaticAccessToken("the-access-token"), BasicUser: "cli", BasicPassword: "the-secret",
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	log := buf.String()
	mu.Unlock()
	for _, secret := range []string{"the-code", "the-access-token", "the-secret"} {
		if strings.Contains(log, secret) {
			t.Errorf("log shows %q:\n%s", secret, log)
		}
	}
	if strings.Count(log, `"msg":"kc: request"`) != 2 || !strings.Contains(log, `"msg":"kc: retrying request"`) || !strings.Contains(log, "first=0") {
		t.Errorf("log lacks the two attempts and the retry:\n%s", log)
	}
}

type lockedWriter struct {
	w  io.Writer
	mu *sync.Mutex
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

func TestParseChallenge(t *testing.T) {
	t.Parallel()
	got := ParseChallenge(`UMA realm="photoz", as_uri="https://kc/realms/photoz", ticket="abc.def"`)
	want := map[string]string{"": "UMA", "realm": "photoz", "as_uri": "https://kc/realms/photoz", "ticket": "abc.def"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	got = ParseChallenge(`Bearer error=invalid_token, error_description="a \"quoted\" text"`)
	want = map[string]string{"": "Bearer", "error": "invalid_token", "error_description": `a "quoted" text`}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestTokenRejectedByAnotherStatus(t *testing.T) {
	t.Parallel()
	var seen []string
	var mu sync.Mutex
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen = append(seen, r.Header.Get("Authorization"))
		mu.Unlock()
		switch {
		case r.URL.Path == "/other":
			w.WriteHeader(403)
			w.Write([]byte(`{"error":"not_authorised"}`))
		case r.Header.Get("Authorization") != "Bearer token-2":
			w.WriteHeader(403)
			w.Write([]byte(`{"error":"invalid_bearer_token"}`))
		default:
			w.Write([]byte(`[]`))
		}
	}))
	t.Cleanup(srv.Close)
	c := newClient(t, srv.URL)
	rejected := func(e *kc.APIError) bool { return e.StatusCode == 403 && e.ErrorCode == "invalid_bearer_token" }
	src := &invalidatingSource{}
	if _, err := c.Do(t.Context(), &Request{Method: "GET", Auth: src, TokenRejected: rejected}, nil); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"Bearer token-1", "Bearer token-2"}, seen); diff != "" {
		t.Errorf("Authorization headers (-want +got):\n%s", diff)
	}

	// Another 403 is returned as it is, decoded, and the token kept.
	seen = nil
	_, err := c.Do(t.Context(), &Request{Method: "GET", Path: []string{"other"}, Auth: src, TokenRejected: rejected}, nil)
	if ae, ok := errors.AsType[*kc.APIError](err); !ok || ae.ErrorCode != "not_authorised" || len(seen) != 1 || len(src.invalidated) != 1 {
		t.Errorf("err = %v after %d requests, %d invalidations", err, len(seen), len(src.invalidated))
	}
}

// recordingDecoder is a BodyDecoder that keeps a copy of what it was given.
type recordingDecoder struct {
	calls int
	body  []byte
	err   error
}

func (d *recordingDecoder) DecodeBody(b []byte) error {
	d.calls++
	d.body = bytes.Clone(b)
	return d.err
}

func TestBodyDecoderGetsTheWholeBody(t *testing.T) {
	t.Parallel()
	big := "[" + strings.Repeat(`{"username":"user-000000"},`, 80_000) + "{}]" // over 2 MiB: not pooled
	mux := http.NewServeMux()
	mux.HandleFunc("GET /sized/{n}", func(w http.ResponseWriter, r *http.Request) {
		body := map[string]string{"small": `[{"a":1}]`, "big": big, "space": " \n\t", "empty": ""}[r.PathValue("n")]
		w.Header().Set("Content-Length", fmt.Sprint(len(body)))
		io.WriteString(w, body)
	})
	mux.HandleFunc("GET /chunked", func(w http.ResponseWriter, r *http.Request) {
		for i := 0; i < len(big); i += 4096 { // no Content-Length: chunked
			io.WriteString(w, big[i:min(i+4096, len(big))])
			w.(http.Flusher).Flush()
		}
	})
	mux.HandleFunc("GET /short", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "100")
		io.WriteString(w, `[{"a":`) // the connection closes before the 100 bytes
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	c := newClient(t, srv.URL)
	for _, tc := range []struct {
		path  string
		want  string
		calls int
	}{
		{"/sized/small", `[{"a":1}]`, 1},
		{"/sized/big", big, 1},
		{"/chunked", big, 1},
		{"/sized/space", "", 0}, // left as it is
		{"/sized/empty", "", 0},
		{"/sized/small", `[{"a":1}]`, 1}, // a pooled buffer again, after the big body
	} {
		var d recordingDecoder
		if _, err := c.Do(t.Context(), &Request{Method: "GET", Path: strings.Split(tc.path[1:], "/")}, &d); err != nil {
			t.Fatalf("%s: %v", tc.path, err)
		}
		if d.calls != tc.calls || string(d.body) != tc.want {
			t.Errorf("%s: %d calls with %d bytes, want %d with %d", tc.path, d.calls, len(d.body), tc.calls, len(tc.want))
		}
	}

	d := recordingDecoder{err: errors.New("bad list")}
	_, err := c.Do(t.Context(), &Request{Method: "GET", Path: []string{"sized", "small"}}, &d)
	if err == nil || !strings.Contains(err.Error(), "test: GET "+srv.URL+"/sized/small: decoding 200 answer: bad list") {
		t.Errorf("decoder error = %v", err)
	}
	d = recordingDecoder{}
	small := newClient(t, srv.URL, kc.WithMaxResponseBody(1<<20))
	_, err = small.Do(t.Context(), &Request{Method: "GET", Path: []string{"chunked"}}, &d)
	if !errors.Is(err, kc.ErrResponseTooLarge) || !strings.Contains(err.Error(), "limit of 1048576 bytes") || d.calls != 0 {
		t.Errorf("body over the limit: error %v after %d calls, want kc.ErrResponseTooLarge naming the limit, and no call", err, d.calls)
	}
	_, err = c.Do(t.Context(), &Request{Method: "GET", Path: []string{"short"}}, &d)
	if !errors.Is(err, io.ErrUnexpectedEOF) || d.calls != 0 {
		t.Errorf("short body: error %v after %d calls, want io.ErrUnexpectedEOF and none", err, d.calls)
	}
}
