package kctest

import (
	"encoding/json"
	"maps"
	"net/http"
	"slices"
)

// registerAdminMaintenance serves the realm's housekeeping endpoints:
// cache clearing (RealmAdminResource.clearRealmCache, clearUserCache,
// clearKeysCache, clearCrlCache), not-before push
// (RealmAdminResource.pushRevocation, ClientResource.pushRevocation),
// cluster nodes (ClientResource.registerNode, unregisterNode,
// testNodesAvailable), the registration access token
// (ClientResource.regenerateRegistrationAccessToken) and the credential
// registrators (RealmAdminResource.getCredentialRegistrators).
//
// kctest calls out to no client: a push or a node test reports every
// client admin URL or node it would have called as failed.
func (s *Server) registerAdminMaintenance(mux *http.ServeMux) {
	const r = "/admin/realms/{realm}"
	for _, cache := range []string{"clear-realm-cache", "clear-user-cache", "clear-keys-cache", "clear-crl-cache"} {
		s.handle(mux, "POST", r+"/"+cache, s.admin(permManageRealm, func(w http.ResponseWriter, _ *http.Request, _ *realm, _ *adminCaller) {
			noContent(w) // kctest keeps no cache: there is nothing to clear
		}))
	}
	s.handle(mux, "POST", r+"/push-revocation", s.admin(permManageRealm, func(w http.ResponseWriter, _ *http.Request, rm *realm, _ *adminCaller) {
		var failed []string
		for _, c := range rm.clients {
			if c.adminURL != "" {
				failed = append(failed, c.adminURL)
			}
		}
		slices.Sort(failed)
		writeJSON(w, http.StatusOK, globalRequestResult(nil, failed))
	}))
	const c = r + "/clients/{client}"
	s.handle(mux, "POST", c+"/push-revocation", s.admin(permManageClients, s.withClient(func(w http.ResponseWriter, _ *http.Request, _ *realm, cl *client) {
		var failed []string
		if cl.adminURL != "" {
			failed = []string{cl.adminURL}
		}
		writeJSON(w, http.StatusOK, globalRequestResult(nil, failed))
	})))
	s.handle(mux, "POST", c+"/nodes", s.admin(permManageClients, s.withClient(s.adminRegisterNode)))
	s.handle(mux, "DELETE", c+"/nodes/{node}", s.admin(permManageClients, s.withClient(func(w http.ResponseWriter, r *http.Request, _ *realm, cl *client) {
		nodes := cl.registeredNodes()
		node := r.PathValue("node")
		if _, ok := nodes[node]; !ok {
			writeGenericError(w, http.StatusNotFound, "Client does not have node "+node)
			return
		}
		delete(nodes, node)
		cl.setRegisteredNodes(nodes)
		noContent(w)
	})))
	s.handle(mux, "GET", c+"/test-nodes-available", s.admin(permManageClients, s.withClient(func(w http.ResponseWriter, _ *http.Request, _ *realm, cl *client) {
		writeJSON(w, http.StatusOK, globalRequestResult(nil, slices.Sorted(maps.Keys(cl.registeredNodes()))))
	})))
	s.handle(mux, "POST", c+"/registration-access-token", s.admin(permManageClients, s.withClient(func(w http.ResponseWriter, r *http.Request, rm *realm, cl *client) {
		now := s.clock.Now().Unix()
		issuer := s.issuer(r, rm.name)
		tok, err := signHS512(rm.hmacSecret, rm.hmacKid, map[string]any{"jti": newID(), "iat": now, "iss": issuer, "aud": issuer,
			"typ": "Bearer", "registration_auth": "authenticated"})
		if err != nil {
			writeGenericError(w, http.StatusInternalServerError, "unknown_error")
			return
		}
		rep := rm.clientRep(cl, false)
		rep["registrationAccessToken"] = tok
		writeJSON(w, http.StatusOK, rep)
	})))
	s.handle(mux, "GET", r+"/credential-registrators", s.admin(permViewRealm, func(w http.ResponseWriter, _ *http.Request, rm *realm, _ *adminCaller) {
		out := []string{}
		for _, a := range rm.authnOf().actions {
			if a.enabled && credentialRegistrators[a.providerID] {
				out = append(out, a.providerID)
			}
		}
		writeJSON(w, http.StatusOK, out)
	}))
}

// credentialRegistrators are the required actions that implement
// Keycloak's CredentialRegistrator.
var credentialRegistrators = map[string]bool{
	"CONFIGURE_TOTP": true, "UPDATE_PASSWORD": true, "webauthn-register": true,
	"webauthn-register-passwordless": true, "CONFIGURE_RECOVERY_AUTHN_CODES": true,
}

// globalRequestResult is a GlobalRequestResult; empty lists are left out.
func globalRequestResult(ok, failed []string) map[string][]string {
	out := map[string][]string{}
	if len(ok) > 0 {
		out["successRequests"] = ok
	}
	if len(failed) > 0 {
		out["failedRequests"] = failed
	}
	return out
}

// adminRegisterNode registers a cluster node of the client: a JSON body
// {"node": host}, as ClientResource.registerNode reads it.
func (s *Server) adminRegisterNode(w http.ResponseWriter, r *http.Request, _ *realm, cl *client) {
	var in map[string]string
	if !decodeAdminJSON(w, r, &in) {
		return
	}
	node := in["node"]
	if node == "" {
		writeGenericError(w, http.StatusBadRequest, "Node not found in params")
		return
	}
	nodes := cl.registeredNodes()
	nodes[node] = int(s.clock.Now().Unix())
	cl.setRegisteredNodes(nodes)
	noContent(w)
}

// registeredNodes returns the client's cluster nodes (registeredNodes of
// its representation: host to registration time in seconds).
func (c *client) registeredNodes() map[string]int {
	nodes := map[string]int{}
	_ = json.Unmarshal(c.extra["registeredNodes"], &nodes)
	return nodes
}

func (c *client) setRegisteredNodes(nodes map[string]int) {
	if c.extra == nil {
		c.extra = map[string]json.RawMessage{}
	}
	if len(nodes) == 0 {
		delete(c.extra, "registeredNodes")
		return
	}
	b, _ := json.Marshal(nodes)
	c.extra["registeredNodes"] = b
}
