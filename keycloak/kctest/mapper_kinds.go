package kctest

import (
	"crypto/md5"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// mapperKind is one protocol mapper type kctest implements: the tokens it
// can write (the Keycloak mapper interfaces its class implements), its
// priority, its switch and what it writes.
type mapperKind struct {
	priority int
	targets  map[mapperTarget]bool
	include  func(cfg map[string]string, target mapperTarget, lightweight bool) bool
	apply    func(ms *mapperSession, m mapperRep, tok claims, target mapperTarget) error
}

// Priorities (ProtocolMapperUtils).
const (
	prioritySub            = -10
	priorityRoleNames      = 10
	priorityHardcodedRole  = 20
	priorityAudienceResolv = 30
	priorityRoleMapper     = 40
)

// Target sets.
var (
	allTokens         = map[mapperTarget]bool{forAccess: true, forID: true, forUserInfo: true, forIntrospection: true}
	accessIntrospect  = map[mapperTarget]bool{forAccess: true, forIntrospection: true}
	accessIDIntrospec = map[mapperTarget]bool{forAccess: true, forID: true, forIntrospection: true}
	idUserInfo        = map[mapperTarget]bool{forID: true, forUserInfo: true}
	roleTokens        = map[mapperTarget]bool{forAccess: true, forUserInfo: true, forIntrospection: true}
)

// SupportedMapperTypes lists the protocol mapper types kctest runs. A realm
// may hold mappers of other types (they import and list like any other), but
// a token request that would run one fails with 500 and says so in the
// server's log, rather than issue a token without its claims.
func SupportedMapperTypes() []string {
	out := make([]string, 0, len(mapperKinds))
	for k := range mapperKinds {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// mapperKinds are the implemented types by provider id.
var mapperKinds = map[string]*mapperKind{
	// Keycloak: UserAttributeMapper.
	"oidc-usermodel-attribute-mapper": {targets: allTokens, include: standardSwitch, apply: applyUserAttribute},
	// Keycloak: UserPropertyMapper.
	"oidc-usermodel-property-mapper": {targets: allTokens, include: standardSwitch, apply: applyUserProperty},
	// Keycloak: HardcodedClaim.
	"oidc-hardcoded-claim-mapper": {targets: allTokens, include: standardSwitch, apply: func(_ *mapperSession, m mapperRep, tok claims, _ mapperTarget) error {
		v, ok := m.Config["claim.value"]
		if !ok {
			return nil
		}
		return mapClaim(tok, m.Config, v)
	}},
	// Keycloak: FullNameMapper.
	"oidc-full-name-mapper": {targets: allTokens, include: standardSwitch, apply: func(ms *mapperSession, _ mapperRep, tok claims, _ mapperTarget) error {
		if n := ms.user.fullName(); n != "" {
			tok["name"] = n
		}
		return nil
	}},
	// Keycloak: AddressMapper.
	"oidc-address-mapper": {targets: allTokens, include: standardSwitch, apply: applyAddress},
	// Keycloak: GroupMembershipMapper.
	"oidc-group-membership-mapper": {targets: allTokens, include: standardSwitch, apply: applyGroups},
	// Keycloak: UserRealmRoleMappingMapper.
	"oidc-usermodel-realm-role-mapper": {priority: priorityRoleMapper, targets: allTokens, include: standardSwitch, apply: applyRealmRoles},
	// Keycloak: UserClientRoleMappingMapper.
	"oidc-usermodel-client-role-mapper": {priority: priorityRoleMapper, targets: allTokens, include: standardSwitch, apply: applyClientRoles},
	// Keycloak: HardcodedRole.
	"oidc-hardcoded-role-mapper": {priority: priorityHardcodedRole, targets: roleTokens, include: alwaysOn, apply: applyHardcodedRole},
	// Keycloak: RoleNameMapper.
	"oidc-role-name-mapper": {priority: priorityRoleNames, targets: roleTokens, include: alwaysOn, apply: applyRoleName},
	// Keycloak: AudienceProtocolMapper.
	"oidc-audience-mapper": {targets: accessIDIntrospec, include: standardSwitch, apply: func(_ *mapperSession, m mapperRep, tok claims, _ mapperTarget) error {
		// An empty client audience (the admin console sends both keys)
		// falls back to the custom one.
		aud := m.Config["included.client.audience"]
		if strings.TrimSpace(aud) == "" {
			aud = m.Config["included.custom.audience"]
		}
		if strings.TrimSpace(aud) != "" {
			addAudience(tok, aud)
		}
		return nil
	}},
	// Keycloak: AudienceResolveProtocolMapper.
	"oidc-audience-resolve-mapper": {priority: priorityAudienceResolv, targets: accessIntrospect, include: defaultOnSwitch, apply: func(ms *mapperSession, _ mapperRep, tok claims, _ mapperTarget) error {
		rr := ms.resolved()
		var ids []string
		for cid, roles := range rr.clients {
			if cid != ms.client.clientID && len(roles) > 0 {
				ids = append(ids, cid)
			}
		}
		sort.Strings(ids)
		for _, cid := range ids {
			addAudience(tok, cid)
		}
		return nil
	}},
	// Keycloak: AllowedWebOriginsProtocolMapper.
	"oidc-allowed-origins-mapper": {targets: accessIntrospect, include: defaultOnSwitch, apply: func(ms *mapperSession, _ mapperRep, tok claims, _ mapperTarget) error {
		if o := ms.client.allowedOrigins(); len(o) > 0 {
			tok["allowed-origins"] = o
		}
		return nil
	}},
	// Keycloak: SHA256PairwiseSubMapper (AbstractPairwiseSubMapper).
	"oidc-sha256-pairwise-sub-mapper": {targets: map[mapperTarget]bool{forAccess: true, forID: true, forUserInfo: true}, include: alwaysOn, apply: applyPairwise},
	// Keycloak: ClaimsParameterTokenMapper.
	"oidc-claims-param-token-mapper": {targets: idUserInfo, include: standardSwitch, apply: applyClaimsParam},
	// Keycloak: AcrProtocolMapper.
	"oidc-acr-mapper": {targets: accessIDIntrospec, include: standardSwitch, apply: func(ms *mapperSession, _ mapperRep, tok claims, _ mapperTarget) error {
		tok["acr"] = ms.acr()
		return nil
	}},
	// Keycloak: SubMapper.
	"oidc-sub-mapper": {priority: prioritySub, targets: accessIntrospect, include: standardSwitch, apply: func(ms *mapperSession, _ mapperRep, tok claims, _ mapperTarget) error {
		tok["sub"] = ms.user.id
		return nil
	}},
	// Keycloak: UserSessionNoteMapper.
	"oidc-usersessionmodel-note-mapper": {targets: allTokens, include: standardSwitch, apply: func(ms *mapperSession, m mapperRep, tok claims, _ mapperTarget) error {
		v, ok := ms.userNotes[m.Config[cfgSessionNote]]
		if !ok {
			return nil
		}
		return mapClaim(tok, m.Config, v)
	}},
	// Keycloak: SessionStateMapper (session_state, as before 25.0).
	"oidc-session-state-mapper": {targets: allTokens, include: standardSwitch, apply: func(ms *mapperSession, _ mapperRep, tok claims, _ mapperTarget) error {
		if ms.sessionID != "" {
			tok["session_state"] = ms.sessionID
		}
		return nil
	}},
	// Keycloak: NonceBackwardsCompatibleMapper (nonce in the access token,
	// and from it the refresh token, as before 25.0).
	"oidc-nonce-backwards-compatible-mapper": {targets: map[mapperTarget]bool{forAccess: true}, include: alwaysOn, apply: func(ms *mapperSession, _ mapperRep, tok claims, _ mapperTarget) error {
		if ms.nonce != "" {
			tok["nonce"] = ms.nonce
		}
		return nil
	}},
	// Keycloak: OrganizationMembershipMapper (the alias of each
	// organization the user is a member of).
	"oidc-organization-membership-mapper": {targets: allTokens, include: standardSwitch, apply: applyOrganizations},
}

// userAttribute is KeycloakModelUtils.resolveAttribute: the user's values
// of the attribute (username, email, firstName and lastName included, as
// UserModel.getAttributeStream has them); without them, the first group
// (or its ancestors) that has the attribute; with aggregate, all of them.
func (ms *mapperSession) userAttribute(name string, aggregate bool) []string {
	u := ms.user
	var own []string
	switch name {
	case "username":
		own = []string{u.username}
	case "email":
		if u.email != "" {
			own = []string{u.email}
		}
	case "firstName":
		if u.firstName != "" {
			own = []string{u.firstName}
		}
	case "lastName":
		if u.lastName != "" {
			own = []string{u.lastName}
		}
	default:
		own = u.attributes[name]
	}
	if len(own) > 0 && !aggregate {
		return own
	}
	out := slices.Clone(own)
	groups := slices.Clone(u.groups)
	sort.Slice(groups, func(i, j int) bool { return groups[i].path() < groups[j].path() })
	for _, g := range groups {
		var vals []string
		for p := g; p != nil && len(vals) == 0; p = p.parent {
			vals = p.attributes[name]
		}
		if len(vals) == 0 {
			continue
		}
		if !aggregate {
			return vals
		}
		for _, v := range vals {
			if !slices.Contains(out, v) {
				out = append(out, v)
			}
		}
	}
	return out
}

func applyUserAttribute(ms *mapperSession, m mapperRep, tok claims, _ mapperTarget) error {
	vals := ms.userAttribute(m.Config[cfgUserAttribute], m.Config[cfgAggregate] == "true")
	return mapClaim(tok, m.Config, vals)
}

// userProperty is ProtocolMapperUtils.getUserModelValue: a UserModel getter
// by property name, the first letter in either case.
func (u *user) property(name string) (string, bool) {
	if name == "" {
		return "", false
	}
	switch strings.ToLower(name[:1]) + name[1:] {
	case "id":
		return u.id, true
	case "username":
		return u.username, true
	case "email":
		return u.email, u.email != ""
	case "firstName":
		return u.firstName, u.firstName != ""
	case "lastName":
		return u.lastName, u.lastName != ""
	case "emailVerified":
		return strconv.FormatBool(u.emailVerified), true
	case "enabled":
		return strconv.FormatBool(u.enabled), true
	case "createdTimestamp":
		return strconv.FormatInt(u.createdTimestamp, 10), true
	case "serviceAccountClientLink":
		if u.serviceAccountClient != nil {
			return u.serviceAccountClient.id, true
		}
	}
	return "", false
}

func applyUserProperty(ms *mapperSession, m mapperRep, tok claims, _ mapperTarget) error {
	v, ok := ms.user.property(m.Config[cfgUserAttribute])
	if !ok {
		return nil
	}
	return mapClaim(tok, m.Config, v)
}

// applyAddress is AddressMapper: an "address" object of the OIDC address
// claims, each read from the user attribute named by
// user.attribute.<claim> (by default the claim's own name).
func applyAddress(ms *mapperSession, m mapperRep, tok claims, _ mapperTarget) error {
	addr := map[string]any{}
	for _, f := range []struct{ key, claim string }{
		{"formatted", "formatted"}, {"street", "street_address"}, {"locality", "locality"},
		{"region", "region"}, {"postal_code", "postal_code"}, {"country", "country"},
	} {
		attr, ok := m.Config["user.attribute."+f.key]
		if !ok {
			attr = f.key
		}
		if vals := ms.user.attributes[attr]; len(vals) > 0 {
			addr[f.claim] = vals[0]
		}
	}
	tok["address"] = addr
	return nil
}

// applyGroups is GroupMembershipMapper: the user's direct groups, by full
// path ("full.path" true) or by name, always multivalued.
func applyGroups(ms *mapperSession, m mapperRep, tok claims, _ mapperTarget) error {
	var names []string
	for _, g := range ms.user.groups {
		if m.Config["full.path"] == "true" {
			names = append(names, g.path())
		} else {
			names = append(names, g.name)
		}
	}
	sort.Strings(names)
	cfg := maps.Clone(m.Config)
	cfg[cfgMultivalued] = "true"
	return mapClaim(tok, cfg, names)
}

// applyRealmRoles is UserRealmRoleMappingMapper: the resolved realm roles,
// with usermodel.realmRoleMapping.rolePrefix.
func applyRealmRoles(ms *mapperSession, m mapperRep, tok claims, _ mapperTarget) error {
	return mapRoles(tok, m.Config, setNames(ms.resolved().realm), "", m.Config["usermodel.realmRoleMapping.rolePrefix"])
}

// applyClientRoles is UserClientRoleMappingMapper: the resolved roles of
// usermodel.clientRoleMapping.clientId, or of every client when it is
// empty; ${client_id} in the claim name and in the prefix is the client.
func applyClientRoles(ms *mapperSession, m mapperRep, tok claims, _ mapperTarget) error {
	rr := ms.resolved()
	prefix := m.Config["usermodel.clientRoleMapping.rolePrefix"]
	if cid := m.Config["usermodel.clientRoleMapping.clientId"]; cid != "" {
		roles, ok := rr.clients[cid]
		if !ok {
			return nil
		}
		return mapRoles(tok, m.Config, setNames(roles), cid, prefix)
	}
	ids := make([]string, 0, len(rr.clients))
	for cid := range rr.clients {
		ids = append(ids, cid)
	}
	sort.Strings(ids)
	for _, cid := range ids {
		p := prefix
		if strings.TrimSpace(p) != "" {
			p = strings.ReplaceAll(p, "${client_id}", cid)
		}
		if err := mapRoles(tok, m.Config, setNames(rr.clients[cid]), cid, p); err != nil {
			return err
		}
	}
	return nil
}

// mapRoles is AbstractUserRoleMappingMapper.setClaim: prefix the names,
// put ${client_id} (dots escaped) into the claim name, and add to a role
// list already there.
func mapRoles(tok claims, cfg map[string]string, names []string, clientID, prefix string) error {
	list := make([]string, len(names))
	for i, n := range names {
		list[i] = prefix + n
	}
	v, err := mapAttributeValue(cfg, list)
	if err != nil || v == nil {
		return err
	}
	name, ok := cfg[cfgClaimName]
	if !ok {
		return nil
	}
	if clientID != "" {
		name = strings.ReplaceAll(name, "${client_id}", strings.ReplaceAll(clientID, ".", `\.`))
	}
	path := splitClaimPath(name)
	if len(path) == 0 {
		return nil
	}
	obj, comp, err := claimParent(tok, path)
	if err != nil {
		return err
	}
	old, exists := obj[comp]
	_, oldList := old.([]any)
	newList, isList := v.([]any)
	if !exists || !oldList || !isList {
		obj[comp] = v
		return nil
	}
	merged := anyList(old)
	for _, x := range newList {
		if !slices.Contains(merged, x) {
			merged = append(merged, x)
		}
	}
	sort.Slice(merged, func(i, j int) bool { return fmt.Sprint(merged[i]) < fmt.Sprint(merged[j]) })
	obj[comp] = merged
	return nil
}

// parseRoleName is KeycloakModelUtils.parseRole: "client.role" names a
// client role when a client has that clientId prefix, else a realm role.
func (rm *realm) parseRoleName(ref string) (clientID, name string) {
	for i := len(ref) - 1; i > 0; i-- {
		if ref[i] == '.' && rm.findClientByClientID(ref[:i]) != nil {
			return ref[:i], ref[i+1:]
		}
	}
	return "", ref
}

// applyHardcodedRole is HardcodedRole: adds the role to the resolved roles
// that the role mappers and the audience resolver read.
func applyHardcodedRole(ms *mapperSession, m mapperRep, _ claims, _ mapperTarget) error {
	rr := ms.resolved()
	cid, name := ms.rm.parseRoleName(m.Config["role"])
	if name == "" {
		return nil
	}
	if cid == "" {
		rr.realm[name] = true
	} else {
		rr.clientRoles(cid)[name] = true
	}
	return nil
}

// applyRoleName is RoleNameMapper: renames (or moves) a resolved role.
func applyRoleName(ms *mapperSession, m mapperRep, _ claims, _ mapperTarget) error {
	rr := ms.resolved()
	cid, name := ms.rm.parseRoleName(m.Config["role"])
	set := rr.realm
	if cid != "" {
		set = rr.clients[cid]
	}
	if !set[name] {
		return nil
	}
	delete(set, name)
	ncid, nname := ms.rm.parseRoleName(m.Config["new.role.name"])
	if ncid == "" {
		rr.realm[nname] = true
	} else {
		rr.clientRoles(ncid)[nname] = true
	}
	return nil
}

// applyPairwise is SHA256PairwiseSubMapper: sub becomes the name-based UUID
// of sha256(sector identifier, user id, salt); the sector identifier is the
// host of sectorIdentifierUri, or of the client's redirect URIs.
func applyPairwise(ms *mapperSession, m mapperRep, tok claims, _ mapperTarget) error {
	salt := m.Config["pairwiseSubAlgorithmSalt"]
	if salt == "" {
		return errors.New("salt not available on mappingModel")
	}
	sector, err := ms.client.sectorIdentifier(m.Config["sectorIdentifierUri"])
	if err != nil {
		return err
	}
	h := sha256.New()
	h.Write([]byte(sector))
	h.Write([]byte(ms.user.id))
	h.Write([]byte(salt))
	tok["sub"] = nameUUID(h.Sum(nil))
	return nil
}

// nameUUID is java.util.UUID.nameUUIDFromBytes: an MD5, version 3 UUID.
func nameUUID(b []byte) string {
	sum := md5.Sum(b)
	sum[6] = sum[6]&0x0f | 0x30
	sum[8] = sum[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", sum[0:4], sum[4:6], sum[6:8], sum[8:10], sum[10:16])
}

// sectorIdentifier is PairwiseSubMapperUtils.resolveValidSectorIdentifier.
func (c *client) sectorIdentifier(uri string) (string, error) {
	if uri != "" {
		u, err := url.Parse(uri)
		if err != nil || u.Host == "" {
			return "", fmt.Errorf("invalid sector identifier URI %q", uri)
		}
		return u.Hostname(), nil
	}
	var hosts []string
	for _, ru := range c.redirectURIs {
		if strings.HasPrefix(ru, "/") && c.rootURL != "" {
			ru = strings.TrimSuffix(c.rootURL, "/") + ru
		}
		if u, err := url.Parse(ru); err == nil && u.Hostname() != "" && !slices.Contains(hosts, u.Hostname()) {
			hosts = append(hosts, u.Hostname())
		}
	}
	if len(hosts) != 1 {
		return "", errors.New("without a sector identifier URI the redirect URIs must share one host")
	}
	return hosts[0], nil
}

// applyClaimsParam is ClaimsParameterTokenMapper: the standard claims the
// authorization request's "claims" parameter marks essential for this
// token (name, given_name, family_name, preferred_username, email).
func applyClaimsParam(ms *mapperSession, m mapperRep, tok claims, target mapperTarget) error {
	raw := ms.clientNotes[noteClaimsParam]
	if raw == "" {
		return nil
	}
	var req map[string]map[string]json.RawMessage
	if json.Unmarshal([]byte(raw), &req) != nil {
		return nil
	}
	section := "userinfo"
	if target == forID {
		section = "id_token"
	}
	for claim, spec := range req[section] {
		var s struct {
			Essential *bool `json:"essential"`
		}
		if json.Unmarshal(spec, &s) != nil || s.Essential == nil || !*s.Essential {
			continue
		}
		u := ms.user
		switch claim {
		case "name":
			if n := u.fullName(); n != "" {
				tok["name"] = n
			}
		case "given_name":
			if u.firstName != "" {
				tok["given_name"] = u.firstName
			}
		case "family_name":
			if u.lastName != "" {
				tok["family_name"] = u.lastName
			}
		case "preferred_username":
			tok["preferred_username"] = u.username
		case "email":
			if u.email != "" {
				tok["email"] = u.email
			}
		}
	}
	return nil
}

// acr is AcrProtocolMapper.getAcr without step-up flows: level 1 for a
// fresh login, 0 after an SSO login, named through the client's (or the
// realm's) acr.loa.map when it has that level.
func (ms *mapperSession) acr() string {
	loa := 1
	if ms.clientNotes[noteSSOAuth] == "true" {
		loa = 0
	}
	raw := ms.client.attributes["acr.loa.map"]
	if raw == "" {
		raw = ms.rm.attributes["acr.loa.map"]
	}
	var m map[string]int
	if raw != "" && json.Unmarshal([]byte(raw), &m) == nil {
		names := make([]string, 0, len(m))
		for k := range m {
			names = append(names, k)
		}
		sort.Strings(names)
		for _, n := range names {
			if m[n] == loa {
				return n
			}
		}
	}
	return strconv.Itoa(loa)
}

// applyOrganizations is OrganizationMembershipMapper: the aliases of the
// enabled organizations the user is a member of.
func applyOrganizations(ms *mapperSession, m mapperRep, tok claims, _ mapperTarget) error {
	var aliases []string
	for _, o := range ms.rm.orgs() {
		if !o.enabled {
			continue
		}
		for _, mem := range o.members {
			if mem.user == ms.user {
				aliases = append(aliases, o.alias)
				break
			}
		}
	}
	if len(aliases) == 0 {
		return nil
	}
	sort.Strings(aliases)
	cfg := maps.Clone(m.Config)
	cfg[cfgMultivalued] = "true"
	if _, ok := cfg[cfgClaimName]; !ok {
		cfg[cfgClaimName] = "organization"
	}
	return mapClaim(tok, cfg, aliases)
}
