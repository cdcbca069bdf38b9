package kctest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// Mail is one message kctest captured instead of sending it: what a
// Keycloak with the same SMTP settings would have sent, with the subject
// and text body of Keycloak's English email templates (theme "base").
// kctest sends no mail and opens no connection.
type Mail struct {
	Realm       string    // the realm whose settings sent it
	From        string    // smtpServer "from"
	FromName    string    // smtpServer "fromDisplayName"
	ReplyTo     string    // smtpServer "replyTo"
	ReplyToName string    // smtpServer "replyToDisplayName"
	To          string    // the recipient's address
	Subject     string    // e.g. "Update Your Account"
	Text        string    // the text/plain body
	Link        string    // the action link in Text; "" for the SMTP test message
	Template    string    // Keycloak's template: "executeActions.ftl", "email-verification.ftl", "org-invite.ftl", "email-test.ftl"
	Sent        time.Time // by the server's clock
}

// String renders the mail as one block of text (headers, a blank line,
// the body); the SMTP password is not part of a Mail.
func (m Mail) String() string {
	var b strings.Builder
	from := m.From
	if m.FromName != "" {
		from = fmt.Sprintf("%s <%s>", m.FromName, m.From)
	}
	fmt.Fprintf(&b, "From: %s\n", from)
	if m.ReplyTo != "" {
		reply := m.ReplyTo
		if m.ReplyToName != "" {
			reply = fmt.Sprintf("%s <%s>", m.ReplyToName, m.ReplyTo)
		}
		fmt.Fprintf(&b, "Reply-To: %s\n", reply)
	}
	fmt.Fprintf(&b, "To: %s\nSubject: %s\nDate: %s\nX-Keycloak-Realm: %s\n\n%s\n", m.To, m.Subject, m.Sent.UTC().Format(time.RFC1123Z), m.Realm, m.Text)
	return b.String()
}

// DefaultMailLogSize is how many captured mails a [Server] keeps unless
// [WithMailLog] says otherwise.
const DefaultMailLogSize = 1000

// WithMailLog keeps the last n captured mails for [Server.Mail]; older
// ones are dropped. n <= 0 keeps none ([WithMailHandler] still sees each).
func WithMailLog(n int) Option {
	return func(o *config) { o.mailLog = max(n, 0); o.mailLogSet = true }
}

// WithMailHandler calls h with each mail the server captures, as it
// captures it (cmd/kcdev prints them). h runs while the server holds its
// lock: it must return promptly and must not call the Server.
func WithMailHandler(h func(Mail)) Option {
	return func(o *config) { o.mailHandler = h }
}

// mailbox holds the captured mails.
type mailbox struct {
	mu      sync.Mutex
	size    int
	mails   []Mail
	handler func(Mail)
}

// Mail returns the mails the server has captured, oldest first: each
// message a Keycloak with the realm's SMTP settings would have sent for
// execute-actions-email, reset-password-email, send-verify-email,
// organization invitations and testSMTPConnection.
func (s *Server) Mail() []Mail {
	s.mail.mu.Lock()
	defer s.mail.mu.Unlock()
	return append([]Mail(nil), s.mail.mails...)
}

func (mb *mailbox) add(m Mail) {
	mb.mu.Lock()
	if mb.size > 0 {
		if len(mb.mails) == mb.size {
			mb.mails = append(mb.mails[:0], mb.mails[1:]...)
		}
		mb.mails = append(mb.mails, m)
	}
	h := mb.handler
	mb.mu.Unlock()
	if h != nil {
		h(m)
	}
}

// smtpConfig returns the realm's smtpServer settings.
func (rm *realm) smtpConfig() map[string]string {
	var smtp map[string]string
	_ = json.Unmarshal(rm.settings["smtpServer"], &smtp)
	return smtp
}

// errNoSender is DefaultEmailSenderProvider's message for a config
// without "from".
const errNoSender = "No sender address configured in the realm settings for emails"

// sendMail captures the mail Keycloak would send with SMTP config smtp,
// or returns why Keycloak's sender would fail: no "from"
// (DefaultEmailSenderProvider), or no host to connect to.
func (s *Server) sendMail(rm *realm, smtp map[string]string, to, template, subject, text, link string) error {
	switch {
	case smtp["from"] == "":
		return fmt.Errorf("%s", errNoSender)
	case smtp["host"] == "":
		return fmt.Errorf("Couldn't connect to host, port: localhost, 25; timeout -1")
	case to == "":
		return fmt.Errorf("No recipient address")
	}
	s.mail.add(Mail{Realm: rm.name, From: smtp["from"], FromName: smtp["fromDisplayName"], ReplyTo: smtp["replyTo"],
		ReplyToName: smtp["replyToDisplayName"], To: to, Subject: subject, Text: text, Link: link, Template: template, Sent: s.now()})
	return nil
}

// mailRealmName is FreeMarkerEmailTemplateProvider.getRealmName: the
// display name, else the capitalized realm name.
func (rm *realm) mailRealmName() string {
	if rm.displayName != "" {
		return rm.displayName
	}
	if rm.name == "" {
		return ""
	}
	return strings.ToUpper(rm.name[:1]) + rm.name[1:]
}

// linkExpiration is LinkExpirationFormatterMethod with the English
// messages: the largest whole unit of minutes.
func linkExpiration(minutes int64) string {
	unit := func(n int64, one, many string) string {
		if n == 1 {
			return fmt.Sprintf("%d %s", n, one)
		}
		return fmt.Sprintf("%d %s", n, many)
	}
	switch {
	case minutes > 0 && minutes%(60*24) == 0:
		return unit(minutes/(60*24), "day", "days")
	case minutes > 0 && minutes%60 == 0:
		return unit(minutes/60, "hour", "hours")
	default:
		return unit(minutes, "minute", "minutes")
	}
}

// requiredActionNames are the email theme's requiredAction.* messages.
var requiredActionNames = map[string]string{
	"CONFIGURE_TOTP":                 "Configure OTP",
	"TERMS_AND_CONDITIONS":           "Terms and Conditions",
	"UPDATE_PASSWORD":                "Update Password",
	"UPDATE_PROFILE":                 "Update Profile",
	"VERIFY_EMAIL":                   "Verify Email",
	"CONFIGURE_RECOVERY_AUTHN_CODES": "Generate Recovery Codes",
}

// executeActionsText is text/executeActions.ftl with executeActionsBody.
func executeActionsText(link string, minutes int64, realmName string, actions []string) string {
	names := make([]string, len(actions))
	for i, a := range actions {
		names[i] = requiredActionNames[a]
		if names[i] == "" {
			names[i] = "requiredAction." + a
		}
	}
	return fmt.Sprintf("Your administrator has just requested that you update your %s account by performing the following action(s): %s. "+
		"Click on the link below to start this process.\n\n%s\n\nThis link will expire within %s.\n\n"+
		"If you are unaware that your administrator has requested this, just ignore this message and nothing will be changed.",
		realmName, strings.Join(names, ", "), link, linkExpiration(minutes))
}

// verifyEmailText is text/email-verification.ftl with emailVerificationBody.
func verifyEmailText(link string, minutes int64, realmName string) string {
	return fmt.Sprintf("Someone has created a %s account with this email address. If this was you, click the link below to verify your email address\n\n%s\n\n"+
		"This link will expire within %s.\n\nIf you didn't create this account, just ignore this message.", realmName, link, linkExpiration(minutes))
}

// orgInviteText is text/org-invite.ftl: orgInviteBodyPersonalized when the
// user has a first and a last name, orgInviteBody otherwise.
func orgInviteText(link string, minutes int64, orgName, firstName, lastName string) string {
	body := fmt.Sprintf("You were invited to join the \"%s\" organization. Click the link below to join.\n\n%s\n\n"+
		"This link will expire within %s.\n\nIf you don't want to join the organization, just ignore this message.", orgName, link, linkExpiration(minutes))
	if firstName != "" && lastName != "" {
		return fmt.Sprintf("Hi, \"%s\" \"%s\".\n\n %s", firstName, lastName, body)
	}
	return body
}

// actionTokenURL is LoginActionsService.actionTokenProcessor with key.
func (s *Server) actionTokenURL(base, realmName, key string) string {
	return base + "/realms/" + escapeSegment(realmName) + "/login-actions/action-token?key=" + key
}

// actionToken signs an action token of type typ for user id sub, as
// DefaultActionToken.serialize does (the realm's default signature
// algorithm; kctest signs RS256).
func (s *Server) actionToken(rm *realm, issuer, typ, sub, email, clientID string, lifespan int64, extra map[string]any) string {
	now := s.now().Unix()
	c := map[string]any{"exp": now + lifespan, "iat": now, "jti": newID(), "iss": issuer, "aud": issuer, "typ": typ, "azp": clientID, "eml": email, "nonce": newID()}
	if sub != "" {
		c["sub"] = sub
	}
	for k, v := range extra {
		c[k] = v
	}
	tok, err := rm.signWith("RS256", c)
	if err != nil {
		return ""
	}
	return tok
}

// adminLifespan is the realm's actionTokenGeneratedByAdminLifespan in
// seconds (Keycloak's default: 12 hours).
func (rm *realm) adminLifespan() int64 {
	var n int64
	if json.Unmarshal(rm.settings["actionTokenGeneratedByAdminLifespan"], &n) != nil || n <= 0 {
		return 43200
	}
	return n
}

func (s *Server) registerAdminMail(mux *http.ServeMux) {
	// Keycloak: RealmAdminResource.testSMTPConnection sends the test
	// message (email-test.ftl) with the given settings to the calling
	// admin; any failure, an admin without an email included, is 500
	// "Failed to send email". The deprecated form variant carries the
	// settings as JSON in the "config" field.
	s.handle(mux, "POST", "/admin/realms/{realm}/testSMTPConnection", s.admin(permManageRealm, func(w http.ResponseWriter, r *http.Request, rm *realm, c *adminCaller) {
		var raw map[string]any
		if strings.HasPrefix(strings.ToLower(r.Header.Get("Content-Type")), "application/x-www-form-urlencoded") {
			b, err := readAllLimited(r.Body)
			form, perr := url.ParseQuery(string(b))
			if err != nil || perr != nil || json.Unmarshal([]byte(form.Get("config")), &raw) != nil {
				writeErrorMessage(w, http.StatusInternalServerError, "Failed to send email")
				return
			}
		} else if !decodeAdminJSON(w, r, &raw) {
			return
		}
		settings := map[string]string{}
		for k, v := range raw {
			switch v := v.(type) {
			case string:
				settings[k] = v
			case nil:
			default:
				b, _ := json.Marshal(v)
				settings[k] = string(b)
			}
		}
		to := ""
		if c != nil && c.user != nil {
			to = c.user.email
		}
		if to == "" || s.sendMail(rm, settings, to, "email-test.ftl", "[KEYCLOAK] - SMTP test message", "This is a test message", "") != nil {
			writeErrorMessage(w, http.StatusInternalServerError, "Failed to send email")
			return
		}
		noContent(w)
	}))
}
