package admin

import (
	"context"
	"iter"
)

// UserGroupsOptions are the query parameters of UsersService.Groups.
type UserGroupsOptions struct {
	Search              string // substring of the group name
	BriefRepresentation *bool  // Keycloak's default: true
	First, Max          int    // default max: 100
}

// Groups returns one page of the groups user userID is a direct member of.
//
// Keycloak: GET /admin/realms/{realm}/users/{user-id}/groups
func (s *UsersService) Groups(ctx context.Context, userID string, opts *UserGroupsOptions) ([]Group, error) {
	if err := need("realm", s.realm, "userID", userID); err != nil {
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
	_, err := s.c.do(ctx, "GET", s.path("users", userID, "groups"), q.values(), nil, &out)
	return out, err
}

// AllGroups iterates over every group user userID is a direct member of,
// a page at a time. opts is copied.
//
// Keycloak: GET /admin/realms/{realm}/users/{user-id}/groups
func (s *UsersService) AllGroups(ctx context.Context, userID string, opts *UserGroupsOptions) iter.Seq2[Group, error] {
	var o UserGroupsOptions
	if opts != nil {
		o = *opts
	}
	return pages(ctx, o.First, o.Max, func(ctx context.Context, first, max int) ([]Group, error) {
		o.First, o.Max = first, max
		return s.Groups(ctx, userID, &o)
	})
}

// GroupCount returns how many groups user userID is a direct member of
// (opts.Search, when set, filters on the group name; the other options
// are ignored).
//
// Keycloak: GET /admin/realms/{realm}/users/{user-id}/groups/count
func (s *UsersService) GroupCount(ctx context.Context, userID string, opts *UserGroupsOptions) (int, error) {
	if err := need("realm", s.realm, "userID", userID); err != nil {
		return 0, err
	}
	q := query{}
	if opts != nil {
		q.str("search", opts.Search)
	}
	var out countBody
	_, err := s.c.do(ctx, "GET", s.path("users", userID, "groups", "count"), q.values(), nil, &out)
	return out.Count, err
}

// JoinGroup makes user userID a member of group groupID.
//
// Keycloak: PUT /admin/realms/{realm}/users/{user-id}/groups/{groupId}
func (s *UsersService) JoinGroup(ctx context.Context, userID, groupID string) error {
	if err := need("realm", s.realm, "userID", userID, "groupID", groupID); err != nil {
		return err
	}
	_, err := s.c.do(ctx, "PUT", s.path("users", userID, "groups", groupID), nil, nil, nil)
	return err
}

// LeaveGroup removes user userID from group groupID.
//
// Keycloak: DELETE /admin/realms/{realm}/users/{user-id}/groups/{groupId}
func (s *UsersService) LeaveGroup(ctx context.Context, userID, groupID string) error {
	if err := need("realm", s.realm, "userID", userID, "groupID", groupID); err != nil {
		return err
	}
	_, err := s.c.do(ctx, "DELETE", s.path("users", userID, "groups", groupID), nil, nil, nil)
	return err
}
