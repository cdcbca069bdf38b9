package oidc

import (
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
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

// TestTokenCacheMutationIsolation: changing returned claims (fields,
// slice elements, the resource_access map, Raw) changes no later hit,
// whether they came from Verify or VerifyInto.
func TestTokenCacheMutationIsolation(t *testing.T) {
	t.Parallel()
	op := newFakeOP(t)
	v := newTestVerifier(t, op, VerifierConfig{SkipAudienceCheck: true})
	m := op.accessClaims("alice", "app", "openid", "")
	m["groups"] = []string{"/staff"}
	m["allowed-origins"] = []string{"https://app.example"}
	tok := op.sign(m)
	want, err := v.Verify(t.Context(), tok) // the miss
	if err != nil {
		t.Fatal(err)
	}
	want = want.clone()
	if want.ResourceAccess == nil || len(want.Groups) == 0 || len(want.AllowedOrigins) == 0 || len(want.Raw) == 0 {
		t.Fatalf("the token lacks a claim this test changes: %+v", want)
	}
	var into Claims
	for i := range 6 {
		c := &into
		if i%2 == 0 {
			if c, err = v.Verify(t.Context(), tok); err != nil {
				t.Fatal(err)
			}
		} else if err := v.VerifyInto(t.Context(), tok, c); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, c); diff != "" {
			t.Fatalf("call %d sees an earlier caller's change (-want +got):\n%s", i, diff)
		}
		mutateClaims(c)
	}
}

// mutateClaims changes everything a caller can reach in c.
func mutateClaims(c *Claims) {
	c.Subject = "x"
	c.Raw[0] = 'X'
	for _, s := range [][]string{c.Audience, c.RealmAccess.Roles, c.Groups, c.AllowedOrigins} {
		for i := range s {
			s[i] = "x"
		}
	}
	for k, a := range c.ResourceAccess {
		for i := range a.Roles {
			a.Roles[i] = "x"
		}
		c.ResourceAccess[k] = Access{Roles: []string{"admin"}}
	}
	c.ResourceAccess["realm-management"] = Access{Roles: []string{"manage-users"}}
}

// TestVerifyIntoReusesMemory: a remembered token verified again into the
// same Claims allocates nothing, and an error leaves dst as it was.
func TestVerifyIntoReusesMemory(t *testing.T) {
	op := newFakeOP(t)
	v := newTestVerifier(t, op, VerifierConfig{SkipAudienceCheck: true})
	tok := op.sign(op.accessClaims("alice", "app", "openid", ""))
	var c Claims
	if err := v.VerifyInto(t.Context(), tok, &c); err != nil {
		t.Fatal(err)
	}
	if err := v.VerifyInto(t.Context(), tok, &c); err != nil {
		t.Fatal(err)
	}
	want := c.clone()
	ctx := t.Context()
	if n := testing.AllocsPerRun(100, func() {
		if err := v.VerifyInto(ctx, tok, &c); err != nil {
			t.Fatal(err)
		}
	}); n != 0 {
		t.Errorf("VerifyInto of a remembered token: %v allocations, want 0", n)
	}
	if n := testing.AllocsPerRun(100, func() {
		if _, err := v.Verify(ctx, tok); err != nil {
			t.Fatal(err)
		}
	}); n > 3 {
		t.Errorf("Verify of a remembered token: %v allocations, want at most 3 (the claims, the resource_access map)", n)
	}
	if diff := cmp.Diff(want, &c); diff != "" {
		t.Errorf("claims (-want +got):\n%s", diff)
	}
	if err := v.VerifyInto(ctx, tok[:len(tok)-4]+"AAAA", &c); !errors.Is(err, ErrInvalidSignature) {
		t.Errorf("bad signature: err = %v, want ErrInvalidSignature", err)
	}
	if diff := cmp.Diff(want, &c); diff != "" {
		t.Errorf("an error changed dst (-want +got):\n%s", diff)
	}
	if err := v.VerifyInto(ctx, tok, nil); err == nil || !strings.Contains(err.Error(), "dst") {
		t.Errorf("nil dst: err = %v, want one naming dst", err)
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

// TestTokenCacheHitIsTheWholeToken: a remembered token's signature on
// another header or payload, or its header and payload with another
// signature, is no hit: it is verified, and refused. So too when every
// token has the same hash, which makes the comparison of the whole token
// the only thing between a made-up token and a remembered entry.
func TestTokenCacheHitIsTheWholeToken(t *testing.T) {
	t.Parallel()
	for _, collide := range []bool{false, true} {
		t.Run(fmt.Sprint("collide=", collide), func(t *testing.T) {
			t.Parallel()
			op := newFakeOP(t)
			v := newTestVerifier(t, op, VerifierConfig{SkipAudienceCheck: true})
			if collide {
				v.cache.hash = func(string) uint64 { return 7 }
			}
			good := op.sign(op.accessClaims("alice", "app", "openid", ""))
			other := op.sign(op.accessClaims("mallory", "app", "openid", ""))
			for _, tok := range []string{other, good, good} { // good remembered
				if _, err := v.Verify(t.Context(), tok); err != nil {
					t.Fatal(err)
				}
			}
			dot, otherDot := strings.LastIndexByte(good, '.'), strings.LastIndexByte(other, '.')
			payloadStart := strings.IndexByte(good, '.') + 1
			for name, tok := range map[string]string{
				"another payload, the same signature": other[:otherDot] + good[dot:],
				"the same payload, another signature": good[:dot] + other[otherDot:],
				"one payload byte changed":            good[:payloadStart] + flip(good[payloadStart]) + good[payloadStart+1:],
				"one signature byte changed":          good[:dot+1] + flip(good[dot+1]) + good[dot+2:],
				"the last byte changed":               good[:len(good)-1] + flip(good[len(good)-1]),
				"a trailing byte":                     good + "A",
				"the last byte missing":               good[:len(good)-1],
			} {
				var into Claims
				if _, err := v.Verify(t.Context(), tok); err == nil {
					t.Errorf("%s: Verify accepted it", name)
				}
				if err := v.VerifyInto(t.Context(), tok, &into); err == nil {
					t.Errorf("%s: VerifyInto accepted it", name)
				}
			}
			c, err := v.Verify(t.Context(), good)
			if err != nil || c.PreferredUsername != "alice" {
				t.Errorf("the remembered token after the others: %v, %v", c, err)
			}
		})
	}
}

// TestTokenCacheCollision: two tokens of the same hash, verified in
// turn, each get their own claims, from Verify and VerifyInto; each
// replaces the other's entry, and a repeat of the one remembered is a
// hit.
func TestTokenCacheCollision(t *testing.T) {
	t.Parallel()
	op := newFakeOP(t)
	v := newTestVerifier(t, op, VerifierConfig{SkipAudienceCheck: true})
	v.cache.hash = func(string) uint64 { return 1 << 60 }
	users := []string{"alice", "mallory"}
	toks := make([]string, len(users))
	for i, u := range users {
		toks[i] = op.sign(op.accessClaims(u, "app", "openid", ""))
	}
	var into Claims
	for i := range 8 {
		u, tok := users[i%2], toks[i%2]
		c, cached, err := v.verifyCached(t.Context(), tok)
		if err != nil || cached != nil || c.PreferredUsername != u {
			t.Fatalf("call %d, %s after the other: %v, cached %v, %v; want %s's claims verified", i, u, c, cached, err, u)
		}
		if _, cached, err := v.verifyCached(t.Context(), tok); err != nil || cached == nil || cached.PreferredUsername != u {
			t.Fatalf("call %d, %s again: %v, %v; want %s's claims, remembered", i, u, cached, err, u)
		}
		if n := v.cache.len(); n != 1 {
			t.Fatalf("cache holds %d tokens of one hash, want 1", n)
		}
		other := users[(i+1)%2]
		if c, err := v.Verify(t.Context(), toks[(i+1)%2]); err != nil || c.PreferredUsername != other {
			t.Fatalf("Verify of %s after %s: %v, %v", other, u, c, err)
		}
		if err := v.VerifyInto(t.Context(), tok, &into); err != nil || into.PreferredUsername != u {
			t.Fatalf("VerifyInto of %s after %s: %+v, %v", u, other, into, err)
		}
	}
}

// flip returns another base64url character than c.
func flip(c byte) string {
	if c == 'A' {
		return "B"
	}
	return "A"
}

// TestClaimsBoxesFillSizeClasses: every claims box is as large as a size
// class of the Go allocator, so that no byte of its allocation is lost,
// the boxes go from small to large, and a box allocates what it says.
func TestClaimsBoxesFillSizeClasses(t *testing.T) {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	classes := map[int]bool{}
	for _, c := range ms.BySize {
		classes[int(c.Size)] = true
	}
	for i, k := range claimsBoxes {
		if !classes[k.size] {
			t.Errorf("box %d (%d strings, %d bytes of Raw): %d bytes, not a size class", i, k.strs, k.raw, k.size)
		}
		if i > 0 && k.size < claimsBoxes[i-1].size {
			t.Errorf("box %d is smaller than box %d", i, i-1)
		}
		const n = 1000
		var sink [n]*Claims
		runtime.ReadMemStats(&ms)
		before := ms.TotalAlloc
		for j := range sink {
			sink[j], _, _ = k.new(k.strs, k.raw)
		}
		runtime.ReadMemStats(&ms)
		if per := float64(ms.TotalAlloc-before) / n; per < float64(k.size) || per > float64(k.size)+16 {
			t.Errorf("box %d: %.1f bytes an allocation, want %d", i, per, k.size)
		}
	}
}

// TestClaimsCloneIsDeep: a copy of claims of every size, in a box or
// not, equals them, shares nothing with them, and its slices do not
// overlap; one allocation for Claims, strings and Raw when a box fits.
func TestClaimsCloneIsDeep(t *testing.T) {
	strs := func(prefix string, n int) []string {
		s := make([]string, n)
		for i := range s {
			s[i] = fmt.Sprint(prefix, i)
		}
		return s
	}
	for _, tc := range []struct {
		roles, rawLen int
		allocs        float64
	}{
		{0, 1, 3}, {3, 300, 3}, {10, 700, 3}, {20, 2000, 3}, {28, 3000, 3}, {29, 700, 5},
		{100, 700, 5}, {3, 6000, 5},
	} {
		c := &Claims{
			Subject:        "alice",
			Audience:       Audience{"app", "account"},
			RealmAccess:    Access{Roles: strs("realm-", tc.roles)},
			ResourceAccess: map[string]Access{"b": {Roles: strs("b-", 2)}, "a": {Roles: []string{}}, "c": {}},
			Groups:         []string{},
			Raw:            []byte(strings.Repeat("x", tc.rawLen)),
		}
		cc := newCachedClaims(c)
		if diff := cmp.Diff(c, &cc.Claims); diff != "" {
			t.Fatalf("%d roles, %d bytes: cached claims (-want +got):\n%s", tc.roles, tc.rawLen, diff)
		}
		got := cc.clone()
		if diff := cmp.Diff(c, got); diff != "" {
			t.Fatalf("%d roles, %d bytes: copy (-want +got):\n%s", tc.roles, tc.rawLen, diff)
		}
		got.Audience = append(got.Audience, "x") // must not write into the realm roles
		mutateClaims(got)
		if diff := cmp.Diff(c, &cc.Claims); diff != "" {
			t.Errorf("%d roles, %d bytes: changing the copy changed the cached claims (-want +got):\n%s", tc.roles, tc.rawLen, diff)
		}
		if diff := cmp.Diff(c, cc.clone()); diff != "" {
			t.Errorf("%d roles, %d bytes: a later copy (-want +got):\n%s", tc.roles, tc.rawLen, diff)
		}
		var into Claims
		cc.copyInto(&into)
		into.ResourceAccess["d"] = Access{} // a client the claims do not have goes
		cc.copyInto(&into)
		if diff := cmp.Diff(c, &into); diff != "" {
			t.Errorf("%d roles, %d bytes: copyInto (-want +got):\n%s", tc.roles, tc.rawLen, diff)
		}
		if n := testing.AllocsPerRun(20, func() { cc.clone() }); n != tc.allocs {
			t.Errorf("%d roles, %d bytes: %v allocations, want %v", tc.roles, tc.rawLen, n, tc.allocs)
		}
	}
}

// clone returns a deep copy of c (see cachedClaims.clone).
func (c *Claims) clone() *Claims { return newCachedClaims(c).clone() }
