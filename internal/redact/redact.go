// Package redact removes secrets from URLs and strings before they reach
// an error message or a log line.
package redact

import (
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
