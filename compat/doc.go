// Package compat checks that third-party Keycloak clients work against
// kctest and cmd/kcdev: coreos/go-oidc, golang.org/x/oauth2,
// golang-jwt/jwt and go-jose, and nothing of kc but the servers. It is a
// module of its own so that these dependencies stay out of kc's go.mod.
//
// Run it with: cd compat && go test -race ./...
package compat
