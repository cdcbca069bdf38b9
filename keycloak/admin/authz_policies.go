package admin

import (
	"context"
	"iter"
)

// PolicyListOptions are the query parameters of PoliciesService.List and
// PermissionsService.List.
type PolicyListOptions struct {
	PolicyID     string // this policy only
	Name         string // names containing it, case-insensitively
	Type         string // a policy type: role, user, resource, scope, ..
	Owner        string
	ResourceType string
	Resource     string // permissions of this resource (ID or name)
	Scope        string // permissions of this scope (ID or name)
	// Permission, on PoliciesService.List, narrows to permissions (true)
	// or to other policies (false).
	Permission *bool
	Fields     string
	// First and Max page the list; Keycloak returns every policy when Max
	// is not given.
	First, Max int
}

func (o *PolicyListOptions) query() query {
	q := query{}
	if o == nil {
		return q
	}
	q.str("policyId", o.PolicyID)
	q.str("name", o.Name)
	q.str("type", o.Type)
	q.str("owner", o.Owner)
	q.str("resourceType", o.ResourceType)
	q.str("resource", o.Resource)
	q.str("scope", o.Scope)
	q.boolp("permission", o.Permission)
	q.str("fields", o.Fields)
	q.int("first", o.First)
	q.int("max", o.Max)
	return q
}

// kind is "policy" or "permission", the path segment of the endpoints.
func (b authzBase) listPolicies(ctx context.Context, kind string, opts *PolicyListOptions) ([]Policy, error) {
	if err := b.need(); err != nil {
		return nil, err
	}
	var out []Policy
	_, err := b.c.do(ctx, "GET", b.path(kind), opts.query().values(), nil, &out)
	return out, err
}

func (b authzBase) allPolicies(ctx context.Context, kind string, opts *PolicyListOptions) iter.Seq2[Policy, error] {
	var o PolicyListOptions
	if opts != nil {
		o = *opts
	}
	return pages(ctx, o.First, o.Max, func(ctx context.Context, first, max int) ([]Policy, error) {
		o.First, o.Max = first, max
		return b.listPolicies(ctx, kind, &o)
	})
}

func (b authzBase) searchPolicy(ctx context.Context, kind, name string) (*Policy, error) {
	if err := b.need("name", name); err != nil {
		return nil, err
	}
	var out Policy
	if err := b.search(ctx, b.path(kind, "search"), name, kind, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// createPolicy POSTs p to .../{kind} or, with typ, .../{kind}/{typ}.
func (b authzBase) createPolicy(ctx context.Context, kind, typ string, p *Policy) (string, error) {
	if err := b.need(); err != nil {
		return "", err
	}
	if err := needBody(kind, p); err != nil {
		return "", err
	}
	if err := need(kind+" name", p.Name); err != nil {
		return "", err
	}
	path := b.path(kind)
	if typ != "" {
		path = b.path(kind, typ)
	} else if err := need(kind+" type", p.Type); err != nil {
		return "", err
	}
	var out Policy
	if err := b.createBody(ctx, path, p, &out); err != nil {
		return "", err
	}
	return out.ID, nil
}

// policyPath is .../{kind}/{id} or, with typ, .../{kind}/{typ}/{id}.
func (b authzBase) policyPath(kind, typ, id string) []string {
	if typ != "" {
		return b.path(kind, typ, id)
	}
	return b.path(kind, id)
}

func (b authzBase) getPolicy(ctx context.Context, kind, typ, id string) (*Policy, error) {
	if err := b.need(kind+"ID", id); err != nil {
		return nil, err
	}
	return fetch[Policy](ctx, b.c, "GET", b.policyPath(kind, typ, id), nil, nil)
}

func (b authzBase) listOfType(ctx context.Context, kind, typ string) ([]Policy, error) {
	if err := b.need(kind+"Type", typ); err != nil {
		return nil, err
	}
	var out []Policy
	_, err := b.c.do(ctx, "GET", b.path(kind, typ), nil, nil, &out)
	return out, err
}

func (b authzBase) updatePolicy(ctx context.Context, kind, typ, id string, p *Policy) error {
	if err := b.need(kind+"ID", id); err != nil {
		return err
	}
	if err := needBody(kind, p); err != nil {
		return err
	}
	_, err := b.c.do(ctx, "PUT", b.policyPath(kind, typ, id), nil, p, nil)
	return err
}

func (b authzBase) deletePolicy(ctx context.Context, kind, id string) error {
	if err := b.need(kind+"ID", id); err != nil {
		return err
	}
	_, err := b.c.do(ctx, "DELETE", b.path(kind, id), nil, nil, nil)
	return err
}

// PoliciesService manages the policies of a resource server: who may
// (role, user, group, client, aggregate, js, time, ... policies). Its
// lists include the permissions unless PolicyListOptions.Permission is
// false.
type PoliciesService struct{ authzBase }

// List returns the policies matching opts.
//
// Keycloak: GET /admin/realms/{realm}/clients/{client-uuid}/authz/resource-server/policy
func (s *PoliciesService) List(ctx context.Context, opts *PolicyListOptions) ([]Policy, error) {
	return s.listPolicies(ctx, "policy", opts)
}

// All iterates over every policy matching opts, a page at a time.
//
// Keycloak: GET /admin/realms/{realm}/clients/{client-uuid}/authz/resource-server/policy
func (s *PoliciesService) All(ctx context.Context, opts *PolicyListOptions) iter.Seq2[Policy, error] {
	return s.allPolicies(ctx, "policy", opts)
}

// Search returns the policy named name (exactly); the error matches
// kc.ErrNotFound when there is none.
//
// Keycloak: GET /admin/realms/{realm}/clients/{client-uuid}/authz/resource-server/policy/search
func (s *PoliciesService) Search(ctx context.Context, name string) (*Policy, error) {
	return s.searchPolicy(ctx, "policy", name)
}

// Create creates policy p from its Type and Config (p.Name and p.Type
// are required) and returns its ID. A policy of the same name is a
// conflict (kc.ErrConflict).
//
// Keycloak: POST /admin/realms/{realm}/clients/{client-uuid}/authz/resource-server/policy
func (s *PoliciesService) Create(ctx context.Context, p *Policy) (string, error) {
	return s.createPolicy(ctx, "policy", "", p)
}

// CreateTyped creates a policy of type policyType ("role", "user",
// "group", "client", "aggregate", "js", "time", ...) from its typed
// fields (Roles, Users, ...) and returns its ID.
//
// Keycloak: POST /admin/realms/{realm}/clients/{client-uuid}/authz/resource-server/policy/{type}
func (s *PoliciesService) CreateTyped(ctx context.Context, policyType string, p *Policy) (string, error) {
	if err := s.need("policyType", policyType); err != nil {
		return "", err
	}
	return s.createPolicy(ctx, "policy", policyType, p)
}

// Get returns policy policyID as a PolicyRepresentation (typed settings
// in Config).
//
// Keycloak: GET /admin/realms/{realm}/clients/{client-uuid}/authz/resource-server/policy/{policy-id}
func (s *PoliciesService) Get(ctx context.Context, policyID string) (*Policy, error) {
	return s.getPolicy(ctx, "policy", "", policyID)
}

// GetTyped returns policy policyID of type policyType with its typed
// fields (Roles, Users, ...).
//
// Keycloak: GET /admin/realms/{realm}/clients/{client-uuid}/authz/resource-server/policy/{type}/{policy-id}
func (s *PoliciesService) GetTyped(ctx context.Context, policyType, policyID string) (*Policy, error) {
	if err := s.need("policyType", policyType); err != nil {
		return nil, err
	}
	return s.getPolicy(ctx, "policy", policyType, policyID)
}

// Update replaces policy policyID from p's Config.
//
// Keycloak: PUT /admin/realms/{realm}/clients/{client-uuid}/authz/resource-server/policy/{policy-id}
func (s *PoliciesService) Update(ctx context.Context, policyID string, p *Policy) error {
	return s.updatePolicy(ctx, "policy", "", policyID, p)
}

// UpdateTyped replaces policy policyID of type policyType from p's typed
// fields.
//
// Keycloak: PUT /admin/realms/{realm}/clients/{client-uuid}/authz/resource-server/policy/{type}/{policy-id}
func (s *PoliciesService) UpdateTyped(ctx context.Context, policyType, policyID string, p *Policy) error {
	if err := s.need("policyType", policyType); err != nil {
		return err
	}
	return s.updatePolicy(ctx, "policy", policyType, policyID, p)
}

// ListTyped returns the policies of type policyType ("role", "user",
// ...) in that type's representation, with the typed fields set.
//
// Keycloak: GET /admin/realms/{realm}/clients/{client-uuid}/authz/resource-server/policy/{type}
func (s *PoliciesService) ListTyped(ctx context.Context, policyType string) ([]Policy, error) {
	return s.listOfType(ctx, "policy", policyType)
}

// Delete deletes policy policyID. Keycloak also deletes every policy or
// permission that applied it and is left applying none.
//
// Keycloak: DELETE /admin/realms/{realm}/clients/{client-uuid}/authz/resource-server/policy/{policy-id}
func (s *PoliciesService) Delete(ctx context.Context, policyID string) error {
	return s.deletePolicy(ctx, "policy", policyID)
}

// AssociatedPolicies returns the policies that policy policyID (an
// aggregate policy or a permission) applies.
//
// Keycloak: GET /admin/realms/{realm}/clients/{client-uuid}/authz/resource-server/policy/{policy-id}/associatedPolicies
func (s *PoliciesService) AssociatedPolicies(ctx context.Context, policyID string) ([]Policy, error) {
	var out []Policy
	return out, s.getList(ctx, &out, "policyID", policyID, "policy", policyID, "associatedPolicies")
}

// DependentPolicies returns the policies and permissions that apply
// policy policyID.
//
// Keycloak: GET /admin/realms/{realm}/clients/{client-uuid}/authz/resource-server/policy/{policy-id}/dependentPolicies
func (s *PoliciesService) DependentPolicies(ctx context.Context, policyID string) ([]Policy, error) {
	var out []Policy
	return out, s.getList(ctx, &out, "policyID", policyID, "policy", policyID, "dependentPolicies")
}

// Resources returns the resources of permission policyID (ID and name
// only).
//
// Keycloak: GET /admin/realms/{realm}/clients/{client-uuid}/authz/resource-server/policy/{policy-id}/resources
func (s *PoliciesService) Resources(ctx context.Context, policyID string) ([]AuthzResource, error) {
	var out []AuthzResource
	return out, s.getList(ctx, &out, "policyID", policyID, "policy", policyID, "resources")
}

// Scopes returns the scopes of permission policyID.
//
// Keycloak: GET /admin/realms/{realm}/clients/{client-uuid}/authz/resource-server/policy/{policy-id}/scopes
func (s *PoliciesService) Scopes(ctx context.Context, policyID string) ([]AuthzScope, error) {
	var out []AuthzScope
	return out, s.getList(ctx, &out, "policyID", policyID, "policy", policyID, "scopes")
}

// PermissionsService manages the permissions of a resource server: what
// is protected (resource permissions, or scope permissions) and by which
// policies.
type PermissionsService struct{ authzBase }

// List returns the permissions matching opts.
//
// Keycloak: GET /admin/realms/{realm}/clients/{client-uuid}/authz/resource-server/permission
func (s *PermissionsService) List(ctx context.Context, opts *PolicyListOptions) ([]Policy, error) {
	return s.listPolicies(ctx, "permission", opts)
}

// All iterates over every permission matching opts, a page at a time.
//
// Keycloak: GET /admin/realms/{realm}/clients/{client-uuid}/authz/resource-server/permission
func (s *PermissionsService) All(ctx context.Context, opts *PolicyListOptions) iter.Seq2[Policy, error] {
	return s.allPolicies(ctx, "permission", opts)
}

// Search returns the permission named name (exactly); the error matches
// kc.ErrNotFound when there is none.
//
// Keycloak: GET /admin/realms/{realm}/clients/{client-uuid}/authz/resource-server/permission/search
func (s *PermissionsService) Search(ctx context.Context, name string) (*Policy, error) {
	return s.searchPolicy(ctx, "permission", name)
}

// Create creates permission p from its Type ("resource" or "scope") and
// Config and returns its ID.
//
// Keycloak: POST /admin/realms/{realm}/clients/{client-uuid}/authz/resource-server/permission
func (s *PermissionsService) Create(ctx context.Context, p *Policy) (string, error) {
	return s.createPolicy(ctx, "permission", "", p)
}

// CreateResourcePermission creates a resource permission from p's Resources (or
// ResourceType) and Policies and returns its ID.
//
// Keycloak: POST /admin/realms/{realm}/clients/{client-uuid}/authz/resource-server/permission/resource
func (s *PermissionsService) CreateResourcePermission(ctx context.Context, p *Policy) (string, error) {
	return s.createPolicy(ctx, "permission", "resource", p)
}

// CreateScopePermission creates a scope permission from p's Scopes (and optional
// Resources) and Policies and returns its ID.
//
// Keycloak: POST /admin/realms/{realm}/clients/{client-uuid}/authz/resource-server/permission/scope
func (s *PermissionsService) CreateScopePermission(ctx context.Context, p *Policy) (string, error) {
	return s.createPolicy(ctx, "permission", "scope", p)
}

// Get returns permission permissionID as a PolicyRepresentation (its
// resources, scopes and policies in Config).
//
// Keycloak: GET /admin/realms/{realm}/clients/{client-uuid}/authz/resource-server/permission/{permission-id}
func (s *PermissionsService) Get(ctx context.Context, permissionID string) (*Policy, error) {
	return s.getPolicy(ctx, "permission", "", permissionID)
}

// GetTyped returns permission permissionID of type permissionType
// ("resource" or "scope") with its typed fields.
//
// Keycloak: GET /admin/realms/{realm}/clients/{client-uuid}/authz/resource-server/permission/{type}/{permission-id}
func (s *PermissionsService) GetTyped(ctx context.Context, permissionType, permissionID string) (*Policy, error) {
	if err := s.need("permissionType", permissionType); err != nil {
		return nil, err
	}
	return s.getPolicy(ctx, "permission", permissionType, permissionID)
}

// ListTyped returns the permissions of type permissionType ("resource"
// or "scope") with their typed fields.
//
// Keycloak: GET /admin/realms/{realm}/clients/{client-uuid}/authz/resource-server/permission/{type}
func (s *PermissionsService) ListTyped(ctx context.Context, permissionType string) ([]Policy, error) {
	return s.listOfType(ctx, "permission", permissionType)
}

// Update replaces permission permissionID from p's Config.
//
// Keycloak: PUT /admin/realms/{realm}/clients/{client-uuid}/authz/resource-server/permission/{permission-id}
func (s *PermissionsService) Update(ctx context.Context, permissionID string, p *Policy) error {
	return s.updatePolicy(ctx, "permission", "", permissionID, p)
}

// UpdateTyped replaces permission permissionID of type permissionType
// ("resource" or "scope") from p's typed fields (Resources, Scopes,
// Policies, ...).
//
// Keycloak: PUT /admin/realms/{realm}/clients/{client-uuid}/authz/resource-server/permission/{type}/{permission-id}
func (s *PermissionsService) UpdateTyped(ctx context.Context, permissionType, permissionID string, p *Policy) error {
	if err := s.need("permissionType", permissionType); err != nil {
		return err
	}
	return s.updatePolicy(ctx, "permission", permissionType, permissionID, p)
}

// Delete deletes permission permissionID.
//
// Keycloak: DELETE /admin/realms/{realm}/clients/{client-uuid}/authz/resource-server/permission/{permission-id}
func (s *PermissionsService) Delete(ctx context.Context, permissionID string) error {
	return s.deletePolicy(ctx, "permission", permissionID)
}

// AssociatedPolicies returns the policies permission permissionID
// applies.
//
// Keycloak: GET /admin/realms/{realm}/clients/{client-uuid}/authz/resource-server/permission/{permission-id}/associatedPolicies
func (s *PermissionsService) AssociatedPolicies(ctx context.Context, permissionID string) ([]Policy, error) {
	var out []Policy
	return out, s.getList(ctx, &out, "permissionID", permissionID, "permission", permissionID, "associatedPolicies")
}

// Resources returns the resources of permission permissionID (ID and
// name only).
//
// Keycloak: GET /admin/realms/{realm}/clients/{client-uuid}/authz/resource-server/permission/{permission-id}/resources
func (s *PermissionsService) Resources(ctx context.Context, permissionID string) ([]AuthzResource, error) {
	var out []AuthzResource
	return out, s.getList(ctx, &out, "permissionID", permissionID, "permission", permissionID, "resources")
}

// Scopes returns the scopes of permission permissionID.
//
// Keycloak: GET /admin/realms/{realm}/clients/{client-uuid}/authz/resource-server/permission/{permission-id}/scopes
func (s *PermissionsService) Scopes(ctx context.Context, permissionID string) ([]AuthzScope, error) {
	var out []AuthzScope
	return out, s.getList(ctx, &out, "permissionID", permissionID, "permission", permissionID, "scopes")
}

// Providers returns the policy types of the resource server, permissions
// (resource, scope) included.
//
// Keycloak: GET /admin/realms/{realm}/clients/{client-uuid}/authz/resource-server/policy/providers
func (s *PoliciesService) Providers(ctx context.Context) ([]PolicyProvider, error) {
	return s.providers(ctx, "policy")
}

// Providers returns the policy types of the resource server; Keycloak
// answers as PoliciesService.Providers does.
//
// Keycloak: GET /admin/realms/{realm}/clients/{client-uuid}/authz/resource-server/permission/providers
func (s *PermissionsService) Providers(ctx context.Context) ([]PolicyProvider, error) {
	return s.providers(ctx, "permission")
}

func (b authzBase) providers(ctx context.Context, kind string) ([]PolicyProvider, error) {
	if err := b.need(); err != nil {
		return nil, err
	}
	var out []PolicyProvider
	_, err := b.c.do(ctx, "GET", b.path(kind, "providers"), nil, nil, &out)
	return out, err
}
