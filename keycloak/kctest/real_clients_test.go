package kctest_test

import (
	"crypto/hmac"
	"crypto/sha512"
	"encoding/base64"
	"encoding/json"
	"html"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/go-jose/go-jose/v4"
	"github.com/google/go-cmp/cmp"
)

// What official clients (the Node admin client, gocloak, scripts) read
// from Keycloak 26, pinned on the wire.

// TestAdminKeysListsEveryActiveKey: GET /admin/realms/{r}/keys lists the
// four keys of a fresh realm, the RSA ones with the kids of the JWKS, each
// with exactly KeysMetadataRepresentation.KeyMetadataRepresentation's
// members. Keycloak: KeyResource.getKeyMetadata.
func TestAdminKeysListsEveryActiveKey(t *testing.T) {
	t.Parallel()
	s, tok := startAdmin(t)
	r := adminDo(t, s, tok, "GET", "/admin/realms/acme/keys", "")
	if r.status != 200 {
		t.Fatalf("keys: %d %s", r.status, r.body)
	}
	var keys struct {
		Active map[string]string `json:"active"`
		Keys   []map[string]any  `json:"keys"`
	}
	if err := json.Unmarshal(r.body, &keys); err != nil {
		t.Fatal(err)
	}
	var jwks struct {
		Keys []struct{ Kid, Alg, Use string } `json:"keys"`
	}
	_ = json.Unmarshal(do(t, "GET", oidcURL(s, "acme", "certs"), nil).body, &jwks)
	jwkKid := map[string]string{}
	for _, k := range jwks.Keys {
		jwkKid[k.Alg] = k.Kid
	}
	type shape struct {
		Type, Algorithm, Use, Status string
		Members                      []string
	}
	var got []shape
	rsaMembers := []string{"algorithm", "certificate", "kid", "providerId", "providerPriority", "publicKey", "status", "type", "use", "validTo"}
	octMembers := []string{"algorithm", "kid", "providerId", "providerPriority", "status", "type", "use"}
	for _, k := range keys.Keys {
		var members []string
		for m := range k {
			members = append(members, m)
		}
		sort.Strings(members)
		got = append(got, shape{k["type"].(string), k["algorithm"].(string), k["use"].(string), k["status"].(string), members})
		alg := k["algorithm"].(string)
		if keys.Active[alg] != k["kid"] {
			t.Errorf("active[%s] = %q, want %v", alg, keys.Active[alg], k["kid"])
		}
		if k["type"] == "RSA" && jwkKid[alg] != k["kid"] {
			t.Errorf("%s kid %v, JWKS has %q", alg, k["kid"], jwkKid[alg])
		}
	}
	want := []shape{
		{"RSA", "RS256", "SIG", "ACTIVE", rsaMembers},
		{"RSA", "RSA-OAEP", "ENC", "ACTIVE", rsaMembers},
		{"OCT", "HS512", "SIG", "ACTIVE", octMembers},
		{"OCT", "AES", "ENC", "ACTIVE", octMembers},
	}
	sortShapes := func(s []shape) { sort.Slice(s, func(i, j int) bool { return s[i].Algorithm < s[j].Algorithm }) }
	sortShapes(got)
	sortShapes(want)
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("keys (-want +got):\n%s", d)
	}
}

// TestDiscoveryHasEveryKeycloak26Member: the discovery document has every
// member of Keycloak 26's (OIDCWellKnownProvider.getConfig), and the
// endpoints it names for PAR and mTLS are kctest's.
func TestDiscoveryHasEveryKeycloak26Member(t *testing.T) {
	t.Parallel()
	s, _ := startDemo(t)
	r := do(t, "GET", s.URL+"/realms/demo/.well-known/openid-configuration", nil)
	doc := r.json()
	members := []string{
		"issuer", "authorization_endpoint", "token_endpoint", "introspection_endpoint", "userinfo_endpoint", "end_session_endpoint",
		"frontchannel_logout_session_supported", "frontchannel_logout_supported", "jwks_uri", "check_session_iframe",
		"grant_types_supported", "acr_values_supported", "response_types_supported", "subject_types_supported", "prompt_values_supported",
		"id_token_signing_alg_values_supported", "id_token_encryption_alg_values_supported", "id_token_encryption_enc_values_supported",
		"userinfo_signing_alg_values_supported", "userinfo_encryption_alg_values_supported", "userinfo_encryption_enc_values_supported",
		"request_object_signing_alg_values_supported", "request_object_encryption_alg_values_supported", "request_object_encryption_enc_values_supported",
		"response_modes_supported", "registration_endpoint", "token_endpoint_auth_methods_supported", "token_endpoint_auth_signing_alg_values_supported",
		"introspection_endpoint_auth_methods_supported", "introspection_endpoint_auth_signing_alg_values_supported",
		"authorization_signing_alg_values_supported", "authorization_encryption_alg_values_supported", "authorization_encryption_enc_values_supported",
		"claims_supported", "claim_types_supported", "claims_parameter_supported", "scopes_supported", "request_parameter_supported",
		"request_uri_parameter_supported", "require_request_uri_registration", "code_challenge_methods_supported",
		"tls_client_certificate_bound_access_tokens", "revocation_endpoint", "revocation_endpoint_auth_methods_supported",
		"revocation_endpoint_auth_signing_alg_values_supported", "backchannel_logout_supported", "backchannel_logout_session_supported",
		"device_authorization_endpoint", "backchannel_token_delivery_modes_supported", "backchannel_authentication_endpoint",
		"backchannel_authentication_request_signing_alg_values_supported", "require_pushed_authorization_requests",
		"pushed_authorization_request_endpoint", "mtls_endpoint_aliases", "authorization_response_iss_parameter_supported",
	}
	var got []string
	for k := range doc {
		got = append(got, k)
	}
	sort.Strings(got)
	sort.Strings(members)
	if d := cmp.Diff(members, got); d != "" {
		t.Errorf("members (-want +got):\n%s", d)
	}
	p := s.URL + "/realms/demo/protocol/openid-connect"
	if doc["pushed_authorization_request_endpoint"] != p+"/ext/par/request" || doc["require_pushed_authorization_requests"] != false {
		t.Errorf("PAR members: %v %v", doc["pushed_authorization_request_endpoint"], doc["require_pushed_authorization_requests"])
	}
	aliases, _ := doc["mtls_endpoint_aliases"].(map[string]any)
	if aliases["token_endpoint"] != p+"/token" || aliases["pushed_authorization_request_endpoint"] != p+"/ext/par/request" || len(aliases) != 8 {
		t.Errorf("mtls_endpoint_aliases = %v", aliases)
	}
	if ui := asSlice(doc["userinfo_signing_alg_values_supported"]); ui[len(ui)-1] != "none" || !slices.Contains(ui, any("HS512")) {
		t.Errorf("userinfo_signing_alg_values_supported = %v", ui)
	}
}

// TestPushedAuthorizationRequest: RFC 9126 as Keycloak's ParEndpoint
// serves it: 201 with request_uri and expires_in (the realm's
// parRequestUriLifespan), the authorization endpoint takes the pushed
// request once, and the checks of the authorization endpoint answer 400.
func TestPushedAuthorizationRequest(t *testing.T) {
	t.Parallel()
	s, clock := startDemo(t)
	par := oidcURL(s, "demo", "ext/par/request")
	push := func(extra ...string) result {
		return postForm(t, par, demoAuthParams(extra...))
	}
	r := push()
	if r.status != 201 || !strings.HasPrefix(r.str("request_uri"), "urn:ietf:params:oauth:request_uri:") || r.json()["expires_in"] != float64(60) {
		t.Fatalf("push: %d %s", r.status, r.body)
	}
	requestURI := r.str("request_uri")
	u := oidcURL(s, "demo", "auth") + "?" + url.Values{"client_id": {"demo-app"}, "request_uri": {requestURI}}.Encode()
	page := do(t, "GET", u, nil)
	if page.status != 200 || !strings.Contains(string(page.body), `name="username"`) {
		t.Fatalf("auth with request_uri: %d %s", page.status, page.body)
	}
	action := formAction(t, string(page.body))
	login := postForm(t, action, url.Values{"username": {"alice"}, "password": {"alice"}})
	loc, _ := url.Parse(login.header.Get("Location"))
	if login.status != 302 || loc.Query().Get("state") != "st" || loc.Query().Get("code") == "" {
		t.Fatalf("login: %d %s %s", login.status, login.header.Get("Location"), login.body)
	}
	if again := do(t, "GET", u, nil); again.status != 400 || !strings.Contains(string(again.body), "Invalid Request") {
		t.Errorf("second use: %d %s", again.status, again.body)
	}
	// An expired request_uri is refused too.
	expiring := push().str("request_uri")
	clock.Advance(61e9)
	if r := do(t, "GET", oidcURL(s, "demo", "auth")+"?client_id=demo-app&request_uri="+url.QueryEscape(expiring), nil); r.status != 400 {
		t.Errorf("expired: %d %s", r.status, r.body)
	}

	for _, tc := range []struct {
		name       string
		form       url.Values
		header     []string
		status     int
		code, desc string
	}{
		{"request_uri inside", demoAuthParams("request_uri", "urn:x"), nil, 400, "invalid_request", "It is not allowed to include request_uri to PAR."},
		{"bad redirect_uri", demoAuthParams("redirect_uri", "http://evil/cb"), nil, 400, "invalid_request", "Invalid parameter: redirect_uri"},
		{"unknown response_type", demoAuthParams("response_type", "bogus"), nil, 400, "invalid_request", "Unsupported response type"},
		{"unknown scope", demoAuthParams("scope", "openid nope"), nil, 400, "invalid_request", "Invalid scopes: openid nope"},
		{"wrong secret", url.Values{"response_type": {"code"}, "redirect_uri": {demoRedirect}}, []string{"Authorization", basic("demo-service", "wrong")}, 401, "unauthorized_client", "Invalid client or Invalid client credentials"},
	} {
		r := postForm(t, par, tc.form, tc.header...)
		if e := oauthErr(r); r.status != tc.status || e.Error != tc.code || e.ErrorDescription != tc.desc {
			t.Errorf("%s: %d %s", tc.name, r.status, r.body)
		}
	}
}

var formTagRE = regexp.MustCompile(`<form [^>]*>`)

// formAction returns the action of the login page's form, unescaped.
func formAction(t *testing.T, page string) string {
	t.Helper()
	tag := formTagRE.FindString(page)
	m := regexp.MustCompile(`action="([^"]*)"`).FindStringSubmatch(tag)
	if m == nil {
		t.Fatalf("no form action in %s", page)
	}
	return html.UnescapeString(m[1])
}

// TestLoginFormActionCarriesSession: the login form's action is an absolute
// URL (Keycloak's url.loginAction, LoginActionsService.authenticate) whose
// query names the authentication session, and action comes before method
// as in the login theme's login.ftl: a script that scrapes the action and
// posts only username and password logs in.
func TestLoginFormActionCarriesSession(t *testing.T) {
	t.Parallel()
	s, _ := startDemo(t)
	page := do(t, "GET", authURL(s, demoAuthParams()), nil)
	tag := formTagRE.FindString(string(page.body))
	if ai, mi := strings.Index(tag, "action="), strings.Index(tag, "method="); ai < 0 || mi < 0 || ai > mi {
		t.Errorf("form tag %s: action must come before method", tag)
	}
	if strings.Contains(string(page.body), `type="hidden"`) {
		t.Errorf("the form carries the request in hidden fields:\n%s", page.body)
	}
	action := formAction(t, string(page.body))
	au, err := url.Parse(action)
	if err != nil || !au.IsAbs() || au.Path != "/realms/demo/login-actions/authenticate" {
		t.Fatalf("action %q is not the absolute login-actions URL", action)
	}
	q := au.Query()
	for _, k := range []string{"session_code", "execution", "tab_id"} {
		if q.Get(k) == "" {
			t.Errorf("action %s has no %s", action, k)
		}
	}
	if q.Get("client_id") != "demo-app" {
		t.Errorf("action client_id = %q", q.Get("client_id"))
	}
	// A wrong password shows the form again, for the same session.
	bad := postForm(t, action, url.Values{"username": {"alice"}, "password": {"nope"}})
	if bad.status != 200 || !strings.Contains(string(bad.body), "Invalid username or password.") {
		t.Fatalf("bad password: %d %s", bad.status, bad.body)
	}
	again, _ := url.Parse(formAction(t, string(bad.body)))
	if again.Query().Get("tab_id") != q.Get("tab_id") {
		t.Errorf("retry form is for tab %q, want %q", again.Query().Get("tab_id"), q.Get("tab_id"))
	}
	ok := postForm(t, again.String(), url.Values{"username": {"alice"}, "password": {"alice"}})
	loc, _ := url.Parse(ok.header.Get("Location"))
	if ok.status != 302 || !strings.HasPrefix(loc.String(), demoRedirect+"?") || loc.Query().Get("code") == "" || loc.Query().Get("state") != "st" {
		t.Fatalf("login: %d %s", ok.status, ok.header.Get("Location"))
	}
	if tr := exchange(t, s, loc.Query().Get("code")); tr.status != 200 {
		t.Errorf("code exchange: %d %s", tr.status, tr.body)
	}
	// The session is used up: posting to it again times out, as in Keycloak.
	if r := postForm(t, again.String(), url.Values{"username": {"alice"}, "password": {"alice"}}); r.status != 400 ||
		!strings.Contains(string(r.body), "Your login attempt timed out.") {
		t.Errorf("used session: %d %s", r.status, r.body)
	}
}

// TestSignedUserInfo: a client with the attribute
// user.info.response.signature.alg gets userinfo as application/jwt
// signed with the realm's key for that algorithm, carrying iss and aud.
// Keycloak: UserInfoEndpoint.issueUserInfo.
func TestSignedUserInfo(t *testing.T) {
	t.Parallel()
	s, tok := startAdmin(t)
	hs512Secret := "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldA"
	for _, body := range []string{
		`{"clientId":"rs","publicClient":true,"directAccessGrantsEnabled":true,"attributes":{"user.info.response.signature.alg":"RS256"}}`,
		`{"clientId":"hs","publicClient":true,"directAccessGrantsEnabled":true,"attributes":{"user.info.response.signature.alg":"HS512"}}`,
		`{"clientId":"es","publicClient":true,"directAccessGrantsEnabled":true,"attributes":{"user.info.response.signature.alg":"ES256"}}`,
		`{"clientId":"plain","publicClient":true,"directAccessGrantsEnabled":true}`,
	} {
		if r := adminDo(t, s, tok, "POST", "/admin/realms/acme/clients", body); r.status != 201 {
			t.Fatalf("create client: %d %s", r.status, r.body)
		}
	}
	if r := adminDo(t, s, tok, "POST", "/admin/realms/acme/users", `{"username":"ann","enabled":true,"email":"ann@example.com","firstName":"Ann","lastName":"A","credentials":[{"type":"password","value":"pw","temporary":false}]}`); r.status != 201 {
		t.Fatalf("create user: %d %s", r.status, r.body)
	}
	// The HMAC key comes from a key provider with a known secret, so that
	// the test can check the signature.
	if r := adminDo(t, s, tok, "POST", "/admin/realms/acme/components", `{"name":"hs","providerId":"hmac-generated","providerType":"org.keycloak.keys.KeyProvider","config":{"priority":["500"],"algorithm":["HS512"],"secret":["`+hs512Secret+`"],"kid":["hs-kid"]}}`); r.status != 201 {
		t.Logf("HMAC key provider with a given secret: %d %s (checking the header only)", r.status, r.body)
		hs512Secret = ""
	}
	userinfo := func(clientID string) result {
		at := token(t, s, "acme", url.Values{"grant_type": {"password"}, "client_id": {clientID}, "username": {"ann"}, "password": {"pw"}, "scope": {"openid"}})
		return do(t, "GET", oidcURL(s, "acme", "userinfo"), nil, "Authorization", "Bearer "+at["access_token"].(string))
	}

	rs := userinfo("rs")
	if rs.status != 200 || rs.header.Get("Content-Type") != "application/jwt" {
		t.Fatalf("RS256 userinfo: %d %s %s", rs.status, rs.header.Get("Content-Type"), rs.body)
	}
	claims := verify(t, s, "acme", string(rs.body))
	if claims["iss"] != s.URL+"/realms/acme" || claims["aud"] != "rs" || claims["preferred_username"] != "ann" || claims["email"] != "ann@example.com" {
		t.Errorf("RS256 userinfo claims = %v", claims)
	}

	hs := userinfo("hs")
	if hs.status != 200 || hs.header.Get("Content-Type") != "application/jwt" {
		t.Fatalf("HS512 userinfo: %d %s %s", hs.status, hs.header.Get("Content-Type"), hs.body)
	}
	jws, err := jose.ParseSignedCompact(string(hs.body), []jose.SignatureAlgorithm{jose.HS512})
	if err != nil {
		t.Fatalf("HS512 userinfo: %v", err)
	}
	if h := jws.Signatures[0].Header; h.ExtraHeaders["typ"] != "JWT" || h.KeyID == "" {
		t.Errorf("HS512 header = %+v", h)
	}
	if hs512Secret != "" {
		secret, _ := base64.RawURLEncoding.DecodeString(hs512Secret)
		parts := strings.Split(string(hs.body), ".")
		m := hmac.New(sha512.New, secret)
		m.Write([]byte(parts[0] + "." + parts[1]))
		if base64.RawURLEncoding.EncodeToString(m.Sum(nil)) != parts[2] {
			t.Errorf("HS512 userinfo is not signed with the HS512 key of priority 500")
		}
	}

	// No ES256 key in the realm: Keycloak fails to find an active key.
	if es := userinfo("es"); es.status != 500 || oauthErr(es).Error != "unknown_error" {
		t.Errorf("ES256 userinfo without an EC key: %d %s", es.status, es.body)
	}
	if plain := userinfo("plain"); plain.status != 200 || !strings.HasPrefix(plain.header.Get("Content-Type"), "application/json") {
		t.Errorf("plain userinfo: %d %s", plain.status, plain.header.Get("Content-Type"))
	}
}

// TestUMAResourceScopeMembers: the Protection API writes a resource's
// scopes under both "resource_scopes" (UmaResourceRepresentation's
// getter) and "scopes" (ResourceRepresentation's field, NON_EMPTY); a
// created resource's scopes carry their ids and it has no attributes
// (UmaResourceRepresentation(ResourceRepresentation)), a fetched one's
// scopes carry their names only (UmaResourceRepresentation(Resource)); the
// deep list writes admin representations. Keycloak: ResourceService.
func TestUMAResourceScopeMembers(t *testing.T) {
	t.Parallel()
	s, _ := photoz(t)
	pat := pzPAT(t, s)
	base := s.URL + "/realms/photoz/authz/protection/resource_set"
	auth := []string{"Authorization", "Bearer " + pat, "Content-Type", "application/json"}
	r := do(t, "POST", base, strings.NewReader(`{"name":"Scoped","resource_scopes":["doc:read"],"attributes":{"a":["b"]}}`), auth...)
	created := r.json()
	if r.status != 201 {
		t.Fatalf("create: %d %s", r.status, r.body)
	}
	id := created["_id"].(string)
	cs, ss := asSlice(created["resource_scopes"]), asSlice(created["scopes"])
	if len(cs) != 1 || len(ss) != 1 || cs[0].(map[string]any)["id"] == nil || cs[0].(map[string]any)["name"] != "doc:read" {
		t.Errorf("created scopes: %s", r.body)
	}
	if _, has := created["attributes"]; has {
		t.Errorf("created resource has attributes: %s", r.body)
	}
	g := do(t, "GET", base+"/"+id, nil, auth...)
	got := g.json()
	wantScopes := []any{map[string]any{"name": "doc:read"}}
	if d := cmp.Diff(wantScopes, got["resource_scopes"]); d != "" {
		t.Errorf("GET resource_scopes (-want +got):\n%s", d)
	}
	if d := cmp.Diff(wantScopes, got["scopes"]); d != "" {
		t.Errorf("GET scopes (-want +got):\n%s", d)
	}
	if d := cmp.Diff(map[string]any{"a": []any{"b"}}, got["attributes"]); d != "" {
		t.Errorf("GET attributes (-want +got):\n%s", d)
	}
	// No scopes: "scopes" is left out, "resource_scopes" is empty.
	e := do(t, "POST", base, strings.NewReader(`{"name":"Unscoped"}`), auth...).json()
	if _, has := e["scopes"]; has || e["resource_scopes"] == nil || len(asSlice(e["resource_scopes"])) != 0 {
		t.Errorf("unscoped resource: %v", e)
	}
	var deep []map[string]any
	_ = json.Unmarshal(do(t, "GET", base+"?deep=true&name=Scoped&exactName=true", nil, auth...).body, &deep)
	if len(deep) != 1 || deep[0]["resource_scopes"] != nil || len(asSlice(deep[0]["scopes"])) != 1 {
		t.Errorf("deep list: %v", deep)
	}
}
