package admin

import (
	"context"
	"fmt"

	"github.com/kcgo/kc/internal/rest"
)

// IdentityProviderFactory is what Keycloak tells of an identity provider
// type: its id ("oidc", "saml", "github", ...) and name.
type IdentityProviderFactory struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// IdentityProviderMapperType is an IdentityProviderMapperTypeRepresentation:
// a mapper an identity provider supports.
type IdentityProviderMapperType struct {
	ID         string           `json:"id"`
	Name       string           `json:"name,omitempty"`
	Category   string           `json:"category,omitempty"`
	HelpText   string           `json:"helpText,omitempty"`
	Properties []ConfigProperty `json:"properties,omitempty"`
}

// Factory returns the identity provider type providerID; Keycloak answers
// 400 for an unknown one.
//
// Keycloak: GET /admin/realms/{realm}/identity-provider/providers/{provider_id}
func (s *IdentityProvidersService) Factory(ctx context.Context, providerID string) (*IdentityProviderFactory, error) {
	if err := need("realm", s.realm, "providerID", providerID); err != nil {
		return nil, err
	}
	return fetch[IdentityProviderFactory](ctx, s.c, "GET", s.path("identity-provider", "providers", providerID), nil, nil)
}

// MapperTypes returns the mapper types identity provider alias supports,
// by id.
//
// Keycloak: GET /admin/realms/{realm}/identity-provider/instances/{alias}/mapper-types
func (s *IdentityProvidersService) MapperTypes(ctx context.Context, alias string) (map[string]IdentityProviderMapperType, error) {
	if err := need("realm", s.realm, "alias", alias); err != nil {
		return nil, err
	}
	var out map[string]IdentityProviderMapperType
	_, err := s.c.do(ctx, "GET", s.path("identity-provider", "instances", alias, "mapper-types"), nil, nil, &out)
	return out, err
}

// ImportConfig makes Keycloak fetch fromURL (an OpenID Provider's
// discovery document, or SAML metadata) and returns the identity provider
// configuration it reads there for a provider of type providerID.
//
// Keycloak: POST /admin/realms/{realm}/identity-provider/import-config
func (s *IdentityProvidersService) ImportConfig(ctx context.Context, providerID, fromURL string) (map[string]string, error) {
	if err := need("realm", s.realm, "providerID", providerID, "fromURL", fromURL); err != nil {
		return nil, err
	}
	var out map[string]string
	body := map[string]string{"providerId": providerID, "fromUrl": fromURL}
	_, err := s.c.do(ctx, "POST", s.path("identity-provider", "import-config"), nil, body, &out)
	return out, err
}

// ImportConfigFile returns the identity provider configuration Keycloak
// reads in document (an OpenID Provider's discovery document, or SAML
// metadata) for a provider of type providerID.
//
// Keycloak: POST /admin/realms/{realm}/identity-provider/import-config
func (s *IdentityProvidersService) ImportConfigFile(ctx context.Context, providerID string, document []byte) (map[string]string, error) {
	if err := need("realm", s.realm, "providerID", providerID); err != nil {
		return nil, err
	}
	if len(document) == 0 {
		return nil, fmt.Errorf("admin: document is empty")
	}
	body, ctype, err := multipartBody([][2]string{{"providerId", providerID}}, "file", "metadata", document)
	if err != nil {
		return nil, err
	}
	var out map[string]string
	_, err = s.c.send(ctx, &rest.Request{Method: "POST", Path: s.path("identity-provider", "import-config"), Body: body, ContentType: ctype}, &out)
	return out, err
}

// Export returns the public broker configuration of identity provider
// alias: a SAML provider's SP metadata; empty for the others. format is
// the provider's export format, "" for its default.
//
// Keycloak: GET /admin/realms/{realm}/identity-provider/instances/{alias}/export
func (s *IdentityProvidersService) Export(ctx context.Context, alias, format string) ([]byte, error) {
	if err := need("realm", s.realm, "alias", alias); err != nil {
		return nil, err
	}
	q := query{}
	q.str("format", format)
	var out []byte
	_, err := s.c.send(ctx, &rest.Request{Method: "GET", Path: s.path("identity-provider", "instances", alias, "export"), Query: q.values(),
		Header: map[string][]string{"Accept": {"*/*"}}}, &out)
	return out, err
}

// ReloadKeys makes Keycloak reload the keys of identity provider alias
// (from its JWKS or metadata URL) and reports whether it did.
//
// Keycloak: GET /admin/realms/{realm}/identity-provider/instances/{alias}/reload-keys
func (s *IdentityProvidersService) ReloadKeys(ctx context.Context, alias string) (bool, error) {
	if err := need("realm", s.realm, "alias", alias); err != nil {
		return false, err
	}
	var out bool
	_, err := s.c.do(ctx, "GET", s.path("identity-provider", "instances", alias, "reload-keys"), nil, nil, &out)
	return out, err
}

// UploadCertificate returns what Keycloak reads in up (a certificate or
// public key PEM, a JWKS or a keystore entry) for an identity provider's
// configuration, with the public key of a certificate; nothing is stored.
//
// Keycloak: POST /admin/realms/{realm}/identity-provider/upload-certificate
func (s *IdentityProvidersService) UploadCertificate(ctx context.Context, up *CertificateUpload) (*Certificate, error) {
	if err := need("realm", s.realm); err != nil {
		return nil, err
	}
	body, ctype, err := certificateForm(up)
	if err != nil {
		return nil, err
	}
	var out Certificate
	if _, err := s.c.send(ctx, &rest.Request{Method: "POST", Path: s.path("identity-provider", "upload-certificate"), Body: body, ContentType: ctype}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}
