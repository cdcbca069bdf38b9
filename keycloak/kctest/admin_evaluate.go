package kctest

import (
	"net/http"
	"slices"
	"strings"
)

// registerEvaluateScopes registers a client's evaluate-scopes endpoints
// (Keycloak: ClientScopeEvaluateResource,
// ClientScopeEvaluateScopeMappingsResource). The example tokens are built by
// the same mapper code as real ones, for a session that is not stored.
func (s *Server) registerEvaluateScopes(mux *http.ServeMux, one string) {
	base := one + "/evaluate-scopes"
	s.handle(mux, "GET", base+"/protocol-mappers", s.admin(permViewClients, s.withClient(s.adminEvaluateMappers)))
	s.handle(mux, "GET", base+"/scope-mappings/{container}/granted", s.admin(permViewClients, s.withClient(s.adminEvaluateScopeMappings(true))))
	s.handle(mux, "GET", base+"/scope-mappings/{container}/not-granted", s.admin(permViewClients, s.withClient(s.adminEvaluateScopeMappings(false))))
	for _, kind := range []string{"access-token", "id-token", "userinfo"} {
		s.handle(mux, "GET", base+"/generate-example-"+kind, s.admin(permViewClients, s.withClient(s.adminExampleToken(kind))))
	}
}

// evaluationScopes is TokenManager.getRequestedClientScopes: the client's
// default scopes and the optional ones named in scope; unknown names are
// left out rather than refused.
func (rm *realm) evaluationScopes(c *client, scope string) grantedScopes {
	var known []string
	for _, n := range strings.Fields(scope) {
		if n == "openid" || slices.Contains(c.optionalClientScopes, n) || slices.Contains(c.defaultClientScopes, n) {
			known = append(known, n)
		}
	}
	g, _ := rm.resolveScopes(c, strings.Join(known, " "))
	return g
}

// mapperEvaluationRep is ProtocolMapperEvaluationRepresentation.
type mapperEvaluationRep struct {
	MapperID       string `json:"mapperId"`
	MapperName     string `json:"mapperName"`
	ContainerID    string `json:"containerId"`
	ContainerName  string `json:"containerName"`
	ContainerType  string `json:"containerType"`
	ProtocolMapper string `json:"protocolMapper"`
}

// adminEvaluateMappers is GET …/evaluate-scopes/protocol-mappers?scope=:
// the mappers a token for the client runs.
func (s *Server) adminEvaluateMappers(w http.ResponseWriter, r *http.Request, rm *realm, c *client) {
	g := rm.evaluationScopes(c, r.URL.Query().Get("scope"))
	out := []mapperEvaluationRep{}
	for _, sc := range g.scopes {
		for _, raw := range sc.mappers {
			if m := mapperOf(raw); m.Protocol == c.protocol {
				out = append(out, mapperEvaluationRep{m.ID, m.Name, sc.id, sc.name, "client-scope", m.ProtocolMapper})
			}
		}
	}
	for _, raw := range c.protocolMappers {
		if m := mapperOf(raw); m.Protocol == c.protocol {
			out = append(out, mapperEvaluationRep{m.ID, m.Name, c.id, "", "client", m.ProtocolMapper})
		}
	}
	writeJSON(w, http.StatusOK, out)
}

// adminEvaluateScopeMappings is GET …/scope-mappings/{container}/granted
// and not-granted: the roles of the realm (container = the realm name) or
// of a client (its id) that a token for the client may carry, or may not.
func (s *Server) adminEvaluateScopeMappings(granted bool) clientHandler {
	return func(w http.ResponseWriter, r *http.Request, rm *realm, c *client) {
		var all []*role
		if id := r.PathValue("container"); id == rm.name {
			for _, ro := range rm.roles {
				all = append(all, ro)
			}
		} else if oc := rm.clients[id]; oc != nil {
			for _, ro := range oc.roles {
				all = append(all, ro)
			}
		} else {
			writeGenericError(w, http.StatusNotFound, "Role Container not found")
			return
		}
		in := rm.rolesInScope(c, all, rm.evaluationScopes(c, r.URL.Query().Get("scope")).scopes)
		var out []*role
		for _, ro := range all {
			if slices.Contains(in, ro) == granted {
				out = append(out, ro)
			}
		}
		writeJSON(w, http.StatusOK, rm.roleReps(sortRoles(out), true))
	}
}

// adminExampleToken is GET …/generate-example-access-token,
// -id-token and -userinfo ?scope=&userId=.
func (s *Server) adminExampleToken(kind string) clientHandler {
	return func(w http.ResponseWriter, r *http.Request, rm *realm, c *client) {
		q := r.URL.Query()
		if !q.Has("userId") {
			writeGenericError(w, http.StatusNotFound, "No userId provided")
			return
		}
		u := rm.users[q.Get("userId")]
		if u == nil {
			writeGenericError(w, http.StatusNotFound, "No user found")
			return
		}
		now := s.now()
		// A session like the one Keycloak creates and removes around
		// the example ("example-auth"): it is never stored.
		sess := &userSession{id: newID(), user: u, started: now, lastAccess: now, authTime: now,
			clients: map[string]*clientSession{}, notes: map[string]string{},
			idle: rm.ssoSessionIdleTimeout, max: rm.ssoSessionMaxLifespan}
		g := rm.evaluationScopes(c, q.Get("scope"))
		sess.attach(c, g.String(), now)
		p := &tokenParams{rm: rm, issuer: s.issuer(r, rm.name), client: c, user: u, session: sess, scopes: g, now: now}
		var out claims
		var err error
		switch kind {
		case "access-token":
			out, err = rm.accessClaims(p)
		case "id-token":
			out, err = rm.idClaims(p, nil)
		default:
			out, err = rm.userInfoClaims(&tokenCheck{claims: claims{"scope": g.String()}, user: u, session: sess, client: c})
		}
		if err != nil {
			s.logError(rm, err)
			writeGenericError(w, http.StatusInternalServerError, "unknown_error")
			return
		}
		writeJSON(w, http.StatusOK, out)
	}
}
