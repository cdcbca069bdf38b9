package kctest_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"github.com/kcgo/kc/keycloak/kctest"
)

// TestWhoAmI is the package documentation's example, kept compiling.
func TestWhoAmI(t *testing.T) {
	t.Parallel()
	clock := kctest.NewFakeClock(time.Now())
	srv := kctest.Start(t, kctest.WithClock(clock.Now))
	srv.AddRealm(kctest.Realm{Name: "shop"})
	srv.AddClient("shop", kctest.Client{ClientID: "web", Public: true})
	srv.AddUser("shop", kctest.User{Username: "ann", Password: "pw"})

	// The service under test, configured with the realm's issuer.
	svc := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		req, _ := http.NewRequestWithContext(r.Context(), "GET",
			srv.Issuer("shop")+"/protocol/openid-connect/userinfo", nil)
		req.Header.Set("Authorization", r.Header.Get("Authorization"))
		resp, err := http.DefaultClient.Do(req)
		if err != nil || resp.StatusCode != http.StatusOK {
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		defer resp.Body.Close()
		var who struct {
			PreferredUsername string `json:"preferred_username"`
		}
		json.NewDecoder(resp.Body).Decode(&who)
		fmt.Fprint(w, who.PreferredUsername)
	}))
	defer svc.Close()

	// A user token, got the way any client gets one.
	resp, err := http.PostForm(srv.Issuer("shop")+"/protocol/openid-connect/token", url.Values{
		"grant_type": {"password"}, "client_id": {"web"}, "scope": {"openid"},
		"username": {"ann"}, "password": {"pw"},
	})
	if err != nil {
		t.Fatal(err)
	}
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	json.NewDecoder(resp.Body).Decode(&tok)
	resp.Body.Close()

	call := func() (int, string) {
		req, _ := http.NewRequest("GET", svc.URL, nil)
		req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if code, body := call(); code != 200 || body != "ann" {
		t.Errorf("got %d %q", code, body)
	}
	clock.Advance(6 * time.Minute) // access tokens live 5 minutes
	if code, _ := call(); code != 401 {
		t.Errorf("expired token: got %d, want 401", code)
	}
}
