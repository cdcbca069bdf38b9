package kctest

import (
	"bytes"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"slices"
	"strings"
)

// The client registration service: /realms/{realm}/clients-registrations
// with the "default" provider (ClientRepresentation) and the
// "openid-connect" one (RFC 7591 client metadata), after Keycloak's
// ClientRegistrationService, AbstractClientRegistrationProvider,
// DefaultClientRegistrationProvider, OIDCClientRegistrationProvider and
// ClientRegistrationAuth. A client is created with an initial access token
// (clients-initial-access), a bearer token granting manage-clients or
// create-client, or anonymously as far as the realm's "trusted-hosts"
// anonymous policy allows; it is then read, updated and deleted with its
// registration access token, which an update rotates. Of the anonymous
// client-registration policies only "trusted-hosts" is enforced.

const (
	typInitialAccess      = "InitialAccessToken"
	typRegistrationAccess = "RegistrationAccessToken"
)

// cregAuth is the Authorization of a registration request.
type cregAuth struct {
	kind   string // "", "bearer", "initial", "registration"
	claims claims
	user   *user
	ia     *initialAccess
}

// cregError is an ErrorResponseException: {"error", "error_description"}.
type cregError struct {
	status    int
	code, msg string
}

func (e *cregError) write(w http.ResponseWriter) { writeOAuthError(w, e.status, e.code, e.msg) }

func cregUnauthorized(msg string) *cregError {
	return &cregError{http.StatusUnauthorized, "invalid_token", msg}
}

func cregForbidden(msg string) *cregError {
	return &cregError{http.StatusForbidden, "insufficient_scope", msg}
}

// cregAuthOf reads the bearer token of r (ClientRegistrationAuth.init).
func (s *Server) cregAuthOf(r *http.Request, rm *realm) (*cregAuth, *cregError) {
	a := &cregAuth{}
	scheme, tok, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "bearer") {
		return a, nil
	}
	tok = strings.TrimSpace(tok)
	t, err := parseJWT(tok)
	if err != nil {
		return nil, cregUnauthorized("Failed decode token")
	}
	switch typ := t.claims.str("typ"); typ {
	case typInitialAccess, typRegistrationAccess:
		if !verifyHMAC(t, rm.hmacSecret) || t.claims.str("iss") != s.issuer(r, rm.name) {
			return nil, cregUnauthorized("Invalid token")
		}
		a.claims = t.claims
		if typ == typRegistrationAccess {
			a.kind = "registration"
			return a, nil
		}
		a.kind = "initial"
		i := slices.IndexFunc(rm.adminState().initialAccess, func(ia *initialAccess) bool { return ia.ID == t.claims.str("jti") })
		if i < 0 {
			return nil, cregUnauthorized("Initial Access Token not found")
		}
		a.ia = rm.adminState().initialAccess[i]
		return a, nil
	default:
		tc := s.checkAccessToken(rm, tok, s.now())
		if !tc.active() || tc.user == nil {
			return nil, cregUnauthorized("Invalid token")
		}
		a.kind, a.claims, a.user = "bearer", tc.claims, tc.user
		return a, nil
	}
}

// hasAdminRole reports whether the bearer's user has one of roles of the
// realm's admin client (realm-management, or master-realm in master).
func (a *cregAuth) hasAdminRole(rm *realm, roles ...string) bool {
	if a.user == nil {
		return false
	}
	adminClient := "realm-management"
	if rm.name == "master" {
		adminClient = "master-realm"
	}
	return slices.ContainsFunc(roles, func(name string) bool { return rm.hasRole(a.user, adminClient, name) })
}

// requireCreate is ClientRegistrationAuth.requireCreate; it returns the
// registration_auth of the new client's token.
func (s *Server) cregRequireCreate(r *http.Request, rm *realm, a *cregAuth) (string, *cregError) {
	switch a.kind {
	case "bearer":
		if !a.hasAdminRole(rm, "manage-clients", "create-client") {
			return "", cregForbidden("Forbidden")
		}
		return "authenticated", nil
	case "initial":
		if a.ia.RemainingCount <= 0 {
			return "", cregUnauthorized("No remaining count on initial access token")
		}
		if a.ia.Expiration != 0 && a.ia.Timestamp+int64(a.ia.Expiration) <= s.now().Unix() {
			return "", cregUnauthorized("Expired initial access token")
		}
		return "authenticated", nil
	case "registration":
		return "anonymous", nil
	}
	// Anonymous: TrustedHostClientRegistrationPolicy of the anonymous
	// policies, when the realm has one.
	for _, c := range rm.components {
		if c.providerType != "org.keycloak.services.clientregistration.policy.ClientRegistrationPolicy" || c.subType != "anonymous" || c.providerID != "trusted-hosts" {
			continue
		}
		host, _, err := net.SplitHostPort(r.RemoteAddr)
		if err != nil {
			host = r.RemoteAddr
		}
		if !slices.Contains(c.config["trusted-hosts"], host) {
			return "", cregForbidden("Policy 'Trusted Hosts' rejected request to client-registration service. Details: Host not trusted.")
		}
	}
	return "anonymous", nil
}

// cregRequireClient is requireView (view) or requireUpdateAuth: the
// bearer of an admin, or the client's current registration access token.
func (rm *realm) cregRequireClient(c *client, a *cregAuth, view bool) *cregError {
	switch a.kind {
	case "bearer":
		roles := []string{"manage-clients"}
		if view {
			roles = append(roles, "view-clients")
		}
		if !a.hasAdminRole(rm, roles...) {
			return cregForbidden("Forbidden")
		}
		if c == nil {
			return &cregError{http.StatusNotFound, "invalid_request", "Client not found"}
		}
		return nil
	case "registration":
		if c != nil && rm.regTokens[c.id] != "" && rm.regTokens[c.id] == a.claims.str("jti") {
			return nil
		}
	case "initial":
		if view {
			return cregUnauthorized("Not initial access token allowed")
		}
	}
	if view {
		return cregUnauthorized("Not authorized to view client. Not valid token or client credentials provided.")
	}
	return cregUnauthorized("Not authorized to update client. Maybe missing token or bad token type.")
}

// registrationToken signs c's registration access token; rotate gives it
// a new id, which invalidates the previous token
// (ClientRegistrationTokenUtils.updateRegistrationAccessToken).
func (s *Server) registrationToken(r *http.Request, rm *realm, c *client, regAuth string, rotate bool) string {
	if rm.regTokens == nil {
		rm.regTokens = map[string]string{}
	}
	if rotate || rm.regTokens[c.id] == "" {
		rm.regTokens[c.id] = newID()
	}
	iss := s.issuer(r, rm.name)
	tok, _ := signHS512(rm.hmacSecret, rm.hmacKid, map[string]any{"jti": rm.regTokens[c.id], "iat": s.now().Unix(),
		"iss": iss, "aud": iss, "typ": typRegistrationAccess, "registration_auth": regAuth})
	return tok
}

func (s *Server) registerClientRegistration(mux *http.ServeMux) {
	s.registerClientRegistrationInstall(mux)
	for _, ep := range []string{"default", "openid-connect"} {
		base := "/realms/{realm}/clients-registrations/" + ep
		oidc := ep == "openid-connect"
		s.handle(mux, "POST", base, s.creg(func(w http.ResponseWriter, r *http.Request, rm *realm, a *cregAuth) {
			s.cregCreate(w, r, rm, a, oidc)
		}))
		s.handle(mux, "GET", base+"/{clientId}", s.creg(func(w http.ResponseWriter, r *http.Request, rm *realm, a *cregAuth) {
			c := rm.findClientByClientID(r.PathValue("clientId"))
			if e := rm.cregRequireClient(c, a, true); e != nil {
				e.write(w)
				return
			}
			tok := ""
			if a.kind == "registration" {
				tok = s.registrationToken(r, rm, c, a.claims.str("registration_auth"), false)
			}
			writeJSON(w, http.StatusOK, s.cregRep(r, rm, c, tok, oidc))
		}))
		s.handle(mux, "PUT", base+"/{clientId}", s.creg(func(w http.ResponseWriter, r *http.Request, rm *realm, a *cregAuth) {
			c := rm.findClientByClientID(r.PathValue("clientId"))
			if e := rm.cregRequireClient(c, a, false); e != nil {
				e.write(w)
				return
			}
			in, ok := cregInput(w, r, oidc)
			if !ok {
				return
			}
			if oidc {
				id := c.clientID
				in.ClientID = &id
			}
			if in.ClientID == nil || *in.ClientID != c.clientID {
				writeOAuthError(w, http.StatusBadRequest, "invalid_client_metadata", "Client Identifier modified")
				return
			}
			rm.applyClient(s, c, in)
			tok := ""
			if a.kind == "registration" {
				tok = s.registrationToken(r, rm, c, a.claims.str("registration_auth"), true)
			}
			writeJSON(w, http.StatusOK, s.cregRep(r, rm, c, tok, oidc))
		}))
		s.handle(mux, "DELETE", base+"/{clientId}", s.creg(func(w http.ResponseWriter, r *http.Request, rm *realm, a *cregAuth) {
			c := rm.findClientByClientID(r.PathValue("clientId"))
			if e := rm.cregRequireClient(c, a, false); e != nil {
				e.write(w)
				return
			}
			rm.removeClient(c)
			delete(rm.regTokens, c.id)
			noContent(w)
		}))
	}
}

// registerClientRegistrationInstall serves the "install" provider
// (AdapterInstallationClientRegistrationProvider.get): the client's
// keycloak.json, for its registration access token, an admin's bearer
// token, or anyone when the client is public (requireView with
// allowPublicClient).
func (s *Server) registerClientRegistrationInstall(mux *http.ServeMux) {
	s.handle(mux, "GET", "/realms/{realm}/clients-registrations/install/{clientId}", s.creg(func(w http.ResponseWriter, r *http.Request, rm *realm, a *cregAuth) {
		c := rm.findClientByClientID(r.PathValue("clientId"))
		if a.kind == "" && c != nil && c.publicClient {
			a.kind = "public"
		}
		if a.kind != "public" {
			if e := rm.cregRequireClient(c, a, true); e != nil {
				e.write(w)
				return
			}
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write([]byte(s.keycloakJSON(rm, c, s.baseURL(r)+"/")))
	}))
}

// creg locks the store, finds the realm and reads the Authorization.
func (s *Server) creg(h func(w http.ResponseWriter, r *http.Request, rm *realm, a *cregAuth)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		defer s.mu.Unlock()
		rm := s.lookupRealm(w, r)
		if rm == nil {
			return
		}
		a, e := s.cregAuthOf(r, rm)
		if e != nil {
			e.write(w)
			return
		}
		h(w, r, rm, a)
	}
}

// cregInput reads a ClientRepresentation, or OIDC client metadata turned
// into one (DescriptionConverter.toInternal).
func cregInput(w http.ResponseWriter, r *http.Request, oidc bool) (*clientInput, bool) {
	b, err := readAllLimited(r.Body)
	if err != nil {
		writeGenericError(w, http.StatusBadRequest, "unknown_error")
		return nil, false
	}
	var rep any
	if !oidc {
		rep = json.RawMessage(b)
	} else {
		var md map[string]json.RawMessage
		if json.Unmarshal(b, &md) != nil {
			writeGenericError(w, http.StatusBadRequest, "unknown_error")
			return nil, false
		}
		rep = oidcMetadataToRep(md)
	}
	raw, _ := json.Marshal(rep)
	var in clientInput
	if json.Unmarshal(raw, &in) != nil {
		writeGenericError(w, http.StatusBadRequest, "unknown_error")
		return nil, false
	}
	return &in, true
}

// oidcMetadataToRep maps RFC 7591 client metadata to a client
// representation, as DescriptionConverter.toInternal does for the members
// kctest models. Client registration's openid-connect provider and the
// admin client-description-converter both call it, as Keycloak's do.
func oidcMetadataToRep(md map[string]json.RawMessage) map[string]any {
	str := func(k string) string { var v string; _ = json.Unmarshal(md[k], &v); return v }
	strs := func(k string) []string { var v []string; _ = json.Unmarshal(md[k], &v); return v }
	attrs := map[string]string{}
	rep := map[string]any{"protocol": "openid-connect", "attributes": attrs}
	for k, field := range map[string]string{"client_id": "clientId", "client_name": "name", "client_secret": "secret", "client_uri": "baseUrl"} {
		if v := str(k); v != "" {
			rep[field] = v
		}
	}
	if v := strs("redirect_uris"); v != nil {
		rep["redirectUris"] = v
	}
	for k, a := range map[string]string{"logo_uri": "logoUri", "policy_uri": "policyUri", "tos_uri": "tosUri",
		"jwks_uri": "jwks.url", "request_object_signing_alg": "request.object.signature.alg",
		"userinfo_signed_response_alg": "user.info.response.signature.alg", "id_token_signed_response_alg": "id.token.signed.response.alg"} {
		if v := str(k); v != "" {
			attrs[a] = v
		}
	}
	if attrs["jwks.url"] != "" {
		attrs["use.jwks.url"] = "true"
	}
	switch str("token_endpoint_auth_method") {
	case "none":
		rep["publicClient"] = true
	case "private_key_jwt":
		rep["clientAuthenticatorType"] = "client-jwt"
	case "client_secret_jwt":
		rep["clientAuthenticatorType"] = "client-secret-jwt"
	case "tls_client_auth":
		rep["clientAuthenticatorType"] = "client-x509"
	default:
		rep["clientAuthenticatorType"] = "client-secret"
	}
	grants := strs("grant_types")
	if grants == nil {
		grants = []string{"authorization_code"}
	}
	rep["standardFlowEnabled"] = slices.Contains(grants, "authorization_code")
	rep["implicitFlowEnabled"] = slices.Contains(grants, "implicit")
	rep["directAccessGrantsEnabled"] = slices.Contains(grants, "password")
	rep["serviceAccountsEnabled"] = slices.Contains(grants, "client_credentials")
	if slices.Contains(grants, "urn:ietf:params:oauth:grant-type:device_code") {
		attrs["oauth2.device.authorization.grant.enabled"] = "true"
	}
	if slices.Contains(grants, "refresh_token") {
		attrs["use.refresh.tokens"] = "true"
	}
	if c := strs("contacts"); len(c) > 0 {
		attrs["contacts"] = strings.Join(c, "##")
	}
	return rep
}

// cregCreate is AbstractClientRegistrationProvider.create: 201, the
// Location of the client under the endpoint, and the client with its
// secret and registration access token.
func (s *Server) cregCreate(w http.ResponseWriter, r *http.Request, rm *realm, a *cregAuth, oidc bool) {
	if oidc {
		var probe struct {
			ClientID string `json:"client_id"`
		}
		b, _ := readAllLimited(r.Body)
		_ = json.Unmarshal(b, &probe)
		if probe.ClientID != "" {
			writeOAuthError(w, http.StatusBadRequest, "invalid_client_metadata", "Client Identifier included")
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(b))
	}
	in, ok := cregInput(w, r, oidc)
	if !ok {
		return
	}
	regAuth, e := s.cregRequireCreate(r, rm, a)
	if e != nil {
		e.write(w)
		return
	}
	if in.ClientID == nil || *in.ClientID == "" {
		id := newID()
		in.ClientID = &id
	}
	if rm.findClientByClientID(*in.ClientID) != nil || (in.ID != "" && rm.clients[in.ID] != nil) {
		writeOAuthError(w, http.StatusBadRequest, "invalid_client_metadata", "Client Identifier in use")
		return
	}
	c := rm.newClientModel(*in.ClientID)
	if in.ID != "" {
		c.id = in.ID
	}
	c.standardFlow = true
	c.attributes["realm_client"] = "false"
	c.defaultClientScopes = rm.oidcScopeNames(rm.defaultScopes)
	c.optionalClientScopes = rm.oidcScopeNames(rm.optionalScopes)
	if c.secret == "" {
		c.secret = randomSecret(32)
	}
	rm.clients[c.id] = c
	rm.applyClient(s, c, in)
	if a.kind == "initial" {
		a.ia.RemainingCount--
	}
	tok := s.registrationToken(r, rm, c, regAuth, true)
	w.Header().Set("Location", s.baseURL(r)+strings.TrimSuffix(strings.TrimPrefix(r.URL.EscapedPath(), s.basePath), "/")+"/"+escapeSegment(c.clientID))
	writeJSON(w, http.StatusCreated, s.cregRep(r, rm, c, tok, oidc))
}

// cregRep is the answer: the client representation with secret and
// registrationAccessToken, or for openid-connect the client metadata
// (OIDCClientRepresentation, DescriptionConverter.toExternalResponse).
func (s *Server) cregRep(r *http.Request, rm *realm, c *client, tok string, oidc bool) map[string]any {
	rep := rm.clientRep(c, false)
	if !c.publicClient && !c.bearerOnly {
		rep["secret"] = c.secret
	}
	if !oidc {
		if tok != "" {
			rep["registrationAccessToken"] = tok
		}
		return rep
	}
	out := map[string]any{"client_id": c.clientID, "redirect_uris": nonNil(c.redirectURIs),
		"client_id_issued_at": 0, "client_secret_expires_at": 0, "subject_type": "public",
		"tls_client_certificate_bound_access_tokens": false,
		"registration_client_uri":                    s.issuer(r, rm.name) + "/clients-registrations/openid-connect/" + escapeSegment(c.clientID)}
	method := "client_secret_basic"
	switch {
	case c.publicClient:
		method = "none"
	case c.clientAuthenticator == "client-jwt":
		method = "private_key_jwt"
	case c.clientAuthenticator == "client-secret-jwt":
		method = "client_secret_jwt"
	case c.clientAuthenticator == "client-x509":
		method = "tls_client_auth"
	}
	out["token_endpoint_auth_method"] = method
	if !c.publicClient {
		out["client_secret"] = c.secret
	}
	grants, responses := []string{}, []string{"none"}
	if c.standardFlow {
		grants = append(grants, "authorization_code")
		responses = append(responses, "code")
	}
	if c.implicitFlow {
		grants = append(grants, "implicit")
		responses = append(responses, "id_token", "token", "id_token token")
	}
	if c.directAccessGrants {
		grants = append(grants, "password")
	}
	if c.serviceAccounts {
		grants = append(grants, "client_credentials")
	}
	if c.attributes["use.refresh.tokens"] != "false" {
		grants = append(grants, "refresh_token")
	}
	out["grant_types"], out["response_types"] = grants, responses
	if c.name != "" {
		out["client_name"] = c.name
	}
	if c.baseURL != "" {
		out["client_uri"] = c.baseURL
	}
	for a, k := range map[string]string{"logoUri": "logo_uri", "policyUri": "policy_uri", "tosUri": "tos_uri", "jwks.url": "jwks_uri"} {
		if v := c.attributes[a]; v != "" {
			out[k] = v
		}
	}
	if tok != "" {
		out["registration_access_token"] = tok
	}
	return out
}
