package kctest

import (
	"encoding/json"
	"maps"
	"net/http"
	"slices"
	"strings"
)

func (s *Server) registerAdminRealms(mux *http.ServeMux) {
	s.handle(mux, "GET", "/admin/realms", s.admin(permAny, s.adminListRealms))
	s.handle(mux, "POST", "/admin/realms", s.admin(permCreateRealm, s.adminCreateRealm))
	s.handle(mux, "GET", "/admin/realms/{realm}", s.admin(permViewRealm, s.adminGetRealm))
	s.handle(mux, "PUT", "/admin/realms/{realm}", s.admin(permManageRealm, s.adminUpdateRealm))
	s.handle(mux, "DELETE", "/admin/realms/{realm}", s.admin(permManageRealm, s.adminDeleteRealm))
	s.handle(mux, "DELETE", "/admin/realms/{realm}/sessions/{session}", s.admin(permManageUsers, s.adminDeleteSession))
}

// realmRep renders rm as GET /admin/realms/{realm} does (common fields,
// plus whatever an import carried).
func (rm *realm) realmRep() map[string]any {
	m := map[string]any{}
	for k, v := range rm.raw {
		m[k] = v
	}
	for _, k := range []string{"users", "clients", "roles", "groups", "clientScopes", "scopeMappings", "clientScopeMappings", "authorizationSettings"} {
		delete(m, k)
	}
	m["id"] = rm.id
	m["realm"] = rm.name
	if rm.displayName != "" {
		m["displayName"] = rm.displayName
	}
	m["enabled"] = rm.enabled
	m["notBefore"] = rm.notBefore
	m["accessTokenLifespan"] = rm.accessTokenLifespan
	m["accessCodeLifespan"] = rm.accessCodeLifespan
	m["accessCodeLifespanLogin"] = rm.accessCodeLifespanLogin
	m["ssoSessionIdleTimeout"] = rm.ssoSessionIdleTimeout
	m["ssoSessionMaxLifespan"] = rm.ssoSessionMaxLifespan
	m["offlineSessionIdleTimeout"] = rm.offlineSessionIdleTimeout
	m["oauth2DeviceCodeLifespan"] = rm.deviceCodeLifespan
	m["oauth2DevicePollingInterval"] = rm.devicePollingInterval
	if _, ok := m["organizationsEnabled"]; !ok {
		m["organizationsEnabled"] = false
	}
	if _, ok := m["sslRequired"]; !ok {
		m["sslRequired"] = "external"
	}
	if rm.defaultRole != nil {
		m["defaultRole"] = rm.roleRep(rm.defaultRole, true)
	}
	m["defaultDefaultClientScopes"] = nonNil(rm.defaultScopes)
	m["defaultOptionalClientScopes"] = nonNil(rm.optionalScopes)
	m["attributes"] = maps.Clone(rm.attributes)
	return m
}

// realmInput holds the fields of a RealmRepresentation kctest models.
type realmInput struct {
	Realm                     *string           `json:"realm"`
	DisplayName               *string           `json:"displayName"`
	Enabled                   *bool             `json:"enabled"`
	AccessTokenLifespan       *int              `json:"accessTokenLifespan"`
	AccessCodeLifespan        *int              `json:"accessCodeLifespan"`
	AccessCodeLifespanLogin   *int              `json:"accessCodeLifespanLogin"`
	SSOSessionIdleTimeout     *int              `json:"ssoSessionIdleTimeout"`
	SSOSessionMaxLifespan     *int              `json:"ssoSessionMaxLifespan"`
	OfflineSessionIdleTimeout *int              `json:"offlineSessionIdleTimeout"`
	NotBefore                 *int64            `json:"notBefore"`
	Attributes                map[string]string `json:"attributes"`
}

// modelled are the realm fields kept in the model rather than in raw.
var modelledRealmFields = []string{"id", "realm", "displayName", "enabled", "accessTokenLifespan", "accessCodeLifespan",
	"accessCodeLifespanLogin", "ssoSessionIdleTimeout", "ssoSessionMaxLifespan", "offlineSessionIdleTimeout", "notBefore",
	"attributes", "defaultRole", "defaultDefaultClientScopes", "defaultOptionalClientScopes", "oauth2DeviceCodeLifespan", "oauth2DevicePollingInterval"}

func (rm *realm) applyRealmInput(in *realmInput, raw map[string]json.RawMessage) {
	set := func(dst *int, v *int) {
		if v != nil {
			*dst = *v
		}
	}
	if in.DisplayName != nil {
		rm.displayName = *in.DisplayName
	}
	if in.Enabled != nil {
		rm.enabled = *in.Enabled
	}
	set(&rm.accessTokenLifespan, in.AccessTokenLifespan)
	set(&rm.accessCodeLifespan, in.AccessCodeLifespan)
	set(&rm.accessCodeLifespanLogin, in.AccessCodeLifespanLogin)
	set(&rm.ssoSessionIdleTimeout, in.SSOSessionIdleTimeout)
	set(&rm.ssoSessionMaxLifespan, in.SSOSessionMaxLifespan)
	set(&rm.offlineSessionIdleTimeout, in.OfflineSessionIdleTimeout)
	if in.NotBefore != nil {
		rm.notBefore = *in.NotBefore
	}
	maps.Copy(rm.attributes, in.Attributes)
	for k, v := range raw {
		if slices.Contains(modelledRealmFields, k) {
			continue
		}
		if rm.raw == nil {
			rm.raw = map[string]json.RawMessage{}
		}
		rm.raw[k] = v
	}
}

func (s *Server) adminListRealms(w http.ResponseWriter, r *http.Request, _ *realm, c *adminCaller) {
	names := slices.Sorted(maps.Keys(s.realms))
	brief := boolParam(r, "briefRepresentation", false)
	out := []any{}
	for _, n := range names {
		rm := s.realms[n]
		if !s.callerCan(c, rm, permViewRealm) && !s.callerCan(c, rm, permQueryUsers) && !s.callerCan(c, rm, permQueryClients) {
			continue
		}
		if brief {
			out = append(out, map[string]any{"id": rm.id, "realm": rm.name})
		} else {
			out = append(out, rm.realmRep())
		}
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) adminCreateRealm(w http.ResponseWriter, r *http.Request, _ *realm, _ *adminCaller) {
	b, err := readAllLimited(r.Body)
	var in realmInput
	var raw map[string]json.RawMessage
	if err != nil || json.Unmarshal(b, &in) != nil || json.Unmarshal(b, &raw) != nil {
		writeGenericError(w, http.StatusBadRequest, "unknown_error")
		return
	}
	if in.Realm == nil || strings.TrimSpace(*in.Realm) == "" {
		writeErrorMessage(w, http.StatusBadRequest, "Realm name cannot be empty")
		return
	}
	if _, dup := s.realms[*in.Realm]; dup {
		writeErrorMessage(w, http.StatusConflict, "Conflict detected. See logs for details")
		return
	}
	rm, err := s.newRealm(*in.Realm)
	if err != nil {
		writeError(w, err)
		return
	}
	rm.applyRealmInput(&in, raw)
	if err := s.registerRealm(rm); err != nil {
		writeErrorMessage(w, http.StatusConflict, "Conflict detected. See logs for details")
		return
	}
	created(w, r, s, rm.name)
}

func (s *Server) adminGetRealm(w http.ResponseWriter, _ *http.Request, rm *realm, _ *adminCaller) {
	writeJSON(w, http.StatusOK, rm.realmRep())
}

func (s *Server) adminUpdateRealm(w http.ResponseWriter, r *http.Request, rm *realm, _ *adminCaller) {
	b, err := readAllLimited(r.Body)
	var in realmInput
	var raw map[string]json.RawMessage
	if err != nil || json.Unmarshal(b, &in) != nil || json.Unmarshal(b, &raw) != nil {
		writeGenericError(w, http.StatusBadRequest, "unknown_error")
		return
	}
	if in.Realm != nil && *in.Realm != rm.name {
		if _, dup := s.realms[*in.Realm]; dup {
			writeErrorMessage(w, http.StatusConflict, "Realm with same name exists")
			return
		}
		writeErrorMessage(w, http.StatusBadRequest, "kctest: renaming a realm is not supported")
		return
	}
	rm.applyRealmInput(&in, raw)
	noContent(w)
}

func (s *Server) adminDeleteRealm(w http.ResponseWriter, _ *http.Request, rm *realm, _ *adminCaller) {
	if rm.name == "master" {
		writeErrorMessage(w, http.StatusBadRequest, "Can't delete master realm")
		return
	}
	delete(s.realms, rm.name)
	if master := s.realms["master"]; master != nil {
		if c := master.findClientByClientID(rm.name + "-realm"); c != nil {
			for _, r := range master.roles {
				r.composites = slices.DeleteFunc(r.composites, func(x *role) bool { return x.client == c })
			}
			for _, u := range master.users {
				u.roles = slices.DeleteFunc(u.roles, func(x *role) bool { return x.client == c })
			}
			master.removeClient(c)
		}
	}
	noContent(w)
}

func (s *Server) adminDeleteSession(w http.ResponseWriter, r *http.Request, rm *realm, _ *adminCaller) {
	if rm.sessions[r.PathValue("session")] == nil {
		writeGenericError(w, http.StatusNotFound, "Sesssion not found")
		return
	}
	delete(rm.sessions, r.PathValue("session"))
	noContent(w)
}
