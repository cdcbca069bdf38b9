package benchmarks

import "testing"

// kcExpiry is kc's managed client-credentials TokenSource; not there until
// package oidc has one.
func kcExpiry(tb testing.TB, e *expiryServer) (expirySide, bool) {
	return expirySide{}, false
}
