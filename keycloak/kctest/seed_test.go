package kctest_test

import (
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/kcgo/kc/keycloak/kctest"
)

// roleNames returns a token's realm roles and the roles of one client.
func roleNames(claims map[string]any, clientID string) (realm, client []string) {
	if ra, ok := claims["realm_access"].(map[string]any); ok {
		for _, r := range ra["roles"].([]any) {
			realm = append(realm, r.(string))
		}
	}
	if ra, ok := claims["resource_access"].(map[string]any); ok {
		if c, ok := ra[clientID].(map[string]any); ok {
			for _, r := range c["roles"].([]any) {
				client = append(client, r.(string))
			}
		}
	}
	return realm, client
}

func TestSeeding(t *testing.T) {
	t.Parallel()
	clock := kctest.NewFakeClock(epoch)
	s := kctest.Start(t, kctest.WithClock(clock.Now))
	must := func(_ string, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(s.AddRealm(kctest.Realm{Name: "seed", AccessTokenLifespan: time.Minute, SSOSessionIdleTimeout: 10 * time.Minute}))
	must(s.AddClient("seed", kctest.Client{ClientID: "api"}))
	must(s.AddClientRole("seed", "api", kctest.Role{Name: "read"}))
	must(s.AddClientRole("seed", "api", kctest.Role{Name: "all", Composites: []string{"api/read"}}))
	must(s.AddRealmRole("seed", kctest.Role{Name: "staff", Composites: []string{"offline_access"}}))
	must(s.AddRealmRole("seed", kctest.Role{Name: "lead", Composites: []string{"staff", "api/all"}}))
	must(s.AddGroup("seed", kctest.Group{Name: "org", RealmRoles: []string{"staff"}}))
	must(s.AddGroup("seed", kctest.Group{Name: "team", Parent: "/org", ClientRoles: map[string][]string{"api": {"read"}}}))
	must(s.AddUser("seed", kctest.User{Username: "Member", Password: "pw", Groups: []string{"/org/team"}, FirstName: "M", Email: "m@example.com"}))
	must(s.AddUser("seed", kctest.User{Username: "boss", Password: "pw", RealmRoles: []string{"lead"}}))

	secret, err := s.ClientSecret("seed", "api")
	if err != nil || len(secret) != 32 {
		t.Fatalf("generated secret %q, %v", secret, err)
	}
	login := func(user string) map[string]any {
		tok := token(t, s, "seed", url.Values{"grant_type": {"password"}, "username": {user}, "password": {"pw"}},
			"Authorization", basic("api", secret))
		if tok["expires_in"] != 60.0 || tok["refresh_expires_in"] != 600.0 {
			t.Errorf("lifetimes: %v %v", tok["expires_in"], tok["refresh_expires_in"])
		}
		return verify(t, s, "seed", tok["access_token"].(string))
	}
	tests := []struct {
		user               string
		wantRealm, wantAPI []string
	}{
		// Group roles are inherited from the parent group too.
		{"member", []string{"default-roles-seed", "offline_access", "staff", "uma_authorization"}, []string{"read"}},
		// Composites expand through realm and client roles.
		{"boss", []string{"default-roles-seed", "lead", "offline_access", "staff", "uma_authorization"}, []string{"all", "read"}},
	}
	for _, tt := range tests {
		realm, api := roleNames(login(tt.user), "api")
		if diff := cmp.Diff(tt.wantRealm, realm); diff != "" {
			t.Errorf("%s realm roles (-want +got):\n%s", tt.user, diff)
		}
		if diff := cmp.Diff(tt.wantAPI, api); diff != "" {
			t.Errorf("%s api roles (-want +got):\n%s", tt.user, diff)
		}
	}

	errs := []struct {
		name string
		err  error
	}{
		{"duplicate realm", second(s.AddRealm(kctest.Realm{Name: "seed"}))},
		{"empty realm", second(s.AddRealm(kctest.Realm{}))},
		{"unknown realm", second(s.AddUser("nope", kctest.User{Username: "x"}))},
		{"duplicate user", second(s.AddUser("seed", kctest.User{Username: "MEMBER"}))},
		{"no username", second(s.AddUser("seed", kctest.User{}))},
		{"unknown group", second(s.AddUser("seed", kctest.User{Username: "g", Groups: []string{"/nope"}}))},
		{"unknown client role owner", second(s.AddUser("seed", kctest.User{Username: "c", ClientRoles: map[string][]string{"nope": {"r"}}}))},
		{"duplicate client", second(s.AddClient("seed", kctest.Client{ClientID: "api"}))},
		{"unknown composite", second(s.AddRealmRole("seed", kctest.Role{Name: "x", Composites: []string{"api/nope"}}))},
		{"duplicate sibling group", second(s.AddGroup("seed", kctest.Group{Name: "team", Parent: "/org"}))},
		{"unknown parent", second(s.AddGroup("seed", kctest.Group{Name: "x", Parent: "/nope"}))},
		{"client role of unknown client", second(s.AddClientRole("seed", "nope", kctest.Role{Name: "x"}))},
	}
	for _, e := range errs {
		if e.err == nil || !strings.HasPrefix(e.err.Error(), "kctest: ") {
			t.Errorf("%s: err = %v", e.name, e.err)
		}
	}

	// Disabling a user ends its tokens.
	tok := token(t, s, "seed", url.Values{"grant_type": {"password"}, "username": {"member"}, "password": {"pw"}}, "Authorization", basic("api", secret))
	if err := s.SetUserEnabled("seed", "member", false); err != nil {
		t.Fatal(err)
	}
	r := postForm(t, s.URL+"/realms/seed/protocol/openid-connect/token/introspect", url.Values{"token": {tok["access_token"].(string)}}, "Authorization", basic("api", secret))
	if r.json()["active"] != false {
		t.Errorf("disabled user's token: %s", r.body)
	}

	// The master realm got seed-realm roles, included in the admin role.
	if _, err := s.AddClient("master", kctest.Client{ClientID: "full", Secret: "s"}); err != nil {
		t.Fatal(err)
	}
	admin := token(t, s, "master", url.Values{"grant_type": {"password"}, "username": {"admin"}, "password": {"admin"}}, "Authorization", basic("full", "s"))
	_, seedRealm := roleNames(decodeClaims(t, admin["access_token"].(string)), "seed-realm")
	if !slices.Contains(seedRealm, "manage-users") || len(seedRealm) != 18 {
		t.Errorf("seed-realm roles = %v", seedRealm)
	}
}

func second(_ string, err error) error { return err }

func TestOfflineToken(t *testing.T) {
	t.Parallel()
	s, clock := startDemo(t)
	tok := passwordToken(t, s, "alice", "alice", "offline_access")
	rt := decodeClaims(t, tok["refresh_token"].(string))
	if rt["typ"] != "Offline" || tok["refresh_expires_in"] != 0.0 || !strings.Contains(tok["scope"].(string), "offline_access") {
		t.Fatalf("offline token: %v / %v", tok, rt)
	}
	// It outlives the SSO idle timeout.
	clock.Advance(2 * time.Hour)
	r := postForm(t, oidcURL(s, "demo", "token"), url.Values{"grant_type": {"refresh_token"}, "client_id": {"demo-app"}, "refresh_token": {tok["refresh_token"].(string)}})
	if r.status != 200 {
		t.Errorf("refresh after 2h: %d %s", r.status, r.body)
	}
}

func TestSessionExpiry(t *testing.T) {
	t.Parallel()
	s, clock := startDemo(t)
	tok := passwordToken(t, s, "alice", "alice", "openid")
	at := tok["access_token"].(string)
	clock.Advance(4 * time.Minute)
	if j := introspect(t, s, at).json(); j["active"] != true {
		t.Fatalf("not active after 4 minutes: %v", j)
	}
	clock.Advance(2 * time.Minute)
	if j := introspect(t, s, at).json(); j["active"] != false {
		t.Errorf("active after 6 minutes: %v", j)
	}
	// The refresh token lives as long as the session is not idle.
	r := postForm(t, oidcURL(s, "demo", "token"), url.Values{"grant_type": {"refresh_token"}, "client_id": {"demo-app"}, "refresh_token": {tok["refresh_token"].(string)}})
	if r.status != 200 {
		t.Fatalf("refresh: %d %s", r.status, r.body)
	}
	// 10 hours is the session's maximum, however often it is refreshed.
	rtok := r.str("refresh_token")
	for range 25 {
		clock.Advance(29 * time.Minute)
		r = postForm(t, oidcURL(s, "demo", "token"), url.Values{"grant_type": {"refresh_token"}, "client_id": {"demo-app"}, "refresh_token": {rtok}})
		if r.status != 200 {
			break
		}
		rtok = r.str("refresh_token")
	}
	if r.status != 400 {
		t.Errorf("session outlived its maximum lifespan")
	}
}

func TestDisabledRealmAndClock(t *testing.T) {
	t.Parallel()
	clock := kctest.NewFakeClock(epoch)
	s := kctest.Start(t, kctest.WithClock(clock.Now))
	if _, err := s.AddRealm(kctest.Realm{Name: "off", Enabled: new(false)}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddClient("off", kctest.Client{ClientID: "c", Secret: "s"}); err != nil {
		t.Fatal(err)
	}
	r := postForm(t, oidcURL(s, "off", "token"), url.Values{"grant_type": {"client_credentials"}, "client_id": {"c"}, "client_secret": {"s"}})
	if diff := cmp.Diff(errorBody{"access_denied", "Realm not enabled"}, oauthErr(r)); diff != "" || r.status != 403 {
		t.Errorf("status %d (-want +got):\n%s", r.status, diff)
	}
	later := epoch.Add(48 * time.Hour)
	clock.Set(later)
	if !clock.Now().Equal(later) {
		t.Errorf("Set: Now() = %v", clock.Now())
	}
	if r := do(t, "GET", s.URL+"/nowhere", nil); r.status != 404 || r.str("error") != "HTTP 404 Not Found" {
		t.Errorf("unknown path: %d %s", r.status, r.body)
	}
}

// A client's service account gets its roles in AddClient: with
// realm-management's view-users it may list users through the Admin REST
// API (Keycloak: UsersResource.getUsers checks
// UserPermissionEvaluator.requireQuery, which view-users satisfies).
func TestServiceAccountRoles(t *testing.T) {
	t.Parallel()
	s := kctest.Start(t)
	must := func(_ string, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(s.AddRealm(kctest.Realm{Name: "shop"}))
	must(s.AddClient("shop", kctest.Client{ClientID: "reports", Secret: "s3cret",
		ServiceAccountRealmRoles:  []string{"auditor"},
		ServiceAccountClientRoles: map[string][]string{"realm-management": {"view-users"}, "reports": {"export"}},
	}))
	must(s.AddClient("shop", kctest.Client{ClientID: "plain", Secret: "s3cret"}))

	users := func(id string) int {
		tok := token(t, s, "shop", url.Values{"grant_type": {"client_credentials"}}, "Authorization", basic(id, "s3cret"))
		return do(t, "GET", s.URL+"/admin/realms/shop/users", nil, "Authorization", "Bearer "+tok["access_token"].(string)).status
	}
	if got := users("reports"); got != 200 {
		t.Errorf("reports (view-users) lists users: %d, want 200", got)
	}
	if got := users("plain"); got != 403 {
		t.Errorf("plain (no role) lists users: %d, want 403", got)
	}
	tok := token(t, s, "shop", url.Values{"grant_type": {"client_credentials"}}, "Authorization", basic("reports", "s3cret"))
	claims := decodeClaims(t, tok["access_token"].(string))
	realmRoles, own := roleNames(claims, "reports")
	_, mgmt := roleNames(claims, "realm-management") // view-users and its composites query-users, query-groups
	if !slices.Contains(realmRoles, "auditor") || !slices.Equal(own, []string{"export"}) || !slices.Contains(mgmt, "view-users") {
		t.Errorf("token roles: realm %v, reports %v, realm-management %v", realmRoles, own, mgmt)
	}

	for _, tc := range []struct {
		c    kctest.Client
		want string
	}{
		{kctest.Client{ClientID: "web", Public: true, ServiceAccountRealmRoles: []string{"a"}},
			`kctest: client "web": ServiceAccountRealmRoles and ServiceAccountClientRoles need a service account (a confidential client with ServiceAccounts)`},
		{kctest.Client{ClientID: "x", ServiceAccountClientRoles: map[string][]string{"nope": {"a"}}},
			`kctest: client "x": ServiceAccountClientRoles: client "nope" not found in realm "shop"`},
	} {
		if _, err := s.AddClient("shop", tc.c); err == nil || err.Error() != tc.want {
			t.Errorf("AddClient(%s) error = %v, want %q", tc.c.ClientID, err, tc.want)
		}
	}
	// Nothing of a refused client stays behind.
	if _, err := s.ClientSecret("shop", "x"); err == nil {
		t.Error("the refused client x exists")
	}
}
