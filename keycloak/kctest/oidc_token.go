package kctest

import (
	"errors"
	"maps"
	"net"
	"net/http"
	"net/url"
	"time"
)

// tokenRequest is one call of the token endpoint, passed to a grant.
type tokenRequest struct {
	r      *http.Request
	rm     *realm
	form   url.Values
	issuer string
	now    time.Time
	// client is the authenticated client (nil for a grant that
	// authenticates itself).
	client *client
	auth   clientAuth
	// ev is the request's event (events.go).
	ev *eventRecorder
}

// remoteIP is the caller's address without the port.
func (tr *tokenRequest) remoteIP() string {
	host, _, err := net.SplitHostPort(tr.r.RemoteAddr)
	if err != nil {
		return tr.r.RemoteAddr
	}
	return host
}

// grantType handles one grant_type of the token endpoint.
type grantType struct {
	// selfAuth skips the endpoint's client authentication (the UMA grant
	// accepts a bearer token instead); the grant calls
	// Server.authenticateClient itself when it needs to.
	selfAuth bool
	// handle returns the response body (sent as 200 JSON) or an error
	// (an *oauthError is sent as such).
	handle func(tr *tokenRequest) (any, error)
}

// registerGrant adds a grant type to the token endpoint. The
// authorization-services area registers the UMA grant this way.
func (s *Server) registerGrant(name string, g *grantType) { s.grants[name] = g }

// handleToken is POST /realms/{realm}/protocol/openid-connect/token. The
// checks run in Keycloak's order: realm, grant_type, client
// authentication, duplicated parameters, then the grant.
func (s *Server) handleToken(w http.ResponseWriter, r *http.Request) {
	noStore(w)
	s.withClientForm(w, r, s.token)
}

func (s *Server) token(w http.ResponseWriter, r *http.Request, form url.Values, ca clientAuth, rm *realm) {
	now := s.now()
	rm.pruneExpired(now)
	if !rm.enabled {
		corsFrom(r.Context()).allowAll()
		writeOAuthError(w, http.StatusForbidden, "access_denied", "Realm not enabled")
		return
	}
	gt := form.Get("grant_type")
	if gt == "" {
		writeOAuthError(w, http.StatusBadRequest, "invalid_request", "Missing form parameter: grant_type")
		return
	}
	g := s.grants[gt]
	if g == nil {
		writeOAuthError(w, http.StatusBadRequest, "unsupported_grant_type", "Unsupported grant_type")
		return
	}
	tr := &tokenRequest{r: r, rm: rm, form: form, issuer: s.issuer(r, rm.name), now: now, auth: ca}
	// TokenEndpoint.checkGrantType: the grant's event type and grant_type.
	tr.ev = newEventRecorder(grantEventTypes[gt], tr.remoteIP()).detail("grant_type", gt)
	if tr.ev.typ == "" {
		tr.ev = nil
	}
	if !g.selfAuth {
		c, err := s.authenticateClient(rm, r, form, tr.issuer, now, ca)
		if err != nil {
			if tr.ev != nil {
				tr.ev.clientID = requestClientID(r, form)
				tr.ev.fail(clientAuthEventError(rm, tr.ev.clientID))
				s.record(rm, tr.ev, false)
			}
			writeError(w, err)
			return
		}
		if tr.ev != nil {
			tr.ev.clientID = c.clientID
			tr.ev.detail("client_auth_method", clientAuthMethod(c, form))
		}
		if c.bearerOnly {
			writeOAuthError(w, http.StatusBadRequest, "invalid_client", "Bearer-only not allowed")
			return
		}
		tr.client = c
	}
	if err := checkDuplicates(form); err != nil {
		writeError(w, err)
		return
	}
	resp, err := g.handle(tr)
	if err != nil {
		s.logError(rm, err)
		if tr.ev != nil {
			var oe *oauthError
			if errors.As(err, &oe) {
				tr.ev.fail(grantEventErrors[gt])
				tr.ev.fail(oe.code)
			}
			s.record(rm, tr.ev, false)
		}
		writeError(w, err)
		return
	}
	if tr.ev != nil {
		if tr.ev.clientID == "" && tr.client != nil {
			tr.ev.clientID = tr.client.clientID
		}
		if tresp, ok := resp.(*tokenResponse); ok {
			if tr.ev.userID == "" {
				tr.ev.userID = tokenSubject(tresp.AccessToken)
			}
			tr.ev.tokenDetails(tresp)
		}
		s.record(rm, tr.ev, true)
	}
	writeJSON(w, http.StatusOK, resp)
}

// wantsOffline reports whether the request asks for an offline token and
// the user may have one.
func (rm *realm) wantsOffline(u *user, scope string) bool {
	return hasScope(scope, "offline_access") && rm.hasRole(u, "", "offline_access")
}

// makeOffline turns sess into an offline session.
func (rm *realm) makeOffline(sess *userSession) {
	sess.offline = true
	sess.idle = rm.offlineSessionIdleTimeout
	sess.max = 5184000
}

// grantPassword is the resource owner password credentials grant.
func (s *Server) grantPassword(tr *tokenRequest) (any, error) {
	rm, c := tr.rm, tr.client
	if !c.directAccessGrants {
		return nil, newOAuthError(http.StatusBadRequest, "unauthorized_client", "Client not allowed for direct access grants")
	}
	if c.consentRequired {
		return nil, newOAuthError(http.StatusBadRequest, "invalid_client", "Client requires user consent")
	}
	scope := tr.form.Get("scope")
	scopes, err := rm.resolveScopes(c, scope)
	if err != nil {
		return nil, err
	}
	username := tr.form.Get("username")
	if username == "" {
		return nil, newOAuthError(http.StatusUnauthorized, "invalid_request", "Missing parameter: username")
	}
	// The direct grant flow: ValidateUsername, then ValidatePassword.
	tr.ev.detail("auth_method", "openid-connect").detail("username", username)
	u := rm.findUserForLogin(username)
	if u == nil || u.serviceAccountClient != nil {
		if u == nil {
			tr.ev.fail("user_not_found")
		} else {
			tr.ev.detail("reason", "User is a service account")
			tr.ev.fail("invalid_user")
		}
		return nil, newOAuthError(http.StatusUnauthorized, "invalid_grant", "Invalid user credentials")
	}
	tr.ev.user(u)
	// AuthenticatorUtils.getDisabledByBruteForceEventError: a locked user
	// gets the wrong-credentials answer, and the attempt is not counted.
	if bf := rm.bruteForceError(u, tr.now); bf != "" {
		tr.ev.fail(bf)
		return nil, newOAuthError(http.StatusBadRequest, "invalid_grant", "Invalid user credentials")
	}
	if !u.enabled {
		tr.ev.fail("user_disabled")
		return nil, newOAuthError(http.StatusBadRequest, "invalid_grant", "Account disabled")
	}
	if !u.checkPassword(tr.form.Get("password")) {
		s.loginFailed(rm, u, tr.remoteIP(), tr.now) // AuthenticationProcessor.logFailure
		tr.ev.fail("invalid_user_credentials")
		return nil, newOAuthError(http.StatusUnauthorized, "invalid_grant", "Invalid user credentials")
	}
	if len(u.requiredActions) > 0 {
		tr.ev.detail("reason", "Account is not fully set up")
		tr.ev.fail("resolve_required_actions")
		return nil, newOAuthError(http.StatusBadRequest, "invalid_grant", "Account is not fully set up")
	}
	rm.loginSucceeded(u) // AuthenticationManager.logSuccess
	sess := rm.newUserSession(u, tr.now, tr.remoteIP())
	offline := rm.wantsOffline(u, scope)
	if offline {
		rm.makeOffline(sess)
	}
	return s.issueTokens(&tokenParams{rm: rm, issuer: tr.issuer, client: c, user: u, session: sess,
		scopes: scopes, now: tr.now, refresh: true, offline: offline})
}

// grantClientCredentials issues a service-account token. By default it is
// stateless: no session, no refresh token; the client attribute
// client_credentials.use_refresh_token=true turns both on.
func (s *Server) grantClientCredentials(tr *tokenRequest) (any, error) {
	rm, c := tr.rm, tr.client
	if c.publicClient {
		return nil, newOAuthError(http.StatusUnauthorized, "unauthorized_client", "Public client not allowed to retrieve service account")
	}
	if !c.serviceAccounts || c.serviceAccountUser == nil {
		return nil, newOAuthError(http.StatusUnauthorized, "unauthorized_client", "Client not enabled to retrieve service account")
	}
	u := c.serviceAccountUser
	tr.ev.user(u).detail("username", u.username)
	if !u.enabled {
		return nil, newOAuthError(http.StatusUnauthorized, "invalid_request", "User '"+u.username+"' disabled")
	}
	scopes, err := rm.resolveScopes(c, tr.form.Get("scope"))
	if err != nil {
		return nil, err
	}
	useRefresh := c.attrTrue("client_credentials.use_refresh_token")
	// ClientCredentialsGrantType: the session notes the service_account
	// scope's mappers read.
	notes := map[string]string{noteClientID: c.clientID, noteClientHost: tr.remoteIP(), noteClientAddress: tr.remoteIP()}
	var sess *userSession
	if useRefresh {
		sess = rm.newUserSession(u, tr.now, tr.remoteIP())
		maps.Copy(sess.notes, notes)
	}
	return s.issueTokens(&tokenParams{rm: rm, issuer: tr.issuer, client: c, user: u, session: sess,
		scopes: scopes, now: tr.now, refresh: useRefresh, notes: notes})
}

// grantRefreshToken exchanges a refresh token for new tokens.
func (s *Server) grantRefreshToken(tr *tokenRequest) (any, error) {
	rm, c := tr.rm, tr.client
	rt := tr.form.Get("refresh_token")
	if rt == "" {
		return nil, newOAuthError(http.StatusBadRequest, "invalid_request", "No refresh token")
	}
	if jti, _ := tokenIDs(rt); jti != "" {
		tr.ev.detail("refresh_token_id", jti)
	}
	tc, ok := s.checkRefreshToken(rm, rt, tr.now)
	if !ok {
		return nil, newOAuthError(http.StatusBadRequest, "invalid_grant", "Invalid refresh token")
	}
	typ := tc.claims.str("typ")
	if typ != typRefresh && typ != typOffline {
		return nil, newOAuthError(http.StatusBadRequest, "invalid_grant", "Invalid refresh token")
	}
	if tc.claims.str("azp") != c.clientID {
		return nil, newOAuthError(http.StatusBadRequest, "invalid_grant", "Invalid refresh token. Token client and authorized client don't match")
	}
	if !tc.active() {
		return nil, newOAuthError(http.StatusBadRequest, "invalid_grant", tc.reason)
	}
	scopes, err := rm.narrowScopes(c, tc.claims.str("scope"), tr.form.Get("scope"))
	if err != nil {
		return nil, err
	}
	tc.session.lastAccess = tr.now
	resp, err := s.issueTokens(&tokenParams{rm: rm, issuer: tr.issuer, client: c, user: tc.user, session: tc.session,
		scopes: scopes, now: tr.now, refresh: true, offline: typ == typOffline})
	if err != nil {
		return nil, err
	}
	return s.keepAuthorization(rm, tc.claims, resp) // authz_grant.go: a refreshed RPT keeps its permissions
}
