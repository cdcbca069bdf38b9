package kctest_test

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"log"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/kcgo/kc/keycloak/kctest"
)

// claimsOf decodes a JWT payload without verifying it (examples only; real
// code verifies against the realm's JWKS).
func claimsOf(tok string) map[string]any {
	b, _ := base64.RawURLEncoding.DecodeString(strings.Split(tok, ".")[1])
	var m map[string]any
	_ = json.Unmarshal(b, &m)
	return m
}

func postToken(s *kctest.Server, realm string, form url.Values) (int, map[string]any) {
	resp, err := http.PostForm(s.URL+"/realms/"+realm+"/protocol/openid-connect/token", form)
	if err != nil {
		log.Fatal(err)
	}
	defer resp.Body.Close()
	var body map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&body)
	return resp.StatusCode, body
}

// Seed a realm, then get a token with the password grant over HTTP, as any
// client would.
func Example() {
	s, err := kctest.NewServer()
	if err != nil {
		log.Fatal(err)
	}
	defer s.Close()

	s.AddRealm(kctest.Realm{Name: "shop"})
	s.AddRealmRole("shop", kctest.Role{Name: "buyer"})
	s.AddClient("shop", kctest.Client{ClientID: "web", Public: true})
	s.AddUser("shop", kctest.User{Username: "ann", Password: "pw", Email: "ann@example.com", RealmRoles: []string{"buyer"}})

	status, tok := postToken(s, "shop", url.Values{
		"grant_type": {"password"}, "client_id": {"web"}, "username": {"ann"}, "password": {"pw"}, "scope": {"openid"},
	})
	claims := claimsOf(tok["access_token"].(string))
	fmt.Println(status, tok["token_type"], tok["expires_in"], tok["id_token"] != nil)
	fmt.Println(claims["iss"] == s.Issuer("shop"), claims["preferred_username"], claims["realm_access"])
	// Output:
	// 200 Bearer 300 true
	// true ann map[roles:[buyer default-roles-shop offline_access uma_authorization]]
}

// A confidential client gets a service-account token.
func ExampleServer_AddClient() {
	s, _ := kctest.NewServer()
	defer s.Close()
	s.AddRealm(kctest.Realm{Name: "apis"})
	s.AddClient("apis", kctest.Client{ClientID: "worker", Secret: "s3cret"})

	status, tok := postToken(s, "apis", url.Values{
		"grant_type": {"client_credentials"}, "client_id": {"worker"}, "client_secret": {"s3cret"},
	})
	fmt.Println(status, claimsOf(tok["access_token"].(string))["preferred_username"], tok["refresh_token"] == nil)
	// Output: 200 service-account-worker true
}

// Login gets an authorization code without a browser.
func ExampleServer_Login() {
	s, _ := kctest.NewServer(kctest.WithRealmFile("../../testdata/realms/demo-realm.json"))
	defer s.Close()

	authURL := s.URL + "/realms/demo/protocol/openid-connect/auth?" + url.Values{
		"client_id": {"demo-app"}, "redirect_uri": {"http://127.0.0.1/callback"},
		"response_type": {"code"}, "scope": {"openid"}, "state": {"xyz"},
	}.Encode()
	cb, err := s.Login(authURL, "alice", "alice")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(cb.Host+cb.Path, cb.Query().Get("state"), cb.Query().Get("iss") == s.Issuer("demo"))

	status, tok := postToken(s, "demo", url.Values{
		"grant_type": {"authorization_code"}, "client_id": {"demo-app"},
		"code": {cb.Query().Get("code")}, "redirect_uri": {"http://127.0.0.1/callback"},
	})
	fmt.Println(status, tok["scope"])
	// Output:
	// 127.0.0.1/callback xyz true
	// 200 openid profile email
}

// A fake clock expires tokens without sleeping.
func ExampleFakeClock() {
	clock := kctest.NewFakeClock(time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC))
	s, _ := kctest.NewServer(kctest.WithClock(clock.Now), kctest.WithRealmFile("../../testdata/realms/demo-realm.json"))
	defer s.Close()

	_, tok := postToken(s, "demo", url.Values{"grant_type": {"password"}, "client_id": {"demo-app"}, "username": {"bob"}, "password": {"bob"}})
	clock.Advance(31 * time.Minute) // past the 30-minute SSO idle timeout
	status, body := postToken(s, "demo", url.Values{"grant_type": {"refresh_token"}, "client_id": {"demo-app"}, "refresh_token": {tok["refresh_token"].(string)}})
	fmt.Println(status, body["error"])
	// Output: 400 invalid_grant
}

// InjectFault makes the token endpoint fail twice, then recover.
func ExampleServer_InjectFault() {
	s, _ := kctest.NewServer(kctest.WithRealmFile("../../testdata/realms/demo-realm.json"))
	defer s.Close()
	s.InjectFault(kctest.Fault{
		Method: "POST", Path: "/realms/demo/protocol/openid-connect/token",
		Status: 503, RetryAfter: time.Second, Times: 2,
	})
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {"demo-service"}, "client_secret": {"demo-service-secret"}}
	for range 3 {
		status, _ := postToken(s, "demo", form)
		fmt.Print(status, " ")
	}
	fmt.Println(len(s.Requests()))
	// Output: 503 503 200 3
}

// The device flow: the test approves the user code in the user's place.
func ExampleServer_ApproveDevice() {
	s, _ := kctest.NewServer(kctest.WithRealmFile("../../testdata/realms/demo-realm.json"))
	defer s.Close()
	resp, _ := http.PostForm(s.URL+"/realms/demo/protocol/openid-connect/auth/device", url.Values{"client_id": {"demo-app"}})
	var dev map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&dev)
	resp.Body.Close()

	poll := url.Values{"grant_type": {"urn:ietf:params:oauth:grant-type:device_code"}, "client_id": {"demo-app"}, "device_code": {dev["device_code"].(string)}}
	_, pending := postToken(s, "demo", poll)
	s.ApproveDevice("demo", dev["user_code"].(string), "alice")
	status, tok := postToken(s, "demo", poll)
	fmt.Println(pending["error"], status, claimsOf(tok["access_token"].(string))["preferred_username"])
	// Output: authorization_pending 200 alice
}
