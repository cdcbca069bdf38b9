package admin_test

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/kcgo/kc"
	"github.com/kcgo/kc/keycloak/admin"
	"github.com/kcgo/kc/keycloak/kctest"
)

func TestOrganizations(t *testing.T) {
	t.Parallel()
	e := setup(t)
	ctx := t.Context()
	orgs := e.realm.Organizations
	_, err := orgs.List(ctx, nil)
	apiErr, ok := errors.AsType[*kc.APIError](err)
	if !ok || apiErr.StatusCode != 404 || apiErr.ErrorMessage != "Organizations not enabled for this realm." {
		t.Fatalf("before enabling = %v", err)
	}
	// One realm update turns organizations on; the flag is not a declared
	// field of admin.Realm, so it travels in Extra.
	realm := must[*admin.Realm](t)(e.c.Realms.Get(ctx, "acme"))
	if string(realm.Extra["organizationsEnabled"]) != "false" {
		t.Errorf("organizationsEnabled = %s", realm.Extra["organizationsEnabled"])
	}
	realm.Extra["organizationsEnabled"] = json.RawMessage("true")
	check(t, e.c.Realms.Update(ctx, "acme", realm))

	id := must[string](t)(orgs.Create(ctx, &admin.Organization{Name: "Acme Corp", Domains: []admin.OrganizationDomain{{Name: "acme.example"}},
		Attributes: map[string][]string{"tier": {"gold"}}}))
	if _, err := orgs.Create(ctx, &admin.Organization{Name: "Acme Corp"}); !errors.Is(err, kc.ErrConflict) {
		t.Errorf("duplicate = %v", err)
	}
	if _, err := orgs.Create(ctx, &admin.Organization{Name: "Other", Domains: []admin.OrganizationDomain{{Name: "acme.example"}}}); !errors.Is(err, kc.ErrConflict) {
		t.Errorf("shared domain = %v", err)
	}
	o := must[*admin.Organization](t)(orgs.Get(ctx, id))
	if o.Alias != "Acme Corp" || !*o.Enabled || o.Attributes["tier"][0] != "gold" {
		t.Errorf("Get = %+v", o)
	}
	o.Description = kc.Ptr("The Acme company")
	check(t, orgs.Update(ctx, id, o))
	for i := range 11 {
		must[string](t)(orgs.Create(ctx, &admin.Organization{Name: "Org " + string(rune('A'+i))}))
	}
	if page := must[[]admin.Organization](t)(orgs.List(ctx, nil)); len(page) != 10 {
		t.Errorf("default page = %d, want 10", len(page))
	}
	n := 0
	for _, err := range orgs.All(ctx, nil) {
		check(t, err)
		n++
	}
	if n != 12 {
		t.Errorf("All = %d", n)
	}
	if c := must[int](t)(orgs.Count(ctx, &admin.OrganizationListOptions{Search: "acme.example"})); c != 1 {
		t.Errorf("Count by domain = %d", c)
	}
	byAttr := must[[]admin.Organization](t)(orgs.List(ctx, &admin.OrganizationListOptions{Attributes: map[string]string{"tier": "gold"}, BriefRepresentation: kc.Ptr(false)}))
	if len(byAttr) != 1 || byAttr[0].ID != id || byAttr[0].Attributes == nil {
		t.Errorf("q search = %+v", byAttr)
	}

	// Members.
	uid := must[string](t)(e.srv.AddUser("acme", kctest.User{Username: "olga", Email: "olga@acme.example"}))
	check(t, orgs.AddMember(ctx, id, uid))
	if err := orgs.AddMember(ctx, id, uid); !errors.Is(err, kc.ErrConflict) {
		t.Errorf("second add = %v", err)
	}
	members := must[[]admin.Member](t)(orgs.Members(ctx, id, nil))
	if len(members) != 1 || members[0].ID != uid || members[0].MembershipType != "UNMANAGED" || members[0].Extra != nil {
		t.Errorf("Members = %+v", members)
	}
	if b, _ := json.Marshal(members[0]); !json.Valid(b) || !containsAll(string(b), `"membershipType":"UNMANAGED"`, `"username":"olga"`) {
		t.Errorf("member JSON = %s", b)
	}
	if c := must[int](t)(orgs.MemberCount(ctx, id)); c != 1 {
		t.Errorf("MemberCount = %d", c)
	}
	m := must[*admin.Member](t)(orgs.Member(ctx, id, uid))
	if m.Username != "olga" {
		t.Errorf("Member = %+v", m)
	}
	mine := must[[]admin.Organization](t)(orgs.OfMember(ctx, uid))
	if len(mine) != 1 || mine[0].ID != id {
		t.Errorf("OfMember = %+v", mine)
	}
	var all []string
	for m, err := range orgs.AllMembers(ctx, id, &admin.MemberListOptions{Max: 1}) {
		check(t, err)
		all = append(all, m.Username)
	}
	if !slices.Equal(all, []string{"olga"}) {
		t.Errorf("AllMembers = %v", all)
	}
	check(t, orgs.RemoveMember(ctx, id, uid))
	if _, err := e.realm.Users.Get(ctx, uid); err != nil {
		t.Errorf("an unmanaged member was deleted with the membership: %v", err)
	}

	// Identity providers.
	must[string](t)(e.realm.IdentityProviders.Create(ctx, &admin.IdentityProvider{Alias: "acme-sso", ProviderID: "oidc"}))
	check(t, orgs.AddIdentityProvider(ctx, id, "acme-sso"))
	if ps := must[[]admin.IdentityProvider](t)(orgs.IdentityProviders(ctx, id)); len(ps) != 1 || ps[0].Alias != "acme-sso" {
		t.Errorf("IdentityProviders = %+v", ps)
	}
	check(t, orgs.RemoveIdentityProvider(ctx, id, "acme-sso"))
	check(t, orgs.Delete(ctx, id))
	if _, err := orgs.Get(ctx, id); !errors.Is(err, kc.ErrNotFound) {
		t.Errorf("after delete = %v", err)
	}
}

func containsAll(s string, parts ...string) bool {
	for _, p := range parts {
		if !strings.Contains(s, p) {
			return false
		}
	}
	return true
}
