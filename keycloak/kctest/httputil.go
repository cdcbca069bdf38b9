package kctest

import (
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"
)

// maxBodyBytes bounds every request body kctest reads.
const maxBodyBytes = 1 << 20

// writeJSON writes v as JSON with the given status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status = http.StatusInternalServerError
		b = []byte(`{"error":"unknown_error"}`)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// oauthErrorBody is the OAuth error family of keycloak-server.md §3.
type oauthErrorBody struct {
	Error            string `json:"error"`
	ErrorDescription string `json:"error_description,omitempty"`
}

// writeOAuthError writes {"error":code,"error_description":desc}.
func writeOAuthError(w http.ResponseWriter, status int, code, desc string) {
	writeJSON(w, status, oauthErrorBody{Error: code, ErrorDescription: desc})
}

// oauthError is an OAuth error that handlers return instead of writing it.
type oauthError struct {
	status int
	code   string
	desc   string
	// challenge, when set, is sent as WWW-Authenticate; with an empty code
	// the body is empty.
	challenge string
}

func (e *oauthError) Error() string { return e.code + ": " + e.desc }

func newOAuthError(status int, code, desc string) *oauthError {
	return &oauthError{status: status, code: code, desc: desc}
}

// writeError writes err: an *oauthError as its OAuth body, anything else as
// a 500 server_error.
func writeError(w http.ResponseWriter, err error) {
	if me := (*mapperError)(nil); errors.As(err, &me) {
		// Keycloak's answer to an exception in a token endpoint.
		writeOAuthError(w, http.StatusInternalServerError, "unknown_error", "For more on this error consult the server log.")
		return
	}
	var oe *oauthError
	if errors.As(err, &oe) {
		if oe.challenge != "" {
			w.Header().Set("WWW-Authenticate", oe.challenge)
		}
		if oe.code == "" {
			w.WriteHeader(oe.status)
			return
		}
		writeOAuthError(w, oe.status, oe.code, oe.desc)
		return
	}
	writeOAuthError(w, http.StatusInternalServerError, "server_error", "unknown error")
}

// writeErrorMessage writes the admin family {"errorMessage":msg}.
func writeErrorMessage(w http.ResponseWriter, status int, msg string, params ...any) {
	body := map[string]any{"errorMessage": msg}
	if len(params) > 0 {
		body["params"] = params
	}
	writeJSON(w, status, body)
}

// fieldError is one user-profile validation error.
type fieldError struct {
	Field        string `json:"field,omitempty"`
	ErrorMessage string `json:"errorMessage"`
	Params       []any  `json:"params,omitempty"`
}

// writeFieldErrors writes one field error unwrapped, or several as
// {"errors":[...]}, as Keycloak's user-profile validation does.
func writeFieldErrors(w http.ResponseWriter, status int, errs []fieldError) {
	if len(errs) == 1 {
		writeJSON(w, status, errs[0])
		return
	}
	writeJSON(w, status, map[string]any{"errors": errs})
}

// writeGenericError writes the JAX-RS family {"error":msg}.
func writeGenericError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]string{"error": msg})
}

// repeatableParams are the form parameters Keycloak lets a client send more
// than once.
var repeatableParams = map[string]bool{"audience": true, "resource": true, "permission": true}

// errDuplicatedParam is returned by checkDuplicates.
var errDuplicatedParam = newOAuthError(http.StatusBadRequest, "invalid_request", "duplicated parameter")

// parseForm reads an application/x-www-form-urlencoded body. Query
// parameters are not merged. A malformed body gives 400 invalid_request.
func parseForm(w http.ResponseWriter, r *http.Request) (url.Values, error) {
	if r.Body == nil {
		return url.Values{}, nil
	}
	ct := r.Header.Get("Content-Type")
	if ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || mt != "application/x-www-form-urlencoded" {
			// Keycloak's JAX-RS layer answers 415 for another media type.
			return nil, newOAuthError(http.StatusUnsupportedMediaType, "invalid_request", "HTTP 415 Unsupported Media Type")
		}
	}
	b, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBodyBytes))
	if mbe := (*http.MaxBytesError)(nil); errors.As(err, &mbe) {
		// limitBodies turns the answer into 413 with an empty body.
		return nil, &oauthError{status: http.StatusRequestEntityTooLarge}
	}
	if err != nil {
		return nil, newOAuthError(http.StatusBadRequest, "invalid_request", "Request body too large or unreadable")
	}
	return parseFormBytes(b)
}

// parseFormBytes decodes a form body.
func parseFormBytes(b []byte) (url.Values, error) {
	v, err := url.ParseQuery(string(b))
	if err != nil {
		return nil, newOAuthError(http.StatusBadRequest, "invalid_request", "Invalid form body")
	}
	return v, nil
}

// checkDuplicates reports errDuplicatedParam when a parameter other than
// audience, resource or permission appears more than once.
func checkDuplicates(form url.Values) error {
	for k, vs := range form {
		if len(vs) > 1 && !repeatableParams[k] {
			return errDuplicatedParam
		}
	}
	return nil
}

// noStore sets the cache headers Keycloak sends on token responses.
func noStore(w http.ResponseWriter) {
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Pragma", "no-cache")
}

// hasScope reports whether the space-separated scope list contains s.
func hasScope(scope, s string) bool {
	for _, f := range strings.Fields(scope) {
		if f == s {
			return true
		}
	}
	return false
}
