package kctest

import "fmt"

// ResourceServerID returns the id of the resource server of clientID: the
// client's UUID, as in Keycloak, which the Admin REST paths
// /admin/realms/{realm}/clients/{client-uuid}/authz/resource-server take.
// The client must have authorization services enabled.
func (s *Server) ResourceServerID(realmName, clientID string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rm, err := s.realmNamed(realmName)
	if err != nil {
		return "", err
	}
	c := rm.findClientByClientID(clientID)
	if c == nil {
		return "", fmt.Errorf("kctest: client %q not found in realm %q", clientID, realmName)
	}
	if rm.authzOf(c) == nil {
		return "", fmt.Errorf("kctest: client %q of realm %q has no authorization services", clientID, realmName)
	}
	return c.id, nil
}
