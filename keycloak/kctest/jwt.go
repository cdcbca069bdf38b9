package kctest

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/hmac"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/json"
	"errors"
	"hash"
	"math/big"
	"strings"
)

var b64 = base64.RawURLEncoding

// claims is a decoded JWT payload.
type claims map[string]any

func (c claims) str(k string) string {
	s, _ := c[k].(string)
	return s
}

func (c claims) num(k string) int64 {
	switch v := c[k].(type) {
	case float64:
		return int64(v)
	case int64:
		return v
	case int:
		return int64(v)
	case json.Number:
		n, _ := v.Int64()
		return n
	}
	return 0
}

// audiences returns aud as a list whether it is a string or an array.
func (c claims) audiences() []string {
	switch v := c["aud"].(type) {
	case string:
		return []string{v}
	case []any:
		out := make([]string, 0, len(v))
		for _, a := range v {
			if s, ok := a.(string); ok {
				out = append(out, s)
			}
		}
		return out
	case []string:
		return v
	}
	return nil
}

// jwtToken is a parsed, not yet verified, compact JWS.
type jwtToken struct {
	header       map[string]any
	claims       claims
	signingInput string
	signature    []byte
}

func (t *jwtToken) alg() string { s, _ := t.header["alg"].(string); return s }
func (t *jwtToken) kid() string { s, _ := t.header["kid"].(string); return s }

var errMalformedJWT = errors.New("malformed JWT")

// parseJWT splits and decodes a compact JWS without verifying it.
func parseJWT(s string) (*jwtToken, error) {
	parts := strings.Split(s, ".")
	if len(parts) != 3 {
		return nil, errMalformedJWT
	}
	hb, err := b64.DecodeString(parts[0])
	if err != nil {
		return nil, errMalformedJWT
	}
	pb, err := b64.DecodeString(parts[1])
	if err != nil {
		return nil, errMalformedJWT
	}
	sig, err := b64.DecodeString(parts[2])
	if err != nil {
		return nil, errMalformedJWT
	}
	t := &jwtToken{signingInput: parts[0] + "." + parts[1], signature: sig}
	if err := json.Unmarshal(hb, &t.header); err != nil || t.header == nil {
		return nil, errMalformedJWT
	}
	if err := json.Unmarshal(pb, &t.claims); err != nil || t.claims == nil {
		return nil, errMalformedJWT
	}
	return t, nil
}

func encodeJWT(header map[string]any, payload any) (string, error) {
	hb, err := json.Marshal(header)
	if err != nil {
		return "", err
	}
	pb, err := json.Marshal(payload)
	if err != nil {
		return "", err
	}
	return b64.EncodeToString(hb) + "." + b64.EncodeToString(pb), nil
}

// signRS256 signs payload with key, setting kid and typ "JWT" in the header.
func signRS256(key *rsa.PrivateKey, kid string, payload any) (string, error) {
	in, err := encodeJWT(map[string]any{"alg": "RS256", "typ": "JWT", "kid": kid}, payload)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256([]byte(in))
	sig, err := rsa.SignPKCS1v15(nil, key, crypto.SHA256, sum[:])
	if err != nil {
		return "", err
	}
	return in + "." + b64.EncodeToString(sig), nil
}

// signHS512 signs payload with an HMAC secret, as Keycloak signs refresh tokens.
func signHS512(secret []byte, kid string, payload any) (string, error) {
	in, err := encodeJWT(map[string]any{"alg": "HS512", "typ": "JWT", "kid": kid}, payload)
	if err != nil {
		return "", err
	}
	m := hmac.New(sha512.New, secret)
	m.Write([]byte(in))
	return in + "." + b64.EncodeToString(m.Sum(nil)), nil
}

func hmacHash(alg string) func() hash.Hash {
	switch alg {
	case "HS256":
		return sha256.New
	case "HS384":
		return sha512.New384
	case "HS512":
		return sha512.New
	}
	return nil
}

// verifyHMAC checks an HS256/384/512 signature.
func verifyHMAC(t *jwtToken, secret []byte) bool {
	h := hmacHash(t.alg())
	if h == nil || len(secret) == 0 {
		return false
	}
	m := hmac.New(h, secret)
	m.Write([]byte(t.signingInput))
	return hmac.Equal(m.Sum(nil), t.signature)
}

// verifyPublic checks an RS*, PS* or ES* signature with pub.
func verifyPublic(t *jwtToken, pub crypto.PublicKey) bool {
	var hf crypto.Hash
	switch t.alg()[2:] {
	case "256":
		hf = crypto.SHA256
	case "384":
		hf = crypto.SHA384
	case "512":
		hf = crypto.SHA512
	default:
		return false
	}
	h := hf.New()
	h.Write([]byte(t.signingInput))
	sum := h.Sum(nil)
	switch k := pub.(type) {
	case *rsa.PublicKey:
		switch t.alg()[:2] {
		case "RS":
			return rsa.VerifyPKCS1v15(k, hf, sum, t.signature) == nil
		case "PS":
			return rsa.VerifyPSS(k, hf, sum, t.signature, nil) == nil
		}
	case *ecdsa.PublicKey:
		if t.alg()[:2] != "ES" {
			return false
		}
		n := (k.Curve.Params().BitSize + 7) / 8
		if len(t.signature) != 2*n {
			return false
		}
		r := new(big.Int).SetBytes(t.signature[:n])
		s := new(big.Int).SetBytes(t.signature[n:])
		return ecdsa.Verify(k, sum, r, s)
	}
	return false
}
