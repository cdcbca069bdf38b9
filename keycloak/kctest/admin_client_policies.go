package kctest

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
)

// registerAdminClientPolicies serves the realm's client policies and
// profiles (ClientPoliciesResource, ClientProfilesResource), client types
// (ClientTypesResource), initial access tokens
// (ClientInitialAccessResource), the client-registration policy providers
// (ClientRegistrationPolicyResource) and the client description converter
// (RealmAdminResource.convertClientDescription).
func (s *Server) registerAdminClientPolicies(mux *http.ServeMux) {
	const r = "/admin/realms/{realm}"
	s.handle(mux, "GET", r+"/client-policies/policies", s.admin(permViewRealm, s.adminGetClientPolicies("clientPolicies", "policies", "include-global-policies", "globalPolicies", nil)))
	s.handle(mux, "PUT", r+"/client-policies/policies", s.admin(permManageRealm, s.adminPutClientPolicies("clientPolicies", "policies")))
	s.handle(mux, "GET", r+"/client-policies/profiles", s.admin(permViewRealm, s.adminGetClientPolicies("clientProfiles", "profiles", "include-global-profiles", "globalProfiles", globalClientProfiles)))
	s.handle(mux, "PUT", r+"/client-policies/profiles", s.admin(permManageRealm, s.adminPutClientPolicies("clientProfiles", "profiles")))
	s.handle(mux, "GET", r+"/client-types", s.admin(permViewRealm, s.adminGetClientTypes))
	s.handle(mux, "PUT", r+"/client-types", s.admin(permManageRealm, s.adminPutClientTypes))
	s.handle(mux, "GET", r+"/clients-initial-access", s.admin(permViewClients, s.adminListInitialAccess))
	s.handle(mux, "POST", r+"/clients-initial-access", s.admin(permManageClients, s.adminCreateInitialAccess))
	s.handle(mux, "DELETE", r+"/clients-initial-access/{id}", s.admin(permManageClients, func(w http.ResponseWriter, r *http.Request, rm *realm, _ *adminCaller) {
		st := rm.adminState()
		st.initialAccess = slices.DeleteFunc(st.initialAccess, func(ia *initialAccess) bool { return ia.ID == r.PathValue("id") })
		noContent(w)
	}))
	s.handle(mux, "GET", r+"/client-registration-policy/providers", s.admin(permViewRealm, func(w http.ResponseWriter, _ *http.Request, _ *realm, _ *adminCaller) {
		writeJSON(w, http.StatusOK, clientRegistrationPolicyProviders)
	}))
	s.handle(mux, "POST", r+"/client-description-converter", s.admin(permManageClients, s.adminConvertClientDescription))
}

// adminGetClientPolicies answers GET client-policies/policies or
// /profiles: the realm's list under member, and the global list under
// globalMember when the query parameter globalParam is true.
func (s *Server) adminGetClientPolicies(setting, member, globalParam, globalMember string, global []map[string]any) adminHandler {
	return func(w http.ResponseWriter, r *http.Request, rm *realm, _ *adminCaller) {
		out := map[string]any{member: rm.clientPolicyList(setting, member)}
		if boolParam(r, globalParam, false) {
			out[globalMember] = append([]map[string]any{}, global...)
		}
		writeJSON(w, http.StatusOK, out)
	}
}

// clientPolicyList returns the realm's client policies or profiles (the
// realm representation's clientPolicies.policies or
// clientProfiles.profiles).
func (rm *realm) clientPolicyList(setting, member string) []json.RawMessage {
	var v map[string][]json.RawMessage
	_ = json.Unmarshal(rm.settings[setting], &v)
	if v[member] == nil {
		return []json.RawMessage{}
	}
	return v[member]
}

// adminPutClientPolicies replaces the realm's policies or profiles. Each
// needs a unique name, as ClientPoliciesUtil.validateClientPolicies and
// validateClientProfiles check.
func (s *Server) adminPutClientPolicies(setting, member string) adminHandler {
	return func(w http.ResponseWriter, r *http.Request, rm *realm, _ *adminCaller) {
		var in map[string][]map[string]json.RawMessage
		if !decodeAdminJSON(w, r, &in) {
			return
		}
		seen := map[string]bool{}
		for _, p := range in[member] {
			var name string
			_ = json.Unmarshal(p["name"], &name)
			if name == "" || seen[name] {
				writeErrorMessage(w, http.StatusBadRequest, "update "+member+" failed")
				return
			}
			seen[name] = true
		}
		list := in[member]
		if list == nil {
			list = []map[string]json.RawMessage{}
		}
		b, _ := json.Marshal(map[string]any{member: list})
		if rm.settings == nil {
			rm.settings = map[string]json.RawMessage{}
		}
		rm.settings[setting] = b
		noContent(w)
	}
}

func (s *Server) adminGetClientTypes(w http.ResponseWriter, _ *http.Request, rm *realm, _ *adminCaller) {
	types := rm.adminState().clientTypes
	if types == nil {
		types = []json.RawMessage{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"client-types": types, "global-client-types": globalClientTypes})
}

// adminPutClientTypes replaces the realm's client types; a realm type may
// not take the name of a global one (ClientTypeManager.updateClientTypes).
func (s *Server) adminPutClientTypes(w http.ResponseWriter, r *http.Request, rm *realm, _ *adminCaller) {
	var in struct {
		Types  []json.RawMessage `json:"client-types"`
		Global []json.RawMessage `json:"global-client-types"`
	}
	if !decodeAdminJSON(w, r, &in) {
		return
	}
	for _, t := range in.Types {
		var ct struct {
			Name string `json:"name"`
		}
		_ = json.Unmarshal(t, &ct)
		for _, g := range globalClientTypes {
			if g["name"] == ct.Name {
				writeErrorMessage(w, http.StatusBadRequest, "Cannot override global client type: "+ct.Name)
				return
			}
		}
	}
	rm.adminState().clientTypes = in.Types
	noContent(w)
}

// initialAccess is an initial access token for client registration
// (ClientInitialAccessPresentation without its token, which is shown once).
type initialAccess struct {
	ID             string `json:"id"`
	Timestamp      int64  `json:"timestamp"`
	Expiration     int    `json:"expiration"`
	Count          int    `json:"count"`
	RemainingCount int    `json:"remainingCount"`
}

func (s *Server) adminListInitialAccess(w http.ResponseWriter, _ *http.Request, rm *realm, _ *adminCaller) {
	now := s.clock.Now().Unix()
	out := []*initialAccess{}
	for _, ia := range rm.adminState().initialAccess {
		if ia.Expiration == 0 || ia.Timestamp+int64(ia.Expiration) > now {
			out = append(out, ia)
		}
	}
	writeJSON(w, http.StatusOK, out)
}

// adminCreateInitialAccess creates an initial access token: 201 with its
// Location and its presentation, the token included (only here).
func (s *Server) adminCreateInitialAccess(w http.ResponseWriter, r *http.Request, rm *realm, _ *adminCaller) {
	var in struct {
		Expiration *int `json:"expiration"`
		Count      *int `json:"count"`
	}
	if !decodeAdminJSON(w, r, &in) {
		return
	}
	ia := &initialAccess{ID: newID(), Timestamp: s.clock.Now().Unix(), Count: 1}
	if in.Expiration != nil {
		ia.Expiration = *in.Expiration
	}
	if in.Count != nil {
		ia.Count = *in.Count
	}
	if ia.Expiration < 0 {
		writeErrorMessage(w, http.StatusBadRequest, "Invalid value for expiration")
		return
	}
	if ia.Count < 0 {
		writeErrorMessage(w, http.StatusBadRequest, "Invalid value for count")
		return
	}
	ia.RemainingCount = ia.Count
	issuer := s.issuer(r, rm.name)
	claims := map[string]any{"jti": ia.ID, "iat": ia.Timestamp, "iss": issuer, "aud": issuer, "typ": "InitialAccessToken"}
	if ia.Expiration > 0 {
		claims["exp"] = ia.Timestamp + int64(ia.Expiration)
	}
	tok, err := signHS512(rm.hmacSecret, rm.hmacKid, claims)
	if err != nil {
		writeGenericError(w, http.StatusInternalServerError, "unknown_error")
		return
	}
	st := rm.adminState()
	st.initialAccess = append(st.initialAccess, ia)
	w.Header().Set("Location", s.baseURL(r)+strings.TrimSuffix(strings.TrimPrefix(r.URL.EscapedPath(), s.basePath), "/")+"/"+escapeSegment(ia.ID))
	writeJSON(w, http.StatusCreated, struct {
		*initialAccess
		Token string `json:"token"`
	}{ia, tok})
}

// adminConvertClientDescription turns OpenID Connect client metadata
// (RFC 7591) into a client representation, as Keycloak's
// OIDCClientDescriptionConverter does; anything else is 400
// "Unsupported format".
func (s *Server) adminConvertClientDescription(w http.ResponseWriter, r *http.Request, _ *realm, _ *adminCaller) {
	b, err := readAllLimited(r.Body)
	if err != nil {
		writeGenericError(w, http.StatusBadRequest, "unknown_error")
		return
	}
	var md map[string]json.RawMessage
	if json.Unmarshal(b, &md) != nil || md["redirect_uris"] == nil && md["client_name"] == nil && md["client_id"] == nil {
		writeGenericError(w, http.StatusBadRequest, "Unsupported format")
		return
	}
	writeJSON(w, http.StatusOK, oidcMetadataToRep(md))
}

// globalClientTypes are Keycloak's built-in client types
// (keycloak-default-client-types.json).
var globalClientTypes = []map[string]any{
	{"name": "sla", "provider": "default", "config": map[string]any{
		"standardFlowEnabled": map[string]any{"applicable": true, "read-only": true, "default-value": true},
	}},
	{"name": "service-account", "provider": "default", "config": map[string]any{
		"alwaysDisplayInConsole":    map[string]any{"applicable": false},
		"consentRequired":           map[string]any{"applicable": true, "read-only": true, "default-value": false},
		"login_theme":               map[string]any{"applicable": false},
		"protocol":                  map[string]any{"applicable": true, "read-only": true, "default-value": "openid-connect"},
		"publicClient":              map[string]any{"applicable": true, "read-only": true, "default-value": false},
		"bearerOnly":                map[string]any{"applicable": true, "read-only": true, "default-value": false},
		"standardFlowEnabled":       map[string]any{"applicable": true, "read-only": true, "default-value": false},
		"implicitFlowEnabled":       map[string]any{"applicable": true, "read-only": true, "default-value": false},
		"directAccessGrantsEnabled": map[string]any{"applicable": true, "read-only": true, "default-value": false},
		"serviceAccountsEnabled":    map[string]any{"applicable": true, "read-only": true, "default-value": true},
		"logoUri":                   map[string]any{"applicable": false},
		"policyUri":                 map[string]any{"applicable": false},
		"tosUri":                    map[string]any{"applicable": false},
	}},
}

// globalClientProfiles are the global client profiles kctest lists
// (keycloak-default-client-profiles.json): the FAPI 1 and FAPI-CIBA ones,
// by name, description and executors. kctest enforces none of them.
var globalClientProfiles = []map[string]any{
	{"name": "fapi-1-baseline", "description": "Client profile, which enforce clients to conform 'Financial-grade API Security Profile 1.0 - Part 1: Baseline' specification.",
		"executors": []map[string]any{
			{"executor": "secure-session", "configuration": map[string]any{}},
			{"executor": "pkce-enforcer", "configuration": map[string]any{"auto-configure": true}},
			{"executor": "secure-client-authenticator", "configuration": map[string]any{"allowed-client-authenticators": []string{"client-jwt", "client-secret-jwt", "client-x509"}, "default-client-authenticator": "client-jwt"}},
			{"executor": "secure-client-uris", "configuration": map[string]any{}},
			{"executor": "consent-required", "configuration": map[string]any{"auto-configure": true}},
			{"executor": "full-scope-disabled", "configuration": map[string]any{"auto-configure": true}},
		}},
	{"name": "fapi-1-advanced", "description": "Client profile, which enforce clients to conform 'Financial-grade API Security Profile 1.0 - Part 2: Advanced' specification.",
		"executors": []map[string]any{
			{"executor": "secure-session", "configuration": map[string]any{}},
			{"executor": "confidential-client", "configuration": map[string]any{}},
			{"executor": "secure-client-authenticator", "configuration": map[string]any{"allowed-client-authenticators": []string{"client-jwt", "client-x509"}, "default-client-authenticator": "client-jwt"}},
			{"executor": "secure-client-uris", "configuration": map[string]any{}},
			{"executor": "secure-request-object", "configuration": map[string]any{"available-period": "3600", "verify-nbf": true}},
			{"executor": "secure-response-type", "configuration": map[string]any{"auto-configure": true, "allow-token-response-type": false}},
			{"executor": "secure-signature-algorithm", "configuration": map[string]any{"default-algorithm": "PS256"}},
			{"executor": "secure-signature-algorithm-signed-jwt", "configuration": map[string]any{"require-client-assertion": false}},
			{"executor": "consent-required", "configuration": map[string]any{"auto-configure": true}},
			{"executor": "full-scope-disabled", "configuration": map[string]any{"auto-configure": true}},
			{"executor": "holder-of-key-enforcer", "configuration": map[string]any{"auto-configure": true}},
		}},
	{"name": "fapi-ciba", "description": "Client profile, which enforce clients to conform 'Financial-grade API: Client Initiated Backchannel Authentication Profile' specification (Implementer's Draft ver1'). To satisfy FAPI-CIBA, both this profile and fapi-1-advanced global profile need to be used.",
		"executors": []map[string]any{
			{"executor": "secure-ciba-req-sig-algorithm", "configuration": map[string]any{"default-algorithm": "PS256"}},
			{"executor": "secure-ciba-session", "configuration": map[string]any{}},
			{"executor": "secure-ciba-signed-authn-req", "configuration": map[string]any{"available-period": "3600"}},
		}},
}

// clientRegistrationPolicyProviders are the ComponentTypeRepresentations
// of Keycloak's client-registration policy factories (id and help text;
// kctest lists no configuration properties).
var clientRegistrationPolicyProviders = []map[string]any{
	{"id": "allowed-client-templates", "helpText": "When present, then newly registered client can be linked just with the specified client scopes.", "properties": []any{}},
	{"id": "allowed-protocol-mappers", "helpText": "When present, then newly registered client can have just protocol mappers of the specified types.", "properties": []any{}},
	{"id": "consent-required", "helpText": "When present, then newly registered client will always have 'consentRequired' switch enabled.", "properties": []any{}},
	{"id": "max-clients", "helpText": "When present, then it won't be allowed to register new client if count of existing clients in realm is same or bigger than configured limit.", "properties": []any{}},
	{"id": "scope", "helpText": "When present, then newly registered client won't have full scope allowed.", "properties": []any{}},
	{"id": "trusted-hosts", "helpText": "Allows to specify from which hosts is user able to register and which redirect URIs can client use in it's configuration.", "properties": []any{}},
}
