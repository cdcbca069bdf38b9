package uma_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/kcgo/kc"
	"github.com/kcgo/kc/keycloak/kctest"
	"github.com/kcgo/kc/keycloak/uma"
)

func TestConfiguration(t *testing.T) {
	t.Parallel()
	s, _ := start(t)
	c := newClient(t, s)
	conf, err := c.Configuration(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	base := s.URL + "/realms/photoz"
	want := map[string]string{
		"issuer":                         base,
		"token_endpoint":                 base + "/protocol/openid-connect/token",
		"resource_registration_endpoint": base + "/authz/protection/resource_set",
		"permission_endpoint":            base + "/authz/protection/permission",
		"policy_endpoint":                base + "/authz/protection/uma-policy",
	}
	got := map[string]string{
		"issuer": conf.Issuer, "token_endpoint": conf.TokenEndpoint,
		"resource_registration_endpoint": conf.ResourceRegistrationEndpoint,
		"permission_endpoint":            conf.PermissionEndpoint, "policy_endpoint": conf.PolicyEndpoint,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	// Discovery happens once, however many calls.
	s.ResetRequests()
	for range 3 {
		if _, err := c.ListResourceIDs(t.Context(), nil); err != nil {
			t.Fatal(err)
		}
	}
	if n := s.RequestCount("", "/realms/photoz/.well-known/uma2-configuration"); n != 0 {
		t.Errorf("uma2-configuration fetched %d more times", n)
	}
}

func TestResourceLifecycle(t *testing.T) {
	t.Parallel()
	s, _ := start(t)
	c := newClient(t, s)
	ctx := t.Context()
	created, err := c.CreateResource(ctx, uma.Resource{
		Name: "Holiday 2026", DisplayName: "Holiday", Type: "urn:photoz:album", URIs: []string{"/albums/holiday"},
		IconURI: "https://icons.example/h.png", Scopes: []uma.Scope{{Name: "photo:see"}, {Name: "album:share"}},
		Attributes: map[string][]string{"color": {"blue"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if created.ID == "" || created.Owner == nil || created.Owner.Name != "photoz-api" {
		t.Fatalf("created = %+v", created)
	}
	got, err := c.GetResource(ctx, created.ID)
	if err != nil {
		t.Fatal(err)
	}
	opts := cmpopts.IgnoreFields(uma.Scope{}, "ID")
	want := uma.Resource{ID: created.ID, Name: "Holiday 2026", DisplayName: "Holiday", Type: "urn:photoz:album",
		URIs: []string{"/albums/holiday"}, IconURI: "https://icons.example/h.png",
		Scopes: []uma.Scope{{Name: "photo:see"}, {Name: "album:share"}}, Owner: created.Owner,
		Attributes: map[string][]string{"color": {"blue"}}}
	if diff := cmp.Diff(want, *got, opts); diff != "" {
		t.Errorf("GetResource (-want +got):\n%s", diff)
	}
	// A new scope was created on the fly and has an id, which the create
	// answer shows; a GET names the scopes only, as Keycloak's
	// UmaResourceRepresentation(Resource) does.
	if slices.ContainsFunc(created.Scopes, func(s uma.Scope) bool { return s.ID == "" }) {
		t.Errorf("created scopes without id: %+v", created.Scopes)
	}

	got.Name = "Holiday 2026 (edited)"
	got.Scopes = got.Scopes[:1]
	if err := c.UpdateResource(ctx, created.ID, *got); err != nil {
		t.Fatal(err)
	}
	again, err := c.GetResource(ctx, created.ID)
	if err != nil {
		t.Fatal(err)
	}
	if again.Name != "Holiday 2026 (edited)" || len(again.Scopes) != 1 || again.Scopes[0].Name != "photo:see" {
		t.Errorf("after update = %+v", again)
	}

	if _, err := c.CreateResource(ctx, uma.Resource{Name: "Album"}); !errors.Is(err, kc.ErrConflict) {
		t.Errorf("duplicate name: err = %v, want ErrConflict", err)
	}
	if err := c.DeleteResource(ctx, created.ID); err != nil {
		t.Fatal(err)
	}
	for name, call := range map[string]func() error{
		"get":    func() error { _, err := c.GetResource(ctx, created.ID); return err },
		"update": func() error { return c.UpdateResource(ctx, created.ID, *again) },
		"delete": func() error { return c.DeleteResource(ctx, created.ID) },
	} {
		if err := call(); !errors.Is(err, kc.ErrNotFound) {
			t.Errorf("%s after delete: err = %v, want ErrNotFound", name, err)
		}
	}
}

func TestResourceOwnedByUser(t *testing.T) {
	t.Parallel()
	s, _ := start(t)
	c := newClient(t, s)
	aliceID, _ := s.UserID("photoz", "alice")
	for _, owner := range []uma.Owner{{Name: "alice"}, {ID: aliceID}} {
		res, err := c.CreateResource(t.Context(), uma.Resource{Name: "Alice's album " + owner.Name, Owner: &owner, OwnerManagedAccess: true})
		if err != nil {
			t.Fatal(err)
		}
		if res.Owner.ID != aliceID || res.Owner.Name != "alice" || !res.OwnerManagedAccess {
			t.Errorf("owner %+v: resource = %+v", owner, res)
		}
	}
}

func TestListResources(t *testing.T) {
	t.Parallel()
	s, _ := start(t)
	c := newClient(t, s)
	ctx := t.Context()
	for i := range 7 {
		if _, err := c.CreateResource(ctx, uma.Resource{Name: fmt.Sprintf("Photo %d", i), Type: "urn:photoz:photo",
			URIs: []string{fmt.Sprintf("/photos/%d", i)}, Scopes: []uma.Scope{{Name: "photo:view"}}}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := c.CreateResource(ctx, uma.Resource{Name: "Alice photo", Owner: &uma.Owner{Name: "alice"}}); err != nil {
		t.Fatal(err)
	}
	names := func(rs []uma.Resource) []string {
		var out []string
		for _, r := range rs {
			out = append(out, r.Name)
		}
		sort.Strings(out)
		return out
	}
	tests := []struct {
		name string
		q    *uma.ResourceQuery
		want []string
	}{
		{"type", &uma.ResourceQuery{Type: "urn:photoz:photo", Max: 2}, []string{"Photo 0", "Photo 1"}},
		{"partial name", &uma.ResourceQuery{Name: "photo 6"}, []string{"Photo 6"}},
		{"exact name", &uma.ResourceQuery{Name: "Photo", ExactName: true}, nil},
		{"uri", &uma.ResourceQuery{URI: "/photos/3"}, []string{"Photo 3"}},
		{"matching uri", &uma.ResourceQuery{URI: "/albums/7/photos", MatchingURI: true}, []string{"Album"}},
		{"legacy uri", &uma.ResourceQuery{URI: "/public"}, []string{"Public Page"}},
		{"owner", &uma.ResourceQuery{Owner: "alice"}, []string{"Alice photo"}},
		{"scope", &uma.ResourceQuery{Scope: "admin:manage"}, []string{"Admin Console"}},
		{"unknown scope", &uma.ResourceQuery{Scope: "nope"}, nil},
		{"first", &uma.ResourceQuery{Type: "urn:photoz:photo", First: 5}, []string{"Photo 5", "Photo 6"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rs, err := c.ListResources(t.Context(), tt.q)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, names(rs)); diff != "" {
				t.Errorf("ListResources (-want +got):\n%s", diff)
			}
			ids, err := c.ListResourceIDs(t.Context(), tt.q)
			if err != nil {
				t.Fatal(err)
			}
			if len(ids) != len(tt.want) {
				t.Errorf("ListResourceIDs = %v, want %d ids", ids, len(tt.want))
			}
		})
	}

	t.Run("iterator", func(t *testing.T) {
		t.Parallel()
		var got []uma.Resource
		for r, err := range c.Resources(t.Context(), &uma.ResourceQuery{Type: "urn:photoz:photo", Max: 3}) {
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, r)
		}
		want := []string{"Photo 0", "Photo 1", "Photo 2", "Photo 3", "Photo 4", "Photo 5", "Photo 6"}
		if diff := cmp.Diff(want, names(got)); diff != "" {
			t.Errorf("(-want +got):\n%s", diff)
		}
		// 7 resources in pages of 3: 3 + 3 + 1.
		pages := 0
		for _, r := range s.Requests() {
			if r.Method == http.MethodGet && strings.HasSuffix(r.Path, "/resource_set") && strings.Contains(r.Query, "max=3") {
				pages++
			}
		}
		if pages != 3 {
			t.Errorf("%d page requests, want 3", pages)
		}
		// Stopping early stops fetching.
		n := 0
		for range c.Resources(t.Context(), &uma.ResourceQuery{Max: 1}) {
			n++
			if n == 2 {
				break
			}
		}
		if n != 2 {
			t.Errorf("early break: %d", n)
		}
	})
}

// TestDecodeSpellings checks that both Keycloak's and UMA's field names
// decode, and that unknown fields survive a round trip.
func TestDecodeSpellings(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in string
		want     uma.Resource
	}{
		{"protection api", `{"_id":"1","name":"a","uris":["/a"],"resource_scopes":[{"id":"s1","name":"view"}],"icon_uri":"i","owner":{"id":"o","name":"bob"},"ownerManagedAccess":true}`,
			uma.Resource{ID: "1", Name: "a", URIs: []string{"/a"}, Scopes: []uma.Scope{{ID: "s1", Name: "view"}}, IconURI: "i", Owner: &uma.Owner{ID: "o", Name: "bob"}, OwnerManagedAccess: true}},
		{"admin and legacy", `{"id":"2","name":"b","uri":"/b","scopes":["view","edit"],"iconUri":"j","owner":"alice"}`,
			uma.Resource{ID: "2", Name: "b", URIs: []string{"/b"}, Scopes: []uma.Scope{{Name: "view"}, {Name: "edit"}}, IconURI: "j", Owner: &uma.Owner{ID: "alice"}}},
		{"unknown fields", `{"name":"c","newField":{"x":1}}`,
			uma.Resource{Name: "c", Extra: map[string]json.RawMessage{"newField": json.RawMessage(`{"x":1}`)}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var got uma.Resource
			if err := json.Unmarshal([]byte(tt.in), &got); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
	var r uma.Resource
	_ = json.Unmarshal([]byte(`{"name":"c","newField":{"x":1},"owner":{"id":"o"}}`), &r)
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `"newField":{"x":1}`) || !strings.Contains(string(b), `"owner":"o"`) {
		t.Errorf("encoded %s", b)
	}
	if err := json.Unmarshal([]byte(`{"name":5}`), &r); err == nil {
		t.Error("bad name type: no error")
	}
}

// TestUMAFlow is the whole UMA story: the resource server registers a
// user's resource with its PAT, a requester is denied and leaves a
// request, the owner approves it, the requester gets access; and a
// user-managed policy grants another user.
func TestUMAFlow(t *testing.T) {
	t.Parallel()
	s, _ := start(t)
	ctx := t.Context()
	rs := newClient(t, s)
	alice := userToken(t, s, "alice")
	bob := userToken(t, s, "bob")

	res, err := rs.CreateResource(ctx, uma.Resource{Name: "Alice's holiday", Owner: &uma.Owner{Name: "alice"}, OwnerManagedAccess: true,
		Scopes: []uma.Scope{{Name: "photo:see"}, {Name: "photo:remove"}}})
	if err != nil {
		t.Fatal(err)
	}
	ticket, err := rs.CreateTicket(ctx, uma.PermissionRequest{ResourceID: res.ID, Scopes: []string{"photo:see"}})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Count(ticket, ".") != 2 {
		t.Fatalf("ticket %q is not a JWT", ticket)
	}
	// Bob asks with the ticket: denied, request recorded.
	if code := umaGrant(t, s, bob, "ticket", ticket); code != "request_submitted" {
		t.Fatalf("bob with ticket: %q, want request_submitted", code)
	}
	pending, err := rs.WithTokenSource(alice).ListPermissionTickets(ctx, &uma.TicketQuery{ResourceID: res.ID, Granted: kc.Ptr(false), ReturnNames: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(pending) != 1 || pending[0].RequesterName != "bob" || pending[0].ScopeName != "photo:see" || pending[0].Granted {
		t.Fatalf("pending = %+v", pending)
	}
	if n, err := rs.CountPermissionTickets(ctx, &uma.TicketQuery{Requester: "bob"}); err != nil || n != 1 {
		t.Errorf("count = %d, %v", n, err)
	}
	if err := rs.WithTokenSource(alice).ApprovePermissionTicket(ctx, pending[0].ID); err != nil {
		t.Fatal(err)
	}
	if code := umaGrant(t, s, bob, "ticket", ticket); code != "" {
		t.Fatalf("bob after approval: %q", code)
	}
	// Revoking the permission denies again.
	if err := rs.WithTokenSource(alice).DeletePermissionTicket(ctx, pending[0].ID); err != nil {
		t.Fatal(err)
	}
	if code := umaGrant(t, s, bob, "permission", res.ID+"#photo:see"); code != "not_authorized" {
		t.Errorf("after revocation: %q", code)
	}

	// The owner grants directly, and through a user-managed policy.
	tk, err := rs.WithTokenSource(alice).CreatePermissionTicket(ctx, uma.PermissionTicket{Resource: res.ID, RequesterName: "bob", ScopeName: "photo:remove", Granted: true})
	if err != nil {
		t.Fatal(err)
	}
	if !tk.Granted || tk.ID == "" {
		t.Errorf("ticket = %+v", tk)
	}
	if code := umaGrant(t, s, bob, "permission", res.ID+"#photo:remove"); code != "" {
		t.Errorf("bob delete after direct grant: %q", code)
	}
	if err := rs.WithTokenSource(alice).UpdatePermissionTicket(ctx, uma.PermissionTicket{ID: tk.ID, Granted: false}); err != nil {
		t.Fatal(err)
	}
	if code := umaGrant(t, s, bob, "permission", res.ID+"#photo:remove"); code != "not_authorized" {
		t.Errorf("bob delete after un-granting: %q", code)
	}

	carol := userToken(t, s, "carol")
	if code := umaGrant(t, s, carol, "permission", res.ID+"#photo:see"); code != "not_authorized" {
		t.Errorf("carol before policy: %q", code)
	}
	pol, err := rs.CreatePolicy(ctx, alice, res.ID, uma.Policy{Name: "Carol may view", Scopes: []string{"photo:see"}, Users: []string{"carol"}})
	if err != nil {
		t.Fatal(err)
	}
	if pol.ID == "" || pol.Type != "uma" || pol.Owner == "" {
		t.Errorf("policy = %+v", pol)
	}
	if code := umaGrant(t, s, carol, "permission", res.ID+"#photo:see"); code != "" {
		t.Errorf("carol with policy: %q", code)
	}
	if code := umaGrant(t, s, carol, "permission", res.ID+"#photo:remove"); code != "not_authorized" {
		t.Errorf("carol delete (policy is view only): %q", code)
	}
	list, err := rs.ListPolicies(ctx, alice, &uma.PolicyQuery{Resource: res.ID})
	if err != nil || len(list) != 1 || list[0].Name != "Carol may view" {
		t.Fatalf("ListPolicies = %+v, %v", list, err)
	}
	pol.Users = []string{"dave"}
	if err := rs.UpdatePolicy(ctx, alice, pol.ID, *pol); err != nil {
		t.Fatal(err)
	}
	got, err := rs.GetPolicy(ctx, alice, pol.ID)
	if err != nil || !slices.Equal(got.Users, []string{"dave"}) {
		t.Fatalf("GetPolicy = %+v, %v", got, err)
	}
	if code := umaGrant(t, s, carol, "permission", res.ID+"#photo:see"); code != "not_authorized" {
		t.Errorf("carol after policy update: %q", code)
	}
	if err := rs.DeletePolicy(ctx, alice, pol.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := rs.GetPolicy(ctx, alice, pol.ID); !errors.Is(err, kc.ErrNotFound) {
		t.Errorf("GetPolicy after delete: %v", err)
	}
	// Bob is not the owner: Keycloak refuses him the owner's calls.
	if _, err := rs.CreatePolicy(ctx, bob, res.ID, uma.Policy{Name: "x"}); !errors.Is(err, kc.ErrBadRequest) {
		t.Errorf("CreatePolicy by non-owner: %v", err)
	}
	if _, err := rs.WithTokenSource(bob).CreatePermissionTicket(ctx, uma.PermissionTicket{Resource: res.ID, RequesterName: "carol", ScopeName: "photo:see"}); !errors.Is(err, kc.ErrForbidden) {
		t.Errorf("CreatePermissionTicket by non-owner: %v", err)
	}
}

// umaGrant runs the UMA grant for user with one extra parameter and
// returns "" on success or the error description.
func umaGrant(t *testing.T, s *kctest.Server, user kc.TokenSource, k, v string) string {
	t.Helper()
	tok, err := user.Token(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	form := "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Auma-ticket&audience=photoz-api&" + k + "=" + urlEscape(v)
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodPost, s.URL+"/realms/photoz/protocol/openid-connect/token", strings.NewReader(form))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body struct {
		Error            string `json:"error"`
		ErrorDescription string `json:"error_description"`
	}
	_ = json.NewDecoder(resp.Body).Decode(&body)
	if resp.StatusCode == http.StatusOK {
		return ""
	}
	return body.ErrorDescription
}

func urlEscape(s string) string {
	r := strings.NewReplacer("#", "%23", "&", "%26", "+", "%2B", " ", "+", ",", "%2C")
	return r.Replace(s)
}

// TestProtectionErrors covers the Protection API's error answers as the
// package returns them (keycloak-server.md §6).
func TestProtectionErrors(t *testing.T) {
	t.Parallel()
	s, _ := start(t)
	ctx := t.Context()
	good := newClient(t, s)
	aliceAsPAT, _ := uma.New(s.URL, "photoz", "photoz-api", uma.WithPAT(userToken(t, s, "alice")))
	badToken, _ := uma.New(s.URL, "photoz", "photoz-api", uma.WithPAT(kc.StaticAccessToken("not-a-token")))
	wrongSecret, _ := uma.New(s.URL, "photoz", "photoz-api", uma.WithClientSecret("wrong"))
	tests := []struct {
		name       string
		call       func() error
		status     int
		code, desc string
	}{
		{"no uma_protection", func() error { _, err := aliceAsPAT.ListResourceIDs(ctx, nil); return err },
			403, "invalid_scope", "Requires uma_protection scope."},
		{"invalid bearer", func() error { _, err := badToken.ListResourceIDs(ctx, nil); return err },
			403, "invalid_bearer_token", "Could not obtain bearer access_token from request."},
		{"wrong secret", func() error { _, err := wrongSecret.ListResourceIDs(ctx, nil); return err },
			401, "unauthorized_client", "Invalid client or Invalid client credentials"},
		{"unknown resource in ticket", func() error { _, err := good.CreateTicket(ctx, uma.PermissionRequest{ResourceID: "nope"}); return err },
			400, "invalid_resource_id", "Resource set with id [nope] does not exists in this server."},
		{"unknown scope in ticket", func() error {
			_, err := good.CreateTicket(ctx, uma.PermissionRequest{ResourceID: "Album", Scopes: []string{"album:fly"}})
			return err
		}, 400, "invalid_scope", "Scope [album:fly] is invalid"},
		{"ticket without owner-managed access", func() error {
			_, err := good.CreatePermissionTicket(ctx, uma.PermissionTicket{Resource: mustID(t, good, "Album"), RequesterName: "bob", ScopeName: "photo:see"})
			return err
		}, 400, "invalid_permission", "permissions for [" + mustID(t, good, "Album") + "] can be only created for resources with owner managed access"},
		{"unknown ticket update", func() error { return good.ApprovePermissionTicket(ctx, "nope") }, 400, "invalid_request", "invalid_ticket"},
		{"unknown ticket delete", func() error { return good.DeletePermissionTicket(ctx, "nope") }, 400, "invalid_request", "invalid_ticket"},
		{"policy on unknown resource", func() error {
			_, err := good.CreatePolicy(ctx, userToken(t, s, "alice"), "nope", uma.Policy{Name: "p"})
			return err
		}, 400, "invalid_request", "Resource [nope] cannot be found"},
		{"policy on server resource", func() error {
			_, err := good.CreatePolicy(ctx, userToken(t, s, "alice"), mustID(t, good, "Album"), uma.Policy{Name: "p"})
			return err
		}, 400, "invalid_request", "Only resource owner can access policies for resource [" + mustID(t, good, "Album") + "]"},
		{"unknown policy", func() error { _, err := good.GetPolicy(ctx, userToken(t, s, "alice"), "nope"); return err },
			404, "invalid_request", "Policy with [nope] does not exist"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.call()
			apiErr, ok := errors.AsType[*kc.APIError](err)
			if !ok {
				t.Fatalf("err = %v, want *kc.APIError", err)
			}
			got := fmt.Sprintf("%d %s %s", apiErr.StatusCode, apiErr.ErrorCode, apiErr.ErrorDescription)
			if want := fmt.Sprintf("%d %s %s", tt.status, tt.code, tt.desc); got != want {
				t.Errorf("got %q, want %q", got, want)
			}
			if strings.Contains(err.Error(), "wrong") { // the wrong secret
				t.Errorf("error shows a secret: %v", err)
			}
		})
	}
}

func mustID(t *testing.T, c *uma.Client, name string) string {
	t.Helper()
	ids, err := c.ListResourceIDs(t.Context(), &uma.ResourceQuery{Name: name, ExactName: true})
	if err != nil || len(ids) != 1 {
		t.Fatalf("resource %q: %v, %v", name, ids, err)
	}
	return ids[0]
}

// TestPATSource checks that the PAT is cached, refreshed when it nears
// expiry, and fetched once for concurrent callers.
func TestPATSource(t *testing.T) {
	t.Parallel()
	s, clock := start(t)
	c := newClient(t, s)
	ctx := t.Context()
	countTokens := func() int { return s.RequestCount("", "/realms/photoz/protocol/openid-connect/token") }
	done := make(chan error)
	for range 8 {
		go func() { _, err := c.ListResourceIDs(ctx, nil); done <- err }()
	}
	for range 8 {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
	if n := countTokens(); n != 1 {
		t.Errorf("%d token requests for 8 concurrent calls, want 1", n)
	}
	if _, err := c.PAT().Token(ctx); err != nil {
		t.Fatal(err)
	}
	// The server's clock moves past the PAT's expiry while the client's
	// does not: Keycloak answers 403 invalid_bearer_token, and the client
	// gets a new PAT and tries once more.
	clock.Advance(2 * time.Hour)
	if _, err := c.ListResourceIDs(ctx, nil); err != nil {
		t.Fatalf("after server-side expiry: %v", err)
	}
	if n := countTokens(); n != 2 {
		t.Errorf("%d token requests after expiry, want 2", n)
	}
	tok1, err := c.PAT().Token(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if tok1.Expiry.IsZero() {
		t.Fatal("PAT has no expiry")
	}
	// An invalidated token is replaced.
	c.PAT().(kc.TokenInvalidator).InvalidateToken(tok1)
	tok2, err := c.PAT().Token(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if tok2 == tok1 || countTokens() != 3 {
		t.Errorf("after invalidation: same token %v, %d token requests", tok2 == tok1, countTokens())
	}
}

// TestBadInput checks that bad arguments fail before anything is sent.
func TestBadInput(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("unexpected request %s %s", r.Method, r.URL)
		w.WriteHeader(http.StatusTeapot)
	}))
	defer srv.Close()
	c, err := uma.New(srv.URL, "r", "rs", uma.WithPAT(kc.StaticAccessToken("t")))
	if err != nil {
		t.Fatal(err)
	}
	noPAT, _ := uma.New(srv.URL, "r", "rs")
	ctx := t.Context()
	owner := kc.StaticAccessToken("o")
	tests := []struct {
		name, want string
		call       func() error
	}{
		{"empty resource name", "uma: resource name is empty", func() error { _, err := c.CreateResource(ctx, uma.Resource{Name: " "}); return err }},
		{"empty id get", "uma: resourceID is empty", func() error { _, err := c.GetResource(ctx, ""); return err }},
		{"dot id", `uma: resourceID ".." is not allowed`, func() error { _, err := c.GetResource(ctx, ".."); return err }},
		{"empty id update", "uma: resourceID is empty", func() error { return c.UpdateResource(ctx, "", uma.Resource{Name: "a"}) }},
		{"empty name update", "uma: resource name is empty", func() error { return c.UpdateResource(ctx, "x", uma.Resource{}) }},
		{"empty id delete", "uma: resourceID is empty", func() error { return c.DeleteResource(ctx, "") }},
		{"negative max", "uma: ResourceQuery: First and Max must not be negative", func() error { _, err := c.ListResources(ctx, &uma.ResourceQuery{Max: -1}); return err }},
		{"negative first ids", "uma: ResourceQuery: First and Max must not be negative", func() error { _, err := c.ListResourceIDs(ctx, &uma.ResourceQuery{First: -1}); return err }},
		{"no permission request", "uma: no permission request", func() error { _, err := c.CreateTicket(ctx); return err }},
		{"empty resource id", "uma: permission request 0: ResourceID is empty", func() error { _, err := c.CreateTicket(ctx, uma.PermissionRequest{}); return err }},
		{"ticket without resource", "uma: permission ticket Resource is empty", func() error { _, err := c.CreatePermissionTicket(ctx, uma.PermissionTicket{}); return err }},
		{"ticket without requester", "uma: permission ticket Requester and RequesterName are empty", func() error {
			_, err := c.CreatePermissionTicket(ctx, uma.PermissionTicket{Resource: "r", Scope: "s"})
			return err
		}},
		{"ticket without scope", "uma: permission ticket Scope and ScopeName are empty", func() error {
			_, err := c.CreatePermissionTicket(ctx, uma.PermissionTicket{Resource: "r", Requester: "u"})
			return err
		}},
		{"ticket with id", "uma: permission ticket ID must be empty on create", func() error {
			_, err := c.CreatePermissionTicket(ctx, uma.PermissionTicket{ID: "x", Resource: "r", Requester: "u", Scope: "s"})
			return err
		}},
		{"ticket query", "uma: TicketQuery: First and Max must not be negative", func() error { _, err := c.ListPermissionTickets(ctx, &uma.TicketQuery{Max: -2}); return err }},
		{"ticket count", "uma: TicketQuery: First and Max must not be negative", func() error { _, err := c.CountPermissionTickets(ctx, &uma.TicketQuery{First: -2}); return err }},
		{"update ticket id", "uma: permission ticket ID is empty", func() error { return c.UpdatePermissionTicket(ctx, uma.PermissionTicket{}) }},
		{"approve id", "uma: ticketID is empty", func() error { return c.ApprovePermissionTicket(ctx, "") }},
		{"delete ticket id", "uma: ticketID is empty", func() error { return c.DeletePermissionTicket(ctx, "") }},
		{"policy owner", "uma: ownerToken is nil", func() error { _, err := c.CreatePolicy(ctx, nil, "r", uma.Policy{Name: "p"}); return err }},
		{"policy resource", "uma: resourceID is empty", func() error { _, err := c.CreatePolicy(ctx, owner, "", uma.Policy{Name: "p"}); return err }},
		{"policy name", "uma: policy name is empty", func() error { _, err := c.CreatePolicy(ctx, owner, "r", uma.Policy{}); return err }},
		{"policy list", "uma: PolicyQuery: First and Max must not be negative", func() error { _, err := c.ListPolicies(ctx, owner, &uma.PolicyQuery{Max: -1}); return err }},
		{"policy get", "uma: policyID is empty", func() error { _, err := c.GetPolicy(ctx, owner, ""); return err }},
		{"policy update", "uma: policyID is empty", func() error { return c.UpdatePolicy(ctx, owner, "", uma.Policy{Name: "p"}) }},
		{"policy update name", "uma: policy name is empty", func() error { return c.UpdatePolicy(ctx, owner, "p", uma.Policy{}) }},
		{"policy delete", "uma: ownerToken is nil", func() error { return c.DeletePolicy(ctx, nil, "p") }},
		{"no PAT", "uma: no PAT: give WithClientSecret or WithPAT to New", func() error { _, err := noPAT.ListResourceIDs(ctx, nil); return err }},
		{"nil context", "uma: nil context", func() error { _, err := c.GetResource(nil, "x"); return err }}, //lint:ignore SA1012 testing a nil context
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
		name, url, realm, clientID string
		opts                       []kc.Option
		want                       string
	}{
		{"empty realm", "http://kc", " ", "c", nil, "uma: realm is empty"},
		{"bad url", "ftp://kc", "r", "c", nil, `uma: serverURL "ftp://kc": scheme must be http or https`},
		{"empty client id", "http://kc", "r", " ", []kc.Option{uma.WithClientSecret("s")}, "uma: clientID is empty"},
		{"empty secret", "http://kc", "r", "c", []kc.Option{uma.WithClientSecret("")}, "uma: WithClientSecret: secret is empty"},
		{"nil PAT", "http://kc", "r", "c", []kc.Option{uma.WithPAT(nil)}, "uma: WithPAT: token source is nil"},
		{"both", "http://kc", "r", "c", []kc.Option{uma.WithPAT(kc.StaticAccessToken("t")), uma.WithClientSecret("s")}, "uma: WithClientSecret and WithPAT both given"},
		{"both, other order", "http://kc", "r", "c", []kc.Option{uma.WithClientSecret("s"), uma.WithPAT(kc.StaticAccessToken("t"))}, "uma: WithClientSecret and WithPAT both given"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := uma.New(tt.url, tt.realm, tt.clientID, tt.opts...)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want %q", err, tt.want)
			}
			if err != nil && strings.Contains(err.Error(), "secret") && strings.Contains(err.Error(), "s3cr") {
				t.Errorf("error shows a secret: %v", err)
			}
		})
	}
}

// TestCancellation checks that a call returns when its context ends,
// while the server is slow.
func TestCancellation(t *testing.T) {
	t.Parallel()
	s, _ := start(t)
	c := newClient(t, s, kc.WithoutRetry())
	if _, err := c.ListResourceIDs(t.Context(), nil); err != nil { // discovery and PAT first
		t.Fatal(err)
	}
	s.InjectFault(kctest.Fault{Path: "/realms/photoz/authz/protection/*", Latency: time.Hour})
	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	startT := time.Now()
	_, err := c.ListResources(ctx, nil)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v, want DeadlineExceeded", err)
	}
	if d := time.Since(startT); d > 5*time.Second {
		t.Errorf("returned after %v", d)
	}
	// Discovery and the PAT honour the context too.
	fresh := newClient(t, s, kc.WithoutRetry())
	s.InjectFault(kctest.Fault{Path: "/realms/photoz/.well-known/uma2-configuration", Latency: time.Hour})
	ctx2, cancel2 := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel2()
	if _, err := fresh.Configuration(ctx2); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("discovery: err = %v, want DeadlineExceeded", err)
	}
}
