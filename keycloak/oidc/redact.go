package oidc

import (
	"fmt"
	"log/slog"

	"github.com/kcgo/kc/internal/redact"
)

type plainEndSession EndSession

func (e EndSession) redacted() plainEndSession {
	p := plainEndSession(e)
	p.IDTokenHint = redact.Secret(p.IDTokenHint)
	return p
}

// Format prints e, with every verb, without its ID token.
func (e EndSession) Format(f fmt.State, verb rune) { redact.Format(f, verb, e.redacted()) }

// LogValue makes slog log e without its ID token.
func (e EndSession) LogValue() slog.Value { return slog.AnyValue(e.redacted()) }

// LogValue makes slog log String.
func (c *Client) LogValue() slog.Value { return slog.StringValue(c.String()) }
