package admin_test

import (
	"errors"
	"net/http"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kcgo/kc"
	"github.com/kcgo/kc/keycloak/admin"
)

func TestAuthenticationFreshRealm(t *testing.T) {
	t.Parallel()
	e := setup(t)
	ctx := t.Context()
	auth := e.realm.Authentication

	flows := must[[]admin.AuthenticationFlow](t)(auth.Flows(ctx))
	want := []string{"browser", "clients", "direct grant", "docker auth", "first broker login", "registration", "reset credentials"}
	if diff := cmp.Diff(want, names(flows, func(f admin.AuthenticationFlow) string { return f.Alias })); diff != "" {
		t.Errorf("top-level flows (-want +got):\n%s", diff)
	}
	browser := must[*admin.AuthenticationFlow](t)(auth.FlowByAlias(ctx, "browser"))
	if !browser.BuiltIn || browser.TopLevel == nil || !*browser.TopLevel || browser.ProviderID != "basic-flow" || len(browser.AuthenticationExecutions) != 5 {
		t.Errorf("browser = %+v", browser)
	}
	if got := must[*admin.AuthenticationFlow](t)(auth.Flow(ctx, browser.ID)); got.Alias != "browser" {
		t.Errorf("Flow = %+v", got)
	}
	if _, err := auth.FlowByAlias(ctx, "saml ecp"); !errors.Is(err, kc.ErrNotFound) {
		t.Errorf("saml ecp is not listed: %v", err)
	}

	execs := must[[]admin.AuthenticationExecutionInfo](t)(auth.Executions(ctx, "browser"))
	type step struct {
		Name        string
		Level       int
		Requirement string
	}
	var steps []step
	for _, x := range execs {
		steps = append(steps, step{x.DisplayName, x.Level, x.Requirement})
	}
	wantSteps := []step{
		{"Cookie", 0, "ALTERNATIVE"},
		{"Kerberos", 0, "DISABLED"},
		{"Identity Provider Redirector", 0, "ALTERNATIVE"},
		{"Organization", 0, "ALTERNATIVE"},
		{"Browser - Conditional Organization", 1, "CONDITIONAL"},
		{"Condition - user configured", 2, "REQUIRED"},
		{"Organization Identity-First Login", 2, "ALTERNATIVE"},
		{"forms", 0, "ALTERNATIVE"},
		{"Username Password Form", 1, "REQUIRED"},
		{"Browser - Conditional OTP", 1, "CONDITIONAL"},
		{"Condition - user configured", 2, "REQUIRED"},
		{"OTP Form", 2, "REQUIRED"},
	}
	if diff := cmp.Diff(wantSteps, steps); diff != "" {
		t.Errorf("browser executions (-want +got):\n%s", diff)
	}
	if _, err := auth.Executions(ctx, "nope"); !errors.Is(err, kc.ErrNotFound) {
		t.Errorf("executions of a missing flow = %v", err)
	}
	// Built-in flows are read-only.
	var apiErr *kc.APIError
	if err := auth.DeleteFlow(ctx, browser.ID); !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusBadRequest {
		t.Errorf("delete built-in = %v", err)
	}
	if _, err := auth.AddExecution(ctx, "browser", "auth-otp-form"); !errors.Is(err, kc.ErrBadRequest) {
		t.Errorf("add to built-in = %v", err)
	}

	for _, tt := range []struct {
		name string
		call func() ([]admin.AuthenticatorProvider, error)
		has  string
	}{
		{"authenticators", func() ([]admin.AuthenticatorProvider, error) { return auth.AuthenticatorProviders(ctx) }, "auth-username-password-form"},
		{"client authenticators", func() ([]admin.AuthenticatorProvider, error) { return auth.ClientAuthenticatorProviders(ctx) }, "client-jwt"},
		{"forms", func() ([]admin.AuthenticatorProvider, error) { return auth.FormProviders(ctx) }, "registration-page-form"},
		{"form actions", func() ([]admin.AuthenticatorProvider, error) { return auth.FormActionProviders(ctx) }, "registration-user-creation"},
	} {
		ps := must[[]admin.AuthenticatorProvider](t)(tt.call())
		if !slices.ContainsFunc(ps, func(p admin.AuthenticatorProvider) bool { return p.ID == tt.has && p.DisplayName != "" }) {
			t.Errorf("%s: %s missing from %v", tt.name, tt.has, ps)
		}
	}
}

func TestAuthenticationFlowLifecycle(t *testing.T) {
	t.Parallel()
	e := setup(t)
	ctx := t.Context()
	auth := e.realm.Authentication

	id := must[string](t)(auth.CreateFlow(ctx, &admin.AuthenticationFlow{Alias: "step-up", Description: "Step-up login", ProviderID: "basic-flow", TopLevel: kc.Ptr(true)}))
	var ae *kc.APIError
	_, err := auth.CreateFlow(ctx, &admin.AuthenticationFlow{Alias: "step-up"})
	if !errors.Is(err, kc.ErrConflict) || !errors.As(err, &ae) || ae.ErrorMessage != "Flow step-up already exists" {
		t.Errorf("duplicate alias = %v", err)
	}
	f := must[*admin.AuthenticationFlow](t)(auth.Flow(ctx, id))
	if f.Alias != "step-up" || f.BuiltIn || len(f.AuthenticationExecutions) != 0 {
		t.Errorf("Flow = %+v", f)
	}

	cookie := must[string](t)(auth.AddExecution(ctx, "step-up", "auth-cookie"))
	pw := must[string](t)(auth.AddExecution(ctx, "step-up", "auth-username-password-form"))
	if _, err := auth.AddExecution(ctx, "step-up", "no-such-authenticator"); !errors.Is(err, kc.ErrBadRequest) {
		t.Errorf("unknown provider = %v", err)
	}
	subID := must[string](t)(auth.AddSubFlow(ctx, "step-up", &admin.SubFlow{Alias: "second factor", Description: "OTP"}))
	if _, err := auth.AddSubFlow(ctx, "step-up", &admin.SubFlow{Alias: "forms"}); !errors.Is(err, kc.ErrConflict) {
		t.Errorf("sub-flow with a used alias = %v", err)
	}
	otp := must[string](t)(auth.AddExecution(ctx, "second factor", "auth-otp-form"))
	if sub := must[*admin.AuthenticationFlow](t)(auth.Flow(ctx, subID)); sub.Alias != "second factor" || sub.TopLevel != nil && *sub.TopLevel {
		t.Errorf("sub-flow = %+v", sub)
	}

	x := must[*admin.AuthenticationExecution](t)(auth.Execution(ctx, pw))
	if x.Authenticator != "auth-username-password-form" || x.ParentFlow != id || x.Requirement != "DISABLED" {
		t.Errorf("Execution = %+v", x)
	}
	if _, err := auth.Execution(ctx, "nope"); !errors.Is(err, kc.ErrNotFound) {
		t.Errorf("missing execution = %v", err)
	}

	order := func() []string {
		var out []string
		for _, x := range must[[]admin.AuthenticationExecutionInfo](t)(auth.Executions(ctx, "step-up")) {
			out = append(out, x.ID+"/"+x.Requirement)
		}
		return out
	}
	if diff := cmp.Diff([]string{cookie + "/DISABLED", pw + "/DISABLED", "sub/DISABLED", otp + "/DISABLED"}, replaceSub(order(), subID, t, auth)); diff != "" {
		t.Errorf("executions (-want +got):\n%s", diff)
	}

	infos := must[[]admin.AuthenticationExecutionInfo](t)(auth.Executions(ctx, "step-up"))
	infos[1].Requirement = "REQUIRED"
	check(t, auth.UpdateExecution(ctx, "step-up", &infos[1]))
	check(t, auth.RaiseExecutionPriority(ctx, pw))
	check(t, auth.RaiseExecutionPriority(ctx, pw))  // already first: no change
	check(t, auth.LowerExecutionPriority(ctx, otp)) // last of its flow: no change
	got := order()
	if got[0] != pw+"/REQUIRED" || got[1] != cookie+"/DISABLED" {
		t.Errorf("after raise = %v", got)
	}
	check(t, auth.LowerExecutionPriority(ctx, pw))
	if got := order(); got[0] != cookie+"/DISABLED" || got[1] != pw+"/REQUIRED" {
		t.Errorf("after lower = %v", got)
	}
	// The same requirement on a sub-flow renames it.
	infos = must[[]admin.AuthenticationExecutionInfo](t)(auth.Executions(ctx, "step-up"))
	subInfo := infos[2]
	if !subInfo.AuthenticationFlow || subInfo.FlowID != subID {
		t.Fatalf("third execution = %+v", subInfo)
	}
	subInfo.DisplayName = "2FA"
	check(t, auth.UpdateExecution(ctx, "step-up", &subInfo))
	if sub := must[*admin.AuthenticationFlow](t)(auth.Flow(ctx, subID)); sub.Alias != "2FA" {
		t.Errorf("renamed sub-flow = %+v", sub)
	}

	// Copy: sub-flows are renamed after the copy.
	check(t, auth.CopyFlow(ctx, "step-up", "step-up copy"))
	if err := auth.CopyFlow(ctx, "step-up", "browser"); !errors.Is(err, kc.ErrConflict) {
		t.Errorf("copy onto an existing alias = %v", err)
	}
	if err := auth.CopyFlow(ctx, "nope", "x"); !errors.Is(err, kc.ErrNotFound) {
		t.Errorf("copy of a missing flow = %v", err)
	}
	if cp := must[*admin.AuthenticationFlow](t)(auth.FlowByAlias(ctx, "step-up copy")); cp.ID == id || cp.BuiltIn {
		t.Errorf("copy = %+v", cp)
	}
	cpInfos := must[[]admin.AuthenticationExecutionInfo](t)(auth.Executions(ctx, "step-up copy"))
	if len(cpInfos) != 4 || cpInfos[2].DisplayName != "step-up copy 2FA" || cpInfos[1].Requirement != "REQUIRED" || cpInfos[1].ID == pw {
		t.Errorf("copy executions = %+v", cpInfos)
	}

	f.Alias, f.Description = "step-up-v2", "Second version"
	check(t, auth.UpdateFlow(ctx, id, f))
	if got := must[*admin.AuthenticationFlow](t)(auth.Flow(ctx, id)); got.Alias != "step-up-v2" || got.Description != "Second version" {
		t.Errorf("after UpdateFlow = %+v", got)
	}
	if err := auth.UpdateFlow(ctx, id, &admin.AuthenticationFlow{Alias: "browser"}); !errors.Is(err, kc.ErrConflict) {
		t.Errorf("rename onto browser = %v", err)
	}

	check(t, auth.DeleteExecution(ctx, infos[2].ID)) // the sub-flow goes with it
	if _, err := auth.Flow(ctx, subID); !errors.Is(err, kc.ErrNotFound) {
		t.Errorf("sub-flow after its execution's delete = %v", err)
	}
	if _, err := auth.Execution(ctx, otp); !errors.Is(err, kc.ErrNotFound) {
		t.Errorf("sub-flow's execution after delete = %v", err)
	}
	check(t, auth.DeleteFlow(ctx, id))
	if _, err := auth.Flow(ctx, id); !errors.Is(err, kc.ErrNotFound) {
		t.Errorf("flow after delete = %v", err)
	}
	if err := auth.DeleteFlow(ctx, id); !errors.Is(err, kc.ErrNotFound) {
		t.Errorf("delete twice = %v", err)
	}
}

// replaceSub writes "sub" for the execution that runs sub-flow subID.
func replaceSub(order []string, subID string, t *testing.T, auth *admin.AuthenticationService) []string {
	t.Helper()
	infos := must[[]admin.AuthenticationExecutionInfo](t)(auth.Executions(t.Context(), "step-up"))
	out := slices.Clone(order)
	for i, x := range infos {
		if x.FlowID == subID {
			out[i] = "sub/" + x.Requirement
		}
	}
	return out
}

func TestRequiredActions(t *testing.T) {
	t.Parallel()
	e := setup(t)
	ctx := t.Context()
	auth := e.realm.Authentication

	list := must[[]admin.RequiredAction](t)(auth.RequiredActions(ctx))
	aliases := func(as []admin.RequiredAction) []string {
		var out []string
		for _, a := range as {
			out = append(out, a.Alias)
		}
		return out
	}
	want := []string{"CONFIGURE_TOTP", "TERMS_AND_CONDITIONS", "UPDATE_PASSWORD", "UPDATE_PROFILE", "VERIFY_EMAIL", "delete_account",
		"CONFIGURE_RECOVERY_AUTHN_CODES", "UPDATE_EMAIL", "webauthn-register", "webauthn-register-passwordless", "VERIFY_PROFILE",
		"delete_credential", "update_user_locale"}
	if diff := cmp.Diff(want, aliases(list)); diff != "" {
		t.Errorf("required actions (-want +got):\n%s", diff)
	}
	terms := must[*admin.RequiredAction](t)(auth.RequiredAction(ctx, "TERMS_AND_CONDITIONS"))
	if terms.Name != "Terms and Conditions" || terms.Enabled == nil || *terms.Enabled || terms.Priority != 20 {
		t.Errorf("TERMS_AND_CONDITIONS = %+v", terms)
	}
	if _, err := auth.RequiredAction(ctx, "nope"); !errors.Is(err, kc.ErrNotFound) {
		t.Errorf("missing action = %v", err)
	}

	terms.Enabled, terms.DefaultAction = kc.Ptr(true), kc.Ptr(true)
	check(t, auth.UpdateRequiredAction(ctx, "TERMS_AND_CONDITIONS", terms))
	if got := must[*admin.RequiredAction](t)(auth.RequiredAction(ctx, "TERMS_AND_CONDITIONS")); !*got.Enabled || !*got.DefaultAction || got.Priority != 20 || got.Name != "Terms and Conditions" {
		t.Errorf("after update = %+v", got)
	}

	check(t, auth.RaiseRequiredActionPriority(ctx, "TERMS_AND_CONDITIONS"))
	check(t, auth.LowerRequiredActionPriority(ctx, "UPDATE_PASSWORD"))
	got := aliases(must[[]admin.RequiredAction](t)(auth.RequiredActions(ctx)))
	if diff := cmp.Diff([]string{"TERMS_AND_CONDITIONS", "CONFIGURE_TOTP", "UPDATE_PROFILE", "UPDATE_PASSWORD"}, got[:4]); diff != "" {
		t.Errorf("after raise and lower (-want +got):\n%s", diff)
	}

	if un := must[[]admin.UnregisteredRequiredAction](t)(auth.UnregisteredRequiredActions(ctx)); len(un) != 0 {
		t.Errorf("a fresh realm has unregistered actions: %v", un)
	}
	check(t, auth.DeleteRequiredAction(ctx, "delete_account"))
	un := must[[]admin.UnregisteredRequiredAction](t)(auth.UnregisteredRequiredActions(ctx))
	if diff := cmp.Diff([]admin.UnregisteredRequiredAction{{ProviderID: "delete_account", Name: "Delete Account"}}, un); diff != "" {
		t.Errorf("unregistered (-want +got):\n%s", diff)
	}
	check(t, auth.RegisterRequiredAction(ctx, &un[0]))
	again := must[*admin.RequiredAction](t)(auth.RequiredAction(ctx, "delete_account"))
	if !*again.Enabled || again.Priority != 1001 || again.Name != "Delete Account" {
		t.Errorf("registered again = %+v", again)
	}
	if err := auth.RegisterRequiredAction(ctx, &admin.UnregisteredRequiredAction{ProviderID: "nope"}); !errors.Is(err, kc.ErrBadRequest) {
		t.Errorf("unknown provider = %v", err)
	}
	if err := auth.DeleteRequiredAction(ctx, "nope"); !errors.Is(err, kc.ErrNotFound) {
		t.Errorf("delete missing = %v", err)
	}
}

func TestAuthenticationBadInputSendsNothing(t *testing.T) {
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
		{"empty realm", func() error { _, err := c.Realm("").Authentication.Flows(ctx); return err }, "admin: realm is empty"},
		{"flow", func() error { _, err := auth.Flow(ctx, ""); return err }, "admin: flowID is empty"},
		{"flow by alias", func() error { _, err := auth.FlowByAlias(ctx, ""); return err }, "admin: alias is empty"},
		{"create nil", func() error { _, err := auth.CreateFlow(ctx, nil); return err }, "admin: flow is nil"},
		{"create no alias", func() error { _, err := auth.CreateFlow(ctx, &admin.AuthenticationFlow{}); return err }, "admin: flow alias is empty"},
		{"update", func() error { return auth.UpdateFlow(ctx, "", &admin.AuthenticationFlow{}) }, "admin: flowID is empty"},
		{"delete", func() error { return auth.DeleteFlow(ctx, " ") }, "admin: flowID is empty"},
		{"copy", func() error { return auth.CopyFlow(ctx, "browser", "") }, "admin: newAlias is empty"},
		{"executions", func() error { _, err := auth.Executions(ctx, ""); return err }, "admin: flowAlias is empty"},
		{"update execution", func() error { return auth.UpdateExecution(ctx, "f", &admin.AuthenticationExecutionInfo{}) }, "admin: execution ID is empty"},
		{"add execution", func() error { _, err := auth.AddExecution(ctx, "f", ""); return err }, "admin: provider is empty"},
		{"add sub-flow", func() error { _, err := auth.AddSubFlow(ctx, "f", &admin.SubFlow{}); return err }, "admin: sub-flow alias is empty"},
		{"execution", func() error { _, err := auth.Execution(ctx, ""); return err }, "admin: executionID is empty"},
		{"raise", func() error { return auth.RaiseExecutionPriority(ctx, "") }, "admin: executionID is empty"},
		{"required action", func() error { _, err := auth.RequiredAction(ctx, ""); return err }, "admin: alias is empty"},
		{"update required action", func() error { return auth.UpdateRequiredAction(ctx, "a", nil) }, "admin: required action is nil"},
		{"lower required action", func() error { return auth.LowerRequiredActionPriority(ctx, "") }, "admin: alias is empty"},
		{"register", func() error { return auth.RegisterRequiredAction(ctx, &admin.UnregisteredRequiredAction{}) }, "admin: providerID is empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if err := tt.call(); err == nil || err.Error() != tt.want {
				t.Errorf("error = %v, want %q", err, tt.want)
			}
		})
	}
}
