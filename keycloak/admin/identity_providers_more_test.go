package admin_test

import (
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kcgo/kc"
	"github.com/kcgo/kc/keycloak/admin"
)

// samlMetadata is an IdP's metadata in the shape Google Workspace
// publishes (the sample of gocloak's Test_ImportIdentityProviderConfigFromFile,
// certificate shortened), expired.
const samlMetadata = `<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://idp.example.com/saml" validUntil="2001-04-29T21:34:48.000Z">
  <md:IDPSSODescriptor WantAuthnRequestsSigned="false" protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <md:KeyDescriptor use="signing">
      <ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#">
        <ds:X509Data>
          <ds:X509Certificate>MIIDdDCCAlyg
AwIBAgIGAXkk</ds:X509Certificate>
        </ds:X509Data>
      </ds:KeyInfo>
    </md:KeyDescriptor>
    <md:NameIDFormat>urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress</md:NameIDFormat>
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://idp.example.com/sso?r"/>
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://idp.example.com/sso?p"/>
  </md:IDPSSODescriptor>
</md:EntityDescriptor>`

// TestIdentityProviderImportConfig follows IdentityProvidersResource
// .importFrom: the server fetches fromUrl (here its own discovery
// document) and parses it as OIDCIdentityProviderFactory.parseOIDCConfig
// does; an uploaded SAML document as SAMLIdentityProviderFactory
// .parseConfig does.
func TestIdentityProviderImportConfig(t *testing.T) {
	t.Parallel()
	e := setup(t)
	ctx := t.Context()
	idps := e.realm.IdentityProviders
	disc := e.srv.URL + "/realms/acme/.well-known/openid-configuration"
	got := must[map[string]string](t)(idps.ImportConfig(ctx, "oidc", disc))
	iss := e.srv.URL + "/realms/acme"
	want := map[string]string{
		"issuer": iss, "authorizationUrl": iss + "/protocol/openid-connect/auth", "tokenUrl": iss + "/protocol/openid-connect/token",
		"userInfoUrl": iss + "/protocol/openid-connect/userinfo", "logoutUrl": iss + "/protocol/openid-connect/logout",
		"validateSignature": "true", "useJwksUrl": "true", "jwksUrl": iss + "/protocol/openid-connect/certs",
		"metadataDescriptorUrl": disc,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ImportConfig (-want +got):\n%s", diff)
	}
	got = must[map[string]string](t)(idps.ImportConfigFile(ctx, "saml", []byte(samlMetadata)))
	want = map[string]string{
		"idpEntityId": "https://idp.example.com/saml", "singleSignOnServiceUrl": "https://idp.example.com/sso?p",
		"validateSignature": "true", "signingCertificate": "MIIDdDCCAlyg\nAwIBAgIGAXkk",
		"postBindingLogout": "false", "postBindingResponse": "true", "postBindingAuthnRequest": "true",
		"nameIDPolicyFormat": "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress", "wantAuthnRequestsSigned": "false",
		"addExtensionsElementWithKeyInfo": "false", "loginHint": "false", "enabledFromMetadata": "false", "artifactBindingResponse": "false",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ImportConfigFile (-want +got):\n%s", diff)
	}
	var apiErr *kc.APIError
	if _, err := idps.ImportConfig(ctx, "oidc", e.srv.URL+"/realms/nope/.well-known/openid-configuration"); !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusInternalServerError {
		t.Errorf("a URL answering 404: %v, want 500", err)
	}
}

// TestIdentityProviderInstanceExtras follows IdentityProviderResource
// (mapper-types, export, reload-keys) and IdentityProvidersResource
// (providers/{id}, upload-certificate).
func TestIdentityProviderInstanceExtras(t *testing.T) {
	t.Parallel()
	e := setup(t)
	ctx := t.Context()
	idps := e.realm.IdentityProviders
	f := must[*admin.IdentityProviderFactory](t)(idps.Factory(ctx, "oidc"))
	if *f != (admin.IdentityProviderFactory{ID: "oidc", Name: "OpenID Connect v1.0"}) {
		t.Errorf("Factory(oidc) = %+v", *f)
	}
	var apiErr *kc.APIError
	if _, err := idps.Factory(ctx, "nope"); !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusBadRequest {
		t.Errorf("Factory(nope): %v, want 400", err)
	}
	must[string](t)(idps.Create(ctx, &admin.IdentityProvider{Alias: "corp", ProviderID: "oidc",
		Config: map[string]string{"useJwksUrl": "true", "jwksUrl": "https://corp.example.com/certs"}}))
	must[string](t)(idps.Create(ctx, &admin.IdentityProvider{Alias: "saml-idp", ProviderID: "saml",
		Config: map[string]string{"postBindingResponse": "true"}}))
	types := must[map[string]admin.IdentityProviderMapperType](t)(idps.MapperTypes(ctx, "corp"))
	ua := types["oidc-user-attribute-idp-mapper"]
	if ua.Name != "Attribute Importer" || ua.Category != "Attribute Importer" || len(ua.Properties) != 2 ||
		ua.Properties[0].Name != "claim" || ua.Properties[1].Name != "user.attribute" {
		t.Errorf("oidc-user-attribute-idp-mapper = %+v", ua)
	}
	if hr := types["oidc-hardcoded-role-idp-mapper"]; len(hr.Properties) != 1 || hr.Properties[0].Type != "Role" {
		t.Errorf("oidc-hardcoded-role-idp-mapper = %+v", hr)
	}
	if _, ok := types["saml-user-attribute-idp-mapper"]; ok {
		t.Error("an OIDC provider lists a SAML mapper")
	}
	if !must[bool](t)(idps.ReloadKeys(ctx, "corp")) || must[bool](t)(idps.ReloadKeys(ctx, "saml-idp")) {
		t.Error("ReloadKeys: want true for a provider with a JWKS URL, false for one without a metadata URL")
	}
	if b := must[[]byte](t)(idps.Export(ctx, "corp", "")); len(b) != 0 {
		t.Errorf("Export of an OIDC provider = %q, want nothing (204)", b)
	}
	md := string(must[[]byte](t)(idps.Export(ctx, "saml-idp", "")))
	if !strings.Contains(md, `entityID="`+e.srv.URL+`/realms/acme"`) ||
		!strings.Contains(md, `Location="`+e.srv.URL+`/realms/acme/broker/saml-idp/endpoint"`) {
		t.Errorf("SAML export:\n%s", md)
	}
	if _, err := idps.MapperTypes(ctx, "nope"); !errors.Is(err, kc.ErrNotFound) {
		t.Errorf("MapperTypes of an unknown provider: %v, want ErrNotFound", err)
	}

	cert := testCertificate(t)
	info := must[*admin.Certificate](t)(idps.UploadCertificate(ctx, &admin.CertificateUpload{
		KeystoreFormat: admin.FormatCertPEM, File: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert.Raw}),
	}))
	if info.Certificate != base64.StdEncoding.EncodeToString(cert.Raw) || info.PublicKey != base64.StdEncoding.EncodeToString(cert.RawSubjectPublicKeyInfo) {
		t.Errorf("UploadCertificate = %+v", *info)
	}
}

// testCertificate returns a certificate from a client's generated key
// pair on a throwaway server.
func testCertificate(t *testing.T) *x509.Certificate {
	t.Helper()
	e := setup(t)
	id := must[string](t)(e.realm.Clients.Create(t.Context(), &admin.ClientApp{ClientID: "c"}))
	gen := must[*admin.Certificate](t)(e.realm.Clients.GenerateCertificate(t.Context(), id, "x"))
	return parseB64Cert(t, gen.Certificate)
}
