package kctest_test

import (
	"net/http"
	"strings"
	"testing"
)

// TestNotFoundBodiesMatchKeycloak pins the body of every family of 404
// that kctest answers. Keycloak's KeycloakErrorHandler.getResponse turns a
// NotFoundException into OAuth2ErrorRepresentation {"error": message}
// (getErrorCode: the exception's message; no error_description for a 4xx
// that is not a model, duplicate, JSON or validation error), so a bare
// `throw new NotFoundException()` answers {"error":"HTTP 404 Not Found"};
// the authorization services' admin resources answer
// Response.status(NOT_FOUND).build(), with no body at all.
func TestNotFoundBodiesMatchKeycloak(t *testing.T) {
	t.Parallel()
	s, tok := startAdmin(t)
	const realm = "/admin/realms/acme"
	uid := createdID(t, adminDo(t, s, tok, "POST", realm+"/users", `{"username":"una"}`))
	plain := createdID(t, adminDo(t, s, tok, "POST", realm+"/clients", `{"clientId":"plain"}`))
	rs := createdID(t, adminDo(t, s, tok, "POST", realm+"/clients", `{"clientId":"rs","publicClient":false,"serviceAccountsEnabled":true,"authorizationServicesEnabled":true}`))
	gid := createdID(t, adminDo(t, s, tok, "POST", realm+"/groups", `{"name":"team"}`))
	authz := realm + "/clients/" + rs + "/authz/resource-server"
	msg := func(m string) string { return `{"error":"` + m + `"}` }
	const bare = `{"error":"HTTP 404 Not Found"}`
	const empty = ""
	for _, tc := range []struct {
		name, method, path, body string
		want                     string
	}{
		// Keycloak: RealmsAdminResource.getRealmAdmin: NotFoundException("Realm not found.").
		{"realm", "GET", "/admin/realms/nope", "", msg("Realm not found.")},
		{"realm sub-resource", "GET", "/admin/realms/nope/users", "", msg("Realm not found.")},
		// Keycloak: UsersResource.user: NotFoundException("User not found").
		{"user", "GET", realm + "/users/nope", "", msg("User not found")},
		{"user role mappings", "GET", realm + "/users/nope/role-mappings", "", msg("User not found")},
		// Keycloak: UserResource.removeCredential: NotFoundException("Credential not found").
		{"credential", "DELETE", realm + "/users/" + uid + "/credentials/nope", "", msg("Credential not found")},
		// Keycloak: ClientsResource.getClient: NotFoundException("Could not find client").
		{"client", "GET", realm + "/clients/nope", "", msg("Could not find client")},
		{"client roles of a missing client", "GET", realm + "/clients/nope/roles", "", msg("Could not find client")},
		// Keycloak: RoleContainerResource.getRole: NotFoundException("Could not find role").
		{"realm role", "GET", realm + "/roles/nope", "", msg("Could not find role")},
		{"client role", "GET", realm + "/clients/" + plain + "/roles/nope", "", msg("Could not find role")},
		// Keycloak: RoleByIdResource.getRoleModel: NotFoundException("Could not find role with id").
		{"role by id", "GET", realm + "/roles-by-id/nope", "", msg("Could not find role with id")},
		// Keycloak: GroupsResource.getGroupById: NotFoundException("Could not find group by id").
		{"group", "GET", realm + "/groups/nope", "", msg("Could not find group by id")},
		{"group role mappings", "GET", realm + "/groups/nope/role-mappings", "", msg("Could not find group by id")},
		// Keycloak: ClientScopesResource.getClientScope: NotFoundException("Could not find client scope").
		{"client scope", "GET", realm + "/client-scopes/nope", "", msg("Could not find client scope")},
		// Keycloak: ComponentResource.getComponent: NotFoundException("Could not find component").
		{"component", "GET", realm + "/components/nope", "", msg("Could not find component")},
		// Keycloak: IdentityProvidersResource.getIdentityProvider hands a
		// null model to IdentityProviderResource, which throws a bare
		// NotFoundException.
		{"identity provider", "GET", realm + "/identity-provider/instances/nope", "", bare},
		// Keycloak: ProtocolMappersResource.validateModel:
		// NotFoundException("ProtocolMapper provider not found").
		{"protocol mapper provider", "POST", realm + "/clients/" + plain + "/protocol-mappers/models", `{"name":"n","protocol":"openid-connect","protocolMapper":"no-such-mapper"}`, msg("ProtocolMapper provider not found")},
		// Keycloak: AuthorizationService.getResourceServerService throws a
		// bare NotFoundException for a client without authorization services.
		{"resource server of a client without one", "GET", realm + "/clients/" + plain + "/authz/resource-server/resource", "", bare},
		// Keycloak: ResourceSetService.findById / ScopeService.findById /
		// PolicyService.findById (PolicyResourceService.findById):
		// Response.status(NOT_FOUND).build().
		{"authz resource", "GET", authz + "/resource/nope", "", empty},
		{"authz scope", "GET", authz + "/scope/nope", "", empty},
		{"authz policy", "GET", authz + "/policy/nope", "", empty},
		{"authz permission", "GET", authz + "/permission/nope", "", empty},
		// Keycloak: AuthenticationManagementResource.getFlow:
		// NotFoundException("Could not find flow with id"); getRequiredAction:
		// NotFoundException("Failed to find required action");
		// getAuthenticatorConfig: NotFoundException("Could not find
		// authenticator config").
		{"authentication flow", "GET", realm + "/authentication/flows/nope", "", msg("Could not find flow with id")},
		{"required action", "GET", realm + "/authentication/required-actions/nope", "", msg("Failed to find required action")},
		{"authenticator config", "GET", realm + "/authentication/config/nope", "", msg("Could not find authenticator config")},
		// Keycloak: RealmLocalizationResource.getRealmLocalizationText:
		// NotFoundException("Localization text not found").
		{"localization text", "GET", realm + "/localization/en/nope", "", msg("Localization text not found")},
		// Keycloak: JAX-RS finds no resource: a bare NotFoundException.
		{"unknown admin path", "GET", realm + "/nope", "", bare},
		{"unknown group child path", "GET", realm + "/groups/" + gid + "/nope", "", bare},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := adminDo(t, s, tok, tc.method, tc.path, tc.body)
			if r.status != http.StatusNotFound {
				t.Fatalf("%s %s: status %d %s, want 404", tc.method, tc.path, r.status, r.body)
			}
			if got := strings.TrimSpace(string(r.body)); got != tc.want {
				t.Errorf("%s %s: body %q, want %q", tc.method, tc.path, got, tc.want)
			}
			if tc.want != "" && !strings.HasPrefix(r.header.Get("Content-Type"), "application/json") {
				t.Errorf("Content-Type %q, want application/json", r.header.Get("Content-Type"))
			}
		})
	}
	// Keycloak: RealmsResource.resolveRealmExtension / the protocol
	// locator: NotFoundException("Realm does not exist") for OIDC paths.
	r := do(t, "GET", s.URL+"/realms/nope/protocol/openid-connect/certs", nil)
	if r.status != http.StatusNotFound || strings.TrimSpace(string(r.body)) != msg("Realm does not exist") {
		t.Errorf("OIDC path of an unknown realm: %d %s", r.status, r.body)
	}
}
