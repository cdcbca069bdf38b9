package oidc_test

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	"github.com/kcgo/kc"
	"github.com/kcgo/kc/keycloak/kctest"
	"github.com/kcgo/kc/keycloak/oidc"
)

// demoServer starts kctest with the demo realm. In real code the server
// URL is your Keycloak's, e.g. "https://sso.example.com".
func demoServer() *kctest.Server {
	s, err := kctest.NewServer(kctest.WithRealmFile("../../testdata/realms/demo-realm.json"))
	if err != nil {
		log.Fatal(err)
	}
	return s
}

// A confidential client gets a service-account token.
func Example() {
	s := demoServer()
	defer s.Close()
	ctx := context.Background()

	c, err := oidc.New(s.URL, "demo", "demo-service", oidc.WithClientSecret("demo-service-secret"))
	if err != nil {
		log.Fatal(err)
	}
	tok, err := c.ClientCredentials(ctx)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(tok.TokenType, tok.Valid(time.Now()), tok.RefreshToken == "", tok.Scope)
	// Output: Bearer true true profile email
}

// The password grant; a wrong password is kc.ErrInvalidGrant.
func ExampleClient_Password() {
	s := demoServer()
	defer s.Close()
	ctx := context.Background()

	c, _ := oidc.New(s.URL, "demo", "demo-app") // a public client
	tok, err := c.Password(ctx, "alice", "alice", oidc.Scope("openid"))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(tok.IDToken != "", tok.RefreshToken != "")

	_, err = c.Password(ctx, "alice", "wrong")
	var ae *kc.APIError
	if errors.As(err, &ae) {
		fmt.Println(errors.Is(err, kc.ErrInvalidGrant), ae.StatusCode, ae.ErrorCode, ae.ErrorDescription)
	}
	// Output:
	// true true
	// true 401 invalid_grant Invalid user credentials
}

// The authorization code flow with PKCE, state and nonce.
func ExampleClient_AuthCodeURL() {
	s := demoServer()
	defer s.Close()
	ctx := context.Background()
	c, _ := oidc.New(s.URL, "demo", "demo-app", oidc.WithScopes("openid", "email"))

	// 1. Send the browser to the authorization URL; keep state, nonce and
	// verifier in the user's session.
	const redirect = "http://127.0.0.1/callback"
	state, nonce, verifier := oidc.GenerateState(), oidc.GenerateNonce(), oidc.GenerateVerifier()
	authURL, err := c.AuthCodeURL(ctx, state, oidc.RedirectURI(redirect), oidc.Nonce(nonce), oidc.PKCE(verifier))
	if err != nil {
		log.Fatal(err)
	}

	// 2. The user logs in; Keycloak redirects back with code and state.
	cb, err := s.Login(authURL, "alice", "alice") // what the browser does
	if err != nil {
		log.Fatal(err)
	}
	// Check the response (iss of RFC 9207, state, error) and take the code.
	code, err := c.ParseAuthorizationResponse(ctx, cb.Query(), state)
	if err != nil {
		log.Fatal(err)
	}

	// 3. Exchange the code, then verify the ID token with the nonce, and
	// its at_hash against the access token.
	tok, err := c.ExchangeCode(ctx, code, redirect, verifier)
	if err != nil {
		log.Fatal(err)
	}
	v, _ := c.Verifier(oidc.VerifierConfig{}) // audience: the client ID
	claims, err := v.VerifyIDTokenOf(ctx, tok, nonce)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(claims.PreferredUsername, claims.Email)
	// Output: alice alice@example.com
}

// Verify access tokens locally: the JWKS is fetched once and cached.
func ExampleVerifier_Verify() {
	s := demoServer()
	defer s.Close()
	ctx := context.Background()
	c, _ := oidc.New(s.URL, "demo", "demo-app")
	tok, _ := c.Password(ctx, "bob", "bob")

	v, err := c.Verifier(oidc.VerifierConfig{
		Audiences:       []string{"account"}, // any of these
		AuthorizedParty: "demo-app",
		Leeway:          30 * time.Second,
	})
	if err != nil {
		log.Fatal(err)
	}
	claims, err := v.Verify(ctx, tok.AccessToken)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(claims.PreferredUsername, claims.HasRealmRole("admin"), claims.HasClientRole("account", "view-profile"))

	// A token whose payload was changed: the signature no longer matches.
	other, _ := c.Password(ctx, "alice", "alice")
	bobParts, aliceParts := strings.Split(tok.AccessToken, "."), strings.Split(other.AccessToken, ".")
	forged := bobParts[0] + "." + bobParts[1] + "." + aliceParts[2]
	_, err = v.Verify(ctx, forged)
	fmt.Println(errors.Is(err, oidc.ErrInvalidSignature))
	// Output:
	// bob true true
	// true
}

// Verify the ID token of a token response, and that its at_hash binds it
// to the response's access token.
func ExampleVerifier_VerifyIDTokenOf() {
	s := demoServer()
	defer s.Close()
	ctx := context.Background()
	c, _ := oidc.New(s.URL, "demo", "demo-app", oidc.WithScopes("openid"))
	tok, err := c.Password(ctx, "bob", "bob")
	if err != nil {
		log.Fatal(err)
	}
	v, _ := c.Verifier(oidc.VerifierConfig{}) // an ID token's audience is the client ID
	claims, err := v.VerifyIDTokenOf(ctx, tok, "")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(claims.PreferredUsername, claims.Type, claims.AccessTokenHash != "")

	// The same ID token with another access token fails.
	other, _ := c.Password(ctx, "alice", "alice")
	_, err = v.VerifyIDTokenOf(ctx, &kc.Token{IDToken: tok.IDToken, AccessToken: other.AccessToken}, "")
	fmt.Println(errors.Is(err, oidc.ErrInvalidClaims))
	// Output:
	// bob ID true
	// true
}

// A managed token source behind an *http.Client: tokens are cached,
// refreshed before they expire, and shared by all goroutines.
func ExampleClient_ClientCredentialsSource() {
	s := demoServer()
	defer s.Close()
	c, _ := oidc.New(s.URL, "demo", "demo-service", oidc.WithClientSecret("demo-service-secret"))
	ts := c.ClientCredentialsSource()

	hc := kc.NewHTTPClient(nil, ts) // or oauth2.NewClient(ctx, kc.OAuth2TokenSource(ts))
	for range 3 {
		resp, err := hc.Get(s.Issuer("demo") + "/protocol/openid-connect/userinfo")
		if err != nil {
			log.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
	fmt.Println("token requests:", s.RequestCount("POST", "/realms/demo/protocol/openid-connect/token"))
	// Output: token requests: 1
}

// The device authorization grant, for devices without a browser.
func ExampleClient_DeviceAuth() {
	s := demoServer()
	defer s.Close()
	s.AddRealm(kctest.Realm{Name: "tv", DevicePollingInterval: time.Second})
	s.AddClient("tv", kctest.Client{ClientID: "tv-app", Public: true})
	s.AddUser("tv", kctest.User{Username: "carol", Password: "pw"})
	ctx := context.Background()

	c, _ := oidc.New(s.URL, "tv", "tv-app")
	r, err := c.DeviceAuth(ctx, oidc.Scope("openid"))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("interval:", r.Interval)
	// Show r.UserCode and r.VerificationURI to the user; here the test
	// server approves in the user's place.
	s.ApproveDevice("tv", r.UserCode, "carol")

	tok, err := c.PollDeviceToken(ctx, r, "")
	if err != nil {
		log.Fatal(err)
	}
	info, _ := c.UserInfo(ctx, tok.AccessToken)
	fmt.Println(info.PreferredUsername)
	// Output:
	// interval: 1
	// carol
}

// Introspection, revocation and logout.
func ExampleClient_Introspect() {
	s := demoServer()
	defer s.Close()
	ctx := context.Background()
	c, _ := oidc.New(s.URL, "demo", "demo-api", oidc.WithClientSecret("demo-api-secret"))
	tok, _ := c.Password(ctx, "alice", "alice")

	in, _ := c.Introspect(ctx, tok.AccessToken, oidc.HintAccessToken)
	fmt.Println(in.Active, in.Username, in.ClientID)

	_ = c.Revoke(ctx, tok.AccessToken, oidc.HintAccessToken)
	in, _ = c.Introspect(ctx, tok.AccessToken, oidc.HintAccessToken)
	fmt.Println(in.Active)

	fmt.Println(c.Logout(ctx, tok.RefreshToken))
	_, err := c.Refresh(ctx, tok.RefreshToken)
	fmt.Println(errors.Is(err, kc.ErrInvalidGrant))
	// Output:
	// true alice demo-api
	// false
	// <nil>
	// true
}

// Protect an HTTP API: only requests with a valid access token for
// demo-api, of a user with the realm role admin, reach the handler.
func ExampleVerifier_Middleware() {
	s := demoServer()
	defer s.Close()
	ctx := context.Background()

	api, err := oidc.New(s.URL, "demo", "demo-api")
	if err != nil {
		log.Fatal(err)
	}
	v, err := api.Verifier(oidc.VerifierConfig{}) // audience: demo-api
	if err != nil {
		log.Fatal(err)
	}
	protect, err := v.Middleware(oidc.RequireRealmRoles("admin"))
	if err != nil {
		log.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("GET /orders", protect(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		claims, _ := oidc.ClaimsFromContext(r.Context())
		fmt.Fprintln(w, "orders of", claims.PreferredUsername)
	})))
	srv := httptest.NewServer(mux)
	defer srv.Close()

	// A client calls the API with the user's token.
	app, _ := oidc.New(s.URL, "demo", "demo-app")
	get := func(user string) {
		req, _ := http.NewRequest(http.MethodGet, srv.URL+"/orders", nil)
		if user != "" {
			tok, err := app.Password(ctx, user, user)
			if err != nil {
				log.Fatal(err)
			}
			req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			log.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		fmt.Printf("%s: %d %s %s", cmp.Or(user, "nobody"), resp.StatusCode, resp.Header.Get("WWW-Authenticate"), body)
	}
	get("bob")   // an admin
	get("alice") // a valid token, but not an admin
	get("")      // no token
	// Output:
	// bob: 200  orders of bob
	// alice: 403 Bearer error="insufficient_scope" Forbidden
	// nobody: 401 Bearer Unauthorized
}

// A client made from the issuer URL: for Keycloak behind another hostname
// or path, or any OpenID provider.
func ExampleNewFromIssuer() {
	s := demoServer()
	defer s.Close()
	issuer := s.Issuer("demo") // e.g. "https://login.example.com/realms/demo"

	c, err := oidc.NewFromIssuer(issuer, "demo-service", oidc.WithClientSecret("demo-service-secret"))
	if err != nil {
		log.Fatal(err)
	}
	tok, err := c.ClientCredentials(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(tok.TokenType)

	// The document's issuer must be the one asked for (here it has no
	// trailing slash).
	c, _ = oidc.NewFromIssuer(issuer+"/", "demo-service", oidc.WithClientSecret("demo-service-secret"))
	_, err = c.ClientCredentials(context.Background())
	fmt.Println(errors.Is(err, oidc.ErrIssuerMismatch))
	// Output:
	// Bearer
	// true
}
