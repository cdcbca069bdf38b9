package kctest_test

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/kcgo/kc/keycloak/kctest"
)

func TestDiscovery(t *testing.T) {
	t.Parallel()
	for _, base := range []string{"", "/auth"} {
		t.Run("base="+base, func(t *testing.T) {
			t.Parallel()
			var opts []kctest.Option
			if base != "" {
				opts = append(opts, kctest.WithBasePath(base))
			}
			s, _ := startDemo(t, opts...)
			if !strings.HasSuffix(s.URL, base) {
				t.Fatalf("URL %q lacks base path %q", s.URL, base)
			}
			iss := s.URL + "/realms/demo"
			r := do(t, http.MethodGet, iss+"/.well-known/openid-configuration", nil)
			if r.status != http.StatusOK {
				t.Fatalf("status %d", r.status)
			}
			d := r.json()
			want := map[string]string{
				"issuer":                        iss,
				"authorization_endpoint":        iss + "/protocol/openid-connect/auth",
				"token_endpoint":                iss + "/protocol/openid-connect/token",
				"introspection_endpoint":        iss + "/protocol/openid-connect/token/introspect",
				"userinfo_endpoint":             iss + "/protocol/openid-connect/userinfo",
				"end_session_endpoint":          iss + "/protocol/openid-connect/logout",
				"jwks_uri":                      iss + "/protocol/openid-connect/certs",
				"revocation_endpoint":           iss + "/protocol/openid-connect/revoke",
				"device_authorization_endpoint": iss + "/protocol/openid-connect/auth/device",
				"registration_endpoint":         iss + "/clients-registrations/openid-connect",
			}
			got := map[string]string{}
			for k := range want {
				got[k], _ = d[k].(string)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("discovery (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff([]any{"plain", "S256"}, d["code_challenge_methods_supported"]); diff != "" {
				t.Errorf("code_challenge_methods_supported (-want +got):\n%s", diff)
			}
			if scopes, _ := d["scopes_supported"].([]any); len(scopes) == 0 || scopes[0] != "openid" {
				t.Errorf("scopes_supported = %v, want openid first", scopes)
			}

			u := do(t, http.MethodGet, iss+"/.well-known/uma2-configuration", nil).json()
			wantUMA := map[string]string{
				"issuer":                         iss,
				"token_endpoint":                 iss + "/protocol/openid-connect/token",
				"resource_registration_endpoint": iss + "/authz/protection/resource_set",
				"permission_endpoint":            iss + "/authz/protection/permission",
				"policy_endpoint":                iss + "/authz/protection/uma-policy",
			}
			gotUMA := map[string]string{}
			for k := range wantUMA {
				gotUMA[k], _ = u[k].(string)
			}
			if diff := cmp.Diff(wantUMA, gotUMA); diff != "" {
				t.Errorf("uma2-configuration (-want +got):\n%s", diff)
			}

			// The token's iss follows the base path too.
			tok := token(t, s, "demo", url.Values{"grant_type": {"client_credentials"}, "client_id": {"demo-service"}, "client_secret": {"demo-service-secret"}})
			if got := decodeClaims(t, tok["access_token"].(string))["iss"]; got != iss {
				t.Errorf("iss = %v, want %v", got, iss)
			}
		})
	}
}

func TestUnknownRealm(t *testing.T) {
	t.Parallel()
	s, _ := startDemo(t)
	r := do(t, http.MethodGet, s.URL+"/realms/nope/.well-known/openid-configuration", nil)
	if r.status != http.StatusNotFound || r.str("error") != "Realm does not exist" {
		t.Errorf("got %d %s", r.status, r.body)
	}
}

func TestTokenEndpointErrors(t *testing.T) {
	t.Parallel()
	s, _ := startDemo(t)
	if _, err := s.AddClient("demo", kctest.Client{ClientID: "bearer", BearerOnly: true, Secret: "s"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddUser("demo", kctest.User{Username: "off", Password: "off", Enabled: new(false)}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddUser("demo", kctest.User{Username: "setup", Password: "setup", RequiredActions: []string{"UPDATE_PASSWORD"}}); err != nil {
		t.Fatal(err)
	}
	pw := func(user, pass string) url.Values {
		return url.Values{"grant_type": {"password"}, "client_id": {"demo-app"}, "username": {user}, "password": {pass}}
	}
	tests := []struct {
		name   string
		form   url.Values
		header []string
		status int
		want   errorBody
	}{
		{"missing grant_type", url.Values{"client_id": {"demo-app"}}, nil, 400, errorBody{"invalid_request", "Missing form parameter: grant_type"}},
		{"unknown grant", url.Values{"grant_type": {"magic"}, "client_id": {"demo-app"}}, nil, 400, errorBody{"unsupported_grant_type", "Unsupported grant_type"}},
		{"no client id", url.Values{"grant_type": {"password"}}, nil, 400, errorBody{"invalid_client", "Missing client_id parameter"}},
		{"unknown client", url.Values{"grant_type": {"password"}, "client_id": {"nope"}}, nil, 401, errorBody{"invalid_client", "Invalid client or Invalid client credentials"}},
		{"wrong secret", url.Values{"grant_type": {"client_credentials"}, "client_id": {"demo-service"}, "client_secret": {"bad"}}, nil, 401, errorBody{"unauthorized_client", "Invalid client or Invalid client credentials"}},
		{"missing secret", url.Values{"grant_type": {"client_credentials"}, "client_id": {"demo-service"}}, nil, 401, errorBody{"unauthorized_client", "Invalid client or Invalid client credentials"}},
		{"wrong basic secret", url.Values{"grant_type": {"client_credentials"}}, []string{"Authorization", basic("demo-service", "bad")}, 401, errorBody{"unauthorized_client", "Invalid client or Invalid client credentials"}},
		{"bearer only", url.Values{"grant_type": {"client_credentials"}, "client_id": {"bearer"}, "client_secret": {"s"}}, nil, 400, errorBody{"invalid_client", "Bearer-only not allowed"}},
		{"duplicated parameter", url.Values{"grant_type": {"password"}, "client_id": {"demo-app"}, "username": {"alice", "bob"}, "password": {"alice"}}, nil, 400, errorBody{"invalid_request", "duplicated parameter"}},
		{"no direct grants", url.Values{"grant_type": {"password"}, "client_id": {"demo-service"}, "client_secret": {"demo-service-secret"}, "username": {"alice"}, "password": {"alice"}}, nil, 400, errorBody{"unauthorized_client", "Client not allowed for direct access grants"}},
		{"missing username", url.Values{"grant_type": {"password"}, "client_id": {"demo-app"}}, nil, 401, errorBody{"invalid_request", "Missing parameter: username"}},
		{"wrong password", pw("alice", "nope"), nil, 401, errorBody{"invalid_grant", "Invalid user credentials"}},
		{"unknown user", pw("zed", "zed"), nil, 401, errorBody{"invalid_grant", "Invalid user credentials"}},
		{"disabled user", pw("off", "off"), nil, 400, errorBody{"invalid_grant", "Account disabled"}},
		{"required action", pw("setup", "setup"), nil, 400, errorBody{"invalid_grant", "Account is not fully set up"}},
		{"bad scope", url.Values{"grant_type": {"password"}, "client_id": {"demo-app"}, "username": {"alice"}, "password": {"alice"}, "scope": {"openid nope"}}, nil, 400, errorBody{"invalid_scope", "Invalid scopes: openid nope"}},
		{"public client credentials", url.Values{"grant_type": {"client_credentials"}, "client_id": {"demo-app"}}, nil, 401, errorBody{"unauthorized_client", "Public client not allowed to retrieve service account"}},
		{"no refresh token", url.Values{"grant_type": {"refresh_token"}, "client_id": {"demo-app"}}, nil, 400, errorBody{"invalid_request", "No refresh token"}},
		{"bad refresh token", url.Values{"grant_type": {"refresh_token"}, "client_id": {"demo-app"}, "refresh_token": {"x.y.z"}}, nil, 400, errorBody{"invalid_grant", "Invalid refresh token"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := postForm(t, oidcURL(s, "demo", "token"), tt.form, tt.header...)
			if r.status != tt.status {
				t.Errorf("status = %d, want %d (body %s)", r.status, tt.status, r.body)
			}
			if diff := cmp.Diff(tt.want, oauthErr(r)); diff != "" {
				t.Errorf("body (-want +got):\n%s", diff)
			}
			if got := r.header.Get("Cache-Control"); got != "no-store" {
				t.Errorf("Cache-Control = %q", got)
			}
			if got := r.header.Get("Pragma"); got != "no-cache" {
				t.Errorf("Pragma = %q", got)
			}
		})
	}

	t.Run("non-basic authorization", func(t *testing.T) {
		t.Parallel()
		r := postForm(t, oidcURL(s, "demo", "token"), url.Values{"grant_type": {"client_credentials"}}, "Authorization", "Bearer abc")
		if r.status != 401 || len(r.body) != 0 || r.header.Get("WWW-Authenticate") != `Basic realm="demo"` {
			t.Errorf("got %d %q %q", r.status, r.body, r.header.Get("WWW-Authenticate"))
		}
	})
}

func TestPasswordGrant(t *testing.T) {
	t.Parallel()
	s, _ := startDemo(t)
	tests := []struct {
		name, user, scope string
		wantScope         string
		wantID            bool
		wantRealmRoles    []string
		wantAPIRoles      []string
	}{
		{"alice without openid", "alice", "", "profile email", false,
			[]string{"default-roles-demo", "offline_access", "uma_authorization", "user"}, []string{"read"}},
		{"alice with openid", "alice", "openid", "openid profile email", true,
			[]string{"default-roles-demo", "offline_access", "uma_authorization", "user"}, []string{"read"}},
		// bob: admin is a composite of user and demo-api/write; his
		// subgroup inherits staff's demo-api/read.
		{"bob composites and inherited group roles", "bob", "openid", "openid profile email", true,
			[]string{"admin", "default-roles-demo", "offline_access", "uma_authorization", "user"}, []string{"read", "write"}},
		{"by email", "alice@example.com", "", "profile email", false,
			[]string{"default-roles-demo", "offline_access", "uma_authorization", "user"}, []string{"read"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			pw := tt.user
			if strings.Contains(pw, "@") {
				pw = "alice"
			}
			tok := passwordToken(t, s, tt.user, pw, tt.scope)
			if got := tok["scope"]; got != tt.wantScope {
				t.Errorf("scope = %v, want %v", got, tt.wantScope)
			}
			if _, ok := tok["id_token"]; ok != tt.wantID {
				t.Errorf("id_token present = %v, want %v", ok, tt.wantID)
			}
			for _, k := range []string{"access_token", "refresh_token", "session_state"} {
				if tok[k] == "" || tok[k] == nil {
					t.Errorf("%s missing", k)
				}
			}
			if tok["token_type"] != "Bearer" || tok["expires_in"] != 300.0 || tok["refresh_expires_in"] != 1800.0 || tok["not-before-policy"] != 0.0 {
				t.Errorf("response = %v", tok)
			}
			at := verify(t, s, "demo", tok["access_token"].(string))
			if at["typ"] != "Bearer" || at["azp"] != "demo-app" || at["iss"] != s.URL+"/realms/demo" || at["sid"] != tok["session_state"] {
				t.Errorf("claims = %v", at)
			}
			var realmRoles []string
			for _, r := range at["realm_access"].(map[string]any)["roles"].([]any) {
				realmRoles = append(realmRoles, r.(string))
			}
			if diff := cmp.Diff(tt.wantRealmRoles, realmRoles); diff != "" {
				t.Errorf("realm roles (-want +got):\n%s", diff)
			}
			ra := at["resource_access"].(map[string]any)
			var apiRoles []string
			for _, r := range ra["demo-api"].(map[string]any)["roles"].([]any) {
				apiRoles = append(apiRoles, r.(string))
			}
			if diff := cmp.Diff(tt.wantAPIRoles, apiRoles); diff != "" {
				t.Errorf("demo-api roles (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff([]any{"account", "demo-api"}, at["aud"]); diff != "" {
				t.Errorf("aud (-want +got):\n%s", diff)
			}
			if at["preferred_username"] != strings.Split(tt.user, "@")[0] || at["email"] == nil {
				t.Errorf("profile claims = %v", at)
			}
			if _, ok := at["nonce"]; ok {
				t.Error("access token has nonce")
			}
			rt := decodeClaims(t, tok["refresh_token"].(string))
			if rt["typ"] != "Refresh" || rt["aud"] != s.URL+"/realms/demo" {
				t.Errorf("refresh claims = %v", rt)
			}
			if tt.wantID {
				id := verify(t, s, "demo", tok["id_token"].(string))
				if id["typ"] != "ID" || id["aud"] != "demo-app" {
					t.Errorf("id token claims = %v", id)
				}
			}
		})
	}
}

func TestClientCredentials(t *testing.T) {
	t.Parallel()
	s, _ := startDemo(t)
	if _, err := s.AddClient("demo", kctest.Client{ClientID: "cc-refresh", Secret: "s",
		Attributes: map[string]string{"client_credentials.use_refresh_token": "true"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddClient("demo", kctest.Client{ClientID: "no-sa", Secret: "s", DirectAccessGrants: true}); err != nil {
		t.Fatal(err)
	}
	t.Run("post", func(t *testing.T) {
		t.Parallel()
		tok := token(t, s, "demo", url.Values{"grant_type": {"client_credentials"}, "client_id": {"demo-service"}, "client_secret": {"demo-service-secret"}})
		if _, ok := tok["refresh_token"]; ok {
			t.Error("refresh token issued")
		}
		if _, ok := tok["session_state"]; ok {
			t.Error("session_state present")
		}
		if tok["refresh_expires_in"] != 0.0 {
			t.Errorf("refresh_expires_in = %v", tok["refresh_expires_in"])
		}
		at := verify(t, s, "demo", tok["access_token"].(string))
		if at["preferred_username"] != "service-account-demo-service" || at["client_id"] != "demo-service" || at["clientAddress"] != "127.0.0.1" {
			t.Errorf("claims = %v", at)
		}
		if _, ok := at["sid"]; ok {
			t.Error("stateless token has sid")
		}
	})
	t.Run("basic", func(t *testing.T) {
		t.Parallel()
		token(t, s, "demo", url.Values{"grant_type": {"client_credentials"}}, "Authorization", basic("demo-service", "demo-service-secret"))
	})
	t.Run("refresh enabled", func(t *testing.T) {
		t.Parallel()
		tok := token(t, s, "demo", url.Values{"grant_type": {"client_credentials"}, "client_id": {"cc-refresh"}, "client_secret": {"s"}})
		if tok["refresh_token"] == nil || tok["session_state"] == nil {
			t.Fatalf("response = %v", tok)
		}
		token(t, s, "demo", url.Values{"grant_type": {"refresh_token"}, "refresh_token": {tok["refresh_token"].(string)}, "client_id": {"cc-refresh"}, "client_secret": {"s"}})
	})
	t.Run("not enabled", func(t *testing.T) {
		t.Parallel()
		r := postForm(t, oidcURL(s, "demo", "token"), url.Values{"grant_type": {"client_credentials"}, "client_id": {"no-sa"}, "client_secret": {"s"}})
		if diff := cmp.Diff(errorBody{"unauthorized_client", "Client not enabled to retrieve service account"}, oauthErr(r)); diff != "" || r.status != 401 {
			t.Errorf("status %d (-want +got):\n%s", r.status, diff)
		}
	})
}

func TestRefreshToken(t *testing.T) {
	t.Parallel()
	s, clock := startDemo(t)
	refresh := func(rt string, extra ...string) result {
		f := url.Values{"grant_type": {"refresh_token"}, "client_id": {"demo-app"}, "refresh_token": {rt}}
		for i := 0; i+1 < len(extra); i += 2 {
			f.Set(extra[i], extra[i+1])
		}
		return postForm(t, oidcURL(s, "demo", "token"), f)
	}
	tok := passwordToken(t, s, "alice", "alice", "openid")
	rt := tok["refresh_token"].(string)

	r := refresh(rt)
	if r.status != 200 || r.str("session_state") != tok["session_state"] || r.str("id_token") == "" {
		t.Fatalf("refresh: %d %s", r.status, r.body)
	}
	// Narrowing keeps a subset; widening fails.
	if r := refresh(rt, "scope", "openid email"); r.status != 200 || r.str("scope") != "openid profile email" {
		t.Errorf("narrow: %d %s", r.status, r.body)
	}
	if r := refresh(rt, "scope", "phone"); r.status != 400 || oauthErr(r).Error != "invalid_scope" {
		t.Errorf("widen: %d %s", r.status, r.body)
	}
	// Another client's refresh token.
	other := postForm(t, oidcURL(s, "demo", "token"), url.Values{"grant_type": {"refresh_token"}, "refresh_token": {rt}, "client_id": {"demo-api"}, "client_secret": {"demo-api-secret"}})
	if diff := cmp.Diff(errorBody{"invalid_grant", "Invalid refresh token. Token client and authorized client don't match"}, oauthErr(other)); diff != "" {
		t.Errorf("other client (-want +got):\n%s", diff)
	}
	// The idle timeout (30 min) ends the session.
	clock.Advance(31 * time.Minute)
	r = refresh(r.str("refresh_token"))
	if r.status != 400 || oauthErr(r).Error != "invalid_grant" {
		t.Errorf("after idle timeout: %d %s", r.status, r.body)
	}
}

func TestKeyRotation(t *testing.T) {
	t.Parallel()
	s, _ := startDemo(t)
	before := passwordToken(t, s, "alice", "alice", "")["access_token"].(string)
	oldKid, err := s.ActiveKeyID("demo")
	if err != nil {
		t.Fatal(err)
	}
	newKid, err := s.RotateKey("demo")
	if err != nil {
		t.Fatal(err)
	}
	after := passwordToken(t, s, "alice", "alice", "")["access_token"].(string)
	verify(t, s, "demo", before)
	verify(t, s, "demo", after)
	var kids []string
	for _, k := range do(t, http.MethodGet, oidcURL(s, "demo", "certs"), nil).json()["keys"].([]any) {
		m := k.(map[string]any)
		kids = append(kids, m["kid"].(string))
		if m["kty"] != "RSA" || m["alg"] != "RS256" || m["use"] != "sig" || m["n"] == "" || m["e"] != "AQAB" {
			t.Errorf("jwk = %v", m)
		}
	}
	if !slices.Contains(kids, oldKid) || !slices.Contains(kids, newKid) || len(kids) != 2 {
		t.Errorf("kids = %v, want %s and %s", kids, oldKid, newKid)
	}
	if err := s.RemoveKey("demo", newKid); err == nil {
		t.Error("removing the active key succeeded")
	}
	if err := s.RemoveKey("demo", oldKid); err != nil {
		t.Fatal(err)
	}
	if _, err := verifyErr(t, s, "demo", before); err == nil {
		t.Error("token of a removed key still verifies")
	}
	verify(t, s, "demo", after)
}

func TestMasterRealm(t *testing.T) {
	t.Parallel()
	s := kctest.Start(t, kctest.WithBootstrapAdmin("root", "secret"))
	tok := token(t, s, "master", url.Values{"grant_type": {"password"}, "client_id": {"admin-cli"}, "username": {"root"}, "password": {"secret"}})
	if tok["expires_in"] != 60.0 {
		t.Errorf("expires_in = %v, want 60", tok["expires_in"])
	}
	// admin-cli tokens are lightweight, as in Keycloak 26.
	at := verify(t, s, "master", tok["access_token"].(string))
	var keys []string
	for k := range at {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	if diff := cmp.Diff([]string{"azp", "exp", "iat", "iss", "jti", "scope", "sid", "typ"}, keys); diff != "" {
		t.Errorf("claims (-want +got):\n%s", diff)
	}
	// Introspection returns the full claims.
	if _, err := s.AddClient("master", kctest.Client{ClientID: "rs", Secret: "s"}); err != nil {
		t.Fatal(err)
	}
	in := postForm(t, oidcURL(s, "master", "token/introspect"), url.Values{"token": {tok["access_token"].(string)}}, "Authorization", basic("rs", "s"))
	j := in.json()
	roles, _ := j["realm_access"].(map[string]any)["roles"].([]any)
	if j["active"] != true || j["username"] != "root" || j["sub"] == nil || !slices.Contains(roles, any("admin")) || !slices.Contains(roles, any("create-realm")) {
		t.Errorf("introspection = %s", in.body)
	}
	if _, ok := j["resource_access"].(map[string]any)["master-realm"]; !ok {
		t.Errorf("resource_access = %v", j["resource_access"])
	}
	// userinfo needs openid; with it, the lightweight token still works.
	tok = token(t, s, "master", url.Values{"grant_type": {"password"}, "client_id": {"admin-cli"}, "username": {"root"}, "password": {"secret"}, "scope": {"openid"}})
	if r := do(t, "GET", oidcURL(s, "master", "userinfo"), nil, "Authorization", "Bearer "+tok["access_token"].(string)); r.status != 200 || r.str("preferred_username") != "root" {
		t.Errorf("userinfo: %d %s", r.status, r.body)
	}
}
