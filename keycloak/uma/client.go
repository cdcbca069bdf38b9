// Package uma is a client of Keycloak's UMA 2 Protection API, the API a
// resource server uses to manage what it protects: resource sets,
// permission tickets and the policies resource owners set on their
// resources.
//
//	c, err := uma.New("https://sso.example.com", "acme", "photoz-api",
//		uma.WithClientSecret(secret))
//	res, err := c.CreateResource(ctx, uma.Resource{Name: "Album 1",
//		Scopes: []uma.Scope{{Name: "album:view"}}})
//
// The Protection API takes a protection API token (PAT): an access token
// of the resource server's client with the client role uma_protection,
// which Keycloak gives the client's service account when authorization
// services are enabled. [WithClientSecret] obtains it with the
// client_credentials grant, caches it and refreshes it; [WithPAT] takes a
// token source of the caller's.
//
// The endpoints come from the realm's UMA 2 configuration
// (/.well-known/uma2-configuration), fetched on the first call that needs
// it, once.
package uma

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/kcgo/kc"
	"github.com/kcgo/kc/internal/rest"
	"github.com/kcgo/kc/internal/settings"
	"github.com/kcgo/kc/internal/umadiscovery"
	"github.com/kcgo/kc/keycloak/oidc"
)

// Client is a client of the Protection API of one realm. It is safe for
// concurrent use.
type Client struct {
	rest  *rest.Client
	realm string
	disc  *umadiscovery.Discovery
	pat   kc.TokenSource // nil: no PAT configured
}

type config struct {
	secret string
	pat    kc.TokenSource
}

// WithClientSecret gives the secret of the resource server's client (a
// confidential client with authorization services enabled): the client
// obtains its PAT with the client_credentials grant. The token is cached,
// refreshed shortly before it expires, dropped when the server rejects
// it, and one request serves all goroutines that need it. It is given as
// oidc.WithClientSecret and authz.WithClientSecret are.
func WithClientSecret(secret string) kc.Option {
	return settings.PackageOption[config]{Name: "uma.WithClientSecret", F: func(c *config) error {
		if secret == "" {
			return errors.New("uma: WithClientSecret: secret is empty")
		}
		if c.pat != nil {
			return errors.New("uma: WithClientSecret and WithPAT both given")
		}
		c.secret = secret
		return nil
	}}
}

// WithPAT makes the client authenticate with tokens from ts, such as an
// oidc client-credentials token source of the resource server. Use
// kc.StaticAccessToken for a token string.
func WithPAT(ts kc.TokenSource) kc.Option {
	return settings.PackageOption[config]{Name: "uma.WithPAT", F: func(c *config) error {
		if ts == nil {
			return errors.New("uma: WithPAT: token source is nil")
		}
		if c.secret != "" {
			return errors.New("uma: WithClientSecret and WithPAT both given")
		}
		c.pat = ts
		return nil
	}}
}

// New returns a client of the Protection API of realm on the Keycloak
// server at serverURL (such as "https://sso.example.com", or
// "https://sso.example.com/auth" for Keycloak 16 and older), for the
// resource server clientID (the client with authorization services
// enabled), as authz.New and oidc.New take it.
//
// Without [WithClientSecret] or [WithPAT], the calls that need the
// PAT fail with an error; the calls that take the resource owner's token
// (the user-managed policies) still work.
func New(serverURL, realm, clientID string, opts ...kc.Option) (*Client, error) {
	if strings.TrimSpace(realm) == "" {
		return nil, errors.New("uma: realm is empty")
	}
	if strings.TrimSpace(clientID) == "" {
		return nil, errors.New("uma: clientID is empty")
	}
	s, err := settings.New(opts)
	if err != nil {
		return nil, fmt.Errorf("uma: %w", err)
	}
	var cfg config
	if err := settings.ApplyPackage(s, "uma", &cfg); err != nil {
		return nil, err
	}
	rc, err := rest.New("uma", serverURL, s)
	if err != nil {
		return nil, err
	}
	c := &Client{rest: rc, realm: realm, disc: umadiscovery.New(rc, realm), pat: cfg.pat}
	if cfg.secret != "" {
		// The PAT is oidc's managed client-credentials source: cached,
		// refreshed early, one request for all goroutines.
		oc, err := oidc.New(serverURL, realm, clientID, settings.Inherit(s), oidc.WithClientSecret(cfg.secret))
		if err != nil {
			return nil, err // already "oidc: ..."; uma's own options were checked above
		}
		c.pat = oc.ClientCredentialsSource()
	}
	return c, nil
}

// PAT returns the token source the client authenticates with: the one of
// [WithPAT], or the cached client-credentials source of
// [WithClientSecret]; nil when there is none. The latter can serve
// other clients of the resource server too.
func (c *Client) PAT() kc.TokenSource { return c.pat }

// Configuration returns the realm's UMA 2 configuration, fetched once.
//
// Keycloak: GET /realms/{realm}/.well-known/uma2-configuration
func (c *Client) Configuration(ctx context.Context) (*Configuration, error) {
	if ctx == nil {
		return nil, errors.New("uma: nil context")
	}
	conf, err := c.disc.Get(ctx)
	if err != nil {
		return nil, err
	}
	out := Configuration(*conf)
	for _, l := range []*[]string{&out.GrantTypesSupported, &out.ScopesSupported, &out.ResponseTypesSupported,
		&out.ResponseModesSupported, &out.TokenEndpointAuthMethods} {
		*l = slices.Clone(*l) // the cached document stays as it is
	}
	return &out, nil
}

// Configuration is a realm's UMA 2 configuration document.
type Configuration umadiscovery.Configuration

// endpoint returns the discovered endpoint of the given JSON key, followed
// by the path segments, each escaped.
func (c *Client) endpoint(ctx context.Context, key string, segments ...string) (*url.URL, error) {
	conf, err := c.disc.Get(ctx)
	if err != nil {
		return nil, err
	}
	var raw string
	switch key {
	case "resource_registration_endpoint":
		raw = conf.ResourceRegistrationEndpoint
	case "permission_endpoint":
		raw = conf.PermissionEndpoint
	case "policy_endpoint":
		raw = conf.PolicyEndpoint
	case "token_endpoint":
		raw = conf.TokenEndpoint
	}
	u, err := conf.Endpoint("uma", key, raw)
	if err != nil {
		return nil, err
	}
	return appendPath(u, segments...), nil
}

func appendPath(u *url.URL, segments ...string) *url.URL {
	cp := *u
	p, esc := strings.TrimRight(cp.Path, "/"), strings.TrimRight(cp.EscapedPath(), "/")
	for _, s := range segments {
		p += "/" + s
		esc += "/" + url.PathEscape(s)
	}
	cp.Path, cp.RawPath = p, esc
	return &cp
}

// patSource returns the PAT source or an error when none is configured.
func (c *Client) patSource() (kc.TokenSource, error) {
	if c.pat == nil {
		return nil, errors.New("uma: no PAT: give WithClientSecret or WithPAT to New")
	}
	return c.pat, nil
}

// do sends a request to a discovered endpoint with the token of ts.
func (c *Client) do(ctx context.Context, ts kc.TokenSource, method, key string, segments []string, query url.Values, body, out any, idempotent bool) (*rest.Response, error) {
	u, err := c.endpoint(ctx, key, segments...)
	if err != nil {
		return nil, err
	}
	// The Protection API answers a rejected token with 403
	// invalid_bearer_token, not 401: a source that can drop its token
	// (the managed PAT) gets one more try with a fresh token.
	return c.rest.Do(ctx, &rest.Request{Method: method, URL: u, Query: query, JSON: body, Auth: ts,
		Idempotent: idempotent, TokenRejected: isInvalidBearer}, out)
}

func isInvalidBearer(e *kc.APIError) bool {
	return e.StatusCode == http.StatusForbidden && e.ErrorCode == "invalid_bearer_token"
}

func checkCtx(ctx context.Context) error {
	if ctx == nil {
		return errors.New("uma: nil context")
	}
	return nil
}

func checkID(name, v string) error {
	if strings.TrimSpace(v) == "" {
		return fmt.Errorf("uma: %s is empty", name)
	}
	if v == "." || v == ".." {
		return fmt.Errorf("uma: %s %q is not allowed", name, v)
	}
	return nil
}
