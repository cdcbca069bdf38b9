// Package redact removes secrets from URLs and strings before they reach
// an error message or a log line.
package redact

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
)

// Placeholder replaces a secret.
const Placeholder = "REDACTED"

// secretParams are query and form parameters that can carry a secret.
var secretParams = map[string]bool{
	"client_secret": true, "password": true, "token": true, "access_token": true,
	"refresh_token": true, "id_token": true, "id_token_hint": true, "code": true,
	"code_verifier": true, "subject_token": true, "actor_token": true,
	"client_assertion": true, "assertion": true, "device_code": true, "user_code": true,
	"ticket": true, "claim_token": true, "rpt": true, "secret": true, "key": true,
	"otp": true, "totp": true, "logout_token": true, "session_state": true,
}

// IsSecretParam reports whether a query or form parameter named name may
// hold a secret.
func IsSecretParam(name string) bool { return secretParams[strings.ToLower(name)] }

// URL returns u as a string with its password and the values of secret
// query parameters replaced by REDACTED, and without its fragment.
func URL(u *url.URL) string {
	if u == nil {
		return ""
	}
	c := *u
	c.Fragment, c.RawFragment = "", ""
	if c.User != nil {
		if _, ok := c.User.Password(); ok {
			c.User = url.UserPassword(c.User.Username(), Placeholder)
		}
	}
	if c.RawQuery != "" {
		q, err := url.ParseQuery(c.RawQuery)
		if err != nil {
			c.RawQuery = Placeholder
		} else {
			changed := false
			for k, vs := range q {
				if IsSecretParam(k) {
					for i := range vs {
						vs[i] = Placeholder
					}
					changed = true
				}
			}
			if changed {
				c.RawQuery = q.Encode()
			}
		}
	}
	return c.String()
}

// String parses s as a URL and redacts it; what does not parse is replaced
// whole.
func String(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return Placeholder
	}
	return URL(u)
}

// Secret returns Placeholder for a secret that is set, and "" for one
// that is not, so a redacted rendering still tells which are present.
func Secret(s string) string {
	if s == "" {
		return ""
	}
	return Placeholder
}

// Format writes v as fmt would for verb and the flags of f. A type that
// holds a secret implements fmt.Formatter by passing a copy of itself
// with the secrets replaced, converted to a twin type without the Format
// method, so that every verb (%v %+v %#v %s ...) prints it redacted.
func Format(f fmt.State, verb rune, v any) { fmt.Fprintf(f, fmt.FormatString(f, verb), v) }

// secretKeySuffixes end the names of map keys and JSON members that hold
// a secret, compared in lower case without '.', '_' and '-': Keycloak's
// clientSecret, secretData, bindCredential, keystorePassword, privateKey,
// client.secret.rotated, an SMTP server's password ...
var secretKeySuffixes = []string{"secret", "password", "credential", "privatekey", "secretdata", "secretrotated", "token"}

// IsSecretKey reports whether a map key or JSON member named name may hold
// a secret: a secret parameter name (IsSecretParam), or a name ending in
// secret, password, credential, private key, secret data or token.
func IsSecretKey(name string) bool {
	if IsSecretParam(name) {
		return true
	}
	n := strings.Map(func(r rune) rune {
		if r == '.' || r == '_' || r == '-' {
			return -1
		}
		return r
	}, strings.ToLower(name))
	for _, s := range secretKeySuffixes {
		if strings.HasSuffix(n, s) {
			return true
		}
	}
	return false
}

// Map returns a copy of m whose values under secret keys (IsSecretKey)
// read REDACTED, or m itself when it has none. The copy is for printing;
// m is not changed.
func Map[M ~map[string]string](m M) M {
	var out M
	for k, v := range m {
		if v == "" || !IsSecretKey(k) {
			continue
		}
		if out == nil {
			out = make(M, len(m))
			for k2, v2 := range m {
				out[k2] = v2
			}
		}
		out[k] = Placeholder
	}
	if out == nil {
		return m
	}
	return out
}

// MultiMap is Map for maps of string lists, such as a component's config.
func MultiMap[M ~map[string][]string](m M) M {
	var out M
	for k, vs := range m {
		if len(vs) == 0 || !IsSecretKey(k) {
			continue
		}
		if out == nil {
			out = make(M, len(m))
			for k2, v2 := range m {
				out[k2] = v2
			}
		}
		r := make([]string, len(vs))
		for i, v := range vs {
			r[i] = Secret(v)
		}
		out[k] = r
	}
	if out == nil {
		return m
	}
	return out
}

// JSON returns the JSON text raw with every string under a secret member
// (IsSecretKey, at any depth) replaced by REDACTED, as are the "value" and
// "secretData" of an object that has a "type" (a credential). Text that
// is not JSON is replaced whole. The result is for printing only.
func JSON(raw []byte) string {
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		return Placeholder
	}
	b, err := json.Marshal(redactJSON(v, false))
	if err != nil {
		return Placeholder
	}
	return string(b)
}

func redactJSON(v any, secret bool) any {
	switch x := v.(type) {
	case string:
		if secret {
			return Secret(x)
		}
		return x
	case []any:
		for i := range x {
			x[i] = redactJSON(x[i], secret)
		}
		return x
	case map[string]any:
		_, credential := x["type"]
		for k, e := range x {
			x[k] = redactJSON(e, secret || IsSecretKey(k) || (credential && k == "value"))
		}
		return x
	}
	return v
}
