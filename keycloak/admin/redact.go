package admin

import (
	"encoding/json"
	"fmt"
	"log/slog"

	"github.com/kcgo/kc/internal/redact"
)

// The types of this file hold secrets. Each prints redacted with every
// fmt verb and through slog, as a value, a pointer, a slice element and a
// struct field: Format prints, and LogValue logs, a copy of the value
// with its secrets replaced (internal/redact), converted to a twin type
// without these methods. The request bodies among them (Credential,
// ClientApp, User, Realm, IdentityProvider, Component,
// AuthenticatorConfig, PartialImport) must carry their secrets to
// Keycloak, so their JSON encoding is unchanged: slog's JSONHandler, which
// encodes a value nested in a slice or a struct with encoding/json, shows
// them there; log them directly (their LogValue redacts) or with the
// TextHandler.
//
// Extra, the members a representation does not declare (a realm's
// smtpServer, identityProviders, clients, users ...), prints its JSON with
// the strings under secret members replaced.

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
	p.Attributes = redact.Map(p.Attributes) // client.secret.rotated
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

// Format prints x, with every verb, as JSON texts with the strings under
// secret members replaced.
func (x Extra) Format(f fmt.State, verb rune) { redact.Format(f, verb, x.redacted()) }

// LogValue makes slog log x's JSON texts with the strings under secret
// members replaced.
func (x Extra) LogValue() slog.Value { return slog.AnyValue(x.redacted()) }

func (x Extra) redacted() map[string]string {
	if x == nil {
		return nil
	}
	m := make(map[string]string, len(x))
	for k, raw := range x {
		if redact.IsSecretKey(k) {
			m[k] = redact.Placeholder
			continue
		}
		m[k] = redact.JSON(raw)
	}
	return m
}

func (r Realm) redacted() plainRealm {
	p := plainRealm(r)
	p.Attributes = redact.Map(p.Attributes)
	return p
}

// Format prints r, with every verb, without the secrets of its attributes
// and of its undeclared members (smtpServer's password, the clients,
// users and identity providers of an export).
func (r Realm) Format(f fmt.State, verb rune) { redact.Format(f, verb, r.redacted()) }

// LogValue makes slog log r without its secrets (JSON output leaves out
// the undeclared members).
func (r Realm) LogValue() slog.Value { return slog.AnyValue(r.redacted()) }

func (p IdentityProvider) redacted() plainIdentityProvider {
	c := plainIdentityProvider(p)
	c.Config = redact.Map(c.Config) // clientSecret
	return c
}

// Format prints p, with every verb, without the secrets of its config
// (clientSecret).
func (p IdentityProvider) Format(f fmt.State, verb rune) { redact.Format(f, verb, p.redacted()) }

// LogValue makes slog log p without the secrets of its config.
func (p IdentityProvider) LogValue() slog.Value { return slog.AnyValue(p.redacted()) }

type plainComponent Component

func (c Component) redacted() plainComponent {
	p := plainComponent(c)
	p.Config = redact.MultiMap(p.Config) // secret, privateKey, bindCredential ...
	return p
}

// Format prints c, with every verb, without the secrets of its config.
func (c Component) Format(f fmt.State, verb rune) { redact.Format(f, verb, c.redacted()) }

// LogValue makes slog log c without the secrets of its config.
func (c Component) LogValue() slog.Value { return slog.AnyValue(c.redacted()) }

type plainAuthenticatorConfig AuthenticatorConfig

func (c AuthenticatorConfig) redacted() plainAuthenticatorConfig {
	p := plainAuthenticatorConfig(c)
	p.Config = redact.Map(p.Config)
	return p
}

// Format prints c, with every verb, without the secrets of its config.
func (c AuthenticatorConfig) Format(f fmt.State, verb rune) { redact.Format(f, verb, c.redacted()) }

// LogValue makes slog log c without the secrets of its config.
func (c AuthenticatorConfig) LogValue() slog.Value { return slog.AnyValue(c.redacted()) }

type plainPartialImport PartialImport

// Format prints p, with every verb, without the secrets of the users,
// clients and identity providers it holds.
func (p PartialImport) Format(f fmt.State, verb rune) { redact.Format(f, verb, plainPartialImport(p)) }

// LogValue makes slog log p as its redacted fmt rendering: the users,
// clients and identity providers it holds print without their secrets,
// while their JSON encoding would carry them.
func (p PartialImport) LogValue() slog.Value { return slog.StringValue(fmt.Sprintf("%+v", p)) }

type plainInitialAccess InitialAccess

func (a InitialAccess) redacted() plainInitialAccess {
	p := plainInitialAccess(a)
	p.Token = redact.Secret(p.Token)
	return p
}

// Format prints a, with every verb, without its token.
func (a InitialAccess) Format(f fmt.State, verb rune) { redact.Format(f, verb, a.redacted()) }

// LogValue makes slog log a without its token.
func (a InitialAccess) LogValue() slog.Value { return slog.AnyValue(a.redacted()) }
