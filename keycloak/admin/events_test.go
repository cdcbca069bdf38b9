package admin_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kcgo/kc"
	"github.com/kcgo/kc/keycloak/admin"
)

func TestEventsAndAdminEvents(t *testing.T) {
	t.Parallel()
	e := setup(t)
	ctx := t.Context()
	ev := e.realm.Events
	cfg := must[*admin.EventsConfig](t)(ev.Config(ctx))
	if *cfg.AdminEventsEnabled || *cfg.EventsEnabled || len(cfg.EventsListeners) != 1 {
		t.Errorf("default config = %+v", cfg)
	}
	// Nothing is recorded before admin events are on.
	must[string](t)(e.realm.Users.Create(ctx, &admin.User{Username: "early"}))
	check(t, ev.UpdateConfig(ctx, &admin.EventsConfig{AdminEventsEnabled: kc.Ptr(true), AdminEventsDetailsEnabled: kc.Ptr(true)}))
	uid := must[string](t)(e.realm.Users.Create(ctx, &admin.User{Username: "tracked"}))
	check(t, e.realm.Users.Update(ctx, uid, &admin.User{FirstName: kc.Ptr("T")}))
	check(t, e.realm.Users.ResetPassword(ctx, uid, "pw", false))
	gid := must[string](t)(e.realm.Groups.Create(ctx, &admin.Group{Name: "g"}))
	check(t, e.realm.Users.JoinGroup(ctx, uid, gid))
	check(t, e.realm.Users.Delete(ctx, uid))
	if _, err := e.realm.Users.Get(ctx, uid); err == nil { // a failed or read request is not recorded
		t.Fatal("user survived")
	}
	type row struct{ Op, Type, Path string }
	var got []row
	for a, err := range ev.AllAdmin(ctx, &admin.AdminEventListOptions{Direction: "asc", Max: 2}) {
		check(t, err)
		got = append(got, row{a.OperationType, a.ResourceType, a.ResourcePath})
		if a.AuthDetails == nil || a.AuthDetails.UserID == "" || a.Time == 0 {
			t.Errorf("event without auth details: %+v", a)
		}
	}
	want := []row{
		{"UPDATE", "REALM", "events/config"}, // the switch-on records itself
		{"CREATE", "USER", "users/" + uid},
		{"UPDATE", "USER", "users/" + uid},
		{"ACTION", "USER", "users/" + uid + "/reset-password"},
		{"CREATE", "GROUP", "groups/" + gid},
		{"CREATE", "GROUP_MEMBERSHIP", "users/" + uid + "/groups/" + gid},
		{"DELETE", "USER", "users/" + uid},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("admin events (-want +got):\n%s", diff)
	}
	updates := must[[]admin.AdminEvent](t)(ev.ListAdmin(ctx, &admin.AdminEventListOptions{OperationTypes: []string{"UPDATE"}, ResourceTypes: []string{"USER"}}))
	if len(updates) != 1 || updates[0].Representation != `{"firstName":"T"}` {
		t.Errorf("UPDATE events = %+v", updates)
	}
	if byPath := must[[]admin.AdminEvent](t)(ev.ListAdmin(ctx, &admin.AdminEventListOptions{ResourcePath: "users/*/groups/*"})); len(byPath) != 1 {
		t.Errorf("resourcePath filter = %d events", len(byPath))
	}
	check(t, ev.ClearAdmin(ctx))
	if left := must[[]admin.AdminEvent](t)(ev.ListAdmin(ctx, nil)); len(left) != 0 {
		t.Errorf("after clear: %d", len(left))
	}
	if logins := must[[]admin.Event](t)(ev.List(ctx, &admin.EventListOptions{Types: []string{"LOGIN"}})); len(logins) != 0 {
		t.Errorf("login events = %v", logins)
	}
	n := 0
	for _, err := range ev.All(ctx, nil) {
		check(t, err)
		n++
	}
	check(t, ev.Clear(ctx))
}
