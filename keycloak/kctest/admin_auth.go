package kctest

import (
	"net/http"
	"strings"
)

// adminPerm is a permission an Admin REST endpoint requires in its realm.
type adminPerm int

// The permissions of Keycloak's realm-management roles. Each is granted by
// the roles listed in adminPermRoles (composites expanded, so realm-admin
// grants all of them).
const (
	permAny           adminPerm = iota // any valid admin token: GET /admin/realms
	permCreateRealm                    // master admin or create-realm
	permViewRealm                      // view-realm, manage-realm
	permManageRealm                    // manage-realm
	permQueryUsers                     // query-users, view-users, manage-users
	permViewUsers                      // view-users, manage-users
	permManageUsers                    // manage-users
	permQueryGroups                    // query-groups, view-users, manage-users
	permQueryClients                   // query-clients, view-clients, manage-clients
	permViewClients                    // view-clients, manage-clients
	permManageClients                  // manage-clients
	permViewRoles                      // view-realm, manage-realm, view-users, manage-users, view-clients, manage-clients
	permImpersonate                    // impersonation
	permViewAuthz                      // view-authorization, manage-authorization, view-clients, manage-clients
	permManageAuthz                    // manage-authorization, manage-clients
	permViewEvents                     // view-events, manage-events
	permManageEvents                   // manage-events
	permAnyAdminRole                   // any realm-management role (AdminPermissionEvaluator.requireAnyAdminRole)
)

// adminPermRoles lists, per permission, the realm-management client roles
// that grant it.
var adminPermRoles = map[adminPerm][]string{
	permViewRealm:     {"view-realm", "manage-realm"},
	permManageRealm:   {"manage-realm"},
	permQueryUsers:    {"query-users", "view-users", "manage-users"},
	permViewUsers:     {"view-users", "manage-users"},
	permManageUsers:   {"manage-users"},
	permQueryGroups:   {"query-groups", "view-users", "manage-users"},
	permQueryClients:  {"query-clients", "view-clients", "manage-clients"},
	permViewClients:   {"view-clients", "manage-clients"},
	permManageClients: {"manage-clients"},
	permViewRoles:     {"view-realm", "manage-realm", "view-users", "manage-users", "view-clients", "manage-clients"},
	permImpersonate:   {"impersonation"},
	permViewAuthz:     {"view-authorization", "manage-authorization", "view-clients", "manage-clients"},
	permManageAuthz:   {"manage-authorization", "manage-clients"},
	permViewEvents:    {"view-events", "manage-events"},
	permManageEvents:  {"manage-events"},
	permAnyAdminRole: {"view-realm", "manage-realm", "query-users", "view-users", "manage-users", "query-groups",
		"query-clients", "view-clients", "manage-clients", "create-client", "query-realms", "view-identity-providers",
		"manage-identity-providers", "view-authorization", "manage-authorization", "view-events", "manage-events", "impersonation"},
}

// adminCaller is the verified caller of an Admin REST request: the user
// (or service-account user) of a valid access token, in the token's realm.
type adminCaller struct {
	realm  *realm // the realm that issued the token
	user   *user
	client *client // the token's azp client
	claims claims
}

// can reports whether the caller holds perm in target: in master through
// the admin role or the roles of the <target>-realm client, elsewhere
// through the target's own realm-management roles. Callers hold s.mu.
func (s *Server) callerCan(c *adminCaller, target *realm, perm adminPerm) bool {
	if perm == permAny {
		return true
	}
	roles := c.realm.effectiveRoles(c.user)
	if c.realm.name == "master" {
		for _, r := range roles {
			if r.client == nil && r.name == "admin" {
				return true
			}
			if perm == permCreateRealm && r.client == nil && r.name == "create-realm" {
				return true
			}
		}
	}
	if perm == permCreateRealm || target == nil {
		return false
	}
	var mgmt string
	switch {
	case c.realm.name == "master" && target.name == "master":
		mgmt = "master-realm"
	case c.realm.name == "master":
		mgmt = target.name + "-realm"
	case c.realm == target:
		mgmt = "realm-management"
	default:
		return false // a realm's token manages only that realm
	}
	granting := adminPermRoles[perm]
	for _, r := range roles {
		if r.client != nil && r.client.clientID == mgmt {
			for _, g := range granting {
				if r.name == g {
					return true
				}
			}
		}
	}
	return false
}

// adminAuth authenticates an Admin REST request and checks perm in realm
// realmName ("" for endpoints outside a realm, such as GET /admin/realms).
// It writes Keycloak's answer and returns false when the request may not
// go on: 401 {"error":"HTTP 401 Unauthorized"} without a valid bearer
// token, 404 {"error":"Realm not found."} for an unknown realm, 403
// {"error":"HTTP 403 Forbidden"} without the permission. The token can
// come from any realm: master's admin role grants every realm, a realm's
// realm-management roles grant that realm (service-account tokens
// included).
//
// Callers hold s.mu for writing (token checks may drop expired sessions).
// On success the target realm is s.realms[realmName].
func (s *Server) adminAuth(w http.ResponseWriter, r *http.Request, realmName string, perm adminPerm) (*adminCaller, bool) {
	caller := s.adminCaller(r)
	if caller == nil {
		writeGenericError(w, http.StatusUnauthorized, "HTTP 401 Unauthorized")
		return nil, false
	}
	corsFrom(r.Context()).allowTokenOrigins(caller.claims)
	var target *realm
	if realmName != "" {
		target = s.realms[realmName]
		if target == nil {
			writeGenericError(w, http.StatusNotFound, "Realm not found.")
			return nil, false
		}
	}
	if !s.callerCan(caller, target, perm) {
		writeGenericError(w, http.StatusForbidden, "HTTP 403 Forbidden")
		return nil, false
	}
	return caller, true
}

// adminCaller verifies the request's bearer token against the realm named
// by its issuer, or returns nil. Callers hold s.mu for writing.
func (s *Server) adminCaller(r *http.Request) *adminCaller {
	scheme, tok, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(tok) == "" {
		return nil
	}
	tok = strings.TrimSpace(tok)
	t, err := parseJWT(tok)
	if err != nil {
		return nil
	}
	iss := t.claims.str("iss")
	i := strings.LastIndex(iss, "/realms/")
	if i < 0 {
		return nil
	}
	rm := s.realms[iss[i+len("/realms/"):]]
	if rm == nil {
		return nil
	}
	tc := s.checkAccessToken(rm, tok, s.now())
	if !tc.active() || tc.claims.str("typ") != typBearer {
		return nil
	}
	return &adminCaller{realm: rm, user: tc.user, client: tc.client, claims: tc.claims}
}
