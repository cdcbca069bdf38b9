package fixture

import "context"

// S is a service.
type S struct{}

// List lists.
//
// Keycloak: GET /admin/realms/{realm}/users
func (S) List(ctx context.Context) {}

// Forgot calls the server but names no operation.
func (S) Forgot(ctx context.Context) {}

// Local takes no context: not a call, not checked.
func (S) Local() {}
