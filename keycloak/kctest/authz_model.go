package kctest

import (
	"encoding/json"
	"slices"
	"sort"
	"strings"
)

// resourceServer holds a client's authorization-services settings: its
// resources, scopes, policies (permissions included) and permission
// tickets. Every field is guarded by Server.mu.
//
// A realm import keeps the client's authorizationSettings in raw; the model
// is built from it on first use (see realm.authzOf), so that the importer
// needs to know nothing of authorization services. A client that gets
// authorization services enabled without settings gets Keycloak's default
// resource, policy and permission.
type resourceServer struct {
	// raw is the authorizationSettings JSON of a realm import, or nil.
	raw json.RawMessage

	loaded      bool
	allowRemote bool
	enforcement string // ENFORCING, PERMISSIVE, DISABLED
	decision    string // UNANIMOUS, AFFIRMATIVE, CONSENSUS

	resources map[string]*azResource // by id
	scopes    map[string]*azScope    // by id
	policies  map[string]*azPolicy   // by id; permissions and uma policies too
	tickets   map[string]*azTicket   // by id
}

// azScope is an authorization scope.
type azScope struct {
	id, name, displayName, iconURI string
}

// azResource is a protected resource.
type azResource struct {
	id, name, displayName, typ, iconURI string
	uris                                []string
	scopes                              []*azScope
	// owner is a user id, or the client's UUID for the resource server.
	owner              string
	ownerManagedAccess bool
	attributes         map[string][]string
}

// azRoleRef is one role of a role policy.
type azRoleRef struct {
	role     *role
	required bool
}

// azGroupRef is one group of a group policy.
type azGroupRef struct {
	group          *group
	extendChildren bool
}

// azPolicy is a policy: a leaf (role, user, group, client, js, ...), an
// aggregate, a permission (resource, scope) or a user-managed permission
// (uma).
type azPolicy struct {
	id, name, description string
	typ                   string // role, user, group, client, js, aggregate, resource, scope, uma, ...
	logic                 string // POSITIVE, NEGATIVE
	decision              string // UNANIMOUS, AFFIRMATIVE, CONSENSUS
	owner                 string // uma: the owner's user id

	resources    []*azResource
	scopes       []*azScope
	applied      []*azPolicy // associated policies
	resourceType string      // typed resource permission

	roles      []azRoleRef
	users      []*user
	groups     []azGroupRef
	clients    []*client
	code       string // js
	fetchRoles bool
	// config keeps config entries this model does not interpret.
	config map[string]string
}

// azTicket is a permission ticket: a requester's request for a resource
// (and scope), granted or not.
type azTicket struct {
	id        string
	owner     string // resource owner id
	resource  *azResource
	scope     *azScope // nil: the whole resource
	requester *user
	granted   bool
	created   int64 // epoch millis
	grantedAt int64
}

// Permission and policy types the model knows.
const (
	azResourcePerm = "resource"
	azScopePerm    = "scope"
	azUMA          = "uma"
)

// isPermission reports whether p is a permission (resource, scope, uma).
func (p *azPolicy) isPermission() bool {
	return p.typ == azResourcePerm || p.typ == azScopePerm || p.typ == azUMA
}

// defaultGrantCode is the code of Keycloak's "Default Policy", a js policy
// that grants.
const defaultGrantCode = "// by default, grants any permission associated with this policy\n$evaluation.grant();\n"

func newResourceServer() *resourceServer {
	return &resourceServer{
		loaded: true, allowRemote: true, enforcement: "ENFORCING", decision: "UNANIMOUS",
		resources: map[string]*azResource{}, scopes: map[string]*azScope{},
		policies: map[string]*azPolicy{}, tickets: map[string]*azTicket{},
	}
}

// authzOf returns the resource server of c, building it on first use:
// from the imported settings, or with Keycloak's defaults. It returns nil
// when authorization services are off. Callers hold s.mu for writing.
func (rm *realm) authzOf(c *client) *resourceServer {
	if c == nil || !c.authorizationServices {
		return nil
	}
	if c.authz == nil {
		c.authz = &resourceServer{}
	}
	if c.authz.loaded {
		return c.authz
	}
	raw := c.authz.raw
	rs := newResourceServer()
	rs.raw = raw
	c.authz = rs
	if len(raw) > 0 {
		var rep azServerRep
		if err := json.Unmarshal(raw, &rep); err == nil {
			rm.importAuthz(c, rs, &rep)
			return rs
		}
	}
	rm.addDefaultAuthz(c, rs)
	return rs
}

// addDefaultAuthz adds what Keycloak creates when authorization services
// are enabled on a client: "Default Resource" (type
// urn:<clientId>:resources:default, URI /*), "Default Policy" (a js policy
// that grants) and "Default Permission" (a resource permission for that
// resource type).
func (rm *realm) addDefaultAuthz(c *client, rs *resourceServer) {
	typ := "urn:" + c.clientID + ":resources:default"
	res := &azResource{id: newID(), name: "Default Resource", typ: typ, uris: []string{"/*"}, owner: c.id, attributes: map[string][]string{}}
	rs.resources[res.id] = res
	pol := &azPolicy{id: newID(), name: "Default Policy", description: "A policy that grants access only for users within this realm",
		typ: "js", logic: "POSITIVE", decision: "AFFIRMATIVE", code: defaultGrantCode, config: map[string]string{}}
	rs.policies[pol.id] = pol
	perm := &azPolicy{id: newID(), name: "Default Permission", description: "A permission that applies to the default resource type",
		typ: azResourcePerm, logic: "POSITIVE", decision: "UNANIMOUS", resourceType: typ, applied: []*azPolicy{pol}, config: map[string]string{}}
	rs.policies[perm.id] = perm
}

// scopeByName returns the scope named name, or nil.
func (rs *resourceServer) scopeByName(name string) *azScope {
	for _, sc := range rs.scopes {
		if sc.name == name {
			return sc
		}
	}
	return nil
}

// scopeRef resolves a scope by id or name.
func (rs *resourceServer) scopeRef(ref string) *azScope {
	if sc := rs.scopes[ref]; sc != nil {
		return sc
	}
	return rs.scopeByName(ref)
}

// ensureScope returns the scope named name, creating it.
func (rs *resourceServer) ensureScope(name string) *azScope {
	if sc := rs.scopeByName(name); sc != nil {
		return sc
	}
	sc := &azScope{id: newID(), name: name}
	rs.scopes[sc.id] = sc
	return sc
}

// resourceByName returns the resource of owner named name, or nil.
func (rs *resourceServer) resourceByName(name, owner string) *azResource {
	for _, r := range rs.resources {
		if r.name == name && r.owner == owner {
			return r
		}
	}
	return nil
}

// resourceRef resolves a resource by id, or by name among the resource
// server's own resources (then anyone's).
func (rs *resourceServer) resourceRef(ref, serverID string) *azResource {
	if r := rs.resources[ref]; r != nil {
		return r
	}
	if r := rs.resourceByName(ref, serverID); r != nil {
		return r
	}
	for _, r := range rs.sortedResources() {
		if r.name == ref {
			return r
		}
	}
	return nil
}

// policyByName returns the policy named name, or nil.
func (rs *resourceServer) policyByName(name string) *azPolicy {
	for _, p := range rs.policies {
		if p.name == name {
			return p
		}
	}
	return nil
}

// policyRef resolves a policy by id or name.
func (rs *resourceServer) policyRef(ref string) *azPolicy {
	if p := rs.policies[ref]; p != nil {
		return p
	}
	return rs.policyByName(ref)
}

// sortedResources returns the resources ordered by name, then id.
func (rs *resourceServer) sortedResources() []*azResource {
	out := make([]*azResource, 0, len(rs.resources))
	for _, r := range rs.resources {
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].name != out[j].name {
			return out[i].name < out[j].name
		}
		return out[i].id < out[j].id
	})
	return out
}

// sortedScopes returns the scopes ordered by name.
func (rs *resourceServer) sortedScopes() []*azScope {
	out := make([]*azScope, 0, len(rs.scopes))
	for _, sc := range rs.scopes {
		out = append(out, sc)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].name < out[j].name })
	return out
}

// sortedPolicies returns the policies ordered by name.
func (rs *resourceServer) sortedPolicies() []*azPolicy {
	out := make([]*azPolicy, 0, len(rs.policies))
	for _, p := range rs.policies {
		out = append(out, p)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].name != out[j].name {
			return out[i].name < out[j].name
		}
		return out[i].id < out[j].id
	})
	return out
}

// sortedTickets returns the tickets ordered by creation, then id.
func (rs *resourceServer) sortedTickets() []*azTicket {
	out := make([]*azTicket, 0, len(rs.tickets))
	for _, t := range rs.tickets {
		out = append(out, t)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].created != out[j].created {
			return out[i].created < out[j].created
		}
		return out[i].id < out[j].id
	})
	return out
}

// deleteResource removes r and what refers to it: tickets, and r from the
// policies (a uma policy of r goes with it).
func (rs *resourceServer) deleteResource(r *azResource) {
	delete(rs.resources, r.id)
	for id, t := range rs.tickets {
		if t.resource == r {
			delete(rs.tickets, id)
		}
	}
	for id, p := range rs.policies {
		if !slices.Contains(p.resources, r) {
			continue
		}
		p.resources = slices.DeleteFunc(p.resources, func(x *azResource) bool { return x == r })
		if p.typ == azUMA {
			delete(rs.policies, id)
		}
	}
}

// deleteScope removes sc from resources and policies.
func (rs *resourceServer) deleteScope(sc *azScope) {
	delete(rs.scopes, sc.id)
	for _, r := range rs.resources {
		r.scopes = slices.DeleteFunc(r.scopes, func(x *azScope) bool { return x == sc })
	}
	for _, p := range rs.policies {
		p.scopes = slices.DeleteFunc(p.scopes, func(x *azScope) bool { return x == sc })
	}
	for id, t := range rs.tickets {
		if t.scope == sc {
			delete(rs.tickets, id)
		}
	}
}

// deletePolicy removes p and unlinks it from the policies that apply it.
// deletePolicy deletes p. A policy that depended on p and is left with no
// associated policy is deleted too, as Keycloak's
// PolicyStore wrapper (AuthorizationProvider.createPolicyWrapper) does.
func (rs *resourceServer) deletePolicy(p *azPolicy) {
	if rs.policies[p.id] != p {
		return
	}
	delete(rs.policies, p.id)
	var orphans []*azPolicy
	for _, q := range rs.sortedPolicies() {
		n := len(q.applied)
		q.applied = slices.DeleteFunc(q.applied, func(x *azPolicy) bool { return x == p })
		if n > 0 && len(q.applied) == 0 {
			orphans = append(orphans, q)
		}
	}
	for _, q := range orphans {
		rs.deletePolicy(q)
	}
}

// hasScope reports whether r has sc.
func (r *azResource) hasScope(sc *azScope) bool { return slices.Contains(r.scopes, sc) }

// scopeNames returns the names of scopes.
func scopeNames(scopes []*azScope) []string {
	out := make([]string, 0, len(scopes))
	for _, sc := range scopes {
		out = append(out, sc.name)
	}
	sort.Strings(out)
	return out
}

// ownerName returns the username of a user owner, or the clientId of the
// resource server.
func (rm *realm) ownerName(c *client, owner string) string {
	if owner == c.id {
		return c.clientID
	}
	if u := rm.users[owner]; u != nil {
		return u.username
	}
	return ""
}

// resolveOwner resolves an owner given as a user id, a username, the
// client's UUID or its clientId. ok is false when nothing matches.
func (rm *realm) resolveOwner(c *client, ref string) (string, bool) {
	switch {
	case ref == "" || ref == c.id || ref == c.clientID:
		return c.id, true
	case rm.users[ref] != nil:
		return ref, true
	}
	if u := rm.findUserByUsername(ref); u != nil {
		return u.id, true
	}
	return "", false
}

// userRef resolves a user by id or username.
func (rm *realm) userRef(ref string) *user {
	if u := rm.users[ref]; u != nil {
		return u
	}
	return rm.findUserByUsername(ref)
}

// clientRef resolves a client by UUID or clientId.
func (rm *realm) clientRef(ref string) *client {
	if c := rm.clients[ref]; c != nil {
		return c
	}
	return rm.findClientByClientID(ref)
}

// groupRef resolves a group by id or path.
func (rm *realm) groupRef(ref string) *group {
	if g := rm.groups[ref]; g != nil {
		return g
	}
	if strings.HasPrefix(ref, "/") {
		return rm.findGroupByPath(ref)
	}
	return rm.findGroupByPath("/" + ref)
}

// roleRef resolves a role of a role policy: a role id, a realm role name,
// or "clientId/roleName" for a client role (the export format).
func (rm *realm) roleRef(ref string) *role {
	if r := rm.roleByID(ref); r != nil {
		return r
	}
	if r := rm.roles[ref]; r != nil {
		return r
	}
	if i := strings.Index(ref, "/"); i > 0 {
		if c := rm.findClientByClientID(ref[:i]); c != nil {
			if r := c.roles[ref[i+1:]]; r != nil {
				return r
			}
		}
	}
	return nil
}
