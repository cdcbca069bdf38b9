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
	return kctest.Start(t, kctest.WithClock(kctest.NewFakeClock(epoch).Now),
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

const photozFile = "../../testdata/realms/photoz-realm.json"

func photoz(t *testing.T, opts ...kctest.Option) (*kctest.Server, *kctest.FakeClock) {
	t.Helper()
	clock := kctest.NewFakeClock(epoch)
	return kctest.Start(t, append([]kctest.Option{kctest.WithClock(clock.Now), kctest.WithRealmFile(photozFile)}, opts...)...), clock
}

// pzToken is a password-grant access token of user through client
// (photoz-web is public; photoz-api has the secret "secret").
func pzToken(t *testing.T, s *kctest.Server, client, user string) string {
	t.Helper()
	f := url.Values{"grant_type": {"password"}, "username": {user}, "password": {user}}
	var h []string
	if client == "photoz-api" {
		h = []string{"Authorization", basic("photoz-api", "secret")}
	} else {
		f.Set("client_id", client)
	}
	return token(t, s, "photoz", f, h...)["access_token"].(string)
}

func pzPAT(t *testing.T, s *kctest.Server) string {
	t.Helper()
	return token(t, s, "photoz", url.Values{"grant_type": {"client_credentials"}},
		"Authorization", basic("photoz-api", "secret"))["access_token"].(string)
}

// TestUMAPolicyTypes covers role (required too), user (negative), group
// (with children), client and aggregate policies under the affirmative,
// unanimous and consensus strategies.
func TestUMAPolicyTypes(t *testing.T) {
	t.Parallel()
	s, _ := photoz(t)
	tests := []struct {
		client, user, permission string
		want                     []string // nil: denied
	}{
		{"photoz-web", "alice", "Album#album:view", []string{"Album#album:view"}},
		{"photoz-web", "erin", "Album#album:view", nil},                                        // no role
		{"photoz-web", "bob", "Album#album:create", []string{"Album#album:create"}},            // premium (required) and photoz-web
		{"photoz-api", "bob", "Album#album:create", nil},                                       // unanimous: not through photoz-web
		{"photoz-web", "alice", "Album#album:create", nil},                                     // not premium
		{"photoz-web", "alice", "Album#album:delete", nil},                                     // consensus 1 of 3
		{"photoz-web", "carol", "Album#album:delete", []string{"Album#album:delete"}},          // admin + user
		{"photoz-web", "dave", "Album#album:delete", []string{"Album#album:delete"}},           // editor (child group) + user
		{"photoz-web", "carol", "Admin Console", []string{"Admin Console#admin:manage"}},       // admin, not dave
		{"photoz-web", "dave", "Admin Console", nil},                                           // negative user policy
		{"photoz-web", "alice", "Public Page", []string{"Public Page#"}},                       // aggregate
		{"photoz-web", "erin", "Public Page", nil},                                             //
		{"photoz-web", "carol", "Unguarded", nil},                                              // enforcing: no permission
		{"photoz-web", "alice", "Album", []string{"Album#album:view"}},                         // all scopes asked, some granted
		{"photoz-web", "carol", "Album", []string{"Album#album:delete,album:view"}},            //
		{"photoz-web", "alice", "Album#album:view,album:create", []string{"Album#album:view"}}, // partial
	}
	for _, tt := range tests {
		t.Run(tt.client+"/"+tt.user+"/"+tt.permission, func(t *testing.T) {
			t.Parallel()
			r := uma(t, s, "photoz", pzToken(t, s, tt.client, tt.user), url.Values{"audience": {"photoz-api"}, "permission": {tt.permission}})
			if tt.want == nil {
				if r.status != http.StatusForbidden || r.str("error_description") != "not_authorized" {
					t.Fatalf("status %d body %s, want 403 not_authorized", r.status, r.body)
				}
				return
			}
			if r.status != http.StatusOK {
				t.Fatalf("status %d body %s", r.status, r.body)
			}
			if diff := cmp.Diff(tt.want, rptPerms(t, r.str("access_token"))); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// TestUMAEnforcementModes switches the resource server's mode and
// decision strategy through the Admin REST API.
func TestUMAEnforcementModes(t *testing.T) {
	t.Parallel()
	s, _ := photoz(t)
	admin := token(t, s, "master", url.Values{"grant_type": {"password"}, "client_id": {"admin-cli"}, "username": {"admin"}, "password": {"admin"}})["access_token"].(string)
	rsURL := adminRSURL(t, s, admin, "photoz", "photoz-api")
	set := func(mode, strategy string) {
		t.Helper()
		r := do(t, http.MethodPut, rsURL, strings.NewReader(`{"allowRemoteResourceManagement":true,"policyEnforcementMode":"`+mode+`","decisionStrategy":"`+strategy+`"}`),
			"Authorization", "Bearer "+admin, "Content-Type", "application/json")
		if r.status != http.StatusNoContent {
			t.Fatalf("PUT resource server: %d %s", r.status, r.body)
		}
	}
	ask := func(user, perm string) []string {
		t.Helper()
		r := uma(t, s, "photoz", pzToken(t, s, "photoz-web", user), url.Values{"audience": {"photoz-api"}, "permission": {perm}})
		if r.status == http.StatusForbidden {
			return nil
		}
		if r.status != http.StatusOK {
			t.Fatalf("status %d body %s", r.status, r.body)
		}
		return rptPerms(t, r.str("access_token"))
	}
	if got := ask("carol", "Unguarded"); got != nil {
		t.Errorf("enforcing, no permission: got %v, want denied", got)
	}
	set("PERMISSIVE", "UNANIMOUS")
	if diff := cmp.Diff([]string{"Unguarded#"}, ask("carol", "Unguarded")); diff != "" {
		t.Errorf("permissive (-want +got):\n%s", diff)
	}
	if got := ask("erin", "Album#album:view"); got != nil {
		t.Errorf("permissive with a denying permission: got %v, want denied", got)
	}
	set("DISABLED", "UNANIMOUS")
	if diff := cmp.Diff([]string{"Album#album:create,album:delete,album:view"}, ask("erin", "Album")); diff != "" {
		t.Errorf("disabled (-want +got):\n%s", diff)
	}
	// Affirmative at the resource server: a scope granted by one permission
	// and denied by none is granted either way; check the settings read back.
	set("ENFORCING", "AFFIRMATIVE")
	r := do(t, http.MethodGet, rsURL, nil, "Authorization", "Bearer "+admin)
	if r.str("policyEnforcementMode") != "ENFORCING" || r.str("decisionStrategy") != "AFFIRMATIVE" {
		t.Errorf("GET resource server = %s", r.body)
	}
	if diff := cmp.Diff([]string{"Album#album:view"}, ask("alice", "Album")); diff != "" {
		t.Errorf("affirmative (-want +got):\n%s", diff)
	}
}

// adminRSURL returns the admin URL of clientID's resource server.
func adminRSURL(t *testing.T, s *kctest.Server, admin, realm, clientID string) string {
	t.Helper()
	id, err := s.ResourceServerID(realm, clientID)
	if err != nil {
		t.Fatal(err)
	}
	return s.URL + "/admin/realms/" + realm + "/clients/" + id + "/authz/resource-server"
}
