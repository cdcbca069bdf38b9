package kctest_test

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"

	"github.com/kcgo/kc/keycloak/kctest"
)

// enableOrgs turns organizations on in realm acme and returns a new
// organization's path under /admin/realms/acme.
func enableOrgs(t *testing.T, s *kctest.Server, tok string) string {
	t.Helper()
	if res := adminDo(t, s, tok, "PUT", "/admin/realms/acme", `{"organizationsEnabled":true}`); res.status != 204 {
		t.Fatalf("enable organizations: %d %s", res.status, res.body)
	}
	res := adminDo(t, s, tok, "POST", "/admin/realms/acme/organizations", `{"name":"Acme Corp"}`)
	if res.status != 201 {
		t.Fatalf("create organization: %d %s", res.status, res.body)
	}
	loc := res.header.Get("Location")
	return loc[strings.Index(loc, "/admin/realms/acme/organizations/"):]
}

// TestAdminOrganizationGroupsWire pins the statuses, headers and bodies of
// Keycloak 26.6's OrganizationGroupsResource and OrganizationGroupResource.
func TestAdminOrganizationGroupsWire(t *testing.T) {
	t.Parallel()
	s, tok := startAdmin(t)
	org := enableOrgs(t, s, tok)

	// Keycloak: OrganizationGroupsResource.addTopLevelGroup answers 201
	// with a Location under .../groups and the brief representation; the
	// path starts at the organization and the parentId is the internal
	// organization group.
	res := adminDo(t, s, tok, "POST", org+"/groups", `{"name":"eng","description":"d","attributes":{"a":["1"]}}`)
	body := res.json()
	if res.status != 201 || !strings.HasSuffix(res.header.Get("Location"), org+"/groups/"+body["id"].(string)) ||
		body["path"] != "/eng" || body["description"] != "d" || body["parentId"] == nil || body["attributes"] != nil {
		t.Fatalf("create top-level = %d %v %s", res.status, res.header, res.body)
	}
	eng := body["id"].(string)
	// OrganizationGroupResource.addSubGroup: 201, no Location, the full
	// representation.
	res = adminDo(t, s, tok, "POST", org+"/groups/"+eng+"/children", `{"name":"backend","description":"ignored"}`)
	body = res.json()
	if res.status != 201 || res.header.Get("Location") != "" || body["path"] != "/eng/backend" || body["parentId"] != eng ||
		body["description"] != nil || body["attributes"] == nil {
		t.Fatalf("create subgroup = %d %v %s", res.status, res.header, res.body)
	}
	backend := body["id"].(string)
	for _, c := range []struct {
		method, path, body string
		status             int
		want               string
	}{
		{"POST", org + "/groups", `{"name":" "}`, 400, `{"errorMessage":"Group name is missing"}`},
		{"POST", org + "/groups", `{"name":"eng"}`, 409, `{"errorMessage":"Group with the given name already exists."}`},
		{"POST", org + "/groups/" + eng + "/children", `{"name":"backend"}`, 409, `{"errorMessage":"Sibling group with the given name already exists"}`},
		{"PUT", org + "/groups/" + backend, `{"name":"x","id":"other"}`, 400, `{"errorMessage":"Invalid group id"}`},
		{"GET", org + "/groups/nope", "", 404, `{"errorMessage":"Group does not exist"}`},
		{"GET", org + "/groups/group-by-path/eng/nope", "", 404, `{"error":"Group path does not exist"}`},
		{"POST", org + "/groups", `{"name":"x","id":"nope"}`, 404, `{"error":"Could not find group by id"}`},
		// Moving an existing group: 204 and no body.
		{"POST", org + "/groups", `{"name":"backend","id":"` + backend + `"}`, 204, ``},
		{"PUT", org + "/groups/" + eng + "/members/nope", "", 404, `{"errorMessage":"User does not exist"}`},
		{"DELETE", org + "/groups/" + eng + "/members/nope", "", 404, `{"errorMessage":"User does not exist"}`},
		{"GET", org + "/invitations/nope", "", 404, `{"errorMessage":"Invitation not found"}`},
		{"POST", org + "/invitations/nope/resend", "", 404, `{"errorMessage":"Invitation not found"}`},
		{"GET", org + "/identity-providers/nope", "", 404, `{"errorMessage":"Identity provider not associated with the organization"}`},
		{"GET", org + "/identity-providers/nope/groups", "", 404, `{"errorMessage":"Identity provider not associated with the organization"}`},
		// Keycloak: OrganizationMemberResource.inviteUser consumes a form.
		{"POST", org + "/members/invite-user", `{"email":"a@b.c"}`, 415, `{"error":"HTTP 415 Unsupported Media Type"}`},
	} {
		res := adminDo(t, s, tok, c.method, c.path, c.body)
		if res.status != c.status || strings.TrimSpace(string(res.body)) != c.want {
			t.Errorf("%s %s = %d %s, want %d %s", c.method, c.path, res.status, res.body, c.status, c.want)
		}
	}
	res = adminDo(t, s, tok, "GET", org+"/groups/group-by-path/backend?subGroupsCount=true", "")
	if body := res.json(); res.status != 200 || body["id"] != backend || body["subGroupCount"] != float64(0) {
		t.Errorf("group-by-path after the move = %d %s", res.status, res.body)
	}
	// Organization groups stay out of the realm's groups.
	if res := adminDo(t, s, tok, "GET", "/admin/realms/acme/groups", ""); string(res.body) != "[]" {
		t.Errorf("realm groups = %s", res.body)
	}
	// Without SMTP settings Keycloak cannot send the invitation
	// (OrganizationInvitationResource.sendInvitation).
	res = postForm(t, s.URL+org+"/members/invite-user", url.Values{"email": {"a@acme.example"}}, "Authorization", "Bearer "+tok)
	if res.status != 500 || res.str("errorMessage") != "Failed to send invite email" {
		t.Errorf("invite without SMTP = %d %s", res.status, res.body)
	}
	res = postForm(t, s.URL+org+"/members/invite-existing-user", url.Values{}, "Authorization", "Bearer "+tok)
	if res.status != 400 {
		t.Errorf("invite-existing-user without id = %d %s", res.status, res.body)
	}
}

// TestAdminMailCapture pins what kctest captures instead of sending: the
// mail of UserResource.executeActionsEmail, sendVerifyEmail,
// resetPasswordEmail and RealmAdminResource.testSMTPConnection, with the
// subjects and text bodies of Keycloak's email theme.
func TestAdminMailCapture(t *testing.T) {
	t.Parallel()
	var seen []kctest.Mail
	s := kctest.Start(t, kctest.WithMailHandler(func(m kctest.Mail) { seen = append(seen, m) }))
	if _, err := s.AddRealm(kctest.Realm{Name: "acme"}); err != nil {
		t.Fatal(err)
	}
	tok := adminToken(t, s)
	uid, err := s.AddUser("acme", kctest.User{Username: "olga", Email: "olga@acme.example"})
	if err != nil {
		t.Fatal(err)
	}
	user := "/admin/realms/acme/users/" + uid

	// Without SMTP settings (Keycloak: DefaultEmailSenderProvider needs a
	// sender address).
	res := adminDo(t, s, tok, "PUT", user+"/execute-actions-email", `["UPDATE_PASSWORD"]`)
	if res.status != 500 || res.str("errorMessage") != "Failed to send execute actions email: No sender address configured in the realm settings for emails" {
		t.Errorf("execute-actions-email without SMTP = %d %s", res.status, res.body)
	}
	res = adminDo(t, s, tok, "PUT", user+"/send-verify-email", "")
	if res.status != 500 || res.str("errorMessage") != "Failed to send verify email" {
		t.Errorf("send-verify-email without SMTP = %d %s", res.status, res.body)
	}
	res = adminDo(t, s, tok, "POST", "/admin/realms/acme/testSMTPConnection", `{"host":"smtp.acme.example","from":"noreply@acme.example"}`)
	if res.status != 500 || res.str("errorMessage") != "Failed to send email" {
		t.Errorf("testSMTPConnection by an admin without an email = %d %s", res.status, res.body)
	}
	if len(s.Mail()) != 0 {
		t.Fatalf("mail captured without SMTP settings: %v", s.Mail())
	}

	smtp := `{"smtpServer":{"host":"smtp.acme.example","port":"587","from":"noreply@acme.example","replyTo":"help@acme.example","password":"s3cret"}}`
	if res := adminDo(t, s, tok, "PUT", "/admin/realms/acme", smtp); res.status != 204 {
		t.Fatalf("set SMTP: %d %s", res.status, res.body)
	}
	for _, c := range []struct{ method, path, body string }{
		{"PUT", user + "/execute-actions-email?lifespan=300", `["UPDATE_PASSWORD","VERIFY_EMAIL"]`},
		{"PUT", user + "/send-verify-email", ""},
		{"PUT", user + "/reset-password-email", ""},
	} {
		if res := adminDo(t, s, tok, c.method, c.path, c.body); res.status != 204 {
			t.Errorf("%s %s = %d %s", c.method, c.path, res.status, res.body)
		}
	}
	// The bootstrap admin gets an email; the test goes to it.
	var admins []map[string]any
	_ = json.Unmarshal(adminDo(t, s, tok, "GET", "/admin/realms/master/users?username=admin&exact=true", "").body, &admins)
	if res := adminDo(t, s, tok, "PUT", "/admin/realms/master/users/"+admins[0]["id"].(string), `{"email":"root@acme.example"}`); res.status != 204 {
		t.Fatalf("admin email: %d %s", res.status, res.body)
	}
	res = adminDo(t, s, tok, "POST", "/admin/realms/acme/testSMTPConnection", `{"host":"other.example","port":25,"from":"test@acme.example"}`)
	if res.status != 204 {
		t.Errorf("testSMTPConnection = %d %s", res.status, res.body)
	}

	mails := s.Mail()
	if len(mails) != 4 || len(seen) != 4 {
		t.Fatalf("captured %d mails, handler saw %d", len(mails), len(seen))
	}
	actions := mails[0]
	if actions.To != "olga@acme.example" || actions.From != "noreply@acme.example" || actions.ReplyTo != "help@acme.example" ||
		actions.Subject != "Update Your Account" || actions.Template != "executeActions.ftl" ||
		!strings.HasPrefix(actions.Text, "Your administrator has just requested that you update your Acme account by performing the following action(s): Update Password, Verify Email. Click on the link below to start this process.\n\n"+actions.Link+"\n\nThis link will expire within 5 minutes.") {
		t.Errorf("execute actions mail = %+v", actions)
	}
	if !strings.HasPrefix(actions.Link, s.URL+"/realms/acme/login-actions/action-token?key=") {
		t.Errorf("action link = %q", actions.Link)
	}
	if v := mails[1]; v.Subject != "Verify email" || !strings.Contains(v.Text, "Someone has created a Acme account with this email address.") ||
		!strings.Contains(v.Text, "This link will expire within 12 hours.") {
		t.Errorf("verify mail = %+v", v)
	}
	if r := mails[2]; r.Subject != "Update Your Account" || !strings.Contains(r.Text, "action(s): Update Password.") {
		t.Errorf("reset password mail = %+v", r)
	}
	if m := mails[3]; m.To != "root@acme.example" || m.From != "test@acme.example" || m.Subject != "[KEYCLOAK] - SMTP test message" ||
		m.Text != "This is a test message" || m.Link != "" {
		t.Errorf("SMTP test mail = %+v", m)
	}
	if strings.Contains(mails[0].String(), "s3cret") || !strings.Contains(mails[0].String(), "Subject: Update Your Account\n") {
		t.Errorf("Mail.String = %s", mails[0].String())
	}
}
