package uma_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log"
	"net/http"
	"net/url"
	"strings"

	"github.com/kcgo/kc"
	"github.com/kcgo/kc/keycloak/kctest"
	"github.com/kcgo/kc/keycloak/uma"
)

// startPhotoz runs kctest with the photoz realm: resource server
// photoz-api (secret "secret") and users alice, bob, ... whose passwords
// are their names.
func startPhotoz() *kctest.Server {
	s, err := kctest.NewServer(kctest.WithRealmFile("../../testdata/realms/photoz-realm.json"))
	if err != nil {
		log.Fatal(err)
	}
	return s
}

// token signs a user in through client (photoz-api, confidential, or
// photoz-web, public); a real application uses package oidc.
func token(serverURL, client, user string) kc.TokenSource {
	form := url.Values{"grant_type": {"password"}, "username": {user}, "password": {user}}
	if client != "photoz-api" {
		form.Set("client_id", client)
	}
	req, _ := http.NewRequest(http.MethodPost, serverURL+"/realms/photoz/protocol/openid-connect/token", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if client == "photoz-api" {
		req.SetBasicAuth("photoz-api", "secret")
	}
	resp, err := http.DefaultClient.Do(req)
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

// A resource server registers what it protects with its PAT, which the
// client obtains and refreshes itself.
func Example() {
	s := startPhotoz()
	defer s.Close()
	ctx := context.Background()

	c, err := uma.New(s.URL, "photoz", "photoz-api", uma.WithClientSecret("secret"))
	if err != nil {
		log.Fatal(err)
	}
	res, err := c.CreateResource(ctx, uma.Resource{
		Name:   "Alice's holiday album",
		Type:   "urn:photoz:album",
		URIs:   []string{"/albums/alice/holiday"},
		Scopes: []uma.Scope{{Name: "album:view"}, {Name: "album:share"}},
		Owner:  &uma.Owner{Name: "alice"}, OwnerManagedAccess: true,
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(res.Name, res.Owner.Name, res.ScopeNames())

	for r, err := range c.Resources(ctx, &uma.ResourceQuery{Owner: "alice"}) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println("alice owns:", r.Name)
	}
	// Output:
	// Alice's holiday album alice [album:view album:share]
	// alice owns: Alice's holiday album
}

// The UMA flow: a requester is denied and leaves a request; the owner
// approves it.
func Example_ownerApproval() {
	s := startPhotoz()
	defer s.Close()
	ctx := context.Background()
	rs, _ := uma.New(s.URL, "photoz", "photoz-api", uma.WithClientSecret("secret"))

	res, _ := rs.CreateResource(ctx, uma.Resource{Name: "Diary", Owner: &uma.Owner{Name: "alice"}, OwnerManagedAccess: true,
		Scopes: []uma.Scope{{Name: "diary:read"}}})
	// The resource server gives bob's client a ticket in a UMA challenge...
	ticket, _ := rs.CreateTicket(ctx, uma.PermissionRequest{ResourceID: res.ID, Scopes: []string{"diary:read"}})
	// ... bob's client asks for an RPT with it (package authz), is denied,
	// and Keycloak records the request:
	grant(s.URL, token(s.URL, "photoz-web", "bob"), ticket)

	alice := rs.WithTokenSource(token(s.URL, "photoz-api", "alice"))
	pending, _ := alice.ListPermissionTickets(ctx, &uma.TicketQuery{Granted: kc.Ptr(false), ReturnNames: true})
	for _, t := range pending {
		fmt.Println(t.RequesterName, "asks for", t.ScopeName, "on", t.ResourceName)
		if err := alice.ApprovePermissionTicket(ctx, t.ID); err != nil {
			log.Fatal(err)
		}
	}
	fmt.Println("bob's next request:", grant(s.URL, token(s.URL, "photoz-web", "bob"), ticket))
	// Output:
	// bob asks for diary:read on Diary
	// bob's next request: 200 OK
}

// grant runs the UMA grant with a ticket, as package authz's RPTForTicket
// does, and returns the status.
func grant(serverURL string, user kc.TokenSource, ticket string) string {
	tok, _ := user.Token(context.Background())
	form := url.Values{"grant_type": {"urn:ietf:params:oauth:grant-type:uma-ticket"}, "ticket": {ticket}}
	req, _ := http.NewRequest(http.MethodPost, serverURL+"/realms/photoz/protocol/openid-connect/token", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		log.Fatal(err)
	}
	resp.Body.Close()
	return resp.Status
}

// A resource owner shares a resource with a policy of their own.
func ExampleClient_CreatePolicy() {
	s := startPhotoz()
	defer s.Close()
	ctx := context.Background()
	rs, _ := uma.New(s.URL, "photoz", "photoz-api", uma.WithClientSecret("secret"))
	res, _ := rs.CreateResource(ctx, uma.Resource{Name: "Recipes", Owner: &uma.Owner{Name: "alice"}, OwnerManagedAccess: true,
		Scopes: []uma.Scope{{Name: "recipe:read"}, {Name: "recipe:edit"}}})

	alice := token(s.URL, "photoz-api", "alice")
	p, err := rs.CreatePolicy(ctx, alice, res.ID, uma.Policy{Name: "Family reads", Scopes: []string{"recipe:read"}, Users: []string{"bob", "carol"}})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(p.Name, p.Type, p.Scopes, p.Users)
	// Output: Family reads uma [recipe:read] [bob carol]
}
