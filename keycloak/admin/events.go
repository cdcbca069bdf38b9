package admin

import (
	"context"
	"iter"
)

// EventsService reads the realm's login and admin events and their
// configuration.
type EventsService struct{ base }

// EventsConfig is a RealmEventsConfigRepresentation.
type EventsConfig struct {
	EventsEnabled             *bool    `json:"eventsEnabled,omitempty"`
	EventsExpiration          *int64   `json:"eventsExpiration,omitempty"` // seconds
	EventsListeners           []string `json:"eventsListeners,omitempty"`
	EnabledEventTypes         []string `json:"enabledEventTypes,omitempty"`
	AdminEventsEnabled        *bool    `json:"adminEventsEnabled,omitempty"`
	AdminEventsDetailsEnabled *bool    `json:"adminEventsDetailsEnabled,omitempty"`
}

// Event is an EventRepresentation: a login-side event such as LOGIN or
// LOGIN_ERROR. Time is epoch milliseconds.
type Event struct {
	ID        string            `json:"id,omitempty"`
	Time      int64             `json:"time,omitempty"`
	Type      string            `json:"type,omitempty"`
	RealmID   string            `json:"realmId,omitempty"`
	ClientID  string            `json:"clientId,omitempty"`
	UserID    string            `json:"userId,omitempty"`
	SessionID string            `json:"sessionId,omitempty"`
	IPAddress string            `json:"ipAddress,omitempty"`
	Error     string            `json:"error,omitempty"`
	Details   map[string]string `json:"details,omitempty"`
}

// AdminEvent is an AdminEventRepresentation: one change made through the
// Admin API. Representation holds the request body when the realm records
// details.
type AdminEvent struct {
	ID             string            `json:"id,omitempty"`
	Time           int64             `json:"time,omitempty"`
	RealmID        string            `json:"realmId,omitempty"`
	AuthDetails    *AuthDetails      `json:"authDetails,omitempty"`
	OperationType  string            `json:"operationType,omitempty"` // CREATE, UPDATE, DELETE, ACTION
	ResourceType   string            `json:"resourceType,omitempty"`  // USER, CLIENT, GROUP, REALM_ROLE, ...
	ResourcePath   string            `json:"resourcePath,omitempty"`  // e.g. "users/<id>"
	Representation string            `json:"representation,omitempty"`
	Error          string            `json:"error,omitempty"`
	Details        map[string]string `json:"details,omitempty"`
}

// AuthDetails says who made an admin change.
type AuthDetails struct {
	RealmID   string `json:"realmId,omitempty"`
	ClientID  string `json:"clientId,omitempty"`
	UserID    string `json:"userId,omitempty"`
	IPAddress string `json:"ipAddress,omitempty"`
}

// EventListOptions are the query parameters of EventsService.List.
type EventListOptions struct {
	Types     []string // event types, such as LOGIN
	Client    string
	User      string
	IPAddress string
	DateFrom  string // yyyy-MM-dd (from the start of that day) or epoch milliseconds
	DateTo    string // yyyy-MM-dd (to the end of that day) or epoch milliseconds
	Direction string // "asc" or "desc" (the default: newest first)
	First     int
	Max       int // Keycloak's default: 100
}

// AdminEventListOptions are the query parameters of
// EventsService.ListAdmin.
type AdminEventListOptions struct {
	OperationTypes []string // CREATE, UPDATE, DELETE, ACTION
	ResourceTypes  []string // USER, CLIENT, ...
	ResourcePath   string   // "*" matches any run of characters
	AuthRealm      string
	AuthClient     string
	AuthUser       string
	AuthIPAddress  string
	DateFrom       string // yyyy-MM-dd or epoch milliseconds
	DateTo         string // yyyy-MM-dd or epoch milliseconds
	Direction      string // "asc" or "desc" (the default: newest first)
	First          int
	Max            int // Keycloak's default: 100
}

// Config returns the realm's event settings.
//
// Keycloak: GET /admin/realms/{realm}/events/config
func (s *EventsService) Config(ctx context.Context) (*EventsConfig, error) {
	if err := need("realm", s.realm); err != nil {
		return nil, err
	}
	return fetch[EventsConfig](ctx, s.c, "GET", s.path("events", "config"), nil, nil)
}

// UpdateConfig changes the realm's event settings. As in Keycloak, a nil
// EventsEnabled turns login events off and a nil EventsExpiration clears
// it; the other nil fields are kept.
//
// Keycloak: PUT /admin/realms/{realm}/events/config
func (s *EventsService) UpdateConfig(ctx context.Context, cfg *EventsConfig) error {
	if err := need("realm", s.realm); err != nil {
		return err
	}
	if err := needBody("events config", cfg); err != nil {
		return err
	}
	_, err := s.c.do(ctx, "PUT", s.path("events", "config"), nil, cfg, nil)
	return err
}

// List returns one page of login events, newest first.
//
// Keycloak: GET /admin/realms/{realm}/events
func (s *EventsService) List(ctx context.Context, opts *EventListOptions) ([]Event, error) {
	if err := need("realm", s.realm); err != nil {
		return nil, err
	}
	q := query{}
	if opts != nil {
		for _, t := range opts.Types {
			q.values().Add("type", t)
		}
		q.str("client", opts.Client)
		q.str("user", opts.User)
		q.str("ipAddress", opts.IPAddress)
		q.str("dateFrom", opts.DateFrom)
		q.str("dateTo", opts.DateTo)
		q.str("direction", opts.Direction)
		q.int("first", opts.First)
		q.int("max", opts.Max)
	}
	var out []Event
	_, err := s.c.do(ctx, "GET", s.path("events"), q.values(), nil, &out)
	return out, err
}

// All iterates over the login events matching opts, a page at a time.
//
// Keycloak: GET /admin/realms/{realm}/events
func (s *EventsService) All(ctx context.Context, opts *EventListOptions) iter.Seq2[Event, error] {
	var o EventListOptions
	if opts != nil {
		o = *opts
	}
	return pages(ctx, o.First, o.Max, func(ctx context.Context, first, max int) ([]Event, error) {
		o.First, o.Max = first, max
		return s.List(ctx, &o)
	})
}

// Clear deletes every login event of the realm.
//
// Keycloak: DELETE /admin/realms/{realm}/events
func (s *EventsService) Clear(ctx context.Context) error {
	if err := need("realm", s.realm); err != nil {
		return err
	}
	_, err := s.c.do(ctx, "DELETE", s.path("events"), nil, nil, nil)
	return err
}

// ListAdmin returns one page of admin events, newest first.
//
// Keycloak: GET /admin/realms/{realm}/admin-events
func (s *EventsService) ListAdmin(ctx context.Context, opts *AdminEventListOptions) ([]AdminEvent, error) {
	if err := need("realm", s.realm); err != nil {
		return nil, err
	}
	q := query{}
	if opts != nil {
		for _, t := range opts.OperationTypes {
			q.values().Add("operationTypes", t)
		}
		for _, t := range opts.ResourceTypes {
			q.values().Add("resourceTypes", t)
		}
		q.str("resourcePath", opts.ResourcePath)
		q.str("authRealm", opts.AuthRealm)
		q.str("authClient", opts.AuthClient)
		q.str("authUser", opts.AuthUser)
		q.str("authIpAddress", opts.AuthIPAddress)
		q.str("dateFrom", opts.DateFrom)
		q.str("dateTo", opts.DateTo)
		q.str("direction", opts.Direction)
		q.int("first", opts.First)
		q.int("max", opts.Max)
	}
	var out []AdminEvent
	_, err := s.c.do(ctx, "GET", s.path("admin-events"), q.values(), nil, &out)
	return out, err
}

// AllAdmin iterates over the admin events matching opts, a page at a time.
//
// Keycloak: GET /admin/realms/{realm}/admin-events
func (s *EventsService) AllAdmin(ctx context.Context, opts *AdminEventListOptions) iter.Seq2[AdminEvent, error] {
	var o AdminEventListOptions
	if opts != nil {
		o = *opts
	}
	return pages(ctx, o.First, o.Max, func(ctx context.Context, first, max int) ([]AdminEvent, error) {
		o.First, o.Max = first, max
		return s.ListAdmin(ctx, &o)
	})
}

// ClearAdmin deletes every admin event of the realm.
//
// Keycloak: DELETE /admin/realms/{realm}/admin-events
func (s *EventsService) ClearAdmin(ctx context.Context) error {
	if err := need("realm", s.realm); err != nil {
		return err
	}
	_, err := s.c.do(ctx, "DELETE", s.path("admin-events"), nil, nil, nil)
	return err
}
