package main

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
)

// startRun runs kcdev in process with env and args and returns its base
// URL and every line it printed up to the listening line.
func startRun(t *testing.T, env map[string]string, args ...string) (string, []string) {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	lines := make(chan string, 100)
	done := make(chan error, 1)
	go func() { done <- run(ctx, args, func(k string) string { return env[k] }, lineWriter{lines}) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("run: %v", err)
		}
	})
	var seen []string
	timeout := time.After(30 * time.Second)
	for {
		select {
		case l := <-lines:
			seen = append(seen, l)
			if u, ok := strings.CutPrefix(l, "kcdev listening on "); ok {
				return u, seen
			}
		case err := <-done:
			t.Fatalf("run ended: %v (output %q)", err, seen)
		case <-timeout:
			t.Fatalf("timed out; output %q", seen)
		}
	}
}

// adminLogin reports the status of the bootstrap admin's password grant.
func adminLogin(t *testing.T, base, user, pass string) int {
	t.Helper()
	resp, err := http.PostForm(base+"/realms/master/protocol/openid-connect/token", url.Values{
		"grant_type": {"password"}, "client_id": {"admin-cli"}, "username": {user}, "password": {pass}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// TestBootstrapAdminLoopback: without KC_BOOTSTRAP_ADMIN_PASSWORD on a
// loopback address, the admin gets a random password, printed once, and
// the well-known admin/admin does not work.
func TestBootstrapAdminLoopback(t *testing.T) {
	t.Parallel()
	base, out := startRun(t, nil, "-addr", "127.0.0.1:0")
	re := regexp.MustCompile(`^kcdev: bootstrap admin "admin", generated password (\S+), `)
	var pass string
	n := 0
	for _, l := range out {
		if m := re.FindStringSubmatch(l); m != nil {
			pass = m[1]
			n++
		}
	}
	if n != 1 || len(pass) < 16 {
		t.Fatalf("want the generated password printed once, got %q", out)
	}
	if code := adminLogin(t, base, "admin", pass); code != http.StatusOK {
		t.Errorf("login with the printed password: %d", code)
	}
	if code := adminLogin(t, base, "admin", "admin"); code != http.StatusUnauthorized {
		t.Errorf("login with admin/admin: %d, want 401", code)
	}
	// Two runs, two passwords.
	_, out2 := startRun(t, nil, "-addr", "127.0.0.1:0")
	if strings.Contains(strings.Join(out2, "\n"), pass) {
		t.Error("a second run printed the same password")
	}
}

// TestBootstrapAdminFromEnvNotPrinted: a password from the environment is
// used and never printed (kcdev's output ends up in CI logs).
func TestBootstrapAdminFromEnvNotPrinted(t *testing.T) {
	t.Parallel()
	env := map[string]string{"KC_BOOTSTRAP_ADMIN_USERNAME": "root", "KC_BOOTSTRAP_ADMIN_PASSWORD": "env-secret-5f2c"}
	base, out := startRun(t, env, "-addr", "127.0.0.1:0")
	if all := strings.Join(out, "\n"); strings.Contains(all, "env-secret-5f2c") {
		t.Errorf("kcdev printed the password from the environment:\n%s", all)
	}
	if code := adminLogin(t, base, "root", "env-secret-5f2c"); code != http.StatusOK {
		t.Errorf("login with the environment's password: %d", code)
	}
}

// TestBootstrapAdminRefusesNetwork: on an address beyond loopback kcdev
// does not start unless both variables are set.
func TestBootstrapAdminRefusesNetwork(t *testing.T) {
	t.Parallel()
	for _, env := range []map[string]string{
		nil,
		{"KC_BOOTSTRAP_ADMIN_USERNAME": "root"},
		{"KC_BOOTSTRAP_ADMIN_PASSWORD": "pw"},
	} {
		var out strings.Builder
		err := run(t.Context(), []string{"-addr", "0.0.0.0:0"}, func(k string) string { return env[k] }, &out)
		if err == nil || !strings.Contains(err.Error(), "KC_BOOTSTRAP_ADMIN_USERNAME and KC_BOOTSTRAP_ADMIN_PASSWORD") {
			t.Errorf("env %v: run = %v, want a refusal naming both variables", env, err)
		}
		if strings.Contains(out.String(), "listening") {
			t.Errorf("env %v: kcdev listened: %s", env, out.String())
		}
	}
	for addr, want := range map[string]bool{"127.0.0.1:1": true, "[::1]:1": true, "localhost:1": true, "0.0.0.0:1": false, "[::]:1": false, "192.168.1.2:1": false, "example.com:1": false} {
		if got := isLoopback(addr); got != want {
			t.Errorf("isLoopback(%q) = %v, want %v", addr, got, want)
		}
	}
}

// TestHTTPServerTimeouts: a client that stalls cannot hold a connection
// forever; every timeout of the http.Server is set.
func TestHTTPServerTimeouts(t *testing.T) {
	t.Parallel()
	hs := newHTTPServer(http.NotFoundHandler())
	if hs.ReadHeaderTimeout <= 0 || hs.ReadTimeout <= 0 || hs.WriteTimeout <= 0 || hs.IdleTimeout <= 0 {
		t.Errorf("timeouts: read header %v, read %v, write %v, idle %v; want all set",
			hs.ReadHeaderTimeout, hs.ReadTimeout, hs.WriteTimeout, hs.IdleTimeout)
	}
}
