package keycloak_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kcgo/kc"
	"github.com/kcgo/kc/internal/settings"
	"github.com/kcgo/kc/keycloak"
	"github.com/kcgo/kc/keycloak/kctest"
	"github.com/kcgo/kc/keycloak/uma"
)

func TestNewRealmValidates(t *testing.T) {
	t.Parallel()
	tests := []struct {
		server, realm string
		opts          []kc.Option
		wantErr       string
	}{
		{"", "demo", nil, "keycloak: serverURL is empty"},
		{"sso.example.com", "demo", nil, "scheme must be http or https"},
		{"https://sso.example.com?a=b", "demo", nil, "query or fragment"},
		{"https://sso.example.com", "", nil, "keycloak: realmName is empty"},
		{"https://sso.example.com", "  ", nil, "keycloak: realmName is empty"},
		{"https://sso.example.com", "demo", []kc.Option{kc.WithTimeout(0)}, "timeout must be positive"},
		{"https://sso.example.com", "demo", []kc.Option{settings.PackageOption[struct{ x int }]{Name: "oidc.WithClientSecret", F: func(*struct{ x int }) error { return nil }}}, "option oidc.WithClientSecret does not apply to package keycloak"},
		{"https://sso.example.com/auth/", "demo", []kc.Option{kc.WithTimeout(1)}, ""},
	}
	for _, tc := range tests {
		r, err := keycloak.NewRealm(tc.server, tc.realm, tc.opts...)
		if tc.wantErr == "" {
			if err != nil {
				t.Errorf("NewRealm(%q, %q): %v", tc.server, tc.realm, err)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), tc.wantErr) || r != nil {
			t.Errorf("NewRealm(%q, %q) = %v, %v; want error %q", tc.server, tc.realm, r, err, tc.wantErr)
		}
	}
}

func TestRealmSharesOneHTTPClient(t *testing.T) {
	t.Parallel()
	r, err := keycloak.NewRealm("https://sso.example.com/auth/", "demo", kc.WithUserAgent("x/1"))
	if err != nil {
		t.Fatal(err)
	}
	if r.Name() != "demo" || r.ServerURL() != "https://sso.example.com/auth" {
		t.Errorf("Name %q ServerURL %q", r.Name(), r.ServerURL())
	}
	s1, err := settings.New(r.Options())
	if err != nil {
		t.Fatal(err)
	}
	s2, err := settings.New(r.Options(kc.WithTimeout(5)))
	if err != nil {
		t.Fatal(err)
	}
	if s1.HTTPClient == nil || s1.HTTPClient != s2.HTTPClient {
		t.Error("clients of one realm do not share an HTTP client")
	}
	if s1.UserAgent != "x/1" || s2.Timeout != 5 {
		t.Errorf("options lost: %+v %+v", s1, s2)
	}
}

func TestRealmOpenIDConnect(t *testing.T) {
	t.Parallel()
	srv := kctest.Start(t, kctest.WithBasePath("/auth"), kctest.WithRealmFile("../testdata/realms/demo-realm.json"))
	realm, err := keycloak.NewRealm(srv.URL, "demo")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := realm.OpenIDConnect(""); err == nil || !strings.Contains(err.Error(), "clientID") {
		t.Errorf("empty clientID: err = %v", err)
	}
	if _, err := realm.OpenIDConnect("demo-app", kc.WithTimeout(-1)); err == nil {
		t.Error("a bad option was accepted")
	}
	app, err := realm.OpenIDConnect("demo-app")
	if err != nil {
		t.Fatal(err)
	}
	d, err := app.Discovery(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if want := srv.URL + "/realms/demo"; d.Issuer != want {
		t.Errorf("issuer %q, want %q", d.Issuer, want)
	}
	tok, err := app.Password(t.Context(), "alice", "alice")
	if err != nil || tok.AccessToken == "" {
		t.Fatalf("password grant: %v", err)
	}
}

func TestRealmMakesEveryClient(t *testing.T) {
	t.Parallel()
	srv := kctest.Start(t, kctest.WithRealmFile("../testdata/realms/demo-realm.json"))
	ctx := t.Context()

	master, err := keycloak.NewRealm(srv.URL, "master")
	if err != nil {
		t.Fatal(err)
	}
	cli, err := master.OpenIDConnect("admin-cli")
	if err != nil {
		t.Fatal(err)
	}
	adm, err := master.Admin(cli.PasswordSource("admin", "admin"))
	if err != nil {
		t.Fatal(err)
	}
	users, err := adm.Realm("demo").Users.List(ctx, nil)
	if err != nil || len(users) == 0 {
		t.Fatalf("admin: %d users, %v", len(users), err)
	}

	demo, err := keycloak.NewRealm(srv.URL, "demo")
	if err != nil {
		t.Fatal(err)
	}
	protection, err := demo.UMA("demo-api", uma.WithClientSecret("demo-api-secret"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := protection.ListResourceIDs(ctx, nil); err != nil {
		t.Fatalf("uma: %v", err)
	}
	az, err := demo.Authz("demo-api")
	if err != nil {
		t.Fatal(err)
	}
	app, err := demo.OpenIDConnect("demo-app")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := az.Decision(ctx, app.PasswordSource("alice", "alice"), nil); err != nil {
		t.Fatalf("authz: %v", err)
	}
	if _, err := demo.Authz(""); err == nil {
		t.Error("authz: empty clientID accepted")
	}
	if _, err := demo.Admin(nil); err == nil {
		t.Error("admin: nil token source accepted")
	}
}

// gocloak D7: eight concurrent GetPolicies raced on a version cache and
// made eight hidden /admin/serverinfo calls. kc makes no hidden call: N
// concurrent calls are N requests, plus one discovery and one token
// request shared by all.
func TestConcurrentCallsMakeNoHiddenRequests(t *testing.T) {
	t.Parallel()
	srv := kctest.Start(t, kctest.WithRealmFile("../testdata/realms/demo-realm.json"))
	master, err := keycloak.NewRealm(srv.URL, "master")
	if err != nil {
		t.Fatal(err)
	}
	cli, err := master.OpenIDConnect("admin-cli")
	if err != nil {
		t.Fatal(err)
	}
	adm, err := master.Admin(cli.PasswordSource("admin", "admin"))
	if err != nil {
		t.Fatal(err)
	}
	const n = 8
	errs := make(chan error, n)
	for range n {
		go func() {
			_, err := adm.Realm("demo").Users.List(t.Context(), nil)
			errs <- err
		}()
	}
	for range n {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	counts := map[string]int{}
	for _, r := range srv.Requests() {
		counts[r.Method+" "+r.Path]++
	}
	want := map[string]int{
		"GET /realms/master/.well-known/openid-configuration": 1,
		"POST /realms/master/protocol/openid-connect/token":   1,
		"GET /admin/realms/demo/users":                        n,
	}
	if diff := cmp.Diff(want, counts); diff != "" {
		t.Errorf("requests (-want +got):\n%s", diff)
	}
}
