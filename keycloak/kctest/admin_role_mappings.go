package kctest

import (
	"net/http"
	"slices"
)

// roleHolder is a user or a group whose role mappings an endpoint edits.
type roleHolder struct {
	direct    func() []*role // direct mappings
	effective func() []*role // composites expanded, groups and defaults included
	add       func(*role)
	remove    func(*role)
}

// holderFunc resolves the {id} of a role-mappings URL, or answers 404.
type holderFunc func(w http.ResponseWriter, r *http.Request, rm *realm) (*roleHolder, bool)

func (s *Server) userMapper(w http.ResponseWriter, r *http.Request, rm *realm) (*roleHolder, bool) {
	u := rm.users[r.PathValue("id")]
	if u == nil {
		writeGenericError(w, http.StatusNotFound, "User not found")
		return nil, false
	}
	return &roleHolder{
		direct:    func() []*role { return u.roles },
		effective: func() []*role { return rm.effectiveRoles(u) },
		add:       u.addRole,
		remove:    u.removeRole,
	}, true
}

func (s *Server) groupMapper(w http.ResponseWriter, r *http.Request, rm *realm) (*roleHolder, bool) {
	g := rm.groups[r.PathValue("id")]
	if g == nil {
		writeGenericError(w, http.StatusNotFound, "Could not find group by id")
		return nil, false
	}
	return &roleHolder{
		direct: func() []*role { return g.roles },
		effective: func() []*role {
			var roots []*role
			for p := g; p != nil; p = p.parent {
				roots = append(roots, p.roles...)
			}
			return expandRoles(roots)
		},
		add:    g.addRole,
		remove: func(ro *role) { g.roles = slices.DeleteFunc(g.roles, func(x *role) bool { return x == ro }) },
	}, true
}

// registerRoleMappings registers the role-mappings endpoints under base
// ("/admin/realms/{realm}/users/{id}" or ".../groups/{id}").
func (s *Server) registerRoleMappings(mux *http.ServeMux, base string, holder holderFunc) {
	view, manage := permViewUsers, permManageUsers
	m := base + "/role-mappings"
	with := func(perm adminPerm, h func(w http.ResponseWriter, r *http.Request, rm *realm, h *roleHolder)) http.HandlerFunc {
		return s.admin(perm, func(w http.ResponseWriter, r *http.Request, rm *realm, _ *adminCaller) {
			if rh, ok := holder(w, r, rm); ok {
				h(w, r, rm, rh)
			}
		})
	}
	isRealm := func(ro *role) bool { return ro.client == nil }
	list := func(pick func(*roleHolder, *realm) []*role, keep func(*role) bool) func(w http.ResponseWriter, r *http.Request, rm *realm, h *roleHolder) {
		return func(w http.ResponseWriter, r *http.Request, rm *realm, h *roleHolder) {
			var out []*role
			for _, ro := range pick(h, rm) {
				if keep(ro) {
					out = append(out, ro)
				}
			}
			writeJSON(w, http.StatusOK, rm.roleReps(sortRoles(out), boolParam(r, "briefRepresentation", true)))
		}
	}
	direct := func(h *roleHolder, _ *realm) []*role { return h.direct() }
	effective := func(h *roleHolder, _ *realm) []*role { return h.effective() }
	available := func(clientOf func() *client) func(h *roleHolder, rm *realm) []*role {
		return func(h *roleHolder, rm *realm) []*role {
			held := h.effective()
			var out []*role
			var all []*role
			if c := clientOf(); c != nil {
				for _, ro := range c.roles {
					all = append(all, ro)
				}
			} else {
				for _, ro := range rm.roles {
					all = append(all, ro)
				}
			}
			for _, ro := range all {
				if !slices.Contains(held, ro) {
					out = append(out, ro)
				}
			}
			return out
		}
	}
	noClient := func() *client { return nil }

	s.handle(mux, "GET", m, with(view, func(w http.ResponseWriter, r *http.Request, rm *realm, h *roleHolder) {
		writeJSON(w, http.StatusOK, rm.mappings(h.direct()))
	}))
	s.handle(mux, "GET", m+"/realm", with(view, list(direct, isRealm)))
	s.handle(mux, "GET", m+"/realm/composite", with(view, list(effective, isRealm)))
	s.handle(mux, "GET", m+"/realm/available", with(view, list(available(noClient), isRealm)))
	s.handle(mux, "POST", m+"/realm", with(manage, func(w http.ResponseWriter, r *http.Request, rm *realm, h *roleHolder) {
		roles, ok := rm.rolesFromBody(w, r, nil)
		if !ok {
			return
		}
		for _, ro := range roles {
			h.add(ro)
		}
		noContent(w)
	}))
	s.handle(mux, "DELETE", m+"/realm", with(manage, func(w http.ResponseWriter, r *http.Request, rm *realm, h *roleHolder) {
		var roles []*role
		if r.ContentLength == 0 {
			for _, ro := range slices.Clone(h.direct()) { // no body: every realm role
				if ro.client == nil {
					roles = append(roles, ro)
				}
			}
		} else {
			var ok bool
			if roles, ok = rm.rolesFromBody(w, r, nil); !ok {
				return
			}
		}
		for _, ro := range roles {
			h.remove(ro)
		}
		noContent(w)
	}))

	withClient := func(perm adminPerm, h func(w http.ResponseWriter, r *http.Request, rm *realm, h *roleHolder, c *client)) http.HandlerFunc {
		return with(perm, func(w http.ResponseWriter, r *http.Request, rm *realm, rh *roleHolder) {
			c := rm.clients[r.PathValue("client")]
			if c == nil {
				writeGenericError(w, http.StatusNotFound, "Client not found")
				return
			}
			h(w, r, rm, rh, c)
		})
	}
	clientList := func(pick func(*roleHolder, *realm, *client) []*role) func(w http.ResponseWriter, r *http.Request, rm *realm, h *roleHolder, c *client) {
		return func(w http.ResponseWriter, r *http.Request, rm *realm, h *roleHolder, c *client) {
			var out []*role
			for _, ro := range pick(h, rm, c) {
				if ro.client == c {
					out = append(out, ro)
				}
			}
			writeJSON(w, http.StatusOK, rm.roleReps(sortRoles(out), boolParam(r, "briefRepresentation", true)))
		}
	}
	cm := m + "/clients/{client}"
	s.handle(mux, "GET", cm, withClient(view, clientList(func(h *roleHolder, _ *realm, _ *client) []*role { return h.direct() })))
	s.handle(mux, "GET", cm+"/composite", withClient(view, clientList(func(h *roleHolder, _ *realm, _ *client) []*role { return h.effective() })))
	s.handle(mux, "GET", cm+"/available", withClient(view, clientList(func(h *roleHolder, rm *realm, c *client) []*role {
		return available(func() *client { return c })(h, rm)
	})))
	s.handle(mux, "POST", cm, withClient(manage, func(w http.ResponseWriter, r *http.Request, rm *realm, h *roleHolder, c *client) {
		roles, ok := rm.rolesFromBody(w, r, c)
		if !ok {
			return
		}
		for _, ro := range roles {
			h.add(ro)
		}
		noContent(w)
	}))
	s.handle(mux, "DELETE", cm, withClient(manage, func(w http.ResponseWriter, r *http.Request, rm *realm, h *roleHolder, c *client) {
		var roles []*role
		if r.ContentLength == 0 {
			for _, ro := range slices.Clone(h.direct()) {
				if ro.client == c {
					roles = append(roles, ro)
				}
			}
		} else {
			var ok bool
			if roles, ok = rm.rolesFromBody(w, r, c); !ok {
				return
			}
		}
		for _, ro := range roles {
			h.remove(ro)
		}
		noContent(w)
	}))
}
