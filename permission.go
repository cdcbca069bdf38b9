package kc

import (
	"cmp"
	"encoding/json"
	"fmt"
)

// GrantedPermission is a permission of Keycloak's Authorization Services
// granted to a requesting party: a resource and the scopes of it that the
// party may use. It is the element of an RPT's "authorization" claim
// (package authz) and of the "permissions" of an RPT's introspection
// (package oidc).
//
// Decoding accepts Keycloak's spellings ("rsid", "rsname", "scopes"), the
// introspection ones ("resource_id", "resource_scopes") and those of old
// documentation ("resource_set_id", "resource_set_name").
type GrantedPermission struct {
	ResourceID   string              `json:"rsid,omitempty"`
	ResourceName string              `json:"rsname,omitempty"`
	Scopes       []string            `json:"scopes,omitempty"`
	Claims       map[string][]string `json:"claims,omitempty"`
}

// UnmarshalJSON decodes a permission in any of Keycloak's spellings.
func (p *GrantedPermission) UnmarshalJSON(b []byte) error {
	var w struct {
		RSID            string          `json:"rsid"`
		ResourceID      string          `json:"resource_id"`
		ResourceSetID   string          `json:"resource_set_id"`
		RSName          string          `json:"rsname"`
		ResourceSetName string          `json:"resource_set_name"`
		Scopes          []string        `json:"scopes"`
		ResourceScopes  []string        `json:"resource_scopes"`
		Claims          json.RawMessage `json:"claims"`
	}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	*p = GrantedPermission{
		ResourceID:   cmp.Or(w.RSID, w.ResourceID, w.ResourceSetID),
		ResourceName: cmp.Or(w.RSName, w.ResourceSetName),
		Scopes:       w.Scopes,
	}
	if p.Scopes == nil {
		p.Scopes = w.ResourceScopes
	}
	if len(w.Claims) > 0 && string(w.Claims) != "null" {
		// Claims are lists of strings; a single value is accepted too.
		var raw map[string]json.RawMessage
		if err := json.Unmarshal(w.Claims, &raw); err != nil {
			return fmt.Errorf("kc: permission claims: %w", err)
		}
		p.Claims = make(map[string][]string, len(raw))
		for k, v := range raw {
			var list []string
			if err := json.Unmarshal(v, &list); err != nil {
				var one string
				if err := json.Unmarshal(v, &one); err != nil {
					return fmt.Errorf("kc: permission claim %q: %w", k, err)
				}
				list = []string{one}
			}
			p.Claims[k] = list
		}
	}
	return nil
}
