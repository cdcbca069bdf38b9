package kctest

import (
	"encoding/base32"
	"net/http"
	"strings"
)

// configProperty is a ConfigPropertyRepresentation
// (ModelToRepresentation.toRepresentation(ProviderConfigProperty)); nil
// members are left out as Keycloak's JSON provider leaves them out.
type configProperty struct {
	Name         string   `json:"name,omitempty"`
	Label        string   `json:"label,omitempty"`
	HelpText     string   `json:"helpText,omitempty"`
	Type         string   `json:"type,omitempty"`
	DefaultValue any      `json:"defaultValue,omitempty"`
	Options      []string `json:"options,omitempty"`
	Secret       bool     `json:"secret"`
	Required     bool     `json:"required"`
	ReadOnly     bool     `json:"readOnly"`
}

// authenticatorConfigProperties are the getConfigProperties of the
// authenticator factories kctest describes; a provider not listed has
// none (Keycloak's non-configurable factories answer an empty list).
var authenticatorConfigProperties = map[string][]configProperty{
	// Keycloak: IdentityProviderAuthenticatorFactory.getConfigProperties.
	"identity-provider-redirector": {
		{Name: "defaultProvider", Label: "Default Identity Provider", Type: "String",
			HelpText: "To automatically redirect to an identity provider set to the alias of the identity provider"},
	},
	// Keycloak: ConditionalRoleAuthenticatorFactory.getConfigProperties.
	"conditional-user-role": {
		{Name: "condUserRole", Label: "User role", Type: "Role",
			HelpText: "Role the user should have to execute this flow. Click 'Select Role' button to browse roles, or just type it in the textbox. To reference a client role the syntax is clientname.clientrole, i.e. myclient.myrole"},
		{Name: "negate", Label: "Negate output", Type: "boolean",
			HelpText: "Apply a NOT to the check result. When this is true, then the condition will evaluate to true just if user does NOT have the specified role. When this is false, the condition will evaluate to true just if user has the specified role"},
	},
}

// maxAuthAgeProperty is RequiredActionFactory.MAX_AUTH_AGE_CONFIG_PROPERTIES.
var maxAuthAgeProperty = configProperty{
	Name: "max_auth_age", Label: "Maximum Age of Authentication", Type: "String", DefaultValue: 300,
	HelpText: "Configures the duration in seconds this action can be used after the last authentication before the user is required to re-authenticate. " +
		"This parameter is used just in the context of AIA when the kc_action parameter is available in the request, which is for instance when user " +
		"himself updates his password in the account console.",
}

// requiredActionConfigProperties are the getConfigMetadata of the
// configurable required actions: those that register a credential or
// change the account, which take the maximum age of the authentication an
// application-initiated action may follow. The others are not
// configurable.
var requiredActionConfigProperties = map[string][]configProperty{
	"CONFIGURE_TOTP":                 {maxAuthAgeProperty},
	"UPDATE_PASSWORD":                {maxAuthAgeProperty},
	"UPDATE_EMAIL":                   {maxAuthAgeProperty},
	"CONFIGURE_RECOVERY_AUTHN_CODES": {maxAuthAgeProperty},
	"webauthn-register":              {maxAuthAgeProperty},
	"webauthn-register-passwordless": {maxAuthAgeProperty},
	"delete_credential":              {maxAuthAgeProperty},
}

// clientAuthenticatorIDs are the client authenticator factories; none of
// Keycloak's has per-client properties (their console screens are their
// own).
var clientAuthenticatorIDs = []string{"client-jwt", "client-secret", "client-secret-jwt", "client-x509"}

// registerAdminAuthenticationDescriptions serves the configuration
// descriptions of authenticators and required actions and the required
// actions' configuration, as Keycloak's AuthenticationManagementResource
// does.
func (s *Server) registerAdminAuthenticationDescriptions(mux *http.ServeMux) {
	const p = "/admin/realms/{realm}/authentication"
	s.handle(mux, "GET", p+"/config-description/{provider}", s.admin(permViewRealm, s.adminAuthenticatorConfigDescription))
	s.handle(mux, "GET", p+"/per-client-config-description", s.admin(permViewClients,
		func(w http.ResponseWriter, _ *http.Request, _ *realm, _ *adminCaller) {
			out := map[string][]configProperty{}
			for _, id := range clientAuthenticatorIDs {
				out[id] = []configProperty{}
			}
			writeJSON(w, http.StatusOK, out)
		}))
	ra := p + "/required-actions/{alias}"
	s.handle(mux, "GET", ra+"/config-description", s.admin(permViewRealm, func(w http.ResponseWriter, r *http.Request, rm *realm, _ *adminCaller) {
		props, ok := configurableAction(rm, r.PathValue("alias"))
		if !ok {
			writeGenericError(w, http.StatusNotFound, "Could not find configurable RequiredAction provider")
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{"properties": props})
	}))
	withConfig := func(perm adminPerm, h func(http.ResponseWriter, *http.Request, *requiredAction)) http.HandlerFunc {
		return s.admin(perm, func(w http.ResponseWriter, r *http.Request, rm *realm, _ *adminCaller) {
			if _, ok := configurableAction(rm, r.PathValue("alias")); !ok {
				writeGenericError(w, http.StatusBadRequest, "RequiredAction is not configurable")
				return
			}
			h(w, r, rm.authnOf().action(r.PathValue("alias")))
		})
	}
	s.handle(mux, "GET", ra+"/config", withConfig(permViewRealm, func(w http.ResponseWriter, _ *http.Request, a *requiredAction) {
		cfg := map[string]string{}
		for k, v := range a.config {
			cfg[k] = v
		}
		writeJSON(w, http.StatusOK, map[string]any{"config": cfg})
	}))
	s.handle(mux, "PUT", ra+"/config", withConfig(permManageRealm, func(w http.ResponseWriter, r *http.Request, a *requiredAction) {
		var in struct {
			Config map[string]string `json:"config"`
		}
		if !decodeAdminJSON(w, r, &in) {
			return
		}
		// RepresentationToModel.removeEmptyString drops empty values.
		cfg := map[string]string{}
		for k, v := range in.Config {
			if v != "" {
				cfg[k] = v
			}
		}
		a.config = cfg
		noContent(w)
	}))
	s.handle(mux, "DELETE", ra+"/config", withConfig(permManageRealm, func(w http.ResponseWriter, _ *http.Request, a *requiredAction) {
		a.config = nil
		noContent(w)
	}))
}

// configurableAction returns the configuration properties of the realm's
// required action alias, and false when the realm has no such action or
// its provider is not configurable
// (RequiredActionHelper.lookupConfigurableRequiredActionFactory).
func configurableAction(rm *realm, alias string) ([]configProperty, bool) {
	a := rm.authnOf().action(alias)
	if a == nil {
		return nil, false
	}
	props, ok := requiredActionConfigProperties[a.providerID]
	return props, ok
}

// adminAuthenticatorConfigDescription is
// AuthenticationManagementResource.getAuthenticatorConfigDescription: the
// provider is looked up by id and then by its Base32 decoding, 404 "Could
// not find authenticator provider" when neither names one.
func (s *Server) adminAuthenticatorConfigDescription(w http.ResponseWriter, r *http.Request, _ *realm, _ *adminCaller) {
	id := r.PathValue("provider")
	pr := findAnyAuthenticator(id)
	if pr == nil {
		enc := strings.ToUpper(strings.TrimRight(id, "="))
		if b, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(enc); err == nil {
			id = string(b)
			pr = findAnyAuthenticator(id)
		}
	}
	if pr == nil {
		writeGenericError(w, http.StatusNotFound, "Could not find authenticator provider")
		return
	}
	props := authenticatorConfigProperties[pr.id]
	if props == nil {
		props = []configProperty{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"providerId": pr.id, "name": pr.displayName, "helpText": pr.description, "properties": props})
}

// findAnyAuthenticator finds an authenticator, client authenticator, form
// or form action factory (CredentialHelper.getConfigurableAuthenticatorFactory).
func findAnyAuthenticator(id string) *authnProvider {
	for _, list := range [][]authnProvider{authenticatorProviders, clientAuthenticatorProviders, formProviders, formActionProviders} {
		if p := findProvider(list, id); p != nil {
			return p
		}
	}
	return nil
}
