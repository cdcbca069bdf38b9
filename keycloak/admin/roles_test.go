package admin_test

import (
	"errors"
	"slices"
	"testing"

	"github.com/kcgo/kc"
	"github.com/kcgo/kc/keycloak/admin"
)

func TestRealmRoles(t *testing.T) {
	t.Parallel()
	e := setup(t)
	ctx := t.Context()
	roles := e.realm.Roles
	for _, n := range []string{"alpha", "beta", "gamma"} {
		must[string](t)(roles.Create(ctx, &admin.Role{Name: n, Attributes: map[string][]string{"n": {n}}}))
	}
	if _, err := roles.Create(ctx, &admin.Role{Name: "alpha"}); !errors.Is(err, kc.ErrConflict) {
		t.Errorf("duplicate = %v", err)
	}
	page := must[[]admin.Role](t)(roles.List(ctx, &admin.RoleListOptions{Search: "a", First: 0, Max: 2}))
	if len(page) != 2 || page[0].Name != "alpha" || page[0].Attributes != nil {
		t.Errorf("page = %+v", page)
	}
	var names []string
	for r, err := range roles.All(ctx, &admin.RoleListOptions{Max: 2}) {
		check(t, err)
		names = append(names, r.Name)
	}
	for _, want := range []string{"alpha", "beta", "gamma", "offline_access", "default-roles-acme"} {
		if !slices.Contains(names, want) {
			t.Errorf("All = %v, missing %s", names, want)
		}
	}
	alpha := must[*admin.Role](t)(roles.Get(ctx, "alpha"))
	if alpha.Attributes["n"][0] != "alpha" || alpha.ClientRole {
		t.Errorf("Get = %+v", alpha)
	}
	// By ID.
	byID := e.realm.RolesByID
	got := must[*admin.Role](t)(byID.Get(ctx, alpha.ID))
	if got.Name != "alpha" {
		t.Errorf("by ID = %+v", got)
	}
	beta := must[*admin.Role](t)(roles.Get(ctx, "beta"))
	check(t, byID.AddComposites(ctx, alpha.ID, []admin.Role{*beta}))
	if c := roleNames(must[[]admin.Role](t)(byID.Composites(ctx, alpha.ID))); !slices.Equal(c, []string{"beta"}) {
		t.Errorf("by ID composites = %v", c)
	}
	if c := roleNames(must[[]admin.Role](t)(roles.RealmComposites(ctx, "alpha"))); !slices.Equal(c, []string{"beta"}) {
		t.Errorf("RealmComposites = %v", c)
	}
	if g := must[*admin.Role](t)(roles.Get(ctx, "alpha")); !g.Composite {
		t.Error("alpha is not composite")
	}
	check(t, byID.RemoveComposites(ctx, alpha.ID, []admin.Role{*beta}))
	check(t, byID.Update(ctx, alpha.ID, &admin.Role{Name: "alpha2"}))
	if _, err := roles.Get(ctx, "alpha2"); err != nil {
		t.Errorf("renamed role: %v", err)
	}
	if err := roles.Update(ctx, "alpha2", &admin.Role{Name: "beta"}); !errors.Is(err, kc.ErrConflict) {
		t.Errorf("rename onto beta = %v", err)
	}
	// Members.
	uid := must[string](t)(e.realm.Users.Create(ctx, &admin.User{Username: "ivy"}))
	check(t, e.realm.Users.RoleMappings(uid).AddRealmRoles(ctx, []admin.Role{*beta}))
	gid := must[string](t)(e.realm.Groups.Create(ctx, &admin.Group{Name: "g"}))
	check(t, e.realm.Groups.RoleMappings(gid).AddRealmRoles(ctx, []admin.Role{*beta}))
	var holders []string
	for u, err := range roles.AllUsers(ctx, "beta", nil) {
		check(t, err)
		holders = append(holders, u.Username)
	}
	if !slices.Equal(holders, []string{"ivy"}) {
		t.Errorf("AllUsers = %v", holders)
	}
	n := 0
	for g, err := range roles.AllGroups(ctx, "beta", nil) {
		check(t, err)
		if g.ID != gid {
			t.Errorf("group %s", g.ID)
		}
		n++
	}
	if n != 1 {
		t.Errorf("AllGroups = %d", n)
	}
	check(t, byID.Delete(ctx, beta.ID))
	if _, err := byID.Get(ctx, beta.ID); !errors.Is(err, kc.ErrNotFound) {
		t.Errorf("after delete = %v", err)
	}
	if got := must[[]admin.Role](t)(e.realm.Users.RoleMappings(uid).RealmRoles(ctx)); len(got) != 1 || got[0].Name != "default-roles-acme" {
		t.Errorf("mapping of a deleted role survived: %v", got)
	}
	check(t, roles.Delete(ctx, "gamma"))
}
