package kctest_test

import (
	"encoding/json"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kcgo/kc/keycloak/kctest"
)

type mgmtRef struct {
	Enabled          bool              `json:"enabled"`
	Resource         string            `json:"resource"`
	ScopePermissions map[string]string `json:"scopePermissions"`
}

// TestFGAPv1Off: with Keycloak 26's defaults (admin-fine-grained-authz:v2,
// v1 off) every management/permissions endpoint answers 501.
// Keycloak: RealmAdminResource.getUserMgmtPermissions and the
// getManagementPermissions of ClientResource, RoleContainerResource,
// RoleByIdResource, GroupResource and IdentityProviderResource start with
// ProfileHelper.requireFeature(ADMIN_FINE_GRAINED_AUTHZ), which throws
// WebApplicationException("Feature not enabled", NOT_IMPLEMENTED).
func TestFGAPv1Off(t *testing.T) {
	t.Parallel()
	s, tok := startAdmin(t)
	for _, path := range []string{"/users-management-permissions", "/roles/offline_access/management/permissions"} {
		for _, m := range []string{"GET", "PUT"} {
			wantBody(t, m+" "+path, adminDo(t, s, tok, m, "/admin/realms/acme"+path, `{"enabled":true}`), 501, `{"error":"Feature not enabled"}`)
		}
	}
	wantBody(t, "without a token", adminDo(t, s, "", "GET", "/admin/realms/acme/users-management-permissions", ""), 401, `{"error":"HTTP 401 Unauthorized"}`)
}

// TestFGAPv1 pins what Keycloak answers with admin-fine-grained-authz:v1:
// {"enabled":false} until a PUT turns a target's permissions on, then the
// ManagementPermissionReference with the id of the resource and of one
// scope permission per scope, all in realm-management's authorization
// services; a PUT with enabled false deletes them.
// Keycloak: MgmtPermissions.initializeRealmResourceServer,
// UserPermissions.initialize ("Users", view.permission.users, ...),
// ClientPermissions ("client.resource.{id}"), RolePermissions
// ("role.resource.{id}"), GroupPermissions ("group.resource.{id}"),
// IdentityProviderPermissions ("idp.resource.{internalId}"),
// Helper.addEmptyScopePermission.
func TestFGAPv1(t *testing.T) {
	t.Parallel()
	s := kctest.Start(t, kctest.WithFeatures("admin-fine-grained-authz:v1"))
	if _, err := s.AddRealm(kctest.Realm{Name: "acme"}); err != nil {
		t.Fatal(err)
	}
	tok := adminToken(t, s)
	const base = "/admin/realms/acme"
	clientID := createdID(t, adminDo(t, s, tok, "POST", base+"/clients", `{"clientId":"app"}`))
	mustStatus(t, adminDo(t, s, tok, "POST", base+"/clients/"+clientID+"/roles", `{"name":"reader"}`), 201)
	groupID := createdID(t, adminDo(t, s, tok, "POST", base+"/groups", `{"name":"staff"}`))
	mustStatus(t, adminDo(t, s, tok, "POST", base+"/roles", `{"name":"boss"}`), 201)
	var boss struct{ ID string }
	_ = json.Unmarshal(mustStatus(t, adminDo(t, s, tok, "GET", base+"/roles/boss", ""), 200).body, &boss)
	mustStatus(t, adminDo(t, s, tok, "POST", base+"/identity-provider/instances", `{"alias":"corp","providerId":"oidc","config":{"clientId":"x"}}`), 201)

	tests := []struct {
		path   string
		scopes []string
	}{
		{"/users-management-permissions", []string{"view", "manage", "map-roles", "manage-group-membership", "impersonate", "user-impersonated"}},
		{"/clients/" + clientID + "/management/permissions", []string{"view", "manage", "configure", "map-roles", "map-roles-client-scope", "map-roles-composite", "token-exchange"}},
		{"/clients/" + clientID + "/roles/reader/management/permissions", []string{"map-role", "map-role-client-scope", "map-role-composite"}},
		{"/roles/boss/management/permissions", []string{"map-role", "map-role-client-scope", "map-role-composite"}},
		{"/groups/" + groupID + "/management/permissions", []string{"view", "manage", "view-members", "manage-members", "manage-membership"}},
		{"/identity-provider/instances/corp/management/permissions", []string{"token-exchange"}},
	}
	var rmID string
	var clients []struct{ ID, ClientID string }
	_ = json.Unmarshal(mustStatus(t, adminDo(t, s, tok, "GET", base+"/clients?clientId=realm-management", ""), 200).body, &clients)
	if len(clients) == 1 {
		rmID = clients[0].ID
	}
	for _, tt := range tests {
		wantBody(t, "GET before "+tt.path, adminDo(t, s, tok, "GET", base+tt.path, ""), 200, `{"enabled":false}`)
		var ref mgmtRef
		_ = json.Unmarshal(mustStatus(t, adminDo(t, s, tok, "PUT", base+tt.path, `{"enabled":true}`), 200).body, &ref)
		if !ref.Enabled || ref.Resource == "" {
			t.Errorf("PUT %s: %+v", tt.path, ref)
		}
		var keys []string
		for k := range ref.ScopePermissions {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		want := slices.Sorted(slices.Values(tt.scopes))
		if diff := cmp.Diff(want, keys); diff != "" {
			t.Errorf("%s scopePermissions (-want +got):\n%s", tt.path, diff)
		}
		var again mgmtRef
		_ = json.Unmarshal(mustStatus(t, adminDo(t, s, tok, "GET", base+tt.path, ""), 200).body, &again)
		if diff := cmp.Diff(ref, again); diff != "" {
			t.Errorf("GET after PUT %s (-put +get):\n%s", tt.path, diff)
		}
		// The permission is a scope permission of realm-management.
		for scope, id := range ref.ScopePermissions {
			var pol struct{ Type, DecisionStrategy, Logic string }
			_ = json.Unmarshal(mustStatus(t, adminDo(t, s, tok, "GET", base+"/clients/"+rmID+"/authz/resource-server/policy/"+id, ""), 200).body, &pol)
			if pol.Type != "scope" || pol.DecisionStrategy != "UNANIMOUS" || pol.Logic != "POSITIVE" {
				t.Errorf("%s %s permission: %+v", tt.path, scope, pol)
			}
		}
		mustStatus(t, adminDo(t, s, tok, "GET", base+"/clients/"+rmID+"/authz/resource-server/resource/"+ref.Resource, ""), 200)
	}
	// Turning the users' permissions off deletes them.
	var users mgmtRef
	_ = json.Unmarshal(mustStatus(t, adminDo(t, s, tok, "GET", base+tests[0].path, ""), 200).body, &users)
	wantBody(t, "PUT false", adminDo(t, s, tok, "PUT", base+tests[0].path, `{"enabled":false}`), 200, `{"enabled":false}`)
	wantBody(t, "GET after PUT false", adminDo(t, s, tok, "GET", base+tests[0].path, ""), 200, `{"enabled":false}`)
	mustStatus(t, adminDo(t, s, tok, "GET", base+"/clients/"+rmID+"/authz/resource-server/policy/"+users.ScopePermissions["view"], ""), 404)
	mustStatus(t, adminDo(t, s, tok, "GET", base+"/clients/"+rmID+"/authz/resource-server/resource/"+users.Resource, ""), 404)

	for path, body := range map[string]string{
		"/clients/nope/management/permissions":                     `{"error":"Could not find client"}`,
		"/roles/nope/management/permissions":                       `{"error":"Could not find role"}`,
		"/roles-by-id/nope/management/permissions":                 `{"error":"Could not find role with id"}`,
		"/groups/nope/management/permissions":                      `{"error":"Could not find group by id"}`,
		"/identity-provider/instances/nope/management/permissions": `{"error":"HTTP 404 Not Found"}`,
	} {
		wantBody(t, path, adminDo(t, s, tok, "GET", base+path, ""), 404, body)
	}
	// roles-by-id reaches the same permissions as roles/{name}.
	var byID mgmtRef
	_ = json.Unmarshal(mustStatus(t, adminDo(t, s, tok, "GET", base+"/roles-by-id/"+boss.ID+"/management/permissions", ""), 200).body, &byID)
	if !byID.Enabled || len(byID.ScopePermissions) != 3 {
		t.Errorf("roles-by-id: %+v", byID)
	}
}
