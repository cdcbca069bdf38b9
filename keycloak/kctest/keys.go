package kctest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"slices"
	"strconv"
	"sync"
	"time"
)

// pooledKey is a pre-generated RSA key with a self-signed certificate.
type pooledKey struct {
	priv *rsa.PrivateKey
	cert []byte // DER
}

// keyPoolSize bounds the process-wide pool of RSA keys. Generating 2048-bit
// keys is slow (more so under -race), so realms share the pool's keys; each
// realm key still has its own kid.
const keyPoolSize = 4

var keyPool struct {
	mu   sync.Mutex
	keys []*pooledKey
}

// poolKey returns the pool's i-th key (modulo its size), generating it on
// first use.
func poolKey(i int) (*pooledKey, error) {
	i %= keyPoolSize
	keyPool.mu.Lock()
	defer keyPool.mu.Unlock()
	for len(keyPool.keys) <= i {
		k, err := generateKey()
		if err != nil {
			return nil, err
		}
		keyPool.keys = append(keyPool.keys, k)
	}
	return keyPool.keys[i], nil
}

func generateKey() (*pooledKey, error) {
	priv, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()),
		Subject:      pkix.Name{CommonName: "kctest"},
		NotBefore:    time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC),
		NotAfter:     time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC),
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &priv.PublicKey, priv)
	if err != nil {
		return nil, err
	}
	return &pooledKey{priv: priv, cert: der}, nil
}

// realmKey is one RSA key of a realm: a signing key, or with enc the
// encryption key (rsa-enc-generated).
type realmKey struct {
	kid string
	key *pooledKey
	enc bool
	// priority and active come from the key provider (comp) behind the key.
	priority int64
	active   bool
	comp     *component
}

// jwk is one entry of the certs endpoint.
type jwk struct {
	Kid     string   `json:"kid"`
	Kty     string   `json:"kty"`
	Alg     string   `json:"alg"`
	Use     string   `json:"use"`
	N       string   `json:"n"`
	E       string   `json:"e"`
	X5c     []string `json:"x5c,omitempty"`
	X5t     string   `json:"x5t,omitempty"`
	X5tS256 string   `json:"x5t#S256,omitempty"`
}

func (k *realmKey) jwk() jwk {
	pub := k.key.priv.PublicKey
	s1 := sha1.Sum(k.key.cert)
	s256 := sha256.Sum256(k.key.cert)
	alg, use := "RS256", "sig"
	if k.enc {
		alg, use = "RSA-OAEP", "enc"
	}
	return jwk{
		Kid: k.kid, Kty: "RSA", Alg: alg, Use: use,
		N:       b64.EncodeToString(pub.N.Bytes()),
		E:       b64.EncodeToString(big.NewInt(int64(pub.E)).Bytes()),
		X5c:     []string{base64.StdEncoding.EncodeToString(k.key.cert)},
		X5t:     b64.EncodeToString(s1[:]),
		X5tS256: b64.EncodeToString(s256[:]),
	}
}

// newRealmKey takes the next pool key that the realm does not use yet.
// Callers hold s.mu.
func (s *Server) newRealmKey(rm *realm) (*realmKey, error) {
	for range keyPoolSize {
		pk, err := poolKey(s.nextKey)
		s.nextKey++
		if err != nil {
			return nil, err
		}
		if !rm.usesKey(pk) {
			return &realmKey{kid: randomKid(), key: pk}, nil
		}
	}
	pk, err := generateKey()
	if err != nil {
		return nil, err
	}
	return &realmKey{kid: randomKid(), key: pk}, nil
}

func (rm *realm) usesKey(pk *pooledKey) bool {
	for _, c := range rm.components {
		if c.rsa != nil && c.rsa.key == pk {
			return true
		}
	}
	return false
}

// activeKey returns the key that signs new tokens: the active key with the
// highest priority (the newest of equals).
func (rm *realm) activeKey() *realmKey {
	for i := len(rm.keys) - 1; i >= 0; i-- {
		if rm.keys[i].active {
			return rm.keys[i]
		}
	}
	return rm.keys[len(rm.keys)-1]
}

// keyByKid finds a verification key.
func (rm *realm) keyByKid(kid string) *realmKey {
	for _, k := range rm.keys {
		if k.kid == kid {
			return k
		}
	}
	return nil
}

func randomKid() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return b64.EncodeToString(b)[:43]
}

// RotateKey adds a new RSA signing key to realm and makes it the active one:
// as in Keycloak, it is a new rsa-generated key provider (listed by the
// Admin API's components) with a priority above the others. The old keys
// stay in the JWKS, and tokens they signed stay valid, until
// [Server.RemoveKey].
func (s *Server) RotateKey(realmName string) (kid string, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rm := s.realms[realmName]
	if rm == nil {
		return "", fmt.Errorf("kctest: realm %q not found", realmName)
	}
	prio := int64(100)
	for _, k := range rm.keys {
		prio = max(prio, k.priority+1)
	}
	c, err := s.addKeyComponent(rm, "rsa-generated", "rsa-generated", map[string][]string{"priority": {strconv.FormatInt(prio, 10)}})
	if err != nil {
		return "", err
	}
	if err := s.refreshKeys(rm); err != nil {
		return "", err
	}
	return c.rsa.kid, nil
}

// RemoveKey removes a signing key, and the key provider behind it, from
// realm. Tokens it signed no longer verify. The active key cannot be
// removed.
func (s *Server) RemoveKey(realmName, kid string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	rm := s.realms[realmName]
	if rm == nil {
		return fmt.Errorf("kctest: realm %q not found", realmName)
	}
	for _, k := range rm.keys {
		if k.kid != kid {
			continue
		}
		if k == rm.activeKey() {
			return errors.New("kctest: cannot remove the active key " + kid)
		}
		rm.components = slices.DeleteFunc(rm.components, func(c *component) bool { return c == k.comp })
		return s.refreshKeys(rm)
	}
	return fmt.Errorf("kctest: key %q not found in realm %q", kid, realmName)
}

// ActiveKeyID returns the kid of the key that signs realm's tokens now.
func (s *Server) ActiveKeyID(realmName string) (string, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	rm := s.realms[realmName]
	if rm == nil {
		return "", fmt.Errorf("kctest: realm %q not found", realmName)
	}
	return rm.activeKey().kid, nil
}

// parseJWKS reads the public keys of a JWKS document (RSA and EC P-256/384/521).
func parseJWKS(b []byte) (map[string]any, []any, error) {
	var doc struct {
		Keys []struct {
			Kid string `json:"kid"`
			Kty string `json:"kty"`
			N   string `json:"n"`
			E   string `json:"e"`
			Crv string `json:"crv"`
			X   string `json:"x"`
			Y   string `json:"y"`
		} `json:"keys"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		return nil, nil, err
	}
	byKid := map[string]any{}
	var all []any
	for _, k := range doc.Keys {
		var pub any
		switch k.Kty {
		case "RSA":
			n, err1 := b64.DecodeString(k.N)
			e, err2 := b64.DecodeString(k.E)
			if err1 != nil || err2 != nil || len(e) > 4 {
				continue
			}
			pub = &rsa.PublicKey{N: new(big.Int).SetBytes(n), E: int(new(big.Int).SetBytes(e).Int64())}
		case "EC":
			var c elliptic.Curve
			switch k.Crv {
			case "P-256":
				c = elliptic.P256()
			case "P-384":
				c = elliptic.P384()
			case "P-521":
				c = elliptic.P521()
			default:
				continue
			}
			x, err1 := b64.DecodeString(k.X)
			y, err2 := b64.DecodeString(k.Y)
			if err1 != nil || err2 != nil {
				continue
			}
			size := (c.Params().BitSize + 7) / 8
			if len(x) > size || len(y) > size {
				continue
			}
			point := make([]byte, 1+2*size)
			point[0] = 4 // uncompressed
			copy(point[1+size-len(x):1+size], x)
			copy(point[1+2*size-len(y):], y)
			ec, err := ecdsa.ParseUncompressedPublicKey(c, point)
			if err != nil {
				continue
			}
			pub = ec
		default:
			continue
		}
		all = append(all, pub)
		if k.Kid != "" {
			byKid[k.Kid] = pub
		}
	}
	return byKid, all, nil
}

// publicKeyBase64 is the realm's public key as base64 DER (SubjectPublicKeyInfo).
func publicKeyBase64(k *realmKey) string {
	der, err := x509.MarshalPKIXPublicKey(&k.key.priv.PublicKey)
	if err != nil {
		return ""
	}
	return base64.StdEncoding.EncodeToString(der)
}
