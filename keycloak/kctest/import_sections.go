package kctest

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// componentExportRep is a ComponentExportRepresentation: a component of a
// realm file, with its sub-components by provider type.
type componentExportRep struct {
	ID            string                          `json:"id"`
	Name          string                          `json:"name"`
	ProviderID    string                          `json:"providerId"`
	SubType       string                          `json:"subType"`
	SubComponents map[string][]componentExportRep `json:"subComponents"`
	Config        map[string][]string             `json:"config"`
}

// flowExportRep is an AuthenticationFlowRepresentation of a realm file.
type flowExportRep struct {
	ID                       string `json:"id"`
	Alias                    string `json:"alias"`
	Description              string `json:"description"`
	ProviderID               string `json:"providerId"`
	TopLevel                 bool   `json:"topLevel"`
	BuiltIn                  bool   `json:"builtIn"`
	AuthenticationExecutions []struct {
		Authenticator       string `json:"authenticator"`
		AuthenticatorConfig string `json:"authenticatorConfig"` // the config's alias
		AuthenticatorFlow   bool   `json:"authenticatorFlow"`
		Requirement         string `json:"requirement"`
		Priority            int    `json:"priority"`
		FlowAlias           string `json:"flowAlias"`
	} `json:"authenticationExecutions"`
}

// configExportRep is an AuthenticatorConfigRepresentation.
type configExportRep struct {
	ID     string            `json:"id"`
	Alias  string            `json:"alias"`
	Config map[string]string `json:"config"`
}

// requiredActionExportRep is a RequiredActionProviderRepresentation.
type requiredActionExportRep struct {
	Alias         string            `json:"alias"`
	Name          string            `json:"name"`
	ProviderID    string            `json:"providerId"`
	Enabled       bool              `json:"enabled"`
	DefaultAction bool              `json:"defaultAction"`
	Priority      int               `json:"priority"`
	Config        map[string]string `json:"config"`
}

// orgExportRep is an OrganizationRepresentation of a realm file.
type orgExportRep struct {
	ID          string              `json:"id"`
	Name        string              `json:"name"`
	Alias       string              `json:"alias"`
	Enabled     *bool               `json:"enabled"`
	Description string              `json:"description"`
	RedirectURL string              `json:"redirectUrl"`
	Attributes  map[string][]string `json:"attributes"`
	Domains     []orgDomain         `json:"domains"`
	Members     []struct {
		Username       string `json:"username"`
		MembershipType string `json:"membershipType"`
	} `json:"members"`
	IdentityProviders []struct {
		Alias string `json:"alias"`
	} `json:"identityProviders"`
}

// applySettings stores the plain settings of a representation (every
// member that is not a section or a modelled field); a null member keeps
// the current value, as Keycloak's importer does.
func (rm *realm) applySettings(raw map[string]json.RawMessage) error {
	for k, v := range raw {
		if slices.Contains(realmSections, k) || string(v) == "null" {
			continue
		}
		rm.settings[k] = slices.Clone(v)
	}
	if v, ok := raw["requiredCredentials"]; ok && string(v) != "null" {
		rm.settings["requiredCredentials"] = slices.Clone(v)
	}
	return nil
}

// importComponents adds the file's components: key providers (their keys
// sign and encrypt), the user-profile configuration, client-registration
// policies (replacing the defaults when the file has any) and the rest,
// kept and listed. A realm-level privateKey/certificate pair (old
// exports) becomes an rsa key provider, as DefaultKeyProviders does.
func (s *Server) importComponents(rm *realm, comps map[string][]componentExportRep, rep *realmRep) error {
	if len(comps[clientRegPolicyType]) > 0 {
		rm.components = slices.DeleteFunc(rm.components, func(c *component) bool { return c.providerType == clientRegPolicyType })
	}
	var add func(typ, parent string, list []componentExportRep) error
	add = func(typ, parent string, list []componentExportRep) error {
		for _, cr := range list {
			if cr.ProviderID == "" {
				return fmt.Errorf("kctest: component %q of type %s has no providerId", cr.Name, typ)
			}
			c := &component{id: cr.ID, name: cr.Name, providerID: cr.ProviderID, providerType: typ, parentID: parent,
				subType: cr.SubType, config: cloneConfig(cr.Config)}
			if c.id == "" {
				c.id = newID()
			}
			if rm.componentByID(c.id) != nil {
				return fmt.Errorf("kctest: component id %q appears twice", c.id)
			}
			switch typ {
			case keyProviderType:
				if err := s.loadKey(rm, c); err != nil {
					return err
				}
			case userProfileProviderType:
				rm.components = slices.DeleteFunc(rm.components, func(o *component) bool { return o.providerType == userProfileProviderType })
				if v := strings.Join(c.config[userProfileConfigKey], ""); v != "" {
					var cfg upConfig
					if err := json.Unmarshal([]byte(v), &cfg); err != nil {
						return fmt.Errorf("kctest: user-profile component: %w", err)
					}
					st := rm.adminState()
					st.userProfile, st.userProfileParsed = json.RawMessage(v), &cfg
				}
			}
			rm.components = append(rm.components, c)
			for _, subType := range slices.Sorted(maps.Keys(cr.SubComponents)) {
				if err := add(subType, c.id, cr.SubComponents[subType]); err != nil {
					return err
				}
			}
		}
		return nil
	}
	for _, typ := range slices.Sorted(maps.Keys(comps)) {
		if err := add(typ, rm.id, comps[typ]); err != nil {
			return err
		}
	}
	if rep.PrivateKey != "" {
		c := &component{id: newID(), name: "rsa", providerID: "rsa", providerType: keyProviderType, parentID: rm.id,
			config: map[string][]string{"priority": {"100"}, "privateKey": {rep.PrivateKey}}}
		if rep.Certificate != "" {
			c.config["certificate"] = []string{rep.Certificate}
		}
		if err := s.loadKey(rm, c); err != nil {
			return err
		}
		rm.components = append(rm.components, c)
	}
	return nil
}

// importSections imports what the file holds besides users, clients,
// roles, groups and scopes: flows, authenticator configs and required
// actions (replacing the defaults when the file has them, as
// RealmManager.importRealm and setupRequiredActions do), identity
// providers and their mappers, organizations, default groups and the
// events settings.
func (rm *realm) importSections(rep *realmRep) error {
	if rep.AuthenticationFlows != nil {
		st, err := importFlows(rep.AuthenticationFlows, rep.AuthenticatorConfig)
		if err != nil {
			return err
		}
		if rep.RequiredActions == nil {
			st.actions = newAuthnState().actions
		}
		rm.authn = st
	}
	if rep.RequiredActions != nil {
		st := rm.authnOf()
		st.actions = nil
		for _, ra := range rep.RequiredActions {
			if ra.Alias == "" {
				return errors.New("kctest: required action alias is missing")
			}
			a := &requiredAction{alias: ra.Alias, name: ra.Name, providerID: ra.ProviderID, enabled: ra.Enabled,
				defaultAction: ra.DefaultAction, priority: ra.Priority, config: maps.Clone(ra.Config)}
			if a.providerID == "" {
				a.providerID = a.alias
			}
			if a.config == nil {
				a.config = map[string]string{}
			}
			st.actions = append(st.actions, a)
		}
	}
	for _, p := range rep.DefaultGroups {
		g := rm.findGroupByPath(p)
		if g == nil {
			return fmt.Errorf("kctest: default group %q not found", p)
		}
		st := rm.adminState()
		if !slices.Contains(st.defaultGroups, g) {
			st.defaultGroups = append(st.defaultGroups, g)
		}
	}
	for _, raw := range rep.IdentityProviders {
		var m map[string]json.RawMessage
		if err := json.Unmarshal(raw, &m); err != nil {
			return fmt.Errorf("kctest: identity provider: %w", err)
		}
		var cfg map[string]string
		if c, ok := m["config"]; ok {
			if err := json.Unmarshal(c, &cfg); err != nil {
				return fmt.Errorf("kctest: identity provider config: %w", err)
			}
		}
		var internalID string
		_ = json.Unmarshal(m["internalId"], &internalID)
		delete(m, "config")
		delete(m, "internalId")
		p := &identityProvider{internalID: internalID, rep: m, config: cfg}
		if p.alias() == "" {
			return errors.New("kctest: identity provider alias is missing")
		}
		if rm.findIdP(p.alias()) != nil {
			return fmt.Errorf("kctest: identity provider %q appears twice", p.alias())
		}
		if p.internalID == "" {
			p.internalID = newID()
		}
		for k, v := range idpDefaults {
			if _, ok := m[k]; !ok {
				m[k] = v
			}
		}
		st := rm.adminState()
		st.idps = append(st.idps, p)
	}
	for _, mp := range rep.IdentityProviderMappers {
		p := rm.findIdP(mp.IdentityProviderAlias)
		if p == nil {
			return fmt.Errorf("kctest: identity provider mapper %q: identity provider %q not found", mp.Name, mp.IdentityProviderAlias)
		}
		m := mp
		if m.ID == "" {
			m.ID = newID()
		}
		if m.Config == nil {
			m.Config = map[string]string{}
		}
		p.mappers = append(p.mappers, &m)
	}
	for _, or := range rep.Organizations {
		if or.Name == "" {
			return errors.New("kctest: organization name is missing")
		}
		o := &organization{id: or.ID, name: or.Name, alias: or.Alias, enabled: boolOr(or.Enabled, true),
			description: or.Description, redirectURL: or.RedirectURL, attributes: map[string][]string{}, domains: slices.Clone(or.Domains)}
		if o.id == "" {
			o.id = newID()
		}
		if o.alias == "" {
			o.alias = o.name
		}
		for k, v := range or.Attributes {
			o.attributes[k] = slices.Clone(v)
		}
		for _, m := range or.Members {
			u := rm.findUserByUsername(m.Username)
			if u == nil {
				return fmt.Errorf("kctest: organization %q: member %q not found", or.Name, m.Username)
			}
			o.members = append(o.members, &orgMember{user: u, managed: m.MembershipType == "MANAGED"})
		}
		for _, p := range or.IdentityProviders {
			if rm.findIdP(p.Alias) == nil {
				return fmt.Errorf("kctest: organization %q: identity provider %q not found", or.Name, p.Alias)
			}
			o.identityProviders = append(o.identityProviders, p.Alias)
		}
		st := rm.adminState()
		st.orgs = append(st.orgs, o)
	}
	if rep.EventsEnabled != nil || rep.EventsListeners != nil || rep.EnabledEventTypes != nil ||
		rep.AdminEventsEnabled != nil || rep.AdminEventsDetailsEnabled != nil || rep.EventsExpiration != nil {
		cfg := rm.eventsConfig()
		if rep.EventsEnabled != nil {
			cfg.EventsEnabled = *rep.EventsEnabled
		}
		if rep.EventsExpiration != nil {
			cfg.EventsExpiration = *rep.EventsExpiration
		}
		if rep.EventsListeners != nil {
			cfg.EventsListeners = slices.Clone(rep.EventsListeners)
		}
		if rep.EnabledEventTypes != nil {
			cfg.EnabledEventTypes = slices.Clone(rep.EnabledEventTypes)
		}
		if rep.AdminEventsEnabled != nil {
			cfg.AdminEventsEnabled = *rep.AdminEventsEnabled
		}
		if rep.AdminEventsDetailsEnabled != nil {
			cfg.AdminEventsDetailsEnabled = *rep.AdminEventsDetailsEnabled
		}
	}
	return nil
}

// importFlows builds the authentication state of a realm file: its flows,
// executions (sub-flows found by alias) and authenticator configs (found
// by alias, as the export names them).
func importFlows(flows []flowExportRep, configs []configExportRep) (*authnState, error) {
	st := &authnState{configs: map[string]*authnConfig{}}
	byAlias := map[string]*authnConfig{}
	for _, cr := range configs {
		c := &authnConfig{id: cr.ID, alias: cr.Alias, config: maps.Clone(cr.Config)}
		if c.id == "" {
			c.id = newID()
		}
		if c.config == nil {
			c.config = map[string]string{}
		}
		st.configs[c.id] = c
		byAlias[c.alias] = c
	}
	for _, fr := range flows {
		if fr.Alias == "" {
			return nil, errors.New("kctest: authentication flow alias is missing")
		}
		if st.flowByAlias(fr.Alias) != nil {
			return nil, fmt.Errorf("kctest: authentication flow %q appears twice", fr.Alias)
		}
		f := &authnFlow{id: fr.ID, alias: fr.Alias, description: fr.Description, providerID: fr.ProviderID, topLevel: fr.TopLevel, builtIn: fr.BuiltIn}
		if f.id == "" {
			f.id = newID()
		}
		if f.providerID == "" {
			f.providerID = "basic-flow"
		}
		st.flows = append(st.flows, f)
	}
	for i, fr := range flows {
		f := st.flows[i]
		for _, er := range fr.AuthenticationExecutions {
			x := &authnExec{id: newID(), authenticator: er.Authenticator, requirement: er.Requirement, priority: er.Priority}
			if er.AuthenticatorFlow || er.FlowAlias != "" {
				sub := st.flowByAlias(er.FlowAlias)
				if sub == nil {
					return nil, fmt.Errorf("kctest: flow %q: sub-flow %q not found", fr.Alias, er.FlowAlias)
				}
				x.flow = sub
			}
			if er.AuthenticatorConfig != "" {
				c := byAlias[er.AuthenticatorConfig]
				if c == nil {
					return nil, fmt.Errorf("kctest: flow %q: authenticator config %q not found", fr.Alias, er.AuthenticatorConfig)
				}
				x.config = c.id
			}
			f.execs = append(f.execs, x)
		}
		f.sortExecs()
	}
	return st, nil
}

// checkManagementRoles adds the management roles an imported
// realm-management client lacks (RealmManager.checkRealmAdminManagementRoles).
func (rm *realm) checkManagementRoles() {
	if rm.name == "master" {
		return
	}
	c := rm.findClientByClientID("realm-management")
	if c == nil {
		return
	}
	var all []*role
	for _, n := range realmManagementRoles {
		r := c.roles[n]
		if r == nil {
			r = c.addRole(n, "${role_"+n+"}")
		}
		all = append(all, r)
	}
	if c.roles["realm-admin"] == nil {
		c.addRole("realm-admin", "${role_realm-admin}", all...)
	}
}
