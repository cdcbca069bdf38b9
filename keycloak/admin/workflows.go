package admin

import (
	"context"
	"net/url"
	"strconv"

	"github.com/kcgo/kc/internal/rest"
)

// WorkflowsService manages a realm's workflows: steps run on users (such
// as notify, disable or delete after a time) when an event starts them or
// an admin activates them. Keycloak 26 serves workflows only with the
// feature "workflows" (experimental, off by default); without it every
// call is ErrNotFound.
type WorkflowsService struct{ base }

// Workflow is a WorkflowRepresentation. Keycloak also reads and writes it
// as YAML; this client sends JSON.
type Workflow struct {
	ID          string               `json:"id,omitempty"`
	Name        string               `json:"name,omitempty"`
	Enabled     *bool                `json:"enabled,omitempty"`
	On          string               `json:"on,omitempty"` // the event that starts it, such as "user_created"
	If          string               `json:"if,omitempty"` // a condition on the resource
	Schedule    *WorkflowSchedule    `json:"schedule,omitempty"`
	Concurrency *WorkflowConcurrency `json:"concurrency,omitempty"`
	Steps       []WorkflowStep       `json:"steps,omitempty"`
	State       *WorkflowState       `json:"state,omitempty"`
	With        map[string][]string  `json:"with,omitempty"`

	Extra Extra `json:"-"`
}

type plainWorkflow Workflow

// MarshalJSON encodes the workflow with its Extra fields.
func (w Workflow) MarshalJSON() ([]byte, error) {
	return marshalWithExtra((*plainWorkflow)(&w), w.Extra)
}

// UnmarshalJSON decodes the workflow and keeps unknown fields in Extra.
func (w *Workflow) UnmarshalJSON(b []byte) error {
	return decodeInto(b, (*plainWorkflow)(w), &w.Extra)
}

// WorkflowSchedule runs a workflow periodically.
type WorkflowSchedule struct {
	After     string `json:"after,omitempty"`
	BatchSize int    `json:"batch-size,omitempty"`
}

// WorkflowConcurrency says what a new start does to a run in progress.
type WorkflowConcurrency struct {
	CancelInProgress  string `json:"cancel-in-progress,omitempty"`
	RestartInProgress string `json:"restart-in-progress,omitempty"`
}

// WorkflowState holds the errors of a workflow's validation.
type WorkflowState struct {
	Errors []string `json:"errors,omitempty"`
}

// WorkflowStep is one step: the provider it uses ("notify-user",
// "disable-user", "delete-user", ...), how long after the previous one it
// runs ("30d"), its configuration, and for a scheduled resource its
// status ("PENDING", "COMPLETED") and when it is due (epoch milliseconds).
type WorkflowStep struct {
	ID          string              `json:"id,omitempty"`
	Uses        string              `json:"uses,omitempty"`
	After       string              `json:"after,omitempty"`
	Config      map[string][]string `json:"config,omitempty"`
	With        map[string][]string `json:"with,omitempty"`
	Status      string              `json:"status,omitempty"`
	ScheduledAt int64               `json:"scheduled-at,omitempty"`
}

// WorkflowListOptions filters List.
type WorkflowListOptions struct {
	Search string // part of the name, or the whole name with Exact
	Exact  bool
	First  int
	Max    int // Keycloak's default is 10
}

// List returns the realm's workflows.
//
// Keycloak: GET /admin/realms/{realm}/workflows
func (s *WorkflowsService) List(ctx context.Context, opts *WorkflowListOptions) ([]Workflow, error) {
	if err := need("realm", s.realm); err != nil {
		return nil, err
	}
	q := query{}
	if opts != nil {
		q.str("search", opts.Search)
		if opts.Exact {
			q.str("exact", "true")
		}
		q.int("first", opts.First)
		q.int("max", opts.Max)
	}
	var out []Workflow
	_, err := s.c.do(ctx, "GET", s.path("workflows"), q.values(), nil, &out)
	return out, err
}

// Create creates a workflow and returns its ID.
//
// Keycloak: POST /admin/realms/{realm}/workflows
func (s *WorkflowsService) Create(ctx context.Context, w *Workflow) (string, error) {
	if err := need("realm", s.realm); err != nil {
		return "", err
	}
	if err := needBody("workflow", w); err != nil {
		return "", err
	}
	return s.c.create(ctx, s.path("workflows"), w)
}

// Get returns the workflow with ID id. Without IDs set the workflow and
// its steps come without their ids (includeId=false), ready to be created
// elsewhere.
//
// Keycloak: GET /admin/realms/{realm}/workflows/{id}
func (s *WorkflowsService) Get(ctx context.Context, id string, withoutIDs bool) (*Workflow, error) {
	if err := need("realm", s.realm, "id", id); err != nil {
		return nil, err
	}
	var q url.Values
	if withoutIDs {
		q = url.Values{"includeId": {strconv.FormatBool(false)}}
	}
	return fetch[Workflow](ctx, s.c, "GET", s.path("workflows", id), q, nil)
}

// Update updates the workflow's configuration; Keycloak keeps its steps.
//
// Keycloak: PUT /admin/realms/{realm}/workflows/{id}
func (s *WorkflowsService) Update(ctx context.Context, id string, w *Workflow) error {
	if err := need("realm", s.realm, "id", id); err != nil {
		return err
	}
	if err := needBody("workflow", w); err != nil {
		return err
	}
	_, err := s.c.do(ctx, "PUT", s.path("workflows", id), nil, w, nil)
	return err
}

// Delete deletes the workflow.
//
// Keycloak: DELETE /admin/realms/{realm}/workflows/{id}
func (s *WorkflowsService) Delete(ctx context.Context, id string) error {
	if err := need("realm", s.realm, "id", id); err != nil {
		return err
	}
	_, err := s.c.do(ctx, "DELETE", s.path("workflows", id), nil, nil, nil)
	return err
}

// Scheduled returns the workflows that have a step scheduled for the
// resource (a user's ID), that step marked with its status and due time.
//
// Keycloak: GET /admin/realms/{realm}/workflows/scheduled/{resource-id}
func (s *WorkflowsService) Scheduled(ctx context.Context, resourceID string) ([]Workflow, error) {
	if err := need("realm", s.realm, "resourceID", resourceID); err != nil {
		return nil, err
	}
	var out []Workflow
	_, err := s.c.do(ctx, "GET", s.path("workflows", "scheduled", resourceID), nil, nil, &out)
	return out, err
}

// Migrate moves the resources scheduled at step fromStepID to step
// toStepID.
//
// Keycloak: POST /admin/realms/{realm}/workflows/migrate
func (s *WorkflowsService) Migrate(ctx context.Context, fromStepID, toStepID string) error {
	if err := need("realm", s.realm, "fromStepID", fromStepID, "toStepID", toStepID); err != nil {
		return err
	}
	_, err := s.c.do(ctx, "POST", s.path("workflows", "migrate"), url.Values{"from": {fromStepID}, "to": {toStepID}}, nil, nil)
	return err
}

// Workflow resource types, for Activate and Deactivate.
const (
	WorkflowResourceUsers   = "USERS"
	WorkflowResourceClients = "CLIENTS"
)

// Activate starts the workflow for a resource of resourceType
// ([WorkflowResourceUsers]). notBefore, when not empty, overrides when the
// first step runs: seconds from now ("60"), milliseconds ("500ms") or an
// ISO-8601 time.
//
// Keycloak: POST /admin/realms/{realm}/workflows/{id}/activate/{type}/{resourceId}
func (s *WorkflowsService) Activate(ctx context.Context, id, resourceType, resourceID, notBefore string) error {
	if err := need("realm", s.realm, "id", id, "resourceType", resourceType, "resourceID", resourceID); err != nil {
		return err
	}
	// The body is the value as it is (a String parameter), not JSON text.
	req := &rest.Request{Method: "POST", Path: s.path("workflows", id, "activate", resourceType, resourceID)}
	if notBefore != "" {
		req.Body, req.ContentType = []byte(notBefore), "application/json"
	}
	_, err := s.c.send(ctx, req, nil)
	return err
}

// Deactivate stops the workflow for the resource.
//
// Keycloak: POST /admin/realms/{realm}/workflows/{id}/deactivate/{type}/{resourceId}
func (s *WorkflowsService) Deactivate(ctx context.Context, id, resourceType, resourceID string) error {
	if err := need("realm", s.realm, "id", id, "resourceType", resourceType, "resourceID", resourceID); err != nil {
		return err
	}
	_, err := s.c.do(ctx, "POST", s.path("workflows", id, "deactivate", resourceType, resourceID), nil, nil, nil)
	return err
}
