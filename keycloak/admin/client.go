package admin

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/kcgo/kc"
	"github.com/kcgo/kc/internal/rest"
	"github.com/kcgo/kc/internal/settings"
)

// Client is a client of the Admin REST API of one Keycloak server. It is
// safe for concurrent use.
type Client struct {
	c *core

	// Realms lists, creates, updates and deletes realms.
	Realms *RealmsService
}

type config struct{}

// core is what every service shares: the pipeline and the token source.
type core struct {
	rest *rest.Client
	ts   kc.TokenSource
}

// New returns a client of the Admin REST API under serverURL (such as
// "https://sso.example.com", or ".../auth" for Keycloak 16 and older)
// that authenticates every request with a token from ts.
func New(serverURL string, ts kc.TokenSource, opts ...kc.Option) (*Client, error) {
	if ts == nil {
		return nil, errors.New("admin: token source is nil")
	}
	s, err := settings.New(opts)
	if err != nil {
		return nil, fmt.Errorf("admin: %w", err)
	}
	var cfg config
	if err := settings.ApplyPackage(s, "admin", &cfg); err != nil {
		return nil, err
	}
	rc, err := rest.New("admin", serverURL, s)
	if err != nil {
		return nil, err
	}
	c := &core{rest: rc, ts: ts}
	return &Client{c: c, Realms: &RealmsService{c: c}}, nil
}

// Realm returns the services of realm name. An empty name is reported by
// each call, before anything is sent.
func (c *Client) Realm(name string) *RealmClient {
	r := &RealmClient{name: name}
	b := base{c: c.c, realm: name}
	r.Users = &UsersService{b}
	r.Clients = &ClientsService{b}
	r.Roles = &RolesService{base: b}
	r.RolesByID = &RolesByIDService{b}
	r.Groups = &GroupsService{b}
	r.ClientScopes = &ClientScopesService{b}
	r.Sessions = &SessionsService{b}
	r.Keys = &KeysService{b}
	r.IdentityProviders = &IdentityProvidersService{b}
	r.AttackDetection = &AttackDetectionService{b}
	r.Organizations = &OrganizationsService{b}
	r.Events = &EventsService{b}
	r.Authentication = &AuthenticationService{b}
	r.Components = &ComponentsService{b}
	r.Localization = &LocalizationService{b}
	r.ClientPolicies = &ClientPoliciesService{b}
	r.ClientRegistration = &ClientRegistrationService{b}
	r.ManagementPermissions = &ManagementPermissionsService{b}
	r.Workflows = &WorkflowsService{b}
	r.UserStorage = &UserStorageService{b}
	return r
}

// RealmClient holds the services of one realm.
type RealmClient struct {
	name string

	Users        *UsersService        // users, their groups, roles, sessions and credentials
	Clients      *ClientsService      // clients, their secrets, roles, scopes and mappers
	Roles        *RolesService        // realm roles, by name
	RolesByID    *RolesByIDService    // realm and client roles, by ID
	Groups       *GroupsService       // groups, subgroups, members and role mappings
	ClientScopes *ClientScopesService // client scopes, their mappers and scope mappings
	Sessions     *SessionsService     // user sessions of the realm
	Keys         *KeysService         // the realm's keys

	IdentityProviders  *IdentityProvidersService  // identity providers and their mappers
	AttackDetection    *AttackDetectionService    // brute-force lockouts
	Organizations      *OrganizationsService      // organizations, members, linked identity providers
	Events             *EventsService             // login and admin events, events configuration
	Authentication     *AuthenticationService     // authentication flows, executions, required actions
	Components         *ComponentsService         // key providers, user profile, client-registration policies, user storage
	Localization       *LocalizationService       // the realm's localization texts
	ClientPolicies     *ClientPoliciesService     // client policies, client profiles, client types
	ClientRegistration *ClientRegistrationService // initial access tokens, registration policy providers

	ManagementPermissions *ManagementPermissionsService // fine-grained admin permissions v1 (management/permissions)
	Workflows             *WorkflowsService             // workflows (feature "workflows")
	UserStorage           *UserStorageService           // user storage sync, LDAP checks
}

// Name returns the realm's name.
func (r *RealmClient) Name() string { return r.name }

// base is embedded by every realm service.
type base struct {
	c     *core
	realm string
}

// path returns the segments of /admin/realms/{realm}/segs...
func (b base) path(segs ...string) []string {
	p := make([]string, 3, 3+len(segs))
	p[0], p[1], p[2] = "admin", "realms", b.realm
	return append(p, segs...)
}

// do sends one authenticated request.
func (c *core) do(ctx context.Context, method string, path []string, q url.Values, body, out any) (*rest.Response, error) {
	if b, ok := body.(requestBody); ok {
		body = b.requestBody()
	}
	return c.rest.Do(ctx, &rest.Request{Method: method, Path: path, Query: q, JSON: body, Auth: c.ts}, out)
}

// send sends req, authenticated: for bodies and answers other than JSON.
func (c *core) send(ctx context.Context, req *rest.Request, out any) (*rest.Response, error) {
	req.Auth = c.ts
	return c.rest.Do(ctx, req, out)
}

// create POSTs body and returns the ID from the Location header, which
// must be the request URL plus one segment.
func (c *core) create(ctx context.Context, path []string, body any) (string, error) {
	return c.createIn(ctx, path, nil, body)
}

// createIn is create for an endpoint whose Location may name the new
// resource under collection instead (a child group under /groups).
func (c *core) createIn(ctx context.Context, path, collection []string, body any) (string, error) {
	if b, ok := body.(requestBody); ok {
		body = b.requestBody()
	}
	resp, err := c.rest.Do(ctx, &rest.Request{Method: "POST", Path: path, JSON: body, Auth: c.ts, CreatedIn: collection}, nil)
	if err != nil {
		return "", err
	}
	if resp.ID == "" {
		return "", fmt.Errorf("admin: POST %s: answer %d has no Location header", strings.Join(path, "/"), resp.StatusCode)
	}
	return resp.ID, nil
}

// need returns an error for the first empty value of the name/value
// pairs: "admin: userID is empty".
func need(pairs ...string) error {
	for i := 0; i+1 < len(pairs); i += 2 {
		if strings.TrimSpace(pairs[i+1]) == "" {
			return fmt.Errorf("admin: %s is empty", pairs[i])
		}
	}
	return nil
}

// needBody returns an error when a request body is nil.
func needBody[T any](name string, v *T) error {
	if v == nil {
		return fmt.Errorf("admin: %s is nil", name)
	}
	return nil
}

// query builds a query string, leaving unset values out.
type query url.Values

func (q query) str(k, v string) {
	if v != "" {
		url.Values(q).Set(k, v)
	}
}

func (q query) boolp(k string, v *bool) {
	if v != nil {
		url.Values(q).Set(k, strconv.FormatBool(*v))
	}
}

func (q query) int(k string, v int) {
	if v != 0 {
		url.Values(q).Set(k, strconv.Itoa(v))
	}
}

// attrs sets "k1:v1 k2:v2", keys sorted, as Keycloak's q parameter.
func (q query) attrs(k string, m map[string]string) {
	if len(m) == 0 {
		return
	}
	keys := make([]string, 0, len(m))
	for key := range m {
		keys = append(keys, key)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, key := range keys {
		parts[i] = key + ":" + m[key]
	}
	url.Values(q).Set(k, strings.Join(parts, " "))
}

func (q query) values() url.Values { return url.Values(q) }

// fetch sends one request and decodes its answer into a new T.
func fetch[T any](ctx context.Context, c *core, method string, path []string, q url.Values, body any) (*T, error) {
	var out T
	if _, err := c.do(ctx, method, path, q, body, &out); err != nil {
		return nil, err
	}
	return &out, nil
}
