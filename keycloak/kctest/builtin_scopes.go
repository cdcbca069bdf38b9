package kctest

// Keycloak 26's built-in client scopes, as a fresh realm holds them: names,
// descriptions, attributes (consent text, display, include.in.token.scope)
// and protocol mappers with their exact configs. The facts come from an
// export of a fresh 26.0.5 realm (keycloak-config-cli's baseline), and for
// service_account (added in 26.5) from a 26.6-era export; Keycloak creates
// them in OIDCLoginProtocolFactory.createDefaultClientScopesImpl and
// addServiceAccountClientScope, SamlProtocolFactory and the organization
// feature.

// builtinMapper is one protocol mapper of a built-in client scope.
type builtinMapper struct {
	name, typ string
	config    map[string]string
}

// builtinScope is one built-in client scope.
type builtinScope struct {
	name, description, protocol string
	attributes                  map[string]string
	mappers                     []builtinMapper
}

// A fresh realm's defaultDefaultClientScopes and defaultOptionalClientScopes,
// in Keycloak's order. service_account is in neither: Keycloak links it to a
// client when its service account is enabled.
var (
	builtinDefaultScopes  = []string{"role_list", "saml_organization", "profile", "email", "roles", "web-origins", "acr", "basic"}
	builtinOptionalScopes = []string{"offline_access", "address", "phone", "microprofile-jwt", "organization"}
)

// builtinScopes lists the built-in client scopes in the order a fresh
// realm's export lists them.
var builtinScopes = []builtinScope{
	{
		name: "phone", description: "OpenID Connect built-in scope: phone", protocol: "openid-connect",
		attributes: map[string]string{"include.in.token.scope": "true", "consent.screen.text": "${phoneScopeConsentText}", "display.on.consent.screen": "true"},
		mappers: []builtinMapper{
			{"phone number", "oidc-usermodel-attribute-mapper", map[string]string{"access.token.claim": "true", "claim.name": "phone_number", "id.token.claim": "true", "introspection.token.claim": "true", "jsonType.label": "String", "user.attribute": "phoneNumber", "userinfo.token.claim": "true"}},
			{"phone number verified", "oidc-usermodel-attribute-mapper", map[string]string{"access.token.claim": "true", "claim.name": "phone_number_verified", "id.token.claim": "true", "introspection.token.claim": "true", "jsonType.label": "boolean", "user.attribute": "phoneNumberVerified", "userinfo.token.claim": "true"}},
		},
	},
	{
		name: "web-origins", description: "OpenID Connect scope for add allowed web origins to the access token", protocol: "openid-connect",
		attributes: map[string]string{"include.in.token.scope": "false", "consent.screen.text": "", "display.on.consent.screen": "false"},
		mappers: []builtinMapper{
			{"allowed web origins", "oidc-allowed-origins-mapper", map[string]string{"access.token.claim": "true", "introspection.token.claim": "true"}},
		},
	},
	{
		name: "email", description: "OpenID Connect built-in scope: email", protocol: "openid-connect",
		attributes: map[string]string{"include.in.token.scope": "true", "consent.screen.text": "${emailScopeConsentText}", "display.on.consent.screen": "true"},
		mappers: []builtinMapper{
			{"email verified", "oidc-usermodel-property-mapper", map[string]string{"access.token.claim": "true", "claim.name": "email_verified", "id.token.claim": "true", "introspection.token.claim": "true", "jsonType.label": "boolean", "user.attribute": "emailVerified", "userinfo.token.claim": "true"}},
			{"email", "oidc-usermodel-attribute-mapper", map[string]string{"access.token.claim": "true", "claim.name": "email", "id.token.claim": "true", "introspection.token.claim": "true", "jsonType.label": "String", "user.attribute": "email", "userinfo.token.claim": "true"}},
		},
	},
	{
		name: "offline_access", description: "OpenID Connect built-in scope: offline_access", protocol: "openid-connect",
		attributes: map[string]string{"consent.screen.text": "${offlineAccessScopeConsentText}", "display.on.consent.screen": "true"},
	},
	{
		name: "basic", description: "OpenID Connect scope for add all basic claims to the token", protocol: "openid-connect",
		attributes: map[string]string{"include.in.token.scope": "false", "display.on.consent.screen": "false"},
		mappers: []builtinMapper{
			{"sub", "oidc-sub-mapper", map[string]string{"access.token.claim": "true", "introspection.token.claim": "true"}},
			{"auth_time", "oidc-usersessionmodel-note-mapper", map[string]string{"access.token.claim": "true", "claim.name": "auth_time", "id.token.claim": "true", "introspection.token.claim": "true", "jsonType.label": "long", "user.session.note": "AUTH_TIME", "userinfo.token.claim": "true"}},
		},
	},
	{
		name: "roles", description: "OpenID Connect scope for add user roles to the access token", protocol: "openid-connect",
		attributes: map[string]string{"include.in.token.scope": "false", "consent.screen.text": "${rolesScopeConsentText}", "display.on.consent.screen": "true"},
		mappers: []builtinMapper{
			{"audience resolve", "oidc-audience-resolve-mapper", map[string]string{"access.token.claim": "true", "introspection.token.claim": "true"}},
			{"client roles", "oidc-usermodel-client-role-mapper", map[string]string{"access.token.claim": "true", "claim.name": "resource_access.${client_id}.roles", "introspection.token.claim": "true", "jsonType.label": "String", "multivalued": "true", "user.attribute": "foo"}},
			{"realm roles", "oidc-usermodel-realm-role-mapper", map[string]string{"access.token.claim": "true", "claim.name": "realm_access.roles", "introspection.token.claim": "true", "jsonType.label": "String", "multivalued": "true", "user.attribute": "foo"}},
		},
	},
	{
		name: "address", description: "OpenID Connect built-in scope: address", protocol: "openid-connect",
		attributes: map[string]string{"include.in.token.scope": "true", "consent.screen.text": "${addressScopeConsentText}", "display.on.consent.screen": "true"},
		mappers: []builtinMapper{
			{"address", "oidc-address-mapper", map[string]string{"access.token.claim": "true", "id.token.claim": "true", "introspection.token.claim": "true", "user.attribute.country": "country", "user.attribute.formatted": "formatted", "user.attribute.locality": "locality", "user.attribute.postal_code": "postal_code", "user.attribute.region": "region", "user.attribute.street": "street", "userinfo.token.claim": "true"}},
		},
	},
	{
		name: "microprofile-jwt", description: "Microprofile - JWT built-in scope", protocol: "openid-connect",
		attributes: map[string]string{"include.in.token.scope": "true", "display.on.consent.screen": "false"},
		mappers: []builtinMapper{
			{"groups", "oidc-usermodel-realm-role-mapper", map[string]string{"access.token.claim": "true", "claim.name": "groups", "id.token.claim": "true", "introspection.token.claim": "true", "jsonType.label": "String", "multivalued": "true", "user.attribute": "foo", "userinfo.token.claim": "true"}},
			{"upn", "oidc-usermodel-attribute-mapper", map[string]string{"access.token.claim": "true", "claim.name": "upn", "id.token.claim": "true", "introspection.token.claim": "true", "jsonType.label": "String", "user.attribute": "username", "userinfo.token.claim": "true"}},
		},
	},
	{
		name: "profile", description: "OpenID Connect built-in scope: profile", protocol: "openid-connect",
		attributes: map[string]string{"include.in.token.scope": "true", "consent.screen.text": "${profileScopeConsentText}", "display.on.consent.screen": "true"},
		mappers: []builtinMapper{
			{"birthdate", "oidc-usermodel-attribute-mapper", map[string]string{"access.token.claim": "true", "claim.name": "birthdate", "id.token.claim": "true", "introspection.token.claim": "true", "jsonType.label": "String", "user.attribute": "birthdate", "userinfo.token.claim": "true"}},
			{"family name", "oidc-usermodel-attribute-mapper", map[string]string{"access.token.claim": "true", "claim.name": "family_name", "id.token.claim": "true", "introspection.token.claim": "true", "jsonType.label": "String", "user.attribute": "lastName", "userinfo.token.claim": "true"}},
			{"profile", "oidc-usermodel-attribute-mapper", map[string]string{"access.token.claim": "true", "claim.name": "profile", "id.token.claim": "true", "introspection.token.claim": "true", "jsonType.label": "String", "user.attribute": "profile", "userinfo.token.claim": "true"}},
			{"username", "oidc-usermodel-attribute-mapper", map[string]string{"access.token.claim": "true", "claim.name": "preferred_username", "id.token.claim": "true", "introspection.token.claim": "true", "jsonType.label": "String", "user.attribute": "username", "userinfo.token.claim": "true"}},
			{"updated at", "oidc-usermodel-attribute-mapper", map[string]string{"access.token.claim": "true", "claim.name": "updated_at", "id.token.claim": "true", "introspection.token.claim": "true", "jsonType.label": "long", "user.attribute": "updatedAt", "userinfo.token.claim": "true"}},
			{"locale", "oidc-usermodel-attribute-mapper", map[string]string{"access.token.claim": "true", "claim.name": "locale", "id.token.claim": "true", "introspection.token.claim": "true", "jsonType.label": "String", "user.attribute": "locale", "userinfo.token.claim": "true"}},
			{"nickname", "oidc-usermodel-attribute-mapper", map[string]string{"access.token.claim": "true", "claim.name": "nickname", "id.token.claim": "true", "introspection.token.claim": "true", "jsonType.label": "String", "user.attribute": "nickname", "userinfo.token.claim": "true"}},
			{"picture", "oidc-usermodel-attribute-mapper", map[string]string{"access.token.claim": "true", "claim.name": "picture", "id.token.claim": "true", "introspection.token.claim": "true", "jsonType.label": "String", "user.attribute": "picture", "userinfo.token.claim": "true"}},
			{"zoneinfo", "oidc-usermodel-attribute-mapper", map[string]string{"access.token.claim": "true", "claim.name": "zoneinfo", "id.token.claim": "true", "introspection.token.claim": "true", "jsonType.label": "String", "user.attribute": "zoneinfo", "userinfo.token.claim": "true"}},
			{"gender", "oidc-usermodel-attribute-mapper", map[string]string{"access.token.claim": "true", "claim.name": "gender", "id.token.claim": "true", "introspection.token.claim": "true", "jsonType.label": "String", "user.attribute": "gender", "userinfo.token.claim": "true"}},
			{"website", "oidc-usermodel-attribute-mapper", map[string]string{"access.token.claim": "true", "claim.name": "website", "id.token.claim": "true", "introspection.token.claim": "true", "jsonType.label": "String", "user.attribute": "website", "userinfo.token.claim": "true"}},
			{"full name", "oidc-full-name-mapper", map[string]string{"access.token.claim": "true", "id.token.claim": "true", "introspection.token.claim": "true", "userinfo.token.claim": "true"}},
			{"given name", "oidc-usermodel-attribute-mapper", map[string]string{"access.token.claim": "true", "claim.name": "given_name", "id.token.claim": "true", "introspection.token.claim": "true", "jsonType.label": "String", "user.attribute": "firstName", "userinfo.token.claim": "true"}},
			{"middle name", "oidc-usermodel-attribute-mapper", map[string]string{"access.token.claim": "true", "claim.name": "middle_name", "id.token.claim": "true", "introspection.token.claim": "true", "jsonType.label": "String", "user.attribute": "middleName", "userinfo.token.claim": "true"}},
		},
	},
	{
		name: "saml_organization", description: "Organization Membership", protocol: "saml",
		attributes: map[string]string{"display.on.consent.screen": "false"},
		mappers: []builtinMapper{
			{"organization", "saml-organization-membership-mapper", map[string]string{}},
		},
	},
	{
		name: "acr", description: "OpenID Connect scope for add acr (authentication context class reference) to the token", protocol: "openid-connect",
		attributes: map[string]string{"include.in.token.scope": "false", "display.on.consent.screen": "false"},
		mappers: []builtinMapper{
			{"acr loa level", "oidc-acr-mapper", map[string]string{"access.token.claim": "true", "id.token.claim": "true", "introspection.token.claim": "true", "userinfo.token.claim": "true"}},
		},
	},
	{
		name: "role_list", description: "SAML role list", protocol: "saml",
		attributes: map[string]string{"consent.screen.text": "${samlRoleListScopeConsentText}", "display.on.consent.screen": "true"},
		mappers: []builtinMapper{
			{"role list", "saml-role-list-mapper", map[string]string{"attribute.name": "Role", "attribute.nameformat": "Basic", "single": "false"}},
		},
	},
	{
		name: "organization", description: "Additional claims about the organization a subject belongs to", protocol: "openid-connect",
		attributes: map[string]string{"include.in.token.scope": "true", "consent.screen.text": "${organizationScopeConsentText}", "display.on.consent.screen": "true"},
		mappers: []builtinMapper{
			{"organization", "oidc-organization-membership-mapper", map[string]string{"access.token.claim": "true", "id.token.claim": "true", "introspection.token.claim": "true", "userinfo.token.claim": "true"}},
		},
	},
	{
		name: "service_account", description: "Specific scope for a client enabled for service accounts", protocol: "openid-connect",
		attributes: map[string]string{"include.in.token.scope": "false", "display.on.consent.screen": "false"},
		mappers: []builtinMapper{
			{"Client Host", "oidc-usersessionmodel-note-mapper", map[string]string{"access.token.claim": "true", "claim.name": "clientHost", "id.token.claim": "true", "introspection.token.claim": "true", "jsonType.label": "String", "user.session.note": "clientHost", "userinfo.token.claim": "true"}},
			{"Client IP Address", "oidc-usersessionmodel-note-mapper", map[string]string{"access.token.claim": "true", "claim.name": "clientAddress", "id.token.claim": "true", "introspection.token.claim": "true", "jsonType.label": "String", "user.session.note": "clientAddress", "userinfo.token.claim": "true"}},
			{"Client ID", "oidc-usersessionmodel-note-mapper", map[string]string{"access.token.claim": "true", "claim.name": "client_id", "id.token.claim": "true", "introspection.token.claim": "true", "jsonType.label": "String", "user.session.note": "client_id", "userinfo.token.claim": "true"}},
		},
	},
}
