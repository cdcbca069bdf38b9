package admin_test

import (
	"errors"
	"net/url"
	"slices"
	"testing"

	"github.com/kcgo/kc"
	"github.com/kcgo/kc/keycloak/admin"
)

func TestClients(t *testing.T) {
	t.Parallel()
	e := setup(t)
	ctx := t.Context()
	cs := e.realm.Clients
	id := must[string](t)(cs.Create(ctx, &admin.ClientApp{
		ClientID: "orders", Protocol: "openid-connect", PublicClient: kc.Ptr(false), ServiceAccountsEnabled: kc.Ptr(true),
		RedirectURIs: []string{"https://orders.example/*"}, Attributes: map[string]string{"team": "shop"},
		Description: kc.Ptr("Orders"),
	}))
	if _, err := cs.Create(ctx, &admin.ClientApp{ClientID: "orders"}); !errors.Is(err, kc.ErrConflict) {
		t.Errorf("duplicate = %v", err)
	}
	got := must[*admin.ClientApp](t)(cs.Get(ctx, id))
	if got.ClientID != "orders" || *got.PublicClient || !*got.ServiceAccountsEnabled || got.Attributes["team"] != "shop" || !*got.DirectAccessGrantsEnabled {
		t.Errorf("Get = %+v", got)
	}
	if _, ok := got.Extra["surrogateAuthRequired"]; !ok {
		t.Errorf("Extra lacks surrogateAuthRequired: %v", got.Extra)
	}
	// Update from the GET: the unknown fields go back too; "" clears.
	got.Description = kc.Ptr("")
	check(t, cs.Update(ctx, id, got))
	if again := must[*admin.ClientApp](t)(cs.Get(ctx, id)); again.Description != nil {
		t.Errorf("description = %q, want cleared", *again.Description)
	}
	byID := must[*admin.ClientApp](t)(cs.GetByClientID(ctx, "orders"))
	if byID.ID != id {
		t.Errorf("GetByClientID = %s", byID.ID)
	}
	if _, err := cs.GetByClientID(ctx, "order"); !errors.Is(err, kc.ErrNotFound) {
		t.Errorf("GetByClientID(prefix) = %v", err)
	}
	found := must[[]admin.ClientApp](t)(cs.List(ctx, &admin.ClientListOptions{ClientID: "ord", Search: true}))
	if len(found) != 1 {
		t.Errorf("search = %d clients", len(found))
	}
	n := 0
	for c, err := range cs.All(ctx, &admin.ClientListOptions{Max: 2}) {
		check(t, err)
		if c.ClientID == "" {
			t.Error("empty client")
		}
		n++
	}
	if n < 7 { // six built-in clients and ours
		t.Errorf("All = %d clients", n)
	}

	secret := must[*admin.ClientSecret](t)(cs.Secret(ctx, id))
	fresh := must[*admin.ClientSecret](t)(cs.RegenerateSecret(ctx, id))
	if secret.Value == "" || fresh.Value == secret.Value || fresh.Type != "secret" {
		t.Errorf("secrets %q -> %q", secret.Value, fresh.Value)
	}
	if s := fresh.String(); s != "admin.ClientSecret{type=secret, value=REDACTED}" {
		t.Errorf("String = %s", s)
	}
	// The new secret works for client credentials, the old one does not.
	tokenURL := e.srv.URL + "/realms/acme/protocol/openid-connect/token"
	if _, err := login(ctx, tokenURL, url.Values{"grant_type": {"client_credentials"}, "client_id": {"orders"}, "client_secret": {fresh.Value}}); err != nil {
		t.Errorf("new secret: %v", err)
	}
	if _, err := login(ctx, tokenURL, url.Values{"grant_type": {"client_credentials"}, "client_id": {"orders"}, "client_secret": {secret.Value}}); err == nil {
		t.Error("old secret still works")
	}
	sa := must[*admin.User](t)(cs.ServiceAccountUser(ctx, id))
	if sa.Username != "service-account-orders" {
		t.Errorf("service account = %q", sa.Username)
	}

	// Client scopes.
	scopeID := must[string](t)(e.realm.ClientScopes.Create(ctx, &admin.ClientScope{Name: "orders:read", Protocol: "openid-connect"}))
	check(t, cs.AddOptionalClientScope(ctx, id, scopeID))
	opt := must[[]admin.ClientScope](t)(cs.OptionalClientScopes(ctx, id))
	if !slices.ContainsFunc(opt, func(s admin.ClientScope) bool { return s.ID == scopeID && s.Name == "orders:read" }) {
		t.Errorf("OptionalClientScopes = %+v", opt)
	}
	check(t, cs.RemoveOptionalClientScope(ctx, id, scopeID))
	check(t, cs.AddDefaultClientScope(ctx, id, scopeID))
	def := must[[]admin.ClientScope](t)(cs.DefaultClientScopes(ctx, id))
	if !slices.ContainsFunc(def, func(s admin.ClientScope) bool { return s.ID == scopeID }) {
		t.Errorf("DefaultClientScopes = %+v", def)
	}
	check(t, cs.RemoveDefaultClientScope(ctx, id, scopeID))
	if err := cs.AddDefaultClientScope(ctx, id, "nope"); !errors.Is(err, kc.ErrNotFound) {
		t.Errorf("unknown scope = %v", err)
	}

	// Protocol mappers.
	pm := cs.ProtocolMappers(id)
	mid := must[string](t)(pm.Create(ctx, &admin.ProtocolMapper{Name: "team", Protocol: "openid-connect", ProtocolMapper: "oidc-usermodel-attribute-mapper",
		Config: map[string]string{"user.attribute": "team", "claim.name": "team"}}))
	m := must[*admin.ProtocolMapper](t)(pm.Get(ctx, mid))
	m.Config["claim.name"] = "org_team"
	check(t, pm.Update(ctx, mid, m))
	list := must[[]admin.ProtocolMapper](t)(pm.List(ctx))
	if len(list) != 1 || list[0].Config["claim.name"] != "org_team" {
		t.Errorf("mappers = %+v", list)
	}
	if _, err := pm.Create(ctx, &admin.ProtocolMapper{Name: "team", Protocol: "openid-connect", ProtocolMapper: "oidc-hardcoded-claim-mapper"}); !errors.Is(err, kc.ErrConflict) {
		t.Errorf("duplicate mapper = %v", err)
	}
	check(t, pm.Delete(ctx, mid))

	if n := must[int](t)(cs.OfflineSessionCount(ctx, id)); n != 0 {
		t.Errorf("OfflineSessionCount = %d", n)
	}
	check(t, cs.Delete(ctx, id))
	if _, err := cs.Get(ctx, id); !errors.Is(err, kc.ErrNotFound) {
		t.Errorf("Get after delete = %v", err)
	}
	if _, err := cs.ServiceAccountUser(ctx, must[*admin.ClientApp](t)(cs.GetByClientID(ctx, "admin-cli")).ID); !errors.Is(err, kc.ErrBadRequest) {
		t.Errorf("service account of admin-cli = %v", err)
	}
}

func TestClientRoles(t *testing.T) {
	t.Parallel()
	e := setup(t)
	ctx := t.Context()
	cid := must[string](t)(e.realm.Clients.Create(ctx, &admin.ClientApp{ClientID: "crm"}))
	roles := e.realm.Clients.Roles(cid)
	for _, n := range []string{"viewer", "a/b c?d"} {
		if got := must[string](t)(roles.Create(ctx, &admin.Role{Name: n, Description: kc.Ptr("role " + n)})); got != n {
			t.Errorf("Create = %q", got)
		}
	}
	if _, err := roles.Create(ctx, &admin.Role{Name: "viewer"}); !errors.Is(err, kc.ErrConflict) {
		t.Errorf("duplicate = %v", err)
	}
	// gocloak D4: a name with "/", " " and "?" reaches that role.
	odd := must[*admin.Role](t)(roles.Get(ctx, "a/b c?d"))
	if odd.Name != "a/b c?d" || !odd.ClientRole || odd.ContainerID != cid {
		t.Errorf("Get = %+v", odd)
	}
	check(t, roles.Update(ctx, "a/b c?d", &admin.Role{Name: "a/b c?d", Description: kc.Ptr("odd"), Attributes: map[string][]string{"k": {"v"}}}))
	odd = must[*admin.Role](t)(roles.Get(ctx, "a/b c?d"))
	if *odd.Description != "odd" || odd.Attributes["k"][0] != "v" {
		t.Errorf("after update = %+v", odd)
	}
	check(t, roles.AddComposites(ctx, "viewer", []admin.Role{*odd}))
	if got := roleNames(must[[]admin.Role](t)(roles.Composites(ctx, "viewer"))); !slices.Equal(got, []string{"a/b c?d"}) {
		t.Errorf("Composites = %v", got)
	}
	if got := must[[]admin.Role](t)(roles.ClientComposites(ctx, "viewer", cid)); len(got) != 1 {
		t.Errorf("ClientComposites = %v", got)
	}
	if got := must[[]admin.Role](t)(roles.RealmComposites(ctx, "viewer")); len(got) != 0 {
		t.Errorf("RealmComposites = %v", got)
	}
	check(t, roles.RemoveComposites(ctx, "viewer", []admin.Role{*odd}))
	gid := must[string](t)(e.realm.Groups.Create(ctx, &admin.Group{Name: "sales"}))
	viewer := must[*admin.Role](t)(roles.Get(ctx, "viewer"))
	check(t, e.realm.Groups.RoleMappings(gid).AddClientRoles(ctx, cid, []admin.Role{*viewer}))
	gs := must[[]admin.Group](t)(roles.Groups(ctx, "viewer", nil))
	if len(gs) != 1 || gs[0].ID != gid {
		t.Errorf("role groups = %+v", gs)
	}
	all := must[[]admin.Role](t)(roles.List(ctx, nil))
	if len(all) != 2 {
		t.Errorf("List = %d roles", len(all))
	}
	check(t, roles.Delete(ctx, "a/b c?d"))
	if _, err := roles.Get(ctx, "a/b c?d"); !errors.Is(err, kc.ErrNotFound) {
		t.Errorf("Get after delete = %v", err)
	}
	if _, err := e.realm.Clients.Roles("nope").List(ctx, nil); !errors.Is(err, kc.ErrNotFound) {
		t.Errorf("roles of unknown client = %v", err)
	}
}
