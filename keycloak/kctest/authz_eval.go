package kctest

import (
	"slices"
	"strings"
)

// azIdentity is who asks for permissions: a user (a service account for
// a client's own token) through a client.
type azIdentity struct {
	user   *user
	client *client // the token's azp
	// id is the identity's id as the authorization services see it: the
	// user's id, or the resource server's client UUID when the token is
	// the resource server's own service-account token.
	id string
}

// azPerm is one permission to evaluate: a resource (nil for scopes
// without resource) and the scopes asked for.
type azPerm struct {
	resource *azResource
	scopes   []*azScope
	// granted marks a permission that a granted ticket gives already.
	granted bool
}

// azGrant is one granted permission.
type azGrant struct {
	resource *azResource
	scopes   []*azScope
}

// identityFor returns the evaluation identity for a user and client of rs.
func azIdentityFor(u *user, cl *client, server *client) azIdentity {
	id := azIdentity{user: u, client: cl}
	if u != nil {
		id.id = u.id
		if u.serviceAccountClient != nil && u.serviceAccountClient == server {
			id.id = server.id
		}
	}
	return id
}

// isResourceServer reports whether the identity is the resource server.
func (id azIdentity) isResourceServer(server *client) bool { return id.id == server.id }

// evaluate evaluates perms as Keycloak's DefaultPolicyEvaluator and
// DecisionPermissionCollector do, and returns the granted permissions in
// request order.
func (rm *realm) evaluate(server *client, rs *resourceServer, id azIdentity, perms []*azPerm) []azGrant {
	var out []azGrant
	for _, p := range perms {
		if g, ok := rm.evalPerm(server, rs, id, p); ok {
			out = append(out, g)
		}
	}
	return out
}

// permResult is the outcome of one permission (a resource, scope or uma
// policy) for one requested permission.
type permResult struct {
	policy  *azPolicy
	granted bool
}

func (rm *realm) evalPerm(server *client, rs *resourceServer, id azIdentity, perm *azPerm) (azGrant, bool) {
	r, requested := perm.resource, perm.scopes
	permit := func() (azGrant, bool) {
		if len(requested) == 0 && r != nil && len(r.scopes) > 0 {
			return azGrant{}, false
		}
		return azGrant{resource: r, scopes: slices.Clone(requested)}, true
	}
	if rs.enforcement == "DISABLED" || perm.granted {
		return permit()
	}
	applicable := rm.applicable(server, rs, perm)
	tickets := rs.grantedTickets(r, id)
	if len(applicable) == 0 && len(tickets) == 0 {
		if rs.enforcement == "PERMISSIVE" {
			return permit()
		}
		return azGrant{}, false
	}
	var results []permResult
	for _, p := range applicable {
		g, evaluated := rm.evalPermission(p, id)
		if evaluated {
			results = append(results, permResult{policy: p, granted: g})
		}
	}
	// A granted ticket acts as the user-managed permission Keycloak
	// creates for it.
	for _, t := range tickets {
		scopes := r.scopes
		if t.scope != nil {
			scopes = []*azScope{t.scope}
		}
		results = append(results, permResult{policy: &azPolicy{typ: azUMA, resources: []*azResource{r}, scopes: scopes}, granted: true})
	}
	if len(results) == 0 {
		return azGrant{}, false
	}

	granted := map[*azScope]bool{}
	deniedRS := map[*azScope]bool{}
	deniedTyped := map[*azScope]bool{}
	var uma []*azPolicy
	resourceGranted, anyDeny := false, false
	for _, pr := range results {
		p := pr.policy
		containsResource := r != nil && slices.Contains(p.resources, r)
		if pr.granted {
			switch {
			case p.typ == azScopePerm:
				for _, sc := range requested {
					if slices.Contains(p.scopes, sc) {
						granted[sc] = true
						if r != nil && !r.hasScope(sc) {
							delete(deniedRS, sc)
						}
					}
				}
			case p.typ == azResourcePerm:
				for _, sc := range requested {
					granted[sc] = true
				}
			case r != nil && r.ownerManagedAccess && p.typ == azUMA:
				uma = append(uma, p)
			}
			if !resourceGranted {
				grantsResource := p.typ != azScopePerm || (r != nil && r.owner != server.id)
				resourceGranted = grantsResource && containsResource
			}
		} else {
			if p.typ == azResourcePerm {
				if containsResource || !resourceGranted {
					target := deniedRS
					if rs.typedPermission(p, server) {
						target = deniedTyped
					}
					for _, sc := range requested {
						target[sc] = true
					}
				}
			} else if containsResource || len(p.resources) == 0 {
				for _, sc := range p.scopes {
					deniedRS[sc] = true
				}
			}
			anyDeny = true
		}
	}
	if rs.decision == "AFFIRMATIVE" {
		for sc := range granted {
			delete(deniedRS, sc)
		}
	}
	if resourceGranted {
		for sc := range granted {
			delete(deniedTyped, sc)
		}
		for sc := range deniedTyped {
			deniedRS[sc] = true
		}
	}
	if len(deniedRS) == 0 {
		for sc := range deniedTyped {
			deniedRS[sc] = true
		}
	}
	for sc := range deniedRS {
		delete(granted, sc)
	}
	if len(uma) == 0 {
		if !resourceGranted && len(granted) == 0 && len(requested) > 0 {
			return azGrant{}, false
		}
	} else {
		for _, p := range uma {
			for _, sc := range p.scopes {
				if len(requested) == 0 || slices.Contains(requested, sc) {
					granted[sc] = true
				}
			}
		}
		if len(granted) == 0 && r != nil && len(r.scopes) > 0 {
			return azGrant{}, false
		}
		anyDeny = false
	}
	if anyDeny && len(granted) == 0 {
		return azGrant{}, false
	}
	// Keep the request's scope order.
	var scopes []*azScope
	for _, sc := range requested {
		if granted[sc] {
			scopes = append(scopes, sc)
			delete(granted, sc)
		}
	}
	for _, sc := range rs.sortedScopes() {
		if granted[sc] {
			scopes = append(scopes, sc)
		}
	}
	return azGrant{resource: r, scopes: scopes}, true
}

// typedPermission reports whether p is a resource permission for a
// resource type: one with a resource type, or whose first resource has a
// type and belongs to the resource server.
func (rs *resourceServer) typedPermission(p *azPolicy, server *client) bool {
	if p.resourceType != "" {
		return true
	}
	return len(p.resources) > 0 && p.resources[0].typ != "" && p.resources[0].owner == server.id
}

// applicable returns the permissions that apply to perm, each once:
// scope permissions (and uma policies) of the requested scopes, typed
// resource permissions of the resource's type, and the permissions of the
// resource.
func (rm *realm) applicable(server *client, rs *resourceServer, perm *azPerm) []*azPolicy {
	var out []*azPolicy
	add := func(p *azPolicy) {
		if !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	r := perm.resource
	policies := rs.sortedPolicies()
	if len(perm.scopes) > 0 {
		for _, p := range policies {
			if !p.isPermission() || !azAnyScope(p.scopes, perm.scopes) {
				continue
			}
			if len(p.resources) == 0 || (r != nil && slices.Contains(p.resources, r)) {
				add(p)
			}
		}
	}
	if r != nil {
		if r.typ != "" {
			for _, p := range policies {
				if p.typ == azResourcePerm && p.resourceType == r.typ {
					add(p)
				}
			}
			if r.owner != server.id {
				for _, typed := range rs.sortedResources() {
					if typed.typ != r.typ || typed.owner != server.id {
						continue
					}
					for _, p := range policies {
						if p.typ == azResourcePerm && slices.Contains(p.resources, typed) {
							add(p)
						}
					}
				}
			}
		}
		for _, p := range policies {
			if p.isPermission() && len(p.scopes) == 0 && slices.Contains(p.resources, r) {
				add(p)
			}
		}
	}
	return out
}

func azAnyScope(a, b []*azScope) bool {
	for _, x := range a {
		if slices.Contains(b, x) {
			return true
		}
	}
	return false
}

// grantedTickets returns the granted tickets of the identity for r.
func (rs *resourceServer) grantedTickets(r *azResource, id azIdentity) []*azTicket {
	if r == nil || id.user == nil {
		return nil
	}
	var out []*azTicket
	for _, t := range rs.sortedTickets() {
		if t.granted && t.resource == r && t.requester == id.user {
			out = append(out, t)
		}
	}
	return out
}

// evalPermission evaluates a permission's associated policies and
// combines them with its decision strategy. evaluated is false for a
// permission without policies, which takes no part in the decision.
func (rm *realm) evalPermission(p *azPolicy, id azIdentity) (granted, evaluated bool) {
	var effects []bool
	if p.typ == azUMA {
		effects = rm.umaEffects(p, id)
	} else {
		for _, a := range p.applied {
			effects = append(effects, rm.evalPolicy(a, id, 0))
		}
	}
	if len(effects) == 0 {
		return false, false
	}
	return azCombine(p.decision, effects), true
}

// umaEffects evaluates the parts of a user-managed permission: its roles,
// groups, clients, users and condition, each one policy.
func (rm *realm) umaEffects(p *azPolicy, id azIdentity) []bool {
	var effects []bool
	if len(p.roles) > 0 {
		effects = append(effects, rm.evalLeaf(&azPolicy{typ: "role", roles: p.roles}, id))
	}
	if len(p.groups) > 0 {
		effects = append(effects, rm.evalLeaf(&azPolicy{typ: "group", groups: p.groups}, id))
	}
	if len(p.clients) > 0 {
		effects = append(effects, rm.evalLeaf(&azPolicy{typ: "client", clients: p.clients}, id))
	}
	if len(p.users) > 0 {
		effects = append(effects, rm.evalLeaf(&azPolicy{typ: "user", users: p.users}, id))
	}
	if p.code != "" {
		effects = append(effects, rm.evalLeaf(&azPolicy{typ: "js", code: p.code}, id))
	}
	if p.logic == "NEGATIVE" {
		for i := range effects {
			effects[i] = !effects[i]
		}
	}
	return effects
}

// combine applies a decision strategy to the effects (true = permit).
func azCombine(strategy string, effects []bool) bool {
	grants := 0
	for _, e := range effects {
		if e {
			grants++
		}
	}
	switch strategy {
	case "AFFIRMATIVE":
		return grants > 0
	case "CONSENSUS":
		return grants > len(effects)-grants
	default:
		return grants == len(effects)
	}
}

// evalPolicy evaluates a policy (its logic applied). depth bounds
// aggregate cycles.
func (rm *realm) evalPolicy(p *azPolicy, id azIdentity, depth int) bool {
	var g bool
	if p.typ == "aggregate" {
		if depth < 16 {
			var effects []bool
			for _, a := range p.applied {
				effects = append(effects, rm.evalPolicy(a, id, depth+1))
			}
			g = len(effects) > 0 && azCombine(p.decision, effects)
		}
	} else {
		g = rm.evalLeaf(p, id)
	}
	if p.logic == "NEGATIVE" {
		return !g
	}
	return g
}

// evalLeaf evaluates a policy of a leaf type, without its logic. Types
// kctest cannot evaluate (time, regex, client-scope, js other than the
// default policy's code) deny.
func (rm *realm) evalLeaf(p *azPolicy, id azIdentity) bool {
	u := id.user
	switch p.typ {
	case "role":
		if u == nil {
			return false
		}
		roles := rm.effectiveRoles(u)
		granted := false
		for _, rr := range p.roles {
			has := slices.Contains(roles, rr.role)
			if !has && rr.required {
				return false
			}
			if has {
				granted = true
			}
		}
		return granted
	case "user":
		return u != nil && slices.Contains(p.users, u)
	case "group":
		if u == nil {
			return false
		}
		for _, gr := range p.groups {
			for _, g := range u.groups {
				if g == gr.group {
					return true
				}
				if gr.extendChildren {
					for anc := g.parent; anc != nil; anc = anc.parent {
						if anc == gr.group {
							return true
						}
					}
				}
			}
		}
		return false
	case "client":
		return id.client != nil && slices.Contains(p.clients, id.client)
	case "js":
		return strings.TrimSpace(p.code) == strings.TrimSpace(defaultGrantCode) || strings.TrimSpace(p.code) == "$evaluation.grant();"
	}
	return false
}
