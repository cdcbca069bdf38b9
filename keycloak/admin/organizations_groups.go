package admin

import (
	"context"
	"errors"
	"strings"
)

// Organization groups (Keycloak 26.6) are groups that belong to one
// organization: they form their own tree, apart from the realm's groups
// (GroupsService does not list them), their paths start at the
// organization ("/engineering/backend"), and only the organization's
// members can join them.

// OrganizationGroupListOptions are the query parameters of
// OrganizationsService.Groups and IdentityProviderGroups. Without Search
// and Attributes Keycloak lists the top-level groups; Attributes wins over
// Search.
type OrganizationGroupListOptions struct {
	Search              string            // name, at any depth
	Exact               *bool             // Search matches whole names
	Attributes          map[string]string // q=k1:v1 k2:v2
	BriefRepresentation *bool             // Keycloak's default: true
	PopulateHierarchy   bool              // each hit inside its ancestors (subGroups)
	SubGroupsCount      bool              // fill SubGroupCount
	First, Max          int               // Keycloak's default: all
}

func (o *OrganizationGroupListOptions) query() query {
	q := query{}
	if o != nil {
		q.str("search", o.Search)
		q.boolp("exact", o.Exact)
		q.attrs("q", o.Attributes)
		q.boolp("briefRepresentation", o.BriefRepresentation)
		if o.PopulateHierarchy {
			q.str("populateHierarchy", "true")
		}
		if o.SubGroupsCount {
			q.str("subGroupsCount", "true")
		}
		q.int("first", o.First)
		q.int("max", o.Max)
	}
	return q
}

// Groups returns organization orgID's groups: the top-level ones, or
// those matching opts.
//
// Keycloak: GET /admin/realms/{realm}/organizations/{org-id}/groups
func (s *OrganizationsService) Groups(ctx context.Context, orgID string, opts *OrganizationGroupListOptions) ([]Group, error) {
	if err := need("realm", s.realm, "orgID", orgID); err != nil {
		return nil, err
	}
	var out groupList
	_, err := s.c.do(ctx, "GET", s.path("organizations", orgID, "groups"), opts.query().values(), nil, &out)
	return out, err
}

// errGroupHasID is returned by CreateGroup and CreateChildGroup for a
// group with an ID, which Keycloak would move instead.
var errGroupHasID = errors.New("admin: group has an ID: Keycloak moves an existing group then; use MoveGroup")

// CreateGroup creates a top-level group of organization orgID (Name
// required; Description and Attributes kept) and returns its ID. A
// sibling with the same name answers 409 (kc.ErrConflict).
//
// Keycloak: POST /admin/realms/{realm}/organizations/{org-id}/groups
func (s *OrganizationsService) CreateGroup(ctx context.Context, orgID string, g *Group) (string, error) {
	if err := need("realm", s.realm, "orgID", orgID); err != nil {
		return "", err
	}
	if err := needBody("group", g); err != nil {
		return "", err
	}
	if err := need("group name", g.Name); err != nil {
		return "", err
	}
	if g.ID != "" {
		return "", errGroupHasID
	}
	return s.c.create(ctx, s.path("organizations", orgID, "groups"), g)
}

// CreateChildGroup creates a subgroup of group parentID of organization
// orgID (Name required; Keycloak keeps only the name of a new subgroup)
// and returns its ID.
//
// Keycloak: POST /admin/realms/{realm}/organizations/{org-id}/groups/{group-id}/children
func (s *OrganizationsService) CreateChildGroup(ctx context.Context, orgID, parentID string, g *Group) (string, error) {
	if err := need("realm", s.realm, "orgID", orgID, "parentID", parentID); err != nil {
		return "", err
	}
	if err := needBody("group", g); err != nil {
		return "", err
	}
	if err := need("group name", g.Name); err != nil {
		return "", err
	}
	if g.ID != "" {
		return "", errGroupHasID
	}
	// Keycloak answers 201 with the new group in the body and no Location.
	var out Group
	if _, err := s.c.do(ctx, "POST", s.path("organizations", orgID, "groups", parentID, "children"), nil, g, &out); err != nil {
		return "", err
	}
	if out.ID == "" {
		return "", errors.New("admin: POST organization group children: the answer names no group")
	}
	return out.ID, nil
}

// MoveGroup moves organization group g (ID and Name required, as
// GetGroup returns it) under group parentID of the same organization, or
// to the top level when parentID is "". A group of another organization
// or a realm group answers 400.
//
// Keycloak: POST /admin/realms/{realm}/organizations/{org-id}/groups/{group-id}/children
// Keycloak: POST /admin/realms/{realm}/organizations/{org-id}/groups
func (s *OrganizationsService) MoveGroup(ctx context.Context, orgID, parentID string, g *Group) error {
	if err := need("realm", s.realm, "orgID", orgID); err != nil {
		return err
	}
	if err := needBody("group", g); err != nil {
		return err
	}
	if err := need("group ID", g.ID, "group name", g.Name); err != nil {
		return err
	}
	path := s.path("organizations", orgID, "groups")
	if parentID != "" {
		path = s.path("organizations", orgID, "groups", parentID, "children")
	}
	_, err := s.c.do(ctx, "POST", path, nil, g, nil)
	return err
}

// OrganizationGroupOptions are the query parameters of
// OrganizationsService.Group and GroupByPath.
type OrganizationGroupOptions struct {
	SubGroupsCount bool // fill SubGroupCount
}

func (o *OrganizationGroupOptions) query() query {
	q := query{}
	if o != nil && o.SubGroupsCount {
		q.str("subGroupsCount", "true")
	}
	return q
}

// Group returns group groupID of organization orgID, in full. A realm
// group or another organization's group answers 400.
//
// Keycloak: GET /admin/realms/{realm}/organizations/{org-id}/groups/{group-id}
func (s *OrganizationsService) Group(ctx context.Context, orgID, groupID string, opts *OrganizationGroupOptions) (*Group, error) {
	if err := need("realm", s.realm, "orgID", orgID, "groupID", groupID); err != nil {
		return nil, err
	}
	return fetch[Group](ctx, s.c, "GET", s.path("organizations", orgID, "groups", groupID), opts.query().values(), nil)
}

// GroupByPath returns the group of organization orgID at path, such as
// "/engineering/backend" (the organization is the root), in brief.
//
// Keycloak: GET /admin/realms/{realm}/organizations/{org-id}/groups/group-by-path/{path}
func (s *OrganizationsService) GroupByPath(ctx context.Context, orgID, path string, opts *OrganizationGroupOptions) (*Group, error) {
	if err := need("realm", s.realm, "orgID", orgID, "path", strings.Trim(path, "/")); err != nil {
		return nil, err
	}
	segs := s.path("organizations", orgID, "groups", "group-by-path")
	segs = append(segs, strings.Split(strings.Trim(path, "/"), "/")...)
	return fetch[Group](ctx, s.c, "GET", segs, opts.query().values(), nil)
}

// UpdateGroup sets the name, description and attributes of group groupID
// of organization orgID (Name required; a nil Description clears it, nil
// Attributes keep them).
//
// Keycloak: PUT /admin/realms/{realm}/organizations/{org-id}/groups/{group-id}
func (s *OrganizationsService) UpdateGroup(ctx context.Context, orgID, groupID string, g *Group) error {
	if err := need("realm", s.realm, "orgID", orgID, "groupID", groupID); err != nil {
		return err
	}
	if err := needBody("group", g); err != nil {
		return err
	}
	if err := need("group name", g.Name); err != nil {
		return err
	}
	_, err := s.c.do(ctx, "PUT", s.path("organizations", orgID, "groups", groupID), nil, g, nil)
	return err
}

// DeleteGroup deletes group groupID of organization orgID and its
// subgroups.
//
// Keycloak: DELETE /admin/realms/{realm}/organizations/{org-id}/groups/{group-id}
func (s *OrganizationsService) DeleteGroup(ctx context.Context, orgID, groupID string) error {
	if err := need("realm", s.realm, "orgID", orgID, "groupID", groupID); err != nil {
		return err
	}
	_, err := s.c.do(ctx, "DELETE", s.path("organizations", orgID, "groups", groupID), nil, nil, nil)
	return err
}

// OrganizationGroupChildrenOptions are the query parameters of
// OrganizationsService.GroupChildren.
type OrganizationGroupChildrenOptions struct {
	Search         string
	Exact          *bool
	SubGroupsCount bool
	First, Max     int // Keycloak's default max: 10
}

// GroupChildren returns one page of the subgroups of group groupID of
// organization orgID, in brief, by name.
//
// Keycloak: GET /admin/realms/{realm}/organizations/{org-id}/groups/{group-id}/children
func (s *OrganizationsService) GroupChildren(ctx context.Context, orgID, groupID string, opts *OrganizationGroupChildrenOptions) ([]Group, error) {
	if err := need("realm", s.realm, "orgID", orgID, "groupID", groupID); err != nil {
		return nil, err
	}
	q := query{}
	if opts != nil {
		q.str("search", opts.Search)
		q.boolp("exact", opts.Exact)
		if opts.SubGroupsCount {
			q.str("subGroupsCount", "true")
		}
		q.int("first", opts.First)
		q.int("max", opts.Max)
	}
	var out groupList
	_, err := s.c.do(ctx, "GET", s.path("organizations", orgID, "groups", groupID, "children"), q.values(), nil, &out)
	return out, err
}

// OrganizationGroupMemberListOptions are the query parameters of
// OrganizationsService.GroupMembers.
type OrganizationGroupMemberListOptions struct {
	BriefRepresentation *bool // Keycloak's default: full
	First, Max          int   // Keycloak's default: all
}

// GroupMembers returns the members of group groupID of organization orgID.
//
// Keycloak: GET /admin/realms/{realm}/organizations/{org-id}/groups/{group-id}/members
func (s *OrganizationsService) GroupMembers(ctx context.Context, orgID, groupID string, opts *OrganizationGroupMemberListOptions) ([]Member, error) {
	if err := need("realm", s.realm, "orgID", orgID, "groupID", groupID); err != nil {
		return nil, err
	}
	q := query{}
	if opts != nil {
		q.boolp("briefRepresentation", opts.BriefRepresentation)
		q.int("first", opts.First)
		q.int("max", opts.Max)
	}
	var out []Member
	_, err := s.c.do(ctx, "GET", s.path("organizations", orgID, "groups", groupID, "members"), q.values(), nil, &out)
	return out, err
}

// AddGroupMember puts member userID of organization orgID into the
// organization's group groupID. A user who is not a member of the
// organization answers 400, one already in the group 409.
//
// Keycloak: PUT /admin/realms/{realm}/organizations/{org-id}/groups/{group-id}/members/{userId}
func (s *OrganizationsService) AddGroupMember(ctx context.Context, orgID, groupID, userID string) error {
	if err := need("realm", s.realm, "orgID", orgID, "groupID", groupID, "userID", userID); err != nil {
		return err
	}
	_, err := s.c.do(ctx, "PUT", s.path("organizations", orgID, "groups", groupID, "members", userID), nil, nil, nil)
	return err
}

// RemoveGroupMember takes user userID out of group groupID of
// organization orgID; the user stays a member of the organization.
//
// Keycloak: DELETE /admin/realms/{realm}/organizations/{org-id}/groups/{group-id}/members/{userId}
func (s *OrganizationsService) RemoveGroupMember(ctx context.Context, orgID, groupID, userID string) error {
	if err := need("realm", s.realm, "orgID", orgID, "groupID", groupID, "userID", userID); err != nil {
		return err
	}
	_, err := s.c.do(ctx, "DELETE", s.path("organizations", orgID, "groups", groupID, "members", userID), nil, nil, nil)
	return err
}

// MemberGroupListOptions are the query parameters of
// OrganizationsService.MemberGroups.
type MemberGroupListOptions struct {
	Search              string // part of the group name
	BriefRepresentation *bool  // Keycloak's default: true
	First, Max          int    // Keycloak's default: all
}

// MemberGroups returns the groups of organization orgID that member
// userID is in.
//
// Keycloak: GET /admin/realms/{realm}/organizations/{org-id}/members/{member-id}/groups
func (s *OrganizationsService) MemberGroups(ctx context.Context, orgID, userID string, opts *MemberGroupListOptions) ([]Group, error) {
	if err := need("realm", s.realm, "orgID", orgID, "userID", userID); err != nil {
		return nil, err
	}
	q := query{}
	if opts != nil {
		q.str("search", opts.Search)
		q.boolp("briefRepresentation", opts.BriefRepresentation)
		q.int("first", opts.First)
		q.int("max", opts.Max)
	}
	var out groupList
	_, err := s.c.do(ctx, "GET", s.path("organizations", orgID, "members", userID, "groups"), q.values(), nil, &out)
	return out, err
}

// MemberOrganizations returns the organizations member userID of
// organization orgID belongs to (brief unless full).
//
// Keycloak: GET /admin/realms/{realm}/organizations/{org-id}/members/{member-id}/organizations
func (s *OrganizationsService) MemberOrganizations(ctx context.Context, orgID, userID string, full bool) ([]Organization, error) {
	if err := need("realm", s.realm, "orgID", orgID, "userID", userID); err != nil {
		return nil, err
	}
	q := query{}
	if full {
		q.str("briefRepresentation", "false")
	}
	var out organizationList
	_, err := s.c.do(ctx, "GET", s.path("organizations", orgID, "members", userID, "organizations"), q.values(), nil, &out)
	return out, err
}

// IdentityProvider returns identity provider alias, linked to
// organization orgID (404 when it is not linked to it).
//
// Keycloak: GET /admin/realms/{realm}/organizations/{org-id}/identity-providers/{alias}
func (s *OrganizationsService) IdentityProvider(ctx context.Context, orgID, alias string) (*IdentityProvider, error) {
	if err := need("realm", s.realm, "orgID", orgID, "alias", alias); err != nil {
		return nil, err
	}
	return fetch[IdentityProvider](ctx, s.c, "GET", s.path("organizations", orgID, "identity-providers", alias), nil, nil)
}

// IdentityProviderGroups returns the groups of organization orgID that
// the mappers of its identity provider alias can use, as Groups lists
// them (404 when the provider is not linked to the organization).
//
// Keycloak: GET /admin/realms/{realm}/organizations/{org-id}/identity-providers/{alias}/groups
func (s *OrganizationsService) IdentityProviderGroups(ctx context.Context, orgID, alias string, opts *OrganizationGroupListOptions) ([]Group, error) {
	if err := need("realm", s.realm, "orgID", orgID, "alias", alias); err != nil {
		return nil, err
	}
	q := opts.query()
	delete(q, "populateHierarchy") // not a parameter of this endpoint
	var out groupList
	_, err := s.c.do(ctx, "GET", s.path("organizations", orgID, "identity-providers", alias, "groups"), q.values(), nil, &out)
	return out, err
}
