package admin_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/kcgo/kc"
	"github.com/kcgo/kc/keycloak/admin"
)

// FuzzRoleNameReachesRole is gocloak's D4 as a property: whatever the role
// name, the request names exactly that role, one path segment, and adds
// no query.
func FuzzRoleNameReachesRole(f *testing.F) {
	for _, s := range []string{"a/b c?d", "%2F", "x#y", "ünï", "a;b", "+", "..x", "@:", "a\x00b"} {
		f.Add(s)
	}
	var mu sync.Mutex
	var gotPath, gotQuery string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		gotPath, gotQuery = r.URL.EscapedPath(), r.URL.RawQuery
		mu.Unlock()
		w.Write([]byte("{}"))
	}))
	f.Cleanup(srv.Close)
	c, err := admin.New(srv.URL, kc.StaticAccessToken("t"), kc.WithoutRetry())
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, name string) {
		_, err := c.Realm("r").Roles.Get(t.Context(), name)
		if strings.TrimSpace(name) == "" || name == "." || name == ".." {
			if err == nil {
				t.Fatalf("name %q accepted", name)
			}
			return
		}
		if err != nil {
			t.Fatalf("name %q: %v", name, err)
		}
		mu.Lock()
		defer mu.Unlock()
		const prefix = "/admin/realms/r/roles/"
		if !strings.HasPrefix(gotPath, prefix) || gotQuery != "" {
			t.Fatalf("name %q: path %q query %q", name, gotPath, gotQuery)
		}
		seg := strings.TrimPrefix(gotPath, prefix)
		if strings.Contains(seg, "/") {
			t.Fatalf("name %q: more than one segment: %q", name, seg)
		}
		if got, err := url.PathUnescape(seg); err != nil || got != name {
			t.Fatalf("name %q arrived as %q (%v)", name, got, err)
		}
	})
}
