package kc_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"log/slog"
	"net/http"
	"os"
	"time"

	"github.com/kcgo/kc"
	"github.com/kcgo/kc/keycloak"
	"github.com/kcgo/kc/keycloak/kctest"
	"github.com/kcgo/kc/keycloak/oidc"
)

// A wrong password is an *APIError carrying Keycloak's OAuth error, and
// matches ErrInvalidGrant whatever the status code.
func ExampleAPIError() {
	srv, err := kctest.NewServer(kctest.WithRealmFile("testdata/realms/demo-realm.json"))
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()

	realm, err := keycloak.NewRealm(srv.URL, "demo")
	if err != nil {
		log.Fatal(err)
	}
	app, err := realm.OpenIDConnect("demo-app")
	if err != nil {
		log.Fatal(err)
	}
	_, err = app.Password(context.Background(), "alice", "wrong password")

	var apiErr *kc.APIError
	if errors.As(err, &apiErr) {
		fmt.Println(apiErr.StatusCode, apiErr.ErrorCode, apiErr.ErrorDescription)
	}
	fmt.Println(errors.Is(err, kc.ErrInvalidGrant), errors.Is(err, kc.ErrUnauthorized))
	// Output:
	// 401 invalid_grant Invalid user credentials
	// true true
}

// The common options go to the Realm, and every client made from it.
func ExampleOption() {
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	realm, err := keycloak.NewRealm("https://sso.example.com", "acme",
		kc.WithTimeout(10*time.Second),                       // per attempt
		kc.WithRetry(4, 100*time.Millisecond, 2*time.Second), // idempotent requests only
		kc.WithUserAgent("billing/1.4"),
		kc.WithLogger(logger), // no secret is ever logged
		kc.WithHTTPClient(&http.Client{Transport: http.DefaultTransport}),
	)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(realm.Name())

	_, err = keycloak.NewRealm("https://sso.example.com", "acme", kc.WithTimeout(0))
	fmt.Println(err)
	// Output:
	// acme
	// keycloak: kc.WithTimeout: timeout must be positive, got 0s
}

// NewHTTPClient adds the bearer token of a source to your own requests,
// such as calls to a resource server.
func ExampleNewHTTPClient() {
	srv, err := kctest.NewServer(kctest.WithRealmFile("testdata/realms/demo-realm.json"))
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	realm, err := keycloak.NewRealm(srv.URL, "demo")
	if err != nil {
		log.Fatal(err)
	}
	app, err := realm.OpenIDConnect("demo-app")
	if err != nil {
		log.Fatal(err)
	}
	hc := kc.NewHTTPClient(nil, app.PasswordSource("alice", "alice", oidc.Scope("openid")))

	// The UserInfo endpoint stands in for your resource server.
	resp, err := hc.Get(srv.URL + "/realms/demo/protocol/openid-connect/userinfo")
	if err != nil {
		log.Fatal(err)
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, resp.Body)
	fmt.Println(resp.Status)
	// Output: 200 OK
}
