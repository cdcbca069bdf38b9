package kctest

import (
	"encoding/json"
	"maps"
	"slices"
	"sort"
	"strings"
)

// The Admin REST representations kctest sends, fields in Keycloak's
// declaration order (payload-shapes.md §2-§5). Null fields are left out;
// primitives are always present.

type adminUserRep struct {
	ID                         string              `json:"id"`
	Username                   string              `json:"username"`
	FirstName                  string              `json:"firstName,omitempty"`
	LastName                   string              `json:"lastName,omitempty"`
	Email                      string              `json:"email,omitempty"`
	EmailVerified              bool                `json:"emailVerified"`
	Attributes                 map[string][]string `json:"attributes,omitempty"`
	Enabled                    bool                `json:"enabled"`
	CreatedTimestamp           int64               `json:"createdTimestamp"`
	Totp                       *bool               `json:"totp,omitempty"`
	ServiceAccountClientID     string              `json:"serviceAccountClientId,omitempty"`
	DisableableCredentialTypes []string            `json:"disableableCredentialTypes,omitempty"`
	RequiredActions            []string            `json:"requiredActions,omitempty"`
	NotBefore                  *int64              `json:"notBefore,omitempty"`
	Access                     map[string]bool     `json:"access,omitempty"`
}

// userRep renders u; brief gives the brief list form, access adds the
// access map of the single-user GET.
func (rm *realm) adminUser(u *user, brief, access bool) adminUserRep {
	rep := adminUserRep{
		ID: u.id, Username: u.username, FirstName: u.firstName, LastName: u.lastName, Email: u.email,
		EmailVerified: u.emailVerified, Enabled: u.enabled, CreatedTimestamp: u.createdTimestamp,
	}
	if brief {
		if v, ok := u.attributes["is_temporary_admin"]; ok {
			rep.Attributes = map[string][]string{"is_temporary_admin": v}
		}
		return rep
	}
	if a := rm.visibleAttributes(u.attributes); len(a) > 0 {
		rep.Attributes = a
	}
	f := false
	rep.Totp = &f
	rep.DisableableCredentialTypes = []string{}
	rep.RequiredActions = append([]string{}, u.requiredActions...)
	nb := u.notBefore
	rep.NotBefore = &nb
	if u.serviceAccountClient != nil {
		rep.ServiceAccountClientID = u.serviceAccountClient.clientID
	}
	if access {
		rep.Access = map[string]bool{"manageGroupMembership": true, "view": true, "mapRoles": true, "impersonate": true, "manage": true}
	}
	return rep
}

// userInput is the UserRepresentation of a POST or PUT; nil means "not
// sent".
type userInput struct {
	ID              *string             `json:"id"`
	Username        *string             `json:"username"`
	FirstName       *string             `json:"firstName"`
	LastName        *string             `json:"lastName"`
	Email           *string             `json:"email"`
	EmailVerified   *bool               `json:"emailVerified"`
	Enabled         *bool               `json:"enabled"`
	Attributes      map[string][]string `json:"attributes"`
	RequiredActions []string            `json:"requiredActions"`
	Credentials     []credentialRep     `json:"credentials"`
	Groups          []string            `json:"groups"`
	RealmRoles      []string            `json:"realmRoles"`
	ClientRoles     map[string][]string `json:"clientRoles"`
}

type adminRoleRep struct {
	ID          string               `json:"id"`
	Name        string               `json:"name"`
	Description string               `json:"description,omitempty"`
	Composite   bool                 `json:"composite"`
	ClientRole  bool                 `json:"clientRole"`
	ContainerID string               `json:"containerId"`
	Attributes  *map[string][]string `json:"attributes,omitempty"`
}

func (rm *realm) roleRep(r *role, brief bool) adminRoleRep {
	rep := adminRoleRep{ID: r.id, Name: r.name, Description: r.description, Composite: r.composite(), ContainerID: rm.id}
	if r.client != nil {
		rep.ClientRole, rep.ContainerID = true, r.client.id
	}
	if !brief {
		a := maps.Clone(r.attributes)
		if a == nil {
			a = map[string][]string{}
		}
		rep.Attributes = &a
	}
	return rep
}

func (rm *realm) roleReps(roles []*role, brief bool) []adminRoleRep {
	out := make([]adminRoleRep, 0, len(roles))
	for _, r := range roles {
		out = append(out, rm.roleRep(r, brief))
	}
	return out
}

// sortRoles orders roles by name, then client.
func sortRoles(roles []*role) []*role {
	slices.SortFunc(roles, func(a, b *role) int {
		if c := strings.Compare(a.name, b.name); c != 0 {
			return c
		}
		return strings.Compare(clientIDOf(a), clientIDOf(b))
	})
	return roles
}

func clientIDOf(r *role) string {
	if r.client == nil {
		return ""
	}
	return r.client.clientID
}

// roleInput is a RoleRepresentation of a POST or PUT.
type roleInput struct {
	ID          string              `json:"id"`
	Name        string              `json:"name"`
	Description *string             `json:"description"`
	Attributes  map[string][]string `json:"attributes"`
}

type adminGroupRep struct {
	ID            string               `json:"id"`
	Name          string               `json:"name"`
	Description   string               `json:"description,omitempty"`
	Path          string               `json:"path"`
	ParentID      string               `json:"parentId,omitempty"`
	SubGroupCount *int                 `json:"subGroupCount,omitempty"`
	SubGroups     *[]adminGroupRep     `json:"subGroups,omitempty"`
	Attributes    *map[string][]string `json:"attributes,omitempty"`
	RealmRoles    *[]string            `json:"realmRoles,omitempty"`
	ClientRoles   *map[string][]string `json:"clientRoles,omitempty"`
	Access        map[string]bool      `json:"access,omitempty"`
}

func adminGroup(g *group, brief, count bool) adminGroupRep {
	rep := adminGroupRep{ID: g.id, Name: g.name, Description: g.description, Path: g.path()}
	if g.parent != nil {
		rep.ParentID = g.parent.id
	}
	if count {
		n := len(g.children)
		rep.SubGroupCount = &n
	}
	if !brief {
		a := maps.Clone(g.attributes)
		if a == nil {
			a = map[string][]string{}
		}
		realmRoles := []string{}
		clientRoles := map[string][]string{}
		for _, r := range g.roles {
			if r.client == nil {
				realmRoles = append(realmRoles, r.name)
			} else {
				clientRoles[r.client.clientID] = append(clientRoles[r.client.clientID], r.name)
			}
		}
		sort.Strings(realmRoles)
		rep.Attributes, rep.RealmRoles, rep.ClientRoles = &a, &realmRoles, &clientRoles
		sub := []adminGroupRep{}
		rep.SubGroups = &sub
	}
	return rep
}

type groupInput struct {
	ID          string              `json:"id"`
	Name        *string             `json:"name"`
	Description *string             `json:"description"`
	Attributes  map[string][]string `json:"attributes"`
}

// clientRep renders c as GET /clients/{id} does.
func (rm *realm) clientRep(c *client, withAccess bool) map[string]any {
	m := make(map[string]any, len(c.extra)+32)
	for k, v := range c.extra {
		m[k] = v
	}
	// Fields kctest does not model have Keycloak's defaults unless sent.
	for k, v := range map[string]any{"surrogateAuthRequired": false, "alwaysDisplayInConsole": false, "notBefore": 0,
		"authenticationFlowBindingOverrides": map[string]string{}} {
		if _, sent := c.extra[k]; !sent {
			m[k] = v
		}
	}
	m["id"], m["clientId"], m["enabled"], m["clientAuthenticatorType"] = c.id, c.clientID, c.enabled, c.clientAuthenticator
	m["redirectUris"], m["webOrigins"] = nonNil(c.redirectURIs), nonNil(c.webOrigins)
	m["bearerOnly"], m["consentRequired"], m["publicClient"] = c.bearerOnly, c.consentRequired, c.publicClient
	m["standardFlowEnabled"], m["implicitFlowEnabled"] = c.standardFlow, c.implicitFlow
	m["directAccessGrantsEnabled"], m["serviceAccountsEnabled"] = c.directAccessGrants, c.serviceAccounts
	m["frontchannelLogout"], m["fullScopeAllowed"] = c.frontchannelLogout, c.fullScopeAllowed
	m["attributes"] = maps.Clone(c.attributes)
	m["nodeReRegistrationTimeout"] = c.nodeReRegistrationTimeout
	m["defaultClientScopes"] = nonNil(c.defaultClientScopes)
	m["optionalClientScopes"] = nonNil(c.optionalClientScopes)
	if c.protocol != "" {
		m["protocol"] = c.protocol
	}
	for k, v := range map[string]string{"name": c.name, "description": c.description, "rootUrl": c.rootURL, "baseUrl": c.baseURL, "adminUrl": c.adminURL} {
		if v != "" {
			m[k] = v
		}
	}
	if c.confidential() && !c.bearerOnly && c.secret != "" {
		m["secret"] = c.secret
	}
	if c.authorizationServices {
		m["authorizationServicesEnabled"] = true
	}
	if len(c.protocolMappers) > 0 {
		m["protocolMappers"] = c.protocolMappers
	}
	if withAccess {
		m["access"] = map[string]bool{"view": true, "configure": true, "manage": true}
	}
	return m
}

// modelledClientFields are the client representation fields kctest keeps
// in the client model (or never stores, like access); the others go to
// client.extra.
var modelledClientFields = []string{"id", "clientId", "name", "description", "secret", "rootUrl", "baseUrl", "adminUrl",
	"clientAuthenticatorType", "protocol", "enabled", "publicClient", "bearerOnly", "consentRequired", "standardFlowEnabled",
	"implicitFlowEnabled", "directAccessGrantsEnabled", "serviceAccountsEnabled", "authorizationServicesEnabled",
	"fullScopeAllowed", "frontchannelLogout", "redirectUris", "webOrigins", "attributes", "defaultClientScopes",
	"optionalClientScopes", "protocolMappers", "authorizationSettings", "nodeReRegistrationTimeout", "access",
	"defaultRoles", "directGrantsOnly", "useTemplateConfig", "useTemplateScope", "useTemplateMappers", "clientTemplate", "origin"}

// keepClientExtra stores the unmodelled fields of a client representation
// in c.extra.
func keepClientExtra(c *client, raw map[string]json.RawMessage) {
	for k, v := range raw {
		if slices.Contains(modelledClientFields, k) {
			continue
		}
		if c.extra == nil {
			c.extra = map[string]json.RawMessage{}
		}
		if string(v) == "null" {
			delete(c.extra, k)
			continue
		}
		c.extra[k] = slices.Clone(v)
	}
	if v, ok := raw["nodeReRegistrationTimeout"]; ok {
		_ = json.Unmarshal(v, &c.nodeReRegistrationTimeout)
	}
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// clientInput is a ClientRepresentation of a POST or PUT.
type clientInput struct {
	ID                           string            `json:"id"`
	ClientID                     *string           `json:"clientId"`
	Name                         *string           `json:"name"`
	Description                  *string           `json:"description"`
	RootURL                      *string           `json:"rootUrl"`
	AdminURL                     *string           `json:"adminUrl"`
	BaseURL                      *string           `json:"baseUrl"`
	Enabled                      *bool             `json:"enabled"`
	ClientAuthenticatorType      *string           `json:"clientAuthenticatorType"`
	Secret                       *string           `json:"secret"`
	RedirectURIs                 []string          `json:"redirectUris"`
	WebOrigins                   []string          `json:"webOrigins"`
	BearerOnly                   *bool             `json:"bearerOnly"`
	ConsentRequired              *bool             `json:"consentRequired"`
	StandardFlowEnabled          *bool             `json:"standardFlowEnabled"`
	ImplicitFlowEnabled          *bool             `json:"implicitFlowEnabled"`
	DirectAccessGrantsEnabled    *bool             `json:"directAccessGrantsEnabled"`
	ServiceAccountsEnabled       *bool             `json:"serviceAccountsEnabled"`
	AuthorizationServicesEnabled *bool             `json:"authorizationServicesEnabled"`
	PublicClient                 *bool             `json:"publicClient"`
	FrontchannelLogout           *bool             `json:"frontchannelLogout"`
	Protocol                     *string           `json:"protocol"`
	Attributes                   map[string]string `json:"attributes"`
	FullScopeAllowed             *bool             `json:"fullScopeAllowed"`
	DefaultClientScopes          []string          `json:"defaultClientScopes"`
	OptionalClientScopes         []string          `json:"optionalClientScopes"`
	ProtocolMappers              []json.RawMessage `json:"protocolMappers"`
}

type adminScopeRep struct {
	ID              string            `json:"id"`
	Name            string            `json:"name"`
	Description     string            `json:"description,omitempty"`
	Protocol        string            `json:"protocol,omitempty"`
	Attributes      map[string]string `json:"attributes"`
	ProtocolMappers []json.RawMessage `json:"protocolMappers,omitempty"`
}

func scopeRep(sc *clientScope) adminScopeRep {
	a := maps.Clone(sc.attributes)
	if a == nil {
		a = map[string]string{}
	}
	return adminScopeRep{ID: sc.id, Name: sc.name, Description: sc.description, Protocol: sc.protocol, Attributes: a, ProtocolMappers: sc.mappers}
}

type scopeInput struct {
	ID              string            `json:"id"`
	ProtocolMappers []json.RawMessage `json:"protocolMappers"`
	Name            *string           `json:"name"`
	Description     *string           `json:"description"`
	Protocol        *string           `json:"protocol"`
	Attributes      map[string]string `json:"attributes"`
}

// mapperRep is a ProtocolMapperRepresentation.
type mapperRep struct {
	ID              string            `json:"id"`
	Name            string            `json:"name"`
	Protocol        string            `json:"protocol"`
	ProtocolMapper  string            `json:"protocolMapper"`
	ConsentRequired bool              `json:"consentRequired"`
	ConsentText     string            `json:"consentText,omitempty"`
	Config          map[string]string `json:"config"`
}

// mappingsRep is a MappingsRepresentation.
type mappingsRep struct {
	RealmMappings  []adminRoleRep               `json:"realmMappings,omitempty"`
	ClientMappings map[string]clientMappingsRep `json:"clientMappings,omitempty"`
}

type clientMappingsRep struct {
	ID       string         `json:"id"`
	Client   string         `json:"client"`
	Mappings []adminRoleRep `json:"mappings"`
}

// mappings renders a role list as a MappingsRepresentation.
func (rm *realm) mappings(roles []*role) mappingsRep {
	var out mappingsRep
	for _, r := range sortRoles(slices.Clone(roles)) {
		if r.client == nil {
			out.RealmMappings = append(out.RealmMappings, rm.roleRep(r, true))
			continue
		}
		if out.ClientMappings == nil {
			out.ClientMappings = map[string]clientMappingsRep{}
		}
		cm := out.ClientMappings[r.client.clientID]
		cm.ID, cm.Client = r.client.id, r.client.clientID
		cm.Mappings = append(cm.Mappings, rm.roleRep(r, true))
		out.ClientMappings[r.client.clientID] = cm
	}
	return out
}
