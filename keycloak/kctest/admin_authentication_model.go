package kctest

import (
	"maps"
	"slices"
)

// authnState is a realm's authentication flows and required actions, as
// Keycloak 26.0 creates them in a fresh realm.
type authnState struct {
	flows   []*authnFlow // in creation order
	actions []*requiredAction
	configs map[string]*authnConfig // authenticator configs by ID
}

// authnConfig is an AuthenticatorConfigModel.
type authnConfig struct {
	id, alias string
	config    map[string]string
}

// authnFlow is an AuthenticationFlowModel.
type authnFlow struct {
	id, alias, description string
	providerID             string // basic-flow, form-flow or client-flow
	topLevel, builtIn      bool
	execs                  []*authnExec
}

// authnExec is an AuthenticationExecutionModel: an authenticator, or a
// sub-flow when flow is set (then authenticator is the form provider of a
// form-flow, or "").
type authnExec struct {
	id            string
	authenticator string
	flow          *authnFlow
	requirement   string
	priority      int
	config        string
}

// requiredAction is a RequiredActionProviderModel.
type requiredAction struct {
	alias, name, providerID string
	enabled, defaultAction  bool
	priority                int
	config                  map[string]string
}

// authnProvider describes an authenticator, form or form action factory.
type authnProvider struct {
	id, displayName, description string
	configurable, conditional    bool
}

// The provider catalogues of GET .../authentication/*-providers.
var (
	authenticatorProviders = []authnProvider{
		{id: "allow-access-authenticator", displayName: "Allow access", description: "Authenticator will always successfully authenticate. Useful for example in the conditional flows to be used after satisfying the previous conditions"},
		{id: "auth-conditional-otp-form", displayName: "Conditional OTP Form", description: "Validates a OTP on a separate OTP form. Only shown if required based on the configured conditions.", configurable: true},
		{id: "auth-cookie", displayName: "Cookie", description: "Validates the SSO cookie set by the auth server."},
		{id: "auth-otp-form", displayName: "OTP Form", description: "Validates a OTP on a separate OTP form."},
		{id: "auth-password-form", displayName: "Password Form", description: "Validates a password from login form."},
		{id: "auth-spnego", displayName: "Kerberos", description: "Initiates the SPNEGO protocol.  Most often used with Kerberos."},
		{id: "auth-username-form", displayName: "Username Form", description: "Selects a user from his username."},
		{id: "auth-username-password-form", displayName: "Username Password Form", description: "Validates a username and password from login form."},
		{id: "conditional-level-of-authentication", displayName: "Condition - Level of Authentication", description: "Flow is executed only if the configured LOA or a higher one has been requested but not yet satisfied. After the flow is successfully finished, the LOA in the session will be updated to value prescribed by this condition.", configurable: true, conditional: true},
		{id: "conditional-user-configured", displayName: "Condition - user configured", description: "Executes the current flow only if authenticators are configured", conditional: true},
		{id: "conditional-user-role", displayName: "Condition - user role", description: "Flow is executed only if user has the given role.", configurable: true, conditional: true},
		{id: "deny-access-authenticator", displayName: "Deny access", description: "Access will be always denied. Useful for example in the conditional flows to be used after satisfying the previous conditions", configurable: true},
		{id: "direct-grant-validate-otp", displayName: "OTP", description: "Validates the one time password supplied as a 'totp' form parameter in direct grant request"},
		{id: "direct-grant-validate-password", displayName: "Password", description: "Validates the password supplied as a 'password' form parameter in direct grant request"},
		{id: "direct-grant-validate-username", displayName: "Username Validation", description: "Validates the username supplied as a 'username' form parameter in direct grant request"},
		{id: "docker-http-basic-authenticator", displayName: "Docker Authenticator", description: "Uses HTTP Basic authentication to validate docker users, returning a docker error token on auth failure"},
		{id: "http-basic-authenticator", displayName: "HTTP Basic Authentication", description: "Validates username and password from Authorization HTTP header"},
		{id: "identity-provider-redirector", displayName: "Identity Provider Redirector", description: "Redirects to default Identity Provider or Identity Provider specified with kc_idp_hint query parameter", configurable: true},
		{id: "idp-add-organization-member", displayName: "Organization Member Onboard", description: "Adds a federated user as a member of an organization"},
		{id: "idp-auto-link", displayName: "Automatically set existing user", description: "Automatically set existing user to authentication context without any verification"},
		{id: "idp-confirm-link", displayName: "Confirm link existing account", description: "Show the form where user confirms if he wants to link identity provider with existing account or rather edit user profile data retrieved from identity provider to avoid conflict"},
		{id: "idp-create-user-if-unique", displayName: "Create User If Unique", description: "Detect if there is existing Keycloak account with same email like identity provider. If no, create new user", configurable: true},
		{id: "idp-detect-existing-broker-user", displayName: "Detect existing broker user", description: "Detect if there is an existing Keycloak account with same email like identity provider. If no, throw an error."},
		{id: "idp-email-verification", displayName: "Verify existing account by Email", description: "Email verification of existing Keycloak user, that wants to link his user account with identity provider"},
		{id: "idp-review-profile", displayName: "Review Profile", description: "User reviews and updates profile data retrieved from Identity Provider in the displayed form", configurable: true},
		{id: "idp-username-password-form", displayName: "Username Password Form for identity provider reauthentication", description: "Validates a password from login form. Username may be already known from identity provider authentication"},
		{id: "organization", displayName: "Organization Identity-First Login", description: "If organizations are enabled, automatically redirects users to the corresponding identity provider."},
		{id: "reset-credential-email", displayName: "Send Reset Email", description: "Send email to user and wait for response."},
		{id: "reset-credentials-choose-user", displayName: "Choose User", description: "Choose a user to reset credentials for"},
		{id: "reset-otp", displayName: "Reset OTP", description: "Removes existing OTP configurations (if chosen) and sets the 'Configure OTP' required action.", configurable: true},
		{id: "reset-password", displayName: "Reset Password", description: "Sets the Update Password required action if execution is REQUIRED.  Will also set it if execution is OPTIONAL and the password is currently configured for it."},
		{id: "webauthn-authenticator", displayName: "WebAuthn Authenticator", description: "Authenticator for WebAuthn. Usually used for WebAuthn two-factor authentication"},
	}
	clientAuthenticatorProviders = []authnProvider{
		{id: "client-jwt", displayName: "Signed Jwt", description: "Validates client based on signed JWT issued by client and signed with the Client private key"},
		{id: "client-secret", displayName: "Client Id and Secret", description: "Validates client based on 'client_id' and 'client_secret' sent either in request parameters or in 'Authorization: Basic' header"},
		{id: "client-secret-jwt", displayName: "Signed Jwt with Client Secret", description: "Validates client based on signed JWT issued by client and signed with the Client Secret"},
		{id: "client-x509", displayName: "X509 Certificate", description: "Validates client based on a X509 Certificate"},
	}
	formProviders = []authnProvider{
		{id: "registration-page-form", displayName: "Registration Page", description: "This is the controller for the registration page"},
	}
	formActionProviders = []authnProvider{
		{id: "registration-password-action", displayName: "Password Validation", description: "Validates that password matches password confirmation field.  It also will store password in user's credential store."},
		{id: "registration-recaptcha-action", displayName: "reCAPTCHA", description: "Adds Google reCAPTCHA to the form.", configurable: true},
		{id: "registration-terms-and-conditions", displayName: "Terms and conditions", description: "Asks the user to accept terms and conditions before submitting its registration form."},
		{id: "registration-user-creation", displayName: "Registration User Profile Creation", description: "This action must always be first! Validates the username and user profile of the user in validation phase.  In success phase, this will create the user in the database including his user profile."},
	}
	// requiredActionProviders are the required action factories: alias,
	// name and default priority of Keycloak 26.0.5, and whether a fresh
	// realm enables them.
	requiredActionProviders = []requiredAction{
		{alias: "CONFIGURE_TOTP", name: "Configure OTP", enabled: true, priority: 10},
		{alias: "TERMS_AND_CONDITIONS", name: "Terms and Conditions", priority: 20},
		{alias: "UPDATE_PASSWORD", name: "Update Password", enabled: true, priority: 30},
		{alias: "UPDATE_PROFILE", name: "Update Profile", enabled: true, priority: 40},
		{alias: "VERIFY_EMAIL", name: "Verify Email", enabled: true, priority: 50},
		{alias: "delete_account", name: "Delete Account", priority: 60},
		{alias: "CONFIGURE_RECOVERY_AUTHN_CODES", name: "Recovery Authentication Codes", enabled: true, priority: 70},
		{alias: "UPDATE_EMAIL", name: "Update Email", enabled: true, priority: 70},
		{alias: "webauthn-register", name: "Webauthn Register", enabled: true, priority: 70},
		{alias: "webauthn-register-passwordless", name: "Webauthn Register Passwordless", enabled: true, priority: 80},
		{alias: "VERIFY_PROFILE", name: "Verify Profile", enabled: true, priority: 90},
		{alias: "delete_credential", name: "Delete Credential", enabled: true, priority: 100},
		{alias: "update_user_locale", name: "Update User Locale", enabled: true, priority: 1000},
	}
)

func findProvider(list []authnProvider, id string) *authnProvider {
	for i := range list {
		if list[i].id == id {
			return &list[i]
		}
	}
	return nil
}

// authnOf returns rm's flows and required actions, creating Keycloak's
// defaults on first use.
func (rm *realm) authnOf() *authnState {
	if rm.authn == nil {
		rm.authn = newAuthnState()
	}
	return rm.authn
}

// flowSpec describes a built-in flow: its executions are authenticators,
// or sub-flows when sub is set.
type flowSpec struct {
	alias, description, provider string
	execs                        []execSpec
}

type execSpec struct {
	authenticator, requirement string
	priority                   int
	sub                        *flowSpec
	// configAlias and config give the execution an authenticator config.
	configAlias string
	config      map[string]string
}

func newAuthnState() *authnState {
	st := &authnState{configs: map[string]*authnConfig{}}
	cond := func(alias, description string, last ...execSpec) *flowSpec {
		return &flowSpec{alias: alias, description: description, provider: "basic-flow",
			execs: append([]execSpec{{authenticator: "conditional-user-configured", requirement: "REQUIRED", priority: 10}}, last...)}
	}
	otp := func(alias, authenticator string) *flowSpec {
		description := "Flow to determine if the OTP is required for the authentication"
		if authenticator == "reset-otp" {
			description = "Flow to determine if the OTP should be reset or not. Set to REQUIRED to force."
		}
		return cond(alias, description, execSpec{authenticator: authenticator, requirement: "REQUIRED", priority: 20})
	}
	top := []*flowSpec{
		{alias: "browser", description: "browser based authentication", provider: "basic-flow", execs: []execSpec{
			{authenticator: "auth-cookie", requirement: "ALTERNATIVE", priority: 10},
			{authenticator: "auth-spnego", requirement: "DISABLED", priority: 20},
			{authenticator: "identity-provider-redirector", requirement: "ALTERNATIVE", priority: 25},
			{requirement: "ALTERNATIVE", priority: 26, sub: &flowSpec{alias: "Organization", provider: "basic-flow", execs: []execSpec{
				{requirement: "CONDITIONAL", priority: 10, sub: cond("Browser - Conditional Organization", "Flow to determine if the organization identity-first login is to be used",
					execSpec{authenticator: "organization", requirement: "ALTERNATIVE", priority: 20})},
			}}},
			{requirement: "ALTERNATIVE", priority: 30, sub: &flowSpec{alias: "forms", description: "Username, password, otp and other auth forms.", provider: "basic-flow", execs: []execSpec{
				{authenticator: "auth-username-password-form", requirement: "REQUIRED", priority: 10},
				{requirement: "CONDITIONAL", priority: 20, sub: otp("Browser - Conditional OTP", "auth-otp-form")},
			}}},
		}},
		{alias: "direct grant", description: "OpenID Connect Resource Owner Grant", provider: "basic-flow", execs: []execSpec{
			{authenticator: "direct-grant-validate-username", requirement: "REQUIRED", priority: 10},
			{authenticator: "direct-grant-validate-password", requirement: "REQUIRED", priority: 20},
			{requirement: "CONDITIONAL", priority: 30, sub: otp("Direct Grant - Conditional OTP", "direct-grant-validate-otp")},
		}},
		{alias: "registration", description: "registration flow", provider: "basic-flow", execs: []execSpec{
			{authenticator: "registration-page-form", requirement: "REQUIRED", priority: 10, sub: &flowSpec{alias: "registration form", description: "registration form", provider: "form-flow", execs: []execSpec{
				{authenticator: "registration-user-creation", requirement: "REQUIRED", priority: 20},
				{authenticator: "registration-password-action", requirement: "REQUIRED", priority: 50},
				{authenticator: "registration-recaptcha-action", requirement: "DISABLED", priority: 60},
				{authenticator: "registration-terms-and-conditions", requirement: "DISABLED", priority: 70},
			}}},
		}},
		{alias: "reset credentials", description: "Reset credentials for a user if they forgot their password or something", provider: "basic-flow", execs: []execSpec{
			{authenticator: "reset-credentials-choose-user", requirement: "REQUIRED", priority: 10},
			{authenticator: "reset-credential-email", requirement: "REQUIRED", priority: 20},
			{authenticator: "reset-password", requirement: "REQUIRED", priority: 30},
			{requirement: "CONDITIONAL", priority: 40, sub: otp("Reset - Conditional OTP", "reset-otp")},
		}},
		{alias: "clients", description: "Base authentication for clients", provider: "client-flow", execs: []execSpec{
			{authenticator: "client-secret", requirement: "ALTERNATIVE", priority: 10},
			{authenticator: "client-jwt", requirement: "ALTERNATIVE", priority: 20},
			{authenticator: "client-secret-jwt", requirement: "ALTERNATIVE", priority: 30},
			{authenticator: "client-x509", requirement: "ALTERNATIVE", priority: 40},
		}},
		{alias: "first broker login", description: "Actions taken after first broker login with identity provider account, which is not yet linked to any Keycloak account", provider: "basic-flow", execs: []execSpec{
			{authenticator: "idp-review-profile", requirement: "REQUIRED", priority: 10,
				configAlias: "review profile config", config: map[string]string{"update.profile.on.first.login": "missing"}},
			{requirement: "REQUIRED", priority: 20, sub: &flowSpec{alias: "User creation or linking", description: "Flow for the existing/non-existing user alternatives", provider: "basic-flow", execs: []execSpec{
				{authenticator: "idp-create-user-if-unique", requirement: "ALTERNATIVE", priority: 10,
					configAlias: "create unique user config", config: map[string]string{"require.password.update.after.registration": "false"}},
				{requirement: "ALTERNATIVE", priority: 20, sub: &flowSpec{alias: "Handle Existing Account", description: "Handle what to do if there is existing account with same email/username like authenticated identity provider", provider: "basic-flow", execs: []execSpec{
					{authenticator: "idp-confirm-link", requirement: "REQUIRED", priority: 10},
					{requirement: "REQUIRED", priority: 20, sub: &flowSpec{alias: "Account verification options", description: "Method with which to verity the existing account", provider: "basic-flow", execs: []execSpec{
						{authenticator: "idp-email-verification", requirement: "ALTERNATIVE", priority: 10},
						{requirement: "ALTERNATIVE", priority: 20, sub: &flowSpec{alias: "Verify Existing Account by Re-authentication", description: "Reauthentication of existing account", provider: "basic-flow", execs: []execSpec{
							{authenticator: "idp-username-password-form", requirement: "REQUIRED", priority: 10},
							{requirement: "CONDITIONAL", priority: 20, sub: otp("First broker login - Conditional OTP", "auth-otp-form")},
						}}},
					}}},
				}}},
			}}},
			{requirement: "CONDITIONAL", priority: 50, sub: cond("First Broker Login - Conditional Organization", "Flow to determine if the authenticator that adds organization members is to be used",
				execSpec{authenticator: "idp-add-organization-member", requirement: "REQUIRED", priority: 20})},
		}},
		{alias: "docker auth", description: "Used by Docker clients to authenticate against the IDP", provider: "basic-flow", execs: []execSpec{
			{authenticator: "docker-http-basic-authenticator", requirement: "REQUIRED", priority: 10},
		}},
		{alias: "saml ecp", description: "SAML ECP Profile Authentication Flow", provider: "basic-flow", execs: []execSpec{
			{authenticator: "http-basic-authenticator", requirement: "REQUIRED", priority: 10},
		}},
	}
	var build func(sp *flowSpec, topLevel bool) *authnFlow
	build = func(sp *flowSpec, topLevel bool) *authnFlow {
		f := &authnFlow{id: newID(), alias: sp.alias, description: sp.description, providerID: sp.provider, topLevel: topLevel, builtIn: true}
		st.flows = append(st.flows, f)
		for _, e := range sp.execs {
			x := &authnExec{id: newID(), authenticator: e.authenticator, requirement: e.requirement, priority: e.priority}
			if e.sub != nil {
				x.flow = build(e.sub, false)
			}
			if e.configAlias != "" {
				cfg := &authnConfig{id: newID(), alias: e.configAlias, config: maps.Clone(e.config)}
				st.configs[cfg.id] = cfg
				x.config = cfg.id
			}
			f.execs = append(f.execs, x)
		}
		return f
	}
	for _, sp := range top {
		build(sp, true)
	}
	for _, ra := range requiredActionProviders {
		a := ra
		a.providerID = a.alias
		a.config = map[string]string{}
		st.actions = append(st.actions, &a)
	}
	return st
}

func (st *authnState) flowByID(id string) *authnFlow {
	for _, f := range st.flows {
		if f.id == id {
			return f
		}
	}
	return nil
}

func (st *authnState) flowByAlias(alias string) *authnFlow {
	for _, f := range st.flows {
		if f.alias == alias {
			return f
		}
	}
	return nil
}

// exec returns execution id and the flow that holds it.
func (st *authnState) exec(id string) (*authnExec, *authnFlow) {
	for _, f := range st.flows {
		for _, x := range f.execs {
			if x.id == id {
				return x, f
			}
		}
	}
	return nil, nil
}

// sortExecs orders f's executions by priority, stably.
func (f *authnFlow) sortExecs() {
	slices.SortStableFunc(f.execs, func(a, b *authnExec) int { return a.priority - b.priority })
}

// nextPriority is the priority of an execution added at the end of f:
// the last one's plus one, or 0.
func (f *authnFlow) nextPriority() int {
	f.sortExecs()
	if len(f.execs) == 0 {
		return 0
	}
	return f.execs[len(f.execs)-1].priority + 1
}

// removeFlow deletes f and, recursively, its sub-flows.
func (st *authnState) removeFlow(f *authnFlow) {
	for _, x := range f.execs {
		if x.flow != nil {
			st.removeFlow(x.flow)
		}
	}
	st.flows = slices.DeleteFunc(st.flows, func(g *authnFlow) bool { return g == f })
}

// copyFlow copies f as newAlias. As in Keycloak, every sub-flow of the
// copy, however deep, is named "<newAlias> <its alias>", and so are the
// copied authenticator configs.
func (st *authnState) copyFlow(f *authnFlow, newAlias, description string, topLevel bool) *authnFlow {
	c := &authnFlow{id: newID(), alias: newAlias, description: description, providerID: f.providerID, topLevel: topLevel}
	st.flows = append(st.flows, c)
	st.copyExecs(f, c, newAlias)
	return c
}

func (st *authnState) copyExecs(from, to *authnFlow, newName string) {
	for _, x := range from.execs {
		y := *x
		y.id = newID()
		if cfg := st.configs[x.config]; cfg != nil {
			cp := &authnConfig{id: newID(), alias: newName + " " + cfg.alias, config: maps.Clone(cfg.config)}
			st.configs[cp.id] = cp
			y.config = cp.id
		}
		if x.flow != nil {
			sub := &authnFlow{id: newID(), alias: newName + " " + x.flow.alias, description: x.flow.description, providerID: x.flow.providerID}
			st.flows = append(st.flows, sub)
			st.copyExecs(x.flow, sub, newName)
			y.flow = sub
		}
		to.execs = append(to.execs, &y)
	}
}

// sortedActions returns the required actions by priority, then name.
func (st *authnState) sortedActions() []*requiredAction {
	out := slices.Clone(st.actions)
	slices.SortStableFunc(out, func(a, b *requiredAction) int {
		if a.priority != b.priority {
			return a.priority - b.priority
		}
		switch {
		case a.name < b.name:
			return -1
		case a.name > b.name:
			return 1
		}
		return 0
	})
	return out
}

func (st *authnState) action(alias string) *requiredAction {
	for _, a := range st.actions {
		if a.alias == alias {
			return a
		}
	}
	return nil
}
