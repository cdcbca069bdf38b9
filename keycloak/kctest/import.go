package kctest

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
)

// realmRep is the part of Keycloak's RealmRepresentation that kctest reads.
type realmRep struct {
	ID                          string                       `json:"id"`
	Realm                       string                       `json:"realm"`
	DisplayName                 string                       `json:"displayName"`
	Enabled                     *bool                        `json:"enabled"`
	NotBefore                   *int64                       `json:"notBefore"`
	AccessTokenLifespan         *int                         `json:"accessTokenLifespan"`
	AccessCodeLifespan          *int                         `json:"accessCodeLifespan"`
	AccessCodeLifespanLogin     *int                         `json:"accessCodeLifespanLogin"`
	SSOSessionIdleTimeout       *int                         `json:"ssoSessionIdleTimeout"`
	SSOSessionMaxLifespan       *int                         `json:"ssoSessionMaxLifespan"`
	OfflineSessionIdleTimeout   *int                         `json:"offlineSessionIdleTimeout"`
	DeviceCodeLifespan          *int                         `json:"oauth2DeviceCodeLifespan"`
	DevicePollingInterval       *int                         `json:"oauth2DevicePollingInterval"`
	Roles                       *rolesRep                    `json:"roles"`
	DefaultRole                 *roleRep                     `json:"defaultRole"`
	Groups                      []groupRep                   `json:"groups"`
	Users                       []userRep                    `json:"users"`
	Clients                     []clientRep                  `json:"clients"`
	ClientScopes                []clientScopeRep             `json:"clientScopes"`
	DefaultDefaultClientScopes  []string                     `json:"defaultDefaultClientScopes"`
	DefaultOptionalClientScopes []string                     `json:"defaultOptionalClientScopes"`
	ScopeMappings               []scopeMappingRep            `json:"scopeMappings"`
	ClientScopeMappings         map[string][]scopeMappingRep `json:"clientScopeMappings"`
	Attributes                  map[string]string            `json:"attributes"`
	DefaultGroups               []string                     `json:"defaultGroups"`
	PrivateKey                  string                       `json:"privateKey"`
	Certificate                 string                       `json:"certificate"`
	AuthenticationFlows         []flowExportRep              `json:"authenticationFlows"`
	AuthenticatorConfig         []configExportRep            `json:"authenticatorConfig"`
	RequiredActions             []requiredActionExportRep    `json:"requiredActions"`
	IdentityProviders           []json.RawMessage            `json:"identityProviders"`
	IdentityProviderMappers     []idpMapper                  `json:"identityProviderMappers"`
	Organizations               []orgExportRep               `json:"organizations"`
	EventsEnabled               *bool                        `json:"eventsEnabled"`
	EventsExpiration            *int64                       `json:"eventsExpiration"`
	EventsListeners             []string                     `json:"eventsListeners"`
	EnabledEventTypes           []string                     `json:"enabledEventTypes"`
	AdminEventsEnabled          *bool                        `json:"adminEventsEnabled"`
	AdminEventsDetailsEnabled   *bool                        `json:"adminEventsDetailsEnabled"`
}

type rolesRep struct {
	Realm  []roleRep            `json:"realm"`
	Client map[string][]roleRep `json:"client"`
}

type roleRep struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Description string `json:"description"`
	Composites  *struct {
		Realm  []string            `json:"realm"`
		Client map[string][]string `json:"client"`
	} `json:"composites"`
	Attributes map[string][]string `json:"attributes"`
}

type groupRep struct {
	ID          string              `json:"id"`
	Name        string              `json:"name"`
	Description string              `json:"description"`
	Attributes  map[string][]string `json:"attributes"`
	RealmRoles  []string            `json:"realmRoles"`
	ClientRoles map[string][]string `json:"clientRoles"`
	SubGroups   []groupRep          `json:"subGroups"`
}

type userRep struct {
	ID                     string              `json:"id"`
	Username               string              `json:"username"`
	Email                  string              `json:"email"`
	FirstName              string              `json:"firstName"`
	LastName               string              `json:"lastName"`
	EmailVerified          bool                `json:"emailVerified"`
	Enabled                *bool               `json:"enabled"`
	CreatedTimestamp       int64               `json:"createdTimestamp"`
	Attributes             map[string][]string `json:"attributes"`
	Credentials            []json.RawMessage   `json:"credentials"`
	RequiredActions        []string            `json:"requiredActions"`
	RealmRoles             []string            `json:"realmRoles"`
	ClientRoles            map[string][]string `json:"clientRoles"`
	Groups                 []string            `json:"groups"`
	ServiceAccountClientID string              `json:"serviceAccountClientId"`
	NotBefore              int64               `json:"notBefore"`
	FederatedIdentities    []federatedLink     `json:"federatedIdentities"`
}

type clientRep struct {
	ID                           string            `json:"id"`
	ClientID                     string            `json:"clientId"`
	Name                         string            `json:"name"`
	Description                  string            `json:"description"`
	Secret                       string            `json:"secret"`
	RootURL                      string            `json:"rootUrl"`
	BaseURL                      string            `json:"baseUrl"`
	AdminURL                     string            `json:"adminUrl"`
	ClientAuthenticatorType      string            `json:"clientAuthenticatorType"`
	Protocol                     string            `json:"protocol"`
	Enabled                      *bool             `json:"enabled"`
	PublicClient                 *bool             `json:"publicClient"`
	BearerOnly                   *bool             `json:"bearerOnly"`
	ConsentRequired              *bool             `json:"consentRequired"`
	StandardFlowEnabled          *bool             `json:"standardFlowEnabled"`
	ImplicitFlowEnabled          *bool             `json:"implicitFlowEnabled"`
	DirectAccessGrantsEnabled    *bool             `json:"directAccessGrantsEnabled"`
	ServiceAccountsEnabled       *bool             `json:"serviceAccountsEnabled"`
	AuthorizationServicesEnabled *bool             `json:"authorizationServicesEnabled"`
	FullScopeAllowed             *bool             `json:"fullScopeAllowed"`
	FrontchannelLogout           *bool             `json:"frontchannelLogout"`
	RedirectURIs                 []string          `json:"redirectUris"`
	WebOrigins                   []string          `json:"webOrigins"`
	Attributes                   map[string]string `json:"attributes"`
	DefaultClientScopes          []string          `json:"defaultClientScopes"`
	OptionalClientScopes         []string          `json:"optionalClientScopes"`
	ProtocolMappers              []json.RawMessage `json:"protocolMappers"`
	AuthorizationSettings        json.RawMessage   `json:"authorizationSettings"`
}

type clientScopeRep struct {
	ID              string            `json:"id"`
	Name            string            `json:"name"`
	Description     string            `json:"description"`
	Protocol        string            `json:"protocol"`
	Attributes      map[string]string `json:"attributes"`
	ProtocolMappers []json.RawMessage `json:"protocolMappers"`
}

type scopeMappingRep struct {
	Client      string   `json:"client"`
	ClientScope string   `json:"clientScope"`
	Roles       []string `json:"roles"`
}

func boolOr(p *bool, def bool) bool {
	if p == nil {
		return def
	}
	return *p
}

func setInt(dst *int, p *int) {
	if p != nil && *p > 0 {
		*dst = *p
	}
}

// maxImportBytes bounds a realm export.
const maxImportBytes = 64 << 20

// ImportRealm creates a realm from a Keycloak realm export
// (RealmRepresentation JSON, as written by kc.sh export or the admin
// console) and returns the realm id, as Keycloak's RealmManager.importRealm
// does (it is also what POST /admin/realms does with a full
// representation). See the package documentation for what an import keeps.
func (s *Server) ImportRealm(r io.Reader) (string, error) {
	b, err := io.ReadAll(io.LimitReader(r, maxImportBytes+1))
	if err != nil {
		return "", fmt.Errorf("kctest: reading realm: %w", err)
	}
	if len(b) > maxImportBytes {
		return "", fmt.Errorf("kctest: realm export larger than %d bytes", maxImportBytes)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	rm, err := s.importRealmJSON(b)
	if err != nil {
		return "", err
	}
	return rm.id, nil
}

// importRealmJSON decodes a RealmRepresentation, builds the realm and
// registers it. Callers hold s.mu.
func (s *Server) importRealmJSON(b []byte) (*realm, error) {
	var rep realmRep
	if err := json.Unmarshal(b, &rep); err != nil {
		return nil, fmt.Errorf("kctest: decoding realm: %w", err)
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		return nil, fmt.Errorf("kctest: decoding realm: %w", err)
	}
	rm, err := s.importRealmRep(&rep, raw)
	if err != nil {
		return nil, err
	}
	if err := s.registerRealm(rm); err != nil {
		return nil, err
	}
	return rm, nil
}

// ImportRealmFile imports the realm export at path; see [Server.ImportRealm].
func (s *Server) ImportRealmFile(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", fmt.Errorf("kctest: %w", err)
	}
	defer f.Close()
	id, err := s.ImportRealm(f)
	if err != nil {
		return "", importingError{path, err}
	}
	return id, nil
}

// importingError is an error of ImportRealm with the file it read:
// "kctest: importing realm.json: decoding realm: ...", one prefix.
type importingError struct {
	path string
	err  error
}

func (e importingError) Error() string {
	return "kctest: importing " + e.path + ": " + strings.TrimPrefix(e.err.Error(), "kctest: ")
}

func (e importingError) Unwrap() error { return e.err }

// builtinClientIDs are the clients Keycloak creates in every realm; an
// import that defines one takes it as the file says.
var builtinClientIDs = []string{"account", "account-console", "admin-cli", "broker", "realm-management", "security-admin-console"}

// realmSections are the members of a RealmRepresentation that are not
// plain settings: imported into their own models, or derived, and never
// stored as they were sent.
var realmSections = []string{"id", "realm", "displayName", "enabled", "notBefore", "accessTokenLifespan", "accessCodeLifespan",
	"accessCodeLifespanLogin", "ssoSessionIdleTimeout", "ssoSessionMaxLifespan", "offlineSessionIdleTimeout",
	"oauth2DeviceCodeLifespan", "oauth2DevicePollingInterval", "attributes",
	"eventsEnabled", "eventsExpiration", "eventsListeners", "enabledEventTypes", "adminEventsEnabled", "adminEventsDetailsEnabled",
	"users", "federatedUsers", "clients", "roles", "groups", "defaultRole", "defaultRoles", "defaultGroups", "clientScopes",
	"scopeMappings", "clientScopeMappings", "defaultDefaultClientScopes", "defaultOptionalClientScopes", "components",
	"identityProviders", "identityProviderMappers", "authenticationFlows", "authenticatorConfig", "requiredActions",
	"organizations", "localizationTexts", "keycloakVersion", "applications", "oauthClients", "clientTemplates",
	"applicationScopeMappings", "userFederationProviders", "userFederationMappers", "protocolMappers", "social",
	"socialProviders", "updateProfileOnInitialSocialLogin", "privateKey", "publicKey", "certificate", "codeSecret",
	"realmCacheEnabled", "userCacheEnabled", "passwordCredentialGrantAllowed", "requiredCredentials"}

// importOnlySections are sections kctest keeps from an import without
// serving them.
var importOnlySections = []string{"federatedUsers", "userFederationProviders", "userFederationMappers"}

// importRealmRep builds a realm from rep (raw is the same representation
// member by member). Callers hold s.mu.
func (s *Server) importRealmRep(rep *realmRep, raw map[string]json.RawMessage) (*realm, error) {
	if rep.Realm == "" {
		return nil, errors.New("kctest: realm name is missing")
	}
	if _, dup := s.realms[rep.Realm]; dup {
		return nil, fmt.Errorf("kctest: realm %q already exists", rep.Realm)
	}
	// RealmManager.importRealm: ReservedCharValidator on the id and name.
	if msg := reservedCharError(rep.ID); msg != "" {
		return nil, &realmNameError{what: "id", value: rep.ID, msg: msg}
	}
	if msg := reservedCharError(rep.Realm); msg != "" {
		return nil, &realmNameError{what: "name", value: rep.Realm, msg: msg}
	}
	setup := realmSetup{skipClients: map[string]bool{}}
	for _, cr := range rep.Clients {
		mgmt := "realm-management"
		if rep.Realm == "master" {
			mgmt = "master-realm"
		}
		if slices.Contains(builtinClientIDs, cr.ClientID) || cr.ClientID == mgmt {
			setup.skipClients[cr.ClientID] = true
		}
	}
	var comps map[string][]componentExportRep
	if c, ok := raw["components"]; ok && string(c) != "null" {
		if err := json.Unmarshal(c, &comps); err != nil {
			return nil, fmt.Errorf("kctest: decoding components: %w", err)
		}
	}
	setup.fileKeys = len(comps[keyProviderType]) > 0 || rep.PrivateKey != ""
	rm, err := s.newRealmWith(rep.Realm, setup)
	if err != nil {
		return nil, err
	}
	if rep.ID != "" {
		rm.id = rep.ID
		for _, c := range rm.components {
			c.parentID = rm.id
		}
	}
	if err := rm.applySettings(raw); err != nil {
		return nil, err
	}
	for _, k := range importOnlySections {
		if v, ok := raw[k]; ok {
			if rm.importOnly == nil {
				rm.importOnly = map[string]json.RawMessage{}
			}
			rm.importOnly[k] = v
		}
	}
	if v, ok := raw["localizationTexts"]; ok && string(v) != "null" {
		var texts map[string]map[string]string
		if err := json.Unmarshal(v, &texts); err != nil {
			return nil, fmt.Errorf("kctest: localizationTexts: %w", err)
		}
		for locale, m := range texts {
			for k, text := range m {
				rm.setLocalizationText(locale, k, text)
			}
		}
	}
	rm.displayName = rep.DisplayName
	rm.enabled = boolOr(rep.Enabled, true)
	if rep.NotBefore != nil {
		rm.notBefore = *rep.NotBefore
	}
	setInt(&rm.accessTokenLifespan, rep.AccessTokenLifespan)
	setInt(&rm.accessCodeLifespan, rep.AccessCodeLifespan)
	setInt(&rm.accessCodeLifespanLogin, rep.AccessCodeLifespanLogin)
	setInt(&rm.ssoSessionIdleTimeout, rep.SSOSessionIdleTimeout)
	setInt(&rm.ssoSessionMaxLifespan, rep.SSOSessionMaxLifespan)
	setInt(&rm.offlineSessionIdleTimeout, rep.OfflineSessionIdleTimeout)
	setInt(&rm.deviceCodeLifespan, rep.DeviceCodeLifespan)
	setInt(&rm.devicePollingInterval, rep.DevicePollingInterval)
	for k, v := range rep.Attributes {
		rm.attributes[k] = v
	}
	if err := s.importComponents(rm, comps, rep); err != nil {
		return nil, err
	}
	now := s.now().UnixMilli()

	// Client scopes: an export that lists them replaces the built-in ones.
	if rep.ClientScopes != nil {
		keepOffline := rm.scopeByName("offline_access")
		rm.scopes = map[string]*clientScope{}
		for _, sr := range rep.ClientScopes {
			if sr.Name == "" {
				return nil, errors.New("kctest: client scope name is missing")
			}
			sc := &clientScope{id: sr.ID, name: sr.Name, description: sr.Description, protocol: sr.Protocol, attributes: map[string]string{}, mappers: sr.ProtocolMappers}
			if sc.id == "" {
				sc.id = newID()
			}
			if sc.protocol == "" {
				sc.protocol = "openid-connect"
			}
			for k, v := range sr.Attributes {
				sc.attributes[k] = v
			}
			if sc.name == "offline_access" && keepOffline != nil {
				sc.scopeRoles = keepOffline.scopeRoles
			}
			rm.scopes[sc.id] = sc
		}
	}
	if rep.DefaultDefaultClientScopes != nil {
		rm.defaultScopes = slices.Clone(rep.DefaultDefaultClientScopes)
	}
	if rep.DefaultOptionalClientScopes != nil {
		rm.optionalScopes = slices.Clone(rep.DefaultOptionalClientScopes)
	}

	// Realm roles (composites come after clients exist).
	if rep.Roles != nil {
		for _, rr := range rep.Roles.Realm {
			if rr.Name == "" {
				return nil, errors.New("kctest: role name is missing")
			}
			r := rm.addRealmRole(rr.Name, rr.Description)
			applyRoleRep(r, rr)
		}
	}

	// Clients.
	var rawClients []map[string]json.RawMessage
	_ = json.Unmarshal(raw["clients"], &rawClients)
	for i := range rep.Clients {
		cr := &rep.Clients[i]
		if cr.ClientID == "" {
			return nil, errors.New("kctest: client id is missing")
		}
		if rm.findClientByClientID(cr.ClientID) != nil {
			return nil, fmt.Errorf("kctest: client %q appears twice", cr.ClientID)
		}
		c := rm.newClientModel(cr.ClientID)
		applyClientRep(rm, c, cr)
		if i < len(rawClients) {
			keepClientExtra(c, rawClients[i])
		}
		rm.clients[c.id] = c
	}
	if rep.Roles != nil {
		for cid, rrs := range rep.Roles.Client {
			c := rm.findClientByClientID(cid)
			if c == nil {
				return nil, fmt.Errorf("kctest: client %q of role definitions not found", cid)
			}
			for _, rr := range rrs {
				if rr.Name == "" {
					return nil, errors.New("kctest: role name is missing")
				}
				applyRoleRep(c.addRole(rr.Name, rr.Description), rr)
			}
		}
		// Composites.
		setComposites := func(r *role, rr roleRep) error {
			if rr.Composites == nil {
				return nil
			}
			r.composites = nil
			for _, n := range rr.Composites.Realm {
				cr, err := rm.realmRole(n, true)
				if err != nil {
					return err
				}
				r.addComposite(cr)
			}
			for cid, names := range rr.Composites.Client {
				for _, n := range names {
					cr, err := rm.clientRole(cid, n, true)
					if err != nil {
						return err
					}
					r.addComposite(cr)
				}
			}
			return nil
		}
		for _, rr := range rep.Roles.Realm {
			if err := setComposites(rm.roles[rr.Name], rr); err != nil {
				return nil, err
			}
		}
		for cid, rrs := range rep.Roles.Client {
			c := rm.findClientByClientID(cid)
			for _, rr := range rrs {
				if err := setComposites(c.roles[rr.Name], rr); err != nil {
					return nil, err
				}
			}
		}
	}
	if rep.DefaultRole != nil && rep.DefaultRole.Name != "" {
		r, err := rm.realmRole(rep.DefaultRole.Name, true)
		if err != nil {
			return nil, err
		}
		rm.defaultRole = r
	}

	// Groups.
	var addGroups func(reps []groupRep, parent *group) error
	addGroups = func(reps []groupRep, parent *group) error {
		for _, gr := range reps {
			g, err := rm.addGroupModel(gr.Name, parent)
			if err != nil {
				return err
			}
			if gr.ID != "" {
				delete(rm.groups, g.id)
				g.id = gr.ID
				rm.groups[g.id] = g
			}
			g.description = gr.Description
			for k, v := range gr.Attributes {
				g.attributes[k] = slices.Clone(v)
			}
			if err := rm.applyMappings(gr.RealmRoles, gr.ClientRoles, g.addRole); err != nil {
				return err
			}
			if err := addGroups(gr.SubGroups, g); err != nil {
				return err
			}
		}
		return nil
	}
	if err := addGroups(rep.Groups, nil); err != nil {
		return nil, err
	}

	// Users.
	for _, ur := range rep.Users {
		if ur.Username == "" {
			return nil, errors.New("kctest: user name is missing")
		}
		if rm.findUserByUsername(ur.Username) != nil {
			return nil, fmt.Errorf("kctest: user %q appears twice", ur.Username)
		}
		u := rm.newUserModel(ur.Username, now)
		if ur.ID != "" {
			u.id = ur.ID
		}
		if ur.CreatedTimestamp > 0 {
			u.createdTimestamp = ur.CreatedTimestamp
		}
		u.email, u.firstName, u.lastName, u.emailVerified = ur.Email, ur.FirstName, ur.LastName, ur.EmailVerified
		// Keycloak's importer leaves a user without "enabled" disabled.
		u.enabled = boolOr(ur.Enabled, false)
		u.notBefore = ur.NotBefore
		for k, v := range ur.Attributes {
			u.attributes[k] = slices.Clone(v)
		}
		u.requiredActions = append(u.requiredActions, ur.RequiredActions...)
		for _, raw := range ur.Credentials {
			var cr credentialRep
			if err := json.Unmarshal(raw, &cr); err != nil {
				return nil, fmt.Errorf("kctest: user %q: %w", ur.Username, err)
			}
			p, isPassword, err := passwordFromRep(cr)
			if err != nil {
				return nil, fmt.Errorf("kctest: user %q: %w", ur.Username, err)
			}
			if !isPassword {
				u.rawCredentials = append(u.rawCredentials, raw)
				continue
			}
			u.password = p
			if p.temporary && !slices.Contains(u.requiredActions, "UPDATE_PASSWORD") {
				u.requiredActions = append(u.requiredActions, "UPDATE_PASSWORD")
			}
		}
		if err := rm.applyMappings(ur.RealmRoles, ur.ClientRoles, u.addRole); err != nil {
			return nil, fmt.Errorf("kctest: user %q: %w", ur.Username, err)
		}
		for _, p := range ur.Groups {
			g := rm.findGroupByPath(p)
			if g == nil {
				return nil, fmt.Errorf("kctest: user %q: unable to find group specified by path: %s", ur.Username, p)
			}
			u.joinGroup(g)
		}
		for _, f := range ur.FederatedIdentities {
			u.federated = append(u.federated, f)
		}
		if ur.ServiceAccountClientID != "" {
			c := rm.findClientByClientID(ur.ServiceAccountClientID)
			if c == nil {
				return nil, fmt.Errorf("kctest: user %q: service account client %q not found", ur.Username, ur.ServiceAccountClientID)
			}
			u.serviceAccountClient = c
			c.serviceAccountUser = u
		}
		rm.users[u.id] = u
	}

	if err := rm.importSections(rep); err != nil {
		return nil, err
	}

	// Service accounts and authorization services.
	for i := range rep.Clients {
		cr := &rep.Clients[i]
		c := rm.findClientByClientID(cr.ClientID)
		if boolOr(cr.ServiceAccountsEnabled, false) {
			rm.enableServiceAccount(c, now)
		}
		if boolOr(cr.AuthorizationServicesEnabled, false) {
			rm.enableAuthorization(c, now)
			c.authz.raw = slices.Clone(cr.AuthorizationSettings)
			if len(c.authz.raw) == 0 {
				// Keycloak imports an empty resource server, without the
				// defaults an admin gets (authz_model.go).
				c.authz.raw = []byte("{}")
			}
		}
	}

	// Scope mappings: realm roles, then client roles, granted to clients or
	// client scopes.
	addScopeRoles := func(m scopeMappingRep, roles []*role) error {
		switch {
		case m.Client != "":
			c := rm.findClientByClientID(m.Client)
			if c == nil {
				return fmt.Errorf("kctest: scope mapping: client %q not found", m.Client)
			}
			for _, r := range roles {
				if !slices.Contains(c.scopeRoles, r) {
					c.scopeRoles = append(c.scopeRoles, r)
				}
			}
		case m.ClientScope != "":
			sc := rm.scopeByName(m.ClientScope)
			if sc == nil {
				return fmt.Errorf("kctest: scope mapping: client scope %q not found", m.ClientScope)
			}
			for _, r := range roles {
				if !slices.Contains(sc.scopeRoles, r) {
					sc.scopeRoles = append(sc.scopeRoles, r)
				}
			}
		}
		return nil
	}
	for _, m := range rep.ScopeMappings {
		var roles []*role
		for _, n := range m.Roles {
			r, err := rm.realmRole(n, true)
			if err != nil {
				return nil, err
			}
			roles = append(roles, r)
		}
		if err := addScopeRoles(m, roles); err != nil {
			return nil, err
		}
	}
	for cid, ms := range rep.ClientScopeMappings {
		for _, m := range ms {
			var roles []*role
			for _, n := range m.Roles {
				r, err := rm.clientRole(cid, n, true)
				if err != nil {
					return nil, err
				}
				roles = append(roles, r)
			}
			if err := addScopeRoles(m, roles); err != nil {
				return nil, err
			}
		}
	}
	rm.checkManagementRoles()
	if setup.fileKeys {
		if err := s.refreshKeys(rm); err != nil {
			return nil, err
		}
	}
	return rm, nil
}

func applyRoleRep(r *role, rr roleRep) {
	if rr.ID != "" {
		r.id = rr.ID
	}
	if rr.Description != "" {
		r.description = rr.Description
	}
	for k, v := range rr.Attributes {
		r.attributes[k] = slices.Clone(v)
	}
}

// applyClientRep copies an imported client onto c. Realm import does not run
// the OIDC setupClientDefaults: a client without publicClient is
// confidential.
func applyClientRep(rm *realm, c *client, cr *clientRep) {
	if cr.ID != "" {
		c.id = cr.ID
	}
	c.name, c.description = cr.Name, cr.Description
	c.rootURL, c.baseURL, c.adminURL = cr.RootURL, cr.BaseURL, cr.AdminURL
	if cr.ClientAuthenticatorType != "" {
		c.clientAuthenticator = cr.ClientAuthenticatorType
	}
	if cr.Protocol != "" {
		c.protocol = cr.Protocol
	}
	c.enabled = boolOr(cr.Enabled, true)
	c.publicClient = boolOr(cr.PublicClient, false)
	c.bearerOnly = boolOr(cr.BearerOnly, false)
	c.consentRequired = boolOr(cr.ConsentRequired, false)
	c.standardFlow = boolOr(cr.StandardFlowEnabled, true)
	c.implicitFlow = boolOr(cr.ImplicitFlowEnabled, false)
	c.directAccessGrants = boolOr(cr.DirectAccessGrantsEnabled, false)
	c.fullScopeAllowed = boolOr(cr.FullScopeAllowed, !c.consentRequired)
	c.frontchannelLogout = boolOr(cr.FrontchannelLogout, false)
	c.secret = cr.Secret
	if c.secret == "" && !c.publicClient {
		c.secret = randomSecret(32)
	}
	if c.publicClient {
		c.secret = ""
	}
	c.redirectURIs = slices.Clone(cr.RedirectURIs)
	c.webOrigins = slices.Clone(cr.WebOrigins)
	for k, v := range cr.Attributes {
		c.attributes[k] = v
	}
	c.protocolMappers = cr.ProtocolMappers
	if cr.DefaultClientScopes != nil {
		c.defaultClientScopes = slices.Clone(cr.DefaultClientScopes)
	} else if c.defaultClientScopes == nil {
		c.defaultClientScopes = rm.oidcScopeNames(rm.defaultScopes)
	}
	if cr.OptionalClientScopes != nil {
		c.optionalClientScopes = slices.Clone(cr.OptionalClientScopes)
	} else if c.optionalClientScopes == nil {
		c.optionalClientScopes = rm.oidcScopeNames(rm.optionalScopes)
	}
}
