package admin

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"mime/multipart"

	"github.com/kcgo/kc/internal/redact"
	"github.com/kcgo/kc/internal/rest"
)

// The keystore formats and the other upload formats of
// ClientsService.UploadCertificate (Keycloak's
// ClientAttributeCertificateResource and KeystoreUtil.KeystoreFormat).
const (
	KeystorePKCS12   = "PKCS12"
	KeystoreJKS      = "JKS"
	KeystoreBCFKS    = "BCFKS"
	FormatCertPEM    = "Certificate PEM"
	FormatPublicPEM  = "Public Key PEM"
	FormatJSONKeySet = "JSON Web Key Set"
)

// Certificate is a CertificateRepresentation: a client's key material
// under one attribute prefix ("jwt.credential" for signed-JWT client
// authentication, "saml.signing", "saml.encryption", ...). Certificate,
// PublicKey and PrivateKey are base64 DER without PEM armour (PublicKey
// as uploaded when it came as "Public Key PEM"); an OIDC client that uses
// a JWKS has JWKS, PublicKey and Kid instead.
type Certificate struct {
	PrivateKey  string `json:"privateKey,omitempty"`
	PublicKey   string `json:"publicKey,omitempty"`
	Certificate string `json:"certificate,omitempty"`
	Kid         string `json:"kid,omitempty"`
	JWKS        string `json:"jwks,omitempty"`
}

type plainCertificate Certificate

func (c Certificate) redacted() plainCertificate {
	p := plainCertificate(c)
	p.PrivateKey = redact.Secret(p.PrivateKey)
	return p
}

// Format prints c, with every verb, without its private key.
func (c Certificate) Format(f fmt.State, verb rune) { redact.Format(f, verb, c.redacted()) }

// LogValue makes slog log c without its private key.
func (c Certificate) LogValue() slog.Value { return slog.AnyValue(c.redacted()) }

// KeyStoreConfig is a KeyStoreConfig: what DownloadKeystore and
// GenerateAndDownloadKeystore put in the keystore.
type KeyStoreConfig struct {
	// Type is the keystore format, KeystorePKCS12 or KeystoreJKS
	// (Keycloak answers 406 for one its crypto provider lacks).
	Type          string `json:"format,omitempty"`
	StorePassword string `json:"storePassword,omitempty"`
	// KeyPassword protects the private key; required when there is one.
	KeyPassword string `json:"keyPassword,omitempty"`
	// KeyAlias names the client's entry; Keycloak's default is the
	// client ID.
	KeyAlias string `json:"keyAlias,omitempty"`
	// RealmCertificate adds the realm's certificate (Keycloak's default:
	// true) under RealmAlias (default: the realm's name).
	RealmCertificate *bool  `json:"realmCertificate,omitempty"`
	RealmAlias       string `json:"realmAlias,omitempty"`
	// KeySize and Validity (years) apply to a generated key pair.
	KeySize  int `json:"keySize,omitempty"`
	Validity int `json:"validity,omitempty"`
}

type plainKeyStoreConfig KeyStoreConfig

func (c KeyStoreConfig) redacted() plainKeyStoreConfig {
	p := plainKeyStoreConfig(c)
	p.StorePassword, p.KeyPassword = redact.Secret(p.StorePassword), redact.Secret(p.KeyPassword)
	return p
}

// Format prints c, with every verb, without its passwords.
func (c KeyStoreConfig) Format(f fmt.State, verb rune) { redact.Format(f, verb, c.redacted()) }

// LogValue makes slog log c without its passwords.
func (c KeyStoreConfig) LogValue() slog.Value { return slog.AnyValue(c.redacted()) }

// CertificateUpload is the multipart form of UploadCertificate.
type CertificateUpload struct {
	// KeystoreFormat is FormatCertPEM, FormatPublicPEM,
	// FormatJSONKeySet, or a keystore type (KeystorePKCS12, KeystoreJKS).
	KeystoreFormat string
	File           []byte
	// KeyAlias, KeyPassword and StorePassword open a keystore.
	KeyAlias, KeyPassword, StorePassword string
}

type plainCertificateUpload CertificateUpload

func (u CertificateUpload) redacted() plainCertificateUpload {
	p := plainCertificateUpload(u)
	p.KeyPassword, p.StorePassword = redact.Secret(p.KeyPassword), redact.Secret(p.StorePassword)
	if p.File != nil {
		p.File = []byte(fmt.Sprintf("(%d bytes)", len(p.File)))
	}
	return p
}

// Format prints u, with every verb, without its passwords and file.
func (u CertificateUpload) Format(f fmt.State, verb rune) { redact.Format(f, verb, u.redacted()) }

// LogValue makes slog log u without its passwords and file.
func (u CertificateUpload) LogValue() slog.Value { return slog.AnyValue(u.redacted()) }

func (s *ClientsService) certPath(clientUUID, attr string, segs ...string) []string {
	return s.path(append([]string{"clients", clientUUID, "certificates", attr}, segs...)...)
}

// Certificate returns the key material of client clientUUID under
// attribute prefix attr, private key included when Keycloak keeps one.
//
// Keycloak: GET /admin/realms/{realm}/clients/{client-uuid}/certificates/{attr}
func (s *ClientsService) Certificate(ctx context.Context, clientUUID, attr string) (*Certificate, error) {
	if err := need("realm", s.realm, "clientUUID", clientUUID, "attr", attr); err != nil {
		return nil, err
	}
	return fetch[Certificate](ctx, s.c, "GET", s.certPath(clientUUID, attr), nil, nil)
}

// GenerateCertificate makes Keycloak generate a key pair and a
// self-signed certificate for client clientUUID under attr, keep both, and
// return them.
//
// Keycloak: POST /admin/realms/{realm}/clients/{client-uuid}/certificates/{attr}/generate
func (s *ClientsService) GenerateCertificate(ctx context.Context, clientUUID, attr string) (*Certificate, error) {
	if err := need("realm", s.realm, "clientUUID", clientUUID, "attr", attr); err != nil {
		return nil, err
	}
	return fetch[Certificate](ctx, s.c, "POST", s.certPath(clientUUID, attr, "generate"), nil, nil)
}

// DownloadKeystore returns a keystore holding client clientUUID's key and
// certificate under attr (and, unless cfg says otherwise, the realm's
// certificate).
//
// Keycloak: POST /admin/realms/{realm}/clients/{client-uuid}/certificates/{attr}/download
func (s *ClientsService) DownloadKeystore(ctx context.Context, clientUUID, attr string, cfg *KeyStoreConfig) ([]byte, error) {
	return s.keystore(ctx, clientUUID, attr, "download", cfg)
}

// GenerateAndDownloadKeystore makes Keycloak generate a key pair and
// certificate for client clientUUID under attr and returns them in a
// keystore; Keycloak keeps only the certificate.
//
// Keycloak: POST /admin/realms/{realm}/clients/{client-uuid}/certificates/{attr}/generate-and-download
func (s *ClientsService) GenerateAndDownloadKeystore(ctx context.Context, clientUUID, attr string, cfg *KeyStoreConfig) ([]byte, error) {
	return s.keystore(ctx, clientUUID, attr, "generate-and-download", cfg)
}

func (s *ClientsService) keystore(ctx context.Context, clientUUID, attr, op string, cfg *KeyStoreConfig) ([]byte, error) {
	if err := need("realm", s.realm, "clientUUID", clientUUID, "attr", attr); err != nil {
		return nil, err
	}
	if err := needBody("keystore config", cfg); err != nil {
		return nil, err
	}
	if err := need("type", cfg.Type, "storePassword", cfg.StorePassword); err != nil {
		return nil, err
	}
	var out []byte
	_, err := s.c.send(ctx, &rest.Request{Method: "POST", Path: s.certPath(clientUUID, attr, op), JSON: cfg,
		Header: map[string][]string{"Accept": {"application/octet-stream"}}}, &out)
	if err != nil {
		return nil, err
	}
	return out, nil
}

// UploadCertificate stores the certificate, public key, JWKS or keystore
// entry of up as client clientUUID's key material under attr, and returns
// what Keycloak read from it.
//
// Keycloak: POST /admin/realms/{realm}/clients/{client-uuid}/certificates/{attr}/upload
func (s *ClientsService) UploadCertificate(ctx context.Context, clientUUID, attr string, up *CertificateUpload) (*Certificate, error) {
	return s.upload(ctx, clientUUID, attr, "upload", up)
}

// UploadCertificateOnly is UploadCertificate through the endpoint meant
// for a certificate without its private key (Keycloak 26 treats both
// alike).
//
// Keycloak: POST /admin/realms/{realm}/clients/{client-uuid}/certificates/{attr}/upload-certificate
func (s *ClientsService) UploadCertificateOnly(ctx context.Context, clientUUID, attr string, up *CertificateUpload) (*Certificate, error) {
	return s.upload(ctx, clientUUID, attr, "upload-certificate", up)
}

func (s *ClientsService) upload(ctx context.Context, clientUUID, attr, op string, up *CertificateUpload) (*Certificate, error) {
	if err := need("realm", s.realm, "clientUUID", clientUUID, "attr", attr); err != nil {
		return nil, err
	}
	body, ctype, err := certificateForm(up)
	if err != nil {
		return nil, err
	}
	var out Certificate
	if _, err := s.c.send(ctx, &rest.Request{Method: "POST", Path: s.certPath(clientUUID, attr, op), Body: body, ContentType: ctype}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// certificateForm checks up and encodes it as Keycloak's
// CertificateInfoHelper reads it.
func certificateForm(up *CertificateUpload) ([]byte, string, error) {
	if err := needBody("certificate upload", up); err != nil {
		return nil, "", err
	}
	if err := need("keystoreFormat", up.KeystoreFormat); err != nil {
		return nil, "", err
	}
	if len(up.File) == 0 {
		return nil, "", fmt.Errorf("admin: file is empty")
	}
	fields := [][2]string{{"keystoreFormat", up.KeystoreFormat}, {"keyAlias", up.KeyAlias}, {"keyPassword", up.KeyPassword}, {"storePassword", up.StorePassword}}
	return multipartBody(fields, "file", "certificate", up.File)
}

// multipartBody encodes a multipart/form-data body: the non-empty fields,
// then the file.
func multipartBody(fields [][2]string, fileField, fileName string, file []byte) ([]byte, string, error) {
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	for _, f := range fields {
		if f[1] == "" {
			continue
		}
		if err := mw.WriteField(f[0], f[1]); err != nil {
			return nil, "", err
		}
	}
	if file != nil {
		w, err := mw.CreateFormFile(fileField, fileName)
		if err != nil {
			return nil, "", err
		}
		if _, err := w.Write(file); err != nil {
			return nil, "", err
		}
	}
	if err := mw.Close(); err != nil {
		return nil, "", err
	}
	return b.Bytes(), mw.FormDataContentType(), nil
}

// InstallationProvider returns the adapter configuration of client
// clientUUID that installation provider providerID generates:
// "keycloak-oidc-keycloak-json" (keycloak.json), "keycloak-oidc-jboss-subsystem"
// (XML), "keycloak-oidc-jboss-subsystem-cli", "keycloak-saml", ... It may
// hold the client's secret.
//
// Keycloak: GET /admin/realms/{realm}/clients/{client-uuid}/installation/providers/{providerId}
func (s *ClientsService) InstallationProvider(ctx context.Context, clientUUID, providerID string) ([]byte, error) {
	if err := need("realm", s.realm, "clientUUID", clientUUID, "providerID", providerID); err != nil {
		return nil, err
	}
	var out []byte
	_, err := s.c.send(ctx, &rest.Request{Method: "GET", Path: s.path("clients", clientUUID, "installation", "providers", providerID),
		Header: map[string][]string{"Accept": {"*/*"}}}, &out)
	if err != nil {
		return nil, err
	}
	return out, nil
}
