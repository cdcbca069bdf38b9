package kctest_test

import (
	"net/http"
	"testing"
)

// TestAuthenticationBrokerAuthenticators pins that the first-broker-login
// authenticators Keycloak registers (IdpAutoLinkAuthenticatorFactory,
// IdpDetectExistingBrokerUserAuthenticatorFactory) can be added to a flow
// and are listed; an unknown provider is refused
// (AuthenticationManagementResource.addExecutionToFlow).
func TestAuthenticationBrokerAuthenticators(t *testing.T) {
	t.Parallel()
	s, tok := startAdmin(t)
	const flows = "/admin/realms/acme/authentication/flows"
	// RepresentationToModel.toModel keeps the id the representation gives.
	if res := adminDo(t, s, tok, "POST", flows, `{"id":"broker-id","alias":"broker","providerId":"basic-flow","topLevel":true}`); res.status != http.StatusCreated {
		t.Fatalf("create flow: %d %s", res.status, res.body)
	}
	if res := adminDo(t, s, tok, "GET", flows+"/broker-id", ""); res.status != http.StatusOK || res.str("alias") != "broker" {
		t.Fatalf("flow by the given id: %d %s", res.status, res.body)
	}
	for _, p := range []string{"idp-auto-link", "idp-detect-existing-broker-user"} {
		if res := adminDo(t, s, tok, "POST", flows+"/broker/executions/execution", `{"provider":"`+p+`"}`); res.status != http.StatusCreated {
			t.Errorf("add %s: %d %s", p, res.status, res.body)
		}
	}
	res := adminDo(t, s, tok, "POST", flows+"/broker/executions/execution", `{"provider":"no-such"}`)
	if res.status != http.StatusBadRequest || res.str("error") != "No authentication provider found for id: no-such" {
		t.Errorf("unknown provider: %d %s", res.status, res.body)
	}
	list := adminDo(t, s, tok, "GET", "/admin/realms/acme/authentication/authenticator-providers", "")
	var ids []string
	for _, p := range asSlice(anyJSON(list.body)) {
		ids = append(ids, p.(map[string]any)["id"].(string))
	}
	for _, want := range []string{"idp-auto-link", "idp-detect-existing-broker-user"} {
		found := false
		for _, id := range ids {
			found = found || id == want
		}
		if !found {
			t.Errorf("authenticator-providers lacks %s", want)
		}
	}
}
