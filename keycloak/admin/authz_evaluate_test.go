package admin_test

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kcgo/kc"
	"github.com/kcgo/kc/keycloak/admin"
)

// TestAuthzEvaluate follows PolicyEvaluationService and
// PolicyEvaluationResponseBuilder: per resource, the status, the allowed
// and denied scopes and the permissions (with their associated policies)
// behind them; overall, PERMIT when a requested scope is allowed. The
// permission endpoint answers the same.
func TestAuthzEvaluate(t *testing.T) {
	t.Parallel()
	e, _, az := authzEnv(t)
	ctx := t.Context()
	must[string](t)(e.realm.Roles.Create(ctx, &admin.Role{Name: "manager"}))
	manager := must[*admin.Role](t)(e.realm.Roles.Get(ctx, "manager"))
	alice := must[string](t)(e.realm.Users.Create(ctx, &admin.User{Username: "alice"}))
	must[string](t)(e.realm.Users.Create(ctx, &admin.User{Username: "bob"}))
	check(t, e.realm.Users.RoleMappings(alice).AddRealmRoles(ctx, []admin.Role{*manager}))
	report := must[string](t)(az.Resources.Create(ctx, &admin.AuthzResource{Name: "Report", Scopes: []admin.AuthzScope{{Name: "read"}, {Name: "write"}}}))
	must[string](t)(az.Policies.CreateTyped(ctx, "role", &admin.Policy{Name: "Managers", Roles: []admin.PolicyRole{{ID: manager.ID}}}))
	must[string](t)(az.Permissions.CreateScopePermission(ctx, &admin.Policy{Name: "Write needs manager", Scopes: []string{"write"}, Policies: []string{"Managers"}}))

	req := func(user string) *admin.PolicyEvaluationRequest {
		return &admin.PolicyEvaluationRequest{UserID: user, Resources: []admin.AuthzResource{{ID: report, Scopes: []admin.AuthzScope{{Name: "read"}, {Name: "write"}}}}}
	}
	scopes := func(list []admin.AuthzScope) []string { return names(list, scName) }
	for _, tc := range []struct {
		user, status        string
		allowed, denied     []string
		policyStatus, assoc string
	}{
		{"alice", "PERMIT", []string{"write"}, []string{"read"}, "PERMIT", "PERMIT"},
		{"bob", "DENY", []string{}, []string{"read", "write"}, "DENY", "DENY"},
	} {
		for name, eval := range map[string]func(*admin.PolicyEvaluationRequest) (*admin.PolicyEvaluationResponse, error){
			"policy": func(r *admin.PolicyEvaluationRequest) (*admin.PolicyEvaluationResponse, error) {
				return az.Policies.Evaluate(ctx, r)
			},
			"permission": func(r *admin.PolicyEvaluationRequest) (*admin.PolicyEvaluationResponse, error) {
				return az.Permissions.Evaluate(ctx, r)
			},
		} {
			got := must[*admin.PolicyEvaluationResponse](t)(eval(req(tc.user)))
			if got.Status != tc.status || len(got.Results) != 1 {
				t.Fatalf("%s %s: status %s, %d results", name, tc.user, got.Status, len(got.Results))
			}
			r := got.Results[0]
			if r.Resource.ID != report || r.Resource.Name != "Report with scopes [read, write]" {
				t.Errorf("%s %s: resource %+v", name, tc.user, r.Resource)
			}
			if diff := cmp.Diff(tc.allowed, scopes(r.AllowedScopes)); diff != "" {
				t.Errorf("%s %s: allowed scopes (-want +got):\n%s", name, tc.user, diff)
			}
			if diff := cmp.Diff(tc.denied, scopes(r.DeniedScopes)); diff != "" {
				t.Errorf("%s %s: denied scopes (-want +got):\n%s", name, tc.user, diff)
			}
			if len(r.Policies) != 1 || r.Policies[0].Policy.Name != "Write needs manager" || r.Policies[0].Status != tc.policyStatus ||
				len(r.Policies[0].AssociatedPolicies) != 1 || r.Policies[0].AssociatedPolicies[0].Policy.Name != "Managers" ||
				r.Policies[0].AssociatedPolicies[0].Status != tc.assoc {
				t.Errorf("%s %s: policies %+v", name, tc.user, r.Policies)
			}
			if tc.status == "PERMIT" && !strings.Contains(string(got.RPT), `"scopes":["write"]`) {
				t.Errorf("%s %s: rpt %s lacks the granted permission", name, tc.user, got.RPT)
			}
		}
	}
	// No resource named: every resource of the server, the default one too.
	all := must[*admin.PolicyEvaluationResponse](t)(az.Policies.Evaluate(ctx, &admin.PolicyEvaluationRequest{UserID: "alice"}))
	if got := names(all.Results, func(r admin.EvaluationResult) string { return r.Resource.Name }); !cmp.Equal(got, []string{"Default Resource", "Report with scopes [read, write]"}) {
		t.Errorf("results for every resource: %q", got)
	}
	if _, err := az.Policies.Evaluate(ctx, &admin.PolicyEvaluationRequest{}); err == nil || !strings.Contains(err.Error(), "userID") {
		t.Errorf("no user: %v, want an error naming userID", err)
	}
	var apiErr *kc.APIError
	if _, err := az.Policies.Evaluate(ctx, &admin.PolicyEvaluationRequest{UserID: "nobody"}); !errors.As(err, &apiErr) ||
		apiErr.StatusCode != http.StatusInternalServerError || apiErr.ErrorCode != "server_error" {
		t.Errorf("unknown user: %v, want 500 server_error", err)
	}
}
