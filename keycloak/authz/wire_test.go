package authz_test

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kcgo/kc"
	"github.com/kcgo/kc/keycloak/authz"
)

// TestWireForm checks the UMA grant's form parameters exactly.
func TestWireForm(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var got url.Values
	var auth string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/realms/r/.well-known/uma2-configuration":
			json.NewEncoder(w).Encode(map[string]string{"token_endpoint": "http://" + r.Host + "/token"})
		case "/token":
			r.ParseForm()
			mu.Lock()
			got, auth = r.PostForm, r.Header.Get("Authorization")
			mu.Unlock()
			w.Header().Set("Content-Type", "application/json")
			w.Write([]byte(`{"access_token":"a","token_type":"Bearer","expires_in":60,"upgraded":true}`))
		default:
			t.Errorf("unexpected %s", r.URL)
		}
	}))
	defer srv.Close()
	c, err := authz.New(srv.URL, "r", "rs")
	if err != nil {
		t.Fatal(err)
	}
	claims := base64.RawURLEncoding.EncodeToString([]byte(`{"org":["acme"]}`))
	tests := []struct {
		name string
		call func() error
		want url.Values
	}{
		{"entitlement", func() error {
			_, err := c.Entitlement(t.Context(), kc.StaticAccessToken("u"), &authz.Request{
				Permissions:         []authz.Permission{{Resource: "a b", Scopes: []string{"x", "y"}}, {Scopes: []string{"z"}}},
				Claims:              map[string][]string{"org": {"acme"}},
				IncludeResourceName: kc.Ptr(false), PermissionsLimit: 3, Scope: "s1 s2",
			})
			return err
		}, url.Values{"grant_type": {authz.GrantType}, "audience": {"rs"}, "permission": {"a b#x,y", "#z"},
			"claim_token": {claims}, "claim_token_format": {authz.ClaimTokenFormatJWT},
			"response_include_resource_name": {"false"}, "response_permissions_limit": {"3"}, "scope": {"s1 s2"}}},
		{"ticket", func() error {
			_, err := c.RPTForTicket(t.Context(), kc.StaticAccessToken("u"), "tk", &authz.Request{SubmitRequest: kc.Ptr(false), RPT: "old"})
			return err
		}, url.Values{"grant_type": {authz.GrantType}, "ticket": {"tk"}, "submit_request": {"false"}, "rpt": {"old"}}},
		{"decision", func() error {
			_, err := c.Decision(t.Context(), kc.StaticAccessToken("u"), &authz.Request{Audience: "other"})
			return err
		},
			url.Values{"grant_type": {authz.GrantType}, "audience": {"other"}, "response_mode": {"decision"}}},
		{"id token", func() error {
			_, err := c.Entitlement(t.Context(), kc.StaticAccessToken("u"), &authz.Request{ClaimToken: "idt", ClaimTokenFormat: authz.ClaimTokenFormatIDToken})
			return err
		}, url.Values{"grant_type": {authz.GrantType}, "audience": {"rs"}, "claim_token": {"idt"}, "claim_token_format": {authz.ClaimTokenFormatIDToken}}},
	}
	for _, tt := range tests {
		if err := tt.call(); err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		mu.Lock()
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%s form (-want +got):\n%s", tt.name, diff)
		}
		if auth != "Bearer u" {
			t.Errorf("%s: Authorization %q", tt.name, auth)
		}
		mu.Unlock()
	}
	tok, err := c.UpgradeRPT(t.Context(), kc.StaticAccessToken("u"), "old", nil)
	if err != nil || !tok.Upgraded || tok.AccessToken != "a" || tok.Expiry.IsZero() {
		t.Errorf("token = %v, %v", tok, err)
	}
}
