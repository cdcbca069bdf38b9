package kctest

import (
	"net/http"
	"strings"
)

// adminCORSMethods and adminCORSHeaders are what Keycloak's admin
// preflight allows: AdminCorsPreflightService.preflight calls
// allowedMethods("GET", "PUT", "POST", "DELETE").auth(), and DefaultCors
// joins the methods of its HashSet (iteration order DELETE, POST, GET,
// PUT) and appends Authorization to Cors.DEFAULT_ALLOW_HEADERS.
const (
	adminCORSMethods = "DELETE, POST, GET, PUT"
	adminCORSHeaders = "Origin, Accept, X-Requested-With, Access-Control-Request-Method, Access-Control-Request-Headers, DPoP, Content-Type, Authorization"
)

// registerAdminCORS answers CORS preflights to the Admin REST API: AdminRoot
// hands every OPTIONS request under /admin/realms and /admin/serverinfo to
// AdminCorsPreflightService, before and without authentication.
func (s *Server) registerAdminCORS(mux *http.ServeMux) {
	for _, p := range []string{"/admin/realms", "/admin/realms/{path...}", "/admin/serverinfo", "/admin/serverinfo/{path...}"} {
		s.handle(mux, "OPTIONS", p, s.adminPreflight)
	}
}

// adminPreflight answers 200 with an empty body; with an Origin, it
// echoes it (withCORS does) with credentials allowed, the admin methods
// and headers and a max age of an hour, whatever the origin, as
// DefaultCors.add does for a preflight.
func (s *Server) adminPreflight(w http.ResponseWriter, r *http.Request) {
	if r.Header.Get("Origin") != "" {
		h := w.Header()
		h.Set("Access-Control-Allow-Methods", adminCORSMethods)
		h.Set("Access-Control-Allow-Headers", adminCORSHeaders)
		h.Set("Access-Control-Max-Age", "3600")
	}
	w.WriteHeader(http.StatusOK)
}

// adminCORSExpose reports whether p (without the base path) is an Admin
// REST path whose CORS answer depends on the bearer token, and the
// Access-Control-Expose-Headers Keycloak adds there: AdminRoot.getRealmsAdmin
// exposes Location, getServerInfo nothing.
func adminCORSExpose(p string) (expose string, ok bool) {
	switch {
	case p == "/admin/realms" || strings.HasPrefix(p, "/admin/realms/"):
		return "Location", true
	case p == "/admin/serverinfo" || strings.HasPrefix(p, "/admin/serverinfo/"):
		return "", true
	}
	return "", false
}

// allowTokenOrigins lets the origins of an admin bearer token's
// allowed-origins claim read the answer ("*" any origin), as AdminRoot's
// Cors.builder().allowedOrigins(auth.getToken()) does once the token is
// authenticated. A token without the claim allows no origin.
func (d *corsDecision) allowTokenOrigins(c claims) {
	if d == nil {
		return
	}
	var origins []string
	switch v := c["allowed-origins"].(type) {
	case []string:
		origins = v
	case []any:
		for _, o := range v {
			if s, ok := o.(string); ok {
				origins = append(origins, s)
			}
		}
	}
	d.mu.Lock()
	d.any, d.origins = false, origins
	d.mu.Unlock()
}
