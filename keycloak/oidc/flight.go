package oidc

import (
	"context"
	"errors"
	"sync"
)

// flight runs one call at a time for all the goroutines that ask, like
// singleflight, but in the goroutine of the first caller with its context:
// no goroutine outlives the callers. A waiter whose context ends returns at
// once; a waiter whose leader gave up because the leader's context ended
// tries again itself.
type flight[T any] struct {
	mu sync.Mutex
	c  *flightCall[T]
}

type flightCall[T any] struct {
	done chan struct{}
	val  T
	err  error
}

var errRateLimited = errors.New("rate limited")

func (f *flight[T]) do(ctx context.Context, fn func(context.Context) (T, error)) (T, error) {
	return f.doIf(ctx, nil, fn)
}

// doIf is do, except that when no call is in flight a new one starts only
// if start (run under the flight's lock; nil allows all) allows it;
// otherwise doIf returns errRateLimited.
func (f *flight[T]) doIf(ctx context.Context, start func() bool, fn func(context.Context) (T, error)) (T, error) {
	var zero T
	for {
		f.mu.Lock()
		if c := f.c; c != nil {
			f.mu.Unlock()
			select {
			case <-c.done:
				if c.err != nil && isContextErr(c.err) && ctx.Err() == nil {
					continue
				}
				return c.val, c.err
			case <-ctx.Done():
				return zero, ctx.Err()
			}
		}
		if start != nil && !start() {
			f.mu.Unlock()
			return zero, errRateLimited
		}
		c := &flightCall[T]{done: make(chan struct{})}
		f.c = c
		f.mu.Unlock()

		func() {
			defer func() {
				f.mu.Lock()
				f.c = nil
				f.mu.Unlock()
				close(c.done)
			}()
			c.val, c.err = fn(ctx)
		}()
		return c.val, c.err
	}
}

func isContextErr(err error) bool {
	return errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}
