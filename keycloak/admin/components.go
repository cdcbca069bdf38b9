package admin

import "context"

// ComponentsService manages the components of a realm: key providers,
// the user-profile configuration, client-registration policies, user
// storage providers and their mappers, each a provider of some type with
// a configuration.
type ComponentsService struct{ base }

// Provider types of the components Keycloak keeps in every realm.
const (
	// KeyProviderType is the type of key providers (rsa-generated,
	// rsa-enc-generated, hmac-generated, aes-generated, rsa, java-keystore,
	// ...): the active key with the highest priority signs.
	KeyProviderType = "org.keycloak.keys.KeyProvider"
	// UserProfileProviderType is the type of the user-profile component,
	// whose config "kc.user.profile.config" holds the configuration
	// UsersService.Profile reads.
	UserProfileProviderType = "org.keycloak.userprofile.UserProfileProvider"
	// ClientRegistrationPolicyType is the type of client-registration
	// policies (SubType "anonymous" or "authenticated").
	ClientRegistrationPolicyType = "org.keycloak.services.clientregistration.policy.ClientRegistrationPolicy"
	// UserStorageProviderType is the type of user storage providers (LDAP,
	// Kerberos, custom).
	UserStorageProviderType = "org.keycloak.storage.UserStorageProvider"
)

// Component is a ComponentRepresentation. Config values are lists, as
// Keycloak keeps them; a secret reads as "**********", and sending that
// back in an update keeps the secret.
type Component struct {
	ID           string              `json:"id,omitempty"`
	Name         string              `json:"name,omitempty"`
	ProviderID   string              `json:"providerId,omitempty"`   // e.g. "rsa-generated"
	ProviderType string              `json:"providerType,omitempty"` // e.g. KeyProviderType
	ParentID     string              `json:"parentId,omitempty"`     // the realm's id, or a parent component's
	SubType      string              `json:"subType,omitempty"`
	Config       map[string][]string `json:"config,omitempty"`
}

// ComponentListOptions are the query parameters of ComponentsService.List.
// With none set, every component of the realm is listed; Type alone lists
// the realm's direct components of that type.
type ComponentListOptions struct {
	Name   string // exact name
	Parent string // the parent's id (the realm's id for top-level components)
	Type   string // provider type, e.g. KeyProviderType
}

// List returns the realm's components that match opts.
//
// Keycloak: GET /admin/realms/{realm}/components
func (s *ComponentsService) List(ctx context.Context, opts *ComponentListOptions) ([]Component, error) {
	if err := need("realm", s.realm); err != nil {
		return nil, err
	}
	q := query{}
	if opts != nil {
		q.str("name", opts.Name)
		q.str("parent", opts.Parent)
		q.str("type", opts.Type)
	}
	var out []Component
	_, err := s.c.do(ctx, "GET", s.path("components"), q.values(), nil, &out)
	return out, err
}

// Get returns component id.
//
// Keycloak: GET /admin/realms/{realm}/components/{id}
func (s *ComponentsService) Get(ctx context.Context, id string) (*Component, error) {
	if err := need("realm", s.realm, "id", id); err != nil {
		return nil, err
	}
	return fetch[Component](ctx, s.c, "GET", s.path("components", id), nil, nil)
}

// Create creates component c (ProviderID and ProviderType required;
// ParentID defaults to the realm) and returns its ID. A key provider
// created here takes part in signing at once: an active rsa-generated
// provider with a higher priority than the others signs the next tokens.
//
// Keycloak: POST /admin/realms/{realm}/components
func (s *ComponentsService) Create(ctx context.Context, c *Component) (string, error) {
	if err := need("realm", s.realm); err != nil {
		return "", err
	}
	if err := needBody("component", c); err != nil {
		return "", err
	}
	if err := need("providerID", c.ProviderID, "providerType", c.ProviderType); err != nil {
		return "", err
	}
	return s.c.create(ctx, s.path("components"), c)
}

// Update changes component id. Config values sent replace the old ones; a
// value of "**********" keeps a secret as it was.
//
// Keycloak: PUT /admin/realms/{realm}/components/{id}
func (s *ComponentsService) Update(ctx context.Context, id string, c *Component) error {
	if err := need("realm", s.realm, "id", id); err != nil {
		return err
	}
	if err := needBody("component", c); err != nil {
		return err
	}
	_, err := s.c.do(ctx, "PUT", s.path("components", id), nil, c, nil)
	return err
}

// Delete deletes component id and its sub-components.
//
// Keycloak: DELETE /admin/realms/{realm}/components/{id}
func (s *ComponentsService) Delete(ctx context.Context, id string) error {
	if err := need("realm", s.realm, "id", id); err != nil {
		return err
	}
	_, err := s.c.do(ctx, "DELETE", s.path("components", id), nil, nil, nil)
	return err
}

// SubComponentTypes returns the provider types that can be configured
// under component id as sub-components of providerType (for an LDAP
// provider, its mapper types).
//
// Keycloak: GET /admin/realms/{realm}/components/{id}/sub-component-types
func (s *ComponentsService) SubComponentTypes(ctx context.Context, id, providerType string) ([]ComponentType, error) {
	if err := need("realm", s.realm, "id", id, "providerType", providerType); err != nil {
		return nil, err
	}
	q := query{}
	q.str("type", providerType)
	var out []ComponentType
	_, err := s.c.do(ctx, "GET", s.path("components", id, "sub-component-types"), q.values(), nil, &out)
	return out, err
}
