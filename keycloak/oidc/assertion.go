package oidc

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/hmac"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/asn1"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"math/big"
	"time"
)

// assertionLifetime is how long a client assertion is valid.
const assertionLifetime = 60 * time.Second

// assertion returns a client assertion (RFC 7523 §2.2) for
// client_secret_jwt or private_key_jwt: iss and sub are the client ID, aud
// is the issuer (which Keycloak accepts, also in its strict audience mode),
// jti is random and exp is a minute away.
func (c *Client) assertion(issuer string) (string, error) {
	now := c.now()
	claims := struct {
		Iss string `json:"iss"`
		Sub string `json:"sub"`
		Aud string `json:"aud"`
		Jti string `json:"jti"`
		Iat int64  `json:"iat"`
		Exp int64  `json:"exp"`
	}{c.clientID, c.clientID, issuer, rand.Text(), now.Unix(), now.Add(assertionLifetime).Unix()}
	if c.cfg.method == ClientSecretJWT {
		return signJWT(hmacSigner(c.cfg.secret), "", hs256, claims)
	}
	return signJWT(c.cfg.key, c.cfg.keyID, c.cfg.keyAlg, claims)
}

type hmacSigner string

func (hmacSigner) Public() crypto.PublicKey { return nil }
func (s hmacSigner) Sign(_ io.Reader, msg []byte, _ crypto.SignerOpts) ([]byte, error) {
	m := hmac.New(sha256.New, []byte(s))
	m.Write(msg)
	return m.Sum(nil), nil
}

// signJWT signs claims as a compact JWS.
func signJWT(key crypto.Signer, kid, alg string, claims any) (string, error) {
	h := struct {
		Alg string `json:"alg"`
		Typ string `json:"typ"`
		Kid string `json:"kid,omitempty"`
	}{alg, "JWT", kid}
	hb, err := json.Marshal(h)
	if err != nil {
		return "", err
	}
	cb, err := json.Marshal(claims)
	if err != nil {
		return "", err
	}
	enc := base64.RawURLEncoding
	input := enc.EncodeToString(hb) + "." + enc.EncodeToString(cb)
	sig, err := sign(key, alg, []byte(input))
	if err != nil {
		return "", fmt.Errorf("oidc: signing client assertion: %w", err)
	}
	return input + "." + enc.EncodeToString(sig), nil
}

func sign(key crypto.Signer, alg string, msg []byte) ([]byte, error) {
	if alg == hs256 {
		return key.Sign(nil, msg, nil)
	}
	if alg == EdDSA {
		return key.Sign(rand.Reader, msg, crypto.Hash(0))
	}
	hf := hashOf(alg)
	hh := hf.New()
	hh.Write(msg)
	digest := hh.Sum(nil)
	switch alg[:2] {
	case "RS":
		return key.Sign(rand.Reader, digest, hf)
	case "PS":
		return key.Sign(rand.Reader, digest, &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthEqualsHash, Hash: hf})
	case "ES":
		der, err := key.Sign(rand.Reader, digest, hf)
		if err != nil {
			return nil, err
		}
		var rs struct{ R, S *big.Int }
		if _, err := asn1.Unmarshal(der, &rs); err != nil {
			return nil, err
		}
		size := (key.Public().(*ecdsa.PublicKey).Curve.Params().BitSize + 7) / 8
		out := make([]byte, 2*size)
		rs.R.FillBytes(out[:size])
		rs.S.FillBytes(out[size:])
		return out, nil
	}
	return nil, fmt.Errorf("unsupported algorithm %q", alg)
}

func hashOf(alg string) crypto.Hash {
	switch alg[len(alg)-3:] {
	case "384":
		return crypto.SHA384
	case "512":
		return crypto.SHA512
	}
	return crypto.SHA256
}
