package kctest

import (
	"encoding/json"
	"maps"
	"net/http"
	"slices"
	"strings"
)

func (s *Server) registerAdminScopes(mux *http.ServeMux) {
	const cs = "/admin/realms/{realm}/client-scopes"
	const one = cs + "/{scope}"
	s.handle(mux, "GET", cs, s.admin(permViewClients, s.adminListScopes))
	s.handle(mux, "POST", cs, s.admin(permManageClients, s.adminCreateScope))
	s.handle(mux, "GET", one, s.admin(permViewClients, s.withScope(s.adminGetScope)))
	s.handle(mux, "PUT", one, s.admin(permManageClients, s.withScope(s.adminUpdateScope)))
	s.handle(mux, "DELETE", one, s.admin(permManageClients, s.withScope(s.adminDeleteScope)))
	s.registerMappers(mux, one, func(rm *realm, r *http.Request) *[]json.RawMessage {
		if sc := rm.scopes[r.PathValue("scope")]; sc != nil {
			return &sc.mappers
		}
		return nil
	}, "Could not find client scope", permViewClients, permManageClients)
	s.registerScopeMappings(mux, one, func(rm *realm, r *http.Request) *[]*role {
		if sc := rm.scopes[r.PathValue("scope")]; sc != nil {
			return &sc.scopeRoles
		}
		return nil
	}, "Could not find client scope", permViewClients, permManageClients)
}

type scopeHandler func(w http.ResponseWriter, r *http.Request, rm *realm, sc *clientScope)

func (s *Server) withScope(h scopeHandler) adminHandler {
	return func(w http.ResponseWriter, r *http.Request, rm *realm, _ *adminCaller) {
		sc := rm.scopes[r.PathValue("scope")]
		if sc == nil {
			writeGenericError(w, http.StatusNotFound, "Could not find client scope")
			return
		}
		h(w, r, rm, sc)
	}
}

func (s *Server) adminListScopes(w http.ResponseWriter, _ *http.Request, rm *realm, _ *adminCaller) {
	list := slices.Collect(maps.Values(rm.scopes))
	slices.SortFunc(list, func(a, b *clientScope) int { return strings.Compare(a.name, b.name) })
	out := make([]adminScopeRep, 0, len(list))
	for _, sc := range list {
		out = append(out, scopeRep(sc))
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) adminCreateScope(w http.ResponseWriter, r *http.Request, rm *realm, _ *adminCaller) {
	var in scopeInput
	if !decodeAdminJSON(w, r, &in) {
		return
	}
	if in.Name == nil || strings.TrimSpace(*in.Name) == "" {
		writeErrorMessage(w, http.StatusBadRequest, "Unexpected name \"\" for ClientScope")
		return
	}
	if strings.ContainsAny(*in.Name, " \t") {
		writeErrorMessage(w, http.StatusBadRequest, "Unexpected name \""+*in.Name+"\" for ClientScope")
		return
	}
	if rm.scopeByName(*in.Name) != nil || in.ID != "" && rm.scopes[in.ID] != nil {
		writeErrorMessage(w, http.StatusConflict, "Client Scope "+*in.Name+" already exists")
		return
	}
	// Keycloak: RepresentationToModel.createClientScope keeps the id it is
	// given and adds every protocol mapper of the body.
	id := in.ID
	if id == "" {
		id = newID()
	}
	sc := &clientScope{id: id, name: *in.Name, protocol: "openid-connect", attributes: map[string]string{}}
	for _, raw := range in.ProtocolMappers {
		if m, ok := normaliseMapper(raw); ok {
			sc.mappers = append(sc.mappers, m)
		}
	}
	applyScope(sc, &in)
	rm.scopes[sc.id] = sc
	created(w, r, s, sc.id)
}

func applyScope(sc *clientScope, in *scopeInput) {
	if in.Name != nil {
		sc.name = *in.Name
	}
	if in.Description != nil {
		sc.description = *in.Description
	}
	if in.Protocol != nil && *in.Protocol != "" {
		sc.protocol = *in.Protocol
	}
	if in.Attributes != nil {
		sc.attributes = maps.Clone(in.Attributes)
	}
}

func (s *Server) adminGetScope(w http.ResponseWriter, _ *http.Request, _ *realm, sc *clientScope) {
	writeJSON(w, http.StatusOK, scopeRep(sc))
}

func (s *Server) adminUpdateScope(w http.ResponseWriter, r *http.Request, rm *realm, sc *clientScope) {
	var in scopeInput
	if !decodeAdminJSON(w, r, &in) {
		return
	}
	if in.Name != nil && *in.Name != sc.name {
		if o := rm.scopeByName(*in.Name); o != nil {
			writeErrorMessage(w, http.StatusConflict, "Client Scope "+*in.Name+" already exists")
			return
		}
		old := sc.name
		rename := func(list []string) {
			for i, n := range list {
				if n == old {
					list[i] = *in.Name
				}
			}
		}
		rename(rm.defaultScopes)
		rename(rm.optionalScopes)
		for _, c := range rm.clients {
			rename(c.defaultClientScopes)
			rename(c.optionalClientScopes)
		}
	}
	applyScope(sc, &in)
	noContent(w)
}

func (s *Server) adminDeleteScope(w http.ResponseWriter, _ *http.Request, rm *realm, sc *clientScope) {
	drop := func(list []string) []string {
		return slices.DeleteFunc(list, func(n string) bool { return n == sc.name })
	}
	rm.defaultScopes = drop(rm.defaultScopes)
	rm.optionalScopes = drop(rm.optionalScopes)
	for _, c := range rm.clients {
		c.defaultClientScopes = drop(c.defaultClientScopes)
		c.optionalClientScopes = drop(c.optionalClientScopes)
	}
	delete(rm.scopes, sc.id)
	noContent(w)
}
