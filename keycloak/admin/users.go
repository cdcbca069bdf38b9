package admin

import (
	"context"
	"fmt"
	"iter"
	"strconv"
	"strings"
	"time"

	"github.com/kcgo/kc"
	"github.com/kcgo/kc/internal/rest"
)

// UsersService manages the users of a realm.
type UsersService struct{ base }

// UserListOptions are the filters of UsersService.List, Count and All.
// Zero values are not sent.
type UserListOptions struct {
	// Search matches a prefix of the username, first or last name or
	// e-mail; "*x*" matches infix, "\"x\"" exactly. With Search set,
	// Keycloak ignores the field filters below except Enabled and
	// EmailVerified.
	Search    string
	Username  string
	Email     string
	FirstName string
	LastName  string
	// Exact makes Username, Email, FirstName and LastName match exactly
	// instead of as substrings.
	Exact         *bool
	Enabled       *bool
	EmailVerified *bool
	IDPAlias      string // users linked to this identity provider
	IDPUserID     string // ... with this user ID there
	// Attributes filters on user attributes; sent as q=k1:v1 k2:v2.
	Attributes map[string]string
	// BriefRepresentation leaves out attributes and access.
	BriefRepresentation *bool
	// First is the offset of the first user; Max the page size. Keycloak's
	// default Max is 100. Count ignores both.
	First, Max int
}

func (o *UserListOptions) query(paged bool) query {
	q := query{}
	if o == nil {
		return q
	}
	q.str("search", o.Search)
	q.str("username", o.Username)
	q.str("email", o.Email)
	q.str("firstName", o.FirstName)
	q.str("lastName", o.LastName)
	q.boolp("exact", o.Exact)
	q.boolp("enabled", o.Enabled)
	q.boolp("emailVerified", o.EmailVerified)
	q.str("idpAlias", o.IDPAlias)
	q.str("idpUserId", o.IDPUserID)
	q.attrs("q", o.Attributes)
	if paged {
		q.boolp("briefRepresentation", o.BriefRepresentation)
		q.int("first", o.First)
		q.int("max", o.Max)
	}
	return q
}

// List returns one page of the users matching opts (nil: all, up to
// Keycloak's default max of 100). Service-account users are left out of
// the unfiltered list and of a Search, and included when opts filters by
// field (username, e-mail, names, enabled, emailVerified, exact, identity
// provider or attributes), as Keycloak's UsersResource does.
//
// Keycloak: GET /admin/realms/{realm}/users
func (s *UsersService) List(ctx context.Context, opts *UserListOptions) ([]User, error) {
	if err := need("realm", s.realm); err != nil {
		return nil, err
	}
	var out userList
	_, err := s.c.do(ctx, "GET", s.path("users"), opts.query(true).values(), nil, &out)
	return out, err
}

// All iterates over every user matching opts, one page of opts.Max (or
// DefaultPageSize) users at a time, from opts.First on. opts is copied.
//
// Keycloak: GET /admin/realms/{realm}/users
func (s *UsersService) All(ctx context.Context, opts *UserListOptions) iter.Seq2[User, error] {
	var o UserListOptions
	if opts != nil {
		o = *opts
	}
	return pages(ctx, o.First, o.Max, func(ctx context.Context, first, max int) ([]User, error) {
		o.First, o.Max = first, max
		return s.List(ctx, &o)
	})
}

// Count returns how many users match opts (First, Max and
// BriefRepresentation are ignored).
//
// Keycloak: GET /admin/realms/{realm}/users/count
func (s *UsersService) Count(ctx context.Context, opts *UserListOptions) (int, error) {
	if err := need("realm", s.realm); err != nil {
		return 0, err
	}
	var n int
	_, err := s.c.do(ctx, "GET", s.path("users", "count"), opts.query(false).values(), nil, &n)
	return n, err
}

// Get returns user userID.
//
// Keycloak: GET /admin/realms/{realm}/users/{user-id}
func (s *UsersService) Get(ctx context.Context, userID string) (*User, error) {
	if err := need("realm", s.realm, "userID", userID); err != nil {
		return nil, err
	}
	return fetch[User](ctx, s.c, "GET", s.path("users", userID), nil, nil)
}

// GetByUsername returns the user whose username is exactly username
// (Keycloak compares usernames case-insensitively). It returns an error
// matching kc.ErrNotFound when there is none.
//
// Keycloak: GET /admin/realms/{realm}/users
func (s *UsersService) GetByUsername(ctx context.Context, username string) (*User, error) {
	if err := need("realm", s.realm, "username", username); err != nil {
		return nil, err
	}
	users, err := s.List(ctx, &UserListOptions{Username: username, Exact: boolPtr(true)})
	if err != nil {
		return nil, err
	}
	for i := range users {
		if strings.EqualFold(users[i].Username, username) {
			return &users[i], nil
		}
	}
	return nil, &notFoundError{what: "user with username " + strconv.Quote(username)}
}

// Create creates user u and returns its ID.
//
// Keycloak: POST /admin/realms/{realm}/users
func (s *UsersService) Create(ctx context.Context, u *User) (string, error) {
	if err := need("realm", s.realm); err != nil {
		return "", err
	}
	if err := needBody("user", u); err != nil {
		return "", err
	}
	return s.c.create(ctx, s.path("users"), u)
}

// Update changes user userID. Fields left nil (or empty slices and maps)
// keep their value: send kc.Ptr(false) or kc.Ptr("") to clear one. A User
// read with Get can be changed and sent back whole; its Extra fields go
// with it.
//
// Keycloak: PUT /admin/realms/{realm}/users/{user-id}
func (s *UsersService) Update(ctx context.Context, userID string, u *User) error {
	if err := need("realm", s.realm, "userID", userID); err != nil {
		return err
	}
	if err := needBody("user", u); err != nil {
		return err
	}
	_, err := s.c.do(ctx, "PUT", s.path("users", userID), nil, u, nil)
	return err
}

// Delete deletes user userID; their sessions end.
//
// Keycloak: DELETE /admin/realms/{realm}/users/{user-id}
func (s *UsersService) Delete(ctx context.Context, userID string) error {
	if err := need("realm", s.realm, "userID", userID); err != nil {
		return err
	}
	_, err := s.c.do(ctx, "DELETE", s.path("users", userID), nil, nil, nil)
	return err
}

// ResetPassword sets the password of user userID. A temporary password
// must be changed at the next login.
//
// Keycloak: PUT /admin/realms/{realm}/users/{user-id}/reset-password
func (s *UsersService) ResetPassword(ctx context.Context, userID, password string, temporary bool) error {
	if err := need("realm", s.realm, "userID", userID); err != nil {
		return err
	}
	if password == "" {
		return fmt.Errorf("admin: password is empty")
	}
	body := Credential{Type: "password", Value: password, Temporary: &temporary}
	_, err := s.c.do(ctx, "PUT", s.path("users", userID, "reset-password"), nil, body, nil)
	return err
}

// EmailOptions are the query parameters of the e-mail actions.
type EmailOptions struct {
	ClientID    string        // client_id the link returns to
	RedirectURI string        // redirect_uri after the actions
	Lifespan    time.Duration // validity of the link; sent in whole seconds
}

func (o *EmailOptions) query() query {
	q := query{}
	if o == nil {
		return q
	}
	q.str("client_id", o.ClientID)
	q.str("redirect_uri", o.RedirectURI)
	q.int("lifespan", int(o.Lifespan/time.Second))
	return q
}

// ExecuteActionsEmail e-mails user userID a link to perform actions, such
// as "UPDATE_PASSWORD" or "VERIFY_EMAIL".
//
// Keycloak: PUT /admin/realms/{realm}/users/{user-id}/execute-actions-email
func (s *UsersService) ExecuteActionsEmail(ctx context.Context, userID string, actions []string, opts *EmailOptions) error {
	if err := need("realm", s.realm, "userID", userID); err != nil {
		return err
	}
	if actions == nil {
		actions = []string{}
	}
	_, err := s.c.do(ctx, "PUT", s.path("users", userID, "execute-actions-email"), opts.query().values(), actions, nil)
	return err
}

// SendVerifyEmail e-mails user userID a link to verify their address.
//
// Keycloak: PUT /admin/realms/{realm}/users/{user-id}/send-verify-email
func (s *UsersService) SendVerifyEmail(ctx context.Context, userID string, opts *EmailOptions) error {
	if err := need("realm", s.realm, "userID", userID); err != nil {
		return err
	}
	_, err := s.c.do(ctx, "PUT", s.path("users", userID, "send-verify-email"), opts.query().values(), nil, nil)
	return err
}

// Sessions returns the active sessions of user userID.
//
// Keycloak: GET /admin/realms/{realm}/users/{user-id}/sessions
func (s *UsersService) Sessions(ctx context.Context, userID string) ([]UserSession, error) {
	if err := need("realm", s.realm, "userID", userID); err != nil {
		return nil, err
	}
	var out []UserSession
	_, err := s.c.do(ctx, "GET", s.path("users", userID, "sessions"), nil, nil, &out)
	return out, err
}

// OfflineSessions returns the offline sessions of user userID with client
// clientUUID.
//
// Keycloak: GET /admin/realms/{realm}/users/{user-id}/offline-sessions/{clientUuid}
func (s *UsersService) OfflineSessions(ctx context.Context, userID, clientUUID string) ([]UserSession, error) {
	if err := need("realm", s.realm, "userID", userID, "clientUUID", clientUUID); err != nil {
		return nil, err
	}
	var out []UserSession
	_, err := s.c.do(ctx, "GET", s.path("users", userID, "offline-sessions", clientUUID), nil, nil, &out)
	return out, err
}

// ResetPasswordEmail e-mails user userID a link to reset their password.
// Keycloak marks it deprecated in favour of ExecuteActionsEmail with
// "UPDATE_PASSWORD". Lifespan is not used here.
//
// Keycloak: PUT /admin/realms/{realm}/users/{user-id}/reset-password-email
func (s *UsersService) ResetPasswordEmail(ctx context.Context, userID string, opts *EmailOptions) error {
	if err := need("realm", s.realm, "userID", userID); err != nil {
		return err
	}
	q := opts.query()
	q.values().Del("lifespan")
	_, err := s.c.do(ctx, "PUT", s.path("users", userID, "reset-password-email"), q.values(), nil, nil)
	return err
}

// DisableCredentialTypes removes every credential of the given types
// (such as "otp") from user userID.
//
// Keycloak: PUT /admin/realms/{realm}/users/{user-id}/disable-credential-types
func (s *UsersService) DisableCredentialTypes(ctx context.Context, userID string, types []string) error {
	if err := need("realm", s.realm, "userID", userID); err != nil {
		return err
	}
	if len(types) == 0 {
		return need("types", "")
	}
	_, err := s.c.do(ctx, "PUT", s.path("users", userID, "disable-credential-types"), nil, types, nil)
	return err
}

// MoveCredentialToFirst makes credential credentialID the first of its
// user's credentials.
//
// Keycloak: POST /admin/realms/{realm}/users/{user-id}/credentials/{credentialId}/moveToFirst
func (s *UsersService) MoveCredentialToFirst(ctx context.Context, userID, credentialID string) error {
	if err := need("realm", s.realm, "userID", userID, "credentialID", credentialID); err != nil {
		return err
	}
	_, err := s.c.do(ctx, "POST", s.path("users", userID, "credentials", credentialID, "moveToFirst"), nil, nil, nil)
	return err
}

// MoveCredentialAfter moves credential credentialID after credential
// previousID.
//
// Keycloak: POST /admin/realms/{realm}/users/{user-id}/credentials/{credentialId}/moveAfter/{newPreviousCredentialId}
func (s *UsersService) MoveCredentialAfter(ctx context.Context, userID, credentialID, previousID string) error {
	if err := need("realm", s.realm, "userID", userID, "credentialID", credentialID, "previousID", previousID); err != nil {
		return err
	}
	_, err := s.c.do(ctx, "POST", s.path("users", userID, "credentials", credentialID, "moveAfter", previousID), nil, nil, nil)
	return err
}

// ConfiguredUserStorageCredentialTypes returns the credential types a
// user-storage provider manages for user userID.
//
// Keycloak: GET /admin/realms/{realm}/users/{user-id}/configured-user-storage-credential-types
func (s *UsersService) ConfiguredUserStorageCredentialTypes(ctx context.Context, userID string) ([]string, error) {
	if err := need("realm", s.realm, "userID", userID); err != nil {
		return nil, err
	}
	var out []string
	_, err := s.c.do(ctx, "GET", s.path("users", userID, "configured-user-storage-credential-types"), nil, nil, &out)
	return out, err
}

// Logout ends every session of user userID.
//
// Keycloak: POST /admin/realms/{realm}/users/{user-id}/logout
func (s *UsersService) Logout(ctx context.Context, userID string) error {
	if err := need("realm", s.realm, "userID", userID); err != nil {
		return err
	}
	_, err := s.c.do(ctx, "POST", s.path("users", userID, "logout"), nil, nil, nil)
	return err
}

// Credentials returns the credentials of user userID, without their
// secrets.
//
// Keycloak: GET /admin/realms/{realm}/users/{user-id}/credentials
func (s *UsersService) Credentials(ctx context.Context, userID string) ([]Credential, error) {
	if err := need("realm", s.realm, "userID", userID); err != nil {
		return nil, err
	}
	var out []Credential
	_, err := s.c.do(ctx, "GET", s.path("users", userID, "credentials"), nil, nil, &out)
	return out, err
}

// DeleteCredential deletes credential credentialID of user userID.
//
// Keycloak: DELETE /admin/realms/{realm}/users/{user-id}/credentials/{credentialId}
func (s *UsersService) DeleteCredential(ctx context.Context, userID, credentialID string) error {
	if err := need("realm", s.realm, "userID", userID, "credentialID", credentialID); err != nil {
		return err
	}
	_, err := s.c.do(ctx, "DELETE", s.path("users", userID, "credentials", credentialID), nil, nil, nil)
	return err
}

// FederatedIdentities returns the identity-provider links of user userID.
//
// Keycloak: GET /admin/realms/{realm}/users/{user-id}/federated-identity
func (s *UsersService) FederatedIdentities(ctx context.Context, userID string) ([]FederatedIdentity, error) {
	if err := need("realm", s.realm, "userID", userID); err != nil {
		return nil, err
	}
	var out []FederatedIdentity
	_, err := s.c.do(ctx, "GET", s.path("users", userID, "federated-identity"), nil, nil, &out)
	return out, err
}

// AddFederatedIdentity links user userID to an account at identity
// provider provider. Keycloak stores the link without checking that the
// provider exists; [UsersService.FederatedIdentities] lists only links to
// providers that do.
//
// Keycloak: POST /admin/realms/{realm}/users/{user-id}/federated-identity/{provider}
func (s *UsersService) AddFederatedIdentity(ctx context.Context, userID, provider string, fi *FederatedIdentity) error {
	if err := need("realm", s.realm, "userID", userID, "provider", provider); err != nil {
		return err
	}
	if err := needBody("federated identity", fi); err != nil {
		return err
	}
	_, err := s.c.do(ctx, "POST", s.path("users", userID, "federated-identity", provider), nil, fi, nil)
	return err
}

// RemoveFederatedIdentity removes the link of user userID to provider.
//
// Keycloak: DELETE /admin/realms/{realm}/users/{user-id}/federated-identity/{provider}
func (s *UsersService) RemoveFederatedIdentity(ctx context.Context, userID, provider string) error {
	if err := need("realm", s.realm, "userID", userID, "provider", provider); err != nil {
		return err
	}
	_, err := s.c.do(ctx, "DELETE", s.path("users", userID, "federated-identity", provider), nil, nil, nil)
	return err
}

// Consents returns the consents user userID granted to clients.
//
// Keycloak: GET /admin/realms/{realm}/users/{user-id}/consents
func (s *UsersService) Consents(ctx context.Context, userID string) ([]UserConsent, error) {
	if err := need("realm", s.realm, "userID", userID); err != nil {
		return nil, err
	}
	var out []UserConsent
	_, err := s.c.do(ctx, "GET", s.path("users", userID, "consents"), nil, nil, &out)
	return out, err
}

// RevokeConsent revokes the consent and offline tokens user userID gave
// client clientID (the client ID, not the UUID).
//
// Keycloak: DELETE /admin/realms/{realm}/users/{user-id}/consents/{client}
func (s *UsersService) RevokeConsent(ctx context.Context, userID, clientID string) error {
	if err := need("realm", s.realm, "userID", userID, "clientID", clientID); err != nil {
		return err
	}
	_, err := s.c.do(ctx, "DELETE", s.path("users", userID, "consents", clientID), nil, nil, nil)
	return err
}

// Impersonation is the answer of UsersService.Impersonate.
type Impersonation struct {
	SameRealm bool   `json:"sameRealm"`
	Redirect  string `json:"redirect"`
}

// Impersonate starts a session as user userID for the caller (who needs
// the impersonation role). The session cookie Keycloak sets is only useful
// to a browser.
//
// Keycloak: POST /admin/realms/{realm}/users/{user-id}/impersonation
func (s *UsersService) Impersonate(ctx context.Context, userID string) (*Impersonation, error) {
	if err := need("realm", s.realm, "userID", userID); err != nil {
		return nil, err
	}
	return fetch[Impersonation](ctx, s.c, "POST", s.path("users", userID, "impersonation"), nil, nil)
}

// RoleMappings returns the service of user userID's role mappings.
func (s *UsersService) RoleMappings(userID string) *RoleMappingsService {
	return &RoleMappingsService{mappings{base: s.base, kind: "users", ownerName: "userID", owner: userID, suffix: "role-mappings"}}
}

func boolPtr(b bool) *bool { return &b }

// notFoundError is returned when a search finds nothing; it matches
// kc.ErrNotFound.
type notFoundError struct{ what string }

// Error describes what was not found.
func (e *notFoundError) Error() string { return "admin: " + e.what + " not found" }

// Is makes errors.Is(err, kc.ErrNotFound) true.
func (e *notFoundError) Is(target error) bool { return target == kc.ErrNotFound }

// SetCredentialLabel sets the label of credential credentialID of user
// userID (the name the account console shows for it). Keycloak refuses a
// blank label; so does SetCredentialLabel, before sending anything.
//
// Keycloak: PUT /admin/realms/{realm}/users/{user-id}/credentials/{credentialId}/userLabel
func (s *UsersService) SetCredentialLabel(ctx context.Context, userID, credentialID, label string) error {
	if err := need("realm", s.realm, "userID", userID, "credentialID", credentialID, "label", label); err != nil {
		return err
	}
	_, err := s.c.send(ctx, &rest.Request{Method: "PUT", Path: s.path("users", userID, "credentials", credentialID, "userLabel"),
		Body: []byte(label), ContentType: "text/plain; charset=utf-8"}, nil)
	return err
}

// UnmanagedAttributes returns the attributes of user userID that the
// realm's user profile does not declare.
//
// Keycloak: GET /admin/realms/{realm}/users/{user-id}/unmanagedAttributes
func (s *UsersService) UnmanagedAttributes(ctx context.Context, userID string) (map[string][]string, error) {
	if err := need("realm", s.realm, "userID", userID); err != nil {
		return nil, err
	}
	var out map[string][]string
	_, err := s.c.do(ctx, "GET", s.path("users", userID, "unmanagedAttributes"), nil, nil, &out)
	return out, err
}
