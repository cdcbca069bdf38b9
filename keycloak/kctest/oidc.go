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
	s.handle(mux, "POST", oidc+"/ext/par/request", s.handlePAR)
	s.handle(mux, "GET", oidc+"/userinfo", s.handleUserInfo)
	s.handle(mux, "POST", oidc+"/userinfo", s.handleUserInfo)
	s.handle(mux, "POST", oidc+"/token/introspect", s.handleIntrospect)
	s.handle(mux, "POST", oidc+"/revoke", s.handleRevoke)
	s.handle(mux, "GET", oidc+"/logout", s.handleLogout)
	s.handle(mux, "POST", oidc+"/logout", s.handleLogout)
	s.handle(mux, "OPTIONS", "/realms/{realm}/{path...}", s.handlePreflight)
	s.handle(mux, "POST", "/realms/{realm}/login-actions/authenticate", s.handleLoginAction)
	s.handle(mux, "GET", "/realms/{realm}/device", s.handleDevicePage)
	s.handle(mux, "POST", "/realms/{realm}/device", s.handleDevicePage)
	s.registerGrant("password", &grantType{handle: s.grantPassword})
	s.registerGrant("client_credentials", &grantType{handle: s.grantClientCredentials})
	s.registerGrant("refresh_token", &grantType{handle: s.grantRefreshToken})
	s.registerGrant("authorization_code", &grantType{handle: s.grantAuthorizationCode})
	if s.featureOn(FeatureTokenExchangeStandard, 0) {
		s.registerGrant(grantTokenExchange, &grantType{handle: s.grantTokenExchange})
	}
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

// The algorithm lists of Keycloak 26's discovery document: the providers
// of a default server (OIDCWellKnownProvider.getSupportedAlgorithms and
// friends), in the order Keycloak lists them.
var (
	discoverySigningAlgs = []string{"PS384", "RS384", "EdDSA", "ES384", "HS256", "HS512", "ES256", "RS256", "HS384", "ES512", "PS256", "PS512", "RS512"}
	// discoveryAsymmetricAlgs are the signature algorithms of CIBA
	// authentication requests (asymmetric only).
	discoveryAsymmetricAlgs = []string{"PS384", "RS384", "EdDSA", "ES384", "ES256", "RS256", "ES512", "PS256", "PS512", "RS512"}
	discoveryEncAlgs        = []string{"ECDH-ES+A256KW", "ECDH-ES+A192KW", "ECDH-ES+A128KW", "RSA-OAEP", "RSA-OAEP-256", "RSA1_5", "ECDH-ES"}
	discoveryEncEncs        = []string{"A256GCM", "A192GCM", "A128GCM", "A128CBC-HS256", "A192CBC-HS384", "A256CBC-HS512"}
	discoveryAuthMethods    = []string{"private_key_jwt", "client_secret_basic", "client_secret_post", "tls_client_auth", "client_secret_jwt"}
)

// withNone returns algs followed by "none".
func withNone(algs []string) []string {
	return append(append([]string{}, algs...), "none")
}

// discovery returns the OIDC discovery document of rm for issuer iss: every
// member of Keycloak 26's OIDCWellKnownProvider.getConfig.
func discovery(iss string) map[string]any {
	p := iss + "/protocol/openid-connect"
	par := p + "/ext/par/request"
	ciba := p + "/ext/ciba/auth"
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
		"acr_values_supported":                                            []string{"0", "1"},
		"response_types_supported":                                        []string{"code", "none", "id_token", "token", "id_token token", "code id_token", "code token", "code id_token token"},
		"subject_types_supported":                                         []string{"public", "pairwise"},
		"prompt_values_supported":                                         []string{"none", "login", "consent"},
		"id_token_signing_alg_values_supported":                           discoverySigningAlgs,
		"id_token_encryption_alg_values_supported":                        discoveryEncAlgs,
		"id_token_encryption_enc_values_supported":                        discoveryEncEncs,
		"userinfo_signing_alg_values_supported":                           withNone(discoverySigningAlgs),
		"userinfo_encryption_alg_values_supported":                        discoveryEncAlgs,
		"userinfo_encryption_enc_values_supported":                        discoveryEncEncs,
		"request_object_signing_alg_values_supported":                     withNone(discoverySigningAlgs),
		"request_object_encryption_alg_values_supported":                  discoveryEncAlgs,
		"request_object_encryption_enc_values_supported":                  discoveryEncEncs,
		"response_modes_supported":                                        []string{"query", "fragment", "form_post", "query.jwt", "fragment.jwt", "form_post.jwt", "jwt"},
		"registration_endpoint":                                           iss + "/clients-registrations/openid-connect",
		"token_endpoint_auth_methods_supported":                           discoveryAuthMethods,
		"token_endpoint_auth_signing_alg_values_supported":                discoverySigningAlgs,
		"introspection_endpoint_auth_methods_supported":                   discoveryAuthMethods,
		"introspection_endpoint_auth_signing_alg_values_supported":        discoverySigningAlgs,
		"authorization_signing_alg_values_supported":                      discoverySigningAlgs,
		"authorization_encryption_alg_values_supported":                   discoveryEncAlgs,
		"authorization_encryption_enc_values_supported":                   discoveryEncEncs,
		"claims_supported":                                                []string{"aud", "sub", "iss", "auth_time", "name", "given_name", "family_name", "preferred_username", "email", "acr"},
		"claim_types_supported":                                           []string{"normal"},
		"claims_parameter_supported":                                      true,
		"scopes_supported":                                                []string{"openid", "profile", "email", "roles", "web-origins", "acr", "basic", "offline_access", "address", "phone", "microprofile-jwt", "organization", "service_account"},
		"request_parameter_supported":                                     true,
		"request_uri_parameter_supported":                                 true,
		"require_request_uri_registration":                                true,
		"code_challenge_methods_supported":                                []string{"plain", "S256"},
		"tls_client_certificate_bound_access_tokens":                      true,
		"revocation_endpoint":                                             p + "/revoke",
		"revocation_endpoint_auth_methods_supported":                      discoveryAuthMethods,
		"revocation_endpoint_auth_signing_alg_values_supported":           discoverySigningAlgs,
		"backchannel_logout_supported":                                    true,
		"backchannel_logout_session_supported":                            true,
		"device_authorization_endpoint":                                   p + "/auth/device",
		"backchannel_token_delivery_modes_supported":                      []string{"poll", "ping"},
		"backchannel_authentication_endpoint":                             ciba,
		"backchannel_authentication_request_signing_alg_values_supported": discoveryAsymmetricAlgs,
		"require_pushed_authorization_requests":                           false,
		"pushed_authorization_request_endpoint":                           par,
		"mtls_endpoint_aliases": map[string]string{
			"token_endpoint":                        p + "/token",
			"revocation_endpoint":                   p + "/revoke",
			"introspection_endpoint":                p + "/token/introspect",
			"device_authorization_endpoint":         p + "/auth/device",
			"registration_endpoint":                 iss + "/clients-registrations/openid-connect",
			"userinfo_endpoint":                     p + "/userinfo",
			"pushed_authorization_request_endpoint": par,
			"backchannel_authentication_endpoint":   ciba,
		},
		"authorization_response_iss_parameter_supported": true,
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
	// Like Keycloak 26, the JWKS also lists the realm's RSA-OAEP encryption
	// key (use "enc"): clients must pick keys by kid and use, not take the
	// first.
	keys := make([]jwk, 0, len(rm.keys)+1)
	if rm.encKey != nil {
		keys = append(keys, rm.encKey.jwk())
	}
	for i := len(rm.keys) - 1; i >= 0; i-- {
		keys = append(keys, rm.keys[i].jwk())
	}
	w.Header().Set("Cache-Control", "no-cache")
	writeJSON(w, http.StatusOK, map[string]any{"keys": keys})
}
