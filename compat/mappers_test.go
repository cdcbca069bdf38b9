package compat

import (
	"encoding/json"
	"net/http"
	"reflect"
	"testing"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"github.com/kcgo/kc/keycloak/kctest"
)

// mappersRealmFile is kctest's mappers realm: client mapper-app has a
// protocol mapper of each supported type, pairwise-app a pairwise subject,
// broken-app a mapper type kctest does not implement; user alice/alice.
const mappersRealmFile = "../testdata/realms/mappers-realm.json"

const aliceID = "a11ce000-0000-4000-8000-000000000001"

// TestMappersKctest logs in through kctest in-process with the mappers
// realm and checks every claim of every token.
func TestMappersKctest(t *testing.T) {
	t.Parallel()
	srv := kctest.Start(t, kctest.WithRealmFile(mappersRealmFile))
	testMappers(t, srv.URL)
}

// TestMappersKcdev does the same through the kcdev program.
func TestMappersKcdev(t *testing.T) {
	t.Parallel()
	tg := startKcdev(t, buildKcdev(t), "--import-realm", mappersRealmFile)
	testMappers(t, tg.base)
}

// tokenClaims decodes a verified token's claims and drops those that
// change from token to token, after checking they are there.
func tokenClaims(t *testing.T, what string, tok *oidc.IDToken) map[string]any {
	t.Helper()
	var m map[string]any
	if err := tok.Claims(&m); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"exp", "iat", "jti", "iss", "sid", "auth_time"} {
		if _, ok := m[k]; !ok {
			t.Errorf("%s has no %s", what, k)
		}
		delete(m, k)
	}
	delete(m, "at_hash")
	return m
}

// wantClaims parses the expected claims.
func wantClaims(t *testing.T, s string) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		t.Fatalf("%v in %s", err, s)
	}
	return m
}

// sameClaims reports a difference between want and got claim by claim.
func sameClaims(t *testing.T, what string, want, got map[string]any) {
	t.Helper()
	for k, w := range want {
		if g, ok := got[k]; !ok {
			t.Errorf("%s: missing %s (want %v)", what, k, w)
		} else if !reflect.DeepEqual(w, g) {
			t.Errorf("%s: %s = %v, want %v", what, k, g, w)
		}
	}
	for k, g := range got {
		if _, ok := want[k]; !ok {
			t.Errorf("%s: unexpected %s = %v", what, k, g)
		}
	}
}

func testMappers(t *testing.T, base string) {
	issuer := base + "/realms/mappers"
	p, err := oidc.NewProvider(ctx(t), issuer)
	if err != nil {
		t.Fatalf("oidc.NewProvider(%s): %v", issuer, err)
	}
	ep := p.Endpoint()
	ep.AuthStyle = oauth2.AuthStyleInParams
	conf := &oauth2.Config{ClientID: "mapper-app", Endpoint: ep, RedirectURL: redirectURI,
		Scopes: []string{oidc.ScopeOpenID, "address"}}
	verifier := oauth2.GenerateVerifier()
	redirect := browserLogin(t, browser(t), conf.AuthCodeURL("st", oauth2.S256ChallengeOption(verifier)), aliceName, alicePassword)
	tok, err := conf.Exchange(ctx(t), redirect.Query().Get("code"), oauth2.VerifierOption(verifier))
	if err != nil {
		t.Fatalf("Exchange: %v", err)
	}

	// The ID token: go-oidc checks the signature, iss, exp and that
	// mapper-app is among its audiences (the custom audience mapper adds
	// one).
	rawID, _ := tok.Extra("id_token").(string)
	idt, err := p.Verifier(&oidc.Config{ClientID: "mapper-app"}).Verify(ctx(t), rawID)
	if err != nil {
		t.Fatalf("verify ID token: %v", err)
	}
	profile := `"name": "Alice Liddell", "given_name": "Alice", "family_name": "Liddell", "preferred_username": "alice",
		"email": "alice@example.com", "email_verified": true,
		"address": {"street_address": "1 Rabbit Hole", "locality": "Oxford", "country": "UK"}`
	sameClaims(t, "ID token", wantClaims(t, `{"typ": "ID", "azp": "mapper-app", "sub": "`+aliceID+`", "acr": "1",
		"aud": ["mapper-app", "https://api.example.com"], `+profile+`,
		"tenant": {"id": 42}, "shoe_size": 42, "groups": ["/staff/admins"]}`), tokenClaims(t, "ID token", idt))

	// The access token: audiences come from the audience mappers (api,
	// https://api.example.com) and then the audience resolver (account).
	at, err := p.Verifier(&oidc.Config{SkipClientIDCheck: true}).Verify(ctx(t), tok.AccessToken)
	if err != nil {
		t.Fatalf("verify access token: %v", err)
	}
	if !reflect.DeepEqual(at.Audience, []string{"api", "https://api.example.com", "account"}) {
		t.Errorf("access token audience %v", at.Audience)
	}
	got := tokenClaims(t, "access token", at)
	// login_time is the session note AUTH_TIME, set when the form
	// signed alice in, before the code was exchanged.
	if lt, ok := got["login_time"].(float64); !ok || int64(lt) > idt.IssuedAt.Unix() || int64(lt) < idt.IssuedAt.Unix()-60 {
		t.Errorf("login_time (session note AUTH_TIME) = %v, issued at %v", got["login_time"], idt.IssuedAt.Unix())
	}
	delete(got, "login_time")
	sameClaims(t, "access token", wantClaims(t, `{"typ": "Bearer", "azp": "mapper-app", "sub": "`+aliceID+`", "acr": "1",
		"scope": "openid profile email address", "aud": ["api", "https://api.example.com", "account"],
		"allowed-origins": ["http://127.0.0.1:3000"],
		"realm_access": {"roles": ["default-roles-mappers", "offline_access", "reader", "uma_authorization", "viewer", "writer"]},
		"resource_access": {"account": {"roles": ["manage-account", "manage-account-links", "view-profile"]}, "api": {"roles": ["read", "write"]}},
		`+profile+`,
		"tenant": {"id": 42}, "cfg": {"a": [1, 2]}, "https://example.com/claims": {"plan": "gold"}, "beta": true,
		"shoe_size": 42, "flags": ["a", "b"], "departments": ["research", "ops"], "first": "Alice", "ev": true,
		"roles": {"realm": ["realm:default-roles-mappers", "realm:offline_access", "realm:reader", "realm:uma_authorization", "realm:viewer", "realm:writer"],
		          "api": ["read", "write"]},
		"cr": {"account": ["manage-account", "manage-account-links", "view-profile"], "api": ["read", "write"]},
		"groups": ["/staff/admins"], "group_names": ["admins"]}`), got)

	// Userinfo through go-oidc.
	ui, err := p.UserInfo(ctx(t), oauth2.StaticTokenSource(tok))
	if err != nil {
		t.Fatalf("UserInfo: %v", err)
	}
	var uiClaims map[string]any
	if err := ui.Claims(&uiClaims); err != nil {
		t.Fatal(err)
	}
	// After a browser login the basic scope's auth_time mapper writes
	// userinfo too.
	if _, ok := uiClaims["auth_time"]; !ok {
		t.Errorf("userinfo has no auth_time: %v", uiClaims)
	}
	delete(uiClaims, "auth_time")
	sameClaims(t, "userinfo", wantClaims(t, `{"sub": "`+aliceID+`", `+profile+`, "tenant": {"id": 42},
		"https://example.com/claims": {"plan": "gold"}, "shoe_size": 42, "first": "Alice", "groups": ["/staff/admins"]}`), uiClaims)

	// A pairwise subject: not the user id, the same in both tokens.
	pconf := &oauth2.Config{ClientID: "pairwise-app", Endpoint: ep, RedirectURL: redirectURI, Scopes: []string{oidc.ScopeOpenID}}
	ptok, err := pconf.PasswordCredentialsToken(ctx(t), aliceName, alicePassword)
	if err != nil {
		t.Fatalf("pairwise-app password grant: %v", err)
	}
	pid, err := p.Verifier(&oidc.Config{ClientID: "pairwise-app"}).Verify(ctx(t), ptok.Extra("id_token").(string))
	if err != nil {
		t.Fatalf("verify pairwise ID token: %v", err)
	}
	pat, err := p.Verifier(&oidc.Config{SkipClientIDCheck: true}).Verify(ctx(t), ptok.AccessToken)
	if err != nil {
		t.Fatalf("verify pairwise access token: %v", err)
	}
	if pid.Subject == aliceID || pid.Subject != pat.Subject || len(pid.Subject) != 36 {
		t.Errorf("pairwise subject: ID token %q, access token %q", pid.Subject, pat.Subject)
	}

	// A mapper type kctest does not implement fails the request.
	bconf := &oauth2.Config{ClientID: "broken-app", Endpoint: ep}
	_, err = bconf.PasswordCredentialsToken(ctx(t), aliceName, alicePassword)
	if re := retrieveError(t, err); re.Response.StatusCode != http.StatusInternalServerError || re.ErrorCode != "unknown_error" {
		t.Errorf("broken-app: %d %q", re.Response.StatusCode, re.ErrorCode)
	}
}
