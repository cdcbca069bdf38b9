package keycloak_test

import (
	"context"
	"fmt"
	"log"

	"github.com/kcgo/kc"
	"github.com/kcgo/kc/keycloak"
	"github.com/kcgo/kc/keycloak/kctest"
	"github.com/kcgo/kc/keycloak/oidc"
)

func ExampleNewRealm() {
	// An in-memory Keycloak with the demo realm stands in for your server.
	srv, err := kctest.NewServer(kctest.WithRealmFile("../testdata/realms/demo-realm.json"))
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	ctx := context.Background()

	realm, err := keycloak.NewRealm(srv.URL, "demo", kc.WithUserAgent("example/1.0"))
	if err != nil {
		log.Fatal(err)
	}
	service, err := realm.OpenIDConnect("demo-service", oidc.WithClientSecret("demo-service-secret"))
	if err != nil {
		log.Fatal(err)
	}
	tok, err := service.ClientCredentials(ctx)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(tok.TokenType, !tok.Expiry.IsZero(), tok.RefreshToken == "")
	// Output: Bearer true true
}
