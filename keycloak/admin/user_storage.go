package admin

import (
	"context"
	"fmt"
	"log/slog"
	"net/url"

	"github.com/kcgo/kc/internal/redact"
)

// UserStorageService runs the operations of user storage providers (LDAP,
// Kerberos, custom ones), which are components of type
// org.keycloak.storage.UserStorageProvider (create and configure them
// with [ComponentsService]), and the LDAP connection checks of the admin
// console. These endpoints are outside Keycloak's Admin OpenAPI
// description.
type UserStorageService struct{ base }

// UserStorageName is a provider's ID and display name.
type UserStorageName struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// SynchronizationResult is what a synchronization did.
type SynchronizationResult struct {
	Ignored bool   `json:"ignored"`
	Added   int    `json:"added"`
	Updated int    `json:"updated"`
	Removed int    `json:"removed"`
	Failed  int    `json:"failed"`
	Status  string `json:"status,omitempty"`
}

// Synchronization actions, for Sync.
const (
	SyncFull    = "triggerFullSync"
	SyncChanged = "triggerChangedUsersSync"
)

// Mapper synchronization directions, for SyncMapper.
const (
	SyncFederationToKeycloak = "fedToKeycloak"
	SyncKeycloakToFederation = "keycloakToFed"
)

// LDAP check actions, for TestLDAPConnection and LDAPServerCapabilities.
const (
	LDAPTestConnection          = "testConnection"
	LDAPTestAuthentication      = "testAuthentication"
	LDAPQueryServerCapabilities = "queryServerCapabilities"
)

// LDAPConnectionTest is a TestLdapConnectionRepresentation: the LDAP
// settings to check. BindCredential may be "**********" with ComponentID
// set: Keycloak then uses the stored credential of that provider.
type LDAPConnectionTest struct {
	Action            string `json:"action,omitempty"`
	ConnectionURL     string `json:"connectionUrl,omitempty"`
	AuthType          string `json:"authType,omitempty"` // "simple" or "none"
	BindDN            string `json:"bindDn,omitempty"`
	BindCredential    string `json:"bindCredential,omitempty"`
	UseTruststoreSpi  string `json:"useTruststoreSpi,omitempty"`
	ConnectionTimeout string `json:"connectionTimeout,omitempty"` // milliseconds
	ComponentID       string `json:"componentId,omitempty"`
	StartTLS          string `json:"startTls,omitempty"`
}

type plainLDAPConnectionTest LDAPConnectionTest

func (t LDAPConnectionTest) redacted() plainLDAPConnectionTest {
	p := plainLDAPConnectionTest(t)
	p.BindCredential = redact.Secret(p.BindCredential)
	return p
}

// Format prints t, with every verb, without its bind credential.
func (t LDAPConnectionTest) Format(f fmt.State, verb rune) { redact.Format(f, verb, t.redacted()) }

// LogValue makes slog log t without its bind credential.
func (t LDAPConnectionTest) LogValue() slog.Value { return slog.AnyValue(t.redacted()) }

// LDAPCapability is one capability an LDAP server announces (an OID of a
// control, extension or feature).
type LDAPCapability struct {
	OID  string `json:"oid"`
	Type string `json:"type"` // CONTROL, EXTENSION, FEATURE, UNKNOWN
}

// Name returns the ID and name of the user storage provider id.
//
// Keycloak: GET /admin/realms/{realm}/user-storage/{id}/name
func (s *UserStorageService) Name(ctx context.Context, id string) (*UserStorageName, error) {
	if err := need("realm", s.realm, "id", id); err != nil {
		return nil, err
	}
	return fetch[UserStorageName](ctx, s.c, "GET", s.path("user-storage", id, "name"), nil, nil)
}

// Sync synchronizes the provider's users: action is [SyncFull] or
// [SyncChanged]. A provider that cannot reach its server is
// ErrBadRequest, with Keycloak's error code ("ConnectionFailed",
// "UnknownHost", ...) as the APIError's ErrorMessage.
//
// Keycloak: POST /admin/realms/{realm}/user-storage/{id}/sync
func (s *UserStorageService) Sync(ctx context.Context, id, action string) (*SynchronizationResult, error) {
	if err := need("realm", s.realm, "id", id, "action", action); err != nil {
		return nil, err
	}
	return fetch[SynchronizationResult](ctx, s.c, "POST", s.path("user-storage", id, "sync"), url.Values{"action": {action}}, nil)
}

// RemoveImportedUsers deletes the users the provider imported.
//
// Keycloak: POST /admin/realms/{realm}/user-storage/{id}/remove-imported-users
func (s *UserStorageService) RemoveImportedUsers(ctx context.Context, id string) error {
	if err := need("realm", s.realm, "id", id); err != nil {
		return err
	}
	_, err := s.c.do(ctx, "POST", s.path("user-storage", id, "remove-imported-users"), nil, nil, nil)
	return err
}

// UnlinkUsers turns the users the provider imported into local users.
//
// Keycloak: POST /admin/realms/{realm}/user-storage/{id}/unlink-users
func (s *UserStorageService) UnlinkUsers(ctx context.Context, id string) error {
	if err := need("realm", s.realm, "id", id); err != nil {
		return err
	}
	_, err := s.c.do(ctx, "POST", s.path("user-storage", id, "unlink-users"), nil, nil, nil)
	return err
}

// SyncMapper synchronizes the data of an LDAP mapper (groups, roles) of
// the provider parentID: direction is [SyncFederationToKeycloak] or
// [SyncKeycloakToFederation].
//
// Keycloak: POST /admin/realms/{realm}/user-storage/{parentId}/mappers/{id}/sync
func (s *UserStorageService) SyncMapper(ctx context.Context, parentID, mapperID, direction string) (*SynchronizationResult, error) {
	if err := need("realm", s.realm, "parentID", parentID, "mapperID", mapperID, "direction", direction); err != nil {
		return nil, err
	}
	return fetch[SynchronizationResult](ctx, s.c, "POST", s.path("user-storage", parentID, "mappers", mapperID, "sync"),
		url.Values{"direction": {direction}}, nil)
}

// TestLDAPConnection checks an LDAP connection ([LDAPTestConnection]) or
// bind ([LDAPTestAuthentication]). A failure is ErrBadRequest with
// Keycloak's error code as the APIError's ErrorMessage.
//
// Keycloak: POST /admin/realms/{realm}/testLDAPConnection
func (s *UserStorageService) TestLDAPConnection(ctx context.Context, t *LDAPConnectionTest) error {
	if err := need("realm", s.realm); err != nil {
		return err
	}
	if err := needBody("test", t); err != nil {
		return err
	}
	_, err := s.c.do(ctx, "POST", s.path("testLDAPConnection"), nil, t, nil)
	return err
}

// LDAPServerCapabilities returns what the LDAP server announces; the
// action must be [LDAPQueryServerCapabilities] (another gives none).
//
// Keycloak: POST /admin/realms/{realm}/ldap-server-capabilities
func (s *UserStorageService) LDAPServerCapabilities(ctx context.Context, t *LDAPConnectionTest) ([]LDAPCapability, error) {
	if err := need("realm", s.realm); err != nil {
		return nil, err
	}
	if err := needBody("test", t); err != nil {
		return nil, err
	}
	var out []LDAPCapability
	_, err := s.c.do(ctx, "POST", s.path("ldap-server-capabilities"), nil, t, &out)
	return out, err
}
