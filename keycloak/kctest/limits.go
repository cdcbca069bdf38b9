package kctest

import (
	"errors"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
)

// maxImportBodyBytes bounds a realm import sent over HTTP (POST
// /admin/realms, POST /admin/realms/{realm}/partialImport). Every other
// request body is bounded by maxBodyBytes.
const maxImportBodyBytes = 32 << 20

// bodyLimit returns the largest body kctest accepts for r.
func (s *Server) bodyLimit(r *http.Request) int64 {
	if r.Method == http.MethodPost {
		p := strings.TrimPrefix(r.URL.Path, s.basePath)
		if p == "/admin/realms" || (strings.HasPrefix(p, "/admin/realms/") && strings.HasSuffix(p, "/partialImport")) {
			return maxImportBodyBytes
		}
	}
	return maxBodyBytes
}

// limitBodies answers 413 with an empty body, as Keycloak's HTTP layer
// does, to a request whose body is larger than its route allows: at once
// when Content-Length says so, otherwise as soon as the handler reads past
// the limit, whatever the handler then answers.
func (s *Server) limitBodies(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Body == nil || r.Body == http.NoBody {
			next.ServeHTTP(w, r)
			return
		}
		limit := s.bodyLimit(r)
		orig := r.Body
		if r.ContentLength > limit {
			// Read what the client sends (up to a bound) so that it sees
			// the answer rather than a reset connection.
			_, _ = io.CopyN(io.Discard, orig, maxDrainBytes)
			w.Header().Set("Connection", "close")
			w.WriteHeader(http.StatusRequestEntityTooLarge)
			return
		}
		body := &limitedBody{rc: http.MaxBytesReader(w, orig, limit), limit: limit}
		r.Body = body
		next.ServeHTTP(&limitWriter{ResponseWriter: w, body: body}, r)
		if body.over.Load() {
			_, _ = io.CopyN(io.Discard, orig, maxDrainBytes)
		}
	})
}

// maxDrainBytes is how much of an oversized body kctest reads and drops
// before closing the connection.
const maxDrainBytes = 64 << 20

// limitedBody is a request body that remembers having gone over its
// limit.
type limitedBody struct {
	rc    io.ReadCloser
	limit int64
	over  atomic.Bool
}

func (b *limitedBody) Read(p []byte) (int, error) {
	n, err := b.rc.Read(p)
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		b.over.Store(true)
	}
	return n, err
}

func (b *limitedBody) Close() error { return b.rc.Close() }

// limitWriter turns the handler's answer into 413 once the body went over
// its limit.
type limitWriter struct {
	http.ResponseWriter
	body    *limitedBody
	wrote   bool
	dropped bool
}

func (w *limitWriter) WriteHeader(code int) {
	if w.wrote {
		return
	}
	w.wrote = true
	if w.body.over.Load() {
		w.dropped = true
		h := w.ResponseWriter.Header()
		for k := range h {
			delete(h, k)
		}
		h.Set("Connection", "close")
		code = http.StatusRequestEntityTooLarge
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *limitWriter) Write(b []byte) (int, error) {
	w.WriteHeader(http.StatusOK)
	if w.dropped {
		return len(b), nil
	}
	return w.ResponseWriter.Write(b)
}

func (w *limitWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func (w *limitWriter) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		w.WriteHeader(http.StatusOK)
		f.Flush()
	}
}

// readBody reads a request body up to the limit limitBodies set for its
// route, or up to maxBodyBytes for any other reader.
func readBody(r io.Reader) ([]byte, error) {
	limit := int64(maxBodyBytes)
	if lb, ok := r.(*limitedBody); ok {
		limit = lb.limit
	}
	b, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, errors.New("kctest: body too large")
	}
	return b, nil
}
