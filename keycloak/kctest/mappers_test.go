package kctest_test

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kcgo/kc/keycloak/kctest"
)

// mappersRealmFile configures one client (mapper-app) with a protocol
// mapper of each supported type, pairwise-app with a pairwise subject and
// the claims parameter, and broken-app with a mapper type kctest does not
// implement.
const mappersRealmFile = "../../testdata/realms/mappers-realm.json"

const aliceID = "a11ce000-0000-4000-8000-000000000001"

// stable drops the claims that change from token to token.
func stable(cl map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range cl {
		switch k {
		case "exp", "iat", "jti", "iss", "sid", "at_hash":
		default:
			out[k] = v
		}
	}
	return out
}

func jsonObject(t *testing.T, s string) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// The claims that the built-in scopes profile, email and address put into
// every token for alice (Keycloak: the scopes' mappers in
// OIDCLoginProtocolFactory; UserAttributeMapper, UserPropertyMapper,
// FullNameMapper, AddressMapper).
const aliceProfile = `"name": "Alice Liddell", "given_name": "Alice", "family_name": "Liddell", "preferred_username": "alice",
	"email": "alice@example.com", "email_verified": true,
	"address": {"street_address": "1 Rabbit Hole", "locality": "Oxford", "country": "UK"}`

// TestProtocolMappers pins what each mapper type writes, in which token,
// and the order the mappers run in. Keycloak: TokenManager.transformAccessToken
// and friends, ProtocolMapperUtils.getSortedProtocolMappers (priorities),
// OIDCAttributeMapperHelper.mapClaim (claim.name nesting, escaped dots,
// jsonType.label, multivalued), and per type: AudienceProtocolMapper,
// AudienceResolveProtocolMapper (priority 30, after the audience mappers),
// HardcodedClaim, HardcodedRole (priority 20), RoleNameMapper (priority 10:
// my.app's view becomes realm role viewer), UserAttributeMapper
// (aggregate.attrs adds the nearest group's value), UserPropertyMapper,
// UserRealmRoleMappingMapper and UserClientRoleMappingMapper (prefix,
// ${client_id}), GroupMembershipMapper (full.path), UserSessionNoteMapper
// (AUTH_TIME is set by a browser login only, so a password grant has no
// login_time), AllowedWebOriginsProtocolMapper, AcrProtocolMapper, SubMapper.
func TestProtocolMappers(t *testing.T) {
	t.Parallel()
	s := kctest.Start(t, kctest.WithRealmFile(mappersRealmFile))
	tr := token(t, s, "mappers", url.Values{"grant_type": {"password"}, "client_id": {"mapper-app"},
		"username": {"alice"}, "password": {"alice"}, "scope": {"openid address"}})
	at, idt := tr["access_token"].(string), tr["id_token"].(string)

	roles := `"realm_access": {"roles": ["default-roles-mappers", "offline_access", "reader", "uma_authorization", "viewer", "writer"]},
		"resource_access": {"account": {"roles": ["manage-account", "manage-account-links", "view-profile"]}, "api": {"roles": ["read", "write"]}}`
	clientClaims := `"tenant": {"id": 42}, "cfg": {"a": [1, 2]}, "https://example.com/claims": {"plan": "gold"}, "beta": true,
		"shoe_size": 42, "flags": ["a", "b"], "departments": ["research", "ops"], "first": "Alice", "ev": true,
		"roles": {"realm": ["realm:default-roles-mappers", "realm:offline_access", "realm:reader", "realm:uma_authorization", "realm:viewer", "realm:writer"],
		          "api": ["read", "write"]},
		"cr": {"account": ["manage-account", "manage-account-links", "view-profile"], "api": ["read", "write"]},
		"groups": ["/staff/admins"], "group_names": ["admins"]`
	wantAccess := jsonObject(t, `{"typ": "Bearer", "azp": "mapper-app", "sub": "`+aliceID+`", "acr": "1",
		"scope": "openid profile email address", "aud": ["api", "https://api.example.com", "account"],
		"allowed-origins": ["http://127.0.0.1:3000"], `+roles+`, `+aliceProfile+`, `+clientClaims+`}`)
	if diff := cmp.Diff(wantAccess, stable(verify(t, s, "mappers", at))); diff != "" {
		t.Errorf("access token (-want +got):\n%s", diff)
	}

	wantID := jsonObject(t, `{"typ": "ID", "azp": "mapper-app", "sub": "`+aliceID+`", "acr": "1",
		"aud": ["mapper-app", "https://api.example.com"], `+aliceProfile+`,
		"tenant": {"id": 42}, "shoe_size": 42, "groups": ["/staff/admins"]}`)
	if diff := cmp.Diff(wantID, stable(verify(t, s, "mappers", idt))); diff != "" {
		t.Errorf("ID token (-want +got):\n%s", diff)
	}

	ui := do(t, http.MethodGet, oidcURL(s, "mappers", "userinfo"), nil, "Authorization", "Bearer "+at)
	wantUserInfo := jsonObject(t, `{"sub": "`+aliceID+`", `+aliceProfile+`, "tenant": {"id": 42},
		"https://example.com/claims": {"plan": "gold"}, "shoe_size": 42, "first": "Alice", "groups": ["/staff/admins"]}`)
	if diff := cmp.Diff(wantUserInfo, ui.json()); diff != "" {
		t.Errorf("userinfo (-want +got):\n%s", diff)
	}

	// Keycloak: AccessTokenIntrospectionProvider; the introspection
	// switch defaults to the access token's.
	in := postForm(t, oidcURL(s, "mappers", "token/introspect"), url.Values{"token": {at}}, "Authorization", basic("rs", "rs-secret"))
	wantIntro := jsonObject(t, `{"active": true, "token_type": "Bearer", "client_id": "mapper-app", "username": "alice"}`)
	for k, v := range wantAccess {
		wantIntro[k] = v
	}
	if diff := cmp.Diff(wantIntro, stable(in.json())); diff != "" {
		t.Errorf("introspection (-want +got):\n%s", diff)
	}
}

// TestLightweightAccessToken checks that a lightweight access token runs
// only the mappers with lightweight.claim on, and that introspection
// answers it in full. Keycloak: AbstractOIDCProtocolMapper.transformAccessToken
// (getShouldUseLightweightToken).
func TestLightweightAccessToken(t *testing.T) {
	t.Parallel()
	data, err := readFixture(mappersRealmFile)
	if err != nil {
		t.Fatal(err)
	}
	data = bytes.Replace(data, []byte(`"clientId": "mapper-app",`),
		[]byte(`"clientId": "mapper-app", "attributes": {"client.use.lightweight.access.token.enabled": "true"},`), 1)
	s := kctest.Start(t, kctest.WithRealmJSON(data))
	tr := token(t, s, "mappers", url.Values{"grant_type": {"password"}, "client_id": {"mapper-app"},
		"username": {"alice"}, "password": {"alice"}})
	at := tr["access_token"].(string)
	want := map[string]any{"typ": "Bearer", "azp": "mapper-app", "scope": "profile email", "beta": true}
	if diff := cmp.Diff(want, stable(verify(t, s, "mappers", at))); diff != "" {
		t.Errorf("lightweight access token (-want +got):\n%s", diff)
	}
	in := postForm(t, oidcURL(s, "mappers", "token/introspect"), url.Values{"token": {at}}, "Authorization", basic("rs", "rs-secret")).json()
	if in["sub"] != aliceID || in["preferred_username"] != "alice" || in["flags"] == nil {
		t.Errorf("introspection of a lightweight token: %v", in)
	}
}

// TestPairwiseSubAndClaimsParameter pins SHA256PairwiseSubMapper (the
// name-based UUID of sha256(host of the redirect URIs, user id, salt)),
// ClaimsParameterTokenMapper (essential standard claims of the "claims"
// parameter go into the ID token), SessionStateMapper and
// NonceBackwardsCompatibleMapper.
func TestPairwiseSubAndClaimsParameter(t *testing.T) {
	t.Parallel()
	s := kctest.Start(t, kctest.WithRealmFile(mappersRealmFile))
	tr := token(t, s, "mappers", url.Values{"grant_type": {"password"}, "client_id": {"pairwise-app"},
		"username": {"alice"}, "password": {"alice"}, "scope": {"openid"}})
	at := verify(t, s, "mappers", tr["access_token"].(string))
	idt := verify(t, s, "mappers", tr["id_token"].(string))
	if at["sub"] != idt["sub"] || at["sub"] == aliceID || len(at["sub"].(string)) != 36 {
		t.Fatalf("pairwise sub: access %v, ID %v", at["sub"], idt["sub"])
	}
	if got := at["sub"].(string); got[14] != '3' {
		t.Errorf("pairwise sub %s is not a version 3 (name-based) UUID", got)
	}
	// Its refresh token carries the pairwise sub too (Keycloak:
	// RefreshToken(AccessToken)) and still refreshes.
	if rt := decodeClaims(t, tr["refresh_token"].(string)); rt["sub"] != at["sub"] {
		t.Errorf("refresh token sub %v, want %v", rt["sub"], at["sub"])
	}
	again := token(t, s, "mappers", url.Values{"grant_type": {"refresh_token"}, "client_id": {"pairwise-app"},
		"refresh_token": {tr["refresh_token"].(string)}})
	if got := decodeClaims(t, again["access_token"].(string))["sub"]; got != at["sub"] {
		t.Errorf("refreshed sub %v, want %v", got, at["sub"])
	}
	// The token still works at userinfo: its session names the user.
	ui := do(t, http.MethodGet, oidcURL(s, "mappers", "userinfo"), nil, "Authorization", "Bearer "+tr["access_token"].(string))
	if ui.status != http.StatusOK || ui.json()["sub"] != at["sub"] {
		t.Errorf("userinfo: %d %s", ui.status, ui.body)
	}

	// The claims parameter comes with the authorization request.
	claimsParam := `{"id_token":{"email":{"essential":true},"given_name":{"essential":false}}}`
	tr = browserCodeTokens(t, s, "pairwise-app", url.Values{"claims": {claimsParam}, "nonce": {"n-42"}})
	idt = verify(t, s, "mappers", tr["id_token"].(string))
	if idt["email"] != "alice@example.com" || idt["given_name"] != nil {
		t.Errorf("ID token with the claims parameter: %v", idt)
	}

	// SessionStateMapper and NonceBackwardsCompatibleMapper bring back
	// the claims Keycloak 25 removed from access tokens; the refresh token
	// takes the nonce from the access token.
	at = verify(t, s, "mappers", tr["access_token"].(string))
	if at["session_state"] != at["sid"] || at["sid"] == nil || at["nonce"] != "n-42" || idt["session_state"] != nil || idt["nonce"] != "n-42" {
		t.Errorf("access token session_state %v sid %v nonce %v; ID token session_state %v nonce %v",
			at["session_state"], at["sid"], at["nonce"], idt["session_state"], idt["nonce"])
	}
	if rt := decodeClaims(t, tr["refresh_token"].(string)); rt["nonce"] != "n-42" {
		t.Errorf("refresh token nonce = %v", rt["nonce"])
	}
}

// TestUnsupportedMapperFailsLoudly checks that a mapper type kctest does not
// implement is kept (listed by the admin API) but fails a token request
// through it with 500 and a log line, instead of a token without its claim.
func TestUnsupportedMapperFailsLoudly(t *testing.T) {
	t.Parallel()
	var logs bytes.Buffer
	s := kctest.Start(t, kctest.WithRealmFile(mappersRealmFile), kctest.WithLogger(slog.New(slog.NewTextHandler(&logs, nil))))
	r := postForm(t, oidcURL(s, "mappers", "token"), url.Values{"grant_type": {"password"}, "client_id": {"broken-app"},
		"username": {"alice"}, "password": {"alice"}})
	if r.status != http.StatusInternalServerError || r.str("error") != "unknown_error" {
		t.Errorf("token through an unsupported mapper: %d %s", r.status, r.body)
	}
	for _, want := range []string{`mapper=script`, `type=script-claims.js`, `owner="client broken-app"`, "does not implement"} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("log lacks %q:\n%s", want, logs.String())
		}
	}
	if !contains(kctest.SupportedMapperTypes(), "oidc-audience-mapper") || contains(kctest.SupportedMapperTypes(), "script-claims.js") {
		t.Errorf("SupportedMapperTypes = %v", kctest.SupportedMapperTypes())
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func readFixture(path string) ([]byte, error) { return os.ReadFile(path) }

// browserCodeTokens signs alice in through the login form of the mappers
// realm for client and exchanges the code.
func browserCodeTokens(t *testing.T, s *kctest.Server, client string, extra url.Values) map[string]any {
	t.Helper()
	const redirect = "http://127.0.0.1/callback"
	v := url.Values{"client_id": {client}, "redirect_uri": {redirect}, "response_type": {"code"}, "scope": {"openid"}, "state": {"st"}}
	for k, vals := range extra {
		v[k] = vals
	}
	r := postForm(t, oidcURL(s, "mappers", "auth")+"?"+v.Encode(), url.Values{"username": {"alice"}, "password": {"alice"}})
	loc, err := url.Parse(r.header.Get("Location"))
	if r.status != http.StatusFound || err != nil || loc.Query().Get("code") == "" {
		t.Fatalf("login: %d %s", r.status, r.body)
	}
	return token(t, s, "mappers", url.Values{"grant_type": {"authorization_code"}, "client_id": {client},
		"code": {loc.Query().Get("code")}, "redirect_uri": {redirect}})
}

// TestBrowserLoginSessionNotes checks the user session note AUTH_TIME: a
// login through the form sets it (AuthenticationManager
// .redirectAfterSuccessfulFlow), so the basic scope's auth_time mapper and
// mapper-app's login_time note mapper (jsonType long) write it; acr is 1.
func TestBrowserLoginSessionNotes(t *testing.T) {
	t.Parallel()
	clock := kctest.NewFakeClock(epoch)
	s := kctest.Start(t, kctest.WithRealmFile(mappersRealmFile), kctest.WithClock(clock.Now))
	tr := browserCodeTokens(t, s, "mapper-app", nil)
	at := decodeClaims(t, tr["access_token"].(string))
	idt := decodeClaims(t, tr["id_token"].(string))
	want := float64(epoch.Unix())
	if at["auth_time"] != want || at["login_time"] != want || idt["auth_time"] != want || at["acr"] != "1" || idt["acr"] != "1" {
		t.Errorf("access token auth_time %v login_time %v acr %v; ID token auth_time %v acr %v",
			at["auth_time"], at["login_time"], at["acr"], idt["auth_time"], idt["acr"])
	}
}

// TestBuiltinScopeMappers checks that a new realm's built-in client scopes
// carry Keycloak 26's protocol mappers (OIDCLoginProtocolFactory
// .createDefaultClientScopesImpl, as a fresh realm's export lists them).
func TestBuiltinScopeMappers(t *testing.T) {
	t.Parallel()
	s, _ := startDemo(t)
	admin := adminToken(t, s)
	r := do(t, http.MethodGet, s.URL+"/admin/realms/demo/client-scopes", nil, "Authorization", "Bearer "+admin)
	var scopes []struct {
		Name            string            `json:"name"`
		Description     string            `json:"description"`
		Attributes      map[string]string `json:"attributes"`
		ProtocolMappers []struct {
			Name           string            `json:"name"`
			ProtocolMapper string            `json:"protocolMapper"`
			Config         map[string]string `json:"config"`
		} `json:"protocolMappers"`
	}
	if err := json.Unmarshal(r.body, &scopes); err != nil {
		t.Fatalf("%v: %s", err, r.body)
	}
	got := map[string][]string{}
	for _, sc := range scopes {
		for _, m := range sc.ProtocolMappers {
			got[sc.Name] = append(got[sc.Name], m.Name+"="+m.ProtocolMapper)
			if sc.Name == "profile" && m.Name == "username" {
				want := map[string]string{"introspection.token.claim": "true", "userinfo.token.claim": "true", "user.attribute": "username",
					"id.token.claim": "true", "access.token.claim": "true", "claim.name": "preferred_username", "jsonType.label": "String"}
				if diff := cmp.Diff(want, m.Config); diff != "" {
					t.Errorf("profile/username config (-want +got):\n%s", diff)
				}
			}
		}
		if sc.Name == "roles" && (sc.Description != "OpenID Connect scope for add user roles to the access token" || sc.Attributes["consent.screen.text"] != "${rolesScopeConsentText}") {
			t.Errorf("roles scope: %q %v", sc.Description, sc.Attributes)
		}
	}
	want := map[string][]string{
		"basic":             {"sub=oidc-sub-mapper", "auth_time=oidc-usersessionmodel-note-mapper"},
		"roles":             {"audience resolve=oidc-audience-resolve-mapper", "client roles=oidc-usermodel-client-role-mapper", "realm roles=oidc-usermodel-realm-role-mapper"},
		"web-origins":       {"allowed web origins=oidc-allowed-origins-mapper"},
		"acr":               {"acr loa level=oidc-acr-mapper"},
		"email":             {"email verified=oidc-usermodel-property-mapper", "email=oidc-usermodel-attribute-mapper"},
		"address":           {"address=oidc-address-mapper"},
		"phone":             {"phone number=oidc-usermodel-attribute-mapper", "phone number verified=oidc-usermodel-attribute-mapper"},
		"microprofile-jwt":  {"groups=oidc-usermodel-realm-role-mapper", "upn=oidc-usermodel-attribute-mapper"},
		"organization":      {"organization=oidc-organization-membership-mapper"},
		"role_list":         {"role list=saml-role-list-mapper"},
		"saml_organization": {"organization=saml-organization-membership-mapper"},
		"service_account":   {"Client Host=oidc-usersessionmodel-note-mapper", "Client IP Address=oidc-usersessionmodel-note-mapper", "Client ID=oidc-usersessionmodel-note-mapper"},
		"profile": {"birthdate=oidc-usermodel-attribute-mapper", "family name=oidc-usermodel-attribute-mapper", "profile=oidc-usermodel-attribute-mapper",
			"username=oidc-usermodel-attribute-mapper", "updated at=oidc-usermodel-attribute-mapper", "locale=oidc-usermodel-attribute-mapper",
			"nickname=oidc-usermodel-attribute-mapper", "picture=oidc-usermodel-attribute-mapper", "zoneinfo=oidc-usermodel-attribute-mapper",
			"gender=oidc-usermodel-attribute-mapper", "website=oidc-usermodel-attribute-mapper", "full name=oidc-full-name-mapper",
			"given name=oidc-usermodel-attribute-mapper", "middle name=oidc-usermodel-attribute-mapper"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("built-in scope mappers (-want +got):\n%s", diff)
	}
}

// lastSegment returns the id at the end of a Location header.
func lastSegment(loc string) string { return loc[strings.LastIndex(loc, "/")+1:] }

// TestScopeMappersThroughAdminAPI builds a client scope with the Admin API:
// its mapper writes the token once the scope is linked and requested, and
// a scope with a role scope mapping applies only to users with that role
// (DefaultClientSessionContext.isClientScopePermittedForUser).
func TestScopeMappersThroughAdminAPI(t *testing.T) {
	t.Parallel()
	s, _ := startDemo(t)
	tok := adminToken(t, s)
	r := adminDo(t, s, tok, http.MethodPost, "/admin/realms/demo/client-scopes",
		`{"name":"premium","protocol":"openid-connect","attributes":{"include.in.token.scope":"true"}}`)
	if r.status != http.StatusCreated {
		t.Fatalf("create scope: %d %s", r.status, r.body)
	}
	scope := lastSegment(r.header.Get("Location"))
	r = adminDo(t, s, tok, http.MethodPost, "/admin/realms/demo/client-scopes/"+scope+"/protocol-mappers/models",
		`{"name":"tier","protocol":"openid-connect","protocolMapper":"oidc-hardcoded-claim-mapper",
		  "config":{"claim.name":"tier","claim.value":"gold","jsonType.label":"String","access.token.claim":"true"}}`)
	if r.status != http.StatusCreated {
		t.Fatalf("add mapper: %d %s", r.status, r.body)
	}
	// Mappers in the representation are kept on create.
	r = adminDo(t, s, tok, http.MethodPost, "/admin/realms/demo/client-scopes",
		`{"name":"inline","protocolMappers":[{"name":"x","protocolMapper":"oidc-hardcoded-claim-mapper","config":{"claim.name":"x","claim.value":"1"}}]}`)
	if r.status != http.StatusCreated {
		t.Fatalf("create scope with mappers: %d %s", r.status, r.body)
	}
	got := adminDo(t, s, tok, http.MethodGet, "/admin/realms/demo/client-scopes/"+lastSegment(r.header.Get("Location")), "").json()
	if ms, _ := got["protocolMappers"].([]any); len(ms) != 1 || ms[0].(map[string]any)["id"] == "" || ms[0].(map[string]any)["protocol"] != "openid-connect" {
		t.Errorf("scope created with mappers: %v", got)
	}
	clients := adminDo(t, s, tok, http.MethodGet, "/admin/realms/demo/clients?clientId=demo-app", "")
	var cl []struct{ ID string }
	if err := json.Unmarshal(clients.body, &cl); err != nil || len(cl) != 1 {
		t.Fatalf("client: %s", clients.body)
	}
	if r = adminDo(t, s, tok, http.MethodPut, "/admin/realms/demo/clients/"+cl[0].ID+"/optional-client-scopes/"+scope, ""); r.status != http.StatusNoContent {
		t.Fatalf("link scope: %d %s", r.status, r.body)
	}
	claimsFor := func() map[string]any {
		return decodeClaims(t, passwordToken(t, s, "alice", "alice", "premium")["access_token"].(string))
	}
	if at := claimsFor(); at["tier"] != "gold" || !strings.Contains(at["scope"].(string), "premium") {
		t.Errorf("with the scope: tier %v, scope %v", at["tier"], at["scope"])
	}

	// Now only holders of realm role vip may have the scope.
	if r = adminDo(t, s, tok, http.MethodPost, "/admin/realms/demo/roles", `{"name":"vip"}`); r.status != http.StatusCreated {
		t.Fatalf("role: %d %s", r.status, r.body)
	}
	vip := adminDo(t, s, tok, http.MethodGet, "/admin/realms/demo/roles/vip", "").body
	if r = adminDo(t, s, tok, http.MethodPost, "/admin/realms/demo/client-scopes/"+scope+"/scope-mappings/realm", "["+string(vip)+"]"); r.status != http.StatusNoContent {
		t.Fatalf("scope mapping: %d %s", r.status, r.body)
	}
	if at := claimsFor(); at["tier"] != nil || strings.Contains(at["scope"].(string), "premium") {
		t.Errorf("alice without vip: tier %v, scope %v", at["tier"], at["scope"])
	}
	users := adminDo(t, s, tok, http.MethodGet, "/admin/realms/demo/users?username=alice&exact=true", "")
	var us []struct{ ID string }
	if err := json.Unmarshal(users.body, &us); err != nil || len(us) != 1 {
		t.Fatalf("user: %s", users.body)
	}
	if r = adminDo(t, s, tok, http.MethodPost, "/admin/realms/demo/users/"+us[0].ID+"/role-mappings/realm", "["+string(vip)+"]"); r.status != http.StatusNoContent {
		t.Fatalf("grant vip: %d %s", r.status, r.body)
	}
	if at := claimsFor(); at["tier"] != "gold" {
		t.Errorf("alice with vip: tier %v", at["tier"])
	}
}

// TestReadmeAudienceMapper pins the README's example: an audience mapper on
// the client, then the roles scope's audience resolver.
func TestReadmeAudienceMapper(t *testing.T) {
	t.Parallel()
	realm := `{
  "realm": "shop",
  "clients": [{
    "clientId": "web", "publicClient": true, "directAccessGrantsEnabled": true,
    "protocolMappers": [{
      "name": "orders audience", "protocol": "openid-connect",
      "protocolMapper": "oidc-audience-mapper",
      "config": {"included.client.audience": "orders-api", "access.token.claim": "true", "id.token.claim": "false"}
    }]
  }],
  "users": [{"username": "ann", "enabled": true, "credentials": [{"type": "password", "value": "pw"}]}]
}`
	s := kctest.Start(t, kctest.WithRealmJSON([]byte(realm)))
	tr := token(t, s, "shop", url.Values{"grant_type": {"password"}, "client_id": {"web"},
		"username": {"ann"}, "password": {"pw"}, "scope": {"openid"}})
	at := verify(t, s, "shop", tr["access_token"].(string))
	if diff := cmp.Diff([]any{"orders-api", "account"}, at["aud"]); diff != "" {
		t.Errorf("access token aud (-want +got):\n%s", diff)
	}
	if id := verify(t, s, "shop", tr["id_token"].(string)); id["aud"] != "web" {
		t.Errorf("ID token aud = %v", id["aud"])
	}
}
