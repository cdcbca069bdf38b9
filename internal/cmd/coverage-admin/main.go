// Command coverage-admin measures how much of Keycloak's Admin REST API
// package admin covers. It reads the "Keycloak: METHOD /path" lines of the
// doc comments in keycloak/admin/*.go and the operations of Keycloak's
// OpenAPI description, and prints covered/total, the operations not
// covered, and any documented operation the description does not have.
//
// Usage:
//
//	go run ./internal/cmd/coverage-admin [-src keycloak/admin] [-missing] [openapi.json]
//
// The OpenAPI file defaults to ../shared/reference/keycloak-admin-openapi.json,
// relative to the repository root (the working directory of make).
package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
)

const defaultSpec = "../shared/reference/keycloak-admin-openapi.json"

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "coverage-admin:", err)
		os.Exit(1)
	}
}

// run is main with its arguments and output, for tests.
func run(args []string, w io.Writer) error {
	fl := flag.NewFlagSet("coverage-admin", flag.ContinueOnError)
	fl.SetOutput(w)
	src := fl.String("src", "keycloak/admin", "directory of package admin")
	showMissing := fl.Bool("missing", true, "list the operations not covered")
	if err := fl.Parse(args); err != nil {
		return err
	}
	spec := defaultSpec
	switch fl.NArg() {
	case 0:
	case 1:
		spec = fl.Arg(0)
	default:
		return errors.New("at most one argument, the OpenAPI file")
	}
	ops, err := readSpec(spec)
	if err != nil {
		return err
	}
	documented, err := readDocs(*src)
	if err != nil {
		return err
	}
	var missing, unknown []string
	covered := 0
	for _, op := range ops {
		if documented[op] {
			covered++
		} else {
			missing = append(missing, op)
		}
	}
	for op := range documented {
		if !slices.Contains(ops, op) {
			unknown = append(unknown, op)
		}
	}
	slices.Sort(unknown)
	pct := 0.0
	if len(ops) > 0 {
		pct = 100 * float64(covered) / float64(len(ops))
	}
	fmt.Fprintf(w, "admin covers %d/%d operations of %s (%.1f%%)\n", covered, len(ops), filepath.Base(spec), pct)
	if len(unknown) > 0 {
		fmt.Fprintf(w, "\ndocumented but not in the OpenAPI file (%d):\n", len(unknown))
		for _, op := range unknown {
			fmt.Fprintln(w, "  "+op)
		}
	}
	if *showMissing && len(missing) > 0 {
		fmt.Fprintf(w, "\nmissing (%d):\n", len(missing))
		for _, op := range missing {
			fmt.Fprintln(w, "  "+op)
		}
	}
	if len(unknown) > 0 {
		return fmt.Errorf("%d documented operations are not in %s", len(unknown), spec)
	}
	return nil
}

var methods = []string{"get", "put", "post", "delete", "patch", "head", "options"}

// readSpec returns the spec's operations as "METHOD /path", sorted by path
// then method.
func readSpec(path string) ([]string, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("OpenAPI file %s not found: give its path as the argument (make coverage-admin ADMIN_OPENAPI=path)", path)
	}
	if err != nil {
		return nil, err
	}
	var doc struct {
		Paths map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(doc.Paths) == 0 {
		return nil, fmt.Errorf("%s has no paths: not an OpenAPI description?", path)
	}
	var ops []string
	paths := make([]string, 0, len(doc.Paths))
	for p := range doc.Paths {
		paths = append(paths, p)
	}
	slices.Sort(paths)
	for _, p := range paths {
		for _, m := range methods {
			if _, ok := doc.Paths[p][m]; ok {
				ops = append(ops, strings.ToUpper(m)+" "+p)
			}
		}
	}
	return ops, nil
}

var docLine = regexp.MustCompile(`^\s*//\s*Keycloak:\s+([A-Z]+)\s+(/\S*)\s*$`)

// readDocs returns the operations named by "Keycloak:" lines of the
// non-test Go files in dir.
func readDocs(dir string) (map[string]bool, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		return nil, err
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("no Go files in %s", dir)
	}
	out := map[string]bool{}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		fh, err := os.Open(f)
		if err != nil {
			return nil, err
		}
		sc := bufio.NewScanner(fh)
		for sc.Scan() {
			if m := docLine.FindStringSubmatch(sc.Text()); m != nil {
				out[m[1]+" "+m[2]] = true
			}
		}
		fh.Close()
		if err := sc.Err(); err != nil {
			return nil, fmt.Errorf("%s: %w", f, err)
		}
	}
	return out, nil
}
