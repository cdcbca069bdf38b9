package admin

import "context"

// KeysService reads the realm's signing and encryption keys.
type KeysService struct{ base }

// KeysMetadata is a KeysMetadataRepresentation: the active key ID per
// algorithm, and every key.
type KeysMetadata struct {
	Active map[string]string `json:"active,omitempty"` // algorithm -> kid
	Keys   []KeyMetadata     `json:"keys,omitempty"`
}

// KeyMetadata is a KeyMetadataRepresentation. Secret keys carry no
// PublicKey or Certificate.
type KeyMetadata struct {
	ProviderID       string `json:"providerId,omitempty"`
	ProviderPriority int64  `json:"providerPriority,omitempty"`
	KID              string `json:"kid,omitempty"`
	Status           string `json:"status,omitempty"` // ACTIVE, PASSIVE, DISABLED
	Type             string `json:"type,omitempty"`   // RSA, EC, OCT
	Algorithm        string `json:"algorithm,omitempty"`
	PublicKey        string `json:"publicKey,omitempty"`
	Certificate      string `json:"certificate,omitempty"`
	Use              string `json:"use,omitempty"` // SIG or ENC
	ValidTo          int64  `json:"validTo,omitempty"`
}

// Get returns the realm's keys.
//
// Keycloak: GET /admin/realms/{realm}/keys
func (s *KeysService) Get(ctx context.Context) (*KeysMetadata, error) {
	if err := need("realm", s.realm); err != nil {
		return nil, err
	}
	return fetch[KeysMetadata](ctx, s.c, "GET", s.path("keys"), nil, nil)
}
