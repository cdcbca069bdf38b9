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
// A test of a service that validates Keycloak tokens:
//
//	func TestService(t *testing.T) {
//		clock := kctest.NewFakeClock(time.Now())
//		kc := kctest.Start(t, kctest.WithClock(clock))
//		if _, err := kc.AddRealm(kctest.Realm{Name: "shop"}); err != nil {
//			t.Fatal(err)
//		}
//		kc.AddRealmRole("shop", kctest.Role{Name: "buyer"})
//		kc.AddClient("shop", kctest.Client{ClientID: "web", Public: true})
//		kc.AddUser("shop", kctest.User{Username: "ann", Password: "pw", RealmRoles: []string{"buyer"}})
//
//		resp, err := http.PostForm(kc.URL+"/realms/shop/protocol/openid-connect/token", url.Values{
//			"grant_type": {"password"}, "client_id": {"web"},
//			"username": {"ann"}, "password": {"pw"},
//		})
//		// ... decode access_token, call the service under test with it; the
//		// service fetches kc.Issuer("shop")+"/.well-known/openid-configuration".
//
//		clock.Advance(6 * time.Minute) // the access token has expired now
//	}
//
// cmd/kcdev serves the same server as a program, for tests in any language.
package kctest
