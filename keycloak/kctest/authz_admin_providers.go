package kctest

import "net/http"

// azPolicyProviders are the non-internal policy provider factories of
// Keycloak 26 (type, name, group), as .../policy/providers and
// .../permission/providers list them; the admin console hides resource
// and scope from the policy list itself.
var azPolicyProviders = []struct{ typ, name, group string }{
	{"aggregate", "Aggregated", "Others"},
	{"client", "Client", "Identity Based"},
	{"client-scope", "Client Scope", "Identity Based"},
	{"group", "Group", "Identity Based"},
	{"regex", "Regex", "Identity Based"},
	{"resource", "Resource", "Others"},
	{"role", "Role", "Identity Based"},
	{"scope", "Scope", "Others"},
	{"time", "Time", "Time Based"},
	{"user", "User", "Identity Based"},
}

// registerAdminAuthzProviders adds GET .../policy/providers and
// .../permission/providers (both list every provider, as in Keycloak).
func (s *Server) registerAdminAuthzProviders(mux *http.ServeMux) {
	const p = "/admin/realms/{realm}/clients/{client}/authz/resource-server"
	h := s.adminAuthz(permViewAuthz, func(w http.ResponseWriter, _ *http.Request, _ *adminAuthzCall) {
		out := make([]map[string]string, 0, len(azPolicyProviders))
		for _, pr := range azPolicyProviders {
			out = append(out, map[string]string{"type": pr.typ, "name": pr.name, "group": pr.group})
		}
		writeJSON(w, http.StatusOK, out)
	})
	s.handle(mux, "GET", p+"/policy/providers", h)
	s.handle(mux, "GET", p+"/permission/providers", h)
}
