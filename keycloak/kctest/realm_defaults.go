package kctest

// The contents of a fresh Keycloak 26 realm, as facts taken from
// keycloak-config-cli's export of a new, untouched 26.0.5 realm:
// src/main/resources/baseline/26.0.5/realm/realm.json in
// github.com/adorsys/keycloak-config-cli (the realm name there is
// REALM_NAME_PLACEHOLDER). The export itself is not part of this module.
//
// To compare again (or with a newer baseline), print the file with
//
//	git --git-dir=<clone>/.git show HEAD:src/main/resources/baseline/26.0.5/realm/realm.json
//
// and run TestFreshRealmMatchesKeycloak, whose want values are these
// tables: a difference shows as a go-cmp diff, object by object. The master
// realm differs as keycloak-config-cli's 26.0.5 master export shows
// (src/test/resources/import-files/exported-realm/26.0.5/master-realm.json):
// see newRealm.

// freshRealmSettings are the top-level fields of a fresh realm's admin
// representation that kctest stores as they are (modelled fields, the
// realm's sections and its attributes are elsewhere).
var freshRealmSettings = map[string]any{
	"defaultSignatureAlgorithm":                                 "RS256",
	"revokeRefreshToken":                                        false,
	"refreshTokenMaxReuse":                                      0,
	"accessTokenLifespanForImplicitFlow":                        900,
	"ssoSessionIdleTimeoutRememberMe":                           0,
	"ssoSessionMaxLifespanRememberMe":                           0,
	"offlineSessionMaxLifespanEnabled":                          false,
	"offlineSessionMaxLifespan":                                 5184000,
	"clientSessionIdleTimeout":                                  0,
	"clientSessionMaxLifespan":                                  0,
	"clientOfflineSessionIdleTimeout":                           0,
	"clientOfflineSessionMaxLifespan":                           0,
	"accessCodeLifespanUserAction":                              300,
	"actionTokenGeneratedByAdminLifespan":                       43200,
	"actionTokenGeneratedByUserLifespan":                        300,
	"sslRequired":                                               "external",
	"registrationAllowed":                                       false,
	"registrationEmailAsUsername":                               false,
	"rememberMe":                                                false,
	"verifyEmail":                                               false,
	"loginWithEmailAllowed":                                     true,
	"duplicateEmailsAllowed":                                    false,
	"resetPasswordAllowed":                                      false,
	"editUsernameAllowed":                                       false,
	"bruteForceProtected":                                       false,
	"permanentLockout":                                          false,
	"maxTemporaryLockouts":                                      0,
	"bruteForceStrategy":                                        "MULTIPLE",
	"maxFailureWaitSeconds":                                     900,
	"minimumQuickLoginWaitSeconds":                              60,
	"waitIncrementSeconds":                                      60,
	"quickLoginCheckMilliSeconds":                               1000,
	"maxDeltaTimeSeconds":                                       43200,
	"failureFactor":                                             30,
	"requiredCredentials":                                       []any{"password"},
	"otpPolicyType":                                             "totp",
	"otpPolicyAlgorithm":                                        "HmacSHA1",
	"otpPolicyInitialCounter":                                   0,
	"otpPolicyDigits":                                           6,
	"otpPolicyLookAheadWindow":                                  1,
	"otpPolicyPeriod":                                           30,
	"otpPolicyCodeReusable":                                     false,
	"otpSupportedApplications":                                  []any{"totpAppFreeOTPName", "totpAppGoogleName", "totpAppMicrosoftAuthenticatorName"},
	"webAuthnPolicyRpEntityName":                                "keycloak",
	"webAuthnPolicySignatureAlgorithms":                         []any{"ES256"},
	"webAuthnPolicyRpId":                                        "",
	"webAuthnPolicyAttestationConveyancePreference":             "not specified",
	"webAuthnPolicyAuthenticatorAttachment":                     "not specified",
	"webAuthnPolicyRequireResidentKey":                          "not specified",
	"webAuthnPolicyUserVerificationRequirement":                 "not specified",
	"webAuthnPolicyCreateTimeout":                               0,
	"webAuthnPolicyAvoidSameAuthenticatorRegister":              false,
	"webAuthnPolicyAcceptableAaguids":                           []any{},
	"webAuthnPolicyExtraOrigins":                                []any{},
	"webAuthnPolicyPasswordlessRpEntityName":                    "keycloak",
	"webAuthnPolicyPasswordlessSignatureAlgorithms":             []any{"ES256"},
	"webAuthnPolicyPasswordlessRpId":                            "",
	"webAuthnPolicyPasswordlessAttestationConveyancePreference": "not specified",
	"webAuthnPolicyPasswordlessAuthenticatorAttachment":         "not specified",
	"webAuthnPolicyPasswordlessRequireResidentKey":              "not specified",
	"webAuthnPolicyPasswordlessUserVerificationRequirement":     "not specified",
	"webAuthnPolicyPasswordlessCreateTimeout":                   0,
	"webAuthnPolicyPasswordlessAvoidSameAuthenticatorRegister":  false,
	"webAuthnPolicyPasswordlessAcceptableAaguids":               []any{},
	"webAuthnPolicyPasswordlessExtraOrigins":                    []any{},
	"browserSecurityHeaders": map[string]any{
		"contentSecurityPolicyReportOnly": "",
		"xContentTypeOptions":             "nosniff",
		"referrerPolicy":                  "no-referrer",
		"xRobotsTag":                      "none",
		"xFrameOptions":                   "SAMEORIGIN",
		"contentSecurityPolicy":           "frame-src 'self'; frame-ancestors 'self'; object-src 'none';",
		"xXSSProtection":                  "1; mode=block",
		"strictTransportSecurity":         "max-age=31536000; includeSubDomains",
	},
	"smtpServer":                  map[string]any{},
	"internationalizationEnabled": false,
	"supportedLocales":            []any{},
	"browserFlow":                 "browser",
	"registrationFlow":            "registration",
	"directGrantFlow":             "direct grant",
	"resetCredentialsFlow":        "reset credentials",
	"clientAuthenticationFlow":    "clients",
	"dockerAuthenticationFlow":    "docker auth",
	"firstBrokerLoginFlow":        "first broker login",
	"userManagedAccessAllowed":    false,
	"organizationsEnabled":        false,
	"clientProfiles": map[string]any{
		"profiles": []any{},
	},
	"clientPolicies": map[string]any{
		"policies": []any{},
	},
}

// freshRealmAttributes are a fresh realm's attributes.
var freshRealmAttributes = map[string]string{
	"cibaAuthRequestedUserHint":        "login_hint",
	"cibaBackchannelTokenDeliveryMode": "poll",
	"cibaExpiresIn":                    "120",
	"cibaInterval":                     "5",
	"clientOfflineSessionIdleTimeout":  "0",
	"clientOfflineSessionMaxLifespan":  "0",
	"clientSessionIdleTimeout":         "0",
	"clientSessionMaxLifespan":         "0",
	"oauth2DeviceCodeLifespan":         "600",
	"oauth2DevicePollingInterval":      "5",
	"organizationsEnabled":             "false",
	"parRequestUriLifespan":            "60",
	"realmReusableOtpCode":             "false",
}

// clientRegistrationPolicies are the client-registration policy components
// (org.keycloak.services.clientregistration.policy.ClientRegistrationPolicy)
// of a fresh realm, in the export's order.
var clientRegistrationPolicies = []componentSpec{
	{name: "Consent Required", providerID: "consent-required", subType: "anonymous", config: map[string][]string{}},
	{name: "Allowed Client Scopes", providerID: "allowed-client-templates", subType: "anonymous", config: map[string][]string{"allow-default-scopes": {"true"}}},
	{name: "Max Clients Limit", providerID: "max-clients", subType: "anonymous", config: map[string][]string{"max-clients": {"200"}}},
	{name: "Allowed Protocol Mapper Types", providerID: "allowed-protocol-mappers", subType: "authenticated", config: map[string][]string{"allowed-protocol-mapper-types": {"saml-user-attribute-mapper", "oidc-address-mapper", "oidc-full-name-mapper", "oidc-sha256-pairwise-sub-mapper", "oidc-usermodel-attribute-mapper", "saml-role-list-mapper", "saml-user-property-mapper", "oidc-usermodel-property-mapper"}}},
	{name: "Trusted Hosts", providerID: "trusted-hosts", subType: "anonymous", config: map[string][]string{"host-sending-registration-request-must-match": {"true"}, "client-uris-must-match": {"true"}}},
	{name: "Allowed Protocol Mapper Types", providerID: "allowed-protocol-mappers", subType: "anonymous", config: map[string][]string{"allowed-protocol-mapper-types": {"saml-role-list-mapper", "oidc-sha256-pairwise-sub-mapper", "oidc-full-name-mapper", "saml-user-attribute-mapper", "oidc-usermodel-property-mapper", "oidc-address-mapper", "oidc-usermodel-attribute-mapper", "saml-user-property-mapper"}}},
	{name: "Allowed Client Scopes", providerID: "allowed-client-templates", subType: "authenticated", config: map[string][]string{"allow-default-scopes": {"true"}}},
	{name: "Full Scope Disabled", providerID: "scope", subType: "anonymous", config: map[string][]string{}},
}
