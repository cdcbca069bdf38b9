package kctest

import (
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// registerAdminMore registers the smaller endpoints: realm default client
// scopes, keys, logout-all, and the less used user and client calls.
func (s *Server) registerAdminMore(mux *http.ServeMux) {
	const r = "/admin/realms/{realm}"
	for _, kind := range []string{"default-default-client-scopes", "default-optional-client-scopes"} {
		s.handle(mux, "GET", r+"/"+kind, s.admin(permViewRealm, s.adminRealmScopes(kind)))
		s.handle(mux, "PUT", r+"/"+kind+"/{scope}", s.admin(permManageRealm, s.adminLinkRealmScope(kind, true)))
		s.handle(mux, "DELETE", r+"/"+kind+"/{scope}", s.admin(permManageRealm, s.adminLinkRealmScope(kind, false)))
	}
	s.handle(mux, "GET", r+"/keys", s.admin(permViewRealm, s.adminKeys))
	s.handle(mux, "GET", r+"/default-groups", s.admin(permViewRealm, s.adminDefaultGroups))
	s.handle(mux, "PUT", r+"/default-groups/{id}", s.admin(permManageRealm, s.withGroup(s.adminLinkDefaultGroup(true))))
	s.handle(mux, "DELETE", r+"/default-groups/{id}", s.admin(permManageRealm, s.withGroup(s.adminLinkDefaultGroup(false))))
	s.handle(mux, "GET", r+"/attack-detection/brute-force/users/{id}", s.admin(permViewUsers, s.adminBruteForceStatus))
	s.handle(mux, "DELETE", r+"/attack-detection/brute-force/users/{id}", s.admin(permManageUsers, s.adminClearBruteForce))
	s.handle(mux, "DELETE", r+"/attack-detection/brute-force/users", s.admin(permManageUsers, s.adminClearBruteForce))
	s.handle(mux, "POST", r+"/logout-all", s.admin(permManageUsers, s.adminLogoutAll))
	s.handle(mux, "GET", r+"/client-session-stats", s.admin(permViewRealm, s.adminClientSessionStats))
	const u = r + "/users/{id}"
	s.handle(mux, "GET", u+"/offline-sessions/{client}", s.admin(permViewUsers, s.withUser(s.adminUserOfflineSessions)))
	s.handle(mux, "PUT", u+"/reset-password-email", s.admin(permManageUsers, s.withUser(s.adminActionsEmail)))
	s.handle(mux, "PUT", u+"/disable-credential-types", s.admin(permManageUsers, s.withUser(s.adminDisableCredentialTypes)))
	s.handle(mux, "POST", u+"/credentials/{cred}/moveToFirst", s.admin(permManageUsers, s.withUser(s.adminMoveCredential)))
	s.handle(mux, "POST", u+"/credentials/{cred}/moveAfter/{prev}", s.admin(permManageUsers, s.withUser(s.adminMoveCredential)))
	s.handle(mux, "GET", u+"/configured-user-storage-credential-types", s.admin(permViewUsers, s.withUser(
		func(w http.ResponseWriter, _ *http.Request, _ *realm, _ *user) {
			writeJSON(w, http.StatusOK, []string{})
		})))
	const c = r + "/clients/{client}"
	s.handle(mux, "GET", c+"/offline-sessions", s.admin(permViewClients, s.withClient(s.adminClientOfflineSessions)))
	s.handle(mux, "GET", c+"/client-secret/rotated", s.admin(permViewClients, s.withClient(
		func(w http.ResponseWriter, _ *http.Request, _ *realm, _ *client) {
			writeGenericError(w, http.StatusNotFound, "Client does not have a rotated secret")
		})))
	s.handle(mux, "DELETE", c+"/client-secret/rotated", s.admin(permManageClients, s.withClient(
		func(w http.ResponseWriter, _ *http.Request, _ *realm, _ *client) { noContent(w) })))
}

func (s *Server) adminRealmScopes(kind string) adminHandler {
	return func(w http.ResponseWriter, _ *http.Request, rm *realm, _ *adminCaller) {
		names := rm.defaultScopes
		if kind == "default-optional-client-scopes" {
			names = rm.optionalScopes
		}
		writeJSON(w, http.StatusOK, rm.scopeRefs(names))
	}
}

func (s *Server) adminLinkRealmScope(kind string, add bool) adminHandler {
	return func(w http.ResponseWriter, r *http.Request, rm *realm, _ *adminCaller) {
		sc := rm.scopes[r.PathValue("scope")]
		if sc == nil {
			writeGenericError(w, http.StatusNotFound, "Client scope not found")
			return
		}
		list, other := &rm.defaultScopes, &rm.optionalScopes
		if kind == "default-optional-client-scopes" {
			list, other = other, list
		}
		*other = slices.DeleteFunc(*other, func(n string) bool { return n == sc.name })
		*list = slices.DeleteFunc(*list, func(n string) bool { return n == sc.name })
		if add {
			*list = append(*list, sc.name)
		}
		noContent(w)
	}
}

// adminKeys is GET /admin/realms/{realm}/keys (KeyResource
// .getKeyMetadata): every key of the realm's key providers, providerId being
// the component's id, and the active key of each algorithm (the one with the
// highest priority).
func (s *Server) adminKeys(w http.ResponseWriter, _ *http.Request, rm *realm, _ *adminCaller) {
	keys := []map[string]any{}
	active := map[string]string{}
	best := map[string]int64{}
	for _, c := range rm.components {
		if c.providerType != keyProviderType {
			continue
		}
		kind := keyProviderKinds[c.providerID]
		if kind == "" {
			continue
		}
		status := "ACTIVE"
		switch {
		case !c.boolConfig("enabled", true):
			status = "DISABLED"
		case !c.boolConfig("active", true):
			status = "PASSIVE"
		}
		k := map[string]any{"providerId": c.id, "providerPriority": c.priority(), "status": status}
		switch kind {
		case "sig", "enc":
			if c.rsa == nil {
				continue
			}
			alg, use := c.first("algorithm"), "SIG"
			if kind == "enc" {
				use = "ENC"
				if alg == "" {
					alg = "RSA-OAEP"
				}
			} else if alg == "" {
				alg = "RS256"
			}
			k["kid"], k["type"], k["algorithm"], k["use"] = c.rsa.kid, "RSA", alg, use
			k["publicKey"] = publicKeyBase64(c.rsa)
			k["certificate"] = base64.StdEncoding.EncodeToString(c.rsa.key.cert)
			if cert, err := x509.ParseCertificate(c.rsa.key.cert); err == nil {
				k["validTo"] = cert.NotAfter.UnixMilli()
			}
		case "hmac":
			alg := c.first("algorithm")
			if alg == "" {
				alg = "HS256"
			}
			k["kid"], k["type"], k["algorithm"], k["use"] = c.kid, "OCT", alg, "SIG"
		case "aes":
			k["kid"], k["type"], k["algorithm"], k["use"] = c.kid, "OCT", "AES", "ENC"
		}
		keys = append(keys, k)
		if alg := k["algorithm"].(string); status == "ACTIVE" {
			if p, seen := best[alg]; !seen || c.priority() > p {
				best[alg], active[alg] = c.priority(), k["kid"].(string)
			}
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"active": active, "keys": keys})
}

// adminLogoutAll ends every session of the realm and sets its not-before,
// so tokens issued until now are refused.
func (s *Server) adminLogoutAll(w http.ResponseWriter, _ *http.Request, rm *realm, _ *adminCaller) {
	for id := range rm.sessions {
		delete(rm.sessions, id)
	}
	rm.notBefore = s.now().Unix()
	writeJSON(w, http.StatusOK, map[string][]string{"successRequests": {}, "failedRequests": {}})
}

func (s *Server) adminUserOfflineSessions(w http.ResponseWriter, r *http.Request, rm *realm, u *user) {
	c := rm.clients[r.PathValue("client")]
	if c == nil {
		writeGenericError(w, http.StatusNotFound, "Client not found")
		return
	}
	writeJSON(w, http.StatusOK, rm.activeSessions(s, func(sess *userSession) bool {
		return sess.user == u && sess.offline && sess.clients[c.id] != nil
	}))
}

func (s *Server) adminClientOfflineSessions(w http.ResponseWriter, r *http.Request, rm *realm, c *client) {
	list := rm.activeSessions(s, func(sess *userSession) bool { return sess.offline && sess.clients[c.id] != nil })
	first, end := page(r, len(list), 100)
	writeJSON(w, http.StatusOK, list[first:end])
}

func (s *Server) adminDisableCredentialTypes(w http.ResponseWriter, r *http.Request, _ *realm, u *user) {
	var types []string
	if !decodeAdminJSON(w, r, &types) {
		return
	}
	if slices.Contains(types, "password") {
		u.password = nil
	}
	u.rawCredentials = slices.DeleteFunc(u.rawCredentials, func(raw json.RawMessage) bool {
		var c struct {
			Type string `json:"type"`
		}
		return json.Unmarshal(raw, &c) == nil && slices.Contains(types, strings.ToLower(c.Type))
	})
	noContent(w)
}

// adminMoveCredential serves moveToFirst and moveAfter: kctest keeps one
// password credential, so only its order among one is checked.
func (s *Server) adminMoveCredential(w http.ResponseWriter, r *http.Request, _ *realm, u *user) {
	for _, id := range []string{r.PathValue("cred"), r.PathValue("prev")} {
		if id != "" && (u.password == nil || id != passwordCredentialID(u)) {
			writeGenericError(w, http.StatusNotFound, "Credential not found")
			return
		}
	}
	noContent(w)
}

func (s *Server) adminDefaultGroups(w http.ResponseWriter, _ *http.Request, rm *realm, _ *adminCaller) {
	out := []adminGroupRep{}
	if rm.admin != nil {
		for _, g := range rm.admin.defaultGroups {
			out = append(out, adminGroup(g, true, false))
		}
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) adminLinkDefaultGroup(add bool) groupHandler {
	return func(w http.ResponseWriter, _ *http.Request, rm *realm, g *group) {
		st := rm.adminState()
		st.defaultGroups = slices.DeleteFunc(st.defaultGroups, func(x *group) bool { return x == g })
		if add {
			st.defaultGroups = append(st.defaultGroups, g)
		}
		noContent(w)
	}
}

// adminClientSessionStats counts the live sessions of each client that has
// any; the counts are strings, as in Keycloak.
func (s *Server) adminClientSessionStats(w http.ResponseWriter, _ *http.Request, rm *realm, _ *adminCaller) {
	now := s.now()
	active, offline := map[*client]int{}, map[*client]int{}
	for _, sess := range rm.sessions {
		if !sess.active(now) {
			continue
		}
		for _, cs := range sess.clients {
			if sess.offline {
				offline[cs.client]++
			} else {
				active[cs.client]++
			}
		}
	}
	var list []*client
	for c := range active {
		list = append(list, c)
	}
	for c := range offline {
		if active[c] == 0 {
			list = append(list, c)
		}
	}
	slices.SortFunc(list, func(a, b *client) int { return strings.Compare(a.clientID, b.clientID) })
	out := []map[string]string{}
	for _, c := range list {
		out = append(out, map[string]string{"id": c.id, "clientId": c.clientID,
			"active": strconv.Itoa(active[c]), "offline": strconv.Itoa(offline[c])})
	}
	writeJSON(w, http.StatusOK, out)
}
