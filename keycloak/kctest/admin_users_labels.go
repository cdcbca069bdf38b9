package kctest

import (
	"net/http"
	"strings"
)

// registerAdminUserExtras serves a credential's userLabel and a user's
// unmanaged attributes, as Keycloak's UserResource does.
func (s *Server) registerAdminUserExtras(mux *http.ServeMux) {
	const u = "/admin/realms/{realm}/users/{id}"
	s.handle(mux, "PUT", u+"/credentials/{cred}/userLabel", s.admin(permManageUsers, s.withUser(s.adminSetCredentialLabel)))
	s.handle(mux, "GET", u+"/unmanagedAttributes", s.admin(permViewUsers, s.withUser(s.adminUnmanagedAttributes)))
}

// adminSetCredentialLabel sets a credential's label from a text/plain
// body. Keycloak: UserResource.setCredentialUserLabel answers 404
// "Credential not found" for an unknown credential and 400
// missingCredentialLabel for a blank label.
func (s *Server) adminSetCredentialLabel(w http.ResponseWriter, r *http.Request, _ *realm, u *user) {
	if u.password == nil || r.PathValue("cred") != passwordCredentialID(u) {
		writeGenericError(w, http.StatusNotFound, "Credential not found")
		return
	}
	b, err := readAllLimited(r.Body)
	if err != nil {
		writeGenericError(w, http.StatusBadRequest, "unknown_error")
		return
	}
	label := string(b)
	if strings.TrimSpace(label) == "" {
		writeOAuthError(w, http.StatusBadRequest, "missingCredentialLabel", "Credential label must not be empty")
		return
	}
	u.password.label = label
	noContent(w)
}

// adminUnmanagedAttributes answers the attributes of u the realm's user
// profile does not declare, leaving out those without a non-blank value.
// Keycloak: UserResource.getUnmanagedAttributes (the user's attributes
// less the profile's readable ones, username and email).
func (s *Server) adminUnmanagedAttributes(w http.ResponseWriter, _ *http.Request, rm *realm, u *user) {
	_, cfg := rm.userProfile()
	out := map[string][]string{}
	for k, vs := range u.attributes {
		if cfg.managed(k) {
			continue
		}
		for _, v := range vs {
			if strings.TrimSpace(v) != "" {
				out[k] = append([]string{}, vs...)
				break
			}
		}
	}
	writeJSON(w, http.StatusOK, out)
}
