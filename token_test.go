package kc_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/oauth2"

	"github.com/kcgo/kc"
)

var secretToken = &kc.Token{
	AccessToken: "access-SECRET", RefreshToken: "refresh-SECRET", IDToken: "id-SECRET",
	TokenType: "Bearer", Scope: "openid email", Expiry: time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC),
}

func TestTokenNeverPrintsSecrets(t *testing.T) {
	t.Parallel()
	var logBuf strings.Builder
	slog.New(slog.NewTextHandler(&logBuf, nil)).Info("got", "token", secretToken)
	outs := []string{
		fmt.Sprint(secretToken), fmt.Sprintf("%v", secretToken), fmt.Sprintf("%+v", secretToken),
		fmt.Sprintf("%#v", secretToken), fmt.Sprintf("%s", secretToken), fmt.Sprintf("%q", secretToken),
		secretToken.String(), logBuf.String(),
	}
	for _, out := range outs {
		if strings.Contains(out, "SECRET") {
			t.Errorf("printed a secret: %s", out)
		}
	}
	if !strings.Contains(outs[0], `scope="openid email"`) || !strings.Contains(logBuf.String(), "access=REDACTED") {
		t.Errorf("prints too little: %s / %s", outs[0], logBuf.String())
	}
}

func TestTokenExpiry(t *testing.T) {
	t.Parallel()
	now := time.Date(2030, 1, 2, 3, 0, 0, 0, time.UTC)
	if !secretToken.Valid(now) || secretToken.Valid(now.Add(time.Hour)) {
		t.Error("Valid is wrong around the expiry")
	}
	if secretToken.ExpiresWithin(now, time.Minute) || !secretToken.ExpiresWithin(now, 5*time.Minute) {
		t.Error("ExpiresWithin is wrong")
	}
	var none *kc.Token
	if none.Valid(now) || !none.ExpiresWithin(now, 0) {
		t.Error("nil token")
	}
}

func TestStaticTokenSource(t *testing.T) {
	t.Parallel()
	got, err := kc.StaticTokenSource(secretToken).Token(t.Context())
	if err != nil || got != secretToken {
		t.Errorf("got %v, %v", got, err)
	}
	if _, err := kc.StaticAccessToken("").Token(t.Context()); err == nil {
		t.Error("empty static token accepted")
	}
}

func TestOAuth2Adapters(t *testing.T) {
	t.Parallel()
	o, err := kc.OAuth2TokenSource(kc.StaticTokenSource(secretToken)).Token()
	if err != nil {
		t.Fatal(err)
	}
	if o.AccessToken != "access-SECRET" || o.RefreshToken != "refresh-SECRET" || !o.Expiry.Equal(secretToken.Expiry) || o.Extra("id_token") != "id-SECRET" {
		t.Errorf("oauth2 token: %+v", o)
	}
	back, err := kc.FromOAuth2(oauth2.StaticTokenSource(o)).Token(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	want := &kc.Token{AccessToken: "access-SECRET", RefreshToken: "refresh-SECRET", IDToken: "id-SECRET", TokenType: "Bearer", Scope: "openid email", Expiry: secretToken.Expiry}
	if diff := cmp.Diff(want, back); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := kc.FromOAuth2(oauth2.StaticTokenSource(o)).Token(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled context: %v", err)
	}
}

type rotatingSource struct {
	mu  sync.Mutex
	gen int
}

func (s *rotatingSource) Token(context.Context) (*kc.Token, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return &kc.Token{AccessToken: fmt.Sprintf("t%d", s.gen)}, nil
}
func (s *rotatingSource) InvalidateToken(*kc.Token) { s.mu.Lock(); s.gen++; s.mu.Unlock() }

func TestNewHTTPClientAddsBearerAndRetriesOn401(t *testing.T) {
	t.Parallel()
	var seen []string
	var mu sync.Mutex
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen = append(seen, r.Method+" "+r.Header.Get("Authorization"))
		mu.Unlock()
		if r.Header.Get("Authorization") != "Bearer t1" {
			w.WriteHeader(401)
		}
	}))
	t.Cleanup(srv.Close)
	hc := kc.NewHTTPClient(nil, &rotatingSource{})
	if hc.Timeout != 30*time.Second {
		t.Errorf("timeout %v", hc.Timeout)
	}
	req, _ := http.NewRequestWithContext(t.Context(), "POST", srv.URL, strings.NewReader("body"))
	resp, err := hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("status %d", resp.StatusCode)
	}
	if diff := cmp.Diff([]string{"POST Bearer t0", "POST Bearer t1"}, seen); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if req.Header.Get("Authorization") != "" {
		t.Error("the caller's request was modified")
	}
}

func TestAPIErrorMessage(t *testing.T) {
	t.Parallel()
	e := &kc.APIError{StatusCode: 401, Method: "POST", URL: "https://kc/realms/r/protocol/openid-connect/token",
		ErrorCode: "invalid_grant", ErrorDescription: "Invalid user credentials"}
	want := "kc: POST https://kc/realms/r/protocol/openid-connect/token: 401 Unauthorized: invalid_grant: Invalid user credentials"
	if e.Error() != want {
		t.Errorf("Error() = %q\nwant      %q", e.Error(), want)
	}
	e2 := &kc.APIError{StatusCode: 400, Errors: []kc.FieldError{{Field: "email", ErrorMessage: "error-invalid-email"}, {Field: "username", ErrorMessage: "error-empty"}}}
	if got := e2.Error(); got != "kc: 400 Bad Request: email: error-invalid-email: username: error-empty" {
		t.Errorf("Error() = %q", got)
	}
	if !errors.Is(fmt.Errorf("wrapped: %w", e), kc.ErrInvalidGrant) {
		t.Error("wrapped invalid_grant not matched")
	}
}

func TestPtr(t *testing.T) {
	t.Parallel()
	p := kc.Ptr(false)
	if p == nil || *p {
		t.Error("Ptr(false)")
	}
}
