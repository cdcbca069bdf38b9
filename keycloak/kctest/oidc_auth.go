package kctest

import (
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// authLogin is the authentication input and output of authorize.
type authLogin struct {
	creds *[2]string   // username and password from the login form
	sso   *userSession // the browser's SSO session (cookie), if any
	ip    string
	sess  *userSession // set on success: the session the code belongs to
}

// ssoCookie is the cookie holding the browser's SSO session id.
const ssoCookie = "KEYCLOAK_SESSION"

// ssoCookiePath scopes the SSO cookie to one realm.
func (s *Server) ssoCookiePath(realmName string) string {
	return s.basePath + "/realms/" + url.PathEscape(realmName) + "/"
}

// authPageError is an authorization error Keycloak shows as an HTML page
// instead of redirecting (unknown client, bad redirect_uri).
type authPageError struct {
	status int
	msg    string
}

func (e *authPageError) Error() string { return e.msg }

// loginFailure is a failed login on the form.
type loginFailure struct{ msg string }

func (e *loginFailure) Error() string { return e.msg }

var pkceRE = regexp.MustCompile(`^[A-Za-z0-9\-._~]{43,128}$`)

// knownResponseTypes are the response types Keycloak recognises; only
// "code" is served.
var knownResponseTypes = map[string]bool{
	"code": true, "token": true, "id_token": true, "id_token token": true, "token id_token": true,
	"code id_token": true, "id_token code": true, "code token": true, "token code": true,
	"code id_token token": true, "code token id_token": true, "none": true,
}

// authorize runs the authorization endpoint for params. With creds nil it
// validates the request only (the caller then shows the login form) and
// returns nil, nil. Otherwise it logs the user in and returns the redirect
// carrying code, state, session_state and iss, or a redirect carrying
// error and error_description. Callers hold s.mu for writing.
func (s *Server) authorize(rm *realm, iss string, params url.Values, in *authLogin) (*url.URL, error) {
	creds := in.creds
	now := s.now()
	clientID := params.Get("client_id")
	if clientID == "" {
		return nil, &authPageError{http.StatusBadRequest, "Missing parameter: client_id"}
	}
	c := rm.findClientByClientID(clientID)
	if c == nil {
		return nil, &authPageError{http.StatusBadRequest, "Client not found."}
	}
	if !c.enabled {
		return nil, &authPageError{http.StatusBadRequest, "Client disabled."}
	}
	if c.bearerOnly {
		return nil, &authPageError{http.StatusForbidden, "Bearer-only clients are not allowed to initiate browser login."}
	}
	redirectURI := params.Get("redirect_uri")
	if redirectURI == "" {
		redirectURI = c.defaultRedirect()
	}
	ru, err := url.Parse(redirectURI)
	if redirectURI == "" || err != nil || !ru.IsAbs() || !c.redirectAllowed(redirectURI) {
		return nil, &authPageError{http.StatusBadRequest, "Invalid parameter: redirect_uri"}
	}
	// From here on errors redirect, in the order Keycloak checks them.
	state := params.Get("state")
	responseMode := params.Get("response_mode")
	fragment := responseMode == "fragment"
	fail := func(code, desc string) (*url.URL, error) {
		v := url.Values{"error": {code}}
		if desc != "" {
			v.Set("error_description", desc)
		}
		if state != "" {
			v.Set("state", state)
		}
		v.Set("iss", iss)
		return withParams(ru, v, fragment), nil
	}
	rt := params.Get("response_type")
	switch {
	case rt == "":
		return fail("invalid_request", "Missing parameter: response_type")
	case !knownResponseTypes[rt]:
		return fail("unsupported_response_type", "")
	}
	switch responseMode {
	case "", "query", "fragment", "form_post", "jwt", "query.jwt", "fragment.jwt", "form_post.jwt":
	default:
		return fail("invalid_request", "Invalid parameter: response_mode")
	}
	switch {
	case rt != "code":
		// kctest has no implicit or hybrid flow: Keycloak's answer for a
		// client with the implicit flow off.
		return fail("unauthorized_client", "Client is not allowed to initiate browser login with given response_type. Implicit flow is disabled for the client.")
	case !c.standardFlow:
		return fail("unauthorized_client", "Client is not allowed to initiate browser login with given response_type. Standard flow is disabled for the client.")
	}
	if checkDuplicates(params) != nil {
		return fail("invalid_request", "duplicated parameter")
	}
	scope, scopeSent := params.Get("scope"), params.Has("scope")
	if scopeSent && strings.TrimSpace(scope) == "" {
		return fail("invalid_scope", "Invalid scopes: "+scope)
	}
	scopes, err := rm.resolveScopes(c, scope)
	if err != nil {
		return fail("invalid_scope", "Invalid scopes: "+scope)
	}
	challenge, method := params.Get("code_challenge"), params.Get("code_challenge_method")
	if required := c.attributes["pkce.code.challenge.method"]; required != "" {
		switch {
		case method == "":
			return fail("invalid_request", "Missing parameter: code_challenge_method")
		case method != required:
			return fail("invalid_request", "Invalid parameter: code challenge method is not configured one")
		case challenge == "":
			return fail("invalid_request", "Missing parameter: code_challenge")
		case !pkceRE.MatchString(challenge):
			return fail("invalid_request", "Invalid parameter: code_challenge")
		}
	} else {
		if challenge == "" && method != "" {
			return fail("invalid_request", "Missing parameter: code_challenge")
		}
		if challenge != "" {
			if method == "" {
				method = "plain"
			}
			if method != "plain" && method != "S256" {
				return fail("invalid_request", "Invalid parameter: code_challenge_method")
			}
			if !pkceRE.MatchString(challenge) {
				return fail("invalid_request", "Invalid parameter: code_challenge")
			}
		}
	}
	// An SSO session signs the user in without the form, unless the
	// client asks for a fresh login (prompt=login, or max_age passed).
	sso := in.sso
	if sso != nil {
		if ma := params.Get("max_age"); ma != "" {
			if n, err := strconv.Atoi(ma); err == nil && now.Sub(sso.authTime) > time.Duration(n)*time.Second {
				sso = nil
			}
		}
		if params.Get("prompt") == "login" {
			sso = nil
		}
	}
	if params.Get("prompt") == "none" && sso == nil {
		return fail("login_required", "")
	}
	var sess *userSession
	// The browser flow's event (AuthenticationProcessor, AuthenticationManager).
	ev := newEventRecorder("LOGIN", in.ip).detail("auth_method", "openid-connect").detail("auth_type", "code").
		detail("response_type", rt).detail("redirect_uri", params.Get("redirect_uri"))
	ev.clientID = c.clientID
	switch {
	case creds != nil:
		ev.detail("username", creds[0])
		u := rm.findUserForLogin(creds[0])
		bf := ""
		if u != nil && u.serviceAccountClient == nil {
			ev.user(u)
			// AbstractUsernameFormAuthenticator.enabledUser: a user locked by
			// brute-force detection is told the credentials are wrong.
			bf = rm.bruteForceError(u, now)
		}
		switch {
		case u == nil || u.serviceAccountClient != nil:
			ev.fail("user_not_found")
		case bf != "":
			ev.fail(bf)
		case !u.checkPassword(creds[1]):
			s.loginFailed(rm, u, in.ip, now)
			ev.fail("invalid_user_credentials")
		case !u.enabled:
			ev.fail("user_disabled")
			s.record(rm, ev, false)
			return nil, &loginFailure{"Account is disabled, contact your administrator."}
		case len(u.requiredActions) > 0:
			return nil, &loginFailure{"Account is not fully set up."}
		}
		if ev.err != "" {
			s.record(rm, ev, false)
			return nil, &loginFailure{"Invalid username or password."}
		}
		rm.loginSucceeded(u)
		sess = rm.newUserSession(u, now, in.ip)
		if rm.wantsOffline(u, scope) {
			rm.makeOffline(sess)
		}
	case sso != nil:
		sess = sso
		sess.lastAccess = now
	default:
		return nil, nil
	}
	in.sess = sess
	cs := sess.attach(c, scopes.String(), now)
	// AuthenticationManager.redirectAfterSuccessfulFlow: a login with the
	// form sets AUTH_TIME; one through the SSO session marks SSO_AUTH.
	if creds != nil {
		sess.notes[noteAuthTime] = strconv.FormatInt(now.Unix(), 10)
		delete(cs.notes, noteSSOAuth)
	} else {
		cs.notes[noteSSOAuth] = "true"
	}
	if cp := params.Get("claims"); cp != "" {
		cs.notes[noteClaimsParam] = cp
	} else {
		delete(cs.notes, noteClaimsParam)
	}
	code := &authCode{
		code: newID() + "." + sess.id + "." + c.id, client: c, session: sess,
		redirectURI: params.Get("redirect_uri"), scope: scope, nonce: params.Get("nonce"),
		codeChallenge: challenge, method: method,
		expires: now.Add(time.Duration(rm.accessCodeLifespan) * time.Second),
	}
	rm.codes[code.code] = code
	ev.user(sess.user)
	ev.sessionID = sess.id
	ev.detail("consent", "no_consent_required").detail("code_id", sess.id)
	s.record(rm, ev, true)
	v := url.Values{"code": {code.code}, "session_state": {sess.id}, "iss": {iss}}
	if state != "" {
		v.Set("state", state)
	}
	return withParams(ru, v, fragment), nil
}

// withParams adds v to u's query, or sets it as the fragment.
func withParams(u *url.URL, v url.Values, fragment bool) *url.URL {
	out := *u
	if fragment {
		out.Fragment = v.Encode()
		out.RawFragment = ""
		return &out
	}
	q := out.Query()
	for k, vs := range v {
		q[k] = vs
	}
	out.RawQuery = q.Encode()
	return &out
}

// loginPage is the login form. As in Keycloak's login theme (login.ftl),
// action comes before method and is the absolute url.loginAction, which
// carries the authentication session in its query: a script that posts
// only username and password to it logs in.
var loginPage = template.Must(template.New("login").Parse(`<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Sign in to {{.Realm}}</title></head>
<body><h1>Sign in to {{.Realm}}</h1>
{{if .Error}}<p id="input-error" role="alert">{{.Error}}</p>{{end}}
<form id="kc-form-login" onsubmit="login.disabled = true; return true;" action="{{.Action}}" method="post" novalidate="novalidate">
<label for="username">Username or email</label> <input id="username" name="username" type="text" value="{{.Username}}" autofocus>
<label for="password">Password</label> <input id="password" name="password" type="password">
<input id="kc-login" name="login" type="submit" value="Sign In">
</form></body></html>
`))

var errorPage = template.Must(template.New("error").Parse(`<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>We are sorry...</title></head>
<body><h1>We are sorry...</h1><p id="kc-error-message">{{.}}</p></body></html>
`))

// authSession is a login form that was shown and not yet submitted: the
// authorization request it belongs to (Keycloak's authentication session,
// one per browser tab).
type authSession struct {
	tabID       string
	sessionCode string
	execution   string
	params      url.Values
	expires     time.Time
}

// loginTimeout is Keycloak's loginTimeout message.
const loginTimeout = "Your login attempt timed out. Login will start from the beginning."

// handleAuth is GET|POST /realms/{realm}/protocol/openid-connect/auth: it
// validates the request, shows a login form, and on a POST with
// credentials logs the user in and redirects. A request_uri from the PAR
// endpoint stands for the request it pushed.
func (s *Server) handleAuth(w http.ResponseWriter, r *http.Request) {
	// GET takes the request from the query, POST from the form body only,
	// as Keycloak does.
	params := r.URL.Query()
	var creds *[2]string
	if r.Method == http.MethodPost {
		form, err := parseForm(w, r)
		if err != nil {
			writeError(w, err)
			return
		}
		if _, ok := form["username"]; ok {
			creds = &[2]string{form.Get("username"), form.Get("password")}
		}
		query := params
		params = url.Values{}
		for k, vs := range form {
			if k != "username" && k != "password" && k != "login" {
				params[k] = vs
			}
		}
		// A login POST to the URL the form was shown at may leave the
		// request in the query.
		if creds != nil && !params.Has("client_id") && !params.Has("request_uri") {
			params = query
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	rm := s.lookupRealm(w, r)
	if rm == nil {
		return
	}
	params, err := rm.takePAR(params, s.now())
	if err != nil {
		s.writeAuthResult(w, r, rm, nil, nil, nil, err)
		return
	}
	s.runAuth(w, r, rm, params, creds, nil)
}

// handleLoginAction is POST /realms/{realm}/login-actions/authenticate,
// where the login form posts (Keycloak's LoginActionsService.authenticate):
// the query's tab_id names the authentication session, the body holds
// the credentials.
func (s *Server) handleLoginAction(w http.ResponseWriter, r *http.Request) {
	form, err := parseForm(w, r)
	if err != nil {
		writeError(w, err)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	rm := s.lookupRealm(w, r)
	if rm == nil {
		return
	}
	as := rm.authSessions[r.URL.Query().Get("tab_id")]
	if as == nil || s.now().After(as.expires) {
		s.writeAuthResult(w, r, rm, nil, nil, nil, &authPageError{http.StatusBadRequest, loginTimeout})
		return
	}
	var creds *[2]string
	if _, ok := form["username"]; ok {
		creds = &[2]string{form.Get("username"), form.Get("password")}
	}
	s.runAuth(w, r, rm, as.params, creds, as)
}

// runAuth authorizes params (logging in with creds when given) and writes
// the redirect, the login form or the error page. Callers hold s.mu.
func (s *Server) runAuth(w http.ResponseWriter, r *http.Request, rm *realm, params url.Values, creds *[2]string, as *authSession) {
	in := &authLogin{creds: creds, ip: remoteHost(r)}
	if ck, err := r.Cookie(ssoCookie); err == nil {
		if sess := rm.session(ck.Value, s.now()); sess != nil {
			in.sso = sess
		}
	}
	redirect, err := s.authorize(rm, s.issuer(r, rm.name), params, in)
	if redirect != nil && as != nil {
		delete(rm.authSessions, as.tabID)
	}
	s.writeAuthResult(w, r, rm, params, in, redirect, err)
}

// writeAuthResult writes what authorize decided. Callers hold s.mu.
func (s *Server) writeAuthResult(w http.ResponseWriter, r *http.Request, rm *realm, params url.Values, in *authLogin, redirect *url.URL, err error) {
	var pe *authPageError
	var lf *loginFailure
	switch {
	case errors.As(err, &pe):
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(pe.status)
		_ = errorPage.Execute(w, pe.msg)
	case err != nil && !errors.As(err, &lf):
		writeError(w, err)
	case redirect != nil:
		if in.sess != nil {
			http.SetCookie(w, &http.Cookie{Name: ssoCookie, Value: in.sess.id, Path: s.ssoCookiePath(rm.name), HttpOnly: true, SameSite: http.SameSiteLaxMode})
		}
		w.Header().Set("Cache-Control", "no-store, must-revalidate, max-age=0")
		w.Header().Set("Location", redirect.String())
		w.WriteHeader(http.StatusFound)
	default:
		as := rm.authSessionFor(r, params, s.now())
		data := map[string]any{"Realm": rm.name, "Action": s.loginAction(r, rm, as, params), "Username": ""}
		if lf != nil {
			data["Error"] = lf.msg
			if in.creds != nil {
				data["Username"] = in.creds[0]
			}
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store, must-revalidate, max-age=0")
		_ = loginPage.Execute(w, data)
	}
}

// authSessionFor returns the authentication session of a login form about
// to be shown: the one the request posted to, or a new one. Each showing
// gets a new session_code.
func (rm *realm) authSessionFor(r *http.Request, params url.Values, now time.Time) *authSession {
	as := rm.authSessions[r.URL.Query().Get("tab_id")]
	if as == nil || !strings.HasSuffix(r.URL.Path, "/login-actions/authenticate") {
		as = &authSession{tabID: randomTabID(), execution: newID(), params: params}
		rm.authSessions[as.tabID] = as
	}
	as.sessionCode = randomTabID() + randomTabID()
	as.expires = now.Add(time.Duration(rm.accessCodeLifespanLogin) * time.Second)
	return as
}

// loginAction is Keycloak's url.loginAction for as: an absolute URL whose
// query names the session (session_code, execution, client_id, tab_id, in
// Keycloak's order).
func (s *Server) loginAction(r *http.Request, rm *realm, as *authSession, params url.Values) string {
	q := []string{
		"session_code=" + url.QueryEscape(as.sessionCode),
		"execution=" + url.QueryEscape(as.execution),
		"client_id=" + url.QueryEscape(params.Get("client_id")),
		"tab_id=" + url.QueryEscape(as.tabID),
	}
	return s.issuer(r, rm.name) + "/login-actions/authenticate?" + strings.Join(q, "&")
}

// randomTabID returns 11 random URL-safe characters, the length of
// Keycloak's tab ids.
func randomTabID() string {
	return randomKid()[:11]
}

func remoteHost(r *http.Request) string {
	if i := strings.LastIndexByte(r.RemoteAddr, ':'); i > 0 {
		return strings.Trim(r.RemoteAddr[:i], "[]")
	}
	return r.RemoteAddr
}

// Login does in-process what a browser does at the authorization endpoint:
// it takes an authorization URL as a client library builds it
// ({base}/realms/{realm}/protocol/openid-connect/auth?client_id=…&redirect_uri=…&state=…),
// signs username in with password, and returns the URL Keycloak redirects
// to: redirect_uri with code, state, session_state and iss. A request that
// Keycloak answers by redirecting with an error (bad scope, missing PKCE)
// returns that redirect and a nil error; an unknown client, a bad
// redirect_uri or wrong credentials return an error. The issuer in the
// code's tokens follows the scheme and host of authURL.
func (s *Server) Login(authURL, username, password string) (*url.URL, error) {
	u, err := url.Parse(authURL)
	if err != nil {
		return nil, fmt.Errorf("kctest: login: %w", err)
	}
	path := strings.TrimPrefix(u.EscapedPath(), s.basePath)
	rest, ok := strings.CutPrefix(path, "/realms/")
	realmName, tail, _ := strings.Cut(rest, "/")
	if !ok || tail != "protocol/openid-connect/auth" {
		return nil, fmt.Errorf("kctest: login: %q is not an authorization endpoint URL", authURL)
	}
	if un, err := url.PathUnescape(realmName); err == nil {
		realmName = un
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	rm, err := s.realmNamed(realmName)
	if err != nil {
		return nil, err
	}
	iss := issuerFor(u.Scheme+"://"+u.Host+s.basePath, rm.name)
	redirect, err := s.authorize(rm, iss, u.Query(), &authLogin{creds: &[2]string{username, password}, ip: "127.0.0.1"})
	if err != nil {
		return nil, fmt.Errorf("kctest: login: %w", err)
	}
	return redirect, nil
}

// grantAuthorizationCode exchanges an authorization code.
func (s *Server) grantAuthorizationCode(tr *tokenRequest) (any, error) {
	rm, c := tr.rm, tr.client
	codeStr := tr.form.Get("code")
	if codeStr == "" {
		return nil, newOAuthError(http.StatusBadRequest, "invalid_request", "Missing parameter: code")
	}
	// OAuth2CodeParser.parseCode: the code's user session is the event's
	// code_id and session.
	if parts := strings.Split(codeStr, "."); len(parts) == 3 && tr.ev != nil {
		tr.ev.detail("code_id", parts[1])
		tr.ev.sessionID = parts[1]
	}
	code := rm.codes[codeStr]
	if code == nil {
		return nil, newOAuthError(http.StatusBadRequest, "invalid_grant", "Code not valid")
	}
	if code.used {
		// Reuse detaches the client from the session.
		delete(code.session.clients, code.client.id)
		return nil, newOAuthError(http.StatusBadRequest, "invalid_grant", "Code not valid")
	}
	code.used = true
	if !tr.now.Before(code.expires) {
		return nil, newOAuthError(http.StatusBadRequest, "invalid_grant", "Code is expired")
	}
	if code.client != c {
		return nil, newOAuthError(http.StatusBadRequest, "invalid_grant", "Auth error: Found different client_id in clientSession")
	}
	sess := rm.session(code.session.id, tr.now)
	if sess == nil {
		return nil, newOAuthError(http.StatusBadRequest, "invalid_grant", "Session not active")
	}
	if !sess.user.enabled {
		return nil, newOAuthError(http.StatusBadRequest, "invalid_grant", "User disabled")
	}
	if code.redirectURI != "" && tr.form.Get("redirect_uri") != code.redirectURI {
		return nil, newOAuthError(http.StatusBadRequest, "invalid_grant", "Incorrect redirect_uri")
	}
	if !c.standardFlow {
		return nil, newOAuthError(http.StatusBadRequest, "invalid_grant", "Client not allowed to exchange code")
	}
	if err := checkPKCE(code.codeChallenge, code.method, tr.form.Get("code_verifier")); err != nil {
		return nil, err
	}
	scopes, err := rm.resolveScopes(c, code.scope)
	if err != nil {
		return nil, err
	}
	sess.lastAccess = tr.now
	return s.issueTokens(&tokenParams{rm: rm, issuer: tr.issuer, client: c, user: sess.user, session: sess,
		scopes: scopes, nonce: code.nonce, now: tr.now, refresh: true, offline: sess.offline})
}

// checkPKCE verifies a code_verifier against the stored challenge.
func checkPKCE(challenge, method, verifier string) error {
	if challenge == "" {
		return nil
	}
	if verifier == "" {
		return newOAuthError(http.StatusBadRequest, "invalid_grant", "PKCE code verifier not specified")
	}
	if !pkceRE.MatchString(verifier) {
		return newOAuthError(http.StatusBadRequest, "invalid_grant", "PKCE invalid code verifier")
	}
	want := verifier
	if method == "S256" {
		sum := sha256.Sum256([]byte(verifier))
		want = b64.EncodeToString(sum[:])
	}
	if subtle.ConstantTimeCompare([]byte(want), []byte(challenge)) != 1 {
		return newOAuthError(http.StatusBadRequest, "invalid_grant", "PKCE verification failed")
	}
	return nil
}
