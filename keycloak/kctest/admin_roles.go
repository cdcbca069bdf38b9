package kctest

import (
	"maps"
	"net/http"
	"slices"
	"strings"
)

func (s *Server) registerAdminRoles(mux *http.ServeMux) {
	s.registerRoleContainer(mux, "/admin/realms/{realm}/roles", func(*realm, *http.Request) (*client, bool) { return nil, true })
	const byID = "/admin/realms/{realm}/roles-by-id/{roleid}"
	withRole := func(perm adminPerm, h func(w http.ResponseWriter, r *http.Request, rm *realm, ro *role)) http.HandlerFunc {
		return s.admin(perm, func(w http.ResponseWriter, r *http.Request, rm *realm, _ *adminCaller) {
			ro := rm.roleByID(r.PathValue("roleid"))
			if ro == nil {
				writeGenericError(w, http.StatusNotFound, "Could not find role with id")
				return
			}
			h(w, r, rm, ro)
		})
	}
	s.handle(mux, "GET", byID, withRole(permViewRoles, func(w http.ResponseWriter, _ *http.Request, rm *realm, ro *role) {
		writeJSON(w, http.StatusOK, rm.roleRep(ro, false))
	}))
	s.handle(mux, "PUT", byID, withRole(permManageRealm, rolesUpdate))
	s.handle(mux, "DELETE", byID, withRole(permManageRealm, rolesDelete))
	s.handle(mux, "GET", byID+"/composites", withRole(permViewRoles, rolesComposites(func(*role) bool { return true })))
	s.handle(mux, "GET", byID+"/composites/realm", withRole(permViewRoles, rolesComposites(func(x *role) bool { return x.client == nil })))
	s.handle(mux, "GET", byID+"/composites/clients/{target}", withRole(permViewRoles, func(w http.ResponseWriter, r *http.Request, rm *realm, ro *role) {
		c := rm.clients[r.PathValue("target")]
		if c == nil {
			writeGenericError(w, http.StatusNotFound, "Could not find client")
			return
		}
		rolesComposites(func(x *role) bool { return x.client == c })(w, r, rm, ro)
	}))
	s.handle(mux, "POST", byID+"/composites", withRole(permManageRealm, rolesEditComposites(true)))
	s.handle(mux, "DELETE", byID+"/composites", withRole(permManageRealm, rolesEditComposites(false)))
}

// registerRoleContainer registers the by-name role endpoints under base:
// realm roles (container returns nil) or a client's roles.
func (s *Server) registerRoleContainer(mux *http.ServeMux, base string, container func(*realm, *http.Request) (*client, bool)) {
	view, manage := permViewRoles, permManageRealm
	if strings.Contains(base, "/clients/") {
		view, manage = permViewClients, permManageClients
	}
	type roleSet struct {
		c     *client
		roles map[string]*role
	}
	withSet := func(perm adminPerm, h func(w http.ResponseWriter, r *http.Request, rm *realm, set roleSet)) http.HandlerFunc {
		return s.admin(perm, func(w http.ResponseWriter, r *http.Request, rm *realm, _ *adminCaller) {
			c, ok := container(rm, r)
			if !ok {
				writeGenericError(w, http.StatusNotFound, "Could not find client")
				return
			}
			set := roleSet{c: c, roles: rm.roles}
			if c != nil {
				set.roles = c.roles
			}
			h(w, r, rm, set)
		})
	}
	withRole := func(perm adminPerm, h func(w http.ResponseWriter, r *http.Request, rm *realm, ro *role)) http.HandlerFunc {
		return withSet(perm, func(w http.ResponseWriter, r *http.Request, rm *realm, set roleSet) {
			ro := set.roles[r.PathValue("role")]
			if ro == nil {
				writeGenericError(w, http.StatusNotFound, "Could not find role")
				return
			}
			h(w, r, rm, ro)
		})
	}

	s.handle(mux, "GET", base, withSet(view, func(w http.ResponseWriter, r *http.Request, rm *realm, set roleSet) {
		search := strings.ToLower(r.URL.Query().Get("search"))
		var list []*role
		for _, ro := range set.roles {
			if search == "" || strings.Contains(strings.ToLower(ro.name), search) {
				list = append(list, ro)
			}
		}
		sortRoles(list)
		first, end := 0, len(list)
		if r.URL.Query().Get("first") != "" && r.URL.Query().Get("max") != "" {
			first, end = page(r, len(list), -1)
		}
		writeJSON(w, http.StatusOK, rm.roleReps(list[first:end], boolParam(r, "briefRepresentation", true)))
	}))
	s.handle(mux, "POST", base, withSet(manage, func(w http.ResponseWriter, r *http.Request, rm *realm, set roleSet) {
		var in roleInput
		if !decodeAdminJSON(w, r, &in) {
			return
		}
		if strings.TrimSpace(in.Name) == "" {
			writeGenericError(w, http.StatusBadRequest, "HTTP 400 Bad Request")
			return
		}
		if set.roles[in.Name] != nil {
			writeErrorMessage(w, http.StatusConflict, "Role with name "+in.Name+" already exists")
			return
		}
		desc := ""
		if in.Description != nil {
			desc = *in.Description
		}
		var ro *role
		if set.c != nil {
			ro = set.c.addRole(in.Name, desc)
		} else {
			ro = rm.addRealmRole(in.Name, desc)
		}
		if in.Attributes != nil {
			ro.attributes = maps.Clone(in.Attributes)
		}
		created(w, r, s, in.Name)
	}))
	one := base + "/{role}"
	s.handle(mux, "GET", one, withRole(view, func(w http.ResponseWriter, _ *http.Request, rm *realm, ro *role) {
		writeJSON(w, http.StatusOK, rm.roleRep(ro, false))
	}))
	s.handle(mux, "PUT", one, withRole(manage, rolesUpdate))
	s.handle(mux, "DELETE", one, withRole(manage, rolesDelete))
	s.handle(mux, "GET", one+"/composites", withRole(view, rolesComposites(func(*role) bool { return true })))
	s.handle(mux, "GET", one+"/composites/realm", withRole(view, rolesComposites(func(x *role) bool { return x.client == nil })))
	s.handle(mux, "GET", one+"/composites/clients/{target}", withRole(view, func(w http.ResponseWriter, r *http.Request, rm *realm, ro *role) {
		c := rm.clients[r.PathValue("target")]
		if c == nil {
			writeGenericError(w, http.StatusNotFound, "Could not find client")
			return
		}
		rolesComposites(func(x *role) bool { return x.client == c })(w, r, rm, ro)
	}))
	s.handle(mux, "POST", one+"/composites", withRole(manage, rolesEditComposites(true)))
	s.handle(mux, "DELETE", one+"/composites", withRole(manage, rolesEditComposites(false)))
	s.handle(mux, "GET", one+"/users", withRole(permViewUsers, func(w http.ResponseWriter, r *http.Request, rm *realm, ro *role) {
		users := rm.sortedUsers(func(u *user) bool { return slices.Contains(u.roles, ro) })
		first, end := page(r, len(users), 100)
		brief := boolParam(r, "briefRepresentation", true)
		out := make([]adminUserRep, 0, end-first)
		for _, u := range users[first:end] {
			out = append(out, rm.adminUser(u, brief, false))
		}
		writeJSON(w, http.StatusOK, out)
	}))
	s.handle(mux, "GET", one+"/groups", withRole(permViewUsers, func(w http.ResponseWriter, r *http.Request, rm *realm, ro *role) {
		var groups []*group
		for _, g := range rm.groups {
			if slices.Contains(g.roles, ro) {
				groups = append(groups, g)
			}
		}
		slices.SortFunc(groups, func(a, b *group) int { return strings.Compare(a.path(), b.path()) })
		first, end := page(r, len(groups), 100)
		brief := boolParam(r, "briefRepresentation", true)
		out := make([]adminGroupRep, 0, end-first)
		for _, g := range groups[first:end] {
			out = append(out, adminGroup(g, brief, false))
		}
		writeJSON(w, http.StatusOK, out)
	}))
}

func rolesUpdate(w http.ResponseWriter, r *http.Request, rm *realm, ro *role) {
	var in roleInput
	if !decodeAdminJSON(w, r, &in) {
		return
	}
	if in.Name != "" && in.Name != ro.name {
		siblings := rm.roles
		if ro.client != nil {
			siblings = ro.client.roles
		}
		if siblings[in.Name] != nil {
			writeErrorMessage(w, http.StatusConflict, "Role with name "+in.Name+" already exists")
			return
		}
		delete(siblings, ro.name)
		ro.name = in.Name
		siblings[ro.name] = ro
	}
	ro.description = ""
	if in.Description != nil {
		ro.description = *in.Description
	}
	if in.Attributes != nil {
		ro.attributes = maps.Clone(in.Attributes)
	}
	noContent(w)
}

func rolesDelete(w http.ResponseWriter, _ *http.Request, rm *realm, ro *role) {
	if ro == rm.defaultRole {
		writeErrorMessage(w, http.StatusBadRequest, "You cannot delete the default realm role")
		return
	}
	rm.dropRoles(func(x *role) bool { return x == ro })
	if ro.client != nil {
		delete(ro.client.roles, ro.name)
	} else {
		delete(rm.roles, ro.name)
	}
	noContent(w)
}

func rolesComposites(keep func(*role) bool) func(w http.ResponseWriter, r *http.Request, rm *realm, ro *role) {
	return func(w http.ResponseWriter, _ *http.Request, rm *realm, ro *role) {
		var out []*role
		for _, c := range ro.composites {
			if keep(c) {
				out = append(out, c)
			}
		}
		writeJSON(w, http.StatusOK, rm.roleReps(sortRoles(out), true))
	}
}

func rolesEditComposites(add bool) func(w http.ResponseWriter, r *http.Request, rm *realm, ro *role) {
	return func(w http.ResponseWriter, r *http.Request, rm *realm, ro *role) {
		var in []roleInput
		if !decodeAdminJSON(w, r, &in) {
			return
		}
		var list []*role
		for _, ri := range in {
			c := rm.roleByID(ri.ID)
			if c == nil {
				writeGenericError(w, http.StatusNotFound, "Could not find composite role")
				return
			}
			list = append(list, c)
		}
		for _, c := range list {
			if add {
				ro.addComposite(c)
			} else {
				ro.composites = slices.DeleteFunc(ro.composites, func(x *role) bool { return x == c })
			}
		}
		noContent(w)
	}
}
