package kctest_test

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestClientRegistration pins the client registration service:
// ClientRegistrationAuth (initial access token, bearer with
// create-client/manage-clients, registration access token, the
// invalid_token and insufficient_scope errors), AbstractClientRegistration
// Provider (201 + Location + registrationAccessToken, rotation on update,
// "Client Identifier modified", 204 on delete) and
// OIDCClientRegistrationProvider (RFC 7591 metadata, "Client Identifier
// included").
func TestClientRegistration(t *testing.T) {
	t.Parallel()
	s, tok := startAdmin(t)
	regURL := s.URL + "/realms/acme/clients-registrations/"
	reg := func(method, path, bearer, body string) result {
		t.Helper()
		var hdr []string
		if bearer != "" {
			hdr = append(hdr, "Authorization", "Bearer "+bearer)
		}
		if body == "" {
			return do(t, method, regURL+path, nil, hdr...)
		}
		return do(t, method, regURL+path, strings.NewReader(body), append(hdr, "Content-Type", "application/json")...)
	}
	var ia struct {
		Token string `json:"token"`
	}
	_ = json.Unmarshal(mustStatus(t, adminDo(t, s, tok, "POST", "/admin/realms/acme/clients-initial-access", `{"count":1}`), 201).body, &ia)

	// default: create with the initial access token, which then is used up.
	res := mustStatus(t, reg("POST", "default", ia.Token, `{"clientId":"svc","redirectUris":["https://app.example/*"]}`), 201)
	if loc := res.header.Get("Location"); loc != regURL+"default/svc" {
		t.Errorf("Location = %q", loc)
	}
	var created struct {
		ClientID, Secret, RegistrationAccessToken string
	}
	_ = json.Unmarshal(res.body, &created)
	if created.ClientID != "svc" || created.Secret == "" || created.RegistrationAccessToken == "" {
		t.Fatalf("create: %s", res.body)
	}
	wantBody(t, "used-up initial token", reg("POST", "default", ia.Token, `{"clientId":"svc2"}`), 401,
		`{"error":"invalid_token","error_description":"No remaining count on initial access token"}`)
	wantBody(t, "initial token to view", reg("GET", "default/svc", ia.Token, ""), 401,
		`{"error":"invalid_token","error_description":"Not initial access token allowed"}`)
	wantBody(t, "garbage token", reg("GET", "default/svc", "garbage", ""), 401,
		`{"error":"invalid_token","error_description":"Failed decode token"}`)

	// get with the registration access token; update rotates it.
	rat := created.RegistrationAccessToken
	mustStatus(t, reg("GET", "default/svc", rat, ""), 200)
	// install: the client's keycloak.json (AdapterInstallationClientRegistrationProvider).
	var inst map[string]any
	_ = json.Unmarshal(mustStatus(t, reg("GET", "install/svc", rat, ""), 200).body, &inst)
	if inst["resource"] != "svc" || inst["realm"] != "acme" || inst["credentials"] == nil {
		t.Errorf("install: %v", inst)
	}
	wantBody(t, "install without a token", reg("GET", "install/svc", "", ""), 401,
		`{"error":"invalid_token","error_description":"Not authorized to view client. Not valid token or client credentials provided."}`)
	wantBody(t, "no token", reg("GET", "default/svc", "", ""), 401,
		`{"error":"invalid_token","error_description":"Not authorized to view client. Not valid token or client credentials provided."}`)
	wantBody(t, "client id changed", reg("PUT", "default/svc", rat, `{"clientId":"other"}`), 400,
		`{"error":"invalid_client_metadata","error_description":"Client Identifier modified"}`)
	res = mustStatus(t, reg("PUT", "default/svc", rat, `{"clientId":"svc","name":"Service"}`), 200)
	var updated struct{ Name, RegistrationAccessToken string }
	_ = json.Unmarshal(res.body, &updated)
	if updated.Name != "Service" || updated.RegistrationAccessToken == "" || updated.RegistrationAccessToken == rat {
		t.Errorf("update: %s", res.body)
	}
	wantBody(t, "rotated-out token", reg("DELETE", "default/svc", rat, ""), 401,
		`{"error":"invalid_token","error_description":"Not authorized to update client. Maybe missing token or bad token type."}`)

	// A bearer token: the bootstrap admin of master has no role of acme's
	// realm-management; an acme admin with manage-clients does.
	wantBody(t, "foreign bearer", reg("POST", "default", tok, `{"clientId":"x"}`), 401,
		`{"error":"invalid_token","error_description":"Invalid token"}`)
	mustStatus(t, reg("DELETE", "default/svc", updated.RegistrationAccessToken, ""), 204)
	mustStatus(t, adminDo(t, s, tok, "GET", "/admin/realms/acme/clients?clientId=svc", ""), 200)

	// openid-connect: RFC 7591 metadata in and out. A fresh realm's
	// anonymous "Trusted Hosts" policy trusts no host
	// (TrustedHostClientRegistrationPolicy).
	wantBody(t, "anonymous", reg("POST", "openid-connect", "", `{"client_name":"Web"}`), 403,
		`{"error":"insufficient_scope","error_description":"Policy 'Trusted Hosts' rejected request to client-registration service. Details: Host not trusted."}`)
	_ = json.Unmarshal(mustStatus(t, adminDo(t, s, tok, "POST", "/admin/realms/acme/clients-initial-access", `{"count":2}`), 201).body, &ia)
	wantBody(t, "client_id included", reg("POST", "openid-connect", ia.Token, `{"client_id":"mine","redirect_uris":["https://a.example/cb"]}`), 400,
		`{"error":"invalid_client_metadata","error_description":"Client Identifier included"}`)
	res = mustStatus(t, reg("POST", "openid-connect", ia.Token, `{"client_name":"Web","redirect_uris":["https://a.example/cb"],"grant_types":["authorization_code","client_credentials"],"token_endpoint_auth_method":"client_secret_post"}`), 201)
	var md map[string]any
	_ = json.Unmarshal(res.body, &md)
	id, _ := md["client_id"].(string)
	if id == "" || md["client_name"] != "Web" || md["client_secret"] == "" || md["registration_access_token"] == "" ||
		md["registration_client_uri"] != s.URL+"/realms/acme/clients-registrations/openid-connect/"+id {
		t.Fatalf("oidc create: %s", res.body)
	}
	if loc := res.header.Get("Location"); loc != regURL+"openid-connect/"+id {
		t.Errorf("oidc Location = %q", loc)
	}
	res = mustStatus(t, reg("PUT", "openid-connect/"+id, md["registration_access_token"].(string), `{"client_name":"Web 2","redirect_uris":["https://a.example/cb2"]}`), 200)
	_ = json.Unmarshal(res.body, &md)
	if md["client_name"] != "Web 2" {
		t.Errorf("oidc update: %s", res.body)
	}
	mustStatus(t, reg("DELETE", "openid-connect/"+id, md["registration_access_token"].(string), ""), 204)
	wantBody(t, "unknown realm", do(t, "GET", s.URL+"/realms/nope/clients-registrations/default/x", nil), 404, `{"error":"Realm does not exist"}`)
}
