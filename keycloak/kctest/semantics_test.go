package kctest_test

import (
	"strings"
	"testing"
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
