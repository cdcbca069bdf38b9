package kctest

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
)

// corsAllowHeaders are the request headers Keycloak's preflight answers
// allow.
const corsAllowHeaders = "Origin, Accept, X-Requested-With, Content-Type, Access-Control-Request-Method, Access-Control-Request-Headers, Authorization, DPoP"

// clientCORSEndpoints are the endpoints under
// /realms/{realm}/protocol/openid-connect/ whose CORS answer depends on
// the client, as Keycloak's token, introspection, revocation, logout,
// device and userinfo endpoints do.
var clientCORSEndpoints = map[string]bool{
	"token": true, "token/introspect": true, "revoke": true, "logout": true, "auth/device": true, "userinfo": true,
}

// isClientCORSPath reports whether p (without the base path) is one of
// clientCORSEndpoints.
func isClientCORSPath(p string) bool {
	rest, ok := strings.CutPrefix(p, "/realms/")
	if !ok {
		return false
	}
	_, tail, _ := strings.Cut(rest, "/")
	ep, ok := strings.CutPrefix(tail, "protocol/openid-connect/")
	return ok && clientCORSEndpoints[ep]
}

// corsDecision is what a client-dependent endpoint decided about CORS:
// nothing yet (no CORS headers, as when client authentication fails), any
// origin, or the web origins of a client.
type corsDecision struct {
	mu      sync.Mutex
	any     bool
	origins []string // resolved web origins; "*" allows any
}

type corsKey struct{}

// corsFrom returns the request's corsDecision, or nil on routes whose CORS
// does not depend on the client.
func corsFrom(ctx context.Context) *corsDecision {
	d, _ := ctx.Value(corsKey{}).(*corsDecision)
	return d
}

// allowAll lets any origin read the answer (Keycloak's allowAllOrigins).
func (d *corsDecision) allowAll() {
	if d == nil {
		return
	}
	d.mu.Lock()
	d.any = true
	d.mu.Unlock()
}

// allowClient lets the client's web origins read the answer (Keycloak's
// allowedOrigins(session, client)). Callers hold s.mu.
func (d *corsDecision) allowClient(c *client) {
	if d == nil || c == nil {
		return
	}
	origins := c.resolvedWebOrigins()
	d.mu.Lock()
	d.any, d.origins = false, origins
	d.mu.Unlock()
}

func (d *corsDecision) allows(origin string) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.any || slices.Contains(d.origins, origin) || slices.Contains(d.origins, "*")
}

// resolvedWebOrigins returns the client's web origins as Keycloak's
// WebOriginsUtils resolves them: "+" stands for the origins of the
// redirect URIs, "*" for any origin. Callers hold s.mu.
func (c *client) resolvedWebOrigins() []string {
	var out []string
	for _, o := range c.webOrigins {
		if o != "+" {
			out = append(out, strings.TrimSuffix(o, "/"))
			continue
		}
		for _, ru := range c.redirectURIs {
			if strings.HasPrefix(ru, "/") && c.rootURL != "" {
				ru = strings.TrimSuffix(c.rootURL, "/") + ru
			}
			if origin := originOf(ru); origin != "" {
				out = append(out, origin)
			}
		}
	}
	return out
}

// originOf returns scheme://host[:port] of an absolute http(s) URL, or "".
func originOf(raw string) string {
	u, err := url.Parse(strings.TrimSuffix(raw, "*"))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return ""
	}
	return u.Scheme + "://" + u.Host
}

// withCORS adds CORS headers to answers for browser code. Preflights, and
// the endpoints open to any origin (discovery, JWKS), echo the Origin. On
// the client-dependent endpoints (clientCORSEndpoints) the handler
// decides, as in Keycloak: the headers appear only when the Origin is one
// of the client's web origins, once the client is known
// (authenticateClient does that), or when the handler allows all
// origins; they carry Access-Control-Expose-Headers as Keycloak sends
// it. On the Admin REST API (adminCORSExpose) the origins come from the
// authenticated bearer token's allowed-origins claim (adminAuth), as
// AdminRoot decides: no valid token, no CORS headers.
func (s *Server) withCORS(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		origin := r.Header.Get("Origin")
		if origin == "" {
			next.ServeHTTP(w, r)
			return
		}
		p := strings.TrimPrefix(r.URL.Path, s.basePath)
		expose, admin := adminCORSExpose(p)
		if !admin {
			expose = "Access-Control-Allow-Methods"
		}
		if r.Method == http.MethodOptions || (!admin && !isClientCORSPath(p)) {
			w.Header().Set("Access-Control-Allow-Origin", origin)
			w.Header().Set("Access-Control-Allow-Credentials", "true")
			w.Header().Add("Vary", "Origin")
			next.ServeHTTP(w, r)
			return
		}
		d := &corsDecision{}
		cw := &corsWriter{ResponseWriter: w, origin: origin, expose: expose, d: d}
		next.ServeHTTP(cw, r.WithContext(context.WithValue(r.Context(), corsKey{}, d)))
	})
}

// corsWriter adds the CORS headers the handler's decision allows when the
// answer starts.
type corsWriter struct {
	http.ResponseWriter
	origin string
	expose string // Access-Control-Expose-Headers, "" for none
	d      *corsDecision
	wrote  bool
}

func (w *corsWriter) WriteHeader(code int) {
	if w.wrote {
		return
	}
	w.wrote = true
	if w.d.allows(w.origin) {
		h := w.ResponseWriter.Header()
		h.Set("Access-Control-Allow-Origin", w.origin)
		h.Set("Access-Control-Allow-Credentials", "true")
		if w.expose != "" {
			h.Set("Access-Control-Expose-Headers", w.expose)
		}
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *corsWriter) Write(b []byte) (int, error) {
	w.WriteHeader(http.StatusOK)
	return w.ResponseWriter.Write(b)
}

func (w *corsWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func (w *corsWriter) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		w.WriteHeader(http.StatusOK)
		f.Flush()
	}
}

// handlePreflight answers CORS preflight requests to the realm endpoints.
func (s *Server) handlePreflight(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Access-Control-Allow-Methods", "GET, HEAD, POST, PUT, DELETE, OPTIONS")
	w.Header().Set("Access-Control-Allow-Headers", corsAllowHeaders)
	w.Header().Set("Access-Control-Max-Age", "3600")
	w.WriteHeader(http.StatusOK)
}
