package admin_test

import (
	"errors"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kcgo/kc"
	"github.com/kcgo/kc/keycloak/admin"
)

// TestRealmMaintenance follows RealmAdminResource: the cache-clearing
// calls answer 204, push-revocation reports the admin URLs (kctest calls
// none, so each is a failed request), and the credential registrators are
// the enabled required actions that register a credential.
func TestRealmMaintenance(t *testing.T) {
	t.Parallel()
	e := setup(t)
	ctx := t.Context()
	for _, f := range []func() error{
		func() error { return e.c.Realms.ClearRealmCache(ctx, "acme") },
		func() error { return e.c.Realms.ClearUserCache(ctx, "acme") },
		func() error { return e.c.Realms.ClearKeysCache(ctx, "acme") },
		func() error { return e.c.Realms.ClearCRLCache(ctx, "acme") },
	} {
		check(t, f())
	}
	if err := e.c.Realms.ClearRealmCache(ctx, "nope"); !errors.Is(err, kc.ErrNotFound) {
		t.Errorf("unknown realm: %v", err)
	}
	if got := must[*admin.GlobalRequestResult](t)(e.c.Realms.PushRevocation(ctx, "acme")); len(got.SuccessRequests)+len(got.FailedRequests) != 0 {
		t.Errorf("push without admin URLs = %+v", got)
	}
	id := must[string](t)(e.realm.Clients.Create(ctx, &admin.ClientApp{ClientID: "app", AdminURL: kc.Ptr("http://app.invalid/admin")}))
	if diff := cmp.Diff(&admin.GlobalRequestResult{FailedRequests: []string{"http://app.invalid/admin"}}, must[*admin.GlobalRequestResult](t)(e.c.Realms.PushRevocation(ctx, "acme"))); diff != "" {
		t.Errorf("push (-want +got):\n%s", diff)
	}
	if got := must[*admin.GlobalRequestResult](t)(e.realm.Clients.PushRevocation(ctx, id)); len(got.FailedRequests) != 1 {
		t.Errorf("client push = %+v", got)
	}
	regs := must[[]string](t)(e.c.Realms.CredentialRegistrators(ctx, "acme"))
	if !slices.Contains(regs, "CONFIGURE_TOTP") || slices.Contains(regs, "VERIFY_EMAIL") {
		t.Errorf("credential registrators = %q", regs)
	}
}

// TestClientNodesAndRegistrationToken follows ClientResource.registerNode,
// unregisterNode, testNodesAvailable and
// regenerateRegistrationAccessToken.
func TestClientNodesAndRegistrationToken(t *testing.T) {
	t.Parallel()
	e := setup(t)
	ctx := t.Context()
	cl := e.realm.Clients
	id := must[string](t)(cl.Create(ctx, &admin.ClientApp{ClientID: "app"}))
	check(t, cl.RegisterNode(ctx, id, "node-1.internal"))
	c := must[*admin.ClientApp](t)(cl.Get(ctx, id))
	if string(c.Extra["registeredNodes"]) == "" {
		t.Errorf("registeredNodes missing from the client: %v", c.Extra)
	}
	if got := must[*admin.GlobalRequestResult](t)(cl.TestNodesAvailable(ctx, id)); !slices.Equal(got.FailedRequests, []string{"node-1.internal"}) {
		t.Errorf("test-nodes-available = %+v", got)
	}
	check(t, cl.UnregisterNode(ctx, id, "node-1.internal"))
	if err := cl.UnregisterNode(ctx, id, "node-1.internal"); !errors.Is(err, kc.ErrNotFound) {
		t.Errorf("unregistering twice: %v", err)
	}
	if err := cl.RegisterNode(ctx, id, ""); err == nil {
		t.Error("an empty host was sent")
	}
	tok := must[string](t)(cl.RegenerateRegistrationAccessToken(ctx, id))
	if claims := claimsOf(t, tok); claims["registration_auth"] != "authenticated" {
		t.Errorf("registration access token claims = %v", claims)
	}
	if again := must[string](t)(cl.RegenerateRegistrationAccessToken(ctx, id)); again == tok {
		t.Error("the token was not regenerated")
	}
}
