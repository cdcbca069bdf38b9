// Package settings holds the configuration that kc options write and every
// API package reads. It is internal so that only this module can implement
// kc.Option: the option interface's method takes a *Settings.
package settings

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"
)

// Defaults applied when an option is not given.
const (
	DefaultTimeout       = 30 * time.Second
	DefaultAttempts      = 3
	DefaultMinBackoff    = 250 * time.Millisecond
	DefaultMaxBackoff    = 5 * time.Second
	DefaultMaxRetryAfter = time.Minute
	// DefaultMaxBody bounds a success body: enough for a partial export
	// of a realm with 100,000 users on one page.
	DefaultMaxBody = 64 << 20
)

// Retry is the retry policy of a client.
type Retry struct {
	Attempts   int // total attempts, the first included; 1 disables retries
	MinBackoff time.Duration
	MaxBackoff time.Duration
}

// Settings is what the options configure.
type Settings struct {
	HTTPClient *http.Client // the caller's client, wrapped, never replaced
	Retry      Retry
	Timeout    time.Duration // per attempt
	TimeoutSet bool          // WithTimeout was given
	UserAgent  string        // the caller's product, put before kc's own
	Logger     *slog.Logger
	BasePath   string // e.g. "/auth" for Keycloak 16 and older
	MaxBody    int64  // bound of a success body, in bytes

	ext []ext
}

type ext struct {
	name  string
	apply any // func(*T) error for some package config T
}

// Option is implemented by kc.Option values. It is declared here, with the
// same method set, so that this package needs no import of package kc.
type Option interface {
	Apply(*Settings) error
}

// New returns the settings with the defaults, then applies opts in order.
// The first option error is returned; nil options are rejected.
func New[O Option](opts []O) (*Settings, error) {
	s := &Settings{
		Retry:   Retry{Attempts: DefaultAttempts, MinBackoff: DefaultMinBackoff, MaxBackoff: DefaultMaxBackoff},
		Timeout: DefaultTimeout,
		MaxBody: DefaultMaxBody,
	}
	var errs []error
	for i, o := range opts {
		if any(o) == nil {
			errs = append(errs, fmt.Errorf("option %d is nil", i))
			continue
		}
		if err := o.Apply(s); err != nil {
			errs = append(errs, err)
		}
	}
	return s, errors.Join(errs...)
}

// Clone returns a copy that can be changed without changing s.
func (s *Settings) Clone() *Settings {
	c := *s
	c.ext = append([]ext(nil), s.ext...)
	return &c
}

// PackageOption is an option that only one API package understands. It
// implements kc.Option; the package reads it with [Apply].
type PackageOption[T any] struct {
	Name string // how the option is spelled, e.g. "oidc.WithClientSecret"
	F    func(*T) error
}

// Apply records the option for the package that reads it.
func (o PackageOption[T]) Apply(s *Settings) error {
	if o.F == nil {
		return fmt.Errorf("%s: no function", o.Name)
	}
	s.ext = append(s.ext, ext{name: o.Name, apply: o.F})
	return nil
}

// ApplyPackage runs the package options of type T on cfg, in the order
// they were given. An option meant for another package is an error: kc
// never silently drops an option.
func ApplyPackage[T any](s *Settings, pkg string, cfg *T) error {
	var errs []error
	for _, e := range s.ext {
		f, ok := e.apply.(func(*T) error)
		if !ok {
			errs = append(errs, fmt.Errorf("%s: option %s does not apply to package %s", pkg, e.name, pkg))
			continue
		}
		if err := f(cfg); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// WithoutPackageOptions returns a copy of s without package options: what
// a Realm passes on to each API package.
func (s *Settings) WithoutPackageOptions() *Settings {
	c := *s
	c.ext = nil
	return &c
}

// Inherit returns an option that gives a client the common settings of s,
// without its package options: for a package that makes a client of
// another package (uma's PAT comes from an oidc client).
func Inherit(s *Settings) Option { return inherit{s.WithoutPackageOptions()} }

type inherit struct{ s *Settings }

func (o inherit) Apply(dst *Settings) error {
	ext := dst.ext
	*dst = *o.s
	dst.ext = ext
	return nil
}
