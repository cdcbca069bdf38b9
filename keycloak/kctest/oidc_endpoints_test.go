package kctest_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/google/go-cmp/cmp"
	"github.com/kcgo/kc/keycloak/kctest"
)

func bearer(tok string) []string { return []string{"Authorization", "Bearer " + tok} }

func TestUserInfo(t *testing.T) {
	t.Parallel()
	s, clock := startDemo(t)
	withOpenID := passwordToken(t, s, "alice", "alice", "openid")["access_token"].(string)
	without := passwordToken(t, s, "alice", "alice", "")["access_token"].(string)
	u := oidcURL(s, "demo", "userinfo")

	r := do(t, http.MethodGet, u, nil, bearer(withOpenID)...)
	if r.status != 200 {
		t.Fatalf("userinfo: %d %s", r.status, r.body)
	}
	aliceID, _ := s.UserID("demo", "alice")
	want := map[string]any{"sub": aliceID, "email_verified": true, "name": "Alice Liddell", "preferred_username": "alice",
		"given_name": "Alice", "family_name": "Liddell", "email": "alice@example.com"}
	if diff := cmp.Diff(want, r.json()); diff != "" {
		t.Errorf("claims (-want +got):\n%s", diff)
	}
	if r := postForm(t, u, url.Values{"access_token": {withOpenID}}); r.status != 200 {
		t.Errorf("form token: %d", r.status)
	}

	tests := []struct {
		name      string
		method    string
		form      url.Values
		header    []string
		status    int
		challenge string
	}{
		{"no token", "GET", nil, nil, 401, `Bearer realm="demo"`},
		{"two tokens", "POST", url.Values{"access_token": {withOpenID}}, bearer(withOpenID), 400, `Bearer realm="demo", error="invalid_request", error_description="Token provided in multiple ways"`},
		{"no openid", "GET", nil, bearer(without), 403, `Bearer realm="demo", error="insufficient_scope", error_description="Missing openid scope"`},
		{"garbage", "GET", nil, bearer("abc"), 401, `Bearer realm="demo", error="invalid_token", error_description="Token verification failed"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var r result
			if tt.method == "POST" {
				r = postForm(t, u, tt.form, tt.header...)
			} else {
				r = do(t, "GET", u, nil, tt.header...)
			}
			if r.status != tt.status || r.header.Get("WWW-Authenticate") != tt.challenge || len(r.body) != 0 {
				t.Errorf("got %d %q body %q", r.status, r.header.Get("WWW-Authenticate"), r.body)
			}
		})
	}
	clock.Advance(6 * time.Minute)
	r = do(t, http.MethodGet, u, nil, bearer(withOpenID)...)
	if r.status != 401 || !strings.Contains(r.header.Get("WWW-Authenticate"), `error="invalid_token"`) {
		t.Errorf("expired: %d %q", r.status, r.header.Get("WWW-Authenticate"))
	}
}

func introspect(t *testing.T, s *kctest.Server, tok string, header ...string) result {
	t.Helper()
	if header == nil {
		header = []string{"Authorization", basic("demo-api", "demo-api-secret")}
	}
	return postForm(t, oidcURL(s, "demo", "token/introspect"), url.Values{"token": {tok}}, header...)
}

func TestIntrospection(t *testing.T) {
	t.Parallel()
	s, _ := startDemo(t)
	tok := passwordToken(t, s, "alice", "alice", "")
	at, rt := tok["access_token"].(string), tok["refresh_token"].(string)

	r := introspect(t, s, at)
	j := r.json()
	if r.status != 200 || j["active"] != true || j["client_id"] != "demo-app" || j["username"] != "alice" || j["token_type"] != "Bearer" || j["sub"] == nil {
		t.Errorf("active access token: %d %s", r.status, r.body)
	}
	if j := introspect(t, s, rt).json(); j["active"] != true || j["typ"] != "Refresh" {
		t.Errorf("refresh token: %v", j)
	}
	if diff := cmp.Diff(`{"active":false}`, string(introspect(t, s, "garbage").body)); diff != "" {
		t.Errorf("bad token (-want +got):\n%s", diff)
	}
	tests := []struct {
		name   string
		form   url.Values
		header []string
		status int
		want   errorBody
	}{
		{"public client", url.Values{"token": {at}, "client_id": {"demo-app"}}, nil, 403, errorBody{"invalid_request", "Client not allowed."}},
		{"bad secret", url.Values{"token": {at}}, []string{"Authorization", basic("demo-api", "x")}, 401, errorBody{"invalid_request", "Authentication failed."}},
		{"no token", url.Values{}, []string{"Authorization", basic("demo-api", "demo-api-secret")}, 400, errorBody{"invalid_request", "Token not provided."}},
		{"bad hint", url.Values{"token": {at}, "token_type_hint": {"magic"}}, []string{"Authorization", basic("demo-api", "demo-api-secret")}, 400, errorBody{"invalid_request", "Unsupported token type [magic]."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := postForm(t, oidcURL(s, "demo", "token/introspect"), tt.form, tt.header...)
			if diff := cmp.Diff(tt.want, oauthErr(r)); diff != "" || r.status != tt.status {
				t.Errorf("status %d (-want +got):\n%s", r.status, diff)
			}
		})
	}
}

func TestRevocationAndLogout(t *testing.T) {
	t.Parallel()
	s, _ := startDemo(t)
	revoke := func(tok string, form ...string) result {
		f := url.Values{"token": {tok}, "client_id": {"demo-app"}}
		for i := 0; i+1 < len(form); i += 2 {
			f.Set(form[i], form[i+1])
		}
		return postForm(t, oidcURL(s, "demo", "revoke"), f)
	}

	t.Run("access token", func(t *testing.T) {
		t.Parallel()
		at := passwordToken(t, s, "alice", "alice", "")["access_token"].(string)
		if r := revoke(at); r.status != 200 || len(r.body) != 0 {
			t.Fatalf("revoke: %d %s", r.status, r.body)
		}
		if j := introspect(t, s, at).json(); j["active"] != false {
			t.Errorf("revoked access token is active: %v", j)
		}
	})
	t.Run("refresh token", func(t *testing.T) {
		t.Parallel()
		tok := passwordToken(t, s, "alice", "alice", "")
		rt := tok["refresh_token"].(string)
		if r := revoke(rt); r.status != 200 {
			t.Fatalf("revoke: %d %s", r.status, r.body)
		}
		r := postForm(t, oidcURL(s, "demo", "token"), url.Values{"grant_type": {"refresh_token"}, "client_id": {"demo-app"}, "refresh_token": {rt}})
		if r.status != 400 || oauthErr(r).Error != "invalid_grant" {
			t.Errorf("refresh after revoke: %d %s", r.status, r.body)
		}
		if j := introspect(t, s, tok["access_token"].(string)).json(); j["active"] != false {
			t.Errorf("access token of a revoked client session is active")
		}
	})
	t.Run("errors", func(t *testing.T) {
		t.Parallel()
		svc := token(t, s, "demo", url.Values{"grant_type": {"client_credentials"}, "client_id": {"demo-service"}, "client_secret": {"demo-service-secret"}})["access_token"].(string)
		id := passwordToken(t, s, "alice", "alice", "openid")["id_token"].(string)
		for _, tt := range []struct {
			name   string
			r      result
			status int
			want   errorBody
		}{
			{"no token", revoke(""), 400, errorBody{"invalid_request", "Token not provided"}},
			{"garbage", revoke("abc"), 200, errorBody{"invalid_token", "Invalid token"}},
			{"other client", revoke(svc), 400, errorBody{"invalid_request", "Unmatching clients"}},
			{"id token", revoke(id), 400, errorBody{"unsupported_token_type", "Unsupported token type"}},
		} {
			if diff := cmp.Diff(tt.want, oauthErr(tt.r)); diff != "" || tt.r.status != tt.status {
				t.Errorf("%s: status %d (-want +got):\n%s", tt.name, tt.r.status, diff)
			}
		}
	})
	t.Run("logout", func(t *testing.T) {
		t.Parallel()
		tok := passwordToken(t, s, "alice", "alice", "openid")
		rt := tok["refresh_token"].(string)
		logout := func(form url.Values) result { return postForm(t, oidcURL(s, "demo", "logout"), form) }
		if r := logout(url.Values{"client_id": {"demo-app"}, "refresh_token": {""}}); oauthErr(r) != (errorBody{"invalid_request", "No refresh token"}) {
			t.Errorf("empty: %d %s", r.status, r.body)
		}
		if r := logout(url.Values{"client_id": {"demo-app"}, "refresh_token": {"x.y.z"}}); r.status != 400 || oauthErr(r).Error != "invalid_grant" {
			t.Errorf("bad: %d %s", r.status, r.body)
		}
		if r := logout(url.Values{"client_id": {"demo-app"}, "refresh_token": {rt}}); r.status != 204 {
			t.Fatalf("logout: %d %s", r.status, r.body)
		}
		if j := introspect(t, s, tok["access_token"].(string)).json(); j["active"] != false {
			t.Error("access token active after logout")
		}
		if r := do(t, http.MethodGet, oidcURL(s, "demo", "userinfo"), nil, bearer(tok["access_token"].(string))...); r.status != 401 {
			t.Errorf("userinfo after logout: %d", r.status)
		}
		// Browser logout with id_token_hint and post_logout_redirect_uri.
		tok = passwordToken(t, s, "alice", "alice", "openid")
		q := url.Values{"id_token_hint": {tok["id_token"].(string)}, "post_logout_redirect_uri": {demoRedirect}, "state": {"s1"}}
		r := do(t, http.MethodGet, oidcURL(s, "demo", "logout")+"?"+q.Encode(), nil)
		if r.status != 302 || r.header.Get("Location") != demoRedirect+"?state=s1" {
			t.Errorf("browser logout: %d %q", r.status, r.header.Get("Location"))
		}
		if j := introspect(t, s, tok["access_token"].(string)).json(); j["active"] != false {
			t.Error("access token active after browser logout")
		}
		if r := do(t, http.MethodGet, oidcURL(s, "demo", "logout")+"?redirect_uri=x", nil); r.status != 400 {
			t.Errorf("redirect_uri: %d", r.status)
		}
	})
}

func TestDeviceFlow(t *testing.T) {
	t.Parallel()
	s, clock := startDemo(t)
	start := func() map[string]any {
		r := postForm(t, oidcURL(s, "demo", "auth/device"), url.Values{"client_id": {"demo-app"}, "scope": {"openid"}})
		if r.status != 200 {
			t.Fatalf("device auth: %d %s", r.status, r.body)
		}
		return r.json()
	}
	poll := func(dc string) result {
		return postForm(t, oidcURL(s, "demo", "token"), url.Values{"grant_type": {"urn:ietf:params:oauth:grant-type:device_code"}, "client_id": {"demo-app"}, "device_code": {dc}})
	}
	d := start()
	if d["verification_uri"] != s.URL+"/realms/demo/device" || d["expires_in"] != 600.0 || d["interval"] != 5.0 ||
		d["verification_uri_complete"] != s.URL+"/realms/demo/device?user_code="+d["user_code"].(string) || len(d["user_code"].(string)) != 9 {
		t.Errorf("device response = %v", d)
	}
	dc := d["device_code"].(string)
	if diff := cmp.Diff(errorBody{"authorization_pending", "The authorization request is still pending"}, oauthErr(poll(dc))); diff != "" {
		t.Errorf("pending (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(errorBody{"slow_down", "Slow down"}, oauthErr(poll(dc))); diff != "" {
		t.Errorf("slow down (-want +got):\n%s", diff)
	}
	clock.Advance(5 * time.Second)
	if err := s.ApproveDevice("demo", strings.ToLower(d["user_code"].(string)), "alice"); err != nil {
		t.Fatal(err)
	}
	r := poll(dc)
	if r.status != 200 || r.str("id_token") == "" || r.str("refresh_token") == "" {
		t.Fatalf("approved: %d %s", r.status, r.body)
	}
	if diff := cmp.Diff(errorBody{"invalid_grant", "Device code not valid"}, oauthErr(poll(dc))); diff != "" {
		t.Errorf("used (-want +got):\n%s", diff)
	}

	d = start()
	if err := s.DenyDevice("demo", d["user_code"].(string)); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(errorBody{"access_denied", "The end user denied the authorization request"}, oauthErr(poll(d["device_code"].(string)))); diff != "" {
		t.Errorf("denied (-want +got):\n%s", diff)
	}

	d = start()
	clock.Advance(601 * time.Second)
	if diff := cmp.Diff(errorBody{"expired_token", "Device code is expired"}, oauthErr(poll(d["device_code"].(string)))); diff != "" {
		t.Errorf("expired (-want +got):\n%s", diff)
	}

	// Through the verification page.
	d = start()
	page := postForm(t, s.URL+"/realms/demo/device", url.Values{"user_code": {d["user_code"].(string)}, "username": {"bob"}, "password": {"bob"}, "accept": {"yes"}})
	if page.status != 200 || !strings.Contains(string(page.body), "Successful") {
		t.Errorf("page: %d %s", page.status, page.body)
	}
	if r := poll(d["device_code"].(string)); r.status != 200 {
		t.Errorf("after page approval: %d %s", r.status, r.body)
	}

	// Clients without the grant.
	r = postForm(t, oidcURL(s, "demo", "auth/device"), url.Values{}, "Authorization", basic("demo-service", "demo-service-secret"))
	if diff := cmp.Diff(errorBody{"invalid_grant", "Client not allowed for OAuth 2.0 Device Authorization Grant"}, oauthErr(r)); diff != "" {
		t.Errorf("not enabled (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(errorBody{"invalid_request", "Missing parameter: device_code"}, oauthErr(poll(""))); diff != "" {
		t.Errorf("missing (-want +got):\n%s", diff)
	}
}

func TestTokenExchange(t *testing.T) {
	t.Parallel()
	s, _ := startDemo(t)
	if _, err := s.AddClient("demo", kctest.Client{ClientID: "no-te", Secret: "s"}); err != nil {
		t.Fatal(err)
	}
	userToken := passwordToken(t, s, "alice", "alice", "")["access_token"].(string)
	exchange := func(clientID, secret string, form url.Values) result {
		f := url.Values{"grant_type": {"urn:ietf:params:oauth:grant-type:token-exchange"},
			"subject_token_type": {"urn:ietf:params:oauth:token-type:access_token"}}
		for k, v := range form {
			f[k] = v
		}
		return postForm(t, oidcURL(s, "demo", "token"), f, "Authorization", basic(clientID, secret))
	}
	// alice's token has aud [account demo-api], so demo-api may exchange it.
	r := exchange("demo-api", "demo-api-secret", url.Values{"subject_token": {userToken}, "audience": {"account"}})
	if r.status != 200 || r.str("issued_token_type") != "urn:ietf:params:oauth:token-type:access_token" || r.str("refresh_token") != "" {
		t.Fatalf("exchange: %d %s", r.status, r.body)
	}
	c := verify(t, s, "demo", r.str("access_token"))
	if c["azp"] != "demo-api" || c["aud"] != "account" || c["preferred_username"] != "alice" {
		t.Errorf("claims = %v", c)
	}
	svcToken := token(t, s, "demo", url.Values{"grant_type": {"client_credentials"}, "client_id": {"demo-service"}, "client_secret": {"demo-service-secret"}})["access_token"].(string)
	tests := []struct {
		name           string
		client, secret string
		form           url.Values
		status         int
		want           errorBody
	}{
		{"not enabled", "no-te", "s", url.Values{"subject_token": {userToken}}, 400, errorBody{"invalid_request", "Standard token exchange is not enabled for the requested client"}},
		{"public", "demo-app", "", url.Values{"subject_token": {userToken}, "client_id": {"demo-app"}}, 400, errorBody{"invalid_client", "Public client is not allowed to exchange token"}},
		{"no subject", "demo-api", "demo-api-secret", url.Values{}, 400, errorBody{"invalid_request", "Parameter 'subject_token' required for standard token exchange"}},
		{"bad subject", "demo-api", "demo-api-secret", url.Values{"subject_token": {"x.y.z"}}, 400, errorBody{"invalid_request", "Invalid token"}},
		{"not in audience", "demo-api", "demo-api-secret", url.Values{"subject_token": {svcToken}}, 403, errorBody{"access_denied", "Client is not within the token audience"}},
		{"v1 parameter", "demo-api", "demo-api-secret", url.Values{"subject_token": {userToken}, "requested_subject": {"bob"}}, 400, errorBody{"invalid_request", "Parameter 'requested_subject' is not supported for standard token exchange"}},
		{"bad requested type", "demo-api", "demo-api-secret", url.Values{"subject_token": {userToken}, "requested_token_type": {"urn:x"}}, 400, errorBody{"invalid_request", "requested_token_type unsupported"}},
		{"refresh not allowed", "demo-api", "demo-api-secret", url.Values{"subject_token": {userToken}, "requested_token_type": {"urn:ietf:params:oauth:token-type:refresh_token"}}, 400, errorBody{"invalid_request", "requested_token_type unsupported"}},
		{"unavailable audience", "demo-api", "demo-api-secret", url.Values{"subject_token": {userToken}, "audience": {"broker"}}, 400, errorBody{"invalid_request", "Requested audience not available: broker"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := exchange(tt.client, tt.secret, tt.form)
			if diff := cmp.Diff(tt.want, oauthErr(r)); diff != "" || r.status != tt.status {
				t.Errorf("status %d (-want +got):\n%s", r.status, diff)
			}
		})
	}
	t.Run("id token", func(t *testing.T) {
		t.Parallel()
		r := exchange("demo-api", "demo-api-secret", url.Values{"subject_token": {userToken}, "requested_token_type": {"urn:ietf:params:oauth:token-type:id_token"}})
		if r.status != 200 || r.str("token_type") != "N_A" || decodeClaims(t, r.str("access_token"))["typ"] != "ID" {
			t.Errorf("id token exchange: %d %s", r.status, r.body)
		}
	})
}

// signAssertion signs client assertion claims with go-jose.
func signAssertion(t *testing.T, alg jose.SignatureAlgorithm, key any, kid string, claims map[string]any) string {
	t.Helper()
	opts := (&jose.SignerOptions{}).WithType("JWT")
	if kid != "" {
		opts = opts.WithHeader("kid", kid)
	}
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: alg, Key: key}, opts)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(claims)
	obj, err := signer.Sign(b)
	if err != nil {
		t.Fatal(err)
	}
	out, err := obj.CompactSerialize()
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestClientAssertions(t *testing.T) {
	t.Parallel()
	s, clock := startDemo(t)
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	jwks, _ := json.Marshal(jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: key.Public(), KeyID: "k1", Algorithm: "ES256", Use: "sig"}}})
	jwksSrv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write(jwks) }))
	t.Cleanup(jwksSrv.Close)
	for _, c := range []kctest.Client{
		{ClientID: "jwt-secret", Secret: "a-long-shared-secret-for-hs256-signing!", ServiceAccounts: true},
		{ClientID: "jwt-key", ServiceAccounts: true, Attributes: map[string]string{"jwks.string": string(jwks)}},
		{ClientID: "jwt-url", ServiceAccounts: true, Attributes: map[string]string{"jwks.url": jwksSrv.URL}},
	} {
		if _, err := s.AddClient("demo", c); err != nil {
			t.Fatal(err)
		}
	}
	iss := s.URL + "/realms/demo"
	claimsFor := func(id string, extra ...any) map[string]any {
		m := map[string]any{"iss": id, "sub": id, "aud": iss + "/protocol/openid-connect/token", "exp": clock.Now().Add(time.Minute).Unix(), "jti": id + "-" + time.Now().String()}
		for i := 0; i+1 < len(extra); i += 2 {
			m[extra[i].(string)] = extra[i+1]
		}
		return m
	}
	send := func(assertion string) result {
		return postForm(t, oidcURL(s, "demo", "token"), url.Values{"grant_type": {"client_credentials"},
			"client_assertion_type": {"urn:ietf:params:oauth:client-assertion-type:jwt-bearer"}, "client_assertion": {assertion}})
	}
	secret := []byte("a-long-shared-secret-for-hs256-signing!")
	ok := []struct{ name, assertion string }{
		{"client_secret_jwt", signAssertion(t, jose.HS256, secret, "", claimsFor("jwt-secret"))},
		{"private_key_jwt jwks.string", signAssertion(t, jose.ES256, key, "k1", claimsFor("jwt-key"))},
		{"private_key_jwt jwks.url", signAssertion(t, jose.ES256, key, "k1", claimsFor("jwt-url", "aud", iss))},
	}
	for _, tt := range ok {
		if r := send(tt.assertion); r.status != 200 {
			t.Errorf("%s: %d %s", tt.name, r.status, r.body)
		}
	}
	// Replaying the same assertion fails.
	if r := send(ok[0].assertion); r.status != 400 || !strings.Contains(oauthErr(r).ErrorDescription, "reuse") {
		t.Errorf("replay: %d %s", r.status, r.body)
	}
	other, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	bad := []struct{ name, assertion string }{
		{"wrong secret", signAssertion(t, jose.HS256, []byte("another-secret-of-sufficient-length!!"), "", claimsFor("jwt-secret"))},
		{"wrong key", signAssertion(t, jose.ES256, other, "k1", claimsFor("jwt-key"))},
		{"expired", signAssertion(t, jose.HS256, secret, "", claimsFor("jwt-secret", "exp", clock.Now().Add(-time.Minute).Unix()))},
		{"wrong audience", signAssertion(t, jose.HS256, secret, "", claimsFor("jwt-secret", "aud", "http://elsewhere"))},
		{"iss differs", signAssertion(t, jose.HS256, secret, "", claimsFor("jwt-secret", "iss", "x"))},
	}
	for _, tt := range bad {
		r := send(tt.assertion)
		if r.status != 400 || oauthErr(r).Error != "invalid_client" || !strings.HasPrefix(oauthErr(r).ErrorDescription, "Client authentication with signed JWT failed: ") {
			t.Errorf("%s: %d %s", tt.name, r.status, r.body)
		}
	}
}

func TestCORSAndSignedUserInfo(t *testing.T) {
	t.Parallel()
	s, _ := startDemo(t)
	pre := do(t, http.MethodOptions, oidcURL(s, "demo", "token"), nil, "Origin", "http://spa.test", "Access-Control-Request-Method", "POST")
	if pre.status != 200 || pre.header.Get("Access-Control-Allow-Origin") != "http://spa.test" || !strings.Contains(pre.header.Get("Access-Control-Allow-Headers"), "Authorization") {
		t.Errorf("preflight: %d %v", pre.status, pre.header)
	}
	r := postForm(t, oidcURL(s, "demo", "token"), url.Values{"grant_type": {"client_credentials"}, "client_id": {"demo-service"}, "client_secret": {"demo-service-secret"}}, "Origin", "http://spa.test")
	if r.header.Get("Access-Control-Allow-Origin") != "http://spa.test" {
		t.Errorf("token CORS: %v", r.header)
	}

	if _, err := s.AddClient("demo", kctest.Client{ClientID: "signed", Public: true, DirectAccessGrants: true,
		Attributes: map[string]string{"user.info.response.signature.alg": "RS256"}}); err != nil {
		t.Fatal(err)
	}
	tok := token(t, s, "demo", url.Values{"grant_type": {"password"}, "client_id": {"signed"}, "username": {"bob"}, "password": {"bob"}, "scope": {"openid"}})
	ui := do(t, http.MethodGet, oidcURL(s, "demo", "userinfo"), nil, bearer(tok["access_token"].(string))...)
	if ui.status != 200 || ui.header.Get("Content-Type") != "application/jwt" {
		t.Fatalf("signed userinfo: %d %v", ui.status, ui.header)
	}
	c := verify(t, s, "demo", string(ui.body))
	if c["preferred_username"] != "bob" || c["aud"] != "signed" {
		t.Errorf("claims = %v", c)
	}
}
