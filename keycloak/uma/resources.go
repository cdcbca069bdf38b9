package uma

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"iter"
	"net/url"
	"strconv"
	"strings"
)

// Resource is a resource set: something a resource server protects.
//
// Keycloak's Protection API and the UMA specification spell some fields
// differently; decoding accepts both ("_id" or "id", "resource_scopes" or
// "scopes", "uris" or the legacy "uri", "icon_uri" or "iconUri", an owner
// as a string or an object, scopes as strings or objects). Fields this
// type does not know are kept in Extra and sent back on update, so a
// GET→PUT round trip keeps what a newer Keycloak sends.
type Resource struct {
	ID          string
	Name        string
	DisplayName string
	Type        string
	URIs        []string
	IconURI     string
	Scopes      []Scope
	// Owner is the resource owner. When creating, set ID (a user id or the
	// resource server's client id) or Name (a username); left nil, the
	// owner is the resource server.
	Owner *Owner
	// OwnerManagedAccess lets the owner manage access to the resource
	// (permission tickets and user-managed policies).
	OwnerManagedAccess bool
	Attributes         map[string][]string
	// Extra holds the fields of a decoded resource that Resource does not
	// declare.
	Extra map[string]json.RawMessage
}

// Scope is a scope of a resource, such as "view".
type Scope struct {
	ID          string `json:"id,omitempty"`
	Name        string `json:"name"`
	DisplayName string `json:"displayName,omitempty"`
	IconURI     string `json:"iconUri,omitempty"`
}

// Owner is the owner of a resource: a user or the resource server.
type Owner struct {
	ID   string `json:"id,omitempty"`
	Name string `json:"name,omitempty"`
}

// ScopeNames returns the names of the resource's scopes.
func (r *Resource) ScopeNames() []string {
	out := make([]string, 0, len(r.Scopes))
	for _, s := range r.Scopes {
		out = append(out, s.Name)
	}
	return out
}

var resourceKeys = map[string]bool{
	"_id": true, "id": true, "name": true, "displayName": true, "type": true, "uris": true, "uri": true,
	"icon_uri": true, "iconUri": true, "resource_scopes": true, "scopes": true, "owner": true,
	"ownerManagedAccess": true, "attributes": true,
}

// MarshalJSON encodes r the way Keycloak's Protection API reads it.
func (r Resource) MarshalJSON() ([]byte, error) {
	m := map[string]any{}
	for k, v := range r.Extra {
		if !resourceKeys[k] {
			m[k] = v
		}
	}
	m["name"] = r.Name
	if r.ID != "" {
		m["_id"] = r.ID
	}
	if r.DisplayName != "" {
		m["displayName"] = r.DisplayName
	}
	if r.Type != "" {
		m["type"] = r.Type
	}
	if r.URIs != nil {
		m["uris"] = r.URIs
	}
	if r.IconURI != "" {
		m["icon_uri"] = r.IconURI
	}
	if r.Scopes != nil {
		m["resource_scopes"] = r.Scopes
	}
	if r.Owner != nil {
		switch {
		case r.Owner.ID != "":
			m["owner"] = r.Owner.ID
		case r.Owner.Name != "":
			m["owner"] = r.Owner.Name
		}
	}
	if r.OwnerManagedAccess {
		m["ownerManagedAccess"] = true
	}
	if r.Attributes != nil {
		m["attributes"] = r.Attributes
	}
	return json.Marshal(m)
}

// UnmarshalJSON decodes a resource in Keycloak's or UMA's spelling.
func (r *Resource) UnmarshalJSON(b []byte) error {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		return err
	}
	*r = Resource{}
	str := func(keys ...string) (string, error) {
		for _, k := range keys {
			if v, ok := m[k]; ok && !isNull(v) {
				var s string
				if err := json.Unmarshal(v, &s); err != nil {
					return "", errors.New("uma: resource field " + k + ": " + err.Error())
				}
				return s, nil
			}
		}
		return "", nil
	}
	var err error
	if r.ID, err = str("_id", "id"); err != nil {
		return err
	}
	if r.Name, err = str("name"); err != nil {
		return err
	}
	if r.DisplayName, err = str("displayName"); err != nil {
		return err
	}
	if r.Type, err = str("type"); err != nil {
		return err
	}
	if r.IconURI, err = str("icon_uri", "iconUri"); err != nil {
		return err
	}
	if v, ok := m["uris"]; ok && !isNull(v) {
		if err := json.Unmarshal(v, &r.URIs); err != nil {
			return errors.New("uma: resource field uris: " + err.Error())
		}
	} else if u, err := str("uri"); err != nil {
		return err
	} else if u != "" {
		r.URIs = []string{u}
	}
	for _, k := range []string{"resource_scopes", "scopes"} {
		if v, ok := m[k]; ok && !isNull(v) {
			var raw []json.RawMessage
			if err := json.Unmarshal(v, &raw); err != nil {
				return errors.New("uma: resource field " + k + ": " + err.Error())
			}
			r.Scopes = make([]Scope, 0, len(raw))
			for _, e := range raw {
				var s Scope
				if bytes.HasPrefix(bytes.TrimSpace(e), []byte(`"`)) {
					if err := json.Unmarshal(e, &s.Name); err != nil {
						return err
					}
				} else if err := json.Unmarshal(e, &s); err != nil {
					return errors.New("uma: resource field " + k + ": " + err.Error())
				}
				r.Scopes = append(r.Scopes, s)
			}
			break
		}
	}
	if v, ok := m["owner"]; ok && !isNull(v) {
		r.Owner = &Owner{}
		if bytes.HasPrefix(bytes.TrimSpace(v), []byte(`"`)) {
			if err := json.Unmarshal(v, &r.Owner.ID); err != nil {
				return err
			}
		} else if err := json.Unmarshal(v, r.Owner); err != nil {
			return errors.New("uma: resource field owner: " + err.Error())
		}
	}
	if v, ok := m["ownerManagedAccess"]; ok && !isNull(v) {
		if err := json.Unmarshal(v, &r.OwnerManagedAccess); err != nil {
			return errors.New("uma: resource field ownerManagedAccess: " + err.Error())
		}
	}
	if v, ok := m["attributes"]; ok && !isNull(v) {
		if err := json.Unmarshal(v, &r.Attributes); err != nil {
			return errors.New("uma: resource field attributes: " + err.Error())
		}
	}
	for k, v := range m {
		if !resourceKeys[k] {
			if r.Extra == nil {
				r.Extra = map[string]json.RawMessage{}
			}
			r.Extra[k] = v
		}
	}
	return nil
}

func isNull(v json.RawMessage) bool { return string(bytes.TrimSpace(v)) == "null" }

// ResourceQuery filters a resource listing. The zero value lists all
// resources (the first 100 for Keycloak).
type ResourceQuery struct {
	ID   string // _id: the resource with this id
	Name string // a part of the name; the whole name with ExactName
	// ExactName makes Name match whole names only.
	ExactName bool
	URI       string // a URI of the resource
	// MatchingURI makes URI match the resource server's URI patterns
	// (such as "/photos/*") when no resource has the URI itself.
	MatchingURI bool
	Owner       string // owner id or username
	Type        string
	Scope       string // a scope name
	First       int    // offset of the first result
	Max         int    // page size; 0 is Keycloak's default
}

func (q *ResourceQuery) values(deep bool) url.Values {
	v := url.Values{}
	if deep {
		v.Set("deep", "true")
	}
	if q == nil {
		return v
	}
	set := func(k, s string) {
		if s != "" {
			v.Set(k, s)
		}
	}
	set("_id", q.ID)
	set("name", q.Name)
	set("uri", q.URI)
	set("owner", q.Owner)
	set("type", q.Type)
	set("scope", q.Scope)
	if q.ExactName {
		v.Set("exactName", "true")
	}
	if q.MatchingURI {
		v.Set("matchingUri", "true")
	}
	if q.First > 0 {
		v.Set("first", strconv.Itoa(q.First))
	}
	if q.Max > 0 {
		v.Set("max", strconv.Itoa(q.Max))
	}
	return v
}

func (q *ResourceQuery) check() error {
	if q != nil && (q.First < 0 || q.Max < 0) {
		return errors.New("uma: ResourceQuery: First and Max must not be negative")
	}
	return nil
}

// CreateResource registers r (Name is required) and returns it as
// Keycloak stored it, with its id and the ids of its scopes. Scopes that do
// not exist yet are created.
//
// Keycloak: POST /realms/{realm}/authz/protection/resource_set
func (c *Client) CreateResource(ctx context.Context, r Resource) (*Resource, error) {
	if err := checkCtx(ctx); err != nil {
		return nil, err
	}
	if strings.TrimSpace(r.Name) == "" {
		return nil, errors.New("uma: resource name is empty")
	}
	pat, err := c.patSource()
	if err != nil {
		return nil, err
	}
	var out Resource
	if _, err := c.do(ctx, pat, "POST", "resource_registration_endpoint", nil, nil, r, &out, false); err != nil {
		return nil, err
	}
	return &out, nil
}

// GetResource returns the resource with id resourceID; a missing one is an
// error matching kc.ErrNotFound.
//
// Keycloak: GET /realms/{realm}/authz/protection/resource_set/{id}
func (c *Client) GetResource(ctx context.Context, resourceID string) (*Resource, error) {
	if err := checkCtx(ctx); err != nil {
		return nil, err
	}
	if err := checkID("resourceID", resourceID); err != nil {
		return nil, err
	}
	pat, err := c.patSource()
	if err != nil {
		return nil, err
	}
	var out Resource
	if _, err := c.do(ctx, pat, "GET", "resource_registration_endpoint", []string{resourceID}, nil, nil, &out, false); err != nil {
		return nil, err
	}
	return &out, nil
}

// UpdateResource replaces the resource resourceID with r. The whole
// resource is replaced: a nil Scopes removes its scopes, so update what
// [Client.GetResource] returned.
//
// Keycloak: PUT /realms/{realm}/authz/protection/resource_set/{id}
func (c *Client) UpdateResource(ctx context.Context, resourceID string, r Resource) error {
	if err := checkCtx(ctx); err != nil {
		return err
	}
	if err := checkID("resourceID", resourceID); err != nil {
		return err
	}
	if strings.TrimSpace(r.Name) == "" {
		return errors.New("uma: resource name is empty")
	}
	pat, err := c.patSource()
	if err != nil {
		return err
	}
	r.ID = resourceID
	_, err = c.do(ctx, pat, "PUT", "resource_registration_endpoint", []string{resourceID}, nil, r, nil, false)
	return err
}

// DeleteResource deletes the resource resourceID.
//
// Keycloak: DELETE /realms/{realm}/authz/protection/resource_set/{id}
func (c *Client) DeleteResource(ctx context.Context, resourceID string) error {
	if err := checkCtx(ctx); err != nil {
		return err
	}
	if err := checkID("resourceID", resourceID); err != nil {
		return err
	}
	pat, err := c.patSource()
	if err != nil {
		return err
	}
	_, err = c.do(ctx, pat, "DELETE", "resource_registration_endpoint", []string{resourceID}, nil, nil, nil, false)
	return err
}

// ListResourceIDs returns the ids of the resources q selects (one page).
//
// Keycloak: GET /realms/{realm}/authz/protection/resource_set
func (c *Client) ListResourceIDs(ctx context.Context, q *ResourceQuery) ([]string, error) {
	if err := checkCtx(ctx); err != nil {
		return nil, err
	}
	if err := q.check(); err != nil {
		return nil, err
	}
	pat, err := c.patSource()
	if err != nil {
		return nil, err
	}
	ids := []string{}
	if _, err := c.do(ctx, pat, "GET", "resource_registration_endpoint", nil, q.values(false), nil, &ids, false); err != nil {
		return nil, err
	}
	return ids, nil
}

// ListResources returns the resources q selects (one page), in full.
//
// Keycloak: GET /realms/{realm}/authz/protection/resource_set (deep=true)
func (c *Client) ListResources(ctx context.Context, q *ResourceQuery) ([]Resource, error) {
	if err := checkCtx(ctx); err != nil {
		return nil, err
	}
	if err := q.check(); err != nil {
		return nil, err
	}
	pat, err := c.patSource()
	if err != nil {
		return nil, err
	}
	out := []Resource{}
	if _, err := c.do(ctx, pat, "GET", "resource_registration_endpoint", nil, q.values(true), nil, &out, false); err != nil {
		return nil, err
	}
	return out, nil
}

// defaultPage is the page size of the iterators when the query sets none.
const defaultPage = 100

// Resources iterates over all the resources q selects, from q.First on,
// fetching pages of q.Max (100 when 0) until a short page. It stops at the
// first error, which it yields. q is copied; the caller may change it.
//
// Keycloak: GET /realms/{realm}/authz/protection/resource_set (deep=true)
func (c *Client) Resources(ctx context.Context, q *ResourceQuery) iter.Seq2[Resource, error] {
	var page ResourceQuery
	if q != nil {
		page = *q
	}
	if page.Max == 0 {
		page.Max = defaultPage
	}
	return func(yield func(Resource, error) bool) {
		for {
			rs, err := c.ListResources(ctx, &page)
			if err != nil {
				yield(Resource{}, err)
				return
			}
			for _, r := range rs {
				if !yield(r, nil) {
					return
				}
			}
			if len(rs) < page.Max {
				return
			}
			page.First += len(rs)
		}
	}
}
