package oidc

import (
	"context"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"

	"github.com/kcgo/kc"
)

// VerifyIDTokenOf checks the ID token of a token response as
// [Verifier.VerifyIDToken] does (nonce may be empty) and, when the ID
// token carries at_hash, that it matches tok.AccessToken (OpenID Connect
// Core 1.0 §3.1.3.8, §3.2.2.9): at_hash must be the base64url encoding of
// the left half of the hash of the access token, the hash being the one of
// the ID token's signature algorithm (SHA-256 for RS256, PS256 and ES256,
// SHA-384 for the *384 algorithms, SHA-512 for the *512 ones and for EdDSA
// with Ed25519, as Keycloak does). Keycloak adds at_hash to every ID token
// it issues with an access token. A mismatch wraps ErrInvalidClaims.
func (v *Verifier) VerifyIDTokenOf(ctx context.Context, tok *kc.Token, nonce string) (*Claims, error) {
	switch {
	case tok == nil:
		return nil, errors.New("oidc: tok is nil")
	case tok.IDToken == "":
		return nil, errors.New("oidc: tok.IDToken is empty (ask for the openid scope)")
	case tok.AccessToken == "":
		return nil, errors.New("oidc: tok.AccessToken is empty")
	}
	return v.verify(ctx, tok.IDToken, idToken, nonce, tok.AccessToken)
}

// checkAccessTokenHash checks an ID token's at_hash, for an ID token
// signed with alg, against accessToken.
func checkAccessTokenHash(atHash, alg, accessToken string) error {
	want := accessTokenHash(alg, accessToken)
	if subtle.ConstantTimeCompare([]byte(atHash), []byte(want)) != 1 {
		return fmt.Errorf("%w: at_hash does not match the access token", ErrInvalidClaims)
	}
	return nil
}

// accessTokenHash is the at_hash of token for an ID token signed with alg.
func accessTokenHash(alg, token string) string {
	var sum []byte
	switch alg {
	case RS384, PS384, ES384:
		s := sha512.Sum384([]byte(token))
		sum = s[:]
	case RS512, PS512, ES512, EdDSA:
		s := sha512.Sum512([]byte(token))
		sum = s[:]
	default:
		s := sha256.Sum256([]byte(token))
		sum = s[:]
	}
	return base64.RawURLEncoding.EncodeToString(sum[:len(sum)/2])
}
