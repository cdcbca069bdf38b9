// Package oidc is the OpenID Connect and OAuth 2 client of kc: discovery,
// every grant Keycloak offers (password, client credentials, authorization
// code with PKCE, refresh, token exchange, device authorization), the
// authorization URL, UserInfo, introspection, revocation, logout, JWKS,
// local verification of access and ID tokens, and managed token sources
// that cache, refresh early and make one request however many goroutines
// ask.
//
// Endpoints are taken from the realm's discovery document, so the package
// works with any standards-compliant OpenID provider, not only Keycloak.
//
//	c, err := oidc.New("https://sso.example.com", "acme", "billing",
//		oidc.WithClientSecret(secret))
//	tok, err := c.ClientCredentials(ctx)
package oidc

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"errors"
	"fmt"
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

// AuthMethod is how the client authenticates to the token, introspection,
// revocation, logout and device endpoints
// (token_endpoint_auth_method of OpenID Connect Dynamic Registration).
type AuthMethod string

// The client authentication methods.
const (
	// ClientSecretBasic sends the client ID and secret as HTTP Basic
	// credentials. The default when a secret is set.
	ClientSecretBasic AuthMethod = "client_secret_basic"
	// ClientSecretPost sends client_id and client_secret in the form.
	ClientSecretPost AuthMethod = "client_secret_post"
	// ClientSecretJWT sends a client assertion signed with HS256 and the
	// secret (Keycloak: "Signed JWT with Client Secret").
	ClientSecretJWT AuthMethod = "client_secret_jwt"
	// PrivateKeyJWT sends a client assertion signed with the private key of
	// [WithPrivateKey] (Keycloak: "Signed JWT").
	PrivateKeyJWT AuthMethod = "private_key_jwt"
	// None is a public client: only client_id is sent. The default when no
	// secret and no key is set.
	None AuthMethod = "none"
)

// Signature algorithms, for [WithPrivateKey] and [VerifierConfig].
const (
	RS256 = "RS256"
	RS384 = "RS384"
	RS512 = "RS512"
	PS256 = "PS256"
	PS384 = "PS384"
	PS512 = "PS512"
	ES256 = "ES256"
	ES384 = "ES384"
	ES512 = "ES512"
	EdDSA = "EdDSA"
	hs256 = "HS256" // client_secret_jwt only
)

// DefaultEarlyRefresh is how long before expiry a managed token source
// refreshes its token, at most: it refreshes at the smaller of this and a
// tenth of the token's lifetime before the token expires.
const DefaultEarlyRefresh = 30 * time.Second

type config struct {
	secret       string
	method       AuthMethod
	key          crypto.Signer
	keyID        string
	keyAlg       string
	scopes       []string
	now          func() time.Time
	earlyRefresh time.Duration
	earlySet     bool
	discovery    *Discovery
}

func option(name string, f func(*config) error) kc.Option {
	return settings.PackageOption[config]{Name: "oidc." + name, F: f}
}

// WithClientSecret sets the client secret of a confidential client. It is
// sent as [ClientSecretBasic] unless [WithAuthMethod] says otherwise.
func WithClientSecret(secret string) kc.Option {
	return option("WithClientSecret", func(c *config) error {
		if secret == "" {
			return errors.New("oidc: WithClientSecret: secret is empty")
		}
		c.secret = secret
		return nil
	})
}

// WithAuthMethod sets how the client authenticates. The default is
// [ClientSecretBasic] with a secret, [PrivateKeyJWT] with a private key and
// [None] otherwise.
func WithAuthMethod(m AuthMethod) kc.Option {
	return option("WithAuthMethod", func(c *config) error {
		switch m {
		case ClientSecretBasic, ClientSecretPost, ClientSecretJWT, PrivateKeyJWT, None:
			c.method = m
			return nil
		}
		return fmt.Errorf("oidc: WithAuthMethod: unknown method %q", string(m))
	})
}

// WithPrivateKey sets the key that signs client assertions for
// [PrivateKeyJWT]: an RSA key for RS256, RS384, RS512, PS256, PS384 or
// PS512, an ECDSA key for ES256 (P-256), ES384 (P-384) or ES512 (P-521), or
// an Ed25519 key for EdDSA. kid is put in the assertion's header; Keycloak
// finds the key by it in the client's JWKS, or uses the client's one
// certificate when kid is empty.
func WithPrivateKey(key crypto.Signer, kid, alg string) kc.Option {
	return option("WithPrivateKey", func(c *config) error {
		if key == nil {
			return errors.New("oidc: WithPrivateKey: key is nil")
		}
		if err := checkKeyAlg(key.Public(), alg); err != nil {
			return fmt.Errorf("oidc: WithPrivateKey: %w", err)
		}
		c.key, c.keyID, c.keyAlg = key, kid, alg
		return nil
	})
}

// WithScopes sets the scopes sent with every grant and authorization URL
// that is not given its own with [Scope]. Without it no scope parameter is
// sent and Keycloak applies the client's default scopes; add "openid" to
// get an ID token.
func WithScopes(scopes ...string) kc.Option {
	return option("WithScopes", func(c *config) error {
		for _, s := range scopes {
			if s == "" || strings.ContainsAny(s, " \t\r\n") {
				return fmt.Errorf("oidc: WithScopes: bad scope %q", s)
			}
		}
		c.scopes = append([]string(nil), scopes...)
		return nil
	})
}

// WithClock makes the client read the time from now instead of time.Now:
// for token expiry, client assertions and token verification. For tests.
func WithClock(now func() time.Time) kc.Option {
	return option("WithClock", func(c *config) error {
		if now == nil {
			return errors.New("oidc: WithClock: now is nil")
		}
		c.now = now
		return nil
	})
}

// WithEarlyRefresh sets how long before expiry the managed token sources
// refresh their token, at most (see [DefaultEarlyRefresh]). Zero refreshes
// only once the token has expired.
func WithEarlyRefresh(d time.Duration) kc.Option {
	return option("WithEarlyRefresh", func(c *config) error {
		if d < 0 {
			return fmt.Errorf("oidc: WithEarlyRefresh: duration is negative (%v)", d)
		}
		c.earlyRefresh, c.earlySet = d, true
		return nil
	})
}

// WithDiscoveryDocument gives the client its discovery document, so it
// never fetches one: for providers without discovery, or to pin the
// endpoints. Its issuer and token endpoint must be set.
func WithDiscoveryDocument(d *Discovery) kc.Option {
	return option("WithDiscoveryDocument", func(c *config) error {
		switch {
		case d == nil:
			return errors.New("oidc: WithDiscoveryDocument: document is nil")
		case d.Issuer == "":
			return errors.New("oidc: WithDiscoveryDocument: issuer is empty")
		case d.TokenEndpoint == "":
			return errors.New("oidc: WithDiscoveryDocument: token endpoint is empty")
		}
		cp := *d
		c.discovery = &cp
		return nil
	})
}

// Client is an OpenID Connect client of one realm. It is safe for
// concurrent use; its discovery document is fetched once, on first use,
// and shared by all its calls.
type Client struct {
	rest     *rest.Client
	realm    string // "" for a client of NewFromIssuer
	issuer   string // the issuer asked for by NewFromIssuer, or ""
	clientID string
	cfg      config
	now      func() time.Time
	// wait blocks for d or until ctx ends; tests replace it.
	wait func(ctx context.Context, d time.Duration) error

	disc    atomic.Pointer[Discovery]
	discFly flight.Group[*Discovery]

	uiOnce     sync.Once
	uiVerifier *Verifier
	uiErr      error
}

// userInfoVerifier verifies signed userinfo answers: any asymmetric
// algorithm, no audience, type or expiry check.
func (c *Client) userInfoVerifier() (*Verifier, error) {
	c.uiOnce.Do(func() {
		c.uiVerifier, c.uiErr = c.Verifier(VerifierConfig{SkipAudienceCheck: true, SkipTypeCheck: true, SkipExpiryCheck: true,
			Algorithms: []string{RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, ES512, EdDSA}})
	})
	return c.uiVerifier, c.uiErr
}

// New returns a client for the OpenID Connect endpoints of realm on the
// server at serverURL (such as "https://sso.example.com", or
// "https://sso.example.com/auth" for Keycloak 16 and older), for the client
// clientID. Nothing is sent until a method is called.
//
// The discovery document comes from
// {serverURL}/realms/{realm}/.well-known/openid-configuration, and its
// issuer is taken as it is (Keycloak's frontend URL may differ from
// serverURL). For a Keycloak whose issuer is not under serverURL's
// /realms/, or for any other OpenID provider, use [NewFromIssuer].
func New(serverURL, realm, clientID string, opts ...kc.Option) (*Client, error) {
	if strings.TrimSpace(realm) == "" {
		return nil, errors.New("oidc: realm is empty")
	}
	s, cfg, err := clientSettings(clientID, opts)
	if err != nil {
		return nil, err
	}
	rc, err := rest.New("oidc", serverURL, s)
	if err != nil {
		return nil, err
	}
	return newClient(rc, realm, "", clientID, cfg)
}

// NewFromIssuer returns a client of the OpenID provider whose issuer is
// issuerURL (such as "https://login.example.com/realms/acme", or any
// OpenID provider's issuer), for the client clientID. Nothing is sent
// until a method is called.
//
// The discovery document comes from
// {issuerURL}/.well-known/openid-configuration (OpenID Connect Discovery
// §4), and its issuer must equal issuerURL exactly (§4.3): otherwise every
// call fails with an error wrapping [ErrIssuerMismatch]. The client's
// Realm is "". kc.WithBasePath and kc.WithLegacyAuthPath do not apply
// (issuerURL holds the whole path) and are refused.
func NewFromIssuer(issuerURL, clientID string, opts ...kc.Option) (*Client, error) {
	u, err := url.Parse(issuerURL)
	switch {
	case issuerURL == "":
		return nil, errors.New("oidc: NewFromIssuer: issuerURL is empty")
	case err != nil:
		return nil, fmt.Errorf("oidc: NewFromIssuer: issuerURL: %w", errors.Unwrap(err))
	case u.User != nil:
		return nil, errors.New("oidc: NewFromIssuer: issuerURL must not hold credentials")
	case u.Scheme != "https" && u.Scheme != "http", u.Host == "", u.RawQuery != "", u.ForceQuery, u.Fragment != "":
		return nil, fmt.Errorf("oidc: NewFromIssuer: issuerURL %q is not an http(s) URL without query or fragment", issuerURL)
	}
	s, cfg, err := clientSettings(clientID, opts)
	if err != nil {
		return nil, err
	}
	if s.BasePath != "" {
		return nil, errors.New("oidc: NewFromIssuer: kc.WithBasePath and kc.WithLegacyAuthPath do not apply: issuerURL holds the whole path")
	}
	if cfg.discovery != nil && cfg.discovery.Issuer != issuerURL {
		return nil, fmt.Errorf("%w: WithDiscoveryDocument's issuer is %q, not %q", ErrIssuerMismatch, cfg.discovery.Issuer, issuerURL)
	}
	rc, err := rest.New("oidc", u.Scheme+"://"+u.Host, s)
	if err != nil {
		return nil, err
	}
	return newClient(rc, "", issuerURL, clientID, cfg)
}

// clientSettings applies opts for a client of clientID.
func clientSettings(clientID string, opts []kc.Option) (*settings.Settings, config, error) {
	var cfg config
	if strings.TrimSpace(clientID) == "" {
		return nil, cfg, errors.New("oidc: clientID is empty")
	}
	s, err := settings.New(opts)
	if err != nil {
		return nil, cfg, fmt.Errorf("oidc: %w", err)
	}
	if err := settings.ApplyPackage(s, "oidc", &cfg); err != nil {
		return nil, cfg, err
	}
	return s, cfg, nil
}

func newClient(rc *rest.Client, realm, issuer, clientID string, cfg config) (*Client, error) {
	if cfg.method == "" {
		switch {
		case cfg.key != nil:
			cfg.method = PrivateKeyJWT
		case cfg.secret != "":
			cfg.method = ClientSecretBasic
		default:
			cfg.method = None
		}
	}
	switch cfg.method {
	case ClientSecretBasic, ClientSecretPost, ClientSecretJWT:
		if cfg.secret == "" {
			return nil, fmt.Errorf("oidc: auth method %s needs WithClientSecret", cfg.method)
		}
	case PrivateKeyJWT:
		if cfg.key == nil {
			return nil, errors.New("oidc: auth method private_key_jwt needs WithPrivateKey")
		}
	}
	if cfg.now == nil {
		cfg.now = time.Now
	}
	c := &Client{rest: rc, realm: realm, issuer: issuer, clientID: clientID, cfg: cfg, now: cfg.now, wait: sleepCtx}
	if cfg.discovery != nil {
		c.disc.Store(cfg.discovery)
	}
	return c, nil
}

// ClientID returns the client's ID.
func (c *Client) ClientID() string { return c.clientID }

// Realm returns the realm's name; "" for a client made by [NewFromIssuer].
func (c *Client) Realm() string { return c.realm }

// String describes the client without its secret or key.
func (c *Client) String() string {
	if c.issuer != "" {
		return fmt.Sprintf("oidc.Client{issuer=%s, client=%s, auth=%s}", c.issuer, c.clientID, c.cfg.method)
	}
	return fmt.Sprintf("oidc.Client{server=%s, realm=%s, client=%s, auth=%s}",
		c.rest.Base(), c.realm, c.clientID, c.cfg.method)
}

// GoString is String, so %#v shows no secret either.
func (c *Client) GoString() string { return c.String() }

// Format makes every fmt verb print String.
func (c *Client) Format(f fmt.State, _ rune) { fmt.Fprint(f, c.String()) }

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func checkKeyAlg(pub crypto.PublicKey, alg string) error {
	switch alg {
	case RS256, RS384, RS512, PS256, PS384, PS512:
		if _, ok := pub.(*rsa.PublicKey); !ok {
			return fmt.Errorf("algorithm %s needs an RSA key, got %T", alg, pub)
		}
	case ES256, ES384, ES512:
		k, ok := pub.(*ecdsa.PublicKey)
		if !ok {
			return fmt.Errorf("algorithm %s needs an ECDSA key, got %T", alg, pub)
		}
		if want := curveBits(alg); k.Curve.Params().BitSize != want {
			return fmt.Errorf("algorithm %s needs a P-%d key, got P-%d", alg, want, k.Curve.Params().BitSize)
		}
	case EdDSA:
		if _, ok := pub.(ed25519.PublicKey); !ok {
			return fmt.Errorf("algorithm EdDSA needs an Ed25519 key, got %T", pub)
		}
	default:
		return fmt.Errorf("unsupported algorithm %q", alg)
	}
	return nil
}

func curveBits(alg string) int {
	switch alg {
	case ES384:
		return 384
	case ES512:
		return 521
	}
	return 256
}

func (c *Client) earlySet() bool { return c.cfg.earlySet }
