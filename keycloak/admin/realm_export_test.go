package admin_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/kcgo/kc"
	"github.com/kcgo/kc/keycloak/admin"
	"github.com/kcgo/kc/keycloak/kctest"
)

func TestPartialExport(t *testing.T) {
	t.Parallel()
	e := setup(t)
	ctx := t.Context()
	setSMTP(t, e, map[string]string{"host": "smtp.acme.example", "from": "noreply@acme.example", "auth": "true", "user": "mailer", "password": "smtp-pass"})
	must[string](t)(e.realm.Clients.Create(ctx, &admin.ClientApp{ClientID: "backend", Secret: "client-pass", ServiceAccountsEnabled: kc.Ptr(true)}))
	must[string](t)(e.realm.IdentityProviders.Create(ctx, &admin.IdentityProvider{Alias: "corp", ProviderID: "oidc",
		Config: map[string]string{"clientId": "kc", "clientSecret": "idp-pass", "authorizationUrl": "https://idp.example/auth", "tokenUrl": "https://idp.example/token"}}))
	must[string](t)(e.realm.Groups.Create(ctx, &admin.Group{Name: "staff"}))
	must[string](t)(e.srv.AddUser("acme", kctest.User{Username: "olga", Password: "user-pass"}))
	realm := must[*admin.Realm](t)(e.c.Realms.Get(ctx, "acme"))
	must[string](t)(e.realm.Components.Create(ctx, &admin.Component{Name: "hmac", ProviderID: "hmac-generated", ProviderType: "org.keycloak.keys.KeyProvider",
		ParentID: realm.ID, Config: map[string][]string{"priority": {"5"}, "secret": {"aG1hYy1wYXNzLWhtYWMtcGFzcy1obWFjLXBhc3M"}}}))
	must[string](t)(e.realm.Components.Create(ctx, &admin.Component{Name: "corp-ldap", ProviderID: "ldap", ProviderType: "org.keycloak.storage.UserStorageProvider",
		ParentID: realm.ID, Config: map[string][]string{"bindCredential": {"ldap-pass"}}}))

	bare := must[*admin.RealmExport](t)(e.c.Realms.PartialExport(ctx, "acme", nil))
	if bare.Realm.Realm != "acme" || bare.Clients != nil || bare.Roles != nil || bare.Groups != nil || bare.Users != nil || len(bare.ClientScopes) == 0 {
		t.Errorf("bare export: realm %q, %d clients, roles %v, %d groups, %d users, %d scopes",
			bare.Realm.Realm, len(bare.Clients), bare.Roles, len(bare.Groups), len(bare.Users), len(bare.ClientScopes))
	}
	if _, ok := bare.Realm.Extra["components"]; !ok {
		t.Error("no components in the export")
	}
	full := must[*admin.RealmExport](t)(e.c.Realms.PartialExport(ctx, "acme", &admin.PartialExportOptions{ExportClients: true, ExportGroupsAndRoles: true}))
	var backend *admin.ClientApp
	for i := range full.Clients {
		if full.Clients[i].ClientID == "backend" {
			backend = &full.Clients[i]
		}
	}
	if backend == nil || backend.Secret != "**********" {
		t.Fatalf("exported client = %+v", backend)
	}
	if len(full.Users) != 1 || full.Users[0].Username != "service-account-backend" {
		t.Errorf("exported users = %+v", full.Users)
	}
	if full.Roles == nil || len(full.Roles.Realm) == 0 || len(full.Groups) != 1 || full.Groups[0].Name != "staff" {
		t.Errorf("roles %+v, groups %+v", full.Roles, full.Groups)
	}
	// No secret leaves the server (StripSecretsUtils.stripForExport).
	b, err := json.Marshal(full)
	if err != nil {
		t.Fatal(err)
	}
	all := string(b)
	for _, secret := range []string{"client-pass", "idp-pass", "smtp-pass", "user-pass", "aG1hYy1wYXNzLWhtYWMtcGFzcy1obWFjLXBhc3M", "ldap-pass"} {
		if strings.Contains(all, secret) {
			t.Errorf("export contains %q", secret)
		}
	}
	for _, masked := range []string{`"clientSecret":"**********"`, `"password":"**********"`, `"bindCredential":["**********"]`} {
		if !strings.Contains(all, masked) {
			t.Errorf("export lacks %s", masked)
		}
	}
	if _, err := e.c.Realms.PartialExport(ctx, "", nil); err == nil || !strings.Contains(err.Error(), "realm") {
		t.Errorf("empty realm = %v", err)
	}
}

func TestTestSMTPConnection(t *testing.T) {
	t.Parallel()
	e := setup(t)
	ctx := t.Context()
	settings := map[string]string{"host": "smtp.acme.example", "port": "587", "from": "noreply@acme.example", "password": "smtp-pass"}
	// The bootstrap admin has no email address: Keycloak cannot send.
	if err := e.c.Realms.TestSMTPConnection(ctx, "acme", settings); !isStatus(err, 500, "Failed to send email") {
		t.Fatalf("admin without email = %v", err)
	}
	master := e.c.Realm("master")
	admins := must[[]admin.User](t)(master.Users.List(ctx, &admin.UserListOptions{Username: "admin", Exact: kc.Ptr(true)}))
	admins[0].Email = kc.Ptr("root@acme.example")
	check(t, master.Users.Update(ctx, admins[0].ID, &admins[0]))
	check(t, e.c.Realms.TestSMTPConnection(ctx, "acme", settings))
	if err := e.c.Realms.TestSMTPConnection(ctx, "acme", map[string]string{"host": "smtp.acme.example"}); !isStatus(err, 500, "Failed to send email") {
		t.Errorf("no sender = %v", err)
	}
	mails := e.srv.Mail()
	if len(mails) != 1 || mails[0].To != "root@acme.example" || mails[0].Subject != "[KEYCLOAK] - SMTP test message" || mails[0].Text != "This is a test message" {
		t.Errorf("mails = %+v", mails)
	}
	if strings.Contains(mails[0].String(), "smtp-pass") {
		t.Error("the SMTP password is in the mail")
	}
}
