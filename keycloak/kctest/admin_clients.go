package kctest

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
)

func (s *Server) registerAdminClients(mux *http.ServeMux) {
	const cs = "/admin/realms/{realm}/clients"
	const one = cs + "/{client}"
	s.handle(mux, "GET", cs, s.admin(permQueryClients, s.adminListClients))
	s.handle(mux, "POST", cs, s.admin(permManageClients, s.adminCreateClient))
	s.handle(mux, "GET", one, s.admin(permViewClients, s.withClient(s.adminGetClient)))
	s.handle(mux, "PUT", one, s.admin(permManageClients, s.withClient(s.adminUpdateClient)))
	s.handle(mux, "DELETE", one, s.admin(permManageClients, s.withClient(s.adminDeleteClient)))
	s.handle(mux, "GET", one+"/client-secret", s.admin(permViewClients, s.withClient(s.adminClientSecret)))
	s.handle(mux, "POST", one+"/client-secret", s.admin(permManageClients, s.withClient(s.adminRegenerateSecret)))
	s.handle(mux, "GET", one+"/service-account-user", s.admin(permViewClients, s.withClient(s.adminServiceAccountUser)))
	for _, kind := range []string{"default-client-scopes", "optional-client-scopes"} {
		s.handle(mux, "GET", one+"/"+kind, s.admin(permViewClients, s.withClient(s.adminClientScopesOf(kind))))
		s.handle(mux, "PUT", one+"/"+kind+"/{scope}", s.admin(permManageClients, s.withClient(s.adminLinkClientScope(kind, true))))
		s.handle(mux, "DELETE", one+"/"+kind+"/{scope}", s.admin(permManageClients, s.withClient(s.adminLinkClientScope(kind, false))))
	}
	s.handle(mux, "GET", one+"/session-count", s.admin(permViewClients, s.withClient(s.adminSessionCount(false))))
	s.handle(mux, "GET", one+"/offline-session-count", s.admin(permViewClients, s.withClient(s.adminSessionCount(true))))
	s.handle(mux, "GET", one+"/user-sessions", s.admin(permViewClients, s.withClient(s.adminClientSessions)))
	s.registerEvaluateScopes(mux, one) // admin_evaluate.go
	s.registerMappers(mux, one, func(rm *realm, r *http.Request) *[]json.RawMessage {
		if c := rm.clients[r.PathValue("client")]; c != nil {
			return &c.protocolMappers
		}
		return nil
	}, "Could not find client", permViewClients, permManageClients)
	s.registerScopeMappings(mux, one, func(rm *realm, r *http.Request) *[]*role {
		if c := rm.clients[r.PathValue("client")]; c != nil {
			return &c.scopeRoles
		}
		return nil
	}, "Could not find client", permViewClients, permManageClients)
	s.registerRoleContainer(mux, one+"/roles", func(rm *realm, r *http.Request) (*client, bool) {
		c := rm.clients[r.PathValue("client")]
		return c, c != nil
	})
}

type clientHandler func(w http.ResponseWriter, r *http.Request, rm *realm, c *client)

// withClient resolves {client} (a UUID), or answers 404.
func (s *Server) withClient(h clientHandler) adminHandler {
	return func(w http.ResponseWriter, r *http.Request, rm *realm, _ *adminCaller) {
		c := rm.clients[r.PathValue("client")]
		if c == nil {
			writeGenericError(w, http.StatusNotFound, "Could not find client")
			return
		}
		h(w, r, rm, c)
	}
}

func (s *Server) adminListClients(w http.ResponseWriter, r *http.Request, rm *realm, _ *adminCaller) {
	q := r.URL.Query()
	id, search := q.Get("clientId"), q.Get("search") == "true"
	attrs := parseQ(q.Get("q"))
	var list []*client
	for _, c := range rm.clients {
		if id != "" {
			if search && !strings.Contains(strings.ToLower(c.clientID), strings.ToLower(id)) || !search && c.clientID != id {
				continue
			}
		}
		ok := true
		for k, v := range attrs {
			if c.attributes[k] != v {
				ok = false
			}
		}
		if ok {
			list = append(list, c)
		}
	}
	slices.SortFunc(list, func(a, b *client) int { return strings.Compare(a.clientID, b.clientID) })
	first, end := page(r, len(list), -1)
	out := make([]map[string]any, 0, end-first)
	for _, c := range list[first:end] {
		out = append(out, rm.clientRep(c, true))
	}
	writeJSON(w, http.StatusOK, out)
}

// applyClient copies the fields sent into c.
func (rm *realm) applyClient(s *Server, c *client, in *clientInput) {
	str := func(dst *string, v *string) {
		if v != nil {
			*dst = *v
		}
	}
	bl := func(dst *bool, v *bool) {
		if v != nil {
			*dst = *v
		}
	}
	str(&c.clientID, in.ClientID)
	str(&c.name, in.Name)
	str(&c.description, in.Description)
	str(&c.rootURL, in.RootURL)
	str(&c.adminURL, in.AdminURL)
	str(&c.baseURL, in.BaseURL)
	str(&c.clientAuthenticator, in.ClientAuthenticatorType)
	str(&c.secret, in.Secret)
	str(&c.protocol, in.Protocol)
	bl(&c.enabled, in.Enabled)
	bl(&c.bearerOnly, in.BearerOnly)
	bl(&c.consentRequired, in.ConsentRequired)
	bl(&c.standardFlow, in.StandardFlowEnabled)
	bl(&c.implicitFlow, in.ImplicitFlowEnabled)
	bl(&c.directAccessGrants, in.DirectAccessGrantsEnabled)
	bl(&c.publicClient, in.PublicClient)
	bl(&c.frontchannelLogout, in.FrontchannelLogout)
	bl(&c.fullScopeAllowed, in.FullScopeAllowed)
	if in.RedirectURIs != nil {
		c.redirectURIs = slices.Clone(in.RedirectURIs)
	}
	if in.WebOrigins != nil {
		c.webOrigins = slices.Clone(in.WebOrigins)
	}
	for k, v := range in.Attributes {
		c.attributes[k] = v
	}
	if in.DefaultClientScopes != nil {
		c.defaultClientScopes = rm.existingScopeNames(in.DefaultClientScopes)
	}
	if in.OptionalClientScopes != nil {
		c.optionalClientScopes = rm.existingScopeNames(in.OptionalClientScopes)
	}
	now := s.now().UnixMilli()
	if in.ServiceAccountsEnabled != nil {
		if *in.ServiceAccountsEnabled {
			rm.enableServiceAccount(c, now)
		} else {
			c.serviceAccounts = false
		}
	}
	if in.AuthorizationServicesEnabled != nil && *in.AuthorizationServicesEnabled {
		rm.enableAuthorization(c, now)
	}
	if c.confidential() && !c.bearerOnly && c.secret == "" {
		c.secret = randomSecret(32)
	}
}

func (rm *realm) existingScopeNames(names []string) []string {
	var out []string
	for _, n := range names {
		if rm.scopeByName(n) != nil && !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	return nonNil(out)
}

func (s *Server) adminCreateClient(w http.ResponseWriter, r *http.Request, rm *realm, _ *adminCaller) {
	var in clientInput
	if !decodeAdminJSON(w, r, &in) {
		return
	}
	// Keycloak: ClientsResource.createClient runs no clientId check, and
	// JpaRealmProvider.addClient stores a client without one under its id
	// (if (clientId == null) clientId = id).
	if in.ClientID == nil {
		id := in.ID
		if id == "" {
			id = newID()
			in.ID = id
		}
		in.ClientID = &id
	}
	if rm.findClientByClientID(*in.ClientID) != nil {
		writeErrorMessage(w, http.StatusConflict, "Client "+*in.ClientID+" already exists")
		return
	}
	if in.ID != "" && rm.clients[in.ID] != nil {
		writeErrorMessage(w, http.StatusConflict, "Client "+*in.ClientID+" already exists")
		return
	}
	c := rm.newClientModel(*in.ClientID)
	if in.ID != "" {
		c.id = in.ID
	}
	c.standardFlow = true
	c.attributes["realm_client"] = "false"
	if in.Protocol != nil && *in.Protocol == "openid-connect" {
		// OIDCLoginProtocolFactory.setupClientDefaults
		if in.PublicClient == nil && in.BearerOnly == nil {
			c.publicClient = true
		}
		c.directAccessGrants = true
		c.attributes["backchannel.logout.session.required"] = "true"
		c.attributes["backchannel.logout.revoke.offline.tokens"] = "false"
		if in.RootURL != nil && *in.RootURL != "" && in.RedirectURIs == nil {
			root := strings.TrimSuffix(*in.RootURL, "/")
			c.redirectURIs = []string{root + "/*"}
			c.adminURL = root
		}
	}
	c.defaultClientScopes = rm.oidcScopeNames(rm.defaultScopes)
	c.optionalClientScopes = rm.oidcScopeNames(rm.optionalScopes)
	for _, raw := range in.ProtocolMappers {
		if m, ok := normaliseMapper(raw); ok {
			c.protocolMappers = append(c.protocolMappers, m)
		}
	}
	rm.clients[c.id] = c
	rm.applyClient(s, c, &in)
	created(w, r, s, c.id)
}

func (s *Server) adminGetClient(w http.ResponseWriter, _ *http.Request, rm *realm, c *client) {
	writeJSON(w, http.StatusOK, rm.clientRep(c, true))
}

func (s *Server) adminUpdateClient(w http.ResponseWriter, r *http.Request, rm *realm, c *client) {
	var in clientInput
	if !decodeAdminJSON(w, r, &in) {
		return
	}
	if in.ClientID != nil {
		if strings.TrimSpace(*in.ClientID) == "" {
			writeOAuthError(w, http.StatusBadRequest, "invalid_input", "Client ID is missing")
			return
		}
		if o := rm.findClientByClientID(*in.ClientID); o != nil && o != c {
			writeErrorMessage(w, http.StatusConflict, "Client already exists")
			return
		}
	}
	rm.applyClient(s, c, &in)
	noContent(w)
}

// dropRoles removes roles from every mapping, composite and scope of rm.
func (rm *realm) dropRoles(gone func(*role) bool) {
	for _, u := range rm.users {
		u.roles = slices.DeleteFunc(u.roles, gone)
	}
	for _, g := range rm.groups {
		g.roles = slices.DeleteFunc(g.roles, gone)
	}
	for _, r := range rm.roles {
		r.composites = slices.DeleteFunc(r.composites, gone)
	}
	for _, c := range rm.clients {
		c.scopeRoles = slices.DeleteFunc(c.scopeRoles, gone)
		for _, r := range c.roles {
			r.composites = slices.DeleteFunc(r.composites, gone)
		}
	}
	for _, sc := range rm.scopes {
		sc.scopeRoles = slices.DeleteFunc(sc.scopeRoles, gone)
	}
}

func (s *Server) adminDeleteClient(w http.ResponseWriter, _ *http.Request, rm *realm, c *client) {
	rm.dropRoles(func(r *role) bool { return r.client == c })
	rm.removeClient(c)
	noContent(w)
}

func (s *Server) adminClientSecret(w http.ResponseWriter, _ *http.Request, _ *realm, c *client) {
	out := map[string]string{"type": "secret"}
	if c.secret != "" {
		out["value"] = c.secret
	}
	writeJSON(w, http.StatusOK, out)
}

// adminRegenerateSecret generates a new secret for any client, public or
// not. Keycloak: ClientResource.regenerateSecret calls
// KeycloakModelUtils.generateSecret(client) with no public-client check.
func (s *Server) adminRegenerateSecret(w http.ResponseWriter, _ *http.Request, _ *realm, c *client) {
	c.secret = randomSecret(32)
	writeJSON(w, http.StatusOK, map[string]string{"type": "secret", "value": c.secret})
}

func (s *Server) adminServiceAccountUser(w http.ResponseWriter, _ *http.Request, rm *realm, c *client) {
	if !c.serviceAccounts || c.serviceAccountUser == nil {
		writeGenericError(w, http.StatusBadRequest, "Service account not enabled for the client '"+c.clientID+"'")
		return
	}
	writeJSON(w, http.StatusOK, rm.adminUser(c.serviceAccountUser, false, true))
}

func (s *Server) adminClientScopesOf(kind string) clientHandler {
	return func(w http.ResponseWriter, _ *http.Request, rm *realm, c *client) {
		names := c.defaultClientScopes
		if kind == "optional-client-scopes" {
			names = c.optionalClientScopes
		}
		writeJSON(w, http.StatusOK, rm.scopeRefs(names))
	}
}

func (s *Server) adminLinkClientScope(kind string, add bool) clientHandler {
	return func(w http.ResponseWriter, r *http.Request, rm *realm, c *client) {
		sc := rm.scopes[r.PathValue("scope")]
		if sc == nil {
			writeGenericError(w, http.StatusNotFound, "Client scope not found")
			return
		}
		list, other := &c.defaultClientScopes, &c.optionalClientScopes
		if kind == "optional-client-scopes" {
			list, other = other, list
		}
		if add {
			if sc.protocol != c.protocol {
				writeErrorMessage(w, http.StatusBadRequest, "Protocol of client scope does not match the client's protocol")
				return
			}
			if !slices.Contains(*list, sc.name) && !slices.Contains(*other, sc.name) {
				*list = append(*list, sc.name)
			}
		} else {
			*list = slices.DeleteFunc(*list, func(n string) bool { return n == sc.name })
		}
		noContent(w)
	}
}

func (s *Server) adminSessionCount(offline bool) clientHandler {
	return func(w http.ResponseWriter, _ *http.Request, rm *realm, c *client) {
		n := len(rm.activeSessions(s, func(sess *userSession) bool { return sess.offline == offline && sess.clients[c.id] != nil }))
		writeJSON(w, http.StatusOK, map[string]int{"count": n})
	}
}

func (s *Server) adminClientSessions(w http.ResponseWriter, r *http.Request, rm *realm, c *client) {
	list := rm.activeSessions(s, func(sess *userSession) bool { return !sess.offline && sess.clients[c.id] != nil })
	first, end := page(r, len(list), 100)
	writeJSON(w, http.StatusOK, list[first:end])
}
