package admin_test

import (
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/kcgo/kc"
	"github.com/kcgo/kc/keycloak/admin"
	"github.com/kcgo/kc/keycloak/kctest"
)

// passwordLogin runs the password grant through acme's admin-cli and returns the
// status.
func passwordLogin(t *testing.T, e *env, username, password string) int {
	t.Helper()
	resp, err := http.PostForm(e.srv.URL+"/realms/acme/protocol/openid-connect/token", url.Values{
		"grant_type": {"password"}, "client_id": {"admin-cli"}, "username": {username}, "password": {password},
	})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// TestAttackDetectionLockout drives a temporary lockout through the admin
// client: the status Keycloak's AttackDetectionResource reports, and
// ClearUser releasing the user.
func TestAttackDetectionLockout(t *testing.T) {
	t.Parallel()
	clock := kctest.NewFakeClock(time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC))
	e := setup(t, kctest.WithClock(clock.Now))
	ctx := t.Context()
	check(t, e.c.Realms.Update(ctx, "acme", &admin.Realm{BruteForceProtected: kc.Ptr(true), FailureFactor: kc.Ptr(1)}))
	uid := must[string](t)(e.srv.AddUser("acme", kctest.User{Username: "mia", Password: "pw"}))
	if got := passwordLogin(t, e, "mia", "wrong"); got != http.StatusUnauthorized {
		t.Fatalf("wrong password: %d", got)
	}
	st := must[*admin.BruteForceStatus](t)(e.realm.AttackDetection.UserStatus(ctx, uid))
	want := &admin.BruteForceStatus{NumFailures: 1, NumTemporaryLockouts: 1, Disabled: true, LastIPFailure: "127.0.0.1",
		LastFailure: clock.Now().UnixMilli(), FailedLoginNotBefore: clock.Now().Unix() + 60}
	if d := cmp.Diff(want, st); d != "" {
		t.Fatalf("status (-want +got):\n%s", d)
	}
	if got := passwordLogin(t, e, "mia", "pw"); got != http.StatusBadRequest {
		t.Fatalf("locked user: %d", got)
	}
	check(t, e.realm.AttackDetection.ClearUser(ctx, uid))
	if got := passwordLogin(t, e, "mia", "pw"); got != http.StatusOK {
		t.Fatalf("after ClearUser: %d", got)
	}
}

// TestLoginEvents reads recorded login events through the admin client.
func TestLoginEvents(t *testing.T) {
	t.Parallel()
	e := setup(t)
	ctx := t.Context()
	check(t, e.realm.Events.UpdateConfig(ctx, &admin.EventsConfig{EventsEnabled: kc.Ptr(true)}))
	uid := must[string](t)(e.srv.AddUser("acme", kctest.User{Username: "leo", Password: "pw"}))
	passwordLogin(t, e, "leo", "nope")
	passwordLogin(t, e, "leo", "pw")
	type row struct{ Type, User, Error, Username string }
	var got []row
	for ev, err := range e.realm.Events.All(ctx, &admin.EventListOptions{Client: "admin-cli"}) {
		check(t, err)
		got = append(got, row{ev.Type, ev.UserID, ev.Error, ev.Details["username"]})
	}
	want := []row{{"LOGIN", uid, "", "leo"}, {"LOGIN_ERROR", uid, "invalid_user_credentials", "leo"}}
	if d := cmp.Diff(want, got); d != "" {
		t.Fatalf("events (-want +got):\n%s", d)
	}
	errs := must[[]admin.Event](t)(e.realm.Events.List(ctx, &admin.EventListOptions{Types: []string{"LOGIN_ERROR"}, DateFrom: "2000-01-01"}))
	if len(errs) != 1 {
		t.Fatalf("LOGIN_ERROR events = %d", len(errs))
	}
	check(t, e.realm.Events.Clear(ctx))
	if left := must[[]admin.Event](t)(e.realm.Events.List(ctx, nil)); len(left) != 0 {
		t.Fatalf("after Clear: %d", len(left))
	}
}
