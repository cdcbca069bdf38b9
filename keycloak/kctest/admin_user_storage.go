package kctest

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// User storage (UserStorageProviderResource) and the LDAP checks
// (TestLdapConnectionResource, LdapServerCapabilitiesResource). kctest
// has no LDAP client: it answers as Keycloak does when no LDAP server
// answers. Where Keycloak would connect, kctest dials the configured
// ldap:// or ldaps:// address over TCP, with a short timeout and outside
// the store's lock, and maps a failure to Keycloak's error code
// (LDAPServerCapabilitiesManager.getErrorCode): ConnectionFailed,
// UnknownHost, NoRouteToHost, CommunicationError, MalformedURL. A TCP
// connection that succeeds is as far as kctest goes: testConnection then
// answers 204, what needs LDAP itself (authentication, capabilities,
// synchronization) fails as Keycloak fails with a server it cannot talk to.

const userStorageType = "org.keycloak.storage.UserStorageProvider"

// ldapDialTimeout caps the TCP dial of an LDAP check.
const ldapDialTimeout = 3 * time.Second

// ldapDial connects to the first reachable address of connectionURL (one
// or more space-separated LDAP URLs) and returns "" or Keycloak's error
// code for the failure.
func ldapDial(ctx context.Context, connectionURL, timeout string) string {
	urls := strings.Fields(connectionURL)
	if len(urls) == 0 {
		return "UnknownError"
	}
	d := ldapDialTimeout
	if ms, err := strconv.Atoi(strings.TrimSpace(timeout)); err == nil && ms > 0 && time.Duration(ms)*time.Millisecond < d {
		d = time.Duration(ms) * time.Millisecond
	}
	code := ""
	for _, raw := range urls {
		u, err := url.Parse(raw)
		if err != nil || (u.Scheme != "ldap" && u.Scheme != "ldaps") || u.Hostname() == "" {
			code = "MalformedURL"
			continue
		}
		port := u.Port()
		if port == "" {
			port = "389"
			if u.Scheme == "ldaps" {
				port = "636"
			}
		}
		dctx, cancel := context.WithTimeout(ctx, d)
		conn, err := (&net.Dialer{}).DialContext(dctx, "tcp", net.JoinHostPort(u.Hostname(), port))
		cancel()
		if err == nil {
			_ = conn.Close()
			return ""
		}
		code = ldapErrorCode(err)
	}
	return code
}

// ldapErrorCode maps a dial error as getErrorCode maps the root cause of
// JNDI's CommunicationException.
func ldapErrorCode(err error) string {
	var dnsErr *net.DNSError
	switch {
	case errors.As(err, &dnsErr):
		return "UnknownHost"
	case errors.Is(err, syscall.ECONNREFUSED):
		return "ConnectionFailed"
	case errors.Is(err, syscall.EHOSTUNREACH), errors.Is(err, syscall.ENETUNREACH):
		return "NoRouteToHost"
	}
	return "CommunicationError"
}

// ldapTestInput is a TestLdapConnectionRepresentation.
type ldapTestInput struct {
	Action            string `json:"action"`
	ConnectionURL     string `json:"connectionUrl"`
	AuthType          string `json:"authType"`
	BindDN            string `json:"bindDn"`
	BindCredential    string `json:"bindCredential"`
	UseTruststoreSpi  string `json:"useTruststoreSpi"`
	ConnectionTimeout string `json:"connectionTimeout"`
	ComponentID       string `json:"componentId"`
	StartTLS          string `json:"startTls"`
}

// syncResult is a SynchronizationResult with no user touched.
func syncResult(ignored bool) map[string]any {
	return map[string]any{"ignored": ignored, "added": 0, "updated": 0, "removed": 0, "failed": 0,
		"status": "0 imported users, 0 updated users"}
}

func (s *Server) registerAdminUserStorage(mux *http.ServeMux) {
	const base = "/admin/realms/{realm}/user-storage"
	// storage resolves {id} to a user storage component, or answers 404
	// as UserStorageProviderResource does.
	storage := func(w http.ResponseWriter, rm *realm, id string) *component {
		c := rm.componentByID(id)
		if c == nil {
			writeGenericError(w, http.StatusNotFound, "Could not find component")
			return nil
		}
		if c.providerType != userStorageType {
			writeGenericError(w, http.StatusNotFound, "Found, but not a UserStorageProvider")
			return nil
		}
		return c
	}
	// Keycloak: UserStorageProviderResource.getSimpleName
	s.handle(mux, "GET", base+"/{id}/name", s.admin(permQueryUsers, func(w http.ResponseWriter, r *http.Request, rm *realm, _ *adminCaller) {
		if c := storage(w, rm, r.PathValue("id")); c != nil {
			writeJSON(w, http.StatusOK, map[string]string{"id": c.id, "name": c.name})
		}
	}))
	// Keycloak: UserStorageProviderResource.removeImportedUsers and
	// unlinkUsers. kctest imports no user from a provider, so there is
	// nothing to remove or unlink.
	for _, op := range []string{"remove-imported-users", "unlink-users"} {
		s.handle(mux, "POST", base+"/{id}/"+op, s.admin(permManageUsers, func(w http.ResponseWriter, r *http.Request, rm *realm, _ *adminCaller) {
			if storage(w, rm, r.PathValue("id")) != nil {
				noContent(w)
			}
		}))
	}
	// Keycloak: UserStorageProviderResource.syncUsers. A provider that
	// does not import (not LDAP, import off, disabled) is ignored
	// (UserStorageSyncManager); LDAP needs its server.
	s.handle(mux, "POST", base+"/{id}/sync", s.lockedThenDial(permManageUsers, func(w http.ResponseWriter, r *http.Request, rm *realm) func(ctx context.Context) {
		c := storage(w, rm, r.PathValue("id"))
		if c == nil {
			return nil
		}
		action := r.URL.Query().Get("action")
		switch action {
		case "triggerFullSync", "triggerChangedUsersSync":
		case "":
			writeGenericError(w, http.StatusBadRequest, "Missing action")
			return nil
		default:
			writeGenericError(w, http.StatusBadRequest, "Unknown action: "+action)
			return nil
		}
		first := func(k string) string {
			if v := c.config[k]; len(v) > 0 {
				return v[0]
			}
			return ""
		}
		if c.providerID != "ldap" || first("importEnabled") == "false" || first("enabled") == "false" {
			writeJSON(w, http.StatusOK, syncResult(true))
			return nil
		}
		connURL, timeout := first("connectionUrl"), first("connectionTimeout")
		return func(ctx context.Context) {
			if code := ldapDial(ctx, connURL, timeout); code != "" {
				writeErrorMessage(w, http.StatusBadRequest, code)
				return
			}
			writeErrorMessage(w, http.StatusBadRequest, "CommunicationError")
		}
	}))
	// Keycloak: UserStorageProviderResource.syncMapperData
	s.handle(mux, "POST", base+"/{parent}/mappers/{id}/sync", s.lockedThenDial(permManageUsers, func(w http.ResponseWriter, r *http.Request, rm *realm) func(ctx context.Context) {
		parent := rm.componentByID(r.PathValue("parent"))
		if parent == nil {
			writeGenericError(w, http.StatusNotFound, "Parent model not found")
			return nil
		}
		if rm.componentByID(r.PathValue("id")) == nil {
			writeGenericError(w, http.StatusNotFound, "Mapper model not found")
			return nil
		}
		direction := r.URL.Query().Get("direction")
		if direction != "fedToKeycloak" && direction != "keycloakToFed" {
			writeGenericError(w, http.StatusBadRequest, "Unknown direction: "+direction)
			return nil
		}
		var connURL, timeout string
		if v := parent.config["connectionUrl"]; len(v) > 0 {
			connURL = v[0]
		}
		if v := parent.config["connectionTimeout"]; len(v) > 0 {
			timeout = v[0]
		}
		return func(ctx context.Context) {
			if code := ldapDial(ctx, connURL, timeout); code != "" {
				writeErrorMessage(w, http.StatusBadRequest, code)
				return
			}
			writeErrorMessage(w, http.StatusBadRequest, "CommunicationError")
		}
	}))
	// Keycloak: TestLdapConnectionResource.testLDAPConnection
	s.handle(mux, "POST", "/admin/realms/{realm}/testLDAPConnection", s.lockedThenDial(permManageRealm, func(w http.ResponseWriter, r *http.Request, _ *realm) func(ctx context.Context) {
		var in ldapTestInput
		if !decodeAdminJSON(w, r, &in) {
			return nil
		}
		switch {
		case in.Action != "testConnection" && in.Action != "testAuthentication":
			writeErrorMessage(w, http.StatusBadRequest, "NamingError")
			return nil
		case in.Action == "testAuthentication" && in.BindDN == "" && in.AuthType == "simple":
			writeErrorMessage(w, http.StatusBadRequest, "InvalidBindDN")
			return nil
		}
		return func(ctx context.Context) {
			if code := ldapDial(ctx, in.ConnectionURL, in.ConnectionTimeout); code != "" {
				writeErrorMessage(w, http.StatusBadRequest, code)
				return
			}
			if in.Action == "testAuthentication" {
				// kctest cannot bind: it speaks no LDAP.
				writeErrorMessage(w, http.StatusBadRequest, "AuthenticationFailure")
				return
			}
			noContent(w)
		}
	}))
	// Keycloak: LdapServerCapabilitiesResource.ldapServerCapabilities: an
	// action other than queryServerCapabilities gives an empty set.
	s.handle(mux, "POST", "/admin/realms/{realm}/ldap-server-capabilities", s.lockedThenDial(permManageRealm, func(w http.ResponseWriter, r *http.Request, _ *realm) func(ctx context.Context) {
		var in ldapTestInput
		if !decodeAdminJSON(w, r, &in) {
			return nil
		}
		if in.Action != "queryServerCapabilities" {
			writeJSON(w, http.StatusOK, []any{})
			return nil
		}
		return func(ctx context.Context) {
			_ = ldapDial(ctx, in.ConnectionURL, in.ConnectionTimeout)
			writeErrorMessage(w, http.StatusBadRequest, "ldapServerCapabilities error")
		}
	}))
}

// lockedThenDial runs h with s.mu held after the admin check for perm; when
// h returns a function, that runs after the lock is released (it dials).
func (s *Server) lockedThenDial(perm adminPerm, h func(w http.ResponseWriter, r *http.Request, rm *realm) func(ctx context.Context)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var then func(ctx context.Context)
		s.admin(perm, func(w http.ResponseWriter, r *http.Request, rm *realm, _ *adminCaller) {
			then = h(w, r, rm)
		})(w, r)
		if then != nil {
			then(r.Context())
		}
	}
}
