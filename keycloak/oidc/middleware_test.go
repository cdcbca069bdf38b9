package oidc_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/kcgo/kc"
	"github.com/kcgo/kc/keycloak/kctest"
	"github.com/kcgo/kc/keycloak/oidc"
)

// shop is a kctest server with realm "shop": the resource server
// orders-api (client roles reader and viewer), the public client web, ann
// (realm role buyer, orders-api reader), bob (orders-api viewer) and carol
// (no role); realm "other" has web and ann too.
func shop(t *testing.T) (*kctest.Server, *kctest.FakeClock) {
	t.Helper()
	clock := kctest.NewFakeClock(time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC))
	s := kctest.Start(t, kctest.WithClock(clock.Now))
	must := func(_ string, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(s.AddRealm(kctest.Realm{Name: "shop"}))
	must(s.AddRealm(kctest.Realm{Name: "other"}))
	must(s.AddRealmRole("shop", kctest.Role{Name: "buyer"}))
	must(s.AddClient("shop", kctest.Client{ClientID: "orders-api", BearerOnly: true}))
	must(s.AddClientRole("shop", "orders-api", kctest.Role{Name: "reader"}))
	must(s.AddClient("shop", kctest.Client{ClientID: "web", Public: true}))
	must(s.AddClient("other", kctest.Client{ClientID: "web", Public: true}))
	must(s.AddUser("shop", kctest.User{Username: "ann", Password: "pw", RealmRoles: []string{"buyer"},
		ClientRoles: map[string][]string{"orders-api": {"reader"}}}))
	must(s.AddUser("shop", kctest.User{Username: "bob", Password: "pw",
		ClientRoles: map[string][]string{"orders-api": {"viewer"}}}))
	must(s.AddUser("shop", kctest.User{Username: "carol", Password: "pw"}))
	must(s.AddUser("other", kctest.User{Username: "ann", Password: "pw"}))
	return s, clock
}

func userToken(t *testing.T, s *kctest.Server, clock *kctest.FakeClock, realm, user string, opts ...oidc.CallOption) string {
	t.Helper()
	c, err := oidc.New(s.URL, realm, "web", oidc.WithClock(clock.Now))
	if err != nil {
		t.Fatal(err)
	}
	tok, err := c.Password(t.Context(), user, "pw", opts...)
	if err != nil {
		t.Fatal(err)
	}
	return tok.AccessToken
}

// Keycloak access tokens name the resource server in aud when the user has
// one of its client roles (Keycloak: AudienceResolveProtocolMapper), so the
// verifier's audience is orders-api.
func TestMiddleware(t *testing.T) {
	t.Parallel()
	s, clock := shop(t)
	app, err := oidc.New(s.URL, "shop", "orders-api", oidc.WithClock(clock.Now),
		kc.WithRetry(1, time.Millisecond, time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	v, err := app.Verifier(oidc.VerifierConfig{})
	if err != nil {
		t.Fatal(err)
	}
	ann := userToken(t, s, clock, "shop", "ann")
	annPhone := userToken(t, s, clock, "shop", "ann", oidc.Scope("phone"))
	bob := userToken(t, s, clock, "shop", "bob")
	carol := userToken(t, s, clock, "shop", "carol")
	stranger := userToken(t, s, clock, "other", "ann")
	tampered := ann[:len(ann)-4] + "AAAA"
	if tampered == ann {
		tampered = ann[:len(ann)-4] + "BBBB"
	}

	// The protected handler answers with the user the middleware verified.
	hello := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, ok := oidc.ClaimsFromContext(r.Context())
		if !ok {
			t.Error("no claims in the context")
			return
		}
		io.WriteString(w, "hello "+c.PreferredUsername)
	})
	route := func(opts ...oidc.MiddlewareOption) http.Handler {
		mw, err := v.Middleware(opts...)
		if err != nil {
			t.Fatal(err)
		}
		return mw(hello)
	}
	mux := http.NewServeMux()
	mux.Handle("/any", route())
	mux.Handle("/buyers", route(oidc.RequireRealmRoles("buyer")))
	mux.Handle("/readers", route(oidc.RequireClientRoles("orders-api", "reader"), oidc.RequireRealmRoles("buyer")))
	mux.Handle("/phone", route(oidc.RequireScopes("email", "phone")))
	api := httptest.NewServer(mux)
	defer api.Close()

	type answer struct {
		Status    int
		Challenge string
		Body      string
	}
	ok := func(user string) answer { return answer{200, "", "hello " + user} }
	const (
		invalidToken = `Bearer error="invalid_token"`
		insufficient = `Bearer error="insufficient_scope"`
	)
	refused := func(status int, challenge string) answer {
		return answer{status, challenge, http.StatusText(status) + "\n"}
	}
	for _, tc := range []struct {
		name   string
		path   string
		header []string // Authorization headers
		query  string
		want   answer
	}{
		{"valid", "/any", []string{"Bearer " + ann}, "", ok("ann")},
		{"scheme is case-insensitive", "/any", []string{"bearer " + ann}, "", ok("ann")},
		{"realm role", "/buyers", []string{"Bearer " + ann}, "", ok("ann")},
		{"client and realm roles", "/readers", []string{"Bearer " + ann}, "", ok("ann")},
		{"scopes", "/phone", []string{"Bearer " + annPhone}, "", ok("ann")},
		{"no header", "/any", nil, "", refused(401, "Bearer")},
		{"other scheme", "/any", []string{"Basic d2ViOnB3"}, "", refused(401, "Bearer")},
		// RFC 6750 §2.1 only: a token in the query is not looked at.
		{"query token", "/any", nil, "?access_token=" + ann, refused(401, "Bearer")},
		{"empty bearer", "/any", []string{"Bearer "}, "", refused(400, `Bearer error="invalid_request"`)},
		{"two headers", "/any", []string{"Bearer " + ann, "Bearer " + ann}, "", refused(400, `Bearer error="invalid_request"`)},
		{"not a b64token", "/any", []string{"Bearer a,b"}, "", refused(401, invalidToken)},
		{"not a JWT", "/any", []string{"Bearer abc"}, "", refused(401, invalidToken)},
		{"bad signature", "/any", []string{"Bearer " + tampered}, "", refused(401, invalidToken)},
		{"other realm", "/any", []string{"Bearer " + stranger}, "", refused(401, invalidToken)},
		{"missing realm role", "/buyers", []string{"Bearer " + bob}, "", refused(403, insufficient)},
		{"missing client role", "/readers", []string{"Bearer " + bob}, "", refused(403, insufficient)},
		{"missing scope", "/phone", []string{"Bearer " + ann}, "", refused(403, insufficient)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := call(t, api.URL+tc.path+tc.query, tc.header)
			if diff := cmp.Diff(tc.want, answer{got.status, got.challenge, got.body}); diff != "" {
				t.Errorf("answer (-want +got):\n%s", diff)
			}
			if got.status != 200 && got.cacheControl != "no-store" {
				t.Errorf("Cache-Control = %q, want no-store", got.cacheControl)
			}
		})
	}

	// carol has no role of orders-api, so it is not in her token's aud:
	// the token is not for this API.
	if got := call(t, api.URL+"/any", []string{"Bearer " + carol}); got.status != 401 || got.challenge != invalidToken {
		t.Errorf("carol's token (no orders-api audience): %d %q, want 401 invalid_token", got.status, got.challenge)
	}

	// Access tokens live 5 minutes.
	clock.Advance(5*time.Minute + time.Second)
	if got := call(t, api.URL+"/any", []string{"Bearer " + ann}); got.status != 401 || got.challenge != invalidToken {
		t.Errorf("expired token: %d %q, want 401 invalid_token", got.status, got.challenge)
	}
}

type answerOf struct {
	status                        int
	challenge, cacheControl, body string
}

func call(t *testing.T, u string, authorization []string) answerOf {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range authorization {
		req.Header.Add("Authorization", h)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return answerOf{resp.StatusCode, resp.Header.Get("WWW-Authenticate"), resp.Header.Get("Cache-Control"), string(b)}
}

// The keys cannot be fetched: the token may be valid, so the answer is 503,
// not 401; a replaced error handler sees why.
func TestMiddlewareJWKSDown(t *testing.T) {
	t.Parallel()
	s, clock := shop(t)
	app, err := oidc.New(s.URL, "shop", "orders-api", oidc.WithClock(clock.Now), kc.WithoutRetry())
	if err != nil {
		t.Fatal(err)
	}
	v, err := app.Verifier(oidc.VerifierConfig{})
	if err != nil {
		t.Fatal(err)
	}
	ann := userToken(t, s, clock, "shop", "ann")
	s.InjectFault(kctest.Fault{Path: "/realms/shop/protocol/openid-connect/certs", Status: 500, Times: 1})

	var seen []error
	mw, err := v.Middleware(oidc.OnError(func(w http.ResponseWriter, r *http.Request, err error) {
		seen = append(seen, err)
		oidc.BearerErrorHandler(w, r, err)
	}), oidc.RequireRealmRoles("admin"))
	if err != nil {
		t.Fatal(err)
	}
	h := mw(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { t.Error("handler called") }))
	serve := func() *httptest.ResponseRecorder {
		rec := httptest.NewRecorder()
		req := httptest.NewRequestWithContext(t.Context(), http.MethodGet, "/", nil)
		req.Header.Set("Authorization", "Bearer "+ann)
		h.ServeHTTP(rec, req)
		return rec
	}
	if rec := serve(); rec.Code != 503 || rec.Header().Get("WWW-Authenticate") != "" {
		t.Errorf("JWKS down: %d %q, want 503 without a challenge", rec.Code, rec.Header().Get("WWW-Authenticate"))
	}
	var ae *kc.APIError
	if len(seen) != 1 || !errors.As(seen[0], &ae) || ae.StatusCode != 500 {
		t.Fatalf("error handler got %v, want the JWKS fetch's *kc.APIError 500", seen)
	}
	// Still no keys: a failed fetch is not repeated before the refetch
	// interval.
	if rec := serve(); rec.Code != 503 {
		t.Errorf("right after the failed fetch: %d, want 503", rec.Code)
	}
	seen = seen[:1]
	// The fault is gone and the interval has passed: the keys are fetched,
	// the token is valid, the role is missing.
	clock.Advance(oidc.DefaultRefetchInterval)
	if rec := serve(); rec.Code != 403 {
		t.Errorf("after the fault: %d, want 403", rec.Code)
	}
	if len(seen) != 2 || !errors.Is(seen[1], oidc.ErrInsufficientScope) || !strings.Contains(seen[1].Error(), `realm role "admin"`) {
		t.Errorf("error handler got %v, want ErrInsufficientScope naming the realm role", seen[1:])
	}
}

func TestMiddlewareOptions(t *testing.T) {
	t.Parallel()
	v, err := oidc.NewVerifier("https://sso.example.com/realms/x", "https://sso.example.com/certs", oidc.VerifierConfig{SkipAudienceCheck: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		opt  oidc.MiddlewareOption
		want string
	}{
		{oidc.RequireRealmRoles(), "oidc: RequireRealmRoles: no role given"},
		{oidc.RequireRealmRoles("a", ""), "oidc: RequireRealmRoles: empty role"},
		{oidc.RequireClientRoles("", "a"), "oidc: RequireClientRoles: clientID is empty"},
		{oidc.RequireClientRoles("api"), "oidc: RequireClientRoles: no role given"},
		{oidc.RequireScopes(""), "oidc: RequireScopes: empty scope"},
		{oidc.OnError(nil), "oidc: OnError: handler is nil"},
		{nil, "oidc: Middleware: nil option"},
	} {
		if _, err := v.Middleware(tc.opt); err == nil || err.Error() != tc.want {
			t.Errorf("Middleware error = %v, want %q", err, tc.want)
		}
	}
}

func TestClaimsFromContext(t *testing.T) {
	t.Parallel()
	if c, ok := oidc.ClaimsFromContext(context.Background()); ok || c != nil {
		t.Errorf("empty context: %v %v", c, ok)
	}
	want := &oidc.Claims{Subject: "u1"}
	if c, ok := oidc.ClaimsFromContext(oidc.ContextWithClaims(context.Background(), want)); !ok || c != want {
		t.Errorf("ClaimsFromContext = %v %v, want %v true", c, ok, want)
	}
}
