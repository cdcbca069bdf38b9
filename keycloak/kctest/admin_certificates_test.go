package kctest_test

import (
	"bytes"
	"mime/multipart"
	"strings"
	"testing"
)

// TestAdminClientCertificatesWire pins ClientAttributeCertificateResource
// (Keycloak 26.6) and CertificateInfoHelper: statuses and error bodies of
// the key-material endpoints, and the octet-stream keystore.
func TestAdminClientCertificatesWire(t *testing.T) {
	t.Parallel()
	s, tok := startAdmin(t)
	res := adminDo(t, s, tok, "POST", "/admin/realms/acme/clients", `{"clientId":"app"}`)
	c := strings.TrimPrefix(res.header.Get("Location"), s.URL) + "/certificates/jwt.credential"
	upload := func(fields map[string]string, file string) result {
		var b bytes.Buffer
		mw := multipart.NewWriter(&b)
		for k, v := range fields {
			_ = mw.WriteField(k, v)
		}
		if file != "" {
			fw, _ := mw.CreateFormFile("file", "f")
			_, _ = fw.Write([]byte(file))
		}
		_ = mw.Close()
		return do(t, "POST", s.URL+c+"/upload", &b, "Authorization", "Bearer "+tok, "Content-Type", mw.FormDataContentType())
	}
	for _, tc := range []struct {
		name   string
		res    result
		status int
		body   string
	}{
		{"GET with nothing kept", adminDo(t, s, tok, "GET", c, ""), 200, `{}`},
		{"download before generate", adminDo(t, s, tok, "POST", c+"/download", `{"format":"PKCS12","storePassword":"x"}`), 404, `{"error":"keypair not generated for client"}`},
		{"JKS", adminDo(t, s, tok, "POST", c+"/download", `{"format":"JKS","storePassword":"x"}`), 406, `{"error":"Not supported keystore format. Supported keystore formats: [PKCS12]"}`},
		{"unknown member", adminDo(t, s, tok, "POST", c+"/download", `{"format":"PKCS12","nope":1}`), 400, `Unrecognized field \"nope\"`},
		{"generate-and-download without key password", adminDo(t, s, tok, "POST", c+"/generate-and-download", `{"format":"PKCS12","storePassword":"x"}`), 400,
			`{"error":"password-missing","error_description":"Need to specify a key password for jks generation and download"}`},
		{"no keystoreFormat", upload(map[string]string{}, "x"), 400, `{"error":"keystoreFormat cannot be null"}`},
		{"no file", upload(map[string]string{"keystoreFormat": "Certificate PEM"}, ""), 400, `{"error":"file cannot be empty"}`},
		{"JKS upload", upload(map[string]string{"keystoreFormat": "JKS", "keyAlias": "a"}, "x"), 400, `{"error":"error loading keystore"}`},
		{"JWKS without a signing key", upload(map[string]string{"keystoreFormat": "JSON Web Key Set"}, `{"keys":[]}`), 400,
			`{"error":"certificate-not-found","error_description":"Certificate or key with given alias not found in the keystore"}`},
	} {
		if tc.res.status != tc.status || !strings.Contains(string(tc.res.body), tc.body) {
			t.Errorf("%s: %d %s, want %d %s", tc.name, tc.res.status, tc.res.body, tc.status, tc.body)
		}
	}
	gen := adminDo(t, s, tok, "POST", c+"/generate", "")
	if gen.status != 200 || gen.str("privateKey") == "" || gen.str("certificate") == "" || strings.Contains(string(gen.body), "BEGIN") {
		t.Fatalf("generate: %d %s", gen.status, gen.body)
	}
	dl := adminDo(t, s, tok, "POST", c+"/download", `{"format":"PKCS12","storePassword":"x"}`)
	if dl.status != 400 || dl.str("error_description") != "Need to specify a key password for jks download" {
		t.Errorf("download without key password: %d %s", dl.status, dl.body)
	}
	dl = adminDo(t, s, tok, "POST", c+"/download", `{"format":"PKCS12","storePassword":"x","keyPassword":"y"}`)
	if dl.status != 200 || dl.header.Get("Content-Type") != "application/octet-stream" || len(dl.body) < 1000 || dl.body[0] != 0x30 {
		t.Errorf("download: %d %s %d bytes", dl.status, dl.header.Get("Content-Type"), len(dl.body))
	}
}

// TestAdminInstallationProvidersWire pins ClientResource
// .getInstallationProvider: text/plain, 404 "Unknown Provider".
func TestAdminInstallationProvidersWire(t *testing.T) {
	t.Parallel()
	s, tok := startAdmin(t)
	res := adminDo(t, s, tok, "POST", "/admin/realms/acme/clients", `{"clientId":"web","publicClient":true}`)
	c := strings.TrimPrefix(res.header.Get("Location"), s.URL) + "/installation/providers/"
	res = adminDo(t, s, tok, "GET", c+"keycloak-oidc-keycloak-json", "")
	want := "{\n  \"realm\" : \"acme\",\n  \"auth-server-url\" : \"" + s.URL + "/\",\n  \"ssl-required\" : \"external\",\n" +
		"  \"resource\" : \"web\",\n  \"public-client\" : true,\n  \"confidential-port\" : 0\n}"
	if res.status != 200 || !strings.HasPrefix(res.header.Get("Content-Type"), "text/plain") || string(res.body) != want {
		t.Errorf("keycloak.json: %d %s\n%s", res.status, res.header.Get("Content-Type"), res.body)
	}
	if res := adminDo(t, s, tok, "GET", c+"nope", ""); res.status != 404 || res.str("error") != "Unknown Provider" {
		t.Errorf("unknown provider: %d %s", res.status, res.body)
	}
}
