package kctest

import (
	"maps"
	"net/http"
	"slices"
	"strings"
)

func (s *Server) registerAdminGroups(mux *http.ServeMux) {
	const gs = "/admin/realms/{realm}/groups"
	const one = gs + "/{id}"
	s.handle(mux, "GET", gs, s.admin(permQueryGroups, s.adminListGroups))
	s.handle(mux, "POST", gs, s.admin(permManageUsers, s.adminCreateGroup))
	s.handle(mux, "GET", gs+"/count", s.admin(permQueryGroups, s.adminCountGroups))
	s.handle(mux, "GET", one, s.admin(permViewUsers, s.withGroup(s.adminGetGroup)))
	s.handle(mux, "PUT", one, s.admin(permManageUsers, s.withGroup(s.adminUpdateGroup)))
	s.handle(mux, "DELETE", one, s.admin(permManageUsers, s.withGroup(s.adminDeleteGroup)))
	s.handle(mux, "GET", one+"/children", s.admin(permViewUsers, s.withGroup(s.adminGroupChildren)))
	s.handle(mux, "POST", one+"/children", s.admin(permManageUsers, s.withGroup(s.adminCreateChild)))
	s.handle(mux, "GET", one+"/members", s.admin(permViewUsers, s.withGroup(s.adminGroupMembers)))
	s.handle(mux, "GET", "/admin/realms/{realm}/group-by-path/{path...}", s.admin(permViewUsers, s.adminGroupByPath))
	s.registerRoleMappings(mux, one, s.groupMapper)
}

type groupHandler func(w http.ResponseWriter, r *http.Request, rm *realm, g *group)

func (s *Server) withGroup(h groupHandler) adminHandler {
	return func(w http.ResponseWriter, r *http.Request, rm *realm, _ *adminCaller) {
		g := rm.groups[r.PathValue("id")]
		if g == nil {
			writeGenericError(w, http.StatusNotFound, "Could not find group by id")
			return
		}
		h(w, r, rm, g)
	}
}

func sortGroups(gs []*group) []*group {
	slices.SortFunc(gs, func(a, b *group) int { return strings.Compare(a.name, b.name) })
	return gs
}

// groupMatches applies search (substring, or whole name with exact) and
// the q attribute filter.
func groupMatches(g *group, search string, exact bool, attrs map[string]string) bool {
	if search != "" {
		if exact && g.name != search || !exact && !strings.Contains(strings.ToLower(g.name), strings.ToLower(search)) {
			return false
		}
	}
	for k, v := range attrs {
		if !slices.Contains(g.attributes[k], v) {
			return false
		}
	}
	return true
}

func (s *Server) adminListGroups(w http.ResponseWriter, r *http.Request, rm *realm, _ *adminCaller) {
	q := r.URL.Query()
	search, attrs := q.Get("search"), parseQ(q.Get("q"))
	exact := boolParam(r, "exact", false)
	brief := boolParam(r, "briefRepresentation", true)
	count := boolParam(r, "subGroupsCount", true)
	tops := rm.topGroups()
	if search == "" && len(attrs) == 0 {
		first, end := page(r, len(tops), -1)
		out := make([]adminGroupRep, 0, end-first)
		for _, g := range tops[first:end] {
			out = append(out, adminGroup(g, brief, count))
		}
		writeJSON(w, http.StatusOK, out)
		return
	}
	hierarchy := boolParam(r, "populateHierarchy", true)
	if !hierarchy {
		var hits []*group
		for _, g := range rm.groups {
			if groupMatches(g, search, exact, attrs) {
				hits = append(hits, g)
			}
		}
		slices.SortFunc(hits, func(a, b *group) int { return strings.Compare(a.path(), b.path()) })
		first, end := page(r, len(hits), -1)
		out := make([]adminGroupRep, 0, end-first)
		for _, g := range hits[first:end] {
			out = append(out, adminGroup(g, brief, count))
		}
		writeJSON(w, http.StatusOK, out)
		return
	}
	// The matching groups inside their ancestors: each top-level group
	// with a match below it, subGroups filled with the matching branches.
	var render func(g *group) (adminGroupRep, bool)
	render = func(g *group) (adminGroupRep, bool) {
		rep := adminGroup(g, brief, count)
		sub := []adminGroupRep{}
		for _, c := range sortGroups(slices.Clone(g.children)) {
			if cr, ok := render(c); ok {
				sub = append(sub, cr)
			}
		}
		rep.SubGroups = &sub
		return rep, len(sub) > 0 || groupMatches(g, search, exact, attrs)
	}
	var out []adminGroupRep
	for _, g := range tops {
		if rep, ok := render(g); ok {
			out = append(out, rep)
		}
	}
	first, end := page(r, len(out), -1)
	writeJSON(w, http.StatusOK, nonNil(out[first:end]))
}

func (s *Server) adminCountGroups(w http.ResponseWriter, r *http.Request, rm *realm, _ *adminCaller) {
	search := r.URL.Query().Get("search")
	n := 0
	if boolParam(r, "top", false) && search == "" {
		n = len(rm.topGroups())
	} else {
		for _, g := range rm.groups {
			if groupMatches(g, search, false, nil) {
				n++
			}
		}
	}
	writeJSON(w, http.StatusOK, map[string]int{"count": n})
}

func (s *Server) adminGetGroup(w http.ResponseWriter, _ *http.Request, _ *realm, g *group) {
	rep := adminGroup(g, false, true)
	rep.Access = map[string]bool{"view": true, "viewMembers": true, "manageMembers": true, "manage": true, "manageMembership": true}
	writeJSON(w, http.StatusOK, rep)
}

// createOrMove serves POST /groups and POST /groups/{id}/children: a body
// without id creates the group under parent (nil: top level), a body with
// the id of an existing group moves it there.
func (s *Server) createOrMove(w http.ResponseWriter, r *http.Request, rm *realm, parent *group) {
	var in groupInput
	if !decodeAdminJSON(w, r, &in) {
		return
	}
	if in.Name == nil || strings.TrimSpace(*in.Name) == "" {
		writeErrorMessage(w, http.StatusBadRequest, "Group name is missing")
		return
	}
	siblings := rm.topGroups()
	if parent != nil {
		siblings = parent.children
	}
	if in.ID != "" {
		g := rm.groups[in.ID]
		if g == nil {
			writeGenericError(w, http.StatusNotFound, "Could not find child by id")
			return
		}
		for p := parent; p != nil; p = p.parent {
			if p == g {
				writeErrorMessage(w, http.StatusBadRequest, "Cannot move a group under itself")
				return
			}
		}
		if g.parent != parent {
			for _, sib := range siblings {
				if sib.name == g.name {
					writeErrorMessage(w, http.StatusConflict, siblingConflict(parent, g.name))
					return
				}
			}
			if g.parent != nil {
				g.parent.children = slices.DeleteFunc(g.parent.children, func(x *group) bool { return x == g })
			}
			g.parent = parent
			if parent != nil {
				parent.children = append(parent.children, g)
			}
		}
		noContent(w)
		return
	}
	for _, sib := range siblings {
		if sib.name == *in.Name {
			writeErrorMessage(w, http.StatusConflict, siblingConflict(parent, *in.Name))
			return
		}
	}
	g, err := rm.addGroupModel(*in.Name, parent)
	if err != nil {
		writeErrorMessage(w, http.StatusConflict, siblingConflict(parent, *in.Name))
		return
	}
	if in.Description != nil {
		g.description = *in.Description
	}
	if in.Attributes != nil {
		g.attributes = maps.Clone(in.Attributes)
	}
	// Keycloak 26 sends the new group in the body of the 201.
	loc := s.baseURL(r) + "/admin/realms/" + escapeSegment(rm.name) + "/groups/" + g.id
	w.Header().Set("Location", loc)
	writeJSON(w, http.StatusCreated, adminGroup(g, false, true))
}

func siblingConflict(parent *group, name string) string {
	if parent == nil {
		return "Top level group named '" + name + "' already exists."
	}
	return "Sibling group named '" + name + "' already exists."
}

func (s *Server) adminCreateGroup(w http.ResponseWriter, r *http.Request, rm *realm, _ *adminCaller) {
	s.createOrMove(w, r, rm, nil)
}

func (s *Server) adminCreateChild(w http.ResponseWriter, r *http.Request, rm *realm, g *group) {
	s.createOrMove(w, r, rm, g)
}

func (s *Server) adminUpdateGroup(w http.ResponseWriter, r *http.Request, rm *realm, g *group) {
	var in groupInput
	if !decodeAdminJSON(w, r, &in) {
		return
	}
	if in.Name != nil {
		if strings.TrimSpace(*in.Name) == "" {
			writeErrorMessage(w, http.StatusBadRequest, "Group name is missing")
			return
		}
		siblings := rm.topGroups()
		if g.parent != nil {
			siblings = g.parent.children
		}
		for _, sib := range siblings {
			if sib != g && sib.name == *in.Name {
				writeErrorMessage(w, http.StatusConflict, siblingConflict(g.parent, *in.Name))
				return
			}
		}
		g.name = *in.Name
	}
	if in.Description != nil {
		g.description = *in.Description
	}
	if in.Attributes != nil {
		g.attributes = maps.Clone(in.Attributes)
	}
	noContent(w)
}

func (s *Server) adminDeleteGroup(w http.ResponseWriter, _ *http.Request, rm *realm, g *group) {
	if rm.admin != nil {
		rm.admin.defaultGroups = slices.DeleteFunc(rm.admin.defaultGroups, func(x *group) bool {
			for p := x; p != nil; p = p.parent {
				if p == g {
					return true
				}
			}
			return false
		})
	}
	rm.removeGroup(g)
	noContent(w)
}

func (s *Server) adminGroupChildren(w http.ResponseWriter, r *http.Request, _ *realm, g *group) {
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
	brief := boolParam(r, "briefRepresentation", false)
	count := boolParam(r, "subGroupsCount", true)
	out := make([]adminGroupRep, 0, end-first)
	for _, c := range list[first:end] {
		out = append(out, adminGroup(c, brief, count))
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) adminGroupMembers(w http.ResponseWriter, r *http.Request, rm *realm, g *group) {
	users := rm.sortedUsers(func(u *user) bool { return slices.Contains(u.groups, g) })
	first, end := page(r, len(users), 100)
	brief := boolParam(r, "briefRepresentation", false)
	out := make([]adminUserRep, 0, end-first)
	for _, u := range users[first:end] {
		out = append(out, rm.adminUser(u, brief, false))
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) adminGroupByPath(w http.ResponseWriter, r *http.Request, rm *realm, _ *adminCaller) {
	g := rm.findGroupByPath(r.PathValue("path"))
	if g == nil {
		writeGenericError(w, http.StatusNotFound, "Group path does not exist")
		return
	}
	rep := adminGroup(g, false, true)
	rep.Access = map[string]bool{"view": true, "manage": true, "manageMembership": true}
	writeJSON(w, http.StatusOK, rep)
}
