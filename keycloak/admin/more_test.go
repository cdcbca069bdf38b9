package admin_test

import (
	"errors"
	"net/url"
	"slices"
	"testing"

	"github.com/kcgo/kc"
	"github.com/kcgo/kc/keycloak/admin"
	"github.com/kcgo/kc/keycloak/kctest"
)

func TestRealmDefaultClientScopes(t *testing.T) {
	t.Parallel()
	e := setup(t)
	ctx := t.Context()
	scs := e.realm.ClientScopes
	id := must[string](t)(scs.Create(ctx, &admin.ClientScope{Name: "extra"}))
	names := func(l []admin.ClientScope) []string {
		var out []string
		for _, s := range l {
			out = append(out, s.Name)
		}
		return out
	}
	check(t, scs.AddRealmDefault(ctx, id))
	if got := names(must[[]admin.ClientScope](t)(scs.RealmDefaults(ctx))); !slices.Contains(got, "extra") || !slices.Contains(got, "profile") {
		t.Errorf("RealmDefaults = %v", got)
	}
	// A new client gets the realm defaults.
	cid := must[string](t)(e.realm.Clients.Create(ctx, &admin.ClientApp{ClientID: "fresh"}))
	if got := names(must[[]admin.ClientScope](t)(e.realm.Clients.DefaultClientScopes(ctx, cid))); !slices.Contains(got, "extra") {
		t.Errorf("new client's default scopes = %v", got)
	}
	check(t, scs.AddRealmOptional(ctx, id)) // moves it
	if got := names(must[[]admin.ClientScope](t)(scs.RealmDefaults(ctx))); slices.Contains(got, "extra") {
		t.Errorf("still a default: %v", got)
	}
	if got := names(must[[]admin.ClientScope](t)(scs.RealmOptionals(ctx))); !slices.Contains(got, "extra") {
		t.Errorf("RealmOptionals = %v", got)
	}
	check(t, scs.RemoveRealmOptional(ctx, id))
	check(t, scs.RemoveRealmDefault(ctx, id))
	if err := scs.AddRealmDefault(ctx, "nope"); !errors.Is(err, kc.ErrNotFound) {
		t.Errorf("unknown scope = %v", err)
	}
}

func TestKeysAndLogoutAll(t *testing.T) {
	t.Parallel()
	e := setup(t)
	ctx := t.Context()
	keys := must[*admin.KeysMetadata](t)(e.realm.Keys.Get(ctx))
	kid := keys.Active["RS256"]
	if kid == "" || !slices.ContainsFunc(keys.Keys, func(k admin.KeyMetadata) bool { return k.KID == kid && k.PublicKey != "" && k.Status == "ACTIVE" }) {
		t.Errorf("keys = %+v", keys)
	}
	must[string](t)(e.srv.AddClient("acme", kctest.Client{ClientID: "app", Public: true, DirectAccessGrants: true}))
	uid := must[string](t)(e.srv.AddUser("acme", kctest.User{Username: "lou", Password: "pw"}))
	tokenURL := e.srv.URL + "/realms/acme/protocol/openid-connect/token"
	must[string](t)(login(ctx, tokenURL, url.Values{"grant_type": {"password"}, "client_id": {"app"}, "username": {"lou"}, "password": {"pw"}}))
	if n := len(must[[]admin.UserSession](t)(e.realm.Users.Sessions(ctx, uid))); n != 1 {
		t.Fatalf("%d sessions", n)
	}
	stats := must[[]admin.ClientSessionStats](t)(e.realm.Sessions.ClientStats(ctx))
	if len(stats) != 1 || stats[0].ClientID != "app" || stats[0].Active != "1" || stats[0].Offline != "0" {
		t.Errorf("ClientStats = %+v", stats)
	}
	must[*admin.LogoutResult](t)(e.realm.Sessions.LogoutAll(ctx))
	if n := len(must[[]admin.UserSession](t)(e.realm.Users.Sessions(ctx, uid))); n != 0 {
		t.Errorf("%d sessions after logout-all", n)
	}
}

func TestUserAndClientExtras(t *testing.T) {
	t.Parallel()
	e := setup(t)
	ctx := t.Context()
	r := e.realm
	cid := must[string](t)(r.Clients.Create(ctx, &admin.ClientApp{ClientID: "svc", Protocol: "openid-connect", PublicClient: kc.Ptr(false)}))
	uid := must[string](t)(e.srv.AddUser("acme", kctest.User{Username: "max", Password: "pw", Email: "max@example.com"}))
	if got := must[[]admin.UserSession](t)(r.Users.OfflineSessions(ctx, uid, cid)); len(got) != 0 {
		t.Errorf("OfflineSessions = %v", got)
	}
	if got := must[[]admin.UserSession](t)(r.Clients.OfflineSessions(ctx, cid, nil)); len(got) != 0 {
		t.Errorf("client OfflineSessions = %v", got)
	}
	configureSMTP(t, e)
	check(t, r.Users.ResetPasswordEmail(ctx, uid, &admin.EmailOptions{ClientID: "svc"}))
	if got := must[[]string](t)(r.Users.ConfiguredUserStorageCredentialTypes(ctx, uid)); len(got) != 0 {
		t.Errorf("storage types = %v", got)
	}
	creds := must[[]admin.Credential](t)(r.Users.Credentials(ctx, uid))
	check(t, r.Users.MoveCredentialToFirst(ctx, uid, creds[0].ID))
	if err := r.Users.MoveCredentialAfter(ctx, uid, creds[0].ID, "nope"); !errors.Is(err, kc.ErrNotFound) {
		t.Errorf("MoveCredentialAfter(unknown) = %v", err)
	}
	check(t, r.Users.DisableCredentialTypes(ctx, uid, []string{"password"}))
	if got := must[[]admin.Credential](t)(r.Users.Credentials(ctx, uid)); len(got) != 0 {
		t.Errorf("credentials after disabling passwords = %v", got)
	}
	if _, err := r.Clients.RotatedSecret(ctx, cid); !errors.Is(err, kc.ErrNotFound) {
		t.Errorf("RotatedSecret = %v", err)
	}
	check(t, r.Clients.InvalidateRotatedSecret(ctx, cid))

	pm := r.Clients.ProtocolMappers(cid)
	check(t, pm.AddModels(ctx, []admin.ProtocolMapper{
		{Name: "a", Protocol: "openid-connect", ProtocolMapper: "oidc-hardcoded-claim-mapper"},
		{Name: "b", Protocol: "saml", ProtocolMapper: "saml-hardcode-attribute-mapper"},
	}))
	if got := must[[]admin.ProtocolMapper](t)(pm.ListByProtocol(ctx, "saml")); len(got) != 1 || got[0].Name != "b" {
		t.Errorf("ListByProtocol = %+v", got)
	}

	// Scope mappings: available and effective.
	must[string](t)(r.Roles.Create(ctx, &admin.Role{Name: "top"}))
	must[string](t)(r.Roles.Create(ctx, &admin.Role{Name: "sub"}))
	top := must[*admin.Role](t)(r.Roles.Get(ctx, "top"))
	sub := must[*admin.Role](t)(r.Roles.Get(ctx, "sub"))
	check(t, r.RolesByID.AddComposites(ctx, top.ID, []admin.Role{*sub}))
	if got := roleNames(must[[]admin.Role](t)(r.RolesByID.RealmComposites(ctx, top.ID))); !slices.Equal(got, []string{"sub"}) {
		t.Errorf("RolesByID.RealmComposites = %v", got)
	}
	if got := must[[]admin.Role](t)(r.RolesByID.ClientComposites(ctx, top.ID, cid)); len(got) != 0 {
		t.Errorf("RolesByID.ClientComposites = %v", got)
	}
	sm := r.Clients.ScopeMappings(cid)
	check(t, sm.AddRealmRoles(ctx, []admin.Role{*top}))
	if got := roleNames(must[[]admin.Role](t)(sm.EffectiveRealmRoles(ctx))); !slices.Equal(got, []string{"sub", "top"}) {
		t.Errorf("EffectiveRealmRoles = %v", got)
	}
	if got := roleNames(must[[]admin.Role](t)(sm.AvailableRealmRoles(ctx))); slices.Contains(got, "sub") || !slices.Contains(got, "offline_access") {
		t.Errorf("AvailableRealmRoles = %v", got)
	}
	must[string](t)(r.Clients.Roles(cid).Create(ctx, &admin.Role{Name: "c1"}))
	if got := roleNames(must[[]admin.Role](t)(sm.AvailableClientRoles(ctx, cid))); !slices.Equal(got, []string{"c1"}) {
		t.Errorf("AvailableClientRoles = %v", got)
	}
	if got := must[[]admin.Role](t)(sm.EffectiveClientRoles(ctx, cid)); len(got) != 0 {
		t.Errorf("EffectiveClientRoles = %v", got)
	}
}
