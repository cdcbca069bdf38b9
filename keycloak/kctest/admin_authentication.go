package kctest

import (
	"maps"
	"net/http"
	"strings"
)

// registerAdminAuthentication adds authentication management:
// /admin/realms/{realm}/authentication/... (flows, executions, required
// actions and the provider catalogues).
func (s *Server) registerAdminAuthentication(mux *http.ServeMux) {
	const p = "/admin/realms/{realm}/authentication"
	view := func(h func(http.ResponseWriter, *http.Request, *authnState)) http.HandlerFunc {
		return s.admin(permViewRealm, func(w http.ResponseWriter, r *http.Request, rm *realm, _ *adminCaller) { h(w, r, rm.authnOf()) })
	}
	manage := func(h func(http.ResponseWriter, *http.Request, *authnState)) http.HandlerFunc {
		return s.admin(permManageRealm, func(w http.ResponseWriter, r *http.Request, rm *realm, _ *adminCaller) { h(w, r, rm.authnOf()) })
	}
	providers := func(list []authnProvider) http.HandlerFunc {
		return view(func(w http.ResponseWriter, _ *http.Request, _ *authnState) {
			out := make([]map[string]any, 0, len(list))
			for _, pr := range list {
				out = append(out, map[string]any{"id": pr.id, "displayName": pr.displayName, "description": pr.description})
			}
			writeJSON(w, http.StatusOK, out)
		})
	}
	s.handle(mux, "GET", p+"/authenticator-providers", providers(authenticatorProviders))
	s.handle(mux, "GET", p+"/client-authenticator-providers", providers(clientAuthenticatorProviders))
	s.handle(mux, "GET", p+"/form-providers", providers(formProviders))
	s.handle(mux, "GET", p+"/form-action-providers", providers(formActionProviders))

	s.handle(mux, "GET", p+"/flows", view(s.handleFlowList))
	s.handle(mux, "POST", p+"/flows", manage(s.handleFlowCreate))
	s.handle(mux, "GET", p+"/flows/{id}", view(s.handleFlowGet))
	s.handle(mux, "PUT", p+"/flows/{id}", manage(s.handleFlowUpdate))
	s.handle(mux, "DELETE", p+"/flows/{id}", manage(s.handleFlowDelete))
	s.handle(mux, "POST", p+"/flows/{id}/copy", manage(s.handleFlowCopy))
	s.handle(mux, "GET", p+"/flows/{id}/executions", view(s.handleFlowExecutions))
	s.handle(mux, "PUT", p+"/flows/{id}/executions", manage(s.handleFlowExecutionUpdate))
	s.handle(mux, "POST", p+"/flows/{id}/executions/execution", manage(s.handleFlowAddExecution))
	s.handle(mux, "POST", p+"/flows/{id}/executions/flow", manage(s.handleFlowAddFlow))

	s.handle(mux, "POST", p+"/executions", manage(s.handleExecutionCreate))
	s.handle(mux, "GET", p+"/executions/{id}", manage(s.handleExecutionGet))
	s.handle(mux, "POST", p+"/executions/{id}/config", manage(s.handleExecutionConfigCreate))
	s.handle(mux, "GET", p+"/executions/{id}/config/{cid}", view(s.handleExecutionConfigGet))
	s.handle(mux, "POST", p+"/config", manage(s.handleConfigCreate))
	s.handle(mux, "GET", p+"/config/{cid}", view(s.handleExecutionConfigGet))
	s.handle(mux, "PUT", p+"/config/{cid}", manage(s.handleConfigUpdate))
	s.handle(mux, "DELETE", p+"/config/{cid}", manage(s.handleConfigDelete))
	s.handle(mux, "DELETE", p+"/executions/{id}", manage(s.handleExecutionDelete))
	s.handle(mux, "POST", p+"/executions/{id}/raise-priority", manage(s.handleExecutionMove(-1)))
	s.handle(mux, "POST", p+"/executions/{id}/lower-priority", manage(s.handleExecutionMove(1)))

	s.handle(mux, "GET", p+"/required-actions", view(s.handleRequiredActionList))
	s.handle(mux, "GET", p+"/required-actions/{alias}", view(s.handleRequiredActionGet))
	s.handle(mux, "PUT", p+"/required-actions/{alias}", manage(s.handleRequiredActionUpdate))
	s.handle(mux, "DELETE", p+"/required-actions/{alias}", manage(s.handleRequiredActionDelete))
	s.handle(mux, "POST", p+"/required-actions/{alias}/raise-priority", manage(s.handleRequiredActionMove(-1)))
	s.handle(mux, "POST", p+"/required-actions/{alias}/lower-priority", manage(s.handleRequiredActionMove(1)))
	s.handle(mux, "GET", p+"/unregistered-required-actions", view(s.handleUnregisteredRequiredActions))
	s.handle(mux, "POST", p+"/register-required-action", manage(s.handleRegisterRequiredAction))
}

// flowRep is an AuthenticationFlowRepresentation
// (ModelToRepresentation.toRepresentation): an execution names its
// authenticator config by alias, and a flow without description has none.
func (st *authnState) flowRep(f *authnFlow) map[string]any {
	execs := []map[string]any{}
	for _, x := range f.execs {
		e := map[string]any{"requirement": x.requirement, "priority": x.priority, "autheticatorFlow": x.flow != nil,
			"authenticatorFlow": x.flow != nil, "userSetupAllowed": false}
		if x.authenticator != "" {
			e["authenticator"] = x.authenticator
		}
		if x.flow != nil {
			e["flowAlias"] = x.flow.alias
		}
		if cfg := st.configs[x.config]; cfg != nil {
			e["authenticatorConfig"] = cfg.alias
		}
		execs = append(execs, e)
	}
	m := map[string]any{"id": f.id, "alias": f.alias, "providerId": f.providerID,
		"topLevel": f.topLevel, "builtIn": f.builtIn, "authenticationExecutions": execs}
	if f.description != "" {
		m["description"] = f.description
	}
	return m
}

func (s *Server) handleFlowList(w http.ResponseWriter, _ *http.Request, st *authnState) {
	out := []map[string]any{}
	for _, f := range st.flows {
		if f.topLevel && f.alias != "saml ecp" {
			out = append(out, st.flowRep(f))
		}
	}
	writeJSON(w, http.StatusOK, out)
}

// flowIn is the body of flow creates and updates.
type flowIn struct {
	ID          string `json:"id"`
	Alias       string `json:"alias"`
	Description string `json:"description"`
	ProviderID  string `json:"providerId"`
	TopLevel    *bool  `json:"topLevel"`
}

func (s *Server) handleFlowCreate(w http.ResponseWriter, r *http.Request, st *authnState) {
	var in flowIn
	if !decodeAdminJSON(w, r, &in) {
		return
	}
	if strings.TrimSpace(in.Alias) == "" {
		writeErrorMessage(w, http.StatusConflict, "Failed to create flow with empty alias name")
		return
	}
	if st.flowByAlias(in.Alias) != nil {
		writeErrorMessage(w, http.StatusConflict, "Flow "+in.Alias+" already exists")
		return
	}
	// RepresentationToModel.toModel keeps the representation's id and the
	// realm provider generates one only when it is absent.
	id := in.ID
	if id == "" || st.flowByID(id) != nil {
		id = newID()
	}
	f := &authnFlow{id: id, alias: in.Alias, description: in.Description, providerID: in.ProviderID, topLevel: in.TopLevel == nil || *in.TopLevel}
	if f.providerID == "" {
		f.providerID = "basic-flow"
	}
	st.flows = append(st.flows, f)
	created(w, r, s, f.id)
}

// flow finds the flow whose ID is the {id} segment, or answers 404 with
// msg.
func (s *Server) flow(w http.ResponseWriter, r *http.Request, st *authnState, msg string) *authnFlow {
	f := st.flowByID(r.PathValue("id"))
	if f == nil {
		writeGenericError(w, http.StatusNotFound, msg)
	}
	return f
}

// flowByAliasPath finds the flow whose alias is the {id} segment, or
// answers as miss does (Keycloak's endpoints differ).
func (s *Server) flowByAliasPath(w http.ResponseWriter, r *http.Request, st *authnState, miss func(http.ResponseWriter)) *authnFlow {
	f := st.flowByAlias(r.PathValue("id"))
	if f == nil {
		miss(w)
	}
	return f
}

func genericMiss(status int, msg string) func(http.ResponseWriter) {
	return func(w http.ResponseWriter) { writeGenericError(w, status, msg) }
}

func (s *Server) handleFlowGet(w http.ResponseWriter, r *http.Request, st *authnState) {
	if f := s.flow(w, r, st, "Could not find flow with id"); f != nil {
		writeJSON(w, http.StatusOK, st.flowRep(f))
	}
}

func (s *Server) handleFlowUpdate(w http.ResponseWriter, r *http.Request, st *authnState) {
	var in flowIn
	if !decodeAdminJSON(w, r, &in) {
		return
	}
	f := s.flow(w, r, st, "Could not find flow with id")
	if f == nil {
		return
	}
	if strings.TrimSpace(in.Alias) == "" {
		writeErrorMessage(w, http.StatusConflict, "Failed to update flow with empty alias name")
		return
	}
	if other := st.flowByAlias(in.Alias); other != nil && other != f {
		writeErrorMessage(w, http.StatusConflict, "Flow alias name already exists")
		return
	}
	f.alias, f.description = in.Alias, in.Description
	writeJSON(w, http.StatusAccepted, st.flowRep(f))
}

func (s *Server) handleFlowDelete(w http.ResponseWriter, r *http.Request, st *authnState) {
	f := s.flow(w, r, st, "Flow not found")
	if f == nil {
		return
	}
	if f.builtIn {
		writeErrorMessage(w, http.StatusBadRequest, "Can't delete built in flow")
		return
	}
	st.removeFlow(f)
	noContent(w)
}

func (s *Server) handleFlowCopy(w http.ResponseWriter, r *http.Request, st *authnState) {
	var in struct {
		NewName string `json:"newName"`
	}
	if !decodeAdminJSON(w, r, &in) {
		return
	}
	if st.flowByAlias(in.NewName) != nil {
		writeErrorMessage(w, http.StatusConflict, "New flow alias name already exists")
		return
	}
	f := s.flowByAliasPath(w, r, st, genericMiss(http.StatusNotFound, "Flow not found"))
	if f == nil {
		return
	}
	if strings.TrimSpace(in.NewName) == "" {
		writeErrorMessage(w, http.StatusBadRequest, "Failed to copy flow with empty new name")
		return
	}
	st.copyFlow(f, in.NewName, f.description, f.topLevel)
	w.WriteHeader(http.StatusCreated) // Keycloak sends no Location here
}

// appendExecInfos adds the AuthenticationExecutionInfoRepresentations of
// f's executions, depth first, at level.
func (st *authnState) appendExecInfos(out []map[string]any, f *authnFlow, level int) []map[string]any {
	f.sortExecs()
	for i, x := range f.execs {
		m := map[string]any{"id": x.id, "requirement": x.requirement, "level": level, "index": i, "priority": x.priority}
		if x.config != "" {
			m["authenticationConfig"] = x.config
		}
		if x.flow != nil {
			m["authenticationFlow"] = true
			m["displayName"] = x.flow.alias
			m["description"] = x.flow.description
			m["flowId"] = x.flow.id
			m["configurable"] = false
			m["requirementChoices"] = []string{"REQUIRED", "ALTERNATIVE", "DISABLED", "CONDITIONAL"}
			if x.authenticator != "" {
				m["providerId"] = x.authenticator
			}
		} else {
			m["providerId"] = x.authenticator
			pr := findProvider(authenticatorProviders, x.authenticator)
			if pr == nil {
				pr = findProvider(formActionProviders, x.authenticator)
			}
			if pr == nil {
				pr = findProvider(clientAuthenticatorProviders, x.authenticator)
			}
			choices := []string{"REQUIRED", "ALTERNATIVE", "DISABLED"}
			if pr != nil {
				m["displayName"] = pr.displayName
				m["description"] = pr.description
				m["configurable"] = pr.configurable
				if pr.conditional || f.providerID == "form-flow" {
					choices = []string{"REQUIRED", "DISABLED"}
				}
			}
			m["requirementChoices"] = choices
			if cfg := st.configs[x.config]; cfg != nil {
				m["alias"] = cfg.alias
			}
		}
		out = append(out, m)
		if x.flow != nil {
			out = st.appendExecInfos(out, x.flow, level+1)
		}
	}
	return out
}

func (s *Server) handleFlowExecutions(w http.ResponseWriter, r *http.Request, st *authnState) {
	if f := s.flowByAliasPath(w, r, st, func(w http.ResponseWriter) { w.WriteHeader(http.StatusNotFound) }); f != nil {
		writeJSON(w, http.StatusOK, st.appendExecInfos([]map[string]any{}, f, 0))
	}
}

func (s *Server) handleFlowExecutionUpdate(w http.ResponseWriter, r *http.Request, st *authnState) {
	var in struct {
		ID                 string `json:"id"`
		Requirement        string `json:"requirement"`
		AuthenticationFlow *bool  `json:"authenticationFlow"`
		FlowID             string `json:"flowId"`
		DisplayName        string `json:"displayName"`
		Description        string `json:"description"`
	}
	if !decodeAdminJSON(w, r, &in) {
		return
	}
	f := s.flowByAliasPath(w, r, st, genericMiss(http.StatusNotFound, "flow not found"))
	if f == nil {
		return
	}
	x, _ := st.exec(in.ID)
	if x == nil {
		writeGenericError(w, http.StatusNotFound, "Illegal execution")
		return
	}
	if in.Requirement != x.requirement {
		switch in.Requirement {
		case "REQUIRED", "ALTERNATIVE", "DISABLED", "CONDITIONAL":
			x.requirement = in.Requirement
		default:
			writeGenericError(w, http.StatusBadRequest, "No enum constant "+in.Requirement)
			return
		}
		writeJSON(w, http.StatusAccepted, st.flowRep(f))
		return
	}
	if in.AuthenticationFlow != nil {
		// The same requirement: a sub-flow's alias and description change.
		sub := st.flowByID(in.FlowID)
		if sub == nil {
			writeGenericError(w, http.StatusNotFound, "Illegal execution")
			return
		}
		if other := st.flowByAlias(in.DisplayName); other != nil && other != sub {
			writeErrorMessage(w, http.StatusConflict, "Flow alias name already exists")
			return
		}
		sub.alias, sub.description = in.DisplayName, in.Description
	}
	writeJSON(w, http.StatusAccepted, st.flowRep(f))
}

func (s *Server) handleFlowAddExecution(w http.ResponseWriter, r *http.Request, st *authnState) {
	var in struct {
		Provider string `json:"provider"`
	}
	if !decodeAdminJSON(w, r, &in) {
		return
	}
	f := s.flowByAliasPath(w, r, st, genericMiss(http.StatusBadRequest, "Parent flow doesn't exist"))
	if f == nil {
		return
	}
	if f.builtIn {
		writeGenericError(w, http.StatusBadRequest, "It is illegal to add execution to a built in flow")
		return
	}
	list := authenticatorProviders
	switch f.providerID {
	case "form-flow":
		list = formActionProviders
	case "client-flow":
		list = clientAuthenticatorProviders
	}
	if findProvider(list, in.Provider) == nil {
		writeGenericError(w, http.StatusBadRequest, "No authentication provider found for id: "+in.Provider)
		return
	}
	x := &authnExec{id: newID(), authenticator: in.Provider, requirement: "DISABLED", priority: f.nextPriority()}
	f.execs = append(f.execs, x)
	w.Header().Set("Location", s.baseURL(r)+"/admin/realms/"+escapeSegment(r.PathValue("realm"))+"/authentication/executions/"+x.id)
	w.WriteHeader(http.StatusCreated)
}

func (s *Server) handleFlowAddFlow(w http.ResponseWriter, r *http.Request, st *authnState) {
	var in struct {
		Alias       string `json:"alias"`
		Type        string `json:"type"`
		Provider    string `json:"provider"`
		Description string `json:"description"`
	}
	if !decodeAdminJSON(w, r, &in) {
		return
	}
	f := s.flowByAliasPath(w, r, st, func(w http.ResponseWriter) {
		writeErrorMessage(w, http.StatusBadRequest, "Parent flow doesn't exist")
	})
	if f == nil {
		return
	}
	if f.builtIn {
		writeGenericError(w, http.StatusBadRequest, "It is illegal to add sub-flow to a built in flow")
		return
	}
	if strings.TrimSpace(in.Alias) == "" {
		writeErrorMessage(w, http.StatusBadRequest, "Failed to create flow with empty alias name")
		return
	}
	if st.flowByAlias(in.Alias) != nil {
		writeErrorMessage(w, http.StatusConflict, "New flow alias name already exists")
		return
	}
	typ := in.Type
	if typ == "" {
		typ = "basic-flow"
	}
	sub := &authnFlow{id: newID(), alias: in.Alias, description: in.Description, providerID: typ}
	st.flows = append(st.flows, sub)
	x := &authnExec{id: newID(), flow: sub, requirement: "DISABLED", priority: f.nextPriority()}
	if typ == "form-flow" {
		x.authenticator = in.Provider
	}
	f.execs = append(f.execs, x)
	w.Header().Set("Location", s.baseURL(r)+"/admin/realms/"+escapeSegment(r.PathValue("realm"))+"/authentication/flows/"+sub.id)
	w.WriteHeader(http.StatusCreated)
}

func (s *Server) execution(w http.ResponseWriter, r *http.Request, st *authnState) (*authnExec, *authnFlow) {
	x, parent := st.exec(r.PathValue("id"))
	if x == nil {
		writeGenericError(w, http.StatusNotFound, "Illegal execution")
	}
	return x, parent
}

func (s *Server) handleExecutionGet(w http.ResponseWriter, r *http.Request, st *authnState) {
	x, parent := s.execution(w, r, st)
	if x == nil {
		return
	}
	out := map[string]any{"id": x.id, "requirement": x.requirement, "priority": x.priority, "parentFlow": parent.id,
		"authenticatorFlow": x.flow != nil, "autheticatorFlow": x.flow != nil}
	if x.authenticator != "" {
		out["authenticator"] = x.authenticator
	}
	if x.flow != nil {
		out["flowId"] = x.flow.id
	}
	if x.config != "" {
		out["authenticatorConfig"] = x.config
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) handleExecutionDelete(w http.ResponseWriter, r *http.Request, st *authnState) {
	x, parent := s.execution(w, r, st)
	if x == nil {
		return
	}
	if parent.builtIn {
		writeGenericError(w, http.StatusBadRequest, "It is illegal to remove execution from a built in flow")
		return
	}
	if x.flow != nil {
		st.removeFlow(x.flow)
	}
	parent.execs = deleteItem(parent.execs, x)
	noContent(w)
}

func deleteItem[T comparable](s []T, v T) []T {
	out := s[:0]
	for _, x := range s {
		if x != v {
			out = append(out, x)
		}
	}
	return out
}

// handleExecutionMove swaps an execution's priority with its neighbour's
// (dir -1: raise, +1: lower); at either end it does nothing.
func (s *Server) handleExecutionMove(dir int) func(http.ResponseWriter, *http.Request, *authnState) {
	return func(w http.ResponseWriter, r *http.Request, st *authnState) {
		x, parent := s.execution(w, r, st)
		if x == nil {
			return
		}
		if parent.builtIn {
			writeGenericError(w, http.StatusBadRequest, "It is illegal to modify execution in a built in flow")
			return
		}
		parent.sortExecs()
		for i, y := range parent.execs {
			if y == x {
				if j := i + dir; j >= 0 && j < len(parent.execs) {
					z := parent.execs[j]
					x.priority, z.priority = z.priority, x.priority
					parent.execs[i], parent.execs[j] = z, x
				}
				break
			}
		}
		noContent(w)
	}
}

func requiredActionRep(a *requiredAction) map[string]any {
	cfg := map[string]string{}
	for k, v := range a.config {
		cfg[k] = v
	}
	return map[string]any{"alias": a.alias, "name": a.name, "providerId": a.providerID, "enabled": a.enabled,
		"defaultAction": a.defaultAction, "priority": a.priority, "config": cfg}
}

func (s *Server) handleRequiredActionList(w http.ResponseWriter, _ *http.Request, st *authnState) {
	out := []map[string]any{}
	for _, a := range st.sortedActions() {
		out = append(out, requiredActionRep(a))
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) requiredAction(w http.ResponseWriter, r *http.Request, st *authnState) *requiredAction {
	a := st.action(r.PathValue("alias"))
	if a == nil {
		writeGenericError(w, http.StatusNotFound, "Failed to find required action")
	}
	return a
}

func (s *Server) handleRequiredActionGet(w http.ResponseWriter, r *http.Request, st *authnState) {
	if a := s.requiredAction(w, r, st); a != nil {
		writeJSON(w, http.StatusOK, requiredActionRep(a))
	}
}

func (s *Server) handleRequiredActionUpdate(w http.ResponseWriter, r *http.Request, st *authnState) {
	var in struct {
		Alias         string            `json:"alias"`
		Name          string            `json:"name"`
		Enabled       bool              `json:"enabled"`
		DefaultAction bool              `json:"defaultAction"`
		Priority      int               `json:"priority"`
		Config        map[string]string `json:"config"`
	}
	if !decodeAdminJSON(w, r, &in) {
		return
	}
	a := s.requiredAction(w, r, st)
	if a == nil {
		return
	}
	// Keycloak replaces every field with the body's (missing ones become
	// false, 0 or empty), keeping only the provider.
	if in.Alias != "" {
		a.alias = in.Alias
	}
	a.name, a.enabled, a.defaultAction, a.priority = in.Name, in.Enabled, in.DefaultAction, in.Priority
	a.config = in.Config
	if a.config == nil {
		a.config = map[string]string{}
	}
	noContent(w)
}

func (s *Server) handleRequiredActionDelete(w http.ResponseWriter, r *http.Request, st *authnState) {
	if a := s.requiredAction(w, r, st); a != nil {
		st.actions = deleteItem(st.actions, a)
		noContent(w)
	}
}

func (s *Server) handleRequiredActionMove(dir int) func(http.ResponseWriter, *http.Request, *authnState) {
	return func(w http.ResponseWriter, r *http.Request, st *authnState) {
		a := s.requiredAction(w, r, st)
		if a == nil {
			return
		}
		sorted := st.sortedActions()
		for i, b := range sorted {
			if b == a {
				if j := i + dir; j >= 0 && j < len(sorted) {
					c := sorted[j]
					a.priority, c.priority = c.priority, a.priority
				}
				break
			}
		}
		noContent(w)
	}
}

func (s *Server) handleUnregisteredRequiredActions(w http.ResponseWriter, _ *http.Request, st *authnState) {
	out := []map[string]string{}
	for _, p := range requiredActionProviders {
		if st.action(p.alias) == nil {
			out = append(out, map[string]string{"providerId": p.alias, "name": p.name})
		}
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) handleRegisterRequiredAction(w http.ResponseWriter, r *http.Request, st *authnState) {
	var in struct {
		ProviderID string `json:"providerId"`
		Name       string `json:"name"`
	}
	if !decodeAdminJSON(w, r, &in) {
		return
	}
	var known *requiredAction
	for i := range requiredActionProviders {
		if requiredActionProviders[i].alias == in.ProviderID {
			known = &requiredActionProviders[i]
		}
	}
	if known == nil {
		writeGenericError(w, http.StatusBadRequest, "Required Action Provider with given providerId not found")
		return
	}
	if st.action(in.ProviderID) != nil {
		writeErrorMessage(w, http.StatusConflict, "Conflict detected. See logs for details")
		return
	}
	next := 0
	if sorted := st.sortedActions(); len(sorted) > 0 {
		next = sorted[len(sorted)-1].priority + 1
	}
	st.actions = append(st.actions, &requiredAction{alias: in.ProviderID, name: in.Name, providerID: in.ProviderID,
		enabled: true, priority: next, config: map[string]string{}})
	noContent(w)
}

// handleExecutionCreate is POST .../executions with an
// AuthenticationExecutionRepresentation naming its parent flow.
func (s *Server) handleExecutionCreate(w http.ResponseWriter, r *http.Request, st *authnState) {
	var in struct {
		ParentFlow        string `json:"parentFlow"`
		Authenticator     string `json:"authenticator"`
		AuthenticatorFlow bool   `json:"authenticatorFlow"`
		FlowID            string `json:"flowId"`
		Requirement       string `json:"requirement"`
	}
	if !decodeAdminJSON(w, r, &in) {
		return
	}
	if in.ParentFlow == "" {
		writeGenericError(w, http.StatusBadRequest, "parent flow not set on new execution")
		return
	}
	parent := st.flowByID(in.ParentFlow)
	if parent == nil {
		writeGenericError(w, http.StatusBadRequest, "execution parent flow does not exist")
		return
	}
	if parent.builtIn {
		writeGenericError(w, http.StatusBadRequest, "It is illegal to add execution to a built in flow")
		return
	}
	x := &authnExec{id: newID(), authenticator: in.Authenticator, requirement: in.Requirement, priority: parent.nextPriority()}
	if x.requirement == "" {
		x.requirement = "DISABLED"
	}
	if in.AuthenticatorFlow {
		if x.flow = st.flowByID(in.FlowID); x.flow == nil {
			writeGenericError(w, http.StatusBadRequest, "Flow not found")
			return
		}
	} else {
		list := authenticatorProviders
		switch parent.providerID {
		case "form-flow":
			list = formActionProviders
		case "client-flow":
			list = clientAuthenticatorProviders
		}
		if findProvider(list, in.Authenticator) == nil {
			writeGenericError(w, http.StatusBadRequest, "No authentication provider found for id: "+in.Authenticator)
			return
		}
	}
	parent.execs = append(parent.execs, x)
	created(w, r, s, x.id)
}

// configIn is an AuthenticatorConfigRepresentation.
type configIn struct {
	Alias  string            `json:"alias"`
	Config map[string]string `json:"config"`
}

func configRep(c *authnConfig) map[string]any {
	return map[string]any{"id": c.id, "alias": c.alias, "config": maps.Clone(c.config)}
}

func (s *Server) handleExecutionConfigCreate(w http.ResponseWriter, r *http.Request, st *authnState) {
	var in configIn
	if !decodeAdminJSON(w, r, &in) {
		return
	}
	x, _ := s.execution(w, r, st)
	if x == nil {
		return
	}
	if in.Alias == "" {
		writeErrorMessage(w, http.StatusBadRequest, "Alias missing")
		return
	}
	c := &authnConfig{id: newID(), alias: in.Alias, config: maps.Clone(in.Config)}
	if c.config == nil {
		c.config = map[string]string{}
	}
	st.configs[c.id] = c
	x.config = c.id
	created(w, r, s, c.id)
}

// handleConfigCreate is the deprecated POST authentication/config: a
// configuration tied to no execution (gocloak's CreateAuthenticatorConfig
// calls it). Keycloak: AuthenticationManagementResource.createAuthenticatorConfig
// (409 for an empty or taken alias).
func (s *Server) handleConfigCreate(w http.ResponseWriter, r *http.Request, st *authnState) {
	var in configIn
	if !decodeAdminJSON(w, r, &in) {
		return
	}
	if in.Alias == "" {
		writeErrorMessage(w, http.StatusConflict, "Failed to create authentication execution configuration with empty alias name")
		return
	}
	for _, c := range st.configs {
		if c.alias == in.Alias {
			writeErrorMessage(w, http.StatusConflict, "Authentication execution configuration "+in.Alias+" already exists")
			return
		}
	}
	c := &authnConfig{id: newID(), alias: in.Alias, config: maps.Clone(in.Config)}
	if c.config == nil {
		c.config = map[string]string{}
	}
	st.configs[c.id] = c
	created(w, r, s, c.id)
}

func (s *Server) authnConfig(w http.ResponseWriter, r *http.Request, st *authnState) *authnConfig {
	c := st.configs[r.PathValue("cid")]
	if c == nil {
		writeGenericError(w, http.StatusNotFound, "Could not find authenticator config")
	}
	return c
}

func (s *Server) handleExecutionConfigGet(w http.ResponseWriter, r *http.Request, st *authnState) {
	if c := s.authnConfig(w, r, st); c != nil {
		writeJSON(w, http.StatusOK, configRep(c))
	}
}

func (s *Server) handleConfigUpdate(w http.ResponseWriter, r *http.Request, st *authnState) {
	var in configIn
	if !decodeAdminJSON(w, r, &in) {
		return
	}
	c := s.authnConfig(w, r, st)
	if c == nil {
		return
	}
	c.alias, c.config = in.Alias, maps.Clone(in.Config)
	if c.config == nil {
		c.config = map[string]string{}
	}
	noContent(w)
}

func (s *Server) handleConfigDelete(w http.ResponseWriter, r *http.Request, st *authnState) {
	c := s.authnConfig(w, r, st)
	if c == nil {
		return
	}
	delete(st.configs, c.id)
	for _, f := range st.flows {
		for _, x := range f.execs {
			if x.config == c.id {
				x.config = ""
			}
		}
	}
	noContent(w)
}
