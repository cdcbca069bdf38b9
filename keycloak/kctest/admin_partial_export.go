package kctest

import (
	"maps"
	"net/http"
	"slices"
	"strings"
)

// Partial export (Keycloak: RealmAdminResource.partialExport, then
// ExportUtils.exportRealm and StripSecretsUtils.stripForExport): the realm
// as an export file has it, without users, with clients only for
// exportClients=true (their service-account users too) and roles and
// groups only for exportGroupsAndRoles=true. Every secret is masked as
// "**********": client secrets, the identity providers' clientSecret,
// the SMTP password and the secret properties of components (key
// material, LDAP bind credentials); ${vault.x} references are kept.

func (s *Server) registerAdminPartialExport(mux *http.ServeMux) {
	s.handle(mux, "POST", "/admin/realms/{realm}/partial-export", s.admin(permViewRealm, s.adminPartialExport))
}

func (s *Server) adminPartialExport(w http.ResponseWriter, r *http.Request, rm *realm, _ *adminCaller) {
	clients := boolParam(r, "exportClients", false)
	groupsAndRoles := boolParam(r, "exportGroupsAndRoles", false)
	m := rm.realmRep()

	scopes := []adminScopeRep{}
	for _, sc := range rm.scopes {
		scopes = append(scopes, scopeRep(sc))
	}
	slices.SortFunc(scopes, func(a, b adminScopeRep) int { return strings.Compare(a.Name, b.Name) })
	m["clientScopes"] = scopes
	m["defaultDefaultClientScopes"] = nonNil(slices.Clone(rm.defaultScopes))
	m["defaultOptionalClientScopes"] = nonNil(slices.Clone(rm.optionalScopes))
	m["components"] = rm.exportComponents(rm.id)

	st := rm.authnOf()
	flows, configs, actions := []map[string]any{}, []map[string]any{}, []map[string]any{}
	for _, f := range st.flows {
		flows = append(flows, st.flowRep(f))
	}
	ids := slices.Sorted(maps.Keys(st.configs))
	for _, id := range ids {
		configs = append(configs, configRep(st.configs[id]))
	}
	for _, a := range st.actions {
		actions = append(actions, requiredActionRep(a))
	}
	m["authenticationFlows"], m["authenticatorConfig"], m["requiredActions"] = flows, configs, actions

	if groupsAndRoles {
		realmRoles := []adminRoleRep{}
		for _, ro := range sortRoles(slices.Collect(maps.Values(rm.roles))) {
			realmRoles = append(realmRoles, rm.roleRep(ro, false))
		}
		clientRoles := map[string][]adminRoleRep{}
		for _, c := range rm.clients {
			list := []adminRoleRep{}
			for _, ro := range sortRoles(slices.Collect(maps.Values(c.roles))) {
				list = append(list, rm.roleRep(ro, false))
			}
			clientRoles[c.clientID] = list
		}
		m["roles"] = map[string]any{"realm": realmRoles, "client": clientRoles}
		var tree func(g *group) adminGroupRep
		tree = func(g *group) adminGroupRep {
			rep := adminGroup(g, false, false)
			sub := []adminGroupRep{}
			for _, c := range sortGroups(slices.Clone(g.children)) {
				sub = append(sub, tree(c))
			}
			rep.SubGroups = &sub
			return rep
		}
		groups := []adminGroupRep{}
		for _, g := range rm.topGroups() {
			groups = append(groups, tree(g))
		}
		m["groups"] = groups
	}
	if clients {
		list := []map[string]any{}
		users := []adminUserRep{}
		all := slices.Collect(maps.Values(rm.clients))
		slices.SortFunc(all, func(a, b *client) int { return strings.Compare(a.clientID, b.clientID) })
		for _, c := range all {
			rep := rm.clientRep(c, false)
			if v, ok := rep["secret"].(string); ok && !vaultRef(v) {
				rep["secret"] = maskedSecret
			}
			list = append(list, rep)
			if c.serviceAccountUser != nil && rm.users[c.serviceAccountUser.id] == c.serviceAccountUser {
				users = append(users, rm.adminUser(c.serviceAccountUser, false, false))
			}
		}
		m["clients"] = list
		if len(users) > 0 {
			m["users"] = users
		}
	}
	writeJSON(w, http.StatusOK, m)
}

// exportComponents is ExportUtils.exportComponents: the components under
// parentID by provider type, each with its subComponents, secrets masked.
func (rm *realm) exportComponents(parentID string) map[string][]map[string]any {
	out := map[string][]map[string]any{}
	for _, c := range rm.components {
		if c.parentID != parentID {
			continue
		}
		rep := c.rep()
		delete(rep, "providerType")
		delete(rep, "parentId")
		if sub := rm.exportComponents(c.id); len(sub) > 0 {
			rep["subComponents"] = sub
		} else {
			rep["subComponents"] = map[string]any{}
		}
		out[c.providerType] = append(out[c.providerType], rep)
	}
	return out
}
