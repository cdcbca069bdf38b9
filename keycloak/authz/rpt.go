package authz

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/kcgo/kc"
	"github.com/kcgo/kc/internal/rest"
)

// RPT is what a requesting party token grants: its "authorization"
// claim, with the other claims at hand.
type RPT struct {
	// Permissions are those of the "authorization" claim.
	Permissions []kc.GrantedPermission
	// Claims are all the token's claims, decoded.
	Claims map[string]any
	// Verified tells whether the claims came from a verified token
	// ([RPTFromClaims]) or were read without checking the signature
	// ([ParseRPTUnverified]).
	Verified bool
}

// RPTFromClaims reads the permissions of an RPT whose signature, issuer,
// audience and expiry the caller has verified already, given the token's
// claims as JSON: for example the Raw field of the claims that package
// oidc's Verifier returns.
//
//	claims, err := verifier.Verify(ctx, rptString) // package oidc
//	rpt, err := authz.RPTFromClaims(claims.Raw)
func RPTFromClaims(claimsJSON []byte) (*RPT, error) {
	r, err := decodeRPT(claimsJSON)
	if err != nil {
		return nil, err
	}
	r.Verified = true
	return r, nil
}

// ParseRPTUnverified reads the claims of the RPT token WITHOUT verifying
// its signature or expiry. Use it only on a token you just received from
// Keycloak over TLS, to see what it grants; a resource server must verify
// the tokens it is sent (oidc's Verifier) and use [RPTFromClaims].
func ParseRPTUnverified(token string) (*RPT, error) {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return nil, errors.New("authz: RPT is not a compact JWS (want three dot-separated parts)")
	}
	payload, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[1], "="))
	if err != nil {
		return nil, fmt.Errorf("authz: RPT payload: %w", err)
	}
	return decodeRPT(payload)
}

func decodeRPT(b []byte) (*RPT, error) {
	var claims map[string]any
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	if err := d.Decode(&claims); err != nil {
		return nil, fmt.Errorf("authz: RPT claims: %w", err)
	}
	if claims == nil {
		return nil, errors.New("authz: RPT claims are not a JSON object")
	}
	var w struct {
		Authorization *struct {
			Permissions []kc.GrantedPermission `json:"permissions"`
		} `json:"authorization"`
	}
	if err := json.Unmarshal(b, &w); err != nil {
		return nil, fmt.Errorf("authz: RPT authorization claim: %w", err)
	}
	r := &RPT{Claims: claims}
	if w.Authorization != nil {
		r.Permissions = w.Authorization.Permissions
	}
	return r, nil
}

// Allows reports whether the RPT grants scope on resource, which matches a
// permission's resource id or name. An empty scope asks for any permission
// on the resource; an empty resource asks for scope on any resource.
func (r *RPT) Allows(resource, scope string) bool {
	if r == nil {
		return false
	}
	return allows(r.Permissions, resource, scope)
}

func allows(perms []kc.GrantedPermission, resource, scope string) bool {
	for _, p := range perms {
		if resource != "" && resource != p.ResourceID && resource != p.ResourceName {
			continue
		}
		if scope == "" || slices.Contains(p.Scopes, scope) {
			return true
		}
	}
	return false
}

// Introspection is what Keycloak's introspection endpoint says of an RPT.
type Introspection struct {
	Active      bool                   `json:"active"`
	Permissions []kc.GrantedPermission `json:"permissions,omitempty"`
	Expiry      int64                  `json:"exp,omitempty"` // seconds since the epoch
	IssuedAt    int64                  `json:"iat,omitempty"`
	NotBefore   int64                  `json:"nbf,omitempty"`
	JWTID       string                 `json:"jti,omitempty"`
	Type        string                 `json:"typ,omitempty"`
	// Raw is the whole answer.
	Raw json.RawMessage `json:"-"`
}

// Allows reports whether the introspected RPT is active and grants scope
// on resource, as [RPT.Allows].
func (i *Introspection) Allows(resource, scope string) bool {
	return i != nil && i.Active && allows(i.Permissions, resource, scope)
}

// IntrospectRPT asks Keycloak whether rpt is active and what it grants.
// It authenticates as the resource server, so New needs
// [WithClientSecret]. An inactive or invalid token is Active false with a
// nil error.
//
// Keycloak: POST /realms/{realm}/protocol/openid-connect/token/introspect (token_type_hint=requesting_party_token)
func (c *Client) IntrospectRPT(ctx context.Context, rpt string) (*Introspection, error) {
	if ctx == nil {
		return nil, errors.New("authz: nil context")
	}
	if rpt == "" {
		return nil, errors.New("authz: rpt is empty")
	}
	if c.secret == "" {
		return nil, errors.New("authz: IntrospectRPT needs the resource server's secret: give WithClientSecret to New")
	}
	conf, err := c.disc.Get(ctx)
	if err != nil {
		return nil, err
	}
	u, err := conf.Endpoint("authz", "introspection_endpoint", conf.IntrospectionEndpoint)
	if err != nil {
		return nil, err
	}
	var raw []byte
	if _, err := c.rest.Do(ctx, &rest.Request{
		Method:        "POST",
		URL:           u,
		Form:          url.Values{"token": {rpt}, "token_type_hint": {"requesting_party_token"}},
		BasicUser:     c.clientID,
		BasicPassword: c.secret,
		Idempotent:    true,
	}, &raw); err != nil {
		return nil, err
	}
	var out Introspection
	if err := json.Unmarshal(raw, &out); err != nil {
		return nil, fmt.Errorf("authz: introspection answer: %w", err)
	}
	out.Raw = raw
	return &out, nil
}

// Challenge is a resource server's UMA challenge: the parameters of
// `WWW-Authenticate: UMA realm="...", as_uri="...", ticket="..."`.
type Challenge struct {
	Realm  string
	ASURI  string // the authorization server: the realm's issuer URL
	Ticket string
}

// ParseUMAChallenge reads the WWW-Authenticate header of a resource
// server's 401 answer. Hand the ticket to [Client.RPTForTicket]. A header
// of another scheme or without ticket is an error.
func ParseUMAChallenge(header string) (*Challenge, error) {
	if strings.TrimSpace(header) == "" {
		return nil, errors.New("authz: WWW-Authenticate header is empty")
	}
	p := rest.ParseChallenge(header)
	if !strings.EqualFold(p[""], "UMA") {
		return nil, fmt.Errorf("authz: challenge scheme is %q, want UMA", p[""])
	}
	c := &Challenge{Realm: p["realm"], ASURI: p["as_uri"], Ticket: p["ticket"]}
	if c.Ticket == "" {
		return nil, errors.New("authz: UMA challenge has no ticket")
	}
	return c, nil
}
