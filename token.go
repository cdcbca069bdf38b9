package kc

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"golang.org/x/oauth2"

	"github.com/kcgo/kc/internal/origin"
	"github.com/kcgo/kc/internal/redact"
)

// Token is what a token endpoint returns: an access token and, depending
// on the grant, a refresh token and an ID token.
//
// Its String, GoString, Format, LogValue and MarshalJSON methods never
// show the tokens themselves, so a Token can be printed and logged, as a
// value, a pointer, a slice element or a struct field.
type Token struct {
	AccessToken  string
	TokenType    string // "Bearer" for Keycloak; "N_A" for an exchanged ID token
	RefreshToken string
	IDToken      string

	Expiry        time.Time // when AccessToken expires; zero if unknown
	RefreshExpiry time.Time // when RefreshToken expires; zero if unknown or none

	Scope           string // space-separated granted scopes
	SessionState    string // Keycloak's session_state
	IssuedTokenType string // token exchange: the type of AccessToken
	NotBeforePolicy int64  // Keycloak's not-before-policy
	Upgraded        bool   // UMA: the RPT was upgraded from a previous one
}

// Valid reports whether t has an access token that has not expired at now.
func (t *Token) Valid(now time.Time) bool {
	return t != nil && t.AccessToken != "" && (t.Expiry.IsZero() || now.Before(t.Expiry))
}

// ExpiresWithin reports whether the access token expires within d of now,
// or has no access token at all. A token without expiry never expires.
func (t *Token) ExpiresWithin(now time.Time, d time.Duration) bool {
	if t == nil || t.AccessToken == "" {
		return true
	}
	return !t.Expiry.IsZero() && !now.Add(d).Before(t.Expiry)
}

// String describes t without any secret.
func (t Token) String() string {
	return fmt.Sprintf("kc.Token{type=%s, access=%s, refresh=%s, id=%s, expiry=%s, scope=%q}",
		t.TokenType, present(t.AccessToken), present(t.RefreshToken), present(t.IDToken),
		t.Expiry.Format(time.RFC3339), t.Scope)
}

// GoString is String, so %#v shows no secret either.
func (t Token) GoString() string { return t.String() }

// Format makes every fmt verb print String, for a Token, a *Token, and
// one in a slice or a struct field.
func (t Token) Format(f fmt.State, _ rune) { fmt.Fprint(f, t.String()) }

// LogValue makes slog log the token without its secrets.
func (t Token) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("type", t.TokenType),
		slog.String("access", present(t.AccessToken)),
		slog.String("refresh", present(t.RefreshToken)),
		slog.String("id", present(t.IDToken)),
		slog.Time("expiry", t.Expiry),
		slog.String("scope", t.Scope),
	)
}

// MarshalJSON encodes t with its tokens replaced by REDACTED, so that a
// Token inside a value that is logged as JSON (slog's JSONHandler encodes
// nested values with encoding/json) shows no secret. A Token is not a
// storage format: to keep one, store [ToOAuth2]'s *oauth2.Token.
func (t Token) MarshalJSON() ([]byte, error) {
	type plain Token
	p := plain(t)
	p.AccessToken, p.RefreshToken, p.IDToken = redact.Secret(p.AccessToken), redact.Secret(p.RefreshToken), redact.Secret(p.IDToken)
	return json.Marshal(p)
}

func present(s string) string {
	if s == "" {
		return "none"
	}
	return "REDACTED"
}

// TokenSource supplies tokens. Implementations must be safe for concurrent
// use. The managed sources of package oidc cache the token, refresh it
// before it expires, and make one request however many goroutines ask.
type TokenSource interface {
	Token(ctx context.Context) (*Token, error)
}

// TokenInvalidator is implemented by token sources that can drop a token
// the server rejected. On a 401 answer kc calls InvalidateToken, asks the
// source for a token again and repeats the request once.
type TokenInvalidator interface {
	InvalidateToken(t *Token)
}

// TokenSourceFunc adapts a function to a TokenSource.
type TokenSourceFunc func(ctx context.Context) (*Token, error)

// Token calls f.
func (f TokenSourceFunc) Token(ctx context.Context) (*Token, error) { return f(ctx) }

// StaticTokenSource always returns the same token: for an access token the
// caller already holds and refreshes itself.
func StaticTokenSource(t *Token) TokenSource { return staticSource{t} }

// StaticAccessToken is StaticTokenSource for a bare access token.
func StaticAccessToken(accessToken string) TokenSource {
	return staticSource{&Token{AccessToken: accessToken, TokenType: "Bearer"}}
}

type staticSource struct{ t *Token }

func (s staticSource) Token(context.Context) (*Token, error) {
	if s.t == nil || s.t.AccessToken == "" {
		return nil, errors.New("kc: static token source has no access token")
	}
	return s.t, nil
}

// OAuth2TokenSource adapts ts to golang.org/x/oauth2. The oauth2 interface
// takes no context, so each call uses context.Background: the per-attempt
// timeout of the source's client still bounds it.
func OAuth2TokenSource(ts TokenSource) oauth2.TokenSource { return oauth2Source{ts} }

type oauth2Source struct{ ts TokenSource }

func (s oauth2Source) Token() (*oauth2.Token, error) {
	t, err := s.ts.Token(context.Background())
	if err != nil {
		return nil, err
	}
	return ToOAuth2(t), nil
}

// ToOAuth2 converts t to an *oauth2.Token. The ID token and Keycloak's
// extra fields are kept in its extra values ("id_token", "scope",
// "session_state").
func ToOAuth2(t *Token) *oauth2.Token {
	o := &oauth2.Token{
		AccessToken:  t.AccessToken,
		TokenType:    t.TokenType,
		RefreshToken: t.RefreshToken,
		Expiry:       t.Expiry,
	}
	extra := map[string]any{}
	if t.IDToken != "" {
		extra["id_token"] = t.IDToken
	}
	if t.Scope != "" {
		extra["scope"] = t.Scope
	}
	if t.SessionState != "" {
		extra["session_state"] = t.SessionState
	}
	if len(extra) > 0 {
		o = o.WithExtra(extra)
	}
	return o
}

// FromOAuth2 adapts an oauth2.TokenSource to a TokenSource. The context is
// not passed on: oauth2 sources take none.
func FromOAuth2(ts oauth2.TokenSource) TokenSource {
	return TokenSourceFunc(func(ctx context.Context) (*Token, error) {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		o, err := ts.Token()
		if err != nil {
			return nil, err
		}
		t := &Token{AccessToken: o.AccessToken, TokenType: o.TokenType, RefreshToken: o.RefreshToken, Expiry: o.Expiry}
		if s, ok := o.Extra("id_token").(string); ok {
			t.IDToken = s
		}
		if s, ok := o.Extra("scope").(string); ok {
			t.Scope = s
		}
		return t, nil
	})
}

// NewHTTPClient returns an *http.Client that sends
// "Authorization: Bearer <token>" from ts on every request, with the
// request's own context. When the client follows a redirect, the token
// goes only to a hop on the origin (scheme, host and port) of the request
// the caller made: a redirect to another host, port or scheme gets no
// token. base may be nil (http.DefaultTransport, and a
// 30-second timeout); otherwise its transport and settings are used.
// On a 401 answer to a request whose body can be sent again (no body, or one
// with GetBody, which http.NewRequest sets for bytes and strings readers), a
// source that is a [TokenInvalidator] drops the token and the request is sent
// once more.
func NewHTTPClient(base *http.Client, ts TokenSource) *http.Client {
	var c http.Client
	if base != nil {
		c = *base
	} else {
		c.Timeout = 30 * time.Second
	}
	next := c.Transport
	if next == nil {
		next = http.DefaultTransport
	}
	c.Transport = &bearerTransport{next: next, ts: ts}
	return &c
}

type bearerTransport struct {
	next http.RoundTripper
	ts   TokenSource
}

func (b *bearerTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	// A hop of a redirect has the response that caused it; the first
	// request of the chain is the one the caller made, for whose origin
	// the token is meant.
	first := req
	for first.Response != nil && first.Response.Request != nil {
		first = first.Response.Request
	}
	if first != req && !origin.Same(first.URL, req.URL) {
		return b.next.RoundTrip(req)
	}
	resp, tok, err := b.send(req)
	if err != nil {
		return nil, err
	}
	inv, ok := b.ts.(TokenInvalidator)
	if resp.StatusCode != http.StatusUnauthorized || !ok || (req.Body != nil && req.GetBody == nil) {
		return resp, nil
	}
	resp.Body.Close()
	inv.InvalidateToken(tok)
	if req.GetBody != nil {
		body, err := req.GetBody()
		if err != nil {
			return nil, err
		}
		req = req.Clone(req.Context())
		req.Body = body
	}
	resp, _, err = b.send(req)
	return resp, err
}

func (b *bearerTransport) send(req *http.Request) (*http.Response, *Token, error) {
	tok, err := b.ts.Token(req.Context())
	if err != nil {
		if req.Body != nil {
			req.Body.Close()
		}
		return nil, nil, fmt.Errorf("kc: token for %s %s: %w", req.Method, req.URL.Redacted(), err)
	}
	r := req.Clone(req.Context())
	r.Header.Set("Authorization", "Bearer "+tok.AccessToken)
	resp, err := b.next.RoundTrip(r)
	return resp, tok, err
}
