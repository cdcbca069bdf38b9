package admin

import (
	"context"
	"encoding/json"
	"net/url"
)

// ServerInfo is the part of Keycloak's ServerInfoRepresentation most
// callers read; the rest is in Extra.
type ServerInfo struct {
	SystemInfo struct {
		Version    string `json:"version"`
		ServerTime string `json:"serverTime,omitempty"`
	} `json:"systemInfo"`
	ProfileInfo struct {
		Name                 string   `json:"name,omitempty"`
		DisabledFeatures     []string `json:"disabledFeatures,omitempty"`
		PreviewFeatures      []string `json:"previewFeatures,omitempty"`
		ExperimentalFeatures []string `json:"experimentalFeatures,omitempty"`
	} `json:"profileInfo"`
	// ProtocolMapperTypes lists the mapper types per protocol
	// ("openid-connect", "saml").
	ProtocolMapperTypes map[string][]ProtocolMapperType `json:"protocolMapperTypes,omitempty"`
	Enums               map[string][]string             `json:"enums,omitempty"`
	Themes              map[string][]struct {
		Name    string   `json:"name"`
		Locales []string `json:"locales,omitempty"`
	} `json:"themes,omitempty"`

	Extra Extra `json:"-"`
}

// ProtocolMapperType is a ProtocolMapperTypeRepresentation.
type ProtocolMapperType struct {
	ID         string            `json:"id"`
	Name       string            `json:"name"`
	Category   string            `json:"category,omitempty"`
	HelpText   string            `json:"helpText,omitempty"`
	Priority   int               `json:"priority,omitempty"`
	Properties []json.RawMessage `json:"properties,omitempty"`
}

type plainServerInfo ServerInfo

// UnmarshalJSON decodes the known fields and keeps the others in Extra.
func (s *ServerInfo) UnmarshalJSON(b []byte) error {
	if err := json.Unmarshal(b, (*plainServerInfo)(s)); err != nil {
		return err
	}
	var all map[string]json.RawMessage
	if err := json.Unmarshal(b, &all); err != nil {
		return err
	}
	for _, k := range []string{"systemInfo", "profileInfo", "protocolMapperTypes", "enums", "themes"} {
		delete(all, k)
	}
	if len(all) > 0 {
		s.Extra = Extra(all)
	}
	return nil
}

// ServerInfo returns what the server reports of itself: its version,
// features, themes, providers and enums.
//
// Keycloak: GET /admin/serverinfo
func (c *Client) ServerInfo(ctx context.Context) (*ServerInfo, error) {
	return fetch[ServerInfo](ctx, c.c, "GET", []string{"admin", "serverinfo"}, nil, nil)
}

// WhoAmI is the admin console's view of the caller.
type WhoAmI struct {
	UserID      string `json:"userId"`
	Realm       string `json:"realm"`
	DisplayName string `json:"displayName"`
	Locale      string `json:"locale,omitempty"`
	CreateRealm bool   `json:"createRealm"`
	// RealmAccess lists, per realm, the admin roles the caller holds there.
	RealmAccess map[string][]string `json:"realm_access"`
	Temporary   bool                `json:"temporary"`
}

// WhoAmI returns the caller's admin roles per realm. realm is the realm
// that issued the token ("master" for a master admin); currentRealm, when
// set, must exist.
//
// Keycloak: GET /admin/{realm}/console/whoami
func (c *Client) WhoAmI(ctx context.Context, realm, currentRealm string) (*WhoAmI, error) {
	if err := need("realm", realm); err != nil {
		return nil, err
	}
	var q url.Values
	if currentRealm != "" {
		q = url.Values{"currentRealm": {currentRealm}}
	}
	return fetch[WhoAmI](ctx, c.c, "GET", []string{"admin", realm, "console", "whoami"}, q, nil)
}
