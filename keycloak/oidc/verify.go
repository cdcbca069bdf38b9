package oidc

import (
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
)

// DefaultRefetchInterval is the least time between two JWKS fetches caused
// by an unknown key ID.
const DefaultRefetchInterval = 10 * time.Second

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
	// RefetchInterval is the least time between two JWKS fetches caused by
	// an unknown kid; DefaultRefetchInterval when zero.
	RefetchInterval time.Duration
}

// Verifier verifies access and ID tokens locally, with the provider's
// public keys. The JWKS is fetched on first use and parsed once; a token
// signed with an unknown key ID makes it fetch the JWKS again, at most
// once per RefetchInterval, so a key rotation costs one request and a
// flood of made-up key IDs cannot hammer the provider. Concurrent callers
// share one fetch. When a fetch fails the keys already known stay in use.
// A Verifier is safe for concurrent use.
type Verifier struct {
	cfg      VerifierConfig
	now      func() time.Time
	rest     *rest.Client
	resolve  func(ctx context.Context) (issuer string, jwks *url.URL, err error)
	allowAlg map[string]bool

	ep   atomic.Pointer[verifierEndpoints]
	keys atomic.Pointer[keySet]
	fly  flight[*keySet]

	mu          sync.Mutex // guards lastRefetch
	lastRefetch time.Time
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
	if cfg.TokenType == "" {
		cfg.TokenType = "Bearer"
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
	return &Verifier{cfg: cfg, now: now, rest: rc, allowAlg: allow}, nil
}

// Verify checks an access token: its signature with the provider's keys,
// then iss, aud, azp, exp, nbf, iat and typ as the config says, and
// returns its claims. Errors wrap ErrMalformedToken,
// ErrUnsupportedAlgorithm, ErrUnknownKey, ErrInvalidSignature,
// ErrTokenExpired, ErrTokenNotYetValid, ErrInvalidIssuer,
// ErrInvalidAudience or ErrInvalidClaims, or are the error of the JWKS
// fetch. ctx bounds the JWKS fetch, when one is needed.
func (v *Verifier) Verify(ctx context.Context, token string) (*Claims, error) {
	return v.verify(ctx, token, v.cfg.TokenType, "")
}

// VerifyIDToken checks an ID token like Verify, with typ "ID" instead of
// the config's TokenType, and, when nonce is not empty, that the token's
// nonce claim equals it (the nonce of the authorization URL, [Nonce]).
func (v *Verifier) VerifyIDToken(ctx context.Context, token, nonce string) (*Claims, error) {
	c, err := v.verify(ctx, token, "ID", nonce)
	if err != nil {
		return nil, err
	}
	return c, nil
}

func (v *Verifier) verify(ctx context.Context, token, typ, nonce string) (*Claims, error) {
	if len(token) > maxTokenSize {
		return nil, fmt.Errorf("%w: longer than %d bytes", ErrMalformedToken, maxTokenSize)
	}
	d1 := strings.IndexByte(token, '.')
	if d1 < 0 {
		return nil, fmt.Errorf("%w: not a compact JWS", ErrMalformedToken)
	}
	d2 := strings.IndexByte(token[d1+1:], '.')
	if d2 < 0 || strings.IndexByte(token[d1+1+d2+1:], '.') >= 0 {
		return nil, fmt.Errorf("%w: not a compact JWS of three parts", ErrMalformedToken)
	}
	d2 += d1 + 1

	var hbuf [256]byte
	hb, err := b64Decode(hbuf[:0], token[:d1])
	if err != nil {
		return nil, fmt.Errorf("%w: header is not base64url", ErrMalformedToken)
	}
	var h jwsHeader
	if err := parseHeader(hb, &h); err != nil {
		return nil, fmt.Errorf("%w: header is not a JSON object", ErrMalformedToken)
	}
	if h.alg == nil {
		return nil, fmt.Errorf("%w: header has no alg", ErrMalformedToken)
	}
	if h.crit {
		return nil, fmt.Errorf("%w: header has crit extensions", ErrMalformedToken)
	}
	alg, ok := knownAlg(h.alg)
	if !ok || !v.allowAlg[alg] {
		return nil, fmt.Errorf("%w: %q", ErrUnsupportedAlgorithm, h.alg)
	}

	var sbuf [512]byte
	sig, err := b64Decode(sbuf[:0], token[d2+1:])
	if err != nil || len(sig) == 0 {
		return nil, fmt.Errorf("%w: signature is not base64url", ErrMalformedToken)
	}

	ep, err := v.endpoints(ctx)
	if err != nil {
		return nil, err
	}

	// One buffer for the signing input and the decoded payload.
	buf := make([]byte, d2, d2+b64Len(d2-d1-1))
	copy(buf, token[:d2])
	payload, err := b64Decode(buf[d2:], token[d1+1:d2])
	if err != nil {
		return nil, fmt.Errorf("%w: payload is not base64url", ErrMalformedToken)
	}
	input := buf[:d2]

	if err := v.checkSignature(ctx, h.kid, alg, input, sig); err != nil {
		return nil, err
	}

	c := new(Claims)
	if err := json.Unmarshal(payload, c); err != nil {
		return nil, fmt.Errorf("%w: payload: %v", ErrMalformedToken, err)
	}
	c.Raw = payload
	if err := v.checkClaims(c, ep.issuer, typ, nonce); err != nil {
		return nil, err
	}
	return c, nil
}

func knownAlg(b []byte) (string, bool) {
	for _, a := range [...]string{RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, ES512, EdDSA} {
		if string(b) == a {
			return a, true
		}
	}
	return "", false
}

func (v *Verifier) checkClaims(c *Claims, issuer, typ, nonce string) error {
	now := v.now()
	leeway := v.cfg.Leeway
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
	if !v.cfg.SkipTypeCheck && c.Type != "" && !strings.EqualFold(c.Type, typ) {
		return fmt.Errorf("%w: typ is %q, want %q", ErrInvalidClaims, c.Type, typ)
	}
	if nonce != "" && subtle.ConstantTimeCompare([]byte(c.Nonce), []byte(nonce)) != 1 {
		return fmt.Errorf("%w: nonce mismatch", ErrInvalidClaims)
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
// needed, and verifies sig over input.
func (v *Verifier) checkSignature(ctx context.Context, kid []byte, alg string, input, sig []byte) error {
	ks := v.keys.Load()
	if ks == nil {
		var err error
		if ks, err = v.fly.do(ctx, v.fetch); err != nil {
			return err
		}
	}
	if len(kid) == 0 {
		// No kid: try every key that fits the algorithm.
		for _, k := range ks.all {
			if k.fits(alg) && verifySig(k.key, alg, input, sig) {
				return nil
			}
		}
		return ErrInvalidSignature
	}
	k := ks.byKid[string(kid)]
	if k == nil {
		var err error
		if k, err = v.refetchFor(ctx, kid); err != nil {
			return err
		}
	}
	if !k.fits(alg) {
		return fmt.Errorf("%w: key %q is not for %s", ErrUnsupportedAlgorithm, k.kid, alg)
	}
	if !verifySig(k.key, alg, input, sig) {
		return ErrInvalidSignature
	}
	return nil
}

// refetchFor fetches the JWKS again for an unknown kid, unless a fetch for
// an unknown kid started less than RefetchInterval ago; a fetch in flight
// is joined.
func (v *Verifier) refetchFor(ctx context.Context, kid []byte) (*publicKey, error) {
	ks, err := v.fly.doIf(ctx, v.allowRefetch, v.fetch)
	if err == errRateLimited {
		ks = v.keys.Load() // another caller may have fetched it meanwhile
	} else if err != nil {
		return nil, err
	}
	if k := ks.byKid[string(kid)]; k != nil {
		return k, nil
	}
	return nil, fmt.Errorf("%w %q", ErrUnknownKey, kid)
}

func (v *Verifier) allowRefetch() bool {
	v.mu.Lock()
	defer v.mu.Unlock()
	now := v.now()
	if last := v.lastRefetch; !last.IsZero() && !now.Before(last) && now.Sub(last) < v.cfg.RefetchInterval {
		return false
	}
	v.lastRefetch = now
	return true
}

// fetch fetches and parses the JWKS and makes it the current key set.
func (v *Verifier) fetch(ctx context.Context) (*keySet, error) {
	ep, err := v.endpoints(ctx)
	if err != nil {
		return nil, err
	}
	set, err := fetchJWKS(ctx, v.rest, ep.jwks)
	if err != nil {
		return nil, err
	}
	ks, err := parseKeySet(set)
	if err != nil {
		return nil, err
	}
	v.keys.Store(ks)
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
	c, err := v.verify(ctx, token, "Logout", "")
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
