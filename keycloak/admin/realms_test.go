package admin_test

import (
	"encoding/json"
	"errors"
	"slices"
	"testing"

	"github.com/kcgo/kc"
	"github.com/kcgo/kc/keycloak/admin"
)

func TestRealms(t *testing.T) {
	t.Parallel()
	e := setup(t)
	ctx := t.Context()
	name := must[string](t)(e.c.Realms.Create(ctx, &admin.Realm{Realm: "shop", DisplayName: kc.Ptr("Shop"), Enabled: kc.Ptr(true),
		Extra: admin.Extra{"loginTheme": json.RawMessage(`"custom"`)}}))
	if name != "shop" {
		t.Errorf("Create = %q", name)
	}
	if _, err := e.c.Realms.Create(ctx, &admin.Realm{Realm: "shop"}); !errors.Is(err, kc.ErrConflict) {
		t.Errorf("duplicate = %v", err)
	}
	r := must[*admin.Realm](t)(e.c.Realms.Get(ctx, "shop"))
	if r.Realm != "shop" || *r.DisplayName != "Shop" || string(r.Extra["loginTheme"]) != `"custom"` || r.DefaultRole == nil {
		t.Errorf("Get = %+v", r)
	}
	// GET then PUT keeps unknown fields; three-state fields are sent.
	r.Enabled = kc.Ptr(false)
	r.AccessTokenLifespan = kc.Ptr(120)
	check(t, e.c.Realms.Update(ctx, "shop", r))
	r2 := must[*admin.Realm](t)(e.c.Realms.Get(ctx, "shop"))
	if *r2.Enabled || *r2.AccessTokenLifespan != 120 || string(r2.Extra["loginTheme"]) != `"custom"` {
		t.Errorf("after update = %+v", r2)
	}
	list := must[[]admin.Realm](t)(e.c.Realms.List(ctx, &admin.RealmListOptions{BriefRepresentation: kc.Ptr(true)}))
	var names []string
	for _, r := range list {
		names = append(names, r.Realm)
	}
	if !slices.Equal(names, []string{"acme", "master", "shop"}) {
		t.Errorf("List = %v", names)
	}
	// The realm works: its admin API answers, users can be made.
	must[string](t)(e.c.Realm("shop").Users.Create(ctx, &admin.User{Username: "zed"}))
	check(t, e.c.Realms.Delete(ctx, "shop"))
	if _, err := e.c.Realms.Get(ctx, "shop"); !errors.Is(err, kc.ErrNotFound) {
		t.Errorf("Get after delete = %v", err)
	}
	if _, err := e.c.Realm("shop").Users.List(ctx, nil); !errors.Is(err, kc.ErrNotFound) {
		t.Errorf("users of deleted realm = %v", err)
	}
}
