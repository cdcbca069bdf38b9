package fixture

import "context"

// S is a service.
type S struct{}

// Ran runs in a test.
//
// Keycloak: GET /admin/realms/{realm}/users
func (S) Ran(ctx context.Context) error {
	return nil
}

// NotRun runs in no test.
//
// Keycloak: POST /admin/realms/{realm}/users
func (S) NotRun(ctx context.Context) error {
	return nil
}

// Missing has no block in the profile.
//
// Keycloak: PUT /admin/realms/{realm}/users/{user-id}
func (*S) Missing(ctx context.Context) error {
	return nil
}

func (S) helper(ctx context.Context) error { return nil }
