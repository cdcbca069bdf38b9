package rest

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
)

// TestRawBody sends a body as it is with its content type, and refuses,
// sending nothing, a raw body without a content type or beside another body.
func TestRawBody(t *testing.T) {
	t.Parallel()
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		b, _ := io.ReadAll(r.Body)
		if r.Header.Get("Content-Type") != "text/plain; charset=utf-8" || string(b) != "a \"text\"" {
			t.Errorf("got %q %q", r.Header.Get("Content-Type"), b)
		}
		w.WriteHeader(http.StatusNoContent)
	}))
	defer srv.Close()
	c := newClient(t, srv.URL)
	ctx := t.Context()
	if _, err := c.Do(ctx, &Request{Method: "PUT", Path: []string{"x"}, Body: []byte(`a "text"`), ContentType: "text/plain; charset=utf-8"}, nil); err != nil {
		t.Fatal(err)
	}
	for name, req := range map[string]*Request{
		"no content type": {Method: "PUT", Path: []string{"x"}, Body: []byte("a")},
		"two bodies":      {Method: "PUT", Path: []string{"x"}, Body: []byte("a"), ContentType: "text/plain", Form: url.Values{"a": {"b"}}},
	} {
		if _, err := c.Do(ctx, req, nil); err == nil || !strings.Contains(err.Error(), "body") {
			t.Errorf("%s: %v", name, err)
		}
	}
	if n := hits.Load(); n != 1 {
		t.Errorf("%d requests reached the server, want 1", n)
	}
}
