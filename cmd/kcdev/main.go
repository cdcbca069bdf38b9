// Command kcdev serves kctest, the in-memory Keycloak 26 compatible
// server, as a program, so tests in any language can use it.
//
// Usage:
//
//	kcdev [-addr 127.0.0.1:8080] [--import-realm PATH]... [--http-relative-path /auth]
//	      [--features=a,b] [--features-disabled=c,d]
//
// The address defaults to 127.0.0.1:8080, or KCDEV_ADDR; port 0 picks a
// free port. The master realm's bootstrap admin comes from
// KC_BOOTSTRAP_ADMIN_USERNAME and KC_BOOTSTRAP_ADMIN_PASSWORD. On a
// loopback address they may be left out: the user is then "admin" and the
// password a random one, printed once at start. On any other address
// kcdev refuses to start without both. A password from the environment is
// never printed. --import-realm takes a realm export file or a folder of
// *.json realm files and may be repeated. --features and
// --features-disabled switch features on and off as Keycloak's options of
// the same names do, with Keycloak's names (organization,
// admin-fine-grained-authz:v1, workflows, token-exchange-standard) and
// Keycloak 26's defaults. Once ready kcdev prints
// "kcdev listening on http://HOST:PORT[/auth]"; it stops on SIGINT or
// SIGTERM.
//
// kcdev sends no mail: each message Keycloak would send (execute-actions
// and verify-email mails, organization invitations, the SMTP test) is
// printed as one block, between "kcdev: mail" and "kcdev: end of mail",
// with its headers and text body, action link included.
package main

import (
	"context"
	"crypto/rand"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/kcgo/kc/keycloak/kctest"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdout); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return
		}
		fmt.Fprintln(os.Stderr, "kcdev:", err)
		os.Exit(1)
	}
}

// stringList is a repeatable string flag.
type stringList []string

func (l *stringList) String() string     { return strings.Join(*l, ",") }
func (l *stringList) Set(v string) error { *l = append(*l, v); return nil }

// run parses args, serves until ctx is done, then shuts down gracefully.
func run(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	fs := flag.NewFlagSet("kcdev", flag.ContinueOnError)
	fs.SetOutput(stdout)
	defAddr := "127.0.0.1:8080"
	if v := getenv("KCDEV_ADDR"); v != "" {
		defAddr = v
	}
	addr := fs.String("addr", defAddr, "listen address (env KCDEV_ADDR); port 0 picks a free port")
	relPath := fs.String("http-relative-path", "", "serve every route under this path, e.g. /auth")
	var imports, featuresOn, featuresOff stringList
	fs.Var(&imports, "import-realm", "realm export file, or folder of *.json realm files (repeatable)")
	fs.Var(&featuresOn, "features", "features to enable, comma-separated, as Keycloak names them: "+strings.Join(kctest.Features(), ", "))
	fs.Var(&featuresOff, "features-disabled", "features to disable, comma-separated (unversioned names)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments: %v", fs.Args())
	}
	listen := listenAddr(*addr)
	user, pass := getenv("KC_BOOTSTRAP_ADMIN_USERNAME"), getenv("KC_BOOTSTRAP_ADMIN_PASSWORD")
	if (user == "" || pass == "") && !isLoopback(listen) {
		return fmt.Errorf("refusing to listen on %s, beyond this machine, without KC_BOOTSTRAP_ADMIN_USERNAME and KC_BOOTSTRAP_ADMIN_PASSWORD", listen)
	}
	if user == "" {
		user = "admin"
	}
	generated := pass == ""
	if generated {
		pass = rand.Text()
	}
	// The request log is for tests that assert on it; kcdev has no such
	// reader, so it keeps none.
	// Captured mail is printed, not kept.
	var mailMu sync.Mutex
	printMail := func(m kctest.Mail) {
		mailMu.Lock()
		defer mailMu.Unlock()
		fmt.Fprintf(stdout, "kcdev: mail\n%skcdev: end of mail\n", m.String())
	}
	opts := []kctest.Option{kctest.WithBootstrapAdmin(user, pass), kctest.WithRequestLog(0), kctest.WithMailLog(0), kctest.WithMailHandler(printMail)}
	opts = append(opts, kctest.WithFeatures(featuresOn...), kctest.WithFeaturesDisabled(featuresOff...))
	if *relPath != "" && *relPath != "/" {
		opts = append(opts, kctest.WithBasePath(*relPath))
	}
	files, err := realmFiles(imports)
	if err != nil {
		return err
	}
	for _, f := range files {
		opts = append(opts, kctest.WithRealmFile(f))
	}
	srv, err := kctest.New(opts...)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", listen)
	if err != nil {
		return err
	}
	hs := newHTTPServer(srv.Handler())
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()

	host := ln.Addr().String()
	if tcp, ok := ln.Addr().(*net.TCPAddr); ok && tcp.IP.IsUnspecified() {
		host = net.JoinHostPort("127.0.0.1", fmt.Sprint(tcp.Port))
	}
	if generated {
		// Printed once, here; set KC_BOOTSTRAP_ADMIN_PASSWORD to choose it.
		fmt.Fprintf(stdout, "kcdev: bootstrap admin %q, generated password %s, in realm master, client admin-cli\n", user, pass)
	} else {
		// A password from the environment is never printed: it would end
		// up in CI logs.
		fmt.Fprintf(stdout, "kcdev: bootstrap admin %q (password from KC_BOOTSTRAP_ADMIN_PASSWORD) in realm master, client admin-cli\n", user)
	}
	for _, f := range files {
		fmt.Fprintf(stdout, "kcdev: imported %s\n", f)
	}
	fmt.Fprintf(stdout, "kcdev listening on http://%s%s\n", host, srv.BasePath())

	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := hs.Shutdown(shutdownCtx); err != nil {
		return err
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// The http.Server's timeouts, for a development server: a slow or stuck
// client cannot hold a connection forever. A realm import of 32 MiB over
// a slow link still fits in ReadTimeout.
const (
	readHeaderTimeout = 10 * time.Second
	readTimeout       = 60 * time.Second
	writeTimeout      = 60 * time.Second
	idleTimeout       = 120 * time.Second
)

// newHTTPServer returns the http.Server kcdev serves h with.
func newHTTPServer(h http.Handler) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: readHeaderTimeout,
		ReadTimeout:       readTimeout,
		WriteTimeout:      writeTimeout,
		IdleTimeout:       idleTimeout,
	}
}

// isLoopback reports whether the listen address a (host:port) stays on
// this machine: a loopback IP or "localhost".
func isLoopback(a string) bool {
	host, _, err := net.SplitHostPort(a)
	if err != nil {
		return false
	}
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// listenAddr keeps kcdev on loopback unless the address names a host:
// ":8080" becomes "127.0.0.1:8080"; "0.0.0.0:8080" stays as it is.
func listenAddr(a string) string {
	host, port, err := net.SplitHostPort(a)
	if err != nil {
		return a
	}
	if host == "" {
		host = "127.0.0.1"
	}
	return net.JoinHostPort(host, port)
}

// realmFiles expands folders into their *.json files, sorted.
func realmFiles(paths []string) ([]string, error) {
	var out []string
	for _, p := range paths {
		fi, err := os.Stat(p)
		if err != nil {
			return nil, err
		}
		if !fi.IsDir() {
			out = append(out, p)
			continue
		}
		matches, err := filepath.Glob(filepath.Join(p, "*.json"))
		if err != nil {
			return nil, err
		}
		sort.Strings(matches)
		out = append(out, matches...)
	}
	return out, nil
}
