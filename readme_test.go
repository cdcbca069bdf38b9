package kc_test

import (
	"context"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kcgo/kc"
	"github.com/kcgo/kc/keycloak/admin"
	"github.com/kcgo/kc/keycloak/kctest"
	"github.com/kcgo/kc/keycloak/oidc"
)

// The README's three opening snippets are the regions between
// "README:begin" and "README:end" below, with serverURL written
// "https://sso.example.com". TestReadmeSnippets checks that the README
// shows them as they are here, where they compile and run against kctest.

// newOrdersAPI is the README's "protect an HTTP API" snippet.
func newOrdersAPI(serverURL string) *http.ServeMux {
	// README:begin
	api, err := oidc.New(serverURL, "acme", "orders-api")
	if err != nil {
		log.Fatal(err)
	}
	v, _ := api.Verifier(oidc.VerifierConfig{}) // keys fetched once, refetched on rotation
	protect, _ := v.Middleware(oidc.RequireRealmRoles("buyer"))
	mux := http.NewServeMux()
	mux.Handle("GET /orders", protect(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		claims, _ := oidc.ClaimsFromContext(r.Context())
		fmt.Fprintln(w, "orders of", claims.PreferredUsername)
	}))) // no token: 401; a bad one: 401 invalid_token; no buyer role: 403 insufficient_scope
	// README:end
	return mux
}

// Example_manageUsers is the README's "manage users" snippet, with a
// service account allowed to manage the realm's users.
func Example_manageUsers() {
	srv, _ := kctest.NewServer()
	defer srv.Close()
	srv.AddRealm(kctest.Realm{Name: "acme"})
	srv.AddClient("acme", kctest.Client{ClientID: "provisioner", Secret: "s3cret", ServiceAccounts: true,
		ServiceAccountClientRoles: map[string][]string{"realm-management": {"manage-users", "view-users"}}})
	serverURL, secret, ctx := srv.URL, "s3cret", context.Background()

	// README:begin
	svc, err := oidc.New(serverURL, "acme", "provisioner", oidc.WithClientSecret(secret))
	if err != nil {
		log.Fatal(err)
	}
	c, _ := admin.New(serverURL, svc.ClientCredentialsSource()) // token cached, refreshed, shared
	users := c.Realm("acme").Users
	id, err := users.Create(ctx, &admin.User{Username: "alice", Email: kc.Ptr("alice@example.com"), Enabled: kc.Ptr(true)})
	if err != nil {
		log.Fatal(err) // errors.Is(err, kc.ErrConflict) when alice exists
	}
	if err := users.ResetPassword(ctx, id, "change-me", true); err != nil {
		log.Fatal(err)
	}
	for u, err := range users.All(ctx, &admin.UserListOptions{Search: "ali"}) { // every page, one at a time
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(u.Username, *u.Email)
	}
	// README:end

	// Output: alice alice@example.com
}

// README:begin
func TestOrders(t *testing.T) {
	sso := kctest.Start(t) // an in-memory Keycloak, closed when the test ends
	sso.AddRealm(kctest.Realm{Name: "acme"})
	sso.AddClient("acme", kctest.Client{ClientID: "orders-api", BearerOnly: true})
	sso.AddClient("acme", kctest.Client{ClientID: "web", Public: true, DirectAccessGrants: true})
	sso.AddUser("acme", kctest.User{Username: "ann", Password: "pw", RealmRoles: []string{"buyer"},
		ClientRoles: map[string][]string{"orders-api": {"reader"}}}) // a role of orders-api puts it in aud
	web, _ := oidc.New(sso.URL, "acme", "web")
	tok, err := web.Password(t.Context(), "ann", "pw")
	if err != nil {
		t.Fatal(err)
	}
	api := httptest.NewServer(newOrdersAPI(sso.URL)) // the mux above, made with sso.URL
	defer api.Close()
	req, _ := http.NewRequestWithContext(t.Context(), "GET", api.URL+"/orders", nil)
	req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("GET /orders: %s, want 200 OK", resp.Status)
	}
}

// README:end

// TestReadmeSnippets checks that the README opens with the three snippets
// above, as they are here.
func TestReadmeSnippets(t *testing.T) {
	t.Parallel()
	src, err := os.ReadFile("readme_test.go")
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, m := range regexp.MustCompile(`(?s)// README:begin\n(.*?)\n\s*// README:end`).FindAllStringSubmatch(string(src), -1) {
		want = append(want, readmeForm(m[1]))
	}
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	top, _, _ := strings.Cut(string(readme), "## Why kc")
	var got []string
	for _, m := range regexp.MustCompile("(?s)```go\n(.*?)\n```").FindAllStringSubmatch(top, -1) {
		got = append(got, m[1])
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("README's opening snippets (-readme_test.go +README.md):\n%s", diff)
	}
}

// readmeForm removes the region's common indentation and writes serverURL
// as the README does.
func readmeForm(region string) string {
	lines := strings.Split(region, "\n")
	indent := -1
	for _, l := range lines {
		if strings.TrimSpace(l) == "" {
			continue
		}
		if n := len(l) - len(strings.TrimLeft(l, "\t")); indent < 0 || n < indent {
			indent = n
		}
	}
	for i, l := range lines {
		if len(l) >= indent {
			lines[i] = l[indent:]
		}
	}
	return strings.ReplaceAll(strings.Join(lines, "\n"), "serverURL", `"https://sso.example.com"`)
}
