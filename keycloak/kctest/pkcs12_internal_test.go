package kctest

import (
	"crypto/rsa"
	"crypto/x509"
	"slices"
	"testing"

	xpkcs12 "golang.org/x/crypto/pkcs12"
)

// TestPKCS12RoundTrip writes a keystore with a key entry and a trusted
// certificate, reads it back, and has golang.org/x/crypto/pkcs12 (an
// independent reader) check the key entry's MAC, key and certificate.
func TestPKCS12RoundTrip(t *testing.T) {
	t.Parallel()
	k1, err := poolKey(0)
	if err != nil {
		t.Fatal(err)
	}
	k2, err := poolKey(1)
	if err != nil {
		t.Fatal(err)
	}
	c1, _ := x509.ParseCertificate(k1.cert)
	c2, _ := x509.ParseCertificate(k2.cert)
	b, err := encodePKCS12([]p12Entry{{alias: "app", key: k1.priv, cert: c1}, {alias: "realm", cert: c2}}, "store-pw", "key-pw")
	if err != nil {
		t.Fatal(err)
	}
	got, err := decodePKCS12(b, "store-pw", "key-pw")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].alias != "app" || !got[0].key.(*rsa.PrivateKey).Equal(k1.priv) || !got[0].cert.Equal(c1) ||
		got[1].alias != "realm" || got[1].key != nil || !got[1].cert.Equal(c2) {
		t.Fatalf("decoded %+v", got)
	}
	if _, err := decodePKCS12(b, "wrong", "key-pw"); err == nil {
		t.Error("a wrong store password was taken")
	}
	if _, err := decodePKCS12(b, "store-pw", "wrong"); err == nil {
		t.Error("a wrong key password was taken")
	}
	// x/crypto/pkcs12 takes one password for both and one entry.
	one, err := encodePKCS12([]p12Entry{{alias: "app", key: k1.priv, cert: c1}}, "pw", "pw")
	if err != nil {
		t.Fatal(err)
	}
	key, cert, err := xpkcs12.Decode(one, "pw")
	if err != nil {
		t.Fatalf("x/crypto/pkcs12: %v", err)
	}
	if !key.(*rsa.PrivateKey).Equal(k1.priv) || !cert.Equal(c1) {
		t.Error("x/crypto/pkcs12 read another key or certificate")
	}
}

// TestJavaHashMapOrder checks the order against a keycloak.json Keycloak
// wrote for a client-jwt client (JWTClientAuthenticator's HashMap).
func TestJavaHashMapOrder(t *testing.T) {
	t.Parallel()
	in := []kv{{"client-keystore-file", 0}, {"client-keystore-type", 0}, {"client-keystore-password", 0},
		{"client-key-password", 0}, {"client-key-alias", 0}, {"token-timeout", 0}}
	var got []string
	for _, e := range javaHashMapOrder(in) {
		got = append(got, e.k)
	}
	want := []string{"client-key-password", "client-keystore-file", "client-keystore-password", "client-key-alias", "token-timeout", "client-keystore-type"}
	if !slices.Equal(got, want) {
		t.Errorf("order %q, want %q", got, want)
	}
}
