package benchmarks

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/kcgo/kc"
	"github.com/kcgo/kc/keycloak/admin"
)

// plainUser has the fields of admin.User, without kc's keeping of unknown
// fields: what a hand-written client decodes into.
type plainUser struct {
	ID                         string              `json:"id,omitempty"`
	Username                   string              `json:"username,omitempty"`
	FirstName                  *string             `json:"firstName,omitempty"`
	LastName                   *string             `json:"lastName,omitempty"`
	Email                      *string             `json:"email,omitempty"`
	EmailVerified              *bool               `json:"emailVerified,omitempty"`
	Enabled                    *bool               `json:"enabled,omitempty"`
	Totp                       *bool               `json:"totp,omitempty"`
	CreatedTimestamp           int64               `json:"createdTimestamp,omitempty"`
	FederationLink             string              `json:"federationLink,omitempty"`
	ServiceAccountClientID     string              `json:"serviceAccountClientId,omitempty"`
	Attributes                 map[string][]string `json:"attributes,omitempty"`
	RequiredActions            []string            `json:"requiredActions,omitempty"`
	Credentials                []plainCredential   `json:"credentials,omitempty"`
	DisableableCredentialTypes []string            `json:"disableableCredentialTypes,omitempty"`
	FederatedIdentities        []plainFederated    `json:"federatedIdentities,omitempty"`
	RealmRoles                 []string            `json:"realmRoles,omitempty"`
	ClientRoles                map[string][]string `json:"clientRoles,omitempty"`
	Groups                     []string            `json:"groups,omitempty"`
	NotBefore                  *int64              `json:"notBefore,omitempty"`
	Access                     map[string]bool     `json:"access,omitempty"`
}

type plainCredential struct {
	ID             string `json:"id,omitempty"`
	Type           string `json:"type,omitempty"`
	UserLabel      string `json:"userLabel,omitempty"`
	CreatedDate    int64  `json:"createdDate,omitempty"`
	SecretData     string `json:"secretData,omitempty"`
	CredentialData string `json:"credentialData,omitempty"`
	Priority       int    `json:"priority,omitempty"`
	Value          string `json:"value,omitempty"`
	Temporary      *bool  `json:"temporary,omitempty"`
}

type plainFederated struct {
	IdentityProvider string `json:"identityProvider,omitempty"`
	UserID           string `json:"userId,omitempty"`
	UserName         string `json:"userName,omitempty"`
}

// userLister lists the first max users of the realm.
type userLister func(ctx context.Context, max int) ([]string, error)

func kcListUsers(tb testing.TB, url, realm, token string) (userLister, *admin.UsersService) {
	c, err := admin.New(url, kc.StaticAccessToken(token))
	if err != nil {
		tb.Fatal(err)
	}
	users := c.Realm(realm).Users
	return func(ctx context.Context, max int) ([]string, error) {
		us, err := users.List(ctx, &admin.UserListOptions{Max: max})
		if err != nil {
			return nil, err
		}
		names := make([]string, len(us))
		for i := range us {
			names[i] = us[i].Username
		}
		return names, nil
	}, users
}

// plainListUsers is net/http and encoding/json: GET with the bearer
// token, check the status, decode.
func plainListUsers(url, realm, token string) userLister {
	return plainListUsersTimeout(url, realm, token, 0)
}

// plainListUsersTimeout is plainListUsers with http.Client.Timeout set, as
// kc always has (30 s per attempt by default): the fair baseline for
// allocations, since a timeout costs a timer and a context per request.
func plainListUsersTimeout(url, realm, token string, timeout time.Duration) userLister {
	hc := &http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone(), Timeout: timeout}
	return func(ctx context.Context, max int) ([]string, error) {
		us, err := plainGetUsers(ctx, hc, url, realm, token, 0, max)
		if err != nil {
			return nil, err
		}
		names := make([]string, len(us))
		for i := range us {
			names[i] = us[i].Username
		}
		return names, nil
	}
}

func plainGetUsers(ctx context.Context, hc *http.Client, url, realm, token string, first, max int) ([]plainUser, error) {
	u := url + "/admin/realms/" + realm + "/users?first=" + strconv.Itoa(first) + "&max=" + strconv.Itoa(max)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Accept", "application/json")
	resp, err := hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: %s", u, resp.Status)
	}
	var out []plainUser
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		return nil, err
	}
	return out, nil
}

// listSizes are the page sizes BenchmarkListUsers lists: the first two
// from kctest's realm bench, the larger ones from the generated realm of
// 10,000 users.
var listSizes = []int{1, listUsers, 1_000, 10_000}

// listRealm is the realm holding at least n users.
func listRealm(n int) string {
	if n <= listUsers {
		return benchRealm
	}
	return iterRealm(iterSizes[0])
}

// listSide is one way to list users, named for benchstat's /lib column.
type listSide struct {
	name string
	list userLister
}

// checkListSides fails unless every side lists, at max n, the n users
// plain net/http + encoding/json lists.
func checkListSides(t *testing.T, url, realm, token string, n int, sides []listSide) {
	t.Helper()
	want, err := plainListUsers(url, realm, token)(t.Context(), n)
	if err != nil {
		t.Fatal(err)
	}
	if len(want) != n {
		t.Fatalf("max %d: plain net/http listed %d users", n, len(want))
	}
	for _, side := range sides {
		got, err := side.list(t.Context(), n)
		if err != nil {
			t.Fatalf("max %d: %s: %v", n, side.name, err)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("max %d: users differ (-plain +%s):\n%s", n, side.name, diff)
		}
	}
}

// benchListSides runs a sub-benchmark prefix/name per side, each listing
// n users (checked once before the timed loop), with CPU and allocations.
func benchListSides(b *testing.B, prefix string, n int, sides []listSide) {
	for _, side := range sides {
		b.Run(prefix+"/"+side.name, func(b *testing.B) {
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

func TestListUsersSidesAgree(t *testing.T) {
	url := serverURL(t)
	token := adminToken(t, url, benchRealm)
	for _, n := range listSizes {
		realm := listRealm(n)
		kcList, _ := kcListUsers(t, url, realm, token)
		checkListSides(t, url, realm, token, n, []listSide{{"kc", kcList}})
	}
}

// BenchmarkListUsers lists 1, 100, 1,000 and 10,000 users in one request
// with kc's admin client and with plain net/http + encoding/json.
func BenchmarkListUsers(b *testing.B) {
	url := serverURL(b)
	token := adminToken(b, url, benchRealm)
	for _, n := range listSizes {
		realm := listRealm(n)
		kcList, _ := kcListUsers(b, url, realm, token)
		benchListSides(b, fmt.Sprintf("users=%d", n), n, []listSide{
			{"lib=kc", kcList},
			{"lib=net-http-timeout", plainListUsersTimeout(url, realm, token, 30*time.Second)},
			{"lib=net-http", plainListUsers(url, realm, token)},
		})
	}
}
