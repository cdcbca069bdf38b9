package kctest

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"path"
	"slices"
	"strconv"
	"strings"
)

// protectionCall is an authenticated Protection API request.
type protectionCall struct {
	rm       *realm
	server   *client // the resource server: the token's azp
	rs       *resourceServer
	tc       *tokenCheck
	identity azIdentity
	issuer   string
}

// protectionAuth authenticates a Protection API request as Keycloak's
// ProtectionService does: a valid bearer token (else 403
// invalid_bearer_token), the client role uma_protection in it when
// needProtection (else 403 invalid_scope), and a token client that is a
// resource server (else 403 invalid_clientId). Callers hold s.mu for
// writing.
func (s *Server) protectionAuth(w http.ResponseWriter, r *http.Request, needProtection bool) (*protectionCall, bool) {
	rm := s.lookupRealm(w, r)
	if rm == nil {
		return nil, false
	}
	noBearer := func() (*protectionCall, bool) {
		writeOAuthError(w, http.StatusForbidden, "invalid_bearer_token", "Could not obtain bearer access_token from request.")
		return nil, false
	}
	scheme, tok, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(tok) == "" {
		return noBearer()
	}
	tc := s.checkAccessToken(rm, strings.TrimSpace(tok), s.now())
	if !tc.active() || tc.claims.str("typ") != typBearer {
		return noBearer()
	}
	server := tc.client
	if needProtection && !tokenHasClientRole(tc.claims, server.clientID, umaProtectionRoleName) {
		writeOAuthError(w, http.StatusForbidden, "invalid_scope", "Requires uma_protection scope.")
		return nil, false
	}
	rs := rm.authzOf(server)
	if rs == nil {
		writeOAuthError(w, http.StatusForbidden, "invalid_clientId", "Client application ["+server.clientID+"] is not registered as a resource server.")
		return nil, false
	}
	return &protectionCall{rm: rm, server: server, rs: rs, tc: tc,
		identity: azIdentityFor(tc.user, server, server), issuer: s.issuer(r, rm.name)}, true
}

// What a Protection API endpoint asks of its caller.
type azCallKind int

const (
	azTokenCall     azCallKind = iota // any valid token of the resource server
	azPATCall                         // a PAT: the uma_protection role
	azUMAPolicyCall                   // the owner's token, remote management on
)

// protected wraps a Protection API handler: it holds s.mu and
// authenticates the caller as kind asks (protectionAuth); user-managed
// policy calls also need remote management on (else 403
// request_not_supported).
func (s *Server) protected(kind azCallKind, h func(http.ResponseWriter, *http.Request, *protectionCall)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		defer s.mu.Unlock()
		pc, ok := s.protectionAuth(w, r, kind == azPATCall)
		if !ok {
			return
		}
		if kind == azUMAPolicyCall && !pc.rs.allowRemote {
			writeOAuthError(w, http.StatusForbidden, "request_not_supported", "Remote Policy management is disabled.")
			return
		}
		h(w, r, pc)
	}
}

// tokenHasClientRole reports whether the token's resource_access grants
// role of clientID.
func tokenHasClientRole(cl claims, clientID, role string) bool {
	ra, _ := cl["resource_access"].(map[string]any)
	entry, _ := ra[clientID].(map[string]any)
	switch roles := entry["roles"].(type) {
	case []any:
		for _, r := range roles {
			if r == role {
				return true
			}
		}
	case []string:
		return slices.Contains(roles, role)
	}
	return false
}

// registerAuthz adds the authorization-services routes: the UMA grant of
// the token endpoint, the Protection API and the Admin REST resource
// server endpoints.
func (s *Server) registerAuthz(mux *http.ServeMux) {
	s.registerGrant(umaGrantType, &grantType{selfAuth: true, handle: s.grantUMA})
	const p = "/realms/{realm}/authz/protection"
	s.handle(mux, "POST", p+"/resource_set", s.protected(azPATCall, s.handleResourceSetCreate))
	s.handle(mux, "GET", p+"/resource_set", s.protected(azPATCall, s.handleResourceSetList))
	s.handle(mux, "GET", p+"/resource_set/{id}", s.protected(azPATCall, s.handleResourceSetGet))
	s.handle(mux, "PUT", p+"/resource_set/{id}", s.protected(azPATCall, s.handleResourceSetUpdate))
	s.handle(mux, "DELETE", p+"/resource_set/{id}", s.protected(azPATCall, s.handleResourceSetDelete))
	s.handle(mux, "POST", p+"/permission", s.protected(azTokenCall, s.handlePermissionCreate))
	s.handle(mux, "POST", p+"/permission/ticket", s.protected(azTokenCall, s.handleTicketCreate))
	s.handle(mux, "GET", p+"/permission/ticket", s.protected(azTokenCall, s.handleTicketList))
	s.handle(mux, "GET", p+"/permission/ticket/count", s.protected(azTokenCall, s.handleTicketCount))
	s.handle(mux, "PUT", p+"/permission/ticket", s.protected(azTokenCall, s.handleTicketUpdate))
	s.handle(mux, "DELETE", p+"/permission/ticket/{id}", s.protected(azTokenCall, s.handleTicketDelete))
	s.handle(mux, "POST", p+"/uma-policy/{resource}", s.protected(azUMAPolicyCall, s.handleUMAPolicyCreate))
	s.handle(mux, "GET", p+"/uma-policy", s.protected(azUMAPolicyCall, s.handleUMAPolicyList))
	s.handle(mux, "GET", p+"/uma-policy/{id}", s.protected(azUMAPolicyCall, s.handleUMAPolicyGet))
	s.handle(mux, "PUT", p+"/uma-policy/{id}", s.protected(azUMAPolicyCall, s.handleUMAPolicyUpdate))
	s.handle(mux, "DELETE", p+"/uma-policy/{id}", s.protected(azUMAPolicyCall, s.handleUMAPolicyDelete))
	s.registerAuthzAdmin(mux)
}

// readJSON decodes the request body into v; false (with a 400 written)
// on a malformed body.
func azReadJSON(w http.ResponseWriter, r *http.Request, v any) bool {
	b, err := readAllLimited(r.Body)
	if err == nil {
		err = json.Unmarshal(bytes.TrimSpace(b), v)
	}
	if err != nil {
		writeOAuthError(w, http.StatusBadRequest, "invalid_request", "Invalid request body")
		return false
	}
	return true
}

func (s *Server) handleResourceSetCreate(w http.ResponseWriter, r *http.Request, pc *protectionCall) {
	var rep azResourceRep
	if !azReadJSON(w, r, &rep) {
		return
	}
	if !pc.rs.allowRemote {
		writeOAuthError(w, http.StatusBadRequest, "not_supported", "Remote management is disabled.")
		return
	}
	res, err := pc.createResource(&rep)
	if err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusCreated, pc.rm.resourceRep(pc.server, res, umaCreated))
}

// createResource creates a resource from rep, owned by rep's owner or the
// caller, as the Protection API and the admin API do.
func (pc *protectionCall) createResource(rep *azResourceRep) (*azResource, error) {
	if strings.TrimSpace(rep.Name) == "" {
		return nil, newOAuthError(http.StatusBadRequest, "invalid_request", "Name is required")
	}
	owner := pc.identity.id
	if rep.Owner != nil && azFirst(rep.Owner.ID, rep.Owner.Name) != "" {
		id, ok := pc.rm.resolveOwner(pc.server, azFirst(rep.Owner.ID, rep.Owner.Name))
		if !ok {
			return nil, newOAuthError(http.StatusBadRequest, "invalid_request", "Unknown resource owner")
		}
		owner = id
	}
	if pc.rs.resourceByName(rep.Name, owner) != nil {
		return nil, newOAuthError(http.StatusConflict, "invalid_request", "Resource with name ["+rep.Name+"] already exists.")
	}
	res := &azResource{id: newID(), owner: owner}
	applyResourceRep(pc.rs, res, rep)
	pc.rs.resources[res.id] = res
	return res, nil
}

// resourceQuery selects resources by the query parameters of
// GET .../resource_set (and the admin resource list).
func (rm *realm) resourceQuery(server *client, rs *resourceServer, q url.Values) []*azResource {
	get := q.Get
	id, name, uri, owner, typ, scope := get("_id"), get("name"), get("uri"), get("owner"), get("type"), get("scope")
	exact := get("exactName") == "true"
	var ownerID string
	if owner != "" {
		ownerID = owner
		if o, ok := rm.resolveOwner(server, owner); ok {
			ownerID = o
		}
	}
	var sc *azScope
	if scope != "" {
		if sc = rs.scopeByName(scope); sc == nil {
			return nil
		}
	}
	match := func(r *azResource, withURI bool) bool {
		switch {
		case id != "" && r.id != id:
		case name != "" && exact && r.name != name:
		case name != "" && !exact && !strings.Contains(strings.ToLower(r.name), strings.ToLower(name)):
		case ownerID != "" && r.owner != ownerID:
		case typ != "" && r.typ != typ:
		case sc != nil && !r.hasScope(sc):
		case withURI && uri != "" && !slices.Contains(r.uris, uri):
		default:
			return true
		}
		return false
	}
	var out []*azResource
	for _, r := range rs.sortedResources() {
		if match(r, true) {
			out = append(out, r)
		}
	}
	if len(out) == 0 && uri != "" && get("matchingUri") == "true" {
		best := -1
		for _, r := range rs.sortedResources() {
			if r.owner != server.id || !match(r, false) {
				continue
			}
			for _, pat := range r.uris {
				if n := uriPatternMatch(pat, uri); n >= 0 {
					if n > best {
						best, out = n, nil
					}
					if n == best && !slices.Contains(out, r) {
						out = append(out, r)
					}
				}
			}
		}
	}
	return out
}

// uriPatternMatch matches uri against a resource URI pattern ("/a/*",
// "/*", "/a/{id}", "/a/*.html") and returns how specific the match is (the
// length of the pattern's literal part), or -1.
func uriPatternMatch(pat, uri string) int {
	if pat == uri {
		return len(pat) + 1
	}
	if strings.HasSuffix(pat, "/*") {
		prefix := strings.TrimSuffix(pat, "*")
		if strings.HasPrefix(uri, prefix) || uri+"/" == prefix {
			return len(prefix)
		}
		return -1
	}
	if strings.Contains(pat, "{") || strings.Contains(pat, "*") {
		g := pat
		for {
			i := strings.Index(g, "{")
			j := strings.Index(g, "}")
			if i < 0 || j < i {
				break
			}
			g = g[:i] + "*" + g[j+1:]
		}
		if ok, _ := path.Match(g, uri); ok {
			return len(strings.ReplaceAll(g, "*", ""))
		}
	}
	return -1
}

// page applies first and max (default max: def; <0 none) to n items.
func azPage(q url.Values, n, def int) (int, int) {
	first, maxN := 0, def
	if v := q["first"]; len(v) > 0 {
		if i, err := strconv.Atoi(v[0]); err == nil && i > 0 {
			first = i
		}
	}
	if v := q["max"]; len(v) > 0 {
		if i, err := strconv.Atoi(v[0]); err == nil {
			maxN = i
		}
	}
	if first > n {
		first = n
	}
	end := n
	if maxN >= 0 && first+maxN < n {
		end = first + maxN
	}
	return first, end
}

func (s *Server) handleResourceSetList(w http.ResponseWriter, r *http.Request, pc *protectionCall) {
	q := r.URL.Query()
	all := pc.rm.resourceQuery(pc.server, pc.rs, q)
	first, end := azPage(q, len(all), 100)
	all = all[first:end]
	if q.Get("deep") == "true" {
		out := []map[string]any{}
		for _, res := range all {
			out = append(out, pc.rm.resourceRep(pc.server, res, adminResource))
		}
		writeJSON(w, http.StatusOK, out)
		return
	}
	ids := []string{}
	for _, res := range all {
		ids = append(ids, res.id)
	}
	writeJSON(w, http.StatusOK, ids)
}

func (s *Server) handleResourceSetGet(w http.ResponseWriter, r *http.Request, pc *protectionCall) {
	res := pc.rs.resources[r.PathValue("id")]
	if res == nil {
		w.WriteHeader(http.StatusNotFound)
		return
	}
	writeJSON(w, http.StatusOK, pc.rm.resourceRep(pc.server, res, umaModel))
}

func (s *Server) handleResourceSetUpdate(w http.ResponseWriter, r *http.Request, pc *protectionCall) {
	var rep azResourceRep
	if !azReadJSON(w, r, &rep) {
		return
	}
	if !pc.rs.allowRemote {
		writeOAuthError(w, http.StatusBadRequest, "not_supported", "Remote management is disabled.")
		return
	}
	res := pc.rs.resources[r.PathValue("id")]
	if res == nil {
		w.WriteHeader(http.StatusNotFound)
		return
	}
	if err := pc.updateResource(res, &rep); err != nil {
		writeError(w, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// updateResource replaces res with rep (its owner stays).
func (pc *protectionCall) updateResource(res *azResource, rep *azResourceRep) error {
	if strings.TrimSpace(rep.Name) == "" {
		return newOAuthError(http.StatusBadRequest, "invalid_request", "Name is required")
	}
	if other := pc.rs.resourceByName(rep.Name, res.owner); other != nil && other != res {
		return newOAuthError(http.StatusConflict, "invalid_request", "Resource with name ["+rep.Name+"] already exists.")
	}
	applyResourceRep(pc.rs, res, rep)
	return nil
}

func (s *Server) handleResourceSetDelete(w http.ResponseWriter, r *http.Request, pc *protectionCall) {
	if !pc.rs.allowRemote {
		writeOAuthError(w, http.StatusBadRequest, "not_supported", "Remote management is disabled.")
		return
	}
	res := pc.rs.resources[r.PathValue("id")]
	if res == nil {
		w.WriteHeader(http.StatusNotFound)
		return
	}
	pc.rs.deleteResource(res)
	w.WriteHeader(http.StatusNoContent)
}

// handlePermissionCreate is POST .../permission: a permission ticket for
// the requested resources and scopes.
func (s *Server) handlePermissionCreate(w http.ResponseWriter, r *http.Request, pc *protectionCall) {
	b, err := readAllLimited(r.Body)
	if err != nil {
		writeOAuthError(w, http.StatusBadRequest, "invalid_permission_request", "Invalid permission request.")
		return
	}
	type permReq struct {
		ResourceID string              `json:"resource_id"`
		Scopes     []string            `json:"resource_scopes"`
		Claims     map[string][]string `json:"claims"`
	}
	var reqs []permReq
	if t := bytes.TrimSpace(b); len(t) > 0 && t[0] == '{' {
		var one permReq
		err = json.Unmarshal(t, &one)
		reqs = []permReq{one}
	} else {
		err = json.Unmarshal(t, &reqs)
	}
	if err != nil || len(reqs) == 0 {
		writeOAuthError(w, http.StatusBadRequest, "invalid_permission_request", "Invalid permission request.")
		return
	}
	var perms []ticketPermission
	claimsOut := map[string][]string{}
	for _, pr := range reqs {
		if pr.ResourceID == "" && len(pr.Scopes) == 0 {
			writeOAuthError(w, http.StatusBadRequest, "invalid_permission_request", "Invalid permission request.")
			return
		}
		tp := ticketPermission{}
		var res *azResource
		if pr.ResourceID != "" {
			res = pc.rs.resources[pr.ResourceID]
			if res == nil {
				res = pc.rs.resourceByName(pr.ResourceID, pc.identity.id)
			}
			if res == nil {
				res = pc.rs.resourceByName(pr.ResourceID, pc.server.id)
			}
			if res == nil {
				writeOAuthError(w, http.StatusBadRequest, "invalid_resource_id", "Resource set with id ["+pr.ResourceID+"] does not exists in this server.")
				return
			}
			tp.ResourceID = res.id
		}
		for _, n := range pr.Scopes {
			sc := pc.rs.scopeRef(n)
			if sc == nil || (res != nil && !res.hasScope(sc)) {
				writeOAuthError(w, http.StatusBadRequest, "invalid_scope", "Scope ["+n+"] is invalid")
				return
			}
			tp.Scopes = append(tp.Scopes, sc.name)
		}
		perms = append(perms, tp)
		for k, v := range pr.Claims {
			claimsOut[k] = append(claimsOut[k], v...)
		}
	}
	ticket, err := s.mintTicket(pc.rm, pc.issuer, pc.server, perms, claimsOut, s.now())
	if err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusCreated, map[string]string{"ticket": ticket})
}

// azTicketRep is PermissionTicketRepresentation.
type azTicketRep struct {
	ID            string `json:"id,omitempty"`
	Owner         string `json:"owner,omitempty"`
	Resource      string `json:"resource,omitempty"`
	Scope         string `json:"scope,omitempty"`
	Granted       bool   `json:"granted"`
	ScopeName     string `json:"scopeName,omitempty"`
	ResourceName  string `json:"resourceName,omitempty"`
	Requester     string `json:"requester,omitempty"`
	OwnerName     string `json:"ownerName,omitempty"`
	RequesterName string `json:"requesterName,omitempty"`
}

func (rm *realm) azTicketRep(server *client, t *azTicket, names bool) azTicketRep {
	rep := azTicketRep{ID: t.id, Owner: t.owner, Resource: t.resource.id, Granted: t.granted, Requester: t.requester.id}
	if t.scope != nil {
		rep.Scope = t.scope.id
	}
	if names {
		rep.ResourceName = t.resource.name
		rep.OwnerName = rm.ownerName(server, t.owner)
		rep.RequesterName = t.requester.username
		if t.scope != nil {
			rep.ScopeName = t.scope.name
		}
	}
	return rep
}

func (s *Server) handleTicketCreate(w http.ResponseWriter, r *http.Request, pc *protectionCall) {
	var rep azTicketRep
	if !azReadJSON(w, r, &rep) {
		return
	}
	bad := func(code, desc string) {
		writeOAuthError(w, http.StatusBadRequest, code, desc)
	}
	switch {
	case rep.ID != "":
		bad("invalid_permission", "created permissions should not have id")
		return
	case rep.Resource == "":
		bad("invalid_permission", "created permissions should have resource")
		return
	case rep.Scope == "" && rep.ScopeName == "":
		bad("invalid_permission", "created permissions should have scope or scopeName")
		return
	case rep.Requester == "" && rep.RequesterName == "":
		bad("invalid_permission", "created permissions should have requester or requesterName")
		return
	}
	res := pc.rs.resources[rep.Resource]
	if res == nil {
		bad("invalid_resource_id", "Resource set with id ["+rep.Resource+"] does not exists in this server.")
		return
	}
	if res.owner != pc.identity.id {
		writeOAuthError(w, http.StatusForbidden, "not_authorised", "permissions for ["+rep.Resource+"] can be only created by the owner")
		return
	}
	if !res.ownerManagedAccess {
		bad("invalid_permission", "permissions for ["+rep.Resource+"] can be only created for resources with owner managed access")
		return
	}
	var requester *user
	if rep.Requester != "" {
		requester = pc.rm.users[rep.Requester]
	} else {
		requester = pc.rm.findUserByUsername(rep.RequesterName)
	}
	if requester == nil {
		bad("invalid_permission", "Requester does not exists in this server as user.")
		return
	}
	var sc *azScope
	if rep.ScopeName != "" {
		sc = pc.rs.scopeByName(rep.ScopeName)
	} else {
		sc = pc.rs.scopes[rep.Scope]
	}
	if sc == nil {
		bad("invalid_scope", "Scope ["+azFirst(rep.ScopeName, rep.Scope)+"] is invalid")
		return
	}
	if !res.hasScope(sc) {
		bad("invalid_resource_id", "Resource set with id ["+rep.Resource+"] does not have Scope ["+sc.name+"]")
		return
	}
	for _, t := range pc.rs.tickets {
		if t.resource == res && t.scope == sc && t.requester == requester {
			bad("invalid_permission", "Permission already exists")
			return
		}
	}
	now := s.now().UnixMilli()
	t := &azTicket{id: newID(), owner: res.owner, resource: res, scope: sc, requester: requester, created: now, granted: rep.Granted}
	if rep.Granted {
		t.grantedAt = now
	}
	pc.rs.tickets[t.id] = t
	writeJSON(w, http.StatusOK, pc.rm.azTicketRep(pc.server, t, false))
}

// ticketQuery selects tickets by the query parameters.
func (rm *realm) ticketQuery(server *client, rs *resourceServer, q url.Values) []*azTicket {
	get := q.Get
	userID := func(ref string) string {
		if u := rm.userRef(ref); u != nil {
			return u.id
		}
		if id, ok := rm.resolveOwner(server, ref); ok {
			return id
		}
		return ref
	}
	scopeID, resourceID, owner, requester, granted := get("scopeId"), get("resourceId"), get("owner"), get("requester"), get("granted")
	if owner != "" {
		owner = userID(owner)
	}
	if requester != "" {
		requester = userID(requester)
	}
	var out []*azTicket
	for _, t := range rs.sortedTickets() {
		switch {
		case scopeID != "" && (t.scope == nil || t.scope.id != scopeID):
		case resourceID != "" && t.resource.id != resourceID:
		case owner != "" && t.owner != owner:
		case requester != "" && t.requester.id != requester:
		case granted != "" && strconv.FormatBool(t.granted) != strings.ToLower(granted):
		default:
			out = append(out, t)
		}
	}
	return out
}

func (s *Server) handleTicketList(w http.ResponseWriter, r *http.Request, pc *protectionCall) {
	q := r.URL.Query()
	all := pc.rm.ticketQuery(pc.server, pc.rs, q)
	first, end := azPage(q, len(all), 100)
	out := []azTicketRep{}
	for _, t := range all[first:end] {
		out = append(out, pc.rm.azTicketRep(pc.server, t, q.Get("returnNames") == "true"))
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) handleTicketCount(w http.ResponseWriter, r *http.Request, pc *protectionCall) {
	writeJSON(w, http.StatusOK, len(pc.rm.ticketQuery(pc.server, pc.rs, r.URL.Query())))
}

func (s *Server) handleTicketUpdate(w http.ResponseWriter, r *http.Request, pc *protectionCall) {
	var rep azTicketRep
	if !azReadJSON(w, r, &rep) {
		return
	}
	t := pc.rs.tickets[rep.ID]
	if rep.ID == "" || t == nil {
		writeOAuthError(w, http.StatusBadRequest, "invalid_request", "invalid_ticket")
		return
	}
	if t.owner != pc.identity.id && !pc.identity.isResourceServer(pc.server) {
		writeOAuthError(w, http.StatusForbidden, "invalid_request", "not_ticket_owner")
		return
	}
	// Keycloak: RepresentationToModel.toModel(PermissionTicketRepresentation)
	// deletes a ticket updated with granted false.
	if !rep.Granted {
		delete(pc.rs.tickets, t.id)
		w.WriteHeader(http.StatusNoContent)
		return
	}
	if !t.granted {
		t.grantedAt = s.now().UnixMilli()
	}
	t.granted = true
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) handleTicketDelete(w http.ResponseWriter, r *http.Request, pc *protectionCall) {
	t := pc.rs.tickets[r.PathValue("id")]
	if t == nil {
		writeOAuthError(w, http.StatusBadRequest, "invalid_request", "invalid_ticket")
		return
	}
	id := pc.identity
	if t.owner != id.id && (id.user == nil || t.requester != id.user) && !id.isResourceServer(pc.server) {
		writeOAuthError(w, http.StatusForbidden, "invalid_request", "not_ticket_owner")
		return
	}
	delete(pc.rs.tickets, t.id)
	w.WriteHeader(http.StatusNoContent)
}

// umaPolicyRep renders a user-managed permission
// (UmaPermissionRepresentation).
func (rm *realm) umaPolicyRep(p *azPolicy) map[string]any {
	out := map[string]any{"id": p.id, "name": p.name, "type": azUMA, "logic": p.logic,
		"decisionStrategy": p.decision, "owner": p.owner, "scopes": scopeNames(p.scopes)}
	if p.description != "" {
		out["description"] = p.description
	}
	var roles, groups, clients, users []string
	for _, rr := range p.roles {
		n := rr.role.name
		if rr.role.client != nil {
			n = rr.role.client.clientID + "/" + n
		}
		roles = append(roles, n)
	}
	for _, g := range p.groups {
		groups = append(groups, g.group.path())
	}
	for _, c := range p.clients {
		clients = append(clients, c.clientID)
	}
	for _, u := range p.users {
		users = append(users, u.username)
	}
	for k, v := range map[string][]string{"roles": roles, "groups": groups, "clients": clients, "users": users} {
		if len(v) > 0 {
			out[k] = v
		}
	}
	if p.code != "" {
		out["condition"] = p.code
	}
	return out
}

// applyUMAPolicy sets p from a UmaPermissionRepresentation body.
func (pc *protectionCall) applyUMAPolicy(p *azPolicy, rep *azPolicyRep, res *azResource) error {
	rep.Type = azUMA
	if rep.Condition != "" {
		rep.Code = rep.Condition
	}
	scopes := rep.Scopes
	rep.Scopes = nil
	if err := pc.rm.applyPolicyRep(pc.server, pc.rs, p, rep); err != nil {
		return newOAuthError(http.StatusBadRequest, "invalid_request", err.Error())
	}
	p.scopes = nil
	for _, n := range scopes {
		sc := pc.rs.scopeRef(n)
		if sc == nil || (res != nil && !res.hasScope(sc)) {
			return newOAuthError(http.StatusBadRequest, "invalid_request", "Scope ["+n+"] is invalid")
		}
		p.scopes = append(p.scopes, sc)
	}
	if len(p.scopes) == 0 && res != nil {
		p.scopes = slices.Clone(res.scopes)
	}
	if res != nil {
		p.resources = []*azResource{res}
	}
	return nil
}

func (s *Server) handleUMAPolicyCreate(w http.ResponseWriter, r *http.Request, pc *protectionCall) {
	var rep azPolicyRep
	if !azReadJSON(w, r, &rep) {
		return
	}
	rid := r.PathValue("resource")
	res := pc.rs.resources[rid]
	switch {
	case res == nil:
		writeOAuthError(w, http.StatusBadRequest, "invalid_request", "Resource ["+rid+"] cannot be found")
		return
	case res.owner != pc.identity.id:
		writeOAuthError(w, http.StatusBadRequest, "invalid_request", "Only resource owner can access policies for resource ["+rid+"]")
		return
	case !res.ownerManagedAccess:
		writeOAuthError(w, http.StatusBadRequest, "invalid_request", "Only resources with owner managed accessed can have policies")
		return
	}
	if pc.rs.policyByName(rep.Name) != nil {
		writeOAuthError(w, http.StatusConflict, "invalid_request", "Policy with name ["+rep.Name+"] already exists")
		return
	}
	p := &azPolicy{id: newID(), owner: pc.identity.id}
	if err := pc.applyUMAPolicy(p, &rep, res); err != nil {
		writeError(w, err)
		return
	}
	pc.rs.policies[p.id] = p
	writeJSON(w, http.StatusOK, pc.rm.umaPolicyRep(p))
}

// ownedUMAPolicy returns the caller's uma policy named by the path, or
// writes 404 invalid_request.
func (pc *protectionCall) ownedUMAPolicy(w http.ResponseWriter, id string) *azPolicy {
	p := pc.rs.policies[id]
	if p == nil || p.typ != azUMA || p.owner != pc.identity.id {
		writeOAuthError(w, http.StatusNotFound, "invalid_request", "Policy with ["+id+"] does not exist")
		return nil
	}
	return p
}

func (s *Server) handleUMAPolicyList(w http.ResponseWriter, r *http.Request, pc *protectionCall) {
	q := r.URL.Query()
	var all []*azPolicy
	for _, p := range pc.rs.sortedPolicies() {
		switch {
		case p.typ != azUMA || p.owner != pc.identity.id:
		case q.Get("name") != "" && !strings.Contains(strings.ToLower(p.name), strings.ToLower(q.Get("name"))):
		case q.Get("resource") != "" && !slices.ContainsFunc(p.resources, func(x *azResource) bool { return x.id == q.Get("resource") }):
		case q.Get("scope") != "" && !slices.ContainsFunc(p.scopes, func(x *azScope) bool { return x.name == q.Get("scope") }):
		default:
			all = append(all, p)
		}
	}
	first, end := azPage(q, len(all), 100)
	out := []map[string]any{}
	for _, p := range all[first:end] {
		out = append(out, pc.rm.umaPolicyRep(p))
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) handleUMAPolicyGet(w http.ResponseWriter, r *http.Request, pc *protectionCall) {
	if p := pc.ownedUMAPolicy(w, r.PathValue("id")); p != nil {
		writeJSON(w, http.StatusOK, pc.rm.umaPolicyRep(p))
	}
}

func (s *Server) handleUMAPolicyUpdate(w http.ResponseWriter, r *http.Request, pc *protectionCall) {
	var rep azPolicyRep
	if !azReadJSON(w, r, &rep) {
		return
	}
	p := pc.ownedUMAPolicy(w, r.PathValue("id"))
	if p == nil {
		return
	}
	var res *azResource
	if len(p.resources) > 0 {
		res = p.resources[0]
	}
	cp := *p
	if err := pc.applyUMAPolicy(&cp, &rep, res); err != nil {
		writeError(w, err)
		return
	}
	*p = cp
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) handleUMAPolicyDelete(w http.ResponseWriter, r *http.Request, pc *protectionCall) {
	if p := pc.ownedUMAPolicy(w, r.PathValue("id")); p != nil {
		pc.rs.deletePolicy(p)
		w.WriteHeader(http.StatusNoContent)
	}
}
