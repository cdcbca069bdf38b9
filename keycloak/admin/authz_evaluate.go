package admin

import (
	"context"
	"encoding/json"
)

// PolicyEvaluationRequest is a PolicyEvaluationRequest: whom to evaluate
// (a user by ID or username, through a client) and what for.
type PolicyEvaluationRequest struct {
	// UserID is the user's ID or username (required by Keycloak).
	UserID string `json:"userId,omitempty"`
	// ClientID is the UUID of the client the user acts through.
	ClientID string   `json:"clientId,omitempty"`
	RoleIDs  []string `json:"roleIds,omitempty"`
	// Resources are the permissions asked for: a resource by ID (with
	// some of its scopes, or all), the resources of a Type, or scopes
	// alone. None: every resource of the server.
	Resources    []AuthzResource `json:"resources,omitempty"`
	ResourceType string          `json:"resourceType,omitempty"`
	Entitlements bool            `json:"entitlements,omitempty"`
	// Context holds the evaluation context: "attributes" (claims) and
	// "identity" (token claims).
	Context map[string]map[string]string `json:"context,omitempty"`
}

// PolicyEvaluationResponse is a PolicyEvaluationResponse: the decision,
// per resource and overall, with the policies that made it.
type PolicyEvaluationResponse struct {
	Results      []EvaluationResult `json:"results"`
	Entitlements bool               `json:"entitlements"`
	// Status is "PERMIT" or "DENY".
	Status string `json:"status"`
	// RPT is the access token the identity would get, its authorization
	// claim holding the granted permissions.
	RPT json.RawMessage `json:"rpt,omitempty"`
}

// EvaluationResult is the decision for one resource (or scopes without a
// resource).
type EvaluationResult struct {
	Resource      AuthzResource  `json:"resource"`
	Scopes        []AuthzScope   `json:"scopes,omitempty"`
	Policies      []PolicyResult `json:"policies,omitempty"`
	Status        string         `json:"status"`
	AllowedScopes []AuthzScope   `json:"allowedScopes,omitempty"`
	DeniedScopes  []AuthzScope   `json:"deniedScopes,omitempty"`
}

// PolicyResult is the effect of one permission or policy.
type PolicyResult struct {
	Policy             Policy         `json:"policy"`
	Status             string         `json:"status"`
	AssociatedPolicies []PolicyResult `json:"associatedPolicies,omitempty"`
	// Scopes are the policy's scopes when it denied.
	Scopes       []string `json:"scopes,omitempty"`
	ResourceType string   `json:"resourceType,omitempty"`
}

func evaluate(ctx context.Context, b authzBase, kind string, req *PolicyEvaluationRequest) (*PolicyEvaluationResponse, error) {
	if err := b.need(); err != nil {
		return nil, err
	}
	if err := needBody("evaluation request", req); err != nil {
		return nil, err
	}
	if err := need("userID", req.UserID); err != nil {
		return nil, err
	}
	return fetch[PolicyEvaluationResponse](ctx, b.c, "POST", b.path(kind, "evaluate"), nil, req)
}

// Evaluate evaluates the resource server's permissions for a user, as the
// admin console's Evaluate tab does, and returns the decision per resource
// with the policies behind it.
//
// Keycloak: POST /admin/realms/{realm}/clients/{client-uuid}/authz/resource-server/policy/evaluate
func (s *PoliciesService) Evaluate(ctx context.Context, req *PolicyEvaluationRequest) (*PolicyEvaluationResponse, error) {
	return evaluate(ctx, s.authzBase, "policy", req)
}

// Evaluate is PoliciesService.Evaluate through the permission endpoint,
// which Keycloak answers the same way.
//
// Keycloak: POST /admin/realms/{realm}/clients/{client-uuid}/authz/resource-server/permission/evaluate
func (s *PermissionsService) Evaluate(ctx context.Context, req *PolicyEvaluationRequest) (*PolicyEvaluationResponse, error) {
	return evaluate(ctx, s.authzBase, "permission", req)
}
