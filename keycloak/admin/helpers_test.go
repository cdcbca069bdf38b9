package admin_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/kcgo/kc"
	"github.com/kcgo/kc/keycloak/admin"
	"github.com/kcgo/kc/keycloak/kctest"
)

// passwordSource logs in with the password grant at srv's token endpoint
// and caches the token until InvalidateToken: a stand-in for the managed
// sources of package oidc.
type passwordSource struct {
	tokenURL, clientID, username, password string

	mu       sync.Mutex
	tok      *kc.Token
	fetches  int
	invalids int
}

func newPasswordSource(serverURL, realm, clientID, username, password string) *passwordSource {
	return &passwordSource{
		tokenURL: serverURL + "/realms/" + realm + "/protocol/openid-connect/token",
		clientID: clientID, username: username, password: password,
	}
}

func (p *passwordSource) Token(ctx context.Context) (*kc.Token, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.tok != nil {
		return p.tok, nil
	}
	raw, err := login(ctx, p.tokenURL, url.Values{
		"grant_type": {"password"}, "client_id": {p.clientID}, "username": {p.username}, "password": {p.password},
	})
	if err != nil {
		return nil, err
	}
	p.fetches++
	p.tok = &kc.Token{AccessToken: raw, TokenType: "Bearer"}
	return p.tok, nil
}

func (p *passwordSource) InvalidateToken(t *kc.Token) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.invalids++
	if p.tok == t {
		p.tok = nil
	}
}

// login posts form to tokenURL and returns the access token.
func login(ctx context.Context, tokenURL string, form url.Values) (string, error) {
	req, err := http.NewRequestWithContext(ctx, "POST", tokenURL, strings.NewReader(form.Encode()))
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	var body struct {
		AccessToken string `json:"access_token"`
		Error       string `json:"error"`
		Description string `json:"error_description"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		return "", err
	}
	if body.AccessToken == "" {
		return "", fmt.Errorf("login: %d %s: %s", resp.StatusCode, body.Error, body.Description)
	}
	return body.AccessToken, nil
}

// claimsOf decodes a JWT's payload without verifying it.
func claimsOf(t *testing.T, jwt string) map[string]any {
	t.Helper()
	parts := strings.Split(jwt, ".")
	if len(parts) != 3 {
		t.Fatalf("not a JWT: %q", jwt)
	}
	var m map[string]any
	b, err := decodeSegment(parts[1])
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// env is a kctest server with realm "acme" and an admin client logged in
// as master's bootstrap admin.
type env struct {
	srv   *kctest.Server
	ts    *passwordSource
	c     *admin.Client
	realm *admin.RealmClient
}

func setup(t testing.TB, opts ...kctest.Option) *env {
	t.Helper()
	srv := kctest.Start(t, opts...)
	if _, err := srv.AddRealm(kctest.Realm{Name: "acme"}); err != nil {
		t.Fatal(err)
	}
	ts := newPasswordSource(srv.URL, "master", "admin-cli", "admin", "admin")
	c, err := admin.New(srv.URL, ts, kc.WithoutRetry())
	if err != nil {
		t.Fatal(err)
	}
	return &env{srv: srv, ts: ts, c: c, realm: c.Realm("acme")}
}

func must[T any](t testing.TB) func(v T, err error) T {
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

func check(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
