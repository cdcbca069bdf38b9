package oidc_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/kcgo/kc"
	"github.com/kcgo/kc/keycloak/kctest"
	"github.com/kcgo/kc/keycloak/oidc"
)

// TestKCFailureRowDescriptions checks the failure rows of the reference's
// §4.2-§4.9 that a client can meet, through the client, against kctest:
// status, error and error_description exactly, and errors.Is with the
// kc sentinel for the status.
func TestKCFailureRowDescriptions(t *testing.T) {
	t.Parallel()
	s, clock := start(t)
	s.AddClient("demo", kctest.Client{ClientID: "api-only", BearerOnly: true, Secret: "x"})
	s.AddClient("demo", kctest.Client{ClientID: "no-sa", Secret: "no-sa-secret", DirectAccessGrants: true})
	s.AddUser("demo", kctest.User{Username: "newbie", Password: "pw", RequiredActions: []string{"UPDATE_PASSWORD"}})
	s.AddUser("demo", kctest.User{Username: "dora", Password: "pw", Enabled: kc.Ptr(false)})
	s.AddUser("demo", kctest.User{Username: "erin", Password: "pw"}) // no role of demo-api: not in its audience
	s.AddUser("demo", kctest.User{Username: "fred", Password: "pw"})
	s.AddClient("demo", kctest.Client{ClientID: "sa-off", Secret: "sa-off-secret", ServiceAccounts: true})
	if err := s.SetUserEnabled("demo", "service-account-sa-off", false); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ImportRealm(strings.NewReader(`{"realm":"consent","enabled":true,"clients":[{"clientId":"asks","publicClient":true,` +
		`"directAccessGrantsEnabled":true,"consentRequired":true}]}`)); err != nil {
		t.Fatal(err)
	}
	consent, err := oidc.New(s.URL, "consent", "asks", oidc.WithClock(clock.Now))
	if err != nil {
		t.Fatal(err)
	}
	app := newClient(t, s, clock, "demo-app")
	api := newClient(t, s, clock, "demo-api", oidc.WithClientSecret("demo-api-secret"))
	service := newClient(t, s, clock, "demo-service", oidc.WithClientSecret("demo-service-secret"))

	appTok, err := app.Password(t.Context(), "alice", "alice")
	if err != nil {
		t.Fatal(err)
	}
	erinTok, err := app.Password(t.Context(), "erin", "pw")
	if err != nil {
		t.Fatal(err)
	}
	apiTok, err := api.Password(t.Context(), "alice", "alice")
	if err != nil {
		t.Fatal(err)
	}
	loggedOut, err := app.Password(t.Context(), "bob", "bob")
	if err != nil {
		t.Fatal(err)
	}
	if err := app.Logout(t.Context(), loggedOut.RefreshToken); err != nil {
		t.Fatal(err)
	}
	const redirect = "http://127.0.0.1/callback"
	codeFor := func(user, password string) string {
		u, err := app.AuthCodeURL(t.Context(), "st", oidc.RedirectURI(redirect))
		if err != nil {
			t.Fatal(err)
		}
		cb, err := s.Login(u, user, password)
		if err != nil {
			t.Fatal(err)
		}
		return cb.Query().Get("code")
	}
	code := func() string { return codeFor("alice", "alice") }
	usedCode := code()
	fredCode := codeFor("fred", "pw")
	if err := s.SetUserEnabled("demo", "fred", false); err != nil {
		t.Fatal(err)
	}
	idTok, err := api.Password(t.Context(), "alice", "alice", oidc.Scope("openid"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := app.ExchangeCode(t.Context(), usedCode, redirect, ""); err != nil {
		t.Fatal(err)
	}
	dev, err := app.DeviceAuth(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if err := s.ApproveDevice("demo", dev.UserCode, "alice"); err != nil {
		t.Fatal(err)
	}
	if _, err := app.PollDeviceToken(t.Context(), dev, ""); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name   string
		call   func() error
		status int
		code   string
		desc   string
	}{
		// §4.2 client authentication
		{"unknown client", func() error {
			_, err := newClient(t, s, clock, "nobody", oidc.WithClientSecret("x")).ClientCredentials(t.Context())
			return err
		},
			401, "invalid_client", "Invalid client or Invalid client credentials"},
		{"wrong secret", func() error {
			_, err := newClient(t, s, clock, "demo-service", oidc.WithClientSecret("wrong")).ClientCredentials(t.Context())
			return err
		}, 401, "unauthorized_client", "Invalid client or Invalid client credentials"},
		{"bearer-only client", func() error {
			_, err := newClient(t, s, clock, "api-only", oidc.WithClientSecret("x")).ClientCredentials(t.Context())
			return err
		},
			400, "invalid_client", "Bearer-only not allowed"},
		// §4.3 password
		{"wrong password", func() error { _, err := app.Password(t.Context(), "alice", "wrong"); return err }, 401, "invalid_grant", "Invalid user credentials"},
		{"unknown user", func() error { _, err := app.Password(t.Context(), "nobody", "pw"); return err }, 401, "invalid_grant", "Invalid user credentials"},
		{"direct access not allowed", func() error { _, err := service.Password(t.Context(), "alice", "alice"); return err },
			400, "unauthorized_client", "Client not allowed for direct access grants"},
		{"consent required", func() error { _, err := consent.Password(t.Context(), "alice", "alice"); return err },
			400, "invalid_client", "Client requires user consent"},
		{"account disabled", func() error { _, err := app.Password(t.Context(), "dora", "pw"); return err }, 400, "invalid_grant", "Account disabled"},
		{"account not set up", func() error { _, err := app.Password(t.Context(), "newbie", "pw"); return err }, 400, "invalid_grant", "Account is not fully set up"},
		{"bad scope", func() error {
			_, err := app.Password(t.Context(), "alice", "alice", oidc.Scope("nonexistent"))
			return err
		},
			400, "invalid_scope", "Invalid scopes: nonexistent"},
		// §4.3 client_credentials
		{"public client", func() error { _, err := app.ClientCredentials(t.Context()); return err },
			401, "unauthorized_client", "Public client not allowed to retrieve service account"},
		{"no service account", func() error {
			_, err := newClient(t, s, clock, "no-sa", oidc.WithClientSecret("no-sa-secret")).ClientCredentials(t.Context())
			return err
		}, 401, "unauthorized_client", "Client not enabled to retrieve service account"},
		{"service account disabled", func() error {
			_, err := newClient(t, s, clock, "sa-off", oidc.WithClientSecret("sa-off-secret")).ClientCredentials(t.Context())
			return err
		}, 401, "invalid_request", "User 'service-account-sa-off' disabled"},
		// §4.3 authorization_code
		{"code of another client", func() error { _, err := api.ExchangeCode(t.Context(), code(), redirect, ""); return err },
			400, "invalid_grant", "Auth error: Found different client_id in clientSession"},
		// kctest ends a disabled user's sessions, so the code's session is gone.
		{"user disabled after login", func() error { _, err := app.ExchangeCode(t.Context(), fredCode, redirect, ""); return err },
			400, "invalid_grant", "Session not active"},
		{"code reused", func() error { _, err := app.ExchangeCode(t.Context(), usedCode, redirect, ""); return err }, 400, "invalid_grant", "Code not valid"},
		{"code made up", func() error { _, err := app.ExchangeCode(t.Context(), "made-up", redirect, ""); return err }, 400, "invalid_grant", "Code not valid"},
		{"wrong redirect_uri", func() error {
			_, err := app.ExchangeCode(t.Context(), code(), "http://127.0.0.1/other", "")
			return err
		},
			400, "invalid_grant", "Incorrect redirect_uri"},
		// §4.3 refresh_token
		{"refresh garbage", func() error { _, err := app.Refresh(t.Context(), "garbage"); return err }, 400, "invalid_grant", "Invalid refresh token"},
		{"refresh of another client", func() error { _, err := app.Refresh(t.Context(), apiTok.RefreshToken); return err },
			400, "invalid_grant", "Invalid refresh token. Token client and authorized client don't match"},
		{"refresh after logout", func() error { _, err := app.Refresh(t.Context(), loggedOut.RefreshToken); return err },
			400, "invalid_grant", "Session not active"},
		// §4.3 token exchange
		{"exchange by a public client", func() error {
			_, err := app.ExchangeToken(t.Context(), oidc.TokenExchange{SubjectToken: appTok.AccessToken})
			return err
		},
			400, "invalid_client", "Public client is not allowed to exchange token"},
		{"exchange not enabled", func() error {
			_, err := service.ExchangeToken(t.Context(), oidc.TokenExchange{SubjectToken: appTok.AccessToken})
			return err
		},
			400, "invalid_request", "Standard token exchange is not enabled for the requested client"},
		{"exchange of garbage", func() error {
			_, err := api.ExchangeToken(t.Context(), oidc.TokenExchange{SubjectToken: "garbage"})
			return err
		},
			400, "invalid_request", "Invalid token"},
		{"exchange outside the audience", func() error {
			_, err := api.ExchangeToken(t.Context(), oidc.TokenExchange{SubjectToken: erinTok.AccessToken})
			return err
		},
			403, "access_denied", "Client is not within the token audience"},
		{"exchange to an unknown type", func() error {
			_, err := api.ExchangeToken(t.Context(), oidc.TokenExchange{SubjectToken: apiTok.AccessToken, RequestedTokenType: "urn:x"})
			return err
		}, 400, "invalid_request", "requested_token_type unsupported"},
		// §4.3 device_code, §4.9
		{"device code used", func() error { _, err := app.PollDeviceToken(t.Context(), dev, ""); return err }, 400, "invalid_grant", "Device code not valid"},
		{"device grant not enabled", func() error { _, err := service.DeviceAuth(t.Context()); return err },
			400, "invalid_grant", "Client not allowed for OAuth 2.0 Device Authorization Grant"},
		// §4.6 introspection
		{"introspect by a public client", func() error { _, err := app.Introspect(t.Context(), appTok.AccessToken, oidc.HintNone); return err },
			403, "invalid_request", "Client not allowed."},
		{"introspect with a bad secret", func() error {
			_, err := newClient(t, s, clock, "demo-api", oidc.WithClientSecret("bad")).Introspect(t.Context(), appTok.AccessToken, oidc.HintNone)
			return err
		}, 401, "invalid_request", "Authentication failed."},
		{"introspect with an unknown hint", func() error { _, err := api.Introspect(t.Context(), appTok.AccessToken, "weird"); return err },
			400, "invalid_request", "Unsupported token type [weird]."},
		// §4.7 revocation
		{"revoke another client's token", func() error { return api.Revoke(t.Context(), appTok.RefreshToken, oidc.HintRefreshToken) },
			400, "invalid_request", "Unmatching clients"},
		{"revoke an ID token", func() error { return api.Revoke(t.Context(), idTok.IDToken, oidc.HintNone) },
			400, "unsupported_token_type", "Unsupported token type"},
		// §4.8 logout
		{"logout with garbage", func() error { return app.Logout(t.Context(), "garbage") }, 400, "invalid_grant", "Invalid refresh token"},
	}
	sentinel := map[int]error{400: kc.ErrBadRequest, 401: kc.ErrUnauthorized, 403: kc.ErrForbidden}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.call()
			var ae *kc.APIError
			if !errors.As(err, &ae) {
				t.Fatalf("error = %v, want *kc.APIError", err)
			}
			if ae.StatusCode != tt.status || ae.ErrorCode != tt.code || ae.ErrorDescription != tt.desc {
				t.Errorf("error = %d %s %q, want %d %s %q", ae.StatusCode, ae.ErrorCode, ae.ErrorDescription, tt.status, tt.code, tt.desc)
			}
			if !errors.Is(err, sentinel[tt.status]) {
				t.Errorf("errors.Is(%v, %v) = false", err, sentinel[tt.status])
			}
			if tt.code == "invalid_grant" && !errors.Is(err, kc.ErrInvalidGrant) {
				t.Errorf("errors.Is(%v, kc.ErrInvalidGrant) = false", err)
			}
		})
	}

	// Last, as it moves the shared clock: a refresh token past its
	// lifespan (the realm's SSO idle timeout, 30 minutes).
	t.Run("refresh token expired", func(t *testing.T) {
		tok, err := app.Password(t.Context(), "alice", "alice")
		if err != nil {
			t.Fatal(err)
		}
		clock.Advance(31 * time.Minute)
		_, err = app.Refresh(t.Context(), tok.RefreshToken)
		if ae := wantAPIError(t, err, 400, "invalid_grant"); ae.ErrorDescription != "Token is not active" {
			t.Errorf("error_description = %q, want %q", ae.ErrorDescription, "Token is not active")
		}
	})
}
