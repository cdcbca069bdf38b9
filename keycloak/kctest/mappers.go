package kctest

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// Protocol mappers build the claims of every token, as in Keycloak's
// TokenManager.transformAccessToken, transformIDToken,
// transformUserInfoAccessToken and transformIntrospectionAccessToken: the
// mappers of the client and of the client scopes the request applies (its
// default scopes and the optional ones it asked for), sorted by the mapper
// type's priority (ProtocolMapperUtils.getSortedProtocolMappers), each
// switched on or off per token by its config.

// mapperTarget is the token a mapper writes.
type mapperTarget int

const (
	forAccess mapperTarget = iota
	forID
	forUserInfo
	forIntrospection
)

func (t mapperTarget) String() string {
	return [...]string{"access token", "ID token", "userinfo", "introspection"}[t]
}

// Config keys shared by the mapper types (OIDCAttributeMapperHelper,
// ProtocolMapperUtils).
const (
	cfgClaimName     = "claim.name"
	cfgJSONType      = "jsonType.label"
	cfgAccessToken   = "access.token.claim"
	cfgIDToken       = "id.token.claim"
	cfgUserInfo      = "userinfo.token.claim"
	cfgIntrospection = "introspection.token.claim"
	cfgLightweight   = "lightweight.claim"
	cfgMultivalued   = "multivalued"
	cfgAggregate     = "aggregate.attrs"
	cfgUserAttribute = "user.attribute"
	cfgSessionNote   = "user.session.note"
)

// User session notes Keycloak sets (AuthenticationManager.AUTH_TIME,
// ServiceAccountConstants).
const (
	noteAuthTime      = "AUTH_TIME"
	noteClientID      = "client_id"
	noteClientHost    = "clientHost"
	noteClientAddress = "clientAddress"
)

// Client session notes (OIDCLoginProtocol.CLAIMS_PARAM,
// AuthenticationManager.SSO_AUTH).
const (
	noteClaimsParam = "claims"
	noteSSOAuth     = "SSO_AUTH"
)

// mapperError is a token request that a protocol mapper could not serve: an
// unsupported mapper type or a value Keycloak also refuses to convert. The
// request fails with 500 and the reason goes to the server's log.
type mapperError struct {
	mapper, typ, owner string
	reason             string
}

func (e *mapperError) Error() string {
	return fmt.Sprintf("kctest: protocol mapper %q (%s) of %s: %s", e.mapper, e.typ, e.owner, e.reason)
}

// mapperSession is what the mappers of one token response see: Keycloak's
// ClientSessionContext, with the roles it resolved (RoleResolveUtil caches
// them per request, so a hardcoded role added for the access token is in
// the ID token too).
type mapperSession struct {
	rm          *realm
	client      *client
	user        *user
	scopes      grantedScopes
	userNotes   map[string]string
	clientNotes map[string]string
	lightweight bool
	roles       *resolvedRoles
	// sessionID is the user session's id ("" for a stateless token);
	// nonce the authorization request's nonce.
	sessionID, nonce string
}

// resolvedRoles are the role names a token may carry: the user's effective
// roles within the client's scope, by client (RoleResolveUtil).
type resolvedRoles struct {
	realm   map[string]bool
	clients map[string]map[string]bool
}

func (ms *mapperSession) resolved() *resolvedRoles {
	if ms.roles == nil {
		rr := &resolvedRoles{realm: map[string]bool{}, clients: map[string]map[string]bool{}}
		for _, r := range ms.rm.rolesInScope(ms.client, ms.rm.effectiveRoles(ms.user), ms.scopes.scopes) {
			if r.client == nil {
				rr.realm[r.name] = true
			} else {
				rr.clientRoles(r.client.clientID)[r.name] = true
			}
		}
		ms.roles = rr
	}
	return ms.roles
}

func (rr *resolvedRoles) clientRoles(clientID string) map[string]bool {
	m := rr.clients[clientID]
	if m == nil {
		m = map[string]bool{}
		rr.clients[clientID] = m
	}
	return m
}

// setNames returns a set's members, sorted.
func setNames(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// activeMapper is one protocol mapper that a token request runs.
type activeMapper struct {
	mapperRep
	owner string // "client scope profile", "client demo-app"
	kind  *mapperKind
}

// activeMappers returns the openid-connect mappers of the applied client
// scopes and of the client, sorted by priority (a stable sort, so mappers
// of equal priority keep the scopes' order, then the client's).
func (ms *mapperSession) activeMappers() []activeMapper {
	var out []activeMapper
	add := func(raws []json.RawMessage, owner string) {
		for _, raw := range raws {
			m := mapperOf(raw)
			if m.Protocol != "" && m.Protocol != "openid-connect" {
				continue
			}
			if m.Config == nil {
				m.Config = map[string]string{}
			}
			out = append(out, activeMapper{mapperRep: m, owner: owner, kind: mapperKinds[m.ProtocolMapper]})
		}
	}
	for _, sc := range ms.scopes.scopes {
		add(sc.mappers, "client scope "+sc.name)
	}
	add(ms.client.protocolMappers, "client "+ms.client.clientID)
	slices.SortStableFunc(out, func(a, b activeMapper) int { return a.priority() - b.priority() })
	return out
}

func (am activeMapper) priority() int {
	if am.kind == nil {
		return 0
	}
	return am.kind.priority
}

// run applies the mappers to tok for target. An unsupported mapper type
// that would write this token fails the request.
func (ms *mapperSession) run(tok claims, target mapperTarget) error {
	for _, am := range ms.activeMappers() {
		if am.kind == nil {
			if !standardSwitch(am.Config, target, ms.lightweight) {
				continue
			}
			return &mapperError{am.Name, am.ProtocolMapper, am.owner,
				"kctest does not implement this mapper type, so the " + target.String() + " would miss its claims (see the kctest package doc for the supported types)"}
		}
		if !am.kind.targets[target] || !am.kind.include(am.Config, target, ms.lightweight) {
			continue
		}
		if err := am.kind.apply(ms, am.mapperRep, tok, target); err != nil {
			return &mapperError{am.Name, am.ProtocolMapper, am.owner, err.Error()}
		}
	}
	return nil
}

// standardSwitch is AbstractOIDCProtocolMapper's decision whether a mapper
// writes the target token: access.token.claim (or lightweight.claim for a
// lightweight access token), id.token.claim, userinfo.token.claim
// (defaulting to the ID token switch) and introspection.token.claim
// (defaulting to the access token switch).
func standardSwitch(cfg map[string]string, target mapperTarget, lightweight bool) bool {
	switch target {
	case forAccess:
		if lightweight {
			return cfg[cfgLightweight] == "true"
		}
		return cfg[cfgAccessToken] == "true"
	case forID:
		return cfg[cfgIDToken] == "true"
	case forUserInfo:
		if v, ok := cfg[cfgUserInfo]; ok {
			return v == "true"
		}
		return cfg[cfgIDToken] == "true"
	default:
		if v, ok := cfg[cfgIntrospection]; ok {
			return v == "true"
		}
		return cfg[cfgAccessToken] == "true"
	}
}

// defaultOnSwitch is the switch of the audience-resolve and allowed-origins
// mappers: an access or introspection switch left out means on.
func defaultOnSwitch(cfg map[string]string, target mapperTarget, lightweight bool) bool {
	if target == forAccess && lightweight {
		return cfg[cfgLightweight] == "true"
	}
	key := cfgAccessToken
	if target == forIntrospection {
		key = cfgIntrospection
	}
	v, ok := cfg[key]
	return !ok || v == "true"
}

// alwaysOn is the switch of mappers that act on every token they handle
// (role name, hardcoded role, pairwise subject).
func alwaysOn(map[string]string, mapperTarget, bool) bool { return true }

// mapAttributeValue is OIDCAttributeMapperHelper.mapAttributeValue: a list
// becomes its first value unless the mapper is multivalued, then each value
// is converted to jsonType.label. nil means "no claim".
func mapAttributeValue(cfg map[string]string, v any) (any, error) {
	if list, ok := v.([]string); ok {
		if len(list) == 0 {
			return nil, nil
		}
		if cfg[cfgMultivalued] == "true" {
			out := make([]any, 0, len(list))
			for _, s := range list {
				c, err := convertClaim(cfg[cfgJSONType], s)
				if err != nil {
					return nil, err
				}
				out = append(out, c)
			}
			return out, nil
		}
		v = list[0]
	}
	if v == nil {
		return nil, nil
	}
	return convertClaim(cfg[cfgJSONType], v)
}

// convertClaim is OIDCAttributeMapperHelper.convertToType. Like Keycloak, a
// value that does not convert to long, int or JSON fails the request.
func convertClaim(typ string, v any) (any, error) {
	s, isString := v.(string)
	switch typ {
	case "boolean":
		if isString {
			return strings.EqualFold(s, "true"), nil // Boolean.valueOf
		}
		if b, ok := v.(bool); ok {
			return b, nil
		}
	case "String":
		if isString {
			return s, nil
		}
		return fmt.Sprint(v), nil
	case "long":
		if isString {
			n, err := strconv.ParseInt(s, 10, 64)
			if err != nil {
				return nil, fmt.Errorf("value %q is not a long", s)
			}
			return n, nil
		}
		if n, ok := v.(int64); ok {
			return n, nil
		}
	case "int":
		if isString {
			n, err := strconv.ParseInt(s, 10, 32)
			if err != nil {
				return nil, fmt.Errorf("value %q is not an int", s)
			}
			return n, nil
		}
	case "JSON":
		if isString {
			var out any
			if err := json.Unmarshal([]byte(s), &out); err != nil {
				return nil, fmt.Errorf("value is not JSON: %v", err)
			}
			return out, nil
		}
		if m, ok := v.(map[string]any); ok {
			return m, nil
		}
	default:
		return v, nil
	}
	return nil, fmt.Errorf("cannot map type for token claim (%T as %s)", v, typ)
}

// splitClaimPath is JsonUtils.splitClaimPath: "a.b.c" is three levels, a
// backslash escapes the next character ("a\.b" is one claim named "a.b").
func splitClaimPath(path string) []string {
	var out []string
	var cur strings.Builder
	for i := 0; i < len(path); i++ {
		switch c := path[i]; {
		case c == '\\' && i+1 < len(path):
			i++
			cur.WriteByte(path[i])
		case c == '.':
			out = append(out, cur.String())
			cur.Reset()
		default:
			cur.WriteByte(c)
		}
	}
	if cur.Len() > 0 || len(out) > 0 {
		out = append(out, cur.String())
	}
	return out
}

// tokenSetters are the claims OIDCAttributeMapperHelper writes through the
// token's own fields; the server-assigned ones are ignored with a warning
// in Keycloak and skipped here.
var tokenSetters = map[string]bool{"sub": true, "azp": true, "acr": true, "auth_time": true, "aud": true}

var serverClaims = map[string]bool{"jti": true, "typ": true, "iat": true, "exp": true, "iss": true, "scope": true, "nonce": true, "session_state": true}

// mapClaim is OIDCAttributeMapperHelper.mapClaim: convert the value, then
// put it at claim.name (nested for a dotted path; a multivalued claim adds
// to the values already there).
func mapClaim(tok claims, cfg map[string]string, v any) error {
	v, err := mapAttributeValue(cfg, v)
	if err != nil || v == nil {
		return err
	}
	name, ok := cfg[cfgClaimName]
	if !ok {
		return nil
	}
	return putClaim(tok, splitClaimPath(name), v, cfg[cfgMultivalued] == "true")
}

// putClaim writes v at path.
func putClaim(tok claims, path []string, v any, multivalued bool) error {
	if len(path) == 0 {
		return nil
	}
	if first := path[0]; tokenSetters[first] || serverClaims[first] {
		if len(path) > 1 || serverClaims[first] {
			return nil
		}
		switch first {
		case "aud":
			tok["aud"] = audienceOf(v)
		case "auth_time":
			if n, err := strconv.ParseInt(fmt.Sprint(v), 10, 64); err == nil {
				tok["auth_time"] = n
			}
		default:
			tok[first] = fmt.Sprint(v)
		}
		return nil
	}
	obj, comp, err := claimParent(tok, path)
	if err != nil {
		return err
	}
	old, exists := obj[comp]
	if !multivalued || !exists {
		obj[comp] = v
		return nil
	}
	vals := anyList(old)
	for _, x := range anyList(v) {
		if !slices.ContainsFunc(vals, func(y any) bool { return fmt.Sprint(y) == fmt.Sprint(x) }) {
			vals = append(vals, x)
		}
	}
	obj[comp] = vals
	return nil
}

// claimParent returns the object that holds the last component of path
// (non-empty), creating the objects on the way as
// OIDCAttributeMapperHelper.mapClaim does, and that component.
func claimParent(tok claims, path []string) (map[string]any, string, error) {
	obj := map[string]any(tok)
	for i, comp := range path[:len(path)-1] {
		next, exists := obj[comp]
		nested, ok := next.(map[string]any)
		if !exists {
			nested = map[string]any{}
			obj[comp] = nested
		} else if !ok {
			return nil, "", fmt.Errorf("claim %q is not an object", strings.Join(path[:i+1], "."))
		}
		obj = nested
	}
	return obj, path[len(path)-1], nil
}

func anyList(v any) []any {
	switch x := v.(type) {
	case []any:
		return slices.Clone(x)
	case []string:
		out := make([]any, len(x))
		for i, s := range x {
			out[i] = s
		}
		return out
	}
	return []any{v}
}

// audienceOf turns a value into the audience list.
func audienceOf(v any) []string {
	var out []string
	for _, x := range anyList(v) {
		out = append(out, fmt.Sprint(x))
	}
	return out
}

// addAudience is JsonWebToken.addAudience. While a token is built its "aud"
// is a []string; finishAudience gives it Keycloak's shape.
func addAudience(tok claims, aud string) {
	list, _ := tok["aud"].([]string)
	if !slices.Contains(list, aud) {
		tok["aud"] = append(list, aud)
	}
}

// finishAudience serializes "aud" as Keycloak does: absent when empty, a
// string for one audience, an array otherwise.
func finishAudience(tok claims) {
	list, ok := tok["aud"].([]string)
	if !ok {
		return
	}
	switch len(list) {
	case 0:
		delete(tok, "aud")
	case 1:
		tok["aud"] = list[0]
	default:
		tok["aud"] = list
	}
}

// logError logs a failure the client only sees as a 500: a protocol mapper
// that could not run.
func (s *Server) logError(rm *realm, err error) {
	var me *mapperError
	if errors.As(err, &me) {
		s.logger.Error("kctest: token request failed", "realm", rm.name, "mapper", me.mapper, "type", me.typ, "owner", me.owner, "reason", me.reason)
	}
}

// sessionMappers returns the mapper session for a token that tc verified:
// its client, user, session notes and the scopes of its "scope" claim.
func (rm *realm) sessionMappers(tc *tokenCheck) *mapperSession {
	g, err := rm.resolveScopes(tc.client, tc.claims.str("scope"))
	if err != nil {
		g, _ = rm.resolveScopes(tc.client, "")
	}
	p := &tokenParams{rm: rm, client: tc.client, user: tc.user, session: tc.session, scopes: rm.permittedScopes(g, tc.user)}
	return p.mappers()
}

// userInfoClaims is the userinfo answer (UserInfoEndpoint,
// TokenManager.generateUserInfoClaims): the userinfo mappers' claims, and
// sub unless a mapper set one.
func (rm *realm) userInfoClaims(tc *tokenCheck) (claims, error) {
	out := claims{}
	if err := rm.sessionMappers(tc).run(out, forUserInfo); err != nil {
		return nil, err
	}
	if _, ok := out["sub"]; !ok {
		out["sub"] = tc.user.id
	}
	finishAudience(out)
	return out, nil
}

// introspectionClaims answers the introspection of an access token as
// AccessTokenIntrospectionProvider does: the token's basic claims (those
// initToken set), then the introspection mappers; a lightweight token is
// answered in full.
func (rm *realm) introspectionClaims(tc *tokenCheck) (claims, error) {
	out := claims{}
	for _, k := range []string{"exp", "iat", "jti", "iss", "typ", "azp", "sid", "nonce", "auth_time", "scope", "cnf", "authorization"} {
		if v, ok := tc.claims[k]; ok {
			out[k] = v
		}
	}
	if aud := tc.claims.audiences(); len(aud) > 0 {
		out["aud"] = aud
	}
	out["sub"] = tc.user.id
	if sub := tc.claims.str("sub"); sub != "" {
		out["sub"] = sub
	}
	if err := rm.sessionMappers(tc).run(out, forIntrospection); err != nil {
		return nil, err
	}
	if s, ok := out["scope"].(string); ok && strings.TrimSpace(s) == "" {
		delete(out, "scope")
	}
	finishAudience(out)
	return out, nil
}
