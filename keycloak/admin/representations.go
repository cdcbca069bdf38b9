package admin

import "encoding/json"

// The representations below carry the JSON field names of Keycloak's
// Admin API schemas (UserRepresentation, ClientRepresentation, ...).
// Booleans, and strings that an update must be able to clear, are
// pointers with omitempty: nil is left out, kc.Ptr(false) and kc.Ptr("")
// are sent. Each top-level representation keeps the fields it does not
// declare in Extra, so a GET followed by an update sends them back.

// User is a UserRepresentation.
type User struct {
	ID                         string              `json:"id,omitempty"`
	Username                   string              `json:"username,omitempty"`
	FirstName                  *string             `json:"firstName,omitempty"`
	LastName                   *string             `json:"lastName,omitempty"`
	Email                      *string             `json:"email,omitempty"`
	EmailVerified              *bool               `json:"emailVerified,omitempty"`
	Enabled                    *bool               `json:"enabled,omitempty"`
	Totp                       *bool               `json:"totp,omitempty"`
	CreatedTimestamp           int64               `json:"createdTimestamp,omitempty"`
	FederationLink             string              `json:"federationLink,omitempty"`
	ServiceAccountClientID     string              `json:"serviceAccountClientId,omitempty"`
	Attributes                 map[string][]string `json:"attributes,omitempty"`
	RequiredActions            []string            `json:"requiredActions,omitempty"`
	Credentials                []Credential        `json:"credentials,omitempty"`
	DisableableCredentialTypes []string            `json:"disableableCredentialTypes,omitempty"`
	FederatedIdentities        []FederatedIdentity `json:"federatedIdentities,omitempty"`
	RealmRoles                 []string            `json:"realmRoles,omitempty"`
	ClientRoles                map[string][]string `json:"clientRoles,omitempty"`
	Groups                     []string            `json:"groups,omitempty"`
	NotBefore                  *int64              `json:"notBefore,omitempty"`
	Access                     map[string]bool     `json:"access,omitempty"`

	Extra Extra `json:"-"`
}

// GetEmail returns the e-mail address, or "" when it is not set.
func (u *User) GetEmail() string { return deref(u.Email) }

// GetFirstName returns the first name, or "".
func (u *User) GetFirstName() string { return deref(u.FirstName) }

// GetLastName returns the last name, or "".
func (u *User) GetLastName() string { return deref(u.LastName) }

// IsEnabled reports whether Enabled is set and true.
func (u *User) IsEnabled() bool { return u.Enabled != nil && *u.Enabled }

func deref[T any](p *T) T {
	if p == nil {
		var zero T
		return zero
	}
	return *p
}

type plainUser User

// MarshalJSON encodes the user with its Extra fields.
func (u User) MarshalJSON() ([]byte, error) {
	return marshalWithExtra((*plainUser)(&u), u.Extra)
}

// UnmarshalJSON decodes the user and keeps unknown fields in Extra.
func (u *User) UnmarshalJSON(b []byte) error {
	return decodeInto(b, (*plainUser)(u), &u.Extra)
}

func (p *plainUser) rep() *User    { return (*User)(p) }
func (p *plainUser) extra() *Extra { return &p.Extra }

// Credential is a CredentialRepresentation: a password to set, or a
// stored credential's metadata.
type Credential struct {
	ID             string `json:"id,omitempty"`
	Type           string `json:"type,omitempty"`
	UserLabel      string `json:"userLabel,omitempty"`
	CreatedDate    int64  `json:"createdDate,omitempty"`
	SecretData     string `json:"secretData,omitempty"`
	CredentialData string `json:"credentialData,omitempty"`
	Priority       int    `json:"priority,omitempty"`
	Value          string `json:"value,omitempty"`
	Temporary      *bool  `json:"temporary,omitempty"`
}

// FederatedIdentity is a FederatedIdentityRepresentation: a link to an
// account at an identity provider.
type FederatedIdentity struct {
	IdentityProvider string `json:"identityProvider,omitempty"`
	UserID           string `json:"userId,omitempty"`
	UserName         string `json:"userName,omitempty"`
}

// UserSession is a UserSessionRepresentation. Start and LastAccess are
// epoch milliseconds; Clients maps client UUIDs to client IDs.
type UserSession struct {
	ID            string            `json:"id,omitempty"`
	Username      string            `json:"username,omitempty"`
	UserID        string            `json:"userId,omitempty"`
	IPAddress     string            `json:"ipAddress,omitempty"`
	Start         int64             `json:"start,omitempty"`
	LastAccess    int64             `json:"lastAccess,omitempty"`
	RememberMe    bool              `json:"rememberMe,omitempty"`
	Clients       map[string]string `json:"clients,omitempty"`
	TransientUser bool              `json:"transientUser,omitempty"`
}

// UserConsent is a UserConsentRepresentation.
type UserConsent struct {
	ClientID            string   `json:"clientId,omitempty"`
	GrantedClientScopes []string `json:"grantedClientScopes,omitempty"`
	CreatedDate         int64    `json:"createdDate,omitempty"`
	LastUpdatedDate     int64    `json:"lastUpdatedDate,omitempty"`
}

// ClientApp is a Keycloak client (the Go name Client is the
// API client of this package).
type ClientApp struct {
	ID                           string            `json:"id,omitempty"`
	ClientID                     string            `json:"clientId,omitempty"`
	Name                         *string           `json:"name,omitempty"`
	Description                  *string           `json:"description,omitempty"`
	RootURL                      *string           `json:"rootUrl,omitempty"`
	AdminURL                     *string           `json:"adminUrl,omitempty"`
	BaseURL                      *string           `json:"baseUrl,omitempty"`
	Enabled                      *bool             `json:"enabled,omitempty"`
	AlwaysDisplayInConsole       *bool             `json:"alwaysDisplayInConsole,omitempty"`
	ClientAuthenticatorType      string            `json:"clientAuthenticatorType,omitempty"`
	Secret                       string            `json:"secret,omitempty"`
	RedirectURIs                 []string          `json:"redirectUris,omitempty"`
	WebOrigins                   []string          `json:"webOrigins,omitempty"`
	NotBefore                    *int64            `json:"notBefore,omitempty"`
	BearerOnly                   *bool             `json:"bearerOnly,omitempty"`
	ConsentRequired              *bool             `json:"consentRequired,omitempty"`
	StandardFlowEnabled          *bool             `json:"standardFlowEnabled,omitempty"`
	ImplicitFlowEnabled          *bool             `json:"implicitFlowEnabled,omitempty"`
	DirectAccessGrantsEnabled    *bool             `json:"directAccessGrantsEnabled,omitempty"`
	ServiceAccountsEnabled       *bool             `json:"serviceAccountsEnabled,omitempty"`
	AuthorizationServicesEnabled *bool             `json:"authorizationServicesEnabled,omitempty"`
	PublicClient                 *bool             `json:"publicClient,omitempty"`
	FrontchannelLogout           *bool             `json:"frontchannelLogout,omitempty"`
	Protocol                     string            `json:"protocol,omitempty"`
	Attributes                   map[string]string `json:"attributes,omitempty"`
	FullScopeAllowed             *bool             `json:"fullScopeAllowed,omitempty"`
	ProtocolMappers              []ProtocolMapper  `json:"protocolMappers,omitempty"`
	DefaultClientScopes          []string          `json:"defaultClientScopes,omitempty"`
	OptionalClientScopes         []string          `json:"optionalClientScopes,omitempty"`
	Access                       map[string]bool   `json:"access,omitempty"`

	Extra Extra `json:"-"`
}

type plainClient ClientApp

// MarshalJSON encodes the client with its Extra fields.
func (c ClientApp) MarshalJSON() ([]byte, error) {
	return marshalWithExtra((*plainClient)(&c), c.Extra)
}

// UnmarshalJSON decodes the client and keeps unknown fields in Extra.
func (c *ClientApp) UnmarshalJSON(b []byte) error {
	return decodeInto(b, (*plainClient)(c), &c.Extra)
}

func (p *plainClient) rep() *ClientApp { return (*ClientApp)(p) }
func (p *plainClient) extra() *Extra   { return &p.Extra }

// Role is a RoleRepresentation: a realm role, or a client role when
// ClientRole is true (ContainerID is then the client's UUID).
type Role struct {
	ID          string              `json:"id,omitempty"`
	Name        string              `json:"name,omitempty"`
	Description *string             `json:"description,omitempty"`
	Composite   bool                `json:"composite,omitempty"`
	Composites  *RoleComposites     `json:"composites,omitempty"`
	ClientRole  bool                `json:"clientRole,omitempty"`
	ContainerID string              `json:"containerId,omitempty"`
	Attributes  map[string][]string `json:"attributes,omitempty"`

	Extra Extra `json:"-"`
}

type plainRole Role

// MarshalJSON encodes the role with its Extra fields.
func (r Role) MarshalJSON() ([]byte, error) {
	return marshalWithExtra((*plainRole)(&r), r.Extra)
}

// UnmarshalJSON decodes the role and keeps unknown fields in Extra.
func (r *Role) UnmarshalJSON(b []byte) error {
	return decodeInto(b, (*plainRole)(r), &r.Extra)
}

func (p *plainRole) rep() *Role    { return (*Role)(p) }
func (p *plainRole) extra() *Extra { return &p.Extra }

// RoleComposites is the Composites schema: the names of a composite
// role's realm roles and, by client ID, client roles.
type RoleComposites struct {
	Realm  []string            `json:"realm,omitempty"`
	Client map[string][]string `json:"client,omitempty"`
}

// Group is a GroupRepresentation.
type Group struct {
	ID            string              `json:"id,omitempty"`
	Name          string              `json:"name,omitempty"`
	Description   *string             `json:"description,omitempty"`
	Path          string              `json:"path,omitempty"`
	ParentID      string              `json:"parentId,omitempty"`
	SubGroupCount *int64              `json:"subGroupCount,omitempty"`
	SubGroups     []Group             `json:"subGroups,omitempty"`
	Attributes    map[string][]string `json:"attributes,omitempty"`
	RealmRoles    []string            `json:"realmRoles,omitempty"`
	ClientRoles   map[string][]string `json:"clientRoles,omitempty"`
	Access        map[string]bool     `json:"access,omitempty"`

	Extra Extra `json:"-"`
}

type plainGroup Group

// MarshalJSON encodes the group with its Extra fields.
func (g Group) MarshalJSON() ([]byte, error) {
	return marshalWithExtra((*plainGroup)(&g), g.Extra)
}

// UnmarshalJSON decodes the group and keeps unknown fields in Extra.
func (g *Group) UnmarshalJSON(b []byte) error {
	return decodeInto(b, (*plainGroup)(g), &g.Extra)
}

func (p *plainGroup) rep() *Group   { return (*Group)(p) }
func (p *plainGroup) extra() *Extra { return &p.Extra }

// ClientScope is a ClientScopeRepresentation.
type ClientScope struct {
	ID              string            `json:"id,omitempty"`
	Name            string            `json:"name,omitempty"`
	Description     *string           `json:"description,omitempty"`
	Protocol        string            `json:"protocol,omitempty"`
	Attributes      map[string]string `json:"attributes,omitempty"`
	ProtocolMappers []ProtocolMapper  `json:"protocolMappers,omitempty"`

	Extra Extra `json:"-"`
}

type plainClientScope ClientScope

// MarshalJSON encodes the client scope with its Extra fields.
func (s ClientScope) MarshalJSON() ([]byte, error) {
	return marshalWithExtra((*plainClientScope)(&s), s.Extra)
}

// UnmarshalJSON decodes the client scope and keeps unknown fields in Extra.
func (s *ClientScope) UnmarshalJSON(b []byte) error {
	return decodeInto(b, (*plainClientScope)(s), &s.Extra)
}

func (p *plainClientScope) rep() *ClientScope { return (*ClientScope)(p) }
func (p *plainClientScope) extra() *Extra     { return &p.Extra }

// ProtocolMapper is a ProtocolMapperRepresentation, such as an
// "oidc-usermodel-attribute-mapper" with its Config.
type ProtocolMapper struct {
	ID              string            `json:"id,omitempty"`
	Name            string            `json:"name,omitempty"`
	Protocol        string            `json:"protocol,omitempty"`
	ProtocolMapper  string            `json:"protocolMapper,omitempty"`
	ConsentRequired *bool             `json:"consentRequired,omitempty"`
	ConsentText     string            `json:"consentText,omitempty"`
	Config          map[string]string `json:"config,omitempty"`
}

// Mappings is a MappingsRepresentation: realm roles and, by client ID,
// client roles mapped to a user, a group or a scope.
type Mappings struct {
	RealmMappings  []Role                    `json:"realmMappings,omitempty"`
	ClientMappings map[string]ClientMappings `json:"clientMappings,omitempty"`
}

// ClientMappings is a ClientMappingsRepresentation: one client's roles.
type ClientMappings struct {
	ID       string `json:"id,omitempty"`     // client UUID
	Client   string `json:"client,omitempty"` // client ID
	Mappings []Role `json:"mappings,omitempty"`
}

// Realm is a RealmRepresentation with its common fields; the others are
// kept in Extra.
type Realm struct {
	ID                          string  `json:"id,omitempty"`
	Realm                       string  `json:"realm,omitempty"`
	DisplayName                 *string `json:"displayName,omitempty"`
	DisplayNameHTML             *string `json:"displayNameHtml,omitempty"`
	Enabled                     *bool   `json:"enabled,omitempty"`
	SSLRequired                 string  `json:"sslRequired,omitempty"`
	NotBefore                   *int64  `json:"notBefore,omitempty"`
	AccessTokenLifespan         *int    `json:"accessTokenLifespan,omitempty"`
	AccessCodeLifespan          *int    `json:"accessCodeLifespan,omitempty"`
	AccessCodeLifespanLogin     *int    `json:"accessCodeLifespanLogin,omitempty"`
	SSOSessionIdleTimeout       *int    `json:"ssoSessionIdleTimeout,omitempty"`
	SSOSessionMaxLifespan       *int    `json:"ssoSessionMaxLifespan,omitempty"`
	OfflineSessionIdleTimeout   *int    `json:"offlineSessionIdleTimeout,omitempty"`
	RegistrationAllowed         *bool   `json:"registrationAllowed,omitempty"`
	RegistrationEmailAsUsername *bool   `json:"registrationEmailAsUsername,omitempty"`
	RememberMe                  *bool   `json:"rememberMe,omitempty"`
	VerifyEmail                 *bool   `json:"verifyEmail,omitempty"`
	LoginWithEmailAllowed       *bool   `json:"loginWithEmailAllowed,omitempty"`
	DuplicateEmailsAllowed      *bool   `json:"duplicateEmailsAllowed,omitempty"`
	ResetPasswordAllowed        *bool   `json:"resetPasswordAllowed,omitempty"`
	EditUsernameAllowed         *bool   `json:"editUsernameAllowed,omitempty"`
	BruteForceProtected         *bool   `json:"bruteForceProtected,omitempty"`
	// The brute-force detection settings (DefaultBruteForceProtector).
	PermanentLockout             *bool             `json:"permanentLockout,omitempty"`
	MaxTemporaryLockouts         *int              `json:"maxTemporaryLockouts,omitempty"`
	BruteForceStrategy           *string           `json:"bruteForceStrategy,omitempty"` // MULTIPLE (the default) or LINEAR
	FailureFactor                *int              `json:"failureFactor,omitempty"`      // failures before a lockout
	WaitIncrementSeconds         *int              `json:"waitIncrementSeconds,omitempty"`
	MaxFailureWaitSeconds        *int              `json:"maxFailureWaitSeconds,omitempty"`
	MinimumQuickLoginWaitSeconds *int              `json:"minimumQuickLoginWaitSeconds,omitempty"`
	QuickLoginCheckMilliSeconds  *int64            `json:"quickLoginCheckMilliSeconds,omitempty"`
	MaxDeltaTimeSeconds          *int              `json:"maxDeltaTimeSeconds,omitempty"` // failure reset time
	PasswordPolicy               *string           `json:"passwordPolicy,omitempty"`
	DefaultRole                  *Role             `json:"defaultRole,omitempty"`
	DefaultDefaultClientScopes   []string          `json:"defaultDefaultClientScopes,omitempty"`
	DefaultOptionalClientScopes  []string          `json:"defaultOptionalClientScopes,omitempty"`
	Attributes                   map[string]string `json:"attributes,omitempty"`

	Extra Extra `json:"-"`
}

type plainRealm Realm

// MarshalJSON encodes the realm with its Extra fields.
func (r Realm) MarshalJSON() ([]byte, error) {
	return marshalWithExtra((*plainRealm)(&r), r.Extra)
}

// UnmarshalJSON decodes the realm and keeps unknown fields in Extra.
func (r *Realm) UnmarshalJSON(b []byte) error {
	return decodeInto(b, (*plainRealm)(r), &r.Extra)
}

func (p *plainRealm) rep() *Realm   { return (*Realm)(p) }
func (p *plainRealm) extra() *Extra { return &p.Extra }

// ClientSecret is the answer of the client-secret endpoints.
type ClientSecret struct {
	Type  string `json:"type,omitempty"`
	Value string `json:"value,omitempty"`
}

// String hides the secret.
func (s ClientSecret) String() string {
	return "admin.ClientSecret{type=" + s.Type + ", value=REDACTED}"
}

// countBody is the {"count":n} answer.
type countBody struct {
	Count int `json:"count"`
}

var _ json.Marshaler = User{}
