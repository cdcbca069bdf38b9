package kctest_test

import (
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/kcgo/kc/keycloak/kctest"
)

var epoch = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

const demoRealmFile = "../../testdata/realms/demo-realm.json"

// startDemo starts a server with the demo realm and a fake clock.
func startDemo(t *testing.T, opts ...kctest.Option) (*kctest.Server, *kctest.FakeClock) {
	t.Helper()
	clock := kctest.NewFakeClock(epoch)
	all := append([]kctest.Option{kctest.WithClock(clock.Now), kctest.WithRealmFile(demoRealmFile)}, opts...)
	return kctest.Start(t, all...), clock
}

// result is a decoded HTTP response.
type result struct {
	status int
	header http.Header
	body   []byte
}

// json decodes the body as an object (nil when it is not one).
func (r result) json() map[string]any {
	var m map[string]any
	_ = json.Unmarshal(r.body, &m)
	return m
}

func (r result) str(k string) string {
	s, _ := r.json()[k].(string)
	return s
}

// do sends a request; header pairs are "Name", "value".
func do(t *testing.T, method, u string, body io.Reader, header ...string) result {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), method, u, body)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return result{status: resp.StatusCode, header: resp.Header, body: b}
}

// postForm posts a form.
func postForm(t *testing.T, u string, form url.Values, header ...string) result {
	t.Helper()
	return do(t, http.MethodPost, u, strings.NewReader(form.Encode()),
		append([]string{"Content-Type", "application/x-www-form-urlencoded"}, header...)...)
}

func oidcURL(s *kctest.Server, realm, endpoint string) string {
	return s.URL + "/realms/" + realm + "/protocol/openid-connect/" + endpoint
}

func basic(id, secret string) string {
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(url.QueryEscape(id)+":"+url.QueryEscape(secret)))
}

// token runs a token request and fails the test unless it succeeds.
func token(t *testing.T, s *kctest.Server, realm string, form url.Values, header ...string) map[string]any {
	t.Helper()
	r := postForm(t, oidcURL(s, realm, "token"), form, header...)
	if r.status != http.StatusOK {
		t.Fatalf("token request: status %d, body %s", r.status, r.body)
	}
	return r.json()
}

func passwordToken(t *testing.T, s *kctest.Server, user, pw, scope string) map[string]any {
	t.Helper()
	f := url.Values{"grant_type": {"password"}, "client_id": {"demo-app"}, "username": {user}, "password": {pw}}
	if scope != "" {
		f.Set("scope", scope)
	}
	return token(t, s, "demo", f)
}

// verify checks tok against the realm JWKS with go-jose and returns its
// claims.
func verify(t *testing.T, s *kctest.Server, realm, tok string) map[string]any {
	t.Helper()
	claims, err := verifyErr(t, s, realm, tok)
	if err != nil {
		t.Fatalf("verify: %v", err)
	}
	return claims
}

func verifyErr(t *testing.T, s *kctest.Server, realm, tok string) (map[string]any, error) {
	t.Helper()
	r := do(t, http.MethodGet, oidcURL(s, realm, "certs"), nil)
	var set jose.JSONWebKeySet
	if err := json.Unmarshal(r.body, &set); err != nil {
		t.Fatal(err)
	}
	jws, err := jose.ParseSignedCompact(tok, []jose.SignatureAlgorithm{jose.RS256})
	if err != nil {
		return nil, err
	}
	keys := set.Key(jws.Signatures[0].Header.KeyID)
	if len(keys) == 0 {
		return nil, errNoKey
	}
	payload, err := jws.Verify(keys[0])
	if err != nil {
		return nil, err
	}
	var claims map[string]any
	if err := json.Unmarshal(payload, &claims); err != nil {
		t.Fatal(err)
	}
	return claims, nil
}

type testError string

func (e testError) Error() string { return string(e) }

const errNoKey = testError("no key with that kid in the JWKS")

// decodeClaims decodes a JWT payload without verifying it.
func decodeClaims(t *testing.T, tok string) map[string]any {
	t.Helper()
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		t.Fatalf("not a JWT: %q", tok)
	}
	b, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// errorBody is the OAuth error family.
type errorBody struct {
	Error            string `json:"error"`
	ErrorDescription string `json:"error_description,omitempty"`
}

func oauthErr(r result) errorBody {
	var e errorBody
	_ = json.Unmarshal(r.body, &e)
	return e
}
