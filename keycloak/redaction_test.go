package keycloak_test

import (
	"bytes"
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
