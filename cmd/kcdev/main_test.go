package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

const demoRealm = "../../testdata/realms/demo-realm.json"

// syncBuffer collects output written by run's goroutine.
type lineWriter struct{ lines chan string }

func (w lineWriter) Write(p []byte) (int, error) {
	for _, l := range strings.Split(strings.TrimRight(string(p), "\n"), "\n") {
		w.lines <- l
	}
	return len(p), nil
}

// waitURL reads lines until the "listening on" line and returns the URL.
func waitURL(t *testing.T, lines <-chan string) string {
	t.Helper()
	timeout := time.After(30 * time.Second)
	for {
		select {
		case l, ok := <-lines:
			if !ok {
				t.Fatal("output ended before the listening line")
			}
			if u, found := strings.CutPrefix(l, "kcdev listening on "); found {
				return u
			}
		case <-timeout:
			t.Fatal("timed out waiting for the listening line")
		}
	}
}

func getJSON(t *testing.T, u string) map[string]any {
	t.Helper()
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, u, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var m map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&m); err != nil {
		t.Fatalf("GET %s: %v", u, err)
	}
	return m
}

func TestRunInProcess(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(t.Context())
	lines := make(chan string, 100)
	env := map[string]string{"KCDEV_ADDR": "127.0.0.1:0", "KC_BOOTSTRAP_ADMIN_USERNAME": "root", "KC_BOOTSTRAP_ADMIN_PASSWORD": "pw"}
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"--import-realm", filepath.Dir(demoRealm), "--http-relative-path", "/auth"},
			func(k string) string { return env[k] }, lineWriter{lines})
	}()
	base := waitURL(t, lines)
	if !strings.HasSuffix(base, "/auth") || !strings.HasPrefix(base, "http://127.0.0.1:") {
		t.Fatalf("URL = %q", base)
	}
	d := getJSON(t, base+"/realms/demo/.well-known/openid-configuration")
	if d["issuer"] != base+"/realms/demo" {
		t.Errorf("issuer = %v", d["issuer"])
	}
	resp, err := http.PostForm(base+"/realms/master/protocol/openid-connect/token", url.Values{
		"grant_type": {"password"}, "client_id": {"admin-cli"}, "username": {"root"}, "password": {"pw"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("bootstrap admin login: %d", resp.StatusCode)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("run: %v", err)
	}
}

func TestRunErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		args []string
	}{
		{"missing import", []string{"-addr", "127.0.0.1:0", "--import-realm", "nope.json"}},
		{"bad flag", []string{"-nope"}},
		{"extra args", []string{"-addr", "127.0.0.1:0", "x"}},
		{"unknown feature", []string{"-addr", "127.0.0.1:0", "--features=no-such-feature"}},
		{"versioned disable", []string{"-addr", "127.0.0.1:0", "--features-disabled=admin-fine-grained-authz:v1"}},
		{"two versions", []string{"-addr", "127.0.0.1:0", "--features=admin-fine-grained-authz:v1,admin-fine-grained-authz:v2"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if err := run(t.Context(), tt.args, func(string) string { return "" }, io.Discard); err == nil {
				t.Error("run succeeded")
			}
		})
	}
}

func TestListenAddr(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{":8080": "127.0.0.1:8080", "0.0.0.0:1": "0.0.0.0:1", "127.0.0.1:0": "127.0.0.1:0"} {
		if got := listenAddr(in); got != want {
			t.Errorf("listenAddr(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestProcess builds kcdev, runs it as a real process, and stops it with
// SIGTERM.
func TestProcess(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("builds a binary")
	}
	bin := filepath.Join(t.TempDir(), "kcdev")
	build := exec.CommandContext(t.Context(), "go", "build", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	cmd := exec.CommandContext(t.Context(), bin, "-addr", "127.0.0.1:0", "--import-realm", demoRealm)
	cmd.Env = append(os.Environ(), "KC_BOOTSTRAP_ADMIN_USERNAME=", "KC_BOOTSTRAP_ADMIN_PASSWORD=")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := make(chan string, 100)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	base := waitURL(t, lines)
	d := getJSON(t, base+"/realms/demo/.well-known/openid-configuration")
	if d["issuer"] != base+"/realms/demo" {
		t.Errorf("issuer = %v, want %v", d["issuer"], base+"/realms/demo")
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	for range lines {
	}
	if err := cmd.Wait(); err != nil {
		t.Errorf("kcdev exit: %v", err)
	}
}

// TestRunPrintsMail checks that kcdev prints the mail kctest captures:
// here the SMTP test message (Keycloak: RealmAdminResource.testSMTPConnection).
func TestRunPrintsMail(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(t.Context())
	lines := make(chan string, 100)
	env := map[string]string{"KCDEV_ADDR": "127.0.0.1:0", "KC_BOOTSTRAP_ADMIN_USERNAME": "root", "KC_BOOTSTRAP_ADMIN_PASSWORD": "pw"}
	done := make(chan error, 1)
	go func() { done <- run(ctx, nil, func(k string) string { return env[k] }, lineWriter{lines}) }()
	base := waitURL(t, lines)
	resp, err := http.PostForm(base+"/realms/master/protocol/openid-connect/token", url.Values{
		"grant_type": {"password"}, "client_id": {"admin-cli"}, "username": {"root"}, "password": {"pw"}})
	if err != nil {
		t.Fatal(err)
	}
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	err = json.NewDecoder(resp.Body).Decode(&tok)
	resp.Body.Close()
	if err != nil {
		t.Fatal(err)
	}
	send := func(method, path, body string) {
		t.Helper()
		req, _ := http.NewRequestWithContext(t.Context(), method, base+path, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusNoContent {
			t.Fatalf("%s %s: %d", method, path, resp.StatusCode)
		}
	}
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, base+"/admin/realms/master/users?username=root&exact=true", nil)
	req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var users []struct{ ID string }
	_ = json.NewDecoder(resp.Body).Decode(&users)
	resp.Body.Close()
	if len(users) != 1 {
		t.Fatalf("users = %v", users)
	}
	send("PUT", "/admin/realms/master/users/"+users[0].ID, `{"email":"root@example.test"}`)
	send("POST", "/admin/realms/master/testSMTPConnection", `{"host":"smtp.example.test","from":"kc@example.test","password":"smtp-pw"}`)

	var block []string
	timeout := time.After(30 * time.Second)
	for inMail := false; ; {
		select {
		case l := <-lines:
			switch {
			case l == "kcdev: mail":
				inMail = true
			case l == "kcdev: end of mail":
				goto done
			case inMail:
				block = append(block, l)
			}
		case <-timeout:
			t.Fatalf("no mail printed; got %q", block)
		}
	}
done:
	text := strings.Join(block, "\n")
	for _, want := range []string{"From: kc@example.test", "To: root@example.test", "Subject: [KEYCLOAK] - SMTP test message", "This is a test message"} {
		if !strings.Contains(text, want) {
			t.Errorf("printed mail lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "smtp-pw") {
		t.Error("the SMTP password was printed")
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("run: %v", err)
	}
}

// TestRunFeatures: --features and --features-disabled switch Keycloak
// features as Keycloak's options do: workflows (off by default) answers,
// organizations (on by default) answer as without the feature.
func TestRunFeatures(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(t.Context())
	lines := make(chan string, 100)
	env := map[string]string{"KCDEV_ADDR": "127.0.0.1:0", "KC_BOOTSTRAP_ADMIN_USERNAME": "root", "KC_BOOTSTRAP_ADMIN_PASSWORD": "pw"}
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"--features=workflows", "--features-disabled=organization"},
			func(k string) string { return env[k] }, lineWriter{lines})
	}()
	base := waitURL(t, lines)
	resp, err := http.PostForm(base+"/realms/master/protocol/openid-connect/token", url.Values{
		"grant_type": {"password"}, "client_id": {"admin-cli"}, "username": {"root"}, "password": {"pw"}})
	if err != nil {
		t.Fatal(err)
	}
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	_ = json.NewDecoder(resp.Body).Decode(&tok)
	resp.Body.Close()
	for path, want := range map[string]int{"/admin/realms/master/workflows": 200, "/admin/realms/master/organizations": 404} {
		req, _ := http.NewRequestWithContext(t.Context(), "GET", base+path, nil)
		req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("GET %s: %d, want %d", path, resp.StatusCode, want)
		}
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("run: %v", err)
	}
}
