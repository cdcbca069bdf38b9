package kctest

import (
	"encoding/json"
	"slices"
)

// clientScope is a client scope (any protocol).
type clientScope struct {
	id          string
	name        string
	description string
	protocol    string
	attributes  map[string]string
	mappers     []json.RawMessage
	scopeRoles  []*role
}

// includeInTokenScope reports whether the scope's name goes into the
// "scope" claim.
func (sc *clientScope) includeInTokenScope() bool {
	v, ok := sc.attributes["include.in.token.scope"]
	return !ok || v == "true"
}

// addBuiltinScopes creates the built-in client scopes with their protocol
// mappers (builtin_scopes.go) and the realm's default and optional scope
// lists.
func (rm *realm) addBuiltinScopes() {
	for _, b := range builtinScopes {
		sc := &clientScope{id: newID(), name: b.name, description: b.description, protocol: b.protocol, attributes: map[string]string{}}
		for k, v := range b.attributes {
			sc.attributes[k] = v
		}
		for _, bm := range b.mappers {
			m := mapperRep{ID: newID(), Name: bm.name, Protocol: b.protocol, ProtocolMapper: bm.typ, Config: map[string]string{}}
			for k, v := range bm.config {
				m.Config[k] = v
			}
			raw, _ := json.Marshal(m)
			sc.mappers = append(sc.mappers, raw)
		}
		rm.scopes[sc.id] = sc
	}
	rm.defaultScopes = slices.Clone(builtinDefaultScopes)
	rm.optionalScopes = slices.Clone(builtinOptionalScopes)
}

// scopeByName returns the client scope with that name, or nil.
func (rm *realm) scopeByName(name string) *clientScope {
	for _, sc := range rm.scopes {
		if sc.name == name {
			return sc
		}
	}
	return nil
}

// oidcScopeNames filters names to existing openid-connect client scopes.
func (rm *realm) oidcScopeNames(names []string) []string {
	var out []string
	for _, n := range names {
		if sc := rm.scopeByName(n); sc != nil && sc.protocol == "openid-connect" && !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	return out
}

// scopeRefs returns the id and name of each named client scope that
// exists, as the admin API lists linked scopes.
func (rm *realm) scopeRefs(names []string) []map[string]string {
	out := []map[string]string{}
	for _, n := range names {
		if sc := rm.scopeByName(n); sc != nil {
			out = append(out, map[string]string{"id": sc.id, "name": sc.name})
		}
	}
	return out
}

// permittedScopes drops the client scopes the user may not have: a scope
// with role scope mappings applies only to a user who has one of those
// roles, composites expanded (DefaultClientSessionContext
// .isClientScopePermittedForUser). offline_access, mapped to the realm role
// offline_access, is the usual case.
func (rm *realm) permittedScopes(g grantedScopes, u *user) grantedScopes {
	out := grantedScopes{openid: g.openid}
	var has map[*role]bool
	for _, sc := range g.scopes {
		ok := len(sc.scopeRoles) == 0
		if !ok {
			if has == nil {
				has = map[*role]bool{}
				for _, r := range rm.effectiveRoles(u) {
					has[r] = true
				}
			}
			ok = slices.ContainsFunc(expandRoles(sc.scopeRoles), func(r *role) bool { return has[r] })
		}
		if ok {
			out.scopes = append(out.scopes, sc)
		}
	}
	return out
}
