package admin

import (
	"context"
	"encoding/json"
)

// EvaluateOptions are the query parameters of the evaluate-scopes calls.
type EvaluateOptions struct {
	// Scope is the scope parameter of the token request to evaluate, such
	// as "openid address"; the client's default scopes always apply.
	Scope string
}

func (o *EvaluateOptions) query() query {
	q := query{}
	if o != nil {
		q.str("scope", o.Scope)
	}
	return q
}

// MapperEvaluation is one protocol mapper a token for the client runs
// (ProtocolMapperEvaluationRepresentation).
type MapperEvaluation struct {
	MapperID   string `json:"mapperId"`
	MapperName string `json:"mapperName"`
	// ContainerType is "client" for the client's own mappers (then
	// ContainerName is empty) or "client-scope".
	ContainerID    string `json:"containerId"`
	ContainerName  string `json:"containerName"`
	ContainerType  string `json:"containerType"`
	ProtocolMapper string `json:"protocolMapper"`
}

// EvaluateProtocolMappers returns the protocol mappers a token of client
// clientUUID runs for the scope in opts: the client's own and those of its
// applied client scopes.
//
// Keycloak: GET /admin/realms/{realm}/clients/{client-uuid}/evaluate-scopes/protocol-mappers
func (s *ClientsService) EvaluateProtocolMappers(ctx context.Context, clientUUID string, opts *EvaluateOptions) ([]MapperEvaluation, error) {
	if err := need("realm", s.realm, "clientUUID", clientUUID); err != nil {
		return nil, err
	}
	var out []MapperEvaluation
	_, err := s.c.do(ctx, "GET", s.path("clients", clientUUID, "evaluate-scopes", "protocol-mappers"), opts.query().values(), nil, &out)
	return out, err
}

// EvaluateGrantedRoles returns the roles of a role container that a token
// of client clientUUID may carry: containerID is the realm's name for
// realm roles, or a client's UUID for its roles.
//
// Keycloak: GET /admin/realms/{realm}/clients/{client-uuid}/evaluate-scopes/scope-mappings/{roleContainerId}/granted
func (s *ClientsService) EvaluateGrantedRoles(ctx context.Context, clientUUID, containerID string, opts *EvaluateOptions) ([]Role, error) {
	return s.evaluateRoles(ctx, clientUUID, containerID, "granted", opts)
}

// EvaluateNotGrantedRoles returns the roles of a role container that a
// token of client clientUUID may not carry.
//
// Keycloak: GET /admin/realms/{realm}/clients/{client-uuid}/evaluate-scopes/scope-mappings/{roleContainerId}/not-granted
func (s *ClientsService) EvaluateNotGrantedRoles(ctx context.Context, clientUUID, containerID string, opts *EvaluateOptions) ([]Role, error) {
	return s.evaluateRoles(ctx, clientUUID, containerID, "not-granted", opts)
}

func (s *ClientsService) evaluateRoles(ctx context.Context, clientUUID, containerID, kind string, opts *EvaluateOptions) ([]Role, error) {
	if err := need("realm", s.realm, "clientUUID", clientUUID, "containerID", containerID); err != nil {
		return nil, err
	}
	var out []Role
	_, err := s.c.do(ctx, "GET", s.path("clients", clientUUID, "evaluate-scopes", "scope-mappings", containerID, kind), opts.query().values(), nil, &out)
	return out, err
}

// ExampleAccessToken returns the claims of the access token client
// clientUUID would get for user userID with the scope in opts.
//
// Keycloak: GET /admin/realms/{realm}/clients/{client-uuid}/evaluate-scopes/generate-example-access-token
func (s *ClientsService) ExampleAccessToken(ctx context.Context, clientUUID, userID string, opts *EvaluateOptions) (map[string]json.RawMessage, error) {
	return s.example(ctx, clientUUID, userID, "generate-example-access-token", opts)
}

// ExampleIDToken returns the claims of the ID token client clientUUID
// would get for user userID.
//
// Keycloak: GET /admin/realms/{realm}/clients/{client-uuid}/evaluate-scopes/generate-example-id-token
func (s *ClientsService) ExampleIDToken(ctx context.Context, clientUUID, userID string, opts *EvaluateOptions) (map[string]json.RawMessage, error) {
	return s.example(ctx, clientUUID, userID, "generate-example-id-token", opts)
}

// ExampleUserInfo returns the userinfo answer client clientUUID would get
// for user userID.
//
// Keycloak: GET /admin/realms/{realm}/clients/{client-uuid}/evaluate-scopes/generate-example-userinfo
func (s *ClientsService) ExampleUserInfo(ctx context.Context, clientUUID, userID string, opts *EvaluateOptions) (map[string]json.RawMessage, error) {
	return s.example(ctx, clientUUID, userID, "generate-example-userinfo", opts)
}

func (s *ClientsService) example(ctx context.Context, clientUUID, userID, kind string, opts *EvaluateOptions) (map[string]json.RawMessage, error) {
	if err := need("realm", s.realm, "clientUUID", clientUUID, "userID", userID); err != nil {
		return nil, err
	}
	q := opts.query()
	q.str("userId", userID)
	var out map[string]json.RawMessage
	_, err := s.c.do(ctx, "GET", s.path("clients", clientUUID, "evaluate-scopes", kind), q.values(), nil, &out)
	return out, err
}
