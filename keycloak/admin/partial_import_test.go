package admin_test

import (
	"errors"
	"net/url"
	"slices"
	"testing"

	"github.com/kcgo/kc"
	"github.com/kcgo/kc/keycloak/admin"
)

func TestPartialImport(t *testing.T) {
	t.Parallel()
	e := setup(t)
	ctx := t.Context()
	p := &admin.PartialImport{
		Roles: &admin.ImportRoles{
			Realm:  []admin.Role{{Name: "member"}},
			Client: map[string][]admin.Role{"portal": {{Name: "editor"}}},
		},
		Clients: []admin.ClientApp{{ClientID: "portal", PublicClient: kc.Ptr(true), DirectAccessGrantsEnabled: kc.Ptr(true)}},
		Groups:  []admin.Group{{Name: "team", SubGroups: []admin.Group{{Name: "blue"}}}},
		Users: []admin.User{{
			Username: "quinn", Enabled: kc.Ptr(true),
			Credentials: []admin.Credential{{Type: "password", Value: "pw", Temporary: kc.Ptr(false)}},
			RealmRoles:  []string{"member"}, ClientRoles: map[string][]string{"portal": {"editor"}},
			Groups: []string{"/team/blue"},
		}},
	}
	res := must[*admin.PartialImportResult](t)(e.c.Realms.PartialImport(ctx, "acme", p))
	if res.Added != 5 || res.Skipped != 0 || len(res.Results) != 5 {
		t.Errorf("result = %+v", res)
	}
	// The imported user logs in with the imported roles.
	at := must[string](t)(login(ctx, e.srv.URL+"/realms/acme/protocol/openid-connect/token",
		url.Values{"grant_type": {"password"}, "client_id": {"portal"}, "username": {"quinn"}, "password": {"pw"}}))
	cl := claimsOf(t, at)
	if !slices.Contains(toStrings(cl["realm_access"].(map[string]any)["roles"]), "member") {
		t.Errorf("realm roles = %v", cl["realm_access"])
	}
	if blue := must[*admin.Group](t)(e.realm.Groups.GetByPath(ctx, "/team/blue")); len(must[[]admin.User](t)(e.realm.Groups.Members(ctx, blue.ID, nil))) != 1 {
		t.Error("user not in /team/blue")
	}
	// Again: FAIL refuses, SKIP skips.
	if _, err := e.c.Realms.PartialImport(ctx, "acme", p); !errors.Is(err, kc.ErrConflict) {
		t.Errorf("second FAIL import = %v", err)
	}
	p.IfResourceExists = "SKIP"
	res = must[*admin.PartialImportResult](t)(e.c.Realms.PartialImport(ctx, "acme", p))
	if res.Added != 0 || res.Skipped != 5 {
		t.Errorf("SKIP result = %+v", res)
	}
	p.IfResourceExists = "OVERWRITE"
	p.Users[0].FirstName = kc.Ptr("Quinn")
	res = must[*admin.PartialImportResult](t)(e.c.Realms.PartialImport(ctx, "acme", p))
	if res.Overwritten != 5 {
		t.Errorf("OVERWRITE result = %+v", res)
	}
	if u := must[*admin.User](t)(e.realm.Users.GetByUsername(ctx, "quinn")); u.GetFirstName() != "Quinn" {
		t.Errorf("overwritten user = %+v", u)
	}
}
