package fixture

// Keycloak: GET /admin/realms/{realm}/user
func X() {}
