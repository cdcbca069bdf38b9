package admin_test

import (
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"

	xpkcs12 "golang.org/x/crypto/pkcs12"

	"github.com/kcgo/kc"
	"github.com/kcgo/kc/keycloak/admin"
)

func parseB64Cert(t *testing.T, s string) *x509.Certificate {
	t.Helper()
	der, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestClientCertificates follows ClientAttributeCertificateResource: a
// generated key pair is kept and downloadable as PKCS#12; generate-and-
// download keeps the certificate only; uploads take a certificate PEM, a
// PKCS#12 keystore entry and a JWKS; JKS is answered as by a Keycloak whose
// crypto provider lacks it (406).
func TestClientCertificates(t *testing.T) {
	t.Parallel()
	e := setup(t)
	ctx := t.Context()
	clients := e.realm.Clients
	id := must[string](t)(clients.Create(ctx, &admin.ClientApp{ClientID: "app", ClientAuthenticatorType: "client-jwt"}))
	const attr = "jwt.credential"

	empty := must[*admin.Certificate](t)(clients.Certificate(ctx, id, attr))
	if *empty != (admin.Certificate{}) {
		t.Errorf("Certificate of a new client = %+v", *empty)
	}
	gen := must[*admin.Certificate](t)(clients.GenerateCertificate(ctx, id, attr))
	if gen.PrivateKey == "" || gen.Certificate == "" {
		t.Fatalf("GenerateCertificate = %+v", *gen)
	}
	if cn := parseB64Cert(t, gen.Certificate).Subject.CommonName; cn != "app" {
		t.Errorf("certificate subject CN = %q, want the client ID", cn)
	}
	if got := must[*admin.Certificate](t)(clients.Certificate(ctx, id, attr)); *got != *gen {
		t.Errorf("Certificate after Generate = %v, want %v", *got, *gen)
	}
	if s := fmt.Sprintf("%+v", *gen); strings.Contains(s, gen.PrivateKey) {
		t.Errorf("a Certificate prints its private key: %s", s)
	}

	// The keystore holds the kept key and certificate.
	p12 := must[[]byte](t)(clients.DownloadKeystore(ctx, id, attr, &admin.KeyStoreConfig{
		Type: admin.KeystorePKCS12, StorePassword: "pw", KeyPassword: "pw", KeyAlias: "mine", RealmCertificate: kc.Ptr(false),
	}))
	key, cert, err := xpkcs12.Decode(p12, "pw")
	if err != nil {
		t.Fatalf("reading the keystore: %v", err)
	}
	wantKey, _ := x509.ParsePKCS8PrivateKey(must[[]byte](t)(base64.StdEncoding.DecodeString(gen.PrivateKey)))
	if !key.(*rsa.PrivateKey).Equal(wantKey) || !cert.Equal(parseB64Cert(t, gen.Certificate)) {
		t.Error("the keystore holds another key or certificate")
	}
	var apiErr *kc.APIError
	_, err = clients.DownloadKeystore(ctx, id, attr, &admin.KeyStoreConfig{Type: admin.KeystoreJKS, StorePassword: "pw", KeyPassword: "pw"})
	if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusNotAcceptable {
		t.Errorf("JKS download: %v, want 406", err)
	}
	if _, err := clients.DownloadKeystore(ctx, id, attr, &admin.KeyStoreConfig{Type: admin.KeystorePKCS12}); err == nil || !strings.Contains(err.Error(), "storePassword") {
		t.Errorf("no store password: %v, want an error naming storePassword", err)
	}

	// Upload the keystore back under another prefix.
	up := must[*admin.Certificate](t)(clients.UploadCertificate(ctx, id, "saml.signing", &admin.CertificateUpload{
		KeystoreFormat: admin.KeystorePKCS12, File: p12, KeyAlias: "mine", StorePassword: "pw", KeyPassword: "pw",
	}))
	if up.PrivateKey != gen.PrivateKey || up.Certificate != gen.Certificate {
		t.Errorf("upload of the keystore = %+v", *up)
	}
	_, err = clients.UploadCertificate(ctx, id, "saml.signing", &admin.CertificateUpload{
		KeystoreFormat: admin.KeystorePKCS12, File: p12, KeyAlias: "mine", StorePassword: "wrong",
	})
	if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusBadRequest || apiErr.ErrorCode != "error loading keystore" {
		t.Errorf("wrong store password: %v, want 400 error loading keystore", err)
	}

	// Generate and download: the private key leaves, the certificate stays.
	p12 = must[[]byte](t)(clients.GenerateAndDownloadKeystore(ctx, id, attr, &admin.KeyStoreConfig{
		Type: admin.KeystorePKCS12, StorePassword: "pw", KeyPassword: "pw", RealmCertificate: kc.Ptr(false),
	}))
	_, cert, err = xpkcs12.Decode(p12, "pw")
	if err != nil {
		t.Fatal(err)
	}
	kept := must[*admin.Certificate](t)(clients.Certificate(ctx, id, attr))
	if kept.PrivateKey != "" || !parseB64Cert(t, kept.Certificate).Equal(cert) {
		t.Errorf("after generate-and-download the client keeps %+v", *kept)
	}

	// A certificate PEM: the armour goes, the private key too.
	pemText := string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert.Raw}))
	only := must[*admin.Certificate](t)(clients.UploadCertificateOnly(ctx, id, "saml.signing", &admin.CertificateUpload{
		KeystoreFormat: admin.FormatCertPEM, File: []byte(pemText),
	}))
	if only.Certificate != base64.StdEncoding.EncodeToString(cert.Raw) || only.PrivateKey != "" {
		t.Errorf("certificate PEM upload = %+v", *only)
	}
	if got := must[*admin.Certificate](t)(clients.Certificate(ctx, id, "saml.signing")); got.PrivateKey != "" || got.Certificate != only.Certificate {
		t.Errorf("saml.signing after the PEM upload = %+v", *got)
	}

	// A JWKS makes an OIDC client use it.
	const jwks = `{"keys":[{"kid":"k1","kty":"RSA","use":"sig","alg":"RS256","n":"u1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gunVTLw7onLRnrq0_IzW7yWR7QkrmBL7jTKEn5u-qKhbwKfBstIs-bMY2Zkp18gnTxKLxoS2tFczGkPLPgizskuemMghRniWaoLcyehkd3qqGElvW_VDL5AaWTg0nLVkjRo9z-40RQzuVaE8AkAFmxZzow3x-VJYKdjykkJ0iT9wCS0DRTXu269V264Vf_3jvredZiKRkgwlL9xNAwxXFg0x_XFw005UWVRIkdgcKWTjpBP2dPwVZ4WWC-9aGVd-Gyn1o0CLelf4rEjGoXbAAEgAqeGUxrcIlbjXfbcmw","e":"AQAB"}]}`
	jk := must[*admin.Certificate](t)(clients.UploadCertificate(ctx, id, attr, &admin.CertificateUpload{
		KeystoreFormat: admin.FormatJSONKeySet, File: []byte(jwks),
	}))
	if jk.JWKS != jwks || jk.Kid != "k1" || jk.PublicKey == "" {
		t.Errorf("JWKS upload = %+v", *jk)
	}
	c := must[*admin.ClientApp](t)(clients.Get(ctx, id))
	if c.Attributes["use.jwks.string"] != "true" || c.Attributes["jwks.string"] != jwks || c.Attributes[attr+".certificate"] != "" {
		t.Errorf("client attributes after the JWKS upload: %v", c.Attributes)
	}
}

// TestClientInstallationProviders follows ClientResource
// .getInstallationProvider and KeycloakOIDCClientInstallation: the
// keycloak.json of a confidential client, Jackson's pretty print and all.
func TestClientInstallationProviders(t *testing.T) {
	t.Parallel()
	e := setup(t)
	ctx := t.Context()
	clients := e.realm.Clients
	id := must[string](t)(clients.Create(ctx, &admin.ClientApp{ClientID: "shop", Secret: "s3cr3t"}))
	got := string(must[[]byte](t)(clients.InstallationProvider(ctx, id, "keycloak-oidc-keycloak-json")))
	want := "{\n" +
		"  \"realm\" : \"acme\",\n" +
		"  \"auth-server-url\" : \"" + e.srv.URL + "/\",\n" +
		"  \"ssl-required\" : \"external\",\n" +
		"  \"resource\" : \"shop\",\n" +
		"  \"credentials\" : {\n" +
		"    \"secret\" : \"s3cr3t\"\n" +
		"  },\n" +
		"  \"confidential-port\" : 0\n" +
		"}"
	if got != want {
		t.Errorf("keycloak.json:\n%s\nwant:\n%s", got, want)
	}
	xml := string(must[[]byte](t)(clients.InstallationProvider(ctx, id, "keycloak-oidc-jboss-subsystem")))
	if !strings.HasPrefix(xml, "<secure-deployment name=\"WAR MODULE NAME.war\">\n    <realm>acme</realm>\n") ||
		!strings.Contains(xml, "    <ssl-required>EXTERNAL</ssl-required>\n    <resource>shop</resource>\n    <credential name=\"secret\">s3cr3t</credential>\n</secure-deployment>\n") {
		t.Errorf("subsystem XML:\n%s", xml)
	}
	cli := string(must[[]byte](t)(clients.InstallationProvider(ctx, id, "keycloak-oidc-jboss-subsystem-cli")))
	if !strings.HasPrefix(cli, "/subsystem=keycloak/secure-deployment=\"WAR MODULE NAME.war\"/:add( \\\n    realm=\"acme\", \\\n") ||
		!strings.HasSuffix(cli, "    ssl-required=EXTERNAL)\n\n/subsystem=keycloak/secure-deployment=\"WAR MODULE NAME.war\"/credential=secret:add(value=s3cr3t)\n") {
		t.Errorf("subsystem CLI:\n%s", cli)
	}
	if _, err := clients.InstallationProvider(ctx, id, "saml-idp-descriptor"); !errors.Is(err, kc.ErrNotFound) {
		t.Errorf("saml-idp-descriptor: %v, want ErrNotFound (Keycloak 26 has none)", err)
	}
}
