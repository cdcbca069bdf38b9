package kctest_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/kcgo/kc/keycloak/kctest"
)

// fuzzServer is shared by a fuzz target's iterations; it is not listening,
// requests go straight to its handler.
func fuzzServer(f *testing.F) *kctest.Server {
	f.Helper()
	s, err := kctest.New(kctest.WithRealmFile(demoRealmFile))
	if err != nil {
		f.Fatal(err)
	}
	return s
}

// checkOAuthResponse fails unless rec is a success or an OAuth error body.
func checkOAuthResponse(t *testing.T, rec *httptest.ResponseRecorder) {
	t.Helper()
	if rec.Code >= 500 {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	if rec.Code == http.StatusOK || rec.Body.Len() == 0 {
		return
	}
	var e struct {
		Error string `json:"error"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &e); err != nil || e.Error == "" {
		t.Fatalf("status %d with a non-OAuth body %q", rec.Code, rec.Body)
	}
}

func FuzzTokenForm(f *testing.F) {
	s := fuzzServer(f)
	for _, seed := range []string{
		"grant_type=password&client_id=demo-app&username=alice&password=alice",
		"grant_type=client_credentials&client_id=demo-service&client_secret=demo-service-secret",
		"grant_type=refresh_token&client_id=demo-app&refresh_token=a.b.c",
		"grant_type=authorization_code&client_id=demo-app&code=x&redirect_uri=http%3A%2F%2F127.0.0.1%2Fcallback",
		"grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Atoken-exchange&subject_token=x",
		"grant_type=password&grant_type=password",
		"client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer&client_assertion=e30.e30.",
		"%zz", "", "&&&==",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, body string) {
		req := httptest.NewRequest("POST", "/realms/demo/protocol/openid-connect/token", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		rec := httptest.NewRecorder()
		s.Handler().ServeHTTP(rec, req)
		checkOAuthResponse(t, rec)
		if rec.Header().Get("Cache-Control") != "no-store" {
			t.Fatal("token response without Cache-Control: no-store")
		}
	})
}

func FuzzIntrospectToken(f *testing.F) {
	s := fuzzServer(f)
	for _, seed := range []string{"", "a.b.c", "eyJhbGciOiJSUzI1NiJ9.e30.", "eyJhbGciOiJIUzUxMiJ9.eyJ0eXAiOiJSZWZyZXNoIn0.", "....", "e30.e30.e30"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, tok string) {
		for _, path := range []string{"token/introspect", "revoke", "userinfo"} {
			form := url.Values{"token": {tok}, "client_id": {"demo-api"}, "client_secret": {"demo-api-secret"}}
			req := httptest.NewRequest("POST", "/realms/demo/protocol/openid-connect/"+path, strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			if path == "userinfo" {
				req.Header.Set("Authorization", "Bearer "+tok)
			}
			rec := httptest.NewRecorder()
			s.Handler().ServeHTTP(rec, req)
			checkOAuthResponse(t, rec)
		}
	})
}

func FuzzImportRealm(f *testing.F) {
	demo, err := os.ReadFile(demoRealmFile)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(demo)
	for _, seed := range []string{`{}`, `{"realm":"x"}`, `{"realm":"x","users":[{"username":"u","groups":["/g"]}]}`,
		`{"realm":"x","roles":{"realm":[{"name":"a","composites":{"realm":["b"],"client":{"c":["d"]}}}]}}`,
		`{"realm":"x","clients":[{"clientId":"c","serviceAccountsEnabled":true}],"users":[{"username":"s","serviceAccountClientId":"c"}]}`,
		`{"realm":"x","groups":[{"name":"g","subGroups":[{"name":"g"},{"name":"g"}]}]}`,
		`{"realm":"x","clientScopes":[{"name":""}]}`, `[`, `null`} {
		f.Add([]byte(seed))
	}
	s, err := kctest.New()
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		// Rename every imported realm so iterations do not collide.
		var m map[string]any
		if json.Unmarshal(data, &m) == nil && m != nil {
			if _, ok := m["realm"].(string); ok {
				m["realm"] = "fuzz-" + randomName()
				data, _ = json.Marshal(m)
			}
		}
		_, _ = s.ImportRealm(bytes.NewReader(data))
	})
}

var fuzzRealms atomic.Int64

func randomName() string { return strconv.FormatInt(fuzzRealms.Add(1), 10) }
