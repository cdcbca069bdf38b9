package admin_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/url"

	"github.com/kcgo/kc"
	"github.com/kcgo/kc/keycloak/admin"
	"github.com/kcgo/kc/keycloak/kctest"
)

// adminTokenSource logs in as master's admin through admin-cli with a
// raw token request. Real programs use package oidc's managed source.
func adminTokenSource(serverURL string) kc.TokenSource {
	return kc.TokenSourceFunc(func(ctx context.Context) (*kc.Token, error) {
		at, err := login(ctx, serverURL+"/realms/master/protocol/openid-connect/token", url.Values{
			"grant_type": {"password"}, "client_id": {"admin-cli"}, "username": {"admin"}, "password": {"admin"},
		})
		if err != nil {
			return nil, err
		}
		return &kc.Token{AccessToken: at, TokenType: "Bearer"}, nil
	})
}

func Example() {
	srv, err := kctest.NewServer() // an in-memory Keycloak with master's admin/admin
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
	id, err := acme.Users.Create(ctx, &admin.User{Username: "alice", Email: kc.Ptr("alice@example.com"), Enabled: kc.Ptr(true)})
	if err != nil {
		log.Fatal(err)
	}
	if err := acme.Users.ResetPassword(ctx, id, "s3cret-Passw0rd", false); err != nil {
		log.Fatal(err)
	}
	u, err := acme.Users.GetByUsername(ctx, "alice")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(u.Username, u.GetEmail(), u.IsEnabled(), u.ID == id)

	_, err = acme.Users.Create(ctx, &admin.User{Username: "alice"})
	var apiErr *kc.APIError
	if errors.As(err, &apiErr) && errors.Is(err, kc.ErrConflict) {
		fmt.Println(apiErr.StatusCode, apiErr.ErrorMessage)
	}
	// Output:
	// alice alice@example.com true true
	// 409 User exists with same username
}

func ExampleUsersService_All() {
	srv, err := kctest.NewServer()
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	srv.AddRealm(kctest.Realm{Name: "acme"})
	for _, name := range []string{"ann", "bob", "cyd", "dee", "eve"} {
		srv.AddUser("acme", kctest.User{Username: name})
	}
	c, err := admin.New(srv.URL, adminTokenSource(srv.URL))
	if err != nil {
		log.Fatal(err)
	}
	// Two users per request; one page in memory at a time.
	for u, err := range c.Realm("acme").Users.All(context.Background(), &admin.UserListOptions{Max: 2}) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Print(u.Username, " ")
	}
	fmt.Println()
	// Output: ann bob cyd dee eve
}

func ExampleUsersService_Update() {
	srv, err := kctest.NewServer()
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	srv.AddRealm(kctest.Realm{Name: "acme"})
	id, _ := srv.AddUser("acme", kctest.User{Username: "bob", FirstName: "Bob", LastName: "Stone"})
	c, err := admin.New(srv.URL, adminTokenSource(srv.URL))
	if err != nil {
		log.Fatal(err)
	}
	users := c.Realm("acme").Users
	ctx := context.Background()
	// nil fields are left alone; kc.Ptr(false) and kc.Ptr("") are sent.
	if err := users.Update(ctx, id, &admin.User{Enabled: kc.Ptr(false), FirstName: kc.Ptr("")}); err != nil {
		log.Fatal(err)
	}
	u, _ := users.Get(ctx, id)
	fmt.Printf("enabled=%v first=%q last=%q\n", u.IsEnabled(), u.GetFirstName(), u.GetLastName())
	// Output: enabled=false first="" last="Stone"
}

func ExampleRoleMappingsService_AddRealmRoles() {
	srv, err := kctest.NewServer()
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	srv.AddRealm(kctest.Realm{Name: "acme"})
	srv.AddRealmRole("acme", kctest.Role{Name: "auditor"})
	id, _ := srv.AddUser("acme", kctest.User{Username: "cyd"})
	c, err := admin.New(srv.URL, adminTokenSource(srv.URL))
	if err != nil {
		log.Fatal(err)
	}
	acme := c.Realm("acme")
	ctx := context.Background()
	role, err := acme.Roles.Get(ctx, "auditor") // the mapping needs its ID and name
	if err != nil {
		log.Fatal(err)
	}
	if err := acme.Users.RoleMappings(id).AddRealmRoles(ctx, []admin.Role{*role}); err != nil {
		log.Fatal(err)
	}
	roles, _ := acme.Users.RoleMappings(id).RealmRoles(ctx)
	for _, r := range roles {
		fmt.Println(r.Name)
	}
	// Output:
	// auditor
	// default-roles-acme
}
