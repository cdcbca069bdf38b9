package compat

import (
	"net/url"
	"strings"
	"testing"

	"golang.org/x/oauth2"

	"github.com/kcgo/kc/keycloak/kctest"
)

// TestKctest runs the suite against kctest in-process. Logins go through
// the HTML form with a cookie jar, and device approvals through
// kctest.ApproveDevice.
func TestKctest(t *testing.T) {
	t.Parallel()
	tg := startKctest(t)
	s := &suite{
		tg: tg,
		login: func(t *testing.T, authURL, username, password string) *url.URL {
			return browserLogin(t, browser(t), authURL, username, password)
		},
		approve: func(t *testing.T, da *oauth2.DeviceAuthResponse, username, _ string) {
			if err := tg.srv.ApproveDevice(realmName, da.UserCode, username); err != nil {
				t.Fatal(err)
			}
		},
	}
	s.run(t)
}

// TestKctestLoginHelper runs the code flow with kctest's programmatic
// Login instead of the HTML form.
func TestKctestLoginHelper(t *testing.T) {
	t.Parallel()
	tg := startKctest(t)
	s := &suite{tg: tg, login: func(t *testing.T, authURL, username, password string) *url.URL {
		u, err := tg.srv.Login(authURL, username, password)
		if err != nil {
			t.Fatal(err)
		}
		return u
	}}
	s.testAuthCodePKCE(t)
}

// TestKctestLegacyAuthPath runs the suite against kctest serving under
// /auth, as Keycloak 16 and older or --http-relative-path /auth do.
func TestKctestLegacyAuthPath(t *testing.T) {
	t.Parallel()
	tg := startKctest(t, kctest.WithBasePath("/auth"))
	s := &suite{
		tg: tg,
		login: func(t *testing.T, authURL, username, password string) *url.URL {
			return browserLogin(t, browser(t), authURL, username, password)
		},
		approve: func(t *testing.T, da *oauth2.DeviceAuthResponse, username, _ string) {
			if err := tg.srv.ApproveDevice(realmName, da.UserCode, username); err != nil {
				t.Fatal(err)
			}
		},
	}
	s.run(t)
}

// TestKcdev builds cmd/kcdev, runs it as a process and runs the suite
// against it, at the root and under --http-relative-path /auth. Logins
// and device approvals go through its HTML pages.
func TestKcdev(t *testing.T) {
	t.Parallel()
	bin := buildKcdev(t)
	for _, tc := range []struct {
		name string
		args []string
		path string
	}{
		{"root", nil, ""},
		{"legacy /auth", []string{"--http-relative-path", "/auth"}, "/auth"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tg := startKcdev(t, bin, tc.args...)
			if u, err := url.Parse(tg.base); err != nil || u.Path != tc.path {
				t.Fatalf("kcdev URL %q, want path %q", tg.base, tc.path)
			}
			s := &suite{
				tg: tg,
				login: func(t *testing.T, authURL, username, password string) *url.URL {
					return browserLogin(t, browser(t), authURL, username, password)
				},
				approve: browserApproveDevice,
			}
			s.run(t)
			t.Run("issuer follows the Host", func(t *testing.T) {
				t.Parallel()
				testIssuerFollowsHost(t, tg)
			})
		})
	}
}

// testIssuerFollowsHost discovers the realm through "localhost" instead of
// 127.0.0.1: as with Keycloak's default hostname settings the issuer, the
// endpoints and the tokens' iss follow the request's Host, so go-oidc's
// issuer checks pass for either name.
func testIssuerFollowsHost(t *testing.T, tg *target) {
	u, err := url.Parse(tg.base)
	if err != nil {
		t.Fatal(err)
	}
	u.Host = "localhost:" + u.Port()
	local := &suite{tg: &target{base: u.String()}}
	p := local.provider(t)
	if !strings.HasPrefix(p.Endpoint().TokenURL, u.String()+"/realms/") {
		t.Errorf("token endpoint %q, want it under %s", p.Endpoint().TokenURL, u)
	}
	tok := local.passwordToken(t, p)
	at, _ := local.verifyAccess(t, p, tok.AccessToken)
	if at.Issuer != local.tg.issuer() {
		t.Errorf("iss %q, want %q", at.Issuer, local.tg.issuer())
	}
}

// TestKctestKeyRotation checks that go-oidc's remote key set picks up a
// rotated realm key: a token signed with the new key verifies with a
// verifier made before the rotation.
func TestKctestKeyRotation(t *testing.T) {
	t.Parallel()
	tg := startKctest(t)
	s := &suite{tg: tg}
	p := s.provider(t)
	before := s.passwordToken(t, p)
	s.verifyAccess(t, p, before.AccessToken)
	kid, err := tg.srv.RotateKey(realmName)
	if err != nil {
		t.Fatal(err)
	}
	after := s.passwordToken(t, p)
	tok, _ := s.verifyAccess(t, p, after.AccessToken)
	var h struct {
		Kid string `json:"kid"`
	}
	if err := decodeHeader(after.AccessToken, &h); err != nil {
		t.Fatal(err)
	}
	if h.Kid != kid || tok.Subject == "" {
		t.Errorf("token kid %q, want the rotated key %q", h.Kid, kid)
	}
	// The old key stays published, so older tokens still verify.
	s.verifyAccess(t, p, before.AccessToken)
}
