package kctest

import (
	"bufio"
	"bytes"
	"io"
	"net"
	"net/http"
	"sync"
)

// Request is one request the server received, for assertions.
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
	// Status is the status the server answered, or 0 when the connection
	// was reset or the client went away first.
	Status int
}

const bodySnippet = 4 << 10

type requestLog struct {
	mu   sync.Mutex
	reqs []Request
}

// Requests returns the requests received so far, oldest first.
func (s *Server) Requests() []Request {
	s.requests.mu.Lock()
	defer s.requests.mu.Unlock()
	out := make([]Request, len(s.requests.reqs))
	copy(out, s.requests.reqs)
	return out
}

// RequestCount returns how many logged requests match method ("" for any)
// and path (exact, or a prefix when it ends in "*", as in [Fault]): for
// assertions such as "one token request for a thousand callers".
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
	s.requests.reqs = nil
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

// logRequests records every request and its status.
func (s *Server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := Request{Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery, Header: r.Header.Clone()}
		if r.Body != nil && r.Body != http.NoBody {
			b, err := io.ReadAll(io.LimitReader(r.Body, maxBodyBytes+1))
			if err == nil {
				rec.Body = string(b[:min(len(b), bodySnippet)])
			}
			r.Body = io.NopCloser(io.MultiReader(bytes.NewReader(b), r.Body))
		}
		sw := &statusRecorder{ResponseWriter: w}
		defer func() {
			rec.Status = sw.status
			s.requests.mu.Lock()
			s.requests.reqs = append(s.requests.reqs, rec)
			s.requests.mu.Unlock()
		}()
		next.ServeHTTP(sw, r)
	})
}
