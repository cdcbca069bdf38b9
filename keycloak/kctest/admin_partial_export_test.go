package kctest_test

import (
	"strings"
	"testing"
)

// TestAdminPartialExport pins RealmAdminResource.partialExport: sections
// by query parameter, secrets masked by StripSecretsUtils.stripForExport.
func TestAdminPartialExport(t *testing.T) {
	t.Parallel()
	s, tok := startAdmin(t)
	if res := adminDo(t, s, tok, "POST", "/admin/realms/acme/clients", `{"clientId":"backend","secret":"client-pass","serviceAccountsEnabled":true}`); res.status != 201 {
		t.Fatalf("create client: %d %s", res.status, res.body)
	}
	if res := adminDo(t, s, tok, "POST", "/admin/realms/acme/clients", `{"clientId":"vaulted","secret":"${vault.backend}"}`); res.status != 201 {
		t.Fatalf("create client: %d %s", res.status, res.body)
	}
	for _, c := range []struct {
		query   string
		present []string
		absent  []string
	}{
		{"", []string{"clientScopes", "components", "authenticationFlows", "requiredActions", "authenticatorConfig", "identityProviders"}, []string{"clients", "roles", "groups", "users"}},
		{"?exportClients=true", []string{"clients", "users"}, []string{"roles", "groups"}},
		{"?exportGroupsAndRoles=true", []string{"roles", "groups"}, []string{"clients", "users"}},
	} {
		res := adminDo(t, s, tok, "POST", "/admin/realms/acme/partial-export"+c.query, "")
		if res.status != 200 {
			t.Fatalf("partial-export%s = %d %s", c.query, res.status, res.body)
		}
		body := res.json()
		for _, k := range c.present {
			if _, ok := body[k]; !ok {
				t.Errorf("partial-export%s lacks %s", c.query, k)
			}
		}
		for _, k := range c.absent {
			if _, ok := body[k]; ok {
				t.Errorf("partial-export%s has %s", c.query, k)
			}
		}
		if strings.Contains(string(res.body), "client-pass") {
			t.Errorf("partial-export%s shows a client secret", c.query)
		}
		if c.query == "?exportClients=true" && (!strings.Contains(string(res.body), `"secret":"**********"`) || !strings.Contains(string(res.body), `"secret":"${vault.backend}"`)) {
			t.Errorf("client secrets not masked as Keycloak masks them: %s", res.body)
		}
	}
	// Keycloak: view-realm is required.
	if res := adminDo(t, s, "", "POST", "/admin/realms/acme/partial-export", ""); res.status != 401 {
		t.Errorf("without a token = %d", res.status)
	}
}
