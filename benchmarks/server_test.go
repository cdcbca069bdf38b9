package benchmarks

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
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
// listUsers users; and one realm per iteration size, each with that many
// users and its own administrator.
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
// iterRealm(n) holds n users besides its administrator (see seededRealm).
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

// serveChild runs the server until its standard input closes. It seeds
// benchRealm at once, and a realm of n users when the parent writes
// "seed <realm> <n>", answering "ok" or "ERROR <why>".
func serveChild() {
	srv, err := kctest.NewServer()
	if err == nil {
		err = seed(srv, benchRealm, listUsers)
	}
	if err != nil {
		fmt.Println("ERROR", err)
		os.Exit(1)
	}
	fmt.Println("URL", srv.URL)
	in := bufio.NewScanner(os.Stdin)
	for in.Scan() {
		var realm string
		var n int
		if _, err := fmt.Sscanf(in.Text(), "seed %s %d", &realm, &n); err != nil {
			fmt.Println("ERROR", err)
			continue
		}
		if err := seed(srv, realm, n); err != nil {
			fmt.Println("ERROR", err)
			continue
		}
		fmt.Println("ok")
	}
	srv.Close()
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
	childOut  *bufio.Reader

	seedMu sync.Mutex
	seeded = map[string]bool{}
)

// seededRealm makes the child seed realm iterRealm(n), once, and returns
// its name. kctest finds a user by name with a scan, so seeding is
// quadratic: 100,000 users take about a minute and a half.
func seededRealm(tb testing.TB, n int) string {
	tb.Helper()
	serverURL(tb)
	realm := iterRealm(n)
	seedMu.Lock()
	defer seedMu.Unlock()
	if seeded[realm] {
		return realm
	}
	if _, err := fmt.Fprintf(childIn, "seed %s %d\n", realm, n); err != nil {
		tb.Fatal(err)
	}
	line, err := childOut.ReadString('\n')
	if err != nil {
		tb.Fatalf("kctest child: %v", err)
	}
	if line = strings.TrimSpace(line); line != "ok" {
		tb.Fatalf("kctest child: seeding %s: %s", realm, line)
	}
	seeded[realm] = true
	return realm
}

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
	childCmd, childIn, childOut = cmd, in, bufio.NewReader(out)
	line, err := childOut.ReadString('\n')
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
