# Admin REST API coverage: operations of Keycloak's OpenAPI description
# that package admin documents with a "Keycloak: METHOD /path" line.
# Include from the Makefile: include admin.mk
SPEC ?= ../shared/reference/keycloak-admin-openapi.json

.PHONY: coverage-admin
coverage-admin:
	go run ./internal/cmd/coverage-admin $(SPEC)
