package kctest

import "net/http"

// protocolMapperProviders are the protocol mapper provider IDs a Keycloak 26
// server registers (GET /admin/serverinfo, protocolMapperTypes). A mapper
// naming another provider is refused.
var protocolMapperProviders = map[string]bool{
	"oidc-acr-mapper": true, "oidc-address-mapper": true, "oidc-allowed-origins-mapper": true,
	"oidc-amr-mapper": true, "oidc-audience-mapper": true, "oidc-audience-resolve-mapper": true,
	"oidc-claims-param-token-mapper": true, "oidc-claims-param-value-idtoken-mapper": true,
	"oidc-full-name-mapper": true, "oidc-group-membership-mapper": true,
	"oidc-hardcoded-claim-mapper": true, "oidc-hardcoded-role-mapper": true,
	"oidc-nonce-backwards-compatible-mapper": true, "oidc-organization-group-membership-mapper": true,
	"oidc-organization-membership-mapper": true, "oidc-role-name-mapper": true,
	"oidc-session-state-mapper": true, "oidc-sha256-pairwise-sub-mapper": true, "oidc-sub-mapper": true,
	"oidc-usermodel-attribute-mapper": true, "oidc-usermodel-client-role-mapper": true,
	"oidc-usermodel-property-mapper": true, "oidc-usermodel-realm-role-mapper": true,
	"oidc-usersessionmodel-note-mapper": true,

	"saml-audience-mapper": true, "saml-audience-resolve-mapper": true,
	"saml-authn-context-class-ref-mapper": true, "saml-group-membership-mapper": true,
	"saml-hardcode-attribute-mapper": true, "saml-hardcode-role-mapper": true,
	"saml-organization-group-membership-mapper": true, "saml-organization-membership-mapper": true,
	"saml-role-list-mapper": true, "saml-role-name-mapper": true, "saml-user-attribute-mapper": true,
	"saml-user-attribute-nameid-mapper": true, "saml-user-property-mapper": true,
	"saml-user-session-note-mapper": true,

	"docker-v2-allow-all-mapper": true,
}

// knownMapperProvider answers 404 "ProtocolMapper provider not found" and
// returns false unless provider is registered. Keycloak:
// ProtocolMappersResource.validateModel throws NotFoundException with that
// message before the mapper is stored, on create, add-models and update.
func knownMapperProvider(w http.ResponseWriter, provider string) bool {
	if protocolMapperProviders[provider] {
		return true
	}
	writeGenericError(w, http.StatusNotFound, "ProtocolMapper provider not found")
	return false
}
