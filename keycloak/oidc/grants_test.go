package oidc

import (
	"crypto/elliptic"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/kcgo/kc"
)

// failServer is a server that fails the test on any request.
func failServer(t *testing.T) string {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("unexpected request %s %s", r.Method, r.URL)
		w.WriteHeader(500)
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

func TestNewValidation(t *testing.T) {
	t.Parallel()
	key := rsaKey(0)
	tests := []struct {
		name      string
		serverURL string
		realm     string
		clientID  string
		opts      []kc.Option
		want      string
	}{
		{"empty server", "", "demo", "app", nil, "oidc: serverURL is empty"},
		{"relative server", "sso.example.com", "demo", "app", nil, "scheme must be http or https"},
		{"server with query", "https://sso.example.com/?x=1", "demo", "app", nil, "must not have a query"},
		{"empty realm", "https://sso.example.com", "", "app", nil, "oidc: realm is empty"},
		{"empty clientID", "https://sso.example.com", "demo", " ", nil, "oidc: clientID is empty"},
		{"empty secret", "https://sso.example.com", "demo", "app", []kc.Option{WithClientSecret("")}, "WithClientSecret: secret is empty"},
		{"unknown method", "https://sso.example.com", "demo", "app", []kc.Option{WithAuthMethod("magic")}, `unknown method "magic"`},
		{"post without secret", "https://sso.example.com", "demo", "app", []kc.Option{WithAuthMethod(ClientSecretPost)}, "needs WithClientSecret"},
		{"jwt without key", "https://sso.example.com", "demo", "app", []kc.Option{WithAuthMethod(PrivateKeyJWT)}, "needs WithPrivateKey"},
		{"rsa key with ES256", "https://sso.example.com", "demo", "app", []kc.Option{WithPrivateKey(key, "k", ES256)}, "needs an ECDSA key"},
		{"P-384 key with ES256", "https://sso.example.com", "demo", "app", []kc.Option{WithPrivateKey(mustECKey(elliptic.P384()), "k", ES256)}, "needs a P-256 key"},
		{"hs256 key", "https://sso.example.com", "demo", "app", []kc.Option{WithPrivateKey(key, "k", hs256)}, `unsupported algorithm "HS256"`},
		{"bad scope", "https://sso.example.com", "demo", "app", []kc.Option{WithScopes("a b")}, `bad scope "a b"`},
		{"nil clock", "https://sso.example.com", "demo", "app", []kc.Option{WithClock(nil)}, "WithClock: now is nil"},
		{"negative early refresh", "https://sso.example.com", "demo", "app", []kc.Option{WithEarlyRefresh(-1)}, "negative"},
		{"bad common option", "https://sso.example.com", "demo", "app", []kc.Option{kc.WithTimeout(0)}, "timeout must be positive"},
		{"discovery without issuer", "https://sso.example.com", "demo", "app", []kc.Option{WithDiscoveryDocument(&Discovery{TokenEndpoint: "x"})}, "issuer is empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := New(tt.serverURL, tt.realm, tt.clientID, tt.opts...)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("New error = %v, want it to contain %q", err, tt.want)
			}
			if !strings.HasPrefix(err.Error(), "oidc: ") && !strings.HasPrefix(err.Error(), "kc: ") {
				t.Errorf("error %q does not start with the package", err)
			}
		})
	}
}

func TestSecretsNeverShown(t *testing.T) {
	t.Parallel()
	op := newFakeOP(t)
	c := op.client("app", WithClientSecret("s3cr3t-value"))
	if s := fmt.Sprint(c) + fmt.Sprintf("%+v %#v", c, c); strings.Contains(s, "s3cr3t-value") {
		t.Errorf("client printed with its secret: %s", s)
	}
	_, err := op.client("app", WithClientSecret("s3cr3t-value"), WithAuthMethod(ClientSecretPost)).Password(t.Context(), "alice", "pw-wrong-secret")
	if err == nil {
		t.Fatal("want an error")
	}
	if s := err.Error(); strings.Contains(s, "s3cr3t-value") || strings.Contains(s, "pw-wrong-secret") {
		t.Errorf("error shows a secret: %s", s)
	}
}

func TestBadArgumentsSendNothing(t *testing.T) {
	t.Parallel()
	c, err := New(failServer(t), "demo", "app", WithClientSecret("s"))
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	tests := []struct {
		name string
		call func() error
		want string
	}{
		{"password empty username", func() error { _, err := c.Password(ctx, "", "pw"); return err }, "oidc: username is empty"},
		{"exchange empty code", func() error { _, err := c.ExchangeCode(ctx, "", "https://app/cb", ""); return err }, "oidc: code is empty"},
		{"exchange relative redirect", func() error { _, err := c.ExchangeCode(ctx, "c", "/cb", ""); return err }, "not an absolute URL"},
		{"exchange empty redirect", func() error { _, err := c.ExchangeCode(ctx, "c", "", ""); return err }, "redirectURI is empty"},
		{"exchange short verifier", func() error { _, err := c.ExchangeCode(ctx, "c", "https://app/cb", "short"); return err }, "PKCE verifier has 5 characters"},
		{"refresh empty", func() error { _, err := c.Refresh(ctx, ""); return err }, "oidc: refreshToken is empty"},
		{"token exchange empty subject", func() error { _, err := c.ExchangeToken(ctx, TokenExchange{}); return err }, "SubjectToken is empty"},
		{"token exchange empty audience", func() error {
			_, err := c.ExchangeToken(ctx, TokenExchange{SubjectToken: "t", Audiences: []string{""}})
			return err
		}, "empty audience"},
		{"bad scope option", func() error { _, err := c.ClientCredentials(ctx, Scope("a b")); return err }, `bad scope "a b"`},
		{"reserved param", func() error { _, err := c.ClientCredentials(ctx, Param("grant_type", "x")); return err }, `"grant_type" is set by the method`},
		{"userinfo empty", func() error { _, err := c.UserInfo(ctx, ""); return err }, "accessToken is empty"},
		{"introspect empty", func() error { _, err := c.Introspect(ctx, "", HintNone); return err }, "token is empty"},
		{"revoke empty", func() error { return c.Revoke(ctx, "", HintNone) }, "token is empty"},
		{"logout empty", func() error { return c.Logout(ctx, "") }, "refreshToken is empty"},
		{"auth url empty state", func() error { _, err := c.AuthCodeURL(ctx, ""); return err }, "state is empty"},
		{"auth url relative redirect", func() error { _, err := c.AuthCodeURL(ctx, "st", RedirectURI("cb")); return err }, "not an absolute URL"},
		{"poll nil", func() error { _, err := c.PollDeviceToken(ctx, nil, ""); return err }, "no device code"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.call()
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error = %v, want it to contain %q", err, tt.want)
			}
		})
	}
}

func TestDiscovery(t *testing.T) {
	t.Parallel()
	op := newFakeOP(t)
	c := op.client("app", WithClientSecret("app-secret"))
	var wg sync.WaitGroup
	for range 50 {
		wg.Go(func() {
			d, err := c.Discovery(t.Context())
			if err != nil {
				t.Error(err)
				return
			}
			if d.Issuer != op.issuer {
				t.Errorf("issuer = %q, want %q", d.Issuer, op.issuer)
			}
		})
	}
	wg.Wait()
	if n := op.count("openid-configuration"); n != 1 {
		t.Errorf("discovery fetched %d times, want 1", n)
	}
	d, _ := c.Discovery(t.Context())
	want := op.srv.URL + "/realms/demo/protocol/openid-connect/token"
	if d.TokenEndpoint != want {
		t.Errorf("token endpoint = %q, want %q", d.TokenEndpoint, want)
	}
	if !strings.Contains(string(d.Raw), "kept in Raw") {
		t.Errorf("Raw lacks the extension member: %s", d.Raw)
	}
	if diff := cmp.Diff([]string{"plain", "S256"}, d.CodeChallengeMethodsSupported); diff != "" {
		t.Errorf("code challenge methods (-want +got):\n%s", diff)
	}
}

func TestDiscoveryFailureIsNotCached(t *testing.T) {
	t.Parallel()
	op := newFakeOP(t)
	op.inject("openid-configuration", fault{status: 500, body: `{"error":"unknown_error"}`, times: 1})
	c := op.client("app", WithClientSecret("app-secret"))
	if _, err := c.ClientCredentials(t.Context()); err == nil {
		t.Fatal("first call: want the discovery error")
	}
	if _, err := c.ClientCredentials(t.Context()); err != nil {
		t.Fatalf("second call: %v", err)
	}
	if n := op.count("openid-configuration"); n != 2 {
		t.Errorf("discovery fetched %d times, want 2", n)
	}
}

func TestWithDiscoveryDocument(t *testing.T) {
	t.Parallel()
	op := newFakeOP(t)
	c := op.client("app", WithClientSecret("app-secret"), WithDiscoveryDocument(&Discovery{
		Issuer: op.issuer, TokenEndpoint: op.srv.URL + op.base() + "/token",
	}))
	if _, err := c.ClientCredentials(t.Context()); err != nil {
		t.Fatal(err)
	}
	if n := op.count("openid-configuration"); n != 0 {
		t.Errorf("discovery fetched %d times, want 0", n)
	}
	if _, err := c.UserInfo(t.Context(), "tok"); err == nil || !strings.Contains(err.Error(), "the provider has no userinfo endpoint") {
		t.Errorf("UserInfo error = %v, want no userinfo endpoint", err)
	}
}

func TestPasswordGrant(t *testing.T) {
	t.Parallel()
	op := newFakeOP(t)
	c := op.client("app", WithClientSecret("app-secret"))
	tok, err := c.Password(t.Context(), "alice", "alice-pw", Scope("openid"), Param("totp", "123456"))
	if err != nil {
		t.Fatal(err)
	}
	now := op.clock.Now()
	if tok.AccessToken == "" || tok.RefreshToken == "" || tok.IDToken == "" {
		t.Errorf("token lacks a part: %v", tok)
	}
	if !tok.Expiry.Equal(now.Add(5*time.Minute)) || !tok.RefreshExpiry.Equal(now.Add(30*time.Minute)) {
		t.Errorf("expiry %v / refresh expiry %v, want now+5m / now+30m", tok.Expiry, tok.RefreshExpiry)
	}
	if tok.TokenType != "Bearer" || tok.Scope != "profile email openid" || tok.SessionState == "" {
		t.Errorf("token = %+v", tok)
	}
	r := op.requests("/token")[0]
	want := url.Values{"grant_type": {"password"}, "username": {"alice"}, "password": {"alice-pw"}, "scope": {"openid"}, "totp": {"123456"}}
	if diff := cmp.Diff(want, r.Form); diff != "" {
		t.Errorf("form (-want +got):\n%s", diff)
	}
	if u, p, ok := (&http.Request{Header: r.Header}).BasicAuth(); !ok || u != "app" || p != "app-secret" {
		t.Errorf("basic auth = %q %q %v", u, p, ok)
	}
}

// gocloak D1: a wrong password is a typed invalid_grant error.
func TestWrongPasswordIsInvalidGrant(t *testing.T) {
	t.Parallel()
	op := newFakeOP(t)
	c := op.client("app", WithClientSecret("app-secret"))
	_, err := c.Password(t.Context(), "alice", "wrong")
	if !errors.Is(err, kc.ErrInvalidGrant) || !errors.Is(err, kc.ErrUnauthorized) {
		t.Fatalf("error = %v, want kc.ErrInvalidGrant and kc.ErrUnauthorized", err)
	}
	var ae *kc.APIError
	if !errors.As(err, &ae) || ae.ErrorCode != "invalid_grant" || ae.ErrorDescription != "Invalid user credentials" || ae.StatusCode != 401 {
		t.Errorf("APIError = %+v", ae)
	}
}

// gocloak D6: all scopes are sent, space-separated, and no stray
// response_type.
func TestScopesSpaceSeparated(t *testing.T) {
	t.Parallel()
	op := newFakeOP(t)
	c := op.client("app", WithClientSecret("app-secret"), WithScopes("a", "b"))
	if _, err := c.ClientCredentials(t.Context()); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Password(t.Context(), "alice", "alice-pw", Scope("c", "d", "e")); err != nil {
		t.Fatal(err)
	}
	if _, err := c.ClientCredentials(t.Context(), Scope()); err != nil {
		t.Fatal(err)
	}
	reqs := op.requests("/token")
	for i, want := range []url.Values{
		{"grant_type": {"client_credentials"}, "scope": {"a b"}},
		{"grant_type": {"password"}, "username": {"alice"}, "password": {"alice-pw"}, "scope": {"c d e"}},
		{"grant_type": {"client_credentials"}},
	} {
		if diff := cmp.Diff(want, reqs[i].Form); diff != "" {
			t.Errorf("request %d form (-want +got):\n%s", i, diff)
		}
	}
}

func TestClientAuthMethods(t *testing.T) {
	t.Parallel()
	ec := mustECKey(elliptic.P256())
	ed := mustEdKey()
	tests := []struct {
		name     string
		setup    func(*fakeClient)
		opts     []kc.Option
		basic    bool
		formKeys []string
		alg      string
	}{
		{"basic", nil, []kc.Option{WithClientSecret("app-secret")}, true, []string{"grant_type"}, ""},
		{"post", nil, []kc.Option{WithClientSecret("app-secret"), WithAuthMethod(ClientSecretPost)}, false, []string{"client_id", "client_secret", "grant_type"}, ""},
		{"client_secret_jwt", func(c *fakeClient) { c.jwtSecretAuth = true }, []kc.Option{WithClientSecret("app-secret"), WithAuthMethod(ClientSecretJWT)}, false,
			[]string{"client_assertion", "client_assertion_type", "client_id", "grant_type"}, hs256},
		{"private_key_jwt RS256", func(c *fakeClient) { c.jwtKey = rsaKey(1).Public() }, []kc.Option{WithPrivateKey(rsaKey(1), "k1", RS256)}, false,
			[]string{"client_assertion", "client_assertion_type", "client_id", "grant_type"}, RS256},
		{"private_key_jwt PS256", func(c *fakeClient) { c.jwtKey = rsaKey(1).Public() }, []kc.Option{WithPrivateKey(rsaKey(1), "k1", PS256)}, false,
			[]string{"client_assertion", "client_assertion_type", "client_id", "grant_type"}, PS256},
		{"private_key_jwt ES256", func(c *fakeClient) { c.jwtKey = ec.Public() }, []kc.Option{WithPrivateKey(ec, "k2", ES256)}, false,
			[]string{"client_assertion", "client_assertion_type", "client_id", "grant_type"}, ES256},
		{"private_key_jwt EdDSA", func(c *fakeClient) { c.jwtKey = ed.Public() }, []kc.Option{WithPrivateKey(ed, "k3", EdDSA)}, false,
			[]string{"client_assertion", "client_assertion_type", "client_id", "grant_type"}, EdDSA},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			op := newFakeOP(t)
			if tt.setup != nil {
				tt.setup(op.clients["app"])
			}
			c := op.client("app", tt.opts...)
			for i := range 2 {
				if _, err := c.ClientCredentials(t.Context()); err != nil {
					t.Fatalf("call %d: %v", i, err)
				}
			}
			reqs := op.requests("/token")
			r := reqs[0]
			var keys []string
			for k := range r.Form {
				keys = append(keys, k)
			}
			if diff := cmp.Diff(tt.formKeys, keys, cmpSorted); diff != "" {
				t.Errorf("form keys (-want +got):\n%s", diff)
			}
			if _, _, ok := (&http.Request{Header: r.Header}).BasicAuth(); ok != tt.basic {
				t.Errorf("basic auth sent = %v, want %v", ok, tt.basic)
			}
			if tt.alg != "" {
				a := r.Form.Get("client_assertion")
				if a == reqs[1].Form.Get("client_assertion") {
					t.Error("two requests sent the same assertion (jti must differ)")
				}
				hb, _ := base64.RawURLEncoding.DecodeString(strings.Split(a, ".")[0])
				var h struct{ Alg, Typ string }
				json.Unmarshal(hb, &h)
				if h.Alg != tt.alg {
					t.Errorf("assertion alg = %q, want %q", h.Alg, tt.alg)
				}
			}
		})
	}
	t.Run("public", func(t *testing.T) {
		t.Parallel()
		op := newFakeOP(t)
		c := op.client("spa")
		if _, err := c.Password(t.Context(), "alice", "alice-pw"); err != nil {
			t.Fatal(err)
		}
		r := op.requests("/token")[0]
		if r.Form.Get("client_id") != "spa" || r.Header.Get("Authorization") != "" {
			t.Errorf("public client sent client_id=%q Authorization=%q", r.Form.Get("client_id"), r.Header.Get("Authorization"))
		}
	})
}

var cmpSorted = cmp.Transformer("sort", func(in []string) []string {
	out := append([]string(nil), in...)
	for i := range out {
		for j := i + 1; j < len(out); j++ {
			if out[j] < out[i] {
				out[i], out[j] = out[j], out[i]
			}
		}
	}
	return out
})

func TestClientCredentialsFailures(t *testing.T) {
	t.Parallel()
	op := newFakeOP(t)
	tests := []struct {
		name   string
		c      *Client
		status int
		code   string
	}{
		{"wrong secret", op.client("app", WithClientSecret("nope")), 401, "unauthorized_client"},
		{"unknown client", op.client("ghost", WithClientSecret("x")), 401, "invalid_client"},
		{"public client", op.client("spa"), 401, "unauthorized_client"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tt.c.ClientCredentials(t.Context())
			var ae *kc.APIError
			if !errors.As(err, &ae) || ae.StatusCode != tt.status || ae.ErrorCode != tt.code {
				t.Fatalf("error = %v, want %d %s", err, tt.status, tt.code)
			}
		})
	}
}

func TestAuthCodeFlow(t *testing.T) {
	t.Parallel()
	op := newFakeOP(t)
	c := op.client("app", WithClientSecret("app-secret"), WithScopes("openid", "email"))
	verifier := GenerateVerifier()
	state, nonce := GenerateState(), GenerateNonce()
	raw, err := c.AuthCodeURL(t.Context(), state, RedirectURI("https://app.example.com/cb"), Nonce(nonce),
		PKCE(verifier), Prompt("login"), LoginHint("alice"), MaxAge(60), ResponseMode("query"), Param("ui_locales", "de"))
	if err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse(raw)
	if got, want := u.Scheme+"://"+u.Host+u.Path, op.srv.URL+op.base()+"/auth"; got != want {
		t.Errorf("endpoint = %q, want %q", got, want)
	}
	want := url.Values{
		"response_type": {"code"}, "client_id": {"app"}, "state": {state}, "scope": {"openid email"},
		"redirect_uri": {"https://app.example.com/cb"}, "nonce": {nonce}, "code_challenge": {S256Challenge(verifier)},
		"code_challenge_method": {"S256"}, "prompt": {"login"}, "login_hint": {"alice"}, "max_age": {"60"},
		"response_mode": {"query"}, "ui_locales": {"de"},
	}
	if diff := cmp.Diff(want, u.Query()); diff != "" {
		t.Errorf("query (-want +got):\n%s", diff)
	}
	if !strings.Contains(raw, "scope=openid+email") {
		t.Errorf("scope not space-separated in %s", raw)
	}

	code := op.login("app", "alice", "https://app.example.com/cb", u.Query().Get("code_challenge"), "openid", nonce)
	tok, err := c.ExchangeCode(t.Context(), code, "https://app.example.com/cb", verifier)
	if err != nil {
		t.Fatal(err)
	}
	if tok.IDToken == "" {
		t.Fatal("no ID token")
	}
	f := op.requests("/token")[0].Form
	wantForm := url.Values{"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {"https://app.example.com/cb"}, "code_verifier": {verifier}}
	if diff := cmp.Diff(wantForm, f); diff != "" {
		t.Errorf("exchange form (-want +got):\n%s", diff)
	}
	v, err := c.Verifier(VerifierConfig{})
	if err != nil {
		t.Fatal(err)
	}
	claims, err := v.VerifyIDToken(t.Context(), tok.IDToken, nonce)
	if err != nil {
		t.Fatal(err)
	}
	if claims.Nonce != nonce || claims.PreferredUsername != "alice" {
		t.Errorf("ID token claims = %+v", claims)
	}

	// A code is single-use, and a reused code is never retried.
	_, err = c.ExchangeCode(t.Context(), code, "https://app.example.com/cb", verifier)
	if !errors.Is(err, kc.ErrInvalidGrant) {
		t.Errorf("reused code: %v, want invalid_grant", err)
	}
}

func TestExchangeFailures(t *testing.T) {
	t.Parallel()
	op := newFakeOP(t)
	c := op.client("app", WithClientSecret("app-secret"))
	verifier := GenerateVerifier()
	tests := []struct {
		name, redirect, verifier, desc string
		expire                         bool
	}{
		{"wrong redirect", "https://evil.example.com/cb", verifier, "Incorrect redirect_uri", false},
		{"missing verifier", "https://app/cb", "", "PKCE code verifier not specified", false},
		{"wrong verifier", "https://app/cb", GenerateVerifier(), "PKCE verification failed", false},
		{"expired", "https://app/cb", verifier, "Code is expired", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code := op.login("app", "alice", "https://app/cb", S256Challenge(verifier), "", "")
			if tt.expire {
				op.clock.Advance(2 * time.Minute)
			}
			_, err := c.ExchangeCode(t.Context(), code, tt.redirect, tt.verifier)
			var ae *kc.APIError
			if !errors.As(err, &ae) || ae.ErrorCode != "invalid_grant" || ae.ErrorDescription != tt.desc {
				t.Fatalf("error = %v, want invalid_grant %q", err, tt.desc)
			}
		})
	}
}

func TestExchangeIsNeverRetried(t *testing.T) {
	t.Parallel()
	op := newFakeOP(t)
	op.inject("/token", fault{status: 503, body: `{"error":"temporarily_unavailable"}`, times: 1})
	c := op.client("app", WithClientSecret("app-secret"), kc.WithRetry(3, 0, 0))
	code := op.login("app", "alice", "https://app/cb", "", "", "")
	if _, err := c.ExchangeCode(t.Context(), code, "https://app/cb", ""); err == nil {
		t.Fatal("want the 503")
	}
	if n := op.count("/token"); n != 1 {
		t.Errorf("%d token requests, want 1 (a code is single-use)", n)
	}
	// A new grant is safe to repeat.
	op.inject("/token", fault{status: 503, body: `{"error":"temporarily_unavailable"}`, times: 1})
	if _, err := c.ClientCredentials(t.Context()); err != nil {
		t.Fatalf("client credentials after one 503: %v", err)
	}
}

func TestRefresh(t *testing.T) {
	t.Parallel()
	op := newFakeOP(t)
	c := op.client("app", WithClientSecret("app-secret"), WithScopes("openid"))
	tok, err := c.Password(t.Context(), "alice", "alice-pw")
	if err != nil {
		t.Fatal(err)
	}
	tok2, err := c.Refresh(t.Context(), tok.RefreshToken)
	if err != nil {
		t.Fatal(err)
	}
	if tok2.AccessToken == tok.AccessToken || tok2.RefreshToken == "" {
		t.Errorf("refresh gave %v", tok2)
	}
	f := op.requests("/token")[1].Form
	if diff := cmp.Diff(url.Values{"grant_type": {"refresh_token"}, "refresh_token": {tok.RefreshToken}}, f); diff != "" {
		t.Errorf("refresh form (-want +got):\n%s", diff)
	}
	if err := c.Logout(t.Context(), tok2.RefreshToken); err != nil {
		t.Fatal(err)
	}
	_, err = c.Refresh(t.Context(), tok2.RefreshToken)
	if !errors.Is(err, kc.ErrInvalidGrant) || !errors.Is(err, kc.ErrBadRequest) {
		t.Errorf("refresh after logout: %v, want invalid_grant 400", err)
	}
	_, err = op.client("other", WithClientSecret("other-secret")).Refresh(t.Context(), tok.RefreshToken)
	if !errors.Is(err, kc.ErrInvalidGrant) {
		t.Errorf("refresh by another client: %v, want invalid_grant", err)
	}
}

func TestExchangeToken(t *testing.T) {
	t.Parallel()
	op := newFakeOP(t)
	c := op.client("app", WithClientSecret("app-secret"))
	subject := op.sign(func() map[string]any {
		m := op.accessClaims("alice", "spa", "openid", "")
		m["aud"] = []string{"app", "account"}
		return m
	}())
	tok, err := c.ExchangeToken(t.Context(), TokenExchange{SubjectToken: subject, Audiences: []string{"billing", "orders"}, Scopes: []string{"email"}})
	if err != nil {
		t.Fatal(err)
	}
	if tok.IssuedTokenType != TokenTypeAccessToken {
		t.Errorf("issued token type = %q", tok.IssuedTokenType)
	}
	want := url.Values{"grant_type": {GrantTokenExchange}, "subject_token": {subject}, "subject_token_type": {TokenTypeAccessToken},
		"audience": {"billing", "orders"}, "scope": {"email"}, "requested_token_type": {TokenTypeAccessToken}}
	if diff := cmp.Diff(want, op.requests("/token")[0].Form); diff != "" {
		t.Errorf("form (-want +got):\n%s", diff)
	}
	idt, err := c.ExchangeToken(t.Context(), TokenExchange{SubjectToken: subject, RequestedTokenType: TokenTypeIDToken})
	if err != nil {
		t.Fatal(err)
	}
	if idt.TokenType != "N_A" || idt.IssuedTokenType != TokenTypeIDToken {
		t.Errorf("ID token exchange: %v / %q", idt.TokenType, idt.IssuedTokenType)
	}

	notAudience := op.sign(op.accessClaims("alice", "spa", "openid", ""))
	tests := []struct {
		name   string
		c      *Client
		x      TokenExchange
		status int
		code   string
	}{
		{"not in audience", c, TokenExchange{SubjectToken: notAudience}, 403, "access_denied"},
		{"invalid token", c, TokenExchange{SubjectToken: "garbage"}, 400, "invalid_request"},
		{"public client", op.client("spa"), TokenExchange{SubjectToken: subject}, 400, "invalid_client"},
		{"not enabled", op.client("other", WithClientSecret("other-secret")), TokenExchange{SubjectToken: subject}, 400, "invalid_request"},
		{"bad requested type", c, TokenExchange{SubjectToken: subject, RequestedTokenType: "urn:x"}, 400, "invalid_request"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tt.c.ExchangeToken(t.Context(), tt.x)
			var ae *kc.APIError
			if !errors.As(err, &ae) || ae.StatusCode != tt.status || ae.ErrorCode != tt.code {
				t.Fatalf("error = %v, want %d %s", err, tt.status, tt.code)
			}
		})
	}
}

func TestTokenEndpointErrors(t *testing.T) {
	t.Parallel()
	op := newFakeOP(t)
	c := op.client("app", WithClientSecret("app-secret"))
	tests := []struct {
		name string
		call func() error
		code string
	}{
		{"direct access disabled", func() error {
			op.mu.Lock()
			op.clients["nodirect"] = &fakeClient{secret: "s"}
			op.mu.Unlock()
			_, err := op.client("nodirect", WithClientSecret("s")).Password(t.Context(), "alice", "alice-pw")
			return err
		}, "unauthorized_client"},
		{"unknown user", func() error { _, err := c.Password(t.Context(), "bob", "x"); return err }, "invalid_grant"},
		{"unknown refresh token", func() error { _, err := c.Refresh(t.Context(), "nope"); return err }, "invalid_grant"},
		{"unknown code", func() error { _, err := c.ExchangeCode(t.Context(), "nope", "https://app/cb", ""); return err }, "invalid_grant"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.call()
			var ae *kc.APIError
			if !errors.As(err, &ae) || ae.ErrorCode != tt.code {
				t.Fatalf("error = %v, want %s", err, tt.code)
			}
		})
	}
}

// With a logger, no secret reaches the log.
func TestLogsHoldNoSecret(t *testing.T) {
	t.Parallel()
	op := newFakeOP(t)
	var buf strings.Builder
	var mu sync.Mutex
	logger := slog.New(slog.NewTextHandler(writerFunc(func(p []byte) (int, error) {
		mu.Lock()
		defer mu.Unlock()
		return buf.Write(p)
	}), &slog.HandlerOptions{Level: slog.LevelDebug}))
	op.clients["app"].jwtSecretAuth = false
	c := op.client("app", WithClientSecret("app-secret"), WithAuthMethod(ClientSecretPost), kc.WithLogger(logger))
	tok, err := c.Password(t.Context(), "alice", "alice-pw", Scope("openid"))
	if err != nil {
		t.Fatal(err)
	}
	c.Refresh(t.Context(), tok.RefreshToken)
	c.Introspect(t.Context(), tok.AccessToken, HintAccessToken)
	c.UserInfo(t.Context(), tok.AccessToken)
	c.Revoke(t.Context(), tok.AccessToken, HintNone)
	c.Logout(t.Context(), tok.RefreshToken)
	c.Password(t.Context(), "alice", "wrong-pw-xyz")
	mu.Lock()
	defer mu.Unlock()
	logged := buf.String()
	if !strings.Contains(logged, "/token") {
		t.Fatalf("nothing logged: %q", logged)
	}
	for _, secret := range []string{"app-secret", "alice-pw", "wrong-pw-xyz", tok.AccessToken, tok.RefreshToken, tok.IDToken} {
		if strings.Contains(logged, secret) {
			t.Errorf("log holds a secret %.12q...", secret)
		}
	}
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }
