package kctest_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kcgo/kc/keycloak/kctest"
)

// mustStatus fails the test unless res has the status.
func mustStatus(t *testing.T, res result, status int) result {
	t.Helper()
	if res.status != status {
		t.Fatalf("status %d %s, want %d", res.status, res.body, status)
	}
	return res
}

// createdID returns the last segment of a 201's Location.
func createdID(t *testing.T, res result) string {
	t.Helper()
	mustStatus(t, res, 201)
	loc := res.header.Get("Location")
	return loc[strings.LastIndex(loc, "/")+1:]
}

// wantBody fails unless res has the status and exactly the body.
func wantBody(t *testing.T, what string, res result, status int, body string) {
	t.Helper()
	if res.status != status || strings.TrimSpace(string(res.body)) != body {
		t.Errorf("%s: got %d %q, want %d %q", what, res.status, res.body, status, body)
	}
}

// TestOrganizationRawStringBodies: the member and identity-provider links
// take a raw string, quoted or not.
// Keycloak: OrganizationMemberResource.addMember and
// OrganizationIdentityProvidersResource.addIdentityProvider run
// id.trim().replaceAll("^\"|\"$", "") on the body; the provider is found by
// id or alias; JpaOrganizationProvider.addIdentityProvider refuses one linked
// to another organization (ModelValidationException → 400) and reports one
// linked here already as not added (409).
func TestOrganizationRawStringBodies(t *testing.T) {
	t.Parallel()
	s, tok := startAdmin(t)
	const realm = "/admin/realms/acme"
	mustStatus(t, adminDo(t, s, tok, "PUT", realm, `{"organizationsEnabled":true}`), 204)
	org := createdID(t, adminDo(t, s, tok, "POST", realm+"/organizations", `{"name":"o1","domains":[{"name":"o1.example"}]}`))
	org2 := createdID(t, adminDo(t, s, tok, "POST", realm+"/organizations", `{"name":"o2","domains":[{"name":"o2.example"}]}`))
	var ids []string
	for _, n := range []string{"ann", "ben", "cat"} {
		ids = append(ids, createdID(t, adminDo(t, s, tok, "POST", realm+"/users", `{"username":"`+n+`"}`)))
	}
	members := realm + "/organizations/" + org + "/members"
	for i, body := range []string{`"` + ids[0] + `"`, ids[1], " \"" + ids[2] + "\"\n"} {
		res := adminDo(t, s, tok, "POST", members, body)
		if res.status != 201 || !strings.HasSuffix(res.header.Get("Location"), "/members/"+ids[i]) {
			t.Errorf("add member %q: %d %s Location %q", body, res.status, res.body, res.header.Get("Location"))
		}
	}
	wantBody(t, "member again", adminDo(t, s, tok, "POST", members, ids[0]), 409, `{"errorMessage":"User is already a member of the organization."}`)
	wantBody(t, "no such user", adminDo(t, s, tok, "POST", members, `"nope"`), 400, `{"errorMessage":"User does not exist"}`)
	wantBody(t, "count", adminDo(t, s, tok, "GET", members+"/count", ""), 200, `3`)

	for _, a := range []string{"idp-a", "idp-b"} {
		mustStatus(t, adminDo(t, s, tok, "POST", realm+"/identity-provider/instances", `{"alias":"`+a+`","providerId":"oidc","config":{"clientId":"x"}}`), 201)
	}
	internalB, _ := adminDo(t, s, tok, "GET", realm+"/identity-provider/instances/idp-b", "").json()["internalId"].(string)
	idps := realm + "/organizations/" + org + "/identity-providers"
	mustStatus(t, adminDo(t, s, tok, "POST", idps, "idp-a"), 204)
	mustStatus(t, adminDo(t, s, tok, "POST", idps, `"`+internalB+`"`), 204)
	wantBody(t, "linked here", adminDo(t, s, tok, "POST", idps, `"idp-a"`), 409, `{"errorMessage":"Identity provider already associated to the organization"}`)
	wantBody(t, "linked elsewhere", adminDo(t, s, tok, "POST", realm+"/organizations/"+org2+"/identity-providers", "idp-a"), 400,
		`{"errorMessage":"Identity provider already associated with a different organization"}`)
	wantBody(t, "unknown", adminDo(t, s, tok, "POST", idps, `"nope"`), 400, `{"errorMessage":"Identity provider not found with the given alias"}`)
	if n := strings.Count(string(adminDo(t, s, tok, "GET", idps, "").body), `"alias"`); n != 2 {
		t.Errorf("linked providers = %d, want 2", n)
	}
}

// TestNotFoundBodies pins the 404 bodies of the identity-provider and
// protocol-mapper resources.
// Keycloak: IdentityProvidersResource.getIdentityProvider resolves the
// alias or internal id (getByIdOrAlias) and IdentityProviderResource throws
// a bare NotFoundException ("HTTP 404 Not Found") when there is none;
// ProtocolMappersResource.validateModel throws
// NotFoundException("ProtocolMapper provider not found") for an unknown
// protocolMapper before anything is stored; UserResource.addFederatedIdentity
// stores a link without looking the provider up, and getFederatedIdentity
// lists only links to providers that exist.
func TestNotFoundBodies(t *testing.T) {
	t.Parallel()
	s, tok := startAdmin(t)
	const realm = "/admin/realms/acme"
	uid := createdID(t, adminDo(t, s, tok, "POST", realm+"/users", `{"username":"una"}`))
	cid := createdID(t, adminDo(t, s, tok, "POST", realm+"/clients", `{"clientId":"web"}`))
	sid := createdID(t, adminDo(t, s, tok, "POST", realm+"/client-scopes", `{"name":"extra","protocol":"openid-connect"}`))
	mustStatus(t, adminDo(t, s, tok, "POST", realm+"/identity-provider/instances", `{"alias":"corp","providerId":"oidc","config":{"clientId":"x"}}`), 201)
	internal, _ := adminDo(t, s, tok, "GET", realm+"/identity-provider/instances/corp", "").json()["internalId"].(string)
	const notFound = `{"error":"HTTP 404 Not Found"}`
	const noProvider = `{"error":"ProtocolMapper provider not found"}`
	mapper := `{"name":"m","protocol":"openid-connect","protocolMapper":"oidc-hardcoded-claim-mapper","config":{"claim.name":"x","claim.value":"y"}}`
	mid := createdID(t, adminDo(t, s, tok, "POST", realm+"/clients/"+cid+"/protocol-mappers/models", mapper))
	tests := []struct {
		name, method, path, body string
		status                   int
		want                     string
	}{
		{"idp get", "GET", realm + "/identity-provider/instances/nope", "", 404, notFound},
		{"idp put", "PUT", realm + "/identity-provider/instances/nope", `{"alias":"nope","providerId":"oidc"}`, 404, notFound},
		{"idp delete", "DELETE", realm + "/identity-provider/instances/nope", "", 404, notFound},
		{"idp mappers", "GET", realm + "/identity-provider/instances/nope/mappers", "", 404, notFound},
		{"idp by internal id", "GET", realm + "/identity-provider/instances/" + internal, "", 200, ""},
		{"idp mapper missing", "GET", realm + "/identity-provider/instances/corp/mappers/nope", "", 404, `{"error":"Model not found"}`},
		{"client mapper empty", "POST", realm + "/clients/" + cid + "/protocol-mappers/models", `{}`, 404, noProvider},
		{"client mapper unknown", "POST", realm + "/clients/" + cid + "/protocol-mappers/models", `{"name":"n","protocol":"openid-connect","protocolMapper":"no-such-mapper"}`, 404, noProvider},
		{"scope mapper unknown", "POST", realm + "/client-scopes/" + sid + "/protocol-mappers/models", `{"name":"n","protocol":"openid-connect","protocolMapper":"no-such-mapper"}`, 404, noProvider},
		{"add-models unknown", "POST", realm + "/clients/" + cid + "/protocol-mappers/add-models", `[{"name":"n","protocol":"openid-connect","protocolMapper":"no-such-mapper"}]`, 404, noProvider},
		{"update unknown", "PUT", realm + "/clients/" + cid + "/protocol-mappers/models/" + mid, `{"id":"` + mid + `","name":"m","protocol":"openid-connect","protocolMapper":"nope"}`, 404, noProvider},
		{"mapper missing", "GET", realm + "/clients/" + cid + "/protocol-mappers/models/nope", "", 404, `{"error":"Model not found"}`},
		{"link to missing idp", "POST", realm + "/users/" + uid + "/federated-identity/ghost", `{"userId":"1","userName":"x"}`, 204, ""},
		{"links list only existing", "GET", realm + "/users/" + uid + "/federated-identity", "", 200, `[]`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := adminDo(t, s, tok, tt.method, tt.path, tt.body)
			if res.status != tt.status || tt.want != "" && strings.TrimSpace(string(res.body)) != tt.want {
				t.Errorf("%s %s: got %d %s, want %d %s", tt.method, tt.path, res.status, res.body, tt.status, tt.want)
			}
		})
	}
	// The mappers list is unchanged by the refused writes.
	if n := strings.Count(string(adminDo(t, s, tok, "GET", realm+"/clients/"+cid+"/protocol-mappers/models", "").body), `"id"`); n != 1 {
		t.Errorf("client mappers = %d, want 1", n)
	}
}

// TestClientWithoutClientID: POST clients without clientId stores the
// client under its id. Keycloak: ClientsResource.createClient checks no
// clientId, and JpaRealmProvider.addClient falls back to the id
// (if (clientId == null) clientId = id).
func TestClientWithoutClientID(t *testing.T) {
	t.Parallel()
	s, tok := startAdmin(t)
	const clients = "/admin/realms/acme/clients"
	id := createdID(t, adminDo(t, s, tok, "POST", clients, `{"name":"nameless"}`))
	if got, _ := adminDo(t, s, tok, "GET", clients+"/"+id, "").json()["clientId"].(string); got != id {
		t.Errorf("clientId = %q, want the id %q", got, id)
	}
	id2 := createdID(t, adminDo(t, s, tok, "POST", clients, `{"id":"fixed-id"}`))
	if got, _ := adminDo(t, s, tok, "GET", clients+"/"+id2, "").json()["clientId"].(string); id2 != "fixed-id" || got != "fixed-id" {
		t.Errorf("given id: id %q clientId %q, want fixed-id twice", id2, got)
	}
}

// TestDefaultRoleIsStoredMapping: a new user holds default-roles-{realm}
// as a direct mapping, which can be removed like any other.
// Keycloak: JpaUserProvider.addUser(realm, id, username, addDefaultRoles,
// ...) calls user.grantRole(realm.getDefaultRole()); the admin API and
// ClientManager.enableServiceAccount add users with addDefaultRoles true.
func TestDefaultRoleIsStoredMapping(t *testing.T) {
	t.Parallel()
	s, tok := startAdmin(t)
	const realm = "/admin/realms/acme"
	uid := createdID(t, adminDo(t, s, tok, "POST", realm+"/users", `{"username":"dora"}`))
	names := func(path string) []string {
		t.Helper()
		var list []struct {
			ID   string `json:"id"`
			Name string `json:"name"`
		}
		res := mustStatus(t, adminDo(t, s, tok, "GET", path, ""), 200)
		if err := json.Unmarshal(res.body, &list); err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, r := range list {
			out = append(out, r.Name)
		}
		slices.Sort(out)
		return out
	}
	if diff := cmp.Diff([]string{"default-roles-acme"}, names(realm+"/users/"+uid+"/role-mappings/realm")); diff != "" {
		t.Errorf("direct realm mappings (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"default-roles-acme", "offline_access", "uma_authorization"}, names(realm+"/users/"+uid+"/role-mappings/realm/composite")); diff != "" {
		t.Errorf("effective realm roles (-want +got):\n%s", diff)
	}
	cid := createdID(t, adminDo(t, s, tok, "POST", realm+"/clients", `{"clientId":"svc","publicClient":false,"serviceAccountsEnabled":true}`))
	sa := mustStatus(t, adminDo(t, s, tok, "GET", realm+"/clients/"+cid+"/service-account-user", ""), 200).json()
	if diff := cmp.Diff([]string{"default-roles-acme"}, names(realm+"/users/"+sa["id"].(string)+"/role-mappings/realm")); diff != "" {
		t.Errorf("service account mappings (-want +got):\n%s", diff)
	}
	// Removing the mapping removes the roles it brought.
	dr := mustStatus(t, adminDo(t, s, tok, "GET", realm+"/roles/default-roles-acme", ""), 200).json()
	mustStatus(t, adminDo(t, s, tok, "DELETE", realm+"/users/"+uid+"/role-mappings/realm", `[{"id":"`+dr["id"].(string)+`","name":"default-roles-acme"}]`), 204)
	if got := names(realm + "/users/" + uid + "/role-mappings/realm/composite"); len(got) != 0 {
		t.Errorf("effective roles after removing the default role = %v, want none", got)
	}
}

// TestPartialImportNamesGroups: results name a group by its name, and only
// the top-level groups of the body are results.
// Keycloak: GroupsPartialImport.getName returns group.getName(), over
// realmRep.getGroups() (subgroups are imported with their parent).
func TestPartialImportNamesGroups(t *testing.T) {
	t.Parallel()
	s, tok := startAdmin(t)
	res := mustStatus(t, adminDo(t, s, tok, "POST", "/admin/realms/acme/partialImport",
		`{"ifResourceExists":"SKIP","groups":[{"name":"staff","subGroups":[{"name":"ops"}]}]}`), 200)
	var out struct {
		Added   int `json:"added"`
		Results []struct {
			Action       string `json:"action"`
			ResourceType string `json:"resourceType"`
			ResourceName string `json:"resourceName"`
		} `json:"results"`
	}
	if err := json.Unmarshal(res.body, &out); err != nil {
		t.Fatal(err)
	}
	if out.Added != 1 || len(out.Results) != 1 || out.Results[0].ResourceName != "staff" || out.Results[0].ResourceType != "GROUP" {
		t.Errorf("partial import = %s, want one ADDED GROUP named staff", res.body)
	}
	mustStatus(t, adminDo(t, s, tok, "GET", "/admin/realms/acme/group-by-path/staff/ops", ""), 200)
}

// TestClientScopeCreateKeepsIDAndMappers. Keycloak:
// RepresentationToModel.createClientScope uses the representation's id
// when it has one and adds each of its protocolMappers.
func TestClientScopeCreateKeepsIDAndMappers(t *testing.T) {
	t.Parallel()
	s, tok := startAdmin(t)
	const scopes = "/admin/realms/acme/client-scopes"
	id := createdID(t, adminDo(t, s, tok, "POST", scopes, `{"id":"my-scope-id","name":"extra","protocol":"openid-connect",
		"protocolMappers":[{"name":"team","protocol":"openid-connect","protocolMapper":"oidc-hardcoded-claim-mapper","config":{"claim.name":"team","claim.value":"blue"}}]}`))
	if id != "my-scope-id" {
		t.Errorf("Location id = %q, want my-scope-id", id)
	}
	got := mustStatus(t, adminDo(t, s, tok, "GET", scopes+"/my-scope-id", ""), 200).json()
	ms, _ := got["protocolMappers"].([]any)
	if len(ms) != 1 || ms[0].(map[string]any)["name"] != "team" {
		t.Errorf("protocolMappers = %v, want the one sent", got["protocolMappers"])
	}
	wantBody(t, "same id again", adminDo(t, s, tok, "POST", scopes, `{"id":"my-scope-id","name":"other"}`), 409, `{"errorMessage":"Client Scope other already exists"}`)
}

// TestRegenerateSecretOfPublicClient. Keycloak:
// ClientResource.regenerateSecret calls KeycloakModelUtils.generateSecret
// with no public-client check; getClientSecret returns the stored secret.
func TestRegenerateSecretOfPublicClient(t *testing.T) {
	t.Parallel()
	s, tok := startAdmin(t)
	cid := createdID(t, adminDo(t, s, tok, "POST", "/admin/realms/acme/clients", `{"clientId":"spa","publicClient":true}`))
	res := mustStatus(t, adminDo(t, s, tok, "POST", "/admin/realms/acme/clients/"+cid+"/client-secret", ""), 200).json()
	if res["type"] != "secret" || res["value"] == "" || res["value"] == nil {
		t.Fatalf("regenerate = %v", res)
	}
	got := mustStatus(t, adminDo(t, s, tok, "GET", "/admin/realms/acme/clients/"+cid+"/client-secret", ""), 200).json()
	if got["value"] != res["value"] {
		t.Errorf("GET client-secret = %v, want the new secret", got)
	}
}

// TestUpdateKeepsRegisteredRequiredActions. Keycloak:
// UserResource.updateUserFromRep walks the registered RequiredActionProvider
// factories: each one listed is added, each one not listed is removed on an
// update; "" and unknown names are dropped.
func TestUpdateKeepsRegisteredRequiredActions(t *testing.T) {
	t.Parallel()
	s, tok := startAdmin(t)
	const users = "/admin/realms/acme/users"
	uid := createdID(t, adminDo(t, s, tok, "POST", users, `{"username":"rita","requiredActions":["VERIFY_EMAIL","bogus",""]}`))
	get := func() []string {
		var u struct {
			RequiredActions []string `json:"requiredActions"`
		}
		_ = json.Unmarshal(mustStatus(t, adminDo(t, s, tok, "GET", users+"/"+uid, ""), 200).body, &u)
		slices.Sort(u.RequiredActions)
		return u.RequiredActions
	}
	if diff := cmp.Diff([]string{"VERIFY_EMAIL"}, get()); diff != "" {
		t.Errorf("after create (-want +got):\n%s", diff)
	}
	mustStatus(t, adminDo(t, s, tok, "PUT", users+"/"+uid, `{"requiredActions":["", "UPDATE_PASSWORD", "nope", "CONFIGURE_TOTP"]}`), 204)
	if diff := cmp.Diff([]string{"CONFIGURE_TOTP", "UPDATE_PASSWORD"}, get()); diff != "" {
		t.Errorf("after update (-want +got):\n%s", diff)
	}
	mustStatus(t, adminDo(t, s, tok, "PUT", users+"/"+uid, `{"requiredActions":[""]}`), 204)
	if got := get(); len(got) != 0 {
		t.Errorf(`after [""] = %v, want none`, got)
	}
}

// TestUserSearchServiceAccounts. Keycloak: UsersResource.getUsers calls
// searchForUser(..., includeServiceAccounts) with true only on its
// field-filter branch (username, email, firstName, lastName, emailVerified,
// idpAlias, idpUserId, enabled, exact or q); the unfiltered list and
// search= pass false.
func TestUserSearchServiceAccounts(t *testing.T) {
	t.Parallel()
	s, tok := startAdmin(t)
	const users = "/admin/realms/acme/users"
	createdID(t, adminDo(t, s, tok, "POST", users, `{"username":"service-fan"}`))
	createdID(t, adminDo(t, s, tok, "POST", "/admin/realms/acme/clients", `{"clientId":"robot","publicClient":false,"serviceAccountsEnabled":true}`))
	for _, tt := range []struct {
		query string
		want  []string
	}{
		{"", []string{"service-fan"}},
		{"?search=service", []string{"service-fan"}},
		{"?username=service", []string{"service-account-robot", "service-fan"}},
		{"?username=service-account-robot&exact=true", []string{"service-account-robot"}},
		{"?enabled=true", []string{"service-account-robot", "service-fan"}},
	} {
		var list []struct {
			Username string `json:"username"`
		}
		_ = json.Unmarshal(mustStatus(t, adminDo(t, s, tok, "GET", users+tt.query, ""), 200).body, &list)
		var got []string
		for _, u := range list {
			got = append(got, u.Username)
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("GET users%s (-want +got):\n%s", tt.query, diff)
		}
	}
}

// TestCredentialMetadataReflectsHash: the password credential reports the
// stored hash's algorithm and iterations. Keycloak: UserResource.credentials
// returns the stored CredentialModel's credentialData
// (PasswordCredentialData: hashIterations, algorithm, additionalParameters).
func TestCredentialMetadataReflectsHash(t *testing.T) {
	t.Parallel()
	realm := `{"realm":"imp","enabled":true,"users":[{"username":"old","enabled":true,"credentials":[{"type":"password",
		"secretData":"{\"value\":\"bm90LWEtcmVhbC1oYXNo\",\"salt\":\"c2FsdA==\",\"additionalParameters\":{}}",
		"credentialData":"{\"hashIterations\":27500,\"algorithm\":\"pbkdf2-sha256\",\"additionalParameters\":{}}"}]}]}`
	s := kctest.Start(t, kctest.WithRealmJSON([]byte(realm)))
	tok := adminToken(t, s)
	uid, err := s.UserID("imp", "old")
	if err != nil {
		t.Fatal(err)
	}
	data := func(realm, uid string) map[string]any {
		t.Helper()
		var creds []struct {
			Type           string `json:"type"`
			CredentialData string `json:"credentialData"`
		}
		_ = json.Unmarshal(mustStatus(t, adminDo(t, s, tok, "GET", "/admin/realms/"+realm+"/users/"+uid+"/credentials", ""), 200).body, &creds)
		if len(creds) != 1 || creds[0].Type != "password" {
			t.Fatalf("credentials = %+v", creds)
		}
		var d map[string]any
		if err := json.Unmarshal([]byte(creds[0].CredentialData), &d); err != nil {
			t.Fatal(err)
		}
		return d
	}
	if d := data("imp", uid); d["algorithm"] != "pbkdf2-sha256" || d["hashIterations"] != float64(27500) {
		t.Errorf("imported credential data = %v, want pbkdf2-sha256 with 27500 iterations", d)
	}
	nid := createdID(t, adminDo(t, s, tok, "POST", "/admin/realms/imp/users", `{"username":"new","credentials":[{"type":"password","value":"pw"}]}`))
	if d := data("imp", nid); d["algorithm"] != "argon2" || d["hashIterations"] != float64(5) {
		t.Errorf("new credential data = %v, want argon2 with 5 iterations", d)
	}
}

// startResourceServer starts the acme realm with client "rs" holding
// authorization services, and returns the resource-server admin path.
func startResourceServer(t *testing.T) (*kctest.Server, string, string) {
	t.Helper()
	s, tok := startAdmin(t)
	const realm = "/admin/realms/acme"
	cid := createdID(t, adminDo(t, s, tok, "POST", realm+"/clients",
		`{"clientId":"rs","publicClient":false,"serviceAccountsEnabled":true,"authorizationServicesEnabled":true}`))
	return s, tok, realm + "/clients/" + cid + "/authz/resource-server"
}

// TestAuthzTypedRepresentations. Keycloak: PolicyService.getResource
// serves a policy type as a PolicyTypeService, whose GET lists that type's
// policies and whose {id} (PolicyTypeResourceService.findById) returns the
// provider's representation with roles, users, groups, clients, resources
// and scopes at the top level; "evaluate" is PolicyEvaluationService, never
// a policy type; a missing resource, scope, policy or permission answers
// 404 with no body (ResourceSetService, ScopeService,
// PolicyResourceService).
func TestAuthzTypedRepresentations(t *testing.T) {
	t.Parallel()
	s, tok, az := startResourceServer(t)
	mustStatus(t, adminDo(t, s, tok, "POST", "/admin/realms/acme/roles", `{"name":"editor"}`), 201)
	role := mustStatus(t, adminDo(t, s, tok, "GET", "/admin/realms/acme/roles/editor", ""), 200).json()
	uid := createdID(t, adminDo(t, s, tok, "POST", "/admin/realms/acme/users", `{"username":"pat"}`))
	sc := mustStatus(t, adminDo(t, s, tok, "POST", az+"/scope", `{"name":"read"}`), 201).json()
	res := mustStatus(t, adminDo(t, s, tok, "POST", az+"/resource", `{"name":"Doc","scopes":[{"name":"read"}]}`), 201).json()
	rp := mustStatus(t, adminDo(t, s, tok, "POST", az+"/policy/role", `{"name":"editors","roles":[{"id":"editor"}]}`), 201).json()
	up := mustStatus(t, adminDo(t, s, tok, "POST", az+"/policy/user", `{"name":"pat only","users":["pat"]}`), 201).json()
	perm := mustStatus(t, adminDo(t, s, tok, "POST", az+"/permission/scope",
		`{"name":"read docs","resources":["Doc"],"scopes":["read"],"policies":["editors"]}`), 201).json()

	got := mustStatus(t, adminDo(t, s, tok, "GET", az+"/policy/role/"+rp["id"].(string), ""), 200).json()
	if diff := cmp.Diff([]any{map[string]any{"id": role["id"], "required": false}}, got["roles"]); diff != "" || got["config"] != nil {
		t.Errorf("typed role policy = %v (roles -want +got):\n%s", got, diff)
	}
	got = mustStatus(t, adminDo(t, s, tok, "GET", az+"/policy/user/"+up["id"].(string), ""), 200).json()
	if diff := cmp.Diff([]any{uid}, got["users"]); diff != "" {
		t.Errorf("typed user policy users (-want +got):\n%s", diff)
	}
	got = mustStatus(t, adminDo(t, s, tok, "GET", az+"/permission/scope/"+perm["id"].(string), ""), 200).json()
	if diff := cmp.Diff(map[string]any{"resources": []any{res["_id"]}, "scopes": []any{sc["id"]}, "policies": []any{rp["id"]}},
		map[string]any{"resources": got["resources"], "scopes": got["scopes"], "policies": got["policies"]}); diff != "" {
		t.Errorf("typed scope permission (-want +got):\n%s", diff)
	}
	list := func(path string) []string {
		var l []struct {
			Name string `json:"name"`
		}
		_ = json.Unmarshal(mustStatus(t, adminDo(t, s, tok, "GET", az+path, ""), 200).body, &l)
		var out []string
		for _, p := range l {
			out = append(out, p.Name)
		}
		return out
	}
	if diff := cmp.Diff([]string{"read docs"}, list("/permission/scope")); diff != "" {
		t.Errorf("GET permission/scope (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"Default Permission"}, list("/permission/resource")); diff != "" {
		t.Errorf("GET permission/resource (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"editors"}, list("/policy/role")); diff != "" {
		t.Errorf("GET policy/role (-want +got):\n%s", diff)
	}

	// evaluate is not a create.
	before := len(list("/policy"))
	// Keycloak: PolicyService.getPolicyEvaluateResource serves it
	// (PolicyEvaluationService).
	if res := adminDo(t, s, tok, "POST", az+"/policy/evaluate", `{"userId":"`+uid+`"}`); res.status != 200 || res.str("status") == "" {
		t.Errorf("policy/evaluate: %d %s", res.status, res.body)
	}
	if l := list("/policy"); len(l) != before {
		t.Errorf("policy/evaluate created a policy: %v", l)
	}

	for _, tt := range []struct{ method, path, body string }{
		{"GET", "/resource/nope", ""}, {"PUT", "/resource/nope", `{"name":"x"}`}, {"DELETE", "/resource/nope", ""},
		{"GET", "/scope/nope", ""}, {"DELETE", "/scope/nope", ""},
		{"GET", "/policy/nope", ""}, {"DELETE", "/policy/nope", ""}, {"PUT", "/policy/nope", `{"name":"x"}`},
		{"GET", "/permission/nope", ""}, {"DELETE", "/permission/nope", ""},
		{"GET", "/policy/role/nope", ""}, {"GET", "/permission/scope/nope", ""},
	} {
		wantBody(t, tt.method+" "+tt.path, adminDo(t, s, tok, tt.method, az+tt.path, tt.body), 404, "")
	}
}

// TestAuthzModelRules. Keycloak: the policy store wrapper of
// AuthorizationProvider deletes a dependent policy left with no associated
// policy when a policy is deleted; RolePolicyProviderFactory resolves role
// names and "clientId/role" as well as ids.
func TestAuthzModelRules(t *testing.T) {
	t.Parallel()
	s, tok, az := startResourceServer(t)
	mustStatus(t, adminDo(t, s, tok, "POST", "/admin/realms/acme/roles", `{"name":"editor"}`), 201)
	cid := createdID(t, adminDo(t, s, tok, "POST", "/admin/realms/acme/clients", `{"clientId":"shop"}`))
	mustStatus(t, adminDo(t, s, tok, "POST", "/admin/realms/acme/clients/"+cid+"/roles", `{"name":"clerk"}`), 201)
	clerk := mustStatus(t, adminDo(t, s, tok, "GET", "/admin/realms/acme/clients/"+cid+"/roles/clerk", ""), 200).json()
	a := mustStatus(t, adminDo(t, s, tok, "POST", az+"/policy/role", `{"name":"by name","roles":[{"id":"editor"},{"id":"shop/clerk","required":true}]}`), 201).json()
	got := mustStatus(t, adminDo(t, s, tok, "GET", az+"/policy/role/"+a["id"].(string), ""), 200).json()
	roles, _ := got["roles"].([]any)
	if len(roles) != 2 || roles[1].(map[string]any)["id"] != clerk["id"] || roles[1].(map[string]any)["required"] != true {
		t.Errorf("role policy roles = %v, want editor and the shop/clerk client role (required)", got["roles"])
	}
	mustStatus(t, adminDo(t, s, tok, "POST", az+"/policy/user", `{"name":"other","users":[]}`), 201)
	mustStatus(t, adminDo(t, s, tok, "POST", az+"/resource", `{"name":"Doc"}`), 201)
	only := mustStatus(t, adminDo(t, s, tok, "POST", az+"/permission/resource", `{"name":"only by name","resources":["Doc"],"policies":["by name"]}`), 201).json()
	both := mustStatus(t, adminDo(t, s, tok, "POST", az+"/permission/resource", `{"name":"two","resources":["Doc"],"policies":["by name","other"]}`), 201).json()
	mustStatus(t, adminDo(t, s, tok, "DELETE", az+"/policy/"+a["id"].(string), ""), 204)
	mustStatus(t, adminDo(t, s, tok, "GET", az+"/permission/"+only["id"].(string), ""), 404)
	left := mustStatus(t, adminDo(t, s, tok, "GET", az+"/permission/"+both["id"].(string)+"/associatedPolicies", ""), 200)
	if !strings.Contains(string(left.body), `"other"`) || strings.Contains(string(left.body), `"by name"`) {
		t.Errorf("permission with a policy left = %s", left.body)
	}
}
