package kctest

import (
	"bytes"
	"io"
	"net/http"
	"path"
	"slices"
	"strings"
)

// eventsConfig is a realm's RealmEventsConfigRepresentation.
type eventsConfig struct {
	EventsEnabled             bool     `json:"eventsEnabled"`
	EventsExpiration          int64    `json:"eventsExpiration,omitempty"`
	EventsListeners           []string `json:"eventsListeners"`
	EnabledEventTypes         []string `json:"enabledEventTypes"`
	AdminEventsEnabled        bool     `json:"adminEventsEnabled"`
	AdminEventsDetailsEnabled bool     `json:"adminEventsDetailsEnabled"`
}

type eventsConfigInput struct {
	EventsEnabled             *bool    `json:"eventsEnabled"`
	EventsExpiration          *int64   `json:"eventsExpiration"`
	EventsListeners           []string `json:"eventsListeners"`
	EnabledEventTypes         []string `json:"enabledEventTypes"`
	AdminEventsEnabled        *bool    `json:"adminEventsEnabled"`
	AdminEventsDetailsEnabled *bool    `json:"adminEventsDetailsEnabled"`
}

// adminEvent is an AdminEventRepresentation.
type adminEvent struct {
	ID             string           `json:"id"`
	Time           int64            `json:"time"`
	RealmID        string           `json:"realmId"`
	AuthDetails    adminAuthDetails `json:"authDetails"`
	OperationType  string           `json:"operationType"`
	ResourceType   string           `json:"resourceType"`
	ResourcePath   string           `json:"resourcePath,omitempty"` // absent for the realm itself
	Representation string           `json:"representation,omitempty"`
}

type adminAuthDetails struct {
	RealmID   string `json:"realmId"`
	ClientID  string `json:"clientId"`
	UserID    string `json:"userId"`
	IPAddress string `json:"ipAddress"`
}

func (rm *realm) eventsConfig() *eventsConfig {
	st := rm.adminState()
	if st.events == nil {
		st.events = &eventsConfig{EventsListeners: []string{"jboss-logging"}, EnabledEventTypes: []string{}}
	}
	return st.events
}

func (s *Server) registerAdminEvents(mux *http.ServeMux) {
	const r = "/admin/realms/{realm}"
	s.handle(mux, "GET", r+"/events/config", s.admin(permViewEvents, func(w http.ResponseWriter, _ *http.Request, rm *realm, _ *adminCaller) {
		writeJSON(w, http.StatusOK, rm.eventsConfig())
	}))
	s.handle(mux, "PUT", r+"/events/config", s.admin(permManageEvents, func(w http.ResponseWriter, r *http.Request, rm *realm, _ *adminCaller) {
		var in eventsConfigInput
		if !decodeAdminJSON(w, r, &in) {
			return
		}
		cfg := rm.eventsConfig()
		set := func(dst *bool, v *bool) {
			if v != nil {
				*dst = *v
			}
		}
		// RepresentationToModel.updateRealmEventsConfig: eventsEnabled is a
		// primitive and eventsExpiration falls back to 0, so a body without
		// them turns events off; the other four are kept when absent.
		cfg.EventsEnabled = in.EventsEnabled != nil && *in.EventsEnabled
		cfg.EventsExpiration = 0
		if in.EventsExpiration != nil {
			cfg.EventsExpiration = *in.EventsExpiration
		}
		set(&cfg.AdminEventsEnabled, in.AdminEventsEnabled)
		set(&cfg.AdminEventsDetailsEnabled, in.AdminEventsDetailsEnabled)
		if in.EventsListeners != nil {
			cfg.EventsListeners = slices.Clone(in.EventsListeners)
		}
		if in.EnabledEventTypes != nil {
			cfg.EnabledEventTypes = slices.Clone(in.EnabledEventTypes)
		}
		noContent(w)
	}))
	s.handle(mux, "GET", r+"/events", s.admin(permViewEvents, s.adminListEvents))
	s.handle(mux, "DELETE", r+"/events", s.admin(permManageEvents, func(w http.ResponseWriter, _ *http.Request, rm *realm, _ *adminCaller) {
		rm.events = nil
		noContent(w)
	}))
	s.handle(mux, "GET", r+"/admin-events", s.admin(permViewEvents, s.adminListAdminEvents))
	s.handle(mux, "DELETE", r+"/admin-events", s.admin(permManageEvents, func(w http.ResponseWriter, _ *http.Request, rm *realm, _ *adminCaller) {
		rm.adminState().adminEvents = nil
		noContent(w)
	}))
}

func (s *Server) adminListAdminEvents(w http.ResponseWriter, r *http.Request, rm *realm, _ *adminCaller) {
	lq, ok := parseEventListQuery(w, r)
	if !ok {
		return
	}
	q := r.URL.Query()
	ops, types := q["operationTypes"], q["resourceTypes"]
	for _, op := range ops {
		if !slices.Contains([]string{"CREATE", "UPDATE", "DELETE", "ACTION"}, op) {
			// OperationType.valueOf throws: Keycloak answers 500.
			writeOAuthError(w, http.StatusInternalServerError, "unknown_error", "For more on this error consult the server log.")
			return
		}
	}
	var list []*adminEvent
	for _, e := range rm.adminState().adminEvents {
		switch {
		case !lq.inRange(e.Time):
			continue
		case len(ops) > 0 && !slices.Contains(ops, e.OperationType),
			len(types) > 0 && !slices.Contains(types, e.ResourceType),
			q.Get("resourcePath") != "" && !globMatch(q.Get("resourcePath"), e.ResourcePath),
			q.Get("authRealm") != "" && q.Get("authRealm") != e.AuthDetails.RealmID,
			q.Get("authClient") != "" && q.Get("authClient") != e.AuthDetails.ClientID,
			q.Get("authUser") != "" && q.Get("authUser") != e.AuthDetails.UserID,
			q.Get("authIpAddress") != "" && q.Get("authIpAddress") != e.AuthDetails.IPAddress:
			continue
		}
		list = append(list, e)
	}
	if !lq.ascending {
		slices.Reverse(list)
	}
	first, end := lq.window(len(list))
	writeJSON(w, http.StatusOK, nonNil(list[first:end]))
}

// globMatch matches Keycloak's resourcePath filter, where * is any run of
// characters.
func globMatch(pattern, s string) bool {
	ok, err := path.Match(strings.ReplaceAll(pattern, "/", "\x00"), strings.ReplaceAll(s, "/", "\x00"))
	return err == nil && ok
}

// adminStatusWriter remembers the status a handler wrote.
type adminStatusWriter struct {
	http.ResponseWriter
	status int
}

func (w *adminStatusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *adminStatusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// serveRecorded runs h and, when the realm records admin events and the
// request changed something, records it. The flag counts before or after
// the request, so the events/config write that turns recording on or off
// records itself, and the details flag is read after it (measured on
// Keycloak 26). Callers hold s.mu.
func (s *Server) serveRecorded(h adminHandler, w http.ResponseWriter, r *http.Request, rm *realm, c *adminCaller) {
	recording := func() bool { return rm.admin != nil && rm.admin.events != nil && rm.admin.events.AdminEventsEnabled }
	if rm == nil || r.Method == http.MethodGet || !recording() && !strings.HasSuffix(r.URL.Path, "/events/config") {
		h(w, r, rm, c)
		return
	}
	before := recording()
	body, _ := readAllLimited(r.Body)
	r.Body = io.NopCloser(bytes.NewReader(body))
	sw := &adminStatusWriter{ResponseWriter: w}
	h(sw, r, rm, c)
	if !before && !recording() {
		return
	}
	prefix := s.basePath + "/admin/realms/" + rm.name
	resPath := strings.TrimPrefix(strings.TrimPrefix(r.URL.Path, prefix), "/")
	resPath = strings.TrimSuffix(resPath, "/")
	if sw.status >= 300 || strings.HasPrefix(resPath, "admin-events") || resPath == "events" {
		return
	}
	if loc := sw.Header().Get("Location"); sw.status == http.StatusCreated && loc != "" {
		if i := strings.Index(loc, "/admin/realms/"+rm.name+"/"); i >= 0 {
			resPath = loc[i+len("/admin/realms/"+rm.name+"/"):]
		}
	}
	e := &adminEvent{
		ID: newID(), Time: s.now().UnixMilli(), RealmID: rm.id,
		AuthDetails:   adminAuthDetails{RealmID: c.realm.id, ClientID: c.client.id, UserID: c.user.id, IPAddress: adminRemoteIP(r)},
		OperationType: operationType(r.Method, resPath, sw.status), ResourceType: resourceType(resPath), ResourcePath: resPath,
	}
	if rm.admin.events.AdminEventsDetailsEnabled && len(body) > 0 {
		e.Representation = string(body)
	}
	rm.admin.adminEvents = append(rm.admin.adminEvents, e)
}

func operationType(method, resPath string, status int) string {
	for _, action := range []string{"/reset-password", "/execute-actions-email", "/send-verify-email", "/reset-password-email", "/logout", "/client-secret", "/impersonation", "logout-all"} {
		if strings.HasSuffix(resPath, action) {
			return "ACTION"
		}
	}
	switch method {
	case http.MethodPost:
		return "CREATE"
	case http.MethodPut:
		if strings.Contains(resPath, "/groups/") && strings.HasPrefix(resPath, "users/") {
			return "CREATE" // joining a group creates a membership
		}
		return "UPDATE"
	case http.MethodDelete:
		return "DELETE"
	}
	return "ACTION"
}

// resourceType maps a path under the realm to Keycloak's ResourceType.
func resourceType(p string) string {
	segs := strings.Split(p, "/")
	has := func(s string) bool { return slices.Contains(segs, s) }
	switch {
	case p == "":
		return "REALM"
	case has("role-mappings") && has("realm"):
		return "REALM_ROLE_MAPPING"
	case has("role-mappings"):
		return "CLIENT_ROLE_MAPPING"
	case has("scope-mappings") && has("realm"):
		return "REALM_SCOPE_MAPPING"
	case has("scope-mappings"):
		return "CLIENT_SCOPE_MAPPING"
	case has("protocol-mappers"):
		return "PROTOCOL_MAPPER"
	case segs[0] == "users" && len(segs) >= 3 && segs[2] == "groups":
		return "GROUP_MEMBERSHIP"
	case segs[0] == "users":
		return "USER"
	case segs[0] == "groups" || segs[0] == "default-groups":
		return "GROUP"
	case segs[0] == "clients" && has("roles"):
		return "CLIENT_ROLE"
	case segs[0] == "clients":
		return "CLIENT"
	case segs[0] == "roles" || segs[0] == "roles-by-id":
		return "REALM_ROLE"
	case segs[0] == "client-scopes" || strings.HasPrefix(segs[0], "default-") && strings.HasSuffix(segs[0], "client-scopes"):
		return "CLIENT_SCOPE"
	case segs[0] == "identity-provider":
		if has("mappers") {
			return "IDENTITY_PROVIDER_MAPPER"
		}
		return "IDENTITY_PROVIDER"
	case segs[0] == "organizations":
		if has("members") {
			return "ORGANIZATION_MEMBERSHIP"
		}
		return "ORGANIZATION"
	case segs[0] == "sessions" || segs[0] == "logout-all":
		return "USER_SESSION"
	case segs[0] == "users" || segs[0] == "attack-detection":
		return "USER_LOGIN_FAILURE"
	}
	return "REALM"
}
