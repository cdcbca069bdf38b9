package admin

// AuthenticationFlow is an AuthenticationFlowRepresentation.
type AuthenticationFlow struct {
	ID          string `json:"id,omitempty"`
	Alias       string `json:"alias,omitempty"`
	Description string `json:"description,omitempty"`
	// ProviderID is basic-flow (the default), form-flow or client-flow.
	ProviderID               string                          `json:"providerId,omitempty"`
	TopLevel                 *bool                           `json:"topLevel,omitempty"`
	BuiltIn                  bool                            `json:"builtIn,omitempty"`
	AuthenticationExecutions []AuthenticationExecutionExport `json:"authenticationExecutions,omitempty"`

	Extra Extra `json:"-"`
}

type plainAuthenticationFlow AuthenticationFlow

// MarshalJSON encodes the flow with its Extra fields.
func (f AuthenticationFlow) MarshalJSON() ([]byte, error) {
	p := plainAuthenticationFlow(f)
	return marshalWithExtra(&p, f.Extra)
}

// UnmarshalJSON decodes the flow and keeps unknown fields in Extra.
func (f *AuthenticationFlow) UnmarshalJSON(b []byte) error {
	return decodeInto(b, (*plainAuthenticationFlow)(f), &f.Extra)
}

// AuthenticationExecutionExport is an AuthenticationExecutionExportRepresentation:
// one step of a flow as the flow itself lists it.
type AuthenticationExecutionExport struct {
	Authenticator       string `json:"authenticator,omitempty"`
	AuthenticatorConfig string `json:"authenticatorConfig,omitempty"`
	AuthenticatorFlow   bool   `json:"authenticatorFlow,omitempty"`
	FlowAlias           string `json:"flowAlias,omitempty"`
	Requirement         string `json:"requirement,omitempty"`
	Priority            int    `json:"priority,omitempty"`
	UserSetupAllowed    bool   `json:"userSetupAllowed,omitempty"`
}

// AuthenticationExecutionInfo is an AuthenticationExecutionInfoRepresentation:
// one step of a flow's tree as GET .../flows/{flowAlias}/executions lists
// it, depth first, with its Level of nesting and Index among its siblings.
type AuthenticationExecutionInfo struct {
	ID string `json:"id,omitempty"`
	// Requirement is REQUIRED, ALTERNATIVE, DISABLED or CONDITIONAL, one
	// of RequirementChoices.
	Requirement          string   `json:"requirement,omitempty"`
	DisplayName          string   `json:"displayName,omitempty"`
	Alias                string   `json:"alias,omitempty"`
	Description          string   `json:"description,omitempty"`
	RequirementChoices   []string `json:"requirementChoices,omitempty"`
	Configurable         bool     `json:"configurable,omitempty"`
	AuthenticationFlow   bool     `json:"authenticationFlow,omitempty"`
	ProviderID           string   `json:"providerId,omitempty"`
	AuthenticationConfig string   `json:"authenticationConfig,omitempty"`
	FlowID               string   `json:"flowId,omitempty"`
	Level                int      `json:"level"`
	Index                int      `json:"index"`
	Priority             int      `json:"priority,omitempty"`

	Extra Extra `json:"-"`
}

type plainAuthenticationExecutionInfo AuthenticationExecutionInfo

// MarshalJSON encodes the execution with its Extra fields.
func (e AuthenticationExecutionInfo) MarshalJSON() ([]byte, error) {
	p := plainAuthenticationExecutionInfo(e)
	return marshalWithExtra(&p, e.Extra)
}

// UnmarshalJSON decodes the execution and keeps unknown fields in Extra.
func (e *AuthenticationExecutionInfo) UnmarshalJSON(b []byte) error {
	return decodeInto(b, (*plainAuthenticationExecutionInfo)(e), &e.Extra)
}

// AuthenticationExecution is an AuthenticationExecutionRepresentation: one
// execution by ID.
type AuthenticationExecution struct {
	ID                  string `json:"id,omitempty"`
	Authenticator       string `json:"authenticator,omitempty"`
	AuthenticatorConfig string `json:"authenticatorConfig,omitempty"`
	AuthenticatorFlow   bool   `json:"authenticatorFlow,omitempty"`
	Requirement         string `json:"requirement,omitempty"`
	Priority            int    `json:"priority,omitempty"`
	ParentFlow          string `json:"parentFlow,omitempty"` // the ID of the flow holding it
	FlowID              string `json:"flowId,omitempty"`     // the sub-flow it runs

	Extra Extra `json:"-"`
}

type plainAuthenticationExecution AuthenticationExecution

// MarshalJSON encodes the execution with its Extra fields.
func (e AuthenticationExecution) MarshalJSON() ([]byte, error) {
	p := plainAuthenticationExecution(e)
	return marshalWithExtra(&p, e.Extra)
}

// UnmarshalJSON decodes the execution and keeps unknown fields in Extra.
func (e *AuthenticationExecution) UnmarshalJSON(b []byte) error {
	return decodeInto(b, (*plainAuthenticationExecution)(e), &e.Extra)
}

// RequiredAction is a RequiredActionProviderRepresentation.
type RequiredAction struct {
	Alias         string            `json:"alias,omitempty"`
	Name          string            `json:"name,omitempty"`
	ProviderID    string            `json:"providerId,omitempty"`
	Enabled       *bool             `json:"enabled,omitempty"`
	DefaultAction *bool             `json:"defaultAction,omitempty"`
	Priority      int               `json:"priority,omitempty"`
	Config        map[string]string `json:"config,omitempty"`

	Extra Extra `json:"-"`
}

type plainRequiredAction RequiredAction

// MarshalJSON encodes the required action with its Extra fields.
func (a RequiredAction) MarshalJSON() ([]byte, error) {
	p := plainRequiredAction(a)
	return marshalWithExtra(&p, a.Extra)
}

// UnmarshalJSON decodes the required action and keeps unknown fields in
// Extra.
func (a *RequiredAction) UnmarshalJSON(b []byte) error {
	return decodeInto(b, (*plainRequiredAction)(a), &a.Extra)
}

// UnregisteredRequiredAction is a required action provider the realm has
// not registered: what RegisterRequiredAction takes.
type UnregisteredRequiredAction struct {
	ProviderID string `json:"providerId"`
	Name       string `json:"name,omitempty"`
}

// AuthenticatorProvider describes an authenticator, client authenticator,
// form or form action that executions can use.
type AuthenticatorProvider struct {
	ID          string `json:"id"`
	DisplayName string `json:"displayName,omitempty"`
	Description string `json:"description,omitempty"`
}

// AuthenticatorConfig is an AuthenticatorConfigRepresentation: the
// settings of one execution's authenticator, such as the role of a
// conditional-user-role condition.
type AuthenticatorConfig struct {
	ID     string            `json:"id,omitempty"`
	Alias  string            `json:"alias,omitempty"`
	Config map[string]string `json:"config,omitempty"`
}
