package kc_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/kcgo/kc"
)

func TestNewHTTPClientSendsTheTokenOnlyToItsOrigin(t *testing.T) {
	// Go keeps headers on a redirect to the same host name on another port,
	// and the transport used to add the token on every hop: a redirect to
	// another origin (scheme, host, port) must receive no token.
	t.Parallel()
	var mu sync.Mutex
	got := map[string]string{} // path → Authorization
	record := func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		got[r.Host+r.URL.Path] = r.Header.Get("Authorization")
		mu.Unlock()
	}
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		record(w, r)
		io.WriteString(w, "ok")
	}))
	t.Cleanup(other.Close)
	origin := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		record(w, r)
		switch r.URL.Path {
		case "/to-other-port":
			http.Redirect(w, r, other.URL+"/stolen", http.StatusTemporaryRedirect)
		case "/to-same-origin":
			http.Redirect(w, r, "/landed", http.StatusFound)
		case "/to-localhost":
			http.Redirect(w, r, strings.Replace(other.URL, "127.0.0.1", "localhost", 1)+"/by-name", http.StatusFound)
		default:
			io.WriteString(w, "ok")
		}
	}))
	t.Cleanup(origin.Close)
	hc := kc.NewHTTPClient(nil, kc.StaticAccessToken("tok-123"))
	for _, p := range []string{"/to-other-port", "/to-same-origin", "/to-localhost"} {
		resp, err := hc.Get(origin.URL + p)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	o, x := strings.TrimPrefix(origin.URL, "http://"), strings.TrimPrefix(other.URL, "http://")
	want := map[string]string{
		o + "/to-other-port": "Bearer tok-123", x + "/stolen": "",
		o + "/to-same-origin": "Bearer tok-123", o + "/landed": "Bearer tok-123",
		o + "/to-localhost": "Bearer tok-123", strings.Replace(x, "127.0.0.1", "localhost", 1) + "/by-name": "",
	}
	mu.Lock()
	defer mu.Unlock()
	for k, w := range want {
		if g, ok := got[k]; !ok || g != w {
			t.Errorf("%s: Authorization %q (reached: %v), want %q", k, g, ok, w)
		}
	}
}
