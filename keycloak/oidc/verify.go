package oidc

import (
	"bytes"
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/kcgo/kc"
	"github.com/kcgo/kc/internal/flight"
	"github.com/kcgo/kc/internal/rest"
	"github.com/kcgo/kc/internal/settings"
)

// Errors of token verification. Verify wraps them with details; test with
// errors.Is.
var (
	ErrMalformedToken       = errors.New("oidc: malformed token")
	ErrUnsupportedAlgorithm = errors.New("oidc: token algorithm not allowed")
	ErrUnknownKey           = errors.New("oidc: no key for the token's kid")
	ErrInvalidSignature     = errors.New("oidc: invalid token signature")
	ErrTokenExpired         = errors.New("oidc: token expired")
	ErrTokenNotYetValid     = errors.New("oidc: token not yet valid")
	ErrInvalidIssuer        = errors.New("oidc: token issuer mismatch")
	ErrInvalidAudience      = errors.New("oidc: token audience mismatch")
	ErrInvalidClaims        = errors.New("oidc: invalid token claims")
	// ErrKeysUnavailable is returned while the provider's keys cannot be
	// had: the last JWKS fetch failed (or held no usable signing key) less
	// than RefetchInterval ago, and no key set is known.
	ErrKeysUnavailable = errors.New("oidc: signing keys unavailable")
)

// DefaultRefetchInterval is the least time between two JWKS fetches,
// whatever caused them.
const DefaultRefetchInterval = 10 * time.Second

// DefaultMaxKeyAge is how long a fetched key set is used before the next
// Verify fetches it again: the public-key-cache-ttl of Keycloak's old
// adapters.
const DefaultMaxKeyAge = 24 * time.Hour

// maxTokenSize bounds the tokens Verify accepts.
const maxTokenSize = 64 << 10

// VerifierConfig says what a [Verifier] checks. The zero value checks
// the signature with RS256, the issuer, exp, nbf and iat without leeway,
// and typ "Bearer" for Verify; the audience must be configured.
type VerifierConfig struct {
	// Audiences: the token's aud must hold at least one of them. A
	// verifier made by [Client.Verifier] defaults to the client ID (what
	// ID tokens carry; Keycloak access tokens carry it only with an
	// audience mapper). Required unless SkipAudienceCheck.
	Audiences []string
	// SkipAudienceCheck turns the audience check off.
	SkipAudienceCheck bool
	// AuthorizedParty, when set, must equal the token's azp: the client
	// the token was issued to.
	AuthorizedParty string
	// Algorithms allowed; RS256 when empty. RS256, RS384, RS512, PS256,
	// PS384, PS512, ES256, ES384, ES512 and EdDSA are supported; "none"
	// and HMAC algorithms never are.
	Algorithms []string
	// Leeway is the clock skew allowed for exp, nbf and iat.
	Leeway time.Duration
	// TokenType is the typ claim Verify wants when the token has one;
	// "Bearer" when empty. VerifyIDToken wants "ID".
	TokenType string
	// SkipTypeCheck turns the typ check off.
	SkipTypeCheck bool
	// SkipIssuerCheck turns the iss check off.
	SkipIssuerCheck bool
	// SkipExpiryCheck turns the exp check off (exp may then be absent).
	SkipExpiryCheck bool
	// RefetchInterval is the least time between two JWKS fetches, whatever
	// caused them (first use, an unknown kid, a failed or unusable answer,
	// MaxKeyAge); DefaultRefetchInterval when zero.
	RefetchInterval time.Duration
	// MaxKeyAge is how long a fetched key set is trusted: the first Verify
	// after it fetches the JWKS again, so that a key the provider removed
	// stops verifying. DefaultMaxKeyAge when zero.
	MaxKeyAge time.Duration
	// AcceptUntypedAccessTokens makes Verify accept a token that has no
	// Keycloak typ claim and no JOSE header typ of at+jwt (RFC 9068). By
	// default such a token is refused, since another provider's ID token
	// looks just like it.
	AcceptUntypedAccessTokens bool
	// TokenCacheSize is how many verified access tokens Verify remembers;
	// DefaultTokenCacheSize when zero. Verifying a remembered token again
	// skips the signature check (and the payload's decoding) but still
	// checks exp, nbf and iat against the clock; the entry is dropped when
	// the key that signed the token leaves the key set (rotation, MaxKeyAge).
	// A token is remembered by a hash of the whole token (hash/maphash,
	// with a random seed per Verifier) and a copy of it, which a repeat
	// must match byte for byte: two tokens of the same hash are a miss,
	// never each other's claims. ID and logout tokens are never
	// remembered.
	TokenCacheSize int
	// DisableTokenCache turns the cache of verified access tokens off.
	DisableTokenCache bool
}

// Verifier verifies access and ID tokens locally, with the provider's
// public keys. The JWKS is fetched on first use and parsed once; a token
// signed with an unknown key ID makes it fetch the JWKS again, and so does
// the first Verify after the key set is MaxKeyAge old (no goroutine runs in
// the background). Every fetch, the first and failed ones included, counts
// for one rate limit: at most one per RefetchInterval, so a key rotation
// costs one request and neither a flood of made-up key IDs nor a failing
// or empty JWKS can hammer the provider; callers in between get an error
// wrapping ErrKeysUnavailable when no key set is known. Concurrent callers
// share one fetch. When a fetch fails the keys already known stay in use.
// A Verifier is safe for concurrent use.
type Verifier struct {
	cfg      VerifierConfig
	now      func() time.Time
	rest     *rest.Client
	resolve  func(ctx context.Context) (issuer string, jwks *url.URL, err error)
	allowAlg map[string]bool
	cache    *tokenCache // nil when disabled

	// clientID is the client of a verifier made by Client.Verifier: an ID
	// token's azp, when present, must be it.
	clientID string

	ep   atomic.Pointer[verifierEndpoints]
	keys atomic.Pointer[keySet]
	fly  flight.Group[*keySet]

	mu        sync.Mutex // guards lastFetch and lastErr
	lastFetch time.Time  // when the last JWKS fetch started
	lastErr   error      // what it failed with, if it did
}

type verifierEndpoints struct {
	issuer string
	jwks   *url.URL
}

// Verifier returns a verifier for tokens of this client's realm: the
// issuer and the JWKS URL come from the discovery document, on first use.
// When cfg has no Audiences and no SkipAudienceCheck, the audience is the
// client ID.
func (c *Client) Verifier(cfg VerifierConfig) (*Verifier, error) {
	if len(cfg.Audiences) == 0 && !cfg.SkipAudienceCheck {
		cfg.Audiences = []string{c.clientID}
	}
	v, err := newVerifier(cfg, c.rest, c.now)
	if err != nil {
		return nil, err
	}
	v.clientID = c.clientID
	v.resolve = func(ctx context.Context) (string, *url.URL, error) {
		d, err := c.Discovery(ctx)
		if err != nil {
			return "", nil, err
		}
		u, err := parseEndpoint("jwks_uri", d.JWKSURI)
		return d.Issuer, u, err
	}
	return v, nil
}

// NewVerifier returns a verifier for tokens of issuer, whose keys are at
// jwksURL, without discovery: for any OpenID provider. opts are the
// common kc options (kc.WithHTTPClient, kc.WithTimeout, ...) and
// [WithClock].
func NewVerifier(issuer, jwksURL string, cfg VerifierConfig, opts ...kc.Option) (*Verifier, error) {
	if issuer == "" && !cfg.SkipIssuerCheck {
		return nil, errors.New("oidc: issuer is empty")
	}
	ju, err := url.Parse(jwksURL)
	if err != nil || !ju.IsAbs() || ju.Host == "" || (ju.Scheme != "https" && ju.Scheme != "http") {
		return nil, fmt.Errorf("oidc: jwksURL %q is not an absolute http(s) URL", jwksURL)
	}
	s, err := settings.New(opts)
	if err != nil {
		return nil, fmt.Errorf("oidc: %w", err)
	}
	var pc config
	if err := settings.ApplyPackage(s, "oidc", &pc); err != nil {
		return nil, err
	}
	if pc.now == nil {
		pc.now = time.Now
	}
	rc, err := rest.New("oidc", ju.Scheme+"://"+ju.Host, s)
	if err != nil {
		return nil, err
	}
	v, err := newVerifier(cfg, rc, pc.now)
	if err != nil {
		return nil, err
	}
	v.ep.Store(&verifierEndpoints{issuer: issuer, jwks: ju})
	return v, nil
}

func newVerifier(cfg VerifierConfig, rc *rest.Client, now func() time.Time) (*Verifier, error) {
	if len(cfg.Audiences) == 0 && !cfg.SkipAudienceCheck {
		return nil, errors.New("oidc: VerifierConfig: set Audiences or SkipAudienceCheck")
	}
	for _, a := range cfg.Audiences {
		if a == "" {
			return nil, errors.New("oidc: VerifierConfig.Audiences has an empty audience")
		}
	}
	if cfg.Leeway < 0 {
		return nil, errors.New("oidc: VerifierConfig.Leeway is negative")
	}
	if cfg.RefetchInterval < 0 {
		return nil, errors.New("oidc: VerifierConfig.RefetchInterval is negative")
	}
	if cfg.RefetchInterval == 0 {
		cfg.RefetchInterval = DefaultRefetchInterval
	}
	if cfg.MaxKeyAge < 0 {
		return nil, errors.New("oidc: VerifierConfig.MaxKeyAge is negative")
	}
	if cfg.MaxKeyAge == 0 {
		cfg.MaxKeyAge = DefaultMaxKeyAge
	}
	if cfg.TokenType == "" {
		cfg.TokenType = "Bearer"
	}
	if cfg.TokenCacheSize < 0 {
		return nil, errors.New("oidc: VerifierConfig.TokenCacheSize is negative")
	}
	if cfg.TokenCacheSize == 0 {
		cfg.TokenCacheSize = DefaultTokenCacheSize
	}
	algs := cfg.Algorithms
	if len(algs) == 0 {
		algs = []string{RS256}
	}
	allow := map[string]bool{}
	for _, a := range algs {
		switch a {
		case RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, ES512, EdDSA:
			allow[a] = true
		default:
			return nil, fmt.Errorf("oidc: VerifierConfig.Algorithms: %q is not supported", a)
		}
	}
	cfg.Audiences = append([]string(nil), cfg.Audiences...)
	cfg.Algorithms = append([]string(nil), algs...)
	v := &Verifier{cfg: cfg, now: now, rest: rc, allowAlg: allow}
	if !cfg.DisableTokenCache {
		v.cache = newTokenCache(cfg.TokenCacheSize)
	}
	return v, nil
}

// Verify checks an access token: its signature with the provider's keys,
// then iss, aud, azp, exp, nbf, iat and typ as the config says, and
// returns its claims. A token with Keycloak's typ claim must have the
// config's TokenType; a token without one must have the JOSE header typ
// at+jwt (RFC 9068), unless the config sets AcceptUntypedAccessTokens. A
// header or claims set with a member name given twice, at any depth, is
// malformed. Errors wrap ErrMalformedToken,
// ErrUnsupportedAlgorithm, ErrUnknownKey, ErrInvalidSignature,
// ErrTokenExpired, ErrTokenNotYetValid, ErrInvalidIssuer,
// ErrInvalidAudience or ErrInvalidClaims, or are the error of the JWKS
// fetch. ctx bounds the JWKS fetch, when one is needed.
//
// A token verified before is remembered (VerifierConfig.TokenCacheSize):
// verifying it again checks only exp, nbf and iat, as long as the key
// that signed it is still in the key set and the set is younger than
// MaxKeyAge. Every call returns claims of its own: changing them changes
// no other call's.
func (v *Verifier) Verify(ctx context.Context, token string) (*Claims, error) {
	c, cached, err := v.verifyCached(ctx, token)
	if cached != nil {
		c = cached.clone()
	}
	return c, err
}

// VerifyInto is [Verifier.Verify] writing the claims into dst, which it
// overwrites whole, instead of new memory: the memory of dst's slices,
// map and Raw is reused, so that verifying a remembered token again into
// the same dst allocates nothing. What a slice or the map of dst held
// before is overwritten too; keep a dst per goroutine (a sync.Pool, a
// request's own value), not a copy of its slices. dst is still a copy
// of its own: changing it changes no later call's claims. On an error
// dst is left as it was.
func (v *Verifier) VerifyInto(ctx context.Context, token string, dst *Claims) error {
	if dst == nil {
		return errors.New("oidc: VerifyInto: dst is nil")
	}
	c, cached, err := v.verifyCached(ctx, token)
	switch {
	case err != nil:
		return err
	case cached != nil:
		cached.copyInto(dst)
	default:
		*dst = *c
	}
	return nil
}

// verifyCached verifies token, from the cache when it is there: then it
// returns the cache's own claims as cached, which the caller must copy,
// and c is nil.
func (v *Verifier) verifyCached(ctx context.Context, token string) (c *Claims, cached *cachedClaims, err error) {
	if v.cache == nil || len(token) > maxTokenSize {
		c, err := v.verify(ctx, token, accessToken, "", "")
		return c, nil, err
	}
	key := v.cache.key(token)
	if e := v.cache.get(key, token); e != nil {
		now := v.now()
		if ks := v.keys.Load(); ks != nil && now.Sub(ks.fetched) < v.cfg.MaxKeyAge && ks.has(e.pub) {
			if err := v.checkTimes(&e.claims.Claims, now); err != nil {
				v.cache.remove(e)
				return nil, nil, err
			}
			return nil, e.claims, nil
		}
		v.cache.remove(e) // its key is gone, or the set is due for a refresh
	}
	c, pub, err := v.verifyKey(ctx, token, accessToken, "", "")
	if err != nil {
		return nil, nil, err
	}
	v.cache.add(&cacheEntry{key: key, token: strings.Clone(token), claims: newCachedClaims(c), pub: pub})
	return c, nil, nil
}

// tokenKind is what a verify call expects.
type tokenKind int

const (
	accessToken tokenKind = iota
	idToken
	logoutToken
)

// VerifyIDToken checks an ID token like Verify, with typ "ID" instead of
// the config's TokenType (a token whose header typ is at+jwt is refused),
// and, when nonce is not empty, that the token's nonce claim equals it
// (the nonce of the authorization URL, [Nonce]). When the token has an azp
// claim, it must be the config's AuthorizedParty or, for a verifier made
// by [Client.Verifier], the client ID (OpenID Connect Core §3.1.3.7).
// [Verifier.VerifyIDTokenOf] also checks at_hash against the access token.
func (v *Verifier) VerifyIDToken(ctx context.Context, token, nonce string) (*Claims, error) {
	c, err := v.verify(ctx, token, idToken, nonce, "")
	if err != nil {
		return nil, err
	}
	return c, nil
}

// verify checks token; for an ID token, nonce, when not empty, must equal
// its nonce, and accessToken, when not empty, must match its at_hash.
func (v *Verifier) verify(ctx context.Context, token string, kind tokenKind, nonce, accessToken string) (*Claims, error) {
	c, _, err := v.verifyKey(ctx, token, kind, nonce, accessToken)
	return c, err
}

// verifyKey is verify; it also returns the key that verified the
// signature.
func (v *Verifier) verifyKey(ctx context.Context, token string, kind tokenKind, nonce, accessToken string) (*Claims, *publicKey, error) {
	if len(token) > maxTokenSize {
		return nil, nil, fmt.Errorf("%w: longer than %d bytes", ErrMalformedToken, maxTokenSize)
	}
	d1 := strings.IndexByte(token, '.')
	if d1 < 0 {
		return nil, nil, fmt.Errorf("%w: not a compact JWS", ErrMalformedToken)
	}
	d2 := strings.IndexByte(token[d1+1:], '.')
	if d2 < 0 || strings.IndexByte(token[d1+1+d2+1:], '.') >= 0 {
		return nil, nil, fmt.Errorf("%w: not a compact JWS of three parts", ErrMalformedToken)
	}
	d2 += d1 + 1

	// The header, the signing input and the signature go to one pooled
	// buffer; the payload to its own, which becomes Claims.Raw.
	bp := bufPool.Get().(*[]byte)
	defer putBuf(bp)
	hb, err := b64Decode((*bp)[:0], token[:d1])
	*bp = hb
	if err != nil {
		return nil, nil, fmt.Errorf("%w: header is not base64url", ErrMalformedToken)
	}
	var h jwsHeader
	if err := parseHeader(hb, &h); errors.Is(err, errDuplicate) {
		return nil, nil, fmt.Errorf("%w: header: %v", ErrMalformedToken, err)
	} else if err != nil {
		return nil, nil, fmt.Errorf("%w: header is not a JSON object", ErrMalformedToken)
	}
	if h.alg == nil {
		return nil, nil, fmt.Errorf("%w: header has no alg", ErrMalformedToken)
	}
	if h.crit {
		return nil, nil, fmt.Errorf("%w: header has crit extensions", ErrMalformedToken)
	}
	alg, ok := knownAlg(h.alg)
	if !ok || !v.allowAlg[alg] {
		return nil, nil, fmt.Errorf("%w: %q", ErrUnsupportedAlgorithm, string(h.alg))
	}

	ep, err := v.endpoints(ctx)
	if err != nil {
		return nil, nil, err
	}

	hl := len(hb)
	buf := append(hb, token[:d2]...) // h's slices stay valid if this grows
	buf, err = b64Decode(buf, token[d2+1:])
	*bp = buf
	if err != nil || len(buf) == hl+d2 {
		return nil, nil, fmt.Errorf("%w: signature is not base64url", ErrMalformedToken)
	}
	input, sig := buf[hl:hl+d2:hl+d2], buf[hl+d2:]
	payload, err := b64Decode(make([]byte, 0, b64Len(d2-d1-1)), token[d1+1:d2])
	if err != nil {
		return nil, nil, fmt.Errorf("%w: payload is not base64url", ErrMalformedToken)
	}

	pub, err := v.checkSignature(ctx, h.kid, alg, input, sig)
	if err != nil {
		return nil, nil, err
	}

	c := &Claims{Raw: payload}
	if err := decodeClaims(payload, string(payload), c); err != nil {
		return nil, nil, fmt.Errorf("%w: payload: %v", ErrMalformedToken, err)
	}
	if err := v.checkClaims(c, ep.issuer, kind, h.typ, nonce); err != nil {
		return nil, nil, err
	}
	if accessToken != "" && c.AccessTokenHash != "" {
		if err := checkAccessTokenHash(c.AccessTokenHash, alg, accessToken); err != nil {
			return nil, nil, err
		}
	}
	return c, pub, nil
}

// bufPool holds Verify's buffers for the decoded header, the signing
// input and the decoded signature.
var bufPool = sync.Pool{New: func() any { b := make([]byte, 0, 4096); return &b }}

func putBuf(bp *[]byte) {
	if cap(*bp) <= 2*maxTokenSize {
		*bp = (*bp)[:0]
		bufPool.Put(bp)
	}
}

func knownAlg(b []byte) (string, bool) {
	for _, a := range [...]string{RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, ES512, EdDSA} {
		if string(b) == a {
			return a, true
		}
	}
	return "", false
}

// atJWT reports whether a JOSE header typ is RFC 9068's access token
// type; media types compare without case (RFC 7515 §4.1.9).
func atJWT(typ []byte) bool {
	return bytes.EqualFold(typ, []byte("at+jwt")) || bytes.EqualFold(typ, []byte("application/at+jwt"))
}

func (v *Verifier) checkClaims(c *Claims, issuer string, kind tokenKind, headerTyp []byte, nonce string) error {
	now := v.now()
	if !v.cfg.SkipIssuerCheck && c.Issuer != issuer {
		return fmt.Errorf("%w: got %q, want %q", ErrInvalidIssuer, c.Issuer, issuer)
	}
	if !v.cfg.SkipAudienceCheck {
		found := false
		for _, a := range v.cfg.Audiences {
			if c.Audience.Contains(a) {
				found = true
				break
			}
		}
		if !found {
			return fmt.Errorf("%w: got %q, want one of %q", ErrInvalidAudience, []string(c.Audience), v.cfg.Audiences)
		}
	}
	if v.cfg.AuthorizedParty != "" && c.AuthorizedParty != v.cfg.AuthorizedParty {
		return fmt.Errorf("%w: azp is %q, want %q", ErrInvalidClaims, c.AuthorizedParty, v.cfg.AuthorizedParty)
	}
	if kind == idToken && v.cfg.AuthorizedParty == "" && v.clientID != "" && c.AuthorizedParty != "" && c.AuthorizedParty != v.clientID {
		return fmt.Errorf("%w: ID token's azp is %q, want the client ID %q", ErrInvalidClaims, c.AuthorizedParty, v.clientID)
	}
	if err := v.checkTimes(c, now); err != nil {
		return err
	}
	if !v.cfg.SkipTypeCheck {
		typ := v.cfg.TokenType
		switch kind {
		case idToken:
			typ = "ID"
		case logoutToken:
			typ = "Logout"
		}
		switch {
		case c.Type != "" && !strings.EqualFold(c.Type, typ):
			return fmt.Errorf("%w: typ is %q, want %q", ErrInvalidClaims, c.Type, typ)
		case kind != accessToken && atJWT(headerTyp):
			return fmt.Errorf("%w: header typ %q is an access token's", ErrInvalidClaims, headerTyp)
		case kind == accessToken && c.Type == "" && !atJWT(headerTyp) && !v.cfg.AcceptUntypedAccessTokens:
			return fmt.Errorf("%w: no typ claim and header typ %q, want at+jwt (RFC 9068) for an access token", ErrInvalidClaims, headerTyp)
		}
	}
	if nonce != "" && subtle.ConstantTimeCompare([]byte(c.Nonce), []byte(nonce)) != 1 {
		return fmt.Errorf("%w: nonce mismatch", ErrInvalidClaims)
	}
	return nil
}

// checkTimes checks exp, nbf and iat against now.
func (v *Verifier) checkTimes(c *Claims, now time.Time) error {
	leeway := v.cfg.Leeway
	if !v.cfg.SkipExpiryCheck {
		if c.Expiry == 0 {
			return fmt.Errorf("%w: no exp", ErrInvalidClaims)
		}
		if exp := c.Expiry.Time(); !now.Before(exp.Add(leeway)) {
			return fmt.Errorf("%w: at %s", ErrTokenExpired, exp.UTC().Format(time.RFC3339))
		}
	}
	if c.NotBefore != 0 && now.Add(leeway).Before(c.NotBefore.Time()) {
		return fmt.Errorf("%w: not before %s", ErrTokenNotYetValid, c.NotBefore.Time().UTC().Format(time.RFC3339))
	}
	if c.IssuedAt != 0 && now.Add(leeway).Before(c.IssuedAt.Time()) {
		return fmt.Errorf("%w: issued in the future, at %s", ErrTokenNotYetValid, c.IssuedAt.Time().UTC().Format(time.RFC3339))
	}
	return nil
}

func (v *Verifier) endpoints(ctx context.Context) (*verifierEndpoints, error) {
	if ep := v.ep.Load(); ep != nil {
		return ep, nil
	}
	iss, ju, err := v.resolve(ctx)
	if err != nil {
		return nil, err
	}
	ep := &verifierEndpoints{issuer: iss, jwks: ju}
	v.ep.CompareAndSwap(nil, ep)
	return v.ep.Load(), nil
}

// checkSignature finds the key for kid and alg, fetching the JWKS when
// needed, verifies sig over input and returns the key.
func (v *Verifier) checkSignature(ctx context.Context, kid []byte, alg string, input, sig []byte) (*publicKey, error) {
	ks, err := v.currentKeys(ctx)
	if err != nil {
		return nil, err
	}
	if len(kid) == 0 {
		// No kid: try every key that fits the algorithm.
		for _, k := range ks.all {
			if k.fits(alg) && verifySig(k.key, alg, input, sig) {
				return k, nil
			}
		}
		return nil, ErrInvalidSignature
	}
	k := ks.byKid[string(kid)]
	if k == nil {
		if k, err = v.refetchFor(ctx, kid); err != nil {
			return nil, err
		}
	}
	if !k.fits(alg) {
		return nil, fmt.Errorf("%w: key %q is not for %s", ErrUnsupportedAlgorithm, k.kid, alg)
	}
	if !verifySig(k.key, alg, input, sig) {
		return nil, ErrInvalidSignature
	}
	return k, nil
}

// currentKeys returns the key set, fetching it when there is none or it
// is older than MaxKeyAge. When a refresh of an old set fails or must
// wait for the rate limit, the old set stays in use.
func (v *Verifier) currentKeys(ctx context.Context) (*keySet, error) {
	ks := v.keys.Load()
	if ks != nil && v.now().Sub(ks.fetched) < v.cfg.MaxKeyAge {
		return ks, nil
	}
	nks, err := v.fetchLimited(ctx)
	if err != nil {
		if cur := v.keys.Load(); cur != nil {
			return cur, nil
		}
		return nil, err
	}
	return nks, nil
}

// refetchFor fetches the JWKS again for an unknown kid, within the rate
// limit; a fetch in flight is joined.
func (v *Verifier) refetchFor(ctx context.Context, kid []byte) (*publicKey, error) {
	ks, err := v.fetchLimited(ctx)
	if errors.Is(err, ErrKeysUnavailable) {
		ks = v.keys.Load() // another caller may have fetched it meanwhile
	} else if err != nil {
		return nil, err
	}
	if ks != nil {
		if k := ks.byKid[string(kid)]; k != nil {
			return k, nil
		}
	}
	return nil, fmt.Errorf("%w %q", ErrUnknownKey, kid)
}

// fetchLimited fetches the JWKS unless a fetch, whatever its cause and
// result, started less than RefetchInterval ago; then it returns an error
// wrapping ErrKeysUnavailable. A fetch in flight is joined.
func (v *Verifier) fetchLimited(ctx context.Context) (*keySet, error) {
	ks, err := v.fly.DoIf(ctx, v.allowFetch, v.fetch)
	if err == flight.ErrRateLimited {
		v.mu.Lock()
		last, lastErr := v.lastFetch, v.lastErr
		v.mu.Unlock()
		next := last.Add(v.cfg.RefetchInterval).UTC().Format(time.RFC3339)
		if lastErr != nil {
			return nil, fmt.Errorf("%w: the last JWKS fetch failed (%v); next one at %s", ErrKeysUnavailable, lastErr, next)
		}
		return nil, fmt.Errorf("%w: JWKS fetched less than %v ago; next fetch at %s", ErrKeysUnavailable, v.cfg.RefetchInterval, next)
	}
	return ks, err
}

func (v *Verifier) allowFetch() bool {
	v.mu.Lock()
	defer v.mu.Unlock()
	now := v.now()
	if last := v.lastFetch; !last.IsZero() && !now.Before(last) && now.Sub(last) < v.cfg.RefetchInterval {
		return false
	}
	v.lastFetch = now
	return true
}

// fetch fetches and parses the JWKS and makes it the current key set. A
// fetch cut short by its caller's context does not count for the rate
// limit.
func (v *Verifier) fetch(ctx context.Context) (*keySet, error) {
	ks, err := v.fetchOnce(ctx)
	v.mu.Lock()
	defer v.mu.Unlock()
	v.lastErr = err
	if err != nil && ctx.Err() != nil {
		v.lastFetch = time.Time{}
	}
	return ks, err
}

func (v *Verifier) fetchOnce(ctx context.Context) (*keySet, error) {
	ep, err := v.endpoints(ctx)
	if err != nil {
		return nil, err
	}
	fetched := v.now()
	set, err := fetchJWKS(ctx, v.rest, ep.jwks)
	if err != nil {
		return nil, err
	}
	ks, err := parseKeySet(set)
	if err != nil {
		return nil, err
	}
	ks.fetched = fetched
	ks.carryOver(v.keys.Load())
	v.keys.Store(ks)
	if v.cache != nil {
		v.cache.keep(ks)
	}
	return ks, nil
}

func (k *publicKey) fits(alg string) bool {
	if k.alg != "" && k.alg != alg {
		return false
	}
	return checkKeyAlg(k.key, alg) == nil
}

func verifySig(key crypto.PublicKey, alg string, input, sig []byte) bool {
	if alg == EdDSA {
		pub, ok := key.(ed25519.PublicKey)
		return ok && ed25519.Verify(pub, input, sig)
	}
	var digest []byte
	var h crypto.Hash
	switch hashOf(alg) {
	case crypto.SHA384:
		d := sha512.Sum384(input)
		digest, h = d[:], crypto.SHA384
	case crypto.SHA512:
		d := sha512.Sum512(input)
		digest, h = d[:], crypto.SHA512
	default:
		d := sha256.Sum256(input)
		digest, h = d[:], crypto.SHA256
	}
	switch alg[:2] {
	case "RS":
		pub, ok := key.(*rsa.PublicKey)
		return ok && rsa.VerifyPKCS1v15(pub, h, digest, sig) == nil
	case "PS":
		pub, ok := key.(*rsa.PublicKey)
		return ok && rsa.VerifyPSS(pub, h, digest, sig, &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthAuto}) == nil
	case "ES":
		pub, ok := key.(*ecdsa.PublicKey)
		if !ok {
			return false
		}
		size := (pub.Curve.Params().BitSize + 7) / 8
		if len(sig) != 2*size {
			return false
		}
		r := new(big.Int).SetBytes(sig[:size])
		s := new(big.Int).SetBytes(sig[size:])
		return ecdsa.Verify(pub, digest, r, s)
	}
	return false
}

// backchannelLogoutEvent is the event of an OpenID Connect back-channel
// logout token.
const backchannelLogoutEvent = "http://schemas.openid.net/event/backchannel-logout"

// VerifyLogoutToken checks a back-channel logout token (OpenID Connect
// Back-Channel Logout 1.0 §2.6), such as Keycloak POSTs to a client's
// backchannel logout URL as the form parameter logout_token: the signature,
// iss, aud, exp and iat as Verify does, typ "Logout" when present, the
// back-channel logout event, a jti, a sid or sub, and no nonce. End the
// sessions of claims.SessionID (or of claims.Subject when it has no sid).
func (v *Verifier) VerifyLogoutToken(ctx context.Context, token string) (*Claims, error) {
	c, err := v.verify(ctx, token, logoutToken, "", "")
	if err != nil {
		return nil, err
	}
	var extra struct {
		Events map[string]json.RawMessage `json:"events"`
		Nonce  *string                    `json:"nonce"`
	}
	if err := json.Unmarshal(c.Raw, &extra); err != nil {
		return nil, fmt.Errorf("%w: events: %v", ErrInvalidClaims, err)
	}
	switch ev, ok := extra.Events[backchannelLogoutEvent]; {
	case !ok || len(ev) == 0 || ev[0] != '{':
		return nil, fmt.Errorf("%w: no back-channel logout event", ErrInvalidClaims)
	case extra.Nonce != nil:
		return nil, fmt.Errorf("%w: a logout token must not have a nonce", ErrInvalidClaims)
	case c.ID == "":
		return nil, fmt.Errorf("%w: no jti", ErrInvalidClaims)
	case c.SessionID == "" && c.Subject == "":
		return nil, fmt.Errorf("%w: neither sid nor sub", ErrInvalidClaims)
	}
	return c, nil
}
