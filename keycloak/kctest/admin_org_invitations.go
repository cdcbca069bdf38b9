package kctest

import (
	"net/http"
	"net/mail"
	"net/url"
	"slices"
	"strings"
)

// orgInvitation is an OrganizationInvitationModel (Keycloak 26.6): the
// record of an invitation to join an organization, kept until it is
// deleted, resent or accepted.
type orgInvitation struct {
	id                         string
	email, firstName, lastName string
	createdAt, expiresAt       int64 // Unix seconds
	inviteLink                 string
}

func (s *Server) orgInvitationRep(o *organization, inv *orgInvitation) map[string]any {
	m := map[string]any{"id": inv.id, "organizationId": o.id, "email": inv.email, "sentDate": inv.createdAt,
		"expiresAt": inv.expiresAt, "inviteLink": inv.inviteLink, "status": s.invitationStatus(inv)}
	if inv.firstName != "" {
		m["firstName"] = inv.firstName
	}
	if inv.lastName != "" {
		m["lastName"] = inv.lastName
	}
	return m
}

// invitationStatus is PENDING until expiresAt, then EXPIRED.
func (s *Server) invitationStatus(inv *orgInvitation) string {
	if s.now().Unix() >= inv.expiresAt {
		return "EXPIRED"
	}
	return "PENDING"
}

func (s *Server) registerAdminOrgInvitations(mux *http.ServeMux, one string,
	withOrg func(perm adminPerm, h func(w http.ResponseWriter, r *http.Request, rm *realm, o *organization)) http.HandlerFunc) {
	inv := one + "/invitations"
	s.handle(mux, "GET", inv, withOrg(permViewRealm, func(w http.ResponseWriter, r *http.Request, _ *realm, o *organization) {
		// Keycloak: OrganizationInvitationResource.getInvitations and the
		// JPA InvitationManager's filters (status, email exact, search in
		// email and names, firstName, lastName), oldest first.
		q := r.URL.Query()
		var list []*orgInvitation
		for _, x := range o.invitations {
			if v, ok := q["status"]; ok && !strings.EqualFold(v[0], s.invitationStatus(x)) {
				continue
			}
			if v, ok := q["email"]; ok && !strings.EqualFold(v[0], x.email) {
				continue
			}
			if v, ok := q["firstName"]; ok && !strings.EqualFold(v[0], x.firstName) {
				continue
			}
			if v, ok := q["lastName"]; ok && !strings.EqualFold(v[0], x.lastName) {
				continue
			}
			if v, ok := q["search"]; ok && !searchMatches("*"+strings.Trim(v[0], "*")+"*", x.email, x.firstName, x.lastName) {
				continue
			}
			list = append(list, x)
		}
		first, end := page(r, len(list), -1)
		out := make([]map[string]any, 0, end-first)
		for _, x := range list[first:end] {
			out = append(out, s.orgInvitationRep(o, x))
		}
		writeJSON(w, http.StatusOK, out)
	}))
	withInvitation := func(perm adminPerm, h func(w http.ResponseWriter, r *http.Request, rm *realm, o *organization, x *orgInvitation)) http.HandlerFunc {
		return withOrg(perm, func(w http.ResponseWriter, r *http.Request, rm *realm, o *organization) {
			i := slices.IndexFunc(o.invitations, func(x *orgInvitation) bool { return x.id == r.PathValue("inv") })
			if i < 0 {
				writeErrorMessage(w, http.StatusNotFound, "Invitation not found")
				return
			}
			h(w, r, rm, o, o.invitations[i])
		})
	}
	s.handle(mux, "GET", inv+"/{inv}", withInvitation(permViewRealm, func(w http.ResponseWriter, _ *http.Request, _ *realm, o *organization, x *orgInvitation) {
		writeJSON(w, http.StatusOK, s.orgInvitationRep(o, x))
	}))
	s.handle(mux, "DELETE", inv+"/{inv}", withInvitation(permManageRealm, func(w http.ResponseWriter, _ *http.Request, _ *realm, o *organization, x *orgInvitation) {
		o.dropInvitation(x)
		noContent(w)
	}))
	s.handle(mux, "POST", inv+"/{inv}/resend", withInvitation(permManageRealm, func(w http.ResponseWriter, r *http.Request, rm *realm, o *organization, x *orgInvitation) {
		// Keycloak: resendInvitation removes the invitation and invites
		// its address again.
		o.dropInvitation(x)
		s.inviteUser(w, r, rm, o, x.email, x.firstName, x.lastName)
	}))
	s.handle(mux, "POST", one+"/members/invite-user", withOrg(permManageUsers, func(w http.ResponseWriter, r *http.Request, rm *realm, o *organization) {
		form, ok := readOrgForm(w, r)
		if !ok {
			return
		}
		s.inviteUser(w, r, rm, o, form.Get("email"), form.Get("firstName"), form.Get("lastName"))
	}))
	s.handle(mux, "POST", one+"/members/invite-existing-user", withOrg(permManageUsers, func(w http.ResponseWriter, r *http.Request, rm *realm, o *organization) {
		// Keycloak: OrganizationInvitationResource.inviteExistingUser.
		form, ok := readOrgForm(w, r)
		if !ok {
			return
		}
		id := form.Get("id")
		if strings.TrimSpace(id) == "" {
			writeGenericError(w, http.StatusBadRequest, "To invite a member you need to provide the user id")
			return
		}
		u := rm.users[id]
		if u == nil {
			writeErrorMessage(w, http.StatusBadRequest, "User does not exist")
			return
		}
		s.sendInvitation(w, r, rm, o, u.email, u.firstName, u.lastName, u)
	}))
}

func (o *organization) dropInvitation(x *orgInvitation) {
	o.invitations = slices.DeleteFunc(o.invitations, func(y *orgInvitation) bool { return y == x })
}

// readOrgForm reads the form body of invite-user and invite-existing-user
// (@Consumes application/x-www-form-urlencoded: another type is 415).
func readOrgForm(w http.ResponseWriter, r *http.Request) (url.Values, bool) {
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(strings.ToLower(ct), "application/x-www-form-urlencoded") {
		writeGenericError(w, http.StatusUnsupportedMediaType, "HTTP 415 Unsupported Media Type")
		return nil, false
	}
	b, err := readAllLimited(r.Body)
	if err != nil {
		writeGenericError(w, http.StatusBadRequest, "unknown_error")
		return nil, false
	}
	form, err := url.ParseQuery(string(b))
	if err != nil {
		writeGenericError(w, http.StatusBadRequest, "unknown_error")
		return nil, false
	}
	return form, true
}

// inviteUser is OrganizationInvitationResource.inviteUser: an address
// with a pending invitation is refused, an expired one replaced; an
// existing user gets an invitation link, an unknown address a
// registration link.
func (s *Server) inviteUser(w http.ResponseWriter, r *http.Request, rm *realm, o *organization, email, firstName, lastName string) {
	if strings.TrimSpace(email) == "" {
		writeErrorMessage(w, http.StatusBadRequest, "Email is required to invite a member")
		return
	}
	email = strings.ToLower(strings.TrimSpace(email))
	if a, err := mail.ParseAddress(email); err != nil || a.Address != email || a.Name != "" {
		writeErrorMessage(w, http.StatusBadRequest, "Invalid email format")
		return
	}
	if i := slices.IndexFunc(o.invitations, func(x *orgInvitation) bool { return x.email == email }); i >= 0 {
		if s.invitationStatus(o.invitations[i]) == "PENDING" {
			writeErrorMessage(w, http.StatusConflict, "User already has a pending invitation")
			return
		}
		o.dropInvitation(o.invitations[i])
	}
	if u := rm.findUserByEmail(email); u != nil {
		if slices.ContainsFunc(rm.liveMembers(o), func(m *orgMember) bool { return m.user == u }) {
			writeErrorMessage(w, http.StatusConflict, "User already a member of the organization")
			return
		}
		s.sendInvitation(w, r, rm, o, u.email, u.firstName, u.lastName, u)
		return
	}
	if firstName == "" || lastName == "" {
		// Keycloak sets the names of the new user only as a pair.
		firstName, lastName = "", ""
	}
	s.sendInvitation(w, r, rm, o, email, firstName, lastName, nil)
}

// sendInvitation records the invitation and captures the mail Keycloak
// sends (org-invite.ftl); u is nil for an address without a user, who
// gets a registration link.
func (s *Server) sendInvitation(w http.ResponseWriter, r *http.Request, rm *realm, o *organization, email, firstName, lastName string, u *user) {
	now := s.now().Unix()
	lifespan := rm.adminLifespan()
	x := &orgInvitation{id: newID(), email: email, firstName: firstName, lastName: lastName, createdAt: now, expiresAt: now + lifespan}
	issuer := s.issuer(r, rm.name)
	redirect := o.redirectURL
	if redirect == "" {
		redirect = s.baseURL(r) + "/realms/" + escapeSegment(rm.name) + "/account/"
	}
	sub := ""
	if u != nil {
		sub = u.id
	}
	// InviteOrgActionToken: type ORGIVT, the organization and the
	// invitation's id as jti.
	token := s.actionToken(rm, issuer, "ORGIVT", sub, email, "account", lifespan, map[string]any{"org_id": o.id, "jti": x.id, "reduri": redirect})
	if u != nil {
		x.inviteLink = s.actionTokenURL(s.baseURL(r), rm.name, token)
	} else {
		x.inviteLink = s.baseURL(r) + "/realms/" + escapeSegment(rm.name) + "/protocol/openid-connect/registrations?response_type=code&client_id=account&token=" + token
	}
	o.invitations = append(o.invitations, x)
	text := orgInviteText(x.inviteLink, lifespan/60, o.name, firstName, lastName)
	if err := s.sendMail(rm, rm.smtpConfig(), email, "org-invite.ftl", "Invitation to join the "+o.name+" organization", text, x.inviteLink); err != nil {
		// A 5xx answer rolls Keycloak's transaction back: no record.
		o.dropInvitation(x)
		writeErrorMessage(w, http.StatusInternalServerError, "Failed to send invite email")
		return
	}
	noContent(w)
}
