package admin

import "context"

// AttackDetectionService reads and clears the brute-force lockouts of a
// realm's users.
type AttackDetectionService struct{ base }

// BruteForceStatus is the lockout state of one user.
type BruteForceStatus struct {
	NumFailures          int    `json:"numFailures"`
	NumTemporaryLockouts int    `json:"numTemporaryLockouts"`
	Disabled             bool   `json:"disabled"`
	LastIPFailure        string `json:"lastIPFailure,omitempty"` // "n/a" before any failure
	LastFailure          int64  `json:"lastFailure"`             // epoch milliseconds
	// FailedLoginNotBefore is when a temporary lockout ends, in epoch
	// seconds; math.MaxInt64 for a permanent lockout, 0 when not locked.
	FailedLoginNotBefore int64 `json:"failedLoginNotBefore"`
}

// UserStatus returns the brute-force state of user userID.
//
// Keycloak: GET /admin/realms/{realm}/attack-detection/brute-force/users/{userId}
func (s *AttackDetectionService) UserStatus(ctx context.Context, userID string) (*BruteForceStatus, error) {
	if err := need("realm", s.realm, "userID", userID); err != nil {
		return nil, err
	}
	return fetch[BruteForceStatus](ctx, s.c, "GET", s.path("attack-detection", "brute-force", "users", userID), nil, nil)
}

// ClearUser clears the login failures of user userID, unlocking them.
//
// Keycloak: DELETE /admin/realms/{realm}/attack-detection/brute-force/users/{userId}
func (s *AttackDetectionService) ClearUser(ctx context.Context, userID string) error {
	if err := need("realm", s.realm, "userID", userID); err != nil {
		return err
	}
	_, err := s.c.do(ctx, "DELETE", s.path("attack-detection", "brute-force", "users", userID), nil, nil, nil)
	return err
}

// ClearAll clears the login failures of every user of the realm.
//
// Keycloak: DELETE /admin/realms/{realm}/attack-detection/brute-force/users
func (s *AttackDetectionService) ClearAll(ctx context.Context) error {
	if err := need("realm", s.realm); err != nil {
		return err
	}
	_, err := s.c.do(ctx, "DELETE", s.path("attack-detection", "brute-force", "users"), nil, nil, nil)
	return err
}
