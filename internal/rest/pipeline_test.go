package rest

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kcgo/kc"
)

// The URL of a call is built in one string; what it holds must be what
// url.Values.Encode and url.PathEscape make of the same input.
func TestURLAndQueryMatchTheStandardEncoders(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		base  string
		segs  []string
		query url.Values
	}{
		{"http://kc.example", []string{"admin", "realms", "r", "users"}, url.Values{"max": {"1"}}},
		{"http://kc.example", []string{"admin", "realms", "r", "users"}, url.Values{"max": {"1"}, "first": {"0"}, "briefRepresentation": {"true"}}},
		{"http://kc.example/auth", []string{"admin", "realms", "a/b c?d", "roles", "ünï"}, url.Values{"search": {"a b&c=d+e/f?g~h.i_j-k%"}, "q": {"dept:x y", "z"}}},
		{"http://kc.example/a%20b", []string{"x"}, nil},
		{"http://kc.example", nil, url.Values{"": {""}, "k": {}, "é": {"\x00\xff"}}},
		{"http://kc.example", []string{"s"}, url.Values{"a": {"1"}, "b": {"2"}, "c": {"3"}, "d": {"4"}, "e": {"5"}, "f": {"6"}, "g": {"7"}, "h": {"8"}, "i": {"9"}, "j": {"10"}}},
	} {
		c := newClient(t, tc.base)
		var got url.URL
		if err := c.buildURL(&got, tc.segs, tc.query); err != nil {
			t.Fatal(err)
		}
		want := c.Base()
		for _, s := range tc.segs {
			want.Path += "/" + s
			want.RawPath = ""
		}
		if esc := escapedPath(c, tc.segs); esc != want.Path {
			want.RawPath = esc
		}
		want.RawQuery = tc.query.Encode()
		if diff := cmp.Diff(want.String(), got.String()); diff != "" {
			t.Errorf("%s %q %v: URL (-want +got):\n%s", tc.base, tc.segs, tc.query, diff)
		}
		if diff := cmp.Diff(*want, got); diff != "" {
			t.Errorf("%s %q %v: url.URL (-want +got):\n%s", tc.base, tc.segs, tc.query, diff)
		}
	}
}

func escapedPath(c *Client, segs []string) string {
	p := c.baseEsc
	for _, s := range segs {
		p += "/" + url.PathEscape(s)
	}
	return p
}

func FuzzQueryEscaping(f *testing.F) {
	for _, s := range []string{"", "a b", "a+b&c=d", "ü/é?#%", "\x00\x7f\x80\xff", "-_.~!*'()"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var b strings.Builder
		writeQueryEscaped(&b, s)
		if want := url.QueryEscape(s); b.String() != want || queryEscapedLen(s) != len(want) {
			t.Errorf("escape %q = %q (len %d), want %q", s, b.String(), queryEscapedLen(s), want)
		}
	})
}

// A request that is retried is sent whole every time, its body too, and
// the backoff counts its attempts on from the first: go-retryablehttp
// runs the retries after the first attempt, which the pipeline sends
// itself.
func TestRetriesResendTheBodyAndCountAttempts(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var bodies []string
	statuses := []int{503, 502, 204}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		defer mu.Unlock()
		bodies = append(bodies, string(b))
		st := statuses[0]
		statuses = statuses[1:]
		w.WriteHeader(st)
	}))
	t.Cleanup(srv.Close)
	var logs bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelInfo}))
	c := newClient(t, srv.URL, fastRetry, kc.WithLogger(logger))
	resp, err := c.Do(t.Context(), &Request{Method: "PUT", Path: []string{"x"}, JSON: map[string]string{"name": "n"}}, nil)
	if err != nil || resp.StatusCode != 204 {
		t.Fatalf("Do = %+v, %v; want the 204", resp, err)
	}
	if diff := cmp.Diff([]string{`{"name":"n"}`, `{"name":"n"}`, `{"name":"n"}`}, bodies); diff != "" {
		t.Errorf("bodies (-want +got):\n%s", diff)
	}
	var attempts []int
	for line := range strings.Lines(logs.String()) {
		var rec struct {
			Msg     string
			Attempt int
		}
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatal(err)
		}
		if rec.Msg == "kc: retrying request" {
			attempts = append(attempts, rec.Attempt)
		}
	}
	if diff := cmp.Diff([]int{2, 3}, attempts); diff != "" {
		t.Errorf("logged attempts (-want +got):\n%s", diff)
	}
}

// A call that needs no retry allocates little: the URL, its strings and
// the Response share allocations, and the retry wrapper costs none.
func TestOneCallAllocations(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`{"a":1}`))
	}))
	t.Cleanup(srv.Close)
	c := newClient(t, srv.URL)
	req := &Request{Method: "GET", Path: []string{"admin", "realms", "r", "users"}, Query: url.Values{"max": {"1"}}, Auth: kc.StaticAccessToken("t")}
	var out struct{ A int }
	call := func() {
		if _, err := c.Do(t.Context(), req, &out); err != nil {
			t.Fatal(err)
		}
	}
	call()
	var plain struct{ A int }
	hc := &http.Client{Timeout: c.timeout}
	plainCall := func() {
		r, err := http.NewRequestWithContext(t.Context(), "GET", srv.URL+"/admin/realms/r/users?max=1", nil)
		if err != nil {
			t.Fatal(err)
		}
		r.Header.Set("Authorization", "Bearer t")
		r.Header.Set("Accept", "application/json")
		resp, err := hc.Do(r)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		if err := json.NewDecoder(resp.Body).Decode(&plain); err != nil {
			t.Fatal(err)
		}
	}
	plainCall()
	kcAllocs, plainAllocs := testing.AllocsPerRun(200, call), testing.AllocsPerRun(200, plainCall)
	t.Logf("allocations: kc %v, net/http with a timeout %v", kcAllocs, plainAllocs)
	if kcAllocs > plainAllocs {
		t.Errorf("one call allocates %v, more than net/http with a timeout (%v)", kcAllocs, plainAllocs)
	}
}
