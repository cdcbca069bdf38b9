package kctest

import (
	"mime"
	"net/http"
	"strings"
)

// handleUserInfo is GET|POST /realms/{realm}/protocol/openid-connect/userinfo.
// Errors are RFC 6750 WWW-Authenticate challenges without a body (Keycloak
// 19.0.2 and newer).
func (s *Server) handleUserInfo(w http.ResponseWriter, r *http.Request) {
	// Any origin may read the errors until the token names its client;
	// from then on the client's web origins decide, as in Keycloak.
	cors := corsFrom(r.Context())
	cors.allowAll()
	var tok string
	sources := 0
	if h := r.Header.Get("Authorization"); h != "" {
		if scheme, rest, ok := strings.Cut(h, " "); ok && strings.EqualFold(scheme, "Bearer") {
			tok = strings.TrimSpace(rest)
			sources++
		}
	}
	if r.Method == http.MethodPost {
		if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt == "application/x-www-form-urlencoded" {
			form, err := parseForm(w, r)
			if err == nil && form.Get("access_token") != "" {
				tok = form.Get("access_token")
				sources++
			}
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	rm := s.lookupRealm(w, r)
	if rm == nil {
		return
	}
	challenge := `Bearer realm="` + rm.name + `"`
	deny := func(status int, code, desc string) {
		h := challenge
		if code != "" {
			h += `, error="` + code + `"`
			if desc != "" {
				h += `, error_description="` + desc + `"`
			}
		}
		w.Header().Set("WWW-Authenticate", h)
		w.WriteHeader(status)
	}
	switch {
	case sources == 0:
		deny(http.StatusUnauthorized, "", "")
		return
	case sources > 1:
		deny(http.StatusBadRequest, "invalid_request", "Token provided in multiple ways")
		return
	}
	now := s.now()
	tc := s.checkAccessToken(rm, tok, now)
	if tc.client != nil {
		cors.allowClient(tc.client)
	}
	if !tc.active() {
		desc := "Token verification failed"
		switch tc.reason {
		case "Session not active":
			desc = "User session not found or doesn't have client attached on it"
		case "Stale token", "User disabled":
			desc = tc.reason
		}
		deny(http.StatusUnauthorized, "invalid_token", desc)
		return
	}
	if tc.claims.str("typ") != typBearer {
		deny(http.StatusUnauthorized, "invalid_token", "Token verification failed")
		return
	}
	scope := tc.claims.str("scope")
	if !hasScope(scope, "openid") {
		deny(http.StatusForbidden, "insufficient_scope", "Missing openid scope")
		return
	}
	if tc.session != nil {
		tc.session.lastAccess = now
	}
	out, err := rm.userInfoClaims(tc)
	if err != nil {
		s.logError(rm, err)
		writeError(w, err)
		return
	}
	// UserInfoEndpoint.issueUserInfo: a USER_INFO_REQUEST event.
	ev := newEventRecorder("USER_INFO_REQUEST", remoteHost(r)).user(tc.user).detail("auth_method", "validate_access_token")
	ev.clientID, ev.sessionID = tc.client.clientID, tc.claims.str("sid")
	s.record(rm, ev, true)
	if alg := tc.client.attributes["user.info.response.signature.alg"]; alg != "" {
		// Keycloak: UserInfoEndpoint.issueUserInfo. A client that asks for
		// signed userinfo gets a JWT carrying iss and aud, signed with the
		// realm's active key for that algorithm.
		out["iss"] = tc.claims.str("iss")
		out["aud"] = tc.client.clientID
		signed, err := rm.signWith(alg, out)
		if err != nil {
			s.logError(rm, err)
			writeOAuthError(w, http.StatusInternalServerError, "unknown_error", "For more on this error consult the server log.")
			return
		}
		w.Header().Set("Content-Type", "application/jwt")
		_, _ = w.Write([]byte(signed))
		return
	}
	writeJSON(w, http.StatusOK, out)
}
