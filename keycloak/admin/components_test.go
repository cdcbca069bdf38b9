package admin_test

import (
	"errors"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kcgo/kc"
	"github.com/kcgo/kc/keycloak/admin"
)

// TestComponentsKeyProviders creates, reads, updates and deletes a key
// provider and checks that it changes the realm's signing key, as
// Keycloak's DefaultKeyManager does: the active RS256 key with the highest
// priority signs. Keycloak: ComponentResource, KeyResource.
func TestComponentsKeyProviders(t *testing.T) {
	t.Parallel()
	e := setup(t)
	ctx := t.Context()
	comps := e.realm.Components
	realm := must[*admin.Realm](t)(e.c.Realms.Get(ctx, "acme"))
	before := must[string](t)(e.srv.ActiveKeyID("acme"))

	// A fresh realm's key providers, listed by type (parent defaults to the
	// realm) without their keys.
	keys := must[[]admin.Component](t)(comps.List(ctx, &admin.ComponentListOptions{Type: admin.KeyProviderType}))
	var names []string
	for _, c := range keys {
		names = append(names, c.Name)
		if c.ParentID != realm.ID {
			t.Errorf("%s: parentId %q, want the realm's id", c.Name, c.ParentID)
		}
		for k := range c.Config {
			if k == "privateKey" || k == "secret" || k == "kid" {
				t.Errorf("%s lists config %q", c.Name, k)
			}
		}
	}
	slices.Sort(names)
	if diff := cmp.Diff([]string{"aes-generated", "hmac-generated-hs512", "rsa-enc-generated", "rsa-generated"}, names); diff != "" {
		t.Errorf("key providers (-want +got):\n%s", diff)
	}

	id := must[string](t)(comps.Create(ctx, &admin.Component{
		Name: "rsa-next", ProviderID: "rsa-generated", ProviderType: admin.KeyProviderType,
		Config: map[string][]string{"priority": {"200"}},
	}))
	got := must[*admin.Component](t)(comps.Get(ctx, id))
	want := &admin.Component{ID: id, Name: "rsa-next", ProviderID: "rsa-generated", ProviderType: admin.KeyProviderType,
		ParentID: realm.ID, Config: map[string][]string{"priority": {"200"}}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Get (-want +got):\n%s", diff)
	}
	md := must[*admin.KeysMetadata](t)(e.realm.Keys.Get(ctx))
	var newKid string
	for _, k := range md.Keys {
		if k.ProviderID == id {
			newKid = k.KID
		}
	}
	if newKid == "" || md.Active["RS256"] != newKid {
		t.Fatalf("active RS256 %q, want the new provider's key %q", md.Active["RS256"], newKid)
	}
	if now := must[string](t)(e.srv.ActiveKeyID("acme")); now != newKid || now == before {
		t.Errorf("signing key %q, want %q", now, newKid)
	}
	res, err := http.Get(e.srv.Issuer("acme") + "/protocol/openid-connect/certs")
	if err != nil {
		t.Fatal(err)
	}
	jwks, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if !strings.Contains(string(jwks), `"kid":"`+newKid+`"`) {
		t.Errorf("JWKS lacks the new key %s: %s", newKid, jwks)
	}

	// Passive: the old key signs again; the new one still verifies.
	check(t, comps.Update(ctx, id, &admin.Component{Name: "rsa-next", ProviderID: "rsa-generated", ProviderType: admin.KeyProviderType,
		Config: map[string][]string{"priority": {"200"}, "active": {"false"}}}))
	if now := must[string](t)(e.srv.ActiveKeyID("acme")); now != before {
		t.Errorf("after making it passive the signing key is %q, want %q", now, before)
	}
	md = must[*admin.KeysMetadata](t)(e.realm.Keys.Get(ctx))
	for _, k := range md.Keys {
		if k.ProviderID == id && (k.Status != "PASSIVE" || k.KID != newKid) {
			t.Errorf("updated key: status %s kid %s, want PASSIVE %s", k.Status, k.KID, newKid)
		}
	}

	// Filters: name, parent.
	byName := must[[]admin.Component](t)(comps.List(ctx, &admin.ComponentListOptions{Name: "rsa-next"}))
	if len(byName) != 1 || byName[0].ID != id {
		t.Errorf("List by name: %+v", byName)
	}
	if l := must[[]admin.Component](t)(comps.List(ctx, &admin.ComponentListOptions{Parent: id})); len(l) != 0 {
		t.Errorf("List by parent %s: %+v", id, l)
	}
	if all := must[[]admin.Component](t)(comps.List(ctx, nil)); len(all) != 8+4+1 {
		t.Errorf("List: %d components, want 8 client-registration policies, 4 key providers and the new one", len(all))
	}
	types := must[[]admin.ComponentType](t)(comps.SubComponentTypes(ctx, id, "org.keycloak.storage.ldap.mappers.LDAPStorageMapper"))
	if len(types) != 0 {
		t.Errorf("SubComponentTypes of a key provider: %+v", types)
	}

	check(t, comps.Delete(ctx, id))
	if _, err := comps.Get(ctx, id); !errors.Is(err, kc.ErrNotFound) {
		t.Errorf("Get after Delete: %v, want ErrNotFound", err)
	}
	md = must[*admin.KeysMetadata](t)(e.realm.Keys.Get(ctx))
	for _, k := range md.Keys {
		if k.KID == newKid {
			t.Errorf("deleted provider's key still listed")
		}
	}
}

// TestComponentsUserProfile pins that the user-profile component is the one
// behind users/profile. Keycloak: DeclarativeUserProfileProvider.
func TestComponentsUserProfile(t *testing.T) {
	t.Parallel()
	e := setup(t)
	ctx := t.Context()
	comps := e.realm.Components
	cfg := must[*admin.UserProfileConfig](t)(e.realm.Users.Profile(ctx))
	cfg.UnmanagedAttributePolicy = "ADMIN_EDIT"
	must[*admin.UserProfileConfig](t)(e.realm.Users.UpdateProfile(ctx, cfg))
	list := must[[]admin.Component](t)(comps.List(ctx, &admin.ComponentListOptions{Type: admin.UserProfileProviderType}))
	if len(list) != 1 || list[0].ProviderID != "declarative-user-profile" ||
		!strings.Contains(strings.Join(list[0].Config["kc.user.profile.config"], ""), `"unmanagedAttributePolicy":"ADMIN_EDIT"`) {
		t.Fatalf("user-profile component: %+v", list)
	}
	// Changing the component changes users/profile.
	c := list[0]
	c.Config["kc.user.profile.config"] = []string{strings.Replace(strings.Join(c.Config["kc.user.profile.config"], ""), "ADMIN_EDIT", "ENABLED", 1)}
	check(t, comps.Update(ctx, c.ID, &c))
	if got := must[*admin.UserProfileConfig](t)(e.realm.Users.Profile(ctx)); got.UnmanagedAttributePolicy != "ENABLED" {
		t.Errorf("users/profile policy %q after the component update, want ENABLED", got.UnmanagedAttributePolicy)
	}
	// Deleting it restores the default profile.
	check(t, comps.Delete(ctx, c.ID))
	if got := must[*admin.UserProfileConfig](t)(e.realm.Users.Profile(ctx)); got.UnmanagedAttributePolicy != "" {
		t.Errorf("users/profile policy %q after the delete, want none", got.UnmanagedAttributePolicy)
	}
}

// TestComponentsBadInput checks that a missing argument is reported before
// anything is sent.
func TestComponentsBadInput(t *testing.T) {
	t.Parallel()
	e := setup(t)
	ctx := t.Context()
	comps := e.realm.Components
	n := e.srv.RequestCount("", "*")
	tests := []struct {
		name, want string
		call       func() error
	}{
		{"get", "id is empty", func() error { _, err := comps.Get(ctx, ""); return err }},
		{"create nil", "component is nil", func() error { _, err := comps.Create(ctx, nil); return err }},
		{"create no provider", "providerID is empty", func() error {
			_, err := comps.Create(ctx, &admin.Component{ProviderType: admin.KeyProviderType})
			return err
		}},
		{"update", "id is empty", func() error { return comps.Update(ctx, "", &admin.Component{}) }},
		{"delete", "id is empty", func() error { return comps.Delete(ctx, " ") }},
		{"sub types", "providerType is empty", func() error { _, err := comps.SubComponentTypes(ctx, "x", ""); return err }},
		{"realm", "realm is empty", func() error { _, err := e.c.Realm("").Components.List(ctx, nil); return err }},
	}
	for _, tt := range tests {
		if err := tt.call(); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: %v, want %q", tt.name, err, tt.want)
		}
	}
	if got := e.srv.RequestCount("", "*"); got != n {
		t.Errorf("%d requests sent", got-n)
	}
}
