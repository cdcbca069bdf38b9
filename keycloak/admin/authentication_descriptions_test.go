package admin_test

import (
	"encoding/base32"
	"errors"
	"net/http"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kcgo/kc"
	"github.com/kcgo/kc/keycloak/admin"
)

// TestAuthenticatorConfigDescriptions follows
// AuthenticationManagementResource.getAuthenticatorConfigDescription and
// getPerClientConfigDescription.
func TestAuthenticatorConfigDescriptions(t *testing.T) {
	t.Parallel()
	e := setup(t)
	ctx := t.Context()
	a := e.realm.Authentication
	info := must[*admin.AuthenticatorConfigInfo](t)(a.AuthenticatorConfigDescription(ctx, "conditional-user-role"))
	if info.ProviderID != "conditional-user-role" || info.Name != "Condition - user role" || len(info.Properties) != 2 ||
		info.Properties[0].Name != "condUserRole" || info.Properties[0].Type != "Role" || info.Properties[1].Type != "boolean" {
		t.Errorf("conditional-user-role = %+v", info)
	}
	// Keycloak also takes the provider id Base32-encoded.
	enc := base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString([]byte("auth-cookie"))
	info = must[*admin.AuthenticatorConfigInfo](t)(a.AuthenticatorConfigDescription(ctx, enc))
	if info.ProviderID != "auth-cookie" || info.Name != "Cookie" || len(info.Properties) != 0 {
		t.Errorf("Base32 auth-cookie = %+v", info)
	}
	if _, err := a.AuthenticatorConfigDescription(ctx, "no-such-provider"); !errors.Is(err, kc.ErrNotFound) {
		t.Errorf("unknown provider: %v, want ErrNotFound", err)
	}
	per := must[map[string][]admin.ConfigProperty](t)(a.PerClientConfigDescription(ctx))
	want := map[string][]admin.ConfigProperty{"client-jwt": {}, "client-secret": {}, "client-secret-jwt": {}, "client-x509": {}}
	if diff := cmp.Diff(want, per); diff != "" {
		t.Errorf("PerClientConfigDescription (-want +got):\n%s", diff)
	}
}

// TestRequiredActionConfig follows AuthenticationManagementResource's
// required-action config endpoints: a configurable action takes
// max_auth_age, empty values are dropped, a non-configurable one is 400
// (404 for its description).
func TestRequiredActionConfig(t *testing.T) {
	t.Parallel()
	e := setup(t)
	ctx := t.Context()
	a := e.realm.Authentication
	props := must[[]admin.ConfigProperty](t)(a.RequiredActionConfigDescription(ctx, "UPDATE_PASSWORD"))
	if len(props) != 1 || props[0].Name != "max_auth_age" || string(props[0].DefaultValue) != "300" {
		t.Fatalf("UPDATE_PASSWORD description = %+v", props)
	}
	if got := must[map[string]string](t)(a.RequiredActionConfig(ctx, "UPDATE_PASSWORD")); len(got) != 0 {
		t.Errorf("config of a fresh realm = %v", got)
	}
	check(t, a.SetRequiredActionConfig(ctx, "UPDATE_PASSWORD", map[string]string{"max_auth_age": "60", "empty": ""}))
	if diff := cmp.Diff(map[string]string{"max_auth_age": "60"}, must[map[string]string](t)(a.RequiredActionConfig(ctx, "UPDATE_PASSWORD"))); diff != "" {
		t.Errorf("config after Set (-want +got):\n%s", diff)
	}
	ra := must[*admin.RequiredAction](t)(a.RequiredAction(ctx, "UPDATE_PASSWORD"))
	if ra.Config["max_auth_age"] != "60" {
		t.Errorf("required action's config = %v, want the same configuration", ra.Config)
	}
	check(t, a.DeleteRequiredActionConfig(ctx, "UPDATE_PASSWORD"))
	if got := must[map[string]string](t)(a.RequiredActionConfig(ctx, "UPDATE_PASSWORD")); len(got) != 0 {
		t.Errorf("config after Delete = %v", got)
	}
	var apiErr *kc.APIError
	if _, err := a.RequiredActionConfig(ctx, "TERMS_AND_CONDITIONS"); !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusBadRequest {
		t.Errorf("config of a non-configurable action: %v, want 400", err)
	}
	if _, err := a.RequiredActionConfigDescription(ctx, "TERMS_AND_CONDITIONS"); !errors.Is(err, kc.ErrNotFound) {
		t.Errorf("description of a non-configurable action: %v, want ErrNotFound", err)
	}
}
