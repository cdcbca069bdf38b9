package kctest

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// adminHandler is an Admin REST handler: it runs with s.mu held for
// writing, after adminAuth let the request through; rm is the target realm
// (nil for endpoints outside a realm).
type adminHandler func(w http.ResponseWriter, r *http.Request, rm *realm, c *adminCaller)

// admin wraps h with locking and the admin-token check for perm.
func (s *Server) admin(perm adminPerm, h adminHandler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		defer s.mu.Unlock()
		name := r.PathValue("realm")
		c, ok := s.adminAuth(w, r, name, perm)
		if !ok || !s.checkBody(w, r) {
			return
		}
		var rm *realm
		if name != "" {
			rm = s.realms[name]
		}
		s.serveRecorded(h, w, r, rm, c)
	}
}

// registerAdmin registers the Admin REST API (admin_*.go).
func (s *Server) registerAdmin(mux *http.ServeMux) {
	s.registerAdminRealms(mux)
	s.registerAdminUsers(mux)
	s.registerAdminClients(mux)
	s.registerAdminRoles(mux)
	s.registerAdminGroups(mux)
	s.registerAdminScopes(mux)
	s.registerAdminMore(mux)
	s.registerAdminMail(mux)
	s.registerAdminPartialExport(mux)
	s.registerAdminIdentityProviders(mux)
	s.registerAdminProfile(mux)
	s.registerAdminOrganizations(mux)
	s.registerAdminEvents(mux)
	s.registerAdminPartialImport(mux)
	s.registerAdminAuthentication(mux)
	s.registerAdminAuthzProviders(mux)
	s.registerAdminComponents(mux)
	s.registerAdminLocalization(mux)
	s.registerAdminClientPolicies(mux)
	s.registerAdminMaintenance(mux)
	s.registerAdminServerInfo(mux)
	s.registerAdminFGAP(mux)        // admin_fgap.go: management/permissions (FGAP v1)
	s.registerAdminWorkflows(mux)   // admin_workflows.go: workflows (feature "workflows")
	s.registerAdminUserStorage(mux) // admin_user_storage.go: user-storage, LDAP checks
	s.registerAdminUserExtras(mux)
	s.registerAdminAuthenticationDescriptions(mux)
	s.registerAdminCertificates(mux)
	s.registerAdminInstallation(mux)
	s.registerAdminIdentityProvidersMore(mux)
	s.registerAdminCORS(mux) // admin_cors.go
}

// decodeAdminJSON decodes the request body into v, or answers 400 as
// Keycloak's JSON provider does and returns false.
func decodeAdminJSON(w http.ResponseWriter, r *http.Request, v any) bool {
	b, err := readAllLimited(r.Body)
	if err == nil {
		err = json.Unmarshal(b, v)
	}
	if err != nil {
		writeGenericError(w, http.StatusBadRequest, "unknown_error")
		return false
	}
	return true
}

// created answers 201 with the Location of the new resource and no body.
func created(w http.ResponseWriter, r *http.Request, s *Server, segs ...string) {
	loc := s.baseURL(r) + strings.TrimPrefix(r.URL.EscapedPath(), s.basePath)
	for _, seg := range segs {
		loc += "/" + escapeSegment(seg)
	}
	w.Header().Set("Location", loc)
	w.WriteHeader(http.StatusCreated)
}

func escapeSegment(s string) string { return url.PathEscape(s) }

func noContent(w http.ResponseWriter) { w.WriteHeader(http.StatusNoContent) }

// page applies Keycloak's first/max query parameters to n items: the
// start and end indexes. defMax applies when max is absent (-1: no limit).
func page(r *http.Request, n, defMax int) (int, int) {
	q := r.URL.Query()
	first := 0
	if v, err := strconv.Atoi(q.Get("first")); err == nil && v > 0 {
		first = v
	}
	max := defMax
	if v, err := strconv.Atoi(q.Get("max")); err == nil && v >= 0 {
		max = v
	}
	if first > n {
		first = n
	}
	end := n
	if max >= 0 && first+max < n {
		end = first + max
	}
	return first, end
}

// boolParam returns the query parameter k as a bool, or def.
func boolParam(r *http.Request, k string, def bool) bool {
	v := r.URL.Query().Get(k)
	if v == "" {
		return def
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		return def
	}
	return b
}

// parseQ parses Keycloak's q parameter "k1:v1 k2:v2".
func parseQ(q string) map[string]string {
	out := map[string]string{}
	for _, f := range strings.Fields(q) {
		k, v, ok := strings.Cut(f, ":")
		if ok {
			out[k] = v
		}
	}
	return out
}

// rolesFromBody resolves a [RoleRepresentation] body: each role must
// exist, found by id and matching the name when one is given, as Keycloak
// requires.
// It answers 404 "Role not found" and returns false otherwise.
func (rm *realm) rolesFromBody(w http.ResponseWriter, r *http.Request, clientOnly *client) ([]*role, bool) {
	var in []roleInput
	if !decodeAdminJSON(w, r, &in) {
		return nil, false
	}
	var out []*role
	for _, ri := range in {
		ro := rm.roleByID(ri.ID) // Keycloak looks roles up by id only
		if ro == nil || (ri.Name != "" && ro.name != ri.Name) || (clientOnly != nil && ro.client != clientOnly) {
			writeGenericError(w, http.StatusNotFound, "Role not found")
			return nil, false
		}
		out = append(out, ro)
	}
	return out, true
}
