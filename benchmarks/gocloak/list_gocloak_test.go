//go:build ignore

// This file is not part of the benchmarks module: it imports gocloak, which
// the module proxy this project builds with does not serve. benchmarks/gocloak.sh
// copies the module and this file (without the build line above) into a
// temporary directory, points github.com/Nerzal/gocloak at a checkout given
// on its command line, and runs the benchmark there. The import path below is
// rewritten to the module path of that checkout (v13 or v14).

package benchmarks

import (
	"context"
	"fmt"
	"testing"

	"github.com/Nerzal/gocloak/v14"
	"github.com/google/go-cmp/cmp"
)

// gocloakListSizes are the page sizes BenchmarkListUsersGocloak lists.
var gocloakListSizes = []int{1, 1_000}

// gocloakListUsers is gocloak's GetUsers with Max set, as a gocloak user
// lists a realm's users: a client of its defaults (resty, no timeout).
func gocloakListUsers(url, realm, token string) userLister {
	c := gocloak.NewClient(url)
	return func(ctx context.Context, max int) ([]string, error) {
		us, err := c.GetUsers(ctx, token, realm, gocloak.GetUsersParams{Max: gocloak.IntP(max)})
		if err != nil {
			return nil, err
		}
		names := make([]string, len(us))
		for i, u := range us {
			if u != nil && u.Username != nil {
				names[i] = *u.Username
			}
		}
		return names, nil
	}
}

func TestListUsersGocloakSidesAgree(t *testing.T) {
	url := serverURL(t)
	token := adminToken(t, url, benchRealm)
	for _, n := range []int{1, listUsers, 1_000} {
		realm := listRealm(n)
		kcList, _ := kcListUsers(t, url, realm, token)
		want, err := plainListUsers(url, realm, token)(t.Context(), n)
		if err != nil {
			t.Fatal(err)
		}
		if len(want) != n {
			t.Fatalf("max %d: plain net/http listed %d users", n, len(want))
		}
		for _, side := range []struct {
			name string
			list userLister
		}{
			{"kc", kcList},
			{"gocloak", gocloakListUsers(url, realm, token)},
		} {
			got, err := side.list(t.Context(), n)
			if err != nil {
				t.Fatalf("max %d: %s: %v", n, side.name, err)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("max %d: users differ (-plain +%s):\n%s", n, side.name, diff)
			}
		}
	}
}

// BenchmarkListUsersGocloak lists 1 and 1,000 users in one request with
// kc's admin client, plain net/http + encoding/json (no timeout, as
// gocloak's default client has none) and gocloak, against the same server
// with the same token.
func BenchmarkListUsersGocloak(b *testing.B) {
	url := serverURL(b)
	token := adminToken(b, url, benchRealm)
	for _, n := range gocloakListSizes {
		realm := listRealm(n)
		kcList, _ := kcListUsers(b, url, realm, token)
		sides := []struct {
			name string
			list userLister
		}{
			{"lib=kc", kcList},
			{"lib=plain", plainListUsers(url, realm, token)},
			{"lib=gocloak", gocloakListUsers(url, realm, token)},
		}
		for _, side := range sides {
			b.Run(fmt.Sprintf("n=%d/%s", n, side.name), func(b *testing.B) {
				ctx := b.Context()
				if names, err := side.list(ctx, n); err != nil {
					b.Fatal(err)
				} else if len(names) != n {
					b.Fatalf("listed %d users, want %d", len(names), n)
				}
				b.ReportAllocs()
				loopCPU(b, func() {
					if _, err := side.list(ctx, n); err != nil {
						b.Fatal(err)
					}
				})
			})
		}
	}
}
