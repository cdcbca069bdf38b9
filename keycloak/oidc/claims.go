package oidc

import (
	"bytes"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Audience is the "aud" claim, which a token carries as a string or an
// array of strings.
type Audience []string

// UnmarshalJSON accepts a string or an array of strings.
func (a *Audience) UnmarshalJSON(b []byte) error {
	if len(b) > 1 && b[0] == '"' && b[len(b)-1] == '"' && bytes.IndexByte(b, '\\') < 0 {
		*a = Audience{string(b[1 : len(b)-1])}
		return nil
	}
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*a = Audience{s}
		return nil
	}
	var l []string
	if err := json.Unmarshal(b, &l); err != nil {
		return err
	}
	*a = l
	return nil
}

// Contains reports whether aud is one of the audiences.
func (a Audience) Contains(aud string) bool { return slices.Contains(a, aud) }

// NumericDate is a JWT time: seconds since the Unix epoch.
type NumericDate int64

// UnmarshalJSON accepts an integer or a number with a fraction.
func (d *NumericDate) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		return nil
	}
	if n, err := strconv.ParseInt(string(b), 10, 64); err == nil {
		*d = NumericDate(n)
		return nil
	}
	f, err := strconv.ParseFloat(string(b), 64)
	if err != nil {
		return err
	}
	*d = NumericDate(f)
	return nil
}

// Time returns d as a time.Time; the zero time when d is 0.
func (d NumericDate) Time() time.Time {
	if d == 0 {
		return time.Time{}
	}
	return time.Unix(int64(d), 0)
}

// Access is a list of roles, as in realm_access and resource_access.
type Access struct {
	Roles []string `json:"roles,omitempty"`
}

// Claims are the claims of a Keycloak access or ID token, typed. Claims
// not listed here are in Raw; [Claims.Decode] decodes them into a struct
// of the caller's.
type Claims struct {
	Issuer          string      `json:"iss,omitempty"`
	Subject         string      `json:"sub,omitempty"`
	Audience        Audience    `json:"aud,omitempty"`
	Expiry          NumericDate `json:"exp,omitempty"`
	NotBefore       NumericDate `json:"nbf,omitempty"`
	IssuedAt        NumericDate `json:"iat,omitempty"`
	AuthTime        NumericDate `json:"auth_time,omitempty"`
	ID              string      `json:"jti,omitempty"`
	Type            string      `json:"typ,omitempty"` // "Bearer", "ID", "Refresh", ...
	AuthorizedParty string      `json:"azp,omitempty"` // the client the token was issued to
	SessionID       string      `json:"sid,omitempty"`
	Nonce           string      `json:"nonce,omitempty"`
	ACR             string      `json:"acr,omitempty"`
	Scope           string      `json:"scope,omitempty"` // space-separated
	ClientID        string      `json:"client_id,omitempty"`

	PreferredUsername string `json:"preferred_username,omitempty"`
	Email             string `json:"email,omitempty"`
	EmailVerified     bool   `json:"email_verified,omitempty"`
	Name              string `json:"name,omitempty"`
	GivenName         string `json:"given_name,omitempty"`
	FamilyName        string `json:"family_name,omitempty"`

	RealmAccess    Access            `json:"realm_access,omitzero"`
	ResourceAccess map[string]Access `json:"resource_access,omitempty"`
	Groups         []string          `json:"groups,omitempty"`
	AllowedOrigins []string          `json:"allowed-origins,omitempty"`

	// Raw is the token's payload: every claim, as the provider sent it.
	Raw json.RawMessage `json:"-"`
}

// Decode decodes the raw claims into v, for claims Claims has no field
// for (custom mappers, "authorization", ...).
func (c *Claims) Decode(v any) error { return json.Unmarshal(c.Raw, v) }

// HasRealmRole reports whether realm_access holds role.
func (c *Claims) HasRealmRole(role string) bool { return slices.Contains(c.RealmAccess.Roles, role) }

// RealmRoles returns the realm roles of realm_access.
func (c *Claims) RealmRoles() []string { return c.RealmAccess.Roles }

// HasClientRole reports whether resource_access[clientID] holds role.
func (c *Claims) HasClientRole(clientID, role string) bool {
	return slices.Contains(c.ResourceAccess[clientID].Roles, role)
}

// ClientRoles returns the roles of resource_access[clientID].
func (c *Claims) ClientRoles(clientID string) []string { return c.ResourceAccess[clientID].Roles }

// Scopes returns the scopes of the scope claim.
func (c *Claims) Scopes() []string { return strings.Fields(c.Scope) }

// HasScope reports whether the scope claim holds scope.
func (c *Claims) HasScope(scope string) bool {
	for s := range strings.FieldsSeq(c.Scope) {
		if s == scope {
			return true
		}
	}
	return false
}
