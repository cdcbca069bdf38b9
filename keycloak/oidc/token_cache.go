package oidc

import (
	"bytes"
	"hash/maphash"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"unsafe"
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
	key    uint64        // the hash of token
	token  string        // the whole token, which a hit must equal
	claims *cachedClaims // private: every hit returns a copy
	pub    *publicKey    // the key that verified the signature
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

// cachedClaims is a cache entry's own copy of a token's claims, laid
// out for copying: the string slices of Claims are windows of strs, one
// after the other, and clients lists ResourceAccess in the order of its
// roles in strs, so that a copy is one copy of strs and no walk of a map.
// Nothing in it changes once it is made.
type cachedClaims struct {
	Claims
	strs    []string // Audience, RealmAccess.Roles, Groups, AllowedOrigins, then the roles of clients
	clients []cachedClient
}

type cachedClient struct {
	client string
	roles  []string // a window of strs
}

// newCachedClaims returns a deep copy of c, laid out for copying.
func newCachedClaims(c *Claims) *cachedClaims {
	n := len(c.Audience) + len(c.RealmAccess.Roles) + len(c.Groups) + len(c.AllowedOrigins)
	var clients []cachedClient
	if len(c.ResourceAccess) > 0 {
		clients = make([]cachedClient, 0, len(c.ResourceAccess))
		for k, a := range c.ResourceAccess {
			clients = append(clients, cachedClient{client: k, roles: a.Roles})
			n += len(a.Roles)
		}
		slices.SortFunc(clients, func(a, b cachedClient) int { return strings.Compare(a.client, b.client) })
	}
	cc := &cachedClaims{Claims: *c, strs: make([]string, 0, n), clients: clients}
	take := func(s []string) []string {
		if s == nil {
			return nil
		}
		i := len(cc.strs)
		cc.strs = append(cc.strs, s...) // within the capacity: no window moves
		return cc.strs[i:len(cc.strs):len(cc.strs)]
	}
	cc.Audience = take(c.Audience)
	cc.RealmAccess.Roles = take(c.RealmAccess.Roles)
	cc.Groups = take(c.Groups)
	cc.AllowedOrigins = take(c.AllowedOrigins)
	if c.ResourceAccess != nil {
		cc.ResourceAccess = make(map[string]Access, len(clients))
		for i := range clients {
			clients[i].roles = take(clients[i].roles)
			cc.ResourceAccess[clients[i].client] = Access{Roles: clients[i].roles}
		}
	}
	cc.Raw = bytes.Clone(c.Raw)
	return cc
}

// window hands out consecutive windows of strs.
type window struct {
	strs []string
	i    int
}

// next returns the next len(s) strings, nil for nil.
func (w *window) next(s []string) []string {
	if s == nil {
		return nil
	}
	j := w.i + len(s)
	r := w.strs[w.i:j:j]
	w.i = j
	return r
}

// clone returns a deep copy of the claims: every slice and map is its
// own, so that changing one copy changes no other. The string slices
// share one backing array and, when it fits, live in the allocation of
// the Claims with Raw, sized to the claims (newClaimsBox): a copy is one
// allocation, and two more when the token has resource_access (a map is
// two).
func (cc *cachedClaims) clone() *Claims {
	out, arena, raw := newClaimsBox(len(cc.strs), len(cc.Raw))
	*out = cc.Claims
	w := window{strs: append(arena, cc.strs...)}
	out.Audience = w.next(cc.Audience)
	out.RealmAccess.Roles = w.next(cc.RealmAccess.Roles)
	out.Groups = w.next(cc.Groups)
	out.AllowedOrigins = w.next(cc.AllowedOrigins)
	if cc.ResourceAccess != nil {
		out.ResourceAccess = make(map[string]Access, len(cc.clients))
		for _, cl := range cc.clients {
			out.ResourceAccess[cl.client] = Access{Roles: w.next(cl.roles)}
		}
	}
	if cc.Raw != nil {
		out.Raw = append(raw, cc.Raw...)
	}
	return out
}

// copyInto makes dst a deep copy of the claims, reusing the memory of
// dst's slices, map and Raw: copying the same token's claims again
// allocates nothing.
func (cc *cachedClaims) copyInto(dst *Claims) {
	c := &cc.Claims
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
			ra = make(map[string]Access, len(cc.clients))
		}
		for _, cl := range cc.clients {
			ra[cl.client] = Access{Roles: reuseStrings(ra[cl.client].Roles, cl.roles)}
		}
		if len(ra) > len(cc.clients) { // dst held other clients too
			for k := range ra {
				if _, ok := c.ResourceAccess[k]; !ok {
					delete(ra, k)
				}
			}
		}
		dst.ResourceAccess = ra
	}
	dst.Raw = nil
	if c.Raw != nil {
		dst.Raw = append(raw[:0], c.Raw...)
	}
}

// reuseStrings returns a copy of src in the memory of dst when it fits;
// nil for nil, empty for empty.
func reuseStrings(dst, src []string) []string {
	if src == nil {
		return nil
	}
	if dst == nil {
		dst = []string{} // not nil, so that an empty src stays empty
	}
	return append(dst[:0], src...)
}

// A claims box is Claims, room for strings and room for Raw in one
// allocation. claimsBoxes are the boxes newClaimsBox picks from, smallest
// first, each as large as a size class of the Go allocator: boxBase is
// what a box takes besides its strings and Raw (a heap object with
// pointers larger than 512 bytes starts with an 8-byte header), and the
// room for Raw is what the size class leaves. TestClaimsBoxesFillSizeClasses
// checks the sizes against the runtime's.
type claimsBox[S, R any] struct {
	c    Claims
	strs S // [n]string
	raw  R // [n]byte
}

const (
	stringSize = unsafe.Sizeof("")
	boxBase    = 8 + unsafe.Sizeof(Claims{})
)

type boxKind struct {
	size, strs, raw int // the box's size with the header, its room for strings and Raw
	new             func(n, rawLen int) (*Claims, []string, []byte)
}

func boxOf[S, R any]() boxKind {
	var b claimsBox[S, R]
	strs, raw := int(unsafe.Sizeof(b.strs)/stringSize), int(unsafe.Sizeof(b.raw))
	return boxKind{
		size: int(unsafe.Sizeof(b)) + 8,
		strs: strs,
		raw:  raw,
		new: func(n, rawLen int) (*Claims, []string, []byte) {
			b := new(claimsBox[S, R])
			return &b.c,
				unsafe.Slice((*string)(unsafe.Pointer(&b.strs)), strs)[:0:n],
				unsafe.Slice((*byte)(unsafe.Pointer(&b.raw)), raw)[:0:rawLen]
		},
	}
}

var claimsBoxes = [...]boxKind{
	boxOf[[8]string, [1024 - boxBase - 8*stringSize]byte](),
	boxOf[[16]string, [1024 - boxBase - 16*stringSize]byte](),
	boxOf[[8]string, [1152 - boxBase - 8*stringSize]byte](),
	boxOf[[16]string, [1152 - boxBase - 16*stringSize]byte](),
	boxOf[[32]string, [1152 - boxBase - 32*stringSize]byte](),
	boxOf[[8]string, [1280 - boxBase - 8*stringSize]byte](),
	boxOf[[16]string, [1280 - boxBase - 16*stringSize]byte](),
	boxOf[[32]string, [1280 - boxBase - 32*stringSize]byte](),
	boxOf[[8]string, [1408 - boxBase - 8*stringSize]byte](),
	boxOf[[16]string, [1408 - boxBase - 16*stringSize]byte](),
	boxOf[[32]string, [1408 - boxBase - 32*stringSize]byte](),
	boxOf[[8]string, [1536 - boxBase - 8*stringSize]byte](),
	boxOf[[16]string, [1536 - boxBase - 16*stringSize]byte](),
	boxOf[[32]string, [1536 - boxBase - 32*stringSize]byte](),
	boxOf[[8]string, [1792 - boxBase - 8*stringSize]byte](),
	boxOf[[16]string, [1792 - boxBase - 16*stringSize]byte](),
	boxOf[[32]string, [1792 - boxBase - 32*stringSize]byte](),
	boxOf[[8]string, [2048 - boxBase - 8*stringSize]byte](),
	boxOf[[16]string, [2048 - boxBase - 16*stringSize]byte](),
	boxOf[[32]string, [2048 - boxBase - 32*stringSize]byte](),
	boxOf[[8]string, [2304 - boxBase - 8*stringSize]byte](),
	boxOf[[16]string, [2304 - boxBase - 16*stringSize]byte](),
	boxOf[[32]string, [2304 - boxBase - 32*stringSize]byte](),
	boxOf[[8]string, [2688 - boxBase - 8*stringSize]byte](),
	boxOf[[16]string, [2688 - boxBase - 16*stringSize]byte](),
	boxOf[[32]string, [2688 - boxBase - 32*stringSize]byte](),
	boxOf[[8]string, [3072 - boxBase - 8*stringSize]byte](),
	boxOf[[16]string, [3072 - boxBase - 16*stringSize]byte](),
	boxOf[[32]string, [3072 - boxBase - 32*stringSize]byte](),
	boxOf[[8]string, [3456 - boxBase - 8*stringSize]byte](),
	boxOf[[16]string, [3456 - boxBase - 16*stringSize]byte](),
	boxOf[[32]string, [3456 - boxBase - 32*stringSize]byte](),
	boxOf[[8]string, [4096 - boxBase - 8*stringSize]byte](),
	boxOf[[16]string, [4096 - boxBase - 16*stringSize]byte](),
	boxOf[[32]string, [4096 - boxBase - 32*stringSize]byte](),
	boxOf[[8]string, [4864 - boxBase - 8*stringSize]byte](),
	boxOf[[16]string, [4864 - boxBase - 16*stringSize]byte](),
	boxOf[[32]string, [4864 - boxBase - 32*stringSize]byte](),
}

// newClaimsBox returns new Claims, an empty slice with room for n
// strings and an empty slice with room for rawLen bytes, in the smallest
// box they fit, or in three allocations when none is large enough.
func newClaimsBox(n, rawLen int) (*Claims, []string, []byte) {
	for i := range claimsBoxes {
		if k := &claimsBoxes[i]; k.strs >= n && k.raw >= rawLen {
			return k.new(n, rawLen)
		}
	}
	return new(Claims), make([]string, 0, n), make([]byte, 0, rawLen)
}
