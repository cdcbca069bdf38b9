package admin_test

import (
	"context"
	"fmt"
	"log"

	"github.com/kcgo/kc"
	"github.com/kcgo/kc/keycloak/admin"
	"github.com/kcgo/kc/keycloak/kctest"
)

// A resource, a role policy and a resource permission that ties them.
func ExampleResourceServerService() {
	srv, err := kctest.NewServer()
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	ctx := context.Background()
	c, err := admin.New(srv.URL, adminTokenSource(srv.URL))
	if err != nil {
		log.Fatal(err)
	}
	if _, err := c.Realms.Create(ctx, &admin.Realm{Realm: "acme", Enabled: kc.Ptr(true)}); err != nil {
		log.Fatal(err)
	}
	acme := c.Realm("acme")
	clientUUID, err := acme.Clients.Create(ctx, &admin.ClientApp{ClientID: "invoices-api",
		PublicClient: kc.Ptr(false), ServiceAccountsEnabled: kc.Ptr(true), AuthorizationServicesEnabled: kc.Ptr(true)})
	if err != nil {
		log.Fatal(err)
	}
	if _, err := acme.Roles.Create(ctx, &admin.Role{Name: "accountant"}); err != nil {
		log.Fatal(err)
	}
	role, err := acme.Roles.Get(ctx, "accountant")
	if err != nil {
		log.Fatal(err)
	}

	az := acme.Clients.ResourceServer(clientUUID)
	resID, err := az.Resources.Create(ctx, &admin.AuthzResource{Name: "Invoices", URIs: []string{"/invoices/*"},
		Scopes: []admin.AuthzScope{{Name: "view"}, {Name: "pay"}}})
	if err != nil {
		log.Fatal(err)
	}
	policyID, err := az.Policies.CreateTyped(ctx, "role", &admin.Policy{Name: "Accountants",
		Roles: []admin.PolicyRole{{ID: role.ID, Required: true}}})
	if err != nil {
		log.Fatal(err)
	}
	if _, err := az.Permissions.CreateResourcePermission(ctx, &admin.Policy{Name: "Invoices need accountants",
		Resources: []string{resID}, Policies: []string{policyID}}); err != nil {
		log.Fatal(err)
	}
	perms, err := az.Resources.Permissions(ctx, resID)
	if err != nil {
		log.Fatal(err)
	}
	for _, p := range perms {
		fmt.Println(p.Type, p.Name)
	}
	// Output:
	// resource Invoices need accountants
}

// A browser flow copy with OTP required, bound nowhere yet.
func ExampleAuthenticationService() {
	srv, err := kctest.NewServer()
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	ctx := context.Background()
	c, err := admin.New(srv.URL, adminTokenSource(srv.URL))
	if err != nil {
		log.Fatal(err)
	}
	if _, err := c.Realms.Create(ctx, &admin.Realm{Realm: "acme", Enabled: kc.Ptr(true)}); err != nil {
		log.Fatal(err)
	}
	auth := c.Realm("acme").Authentication

	if err := auth.CopyFlow(ctx, "browser", "browser with OTP"); err != nil {
		log.Fatal(err)
	}
	execs, err := auth.Executions(ctx, "browser with OTP")
	if err != nil {
		log.Fatal(err)
	}
	for _, x := range execs {
		if x.DisplayName == "browser with OTP Browser - Conditional OTP" {
			x.Requirement = "REQUIRED"
			if err := auth.UpdateExecution(ctx, "browser with OTP", &x); err != nil {
				log.Fatal(err)
			}
		}
	}
	execs, err = auth.Executions(ctx, "browser with OTP")
	if err != nil {
		log.Fatal(err)
	}
	for _, x := range execs {
		if x.AuthenticationFlow {
			fmt.Println(x.Level, x.DisplayName, x.Requirement)
		}
	}
	// Output:
	// 0 browser with OTP Organization ALTERNATIVE
	// 1 browser with OTP Browser - Conditional Organization CONDITIONAL
	// 0 browser with OTP forms ALTERNATIVE
	// 1 browser with OTP Browser - Conditional OTP REQUIRED
}
