package oidc

import (
	"errors"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kcgo/kc"
)

func TestLogoutSucceedsOnlyOn204OrEmpty200(t *testing.T) {
	// Keycloak: LogoutEndpoint.logoutToken answers 204. Other providers
	// answer the back-channel POST with a login page (200 HTML) or a
	// redirect, having logged nobody out.
	t.Parallel()
	for _, tc := range []struct {
		name   string
		status int
		body   string
		ok     bool
	}{
		{"204", 204, "", true},
		{"200 empty", 200, "", true},
		{"200 white space", 200, " \r\n", true},
		{"200 HTML", 200, "<html><body>Logging out…</body></html>", false},
		{"200 JSON", 200, `{"status":"ok"}`, false},
		{"302", 302, "", false},
		{"303", 303, "", false},
	} {
		op := newFakeOP(t)
		c := op.client("app", WithClientSecret("app-secret"))
		tok, err := c.Password(t.Context(), "alice", "alice-pw")
		if err != nil {
			t.Fatal(err)
		}
		op.inject("/logout", fault{status: tc.status, body: tc.body, times: 1})
		err = c.Logout(t.Context(), tok.RefreshToken)
		if (err == nil) != tc.ok {
			t.Errorf("%s: err = %v, want ok=%v", tc.name, err, tc.ok)
		}
		if err != nil && strings.Contains(err.Error(), tok.RefreshToken) {
			t.Errorf("%s: the error shows the refresh token: %v", tc.name, err)
		}
	}
}

func TestEndSessionURL(t *testing.T) {
	// OpenID Connect RP-Initiated Logout 1.0 §2; Keycloak:
	// LogoutEndpoint.logout reads id_token_hint, post_logout_redirect_uri,
	// state, client_id (and ui_locales, logout_hint).
	t.Parallel()
	op := newFakeOP(t)
	c := op.client("app")
	got, err := c.EndSessionURL(t.Context(), EndSession{
		IDTokenHint: "eyJ.id.token", PostLogoutRedirectURI: "https://app.example/bye?x=1", State: "st-1", UILocales: "de",
	})
	if err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(got)
	if err != nil {
		t.Fatal(err)
	}
	if base := u.Scheme + "://" + u.Host + u.Path; base != op.issuer+"/protocol/openid-connect/logout" {
		t.Errorf("endpoint = %s", base)
	}
	want := url.Values{"id_token_hint": {"eyJ.id.token"}, "post_logout_redirect_uri": {"https://app.example/bye?x=1"},
		"state": {"st-1"}, "client_id": {"app"}, "ui_locales": {"de"}}
	if diff := cmp.Diff(want, u.Query()); diff != "" {
		t.Errorf("query (-want +got):\n%s", diff)
	}
	if got, err := c.EndSessionURL(t.Context(), EndSession{}); err != nil || got != op.issuer+"/protocol/openid-connect/logout?client_id=app" {
		t.Errorf("no parameters: %q, %v", got, err)
	}
	for _, tc := range []struct {
		es   EndSession
		want string
	}{
		{EndSession{PostLogoutRedirectURI: "/relative"}, "PostLogoutRedirectURI"},
		{EndSession{PostLogoutRedirectURI: "https://app/#frag"}, "PostLogoutRedirectURI"},
		{EndSession{State: "s"}, "State needs a PostLogoutRedirectURI"},
	} {
		if _, err := c.EndSessionURL(t.Context(), tc.es); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: err = %v, want %q", tc.es, err, tc.want)
		}
	}
}

func TestExchangeTokenSendsRequestedTokenType(t *testing.T) {
	// RFC 8693 §2.1: without requested_token_type the server picks the
	// type; ExchangeToken documents access_token as the default, so it
	// sends it.
	t.Parallel()
	op := newFakeOP(t)
	c := op.client("app", WithClientSecret("app-secret"))
	tok, err := c.Password(t.Context(), "alice", "alice-pw")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ asked, sent string }{{"", TokenTypeAccessToken}, {TokenTypeRefreshToken, TokenTypeRefreshToken}} {
		before := op.count("/token")
		_, err := c.ExchangeToken(t.Context(), TokenExchange{SubjectToken: tok.AccessToken, RequestedTokenType: tc.asked})
		var ae *kc.APIError
		if err != nil && !errors.As(err, &ae) {
			t.Fatal(err)
		}
		reqs := op.requests("/token")[before:]
		if len(reqs) != 1 || reqs[0].Form.Get("requested_token_type") != tc.sent {
			t.Errorf("asked %q: sent %q, want %q", tc.asked, reqs[len(reqs)-1].Form.Get("requested_token_type"), tc.sent)
		}
	}
}
