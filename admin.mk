# Admin REST API coverage: the operations of Keycloak 26.6's Admin OpenAPI
# description (committed as facts in internal/cmd/coverage-admin/operations.txt)
# and the admin endpoints outside it (outside.txt) that package admin documents
# with a "Keycloak: METHOD /path" line. Works on a fresh clone; fails when a
# documented line names no Keycloak operation or a service method names none.
# Regenerate the list: KEYCLOAK_ADMIN_OPENAPI=path go generate ./internal/cmd/coverage-admin
.PHONY: coverage-admin
coverage-admin:
	@echo "coverage-admin: counting documented operations against the committed list"
	go run ./internal/cmd/coverage-admin
