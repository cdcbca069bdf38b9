package kctest_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kcgo/kc/keycloak/kctest"
)

// TestUMAGrantErrors covers every error row of keycloak-server.md §5 as
// raw HTTP.
func TestUMAGrantErrors(t *testing.T) {
	t.Parallel()
	s, clock := photoz(t)
	alice := pzToken(t, s, "photoz-web", "alice")
	aliceAPI := pzToken(t, s, "photoz-api", "alice")
	pat := pzPAT(t, s)
	ticket := pzTicket(t, s, pat, `[{"resource_id":"Album","resource_scopes":["album:view"]}]`)
	apiAuth := []string{"Authorization", basic("photoz-api", "secret")}
	tests := []struct {
		name       string
		bearer     string
		form       url.Values
		header     []string
		status     int
		code, desc string
	}{
		{"invalid bearer", "x.y.z", url.Values{"audience": {"photoz-api"}}, nil, 401, "invalid_grant", "Invalid bearer token"},
		{"no audience", alice, url.Values{}, nil, 400, "invalid_request", "You must provide the issuedFor"},
		{"unknown audience", alice, url.Values{"audience": {"nobody"}}, nil, 400, "invalid_request", "Unknown resource server id: [nobody]"},
		{"not a resource server", alice, url.Values{"audience": {"photoz-web"}}, nil, 400, "invalid_request", "Client does not support permissions"},
		{"unknown resource", alice, url.Values{"audience": {"photoz-api"}, "permission": {"Nope#album:view"}}, nil, 400, "invalid_resource", "Resource with id [Nope] does not exist."},
		{"unknown scope", alice, url.Values{"audience": {"photoz-api"}, "permission": {"Album#fly"}}, nil, 400, "invalid_scope", "One of the given scopes [fly] is invalid"},
		{"bad ticket", alice, url.Values{"ticket": {"a.b.c"}}, nil, 403, "invalid_ticket", "Ticket verification failed"},
		{"bad rpt", alice, url.Values{"audience": {"photoz-api"}, "rpt": {"a.b.c"}}, nil, 403, "invalid_rpt", "RPT signature is invalid"},
		{"public client claims", alice, url.Values{"audience": {"photoz-api"}, "claim_token": {b64json(map[string]any{"a": []string{"b"}})},
			"claim_token_format": {"urn:ietf:params:oauth:token-type:jwt"}}, nil, 403, "invalid_grant", "Public clients are not allowed to send claims"},
		{"unknown claim format", aliceAPI, url.Values{"audience": {"photoz-api"}, "claim_token": {"x"}, "claim_token_format": {"urn:x"}}, nil,
			400, "invalid_request", "Claim token format [urn:x] not supported"},
		{"invalid claims", aliceAPI, url.Values{"audience": {"photoz-api"}, "claim_token": {"!!!"}, "claim_token_format": {"urn:ietf:params:oauth:token-type:jwt"}}, nil,
			400, "invalid_request", "Invalid claims"},
		{"invalid response mode", alice, url.Values{"audience": {"photoz-api"}, "permission": {"Album#album:view"}, "response_mode": {"nope"}}, nil,
			400, "invalid_request", "Invalid response_mode"},
		{"denied", alice, url.Values{"audience": {"photoz-api"}, "permission": {"Admin Console"}}, nil, 403, "access_denied", "not_authorized"},
		{"denied decision", alice, url.Values{"audience": {"photoz-api"}, "permission": {"Admin Console"}, "response_mode": {"decision"}}, nil, 403, "access_denied", "not_authorized"},
		{"denied with ticket", pzToken(t, s, "photoz-web", "erin"), url.Values{"ticket": {ticket}}, nil, 403, "access_denied", "request_submitted"},
		{"duplicated parameter", alice, url.Values{"audience": {"photoz-api"}, "ticket": {"a", "b"}}, nil, 400, "invalid_request", "duplicated parameter"},
		{"client auth failure", "", url.Values{"audience": {"photoz-api"}}, []string{"Authorization", basic("photoz-api", "wrong")}, 401, "unauthorized_client", "Invalid client or Invalid client credentials"},
		{"invalid subject token", "", url.Values{"audience": {"photoz-api"}, "subject_token": {"x.y.z"}}, apiAuth, 400, "unauthorized_client", "Invalid identity"},
		{"invalid id token claim", "", url.Values{"audience": {"photoz-api"}, "claim_token": {"x.y.z"}}, apiAuth, 400, "unauthorized_client", "Invalid signature"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			form := tt.form
			form.Set("grant_type", umaGrant)
			h := tt.header
			if tt.bearer != "" {
				h = append(h, "Authorization", "Bearer "+tt.bearer)
			}
			r := postForm(t, oidcURL(s, "photoz", "token"), form, h...)
			if r.status != tt.status || r.str("error") != tt.code || r.str("error_description") != tt.desc {
				t.Errorf("got %d %s, want %d %s %s", r.status, r.body, tt.status, tt.code, tt.desc)
			}
		})
	}
	// An expired ticket.
	clock.Advance(time.Hour)
	r := uma(t, s, "photoz", pzToken(t, s, "photoz-web", "alice"), url.Values{"ticket": {ticket}})
	if r.status != 403 || r.str("error") != "invalid_ticket" || r.str("error_description") != "Invalid permission ticket." {
		t.Errorf("expired ticket: %d %s", r.status, r.body)
	}
}

// TestUMAGrantIdentities: a confidential client asks for itself, or for a
// user given by subject_token or an ID token claim_token.
func TestUMAGrantIdentities(t *testing.T) {
	t.Parallel()
	s, _ := photoz(t)
	apiAuth := []string{"Authorization", basic("photoz-api", "secret")}
	// The client's own service account has no role: the Public Page is
	// denied, the permissions mode says so.
	r := postForm(t, oidcURL(s, "photoz", "token"), url.Values{"grant_type": {umaGrant}, "audience": {"photoz-api"}, "permission": {"Public Page"}}, apiAuth...)
	if r.status != 403 {
		t.Errorf("service account: %d %s", r.status, r.body)
	}
	alice := pzToken(t, s, "photoz-web", "alice")
	r = postForm(t, oidcURL(s, "photoz", "token"), url.Values{"grant_type": {umaGrant}, "audience": {"photoz-api"}, "permission": {"Public Page"},
		"subject_token": {alice}, "response_mode": {"permissions"}}, apiAuth...)
	if r.status != 200 || !strings.Contains(string(r.body), `"rsname":"Public Page"`) {
		t.Errorf("subject_token: %d %s", r.status, r.body)
	}
	idt := token(t, s, "photoz", url.Values{"grant_type": {"password"}, "client_id": {"photoz-web"}, "username": {"alice"}, "password": {"alice"}, "scope": {"openid"}})["id_token"].(string)
	r = postForm(t, oidcURL(s, "photoz", "token"), url.Values{"grant_type": {umaGrant}, "audience": {"photoz-api"}, "permission": {"Public Page"},
		"claim_token": {idt}, "response_mode": {"decision"}}, apiAuth...)
	if r.status != 200 || string(r.body) != `{"result":true}` {
		t.Errorf("ID token claim_token: %d %s", r.status, r.body)
	}
	// Pushed claims land in the permissions; a limit of 1 keeps one.
	r = postForm(t, oidcURL(s, "photoz", "token"), url.Values{"grant_type": {umaGrant}, "audience": {"photoz-api"},
		"claim_token": {b64json(map[string]any{"org": "acme", "n": []any{1, "x"}})}, "claim_token_format": {"urn:ietf:params:oauth:token-type:jwt"},
		"response_permissions_limit": {"1"}, "response_mode": {"permissions"}}, "Authorization", "Bearer "+pzToken(t, s, "photoz-api", "carol"))
	var list []map[string]any
	_ = json.Unmarshal(r.body, &list)
	if r.status != 200 || len(list) != 1 || !strings.Contains(string(r.body), `"claims":{"n":["1","x"],"org":["acme"]}`) {
		t.Errorf("claims and limit: %d %s", r.status, r.body)
	}
}

// TestUMAPermissionByURI: permission_resource_format=uri names the
// resource by its URI, with permission_resource_matching_uri by pattern.
func TestUMAPermissionByURI(t *testing.T) {
	t.Parallel()
	s, _ := photoz(t)
	alice := pzToken(t, s, "photoz-web", "alice")
	tests := []struct {
		permission, matching string
		status               int
		want                 []string
	}{
		{"/public", "", 200, []string{"Public Page#"}},
		{"/albums/7#album:view", "", 400, nil},
		{"/albums/7#album:view", "true", 200, []string{"Album#album:view"}},
	}
	for _, tt := range tests {
		f := url.Values{"audience": {"photoz-api"}, "permission": {tt.permission}, "permission_resource_format": {"uri"}}
		if tt.matching != "" {
			f.Set("permission_resource_matching_uri", tt.matching)
		}
		r := uma(t, s, "photoz", alice, f)
		if r.status != tt.status {
			t.Errorf("%s: %d %s", tt.permission, r.status, r.body)
			continue
		}
		if tt.want != nil && !slices.Equal(rptPerms(t, r.str("access_token")), tt.want) {
			t.Errorf("%s: %v", tt.permission, rptPerms(t, r.str("access_token")))
		}
	}
}

// TestRPTIntrospection: token_type_hint=requesting_party_token returns
// the permissions (keycloak-server.md §4.6).
func TestRPTIntrospection(t *testing.T) {
	t.Parallel()
	s, _ := photoz(t)
	r := uma(t, s, "photoz", pzToken(t, s, "photoz-web", "alice"), url.Values{"audience": {"photoz-api"}, "permission": {"Album#album:view"}})
	rpt := r.str("access_token")
	in := postForm(t, oidcURL(s, "photoz", "token/introspect"), url.Values{"token": {rpt}, "token_type_hint": {"requesting_party_token"}},
		"Authorization", basic("photoz-api", "secret"))
	body := in.json()
	if in.status != 200 || body["active"] != true {
		t.Fatalf("introspect: %d %s", in.status, in.body)
	}
	for _, k := range []string{"jti", "typ", "exp", "iat", "aud"} {
		if _, ok := body[k]; !ok {
			t.Errorf("no %s in %s", k, in.body)
		}
	}
	if _, ok := body["preferred_username"]; ok {
		t.Errorf("RPT introspection has user claims: %s", in.body)
	}
	perms := asSlice(body["permissions"])
	if len(perms) != 1 {
		t.Fatalf("permissions = %v", body["permissions"])
	}
	p := perms[0].(map[string]any)
	if p["rsname"] != "Album" || p["resource_id"] != p["rsid"] || len(asSlice(p["resource_scopes"])) != 1 {
		t.Errorf("permission = %v", p)
	}
	// Plain introspection of the RPT keeps the authorization claim.
	in = postForm(t, oidcURL(s, "photoz", "token/introspect"), url.Values{"token": {rpt}}, "Authorization", basic("photoz-api", "secret"))
	if _, ok := in.json()["authorization"]; !ok {
		t.Errorf("plain introspection: %s", in.body)
	}
}

// TestUMADiscoveryDocument checks the UMA endpoints of uma2-configuration.
func TestUMADiscoveryDocument(t *testing.T) {
	t.Parallel()
	s, _ := photoz(t)
	r := do(t, http.MethodGet, s.URL+"/realms/photoz/.well-known/uma2-configuration", nil)
	iss := s.URL + "/realms/photoz"
	for k, want := range map[string]string{
		"issuer": iss, "token_endpoint": iss + "/protocol/openid-connect/token",
		"resource_registration_endpoint": iss + "/authz/protection/resource_set",
		"permission_endpoint":            iss + "/authz/protection/permission",
		"policy_endpoint":                iss + "/authz/protection/uma-policy",
	} {
		if got := r.str(k); got != want {
			t.Errorf("%s = %q, want %q", k, got, want)
		}
	}
	if !strings.Contains(string(r.body), umaGrant) {
		t.Errorf("grant_types_supported lacks the UMA grant: %s", r.body)
	}
}

func pzTicket(t *testing.T, s *kctest.Server, pat, body string) string {
	t.Helper()
	r := do(t, http.MethodPost, s.URL+"/realms/photoz/authz/protection/permission", strings.NewReader(body),
		"Authorization", "Bearer "+pat, "Content-Type", "application/json")
	if r.status != http.StatusCreated {
		t.Fatalf("ticket: %d %s", r.status, r.body)
	}
	return r.str("ticket")
}

func anyJSON(b []byte) any {
	var v any
	_ = json.Unmarshal(b, &v)
	return v
}

// TestRPTRefresh: refreshing an RPT gives an RPT with the same
// permissions; a plain token's refresh stays plain.
func TestRPTRefresh(t *testing.T) {
	t.Parallel()
	s, _ := photoz(t)
	r := uma(t, s, "photoz", pzToken(t, s, "photoz-web", "alice"), url.Values{"audience": {"photoz-api"}, "permission": {"Album#album:view"}})
	if r.status != 200 || r.str("refresh_token") == "" {
		t.Fatalf("RPT: %d %s", r.status, r.body)
	}
	again := token(t, s, "photoz", url.Values{"grant_type": {"refresh_token"}, "client_id": {"photoz-web"}, "refresh_token": {r.str("refresh_token")}})
	if got := rptPerms(t, again["access_token"].(string)); !slices.Equal(got, []string{"Album#album:view"}) {
		t.Errorf("refreshed RPT permissions = %v", got)
	}
	cl := decodeClaims(t, again["access_token"].(string))
	if aud := cl["aud"]; aud != "photoz-api" && !slices.Contains(asSlice(aud), any("photoz-api")) {
		t.Errorf("refreshed RPT aud = %v", aud)
	}
	twice := token(t, s, "photoz", url.Values{"grant_type": {"refresh_token"}, "client_id": {"photoz-web"}, "refresh_token": {again["refresh_token"].(string)}})
	if got := rptPerms(t, twice["access_token"].(string)); !slices.Equal(got, []string{"Album#album:view"}) {
		t.Errorf("twice refreshed = %v", got)
	}
	plain := token(t, s, "photoz", url.Values{"grant_type": {"password"}, "client_id": {"photoz-web"}, "username": {"bob"}, "password": {"bob"}})
	p2 := token(t, s, "photoz", url.Values{"grant_type": {"refresh_token"}, "client_id": {"photoz-web"}, "refresh_token": {plain["refresh_token"].(string)}})
	if _, ok := decodeClaims(t, p2["access_token"].(string))["authorization"]; ok {
		t.Error("plain refresh got an authorization claim")
	}
}
