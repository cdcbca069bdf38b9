package benchmarks

import (
	"context"
	"fmt"
	"runtime"
	"runtime/metrics"
	"sync"
	"testing"
	"time"

	"github.com/kcgo/kc"
	"github.com/kcgo/kc/keycloak/admin"
)

// heapSampler records the peak of the live-and-unswept heap while it runs,
// reading runtime/metrics (which, unlike runtime.ReadMemStats, does not
// stop the world) every 100µs.
type heapSampler struct {
	stop chan struct{}
	done sync.WaitGroup
	peak uint64
}

const heapMetric = "/memory/classes/heap/objects:bytes"

func heapBytes() uint64 {
	s := []metrics.Sample{{Name: heapMetric}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

// startHeapSampler collects garbage, then samples until stopped. The
// result is the peak above the heap at the start.
func startHeapSampler() *heapSampler {
	runtime.GC()
	h := &heapSampler{stop: make(chan struct{})}
	base := heapBytes()
	h.done.Add(1)
	go func() {
		defer h.done.Done()
		t := time.NewTicker(100 * time.Microsecond)
		defer t.Stop()
		for {
			if v := heapBytes(); v > base && v-base > h.peak {
				h.peak = v - base
			}
			select {
			case <-h.stop:
				return
			case <-t.C:
			}
		}
	}()
	return h
}

func (h *heapSampler) Stop() uint64 {
	close(h.stop)
	h.done.Wait()
	return h.peak
}

// userWalker goes through every user of the realm once and returns how
// many it saw.
type userWalker func(ctx context.Context) (int, error)

// kcIterate is admin.UsersService.All: one page (100 users) at a time.
func kcIterate(users *admin.UsersService) userWalker {
	return func(ctx context.Context) (int, error) {
		n := 0
		for u, err := range users.All(ctx, nil) {
			if err != nil {
				return n, err
			}
			if u.Username != "" {
				n++
			}
		}
		return n, nil
	}
}

// kcListAll is the other way: every user in one request, into one slice.
func kcListAll(users *admin.UsersService, total int) userWalker {
	return func(ctx context.Context) (int, error) {
		all, err := users.List(ctx, &admin.UserListOptions{Max: total + 10})
		if err != nil {
			return 0, err
		}
		n := 0
		for i := range all {
			if all[i].Username != "" {
				n++
			}
		}
		return n, nil
	}
}

func iterUsers(tb testing.TB, n int) *admin.UsersService {
	url := serverURL(tb)
	c, err := admin.New(url, kc.StaticAccessToken(adminToken(tb, url, benchRealm)))
	if err != nil {
		tb.Fatal(err)
	}
	return c.Realm(iterRealm(n)).Users
}

func TestIterateSidesAgree(t *testing.T) {
	if testing.Short() {
		t.Skip("walks 10,000 users")
	}
	n := iterSizes[0]
	users := iterUsers(t, n)
	for name, w := range map[string]userWalker{"iterator": kcIterate(users), "slice": kcListAll(users, n)} {
		got, err := w(t.Context())
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if got != n {
			t.Errorf("%s: saw %d users, want %d", name, got, n)
		}
	}
}

// BenchmarkIterateUsers walks 10,000 and 100,000 users with kc's
// iterator and with one List call into a slice, and reports the peak heap
// of the client (the server is another process) as peak-heap-bytes.
func BenchmarkIterateUsers(b *testing.B) {
	for _, n := range iterSizes {
		users := iterUsers(b, n)
		for _, side := range []struct {
			name string
			walk userWalker
		}{
			{"how=iterator", kcIterate(users)},
			{"how=slice", kcListAll(users, n)},
		} {
			b.Run(fmt.Sprintf("users=%d/%s", n, side.name), func(b *testing.B) {
				ctx := b.Context()
				b.ReportAllocs()
				var peak uint64
				for b.Loop() {
					b.StopTimer()
					h := startHeapSampler()
					b.StartTimer()
					got, err := side.walk(ctx)
					b.StopTimer()
					p := h.Stop()
					b.StartTimer()
					if err != nil {
						b.Fatal(err)
					}
					if got != n {
						b.Fatalf("saw %d users, want %d", got, n)
					}
					peak = max(peak, p)
				}
				b.ReportMetric(float64(peak), "peak-heap-bytes")
			})
		}
	}
}
