package kctest

import (
	"time"
)

// userSession is an SSO session: one user, the clients that got tokens in it.
type userSession struct {
	id         string
	user       *user
	started    time.Time
	lastAccess time.Time
	authTime   time.Time
	ipAddress  string
	// offline marks a session created for an offline token.
	offline bool
	clients map[string]*clientSession // by client UUID
	// notes are the user session notes protocol mappers read: AUTH_TIME
	// after a browser login, client_id/clientHost/clientAddress for a
	// service account.
	notes map[string]string
	// idle and max are the realm's timeouts in seconds when the session was
	// created.
	idle, max int
}

// clientSession records that a client holds tokens in a user session.
type clientSession struct {
	client  *client
	started time.Time
	scope   string
	// notes are the client session notes: SSO_AUTH when the login came
	// from an SSO session, claims for the authorization request's claims
	// parameter.
	notes map[string]string
}

// newUserSession starts a session for u. Callers hold s.mu for writing.
func (rm *realm) newUserSession(u *user, now time.Time, ip string) *userSession {
	sess := &userSession{
		id: newID(), user: u, started: now, lastAccess: now, authTime: now,
		ipAddress: ip, clients: map[string]*clientSession{}, notes: map[string]string{},
		idle: rm.ssoSessionIdleTimeout, max: rm.ssoSessionMaxLifespan,
	}
	rm.sessions[sess.id] = sess
	return sess
}

// attach adds (or refreshes) the client session of c.
func (sess *userSession) attach(c *client, scope string, now time.Time) *clientSession {
	cs := sess.clients[c.id]
	if cs == nil {
		cs = &clientSession{client: c, started: now, notes: map[string]string{}}
		sess.clients[c.id] = cs
	}
	cs.scope = scope
	return cs
}

// expires returns when the session ends unless it is used again.
func (sess *userSession) expires() time.Time {
	idle := sess.lastAccess.Add(time.Duration(sess.idle) * time.Second)
	maxT := sess.started.Add(time.Duration(sess.max) * time.Second)
	if idle.Before(maxT) {
		return idle
	}
	return maxT
}

// active reports whether the session is still valid at now.
func (sess *userSession) active(now time.Time) bool {
	return now.Before(sess.expires()) && sess.user.enabled
}

// session returns the active session id, or nil (expired ones are removed).
func (rm *realm) session(id string, now time.Time) *userSession {
	sess := rm.sessions[id]
	if sess == nil {
		return nil
	}
	if !sess.active(now) {
		delete(rm.sessions, id)
		return nil
	}
	return sess
}

// removeUserSessions logs a user out everywhere.
func (rm *realm) removeUserSessions(u *user) {
	for id, sess := range rm.sessions {
		if sess.user == u {
			delete(rm.sessions, id)
		}
	}
}

// authCode is an authorization code waiting to be exchanged.
type authCode struct {
	code          string
	client        *client
	session       *userSession
	redirectURI   string
	scope         string
	nonce         string
	codeChallenge string
	method        string
	expires       time.Time
	used          bool
}

// deviceGrant is a pending device authorization.
type deviceGrant struct {
	deviceCode    string
	userCode      string
	client        *client
	scope         string
	codeChallenge string
	method        string
	expires       time.Time
	interval      int
	lastPoll      time.Time
	approvedBy    *user
	denied        bool
}
