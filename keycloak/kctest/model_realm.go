package kctest

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"maps"
	"net/url"
	"time"
)

// realm is one realm of the in-memory store. Every field is guarded by
// Server.mu.
type realm struct {
	id          string
	name        string
	displayName string
	enabled     bool

	// Lifetimes in seconds (Keycloak's realm settings).
	accessTokenLifespan       int
	accessCodeLifespan        int
	accessCodeLifespanLogin   int
	ssoSessionIdleTimeout     int
	ssoSessionMaxLifespan     int
	offlineSessionIdleTimeout int
	deviceCodeLifespan        int
	devicePollingInterval     int
	notBefore                 int64

	attributes map[string]string
	// settings holds the realm's other top-level representation fields
	// (policies, flow bindings, themes, smtpServer, ...): Keycloak 26's
	// defaults (realm_defaults.go), then what an import, a create or an
	// update sent.
	settings map[string]json.RawMessage
	// components are the realm's components (key providers, the
	// user-profile configuration, client-registration policies, ...), in
	// creation order.
	components []*component
	// importOnly keeps sections of an imported realm that kctest stores
	// but does not serve (federatedUsers, user federation providers).
	importOnly map[string]json.RawMessage
	// localization holds the realm's localization texts, by locale then
	// key (admin_localization.go); nil until first used.
	localization map[string]map[string]string

	roles       map[string]*role // realm roles by name
	defaultRole *role

	users   map[string]*user   // by id
	clients map[string]*client // by id (UUID)
	groups  map[string]*group  // by id
	scopes  map[string]*clientScope

	defaultScopes  []string // defaultDefaultClientScopes, by name
	optionalScopes []string // defaultOptionalClientScopes, by name

	keys       []*realmKey
	encKey     *realmKey // the RSA-OAEP encryption key Keycloak lists in the JWKS; never signs
	hmacKid    string
	hmacSecret []byte

	sessions    map[string]*userSession
	codes       map[string]*authCode
	deviceCodes map[string]*deviceGrant // by device_code
	parRequests map[string]*parRequest  // pushed authorization requests, by the key of their request_uri
	// authSessions are the login forms shown and not yet submitted, by
	// tab_id (Keycloak's authentication sessions).
	authSessions map[string]*authSession
	userCodes    map[string]*deviceGrant // by user_code
	revokedJTI   map[string]time.Time    // access token jti -> exp
	usedJTI      map[string]time.Time    // client assertion jti -> exp

	// loginFailures are the brute-force records, by user ID (bruteforce.go).
	loginFailures map[string]*loginFailureRecord
	// events are the stored login events, oldest first (events.go).
	events []*loginEvent

	// admin holds what only the Admin REST API manages (admin_idp.go).
	admin *adminRealmState
	// workflows are the realm's workflows (admin_workflows.go).
	workflows []*workflow
	// regTokens holds the id of each client's current registration
	// access token, by client UUID (client_registration.go).
	regTokens map[string]string
	// authn holds the authentication flows and required actions
	// (admin_authentication.go), built on first use.
	authn *authnState
}

func newID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b)
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

func randomSecret(n int) string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	b := make([]byte, n)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}

// realmManagementRoles are the 18 roles of realm-management (and of
// <realm>-realm in master) besides realm-admin; payload-shapes §6.
var realmManagementRoles = []string{
	"create-client", "impersonation", "manage-authorization", "manage-clients",
	"manage-events", "manage-identity-providers", "manage-realm", "manage-users",
	"query-clients", "query-groups", "query-realms", "query-users",
	"view-authorization", "view-clients", "view-events", "view-identity-providers",
	"view-realm", "view-users",
}

// realmSetup says which parts of a fresh realm an import replaces.
type realmSetup struct {
	skipClients map[string]bool // built-in clients the realm file defines
	fileKeys    bool            // the file has key providers
}

// freshSettings returns freshRealmSettings as raw JSON members.
func freshSettings() map[string]json.RawMessage {
	out := make(map[string]json.RawMessage, len(freshRealmSettings))
	for k, v := range freshRealmSettings {
		b, _ := json.Marshal(v)
		out[k] = b
	}
	return out
}

// newRealm builds a realm with Keycloak 26's fresh-realm contents
// (realm_defaults.go, payload-shapes §6): settings, default roles,
// built-in clients, client scopes, components and keys. Callers hold s.mu;
// the realm is not yet registered.
func (s *Server) newRealm(name string) (*realm, error) {
	return s.newRealmWith(name, realmSetup{})
}

// newRealmWith is newRealm leaving out what setup says an import brings.
func (s *Server) newRealmWith(name string, setup realmSetup) (*realm, error) {
	if name == "" {
		return nil, fmt.Errorf("kctest: realm name is empty")
	}
	rm := &realm{
		id: newID(), name: name, enabled: true,
		accessTokenLifespan:       300,
		accessCodeLifespan:        60,
		accessCodeLifespanLogin:   1800,
		ssoSessionIdleTimeout:     1800,
		ssoSessionMaxLifespan:     36000,
		offlineSessionIdleTimeout: 2592000,
		deviceCodeLifespan:        600,
		devicePollingInterval:     5,
		attributes:                maps.Clone(freshRealmAttributes),
		settings:                  freshSettings(),
		roles:                     map[string]*role{},
		users:                     map[string]*user{},
		clients:                   map[string]*client{},
		groups:                    map[string]*group{},
		scopes:                    map[string]*clientScope{},
		sessions:                  map[string]*userSession{},
		codes:                     map[string]*authCode{},
		deviceCodes:               map[string]*deviceGrant{},
		parRequests:               map[string]*parRequest{},
		authSessions:              map[string]*authSession{},
		userCodes:                 map[string]*deviceGrant{},
		revokedJTI:                map[string]time.Time{},
		usedJTI:                   map[string]time.Time{},
	}
	master := name == "master"
	if master {
		// The master realm Keycloak bootstraps (26.0.5 master export).
		rm.accessTokenLifespan = 60
		rm.displayName = "Keycloak"
		rm.settings["displayNameHtml"] = json.RawMessage(`"<div class=\"kc-logo-text\"><span>Keycloak</span></div>"`)
		delete(rm.settings, "bruteForceStrategy")
		for _, k := range []string{"clientOfflineSessionMaxLifespan", "clientSessionIdleTimeout", "clientOfflineSessionIdleTimeout",
			"clientSessionMaxLifespan", "oauth2DevicePollingInterval", "oauth2DeviceCodeLifespan", "organizationsEnabled"} {
			delete(rm.attributes, k)
		}
	}
	for _, p := range clientRegistrationPolicies {
		rm.components = append(rm.components, &component{id: newID(), name: p.name, providerID: p.providerID,
			providerType: clientRegPolicyType, parentID: rm.id, subType: p.subType, config: cloneConfig(p.config)})
	}
	if !setup.fileKeys {
		if err := s.addDefaultKeys(rm); err != nil {
			return nil, err
		}
		if err := s.refreshKeys(rm); err != nil {
			return nil, err
		}
	}
	rm.addBuiltinScopes()

	offline := rm.addRealmRole("offline_access", "${role_offline-access}")
	uma := rm.addRealmRole("uma_authorization", "${role_uma_authorization}")
	defaultComposites := []*role{offline, uma}
	// logoutURIs: every built-in client of a new realm has
	// post.logout.redirect.uris "+"; in the bootstrapped master realm only
	// the account and admin consoles do.
	builtin := func(clientID string, set func(*client)) *client {
		if setup.skipClients[clientID] {
			return nil
		}
		return rm.addBuiltinClient(clientID, func(c *client) {
			if !master {
				c.attributes["post.logout.redirect.uris"] = "+"
			}
			set(c)
		})
	}

	if account := builtin("account", func(c *client) {
		c.publicClient = true
		c.rootURL = "${authBaseUrl}"
		c.baseURL = "/realms/" + name + "/account/"
		c.redirectURIs = []string{"/realms/" + name + "/account/*"}
		c.fullScopeAllowed = false
		c.attributes["post.logout.redirect.uris"] = "+"
	}); account != nil {
		viewProfile := account.addRole("view-profile", "${role_view-profile}")
		manageLinks := account.addRole("manage-account-links", "${role_manage-account-links}")
		manageAccount := account.addRole("manage-account", "${role_manage-account}", manageLinks)
		account.addRole("view-applications", "${role_view-applications}")
		viewConsent := account.addRole("view-consent", "${role_view-consent}")
		account.addRole("manage-consent", "${role_manage-consent}", viewConsent)
		account.addRole("delete-account", "${role_delete-account}")
		viewGroups := account.addRole("view-groups", "${role_view-groups}")
		defaultComposites = append(defaultComposites, viewProfile, manageAccount)

		if accountConsole := builtin("account-console", func(c *client) {
			c.publicClient = true
			c.rootURL = "${authBaseUrl}"
			c.baseURL = "/realms/" + name + "/account/"
			c.redirectURIs = []string{"/realms/" + name + "/account/*"}
			c.fullScopeAllowed = false
			c.attributes["pkce.code.challenge.method"] = "S256"
			c.attributes["post.logout.redirect.uris"] = "+"
			c.protocolMappers = []json.RawMessage{builtinClientMapper("audience resolve", "oidc-audience-resolve-mapper", nil)}
		}); accountConsole != nil {
			accountConsole.scopeRoles = []*role{manageAccount, viewGroups}
		}
	}

	builtin("admin-cli", func(c *client) {
		c.publicClient = true
		c.standardFlow = false
		c.directAccessGrants = true
		c.attributes["client.use.lightweight.access.token.enabled"] = "true"
	})
	if broker := builtin("broker", func(c *client) {
		c.bearerOnly = true
		c.fullScopeAllowed = false
		c.attributes["realm_client"] = "true"
	}); broker != nil {
		broker.addRole("read-token", "${role_read-token}")
	}

	mgmtName := "realm-management"
	if master {
		mgmtName = "master-realm"
	}
	if mgmt := builtin(mgmtName, func(c *client) {
		c.bearerOnly = true
		c.fullScopeAllowed = false
		c.attributes["realm_client"] = "true"
		if master {
			// RealmManager.setupMasterAdminManagement: a management client
			// without protocol, named "<realm> Realm".
			c.protocol = ""
			c.name = "master Realm"
		}
	}); mgmt != nil {
		rm.addManagementRoles(mgmt, !master)
	}

	builtin("security-admin-console", func(c *client) {
		c.publicClient = true
		c.rootURL = "${authAdminUrl}"
		c.baseURL = "/admin/" + name + "/console/"
		c.redirectURIs = []string{"/admin/" + name + "/console/*"}
		c.webOrigins = []string{"+"}
		c.attributes["pkce.code.challenge.method"] = "S256"
		c.attributes["client.use.lightweight.access.token.enabled"] = "true"
		c.attributes["post.logout.redirect.uris"] = "+"
		c.protocolMappers = []json.RawMessage{builtinClientMapper("locale", "oidc-usermodel-attribute-mapper", map[string]string{
			"introspection.token.claim": "true", "userinfo.token.claim": "true", "user.attribute": "locale",
			"id.token.claim": "true", "access.token.claim": "true", "claim.name": "locale", "jsonType.label": "String",
		})}
	})

	rm.defaultRole = rm.addRealmRole("default-roles-"+name, "${role_default-roles}", defaultComposites...)
	if sc := rm.scopeByName("offline_access"); sc != nil {
		sc.scopeRoles = []*role{offline}
	}
	return rm, nil
}

// builtinClientMapper is a protocol mapper of a built-in client.
func builtinClientMapper(name, mapper string, config map[string]string) json.RawMessage {
	if config == nil {
		config = map[string]string{}
	}
	b, _ := json.Marshal(mapperRep{ID: newID(), Name: name, Protocol: "openid-connect", ProtocolMapper: mapper, Config: config})
	return b
}

// addManagementRoles adds the 18 management roles to c, and realm-admin
// (composite of all of them) when withAdmin is set.
func (rm *realm) addManagementRoles(c *client, withAdmin bool) {
	var all []*role
	for _, n := range realmManagementRoles {
		all = append(all, c.addRole(n, "${role_"+n+"}"))
	}
	c.roles["view-clients"].composites = []*role{c.roles["query-clients"]}
	c.roles["view-users"].composites = []*role{c.roles["query-users"], c.roles["query-groups"]}
	if withAdmin {
		c.addRole("realm-admin", "${role_realm-admin}", all...)
	}
}

// addBuiltinClient adds a Keycloak built-in client with the shared defaults
// and lets set adjust it.
func (rm *realm) addBuiltinClient(clientID string, set func(*client)) *client {
	c := rm.newClientModel(clientID)
	c.name = "${client_" + clientID + "}"
	c.standardFlow = true
	c.fullScopeAllowed = true
	c.attributes["realm_client"] = "false"
	c.nodeReRegistrationTimeout = 0
	c.defaultClientScopes = []string{"web-origins", "acr", "roles", "profile", "basic", "email"}
	c.optionalClientScopes = []string{"address", "phone", "offline_access", "organization", "microprofile-jwt"}
	set(c)
	rm.clients[c.id] = c
	return c
}

// issuerFor returns the realm's issuer for a base URL such as
// "http://127.0.0.1:8080" or "http://host/auth".
func issuerFor(base, realmName string) string {
	return base + "/realms/" + url.PathEscape(realmName)
}

// pruneExpired drops expired codes, sessions and blocklist entries.
// Callers hold s.mu for writing.
func (rm *realm) pruneExpired(now time.Time) {
	for k, c := range rm.codes {
		if now.After(c.expires.Add(time.Minute)) {
			delete(rm.codes, k)
		}
	}
	for k, exp := range rm.revokedJTI {
		if now.After(exp) {
			delete(rm.revokedJTI, k)
		}
	}
	for k, exp := range rm.usedJTI {
		if now.After(exp) {
			delete(rm.usedJTI, k)
		}
	}
	for k, sess := range rm.sessions {
		if !sess.active(now) {
			delete(rm.sessions, k)
		}
	}
	for k, p := range rm.parRequests {
		if now.After(p.expires) {
			delete(rm.parRequests, k)
		}
	}
	for k, a := range rm.authSessions {
		if now.After(a.expires) {
			delete(rm.authSessions, k)
		}
	}
	// An expired device code stays until a poll reports it (expired_token,
	// see grantDeviceCode); its user code goes.
	for k, d := range rm.userCodes {
		if now.After(d.expires.Add(time.Minute)) {
			delete(rm.userCodes, k)
		}
	}
}
