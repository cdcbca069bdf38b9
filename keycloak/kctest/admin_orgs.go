package kctest

import (
	"encoding/json"
	"maps"
	"net/http"
	"slices"
	"strings"
)

// organization is an organization of a realm (Keycloak 26).
type organization struct {
	id, name, alias   string
	enabled           bool
	description       string
	redirectURL       string
	attributes        map[string][]string
	domains           []orgDomain
	members           []*orgMember
	identityProviders []string // aliases

	groupRoot    *group             // the internal group; see admin_org_groups.go
	groupMembers map[*group][]*user // organization group memberships
	invitations  []*orgInvitation   // see admin_org_invitations.go
}

type orgDomain struct {
	Name     string `json:"name"`
	Verified bool   `json:"verified"`
}

type orgMember struct {
	user    *user
	managed bool
}

type orgInput struct {
	Name        *string             `json:"name"`
	Alias       *string             `json:"alias"`
	Enabled     *bool               `json:"enabled"`
	Description *string             `json:"description"`
	RedirectURL *string             `json:"redirectUrl"`
	Attributes  map[string][]string `json:"attributes"`
	Domains     []orgDomain         `json:"domains"`
}

func (o *organization) rep(brief bool) map[string]any {
	m := map[string]any{"id": o.id, "name": o.name, "alias": o.alias, "enabled": o.enabled, "domains": nonNil(o.domains)}
	if o.description != "" {
		m["description"] = o.description
	}
	if o.redirectURL != "" {
		m["redirectUrl"] = o.redirectURL
	}
	if !brief {
		a := maps.Clone(o.attributes)
		if a == nil {
			a = map[string][]string{}
		}
		m["attributes"] = a
	}
	return m
}

// organizationsEnabled reports the realm's organizationsEnabled flag.
func (rm *realm) organizationsEnabled() bool {
	var on bool
	_ = json.Unmarshal(rm.settings["organizationsEnabled"], &on)
	return on
}

func (rm *realm) orgs() []*organization {
	if rm.admin == nil {
		return nil
	}
	return rm.admin.orgs
}

// liveMembers drops members whose user was deleted.
func (rm *realm) liveMembers(o *organization) []*orgMember {
	o.members = slices.DeleteFunc(o.members, func(m *orgMember) bool { return rm.users[m.user.id] != m.user })
	return o.members
}

func (s *Server) registerAdminOrganizations(mux *http.ServeMux) {
	const base = "/admin/realms/{realm}/organizations"
	gate := func(perm adminPerm, h adminHandler) http.HandlerFunc {
		return s.admin(perm, func(w http.ResponseWriter, r *http.Request, rm *realm, c *adminCaller) {
			if !rm.organizationsEnabled() {
				writeErrorMessage(w, http.StatusNotFound, "Organizations not enabled for this realm.")
				return
			}
			h(w, r, rm, c)
		})
	}
	withOrg := func(perm adminPerm, h func(w http.ResponseWriter, r *http.Request, rm *realm, o *organization)) http.HandlerFunc {
		return gate(perm, func(w http.ResponseWriter, r *http.Request, rm *realm, _ *adminCaller) {
			i := slices.IndexFunc(rm.orgs(), func(o *organization) bool { return o.id == r.PathValue("org") })
			if i < 0 {
				writeErrorMessage(w, http.StatusNotFound, "Organization not found.")
				return
			}
			h(w, r, rm, rm.orgs()[i])
		})
	}
	s.handle(mux, "GET", base, gate(permViewRealm, s.adminListOrgs))
	s.handle(mux, "GET", base+"/count", gate(permViewRealm, func(w http.ResponseWriter, r *http.Request, rm *realm, _ *adminCaller) {
		writeJSON(w, http.StatusOK, len(rm.matchingOrgs(r)))
	}))
	s.handle(mux, "POST", base, gate(permManageRealm, s.adminCreateOrg))
	one := base + "/{org}"
	s.handle(mux, "GET", one, withOrg(permViewRealm, func(w http.ResponseWriter, _ *http.Request, _ *realm, o *organization) {
		writeJSON(w, http.StatusOK, o.rep(false))
	}))
	s.handle(mux, "PUT", one, withOrg(permManageRealm, s.adminUpdateOrg))
	s.handle(mux, "DELETE", one, withOrg(permManageRealm, func(w http.ResponseWriter, _ *http.Request, rm *realm, o *organization) {
		for _, m := range rm.liveMembers(o) {
			if m.managed {
				rm.removeUserSessions(m.user)
				delete(rm.users, m.user.id)
			}
		}
		rm.admin.orgs = slices.DeleteFunc(rm.admin.orgs, func(x *organization) bool { return x == o })
		noContent(w)
	}))
	s.handle(mux, "GET", one+"/members", withOrg(permViewUsers, func(w http.ResponseWriter, r *http.Request, rm *realm, o *organization) {
		q := r.URL.Query()
		search, mt := q.Get("search"), q.Get("membershipType")
		exact := q.Get("exact") == "true"
		var list []*orgMember
		for _, m := range rm.liveMembers(o) {
			u := m.user
			if mt != "" && (mt == "MANAGED") != m.managed {
				continue
			}
			if search != "" {
				if exact && !slices.ContainsFunc([]string{u.username, u.email, u.firstName, u.lastName}, func(v string) bool { return strings.EqualFold(v, search) }) ||
					!exact && !searchMatches("*"+strings.Trim(search, "*")+"*", u.username, u.email, u.firstName, u.lastName) {
					continue
				}
			}
			list = append(list, m)
		}
		slices.SortFunc(list, func(a, b *orgMember) int { return strings.Compare(a.user.username, b.user.username) })
		first, end := page(r, len(list), 10)
		out := make([]map[string]any, 0, end-first)
		for _, m := range list[first:end] {
			out = append(out, rm.memberRep(m))
		}
		writeJSON(w, http.StatusOK, out)
	}))
	s.handle(mux, "GET", one+"/members/count", withOrg(permViewUsers, func(w http.ResponseWriter, _ *http.Request, rm *realm, o *organization) {
		writeJSON(w, http.StatusOK, len(rm.liveMembers(o)))
	}))
	s.handle(mux, "POST", one+"/members", withOrg(permManageUsers, func(w http.ResponseWriter, r *http.Request, rm *realm, o *organization) {
		id, ok := readRawID(w, r)
		if !ok {
			return
		}
		u := rm.users[id]
		if u == nil {
			writeErrorMessage(w, http.StatusBadRequest, "User does not exist")
			return
		}
		if slices.ContainsFunc(rm.liveMembers(o), func(m *orgMember) bool { return m.user == u }) {
			writeErrorMessage(w, http.StatusConflict, "User is already a member of the organization.")
			return
		}
		o.members = append(o.members, &orgMember{user: u})
		created(w, r, s, u.id)
	}))
	withMember := func(perm adminPerm, h func(w http.ResponseWriter, r *http.Request, rm *realm, o *organization, m *orgMember)) http.HandlerFunc {
		return withOrg(perm, func(w http.ResponseWriter, r *http.Request, rm *realm, o *organization) {
			i := slices.IndexFunc(rm.liveMembers(o), func(m *orgMember) bool { return m.user.id == r.PathValue("member") })
			if i < 0 {
				writeErrorMessage(w, http.StatusNotFound, "User ["+r.PathValue("member")+"] is not a member of the organization")
				return
			}
			h(w, r, rm, o, o.members[i])
		})
	}
	getMember := withMember(permViewUsers, func(w http.ResponseWriter, _ *http.Request, rm *realm, _ *organization, m *orgMember) {
		writeJSON(w, http.StatusOK, rm.memberRep(m))
	})
	s.handle(mux, "DELETE", one+"/members/{member}", withMember(permManageUsers, func(w http.ResponseWriter, _ *http.Request, rm *realm, o *organization, m *orgMember) {
		o.members = slices.DeleteFunc(o.members, func(x *orgMember) bool { return x == m })
		if m.managed {
			rm.removeUserSessions(m.user)
			delete(rm.users, m.user.id)
		}
		noContent(w)
	}))
	// GET /organizations/{org-id}/members/{member-id} and
	// GET /organizations/members/{member-id}/organizations overlap for
	// net/http's patterns, so one pattern serves both.
	memberOrgs := func(w http.ResponseWriter, r *http.Request, rm *realm, u *user) {
		if u == nil {
			writeErrorMessage(w, http.StatusNotFound, "User not found")
			return
		}
		brief := boolParam(r, "briefRepresentation", true)
		out := []map[string]any{}
		for _, o := range rm.orgs() {
			if slices.ContainsFunc(rm.liveMembers(o), func(m *orgMember) bool { return m.user == u }) {
				out = append(out, o.rep(brief))
			}
		}
		writeJSON(w, http.StatusOK, out)
	}
	topMemberOrgs := gate(permViewUsers, func(w http.ResponseWriter, r *http.Request, rm *realm, _ *adminCaller) {
		memberOrgs(w, r, rm, rm.users[r.PathValue("b")])
	})
	s.handle(mux, "GET", base+"/{a}/{b}/{c}", func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.PathValue("b") == "members":
			r.SetPathValue("org", r.PathValue("a"))
			r.SetPathValue("member", r.PathValue("c"))
			getMember(w, r)
		case r.PathValue("a") == "members" && r.PathValue("c") == "organizations":
			topMemberOrgs(w, r)
		default:
			writeGenericError(w, http.StatusNotFound, "HTTP 404 Not Found")
		}
	})
	s.handle(mux, "GET", one+"/members/{member}/organizations", withMember(permViewUsers, func(w http.ResponseWriter, r *http.Request, rm *realm, _ *organization, m *orgMember) {
		memberOrgs(w, r, rm, m.user)
	}))
	s.handle(mux, "GET", one+"/members/{member}/groups", withMember(permViewUsers, s.adminMemberOrgGroups))
	s.registerAdminOrgGroups(mux, one, withOrg)
	s.registerAdminOrgInvitations(mux, one, withOrg)
	// Keycloak: OrganizationIdentityProvidersResource.getIdentityProvider
	// and getGroups answer 404 for a provider not linked to this
	// organization.
	withLinkedIdP := func(h func(w http.ResponseWriter, r *http.Request, rm *realm, o *organization, p *identityProvider)) http.HandlerFunc {
		return withOrg(permViewRealm, func(w http.ResponseWriter, r *http.Request, rm *realm, o *organization) {
			p := rm.findIdP(r.PathValue("alias"))
			if p == nil || !slices.Contains(o.identityProviders, p.alias()) {
				writeErrorMessage(w, http.StatusNotFound, "Identity provider not associated with the organization")
				return
			}
			h(w, r, rm, o, p)
		})
	}
	s.handle(mux, "GET", one+"/identity-providers/{alias}", withLinkedIdP(func(w http.ResponseWriter, _ *http.Request, _ *realm, o *organization, p *identityProvider) {
		rep := p.render(false)
		rep["organizationId"] = o.id
		writeJSON(w, http.StatusOK, rep)
	}))
	s.handle(mux, "GET", one+"/identity-providers/{alias}/groups", withLinkedIdP(func(w http.ResponseWriter, r *http.Request, _ *realm, o *organization, _ *identityProvider) {
		s.adminOrgIdPGroups(w, r, o)
	}))
	s.handle(mux, "GET", one+"/identity-providers", withOrg(permViewRealm, func(w http.ResponseWriter, _ *http.Request, rm *realm, o *organization) {
		out := []map[string]any{}
		for _, a := range o.identityProviders {
			if p := rm.findIdP(a); p != nil {
				rep := p.render(false)
				rep["organizationId"] = o.id
				out = append(out, rep)
			}
		}
		writeJSON(w, http.StatusOK, out)
	}))
	s.handle(mux, "POST", one+"/identity-providers", withOrg(permManageRealm, func(w http.ResponseWriter, r *http.Request, rm *realm, o *organization) {
		ref, ok := readRawID(w, r)
		if !ok {
			return
		}
		// Keycloak: OrganizationIdentityProvidersResource.addIdentityProvider
		// looks the provider up by id or alias (getByIdOrAlias); the JPA
		// provider refuses one linked elsewhere with a ModelException (400)
		// and reports one linked here already as not added (409).
		p := rm.findIdP(ref)
		if p == nil {
			p = rm.findIdPByID(ref)
		}
		if p == nil {
			writeErrorMessage(w, http.StatusBadRequest, "Identity provider not found with the given alias")
			return
		}
		alias := p.alias()
		if slices.Contains(o.identityProviders, alias) {
			writeErrorMessage(w, http.StatusConflict, "Identity provider already associated to the organization")
			return
		}
		for _, other := range rm.orgs() {
			if slices.Contains(other.identityProviders, alias) {
				writeErrorMessage(w, http.StatusBadRequest, "Identity provider already associated with a different organization")
				return
			}
		}
		o.identityProviders = append(o.identityProviders, alias)
		noContent(w)
	}))
	s.handle(mux, "DELETE", one+"/identity-providers/{alias}", withOrg(permManageRealm, func(w http.ResponseWriter, r *http.Request, _ *realm, o *organization) {
		n := len(o.identityProviders)
		o.identityProviders = slices.DeleteFunc(o.identityProviders, func(a string) bool { return a == r.PathValue("alias") })
		if len(o.identityProviders) == n {
			// Keycloak: OrganizationIdentityProvidersResource.delete.
			writeErrorMessage(w, http.StatusNotFound, "Identity provider not found with the given alias")
			return
		}
		noContent(w)
	}))
}

func (rm *realm) memberRep(m *orgMember) map[string]any {
	b, _ := json.Marshal(rm.adminUser(m.user, false, false))
	var out map[string]any
	_ = json.Unmarshal(b, &out)
	out["membershipType"] = "UNMANAGED"
	if m.managed {
		out["membershipType"] = "MANAGED"
	}
	return out
}

// matchingOrgs applies search (name or domain), exact and q.
func (rm *realm) matchingOrgs(r *http.Request) []*organization {
	q := r.URL.Query()
	search, exact, attrs := q.Get("search"), q.Get("exact") == "true", parseQ(q.Get("q"))
	var out []*organization
	for _, o := range rm.orgs() {
		if search != "" {
			hit := exact && o.name == search || !exact && strings.Contains(strings.ToLower(o.name), strings.ToLower(search))
			for _, d := range o.domains {
				hit = hit || strings.EqualFold(d.Name, search)
			}
			if !hit {
				continue
			}
		}
		ok := true
		for k, v := range attrs {
			if !slices.Contains(o.attributes[k], v) {
				ok = false
			}
		}
		if ok {
			out = append(out, o)
		}
	}
	slices.SortFunc(out, func(a, b *organization) int { return strings.Compare(a.name, b.name) })
	return out
}

func (s *Server) adminListOrgs(w http.ResponseWriter, r *http.Request, rm *realm, _ *adminCaller) {
	list := rm.matchingOrgs(r)
	first, end := page(r, len(list), 10)
	brief := boolParam(r, "briefRepresentation", true)
	out := make([]map[string]any, 0, end-first)
	for _, o := range list[first:end] {
		out = append(out, o.rep(brief))
	}
	writeJSON(w, http.StatusOK, out)
}

// checkOrg validates a representation for o (nil when creating).
func (rm *realm) checkOrg(w http.ResponseWriter, in *orgInput, self *organization) bool {
	if in.Name != nil && strings.TrimSpace(*in.Name) == "" || in.Name == nil && self == nil {
		writeErrorMessage(w, http.StatusBadRequest, "Name cannot be empty")
		return false
	}
	for _, o := range rm.orgs() {
		if o == self {
			continue
		}
		if in.Name != nil && o.name == *in.Name {
			writeErrorMessage(w, http.StatusConflict, "A organization with the same name already exists.")
			return false
		}
		if in.Alias != nil && o.alias == *in.Alias {
			writeErrorMessage(w, http.StatusConflict, "A organization with the same alias already exists")
			return false
		}
		for _, d := range in.Domains {
			if slices.ContainsFunc(o.domains, func(x orgDomain) bool { return strings.EqualFold(x.Name, d.Name) }) {
				writeErrorMessage(w, http.StatusConflict, "Domain "+d.Name+" is already linked to another organization.")
				return false
			}
		}
	}
	return true
}

func (o *organization) apply(in *orgInput) {
	if in.Name != nil {
		o.name = *in.Name
	}
	if in.Alias != nil && *in.Alias != "" {
		o.alias = *in.Alias
	}
	if in.Enabled != nil {
		o.enabled = *in.Enabled
	}
	if in.Description != nil {
		o.description = *in.Description
	}
	if in.RedirectURL != nil {
		o.redirectURL = *in.RedirectURL
	}
	if in.Attributes != nil {
		o.attributes = maps.Clone(in.Attributes)
	}
	if in.Domains != nil {
		o.domains = slices.Clone(in.Domains)
	}
}

func (s *Server) adminCreateOrg(w http.ResponseWriter, r *http.Request, rm *realm, _ *adminCaller) {
	var in orgInput
	if !decodeAdminJSON(w, r, &in) || !rm.checkOrg(w, &in, nil) {
		return
	}
	o := &organization{id: newID(), enabled: true, attributes: map[string][]string{}}
	o.apply(&in)
	if o.alias == "" {
		o.alias = o.name
	}
	st := rm.adminState()
	st.orgs = append(st.orgs, o)
	created(w, r, s, o.id)
}

func (s *Server) adminUpdateOrg(w http.ResponseWriter, r *http.Request, rm *realm, o *organization) {
	var in orgInput
	if !decodeAdminJSON(w, r, &in) || !rm.checkOrg(w, &in, o) {
		return
	}
	if in.Alias != nil && *in.Alias != "" && *in.Alias != o.alias {
		writeErrorMessage(w, http.StatusBadRequest, "Cannot change the alias")
		return
	}
	o.apply(&in)
	noContent(w)
}

// readRawID reads a body that carries one identifier as a raw string, as
// OrganizationMemberResource.addMember and
// OrganizationIdentityProvidersResource.addIdentityProvider take it: the
// value is trimmed and one leading and one trailing double quote are
// dropped (id.trim().replaceAll("^\"|\"$", "")), so "abc", abc and
// " \"abc\" " name the same thing. JSON escapes are not decoded.
func readRawID(w http.ResponseWriter, r *http.Request) (string, bool) {
	b, err := readAllLimited(r.Body)
	if err != nil {
		writeGenericError(w, http.StatusBadRequest, "unknown_error")
		return "", false
	}
	id := strings.TrimSpace(string(b))
	id = strings.TrimPrefix(id, `"`)
	id = strings.TrimSuffix(id, `"`)
	return id, true
}
