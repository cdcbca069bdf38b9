package kc_test

import (
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/kcgo/kc"
	"github.com/kcgo/kc/internal/settings"
)

func TestOptionValidation(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		opt     kc.Option
		wantErr string
	}{
		{"nil client", kc.WithHTTPClient(nil), "WithHTTPClient: client is nil"},
		{"zero attempts", kc.WithRetry(0, time.Second, time.Second), "attempts is 0"},
		{"negative backoff", kc.WithRetry(2, -time.Second, time.Second), "minBackoff is negative"},
		{"max below min", kc.WithRetry(2, time.Second, time.Millisecond), "maxBackoff 1ms is less than minBackoff 1s"},
		{"zero timeout", kc.WithTimeout(0), "timeout must be positive"},
		{"negative timeout", kc.WithTimeout(-time.Second), "timeout must be positive"},
		{"empty user agent", kc.WithUserAgent(" "), "WithUserAgent: product is empty"},
		{"user agent with newline", kc.WithUserAgent("a\r\nX-Evil: 1"), "control character"},
		{"nil logger", kc.WithLogger(nil), "WithLogger: logger is nil"},
		{"relative base path", kc.WithBasePath("auth"), "must start with /"},
		{"base path with query", kc.WithBasePath("/auth?x"), "must be a plain path"},
		{"base path climbing", kc.WithBasePath("/a/../b"), "dot segment"},
		{"good client", kc.WithHTTPClient(http.DefaultClient), ""},
		{"good retry", kc.WithRetry(1, 0, 0), ""},
		{"no retry", kc.WithoutRetry(), ""},
		{"good timeout", kc.WithTimeout(time.Second), ""},
		{"good user agent", kc.WithUserAgent("billing/1.4"), ""},
		{"good logger", kc.WithLogger(slog.Default()), ""},
		{"legacy path", kc.WithLegacyAuthPath(), ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := settings.New([]kc.Option{tc.opt})
			switch {
			case tc.wantErr == "" && err != nil:
				t.Errorf("err = %v, want nil", err)
			case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
				t.Errorf("err = %v, want one containing %q", err, tc.wantErr)
			}
		})
	}
}

func TestOptionsApplyInOrderWithDefaults(t *testing.T) {
	t.Parallel()
	s, err := settings.New([]kc.Option{kc.WithTimeout(time.Second), kc.WithTimeout(2 * time.Second), kc.WithBasePath("/auth/")})
	if err != nil {
		t.Fatal(err)
	}
	if s.Timeout != 2*time.Second || s.BasePath != "/auth" {
		t.Errorf("timeout %v base %q", s.Timeout, s.BasePath)
	}
	d, _ := settings.New[kc.Option](nil)
	if d.Timeout != 30*time.Second || d.Retry.Attempts != 3 || d.Logger != nil {
		t.Errorf("defaults: %+v", d)
	}
	if _, err := settings.New([]kc.Option{nil}); err == nil {
		t.Error("a nil option was accepted")
	}
}

type pkgA struct{ v string }
type pkgB struct{}

func TestPackageOptionsDoNotCrossPackages(t *testing.T) {
	t.Parallel()
	optA := settings.PackageOption[pkgA]{Name: "a.WithV", F: func(c *pkgA) error { c.v = "set"; return nil }}
	s, err := settings.New([]kc.Option{optA})
	if err != nil {
		t.Fatal(err)
	}
	var a pkgA
	if err := settings.ApplyPackage(s, "a", &a); err != nil || a.v != "set" {
		t.Errorf("package a: %v, %q", err, a.v)
	}
	var b pkgB
	err = settings.ApplyPackage(s, "b", &b)
	if err == nil || !strings.Contains(err.Error(), "option a.WithV does not apply to package b") {
		t.Errorf("package b: err = %v", err)
	}
}
