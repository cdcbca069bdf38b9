package keycloak_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/kcgo/kc"
	"github.com/kcgo/kc/keycloak/admin"
	"github.com/kcgo/kc/keycloak/authz"
	"github.com/kcgo/kc/keycloak/oidc"
)

// secret is what every value below holds in its secret fields.
const secret = "s3cr3t-VALUE"

// renderings prints v every way a program might: as a value, a pointer,
// a slice element and a struct field (value and pointer), with fmt's
// %v %+v %#v %s and through slog's text and JSON handlers. wire types
// (request bodies, whose JSON must carry the secret) skip the renderings
// where slog's JSON handler falls back to encoding/json.
func renderings[T any](v T, wire bool) map[string]string {
	type field struct{ F T }
	type ptrField struct{ F *T }
	shapes := map[string]any{
		"value": v, "pointer": &v, "element": []T{v}, "pointer element": []*T{&v},
		"field": field{v}, "pointer field": ptrField{&v},
	}
	out := map[string]string{}
	for name, x := range shapes {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
			out[name+" "+verb] = fmt.Sprintf(verb, x)
		}
		var text, js bytes.Buffer
		slog.New(slog.NewTextHandler(&text, nil)).Info("m", "k", x)
		out[name+" slog text"] = text.String()
		if wire && name != "value" && name != "pointer" {
			continue
		}
		slog.New(slog.NewJSONHandler(&js, nil)).Info("m", "k", x)
		out[name+" slog JSON"] = js.String()
	}
	return out
}

func TestSecretsNeverPrint(t *testing.T) {
	t.Parallel()
	exp := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	for _, tc := range []struct {
		typ  string
		out  map[string]string
		want string // something that must still show, so the test sees a real rendering
	}{
		{"kc.Token", renderings(kc.Token{AccessToken: secret, RefreshToken: secret, IDToken: secret, TokenType: "Bearer", Expiry: exp, Scope: "openid"}, false), "openid"},
		{"admin.ClientSecret", renderings(admin.ClientSecret{Type: "secret", Value: secret}, false), "secret"},
		{"admin.Credential", renderings(admin.Credential{Type: "password", Value: secret, SecretData: secret}, true), "password"},
		{"admin.ClientApp", renderings(admin.ClientApp{ClientID: "billing", Secret: secret}, true), "billing"},
		{"admin.User", renderings(admin.User{Username: "ann", Credentials: []admin.Credential{{Type: "password", Value: secret}}}, true), "ann"},
		{"oidc.DeviceAuthResponse", renderings(oidc.DeviceAuthResponse{DeviceCode: secret, UserCode: "ABCD-EFGH", VerificationURI: "https://kc/device", Expiry: exp}, false), "ABCD-EFGH"},
		{"oidc.TokenExchange", renderings(oidc.TokenExchange{SubjectToken: secret, Audiences: []string{"orders"}}, false), "orders"},
		{"authz.Request", renderings(authz.Request{ClaimToken: secret, Audience: "photoz"}, false), "photoz"},
		{"admin.ClientApp attributes", renderings(admin.ClientApp{ClientID: "billing", Attributes: map[string]string{"client.secret.rotated": secret}}, true), "billing"},
		{"admin.Realm", renderings(realmWithSecrets(t), true), "acme"},
		{"admin.Extra", renderings(realmWithSecrets(t).Extra, true), "smtp.acme.test"},
		{"admin.IdentityProvider", renderings(admin.IdentityProvider{Alias: "corp", ProviderID: "oidc", Config: map[string]string{"clientId": "kc", "clientSecret": secret}}, true), "corp"},
		{"admin.Component", renderings(admin.Component{Name: "ldap", ProviderID: "ldap", Config: map[string][]string{"bindDn": {"cn=admin"}, "bindCredential": {secret}}}, true), "cn=admin"},
		{"admin.AuthenticatorConfig", renderings(admin.AuthenticatorConfig{Alias: "captcha", Config: map[string]string{"site.key": "public", "secret": secret}}, true), "captcha"},
		{"admin.InitialAccess", renderings(admin.InitialAccess{ID: "ia-1", Token: secret, Count: 1}, true), "ia-1"},
		{"admin.PartialImport", renderings(admin.PartialImport{
			IfResourceExists:  "SKIP",
			Users:             []admin.User{{Username: "ann", Credentials: []admin.Credential{{Type: "password", Value: secret}}}},
			Clients:           []admin.ClientApp{{ClientID: "billing", Secret: secret}},
			IdentityProviders: []admin.IdentityProvider{{Alias: "corp", Config: map[string]string{"clientSecret": secret}}},
		}, true), "SKIP"},
		{"oidc.EndSession", renderings(oidc.EndSession{IDTokenHint: secret, State: "st-1"}, true), "st-1"},
	} {
		for how, s := range tc.out {
			if strings.Contains(s, secret) {
				t.Errorf("%s, %s: %s", tc.typ, how, s)
			}
			if !strings.Contains(s, tc.want) {
				t.Errorf("%s, %s: %q does not show %q", tc.typ, how, s, tc.want)
			}
		}
	}
}

// realmWithSecrets is a realm as GET /admin/realms/{realm} or a partial
// export answers it: the members Realm does not declare, among them
// secrets, land in Extra.
func realmWithSecrets(t *testing.T) admin.Realm {
	t.Helper()
	var r admin.Realm
	err := json.Unmarshal([]byte(`{"realm":"acme","attributes":{"frontendUrl":"https://acme.test"},
		"smtpServer":{"host":"smtp.acme.test","user":"mailer","password":"`+secret+`"},
		"clients":[{"clientId":"billing","secret":"`+secret+`","attributes":{"client.secret.rotated":"`+secret+`"}}],
		"users":[{"username":"ann","credentials":[{"type":"password","value":"`+secret+`","secretData":"`+secret+`"}]}],
		"identityProviders":[{"alias":"corp","config":{"clientSecret":"`+secret+`"}}],
		"components":{"org.keycloak.keys.KeyProvider":[{"name":"hmac","config":{"secret":["`+secret+`"],"privateKey":["`+secret+`"]}}]}}`), &r)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// TestSecretsPrintRedactedOnClients pins the clients that hold a secret:
// every fmt verb and slog print them without it, as a pointer, an element
// and a field.
func TestSecretsPrintRedactedOnClients(t *testing.T) {
	t.Parallel()
	ac, err := authz.New("https://kc.test", "acme", "photoz", authz.WithClientSecret(secret))
	if err != nil {
		t.Fatal(err)
	}
	oc, err := oidc.New("https://kc.test", "acme", "photoz", oidc.WithClientSecret(secret))
	if err != nil {
		t.Fatal(err)
	}
	for name, v := range map[string]any{"*authz.Client": ac, "*oidc.Client": oc} {
		type field struct{ F any }
		for how, x := range map[string]any{"pointer": v, "element": []any{v}, "field": field{v}} {
			var outs []string
			for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
				outs = append(outs, fmt.Sprintf(verb, x))
			}
			var text, js bytes.Buffer
			slog.New(slog.NewTextHandler(&text, nil)).Info("m", "k", x)
			slog.New(slog.NewJSONHandler(&js, nil)).Info("m", "k", x)
			outs = append(outs, text.String(), js.String())
			for _, s := range outs {
				if strings.Contains(s, secret) {
					t.Errorf("%s, %s: %s", name, how, s)
				}
			}
		}
	}
}

// TestRedactionKeepsJSON pins that printing never changes what goes over
// the wire: the request bodies encode their secrets, so a GET followed by
// a PUT keeps them.
func TestRedactionKeepsJSON(t *testing.T) {
	t.Parallel()
	for name, v := range map[string]any{
		"admin.Realm":               realmWithSecrets(t),
		"admin.IdentityProvider":    admin.IdentityProvider{Alias: "corp", Config: map[string]string{"clientSecret": secret}},
		"admin.Component":           admin.Component{Name: "ldap", Config: map[string][]string{"bindCredential": {secret}}},
		"admin.AuthenticatorConfig": admin.AuthenticatorConfig{Alias: "captcha", Config: map[string]string{"secret": secret}},
		"admin.ClientApp":           admin.ClientApp{ClientID: "billing", Secret: secret, Attributes: map[string]string{"client.secret.rotated": secret}},
		"admin.Credential":          admin.Credential{Type: "password", Value: secret},
		"admin.User":                admin.User{Username: "ann", Credentials: []admin.Credential{{Type: "password", Value: secret}}},
		"admin.PartialImport":       admin.PartialImport{IdentityProviders: []admin.IdentityProvider{{Alias: "corp", Config: map[string]string{"clientSecret": secret}}}},
	} {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !strings.Contains(string(b), secret) {
			t.Errorf("%s: JSON %s lost the secret", name, b)
		}
	}
	r := realmWithSecrets(t)
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(b), secret); n != 8 {
		t.Errorf("realm JSON carries the secret %d times, want 8: %s", n, b)
	}
}
