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
