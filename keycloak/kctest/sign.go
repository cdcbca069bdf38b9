package kctest

import (
	"crypto"
	"crypto/hmac"
	"crypto/rsa"
	"fmt"
)

// signWith signs payload with the realm's active key for alg, as
// Keycloak's SignatureProvider for alg does: RS256/384/512 and
// PS256/384/512 with an active RSA signing key of that algorithm (a key
// provider's "algorithm", RS256 when unset), HS256/384/512 with an active
// HMAC key of that algorithm. A realm without such a key cannot sign
// (Keycloak: DefaultKeyManager.getActiveKey fails), nor can kctest sign
// with ES* or EdDSA.
func (rm *realm) signWith(alg string, payload any) (string, error) {
	var bestPrio int64
	var found *component
	for _, c := range rm.components {
		if c.providerType != keyProviderType || !c.boolConfig("enabled", true) || !c.boolConfig("active", true) {
			continue
		}
		calg := c.first("algorithm")
		switch keyProviderKinds[c.providerID] {
		case "sig":
			if calg == "" {
				calg = "RS256"
			}
			if c.rsa == nil {
				continue
			}
		case "hmac":
			if calg == "" {
				calg = "HS256"
			}
			if len(c.secret) == 0 {
				continue
			}
		default:
			continue
		}
		if calg == alg && (found == nil || c.priority() > bestPrio) {
			found, bestPrio = c, c.priority()
		}
	}
	if found == nil {
		return "", fmt.Errorf("kctest: realm %s has no active key for algorithm %s", rm.name, alg)
	}
	if found.rsa != nil {
		var h crypto.Hash
		pss := alg[0] == 'P'
		switch alg[2:] {
		case "256":
			h = crypto.SHA256
		case "384":
			h = crypto.SHA384
		case "512":
			h = crypto.SHA512
		}
		in, err := encodeJWT(map[string]any{"alg": alg, "typ": "JWT", "kid": found.rsa.kid}, payload)
		if err != nil {
			return "", err
		}
		hh := h.New()
		hh.Write([]byte(in))
		var sig []byte
		if pss {
			sig, err = rsa.SignPSS(nil, found.rsa.key.priv, h, hh.Sum(nil), &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthEqualsHash})
		} else {
			sig, err = rsa.SignPKCS1v15(nil, found.rsa.key.priv, h, hh.Sum(nil))
		}
		if err != nil {
			return "", err
		}
		return in + "." + b64.EncodeToString(sig), nil
	}
	in, err := encodeJWT(map[string]any{"alg": alg, "typ": "JWT", "kid": found.kid}, payload)
	if err != nil {
		return "", err
	}
	m := hmac.New(hmacHash(alg), found.secret)
	m.Write([]byte(in))
	return in + "." + b64.EncodeToString(m.Sum(nil)), nil
}
