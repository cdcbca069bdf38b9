// Package authz asks Keycloak's Authorization Services for access on a
// user's behalf: requesting party tokens (RPTs) carrying permissions,
// yes/no decisions, and the list of granted permissions, all through the
// UMA grant (grant_type=urn:ietf:params:oauth:grant-type:uma-ticket) of
// the token endpoint.
//
//	az, err := authz.New("https://sso.example.com", "acme", "photoz-api")
//	ok, err := az.Decision(ctx, kc.StaticAccessToken(userToken), &authz.Request{
//		Permissions: []authz.Permission{{Resource: "Album 1", Scopes: []string{"album:view"}}},
//	})
//
// The client ID given to [New] is the resource server: the audience of
// the RPTs. The user's access token is passed to each call as a
// kc.TokenSource (kc.StaticAccessToken wraps a string; a managed source
// of package oidc refreshes it, and a 401 answer makes it drop the token
// and the call is sent once more).
//
// The Entitlement API of Keycloak 3 and older (GET .../authz/entitlement/{client})
// was removed in Keycloak 4.0; [Client.Entitlement] uses the UMA grant
// that replaced it.
//
// The token endpoint comes from the realm's UMA 2 configuration
// (/.well-known/uma2-configuration), fetched on the first call, once.
package authz

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/kcgo/kc"
	"github.com/kcgo/kc/internal/oauth"
	"github.com/kcgo/kc/internal/rest"
	"github.com/kcgo/kc/internal/settings"
	"github.com/kcgo/kc/internal/umadiscovery"
)

// GrantType is the UMA grant of Keycloak's token endpoint.
const GrantType = "urn:ietf:params:oauth:grant-type:uma-ticket"

// ClaimTokenFormatJWT is the claim_token_format of pushed claims: the
// claim token is then the base64url-encoded JSON of the claims.
const ClaimTokenFormatJWT = "urn:ietf:params:oauth:token-type:jwt"

// ClaimTokenFormatIDToken is the claim_token_format of an OpenID Connect
// ID token naming the requesting party; Keycloak assumes it when the format
// is left out.
const ClaimTokenFormatIDToken = "http://openid.net/specs/openid-connect-core-1_0.html#IDToken"

// Sentinels for errors.Is on the errors of the RPT calls. A denial is also
// a *kc.APIError (403, "access_denied"), which errors.As finds.
var (
	// ErrAccessDenied: the policies denied the permissions asked for.
	ErrAccessDenied = errors.New("authz: access denied")
	// ErrRequestSubmitted: denied, and Keycloak recorded the request
	// (submit_request with a ticket) for the resource owner to approve.
	ErrRequestSubmitted = errors.New("authz: access denied, request submitted to the resource owner")
)

// Client asks for permissions at one resource server of one realm. It is
// safe for concurrent use.
type Client struct {
	rest     *rest.Client
	realm    string
	clientID string
	secret   string
	disc     *umadiscovery.Discovery
	now      func() time.Time
}

type config struct {
	secret string
}

// WithClientSecret gives the secret of the resource server's client,
// which [Client.IntrospectRPT] needs to authenticate (Keycloak lets only
// confidential clients introspect).
func WithClientSecret(secret string) kc.Option {
	return settings.PackageOption[config]{Name: "authz.WithClientSecret", F: func(c *config) error {
		if secret == "" {
			return errors.New("authz: WithClientSecret: secret is empty")
		}
		c.secret = secret
		return nil
	}}
}

// New returns a client for the resource server clientID (the client with
// authorization services enabled) of realm on the Keycloak server at
// serverURL.
func New(serverURL, realm, clientID string, opts ...kc.Option) (*Client, error) {
	if strings.TrimSpace(realm) == "" {
		return nil, errors.New("authz: realm is empty")
	}
	if strings.TrimSpace(clientID) == "" {
		return nil, errors.New("authz: clientID is empty")
	}
	s, err := settings.New(opts)
	if err != nil {
		return nil, fmt.Errorf("authz: %w", err)
	}
	var cfg config
	if err := settings.ApplyPackage(s, "authz", &cfg); err != nil {
		return nil, err
	}
	rc, err := rest.New("authz", serverURL, s)
	if err != nil {
		return nil, err
	}
	return &Client{rest: rc, realm: realm, clientID: clientID, secret: cfg.secret,
		disc: umadiscovery.New(rc, realm), now: time.Now}, nil
}

// ClientID returns the resource server's client ID: the audience of the
// RPTs.
func (c *Client) ClientID() string { return c.clientID }

// Permission is a permission to ask for: a resource (its id or name) and
// some of its scopes. An empty Resource asks for the Scopes on whatever
// resources have them; empty Scopes ask for the resource as a whole.
type Permission struct {
	// Resource names the resource. Keycloak resolves it at the resource
	// server as follows (AuthorizationTokenService.createPermissions):
	//
	//  1. a value with a '-' is first looked up as a resource ID; if a
	//     resource has it, that resource is the answer, otherwise the value
	//     goes on to 2 and 3;
	//  2. "resource-type:T" is every resource of type T that the resource
	//     server owns, "resource-type-any:T" every resource of type T,
	//     "resource-type-instance:T" those of type T that others own (the
	//     instances), and "resource-type-owner:T" those of type T that the
	//     requester owns;
	//  3. any other value is a name, and every match is asked for: the
	//     requester's own resource of that name, then (unless the
	//     requester is the resource server's own service account) the
	//     resources of that name that a granted permission ticket lets the
	//     requester use, then the resource server's resource of that name.
	//
	// When nothing matches, Keycloak answers 400 invalid_resource
	// ("Resource with id [X] does not exist."; errors.Is(err,
	// kc.ErrBadRequest)), and when none of the Scopes exist, 400
	// invalid_scope.
	Resource string
	Scopes   []string
}

// String returns the permission as the UMA grant spells it:
// "resource#scope1,scope2", "resource" or "#scope".
func (p Permission) String() string {
	if len(p.Scopes) == 0 {
		return p.Resource
	}
	return p.Resource + "#" + strings.Join(p.Scopes, ",")
}

func (p Permission) check(i int) error {
	if p.Resource == "" && len(p.Scopes) == 0 {
		return fmt.Errorf("authz: permission %d has neither resource nor scopes", i)
	}
	if strings.Contains(p.Resource, "#") {
		return fmt.Errorf("authz: permission %d: resource %q contains '#'", i, p.Resource)
	}
	for _, s := range p.Scopes {
		if s == "" || strings.ContainsAny(s, ",#") {
			return fmt.Errorf("authz: permission %d: scope %q is empty or contains ',' or '#'", i, s)
		}
	}
	return nil
}

// Request holds the optional parameters of an RPT request. A nil *Request
// asks for every permission the user has at the resource server.
type Request struct {
	// Permissions to ask for; none means all the user can get.
	Permissions []Permission
	// Ticket is a permission ticket from a resource server's UMA challenge
	// (see [ParseUMAChallenge]); with it the audience is the ticket's.
	Ticket string
	// RPT is a previous RPT whose permissions the new one keeps
	// (incremental authorization).
	RPT string
	// Claims are pushed to the policies, sent as a claim token of format
	// [ClaimTokenFormatJWT] (base64url JSON).
	Claims map[string][]string
	// ClaimToken and ClaimTokenFormat send a claim token as it is (such as
	// an ID token with [ClaimTokenFormatIDToken]); not together with
	// Claims.
	ClaimToken, ClaimTokenFormat string
	// SubmitRequest, with a Ticket, makes Keycloak record a denied request
	// for the resource owner to approve (Keycloak's default is true).
	SubmitRequest *bool
	// IncludeResourceName puts resource names in the permissions
	// (Keycloak's default is true).
	IncludeResourceName *bool
	// PermissionsLimit keeps at most that many permissions in the RPT.
	PermissionsLimit int
	// Scope is a space-separated list of scopes applied to every requested
	// permission.
	Scope string
	// Audience overrides the resource server given to New.
	Audience string
}

func (r *Request) check() error {
	if r == nil {
		return nil
	}
	for i, p := range r.Permissions {
		if err := p.check(i); err != nil {
			return err
		}
	}
	if r.PermissionsLimit < 0 {
		return fmt.Errorf("authz: PermissionsLimit is negative (%d)", r.PermissionsLimit)
	}
	if len(r.Claims) > 0 && r.ClaimToken != "" {
		return errors.New("authz: both Claims and ClaimToken given")
	}
	if r.ClaimTokenFormat != "" && r.ClaimToken == "" {
		return errors.New("authz: ClaimTokenFormat without ClaimToken")
	}
	return nil
}

// form builds the UMA grant's form for the response mode mode ("" for a
// token).
func (c *Client) form(r *Request, mode string) (url.Values, error) {
	if r == nil {
		r = &Request{}
	}
	f := url.Values{"grant_type": {GrantType}}
	switch {
	case r.Audience != "":
		f.Set("audience", r.Audience)
	case r.Ticket == "":
		f.Set("audience", c.clientID)
	}
	for _, p := range r.Permissions {
		f.Add("permission", p.String())
	}
	set := func(k, v string) {
		if v != "" {
			f.Set(k, v)
		}
	}
	set("ticket", r.Ticket)
	set("rpt", r.RPT)
	set("scope", r.Scope)
	set("response_mode", mode)
	if len(r.Claims) > 0 {
		b, err := json.Marshal(r.Claims)
		if err != nil {
			return nil, fmt.Errorf("authz: encoding claims: %w", err)
		}
		f.Set("claim_token", base64.RawURLEncoding.EncodeToString(b))
		f.Set("claim_token_format", ClaimTokenFormatJWT)
	} else {
		set("claim_token", r.ClaimToken)
		set("claim_token_format", r.ClaimTokenFormat)
	}
	if r.SubmitRequest != nil {
		f.Set("submit_request", strconv.FormatBool(*r.SubmitRequest))
	}
	if r.IncludeResourceName != nil {
		f.Set("response_include_resource_name", strconv.FormatBool(*r.IncludeResourceName))
	}
	if r.PermissionsLimit > 0 {
		f.Set("response_permissions_limit", strconv.Itoa(r.PermissionsLimit))
	}
	return f, nil
}

// grant sends the UMA grant with the user's token and decodes the answer
// into out.
func (c *Client) grant(ctx context.Context, user kc.TokenSource, r *Request, mode string, out any) error {
	if ctx == nil {
		return errors.New("authz: nil context")
	}
	if user == nil {
		return errors.New("authz: user token source is nil")
	}
	if err := r.check(); err != nil {
		return err
	}
	form, err := c.form(r, mode)
	if err != nil {
		return err
	}
	conf, err := c.disc.Get(ctx)
	if err != nil {
		return err
	}
	u, err := conf.Endpoint("authz", "token_endpoint", conf.TokenEndpoint)
	if err != nil {
		return err
	}
	// Repeating the grant is harmless, except that it could record a
	// permission request twice.
	submits := r != nil && r.Ticket != "" && (r.SubmitRequest == nil || *r.SubmitRequest)
	_, err = c.rest.Do(ctx, &rest.Request{Method: "POST", URL: u, Form: form, Auth: user, Idempotent: !submits}, out)
	return denial(err)
}

// denial adds ErrAccessDenied (and ErrRequestSubmitted) to the error of a
// 403 access_denied answer.
func denial(err error) error {
	apiErr, ok := errors.AsType[*kc.APIError](err)
	if !ok || apiErr.StatusCode != 403 || apiErr.ErrorCode != "access_denied" {
		return err
	}
	if apiErr.ErrorDescription == "request_submitted" {
		return fmt.Errorf("%w: %w: %w", ErrAccessDenied, ErrRequestSubmitted, err)
	}
	return fmt.Errorf("%w: %w", ErrAccessDenied, err)
}

// Entitlement asks for an RPT: an access token for the resource server
// with the permissions the user is granted in its "authorization" claim
// (read it with [ParseRPTUnverified] or, verified, [RPTFromClaims]). A
// refresh token comes with it when the user's token has a session.
//
// A denial is an error matching [ErrAccessDenied] (and
// [ErrRequestSubmitted] when Keycloak recorded the request).
//
// Keycloak: POST /realms/{realm}/protocol/openid-connect/token (grant_type=urn:ietf:params:oauth:grant-type:uma-ticket)
func (c *Client) Entitlement(ctx context.Context, user kc.TokenSource, r *Request) (*kc.Token, error) {
	var resp oauth.TokenResponse
	if err := c.grant(ctx, user, r, "", &resp); err != nil {
		return nil, err
	}
	if resp.AccessToken == "" {
		return nil, errors.New("authz: token endpoint returned no access_token")
	}
	return resp.Token(c.now()), nil
}

// UpgradeRPT asks for an RPT that keeps the permissions of rpt and adds
// those of r; the new token's Upgraded field tells whether Keycloak merged
// them.
//
// Keycloak: POST /realms/{realm}/protocol/openid-connect/token (grant_type=urn:ietf:params:oauth:grant-type:uma-ticket, rpt)
func (c *Client) UpgradeRPT(ctx context.Context, user kc.TokenSource, rpt string, r *Request) (*kc.Token, error) {
	if rpt == "" {
		return nil, errors.New("authz: rpt is empty")
	}
	req := Request{}
	if r != nil {
		req = *r
	}
	req.RPT = rpt
	return c.Entitlement(ctx, user, &req)
}

// RPTForTicket exchanges the ticket of a resource server's UMA challenge
// for an RPT. r may set more parameters (Claims, SubmitRequest, RPT, ...);
// its Ticket is replaced by ticket.
//
// Keycloak: POST /realms/{realm}/protocol/openid-connect/token (grant_type=urn:ietf:params:oauth:grant-type:uma-ticket, ticket)
func (c *Client) RPTForTicket(ctx context.Context, user kc.TokenSource, ticket string, r *Request) (*kc.Token, error) {
	if ticket == "" {
		return nil, errors.New("authz: ticket is empty")
	}
	req := Request{}
	if r != nil {
		req = *r
	}
	req.Ticket = ticket
	return c.Entitlement(ctx, user, &req)
}

// Decision reports whether Keycloak grants the request r. As with an RPT,
// Keycloak answers true when at least one of the permissions asked for is
// granted: to require several, ask for each, or check an RPT with
// [RPT.Allows]. A denial is false with a nil error; any other failure is an
// error.
//
// Keycloak: POST /realms/{realm}/protocol/openid-connect/token (grant_type=urn:ietf:params:oauth:grant-type:uma-ticket, response_mode=decision)
func (c *Client) Decision(ctx context.Context, user kc.TokenSource, r *Request) (bool, error) {
	var out struct {
		Result bool `json:"result"`
	}
	err := c.grant(ctx, user, r, "decision", &out)
	if errors.Is(err, ErrAccessDenied) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return out.Result, nil
}

// Permissions returns the permissions the user is granted among those of
// r (all of them for a nil r), without an RPT. A denial is an error
// matching [ErrAccessDenied].
//
// Keycloak: POST /realms/{realm}/protocol/openid-connect/token (grant_type=urn:ietf:params:oauth:grant-type:uma-ticket, response_mode=permissions)
func (c *Client) Permissions(ctx context.Context, user kc.TokenSource, r *Request) ([]kc.GrantedPermission, error) {
	out := []kc.GrantedPermission{}
	if err := c.grant(ctx, user, r, "permissions", &out); err != nil {
		return nil, err
	}
	return out, nil
}
