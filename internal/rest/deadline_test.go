package rest

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/kcgo/kc"
)

// Which deadline ended a call: the per-attempt timeout matches
// kc.ErrAttemptTimeout and context.DeadlineExceeded and names the timeout;
// the call's own deadline matches context.DeadlineExceeded only and says so.
func TestDeadlineErrors(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/half" {
			// Headers and part of the body, then nothing: the timeout
			// fires while the body is read.
			w.Write([]byte(`{"a":`))
			w.(http.Flusher).Flush()
		}
		<-r.Context().Done()
	}))
	t.Cleanup(srv.Close)
	hour := context.Background()
	// The body cases give the headers a whole second to arrive, so that
	// the timeout fires while the body is read even on a loaded machine.
	for _, tc := range []struct {
		name        string
		path        string
		opts        []kc.Option
		ctxTimeout  time.Duration
		wantAttempt bool
		wantText    string
	}{
		{"attempt", "/hang", []kc.Option{kc.WithTimeout(50 * time.Millisecond), fastRetry}, 0, true,
			"test: GET " + srv.URL + "/hang: attempt timed out: no complete answer within 50ms (the per-attempt timeout, kc.WithTimeout; the call's context still had time)"},
		{"attempt, reading the body", "/half", []kc.Option{kc.WithTimeout(time.Second), kc.WithoutRetry()}, 0, true,
			"test: GET " + srv.URL + "/half: decoding 200 answer: attempt timed out: no complete answer within 1s (the per-attempt timeout, kc.WithTimeout; the call's context still had time)"},
		{"attempt, the caller's http.Client", "/hang", []kc.Option{kc.WithHTTPClient(&http.Client{Timeout: 40 * time.Millisecond}), kc.WithoutRetry()}, 0, true,
			"test: GET " + srv.URL + "/hang: attempt timed out: no complete answer within 40ms (the per-attempt timeout, the Timeout of kc.WithHTTPClient's client; the call's context still had time)"},
		{"call", "/hang", []kc.Option{kc.WithTimeout(time.Hour)}, 50 * time.Millisecond, false,
			"test: GET " + srv.URL + "/hang: context deadline exceeded (the deadline of the call's context)"},
		{"call, reading the body", "/half", []kc.Option{kc.WithTimeout(time.Hour)}, time.Second, false,
			"test: GET " + srv.URL + "/half: decoding 200 answer: context deadline exceeded (the deadline of the call's context)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ctx, cancel := context.WithCancel(hour)
			if tc.ctxTimeout > 0 {
				ctx, cancel = context.WithTimeout(hour, tc.ctxTimeout)
			}
			defer cancel()
			c := newClient(t, srv.URL, tc.opts...)
			var out map[string]any
			_, err := c.Do(ctx, &Request{Method: "GET", Path: []string{strings.TrimPrefix(tc.path, "/")}}, &out)
			if !errors.Is(err, context.DeadlineExceeded) {
				t.Errorf("error %v does not match context.DeadlineExceeded", err)
			}
			if got := errors.Is(err, kc.ErrAttemptTimeout); got != tc.wantAttempt {
				t.Errorf("errors.Is(%v, kc.ErrAttemptTimeout) = %v, want %v", err, got, tc.wantAttempt)
			}
			if err == nil || err.Error() != tc.wantText {
				t.Errorf("error = %v\nwant    %s", err, tc.wantText)
			}
		})
	}

	// A cancelled call is context.Canceled, not a deadline.
	ctx, cancel := context.WithCancel(hour)
	cancel()
	_, err := newClient(t, srv.URL).Do(ctx, &Request{Method: "GET"}, nil)
	if !errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) || errors.Is(err, kc.ErrAttemptTimeout) {
		t.Errorf("cancelled call: %v, want context.Canceled only", err)
	}
}
