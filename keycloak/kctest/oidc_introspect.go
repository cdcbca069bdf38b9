package kctest

import (
	"html/template"
	"net/http"
	"net/url"
	"strings"
)

// inspectToken verifies an access token (RS256) or a refresh token (HS512)
// of rm.
func (s *Server) inspectToken(rm *realm, tok string, r *http.Request) *tokenCheck {
	now := s.now()
	t, err := parseJWT(tok)
	if err != nil {
		return &tokenCheck{reason: "Invalid token"}
	}
	if strings.HasPrefix(t.alg(), "HS") {
		tc, _ := s.checkRefreshToken(rm, tok, now)
		return tc
	}
	return s.checkAccessToken(rm, tok, now)
}

// handleIntrospect is POST /realms/{realm}/protocol/openid-connect/token/introspect.
func (s *Server) handleIntrospect(w http.ResponseWriter, r *http.Request) {
	s.withClientForm(w, r, s.introspect)
}

func (s *Server) introspect(w http.ResponseWriter, r *http.Request, form url.Values, ca clientAuth, rm *realm) {
	now := s.now()
	c, err := s.authenticateClient(rm, r, form, s.issuer(r, rm.name), now, ca)
	if err != nil {
		writeOAuthError(w, http.StatusUnauthorized, "invalid_request", "Authentication failed.")
		return
	}
	if c.publicClient {
		writeOAuthError(w, http.StatusForbidden, "invalid_request", "Client not allowed.")
		return
	}
	tok := form.Get("token")
	if tok == "" {
		writeOAuthError(w, http.StatusBadRequest, "invalid_request", "Token not provided.")
		return
	}
	switch hint := form.Get("token_type_hint"); hint {
	case "", "access_token", "refresh_token", "requesting_party_token":
	default:
		writeOAuthError(w, http.StatusBadRequest, "invalid_request", "Unsupported token type ["+hint+"].")
		return
	}
	tc := s.inspectToken(rm, tok, r)
	if !tc.active() {
		writeJSON(w, http.StatusOK, map[string]bool{"active": false})
		return
	}
	if form.Get("token_type_hint") == "requesting_party_token" {
		writeJSON(w, http.StatusOK, rptIntrospection(tc)) // authz_grant.go
		return
	}
	out := claims{}
	if tc.claims.str("typ") == typBearer {
		var err error
		if out, err = rm.introspectionClaims(tc); err != nil {
			s.logError(rm, err)
			writeError(w, err)
			return
		}
	} else {
		for k, v := range tc.claims {
			out[k] = v
		}
	}
	out["client_id"] = tc.claims.str("azp")
	if u, ok := out["preferred_username"].(string); ok {
		out["username"] = u
	} else {
		out["username"] = tc.user.username
	}
	out["token_type"] = tc.claims.str("typ")
	out["active"] = true
	ev := newEventRecorder("INTROSPECT_TOKEN", remoteHost(r)).user(tc.user)
	ev.clientID, ev.sessionID = c.clientID, tc.claims.str("sid")
	s.record(rm, ev, true)
	writeJSON(w, http.StatusOK, out)
}

// handleRevoke is POST /realms/{realm}/protocol/openid-connect/revoke
// (RFC 7009). Revoking a refresh token removes the client session;
// revoking an access token blocklists its jti.
func (s *Server) handleRevoke(w http.ResponseWriter, r *http.Request) {
	s.withClientForm(w, r, s.revoke)
}

func (s *Server) revoke(w http.ResponseWriter, r *http.Request, form url.Values, ca clientAuth, rm *realm) {
	c, err := s.authenticateClient(rm, r, form, s.issuer(r, rm.name), s.now(), ca)
	if err != nil {
		writeError(w, err)
		return
	}
	if err := checkDuplicates(form); err != nil {
		writeError(w, err)
		return
	}
	tok := form.Get("token")
	if tok == "" {
		writeOAuthError(w, http.StatusBadRequest, "invalid_request", "Token not provided")
		return
	}
	invalid := func() { writeOAuthError(w, http.StatusOK, "invalid_token", "Invalid token") }
	t, err := parseJWT(tok)
	if err != nil {
		invalid()
		return
	}
	switch typ := t.claims.str("typ"); typ {
	case typBearer, typRefresh, typOffline:
	default:
		writeOAuthError(w, http.StatusBadRequest, "unsupported_token_type", "Unsupported token type")
		return
	}
	tc := s.inspectToken(rm, tok, r)
	if tc.claims == nil {
		invalid()
		return
	}
	if tc.claims.str("azp") != c.clientID {
		writeOAuthError(w, http.StatusBadRequest, "invalid_request", "Unmatching clients")
		return
	}
	if !tc.active() {
		invalid()
		return
	}
	// TokenRevocationEndpoint: a REVOKE_GRANT event.
	ev := newEventRecorder("REVOKE_GRANT", remoteHost(r)).user(tc.user)
	ev.clientID = c.clientID
	if typ := tc.claims.str("typ"); typ == typBearer {
		rm.revokedJTI[tc.claims.str("jti")] = unixTime(tc.claims.num("exp"))
		ev.detail("token_id", tc.claims.str("jti"))
	} else {
		if tc.session != nil {
			delete(tc.session.clients, c.id)
		}
		ev.detail("revoked_client", c.clientID).detail("refresh_token_id", tc.claims.str("jti")).detail("refresh_token_type", typ)
		ev.sessionID = tc.claims.str("sid")
	}
	s.record(rm, ev, true)
	w.WriteHeader(http.StatusOK)
}

var loggedOutPage = template.Must(template.New("out").Parse(`<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Signing out</title></head>
<body><h1>You are logged out</h1></body></html>
`))

// handleLogout is GET|POST /realms/{realm}/protocol/openid-connect/logout.
// A POST carrying refresh_token is the programmatic logout (204); anything
// else is the browser RP-initiated logout.
func (s *Server) handleLogout(w http.ResponseWriter, r *http.Request) {
	params := r.URL.Query()
	var form url.Values
	if r.Method == http.MethodPost {
		var err error
		if form, err = parseForm(w, r); err != nil {
			writeError(w, err)
			return
		}
	}
	if _, ok := form["refresh_token"]; ok {
		s.logoutToken(w, r, form)
		return
	}
	for k, vs := range form {
		params[k] = vs
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	rm := s.lookupRealm(w, r)
	if rm == nil {
		return
	}
	htmlErr := func(msg string) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(http.StatusBadRequest)
		_ = errorPage.Execute(w, msg)
	}
	if params.Get("redirect_uri") != "" {
		htmlErr("Invalid parameter: redirect_uri")
		return
	}
	// The browser's SSO session ends, whatever else is sent, with a LOGOUT
	// event (AuthenticationManager.backchannelLogout).
	if ck, err := r.Cookie(ssoCookie); err == nil {
		if sess := rm.sessions[ck.Value]; sess != nil {
			ev := newEventRecorder("LOGOUT", remoteHost(r)).user(sess.user)
			ev.sessionID = sess.id
			s.record(rm, ev, true)
		}
		delete(rm.sessions, ck.Value)
	}
	http.SetCookie(w, &http.Cookie{Name: ssoCookie, Value: "", Path: s.ssoCookiePath(rm.name), MaxAge: -1, HttpOnly: true})
	var c *client
	if hint := params.Get("id_token_hint"); hint != "" {
		t, err := parseJWT(hint)
		k := (*realmKey)(nil)
		if err == nil {
			k = rm.keyByKid(t.kid())
		}
		if k == nil || !verifyPublic(t, &k.key.priv.PublicKey) || t.claims.str("typ") != typID {
			htmlErr("Invalid IDToken")
			return
		}
		c = rm.findClientByClientID(t.claims.str("azp"))
		delete(rm.sessions, t.claims.str("sid"))
	}
	if cid := params.Get("client_id"); cid != "" {
		c = rm.findClientByClientID(cid)
	}
	if pl := params.Get("post_logout_redirect_uri"); pl != "" {
		if c == nil {
			htmlErr("Either the parameter client_id or the parameter id_token_hint is required when post_logout_redirect_uri is used.")
			return
		}
		allowed := false
		for _, p := range strings.Split(c.attributes["post.logout.redirect.uris"], "##") {
			if p == "+" {
				allowed = allowed || c.redirectAllowed(pl)
			} else if p != "" && (p == pl || strings.HasSuffix(p, "*") && strings.HasPrefix(pl, strings.TrimSuffix(p, "*"))) {
				allowed = true
			}
		}
		if _, set := c.attributes["post.logout.redirect.uris"]; !set {
			allowed = c.redirectAllowed(pl)
		}
		if !allowed {
			htmlErr("Invalid redirect uri")
			return
		}
		u, err := url.Parse(pl)
		if err != nil {
			htmlErr("Invalid redirect uri")
			return
		}
		if st := params.Get("state"); st != "" {
			u = withParams(u, url.Values{"state": {st}}, false)
		}
		http.Redirect(w, r, u.String(), http.StatusFound)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_ = loggedOutPage.Execute(w, nil)
}

// logoutToken is the programmatic logout: refresh_token plus client auth.
func (s *Server) logoutToken(w http.ResponseWriter, r *http.Request, form url.Values) {
	s.withClientAuth(w, r, form, s.logoutWithToken)
}

func (s *Server) logoutWithToken(w http.ResponseWriter, r *http.Request, form url.Values, ca clientAuth, rm *realm) {
	now := s.now()
	c, err := s.authenticateClient(rm, r, form, s.issuer(r, rm.name), now, ca)
	if err != nil {
		writeError(w, err)
		return
	}
	rt := form.Get("refresh_token")
	if rt == "" {
		writeOAuthError(w, http.StatusBadRequest, "invalid_request", "No refresh token")
		return
	}
	tc, ok := s.checkRefreshToken(rm, rt, now)
	if !ok || (tc.claims.str("typ") != typRefresh && tc.claims.str("typ") != typOffline) {
		writeOAuthError(w, http.StatusBadRequest, "invalid_grant", "Invalid refresh token")
		return
	}
	if tc.claims.str("azp") != c.clientID {
		writeOAuthError(w, http.StatusBadRequest, "invalid_grant", "Unmatching clients")
		return
	}
	if tc.reason == "Token is not active" || tc.reason == "Stale token" {
		writeOAuthError(w, http.StatusBadRequest, "invalid_grant", "Invalid refresh token")
		return
	}
	// LogoutEndpoint.logoutToken: a LOGOUT event for the session.
	ev := newEventRecorder("LOGOUT", remoteHost(r)).user(tc.user)
	ev.clientID, ev.sessionID = c.clientID, tc.claims.str("sid")
	s.record(rm, ev, true)
	delete(rm.sessions, tc.claims.str("sid"))
	w.WriteHeader(http.StatusNoContent)
}
