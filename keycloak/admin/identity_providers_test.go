package admin_test

import (
	"errors"
	"slices"
	"testing"

	"github.com/kcgo/kc"
	"github.com/kcgo/kc/keycloak/admin"
	"github.com/kcgo/kc/keycloak/kctest"
)

func TestIdentityProviders(t *testing.T) {
	t.Parallel()
	e := setup(t)
	ctx := t.Context()
	idps := e.realm.IdentityProviders
	alias := must[string](t)(idps.Create(ctx, &admin.IdentityProvider{
		Alias: "corp", ProviderID: "oidc", DisplayName: kc.Ptr("Corp SSO"),
		Config: map[string]string{"clientId": "kc", "clientSecret": "top-secret", "authorizationUrl": "https://corp.example/auth"},
	}))
	if alias != "corp" {
		t.Errorf("Create = %q", alias)
	}
	if _, err := idps.Create(ctx, &admin.IdentityProvider{Alias: "corp", ProviderID: "oidc"}); !errors.Is(err, kc.ErrConflict) {
		t.Errorf("duplicate = %v", err)
	}
	if _, err := idps.Create(ctx, &admin.IdentityProvider{Alias: "x", ProviderID: "nope"}); !errors.Is(err, kc.ErrBadRequest) {
		t.Errorf("unknown provider = %v", err)
	}
	p := must[*admin.IdentityProvider](t)(idps.Get(ctx, "corp"))
	if p.Config["clientSecret"] != "**********" || !*p.Enabled || p.InternalID == "" || string(p.Extra["updateProfileFirstLoginMode"]) != `"on"` {
		t.Errorf("Get = %+v", p)
	}
	// Sending the masked secret back keeps the secret; Extra goes back too.
	p.TrustEmail = kc.Ptr(true)
	check(t, idps.Update(ctx, "corp", p))
	p2 := must[*admin.IdentityProvider](t)(idps.Get(ctx, "corp"))
	if !*p2.TrustEmail || p2.Config["authorizationUrl"] != "https://corp.example/auth" {
		t.Errorf("after update = %+v", p2)
	}
	must[string](t)(idps.Create(ctx, &admin.IdentityProvider{Alias: "gh", ProviderID: "github"}))
	var aliases []string
	for p, err := range idps.All(ctx, &admin.IdentityProviderListOptions{Max: 1}) {
		check(t, err)
		aliases = append(aliases, p.Alias)
	}
	if !slices.Equal(aliases, []string{"corp", "gh"}) {
		t.Errorf("All = %v", aliases)
	}
	ms := idps.Mappers("corp")
	mid := must[string](t)(ms.Create(ctx, &admin.IdentityProviderMapper{Name: "role", IdentityProviderMapper: "hardcoded-role-idp-mapper", Config: map[string]string{"role": "user"}}))
	m := must[*admin.IdentityProviderMapper](t)(ms.Get(ctx, mid))
	if m.IdentityProviderAlias != "corp" || m.Config["role"] != "user" {
		t.Errorf("mapper = %+v", m)
	}
	m.Config["role"] = "member"
	check(t, ms.Update(ctx, mid, m))
	if list := must[[]admin.IdentityProviderMapper](t)(ms.List(ctx)); len(list) != 1 || list[0].Config["role"] != "member" {
		t.Errorf("mappers = %+v", list)
	}
	check(t, ms.Delete(ctx, mid))
	uid := must[string](t)(e.srv.AddUser("acme", kctest.User{Username: "nia"}))
	check(t, e.realm.Users.AddFederatedIdentity(ctx, uid, "corp", &admin.FederatedIdentity{UserID: "n1", UserName: "nia"}))
	check(t, idps.Delete(ctx, "corp"))
	if _, err := idps.Get(ctx, "corp"); !errors.Is(err, kc.ErrNotFound) {
		t.Errorf("after delete = %v", err)
	}
	if fis := must[[]admin.FederatedIdentity](t)(e.realm.Users.FederatedIdentities(ctx, uid)); len(fis) != 0 {
		t.Errorf("links survived the provider: %v", fis)
	}
}

func TestDefaultGroupsAndAttackDetection(t *testing.T) {
	t.Parallel()
	e := setup(t)
	ctx := t.Context()
	gid := must[string](t)(e.realm.Groups.Create(ctx, &admin.Group{Name: "everyone"}))
	check(t, e.realm.Groups.AddDefault(ctx, gid))
	if d := must[[]admin.Group](t)(e.realm.Groups.Defaults(ctx)); len(d) != 1 || d[0].Path != "/everyone" {
		t.Errorf("Defaults = %+v", d)
	}
	uid := must[string](t)(e.realm.Users.Create(ctx, &admin.User{Username: "newbie"}))
	if gs := must[[]admin.Group](t)(e.realm.Users.Groups(ctx, uid, nil)); len(gs) != 1 || gs[0].ID != gid {
		t.Errorf("new user's groups = %+v", gs)
	}
	check(t, e.realm.Groups.RemoveDefault(ctx, gid))
	if d := must[[]admin.Group](t)(e.realm.Groups.Defaults(ctx)); len(d) != 0 {
		t.Errorf("Defaults after remove = %+v", d)
	}
	st := must[*admin.BruteForceStatus](t)(e.realm.AttackDetection.UserStatus(ctx, uid))
	if st.Disabled || st.NumFailures != 0 {
		t.Errorf("UserStatus = %+v", st)
	}
	check(t, e.realm.AttackDetection.ClearUser(ctx, uid))
	check(t, e.realm.AttackDetection.ClearAll(ctx))
	// Keycloak: AttackDetectionResource.bruteForceUserStatus answers the
	// zero status for a user it does not know.
	if st, err := e.realm.AttackDetection.UserStatus(ctx, "nope"); err != nil || st.NumFailures != 0 || st.Disabled {
		t.Errorf("unknown user = %+v, %v", st, err)
	}
}
