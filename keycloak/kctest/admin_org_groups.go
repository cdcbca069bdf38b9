package kctest

import (
	"maps"
	"net/http"
	"slices"
	"strings"
)

// Organization groups (Keycloak 26.6): groups of type ORGANIZATION that
// live under an internal group per organization, apart from the realm's
// groups. Keycloak: OrganizationGroupsResource, OrganizationGroupResource.
// kctest keeps them in the organization: root is the internal group (its
// name is the organization's id, as in Keycloak), its children are the
// organization's top-level groups; none is in realm.groups, so /groups,
// /users/{id}/groups and tokens never see them.

// orgGroupRoot returns o's internal group, made on first use.
func (o *organization) orgGroupRoot() *group {
	if o.groupRoot == nil {
		o.groupRoot = &group{id: newID(), name: o.id, attributes: map[string][]string{}}
		o.groupMembers = map[*group][]*user{}
	}
	return o.groupRoot
}

// orgGroups returns every group of o, depth first.
func (o *organization) orgGroups() []*group {
	var out []*group
	var walk func(g *group)
	walk = func(g *group) {
		for _, c := range sortGroups(slices.Clone(g.children)) {
			out = append(out, c)
			walk(c)
		}
	}
	if o.groupRoot != nil {
		walk(o.groupRoot)
	}
	return out
}

func (o *organization) findOrgGroup(id string) *group {
	for _, g := range o.orgGroups() {
		if g.id == id {
			return g
		}
	}
	return nil
}

// orgGroupPath is KeycloakModelUtils.buildGroupPath for an organization
// group: the path stops at the internal group.
func orgGroupPath(g *group) string {
	if g.parent == nil || g.parent.parent == nil {
		return "/" + g.name
	}
	return orgGroupPath(g.parent) + "/" + g.name
}

// orgGroupRep is ModelToRepresentation.toRepresentation(group, !brief)
// for an organization group; a top-level group's parentId is the
// internal group's id, as in Keycloak.
func orgGroupRep(g *group, brief, count bool) adminGroupRep {
	rep := adminGroup(g, brief, count)
	rep.Path = orgGroupPath(g)
	return rep
}

// liveGroupMembers drops members whose user was deleted or who left the
// organization.
func (rm *realm) liveGroupMembers(o *organization, g *group) []*user {
	members := rm.liveMembers(o)
	o.groupMembers[g] = slices.DeleteFunc(o.groupMembers[g], func(u *user) bool {
		return rm.users[u.id] != u || !slices.ContainsFunc(members, func(m *orgMember) bool { return m.user == u })
	})
	return o.groupMembers[g]
}

// removeOrgGroup deletes g and its subgroups with their memberships.
func (o *organization) removeOrgGroup(g *group) {
	for _, c := range slices.Clone(g.children) {
		o.removeOrgGroup(c)
	}
	g.parent.children = slices.DeleteFunc(g.parent.children, func(x *group) bool { return x == g })
	delete(o.groupMembers, g)
}

func (s *Server) registerAdminOrgGroups(mux *http.ServeMux, one string,
	withOrg func(perm adminPerm, h func(w http.ResponseWriter, r *http.Request, rm *realm, o *organization)) http.HandlerFunc) {
	gs := one + "/groups"
	withGroup := func(perm adminPerm, h func(w http.ResponseWriter, r *http.Request, rm *realm, o *organization, g *group)) http.HandlerFunc {
		return withOrg(perm, func(w http.ResponseWriter, r *http.Request, rm *realm, o *organization) {
			// Keycloak: OrganizationGroupsResource.getGroupById.
			id := r.PathValue("group")
			g := o.findOrgGroup(id)
			if g == nil {
				foreign := rm.groups[id] != nil || slices.ContainsFunc(rm.orgs(), func(x *organization) bool { return x.findOrgGroup(id) != nil })
				if foreign {
					writeErrorMessage(w, http.StatusBadRequest, "Group does not belong to the organization")
				} else {
					writeErrorMessage(w, http.StatusNotFound, "Group does not exist")
				}
				return
			}
			h(w, r, rm, o, g)
		})
	}
	s.handle(mux, "GET", gs, withOrg(permViewRealm, s.adminListOrgGroups))
	s.handle(mux, "POST", gs, withOrg(permManageRealm, func(w http.ResponseWriter, r *http.Request, rm *realm, o *organization) {
		s.createOrMoveOrgGroup(w, r, rm, o, o.orgGroupRoot())
	}))
	// group-by-path/{path} and {group-id}/children|members overlap as
	// net/http patterns, so one pattern serves the GETs below a group.
	getGroup := withGroup(permViewRealm, func(w http.ResponseWriter, r *http.Request, _ *realm, _ *organization, g *group) {
		rep := orgGroupRep(g, false, boolParam(r, "subGroupsCount", false))
		writeJSON(w, http.StatusOK, rep)
	})
	children := withGroup(permViewRealm, s.adminOrgGroupChildren)
	members := withGroup(permViewUsers, s.adminOrgGroupMembers)
	byPath := withOrg(permViewRealm, func(w http.ResponseWriter, r *http.Request, _ *realm, o *organization) {
		g := o.findOrgGroupByPath(r.PathValue("rest"))
		if g == nil {
			writeGenericError(w, http.StatusNotFound, "Group path does not exist")
			return
		}
		writeJSON(w, http.StatusOK, orgGroupRep(g, true, boolParam(r, "subGroupsCount", false)))
	})
	s.handle(mux, "GET", gs+"/{group}", getGroup)
	s.handle(mux, "GET", gs+"/{group}/{rest...}", func(w http.ResponseWriter, r *http.Request) {
		switch rest := r.PathValue("rest"); {
		case r.PathValue("group") == "group-by-path":
			byPath(w, r)
		case rest == "children":
			children(w, r)
		case rest == "members":
			members(w, r)
		default:
			writeGenericError(w, http.StatusNotFound, "HTTP 404 Not Found")
		}
	})
	s.handle(mux, "PUT", gs+"/{group}", withGroup(permManageRealm, s.adminUpdateOrgGroup))
	s.handle(mux, "DELETE", gs+"/{group}", withGroup(permManageRealm, func(w http.ResponseWriter, _ *http.Request, _ *realm, o *organization, g *group) {
		o.removeOrgGroup(g)
		noContent(w)
	}))
	s.handle(mux, "POST", gs+"/{group}/children", withGroup(permManageRealm, func(w http.ResponseWriter, r *http.Request, rm *realm, o *organization, g *group) {
		s.createOrMoveOrgGroup(w, r, rm, o, g)
	}))
	s.handle(mux, "PUT", gs+"/{group}/members/{user}", withGroup(permManageUsers, func(w http.ResponseWriter, r *http.Request, rm *realm, o *organization, g *group) {
		// Keycloak: OrganizationGroupResource.joinGroup.
		u := rm.users[r.PathValue("user")]
		switch {
		case u == nil:
			writeErrorMessage(w, http.StatusNotFound, "User does not exist")
		case !slices.ContainsFunc(rm.liveMembers(o), func(m *orgMember) bool { return m.user == u }):
			writeErrorMessage(w, http.StatusBadRequest, "User is not member of the organization")
		case slices.Contains(rm.liveGroupMembers(o, g), u):
			writeErrorMessage(w, http.StatusConflict, "User is already a member of the group")
		default:
			o.groupMembers[g] = append(o.groupMembers[g], u)
			noContent(w)
		}
	}))
	s.handle(mux, "DELETE", gs+"/{group}/members/{user}", withGroup(permManageUsers, func(w http.ResponseWriter, r *http.Request, rm *realm, o *organization, g *group) {
		// Keycloak: OrganizationGroupResource.leaveGroup answers 204
		// whether or not the user was in the group.
		u := rm.users[r.PathValue("user")]
		if u == nil {
			writeErrorMessage(w, http.StatusNotFound, "User does not exist")
			return
		}
		o.groupMembers[g] = slices.DeleteFunc(o.groupMembers[g], func(x *user) bool { return x == u })
		noContent(w)
	}))
}

// findOrgGroupByPath is KeycloakModelUtils.findGroupByPath for an
// organization: "/a/b" from the organization's top-level groups.
func (o *organization) findOrgGroupByPath(path string) *group {
	parts := strings.Split(strings.Trim(path, "/"), "/")
	if len(parts) == 0 || parts[0] == "" {
		return nil
	}
	cur := o.orgGroupRoot()
	for _, p := range parts {
		var next *group
		for _, c := range cur.children {
			if c.name == p {
				next = c
			}
		}
		if next == nil {
			return nil
		}
		cur = next
	}
	return cur
}

// adminListOrgGroups is OrganizationGroupsResource.getGroups: by q
// (attributes) first, else by search (name, at any depth), else the
// top-level groups; populateHierarchy puts the hits inside their
// ancestors.
func (s *Server) adminListOrgGroups(w http.ResponseWriter, r *http.Request, _ *realm, o *organization) {
	s.writeOrgGroups(w, r, o)
}

func (s *Server) writeOrgGroups(w http.ResponseWriter, r *http.Request, o *organization) {
	q := r.URL.Query()
	brief := boolParam(r, "briefRepresentation", true)
	count := boolParam(r, "subGroupsCount", false)
	_, hasQ := q["q"]
	_, hasSearch := q["search"]
	var hits []*group
	switch {
	case hasQ:
		attrs := parseQ(q.Get("q"))
		for _, g := range o.orgGroups() {
			if groupMatches(g, "", false, attrs) {
				hits = append(hits, g)
			}
		}
	case hasSearch:
		search := strings.TrimSpace(q.Get("search"))
		exact := boolParam(r, "exact", false)
		for _, g := range o.orgGroups() {
			if groupMatches(g, search, exact, nil) {
				hits = append(hits, g)
			}
		}
	default:
		hits = sortGroups(slices.Clone(o.orgGroupRoot().children))
	}
	first, end := page(r, len(hits), -1)
	hits = hits[first:end]
	if !boolParam(r, "populateHierarchy", false) {
		out := make([]adminGroupRep, 0, len(hits))
		for _, g := range hits {
			out = append(out, orgGroupRep(g, brief, count))
		}
		writeJSON(w, http.StatusOK, out)
		return
	}
	// GroupUtils.populateGroupHierarchyFromSubGroups: each hit inside its
	// ancestors, from the top-level group down.
	keep := map[*group]bool{}
	for _, g := range hits {
		for p := g; p != nil && p != o.groupRoot; p = p.parent {
			keep[p] = true
		}
	}
	var render func(g *group) adminGroupRep
	render = func(g *group) adminGroupRep {
		rep := orgGroupRep(g, brief, count)
		sub := []adminGroupRep{}
		for _, c := range sortGroups(slices.Clone(g.children)) {
			if keep[c] {
				sub = append(sub, render(c))
			}
		}
		rep.SubGroups = &sub
		return rep
	}
	out := []adminGroupRep{}
	for _, g := range sortGroups(slices.Clone(o.orgGroupRoot().children)) {
		if keep[g] {
			out = append(out, render(g))
		}
	}
	writeJSON(w, http.StatusOK, out)
}

// createOrMoveOrgGroup is OrganizationGroupsResource.addTopLevelGroup
// (parent is the internal group) and OrganizationGroupResource.addSubGroup:
// a body without id creates the group, one with the id of a group of this
// organization moves it.
func (s *Server) createOrMoveOrgGroup(w http.ResponseWriter, r *http.Request, rm *realm, o *organization, parent *group) {
	var in groupInput
	if !decodeAdminJSON(w, r, &in) {
		return
	}
	if in.Name == nil || strings.TrimSpace(*in.Name) == "" {
		writeErrorMessage(w, http.StatusBadRequest, "Group name is missing")
		return
	}
	top := parent == o.groupRoot
	dup := "Sibling group with the given name already exists"
	if top {
		dup = "Group with the given name already exists."
	}
	if in.ID != "" {
		g := o.findOrgGroup(in.ID)
		if g == nil {
			switch {
			case rm.groups[in.ID] != nil:
				writeErrorMessage(w, http.StatusBadRequest, "Can only move organization groups")
			case slices.ContainsFunc(rm.orgs(), func(x *organization) bool { return x.findOrgGroup(in.ID) != nil }):
				writeErrorMessage(w, http.StatusBadRequest, "Group does not belong to this organization")
			case top:
				writeGenericError(w, http.StatusNotFound, "Could not find group by id")
			default:
				writeGenericError(w, http.StatusNotFound, "Could not find child by id")
			}
			return
		}
		for p := parent; p != nil; p = p.parent {
			if p == g {
				writeErrorMessage(w, http.StatusBadRequest, "Cannot move a group under itself")
				return
			}
		}
		if g.parent != parent {
			if slices.ContainsFunc(parent.children, func(c *group) bool { return c.name == g.name }) {
				writeErrorMessage(w, http.StatusConflict, dup)
				return
			}
			g.parent.children = slices.DeleteFunc(g.parent.children, func(x *group) bool { return x == g })
			g.parent = parent
			parent.children = append(parent.children, g)
		}
		noContent(w)
		return
	}
	if slices.ContainsFunc(parent.children, func(c *group) bool { return c.name == *in.Name }) {
		writeErrorMessage(w, http.StatusConflict, dup)
		return
	}
	g := &group{id: newID(), name: *in.Name, parent: parent, attributes: map[string][]string{}}
	parent.children = append(parent.children, g)
	if top {
		// Keycloak sets the description and attributes of a new
		// top-level group only, answers with its brief representation
		// and a Location under .../groups.
		if in.Description != nil {
			g.description = *in.Description
		}
		if in.Attributes != nil {
			g.attributes = maps.Clone(in.Attributes)
		}
		w.Header().Set("Location", s.baseURL(r)+strings.TrimPrefix(r.URL.EscapedPath(), s.basePath)+"/"+escapeSegment(g.id))
		writeJSON(w, http.StatusCreated, orgGroupRep(g, true, false))
		return
	}
	// A new subgroup: 201 without Location, the full representation.
	writeJSON(w, http.StatusCreated, orgGroupRep(g, false, false))
}

// adminUpdateOrgGroup is OrganizationGroupResource.updateGroup.
func (s *Server) adminUpdateOrgGroup(w http.ResponseWriter, r *http.Request, _ *realm, _ *organization, g *group) {
	var in groupInput
	if !decodeAdminJSON(w, r, &in) {
		return
	}
	switch {
	case in.Name == nil || strings.TrimSpace(*in.Name) == "":
		writeErrorMessage(w, http.StatusBadRequest, "Group name is missing")
		return
	case in.ID != "" && in.ID != g.id:
		writeErrorMessage(w, http.StatusBadRequest, "Invalid group id")
		return
	case slices.ContainsFunc(g.parent.children, func(c *group) bool { return c != g && c.name == *in.Name }):
		writeErrorMessage(w, http.StatusConflict, "Sibling group with the given name already exists.")
		return
	}
	g.name = *in.Name
	// The description is set from the body, absent or not.
	g.description = ""
	if in.Description != nil {
		g.description = *in.Description
	}
	if in.Attributes != nil {
		g.attributes = maps.Clone(in.Attributes)
	}
	noContent(w)
}

// adminOrgGroupChildren is OrganizationGroupResource.getSubGroups: brief
// representations, by name, search optional, 10 by default.
func (s *Server) adminOrgGroupChildren(w http.ResponseWriter, r *http.Request, _ *realm, _ *organization, g *group) {
	search := r.URL.Query().Get("search")
	exact := boolParam(r, "exact", false)
	var list []*group
	for _, c := range g.children {
		if groupMatches(c, search, exact, nil) {
			list = append(list, c)
		}
	}
	sortGroups(list)
	first, end := page(r, len(list), 10)
	count := boolParam(r, "subGroupsCount", false)
	out := make([]adminGroupRep, 0, end-first)
	for _, c := range list[first:end] {
		out = append(out, orgGroupRep(c, true, count))
	}
	writeJSON(w, http.StatusOK, out)
}

// adminOrgGroupMembers is OrganizationGroupResource.getMembers: member
// representations (full unless briefRepresentation=true), by username.
func (s *Server) adminOrgGroupMembers(w http.ResponseWriter, r *http.Request, rm *realm, o *organization, g *group) {
	users := slices.Clone(rm.liveGroupMembers(o, g))
	slices.SortFunc(users, func(a, b *user) int { return strings.Compare(a.username, b.username) })
	first, end := page(r, len(users), -1)
	brief := boolParam(r, "briefRepresentation", false)
	out := make([]map[string]any, 0, end-first)
	for _, u := range users[first:end] {
		i := slices.IndexFunc(o.members, func(m *orgMember) bool { return m.user == u })
		rep := rm.memberRep(o.members[i])
		if brief {
			for _, k := range []string{"attributes", "requiredActions", "notBefore", "access", "disableableCredentialTypes", "federatedIdentities"} {
				delete(rep, k)
			}
		}
		out = append(out, rep)
	}
	writeJSON(w, http.StatusOK, out)
}

// adminMemberOrgGroups is OrganizationMemberResource.groupMemberships:
// the organization's groups the member is in, by name, search a
// substring; full representations unless briefRepresentation (default
// true).
func (s *Server) adminMemberOrgGroups(w http.ResponseWriter, r *http.Request, rm *realm, o *organization, m *orgMember) {
	search := strings.ToLower(r.URL.Query().Get("search"))
	brief := boolParam(r, "briefRepresentation", true)
	var list []*group
	for _, g := range o.orgGroups() {
		if slices.Contains(rm.liveGroupMembers(o, g), m.user) && strings.Contains(strings.ToLower(g.name), search) {
			list = append(list, g)
		}
	}
	sortGroups(list)
	first, end := page(r, len(list), -1)
	out := make([]adminGroupRep, 0, end-first)
	for _, g := range list[first:end] {
		out = append(out, orgGroupRep(g, brief, false))
	}
	writeJSON(w, http.StatusOK, out)
}

// adminOrgIdPGroups is OrganizationIdentityProvidersResource.getGroups:
// the organization's groups, as GET .../groups lists them, for a provider
// linked to it.
func (s *Server) adminOrgIdPGroups(w http.ResponseWriter, r *http.Request, o *organization) {
	q := r.URL.Query()
	q.Del("populateHierarchy") // not a parameter of this endpoint
	r.URL.RawQuery = q.Encode()
	s.writeOrgGroups(w, r, o)
}
