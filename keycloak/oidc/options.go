package oidc

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
)

// CallOption adds an optional parameter to one grant, authorization URL or
// device authorization request.
type CallOption func(*callParams)

type callParams struct {
	v        url.Values
	scopes   []string
	scopeSet bool
	err      error
}

// reserved are the parameters a method sets itself; [Param] refuses them.
var reserved = map[string]bool{
	"grant_type": true, "client_id": true, "client_secret": true,
	"client_assertion": true, "client_assertion_type": true, "scope": true,
	"response_type": true, "state": true, "username": true, "password": true,
	"code": true, "redirect_uri": true, "code_verifier": true, "refresh_token": true,
	"device_code": true, "subject_token": true, "subject_token_type": true,
}

// Scope sets the scopes of this call, replacing the client's default
// scopes ([WithScopes]). They are sent space-separated in one scope
// parameter. Scope() with no scope sends none.
func Scope(scopes ...string) CallOption {
	return func(p *callParams) {
		for _, s := range scopes {
			if s == "" || strings.ContainsAny(s, " \t\r\n") {
				p.fail(fmt.Errorf("oidc: bad scope %q", s))
				return
			}
		}
		p.scopes, p.scopeSet = append([]string(nil), scopes...), true
	}
}

// Param adds the parameter key=value to the request: for what this package
// has no option for, such as Keycloak's "totp", "ui_locales" or "acr_values".
// Parameters the method sets itself (grant_type, client_id, scope, code,
// ...) are refused.
func Param(key, value string) CallOption {
	return func(p *callParams) {
		if key == "" {
			p.fail(fmt.Errorf("oidc: Param: key is empty"))
			return
		}
		if reserved[key] {
			p.fail(fmt.Errorf("oidc: Param: %q is set by the method itself", key))
			return
		}
		p.v.Add(key, value)
	}
}

// RedirectURI sets redirect_uri of an authorization URL: it must be an
// absolute URL, registered for the client.
func RedirectURI(uri string) CallOption {
	return func(p *callParams) {
		if err := checkRedirectURI(uri); err != nil {
			p.fail(err)
			return
		}
		p.v.Set("redirect_uri", uri)
	}
}

// Nonce sets the nonce of an authorization URL, which Keycloak puts in the
// ID token; check it with [Verifier.VerifyIDToken]. See [GenerateNonce].
func Nonce(nonce string) CallOption { return set("nonce", nonce) }

// Prompt sets prompt of an authorization URL: "none", "login", "consent"
// or "select_account".
func Prompt(prompt string) CallOption { return set("prompt", prompt) }

// LoginHint sets login_hint of an authorization URL: the username or email
// to fill in.
func LoginHint(hint string) CallOption { return set("login_hint", hint) }

// MaxAge sets max_age of an authorization URL: the maximum time since the
// user last authenticated, in seconds.
func MaxAge(seconds int) CallOption { return set("max_age", strconv.Itoa(seconds)) }

// ResponseMode sets response_mode of an authorization URL: "query",
// "fragment" or "form_post".
func ResponseMode(mode string) CallOption { return set("response_mode", mode) }

// PKCE adds the S256 code challenge of verifier to an authorization URL
// or a device authorization request. Give the same verifier to
// [Client.ExchangeCode] or [Client.PollDeviceToken]. See [GenerateVerifier].
func PKCE(verifier string) CallOption {
	return func(p *callParams) {
		if err := checkVerifier(verifier); err != nil {
			p.fail(err)
			return
		}
		p.v.Set("code_challenge", S256Challenge(verifier))
		p.v.Set("code_challenge_method", "S256")
	}
}

func set(key, value string) CallOption {
	return func(p *callParams) { p.v.Set(key, value) }
}

func (p *callParams) fail(err error) {
	if p.err == nil {
		p.err = err
	}
}

// params applies opts over the client's default scopes.
func (c *Client) params(opts []CallOption) (url.Values, error) {
	p := callParams{v: url.Values{}}
	for _, o := range opts {
		if o == nil {
			return nil, fmt.Errorf("oidc: nil CallOption")
		}
		o(&p)
	}
	if p.err != nil {
		return nil, p.err
	}
	scopes := c.cfg.scopes
	if p.scopeSet {
		scopes = p.scopes
	}
	if len(scopes) > 0 {
		p.v.Set("scope", strings.Join(scopes, " "))
	}
	return p.v, nil
}

func checkRedirectURI(uri string) error {
	if uri == "" {
		return fmt.Errorf("oidc: redirectURI is empty")
	}
	u, err := url.Parse(uri)
	if err != nil || !u.IsAbs() || u.Fragment != "" {
		return fmt.Errorf("oidc: redirectURI %q is not an absolute URL without fragment", uri)
	}
	return nil
}
