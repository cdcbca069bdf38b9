package admin_test

import (
	"errors"
	"net/http"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kcgo/kc"
	"github.com/kcgo/kc/keycloak/admin"
)

func TestAuthenticatorConfigs(t *testing.T) {
	t.Parallel()
	e := setup(t)
	ctx := t.Context()
	auth := e.realm.Authentication

	flowID := must[string](t)(auth.CreateFlow(ctx, &admin.AuthenticationFlow{Alias: "admins only"}))
	cond := must[string](t)(auth.AddExecutionTo(ctx, &admin.AuthenticationExecution{ParentFlow: flowID, Authenticator: "conditional-user-role", Requirement: "REQUIRED"}))
	deny := must[string](t)(auth.AddExecutionTo(ctx, &admin.AuthenticationExecution{ParentFlow: flowID, Authenticator: "deny-access-authenticator"}))
	if _, err := auth.AddExecutionTo(ctx, &admin.AuthenticationExecution{ParentFlow: "nope", Authenticator: "auth-cookie"}); !errors.Is(err, kc.ErrBadRequest) {
		t.Errorf("missing parent = %v", err)
	}
	if x := must[*admin.AuthenticationExecution](t)(auth.Execution(ctx, cond)); x.Requirement != "REQUIRED" || x.ParentFlow != flowID {
		t.Errorf("Execution = %+v", x)
	}

	cfgID := must[string](t)(auth.CreateExecutionConfig(ctx, cond, &admin.AuthenticatorConfig{Alias: "is-admin", Config: map[string]string{"condUserRole": "admin", "negate": "true"}}))
	if _, err := auth.CreateExecutionConfig(ctx, "nope", &admin.AuthenticatorConfig{Alias: "x"}); !errors.Is(err, kc.ErrNotFound) {
		t.Errorf("config of a missing execution = %v", err)
	}
	want := &admin.AuthenticatorConfig{ID: cfgID, Alias: "is-admin", Config: map[string]string{"condUserRole": "admin", "negate": "true"}}
	if diff := cmp.Diff(want, must[*admin.AuthenticatorConfig](t)(auth.AuthenticatorConfig(ctx, cfgID))); diff != "" {
		t.Errorf("AuthenticatorConfig (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(want, must[*admin.AuthenticatorConfig](t)(auth.ExecutionConfig(ctx, cond, cfgID))); diff != "" {
		t.Errorf("ExecutionConfig (-want +got):\n%s", diff)
	}
	infos := must[[]admin.AuthenticationExecutionInfo](t)(auth.Executions(ctx, "admins only"))
	if len(infos) != 2 || infos[0].ID != cond || infos[0].AuthenticationConfig != cfgID || infos[0].Alias != "is-admin" || infos[1].ID != deny {
		t.Errorf("executions = %+v", infos)
	}
	if x := must[*admin.AuthenticationExecution](t)(auth.Execution(ctx, cond)); x.AuthenticatorConfig != cfgID {
		t.Errorf("execution's config = %q", x.AuthenticatorConfig)
	}

	want.Config["negate"] = "false"
	check(t, auth.UpdateAuthenticatorConfig(ctx, cfgID, want))
	if got := must[*admin.AuthenticatorConfig](t)(auth.AuthenticatorConfig(ctx, cfgID)); got.Config["negate"] != "false" {
		t.Errorf("after update = %+v", got)
	}

	// A copy gets its own configuration, named after the copy.
	check(t, auth.CopyFlow(ctx, "admins only", "admins only v2"))
	cp := must[[]admin.AuthenticationExecutionInfo](t)(auth.Executions(ctx, "admins only v2"))
	if len(cp) != 2 || cp[0].AuthenticationConfig == cfgID || cp[0].Alias != "admins only v2 is-admin" {
		t.Errorf("copied executions = %+v", cp)
	}

	check(t, auth.DeleteAuthenticatorConfig(ctx, cfgID))
	if _, err := auth.AuthenticatorConfig(ctx, cfgID); !errors.Is(err, kc.ErrNotFound) {
		t.Errorf("after delete = %v", err)
	}
	if x := must[*admin.AuthenticationExecution](t)(auth.Execution(ctx, cond)); x.AuthenticatorConfig != "" {
		t.Errorf("execution keeps a deleted config: %q", x.AuthenticatorConfig)
	}
}

func TestAuthenticatorConfigBadInput(t *testing.T) {
	t.Parallel()
	c := setupWire(t, func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("unexpected request %s %s", r.Method, r.URL)
	})
	ctx := t.Context()
	auth := c.Realm("r").Authentication
	tests := []struct {
		name string
		call func() error
		want string
	}{
		{"add execution no parent", func() error { _, err := auth.AddExecutionTo(ctx, &admin.AuthenticationExecution{}); return err }, "admin: parent flow is empty"},
		{"config no alias", func() error { _, err := auth.CreateExecutionConfig(ctx, "x", &admin.AuthenticatorConfig{}); return err }, "admin: config alias is empty"},
		{"config nil", func() error { _, err := auth.CreateExecutionConfig(ctx, "x", nil); return err }, "admin: config is nil"},
		{"execution config", func() error { _, err := auth.ExecutionConfig(ctx, "x", ""); return err }, "admin: configID is empty"},
		{"config get", func() error { _, err := auth.AuthenticatorConfig(ctx, ""); return err }, "admin: configID is empty"},
		{"config update", func() error { return auth.UpdateAuthenticatorConfig(ctx, "c", nil) }, "admin: config is nil"},
		{"config delete", func() error { return auth.DeleteAuthenticatorConfig(ctx, "") }, "admin: configID is empty"},
	}
	for _, tt := range tests {
		if err := tt.call(); err == nil || err.Error() != tt.want {
			t.Errorf("%s: error = %v, want %q", tt.name, err, tt.want)
		}
	}
}
