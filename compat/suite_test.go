package compat

import (
	"crypto/rand"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"github.com/go-jose/go-jose/v4"
	josejwt "github.com/go-jose/go-jose/v4/jwt"
	"github.com/golang-jwt/jwt/v5"
	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"
)

// suite runs every third-party check against tg. login signs a user in at
// an authorization URL and returns the redirect; approve approves a
// device authorization.
type suite struct {
	tg      *target
	login   func(t *testing.T, authURL, username, password string) *url.URL
	approve func(t *testing.T, da *oauth2.DeviceAuthResponse, username, password string)
}

func (s *suite) run(t *testing.T) {
	for _, tc := range []struct {
		name string
		f    func(*testing.T)
	}{
		{"discovery", s.testDiscovery},
		{"password grant and go-oidc verifier", s.testPasswordGrant},
		{"password grant errors", s.testPasswordErrors},
		{"public client with auto-detected auth style", s.testPublicAutoDetect},
		{"client credentials", s.testClientCredentials},
		{"client credentials errors", s.testClientCredentialsErrors},
		{"authorization code with PKCE", s.testAuthCodePKCE},
		{"browser SSO cookie", s.testBrowserSSO},
		{"refresh via TokenSource", s.testRefresh},
		{"device flow", s.testDevice},
		{"token exchange", s.testTokenExchange},
		{"golang-jwt with JWKS key", s.testGolangJWT},
		{"go-jose with JWKS key", s.testGoJose},
		{"userinfo", s.testUserInfo},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.f(t)
		})
	}
}

// provider discovers the demo realm with go-oidc.
func (s *suite) provider(t *testing.T) *oidc.Provider {
	t.Helper()
	p, err := oidc.NewProvider(ctx(t), s.tg.issuer())
	if err != nil {
		t.Fatalf("oidc.NewProvider(%s): %v", s.tg.issuer(), err)
	}
	return p
}

// publicConfig is demo-app as an x/oauth2 config.
func (s *suite) publicConfig(p *oidc.Provider) *oauth2.Config {
	ep := p.Endpoint()
	ep.AuthStyle = oauth2.AuthStyleInParams
	return &oauth2.Config{ClientID: publicClient, Endpoint: ep, RedirectURL: redirectURI,
		Scopes: []string{oidc.ScopeOpenID, "profile", "email"}}
}

// passwordToken signs alice in with the password grant through demo-app.
func (s *suite) passwordToken(t *testing.T, p *oidc.Provider) *oauth2.Token {
	t.Helper()
	tok, err := s.publicConfig(p).PasswordCredentialsToken(ctx(t), aliceName, alicePassword)
	if err != nil {
		t.Fatalf("PasswordCredentialsToken: %v", err)
	}
	return tok
}

// accessClaims are the access token claims the suite looks at.
type accessClaims struct {
	Typ               string `json:"typ"`
	Azp               string `json:"azp"`
	PreferredUsername string `json:"preferred_username"`
	Scope             string `json:"scope"`
	Sid               string `json:"sid"`
}

// verifyAccess verifies an access token with go-oidc (access tokens carry
// aud "account" or none, so the client ID is not checked) and returns its
// claims.
func (s *suite) verifyAccess(t *testing.T, p *oidc.Provider, raw string) (*oidc.IDToken, accessClaims) {
	t.Helper()
	v := p.Verifier(&oidc.Config{SkipClientIDCheck: true})
	tok, err := v.Verify(ctx(t), raw)
	if err != nil {
		t.Fatalf("verify access token: %v", err)
	}
	var c accessClaims
	if err := tok.Claims(&c); err != nil {
		t.Fatal(err)
	}
	if c.Typ != "Bearer" {
		t.Errorf("access token typ = %q, want Bearer", c.Typ)
	}
	return tok, c
}

func (s *suite) testDiscovery(t *testing.T) {
	p := s.provider(t)
	var claims struct {
		Issuer     string   `json:"issuer"`
		Revocation string   `json:"revocation_endpoint"`
		PKCE       []string `json:"code_challenge_methods_supported"`
	}
	if err := p.Claims(&claims); err != nil {
		t.Fatal(err)
	}
	if claims.Issuer != s.tg.issuer() {
		t.Errorf("issuer = %q, want %q", claims.Issuer, s.tg.issuer())
	}
	want := s.tg.issuer() + "/protocol/openid-connect"
	ep := p.Endpoint()
	for name, got := range map[string]string{
		"auth": ep.AuthURL, "token": ep.TokenURL, "device": ep.DeviceAuthURL,
		"userinfo": p.UserInfoEndpoint(), "revocation": claims.Revocation,
	} {
		wantURL := map[string]string{"auth": want + "/auth", "token": want + "/token", "device": want + "/auth/device",
			"userinfo": want + "/userinfo", "revocation": want + "/revoke"}[name]
		if got != wantURL {
			t.Errorf("%s endpoint = %q, want %q", name, got, wantURL)
		}
	}
	if !slices.Contains(claims.PKCE, "S256") {
		t.Errorf("code_challenge_methods_supported = %v, want S256 in it", claims.PKCE)
	}
	// go-oidc refuses a provider whose issuer differs from the URL asked.
	if _, err := oidc.NewProvider(ctx(t), s.tg.issuer()+"x"); err == nil {
		t.Error("NewProvider for an unknown realm succeeded")
	}
}

func (s *suite) testPasswordGrant(t *testing.T) {
	p := s.provider(t)
	tok := s.passwordToken(t, p)
	if tok.TokenType != "Bearer" || tok.RefreshToken == "" || tok.Expiry.IsZero() {
		t.Errorf("token type %q, refresh token set %v, expiry %v: want Bearer, true, set", tok.TokenType, tok.RefreshToken != "", tok.Expiry)
	}
	if d := time.Until(tok.Expiry); d < time.Minute || d > time.Hour {
		t.Errorf("token expires in %v, want between 1m and 1h", d)
	}
	at, c := s.verifyAccess(t, p, tok.AccessToken)
	if c.Azp != publicClient || c.PreferredUsername != aliceName || !strings.Contains(" "+c.Scope+" ", " openid ") || c.Sid == "" {
		t.Errorf("access claims = %+v, want azp %s, alice, openid in scope, a sid", c, publicClient)
	}
	rawID, ok := tok.Extra("id_token").(string)
	if !ok || rawID == "" {
		t.Fatal("no id_token in the token response for scope openid")
	}
	if sst, _ := tok.Extra("session_state").(string); sst != c.Sid {
		t.Errorf("session_state = %q, want the token's sid %q", sst, c.Sid)
	}
	idt, err := p.Verifier(&oidc.Config{ClientID: publicClient}).Verify(ctx(t), rawID)
	if err != nil {
		t.Fatalf("verify ID token with ClientID %s: %v", publicClient, err)
	}
	if idt.Subject != at.Subject || idt.Issuer != s.tg.issuer() {
		t.Errorf("ID token sub %q iss %q, want %q %q", idt.Subject, idt.Issuer, at.Subject, s.tg.issuer())
	}
	var idc struct {
		Typ   string `json:"typ"`
		Email string `json:"email"`
	}
	if err := idt.Claims(&idc); err != nil {
		t.Fatal(err)
	}
	if idc.Typ != "ID" || idc.Email != aliceEmail {
		t.Errorf("ID token typ %q email %q, want ID %s", idc.Typ, idc.Email, aliceEmail)
	}
	// The audience check must bite: the ID token is not for another client.
	if _, err := p.Verifier(&oidc.Config{ClientID: serviceClient}).Verify(ctx(t), rawID); err == nil {
		t.Error("ID token verified for another client ID")
	}
	// A tampered token fails the signature check.
	if _, err := p.Verifier(&oidc.Config{SkipClientIDCheck: true}).Verify(ctx(t), tamper(tok.AccessToken)); err == nil {
		t.Error("tampered access token verified")
	}
}

// tamper flips one character of a JWT's signature.
func tamper(jwt string) string {
	b := []byte(jwt)
	i := len(b) - 5
	if b[i] == 'A' {
		b[i] = 'B'
	} else {
		b[i] = 'A'
	}
	return string(b)
}

// testPublicAutoDetect lets x/oauth2 pick the auth style for a public
// client: it tries HTTP Basic with an empty secret first, which Keycloak
// accepts for a public client.
func (s *suite) testPublicAutoDetect(t *testing.T) {
	p := s.provider(t)
	conf := s.publicConfig(p)
	conf.Endpoint.AuthStyle = oauth2.AuthStyleAutoDetect
	tok, err := conf.PasswordCredentialsToken(ctx(t), aliceName, alicePassword)
	if err != nil {
		t.Fatalf("PasswordCredentialsToken with AuthStyleAutoDetect: %v", err)
	}
	if _, c := s.verifyAccess(t, p, tok.AccessToken); c.Azp != publicClient {
		t.Errorf("azp %q, want %s", c.Azp, publicClient)
	}
}

func (s *suite) testPasswordErrors(t *testing.T) {
	p := s.provider(t)
	conf := s.publicConfig(p)
	_, err := conf.PasswordCredentialsToken(ctx(t), aliceName, "wrong")
	re := retrieveError(t, err)
	if re.Response.StatusCode != http.StatusUnauthorized || re.ErrorCode != "invalid_grant" || re.ErrorDescription != "Invalid user credentials" {
		t.Errorf("wrong password: %d %q %q, want 401 invalid_grant \"Invalid user credentials\"", re.Response.StatusCode, re.ErrorCode, re.ErrorDescription)
	}
	// demo-service has no direct access grants.
	cc := &oauth2.Config{ClientID: serviceClient, ClientSecret: serviceSecret, Endpoint: p.Endpoint()}
	cc.Endpoint.AuthStyle = oauth2.AuthStyleInHeader
	_, err = cc.PasswordCredentialsToken(ctx(t), aliceName, alicePassword)
	re = retrieveError(t, err)
	if re.Response.StatusCode != http.StatusBadRequest || re.ErrorCode != "unauthorized_client" {
		t.Errorf("client without direct grants: %d %q, want 400 unauthorized_client", re.Response.StatusCode, re.ErrorCode)
	}
}

func (s *suite) testClientCredentials(t *testing.T) {
	p := s.provider(t)
	for _, style := range []oauth2.AuthStyle{oauth2.AuthStyleInHeader, oauth2.AuthStyleInParams, oauth2.AuthStyleAutoDetect} {
		conf := &clientcredentials.Config{ClientID: serviceClient, ClientSecret: serviceSecret,
			TokenURL: p.Endpoint().TokenURL, AuthStyle: style}
		tok, err := conf.Token(ctx(t))
		if err != nil {
			t.Fatalf("auth style %d: %v", style, err)
		}
		if tok.RefreshToken != "" {
			t.Errorf("auth style %d: a refresh token, want none for client_credentials", style)
		}
		if _, ok := tok.Extra("session_state").(string); ok {
			t.Errorf("auth style %d: session_state in a client_credentials response", style)
		}
		_, c := s.verifyAccess(t, p, tok.AccessToken)
		if c.Azp != serviceClient || c.PreferredUsername != "service-account-"+serviceClient || c.Sid != "" {
			t.Errorf("auth style %d: claims %+v, want azp %s, service-account-%s, no sid", style, c, serviceClient, serviceClient)
		}
		// The token source caches the token.
		ts := conf.TokenSource(ctx(t))
		t1, err := ts.Token()
		if err != nil {
			t.Fatal(err)
		}
		t2, err := ts.Token()
		if err != nil {
			t.Fatal(err)
		}
		if t1.AccessToken != t2.AccessToken {
			t.Errorf("auth style %d: the token source did not reuse its valid token", style)
		}
	}
}

func (s *suite) testClientCredentialsErrors(t *testing.T) {
	p := s.provider(t)
	for _, style := range []oauth2.AuthStyle{oauth2.AuthStyleInHeader, oauth2.AuthStyleInParams} {
		conf := &clientcredentials.Config{ClientID: serviceClient, ClientSecret: "wrong",
			TokenURL: p.Endpoint().TokenURL, AuthStyle: style}
		_, err := conf.Token(ctx(t))
		re := retrieveError(t, err)
		if re.Response.StatusCode != http.StatusUnauthorized || re.ErrorCode != "unauthorized_client" ||
			re.ErrorDescription != "Invalid client or Invalid client credentials" {
			t.Errorf("auth style %d, wrong secret: %d %q %q, want 401 unauthorized_client", style, re.Response.StatusCode, re.ErrorCode, re.ErrorDescription)
		}
	}
	conf := &clientcredentials.Config{ClientID: "nobody", ClientSecret: "x", TokenURL: p.Endpoint().TokenURL, AuthStyle: oauth2.AuthStyleInHeader}
	_, err := conf.Token(ctx(t))
	re := retrieveError(t, err)
	if re.Response.StatusCode != http.StatusUnauthorized || re.ErrorCode != "invalid_client" {
		t.Errorf("unknown client: %d %q, want 401 invalid_client", re.Response.StatusCode, re.ErrorCode)
	}
}

// randomString returns a URL-safe random string for state and nonce.
func randomString() string { return rand.Text() }

func (s *suite) testAuthCodePKCE(t *testing.T) {
	p := s.provider(t)
	conf := s.publicConfig(p)
	verifier := oauth2.GenerateVerifier()
	state, nonce := randomString(), randomString()
	authURL := conf.AuthCodeURL(state, oauth2.S256ChallengeOption(verifier), oidc.Nonce(nonce))
	redirect := s.login(t, authURL, aliceName, alicePassword)
	if got := redirect.Scheme + "://" + redirect.Host + redirect.Path; got != redirectURI {
		t.Fatalf("redirected to %s, want %s", redirect, redirectURI)
	}
	q := redirect.Query()
	if q.Get("state") != state || q.Get("iss") != s.tg.issuer() || q.Get("session_state") == "" || q.Get("code") == "" {
		t.Fatalf("redirect query %v: want state, iss %s, session_state and code", q, s.tg.issuer())
	}
	// Without the verifier the code is refused.
	_, err := conf.Exchange(ctx(t), q.Get("code"))
	re := retrieveError(t, err)
	if re.ErrorCode != "invalid_grant" || re.ErrorDescription != "PKCE code verifier not specified" {
		t.Errorf("exchange without verifier: %q %q, want invalid_grant \"PKCE code verifier not specified\"", re.ErrorCode, re.ErrorDescription)
	}
	redirect = s.login(t, conf.AuthCodeURL(state, oauth2.S256ChallengeOption(verifier), oidc.Nonce(nonce)), aliceName, alicePassword)
	tok, err := conf.Exchange(ctx(t), redirect.Query().Get("code"), oauth2.VerifierOption(verifier))
	if err != nil {
		t.Fatalf("Exchange: %v", err)
	}
	rawID, _ := tok.Extra("id_token").(string)
	idt, err := p.Verifier(&oidc.Config{ClientID: publicClient}).Verify(ctx(t), rawID)
	if err != nil {
		t.Fatalf("verify ID token: %v", err)
	}
	if idt.Nonce != nonce {
		t.Errorf("ID token nonce = %q, want %q", idt.Nonce, nonce)
	}
	if err := idt.VerifyAccessToken(tok.AccessToken); err != nil {
		t.Errorf("at_hash: %v", err)
	}
	if _, c := s.verifyAccess(t, p, tok.AccessToken); c.PreferredUsername != aliceName {
		t.Errorf("access token user %q, want alice", c.PreferredUsername)
	}
	// The code is single use.
	_, err = conf.Exchange(ctx(t), redirect.Query().Get("code"), oauth2.VerifierOption(verifier))
	if re := retrieveError(t, err); re.ErrorCode != "invalid_grant" {
		t.Errorf("reused code: %q, want invalid_grant", re.ErrorCode)
	}
}

// testBrowserSSO signs in through the HTML form with a cookie jar, then
// opens a second authorization URL with the same jar: the SSO cookie
// signs the user in without the form, and a wrong password on a fresh
// browser shows the form again with an error.
func (s *suite) testBrowserSSO(t *testing.T) {
	p := s.provider(t)
	conf := s.publicConfig(p)
	c := browser(t)
	verifier := oauth2.GenerateVerifier()
	first := browserLogin(t, c, conf.AuthCodeURL("one", oauth2.S256ChallengeOption(verifier)), aliceName, alicePassword)
	resp, page := get(t, c, conf.AuthCodeURL("two", oauth2.S256ChallengeOption(verifier)))
	if resp.StatusCode != http.StatusFound {
		t.Fatalf("second authorization with the SSO cookie: %s, want 302:\n%s", resp.Status, page)
	}
	loc, err := resp.Location()
	if err != nil {
		t.Fatal(err)
	}
	q := loc.Query()
	if q.Get("state") != "two" || q.Get("code") == "" || q.Get("session_state") != first.Query().Get("session_state") {
		t.Errorf("SSO redirect %v: want state two, a code, the first login's session_state %q", q, first.Query().Get("session_state"))
	}
	tok, err := conf.Exchange(ctx(t), q.Get("code"), oauth2.VerifierOption(verifier))
	if err != nil {
		t.Fatalf("Exchange of the SSO code: %v", err)
	}
	if _, ac := s.verifyAccess(t, p, tok.AccessToken); ac.PreferredUsername != aliceName {
		t.Errorf("SSO token user %q, want alice", ac.PreferredUsername)
	}

	// A wrong password shows the form again.
	fresh := browser(t)
	resp, page = get(t, fresh, conf.AuthCodeURL("three"))
	f := parseForm(t, resp.Request.URL, page)
	f.fields.Set("username", aliceName)
	f.fields.Set("password", "wrong")
	resp, page = postForm(t, fresh, f.action.String(), f.fields)
	if resp.StatusCode != http.StatusOK || !strings.Contains(page, "<form") || !strings.Contains(page, "Invalid username or password.") {
		t.Errorf("wrong password: %s, want 200 with the form and \"Invalid username or password.\":\n%s", resp.Status, page)
	}
}

func (s *suite) testRefresh(t *testing.T) {
	p := s.provider(t)
	conf := s.publicConfig(p)
	tok := s.passwordToken(t, p)
	old := *tok
	tok.Expiry = time.Now().Add(-time.Minute) // make x/oauth2 refresh
	ts := conf.TokenSource(ctx(t), tok)
	fresh, err := ts.Token()
	if err != nil {
		t.Fatalf("refresh through TokenSource: %v", err)
	}
	if fresh.AccessToken == old.AccessToken || fresh.RefreshToken == "" || !fresh.Valid() {
		t.Fatalf("refreshed token: same access token %v, refresh token set %v, valid %v", fresh.AccessToken == old.AccessToken, fresh.RefreshToken != "", fresh.Valid())
	}
	_, c := s.verifyAccess(t, p, fresh.AccessToken)
	_, oc := s.verifyAccess(t, p, old.AccessToken)
	if c.Sid != oc.Sid || c.PreferredUsername != aliceName {
		t.Errorf("refreshed claims %+v, want the same session %q and alice", c, oc.Sid)
	}
	// A broken refresh token surfaces Keycloak's error through x/oauth2.
	bad := &oauth2.Token{AccessToken: "x", RefreshToken: "not-a-token", Expiry: time.Now().Add(-time.Minute)}
	_, err = conf.TokenSource(ctx(t), bad).Token()
	if re := retrieveError(t, err); re.Response.StatusCode != http.StatusBadRequest || re.ErrorCode != "invalid_grant" {
		t.Errorf("bad refresh token: %d %q, want 400 invalid_grant", re.Response.StatusCode, re.ErrorCode)
	}
}

func (s *suite) testDevice(t *testing.T) {
	p := s.provider(t)
	conf := s.publicConfig(p)
	da, err := conf.DeviceAuth(ctx(t))
	if err != nil {
		t.Fatalf("DeviceAuth: %v", err)
	}
	if da.VerificationURI != s.tg.issuer()+"/device" || da.VerificationURIComplete != da.VerificationURI+"?user_code="+da.UserCode ||
		da.Interval != 5 || len(da.UserCode) != 9 || da.Expiry.IsZero() {
		t.Errorf("device response %+v: want verification_uri %s/device, interval 5, user code XXXX-XXXX", da, s.tg.issuer())
	}
	s.approve(t, da, aliceName, alicePassword)
	// x/oauth2 waits one interval before its first poll; the server asks
	// for 5 s, which would make the suite slow. The user is approved, so
	// the first poll succeeds and polling faster is not noticed.
	da.Interval = 1
	tok, err := conf.DeviceAccessToken(ctx(t), da)
	if err != nil {
		t.Fatalf("DeviceAccessToken: %v", err)
	}
	if _, c := s.verifyAccess(t, p, tok.AccessToken); c.PreferredUsername != aliceName || c.Azp != publicClient {
		t.Errorf("device token claims %+v, want alice via %s", c, publicClient)
	}
	// The device code is single use.
	_, err = conf.DeviceAccessToken(ctx(t), da)
	if re := retrieveError(t, err); re.ErrorCode != "invalid_grant" {
		t.Errorf("second poll: %q, want invalid_grant", re.ErrorCode)
	}
}

func (s *suite) testTokenExchange(t *testing.T) {
	p := s.provider(t)
	// alice's token from demo-app has demo-api in its audience (her group
	// /staff holds demo-api's read role), so demo-api may exchange it.
	subject := s.passwordToken(t, p)
	// clientcredentials lets EndpointParams replace grant_type: the common
	// way to send RFC 8693 token exchange with x/oauth2.
	ex := &clientcredentials.Config{ClientID: exchangeClient, ClientSecret: exchangeSecret, TokenURL: p.Endpoint().TokenURL,
		AuthStyle: oauth2.AuthStyleInHeader, EndpointParams: url.Values{
			"grant_type":         {"urn:ietf:params:oauth:grant-type:token-exchange"},
			"subject_token":      {subject.AccessToken},
			"subject_token_type": {"urn:ietf:params:oauth:token-type:access_token"},
		}}
	tok, err := ex.Token(ctx(t))
	if err != nil {
		t.Fatalf("token exchange: %v", err)
	}
	if got := tok.Extra("issued_token_type"); got != "urn:ietf:params:oauth:token-type:access_token" {
		t.Errorf("issued_token_type = %v, want …:access_token", got)
	}
	if _, c := s.verifyAccess(t, p, tok.AccessToken); c.Azp != exchangeClient || c.PreferredUsername != aliceName {
		t.Errorf("exchanged token claims %+v, want azp %s, alice", c, exchangeClient)
	}
	// demo-service does not have standard token exchange enabled.
	ex.ClientID, ex.ClientSecret = serviceClient, serviceSecret
	_, err = ex.Token(ctx(t))
	if re := retrieveError(t, err); re.Response.StatusCode != http.StatusBadRequest || re.ErrorCode != "invalid_request" ||
		re.ErrorDescription != "Standard token exchange is not enabled for the requested client" {
		t.Errorf("exchange by a client without the feature: %d %q %q, want 400 invalid_request", re.Response.StatusCode, re.ErrorCode, re.ErrorDescription)
	}
}

// jwks fetches the realm's JWKS from the jwks_uri of discovery.
func (s *suite) jwks(t *testing.T, p *oidc.Provider) jose.JSONWebKeySet {
	t.Helper()
	var d struct {
		JWKS string `json:"jwks_uri"`
	}
	if err := p.Claims(&d); err != nil {
		t.Fatal(err)
	}
	resp, body := get(t, http.DefaultClient, d.JWKS)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %s", d.JWKS, resp.Status)
	}
	var set jose.JSONWebKeySet
	if err := json.Unmarshal([]byte(body), &set); err != nil {
		t.Fatalf("decode JWKS with go-jose: %v", err)
	}
	if len(set.Keys) == 0 {
		t.Fatal("empty JWKS")
	}
	for _, k := range set.Keys {
		if !k.Valid() || k.KeyID == "" || len(k.Certificates) == 0 {
			t.Errorf("JWKS key %q: valid %v, %d certificates; want valid with x5c", k.KeyID, k.Valid(), len(k.Certificates))
		}
	}
	return set
}

func (s *suite) testGolangJWT(t *testing.T) {
	p := s.provider(t)
	set := s.jwks(t, p)
	tok := s.passwordToken(t, p)
	keyfunc := func(tk *jwt.Token) (any, error) {
		kid, _ := tk.Header["kid"].(string)
		for _, k := range set.Key(kid) {
			if k.Use == "sig" {
				return k.Public().Key, nil
			}
		}
		return nil, jwt.ErrTokenUnverifiable
	}
	type claims struct {
		jwt.RegisteredClaims
		accessClaims
		RealmAccess struct {
			Roles []string `json:"roles"`
		} `json:"realm_access"`
	}
	var c claims
	parsed, err := jwt.ParseWithClaims(tok.AccessToken, &c, keyfunc, jwt.WithValidMethods([]string{"RS256"}),
		jwt.WithIssuer(s.tg.issuer()), jwt.WithExpirationRequired(), jwt.WithIssuedAt())
	if err != nil {
		t.Fatalf("golang-jwt: %v", err)
	}
	if parsed.Header["typ"] != "JWT" || c.PreferredUsername != aliceName || c.ID == "" || !slices.Contains(c.RealmAccess.Roles, "default-roles-demo") {
		t.Errorf("header %v, claims %+v: want typ JWT, alice, a jti, default-roles-demo", parsed.Header, c)
	}
	if _, err := jwt.Parse(tamper(tok.AccessToken), keyfunc, jwt.WithValidMethods([]string{"RS256"})); err == nil {
		t.Error("golang-jwt accepted a tampered token")
	}
	// The refresh token is HMAC-signed with a server secret: not verifiable
	// with the JWKS, as with Keycloak.
	if _, err := jwt.Parse(tok.RefreshToken, keyfunc, jwt.WithValidMethods([]string{"RS256"})); err == nil {
		t.Error("the refresh token verified with a JWKS key")
	}
}

func (s *suite) testGoJose(t *testing.T) {
	p := s.provider(t)
	set := s.jwks(t, p)
	tok := s.passwordToken(t, p)
	rawID, _ := tok.Extra("id_token").(string)
	parsed, err := josejwt.ParseSigned(rawID, []jose.SignatureAlgorithm{jose.RS256})
	if err != nil {
		t.Fatal(err)
	}
	keys := set.Key(parsed.Headers[0].KeyID)
	if len(keys) == 0 {
		t.Fatalf("kid %q not in the JWKS", parsed.Headers[0].KeyID)
	}
	var c josejwt.Claims
	if err := parsed.Claims(keys[0].Public().Key, &c); err != nil {
		t.Fatalf("go-jose verify: %v", err)
	}
	if err := c.Validate(josejwt.Expected{Issuer: s.tg.issuer(), AnyAudience: josejwt.Audience{publicClient}, Time: time.Now()}); err != nil {
		t.Errorf("go-jose validate ID token: %v", err)
	}
}

func (s *suite) testUserInfo(t *testing.T) {
	p := s.provider(t)
	tok := s.passwordToken(t, p)
	ui, err := p.UserInfo(ctx(t), oauth2.StaticTokenSource(tok))
	if err != nil {
		t.Fatalf("UserInfo: %v", err)
	}
	at, _ := s.verifyAccess(t, p, tok.AccessToken)
	if ui.Subject != at.Subject || ui.Email != aliceEmail || !ui.EmailVerified {
		t.Errorf("userinfo sub %q email %q verified %v, want %q %s true", ui.Subject, ui.Email, ui.EmailVerified, at.Subject, aliceEmail)
	}
	var c struct {
		PreferredUsername string `json:"preferred_username"`
		GivenName         string `json:"given_name"`
	}
	if err := ui.Claims(&c); err != nil {
		t.Fatal(err)
	}
	if c.PreferredUsername != aliceName || c.GivenName != "Alice" {
		t.Errorf("userinfo claims %+v, want alice, Alice", c)
	}
	// A token that is not valid gets an RFC 6750 challenge; go-oidc reports
	// an error.
	if _, err := p.UserInfo(ctx(t), oauth2.StaticTokenSource(&oauth2.Token{AccessToken: tamper(tok.AccessToken)})); err == nil {
		t.Error("UserInfo with a tampered token succeeded")
	}
}
