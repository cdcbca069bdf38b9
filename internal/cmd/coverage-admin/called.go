package main

import (
	"bufio"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// A service method is an exported method whose first parameter is a
// context.Context: a call that reaches Keycloak. calledReport counts them
// and those that ran to their end in a test, read from a coverage profile
// of package admin's tests (go test -coverprofile): a method ran to its end
// when the block of its body that ends last was counted at least once, so
// a call that only failed its own argument checks does not count. make
// coverage-admin writes the profile with the tests that use an httptest
// server of their own skipped (see fakeServerTests), so the count is of the
// methods that a test runs against kctest.

// method is a service method and where its body is.
type method struct {
	Name       string // "UsersService.List"
	File       string // base name, "users.go"
	Start, End int    // lines of the body
}

// serviceMethods returns the service methods of the non-test Go files in
// dir.
func serviceMethods(dir string) ([]method, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		return nil, err
	}
	fset := token.NewFileSet()
	var out []method
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		file, err := parser.ParseFile(fset, f, nil, 0)
		if err != nil {
			return nil, err
		}
		for _, d := range file.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Recv == nil || fd.Body == nil || !fd.Name.IsExported() || !takesContext(fd) {
				continue
			}
			out = append(out, method{
				Name:  recvName(fd) + "." + fd.Name.Name,
				File:  filepath.Base(f),
				Start: fset.Position(fd.Body.Lbrace).Line,
				End:   fset.Position(fd.Body.Rbrace).Line,
			})
		}
	}
	slices.SortFunc(out, func(a, b method) int { return strings.Compare(a.Name, b.Name) })
	return out, nil
}

// block is a counted block of a coverage profile.
type block struct {
	File       string // base name
	Start, End int    // lines
	Count      int
}

// readProfile reads a coverage profile ("mode: set", then
// "path/file.go:l1.c1,l2.c2 statements count" lines).
func readProfile(path string) ([]block, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []block
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if n == 1 {
			if !strings.HasPrefix(line, "mode: ") {
				return nil, fmt.Errorf("%s: not a coverage profile (no mode line)", path)
			}
			continue
		}
		file, rest, ok := strings.Cut(line, ":")
		fields := strings.Fields(rest)
		if !ok || len(fields) != 3 {
			return nil, fmt.Errorf("%s:%d: malformed line %q", path, n, line)
		}
		from, to, ok := strings.Cut(fields[0], ",")
		l1, err1 := strconv.Atoi(strings.Split(from, ".")[0])
		l2, err2 := strconv.Atoi(strings.Split(to, ".")[0])
		count, err3 := strconv.Atoi(fields[2])
		if !ok || err1 != nil || err2 != nil || err3 != nil {
			return nil, fmt.Errorf("%s:%d: malformed line %q", path, n, line)
		}
		out = append(out, block{File: filepath.Base(file), Start: l1, End: l2, Count: count})
	}
	return out, sc.Err()
}

// calledReport prints how many service methods ran in the tests that made
// profile, and lists those that did not.
func calledReport(w io.Writer, dir, profile string, list bool) error {
	methods, err := serviceMethods(dir)
	if err != nil {
		return err
	}
	blocks, err := readProfile(profile)
	if err != nil {
		return err
	}
	ran := map[string]bool{}
	seen := map[string]bool{}
	for _, m := range methods {
		var last *block
		for i, b := range blocks {
			if b.File == m.File && b.Start >= m.Start && b.End <= m.End {
				seen[m.Name] = true
				if last == nil || b.End > last.End {
					last = &blocks[i]
				}
			}
		}
		if last != nil && last.Count > 0 {
			ran[m.Name] = true
		}
	}
	var notRun, notInProfile []string
	for _, m := range methods {
		switch {
		case !seen[m.Name]:
			notInProfile = append(notInProfile, m.Name)
		case !ran[m.Name]:
			notRun = append(notRun, m.Name)
		}
	}
	if len(notInProfile) == len(methods) {
		return fmt.Errorf("%s holds no block of the service methods of %s: make it with go test -coverprofile of that package", profile, dir)
	}
	fmt.Fprintf(w, "admin has %d service methods; %d of them run to their end in a test (%s)\n", len(methods), len(ran), filepath.Base(profile))
	if list && len(notRun)+len(notInProfile) > 0 {
		fmt.Fprintf(w, "\nservice methods no test runs (%d):\n", len(notRun)+len(notInProfile))
		for _, m := range append(notRun, notInProfile...) {
			fmt.Fprintln(w, "  "+m)
		}
	}
	return nil
}

// fakeServerTests returns a regular expression for go test -skip that
// names the tests and fuzz targets of the _test.go files in dir that start
// an httptest server of their own instead of kctest.
func fakeServerTests(dir string) (string, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*_test.go"))
	if err != nil {
		return "", err
	}
	fset := token.NewFileSet()
	var names []string
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return "", err
		}
		if !strings.Contains(string(b), "httptest.NewServer") && !strings.Contains(string(b), "httptest.NewUnstartedServer") {
			continue
		}
		file, err := parser.ParseFile(fset, f, b, 0)
		if err != nil {
			return "", err
		}
		for _, d := range file.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok && fd.Recv == nil &&
				(strings.HasPrefix(fd.Name.Name, "Test") || strings.HasPrefix(fd.Name.Name, "Fuzz")) {
				names = append(names, fd.Name.Name)
			}
		}
	}
	if len(names) == 0 {
		return "^$", nil
	}
	slices.Sort(names)
	return "^(" + strings.Join(names, "|") + ")$", nil
}
