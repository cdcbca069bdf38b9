package kctest_test

import (
	"encoding/json"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kcgo/kc/keycloak/kctest"
)

// TestFeatureOptions follows Keycloak's Profile.configure: a name alone
// picks the version Keycloak would (DEFAULT first), a versioned name picks
// that version, a versioned name cannot disable, two versions cannot both
// be on, and an unknown name is refused.
func TestFeatureOptions(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		opts    []kctest.Option
		on, off []string
		err     string
	}{
		{name: "defaults", on: []string{"admin-fine-grained-authz:v2", "organization", "token-exchange-standard"},
			off: []string{"admin-fine-grained-authz:v1", "workflows"}},
		{name: "v1", opts: []kctest.Option{kctest.WithFeatures("admin-fine-grained-authz:v1")},
			on: []string{"admin-fine-grained-authz:v1"}, off: []string{"admin-fine-grained-authz:v2"}},
		{name: "unversioned picks the default version", opts: []kctest.Option{kctest.WithFeatures("admin-fine-grained-authz")},
			on: []string{"admin-fine-grained-authz:v2"}},
		{name: "comma list", opts: []kctest.Option{kctest.WithFeatures("workflows, admin-fine-grained-authz:v1")},
			on: []string{"workflows", "admin-fine-grained-authz:v1"}},
		{name: "disabled", opts: []kctest.Option{kctest.WithFeaturesDisabled("organization", "admin-fine-grained-authz")},
			off: []string{"organization", "admin-fine-grained-authz"}},
		{name: "gocloak's docker-compose", opts: []kctest.Option{kctest.WithFeatures("preview,organization,admin-fine-grained-authz:v1")},
			on: []string{"admin-fine-grained-authz:v1", "organization"}},
		{name: "preview keeps the default version first", opts: []kctest.Option{kctest.WithFeatures("preview")},
			on: []string{"admin-fine-grained-authz:v2"}},
		{name: "unknown", opts: []kctest.Option{kctest.WithFeatures("no-such")}, err: `feature "no-such"`},
		{name: "versioned disable", opts: []kctest.Option{kctest.WithFeaturesDisabled("workflows:v1")}, err: "should not be disabled using a versioned key"},
		{name: "two versions", opts: []kctest.Option{kctest.WithFeatures("admin-fine-grained-authz:v1", "admin-fine-grained-authz:v2")}, err: "multiple versions"},
		{name: "both forms", opts: []kctest.Option{kctest.WithFeatures("admin-fine-grained-authz:v1"), kctest.WithFeaturesDisabled("admin-fine-grained-authz")}, err: "is not expected"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s, err := kctest.New(tt.opts...)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("New: %v, want an error with %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range tt.on {
				if !s.FeatureEnabled(f) {
					t.Errorf("%s is off", f)
				}
			}
			for _, f := range tt.off {
				if s.FeatureEnabled(f) {
					t.Errorf("%s is on", f)
				}
			}
		})
	}
}

// TestFeaturesOnTheWire: serverinfo reports the features
// (ServerInfoAdminResource: FeatureRepresentation per feature and
// profileInfo's lists); organizations of a server without the feature
// answer as Keycloak's OrganizationsResource does when there is no
// OrganizationProvider (Organizations.checkEnabled: 404 "Organizations not
// enabled for this realm."); the token-exchange grant without
// token-exchange-standard is unsupported (TokenEndpoint: no
// TokenExchangeGrantType).
func TestFeaturesOnTheWire(t *testing.T) {
	t.Parallel()
	s := kctest.Start(t, kctest.WithFeatures("workflows", "admin-fine-grained-authz:v1"),
		kctest.WithFeaturesDisabled("organization", "token-exchange-standard"))
	if _, err := s.AddRealm(kctest.Realm{Name: "acme"}); err != nil {
		t.Fatal(err)
	}
	tok := adminToken(t, s)
	var info struct {
		Features []struct {
			Name    string `json:"name"`
			Type    string `json:"type"`
			Enabled bool   `json:"enabled"`
		} `json:"features"`
		ProfileInfo struct {
			DisabledFeatures []string `json:"disabledFeatures"`
		} `json:"profileInfo"`
	}
	if err := json.Unmarshal(mustStatus(t, adminDo(t, s, tok, "GET", "/admin/serverinfo", ""), 200).body, &info); err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for _, f := range info.Features {
		got[f.Name] = f.Enabled
	}
	want := map[string]bool{"ADMIN_FINE_GRAINED_AUTHZ": true, "ADMIN_FINE_GRAINED_AUTHZ_V2": false, "ORGANIZATION": false,
		"TOKEN_EXCHANGE_STANDARD_V2": false, "WORKFLOWS": true}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("serverinfo features (-want +got):\n%s", diff)
	}
	slices.Sort(info.ProfileInfo.DisabledFeatures)
	if diff := cmp.Diff([]string{"ADMIN_FINE_GRAINED_AUTHZ_V2", "ORGANIZATION", "TOKEN_EXCHANGE_STANDARD_V2"}, info.ProfileInfo.DisabledFeatures); diff != "" {
		t.Errorf("disabledFeatures (-want +got):\n%s", diff)
	}
	wantBody(t, "organizations", adminDo(t, s, tok, "GET", "/admin/realms/acme/organizations", ""), 404, `{"errorMessage":"Organizations not enabled for this realm."}`)
	wantBody(t, "organizations without a token", adminDo(t, s, "", "GET", "/admin/realms/acme/organizations", ""), 401, `{"error":"HTTP 401 Unauthorized"}`)
	res := postForm(t, oidcURL(s, "master", "token"), url.Values{"grant_type": {"urn:ietf:params:oauth:grant-type:token-exchange"},
		"client_id": {"admin-cli"}, "subject_token": {tok}})
	if e := oauthErr(res); res.status != 400 || e.Error != "unsupported_grant_type" {
		t.Errorf("token exchange: %d %s", res.status, res.body)
	}
}
