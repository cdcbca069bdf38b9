package kctest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"io"
	"math/big"
	"mime"
	"mime/multipart"
	"net/http"
	"strings"
	"time"
)

// The client certificate endpoints, as Keycloak's
// ClientAttributeCertificateResource and CertificateInfoHelper serve them:
// a client keeps, under an attribute prefix such as "jwt.credential" or
// "saml.signing", "{prefix}.certificate" (base64 DER, no PEM armour),
// "{prefix}.private.key" (base64 PKCS#8), "{prefix}.public.key" and
// "{prefix}.kid"; an OIDC client may instead keep a JWKS
// ("use.jwks.string", "jwks.string").
//
// Keystores: kctest reads and writes PKCS#12 (pkcs12.go). It answers JKS
// and BCFKS as a Keycloak whose crypto provider lacks them answers: 406
// for a download, 400 "error loading keystore" for an upload. Generated
// key pairs are 2048-bit RSA keys taken in turn from kctest's key pool,
// whatever keySize asks, with a fresh self-signed certificate.

const (
	certificatePEM = "Certificate PEM"
	publicKeyPEM   = "Public Key PEM"
	jsonWebKeySet  = "JSON Web Key Set"
)

// supportedKeystores is what kctest's "crypto provider" supports, in the
// words of checkKeystoreFormat's message.
const supportedKeystores = "[PKCS12]"

// certInfo is a CertificateRepresentation; nil members are left out.
type certInfo struct {
	PrivateKey  string `json:"privateKey,omitempty"`
	PublicKey   string `json:"publicKey,omitempty"`
	Certificate string `json:"certificate,omitempty"`
	Kid         string `json:"kid,omitempty"`
	JWKS        string `json:"jwks,omitempty"`
}

// keyStoreConfig is a KeyStoreConfig.
type keyStoreConfig struct {
	RealmCertificate *bool   `json:"realmCertificate"`
	StorePassword    *string `json:"storePassword"`
	KeyPassword      *string `json:"keyPassword"`
	KeyAlias         *string `json:"keyAlias"`
	RealmAlias       *string `json:"realmAlias"`
	Format           *string `json:"format"`
	KeySize          *int    `json:"keySize"`
	Validity         *int    `json:"validity"`
}

func (s *Server) registerAdminCertificates(mux *http.ServeMux) {
	const p = "/admin/realms/{realm}/clients/{client}/certificates/{attr}"
	s.handle(mux, "GET", p, s.admin(permViewClients, s.withClient(func(w http.ResponseWriter, r *http.Request, _ *realm, c *client) {
		info, ok := certificateFromClient(c, r.PathValue("attr"))
		if !ok {
			writeGenericError(w, http.StatusInternalServerError, "unknown_error")
			return
		}
		writeJSON(w, http.StatusOK, info)
	})))
	s.handle(mux, "POST", p+"/generate", s.admin(permManageClients, s.withClient(s.adminGenerateCertificate)))
	s.handle(mux, "POST", p+"/download", s.admin(permViewClients, s.withClient(s.adminDownloadKeystore)))
	s.handle(mux, "POST", p+"/generate-and-download", s.admin(permManageClients, s.withClient(s.adminGenerateAndDownload)))
	s.handle(mux, "POST", p+"/upload", s.admin(permManageClients, s.withClient(s.adminUploadCertificate)))
	s.handle(mux, "POST", p+"/upload-certificate", s.admin(permManageClients, s.withClient(s.adminUploadCertificate)))
}

// certificateFromClient is CertificateInfoHelper.getCertificateFromClient.
func certificateFromClient(c *client, prefix string) (certInfo, bool) {
	if c.protocol != "saml" && c.attributes["use.jwks.string"] == "true" {
		info, err := jwksCertificate(c.attributes["jwks.string"])
		return info, err == nil
	}
	return certInfo{
		Certificate: c.attributes[prefix+".certificate"], PublicKey: c.attributes[prefix+".public.key"],
		PrivateKey: c.attributes[prefix+".private.key"], Kid: c.attributes[prefix+".kid"],
	}, true
}

// setClientCertificate is CertificateInfoHelper.updateClientModelCertificateInfo:
// exactly one of certificate and public key; the JWKS of an OIDC client
// goes.
func setClientCertificate(c *client, prefix string, info certInfo) bool {
	if (info.PublicKey == "") == (info.Certificate == "") {
		return false
	}
	if c.attributes == nil {
		c.attributes = map[string]string{}
	}
	set := func(k, v string) {
		if v == "" {
			delete(c.attributes, k)
		} else {
			c.attributes[k] = v
		}
	}
	set(prefix+".private.key", info.PrivateKey)
	set(prefix+".public.key", info.PublicKey)
	set(prefix+".certificate", info.Certificate)
	set(prefix+".kid", info.Kid)
	if c.protocol != "saml" {
		set("use.jwks.string", "")
		set("jwks.string", "")
	}
	return true
}

// newClientKeyPair is KeycloakModelUtils.generateKeyPairCertificate: a key
// pair and a self-signed certificate whose subject is the client's
// clientId, valid for years.
func (s *Server) newClientKeyPair(c *client, years int) (*rsa.PrivateKey, *x509.Certificate, error) {
	pk, err := poolKey(s.nextKey)
	s.nextKey++
	if err != nil {
		return nil, nil, err
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 62))
	if err != nil {
		return nil, nil, err
	}
	now := s.clock.Now()
	tmpl := &x509.Certificate{
		SerialNumber: serial, Subject: pkix.Name{CommonName: c.clientID},
		NotBefore: now.Add(-24 * time.Hour), NotAfter: now.AddDate(years, 0, 0),
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &pk.priv.PublicKey, pk.priv)
	if err != nil {
		return nil, nil, err
	}
	cert, err := x509.ParseCertificate(der)
	return pk.priv, cert, err
}

func pkcs8Base64(key any) string {
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return ""
	}
	return base64.StdEncoding.EncodeToString(der)
}

func (s *Server) adminGenerateCertificate(w http.ResponseWriter, r *http.Request, _ *realm, c *client) {
	key, cert, err := s.newClientKeyPair(c, 3)
	if err != nil {
		writeError(w, err)
		return
	}
	info := certInfo{PrivateKey: pkcs8Base64(key), Certificate: base64.StdEncoding.EncodeToString(cert.Raw)}
	setClientCertificate(c, r.PathValue("attr"), info)
	writeJSON(w, http.StatusOK, info)
}

// readKeyStoreConfig decodes a KeyStoreConfig and checks its format as
// ClientAttributeCertificateResource.checkKeystoreFormat does (406 for a
// format the provider does not support).
func readKeyStoreConfig(w http.ResponseWriter, r *http.Request) (*keyStoreConfig, bool) {
	var cfg keyStoreConfig
	if !decodeAdminJSON(w, r, &cfg) {
		return nil, false
	}
	if cfg.Format != nil && strings.ToUpper(*cfg.Format) != "PKCS12" {
		writeGenericError(w, http.StatusNotAcceptable, "Not supported keystore format. Supported keystore formats: "+supportedKeystores)
		return nil, false
	}
	return &cfg, true
}

func (s *Server) adminDownloadKeystore(w http.ResponseWriter, r *http.Request, rm *realm, c *client) {
	cfg, ok := readKeyStoreConfig(w, r)
	if !ok {
		return
	}
	info, ok := certificateFromClient(c, r.PathValue("attr"))
	if !ok {
		writeGenericError(w, http.StatusInternalServerError, "unknown_error")
		return
	}
	if info.PrivateKey == "" && info.Certificate == "" {
		writeGenericError(w, http.StatusNotFound, "keypair not generated for client")
		return
	}
	if info.PrivateKey != "" && cfg.KeyPassword == nil {
		writeOAuthError(w, http.StatusBadRequest, "password-missing", "Need to specify a key password for jks download")
		return
	}
	if cfg.StorePassword == nil {
		writeOAuthError(w, http.StatusBadRequest, "password-missing", "Need to specify a store password for jks download")
		return
	}
	var key any
	if info.PrivateKey != "" {
		der, _ := base64.StdEncoding.DecodeString(info.PrivateKey)
		k, err := x509.ParsePKCS8PrivateKey(der)
		if err != nil {
			writeGenericError(w, http.StatusInternalServerError, "unknown_error")
			return
		}
		key = k
	}
	cert, err := parseCertificateText(info.Certificate)
	if err != nil {
		writeGenericError(w, http.StatusInternalServerError, "unknown_error")
		return
	}
	s.writeKeystore(w, rm, c, cfg, key, cert)
}

func (s *Server) adminGenerateAndDownload(w http.ResponseWriter, r *http.Request, rm *realm, c *client) {
	cfg, ok := readKeyStoreConfig(w, r)
	if !ok {
		return
	}
	if cfg.KeyPassword == nil {
		writeOAuthError(w, http.StatusBadRequest, "password-missing", "Need to specify a key password for jks generation and download")
		return
	}
	if cfg.StorePassword == nil {
		writeOAuthError(w, http.StatusBadRequest, "password-missing", "Need to specify a store password for jks generation and download")
		return
	}
	years := 3
	if cfg.Validity != nil && *cfg.Validity > 0 {
		years = *cfg.Validity
	}
	key, cert, err := s.newClientKeyPair(c, years)
	if err != nil {
		writeError(w, err)
		return
	}
	if !s.writeKeystore(w, rm, c, cfg, key, cert) {
		return
	}
	// Only the certificate is kept: the private key leaves with the
	// keystore.
	setClientCertificate(c, r.PathValue("attr"), certInfo{Certificate: base64.StdEncoding.EncodeToString(cert.Raw)})
}

// writeKeystore answers the keystore of getKeystore: the client's entry
// (a key entry, or a trusted certificate without a key) under keyAlias or
// the clientId, and the realm's certificate under realmAlias or the realm
// name unless realmCertificate is false. A missing format is the 500
// Keycloak answers (KeystoreFormat.valueOf(null)).
func (s *Server) writeKeystore(w http.ResponseWriter, rm *realm, c *client, cfg *keyStoreConfig, key any, cert *x509.Certificate) bool {
	if cfg.Format == nil {
		writeOAuthError(w, http.StatusInternalServerError, "unknown_error", "For more on this error consult the server log.")
		return false
	}
	alias := c.clientID
	if cfg.KeyAlias != nil {
		alias = *cfg.KeyAlias
	}
	entries := []p12Entry{{alias: alias, key: key, cert: cert}}
	if cfg.RealmCertificate == nil || *cfg.RealmCertificate {
		realmCert, err := x509.ParseCertificate(rm.activeKey().key.cert)
		if err != nil {
			writeError(w, err)
			return false
		}
		realmAlias := rm.name
		if cfg.RealmAlias != nil {
			realmAlias = *cfg.RealmAlias
		}
		entries = append(entries, p12Entry{alias: realmAlias, cert: realmCert})
	}
	keyPassword := ""
	if cfg.KeyPassword != nil {
		keyPassword = strings.TrimSpace(*cfg.KeyPassword)
	}
	b, err := encodePKCS12(entries, strings.TrimSpace(*cfg.StorePassword), keyPassword)
	if err != nil {
		writeError(w, err)
		return false
	}
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Cache-Control", "no-cache")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(b)
	return true
}

// parseCertificateText parses a certificate as Keycloak stores it (base64
// DER) or as PEM.
func parseCertificateText(text string) (*x509.Certificate, error) {
	if blk, _ := pem.Decode([]byte(text)); blk != nil {
		return x509.ParseCertificate(blk.Bytes)
	}
	der, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(text), ""))
	if err != nil {
		return nil, err
	}
	return x509.ParseCertificate(der)
}

// removeBeginEnd is PemUtils.removeBeginEnd: the PEM armour and the line
// breaks go.
func removeBeginEnd(pemText string) string {
	var b strings.Builder
	for line := range strings.SplitSeq(pemText, "\n") {
		line = strings.TrimSpace(line)
		if strings.HasPrefix(line, "-----") {
			continue
		}
		b.WriteString(line)
	}
	return b.String()
}

// readMultipart reads the fields of a multipart/form-data body, the first
// value of each, bounded as every admin body is.
func readMultipart(r *http.Request) (map[string][]byte, bool) {
	mt, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || !strings.HasPrefix(mt, "multipart/") || params["boundary"] == "" {
		return nil, false
	}
	mr := multipart.NewReader(http.MaxBytesReader(nil, r.Body, maxBodyBytes), params["boundary"])
	out := map[string][]byte{}
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			return out, true
		}
		if err != nil {
			return nil, false
		}
		b, err := io.ReadAll(p)
		if err != nil {
			return nil, false
		}
		if _, dup := out[p.FormName()]; !dup {
			out[p.FormName()] = b
		}
	}
}

// adminUploadCertificate serves upload and upload-certificate, which
// Keycloak 26.6 answers alike (updateCertFromRequest): the key material of
// the form replaces the client's; a JWKS makes an OIDC client use it.
func (s *Server) adminUploadCertificate(w http.ResponseWriter, r *http.Request, _ *realm, c *client) {
	form, ok := readMultipart(r)
	if !ok {
		writeGenericError(w, http.StatusUnsupportedMediaType, "HTTP 415 Unsupported Media Type")
		return
	}
	info, ok := certificateFromForm(w, form)
	if !ok {
		return
	}
	prefix := r.PathValue("attr")
	if info.JWKS != "" && c.protocol != "saml" {
		for _, k := range []string{".private.key", ".public.key", ".certificate", ".kid"} {
			delete(c.attributes, prefix+k)
		}
		if c.attributes == nil {
			c.attributes = map[string]string{}
		}
		c.attributes["use.jwks.string"] = "true"
		c.attributes["jwks.string"] = info.JWKS
		writeJSON(w, http.StatusOK, info)
		return
	}
	if !setClientCertificate(c, prefix, info) {
		writeCertificateNotFound(w)
		return
	}
	writeJSON(w, http.StatusOK, info)
}

func writeCertificateNotFound(w http.ResponseWriter) {
	writeOAuthError(w, http.StatusBadRequest, "certificate-not-found", "Certificate or key with given alias not found in the keystore")
}

// certificateFromForm is CertificateInfoHelper.getCertificateFromRequest:
// a certificate or public key PEM, a JWKS, or a keystore with keyAlias,
// keyPassword and storePassword. It answers the error and returns false
// when the form is wrong.
func certificateFromForm(w http.ResponseWriter, form map[string][]byte) (certInfo, bool) {
	format, ok := form["keystoreFormat"]
	if !ok {
		writeGenericError(w, http.StatusBadRequest, "keystoreFormat cannot be null")
		return certInfo{}, false
	}
	file := form["file"]
	if len(file) == 0 {
		writeGenericError(w, http.StatusBadRequest, "file cannot be empty")
		return certInfo{}, false
	}
	serverError := func() (certInfo, bool) {
		writeOAuthError(w, http.StatusInternalServerError, "unknown_error", "For more on this error consult the server log.")
		return certInfo{}, false
	}
	var info certInfo
	switch string(format) {
	case certificatePEM:
		text := removeBeginEnd(string(file))
		if _, err := parseCertificateText(text); err != nil {
			return serverError()
		}
		info.Certificate = text
	case publicKeyPEM:
		text := string(file)
		der, err := base64.StdEncoding.DecodeString(removeBeginEnd(text))
		if err == nil {
			_, err = x509.ParsePKIXPublicKey(der)
		}
		if err != nil {
			return serverError()
		}
		info.PublicKey = text
	case jsonWebKeySet:
		var err error
		if info, err = jwksCertificate(string(file)); err != nil {
			writeCertificateNotFound(w)
			return certInfo{}, false
		}
	default:
		if string(format) != "PKCS12" {
			writeGenericError(w, http.StatusBadRequest, "error loading keystore")
			return certInfo{}, false
		}
		entries, err := decodePKCS12(file, string(form["storePassword"]), string(form["keyPassword"]))
		if err != nil {
			writeGenericError(w, http.StatusBadRequest, "error loading keystore")
			return certInfo{}, false
		}
		alias := string(form["keyAlias"])
		for _, e := range entries {
			if e.alias != alias {
				continue
			}
			if e.key != nil {
				info.PrivateKey = pkcs8Base64(e.key)
			}
			if e.cert != nil {
				info.Certificate = base64.StdEncoding.EncodeToString(e.cert.Raw)
			}
			break
		}
	}
	return info, true
}

// jwksCertificate is CertificateInfoHelper.jwksStringToSigCertificateRepresentation:
// the JWKS, and the public key (base64 SPKI) and kid of its signing key.
func jwksCertificate(jwks string) (certInfo, error) {
	var set struct {
		Keys []struct {
			Kid string `json:"kid"`
			Kty string `json:"kty"`
			Use string `json:"use"`
			N   string `json:"n"`
			E   string `json:"e"`
			Crv string `json:"crv"`
			X   string `json:"x"`
			Y   string `json:"y"`
		} `json:"keys"`
	}
	if err := json.Unmarshal([]byte(jwks), &set); err != nil || set.Keys == nil {
		return certInfo{}, errBadJWKS
	}
	for _, k := range set.Keys {
		if k.Use != "" && k.Use != "sig" {
			continue
		}
		var pub any
		switch k.Kty {
		case "RSA":
			n, err1 := b64.DecodeString(k.N)
			e, err2 := b64.DecodeString(k.E)
			if err1 != nil || err2 != nil {
				return certInfo{}, errBadJWKS
			}
			pub = &rsa.PublicKey{N: new(big.Int).SetBytes(n), E: int(new(big.Int).SetBytes(e).Int64())}
		case "EC":
			curve := map[string]elliptic.Curve{"P-256": elliptic.P256(), "P-384": elliptic.P384(), "P-521": elliptic.P521()}[k.Crv]
			x, err1 := b64.DecodeString(k.X)
			y, err2 := b64.DecodeString(k.Y)
			if curve == nil || err1 != nil || err2 != nil {
				return certInfo{}, errBadJWKS
			}
			size := (curve.Params().BitSize + 7) / 8
			if len(x) > size || len(y) > size {
				return certInfo{}, errBadJWKS
			}
			point := make([]byte, 1+2*size)
			point[0] = 4
			copy(point[1+size-len(x):], x)
			copy(point[1+2*size-len(y):], y)
			ec, err := ecdsa.ParseUncompressedPublicKey(curve, point)
			if err != nil {
				return certInfo{}, errBadJWKS
			}
			pub = ec
		default:
			continue
		}
		der, err := x509.MarshalPKIXPublicKey(pub)
		if err != nil {
			return certInfo{}, errBadJWKS
		}
		return certInfo{JWKS: jwks, PublicKey: base64.StdEncoding.EncodeToString(der), Kid: k.Kid}, nil
	}
	return certInfo{}, errBadJWKS
}

type jwksError string

func (e jwksError) Error() string { return string(e) }

const errBadJWKS = jwksError("Certificate not found for use sig")
