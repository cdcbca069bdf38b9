package admin

import "context"

// SessionsService ends user sessions of a realm.
type SessionsService struct{ base }

// Delete ends session sessionID (an offline session when offline is set).
//
// Keycloak: DELETE /admin/realms/{realm}/sessions/{session}
func (s *SessionsService) Delete(ctx context.Context, sessionID string, offline bool) error {
	if err := need("realm", s.realm, "sessionID", sessionID); err != nil {
		return err
	}
	q := query{}
	if offline {
		q.str("isOffline", "true")
	}
	_, err := s.c.do(ctx, "DELETE", s.path("sessions", sessionID), q.values(), nil, nil)
	return err
}
