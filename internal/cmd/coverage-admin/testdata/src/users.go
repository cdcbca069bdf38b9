package fixture

// List lists.
//
// Keycloak: GET /admin/realms/{realm}/users
func List() {}

// Get gets.
//
//	Keycloak: GET /admin/realms/{realm}/users/{user-id}
//	Keycloak: DELETE /admin/realms/{realm}/users/{user-id}
func Get() {}
