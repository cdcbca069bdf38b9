package keycloak_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kcgo/kc"
	"github.com/kcgo/kc/keycloak"
	"github.com/kcgo/kc/keycloak/admin"
	"github.com/kcgo/kc/keycloak/authz"
	"github.com/kcgo/kc/keycloak/kctest"
	"github.com/kcgo/kc/keycloak/oidc"
	"github.com/kcgo/kc/keycloak/uma"
)

// An error says once which package refused what: no "keycloak: kc: ..." or
// "uma: oidc: ..." stacks of prefixes.
func TestErrorsHaveOnePrefix(t *testing.T) {
	t.Parallel()
	const server = "https://sso.example.com"
	bad := kc.WithRetry(0, time.Second, time.Second)
	const why = "kc.WithRetry: attempts is 0, want at least 1"
	for _, tc := range []struct {
		pkg string
		new func() error
	}{
		{"keycloak", func() error { _, err := keycloak.NewRealm(server, "acme", bad); return err }},
		{"oidc", func() error { _, err := oidc.New(server, "acme", "app", bad); return err }},
		{"oidc", func() error { _, err := oidc.NewFromIssuer(server+"/realms/acme", "app", bad); return err }},
		{"oidc", func() error {
			_, err := oidc.NewVerifier(server+"/realms/acme", server+"/certs", oidc.VerifierConfig{SkipAudienceCheck: true}, bad)
			return err
		}},
		{"admin", func() error { _, err := admin.New(server, kc.StaticAccessToken("t"), bad); return err }},
		{"authz", func() error { _, err := authz.New(server, "acme", "api", bad); return err }},
		{"uma", func() error { _, err := uma.New(server, "acme", "api", bad); return err }},
	} {
		err := tc.new()
		if want := tc.pkg + ": " + why; err == nil || err.Error() != want {
			t.Errorf("%s: error = %v, want %q", tc.pkg, err, want)
		}
	}

	// kctest: the file, then what was wrong with it.
	path := filepath.Join(t.TempDir(), "realm.json")
	if err := os.WriteFile(path, []byte(`{"realm": 42}`), 0o600); err != nil {
		t.Fatal(err)
	}
	s := kctest.Start(t)
	_, err := s.ImportRealmFile(path)
	if err == nil || !strings.HasPrefix(err.Error(), "kctest: importing "+path+": ") || strings.Count(err.Error(), "kctest:") != 1 {
		t.Errorf("ImportRealmFile error = %v, want one kctest: prefix and the file", err)
	}
	_, err = kctest.NewServer(kctest.WithRealmFile(path))
	if err == nil || !strings.HasPrefix(err.Error(), "kctest: importing "+path+": ") || strings.Count(err.Error(), "kctest:") != 1 {
		t.Errorf("WithRealmFile error = %v, want one kctest: prefix and the file", err)
	}
}
