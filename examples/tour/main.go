// Command tour walks through kc against a Keycloak server: discovery, a
// client-credentials token, the Admin REST API, a password login, local
// token verification, introspection, an authorization decision and a UMA
// resource registration, then cleans up. It is what `make demo` runs.
//
// Without KEYCLOAK_URL it starts kctest, kc's in-memory Keycloak, with the
// demo realm of testdata/realms/demo-realm.json. With KEYCLOAK_URL it uses
// that server: KEYCLOAK_ADMIN and KEYCLOAK_ADMIN_PASSWORD are the master
// realm's admin, and KEYCLOAK_REALM names a realm imported from the demo
// realm file; without it the tour creates a temporary realm from that file
// and deletes it at the end.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Stdout, os.Getenv); err != nil {
		fmt.Fprintln(os.Stderr, "tour failed:", err)
		os.Exit(1)
	}
}
