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
		checkListSides(t, url, realm, token, n, []listSide{
			{"kc", kcList},
			{"gocloak", gocloakListUsers(url, realm, token)},
		})
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
		benchListSides(b, fmt.Sprintf("n=%d", n), n, []listSide{
			{"lib=kc", kcList},
			{"lib=plain", plainListUsers(url, realm, token)},
			{"lib=gocloak", gocloakListUsers(url, realm, token)},
		})
	}
}
