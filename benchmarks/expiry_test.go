package benchmarks

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"

	"github.com/kcgo/kc"
	"github.com/kcgo/kc/keycloak/kctest"
)

// The expiry benchmark needs the server's request log and fake clock, so
// its kctest runs in this process.
const (
	expiryRealm    = "expiry"
	expiryLifespan = 5 * time.Minute
	callers        = 1000
)

type expiryServer struct {
	srv   *kctest.Server
	clock *kctest.FakeClock
}

func startExpiryServer(tb testing.TB) *expiryServer {
	clock := kctest.NewFakeClock(time.Now())
	srv := kctest.Start(tb, kctest.WithClock(clock.Now))
	if _, err := srv.AddRealm(kctest.Realm{Name: expiryRealm, AccessTokenLifespan: expiryLifespan}); err != nil {
		tb.Fatal(err)
	}
	if _, err := srv.AddClient(expiryRealm, kctest.Client{ClientID: serviceClient, Secret: serviceSecret, ServiceAccounts: true}); err != nil {
		tb.Fatal(err)
	}
	return &expiryServer{srv: srv, clock: clock}
}

// tokenRequests counts the token requests the server received since the
// last reset.
func (e *expiryServer) tokenRequests() int {
	n := 0
	for _, r := range e.srv.Requests() {
		if r.Method == "POST" && strings.HasSuffix(r.Path, "/protocol/openid-connect/token") {
			n++
		}
	}
	return n
}

// expirySide gives the token source to use after an expiry: cross moves
// past the current token's expiry and returns the source the callers share.
type expirySide struct {
	name  string
	cross func(ctx context.Context) kc.TokenSource
}

// oauth2Expiry is x/oauth2's ReuseTokenSource over clientcredentials.
// x/oauth2 reads the wall clock, which the fake clock cannot move, so each
// expiry is a ReuseTokenSource holding the token that just expired: the
// state a long-lived source is in when its token runs out.
func oauth2Expiry(e *expiryServer) expirySide {
	cfg := &clientcredentials.Config{
		ClientID:     serviceClient,
		ClientSecret: serviceSecret,
		TokenURL:     e.srv.URL + "/realms/" + expiryRealm + "/protocol/openid-connect/token",
		AuthStyle:    oauth2.AuthStyleInHeader,
	}
	return expirySide{"lib=x-oauth2", func(ctx context.Context) kc.TokenSource {
		expired := &oauth2.Token{AccessToken: "expired", TokenType: "Bearer", Expiry: time.Now().Add(-time.Second)}
		return kc.FromOAuth2(oauth2.ReuseTokenSource(expired, cfg.TokenSource(ctx)))
	}}
}

// crossExpiry lets callers goroutines ask src for a token at once and
// returns the first error.
func crossExpiry(ctx context.Context, src kc.TokenSource, callers int) error {
	var (
		wg    sync.WaitGroup
		start = make(chan struct{})
		mu    sync.Mutex
		first error
	)
	for range callers {
		wg.Go(func() {
			<-start
			t, err := src.Token(ctx)
			if err == nil && t.AccessToken == "expired" {
				err = context.DeadlineExceeded
			}
			if err != nil {
				mu.Lock()
				if first == nil {
					first = err
				}
				mu.Unlock()
			}
		})
	}
	close(start)
	wg.Wait()
	return first
}

func expirySides(tb testing.TB, e *expiryServer) []expirySide {
	var sides []expirySide
	if s, ok := kcExpiry(tb, e); ok {
		sides = append(sides, s)
	}
	return append(sides, oauth2Expiry(e))
}

func TestTokenRequestsPerExpiry(t *testing.T) {
	e := startExpiryServer(t)
	for _, side := range expirySides(t, e) {
		for _, n := range []int{1, 10, 100, callers} {
			src := side.cross(t.Context())
			e.srv.ResetRequests()
			if err := crossExpiry(t.Context(), src, n); err != nil {
				t.Fatalf("%s: %v", side.name, err)
			}
			if got := e.tokenRequests(); got != 1 {
				t.Errorf("%s, %d callers: %d token requests for one expiry, want 1", side.name, n, got)
			}
		}
	}
}

// BenchmarkTokenRequestsPerExpiry has 1,000 goroutines ask a shared token
// source for a token right after its token expired, and reports how many
// token requests reached the server per expiry.
func BenchmarkTokenRequestsPerExpiry(b *testing.B) {
	e := startExpiryServer(b)
	for _, side := range expirySides(b, e) {
		b.Run(fmt.Sprintf("callers=%d/%s", callers, side.name), func(b *testing.B) {
			ctx := b.Context()
			b.ReportAllocs()
			requests, expiries := 0, 0
			for b.Loop() {
				b.StopTimer()
				src := side.cross(ctx)
				e.srv.ResetRequests()
				b.StartTimer()
				if err := crossExpiry(ctx, src, callers); err != nil {
					b.Fatal(err)
				}
				b.StopTimer()
				requests += e.tokenRequests()
				expiries++
				b.StartTimer()
			}
			b.ReportMetric(float64(requests)/float64(expiries), "token-requests/expiry")
		})
	}
}
