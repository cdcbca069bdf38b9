package authz

import (
	"encoding/json"
	"fmt"
	"log/slog"

	"github.com/kcgo/kc/internal/redact"
)

type plainRequest Request

func (r Request) redacted() plainRequest {
	p := plainRequest(r)
	p.ClaimToken = redact.Secret(p.ClaimToken)
	return p
}

// Format prints r, with every verb, without its claim token.
func (r Request) Format(f fmt.State, verb rune) { redact.Format(f, verb, r.redacted()) }

// LogValue makes slog log r without its claim token.
func (r Request) LogValue() slog.Value { return slog.AnyValue(r.redacted()) }

// MarshalJSON encodes r without its claim token.
func (r Request) MarshalJSON() ([]byte, error) { return json.Marshal(r.redacted()) }

// String describes the client without its secret.
func (c *Client) String() string {
	return fmt.Sprintf("authz.Client{server=%s, realm=%s, client=%s}", c.rest.Base(), c.realm, c.clientID)
}

// GoString is String, so %#v shows no secret either.
func (c *Client) GoString() string { return c.String() }

// Format makes every fmt verb print String.
func (c *Client) Format(f fmt.State, _ rune) { fmt.Fprint(f, c.String()) }

// LogValue makes slog log String.
func (c *Client) LogValue() slog.Value { return slog.StringValue(c.String()) }
