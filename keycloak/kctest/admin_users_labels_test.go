package kctest_test

import (
	"net/http"
	"strings"
	"testing"
)

// TestAdminCredentialLabelWire pins UserResource.setCredentialUserLabel
// (Keycloak 26.6): a text/plain body, 204; a blank label is 400
// missingCredentialLabel; an unknown credential 404 "Credential not found".
// And UserResource.getUnmanagedAttributes: an object of lists.
func TestAdminCredentialLabelWire(t *testing.T) {
	t.Parallel()
	s, tok := startAdmin(t)
	res := adminDo(t, s, tok, "POST", "/admin/realms/acme/users",
		`{"username":"alice","enabled":true,"credentials":[{"type":"password","value":"pw","temporary":false}]}`)
	if res.status != 201 {
		t.Fatalf("create: %d %s", res.status, res.body)
	}
	u := strings.TrimPrefix(res.header.Get("Location"), s.URL)
	creds := adminDo(t, s, tok, "GET", u+"/credentials", "")
	id := strings.Split(strings.Split(string(creds.body), `"id":"`)[1], `"`)[0]
	label := func(cred, body string) result {
		return do(t, "PUT", s.URL+u+"/credentials/"+cred+"/userLabel", strings.NewReader(body),
			"Authorization", "Bearer "+tok, "Content-Type", "text/plain")
	}
	if res := label(id, "laptop"); res.status != http.StatusNoContent || len(res.body) != 0 {
		t.Errorf("set label: %d %s", res.status, res.body)
	}
	if res := adminDo(t, s, tok, "GET", u+"/credentials", ""); !strings.Contains(string(res.body), `"userLabel":"laptop"`) {
		t.Errorf("credentials after the label: %s", res.body)
	}
	if res := label(id, " "); res.status != 400 || res.str("error") != "missingCredentialLabel" || res.str("error_description") != "Credential label must not be empty" {
		t.Errorf("blank label: %d %s", res.status, res.body)
	}
	if res := label("nope", "x"); res.status != 404 || res.str("error") != "Credential not found" {
		t.Errorf("unknown credential: %d %s", res.status, res.body)
	}
	if res := adminDo(t, s, tok, "GET", u+"/unmanagedAttributes", ""); res.status != 200 || string(res.body) != "{}" {
		t.Errorf("unmanagedAttributes: %d %s", res.status, res.body)
	}
}

// TestAdminAuthenticationDescriptionsWire pins
// AuthenticationManagementResource (Keycloak 26.6): the configuration
// descriptions and the required-action config endpoints' statuses.
func TestAdminAuthenticationDescriptionsWire(t *testing.T) {
	t.Parallel()
	s, tok := startAdmin(t)
	const p = "/admin/realms/acme/authentication"
	for _, c := range []struct {
		method, path, body string
		status             int
		want               string // a part of the body
	}{
		{"GET", p + "/config-description/conditional-user-role", "", 200, `"properties":[{"name":"condUserRole","label":"User role",`},
		// Keycloak: IdentityProviderAuthenticatorFactory.getConfigProperties.
		{"GET", p + "/config-description/identity-provider-redirector", "", 200, `"properties":[{"name":"defaultProvider","label":"Default Identity Provider","helpText":"To automatically redirect to an identity provider set to the alias of the identity provider","type":"String",`},
		// Keycloak: AuthenticationManagementResource.createAuthenticatorConfig (deprecated, still served).
		{"POST", p + "/config", `{"alias":"","config":{}}`, 409, `{"errorMessage":"Failed to create authentication execution configuration with empty alias name"}`},
		{"POST", p + "/config", `{"alias":"redirect","config":{"defaultProvider":"idp"}}`, 201, ``},
		{"POST", p + "/config", `{"alias":"redirect","config":{}}`, 409, `{"errorMessage":"Authentication execution configuration redirect already exists"}`},
		{"GET", p + "/config-description/nope", "", 404, `{"error":"Could not find authenticator provider"}`},
		{"GET", p + "/per-client-config-description", "", 200, `"client-secret":[]`},
		{"GET", p + "/required-actions/CONFIGURE_TOTP/config-description", "", 200, `"name":"max_auth_age","label":"Maximum Age of Authentication"`},
		{"GET", p + "/required-actions/TERMS_AND_CONDITIONS/config-description", "", 404, `Could not find configurable RequiredAction provider`},
		{"GET", p + "/required-actions/TERMS_AND_CONDITIONS/config", "", 400, `RequiredAction is not configurable`},
		{"PUT", p + "/required-actions/nope/config", `{"config":{}}`, 400, `RequiredAction is not configurable`},
		{"PUT", p + "/required-actions/CONFIGURE_TOTP/config", `{"config":{"max_auth_age":"30"}}`, 204, ``},
		{"GET", p + "/required-actions/CONFIGURE_TOTP/config", "", 200, `{"config":{"max_auth_age":"30"}}`},
		{"DELETE", p + "/required-actions/CONFIGURE_TOTP/config", "", 204, ``},
		{"GET", p + "/required-actions/CONFIGURE_TOTP/config", "", 200, `{"config":{}}`},
	} {
		res := adminDo(t, s, tok, c.method, c.path, c.body)
		if res.status != c.status || !strings.Contains(string(res.body), c.want) {
			t.Errorf("%s %s: %d %s, want %d with %s", c.method, c.path, res.status, res.body, c.status, c.want)
		}
	}
}
