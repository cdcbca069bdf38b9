package kctest

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"errors"
	"fmt"
	"math/big"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Component provider types kctest acts on.
const (
	keyProviderType          = "org.keycloak.keys.KeyProvider"
	userProfileProviderType  = "org.keycloak.userprofile.UserProfileProvider"
	clientRegPolicyType      = "org.keycloak.services.clientregistration.policy.ClientRegistrationPolicy"
	userProfileConfigKey     = "kc.user.profile.config"
	declarativeUserProfileID = "declarative-user-profile"
)

// component is a ComponentModel: a key provider, the user-profile
// configuration, a client-registration policy, or any other provider a
// realm file or an admin names (kept and listed, never run).
type component struct {
	id, name     string
	providerID   string
	providerType string
	parentID     string
	subType      string
	config       map[string][]string

	// key material of a key provider: an RSA key, or an HMAC/AES secret.
	rsa    *realmKey
	secret []byte
	kid    string
}

// componentSpec describes a component of a fresh realm.
type componentSpec struct {
	name, providerID, subType string
	config                    map[string][]string
}

// first returns the first value of config key k, or "".
func (c *component) first(k string) string {
	if v := c.config[k]; len(v) > 0 {
		return v[0]
	}
	return ""
}

// boolConfig reads a "true"/"false" config value, def when absent.
func (c *component) boolConfig(k string, def bool) bool {
	v := c.first(k)
	if v == "" {
		return def
	}
	return strings.EqualFold(v, "true")
}

// priority is the key provider's priority (0 when unset).
func (c *component) priority() int64 {
	p, _ := strconv.ParseInt(c.first("priority"), 10, 64)
	return p
}

// componentByID returns the realm's component with that id, or nil.
func (rm *realm) componentByID(id string) *component {
	for _, c := range rm.components {
		if c.id == id {
			return c
		}
	}
	return nil
}

// keyProviderKinds says what each key provider kctest runs holds: an RSA
// signing key ("sig"), an RSA encryption key ("enc"), an HMAC or an AES
// secret.
var keyProviderKinds = map[string]string{
	"rsa-generated": "sig", "rsa": "sig",
	"rsa-enc-generated": "enc", "rsa-enc": "enc",
	"hmac-generated": "hmac", "aes-generated": "aes",
}

// keyProviderProperties are the configuration properties each key provider
// declares, true when secret. An admin GET shows only declared properties
// and masks the secret ones (StripSecretsUtils.stripComponent).
var keyProviderProperties = map[string]map[string]bool{
	"rsa-generated":     {"priority": false, "enabled": false, "active": false, "keySize": false, "algorithm": false},
	"rsa-enc-generated": {"priority": false, "enabled": false, "active": false, "keySize": false, "algorithm": false},
	"rsa":               {"priority": false, "enabled": false, "active": false, "privateKey": true, "certificate": false, "algorithm": false},
	"rsa-enc":           {"priority": false, "enabled": false, "active": false, "privateKey": true, "certificate": false, "algorithm": false},
	"hmac-generated":    {"priority": false, "enabled": false, "active": false, "secretSize": false, "algorithm": false},
	"aes-generated":     {"priority": false, "enabled": false, "active": false, "secretSize": false},
	"ecdsa-generated":   {"priority": false, "enabled": false, "active": false, "ecdsaEllipticCurveKey": false, "ecGenerateCertificate": false},
	"java-keystore":     {"priority": false, "enabled": false, "active": false, "keystore": false, "keystorePassword": true, "keyAlias": false, "keyPassword": true, "algorithm": false},
}

// secretConfigNames are config properties masked in components of
// providers kctest does not know (LDAP's bind credential, ...).
var secretConfigNames = []string{"bindCredential", "privateKey", "secret", "keystorePassword", "keyPassword", "clientSecret", "password"}

// rep renders c as GET .../components does: secrets masked, undeclared
// key-provider properties left out.
func (c *component) rep() map[string]any {
	cfg := map[string][]string{}
	declared := keyProviderProperties[c.providerID]
	for k, v := range c.config {
		switch {
		case c.providerType == keyProviderType && declared != nil:
			secret, ok := declared[k]
			if !ok {
				continue
			}
			if secret {
				v = []string{maskedSecret}
			}
		case slices.Contains(secretConfigNames, k):
			v = []string{maskedSecret}
		}
		cfg[k] = slices.Clone(v)
	}
	m := map[string]any{"id": c.id, "name": c.name, "providerId": c.providerID, "providerType": c.providerType,
		"parentId": c.parentID, "config": cfg}
	if c.subType != "" {
		m["subType"] = c.subType
	}
	return m
}

// loadKey prepares a key provider's key material from its configuration:
// the file's key when it has one, otherwise a generated one. Callers hold
// s.mu.
func (s *Server) loadKey(rm *realm, c *component) error {
	switch keyProviderKinds[c.providerID] {
	case "sig", "enc":
		if pk := c.first("privateKey"); pk != "" {
			k, err := parseRSAKey(pk, c.first("certificate"))
			if err != nil {
				return fmt.Errorf("kctest: key provider %q: %w", c.name, err)
			}
			c.rsa = &realmKey{kid: keycloakKid(&k.priv.PublicKey), key: k}
		} else if c.rsa == nil {
			k, err := s.newRealmKey(rm)
			if err != nil {
				return err
			}
			c.rsa = k
		}
		c.rsa.enc = keyProviderKinds[c.providerID] == "enc"
		c.rsa.comp = c
	case "hmac", "aes":
		if c.secret != nil {
			return nil
		}
		c.kid = c.first("kid")
		if c.kid == "" {
			c.kid = newID()
		}
		if sec := c.first("secret"); sec != "" {
			b, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(sec, "="))
			if err != nil {
				return fmt.Errorf("kctest: key provider %q: secret is not base64url", c.name)
			}
			c.secret = b
		} else {
			n := 64
			if keyProviderKinds[c.providerID] == "aes" {
				n = 16
			}
			if v, err := strconv.Atoi(c.first("secretSize")); err == nil && v > 0 && v <= 512 {
				n = v
			}
			c.secret = make([]byte, n)
			_, _ = rand.Read(c.secret)
		}
	}
	return nil
}

// parseRSAKey reads a private key (base64 DER, PKCS#1 or PKCS#8, or PEM)
// and its certificate (base64 DER; made up when missing).
func parseRSAKey(privB64, certB64 string) (*pooledKey, error) {
	der, err := base64.StdEncoding.DecodeString(stripPEM(privB64))
	if err != nil {
		return nil, errors.New("privateKey is not base64")
	}
	var priv *rsa.PrivateKey
	if k, err := x509.ParsePKCS1PrivateKey(der); err == nil {
		priv = k
	} else if k8, err := x509.ParsePKCS8PrivateKey(der); err == nil {
		rk, ok := k8.(*rsa.PrivateKey)
		if !ok {
			return nil, errors.New("privateKey is not an RSA key")
		}
		priv = rk
	} else {
		return nil, errors.New("privateKey is neither PKCS#1 nor PKCS#8")
	}
	var cert []byte
	if certB64 != "" {
		cert, err = base64.StdEncoding.DecodeString(stripPEM(certB64))
		if err != nil {
			return nil, errors.New("certificate is not base64")
		}
		if _, err := x509.ParseCertificate(cert); err != nil {
			return nil, errors.New("certificate is not X.509 DER")
		}
	} else {
		tmpl := &x509.Certificate{
			SerialNumber: big.NewInt(time.Now().UnixNano()),
			Subject:      pkix.Name{CommonName: "kctest"},
			NotBefore:    time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC),
			NotAfter:     time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC),
		}
		if cert, err = x509.CreateCertificate(rand.Reader, tmpl, tmpl, &priv.PublicKey, priv); err != nil {
			return nil, err
		}
	}
	return &pooledKey{priv: priv, cert: cert}, nil
}

// stripPEM removes PEM armour and white space from s.
func stripPEM(s string) string {
	var b strings.Builder
	for _, line := range strings.Split(s, "\n") {
		line = strings.TrimSpace(line)
		if strings.HasPrefix(line, "-----") {
			continue
		}
		b.WriteString(line)
	}
	return strings.Join(strings.Fields(b.String()), "")
}

// keycloakKid is the kid Keycloak gives an RSA key (KeyUtils.createKeyId):
// base64url SHA-256 of the public key's X.509 encoding.
func keycloakKid(pub *rsa.PublicKey) string {
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		return randomKid()
	}
	sum := sha256.Sum256(der)
	return b64.EncodeToString(sum[:])
}

// addKeyComponent adds a key provider with config and loads its key.
// Callers hold s.mu.
func (s *Server) addKeyComponent(rm *realm, name, providerID string, config map[string][]string) (*component, error) {
	c := &component{id: newID(), name: name, providerID: providerID, providerType: keyProviderType, parentID: rm.id, config: config}
	if err := s.loadKey(rm, c); err != nil {
		return nil, err
	}
	rm.components = append(rm.components, c)
	return c, nil
}

// addDefaultKeys adds the key providers Keycloak gives a new realm
// (DefaultKeyProviders.createProviders): RS256 signing, RSA-OAEP
// encryption, HS512 and AES secrets.
func (s *Server) addDefaultKeys(rm *realm) error {
	for _, spec := range []componentSpec{
		{name: "rsa-generated", providerID: "rsa-generated", config: map[string][]string{"priority": {"100"}}},
		{name: "rsa-enc-generated", providerID: "rsa-enc-generated", config: map[string][]string{"priority": {"100"}, "algorithm": {"RSA-OAEP"}}},
		{name: "hmac-generated-hs512", providerID: "hmac-generated", config: map[string][]string{"priority": {"100"}, "algorithm": {"HS512"}}},
		{name: "aes-generated", providerID: "aes-generated", config: map[string][]string{"priority": {"100"}}},
	} {
		if _, err := s.addKeyComponent(rm, spec.name, spec.providerID, spec.config); err != nil {
			return err
		}
	}
	return nil
}

// refreshKeys recomputes the realm's keys from its key providers: the
// enabled RSA signing keys by priority (the active one with the highest
// priority signs), the encryption key and the HS512 secret. As Keycloak's
// DefaultKeyManager does, a realm left without an active RS256 or HS512
// key gets a fallback provider. Callers hold s.mu.
func (s *Server) refreshKeys(rm *realm) error {
	var sig []*realmKey
	var enc *realmKey
	var hmac *component
	for _, c := range rm.components {
		if c.providerType != keyProviderType || !c.boolConfig("enabled", true) {
			continue
		}
		active := c.boolConfig("active", true)
		switch keyProviderKinds[c.providerID] {
		case "sig":
			if c.rsa == nil {
				continue
			}
			if a := c.first("algorithm"); a != "" && a != "RS256" {
				continue // kctest signs with RS256 only
			}
			c.rsa.priority, c.rsa.active = c.priority(), active
			sig = append(sig, c.rsa)
		case "enc":
			if c.rsa != nil && active && (enc == nil || c.priority() > enc.comp.priority()) {
				enc = c.rsa
			}
		case "hmac":
			if c.first("algorithm") == "HS512" && active && (hmac == nil || c.priority() > hmac.priority()) {
				hmac = c
			}
		}
	}
	slices.SortStableFunc(sig, func(a, b *realmKey) int {
		switch {
		case a.priority < b.priority:
			return -1
		case a.priority > b.priority:
			return 1
		}
		return 0
	})
	if !slices.ContainsFunc(sig, func(k *realmKey) bool { return k.active }) {
		c, err := s.addKeyComponent(rm, "fallback-RS256", "rsa-generated", map[string][]string{"priority": {"-100"}, "algorithm": {"RS256"}})
		if err != nil {
			return err
		}
		c.rsa.priority, c.rsa.active = -100, true
		sig = append([]*realmKey{c.rsa}, sig...)
	}
	if hmac == nil {
		c, err := s.addKeyComponent(rm, "fallback-HS512", "hmac-generated", map[string][]string{"priority": {"-100"}, "algorithm": {"HS512"}})
		if err != nil {
			return err
		}
		hmac = c
	}
	rm.keys, rm.encKey = sig, enc
	rm.hmacKid, rm.hmacSecret = hmac.kid, hmac.secret
	return nil
}

// userProfileComponent returns the realm's user-profile component, or nil.
func (rm *realm) userProfileComponent() *component {
	for _, c := range rm.components {
		if c.providerType == userProfileProviderType {
			return c
		}
	}
	return nil
}

// setUserProfile stores the user-profile configuration in the realm's
// user-profile component, creating it on first use, as Keycloak's
// DeclarativeUserProfileProvider does.
func (rm *realm) setUserProfile(raw []byte, cfg *upConfig) {
	st := rm.adminState()
	st.userProfile, st.userProfileParsed = raw, cfg
	c := rm.userProfileComponent()
	if c == nil {
		c = &component{id: newID(), providerID: declarativeUserProfileID, providerType: userProfileProviderType, parentID: rm.id, config: map[string][]string{}}
		rm.components = append(rm.components, c)
	}
	c.config[userProfileConfigKey] = []string{string(raw)}
}

// cloneConfig copies a component configuration.
func cloneConfig(in map[string][]string) map[string][]string {
	out := make(map[string][]string, len(in))
	for k, v := range in {
		out[k] = slices.Clone(v)
	}
	return out
}
