package kctest_test

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kcgo/kc/keycloak/kctest"
)

func masterAdmin(t *testing.T, s *kctest.Server) string {
	t.Helper()
	return token(t, s, "master", url.Values{"grant_type": {"password"}, "client_id": {"admin-cli"}, "username": {"admin"}, "password": {"admin"}})["access_token"].(string)
}

// TestAuthzDefaults: enabling authorization services creates the
// uma_protection role for the service account and Keycloak's default
// resource, policy and permission, which grant any user.
func TestAuthzDefaults(t *testing.T) {
	t.Parallel()
	s := kctest.Start(t)
	if _, err := s.AddRealm(kctest.Realm{Name: "shop"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddClient("shop", kctest.Client{ClientID: "shop-api", Secret: "s", AuthorizationServices: true, DirectAccessGrants: true, ServiceAccounts: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddUser("shop", kctest.User{Username: "ann", Password: "pw"}); err != nil {
		t.Fatal(err)
	}
	admin := masterAdmin(t, s)
	rs := adminRSURL(t, s, admin, "shop", "shop-api")
	get := func(path string) result {
		t.Helper()
		r := do(t, http.MethodGet, rs+path, nil, "Authorization", "Bearer "+admin)
		if r.status != 200 {
			t.Fatalf("GET %s: %d %s", path, r.status, r.body)
		}
		return r
	}
	res := anyJSON(get("/resource").body)
	if items := asSlice(res); len(items) != 1 || items[0].(map[string]any)["name"] != "Default Resource" ||
		items[0].(map[string]any)["type"] != "urn:shop-api:resources:default" {
		t.Errorf("resources = %v", res)
	}
	var names []string
	for _, p := range asSlice(anyJSON(get("/policy").body)) {
		m := p.(map[string]any)
		names = append(names, m["name"].(string)+"/"+m["type"].(string))
	}
	if diff := cmp.Diff([]string{"Default Permission/resource", "Default Policy/js"}, names); diff != "" {
		t.Errorf("policies (-want +got):\n%s", diff)
	}
	settings := get("/settings").json()
	if settings["policyEnforcementMode"] != "ENFORCING" || settings["decisionStrategy"] != "UNANIMOUS" {
		t.Errorf("settings = %v", settings)
	}
	user := token(t, s, "shop", url.Values{"grant_type": {"password"}, "username": {"ann"}, "password": {"pw"}}, "Authorization", basic("shop-api", "s"))["access_token"].(string)
	r := uma(t, s, "shop", user, url.Values{"audience": {"shop-api"}})
	if got := rptPerms(t, r.str("access_token")); len(got) != 1 || got[0] != "Default Resource#" {
		t.Errorf("default permission: %d %s", r.status, r.body)
	}
	pat := token(t, s, "shop", url.Values{"grant_type": {"client_credentials"}}, "Authorization", basic("shop-api", "s"))["access_token"].(string)
	if r := do(t, http.MethodGet, s.URL+"/realms/shop/authz/protection/resource_set", nil, "Authorization", "Bearer "+pat); r.status != 200 {
		t.Errorf("PAT of the new resource server: %d %s", r.status, r.body)
	}
}

// TestAuthzAdmin configures a resource server through the Admin REST API:
// scopes, resources, policies of each type and permissions, then checks
// the decisions.
func TestAuthzAdmin(t *testing.T) {
	t.Parallel()
	s := kctest.Start(t)
	if _, err := s.AddRealm(kctest.Realm{Name: "shop"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddClient("shop", kctest.Client{ClientID: "shop-api", Secret: "s", AuthorizationServices: true, DirectAccessGrants: true, ServiceAccounts: true}); err != nil {
		t.Fatal(err)
	}
	for _, u := range []kctest.User{{Username: "ann", Password: "pw", RealmRoles: []string{"clerk"}}, {Username: "ben", Password: "pw"}} {
		if _, err := s.AddUser("shop", u); err != nil {
			t.Fatal(err)
		}
	}
	admin := masterAdmin(t, s)
	rs := adminRSURL(t, s, admin, "shop", "shop-api")
	send := func(method, path, body string, want int) result {
		t.Helper()
		var r result
		if body == "" {
			r = do(t, method, rs+path, nil, "Authorization", "Bearer "+admin)
		} else {
			r = do(t, method, rs+path, strings.NewReader(body), "Authorization", "Bearer "+admin, "Content-Type", "application/json")
		}
		if r.status != want {
			t.Fatalf("%s %s: %d %s, want %d", method, path, r.status, r.body, want)
		}
		return r
	}
	// Drop the defaults.
	for _, p := range asSlice(anyJSON(send("GET", "/policy", "", 200).body)) {
		send("DELETE", "/policy/"+p.(map[string]any)["id"].(string), "", 204)
	}
	defRes := asSlice(anyJSON(send("GET", "/resource", "", 200).body))[0].(map[string]any)["_id"].(string)
	send("DELETE", "/resource/"+defRes, "", 204)

	read := send("POST", "/scope", `{"name":"order:read"}`, 201).json()
	send("POST", "/scope", `{"name":"order:read"}`, 409)
	send("POST", "/scope", `{"name":"order:write","displayName":"Write"}`, 201)
	res := send("POST", "/resource", `{"name":"Orders","uris":["/orders/*"],"type":"urn:shop:orders","scopes":[{"name":"order:read"},{"name":"order:write"}],"ownerManagedAccess":false}`, 201).json()
	send("POST", "/resource", `{"name":"Orders"}`, 409)
	if got := send("GET", "/resource/search?name=Orders", "", 200).json(); got["_id"] != res["_id"] {
		t.Errorf("search = %v", got)
	}
	if got := send("GET", "/scope/"+read["id"].(string)+"/resources", "", 200); !strings.Contains(string(got.body), "Orders") {
		t.Errorf("scope resources = %s", got.body)
	}
	clerk := send("POST", "/policy/role", `{"name":"Clerks","roles":[{"id":"clerk","required":false}]}`, 201).json()
	send("POST", "/policy/user", `{"name":"Ben","users":["ben"]}`, 201)
	send("POST", "/policy", `{"name":"Not Ben","type":"user","logic":"NEGATIVE","config":{"users":"[\"ben\"]"}}`, 201)
	send("POST", "/policy/client", `{"name":"Shop API","clients":["shop-api"]}`, 201)
	send("POST", "/policy/aggregate", `{"name":"Clerk or Ben","decisionStrategy":"AFFIRMATIVE","policies":["Clerks","Ben"]}`, 201)
	send("POST", "/policy/role", `{"name":"Clerks"}`, 409)
	send("POST", "/policy/nope", `{"name":"Bad"}`, 400)
	send("POST", "/permission/scope", `{"name":"Read orders","scopes":["order:read"],"policies":["Clerk or Ben"],"decisionStrategy":"UNANIMOUS"}`, 201)
	write := send("POST", "/permission/scope", `{"name":"Write orders","resources":["Orders"],"scopes":["order:write"],"policies":["Clerks","Not Ben"],"decisionStrategy":"UNANIMOUS"}`, 201).json()
	send("POST", "/permission/resource", `{"name":"Bad","resources":["Nope"],"policies":["Clerks"]}`, 400)

	if got := send("GET", "/policy/"+clerk["id"].(string), "", 200).json(); got["type"] != "role" || !strings.Contains(got["config"].(map[string]any)["roles"].(string), `"required":false`) {
		t.Errorf("GET role policy = %v", got)
	}
	if got := send("GET", "/policy/role/"+clerk["id"].(string), "", 200).json(); got["name"] != "Clerks" {
		t.Errorf("GET typed = %v", got)
	}
	if got := send("GET", "/permission/"+write["id"].(string)+"/associatedPolicies", "", 200); !strings.Contains(string(got.body), "Not Ben") {
		t.Errorf("associated = %s", got.body)
	}
	if got := send("GET", "/policy/"+clerk["id"].(string)+"/dependentPolicies", "", 200); !strings.Contains(string(got.body), "Write orders") {
		t.Errorf("dependent = %s", got.body)
	}
	var permNames []string
	for _, p := range asSlice(anyJSON(send("GET", "/permission", "", 200).body)) {
		permNames = append(permNames, p.(map[string]any)["name"].(string))
	}
	if diff := cmp.Diff([]string{"Read orders", "Write orders"}, permNames); diff != "" {
		t.Errorf("permissions (-want +got):\n%s", diff)
	}
	if got := send("GET", "/resource/"+res["_id"].(string)+"/permissions", "", 200); !strings.Contains(string(got.body), "Write orders") {
		t.Errorf("resource permissions = %s", got.body)
	}

	ask := func(user string) []string {
		tok := token(t, s, "shop", url.Values{"grant_type": {"password"}, "username": {user}, "password": {"pw"}}, "Authorization", basic("shop-api", "s"))["access_token"].(string)
		r := uma(t, s, "shop", tok, url.Values{"audience": {"shop-api"}, "permission": {"Orders"}})
		if r.status == 403 {
			return nil
		}
		return rptPerms(t, r.str("access_token"))
	}
	if diff := cmp.Diff([]string{"Orders#order:read,order:write"}, ask("ann")); diff != "" {
		t.Errorf("ann (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"Orders#order:read"}, ask("ben")); diff != "" {
		t.Errorf("ben (-want +got):\n%s", diff)
	}
	// Update: ben becomes a reader no more.
	send("PUT", "/policy/"+write["id"].(string), `{"name":"Write orders","resources":["Orders"],"scopes":["order:write"],"policies":["Clerks"],"decisionStrategy":"UNANIMOUS"}`, 201)
	send("PUT", "/permission/scope/"+write["id"].(string), `{"name":"Write orders","scopes":["order:write"],"policies":["Ben"]}`, 201)
	if diff := cmp.Diff([]string{"Orders#order:read"}, ask("ann")); diff != "" {
		t.Errorf("ann after update (-want +got):\n%s", diff)
	}
	// Export and re-import by name.
	settings := send("GET", "/settings", "", 200)
	if !strings.Contains(string(settings.body), `"applyPolicies":"[\"Clerk or Ben\"]"`) {
		t.Errorf("export names policies by name: %s", settings.body)
	}
	send("POST", "/import", string(settings.body), 204)
	if n := len(asSlice(anyJSON(send("GET", "/policy", "", 200).body))); n != 7 {
		t.Errorf("%d policies after re-import, want 7", n)
	}
	send("DELETE", "/scope/"+read["id"].(string), "", 204)
	send("GET", "/scope/"+read["id"].(string), "", 404)
	send("DELETE", "/resource/"+res["_id"].(string), "", 204)
	send("GET", "/resource/"+res["_id"].(string), "", 404)

	// Auth: no token, and a user without management roles.
	if r := do(t, "GET", rs, nil); r.status != 401 {
		t.Errorf("no token: %d", r.status)
	}
	ann := token(t, s, "shop", url.Values{"grant_type": {"password"}, "username": {"ann"}, "password": {"pw"}}, "Authorization", basic("shop-api", "s"))["access_token"].(string)
	if r := do(t, "GET", rs, nil, "Authorization", "Bearer "+ann); r.status != 403 {
		t.Errorf("no role: %d", r.status)
	}
	if r := do(t, "GET", s.URL+"/admin/realms/shop/clients/nope/authz/resource-server", nil, "Authorization", "Bearer "+admin); r.status != 404 {
		t.Errorf("unknown client: %d", r.status)
	}
}

// TestImportPlaygroundAuthz evaluates the test-app-authz settings of the
// playground export (role names with "required", UNANIMOUS server).
func TestImportPlaygroundAuthz(t *testing.T) {
	t.Parallel()
	s := kctest.Start(t, kctest.WithRealmFile(sampleFile(t, "playground-test-realm.json")))
	admin := masterAdmin(t, s)
	rs := adminRSURL(t, s, admin, "test", "test-app-authz")
	r := do(t, "GET", rs+"/settings", nil, "Authorization", "Bearer "+admin)
	var names []string
	for _, p := range asSlice(r.json()["resources"]) {
		names = append(names, p.(map[string]any)["name"].(string))
	}
	slices.Sort(names)
	if diff := cmp.Diff([]string{"Admin Resource", "Main Page", "Premium Resource", "Protected Resource"}, names); diff != "" {
		t.Errorf("resources (-want +got):\n%s", diff)
	}
	if n := len(asSlice(r.json()["policies"])); n != 10 {
		t.Errorf("%d policies, want 10", n)
	}
	// The service account asks for itself: it has the realm role user, so
	// "All Users Policy" grants the Protected Resource; the premium one
	// needs customer-user-premium.
	ask := func(perm string) result {
		return postForm(t, oidcURL(s, "test", "token"), url.Values{"grant_type": {umaGrant}, "audience": {"test-app-authz"}, "permission": {perm}},
			"Authorization", basic("test-app-authz", "secret"))
	}
	if res := ask("Protected Resource"); res.status != 200 || !slices.Equal(rptPerms(t, res.str("access_token")), []string{"Protected Resource#resource-access"}) {
		t.Errorf("service account, protected: %d %s", res.status, res.body)
	}
	if res := ask("Premium Resource"); res.status != 403 || res.str("error_description") != "not_authorized" {
		t.Errorf("service account, premium: %d %s", res.status, res.body)
	}
}

// TestAuthzEnabledThroughAdmin: a client created through the Admin REST
// API with authorization services gets the uma_protection role on its
// service account and the default resource server.
func TestAuthzEnabledThroughAdmin(t *testing.T) {
	t.Parallel()
	s := kctest.Start(t)
	admin := masterAdmin(t, s)
	r := do(t, http.MethodPost, s.URL+"/admin/realms/master/clients", strings.NewReader(
		`{"clientId":"rs","secret":"pw","serviceAccountsEnabled":true,"authorizationServicesEnabled":true}`),
		"Authorization", "Bearer "+admin, "Content-Type", "application/json")
	if r.status != http.StatusCreated {
		t.Fatalf("create client: %d %s", r.status, r.body)
	}
	pat := token(t, s, "master", url.Values{"grant_type": {"client_credentials"}}, "Authorization", basic("rs", "pw"))["access_token"].(string)
	res := do(t, http.MethodGet, s.URL+"/realms/master/authz/protection/resource_set?deep=true", nil, "Authorization", "Bearer "+pat)
	if res.status != 200 || !strings.Contains(string(res.body), `"name":"Default Resource"`) {
		t.Errorf("resource_set: %d %s", res.status, res.body)
	}
	rs := adminRSURL(t, s, admin, "master", "rs")
	if got := do(t, http.MethodGet, rs, nil, "Authorization", "Bearer "+admin); got.str("policyEnforcementMode") != "ENFORCING" {
		t.Errorf("resource server = %s", got.body)
	}
}

// TestImportWithoutAuthzSettings: an imported client with authorization
// services but no settings has an empty resource server (no defaults).
func TestImportWithoutAuthzSettings(t *testing.T) {
	t.Parallel()
	s := kctest.Start(t, kctest.WithRealmJSON([]byte(`{"realm":"bare","enabled":true,
		"clients":[{"clientId":"rs","secret":"pw","authorizationServicesEnabled":true}]}`)))
	admin := masterAdmin(t, s)
	r := do(t, http.MethodGet, adminRSURL(t, s, admin, "bare", "rs")+"/resource", nil, "Authorization", "Bearer "+admin)
	if r.status != 200 || string(r.body) != "[]" {
		t.Errorf("resources: %d %s", r.status, r.body)
	}
}
