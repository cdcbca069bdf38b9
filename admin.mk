# Admin REST API coverage: the operations of Keycloak's OpenAPI description
# that package admin documents with a "Keycloak: METHOD /path" line.
# Include from the Makefile with: include admin.mk
ADMIN_OPENAPI ?= ../shared/reference/keycloak-admin-openapi.json

.PHONY: coverage-admin
coverage-admin:
	go run ./internal/cmd/coverage-admin $(ADMIN_OPENAPI)
