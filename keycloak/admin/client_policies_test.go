package admin_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kcgo/kc"
	"github.com/kcgo/kc/keycloak/admin"
)

// TestClientPoliciesAndProfiles follows ClientPoliciesResource and
// ClientProfilesResource: the realm's lists round-trip, the global ones
// come only with include-global-*, and the realm representation shows the
// same lists (RealmRepresentation.clientPolicies / clientProfiles).
func TestClientPoliciesAndProfiles(t *testing.T) {
	t.Parallel()
	e := setup(t)
	ctx := t.Context()
	cp := e.realm.ClientPolicies
	pol := must[*admin.ClientPolicies](t)(cp.Policies(ctx, false))
	if len(pol.Policies) != 0 || pol.GlobalPolicies != nil {
		t.Errorf("policies of a new realm = %+v", pol)
	}
	prof := must[*admin.ClientProfiles](t)(cp.Profiles(ctx, true))
	var global []string
	for _, p := range prof.GlobalProfiles {
		global = append(global, p.Name)
	}
	if len(prof.Profiles) != 0 || !strings.Contains(strings.Join(global, ","), "fapi-1-baseline") {
		t.Errorf("profiles with globals = %+v", global)
	}
	if p := must[*admin.ClientProfiles](t)(cp.Profiles(ctx, false)); p.GlobalProfiles != nil {
		t.Errorf("global profiles without include-global-profiles: %d", len(p.GlobalProfiles))
	}
	profiles := []admin.ClientProfile{{Name: "strict", Description: "PKCE", Executors: []admin.ClientProfileExecutor{
		{Executor: "pkce-enforcer", Configuration: json.RawMessage(`{"auto-configure":true}`)}}}}
	check(t, cp.UpdateProfiles(ctx, &admin.ClientProfiles{Profiles: profiles}))
	policies := []admin.ClientPolicy{{Name: "all", Enabled: true, Profiles: []string{"strict"},
		Conditions: []admin.ClientPolicyCondition{{Condition: "any-client", Configuration: json.RawMessage(`{}`)}}}}
	check(t, cp.UpdatePolicies(ctx, &admin.ClientPolicies{Policies: policies}))
	if diff := cmp.Diff(profiles, must[*admin.ClientProfiles](t)(cp.Profiles(ctx, false)).Profiles); diff != "" {
		t.Errorf("profiles (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(policies, must[*admin.ClientPolicies](t)(cp.Policies(ctx, false)).Policies); diff != "" {
		t.Errorf("policies (-want +got):\n%s", diff)
	}
	r := must[*admin.Realm](t)(e.c.Realms.Get(ctx, "acme"))
	if !bytes.Contains(r.Extra["clientPolicies"], []byte(`"name":"all"`)) || !bytes.Contains(r.Extra["clientProfiles"], []byte(`"name":"strict"`)) {
		t.Errorf("realm representation: clientPolicies %s, clientProfiles %s", r.Extra["clientPolicies"], r.Extra["clientProfiles"])
	}
	// Two policies of one name: 400.
	err := cp.UpdatePolicies(ctx, &admin.ClientPolicies{Policies: append(policies, policies...)})
	if !errors.Is(err, kc.ErrBadRequest) {
		t.Errorf("duplicate policy names: %v, want ErrBadRequest", err)
	}
	if err := cp.UpdatePolicies(ctx, nil); err == nil || !strings.Contains(err.Error(), "policies") {
		t.Errorf("nil policies: %v", err)
	}
}

// TestClientTypes follows ClientTypesResource: the global types sla and
// service-account, the realm's own, and no override of a global type.
func TestClientTypes(t *testing.T) {
	t.Parallel()
	e := setup(t)
	ctx := t.Context()
	cp := e.realm.ClientPolicies
	ct := must[*admin.ClientTypes](t)(cp.ClientTypes(ctx))
	if len(ct.ClientTypes) != 0 || len(ct.GlobalClientTypes) != 2 || ct.GlobalClientTypes[1].Name != "service-account" {
		t.Errorf("client types of a new realm = %+v", ct)
	}
	// Keycloak 26's ClientTypeRepresentation.PropertyConfig has applicable
	// and value; other members are refused.
	mine := []admin.ClientType{{Name: "internal", Provider: "default", Parent: "sla",
		Config: map[string]json.RawMessage{"consentRequired": json.RawMessage(`{"applicable":true,"value":false}`)}}}
	check(t, cp.UpdateClientTypes(ctx, &admin.ClientTypes{ClientTypes: mine}))
	if diff := cmp.Diff(mine, must[*admin.ClientTypes](t)(cp.ClientTypes(ctx)).ClientTypes); diff != "" {
		t.Errorf("client types (-want +got):\n%s", diff)
	}
	err := cp.UpdateClientTypes(ctx, &admin.ClientTypes{ClientTypes: []admin.ClientType{{Name: "sla", Provider: "default"}}})
	if !errors.Is(err, kc.ErrBadRequest) {
		t.Errorf("override of a global type: %v, want ErrBadRequest", err)
	}
}

// TestInitialAccessTokens follows ClientInitialAccessResource: 201 with
// the token once, a list without tokens, count defaulting to 1, negative
// values refused, delete; the token never prints.
func TestInitialAccessTokens(t *testing.T) {
	t.Parallel()
	e := setup(t)
	ctx := t.Context()
	reg := e.realm.ClientRegistration
	ia := must[*admin.InitialAccess](t)(reg.CreateInitialAccess(ctx, 3600, 0))
	if ia.ID == "" || ia.Token == "" || ia.Count != 1 || ia.RemainingCount != 1 || ia.Expiration != 3600 || ia.Timestamp == 0 {
		t.Errorf("created = %+v (token set: %v)", ia, ia.Token != "")
	}
	if claims := claimsOf(t, ia.Token); claims["typ"] != "InitialAccessToken" || claims["jti"] != ia.ID {
		t.Errorf("token claims = %v", claims)
	}
	list := must[[]admin.InitialAccess](t)(reg.InitialAccessTokens(ctx))
	if len(list) != 1 || list[0].ID != ia.ID || list[0].Token != "" {
		t.Errorf("list = %+v", list)
	}
	if _, err := reg.CreateInitialAccess(ctx, -1, 0); !errors.Is(err, kc.ErrBadRequest) {
		t.Errorf("negative expiration: %v", err)
	}
	var buf bytes.Buffer
	log := slog.New(slog.NewTextHandler(&buf, nil))
	log.Info("x", "ia", *ia, "p", ia)
	for _, s := range []string{fmt.Sprintf("%v %+v %#v %s", *ia, ia, []admin.InitialAccess{*ia}, struct{ A admin.InitialAccess }{*ia}), buf.String()} {
		if strings.Contains(s, ia.Token) {
			t.Errorf("the token prints: %s", s)
		}
	}
	check(t, reg.DeleteInitialAccess(ctx, ia.ID))
	if list := must[[]admin.InitialAccess](t)(reg.InitialAccessTokens(ctx)); len(list) != 0 {
		t.Errorf("after delete: %+v", list)
	}
	providers := must[[]admin.ComponentType](t)(reg.PolicyProviders(ctx))
	if len(providers) < 6 || providers[0].ID == "" {
		t.Errorf("policy providers = %+v", providers)
	}
}

// TestConvertClientDescription follows OIDCClientDescriptionConverter:
// RFC 7591 metadata in, a client representation out, nothing created.
func TestConvertClientDescription(t *testing.T) {
	t.Parallel()
	e := setup(t)
	ctx := t.Context()
	c := must[*admin.ClientApp](t)(e.realm.ClientRegistration.ConvertDescription(ctx, []byte(`{
		"client_id":"shop","client_name":"Shop","redirect_uris":["https://shop.example/cb"],
		"token_endpoint_auth_method":"private_key_jwt","grant_types":["authorization_code","client_credentials"],
		"jwks_uri":"https://shop.example/jwks"}`)))
	if c.ClientID != "shop" || c.Name == nil || *c.Name != "Shop" || c.ClientAuthenticatorType != "client-jwt" ||
		c.ServiceAccountsEnabled == nil || !*c.ServiceAccountsEnabled || c.DirectAccessGrantsEnabled == nil || *c.DirectAccessGrantsEnabled ||
		c.Attributes["jwks.url"] != "https://shop.example/jwks" {
		t.Errorf("converted = %+v", c)
	}
	if list := must[[]admin.ClientApp](t)(e.realm.Clients.List(ctx, &admin.ClientListOptions{ClientID: "shop"})); len(list) != 0 {
		t.Errorf("the converter created a client")
	}
	if _, err := e.realm.ClientRegistration.ConvertDescription(ctx, []byte("<xml/>")); !errors.Is(err, kc.ErrBadRequest) {
		t.Errorf("unsupported format: %v", err)
	}
}
