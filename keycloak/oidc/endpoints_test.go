package oidc

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/kcgo/kc"
)

func TestUserInfo(t *testing.T) {
	t.Parallel()
	op := newFakeOP(t)
	c := op.client("app", WithClientSecret("app-secret"))
	tok, err := c.Password(t.Context(), "alice", "alice-pw", Scope("openid"))
	if err != nil {
		t.Fatal(err)
	}
	info, err := c.UserInfo(t.Context(), tok.AccessToken)
	if err != nil {
		t.Fatal(err)
	}
	want := UserInfo{Subject: "id-alice", PreferredUsername: "alice", Email: "alice@example.com", EmailVerified: true,
		Name: "Alice Liddell", GivenName: "Alice", FamilyName: "Liddell"}
	if diff := cmp.Diff(want, *info, cmp.FilterPath(func(p cmp.Path) bool { return p.String() == "Raw" }, cmp.Ignore())); diff != "" {
		t.Errorf("userinfo (-want +got):\n%s", diff)
	}
	var extra struct{ Custom string }
	if err := info.Decode(&extra); err != nil || extra.Custom != "x" {
		t.Errorf("Decode: %v %+v", err, extra)
	}
	if h := op.requests("/userinfo")[0].Header.Get("Authorization"); h != "Bearer "+tok.AccessToken {
		t.Errorf("Authorization = %q", h)
	}

	noOpenID, err := c.Password(t.Context(), "alice", "alice-pw")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		token  string
		status int
		code   string
		is     error
	}{
		{"invalid token", "garbage", 401, "invalid_token", kc.ErrUnauthorized},
		{"no openid scope", noOpenID.AccessToken, 403, "insufficient_scope", kc.ErrForbidden},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := c.UserInfo(t.Context(), tt.token)
			var ae *kc.APIError
			if !errors.As(err, &ae) || ae.StatusCode != tt.status || ae.ErrorCode != tt.code || ae.ErrorDescription == "" || !errors.Is(err, tt.is) {
				t.Fatalf("error = %#v, want %d %s", err, tt.status, tt.code)
			}
		})
	}
}

func TestIntrospect(t *testing.T) {
	t.Parallel()
	op := newFakeOP(t)
	c := op.client("app", WithClientSecret("app-secret"))
	tok, err := c.Password(t.Context(), "alice", "alice-pw")
	if err != nil {
		t.Fatal(err)
	}
	in, err := c.Introspect(t.Context(), tok.AccessToken, HintAccessToken)
	if err != nil {
		t.Fatal(err)
	}
	if !in.Active || in.ClientID != "app" || in.Username != "alice" || in.TokenType != "Bearer" || in.Subject != "id-alice" || !in.HasRealmRole("admin") {
		t.Errorf("introspection = %+v", in)
	}
	if diff := cmp.Diff(url.Values{"token": {tok.AccessToken}, "token_type_hint": {"access_token"}}, op.requests("/introspect")[0].Form); diff != "" {
		t.Errorf("form (-want +got):\n%s", diff)
	}
	for _, hint := range []TokenTypeHint{HintNone, HintRefreshToken, HintRequestingPartyToken} {
		if _, err := c.Introspect(t.Context(), tok.AccessToken, hint); err != nil {
			t.Errorf("hint %q: %v", hint, err)
		}
	}

	op.clock.Advance(6 * time.Minute)
	in, err = c.Introspect(t.Context(), tok.AccessToken, HintAccessToken)
	if err != nil || in.Active {
		t.Errorf("expired token: %+v, %v; want inactive, no error", in, err)
	}

	tests := []struct {
		name   string
		c      *Client
		hint   TokenTypeHint
		status int
		desc   string
	}{
		{"public client", op.client("spa"), HintNone, 403, "Client not allowed."},
		{"bad secret", op.client("app", WithClientSecret("x")), HintNone, 401, "Invalid client or Invalid client credentials"},
		{"unknown hint", c, "weird", 400, "Unsupported token type [weird]."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tt.c.Introspect(t.Context(), "tok", tt.hint)
			var ae *kc.APIError
			if !errors.As(err, &ae) || ae.StatusCode != tt.status || ae.ErrorDescription != tt.desc {
				t.Fatalf("error = %v, want %d %q", err, tt.status, tt.desc)
			}
		})
	}
}

func TestRevoke(t *testing.T) {
	t.Parallel()
	op := newFakeOP(t)
	c := op.client("app", WithClientSecret("app-secret"))
	tok, err := c.Password(t.Context(), "alice", "alice-pw")
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Revoke(t.Context(), tok.AccessToken, HintAccessToken); err != nil {
		t.Fatal(err)
	}
	if in, _ := c.Introspect(t.Context(), tok.AccessToken, HintAccessToken); in == nil || in.Active {
		t.Errorf("revoked access token still active: %+v", in)
	}
	if err := c.Revoke(t.Context(), tok.RefreshToken, HintRefreshToken); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Refresh(t.Context(), tok.RefreshToken); !errors.Is(err, kc.ErrInvalidGrant) {
		t.Errorf("refresh with revoked token: %v, want invalid_grant", err)
	}
	// RFC 7009 §2.2: an invalid token is not an error; Keycloak answers 200
	// with an invalid_token body.
	if err := c.Revoke(t.Context(), "not-a-token", HintNone); err != nil {
		t.Errorf("revoking an invalid token: %v, want nil", err)
	}
	if f := op.requests("/revoke")[0].Form; f.Get("token_type_hint") != "access_token" || f.Get("token") != tok.AccessToken {
		t.Errorf("form = %v", f)
	}
	other, err := op.client("other", WithClientSecret("other-secret")).Password(t.Context(), "alice", "alice-pw")
	if err != nil {
		t.Fatal(err)
	}
	err = c.Revoke(t.Context(), other.RefreshToken, HintRefreshToken)
	var ae *kc.APIError
	if !errors.As(err, &ae) || ae.StatusCode != 400 || ae.ErrorDescription != "Unmatching clients" {
		t.Errorf("revoking another client's token: %v", err)
	}
}

func TestLogout(t *testing.T) {
	t.Parallel()
	op := newFakeOP(t)
	for _, tc := range []struct {
		name string
		c    *Client
	}{
		{"confidential", op.client("app", WithClientSecret("app-secret"))},
		{"public", op.client("spa")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tok, err := tc.c.Password(t.Context(), "alice", "alice-pw")
			if err != nil {
				t.Fatal(err)
			}
			if err := tc.c.Logout(t.Context(), tok.RefreshToken); err != nil {
				t.Fatal(err)
			}
			err = tc.c.Logout(t.Context(), tok.RefreshToken)
			if !errors.Is(err, kc.ErrInvalidGrant) {
				t.Errorf("second logout: %v, want invalid_grant", err)
			}
		})
	}
}

func TestJWKS(t *testing.T) {
	t.Parallel()
	op := newFakeOP(t)
	c := op.client("app", WithClientSecret("app-secret"))
	set, err := c.JWKS(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if len(set.Keys) != 1 || set.Keys[0].KeyID != "key-a" || set.Keys[0].KeyType != "RSA" || set.Keys[0].Use != "sig" || len(set.Raw) == 0 {
		t.Errorf("JWKS = %+v", set)
	}
}

func TestDeviceFlow(t *testing.T) {
	t.Parallel()
	op := newFakeOP(t)
	c := op.client("app", WithClientSecret("app-secret"))
	var waits []time.Duration
	polls := 0
	c.wait = func(ctx context.Context, d time.Duration) error {
		waits = append(waits, d)
		op.clock.Advance(d)
		polls++
		switch polls {
		case 2:
			op.inject("/token", fault{status: 400, body: `{"error":"slow_down","error_description":"Slow down"}`, times: 1})
		case 4:
			op.approveDevice("alice", true)
		}
		return ctx.Err()
	}
	verifier := GenerateVerifier()
	r, err := c.DeviceAuth(t.Context(), Scope("openid"), PKCE(verifier))
	if err != nil {
		t.Fatal(err)
	}
	if r.UserCode != "WDJB-MJHT" || r.Interval != 5 || r.ExpiresIn != 600 || !strings.Contains(r.VerificationURIComplete, "user_code=") ||
		!r.Expiry.Equal(op.clock.Now().Add(600*time.Second)) {
		t.Errorf("device response = %+v", r)
	}
	if strings.Contains(r.String(), r.DeviceCode) {
		t.Errorf("String shows the device code")
	}
	f := op.requests("/auth/device")[0].Form
	if f.Get("scope") != "openid" || f.Get("code_challenge") != S256Challenge(verifier) || f.Get("code_challenge_method") != "S256" {
		t.Errorf("device form = %v", f)
	}
	tok, err := c.PollDeviceToken(t.Context(), r, verifier)
	if err != nil {
		t.Fatal(err)
	}
	if tok.IDToken == "" {
		t.Error("no ID token")
	}
	if diff := cmp.Diff([]time.Duration{5 * time.Second, 5 * time.Second, 10 * time.Second, 10 * time.Second}, waits); diff != "" {
		t.Errorf("waits (-want +got):\n%s", diff)
	}
	last := op.requests("/token")
	if f := last[len(last)-1].Form; f.Get("grant_type") != GrantDeviceCode || f.Get("device_code") != r.DeviceCode || f.Get("code_verifier") != verifier {
		t.Errorf("poll form = %v", f)
	}
}

func TestDeviceFlowFailures(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		act  func(op *fakeOP)
		code string
	}{
		{"denied", func(op *fakeOP) { op.approveDevice("alice", false) }, "access_denied"},
		{"expired", func(op *fakeOP) { op.clock.Advance(11 * time.Minute) }, "expired_token"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			op := newFakeOP(t)
			c := op.client("app", WithClientSecret("app-secret"))
			r, err := c.DeviceAuth(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			tt.act(op)
			_, err = c.PollDeviceToken(t.Context(), r, "")
			var ae *kc.APIError
			if !errors.As(err, &ae) || ae.ErrorCode != tt.code {
				t.Fatalf("error = %v, want %s", err, tt.code)
			}
		})
	}
	t.Run("not enabled", func(t *testing.T) {
		t.Parallel()
		op := newFakeOP(t)
		_, err := op.client("other", WithClientSecret("other-secret")).DeviceAuth(t.Context())
		if !errors.Is(err, kc.ErrInvalidGrant) {
			t.Fatalf("error = %v, want invalid_grant", err)
		}
	})
	t.Run("cancelled while pending", func(t *testing.T) {
		t.Parallel()
		op := newFakeOP(t)
		c := op.client("app", WithClientSecret("app-secret"))
		r, err := c.DeviceAuth(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(t.Context())
		n := 0
		c.wait = func(ctx context.Context, d time.Duration) error {
			if n++; n == 3 {
				cancel()
			}
			return ctx.Err()
		}
		if _, err := c.PollDeviceToken(ctx, r, ""); !errors.Is(err, context.Canceled) {
			t.Fatalf("error = %v, want context.Canceled", err)
		}
		if got := op.count("/token"); got != 2 {
			t.Errorf("%d polls, want 2", got)
		}
	})
}
