package kctest

import (
	"net/http"
)

// Fine-grained admin permissions, version 1 (feature
// admin-fine-grained-authz:v1): the management/permissions endpoints of
// users, clients, roles, groups and identity providers. Each one turns the
// permissions of its target on or off, which creates (or deletes) a
// resource, its scopes and one empty scope permission per scope in the
// authorization services of the realm's realm-management client, as
// Keycloak's MgmtPermissions and the *Permissions classes do. With the
// feature off (Keycloak 26's default) every one answers 501 {"error":
// "Feature not enabled"} (ProfileHelper.requireFeature).

// fgapSpec describes the authorization objects of one target: the
// resource's name and type, and for each scope (in the order of
// ManagementPermissionReference.scopePermissions) the name of its
// permission.
type fgapSpec struct {
	resource, typ string
	scopes        [][2]string // scope name, permission name
}

// fgapUsers is UserPermissions: resource "Users".
func fgapUsers() fgapSpec {
	return fgapSpec{resource: "Users", scopes: [][2]string{
		{"view", "view.permission.users"}, {"manage", "manage.permission.users"},
		{"map-roles", "map-roles.permission.users"}, {"manage-group-membership", "manage-group-membership.permission.users"},
		{"impersonate", "admin-impersonating.permission.users"}, {"user-impersonated", "user-impersonated.permission.users"},
	}}
}

// fgapClient is ClientPermissions: resource "client.resource.{id}".
func fgapClient(c *client) fgapSpec {
	sp := fgapSpec{resource: "client.resource." + c.id, typ: "Client"}
	for _, sc := range []string{"view", "manage", "configure", "map-roles", "map-roles-client-scope", "map-roles-composite", "token-exchange"} {
		sp.scopes = append(sp.scopes, [2]string{sc, sc + ".permission.client." + c.id})
	}
	return sp
}

// fgapRole is RolePermissions: resource "role.resource.{id}".
func fgapRole(ro *role) fgapSpec {
	sp := fgapSpec{resource: "role.resource." + ro.id, typ: "Role"}
	for _, sc := range []string{"map-role", "map-role-client-scope", "map-role-composite"} {
		sp.scopes = append(sp.scopes, [2]string{sc, sc + ".permission." + ro.id})
	}
	return sp
}

// fgapGroup is GroupPermissions: resource "group.resource.{id}".
func fgapGroup(g *group) fgapSpec {
	sp := fgapSpec{resource: "group.resource." + g.id, typ: "Group"}
	for _, sc := range []string{"view", "manage", "view-members", "manage-members", "manage-membership"} {
		sp.scopes = append(sp.scopes, [2]string{sc, sc + ".permission.group." + g.id})
	}
	return sp
}

// fgapIdP is IdentityProviderPermissions: resource "idp.resource.{internalId}".
func fgapIdP(p *identityProvider) fgapSpec {
	return fgapSpec{resource: "idp.resource." + p.internalID, typ: "IdentityProvider",
		scopes: [][2]string{{"token-exchange", "token-exchange.permission.idp." + p.internalID}}}
}

// fgapServer returns the resource server of the realm's realm-management
// client, creating an empty one when create is set
// (MgmtPermissions.initializeRealmResourceServer); nil when there is none.
func (rm *realm) fgapServer(create bool) (*resourceServer, *client) {
	c := rm.findClientByClientID("realm-management")
	if c == nil {
		return nil, nil
	}
	if c.authorizationServices {
		return rm.authzOf(c), c
	}
	if !create {
		return nil, c
	}
	c.authorizationServices = true
	c.authz = newResourceServer()
	return c.authz, c
}

// fgapRef answers the ManagementPermissionReference of sp: {"enabled":
// false} when its resource does not exist, else the resource's id and the
// id of each scope's permission, after creating what is missing (as
// getPermissions does).
func (rm *realm) fgapRef(sp fgapSpec, create bool) map[string]any {
	rs, c := rm.fgapServer(create)
	if rs == nil {
		return map[string]any{"enabled": false}
	}
	res := rs.resourceByName(sp.resource, c.id)
	if res == nil && !create {
		return map[string]any{"enabled": false}
	}
	if create {
		rs.ensureScope("view")
		rs.ensureScope("manage")
	}
	if res == nil {
		res = &azResource{id: newID(), name: sp.resource, typ: sp.typ, owner: c.id, attributes: map[string][]string{}}
		for _, s := range sp.scopes {
			res.scopes = append(res.scopes, rs.ensureScope(s[0]))
		}
		rs.resources[res.id] = res
	}
	perms := map[string]string{}
	for _, s := range sp.scopes {
		p := rs.policyByName(s[1])
		if p == nil {
			// Helper.addEmptyScopePermission
			p = &azPolicy{id: newID(), name: s[1], typ: azScopePerm, logic: "POSITIVE", decision: "UNANIMOUS",
				resources: []*azResource{res}, scopes: []*azScope{rs.ensureScope(s[0])}, config: map[string]string{}}
			rs.policies[p.id] = p
		}
		perms[s[0]] = p.id
	}
	return map[string]any{"enabled": true, "resource": res.id, "scopePermissions": perms}
}

// fgapDisable deletes the permissions and the resource of sp.
func (rm *realm) fgapDisable(sp fgapSpec) {
	rs, c := rm.fgapServer(false)
	if rs == nil {
		return
	}
	for _, s := range sp.scopes {
		if p := rs.policyByName(s[1]); p != nil {
			rs.deletePolicy(p)
		}
	}
	if res := rs.resourceByName(sp.resource, c.id); res != nil {
		rs.deleteResource(res)
	}
}

// registerAdminFGAP registers the management/permissions endpoints.
func (s *Server) registerAdminFGAP(mux *http.ServeMux) {
	const realmBase = "/admin/realms/{realm}"
	// serve answers GET and PUT of one endpoint: target resolves the
	// path's target (answering 404 itself and returning false), view and
	// manage are the permissions each method needs.
	serve := func(path string, target func(w http.ResponseWriter, r *http.Request, rm *realm) (fgapSpec, adminPerm, adminPerm, bool)) {
		h := func(put bool) adminHandler {
			return func(w http.ResponseWriter, r *http.Request, rm *realm, c *adminCaller) {
				if !s.featureOn(FeatureAdminFineGrainedAuthz, 1) {
					writeGenericError(w, http.StatusNotImplemented, "Feature not enabled")
					return
				}
				sp, view, manage, ok := target(w, r, rm)
				if !ok {
					return
				}
				perm := view
				if put {
					perm = manage
				}
				if !s.callerCan(c, rm, perm) {
					writeGenericError(w, http.StatusForbidden, "HTTP 403 Forbidden")
					return
				}
				if !put {
					writeJSON(w, http.StatusOK, rm.fgapRef(sp, false))
					return
				}
				var in struct {
					Enabled bool `json:"enabled"`
				}
				if !decodeAdminJSON(w, r, &in) {
					return
				}
				if !in.Enabled {
					rm.fgapDisable(sp)
					writeJSON(w, http.StatusOK, map[string]any{"enabled": false})
					return
				}
				writeJSON(w, http.StatusOK, rm.fgapRef(sp, true))
			}
		}
		s.handle(mux, "GET", realmBase+path, s.admin(permAny, h(false)))
		s.handle(mux, "PUT", realmBase+path, s.admin(permAny, h(true)))
	}
	// Keycloak: RealmAdminResource.getUserMgmtPermissions / setUsersManagementPermissionsEnabled
	serve("/users-management-permissions", func(http.ResponseWriter, *http.Request, *realm) (fgapSpec, adminPerm, adminPerm, bool) {
		return fgapUsers(), permViewRealm, permManageRealm, true
	})
	// Keycloak: ClientResource.getManagementPermissions / setManagementPermissionsEnabled
	serve("/clients/{client}/management/permissions", func(w http.ResponseWriter, r *http.Request, rm *realm) (fgapSpec, adminPerm, adminPerm, bool) {
		c := rm.clients[r.PathValue("client")]
		if c == nil {
			writeGenericError(w, http.StatusNotFound, "Could not find client")
			return fgapSpec{}, 0, 0, false
		}
		return fgapClient(c), permViewClients, permManageClients, true
	})
	rolePerms := func(ro *role) (adminPerm, adminPerm) {
		if ro.client != nil {
			return permViewClients, permManageClients
		}
		return permViewRealm, permManageRealm
	}
	// Keycloak: RoleContainerResource.getManagementPermissions / setManagementPermissionsEnabled
	serve("/roles/{role}/management/permissions", func(w http.ResponseWriter, r *http.Request, rm *realm) (fgapSpec, adminPerm, adminPerm, bool) {
		ro := rm.roles[r.PathValue("role")]
		if ro == nil {
			writeGenericError(w, http.StatusNotFound, "Could not find role")
			return fgapSpec{}, 0, 0, false
		}
		v, m := rolePerms(ro)
		return fgapRole(ro), v, m, true
	})
	serve("/clients/{client}/roles/{role}/management/permissions", func(w http.ResponseWriter, r *http.Request, rm *realm) (fgapSpec, adminPerm, adminPerm, bool) {
		c := rm.clients[r.PathValue("client")]
		if c == nil {
			writeGenericError(w, http.StatusNotFound, "Could not find client")
			return fgapSpec{}, 0, 0, false
		}
		ro := c.roles[r.PathValue("role")]
		if ro == nil {
			writeGenericError(w, http.StatusNotFound, "Could not find role")
			return fgapSpec{}, 0, 0, false
		}
		v, m := rolePerms(ro)
		return fgapRole(ro), v, m, true
	})
	// Keycloak: RoleByIdResource.getManagementPermissions / setManagementPermissionsEnabled
	serve("/roles-by-id/{roleid}/management/permissions", func(w http.ResponseWriter, r *http.Request, rm *realm) (fgapSpec, adminPerm, adminPerm, bool) {
		ro := rm.roleByID(r.PathValue("roleid"))
		if ro == nil {
			writeGenericError(w, http.StatusNotFound, "Could not find role with id")
			return fgapSpec{}, 0, 0, false
		}
		v, m := rolePerms(ro)
		return fgapRole(ro), v, m, true
	})
	// Keycloak: GroupResource.getManagementPermissions / setManagementPermissionsEnabled
	serve("/groups/{id}/management/permissions", func(w http.ResponseWriter, r *http.Request, rm *realm) (fgapSpec, adminPerm, adminPerm, bool) {
		g := rm.groups[r.PathValue("id")]
		if g == nil {
			writeGenericError(w, http.StatusNotFound, "Could not find group by id")
			return fgapSpec{}, 0, 0, false
		}
		return fgapGroup(g), permViewUsers, permManageUsers, true
	})
	// Keycloak: IdentityProviderResource.getManagementPermissions / setManagementPermissionsEnabled
	serve("/identity-provider/instances/{alias}/management/permissions", func(w http.ResponseWriter, r *http.Request, rm *realm) (fgapSpec, adminPerm, adminPerm, bool) {
		p := rm.findIdP(r.PathValue("alias"))
		if p == nil {
			p = rm.findIdPByID(r.PathValue("alias"))
		}
		if p == nil {
			writeGenericError(w, http.StatusNotFound, "HTTP 404 Not Found")
			return fgapSpec{}, 0, 0, false
		}
		return fgapIdP(p), permViewRealm, permManageRealm, true
	})
}
