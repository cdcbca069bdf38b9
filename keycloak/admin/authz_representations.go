package admin

// The representations of Authorization Services, as the Admin API's
// resource server endpoints send and accept them. Like the other
// top-level representations they keep undeclared fields in Extra.

// ResourceServer is a ResourceServerRepresentation: the authorization
// settings of a client, and with Resources, Policies and Scopes the
// document that ResourceServerService.Settings exports and Import reads.
type ResourceServer struct {
	ID                            string `json:"id,omitempty"`
	ClientID                      string `json:"clientId,omitempty"`
	Name                          string `json:"name,omitempty"`
	AllowRemoteResourceManagement *bool  `json:"allowRemoteResourceManagement,omitempty"`
	// PolicyEnforcementMode is ENFORCING, PERMISSIVE or DISABLED.
	PolicyEnforcementMode string `json:"policyEnforcementMode,omitempty"`
	// DecisionStrategy is UNANIMOUS, AFFIRMATIVE or CONSENSUS.
	DecisionStrategy string          `json:"decisionStrategy,omitempty"`
	Resources        []AuthzResource `json:"resources,omitempty"`
	Policies         []Policy        `json:"policies,omitempty"`
	Scopes           []AuthzScope    `json:"scopes,omitempty"`

	Extra Extra `json:"-"`
}

type plainResourceServer ResourceServer

// MarshalJSON encodes the resource server with its Extra fields.
func (r ResourceServer) MarshalJSON() ([]byte, error) {
	p := plainResourceServer(r)
	return marshalWithExtra(&p, r.Extra)
}

// UnmarshalJSON decodes the resource server and keeps unknown fields in
// Extra.
func (r *ResourceServer) UnmarshalJSON(b []byte) error {
	return decodeInto(b, (*plainResourceServer)(r), &r.Extra)
}

// AuthzResource is a ResourceRepresentation of Authorization Services: a
// protected resource of a resource server.
type AuthzResource struct {
	ID          string   `json:"_id,omitempty"`
	Name        string   `json:"name,omitempty"`
	DisplayName string   `json:"displayName,omitempty"`
	Type        string   `json:"type,omitempty"`
	URIs        []string `json:"uris,omitempty"`
	IconURI     string   `json:"icon_uri,omitempty"`
	// Owner is the owning user or the resource server's client; on
	// create, an ID or a username in Owner.ID or Owner.Name.
	Owner              *ResourceOwner      `json:"owner,omitempty"`
	OwnerManagedAccess bool                `json:"ownerManagedAccess,omitempty"`
	Attributes         map[string][]string `json:"attributes,omitempty"`
	// Scopes are the resource's scopes; on create and update, scopes
	// named here that do not exist yet are created.
	Scopes []AuthzScope `json:"scopes,omitempty"`

	Extra Extra `json:"-"`
}

type plainAuthzResource AuthzResource

// MarshalJSON encodes the resource with its Extra fields.
func (r AuthzResource) MarshalJSON() ([]byte, error) {
	p := plainAuthzResource(r)
	return marshalWithExtra(&p, r.Extra)
}

// UnmarshalJSON decodes the resource and keeps unknown fields in Extra.
func (r *AuthzResource) UnmarshalJSON(b []byte) error {
	return decodeInto(b, (*plainAuthzResource)(r), &r.Extra)
}

// ResourceOwner is a ResourceOwnerRepresentation.
type ResourceOwner struct {
	ID   string `json:"id,omitempty"`
	Name string `json:"name,omitempty"`
}

// AuthzScope is a ScopeRepresentation of Authorization Services (not a
// client scope): an action on resources, such as "view" or "edit".
type AuthzScope struct {
	ID          string `json:"id,omitempty"`
	Name        string `json:"name,omitempty"`
	DisplayName string `json:"displayName,omitempty"`
	IconURI     string `json:"iconUri,omitempty"`

	Extra Extra `json:"-"`
}

type plainAuthzScope AuthzScope

// MarshalJSON encodes the scope with its Extra fields.
func (s AuthzScope) MarshalJSON() ([]byte, error) {
	p := plainAuthzScope(s)
	return marshalWithExtra(&p, s.Extra)
}

// UnmarshalJSON decodes the scope and keeps unknown fields in Extra.
func (s *AuthzScope) UnmarshalJSON(b []byte) error {
	return decodeInto(b, (*plainAuthzScope)(s), &s.Extra)
}

// Policy is a PolicyRepresentation (Type and a Config of strings, as
// lists and exports give it) merged with the typed representations the
// endpoints of one policy type accept (RolePolicyRepresentation,
// ResourcePermissionRepresentation, ...): set the fields of your type and
// leave the others empty. Fields of types not declared here (time, regex,
// client-scope, ...) go in Extra.
type Policy struct {
	ID          string `json:"id,omitempty"`
	Name        string `json:"name,omitempty"`
	Description string `json:"description,omitempty"`
	// Type is the policy provider: role, user, group, client, js,
	// aggregate, time, regex, client-scope, or for permissions resource
	// and scope.
	Type string `json:"type,omitempty"`
	// Logic is POSITIVE or NEGATIVE.
	Logic string `json:"logic,omitempty"`
	// DecisionStrategy is UNANIMOUS, AFFIRMATIVE or CONSENSUS.
	DecisionStrategy string            `json:"decisionStrategy,omitempty"`
	Owner            string            `json:"owner,omitempty"`
	Config           map[string]string `json:"config,omitempty"`

	// Policies are the IDs or names of the policies a permission or an
	// aggregate policy applies.
	Policies []string `json:"policies,omitempty"`
	// Resources and Scopes are IDs or names (permissions).
	Resources []string `json:"resources,omitempty"`
	Scopes    []string `json:"scopes,omitempty"`
	// ResourceType makes a resource permission apply to every resource
	// of that type.
	ResourceType string        `json:"resourceType,omitempty"`
	Roles        []PolicyRole  `json:"roles,omitempty"`   // role policies
	Users        []string      `json:"users,omitempty"`   // user policies: IDs or usernames
	Groups       []PolicyGroup `json:"groups,omitempty"`  // group policies
	Clients      []string      `json:"clients,omitempty"` // client policies: UUIDs or client IDs
	FetchRoles   *bool         `json:"fetchRoles,omitempty"`
	Code         string        `json:"code,omitempty"` // js policies

	Extra Extra `json:"-"`
}

type plainPolicy Policy

// MarshalJSON encodes the policy with its Extra fields.
func (p Policy) MarshalJSON() ([]byte, error) {
	q := plainPolicy(p)
	return marshalWithExtra(&q, p.Extra)
}

// UnmarshalJSON decodes the policy and keeps unknown fields in Extra.
func (p *Policy) UnmarshalJSON(b []byte) error {
	return decodeInto(b, (*plainPolicy)(p), &p.Extra)
}

// PolicyRole is a role of a role policy: its ID (or name, "client/role"
// for a client role) and whether the user must have it.
type PolicyRole struct {
	ID       string `json:"id"`
	Required bool   `json:"required,omitempty"`
}

// PolicyGroup is a group of a group policy, by ID or path.
type PolicyGroup struct {
	ID             string `json:"id,omitempty"`
	Path           string `json:"path,omitempty"`
	ExtendChildren bool   `json:"extendChildren,omitempty"`
}

// PolicyProvider is a PolicyProviderRepresentation: a policy type the
// resource server can create, such as {Type: "role", Name: "Role",
// Group: "Identity Based"}.
type PolicyProvider struct {
	Type  string `json:"type"`
	Name  string `json:"name,omitempty"`
	Group string `json:"group,omitempty"`
}
