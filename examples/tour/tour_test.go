package main

import (
	"bytes"
	"context"
	"errors"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/kcgo/kc/keycloak/kctest"
)

// TestTour runs the whole tour against kctest and checks each line.
func TestTour(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	if err := run(t.Context(), &out, func(string) string { return "" }); err != nil {
		t.Fatalf("run: %v\noutput so far:\n%s", err, out.String())
	}
	checkLines(t, out.String(), append([]string{
		`^server: kctest \(in-process\) at http://127\.0\.0\.1:\d+$`,
		`^realm: demo$`,
	}, tourLines...))
}

// TestTourAgainstServer runs the tour as against a Keycloak server:
// KEYCLOAK_URL, the administrator's credentials and KEYCLOAK_REALM, a
// realm imported from the demo realm file.
func TestTourAgainstServer(t *testing.T) {
	t.Parallel()
	path, err := findDemoRealm()
	if err != nil {
		t.Fatal(err)
	}
	srv := kctest.Start(t, kctest.WithRealmFile(path), kctest.WithBootstrapAdmin("root", "s3cret-admin"))
	env := map[string]string{
		"KEYCLOAK_URL":            srv.URL + "/",
		"KEYCLOAK_ADMIN":          "root",
		"KEYCLOAK_ADMIN_PASSWORD": "s3cret-admin",
		"KEYCLOAK_REALM":          "demo",
	}
	var out bytes.Buffer
	if err := run(t.Context(), &out, func(k string) string { return env[k] }); err != nil {
		t.Fatalf("run: %v\noutput so far:\n%s", err, out.String())
	}
	checkLines(t, out.String(), append([]string{
		`^server: Keycloak at ` + regexp.QuoteMeta(srv.URL) + `$`,
		`^realm: demo$`,
	}, tourLines...))
	if strings.Contains(out.String(), "s3cret-admin") {
		t.Error("output shows the admin password")
	}
}

// tourLines are the lines after the server and realm lines.
var tourLines = []string{
	`^discovery: issuer http://127\.0\.0\.1:\d+/realms/demo$`,
	`^discovery: \d+ grant types, PKCE .*S256, \d+ signing algorithms, RS256 among them$`,
	`^client credentials: demo-service got a Bearer token, valid for 5m0s$`,
	`^admin: created user tour-user$`,
	`^admin: created realm role tour-reader, a composite including user$`,
	`^admin: mapped tour-reader to tour-user; effective realm roles: default-roles-demo offline_access tour-reader uma_authorization user$`,
	`^login: tour-user logged in with the password grant \(client demo-app\): access token valid for 5m0s, a refresh token$`,
	`^verify: signature and claims checked locally with the realm's keys: user tour-user, issued to demo-app$`,
	`^verify: realm roles in the token: default-roles-demo offline_access tour-reader uma_authorization user$`,
	`^introspect: demo-api asked the server: token active, user tour-user, client demo-app$`,
	`^authz: may tour-user read Document\? granted \(policy: role user, which tour-reader includes\)$`,
	`^authz: all permissions of tour-user at demo-api: Document \(read write\)$`,
	`^uma: demo-api registered "Tour notebook" owned by tour-user, scopes read write$`,
	`^uma: found it by name \(1 match\)$`,
	`^cleanup: removed resource Tour notebook, role tour-reader, user tour-user$`,
	`^done in \d`,
}

// checkLines checks out line by line against the patterns of want, and
// that it shows no token or secret.
func checkLines(t *testing.T, out string, want []string) {
	t.Helper()
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	for i, w := range want {
		if i >= len(lines) {
			t.Errorf("line %d missing, want %s", i+1, w)
			continue
		}
		if !regexp.MustCompile(w).MatchString(lines[i]) {
			t.Errorf("line %d = %q, want %s", i+1, lines[i], w)
		}
	}
	if len(lines) > len(want) {
		t.Errorf("%d more lines than expected:\n%s", len(lines)-len(want), strings.Join(lines[len(want):], "\n"))
	}
	// No secret, no token: nothing long and base64-looking is printed.
	if m := regexp.MustCompile(`[A-Za-z0-9_-]{40,}`).FindString(out); m != "" {
		t.Errorf("output holds something like a token or secret: %q", m)
	}
}

// TestTourNeedsAdminCredentials checks that a server without credentials
// is refused with a clear message, before anything is sent.
func TestTourNeedsAdminCredentials(t *testing.T) {
	t.Parallel()
	env := map[string]string{"KEYCLOAK_URL": "http://127.0.0.1:1"}
	var out bytes.Buffer
	err := run(t.Context(), &out, func(k string) string { return env[k] })
	if err == nil || !strings.Contains(err.Error(), "KEYCLOAK_ADMIN") {
		t.Fatalf("run = %v, want an error naming KEYCLOAK_ADMIN", err)
	}
}

// TestTourFailsClearly checks that an unreachable server makes the tour
// fail with an error naming the step, promptly.
func TestTourFailsClearly(t *testing.T) {
	t.Parallel()
	env := map[string]string{"KEYCLOAK_URL": "http://127.0.0.1:1", "KEYCLOAK_ADMIN": "admin", "KEYCLOAK_ADMIN_PASSWORD": "admin"}
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	defer cancel()
	var out bytes.Buffer
	err := run(ctx, &out, func(k string) string { return env[k] })
	if err == nil || !strings.Contains(err.Error(), "admin login") {
		t.Fatalf("run = %v, want an error from the admin login", err)
	}
}

// TestTourCancelled checks that a cancelled context stops the tour at once
// with the context's error.
func TestTourCancelled(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	var out bytes.Buffer
	start := time.Now()
	err := run(ctx, &out, func(string) string { return "" })
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("run = %v, want context.Canceled", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("run took %v after cancellation", d)
	}
}
