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

// builtinScopes lists Keycloak 26's built-in client scopes: name, protocol,
// include.in.token.scope, and whether it is a realm default ("default"),
// optional ("optional") or neither.
var builtinScopes = []struct {
	name, protocol, include, kind string
}{
	{"role_list", "saml", "", "default"},
	{"saml_organization", "saml", "", "default"},
	{"profile", "openid-connect", "true", "default"},
	{"email", "openid-connect", "true", "default"},
	{"roles", "openid-connect", "false", "default"},
	{"web-origins", "openid-connect", "false", "default"},
	{"acr", "openid-connect", "false", "default"},
	{"basic", "openid-connect", "false", "default"},
	{"offline_access", "openid-connect", "", "optional"},
	{"address", "openid-connect", "true", "optional"},
	{"phone", "openid-connect", "true", "optional"},
	{"microprofile-jwt", "openid-connect", "true", "optional"},
	{"organization", "openid-connect", "true", "optional"},
	{"service_account", "openid-connect", "false", ""},
}

// addBuiltinScopes creates the built-in client scopes and the realm's
// default and optional scope lists.
func (rm *realm) addBuiltinScopes() {
	rm.defaultScopes, rm.optionalScopes = nil, nil
	for _, b := range builtinScopes {
		sc := &clientScope{id: newID(), name: b.name, protocol: b.protocol, attributes: map[string]string{}}
		if b.protocol == "openid-connect" {
			sc.description = "OpenID Connect built-in scope: " + b.name
			if b.include != "" {
				sc.attributes["include.in.token.scope"] = b.include
			}
		}
		rm.scopes[sc.id] = sc
		switch b.kind {
		case "default":
			rm.defaultScopes = append(rm.defaultScopes, b.name)
		case "optional":
			rm.optionalScopes = append(rm.optionalScopes, b.name)
		}
	}
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
