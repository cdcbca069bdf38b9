package oidc

import (
	"hash/maphash"
	"slices"
	"sync"
	"sync/atomic"
)

// DefaultTokenCacheSize is how many verified access tokens a [Verifier]
// remembers when VerifierConfig.TokenCacheSize is zero.
const DefaultTokenCacheSize = 1024

// tokenCache remembers access tokens whose signature and claims Verify
// has checked, so that a resource server that sees the same bearer token
// on every request pays the signature check once. An entry is keyed by
// a hash of the whole token (hash/maphash, with a seed of the cache's
// own, drawn at random) and holds a copy of the whole token, which a
// lookup compares byte for byte: a hit is the same token, and two tokens
// of the same hash are a miss, never each other's entry. The cache is
// bounded: when a shard is full, an entry not hit since the clock hand
// last passed it is replaced (CLOCK, an approximation of least recently
// used that needs no lock on a hit). Safe for concurrent use.
type tokenCache struct {
	seed   maphash.Seed
	shards []cacheShard
	// hash, when not nil, replaces maphash.String: tests make tokens
	// collide with it.
	hash func(token string) uint64
}

type cacheShard struct {
	mu      sync.RWMutex
	entries map[uint64]*cacheEntry
	ring    []*cacheEntry // the entries, in the order the hand visits them
	hand    int
	max     int
	_       [64]byte // keeps shards off each other's cache lines
}

// cacheEntry is a verified token. Nothing in it changes once it is in
// the cache but the hit bit.
type cacheEntry struct {
	key    uint64     // the hash of token
	token  string     // the whole token, which a hit must equal
	claims *Claims    // private: every hit returns a copy
	pub    *publicKey // the key that verified the signature
	hit    atomic.Bool
}

func newTokenCache(size int) *tokenCache {
	n := 1
	if size >= 256 {
		n = 16
	}
	c := &tokenCache{seed: maphash.MakeSeed(), shards: make([]cacheShard, n)}
	for i := range c.shards {
		c.shards[i].max = (size + n - 1) / n
		c.shards[i].entries = make(map[uint64]*cacheEntry)
	}
	return c
}

// key returns the hash of token.
func (c *tokenCache) key(token string) uint64 {
	if c.hash != nil {
		return c.hash(token)
	}
	return maphash.String(c.seed, token)
}

func (c *tokenCache) shard(key uint64) *cacheShard {
	return &c.shards[(key>>56)%uint64(len(c.shards))]
}

// get returns the entry of token, whose hash is key, or nil: an entry of
// the same hash and another token is no entry of token.
func (c *tokenCache) get(key uint64, token string) *cacheEntry {
	s := c.shard(key)
	s.mu.RLock()
	e := s.entries[key]
	s.mu.RUnlock()
	if e == nil || e.token != token {
		return nil
	}
	if !e.hit.Load() {
		e.hit.Store(true)
	}
	return e
}

// add stores e, replacing what has the same key.
func (c *tokenCache) add(e *cacheEntry) {
	s := c.shard(e.key)
	s.mu.Lock()
	defer s.mu.Unlock()
	if old := s.entries[e.key]; old != nil {
		s.ring[slices.Index(s.ring, old)] = e
		s.entries[e.key] = e
		return
	}
	if len(s.ring) < s.max {
		s.ring = append(s.ring, e)
		s.entries[e.key] = e
		return
	}
	for { // the hand clears hit bits until it finds an entry without one
		victim := s.ring[s.hand]
		if victim.hit.Swap(false) {
			s.hand = (s.hand + 1) % len(s.ring)
			continue
		}
		delete(s.entries, victim.key)
		s.ring[s.hand] = e
		s.entries[e.key] = e
		s.hand = (s.hand + 1) % len(s.ring)
		return
	}
}

// remove drops e, if it is still the entry of its key.
func (c *tokenCache) remove(e *cacheEntry) {
	s := c.shard(e.key)
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.entries[e.key] == e {
		s.removeAt(slices.Index(s.ring, e))
	}
}

func (s *cacheShard) removeAt(i int) {
	e := s.ring[i]
	delete(s.entries, e.key)
	last := len(s.ring) - 1
	s.ring[i] = s.ring[last]
	s.ring[last] = nil
	s.ring = s.ring[:last]
	if s.hand >= len(s.ring) {
		s.hand = 0
	}
}

// keep drops every entry whose key is not in ks: a key the provider
// removed verifies nothing any more, cached or not.
func (c *tokenCache) keep(ks *keySet) {
	for i := range c.shards {
		s := &c.shards[i]
		s.mu.Lock()
		for j := 0; j < len(s.ring); {
			if ks.has(s.ring[j].pub) {
				j++
				continue
			}
			s.removeAt(j)
		}
		s.mu.Unlock()
	}
}

// len returns the number of entries.
func (c *tokenCache) len() int {
	n := 0
	for i := range c.shards {
		s := &c.shards[i]
		s.mu.RLock()
		n += len(s.entries)
		s.mu.RUnlock()
	}
	return n
}

// has reports whether k is one of the set's keys (the same parsed key:
// fetching the set again keeps the keys that did not change).
func (ks *keySet) has(k *publicKey) bool {
	if k.kid != "" {
		return ks.byKid[k.kid] == k
	}
	return slices.Contains(ks.all, k)
}

// carryOver makes ks use the keys of old that are unchanged in ks (same
// kid, alg and key), so that what was verified with them stays valid.
func (ks *keySet) carryOver(old *keySet) {
	if old == nil {
		return
	}
	for i, k := range ks.all {
		for _, o := range old.all {
			if o.kid == k.kid && o.alg == k.alg && sameKey(o, k) {
				ks.all[i] = o
				if k.kid != "" && ks.byKid[k.kid] == k {
					ks.byKid[k.kid] = o
				}
				break
			}
		}
	}
}

func sameKey(a, b *publicKey) bool {
	type equaler interface{ Equal(x any) bool }
	e, ok := a.key.(equaler)
	return ok && e.Equal(b.key)
}

// clone returns a deep copy of c: every slice and map is its own, so
// that changing one copy changes no other. The string slices share one
// backing array and, up to smallArena strings and 4 KiB of Raw, live in
// the allocation of the Claims with Raw: a copy is one allocation, and
// two more when the token has resource_access (a map is two).
func (c *Claims) clone() *Claims {
	n := len(c.Audience) + len(c.RealmAccess.Roles) + len(c.Groups) + len(c.AllowedOrigins)
	for _, a := range c.ResourceAccess {
		n += len(a.Roles)
	}
	out, arena, raw := newClaimsBox(n, len(c.Raw))
	*out = *c
	take := func(s []string) []string {
		if s == nil {
			return nil
		}
		i := len(arena)
		arena = append(arena, s...)
		return arena[i:len(arena):len(arena)]
	}
	out.Audience = take(c.Audience)
	out.RealmAccess.Roles = take(c.RealmAccess.Roles)
	out.Groups = take(c.Groups)
	out.AllowedOrigins = take(c.AllowedOrigins)
	if c.ResourceAccess != nil {
		out.ResourceAccess = make(map[string]Access, len(c.ResourceAccess))
		for k, a := range c.ResourceAccess {
			out.ResourceAccess[k] = Access{Roles: take(a.Roles)}
		}
	}
	if c.Raw != nil {
		out.Raw = append(raw, c.Raw...)
	}
	return out
}

// copyInto makes dst a deep copy of c, reusing the memory of dst's
// slices, map and Raw: copying the same token's claims again allocates
// nothing.
func (c *Claims) copyInto(dst *Claims) {
	aud, realm, groups := dst.Audience, dst.RealmAccess.Roles, dst.Groups
	origins, ra, raw := dst.AllowedOrigins, dst.ResourceAccess, dst.Raw
	*dst = *c
	dst.Audience = reuseStrings(aud, c.Audience)
	dst.RealmAccess.Roles = reuseStrings(realm, c.RealmAccess.Roles)
	dst.Groups = reuseStrings(groups, c.Groups)
	dst.AllowedOrigins = reuseStrings(origins, c.AllowedOrigins)
	dst.ResourceAccess = nil
	if c.ResourceAccess != nil {
		if ra == nil {
			ra = make(map[string]Access, len(c.ResourceAccess))
		}
		for k := range ra {
			if _, ok := c.ResourceAccess[k]; !ok {
				delete(ra, k)
			}
		}
		for k, a := range c.ResourceAccess {
			ra[k] = Access{Roles: reuseStrings(ra[k].Roles, a.Roles)}
		}
		dst.ResourceAccess = ra
	}
	dst.Raw = nil
	if c.Raw != nil {
		dst.Raw = append(raw[:0], c.Raw...)
	}
}

// reuseStrings returns a copy of src in the memory of dst when it fits;
// nil for nil.
func reuseStrings(dst, src []string) []string {
	if src == nil {
		return nil
	}
	return append(dst[:0], src...)
}

// smallArena is how many strings a clone keeps in the allocation of its
// Claims: enough for a Keycloak access token's audiences, roles and
// origins.
const smallArena = 16

type claimsBox struct {
	c     Claims
	arena [smallArena]string
}

// newClaimsBox returns new Claims, room for n strings and an empty slice
// with room for rawLen bytes, in one allocation when they fit.
func newClaimsBox(n, rawLen int) (*Claims, []string, []byte) {
	var box *claimsBox
	var raw []byte
	switch {
	case n > smallArena || rawLen > 4096:
		return new(Claims), make([]string, 0, n), make([]byte, 0, rawLen)
	case rawLen <= 1024:
		b := new(struct {
			claimsBox
			raw [1024]byte
		})
		box, raw = &b.claimsBox, b.raw[:0:rawLen]
	case rawLen <= 2048:
		b := new(struct {
			claimsBox
			raw [2048]byte
		})
		box, raw = &b.claimsBox, b.raw[:0:rawLen]
	default:
		b := new(struct {
			claimsBox
			raw [4096]byte
		})
		box, raw = &b.claimsBox, b.raw[:0:rawLen]
	}
	return &box.c, box.arena[:0:n], raw
}
