package admin

import (
	"context"
	"net/http"
)

// AuthenticationService manages a realm's authentication flows, their
// executions and the realm's required actions. Flows are addressed by ID
// for get, update and delete, and by alias for their executions and
// copies, as in Keycloak's API.
type AuthenticationService struct{ base }

func (s *AuthenticationService) path(segs ...string) []string {
	return s.base.path(append([]string{"authentication"}, segs...)...)
}

// providers GETs one of the provider catalogues.
func (s *AuthenticationService) providers(ctx context.Context, kind string) ([]AuthenticatorProvider, error) {
	if err := need("realm", s.realm); err != nil {
		return nil, err
	}
	var out []AuthenticatorProvider
	_, err := s.c.do(ctx, "GET", s.path(kind), nil, nil, &out)
	return out, err
}

// AuthenticatorProviders returns the authenticators that executions of a
// basic flow can use.
//
// Keycloak: GET /admin/realms/{realm}/authentication/authenticator-providers
func (s *AuthenticationService) AuthenticatorProviders(ctx context.Context) ([]AuthenticatorProvider, error) {
	return s.providers(ctx, "authenticator-providers")
}

// ClientAuthenticatorProviders returns the client authenticators (client
// secret, signed JWT, ...).
//
// Keycloak: GET /admin/realms/{realm}/authentication/client-authenticator-providers
func (s *AuthenticationService) ClientAuthenticatorProviders(ctx context.Context) ([]AuthenticatorProvider, error) {
	return s.providers(ctx, "client-authenticator-providers")
}

// FormProviders returns the form providers of form flows.
//
// Keycloak: GET /admin/realms/{realm}/authentication/form-providers
func (s *AuthenticationService) FormProviders(ctx context.Context) ([]AuthenticatorProvider, error) {
	return s.providers(ctx, "form-providers")
}

// FormActionProviders returns the form actions that executions of a form
// flow can use.
//
// Keycloak: GET /admin/realms/{realm}/authentication/form-action-providers
func (s *AuthenticationService) FormActionProviders(ctx context.Context) ([]AuthenticatorProvider, error) {
	return s.providers(ctx, "form-action-providers")
}

// Flows returns the realm's top-level flows (all but "saml ecp").
//
// Keycloak: GET /admin/realms/{realm}/authentication/flows
func (s *AuthenticationService) Flows(ctx context.Context) ([]AuthenticationFlow, error) {
	if err := need("realm", s.realm); err != nil {
		return nil, err
	}
	var out []AuthenticationFlow
	_, err := s.c.do(ctx, "GET", s.path("flows"), nil, nil, &out)
	return out, err
}

// Flow returns flow flowID (top-level or sub-flow).
//
// Keycloak: GET /admin/realms/{realm}/authentication/flows/{id}
func (s *AuthenticationService) Flow(ctx context.Context, flowID string) (*AuthenticationFlow, error) {
	if err := need("realm", s.realm, "flowID", flowID); err != nil {
		return nil, err
	}
	return fetch[AuthenticationFlow](ctx, s.c, "GET", s.path("flows", flowID), nil, nil)
}

// CreateFlow creates flow f (f.Alias is required; ProviderID defaults to
// basic-flow, TopLevel to true) and returns its ID. An existing alias is a
// conflict (kc.ErrConflict).
//
// Keycloak: POST /admin/realms/{realm}/authentication/flows
func (s *AuthenticationService) CreateFlow(ctx context.Context, f *AuthenticationFlow) (string, error) {
	if err := need("realm", s.realm); err != nil {
		return "", err
	}
	if err := needBody("flow", f); err != nil {
		return "", err
	}
	if err := need("flow alias", f.Alias); err != nil {
		return "", err
	}
	return s.c.create(ctx, s.path("flows"), f)
}

// UpdateFlow changes flow flowID's alias and description. An alias in
// use, or an empty one, is a conflict (kc.ErrConflict).
//
// Keycloak: PUT /admin/realms/{realm}/authentication/flows/{id}
func (s *AuthenticationService) UpdateFlow(ctx context.Context, flowID string, f *AuthenticationFlow) error {
	if err := need("realm", s.realm, "flowID", flowID); err != nil {
		return err
	}
	if err := needBody("flow", f); err != nil {
		return err
	}
	_, err := s.c.do(ctx, "PUT", s.path("flows", flowID), nil, f, nil)
	return err
}

// DeleteFlow deletes flow flowID and its sub-flows. Built-in flows cannot
// be deleted (kc.ErrBadRequest).
//
// Keycloak: DELETE /admin/realms/{realm}/authentication/flows/{id}
func (s *AuthenticationService) DeleteFlow(ctx context.Context, flowID string) error {
	if err := need("realm", s.realm, "flowID", flowID); err != nil {
		return err
	}
	_, err := s.c.do(ctx, "DELETE", s.path("flows", flowID), nil, nil, nil)
	return err
}

// CopyFlow copies flow flowAlias, with its executions and sub-flows, as
// newAlias. The sub-flows of the copy are named "<newAlias> <sub-flow
// alias>". Keycloak does not answer with the copy's ID; FlowByAlias finds
// a top-level copy. An existing newAlias is a conflict (kc.ErrConflict).
//
// Keycloak: POST /admin/realms/{realm}/authentication/flows/{flowAlias}/copy
func (s *AuthenticationService) CopyFlow(ctx context.Context, flowAlias, newAlias string) error {
	if err := need("realm", s.realm, "flowAlias", flowAlias, "newAlias", newAlias); err != nil {
		return err
	}
	_, err := s.c.do(ctx, "POST", s.path("flows", flowAlias, "copy"), nil, map[string]string{"newName": newAlias}, nil)
	return err
}

// FlowByAlias returns the top-level flow named alias; the error matches
// kc.ErrNotFound when there is none. (Keycloak lists top-level flows
// only, and not "saml ecp".)
//
// Keycloak: GET /admin/realms/{realm}/authentication/flows
func (s *AuthenticationService) FlowByAlias(ctx context.Context, alias string) (*AuthenticationFlow, error) {
	if err := need("realm", s.realm, "alias", alias); err != nil {
		return nil, err
	}
	flows, err := s.Flows(ctx)
	if err != nil {
		return nil, err
	}
	for i := range flows {
		if flows[i].Alias == alias {
			return &flows[i], nil
		}
	}
	return nil, &notFoundError{what: "flow " + alias}
}

// Executions returns the executions of flow flowAlias and of its
// sub-flows, depth first.
//
// Keycloak: GET /admin/realms/{realm}/authentication/flows/{flowAlias}/executions
func (s *AuthenticationService) Executions(ctx context.Context, flowAlias string) ([]AuthenticationExecutionInfo, error) {
	if err := need("realm", s.realm, "flowAlias", flowAlias); err != nil {
		return nil, err
	}
	var out []AuthenticationExecutionInfo
	_, err := s.c.do(ctx, "GET", s.path("flows", flowAlias, "executions"), nil, nil, &out)
	return out, err
}

// UpdateExecution changes the requirement of execution e.ID of flow
// flowAlias to e.Requirement; e is typically an item of Executions. When
// the requirement is unchanged and e is a sub-flow (AuthenticationFlow),
// the sub-flow is renamed to e.DisplayName and its description set to
// e.Description.
//
// Keycloak: PUT /admin/realms/{realm}/authentication/flows/{flowAlias}/executions
func (s *AuthenticationService) UpdateExecution(ctx context.Context, flowAlias string, e *AuthenticationExecutionInfo) error {
	if err := need("realm", s.realm, "flowAlias", flowAlias); err != nil {
		return err
	}
	if err := needBody("execution", e); err != nil {
		return err
	}
	if err := need("execution ID", e.ID); err != nil {
		return err
	}
	_, err := s.c.do(ctx, "PUT", s.path("flows", flowAlias, "executions"), nil, e, nil)
	return err
}

// AddExecution adds an execution of provider (an authenticator, or a
// form action in a form flow) at the end of flow flowAlias, DISABLED, and
// returns its ID.
//
// Keycloak: POST /admin/realms/{realm}/authentication/flows/{flowAlias}/executions/execution
func (s *AuthenticationService) AddExecution(ctx context.Context, flowAlias, provider string) (string, error) {
	if err := need("realm", s.realm, "flowAlias", flowAlias, "provider", provider); err != nil {
		return "", err
	}
	// Keycloak: AuthenticationManagementResource.addExecutionToFlow answers
	// with the execution under /authentication/executions.
	return s.c.createIn(ctx, s.path("flows", flowAlias, "executions", "execution"), s.path("executions"), map[string]string{"provider": provider})
}

// SubFlow is the body of AuthenticationService.AddSubFlow.
type SubFlow struct {
	Alias       string `json:"alias"`
	Description string `json:"description,omitempty"`
	// Type is basic-flow (the default) or form-flow.
	Type string `json:"type,omitempty"`
	// Provider is the form provider of a form-flow, such as
	// registration-page-form.
	Provider string `json:"provider,omitempty"`
}

// AddSubFlow adds sub-flow f at the end of flow flowAlias, DISABLED, and
// returns the new flow's ID. An existing alias is a conflict.
//
// Keycloak: POST /admin/realms/{realm}/authentication/flows/{flowAlias}/executions/flow
func (s *AuthenticationService) AddSubFlow(ctx context.Context, flowAlias string, f *SubFlow) (string, error) {
	if err := need("realm", s.realm, "flowAlias", flowAlias); err != nil {
		return "", err
	}
	if err := needBody("sub-flow", f); err != nil {
		return "", err
	}
	if err := need("sub-flow alias", f.Alias); err != nil {
		return "", err
	}
	body := *f
	if body.Type == "" {
		body.Type = "basic-flow"
	}
	// Keycloak: AuthenticationManagementResource.addExecutionFlow answers
	// with the new flow under /authentication/flows.
	return s.c.createIn(ctx, s.path("flows", flowAlias, "executions", "flow"), s.path("flows"), &body)
}

// Execution returns execution executionID.
//
// Keycloak: GET /admin/realms/{realm}/authentication/executions/{executionId}
func (s *AuthenticationService) Execution(ctx context.Context, executionID string) (*AuthenticationExecution, error) {
	if err := need("realm", s.realm, "executionID", executionID); err != nil {
		return nil, err
	}
	return fetch[AuthenticationExecution](ctx, s.c, "GET", s.path("executions", executionID), nil, nil)
}

// DeleteExecution deletes execution executionID (and its sub-flow).
//
// Keycloak: DELETE /admin/realms/{realm}/authentication/executions/{executionId}
func (s *AuthenticationService) DeleteExecution(ctx context.Context, executionID string) error {
	if err := need("realm", s.realm, "executionID", executionID); err != nil {
		return err
	}
	_, err := s.c.do(ctx, "DELETE", s.path("executions", executionID), nil, nil, nil)
	return err
}

// RaiseExecutionPriority moves execution executionID one place up in its
// flow.
//
// Keycloak: POST /admin/realms/{realm}/authentication/executions/{executionId}/raise-priority
func (s *AuthenticationService) RaiseExecutionPriority(ctx context.Context, executionID string) error {
	return s.post(ctx, "executionID", executionID, "executions", executionID, "raise-priority")
}

// LowerExecutionPriority moves execution executionID one place down in
// its flow.
//
// Keycloak: POST /admin/realms/{realm}/authentication/executions/{executionId}/lower-priority
func (s *AuthenticationService) LowerExecutionPriority(ctx context.Context, executionID string) error {
	return s.post(ctx, "executionID", executionID, "executions", executionID, "lower-priority")
}

// post sends a bodiless POST after checking the named value. These
// moves are not idempotent, so they are not retried.
func (s *AuthenticationService) post(ctx context.Context, name, value string, segs ...string) error {
	if err := need("realm", s.realm, name, value); err != nil {
		return err
	}
	_, err := s.c.do(ctx, http.MethodPost, s.path(segs...), nil, nil, nil)
	return err
}

// RequiredActions returns the realm's registered required actions, by
// priority.
//
// Keycloak: GET /admin/realms/{realm}/authentication/required-actions
func (s *AuthenticationService) RequiredActions(ctx context.Context) ([]RequiredAction, error) {
	if err := need("realm", s.realm); err != nil {
		return nil, err
	}
	var out []RequiredAction
	_, err := s.c.do(ctx, "GET", s.path("required-actions"), nil, nil, &out)
	return out, err
}

// RequiredAction returns required action alias (such as
// "CONFIGURE_TOTP").
//
// Keycloak: GET /admin/realms/{realm}/authentication/required-actions/{alias}
func (s *AuthenticationService) RequiredAction(ctx context.Context, alias string) (*RequiredAction, error) {
	if err := need("realm", s.realm, "alias", alias); err != nil {
		return nil, err
	}
	return fetch[RequiredAction](ctx, s.c, "GET", s.path("required-actions", alias), nil, nil)
}

// UpdateRequiredAction replaces required action alias with a: name,
// enabled, default action, priority and config. Fields left out are reset
// (Enabled nil disables it), so send what RequiredAction returned, changed.
//
// Keycloak: PUT /admin/realms/{realm}/authentication/required-actions/{alias}
func (s *AuthenticationService) UpdateRequiredAction(ctx context.Context, alias string, a *RequiredAction) error {
	if err := need("realm", s.realm, "alias", alias); err != nil {
		return err
	}
	if err := needBody("required action", a); err != nil {
		return err
	}
	_, err := s.c.do(ctx, "PUT", s.path("required-actions", alias), nil, a, nil)
	return err
}

// DeleteRequiredAction unregisters required action alias; it then shows
// in UnregisteredRequiredActions.
//
// Keycloak: DELETE /admin/realms/{realm}/authentication/required-actions/{alias}
func (s *AuthenticationService) DeleteRequiredAction(ctx context.Context, alias string) error {
	if err := need("realm", s.realm, "alias", alias); err != nil {
		return err
	}
	_, err := s.c.do(ctx, "DELETE", s.path("required-actions", alias), nil, nil, nil)
	return err
}

// RaiseRequiredActionPriority moves required action alias one place up.
//
// Keycloak: POST /admin/realms/{realm}/authentication/required-actions/{alias}/raise-priority
func (s *AuthenticationService) RaiseRequiredActionPriority(ctx context.Context, alias string) error {
	return s.post(ctx, "alias", alias, "required-actions", alias, "raise-priority")
}

// LowerRequiredActionPriority moves required action alias one place down.
//
// Keycloak: POST /admin/realms/{realm}/authentication/required-actions/{alias}/lower-priority
func (s *AuthenticationService) LowerRequiredActionPriority(ctx context.Context, alias string) error {
	return s.post(ctx, "alias", alias, "required-actions", alias, "lower-priority")
}

// UnregisteredRequiredActions returns the required action providers the
// realm has not registered.
//
// Keycloak: GET /admin/realms/{realm}/authentication/unregistered-required-actions
func (s *AuthenticationService) UnregisteredRequiredActions(ctx context.Context) ([]UnregisteredRequiredAction, error) {
	if err := need("realm", s.realm); err != nil {
		return nil, err
	}
	var out []UnregisteredRequiredAction
	_, err := s.c.do(ctx, "GET", s.path("unregistered-required-actions"), nil, nil, &out)
	return out, err
}

// RegisterRequiredAction registers required action provider a.ProviderID
// under the name a.Name (typically an item of
// UnregisteredRequiredActions), enabled, after the others.
//
// Keycloak: POST /admin/realms/{realm}/authentication/register-required-action
func (s *AuthenticationService) RegisterRequiredAction(ctx context.Context, a *UnregisteredRequiredAction) error {
	if err := need("realm", s.realm); err != nil {
		return err
	}
	if err := needBody("required action", a); err != nil {
		return err
	}
	if err := need("providerID", a.ProviderID); err != nil {
		return err
	}
	_, err := s.c.do(ctx, "POST", s.path("register-required-action"), nil, a, nil)
	return err
}
