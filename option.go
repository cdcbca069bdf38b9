package kc

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/kcgo/kc/internal/settings"
)

// Option configures a client of any kc API package. The common options are
// declared here; each API package adds its own (oidc.WithClientSecret,
// ...). Options validate their argument: a constructor given a bad option
// returns an error naming it, and never panics.
//
// Option is sealed: its method takes an internal type, so only this module
// can implement it.
type Option interface {
	Apply(*settings.Settings) error
}

type optionFunc func(*settings.Settings) error

func (f optionFunc) Apply(s *settings.Settings) error { return f(s) }

// WithHTTPClient makes every request go through hc's transport and cookie
// jar. hc's redirect policy does not apply: kc follows no redirect of an
// API call (the call fails with [ErrRedirect]). kc copies hc and wraps its transport: the retry
// policy, the per-attempt timeout, the user agent and the logger of the
// other options still apply, whatever order the options come in. When no
// [WithTimeout] is given, a non-zero hc.Timeout is used as the per-attempt
// timeout.
func WithHTTPClient(hc *http.Client) Option {
	return optionFunc(func(s *settings.Settings) error {
		if hc == nil {
			return errors.New("kc.WithHTTPClient: client is nil")
		}
		s.HTTPClient = hc
		return nil
	})
}

// WithRetry sets the retry policy: at most attempts tries in all (1 turns
// retries off), with an exponential backoff from minBackoff up to
// maxBackoff and full jitter. The default is 3 attempts, 250ms to 5s.
//
// kc retries only what is safe to repeat: GET, HEAD, PUT and DELETE on a
// connection error or a 429, 502, 503 or 504 answer, and a POST only where
// its method says so (the documentation of such a method tells). A
// Retry-After header of up to one minute is honoured; a longer one ends the
// retries and the call returns the answer. Retries stop as soon as the
// context ends.
func WithRetry(attempts int, minBackoff, maxBackoff time.Duration) Option {
	return optionFunc(func(s *settings.Settings) error {
		switch {
		case attempts < 1:
			return fmt.Errorf("kc.WithRetry: attempts is %d, want at least 1", attempts)
		case minBackoff < 0:
			return fmt.Errorf("kc.WithRetry: minBackoff is negative (%v)", minBackoff)
		case maxBackoff < minBackoff:
			return fmt.Errorf("kc.WithRetry: maxBackoff %v is less than minBackoff %v", maxBackoff, minBackoff)
		}
		s.Retry = settings.Retry{Attempts: attempts, MinBackoff: minBackoff, MaxBackoff: maxBackoff}
		return nil
	})
}

// WithoutRetry turns retries off: every request is sent once.
func WithoutRetry() Option { return WithRetry(1, 0, 0) }

// WithTimeout bounds each attempt of a request, reading its answer
// included. The default is 30 seconds, so no call can hang forever even
// with a context that never ends. The context bounds the whole call,
// retries included. A call whose last attempt ran out of this time fails
// with an error matching both [ErrAttemptTimeout] and
// context.DeadlineExceeded; one whose context's deadline passed matches
// context.DeadlineExceeded only.
func WithTimeout(d time.Duration) Option {
	return optionFunc(func(s *settings.Settings) error {
		if d <= 0 {
			return fmt.Errorf("kc.WithTimeout: timeout must be positive, got %v", d)
		}
		s.Timeout = d
		s.TimeoutSet = true
		return nil
	})
}

// WithUserAgent puts product (for example "billing/1.4") before kc's own
// User-Agent on every request.
func WithUserAgent(product string) Option {
	return optionFunc(func(s *settings.Settings) error {
		if strings.TrimSpace(product) == "" {
			return errors.New("kc.WithUserAgent: product is empty")
		}
		if strings.ContainsFunc(product, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
			return errors.New("kc.WithUserAgent: product contains a control character")
		}
		s.UserAgent = product
		return nil
	})
}

// WithLogger logs each attempt of each request at debug level (method,
// URL, status, duration, attempt) and each retry at info level. Secrets
// never reach the log: query parameters that may hold one are redacted,
// and no header or body is logged. Without this option kc logs nothing.
func WithLogger(l *slog.Logger) Option {
	return optionFunc(func(s *settings.Settings) error {
		if l == nil {
			return errors.New("kc.WithLogger: logger is nil")
		}
		s.Logger = l
		return nil
	})
}

// WithBasePath puts path between the server URL and every path kc builds,
// in every package: the OpenID Connect endpoints, the Admin REST API, the
// Protection API. Keycloak 16 and older (and newer ones started with
// --http-relative-path=/auth) serve under "/auth"; see [WithLegacyAuthPath].
// The path must start with "/". A server URL that already ends in the path
// works too: give one or the other.
func WithBasePath(path string) Option {
	return optionFunc(func(s *settings.Settings) error {
		if !strings.HasPrefix(path, "/") {
			return fmt.Errorf("kc.WithBasePath: path %q must start with /", path)
		}
		if strings.ContainsAny(path, "?#%") || strings.Contains(path, "//") {
			return fmt.Errorf("kc.WithBasePath: path %q must be a plain path", path)
		}
		for seg := range strings.SplitSeq(strings.Trim(path, "/"), "/") {
			if seg == "." || seg == ".." {
				return fmt.Errorf("kc.WithBasePath: path %q has a dot segment", path)
			}
		}
		s.BasePath = strings.TrimSuffix(path, "/")
		return nil
	})
}

// WithLegacyAuthPath is WithBasePath("/auth"), the context path of
// Keycloak 16 and older.
func WithLegacyAuthPath() Option { return WithBasePath("/auth") }

// WithMaxResponseBody bounds the body of a success answer to n bytes: a
// call whose answer is longer fails with an error that wraps
// [ErrResponseTooLarge] and names the limit, having read no more than n
// bytes of it. The default, 64 MiB, holds a partial export of a realm with
// 100,000 users on one page. Error bodies are bounded separately, to
// [MaxErrorBody].
func WithMaxResponseBody(n int64) Option {
	return optionFunc(func(s *settings.Settings) error {
		if n <= 0 {
			return fmt.Errorf("kc.WithMaxResponseBody: limit must be positive, got %d", n)
		}
		s.MaxBody = n
		return nil
	})
}
