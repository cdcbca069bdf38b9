package admin_test

import (
	"encoding/json"
	"errors"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/kcgo/kc"
	"github.com/kcgo/kc/keycloak/admin"
	"github.com/kcgo/kc/keycloak/kctest"
)

// orgsOn turns organizations on in realm acme and, with smtp, sets its
// SMTP settings; it returns a new organization's ID.
func orgsOn(t *testing.T, e *env, smtp map[string]string) string {
	t.Helper()
	ctx := t.Context()
	realm := must[*admin.Realm](t)(e.c.Realms.Get(ctx, "acme"))
	realm.Extra["organizationsEnabled"] = json.RawMessage("true")
	check(t, e.c.Realms.Update(ctx, "acme", realm))
	setSMTP(t, e, smtp)
	return must[string](t)(e.realm.Organizations.Create(ctx, &admin.Organization{Name: "Acme Corp"}))
}

// setSMTP sets realm acme's SMTP settings (none when smtp is nil).
func setSMTP(t *testing.T, e *env, smtp map[string]string) {
	t.Helper()
	if smtp == nil {
		return
	}
	ctx := t.Context()
	realm := must[*admin.Realm](t)(e.c.Realms.Get(ctx, "acme"))
	b, _ := json.Marshal(smtp)
	realm.Extra["smtpServer"] = b
	check(t, e.c.Realms.Update(ctx, "acme", realm))
}

func groupPaths(gs []admin.Group) []string {
	out := []string{}
	for _, g := range gs {
		out = append(out, g.Path)
	}
	return out
}

func TestOrganizationGroups(t *testing.T) {
	t.Parallel()
	e := setup(t)
	ctx := t.Context()
	orgs := e.realm.Organizations
	org := orgsOn(t, e, nil)
	other := must[string](t)(orgs.Create(ctx, &admin.Organization{Name: "Other"}))

	eng := must[string](t)(orgs.CreateGroup(ctx, org, &admin.Group{Name: "engineering", Description: kc.Ptr("builders"),
		Attributes: map[string][]string{"cost-center": {"42"}}}))
	sales := must[string](t)(orgs.CreateGroup(ctx, org, &admin.Group{Name: "sales"}))
	backend := must[string](t)(orgs.CreateChildGroup(ctx, org, eng, &admin.Group{Name: "backend"}))
	if _, err := orgs.CreateGroup(ctx, org, &admin.Group{Name: "sales"}); !errors.Is(err, kc.ErrConflict) {
		t.Errorf("duplicate top-level group = %v", err)
	}
	if _, err := orgs.CreateChildGroup(ctx, org, eng, &admin.Group{Name: "backend"}); !errors.Is(err, kc.ErrConflict) {
		t.Errorf("duplicate subgroup = %v", err)
	}
	if _, err := orgs.CreateGroup(ctx, org, &admin.Group{ID: sales, Name: "x"}); err == nil {
		t.Error("CreateGroup with an ID sent a move")
	}

	// The organization's groups are not realm groups.
	if realmGroups := must[[]admin.Group](t)(e.realm.Groups.List(ctx, nil)); len(realmGroups) != 0 {
		t.Errorf("realm groups = %v", groupPaths(realmGroups))
	}
	realmGroup := must[string](t)(e.realm.Groups.Create(ctx, &admin.Group{Name: "staff"}))
	if _, err := orgs.Group(ctx, org, realmGroup, nil); !isStatus(err, 400, "Group does not belong to the organization") {
		t.Errorf("realm group through the organization = %v", err)
	}
	if _, err := orgs.Group(ctx, other, eng, nil); !isStatus(err, 400, "Group does not belong to the organization") {
		t.Errorf("another organization's group = %v", err)
	}
	if _, err := orgs.Group(ctx, org, "no-such-group", nil); !isStatus(err, 404, "Group does not exist") {
		t.Errorf("unknown group = %v", err)
	}

	tops := must[[]admin.Group](t)(orgs.Groups(ctx, org, nil))
	if diff := cmp.Diff([]string{"/engineering", "/sales"}, groupPaths(tops)); diff != "" {
		t.Errorf("top-level groups (-want +got):\n%s", diff)
	}
	if tops[0].Attributes != nil || tops[0].ParentID == "" || *tops[0].Description != "builders" {
		t.Errorf("brief top-level group = %+v", tops[0])
	}
	hits := must[[]admin.Group](t)(orgs.Groups(ctx, org, &admin.OrganizationGroupListOptions{Search: "end"}))
	if diff := cmp.Diff([]string{"/engineering/backend"}, groupPaths(hits)); diff != "" {
		t.Errorf("search (-want +got):\n%s", diff)
	}
	tree := must[[]admin.Group](t)(orgs.Groups(ctx, org, &admin.OrganizationGroupListOptions{Search: "back", PopulateHierarchy: true}))
	if len(tree) != 1 || tree[0].ID != eng || len(tree[0].SubGroups) != 1 || tree[0].SubGroups[0].ID != backend {
		t.Errorf("populateHierarchy = %+v", tree)
	}
	byAttr := must[[]admin.Group](t)(orgs.Groups(ctx, org, &admin.OrganizationGroupListOptions{Attributes: map[string]string{"cost-center": "42"}}))
	if len(byAttr) != 1 || byAttr[0].ID != eng {
		t.Errorf("q = %v", groupPaths(byAttr))
	}
	g := must[*admin.Group](t)(orgs.Group(ctx, org, eng, &admin.OrganizationGroupOptions{SubGroupsCount: true}))
	if g.Path != "/engineering" || g.Attributes["cost-center"][0] != "42" || g.SubGroupCount == nil || *g.SubGroupCount != 1 {
		t.Errorf("Group = %+v", g)
	}
	byPath := must[*admin.Group](t)(orgs.GroupByPath(ctx, org, "/engineering/backend", nil))
	if byPath.ID != backend || byPath.ParentID != eng {
		t.Errorf("GroupByPath = %+v", byPath)
	}
	if _, err := orgs.GroupByPath(ctx, org, "engineering/frontend", nil); !errors.Is(err, kc.ErrNotFound) {
		t.Errorf("unknown path = %v", err)
	}
	children := must[[]admin.Group](t)(orgs.GroupChildren(ctx, org, eng, nil))
	if len(children) != 1 || children[0].Name != "backend" {
		t.Errorf("GroupChildren = %v", groupPaths(children))
	}

	g.Name = "eng"
	g.Description = nil
	check(t, orgs.UpdateGroup(ctx, org, eng, g))
	g = must[*admin.Group](t)(orgs.Group(ctx, org, eng, nil))
	if g.Name != "eng" || g.Description != nil {
		t.Errorf("after UpdateGroup = %+v", g)
	}
	if err := orgs.UpdateGroup(ctx, org, eng, &admin.Group{Name: "sales"}); !errors.Is(err, kc.ErrConflict) {
		t.Errorf("rename onto a sibling = %v", err)
	}

	// Moving: backend to the top level, sales under eng.
	b := must[*admin.Group](t)(orgs.Group(ctx, org, backend, nil))
	check(t, orgs.MoveGroup(ctx, org, "", b))
	s := must[*admin.Group](t)(orgs.Group(ctx, org, sales, nil))
	check(t, orgs.MoveGroup(ctx, org, eng, s))
	tops = must[[]admin.Group](t)(orgs.Groups(ctx, org, nil))
	if diff := cmp.Diff([]string{"/backend", "/eng"}, groupPaths(tops)); diff != "" {
		t.Errorf("after the moves (-want +got):\n%s", diff)
	}
	if p := must[*admin.Group](t)(orgs.Group(ctx, org, sales, nil)).Path; p != "/eng/sales" {
		t.Errorf("moved group's path = %q", p)
	}
	if err := orgs.MoveGroup(ctx, org, eng, &admin.Group{ID: realmGroup, Name: "staff"}); !isStatus(err, 400, "Can only move organization groups") {
		t.Errorf("moving a realm group = %v", err)
	}

	// Members of organization groups must be members of the organization.
	olga := must[string](t)(e.srv.AddUser("acme", kctest.User{Username: "olga", Email: "olga@acme.example"}))
	ivan := must[string](t)(e.srv.AddUser("acme", kctest.User{Username: "ivan"}))
	check(t, orgs.AddMember(ctx, org, olga))
	check(t, orgs.AddGroupMember(ctx, org, eng, olga))
	check(t, orgs.AddGroupMember(ctx, org, sales, olga))
	if err := orgs.AddGroupMember(ctx, org, eng, olga); !isStatus(err, 409, "User is already a member of the group") {
		t.Errorf("second join = %v", err)
	}
	if err := orgs.AddGroupMember(ctx, org, eng, ivan); !isStatus(err, 400, "User is not member of the organization") {
		t.Errorf("non-member join = %v", err)
	}
	if err := orgs.AddGroupMember(ctx, org, eng, "no-such-user"); !isStatus(err, 404, "User does not exist") {
		t.Errorf("unknown user = %v", err)
	}
	members := must[[]admin.Member](t)(orgs.GroupMembers(ctx, org, eng, nil))
	if len(members) != 1 || members[0].ID != olga || members[0].MembershipType != "UNMANAGED" {
		t.Errorf("GroupMembers = %+v", members)
	}
	mine := must[[]admin.Group](t)(orgs.MemberGroups(ctx, org, olga, nil))
	if diff := cmp.Diff([]string{"/eng", "/eng/sales"}, groupPaths(mine)); diff != "" {
		t.Errorf("MemberGroups (-want +got):\n%s", diff)
	}
	mine = must[[]admin.Group](t)(orgs.MemberGroups(ctx, org, olga, &admin.MemberGroupListOptions{Search: "sal"}))
	if len(mine) != 1 || mine[0].ID != sales {
		t.Errorf("MemberGroups search = %v", groupPaths(mine))
	}
	if theirs := must[[]admin.Organization](t)(orgs.MemberOrganizations(ctx, org, olga, true)); len(theirs) != 1 || theirs[0].ID != org || theirs[0].Attributes == nil {
		t.Errorf("MemberOrganizations = %+v", theirs)
	}
	if _, err := orgs.MemberGroups(ctx, org, ivan, nil); !errors.Is(err, kc.ErrNotFound) {
		t.Errorf("MemberGroups of a non-member = %v", err)
	}
	check(t, orgs.RemoveGroupMember(ctx, org, eng, olga))
	check(t, orgs.RemoveGroupMember(ctx, org, eng, olga)) // Keycloak: 204 again
	if members := must[[]admin.Member](t)(orgs.GroupMembers(ctx, org, eng, nil)); len(members) != 0 {
		t.Errorf("after RemoveGroupMember = %+v", members)
	}

	// A provider linked to the organization sees its groups.
	must[string](t)(e.realm.IdentityProviders.Create(ctx, &admin.IdentityProvider{Alias: "acme-sso", ProviderID: "oidc"}))
	must[string](t)(e.realm.IdentityProviders.Create(ctx, &admin.IdentityProvider{Alias: "elsewhere", ProviderID: "oidc"}))
	check(t, orgs.AddIdentityProvider(ctx, org, "acme-sso"))
	p := must[*admin.IdentityProvider](t)(orgs.IdentityProvider(ctx, org, "acme-sso"))
	if p.Alias != "acme-sso" || string(p.Extra["organizationId"]) != `"`+org+`"` {
		t.Errorf("IdentityProvider = %+v", p)
	}
	if _, err := orgs.IdentityProvider(ctx, org, "elsewhere"); !isStatus(err, 404, "Identity provider not associated with the organization") {
		t.Errorf("unlinked provider = %v", err)
	}
	idpGroups := must[[]admin.Group](t)(orgs.IdentityProviderGroups(ctx, org, "acme-sso", &admin.OrganizationGroupListOptions{Search: "sal"}))
	if len(idpGroups) != 1 || idpGroups[0].ID != sales {
		t.Errorf("IdentityProviderGroups = %v", groupPaths(idpGroups))
	}
	if _, err := orgs.IdentityProviderGroups(ctx, org, "elsewhere", nil); !errors.Is(err, kc.ErrNotFound) {
		t.Errorf("groups of an unlinked provider = %v", err)
	}

	check(t, orgs.DeleteGroup(ctx, org, eng))
	if _, err := orgs.Group(ctx, org, sales, nil); !errors.Is(err, kc.ErrNotFound) {
		t.Errorf("subgroup after deleting its parent = %v", err)
	}
	if err := orgs.AddGroupMember(ctx, "", eng, olga); err == nil || !strings.Contains(err.Error(), "orgID") {
		t.Errorf("empty orgID = %v", err)
	}
}

// isStatus reports whether err is a *kc.APIError with status and
// errorMessage msg.
func isStatus(err error, status int, msg string) bool {
	apiErr, ok := errors.AsType[*kc.APIError](err)
	return ok && apiErr.StatusCode == status && apiErr.ErrorMessage == msg
}

func TestOrganizationInvitations(t *testing.T) {
	t.Parallel()
	clock := kctest.NewFakeClock(time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC))
	e := setup(t, kctest.WithClock(clock.Now))
	ctx := t.Context()
	orgs := e.realm.Organizations
	org := orgsOn(t, e, nil)

	// Without SMTP settings Keycloak cannot send the invitation.
	if err := orgs.InviteUser(ctx, org, "new@acme.example", "", ""); !isStatus(err, 500, "Failed to send invite email") {
		t.Fatalf("invite without SMTP = %v", err)
	}
	if inv := must[[]admin.OrganizationInvitation](t)(orgs.Invitations(ctx, org, nil)); len(inv) != 0 {
		t.Errorf("a failed invitation was kept: %+v", inv)
	}
	setSMTP(t, e, map[string]string{"host": "smtp.acme.example", "port": "587", "from": "noreply@acme.example", "fromDisplayName": "Acme"})

	check(t, orgs.InviteUser(ctx, org, "New@Acme.example", "Nina", "Novak"))
	if err := orgs.InviteUser(ctx, org, "new@acme.example", "", ""); !isStatus(err, 409, "User already has a pending invitation") {
		t.Errorf("second invitation = %v", err)
	}
	if err := orgs.InviteUser(ctx, org, "not-an-address", "", ""); !isStatus(err, 400, "Invalid email format") {
		t.Errorf("bad address = %v", err)
	}
	olga := must[string](t)(e.srv.AddUser("acme", kctest.User{Username: "olga", Email: "olga@acme.example"}))
	check(t, orgs.InviteExistingUser(ctx, org, olga))
	if err := orgs.InviteExistingUser(ctx, org, "no-such-user"); !isStatus(err, 400, "User does not exist") {
		t.Errorf("unknown user = %v", err)
	}

	list := must[[]admin.OrganizationInvitation](t)(orgs.Invitations(ctx, org, nil))
	if len(list) != 2 {
		t.Fatalf("Invitations = %+v", list)
	}
	nina := list[0]
	now := clock.Now().Unix()
	want := admin.OrganizationInvitation{ID: nina.ID, OrganizationID: org, Email: "new@acme.example", FirstName: "Nina", LastName: "Novak",
		SentDate: now, ExpiresAt: now + 43200, Status: "PENDING", InviteLink: nina.InviteLink}
	if diff := cmp.Diff(want, nina); diff != "" {
		t.Errorf("invitation (-want +got):\n%s", diff)
	}
	// No user has this address: the link registers one.
	if u, err := url.Parse(nina.InviteLink); err != nil || !strings.HasSuffix(u.Path, "/realms/acme/protocol/openid-connect/registrations") || u.Query().Get("token") == "" {
		t.Errorf("registration link = %q", nina.InviteLink)
	}
	if !strings.Contains(list[1].InviteLink, "/realms/acme/login-actions/action-token?key=") {
		t.Errorf("invitation link = %q", list[1].InviteLink)
	}
	if got := must[*admin.OrganizationInvitation](t)(orgs.Invitation(ctx, org, nina.ID)); got.Email != nina.Email {
		t.Errorf("Invitation = %+v", got)
	}
	if byName := must[[]admin.OrganizationInvitation](t)(orgs.Invitations(ctx, org, &admin.InvitationListOptions{Search: "olga"})); len(byName) != 1 || byName[0].Email != "olga@acme.example" {
		t.Errorf("search = %+v", byName)
	}

	// The captured mail is what Keycloak's org-invite template says.
	mails := e.srv.Mail()
	if len(mails) != 2 {
		t.Fatalf("captured %d mails", len(mails))
	}
	m := mails[0]
	wantText := "Hi, \"Nina\" \"Novak\".\n\n You were invited to join the \"Acme Corp\" organization. Click the link below to join.\n\n" +
		nina.InviteLink + "\n\nThis link will expire within 12 hours.\n\nIf you don't want to join the organization, just ignore this message."
	wantMail := kctest.Mail{Realm: "acme", From: "noreply@acme.example", FromName: "Acme", To: "new@acme.example",
		Subject: "Invitation to join the Acme Corp organization", Text: wantText, Link: nina.InviteLink, Template: "org-invite.ftl", Sent: clock.Now()}
	if diff := cmp.Diff(wantMail, m); diff != "" {
		t.Errorf("mail (-want +got):\n%s", diff)
	}

	// Expired invitations can be replaced; resending makes a new one.
	clock.Advance(13 * time.Hour)
	if expired := must[[]admin.OrganizationInvitation](t)(orgs.Invitations(ctx, org, &admin.InvitationListOptions{Status: "EXPIRED"})); len(expired) != 2 {
		t.Errorf("expired = %+v", expired)
	}
	check(t, orgs.ResendInvitation(ctx, org, nina.ID))
	if _, err := orgs.Invitation(ctx, org, nina.ID); !isStatus(err, 404, "Invitation not found") {
		t.Errorf("resent invitation's old ID = %v", err)
	}
	pending := must[[]admin.OrganizationInvitation](t)(orgs.Invitations(ctx, org, &admin.InvitationListOptions{Status: "PENDING"}))
	if len(pending) != 1 || pending[0].Email != "new@acme.example" || pending[0].FirstName != "Nina" {
		t.Errorf("after resend = %+v", pending)
	}
	if n := len(e.srv.Mail()); n != 3 {
		t.Errorf("mails after resend = %d", n)
	}
	check(t, orgs.DeleteInvitation(ctx, org, pending[0].ID))
	if err := orgs.DeleteInvitation(ctx, org, pending[0].ID); !isStatus(err, 404, "Invitation not found") {
		t.Errorf("second delete = %v", err)
	}
	// A member is not invited again.
	check(t, orgs.AddMember(ctx, org, olga))
	if err := orgs.InviteUser(ctx, org, "olga@acme.example", "", ""); !isStatus(err, 409, "User already a member of the organization") {
		t.Errorf("inviting a member = %v", err)
	}
	if !slices.ContainsFunc(e.srv.Mail(), func(m kctest.Mail) bool { return m.To == "olga@acme.example" }) {
		t.Error("no mail to olga")
	}
}
