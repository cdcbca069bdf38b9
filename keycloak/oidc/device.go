package oidc

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/kcgo/kc"
	"github.com/kcgo/kc/internal/redact"
	"github.com/kcgo/kc/internal/rest"
)

// DeviceAuthResponse is the answer of the device authorization endpoint
// (RFC 8628 §3.2): show UserCode and VerificationURI (or
// VerificationURIComplete, e.g. as a QR code) to the user, then call
// [Client.PollDeviceToken].
type DeviceAuthResponse struct {
	DeviceCode              string `json:"device_code"`
	UserCode                string `json:"user_code"`
	VerificationURI         string `json:"verification_uri"`
	VerificationURIComplete string `json:"verification_uri_complete,omitempty"`
	ExpiresIn               int64  `json:"expires_in"`
	Interval                int64  `json:"interval,omitempty"` // seconds between polls; 5 when 0

	// Expiry is when the device code expires, by the client's clock.
	Expiry time.Time `json:"-"`
}

// String describes the response without its device code.
func (r DeviceAuthResponse) String() string {
	return fmt.Sprintf("oidc.DeviceAuthResponse{device_code=%s, user_code=%s, verification_uri=%s, expiry=%s}",
		redact.Secret(r.DeviceCode), r.UserCode, r.VerificationURI, r.Expiry.Format(time.RFC3339))
}

// GoString is String, so %#v shows no device code either.
func (r DeviceAuthResponse) GoString() string { return r.String() }

// Format makes every fmt verb print String, for a value, a pointer, and
// one in a slice or a struct field.
func (r DeviceAuthResponse) Format(f fmt.State, _ rune) { fmt.Fprint(f, r.String()) }

// LogValue makes slog log the response without its device code.
func (r DeviceAuthResponse) LogValue() slog.Value {
	return slog.GroupValue(slog.String("device_code", redact.Secret(r.DeviceCode)), slog.String("user_code", r.UserCode),
		slog.String("verification_uri", r.VerificationURI), slog.Time("expiry", r.Expiry))
}

// MarshalJSON encodes r with its device code replaced by REDACTED: what
// a browser or a log may see (the user code and the verification URI are
// for the user).
func (r DeviceAuthResponse) MarshalJSON() ([]byte, error) {
	type plain DeviceAuthResponse
	p := plain(r)
	p.DeviceCode = redact.Secret(p.DeviceCode)
	return json.Marshal(p)
}

// DeviceAuth starts the device authorization grant (RFC 8628). Options:
// [Scope], [PKCE] (give the same verifier to [Client.PollDeviceToken]),
// [Param].
//
// Keycloak: POST /realms/{realm}/protocol/openid-connect/auth/device
func (c *Client) DeviceAuth(ctx context.Context, opts ...CallOption) (*DeviceAuthResponse, error) {
	form, err := c.params(opts)
	if err != nil {
		return nil, err
	}
	u, err := c.endpoint(ctx, "device authorization endpoint", func(d *Discovery) string { return d.DeviceAuthorizationEndpoint })
	if err != nil {
		return nil, err
	}
	req := &rest.Request{Method: http.MethodPost, URL: u, Form: form, Idempotent: true}
	if err := c.authenticate(ctx, req); err != nil {
		return nil, err
	}
	r := new(DeviceAuthResponse)
	if _, err := c.rest.Do(ctx, req, r); err != nil {
		return nil, err
	}
	if r.DeviceCode == "" {
		return nil, errors.New("oidc: the device authorization endpoint answered without device_code")
	}
	if r.ExpiresIn > 0 {
		r.Expiry = c.now().Add(time.Duration(r.ExpiresIn) * time.Second)
	}
	return r, nil
}

// slowDownStep is how much a slow_down answer adds to the polling interval
// (RFC 8628 §3.5).
const slowDownStep = 5 * time.Second

// PollDeviceToken polls the token endpoint until the user has approved or
// denied the device authorization of r, or it expired, or ctx ends. It
// waits r.Interval (5 s when 0) before each request and 5 s more after each
// slow_down answer; authorization_pending answers keep it polling. A
// denial is an *kc.APIError with ErrorCode "access_denied", an expired
// device code one with "expired_token". verifier is the PKCE verifier given
// to DeviceAuth with [PKCE], or "".
//
// Keycloak: POST /realms/{realm}/protocol/openid-connect/token
func (c *Client) PollDeviceToken(ctx context.Context, r *DeviceAuthResponse, verifier string) (*kc.Token, error) {
	if r == nil || r.DeviceCode == "" {
		return nil, errors.New("oidc: device authorization response has no device code")
	}
	interval := time.Duration(r.Interval) * time.Second
	if interval <= 0 {
		interval = 5 * time.Second
	}
	for {
		if err := c.wait(ctx, interval); err != nil {
			return nil, err
		}
		form, err := c.params([]CallOption{Scope()})
		if err != nil {
			return nil, err
		}
		form.Set("grant_type", GrantDeviceCode)
		form.Set("device_code", r.DeviceCode)
		if verifier != "" {
			form.Set("code_verifier", verifier)
		}
		tok, err := c.tokenRequest(ctx, form, retryNever)
		if err == nil {
			return tok, nil
		}
		var ae *kc.APIError
		if !errors.As(err, &ae) {
			return nil, err
		}
		switch ae.ErrorCode {
		case "authorization_pending":
		case "slow_down":
			interval += slowDownStep
		default:
			return nil, err
		}
	}
}
