package admin_test

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kcgo/kc"
	"github.com/kcgo/kc/keycloak/admin"
)

// authzEnv is setup plus a confidential client "api" with authorization
// services enabled, and its ResourceServerService.
func authzEnv(t *testing.T) (*env, string, *admin.ResourceServerService) {
	t.Helper()
	e := setup(t)
	id := must[string](t)(e.realm.Clients.Create(t.Context(), &admin.ClientApp{
		ClientID: "api", PublicClient: kc.Ptr(false), ServiceAccountsEnabled: kc.Ptr(true),
		AuthorizationServicesEnabled: kc.Ptr(true),
	}))
	return e, id, e.realm.Clients.ResourceServer(id)
}

func names[T any](items []T, name func(T) string) []string {
	out := make([]string, 0, len(items))
	for _, it := range items {
		out = append(out, name(it))
	}
	slices.Sort(out)
	return out
}

func resName(r admin.AuthzResource) string { return r.Name }
func scName(s admin.AuthzScope) string     { return s.Name }
func polName(p admin.Policy) string        { return p.Name }

func TestResourceServerSettings(t *testing.T) {
	t.Parallel()
	_, clientUUID, az := authzEnv(t)
	ctx := t.Context()

	rs := must[*admin.ResourceServer](t)(az.Get(ctx))
	if rs.ClientID != clientUUID || rs.Name != "api" || rs.PolicyEnforcementMode != "ENFORCING" || rs.DecisionStrategy != "UNANIMOUS" {
		t.Errorf("Get = %+v", rs)
	}
	rs.PolicyEnforcementMode = "PERMISSIVE"
	rs.DecisionStrategy = "AFFIRMATIVE"
	rs.AllowRemoteResourceManagement = kc.Ptr(true)
	check(t, az.Update(ctx, rs))
	got := must[*admin.ResourceServer](t)(az.Get(ctx))
	if got.PolicyEnforcementMode != "PERMISSIVE" || got.DecisionStrategy != "AFFIRMATIVE" || !*got.AllowRemoteResourceManagement {
		t.Errorf("after update = %+v", got)
	}
	if err := az.Update(ctx, &admin.ResourceServer{PolicyEnforcementMode: "SOMETIMES"}); !errors.Is(err, kc.ErrBadRequest) {
		t.Errorf("bad mode = %v", err)
	}

	// A fresh resource server has Keycloak's defaults.
	exp := must[*admin.ResourceServer](t)(az.Settings(ctx))
	if diff := cmp.Diff([]string{"Default Resource"}, names(exp.Resources, resName)); diff != "" {
		t.Errorf("exported resources (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"Default Permission", "Default Policy"}, names(exp.Policies, polName)); diff != "" {
		t.Errorf("exported policies (-want +got):\n%s", diff)
	}

	// Import merges by name.
	check(t, az.Import(ctx, &admin.ResourceServer{
		PolicyEnforcementMode: "ENFORCING",
		Scopes:                []admin.AuthzScope{{Name: "view"}, {Name: "edit"}},
		Resources:             []admin.AuthzResource{{Name: "Invoices", URIs: []string{"/invoices/*"}, Scopes: []admin.AuthzScope{{Name: "view"}}}},
	}))
	exp = must[*admin.ResourceServer](t)(az.Settings(ctx))
	if diff := cmp.Diff([]string{"Default Resource", "Invoices"}, names(exp.Resources, resName)); diff != "" {
		t.Errorf("resources after import (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"edit", "view"}, names(exp.Scopes, scName)); diff != "" {
		t.Errorf("scopes after import (-want +got):\n%s", diff)
	}
	if exp.PolicyEnforcementMode != "ENFORCING" {
		t.Errorf("mode after import = %q", exp.PolicyEnforcementMode)
	}
}

func TestResourceServerNotEnabled(t *testing.T) {
	t.Parallel()
	e := setup(t)
	ctx := t.Context()
	id := must[string](t)(e.realm.Clients.Create(ctx, &admin.ClientApp{ClientID: "plain"}))
	if _, err := e.realm.Clients.ResourceServer(id).Get(ctx); !errors.Is(err, kc.ErrNotFound) {
		t.Errorf("authz of a client without it = %v", err)
	}
	if _, err := e.realm.Clients.ResourceServer("no-such-client").Resources.List(ctx, nil); !errors.Is(err, kc.ErrNotFound) {
		t.Errorf("unknown client = %v", err)
	}
}

func TestAuthzScopes(t *testing.T) {
	t.Parallel()
	_, _, az := authzEnv(t)
	ctx := t.Context()
	scs := az.Scopes

	id := must[string](t)(scs.Create(ctx, &admin.AuthzScope{Name: "view", DisplayName: "View"}))
	for _, n := range []string{"edit", "delete", "share"} {
		must[string](t)(scs.Create(ctx, &admin.AuthzScope{Name: n}))
	}
	if _, err := scs.Create(ctx, &admin.AuthzScope{Name: "view"}); !errors.Is(err, kc.ErrConflict) {
		t.Errorf("duplicate = %v", err)
	}
	got := must[*admin.AuthzScope](t)(scs.Get(ctx, id))
	if diff := cmp.Diff(&admin.AuthzScope{ID: id, Name: "view", DisplayName: "View"}, got); diff != "" {
		t.Errorf("Get (-want +got):\n%s", diff)
	}
	got.DisplayName, got.IconURI = "Read", "https://icons.example/read.png"
	check(t, scs.Update(ctx, id, got))
	if s := must[*admin.AuthzScope](t)(scs.Search(ctx, "view")); s.ID != id || s.DisplayName != "Read" || s.IconURI != "https://icons.example/read.png" {
		t.Errorf("Search after update = %+v", s)
	}
	if _, err := scs.Search(ctx, "nope"); !errors.Is(err, kc.ErrNotFound) {
		t.Errorf("Search of a missing scope = %v", err)
	}

	tests := []struct {
		name string
		opts *admin.AuthzScopeListOptions
		want []string
	}{
		{"all", nil, []string{"delete", "edit", "share", "view"}},
		{"name", &admin.AuthzScopeListOptions{Name: "E"}, []string{"delete", "edit", "share", "view"}},
		{"name narrow", &admin.AuthzScopeListOptions{Name: "di"}, []string{"edit"}},
		{"id", &admin.AuthzScopeListOptions{ID: id}, []string{"view"}},
		{"page", &admin.AuthzScopeListOptions{First: 1, Max: 2}, nil}, // two of the four, in server order
	}
	for _, tt := range tests {
		list := must[[]admin.AuthzScope](t)(scs.List(ctx, tt.opts))
		if tt.want == nil {
			if len(list) != 2 {
				t.Errorf("%s: %d scopes, want 2", tt.name, len(list))
			}
			continue
		}
		if diff := cmp.Diff(tt.want, names(list, scName)); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tt.name, diff)
		}
	}
	var all []admin.AuthzScope
	for s, err := range scs.All(ctx, &admin.AuthzScopeListOptions{Max: 3}) {
		check(t, err)
		all = append(all, s)
	}
	if diff := cmp.Diff([]string{"delete", "edit", "share", "view"}, names(all, scName)); diff != "" {
		t.Errorf("All (-want +got):\n%s", diff)
	}

	check(t, scs.Delete(ctx, id))
	if _, err := scs.Get(ctx, id); !errors.Is(err, kc.ErrNotFound) {
		t.Errorf("Get after delete = %v", err)
	}
	if err := scs.Delete(ctx, id); !errors.Is(err, kc.ErrNotFound) {
		t.Errorf("Delete twice = %v", err)
	}
}

func TestAuthzResources(t *testing.T) {
	t.Parallel()
	_, clientUUID, az := authzEnv(t)
	ctx := t.Context()
	res := az.Resources

	id := must[string](t)(res.Create(ctx, &admin.AuthzResource{
		Name: "Invoice 1", Type: "urn:api:invoice", URIs: []string{"/invoices/1"},
		Scopes:     []admin.AuthzScope{{Name: "view"}, {Name: "edit"}},
		Attributes: map[string][]string{"tier": {"gold"}},
	}))
	must[string](t)(res.Create(ctx, &admin.AuthzResource{Name: "Invoice 2", Type: "urn:api:invoice", URIs: []string{"/invoices/2"}, Scopes: []admin.AuthzScope{{Name: "view"}}}))
	must[string](t)(res.Create(ctx, &admin.AuthzResource{Name: "Reports", URIs: []string{"/reports/*"}}))
	if _, err := res.Create(ctx, &admin.AuthzResource{Name: "Reports"}); !errors.Is(err, kc.ErrConflict) {
		t.Errorf("duplicate = %v", err)
	}

	got := must[*admin.AuthzResource](t)(res.Get(ctx, id))
	if got.Name != "Invoice 1" || got.Type != "urn:api:invoice" || got.Owner == nil || got.Owner.ID != clientUUID ||
		!slices.Equal(got.URIs, []string{"/invoices/1"}) || !slices.Equal(names(got.Scopes, scName), []string{"edit", "view"}) {
		t.Errorf("Get = %+v", got)
	}
	if attrs := must[map[string][]string](t)(res.Attributes(ctx, id)); !slices.Equal(attrs["tier"], []string{"gold"}) {
		t.Errorf("Attributes = %v", attrs)
	}
	if scs := must[[]admin.AuthzScope](t)(res.Scopes(ctx, id)); !slices.Equal(names(scs, scName), []string{"edit", "view"}) {
		t.Errorf("Scopes = %v", scs)
	}

	tests := []struct {
		name string
		opts *admin.AuthzResourceListOptions
		want []string
	}{
		{"all", nil, []string{"Default Resource", "Invoice 1", "Invoice 2", "Reports"}},
		{"name contains", &admin.AuthzResourceListOptions{Name: "invoice"}, []string{"Invoice 1", "Invoice 2"}},
		{"exact name", &admin.AuthzResourceListOptions{Name: "Invoice", ExactName: true}, []string{}},
		{"type", &admin.AuthzResourceListOptions{Type: "urn:api:invoice"}, []string{"Invoice 1", "Invoice 2"}},
		{"scope", &admin.AuthzResourceListOptions{Scope: "edit"}, []string{"Invoice 1"}},
		{"uri", &admin.AuthzResourceListOptions{URI: "/invoices/2"}, []string{"Invoice 2"}},
		{"matching uri", &admin.AuthzResourceListOptions{URI: "/reports/2026", MatchingURI: true}, []string{"Reports"}},
		{"id", &admin.AuthzResourceListOptions{ID: id}, []string{"Invoice 1"}},
		{"owner", &admin.AuthzResourceListOptions{Owner: "api", Name: "Rep"}, []string{"Reports"}},
	}
	for _, tt := range tests {
		list := must[[]admin.AuthzResource](t)(res.List(ctx, tt.opts))
		if diff := cmp.Diff(tt.want, names(list, resName)); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tt.name, diff)
		}
	}
	var all []admin.AuthzResource
	for r, err := range res.All(ctx, &admin.AuthzResourceListOptions{Max: 3}) {
		check(t, err)
		all = append(all, r)
	}
	if len(all) != 4 {
		t.Errorf("All = %v", names(all, resName))
	}

	if r := must[*admin.AuthzResource](t)(res.Search(ctx, "Reports")); r.Name != "Reports" {
		t.Errorf("Search = %+v", r)
	}
	if _, err := res.Search(ctx, "Report"); !errors.Is(err, kc.ErrNotFound) {
		t.Errorf("Search of a missing resource = %v", err)
	}

	got.DisplayName = "First invoice"
	got.Scopes = []admin.AuthzScope{{Name: "view"}}
	check(t, res.Update(ctx, id, got))
	after := must[*admin.AuthzResource](t)(res.Get(ctx, id))
	if after.DisplayName != "First invoice" || !slices.Equal(names(after.Scopes, scName), []string{"view"}) {
		t.Errorf("after update = %+v", after)
	}
	view := must[*admin.AuthzScope](t)(az.Scopes.Search(ctx, "view"))
	if rs := must[[]admin.AuthzResource](t)(az.Scopes.Resources(ctx, view.ID)); !slices.Equal(names(rs, resName), []string{"Invoice 1", "Invoice 2"}) {
		t.Errorf("resources of scope view = %v", names(rs, resName))
	}

	check(t, res.Delete(ctx, id))
	if _, err := res.Get(ctx, id); !errors.Is(err, kc.ErrNotFound) {
		t.Errorf("Get after delete = %v", err)
	}
	if err := res.Update(ctx, id, got); !errors.Is(err, kc.ErrNotFound) {
		t.Errorf("Update after delete = %v", err)
	}
}

func TestAuthzPoliciesAndPermissions(t *testing.T) {
	t.Parallel()
	e, _, az := authzEnv(t)
	ctx := t.Context()
	must[string](t)(e.realm.Roles.Create(ctx, &admin.Role{Name: "accountant"}))
	role := must[*admin.Role](t)(e.realm.Roles.Get(ctx, "accountant"))
	resID := must[string](t)(az.Resources.Create(ctx, &admin.AuthzResource{Name: "Invoices", Scopes: []admin.AuthzScope{{Name: "view"}, {Name: "pay"}}}))
	pay := must[*admin.AuthzScope](t)(az.Scopes.Search(ctx, "pay"))

	// Typed create and get.
	roleID := must[string](t)(az.Policies.CreateTyped(ctx, "role", &admin.Policy{
		Name: "Accountants", Logic: "POSITIVE", Roles: []admin.PolicyRole{{ID: role.ID, Required: true}},
	}))
	p := must[*admin.Policy](t)(az.Policies.Get(ctx, roleID))
	if p.Type != "role" || p.Name != "Accountants" || !strings.Contains(p.Config["roles"], role.ID) {
		t.Errorf("Get = %+v", p)
	}
	if tp := must[*admin.Policy](t)(az.Policies.GetTyped(ctx, "role", roleID)); tp.ID != roleID ||
		!slices.Equal(tp.Roles, []admin.PolicyRole{{ID: role.ID, Required: true}}) {
		t.Errorf("GetTyped = %+v, want the typed roles", tp)
	}
	if l := must[[]admin.Policy](t)(az.Policies.ListTyped(ctx, "role")); len(l) != 1 || l[0].ID != roleID || len(l[0].Roles) != 1 {
		t.Errorf("ListTyped(role) = %+v", l)
	}
	if _, err := az.Policies.GetTyped(ctx, "user", roleID); !errors.Is(err, kc.ErrNotFound) {
		t.Errorf("GetTyped of the wrong type = %v", err)
	}
	// Generic create from a config; duplicate names conflict.
	aggID := must[string](t)(az.Policies.Create(ctx, &admin.Policy{
		Name: "Any of", Type: "aggregate", DecisionStrategy: "AFFIRMATIVE", Config: map[string]string{"applyPolicies": `["Accountants"]`},
	}))
	if _, err := az.Policies.Create(ctx, &admin.Policy{Name: "Any of", Type: "aggregate"}); !errors.Is(err, kc.ErrConflict) {
		t.Errorf("duplicate policy = %v", err)
	}
	var apiErr *kc.APIError
	if _, err := az.Policies.CreateTyped(ctx, "astrology", &admin.Policy{Name: "Stars"}); !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusBadRequest {
		t.Errorf("unknown type = %v", err)
	}
	if as := must[[]admin.Policy](t)(az.Policies.AssociatedPolicies(ctx, aggID)); !slices.Equal(names(as, polName), []string{"Accountants"}) {
		t.Errorf("AssociatedPolicies = %v", names(as, polName))
	}

	// Permissions: resource and scope based.
	rpID := must[string](t)(az.Permissions.CreateResourcePermission(ctx, &admin.Policy{
		Name: "Invoices need accountants", Resources: []string{resID}, Policies: []string{roleID},
	}))
	spID := must[string](t)(az.Permissions.CreateScopePermission(ctx, &admin.Policy{
		Name: "Paying", Scopes: []string{pay.ID}, Policies: []string{aggID}, DecisionStrategy: "UNANIMOUS",
	}))
	genID := must[string](t)(az.Permissions.Create(ctx, &admin.Policy{
		Name: "Viewing", Type: "scope", Config: map[string]string{"scopes": `["view"]`, "applyPolicies": `["Accountants"]`},
	}))
	if _, err := az.Permissions.Create(ctx, &admin.Policy{Name: "Not one", Type: "role"}); !errors.Is(err, kc.ErrBadRequest) {
		t.Errorf("permission of a policy type = %v", err)
	}
	if got := must[*admin.Policy](t)(az.Permissions.GetTyped(ctx, "scope", spID)); got.Type != "scope" || got.DecisionStrategy != "UNANIMOUS" {
		t.Errorf("GetTyped = %+v", got)
	}
	// Keycloak: PolicyTypeService (permission/{type}) lists the permissions
	// of that type, the Default Permission that enabling authorization
	// services created among them.
	for typ, want := range map[string][]string{"resource": {"Default Permission", "Invoices need accountants"}, "scope": {"Paying", "Viewing"}} {
		var got []string
		for _, p := range must[[]admin.Policy](t)(az.Permissions.ListTyped(ctx, typ)) {
			if p.Type != typ {
				t.Errorf("permissions ListTyped(%s) holds %s of type %s", typ, p.Name, p.Type)
			}
			got = append(got, p.Name)
		}
		if slices.Sort(got); !slices.Equal(got, want) {
			t.Errorf("permissions ListTyped(%s) = %v, want %v", typ, got, want)
		}
	}
	if rs := must[[]admin.AuthzResource](t)(az.Permissions.Resources(ctx, rpID)); !slices.Equal(names(rs, resName), []string{"Invoices"}) {
		t.Errorf("permission resources = %v", rs)
	}
	if scs := must[[]admin.AuthzScope](t)(az.Permissions.Scopes(ctx, spID)); !slices.Equal(names(scs, scName), []string{"pay"}) {
		t.Errorf("permission scopes = %v", scs)
	}
	if as := must[[]admin.Policy](t)(az.Permissions.AssociatedPolicies(ctx, rpID)); !slices.Equal(names(as, polName), []string{"Accountants"}) {
		t.Errorf("permission policies = %v", names(as, polName))
	}
	if deps := must[[]admin.Policy](t)(az.Policies.DependentPolicies(ctx, roleID)); !slices.Equal(names(deps, polName), []string{"Any of", "Invoices need accountants", "Viewing"}) {
		t.Errorf("DependentPolicies = %v", names(deps, polName))
	}
	if ps := must[[]admin.Policy](t)(az.Resources.Permissions(ctx, resID)); !slices.Contains(names(ps, polName), "Invoices need accountants") {
		t.Errorf("resource permissions = %v", names(ps, polName))
	}
	if ps := must[[]admin.Policy](t)(az.Scopes.Permissions(ctx, pay.ID)); !slices.Equal(names(ps, polName), []string{"Paying"}) {
		t.Errorf("scope permissions = %v", names(ps, polName))
	}
	if rs := must[[]admin.AuthzResource](t)(az.Policies.Resources(ctx, rpID)); len(rs) != 1 {
		t.Errorf("policy resources = %v", rs)
	}
	if scs := must[[]admin.AuthzScope](t)(az.Policies.Scopes(ctx, spID)); len(scs) != 1 {
		t.Errorf("policy scopes = %v", scs)
	}

	// Lists and searches.
	tests := []struct {
		name  string
		perms bool
		opts  *admin.PolicyListOptions
		want  []string
	}{
		{"policies", false, nil, []string{"Accountants", "Any of", "Default Permission", "Default Policy", "Invoices need accountants", "Paying", "Viewing"}},
		{"policies only", false, &admin.PolicyListOptions{Permission: kc.Ptr(false)}, []string{"Accountants", "Any of", "Default Policy"}},
		{"by type", false, &admin.PolicyListOptions{Type: "role"}, []string{"Accountants"}},
		{"by name", false, &admin.PolicyListOptions{Name: "ACC"}, []string{"Accountants", "Invoices need accountants"}},
		{"by id", false, &admin.PolicyListOptions{PolicyID: aggID}, []string{"Any of"}},
		{"permissions", true, nil, []string{"Default Permission", "Invoices need accountants", "Paying", "Viewing"}},
		{"of a resource", true, &admin.PolicyListOptions{Resource: resID}, []string{"Invoices need accountants"}},
		{"of a scope", true, &admin.PolicyListOptions{Scope: "pay"}, []string{"Paying"}},
		{"scope type", true, &admin.PolicyListOptions{Type: "scope"}, []string{"Paying", "Viewing"}},
	}
	for _, tt := range tests {
		list := az.Policies.List
		if tt.perms {
			list = az.Permissions.List
		}
		got := must[[]admin.Policy](t)(list(ctx, tt.opts))
		if diff := cmp.Diff(tt.want, names(got, polName)); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tt.name, diff)
		}
	}
	n := 0
	for _, err := range az.Permissions.All(ctx, &admin.PolicyListOptions{Max: 3}) {
		check(t, err)
		n++
	}
	if n != 4 {
		t.Errorf("Permissions.All = %d", n)
	}
	n = 0
	for _, err := range az.Policies.All(ctx, &admin.PolicyListOptions{Max: 2, Permission: kc.Ptr(false)}) {
		check(t, err)
		n++
	}
	if n != 3 {
		t.Errorf("Policies.All = %d", n)
	}
	if p := must[*admin.Policy](t)(az.Policies.Search(ctx, "Accountants")); p.ID != roleID {
		t.Errorf("Policies.Search = %+v", p)
	}
	if p := must[*admin.Policy](t)(az.Permissions.Search(ctx, "Paying")); p.ID != spID {
		t.Errorf("Permissions.Search = %+v", p)
	}
	if _, err := az.Permissions.Search(ctx, "Accountants"); !errors.Is(err, kc.ErrNotFound) {
		t.Errorf("Permissions.Search of a policy = %v", err)
	}

	// Updates, generic and typed.
	p.Description = "People who pay"
	check(t, az.Policies.Update(ctx, roleID, p))
	if got := must[*admin.Policy](t)(az.Policies.Get(ctx, roleID)); got.Description != "People who pay" || !strings.Contains(got.Config["roles"], role.ID) {
		t.Errorf("after Update = %+v", got)
	}
	check(t, az.Policies.UpdateTyped(ctx, "role", roleID, &admin.Policy{Name: "Accountants", Roles: []admin.PolicyRole{{ID: role.ID}}, Logic: "NEGATIVE"}))
	if got := must[*admin.Policy](t)(az.Policies.Get(ctx, roleID)); got.Logic != "NEGATIVE" {
		t.Errorf("after UpdateTyped = %+v", got)
	}
	check(t, az.Permissions.UpdateTyped(ctx, "resource", rpID, &admin.Policy{Name: "Invoices need anyone", Resources: []string{resID}, Policies: []string{aggID}}))
	if got := must[*admin.Policy](t)(az.Permissions.Get(ctx, rpID)); got.Name != "Invoices need anyone" {
		t.Errorf("after permission UpdateTyped = %+v", got)
	}
	gen := must[*admin.Policy](t)(az.Permissions.Get(ctx, genID))
	gen.Description = "Who may view"
	check(t, az.Permissions.Update(ctx, genID, gen))
	if got := must[*admin.Policy](t)(az.Permissions.Get(ctx, genID)); got.Description != "Who may view" {
		t.Errorf("after permission Update = %+v", got)
	}
	if err := az.Permissions.Update(ctx, genID, &admin.Policy{Name: "Paying"}); !errors.Is(err, kc.ErrConflict) {
		t.Errorf("rename onto another = %v", err)
	}

	// Deletes.
	check(t, az.Permissions.Delete(ctx, spID))
	if _, err := az.Permissions.Get(ctx, spID); !errors.Is(err, kc.ErrNotFound) {
		t.Errorf("permission after delete = %v", err)
	}
	if _, err := az.Permissions.Get(ctx, roleID); !errors.Is(err, kc.ErrNotFound) {
		t.Errorf("a policy through Permissions.Get = %v", err)
	}
	check(t, az.Policies.Delete(ctx, aggID))
	if err := az.Policies.Delete(ctx, aggID); !errors.Is(err, kc.ErrNotFound) {
		t.Errorf("Delete twice = %v", err)
	}
}

func TestAuthzBadInputSendsNothing(t *testing.T) {
	t.Parallel()
	c := setupWire(t, func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("unexpected request %s %s", r.Method, r.URL)
	})
	ctx := t.Context()
	az := c.Realm("r").Clients.ResourceServer("c")
	tests := []struct {
		name string
		call func() error
		want string
	}{
		{"empty realm", func() error { _, err := c.Realm("").Clients.ResourceServer("c").Get(ctx); return err }, "admin: realm is empty"},
		{"empty client", func() error { _, err := c.Realm("r").Clients.ResourceServer("").Settings(ctx); return err }, "admin: clientUUID is empty"},
		{"update nil", func() error { return az.Update(ctx, nil) }, "admin: resource server is nil"},
		{"import nil", func() error { return az.Import(ctx, nil) }, "admin: resource server is nil"},
		{"resource get", func() error { _, err := az.Resources.Get(ctx, ""); return err }, "admin: resourceID is empty"},
		{"resource create nil", func() error { _, err := az.Resources.Create(ctx, nil); return err }, "admin: resource is nil"},
		{"resource create no name", func() error { _, err := az.Resources.Create(ctx, &admin.AuthzResource{}); return err }, "admin: resource name is empty"},
		{"resource search", func() error { _, err := az.Resources.Search(ctx, " "); return err }, "admin: name is empty"},
		{"resource scopes", func() error { _, err := az.Resources.Scopes(ctx, ""); return err }, "admin: resourceID is empty"},
		{"resource update nil", func() error { return az.Resources.Update(ctx, "x", nil) }, "admin: resource is nil"},
		{"resource delete", func() error { return az.Resources.Delete(ctx, "") }, "admin: resourceID is empty"},
		{"scope create no name", func() error { _, err := az.Scopes.Create(ctx, &admin.AuthzScope{}); return err }, "admin: scope name is empty"},
		{"scope get", func() error { _, err := az.Scopes.Get(ctx, ""); return err }, "admin: scopeID is empty"},
		{"scope delete", func() error { return az.Scopes.Delete(ctx, "") }, "admin: scopeID is empty"},
		{"scope permissions", func() error { _, err := az.Scopes.Permissions(ctx, ""); return err }, "admin: scopeID is empty"},
		{"policy create no type", func() error { _, err := az.Policies.Create(ctx, &admin.Policy{Name: "p"}); return err }, "admin: policy type is empty"},
		{"policy create no name", func() error { _, err := az.Policies.CreateTyped(ctx, "role", &admin.Policy{}); return err }, "admin: policy name is empty"},
		{"policy create typed", func() error { _, err := az.Policies.CreateTyped(ctx, "", &admin.Policy{Name: "p"}); return err }, "admin: policyType is empty"},
		{"policy get", func() error { _, err := az.Policies.Get(ctx, ""); return err }, "admin: policyID is empty"},
		{"policy update nil", func() error { return az.Policies.Update(ctx, "p", nil) }, "admin: policy is nil"},
		{"policy dependents", func() error { _, err := az.Policies.DependentPolicies(ctx, ""); return err }, "admin: policyID is empty"},
		{"permission create nil", func() error { _, err := az.Permissions.CreateScopePermission(ctx, nil); return err }, "admin: permission is nil"},
		{"permission get typed", func() error { _, err := az.Permissions.GetTyped(ctx, "", "p"); return err }, "admin: permissionType is empty"},
		{"permission delete", func() error { return az.Permissions.Delete(ctx, "") }, "admin: permissionID is empty"},
		{"permission search", func() error { _, err := az.Permissions.Search(ctx, ""); return err }, "admin: name is empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if err := tt.call(); err == nil || err.Error() != tt.want {
				t.Errorf("error = %v, want %q", err, tt.want)
			}
		})
	}
	for _, err := range c.Realm("r").Clients.ResourceServer("").Resources.All(ctx, nil) {
		if err == nil || err.Error() != "admin: clientUUID is empty" {
			t.Errorf("All with an empty client: %v", err)
		}
	}
}

// TestAuthzWire checks what goes on the wire: paths, query parameters,
// typed bodies, Extra fields and a created ID read from the body.
func TestAuthzWire(t *testing.T) {
	t.Parallel()
	var got []string
	c := setupWire(t, func(w http.ResponseWriter, r *http.Request) {
		body := make([]byte, r.ContentLength)
		if r.ContentLength > 0 {
			_, _ = io.ReadFull(r.Body, body)
		}
		got = append(got, r.Method+" "+r.URL.RequestURI()+" "+string(body))
		switch {
		case r.Method == "POST":
			w.WriteHeader(http.StatusCreated)
			_, _ = w.Write([]byte(`{"id":"new-id","_id":"new-id","name":"x"}`))
		case strings.HasSuffix(r.URL.Path, "/search"):
			w.WriteHeader(http.StatusNoContent)
		default:
			_, _ = w.Write([]byte(`[{"id":"p1","name":"Nine to five","type":"time","hour":"9","hourEnd":"17"}]`))
		}
	})
	ctx := t.Context()
	az := c.Realm("acme").Clients.ResourceServer("c/1")
	id := must[string](t)(az.Policies.CreateTyped(ctx, "time", &admin.Policy{Name: "Nine to five", Extra: admin.Extra{"hour": json.RawMessage(`"9"`)}}))
	if id != "new-id" {
		t.Errorf("created ID = %q", id)
	}
	ps := must[[]admin.Policy](t)(az.Policies.List(ctx, &admin.PolicyListOptions{Permission: kc.Ptr(false), Resource: "r 1", First: 2, Max: 5}))
	if len(ps) != 1 || string(ps[0].Extra["hourEnd"]) != `"17"` {
		t.Errorf("List = %+v", ps)
	}
	must[[]admin.AuthzResource](t)(az.Resources.List(ctx, &admin.AuthzResourceListOptions{Name: "a", ExactName: true, Deep: true, MatchingURI: true, URI: "/x"}))
	if _, err := az.Scopes.Search(ctx, "view"); !errors.Is(err, kc.ErrNotFound) {
		t.Errorf("Search on 204 = %v", err)
	}
	const p = "/admin/realms/acme/clients/c%2F1/authz/resource-server"
	want := []string{
		"POST " + p + `/policy/time {"name":"Nine to five","hour":"9"}`,
		"GET " + p + "/policy?first=2&max=5&permission=false&resource=r+1 ",
		"GET " + p + "/resource?deep=true&exactName=true&matchingUri=true&name=a&uri=%2Fx ",
		"GET " + p + "/scope/search?name=view ",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("requests (-want +got):\n%s", diff)
	}
}

func TestAuthzPolicyProviders(t *testing.T) {
	t.Parallel()
	_, _, az := authzEnv(t)
	ctx := t.Context()
	for name, call := range map[string]func() ([]admin.PolicyProvider, error){
		"policy":     func() ([]admin.PolicyProvider, error) { return az.Policies.Providers(ctx) },
		"permission": func() ([]admin.PolicyProvider, error) { return az.Permissions.Providers(ctx) },
	} {
		ps := must[[]admin.PolicyProvider](t)(call())
		for _, want := range []admin.PolicyProvider{{Type: "role", Name: "Role", Group: "Identity Based"}, {Type: "time", Name: "Time", Group: "Time Based"}} {
			if !slices.Contains(ps, want) {
				t.Errorf("%s providers lack %+v: %+v", name, want, ps)
			}
		}
	}
	if _, err := c0(t).Realm("r").Clients.ResourceServer("").Policies.Providers(ctx); err == nil || err.Error() != "admin: clientUUID is empty" {
		t.Errorf("empty client = %v", err)
	}
}

// c0 is a client of a server that fails the test on any request.
func c0(t *testing.T) *admin.Client {
	return setupWire(t, func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("unexpected request %s %s", r.Method, r.URL)
	})
}
