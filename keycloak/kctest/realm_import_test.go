package kctest_test

import (
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"net/url"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kcgo/kc/keycloak/kctest"
)

// fullRealmFile is a realm export holding every section kctest imports.
// Its RSA key was generated for this test only.
const fullRealmFile = "testdata/realms/full-realm.json"

// importFull imports fullRealmFile through one of the three ways in:
// kctest.WithRealmFile (what kcdev --import-realm uses), ImportRealm, and
// POST /admin/realms with the file as the body.
func importFull(t *testing.T, how string) (*kctest.Server, string) {
	t.Helper()
	b, err := os.ReadFile(fullRealmFile)
	if err != nil {
		t.Fatal(err)
	}
	var s *kctest.Server
	switch how {
	case "WithRealmFile":
		s = kctest.Start(t, kctest.WithRealmFile(fullRealmFile))
	case "ImportRealm":
		s = kctest.Start(t)
		if _, err := s.ImportRealm(strings.NewReader(string(b))); err != nil {
			t.Fatal(err)
		}
	case "POST /admin/realms":
		s = kctest.Start(t)
		res := adminDo(t, s, adminToken(t, s), "POST", "/admin/realms", string(b))
		if res.status != 201 || res.header.Get("Location") != s.URL+"/admin/realms/full" {
			t.Fatalf("create: %d %s Location %q", res.status, res.body, res.header.Get("Location"))
		}
	}
	return s, adminToken(t, s)
}

// fileKid is the kid Keycloak gives the file's RSA key
// (KeyUtils.createKeyId: base64url SHA-256 of the X.509 public key).
func fileKid(t *testing.T) string {
	t.Helper()
	b, _ := os.ReadFile(fullRealmFile)
	var rep struct {
		Components map[string][]struct {
			ID     string              `json:"id"`
			Config map[string][]string `json:"config"`
		} `json:"components"`
	}
	if err := json.Unmarshal(b, &rep); err != nil {
		t.Fatal(err)
	}
	for _, c := range rep.Components["org.keycloak.keys.KeyProvider"] {
		if c.ID != "file-rsa" {
			continue
		}
		der, _ := base64.StdEncoding.DecodeString(c.Config["privateKey"][0])
		k, err := x509.ParsePKCS1PrivateKey(der)
		if err != nil {
			t.Fatal(err)
		}
		pub, _ := x509.MarshalPKIXPublicKey(&k.PublicKey)
		sum := sha256.Sum256(pub)
		return base64.RawURLEncoding.EncodeToString(sum[:])
	}
	t.Fatal("no file-rsa key")
	return ""
}

// TestImportKeepsEverything pins what a realm import keeps, through each
// way in. Keycloak: RealmManager.importRealm, RepresentationToModel.importRealm.
func TestImportKeepsEverything(t *testing.T) {
	t.Parallel()
	kid := fileKid(t)
	for _, how := range []string{"WithRealmFile", "ImportRealm", "POST /admin/realms"} {
		t.Run(how, func(t *testing.T) {
			t.Parallel()
			s, tok := importFull(t, how)
			get := func(t *testing.T, path string) result {
				t.Helper()
				res := adminDo(t, s, tok, "GET", "/admin/realms/full"+path, "")
				if res.status != 200 {
					t.Fatalf("GET %s: %d %s", path, res.status, res.body)
				}
				return res
			}

			t.Run("the file's key signs and is published", func(t *testing.T) {
				res := do(t, "GET", oidcURL(s, "full", "certs"), nil)
				var jwks struct {
					Keys []struct{ Kid, Use, Alg string } `json:"keys"`
				}
				_ = json.Unmarshal(res.body, &jwks)
				if !slices.ContainsFunc(jwks.Keys, func(k struct{ Kid, Use, Alg string }) bool { return k.Kid == kid && k.Use == "sig" }) {
					t.Errorf("JWKS has no key %s: %s", kid, res.body)
				}
				tk := token(t, s, "full", url.Values{"grant_type": {"password"}, "client_id": {"shop"}, "client_secret": {"shop-secret"},
					"username": {"ann"}, "password": {"pw"}})
				hdr, _ := base64.RawURLEncoding.DecodeString(strings.Split(tk["access_token"].(string), ".")[0])
				if !strings.Contains(string(hdr), `"kid":"`+kid+`"`) {
					t.Errorf("access token header %s, want kid %s", hdr, kid)
				}
				verify(t, s, "full", tk["access_token"].(string))
				var keys struct {
					Active map[string]string `json:"active"`
					Keys   []map[string]any  `json:"keys"`
				}
				_ = json.Unmarshal(get(t, "/keys").body, &keys)
				if keys.Active["RS256"] != kid || keys.Active["HS512"] != "file-hmac-kid" {
					t.Errorf("active keys %v", keys.Active)
				}
			})

			t.Run("components are listed without secrets", func(t *testing.T) {
				var comps []map[string]any
				_ = json.Unmarshal(get(t, "/components").body, &comps)
				byID := map[string]map[string]any{}
				for _, c := range comps {
					byID[c["id"].(string)] = c
				}
				want := map[string]map[string]any{
					"file-rsa": {"id": "file-rsa", "name": "file-rsa", "providerId": "rsa", "providerType": "org.keycloak.keys.KeyProvider", "parentId": "full-id",
						"config": map[string]any{"priority": []any{"200"}, "privateKey": []any{"**********"}, "algorithm": []any{"RS256"}}},
					"file-hmac": {"id": "file-hmac", "name": "hmac-generated", "providerId": "hmac-generated", "providerType": "org.keycloak.keys.KeyProvider", "parentId": "full-id",
						"config": map[string]any{"priority": []any{"100"}, "algorithm": []any{"HS512"}}},
					"file-maxc": {"id": "file-maxc", "name": "Max Clients Limit", "providerId": "max-clients", "subType": "anonymous",
						"providerType": "org.keycloak.services.clientregistration.policy.ClientRegistrationPolicy", "parentId": "full-id",
						"config": map[string]any{"max-clients": []any{"5"}}},
					"file-ldap": {"id": "file-ldap", "name": "corp-ldap", "providerId": "ldap", "providerType": "org.keycloak.storage.UserStorageProvider", "parentId": "full-id",
						"config": map[string]any{"connectionUrl": []any{"ldap://ldap.example.com"}, "bindCredential": []any{"**********"}, "enabled": []any{"true"}}},
					"file-ldap-mapper": {"id": "file-ldap-mapper", "name": "username", "providerId": "user-attribute-ldap-mapper",
						"providerType": "org.keycloak.storage.ldap.mappers.LDAPStorageMapper", "parentId": "file-ldap",
						"config": map[string]any{"ldap.attribute": []any{"uid"}}},
				}
				for id, w := range want {
					got := byID[id]
					if id == "file-rsa" && got != nil {
						delete(got["config"].(map[string]any), "certificate") // public; checked below
					}
					if diff := cmp.Diff(w, got); diff != "" {
						t.Errorf("component %s (-want +got):\n%s", id, diff)
					}
				}
				// The file's policies replace the defaults.
				for _, c := range comps {
					if c["providerType"] == "org.keycloak.services.clientregistration.policy.ClientRegistrationPolicy" && c["id"] != "file-maxc" {
						t.Errorf("default policy %v kept", c["name"])
					}
				}
				if strings.Contains(string(get(t, "/components").body), "ldap-secret") || strings.Contains(string(get(t, "/components").body), "MII") && strings.Contains(string(get(t, "/components").body), "privateKey\":[\"MII") {
					t.Error("a secret is listed")
				}
			})

			t.Run("user profile", func(t *testing.T) {
				var up map[string]any
				_ = json.Unmarshal(get(t, "/users/profile").body, &up)
				if up["unmanagedAttributePolicy"] != "ENABLED" || len(up["attributes"].([]any)) != 3 {
					t.Errorf("users/profile = %v", up)
				}
			})

			t.Run("flows, configs and required actions replace the defaults", func(t *testing.T) {
				var flows []map[string]any
				_ = json.Unmarshal(get(t, "/authentication/flows").body, &flows)
				var aliases []string
				for _, f := range flows {
					aliases = append(aliases, f["alias"].(string))
				}
				if diff := cmp.Diff([]string{"my browser", "direct grant"}, aliases); diff != "" {
					t.Errorf("top-level flows (-want +got):\n%s", diff)
				}
				var execs []map[string]any
				_ = json.Unmarshal(get(t, "/authentication/flows/my%20browser/executions").body, &execs)
				if len(execs) != 4 {
					t.Fatalf("executions of my browser: %v", execs)
				}
				cfgID, _ := execs[1]["authenticationConfig"].(string)
				var cfg map[string]any
				_ = json.Unmarshal(get(t, "/authentication/config/"+cfgID).body, &cfg)
				if cfg["alias"] != "my idp redirect" || cfg["config"].(map[string]any)["defaultProvider"] != "corp" {
					t.Errorf("config = %v", cfg)
				}
				var actions []map[string]any
				_ = json.Unmarshal(get(t, "/authentication/required-actions").body, &actions)
				var names []string
				for _, a := range actions {
					names = append(names, a["alias"].(string))
				}
				if diff := cmp.Diff([]string{"TERMS_AND_CONDITIONS", "UPDATE_PASSWORD"}, names); diff != "" {
					t.Errorf("required actions (-want +got):\n%s", diff)
				}
			})

			t.Run("clients round-trip", func(t *testing.T) {
				var shop []map[string]any
				_ = json.Unmarshal(get(t, "/clients?clientId=shop").body, &shop)
				if len(shop) != 1 {
					t.Fatalf("shop: %v", shop)
				}
				got := map[string]any{}
				for _, k := range []string{"surrogateAuthRequired", "alwaysDisplayInConsole", "nodeReRegistrationTimeout", "authenticationFlowBindingOverrides", "registeredNodes", "attributes"} {
					got[k] = shop[0][k]
				}
				want := map[string]any{"surrogateAuthRequired": true, "alwaysDisplayInConsole": true, "nodeReRegistrationTimeout": float64(30),
					"authenticationFlowBindingOverrides": map[string]any{"browser": "my-browser-id"}, "registeredNodes": map[string]any{"node1": float64(1700000000)},
					"attributes": map[string]any{"post.logout.redirect.uris": "+", "custom": "x"}}
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("shop (-want +got):\n%s", diff)
				}
				// A built-in client the file defines is taken as the file says.
				var account []map[string]any
				_ = json.Unmarshal(get(t, "/clients?clientId=account").body, &account)
				var roles []map[string]any
				_ = json.Unmarshal(get(t, "/clients/"+account[0]["id"].(string)+"/roles").body, &roles)
				if len(roles) != 1 || roles[0]["name"] != "view-profile" {
					t.Errorf("account roles = %v", roles)
				}
				if account[0]["nodeReRegistrationTimeout"] != float64(0) {
					t.Errorf("account nodeReRegistrationTimeout = %v", account[0]["nodeReRegistrationTimeout"])
				}
			})

			t.Run("identity providers, organizations, users, groups", func(t *testing.T) {
				var mappers []map[string]any
				_ = json.Unmarshal(get(t, "/identity-provider/instances/corp/mappers").body, &mappers)
				if len(mappers) != 1 || mappers[0]["name"] != "dept" {
					t.Errorf("idp mappers = %v", mappers)
				}
				var orgs []map[string]any
				_ = json.Unmarshal(get(t, "/organizations").body, &orgs)
				if len(orgs) != 1 || orgs[0]["alias"] != "acme" {
					t.Fatalf("organizations = %v", orgs)
				}
				var members []map[string]any
				_ = json.Unmarshal(get(t, "/organizations/"+orgs[0]["id"].(string)+"/members").body, &members)
				if len(members) != 1 || members[0]["username"] != "ann" {
					t.Errorf("members = %v", members)
				}
				var users []map[string]any
				_ = json.Unmarshal(get(t, "/users?username=ann&exact=true").body, &users)
				var links []map[string]any
				_ = json.Unmarshal(get(t, "/users/"+users[0]["id"].(string)+"/federated-identity").body, &links)
				if len(links) != 1 || links[0]["userId"] != "ann-at-corp" {
					t.Errorf("federated identities = %v", links)
				}
				if res := adminDo(t, s, tok, "GET", "/admin/realms/full/localization/en/hello", ""); string(res.body) != "Hello" {
					t.Errorf("localization text: %d %q", res.status, res.body)
				}
				var dg []map[string]any
				_ = json.Unmarshal(get(t, "/default-groups").body, &dg)
				if len(dg) != 1 || dg[0]["path"] != "/staff" {
					t.Errorf("default groups = %v", dg)
				}
			})

			t.Run("GET realm is the admin representation", func(t *testing.T) {
				res := get(t, "")
				var rep map[string]any
				_ = json.Unmarshal(res.body, &rep)
				// Keycloak: ModelToRepresentation.toRepresentation(internal=false), StripSecretsUtils.
				for _, k := range []string{"users", "clients", "roles", "groups", "clientScopes", "components", "authenticationFlows",
					"authenticatorConfig", "requiredActions", "organizations", "localizationTexts", "scopeMappings", "clientScopeMappings",
					"defaultDefaultClientScopes", "defaultOptionalClientScopes", "keycloakVersion"} {
					if _, ok := rep[k]; ok {
						t.Errorf("GET realm has %q", k)
					}
				}
				for _, secret := range []string{"smtp-secret", "idp-secret", "ldap-secret", "c2VjcmV0"} {
					if strings.Contains(string(res.body), secret) {
						t.Errorf("GET realm shows a secret (%s)", secret)
					}
				}
				got := map[string]any{}
				for _, k := range []string{"bruteForceProtected", "failureFactor", "passwordPolicy", "loginTheme", "registrationAllowed",
					"accessTokenLifespan", "browserFlow", "eventsEnabled", "enabledEventTypes", "defaultGroups", "organizationsEnabled", "displayName"} {
					got[k] = rep[k]
				}
				got["smtpServer.password"] = rep["smtpServer"].(map[string]any)["password"]
				got["idp.clientSecret"] = rep["identityProviders"].([]any)[0].(map[string]any)["config"].(map[string]any)["clientSecret"]
				got["attributes.custom.flag"] = rep["attributes"].(map[string]any)["custom.flag"]
				want := map[string]any{"bruteForceProtected": true, "failureFactor": float64(5), "passwordPolicy": "length(12)", "loginTheme": "keycloak",
					"registrationAllowed": true, "accessTokenLifespan": float64(120), "browserFlow": "my browser", "eventsEnabled": true,
					"enabledEventTypes": []any{"LOGIN"}, "defaultGroups": []any{"/staff"}, "organizationsEnabled": true, "displayName": "Full realm",
					"smtpServer.password": "**********", "idp.clientSecret": "**********", "attributes.custom.flag": "on"}
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("GET realm (-want +got):\n%s", diff)
				}
			})
		})
	}
}

// TestComponentsWire pins ComponentResource's statuses and bodies.
func TestComponentsWire(t *testing.T) {
	t.Parallel()
	s, tok := startAdmin(t)
	const p = "/admin/realms/acme/components"
	res := adminDo(t, s, tok, "POST", p, `{"name":"hmac-2","providerId":"hmac-generated","providerType":"org.keycloak.keys.KeyProvider","config":{"priority":["300"],"algorithm":["HS512"]}}`)
	loc := res.header.Get("Location")
	if res.status != 201 || len(res.body) != 0 || !strings.HasPrefix(loc, s.URL+p+"/") {
		t.Fatalf("create: %d %q Location %q", res.status, res.body, loc)
	}
	id := strings.TrimPrefix(loc, s.URL+p+"/")
	var keys struct {
		Active map[string]string `json:"active"`
		Keys   []map[string]any  `json:"keys"`
	}
	_ = json.Unmarshal(adminDo(t, s, tok, "GET", "/admin/realms/acme/keys", "").body, &keys)
	var kid string
	for _, k := range keys.Keys {
		if k["providerId"] == id {
			kid, _ = k["kid"].(string)
		}
	}
	if kid == "" || keys.Active["HS512"] != kid {
		t.Errorf("the new HS512 provider (kid %q) is not the active HS512 key: %v", kid, keys.Active)
	}
	tests := []struct {
		name, method, path, body string
		status                   int
		want                     string
	}{
		{"get missing", "GET", p + "/nope", "", 404, `{"error":"Could not find component"}`},
		{"update missing", "PUT", p + "/nope", `{}`, 404, `{"error":"Could not find component"}`},
		{"delete missing", "DELETE", p + "/nope", "", 404, `{"error":"Could not find component"}`},
		{"bad json", "POST", p, `{`, 400, `{"error":"invalid_request","error_description":"Cannot parse the JSON"}`},
		{"rsa key not a key", "POST", p, `{"providerId":"rsa","providerType":"org.keycloak.keys.KeyProvider","config":{"privateKey":["bm90IGEga2V5"]}}`, 400, ""},
		{"sub-component types", "GET", p + "/" + id + "/sub-component-types?type=x", "", 200, `[]`},
		{"delete", "DELETE", p + "/" + id, "", 204, ""},
	}
	for _, tt := range tests {
		res := adminDo(t, s, tok, tt.method, tt.path, tt.body)
		if res.status != tt.status || (tt.want != "" && strings.TrimSpace(string(res.body)) != tt.want) {
			t.Errorf("%s: %d %s, want %d %s", tt.name, res.status, res.body, tt.status, tt.want)
		}
	}
}
