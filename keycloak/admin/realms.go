package admin

import (
	"context"
)

// RealmsService manages realms. The token needs the master realm's admin
// role (or create-realm to create one).
type RealmsService struct{ c *core }

// RealmListOptions are the query parameters of RealmsService.List.
type RealmListOptions struct {
	// BriefRepresentation asks for the realms' names and IDs only.
	BriefRepresentation *bool
}

// List returns the realms the caller may see.
//
// Keycloak: GET /admin/realms
func (s *RealmsService) List(ctx context.Context, opts *RealmListOptions) ([]Realm, error) {
	q := query{}
	if opts != nil {
		q.boolp("briefRepresentation", opts.BriefRepresentation)
	}
	var out realmList
	_, err := s.c.do(ctx, "GET", []string{"admin", "realms"}, q.values(), nil, &out)
	return out, err
}

// Get returns realm name.
//
// Keycloak: GET /admin/realms/{realm}
func (s *RealmsService) Get(ctx context.Context, name string) (*Realm, error) {
	if err := need("realm", name); err != nil {
		return nil, err
	}
	return fetch[Realm](ctx, s.c, "GET", []string{"admin", "realms", name}, nil, nil)
}

// Create creates realm r (r.Realm is its name, required) and returns the
// name.
//
// Keycloak: POST /admin/realms
func (s *RealmsService) Create(ctx context.Context, r *Realm) (string, error) {
	if err := needBody("realm", r); err != nil {
		return "", err
	}
	if err := need("realm name", r.Realm); err != nil {
		return "", err
	}
	return s.c.create(ctx, []string{"admin", "realms"}, r)
}

// Update changes realm name: fields left nil keep their value.
//
// Keycloak: PUT /admin/realms/{realm}
func (s *RealmsService) Update(ctx context.Context, name string, r *Realm) error {
	if err := need("realm", name); err != nil {
		return err
	}
	if err := needBody("realm", r); err != nil {
		return err
	}
	_, err := s.c.do(ctx, "PUT", []string{"admin", "realms", name}, nil, r, nil)
	return err
}

// Delete deletes realm name with everything in it.
//
// Keycloak: DELETE /admin/realms/{realm}
func (s *RealmsService) Delete(ctx context.Context, name string) error {
	if err := need("realm", name); err != nil {
		return err
	}
	_, err := s.c.do(ctx, "DELETE", []string{"admin", "realms", name}, nil, nil, nil)
	return err
}
