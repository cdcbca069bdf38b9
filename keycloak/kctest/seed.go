package kctest

import (
	"errors"
	"fmt"
	"slices"
	"time"
)

// Realm describes a realm for [Server.AddRealm]. Zero durations take
// Keycloak's defaults.
type Realm struct {
	// Name is the realm name (required).
	Name        string
	DisplayName string
	// Enabled defaults to true.
	Enabled *bool
	// AccessTokenLifespan defaults to 5 minutes (1 minute in master).
	AccessTokenLifespan time.Duration
	// SSOSessionIdleTimeout defaults to 30 minutes.
	SSOSessionIdleTimeout time.Duration
	// SSOSessionMaxLifespan defaults to 10 hours.
	SSOSessionMaxLifespan time.Duration
	// DeviceCodeLifespan defaults to 10 minutes; DevicePollingInterval to
	// 5 seconds.
	DeviceCodeLifespan    time.Duration
	DevicePollingInterval time.Duration
}

// User describes a user for [Server.AddUser].
type User struct {
	// Username is required; it is stored lower-cased, as Keycloak does.
	Username string
	// Password, when set, is the user's password.
	Password      string
	Email         string
	FirstName     string
	LastName      string
	EmailVerified bool
	// Enabled defaults to true.
	Enabled    *bool
	Attributes map[string][]string
	// RealmRoles are realm role names; missing roles are created, as
	// Keycloak's realm import does.
	RealmRoles []string
	// ClientRoles maps a clientId to role names; the client must exist,
	// missing roles are created.
	ClientRoles map[string][]string
	// Groups are group paths such as "/staff/admins"; they must exist.
	Groups []string
	// RequiredActions such as "UPDATE_PASSWORD" make password logins fail
	// with "Account is not fully set up".
	RequiredActions []string
}

// Client describes an OIDC client for [Server.AddClient].
//
// Defaults, chosen so that a client with just a ClientID (and a Secret) is
// useful in tests:
//   - A client that is neither Public nor BearerOnly is confidential; with
//     no Secret it gets a random one (see [Server.ClientSecret]).
//   - When StandardFlow, DirectAccessGrants and ServiceAccounts are all
//     false, all three are turned on (ServiceAccounts only for a
//     confidential client) and so is the device authorization grant
//     (attribute oauth2.device.authorization.grant.enabled), unless
//     Attributes sets it. Set any one flag to choose them yourself.
//   - No RedirectURIs means any redirect URI is accepted ("*").
//   - No DefaultClientScopes or OptionalClientScopes take the realm's
//     default lists (profile, email, roles, web-origins, acr, basic; and
//     offline_access, address, phone, microprofile-jwt, organization).
//   - AuthorizationServices turns the service account on and gives it the
//     client role uma_protection.
type Client struct {
	// ClientID is required.
	ClientID              string
	Name                  string
	Secret                string
	Public                bool
	BearerOnly            bool
	RedirectURIs          []string
	WebOrigins            []string
	StandardFlow          bool
	DirectAccessGrants    bool
	ServiceAccounts       bool
	AuthorizationServices bool
	// Attributes are Keycloak client attributes, e.g.
	// "client_credentials.use_refresh_token": "true",
	// "standard.token.exchange.enabled": "true",
	// "pkce.code.challenge.method": "S256", "jwks.url", "jwks.string".
	Attributes           map[string]string
	DefaultClientScopes  []string
	OptionalClientScopes []string
	// ServiceAccountRealmRoles are realm roles of the client's service
	// account (missing roles are created); ServiceAccountClientRoles maps a
	// clientId (this client's own, or one that exists) to its roles, e.g.
	// {"realm-management": {"view-users"}} to let the service account read
	// users through the Admin REST API. The client must get a service
	// account.
	ServiceAccountRealmRoles  []string
	ServiceAccountClientRoles map[string][]string
}

// Role describes a realm or client role.
type Role struct {
	Name        string
	Description string
	// Composites name the roles this one includes: "name" for a realm role,
	// "clientId/name" for a client role. They must exist.
	Composites []string
	Attributes map[string][]string
}

// Group describes a group for [Server.AddGroup].
type Group struct {
	Name string
	// Parent is the parent group's path ("/staff"); "" makes a top-level
	// group.
	Parent      string
	RealmRoles  []string
	ClientRoles map[string][]string
	Attributes  map[string][]string
}

func secondsOr(d time.Duration, def int) int {
	if d <= 0 {
		return def
	}
	return max(1, int(d/time.Second))
}

// initMaster creates the master realm and the bootstrap admin.
func (s *Server) initMaster() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	rm, err := s.newRealm("master")
	if err != nil {
		return err
	}
	createRealm := rm.addRealmRole("create-realm", "${role_create-realm}")
	admin := rm.addRealmRole("admin", "${role_admin}", createRealm)
	mgmt := rm.findClientByClientID("master-realm")
	for _, r := range mgmt.roles {
		admin.addComposite(r)
	}
	s.realms["master"] = rm
	if s.adminUser != "" {
		u := rm.newUserModel(s.adminUser, s.now().UnixMilli())
		u.setPassword(s.adminPass, false)
		u.attributes["is_temporary_admin"] = []string{"true"}
		u.addRole(admin)
		u.addRole(createRealm)
		rm.users[u.id] = u
	}
	return nil
}

// registerRealm adds rm to the store and gives master its <realm>-realm
// client, whose roles the master admin role includes. Callers hold s.mu.
func (s *Server) registerRealm(rm *realm) error {
	if _, dup := s.realms[rm.name]; dup {
		return fmt.Errorf("kctest: realm %q already exists", rm.name)
	}
	s.realms[rm.name] = rm
	master := s.realms["master"]
	if master == nil || rm.name == "master" {
		return nil
	}
	// RealmManager.setupMasterAdminManagement: a management client without
	// protocol.
	c := master.newClientModel(rm.name + "-realm")
	c.name = rm.name + " Realm"
	c.protocol = ""
	c.nodeReRegistrationTimeout = 0
	c.standardFlow = true
	c.bearerOnly = true
	c.fullScopeAllowed = false
	c.attributes["realm_client"] = "true"
	c.defaultClientScopes = master.oidcScopeNames([]string{"web-origins", "acr", "roles", "profile", "basic", "email"})
	c.optionalClientScopes = master.oidcScopeNames([]string{"address", "phone", "offline_access", "organization", "microprofile-jwt"})
	master.clients[c.id] = c
	master.addManagementRoles(c, false)
	if admin := master.roles["admin"]; admin != nil {
		for _, r := range c.roles {
			admin.addComposite(r)
		}
	}
	return nil
}

// realmNamed returns the realm or an error. Callers hold s.mu.
func (s *Server) realmNamed(name string) (*realm, error) {
	rm := s.realms[name]
	if rm == nil {
		return nil, fmt.Errorf("kctest: realm %q not found", name)
	}
	return rm, nil
}

// AddRealm creates a realm with Keycloak's fresh-realm contents and returns
// its id.
func (s *Server) AddRealm(r Realm) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, dup := s.realms[r.Name]; dup {
		return "", fmt.Errorf("kctest: realm %q already exists", r.Name)
	}
	rm, err := s.newRealm(r.Name)
	if err != nil {
		return "", err
	}
	rm.displayName = r.DisplayName
	if r.Enabled != nil {
		rm.enabled = *r.Enabled
	}
	rm.accessTokenLifespan = secondsOr(r.AccessTokenLifespan, rm.accessTokenLifespan)
	rm.ssoSessionIdleTimeout = secondsOr(r.SSOSessionIdleTimeout, rm.ssoSessionIdleTimeout)
	rm.ssoSessionMaxLifespan = secondsOr(r.SSOSessionMaxLifespan, rm.ssoSessionMaxLifespan)
	rm.deviceCodeLifespan = secondsOr(r.DeviceCodeLifespan, rm.deviceCodeLifespan)
	rm.devicePollingInterval = secondsOr(r.DevicePollingInterval, rm.devicePollingInterval)
	if err := s.registerRealm(rm); err != nil {
		return "", err
	}
	return rm.id, nil
}

// AddUser creates a user in realm and returns its id.
func (s *Server) AddUser(realmName string, u User) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rm, err := s.realmNamed(realmName)
	if err != nil {
		return "", err
	}
	if u.Username == "" {
		return "", errors.New("kctest: user name is missing")
	}
	if rm.findUserByUsername(u.Username) != nil {
		return "", fmt.Errorf("kctest: user %q already exists in realm %q", u.Username, realmName)
	}
	m := rm.newUserModel(u.Username, s.now().UnixMilli())
	m.email, m.firstName, m.lastName, m.emailVerified = u.Email, u.FirstName, u.LastName, u.EmailVerified
	if u.Enabled != nil {
		m.enabled = *u.Enabled
	}
	for k, v := range u.Attributes {
		m.attributes[k] = slices.Clone(v)
	}
	m.requiredActions = append(m.requiredActions, u.RequiredActions...)
	if u.Password != "" {
		m.setPassword(u.Password, false)
	}
	if err := rm.applyMappings(u.RealmRoles, u.ClientRoles, m.addRole); err != nil {
		return "", err
	}
	for _, p := range u.Groups {
		g := rm.findGroupByPath(p)
		if g == nil {
			return "", fmt.Errorf("kctest: group %q not found in realm %q", p, realmName)
		}
		m.joinGroup(g)
	}
	rm.users[m.id] = m
	return m.id, nil
}

// applyMappings resolves realm and client role names (creating missing
// roles of existing clients) and passes each role to add.
func (rm *realm) applyMappings(realmRoles []string, clientRoles map[string][]string, add func(*role)) error {
	for _, n := range realmRoles {
		r, err := rm.realmRole(n, true)
		if err != nil {
			return err
		}
		add(r)
	}
	for cid, names := range clientRoles {
		for _, n := range names {
			r, err := rm.clientRole(cid, n, true)
			if err != nil {
				return err
			}
			add(r)
		}
	}
	return nil
}

// AddClient creates a client in realm and returns its id (UUID). See
// [Client] for the defaults.
func (s *Server) AddClient(realmName string, c Client) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rm, err := s.realmNamed(realmName)
	if err != nil {
		return "", err
	}
	if c.ClientID == "" {
		return "", errors.New("kctest: client id is missing")
	}
	if rm.findClientByClientID(c.ClientID) != nil {
		return "", fmt.Errorf("kctest: client %q already exists in realm %q", c.ClientID, realmName)
	}
	m := rm.newClientModel(c.ClientID)
	m.name = c.Name
	m.publicClient = c.Public
	m.bearerOnly = c.BearerOnly
	for k, v := range c.Attributes {
		m.attributes[k] = v
	}
	m.standardFlow, m.directAccessGrants = c.StandardFlow, c.DirectAccessGrants
	wantSA := c.ServiceAccounts
	if !c.StandardFlow && !c.DirectAccessGrants && !c.ServiceAccounts && !c.BearerOnly {
		m.standardFlow, m.directAccessGrants = true, true
		wantSA = !c.Public
		if _, set := m.attributes["oauth2.device.authorization.grant.enabled"]; !set {
			m.attributes["oauth2.device.authorization.grant.enabled"] = "true"
		}
	}
	if !m.publicClient {
		m.secret = c.Secret
		if m.secret == "" {
			m.secret = randomSecret(32)
		}
	}
	m.redirectURIs = slices.Clone(c.RedirectURIs)
	if len(m.redirectURIs) == 0 {
		m.redirectURIs = []string{"*"}
	}
	m.webOrigins = slices.Clone(c.WebOrigins)
	m.defaultClientScopes = slices.Clone(c.DefaultClientScopes)
	if m.defaultClientScopes == nil {
		m.defaultClientScopes = rm.oidcScopeNames(rm.defaultScopes)
	}
	m.optionalClientScopes = slices.Clone(c.OptionalClientScopes)
	if m.optionalClientScopes == nil {
		m.optionalClientScopes = rm.oidcScopeNames(rm.optionalScopes)
	}
	withSA := wantSA && m.confidential() && !m.bearerOnly
	if len(c.ServiceAccountRealmRoles) > 0 || len(c.ServiceAccountClientRoles) > 0 {
		if !withSA && !c.AuthorizationServices {
			return "", fmt.Errorf("kctest: client %q: ServiceAccountRealmRoles and ServiceAccountClientRoles need a service account (a confidential client with ServiceAccounts)", c.ClientID)
		}
		for cid := range c.ServiceAccountClientRoles {
			if cid != c.ClientID && rm.findClientByClientID(cid) == nil {
				return "", fmt.Errorf("kctest: client %q: ServiceAccountClientRoles: client %q not found in realm %q", c.ClientID, cid, realmName)
			}
		}
	}
	rm.clients[m.id] = m
	now := s.now().UnixMilli()
	if withSA {
		rm.enableServiceAccount(m, now)
	}
	if c.AuthorizationServices {
		rm.enableAuthorization(m, now)
	}
	if sa := m.serviceAccountUser; sa != nil {
		if err := rm.applyMappings(c.ServiceAccountRealmRoles, c.ServiceAccountClientRoles, sa.addRole); err != nil {
			delete(rm.users, sa.id)
			delete(rm.clients, m.id)
			return "", err
		}
	}
	return m.id, nil
}

// ClientSecret returns the secret of a confidential client.
func (s *Server) ClientSecret(realmName, clientID string) (string, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	rm, err := s.realmNamed(realmName)
	if err != nil {
		return "", err
	}
	c := rm.findClientByClientID(clientID)
	if c == nil {
		return "", fmt.Errorf("kctest: client %q not found in realm %q", clientID, realmName)
	}
	return c.secret, nil
}

// AddRealmRole creates a realm role and returns its id.
func (s *Server) AddRealmRole(realmName string, r Role) (string, error) {
	return s.addRole(realmName, "", r)
}

// AddClientRole creates a role of the client clientID and returns its id.
func (s *Server) AddClientRole(realmName, clientID string, r Role) (string, error) {
	return s.addRole(realmName, clientID, r)
}

// addRole creates r in the realm, or in its client clientID when that is
// not empty.
func (s *Server) addRole(realmName, clientID string, r Role) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rm, err := s.realmNamed(realmName)
	if err != nil {
		return "", err
	}
	roles, where, add := rm.roles, fmt.Sprintf("realm %q", realmName), rm.addRealmRole
	if clientID != "" {
		c := rm.findClientByClientID(clientID)
		if c == nil {
			return "", fmt.Errorf("kctest: client %q not found in realm %q", clientID, realmName)
		}
		roles, where, add = c.roles, fmt.Sprintf("client %q", clientID), c.addRole
	}
	if r.Name == "" {
		return "", errors.New("kctest: role name is missing")
	}
	if roles[r.Name] != nil {
		return "", fmt.Errorf("kctest: role %q already exists in %s", r.Name, where)
	}
	comps, err := rm.resolveRoleRefs(r.Composites)
	if err != nil {
		return "", err
	}
	m := add(r.Name, r.Description, comps...)
	for k, v := range r.Attributes {
		m.attributes[k] = slices.Clone(v)
	}
	return m.id, nil
}

func (rm *realm) resolveRoleRefs(refs []string) ([]*role, error) {
	var out []*role
	for _, ref := range refs {
		r, err := rm.parseRoleRef(ref, false)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

// AddGroup creates a group and returns its id.
func (s *Server) AddGroup(realmName string, g Group) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rm, err := s.realmNamed(realmName)
	if err != nil {
		return "", err
	}
	var parent *group
	if g.Parent != "" && g.Parent != "/" {
		if parent = rm.findGroupByPath(g.Parent); parent == nil {
			return "", fmt.Errorf("kctest: group %q not found in realm %q", g.Parent, realmName)
		}
	}
	m, err := rm.addGroupModel(g.Name, parent)
	if err != nil {
		return "", err
	}
	for k, v := range g.Attributes {
		m.attributes[k] = slices.Clone(v)
	}
	if err := rm.applyMappings(g.RealmRoles, g.ClientRoles, m.addRole); err != nil {
		rm.removeGroup(m)
		return "", err
	}
	return m.id, nil
}

// SetUserEnabled enables or disables a user. Disabling ends the user's
// sessions' validity: their tokens stop working.
func (s *Server) SetUserEnabled(realmName, username string, enabled bool) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	rm, err := s.realmNamed(realmName)
	if err != nil {
		return err
	}
	u := rm.findUserByUsername(username)
	if u == nil {
		return fmt.Errorf("kctest: user %q not found in realm %q", username, realmName)
	}
	u.enabled = enabled
	return nil
}

// UserID returns the id of a user, for comparing with a token's sub.
func (s *Server) UserID(realmName, username string) (string, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	rm, err := s.realmNamed(realmName)
	if err != nil {
		return "", err
	}
	u := rm.findUserByUsername(username)
	if u == nil {
		return "", fmt.Errorf("kctest: user %q not found in realm %q", username, realmName)
	}
	return u.id, nil
}
