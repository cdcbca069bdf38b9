package compat

import (
	"bufio"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/kcgo/kc/keycloak/kctest"
)

// demoRealmFile is kctest's demo realm: clients demo-app (public, direct
// grants, device grant, redirect http://127.0.0.1/callback), demo-service
// (confidential, service account) and demo-api (confidential, standard
// token exchange); users alice/alice and bob/bob.
const demoRealmFile = "../testdata/realms/demo-realm.json"

const (
	realmName        = "demo"
	publicClient     = "demo-app"
	redirectURI      = "http://127.0.0.1/callback"
	serviceClient    = "demo-service"
	serviceSecret    = "demo-service-secret"
	exchangeClient   = "demo-api"
	exchangeSecret   = "demo-api-secret"
	aliceName        = "alice"
	alicePassword    = "alice"
	aliceEmail       = "alice@example.com"
	deviceSuccessMsg = "Device Login Successful"
)

// target is a server the suite runs against: kctest in-process or the
// kcdev program.
type target struct {
	// base is the server's base URL, with any relative path ("/auth").
	base string
	// srv is the in-process server, nil for kcdev.
	srv *kctest.Server
}

// issuer returns the demo realm's issuer.
func (tg *target) issuer() string { return tg.base + "/realms/" + realmName }

// startKctest starts kctest in-process with the demo realm.
func startKctest(t *testing.T, opts ...kctest.Option) *target {
	t.Helper()
	srv := kctest.Start(t, append([]kctest.Option{kctest.WithRealmFile(demoRealmFile)}, opts...)...)
	return &target{base: srv.URL, srv: srv}
}

// buildKcdev builds cmd/kcdev into a temporary folder and returns the
// binary's path.
func buildKcdev(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "kcdev")
	if runtime.GOOS == "windows" {
		bin += ".exe"
	}
	cmd := exec.CommandContext(t.Context(), "go", "build", "-o", bin, "./cmd/kcdev")
	cmd.Dir = ".."
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build ./cmd/kcdev: %v\n%s", err, out)
	}
	return bin
}

// startKcdev runs the kcdev binary on a free loopback port with the demo
// realm, reads the "kcdev listening on URL" line, and at the end of the
// test stops it with SIGTERM and checks that it exits with status 0.
func startKcdev(t *testing.T, bin string, args ...string) *target {
	t.Helper()
	args = append([]string{"-addr", "127.0.0.1:0", "--import-realm", demoRealmFile}, args...)
	cmd := exec.Command(bin, args...)
	cmd.Stderr = os.Stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	urlc := make(chan string, 1)
	drained := make(chan struct{})
	go func() {
		defer close(drained)
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if u, ok := strings.CutPrefix(sc.Text(), "kcdev listening on "); ok {
				urlc <- u
			}
		}
		_, _ = io.Copy(io.Discard, stdout)
	}()
	stop := func() error {
		if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
			return err
		}
		select {
		case <-drained:
		case <-time.After(10 * time.Second):
			_ = cmd.Process.Kill()
			<-drained
		}
		return cmd.Wait()
	}
	var base string
	select {
	case base = <-urlc:
	case <-drained:
		t.Fatalf("kcdev exited before listening: %v", cmd.Wait())
	case <-time.After(20 * time.Second):
		_ = cmd.Process.Kill()
		<-drained
		_ = cmd.Wait()
		t.Fatal("kcdev did not print its listening line within 20s")
	}
	t.Cleanup(func() {
		if err := stop(); err != nil {
			t.Errorf("kcdev after SIGTERM: %v, want exit status 0", err)
		}
	})
	return &target{base: base}
}

// browser is an HTTP client that keeps cookies and does not follow
// redirects, so that the test sees where the server sends the user.
func browser(t *testing.T) *http.Client {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &http.Client{
		Jar:           jar,
		Timeout:       10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

var (
	formRE  = regexp.MustCompile(`(?s)<form\b[^>]*>.*?</form>`)
	inputRE = regexp.MustCompile(`<input\b[^>]*>`)
	attrRE  = regexp.MustCompile(`\b([a-z_-]+)="([^"]*)"`)
)

// htmlForm is the first form of an HTML page: its action resolved against
// the page URL, and its named inputs with their values.
type htmlForm struct {
	action *url.URL
	fields url.Values
}

// parseForm finds the first <form> of page, which was served at pageURL.
func parseForm(t *testing.T, pageURL *url.URL, page string) *htmlForm {
	t.Helper()
	f := formRE.FindString(page)
	if f == "" {
		t.Fatalf("no <form> in the page:\n%s", page)
	}
	attrs := func(tag string) map[string]string {
		m := map[string]string{}
		for _, a := range attrRE.FindAllStringSubmatch(tag, -1) {
			m[a[1]] = html.UnescapeString(a[2])
		}
		return m
	}
	formTag := f[:strings.IndexByte(f, '>')+1]
	action := attrs(formTag)["action"]
	au, err := pageURL.Parse(action)
	if err != nil {
		t.Fatalf("form action %q: %v", action, err)
	}
	out := &htmlForm{action: au, fields: url.Values{}}
	for _, in := range inputRE.FindAllString(f, -1) {
		a := attrs(in)
		if a["name"] == "" || a["type"] == "submit" {
			continue
		}
		out.fields.Add(a["name"], a["value"])
	}
	return out
}

// get fetches u with c and returns the response and its body.
func get(t *testing.T, c *http.Client, u string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	return do(t, c, req)
}

// postForm posts form to u with c and returns the response and its body.
func postForm(t *testing.T, c *http.Client, u string, form url.Values) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, u, strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return do(t, c, req)
}

func do(t *testing.T, c *http.Client, req *http.Request) (*http.Response, string) {
	t.Helper()
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, string(b)
}

// browserLogin opens authURL in c as a browser would, fills the login
// form with the credentials, submits it, and returns the URL the server
// redirects to.
func browserLogin(t *testing.T, c *http.Client, authURL, username, password string) *url.URL {
	t.Helper()
	resp, page := get(t, c, authURL)
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("GET %s: %s %q, want 200 text/html:\n%s", authURL, resp.Status, resp.Header.Get("Content-Type"), page)
	}
	f := parseForm(t, resp.Request.URL, page)
	f.fields.Set("username", username)
	f.fields.Set("password", password)
	resp, page = postForm(t, c, f.action.String(), f.fields)
	if resp.StatusCode != http.StatusFound {
		t.Fatalf("POST login form: %s, want 302 Found:\n%s", resp.Status, page)
	}
	loc, err := resp.Location()
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// browserApproveDevice opens the device verification page as a browser
// would, signs in and approves the user code.
func browserApproveDevice(t *testing.T, da *oauth2.DeviceAuthResponse, username, password string) {
	t.Helper()
	c := browser(t)
	resp, page := get(t, c, da.VerificationURIComplete)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %s:\n%s", da.VerificationURIComplete, resp.Status, page)
	}
	f := parseForm(t, resp.Request.URL, page)
	if got := f.fields.Get("user_code"); got != da.UserCode {
		t.Errorf("device page user_code = %q, want %q", got, da.UserCode)
	}
	f.fields.Set("username", username)
	f.fields.Set("password", password)
	f.fields.Set("accept", "yes")
	resp, page = postForm(t, c, f.action.String(), f.fields)
	if resp.StatusCode != http.StatusOK || !strings.Contains(page, deviceSuccessMsg) {
		t.Fatalf("POST device form: %s, want 200 with %q:\n%s", resp.Status, deviceSuccessMsg, page)
	}
}

// ctx returns the test's context with a deadline, so that no call hangs.
func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(t.Context(), 15*time.Second)
	t.Cleanup(cancel)
	return c
}

// retrieveError unwraps an *oauth2.RetrieveError.
func retrieveError(t *testing.T, err error) *oauth2.RetrieveError {
	t.Helper()
	var re *oauth2.RetrieveError
	if !errors.As(err, &re) {
		t.Fatalf("error %v (%T), want *oauth2.RetrieveError", err, err)
	}
	return re
}

// decodeHeader decodes a JWT's header into v.
func decodeHeader(jwt string, v any) error {
	h, _, _ := strings.Cut(jwt, ".")
	b, err := base64.RawURLEncoding.DecodeString(h)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, v)
}
