package admin_test

import (
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kcgo/kc"
	"github.com/kcgo/kc/keycloak/admin"
)

func TestGroups(t *testing.T) {
	t.Parallel()
	e := setup(t)
	ctx := t.Context()
	gs := e.realm.Groups
	top := must[string](t)(gs.Create(ctx, &admin.Group{Name: "eng", Attributes: map[string][]string{"site": {"ams"}}}))
	must[string](t)(gs.Create(ctx, &admin.Group{Name: "sales"}))
	if _, err := gs.Create(ctx, &admin.Group{Name: "eng"}); !errors.Is(err, kc.ErrConflict) {
		t.Errorf("duplicate = %v", err)
	}
	var kids []string
	for i := range 12 {
		kids = append(kids, must[string](t)(gs.CreateChild(ctx, top, &admin.Group{Name: fmt.Sprintf("team-%02d", i)})))
	}
	if _, err := gs.CreateChild(ctx, top, &admin.Group{Name: "team-00"}); !errors.Is(err, kc.ErrConflict) {
		t.Errorf("duplicate child = %v", err)
	}
	// Keycloak's default page of children is 10.
	if first := must[[]admin.Group](t)(gs.Children(ctx, top, nil)); len(first) != 10 {
		t.Errorf("Children default page = %d, want 10", len(first))
	}
	var names []string
	for g, err := range gs.AllChildren(ctx, top, &admin.ChildrenOptions{Max: 5}) {
		check(t, err)
		names = append(names, g.Name)
	}
	if len(names) != 12 || names[11] != "team-11" {
		t.Errorf("AllChildren = %v", names)
	}
	g := must[*admin.Group](t)(gs.Get(ctx, top))
	if g.Path != "/eng" || *g.SubGroupCount != 12 || g.Attributes["site"][0] != "ams" {
		t.Errorf("Get = %+v", g)
	}
	g.Description = kc.Ptr("Engineering")
	check(t, gs.Update(ctx, top, g))
	child := must[*admin.Group](t)(gs.GetByPath(ctx, "/eng/team-03"))
	if child.ID != kids[3] || child.ParentID != top {
		t.Errorf("GetByPath = %+v", child)
	}
	list := must[[]admin.Group](t)(gs.List(ctx, nil))
	if diff := cmp.Diff([]string{"eng", "sales"}, groupNames(list)); diff != "" {
		t.Errorf("List (-want +got):\n%s", diff)
	}
	found := must[[]admin.Group](t)(gs.List(ctx, &admin.GroupListOptions{Search: "team-07"}))
	if len(found) != 1 || found[0].Name != "eng" || len(found[0].SubGroups) != 1 || found[0].SubGroups[0].Name != "team-07" {
		t.Errorf("search with hierarchy = %+v", found)
	}
	flat := must[[]admin.Group](t)(gs.List(ctx, &admin.GroupListOptions{Search: "team-0", PopulateHierarchy: kc.Ptr(false), Max: 3}))
	if len(flat) != 3 || flat[0].Name != "team-00" {
		t.Errorf("flat search = %v", groupNames(flat))
	}
	byAttr := must[[]admin.Group](t)(gs.List(ctx, &admin.GroupListOptions{Attributes: map[string]string{"site": "ams"}}))
	if len(byAttr) != 1 || byAttr[0].ID != top {
		t.Errorf("q search = %v", groupNames(byAttr))
	}
	if n := must[int](t)(gs.Count(ctx, nil)); n != 14 {
		t.Errorf("Count = %d", n)
	}
	if n := must[int](t)(gs.Count(ctx, &admin.GroupCountOptions{Top: true})); n != 2 {
		t.Errorf("Count(top) = %d", n)
	}
	if n := must[int](t)(gs.Count(ctx, &admin.GroupCountOptions{Search: "team"})); n != 12 {
		t.Errorf("Count(team) = %d", n)
	}
	n := 0
	for _, err := range gs.All(ctx, &admin.GroupListOptions{Max: 1}) {
		check(t, err)
		n++
	}
	if n != 2 {
		t.Errorf("All = %d", n)
	}

	// Members and role mappings.
	uid := must[string](t)(e.realm.Users.Create(ctx, &admin.User{Username: "joe"}))
	check(t, e.realm.Users.JoinGroup(ctx, uid, kids[0]))
	members := must[[]admin.User](t)(gs.Members(ctx, kids[0], nil))
	if len(members) != 1 || members[0].ID != uid {
		t.Errorf("Members = %+v", members)
	}
	cnt := 0
	for _, err := range gs.AllMembers(ctx, kids[0], &admin.MemberOptions{Max: 1}) {
		check(t, err)
		cnt++
	}
	if cnt != 1 {
		t.Errorf("AllMembers = %d", cnt)
	}
	must[string](t)(e.realm.Roles.Create(ctx, &admin.Role{Name: "builder"}))
	builder := must[*admin.Role](t)(e.realm.Roles.Get(ctx, "builder"))
	check(t, gs.RoleMappings(top).AddRealmRoles(ctx, []admin.Role{*builder}))
	// A child inherits its parent's roles; so does a member of the child.
	if eff := roleNames(must[[]admin.Role](t)(gs.RoleMappings(kids[0]).EffectiveRealmRoles(ctx, nil))); !slices.Equal(eff, []string{"builder"}) {
		t.Errorf("child effective = %v", eff)
	}
	if eff := roleNames(must[[]admin.Role](t)(e.realm.Users.RoleMappings(uid).EffectiveRealmRoles(ctx, nil))); !slices.Contains(eff, "builder") {
		t.Errorf("member effective = %v", eff)
	}
	if full := must[*admin.Group](t)(gs.Get(ctx, top)); !slices.Equal(full.RealmRoles, []string{"builder"}) {
		t.Errorf("realmRoles = %v", full.RealmRoles)
	}
	check(t, gs.RoleMappings(top).RemoveRealmRoles(ctx, []admin.Role{*builder}))
	check(t, gs.Delete(ctx, top))
	if _, err := gs.Get(ctx, kids[1]); !errors.Is(err, kc.ErrNotFound) {
		t.Errorf("child after parent delete = %v", err)
	}
	if n := must[int](t)(e.realm.Users.GroupCount(ctx, uid, nil)); n != 0 {
		t.Errorf("membership survived: %d", n)
	}
	if _, err := gs.GetByPath(ctx, "/eng"); !errors.Is(err, kc.ErrNotFound) {
		t.Errorf("GetByPath after delete = %v", err)
	}
}

func groupNames(gs []admin.Group) []string {
	var out []string
	for _, g := range gs {
		out = append(out, g.Name)
	}
	return out
}
