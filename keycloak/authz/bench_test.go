package authz_test

import (
	"testing"

	"github.com/kcgo/kc/keycloak/authz"
)

// BenchmarkDecision measures one decision request against kctest (the
// UMA grant with response_mode=decision, discovery already done).
func BenchmarkDecision(b *testing.B) {
	s, _ := start(b)
	c, err := authz.New(s.URL, "photoz", "photoz-api")
	if err != nil {
		b.Fatal(err)
	}
	user := passwordToken(s.URL, "alice")
	req := &authz.Request{Permissions: []authz.Permission{{Resource: "Album", Scopes: []string{"album:view"}}}}
	for b.Loop() {
		if ok, err := c.Decision(b.Context(), user, req); err != nil || !ok {
			b.Fatal(ok, err)
		}
	}
}

// BenchmarkParseRPTUnverified measures reading an RPT's permissions.
func BenchmarkParseRPTUnverified(b *testing.B) {
	s, _ := start(b)
	c, _ := authz.New(s.URL, "photoz", "photoz-api")
	tok, err := c.Entitlement(b.Context(), passwordToken(s.URL, "carol"), nil)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		rpt, err := authz.ParseRPTUnverified(tok.AccessToken)
		if err != nil || !rpt.Allows("Album", "album:view") {
			b.Fatal(err)
		}
	}
}
