package oidc

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"
)

// TestTokenCacheExpiry: a remembered token still expires by the clock.
func TestTokenCacheExpiry(t *testing.T) {
	t.Parallel()
	op := newFakeOP(t)
	v := newTestVerifier(t, op, VerifierConfig{SkipAudienceCheck: true})
	tok := op.sign(op.accessClaims("alice", "app", "openid", ""))
	for range 2 {
		if _, err := v.Verify(t.Context(), tok); err != nil {
			t.Fatal(err)
		}
	}
	if n := v.cache.len(); n != 1 {
		t.Fatalf("cache holds %d tokens, want 1", n)
	}
	op.clock.Advance(24 * time.Hour)
	if _, err := v.Verify(t.Context(), tok); !errors.Is(err, ErrTokenExpired) {
		t.Errorf("after exp: err = %v, want ErrTokenExpired", err)
	}
}

// TestTokenCacheRotationDropsEntries: a token whose key left the set is
// not verified from the cache.
func TestTokenCacheRotationDropsEntries(t *testing.T) {
	t.Parallel()
	op := newFakeOP(t)
	v := newTestVerifier(t, op, VerifierConfig{SkipAudienceCheck: true, SkipExpiryCheck: true, MaxKeyAge: time.Hour})
	tok := op.sign(op.accessClaims("alice", "app", "openid", ""))
	if _, err := v.Verify(t.Context(), tok); err != nil {
		t.Fatal(err)
	}
	op.rotate(RS256, rsaKey(2))
	op.removeKey("key-a")
	op.clock.Advance(time.Hour)
	if _, err := v.Verify(t.Context(), tok); !errors.Is(err, ErrUnknownKey) {
		t.Errorf("removed key: err = %v, want ErrUnknownKey", err)
	}
	if n := v.cache.len(); n != 0 {
		t.Errorf("cache holds %d tokens after the key left, want 0", n)
	}
}

// TestTokenCacheMutationIsolation: changing returned claims changes no
// later hit.
func TestTokenCacheMutationIsolation(t *testing.T) {
	t.Parallel()
	op := newFakeOP(t)
	v := newTestVerifier(t, op, VerifierConfig{SkipAudienceCheck: true})
	tok := op.sign(op.accessClaims("alice", "app", "openid", ""))
	for range 3 {
		c, err := v.Verify(t.Context(), tok)
		if err != nil {
			t.Fatal(err)
		}
		if c.Subject == "x" || (len(c.Raw) > 0 && c.Raw[0] != '{') {
			t.Fatalf("a hit sees an earlier caller's change: %+v", c)
		}
		c.Subject = "x"
		if len(c.Raw) > 0 {
			c.Raw[0] = 'X'
		}
		for i := range c.Audience {
			c.Audience[i] = "x"
		}
		for i := range c.RealmAccess.Roles {
			c.RealmAccess.Roles[i] = "x"
		}
	}
}

// TestTokenCacheConcurrent: many goroutines, shared and distinct tokens,
// a tiny cache (-race).
func TestTokenCacheConcurrent(t *testing.T) {
	t.Parallel()
	op := newFakeOP(t)
	v := newTestVerifier(t, op, VerifierConfig{SkipAudienceCheck: true, TokenCacheSize: 4})
	var toks []string
	for i := range 8 {
		toks = append(toks, op.sign(op.accessClaims(fmt.Sprint("u", i), "app", "openid", "")))
	}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 50 {
				if _, err := v.Verify(t.Context(), toks[(g+i)%len(toks)]); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	if n := v.cache.len(); n > 4 {
		t.Errorf("cache of 4 holds %d", n)
	}
}
