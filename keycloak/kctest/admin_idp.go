package kctest

import (
	"encoding/json"
	"maps"
	"net/http"
	"slices"
	"strings"
)

// adminRealmState is what only the Admin REST API manages.
type adminRealmState struct {
	idps              []*identityProvider
	defaultGroups     []*group
	sortedUsers       []*user         // cache of sortedUsers
	userProfile       json.RawMessage // UPConfig set by PUT /users/profile; nil: the default
	userProfileParsed *upConfig       // userProfile parsed
	orgs              []*organization
	events            *eventsConfig // nil: Keycloak's defaults
	adminEvents       []*adminEvent
	initialAccess     []*initialAccess  // clients-initial-access
	clientTypes       []json.RawMessage // the realm's client types (client-types)
}

// adminState returns rm's admin state, creating it on first use. Callers
// hold s.mu for writing.
func (rm *realm) adminState() *adminRealmState {
	if rm.admin == nil {
		rm.admin = &adminRealmState{}
	}
	return rm.admin
}

// identityProvider is an identity provider of a realm; kctest stores it
// and never calls it.
type identityProvider struct {
	internalID string
	rep        map[string]json.RawMessage // the representation, without internalId
	config     map[string]string
	mappers    []*idpMapper
}

type idpMapper struct {
	ID                     string            `json:"id"`
	Name                   string            `json:"name"`
	IdentityProviderAlias  string            `json:"identityProviderAlias"`
	IdentityProviderMapper string            `json:"identityProviderMapper"`
	Config                 map[string]string `json:"config"`
}

func (p *identityProvider) alias() string {
	var a string
	_ = json.Unmarshal(p.rep["alias"], &a)
	return a
}

// knownProviders are the provider ids Keycloak 26 ships.
var knownProviders = []string{"oidc", "keycloak-oidc", "saml", "github", "google", "facebook", "microsoft", "gitlab",
	"bitbucket", "linkedin-openid-connect", "twitter", "stackoverflow", "instagram", "paypal", "openshift-v4", "openshift-v3"}

// idpDefaults are the fields Keycloak fills when a representation leaves
// them out.
var idpDefaults = map[string]json.RawMessage{
	"enabled": json.RawMessage("true"), "updateProfileFirstLoginMode": json.RawMessage(`"on"`),
	"trustEmail": json.RawMessage("false"), "storeToken": json.RawMessage("false"),
	"addReadTokenRoleOnCreate": json.RawMessage("false"), "authenticateByDefault": json.RawMessage("false"),
	"linkOnly": json.RawMessage("false"), "hideOnLogin": json.RawMessage("false"),
	"firstBrokerLoginFlowAlias": json.RawMessage(`"first broker login"`),
}

const maskedSecret = "**********"

func (p *identityProvider) render(brief bool) map[string]any {
	out := map[string]any{}
	for k, v := range p.rep {
		out[k] = v
	}
	out["internalId"] = p.internalID
	if brief {
		for k := range out {
			switch k {
			case "alias", "displayName", "internalId", "providerId", "enabled":
			default:
				delete(out, k)
			}
		}
		return out
	}
	cfg := maps.Clone(p.config)
	if cfg == nil {
		cfg = map[string]string{}
	}
	if _, ok := cfg["clientSecret"]; ok {
		cfg["clientSecret"] = maskedSecret
	}
	out["config"] = cfg
	return out
}

func (s *Server) registerAdminIdentityProviders(mux *http.ServeMux) {
	const base = "/admin/realms/{realm}/identity-provider/instances"
	s.handle(mux, "GET", base, s.admin(permViewRealm, s.adminListIdPs))
	s.handle(mux, "POST", base, s.admin(permManageRealm, s.adminCreateIdP))
	one := base + "/{alias}"
	with := func(perm adminPerm, h func(w http.ResponseWriter, r *http.Request, rm *realm, p *identityProvider)) http.HandlerFunc {
		return s.admin(perm, func(w http.ResponseWriter, r *http.Request, rm *realm, _ *adminCaller) {
			// Keycloak: IdentityProvidersResource.getIdentityProvider finds
			// the provider by alias or internal id (getByIdOrAlias), and
			// IdentityProviderResource throws a bare NotFoundException when
			// there is none.
			p := rm.findIdP(r.PathValue("alias"))
			if p == nil {
				p = rm.findIdPByID(r.PathValue("alias"))
			}
			if p == nil {
				writeGenericError(w, http.StatusNotFound, "HTTP 404 Not Found")
				return
			}
			h(w, r, rm, p)
		})
	}
	s.handle(mux, "GET", one, with(permViewRealm, func(w http.ResponseWriter, _ *http.Request, _ *realm, p *identityProvider) {
		writeJSON(w, http.StatusOK, p.render(false))
	}))
	s.handle(mux, "PUT", one, with(permManageRealm, s.adminUpdateIdP))
	s.handle(mux, "DELETE", one, with(permManageRealm, func(w http.ResponseWriter, _ *http.Request, rm *realm, p *identityProvider) {
		st := rm.adminState()
		st.idps = slices.DeleteFunc(st.idps, func(x *identityProvider) bool { return x == p })
		alias := p.alias()
		for _, u := range rm.users {
			u.federated = slices.DeleteFunc(u.federated, func(l federatedLink) bool { return l.IdentityProvider == alias })
		}
		noContent(w)
	}))
	withMapper := func(perm adminPerm, h func(w http.ResponseWriter, r *http.Request, p *identityProvider, m *idpMapper)) http.HandlerFunc {
		return with(perm, func(w http.ResponseWriter, r *http.Request, _ *realm, p *identityProvider) {
			i := slices.IndexFunc(p.mappers, func(m *idpMapper) bool { return m.ID == r.PathValue("mapper") })
			if i < 0 {
				writeGenericError(w, http.StatusNotFound, "Model not found")
				return
			}
			h(w, r, p, p.mappers[i])
		})
	}
	s.handle(mux, "GET", one+"/mappers", with(permViewRealm, func(w http.ResponseWriter, _ *http.Request, _ *realm, p *identityProvider) {
		writeJSON(w, http.StatusOK, nonNil(p.mappers))
	}))
	s.handle(mux, "POST", one+"/mappers", with(permManageRealm, func(w http.ResponseWriter, r *http.Request, _ *realm, p *identityProvider) {
		var m idpMapper
		if !decodeAdminJSON(w, r, &m) {
			return
		}
		if m.Name == "" || m.IdentityProviderMapper == "" {
			writeGenericError(w, http.StatusBadRequest, "unknown_error")
			return
		}
		if slices.ContainsFunc(p.mappers, func(x *idpMapper) bool { return x.Name == m.Name }) {
			writeErrorMessage(w, http.StatusConflict, "Identity provider mapper with name "+m.Name+" already exists")
			return
		}
		m.ID, m.IdentityProviderAlias = newID(), p.alias()
		if m.Config == nil {
			m.Config = map[string]string{}
		}
		p.mappers = append(p.mappers, &m)
		created(w, r, s, m.ID)
	}))
	s.handle(mux, "GET", one+"/mappers/{mapper}", withMapper(permViewRealm, func(w http.ResponseWriter, _ *http.Request, _ *identityProvider, m *idpMapper) {
		writeJSON(w, http.StatusOK, m)
	}))
	s.handle(mux, "PUT", one+"/mappers/{mapper}", withMapper(permManageRealm, func(w http.ResponseWriter, r *http.Request, _ *identityProvider, m *idpMapper) {
		var in idpMapper
		if !decodeAdminJSON(w, r, &in) {
			return
		}
		if in.Name != "" {
			m.Name = in.Name
		}
		if in.IdentityProviderMapper != "" {
			m.IdentityProviderMapper = in.IdentityProviderMapper
		}
		if in.Config != nil {
			m.Config = in.Config
		}
		noContent(w)
	}))
	s.handle(mux, "DELETE", one+"/mappers/{mapper}", withMapper(permManageRealm, func(w http.ResponseWriter, _ *http.Request, p *identityProvider, m *idpMapper) {
		p.mappers = slices.DeleteFunc(p.mappers, func(x *idpMapper) bool { return x == m })
		noContent(w)
	}))
}

func (rm *realm) findIdP(alias string) *identityProvider {
	if rm.admin == nil {
		return nil
	}
	for _, p := range rm.admin.idps {
		if p.alias() == alias {
			return p
		}
	}
	return nil
}

// findIdPByID finds an identity provider by its internal id.
func (rm *realm) findIdPByID(id string) *identityProvider {
	if rm.admin == nil || id == "" {
		return nil
	}
	for _, p := range rm.admin.idps {
		if p.internalID == id {
			return p
		}
	}
	return nil
}

func (s *Server) adminListIdPs(w http.ResponseWriter, r *http.Request, rm *realm, _ *adminCaller) {
	search := r.URL.Query().Get("search")
	var list []*identityProvider
	if rm.admin != nil {
		for _, p := range rm.admin.idps {
			if search == "" || searchMatches(search, p.alias()) {
				list = append(list, p)
			}
		}
	}
	slices.SortFunc(list, func(a, b *identityProvider) int { return strings.Compare(a.alias(), b.alias()) })
	first, end := page(r, len(list), 100)
	brief := boolParam(r, "briefRepresentation", false)
	out := make([]map[string]any, 0, end-first)
	for _, p := range list[first:end] {
		out = append(out, p.render(brief))
	}
	writeJSON(w, http.StatusOK, out)
}

// decodeIdP reads an IdentityProviderRepresentation: the raw members and
// the config.
func decodeIdP(w http.ResponseWriter, r *http.Request) (map[string]json.RawMessage, map[string]string, bool) {
	var raw map[string]json.RawMessage
	if !decodeAdminJSON(w, r, &raw) {
		return nil, nil, false
	}
	var cfg map[string]string
	if c, ok := raw["config"]; ok {
		if json.Unmarshal(c, &cfg) != nil {
			writeGenericError(w, http.StatusBadRequest, "unknown_error")
			return nil, nil, false
		}
	}
	delete(raw, "config")
	delete(raw, "internalId")
	return raw, cfg, true
}

func (s *Server) adminCreateIdP(w http.ResponseWriter, r *http.Request, rm *realm, _ *adminCaller) {
	raw, cfg, ok := decodeIdP(w, r)
	if !ok {
		return
	}
	var alias, providerID string
	_ = json.Unmarshal(raw["alias"], &alias)
	_ = json.Unmarshal(raw["providerId"], &providerID)
	if strings.TrimSpace(alias) == "" {
		writeErrorMessage(w, http.StatusBadRequest, "Identity Provider alias is missing")
		return
	}
	if !slices.Contains(knownProviders, providerID) {
		writeErrorMessage(w, http.StatusBadRequest, "Invalid identity provider id ["+providerID+"]")
		return
	}
	if rm.findIdP(alias) != nil {
		writeErrorMessage(w, http.StatusConflict, "Identity Provider "+alias+" already exists")
		return
	}
	for k, v := range idpDefaults {
		if _, ok := raw[k]; !ok {
			raw[k] = v
		}
	}
	st := rm.adminState()
	st.idps = append(st.idps, &identityProvider{internalID: newID(), rep: raw, config: cfg})
	created(w, r, s, alias)
}

func (s *Server) adminUpdateIdP(w http.ResponseWriter, r *http.Request, rm *realm, p *identityProvider) {
	raw, cfg, ok := decodeIdP(w, r)
	if !ok {
		return
	}
	var alias string
	if a, ok := raw["alias"]; ok {
		_ = json.Unmarshal(a, &alias)
		if o := rm.findIdP(alias); o != nil && o != p {
			writeErrorMessage(w, http.StatusConflict, "Identity Provider "+alias+" already exists")
			return
		}
	}
	old := p.alias()
	for k, v := range raw {
		p.rep[k] = v
	}
	if cfg != nil {
		if cfg["clientSecret"] == maskedSecret {
			cfg["clientSecret"] = p.config["clientSecret"]
		}
		p.config = cfg
	}
	if alias != "" && alias != old {
		for _, u := range rm.users {
			for i := range u.federated {
				if u.federated[i].IdentityProvider == old {
					u.federated[i].IdentityProvider = alias
				}
			}
		}
	}
	noContent(w)
}
