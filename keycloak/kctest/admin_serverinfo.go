package kctest

import (
	"net/http"
	"runtime"
	"slices"
	"strings"
)

// kctestVersion is the Keycloak version kctest answers as.
const kctestVersion = "26.6.0"

// registerAdminServerInfo serves GET /admin/serverinfo
// (ServerInfoAdminResource.getInfo) and the admin console's whoami
// (AdminConsole.whoAmI), which the official admin client, gocloak and
// python-keycloak call.
func (s *Server) registerAdminServerInfo(mux *http.ServeMux) {
	s.handle(mux, "GET", "/admin/serverinfo", s.admin(permAny, s.adminServerInfo))
	s.handle(mux, "GET", "/admin/{realm}/console/whoami", func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		defer s.mu.Unlock()
		s.adminWhoAmI(w, r)
	})
}

// adminWhoAmI answers whoami for the caller of the realm in the path: its
// admin roles per realm (realm_access), and 401 when the token is not of
// that realm or grants no admin role.
func (s *Server) adminWhoAmI(w http.ResponseWriter, r *http.Request) {
	c := s.adminCaller(r)
	if c == nil || c.realm.name != r.PathValue("realm") {
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	roles := c.realm.effectiveRoles(c.user)
	access := map[string][]string{}
	add := func(realmName string, cl *client) {
		if cl == nil {
			return
		}
		for _, ro := range roles {
			if ro.client == cl {
				access[realmName] = append(access[realmName], ro.name)
			}
		}
		slices.Sort(access[realmName])
	}
	createRealm := false
	if c.realm.name == "master" {
		for _, ro := range roles {
			if ro.client == nil && ro.name == "create-realm" {
				createRealm = true
			}
		}
		for name := range s.realms {
			add(name, c.realm.findClientByClientID(name+"-realm"))
		}
	} else {
		add(c.realm.name, c.realm.findClientByClientID("realm-management"))
	}
	if cur := r.URL.Query().Get("currentRealm"); cur != "" && s.realms[cur] == nil {
		writeGenericError(w, http.StatusNotFound, "Realm not found.")
		return
	}
	if len(access) == 0 {
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	u := c.user
	display := strings.TrimSpace(strings.TrimSpace(u.firstName) + " " + strings.TrimSpace(u.lastName))
	if display == "" {
		display = u.username
	}
	locale := "en"
	if l := u.attributes["locale"]; len(l) > 0 && l[0] != "" {
		locale = l[0]
	}
	_, temporary := u.attributes["is_temporary_admin"]
	writeJSON(w, http.StatusOK, map[string]any{
		"userId": u.id, "realm": c.realm.name, "displayName": display, "locale": locale,
		"createRealm": createRealm, "realm_access": access, "temporary": temporary,
	})
}

// adminServerInfo answers the part of Keycloak's ServerInfoRepresentation
// that describes what kctest supports: the version, themes, features,
// providers, protocol mapper types, password policies and enums.
func (s *Server) adminServerInfo(w http.ResponseWriter, _ *http.Request, _ *realm, _ *adminCaller) {
	now := s.clock.Now()
	features, disabled, preview, experimental := s.serverInfoFeatures()
	mapperTypes := []map[string]any{}
	for _, id := range slices.Sorted(func(yield func(string) bool) {
		for id := range serverInfoMapperTypes {
			if !yield(id) {
				return
			}
		}
	}) {
		mapperTypes = append(mapperTypes, map[string]any{"id": id, "name": serverInfoMapperTypes[id], "category": "Token mapper",
			"helpText": "", "priority": 0, "properties": []any{}})
	}
	theme := func(names ...string) []map[string]any {
		out := []map[string]any{}
		for _, n := range names {
			out = append(out, map[string]any{"name": n, "locales": []string{"en"}})
		}
		return out
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"systemInfo": map[string]any{
			"version": kctestVersion, "serverTime": now.UTC().Format("Mon Jan 02 15:04:05 MST 2006"),
			"uptime": "0 seconds", "uptimeMillis": 0,
			"javaVersion": "kctest (" + runtime.Version() + ")", "javaVendor": "kctest", "javaVm": "kctest",
			"osName": runtime.GOOS, "osArchitecture": runtime.GOARCH, "fileEncoding": "UTF-8", "userLocale": "en_US",
			"isRunningInContainer": false,
		},
		"memoryInfo":  map[string]any{"total": 0, "used": 0, "free": 0, "freePercentage": 100},
		"profileInfo": map[string]any{"name": "community", "disabledFeatures": disabled, "previewFeatures": preview, "experimentalFeatures": experimental},
		"features":    features,
		"themes": map[string]any{
			"login": theme("keycloak", "keycloak.v2"), "account": theme("keycloak.v3"), "admin": theme("keycloak.v2"),
			"email": theme("keycloak"), "common": theme("keycloak"), "welcome": theme("keycloak"),
		},
		"socialProviders":        []any{},
		"identityProviders":      []map[string]string{{"id": "oidc", "name": "OpenID Connect v1.0"}, {"id": "keycloak-oidc", "name": "Keycloak OpenID Connect"}, {"id": "saml", "name": "SAML v2.0"}},
		"clientImporters":        []map[string]string{{"id": "openid-connect", "name": "OpenID Connect"}},
		"providers":              map[string]any{},
		"protocolMapperTypes":    map[string]any{"openid-connect": mapperTypes},
		"builtinProtocolMappers": map[string]any{"openid-connect": []any{}},
		"clientInstallations":    map[string]any{"openid-connect": []map[string]any{{"id": "keycloak-oidc-keycloak-json", "protocol": "openid-connect", "downloadOnly": false, "displayType": "Keycloak OIDC JSON", "helpText": "keycloak.json file used by the Keycloak OIDC client adapter to configure clients.  This must be saved to a keycloak.json file and put in your WEB-INF directory of your WAR file.  You may also want to tweak this file after you download it.", "filename": "keycloak.json", "mediaType": "application/json"}}},
		"componentTypes":         map[string]any{},
		"passwordPolicies": []map[string]any{
			{"id": "length", "displayName": "Minimum length", "configType": "int", "defaultValue": "8", "multipleSupported": false},
			{"id": "maxLength", "displayName": "Maximum length", "configType": "int", "defaultValue": "64", "multipleSupported": false},
			{"id": "digits", "displayName": "Digits", "configType": "int", "defaultValue": "1", "multipleSupported": false},
			{"id": "lowerCase", "displayName": "Lowercase characters", "configType": "int", "defaultValue": "1", "multipleSupported": false},
			{"id": "upperCase", "displayName": "Uppercase characters", "configType": "int", "defaultValue": "1", "multipleSupported": false},
			{"id": "specialChars", "displayName": "Special characters", "configType": "int", "defaultValue": "1", "multipleSupported": false},
			{"id": "notUsername", "displayName": "Not username", "configType": nil, "defaultValue": "", "multipleSupported": false},
			{"id": "notEmail", "displayName": "Not email", "configType": nil, "defaultValue": "", "multipleSupported": false},
			{"id": "hashAlgorithm", "displayName": "Hashing algorithm", "configType": "String", "defaultValue": "argon2", "multipleSupported": false},
			{"id": "hashIterations", "displayName": "Hashing iterations", "configType": "int", "defaultValue": "5", "multipleSupported": false},
			{"id": "passwordHistory", "displayName": "Not recently used", "configType": "int", "defaultValue": "3", "multipleSupported": false},
			{"id": "regexPattern", "displayName": "Regular expression", "configType": "String", "defaultValue": "", "multipleSupported": true},
		},
		"enums": map[string][]string{
			"sslRequired":              {"all", "external", "none"},
			"unmanagedAttributePolicy": {"ADMIN_EDIT", "ADMIN_VIEW", "ENABLED"},
			"clientAuthenticatorTypes": {"client-jwt", "client-secret", "client-secret-jwt", "client-x509"},
			"operationType":            {"ACTION", "CREATE", "DELETE", "UPDATE"},
			"resourceType": {"AUTHENTICATOR_CONFIG", "AUTH_EXECUTION", "AUTH_EXECUTION_FLOW", "AUTH_FLOW", "AUTHORIZATION_POLICY",
				"AUTHORIZATION_RESOURCE", "AUTHORIZATION_RESOURCE_SERVER", "AUTHORIZATION_SCOPE", "CLIENT", "CLIENT_INITIAL_ACCESS_MODEL",
				"CLIENT_ROLE", "CLIENT_ROLE_MAPPING", "CLIENT_SCOPE", "CLIENT_SCOPE_CLIENT_MAPPING", "CLIENT_SCOPE_MAPPING", "CLUSTER_NODE",
				"COMPONENT", "CUSTOM", "GROUP", "GROUP_MEMBERSHIP", "IDENTITY_PROVIDER", "IDENTITY_PROVIDER_MAPPER", "ORGANIZATION",
				"ORGANIZATION_MEMBERSHIP", "PROTOCOL_MAPPER", "REALM", "REALM_ROLE", "REALM_ROLE_MAPPING", "REALM_SCOPE_MAPPING",
				"REQUIRED_ACTION", "USER", "USER_FEDERATION_PROVIDER", "USER_LOGIN_FAILURE", "USER_PROFILE", "USER_SESSION"},
		},
		"cryptoInfo": map[string]any{"cryptoProvider": "kctest (Go crypto)", "supportedKeystoreTypes": []string{"PKCS12"},
			"clientSignatureSymmetricAlgorithms":  []string{"HS256", "HS384", "HS512"},
			"clientSignatureAsymmetricAlgorithms": []string{"ES256", "ES384", "ES512", "PS256", "PS384", "PS512", "RS256", "RS384", "RS512"}},
	})
}

// serverInfoMapperTypes are the protocol mapper types serverinfo lists, by
// provider ID and display name.
var serverInfoMapperTypes = map[string]string{
	"oidc-audience-mapper": "Audience", "oidc-audience-resolve-mapper": "Audience Resolve",
	"oidc-hardcoded-claim-mapper": "Hardcoded claim", "oidc-hardcoded-role-mapper": "Hardcoded role",
	"oidc-usermodel-attribute-mapper": "User Attribute", "oidc-usermodel-property-mapper": "User Property",
	"oidc-usermodel-realm-role-mapper": "User Realm Role", "oidc-usermodel-client-role-mapper": "User Client Role",
	"oidc-group-membership-mapper": "Group Membership", "oidc-full-name-mapper": "User's full name",
	"oidc-address-mapper": "User Address", "oidc-allowed-origins-mapper": "Allowed Web Origins",
	"oidc-role-name-mapper": "Role Name Mapper", "oidc-sha256-pairwise-sub-mapper": "Pairwise subject identifier",
	"oidc-claims-param-token-mapper": "Claims parameter Token", "oidc-acr-mapper": "Authentication Context Class Reference (ACR)",
	"oidc-sub-mapper": "Subject (sub)", "oidc-usersessionmodel-note-mapper": "User Session Note",
}
