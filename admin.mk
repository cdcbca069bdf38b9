# Admin REST API coverage: the operations of Keycloak 26.6's Admin OpenAPI
# description (committed as facts in internal/cmd/coverage-admin/operations.txt)
# and the admin endpoints outside it (outside.txt) that package admin documents
# with a "Keycloak: METHOD /path" line. Works on a fresh clone; fails when a
# documented line names no Keycloak operation or a service method names none.
# Then the service methods that package admin's tests (against kctest) run.
# Regenerate the list: KEYCLOAK_ADMIN_OPENAPI=path go generate ./internal/cmd/coverage-admin
.PHONY: coverage-admin
coverage-admin:
	@echo "coverage-admin: 1/2 counting documented operations against the committed list"
	go run ./internal/cmd/coverage-admin
	@echo "coverage-admin: 2/2 running package admin's tests against kctest (about a minute) to count the methods they run"
	go test -count=1 -skip "$$(go run ./internal/cmd/coverage-admin -fake-server-tests)" -coverprofile=admin.cover ./keycloak/admin >/dev/null
	go run ./internal/cmd/coverage-admin -called admin.cover
