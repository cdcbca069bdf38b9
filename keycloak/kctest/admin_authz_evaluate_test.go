package kctest_test

import (
	"strings"
	"testing"
)

// TestAdminAuthzEvaluateWire pins PolicyEvaluationService (Keycloak 26.6):
// POST .../policy/evaluate and .../permission/evaluate evaluate and never
// create a policy of type "evaluate"; an unknown user is 500 server_error.
func TestAdminAuthzEvaluateWire(t *testing.T) {
	t.Parallel()
	s, tok := startAdmin(t)
	res := adminDo(t, s, tok, "POST", "/admin/realms/acme/clients",
		`{"clientId":"api","publicClient":false,"serviceAccountsEnabled":true,"authorizationServicesEnabled":true}`)
	rs := strings.TrimPrefix(res.header.Get("Location"), s.URL) + "/authz/resource-server"
	if res := adminDo(t, s, tok, "POST", "/admin/realms/acme/users", `{"username":"alice"}`); res.status != 201 {
		t.Fatalf("user: %d %s", res.status, res.body)
	}
	for _, kind := range []string{"policy", "permission"} {
		res := adminDo(t, s, tok, "POST", rs+"/"+kind+"/evaluate", `{"userId":"alice","resources":[]}`)
		if res.status != 200 || res.str("status") != "PERMIT" || !strings.Contains(string(res.body), `"name":"Default Resource"`) ||
			!strings.Contains(string(res.body), `"name":"Default Permission"`) {
			t.Errorf("%s/evaluate: %d %s", kind, res.status, res.body)
		}
		res = adminDo(t, s, tok, "POST", rs+"/"+kind+"/evaluate", `{"userId":"nobody"}`)
		if res.status != 500 || res.str("error") != "server_error" || res.str("error_description") != "Error while evaluating permissions." {
			t.Errorf("%s/evaluate of an unknown user: %d %s", kind, res.status, res.body)
		}
	}
	if res := adminDo(t, s, tok, "GET", rs+"/policy?name=evaluate", ""); res.status != 200 || string(res.body) != "[]" {
		t.Errorf("a policy named evaluate exists: %d %s", res.status, res.body)
	}
}
