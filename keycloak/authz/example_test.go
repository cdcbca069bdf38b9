package authz_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"net/http"
	"net/url"
	"strings"

	"github.com/kcgo/kc"
	"github.com/kcgo/kc/keycloak/authz"
	"github.com/kcgo/kc/keycloak/kctest"
)

// passwordToken signs a user of the photoz test realm in through the
// public client photoz-web; a real application gets the user's token from
// package oidc.
func passwordToken(serverURL, user string) kc.TokenSource {
	form := url.Values{"grant_type": {"password"}, "client_id": {"photoz-web"}, "username": {user}, "password": {user}}
	resp, err := http.Post(serverURL+"/realms/photoz/protocol/openid-connect/token", "application/x-www-form-urlencoded", strings.NewReader(form.Encode()))
	if err != nil {
		log.Fatal(err)
	}
	defer resp.Body.Close()
	var body struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		log.Fatal(err)
	}
	return kc.StaticAccessToken(body.AccessToken)
}

// startPhotoz runs kctest with the photoz realm: resource server
// photoz-api with an "Album" resource whose album:view scope any user may
// use, and an "Admin Console" for admins.
func startPhotoz() *kctest.Server {
	s, err := kctest.NewServer(kctest.WithRealmFile("../../testdata/realms/photoz-realm.json"))
	if err != nil {
		log.Fatal(err)
	}
	return s
}

// Asking whether a user may do something, and for an RPT.
func Example() {
	s := startPhotoz()
	defer s.Close()
	ctx := context.Background()

	az, err := authz.New(s.URL, "photoz", "photoz-api")
	if err != nil {
		log.Fatal(err)
	}
	alice := passwordToken(s.URL, "alice")
	view := &authz.Request{Permissions: []authz.Permission{{Resource: "Album", Scopes: []string{"album:view"}}}}
	admin := &authz.Request{Permissions: []authz.Permission{{Resource: "Admin Console"}}}

	ok, err := az.Decision(ctx, alice, view)
	fmt.Println("view albums:", ok, err)
	ok, err = az.Decision(ctx, alice, admin)
	fmt.Println("admin console:", ok, err)

	_, err = az.Entitlement(ctx, alice, admin)
	fmt.Println("RPT for the admin console denied:", errors.Is(err, authz.ErrAccessDenied))
	// Output:
	// view albums: true <nil>
	// admin console: false <nil>
	// RPT for the admin console denied: true
}

// An RPT carries the granted permissions; read them, unverified, from a
// token just received over TLS.
func ExampleClient_Entitlement() {
	s := startPhotoz()
	defer s.Close()
	ctx := context.Background()
	az, _ := authz.New(s.URL, "photoz", "photoz-api")

	tok, err := az.Entitlement(ctx, passwordToken(s.URL, "carol"), nil) // everything carol may do
	if err != nil {
		log.Fatal(err)
	}
	rpt, err := authz.ParseRPTUnverified(tok.AccessToken)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(rpt.Allows("Album", "album:delete"), rpt.Allows("Album", "album:create"), rpt.Allows("Admin Console", ""))
	// Output: true false true
}

// The permissions mode lists what is granted without minting an RPT.
func ExampleClient_Permissions() {
	s := startPhotoz()
	defer s.Close()
	az, _ := authz.New(s.URL, "photoz", "photoz-api")
	perms, err := az.Permissions(context.Background(), passwordToken(s.URL, "bob"),
		&authz.Request{Permissions: []authz.Permission{{Resource: "Album", Scopes: []string{"album:view", "album:create", "album:delete"}}}})
	if err != nil {
		log.Fatal(err)
	}
	for _, p := range perms {
		fmt.Println(p.ResourceName, p.Scopes)
	}
	// Output: Album [album:view album:create]
}

// A resource server answers a request without the right permissions with
// a UMA challenge; the client exchanges its ticket for an RPT.
func ExampleParseUMAChallenge() {
	ch, err := authz.ParseUMAChallenge(`UMA realm="photoz", as_uri="https://sso.example.com/realms/photoz", ticket="eyJhbGciOi..."`)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(ch.Realm, ch.ASURI, ch.Ticket)
	// Then: rpt, err := az.RPTForTicket(ctx, userToken, ch.Ticket, nil)
	// Output: photoz https://sso.example.com/realms/photoz eyJhbGciOi...
}
