package main

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/kcgo/kc"
	"github.com/kcgo/kc/keycloak/admin"
	"github.com/kcgo/kc/keycloak/authz"
	"github.com/kcgo/kc/keycloak/kctest"
	"github.com/kcgo/kc/keycloak/oidc"
	"github.com/kcgo/kc/keycloak/uma"
)

// What the tour uses of the demo realm, and what it creates.
const (
	demoRealmFile  = "testdata/realms/demo-realm.json"
	serviceClient  = "demo-service" // confidential, service account
	appClient      = "demo-app"     // public, direct access grants
	resourceServer = "demo-api"     // confidential, authorization services
	demoRole       = "user"         // the role the "Users" policy of demo-api wants
	demoResource   = "Document"     // demo-api's resource, scopes read and write

	tourUser     = "tour-user"
	tourRole     = "tour-reader"
	tourResource = "Tour notebook"
)

// timeout bounds the whole tour: it takes well under a second on kctest.
const timeout = time.Minute

// tour holds what the steps share.
type tour struct {
	out      io.Writer
	server   string // server URL
	realm    string
	opts     []kc.Option
	admin    *admin.RealmClient
	password string // the tour user's, random; never printed

	userID     string
	userToken  *kc.Token
	resourceID string

	// cleanups run in reverse order at the end, whatever happened.
	cleanups []cleanup
}

type cleanup struct {
	what string
	fn   func(ctx context.Context) error
}

// step is one stop of the tour.
type step struct {
	name string
	run  func(t *tour, ctx context.Context) error
}

var steps = []step{
	{"discovery", (*tour).discovery},
	{"client credentials", (*tour).clientCredentials},
	{"admin", (*tour).createUserAndRole},
	{"login", (*tour).login},
	{"verify", (*tour).verify},
	{"introspect", (*tour).introspect},
	{"authz", (*tour).decide},
	{"uma", (*tour).registerResource},
}

// run walks through the tour, printing one short line per thing done, and
// cleans up. getenv reads the environment (os.Getenv in main).
func run(ctx context.Context, out io.Writer, getenv func(string) string) (err error) {
	start := time.Now()
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	t := &tour{out: out, opts: []kc.Option{kc.WithUserAgent("kc-tour")}}
	defer func() {
		// Clean up even when a step failed or ctx ended.
		cctx, ccancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
		defer ccancel()
		if cerr := t.cleanup(cctx); err == nil {
			err = cerr
		}
		if err == nil {
			t.printf("done in %v", time.Since(start).Round(time.Millisecond))
		}
	}()

	if err := t.connect(ctx, getenv); err != nil {
		return err
	}
	for _, s := range steps {
		if err := s.run(t, ctx); err != nil {
			return fmt.Errorf("%s: %w", s.name, err)
		}
	}
	return nil
}

func (t *tour) printf(format string, args ...any) {
	fmt.Fprintf(t.out, format+"\n", args...)
}

func (t *tour) onCleanup(what string, fn func(ctx context.Context) error) {
	t.cleanups = append(t.cleanups, cleanup{what, fn})
}

func (t *tour) cleanup(ctx context.Context) error {
	var errs []error
	var done []string
	for _, c := range slices.Backward(t.cleanups) {
		if err := c.fn(ctx); err != nil {
			errs = append(errs, fmt.Errorf("cleanup: %s: %w", c.what, err))
			continue
		}
		if c.what != "" {
			done = append(done, c.what)
		}
	}
	t.cleanups = nil
	if len(done) > 0 {
		t.printf("cleanup: removed %s", strings.Join(done, ", "))
	}
	return errors.Join(errs...)
}

// connect starts kctest with the demo realm, or, with KEYCLOAK_URL set,
// logs in to that server as its administrator and picks or creates the
// realm.
func (t *tour) connect(ctx context.Context, getenv func(string) string) error {
	adminUser, adminPassword := "admin", "admin" // kctest's bootstrap admin
	if url := getenv("KEYCLOAK_URL"); url != "" {
		adminUser, adminPassword = getenv("KEYCLOAK_ADMIN"), getenv("KEYCLOAK_ADMIN_PASSWORD")
		if adminUser == "" || adminPassword == "" {
			return errors.New("KEYCLOAK_URL is set: set KEYCLOAK_ADMIN and KEYCLOAK_ADMIN_PASSWORD to the master realm's administrator")
		}
		t.server = strings.TrimRight(url, "/")
		t.realm = getenv("KEYCLOAK_REALM")
		t.printf("server: Keycloak at %s", t.server)
	} else {
		path, err := findDemoRealm()
		if err != nil {
			return err
		}
		srv, err := kctest.NewServer(kctest.WithRealmFile(path))
		if err != nil {
			return fmt.Errorf("starting kctest: %w", err)
		}
		t.onCleanup("", func(context.Context) error { srv.Close(); return nil })
		t.server, t.realm = srv.URL, "demo"
		t.printf("server: kctest (in-process) at %s", t.server)
	}

	// The administrator logs in to the master realm with admin-cli; the
	// managed source logs in again when its token runs out.
	cli, err := oidc.New(t.server, "master", "admin-cli", t.opts...)
	if err != nil {
		return err
	}
	ts := cli.PasswordSource(adminUser, adminPassword)
	if _, err := ts.Token(ctx); err != nil {
		return fmt.Errorf("admin login to the master realm as %q: %w", adminUser, err)
	}
	ac, err := admin.New(t.server, ts, t.opts...)
	if err != nil {
		return err
	}

	if t.realm == "" {
		// A temporary realm made from the demo realm file.
		path, err := findDemoRealm()
		if err != nil {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		var rep admin.Realm
		if err := json.Unmarshal(b, &rep); err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		rep.Realm = "kc-tour-" + strings.ToLower(rand.Text()[:8])
		rep.ID = ""
		if _, err := ac.Realms.Create(ctx, &rep); err != nil {
			return fmt.Errorf("creating realm %s: %w", rep.Realm, err)
		}
		t.realm = rep.Realm
		t.onCleanup("realm "+t.realm, func(ctx context.Context) error { return ac.Realms.Delete(ctx, t.realm) })
		t.printf("realm: created %s from the demo realm", t.realm)
	} else {
		t.printf("realm: %s", t.realm)
	}
	t.admin = ac.Realm(t.realm)
	return nil
}

// findDemoRealm looks for the demo realm file in the working directory and
// its parents, so the tour runs from anywhere in the repository.
func findDemoRealm() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		p := filepath.Join(dir, filepath.FromSlash(demoRealmFile))
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("%s not found: run the tour from the kc repository", demoRealmFile)
		}
		dir = parent
	}
}

// clientSecret reads a confidential client's secret with the admin API.
func (t *tour) clientSecret(ctx context.Context, clientID string) (string, error) {
	c, err := t.admin.Clients.GetByClientID(ctx, clientID)
	if err != nil {
		return "", fmt.Errorf("client %s: %w", clientID, err)
	}
	s, err := t.admin.Clients.Secret(ctx, c.ID)
	if err != nil {
		return "", fmt.Errorf("secret of client %s: %w", clientID, err)
	}
	return s.Value, nil
}

func (t *tour) discovery(ctx context.Context) error {
	c, err := oidc.New(t.server, t.realm, appClient, t.opts...)
	if err != nil {
		return err
	}
	d, err := c.Discovery(ctx)
	if err != nil {
		return err
	}
	t.printf("discovery: issuer %s", d.Issuer)
	rs256 := "without RS256"
	if slices.Contains(d.IDTokenSigningAlgValuesSupported, "RS256") {
		rs256 = "RS256 among them"
	}
	t.printf("discovery: %d grant types, PKCE %s, %d signing algorithms, %s",
		len(d.GrantTypesSupported), strings.Join(d.CodeChallengeMethodsSupported, "/"),
		len(d.IDTokenSigningAlgValuesSupported), rs256)
	return nil
}

func (t *tour) clientCredentials(ctx context.Context) error {
	secret, err := t.clientSecret(ctx, serviceClient)
	if err != nil {
		return err
	}
	c, err := oidc.New(t.server, t.realm, serviceClient, append(t.opts, oidc.WithClientSecret(secret))...)
	if err != nil {
		return err
	}
	tok, err := c.ClientCredentials(ctx)
	if err != nil {
		return err
	}
	t.printf("client credentials: %s got a %s token, valid for %v", serviceClient, tok.TokenType, time.Until(tok.Expiry).Round(time.Minute))
	return nil
}

func (t *tour) createUserAndRole(ctx context.Context) error {
	t.password = rand.Text()
	id, err := t.admin.Users.Create(ctx, &admin.User{
		Username:  tourUser,
		Enabled:   kc.Ptr(true),
		Email:     kc.Ptr(tourUser + "@example.com"),
		FirstName: kc.Ptr("Tour"),
		LastName:  kc.Ptr("User"),
		// Keycloak's default user profile requires e-mail, first and last
		// name: without them a password login fails with "Account is not
		// fully set up".
		EmailVerified: kc.Ptr(true),
		Credentials:   []admin.Credential{{Type: "password", Value: t.password, Temporary: kc.Ptr(false)}},
	})
	if err != nil {
		return fmt.Errorf("creating user %s: %w", tourUser, err)
	}
	t.userID = id
	t.onCleanup("user "+tourUser, func(ctx context.Context) error { return t.admin.Users.Delete(ctx, id) })
	t.printf("admin: created user %s", tourUser)

	if _, err := t.admin.Roles.Create(ctx, &admin.Role{Name: tourRole, Description: kc.Ptr("Created by the kc tour")}); err != nil {
		return fmt.Errorf("creating role %s: %w", tourRole, err)
	}
	t.onCleanup("role "+tourRole, func(ctx context.Context) error { return t.admin.Roles.Delete(ctx, tourRole) })
	user, err := t.admin.Roles.Get(ctx, demoRole)
	if err != nil {
		return fmt.Errorf("role %s: %w", demoRole, err)
	}
	if err := t.admin.Roles.AddComposites(ctx, tourRole, []admin.Role{*user}); err != nil {
		return fmt.Errorf("adding %s to role %s: %w", demoRole, tourRole, err)
	}
	t.printf("admin: created realm role %s, a composite including %s", tourRole, demoRole)

	role, err := t.admin.Roles.Get(ctx, tourRole)
	if err != nil {
		return err
	}
	if err := t.admin.Users.RoleMappings(id).AddRealmRoles(ctx, []admin.Role{*role}); err != nil {
		return fmt.Errorf("mapping role %s to %s: %w", tourRole, tourUser, err)
	}
	eff, err := t.admin.Users.RoleMappings(id).EffectiveRealmRoles(ctx, nil)
	if err != nil {
		return err
	}
	t.printf("admin: mapped %s to %s; effective realm roles: %s", tourRole, tourUser, roleNames(eff))
	return nil
}

func roleNames(roles []admin.Role) string {
	names := make([]string, len(roles))
	for i, r := range roles {
		names[i] = r.Name
	}
	slices.Sort(names)
	return strings.Join(names, " ")
}

func (t *tour) login(ctx context.Context) error {
	c, err := oidc.New(t.server, t.realm, appClient, t.opts...)
	if err != nil {
		return err
	}
	tok, err := c.Password(ctx, tourUser, t.password)
	if err != nil {
		return err
	}
	t.userToken = tok
	refresh := "no refresh token"
	if tok.RefreshToken != "" {
		refresh = "a refresh token"
	}
	t.printf("login: %s logged in with the password grant (client %s): access token valid for %v, %s",
		tourUser, appClient, time.Until(tok.Expiry).Round(time.Minute), refresh)
	return nil
}

func (t *tour) verify(ctx context.Context) error {
	c, err := oidc.New(t.server, t.realm, appClient, t.opts...)
	if err != nil {
		return err
	}
	// An access token's audience is the services it may call, not the app
	// it was issued to: check that it was issued to demo-app (azp).
	v, err := c.Verifier(oidc.VerifierConfig{SkipAudienceCheck: true, AuthorizedParty: appClient})
	if err != nil {
		return err
	}
	claims, err := v.Verify(ctx, t.userToken.AccessToken)
	if err != nil {
		return err
	}
	if claims.Subject != t.userID {
		return fmt.Errorf("token subject %q is not the user %q", claims.Subject, t.userID)
	}
	if !claims.HasRealmRole(tourRole) {
		return fmt.Errorf("verified token lacks realm role %s: %v", tourRole, claims.RealmRoles())
	}
	t.printf("verify: signature and claims checked locally with the realm's keys: user %s, issued to %s",
		claims.PreferredUsername, claims.AuthorizedParty)
	roles := slices.Clone(claims.RealmRoles())
	slices.Sort(roles)
	t.printf("verify: realm roles in the token: %s", strings.Join(roles, " "))
	return nil
}

func (t *tour) introspect(ctx context.Context) error {
	secret, err := t.clientSecret(ctx, resourceServer)
	if err != nil {
		return err
	}
	c, err := oidc.New(t.server, t.realm, resourceServer, append(t.opts, oidc.WithClientSecret(secret))...)
	if err != nil {
		return err
	}
	in, err := c.Introspect(ctx, t.userToken.AccessToken, oidc.HintAccessToken)
	if err != nil {
		return err
	}
	if !in.Active {
		return errors.New("the user's access token is not active")
	}
	t.printf("introspect: %s asked the server: token active, user %s, client %s", resourceServer, in.Username, in.ClientID)
	return nil
}

func (t *tour) decide(ctx context.Context) error {
	secret, err := t.clientSecret(ctx, resourceServer)
	if err != nil {
		return err
	}
	az, err := authz.New(t.server, t.realm, resourceServer, append(t.opts, authz.WithClientSecret(secret))...)
	if err != nil {
		return err
	}
	user := kc.StaticTokenSource(t.userToken)
	ok, err := az.Decision(ctx, user, &authz.Request{
		Permissions: []authz.Permission{{Resource: demoResource, Scopes: []string{"read"}}},
	})
	if err != nil {
		return err
	}
	verdict := "denied"
	if ok {
		verdict = "granted"
	}
	t.printf("authz: may %s read %s? %s (policy: role %s, which %s includes)", tourUser, demoResource, verdict, demoRole, tourRole)
	perms, err := az.Permissions(ctx, user, nil)
	if err != nil {
		return err
	}
	var granted []string
	for _, p := range perms {
		scopes := slices.Clone(p.Scopes)
		slices.Sort(scopes)
		granted = append(granted, p.ResourceName+" ("+strings.Join(scopes, " ")+")")
	}
	slices.Sort(granted)
	t.printf("authz: all permissions of %s at %s: %s", tourUser, resourceServer, strings.Join(granted, ", "))
	return nil
}

func (t *tour) registerResource(ctx context.Context) error {
	secret, err := t.clientSecret(ctx, resourceServer)
	if err != nil {
		return err
	}
	c, err := uma.New(t.server, t.realm, resourceServer, append(t.opts, uma.WithClientSecret(secret))...)
	if err != nil {
		return err
	}
	r, err := c.CreateResource(ctx, uma.Resource{
		Name:               tourResource,
		Type:               "urn:demo-api:resources:notebook",
		URIs:               []string{"/notebooks/tour"},
		Scopes:             []uma.Scope{{Name: "read"}, {Name: "write"}},
		Owner:              &uma.Owner{Name: tourUser},
		OwnerManagedAccess: true,
	})
	if err != nil {
		return err
	}
	t.resourceID = r.ID
	t.onCleanup("resource "+tourResource, func(ctx context.Context) error { return c.DeleteResource(ctx, r.ID) })
	owner := ""
	if r.Owner != nil {
		owner = r.Owner.Name
		if owner == "" {
			owner = r.Owner.ID
		}
	}
	t.printf("uma: %s registered %q owned by %s, scopes %s", resourceServer, r.Name, owner, strings.Join(r.ScopeNames(), " "))

	got, err := c.ListResourceIDs(ctx, &uma.ResourceQuery{Name: tourResource, ExactName: true})
	if err != nil {
		return err
	}
	if !slices.Contains(got, r.ID) {
		return fmt.Errorf("resource %s not found by name", r.ID)
	}
	t.printf("uma: found it by name (%d match)", len(got))
	return nil
}
