package oidc

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rsa"
	"encoding/base64"
	"errors"
	"fmt"
	"math/big"
	"slices"
	"time"
)

// publicKey is a parsed signing key of a JWKS.
type publicKey struct {
	kid string
	alg string // the key's "alg", or "" when the key does not pin one
	key crypto.PublicKey
}

// keySet is an immutable set of parsed keys.
type keySet struct {
	byKid   map[string]*publicKey
	all     []*publicKey
	fetched time.Time // when its fetch started, by the verifier's clock
}

// parseKeySet keeps the signing keys of set it can use: use "sig" or no
// use, kty RSA, EC (P-256, P-384, P-521) or OKP (Ed25519). Encryption
// keys, symmetric keys and keys it cannot parse are skipped.
func parseKeySet(set *JSONWebKeySet) (*keySet, error) {
	ks := &keySet{byKid: map[string]*publicKey{}}
	var errs []error
	for i := range set.Keys {
		j := &set.Keys[i]
		if j.Use != "" && j.Use != "sig" {
			continue
		}
		pub, err := parseJWK(j)
		if err != nil {
			errs = append(errs, fmt.Errorf("key %q: %w", j.KeyID, err))
			continue
		}
		if pub == nil {
			continue
		}
		if j.Algorithm != "" {
			if checkKeyAlg(pub, j.Algorithm) != nil {
				continue // e.g. RSA-OAEP without "use"
			}
		}
		k := &publicKey{kid: j.KeyID, alg: j.Algorithm, key: pub}
		ks.all = append(ks.all, k)
		if k.kid != "" {
			if _, dup := ks.byKid[k.kid]; !dup {
				ks.byKid[k.kid] = k
			}
		}
	}
	if len(ks.all) == 0 {
		if len(errs) > 0 {
			return nil, fmt.Errorf("oidc: JWKS has no usable signing key: %w", errors.Join(errs...))
		}
		return nil, errors.New("oidc: JWKS has no usable signing key")
	}
	return ks, nil
}

func parseJWK(j *JSONWebKey) (crypto.PublicKey, error) {
	dec := base64.RawURLEncoding
	switch j.KeyType {
	case "RSA":
		n, err := dec.DecodeString(j.N)
		if err != nil || len(n) == 0 {
			return nil, errors.New("bad n")
		}
		e, err := dec.DecodeString(j.E)
		if err != nil || len(e) == 0 || len(e) > 4 {
			return nil, errors.New("bad e")
		}
		var ev int
		for _, b := range e {
			ev = ev<<8 | int(b)
		}
		if ev < 3 {
			return nil, errors.New("bad e")
		}
		return &rsa.PublicKey{N: new(big.Int).SetBytes(n), E: ev}, nil
	case "EC":
		var curve elliptic.Curve
		switch j.Curve {
		case "P-256":
			curve = elliptic.P256()
		case "P-384":
			curve = elliptic.P384()
		case "P-521":
			curve = elliptic.P521()
		default:
			return nil, fmt.Errorf("unsupported curve %q", j.Curve)
		}
		size := (curve.Params().BitSize + 7) / 8
		x, err1 := dec.DecodeString(j.X)
		y, err2 := dec.DecodeString(j.Y)
		if err1 != nil || err2 != nil || len(x) != size || len(y) != size {
			return nil, errors.New("bad x or y")
		}
		pt := append(append([]byte{4}, x...), y...)
		return ecdsa.ParseUncompressedPublicKey(curve, pt)
	case "OKP":
		if j.Curve != "Ed25519" {
			return nil, nil // X25519 and others do not sign
		}
		x, err := dec.DecodeString(j.X)
		if err != nil || len(x) != ed25519.PublicKeySize {
			return nil, errors.New("bad x")
		}
		return ed25519.PublicKey(x), nil
	}
	return nil, nil // "oct" and unknown types: not for verification here
}

// b64Decode appends the base64url (no padding) decoding of src to dst
// without allocating when dst has room. It accepts only the URL alphabet,
// so a header with "-" or "_" decodes and one with "+", "/" or "=" does
// not.
func b64Decode(dst []byte, src string) ([]byte, error) {
	if len(src)%4 == 1 {
		return nil, errMalformed
	}
	dst = slices.Grow(dst, b64Len(len(src)))
	i := 0
	for ; i+4 <= len(src); i += 4 {
		a, b, c, d := b64Table[src[i]], b64Table[src[i+1]], b64Table[src[i+2]], b64Table[src[i+3]]
		if (a|b|c|d)&0xc0 != 0 { // 0xff marks a byte outside the alphabet
			return nil, errMalformed
		}
		v := uint32(a)<<18 | uint32(b)<<12 | uint32(c)<<6 | uint32(d)
		dst = append(dst, byte(v>>16), byte(v>>8), byte(v))
	}
	switch len(src) - i {
	case 2:
		a, b := b64Table[src[i]], b64Table[src[i+1]]
		if (a|b)&0xc0 != 0 || b&0x0f != 0 { // non-canonical trailing bits
			return nil, errMalformed
		}
		dst = append(dst, a<<2|b>>4)
	case 3:
		a, b, c := b64Table[src[i]], b64Table[src[i+1]], b64Table[src[i+2]]
		if (a|b|c)&0xc0 != 0 || c&0x03 != 0 {
			return nil, errMalformed
		}
		v := uint32(a)<<12 | uint32(b)<<6 | uint32(c)
		dst = append(dst, byte(v>>10), byte(v>>2))
	}
	return dst, nil
}

func b64Len(n int) int { return n * 6 / 8 }

var b64Table = func() (t [256]byte) {
	for i := range t {
		t[i] = 0xff
	}
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	for i := 0; i < len(alphabet); i++ {
		t[alphabet[i]] = byte(i)
	}
	return t
}()
