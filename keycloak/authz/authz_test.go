package authz_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/kcgo/kc"
	"github.com/kcgo/kc/keycloak/authz"
	"github.com/kcgo/kc/keycloak/kctest"
)

var epoch = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

const photozFile = "../../testdata/realms/photoz-realm.json"

func start(t testing.TB) (*kctest.Server, *kctest.FakeClock) {
	t.Helper()
	clock := kctest.NewFakeClock(epoch)
	return kctest.Start(t, kctest.WithClock(clock.Now), kctest.WithRealmFile(photozFile)), clock
}

func newClient(t *testing.T, s *kctest.Server, opts ...kc.Option) *authz.Client {
	t.Helper()
	c, err := authz.New(s.URL, "photoz", "photoz-api", opts...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// userToken is a password-grant token of user (password = name) from the
// public client photoz-web, or from photoz-api when api is set.
func userToken(t *testing.T, s *kctest.Server, user string, api bool) kc.TokenSource {
	t.Helper()
	form := url.Values{"grant_type": {"password"}, "username": {user}, "password": {user}}
	if !api {
		form.Set("client_id", "photoz-web")
	}
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodPost, s.URL+"/realms/photoz/protocol/openid-connect/token", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if api {
		req.SetBasicAuth("photoz-api", "secret")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil || body.AccessToken == "" {
		t.Fatalf("token for %s: status %d, %v", user, resp.StatusCode, err)
	}
	return kc.StaticAccessToken(body.AccessToken)
}

func perms(ps []kc.GrantedPermission) []string {
	var out []string
	for _, p := range ps {
		sc := append([]string(nil), p.Scopes...)
		sort.Strings(sc)
		out = append(out, p.ResourceName+"#"+strings.Join(sc, ","))
	}
	sort.Strings(out)
	return out
}

func TestEntitlementDecisionPermissions(t *testing.T) {
	t.Parallel()
	s, _ := start(t)
	c := newClient(t, s)
	album := func(scopes ...string) []authz.Permission {
		return []authz.Permission{{Resource: "Album", Scopes: scopes}}
	}
	tests := []struct {
		user string
		req  *authz.Request
		want []string // nil: denied
	}{
		{"alice", &authz.Request{Permissions: album("album:view")}, []string{"Album#album:view"}},
		{"erin", &authz.Request{Permissions: album("album:view")}, nil},
		{"bob", &authz.Request{Permissions: album("album:create")}, []string{"Album#album:create"}},
		{"alice", &authz.Request{Permissions: album("album:delete")}, nil},
		{"carol", &authz.Request{Permissions: album()}, []string{"Album#album:delete,album:view"}},
		{"carol", &authz.Request{Permissions: []authz.Permission{{Resource: "Admin Console"}}}, []string{"Admin Console#admin:manage"}},
		{"dave", &authz.Request{Permissions: []authz.Permission{{Resource: "Admin Console"}}}, nil},
		{"alice", &authz.Request{Permissions: []authz.Permission{{Scopes: []string{"album:view"}}}}, []string{"Album#album:view"}},
		{"alice", nil, []string{"Album#album:view", "Public Page#"}},
		// Keycloak grants the request when any permission is granted.
		{"alice", &authz.Request{Permissions: []authz.Permission{{Resource: "Album", Scopes: []string{"album:view"}}, {Resource: "Admin Console"}}}, []string{"Album#album:view"}},
		{"alice", &authz.Request{Permissions: album("album:view"), Scope: "album:delete"}, []string{"Album#album:view"}},
	}
	for i, tt := range tests {
		t.Run(fmt.Sprintf("%d/%s", i, tt.user), func(t *testing.T) {
			t.Parallel()
			user := userToken(t, s, tt.user, false)
			ok, err := c.Decision(t.Context(), user, tt.req)
			if err != nil {
				t.Fatal(err)
			}
			if ok != (tt.want != nil) {
				t.Errorf("Decision = %v, want %v", ok, tt.want != nil)
			}
			got, err := c.Permissions(t.Context(), user, tt.req)
			if tt.want == nil {
				if !errors.Is(err, authz.ErrAccessDenied) || errors.Is(err, authz.ErrRequestSubmitted) {
					t.Errorf("Permissions err = %v, want ErrAccessDenied", err)
				}
				apiErr, ok := errors.AsType[*kc.APIError](err)
				if !ok || apiErr.StatusCode != 403 || apiErr.ErrorCode != "access_denied" || apiErr.ErrorDescription != "not_authorized" {
					t.Errorf("APIError = %+v", apiErr)
				}
				if _, err := c.Entitlement(t.Context(), user, tt.req); !errors.Is(err, authz.ErrAccessDenied) || !errors.Is(err, kc.ErrForbidden) {
					t.Errorf("Entitlement err = %v", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, perms(got)); diff != "" {
				t.Errorf("Permissions (-want +got):\n%s", diff)
			}
			tok, err := c.Entitlement(t.Context(), user, tt.req)
			if err != nil {
				t.Fatal(err)
			}
			rpt, err := authz.ParseRPTUnverified(tok.AccessToken)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, perms(rpt.Permissions)); diff != "" {
				t.Errorf("RPT (-want +got):\n%s", diff)
			}
			if rpt.Verified || tok.RefreshToken == "" || tok.Expiry.IsZero() || tok.Upgraded {
				t.Errorf("token = %v, verified %v", tok, rpt.Verified)
			}
		})
	}
}

func TestRPTAllows(t *testing.T) {
	t.Parallel()
	s, _ := start(t)
	c := newClient(t, s)
	tok, err := c.Entitlement(t.Context(), userToken(t, s, "carol", false), nil)
	if err != nil {
		t.Fatal(err)
	}
	rpt, err := authz.ParseRPTUnverified(tok.AccessToken)
	if err != nil {
		t.Fatal(err)
	}
	var albumID string
	for _, p := range rpt.Permissions {
		if p.ResourceName == "Album" {
			albumID = p.ResourceID
		}
	}
	tests := []struct {
		resource, scope string
		want            bool
	}{
		{"Album", "album:view", true},
		{albumID, "album:delete", true},
		{"Album", "album:create", false},
		{"Album", "", true},
		{"", "admin:manage", true},
		{"", "album:create", false},
		{"Unguarded", "", false},
	}
	for _, tt := range tests {
		if got := rpt.Allows(tt.resource, tt.scope); got != tt.want {
			t.Errorf("Allows(%q, %q) = %v, want %v", tt.resource, tt.scope, got, tt.want)
		}
	}
	if rpt.Claims["azp"] != "photoz-web" {
		t.Errorf("claims = %v", rpt.Claims)
	}
	// Claims verified elsewhere.
	payload := `{"sub":"x","authorization":{"permissions":[{"rsid":"1","rsname":"A","scopes":["s"]},{"resource_set_id":"2","resource_set_name":"B"}]}}`
	v, err := authz.RPTFromClaims([]byte(payload))
	if err != nil {
		t.Fatal(err)
	}
	if !v.Verified || !v.Allows("A", "s") || !v.Allows("B", "") || v.Allows("A", "t") {
		t.Errorf("RPTFromClaims = %+v", v)
	}
	var nilRPT *authz.RPT
	if nilRPT.Allows("A", "") {
		t.Error("nil RPT allows")
	}
	for _, bad := range []string{"", "a.b", "a.!!.c", "a." + "bnVsbA" + ".c"} {
		if _, err := authz.ParseRPTUnverified(bad); err == nil {
			t.Errorf("ParseRPTUnverified(%q): no error", bad)
		}
	}
}

func TestUpgradeRPT(t *testing.T) {
	t.Parallel()
	s, _ := start(t)
	c := newClient(t, s)
	user := userToken(t, s, "alice", false)
	first, err := c.Entitlement(t.Context(), user, &authz.Request{Permissions: []authz.Permission{{Resource: "Album", Scopes: []string{"album:view"}}}})
	if err != nil {
		t.Fatal(err)
	}
	second, err := c.UpgradeRPT(t.Context(), user, first.AccessToken, &authz.Request{Permissions: []authz.Permission{{Resource: "Public Page"}}})
	if err != nil {
		t.Fatal(err)
	}
	rpt, _ := authz.ParseRPTUnverified(second.AccessToken)
	if diff := cmp.Diff([]string{"Album#album:view", "Public Page#"}, perms(rpt.Permissions)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if !second.Upgraded {
		t.Error("Upgraded = false")
	}
	// Asking for something denied with an RPT fails as a whole.
	_, err = c.UpgradeRPT(t.Context(), user, first.AccessToken, &authz.Request{Permissions: []authz.Permission{{Resource: "Admin Console"}}})
	if !errors.Is(err, authz.ErrAccessDenied) {
		t.Errorf("upgrade with a denied permission: %v", err)
	}
}

func TestResponseOptions(t *testing.T) {
	t.Parallel()
	s, _ := start(t)
	c := newClient(t, s)
	user := userToken(t, s, "carol", false)
	got, err := c.Permissions(t.Context(), user, &authz.Request{PermissionsLimit: 1})
	if err != nil || len(got) != 1 {
		t.Fatalf("limit 1: %v, %v", got, err)
	}
	got, err = c.Permissions(t.Context(), user, &authz.Request{IncludeResourceName: kc.Ptr(false), Permissions: []authz.Permission{{Resource: "Public Page"}}})
	if err != nil || len(got) != 1 || got[0].ResourceName != "" || got[0].ResourceID == "" {
		t.Fatalf("without names: %+v, %v", got, err)
	}
}

func TestPushedClaims(t *testing.T) {
	t.Parallel()
	s, _ := start(t)
	c := newClient(t, s)
	req := &authz.Request{Permissions: []authz.Permission{{Resource: "Album", Scopes: []string{"album:view"}}},
		Claims: map[string][]string{"organization": {"acme"}, "ip": {"10.0.0.1"}}}
	got, err := c.Permissions(t.Context(), userToken(t, s, "alice", true), req)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[string][]string{"organization": {"acme"}, "ip": {"10.0.0.1"}}, got[0].Claims); diff != "" {
		t.Errorf("claims (-want +got):\n%s", diff)
	}
	// A public client may not push claims without a ticket.
	_, err = c.Permissions(t.Context(), userToken(t, s, "alice", false), req)
	apiErr, ok := errors.AsType[*kc.APIError](err)
	if !ok || apiErr.StatusCode != 403 || apiErr.ErrorCode != "invalid_grant" || apiErr.ErrorDescription != "Public clients are not allowed to send claims" {
		t.Errorf("public client: %v", err)
	}
}

func TestIntrospectRPT(t *testing.T) {
	t.Parallel()
	s, _ := start(t)
	c := newClient(t, s, authz.WithClientSecret("secret"))
	tok, err := c.Entitlement(t.Context(), userToken(t, s, "alice", false), &authz.Request{Permissions: []authz.Permission{{Resource: "Album", Scopes: []string{"album:view"}}}})
	if err != nil {
		t.Fatal(err)
	}
	in, err := c.IntrospectRPT(t.Context(), tok.AccessToken)
	if err != nil {
		t.Fatal(err)
	}
	if !in.Active || !in.Allows("Album", "album:view") || in.Allows("Album", "album:delete") || in.Expiry == 0 || len(in.Raw) == 0 {
		t.Errorf("introspection = %+v", in)
	}
	in, err = c.IntrospectRPT(t.Context(), "garbage")
	if err != nil || in.Active {
		t.Errorf("garbage: %+v, %v", in, err)
	}
	wrong := newClient(t, s, authz.WithClientSecret("wrong"))
	if _, err := wrong.IntrospectRPT(t.Context(), tok.AccessToken); !errors.Is(err, kc.ErrUnauthorized) {
		t.Errorf("wrong secret: %v", err)
	}
}

// TestTicketFlow: a resource server answers with a UMA challenge; the
// client turns it into an RPT request.
func TestTicketFlow(t *testing.T) {
	t.Parallel()
	s, clock := start(t)
	c := newClient(t, s)
	ticket := createTicket(t, s, "Album", "album:view")
	header := `UMA realm="photoz", as_uri="` + s.URL + `/realms/photoz", ticket="` + ticket + `"`
	ch, err := authz.ParseUMAChallenge(header)
	if err != nil {
		t.Fatal(err)
	}
	if ch.Realm != "photoz" || ch.ASURI != s.URL+"/realms/photoz" || ch.Ticket != ticket {
		t.Errorf("challenge = %+v", ch)
	}
	tok, err := c.RPTForTicket(t.Context(), userToken(t, s, "alice", false), ch.Ticket, nil)
	if err != nil {
		t.Fatal(err)
	}
	rpt, _ := authz.ParseRPTUnverified(tok.AccessToken)
	if !rpt.Allows("Album", "album:view") {
		t.Errorf("RPT = %+v", rpt.Permissions)
	}
	// Denied with a ticket: the request is submitted (Keycloak's default).
	_, err = c.RPTForTicket(t.Context(), userToken(t, s, "erin", false), ticket, nil)
	if !errors.Is(err, authz.ErrRequestSubmitted) || !errors.Is(err, authz.ErrAccessDenied) {
		t.Errorf("erin: %v", err)
	}
	_, err = c.RPTForTicket(t.Context(), userToken(t, s, "erin", false), ticket, &authz.Request{SubmitRequest: kc.Ptr(false)})
	if !errors.Is(err, authz.ErrAccessDenied) || errors.Is(err, authz.ErrRequestSubmitted) {
		t.Errorf("erin without submit: %v", err)
	}
	// An expired ticket.
	clock.Advance(time.Hour)
	_, err = c.RPTForTicket(t.Context(), userToken(t, s, "alice", false), ticket, nil)
	apiErr, ok := errors.AsType[*kc.APIError](err)
	if !ok || apiErr.StatusCode != 403 || apiErr.ErrorCode != "invalid_ticket" || apiErr.ErrorDescription != "Invalid permission ticket." {
		t.Errorf("expired ticket: %v", err)
	}
}

func TestParseUMAChallenge(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want *authz.Challenge
		err  string
	}{
		{`UMA realm="r",as_uri="https://kc/realms/r",ticket="t.k.n"`, &authz.Challenge{Realm: "r", ASURI: "https://kc/realms/r", Ticket: "t.k.n"}, ""},
		{`uma ticket=abc, realm=x`, &authz.Challenge{Realm: "x", Ticket: "abc"}, ""},
		{`Bearer realm="r"`, nil, `authz: challenge scheme is "Bearer", want UMA`},
		{`UMA realm="r"`, nil, "authz: UMA challenge has no ticket"},
		{"", nil, "authz: WWW-Authenticate header is empty"},
	}
	for _, tt := range tests {
		got, err := authz.ParseUMAChallenge(tt.in)
		if tt.err != "" {
			if err == nil || err.Error() != tt.err {
				t.Errorf("%q: err = %v, want %q", tt.in, err, tt.err)
			}
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%q (-want +got):\n%s", tt.in, diff)
		}
	}
}

// createTicket asks the Protection API for a ticket, with the resource
// server's PAT.
func createTicket(t *testing.T, s *kctest.Server, resource, scope string) string {
	t.Helper()
	pat := clientToken(t, s)
	body := fmt.Sprintf(`[{"resource_id":%q,"resource_scopes":[%q]}]`, resource, scope)
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodPost, s.URL+"/realms/photoz/authz/protection/permission", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+pat)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct{ Ticket string }
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || resp.StatusCode != http.StatusCreated {
		t.Fatalf("ticket: %d %v", resp.StatusCode, err)
	}
	return out.Ticket
}

func clientToken(t *testing.T, s *kctest.Server) string {
	t.Helper()
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodPost, s.URL+"/realms/photoz/protocol/openid-connect/token", strings.NewReader("grant_type=client_credentials"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth("photoz-api", "secret")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct {
		AccessToken string `json:"access_token"`
	}
	_ = json.NewDecoder(resp.Body).Decode(&out)
	return out.AccessToken
}

// TestGrantErrors covers the UMA grant's error rows (keycloak-server.md
// §5) that a client of this package can meet.
func TestGrantErrors(t *testing.T) {
	t.Parallel()
	s, _ := start(t)
	ctx := t.Context()
	alice := userToken(t, s, "alice", false)
	c := newClient(t, s)
	other, _ := authz.New(s.URL, "photoz", "nobody")
	notRS, _ := authz.New(s.URL, "photoz", "photoz-web")
	view := &authz.Request{Permissions: []authz.Permission{{Resource: "Album", Scopes: []string{"album:view"}}}}
	tests := []struct {
		name       string
		call       func() error
		status     int
		code, desc string
	}{
		{"invalid bearer", func() error { _, err := c.Entitlement(ctx, kc.StaticAccessToken("x.y.z"), view); return err },
			401, "invalid_grant", "Invalid bearer token"},
		{"unknown audience", func() error { _, err := other.Entitlement(ctx, alice, view); return err },
			400, "invalid_request", "Unknown resource server id: [nobody]"},
		{"not a resource server", func() error { _, err := notRS.Entitlement(ctx, alice, view); return err },
			400, "invalid_request", "Client does not support permissions"},
		{"unknown resource", func() error {
			_, err := c.Entitlement(ctx, alice, &authz.Request{Permissions: []authz.Permission{{Resource: "Nope"}}})
			return err
		}, 400, "invalid_resource", "Resource with id [Nope] does not exist."},
		{"unknown scopes", func() error {
			_, err := c.Entitlement(ctx, alice, &authz.Request{Permissions: []authz.Permission{{Resource: "Album", Scopes: []string{"x", "y"}}}})
			return err
		}, 400, "invalid_scope", "One of the given scopes [x, y] is invalid"},
		{"bad ticket", func() error { _, err := c.RPTForTicket(ctx, alice, "a.b.c", nil); return err },
			403, "invalid_ticket", "Ticket verification failed"},
		{"bad rpt", func() error { _, err := c.UpgradeRPT(ctx, alice, "a.b.c", nil); return err },
			403, "invalid_rpt", "RPT signature is invalid"},
		{"unknown claim format", func() error {
			_, err := c.Entitlement(ctx, userToken(t, s, "alice", true), &authz.Request{ClaimToken: "x", ClaimTokenFormat: "urn:x"})
			return err
		}, 400, "invalid_request", "Claim token format [urn:x] not supported"},
		{"decision keeps other errors", func() error { _, err := other.Decision(ctx, alice, view); return err },
			400, "invalid_request", "Unknown resource server id: [nobody]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := tt.call()
			apiErr, ok := errors.AsType[*kc.APIError](err)
			if !ok {
				t.Fatalf("err = %v, want *kc.APIError", err)
			}
			got := fmt.Sprintf("%d %s %s", apiErr.StatusCode, apiErr.ErrorCode, apiErr.ErrorDescription)
			if want := fmt.Sprintf("%d %s %s", tt.status, tt.code, tt.desc); got != want {
				t.Errorf("got %q, want %q", got, want)
			}
		})
	}
}

func TestBadInput(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("unexpected request %s %s", r.Method, r.URL)
		w.WriteHeader(http.StatusTeapot)
	}))
	defer srv.Close()
	c, err := authz.New(srv.URL, "r", "rs")
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	u := kc.StaticAccessToken("t")
	req := func(r authz.Request) *authz.Request { return &r }
	tests := []struct {
		name, want string
		call       func() error
	}{
		{"nil user", "authz: user token source is nil", func() error { _, err := c.Entitlement(ctx, nil, nil); return err }},
		{"nil context", "authz: nil context", func() error { _, err := c.Decision(nil, u, nil); return err }}, //lint:ignore SA1012 testing a nil context
		{"empty permission", "authz: permission 0 has neither resource nor scopes", func() error {
			_, err := c.Permissions(ctx, u, req(authz.Request{Permissions: []authz.Permission{{}}}))
			return err
		}},
		{"hash in resource", `authz: permission 0: resource "a#b" contains '#'`, func() error {
			_, err := c.Entitlement(ctx, u, req(authz.Request{Permissions: []authz.Permission{{Resource: "a#b"}}}))
			return err
		}},
		{"comma in scope", `authz: permission 1: scope "a,b" is empty or contains ',' or '#'`, func() error {
			_, err := c.Entitlement(ctx, u, req(authz.Request{Permissions: []authz.Permission{{Resource: "a"}, {Resource: "b", Scopes: []string{"a,b"}}}}))
			return err
		}},
		{"negative limit", "authz: PermissionsLimit is negative (-1)", func() error {
			_, err := c.Entitlement(ctx, u, req(authz.Request{PermissionsLimit: -1}))
			return err
		}},
		{"claims twice", "authz: both Claims and ClaimToken given", func() error {
			_, err := c.Entitlement(ctx, u, req(authz.Request{Claims: map[string][]string{"a": {"b"}}, ClaimToken: "x"}))
			return err
		}},
		{"format alone", "authz: ClaimTokenFormat without ClaimToken", func() error {
			_, err := c.Entitlement(ctx, u, req(authz.Request{ClaimTokenFormat: authz.ClaimTokenFormatJWT}))
			return err
		}},
		{"empty rpt", "authz: rpt is empty", func() error { _, err := c.UpgradeRPT(ctx, u, "", nil); return err }},
		{"empty ticket", "authz: ticket is empty", func() error { _, err := c.RPTForTicket(ctx, u, "", nil); return err }},
		{"introspect empty", "authz: rpt is empty", func() error { _, err := c.IntrospectRPT(ctx, ""); return err }},
		{"introspect without secret", "authz: IntrospectRPT needs the resource server's secret: give WithClientSecret to New", func() error {
			_, err := c.IntrospectRPT(ctx, "x")
			return err
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := tt.call()
			if err == nil || err.Error() != tt.want {
				t.Errorf("err = %v, want %q", err, tt.want)
			}
		})
	}
}

func TestNewErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, url, realm, client string
		opts                     []kc.Option
		want                     string
	}{
		{"realm", "http://kc", "", "c", nil, "authz: realm is empty"},
		{"client", "http://kc", "r", " ", nil, "authz: clientID is empty"},
		{"url", "kc", "r", "c", nil, "authz: serverURL"},
		{"secret", "http://kc", "r", "c", []kc.Option{authz.WithClientSecret("")}, "authz: WithClientSecret: secret is empty"},
		{"nil option", "http://kc", "r", "c", []kc.Option{nil}, "option 0 is nil"},
	}
	for _, tt := range tests {
		if _, err := authz.New(tt.url, tt.realm, tt.client, tt.opts...); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: err = %v, want %q", tt.name, err, tt.want)
		}
	}
	c, err := authz.New("http://kc", "r", "photoz-api")
	if err != nil || c.ClientID() != "photoz-api" {
		t.Errorf("New = %v, %v", c, err)
	}
}

func TestPermissionString(t *testing.T) {
	t.Parallel()
	for p, want := range map[*authz.Permission]string{
		{Resource: "a", Scopes: []string{"x", "y"}}: "a#x,y",
		{Resource: "a"}:         "a",
		{Scopes: []string{"x"}}: "#x",
	} {
		if got := p.String(); got != want {
			t.Errorf("%+v: %q, want %q", *p, got, want)
		}
	}
}

// TestDiscoveryOnce: concurrent first calls share one uma2-configuration
// request, and later calls make none.
func TestDiscoveryOnce(t *testing.T) {
	t.Parallel()
	s, _ := start(t)
	c := newClient(t, s)
	user := userToken(t, s, "alice", false)
	s.ResetRequests()
	errs := make(chan error)
	for range 10 {
		go func() { _, err := c.Decision(t.Context(), user, nil); errs <- err }()
	}
	for range 10 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	if n := s.RequestCount("", "/realms/photoz/.well-known/uma2-configuration"); n != 1 {
		t.Errorf("%d discovery requests, want 1", n)
	}
}

func TestCancellation(t *testing.T) {
	t.Parallel()
	s, _ := start(t)
	c := newClient(t, s, kc.WithoutRetry())
	user := userToken(t, s, "alice", false)
	s.InjectFault(kctest.Fault{Path: "/realms/photoz/.well-known/uma2-configuration", Latency: time.Hour, Times: 1})
	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	if _, err := c.Decision(ctx, user, nil); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("discovery: err = %v, want DeadlineExceeded", err)
	}
	// Discovery failed, so it is tried again, and succeeds.
	if _, err := c.Decision(t.Context(), user, nil); err != nil {
		t.Fatal(err)
	}
	s.InjectFault(kctest.Fault{Method: "POST", Path: "/realms/photoz/protocol/openid-connect/token", Latency: time.Hour})
	ctx2, cancel2 := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel2()
	began := time.Now()
	if _, err := c.Entitlement(ctx2, user, nil); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("grant: err = %v, want DeadlineExceeded", err)
	}
	if d := time.Since(began); d > 5*time.Second {
		t.Errorf("returned after %v", d)
	}
}

// TestLegacyAuthPath: a server under /auth (Keycloak 16 and older), given
// either as the server URL or with kc.WithLegacyAuthPath.
func TestLegacyAuthPath(t *testing.T) {
	t.Parallel()
	s := kctest.Start(t, kctest.WithBasePath("/auth"), kctest.WithRealmFile(photozFile))
	root := strings.TrimSuffix(s.URL, "/auth")
	for name, mk := range map[string]func() (*authz.Client, error){
		"url":    func() (*authz.Client, error) { return authz.New(s.URL, "photoz", "photoz-api") },
		"option": func() (*authz.Client, error) { return authz.New(root, "photoz", "photoz-api", kc.WithLegacyAuthPath()) },
	} {
		c, err := mk()
		if err != nil {
			t.Fatal(err)
		}
		ok, err := c.Decision(t.Context(), userToken(t, s, "alice", false), &authz.Request{Permissions: []authz.Permission{{Resource: "Album", Scopes: []string{"album:view"}}}})
		if err != nil || !ok {
			t.Errorf("%s: %v, %v", name, ok, err)
		}
	}
}

// TestPermissionResourceResolution pins how a Permission's Resource is
// resolved: by ID when it holds a '-', by resource type with a
// "resource-type...:" prefix, else by name.
// Keycloak: AuthorizationTokenService.createPermissions.
func TestPermissionResourceResolution(t *testing.T) {
	t.Parallel()
	s, _ := start(t)
	c := newClient(t, s)
	alice := userToken(t, s, "alice", false)
	byName, err := c.Permissions(t.Context(), alice, &authz.Request{Permissions: []authz.Permission{{Resource: "Album"}}})
	if err != nil || len(byName) != 1 || byName[0].ResourceName != "Album" || !strings.Contains(byName[0].ResourceID, "-") {
		t.Fatalf("by name: %v, %v", byName, err)
	}
	for _, tc := range []struct{ name, resource string }{
		{"by ID", byName[0].ResourceID},
		{"by the server's resource type", "resource-type:urn:photoz:album"},
		{"by any owner's resource type", "resource-type-any:urn:photoz:album"},
	} {
		got, err := c.Permissions(t.Context(), alice, &authz.Request{Permissions: []authz.Permission{{Resource: tc.resource}}})
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if diff := cmp.Diff(perms(byName), perms(got)); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tc.name, diff)
		}
	}
	// A type that only the server's resource has, asked for among the
	// requester's own resources, matches nothing.
	_, err = c.Permissions(t.Context(), alice, &authz.Request{Permissions: []authz.Permission{{Resource: "resource-type-owner:urn:photoz:album"}}})
	if !errors.Is(err, kc.ErrBadRequest) || !strings.Contains(err.Error(), "invalid_resource") {
		t.Errorf("resource-type-owner: err = %v, want 400 invalid_resource", err)
	}
}
