package admin

import "context"

// PartialImport is a PartialImportRepresentation: resources to add to an
// existing realm in one request.
type PartialImport struct {
	// IfResourceExists says what to do with a resource that exists
	// already: "FAIL" (the default; nothing is imported), "SKIP" or
	// "OVERWRITE".
	IfResourceExists  string             `json:"ifResourceExists,omitempty"`
	Users             []User             `json:"users,omitempty"`
	Clients           []ClientApp        `json:"clients,omitempty"`
	Groups            []Group            `json:"groups,omitempty"`
	Roles             *ImportRoles       `json:"roles,omitempty"`
	IdentityProviders []IdentityProvider `json:"identityProviders,omitempty"`
}

// ImportRoles is a RolesRepresentation: realm roles, and client roles by
// client ID.
type ImportRoles struct {
	Realm  []Role            `json:"realm,omitempty"`
	Client map[string][]Role `json:"client,omitempty"`
}

// PartialImportResult is what a partial import did.
type PartialImportResult struct {
	Overwritten int                 `json:"overwritten"`
	Added       int                 `json:"added"`
	Skipped     int                 `json:"skipped"`
	Results     []PartialImportItem `json:"results,omitempty"`
}

// PartialImportItem is one imported resource. A group is named by its
// name, and only top-level groups are items: subgroups come with their
// parent.
type PartialImportItem struct {
	Action       string `json:"action,omitempty"`       // ADDED, SKIPPED, OVERWRITTEN
	ResourceType string `json:"resourceType,omitempty"` // USER, CLIENT, GROUP, REALM_ROLE, CLIENT_ROLE, IDP
	ResourceName string `json:"resourceName,omitempty"`
	ID           string `json:"id,omitempty"`
}

// PartialImport adds users, clients, groups, roles and identity providers
// to realm name. Users may carry credentials (a password "value"),
// realmRoles, clientRoles and group paths, as in a realm export.
//
// Keycloak: POST /admin/realms/{realm}/partialImport
func (s *RealmsService) PartialImport(ctx context.Context, name string, p *PartialImport) (*PartialImportResult, error) {
	if err := need("realm", name); err != nil {
		return nil, err
	}
	if err := needBody("partial import", p); err != nil {
		return nil, err
	}
	return fetch[PartialImportResult](ctx, s.c, "POST", []string{"admin", "realms", name, "partialImport"}, nil, p)
}
