package kctest

import (
	"fmt"
	"slices"
	"sort"
	"strings"
)

// role is a realm role (client == nil) or a client role.
type role struct {
	id          string
	name        string
	description string
	client      *client // nil for a realm role
	attributes  map[string][]string
	composites  []*role
}

func (r *role) composite() bool { return len(r.composites) > 0 }

// addComposite adds c to r's composites once.
func (r *role) addComposite(c *role) {
	if c != r && !slices.Contains(r.composites, c) {
		r.composites = append(r.composites, c)
	}
}

// addRealmRole creates (or returns) the realm role name with composites.
func (rm *realm) addRealmRole(name, description string, composites ...*role) *role {
	if r := rm.roles[name]; r != nil {
		return r
	}
	r := &role{id: newID(), name: name, description: description, attributes: map[string][]string{}}
	for _, c := range composites {
		r.addComposite(c)
	}
	rm.roles[name] = r
	return r
}

// addRole creates (or returns) the client role name with composites.
func (c *client) addRole(name, description string, composites ...*role) *role {
	if r := c.roles[name]; r != nil {
		return r
	}
	r := &role{id: newID(), name: name, description: description, client: c, attributes: map[string][]string{}}
	for _, cr := range composites {
		r.addComposite(cr)
	}
	c.roles[name] = r
	return r
}

// roleByID finds a realm or client role by id.
func (rm *realm) roleByID(id string) *role {
	for _, r := range rm.roles {
		if r.id == id {
			return r
		}
	}
	for _, c := range rm.clients {
		for _, r := range c.roles {
			if r.id == id {
				return r
			}
		}
	}
	return nil
}

// lookupRoleRef resolves "name" (realm role) or "clientId/name"... is
// ambiguous for role names with a slash, so callers pass the client id
// separately; this resolves a realm role name, creating it when create is set.
func (rm *realm) realmRole(name string, create bool) (*role, error) {
	if r := rm.roles[name]; r != nil {
		return r, nil
	}
	if !create {
		return nil, fmt.Errorf("kctest: realm role %q not found in realm %q", name, rm.name)
	}
	return rm.addRealmRole(name, ""), nil
}

// clientRole resolves a client role by clientId and name, creating the role
// (not the client) when create is set.
func (rm *realm) clientRole(clientID, name string, create bool) (*role, error) {
	c := rm.findClientByClientID(clientID)
	if c == nil {
		return nil, fmt.Errorf("kctest: client %q not found in realm %q", clientID, rm.name)
	}
	if r := c.roles[name]; r != nil {
		return r, nil
	}
	if !create {
		return nil, fmt.Errorf("kctest: role %q not found in client %q", name, clientID)
	}
	return c.addRole(name, ""), nil
}

// expandRoles returns roots and every role reachable through composites,
// each once.
func expandRoles(roots []*role) []*role {
	seen := map[*role]bool{}
	var out []*role
	var walk func(r *role)
	walk = func(r *role) {
		if r == nil || seen[r] {
			return
		}
		seen[r] = true
		out = append(out, r)
		for _, c := range r.composites {
			walk(c)
		}
	}
	for _, r := range roots {
		walk(r)
	}
	return out
}

// directRoles returns the user's own role mappings (the realm default role
// among them: it is a stored mapping, not implied) and the roles of every
// group it belongs to and of those groups' ancestors.
func (rm *realm) directRoles(u *user) []*role {
	roots := slices.Clone(u.roles)
	for _, g := range u.groups {
		for p := g; p != nil; p = p.parent {
			roots = append(roots, p.roles...)
		}
	}
	return roots
}

// effectiveRoles returns every role the user has, composites expanded and
// group roles inherited.
func (rm *realm) effectiveRoles(u *user) []*role {
	return expandRoles(rm.directRoles(u))
}

// effectiveRealmRoles returns the sorted names of the user's effective
// realm roles.
func (rm *realm) effectiveRealmRoles(u *user) []string {
	var out []string
	for _, r := range rm.effectiveRoles(u) {
		if r.client == nil {
			out = append(out, r.name)
		}
	}
	sort.Strings(out)
	return out
}

// hasRole reports whether the user effectively has the realm role (clientID
// "") or client role.
func (rm *realm) hasRole(u *user, clientID, name string) bool {
	for _, r := range rm.effectiveRoles(u) {
		if r.name != name {
			continue
		}
		if (clientID == "" && r.client == nil) || (r.client != nil && r.client.clientID == clientID) {
			return true
		}
	}
	return false
}

// rolesInScope filters roles to those a token for c may carry: all of them
// when c has full scope allowed, else c's own roles and the roles mapped to
// c or to its client scopes (composites of those expanded).
func (rm *realm) rolesInScope(c *client, roles []*role, scopes []*clientScope) []*role {
	if c.fullScopeAllowed {
		return roles
	}
	allowed := map[*role]bool{}
	roots := slices.Clone(c.scopeRoles)
	for _, sc := range scopes {
		roots = append(roots, sc.scopeRoles...)
	}
	for _, r := range expandRoles(roots) {
		allowed[r] = true
	}
	var out []*role
	for _, r := range roles {
		if r.client == c || allowed[r] {
			out = append(out, r)
		}
	}
	return out
}

// parseRoleRef splits "client/role" style references used by the seeding
// API's Composites: a realm role is "name", a client role "clientId/name"
// where clientId is the longest prefix that names a client.
func (rm *realm) parseRoleRef(ref string, create bool) (*role, error) {
	if r := rm.roles[ref]; r != nil {
		return r, nil
	}
	for i := len(ref) - 1; i > 0; i-- {
		if ref[i] != '/' {
			continue
		}
		if c := rm.findClientByClientID(ref[:i]); c != nil {
			return rm.clientRole(ref[:i], ref[i+1:], create)
		}
	}
	if strings.Contains(ref, "/") && !create {
		return nil, fmt.Errorf("kctest: role %q not found", ref)
	}
	return rm.realmRole(ref, create)
}
