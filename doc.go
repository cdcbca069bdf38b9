// Package kc holds what every kc API package shares: the [Option] type and
// the common options, the [APIError] type and its sentinels, and the token
// types.
//
// Start from [github.com/kcgo/kc/keycloak.NewRealm].
package kc
