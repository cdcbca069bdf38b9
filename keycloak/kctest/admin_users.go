package kctest

import (
	"crypto/sha256"
	"fmt"
	"math"
	"net/http"
	"net/mail"
	"slices"
	"strconv"
	"strings"
)

// federatedLink is a user's link to an account at an identity provider.
type federatedLink struct {
	IdentityProvider string `json:"identityProvider"`
	UserID           string `json:"userId"`
	UserName         string `json:"userName"`
}

func (s *Server) registerAdminUsers(mux *http.ServeMux) {
	const u = "/admin/realms/{realm}/users"
	const one = u + "/{id}"
	s.handle(mux, "GET", u, s.admin(permQueryUsers, s.adminListUsers))
	s.handle(mux, "POST", u, s.admin(permManageUsers, s.adminCreateUser))
	s.handle(mux, "GET", u+"/count", s.admin(permQueryUsers, s.adminCountUsers))
	s.handle(mux, "GET", one, s.admin(permViewUsers, s.withUser(s.adminGetUser)))
	s.handle(mux, "PUT", one, s.admin(permManageUsers, s.withUser(s.adminUpdateUser)))
	s.handle(mux, "DELETE", one, s.admin(permManageUsers, s.withUser(s.adminDeleteUser)))
	s.handle(mux, "PUT", one+"/reset-password", s.admin(permManageUsers, s.withUser(s.adminResetPassword)))
	s.handle(mux, "PUT", one+"/execute-actions-email", s.admin(permManageUsers, s.withUser(s.adminActionsEmail)))
	s.handle(mux, "PUT", one+"/send-verify-email", s.admin(permManageUsers, s.withUser(s.adminActionsEmail)))
	s.handle(mux, "GET", one+"/sessions", s.admin(permViewUsers, s.withUser(s.adminUserSessions)))
	s.handle(mux, "POST", one+"/logout", s.admin(permManageUsers, s.withUser(s.adminLogoutUser)))
	s.handle(mux, "GET", one+"/credentials", s.admin(permViewUsers, s.withUser(s.adminUserCredentials)))
	s.handle(mux, "DELETE", one+"/credentials/{cred}", s.admin(permManageUsers, s.withUser(s.adminDeleteCredential)))
	s.handle(mux, "GET", one+"/federated-identity", s.admin(permViewUsers, s.withUser(s.adminFederated)))
	s.handle(mux, "POST", one+"/federated-identity/{provider}", s.admin(permManageUsers, s.withUser(s.adminAddFederated)))
	s.handle(mux, "DELETE", one+"/federated-identity/{provider}", s.admin(permManageUsers, s.withUser(s.adminRemoveFederated)))
	s.handle(mux, "GET", one+"/consents", s.admin(permViewUsers, s.withUser(s.adminConsents)))
	s.handle(mux, "DELETE", one+"/consents/{client}", s.admin(permManageUsers, s.withUser(s.adminRevokeConsent)))
	s.handle(mux, "POST", one+"/impersonation", s.admin(permImpersonate, s.withUser(s.adminImpersonate)))
	s.handle(mux, "GET", one+"/groups", s.admin(permViewUsers, s.withUser(s.adminUserGroups)))
	s.handle(mux, "GET", one+"/groups/count", s.admin(permViewUsers, s.withUser(s.adminUserGroupCount)))
	s.handle(mux, "PUT", one+"/groups/{group}", s.admin(permManageUsers, s.withUser(s.adminJoinGroup)))
	s.handle(mux, "DELETE", one+"/groups/{group}", s.admin(permManageUsers, s.withUser(s.adminLeaveGroup)))
	s.registerRoleMappings(mux, u+"/{id}", s.userMapper)
}

type userHandler func(w http.ResponseWriter, r *http.Request, rm *realm, u *user)

// withUser resolves {id} to a user, or answers 404 "User not found".
func (s *Server) withUser(h userHandler) adminHandler {
	return func(w http.ResponseWriter, r *http.Request, rm *realm, _ *adminCaller) {
		u := rm.users[r.PathValue("id")]
		if u == nil {
			writeGenericError(w, http.StatusNotFound, "User not found")
			return
		}
		h(w, r, rm, u)
	}
}

// userFilter applies the filters of GET /users and /users/count.
type userFilter struct {
	enabled, emailVerified, search string
	exact                          bool
	fields                         [4]string // username, email, firstName, lastName
	idpAlias, idpUser              string
	attrs                          map[string]string
	// serviceAccounts is set when service-account users match too.
	serviceAccounts bool
}

func newUserFilter(r *http.Request) *userFilter {
	q := r.URL.Query()
	f := &userFilter{
		enabled: q.Get("enabled"), emailVerified: q.Get("emailVerified"), search: q.Get("search"),
		exact:    q.Get("exact") == "true",
		fields:   [4]string{q.Get("username"), q.Get("email"), q.Get("firstName"), q.Get("lastName")},
		idpAlias: q.Get("idpAlias"), idpUser: q.Get("idpUserId"), attrs: parseQ(q.Get("q")),
	}
	// Keycloak: UsersResource.getUsers searches with includeServiceAccounts
	// true only on its field-filter branch (no search, and any of these
	// parameters present); the unfiltered list and search= leave service
	// accounts out. getUsersCount's field-filter branch counts with
	// JpaUserProvider.getUsersCount(realm, params), which filters service
	// accounts only when asked to, so the count agrees with the list.
	if f.search == "" {
		for _, k := range []string{"username", "email", "firstName", "lastName", "emailVerified", "idpAlias", "idpUserId", "enabled", "exact", "q"} {
			if q.Has(k) {
				f.serviceAccounts = true
			}
		}
	}
	if !f.exact {
		for i := range f.fields {
			f.fields[i] = strings.ToLower(f.fields[i])
		}
	}
	return f
}

func (f *userFilter) match(u *user) bool {
	if u.serviceAccountClient != nil && !f.serviceAccounts {
		return false
	}
	if f.enabled != "" && (f.enabled == "true") != u.enabled {
		return false
	}
	if f.emailVerified != "" && (f.emailVerified == "true") != u.emailVerified {
		return false
	}
	if f.search != "" {
		return searchMatches(f.search, u.username, u.email, u.firstName, u.lastName)
	}
	for i, v := range [4]string{u.username, u.email, u.firstName, u.lastName} {
		want := f.fields[i]
		if want == "" {
			continue
		}
		if f.exact && !strings.EqualFold(v, want) || !f.exact && !strings.Contains(strings.ToLower(v), want) {
			return false
		}
	}
	if f.idpAlias != "" {
		if !slices.ContainsFunc(u.federated, func(l federatedLink) bool {
			return l.IdentityProvider == f.idpAlias && (f.idpUser == "" || l.UserID == f.idpUser)
		}) {
			return false
		}
	}
	for k, v := range f.attrs {
		if !slices.Contains(u.attributes[k], v) {
			return false
		}
	}
	return true
}

// searchMatches applies Keycloak's search syntax: "x" prefix, "*x*" infix,
// "\"x\"" exact, "*" all; case-insensitive, over every value.
func searchMatches(search string, values ...string) bool {
	search = strings.ToLower(strings.TrimSpace(search))
	if search == "*" || search == "" {
		return true
	}
	match := func(v string) bool { return strings.HasPrefix(v, search) }
	switch {
	case len(search) >= 2 && strings.HasPrefix(search, `"`) && strings.HasSuffix(search, `"`):
		want := search[1 : len(search)-1]
		match = func(v string) bool { return v == want }
	case strings.HasPrefix(search, "*") || strings.HasSuffix(search, "*"):
		want := strings.Trim(search, "*")
		match = func(v string) bool { return strings.Contains(v, want) }
	}
	for _, v := range values {
		if v != "" && match(strings.ToLower(v)) {
			return true
		}
	}
	return false
}

// sortedUsers returns the users that keep accepts, ordered by username as
// Keycloak pages them. The order is cached between requests and checked in
// linear time, so paging through many users does not sort them each time.
func (rm *realm) sortedUsers(keep func(*user) bool) []*user {
	st := rm.adminState()
	if !sortedUsersValid(st.sortedUsers, rm.users) {
		st.sortedUsers = st.sortedUsers[:0]
		for _, u := range rm.users {
			st.sortedUsers = append(st.sortedUsers, u)
		}
		slices.SortFunc(st.sortedUsers, func(a, b *user) int { return strings.Compare(a.username, b.username) })
	}
	if keep == nil {
		return nil
	}
	var out []*user
	for _, u := range st.sortedUsers {
		if keep(u) {
			out = append(out, u)
		}
	}
	return out
}

// sortedUsersValid reports whether cache holds exactly the users of byID,
// in username order.
func sortedUsersValid(cache []*user, byID map[string]*user) bool {
	if len(cache) != len(byID) {
		return false
	}
	for i, u := range cache {
		if byID[u.id] != u || i > 0 && cache[i-1].username > u.username {
			return false
		}
	}
	return true
}

func (s *Server) adminListUsers(w http.ResponseWriter, r *http.Request, rm *realm, _ *adminCaller) {
	first, max := page(r, math.MaxInt, 100)
	max -= first
	match := newUserFilter(r).match
	brief := boolParam(r, "briefRepresentation", false)
	out := []adminUserRep{}
	rm.sortedUsers(nil) // refresh the order
	skipped := 0
	for _, u := range rm.admin.sortedUsers { // walk only as far as the page
		if len(out) == max {
			break
		}
		if !match(u) {
			continue
		}
		if skipped < first {
			skipped++
			continue
		}
		out = append(out, rm.adminUser(u, brief, false))
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) adminCountUsers(w http.ResponseWriter, r *http.Request, rm *realm, _ *adminCaller) {
	n := 0
	f := newUserFilter(r)
	for _, u := range rm.users {
		if f.match(u) {
			n++
		}
	}
	writeJSON(w, http.StatusOK, n)
}

func (s *Server) adminGetUser(w http.ResponseWriter, _ *http.Request, rm *realm, u *user) {
	writeJSON(w, http.StatusOK, rm.adminUser(u, false, true))
}

// validateUser checks a user representation as Keycloak's default user
// profile does and writes the field errors; it reports whether in is valid.
func validateUser(w http.ResponseWriter, in *userInput, creating bool) bool {
	var errs []fieldError
	if in.Username != nil || creating {
		name := ""
		if in.Username != nil {
			name = strings.TrimSpace(*in.Username)
		}
		switch {
		case name == "" && creating:
			writeErrorMessage(w, http.StatusBadRequest, "User name is missing")
			return false
		case name == "":
			errs = append(errs, fieldError{Field: "username", ErrorMessage: "error-user-attribute-required", Params: []any{"username"}})
		case len(name) < 3 || len(name) > 255:
			errs = append(errs, fieldError{Field: "username", ErrorMessage: "error-invalid-length", Params: []any{"username", 3, 255}})
		}
	}
	if in.Email != nil && *in.Email != "" {
		if a, err := mail.ParseAddress(*in.Email); err != nil || a.Address != *in.Email {
			errs = append(errs, fieldError{Field: "email", ErrorMessage: "error-invalid-email", Params: []any{"email", *in.Email}})
		}
	}
	for _, f := range []struct {
		name string
		v    *string
	}{{"firstName", in.FirstName}, {"lastName", in.LastName}} {
		if f.v != nil && len(*f.v) > 255 {
			errs = append(errs, fieldError{Field: f.name, ErrorMessage: "error-invalid-length", Params: []any{f.name, 0, 255}})
		}
	}
	if len(errs) > 0 {
		writeFieldErrors(w, http.StatusBadRequest, errs)
		return false
	}
	return true
}

// applyUser copies the fields in sent into u.
func (rm *realm) applyUser(u *user, in *userInput) {
	if in.Username != nil {
		u.username = strings.ToLower(strings.TrimSpace(*in.Username))
	}
	if in.Email != nil {
		u.email = strings.ToLower(*in.Email)
	}
	if in.FirstName != nil {
		u.firstName = *in.FirstName
	}
	if in.LastName != nil {
		u.lastName = *in.LastName
	}
	if in.EmailVerified != nil {
		u.emailVerified = *in.EmailVerified
	}
	if in.Enabled != nil {
		u.enabled = *in.Enabled
	}
	if in.Attributes != nil {
		u.attributes = rm.writableAttributes(u.attributes, in.Attributes)
	}
}

// setRequiredActions applies a representation's requiredActions as
// Keycloak's UserResource.updateUserFromRep does: only registered required
// action providers count; each one listed is added, and on an update each
// one not listed is removed. Other names ("" or unknown) are dropped, and
// actions that are not registered providers stay on the user.
func setRequiredActions(u *user, actions []string, update bool) {
	if actions == nil {
		return
	}
	var ids []string
	for _, p := range requiredActionProviders {
		ids = append(ids, p.alias)
	}
	slices.Sort(ids)
	for _, id := range ids {
		has := slices.Contains(u.requiredActions, id)
		switch {
		case slices.Contains(actions, id) && !has:
			u.requiredActions = append(u.requiredActions, id)
		case !slices.Contains(actions, id) && has && update:
			u.requiredActions = slices.DeleteFunc(u.requiredActions, func(a string) bool { return a == id })
		}
	}
}

// duplicateUser answers 409 when another user has the username or e-mail.
func duplicateUser(w http.ResponseWriter, rm *realm, self *user, in *userInput) bool {
	if in.Username != nil {
		if o := rm.findUserByUsername(strings.TrimSpace(*in.Username)); o != nil && o != self {
			writeErrorMessage(w, http.StatusConflict, "User exists with same username")
			return true
		}
	}
	if in.Email != nil && *in.Email != "" {
		if o := rm.findUserByEmail(*in.Email); o != nil && o != self {
			writeErrorMessage(w, http.StatusConflict, "User exists with same email")
			return true
		}
	}
	return false
}

func (s *Server) adminCreateUser(w http.ResponseWriter, r *http.Request, rm *realm, _ *adminCaller) {
	var in userInput
	if !decodeAdminJSON(w, r, &in) || !validateUser(w, &in, true) || duplicateUser(w, rm, nil, &in) {
		return
	}
	var groups []*group
	for _, p := range in.Groups {
		g := rm.findGroupByPath(p)
		if g == nil {
			writeErrorMessage(w, http.StatusBadRequest, "Group "+p+" not found")
			return
		}
		groups = append(groups, g)
	}
	u := rm.newUserModel(*in.Username, s.now().UnixMilli())
	rm.applyUser(u, &in)
	setRequiredActions(u, in.RequiredActions, false)
	for _, c := range in.Credentials {
		if c.Type == "" || c.Type == "password" {
			if c.Value == "" {
				writeGenericError(w, http.StatusBadRequest, "Empty password not allowed")
				return
			}
			u.setPassword(c.Value, c.Temporary)
		}
	}
	if rm.admin != nil {
		groups = slices.Concat(rm.admin.defaultGroups, groups)
	}
	for _, g := range groups {
		u.joinGroup(g)
	}
	rm.users[u.id] = u
	created(w, r, s, u.id)
}

func (s *Server) adminUpdateUser(w http.ResponseWriter, r *http.Request, rm *realm, u *user) {
	var in userInput
	if !decodeAdminJSON(w, r, &in) || !validateUser(w, &in, false) || duplicateUser(w, rm, u, &in) {
		return
	}
	wasLocked := in.Enabled != nil && *in.Enabled && rm.clearLoginFailuresOnEnable(u, s.now())
	rm.applyUser(u, &in)
	setRequiredActions(u, in.RequiredActions, true)
	if wasLocked {
		delete(u.attributes, "disabledReason") // BruteForceProtector.cleanUpPermanentLockout
	}
	noContent(w)
}

func (s *Server) adminDeleteUser(w http.ResponseWriter, _ *http.Request, rm *realm, u *user) {
	rm.removeUserSessions(u)
	delete(rm.users, u.id)
	delete(rm.loginFailures, u.id) // the login failures go with the user (UserRemovedEvent)
	if c := u.serviceAccountClient; c != nil && c.serviceAccountUser == u {
		c.serviceAccountUser = nil
	}
	noContent(w)
}

func (s *Server) adminResetPassword(w http.ResponseWriter, r *http.Request, _ *realm, u *user) {
	var in struct {
		Type      string  `json:"type"`
		Value     *string `json:"value"`
		Temporary *bool   `json:"temporary"`
	}
	if !decodeAdminJSON(w, r, &in) {
		return
	}
	if in.Value == nil {
		writeGenericError(w, http.StatusBadRequest, "No password provided")
		return
	}
	if strings.TrimSpace(*in.Value) == "" {
		writeGenericError(w, http.StatusBadRequest, "Empty password not allowed")
		return
	}
	temporary := in.Temporary == nil || *in.Temporary // Keycloak's default is temporary
	u.setPassword(*in.Value, temporary)
	if !temporary {
		u.requiredActions = slices.DeleteFunc(u.requiredActions, func(a string) bool { return a == "UPDATE_PASSWORD" })
	}
	noContent(w)
}

// adminActionsEmail serves execute-actions-email, send-verify-email and
// reset-password-email (Keycloak: UserResource.executeActionsEmail,
// sendVerifyEmail, resetPasswordEmail, which is execute-actions-email with
// UPDATE_PASSWORD). kctest checks what Keycloak checks, needs the realm's
// smtpServer like Keycloak, and captures the mail Keycloak would send
// (Server.Mail) instead of sending it.
func (s *Server) adminActionsEmail(w http.ResponseWriter, r *http.Request, rm *realm, u *user) {
	q := r.URL.Query()
	verify := strings.HasSuffix(r.URL.Path, "/send-verify-email")
	actions := []string{"UPDATE_PASSWORD"}
	if strings.HasSuffix(r.URL.Path, "/execute-actions-email") {
		actions = nil
		if !decodeAdminJSON(w, r, &actions) {
			return
		}
	}
	switch {
	case u.email == "":
		writeErrorMessage(w, http.StatusBadRequest, "User email missing")
		return
	case !u.enabled:
		writeErrorMessage(w, http.StatusBadRequest, "User is disabled")
		return
	case q.Get("redirect_uri") != "" && q.Get("client_id") == "":
		writeErrorMessage(w, http.StatusBadRequest, "Client id missing")
		return
	}
	clientID := q.Get("client_id")
	if clientID != "" {
		c := rm.findClientByClientID(clientID)
		if c == nil || !c.enabled {
			writeErrorMessage(w, http.StatusBadRequest, "Client doesn't exist")
			return
		}
		if ru := q.Get("redirect_uri"); ru != "" && !c.redirectAllowed(ru) {
			writeErrorMessage(w, http.StatusBadRequest, "Invalid redirect uri.")
			return
		}
	} else {
		clientID = "account"
	}
	lifespan := rm.adminLifespan()
	if v, err := strconv.ParseInt(q.Get("lifespan"), 10, 64); err == nil {
		lifespan = v
	}
	issuer := s.issuer(r, rm.name)
	typ, extra := "execute-actions", map[string]any{"rqac": actions}
	if verify {
		typ, extra = "verify-email", map[string]any{}
	}
	if ru := q.Get("redirect_uri"); ru != "" {
		extra["reduri"] = ru
	}
	link := s.actionTokenURL(s.baseURL(r), rm.name, s.actionToken(rm, issuer, typ, u.id, u.email, clientID, lifespan, extra))
	minutes := lifespan / 60
	var err error
	if verify {
		err = s.sendMail(rm, rm.smtpConfig(), u.email, "email-verification.ftl", "Verify email", verifyEmailText(link, minutes, rm.mailRealmName()), link)
	} else {
		err = s.sendMail(rm, rm.smtpConfig(), u.email, "executeActions.ftl", "Update Your Account", executeActionsText(link, minutes, rm.mailRealmName(), actions), link)
	}
	if err != nil {
		switch {
		case verify:
			writeErrorMessage(w, http.StatusInternalServerError, "Failed to send verify email")
		case err.Error() == errNoSender:
			writeErrorMessage(w, http.StatusInternalServerError, "Failed to send execute actions email: "+errNoSender)
		default:
			writeErrorMessage(w, http.StatusInternalServerError, "Failed to send execute actions email")
		}
		return
	}
	noContent(w)
}

type userSessionRep struct {
	ID            string            `json:"id"`
	Username      string            `json:"username"`
	UserID        string            `json:"userId"`
	IPAddress     string            `json:"ipAddress"`
	Start         int64             `json:"start"`
	LastAccess    int64             `json:"lastAccess"`
	RememberMe    bool              `json:"rememberMe"`
	Clients       map[string]string `json:"clients"`
	TransientUser bool              `json:"transientUser"`
}

func sessionRep(sess *userSession) userSessionRep {
	clients := map[string]string{}
	for id, cs := range sess.clients {
		clients[id] = cs.client.clientID
	}
	return userSessionRep{
		ID: sess.id, Username: sess.user.username, UserID: sess.user.id, IPAddress: sess.ipAddress,
		Start: sess.started.UnixMilli(), LastAccess: sess.lastAccess.UnixMilli(), Clients: clients,
	}
}

// activeSessions returns the realm's live sessions that keep, by start.
func (rm *realm) activeSessions(s *Server, keep func(*userSession) bool) []userSessionRep {
	now := s.now()
	var list []*userSession
	for _, sess := range rm.sessions {
		if sess.active(now) && keep(sess) {
			list = append(list, sess)
		}
	}
	slices.SortFunc(list, func(a, b *userSession) int { return a.started.Compare(b.started) })
	out := make([]userSessionRep, 0, len(list))
	for _, sess := range list {
		out = append(out, sessionRep(sess))
	}
	return out
}

func (s *Server) adminUserSessions(w http.ResponseWriter, _ *http.Request, rm *realm, u *user) {
	writeJSON(w, http.StatusOK, rm.activeSessions(s, func(sess *userSession) bool { return sess.user == u && !sess.offline }))
}

func (s *Server) adminLogoutUser(w http.ResponseWriter, _ *http.Request, rm *realm, u *user) {
	rm.removeUserSessions(u)
	u.notBefore = s.now().Unix()
	noContent(w)
}

// passwordCredentialID is the stable ID kctest gives a user's password.
func passwordCredentialID(u *user) string {
	h := sha256.Sum256([]byte("password:" + u.id))
	return fmt.Sprintf("%x-%x-%x-%x-%x", h[0:4], h[4:6], h[6:8], h[8:10], h[10:16])
}

func (s *Server) adminUserCredentials(w http.ResponseWriter, _ *http.Request, _ *realm, u *user) {
	out := []map[string]any{}
	if u.password != nil {
		out = append(out, map[string]any{
			"id": passwordCredentialID(u), "type": "password", "userLabel": u.password.label,
			"createdDate": u.createdTimestamp, "credentialData": u.password.credentialData(),
		})
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) adminDeleteCredential(w http.ResponseWriter, r *http.Request, _ *realm, u *user) {
	if u.password == nil || r.PathValue("cred") != passwordCredentialID(u) {
		writeGenericError(w, http.StatusNotFound, "Credential not found")
		return
	}
	u.password = nil
	noContent(w)
}

func (s *Server) adminFederated(w http.ResponseWriter, _ *http.Request, rm *realm, u *user) {
	out := []federatedLink{}
	for _, l := range u.federated {
		if rm.findIdP(l.IdentityProvider) != nil {
			out = append(out, l)
		}
	}
	writeJSON(w, http.StatusOK, out)
}

// adminAddFederated links u to an account at an identity provider of the
// realm.
func (s *Server) adminAddFederated(w http.ResponseWriter, r *http.Request, rm *realm, u *user) {
	var in federatedLink
	if !decodeAdminJSON(w, r, &in) {
		return
	}
	// Keycloak: UserResource.addFederatedIdentity stores the link without
	// looking the provider up; getFederatedIdentity lists only links to
	// providers that exist.
	in.IdentityProvider = r.PathValue("provider")
	if slices.ContainsFunc(u.federated, func(l federatedLink) bool { return l.IdentityProvider == in.IdentityProvider }) {
		writeErrorMessage(w, http.StatusConflict, "User is already linked with provider")
		return
	}
	for _, o := range rm.users {
		if slices.ContainsFunc(o.federated, func(l federatedLink) bool { return l.IdentityProvider == in.IdentityProvider && l.UserID == in.UserID }) {
			writeErrorMessage(w, http.StatusConflict, "User is already linked with provider")
			return
		}
	}
	u.federated = append(u.federated, in)
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) adminRemoveFederated(w http.ResponseWriter, r *http.Request, _ *realm, u *user) {
	n := len(u.federated)
	u.federated = slices.DeleteFunc(u.federated, func(l federatedLink) bool { return l.IdentityProvider == r.PathValue("provider") })
	if len(u.federated) == n {
		writeGenericError(w, http.StatusNotFound, "Link not found")
		return
	}
	noContent(w)
}

// adminConsents lists the clients holding offline tokens of u (kctest
// keeps no consent screens).
func (s *Server) adminConsents(w http.ResponseWriter, _ *http.Request, rm *realm, u *user) {
	out := []map[string]any{}
	seen := map[string]bool{}
	for _, sess := range rm.sessions {
		if sess.user != u || !sess.offline {
			continue
		}
		for _, cs := range sess.clients {
			if seen[cs.client.clientID] {
				continue
			}
			seen[cs.client.clientID] = true
			out = append(out, map[string]any{
				"clientId": cs.client.clientID, "grantedClientScopes": strings.Fields(cs.scope),
				"createdDate": cs.started.UnixMilli(), "lastUpdatedDate": cs.started.UnixMilli(),
				"additionalGrants": []map[string]string{{"client": cs.client.clientID, "key": "Offline Token"}},
			})
		}
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) adminRevokeConsent(w http.ResponseWriter, r *http.Request, rm *realm, u *user) {
	c := rm.findClientByClientID(r.PathValue("client"))
	if c == nil {
		writeGenericError(w, http.StatusNotFound, "Client not found")
		return
	}
	found := false
	for id, sess := range rm.sessions {
		if sess.user == u && sess.offline && sess.clients[c.id] != nil {
			delete(rm.sessions, id)
			found = true
		}
	}
	if !found {
		writeGenericError(w, http.StatusNotFound, "Consent nor offline token not found")
		return
	}
	noContent(w)
}

func (s *Server) adminImpersonate(w http.ResponseWriter, r *http.Request, rm *realm, u *user) {
	if !u.enabled {
		writeGenericError(w, http.StatusBadRequest, "User is disabled")
		return
	}
	sess := rm.newUserSession(u, s.now(), adminRemoteIP(r))
	if c := rm.findClientByClientID("account"); c != nil {
		sess.attach(c, "openid", s.now())
	}
	writeJSON(w, http.StatusOK, map[string]any{"sameRealm": false, "redirect": s.issuer(r, rm.name) + "/account"})
}

func adminRemoteIP(r *http.Request) string {
	host := r.RemoteAddr
	if i := strings.LastIndexByte(host, ':'); i >= 0 {
		host = host[:i]
	}
	return strings.Trim(host, "[]")
}

// userGroupsSorted returns u's direct groups whose name contains search.
func userGroupsSorted(u *user, search string) []*group {
	var out []*group
	for _, g := range u.groups {
		if search == "" || strings.Contains(strings.ToLower(g.name), strings.ToLower(search)) {
			out = append(out, g)
		}
	}
	slices.SortFunc(out, func(a, b *group) int { return strings.Compare(a.path(), b.path()) })
	return out
}

func (s *Server) adminUserGroups(w http.ResponseWriter, r *http.Request, _ *realm, u *user) {
	groups := userGroupsSorted(u, r.URL.Query().Get("search"))
	first, end := page(r, len(groups), 100)
	brief := boolParam(r, "briefRepresentation", true)
	out := make([]adminGroupRep, 0, end-first)
	for _, g := range groups[first:end] {
		out = append(out, adminGroup(g, brief, false))
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) adminUserGroupCount(w http.ResponseWriter, r *http.Request, _ *realm, u *user) {
	writeJSON(w, http.StatusOK, map[string]int{"count": len(userGroupsSorted(u, r.URL.Query().Get("search")))})
}

func (s *Server) adminJoinGroup(w http.ResponseWriter, r *http.Request, rm *realm, u *user) {
	g := rm.groups[r.PathValue("group")]
	if g == nil {
		writeGenericError(w, http.StatusNotFound, "Group not found")
		return
	}
	u.joinGroup(g)
	noContent(w)
}

func (s *Server) adminLeaveGroup(w http.ResponseWriter, r *http.Request, rm *realm, u *user) {
	g := rm.groups[r.PathValue("group")]
	if g == nil {
		writeGenericError(w, http.StatusNotFound, "Group not found")
		return
	}
	u.leaveGroup(g)
	noContent(w)
}
