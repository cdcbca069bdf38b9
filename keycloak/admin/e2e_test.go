package admin_test

import (
	"context"
	"errors"
	"net/url"
	"slices"
	"testing"
	"time"

	"github.com/kcgo/kc"
	"github.com/kcgo/kc/keycloak/admin"
	"github.com/kcgo/kc/keycloak/kctest"
)

// TestEndToEnd creates a user with the admin API, gives it a password, a
// realm role (composite), a client role and a group with a role, logs in
// as that user and finds all of it in the token.
func TestEndToEnd(t *testing.T) {
	t.Parallel()
	e := setup(t)
	ctx := t.Context()
	r := e.realm
	appID := must[string](t)(r.Clients.Create(ctx, &admin.ClientApp{
		ClientID: "shop-web", Protocol: "openid-connect", PublicClient: kc.Ptr(true), DirectAccessGrantsEnabled: kc.Ptr(true),
	}))
	apiID := must[string](t)(r.Clients.Create(ctx, &admin.ClientApp{ClientID: "shop-api"}))
	must[string](t)(r.Clients.Roles(apiID).Create(ctx, &admin.Role{Name: "orders:write"}))
	must[string](t)(r.Roles.Create(ctx, &admin.Role{Name: "customer"}))
	must[string](t)(r.Roles.Create(ctx, &admin.Role{Name: "vip"}))
	must[string](t)(r.Roles.Create(ctx, &admin.Role{Name: "staff"}))
	vip := must[*admin.Role](t)(r.Roles.Get(ctx, "vip"))
	customer := must[*admin.Role](t)(r.Roles.Get(ctx, "customer"))
	staff := must[*admin.Role](t)(r.Roles.Get(ctx, "staff"))
	check(t, r.Roles.AddComposites(ctx, "vip", []admin.Role{*customer}))
	write := must[*admin.Role](t)(r.Clients.Roles(apiID).Get(ctx, "orders:write"))
	gid := must[string](t)(r.Groups.Create(ctx, &admin.Group{Name: "employees"}))
	check(t, r.Groups.RoleMappings(gid).AddRealmRoles(ctx, []admin.Role{*staff}))

	uid := must[string](t)(r.Users.Create(ctx, &admin.User{Username: "kim", Enabled: kc.Ptr(true), Email: kc.Ptr("kim@example.com"), EmailVerified: kc.Ptr(true)}))
	check(t, r.Users.ResetPassword(ctx, uid, "Passw0rd!", false))
	check(t, r.Users.RoleMappings(uid).AddRealmRoles(ctx, []admin.Role{*vip}))
	check(t, r.Users.RoleMappings(uid).AddClientRoles(ctx, apiID, []admin.Role{*write}))
	check(t, r.Users.JoinGroup(ctx, uid, gid))
	_ = appID

	tokenURL := e.srv.URL + "/realms/acme/protocol/openid-connect/token"
	form := url.Values{"grant_type": {"password"}, "client_id": {"shop-web"}, "username": {"kim"}, "password": {"Passw0rd!"}}
	tok := must[string](t)(login(ctx, tokenURL, form))
	cl := claimsOf(t, tok)
	realmRoles := toStrings(cl["realm_access"].(map[string]any)["roles"])
	for _, want := range []string{"vip", "customer", "staff", "default-roles-acme"} {
		if !slices.Contains(realmRoles, want) {
			t.Errorf("realm_access.roles = %v, missing %s", realmRoles, want)
		}
	}
	ra, _ := cl["resource_access"].(map[string]any)
	api, _ := ra["shop-api"].(map[string]any)
	if got := toStrings(api["roles"]); !slices.Equal(got, []string{"orders:write"}) {
		t.Errorf("resource_access.shop-api.roles = %v", got)
	}
	if cl["preferred_username"] != "kim" || cl["sub"] != uid {
		t.Errorf("claims: preferred_username=%v sub=%v", cl["preferred_username"], cl["sub"])
	}

	// Removing the group takes its role out of the next token.
	check(t, r.Users.LeaveGroup(ctx, uid, gid))
	cl = claimsOf(t, must[string](t)(login(ctx, tokenURL, form)))
	if slices.Contains(toStrings(cl["realm_access"].(map[string]any)["roles"]), "staff") {
		t.Error("staff role still in the token after leaving the group")
	}
	// Deleting the user ends their sessions and logins.
	check(t, r.Users.Delete(ctx, uid))
	if _, err := login(ctx, tokenURL, form); err == nil {
		t.Error("deleted user can log in")
	}
}

func toStrings(v any) []string {
	var out []string
	if l, ok := v.([]any); ok {
		for _, x := range l {
			if s, ok := x.(string); ok {
				out = append(out, s)
			}
		}
	}
	slices.Sort(out)
	return out
}

// TestExpiredTokenRefreshedOnce: the admin token expires (fake clock); the
// 401 makes the source drop it and the request succeeds with a new one.
func TestExpiredTokenRefreshedOnce(t *testing.T) {
	t.Parallel()
	clock := kctest.NewFakeClock(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC))
	e := setup(t, kctest.WithClock(clock.Now))
	ctx := t.Context()
	must[[]admin.User](t)(e.realm.Users.List(ctx, nil))
	clock.Advance(2 * time.Minute) // master tokens live 60 s
	must[[]admin.User](t)(e.realm.Users.List(ctx, nil))
	e.ts.mu.Lock()
	fetches, invalids := e.ts.fetches, e.ts.invalids
	e.ts.mu.Unlock()
	if fetches != 2 || invalids != 1 {
		t.Errorf("fetches=%d invalidations=%d, want 2 and 1", fetches, invalids)
	}
}

func TestForbiddenAndUnauthorized(t *testing.T) {
	t.Parallel()
	e := setup(t)
	ctx := t.Context()
	must[string](t)(e.srv.AddClient("acme", kctest.Client{ClientID: "cli", Public: true, DirectAccessGrants: true}))
	must[string](t)(e.srv.AddUser("acme", kctest.User{Username: "viewer", Password: "pw", ClientRoles: map[string][]string{"realm-management": {"view-users"}}}))
	c := must[*admin.Client](t)(admin.New(e.srv.URL, newPasswordSource(e.srv.URL, "acme", "cli", "viewer", "pw")))
	users := c.Realm("acme").Users
	must[[]admin.User](t)(users.List(ctx, nil))
	if _, err := users.Create(ctx, &admin.User{Username: "nope"}); !errors.Is(err, kc.ErrForbidden) {
		t.Errorf("Create with view-users = %v, want 403", err)
	}
	if _, err := c.Realm("master").Users.List(ctx, nil); !errors.Is(err, kc.ErrForbidden) {
		t.Errorf("other realm = %v, want 403", err)
	}
	bad := must[*admin.Client](t)(admin.New(e.srv.URL, kc.StaticAccessToken("not-a-token")))
	_, err := bad.Realm("acme").Users.List(ctx, nil)
	apiErr, ok := errors.AsType[*kc.APIError](err)
	if !ok || !errors.Is(err, kc.ErrUnauthorized) || apiErr.ErrorCode != "HTTP 401 Unauthorized" {
		t.Errorf("bad token = %v", err)
	}
}

// TestCancellation: a call returns as soon as its context ends, even while
// the server is slow.
func TestCancellation(t *testing.T) {
	t.Parallel()
	e := setup(t)
	must[[]admin.User](t)(e.realm.Users.List(t.Context(), nil)) // log in first
	e.srv.InjectFault(kctest.Fault{Path: "/admin/realms/acme/users", Latency: time.Minute})
	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := e.realm.Users.List(ctx, nil)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v, want deadline exceeded", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("returned after %v", d)
	}
	e.srv.ClearFaults()
	// The canceled request leaves nothing behind: the connection is closed
	// and the next call works.
	must[[]admin.User](t)(e.realm.Users.List(t.Context(), nil))
}

// clientCredentials is a token source for a service account.
type clientCredentials struct {
	tokenURL, id, secret string
}

func (c clientCredentials) Token(ctx context.Context) (*kc.Token, error) {
	at, err := login(ctx, c.tokenURL, url.Values{"grant_type": {"client_credentials"}, "client_id": {c.id}, "client_secret": {c.secret}})
	if err != nil {
		return nil, err
	}
	return &kc.Token{AccessToken: at, TokenType: "Bearer"}, nil
}

// TestServiceAccountWithRealmManagementRoles: a service account given
// realm-management's manage-users through the admin API can manage users,
// and only that.
func TestServiceAccountWithRealmManagementRoles(t *testing.T) {
	t.Parallel()
	e := setup(t)
	ctx := t.Context()
	r := e.realm
	robot := must[string](t)(r.Clients.Create(ctx, &admin.ClientApp{
		ClientID: "robot", Protocol: "openid-connect", PublicClient: kc.Ptr(false), ServiceAccountsEnabled: kc.Ptr(true),
	}))
	secret := must[*admin.ClientSecret](t)(r.Clients.Secret(ctx, robot))
	sa := must[*admin.User](t)(r.Clients.ServiceAccountUser(ctx, robot))
	mgmt := must[*admin.ClientApp](t)(r.Clients.GetByClientID(ctx, "realm-management"))
	manageUsers := must[*admin.Role](t)(r.Clients.Roles(mgmt.ID).Get(ctx, "manage-users"))
	check(t, r.Users.RoleMappings(sa.ID).AddClientRoles(ctx, mgmt.ID, []admin.Role{*manageUsers}))

	c := must[*admin.Client](t)(admin.New(e.srv.URL, clientCredentials{
		tokenURL: e.srv.URL + "/realms/acme/protocol/openid-connect/token", id: "robot", secret: secret.Value,
	}))
	acme := c.Realm("acme")
	must[string](t)(acme.Users.Create(ctx, &admin.User{Username: "made-by-robot"}))
	if _, err := acme.Clients.List(ctx, nil); !errors.Is(err, kc.ErrForbidden) {
		t.Errorf("clients with manage-users only = %v, want 403", err)
	}
	if _, err := c.Realms.Create(ctx, &admin.Realm{Realm: "nope"}); !errors.Is(err, kc.ErrForbidden) {
		t.Errorf("realm creation = %v, want 403", err)
	}
}
