package kctest_test

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kcgo/kc/keycloak/kctest"
)

const (
	umaGrant = "urn:ietf:params:oauth:grant-type:uma-ticket"
	qsClient = "jakarta-servlet-authz-client"
)

// quickstart starts a server with the authorization quickstart realm.
func quickstart(t *testing.T) *kctest.Server {
	t.Helper()
	return kctest.Start(t, kctest.WithClock(kctest.NewFakeClock(epoch)),
		kctest.WithRealmFile(sampleFile(t, "quickstart-servlet-authz-realm.json")))
}

// qsUserToken signs u in to the quickstart client (password = username)
// and returns the access token.
func qsUserToken(t *testing.T, s *kctest.Server, u string) string {
	t.Helper()
	const redirect = "http://localhost:8080/jakarta-servlet-authz-client/cb"
	authURL := oidcURL(s, "quickstart", "auth") + "?" + url.Values{"client_id": {qsClient},
		"redirect_uri": {redirect}, "response_type": {"code"}, "scope": {"openid"}}.Encode()
	cb, err := s.Login(authURL, u, u)
	if err != nil {
		t.Fatal(err)
	}
	tok := token(t, s, "quickstart", url.Values{"grant_type": {"authorization_code"}, "code": {cb.Query().Get("code")},
		"redirect_uri": {redirect}}, "Authorization", basic(qsClient, "secret"))
	return tok["access_token"].(string)
}

func qsPAT(t *testing.T, s *kctest.Server) string {
	t.Helper()
	return token(t, s, "quickstart", url.Values{"grant_type": {"client_credentials"}},
		"Authorization", basic(qsClient, "secret"))["access_token"].(string)
}

func uma(t *testing.T, s *kctest.Server, realm, bearer string, form url.Values) result {
	t.Helper()
	form.Set("grant_type", umaGrant)
	var h []string
	if bearer != "" {
		h = []string{"Authorization", "Bearer " + bearer}
	}
	return postForm(t, oidcURL(s, realm, "token"), form, h...)
}

// permsOf returns "name#scope,scope" of an RPT's or a permissions
// answer's permissions, sorted.
func permsOf(t *testing.T, list any) []string {
	t.Helper()
	var out []string
	items, _ := list.([]any)
	for _, it := range items {
		m := it.(map[string]any)
		var scopes []string
		for _, sc := range asSlice(m["scopes"]) {
			scopes = append(scopes, sc.(string))
		}
		sort.Strings(scopes)
		name, _ := m["rsname"].(string)
		out = append(out, name+"#"+strings.Join(scopes, ","))
	}
	sort.Strings(out)
	return out
}

func asSlice(v any) []any { s, _ := v.([]any); return s }

func rptPerms(t *testing.T, rpt string) []string {
	t.Helper()
	cl := decodeClaims(t, rpt)
	az, _ := cl["authorization"].(map[string]any)
	return permsOf(t, az["permissions"])
}

func TestUMAQuickstartPolicies(t *testing.T) {
	t.Parallel()
	s := quickstart(t)
	tokens := map[string]string{}
	for _, u := range []string{"alice", "jdoe", "admin"} {
		tokens[u] = qsUserToken(t, s, u)
	}
	const (
		premium = "urn:servlet-authz:protected:premium:access"
		admin   = "urn:servlet-authz:protected:admin:access"
		user    = "urn:servlet-authz:protected:resource:access"
		pageP   = "urn:servlet-authz:page:main:actionForPremiumUser"
		pageA   = "urn:servlet-authz:page:main:actionForAdmin"
		pageU   = "urn:servlet-authz:page:main:actionForUser"
	)
	tests := []struct {
		user, permission string
		want             []string // nil: denied
	}{
		{"alice", "Premium Resource", nil},
		{"jdoe", "Premium Resource", []string{"Premium Resource#" + premium}},
		{"admin", "Premium Resource", nil},
		{"alice", "Admin Resource", nil},
		{"admin", "Admin Resource", []string{"Admin Resource#" + admin}},
		{"alice", "Protected Resource", []string{"Protected Resource#" + user}},
		{"alice", "Main Page", []string{"Main Page#" + pageU}},
		{"jdoe", "Main Page", []string{"Main Page#" + pageP + "," + pageU}},
		{"admin", "Main Page", []string{"Main Page#" + pageA + "," + pageU}},
		{"admin", "Main Page#" + pageP, nil},
		{"jdoe", "#" + pageP, []string{"Main Page#" + pageP}},
	}
	for _, tt := range tests {
		t.Run(tt.user+"/"+tt.permission, func(t *testing.T) {
			t.Parallel()
			r := uma(t, s, "quickstart", tokens[tt.user], url.Values{"audience": {qsClient}, "permission": {tt.permission}})
			if tt.want == nil {
				if r.status != http.StatusForbidden || r.str("error") != "access_denied" || r.str("error_description") != "not_authorized" {
					t.Fatalf("status %d body %s, want 403 access_denied not_authorized", r.status, r.body)
				}
				d := uma(t, s, "quickstart", tokens[tt.user], url.Values{"audience": {qsClient}, "permission": {tt.permission}, "response_mode": {"decision"}})
				if d.status != http.StatusForbidden {
					t.Errorf("decision: status %d body %s", d.status, d.body)
				}
				return
			}
			if r.status != http.StatusOK {
				t.Fatalf("status %d body %s", r.status, r.body)
			}
			if diff := cmp.Diff(tt.want, rptPerms(t, r.str("access_token"))); diff != "" {
				t.Errorf("RPT permissions (-want +got):\n%s", diff)
			}
			p := uma(t, s, "quickstart", tokens[tt.user], url.Values{"audience": {qsClient}, "permission": {tt.permission}, "response_mode": {"permissions"}})
			var list any
			_ = json.Unmarshal(p.body, &list)
			if diff := cmp.Diff(tt.want, permsOf(t, list)); diff != "" {
				t.Errorf("permissions mode (-want +got):\n%s", diff)
			}
			d := uma(t, s, "quickstart", tokens[tt.user], url.Values{"audience": {qsClient}, "permission": {tt.permission}, "response_mode": {"decision"}})
			if d.status != http.StatusOK || string(d.body) != `{"result":true}` {
				t.Errorf("decision: status %d body %s", d.status, d.body)
			}
		})
	}
}

// TestUMAAllPermissions asks without permission: every resource the user
// can reach.
func TestUMAAllPermissions(t *testing.T) {
	t.Parallel()
	s := quickstart(t)
	r := uma(t, s, "quickstart", qsUserToken(t, s, "jdoe"), url.Values{"audience": {qsClient}})
	if r.status != http.StatusOK {
		t.Fatalf("status %d body %s", r.status, r.body)
	}
	want := []string{
		"Main Page#urn:servlet-authz:page:main:actionForPremiumUser,urn:servlet-authz:page:main:actionForUser",
		"Premium Resource#urn:servlet-authz:protected:premium:access",
		"Protected Resource#urn:servlet-authz:protected:resource:access",
	}
	if diff := cmp.Diff(want, rptPerms(t, r.str("access_token"))); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	cl := decodeClaims(t, r.str("access_token"))
	if aud := cl["aud"]; aud != qsClient && !slices.Contains(asSlice(aud), any(qsClient)) {
		t.Errorf("aud = %v, want %s in it", aud, qsClient)
	}
	if r.str("refresh_token") == "" || r.json()["upgraded"] != false {
		t.Errorf("answer = %s", r.body)
	}
}

func b64json(v any) string {
	b, _ := json.Marshal(v)
	return base64.RawURLEncoding.EncodeToString(b)
}
