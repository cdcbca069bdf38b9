package kctest

import (
	"bufio"
	"bytes"
	"io"
	"mime"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
)

// Request is one request the server received, for assertions. Secrets are
// redacted: the credentials of the Authorization, Proxy-Authorization and
// Cookie headers, and the values of secret parameters (password,
// client_secret, refresh_token, code, ...) in the query, a form body or a
// JSON body.
type Request struct {
	Method string
	// Path is the request path, including any base path.
	Path string
	// Query is the raw query string.
	Query string
	// Header is a copy of the request headers.
	Header http.Header
	// Body is the start of the request body (at most 4 KiB); for a form
	// body it is the encoded form.
	Body string
	// Status is the status the server answered, or 0 while the request is
	// in flight or when the connection was reset or the client went away
	// first.
	Status int
}

const bodySnippet = 4 << 10

// DefaultRequestLogSize is how many requests a [Server] keeps for
// [Server.Requests] and [Server.RequestCount] unless [WithRequestLog] says
// otherwise.
const DefaultRequestLogSize = 10000

// WithRequestLog keeps the last n requests for [Server.Requests] and
// [Server.RequestCount] (default [DefaultRequestLogSize]); older ones are
// dropped, so memory stays bounded however long the server runs. n <= 0
// turns the log off. cmd/kcdev runs with it off.
func WithRequestLog(n int) Option {
	return func(o *config) { o.requestLog = max(n, 0) }
}

// requestLog is a ring of the last size requests. A request is recorded
// when it arrives and its status filled in when its handler returns, unless
// newer requests pushed it out of the ring meanwhile.
type requestLog struct {
	mu    sync.Mutex
	size  int
	reqs  []Request // grows to size, then wraps
	seqs  []uint64  // seqs[i] is the sequence number of reqs[i]
	total uint64    // requests recorded since the last reset
}

// add records rec and returns its sequence number.
func (l *requestLog) add(rec Request) uint64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	seq := l.total
	l.total++
	if len(l.reqs) < l.size {
		l.reqs = append(l.reqs, rec)
		l.seqs = append(l.seqs, seq)
		return seq
	}
	i := int(seq % uint64(l.size))
	l.reqs[i], l.seqs[i] = rec, seq
	return seq
}

// setStatus fills in the status of request seq if it is still kept.
func (l *requestLog) setStatus(seq uint64, status int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.size == 0 {
		return
	}
	i := int(seq % uint64(l.size))
	if i < len(l.seqs) && l.seqs[i] == seq {
		l.reqs[i].Status = status
	}
}

// snapshot returns the kept requests, oldest first.
func (l *requestLog) snapshot() []Request {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := make([]Request, 0, len(l.reqs))
	if len(l.reqs) < l.size || l.size == 0 {
		return append(out, l.reqs...)
	}
	i := int(l.total % uint64(l.size))
	out = append(out, l.reqs[i:]...)
	return append(out, l.reqs[:i]...)
}

// Requests returns the requests received so far that the log still keeps
// (the last [DefaultRequestLogSize], or as set by [WithRequestLog]),
// oldest first. A request is there from the moment it arrives.
func (s *Server) Requests() []Request { return s.requests.snapshot() }

// RequestCount returns how many kept requests match method ("" for any)
// and path (exact, or a prefix when it ends in "*", as in [Fault]): for
// assertions such as "one token request for a thousand callers". Requests
// in flight count: a request is recorded when it arrives.
func (s *Server) RequestCount(method, path string) int {
	s.requests.mu.Lock()
	defer s.requests.mu.Unlock()
	n := 0
	for _, r := range s.requests.reqs {
		if requestMatches(method, path, r.Method, r.Path) {
			n++
		}
	}
	return n
}

// ResetRequests forgets the requests received so far.
func (s *Server) ResetRequests() {
	s.requests.mu.Lock()
	s.requests.reqs, s.requests.seqs, s.requests.total = nil, nil, 0
	s.requests.mu.Unlock()
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (w *statusRecorder) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusRecorder) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

func (w *statusRecorder) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func (w *statusRecorder) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

func (w *statusRecorder) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	return http.NewResponseController(w.ResponseWriter).Hijack()
}

// logRequests records every request when it arrives, secrets redacted,
// and its status when its handler returns.
func (s *Server) logRequests(next http.Handler) http.Handler {
	if s.requests.size == 0 {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := Request{Method: r.Method, Path: r.URL.Path, Query: redactParams(r.URL.RawQuery), Header: redactHeader(r.Header)}
		if r.Body != nil && r.Body != http.NoBody {
			b, err := io.ReadAll(io.LimitReader(r.Body, maxBodyBytes+1))
			if err == nil {
				rec.Body = redactBody(r.Header.Get("Content-Type"), b[:min(len(b), bodySnippet)])
			}
			r.Body = io.NopCloser(io.MultiReader(bytes.NewReader(b), r.Body))
		}
		seq := s.requests.add(rec)
		sw := &statusRecorder{ResponseWriter: w}
		defer func() { s.requests.setStatus(seq, sw.status) }()
		next.ServeHTTP(sw, r)
	})
}

// redacted replaces a secret in the request log.
const redacted = "REDACTED"

// secretHeaders are the headers whose credentials the log redacts.
var secretHeaders = []string{"Authorization", "Proxy-Authorization", "Cookie"}

// redactHeader copies h with the credentials of secretHeaders replaced;
// an Authorization header keeps its scheme ("Bearer REDACTED").
func redactHeader(h http.Header) http.Header {
	out := h.Clone()
	for _, k := range secretHeaders {
		vs := out[k]
		for i, v := range vs {
			scheme, _, ok := strings.Cut(v, " ")
			if ok && k != "Cookie" {
				vs[i] = scheme + " " + redacted
			} else {
				vs[i] = redacted
			}
		}
	}
	return out
}

// secretParams are the form and query parameters whose values the log
// redacts.
var secretParams = map[string]bool{
	"password": true, "client_secret": true, "refresh_token": true, "access_token": true, "code": true,
	"code_verifier": true, "client_assertion": true, "subject_token": true, "actor_token": true,
	"device_code": true, "token": true, "assertion": true, "id_token_hint": true, "otp": true, "totp": true,
	"password-new": true, "password-confirm": true, "rpt": true,
}

// redactParams redacts the values of secretParams in an encoded form or
// query, keeping everything else as it was sent.
func redactParams(q string) string {
	if q == "" {
		return q
	}
	parts := strings.Split(q, "&")
	for i, p := range parts {
		k, _, ok := strings.Cut(p, "=")
		if !ok {
			continue
		}
		if name, err := url.QueryUnescape(k); err == nil && secretParams[name] {
			parts[i] = k + "=" + redacted
		}
	}
	return strings.Join(parts, "&")
}

// secretMembers matches a JSON member holding a secret and its string
// value: a credential's value or secretData, a client's secret, a token.
var secretMembers = regexp.MustCompile(`("(?:value|secret|secretData|password|hashedSaltedValue|client_secret|refresh_token|access_token|token)"\s*:\s*)"(?:[^"\\]|\\.)*"?`)

// redactBody redacts secrets in the start of a request body.
func redactBody(contentType string, b []byte) string {
	mt, _, _ := mime.ParseMediaType(contentType)
	switch {
	case mt == "application/x-www-form-urlencoded":
		return redactParams(string(b))
	case mt == "application/json" || strings.HasSuffix(mt, "+json") || bytes.HasPrefix(bytes.TrimSpace(b), []byte("{")) || bytes.HasPrefix(bytes.TrimSpace(b), []byte("[")):
		return secretMembers.ReplaceAllString(string(b), `$1"`+redacted+`"`)
	}
	return string(b)
}
