package admin_test

import (
	"errors"
	"maps"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kcgo/kc"
	"github.com/kcgo/kc/keycloak/admin"
	"github.com/kcgo/kc/keycloak/kctest"
)

// TestManagementPermissions turns fine-grained admin permissions v1 on and
// off for each kind of target against a kctest with
// admin-fine-grained-authz:v1, and checks that each permission is a scope
// permission of realm-management named as Keycloak's *Permissions classes
// name it.
func TestManagementPermissions(t *testing.T) {
	t.Parallel()
	e := setup(t, kctest.WithFeatures("admin-fine-grained-authz:v1"))
	ctx := t.Context()
	mp := e.realm.ManagementPermissions
	clientID := must[string](t)(e.realm.Clients.Create(ctx, &admin.ClientApp{ClientID: "app"}))
	must[string](t)(e.realm.Clients.Roles(clientID).Create(ctx, &admin.Role{Name: "reader"}))
	must[string](t)(e.realm.Roles.Create(ctx, &admin.Role{Name: "boss"}))
	boss := must[*admin.Role](t)(e.realm.Roles.Get(ctx, "boss"))
	groupID := must[string](t)(e.realm.Groups.Create(ctx, &admin.Group{Name: "staff"}))
	must[string](t)(e.realm.IdentityProviders.Create(ctx, &admin.IdentityProvider{Alias: "corp", ProviderID: "oidc", Config: map[string]string{"clientId": "x"}}))

	type target struct {
		name string
		get  func() (*admin.ManagementPermissionReference, error)
		set  func(bool) (*admin.ManagementPermissionReference, error)
		// view is the name of the permission of the target's first scope.
		view string
	}
	targets := []target{
		{"users", func() (*admin.ManagementPermissionReference, error) { return mp.Users(ctx) },
			func(on bool) (*admin.ManagementPermissionReference, error) { return mp.SetUsers(ctx, on) }, "view.permission.users"},
		{"client", func() (*admin.ManagementPermissionReference, error) { return mp.Client(ctx, clientID) },
			func(on bool) (*admin.ManagementPermissionReference, error) { return mp.SetClient(ctx, clientID, on) }, "view.permission.client." + clientID},
		{"client role", func() (*admin.ManagementPermissionReference, error) { return mp.ClientRole(ctx, clientID, "reader") },
			func(on bool) (*admin.ManagementPermissionReference, error) {
				return mp.SetClientRole(ctx, clientID, "reader", on)
			}, ""},
		{"role", func() (*admin.ManagementPermissionReference, error) { return mp.Role(ctx, "boss") },
			func(on bool) (*admin.ManagementPermissionReference, error) { return mp.SetRole(ctx, "boss", on) }, "map-role.permission." + boss.ID},
		{"group", func() (*admin.ManagementPermissionReference, error) { return mp.Group(ctx, groupID) },
			func(on bool) (*admin.ManagementPermissionReference, error) { return mp.SetGroup(ctx, groupID, on) }, "view.permission.group." + groupID},
		{"identity provider", func() (*admin.ManagementPermissionReference, error) { return mp.IdentityProvider(ctx, "corp") },
			func(on bool) (*admin.ManagementPermissionReference, error) {
				return mp.SetIdentityProvider(ctx, "corp", on)
			}, ""},
	}
	for _, tg := range targets {
		if got := must[*admin.ManagementPermissionReference](t)(tg.get()); got.Enabled || got.Resource != "" {
			t.Errorf("%s before: %+v", tg.name, got)
		}
		on := must[*admin.ManagementPermissionReference](t)(tg.set(true))
		if !on.Enabled || on.Resource == "" || len(on.ScopePermissions) == 0 {
			t.Errorf("%s on: %+v", tg.name, on)
		}
		if diff := cmp.Diff(on, must[*admin.ManagementPermissionReference](t)(tg.get())); diff != "" {
			t.Errorf("%s: get after set (-set +get):\n%s", tg.name, diff)
		}
		if tg.view != "" {
			rm := must[[]admin.ClientApp](t)(e.realm.Clients.List(ctx, &admin.ClientListOptions{ClientID: "realm-management"}))
			perm := must[*admin.Policy](t)(e.realm.Clients.ResourceServer(rm[0].ID).Permissions.Search(ctx, tg.view))
			if !slices.Contains(slices.Collect(maps.Values(on.ScopePermissions)), perm.ID) {
				t.Errorf("%s: permission %s (%s) is not among %v", tg.name, tg.view, perm.ID, on.ScopePermissions)
			}
		}
	}
	// The role by ID is the same role.
	byID := must[*admin.ManagementPermissionReference](t)(mp.RoleByID(ctx, boss.ID))
	if diff := cmp.Diff(must[*admin.ManagementPermissionReference](t)(mp.Role(ctx, "boss")), byID); diff != "" {
		t.Errorf("RoleByID (-Role +RoleByID):\n%s", diff)
	}
	if off := must[*admin.ManagementPermissionReference](t)(mp.SetRoleByID(ctx, boss.ID, false)); off.Enabled {
		t.Errorf("SetRoleByID false: %+v", off)
	}
	if got := must[*admin.ManagementPermissionReference](t)(mp.Role(ctx, "boss")); got.Enabled {
		t.Errorf("Role after SetRoleByID false: %+v", got)
	}
	if _, err := mp.Group(ctx, "nope"); !errors.Is(err, kc.ErrNotFound) {
		t.Errorf("unknown group: %v", err)
	}
	for name, err := range map[string]error{
		"clientID": func() error { _, err := mp.Client(ctx, ""); return err }(),
		"roleName": func() error { _, err := mp.SetClientRole(ctx, "x", " ", true); return err }(),
		"alias":    func() error { _, err := mp.IdentityProvider(ctx, ""); return err }(),
	} {
		if err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("empty %s: %v", name, err)
		}
	}
}

// TestManagementPermissionsFeatureOff: with Keycloak 26's defaults (v1 off)
// the endpoints answer 501 (ProfileHelper.requireFeature).
func TestManagementPermissionsFeatureOff(t *testing.T) {
	t.Parallel()
	e := setup(t)
	_, err := e.realm.ManagementPermissions.Users(t.Context())
	var apiErr *kc.APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusNotImplemented {
		t.Fatalf("Users with the feature off: %v, want a 501 APIError", err)
	}
}
