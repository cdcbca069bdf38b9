package benchmarks

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kcgo/kc/keycloak/kctest"
	"github.com/kcgo/kc/keycloak/oidc"
)

// The HTTP benchmarks talk to a kctest server in a child process (this test
// binary, started again with serverEnv set), on loopback: the benchmark's
// allocations and heap are then the client's alone, not the server's.
//
// The child seeds, in realm benchRealm, a confidential client with service
// accounts, a public client, an administrator (realm-management roles) and
// listUsers users.
//
// The iteration benchmarks need 10,000 and 100,000 users. kctest finds a
// user by name with a scan, so seeding is quadratic (100,000 users take
// more than ten minutes), and each page it serves sorts every user of the
// realm. So the child answers GET /admin/realms/iter-N/users itself, from
// a generator: first and max as Keycloak reads them, each user in the
// representation kctest and Keycloak send. The client side, which is what
// is measured, cannot tell the difference.
const (
	serverEnv = "KC_BENCH_SERVER"

	benchRealm    = "bench"
	serviceClient = "bench-service"
	serviceSecret = "bench-service-secret"
	cliClient     = "bench-cli"
	adminUser     = "bench-admin"
	adminPassword = "bench-admin-password"
	listUsers     = 100
)

// iterSizes are the user counts of the iteration benchmarks; realm
// iterRealm(n) holds n users (generated).
var iterSizes = []int{10_000, 100_000}

func iterRealm(n int) string { return "iter-" + strconv.Itoa(n) }

func TestMain(m *testing.M) {
	if os.Getenv(serverEnv) == "1" {
		serveChild()
		return
	}
	code := m.Run()
	stopChild()
	os.Exit(code)
}

// serveChild runs the server until its standard input closes.
func serveChild() {
	srv, err := kctest.New()
	if err == nil {
		err = seed(srv, benchRealm, listUsers)
	}
	if err != nil {
		fmt.Println("ERROR", err)
		os.Exit(1)
	}
	mux := http.NewServeMux()
	mux.Handle("/", srv.Handler())
	for _, n := range iterSizes {
		mux.HandleFunc("GET /admin/realms/"+iterRealm(n)+"/users", generatedUsers(n))
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Println("ERROR", err)
		os.Exit(1)
	}
	hs := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = hs.Serve(ln) }()
	fmt.Println("URL", "http://"+ln.Addr().String())
	_, _ = io.Copy(io.Discard, os.Stdin)
	_ = hs.Close()
}

// generatedUsers answers a user list of a realm of n users.
func generatedUsers(n int) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasPrefix(r.Header.Get("Authorization"), "Bearer ") {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		first, _ := strconv.Atoi(r.URL.Query().Get("first"))
		pageMax := 100
		if v := r.URL.Query().Get("max"); v != "" {
			pageMax, _ = strconv.Atoi(v)
		}
		first = min(max(first, 0), n)
		end := min(first+max(pageMax, 0), n)
		w.Header().Set("Content-Type", "application/json")
		bw := bufio.NewWriter(w)
		enc := json.NewEncoder(bw)
		bw.WriteByte('[')
		for i := first; i < end; i++ {
			if i > first {
				bw.WriteByte(',')
			}
			_ = enc.Encode(generatedUser(i))
		}
		bw.WriteByte(']')
		_ = bw.Flush()
	}
}

// userRep is a user as kctest and Keycloak list it.
type userRep struct {
	ID               string              `json:"id"`
	Username         string              `json:"username"`
	FirstName        string              `json:"firstName"`
	LastName         string              `json:"lastName"`
	Email            string              `json:"email"`
	EmailVerified    bool                `json:"emailVerified"`
	Attributes       map[string][]string `json:"attributes"`
	Enabled          bool                `json:"enabled"`
	CreatedTimestamp int64               `json:"createdTimestamp"`
	Totp             bool                `json:"totp"`
	NotBefore        int                 `json:"notBefore"`
}

func generatedUser(i int) userRep {
	u := benchUser(i)
	return userRep{
		ID:               fmt.Sprintf("%08x-0000-4000-8000-%012x", i, i),
		Username:         u.Username,
		FirstName:        u.FirstName,
		LastName:         u.LastName,
		Email:            u.Email,
		EmailVerified:    u.EmailVerified,
		Attributes:       u.Attributes,
		Enabled:          true,
		CreatedTimestamp: 1795632451915,
	}
}

// seed makes realm with the clients, the administrator and n users.
func seed(srv *kctest.Server, realm string, n int) error {
	if _, err := srv.AddRealm(kctest.Realm{Name: realm, AccessTokenLifespan: time.Hour}); err != nil {
		return err
	}
	if _, err := srv.AddClient(realm, kctest.Client{ClientID: serviceClient, Secret: serviceSecret, ServiceAccounts: true}); err != nil {
		return err
	}
	if _, err := srv.AddClient(realm, kctest.Client{ClientID: cliClient, Public: true, DirectAccessGrants: true}); err != nil {
		return err
	}
	if _, err := srv.AddUser(realm, kctest.User{
		Username: adminUser, Password: adminPassword,
		ClientRoles: map[string][]string{"realm-management": {"view-users", "manage-users", "query-users"}},
	}); err != nil {
		return err
	}
	for i := range n {
		if _, err := srv.AddUser(realm, benchUser(i)); err != nil {
			return err
		}
	}
	return nil
}

// benchUser is the i-th seeded user: the fields a directory typically
// has, and one attribute.
func benchUser(i int) kctest.User {
	name := fmt.Sprintf("user-%06d", i)
	return kctest.User{
		Username:      name,
		Email:         name + "@example.com",
		FirstName:     "First" + strconv.Itoa(i),
		LastName:      "Last" + strconv.Itoa(i),
		EmailVerified: i%2 == 0,
		Attributes:    map[string][]string{"department": {"dept-" + strconv.Itoa(i%17)}},
	}
}

var (
	childOnce sync.Once
	childURL  string
	childErr  error
	childCmd  *exec.Cmd
	childIn   io.WriteCloser
)

// serverURL starts the child server once and returns its URL.
func serverURL(tb testing.TB) string {
	tb.Helper()
	childOnce.Do(func() { childURL, childErr = startChild() })
	if childErr != nil {
		tb.Fatal(childErr)
	}
	return childURL
}

func startChild() (string, error) {
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), serverEnv+"=1")
	cmd.Stderr = os.Stderr
	in, err := cmd.StdinPipe()
	if err != nil {
		return "", err
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return "", err
	}
	if err := cmd.Start(); err != nil {
		return "", err
	}
	childCmd, childIn = cmd, in
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		return "", fmt.Errorf("kctest child: %w", err)
	}
	u, ok := strings.CutPrefix(strings.TrimSpace(line), "URL ")
	if !ok {
		return "", fmt.Errorf("kctest child: %s", strings.TrimSpace(line))
	}
	return u, nil
}

func stopChild() {
	if childCmd == nil {
		return
	}
	_ = childIn.Close()
	done := make(chan struct{})
	go func() { _ = childCmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		_ = childCmd.Process.Kill()
		<-done
	}
}

// adminToken returns an access token of realm's administrator, valid for
// an hour.
func adminToken(tb testing.TB, url, realm string) string {
	tb.Helper()
	c, err := oidc.New(url, realm, cliClient)
	if err != nil {
		tb.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	t, err := c.Password(ctx, adminUser, adminPassword)
	if err != nil {
		tb.Fatal(err)
	}
	if t.AccessToken == "" {
		tb.Fatal(errors.New("no access token"))
	}
	return t.AccessToken
}
