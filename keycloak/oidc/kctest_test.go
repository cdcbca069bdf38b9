package oidc_test

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"errors"
	"math/big"
	"net/http"
	"net/url"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/oauth2"

	"github.com/kcgo/kc"
	"github.com/kcgo/kc/keycloak/kctest"
	"github.com/kcgo/kc/keycloak/oidc"
)

const demoRealm = "../../testdata/realms/demo-realm.json"

// start returns a kctest server with the demo realm (users alice/alice and
// bob/bob; clients demo-app (public, device grant, redirect
// http://127.0.0.1/callback), demo-service (confidential, service account)
// and demo-api (confidential, standard token exchange)) and its clock.
func start(t testing.TB) (*kctest.Server, *kctest.FakeClock) {
	t.Helper()
	clock := kctest.NewFakeClock(time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC))
	return kctest.Start(t, kctest.WithClock(clock.Now), kctest.WithRealmFile(demoRealm)), clock
}

func newClient(t testing.TB, s *kctest.Server, clock *kctest.FakeClock, clientID string, opts ...kc.Option) *oidc.Client {
	t.Helper()
	opts = append([]kc.Option{oidc.WithClock(clock.Now), kc.WithRetry(2, time.Millisecond, time.Millisecond)}, opts...)
	c, err := oidc.New(s.URL, "demo", clientID, opts...)
	if err != nil {
		t.Fatal(err)
	}
	oidc.SetWait(c, func(ctx context.Context, d time.Duration) error {
		clock.Advance(d)
		return ctx.Err()
	})
	return c
}

// requests counts the requests to paths ending in suffix.
func requests(s *kctest.Server, suffix string) []kctest.Request {
	var out []kctest.Request
	for _, r := range s.Requests() {
		if strings.HasSuffix(r.Path, suffix) {
			out = append(out, r)
		}
	}
	return out
}

func wantAPIError(t *testing.T, err error, status int, code string) *kc.APIError {
	t.Helper()
	var ae *kc.APIError
	if !errors.As(err, &ae) {
		t.Fatalf("error = %v, want *kc.APIError %d %s", err, status, code)
	}
	if ae.StatusCode != status || ae.ErrorCode != code {
		t.Fatalf("error = %d %s (%s), want %d %s", ae.StatusCode, ae.ErrorCode, ae.ErrorDescription, status, code)
	}
	return ae
}

func TestKCDiscovery(t *testing.T) {
	t.Parallel()
	s, clock := start(t)
	c := newClient(t, s, clock, "demo-app")
	var wg sync.WaitGroup
	for range 20 {
		wg.Go(func() {
			if _, err := c.Discovery(t.Context()); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	d, _ := c.Discovery(t.Context())
	if d.Issuer != s.Issuer("demo") || d.TokenEndpoint != s.Issuer("demo")+"/protocol/openid-connect/token" || d.DeviceAuthorizationEndpoint == "" {
		t.Errorf("discovery = %+v", d)
	}
	if n := len(requests(s, "/openid-configuration")); n != 1 {
		t.Errorf("%d discovery requests, want 1", n)
	}
}

func TestKCPassword(t *testing.T) {
	t.Parallel()
	s, clock := start(t)
	for _, tc := range []struct {
		name, client string
		opts         []kc.Option
	}{
		{"public", "demo-app", nil},
		{"basic", "demo-api", []kc.Option{oidc.WithClientSecret("demo-api-secret")}},
		{"post", "demo-api", []kc.Option{oidc.WithClientSecret("demo-api-secret"), oidc.WithAuthMethod(oidc.ClientSecretPost)}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := newClient(t, s, clock, tc.client, tc.opts...)
			tok, err := c.Password(t.Context(), "alice", "alice", oidc.Scope("openid", "email"))
			if err != nil {
				t.Fatal(err)
			}
			if tok.AccessToken == "" || tok.RefreshToken == "" || tok.IDToken == "" || !tok.Expiry.Equal(clock.Now().Add(5*time.Minute)) {
				t.Errorf("token = %v", tok)
			}
		})
	}
	t.Run("wrong password (gocloak D1)", func(t *testing.T) {
		_, err := newClient(t, s, clock, "demo-app").Password(t.Context(), "alice", "wrong")
		ae := wantAPIError(t, err, 401, "invalid_grant")
		if !errors.Is(err, kc.ErrInvalidGrant) || ae.ErrorDescription != "Invalid user credentials" {
			t.Errorf("error = %v", err)
		}
	})
	t.Run("direct access not allowed", func(t *testing.T) {
		_, err := newClient(t, s, clock, "demo-service", oidc.WithClientSecret("demo-service-secret")).Password(t.Context(), "alice", "alice")
		wantAPIError(t, err, 400, "unauthorized_client")
	})
	t.Run("bad scope", func(t *testing.T) {
		_, err := newClient(t, s, clock, "demo-app").Password(t.Context(), "alice", "alice", oidc.Scope("nonexistent"))
		wantAPIError(t, err, 400, "invalid_scope")
	})
	t.Run("disabled user", func(t *testing.T) {
		s.AddUser("demo", kctest.User{Username: "dora", Password: "pw", Enabled: kc.Ptr(false)})
		_, err := newClient(t, s, clock, "demo-app").Password(t.Context(), "dora", "pw")
		if !errors.Is(err, kc.ErrInvalidGrant) {
			t.Errorf("error = %v, want invalid_grant", err)
		}
	})
}

// gocloak D6: several scopes are sent space-separated, and no stray
// response_type.
func TestKCScopes(t *testing.T) {
	t.Parallel()
	s, clock := start(t)
	c := newClient(t, s, clock, "demo-service", oidc.WithClientSecret("demo-service-secret"))
	tok, err := c.ClientCredentials(t.Context(), oidc.Scope("phone", "address"))
	if err != nil {
		t.Fatal(err)
	}
	r := requests(s, "/token")[0]
	form, _ := url.ParseQuery(r.Body)
	if diff := cmp.Diff(url.Values{"grant_type": {"client_credentials"}, "scope": {"phone address"}}, form); diff != "" {
		t.Errorf("form (-want +got):\n%s", diff)
	}
	if !strings.Contains(tok.Scope, "phone") || !strings.Contains(tok.Scope, "address") {
		t.Errorf("granted scope %q lacks phone or address", tok.Scope)
	}
}

func TestKCClientCredentials(t *testing.T) {
	t.Parallel()
	s, clock := start(t)
	tok, err := newClient(t, s, clock, "demo-service", oidc.WithClientSecret("demo-service-secret")).ClientCredentials(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if tok.RefreshToken != "" || !tok.RefreshExpiry.IsZero() {
		t.Errorf("client credentials token has a refresh token: %v", tok)
	}
	_, err = newClient(t, s, clock, "demo-service", oidc.WithClientSecret("wrong")).ClientCredentials(t.Context())
	wantAPIError(t, err, 401, "unauthorized_client")
	_, err = newClient(t, s, clock, "nobody", oidc.WithClientSecret("x")).ClientCredentials(t.Context())
	wantAPIError(t, err, 401, "invalid_client")
	_, err = newClient(t, s, clock, "demo-app").ClientCredentials(t.Context())
	wantAPIError(t, err, 401, "unauthorized_client")
}

func TestKCAuthCodeFlow(t *testing.T) {
	t.Parallel()
	s, clock := start(t)
	c := newClient(t, s, clock, "demo-app", oidc.WithScopes("openid"))
	const redirect = "http://127.0.0.1/callback"
	verifier, state, nonce := oidc.GenerateVerifier(), oidc.GenerateState(), oidc.GenerateNonce()
	authURL, err := c.AuthCodeURL(t.Context(), state, oidc.RedirectURI(redirect), oidc.PKCE(verifier), oidc.Nonce(nonce))
	if err != nil {
		t.Fatal(err)
	}
	cb, err := s.Login(authURL, "alice", "alice")
	if err != nil {
		t.Fatal(err)
	}
	if cb.Query().Get("state") != state {
		t.Fatalf("state = %q, want %q", cb.Query().Get("state"), state)
	}
	code := cb.Query().Get("code")
	tok, err := c.ExchangeCode(t.Context(), code, redirect, verifier)
	if err != nil {
		t.Fatal(err)
	}
	v, err := c.Verifier(oidc.VerifierConfig{})
	if err != nil {
		t.Fatal(err)
	}
	claims, err := v.VerifyIDToken(t.Context(), tok.IDToken, nonce)
	if err != nil {
		t.Fatal(err)
	}
	if claims.PreferredUsername != "alice" || claims.Nonce != nonce {
		t.Errorf("ID token claims = %+v", claims)
	}
	_, err = c.ExchangeCode(t.Context(), code, redirect, verifier)
	wantAPIError(t, err, 400, "invalid_grant")

	login := func() string {
		u, err := c.AuthCodeURL(t.Context(), "st", oidc.RedirectURI(redirect), oidc.PKCE(verifier))
		if err != nil {
			t.Fatal(err)
		}
		cb, err := s.Login(u, "alice", "alice")
		if err != nil {
			t.Fatal(err)
		}
		return cb.Query().Get("code")
	}
	for _, tt := range []struct {
		name, redirect, verifier, desc string
		advance                        time.Duration
	}{
		{"no verifier", redirect, "", "PKCE code verifier not specified", 0},
		{"wrong verifier", redirect, oidc.GenerateVerifier(), "PKCE verification failed", 0},
		{"wrong redirect", "http://127.0.0.1/other", verifier, "Incorrect redirect_uri", 0},
		{"expired", redirect, verifier, "Code is expired", 2 * time.Minute},
	} {
		t.Run(tt.name, func(t *testing.T) {
			code := login()
			clock.Advance(tt.advance)
			_, err := c.ExchangeCode(t.Context(), code, tt.redirect, tt.verifier)
			if ae := wantAPIError(t, err, 400, "invalid_grant"); ae.ErrorDescription != tt.desc {
				t.Errorf("description = %q, want %q", ae.ErrorDescription, tt.desc)
			}
		})
	}
}

func TestKCRefreshAndLogout(t *testing.T) {
	t.Parallel()
	s, clock := start(t)
	c := newClient(t, s, clock, "demo-app")
	tok, err := c.Password(t.Context(), "alice", "alice")
	if err != nil {
		t.Fatal(err)
	}
	tok2, err := c.Refresh(t.Context(), tok.RefreshToken)
	if err != nil {
		t.Fatal(err)
	}
	if tok2.AccessToken == tok.AccessToken {
		t.Error("refresh returned the same access token")
	}
	if err := c.Logout(t.Context(), tok2.RefreshToken); err != nil {
		t.Fatal(err)
	}
	if r := requests(s, "/logout"); r[0].Status != http.StatusNoContent {
		t.Errorf("logout status = %d, want 204", r[0].Status)
	}
	_, err = c.Refresh(t.Context(), tok2.RefreshToken)
	wantAPIError(t, err, 400, "invalid_grant")
	// Keycloak answers a logout of an ended session with 204 too.
	if err := c.Logout(t.Context(), tok2.RefreshToken); err != nil {
		t.Errorf("second logout: %v", err)
	}
	err = c.Logout(t.Context(), "garbage")
	wantAPIError(t, err, 400, "invalid_grant")
	_, err = c.Refresh(t.Context(), "garbage")
	wantAPIError(t, err, 400, "invalid_grant")
}

func TestKCTokenExchange(t *testing.T) {
	t.Parallel()
	s, clock := start(t)
	if _, err := s.AddClientRole("demo", "demo-api", kctest.Role{Name: "reader"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddUser("demo", kctest.User{Username: "carol", Password: "pw", ClientRoles: map[string][]string{"demo-api": {"reader"}}}); err != nil {
		t.Fatal(err)
	}
	app := newClient(t, s, clock, "demo-app")
	api := newClient(t, s, clock, "demo-api", oidc.WithClientSecret("demo-api-secret"))
	subject, err := app.Password(t.Context(), "carol", "pw")
	if err != nil {
		t.Fatal(err)
	}
	tok, err := api.ExchangeToken(t.Context(), oidc.TokenExchange{SubjectToken: subject.AccessToken})
	if err != nil {
		t.Fatal(err)
	}
	if tok.IssuedTokenType != oidc.TokenTypeAccessToken || tok.AccessToken == "" {
		t.Errorf("exchanged token = %v (%s)", tok, tok.IssuedTokenType)
	}
	idt, err := api.ExchangeToken(t.Context(), oidc.TokenExchange{SubjectToken: subject.AccessToken, RequestedTokenType: oidc.TokenTypeIDToken, Scopes: []string{"openid"}})
	if err != nil {
		t.Fatal(err)
	}
	if idt.TokenType != "N_A" || idt.IssuedTokenType != oidc.TokenTypeIDToken {
		t.Errorf("ID token exchange: type %q issued %q", idt.TokenType, idt.IssuedTokenType)
	}
	s.AddUser("demo", kctest.User{Username: "erin", Password: "pw"})
	alice, err := app.Password(t.Context(), "erin", "pw")
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name   string
		c      *oidc.Client
		x      oidc.TokenExchange
		status int
		code   string
	}{
		{"not in audience", api, oidc.TokenExchange{SubjectToken: alice.AccessToken}, 403, "access_denied"},
		{"invalid token", api, oidc.TokenExchange{SubjectToken: "garbage"}, 400, "invalid_request"},
		{"public client", app, oidc.TokenExchange{SubjectToken: subject.AccessToken}, 400, "invalid_client"},
		{"not enabled", newClient(t, s, clock, "demo-service", oidc.WithClientSecret("demo-service-secret")), oidc.TokenExchange{SubjectToken: subject.AccessToken}, 400, "invalid_request"},
		{"unsupported type", api, oidc.TokenExchange{SubjectToken: subject.AccessToken, RequestedTokenType: "urn:x"}, 400, "invalid_request"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tt.c.ExchangeToken(t.Context(), tt.x)
			wantAPIError(t, err, tt.status, tt.code)
		})
	}
}

func TestKCDeviceFlow(t *testing.T) {
	t.Parallel()
	s, clock := start(t)
	c := newClient(t, s, clock, "demo-app")
	r, err := c.DeviceAuth(t.Context(), oidc.Scope("openid"))
	if err != nil {
		t.Fatal(err)
	}
	if r.Interval != 5 || r.ExpiresIn != 600 || r.UserCode == "" || !strings.HasPrefix(r.VerificationURI, s.Issuer("demo")) {
		t.Errorf("device response = %+v", r)
	}
	polls := 0
	oidc.SetWait(c, func(ctx context.Context, d time.Duration) error {
		clock.Advance(d)
		if polls++; polls == 3 {
			if err := s.ApproveDevice("demo", r.UserCode, "bob"); err != nil {
				t.Error(err)
			}
		}
		return nil
	})
	tok, err := c.PollDeviceToken(t.Context(), r, "")
	if err != nil {
		t.Fatal(err)
	}
	if tok.IDToken == "" || polls != 3 {
		t.Errorf("token %v after %d polls", tok, polls)
	}

	t.Run("denied", func(t *testing.T) {
		r, err := c.DeviceAuth(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		s.DenyDevice("demo", r.UserCode)
		_, err = c.PollDeviceToken(t.Context(), r, "")
		wantAPIError(t, err, 400, "access_denied")
	})
	t.Run("expired", func(t *testing.T) {
		r, err := c.DeviceAuth(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		clock.Advance(11 * time.Minute)
		_, err = c.PollDeviceToken(t.Context(), r, "")
		ae := wantAPIError(t, err, 400, "expired_token")
		if ae.ErrorDescription != "Device code is expired" {
			t.Errorf("error_description = %q, want %q", ae.ErrorDescription, "Device code is expired")
		}
	})
	t.Run("not enabled", func(t *testing.T) {
		_, err := newClient(t, s, clock, "demo-service", oidc.WithClientSecret("demo-service-secret")).DeviceAuth(t.Context())
		if !errors.Is(err, kc.ErrInvalidGrant) && !errors.Is(err, kc.ErrBadRequest) {
			t.Errorf("error = %v", err)
		}
	})
	t.Run("slow_down", func(t *testing.T) {
		r, err := c.DeviceAuth(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		var waits []time.Duration
		oidc.SetWait(c, func(ctx context.Context, d time.Duration) error {
			waits = append(waits, d)
			if len(waits) == 3 {
				s.ApproveDevice("demo", r.UserCode, "bob")
			}
			return nil // no clock advance: polling too fast gets slow_down
		})
		if _, err := c.PollDeviceToken(t.Context(), r, ""); err != nil {
			t.Fatal(err)
		}
		if len(waits) < 2 || waits[len(waits)-1] != waits[0]+5*time.Second {
			t.Errorf("waits = %v, want a longer interval after slow_down", waits)
		}
	})
}

func TestKCUserInfo(t *testing.T) {
	t.Parallel()
	s, clock := start(t)
	c := newClient(t, s, clock, "demo-app")
	tok, err := c.Password(t.Context(), "alice", "alice", oidc.Scope("openid"))
	if err != nil {
		t.Fatal(err)
	}
	info, err := c.UserInfo(t.Context(), tok.AccessToken)
	if err != nil {
		t.Fatal(err)
	}
	if info.PreferredUsername != "alice" || info.Subject == "" || len(info.Raw) == 0 {
		t.Errorf("userinfo = %+v", info)
	}
	noOpenID, err := c.Password(t.Context(), "alice", "alice")
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.UserInfo(t.Context(), noOpenID.AccessToken)
	wantAPIError(t, err, 403, "insufficient_scope")
	_, err = c.UserInfo(t.Context(), "garbage")
	wantAPIError(t, err, 401, "invalid_token")
	clock.Advance(6 * time.Minute)
	_, err = c.UserInfo(t.Context(), tok.AccessToken)
	wantAPIError(t, err, 401, "invalid_token")
}

func TestKCIntrospectAndRevoke(t *testing.T) {
	t.Parallel()
	s, clock := start(t)
	api := newClient(t, s, clock, "demo-api", oidc.WithClientSecret("demo-api-secret"))
	tok, err := api.Password(t.Context(), "alice", "alice")
	if err != nil {
		t.Fatal(err)
	}
	in, err := api.Introspect(t.Context(), tok.AccessToken, oidc.HintAccessToken)
	if err != nil {
		t.Fatal(err)
	}
	if !in.Active || in.ClientID != "demo-api" || in.Username != "alice" || in.TokenType != "Bearer" {
		t.Errorf("introspection = %+v", in)
	}
	rin, err := api.Introspect(t.Context(), tok.RefreshToken, oidc.HintRefreshToken)
	if err != nil || !rin.Active {
		t.Errorf("refresh token introspection = %+v, %v", rin, err)
	}
	in, err = api.Introspect(t.Context(), "garbage", oidc.HintNone)
	if err != nil || in.Active {
		t.Errorf("garbage introspection = %+v, %v", in, err)
	}
	_, err = newClient(t, s, clock, "demo-app").Introspect(t.Context(), tok.AccessToken, oidc.HintNone)
	wantAPIError(t, err, 403, "invalid_request")
	_, err = api.Introspect(t.Context(), tok.AccessToken, "weird")
	wantAPIError(t, err, 400, "invalid_request")

	if err := api.Revoke(t.Context(), tok.AccessToken, oidc.HintAccessToken); err != nil {
		t.Fatal(err)
	}
	if in, _ := api.Introspect(t.Context(), tok.AccessToken, oidc.HintAccessToken); in == nil || in.Active {
		t.Errorf("revoked token introspects as %+v", in)
	}
	if err := api.Revoke(t.Context(), tok.RefreshToken, oidc.HintRefreshToken); err != nil {
		t.Fatal(err)
	}
	_, err = api.Refresh(t.Context(), tok.RefreshToken)
	wantAPIError(t, err, 400, "invalid_grant")
	// RFC 7009: revoking an invalid token succeeds (Keycloak: 200 with an
	// invalid_token body).
	if err := api.Revoke(t.Context(), "garbage", oidc.HintNone); err != nil {
		t.Errorf("revoking garbage: %v", err)
	}
	other, err := newClient(t, s, clock, "demo-app").Password(t.Context(), "bob", "bob")
	if err != nil {
		t.Fatal(err)
	}
	err = api.Revoke(t.Context(), other.RefreshToken, oidc.HintRefreshToken)
	wantAPIError(t, err, 400, "invalid_request")
}

func TestKCJWKSAndRotation(t *testing.T) {
	t.Parallel()
	s, clock := start(t)
	c := newClient(t, s, clock, "demo-app")
	set, err := c.JWKS(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	kid, _ := s.ActiveKeyID("demo")
	found := false
	for _, k := range set.Keys {
		found = found || (k.KeyID == kid && k.KeyType == "RSA")
	}
	if !found {
		t.Errorf("active key %s not in %+v", kid, set.Keys)
	}

	v, err := c.Verifier(oidc.VerifierConfig{Audiences: []string{"account"}, AuthorizedParty: "demo-app"})
	if err != nil {
		t.Fatal(err)
	}
	tok, err := c.Password(t.Context(), "alice", "alice")
	if err != nil {
		t.Fatal(err)
	}
	claims, err := v.Verify(t.Context(), tok.AccessToken)
	if err != nil {
		t.Fatal(err)
	}
	if claims.PreferredUsername != "alice" || !claims.HasRealmRole("offline_access") {
		t.Errorf("claims = %+v", claims)
	}
	before := len(requests(s, "/certs"))
	// gocloak D2: a new key; the verifier fetches the JWKS once more (once
	// the rate limit, which the first fetch started, allows it).
	clock.Advance(oidc.DefaultRefetchInterval)
	if _, err := s.RotateKey("demo"); err != nil {
		t.Fatal(err)
	}
	tok2, err := c.Password(t.Context(), "alice", "alice")
	if err != nil {
		t.Fatal(err)
	}
	for range 5 {
		if _, err := v.Verify(t.Context(), tok2.AccessToken); err != nil {
			t.Fatal(err)
		}
	}
	if n := len(requests(s, "/certs")) - before; n != 1 {
		t.Errorf("%d JWKS fetches after rotation, want 1", n)
	}
	clock.Advance(6 * time.Minute)
	if _, err := v.Verify(t.Context(), tok2.AccessToken); !errors.Is(err, oidc.ErrTokenExpired) {
		t.Errorf("expired token: %v", err)
	}
}

func TestKCTokenSourceSingleRequest(t *testing.T) {
	t.Parallel()
	s, clock := start(t)
	c := newClient(t, s, clock, "demo-service", oidc.WithClientSecret("demo-service-secret"))
	ts := c.ClientCredentialsSource()
	first, err := ts.Token(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	s.ResetRequests()
	clock.Advance(5 * time.Minute) // expired
	var wg sync.WaitGroup
	for range 1000 {
		wg.Go(func() {
			tok, err := ts.Token(t.Context())
			if err != nil || tok.AccessToken == first.AccessToken {
				t.Errorf("Token = %v, %v", tok, err)
			}
		})
	}
	wg.Wait()
	if n := len(requests(s, "/token")); n != 1 {
		t.Errorf("%d token requests for 1000 callers, want 1", n)
	}
}

func TestKCTokenSourceRefresh(t *testing.T) {
	t.Parallel()
	s, clock := start(t)
	c := newClient(t, s, clock, "demo-app")
	ts := c.PasswordSource("alice", "alice")
	t1, err := ts.Token(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	clock.Advance(4*time.Minute + 20*time.Second) // within 30 s of expiry... not yet
	if t2, _ := ts.Token(t.Context()); t2.AccessToken != t1.AccessToken {
		t.Error("token refreshed 40 s before expiry")
	}
	clock.Advance(15 * time.Second) // 25 s before expiry: refresh early
	t3, err := ts.Token(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if t3.AccessToken == t1.AccessToken {
		t.Fatal("token not refreshed 25 s before expiry")
	}
	form, _ := url.ParseQuery(requests(s, "/token")[1].Body)
	if form.Get("grant_type") != "refresh_token" {
		t.Errorf("second request grant_type = %q, want refresh_token", form.Get("grant_type"))
	}
	// The session ends (SSO idle 30 min): the refresh token is rejected and
	// the source logs in again.
	clock.Advance(31 * time.Minute)
	t4, err := ts.Token(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	reqs := requests(s, "/token")
	var grants []string
	for _, r := range reqs {
		f, _ := url.ParseQuery(r.Body)
		grants = append(grants, f.Get("grant_type"))
	}
	// The refresh token expired with the session, so no refresh is tried.
	if diff := cmp.Diff([]string{"password", "refresh_token", "password"}, grants); diff != "" || t4.AccessToken == t3.AccessToken {
		t.Errorf("grants (-want +got):\n%s", diff)
	}

	// A refresh token Keycloak rejects (session logged out): a new login.
	if err := c.Logout(t.Context(), t4.RefreshToken); err != nil {
		t.Fatal(err)
	}
	clock.Advance(5 * time.Minute)
	if _, err := ts.Token(t.Context()); err != nil {
		t.Fatal(err)
	}
	grants = grants[:0]
	for _, r := range requests(s, "/token")[3:] {
		f, _ := url.ParseQuery(r.Body)
		grants = append(grants, f.Get("grant_type"))
	}
	if diff := cmp.Diff([]string{"refresh_token", "password"}, grants); diff != "" {
		t.Errorf("after logout, grants (-want +got):\n%s", diff)
	}

	// RefreshTokenSource has no grant to fall back to.
	t5, err := c.Password(t.Context(), "alice", "alice")
	if err != nil {
		t.Fatal(err)
	}
	rs := c.RefreshTokenSource(t5)
	if tok, err := rs.Token(t.Context()); err != nil || tok.AccessToken != t5.AccessToken {
		t.Fatalf("RefreshTokenSource first token = %v, %v", tok, err)
	}
	clock.Advance(5 * time.Minute)
	if tok, err := rs.Token(t.Context()); err != nil || tok.AccessToken == t5.AccessToken {
		t.Fatalf("RefreshTokenSource refreshed token = %v, %v", tok, err)
	}
	cur, _ := rs.Token(t.Context())
	if err := c.Logout(t.Context(), cur.RefreshToken); err != nil {
		t.Fatal(err)
	}
	clock.Advance(5 * time.Minute)
	if _, err := rs.Token(t.Context()); !errors.Is(err, kc.ErrInvalidGrant) {
		t.Errorf("RefreshTokenSource after logout: %v, want invalid_grant", err)
	}
	clock.Advance(31 * time.Minute)
	if _, err := rs.Token(t.Context()); !errors.Is(err, oidc.ErrLoginRequired) {
		t.Errorf("RefreshTokenSource after refresh expiry: %v, want ErrLoginRequired", err)
	}
}

func TestKCTokenSourceInvalidate(t *testing.T) {
	t.Parallel()
	s, clock := start(t)
	c := newClient(t, s, clock, "demo-app")
	ts := c.PasswordSource("alice", "alice")
	t1, err := ts.Token(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	ts.InvalidateToken(t1)
	t2, err := ts.Token(t.Context())
	if err != nil || t2.AccessToken == t1.AccessToken {
		t.Fatalf("after InvalidateToken: %v, %v", t2, err)
	}
	ts.InvalidateToken(t1) // stale: nothing happens
	if t3, _ := ts.Token(t.Context()); t3.AccessToken != t2.AccessToken {
		t.Error("invalidating a stale token dropped the current one")
	}
}

func TestKCTokenSourceAdapters(t *testing.T) {
	t.Parallel()
	s, clock := start(t)
	c := newClient(t, s, clock, "demo-app", oidc.WithScopes("openid"))
	ts := c.PasswordSource("alice", "alice")

	// golang.org/x/oauth2
	o, err := kc.OAuth2TokenSource(ts).Token()
	if err != nil {
		t.Fatal(err)
	}
	if o.AccessToken == "" || o.Extra("id_token") == nil || o.Type() != "Bearer" {
		t.Errorf("oauth2 token = %+v", o)
	}
	hc := oauth2.NewClient(t.Context(), kc.OAuth2TokenSource(ts))
	resp, err := hc.Get(s.Issuer("demo") + "/protocol/openid-connect/userinfo")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("userinfo through oauth2 client: %d", resp.StatusCode)
	}

	// kc.NewHTTPClient: a 401 invalidates the token and retries once.
	hc = kc.NewHTTPClient(nil, ts)
	tok, _ := ts.Token(t.Context())
	if err := c.Revoke(t.Context(), tok.AccessToken, oidc.HintAccessToken); err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequestWithContext(t.Context(), "GET", s.Issuer("demo")+"/protocol/openid-connect/userinfo", nil)
	resp, err = hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("userinfo through kc.NewHTTPClient after revocation: %d, want 200 after one retry", resp.StatusCode)
	}
}

// Every call returns promptly when its context ends, and leaves no
// goroutine behind.
func TestKCCancellation(t *testing.T) {
	s, clock := start(t)
	api := newClient(t, s, clock, "demo-api", oidc.WithClientSecret("demo-api-secret"))
	tok, err := api.Password(t.Context(), "alice", "alice", oidc.Scope("openid"))
	if err != nil {
		t.Fatal(err)
	}
	v, err := api.Verifier(oidc.VerifierConfig{SkipAudienceCheck: true})
	if err != nil {
		t.Fatal(err)
	}
	dev, err := newClient(t, s, clock, "demo-app").DeviceAuth(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	fresh := func() *oidc.Client {
		return newClient(t, s, clock, "demo-api", oidc.WithClientSecret("demo-api-secret"))
	}
	calls := []struct {
		name, path string
		call       func(ctx context.Context) error
	}{
		{"discovery", "/.well-known/openid-configuration", func(ctx context.Context) error { _, err := fresh().Discovery(ctx); return err }},
		{"password", "/token", func(ctx context.Context) error { _, err := api.Password(ctx, "alice", "alice"); return err }},
		{"client credentials", "/token", func(ctx context.Context) error { _, err := api.ClientCredentials(ctx); return err }},
		{"exchange", "/token", func(ctx context.Context) error {
			_, err := api.ExchangeCode(ctx, "c", "http://127.0.0.1/callback", "")
			return err
		}},
		{"refresh", "/token", func(ctx context.Context) error { _, err := api.Refresh(ctx, tok.RefreshToken); return err }},
		{"token exchange", "/token", func(ctx context.Context) error {
			_, err := api.ExchangeToken(ctx, oidc.TokenExchange{SubjectToken: tok.AccessToken})
			return err
		}},
		{"device auth", "/auth/device", func(ctx context.Context) error { _, err := api.DeviceAuth(ctx); return err }},
		{"device poll", "/token", func(ctx context.Context) error { _, err := api.PollDeviceToken(ctx, dev, ""); return err }},
		{"userinfo", "/userinfo", func(ctx context.Context) error { _, err := api.UserInfo(ctx, tok.AccessToken); return err }},
		{"introspect", "/introspect", func(ctx context.Context) error { _, err := api.Introspect(ctx, tok.AccessToken, ""); return err }},
		{"revoke", "/revoke", func(ctx context.Context) error { return api.Revoke(ctx, tok.AccessToken, "") }},
		{"logout", "/logout", func(ctx context.Context) error { return api.Logout(ctx, tok.RefreshToken) }},
		{"jwks", "/certs", func(ctx context.Context) error { _, err := api.JWKS(ctx); return err }},
		{"verify (JWKS fetch)", "/certs", func(ctx context.Context) error { _, err := v.Verify(ctx, tok.AccessToken); return err }},
		{"token source", "/token", func(ctx context.Context) error { _, err := api.ClientCredentialsSource().Token(ctx); return err }},
		{"auth code URL", "/.well-known/openid-configuration", func(ctx context.Context) error {
			_, err := fresh().AuthCodeURL(ctx, "st")
			return err
		}},
	}
	if _, err := api.Discovery(t.Context()); err != nil {
		t.Fatal(err)
	}
	base := runtime.NumGoroutine()
	for _, tc := range calls {
		t.Run(tc.name, func(t *testing.T) {
			id := s.InjectFault(kctest.Fault{Path: "*", Latency: time.Minute})
			_ = tc.path
			defer s.RemoveFault(id)
			ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
			defer cancel()
			startT := time.Now()
			err := tc.call(ctx)
			if el := time.Since(startT); el > 5*time.Second {
				t.Errorf("returned after %v", el)
			}
			if !errors.Is(err, context.DeadlineExceeded) {
				t.Errorf("error = %v, want context.DeadlineExceeded", err)
			}
		})
	}
	// Goroutines settle back (HTTP keep-alive connections may stay idle).
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > base+4 && time.Now().Before(deadline) {
		runtime.Gosched()
		time.Sleep(10 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > base+4 {
		buf := make([]byte, 1<<20)
		t.Errorf("%d goroutines, %d before:\n%s", n, base, buf[:runtime.Stack(buf, true)])
	}
}

// More failure rows of Keycloak's token endpoint (keycloak-server.md §4.2,
// §4.3), each as an *kc.APIError with Keycloak's status and code.
func TestKCTokenEndpointFailureRows(t *testing.T) {
	t.Parallel()
	s, clock := start(t)
	s.AddClient("demo", kctest.Client{ClientID: "api-only", BearerOnly: true, Secret: "x"})
	s.AddClient("demo", kctest.Client{ClientID: "no-sa", Secret: "no-sa-secret", DirectAccessGrants: true})
	s.AddUser("demo", kctest.User{Username: "newbie", Password: "pw", RequiredActions: []string{"UPDATE_PASSWORD"}})
	app := newClient(t, s, clock, "demo-app")
	api := newClient(t, s, clock, "demo-api", oidc.WithClientSecret("demo-api-secret"))
	appTok, err := app.Password(t.Context(), "alice", "alice")
	if err != nil {
		t.Fatal(err)
	}
	const redirect = "http://127.0.0.1/callback"
	authURL, err := app.AuthCodeURL(t.Context(), "st", oidc.RedirectURI(redirect))
	if err != nil {
		t.Fatal(err)
	}
	cb, err := s.Login(authURL, "alice", "alice")
	if err != nil {
		t.Fatal(err)
	}
	appCode := cb.Query().Get("code")

	tests := []struct {
		name   string
		call   func() error
		status int
		code   string
	}{
		{"bearer-only client", func() error {
			_, err := newClient(t, s, clock, "api-only", oidc.WithClientSecret("x")).ClientCredentials(t.Context())
			return err
		}, 400, "invalid_client"},
		{"service account not enabled", func() error {
			_, err := newClient(t, s, clock, "no-sa", oidc.WithClientSecret("no-sa-secret")).ClientCredentials(t.Context())
			return err
		}, 401, "unauthorized_client"},
		{"account not fully set up", func() error { _, err := app.Password(t.Context(), "newbie", "pw"); return err }, 400, "invalid_grant"},
		{"code of another client", func() error { _, err := api.ExchangeCode(t.Context(), appCode, redirect, ""); return err }, 400, "invalid_grant"},
		{"refresh token of another client", func() error { _, err := api.Refresh(t.Context(), appTok.RefreshToken); return err }, 400, "invalid_grant"},
		{"unknown user", func() error { _, err := app.Password(t.Context(), "nobody", "pw"); return err }, 401, "invalid_grant"},
		{"introspect with a bad secret", func() error {
			_, err := newClient(t, s, clock, "demo-api", oidc.WithClientSecret("bad")).Introspect(t.Context(), appTok.AccessToken, "")
			return err
		}, 401, "invalid_request"}, // "Authentication failed."
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.call()
			var ae *kc.APIError
			if !errors.As(err, &ae) || ae.StatusCode != tt.status || ae.ErrorCode != tt.code {
				t.Fatalf("error = %v, want %d %s", err, tt.status, tt.code)
			}
		})
	}
}

func TestKCPKCERequired(t *testing.T) {
	t.Parallel()
	s, clock := start(t)
	s.AddClient("demo", kctest.Client{ClientID: "strict", Public: true, StandardFlow: true,
		RedirectURIs: []string{"http://127.0.0.1/cb"}, Attributes: map[string]string{"pkce.code.challenge.method": "S256"}})
	c := newClient(t, s, clock, "strict")
	u, err := c.AuthCodeURL(t.Context(), "st", oidc.RedirectURI("http://127.0.0.1/cb"))
	if err != nil {
		t.Fatal(err)
	}
	cb, err := s.Login(u, "alice", "alice")
	if err != nil {
		t.Fatal(err)
	}
	if cb.Query().Get("error") != "invalid_request" {
		t.Errorf("without PKCE: redirect %s, want error=invalid_request", cb)
	}
	v := oidc.GenerateVerifier()
	u, _ = c.AuthCodeURL(t.Context(), "st", oidc.RedirectURI("http://127.0.0.1/cb"), oidc.PKCE(v))
	cb, err = s.Login(u, "alice", "alice")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.ExchangeCode(t.Context(), cb.Query().Get("code"), "http://127.0.0.1/cb", v); err != nil {
		t.Fatal(err)
	}
}

// Keycloak 16 and older serve under /auth.
func TestKCLegacyAuthPath(t *testing.T) {
	t.Parallel()
	clock := kctest.NewFakeClock(time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC))
	s := kctest.Start(t, kctest.WithClock(clock.Now), kctest.WithRealmFile(demoRealm), kctest.WithBasePath("/auth"))
	c := newClient(t, s, clock, "demo-app", kc.WithLegacyAuthPath())
	tok, err := c.Password(t.Context(), "alice", "alice")
	if err != nil {
		t.Fatal(err)
	}
	v, _ := c.Verifier(oidc.VerifierConfig{SkipAudienceCheck: true})
	claims, err := v.Verify(t.Context(), tok.AccessToken)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(claims.Issuer, "/auth/realms/demo") {
		t.Errorf("issuer = %q", claims.Issuer)
	}
}

// client_secret_jwt and private_key_jwt against kctest, which checks the
// assertion like Keycloak (signature, iss = sub = client_id, aud, exp, jti
// replay).
func TestKCClientAssertions(t *testing.T) {
	t.Parallel()
	s, clock := start(t)
	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	ecKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	jwk := func(kid string, pub crypto.PublicKey) map[string]any {
		switch k := pub.(type) {
		case *rsa.PublicKey:
			return map[string]any{"kid": kid, "kty": "RSA", "use": "sig", "n": b64u(k.N.Bytes()), "e": b64u(big.NewInt(int64(k.E)).Bytes())}
		case *ecdsa.PublicKey:
			b, _ := k.Bytes()
			return map[string]any{"kid": kid, "kty": "EC", "use": "sig", "crv": "P-256", "x": b64u(b[1:33]), "y": b64u(b[33:])}
		}
		return nil
	}
	jwks, _ := json.Marshal(map[string]any{"keys": []any{jwk("rsa-1", rsaKey.Public()), jwk("ec-1", ecKey.Public())}})
	s.AddClient("demo", kctest.Client{ClientID: "jwt-secret", Secret: "jwt-secret-value", ServiceAccounts: true,
		Attributes: map[string]string{"token.endpoint.auth.signing.alg": "HS256"}})
	s.AddClient("demo", kctest.Client{ClientID: "jwt-key", ServiceAccounts: true,
		Attributes: map[string]string{"use.jwks.string": "true", "jwks.string": string(jwks)}})
	for _, tc := range []struct {
		name, client string
		opts         []kc.Option
	}{
		{"client_secret_jwt", "jwt-secret", []kc.Option{oidc.WithClientSecret("jwt-secret-value"), oidc.WithAuthMethod(oidc.ClientSecretJWT)}},
		{"private_key_jwt RS256", "jwt-key", []kc.Option{oidc.WithPrivateKey(rsaKey, "rsa-1", oidc.RS256)}},
		{"private_key_jwt PS256", "jwt-key", []kc.Option{oidc.WithPrivateKey(rsaKey, "rsa-1", oidc.PS256)}},
		{"private_key_jwt ES256", "jwt-key", []kc.Option{oidc.WithPrivateKey(ecKey, "ec-1", oidc.ES256)}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := newClient(t, s, clock, tc.client, tc.opts...)
			for i := range 2 { // a fresh jti each time: no "Token reuse detected"
				if _, err := c.ClientCredentials(t.Context()); err != nil {
					t.Fatalf("request %d: %v", i, err)
				}
			}
		})
	}
	t.Run("wrong key", func(t *testing.T) {
		other, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		_, err := newClient(t, s, clock, "jwt-key", oidc.WithPrivateKey(other, "ec-1", oidc.ES256)).ClientCredentials(t.Context())
		wantAPIError(t, err, 400, "invalid_client")
	})
}

func b64u(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

// A client with signed userinfo gets a JWT, which UserInfo verifies.
func TestKCSignedUserInfo(t *testing.T) {
	t.Parallel()
	s, clock := start(t)
	s.AddClient("demo", kctest.Client{ClientID: "signed", Public: true, DirectAccessGrants: true,
		Attributes: map[string]string{"user.info.response.signature.alg": "RS256"}})
	c := newClient(t, s, clock, "signed")
	tok, err := c.Password(t.Context(), "alice", "alice", oidc.Scope("openid"))
	if err != nil {
		t.Fatal(err)
	}
	info, err := c.UserInfo(t.Context(), tok.AccessToken)
	if err != nil {
		t.Fatal(err)
	}
	if info.PreferredUsername != "alice" || info.Subject == "" {
		t.Errorf("userinfo = %+v", info)
	}
	if n := len(requests(s, "/certs")); n != 1 { // the JWT path verified the answer
		t.Errorf("%d JWKS fetches, want 1", n)
	}
}

// TestKCIDTokenAccessTokenHash checks kctest's ID tokens' at_hash against
// their access tokens, from the code flow and the password grant, and that
// an ID token paired with another access token fails.
func TestKCIDTokenAccessTokenHash(t *testing.T) {
	t.Parallel()
	s, clock := start(t)
	c := newClient(t, s, clock, "demo-app", oidc.WithScopes("openid"))
	v, err := c.Verifier(oidc.VerifierConfig{})
	if err != nil {
		t.Fatal(err)
	}
	const redirect = "http://127.0.0.1/callback"
	verifier, nonce := oidc.GenerateVerifier(), oidc.GenerateNonce()
	authURL, err := c.AuthCodeURL(t.Context(), "st", oidc.RedirectURI(redirect), oidc.PKCE(verifier), oidc.Nonce(nonce))
	if err != nil {
		t.Fatal(err)
	}
	cb, err := s.Login(authURL, "alice", "alice")
	if err != nil {
		t.Fatal(err)
	}
	code, err := c.ExchangeCode(t.Context(), cb.Query().Get("code"), redirect, verifier)
	if err != nil {
		t.Fatal(err)
	}
	pw, err := c.Password(t.Context(), "bob", "bob", oidc.Scope("openid"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		tok   *kc.Token
		nonce string
		want  error
	}{
		{"code flow", code, nonce, nil},
		{"password grant", pw, "", nil},
		{"another access token", &kc.Token{IDToken: code.IDToken, AccessToken: pw.AccessToken}, nonce, oidc.ErrInvalidClaims},
		{"access token altered", &kc.Token{IDToken: pw.IDToken, AccessToken: pw.AccessToken + "x"}, "", oidc.ErrInvalidClaims},
		{"wrong nonce", code, "other", oidc.ErrInvalidClaims},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			claims, err := v.VerifyIDTokenOf(t.Context(), tt.tok, tt.nonce)
			if !errors.Is(err, tt.want) {
				t.Fatalf("error = %v, want %v", err, tt.want)
			}
			if err == nil && claims.AccessTokenHash == "" {
				t.Error("kctest's ID token has no at_hash")
			}
		})
	}
	for _, tok := range []*kc.Token{nil, {AccessToken: "a"}, {IDToken: code.IDToken}} {
		if _, err := v.VerifyIDTokenOf(t.Context(), tok, ""); err == nil {
			t.Errorf("VerifyIDTokenOf(%v) passed", tok)
		}
	}
}
