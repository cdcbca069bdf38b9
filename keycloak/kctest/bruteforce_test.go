package kctest_test

import (
	"bytes"
	"encoding/json"
	"math"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/kcgo/kc/keycloak/kctest"
)

// bruteForceRealm starts the demo realm with brute-force settings applied
// through PUT /admin/realms/demo, and returns alice's ID.
func bruteForceRealm(t *testing.T, settings string) (*kctest.Server, *kctest.FakeClock, string) {
	t.Helper()
	s, clock := startDemo(t)
	if res := adminDo(t, s, adminToken(t, s), "PUT", "/admin/realms/demo", settings); res.status != http.StatusNoContent {
		t.Fatalf("update realm: %d %s", res.status, res.body)
	}
	id, err := s.UserID("demo", "alice")
	if err != nil {
		t.Fatal(err)
	}
	return s, clock, id
}

// passwordLogin runs the password grant for alice.
func passwordLogin(t *testing.T, s *kctest.Server, password string) result {
	t.Helper()
	return postForm(t, oidcURL(s, "demo", "token"), url.Values{
		"grant_type": {"password"}, "client_id": {"demo-app"}, "username": {"alice"}, "password": {password},
	})
}

// bruteForceStatus is GET attack-detection/brute-force/users/{id}, with a
// fresh admin token (the fake clock outlives master's 60 s tokens).
func bruteForceStatus(t *testing.T, s *kctest.Server, id string) map[string]any {
	t.Helper()
	res := adminDo(t, s, adminToken(t, s), "GET", "/admin/realms/demo/attack-detection/brute-force/users/"+id, "")
	if res.status != http.StatusOK {
		t.Fatalf("status: %d %s", res.status, res.body)
	}
	var m map[string]any
	dec := json.NewDecoder(bytes.NewReader(res.body))
	dec.UseNumber()
	if err := dec.Decode(&m); err != nil {
		t.Fatal(err)
	}
	for k, v := range m {
		if n, ok := v.(json.Number); ok {
			i, _ := n.Int64()
			m[k] = i
		}
	}
	return m
}

// wantStatus builds AttackDetectionResource.bruteForceUserStatus's body.
func wantStatus(disabled bool, failures, lockouts int64, last int64, ip any, notBefore int64) map[string]any {
	return map[string]any{
		"disabled": disabled, "numFailures": failures, "numTemporaryLockouts": lockouts,
		"lastFailure": last, "lastIPFailure": ip, "failedLoginNotBefore": notBefore,
	}
}

func wantInvalidCredentials(t *testing.T, res result, status int) {
	t.Helper()
	if res.status != status || res.str("error") != "invalid_grant" || res.str("error_description") != "Invalid user credentials" {
		t.Fatalf("login: want %d invalid_grant Invalid user credentials, got %d %s", status, res.status, res.body)
	}
}

// TestBruteForceTemporaryLockout pins the MULTIPLE strategy. Keycloak:
// DefaultBruteForceProtector.failure (wait = waitIncrementSeconds *
// (numFailures / failureFactor), capped by maxFailureWaitSeconds),
// ValidateUsername (a locked user gets 400 invalid_grant "Invalid user
// credentials" and the attempt is not counted), AuthenticationManager.logSuccess
// (a good login clears the failures), AttackDetectionResource.
func TestBruteForceTemporaryLockout(t *testing.T) {
	t.Parallel()
	s, clock, id := bruteForceRealm(t, `{"bruteForceProtected":true,"failureFactor":2,"waitIncrementSeconds":60,"maxFailureWaitSeconds":900}`)
	if d := cmp.Diff(wantStatus(false, 0, 0, 0, "n/a", 0), bruteForceStatus(t, s, id)); d != "" {
		t.Fatalf("fresh status (-want +got):\n%s", d)
	}
	wantInvalidCredentials(t, passwordLogin(t, s, "wrong"), http.StatusUnauthorized)
	first := clock.Now().UnixMilli()
	if d := cmp.Diff(wantStatus(false, 1, 0, first, "127.0.0.1", 0), bruteForceStatus(t, s, id)); d != "" {
		t.Fatalf("after one failure (-want +got):\n%s", d)
	}
	clock.Advance(5 * time.Second) // past quickLoginCheckMilliSeconds
	wantInvalidCredentials(t, passwordLogin(t, s, "wrong"), http.StatusUnauthorized)
	second := clock.Now()
	notBefore := second.Unix() + 60
	if d := cmp.Diff(wantStatus(true, 2, 1, second.UnixMilli(), "127.0.0.1", notBefore), bruteForceStatus(t, s, id)); d != "" {
		t.Fatalf("after two failures (-want +got):\n%s", d)
	}
	// Locked: the right password is refused and not counted.
	clock.Advance(30 * time.Second)
	wantInvalidCredentials(t, passwordLogin(t, s, "alice"), http.StatusBadRequest)
	if got := bruteForceStatus(t, s, id)["numFailures"]; got != int64(2) {
		t.Fatalf("a refused login while locked counted: numFailures %v", got)
	}
	clock.Advance(31 * time.Second)
	if res := passwordLogin(t, s, "alice"); res.status != http.StatusOK {
		t.Fatalf("login after the wait: %d %s", res.status, res.body)
	}
	// DefaultBruteForceProtector.success clears the record, which stays.
	if d := cmp.Diff(wantStatus(false, 0, 0, 0, nil, 0), bruteForceStatus(t, s, id)); d != "" {
		t.Fatalf("after a good login (-want +got):\n%s", d)
	}
}

// TestBruteForceWaits pins the wait of each strategy and the quick-login
// check (DefaultBruteForceProtector.failure).
func TestBruteForceWaits(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name     string
		settings string
		gap      time.Duration
		waits    []int64 // failedLoginNotBefore - failure time, 0 for none
	}{
		{"multiple", `{"bruteForceProtected":true,"failureFactor":2,"waitIncrementSeconds":10,"maxFailureWaitSeconds":25}`,
			time.Minute, []int64{0, 10, 10, 20, 20, 25}},
		{"linear", `{"bruteForceProtected":true,"bruteForceStrategy":"LINEAR","failureFactor":2,"waitIncrementSeconds":10,"maxFailureWaitSeconds":25}`,
			time.Minute, []int64{0, 10, 20, 25}},
		{"quick login", `{"bruteForceProtected":true,"failureFactor":30,"quickLoginCheckMilliSeconds":1000,"minimumQuickLoginWaitSeconds":7}`,
			500 * time.Millisecond, []int64{0, 7}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s, clock, id := bruteForceRealm(t, tc.settings)
			for i, want := range tc.waits {
				if i > 0 {
					clock.Advance(tc.gap)
				}
				passwordLogin(t, s, "wrong")
				got := bruteForceStatus(t, s, id)
				var wait int64
				if nb := got["failedLoginNotBefore"].(int64); nb != 0 {
					wait = nb - clock.Now().Unix()
				}
				if wait != want || got["numFailures"] != int64(i+1) {
					t.Fatalf("failure %d: wait %d numFailures %v, want wait %d", i+1, wait, got["numFailures"], want)
				}
				// Let the lockout pass so the next failure counts.
				clock.Advance(time.Duration(want) * time.Second)
			}
		})
	}
}

// TestBruteForceResetAfterMaxDelta pins maxDeltaTimeSeconds: a failure
// long after the last one starts the count again (the login-failure record
// expires, LoginFailureUtils).
func TestBruteForceResetAfterMaxDelta(t *testing.T) {
	t.Parallel()
	s, clock, id := bruteForceRealm(t, `{"bruteForceProtected":true,"failureFactor":5,"maxDeltaTimeSeconds":600}`)
	passwordLogin(t, s, "wrong")
	clock.Advance(time.Minute)
	passwordLogin(t, s, "wrong")
	if got := bruteForceStatus(t, s, id)["numFailures"]; got != int64(2) {
		t.Fatalf("numFailures %v, want 2", got)
	}
	clock.Advance(601 * time.Second)
	if got := bruteForceStatus(t, s, id)["numFailures"]; got != int64(0) {
		t.Fatalf("expired record: numFailures %v, want 0", got)
	}
	passwordLogin(t, s, "wrong")
	if got := bruteForceStatus(t, s, id)["numFailures"]; got != int64(1) {
		t.Fatalf("after the reset: numFailures %v, want 1", got)
	}
}

// TestBruteForcePermanentLockout pins permanentLockout: the user is
// disabled with disabledReason permanentLockout, the login answers
// "Invalid user credentials", and PUT users/{id} with enabled:true lifts
// it. Keycloak: DefaultBruteForceProtector.failure and
// isPermanentlyLockedOut, UserResource.updateUser, cleanUpPermanentLockout.
func TestBruteForcePermanentLockout(t *testing.T) {
	t.Parallel()
	s, clock, id := bruteForceRealm(t, `{"bruteForceProtected":true,"permanentLockout":true,"failureFactor":2}`)
	passwordLogin(t, s, "wrong")
	clock.Advance(5 * time.Second)
	passwordLogin(t, s, "wrong")
	if d := cmp.Diff(wantStatus(true, 2, 0, clock.Now().UnixMilli(), "127.0.0.1", math.MaxInt64), bruteForceStatus(t, s, id)); d != "" {
		t.Fatalf("locked (-want +got):\n%s", d)
	}
	tok := adminToken(t, s)
	u := adminDo(t, s, tok, "GET", "/admin/realms/demo/users/"+id, "").json()
	attrs, _ := u["attributes"].(map[string]any)
	if u["enabled"] != false || cmp.Diff([]any{"permanentLockout"}, attrs["disabledReason"]) != "" {
		t.Fatalf("locked user: enabled %v attributes %v", u["enabled"], u["attributes"])
	}
	wantInvalidCredentials(t, passwordLogin(t, s, "alice"), http.StatusBadRequest)
	if res := adminDo(t, s, tok, "PUT", "/admin/realms/demo/users/"+id, `{"enabled":true}`); res.status != http.StatusNoContent {
		t.Fatalf("enable: %d %s", res.status, res.body)
	}
	u = adminDo(t, s, tok, "GET", "/admin/realms/demo/users/"+id, "").json()
	if attrs, _ := u["attributes"].(map[string]any); u["enabled"] != true || attrs["disabledReason"] != nil {
		t.Fatalf("enabled user: enabled %v attributes %v", u["enabled"], u["attributes"])
	}
	if d := cmp.Diff(wantStatus(false, 0, 0, 0, "n/a", 0), bruteForceStatus(t, s, id)); d != "" {
		t.Fatalf("after enabling (-want +got):\n%s", d)
	}
	if res := passwordLogin(t, s, "alice"); res.status != http.StatusOK {
		t.Fatalf("login after enabling: %d %s", res.status, res.body)
	}
}

// TestBruteForceMaxTemporaryLockouts pins permanentLockout with
// maxTemporaryLockouts: temporary lockouts first, then the permanent one
// (DefaultBruteForceProtector.failure).
func TestBruteForceMaxTemporaryLockouts(t *testing.T) {
	t.Parallel()
	s, clock, id := bruteForceRealm(t, `{"bruteForceProtected":true,"permanentLockout":true,"maxTemporaryLockouts":1,"failureFactor":1,"waitIncrementSeconds":60}`)
	passwordLogin(t, s, "wrong")
	if got := bruteForceStatus(t, s, id); got["disabled"] != true || got["numTemporaryLockouts"] != int64(1) ||
		got["failedLoginNotBefore"] != clock.Now().Unix()+60 {
		t.Fatalf("first lockout: %v", got)
	}
	clock.Advance(61 * time.Second)
	passwordLogin(t, s, "wrong")
	got := bruteForceStatus(t, s, id)
	if got["disabled"] != true || got["numTemporaryLockouts"] != int64(2) || got["failedLoginNotBefore"] != int64(math.MaxInt64) {
		t.Fatalf("second lockout is not permanent: %v", got)
	}
	clock.Advance(time.Hour)
	wantInvalidCredentials(t, passwordLogin(t, s, "alice"), http.StatusBadRequest)
}

// TestBruteForceClear pins the two DELETEs of AttackDetectionResource and
// the status of a user Keycloak does not know (the zero status, 200).
func TestBruteForceClear(t *testing.T) {
	t.Parallel()
	s, _, id := bruteForceRealm(t, `{"bruteForceProtected":true,"failureFactor":1}`)
	bob, err := s.UserID("demo", "bob")
	if err != nil {
		t.Fatal(err)
	}
	passwordLogin(t, s, "wrong")
	postForm(t, oidcURL(s, "demo", "token"), url.Values{
		"grant_type": {"password"}, "client_id": {"demo-app"}, "username": {"bob"}, "password": {"wrong"},
	})
	const base = "/admin/realms/demo/attack-detection/brute-force/users"
	if res := adminDo(t, s, adminToken(t, s), "DELETE", base+"/"+id, ""); res.status != http.StatusNoContent {
		t.Fatalf("clear one: %d %s", res.status, res.body)
	}
	if got := bruteForceStatus(t, s, id); got["numFailures"] != int64(0) || got["disabled"] != false {
		t.Fatalf("cleared user: %v", got)
	}
	if got := bruteForceStatus(t, s, bob); got["numFailures"] != int64(1) || got["disabled"] != true {
		t.Fatalf("other user: %v", got)
	}
	if res := passwordLogin(t, s, "alice"); res.status != http.StatusOK {
		t.Fatalf("login after clearing: %d %s", res.status, res.body)
	}
	if res := adminDo(t, s, adminToken(t, s), "DELETE", base, ""); res.status != http.StatusNoContent {
		t.Fatalf("clear all: %d %s", res.status, res.body)
	}
	if got := bruteForceStatus(t, s, bob); got["numFailures"] != int64(0) {
		t.Fatalf("bob after clearing all: %v", got)
	}
	if d := cmp.Diff(wantStatus(false, 0, 0, 0, "n/a", 0), bruteForceStatus(t, s, "no-such-user")); d != "" {
		t.Fatalf("unknown user (-want +got):\n%s", d)
	}
	// A deleted user's failures go with it.
	passwordLogin(t, s, "wrong")
	if res := adminDo(t, s, adminToken(t, s), "DELETE", "/admin/realms/demo/users/"+id, ""); res.status != http.StatusNoContent {
		t.Fatalf("delete user: %d", res.status)
	}
	if d := cmp.Diff(wantStatus(false, 0, 0, 0, "n/a", 0), bruteForceStatus(t, s, id)); d != "" {
		t.Fatalf("deleted user (-want +got):\n%s", d)
	}
}

// TestBruteForceLoginForm pins the login form: failures count, and a
// locked user is told "Invalid username or password." even with the right
// password (AbstractUsernameFormAuthenticator.isDisabledByBruteForce).
func TestBruteForceLoginForm(t *testing.T) {
	t.Parallel()
	s, clock, id := bruteForceRealm(t, `{"bruteForceProtected":true,"failureFactor":1,"waitIncrementSeconds":60}`)
	auth := oidcURL(s, "demo", "auth") + "?" + url.Values{
		"client_id": {"demo-app"}, "response_type": {"code"}, "redirect_uri": {"http://127.0.0.1/callback"},
	}.Encode()
	if _, err := s.Login(auth, "alice", "wrong"); err == nil {
		t.Fatal("wrong password accepted")
	}
	if got := bruteForceStatus(t, s, id); got["numFailures"] != int64(1) || got["disabled"] != true {
		t.Fatalf("after a form failure: %v", got)
	}
	if _, err := s.Login(auth, "alice", "alice"); err == nil {
		t.Fatal("locked user logged in")
	}
	clock.Advance(61 * time.Second)
	if _, err := s.Login(auth, "alice", "alice"); err != nil {
		t.Fatalf("login after the wait: %v", err)
	}
}

// TestBruteForceOff pins that a realm without bruteForceProtected counts
// nothing (AttackDetectionResource returns the zero status).
func TestBruteForceOff(t *testing.T) {
	t.Parallel()
	s, _, id := bruteForceRealm(t, `{"bruteForceProtected":false}`)
	passwordLogin(t, s, "wrong")
	if d := cmp.Diff(wantStatus(false, 0, 0, 0, "n/a", 0), bruteForceStatus(t, s, id)); d != "" {
		t.Fatalf("(-want +got):\n%s", d)
	}
}
