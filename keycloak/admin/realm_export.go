package admin

import (
	"context"
	"net/url"
)

// RealmExport is the realm representation of a partial export: the
// realm's settings in Realm (components, authentication flows, required
// actions and the other sections admin does not model stay in
// Realm.Extra) and the sections below taken out of it. Keycloak masks
// every secret as "**********": client secrets, identity provider client
// secrets, the SMTP password, the secret properties of components.
type RealmExport struct {
	Realm
	ClientScopes []ClientScope     // always exported
	Clients      []ClientApp       // with ExportClients
	Users        []User            // the clients' service accounts, with ExportClients
	Roles        *RealmExportRoles // with ExportGroupsAndRoles
	Groups       []Group           // with ExportGroupsAndRoles, as a tree
}

// RealmExportRoles are the roles of a realm export: the realm's, and each
// client's by clientId.
type RealmExportRoles struct {
	Realm  []Role            `json:"realm,omitempty"`
	Client map[string][]Role `json:"client,omitempty"`
}

// PartialExportOptions are the query parameters of
// RealmsService.PartialExport.
type PartialExportOptions struct {
	ExportClients        bool
	ExportGroupsAndRoles bool
}

// PartialExport exports realm name without its users: the settings,
// client scopes, components and flows, and with opts the clients (their
// service-account users too) and the roles and groups.
//
// Keycloak: POST /admin/realms/{realm}/partial-export
func (s *RealmsService) PartialExport(ctx context.Context, name string, opts *PartialExportOptions) (*RealmExport, error) {
	if err := need("realm", name); err != nil {
		return nil, err
	}
	q := url.Values{}
	if opts != nil {
		if opts.ExportClients {
			q.Set("exportClients", "true")
		}
		if opts.ExportGroupsAndRoles {
			q.Set("exportGroupsAndRoles", "true")
		}
	}
	var out RealmExport
	if _, err := s.c.do(ctx, "POST", []string{"admin", "realms", name, "partial-export"}, q, nil, &out.Realm); err != nil {
		return nil, err
	}
	for key, dst := range map[string]any{"clientScopes": (*clientScopeList)(&out.ClientScopes), "clients": (*clientList)(&out.Clients),
		"users": (*userList)(&out.Users), "roles": &out.Roles, "groups": (*groupList)(&out.Groups)} {
		raw, ok := out.Realm.Extra[key]
		if !ok {
			continue
		}
		if err := out.Realm.Extra.decode(key, raw, dst); err != nil {
			return nil, err
		}
	}
	if len(out.Realm.Extra) == 0 {
		out.Realm.Extra = nil
	}
	return &out, nil
}

// TestSMTPConnection sends Keycloak's SMTP test message with settings (a
// RealmRepresentation's smtpServer: host, port, from, auth, user,
// password, ...) to the calling admin's email address; a password of
// "**********" stands for the realm's stored one. Any failure, an admin
// without an email address included, answers 500 "Failed to send email".
//
// Keycloak: POST /admin/realms/{realm}/testSMTPConnection
func (s *RealmsService) TestSMTPConnection(ctx context.Context, name string, settings map[string]string) error {
	if err := need("realm", name); err != nil {
		return err
	}
	if settings == nil {
		settings = map[string]string{}
	}
	_, err := s.c.do(ctx, "POST", []string{"admin", "realms", name, "testSMTPConnection"}, nil, settings, nil)
	return err
}
