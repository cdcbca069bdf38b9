package admin_test

import (
	"encoding/json"
	"errors"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kcgo/kc"
	"github.com/kcgo/kc/keycloak/admin"
	"github.com/kcgo/kc/keycloak/kctest"
)

func TestUsersCRUD(t *testing.T) {
	t.Parallel()
	e := setup(t)
	ctx := t.Context()
	users := e.realm.Users
	id := must[string](t)(users.Create(ctx, &admin.User{
		Username: "Alice", Email: kc.Ptr("alice@example.com"), FirstName: kc.Ptr("Alice"), LastName: kc.Ptr("Liddell"),
		Enabled: kc.Ptr(true), Attributes: map[string][]string{"dept": {"r&d"}},
	}))
	got := must[*admin.User](t)(users.Get(ctx, id))
	if got.Username != "alice" || got.GetEmail() != "alice@example.com" || !got.IsEnabled() || got.CreatedTimestamp == 0 {
		t.Errorf("Get = %+v", got)
	}
	// Keycloak 26's default user profile drops attributes it does not
	// declare; turn unmanaged attributes on, then they are kept.
	if got.Attributes != nil {
		t.Errorf("unmanaged attribute kept by the default profile: %v", got.Attributes)
	}
	profile := must[*admin.UserProfileConfig](t)(users.Profile(ctx))
	profile.UnmanagedAttributePolicy = "ENABLED"
	must[*admin.UserProfileConfig](t)(users.UpdateProfile(ctx, profile))
	check(t, users.Update(ctx, id, &admin.User{Attributes: map[string][]string{"dept": {"r&d"}}}))
	got = must[*admin.User](t)(users.Get(ctx, id))
	if !slices.Equal(got.Attributes["dept"], []string{"r&d"}) {
		t.Errorf("attributes = %v", got.Attributes)
	}
	if got.Access["manage"] != true {
		t.Errorf("access = %v", got.Access)
	}
	// Partial update: false and "" are sent, nil fields are kept.
	check(t, users.Update(ctx, id, &admin.User{Enabled: kc.Ptr(false), FirstName: kc.Ptr("")}))
	got = must[*admin.User](t)(users.Get(ctx, id))
	if got.IsEnabled() || got.GetFirstName() != "" || got.GetLastName() != "Liddell" || got.GetEmail() != "alice@example.com" {
		t.Errorf("after update: enabled=%v first=%q last=%q email=%q", got.IsEnabled(), got.GetFirstName(), got.GetLastName(), got.GetEmail())
	}
	// GET then PUT of the whole representation keeps everything.
	got.LastName = kc.Ptr("Pleasance")
	check(t, users.Update(ctx, id, got))
	again := must[*admin.User](t)(users.Get(ctx, id))
	if again.GetLastName() != "Pleasance" || !slices.Equal(again.Attributes["dept"], []string{"r&d"}) {
		t.Errorf("after round trip: %+v", again)
	}
	byName := must[*admin.User](t)(users.GetByUsername(ctx, "ALICE"))
	if byName.ID != id {
		t.Errorf("GetByUsername = %s, want %s", byName.ID, id)
	}
	if _, err := users.GetByUsername(ctx, "alic"); !errors.Is(err, kc.ErrNotFound) {
		t.Errorf("GetByUsername(prefix) = %v, want ErrNotFound", err)
	}
	check(t, users.Delete(ctx, id))
	if _, err := users.Get(ctx, id); !errors.Is(err, kc.ErrNotFound) {
		t.Errorf("Get after delete = %v", err)
	}
	if err := users.Delete(ctx, id); !errors.Is(err, kc.ErrNotFound) {
		t.Errorf("Delete twice = %v", err)
	}
}

func TestUsersCreateErrors(t *testing.T) {
	t.Parallel()
	e := setup(t)
	ctx := t.Context()
	must[string](t)(e.realm.Users.Create(ctx, &admin.User{Username: "bob", Email: kc.Ptr("bob@example.com")}))
	tests := []struct {
		name   string
		u      admin.User
		is     error
		status int
		msg    string
	}{
		{"same username", admin.User{Username: "BOB"}, kc.ErrConflict, 409, "User exists with same username"},
		{"same email", admin.User{Username: "bobby", Email: kc.Ptr("bob@example.com")}, kc.ErrConflict, 409, "User exists with same email"},
		{"no username", admin.User{Email: kc.Ptr("x@example.com")}, kc.ErrBadRequest, 400, "User name is missing"},
		{"bad email", admin.User{Username: "carol", Email: kc.Ptr("bad")}, kc.ErrBadRequest, 400, "email: error-invalid-email"},
		{"two errors", admin.User{Username: "ab", Email: kc.Ptr("bad")}, kc.ErrBadRequest, 400, "username: error-invalid-length: email: error-invalid-email"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := e.realm.Users.Create(ctx, &tt.u)
			apiErr, ok := errors.AsType[*kc.APIError](err)
			if !ok || !errors.Is(err, tt.is) || apiErr.StatusCode != tt.status || apiErr.Message() != tt.msg {
				t.Fatalf("err = %v, want %d %q", err, tt.status, tt.msg)
			}
		})
	}
}

func TestUsersSearch(t *testing.T) {
	t.Parallel()
	e := setup(t)
	ctx := t.Context()
	seed := []kctest.User{
		{Username: "ann", Email: "ann@corp.example", FirstName: "Ann", LastName: "Lee", EmailVerified: true, Attributes: map[string][]string{"team": {"red"}, "tier": {"gold"}}},
		{Username: "annabel", Email: "annabel@home.example", FirstName: "Annabel", LastName: "Smith", Attributes: map[string][]string{"team": {"red"}}},
		{Username: "bert", Email: "bert@corp.example", FirstName: "Bert", LastName: "Leeds", Enabled: kc.Ptr(false)},
	}
	for _, u := range seed {
		must[string](t)(e.srv.AddUser("acme", u))
	}
	must[string](t)(e.srv.AddClient("acme", kctest.Client{ClientID: "svc", ServiceAccounts: true}))
	tests := []struct {
		name string
		opts admin.UserListOptions
		want []string
	}{
		{"all, service accounts left out", admin.UserListOptions{}, []string{"ann", "annabel", "bert"}},
		{"search prefix", admin.UserListOptions{Search: "ann"}, []string{"ann", "annabel"}},
		{"search infix", admin.UserListOptions{Search: "*corp*"}, []string{"ann", "bert"}},
		{"search exact", admin.UserListOptions{Search: `"ann"`}, []string{"ann"}},
		{"search with enabled", admin.UserListOptions{Search: "*e*", Enabled: kc.Ptr(false)}, []string{"bert"}},
		{"username substring", admin.UserListOptions{Username: "nn"}, []string{"ann", "annabel"}},
		{"username exact", admin.UserListOptions{Username: "ann", Exact: kc.Ptr(true)}, []string{"ann"}},
		{"lastName", admin.UserListOptions{LastName: "lee"}, []string{"ann", "bert"}},
		{"lastName exact", admin.UserListOptions{LastName: "Lee", Exact: kc.Ptr(true)}, []string{"ann"}},
		{"firstName", admin.UserListOptions{FirstName: "bel"}, []string{"annabel"}},
		{"email", admin.UserListOptions{Email: "corp"}, []string{"ann", "bert"}},
		{"emailVerified", admin.UserListOptions{EmailVerified: kc.Ptr(true)}, []string{"ann"}},
		{"enabled (a field filter: service accounts included)", admin.UserListOptions{Enabled: kc.Ptr(true)}, []string{"ann", "annabel", "service-account-svc"}},
		{"attributes", admin.UserListOptions{Attributes: map[string]string{"team": "red", "tier": "gold"}}, []string{"ann"}},
		{"page", admin.UserListOptions{First: 1, Max: 1}, []string{"annabel"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			list := must[[]admin.User](t)(e.realm.Users.List(ctx, &tt.opts))
			var got []string
			for _, u := range list {
				got = append(got, u.Username)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("List (-want +got):\n%s", diff)
			}
			if tt.opts.Max == 0 {
				n := must[int](t)(e.realm.Users.Count(ctx, &tt.opts))
				if n != len(tt.want) {
					t.Errorf("Count = %d, want %d", n, len(tt.want))
				}
			}
		})
	}
	brief := must[[]admin.User](t)(e.realm.Users.List(ctx, &admin.UserListOptions{Username: "ann", Exact: kc.Ptr(true), BriefRepresentation: kc.Ptr(true)}))
	if len(brief) != 1 || brief[0].Attributes != nil {
		t.Errorf("brief = %+v", brief)
	}
}

func TestUsersFederatedIdentities(t *testing.T) {
	t.Parallel()
	e := setup(t)
	ctx := t.Context()
	id := must[string](t)(e.srv.AddUser("acme", kctest.User{Username: "gail"}))
	must[string](t)(e.srv.AddUser("acme", kctest.User{Username: "hal"}))
	users := e.realm.Users
	// Keycloak stores a link to a provider that does not exist and leaves
	// it out of the list (UserResource.addFederatedIdentity).
	check(t, users.AddFederatedIdentity(ctx, id, "ghost", &admin.FederatedIdentity{UserID: "42"}))
	must[string](t)(e.realm.IdentityProviders.Create(ctx, &admin.IdentityProvider{Alias: "github", ProviderID: "github"}))
	check(t, users.AddFederatedIdentity(ctx, id, "github", &admin.FederatedIdentity{UserID: "42", UserName: "gail-gh"}))
	if err := users.AddFederatedIdentity(ctx, id, "github", &admin.FederatedIdentity{UserID: "43"}); !errors.Is(err, kc.ErrConflict) {
		t.Errorf("second link = %v, want 409", err)
	}
	fis := must[[]admin.FederatedIdentity](t)(users.FederatedIdentities(ctx, id))
	if diff := cmp.Diff([]admin.FederatedIdentity{{IdentityProvider: "github", UserID: "42", UserName: "gail-gh"}}, fis); diff != "" {
		t.Errorf("FederatedIdentities (-want +got):\n%s", diff)
	}
	found := must[[]admin.User](t)(users.List(ctx, &admin.UserListOptions{IDPAlias: "github", IDPUserID: "42"}))
	if len(found) != 1 || found[0].ID != id {
		t.Errorf("idp search = %+v", found)
	}
	check(t, users.RemoveFederatedIdentity(ctx, id, "github"))
	if n := must[int](t)(users.Count(ctx, &admin.UserListOptions{IDPAlias: "github"})); n != 0 {
		t.Errorf("count after unlink = %d", n)
	}
}

func TestUsersPasswordSessionsLogout(t *testing.T) {
	t.Parallel()
	e := setup(t)
	ctx := t.Context()
	must[string](t)(e.srv.AddClient("acme", kctest.Client{ClientID: "app", Public: true, DirectAccessGrants: true}))
	id := must[string](t)(e.realm.Users.Create(ctx, &admin.User{Username: "dora", Enabled: kc.Ptr(true), Email: kc.Ptr("dora@example.com")}))
	check(t, e.realm.Users.ResetPassword(ctx, id, "s3cret", false))
	tokenURL := e.srv.URL + "/realms/acme/protocol/openid-connect/token"
	form := map[string][]string{"grant_type": {"password"}, "client_id": {"app"}, "username": {"dora"}, "password": {"s3cret"}}
	must[string](t)(login(ctx, tokenURL, form))
	must[string](t)(login(ctx, tokenURL, form))

	sessions := must[[]admin.UserSession](t)(e.realm.Users.Sessions(ctx, id))
	if len(sessions) != 2 || sessions[0].UserID != id || sessions[0].Username != "dora" || !slices.Contains(mapValues(sessions[0].Clients), "app") {
		t.Fatalf("Sessions = %+v", sessions)
	}
	app := must[*admin.ClientApp](t)(e.realm.Clients.GetByClientID(ctx, "app"))
	if n := must[int](t)(e.realm.Clients.SessionCount(ctx, app.ID)); n != 2 {
		t.Errorf("SessionCount = %d", n)
	}
	if us := must[[]admin.UserSession](t)(e.realm.Clients.UserSessions(ctx, app.ID, &admin.PageOptions{Max: 1})); len(us) != 1 {
		t.Errorf("UserSessions page = %d", len(us))
	}
	n := 0
	for s, err := range e.realm.Clients.AllUserSessions(ctx, app.ID, &admin.PageOptions{Max: 1}) {
		check(t, err)
		if s.UserID != id {
			t.Errorf("session of %s", s.UserID)
		}
		n++
	}
	if n != 2 {
		t.Errorf("AllUserSessions = %d", n)
	}
	check(t, e.realm.Sessions.Delete(ctx, sessions[0].ID, nil))
	if got := must[[]admin.UserSession](t)(e.realm.Users.Sessions(ctx, id)); len(got) != 1 {
		t.Errorf("after session delete: %d sessions", len(got))
	}
	check(t, e.realm.Users.Logout(ctx, id))
	if got := must[[]admin.UserSession](t)(e.realm.Users.Sessions(ctx, id)); len(got) != 0 {
		t.Errorf("after logout: %d sessions", len(got))
	}
	creds := must[[]admin.Credential](t)(e.realm.Users.Credentials(ctx, id))
	if len(creds) != 1 || creds[0].Type != "password" || creds[0].ID == "" || creds[0].Value != "" {
		t.Fatalf("Credentials = %+v", creds)
	}
	// Without an SMTP server Keycloak cannot send the mail: 500.
	err := e.realm.Users.ExecuteActionsEmail(ctx, id, []string{"UPDATE_PASSWORD"}, nil)
	if apiErr, ok := errors.AsType[*kc.APIError](err); !ok || apiErr.StatusCode != 500 ||
		apiErr.ErrorMessage != "Failed to send execute actions email: No sender address configured in the realm settings for emails" {
		t.Errorf("ExecuteActionsEmail without SMTP = %v", err)
	}
	configureSMTP(t, e)
	check(t, e.realm.Users.ExecuteActionsEmail(ctx, id, []string{"UPDATE_PASSWORD"}, &admin.EmailOptions{ClientID: "app"}))
	check(t, e.realm.Users.SendVerifyEmail(ctx, id, nil))
	if err := e.realm.Users.ExecuteActionsEmail(ctx, id, nil, &admin.EmailOptions{ClientID: "nope"}); !errors.Is(err, kc.ErrBadRequest) {
		t.Errorf("unknown client_id: %v", err)
	}
	imp := must[*admin.Impersonation](t)(e.realm.Users.Impersonate(ctx, id))
	if imp.Redirect == "" {
		t.Errorf("Impersonate = %+v", imp)
	}
	consents := must[[]admin.UserConsent](t)(e.realm.Users.Consents(ctx, id))
	if len(consents) != 0 {
		t.Errorf("Consents = %+v", consents)
	}
	if err := e.realm.Users.RevokeConsent(ctx, id, "app"); !errors.Is(err, kc.ErrNotFound) {
		t.Errorf("RevokeConsent without consent = %v", err)
	}
	check(t, e.realm.Users.DeleteCredential(ctx, id, creds[0].ID))
	if _, err := login(ctx, tokenURL, form); err == nil {
		t.Error("login works after the password was deleted")
	}
}

func mapValues(m map[string]string) []string {
	var out []string
	for _, v := range m {
		out = append(out, v)
	}
	return out
}

func TestUsersGroupsAndRoleMappings(t *testing.T) {
	t.Parallel()
	e := setup(t)
	ctx := t.Context()
	r := e.realm
	uid := must[string](t)(r.Users.Create(ctx, &admin.User{Username: "erin"}))
	staff := must[string](t)(r.Groups.Create(ctx, &admin.Group{Name: "staff"}))
	ops := must[string](t)(r.Groups.Create(ctx, &admin.Group{Name: "ops"}))
	check(t, r.Users.JoinGroup(ctx, uid, staff))
	check(t, r.Users.JoinGroup(ctx, uid, ops))
	if n := must[int](t)(r.Users.GroupCount(ctx, uid, nil)); n != 2 {
		t.Errorf("GroupCount = %d", n)
	}
	if n := must[int](t)(r.Users.GroupCount(ctx, uid, &admin.UserGroupsOptions{Search: "sta"})); n != 1 {
		t.Errorf("GroupCount(sta) = %d", n)
	}
	var names []string
	for g, err := range r.Users.AllGroups(ctx, uid, &admin.UserGroupsOptions{Max: 1}) {
		check(t, err)
		names = append(names, g.Path)
	}
	if diff := cmp.Diff([]string{"/ops", "/staff"}, names); diff != "" {
		t.Errorf("AllGroups (-want +got):\n%s", diff)
	}
	check(t, r.Users.LeaveGroup(ctx, uid, ops))
	if err := r.Users.JoinGroup(ctx, uid, "no-such-group"); !errors.Is(err, kc.ErrNotFound) {
		t.Errorf("JoinGroup(unknown) = %v", err)
	}

	// Realm roles, with a composite.
	must[string](t)(r.Roles.Create(ctx, &admin.Role{Name: "reader"}))
	must[string](t)(r.Roles.Create(ctx, &admin.Role{Name: "editor"}))
	reader := must[*admin.Role](t)(r.Roles.Get(ctx, "reader"))
	editor := must[*admin.Role](t)(r.Roles.Get(ctx, "editor"))
	check(t, r.Roles.AddComposites(ctx, "editor", []admin.Role{*reader}))
	rm := r.Users.RoleMappings(uid)
	check(t, rm.AddRealmRoles(ctx, []admin.Role{*editor}))
	direct := roleNames(must[[]admin.Role](t)(rm.RealmRoles(ctx)))
	if diff := cmp.Diff([]string{"default-roles-acme", "editor"}, direct); diff != "" {
		t.Errorf("Realm (-want +got):\n%s", diff)
	}
	eff := roleNames(must[[]admin.Role](t)(rm.EffectiveRealmRoles(ctx, nil)))
	for _, want := range []string{"editor", "reader", "default-roles-acme", "offline_access"} {
		if !slices.Contains(eff, want) {
			t.Errorf("EffectiveRealmRoles = %v, missing %s", eff, want)
		}
	}
	avail := roleNames(must[[]admin.Role](t)(rm.AvailableRealmRoles(ctx)))
	if slices.Contains(avail, "reader") || slices.Contains(avail, "editor") {
		t.Errorf("AvailableRealmRoles = %v has a held role", avail)
	}
	if err := rm.AddRealmRoles(ctx, []admin.Role{{ID: reader.ID, Name: "wrong"}}); !errors.Is(err, kc.ErrNotFound) {
		t.Errorf("AddRealm with a mismatched name = %v, want 404", err)
	}

	// Client roles.
	cid := must[string](t)(r.Clients.Create(ctx, &admin.ClientApp{ClientID: "billing"}))
	must[string](t)(r.Clients.Roles(cid).Create(ctx, &admin.Role{Name: "pay"}))
	pay := must[*admin.Role](t)(r.Clients.Roles(cid).Get(ctx, "pay"))
	check(t, rm.AddClientRoles(ctx, cid, []admin.Role{*pay}))
	if got := roleNames(must[[]admin.Role](t)(rm.ClientRoles(ctx, cid))); !slices.Equal(got, []string{"pay"}) {
		t.Errorf("Client = %v", got)
	}
	if got := roleNames(must[[]admin.Role](t)(rm.EffectiveClientRoles(ctx, cid, nil))); !slices.Equal(got, []string{"pay"}) {
		t.Errorf("EffectiveClientRoles = %v", got)
	}
	if got := must[[]admin.Role](t)(rm.AvailableClientRoles(ctx, cid)); len(got) != 0 {
		t.Errorf("AvailableClientRoles = %v", got)
	}
	all := must[*admin.Mappings](t)(rm.Get(ctx))
	if len(all.RealmMappings) != 2 || all.ClientMappings["billing"].ID != cid || all.ClientMappings["billing"].Mappings[0].Name != "pay" {
		t.Errorf("Get = %+v", all)
	}
	holders := must[[]admin.User](t)(r.Clients.Roles(cid).Users(ctx, "pay", nil))
	if len(holders) != 1 || holders[0].ID != uid {
		t.Errorf("role users = %+v", holders)
	}
	check(t, rm.RemoveClientRoles(ctx, cid, []admin.Role{*pay}))
	check(t, rm.RemoveRealmRoles(ctx, []admin.Role{*editor}))
	if got := must[*admin.Mappings](t)(rm.Get(ctx)); len(got.RealmMappings) != 1 || len(got.ClientMappings) != 0 {
		t.Errorf("after removal: %+v", got)
	}
}

func roleNames(rs []admin.Role) []string {
	out := []string{}
	for _, r := range rs {
		out = append(out, r.Name)
	}
	slices.Sort(out)
	return out
}

func TestUserProfile(t *testing.T) {
	t.Parallel()
	e := setup(t)
	ctx := t.Context()
	users := e.realm.Users
	cfg := must[*admin.UserProfileConfig](t)(users.Profile(ctx))
	var names []string
	for _, a := range cfg.Attributes {
		names = append(names, a.Name)
	}
	if !slices.Equal(names, []string{"username", "email", "firstName", "lastName"}) || cfg.UnmanagedAttributePolicy != "" {
		t.Fatalf("default profile: %v %q", names, cfg.UnmanagedAttributePolicy)
	}
	// Declare "phone": it is saved and shown, "shoe" is not.
	cfg.Attributes = append(cfg.Attributes, admin.UserProfileAttribute{
		Name: "phone", DisplayName: "Phone", Permissions: &admin.UserProfileAttributePermissions{View: []string{"admin"}, Edit: []string{"admin"}},
	})
	must[*admin.UserProfileConfig](t)(users.UpdateProfile(ctx, cfg))
	id := must[string](t)(users.Create(ctx, &admin.User{Username: "pat", Attributes: map[string][]string{"phone": {"123"}, "shoe": {"42"}}}))
	u := must[*admin.User](t)(users.Get(ctx, id))
	if diff := cmp.Diff(map[string][]string{"phone": {"123"}}, u.Attributes); diff != "" {
		t.Errorf("attributes (-want +got):\n%s", diff)
	}
	md := must[*admin.UserProfileMetadata](t)(users.ProfileMetadata(ctx))
	if !slices.ContainsFunc(md.Attributes, func(a admin.UserProfileAttributeMetadata) bool { return a.Name == "phone" && !a.ReadOnly }) {
		t.Errorf("metadata = %+v", md.Attributes)
	}
	// Removing a root attribute is refused.
	bad := *cfg
	bad.Attributes = cfg.Attributes[2:]
	if _, err := users.UpdateProfile(ctx, &bad); !errors.Is(err, kc.ErrBadRequest) {
		t.Errorf("profile without username = %v", err)
	}
}

// configureSMTP gives realm acme an SMTP server, which the e-mail actions
// need; smtpServer is not a declared field of admin.Realm, so it goes in
// Extra.
func configureSMTP(t *testing.T, e *env) {
	t.Helper()
	r := must[*admin.Realm](t)(e.c.Realms.Get(t.Context(), "acme"))
	if r.Extra == nil {
		r.Extra = admin.Extra{}
	}
	r.Extra["smtpServer"] = json.RawMessage(`{"host":"smtp.example.com","port":"25","from":"sso@example.com"}`)
	check(t, e.c.Realms.Update(t.Context(), "acme", r))
}
