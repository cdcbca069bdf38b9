package kctest

import (
	"encoding/json"
	"net/http"
	"slices"
)

// normaliseMapper gives a protocol mapper an id and Keycloak's defaults.
func normaliseMapper(raw json.RawMessage) (json.RawMessage, bool) {
	var m mapperRep
	if json.Unmarshal(raw, &m) != nil || m.Name == "" || m.ProtocolMapper == "" {
		return nil, false
	}
	if m.ID == "" {
		m.ID = newID()
	}
	if m.Protocol == "" {
		m.Protocol = "openid-connect"
	}
	if m.Config == nil {
		m.Config = map[string]string{}
	}
	b, _ := json.Marshal(m)
	return b, true
}

func mapperOf(raw json.RawMessage) mapperRep {
	var m mapperRep
	_ = json.Unmarshal(raw, &m)
	return m
}

// registerMappers registers the protocol-mappers endpoints under base; list
// returns the owner's mapper list or nil when the owner does not exist.
func (s *Server) registerMappers(mux *http.ServeMux, base string, list func(*realm, *http.Request) *[]json.RawMessage, notFound string, view, manage adminPerm) {
	with := func(perm adminPerm, h func(w http.ResponseWriter, r *http.Request, ms *[]json.RawMessage)) http.HandlerFunc {
		return s.admin(perm, func(w http.ResponseWriter, r *http.Request, rm *realm, _ *adminCaller) {
			ms := list(rm, r)
			if ms == nil {
				writeGenericError(w, http.StatusNotFound, notFound)
				return
			}
			h(w, r, ms)
		})
	}
	find := func(ms []json.RawMessage, id string) int {
		return slices.IndexFunc(ms, func(raw json.RawMessage) bool { return mapperOf(raw).ID == id })
	}
	models := base + "/protocol-mappers/models"
	s.handle(mux, "GET", models, with(view, func(w http.ResponseWriter, _ *http.Request, ms *[]json.RawMessage) {
		out := make([]mapperRep, 0, len(*ms))
		for _, raw := range *ms {
			out = append(out, mapperOf(raw))
		}
		writeJSON(w, http.StatusOK, out)
	}))
	s.handle(mux, "POST", models, with(manage, func(w http.ResponseWriter, r *http.Request, ms *[]json.RawMessage) {
		b, err := readAllLimited(r.Body)
		if err != nil {
			writeGenericError(w, http.StatusBadRequest, "unknown_error")
			return
		}
		if !knownMapperProvider(w, mapperOf(b).ProtocolMapper) {
			return
		}
		m, ok := normaliseMapper(b)
		if !ok {
			writeGenericError(w, http.StatusBadRequest, "unknown_error")
			return
		}
		name := mapperOf(m).Name
		if slices.ContainsFunc(*ms, func(raw json.RawMessage) bool { return mapperOf(raw).Name == name }) {
			writeErrorMessage(w, http.StatusConflict, "Protocol mapper exists with same name")
			return
		}
		*ms = append(*ms, m)
		created(w, r, s, mapperOf(m).ID)
	}))
	s.handle(mux, "POST", base+"/protocol-mappers/add-models", with(manage, func(w http.ResponseWriter, r *http.Request, ms *[]json.RawMessage) {
		var in []json.RawMessage
		if !decodeAdminJSON(w, r, &in) {
			return
		}
		var add []json.RawMessage
		for _, raw := range in {
			if !knownMapperProvider(w, mapperOf(raw).ProtocolMapper) {
				return
			}
			m, ok := normaliseMapper(raw)
			if !ok {
				writeGenericError(w, http.StatusBadRequest, "unknown_error")
				return
			}
			name := mapperOf(m).Name
			if slices.ContainsFunc(append(slices.Clone(*ms), add...), func(x json.RawMessage) bool { return mapperOf(x).Name == name }) {
				writeErrorMessage(w, http.StatusConflict, "Protocol mapper exists with same name")
				return
			}
			add = append(add, m)
		}
		*ms = append(*ms, add...)
		noContent(w)
	}))
	s.handle(mux, "GET", base+"/protocol-mappers/protocol/{protocol}", with(view, func(w http.ResponseWriter, r *http.Request, ms *[]json.RawMessage) {
		out := []mapperRep{}
		for _, raw := range *ms {
			if m := mapperOf(raw); m.Protocol == r.PathValue("protocol") {
				out = append(out, m)
			}
		}
		writeJSON(w, http.StatusOK, out)
	}))
	one := models + "/{mapper}"
	s.handle(mux, "GET", one, with(view, func(w http.ResponseWriter, r *http.Request, ms *[]json.RawMessage) {
		i := find(*ms, r.PathValue("mapper"))
		if i < 0 {
			writeGenericError(w, http.StatusNotFound, "Model not found")
			return
		}
		writeJSON(w, http.StatusOK, mapperOf((*ms)[i]))
	}))
	s.handle(mux, "PUT", one, with(manage, func(w http.ResponseWriter, r *http.Request, ms *[]json.RawMessage) {
		i := find(*ms, r.PathValue("mapper"))
		if i < 0 {
			writeGenericError(w, http.StatusNotFound, "Model not found")
			return
		}
		var in mapperRep
		if !decodeAdminJSON(w, r, &in) || !knownMapperProvider(w, in.ProtocolMapper) {
			return
		}
		cur := mapperOf((*ms)[i])
		if in.Config != nil {
			cur.Config = in.Config
		}
		if in.Name != "" {
			cur.Name = in.Name
		}
		cur.ConsentRequired, cur.ConsentText = in.ConsentRequired, in.ConsentText
		b, _ := json.Marshal(cur)
		(*ms)[i] = b
		noContent(w)
	}))
	s.handle(mux, "DELETE", one, with(manage, func(w http.ResponseWriter, r *http.Request, ms *[]json.RawMessage) {
		i := find(*ms, r.PathValue("mapper"))
		if i < 0 {
			writeGenericError(w, http.StatusNotFound, "Model not found")
			return
		}
		*ms = slices.Delete(*ms, i, i+1)
		noContent(w)
	}))
}

// registerScopeMappings registers the scope-mappings endpoints under base.
func (s *Server) registerScopeMappings(mux *http.ServeMux, base string, list func(*realm, *http.Request) *[]*role, notFound string, view, manage adminPerm) {
	with := func(perm adminPerm, h func(w http.ResponseWriter, r *http.Request, rm *realm, roles *[]*role)) http.HandlerFunc {
		return s.admin(perm, func(w http.ResponseWriter, r *http.Request, rm *realm, _ *adminCaller) {
			roles := list(rm, r)
			if roles == nil {
				writeGenericError(w, http.StatusNotFound, notFound)
				return
			}
			h(w, r, rm, roles)
		})
	}
	m := base + "/scope-mappings"
	s.handle(mux, "GET", m, with(view, func(w http.ResponseWriter, _ *http.Request, rm *realm, roles *[]*role) {
		writeJSON(w, http.StatusOK, rm.mappings(*roles))
	}))
	edit := func(clientScoped bool, add bool) func(w http.ResponseWriter, r *http.Request, rm *realm, roles *[]*role) {
		return func(w http.ResponseWriter, r *http.Request, rm *realm, roles *[]*role) {
			var only *client
			if clientScoped {
				if only = rm.clients[r.PathValue("target")]; only == nil {
					writeGenericError(w, http.StatusNotFound, "Could not find client")
					return
				}
			}
			list, ok := rm.rolesFromBody(w, r, only)
			if !ok {
				return
			}
			for _, ro := range list {
				if add {
					if !slices.Contains(*roles, ro) {
						*roles = append(*roles, ro)
					}
				} else {
					*roles = slices.DeleteFunc(*roles, func(x *role) bool { return x == ro })
				}
			}
			noContent(w)
		}
	}
	s.handle(mux, "GET", m+"/realm", with(view, func(w http.ResponseWriter, _ *http.Request, rm *realm, roles *[]*role) {
		var out []*role
		for _, ro := range *roles {
			if ro.client == nil {
				out = append(out, ro)
			}
		}
		writeJSON(w, http.StatusOK, rm.roleReps(sortRoles(out), true))
	}))
	// available: roles not yet in scope (composites expanded);
	// composite: the roles in scope with their composites.
	derived := func(only func(*realm, *http.Request) (*client, bool), available bool) func(w http.ResponseWriter, r *http.Request, rm *realm, roles *[]*role) {
		return func(w http.ResponseWriter, r *http.Request, rm *realm, roles *[]*role) {
			c, ok := only(rm, r)
			if !ok {
				writeGenericError(w, http.StatusNotFound, "Could not find client")
				return
			}
			eff := expandRoles(*roles)
			var out []*role
			if available {
				var all []*role
				if c != nil {
					for _, ro := range c.roles {
						all = append(all, ro)
					}
				} else {
					for _, ro := range rm.roles {
						all = append(all, ro)
					}
				}
				for _, ro := range all {
					if !slices.Contains(eff, ro) {
						out = append(out, ro)
					}
				}
			} else {
				for _, ro := range eff {
					if ro.client == c {
						out = append(out, ro)
					}
				}
			}
			writeJSON(w, http.StatusOK, rm.roleReps(sortRoles(out), true))
		}
	}
	realmOnly := func(*realm, *http.Request) (*client, bool) { return nil, true }
	target := func(rm *realm, r *http.Request) (*client, bool) {
		c := rm.clients[r.PathValue("target")]
		return c, c != nil
	}
	s.handle(mux, "GET", m+"/realm/available", with(view, derived(realmOnly, true)))
	s.handle(mux, "GET", m+"/realm/composite", with(view, derived(realmOnly, false)))
	s.handle(mux, "GET", m+"/clients/{target}/available", with(view, derived(target, true)))
	s.handle(mux, "GET", m+"/clients/{target}/composite", with(view, derived(target, false)))
	s.handle(mux, "POST", m+"/realm", with(manage, edit(false, true)))
	s.handle(mux, "DELETE", m+"/realm", with(manage, edit(false, false)))
	cm := m + "/clients/{target}"
	s.handle(mux, "GET", cm, with(view, func(w http.ResponseWriter, r *http.Request, rm *realm, roles *[]*role) {
		c := rm.clients[r.PathValue("target")]
		if c == nil {
			writeGenericError(w, http.StatusNotFound, "Could not find client")
			return
		}
		var out []*role
		for _, ro := range *roles {
			if ro.client == c {
				out = append(out, ro)
			}
		}
		writeJSON(w, http.StatusOK, rm.roleReps(sortRoles(out), true))
	}))
	s.handle(mux, "POST", cm, with(manage, edit(true, true)))
	s.handle(mux, "DELETE", cm, with(manage, edit(true, false)))
}
