package fixture

// Keycloak: POST /admin/realms/{realm}/users
