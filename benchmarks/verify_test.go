package benchmarks

import (
	"context"
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/coreos/go-oidc/v3/oidc"
	"github.com/golang-jwt/jwt/v5"
)

// verified is what each verifier must get out of the token.
type verified struct {
	Subject string
	Roles   []string
}

// verifyFunc verifies the token and returns what it says.
type verifyFunc func(ctx context.Context, token string) (verified, error)

// keycloakClaims is the part of a Keycloak access token a caller of
// go-oidc or golang-jwt decodes to read the realm roles.
type keycloakClaims struct {
	Subject     string `json:"sub"`
	RealmAccess struct {
		Roles []string `json:"roles"`
	} `json:"realm_access"`
}

// goOIDCVerify is coreos/go-oidc: discovery, a RemoteKeySet (cached once
// warm), the verifier checking issuer, audience, expiry and signature;
// decodeClaims also decodes the roles, as a caller must to read them.
func goOIDCVerify(tb testing.TB, f *verifyFixture, decodeClaims bool) verifyFunc {
	p, err := oidc.NewProvider(tb.Context(), f.issuer)
	if err != nil {
		tb.Fatal(err)
	}
	v := p.Verifier(&oidc.Config{ClientID: verifyClientID})
	return func(ctx context.Context, token string) (verified, error) {
		idt, err := v.Verify(ctx, token)
		if err != nil {
			return verified{}, err
		}
		if !decodeClaims {
			return verified{Subject: idt.Subject}, nil
		}
		var c keycloakClaims
		if err := idt.Claims(&c); err != nil {
			return verified{}, err
		}
		return verified{Subject: c.Subject, Roles: c.RealmAccess.Roles}, nil
	}
}

type jwtClaims struct {
	jwt.RegisteredClaims
	RealmAccess struct {
		Roles []string `json:"roles"`
	} `json:"realm_access"`
}

// golangJWTVerify is golang-jwt/jwt/v5 with the public key parsed
// beforehand: RS256 only, issuer, audience and expiry checked.
func golangJWTVerify(f *verifyFixture) verifyFunc {
	pub := &f.key.PublicKey
	parser := jwt.NewParser(
		jwt.WithValidMethods([]string{"RS256"}),
		jwt.WithIssuer(f.issuer),
		jwt.WithAudience(verifyClientID),
		jwt.WithExpirationRequired(),
	)
	keyFunc := func(t *jwt.Token) (any, error) {
		if kid, _ := t.Header["kid"].(string); kid != verifyKid {
			return nil, errors.New("unknown kid")
		}
		return pub, nil
	}
	return func(_ context.Context, token string) (verified, error) {
		var c jwtClaims
		if _, err := parser.ParseWithClaims(token, &c, keyFunc); err != nil {
			return verified{}, err
		}
		return verified{Subject: c.Subject, Roles: c.RealmAccess.Roles}, nil
	}
}

// rsaFloor is the least any verifier must do: SHA-256 of the signing
// input and crypto/rsa.VerifyPKCS1v15. It checks no claim.
func rsaFloor(f *verifyFixture) verifyFunc {
	pub := &f.key.PublicKey
	return func(_ context.Context, token string) (verified, error) {
		i := strings.LastIndexByte(token, '.')
		if i < 0 {
			return verified{}, errors.New("malformed token")
		}
		sig, err := base64.RawURLEncoding.DecodeString(token[i+1:])
		if err != nil {
			return verified{}, err
		}
		sum := sha256.Sum256([]byte(token[:i]))
		return verified{}, rsa.VerifyPKCS1v15(pub, crypto.SHA256, sum[:], sig)
	}
}

// verifiers lists the sides of the comparison, kc first.
func verifiers(tb testing.TB, f *verifyFixture) []struct {
	name string
	fn   verifyFunc
} {
	type side = struct {
		name string
		fn   verifyFunc
	}
	var out []side
	if fn := kcVerify(tb, f); fn != nil {
		out = append(out, side{"lib=kc", fn})
	}
	if fn := kcVerifyNoCache(tb, f); fn != nil {
		out = append(out, side{"lib=kc-nocache", fn})
	}
	return append(out,
		side{"lib=go-oidc", goOIDCVerify(tb, f, false)},
		side{"lib=go-oidc+claims", goOIDCVerify(tb, f, true)},
		side{"lib=golang-jwt", golangJWTVerify(f)},
		side{"lib=rsa-floor", rsaFloor(f)},
	)
}

func TestVerifySidesAgree(t *testing.T) {
	f := tokenFixture(t)
	want := verified{Subject: "0b4ab0a4-4e5b-4f8e-b0a5-0c3e8f7d5b11", Roles: []string{"default-roles-bench", "offline_access", "uma_authorization", "reader"}}
	for _, v := range verifiers(t, f) {
		got, err := v.fn(t.Context(), f.token)
		if err != nil {
			t.Errorf("%s: %v", v.name, err)
			continue
		}
		switch v.name {
		case "lib=rsa-floor":
			// Checks the signature only.
		case "lib=go-oidc":
			if got.Subject != want.Subject {
				t.Errorf("%s: subject %q, want %q", v.name, got.Subject, want.Subject)
			}
		default:
			if got.Subject != want.Subject || !slices.Equal(got.Roles, want.Roles) {
				t.Errorf("%s: got %+v, want %+v", v.name, got, want)
			}
		}
		// A token signed by someone else must fail on every side.
		bad := f.token[:strings.LastIndexByte(f.token, '.')+1] + strings.Repeat("A", 342)
		if _, err := v.fn(t.Context(), bad); err == nil {
			t.Errorf("%s: accepted a bad signature", v.name)
		}
	}
}

// BenchmarkVerify verifies the same warm RS256 token with each library.
func BenchmarkVerify(b *testing.B) {
	f := tokenFixture(b)
	for _, v := range verifiers(b, f) {
		b.Run(v.name, func(b *testing.B) {
			ctx := b.Context()
			if _, err := v.fn(ctx, f.token); err != nil { // warm the key cache
				b.Fatal(err)
			}
			b.ReportAllocs()
			loopCPU(b, func() {
				if _, err := v.fn(ctx, f.token); err != nil {
					b.Fatal(err)
				}
			})
		})
	}
}
