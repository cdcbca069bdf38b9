package admin

import (
	"context"
	"iter"
	"strings"
)

// GroupsService manages the groups of a realm.
type GroupsService struct{ base }

// GroupListOptions are the query parameters of GroupsService.List.
type GroupListOptions struct {
	Search string // substring of a group name, at any depth
	// Attributes filters on group attributes; sent as q=k1:v1 k2:v2.
	Attributes map[string]string
	Exact      *bool // Search matches whole names
	// BriefRepresentation (Keycloak's default: true) leaves out attributes
	// and role mappings.
	BriefRepresentation *bool
	// PopulateHierarchy (default true) returns the matching groups inside
	// their ancestors when searching.
	PopulateHierarchy *bool
	// SubGroupsCount (default true) fills SubGroupCount.
	SubGroupsCount *bool
	First, Max     int // page the top-level groups; without Max Keycloak returns them all
}

// List returns one page of the top-level groups (with Search or
// Attributes: the matching groups within their hierarchy).
//
// Keycloak: GET /admin/realms/{realm}/groups
func (s *GroupsService) List(ctx context.Context, opts *GroupListOptions) ([]Group, error) {
	if err := need("realm", s.realm); err != nil {
		return nil, err
	}
	q := query{}
	if opts != nil {
		q.str("search", opts.Search)
		q.attrs("q", opts.Attributes)
		q.boolp("exact", opts.Exact)
		q.boolp("briefRepresentation", opts.BriefRepresentation)
		q.boolp("populateHierarchy", opts.PopulateHierarchy)
		q.boolp("subGroupsCount", opts.SubGroupsCount)
		q.int("first", opts.First)
		q.int("max", opts.Max)
	}
	var out groupList
	_, err := s.c.do(ctx, "GET", s.path("groups"), q.values(), nil, &out)
	return out, err
}

// All iterates over every top-level group matching opts, a page at a time.
//
// Keycloak: GET /admin/realms/{realm}/groups
func (s *GroupsService) All(ctx context.Context, opts *GroupListOptions) iter.Seq2[Group, error] {
	var o GroupListOptions
	if opts != nil {
		o = *opts
	}
	return pages(ctx, o.First, o.Max, func(ctx context.Context, first, max int) ([]Group, error) {
		o.First, o.Max = first, max
		return s.List(ctx, &o)
	})
}

// GroupCountOptions are the query parameters of GroupsService.Count.
type GroupCountOptions struct {
	Search string // count the groups whose name contains Search
	Top    bool   // count top-level groups only
}

// Count returns the number of groups (at every level) matching opts.
//
// Keycloak: GET /admin/realms/{realm}/groups/count
func (s *GroupsService) Count(ctx context.Context, opts *GroupCountOptions) (int, error) {
	if err := need("realm", s.realm); err != nil {
		return 0, err
	}
	q := query{}
	if opts != nil {
		q.str("search", opts.Search)
		if opts.Top {
			q.str("top", "true")
		}
	}
	var out countBody
	_, err := s.c.do(ctx, "GET", s.path("groups", "count"), q.values(), nil, &out)
	return out.Count, err
}

// Get returns group groupID.
//
// Keycloak: GET /admin/realms/{realm}/groups/{group-id}
func (s *GroupsService) Get(ctx context.Context, groupID string) (*Group, error) {
	if err := need("realm", s.realm, "groupID", groupID); err != nil {
		return nil, err
	}
	return fetch[Group](ctx, s.c, "GET", s.path("groups", groupID), nil, nil)
}

// GetByPath returns the group at path, such as "/parent/child".
//
// Keycloak: GET /admin/realms/{realm}/group-by-path/{path}
func (s *GroupsService) GetByPath(ctx context.Context, path string) (*Group, error) {
	if err := need("realm", s.realm, "path", strings.Trim(path, "/")); err != nil {
		return nil, err
	}
	segs := s.path("group-by-path")
	for seg := range strings.SplitSeq(strings.Trim(path, "/"), "/") {
		segs = append(segs, seg)
	}
	return fetch[Group](ctx, s.c, "GET", segs, nil, nil)
}

// Create creates top-level group g (g.Name is required) and returns its ID.
//
// Keycloak: POST /admin/realms/{realm}/groups
func (s *GroupsService) Create(ctx context.Context, g *Group) (string, error) {
	if err := need("realm", s.realm); err != nil {
		return "", err
	}
	if err := needBody("group", g); err != nil {
		return "", err
	}
	if err := need("group name", g.Name); err != nil {
		return "", err
	}
	return s.c.create(ctx, s.path("groups"), g)
}

// CreateChild creates group g under group parentID and returns its ID.
//
// Keycloak: POST /admin/realms/{realm}/groups/{group-id}/children
func (s *GroupsService) CreateChild(ctx context.Context, parentID string, g *Group) (string, error) {
	if err := need("realm", s.realm, "parentID", parentID); err != nil {
		return "", err
	}
	if err := needBody("group", g); err != nil {
		return "", err
	}
	if err := need("group name", g.Name); err != nil {
		return "", err
	}
	// Keycloak: GroupResource.addChild answers with the child under /groups.
	return s.c.createIn(ctx, s.path("groups", parentID, "children"), s.path("groups"), g)
}

// Update changes group groupID (name, description, attributes).
//
// Keycloak: PUT /admin/realms/{realm}/groups/{group-id}
func (s *GroupsService) Update(ctx context.Context, groupID string, g *Group) error {
	if err := need("realm", s.realm, "groupID", groupID); err != nil {
		return err
	}
	if err := needBody("group", g); err != nil {
		return err
	}
	_, err := s.c.do(ctx, "PUT", s.path("groups", groupID), nil, g, nil)
	return err
}

// Delete deletes group groupID and its subgroups.
//
// Keycloak: DELETE /admin/realms/{realm}/groups/{group-id}
func (s *GroupsService) Delete(ctx context.Context, groupID string) error {
	if err := need("realm", s.realm, "groupID", groupID); err != nil {
		return err
	}
	_, err := s.c.do(ctx, "DELETE", s.path("groups", groupID), nil, nil, nil)
	return err
}

// ChildrenOptions are the query parameters of GroupsService.Children.
type ChildrenOptions struct {
	Search              string
	Exact               *bool
	BriefRepresentation *bool // Keycloak's default: false
	SubGroupsCount      *bool
	// First and Max page the children; Keycloak's default max here is 10.
	First, Max int
}

// Children returns one page of the subgroups of group groupID (Keycloak
// 23 and later; default page size 10).
//
// Keycloak: GET /admin/realms/{realm}/groups/{group-id}/children
func (s *GroupsService) Children(ctx context.Context, groupID string, opts *ChildrenOptions) ([]Group, error) {
	if err := need("realm", s.realm, "groupID", groupID); err != nil {
		return nil, err
	}
	q := query{}
	if opts != nil {
		q.str("search", opts.Search)
		q.boolp("exact", opts.Exact)
		q.boolp("briefRepresentation", opts.BriefRepresentation)
		q.boolp("subGroupsCount", opts.SubGroupsCount)
		q.int("first", opts.First)
		q.int("max", opts.Max)
	}
	var out groupList
	_, err := s.c.do(ctx, "GET", s.path("groups", groupID, "children"), q.values(), nil, &out)
	return out, err
}

// AllChildren iterates over every subgroup of group groupID, opts.Max (or
// DefaultPageSize) at a time: it always sends max, since Keycloak's own
// default here is 10.
//
// Keycloak: GET /admin/realms/{realm}/groups/{group-id}/children
func (s *GroupsService) AllChildren(ctx context.Context, groupID string, opts *ChildrenOptions) iter.Seq2[Group, error] {
	var o ChildrenOptions
	if opts != nil {
		o = *opts
	}
	return pages(ctx, o.First, o.Max, func(ctx context.Context, first, max int) ([]Group, error) {
		o.First, o.Max = first, max
		return s.Children(ctx, groupID, &o)
	})
}

// Members returns one page of the direct members of group groupID.
//
// Keycloak: GET /admin/realms/{realm}/groups/{group-id}/members
func (s *GroupsService) Members(ctx context.Context, groupID string, opts *MemberOptions) ([]User, error) {
	if err := need("realm", s.realm, "groupID", groupID); err != nil {
		return nil, err
	}
	var out userList
	_, err := s.c.do(ctx, "GET", s.path("groups", groupID, "members"), opts.query().values(), nil, &out)
	return out, err
}

// AllMembers iterates over the direct members of group groupID.
//
// Keycloak: GET /admin/realms/{realm}/groups/{group-id}/members
func (s *GroupsService) AllMembers(ctx context.Context, groupID string, opts *MemberOptions) iter.Seq2[User, error] {
	var o MemberOptions
	if opts != nil {
		o = *opts
	}
	return pages(ctx, o.First, o.Max, func(ctx context.Context, first, max int) ([]User, error) {
		o.First, o.Max = first, max
		return s.Members(ctx, groupID, &o)
	})
}

// RoleMappings returns the service of group groupID's role mappings.
func (s *GroupsService) RoleMappings(groupID string) *RoleMappingsService {
	return &RoleMappingsService{mappings{base: s.base, kind: "groups", ownerName: "groupID", owner: groupID, suffix: "role-mappings"}}
}

// Defaults returns the realm's default groups, which every new user joins.
//
// Keycloak: GET /admin/realms/{realm}/default-groups
func (s *GroupsService) Defaults(ctx context.Context) ([]Group, error) {
	if err := need("realm", s.realm); err != nil {
		return nil, err
	}
	var out groupList
	_, err := s.c.do(ctx, "GET", s.path("default-groups"), nil, nil, &out)
	return out, err
}

// AddDefault makes group groupID a default group.
//
// Keycloak: PUT /admin/realms/{realm}/default-groups/{groupId}
func (s *GroupsService) AddDefault(ctx context.Context, groupID string) error {
	if err := need("realm", s.realm, "groupID", groupID); err != nil {
		return err
	}
	_, err := s.c.do(ctx, "PUT", s.path("default-groups", groupID), nil, nil, nil)
	return err
}

// RemoveDefault makes group groupID no longer a default group.
//
// Keycloak: DELETE /admin/realms/{realm}/default-groups/{groupId}
func (s *GroupsService) RemoveDefault(ctx context.Context, groupID string) error {
	if err := need("realm", s.realm, "groupID", groupID); err != nil {
		return err
	}
	_, err := s.c.do(ctx, "DELETE", s.path("default-groups", groupID), nil, nil, nil)
	return err
}
