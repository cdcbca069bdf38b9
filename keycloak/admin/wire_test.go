package admin_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kcgo/kc"
	"github.com/kcgo/kc/keycloak/admin"
)

// setupWire returns a client of an httptest server whose base URL has a
// path prefix, so a request that ignored the base URL fails.
func setupWire(t *testing.T, h http.HandlerFunc, opts ...kc.Option) *admin.Client {
	t.Helper()
	mux := http.NewServeMux()
	mux.Handle("/kc/", http.StripPrefix("/kc", h))
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("request outside the base path: %s %s", r.Method, r.URL)
		http.Error(w, "bad path", http.StatusTeapot)
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	c, err := admin.New(srv.URL+"/kc", kc.StaticAccessToken("tok"), append([]kc.Option{kc.WithoutRetry()}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestBadInputSendsNothing(t *testing.T) {
	t.Parallel()
	c := setupWire(t, func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("unexpected request %s %s", r.Method, r.URL)
	})
	ctx := t.Context()
	rc := c.Realm("r")
	empty := c.Realm("")
	role := []admin.Role{{ID: "id", Name: "n"}}
	tests := []struct {
		name string
		call func() error
		want string
	}{
		{"realm get", func() error { _, err := c.Realms.Get(ctx, ""); return err }, "admin: realm is empty"},
		{"realm create nil", func() error { _, err := c.Realms.Create(ctx, nil); return err }, "admin: realm is nil"},
		{"realm create no name", func() error { _, err := c.Realms.Create(ctx, &admin.Realm{}); return err }, "admin: realm name is empty"},
		{"realm delete", func() error { return c.Realms.Delete(ctx, " ") }, "admin: realm is empty"},
		{"users list empty realm", func() error { _, err := empty.Users.List(ctx, nil); return err }, "admin: realm is empty"},
		{"user get", func() error { _, err := rc.Users.Get(ctx, ""); return err }, "admin: userID is empty"},
		{"user by username", func() error { _, err := rc.Users.GetByUsername(ctx, ""); return err }, "admin: username is empty"},
		{"user create nil", func() error { _, err := rc.Users.Create(ctx, nil); return err }, "admin: user is nil"},
		{"user update", func() error { return rc.Users.Update(ctx, "", &admin.User{}) }, "admin: userID is empty"},
		{"user delete", func() error { return rc.Users.Delete(ctx, "") }, "admin: userID is empty"},
		{"reset password", func() error { return rc.Users.ResetPassword(ctx, "u", "", false) }, "admin: password is empty"},
		{"join group", func() error { return rc.Users.JoinGroup(ctx, "u", "") }, "admin: groupID is empty"},
		{"delete credential", func() error { return rc.Users.DeleteCredential(ctx, "u", "") }, "admin: credentialID is empty"},
		{"role mappings user", func() error { _, err := rc.Users.RoleMappings("").Get(ctx); return err }, "admin: userID is empty"},
		{"role mappings add none", func() error { return rc.Users.RoleMappings("u").AddRealmRoles(ctx, nil) }, "admin: roles is empty"},
		{"role mappings add no id", func() error { return rc.Users.RoleMappings("u").AddRealmRoles(ctx, []admin.Role{{Name: "x"}}) }, "admin: role ID is empty"},
		{"role mappings client", func() error { return rc.Groups.RoleMappings("g").AddClientRoles(ctx, "", role) }, "admin: clientUUID is empty"},
		{"client get", func() error { _, err := rc.Clients.Get(ctx, ""); return err }, "admin: clientUUID is empty"},
		{"client create", func() error { _, err := rc.Clients.Create(ctx, &admin.ClientApp{}); return err }, "admin: clientID is empty"},
		{"client secret", func() error { _, err := rc.Clients.RegenerateSecret(ctx, ""); return err }, "admin: clientUUID is empty"},
		{"client roles", func() error { _, err := rc.Clients.Roles("").List(ctx, nil); return err }, "admin: clientUUID is empty"},
		{"client role get", func() error { _, err := rc.Clients.Roles("c").Get(ctx, ""); return err }, "admin: role name is empty"},
		{"default scope", func() error { return rc.Clients.AddDefaultClientScope(ctx, "c", "") }, "admin: clientScopeID is empty"},
		{"realm role create", func() error { _, err := rc.Roles.Create(ctx, &admin.Role{}); return err }, "admin: role name is empty"},
		{"realm role composites", func() error { return rc.Roles.AddComposites(ctx, "r", []admin.Role{{Name: "x"}}) }, "admin: role ID is empty"},
		{"role by id", func() error { _, err := rc.RolesByID.Get(ctx, ""); return err }, "admin: roleID is empty"},
		{"group get", func() error { _, err := rc.Groups.Get(ctx, ""); return err }, "admin: groupID is empty"},
		{"group by path", func() error { _, err := rc.Groups.GetByPath(ctx, "/"); return err }, "admin: path is empty"},
		{"group child", func() error { _, err := rc.Groups.CreateChild(ctx, "", &admin.Group{Name: "x"}); return err }, "admin: parentID is empty"},
		{"group create", func() error { _, err := rc.Groups.Create(ctx, &admin.Group{}); return err }, "admin: group name is empty"},
		{"scope get", func() error { _, err := rc.ClientScopes.Get(ctx, ""); return err }, "admin: scopeID is empty"},
		{"scope mapper", func() error {
			_, err := rc.ClientScopes.ProtocolMappers("s").Create(ctx, &admin.ProtocolMapper{Name: "m"})
			return err
		}, "admin: protocolMapper is empty"},
		{"scope mappings", func() error { _, err := rc.ClientScopes.ScopeMappings("").Get(ctx); return err }, "admin: scopeID is empty"},
		{"session", func() error { return rc.Sessions.Delete(ctx, "", nil) }, "admin: sessionID is empty"},
		{"logout all", func() error { _, err := empty.Sessions.LogoutAll(ctx); return err }, "admin: realm is empty"},
		{"keys", func() error { _, err := empty.Keys.Get(ctx); return err }, "admin: realm is empty"},
		{"disable credential types", func() error { return rc.Users.DisableCredentialTypes(ctx, "u", nil) }, "admin: types is empty"},
		{"move after", func() error { return rc.Users.MoveCredentialAfter(ctx, "u", "c", "") }, "admin: previousID is empty"},
		{"offline sessions", func() error { _, err := rc.Users.OfflineSessions(ctx, "u", ""); return err }, "admin: clientUUID is empty"},
		{"add models", func() error { return rc.Clients.ProtocolMappers("c").AddModels(ctx, nil) }, "admin: mappers is empty"},
		{"by protocol", func() error { _, err := rc.ClientScopes.ProtocolMappers("s").ListByProtocol(ctx, ""); return err }, "admin: protocol is empty"},
		{"realm default", func() error { return rc.ClientScopes.AddRealmDefault(ctx, "") }, "admin: scopeID is empty"},
		{"scope available", func() error { _, err := rc.Clients.ScopeMappings("c").AvailableClientRoles(ctx, ""); return err }, "admin: clientUUID is empty"},
		{"rotated secret", func() error { return rc.Clients.InvalidateRotatedSecret(ctx, "") }, "admin: clientUUID is empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := tt.call()
			if err == nil || err.Error() != tt.want {
				t.Errorf("error = %v, want %q", err, tt.want)
			}
		})
	}
	for _, err := range empty.Users.All(ctx, nil) {
		if err == nil || !strings.Contains(err.Error(), "realm is empty") {
			t.Errorf("All on empty realm: %v", err)
		}
	}
}

func TestNewRejects(t *testing.T) {
	t.Parallel()
	if _, err := admin.New("http://h", nil); err == nil || err.Error() != "admin: token source is nil" {
		t.Errorf("nil source: %v", err)
	}
	if _, err := admin.New("ftp://h", kc.StaticAccessToken("t")); err == nil || !strings.HasPrefix(err.Error(), "admin: ") {
		t.Errorf("bad URL: %v", err)
	}
	if _, err := admin.New("http://h", kc.StaticAccessToken("t"), kc.WithRetry(0, 0, 0)); err == nil {
		t.Error("bad option accepted")
	}
}

// record captures the requests a test server received.
type record struct {
	mu   sync.Mutex
	reqs []string
}

func (r *record) add(s string) { r.mu.Lock(); r.reqs = append(r.reqs, s); r.mu.Unlock() }
func (r *record) all() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.reqs...)
}

func TestWireShapes(t *testing.T) {
	t.Parallel()
	var rec record
	c := setupWire(t, func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		line := r.Method + " " + r.URL.EscapedPath()
		if r.URL.RawQuery != "" {
			line += "?" + r.URL.RawQuery
		}
		if len(body) > 0 {
			line += " " + string(body)
		}
		if got := r.Header.Get("Authorization"); got != "Bearer tok" {
			t.Errorf("%s: Authorization = %q", line, got)
		}
		rec.add(line)
		switch {
		case r.Method == "POST" && strings.HasSuffix(r.URL.Path, "/users"):
			w.Header().Set("Location", "http://"+r.Host+"/kc/admin/realms/r/users/new-id")
			w.WriteHeader(201)
		case strings.HasSuffix(r.URL.Path, "/users/count"):
			io.WriteString(w, "42")
		case strings.HasSuffix(r.URL.Path, "/groups/count"):
			io.WriteString(w, `{"count":7}`)
		case r.Method == "GET" && (strings.Contains(r.URL.Path, "/roles/") || strings.Contains(r.URL.Path, "group-by-path")):
			io.WriteString(w, "{}")
		case r.Method == "GET":
			io.WriteString(w, "[]")
		default:
			w.WriteHeader(204)
		}
	})
	ctx := t.Context()
	rc := c.Realm("r")
	id, err := rc.Users.Create(ctx, &admin.User{Username: "alice", Enabled: kc.Ptr(false), Email: kc.Ptr("")})
	if err != nil || id != "new-id" {
		t.Fatalf("Create = %q, %v", id, err)
	}
	if _, err := rc.Users.List(ctx, &admin.UserListOptions{
		Search: "a b", Username: "u", Email: "e", FirstName: "f", LastName: "l", Exact: kc.Ptr(true),
		Enabled: kc.Ptr(false), EmailVerified: kc.Ptr(true), IDPAlias: "gh", IDPUserID: "9",
		Attributes: map[string]string{"z": "1", "a": "2"}, BriefRepresentation: kc.Ptr(true), First: 5, Max: 10,
	}); err != nil {
		t.Fatal(err)
	}
	n, err := rc.Users.Count(ctx, &admin.UserListOptions{Email: "e", First: 5, Max: 1})
	if err != nil || n != 42 {
		t.Fatalf("Count = %d, %v", n, err)
	}
	gn, err := rc.Users.GroupCount(ctx, "u1", nil)
	if err != nil || gn != 7 {
		t.Fatalf("GroupCount = %d, %v", gn, err)
	}
	if err := rc.Users.RoleMappings("u1").RemoveRealmRoles(ctx, []admin.Role{{ID: "rid", Name: "rn"}}); err != nil {
		t.Fatal(err)
	}
	if err := rc.Users.ResetPassword(ctx, "u1", "pw", false); err != nil {
		t.Fatal(err)
	}
	if _, err := rc.Roles.Get(ctx, "a/b c?d"); err != nil {
		t.Fatal(err)
	}
	if _, err := rc.Groups.GetByPath(ctx, "/top/sub child"); err != nil {
		t.Fatal(err)
	}
	if err := rc.Users.ExecuteActionsEmail(ctx, "u1", []string{"UPDATE_PASSWORD"}, &admin.EmailOptions{ClientID: "app", Lifespan: 3600e9}); err != nil {
		t.Fatal(err)
	}
	if _, err := rc.Roles.List(ctx, &admin.RoleListOptions{Max: 3}); err != nil {
		t.Fatal(err)
	}
	want := []string{
		`POST /admin/realms/r/users {"username":"alice","email":"","enabled":false}`,
		`GET /admin/realms/r/users?briefRepresentation=true&email=e&emailVerified=true&enabled=false&exact=true&first=5&firstName=f&idpAlias=gh&idpUserId=9&lastName=l&max=10&q=a%3A2+z%3A1&search=a+b&username=u`,
		`GET /admin/realms/r/users/count?email=e`,
		`GET /admin/realms/r/users/u1/groups/count`,
		`DELETE /admin/realms/r/users/u1/role-mappings/realm [{"id":"rid","name":"rn"}]`,
		`PUT /admin/realms/r/users/u1/reset-password {"type":"password","value":"pw","temporary":false}`,
		`GET /admin/realms/r/roles/a%2Fb%20c%3Fd`,
		`GET /admin/realms/r/group-by-path/top/sub%20child`,
		`PUT /admin/realms/r/users/u1/execute-actions-email?client_id=app&lifespan=3600 ["UPDATE_PASSWORD"]`,
		`GET /admin/realms/r/roles?first=0&max=3`,
	}
	if diff := cmp.Diff(want, rec.all()); diff != "" {
		t.Errorf("requests (-want +got):\n%s", diff)
	}
}

func TestCreateWithoutLocation(t *testing.T) {
	t.Parallel()
	c := setupWire(t, func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(201) })
	_, err := c.Realm("r").Groups.Create(t.Context(), &admin.Group{Name: "g"})
	if err == nil || !strings.Contains(err.Error(), "no Location") {
		t.Errorf("err = %v", err)
	}
}

func TestErrorsAreAPIErrors(t *testing.T) {
	t.Parallel()
	c := setupWire(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(409)
		io.WriteString(w, `{"errorMessage":"User exists with same username"}`)
	})
	_, err := c.Realm("r").Users.Create(t.Context(), &admin.User{Username: "a"})
	apiErr, ok := errors.AsType[*kc.APIError](err)
	if !ok || !errors.Is(err, kc.ErrConflict) || apiErr.ErrorMessage != "User exists with same username" {
		t.Errorf("err = %#v", err)
	}
}

// invalidating is a token source that hands out "stale" first, then
// "fresh" after InvalidateToken.
type invalidating struct {
	mu          sync.Mutex
	invalidated int
}

func (s *invalidating) Token(context.Context) (*kc.Token, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.invalidated == 0 {
		return &kc.Token{AccessToken: "stale"}, nil
	}
	return &kc.Token{AccessToken: "fresh"}, nil
}

func (s *invalidating) InvalidateToken(*kc.Token) { s.mu.Lock(); s.invalidated++; s.mu.Unlock() }

func TestUnauthorizedRefreshesOnce(t *testing.T) {
	t.Parallel()
	var calls atomic.Int32
	var bodies record
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		b, _ := io.ReadAll(r.Body)
		bodies.add(r.Header.Get("Authorization") + " " + string(b))
		if r.Header.Get("Authorization") != "Bearer fresh" {
			w.WriteHeader(401)
			io.WriteString(w, `{"error":"HTTP 401 Unauthorized"}`)
			return
		}
		w.WriteHeader(204)
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	ts := &invalidating{}
	c, err := admin.New(srv.URL, ts)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Realm("r").Users.Update(t.Context(), "u", &admin.User{Enabled: kc.Ptr(false)}); err != nil {
		t.Fatal(err)
	}
	want := []string{`Bearer stale {"enabled":false}`, `Bearer fresh {"enabled":false}`}
	if diff := cmp.Diff(want, bodies.all()); diff != "" {
		t.Errorf("requests (-want +got):\n%s", diff)
	}
	// A source that keeps failing gets one retry, not a loop.
	calls.Store(0)
	c2, _ := admin.New(srv.URL, &alwaysStale{})
	err = c2.Realm("r").Users.Delete(t.Context(), "u")
	if !errors.Is(err, kc.ErrUnauthorized) || calls.Load() != 2 {
		t.Errorf("err = %v after %d calls, want 401 after 2", err, calls.Load())
	}
}

type alwaysStale struct{}

func (alwaysStale) Token(context.Context) (*kc.Token, error) {
	return &kc.Token{AccessToken: "stale"}, nil
}
func (alwaysStale) InvalidateToken(*kc.Token) {}

func TestIteratorPagesAndStops(t *testing.T) {
	t.Parallel()
	const total = 25
	var rec record
	c := setupWire(t, func(w http.ResponseWriter, r *http.Request) {
		rec.add(r.URL.RawQuery)
		first, max := atoi(r.URL.Query().Get("first")), atoi(r.URL.Query().Get("max"))
		var page []map[string]string
		for i := first; i < min(first+max, total); i++ {
			page = append(page, map[string]string{"id": itoa(i)})
		}
		if page == nil {
			page = []map[string]string{}
		}
		json.NewEncoder(w).Encode(page)
	})
	opts := &admin.UserListOptions{Search: "x", Max: 10}
	var ids []string
	for u, err := range c.Realm("r").Users.All(t.Context(), opts) {
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, u.ID)
	}
	if len(ids) != total || ids[24] != "24" {
		t.Errorf("got %d users: %v", len(ids), ids)
	}
	want := []string{"max=10&search=x", "first=10&max=10&search=x", "first=20&max=10&search=x"}
	if diff := cmp.Diff(want, rec.all()); diff != "" {
		t.Errorf("pages (-want +got):\n%s", diff)
	}
	if opts.First != 0 || opts.Max != 10 {
		t.Errorf("caller's options changed: %+v", opts)
	}
	// Breaking out early sends no more requests.
	before := len(rec.all())
	for range c.Realm("r").Users.All(t.Context(), nil) {
		break
	}
	if got := len(rec.all()) - before; got != 1 {
		t.Errorf("early break made %d requests, want 1", got)
	}
}

func TestIteratorYieldsError(t *testing.T) {
	t.Parallel()
	c := setupWire(t, func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(403)
		io.WriteString(w, `{"error":"HTTP 403 Forbidden"}`)
	})
	n := 0
	for _, err := range c.Realm("r").Groups.All(t.Context(), nil) {
		n++
		if !errors.Is(err, kc.ErrForbidden) {
			t.Errorf("err = %v", err)
		}
	}
	if n != 1 {
		t.Errorf("yielded %d times, want 1", n)
	}
}

func atoi(s string) int {
	n := 0
	for _, c := range s {
		n = n*10 + int(c-'0')
	}
	return n
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }
