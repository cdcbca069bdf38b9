package kctest

import (
	"encoding/json"
	"maps"
	"net/http"
	"slices"
)

// defaultUserProfile is Keycloak 26's user-profile configuration of a new
// realm: the four root attributes, no unmanaged attributes.
const defaultUserProfile = `{"attributes":[` +
	`{"name":"username","displayName":"${username}","validations":{"length":{"min":3,"max":255},"username-prohibited-characters":{},"up-username-not-idn-homograph":{}},"permissions":{"view":["admin","user"],"edit":["admin","user"]},"multivalued":false},` +
	`{"name":"email","displayName":"${email}","validations":{"email":{},"length":{"max":255}},"required":{"roles":["user"]},"permissions":{"view":["admin","user"],"edit":["admin","user"]},"multivalued":false},` +
	`{"name":"firstName","displayName":"${firstName}","validations":{"length":{"max":255},"person-name-prohibited-characters":{}},"required":{"roles":["user"]},"permissions":{"view":["admin","user"],"edit":["admin","user"]},"multivalued":false},` +
	`{"name":"lastName","displayName":"${lastName}","validations":{"length":{"max":255},"person-name-prohibited-characters":{}},"required":{"roles":["user"]},"permissions":{"view":["admin","user"],"edit":["admin","user"]},"multivalued":false}],` +
	`"groups":[{"name":"user-metadata","displayHeader":"User metadata","displayDescription":"Attributes, which refer to user metadata"}]}`

// upAttribute is the part of a UPAttribute kctest acts on.
type upAttribute struct {
	Name        string         `json:"name"`
	DisplayName string         `json:"displayName"`
	Validations map[string]any `json:"validations"`
	Annotations map[string]any `json:"annotations"`
	Required    *struct {
		Roles []string `json:"roles"`
	} `json:"required"`
	Permissions *struct {
		Edit []string `json:"edit"`
	} `json:"permissions"`
	Group        string `json:"group"`
	Multivalued  bool   `json:"multivalued"`
	DefaultValue string `json:"defaultValue"`
}

// upConfig is the part of a UPConfig kctest acts on.
type upConfig struct {
	Attributes               []upAttribute     `json:"attributes"`
	Groups                   []json.RawMessage `json:"groups"`
	UnmanagedAttributePolicy string            `json:"unmanagedAttributePolicy"`
}

// defaultUPConfig is defaultUserProfile parsed.
var defaultUPConfig = func() *upConfig {
	var cfg upConfig
	if err := json.Unmarshal([]byte(defaultUserProfile), &cfg); err != nil {
		panic(err)
	}
	return &cfg
}()

// userProfile returns the realm's user-profile configuration, raw and
// parsed (parsed once per change, not per user rendered).
func (rm *realm) userProfile() (json.RawMessage, *upConfig) {
	if rm.admin == nil || rm.admin.userProfile == nil {
		return json.RawMessage(defaultUserProfile), defaultUPConfig
	}
	if rm.admin.userProfileParsed == nil {
		var cfg upConfig
		_ = json.Unmarshal(rm.admin.userProfile, &cfg)
		rm.admin.userProfileParsed = &cfg
	}
	return rm.admin.userProfile, rm.admin.userProfileParsed
}

// alwaysVisibleAttributes are shown whatever the profile says.
var alwaysVisibleAttributes = []string{"locale", "is_temporary_admin", "disabledReason"}

// managed reports whether the profile declares name (or it is one of the
// attributes Keycloak always shows).
func (cfg *upConfig) managed(name string) bool {
	return slices.ContainsFunc(cfg.Attributes, func(a upAttribute) bool {
		return a.Name == name
	}) || slices.Contains(alwaysVisibleAttributes, name)
}

// visibleAttributes returns the attributes an admin GET shows: declared
// ones, and unmanaged ones unless the policy hides them.
func (rm *realm) visibleAttributes(attrs map[string][]string) map[string][]string {
	_, cfg := rm.userProfile()
	out := map[string][]string{}
	for k, v := range attrs {
		if cfg.UnmanagedAttributePolicy != "" || cfg.managed(k) {
			out[k] = slices.Clone(v)
		}
	}
	return out
}

// writableAttributes merges an admin's attributes into old: declared ones
// are replaced; unmanaged ones are replaced when the policy is ENABLED or
// ADMIN_EDIT and otherwise kept as they were.
func (rm *realm) writableAttributes(old, in map[string][]string) map[string][]string {
	_, cfg := rm.userProfile()
	editUnmanaged := cfg.UnmanagedAttributePolicy == "ENABLED" || cfg.UnmanagedAttributePolicy == "ADMIN_EDIT"
	out := map[string][]string{}
	for k, v := range old {
		if !cfg.managed(k) && !editUnmanaged {
			out[k] = v
		}
	}
	for k, v := range in {
		switch k {
		case "username", "email", "firstName", "lastName":
			continue
		}
		if cfg.managed(k) || editUnmanaged {
			out[k] = slices.Clone(v)
		}
	}
	return out
}

func (s *Server) registerAdminProfile(mux *http.ServeMux) {
	const p = "/admin/realms/{realm}/users/profile"
	s.handle(mux, "GET", p, s.admin(permViewRealm, func(w http.ResponseWriter, _ *http.Request, rm *realm, _ *adminCaller) {
		raw, _ := rm.userProfile()
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(raw)
	}))
	s.handle(mux, "PUT", p, s.admin(permManageRealm, func(w http.ResponseWriter, r *http.Request, rm *realm, _ *adminCaller) {
		b, err := readAllLimited(r.Body)
		var cfg upConfig
		if err != nil || json.Unmarshal(b, &cfg) != nil {
			writeGenericError(w, http.StatusBadRequest, "unknown_error")
			return
		}
		for _, root := range []string{"username", "email"} {
			if !cfg.managed(root) {
				writeErrorMessage(w, http.StatusBadRequest, "The attribute '"+root+"' can not be removed")
				return
			}
		}
		switch cfg.UnmanagedAttributePolicy {
		case "", "ENABLED", "ADMIN_EDIT", "ADMIN_VIEW":
		default:
			writeGenericError(w, http.StatusBadRequest, "unknown_error")
			return
		}
		rm.setUserProfile(b, &cfg)
		writeJSON(w, http.StatusOK, json.RawMessage(b))
	}))
	s.handle(mux, "GET", p+"/metadata", s.admin(permViewUsers, func(w http.ResponseWriter, _ *http.Request, rm *realm, _ *adminCaller) {
		_, cfg := rm.userProfile()
		attrs := []map[string]any{}
		for _, a := range cfg.Attributes {
			m := map[string]any{
				"name": a.Name, "displayName": a.DisplayName, "multivalued": a.Multivalued,
				"required": a.Required != nil && (len(a.Required.Roles) == 0 || slices.Contains(a.Required.Roles, "admin")),
				"readOnly": a.Permissions == nil || !slices.Contains(a.Permissions.Edit, "admin"),
			}
			if len(a.Validations) > 0 {
				m["validators"] = maps.Clone(a.Validations)
			}
			if len(a.Annotations) > 0 {
				m["annotations"] = a.Annotations
			}
			if a.Group != "" {
				m["group"] = a.Group
			}
			if a.DefaultValue != "" {
				m["defaultValue"] = a.DefaultValue
			}
			attrs = append(attrs, m)
		}
		writeJSON(w, http.StatusOK, map[string]any{"attributes": attrs, "groups": nonNil(cfg.Groups)})
	}))
}
