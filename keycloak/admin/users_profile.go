package admin

import "context"

// UserProfileConfig is a UPConfig: the realm's user-profile schema. With
// UnmanagedAttributePolicy unset (Keycloak's default since 24), attributes
// the schema does not declare are neither saved nor shown through the
// admin API; "ENABLED" keeps them, "ADMIN_EDIT" lets admins edit them,
// "ADMIN_VIEW" lets admins see them.
type UserProfileConfig struct {
	Attributes               []UserProfileAttribute `json:"attributes,omitempty"`
	Groups                   []UserProfileGroup     `json:"groups,omitempty"`
	UnmanagedAttributePolicy string                 `json:"unmanagedAttributePolicy,omitempty"`

	Extra Extra `json:"-"`
}

type plainUserProfileConfig UserProfileConfig

// MarshalJSON encodes the configuration with its Extra fields.
func (c UserProfileConfig) MarshalJSON() ([]byte, error) {
	return marshalWithExtra((*plainUserProfileConfig)(&c), c.Extra)
}

// UnmarshalJSON decodes the configuration and keeps unknown fields in
// Extra.
func (c *UserProfileConfig) UnmarshalJSON(b []byte) error {
	return decodeInto(b, (*plainUserProfileConfig)(c), &c.Extra)
}

func (p *plainUserProfileConfig) rep() *UserProfileConfig { return (*UserProfileConfig)(p) }
func (p *plainUserProfileConfig) extra() *Extra           { return &p.Extra }

// UserProfileAttribute is a UPAttribute: one attribute of the schema.
type UserProfileAttribute struct {
	Name         string                           `json:"name"`
	DisplayName  string                           `json:"displayName,omitempty"`
	Validations  map[string]map[string]any        `json:"validations,omitempty"`
	Annotations  map[string]any                   `json:"annotations,omitempty"`
	Required     *UserProfileAttributeRequired    `json:"required,omitempty"`
	Permissions  *UserProfileAttributePermissions `json:"permissions,omitempty"`
	Selector     *UserProfileAttributeSelector    `json:"selector,omitempty"`
	Group        string                           `json:"group,omitempty"`
	Multivalued  bool                             `json:"multivalued,omitempty"`
	DefaultValue string                           `json:"defaultValue,omitempty"`
}

// UserProfileAttributeRequired says for whom and in which scopes an
// attribute is required.
type UserProfileAttributeRequired struct {
	Roles  []string `json:"roles,omitempty"`
	Scopes []string `json:"scopes,omitempty"`
}

// UserProfileAttributePermissions says who may view and edit an attribute
// ("admin", "user").
type UserProfileAttributePermissions struct {
	View []string `json:"view,omitempty"`
	Edit []string `json:"edit,omitempty"`
}

// UserProfileAttributeSelector limits an attribute to some client scopes.
type UserProfileAttributeSelector struct {
	Scopes []string `json:"scopes,omitempty"`
}

// UserProfileGroup is a UPGroup: a heading attributes are shown under.
type UserProfileGroup struct {
	Name               string         `json:"name"`
	DisplayHeader      string         `json:"displayHeader,omitempty"`
	DisplayDescription string         `json:"displayDescription,omitempty"`
	Annotations        map[string]any `json:"annotations,omitempty"`
}

// UserProfileMetadata is the UserProfileMetadata of the admin context: the
// attributes an admin sees, with their validators.
type UserProfileMetadata struct {
	Attributes []UserProfileAttributeMetadata `json:"attributes,omitempty"`
	Groups     []UserProfileGroup             `json:"groups,omitempty"`
}

// UserProfileAttributeMetadata is a UserProfileAttributeMetadata.
type UserProfileAttributeMetadata struct {
	Name         string                    `json:"name"`
	DisplayName  string                    `json:"displayName,omitempty"`
	Required     bool                      `json:"required"`
	ReadOnly     bool                      `json:"readOnly"`
	Annotations  map[string]any            `json:"annotations,omitempty"`
	Validators   map[string]map[string]any `json:"validators,omitempty"`
	Group        string                    `json:"group,omitempty"`
	Multivalued  bool                      `json:"multivalued"`
	DefaultValue string                    `json:"defaultValue,omitempty"`
}

// Profile returns the realm's user-profile configuration.
//
// Keycloak: GET /admin/realms/{realm}/users/profile
func (s *UsersService) Profile(ctx context.Context) (*UserProfileConfig, error) {
	if err := need("realm", s.realm); err != nil {
		return nil, err
	}
	return fetch[UserProfileConfig](ctx, s.c, "GET", s.path("users", "profile"), nil, nil)
}

// UpdateProfile replaces the realm's user-profile configuration and
// returns it as stored. Change a configuration read with Profile: the
// four root attributes (username, email, firstName, lastName) must stay.
//
// Keycloak: PUT /admin/realms/{realm}/users/profile
func (s *UsersService) UpdateProfile(ctx context.Context, cfg *UserProfileConfig) (*UserProfileConfig, error) {
	if err := need("realm", s.realm); err != nil {
		return nil, err
	}
	if err := needBody("user profile configuration", cfg); err != nil {
		return nil, err
	}
	return fetch[UserProfileConfig](ctx, s.c, "PUT", s.path("users", "profile"), nil, cfg)
}

// ProfileMetadata returns the user-profile metadata of the admin context.
//
// Keycloak: GET /admin/realms/{realm}/users/profile/metadata
func (s *UsersService) ProfileMetadata(ctx context.Context) (*UserProfileMetadata, error) {
	if err := need("realm", s.realm); err != nil {
		return nil, err
	}
	return fetch[UserProfileMetadata](ctx, s.c, "GET", s.path("users", "profile", "metadata"), nil, nil)
}
