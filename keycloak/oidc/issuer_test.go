package oidc_test

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/kcgo/kc"
	"github.com/kcgo/kc/keycloak/kctest"
	"github.com/kcgo/kc/keycloak/oidc"
)

// A client made from the issuer URL finds everything through
// {issuer}/.well-known/openid-configuration, also when Keycloak serves
// under a context path.
func TestNewFromIssuer(t *testing.T) {
	t.Parallel()
	for _, base := range []string{"", "/auth"} {
		t.Run("base="+base, func(t *testing.T) {
			t.Parallel()
			clock := kctest.NewFakeClock(time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC))
			s := kctest.Start(t, kctest.WithClock(clock.Now), kctest.WithBasePath(base), kctest.WithRealmFile(demoRealm))
			issuer := s.Issuer("demo")
			if want := "/auth/realms/demo"; base != "" && !strings.HasSuffix(issuer, want) {
				t.Fatalf("issuer %q does not end in %q", issuer, want)
			}
			c, err := oidc.NewFromIssuer(issuer, "demo-service", oidc.WithClientSecret("demo-service-secret"), oidc.WithClock(clock.Now))
			if err != nil {
				t.Fatal(err)
			}
			if c.Realm() != "" || c.String() != "oidc.Client{issuer="+issuer+", client=demo-service, auth=client_secret_basic}" {
				t.Errorf("Realm() = %q, String() = %q", c.Realm(), c.String())
			}
			tok, err := c.ClientCredentials(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			v, err := c.Verifier(oidc.VerifierConfig{SkipAudienceCheck: true, AuthorizedParty: "demo-service"})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := v.Verify(t.Context(), tok.AccessToken); err != nil {
				t.Errorf("Verify: %v", err)
			}
			if n := s.RequestCount("GET", base+"/realms/demo/.well-known/openid-configuration"); n != 1 {
				t.Errorf("%d discovery requests, want 1", n)
			}
		})
	}
}

// OpenID Connect Discovery §4.3: the document's issuer must be exactly the
// issuer asked for; a trailing slash is another issuer.
func TestNewFromIssuerMismatch(t *testing.T) {
	t.Parallel()
	s := kctest.Start(t, kctest.WithRealmFile(demoRealm))
	c, err := oidc.NewFromIssuer(s.Issuer("demo")+"/", "demo-service", oidc.WithClientSecret("demo-service-secret"))
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.ClientCredentials(t.Context())
	if !errors.Is(err, oidc.ErrIssuerMismatch) {
		t.Fatalf("error = %v, want ErrIssuerMismatch", err)
	}
	if n := s.RequestCount("POST", "/realms/demo/protocol/openid-connect/token"); n != 0 {
		t.Errorf("%d token requests after a mismatched discovery document, want 0", n)
	}

	// A provider that names another provider's issuer (a mix-up): its
	// endpoints are never used.
	var tokenCalls int
	mux := http.NewServeMux()
	var evil *httptest.Server
	mux.HandleFunc("GET /tenant/.well-known/openid-configuration", func(w http.ResponseWriter, r *http.Request) {
		json.NewEncoder(w).Encode(map[string]string{"issuer": s.Issuer("demo"), "token_endpoint": evil.URL + "/token"})
	})
	mux.HandleFunc("POST /token", func(http.ResponseWriter, *http.Request) { tokenCalls++ })
	evil = httptest.NewServer(mux)
	defer evil.Close()
	c, err = oidc.NewFromIssuer(evil.URL+"/tenant", "app", oidc.WithClientSecret("secret"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.ClientCredentials(t.Context()); !errors.Is(err, oidc.ErrIssuerMismatch) || tokenCalls != 0 {
		t.Errorf("error = %v, %d token calls; want ErrIssuerMismatch and none", err, tokenCalls)
	}
}

func TestNewFromIssuerArguments(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		issuer string
		opts   []kc.Option
		want   string
	}{
		{"", nil, "oidc: NewFromIssuer: issuerURL is empty"},
		{"ftp://sso.example.com/realms/a", nil, `oidc: NewFromIssuer: issuerURL "ftp://sso.example.com/realms/a" is not an http(s) URL without query or fragment`},
		{"https://sso.example.com/realms/a?x=1", nil, `oidc: NewFromIssuer: issuerURL "https://sso.example.com/realms/a?x=1" is not an http(s) URL without query or fragment`},
		{"/realms/a", nil, `oidc: NewFromIssuer: issuerURL "/realms/a" is not an http(s) URL without query or fragment`},
		{"https://u:s3cret@sso.example.com/realms/a", nil, "oidc: NewFromIssuer: issuerURL must not hold credentials"},
		{"https://sso.example.com/realms/a", []kc.Option{kc.WithLegacyAuthPath()}, "oidc: NewFromIssuer: kc.WithBasePath and kc.WithLegacyAuthPath do not apply: issuerURL holds the whole path"},
		{"https://sso.example.com/realms/a", []kc.Option{oidc.WithDiscoveryDocument(&oidc.Discovery{Issuer: "https://sso.example.com/realms/b", TokenEndpoint: "https://sso.example.com/t"})},
			`oidc: issuer mismatch: WithDiscoveryDocument's issuer is "https://sso.example.com/realms/b", not "https://sso.example.com/realms/a"`},
	} {
		_, err := oidc.NewFromIssuer(tc.issuer, "app", tc.opts...)
		if err == nil || err.Error() != tc.want {
			t.Errorf("NewFromIssuer(%q) error = %v, want %q", tc.issuer, err, tc.want)
		}
	}
	if _, err := oidc.NewFromIssuer("https://sso.example.com/realms/a", ""); err == nil || err.Error() != "oidc: clientID is empty" {
		t.Errorf("empty clientID: %v", err)
	}
}

// RFC 9207: Keycloak advertises authorization_response_iss_parameter_supported
// and puts iss in every authorization response (Keycloak:
// AuthorizationEndpointResponse / OIDCRedirectUriBuilder adds "iss").
func TestParseAuthorizationResponse(t *testing.T) {
	t.Parallel()
	s, clock := start(t)
	c := newClient(t, s, clock, "demo-app")
	const redirect = "http://127.0.0.1/callback"
	state, verifier := oidc.GenerateState(), oidc.GenerateVerifier()
	authURL, err := c.AuthCodeURL(t.Context(), state, oidc.RedirectURI(redirect), oidc.PKCE(verifier))
	if err != nil {
		t.Fatal(err)
	}
	cb, err := s.Login(authURL, "alice", "alice")
	if err != nil {
		t.Fatal(err)
	}
	q := cb.Query()
	if q.Get("iss") != s.Issuer("demo") {
		t.Fatalf("callback %s has no iss of the realm", cb)
	}
	with := func(kv ...string) url.Values {
		out := url.Values{}
		for k, v := range q {
			out[k] = v
		}
		for i := 0; i < len(kv); i += 2 {
			if kv[i+1] == "-" {
				out.Del(kv[i])
			} else {
				out.Set(kv[i], kv[i+1])
			}
		}
		return out
	}
	for _, tc := range []struct {
		name     string
		response url.Values
		want     error
	}{
		{"iss missing", with("iss", "-"), oidc.ErrIssuerMismatch},
		{"iss of another provider", with("iss", "https://evil.example.com/realms/demo"), oidc.ErrIssuerMismatch},
		{"iss twice", func() url.Values { v := with(); v.Add("iss", s.Issuer("demo")); return v }(), oidc.ErrIssuerMismatch},
		{"state missing", with("state", "-"), oidc.ErrStateMismatch},
		{"state of another login", with("state", oidc.GenerateState()), oidc.ErrStateMismatch},
	} {
		if _, err := c.ParseAuthorizationResponse(t.Context(), tc.response, state); !errors.Is(err, tc.want) {
			t.Errorf("%s: error = %v, want %v", tc.name, err, tc.want)
		}
	}
	denied := url.Values{"error": {"access_denied"}, "error_description": {"the user said no"}, "state": {state}, "iss": {s.Issuer("demo")}}
	_, err = c.ParseAuthorizationResponse(t.Context(), denied, state)
	var ae *oidc.AuthorizationError
	if !errors.As(err, &ae) || ae.ErrorCode != "access_denied" || err.Error() != "oidc: authorization response: access_denied: the user said no" {
		t.Errorf("error answer: %v, want *AuthorizationError access_denied", err)
	}
	if _, err := c.ParseAuthorizationResponse(t.Context(), with("code", "-"), state); err == nil || err.Error() != "oidc: authorization response has no code" {
		t.Errorf("no code: %v", err)
	}

	code, err := c.ParseAuthorizationResponse(t.Context(), q, state)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.ExchangeCode(t.Context(), code, redirect, verifier); err != nil {
		t.Errorf("Exchange: %v", err)
	}

	// A provider that does not advertise the iss parameter may leave it out,
	// but when it sends one it must be its own.
	noIss, err := oidc.New(s.URL, "demo", "demo-app", oidc.WithDiscoveryDocument(&oidc.Discovery{
		Issuer: s.Issuer("demo"), TokenEndpoint: s.Issuer("demo") + "/protocol/openid-connect/token"}))
	if err != nil {
		t.Fatal(err)
	}
	if got, err := noIss.ParseAuthorizationResponse(t.Context(), with("iss", "-"), state); err != nil || got != code {
		t.Errorf("without iss, not advertised: %q, %v", got, err)
	}
	if _, err := noIss.ParseAuthorizationResponse(t.Context(), with("iss", "https://evil.example.com"), state); !errors.Is(err, oidc.ErrIssuerMismatch) {
		t.Errorf("other iss, not advertised: %v, want ErrIssuerMismatch", err)
	}
	if _, err := noIss.ParseAuthorizationResponse(t.Context(), q, ""); err == nil || err.Error() != "oidc: ParseAuthorizationResponse: state is empty" {
		t.Errorf("empty state: %v", err)
	}
}
