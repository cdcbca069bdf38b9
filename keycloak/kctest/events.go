package kctest

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Login events: with the realm's eventsEnabled on, the login paths record
// Keycloak's user events (EventBuilder.success/error), kept in the realm
// and served by GET /admin/realms/{realm}/events.

// loginEvent is an EventRepresentation.
type loginEvent struct {
	ID        string            `json:"id"`
	Time      int64             `json:"time"`
	Type      string            `json:"type"`
	RealmID   string            `json:"realmId"`
	ClientID  string            `json:"clientId,omitempty"`
	UserID    string            `json:"userId,omitempty"`
	SessionID string            `json:"sessionId,omitempty"`
	IPAddress string            `json:"ipAddress,omitempty"`
	Error     string            `json:"error,omitempty"`
	Details   map[string]string `json:"details"`
}

// eventTypes are Keycloak's EventType names with their saveByDefault flag:
// with enabledEventTypes empty, a realm stores the types marked true.
var eventTypes = func() map[string]bool {
	m := map[string]bool{}
	add := func(name string, save, saveErr bool) {
		m[name], m[name+"_ERROR"] = save, saveErr
	}
	for _, n := range []string{"LOGIN", "REGISTER", "LOGOUT", "CODE_TO_TOKEN", "CLIENT_LOGIN",
		"FEDERATED_IDENTITY_LINK", "REMOVE_FEDERATED_IDENTITY", "UPDATE_EMAIL", "UPDATE_PROFILE", "UPDATE_PASSWORD",
		"UPDATE_TOTP", "VERIFY_EMAIL", "VERIFY_PROFILE", "REMOVE_TOTP", "GRANT_CONSENT", "UPDATE_CONSENT",
		"REVOKE_GRANT", "SEND_VERIFY_EMAIL", "SEND_RESET_PASSWORD", "SEND_IDENTITY_PROVIDER_LINK", "RESET_PASSWORD",
		"RESTART_AUTHENTICATION", "IDENTITY_PROVIDER_LINK_ACCOUNT", "IDENTITY_PROVIDER_FIRST_LOGIN",
		"IDENTITY_PROVIDER_POST_LOGIN", "IMPERSONATE", "CUSTOM_REQUIRED_ACTION", "EXECUTE_ACTIONS",
		"EXECUTE_ACTION_TOKEN", "CLIENT_REGISTER", "CLIENT_UPDATE", "CLIENT_DELETE", "CLIENT_INITIATED_ACCOUNT_LINKING",
		"TOKEN_EXCHANGE", "OAUTH2_DEVICE_AUTH", "OAUTH2_DEVICE_VERIFY_USER_CODE", "OAUTH2_DEVICE_CODE_TO_TOKEN",
		"AUTHREQID_TO_TOKEN", "DELETE_ACCOUNT"} {
		add(n, true, true)
	}
	for _, n := range []string{"REFRESH_TOKEN", "VALIDATE_ACCESS_TOKEN", "INTROSPECT_TOKEN", "INVALID_SIGNATURE",
		"REGISTER_NODE", "UNREGISTER_NODE", "USER_INFO_REQUEST", "IDENTITY_PROVIDER_LOGIN", "IDENTITY_PROVIDER_RESPONSE",
		"IDENTITY_PROVIDER_RETRIEVE_TOKEN", "CLIENT_INFO", "PUSHED_AUTHORIZATION_REQUEST"} {
		add(n, false, false)
	}
	add("PERMISSION_TOKEN", true, false)
	add("USER_DISABLED_BY_PERMANENT_LOCKOUT", true, false)
	add("USER_DISABLED_BY_TEMPORARY_LOCKOUT", true, false)
	return m
}()

// eventRecorder collects one request's event as Keycloak's EventBuilder
// does: the endpoint sets the type, the client, the user, the session and
// details as it goes, then records success or an error.
type eventRecorder struct {
	typ       string
	clientID  string
	userID    string
	sessionID string
	ip        string
	err       string
	details   map[string]string
}

func newEventRecorder(typ, ip string) *eventRecorder {
	return &eventRecorder{typ: typ, ip: ip, details: map[string]string{}}
}

// detail sets a detail; EventBuilder.detail ignores an empty value.
func (e *eventRecorder) detail(k, v string) *eventRecorder {
	if e != nil && v != "" {
		e.details[k] = v
	}
	return e
}

func (e *eventRecorder) user(u *user) *eventRecorder {
	if e != nil && u != nil {
		e.userID = u.id
	}
	return e
}

// fail sets the event's error unless one is set already.
func (e *eventRecorder) fail(code string) {
	if e != nil && e.err == "" {
		e.err = code
	}
}

// saves reports whether the realm stores events of type typ.
func (rm *realm) savesEvent(typ string) bool {
	if rm.admin == nil || rm.admin.events == nil || !rm.admin.events.EventsEnabled {
		return false
	}
	if enabled := rm.admin.events.EnabledEventTypes; len(enabled) > 0 {
		return slices.Contains(enabled, typ)
	}
	return eventTypes[typ]
}

// record stores the event, as a success or, with an error, as the _ERROR
// type. Callers hold s.mu for writing.
func (s *Server) record(rm *realm, e *eventRecorder, success bool) {
	if e == nil {
		return
	}
	typ := e.typ
	if !success {
		typ += "_ERROR"
		if e.err == "" {
			e.err = "invalid_request"
		}
	}
	if !rm.savesEvent(typ) {
		return
	}
	ev := &loginEvent{
		ID: newID(), Time: s.now().UnixMilli(), Type: typ, RealmID: rm.id, ClientID: e.clientID,
		UserID: e.userID, SessionID: e.sessionID, IPAddress: e.ip, Details: e.details,
	}
	if !success {
		ev.Error = e.err
	}
	rm.events = append(rm.events, ev)
}

// recordSystemEvent records an event the server raises on its own (the
// brute-force lockouts), with DefaultBruteForceProtector.sendEvent's details.
func (s *Server) recordSystemEvent(rm *realm, u *user, ip, typ string, f *loginFailureRecord) {
	e := newEventRecorder(typ, ip).user(u).
		detail("reason", "brute_force_attack detected").
		detail("num_failures", strconv.Itoa(f.numFailures))
	if typ == "USER_DISABLED_BY_TEMPORARY_LOCKOUT" {
		e.detail("not_before", time.Unix(f.notBefore, 0).UTC().Format("2006-01-02T15:04:05"))
	}
	s.record(rm, e, true)
}

// tokenIDs returns the jti and typ of a JWT the server minted.
func tokenIDs(jwt string) (jti, typ string) {
	return tokenClaim(jwt, "jti"), tokenClaim(jwt, "typ")
}

// tokenDetails adds AccessTokenResponseBuilder.build's details for a token
// response: token_id, refresh_token_id (updated_refresh_token_id when the
// request already named one) and refresh_token_type, and the scope.
func (e *eventRecorder) tokenDetails(resp *tokenResponse) {
	if e == nil || resp == nil {
		return
	}
	if jti, _ := tokenIDs(resp.AccessToken); jti != "" {
		e.detail("token_id", jti)
	}
	if resp.RefreshToken != "" {
		jti, typ := tokenIDs(resp.RefreshToken)
		if _, ok := e.details["refresh_token_id"]; ok {
			e.detail("updated_refresh_token_id", jti)
		} else {
			e.detail("refresh_token_id", jti)
		}
		e.detail("refresh_token_type", typ)
	}
	e.detail("scope", resp.Scope)
	if e.sessionID == "" {
		e.sessionID = resp.SessionState
	}
}

// pruneEvents drops the events older than the realm's eventsExpiration.
func (rm *realm) pruneEvents(now time.Time) {
	if rm.admin == nil || rm.admin.events == nil || rm.admin.events.EventsExpiration <= 0 {
		return
	}
	cut := now.Add(-time.Duration(rm.admin.events.EventsExpiration) * time.Second).UnixMilli()
	rm.events = slices.DeleteFunc(rm.events, func(e *loginEvent) bool { return e.Time < cut })
}

// eventDate parses a dateFrom/dateTo of the events listings: yyyy-MM-dd
// (the start or the end of that day, UTC) or epoch milliseconds
// (org.keycloak.utils.DateUtil).
func eventDate(v string, end bool) (int64, bool) {
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		return n, true
	}
	d, err := time.Parse("2006-01-02", v)
	if err != nil {
		return 0, false
	}
	if end {
		return d.Add(24*time.Hour).UnixMilli() - 1, true
	}
	return d.UnixMilli(), true
}

// eventListQuery is what both events listings share: the date range, the
// paging and the direction, checked as RealmAdminResource checks them.
type eventListQuery struct {
	from, to       int64
	first, max     int
	ascending      bool
	hasFrom, hasTo bool
}

func parseEventListQuery(w http.ResponseWriter, r *http.Request) (*eventListQuery, bool) {
	q := r.URL.Query()
	out := &eventListQuery{max: 100}
	if q.Has("dateFrom") {
		v, ok := eventDate(q.Get("dateFrom"), false)
		if !ok {
			writeGenericError(w, http.StatusBadRequest, "Invalid value for 'dateFrom', expected format is yyyy-MM-dd or an Epoch timestamp")
			return nil, false
		}
		out.from, out.hasFrom = v, true
	}
	if q.Has("dateTo") {
		v, ok := eventDate(q.Get("dateTo"), true)
		if !ok {
			writeGenericError(w, http.StatusBadRequest, "Invalid value for 'dateTo', expected format is yyyy-MM-dd or an Epoch timestamp")
			return nil, false
		}
		out.to, out.hasTo = v, true
	}
	for _, k := range []string{"first", "max"} {
		if !q.Has(k) {
			continue
		}
		n, err := strconv.Atoi(q.Get(k))
		if err != nil {
			// JAX-RS cannot convert the Integer query parameter.
			writeGenericError(w, http.StatusNotFound, "HTTP 404 Not Found")
			return nil, false
		}
		if k == "first" {
			out.first = n
		} else {
			out.max = n
		}
	}
	switch q.Get("direction") {
	case "", "desc":
	case "asc":
		out.ascending = true
	default:
		writeGenericError(w, http.StatusBadRequest, "Invalid value for sortDirection, expected value is asc or desc")
		return nil, false
	}
	return out, true
}

func (lq *eventListQuery) inRange(t int64) bool {
	return (!lq.hasFrom || t >= lq.from) && (!lq.hasTo || t <= lq.to)
}

// window returns the page of n items: a negative first or max means none
// given, as in the JPA event store.
func (lq *eventListQuery) window(n int) (int, int) {
	first := max(lq.first, 0)
	if first > n {
		first = n
	}
	end := n
	if lq.max >= 0 && first+lq.max < n {
		end = first + lq.max
	}
	return first, end
}

// adminListEvents is GET /admin/realms/{realm}/events
// (RealmAdminResource.getEvents), newest first unless direction=asc.
func (s *Server) adminListEvents(w http.ResponseWriter, r *http.Request, rm *realm, _ *adminCaller) {
	lq, ok := parseEventListQuery(w, r)
	if !ok {
		return
	}
	q := r.URL.Query()
	types := q["type"]
	for _, t := range types {
		if _, known := eventTypes[t]; !known {
			// EventType.valueOf throws: Keycloak answers 500.
			writeOAuthError(w, http.StatusInternalServerError, "unknown_error", "For more on this error consult the server log.")
			return
		}
	}
	rm.pruneEvents(s.now())
	var list []*loginEvent
	for _, e := range rm.events {
		switch {
		case len(types) > 0 && !slices.Contains(types, e.Type),
			q.Has("client") && q.Get("client") != e.ClientID,
			q.Has("user") && q.Get("user") != e.UserID,
			q.Has("ipAddress") && q.Get("ipAddress") != e.IPAddress,
			!lq.inRange(e.Time):
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

// grantEventTypes are the event types of the token endpoint's grants
// (OAuth2GrantType.getEventType).
var grantEventTypes = map[string]string{
	"password": "LOGIN", "client_credentials": "CLIENT_LOGIN", "authorization_code": "CODE_TO_TOKEN",
	"refresh_token": "REFRESH_TOKEN", grantTokenExchange: "TOKEN_EXCHANGE", grantDeviceCode: "OAUTH2_DEVICE_CODE_TO_TOKEN",
	umaGrantType: "PERMISSION_TOKEN",
}

// grantEventErrors are the event errors a grant reports when it refuses
// the request's code or token (Errors.INVALID_CODE, Errors.INVALID_TOKEN).
var grantEventErrors = map[string]string{
	"authorization_code": "invalid_code", "refresh_token": "invalid_token", grantTokenExchange: "invalid_token",
}

// requestClientID is the client_id a token request names, in the form, the
// Basic header or a client assertion's issuer.
func requestClientID(r *http.Request, form url.Values) string {
	if id := form.Get("client_id"); id != "" {
		return id
	}
	if id, _, ok := parseBasic(r.Header.Get("Authorization")); ok {
		return id
	}
	if a := form.Get("client_assertion"); a != "" {
		return tokenClaim(a, "iss")
	}
	return ""
}

// clientAuthEventError is the event error of a failed client
// authentication (ClientAuthenticationFlow).
func clientAuthEventError(rm *realm, clientID string) string {
	if c := rm.findClientByClientID(clientID); c == nil {
		return "client_not_found"
	} else if !c.enabled {
		return "client_disabled"
	}
	return "invalid_client_credentials"
}

// clientAuthMethod is the client_auth_method detail: the authenticator
// that accepted the client.
func clientAuthMethod(c *client, form url.Values) string {
	if form.Get("client_assertion") != "" && c.clientAuthenticator != "" {
		return c.clientAuthenticator
	}
	return "client-secret"
}

// tokenClaim returns a string claim of a JWT, unverified.
func tokenClaim(jwt, name string) string {
	parts := strings.Split(jwt, ".")
	if len(parts) != 3 {
		return ""
	}
	b, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		return ""
	}
	var c map[string]any
	if json.Unmarshal(b, &c) != nil {
		return ""
	}
	v, _ := c[name].(string)
	return v
}

// tokenSubject is the sub claim of a token the server minted.
func tokenSubject(jwt string) string { return tokenClaim(jwt, "sub") }
