package kctest

import (
	"encoding/json"
	"errors"
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

// realmRep renders rm as GET /admin/realms/{realm} does
// (ModelToRepresentation.toRepresentation with internal=false, then
// StripSecretsUtils): the settings, the identity providers and their
// mappers with secrets masked, and none of the sections only an export
// has (users, clients, roles, groups, client scopes, components, flows,
// required actions).
func (rm *realm) realmRep() map[string]any {
	m := make(map[string]any, len(rm.settings)+32)
	for k, v := range rm.settings {
		m[k] = v
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
	ev := &eventsConfig{EventsListeners: []string{"jboss-logging"}, EnabledEventTypes: []string{}}
	if rm.admin != nil && rm.admin.events != nil {
		ev = rm.admin.events
	}
	m["eventsEnabled"], m["eventsListeners"], m["enabledEventTypes"] = ev.EventsEnabled, nonNil(ev.EventsListeners), nonNil(ev.EnabledEventTypes)
	m["adminEventsEnabled"], m["adminEventsDetailsEnabled"] = ev.AdminEventsEnabled, ev.AdminEventsDetailsEnabled
	if ev.EventsExpiration != 0 {
		m["eventsExpiration"] = ev.EventsExpiration
	}
	if rm.defaultRole != nil {
		m["defaultRole"] = rm.roleRep(rm.defaultRole, true)
	}
	idps, mappers := []map[string]any{}, []*idpMapper{}
	if rm.admin != nil {
		for _, p := range rm.admin.idps {
			idps = append(idps, p.render(false))
			mappers = append(mappers, p.mappers...)
		}
		if len(rm.admin.defaultGroups) > 0 {
			paths := []string{}
			for _, g := range rm.admin.defaultGroups {
				paths = append(paths, g.path())
			}
			m["defaultGroups"] = paths
		}
	}
	m["identityProviders"], m["identityProviderMappers"] = idps, mappers
	var smtp map[string]any
	if json.Unmarshal(rm.settings["smtpServer"], &smtp) == nil && smtp != nil {
		for _, k := range []string{"password", "authTokenClientSecret"} {
			if v, ok := smtp[k].(string); ok && !vaultRef(v) {
				smtp[k] = maskedSecret
			}
		}
		m["smtpServer"] = smtp
	}
	m["attributes"] = maps.Clone(rm.attributes)
	return m
}

// vaultRef reports whether v is a ${vault.x} reference, which Keycloak
// leaves unmasked.
func vaultRef(v string) bool { return strings.HasPrefix(v, "${vault.") && strings.HasSuffix(v, "}") }

// realmInput holds the modelled fields of a RealmRepresentation.
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
	DeviceCodeLifespan        *int              `json:"oauth2DeviceCodeLifespan"`
	DevicePollingInterval     *int              `json:"oauth2DevicePollingInterval"`
	NotBefore                 *int64            `json:"notBefore"`
	Attributes                map[string]string `json:"attributes"`
	eventsInput
}

// eventsInput are the events settings of a RealmRepresentation.
type eventsInput struct {
	EventsEnabled             *bool    `json:"eventsEnabled"`
	EventsExpiration          *int64   `json:"eventsExpiration"`
	EventsListeners           []string `json:"eventsListeners"`
	EnabledEventTypes         []string `json:"enabledEventTypes"`
	AdminEventsEnabled        *bool    `json:"adminEventsEnabled"`
	AdminEventsDetailsEnabled *bool    `json:"adminEventsDetailsEnabled"`
}

// applyRealmInput is PUT /admin/realms/{realm}
// (RepresentationToModel.updateRealm): the fields sent change, sections
// are ignored.
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
	set(&rm.deviceCodeLifespan, in.DeviceCodeLifespan)
	set(&rm.devicePollingInterval, in.DevicePollingInterval)
	if in.NotBefore != nil {
		rm.notBefore = *in.NotBefore
	}
	maps.Copy(rm.attributes, in.Attributes)
	_ = rm.applySettings(raw)
	e := in.eventsInput
	if e.EventsEnabled != nil || e.EventsListeners != nil || e.EnabledEventTypes != nil || e.AdminEventsEnabled != nil ||
		e.AdminEventsDetailsEnabled != nil || e.EventsExpiration != nil {
		cfg := rm.eventsConfig()
		if e.EventsEnabled != nil {
			cfg.EventsEnabled = *e.EventsEnabled
		}
		if e.EventsExpiration != nil {
			cfg.EventsExpiration = *e.EventsExpiration
		}
		if e.EventsListeners != nil {
			cfg.EventsListeners = slices.Clone(e.EventsListeners)
		}
		if e.EnabledEventTypes != nil {
			cfg.EnabledEventTypes = slices.Clone(e.EnabledEventTypes)
		}
		if e.AdminEventsEnabled != nil {
			cfg.AdminEventsEnabled = *e.AdminEventsEnabled
		}
		if e.AdminEventsDetailsEnabled != nil {
			cfg.AdminEventsDetailsEnabled = *e.AdminEventsDetailsEnabled
		}
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

// adminCreateRealm is POST /admin/realms: Keycloak imports the
// representation (RealmsAdminResource.importRealm →
// RealmManager.importRealm), so a full realm file is imported whole.
func (s *Server) adminCreateRealm(w http.ResponseWriter, r *http.Request, _ *realm, _ *adminCaller) {
	b, err := readAllLimited(r.Body)
	var in realmInput
	if err != nil || json.Unmarshal(b, &in) != nil {
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
	rm, err := s.importRealmJSON(b)
	if ne := (*realmNameError)(nil); errors.As(err, &ne) {
		// The ReservedCharException reaches KeycloakErrorHandler.
		writeGenericError(w, http.StatusBadRequest, ne.msg)
		return
	}
	if err != nil {
		writeErrorMessage(w, http.StatusBadRequest, strings.TrimPrefix(err.Error(), "kctest: "))
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
		// RealmAdminResource.updateRealm: ReservedCharValidator, answered
		// with ErrorResponse.error.
		if msg := reservedCharError(*in.Realm); msg != "" {
			writeErrorMessage(w, http.StatusBadRequest, msg)
			return
		}
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
