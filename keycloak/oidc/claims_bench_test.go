package oidc

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// keycloakPayload is the payload of a Keycloak 26 access token.
const keycloakPayload = `{"exp":1893456300,"iat":1893456000,"jti":"onrtro:6b1f3c2e-6a55-4c3e-9a1e-0f5cbd1b7f3a","iss":"https://sso.example.com/realms/demo",` +
	`"aud":["demo-api","account"],"sub":"0f7e5c57-3a7c-4c0e-8f6e-2d6f2b1d9c11","typ":"Bearer","azp":"demo-app","sid":"2c1b7f0e-9d1a-4b8e-a3f4-5e6d7c8b9a01",` +
	`"acr":"1","allowed-origins":["https://app.example.com"],"realm_access":{"roles":["default-roles-demo","offline_access","uma_authorization","admin"]},` +
	`"resource_access":{"demo-api":{"roles":["reader","writer"]},"account":{"roles":["manage-account","manage-account-links","view-profile"]}},` +
	`"scope":"openid email profile","email_verified":true,"name":"Alice Liddell","preferred_username":"alice","given_name":"Alice","family_name":"Liddell","email":"alice@example.com"}`

// BenchmarkDecodeClaims compares the claims decoder of Verify with
// encoding/json on a Keycloak access token's payload.
func BenchmarkDecodeClaims(b *testing.B) {
	payload := []byte(keycloakPayload)
	b.Run("decodeClaims", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var c Claims
			if err := decodeClaims(payload, string(payload), &c); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("encoding-json", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var c Claims
			if err := json.Unmarshal(payload, &c); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func TestDecodeClaimsKeycloakPayload(t *testing.T) {
	t.Parallel()
	var got, want Claims
	if err := decodeClaims([]byte(keycloakPayload), keycloakPayload, &got); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(keycloakPayload), &want); err != nil {
		t.Fatal(err)
	}
	if got.Issuer != "https://sso.example.com/realms/demo" || len(got.ResourceAccess) != 2 || !got.HasClientRole("demo-api", "writer") {
		t.Errorf("claims = %+v", got)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("claims (-encoding/json +decodeClaims):\n%s", diff)
	}
}
