// Package umadiscovery fetches a realm's UMA 2 configuration
// (/.well-known/uma2-configuration) once, lazily, for packages authz and
// uma: concurrent first callers share one request, a failure is not
// cached, and a caller whose context ends stops waiting at once.
package umadiscovery

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"sync"

	"golang.org/x/sync/singleflight"

	"github.com/kcgo/kc/internal/rest"
)

// Configuration is the UMA 2 configuration document of a realm.
type Configuration struct {
	Issuer                       string   `json:"issuer"`
	AuthorizationEndpoint        string   `json:"authorization_endpoint,omitempty"`
	TokenEndpoint                string   `json:"token_endpoint"`
	IntrospectionEndpoint        string   `json:"introspection_endpoint,omitempty"`
	EndSessionEndpoint           string   `json:"end_session_endpoint,omitempty"`
	JWKSURI                      string   `json:"jwks_uri,omitempty"`
	RegistrationEndpoint         string   `json:"registration_endpoint,omitempty"`
	ResourceRegistrationEndpoint string   `json:"resource_registration_endpoint"`
	PermissionEndpoint           string   `json:"permission_endpoint"`
	PolicyEndpoint               string   `json:"policy_endpoint"`
	GrantTypesSupported          []string `json:"grant_types_supported,omitempty"`
	ScopesSupported              []string `json:"scopes_supported,omitempty"`
	ResponseTypesSupported       []string `json:"response_types_supported,omitempty"`
	ResponseModesSupported       []string `json:"response_modes_supported,omitempty"`
	TokenEndpointAuthMethods     []string `json:"token_endpoint_auth_methods_supported,omitempty"`
}

// Endpoint parses one of the document's endpoint URLs; name is its JSON
// key, for the error.
func (c *Configuration) Endpoint(pkg, name, raw string) (*url.URL, error) {
	if raw == "" {
		return nil, fmt.Errorf("%s: uma2-configuration has no %s", pkg, name)
	}
	u, err := url.Parse(raw)
	if err != nil || !u.IsAbs() || (u.Scheme != "http" && u.Scheme != "https") {
		return nil, fmt.Errorf("%s: uma2-configuration: %s %q is not an absolute http(s) URL", pkg, name, raw)
	}
	return u, nil
}

// Discovery fetches and caches the configuration of one realm.
type Discovery struct {
	rc    *rest.Client
	realm string

	group singleflight.Group
	mu    sync.Mutex
	conf  *Configuration
}

// New returns a Discovery for realm, sending its request through rc.
func New(rc *rest.Client, realm string) *Discovery {
	return &Discovery{rc: rc, realm: realm}
}

// Get returns the configuration, fetching it on the first call (and after
// a failed one). The returned value must not be changed.
//
// Keycloak: GET /realms/{realm}/.well-known/uma2-configuration
func (d *Discovery) Get(ctx context.Context) (*Configuration, error) {
	d.mu.Lock()
	conf := d.conf
	d.mu.Unlock()
	if conf != nil {
		return conf, nil
	}
	return Shared(ctx, &d.group, "conf", func() (*Configuration, error) { return d.fetch(ctx) })
}

// Shared runs fn once for all concurrent callers of the same key, each
// waiting only as long as its own context lives. fn runs with the first
// caller's context; when that context ends the call, a caller whose
// context is still alive tries again rather than take the other's error.
func Shared[T any](ctx context.Context, g *singleflight.Group, key string, fn func() (T, error)) (T, error) {
	var zero T
	for {
		ch := g.DoChan(key, func() (any, error) { return fn() })
		select {
		case <-ctx.Done():
			return zero, ctx.Err()
		case r := <-ch:
			if r.Err != nil {
				if (errors.Is(r.Err, context.Canceled) || errors.Is(r.Err, context.DeadlineExceeded)) && ctx.Err() == nil && r.Shared {
					continue
				}
				return zero, r.Err
			}
			return r.Val.(T), nil
		}
	}
}

func (d *Discovery) fetch(ctx context.Context) (*Configuration, error) {
	var conf Configuration
	if _, err := d.rc.Do(ctx, &rest.Request{
		Method: "GET",
		Path:   []string{"realms", d.realm, ".well-known", "uma2-configuration"},
	}, &conf); err != nil {
		return nil, err
	}
	d.mu.Lock()
	d.conf = &conf
	d.mu.Unlock()
	return &conf, nil
}
