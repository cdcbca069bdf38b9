package kctest_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/kcgo/kc/keycloak/kctest"
)

type eventRep struct {
	ID        string            `json:"id"`
	Time      int64             `json:"time"`
	Type      string            `json:"type"`
	RealmID   string            `json:"realmId"`
	ClientID  string            `json:"clientId"`
	UserID    string            `json:"userId"`
	SessionID string            `json:"sessionId"`
	IPAddress string            `json:"ipAddress"`
	Error     string            `json:"error"`
	Details   map[string]string `json:"details"`
}

func eventsRealm(t *testing.T, config string) (*kctest.Server, *kctest.FakeClock) {
	t.Helper()
	s, clock := startDemo(t)
	if res := adminDo(t, s, adminToken(t, s), "PUT", "/admin/realms/demo/events/config", config); res.status != http.StatusNoContent {
		t.Fatalf("events config: %d %s", res.status, res.body)
	}
	return s, clock
}

func listEvents(t *testing.T, s *kctest.Server, query string) []eventRep {
	t.Helper()
	res := adminDo(t, s, adminToken(t, s), "GET", "/admin/realms/demo/events"+query, "")
	if res.status != http.StatusOK {
		t.Fatalf("events%s: %d %s", query, res.status, res.body)
	}
	var out []eventRep
	if err := json.Unmarshal(res.body, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

func eventTypesOf(evs []eventRep) []string {
	var out []string
	for _, e := range evs {
		out = append(out, e.Type)
	}
	return out
}

// TestEventsLogin pins the events of the password grant, a failed one,
// client credentials, the refresh and the logout: types, the user, the
// session and the details Keycloak sets (TokenEndpoint.checkGrantType:
// grant_type; ResourceOwnerPasswordCredentialsGrantType and
// AuthenticationProcessor: auth_method, username; TokenManager
// AccessTokenResponseBuilder.build: token_id, refresh_token_id,
// updated_refresh_token_id, refresh_token_type; ValidatePassword:
// invalid_user_credentials). REFRESH_TOKEN is not saved by default
// (EventType.saveByDefault), so the realm lists it.
func TestEventsLogin(t *testing.T) {
	t.Parallel()
	s, clock := eventsRealm(t, `{"eventsEnabled":true,"enabledEventTypes":["LOGIN","LOGIN_ERROR","CLIENT_LOGIN","REFRESH_TOKEN","LOGOUT"]}`)
	alice, _ := s.UserID("demo", "alice")
	secret, err := s.ClientSecret("demo", "demo-service")
	if err != nil {
		t.Fatal(err)
	}
	tok := passwordToken(t, s, "alice", "alice", "")
	clock.Advance(time.Second)
	res := postForm(t, oidcURL(s, "demo", "token"), url.Values{
		"grant_type": {"password"}, "client_id": {"demo-app"}, "username": {"alice"}, "password": {"nope"},
	})
	if res.status != http.StatusUnauthorized {
		t.Fatalf("wrong password: %d", res.status)
	}
	clock.Advance(time.Second)
	token(t, s, "demo", url.Values{"grant_type": {"client_credentials"}}, "Authorization", basic("demo-service", secret))
	clock.Advance(time.Second)
	refreshed := token(t, s, "demo", url.Values{"grant_type": {"refresh_token"}, "client_id": {"demo-app"}, "refresh_token": {tok["refresh_token"].(string)}})
	clock.Advance(time.Second)
	if res := postForm(t, oidcURL(s, "demo", "logout"), url.Values{"client_id": {"demo-app"}, "refresh_token": {refreshed["refresh_token"].(string)}}); res.status != http.StatusNoContent {
		t.Fatalf("logout: %d %s", res.status, res.body)
	}

	evs := listEvents(t, s, "")
	if d := cmp.Diff([]string{"LOGOUT", "REFRESH_TOKEN", "CLIENT_LOGIN", "LOGIN_ERROR", "LOGIN"}, eventTypesOf(evs)); d != "" {
		t.Fatalf("types, newest first (-want +got):\n%s", d)
	}
	login := evs[4]
	claims := decodeClaims(t, tok["access_token"].(string))
	refreshClaims := decodeClaims(t, tok["refresh_token"].(string))
	want := eventRep{
		ID: login.ID, Time: epoch.UnixMilli(), Type: "LOGIN", RealmID: login.RealmID, ClientID: "demo-app", UserID: alice,
		SessionID: claims["sid"].(string), IPAddress: "127.0.0.1",
		Details: map[string]string{
			"auth_method": "openid-connect", "grant_type": "password", "username": "alice", "client_auth_method": "client-secret",
			"token_id": claims["jti"].(string), "refresh_token_id": refreshClaims["jti"].(string), "refresh_token_type": "Refresh",
			"scope": tok["scope"].(string),
		},
	}
	if d := cmp.Diff(want, login); d != "" {
		t.Errorf("LOGIN (-want +got):\n%s", d)
	}
	if e := evs[3]; e.Error != "invalid_user_credentials" || e.UserID != alice || e.Details["username"] != "alice" || e.SessionID != "" {
		t.Errorf("LOGIN_ERROR: %+v", e)
	}
	if e := evs[2]; e.ClientID != "demo-service" || e.Details["grant_type"] != "client_credentials" || e.Details["username"] != "service-account-demo-service" {
		t.Errorf("CLIENT_LOGIN: %+v", e)
	}
	newRefresh := decodeClaims(t, refreshed["refresh_token"].(string))
	if e := evs[1]; e.Details["refresh_token_id"] != refreshClaims["jti"] || e.Details["updated_refresh_token_id"] != newRefresh["jti"] || e.UserID != alice {
		t.Errorf("REFRESH_TOKEN: %+v", e)
	}
	if e := evs[0]; e.SessionID != claims["sid"] || e.UserID != alice || e.ClientID != "demo-app" {
		t.Errorf("LOGOUT: %+v", e)
	}
	for _, e := range evs {
		if e.ID == "" || e.RealmID == "" {
			t.Errorf("%s: id %q realmId %q", e.Type, e.ID, e.RealmID)
		}
	}
}

// TestEventsSaveByDefault pins that with enabledEventTypes empty only the
// types EventType marks saveByDefault are stored (REFRESH_TOKEN and
// USER_INFO_REQUEST are not), and that nothing is stored with eventsEnabled
// off.
func TestEventsSaveByDefault(t *testing.T) {
	t.Parallel()
	s, _ := eventsRealm(t, `{"eventsEnabled":true}`)
	tok := passwordToken(t, s, "alice", "alice", "openid")
	token(t, s, "demo", url.Values{"grant_type": {"refresh_token"}, "client_id": {"demo-app"}, "refresh_token": {tok["refresh_token"].(string)}})
	if res := do(t, http.MethodGet, oidcURL(s, "demo", "userinfo"), nil, "Authorization", "Bearer "+tok["access_token"].(string)); res.status != http.StatusOK {
		t.Fatalf("userinfo: %d", res.status)
	}
	if d := cmp.Diff([]string{"LOGIN"}, eventTypesOf(listEvents(t, s, ""))); d != "" {
		t.Fatalf("(-want +got):\n%s", d)
	}

	off, _ := eventsRealm(t, `{"eventsEnabled":false}`)
	passwordToken(t, off, "alice", "alice", "")
	if evs := listEvents(t, off, ""); len(evs) != 0 {
		t.Fatalf("events off: %v", eventTypesOf(evs))
	}
}

// TestEventsCodeFlow pins the browser login's LOGIN (auth_type code,
// redirect_uri, code_id, consent) and CODE_TO_TOKEN with the code's
// session as code_id (OAuth2CodeParser.parseCode).
func TestEventsCodeFlow(t *testing.T) {
	t.Parallel()
	s, _ := eventsRealm(t, `{"eventsEnabled":true}`)
	auth := oidcURL(s, "demo", "auth") + "?" + url.Values{
		"client_id": {"demo-app"}, "response_type": {"code"}, "redirect_uri": {"http://127.0.0.1/callback"}, "scope": {"openid"},
	}.Encode()
	if _, err := s.Login(auth, "alice", "wrong"); err == nil {
		t.Fatal("wrong password accepted")
	}
	back, err := s.Login(auth, "alice", "alice")
	if err != nil {
		t.Fatal(err)
	}
	token(t, s, "demo", url.Values{"grant_type": {"authorization_code"}, "client_id": {"demo-app"},
		"code": {back.Query().Get("code")}, "redirect_uri": {"http://127.0.0.1/callback"}})
	evs := listEvents(t, s, "?direction=asc")
	if d := cmp.Diff([]string{"LOGIN_ERROR", "LOGIN", "CODE_TO_TOKEN"}, eventTypesOf(evs)); d != "" {
		t.Fatalf("(-want +got):\n%s", d)
	}
	sid := back.Query().Get("session_state")
	wantLogin := map[string]string{
		"auth_method": "openid-connect", "auth_type": "code", "response_type": "code", "redirect_uri": "http://127.0.0.1/callback",
		"consent": "no_consent_required", "code_id": sid, "username": "alice",
	}
	if d := cmp.Diff(wantLogin, evs[1].Details); d != "" || evs[1].SessionID != sid {
		t.Errorf("LOGIN details (-want +got):\n%s", d)
	}
	if e := evs[0]; e.Error != "invalid_user_credentials" || e.ClientID != "demo-app" {
		t.Errorf("LOGIN_ERROR: %+v", e)
	}
	if e := evs[2]; e.Details["code_id"] != sid || e.SessionID != sid || e.Details["grant_type"] != "authorization_code" || e.Details["token_id"] == "" {
		t.Errorf("CODE_TO_TOKEN: %+v", e)
	}
}

// TestEventsFilters pins every filter of RealmAdminResource.getEvents:
// type (repeatable), client, user, ipAddress, dateFrom and dateTo
// (yyyy-MM-dd or epoch milliseconds, DateUtil), first, max, direction,
// and its rejections; DELETE clears the list.
func TestEventsFilters(t *testing.T) {
	t.Parallel()
	s, clock := eventsRealm(t, `{"eventsEnabled":true}`)
	alice, _ := s.UserID("demo", "alice")
	secret, _ := s.ClientSecret("demo", "demo-service")
	passwordToken(t, s, "alice", "alice", "") // 2026-01-02
	clock.Advance(24 * time.Hour)
	passwordToken(t, s, "bob", "bob", "") // 2026-01-03
	clock.Advance(24 * time.Hour)
	token(t, s, "demo", url.Values{"grant_type": {"client_credentials"}}, "Authorization", basic("demo-service", secret)) // 2026-01-04
	day2 := epoch.Add(24 * time.Hour).UnixMilli()
	for _, tc := range []struct {
		query string
		want  []string // usernames, or the client for CLIENT_LOGIN
	}{
		{"", []string{"service-account-demo-service", "bob", "alice"}},
		{"?direction=asc", []string{"alice", "bob", "service-account-demo-service"}},
		{"?type=LOGIN", []string{"bob", "alice"}},
		{"?type=LOGIN&type=CLIENT_LOGIN", []string{"service-account-demo-service", "bob", "alice"}},
		{"?client=demo-service", []string{"service-account-demo-service"}},
		{"?user=" + alice, []string{"alice"}},
		{"?ipAddress=127.0.0.1", []string{"service-account-demo-service", "bob", "alice"}},
		{"?ipAddress=10.0.0.1", nil},
		{"?dateFrom=2026-01-03", []string{"service-account-demo-service", "bob"}},
		{"?dateTo=2026-01-03", []string{"bob", "alice"}},
		{"?dateFrom=2026-01-03&dateTo=2026-01-03", []string{"bob"}},
		{"?dateFrom=" + strconv.FormatInt(day2, 10) + "&dateTo=" + strconv.FormatInt(day2, 10), []string{"bob"}},
		{"?first=1&max=1", []string{"bob"}},
		{"?max=0", nil},
	} {
		var got []string
		for _, e := range listEvents(t, s, tc.query) {
			got = append(got, e.Details["username"])
		}
		if d := cmp.Diff(tc.want, got); d != "" {
			t.Errorf("%s (-want +got):\n%s", tc.query, d)
		}
	}
	tok := adminToken(t, s)
	for _, tc := range []struct {
		query  string
		status int
		body   string
	}{
		{"?dateFrom=yesterday", 400, `{"error":"Invalid value for 'dateFrom', expected format is yyyy-MM-dd or an Epoch timestamp"}`},
		{"?dateTo=x", 400, `{"error":"Invalid value for 'dateTo', expected format is yyyy-MM-dd or an Epoch timestamp"}`},
		{"?direction=up", 400, `{"error":"Invalid value for sortDirection, expected value is asc or desc"}`},
		{"?first=abc", 404, `{"error":"HTTP 404 Not Found"}`},
		{"?type=NOPE", 500, `{"error":"unknown_error","error_description":"For more on this error consult the server log."}`},
	} {
		res := adminDo(t, s, tok, "GET", "/admin/realms/demo/events"+tc.query, "")
		if res.status != tc.status || strings.TrimSpace(string(res.body)) != tc.body {
			t.Errorf("%s: %d %s, want %d %s", tc.query, res.status, res.body, tc.status, tc.body)
		}
	}
	if res := adminDo(t, s, tok, "DELETE", "/admin/realms/demo/events", ""); res.status != http.StatusNoContent {
		t.Fatalf("delete: %d", res.status)
	}
	if evs := listEvents(t, s, ""); len(evs) != 0 {
		t.Fatalf("after delete: %v", eventTypesOf(evs))
	}
}

// TestEventsExpiration pins eventsExpiration: events older than it are
// gone.
func TestEventsExpiration(t *testing.T) {
	t.Parallel()
	s, clock := eventsRealm(t, `{"eventsEnabled":true,"eventsExpiration":3600}`)
	passwordToken(t, s, "alice", "alice", "")
	clock.Advance(30 * time.Minute)
	passwordToken(t, s, "bob", "bob", "")
	clock.Advance(31 * time.Minute)
	var got []string
	for _, e := range listEvents(t, s, "") {
		got = append(got, e.Details["username"])
	}
	if !slices.Equal(got, []string{"bob"}) {
		t.Fatalf("got %v, want [bob]", got)
	}
}

// TestBruteForceLockoutEvents pins the events the brute-force detector
// raises (DefaultBruteForceProtector.sendEvent) and the login's
// user_temporarily_disabled error (ValidateUsername).
func TestBruteForceLockoutEvents(t *testing.T) {
	t.Parallel()
	s, _, id := bruteForceRealm(t, `{"bruteForceProtected":true,"failureFactor":1,"waitIncrementSeconds":60}`)
	if res := adminDo(t, s, adminToken(t, s), "PUT", "/admin/realms/demo/events/config", `{"eventsEnabled":true}`); res.status != http.StatusNoContent {
		t.Fatal(res.status)
	}
	passwordLogin(t, s, "wrong")
	passwordLogin(t, s, "alice")
	evs := listEvents(t, s, "?direction=asc")
	if d := cmp.Diff([]string{"USER_DISABLED_BY_TEMPORARY_LOCKOUT", "LOGIN_ERROR", "LOGIN_ERROR"}, eventTypesOf(evs)); d != "" {
		t.Fatalf("(-want +got):\n%s", d)
	}
	if e := evs[0]; e.UserID != id || e.Details["reason"] != "brute_force_attack detected" || e.Details["num_failures"] != "1" || e.Details["not_before"] == "" {
		t.Errorf("lockout event: %+v", e)
	}
	if evs[1].Error != "invalid_user_credentials" || evs[2].Error != "user_temporarily_disabled" {
		t.Errorf("errors: %q %q", evs[1].Error, evs[2].Error)
	}
}

// TestAdminEventsRecording pins when admin events are recorded, as
// measured on Keycloak 26: the events/config write that turns
// adminEventsEnabled on or off records itself, writes after it is off are
// not recorded, the details flag counts at its new value, and the realm's
// own update has no resourcePath. PUT events/config without eventsEnabled
// or eventsExpiration resets them (RepresentationToModel.updateRealmEventsConfig).
func TestAdminEventsRecording(t *testing.T) {
	t.Parallel()
	s, _ := startDemo(t)
	tok := adminToken(t, s)
	put := func(path, body string) {
		t.Helper()
		if res := adminDo(t, s, tok, "PUT", "/admin/realms/demo"+path, body); res.status != http.StatusNoContent {
			t.Fatalf("PUT %s: %d %s", path, res.status, res.body)
		}
	}
	put("/events/config", `{"eventsEnabled":true,"eventsExpiration":900,"adminEventsEnabled":true,"adminEventsDetailsEnabled":true}`)
	put("", `{"displayName":"Demo"}`)
	put("/events/config", `{"adminEventsEnabled":false,"adminEventsDetailsEnabled":false}`)
	put("", `{"displayName":"Not recorded"}`)
	res := adminDo(t, s, tok, "GET", "/admin/realms/demo/admin-events?direction=asc", "")
	var evs []map[string]any
	if err := json.Unmarshal(res.body, &evs); err != nil {
		t.Fatal(err)
	}
	type row struct {
		Op, Type string
		Path     any
		HasRep   bool
	}
	var got []row
	for _, e := range evs {
		_, hasRep := e["representation"]
		got = append(got, row{e["operationType"].(string), e["resourceType"].(string), e["resourcePath"], hasRep})
	}
	want := []row{{"UPDATE", "REALM", "events/config", true}, {"UPDATE", "REALM", nil, true}, {"UPDATE", "REALM", "events/config", false}}
	if d := cmp.Diff(want, got); d != "" {
		t.Fatalf("admin events (-want +got):\n%s", d)
	}
	cfg := adminDo(t, s, tok, "GET", "/admin/realms/demo/events/config", "").json()
	if cfg["eventsEnabled"] != false || cfg["eventsExpiration"] != nil {
		t.Fatalf("a config without eventsEnabled kept it: %v", cfg)
	}
}
