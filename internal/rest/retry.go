package rest

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"strconv"
	"time"

	"github.com/hashicorp/go-retryablehttp"

	"github.com/kcgo/kc/internal/redact"
	"github.com/kcgo/kc/internal/settings"
)

// newRetryClients returns two clients over one *http.Client: one retries
// by kc's policy, the other sends each request once.
func newRetryClients(s *settings.Settings, logger *slog.Logger) (retrying, once *retryablehttp.Client) {
	var hc http.Client
	if s.HTTPClient != nil {
		hc = *s.HTTPClient // wrap the caller's client: transport, jar, redirects
	} else {
		hc = *defaultHTTPClient()
	}
	switch {
	case s.TimeoutSet, hc.Timeout <= 0:
		hc.Timeout = s.Timeout
	}
	// Keycloak never redirects an API call; following one would carry
	// the form (password, client secret) or the Authorization header to
	// whatever the Location names. The 3xx answer comes back to finish,
	// which makes it an error naming the Location.
	hc.CheckRedirect = refuseRedirect
	if logger != nil {
		next := hc.Transport
		if next == nil {
			next = http.DefaultTransport
		}
		hc.Transport = &logTransport{next: next, logger: logger}
	}
	retrying = &retryablehttp.Client{
		HTTPClient:   &hc,
		Logger:       nil, // retryablehttp's default logger prints to stderr
		RetryWaitMin: s.Retry.MinBackoff,
		RetryWaitMax: s.Retry.MaxBackoff,
		RetryMax:     s.Retry.Attempts - 1,
		CheckRetry:   CheckRetry,
		Backoff:      backoffLogger(logger),
		ErrorHandler: retryablehttp.PassthroughErrorHandler,
	}
	once = &retryablehttp.Client{
		HTTPClient:   &hc,
		Logger:       nil,
		RetryMax:     0,
		CheckRetry:   noRetry,
		Backoff:      Backoff,
		ErrorHandler: retryablehttp.PassthroughErrorHandler,
	}
	return retrying, once
}

// roundTrip sends hr, whose context is ctx, with the body body (nil: none)
// by rc's policy, as rc.Do would: the first attempt goes straight to
// rc.HTTPClient, which is all a call costs when it needs no retry; when
// rc.CheckRetry asks for another attempt, roundTrip waits rc.Backoff and
// hands the request to rc's own retry loop (go-retryablehttp's Client.Do)
// for the attempts left, its Backoff counting on from the second attempt.
// Like rc.Do with PassthroughErrorHandler, it returns the last answer and
// the error of the policy or of the transport, and closes rc.HTTPClient's
// idle connections when it gives up.
func roundTrip(ctx context.Context, rc *retryablehttp.Client, hr *http.Request, body []byte) (*http.Response, error) {
	setBody(hr, body)
	resp, doErr := rc.HTTPClient.Do(hr)
	retry, checkErr := rc.CheckRetry(ctx, resp, doErr)
	if !retry || rc.RetryMax <= 0 {
		if !retry && doErr == nil && checkErr == nil {
			return resp, nil
		}
		rc.HTTPClient.CloseIdleConnections()
		if checkErr != nil {
			return resp, checkErr
		}
		return resp, doErr
	}
	if doErr == nil {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 4096)) // as rc.Do drains before a retry
		resp.Body.Close()
	}
	timer := time.NewTimer(rc.Backoff(rc.RetryWaitMin, rc.RetryWaitMax, 0, resp))
	select {
	case <-ctx.Done():
		timer.Stop()
		rc.HTTPClient.CloseIdleConnections()
		return nil, ctx.Err()
	case <-timer.C:
	}
	backoff := rc.Backoff
	rest := &retryablehttp.Client{
		HTTPClient:   rc.HTTPClient,
		RetryWaitMin: rc.RetryWaitMin,
		RetryWaitMax: rc.RetryWaitMax,
		RetryMax:     rc.RetryMax - 1,
		CheckRetry:   rc.CheckRetry,
		Backoff: func(minWait, maxWait time.Duration, n int, resp *http.Response) time.Duration {
			return backoff(minWait, maxWait, n+1, resp)
		},
		ErrorHandler: rc.ErrorHandler,
	}
	next := *hr // a new request: the transport may still be closing the first one's body
	next.Body, next.GetBody, next.ContentLength = nil, nil, 0
	rr, err := retryablehttp.FromRequest(&next)
	if err == nil && body != nil {
		err = rr.SetBody(body)
	}
	if err != nil {
		return nil, err
	}
	return rest.Do(rr)
}

// setBody gives hr the body b, readable again for a retry, as
// go-retryablehttp's Request.SetBody does.
func setBody(hr *http.Request, b []byte) {
	if b == nil {
		return
	}
	hr.ContentLength = int64(len(b))
	hr.Body = io.NopCloser(bytes.NewReader(b))
	hr.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(b)), nil }
}

// noRetry is the policy of requests that are not safe to repeat.
func noRetry(ctx context.Context, _ *http.Response, err error) (bool, error) {
	if ctx.Err() != nil {
		return false, ctx.Err()
	}
	return false, err
}

// CheckRetry is kc's retry policy for requests that are safe to repeat:
// nothing once the context has ended; connection errors that a new attempt
// can cure; and the answers 429, 502, 503 and 504, unless their
// Retry-After asks for more than settings.DefaultMaxRetryAfter.
func CheckRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	if ctx.Err() != nil {
		return false, ctx.Err()
	}
	if err != nil {
		return retryablehttp.DefaultRetryPolicy(ctx, nil, err)
	}
	switch resp.StatusCode {
	case http.StatusTooManyRequests, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		if d, ok := RetryAfter(resp, time.Now()); ok && d > settings.DefaultMaxRetryAfter {
			return false, nil
		}
		return true, nil
	}
	return false, nil
}

// RetryAfter parses the Retry-After header of resp, in seconds or as an
// HTTP date relative to now.
func RetryAfter(resp *http.Response, now time.Time) (time.Duration, bool) {
	if resp == nil {
		return 0, false
	}
	v := resp.Header.Get("Retry-After")
	if v == "" {
		return 0, false
	}
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		if n < 0 {
			return 0, false
		}
		return time.Duration(n) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(t.Sub(now), 0), true
	}
	return 0, false
}

// Backoff returns how long to wait before attempt n+1: what Retry-After
// says if the answer has one, else a random duration between min and
// min·2ⁿ, capped at max (exponential backoff with jitter).
func Backoff(minWait, maxWait time.Duration, n int, resp *http.Response) time.Duration {
	if d, ok := RetryAfter(resp, time.Now()); ok {
		return d
	}
	ceil := minWait
	for i := 0; i < n && ceil < maxWait; i++ {
		ceil *= 2
	}
	ceil = min(ceil, maxWait)
	if ceil <= minWait {
		return minWait
	}
	return minWait + rand.N(ceil-minWait+1)
}

func backoffLogger(logger *slog.Logger) retryablehttp.Backoff {
	if logger == nil {
		return Backoff
	}
	return func(minWait, maxWait time.Duration, n int, resp *http.Response) time.Duration {
		d := Backoff(minWait, maxWait, n, resp)
		attrs := []any{slog.Int("attempt", n+2), slog.Duration("wait", d)}
		if resp != nil && resp.Request != nil {
			attrs = append(attrs, slog.String("method", resp.Request.Method),
				slog.String("url", redact.URL(resp.Request.URL)), slog.Int("status", resp.StatusCode))
		}
		logger.Info("kc: retrying request", attrs...)
		return d
	}
}

// logTransport logs each attempt: method, redacted URL, status, duration.
// No header or body is logged.
type logTransport struct {
	next   http.RoundTripper
	logger *slog.Logger
}

func (t *logTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	start := time.Now()
	resp, err := t.next.RoundTrip(req)
	attrs := []any{slog.String("method", req.Method), slog.String("url", redact.URL(req.URL)),
		slog.Duration("duration", time.Since(start))}
	if err != nil {
		t.logger.LogAttrs(req.Context(), slog.LevelDebug, "kc: request failed",
			slog.String("method", req.Method), slog.String("url", redact.URL(req.URL)), slog.String("error", err.Error()))
		return nil, err
	}
	attrs = append(attrs, slog.Int("status", resp.StatusCode))
	t.logger.Debug("kc: request", attrs...)
	return resp, nil
}

func refuseRedirect(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
