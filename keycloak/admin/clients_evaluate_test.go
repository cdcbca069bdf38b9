package admin_test

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kcgo/kc"
	"github.com/kcgo/kc/keycloak/admin"
	"github.com/kcgo/kc/keycloak/kctest"
)

// TestEvaluateScopes runs the evaluate-scopes calls against kctest's
// mappers realm (Keycloak: ClientScopeEvaluateResource): the example tokens
// come from the same mapper code as real tokens.
func TestEvaluateScopes(t *testing.T) {
	t.Parallel()
	e := setup(t, kctest.WithRealmFile("../../testdata/realms/mappers-realm.json"))
	ctx := t.Context()
	r := e.c.Realm("mappers")
	app := must[*admin.ClientApp](t)(r.Clients.GetByClientID(ctx, "mapper-app"))
	api := must[*admin.ClientApp](t)(r.Clients.GetByClientID(ctx, "api"))
	alice := "a11ce000-0000-4000-8000-000000000001"
	opts := &admin.EvaluateOptions{Scope: "openid address"}

	at := must[map[string]json.RawMessage](t)(r.Clients.ExampleAccessToken(ctx, app.ID, alice, opts))
	for k, want := range map[string]string{
		"aud":       `["api","https://api.example.com","account"]`,
		"tenant":    `{"id":42}`,
		"scope":     `"openid profile email address"`,
		"groups":    `["/staff/admins"]`,
		"sub":       `"` + alice + `"`,
		"typ":       `"Bearer"`,
		"address":   `{"country":"UK","locality":"Oxford","street_address":"1 Rabbit Hole"}`,
		"shoe_size": `42`,
	} {
		if got := string(at[k]); got != want {
			t.Errorf("example access token %s = %s, want %s", k, got, want)
		}
	}
	if _, ok := at["sid"]; !ok {
		t.Errorf("example access token has no sid: %v", at)
	}
	idt := must[map[string]json.RawMessage](t)(r.Clients.ExampleIDToken(ctx, app.ID, alice, nil))
	if string(idt["aud"]) != `["mapper-app","https://api.example.com"]` || string(idt["typ"]) != `"ID"` || idt["address"] != nil {
		t.Errorf("example ID token = %v", idt)
	}
	ui := must[map[string]json.RawMessage](t)(r.Clients.ExampleUserInfo(ctx, app.ID, alice, nil))
	if string(ui["first"]) != `"Alice"` || string(ui["sub"]) != `"`+alice+`"` || ui["cfg"] != nil {
		t.Errorf("example userinfo = %v", ui)
	}
	if _, err := r.Clients.ExampleAccessToken(ctx, app.ID, "no-such-user", nil); !errors.Is(err, kc.ErrNotFound) {
		t.Errorf("unknown user: %v", err)
	}
	if _, err := r.Clients.ExampleAccessToken(ctx, app.ID, "", nil); err == nil {
		t.Error("empty userID sent")
	}

	ms := must[[]admin.MapperEvaluation](t)(r.Clients.EvaluateProtocolMappers(ctx, app.ID, opts))
	types := map[string]int{}
	for _, m := range ms {
		types[m.ContainerType+"/"+m.ContainerName]++
	}
	want := map[string]int{"client/": 20, "client-scope/profile": 14, "client-scope/email": 2, "client-scope/roles": 3,
		"client-scope/web-origins": 1, "client-scope/acr": 1, "client-scope/basic": 2, "client-scope/address": 1}
	if diff := cmp.Diff(want, types); diff != "" {
		t.Errorf("evaluated mappers (-want +got):\n%s", diff)
	}

	names := func(roles []admin.Role) []string {
		var out []string
		for _, ro := range roles {
			out = append(out, ro.Name)
		}
		return out
	}
	granted := must[[]admin.Role](t)(r.Clients.EvaluateGrantedRoles(ctx, app.ID, api.ID, nil))
	if diff := cmp.Diff([]string{"read", "write"}, names(granted)); diff != "" {
		t.Errorf("granted api roles (-want +got):\n%s", diff)
	}
	// account-console has no full scope: only the roles mapped to it.
	ac := must[*admin.ClientApp](t)(r.Clients.GetByClientID(ctx, "account-console"))
	acct := must[*admin.ClientApp](t)(r.Clients.GetByClientID(ctx, "account"))
	notGranted := must[[]admin.Role](t)(r.Clients.EvaluateNotGrantedRoles(ctx, ac.ID, acct.ID, nil))
	for _, n := range names(notGranted) {
		if n == "manage-account" {
			t.Errorf("not granted to account-console: %v", names(notGranted))
		}
	}
	if len(notGranted) == 0 {
		t.Error("account-console is granted every account role")
	}
	if _, err := r.Clients.EvaluateGrantedRoles(ctx, app.ID, "nope", nil); !errors.Is(err, kc.ErrNotFound) {
		t.Errorf("unknown container: %v", err)
	}
}
