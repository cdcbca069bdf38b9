package kctest_test

import (
	"strings"
	"testing"

	"github.com/kcgo/kc/keycloak/kctest"
)

// TestRealmNameReservedChars pins RealmManager.importRealm's
// ReservedCharValidator.validate on the realm name: POST /admin/realms
// with "a/b" or "../x" answers 400 {"error":"Character '/' not allowed."}
// (a ReservedCharException reaching KeycloakErrorHandler), and an import
// fails the same way; nothing is created.
func TestRealmNameReservedChars(t *testing.T) {
	t.Parallel()
	s, _ := startDemo(t)
	tok := masterToken(t, s)
	for name, char := range map[string]string{"a/b": "/", "../x": "/", "x?y": "?", `a\b`: `\`, "a#": "#"} {
		body := `{"realm":` + strings.ReplaceAll(`"`+strings.ReplaceAll(name, `\`, `\\`)+`"`, "\n", "") + `,"enabled":true}`
		res := adminDo(t, s, tok, "POST", "/admin/realms", body)
		want := `{"error":"Character '` + strings.ReplaceAll(char, `\`, `\\`) + `' not allowed."}`
		if res.status != 400 || string(res.body) != want {
			t.Errorf("POST realm %q: %d %s, want 400 %s", name, res.status, res.body, want)
		}
		if _, err := s.ImportRealm(strings.NewReader(body)); err == nil || !strings.Contains(err.Error(), "Character '"+char+"' not allowed.") {
			t.Errorf("ImportRealm %q: %v", name, err)
		}
	}
	if res := adminDo(t, s, tok, "GET", "/admin/realms", ""); strings.Contains(string(res.body), `a/b`) {
		t.Errorf("a refused realm exists: %s", res.body)
	}
	// A rename through PUT: ErrorResponse.error in RealmAdminResource.updateRealm.
	res := adminDo(t, s, tok, "PUT", "/admin/realms/demo", `{"realm":"de/mo"}`)
	if res.status != 400 || string(res.body) != `{"errorMessage":"Character '/' not allowed."}` {
		t.Errorf("PUT realm de/mo: %d %s", res.status, res.body)
	}
	if _, err := kctest.New(kctest.WithRealmJSON([]byte(`{"realm":"a:b"}`))); err == nil {
		t.Error("New imported realm a:b")
	}
}
