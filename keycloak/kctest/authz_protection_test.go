package kctest_test

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kcgo/kc/keycloak/kctest"
)

// TestProtectionErrors covers every error row of keycloak-server.md §6
// as raw HTTP.
func TestProtectionErrors(t *testing.T) {
	t.Parallel()
	s, _ := photoz(t)
	pat := pzPAT(t, s)
	alice := pzToken(t, s, "photoz-api", "alice")
	bob := pzToken(t, s, "photoz-api", "bob")
	webToken := pzToken(t, s, "photoz-web", "alice")
	base := s.URL + "/realms/photoz/authz/protection"
	// A resource owned by alice with owner-managed access, one without.
	owned := do(t, http.MethodPost, base+"/resource_set", strings.NewReader(`{"name":"Alice doc","owner":"alice","ownerManagedAccess":true,"resource_scopes":["doc:read"]}`),
		"Authorization", "Bearer "+pat, "Content-Type", "application/json")
	if owned.status != http.StatusCreated {
		t.Fatalf("create: %d %s", owned.status, owned.body)
	}
	ownedID := owned.str("_id")
	plain := do(t, http.MethodPost, base+"/resource_set", strings.NewReader(`{"name":"Alice plain","owner":"alice","resource_scopes":["doc:read"]}`),
		"Authorization", "Bearer "+pat, "Content-Type", "application/json")
	plainID := plain.str("_id")

	tests := []struct {
		name, method, path, token, body string
		status                          int
		code, desc                      string
	}{
		{"no bearer", "GET", "/resource_set", "", "", 403, "invalid_bearer_token", "Could not obtain bearer access_token from request."},
		{"bad bearer", "GET", "/resource_set", "x.y.z", "", 403, "invalid_bearer_token", "Could not obtain bearer access_token from request."},
		{"no uma_protection", "GET", "/resource_set", alice, "", 403, "invalid_scope", "Requires uma_protection scope."},
		{"not a resource server", "POST", "/permission", webToken, `[{"resource_id":"Album"}]`, 403, "invalid_clientId", "Client application [photoz-web] is not registered as a resource server."},
		{"duplicate resource", "POST", "/resource_set", pat, `{"name":"Album"}`, 409, "invalid_request", "Resource with name [Album] already exists."},
		{"missing name", "POST", "/resource_set", pat, `{"type":"x"}`, 400, "invalid_request", "Name is required"},
		{"get unknown", "GET", "/resource_set/nope", pat, "", 404, "", ""},
		{"put unknown", "PUT", "/resource_set/nope", pat, `{"name":"x"}`, 404, "", ""},
		{"delete unknown", "DELETE", "/resource_set/nope", pat, "", 404, "", ""},
		{"empty permission request", "POST", "/permission", pat, `[]`, 400, "invalid_permission_request", "Invalid permission request."},
		{"unknown resource", "POST", "/permission", pat, `[{"resource_id":"nope"}]`, 400, "invalid_resource_id", "Resource set with id [nope] does not exists in this server."},
		{"unknown scope", "POST", "/permission", pat, `[{"resource_id":"Album","resource_scopes":["fly"]}]`, 400, "invalid_scope", "Scope [fly] is invalid"},
		{"ticket: no resource", "POST", "/permission/ticket", alice, `{"requesterName":"bob","scopeName":"doc:read"}`, 400, "invalid_permission", "created permissions should have resource"},
		{"ticket: no scope", "POST", "/permission/ticket", alice, `{"resource":"` + ownedID + `","requesterName":"bob"}`, 400, "invalid_permission", "created permissions should have scope or scopeName"},
		{"ticket: no requester", "POST", "/permission/ticket", alice, `{"resource":"` + ownedID + `","scopeName":"doc:read"}`, 400, "invalid_permission", "created permissions should have requester or requesterName"},
		{"ticket: with id", "POST", "/permission/ticket", alice, `{"id":"x","resource":"` + ownedID + `"}`, 400, "invalid_permission", "created permissions should not have id"},
		{"ticket: not owner", "POST", "/permission/ticket", bob, `{"resource":"` + ownedID + `","requesterName":"carol","scopeName":"doc:read"}`, 403, "not_authorised", "permissions for [" + ownedID + "] can be only created by the owner"},
		{"ticket: not owner managed", "POST", "/permission/ticket", alice, `{"resource":"` + plainID + `","requesterName":"bob","scopeName":"doc:read"}`, 400, "invalid_permission", "permissions for [" + plainID + "] can be only created for resources with owner managed access"},
		{"ticket: unknown requester", "POST", "/permission/ticket", alice, `{"resource":"` + ownedID + `","requesterName":"zed","scopeName":"doc:read"}`, 400, "invalid_permission", "Requester does not exists in this server as user."},
		{"ticket: unknown scope", "POST", "/permission/ticket", alice, `{"resource":"` + ownedID + `","requesterName":"bob","scopeName":"fly"}`, 400, "invalid_scope", "Scope [fly] is invalid"},
		{"ticket: scope not on resource", "POST", "/permission/ticket", alice, `{"resource":"` + ownedID + `","requesterName":"bob","scopeName":"album:view"}`, 400, "invalid_resource_id", "Resource set with id [" + ownedID + "] does not have Scope [album:view]"},
		{"ticket: update unknown", "PUT", "/permission/ticket", pat, `{"id":"nope","granted":true}`, 400, "invalid_request", "invalid_ticket"},
		{"ticket: delete unknown", "DELETE", "/permission/ticket/nope", pat, "", 400, "invalid_request", "invalid_ticket"},
		{"policy: unknown resource", "POST", "/uma-policy/nope", alice, `{"name":"p"}`, 400, "invalid_request", "Resource [nope] cannot be found"},
		{"policy: not owner", "POST", "/uma-policy/" + ownedID, bob, `{"name":"p"}`, 400, "invalid_request", "Only resource owner can access policies for resource [" + ownedID + "]"},
		{"policy: not owner managed", "POST", "/uma-policy/" + plainID, alice, `{"name":"p"}`, 400, "invalid_request", "Only resources with owner managed accessed can have policies"},
		{"policy: unknown", "GET", "/uma-policy/nope", alice, "", 404, "invalid_request", "Policy with [nope] does not exist"},
		{"policy: other's", "DELETE", "/uma-policy/nope", bob, "", 404, "invalid_request", "Policy with [nope] does not exist"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var h []string
			if tt.token != "" {
				h = append(h, "Authorization", "Bearer "+tt.token)
			}
			var body *strings.Reader
			if tt.body != "" {
				body = strings.NewReader(tt.body)
				h = append(h, "Content-Type", "application/json")
			}
			var r result
			if body != nil {
				r = do(t, tt.method, base+tt.path, body, h...)
			} else {
				r = do(t, tt.method, base+tt.path, nil, h...)
			}
			if r.status != tt.status || r.str("error") != tt.code || r.str("error_description") != tt.desc {
				t.Errorf("got %d %s, want %d %s %s", r.status, r.body, tt.status, tt.code, tt.desc)
			}
		})
	}

	// Ticket twice.
	body := `{"resource":"` + ownedID + `","requesterName":"bob","scopeName":"doc:read"}`
	hdr := []string{"Authorization", "Bearer " + alice, "Content-Type", "application/json"}
	if r := do(t, "POST", base+"/permission/ticket", strings.NewReader(body), hdr...); r.status != 200 || r.str("requester") == "" {
		t.Fatalf("ticket: %d %s", r.status, r.body)
	}
	if r := do(t, "POST", base+"/permission/ticket", strings.NewReader(body), hdr...); r.status != 400 || r.str("error_description") != "Permission already exists" {
		t.Errorf("ticket twice: %d %s", r.status, r.body)
	}
	if r := do(t, "GET", base+"/permission/ticket/count?requester=bob", nil, "Authorization", "Bearer "+pat); string(r.body) != "1" {
		t.Errorf("count = %s", r.body)
	}

	// Remote management off.
	admin := token(t, s, "master", url.Values{"grant_type": {"password"}, "client_id": {"admin-cli"}, "username": {"admin"}, "password": {"admin"}})["access_token"].(string)
	if r := do(t, http.MethodPut, adminRSURL(t, s, admin, "photoz", "photoz-api"), strings.NewReader(`{"allowRemoteResourceManagement":false,"policyEnforcementMode":"ENFORCING"}`),
		"Authorization", "Bearer "+admin, "Content-Type", "application/json"); r.status != 204 {
		t.Fatalf("PUT: %d %s", r.status, r.body)
	}
	if r := do(t, "POST", base+"/resource_set", strings.NewReader(`{"name":"x"}`), "Authorization", "Bearer "+pat, "Content-Type", "application/json"); r.status != 400 ||
		r.str("error") != "not_supported" || r.str("error_description") != "Remote management is disabled." {
		t.Errorf("remote management off, resource: %d %s", r.status, r.body)
	}
	if r := do(t, "POST", base+"/uma-policy/"+ownedID, strings.NewReader(`{"name":"x"}`), "Authorization", "Bearer "+alice, "Content-Type", "application/json"); r.status != 403 ||
		r.str("error") != "request_not_supported" {
		t.Errorf("remote management off, policy: %d %s", r.status, r.body)
	}
}

// TestProtectionResourceSet covers create/read/update/delete and the
// query parameters of resource_set.
func TestProtectionResourceSet(t *testing.T) {
	t.Parallel()
	s, _ := photoz(t)
	pat := pzPAT(t, s)
	base := s.URL + "/realms/photoz/authz/protection/resource_set"
	auth := []string{"Authorization", "Bearer " + pat, "Content-Type", "application/json"}
	r := do(t, "POST", base, strings.NewReader(`{"name":"Doc","type":"urn:doc","uri":"/docs/1","resource_scopes":[{"name":"doc:read"},"doc:write"],"icon_uri":"i","displayName":"A doc","attributes":{"a":["b"]}}`), auth...)
	if r.status != 201 {
		t.Fatalf("create: %d %s", r.status, r.body)
	}
	m := r.json()
	id := m["_id"].(string)
	owner := m["owner"].(map[string]any)
	if owner["name"] != "photoz-api" || m["icon_uri"] != "i" || m["displayName"] != "A doc" || len(asSlice(m["resource_scopes"])) != 2 || asSlice(m["uris"])[0] != "/docs/1" {
		t.Errorf("created = %s", r.body)
	}
	if r := do(t, "PUT", base+"/"+id, strings.NewReader(`{"name":"Doc 2","uris":["/docs/2"],"resource_scopes":["doc:read"]}`), auth...); r.status != 204 {
		t.Fatalf("update: %d %s", r.status, r.body)
	}
	g := do(t, "GET", base+"/"+id, nil, auth...)
	if g.str("name") != "Doc 2" || len(asSlice(g.json()["resource_scopes"])) != 1 {
		t.Errorf("after update: %s", g.body)
	}
	list := func(q string) string {
		t.Helper()
		r := do(t, "GET", base+"?"+q, nil, auth...)
		if r.status != 200 {
			t.Fatalf("list %s: %d %s", q, r.status, r.body)
		}
		return string(r.body)
	}
	if got := list("name=Doc+2"); got != `["`+id+`"]` {
		t.Errorf("ids = %s", got)
	}
	if got := list("name=doc&exactName=true"); got != `[]` {
		t.Errorf("exactName = %s", got)
	}
	if got := list("uri=/docs/2&deep=true"); !strings.Contains(got, `"name":"Doc 2"`) || !strings.HasPrefix(got, "[{") {
		t.Errorf("deep = %s", got)
	}
	if got := list("uri=/albums/9&matchingUri=true&deep=true"); !strings.Contains(got, `"name":"Album"`) {
		t.Errorf("matchingUri = %s", got)
	}
	if got := list("scope=nope"); got != `[]` {
		t.Errorf("unknown scope = %s", got)
	}
	if got := list("first=1&max=2"); strings.Count(got, ",") != 1 {
		t.Errorf("paged = %s", got)
	}
	if r := do(t, "DELETE", base+"/"+id, nil, auth...); r.status != 204 {
		t.Errorf("delete: %d", r.status)
	}
}

// TestUMAFlowRaw: register, deny with a ticket, approve, grant.
func TestUMAFlowRaw(t *testing.T) {
	t.Parallel()
	s, _ := photoz(t)
	pat := pzPAT(t, s)
	alice := pzToken(t, s, "photoz-api", "alice")
	bob := pzToken(t, s, "photoz-web", "bob")
	base := s.URL + "/realms/photoz/authz/protection"
	r := do(t, "POST", base+"/resource_set", strings.NewReader(`{"name":"Diary","owner":"alice","ownerManagedAccess":true,"resource_scopes":["diary:read","diary:write"]}`),
		"Authorization", "Bearer "+pat, "Content-Type", "application/json")
	id := r.str("_id")
	ticket := pzTicket(t, s, pat, `[{"resource_id":"`+id+`"}]`)
	if r := uma(t, s, "photoz", bob, url.Values{"ticket": {ticket}}); r.str("error_description") != "request_submitted" {
		t.Fatalf("bob: %d %s", r.status, r.body)
	}
	// No scopes asked: a request per scope of the resource.
	tickets := do(t, "GET", base+"/permission/ticket?granted=false&returnNames=true", nil, "Authorization", "Bearer "+alice)
	var pending []map[string]any
	for _, it := range asSlice(anyJSON(tickets.body)) {
		pending = append(pending, it.(map[string]any))
	}
	if len(pending) != 2 || pending[0]["requesterName"] != "bob" {
		t.Fatalf("pending = %s", tickets.body)
	}
	// Keycloak: RepresentationToModel.toModel(PermissionTicketRepresentation)
	// grants a ticket updated with granted true and deletes one updated
	// with granted false.
	for _, p := range pending {
		granted := p["scopeName"] == "diary:read"
		body := fmt.Sprintf(`{"id":%q,"granted":%t}`, p["id"], granted)
		if r := do(t, "PUT", base+"/permission/ticket", strings.NewReader(body),
			"Authorization", "Bearer "+alice, "Content-Type", "application/json"); r.status != 204 {
			t.Fatalf("update %s: %d %s", body, r.status, r.body)
		}
	}
	all := do(t, "GET", base+"/permission/ticket?returnNames=true", nil, "Authorization", "Bearer "+alice)
	if n := len(asSlice(anyJSON(all.body))); n != 1 || !strings.Contains(string(all.body), `"scopeName":"diary:read"`) {
		t.Fatalf("tickets after grant and deny = %s, want only the granted one", all.body)
	}
	r = uma(t, s, "photoz", bob, url.Values{"ticket": {ticket}})
	if r.status != 200 {
		t.Fatalf("bob after approval: %d %s", r.status, r.body)
	}
	if got := rptPerms(t, r.str("access_token")); len(got) != 1 || got[0] != "Diary#diary:read" {
		t.Errorf("RPT = %v", got)
	}
	// Without a ticket, bob's RPT lists what was shared with him.
	r = uma(t, s, "photoz", bob, url.Values{"audience": {"photoz-api"}, "permission": {"Diary"}})
	if got := rptPerms(t, r.str("access_token")); len(got) != 1 || got[0] != "Diary#diary:read" {
		t.Errorf("by name: %d %s", r.status, r.body)
	}
}

// TestUMAPolicyRoleNames pins the roles of a user-managed policy given as
// names, a client role as "client/role" (UmaPermissionRepresentation,
// UserManagedPermissionUtil), as gocloak's CreateResourcePolicy sends them.
func TestUMAPolicyRoleNames(t *testing.T) {
	t.Parallel()
	s, _ := photoz(t)
	if _, err := s.AddClientRole("photoz", "photoz-api", kctest.Role{Name: "editor"}); err != nil {
		t.Fatal(err)
	}
	pat := pzPAT(t, s)
	alice := pzToken(t, s, "photoz-api", "alice")
	base := s.URL + "/realms/photoz/authz/protection"
	owned := do(t, http.MethodPost, base+"/resource_set", strings.NewReader(`{"name":"Alice notes","owner":"alice","ownerManagedAccess":true,"resource_scopes":["doc:read"]}`),
		"Authorization", "Bearer "+pat, "Content-Type", "application/json")
	r := do(t, "POST", base+"/uma-policy/"+owned.str("_id"), strings.NewReader(`{"name":"by role","scopes":["doc:read"],"roles":["photoz-api/editor","premium"]}`),
		"Authorization", "Bearer "+alice, "Content-Type", "application/json")
	if r.status != http.StatusOK {
		t.Fatalf("create: %d %s", r.status, r.body)
	}
	got := asSlice(r.json()["roles"])
	want := []any{"photoz-api/editor", "premium"}
	slices.SortFunc(got, func(a, b any) int { return strings.Compare(a.(string), b.(string)) })
	if d := cmp.Diff(want, got); d != "" {
		t.Fatalf("roles (-want +got):\n%s", d)
	}
	if r := do(t, "POST", base+"/uma-policy/"+owned.str("_id"), strings.NewReader(`{"name":"bad","scopes":["doc:read"],"roles":["nope"]}`),
		"Authorization", "Bearer "+alice, "Content-Type", "application/json"); r.status != http.StatusBadRequest || !strings.Contains(string(r.body), "[nope]") {
		t.Fatalf("unknown role: %d %s", r.status, r.body)
	}
}
