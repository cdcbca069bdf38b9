package kctest_test

import (
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/kcgo/kc/keycloak/kctest"
)

const (
	demoRedirect = "http://127.0.0.1/callback"
	verifier     = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk-and-more"
)

func s256(v string) string {
	sum := sha256.Sum256([]byte(v))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

func authURL(s *kctest.Server, params url.Values) string {
	return oidcURL(s, "demo", "auth") + "?" + params.Encode()
}

func demoAuthParams(extra ...string) url.Values {
	v := url.Values{"client_id": {"demo-app"}, "redirect_uri": {demoRedirect}, "response_type": {"code"},
		"scope": {"openid"}, "state": {"st"}, "nonce": {"n-1"}}
	for i := 0; i+1 < len(extra); i += 2 {
		if extra[i+1] == "" {
			v.Del(extra[i])
		} else {
			v.Set(extra[i], extra[i+1])
		}
	}
	return v
}

func exchange(t *testing.T, s *kctest.Server, code string, extra ...string) result {
	t.Helper()
	f := url.Values{"grant_type": {"authorization_code"}, "client_id": {"demo-app"}, "code": {code}, "redirect_uri": {demoRedirect}}
	for i := 0; i+1 < len(extra); i += 2 {
		f.Set(extra[i], extra[i+1])
	}
	return postForm(t, oidcURL(s, "demo", "token"), f)
}

func TestAuthorizationCodeFlow(t *testing.T) {
	t.Parallel()
	s, _ := startDemo(t)

	// The browser way: GET shows the form, POST signs in and redirects.
	u := authURL(s, demoAuthParams())
	page := do(t, http.MethodGet, u, nil)
	if page.status != 200 || !strings.Contains(string(page.body), `name="username"`) {
		t.Fatalf("login page: %d %s", page.status, page.body)
	}
	bad := postForm(t, u, url.Values{"username": {"alice"}, "password": {"nope"}})
	if bad.status != 200 || !strings.Contains(string(bad.body), "Invalid username or password.") {
		t.Errorf("bad password: %d %s", bad.status, bad.body)
	}
	r := postForm(t, u, url.Values{"username": {"alice"}, "password": {"alice"}})
	if r.status != http.StatusFound {
		t.Fatalf("login: %d %s", r.status, r.body)
	}
	loc, err := url.Parse(r.header.Get("Location"))
	if err != nil {
		t.Fatal(err)
	}
	q := loc.Query()
	if !strings.HasPrefix(loc.String(), demoRedirect+"?") || q.Get("state") != "st" || q.Get("iss") != s.URL+"/realms/demo" || q.Get("code") == "" || q.Get("session_state") == "" {
		t.Fatalf("redirect = %s", loc)
	}
	tr := exchange(t, s, q.Get("code"))
	if tr.status != 200 {
		t.Fatalf("exchange: %d %s", tr.status, tr.body)
	}
	id := verify(t, s, "demo", tr.str("id_token"))
	if id["nonce"] != "n-1" || id["aud"] != "demo-app" || id["sid"] != q.Get("session_state") {
		t.Errorf("id token = %v", id)
	}
	at := verify(t, s, "demo", tr.str("access_token"))
	if _, ok := at["nonce"]; ok {
		t.Error("access token carries nonce")
	}
	// Reuse.
	if diff := cmp.Diff(errorBody{"invalid_grant", "Code not valid"}, oauthErr(exchange(t, s, q.Get("code")))); diff != "" {
		t.Errorf("reuse (-want +got):\n%s", diff)
	}
}

func TestAuthorizationCodeErrors(t *testing.T) {
	t.Parallel()
	s, _ := startDemo(t)
	if _, err := s.AddClient("demo", kctest.Client{ClientID: "pkce-app", Public: true, StandardFlow: true,
		RedirectURIs: []string{demoRedirect}, Attributes: map[string]string{"pkce.code.challenge.method": "S256"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddClient("demo", kctest.Client{ClientID: "bearer", BearerOnly: true}); err != nil {
		t.Fatal(err)
	}
	login := func(t *testing.T, params url.Values) url.Values {
		t.Helper()
		loc, err := s.Login(authURL(s, params), "alice", "alice")
		if err != nil {
			t.Fatal(err)
		}
		return loc.Query()
	}

	t.Run("page errors", func(t *testing.T) {
		t.Parallel()
		for _, tt := range []struct{ name, url, want string }{
			{"unknown client", authURL(s, demoAuthParams("client_id", "nope")), "Client not found."},
			{"bad redirect", authURL(s, demoAuthParams("redirect_uri", "http://evil/cb")), "Invalid parameter: redirect_uri"},
			{"no client", authURL(s, demoAuthParams("client_id", "")), "Missing parameter: client_id"},
			{"redirect trailing slash", authURL(s, demoAuthParams("redirect_uri", demoRedirect+"/")), "Invalid parameter: redirect_uri"},
		} {
			r := do(t, http.MethodGet, tt.url, nil)
			if r.status != 400 || !strings.Contains(string(r.body), tt.want) || !strings.HasPrefix(r.header.Get("Content-Type"), "text/html") {
				t.Errorf("%s: %d %s", tt.name, r.status, r.body)
			}
			if _, err := s.Login(tt.url, "alice", "alice"); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("%s: Login err = %v", tt.name, err)
			}
		}
	})
	t.Run("bearer-only client", func(t *testing.T) {
		t.Parallel()
		r := do(t, http.MethodGet, authURL(s, demoAuthParams("client_id", "bearer")), nil)
		if r.status != 403 {
			t.Errorf("status %d", r.status)
		}
	})
	t.Run("duplicated parameter", func(t *testing.T) {
		t.Parallel()
		r := do(t, http.MethodGet, authURL(s, demoAuthParams())+"&state=again", nil)
		loc, _ := url.Parse(r.header.Get("Location"))
		if r.status != 302 || loc.Query().Get("error_description") != "duplicated parameter" || r.header.Get("Cache-Control") != "no-store, must-revalidate, max-age=0" {
			t.Errorf("%d %v %v", r.status, loc, r.header)
		}
	})
	t.Run("redirect errors", func(t *testing.T) {
		t.Parallel()
		for _, tt := range []struct {
			name       string
			params     url.Values
			code, desc string
		}{
			{"no response_type", demoAuthParams("response_type", ""), "invalid_request", "Missing parameter: response_type"},
			{"bad scope", demoAuthParams("scope", "openid nope"), "invalid_scope", "Invalid scopes: openid nope"},
			{"pkce required", url.Values{"client_id": {"pkce-app"}, "redirect_uri": {demoRedirect}, "response_type": {"code"}}, "invalid_request", "Missing parameter: code_challenge_method"},
			{"bad method", demoAuthParams("code_challenge", s256(verifier), "code_challenge_method", "S512"), "invalid_request", "Invalid parameter: code_challenge_method"},
			{"prompt none", demoAuthParams("prompt", "none"), "login_required", ""},
			{"unknown response_type", demoAuthParams("response_type", "bogus"), "unsupported_response_type", ""},
			{"implicit", demoAuthParams("response_type", "token"), "unauthorized_client", "Client is not allowed to initiate browser login with given response_type. Implicit flow is disabled for the client."},
			{"bad response_mode", demoAuthParams("response_mode", "bogus"), "invalid_request", "Invalid parameter: response_mode"},
			{"empty scope", demoAuthParams("scope", " "), "invalid_scope", "Invalid scopes:  "},
			{"method without challenge", demoAuthParams("code_challenge_method", "bogus"), "invalid_request", "Missing parameter: code_challenge"},
			{"malformed challenge", demoAuthParams("code_challenge", "short", "code_challenge_method", "S256"), "invalid_request", "Invalid parameter: code_challenge"},
			// Earlier checks win when a request is wrong twice.
			{"response_type before scope", demoAuthParams("response_type", "", "scope", "nope"), "invalid_request", "Missing parameter: response_type"},
			{"scope before pkce", demoAuthParams("scope", "nope", "code_challenge_method", "S256"), "invalid_scope", "Invalid scopes: nope"},
		} {
			q := login(t, tt.params)
			if q.Get("error") != tt.code || q.Get("error_description") != tt.desc {
				t.Errorf("%s: %v", tt.name, q)
			}
		}
	})
	t.Run("pkce", func(t *testing.T) {
		t.Parallel()
		for _, tt := range []struct {
			name, method, challenge, verifier string
			want                              *errorBody
		}{
			{"S256 ok", "S256", s256(verifier), verifier, nil},
			{"plain ok", "plain", verifier, verifier, nil},
			{"missing verifier", "S256", s256(verifier), "", &errorBody{"invalid_grant", "PKCE code verifier not specified"}},
			{"malformed verifier", "S256", s256(verifier), "short", &errorBody{"invalid_grant", "PKCE invalid code verifier"}},
			{"wrong verifier", "S256", s256(verifier), verifier + "x", &errorBody{"invalid_grant", "PKCE verification failed"}},
		} {
			q := login(t, demoAuthParams("code_challenge", tt.challenge, "code_challenge_method", tt.method))
			var extra []string
			if tt.verifier != "" {
				extra = []string{"code_verifier", tt.verifier}
			}
			r := exchange(t, s, q.Get("code"), extra...)
			if tt.want == nil {
				if r.status != 200 {
					t.Errorf("%s: %d %s", tt.name, r.status, r.body)
				}
				continue
			}
			if diff := cmp.Diff(*tt.want, oauthErr(r)); diff != "" || r.status != 400 {
				t.Errorf("%s: status %d (-want +got):\n%s", tt.name, r.status, diff)
			}
		}
	})
	t.Run("exchange errors", func(t *testing.T) {
		t.Parallel()
		q := login(t, demoAuthParams())
		if diff := cmp.Diff(errorBody{"invalid_grant", "Incorrect redirect_uri"}, oauthErr(exchange(t, s, q.Get("code"), "redirect_uri", "http://127.0.0.1/other"))); diff != "" {
			t.Errorf("redirect (-want +got):\n%s", diff)
		}
		q = login(t, demoAuthParams())
		r := postForm(t, oidcURL(s, "demo", "token"), url.Values{"grant_type": {"authorization_code"}, "code": {q.Get("code")}, "redirect_uri": {demoRedirect}},
			"Authorization", basic("demo-api", "demo-api-secret"))
		if diff := cmp.Diff(errorBody{"invalid_grant", "Auth error: Found different client_id in clientSession"}, oauthErr(r)); diff != "" {
			t.Errorf("client (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff(errorBody{"invalid_request", "Missing parameter: code"}, oauthErr(exchange(t, s, ""))); diff != "" {
			t.Errorf("missing (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff(errorBody{"invalid_grant", "Code not valid"}, oauthErr(exchange(t, s, "nope"))); diff != "" {
			t.Errorf("unknown (-want +got):\n%s", diff)
		}
	})
	t.Run("expired", func(t *testing.T) {
		// Not parallel with the others' codes: it moves the clock.
		s2, clock2 := startDemo(t)
		loc, err := s2.Login(authURL(s2, demoAuthParams()), "alice", "alice")
		if err != nil {
			t.Fatal(err)
		}
		clock2.Advance(61 * time.Second)
		if diff := cmp.Diff(errorBody{"invalid_grant", "Code is expired"}, oauthErr(exchange(t, s2, loc.Query().Get("code")))); diff != "" {
			t.Errorf("(-want +got):\n%s", diff)
		}
	})
}

func TestLoginFragmentAndBasePath(t *testing.T) {
	t.Parallel()
	s, _ := startDemo(t, kctest.WithBasePath("/auth"))
	loc, err := s.Login(authURL(s, demoAuthParams("response_mode", "fragment")), "bob", "bob")
	if err != nil {
		t.Fatal(err)
	}
	frag, _ := url.ParseQuery(loc.Fragment)
	if frag.Get("code") == "" || frag.Get("iss") != s.URL+"/realms/demo" {
		t.Errorf("redirect = %s", loc)
	}
	if _, err := s.Login(authURL(s, demoAuthParams()), "bob", "wrong"); err == nil {
		t.Error("login with a wrong password succeeded")
	}
}

func TestSSOCookie(t *testing.T) {
	t.Parallel()
	s, _ := startDemo(t)
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	browser := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	send := func(method, u string, form url.Values) *http.Response {
		t.Helper()
		var req *http.Request
		if form != nil {
			req, _ = http.NewRequestWithContext(t.Context(), method, u, strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		} else {
			req, _ = http.NewRequestWithContext(t.Context(), method, u, nil)
		}
		resp, err := browser.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	codeOf := func(resp *http.Response) string {
		t.Helper()
		loc, err := url.Parse(resp.Header.Get("Location"))
		if err != nil {
			t.Fatal(err)
		}
		return loc.Query().Get("code")
	}

	// No session yet: prompt=none fails, a plain request shows the form.
	if resp := send("GET", authURL(s, demoAuthParams("prompt", "none")), nil); resp.StatusCode != 302 || !strings.Contains(resp.Header.Get("Location"), "error=login_required") {
		t.Fatalf("prompt=none without session: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	form := demoAuthParams()
	form.Set("username", "alice")
	form.Set("password", "alice")
	first := send("POST", oidcURL(s, "demo", "auth"), form)
	if first.StatusCode != 302 || codeOf(first) == "" {
		t.Fatalf("login: %d", first.StatusCode)
	}
	// The SSO session signs the browser in without the form.
	for _, p := range []url.Values{demoAuthParams(), demoAuthParams("prompt", "none")} {
		resp := send("GET", authURL(s, p), nil)
		if resp.StatusCode != 302 || codeOf(resp) == "" {
			t.Errorf("with session %v: %d %s", p, resp.StatusCode, resp.Header.Get("Location"))
		}
		r := exchange(t, s, codeOf(resp))
		if r.status != 200 {
			t.Errorf("exchange: %d %s", r.status, r.body)
			continue
		}
		// Keycloak: AcrProtocolMapper, level 0 after an SSO login
		// (AuthenticationManager marks the client session SSO_AUTH).
		if acr := decodeClaims(t, r.str("access_token"))["acr"]; acr != "0" {
			t.Errorf("acr after an SSO login = %v, want 0", acr)
		}
	}
	if resp := send("GET", authURL(s, demoAuthParams("prompt", "login")), nil); resp.StatusCode != 200 {
		t.Errorf("prompt=login: %d", resp.StatusCode)
	}
	// Browser logout ends it.
	send("GET", oidcURL(s, "demo", "logout"), nil)
	if resp := send("GET", authURL(s, demoAuthParams()), nil); resp.StatusCode != 200 {
		t.Errorf("after logout: %d", resp.StatusCode)
	}
}
