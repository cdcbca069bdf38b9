package kctest

import (
	"net/http"
)

// registerOIDC adds the OpenID Connect endpoints under
// /realms/{realm}/protocol/openid-connect/ and the discovery documents.
func (s *Server) registerOIDC(mux *http.ServeMux) {
	const oidc = "/realms/{realm}/protocol/openid-connect"
	s.handle(mux, "GET", "/realms/{realm}", s.handleRealmInfo)
	s.handle(mux, "GET", "/realms/{realm}/.well-known/openid-configuration", s.handleDiscovery)
	s.handle(mux, "GET", "/realms/{realm}/.well-known/uma2-configuration", s.handleUMADiscovery)
	s.handle(mux, "GET", oidc+"/certs", s.handleCerts)
	s.handle(mux, "POST", oidc+"/token", s.handleToken)
	s.handle(mux, "GET", oidc+"/auth", s.handleAuth)
	s.handle(mux, "POST", oidc+"/auth", s.handleAuth)
	s.handle(mux, "POST", oidc+"/auth/device", s.handleDeviceAuth)
	s.handle(mux, "GET", oidc+"/userinfo", s.handleUserInfo)
	s.handle(mux, "POST", oidc+"/userinfo", s.handleUserInfo)
	s.handle(mux, "POST", oidc+"/token/introspect", s.handleIntrospect)
	s.handle(mux, "POST", oidc+"/revoke", s.handleRevoke)
	s.handle(mux, "GET", oidc+"/logout", s.handleLogout)
	s.handle(mux, "POST", oidc+"/logout", s.handleLogout)
	s.handle(mux, "OPTIONS", "/realms/{realm}/{path...}", s.handlePreflight)
	s.handle(mux, "GET", "/realms/{realm}/device", s.handleDevicePage)
	s.handle(mux, "POST", "/realms/{realm}/device", s.handleDevicePage)
	s.registerGrant("password", &grantType{handle: s.grantPassword})
	s.registerGrant("client_credentials", &grantType{handle: s.grantClientCredentials})
	s.registerGrant("refresh_token", &grantType{handle: s.grantRefreshToken})
	s.registerGrant("authorization_code", &grantType{handle: s.grantAuthorizationCode})
	s.registerGrant(grantTokenExchange, &grantType{handle: s.grantTokenExchange})
	s.registerGrant(grantDeviceCode, &grantType{handle: s.grantDeviceCode})
}

// lookupRealm returns the enabled or disabled realm named in the path, or
// writes 404 {"error":"Realm does not exist"}. Callers hold s.mu.
func (s *Server) lookupRealm(w http.ResponseWriter, r *http.Request) *realm {
	rm := s.realms[r.PathValue("realm")]
	if rm == nil {
		writeGenericError(w, http.StatusNotFound, "Realm does not exist")
	}
	return rm
}

func (s *Server) handleRealmInfo(w http.ResponseWriter, r *http.Request) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	rm := s.lookupRealm(w, r)
	if rm == nil {
		return
	}
	k := rm.activeKey()
	iss := s.issuer(r, rm.name)
	writeJSON(w, http.StatusOK, map[string]any{
		"realm":             rm.name,
		"public_key":        publicKeyBase64(k),
		"token-service":     iss + "/protocol/openid-connect",
		"account-service":   iss + "/account",
		"tokens-not-before": rm.notBefore,
	})
}

// discovery returns the OIDC discovery document of rm for issuer iss.
func discovery(iss string) map[string]any {
	p := iss + "/protocol/openid-connect"
	return map[string]any{
		"issuer":                                iss,
		"authorization_endpoint":                p + "/auth",
		"token_endpoint":                        p + "/token",
		"introspection_endpoint":                p + "/token/introspect",
		"userinfo_endpoint":                     p + "/userinfo",
		"end_session_endpoint":                  p + "/logout",
		"frontchannel_logout_session_supported": true,
		"frontchannel_logout_supported":         true,
		"jwks_uri":                              p + "/certs",
		"check_session_iframe":                  p + "/login-status-iframe.html",
		"grant_types_supported": []string{"authorization_code", "client_credentials", "implicit", "password", "refresh_token",
			grantDeviceCode, grantTokenExchange, "urn:ietf:params:oauth:grant-type:uma-ticket", "urn:openid:params:grant-type:ciba"},
		"acr_values_supported":                             []string{"0", "1"},
		"response_types_supported":                         []string{"code", "none", "id_token", "token", "id_token token", "code id_token", "code token", "code id_token token"},
		"subject_types_supported":                          []string{"public", "pairwise"},
		"id_token_signing_alg_values_supported":            []string{"RS256"},
		"userinfo_signing_alg_values_supported":            []string{"RS256", "none"},
		"request_object_signing_alg_values_supported":      []string{"RS256", "none"},
		"response_modes_supported":                         []string{"query", "fragment", "form_post", "query.jwt", "fragment.jwt", "form_post.jwt", "jwt"},
		"registration_endpoint":                            iss + "/clients-registrations/openid-connect",
		"token_endpoint_auth_methods_supported":            []string{"private_key_jwt", "client_secret_basic", "client_secret_post", "tls_client_auth", "client_secret_jwt"},
		"token_endpoint_auth_signing_alg_values_supported": []string{"HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "ES256", "ES384", "ES512", "PS256", "PS384", "PS512"},
		"introspection_endpoint_auth_methods_supported":    []string{"private_key_jwt", "client_secret_basic", "client_secret_post", "tls_client_auth", "client_secret_jwt"},
		"revocation_endpoint_auth_methods_supported":       []string{"private_key_jwt", "client_secret_basic", "client_secret_post", "tls_client_auth", "client_secret_jwt"},
		"claims_supported":                                 []string{"aud", "sub", "iss", "auth_time", "name", "given_name", "family_name", "preferred_username", "email", "acr"},
		"claim_types_supported":                            []string{"normal"},
		"claims_parameter_supported":                       true,
		"scopes_supported":                                 []string{"openid", "profile", "email", "roles", "web-origins", "acr", "basic", "offline_access", "address", "phone", "microprofile-jwt", "organization", "service_account"},
		"request_parameter_supported":                      true,
		"request_uri_parameter_supported":                  true,
		"require_request_uri_registration":                 true,
		"code_challenge_methods_supported":                 []string{"plain", "S256"},
		"tls_client_certificate_bound_access_tokens":       true,
		"revocation_endpoint":                              p + "/revoke",
		"backchannel_logout_supported":                     true,
		"backchannel_logout_session_supported":             true,
		"device_authorization_endpoint":                    p + "/auth/device",
		"authorization_response_iss_parameter_supported":   true,
	}
}

func (s *Server) handleDiscovery(w http.ResponseWriter, r *http.Request) {
	s.mu.RLock()
	rm := s.lookupRealm(w, r)
	s.mu.RUnlock()
	if rm == nil {
		return
	}
	writeJSON(w, http.StatusOK, discovery(s.issuer(r, rm.name)))
}

func (s *Server) handleUMADiscovery(w http.ResponseWriter, r *http.Request) {
	s.mu.RLock()
	rm := s.lookupRealm(w, r)
	s.mu.RUnlock()
	if rm == nil {
		return
	}
	iss := s.issuer(r, rm.name)
	d := discovery(iss)
	out := map[string]any{}
	for _, k := range []string{"issuer", "authorization_endpoint", "token_endpoint", "introspection_endpoint", "end_session_endpoint",
		"frontchannel_logout_session_supported", "frontchannel_logout_supported", "jwks_uri", "grant_types_supported",
		"response_types_supported", "response_modes_supported", "registration_endpoint", "token_endpoint_auth_methods_supported",
		"token_endpoint_auth_signing_alg_values_supported", "scopes_supported"} {
		out[k] = d[k]
	}
	out["resource_registration_endpoint"] = iss + "/authz/protection/resource_set"
	out["permission_endpoint"] = iss + "/authz/protection/permission"
	out["policy_endpoint"] = iss + "/authz/protection/uma-policy"
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) handleCerts(w http.ResponseWriter, r *http.Request) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	rm := s.lookupRealm(w, r)
	if rm == nil {
		return
	}
	keys := make([]jwk, 0, len(rm.keys))
	for i := len(rm.keys) - 1; i >= 0; i-- {
		keys = append(keys, rm.keys[i].jwk())
	}
	w.Header().Set("Cache-Control", "no-cache")
	writeJSON(w, http.StatusOK, map[string]any{"keys": keys})
}
