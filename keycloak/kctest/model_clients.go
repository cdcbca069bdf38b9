package kctest

import (
	"encoding/json"
	"slices"
	"strings"
)

// client is an OIDC (or other protocol) client of a realm.
type client struct {
	id                    string // UUID
	clientID              string
	name                  string
	description           string
	secret                string
	enabled               bool
	publicClient          bool
	bearerOnly            bool
	consentRequired       bool
	standardFlow          bool
	implicitFlow          bool
	directAccessGrants    bool
	serviceAccounts       bool
	authorizationServices bool
	fullScopeAllowed      bool
	frontchannelLogout    bool
	clientAuthenticator   string // client-secret, client-jwt, client-secret-jwt
	protocol              string
	rootURL, baseURL      string
	adminURL              string
	redirectURIs          []string
	webOrigins            []string
	attributes            map[string]string
	roles                 map[string]*role

	defaultClientScopes  []string // names
	optionalClientScopes []string // names
	// scopeRoles are the client's role scope mappings (scopeMappings and
	// clientScopeMappings of the export).
	scopeRoles []*role

	// nodeReRegistrationTimeout is -1 for a client created through the
	// Admin API or an import that leaves it out (RepresentationToModel
	// .createClient), 0 for the built-in clients.
	nodeReRegistrationTimeout int
	// extra holds the other fields of the client's representation
	// (surrogateAuthRequired, alwaysDisplayInConsole,
	// authenticationFlowBindingOverrides, registeredNodes, ...) as they were
	// sent, so that they round-trip.
	extra map[string]json.RawMessage

	serviceAccountUser *user
	protocolMappers    []json.RawMessage
	// authz holds the client's authorization-services settings.
	authz *resourceServer
}

// newClientModel returns a client with Keycloak's model defaults. It is not
// yet added to the realm.
func (rm *realm) newClientModel(clientID string) *client {
	return &client{
		id: newID(), clientID: clientID, enabled: true,
		clientAuthenticator:       "client-secret",
		protocol:                  "openid-connect",
		attributes:                map[string]string{},
		roles:                     map[string]*role{},
		fullScopeAllowed:          true,
		nodeReRegistrationTimeout: -1,
	}
}

// findClientByClientID returns the client with that clientId, or nil.
func (rm *realm) findClientByClientID(clientID string) *client {
	for _, c := range rm.clients {
		if c.clientID == clientID {
			return c
		}
	}
	return nil
}

// confidential reports whether the client authenticates with a credential.
func (c *client) confidential() bool { return !c.publicClient }

// attrTrue reports whether the client attribute k is "true".
func (c *client) attrTrue(k string) bool { return strings.EqualFold(c.attributes[k], "true") }

// redirectAllowed reports whether uri matches one of the client's redirect
// URIs ("*" suffix wildcards, "+"/"/*" relative to the root URL ignored).
func (c *client) redirectAllowed(uri string) bool {
	for _, p := range c.redirectURIs {
		if p == "*" || p == uri {
			return true
		}
		if strings.HasSuffix(p, "*") {
			prefix := strings.TrimSuffix(p, "*")
			if strings.HasPrefix(prefix, "/") && c.rootURL != "" && !strings.HasPrefix(c.rootURL, "$") {
				prefix = strings.TrimSuffix(c.rootURL, "/") + prefix
			}
			if strings.HasPrefix(uri, prefix) {
				return true
			}
		}
	}
	return false
}

// defaultRedirect returns the only redirect URI when there is exactly one
// without a wildcard, as Keycloak does when redirect_uri is left out.
func (c *client) defaultRedirect() string {
	if len(c.redirectURIs) == 1 && !strings.Contains(c.redirectURIs[0], "*") {
		return c.redirectURIs[0]
	}
	return ""
}

// deviceGrantEnabled reports whether the device authorization grant is on.
func (c *client) deviceGrantEnabled() bool {
	return c.attrTrue("oauth2.device.authorization.grant.enabled")
}

// enableServiceAccount turns the service account on and creates its user
// unless one is linked already. Callers hold s.mu.
func (rm *realm) enableServiceAccount(c *client, now int64) *user {
	c.serviceAccounts = true
	if c.serviceAccountUser == nil {
		u := rm.newUserModel("service-account-"+strings.ToLower(c.clientID), now)
		u.serviceAccountClient = c
		rm.users[u.id] = u
		c.serviceAccountUser = u
	}
	if !slices.Contains(c.defaultClientScopes, "service_account") && rm.scopeByName("service_account") != nil {
		c.defaultClientScopes = append(c.defaultClientScopes, "service_account")
	}
	return c.serviceAccountUser
}

// enableAuthorization turns authorization services on: the client gets a
// service account with the client role uma_protection, as Keycloak does.
func (rm *realm) enableAuthorization(c *client, now int64) {
	c.authorizationServices = true
	u := rm.enableServiceAccount(c, now)
	r := c.addRole("uma_protection", "")
	u.addRole(r)
	if c.authz == nil {
		c.authz = &resourceServer{}
	}
}

// removeClient deletes a client, its service-account user and its sessions.
func (rm *realm) removeClient(c *client) {
	delete(rm.clients, c.id)
	if c.serviceAccountUser != nil {
		delete(rm.users, c.serviceAccountUser.id)
	}
	for _, sess := range rm.sessions {
		delete(sess.clients, c.id)
	}
}
