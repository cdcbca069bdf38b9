package kctest

import (
	"encoding/json"
	"maps"
	"net/http"
	"slices"
	"strings"
)

// partialImportInput is a PartialImportRepresentation.
type partialImportInput struct {
	IfResourceExists string            `json:"ifResourceExists"`
	Users            []json.RawMessage `json:"users"`
	Clients          []json.RawMessage `json:"clients"`
	Groups           []importGroupRep  `json:"groups"`
	Roles            *struct {
		Realm  []roleInput            `json:"realm"`
		Client map[string][]roleInput `json:"client"`
	} `json:"roles"`
	IdentityProviders []json.RawMessage `json:"identityProviders"`
}

type importGroupRep struct {
	Name        string              `json:"name"`
	Description *string             `json:"description"`
	Attributes  map[string][]string `json:"attributes"`
	RealmRoles  []string            `json:"realmRoles"`
	ClientRoles map[string][]string `json:"clientRoles"`
	SubGroups   []importGroupRep    `json:"subGroups"`
}

type importResult struct {
	Action       string `json:"action"`
	ResourceType string `json:"resourceType"`
	ResourceName string `json:"resourceName"`
	ID           string `json:"id"`
}

func (s *Server) registerAdminPartialImport(mux *http.ServeMux) {
	s.handle(mux, "POST", "/admin/realms/{realm}/partialImport", s.admin(permManageRealm, s.adminPartialImport))
}

// adminPartialImport adds roles, clients, client roles, groups, identity
// providers and users, in that order. With ifResourceExists FAIL (the
// default) a conflict answers 409 before anything is imported.
func (s *Server) adminPartialImport(w http.ResponseWriter, r *http.Request, rm *realm, _ *adminCaller) {
	var in partialImportInput
	if !decodeAdminJSON(w, r, &in) {
		return
	}
	policy := strings.ToUpper(in.IfResourceExists)
	if policy == "" {
		policy = "FAIL"
	}
	if policy != "FAIL" && policy != "SKIP" && policy != "OVERWRITE" {
		writeErrorMessage(w, http.StatusBadRequest, "Invalid value for ifResourceExists: "+in.IfResourceExists)
		return
	}
	users := make([]userInput, len(in.Users))
	for i, raw := range in.Users {
		if json.Unmarshal(raw, &users[i]) != nil || users[i].Username == nil || *users[i].Username == "" {
			writeErrorMessage(w, http.StatusBadRequest, "User name is missing")
			return
		}
	}
	clients := make([]clientInput, len(in.Clients))
	for i, raw := range in.Clients {
		if json.Unmarshal(raw, &clients[i]) != nil || clients[i].ClientID == nil || *clients[i].ClientID == "" {
			writeErrorMessage(w, http.StatusBadRequest, "Client ID is missing")
			return
		}
	}
	byName := make(map[string]*user, len(rm.users))
	for _, u := range rm.users {
		byName[u.username] = u
	}
	if policy == "FAIL" {
		if msg := rm.partialImportConflict(&in, users, clients, byName); msg != "" {
			writeErrorMessage(w, http.StatusConflict, msg)
			return
		}
	}
	var results []importResult
	note := func(exists bool, typ, name, id string) bool {
		switch {
		case !exists:
			results = append(results, importResult{"ADDED", typ, name, id})
			return true
		case policy == "OVERWRITE":
			results = append(results, importResult{"OVERWRITTEN", typ, name, id})
			return true
		default:
			results = append(results, importResult{"SKIPPED", typ, name, id})
			return false
		}
	}
	if in.Roles != nil {
		for _, ri := range in.Roles.Realm {
			old := rm.roles[ri.Name]
			ro := rm.addRealmRole(ri.Name, "")
			if note(old != nil, "REALM_ROLE", ri.Name, ro.id) {
				applyRoleInput(ro, &ri)
			}
		}
	}
	for i := range clients {
		ci := &clients[i]
		c := rm.findClientByClientID(*ci.ClientID)
		exists := c != nil
		if c == nil {
			c = rm.newClientModel(*ci.ClientID)
			c.standardFlow = true
			c.attributes["realm_client"] = "false"
			c.defaultClientScopes = rm.oidcScopeNames(rm.defaultScopes)
			c.optionalClientScopes = rm.oidcScopeNames(rm.optionalScopes)
		}
		if note(exists, "CLIENT", *ci.ClientID, c.id) {
			rm.clients[c.id] = c
			rm.applyClient(s, c, ci)
		}
	}
	if in.Roles != nil {
		for _, clientID := range slices.Sorted(maps.Keys(in.Roles.Client)) {
			c := rm.findClientByClientID(clientID)
			if c == nil {
				continue
			}
			for _, ri := range in.Roles.Client[clientID] {
				old := c.roles[ri.Name]
				ro := c.addRole(ri.Name, "")
				if note(old != nil, "CLIENT_ROLE", clientID+"-"+ri.Name, ro.id) {
					applyRoleInput(ro, &ri)
				}
			}
		}
	}
	var addGroups func(parent *group, gs []importGroupRep)
	addGroups = func(parent *group, gs []importGroupRep) {
		for _, gi := range gs {
			var g *group
			siblings := rm.topGroups()
			if parent != nil {
				siblings = parent.children
			}
			for _, sib := range siblings {
				if sib.name == gi.Name {
					g = sib
				}
			}
			exists := g != nil
			if g == nil {
				g, _ = rm.addGroupModel(gi.Name, parent)
			}
			if g == nil {
				continue
			}
			// Keycloak: GroupsPartialImport reports each top-level group
			// of the body by its name (getName returns group.getName());
			// subgroups are imported with their parent, not reported.
			write := true
			if parent == nil {
				write = note(exists, "GROUP", g.name, g.id)
			}
			if write {
				if gi.Description != nil {
					g.description = *gi.Description
				}
				if gi.Attributes != nil {
					g.attributes = maps.Clone(gi.Attributes)
				}
				_ = rm.applyMappings(gi.RealmRoles, gi.ClientRoles, g.addRole)
				addGroups(g, gi.SubGroups)
			}
		}
	}
	addGroups(nil, in.Groups)
	for _, raw := range in.IdentityProviders {
		var rep map[string]json.RawMessage
		if json.Unmarshal(raw, &rep) != nil {
			continue
		}
		var alias, providerID string
		_ = json.Unmarshal(rep["alias"], &alias)
		_ = json.Unmarshal(rep["providerId"], &providerID)
		if alias == "" || !slices.Contains(knownProviders, providerID) {
			continue
		}
		var cfg map[string]string
		_ = json.Unmarshal(rep["config"], &cfg)
		delete(rep, "config")
		old := rm.findIdP(alias)
		id := newID()
		if old != nil {
			id = old.internalID
		}
		if note(old != nil, "IDP", alias, id) {
			for k, v := range idpDefaults {
				if _, ok := rep[k]; !ok {
					rep[k] = v
				}
			}
			st := rm.adminState()
			st.idps = slices.DeleteFunc(st.idps, func(p *identityProvider) bool { return p == old })
			st.idps = append(st.idps, &identityProvider{internalID: id, rep: rep, config: cfg})
		}
	}
	for i := range users {
		ui := &users[i]
		u := byName[strings.ToLower(*ui.Username)]
		exists := u != nil
		if u == nil {
			u = rm.newUserModel(*ui.Username, s.now().UnixMilli())
		}
		if !note(exists, "USER", u.username, u.id) {
			continue
		}
		attrs := ui.Attributes
		ui.Attributes = nil
		rm.applyUser(u, ui)
		if ui.RequiredActions != nil { // an import stores them as given
			u.requiredActions = slices.Clone(ui.RequiredActions)
		}
		if attrs != nil { // an import is not filtered by the user profile
			u.attributes = map[string][]string{}
			for k, v := range attrs {
				u.attributes[k] = slices.Clone(v)
			}
		}
		for _, c := range ui.Credentials {
			if (c.Type == "" || c.Type == "password") && c.Value != "" {
				u.setPassword(c.Value, c.Temporary)
			}
		}
		_ = rm.applyMappings(ui.RealmRoles, ui.ClientRoles, u.addRole)
		for _, p := range ui.Groups {
			if g := rm.findGroupByPath(p); g != nil {
				u.joinGroup(g)
			}
		}
		rm.users[u.id] = u
		byName[u.username] = u
	}
	out := map[string]any{"overwritten": 0, "added": 0, "skipped": 0, "results": nonNil(results)}
	for _, res := range results {
		out[strings.ToLower(res.Action)] = out[strings.ToLower(res.Action)].(int) + 1
	}
	writeJSON(w, http.StatusOK, out)
}

func applyRoleInput(ro *role, ri *roleInput) {
	if ri.Description != nil {
		ro.description = *ri.Description
	}
	if ri.Attributes != nil {
		ro.attributes = maps.Clone(ri.Attributes)
	}
}

// partialImportConflict returns the message for the first resource that
// exists already, or "".
func (rm *realm) partialImportConflict(in *partialImportInput, users []userInput, clients []clientInput, byName map[string]*user) string {
	if in.Roles != nil {
		for _, ri := range in.Roles.Realm {
			if rm.roles[ri.Name] != nil {
				return "Realm role '" + ri.Name + "' already exists."
			}
		}
		for clientID, roles := range in.Roles.Client {
			if c := rm.findClientByClientID(clientID); c != nil {
				for _, ri := range roles {
					if c.roles[ri.Name] != nil {
						return "Client role '" + ri.Name + "' for client '" + clientID + "' already exists."
					}
				}
			}
		}
	}
	for _, ci := range clients {
		if rm.findClientByClientID(*ci.ClientID) != nil {
			return "Client '" + *ci.ClientID + "' already exists."
		}
	}
	for _, gi := range in.Groups {
		if slices.ContainsFunc(rm.topGroups(), func(g *group) bool { return g.name == gi.Name }) {
			return "Group '" + gi.Name + "' already exists."
		}
	}
	for _, ui := range users {
		if byName[strings.ToLower(*ui.Username)] != nil {
			return "User '" + strings.ToLower(*ui.Username) + "' already exists."
		}
	}
	return ""
}
