package kc

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
)

// Sentinels for errors.Is. An *APIError matches the one of its status code,
// and ErrInvalidGrant when Keycloak's OAuth error code is invalid_grant,
// whatever the status (Keycloak answers a wrong password with 401, an
// expired refresh token with 400).
var (
	ErrBadRequest   = errors.New("kc: bad request")   // 400
	ErrUnauthorized = errors.New("kc: unauthorized")  // 401
	ErrForbidden    = errors.New("kc: forbidden")     // 403
	ErrNotFound     = errors.New("kc: not found")     // 404
	ErrConflict     = errors.New("kc: conflict")      // 409
	ErrInvalidGrant = errors.New("kc: invalid grant") // OAuth "invalid_grant"

	// ErrRedirect is wrapped by the error of a call answered with a
	// redirect (3xx): kc follows no redirect of an API call, since
	// Keycloak never sends one and following it would carry credentials
	// to whatever the Location names. The error names the Location.
	ErrRedirect = errors.New("kc: redirect not followed")
	// ErrResponseTooLarge is wrapped by the error of a call whose answer
	// is longer than the limit of [WithMaxResponseBody]; the error names
	// the limit.
	ErrResponseTooLarge = errors.New("kc: response body too large")
	// ErrAttemptTimeout is matched by the error of a call whose last
	// attempt was cut by the per-attempt timeout ([WithTimeout], or the
	// Timeout of the client given to [WithHTTPClient]) while the call's
	// context still had time. Such an error matches
	// context.DeadlineExceeded too, and its message names the timeout;
	// when the context's own deadline passed, the error matches
	// context.DeadlineExceeded only and its message says so.
	ErrAttemptTimeout = errors.New("kc: attempt timed out")
)

// MaxErrorBody is how much of an error answer's body kc reads and keeps in
// [APIError.Body].
const MaxErrorBody = 64 << 10

// APIError is an answer from Keycloak with a status code of 400 or more.
//
// Keycloak uses four shapes of error body; each field is filled from the
// shape it came in:
//
//	{"error":"invalid_grant","error_description":"Invalid user credentials"}   OAuth
//	{"errorMessage":"User exists with same username"}                          admin
//	{"field":"email","errorMessage":"error-invalid-email","params":["email","x"]}
//	{"errors":[{"field":..,"errorMessage":..,"params":[..]}, ...]}             user profile
//	{"error":"User not found"}                                                 generic
//
// The UserInfo endpoint sends its error in a WWW-Authenticate header; its
// error and error_description attributes fill the same fields.
type APIError struct {
	StatusCode int    // HTTP status
	Method     string // HTTP method of the request
	URL        string // request URL, with secrets redacted

	ErrorCode        string       // "error": an OAuth code, or the generic message
	ErrorDescription string       // "error_description"
	ErrorMessage     string       // "errorMessage"
	Field            string       // "field"
	Params           []any        // "params"
	Errors           []FieldError // "errors"

	// WWWAuthenticate is the challenge of a 401 or 403 answer, if any.
	WWWAuthenticate string
	// Body is the answer's body, at most MaxErrorBody bytes.
	Body []byte
}

// FieldError is one entry of the "errors" list of a user-profile
// validation failure.
type FieldError struct {
	Field        string `json:"field,omitempty"`
	ErrorMessage string `json:"errorMessage,omitempty"`
	Params       []any  `json:"params,omitempty"`
}

// Error describes the error in one line: method, URL, status and
// Keycloak's message.
func (e *APIError) Error() string {
	var b strings.Builder
	b.WriteString("kc: ")
	if e.Method != "" {
		b.WriteString(e.Method)
		b.WriteByte(' ')
	}
	if e.URL != "" {
		b.WriteString(e.URL)
		b.WriteString(": ")
	}
	fmt.Fprintf(&b, "%d %s", e.StatusCode, http.StatusText(e.StatusCode))
	if m := e.Message(); m != "" {
		b.WriteString(": ")
		b.WriteString(m)
	}
	return b.String()
}

// Message is Keycloak's explanation, from whichever fields it sent.
func (e *APIError) Message() string {
	var parts []string
	add := func(s string) {
		if s != "" {
			parts = append(parts, s)
		}
	}
	add(e.ErrorCode)
	add(e.ErrorDescription)
	if e.ErrorMessage != "" {
		if e.Field != "" {
			add(e.Field + ": " + e.ErrorMessage)
		} else {
			add(e.ErrorMessage)
		}
	}
	for _, f := range e.Errors {
		if f.Field != "" {
			add(f.Field + ": " + f.ErrorMessage)
		} else {
			add(f.ErrorMessage)
		}
	}
	return strings.Join(parts, ": ")
}

// Is reports whether target is the sentinel for this error's status code,
// or ErrInvalidGrant for an OAuth invalid_grant error.
func (e *APIError) Is(target error) bool {
	switch target {
	case ErrBadRequest:
		return e.StatusCode == http.StatusBadRequest
	case ErrUnauthorized:
		return e.StatusCode == http.StatusUnauthorized
	case ErrForbidden:
		return e.StatusCode == http.StatusForbidden
	case ErrNotFound:
		return e.StatusCode == http.StatusNotFound
	case ErrConflict:
		return e.StatusCode == http.StatusConflict
	case ErrInvalidGrant:
		return e.ErrorCode == "invalid_grant"
	}
	return false
}
