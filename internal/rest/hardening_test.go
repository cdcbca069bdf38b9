package rest

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/kcgo/kc"
	"github.com/kcgo/kc/internal/settings"
)

// zeros is an endless body of a JSON string's content: `"000…`.
type zeros struct{ started bool }

func (z *zeros) Read(p []byte) (int, error) {
	n := 0
	if !z.started && len(p) > 0 {
		p[0] = '"'
		n, z.started = 1, true
	}
	for i := n; i < len(p); i++ {
		p[i] = '0'
	}
	return len(p), nil
}

func TestSuccessBodyIsBounded(t *testing.T) {
	// A hostile server streams a JSON string that never ends: the call
	// must stop at the limit and say which limit, whatever out is.
	t.Parallel()
	var sent atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		n, _ := io.Copy(w, io.LimitReader(&zeros{}, 8<<20))
		sent.Add(n)
	}))
	t.Cleanup(srv.Close)

	for _, tc := range []struct {
		name  string
		opts  []kc.Option
		limit int64
		out   func() any
	}{
		{"json, option", []kc.Option{kc.WithMaxResponseBody(1 << 20)}, 1 << 20, func() any { var s string; return &s }},
		{"raw, option", []kc.Option{kc.WithMaxResponseBody(1 << 20)}, 1 << 20, func() any { var b []byte; return &b }},
		{"json into any, option", []kc.Option{kc.WithMaxResponseBody(2 << 20)}, 2 << 20, func() any { var v any; return &v }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := newClient(t, srv.URL, tc.opts...)
			_, err := c.Do(t.Context(), &Request{Method: "GET"}, tc.out())
			if !errors.Is(err, kc.ErrResponseTooLarge) {
				t.Fatalf("err = %v, want kc.ErrResponseTooLarge", err)
			}
			if want := "limit of " + itoa(tc.limit) + " bytes"; !strings.Contains(err.Error(), want) {
				t.Errorf("err = %v, want it to name the limit (%q)", err, want)
			}
		})
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func settingsFor(opts ...kc.Option) (*settings.Settings, error) { return settings.New(opts) }

func TestDefaultSuccessLimit(t *testing.T) {
	t.Parallel()
	if DefaultMaxBody != 64<<20 {
		t.Errorf("DefaultMaxBody = %d, want 64 MiB", DefaultMaxBody)
	}
	c := newClient(t, "http://127.0.0.1:1")
	if c.maxBody != DefaultMaxBody {
		t.Errorf("maxBody = %d, want %d", c.maxBody, DefaultMaxBody)
	}
	for _, n := range []int64{0, -1} {
		if _, err := settingsFor(kc.WithMaxResponseBody(n)); err == nil || !strings.Contains(err.Error(), "WithMaxResponseBody") {
			t.Errorf("WithMaxResponseBody(%d): err = %v, want an error naming the option", n, err)
		}
	}
}

func TestBodyUnderTheLimitDecodes(t *testing.T) {
	t.Parallel()
	body := `{"a":"` + strings.Repeat("x", 1000) + `"}`
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, body) }))
	t.Cleanup(srv.Close)
	c := newClient(t, srv.URL, kc.WithMaxResponseBody(int64(len(body))))
	var out map[string]string
	if _, err := c.Do(t.Context(), &Request{Method: "GET"}, &out); err != nil || len(out["a"]) != 1000 {
		t.Fatalf("err = %v, len = %d", err, len(out["a"]))
	}
	var raw []byte
	if _, err := c.Do(t.Context(), &Request{Method: "GET"}, &raw); err != nil || string(raw) != body {
		t.Fatalf("raw: err = %v, len = %d", err, len(raw))
	}
}

func TestTrailingDataIsAnError(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		body string
		ok   bool
	}{
		{`{"username":"a"}`, true},
		{"{\"username\":\"a\"}\n  \r\n", true},
		{`{"username":"a"}garbage`, false},
		{`{"username":"a"}{"username":"b"}`, false},
		{`{"username":"a"} 1`, false},
		{`{"username":"a"}]`, false},
	} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, tc.body) }))
		c := newClient(t, srv.URL)
		var out struct{ Username string }
		_, err := c.Do(t.Context(), &Request{Method: "GET"}, &out)
		srv.Close()
		if (err == nil) != tc.ok {
			t.Errorf("body %q: err = %v, want ok=%v", tc.body, err, tc.ok)
		}
		if err != nil && !strings.Contains(err.Error(), "after the JSON value") {
			t.Errorf("body %q: err = %v, want it to say there is data after the JSON value", tc.body, err)
		}
	}
}

func TestErrorBodiesShareTheBound(t *testing.T) {
	// Error bodies are kept up to kc.MaxErrorBody and never fail the call
	// for being long: the one limit reader truncates them.
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(502)
		io.Copy(w, io.LimitReader(&zeros{}, 1<<20))
	}))
	t.Cleanup(srv.Close)
	c := newClient(t, srv.URL, kc.WithoutRetry(), kc.WithMaxResponseBody(1024))
	_, err := c.Do(t.Context(), &Request{Method: "GET"}, nil)
	ae, ok := errors.AsType[*kc.APIError](err)
	if !ok || ae.StatusCode != 502 || len(ae.Body) != kc.MaxErrorBody {
		t.Fatalf("err = %v (body %d bytes), want a 502 APIError with %d bytes of body", err, len(ae.Body), kc.MaxErrorBody)
	}
}

func TestRedirectsAreNeverFollowed(t *testing.T) {
	// Keycloak never redirects an API call. Go's default policy would
	// re-POST a 307/308 form (password, client secret) to the Location,
	// and keep the Authorization header for the same host on another port.
	t.Parallel()
	var leaked atomic.Int32
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if r.Header.Get("Authorization") != "" || bytes.Contains(body, []byte("s3cret")) {
			leaked.Add(1)
		}
		io.WriteString(w, `{}`)
	}))
	t.Cleanup(target.Close)
	for _, status := range []int{301, 302, 303, 307, 308} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, target.URL+"/elsewhere?password=p", status)
		}))
		c := newClient(t, srv.URL)
		for _, req := range []*Request{
			{Method: "POST", Form: url.Values{"password": {"s3cret"}}, BasicUser: "app", BasicPassword: "s3cret"},
			{Method: "GET", Auth: kc.StaticAccessToken("s3cret")},
			{Method: "GET"},
			{Method: "PUT", JSON: map[string]string{"secret": "s3cret"}, Auth: kc.StaticAccessToken("s3cret")},
		} {
			_, err := c.Do(t.Context(), req, nil)
			if !errors.Is(err, kc.ErrRedirect) {
				t.Errorf("%d %s: err = %v, want kc.ErrRedirect", status, req.Method, err)
				continue
			}
			if !strings.Contains(err.Error(), target.URL+"/elsewhere") || strings.Contains(err.Error(), "password=p") {
				t.Errorf("%d %s: err = %v, want it to name the Location, redacted", status, req.Method, err)
			}
		}
		srv.Close()
	}
	if n := leaked.Load(); n != 0 {
		t.Errorf("%d requests reached the redirect target with a credential", n)
	}
}

func TestCreatedLocationMustBeRequestURLPlusOneSegment(t *testing.T) {
	// Keycloak: Response.created(uriInfo.getAbsolutePathBuilder().path(id))
	// in UsersResource.createUser, ClientsResource.createClient, ...
	// GroupResource.addChild uses the groups collection instead, which a
	// request names with CreatedIn.
	t.Parallel()
	var loc atomic.Value
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		l := loc.Load().(string)
		l = strings.ReplaceAll(l, "{base}", "http://"+r.Host)
		w.Header().Set("Location", l)
		w.WriteHeader(201)
	}))
	t.Cleanup(srv.Close)
	c := newClient(t, srv.URL+"/kc")
	other := httptest.NewServer(http.NotFoundHandler())
	other.Close()
	for _, tc := range []struct {
		loc       string
		createdIn []string
		id        string // "" when an error is wanted
	}{
		{"{base}/kc/admin/realms/r/users/abc", nil, "abc"},
		{"{base}/kc/admin/realms/r/users/abc/", nil, "abc"},
		{"/kc/admin/realms/r/users/a%2Fb%20c", nil, "a/b c"},
		{"users/abc", nil, "abc"}, // RFC 3986 §5.2.3: relative to .../realms/r/users
		{"{base}/kc/admin/realms/r/users/../../x", nil, ""},
		{"{base}/kc/admin/realms/r/users/%2E%2E", nil, ""},
		{"{base}/kc/admin/realms/other/users/abc", nil, ""},
		{"{base}/kc/admin/realms/r/groups/abc", nil, ""},
		{"{base}/kc/admin/realms/r/users/abc/def", nil, ""},
		{"{base}/kc/admin/realms/r/users", nil, ""},
		{"{base}/kc/admin/realms/r/users/", nil, ""},
		{other.URL + "/kc/admin/realms/r/users/abc", nil, ""},
		{"https://" + strings.TrimPrefix(srv.URL, "http://") + "/kc/admin/realms/r/users/abc", nil, ""},
		{"{base}/kc/admin/realms/r/groups/abc", []string{"admin", "realms", "r", "groups"}, "abc"},
		{"{base}/kc/admin/realms/r/users/abc", []string{"admin", "realms", "r", "groups"}, "abc"},
		{"{base}/kc/admin/realms/r/roles/abc", []string{"admin", "realms", "r", "groups"}, ""},
	} {
		loc.Store(tc.loc)
		resp, err := c.Do(t.Context(), &Request{Method: "POST", Path: []string{"admin", "realms", "r", "users"}, JSON: map[string]string{}, CreatedIn: tc.createdIn}, nil)
		switch {
		case tc.id == "" && err == nil:
			t.Errorf("Location %q: ID %q, want an error", tc.loc, resp.ID)
		case tc.id == "" && !strings.Contains(err.Error(), "Location"):
			t.Errorf("Location %q: err = %v, want it to name the Location", tc.loc, err)
		case tc.id != "" && err != nil:
			t.Errorf("Location %q: %v", tc.loc, err)
		case tc.id != "" && resp.ID != tc.id:
			t.Errorf("Location %q: ID %q, want %q", tc.loc, resp.ID, tc.id)
		}
	}
}
