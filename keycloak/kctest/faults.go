package kctest

import (
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Fault makes matching requests fail, for testing retries and timeouts.
type Fault struct {
	// Method matches the request method; "" matches any.
	Method string
	// Path matches the request path (including any base path) exactly, or
	// as a prefix when it ends in "*".
	Path string
	// Status is the status to answer with. 0 with a Latency delays the
	// request and then serves it normally.
	Status int
	// RetryAfter, when positive, is sent as a Retry-After header in
	// seconds.
	RetryAfter time.Duration
	// Body is the response body. A body starting with "{" or "[" is sent
	// as application/json.
	Body string
	// Latency delays the answer. The wait ends early when the client goes
	// away.
	Latency time.Duration
	// Reset closes the connection without an answer.
	Reset bool
	// Times is how many requests the fault affects before it stops; 0
	// means forever.
	Times int
}

// FaultID identifies an injected fault.
type FaultID int

type faultEntry struct {
	id    FaultID
	f     Fault
	left  int
	forev bool
}

type faultSet struct {
	mu     sync.Mutex
	next   FaultID
	faults []*faultEntry
}

// InjectFault adds a fault. Faults are checked in the order they were
// added; the first match applies.
func (s *Server) InjectFault(f Fault) FaultID {
	s.faults.mu.Lock()
	defer s.faults.mu.Unlock()
	s.faults.next++
	s.faults.faults = append(s.faults.faults, &faultEntry{id: s.faults.next, f: f, left: f.Times, forev: f.Times <= 0})
	return s.faults.next
}

// RemoveFault removes a fault; removing one that is gone is a no-op.
func (s *Server) RemoveFault(id FaultID) {
	s.faults.mu.Lock()
	defer s.faults.mu.Unlock()
	for i, e := range s.faults.faults {
		if e.id == id {
			s.faults.faults = append(s.faults.faults[:i:i], s.faults.faults[i+1:]...)
			return
		}
	}
}

// ClearFaults removes every fault.
func (s *Server) ClearFaults() {
	s.faults.mu.Lock()
	s.faults.faults = nil
	s.faults.mu.Unlock()
}

func (f *Fault) matches(r *http.Request) bool {
	return requestMatches(f.Method, f.Path, r.Method, r.URL.Path)
}

// requestMatches reports whether a request (method, path) matches a
// pattern: method "" matches any; path matches exactly, or as a prefix
// when it ends in "*".
func requestMatches(wantMethod, wantPath, method, path string) bool {
	if wantMethod != "" && !strings.EqualFold(wantMethod, method) {
		return false
	}
	if p, ok := strings.CutSuffix(wantPath, "*"); ok {
		return strings.HasPrefix(path, p)
	}
	return wantPath == path
}

// take returns the first matching fault and uses up one of its times.
func (fs *faultSet) take(r *http.Request) (Fault, bool) {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	for i, e := range fs.faults {
		if !e.f.matches(r) {
			continue
		}
		if !e.forev {
			e.left--
			if e.left <= 0 {
				fs.faults = append(fs.faults[:i:i], fs.faults[i+1:]...)
			}
		}
		return e.f, true
	}
	return Fault{}, false
}

// injectFaults applies faults before next.
func (s *Server) injectFaults(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f, ok := s.faults.take(r)
		if !ok {
			next.ServeHTTP(w, r)
			return
		}
		if f.Latency > 0 {
			t := time.NewTimer(f.Latency)
			select {
			case <-t.C:
			case <-r.Context().Done():
				t.Stop()
				return
			}
		}
		if f.Reset {
			conn, _, err := http.NewResponseController(w).Hijack()
			if err == nil {
				_ = conn.Close()
				return
			}
			panic(http.ErrAbortHandler)
		}
		if f.Status == 0 {
			next.ServeHTTP(w, r)
			return
		}
		if f.RetryAfter > 0 {
			w.Header().Set("Retry-After", strconv.Itoa(int((f.RetryAfter+time.Second-1)/time.Second)))
		}
		if b := strings.TrimSpace(f.Body); strings.HasPrefix(b, "{") || strings.HasPrefix(b, "[") {
			w.Header().Set("Content-Type", "application/json")
		} else if f.Body != "" {
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		}
		w.WriteHeader(f.Status)
		_, _ = w.Write([]byte(f.Body))
	})
}
