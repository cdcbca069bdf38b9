//lint:file-ignore ST1005 these errors carry Keycloak's own messages, sent verbatim on the wire

package kctest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// azServerRep is Keycloak's ResourceServerRepresentation: the
// authorizationSettings of a realm export, and the admin settings.
type azServerRep struct {
	ID                            string          `json:"id,omitempty"`
	ClientID                      string          `json:"clientId,omitempty"`
	Name                          string          `json:"name,omitempty"`
	AllowRemoteResourceManagement *bool           `json:"allowRemoteResourceManagement,omitempty"`
	PolicyEnforcementMode         string          `json:"policyEnforcementMode,omitempty"`
	DecisionStrategy              string          `json:"decisionStrategy,omitempty"`
	Resources                     []azResourceRep `json:"resources,omitempty"`
	Policies                      []azPolicyRep   `json:"policies,omitempty"`
	Scopes                        []azScopeRep    `json:"scopes,omitempty"`
}

// azScopeRep is ScopeRepresentation.
type azScopeRep struct {
	ID          string `json:"id,omitempty"`
	Name        string `json:"name"`
	DisplayName string `json:"displayName,omitempty"`
	IconURI     string `json:"iconUri,omitempty"`
}

// azOwnerRep is ResourceOwnerRepresentation.
type azOwnerRep struct {
	ID   string `json:"id,omitempty"`
	Name string `json:"name,omitempty"`
}

// azResourceRep is ResourceRepresentation in either of Keycloak's
// spellings: the admin one ("scopes", "_id", "uris") and the Protection
// API's ("resource_scopes"); the legacy "uri", a string owner and scopes
// given as plain names are accepted too.
type azResourceRep struct {
	ID                 string
	Name               string
	DisplayName        string
	Type               string
	URIs               []string
	IconURI            string
	Scopes             []azScopeRep
	ScopesSet          bool
	Owner              *azOwnerRep
	OwnerManagedAccess bool
	Attributes         map[string][]string
}

func (r *azResourceRep) UnmarshalJSON(b []byte) error {
	var w struct {
		ID                 string              `json:"_id"`
		ID2                string              `json:"id"`
		Name               string              `json:"name"`
		DisplayName        string              `json:"displayName"`
		Type               string              `json:"type"`
		URIs               []string            `json:"uris"`
		URI                string              `json:"uri"`
		IconURI            string              `json:"icon_uri"`
		IconURI2           string              `json:"iconUri"`
		Scopes             json.RawMessage     `json:"scopes"`
		ResourceScopes     json.RawMessage     `json:"resource_scopes"`
		Owner              json.RawMessage     `json:"owner"`
		OwnerManagedAccess bool                `json:"ownerManagedAccess"`
		Attributes         map[string][]string `json:"attributes"`
	}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	*r = azResourceRep{ID: azFirst(w.ID, w.ID2), Name: w.Name, DisplayName: w.DisplayName, Type: w.Type,
		URIs: w.URIs, IconURI: azFirst(w.IconURI, w.IconURI2), OwnerManagedAccess: w.OwnerManagedAccess, Attributes: w.Attributes}
	if r.URIs == nil && w.URI != "" {
		r.URIs = []string{w.URI}
	}
	raw := w.ResourceScopes
	if azIsNull(raw) {
		raw = w.Scopes
	}
	if !azIsNull(raw) {
		r.ScopesSet = true
		var items []json.RawMessage
		if err := json.Unmarshal(raw, &items); err != nil {
			return err
		}
		for _, it := range items {
			var sc azScopeRep
			if bytes.HasPrefix(bytes.TrimSpace(it), []byte(`"`)) {
				if err := json.Unmarshal(it, &sc.Name); err != nil {
					return err
				}
			} else if err := json.Unmarshal(it, &sc); err != nil {
				return err
			}
			r.Scopes = append(r.Scopes, sc)
		}
	}
	if !azIsNull(w.Owner) {
		r.Owner = &azOwnerRep{}
		if bytes.HasPrefix(bytes.TrimSpace(w.Owner), []byte(`"`)) {
			if err := json.Unmarshal(w.Owner, &r.Owner.ID); err != nil {
				return err
			}
		} else if err := json.Unmarshal(w.Owner, r.Owner); err != nil {
			return err
		}
	}
	return nil
}

func azIsNull(b json.RawMessage) bool {
	t := bytes.TrimSpace(b)
	return len(t) == 0 || string(t) == "null"
}

func azFirst(vs ...string) string {
	for _, v := range vs {
		if v != "" {
			return v
		}
	}
	return ""
}

// azPolicyRep is PolicyRepresentation (type plus a string config, as
// exports and POST .../policy send it) merged with the typed
// representations (RolePolicyRepresentation, ResourcePermissionRepresentation,
// UmaPermissionRepresentation, ...).
type azPolicyRep struct {
	ID               string            `json:"id,omitempty"`
	Name             string            `json:"name"`
	Description      string            `json:"description,omitempty"`
	Type             string            `json:"type,omitempty"`
	Logic            string            `json:"logic,omitempty"`
	DecisionStrategy string            `json:"decisionStrategy,omitempty"`
	Owner            string            `json:"owner,omitempty"`
	Config           map[string]string `json:"config,omitempty"`

	Policies     []string        `json:"policies,omitempty"`
	Resources    []string        `json:"resources,omitempty"`
	Scopes       []string        `json:"scopes,omitempty"`
	ResourceType string          `json:"resourceType,omitempty"`
	Roles        json.RawMessage `json:"roles,omitempty"` // [{id,required}] or ["name"] (uma)
	Users        []string        `json:"users,omitempty"`
	Groups       json.RawMessage `json:"groups,omitempty"` // [{id,path,extendChildren}] or ["/path"] (uma)
	Clients      []string        `json:"clients,omitempty"`
	Code         string          `json:"code,omitempty"`
	Condition    string          `json:"condition,omitempty"`
	FetchRoles   *bool           `json:"fetchRoles,omitempty"`
}

type azRoleRep struct {
	ID       string `json:"id"`
	Required bool   `json:"required"`
}

type azGroupRep struct {
	ID             string `json:"id,omitempty"`
	Path           string `json:"path,omitempty"`
	ExtendChildren bool   `json:"extendChildren"`
}

// configList decodes a config entry holding a JSON array of strings.
func azConfigList(cfg map[string]string, k string) ([]string, bool, error) {
	v, ok := cfg[k]
	if !ok || strings.TrimSpace(v) == "" {
		return nil, false, nil
	}
	var out []string
	if err := json.Unmarshal([]byte(v), &out); err != nil {
		return nil, true, fmt.Errorf("invalid config %s", k)
	}
	return out, true, nil
}

// applyPolicyRep sets p from rep. Names or ids may refer to resources,
// scopes, policies, roles, users, groups and clients. The error text is
// for a 400 answer.
func (rm *realm) applyPolicyRep(c *client, rs *resourceServer, p *azPolicy, rep *azPolicyRep) error {
	if strings.TrimSpace(rep.Name) == "" {
		return fmt.Errorf("Policy name is required")
	}
	if rep.Type != "" {
		p.typ = rep.Type
	}
	if p.typ == "" {
		return fmt.Errorf("Policy type is required")
	}
	switch p.typ {
	case "role", "user", "group", "client", "js", "aggregate", azResourcePerm, azScopePerm, azUMA, "time", "regex", "client-scope":
	default:
		return fmt.Errorf("Unknown policy provider type [%s]", p.typ)
	}
	p.name, p.description = rep.Name, rep.Description
	p.logic = azFirst(strings.ToUpper(rep.Logic), p.logic, "POSITIVE")
	p.decision = azFirst(strings.ToUpper(rep.DecisionStrategy), p.decision, "UNANIMOUS")
	if p.logic != "POSITIVE" && p.logic != "NEGATIVE" {
		return fmt.Errorf("Invalid logic [%s]", rep.Logic)
	}
	switch p.decision {
	case "UNANIMOUS", "AFFIRMATIVE", "CONSENSUS":
	default:
		return fmt.Errorf("Invalid decision strategy [%s]", rep.DecisionStrategy)
	}
	cfg := map[string]string{}
	for k, v := range rep.Config {
		cfg[k] = v
	}

	// Resources, scopes, associated policies: typed fields, else config.
	list := func(field []string, key string) ([]string, bool, error) {
		if field != nil {
			return field, true, nil
		}
		return azConfigList(cfg, key)
	}
	if refs, set, err := list(rep.Resources, "resources"); err != nil {
		return err
	} else if set {
		p.resources = nil
		for _, ref := range refs {
			r := rs.resourceRef(ref, c.id)
			if r == nil {
				return fmt.Errorf("Resource with id or name [%s] not found", ref)
			}
			p.resources = append(p.resources, r)
		}
	}
	if refs, set, err := list(rep.Scopes, "scopes"); err != nil {
		return err
	} else if set {
		p.scopes = nil
		for _, ref := range refs {
			sc := rs.scopeRef(ref)
			if sc == nil {
				if p.typ == azUMA {
					return fmt.Errorf("Scope [%s] is invalid", ref)
				}
				return fmt.Errorf("Scope with id or name [%s] not found", ref)
			}
			p.scopes = append(p.scopes, sc)
		}
	}
	if refs, set, err := list(rep.Policies, "applyPolicies"); err != nil {
		return err
	} else if set {
		p.applied = nil
		for _, ref := range refs {
			q := rs.policyRef(ref)
			if q == nil {
				return fmt.Errorf("Policy with id or name [%s] not found", ref)
			}
			if q == p {
				return fmt.Errorf("Policy [%s] cannot be associated with itself", ref)
			}
			p.applied = append(p.applied, q)
		}
	}
	if rt := azFirst(rep.ResourceType, cfg["defaultResourceType"]); rt != "" {
		p.resourceType = rt
	}
	if rep.Code != "" || cfg["code"] != "" {
		p.code = azFirst(rep.Code, cfg["code"])
	}
	if rep.FetchRoles != nil {
		p.fetchRoles = *rep.FetchRoles
	} else if v, ok := cfg["fetchRoles"]; ok {
		p.fetchRoles, _ = strconv.ParseBool(v)
	}

	// Roles: [{id, required}] (role policy), ["name"] (uma), or config.
	rolesRaw := rep.Roles
	if azIsNull(rolesRaw) && cfg["roles"] != "" {
		rolesRaw = json.RawMessage(cfg["roles"])
	}
	if !azIsNull(rolesRaw) {
		var refs []azRoleRep
		if err := json.Unmarshal(rolesRaw, &refs); err != nil {
			var names []string
			if err := json.Unmarshal(rolesRaw, &names); err != nil {
				return fmt.Errorf("invalid roles")
			}
			refs = nil // the failed decode leaves one empty ref per name
			for _, n := range names {
				refs = append(refs, azRoleRep{ID: n})
			}
		}
		p.roles = nil
		for _, ref := range refs {
			r := rm.roleRef(ref.ID)
			if r == nil {
				return fmt.Errorf("Role with id or name [%s] not found", ref.ID)
			}
			p.roles = append(p.roles, azRoleRef{role: r, required: ref.Required})
		}
	}
	if refs, set, err := list(rep.Users, "users"); err != nil {
		return err
	} else if set {
		p.users = nil
		for _, ref := range refs {
			u := rm.userRef(ref)
			if u == nil {
				return fmt.Errorf("User [%s] does not exist", ref)
			}
			p.users = append(p.users, u)
		}
	}
	groupsRaw := rep.Groups
	if azIsNull(groupsRaw) && cfg["groups"] != "" {
		groupsRaw = json.RawMessage(cfg["groups"])
	}
	if !azIsNull(groupsRaw) {
		var refs []azGroupRep
		if err := json.Unmarshal(groupsRaw, &refs); err != nil {
			var paths []string
			if err := json.Unmarshal(groupsRaw, &paths); err != nil {
				return fmt.Errorf("invalid groups")
			}
			for _, pth := range paths {
				refs = append(refs, azGroupRep{Path: pth})
			}
		}
		p.groups = nil
		for _, ref := range refs {
			g := rm.groupRef(azFirst(ref.ID, ref.Path))
			if g == nil {
				return fmt.Errorf("Group [%s] does not exist", azFirst(ref.ID, ref.Path))
			}
			p.groups = append(p.groups, azGroupRef{group: g, extendChildren: ref.ExtendChildren})
		}
	}
	if refs, set, err := list(rep.Clients, "clients"); err != nil {
		return err
	} else if set {
		p.clients = nil
		for _, ref := range refs {
			cl := rm.clientRef(ref)
			if cl == nil {
				return fmt.Errorf("Client with id [%s] not found", ref)
			}
			p.clients = append(p.clients, cl)
		}
	}
	for _, k := range []string{"resources", "scopes", "applyPolicies", "defaultResourceType", "code", "roles", "users", "groups", "clients", "fetchRoles"} {
		delete(cfg, k)
	}
	p.config = cfg
	return nil
}

// policyRep renders p as PolicyRepresentation with a string config, the
// way Keycloak's admin API and exports do. byName names the referenced
// resources, scopes, policies and roles by name (the export format);
// otherwise by id.
func (rm *realm) policyRep(c *client, p *azPolicy, byName bool) map[string]any {
	cfg := map[string]string{}
	for k, v := range p.config {
		cfg[k] = v
	}
	enc := func(v any) string { b, _ := json.Marshal(v); return string(b) }
	if len(p.resources) > 0 {
		var refs []string
		for _, r := range p.resources {
			refs = append(refs, azPick(byName, r.name, r.id))
		}
		cfg["resources"] = enc(refs)
	}
	if len(p.scopes) > 0 {
		var refs []string
		for _, sc := range p.scopes {
			refs = append(refs, azPick(byName, sc.name, sc.id))
		}
		cfg["scopes"] = enc(refs)
	}
	if len(p.applied) > 0 {
		var refs []string
		for _, q := range p.applied {
			refs = append(refs, azPick(byName, q.name, q.id))
		}
		cfg["applyPolicies"] = enc(refs)
	}
	if p.resourceType != "" {
		cfg["defaultResourceType"] = p.resourceType
	}
	if p.code != "" {
		cfg["code"] = p.code
	}
	if len(p.roles) > 0 {
		var refs []azRoleRep
		for _, rr := range p.roles {
			id := rr.role.id
			if byName {
				id = rr.role.name
				if rr.role.client != nil {
					id = rr.role.client.clientID + "/" + rr.role.name
				}
			}
			refs = append(refs, azRoleRep{ID: id, Required: rr.required})
		}
		cfg["roles"] = enc(refs)
	}
	if p.fetchRoles {
		cfg["fetchRoles"] = "true"
	}
	if len(p.users) > 0 {
		var refs []string
		for _, u := range p.users {
			refs = append(refs, azPick(byName, u.username, u.id))
		}
		cfg["users"] = enc(refs)
	}
	if len(p.groups) > 0 {
		var refs []azGroupRep
		for _, g := range p.groups {
			gr := azGroupRep{ExtendChildren: g.extendChildren}
			if byName {
				gr.Path = g.group.path()
			} else {
				gr.ID = g.group.id
			}
			refs = append(refs, gr)
		}
		cfg["groups"] = enc(refs)
	}
	if len(p.clients) > 0 {
		var refs []string
		for _, cl := range p.clients {
			refs = append(refs, azPick(byName, cl.clientID, cl.id))
		}
		cfg["clients"] = enc(refs)
	}
	out := map[string]any{
		"id": p.id, "name": p.name, "type": p.typ, "logic": p.logic,
		"decisionStrategy": p.decision, "config": cfg,
	}
	if p.description != "" {
		out["description"] = p.description
	}
	if p.owner != "" {
		out["owner"] = p.owner
	}
	if byName {
		delete(out, "id")
	}
	return out
}

// typedPolicyRep renders p as its type's representation (the
// provider factory's toRepresentation): the members a generic
// PolicyRepresentation keeps in config are at the top level.
func (rm *realm) typedPolicyRep(c *client, p *azPolicy) map[string]any {
	out := map[string]any{
		"id": p.id, "name": p.name, "type": p.typ, "logic": p.logic, "decisionStrategy": p.decision,
	}
	if p.description != "" {
		out["description"] = p.description
	}
	if p.owner != "" {
		out["owner"] = p.owner
	}
	ids := func(n int, id func(int) string) []string {
		l := make([]string, 0, n)
		for i := range n {
			l = append(l, id(i))
		}
		return l
	}
	switch p.typ {
	case "role":
		roles := []map[string]any{}
		for _, rr := range p.roles {
			roles = append(roles, map[string]any{"id": rr.role.id, "required": rr.required})
		}
		out["roles"], out["fetchRoles"] = roles, p.fetchRoles
	case "user":
		out["users"] = ids(len(p.users), func(i int) string { return p.users[i].id })
	case "client":
		out["clients"] = ids(len(p.clients), func(i int) string { return p.clients[i].id })
	case "group":
		groups := []map[string]any{}
		for _, g := range p.groups {
			groups = append(groups, map[string]any{"id": g.group.id, "path": g.group.path(), "extendChildren": g.extendChildren})
		}
		out["groups"] = groups
		out["groupsClaim"] = p.config["groupsClaim"]
	case "js":
		out["code"] = p.code
	case azResourcePerm, azScopePerm:
		if p.resourceType != "" {
			out["resourceType"] = p.resourceType
		}
	default:
		for k, v := range p.config {
			if _, set := out[k]; !set {
				out[k] = v
			}
		}
	}
	if p.isPermission() || p.typ == "aggregate" {
		out["resources"] = ids(len(p.resources), func(i int) string { return p.resources[i].id })
		out["scopes"] = ids(len(p.scopes), func(i int) string { return p.scopes[i].id })
		out["policies"] = ids(len(p.applied), func(i int) string { return p.applied[i].id })
	}
	return out
}

func azPick(byName bool, name, id string) string {
	if byName {
		return name
	}
	return id
}

// resourceShape says which representation of a resource to write.
type resourceShape int

const (
	// adminResource is the admin API's ResourceRepresentation, also what
	// the Protection API's deep list writes (ResourceSetService.find).
	adminResource resourceShape = iota
	// umaCreated is the Protection API's answer to a create: a
	// UmaResourceRepresentation built from the ResourceRepresentation of
	// the new resource, so without attributes.
	umaCreated
	// umaModel is the Protection API's GET of one resource: a
	// UmaResourceRepresentation built from the model, whose scopes carry
	// their name only.
	umaModel
)

// resourceRep renders r in the given shape. Keycloak's
// UmaResourceRepresentation renames the scopes getter to "resource_scopes"
// while ResourceRepresentation's field stays "scopes" (written only when
// not empty), so Jackson writes the scopes under both names.
func (rm *realm) resourceRep(c *client, r *azResource, shape resourceShape) map[string]any {
	scopes := make([]map[string]any, 0, len(r.scopes))
	for _, sc := range r.scopes {
		if shape == umaModel {
			scopes = append(scopes, map[string]any{"name": sc.name})
			continue
		}
		scopes = append(scopes, azScopeJSON(sc))
	}
	out := map[string]any{
		"_id": r.id, "name": r.name, "uris": azNonNil(r.uris),
		"owner":              map[string]any{"id": r.owner, "name": rm.ownerName(c, r.owner)},
		"ownerManagedAccess": r.ownerManagedAccess,
	}
	if shape != umaCreated {
		out["attributes"] = azNonNilMap(r.attributes)
	}
	if shape == adminResource || len(scopes) > 0 {
		out["scopes"] = scopes
	}
	if shape != adminResource {
		out["resource_scopes"] = scopes
	}
	if r.displayName != "" {
		out["displayName"] = r.displayName
	}
	if r.typ != "" {
		out["type"] = r.typ
	}
	if r.iconURI != "" {
		out["icon_uri"] = r.iconURI
	}
	return out
}

func azScopeJSON(sc *azScope) map[string]any {
	out := map[string]any{"id": sc.id, "name": sc.name}
	if sc.displayName != "" {
		out["displayName"] = sc.displayName
	}
	if sc.iconURI != "" {
		out["iconUri"] = sc.iconURI
	}
	return out
}

func azNonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func azNonNilMap(m map[string][]string) map[string][]string {
	if m == nil {
		return map[string][]string{}
	}
	return m
}

// applyResourceRep sets r from rep (scopes created as needed). The owner
// is resolved by the caller.
func applyResourceRep(rs *resourceServer, r *azResource, rep *azResourceRep) {
	r.name, r.displayName, r.typ, r.iconURI = rep.Name, rep.DisplayName, rep.Type, rep.IconURI
	r.uris = slices.Clone(rep.URIs)
	r.ownerManagedAccess = rep.OwnerManagedAccess
	r.attributes = map[string][]string{}
	for k, v := range rep.Attributes {
		r.attributes[k] = slices.Clone(v)
	}
	r.scopes = nil
	for _, s := range rep.Scopes {
		var sc *azScope
		if s.ID != "" {
			sc = rs.scopes[s.ID]
		}
		if sc == nil && s.Name != "" {
			sc = rs.ensureScope(s.Name)
		}
		if sc != nil && !slices.Contains(r.scopes, sc) {
			r.scopes = append(r.scopes, sc)
		}
	}
}

// importAuthz builds rs from an exported ResourceServerRepresentation.
// Unresolvable references are skipped (Keycloak's importer fails on them;
// a test server should rather load what it can).
func (rm *realm) importAuthz(c *client, rs *resourceServer, rep *azServerRep) {
	if rep.AllowRemoteResourceManagement != nil {
		rs.allowRemote = *rep.AllowRemoteResourceManagement
	}
	if m := strings.ToUpper(rep.PolicyEnforcementMode); m != "" {
		rs.enforcement = m
	}
	if d := strings.ToUpper(rep.DecisionStrategy); d != "" {
		rs.decision = d
	}
	for _, s := range rep.Scopes {
		sc := rs.ensureScope(s.Name)
		sc.displayName, sc.iconURI = s.DisplayName, s.IconURI
	}
	for i := range rep.Resources {
		rr := &rep.Resources[i]
		owner := c.id
		if rr.Owner != nil {
			if id, ok := rm.resolveOwner(c, azFirst(rr.Owner.ID, rr.Owner.Name)); ok {
				owner = id
			}
		}
		if old := rs.resourceByName(rr.Name, owner); old != nil {
			applyResourceRep(rs, old, rr) // an import updates by name
			continue
		}
		r := &azResource{id: newID(), owner: owner}
		applyResourceRep(rs, r, rr)
		rs.resources[r.id] = r
	}
	// Policies first get their names, so that references to a policy
	// defined later resolve; then their definitions.
	made := make([]*azPolicy, len(rep.Policies))
	for i, pr := range rep.Policies {
		if old := rs.policyByName(pr.Name); old != nil {
			made[i] = old // an import updates by name
			continue
		}
		p := &azPolicy{id: newID(), name: pr.Name, typ: pr.Type}
		rs.policies[p.id] = p
		made[i] = p
	}
	for i := range rep.Policies {
		pr := rep.Policies[i]
		// On an unresolvable reference the policy keeps what resolved
		// before it: an unknown role or user leaves it without, which
		// denies, as a missing role does in Keycloak.
		_ = rm.applyPolicyRep(c, rs, made[i], &pr)
	}
}

// exportAuthz renders rs as the authorizationSettings of an export.
func (rm *realm) exportAuthz(c *client, rs *resourceServer) map[string]any {
	resources := []map[string]any{}
	for _, r := range rs.sortedResources() {
		rep := rm.resourceRep(c, r, adminResource)
		delete(rep, "_id")
		resources = append(resources, rep)
	}
	policies := []map[string]any{}
	for _, p := range rs.sortedPolicies() {
		policies = append(policies, rm.policyRep(c, p, true))
	}
	scopes := []map[string]any{}
	for _, sc := range rs.sortedScopes() {
		rep := azScopeJSON(sc)
		delete(rep, "id")
		scopes = append(scopes, rep)
	}
	return map[string]any{
		"allowRemoteResourceManagement": rs.allowRemote,
		"policyEnforcementMode":         rs.enforcement,
		"resources":                     resources,
		"policies":                      policies,
		"scopes":                        scopes,
		"decisionStrategy":              rs.decision,
	}
}
