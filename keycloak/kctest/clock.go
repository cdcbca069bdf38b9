package kctest

import (
	"sync"
	"time"
)

// timeSource tells kctest the current time. Tokens, authorization codes,
// device codes and sessions expire by it.
type timeSource interface {
	Now() time.Time
}

// funcClock is the timeSource of [WithClock].
type funcClock func() time.Time

func (f funcClock) Now() time.Time { return f() }

type systemClock struct{}

func (systemClock) Now() time.Time { return time.Now() }

// FakeClock is a clock that only moves when told to: pass its Now to
// [WithClock] (and to oidc.WithClock) instead of sleeping. It is safe for
// concurrent use.
type FakeClock struct {
	mu  sync.Mutex
	now time.Time
}

// NewFakeClock returns a FakeClock set to t.
func NewFakeClock(t time.Time) *FakeClock { return &FakeClock{now: t} }

// Now returns the clock's current time.
func (c *FakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock forward by d.
func (c *FakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// Set sets the clock to t.
func (c *FakeClock) Set(t time.Time) {
	c.mu.Lock()
	c.now = t
	c.mu.Unlock()
}
