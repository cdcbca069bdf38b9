package kctest

import (
	"fmt"
	"slices"
	"strings"
)

// group is a realm group; parent is nil for a top-level group.
type group struct {
	id          string
	name        string
	description string
	parent      *group
	children    []*group
	attributes  map[string][]string
	roles       []*role
}

// path returns "/parent/child".
func (g *group) path() string {
	if g.parent == nil {
		return "/" + g.name
	}
	return g.parent.path() + "/" + g.name
}

func (g *group) addRole(r *role) {
	if !slices.Contains(g.roles, r) {
		g.roles = append(g.roles, r)
	}
}

// topGroups returns the realm's top-level groups.
func (rm *realm) topGroups() []*group {
	var out []*group
	for _, g := range rm.groups {
		if g.parent == nil {
			out = append(out, g)
		}
	}
	slices.SortFunc(out, func(a, b *group) int { return strings.Compare(a.name, b.name) })
	return out
}

// findGroupByPath resolves "/a/b" (the leading slash is optional).
func (rm *realm) findGroupByPath(path string) *group {
	parts := strings.Split(strings.Trim(path, "/"), "/")
	if len(parts) == 0 || parts[0] == "" {
		return nil
	}
	var cur *group
	for _, g := range rm.topGroups() {
		if g.name == parts[0] {
			cur = g
		}
	}
	for _, p := range parts[1:] {
		if cur == nil {
			return nil
		}
		var next *group
		for _, c := range cur.children {
			if c.name == p {
				next = c
			}
		}
		cur = next
	}
	return cur
}

// addGroupModel creates a group under parent (nil for top level).
func (rm *realm) addGroupModel(name string, parent *group) (*group, error) {
	if name == "" {
		return nil, fmt.Errorf("kctest: group name is empty")
	}
	siblings := rm.topGroups()
	if parent != nil {
		siblings = parent.children
	}
	for _, s := range siblings {
		if s.name == name {
			return nil, fmt.Errorf("kctest: group %q already exists", strings.TrimSuffix(pathOf(parent), "/")+"/"+name)
		}
	}
	g := &group{id: newID(), name: name, parent: parent, attributes: map[string][]string{}}
	if parent != nil {
		parent.children = append(parent.children, g)
	}
	rm.groups[g.id] = g
	return g, nil
}

func pathOf(g *group) string {
	if g == nil {
		return ""
	}
	return g.path()
}

// removeGroup deletes g and its subgroups and drops memberships.
func (rm *realm) removeGroup(g *group) {
	for _, c := range slices.Clone(g.children) {
		rm.removeGroup(c)
	}
	if g.parent != nil {
		g.parent.children = slices.DeleteFunc(g.parent.children, func(x *group) bool { return x == g })
	}
	for _, u := range rm.users {
		u.leaveGroup(g)
	}
	delete(rm.groups, g.id)
}
