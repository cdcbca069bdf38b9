package admin_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/kcgo/kc"
	"github.com/kcgo/kc/keycloak/admin"
	"github.com/kcgo/kc/keycloak/kctest"
)

// seedUsers adds n users to realm acme with partial imports of 5,000.
func seedUsers(tb testing.TB, e *env, n int) {
	tb.Helper()
	const chunk = 5000
	for start := 0; start < n; start += chunk {
		p := &admin.PartialImport{}
		for i := start; i < min(start+chunk, n); i++ {
			p.Users = append(p.Users, admin.User{
				Username: fmt.Sprintf("user%06d", i), Email: kc.Ptr(fmt.Sprintf("user%06d@example.com", i)),
				FirstName: kc.Ptr("First"), LastName: kc.Ptr("Last"), Enabled: kc.Ptr(true),
				Attributes: map[string][]string{"dept": {"d1"}},
			})
		}
		res, err := e.c.Realms.PartialImport(context.Background(), "acme", p)
		if err != nil || res.Added != len(p.Users) {
			tb.Fatalf("seeding users %d..: %v", start, err)
		}
	}
}

func countUserListRequests(srv *kctest.Server) int {
	return srv.RequestCount("GET", "/admin/realms/acme/users")
}

// TestIterateTenThousandUsers: All pages through 10,000 users 100 at a
// time (101 requests: the last page is empty) and sees each user once.
func TestIterateTenThousandUsers(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("seeds 10,000 users")
	}
	// A clock that stands still: the admin token cannot expire while
	// 10,000 users are seeded on a loaded machine, so no request is
	// answered 401 and sent again after a new token.
	now := time.Now()
	e := setup(t, kctest.WithClock(func() time.Time { return now }))
	seedUsers(t, e, 10_000)
	seen := make(map[string]bool, 10_000)
	for u, err := range e.realm.Users.All(t.Context(), nil) {
		if err != nil {
			t.Fatal(err)
		}
		if seen[u.ID] {
			t.Fatalf("user %s twice", u.Username)
		}
		seen[u.ID] = true
	}
	if len(seen) != 10_000 {
		t.Errorf("saw %d users", len(seen))
	}
	if n := countUserListRequests(e.srv); n != 101 {
		t.Errorf("%d list requests, want 101 (100 full pages and an empty one)", n)
	}
}

// BenchmarkIterateUsers iterates over every user with Users.All (one page
// of 100 at a time) and, for contrast, lists them all in one request.
// peak-heap-MB is the largest live heap seen after a GC at page
// boundaries (with the timer stopped), the in-process kctest server and
// its users included.
func BenchmarkIterateUsers(b *testing.B) {
	for _, n := range []int{10_000, 100_000} {
		e := setup(b)
		seedUsers(b, e, n)
		b.Run(fmt.Sprintf("All/users=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			var peak uint64
			for b.Loop() {
				i := 0
				for _, err := range e.realm.Users.All(b.Context(), nil) {
					if err != nil {
						b.Fatal(err)
					}
					if i++; i%admin.DefaultPageSize == 0 {
						b.StopTimer() // the forced GC is not the iterator's cost
						peak = max(peak, liveHeap())
						b.StartTimer()
					}
				}
				if i != n {
					b.Fatalf("saw %d users", i)
				}
			}
			b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
		})
		b.Run(fmt.Sprintf("OneList/users=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			var peak uint64
			for b.Loop() {
				users, err := e.realm.Users.List(b.Context(), &admin.UserListOptions{Max: n})
				if err != nil || len(users) != n {
					b.Fatal(len(users), err)
				}
				b.StopTimer()
				peak = max(peak, liveHeap())
				b.StartTimer()
				runtime.KeepAlive(users)
			}
			b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
		})
	}
}

func liveHeap() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// plainUser is what a hand-written client would decode.
type plainUser struct {
	ID               string              `json:"id"`
	Username         string              `json:"username"`
	FirstName        string              `json:"firstName"`
	LastName         string              `json:"lastName"`
	Email            string              `json:"email"`
	EmailVerified    bool                `json:"emailVerified"`
	Enabled          bool                `json:"enabled"`
	CreatedTimestamp int64               `json:"createdTimestamp"`
	Attributes       map[string][]string `json:"attributes"`
	RequiredActions  []string            `json:"requiredActions"`
}

// BenchmarkListUsers lists 1 and 100 users over loopback with admin and
// with plain net/http + encoding/json against the same kctest server.
func BenchmarkListUsers(b *testing.B) {
	e := setup(b)
	seedUsers(b, e, 100)
	ctx := b.Context()
	tok, err := e.ts.Token(ctx)
	if err != nil {
		b.Fatal(err)
	}
	hc := &http.Client{}
	base := e.srv.URL + "/admin/realms/acme/users"
	for _, n := range []int{1, 100} {
		b.Run(fmt.Sprintf("admin/n=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			opts := &admin.UserListOptions{Max: n}
			for b.Loop() {
				users, err := e.realm.Users.List(ctx, opts)
				if err != nil || len(users) != n {
					b.Fatal(len(users), err)
				}
			}
		})
		b.Run(fmt.Sprintf("nethttp/n=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			u := fmt.Sprintf("%s?max=%d", base, n)
			for b.Loop() {
				req, _ := http.NewRequestWithContext(ctx, "GET", u, nil)
				req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
				req.Header.Set("Accept", "application/json")
				resp, err := hc.Do(req)
				if err != nil {
					b.Fatal(err)
				}
				var users []plainUser
				err = json.NewDecoder(resp.Body).Decode(&users)
				resp.Body.Close()
				if err != nil || resp.StatusCode != 200 || len(users) != n {
					b.Fatal(resp.StatusCode, err)
				}
			}
		})
	}
	_ = strings.TrimSpace
}
