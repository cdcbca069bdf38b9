package kctest

import (
	"encoding/json"
	"math"
	"net/http"
	"slices"
	"time"
)

// Brute-force detection, as Keycloak 26's DefaultBruteForceProtector does
// it: failed password logins (the password grant and the login form) are
// counted per user, and a realm with bruteForceProtected locks the user out
// for a while (temporary lockout) or for good (permanentLockout, the user is
// disabled). Time comes from the server's Clock, so tests move it instead of
// sleeping.

// disabledReasonPermanentLockout is the disabledReason attribute Keycloak
// sets on a user it locks out for good
// (BruteForceProtector.DISABLED_BY_PERMANENT_LOCKOUT).
const disabledReasonPermanentLockout = "permanentLockout"

// loginFailureRecord is a user's UserLoginFailureModel.
type loginFailureRecord struct {
	numFailures          int
	numTemporaryLockouts int
	lastFailure          int64  // epoch milliseconds
	lastIPFailure        string // "" once cleared (null in the representation)
	notBefore            int64  // failedLoginNotBefore, epoch seconds
}

// bruteForcePolicy is the realm's brute-force settings.
type bruteForcePolicy struct {
	protected, permanent        bool
	maxTemporaryLockouts        int64
	linear                      bool
	maxFailureWaitSeconds       int64
	minimumQuickLoginWait       int64
	waitIncrementSeconds        int64
	quickLoginCheckMilliSeconds int64
	maxDeltaTimeSeconds         int64
	failureFactor               int64
}

func (rm *realm) settingInt(name string) int64 {
	var v float64
	if json.Unmarshal(rm.settings[name], &v) != nil {
		return 0
	}
	return int64(v)
}

func (rm *realm) settingBool(name string) bool {
	var v bool
	_ = json.Unmarshal(rm.settings[name], &v)
	return v
}

func (rm *realm) bruteForce() bruteForcePolicy {
	var strategy string
	_ = json.Unmarshal(rm.settings["bruteForceStrategy"], &strategy)
	return bruteForcePolicy{
		protected: rm.settingBool("bruteForceProtected"), permanent: rm.settingBool("permanentLockout"),
		maxTemporaryLockouts:        rm.settingInt("maxTemporaryLockouts"),
		linear:                      strategy == "LINEAR", // RealmModel.getBruteForceStrategy defaults to MULTIPLE
		maxFailureWaitSeconds:       rm.settingInt("maxFailureWaitSeconds"),
		minimumQuickLoginWait:       rm.settingInt("minimumQuickLoginWaitSeconds"),
		waitIncrementSeconds:        rm.settingInt("waitIncrementSeconds"),
		quickLoginCheckMilliSeconds: rm.settingInt("quickLoginCheckMilliSeconds"),
		maxDeltaTimeSeconds:         rm.settingInt("maxDeltaTimeSeconds"),
		failureFactor:               rm.settingInt("failureFactor"),
	}
}

// permanentOnly is "lock permanently" without temporary lockouts first.
func (p bruteForcePolicy) permanentOnly() bool { return p.permanent && p.maxTemporaryLockouts == 0 }

// loginFailure returns u's record, dropping one that has expired the way
// Keycloak's login-failure cache entries do (LoginFailureUtils: a record
// lives maxDeltaTimeSeconds after its last failure, for ever when the realm
// only locks permanently).
func (rm *realm) loginFailure(u *user, now time.Time) *loginFailureRecord {
	f := rm.loginFailures[u.id]
	if f == nil {
		return nil
	}
	p := rm.bruteForce()
	if !p.permanentOnly() && f.lastFailure > 0 &&
		now.UnixMilli() > f.lastFailure+p.maxDeltaTimeSeconds*1000 && now.Unix() >= f.notBefore {
		delete(rm.loginFailures, u.id)
		return nil
	}
	return f
}

// temporarilyDisabled is BruteForceProtector.isTemporarilyDisabled.
func (rm *realm) temporarilyDisabled(u *user, now time.Time) bool {
	f := rm.loginFailure(u, now)
	return f != nil && now.Unix() < f.notBefore
}

// permanentlyLockedOut is BruteForceProtector.isPermanentlyLockedOut.
func (rm *realm) permanentlyLockedOut(u *user, now time.Time) bool {
	if !u.enabled && slices.Contains(u.attributes["disabledReason"], disabledReasonPermanentLockout) {
		return true
	}
	p := rm.bruteForce()
	if !p.permanent {
		return false
	}
	f := rm.loginFailure(u, now)
	return f != nil && int64(f.numTemporaryLockouts) > p.maxTemporaryLockouts
}

// bruteForceError is AuthenticatorUtils.getDisabledByBruteForceEventError:
// the event error of a login refused because of brute-force detection, or
// "" when the user may try.
func (rm *realm) bruteForceError(u *user, now time.Time) string {
	if !rm.settingBool("bruteForceProtected") {
		return ""
	}
	if rm.permanentlyLockedOut(u, now) {
		return "user_disabled"
	}
	if rm.temporarilyDisabled(u, now) {
		return "user_temporarily_disabled"
	}
	return ""
}

// loginFailed records a failed password login of u from ip
// (DefaultBruteForceProtector.failure). Callers hold s.mu for writing.
func (s *Server) loginFailed(rm *realm, u *user, ip string, now time.Time) {
	p := rm.bruteForce()
	if !p.protected {
		return
	}
	if rm.loginFailures == nil {
		rm.loginFailures = map[string]*loginFailureRecord{}
	}
	f := rm.loginFailure(u, now)
	if f == nil {
		f = &loginFailureRecord{}
		rm.loginFailures[u.id] = f
	}
	f.lastIPFailure = ip
	failureTime := now.UnixMilli()
	last := f.lastFailure
	var delta int64
	if last > 0 {
		delta = failureTime - last
	}
	f.lastFailure = failureTime
	if !p.permanentOnly() && delta > p.maxDeltaTimeSeconds*1000 {
		*f = loginFailureRecord{} // clearFailures, after the two setters, as Keycloak orders them
	}
	f.numFailures++
	factor := max(p.failureFactor, 1)
	var wait int64
	if !p.permanentOnly() {
		if p.linear {
			wait = p.waitIncrementSeconds * (1 + int64(f.numFailures) - factor)
		} else {
			wait = p.waitIncrementSeconds * (int64(f.numFailures) / factor)
		}
	}
	quick := false
	if wait <= 0 && last > 0 && delta < p.quickLoginCheckMilliSeconds {
		wait, quick = p.minimumQuickLoginWait, true
	}
	if wait > 0 {
		if !p.permanent || p.maxTemporaryLockouts > 0 {
			wait = min(p.maxFailureWaitSeconds, wait)
		}
		if !quick {
			f.numTemporaryLockouts++
		}
		if quick || !p.permanent || int64(f.numTemporaryLockouts) <= p.maxTemporaryLockouts {
			f.notBefore = min(failureTime/1000+wait, math.MaxInt32)
			s.recordSystemEvent(rm, u, ip, "USER_DISABLED_BY_TEMPORARY_LOCKOUT", f)
		}
	}
	if !p.permanent {
		return
	}
	if int64(f.numTemporaryLockouts) > p.maxTemporaryLockouts ||
		(p.maxTemporaryLockouts == 0 && int64(f.numFailures) >= factor) {
		u.enabled = false
		if u.attributes == nil {
			u.attributes = map[string][]string{}
		}
		u.attributes["disabledReason"] = []string{disabledReasonPermanentLockout}
		s.recordSystemEvent(rm, u, ip, "USER_DISABLED_BY_PERMANENT_LOCKOUT", f)
	}
}

// loginSucceeded clears u's failures after a successful login
// (DefaultBruteForceProtector.success: the record stays, zeroed).
func (rm *realm) loginSucceeded(u *user) {
	if !rm.settingBool("bruteForceProtected") {
		return
	}
	if f := rm.loginFailures[u.id]; f != nil {
		*f = loginFailureRecord{}
	}
}

// clearLoginFailuresOnEnable is the first half of what
// UserResource.updateUser does when an admin sets enabled:true: the
// failures of a disabled or temporarily locked user go. It reports whether
// the user was permanently locked out; the caller then removes the
// disabledReason after the update (cleanUpPermanentLockout). Callers hold
// s.mu for writing.
func (rm *realm) clearLoginFailuresOnEnable(u *user, now time.Time) bool {
	if !u.enabled || rm.temporarilyDisabled(u, now) {
		delete(rm.loginFailures, u.id)
	}
	return rm.permanentlyLockedOut(u, now)
}

// adminBruteForceStatus is GET attack-detection/brute-force/users/{id}
// (AttackDetectionResource.bruteForceUserStatus). An unknown user gets the
// zero status, as in Keycloak.
func (s *Server) adminBruteForceStatus(w http.ResponseWriter, r *http.Request, rm *realm, _ *adminCaller) {
	now := s.now()
	data := map[string]any{
		"disabled": false, "numFailures": 0, "numTemporaryLockouts": 0,
		"lastFailure": 0, "lastIPFailure": "n/a", "failedLoginNotBefore": 0,
	}
	id := r.PathValue("id")
	u := rm.users[id]
	var f *loginFailureRecord
	if rm.settingBool("bruteForceProtected") {
		if u != nil {
			f = rm.loginFailure(u, now)
		} else {
			f = rm.loginFailures[id]
		}
	}
	if f == nil {
		writeJSON(w, http.StatusOK, data)
		return
	}
	var disabled, temporary bool
	if u == nil {
		disabled = now.Unix() < f.notBefore
		temporary = disabled
	} else {
		temporary = rm.temporarilyDisabled(u, now)
		disabled = temporary || rm.permanentlyLockedOut(u, now)
	}
	if disabled {
		data["disabled"] = true
		if temporary {
			data["failedLoginNotBefore"] = f.notBefore
		} else {
			data["failedLoginNotBefore"] = int64(math.MaxInt64)
		}
	}
	data["numFailures"] = f.numFailures
	data["numTemporaryLockouts"] = f.numTemporaryLockouts
	data["lastFailure"] = f.lastFailure
	if f.lastIPFailure == "" {
		data["lastIPFailure"] = nil
	} else {
		data["lastIPFailure"] = f.lastIPFailure
	}
	writeJSON(w, http.StatusOK, data)
}

// adminClearBruteForce is DELETE attack-detection/brute-force/users/{id}
// and, without an ID, for every user (clearBruteForceForUser,
// clearAllBruteForce).
func (s *Server) adminClearBruteForce(w http.ResponseWriter, r *http.Request, rm *realm, _ *adminCaller) {
	if id := r.PathValue("id"); id != "" {
		delete(rm.loginFailures, id)
	} else {
		rm.loginFailures = nil
	}
	noContent(w)
}
