package admin_test

import (
	"errors"
	"fmt"
	"net"
	"strings"
	"testing"

	"github.com/kcgo/kc"
	"github.com/kcgo/kc/keycloak/admin"
)

// TestUserStorage runs every UserStorageService method against kctest,
// which answers as Keycloak does when no LDAP server answers.
func TestUserStorage(t *testing.T) {
	t.Parallel()
	e := setup(t)
	ctx := t.Context()
	us := e.realm.UserStorage
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	down := "ldap://" + ln.Addr().String()
	_ = ln.Close()
	up, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = up.Close() })

	ldapID := must[string](t)(e.realm.Components.Create(ctx, &admin.Component{Name: "corp", ProviderID: "ldap",
		ProviderType: "org.keycloak.storage.UserStorageProvider", Config: map[string][]string{"connectionUrl": {down}}}))
	kerbID := must[string](t)(e.realm.Components.Create(ctx, &admin.Component{Name: "kerb", ProviderID: "kerberos",
		ProviderType: "org.keycloak.storage.UserStorageProvider"}))
	mapperID := must[string](t)(e.realm.Components.Create(ctx, &admin.Component{Name: "groups", ProviderID: "group-ldap-mapper",
		ProviderType: "org.keycloak.storage.ldap.mappers.LDAPStorageMapper", ParentID: ldapID}))

	if n := must[*admin.UserStorageName](t)(us.Name(ctx, ldapID)); n.ID != ldapID || n.Name != "corp" {
		t.Errorf("Name = %+v", n)
	}
	if r := must[*admin.SynchronizationResult](t)(us.Sync(ctx, kerbID, admin.SyncFull)); !r.Ignored {
		t.Errorf("Sync of a provider that does not import: %+v", r)
	}
	wantCode := func(what string, err error, code string) {
		t.Helper()
		var apiErr *kc.APIError
		if !errors.As(err, &apiErr) || apiErr.StatusCode != 400 || apiErr.ErrorMessage != code {
			t.Errorf("%s: %v, want 400 %s", what, err, code)
		}
	}
	_, err = us.Sync(ctx, ldapID, admin.SyncChanged)
	wantCode("Sync with LDAP down", err, "ConnectionFailed")
	_, err = us.SyncMapper(ctx, ldapID, mapperID, admin.SyncFederationToKeycloak)
	wantCode("SyncMapper with LDAP down", err, "ConnectionFailed")
	check(t, us.RemoveImportedUsers(ctx, ldapID))
	check(t, us.UnlinkUsers(ctx, ldapID))
	if err := us.UnlinkUsers(ctx, "nope"); !errors.Is(err, kc.ErrNotFound) {
		t.Errorf("UnlinkUsers of nothing: %v", err)
	}
	secret := &admin.LDAPConnectionTest{Action: admin.LDAPTestAuthentication, ConnectionURL: "ldap://" + up.Addr().String(),
		AuthType: "simple", BindDN: "cn=admin", BindCredential: "s3cret"}
	wantCode("TestLDAPConnection down", us.TestLDAPConnection(ctx, &admin.LDAPConnectionTest{Action: admin.LDAPTestConnection, ConnectionURL: down}), "ConnectionFailed")
	check(t, us.TestLDAPConnection(ctx, &admin.LDAPConnectionTest{Action: admin.LDAPTestConnection, ConnectionURL: "ldap://" + up.Addr().String()}))
	wantCode("TestLDAPConnection bind", us.TestLDAPConnection(ctx, secret), "AuthenticationFailure")
	if s := fmt.Sprintf("%v %+v %#v", secret, secret, *secret); strings.Contains(s, "s3cret") {
		t.Errorf("the bind credential shows in %s", s)
	}
	_, err = us.LDAPServerCapabilities(ctx, &admin.LDAPConnectionTest{Action: admin.LDAPQueryServerCapabilities, ConnectionURL: down})
	wantCode("LDAPServerCapabilities down", err, "ldapServerCapabilities error")
	if caps := must[[]admin.LDAPCapability](t)(us.LDAPServerCapabilities(ctx, &admin.LDAPConnectionTest{Action: "other"})); len(caps) != 0 {
		t.Errorf("LDAPServerCapabilities of another action: %+v", caps)
	}
	for name, err := range map[string]error{
		"action":    func() error { _, err := us.Sync(ctx, ldapID, ""); return err }(),
		"direction": func() error { _, err := us.SyncMapper(ctx, ldapID, mapperID, ""); return err }(),
		"test":      us.TestLDAPConnection(ctx, nil),
	} {
		if err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("missing %s: %v", name, err)
		}
	}
}
