// Package keycloak is where kc starts: a [Realm] names a Keycloak server
// and one of its realms, holds the options every API client of that realm
// shares, and makes those clients.
//
//	realm, err := keycloak.NewRealm("https://sso.example.com", "acme",
//		kc.WithTimeout(10*time.Second))
//
// The API clients share the realm's options and, unless kc.WithHTTPClient
// says otherwise, one pool of connections.
package keycloak

import (
	"fmt"
	"strings"

	"github.com/kcgo/kc"
	"github.com/kcgo/kc/internal/rest"
	"github.com/kcgo/kc/internal/settings"
	"github.com/kcgo/kc/keycloak/admin"
	"github.com/kcgo/kc/keycloak/authz"
	"github.com/kcgo/kc/keycloak/oidc"
	"github.com/kcgo/kc/keycloak/uma"
)

// Realm is a realm of a Keycloak server. It is immutable and safe for
// concurrent use.
type Realm struct {
	serverURL string
	name      string
	opts      []kc.Option
}

// NewRealm checks serverURL (an absolute http or https URL, such as
// "https://sso.example.com" or, for Keycloak 16 and older,
// "https://sso.example.com/auth") and realmName (not empty), validates the
// common options, and returns the realm. Options of one API package (such
// as oidc.WithClientSecret) belong to that package's constructor, not here.
func NewRealm(serverURL, realmName string, opts ...kc.Option) (*Realm, error) {
	u, err := rest.ParseServerURL("keycloak", serverURL)
	if err != nil {
		return nil, err
	}
	if strings.TrimSpace(realmName) == "" {
		return nil, fmt.Errorf("keycloak: realmName is empty")
	}
	s, err := settings.New(opts)
	if err != nil {
		return nil, fmt.Errorf("keycloak: %w", err)
	}
	var none struct{}
	if err := settings.ApplyPackage(s, "keycloak", &none); err != nil {
		return nil, err
	}
	r := &Realm{serverURL: u.String(), name: realmName}
	if s.HTTPClient == nil {
		// One pool of connections for every client of this realm.
		r.opts = append(r.opts, kc.WithHTTPClient(rest.SharedHTTPClient()))
	}
	r.opts = append(r.opts, opts...)
	return r, nil
}

// Name returns the realm's name.
func (r *Realm) Name() string { return r.name }

// ServerURL returns the server URL, without trailing slash.
func (r *Realm) ServerURL() string { return r.serverURL }

// Options returns the realm's options followed by more: what each API
// client of the realm is made with.
func (r *Realm) Options(more ...kc.Option) []kc.Option {
	out := make([]kc.Option, 0, len(r.opts)+len(more))
	out = append(out, r.opts...)
	return append(out, more...)
}

// OpenIDConnect returns an OpenID Connect client of the realm for clientID,
// with the realm's options followed by opts (oidc.WithClientSecret, ...).
func (r *Realm) OpenIDConnect(clientID string, opts ...kc.Option) (*oidc.Client, error) {
	return oidc.New(r.serverURL, r.name, clientID, r.Options(opts...)...)
}

// Authz returns an Authorization Services client of the realm for the
// resource server clientID (the audience of the RPTs it asks for).
func (r *Realm) Authz(clientID string, opts ...kc.Option) (*authz.Client, error) {
	return authz.New(r.serverURL, r.name, clientID, r.Options(opts...)...)
}

// UMA returns a client of the realm's UMA 2 Protection API for the
// resource server clientID. Give it the client's secret with
// uma.WithClientSecret, or a PAT source with uma.WithPAT.
func (r *Realm) UMA(clientID string, opts ...kc.Option) (*uma.Client, error) {
	return uma.New(r.serverURL, r.name, clientID, r.Options(opts...)...)
}

// Admin returns an Admin REST API client that authenticates with ts (for
// example a managed oidc source: the master realm's admin-cli password
// login, or a service account's client credentials).
func (r *Realm) Admin(ts kc.TokenSource, opts ...kc.Option) (*admin.Client, error) {
	return admin.New(r.serverURL, ts, r.Options(opts...)...)
}
