package kctest

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
)

// adminAuthzCall is an authenticated Admin REST request on a client's
// resource server.
type adminAuthzCall struct {
	rm     *realm
	client *client
	rs     *resourceServer
	pc     *protectionCall // the admin acts as the resource server
}

// registerAuthzAdmin adds the Admin REST endpoints of resource servers:
// /admin/realms/{realm}/clients/{client-uuid}/authz/resource-server/...
func (s *Server) registerAuthzAdmin(mux *http.ServeMux) {
	const p = "/admin/realms/{realm}/clients/{client}/authz/resource-server"
	s.handle(mux, "GET", p, s.adminAuthz(permViewAuthz, s.handleRSGet))
	s.handle(mux, "PUT", p, s.adminAuthz(permManageAuthz, s.handleRSUpdate))
	s.handle(mux, "GET", p+"/settings", s.adminAuthz(permManageAuthz, s.handleRSSettings))
	s.handle(mux, "POST", p+"/import", s.adminAuthz(permManageAuthz, s.handleRSImport))

	s.handle(mux, "GET", p+"/resource", s.adminAuthz(permViewAuthz, s.handleAdminResourceList))
	s.handle(mux, "POST", p+"/resource", s.adminAuthz(permManageAuthz, s.handleAdminResourceCreate))
	s.handle(mux, "GET", p+"/resource/search", s.adminAuthz(permViewAuthz, s.handleAdminResourceSearch))
	s.handle(mux, "GET", p+"/resource/{id}", s.adminAuthz(permViewAuthz, s.handleAdminResourceGet))
	s.handle(mux, "PUT", p+"/resource/{id}", s.adminAuthz(permManageAuthz, s.handleAdminResourceUpdate))
	s.handle(mux, "DELETE", p+"/resource/{id}", s.adminAuthz(permManageAuthz, s.handleAdminResourceDelete))
	s.handle(mux, "GET", p+"/resource/{id}/scopes", s.adminAuthz(permViewAuthz, s.handleAdminResourceScopes))
	s.handle(mux, "GET", p+"/resource/{id}/permissions", s.adminAuthz(permViewAuthz, s.handleAdminResourcePermissions))
	s.handle(mux, "GET", p+"/resource/{id}/attributes", s.adminAuthz(permViewAuthz, s.handleAdminResourceAttributes))

	s.handle(mux, "GET", p+"/scope", s.adminAuthz(permViewAuthz, s.handleAdminScopeList))
	s.handle(mux, "POST", p+"/scope", s.adminAuthz(permManageAuthz, s.handleAdminScopeCreate))
	s.handle(mux, "GET", p+"/scope/search", s.adminAuthz(permViewAuthz, s.handleAdminScopeSearch))
	s.handle(mux, "GET", p+"/scope/{id}", s.adminAuthz(permViewAuthz, s.handleAdminScopeGet))
	s.handle(mux, "PUT", p+"/scope/{id}", s.adminAuthz(permManageAuthz, s.handleAdminScopeUpdate))
	s.handle(mux, "DELETE", p+"/scope/{id}", s.adminAuthz(permManageAuthz, s.handleAdminScopeDelete))
	s.handle(mux, "GET", p+"/scope/{id}/resources", s.adminAuthz(permViewAuthz, s.handleAdminScopeResources))
	s.handle(mux, "GET", p+"/scope/{id}/permissions", s.adminAuthz(permViewAuthz, s.handleAdminScopePermissions))

	for _, kind := range []string{"policy", "permission"} {
		perms := kind == "permission"
		s.handle(mux, "GET", p+"/"+kind, s.adminAuthz(permViewAuthz, s.policyList(perms)))
		s.handle(mux, "POST", p+"/"+kind, s.adminAuthz(permManageAuthz, s.policyCreate(perms, "")))
		s.handle(mux, "GET", p+"/"+kind+"/search", s.adminAuthz(permViewAuthz, s.policySearch(perms)))
		s.handle(mux, "POST", p+"/"+kind+"/{a}", s.adminAuthz(permManageAuthz, s.policyCreateTyped(perms)))
		s.handle(mux, "POST", p+"/"+kind+"/evaluate", s.adminAuthz(permViewAuthz, s.policyEvaluate))
		s.handle(mux, "GET", p+"/"+kind+"/{a}", s.adminAuthz(permViewAuthz, s.policyGet(perms)))
		s.handle(mux, "PUT", p+"/"+kind+"/{a}", s.adminAuthz(permManageAuthz, s.policyUpdate(perms)))
		s.handle(mux, "DELETE", p+"/"+kind+"/{a}", s.adminAuthz(permManageAuthz, s.policyDelete(perms)))
		s.handle(mux, "GET", p+"/"+kind+"/{a}/{b}", s.adminAuthz(permViewAuthz, s.policySub(perms)))
		s.handle(mux, "PUT", p+"/"+kind+"/{a}/{b}", s.adminAuthz(permManageAuthz, s.policyUpdateTyped(perms)))
		s.handle(mux, "DELETE", p+"/"+kind+"/{a}/{b}", s.adminAuthz(permManageAuthz, s.policyDeleteTyped(perms)))
	}
}

// adminAuthz wraps a handler with the admin token check, the client
// lookup (404 "Could not find client") and the resource server lookup
// (400 when authorization services are off).
func (s *Server) adminAuthz(perm adminPerm, h func(http.ResponseWriter, *http.Request, *adminAuthzCall)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		defer s.mu.Unlock()
		if _, ok := s.adminAuth(w, r, r.PathValue("realm"), perm); !ok || !s.checkBody(w, r) {
			return
		}
		rm := s.realms[r.PathValue("realm")]
		c := rm.clients[r.PathValue("client")]
		if c == nil {
			writeGenericError(w, http.StatusNotFound, "Could not find client")
			return
		}
		rs := rm.authzOf(c)
		if rs == nil {
			writeGenericError(w, http.StatusNotFound, "HTTP 404 Not Found")
			return
		}
		id := azIdentity{user: c.serviceAccountUser, client: c, id: c.id}
		pc := &protectionCall{rm: rm, server: c, rs: rs, identity: id, issuer: s.issuer(r, rm.name)}
		h(w, r, &adminAuthzCall{rm: rm, client: c, rs: rs, pc: pc})
	}
}

func (s *Server) serverRep(a *adminAuthzCall) map[string]any {
	return map[string]any{
		"id": a.client.id, "clientId": a.client.id, "name": a.client.clientID,
		"allowRemoteResourceManagement": a.rs.allowRemote, "policyEnforcementMode": a.rs.enforcement,
		"decisionStrategy": a.rs.decision,
	}
}

func (s *Server) handleRSGet(w http.ResponseWriter, r *http.Request, a *adminAuthzCall) {
	writeJSON(w, http.StatusOK, s.serverRep(a))
}

func (s *Server) handleRSUpdate(w http.ResponseWriter, r *http.Request, a *adminAuthzCall) {
	var rep azServerRep
	if !azReadJSON(w, r, &rep) {
		return
	}
	mode, dec := strings.ToUpper(rep.PolicyEnforcementMode), strings.ToUpper(rep.DecisionStrategy)
	switch mode {
	case "", "ENFORCING", "PERMISSIVE", "DISABLED":
	default:
		writeGenericError(w, http.StatusBadRequest, "Invalid policy enforcement mode ["+rep.PolicyEnforcementMode+"]")
		return
	}
	switch dec {
	case "", "UNANIMOUS", "AFFIRMATIVE", "CONSENSUS":
	default:
		writeGenericError(w, http.StatusBadRequest, "Invalid decision strategy ["+rep.DecisionStrategy+"]")
		return
	}
	a.rs.allowRemote = rep.AllowRemoteResourceManagement != nil && *rep.AllowRemoteResourceManagement
	if mode != "" {
		a.rs.enforcement = mode
	}
	if dec != "" {
		a.rs.decision = dec
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) handleRSSettings(w http.ResponseWriter, r *http.Request, a *adminAuthzCall) {
	out := a.rm.exportAuthz(a.client, a.rs)
	for k, v := range s.serverRep(a) {
		if _, set := out[k]; !set {
			out[k] = v
		}
	}
	writeJSON(w, http.StatusOK, out)
}

// handleRSImport merges a ResourceServerRepresentation: settings, scopes,
// and resources and policies by name (an existing one is updated).
func (s *Server) handleRSImport(w http.ResponseWriter, r *http.Request, a *adminAuthzCall) {
	var rep azServerRep
	if !azReadJSON(w, r, &rep) {
		return
	}
	rs := a.rs
	a.rm.importAuthz(a.client, rs, &rep)
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) handleAdminResourceList(w http.ResponseWriter, r *http.Request, a *adminAuthzCall) {
	q := r.URL.Query()
	all := a.rm.resourceQuery(a.client, a.rs, q)
	first, end := azPage(q, len(all), -1)
	out := []map[string]any{}
	for _, res := range all[first:end] {
		out = append(out, a.rm.resourceRep(a.client, res, adminResource))
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) handleAdminResourceCreate(w http.ResponseWriter, r *http.Request, a *adminAuthzCall) {
	var rep azResourceRep
	if !azReadJSON(w, r, &rep) {
		return
	}
	res, err := a.pc.createResource(&rep)
	if err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusCreated, a.rm.resourceRep(a.client, res, adminResource))
}

func (s *Server) handleAdminResourceSearch(w http.ResponseWriter, r *http.Request, a *adminAuthzCall) {
	name := r.URL.Query().Get("name")
	if name == "" {
		w.WriteHeader(http.StatusBadRequest)
		return
	}
	res := a.rs.resourceByName(name, a.client.id)
	if res == nil {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	writeJSON(w, http.StatusOK, a.rm.resourceRep(a.client, res, adminResource))
}

func (a *adminAuthzCall) resource(w http.ResponseWriter, r *http.Request) *azResource {
	res := a.rs.resources[r.PathValue("id")]
	if res == nil {
		// Keycloak: ResourceSetService answers
		// Response.status(NOT_FOUND).build(), with no body.
		w.WriteHeader(http.StatusNotFound)
	}
	return res
}

func (s *Server) handleAdminResourceGet(w http.ResponseWriter, r *http.Request, a *adminAuthzCall) {
	if res := a.resource(w, r); res != nil {
		writeJSON(w, http.StatusOK, a.rm.resourceRep(a.client, res, adminResource))
	}
}

func (s *Server) handleAdminResourceUpdate(w http.ResponseWriter, r *http.Request, a *adminAuthzCall) {
	var rep azResourceRep
	if !azReadJSON(w, r, &rep) {
		return
	}
	res := a.resource(w, r)
	if res == nil {
		return
	}
	if err := a.pc.updateResource(res, &rep); err != nil {
		writeError(w, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) handleAdminResourceDelete(w http.ResponseWriter, r *http.Request, a *adminAuthzCall) {
	if res := a.resource(w, r); res != nil {
		a.rs.deleteResource(res)
		w.WriteHeader(http.StatusNoContent)
	}
}

func (s *Server) handleAdminResourceScopes(w http.ResponseWriter, r *http.Request, a *adminAuthzCall) {
	if res := a.resource(w, r); res != nil {
		out := []map[string]any{}
		for _, sc := range res.scopes {
			out = append(out, azScopeJSON(sc))
		}
		writeJSON(w, http.StatusOK, out)
	}
}

func (s *Server) handleAdminResourceAttributes(w http.ResponseWriter, r *http.Request, a *adminAuthzCall) {
	if res := a.resource(w, r); res != nil {
		writeJSON(w, http.StatusOK, azNonNilMap(res.attributes))
	}
}

func (s *Server) handleAdminResourcePermissions(w http.ResponseWriter, r *http.Request, a *adminAuthzCall) {
	res := a.resource(w, r)
	if res == nil {
		return
	}
	out := []map[string]any{}
	for _, p := range a.rm.applicable(a.client, a.rs, &azPerm{resource: res, scopes: res.scopes}) {
		out = append(out, a.rm.policyRep(a.client, p, false))
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) handleAdminScopeList(w http.ResponseWriter, r *http.Request, a *adminAuthzCall) {
	q := r.URL.Query()
	var all []*azScope
	for _, sc := range a.rs.sortedScopes() {
		switch {
		case q.Get("scopeId") != "" && sc.id != q.Get("scopeId"):
		case q.Get("name") != "" && !strings.Contains(strings.ToLower(sc.name), strings.ToLower(q.Get("name"))):
		default:
			all = append(all, sc)
		}
	}
	first, end := azPage(q, len(all), -1)
	out := []map[string]any{}
	for _, sc := range all[first:end] {
		out = append(out, azScopeJSON(sc))
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) handleAdminScopeCreate(w http.ResponseWriter, r *http.Request, a *adminAuthzCall) {
	var rep azScopeRep
	if !azReadJSON(w, r, &rep) {
		return
	}
	if strings.TrimSpace(rep.Name) == "" {
		writeOAuthError(w, http.StatusBadRequest, "invalid_request", "Name is required")
		return
	}
	if a.rs.scopeByName(rep.Name) != nil {
		writeOAuthError(w, http.StatusConflict, "invalid_request", "Scope with name ["+rep.Name+"] already exists.")
		return
	}
	sc := &azScope{id: newID(), name: rep.Name, displayName: rep.DisplayName, iconURI: rep.IconURI}
	a.rs.scopes[sc.id] = sc
	writeJSON(w, http.StatusCreated, azScopeJSON(sc))
}

func (s *Server) handleAdminScopeSearch(w http.ResponseWriter, r *http.Request, a *adminAuthzCall) {
	name := r.URL.Query().Get("name")
	if name == "" {
		w.WriteHeader(http.StatusBadRequest)
		return
	}
	sc := a.rs.scopeByName(name)
	if sc == nil {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	writeJSON(w, http.StatusOK, azScopeJSON(sc))
}

func (a *adminAuthzCall) scope(w http.ResponseWriter, r *http.Request) *azScope {
	sc := a.rs.scopes[r.PathValue("id")]
	if sc == nil {
		// Keycloak: ScopeService answers 404 with no body.
		w.WriteHeader(http.StatusNotFound)
	}
	return sc
}

func (s *Server) handleAdminScopeGet(w http.ResponseWriter, r *http.Request, a *adminAuthzCall) {
	if sc := a.scope(w, r); sc != nil {
		writeJSON(w, http.StatusOK, azScopeJSON(sc))
	}
}

func (s *Server) handleAdminScopeUpdate(w http.ResponseWriter, r *http.Request, a *adminAuthzCall) {
	var rep azScopeRep
	if !azReadJSON(w, r, &rep) {
		return
	}
	sc := a.scope(w, r)
	if sc == nil {
		return
	}
	if strings.TrimSpace(rep.Name) == "" {
		writeOAuthError(w, http.StatusBadRequest, "invalid_request", "Name is required")
		return
	}
	if other := a.rs.scopeByName(rep.Name); other != nil && other != sc {
		writeOAuthError(w, http.StatusConflict, "invalid_request", "Scope with name ["+rep.Name+"] already exists.")
		return
	}
	sc.name, sc.displayName, sc.iconURI = rep.Name, rep.DisplayName, rep.IconURI
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) handleAdminScopeDelete(w http.ResponseWriter, r *http.Request, a *adminAuthzCall) {
	if sc := a.scope(w, r); sc != nil {
		a.rs.deleteScope(sc)
		w.WriteHeader(http.StatusNoContent)
	}
}

func (s *Server) handleAdminScopeResources(w http.ResponseWriter, r *http.Request, a *adminAuthzCall) {
	sc := a.scope(w, r)
	if sc == nil {
		return
	}
	out := []map[string]any{}
	for _, res := range a.rs.sortedResources() {
		if res.hasScope(sc) {
			out = append(out, map[string]any{"_id": res.id, "name": res.name})
		}
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) handleAdminScopePermissions(w http.ResponseWriter, r *http.Request, a *adminAuthzCall) {
	sc := a.scope(w, r)
	if sc == nil {
		return
	}
	out := []map[string]any{}
	for _, p := range a.rs.sortedPolicies() {
		if p.isPermission() && slices.Contains(p.scopes, sc) {
			out = append(out, a.rm.policyRep(a.client, p, false))
		}
	}
	writeJSON(w, http.StatusOK, out)
}

// policyKind reports whether p belongs to the /permission endpoints
// (permissions) or /policy (every policy; ?permission= narrows).
func policyMatchesKind(p *azPolicy, perms bool, q url.Values) bool {
	isPerm := p.typ == azResourcePerm || p.typ == azScopePerm
	if perms {
		return isPerm
	}
	if v := q["permission"]; len(v) > 0 {
		return (v[0] == "true") == isPerm
	}
	return p.typ != azUMA
}

func (s *Server) policyList(perms bool) func(http.ResponseWriter, *http.Request, *adminAuthzCall) {
	return func(w http.ResponseWriter, r *http.Request, a *adminAuthzCall) {
		q := r.URL.Query()
		var all []*azPolicy
		for _, p := range a.rs.sortedPolicies() {
			if !policyMatchesKind(p, perms, q) {
				continue
			}
			switch {
			case q.Get("policyId") != "" && p.id != q.Get("policyId"):
			case q.Get("name") != "" && !strings.Contains(strings.ToLower(p.name), strings.ToLower(q.Get("name"))):
			case q.Get("type") != "" && p.typ != q.Get("type"):
			case q.Get("owner") != "" && p.owner != q.Get("owner"):
			case q.Get("resourceType") != "" && p.resourceType != q.Get("resourceType"):
			case q.Get("resource") != "" && !slices.ContainsFunc(p.resources, func(x *azResource) bool {
				return x.id == q.Get("resource") || x.name == q.Get("resource")
			}):
			case q.Get("scope") != "" && !slices.ContainsFunc(p.scopes, func(x *azScope) bool {
				return x.id == q.Get("scope") || x.name == q.Get("scope")
			}):
			default:
				all = append(all, p)
			}
		}
		first, end := azPage(q, len(all), -1)
		out := []map[string]any{}
		for _, p := range all[first:end] {
			out = append(out, a.rm.policyRep(a.client, p, false))
		}
		writeJSON(w, http.StatusOK, out)
	}
}

func (s *Server) policySearch(perms bool) func(http.ResponseWriter, *http.Request, *adminAuthzCall) {
	return func(w http.ResponseWriter, r *http.Request, a *adminAuthzCall) {
		name := r.URL.Query().Get("name")
		if name == "" {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		p := a.rs.policyByName(name)
		if p == nil || !policyMatchesKind(p, perms, nil) {
			w.WriteHeader(http.StatusNoContent)
			return
		}
		writeJSON(w, http.StatusOK, a.rm.policyRep(a.client, p, false))
	}
}

// policyCreate creates a policy from a PolicyRepresentation (generic, or a
// typed one when typ is set by the path).
func (s *Server) policyCreate(perms bool, typ string) func(http.ResponseWriter, *http.Request, *adminAuthzCall) {
	return func(w http.ResponseWriter, r *http.Request, a *adminAuthzCall) {
		var rep azPolicyRep
		if !azReadJSON(w, r, &rep) {
			return
		}
		if typ != "" {
			rep.Type = typ
		}
		if rep.Name != "" && a.rs.policyByName(rep.Name) != nil {
			writeErrorMessage(w, http.StatusConflict, "Policy with name ["+rep.Name+"] already exists")
			return
		}
		p := &azPolicy{id: newID()}
		if err := a.rm.applyPolicyRep(a.client, a.rs, p, &rep); err != nil {
			writeGenericError(w, http.StatusBadRequest, err.Error())
			return
		}
		if perms && p.typ != azResourcePerm && p.typ != azScopePerm {
			writeGenericError(w, http.StatusBadRequest, "Unknown permission type ["+p.typ+"]")
			return
		}
		a.rs.policies[p.id] = p
		writeJSON(w, http.StatusCreated, a.rm.policyRep(a.client, p, false))
	}
}

// policyCreateTyped is POST .../policy/{type} (role, user, group, client,
// aggregate, js, resource, scope, ...).
func (s *Server) policyCreateTyped(perms bool) func(http.ResponseWriter, *http.Request, *adminAuthzCall) {
	return func(w http.ResponseWriter, r *http.Request, a *adminAuthzCall) {
		s.policyCreate(perms, r.PathValue("a"))(w, r, a)
	}
}

func (a *adminAuthzCall) policy(w http.ResponseWriter, id string, perms bool) *azPolicy {
	p := a.rs.policies[id]
	if p == nil || (perms && !policyMatchesKind(p, true, nil)) {
		// Keycloak: PolicyResourceService answers 404 with no body when
		// the policy does not exist.
		w.WriteHeader(http.StatusNotFound)
		return nil
	}
	return p
}

// isPolicyType reports whether typ names a policy provider, which
// PolicyService.getResource serves as a PolicyTypeService.
func isPolicyType(typ string) bool {
	if typ == "js" || typ == azUMA {
		return true
	}
	for _, pr := range azPolicyProviders {
		if pr.typ == typ {
			return true
		}
	}
	return false
}

func (s *Server) policyGet(perms bool) func(http.ResponseWriter, *http.Request, *adminAuthzCall) {
	return func(w http.ResponseWriter, r *http.Request, a *adminAuthzCall) {
		if typ := r.PathValue("a"); isPolicyType(typ) {
			// Keycloak: PolicyService.getResource("{type}") is a
			// PolicyTypeService, whose GET lists the policies of that type
			// in the type's representation.
			out := []map[string]any{}
			for _, p := range a.rs.sortedPolicies() {
				if p.typ == typ && policyMatchesKind(p, perms, nil) {
					out = append(out, a.rm.typedPolicyRep(a.client, p))
				}
			}
			first, end := azPage(r.URL.Query(), len(out), -1)
			writeJSON(w, http.StatusOK, out[first:end])
			return
		}
		if p := a.policy(w, r.PathValue("a"), perms); p != nil {
			writeJSON(w, http.StatusOK, a.rm.policyRep(a.client, p, false))
		}
	}
}

func (s *Server) updatePolicy(w http.ResponseWriter, r *http.Request, a *adminAuthzCall, id string, perms bool) {
	var rep azPolicyRep
	if !azReadJSON(w, r, &rep) {
		return
	}
	p := a.policy(w, id, perms)
	if p == nil {
		return
	}
	if other := a.rs.policyByName(rep.Name); other != nil && other != p {
		writeErrorMessage(w, http.StatusConflict, "Policy with name ["+rep.Name+"] already exists")
		return
	}
	rep.Type = p.typ
	cp := *p
	if err := a.rm.applyPolicyRep(a.client, a.rs, &cp, &rep); err != nil {
		writeGenericError(w, http.StatusBadRequest, err.Error())
		return
	}
	*p = cp
	w.WriteHeader(http.StatusCreated)
}

func (s *Server) policyUpdate(perms bool) func(http.ResponseWriter, *http.Request, *adminAuthzCall) {
	return func(w http.ResponseWriter, r *http.Request, a *adminAuthzCall) {
		s.updatePolicy(w, r, a, r.PathValue("a"), perms)
	}
}

func (s *Server) policyDelete(perms bool) func(http.ResponseWriter, *http.Request, *adminAuthzCall) {
	return func(w http.ResponseWriter, r *http.Request, a *adminAuthzCall) {
		if p := a.policy(w, r.PathValue("a"), perms); p != nil {
			a.rs.deletePolicy(p)
			w.WriteHeader(http.StatusNoContent)
		}
	}
}

// policySub serves GET .../policy/{id}/{associatedPolicies|dependentPolicies|resources|scopes}
// and the typed GET .../policy/{type}/{id}.
func (s *Server) policySub(perms bool) func(http.ResponseWriter, *http.Request, *adminAuthzCall) {
	return func(w http.ResponseWriter, r *http.Request, a *adminAuthzCall) {
		first, second := r.PathValue("a"), r.PathValue("b")
		if p := a.rs.policies[first]; p != nil && !isPolicyType(first) {
			out := []map[string]any{}
			switch second {
			case "associatedPolicies":
				for _, q := range p.applied {
					out = append(out, a.rm.policyRep(a.client, q, false))
				}
			case "dependentPolicies":
				for _, q := range a.rs.sortedPolicies() {
					if slices.Contains(q.applied, p) {
						out = append(out, a.rm.policyRep(a.client, q, false))
					}
				}
			case "resources":
				for _, res := range p.resources {
					out = append(out, map[string]any{"_id": res.id, "name": res.name})
				}
			case "scopes":
				for _, sc := range p.scopes {
					out = append(out, azScopeJSON(sc))
				}
			default:
				writeGenericError(w, http.StatusNotFound, "HTTP 404 Not Found")
				return
			}
			writeJSON(w, http.StatusOK, out)
			return
		}
		if !isPolicyType(first) {
			writeGenericError(w, http.StatusNotFound, "HTTP 404 Not Found")
			return
		}
		// Keycloak: PolicyTypeResourceService.findById returns the type's
		// representation (roles, users, groups, clients, resources,
		// scopes at the top level), not the generic one.
		p := a.policy(w, second, perms)
		if p == nil {
			return
		}
		if p.typ != first {
			w.WriteHeader(http.StatusNotFound)
			return
		}
		writeJSON(w, http.StatusOK, a.rm.typedPolicyRep(a.client, p))
	}
}

func (s *Server) policyUpdateTyped(perms bool) func(http.ResponseWriter, *http.Request, *adminAuthzCall) {
	return func(w http.ResponseWriter, r *http.Request, a *adminAuthzCall) {
		s.updatePolicy(w, r, a, r.PathValue("b"), perms)
	}
}

func (s *Server) policyDeleteTyped(perms bool) func(http.ResponseWriter, *http.Request, *adminAuthzCall) {
	return func(w http.ResponseWriter, r *http.Request, a *adminAuthzCall) {
		if p := a.policy(w, r.PathValue("b"), perms); p != nil {
			a.rs.deletePolicy(p)
			w.WriteHeader(http.StatusNoContent)
		}
	}
}
