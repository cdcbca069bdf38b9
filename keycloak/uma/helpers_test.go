package uma_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/kcgo/kc"
	"github.com/kcgo/kc/keycloak/kctest"
	"github.com/kcgo/kc/keycloak/uma"
)

var epoch = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

const photozFile = "../../testdata/realms/photoz-realm.json"

// start runs kctest with the photoz realm (resource server photoz-api,
// secret "secret"; users alice, bob, carol, dave, erin whose passwords are
// their names).
func start(t testing.TB) (*kctest.Server, *kctest.FakeClock) {
	t.Helper()
	clock := kctest.NewFakeClock(epoch)
	return kctest.Start(t, kctest.WithClock(clock.Now), kctest.WithRealmFile(photozFile)), clock
}

// newClient returns a uma client of photoz-api with its credentials.
func newClient(t testing.TB, s *kctest.Server, opts ...kc.Option) *uma.Client {
	t.Helper()
	c, err := uma.New(s.URL, "photoz", "photoz-api", append([]kc.Option{uma.WithClientSecret("secret")}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// userToken is a password-grant access token of user issued to the
// resource server photoz-api (the owner's token the Protection API wants).
func userToken(t *testing.T, s *kctest.Server, user string) kc.TokenSource {
	t.Helper()
	form := url.Values{"grant_type": {"password"}, "username": {user}, "password": {user}}
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, s.URL+"/realms/photoz/protocol/openid-connect/token", strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth("photoz-api", "secret")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil || body.AccessToken == "" {
		t.Fatalf("token for %s: status %d, %v", user, resp.StatusCode, err)
	}
	return kc.StaticAccessToken(body.AccessToken)
}
