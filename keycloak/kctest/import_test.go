package kctest_test

import (
	"bytes"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/kcgo/kc/keycloak/kctest"
)

// sampleDir holds the shared sample realm exports when the checkout sits
// next to the shared reference folder; tests that need them skip otherwise.
const sampleDir = "../../../shared/reference/samples/"

func sampleFile(t *testing.T, name string) string {
	t.Helper()
	p := sampleDir + name
	if _, err := os.Stat(p); err != nil {
		t.Skipf("sample %s not available: %v", name, err)
	}
	return p
}

func TestImportPlaygroundSample(t *testing.T) {
	t.Parallel()
	s := kctest.Start(t, kctest.WithRealmFile(sampleFile(t, "playground-test-realm.json")))
	// argon2id-hashed passwords.
	tests := []struct{ user, pw string }{
		{"alice", "password"},
		{"topgroupuser", "password"},
		{"special>>character", "<password>"},
		{"john", "password"},
	}
	for _, tt := range tests {
		t.Run(tt.user, func(t *testing.T) {
			t.Parallel()
			tok := token(t, s, "test", url.Values{"grant_type": {"password"}, "client_id": {"direct-grant"}, "client_secret": {"password"},
				"username": {tt.user}, "password": {tt.pw}})
			at := verify(t, s, "test", tok["access_token"].(string))
			if at["preferred_username"] != tt.user {
				t.Errorf("preferred_username = %v", at["preferred_username"])
			}
		})
	}
	t.Run("wrong password", func(t *testing.T) {
		t.Parallel()
		r := postForm(t, oidcURL(s, "test", "token"), url.Values{"grant_type": {"password"}, "client_id": {"direct-grant"}, "client_secret": {"password"},
			"username": {"alice"}, "password": {"nope"}})
		if r.status != http.StatusUnauthorized {
			t.Errorf("status %d", r.status)
		}
	})
	t.Run("undeclared role is created", func(t *testing.T) {
		t.Parallel()
		tok := token(t, s, "test", url.Values{"grant_type": {"password"}, "client_id": {"direct-grant"}, "client_secret": {"password"},
			"username": {"john"}, "password": {"password"}})
		at := decodeClaims(t, tok["access_token"].(string))
		roles, _ := at["realm_access"].(map[string]any)["roles"].([]any)
		if !slices.Contains(roles, any("credential-offer-create")) {
			t.Errorf("roles = %v", roles)
		}
	})
	t.Run("service account", func(t *testing.T) {
		t.Parallel()
		tok := token(t, s, "test", url.Values{"grant_type": {"client_credentials"}, "client_id": {"test-app-authz"}, "client_secret": {"secret"}})
		at := decodeClaims(t, tok["access_token"].(string))
		if at["preferred_username"] != "service-account-test-app-authz" {
			t.Errorf("claims = %v", at)
		}
	})
	t.Run("group roles", func(t *testing.T) {
		t.Parallel()
		tok := token(t, s, "test", url.Values{"grant_type": {"password"}, "client_id": {"direct-grant"}, "client_secret": {"password"},
			"username": {"level2groupuser"}, "password": {"password"}})
		at := decodeClaims(t, tok["access_token"].(string))
		roles, _ := at["realm_access"].(map[string]any)["roles"].([]any)
		if !slices.Contains(roles, any("admin")) {
			t.Errorf("roles = %v", roles)
		}
	})
}

func TestImportQuickstartSample(t *testing.T) {
	t.Parallel()
	s := kctest.Start(t, kctest.WithRealmFile(sampleFile(t, "quickstart-servlet-authz-realm.json")))
	// The client has no direct access grants (import leaves them off), so
	// users sign in through the authorization endpoint.
	const redirect = "http://localhost:8080/jakarta-servlet-authz-client/cb"
	for _, u := range []string{"alice", "jdoe", "admin"} {
		authURL := oidcURL(s, "quickstart", "auth") + "?" + url.Values{"client_id": {"jakarta-servlet-authz-client"},
			"redirect_uri": {redirect}, "response_type": {"code"}, "scope": {"openid"}}.Encode()
		cb, err := s.Login(authURL, u, u)
		if err != nil {
			t.Fatal(err)
		}
		tok := token(t, s, "quickstart", url.Values{"grant_type": {"authorization_code"}, "code": {cb.Query().Get("code")},
			"redirect_uri": {redirect}}, "Authorization", basic("jakarta-servlet-authz-client", "secret"))
		if at := decodeClaims(t, tok["access_token"].(string)); at["preferred_username"] != u {
			t.Errorf("claims = %v", at)
		}
	}
	// Authorization services imply the service account and its
	// uma_protection role.
	tok := token(t, s, "quickstart", url.Values{"grant_type": {"client_credentials"}, "client_id": {"jakarta-servlet-authz-client"}, "client_secret": {"secret"}})
	at := decodeClaims(t, tok["access_token"].(string))
	ra, _ := at["resource_access"].(map[string]any)["jakarta-servlet-authz-client"].(map[string]any)
	if roles, _ := ra["roles"].([]any); !slices.Contains(roles, any("uma_protection")) {
		t.Errorf("resource_access = %v", at["resource_access"])
	}
}

func TestImportErrors(t *testing.T) {
	t.Parallel()
	s := kctest.Start(t)
	tests := []struct{ name, json, wantErr string }{
		{"not json", `{`, "decoding realm"},
		{"no name", `{}`, "realm name is missing"},
		{"master exists", `{"realm":"master"}`, "already exists"},
		{"unknown group", `{"realm":"g1","users":[{"username":"u","groups":["/nope"]}]}`, "unable to find group"},
		{"unknown client role owner", `{"realm":"g2","users":[{"username":"u","clientRoles":{"nope":["r"]}}]}`, "client \"nope\" not found"},
		{"bad hash", `{"realm":"g3","users":[{"username":"u","credentials":[{"type":"password","secretData":"x","credentialData":"{}"}]}]}`, "malformed password credential"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := s.ImportRealm(strings.NewReader(tt.json))
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("err = %v, want it to contain %q", err, tt.wantErr)
			}
		})
	}
}

func TestImportHashes(t *testing.T) {
	t.Parallel()
	// pbkdf2-sha256 of "secret" with salt "salt" (base64 c2FsdA==), 1000
	// iterations, 32 bytes; pbkdf2-sha512 and pbkdf2 (sha1) likewise.
	realm := `{"realm":"hashes","users":[
	 {"username":"p256","enabled":true,"credentials":[{"type":"password","secretData":"{\"value\":\"qN+JnzxPIE2WfgrWPAkph8EAVeuwF7PZ0ordIY1Peq0=\",\"salt\":\"c2FsdA==\"}","credentialData":"{\"hashIterations\":1000,\"algorithm\":\"pbkdf2-sha256\"}"}]},
	 {"username":"p512","enabled":true,"credentials":[{"type":"password","secretData":"{\"value\":\"929yOBt18N6xwzkzSoyJdDZsrbxr9GRg+Xg2PejSENvM+npZCM/lDmFyv2vE17ct1I8dVDzkhzbaf3/PbbRnLA==\",\"salt\":\"c2FsdA==\"}","credentialData":"{\"hashIterations\":1000,\"algorithm\":\"pbkdf2-sha512\"}"}]},
	 {"username":"p1","enabled":true,"credentials":[{"type":"password","secretData":"{\"value\":\"+nurnv86BqUnHM+5tthyjQx6M00=\",\"salt\":\"c2FsdA==\"}","credentialData":"{\"hashIterations\":1000,\"algorithm\":\"pbkdf2\"}"}]}
	],"clients":[{"clientId":"c","publicClient":true,"directAccessGrantsEnabled":true}]}`
	s := kctest.Start(t, kctest.WithRealmJSON([]byte(realm)))
	for _, u := range []string{"p256", "p512", "p1"} {
		t.Run(u, func(t *testing.T) {
			t.Parallel()
			for pw, want := range map[string]int{"secret": 200, "wrong": 401} {
				r := postForm(t, oidcURL(s, "hashes", "token"), url.Values{"grant_type": {"password"}, "client_id": {"c"}, "username": {u}, "password": {pw}})
				if r.status != want {
					t.Errorf("password %q: status %d, want %d (%s)", pw, r.status, want, r.body)
				}
			}
		})
	}
}

func TestImportDemoFileTwice(t *testing.T) {
	t.Parallel()
	s := kctest.Start(t)
	b, err := os.ReadFile(demoRealmFile)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.ImportRealm(bytes.NewReader(b)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ImportRealmFile(demoRealmFile); err == nil {
		t.Error("second import succeeded")
	}
}
