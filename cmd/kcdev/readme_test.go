package main

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestReadmeCurlLines starts kcdev as `make kcdev` does (the Makefile's
// arguments, no bootstrap password in the environment) and runs the
// README's curl lines against it: the demo realm must answer each.
func TestReadmeCurlLines(t *testing.T) {
	t.Parallel()
	mk, err := os.ReadFile("../../Makefile")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^\t\$\(GO\) run \./cmd/kcdev(.*)$`).FindSubmatch(mk)
	if m == nil {
		t.Fatal("Makefile: no `$(GO) run ./cmd/kcdev` line in the kcdev target")
	}
	args := strings.Fields(string(m[1]))
	for i, a := range args { // the Makefile runs at the top of the module
		if i > 0 && args[i-1] == "--import-realm" {
			args[i] = filepath.Join("..", "..", a)
		}
	}
	if !strings.Contains(string(m[1]), "testdata/realms/demo-realm.json") {
		t.Errorf("make kcdev imports %q, not the demo realm", m[1])
	}

	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, after, ok := strings.Cut(string(readme), "### From any language: kcdev")
	if !ok {
		t.Fatal("README: no kcdev section")
	}
	var curls []string
	for block := range strings.SplitSeq(after, "```sh\n") {
		code, _, _ := strings.Cut(block, "```")
		if strings.HasPrefix(code, "curl ") {
			curls = strings.Split(strings.TrimSpace(strings.ReplaceAll(code, "\\\n", "")), "\n")
			break
		}
	}
	if len(curls) != 3 {
		t.Fatalf("README: %d curl lines, want 3", len(curls))
	}

	ctx, cancel := context.WithCancel(t.Context())
	lines := make(chan string, 100)
	env := map[string]string{"KCDEV_ADDR": "127.0.0.1:0"}
	done := make(chan error, 1)
	go func() { done <- run(ctx, args, func(k string) string { return env[k] }, lineWriter{lines}) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Error(err)
		}
	}()
	first := <-lines
	if !strings.HasPrefix(first, `kcdev: bootstrap admin "admin", generated password `) {
		t.Errorf("first line = %q, want the generated password", first)
	}
	base := waitURL(t, lines)

	for _, line := range curls {
		req := curlRequest(t, line, base)
		resp, err := http.DefaultClient.Do(req.WithContext(t.Context()))
		if err != nil {
			t.Fatal(err)
		}
		var body map[string]any
		err = json.NewDecoder(resp.Body).Decode(&body)
		resp.Body.Close()
		if resp.StatusCode != 200 || err != nil {
			t.Errorf("%s: %d %v", line, resp.StatusCode, err)
			continue
		}
		if body["issuer"] != base+"/realms/demo" && body["access_token"] == nil {
			t.Errorf("%s: answer has neither the demo issuer nor an access token: %v", line, body)
		}
	}
}

// curlRequest turns a README curl line (-s, -d, -u and the URL) into a
// request to base instead of http://127.0.0.1:8080.
func curlRequest(t *testing.T, line, base string) *http.Request {
	t.Helper()
	f := strings.Fields(line)
	form := url.Values{}
	var user, target string
	for i := 1; i < len(f); i++ {
		switch f[i] {
		case "-s":
		case "-d":
			k, v, _ := strings.Cut(f[i+1], "=")
			form.Add(k, v)
			i++
		case "-u":
			user = f[i+1]
			i++
		default:
			if !strings.HasPrefix(f[i], "http://127.0.0.1:8080/") {
				t.Fatalf("README curl line %q: unexpected %q", line, f[i])
			}
			target = base + strings.TrimPrefix(f[i], "http://127.0.0.1:8080")
		}
	}
	method, body := "GET", ""
	if len(form) > 0 {
		method, body = "POST", form.Encode()
	}
	req, _ := http.NewRequest(method, target, strings.NewReader(body))
	if method == "POST" {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if id, secret, ok := strings.Cut(user, ":"); ok {
		req.SetBasicAuth(id, secret)
	}
	return req
}
