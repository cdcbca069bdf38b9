// Package kctest is an in-memory, Keycloak 26 compatible HTTP server for
// tests, in the style of net/http/httptest.
//
// [Start] (or [NewServer]) serves on a loopback port. The server has the
// master realm with a bootstrap admin (admin/admin by default, client
// admin-cli); add realms, users, clients, roles and groups with the seeding
// methods ([Server.AddRealm], [Server.AddUser], [Server.AddClient], ...) or
// import Keycloak realm exports ([WithRealmFile], [Server.ImportRealm]).
// Every realm answers Keycloak's OpenID Connect endpoints under
// {URL}/realms/{realm}/: discovery, certs, token (password,
// client_credentials, refresh_token, authorization_code with PKCE, device
// code, standard token exchange), auth (with a minimal login form, or
// [Server.Login] in-process), auth/device, userinfo, token/introspect,
// revoke and logout, with Keycloak's status codes and error bodies.
//
// Time comes from a [Clock]: pass a [FakeClock] with [WithClock] and call
// [FakeClock.Advance] to expire tokens, codes and sessions without sleeping.
// [Server.InjectFault] makes requests fail (status, latency, connection
// reset) and [Server.Requests] shows what a client sent.
//
// A complete test of a service that trusts Keycloak tokens (here a handler
// that asks Keycloak's userinfo endpoint who the caller is):
//
//	func TestWhoAmI(t *testing.T) {
//		clock := kctest.NewFakeClock(time.Now())
//		kc := kctest.Start(t, kctest.WithClock(clock))
//		kc.AddRealm(kctest.Realm{Name: "shop"})
//		kc.AddClient("shop", kctest.Client{ClientID: "web", Public: true})
//		kc.AddUser("shop", kctest.User{Username: "ann", Password: "pw"})
//
//		// The service under test, configured with the realm's issuer.
//		svc := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
//			req, _ := http.NewRequestWithContext(r.Context(), "GET",
//				kc.Issuer("shop")+"/protocol/openid-connect/userinfo", nil)
//			req.Header.Set("Authorization", r.Header.Get("Authorization"))
//			resp, err := http.DefaultClient.Do(req)
//			if err != nil || resp.StatusCode != http.StatusOK {
//				http.Error(w, "unauthorized", http.StatusUnauthorized)
//				return
//			}
//			defer resp.Body.Close()
//			var who struct{ PreferredUsername string `json:"preferred_username"` }
//			json.NewDecoder(resp.Body).Decode(&who)
//			fmt.Fprint(w, who.PreferredUsername)
//		}))
//		defer svc.Close()
//
//		// A user token, got the way any client gets one.
//		resp, err := http.PostForm(kc.Issuer("shop")+"/protocol/openid-connect/token", url.Values{
//			"grant_type": {"password"}, "client_id": {"web"}, "scope": {"openid"},
//			"username": {"ann"}, "password": {"pw"},
//		})
//		if err != nil {
//			t.Fatal(err)
//		}
//		var tok struct{ AccessToken string `json:"access_token"` }
//		json.NewDecoder(resp.Body).Decode(&tok)
//		resp.Body.Close()
//
//		call := func() (int, string) {
//			req, _ := http.NewRequest("GET", svc.URL, nil)
//			req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
//			resp, err := http.DefaultClient.Do(req)
//			if err != nil {
//				t.Fatal(err)
//			}
//			defer resp.Body.Close()
//			b, _ := io.ReadAll(resp.Body)
//			return resp.StatusCode, string(b)
//		}
//		if code, body := call(); code != 200 || body != "ann" {
//			t.Errorf("got %d %q", code, body)
//		}
//		clock.Advance(6 * time.Minute) // access tokens live 5 minutes
//		if code, _ := call(); code != 401 {
//			t.Errorf("expired token: got %d, want 401", code)
//		}
//	}
//
// cmd/kcdev serves the same server as a program, for tests in any language.
package kctest
