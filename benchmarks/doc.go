// Package benchmarks measures kc against the libraries Go programs use
// instead: coreos/go-oidc and golang-jwt for token verification,
// golang.org/x/oauth2 for token requests, plain net/http for the Admin
// REST API. It is a module of its own so that kc's go.mod lists none of
// them. Run it with
//
//	cd benchmarks && go test -run '^$' -bench . -benchmem -count 6 ./...
//
// The results are in BENCHMARKS.md at the root of the repository.
// gocloak is compared from a checkout of its source, outside this module:
// see gocloak.sh and gocloak/list_gocloak_test.go.
package benchmarks
