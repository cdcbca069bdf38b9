package kctest

import (
	"net/http"
	"slices"
	"sort"
	"strings"
)

// The policy evaluation tool of the admin console, as Keycloak's
// PolicyEvaluationService and PolicyEvaluationResponseBuilder serve it at
// POST .../authz/resource-server/policy/evaluate and .../permission/evaluate
// (PolicyService.getPolicyEvaluateResource: the path is never taken for a
// policy type named "evaluate"). kctest decides with the engine of its
// token endpoint (authz_eval.go); the user's own roles count, the extra
// roleIds and context attributes of the request do not.

// evalRequest is a PolicyEvaluationRequest.
type evalRequest struct {
	Context      map[string]map[string]string `json:"context"`
	Resources    []evalResourceRep            `json:"resources"`
	ResourceType string                       `json:"resourceType"`
	ClientID     string                       `json:"clientId"`
	UserID       string                       `json:"userId"`
	RoleIDs      []string                     `json:"roleIds"`
	Entitlements bool                         `json:"entitlements"`
}

type evalResourceRep struct {
	ID     string `json:"_id"`
	Name   string `json:"name"`
	Type   string `json:"type"`
	Scopes []struct {
		ID   string `json:"id"`
		Name string `json:"name"`
	} `json:"scopes"`
}

type evalScopeRep struct {
	ID   string `json:"id,omitempty"`
	Name string `json:"name"`
}

type evalPolicyRep struct {
	ID               string   `json:"id"`
	Name             string   `json:"name"`
	Description      string   `json:"description,omitempty"`
	Type             string   `json:"type"`
	DecisionStrategy string   `json:"decisionStrategy,omitempty"`
	Resources        []string `json:"resources"`
	Scopes           []string `json:"scopes"`
}

type evalPolicyResult struct {
	Policy             evalPolicyRep      `json:"policy"`
	Status             string             `json:"status"`
	AssociatedPolicies []evalPolicyResult `json:"associatedPolicies"`
	Scopes             []string           `json:"scopes,omitempty"`
	ResourceType       string             `json:"resourceType,omitempty"`
}

type evalResult struct {
	Resource      map[string]string  `json:"resource"`
	Scopes        []evalScopeRep     `json:"scopes"`
	Policies      []evalPolicyResult `json:"policies"`
	Status        string             `json:"status"`
	AllowedScopes []evalScopeRep     `json:"allowedScopes"`
	DeniedScopes  []evalScopeRep     `json:"deniedScopes"`
}

// policyEvaluate answers POST .../policy/evaluate and
// .../permission/evaluate.
func (s *Server) policyEvaluate(w http.ResponseWriter, r *http.Request, a *adminAuthzCall) {
	var req evalRequest
	if !azReadJSON(w, r, &req) {
		return
	}
	var u *user
	if req.UserID != "" {
		if u = a.rm.users[req.UserID]; u == nil {
			u = a.rm.findUserByUsername(req.UserID)
		}
	}
	cl := a.client
	if req.ClientID != "" {
		if c := a.rm.clients[req.ClientID]; c != nil {
			cl = c
		}
	}
	if u == nil {
		// createIdentity fails without a user: Keycloak answers its
		// evaluation error.
		writeOAuthError(w, http.StatusInternalServerError, "server_error", "Error while evaluating permissions.")
		return
	}
	id := azIdentityFor(u, cl, a.client)
	perms := a.evalPermissions(req)

	type row struct {
		perm   *azPerm
		result evalResult
		anyDen bool
	}
	var rows []row
	allPermit := true
	for _, perm := range perms {
		res := evalResult{Policies: []evalPolicyResult{}, AllowedScopes: []evalScopeRep{}, DeniedScopes: []evalScopeRep{}, Scopes: []evalScopeRep{}}
		for _, sc := range perm.scopes {
			res.Scopes = append(res.Scopes, evalScopeRep{ID: sc.id, Name: sc.name})
		}
		for _, p := range a.rm.applicable(a.client, a.rs, perm) {
			granted, evaluated := a.rm.evalPermission(p, id)
			if !evaluated {
				continue
			}
			pr := a.rm.evalPolicyResult(p, id, granted)
			if p.typ == azResourcePerm && perm.resource != nil {
				pr.Policy.Scopes = scopeNames(perm.resource.scopes)
			}
			if !granted {
				allPermit = false
			}
			res.Policies = append(res.Policies, pr)
		}
		g, ok := a.rm.evalPerm(a.client, a.rs, id, perm)
		res.Status = "DENY"
		allowed := map[*azScope]bool{}
		if ok {
			res.Status = "PERMIT"
			for _, sc := range g.scopes {
				allowed[sc] = true
			}
			if len(perm.scopes) == 0 && perm.resource != nil && len(perm.resource.scopes) == 0 {
				allowed = nil
			}
		}
		universe := perm.scopes
		if perm.resource != nil {
			universe = append(slices.Clone(perm.scopes), perm.resource.scopes...)
		}
		seen := map[*azScope]bool{}
		for _, sc := range universe {
			if seen[sc] {
				continue
			}
			seen[sc] = true
			if allowed[sc] {
				res.AllowedScopes = append(res.AllowedScopes, evalScopeRep{ID: sc.id, Name: sc.name})
			} else {
				res.DeniedScopes = append(res.DeniedScopes, evalScopeRep{ID: sc.id, Name: sc.name})
			}
		}
		names := scopeNames(perm.scopes)
		if perm.resource != nil {
			name := perm.resource.name
			if len(names) > 0 {
				name += " with scopes [" + strings.Join(names, ", ") + "]"
			}
			res.Resource = map[string]string{"_id": perm.resource.id, "name": name}
		} else {
			res.Resource = map[string]string{"name": "Any Resource with Scopes [" + strings.Join(names, ", ") + "]"}
		}
		rows = append(rows, row{perm: perm, result: res})
	}
	sort.SliceStable(rows, func(i, j int) bool { return rows[i].result.Resource["name"] < rows[j].result.Resource["name"] })

	// The overall status: every policy permitted, then, as
	// PolicyEvaluationResponseBuilder does per result with scopes, whether
	// a requested scope is allowed (the last such result decides).
	status := "DENY"
	if allPermit {
		status = "PERMIT"
	}
	results := make([]evalResult, 0, len(rows))
	var permissions []map[string]any
	for _, rw := range rows {
		res := rw.result
		if len(rw.perm.scopes) > 0 {
			status = "DENY"
			for _, sc := range res.AllowedScopes {
				if slices.ContainsFunc(rw.perm.scopes, func(x *azScope) bool { return x.id == sc.ID }) {
					status = "PERMIT"
				}
			}
		}
		results = append(results, res)
		if res.Status == "PERMIT" {
			p := map[string]any{}
			if rw.perm.resource != nil {
				p["rsid"], p["rsname"] = rw.perm.resource.id, rw.perm.resource.name
			}
			if len(res.AllowedScopes) > 0 {
				var names []string
				for _, sc := range res.AllowedScopes {
					names = append(names, sc.Name)
				}
				p["scopes"] = names
			}
			permissions = append(permissions, p)
		}
	}
	if permissions == nil {
		permissions = []map[string]any{}
	}
	rpt := map[string]any{
		"sub": u.id, "azp": cl.clientID, "aud": a.client.clientID, "typ": "Bearer",
		"realm_access":  map[string]any{"roles": a.rm.effectiveRealmRoles(u)},
		"authorization": map[string]any{"permissions": permissions},
	}
	writeJSON(w, http.StatusOK, map[string]any{"results": results, "entitlements": false, "status": status, "rpt": rpt})
}

// evalPermissions is PolicyEvaluationService.createPermissions: a resource
// by id with the scopes given (all its scopes when none), every resource
// of a type, the resources that have the scopes given (or the scopes
// alone when none has them); every resource of the server when the
// request names none.
func (a *adminAuthzCall) evalPermissions(req evalRequest) []*azPerm {
	var out []*azPerm
	forResource := func(r *azResource, scopes []*azScope) *azPerm {
		if len(scopes) == 0 {
			scopes = slices.Clone(r.scopes)
		}
		return &azPerm{resource: r, scopes: scopes}
	}
	for _, rep := range req.Resources {
		var scopes []*azScope
		for _, sc := range rep.Scopes {
			found := a.rs.scopes[sc.ID]
			if found == nil {
				found = a.rs.scopeByName(sc.Name)
			}
			if found != nil {
				scopes = append(scopes, found)
			}
		}
		switch {
		case rep.ID != "":
			if r := a.rs.resources[rep.ID]; r != nil {
				out = append(out, forResource(r, scopes))
			}
		case rep.Type != "":
			for _, r := range a.rs.sortedResources() {
				if r.typ == rep.Type {
					out = append(out, forResource(r, scopes))
				}
			}
		case len(scopes) > 0:
			var found bool
			for _, r := range a.rs.sortedResources() {
				if slices.ContainsFunc(scopes, r.hasScope) {
					out = append(out, forResource(r, scopes))
					found = true
				}
			}
			if !found {
				for _, sc := range scopes {
					out = append(out, &azPerm{scopes: []*azScope{sc}})
				}
			}
		}
	}
	if len(req.Resources) == 0 {
		for _, r := range a.rs.sortedResources() {
			out = append(out, forResource(r, nil))
		}
	}
	return out
}

// evalPolicyResult is PolicyEvaluationResponseBuilder.toRepresentation for
// a permission and its associated policies.
func (rm *realm) evalPolicyResult(p *azPolicy, id azIdentity, granted bool) evalPolicyResult {
	pr := evalPolicyResult{Policy: evalPolicyRepOf(p), Status: "PERMIT", AssociatedPolicies: []evalPolicyResult{}, ResourceType: p.resourceType}
	if !granted {
		pr.Status = "DENY"
		pr.Scopes = pr.Policy.Scopes
	}
	for _, ap := range p.applied {
		ag := rm.evalPolicy(ap, id, 0)
		sub := evalPolicyResult{Policy: evalPolicyRepOf(ap), Status: "PERMIT", AssociatedPolicies: []evalPolicyResult{}}
		if !ag {
			sub.Status = "DENY"
			sub.Scopes = sub.Policy.Scopes
		}
		pr.AssociatedPolicies = append(pr.AssociatedPolicies, sub)
	}
	return pr
}

func evalPolicyRepOf(p *azPolicy) evalPolicyRep {
	rep := evalPolicyRep{ID: p.id, Name: p.name, Description: p.description, Type: p.typ, DecisionStrategy: p.decision,
		Resources: []string{}, Scopes: scopeNames(p.scopes)}
	for _, r := range p.resources {
		rep.Resources = append(rep.Resources, r.name)
	}
	if p.typ == azUMA && rep.Description == "" {
		rep.Description = "User-Managed Policy"
	}
	return rep
}
