package kctest

import (
	"crypto/rand"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

const grantDeviceCode = "urn:ietf:params:oauth:grant-type:device_code"

// deviceAuthResponse is the device authorization response, in Keycloak's
// field order.
type deviceAuthResponse struct {
	DeviceCode              string `json:"device_code"`
	UserCode                string `json:"user_code"`
	VerificationURI         string `json:"verification_uri"`
	VerificationURIComplete string `json:"verification_uri_complete"`
	ExpiresIn               int    `json:"expires_in"`
	Interval                int    `json:"interval"`
}

// newUserCode returns "XXXX-XXXX" from consonants, as Keycloak does.
func newUserCode() string {
	const alphabet = "BCDFGHJKLMNPQRSTVWXZ"
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b[:4]) + "-" + string(b[4:])
}

// normalizeUserCode upper-cases a user code and drops separators.
func normalizeUserCode(c string) string {
	return strings.NewReplacer("-", "", " ", "").Replace(strings.ToUpper(c))
}

// handleDeviceAuth is POST /realms/{realm}/protocol/openid-connect/auth/device.
func (s *Server) handleDeviceAuth(w http.ResponseWriter, r *http.Request) {
	s.withClientForm(w, r, s.deviceAuth)
}

func (s *Server) deviceAuth(w http.ResponseWriter, r *http.Request, form url.Values, ca clientAuth, rm *realm) {
	now := s.now()
	rm.pruneExpired(now)
	iss := s.issuer(r, rm.name)
	c, err := s.authenticateClient(rm, r, form, iss, now, ca)
	if err != nil {
		writeError(w, err)
		return
	}
	if err := checkDuplicates(form); err != nil {
		writeError(w, err)
		return
	}
	if !c.deviceGrantEnabled() {
		writeOAuthError(w, http.StatusBadRequest, "invalid_grant", "Client not allowed for OAuth 2.0 Device Authorization Grant")
		return
	}
	if _, err := rm.resolveScopes(c, form.Get("scope")); err != nil {
		writeError(w, err)
		return
	}
	challenge, method := form.Get("code_challenge"), form.Get("code_challenge_method")
	if c.attributes["pkce.code.challenge.method"] != "" && method == "" {
		writeOAuthError(w, http.StatusBadRequest, "invalid_request", "Missing parameter: code_challenge_method")
		return
	}
	if challenge != "" && method == "" {
		method = "plain"
	}
	g := &deviceGrant{
		deviceCode: newID() + "." + newID(), userCode: newUserCode(), client: c,
		scope: form.Get("scope"), codeChallenge: challenge, method: method,
		expires:  now.Add(time.Duration(rm.deviceCodeLifespan) * time.Second),
		interval: rm.devicePollingInterval,
	}
	rm.deviceCodes[g.deviceCode] = g
	rm.userCodes[normalizeUserCode(g.userCode)] = g
	verify := iss + "/device"
	writeJSON(w, http.StatusOK, deviceAuthResponse{
		DeviceCode: g.deviceCode, UserCode: g.userCode,
		VerificationURI: verify, VerificationURIComplete: verify + "?user_code=" + g.userCode,
		ExpiresIn: rm.deviceCodeLifespan, Interval: g.interval,
	})
}

// grantDeviceCode polls a device authorization.
func (s *Server) grantDeviceCode(tr *tokenRequest) (any, error) {
	rm, c := tr.rm, tr.client
	dc := tr.form.Get("device_code")
	if dc == "" {
		return nil, newOAuthError(http.StatusBadRequest, "invalid_request", "Missing parameter: device_code")
	}
	if !c.deviceGrantEnabled() {
		return nil, newOAuthError(http.StatusBadRequest, "invalid_grant", "Client not allowed OAuth 2.0 Device Authorization Grant")
	}
	g := rm.deviceCodes[dc]
	if g == nil || g.client != c {
		return nil, newOAuthError(http.StatusBadRequest, "invalid_grant", "Device code not valid")
	}
	if !tr.now.Before(g.expires) {
		// Reported once; a later poll finds no code.
		delete(rm.deviceCodes, dc)
		delete(rm.userCodes, normalizeUserCode(g.userCode))
		return nil, newOAuthError(http.StatusBadRequest, "expired_token", "Device code is expired")
	}
	if g.denied {
		delete(rm.deviceCodes, dc)
		delete(rm.userCodes, normalizeUserCode(g.userCode))
		return nil, newOAuthError(http.StatusBadRequest, "access_denied", "The end user denied the authorization request")
	}
	if g.approvedBy == nil {
		tooFast := !g.lastPoll.IsZero() && tr.now.Before(g.lastPoll.Add(time.Duration(g.interval)*time.Second))
		g.lastPoll = tr.now
		if tooFast {
			return nil, newOAuthError(http.StatusBadRequest, "slow_down", "Slow down")
		}
		return nil, newOAuthError(http.StatusBadRequest, "authorization_pending", "The authorization request is still pending")
	}
	if err := checkPKCE(g.codeChallenge, g.method, tr.form.Get("code_verifier")); err != nil {
		return nil, err
	}
	delete(rm.deviceCodes, dc)
	delete(rm.userCodes, normalizeUserCode(g.userCode))
	u := g.approvedBy
	if !u.enabled {
		return nil, newOAuthError(http.StatusBadRequest, "invalid_grant", "User disabled")
	}
	scopes, err := rm.resolveScopes(c, g.scope)
	if err != nil {
		return nil, err
	}
	sess := rm.newUserSession(u, tr.now, tr.remoteIP())
	// The user signed in with the browser to approve the device.
	sess.notes[noteAuthTime] = strconv.FormatInt(tr.now.Unix(), 10)
	offline := rm.wantsOffline(u, g.scope)
	if offline {
		rm.makeOffline(sess)
	}
	return s.issueTokens(&tokenParams{rm: rm, issuer: tr.issuer, client: c, user: u, session: sess,
		scopes: scopes, now: tr.now, refresh: true, offline: offline})
}

// pendingDevice finds a pending device authorization by user code.
// Callers hold s.mu.
func (s *Server) pendingDevice(realmName, userCode string) (*realm, *deviceGrant, error) {
	rm, err := s.realmNamed(realmName)
	if err != nil {
		return nil, nil, err
	}
	g := rm.userCodes[normalizeUserCode(userCode)]
	if g == nil || !s.now().Before(g.expires) {
		return nil, nil, fmt.Errorf("kctest: no pending device authorization with user code %q", userCode)
	}
	return rm, g, nil
}

// ApproveDevice approves the device authorization with userCode as
// username, as the user would on the verification page. The device's next
// poll gets tokens.
func (s *Server) ApproveDevice(realmName, userCode, username string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	rm, g, err := s.pendingDevice(realmName, userCode)
	if err != nil {
		return err
	}
	u := rm.findUserForLogin(username)
	if u == nil {
		return fmt.Errorf("kctest: user %q not found in realm %q", username, realmName)
	}
	g.approvedBy = u
	return nil
}

// DenyDevice denies the device authorization with userCode. The device's
// next poll gets access_denied.
func (s *Server) DenyDevice(realmName, userCode string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, g, err := s.pendingDevice(realmName, userCode)
	if err != nil {
		return err
	}
	g.denied = true
	return nil
}

var devicePage = template.Must(template.New("device").Parse(`<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Device Login</title></head>
<body><h1>Device Login</h1>
{{if .Message}}<p id="kc-info-message">{{.Message}}</p>{{else}}
<form method="post" action="{{.Action}}">
<label for="user_code">Code</label> <input id="user_code" name="user_code" value="{{.UserCode}}">
<label for="username">Username</label> <input id="username" name="username">
<label for="password">Password</label> <input id="password" name="password" type="password">
<button name="accept" value="yes">Yes</button> <button name="cancel" value="no">No</button>
</form>{{end}}</body></html>
`))

// handleDevicePage is the verification page GET|POST /realms/{realm}/device:
// enter the user code, sign in, approve or deny.
func (s *Server) handleDevicePage(w http.ResponseWriter, r *http.Request) {
	data := map[string]string{"Action": r.URL.Path, "UserCode": r.URL.Query().Get("user_code")}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if r.Method == http.MethodGet {
		_ = devicePage.Execute(w, data)
		return
	}
	form, err := parseForm(w, r)
	if err != nil {
		w.WriteHeader(http.StatusBadRequest)
		data["Message"] = "Invalid request."
		_ = devicePage.Execute(w, data)
		return
	}
	realmName, code := r.PathValue("realm"), form.Get("user_code")
	if form.Get("cancel") != "" {
		if err := s.DenyDevice(realmName, code); err != nil {
			w.WriteHeader(http.StatusBadRequest)
			data["Message"] = "Invalid code, please try again."
		} else {
			data["Message"] = "Device login denied."
		}
		_ = devicePage.Execute(w, data)
		return
	}
	s.mu.RLock()
	ok := false
	if rm := s.realms[realmName]; rm != nil {
		u := rm.findUserForLogin(form.Get("username"))
		ok = u != nil && u.enabled && u.checkPassword(form.Get("password"))
	}
	s.mu.RUnlock()
	if !ok {
		w.WriteHeader(http.StatusUnauthorized)
		data["Message"] = "Invalid username or password."
	} else if err := s.ApproveDevice(realmName, code, form.Get("username")); err != nil {
		w.WriteHeader(http.StatusBadRequest)
		data["Message"] = "Invalid code, please try again."
	} else {
		data["Message"] = "Device Login Successful. You may close this window and go back to your device."
	}
	_ = devicePage.Execute(w, data)
}
