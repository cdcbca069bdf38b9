package oidc

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"net/url"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

// FuzzVerify feeds arbitrary tokens to a warm verifier: no panic, and
// nothing but a well-signed token passes.
func FuzzVerify(f *testing.F) {
	key := rsaKey(0)
	now := time.Unix(1_900_000_000, 0)
	good, err := signJWT(key, "k", RS256, map[string]any{"iss": "https://iss", "aud": "a", "typ": "Bearer", "exp": now.Add(time.Hour).Unix()})
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range []string{good, "", ".", "..", "a.b.c", good + "x", "eyJhbGciOiJub25lIn0.e30.", "eyJhbGciOiJSUzI1NiIsImtpZCI6ImsifQ.e30.AAAA"} {
		f.Add(s)
	}
	b, _ := json.Marshal(map[string]any{"keys": []any{map[string]any{"kid": "k", "kty": "RSA", "alg": RS256, "use": "sig",
		"n": b64(key.N.Bytes()), "e": "AQAB"}}})
	var set JSONWebKeySet
	if err := json.Unmarshal(b, &set); err != nil {
		f.Fatal(err)
	}
	ks, err := parseKeySet(&set)
	if err != nil {
		f.Fatal(err)
	}
	v, err := newVerifier(VerifierConfig{Audiences: []string{"a"}, RefetchInterval: time.Hour}, nil, func() time.Time { return now })
	if err != nil {
		f.Fatal(err)
	}
	u, _ := url.Parse("https://iss/certs")
	v.ep.Store(&verifierEndpoints{issuer: "https://iss", jwks: u})
	v.keys.Store(ks)
	v.lastFetch = now // no fetch: rate-limited for the whole run
	f.Fuzz(func(t *testing.T, tok string) {
		c, err := v.Verify(t.Context(), tok)
		if err == nil && tok != good {
			t.Errorf("token %q verified: %+v", tok, c)
		}
	})
}

// FuzzParseHeader checks the allocation-free header parser against
// encoding/json: whatever it accepts is valid JSON with the same alg.
func FuzzParseHeader(f *testing.F) {
	for _, s := range []string{`{"alg":"RS256","kid":"a"}`, `{}`, `{"alg":"RS256","x":[1,{"y":"}"}]}`, `{"alg":"a\"b"}`, `{"alg":1}`, `{"a":}`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var h jwsHeader
		if parseHeader([]byte(s), &h) != nil {
			return
		}
		var w map[string]any
		if err := json.Unmarshal([]byte(s), &w); err != nil {
			t.Fatalf("parseHeader accepted invalid JSON %q", s)
		}
		if dup, ok := duplicateName([]byte(s)); ok {
			t.Fatalf("parseHeader accepted %q, which has %q twice", s, dup)
		}
		// Invalid UTF-8 stays raw here (encoding/json replaces it): it
		// matches no algorithm and no key ID either way.
		if alg, ok := w["alg"].(string); ok && utf8.Valid(h.alg) && alg != string(h.alg) {
			t.Errorf("%q: alg %q, encoding/json says %q", s, h.alg, alg)
		}
	})
}

// FuzzB64Decode checks the base64url decoder against encoding/base64's
// strict raw URL encoding.
func FuzzB64Decode(f *testing.F) {
	for _, s := range []string{"", "a", "ab", "abc", "abcd", "ab=", "a+b/", "AB", "AA", "AAA", "AAB", "eyJhbGciOiJSUzI1NiJ9", "-_-_"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if strings.ContainsAny(s, "\r\n") {
			return // encoding/base64 skips them; a JWS has none
		}
		want, werr := base64.RawURLEncoding.Strict().DecodeString(s)
		got, err := b64Decode([]byte("x"), s)
		if (err != nil) != (werr != nil) {
			t.Fatalf("%q: error %v, encoding/base64 says %v", s, err, werr)
		}
		if err == nil && string(got) != "x"+string(want) {
			t.Fatalf("%q: %x, want %x", s, got, want)
		}
	})
}

// FuzzDecodeClaims checks the claims decoder against encoding/json, which
// decodes each claim (matched by its exact name) into the field's type:
// the same claims, and an error for the same inputs, and an error for
// every input with a member name twice in one object.
func FuzzDecodeClaims(f *testing.F) {
	for _, s := range []string{
		`{}`, `[]`, `"x"`, `1`, `{"iss":"a","iss":"b"}`, `{"ISS":"x","iss":"y"}`,
		`{"iss":"https://kc/realms/demo","sub":"u","aud":["a","account"],"exp":1900000000,"nbf":0,"iat":1.9e9,"auth_time":1899999999.5,
		  "jti":"j","typ":"Bearer","azp":"app","sid":"s","nonce":"n","acr":"1","scope":"openid email","client_id":"c","at_hash":"h",
		  "preferred_username":"alice","email":"a@x","email_verified":true,"name":"A","given_name":"A","family_name":"B",
		  "realm_access":{"roles":["r1","r2"],"x":{"y":[1,"]"]}},"resource_access":{"app":{"roles":["c1"]},"account":{"roles":[]}},
		  "groups":["/g",null],"allowed-origins":["*"],"custom":{"a":[true,false,null,-1.5e3,"\"}"]}}`,
		`{"aud":"a"}`, `{"aud":null}`, `{"aud":[]}`, `{"aud":[1]}`, `{"aud":"\u0061\n"}`, `{"sub":"\ud83d\ude00"}`, "{\"sub\":\"\xff\"}",
		`{"exp":"1"}`, `{"exp":1e400}`, `{"exp":null}`, `{"exp":-0}`, `{"email_verified":"true"}`, `{"email_verified":null}`,
		`{"realm_access":null}`, `{"realm_access":[]}`, `{"realm_access":{"roles":5}}`, `{"resource_access":{"a":5}}`,
		`{"resource_access":{"a":null,"b":{"roles":null}}}`, `{"resource_access":{"a":{"roles":["x"]},"a":{"roles":["y"]}}}`,
		`{"groups":{}}`, `{ "iss" : "a" , "sub" : null }`, `{"\u0069ss":"escaped key"}`, `{"sub":1}`, `{"x":1`,
		// Invalid JSON the decoder must refuse as encoding/json does.
		`{"x":01}`, `{"x":1.}`, `{"x":-}`, `{"x":1e}`, `{"x":tru}`, `{"x":"\q"}`, `{"x":"\u12"}`, `{"a":1,}`, `{"a":1} x`, `{"a":1}{}`,
		`{"exp":0x10}`, `{"exp":+1}`, `{"exp":01}`, `{"x":[1,]}`, `{"x":[,1]}`, `{"x":{"a"}}`, `{"x":{1:2}}`, "{\"x\":\"a\tb\"}",
		`{"realm_access":{"x":[[[]]],"roles":["a"]}}`, `{"groups":["a",]}`, ` {"iss":"a"} `,
		// A name twice, at any depth, escaped or not.
		`{"resource_access":{"app":{"roles":["admin"]},"app":{}}}`, `{"a":{"b":1,"\u0062":2}}`, `{"":[],"":{}}`, `{"a":[{"x":1},{"x":1,"x":2}]}`,
		"{\"\xff\":1,\"\xfe\":2}",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(checkDecodeClaims)
}

// claimFields are Claims' fields by claim name.
var claimFields = map[string]func(c *Claims) any{
	"iss": func(c *Claims) any { return &c.Issuer }, "sub": func(c *Claims) any { return &c.Subject },
	"aud": func(c *Claims) any { return &c.Audience }, "exp": func(c *Claims) any { return &c.Expiry },
	"nbf": func(c *Claims) any { return &c.NotBefore }, "iat": func(c *Claims) any { return &c.IssuedAt },
	"auth_time": func(c *Claims) any { return &c.AuthTime }, "jti": func(c *Claims) any { return &c.ID },
	"typ": func(c *Claims) any { return &c.Type }, "azp": func(c *Claims) any { return &c.AuthorizedParty },
	"sid": func(c *Claims) any { return &c.SessionID }, "nonce": func(c *Claims) any { return &c.Nonce },
	"acr": func(c *Claims) any { return &c.ACR }, "scope": func(c *Claims) any { return &c.Scope },
	"client_id": func(c *Claims) any { return &c.ClientID }, "at_hash": func(c *Claims) any { return &c.AccessTokenHash },
	"preferred_username": func(c *Claims) any { return &c.PreferredUsername }, "email": func(c *Claims) any { return &c.Email },
	"email_verified": func(c *Claims) any { return &c.EmailVerified }, "name": func(c *Claims) any { return &c.Name },
	"given_name": func(c *Claims) any { return &c.GivenName }, "family_name": func(c *Claims) any { return &c.FamilyName },
	"realm_access": func(c *Claims) any { return &c.RealmAccess }, "resource_access": func(c *Claims) any { return &c.ResourceAccess },
	"groups": func(c *Claims) any { return &c.Groups }, "allowed-origins": func(c *Claims) any { return &c.AllowedOrigins },
}

// checkDecodeClaims is the oracle of FuzzDecodeClaims.
func checkDecodeClaims(t *testing.T, b []byte) {
	var got Claims
	err := decodeClaims(b, string(b), &got)

	if dup, ok := duplicateName(b); ok {
		if err == nil {
			t.Fatalf("%q: decoded, with %q twice in one object", b, dup)
		}
		return
	}
	var members map[string]json.RawMessage
	werr := json.Unmarshal(b, &members)
	if werr == nil && members == nil {
		werr = errMalformed // null: not a claims object
	}
	var want Claims
	if werr == nil {
		for k, raw := range members {
			if field := claimFields[k]; field != nil {
				if err := json.Unmarshal(raw, field(&want)); err != nil {
					werr = err
				}
			}
		}
	}
	if (err != nil) != (werr != nil) {
		t.Fatalf("%q: error %v, encoding/json says %v", b, err, werr)
	}
	if err == nil {
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%q: claims (-encoding/json +decodeClaims):\n%s", b, diff)
		}
	}
}

// TestDecodeClaimsDepth checks encoding/json's nesting limit, at and past
// it, under the top level, realm_access and resource_access.
func TestDecodeClaimsDepth(t *testing.T) {
	t.Parallel()
	for _, d := range []int{maxDepth - 1, maxDepth} {
		checkDecodeClaims(t, []byte(`{"x":`+strings.Repeat("[", d)+strings.Repeat("]", d)+`}`))
		checkDecodeClaims(t, []byte(`{"realm_access":{"x":`+strings.Repeat("[", d-1)+strings.Repeat("]", d-1)+`}}`))
		checkDecodeClaims(t, []byte(`{"resource_access":{"a":{"x":`+strings.Repeat("[", d-2)+strings.Repeat("]", d-2)+`}}}`))
	}
	var c Claims
	if err := decodeClaims([]byte(`{"x":`+strings.Repeat("[", maxDepth)+strings.Repeat("]", maxDepth)+`}`), `{"x":`+strings.Repeat("[", maxDepth)+strings.Repeat("]", maxDepth)+`}`, &c); err == nil {
		t.Error("nesting past encoding/json's limit accepted")
	}
}

// duplicateName returns a member name that b, read by encoding/json's
// tokenizer, has twice in one object, and whether there is one. Invalid
// JSON has none.
func duplicateName(b []byte) (string, bool) {
	type frame struct {
		object bool
		names  map[string]bool
		key    bool // the next string is a name
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	var stack []*frame
	for {
		tok, err := dec.Token()
		if err != nil {
			return "", false
		}
		var top *frame
		if len(stack) > 0 {
			top = stack[len(stack)-1]
		}
		switch tok := tok.(type) {
		case json.Delim:
			switch tok {
			case '{':
				if top != nil && top.object {
					top.key = true
				}
				stack = append(stack, &frame{object: true, names: map[string]bool{}, key: true})
			case '[':
				if top != nil && top.object {
					top.key = true
				}
				stack = append(stack, &frame{})
			default:
				stack = stack[:len(stack)-1]
			}
		case string:
			if top != nil && top.object && top.key {
				if top.names[tok] {
					return tok, true
				}
				top.names[tok] = true
				top.key = false
				continue
			}
			if top != nil && top.object {
				top.key = true
			}
		default:
			if top != nil && top.object {
				top.key = true
			}
		}
	}
}
