package kctest_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kcgo/kc/keycloak/kctest"
)

// adminToken logs in as master's bootstrap admin through admin-cli.
func adminToken(t *testing.T, s *kctest.Server) string {
	t.Helper()
	res := postForm(t, oidcURL(s, "master", "token"), url.Values{
		"grant_type": {"password"}, "client_id": {"admin-cli"}, "username": {"admin"}, "password": {"admin"},
	})
	tok := res.str("access_token")
	if tok == "" {
		t.Fatalf("admin login: %d %s", res.status, res.body)
	}
	return tok
}

// adminDo sends an Admin REST request with the bearer token and an
// optional JSON body.
func adminDo(t *testing.T, s *kctest.Server, tok, method, path, body string) result {
	t.Helper()
	var hdr []string
	if tok != "" {
		hdr = append(hdr, "Authorization", "Bearer "+tok)
	}
	if body == "" {
		return do(t, method, s.URL+path, nil, hdr...)
	}
	return do(t, method, s.URL+path, strings.NewReader(body), append(hdr, "Content-Type", "application/json")...)
}

func startAdmin(t *testing.T) (*kctest.Server, string) {
	t.Helper()
	s := kctest.Start(t)
	if _, err := s.AddRealm(kctest.Realm{Name: "acme"}); err != nil {
		t.Fatal(err)
	}
	return s, adminToken(t, s)
}

// TestAdminWire pins Keycloak's statuses, headers and bodies.
func TestAdminWire(t *testing.T) {
	t.Parallel()
	s, tok := startAdmin(t)
	const users = "/admin/realms/acme/users"
	res := adminDo(t, s, tok, "POST", users, `{"username":"Alice","email":"alice@example.com","enabled":true}`)
	loc := res.header.Get("Location")
	if res.status != 201 || len(res.body) != 0 || !strings.HasPrefix(loc, s.URL+users+"/") {
		t.Fatalf("create: %d %q Location %q", res.status, res.body, loc)
	}
	id := loc[strings.LastIndex(loc, "/")+1:]
	tests := []struct {
		name, method, path, body string
		noAuth                   bool
		status                   int
		want                     string // exact body; "" = not checked
	}{
		{"no token", "GET", users, "", true, 401, `{"error":"HTTP 401 Unauthorized"}`},
		{"unknown realm", "GET", "/admin/realms/nope/users", "", false, 404, `{"error":"Realm not found."}`},
		{"duplicate username", "POST", users, `{"username":"alice"}`, false, 409, `{"errorMessage":"User exists with same username"}`},
		{"duplicate email", "POST", users, `{"username":"alice2","email":"ALICE@example.com"}`, false, 409, `{"errorMessage":"User exists with same email"}`},
		{"username missing", "POST", users, `{"email":"x@example.com"}`, false, 400, `{"errorMessage":"User name is missing"}`},
		{"invalid email", "POST", users, `{"username":"bob","email":"bad"}`, false, 400, `{"field":"email","errorMessage":"error-invalid-email","params":["email","bad"]}`},
		{"two errors", "POST", users, `{"username":"bo","email":"bad"}`, false, 400,
			`{"errors":[{"field":"username","errorMessage":"error-invalid-length","params":["username",3,255]},{"field":"email","errorMessage":"error-invalid-email","params":["email","bad"]}]}`},
		{"user not found", "GET", users + "/nope", "", false, 404, `{"error":"User not found"}`},
		{"count is a bare integer", "GET", users + "/count", "", false, 200, `1`},
		{"group count object", "GET", users + "/" + id + "/groups/count", "", false, 200, `{"count":0}`},
		{"no password", "PUT", users + "/" + id + "/reset-password", `{"type":"password"}`, false, 400, `{"error":"No password provided"}`},
		{"empty password", "PUT", users + "/" + id + "/reset-password", `{"type":"password","value":" "}`, false, 400, `{"error":"Empty password not allowed"}`},
		{"no smtp", "PUT", users + "/" + id + "/execute-actions-email", `["UPDATE_PASSWORD"]`, false, 500,
			`{"errorMessage":"Failed to send execute actions email: No sender address configured in the realm settings for emails"}`},
		{"update", "PUT", users + "/" + id, `{"firstName":"Al","enabled":false}`, false, 204, ``},
		{"role not found", "POST", users + "/" + id + "/role-mappings/realm", `[{"id":"x","name":"y"}]`, false, 404, `{"error":"Role not found"}`},
		{"client not found", "GET", "/admin/realms/acme/clients/nope", "", false, 404, `{"error":"Could not find client"}`},
		{"role missing", "GET", "/admin/realms/acme/roles/nope", "", false, 404, `{"error":"Could not find role"}`},
		{"role duplicate", "POST", "/admin/realms/acme/roles", `{"name":"offline_access"}`, false, 409, `{"errorMessage":"Role with name offline_access already exists"}`},
		{"group name missing", "POST", "/admin/realms/acme/groups", `{}`, false, 400, `{"errorMessage":"Group name is missing"}`},
		{"client duplicate", "POST", "/admin/realms/acme/clients", `{"clientId":"account"}`, false, 409, `{"errorMessage":"Client account already exists"}`},
		{"scope duplicate", "POST", "/admin/realms/acme/client-scopes", `{"name":"email"}`, false, 409, `{"errorMessage":"Client Scope email already exists"}`},
		{"realm duplicate", "POST", "/admin/realms", `{"realm":"acme"}`, false, 409, `{"errorMessage":"Conflict detected. See logs for details"}`},
		{"group path missing", "GET", "/admin/realms/acme/group-by-path/a/b", "", false, 404, `{"error":"Group path does not exist"}`},
		{"organizations off", "GET", "/admin/realms/acme/organizations", "", false, 404, `{"errorMessage":"Organizations not enabled for this realm."}`},
		{"idp missing", "GET", "/admin/realms/acme/identity-provider/instances/nope", "", false, 404, `{"error":"HTTP 404 Not Found"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tk := tok
			if tt.noAuth {
				tk = ""
			}
			res := adminDo(t, s, tk, tt.method, tt.path, tt.body)
			if res.status != tt.status || (tt.want != "" || tt.status == 204) && strings.TrimSpace(string(res.body)) != tt.want {
				t.Errorf("%s %s: got %d %s, want %d %s", tt.method, tt.path, res.status, res.body, tt.status, tt.want)
			}
		})
	}
}

// TestAdminRoleMappingsReachTokens: mappings made through the admin API
// are in the next login's token, composites expanded; a DELETE with a
// JSON body removes them; deleting the user ends the session.
func TestAdminRoleMappingsReachTokens(t *testing.T) {
	t.Parallel()
	s, tok := startAdmin(t)
	if _, err := s.AddClient("acme", kctest.Client{ClientID: "web", Public: true, DirectAccessGrants: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddUser("acme", kctest.User{Username: "una", Password: "pw"}); err != nil {
		t.Fatal(err)
	}
	uid, _ := s.UserID("acme", "una")
	for _, r := range []string{`{"name":"inner"}`, `{"name":"outer"}`} {
		if res := adminDo(t, s, tok, "POST", "/admin/realms/acme/roles", r); res.status != 201 {
			t.Fatalf("create role: %d %s", res.status, res.body)
		}
	}
	inner := adminDo(t, s, tok, "GET", "/admin/realms/acme/roles/inner", "").json()
	outer := adminDo(t, s, tok, "GET", "/admin/realms/acme/roles/outer", "").json()
	if res := adminDo(t, s, tok, "POST", "/admin/realms/acme/roles/outer/composites", `[{"id":"`+inner["id"].(string)+`"}]`); res.status != 204 {
		t.Fatalf("composites: %d %s", res.status, res.body)
	}
	body := `[{"id":"` + outer["id"].(string) + `","name":"outer"}]`
	if res := adminDo(t, s, tok, "POST", "/admin/realms/acme/users/"+uid+"/role-mappings/realm", body); res.status != 204 {
		t.Fatalf("map: %d %s", res.status, res.body)
	}
	loginRoles := func() []string {
		res := postForm(t, oidcURL(s, "acme", "token"), url.Values{"grant_type": {"password"}, "client_id": {"web"}, "username": {"una"}, "password": {"pw"}})
		at := res.str("access_token")
		if at == "" {
			t.Fatalf("login: %d %s", res.status, res.body)
		}
		ra, _ := decodeClaims(t, at)["realm_access"].(map[string]any)
		var out []string
		for _, r := range ra["roles"].([]any) {
			out = append(out, r.(string))
		}
		slices.Sort(out)
		return out
	}
	if got := loginRoles(); !slices.Contains(got, "outer") || !slices.Contains(got, "inner") {
		t.Errorf("roles = %v, want outer and inner", got)
	}
	eff := adminDo(t, s, tok, "GET", "/admin/realms/acme/users/"+uid+"/role-mappings/realm/composite", "")
	if !strings.Contains(string(eff.body), `"name":"inner"`) {
		t.Errorf("composite mappings: %s", eff.body)
	}
	if res := adminDo(t, s, tok, "DELETE", "/admin/realms/acme/users/"+uid+"/role-mappings/realm", body); res.status != 204 {
		t.Fatalf("unmap: %d %s", res.status, res.body)
	}
	if got := loginRoles(); slices.Contains(got, "outer") {
		t.Errorf("roles after unmapping = %v", got)
	}
	sessions := adminDo(t, s, tok, "GET", "/admin/realms/acme/users/"+uid+"/sessions", "")
	var list []map[string]any
	if err := json.Unmarshal(sessions.body, &list); err != nil || len(list) != 2 {
		t.Fatalf("sessions: %s", sessions.body)
	}
	if res := adminDo(t, s, tok, "DELETE", "/admin/realms/acme/users/"+uid, ""); res.status != 204 {
		t.Fatalf("delete: %d", res.status)
	}
	clients := adminDo(t, s, tok, "GET", "/admin/realms/acme/clients?clientId=web", "")
	var cs []map[string]any
	_ = json.Unmarshal(clients.body, &cs)
	count := adminDo(t, s, tok, "GET", "/admin/realms/acme/clients/"+cs[0]["id"].(string)+"/session-count", "")
	if diff := cmp.Diff(`{"count":0}`, string(count.body)); diff != "" {
		t.Errorf("session count after user delete (-want +got):\n%s", diff)
	}
}

// TestAdminGroupCreateSendsBody: Keycloak 26 answers a group creation
// with 201, Location and the group.
func TestAdminGroupCreateSendsBody(t *testing.T) {
	t.Parallel()
	s, tok := startAdmin(t)
	res := adminDo(t, s, tok, "POST", "/admin/realms/acme/groups", `{"name":"g1"}`)
	m := res.json()
	if res.status != 201 || m["name"] != "g1" || !strings.HasSuffix(res.header.Get("Location"), "/groups/"+m["id"].(string)) {
		t.Errorf("create group: %d %s %v", res.status, res.body, res.header)
	}
	res = adminDo(t, s, tok, "POST", "/admin/realms/acme/groups", `{"name":"g1"}`)
	if res.status != http.StatusConflict || string(res.body) != `{"errorMessage":"Top level group named 'g1' already exists."}` {
		t.Errorf("duplicate: %d %s", res.status, res.body)
	}
}
