package kctest

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
)

// registerAdminComponents serves /admin/realms/{realm}/components
// (Keycloak's ComponentResource).
func (s *Server) registerAdminComponents(mux *http.ServeMux) {
	const p = "/admin/realms/{realm}/components"
	s.handle(mux, "GET", p, s.admin(permViewRealm, s.adminListComponents))
	s.handle(mux, "POST", p, s.admin(permManageRealm, s.adminCreateComponent))
	s.handle(mux, "GET", p+"/{id}", s.admin(permViewRealm, s.withComponent(func(w http.ResponseWriter, _ *http.Request, _ *realm, c *component) {
		writeJSON(w, http.StatusOK, c.rep())
	})))
	s.handle(mux, "PUT", p+"/{id}", s.admin(permManageRealm, s.withComponent(s.adminUpdateComponent)))
	s.handle(mux, "DELETE", p+"/{id}", s.admin(permManageRealm, s.withComponent(s.adminDeleteComponent)))
	s.handle(mux, "GET", p+"/{id}/sub-component-types", s.admin(permViewRealm, s.withComponent(func(w http.ResponseWriter, _ *http.Request, _ *realm, _ *component) {
		// Only LDAP providers have sub-component types (their mappers);
		// kctest runs no LDAP provider.
		writeJSON(w, http.StatusOK, []any{})
	})))
}

func (s *Server) withComponent(h func(http.ResponseWriter, *http.Request, *realm, *component)) adminHandler {
	return func(w http.ResponseWriter, r *http.Request, rm *realm, _ *adminCaller) {
		c := rm.componentByID(r.PathValue("id"))
		if c == nil {
			writeGenericError(w, http.StatusNotFound, "Could not find component")
			return
		}
		h(w, r, rm, c)
	}
}

// adminListComponents lists components: all of them, or those of parent
// (and of type, whose parent defaults to the realm), filtered by name.
func (s *Server) adminListComponents(w http.ResponseWriter, r *http.Request, rm *realm, _ *adminCaller) {
	q := r.URL.Query()
	parent, typ, name := q.Get("parent"), q.Get("type"), q.Get("name")
	if typ != "" && parent == "" {
		parent = rm.id
	}
	out := []map[string]any{}
	for _, c := range rm.components {
		if (parent != "" && c.parentID != parent) || (typ != "" && c.providerType != typ) || (name != "" && c.name != name) {
			continue
		}
		out = append(out, c.rep())
	}
	writeJSON(w, http.StatusOK, out)
}

// componentInput is a ComponentRepresentation of a POST or PUT.
type componentInput struct {
	ID           string              `json:"id"`
	Name         *string             `json:"name"`
	ProviderID   *string             `json:"providerId"`
	ProviderType *string             `json:"providerType"`
	ParentID     *string             `json:"parentId"`
	SubType      *string             `json:"subType"`
	Config       map[string][]string `json:"config"`
}

func (s *Server) adminCreateComponent(w http.ResponseWriter, r *http.Request, rm *realm, _ *adminCaller) {
	var in componentInput
	if !decodeAdminJSON(w, r, &in) {
		return
	}
	if in.ProviderType == nil || *in.ProviderType == "" || in.ProviderID == nil || *in.ProviderID == "" {
		// ComponentUtil.getComponentFactory: IllegalArgumentException,
		// answered as a bad request.
		writeErrorMessage(w, http.StatusBadRequest, "Invalid component type")
		return
	}
	c := &component{id: in.ID, providerID: *in.ProviderID, providerType: *in.ProviderType, parentID: rm.id, config: cloneConfig(in.Config)}
	if c.id == "" {
		c.id = newID()
	} else if rm.componentByID(c.id) != nil {
		writeErrorMessage(w, http.StatusConflict, "Component with id "+c.id+" already exists")
		return
	}
	if in.Name != nil {
		c.name = *in.Name
	}
	if in.ParentID != nil && *in.ParentID != "" {
		c.parentID = *in.ParentID
	}
	if in.SubType != nil {
		c.subType = *in.SubType
	}
	if !s.adoptComponent(w, rm, c, nil) {
		return
	}
	rm.components = append(rm.components, c)
	if c.providerType == keyProviderType {
		if err := s.refreshKeys(rm); err != nil {
			writeError(w, err)
			return
		}
	}
	created(w, r, s, c.id)
}

// adoptComponent makes c take effect: a key provider loads its key, a
// user-profile component becomes the realm's user profile. old is the
// component c replaces, if any. It answers 400 and returns false when the
// configuration is invalid.
func (s *Server) adoptComponent(w http.ResponseWriter, rm *realm, c, old *component) bool {
	switch c.providerType {
	case keyProviderType:
		if old != nil && c.first("privateKey") == old.first("privateKey") && c.first("secret") == old.first("secret") {
			c.rsa, c.secret, c.kid = old.rsa, old.secret, old.kid
		}
		if err := s.loadKey(rm, c); err != nil {
			writeErrorMessage(w, http.StatusBadRequest, strings.TrimPrefix(err.Error(), "kctest: "))
			return false
		}
	case userProfileProviderType:
		v := strings.Join(c.config[userProfileConfigKey], "")
		if v == "" {
			return true
		}
		var cfg upConfig
		if json.Unmarshal([]byte(v), &cfg) != nil {
			writeErrorMessage(w, http.StatusBadRequest, "Invalid user profile configuration")
			return false
		}
		rm.components = slices.DeleteFunc(rm.components, func(o *component) bool { return o.providerType == userProfileProviderType && o != old })
		st := rm.adminState()
		st.userProfile, st.userProfileParsed = json.RawMessage(v), &cfg
	}
	return true
}

// adminUpdateComponent is RepresentationToModel.updateComponent: the name,
// sub-type and parent change when sent; config values sent replace the
// old ones (a masked secret keeps its value), declared properties left
// out are removed, and a key provider's key material stays.
func (s *Server) adminUpdateComponent(w http.ResponseWriter, r *http.Request, rm *realm, c *component) {
	var in componentInput
	if !decodeAdminJSON(w, r, &in) {
		return
	}
	next := *c
	if in.Name != nil {
		next.name = *in.Name
	}
	if in.SubType != nil {
		next.subType = *in.SubType
	}
	if in.ParentID != nil && *in.ParentID != "" {
		next.parentID = *in.ParentID
	}
	if in.Config != nil {
		cfg := map[string][]string{}
		declared := keyProviderProperties[c.providerID]
		for k, v := range c.config {
			if c.providerType == keyProviderType && declared != nil {
				if _, ok := declared[k]; !ok {
					cfg[k] = v // internal key material
				}
			}
		}
		for k, v := range in.Config {
			if len(v) == 1 && v[0] == maskedSecret {
				if old, ok := c.config[k]; ok {
					cfg[k] = old
				}
				continue
			}
			if len(v) == 0 || strings.TrimSpace(v[0]) == "" {
				delete(cfg, k)
				continue
			}
			cfg[k] = slices.Clone(v)
		}
		next.config = cfg
	}
	if !s.adoptComponent(w, rm, &next, c) {
		return
	}
	*c = next
	if c.rsa != nil {
		c.rsa.comp = c
	}
	if c.providerType == keyProviderType {
		if err := s.refreshKeys(rm); err != nil {
			writeError(w, err)
			return
		}
	}
	noContent(w)
}

// adminDeleteComponent removes c and its sub-components. Removing the
// user-profile component restores the default profile; removing a key
// provider takes its keys out of the realm.
func (s *Server) adminDeleteComponent(w http.ResponseWriter, _ *http.Request, rm *realm, c *component) {
	gone := map[string]bool{c.id: true}
	for changed := true; changed; {
		changed = false
		for _, o := range rm.components {
			if gone[o.parentID] && !gone[o.id] {
				gone[o.id], changed = true, true
			}
		}
	}
	rm.components = slices.DeleteFunc(rm.components, func(o *component) bool { return gone[o.id] })
	if c.providerType == userProfileProviderType && rm.admin != nil {
		rm.admin.userProfile, rm.admin.userProfileParsed = nil, nil
	}
	if c.providerType == keyProviderType {
		if err := s.refreshKeys(rm); err != nil {
			writeError(w, err)
			return
		}
	}
	noContent(w)
}
