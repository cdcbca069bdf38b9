package oidc

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
)

// Errors the [Verifier.Middleware] gives its error handler, besides the
// errors of [Verifier.Verify].
var (
	// ErrNoBearerToken: the request has no "Authorization: Bearer" header.
	ErrNoBearerToken = errors.New("oidc: no bearer token in the Authorization header")
	// ErrBadAuthorization: the request has more than one Authorization
	// header, or a Bearer one without a token.
	ErrBadAuthorization = errors.New("oidc: malformed Authorization header")
	// ErrInsufficientScope: the token is valid but lacks a realm role, a
	// client role or a scope the middleware requires.
	ErrInsufficientScope = errors.New("oidc: token lacks a required role or scope")
)

// MiddlewareOption configures [Verifier.Middleware].
type MiddlewareOption func(*middleware)

type middleware struct {
	realmRoles  []string
	clientRoles []clientRoles
	scopes      []string
	onError     func(http.ResponseWriter, *http.Request, error)
	err         error
}

type clientRoles struct {
	clientID string
	roles    []string
}

// RequireRealmRoles makes the middleware let through only tokens whose
// realm_access holds every one of roles (composite roles are expanded by
// Keycloak when it issues the token).
func RequireRealmRoles(roles ...string) MiddlewareOption {
	return func(m *middleware) {
		if err := checkNames("RequireRealmRoles", "role", roles); err != nil {
			m.fail(err)
			return
		}
		m.realmRoles = append(m.realmRoles, roles...)
	}
}

// RequireClientRoles makes the middleware let through only tokens whose
// resource_access[clientID] holds every one of roles.
func RequireClientRoles(clientID string, roles ...string) MiddlewareOption {
	return func(m *middleware) {
		if clientID == "" {
			m.fail(errors.New("oidc: RequireClientRoles: clientID is empty"))
			return
		}
		if err := checkNames("RequireClientRoles", "role", roles); err != nil {
			m.fail(err)
			return
		}
		m.clientRoles = append(m.clientRoles, clientRoles{clientID, append([]string(nil), roles...)})
	}
}

// RequireScopes makes the middleware let through only tokens whose scope
// claim holds every one of scopes.
func RequireScopes(scopes ...string) MiddlewareOption {
	return func(m *middleware) {
		if err := checkNames("RequireScopes", "scope", scopes); err != nil {
			m.fail(err)
			return
		}
		m.scopes = append(m.scopes, scopes...)
	}
}

// OnError replaces [BearerErrorHandler], which answers the requests the
// middleware refuses. h gets the reason: an error of [Verifier.Verify],
// [ErrNoBearerToken], [ErrBadAuthorization] or one wrapping
// [ErrInsufficientScope]. It may log err; it should not send it to the
// client.
func OnError(h func(w http.ResponseWriter, r *http.Request, err error)) MiddlewareOption {
	return func(m *middleware) {
		if h == nil {
			m.fail(errors.New("oidc: OnError: handler is nil"))
			return
		}
		m.onError = h
	}
}

func (m *middleware) fail(err error) {
	if m.err == nil {
		m.err = err
	}
}

func checkNames(opt, what string, names []string) error {
	if len(names) == 0 {
		return fmt.Errorf("oidc: %s: no %s given", opt, what)
	}
	for _, n := range names {
		if n == "" {
			return fmt.Errorf("oidc: %s: empty %s", opt, what)
		}
	}
	return nil
}

// Middleware returns net/http middleware for a resource server: it takes
// the access token from the request's "Authorization: Bearer" header
// (RFC 6750 §2.1; a token in the query string or the form is ignored),
// checks it with [Verifier.Verify] and the requirements of opts
// ([RequireRealmRoles], [RequireClientRoles], [RequireScopes]), and calls
// next with the token's claims in the request's context
// ([ClaimsFromContext]). Every requirement must hold.
//
// A refused request gets the answer of [BearerErrorHandler], or of the
// handler given with [OnError]. A bad option (an empty role name, say) is
// an error that names it.
func (v *Verifier) Middleware(opts ...MiddlewareOption) (func(http.Handler) http.Handler, error) {
	m := &middleware{onError: BearerErrorHandler}
	for _, o := range opts {
		if o == nil {
			return nil, errors.New("oidc: Middleware: nil option")
		}
		o(m)
	}
	if m.err != nil {
		return nil, m.err
	}
	return func(next http.Handler) http.Handler {
		if next == nil {
			panic("oidc: Middleware: next handler is nil")
		}
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			tok, err := bearerToken(r)
			if err != nil {
				m.onError(w, r, err)
				return
			}
			claims, err := v.Verify(r.Context(), tok)
			if err != nil {
				m.onError(w, r, err)
				return
			}
			if err := m.authorize(claims); err != nil {
				m.onError(w, r, err)
				return
			}
			next.ServeHTTP(w, r.WithContext(ContextWithClaims(r.Context(), claims)))
		})
	}, nil
}

// authorize checks the requirements; the error names what is missing, for
// the error handler's log, not for the client.
func (m *middleware) authorize(c *Claims) error {
	for _, role := range m.realmRoles {
		if !c.HasRealmRole(role) {
			return fmt.Errorf("%w: realm role %q", ErrInsufficientScope, role)
		}
	}
	for _, cr := range m.clientRoles {
		for _, role := range cr.roles {
			if !c.HasClientRole(cr.clientID, role) {
				return fmt.Errorf("%w: client role %q of %q", ErrInsufficientScope, role, cr.clientID)
			}
		}
	}
	for _, s := range m.scopes {
		if !c.HasScope(s) {
			return fmt.Errorf("%w: scope %q", ErrInsufficientScope, s)
		}
	}
	return nil
}

// bearerToken returns the token of the request's one
// "Authorization: Bearer <token>" header (RFC 6750 §2.1: the scheme is
// case-insensitive, the token is b64token).
func bearerToken(r *http.Request) (string, error) {
	h := r.Header.Values("Authorization")
	switch {
	case len(h) == 0:
		return "", ErrNoBearerToken
	case len(h) > 1:
		return "", ErrBadAuthorization
	}
	scheme, tok, _ := strings.Cut(h[0], " ")
	if !strings.EqualFold(scheme, "Bearer") {
		return "", ErrNoBearerToken
	}
	tok = strings.TrimLeft(tok, " ")
	if tok == "" {
		return "", ErrBadAuthorization
	}
	if !isB64Token(tok) {
		return "", fmt.Errorf("%w: not a b64token", ErrMalformedToken)
	}
	return tok, nil
}

// isB64Token reports whether s is a b64token:
// 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"=".
func isB64Token(s string) bool {
	s = strings.TrimRight(s, "=")
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		ch := s[i]
		if !('A' <= ch && ch <= 'Z' || 'a' <= ch && ch <= 'z' || '0' <= ch && ch <= '9' ||
			ch == '-' || ch == '.' || ch == '_' || ch == '~' || ch == '+' || ch == '/') {
			return false
		}
	}
	return true
}

// BearerErrorHandler is the default error handler of [Verifier.Middleware].
// It answers as RFC 6750 §3 says, with nothing that would help an attacker:
//   - no bearer token: 401 with "WWW-Authenticate: Bearer";
//   - a malformed Authorization header: 400 with
//     `WWW-Authenticate: Bearer error="invalid_request"`;
//   - a token that fails verification: 401 with
//     `WWW-Authenticate: Bearer error="invalid_token"`;
//   - a missing role or scope ([ErrInsufficientScope]): 403 with
//     `WWW-Authenticate: Bearer error="insufficient_scope"`;
//   - anything else (the provider's keys could not be fetched, the request
//     was cancelled): 503, since the token may well be valid.
//
// A handler given to [OnError] can call it after logging err.
func BearerErrorHandler(w http.ResponseWriter, r *http.Request, err error) {
	status, challenge := http.StatusServiceUnavailable, ""
	switch {
	case errors.Is(err, ErrNoBearerToken):
		status, challenge = http.StatusUnauthorized, "Bearer"
	case errors.Is(err, ErrBadAuthorization):
		status, challenge = http.StatusBadRequest, `Bearer error="invalid_request"`
	case errors.Is(err, ErrInsufficientScope):
		status, challenge = http.StatusForbidden, `Bearer error="insufficient_scope"`
	case isTokenError(err):
		status, challenge = http.StatusUnauthorized, `Bearer error="invalid_token"`
	}
	if challenge != "" {
		w.Header().Set("WWW-Authenticate", challenge)
	}
	w.Header().Set("Cache-Control", "no-store")
	http.Error(w, http.StatusText(status), status)
}

// isTokenError reports whether err says the token itself is bad, as
// opposed to the verifier being unable to check it.
func isTokenError(err error) bool {
	for _, e := range [...]error{ErrMalformedToken, ErrUnsupportedAlgorithm, ErrUnknownKey,
		ErrInvalidSignature, ErrTokenExpired, ErrTokenNotYetValid, ErrInvalidIssuer,
		ErrInvalidAudience, ErrInvalidClaims} {
		if errors.Is(err, e) {
			return true
		}
	}
	return false
}

type claimsKey struct{}

// ContextWithClaims returns a copy of ctx that carries c, as
// [Verifier.Middleware] does for the handlers it protects: for tests of
// such handlers.
func ContextWithClaims(ctx context.Context, c *Claims) context.Context {
	return context.WithValue(ctx, claimsKey{}, c)
}

// ClaimsFromContext returns the claims [Verifier.Middleware] verified for
// this request, and whether there are any.
func ClaimsFromContext(ctx context.Context) (*Claims, bool) {
	c, ok := ctx.Value(claimsKey{}).(*Claims)
	return c, ok && c != nil
}
