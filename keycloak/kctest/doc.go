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
// code, standard token exchange), auth (with a minimal login form that
// posts to login-actions/authenticate, whose absolute URL carries the
// authentication session as Keycloak's does, so posting only username and
// password logs in; or [Server.Login] in-process), ext/par/request (pushed
// authorization requests, RFC 9126), auth/device, userinfo (a JWT signed
// with the realm's key when the client sets
// user.info.response.signature.alg), token/introspect, revoke and logout,
// with Keycloak's status codes and error bodies. As in
// Keycloak, a wrong method on a known path answers 405 with an Allow
// header, a body over 1 MiB (32 MiB for a realm import) answers 413, and
// CORS on the client-authenticated endpoints and userinfo follows the
// client's web origins; on the Admin REST API it follows the bearer
// token's allowed-origins claim, and every admin preflight answers 200.
//
// # Protocol mappers
//
// Tokens, userinfo and introspection answers are built as Keycloak builds
// them: the claims TokenManager.initToken sets (exp, iat, jti, iss, typ,
// azp, sid, scope), then the protocol mappers of the client and of the
// client scopes the request applies (the client's default scopes and the
// optional ones it asked for), sorted by priority and each switched per
// token by access.token.claim, id.token.claim, userinfo.token.claim,
// introspection.token.claim and lightweight.claim. The standard claims (sub,
// preferred_username, email, name, realm_access, resource_access, aud,
// allowed-origins, acr, auth_time ...) come from the mappers of the
// built-in scopes a new realm holds (profile, email, roles, web-origins,
// acr, basic, address, phone, microprofile-jwt, organization,
// service_account), with Keycloak 26's configs, so editing or removing a
// mapper changes the tokens as it does in Keycloak.
//
// The supported mapper types ([SupportedMapperTypes]):
// oidc-usermodel-attribute-mapper (multivalued, aggregate.attrs),
// oidc-usermodel-property-mapper, oidc-hardcoded-claim-mapper,
// oidc-full-name-mapper, oidc-address-mapper, oidc-group-membership-mapper
// (full.path), oidc-usermodel-realm-role-mapper and
// oidc-usermodel-client-role-mapper (role prefix, ${client_id}),
// oidc-hardcoded-role-mapper, oidc-role-name-mapper, oidc-audience-mapper,
// oidc-audience-resolve-mapper, oidc-allowed-origins-mapper,
// oidc-sha256-pairwise-sub-mapper, oidc-claims-param-token-mapper,
// oidc-acr-mapper, oidc-sub-mapper, oidc-usersessionmodel-note-mapper (the
// notes AUTH_TIME after a browser login, client_id, clientHost and
// clientAddress for a service account), oidc-session-state-mapper,
// oidc-nonce-backwards-compatible-mapper and
// oidc-organization-membership-mapper. claim.name nests on dots ("a.b.c";
// "a\.b" is one claim named "a.b") and jsonType.label converts to String,
// long, int, boolean or JSON. A realm may hold mappers of any other type:
// they import and are listed like the rest, but a token request that would
// run one fails with 500 unknown_error and the server logs why ([WithLogger]),
// rather than issue a token that silently lacks the claim. Mapper output for
// the access token response (access.tokenResponse.claim) is not supported.
//
// Time comes from a clock: pass a [FakeClock]'s Now to [WithClock] and call
// [FakeClock.Advance] to expire tokens, codes and sessions without sleeping.
// [Server.InjectFault] makes requests fail (status, latency, connection
// reset) and [Server.Requests] shows what a client sent.
//
// A complete test of a service that trusts Keycloak tokens (here a handler
// that asks Keycloak's userinfo endpoint who the caller is):
//
//	func TestWhoAmI(t *testing.T) {
//		clock := kctest.NewFakeClock(time.Now())
//		srv := kctest.Start(t, kctest.WithClock(clock.Now))
//		srv.AddRealm(kctest.Realm{Name: "shop"})
//		srv.AddClient("shop", kctest.Client{ClientID: "web", Public: true})
//		srv.AddUser("shop", kctest.User{Username: "ann", Password: "pw"})
//
//		// The service under test, configured with the realm's issuer.
//		svc := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
//			req, _ := http.NewRequestWithContext(r.Context(), "GET",
//				srv.Issuer("shop")+"/protocol/openid-connect/userinfo", nil)
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
//		resp, err := http.PostForm(srv.Issuer("shop")+"/protocol/openid-connect/token", url.Values{
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
// # Mail
//
// kctest sends no mail and opens no connection. Where Keycloak would send
// a message with the realm's smtpServer settings (PUT
// users/{id}/execute-actions-email, reset-password-email and
// send-verify-email, organization invitations with members/invite-user,
// members/invite-existing-user and invitations/{id}/resend, POST
// testSMTPConnection with the settings given), it captures the [Mail] a
// Keycloak would have sent: From and Reply-To from the settings, To, the
// subject and text body of Keycloak's English email theme, and the action
// link in it, which carries a token signed with the realm's key. Without
// a "from" and a "host" the call fails as Keycloak's does (500
// "Failed to send execute actions email: No sender address configured in
// the realm settings for emails", "Failed to send verify email", "Failed
// to send invite email", "Failed to send email"). [Server.Mail] returns
// the captured mails, oldest first ([WithMailLog] bounds how many are
// kept); [WithMailHandler] sees each as it is captured:
//
//	srv := kctest.Start(t)
//	// ... set the realm's smtpServer, then call execute-actions-email ...
//	m := srv.Mail()[0]
//	// m.To == "ann@shop.example", m.Subject == "Update Your Account",
//	// m.Link == srv.URL+"/realms/shop/login-actions/action-token?key=..."
//
// # Brute-force detection and events
//
// A realm with bruteForceProtected counts failed password logins (the
// password grant and the login form) per user as Keycloak's
// DefaultBruteForceProtector does: failureFactor, waitIncrementSeconds
// and maxFailureWaitSeconds with the MULTIPLE or LINEAR strategy, the
// quick-login check, maxDeltaTimeSeconds, permanentLockout (the user is
// disabled, disabledReason permanentLockout) and maxTemporaryLockouts. A
// locked user's password grant answers 400 invalid_grant "Invalid user
// credentials"; GET and DELETE attack-detection/brute-force/users report
// and clear the records, and PUT users/{id} with enabled:true lifts a
// permanent lockout. Waits follow the server's [Clock]: tests advance a
// [FakeClock] instead of sleeping.
//
// With eventsEnabled, the token endpoint (LOGIN, CLIENT_LOGIN,
// CODE_TO_TOKEN, REFRESH_TOKEN, TOKEN_EXCHANGE, ... and their _ERROR
// types), the login form, logout, revocation, introspection and userinfo
// record Keycloak's events with its details (grant_type, auth_method,
// username, token_id, refresh_token_id, code_id, ...), honouring
// enabledEventTypes (the types Keycloak saves by default when it is
// empty) and eventsExpiration; GET /admin/realms/{realm}/events serves
// them with every filter. With adminEventsEnabled, Admin API writes are
// recorded as admin events, with the request body when
// adminEventsDetailsEnabled.
//
// # Outgoing requests and keystores
//
// One Admin REST call makes kctest open a connection: POST
// identity-provider/import-config with a JSON body fetches its fromUrl,
// as Keycloak does, and only that URL (no redirect followed, 10 seconds,
// at most 1 MiB; the server's lock is not held meanwhile, so the URL may
// be kctest's own discovery document). An uploaded document is parsed
// without any request.
//
// The client certificate endpoints read and write PKCS#12 keystores with
// kctest's own codec (the standard library has none); JKS and BCFKS are
// answered as by a Keycloak whose crypto provider lacks them.
//
// # Realm import
//
// [WithRealmFile], [Server.ImportRealm], kcdev --import-realm and
// POST /admin/realms with a full representation all import a realm as
// Keycloak's RealmManager.importRealm does, and keep:
//   - every realm setting (token and session lifetimes, brute-force, OTP
//     and WebAuthn policies, password policy, themes, flow bindings,
//     smtpServer, browserSecurityHeaders, client policies and profiles,
//     attributes, ...), served back by GET /admin/realms/{realm};
//   - users (hashed or plain passwords, other credentials as they are,
//     required actions, attributes, role mappings, groups, identity-provider
//     links, service accounts), clients (every field, including those kctest
//     does not act on, such as nodeReRegistrationTimeout or
//     authenticationFlowBindingOverrides; protocol mappers; authorization
//     settings), realm and client roles with composites, nested groups,
//     default groups, client scopes, scope mappings and the default role;
//   - identity providers and their mappers, and organizations with their
//     domains, members and identity providers;
//   - authenticationFlows, authenticatorConfig and requiredActions, which
//     replace Keycloak's defaults (a file without them gets the defaults);
//   - components: key providers, whose keys sign and encrypt (the JWKS and
//     GET .../keys show the file's keys; an RSA key's kid is Keycloak's, the
//     SHA-256 of its public key); the user-profile configuration, including
//     unmanagedAttributePolicy; client-registration policies, which replace
//     the defaults when the file has any; and every other component
//     (user storage, LDAP mappers, ...), kept and listed by
//     GET .../components but not run;
//   - built-in clients the file defines (account, admin-cli,
//     realm-management, ...) as the file says, without roles the file does
//     not give them; the built-in clients it leaves out are created as in a
//     new realm.
//
// As in Keycloak, GET /admin/realms/{realm} answers the admin
// representation only: none of the sections above besides the identity
// providers, and no secret (the SMTP password and identity-provider client
// secrets are masked; component secrets are never listed).
//
// A realm created with only a name holds what Keycloak 26 puts in a new
// realm: every setting's default, the built-in clients with their roles,
// attributes and mappers, the default roles, the built-in flows with their
// authenticator configs, the required actions, the client-registration
// policies and the rsa-generated, rsa-enc-generated, hmac-generated-hs512
// and aes-generated key providers.
//
// cmd/kcdev serves the same server as a program, for tests in any language.
package kctest
