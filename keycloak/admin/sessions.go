package admin

import "context"

// SessionsService ends user sessions of a realm.
type SessionsService struct{ base }

// SessionDeleteOptions are the query parameters of SessionsService.Delete.
type SessionDeleteOptions struct {
	Offline bool // the session is an offline session
}

// Delete ends session sessionID.
//
// Keycloak: DELETE /admin/realms/{realm}/sessions/{session}
func (s *SessionsService) Delete(ctx context.Context, sessionID string, opts *SessionDeleteOptions) error {
	if err := need("realm", s.realm, "sessionID", sessionID); err != nil {
		return err
	}
	q := query{}
	if opts != nil && opts.Offline {
		q.str("isOffline", "true")
	}
	_, err := s.c.do(ctx, "DELETE", s.path("sessions", sessionID), q.values(), nil, nil)
	return err
}

// LogoutResult is a GlobalRequestResult: the cluster nodes or client admin
// URLs a logout reached and failed to reach.
type LogoutResult struct {
	SuccessRequests []string `json:"successRequests,omitempty"`
	FailedRequests  []string `json:"failedRequests,omitempty"`
}

// LogoutAll ends every user session of the realm and revokes the tokens
// issued before now.
//
// Keycloak: POST /admin/realms/{realm}/logout-all
func (s *SessionsService) LogoutAll(ctx context.Context) (*LogoutResult, error) {
	if err := need("realm", s.realm); err != nil {
		return nil, err
	}
	return fetch[LogoutResult](ctx, s.c, "POST", s.path("logout-all"), nil, nil)
}

// ClientSessionStats is one client's session count: Active and Offline
// are decimal strings, as Keycloak sends them.
type ClientSessionStats struct {
	ID       string `json:"id,omitempty"` // client UUID
	ClientID string `json:"clientId,omitempty"`
	Active   string `json:"active,omitempty"`
	Offline  string `json:"offline,omitempty"`
}

// ClientStats returns the session counts of every client with sessions.
//
// Keycloak: GET /admin/realms/{realm}/client-session-stats
func (s *SessionsService) ClientStats(ctx context.Context) ([]ClientSessionStats, error) {
	if err := need("realm", s.realm); err != nil {
		return nil, err
	}
	var out []ClientSessionStats
	_, err := s.c.do(ctx, "GET", s.path("client-session-stats"), nil, nil, &out)
	return out, err
}
