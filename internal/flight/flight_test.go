package flight

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
)

func TestOneCallForManyCallers(t *testing.T) {
	t.Parallel()
	var g Group[int]
	var calls atomic.Int32
	release := make(chan struct{})
	started := make(chan struct{})
	var wg sync.WaitGroup
	results := make([]int, 100)
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			v, err := g.Do(t.Context(), func(context.Context) (int, error) {
				if calls.Add(1) == 1 {
					close(started)
				}
				<-release
				return 42, nil
			})
			if err != nil {
				t.Error(err)
			}
			results[i] = v
		}()
	}
	<-started
	close(release)
	wg.Wait()
	// Goroutines that arrive after the first call ended start a new one:
	// fewer than 100 calls is the point, one is the common case.
	if n := calls.Load(); n < 1 || n > 100 {
		t.Fatalf("calls = %d", n)
	}
	for i, v := range results {
		if v != 42 {
			t.Fatalf("result %d = %d", i, v)
		}
	}
}

func TestWaiterLeavesWhenItsContextEnds(t *testing.T) {
	t.Parallel()
	var g Group[int]
	release := make(chan struct{})
	started := make(chan struct{})
	go g.Do(t.Context(), func(context.Context) (int, error) { close(started); <-release; return 1, nil })
	<-started
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := g.Do(ctx, func(context.Context) (int, error) { t.Error("second call ran"); return 0, nil }); !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v", err)
	}
	close(release)
}

func TestWaiterRetriesWhenTheLeaderGaveUp(t *testing.T) {
	t.Parallel()
	var g Group[int]
	leaderCtx, cancelLeader := context.WithCancel(t.Context())
	started := make(chan struct{})
	leaderDone := make(chan error, 1)
	go func() {
		_, err := g.Do(leaderCtx, func(ctx context.Context) (int, error) {
			close(started)
			<-ctx.Done()
			return 0, ctx.Err()
		})
		leaderDone <- err
	}()
	<-started
	waiter := make(chan int, 1)
	go func() {
		v, err := g.Do(t.Context(), func(context.Context) (int, error) { return 7, nil })
		if err != nil {
			t.Error(err)
		}
		waiter <- v
	}()
	cancelLeader()
	if err := <-leaderDone; !errors.Is(err, context.Canceled) {
		t.Errorf("leader err = %v", err)
	}
	if v := <-waiter; v != 7 {
		t.Errorf("waiter got %d, want 7 from its own call", v)
	}
}

func TestDoIfRateLimits(t *testing.T) {
	t.Parallel()
	var g Group[int]
	_, err := g.DoIf(t.Context(), func() bool { return false }, func(context.Context) (int, error) { return 1, nil })
	if !errors.Is(err, ErrRateLimited) {
		t.Errorf("err = %v", err)
	}
}
