package admin_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/kcgo/kc"
	"github.com/kcgo/kc/keycloak/admin"
)

// TestClientRegistrationService registers, reads, updates and deletes a
// client through both providers of the client registration service
// against kctest, with an initial access token and the rotating
// registration access token.
func TestClientRegistrationService(t *testing.T) {
	t.Parallel()
	e := setup(t)
	ctx := t.Context()
	cr := e.realm.ClientRegistration
	ia := must[*admin.InitialAccess](t)(cr.CreateInitialAccess(ctx, 0, 2))

	rc := must[*admin.RegisteredClient](t)(cr.Register(ctx, ia.Token, &admin.ClientApp{ClientID: "svc", RedirectURIs: []string{"https://app.example/*"}}))
	if rc.Client.ClientID != "svc" || rc.Client.Secret == "" || rc.RegistrationAccessToken == "" {
		t.Fatalf("Register: %+v", rc)
	}
	if _, ok := rc.Client.Extra["registrationAccessToken"]; ok {
		t.Error("the token is left in Extra")
	}
	if s := fmt.Sprintf("%v %+v %#v", rc, *rc, rc); strings.Contains(s, rc.RegistrationAccessToken) || strings.Contains(s, rc.Client.Secret) {
		t.Errorf("a secret shows in %s", s)
	}
	got := must[*admin.RegisteredClient](t)(cr.Registered(ctx, rc.RegistrationAccessToken, "svc"))
	if got.Client.ClientID != "svc" {
		t.Errorf("Registered: %+v", got)
	}
	if inst := must[map[string]any](t)(cr.AdapterConfiguration(ctx, got.RegistrationAccessToken, "svc")); inst["resource"] != "svc" {
		t.Errorf("AdapterConfiguration: %v", inst)
	}
	name := "Service"
	got.Client.Name = &name
	up := must[*admin.RegisteredClient](t)(cr.UpdateRegistered(ctx, rc.RegistrationAccessToken, "svc", &got.Client))
	if up.Client.Name == nil || *up.Client.Name != "Service" || up.RegistrationAccessToken == rc.RegistrationAccessToken {
		t.Errorf("UpdateRegistered: %+v", up)
	}
	// The rotated-out token no longer works.
	err := cr.DeleteRegistered(ctx, rc.RegistrationAccessToken, "svc")
	var apiErr *kc.APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 401 || apiErr.ErrorCode != "invalid_token" {
		t.Errorf("DeleteRegistered with the old token: %v", err)
	}
	check(t, cr.DeleteRegistered(ctx, up.RegistrationAccessToken, "svc"))

	md := must[*admin.OIDCClientMetadata](t)(cr.RegisterOIDC(ctx, ia.Token, &admin.OIDCClientMetadata{ClientName: "Web",
		RedirectURIs: []string{"https://a.example/cb"}, GrantTypes: []string{"authorization_code", "client_credentials"}}))
	if md.ClientID == "" || md.ClientSecret == "" || md.RegistrationAccessToken == "" || md.TokenEndpointAuthMethod != "client_secret_basic" {
		t.Fatalf("RegisterOIDC: %+v", md)
	}
	if s := fmt.Sprintf("%v", md); strings.Contains(s, md.ClientSecret) {
		t.Errorf("the secret shows in %s", s)
	}
	md2 := must[*admin.OIDCClientMetadata](t)(cr.RegisteredOIDC(ctx, md.RegistrationAccessToken, md.ClientID))
	md2.ClientName = "Web 2"
	md3 := must[*admin.OIDCClientMetadata](t)(cr.UpdateRegisteredOIDC(ctx, md2.RegistrationAccessToken, md.ClientID, md2))
	if md3.ClientName != "Web 2" {
		t.Errorf("UpdateRegisteredOIDC: %+v", md3)
	}
	check(t, cr.DeleteRegisteredOIDC(ctx, md3.RegistrationAccessToken, md.ClientID))
	if _, err := e.realm.Clients.List(ctx, &admin.ClientListOptions{ClientID: md.ClientID}); err != nil {
		t.Fatal(err)
	}
	// The initial access token was used twice: it is spent.
	if _, err := cr.Register(ctx, ia.Token, &admin.ClientApp{ClientID: "third"}); !errors.Is(err, kc.ErrUnauthorized) {
		t.Errorf("Register with a spent token: %v", err)
	}
	for name, err := range map[string]error{
		"registrationToken": func() error { _, err := cr.Registered(ctx, "", "svc"); return err }(),
		"clientID":          cr.DeleteRegisteredOIDC(ctx, "tok", ""),
		"metadata":          func() error { _, err := cr.RegisterOIDC(ctx, "", nil); return err }(),
	} {
		if err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("missing %s: %v", name, err)
		}
	}
}
