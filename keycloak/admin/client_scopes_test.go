package admin_test

import (
	"errors"
	"testing"

	"github.com/kcgo/kc"
	"github.com/kcgo/kc/keycloak/admin"
)

func TestClientScopes(t *testing.T) {
	t.Parallel()
	e := setup(t)
	ctx := t.Context()
	scs := e.realm.ClientScopes
	id := must[string](t)(scs.Create(ctx, &admin.ClientScope{Name: "api", Protocol: "openid-connect", Attributes: map[string]string{"include.in.token.scope": "true"}}))
	if _, err := scs.Create(ctx, &admin.ClientScope{Name: "api"}); !errors.Is(err, kc.ErrConflict) {
		t.Errorf("duplicate = %v", err)
	}
	sc := must[*admin.ClientScope](t)(scs.Get(ctx, id))
	if sc.Name != "api" || sc.Protocol != "openid-connect" || sc.Attributes["include.in.token.scope"] != "true" {
		t.Errorf("Get = %+v", sc)
	}
	sc.Description = kc.Ptr("The API")
	check(t, scs.Update(ctx, id, sc))
	if got := must[*admin.ClientScope](t)(scs.Get(ctx, id)); got.Description == nil || *got.Description != "The API" {
		t.Errorf("after update = %+v", got)
	}
	all := must[[]admin.ClientScope](t)(scs.List(ctx))
	if len(all) < 10 {
		t.Errorf("List = %d scopes", len(all))
	}
	pm := scs.ProtocolMappers(id)
	mid := must[string](t)(pm.Create(ctx, &admin.ProtocolMapper{Name: "aud", ProtocolMapper: "oidc-audience-mapper", Config: map[string]string{"included.client.audience": "api"}}))
	if got := must[*admin.ProtocolMapper](t)(pm.Get(ctx, mid)); got.Protocol != "openid-connect" || got.Config["included.client.audience"] != "api" {
		t.Errorf("mapper = %+v", got)
	}
	if list := must[[]admin.ProtocolMapper](t)(pm.List(ctx)); len(list) != 1 {
		t.Errorf("mappers = %d", len(list))
	}
	check(t, pm.Delete(ctx, mid))
	if _, err := pm.Get(ctx, mid); !errors.Is(err, kc.ErrNotFound) {
		t.Errorf("mapper after delete = %v", err)
	}

	sm := scs.ScopeMappings(id)
	must[string](t)(e.realm.Roles.Create(ctx, &admin.Role{Name: "api-user"}))
	role := must[*admin.Role](t)(e.realm.Roles.Get(ctx, "api-user"))
	check(t, sm.AddRealmRoles(ctx, []admin.Role{*role}))
	cid := must[string](t)(e.realm.Clients.Create(ctx, &admin.ClientApp{ClientID: "api"}))
	must[string](t)(e.realm.Clients.Roles(cid).Create(ctx, &admin.Role{Name: "call"}))
	call := must[*admin.Role](t)(e.realm.Clients.Roles(cid).Get(ctx, "call"))
	check(t, sm.AddClientRoles(ctx, cid, []admin.Role{*call}))
	m := must[*admin.Mappings](t)(sm.Get(ctx))
	if len(m.RealmMappings) != 1 || m.RealmMappings[0].Name != "api-user" || m.ClientMappings["api"].Mappings[0].Name != "call" {
		t.Errorf("scope mappings = %+v", m)
	}
	if r := must[[]admin.Role](t)(sm.RealmRoles(ctx)); len(r) != 1 {
		t.Errorf("Realm = %v", r)
	}
	if r := must[[]admin.Role](t)(sm.ClientRoles(ctx, cid)); len(r) != 1 {
		t.Errorf("Client = %v", r)
	}
	check(t, sm.RemoveClientRoles(ctx, cid, []admin.Role{*call}))
	check(t, sm.RemoveRealmRoles(ctx, []admin.Role{*role}))
	// The same service on a client.
	csm := e.realm.Clients.ScopeMappings(cid)
	check(t, csm.AddRealmRoles(ctx, []admin.Role{*role}))
	if r := must[[]admin.Role](t)(csm.RealmRoles(ctx)); len(r) != 1 {
		t.Errorf("client scope mappings = %v", r)
	}
	check(t, scs.Delete(ctx, id))
	if _, err := scs.Get(ctx, id); !errors.Is(err, kc.ErrNotFound) {
		t.Errorf("after delete = %v", err)
	}
}
