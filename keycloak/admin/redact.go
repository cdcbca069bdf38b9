package admin

import (
	"encoding/json"
	"fmt"
	"log/slog"

	"github.com/kcgo/kc/internal/redact"
)

// The types of this file hold secrets. Each prints redacted with every
// fmt verb and through slog, as a value, a pointer, a slice element and a
// struct field. Credential, ClientApp and User are request
// bodies: their JSON encoding carries the secret to Keycloak, so slog's
// JSONHandler, which encodes a value nested in a slice or a struct with
// encoding/json, shows it there; log them directly (their LogValue
// redacts) or with the TextHandler.

type plainCredential Credential

func (c Credential) redacted() plainCredential {
	p := plainCredential(c)
	p.Value, p.SecretData = redact.Secret(p.Value), redact.Secret(p.SecretData)
	return p
}

// Format prints c, with every verb, without its value and secret data.
func (c Credential) Format(f fmt.State, verb rune) { redact.Format(f, verb, c.redacted()) }

// LogValue makes slog log c without its value and secret data.
func (c Credential) LogValue() slog.Value { return slog.AnyValue(c.redacted()) }

func (c ClientApp) redacted() plainClient {
	p := plainClient(c)
	p.Secret = redact.Secret(p.Secret)
	return p
}

// Format prints c, with every verb, without its secret.
func (c ClientApp) Format(f fmt.State, verb rune) { redact.Format(f, verb, c.redacted()) }

// LogValue makes slog log c without its secret.
func (c ClientApp) LogValue() slog.Value { return slog.AnyValue(c.redacted()) }

func (u User) redacted() plainUser {
	p := plainUser(u)
	if u.Credentials != nil {
		p.Credentials = make([]Credential, len(u.Credentials))
		for i, c := range u.Credentials {
			p.Credentials[i] = Credential(c.redacted())
		}
	}
	return p
}

// Format prints u, with every verb, without its credentials' secrets.
func (u User) Format(f fmt.State, verb rune) { redact.Format(f, verb, u.redacted()) }

// LogValue makes slog log u without its credentials' secrets.
func (u User) LogValue() slog.Value { return slog.AnyValue(u.redacted()) }

// GoString hides the secret from %#v too.
func (s ClientSecret) GoString() string { return s.String() }

// Format makes every fmt verb print String, for a value, a pointer, and
// one in a slice or a struct field.
func (s ClientSecret) Format(f fmt.State, _ rune) { fmt.Fprint(f, s.String()) }

// LogValue makes slog log s without its value.
func (s ClientSecret) LogValue() slog.Value {
	return slog.GroupValue(slog.String("type", s.Type), slog.String("value", redact.Secret(s.Value)))
}

// MarshalJSON encodes s with its value replaced by REDACTED: the secret
// is for the caller to read from Value, not to pass on as JSON.
func (s ClientSecret) MarshalJSON() ([]byte, error) {
	type plain ClientSecret
	p := plain(s)
	p.Value = redact.Secret(p.Value)
	return json.Marshal(p)
}
