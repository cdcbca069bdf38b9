// Command coverage-admin measures how much of Keycloak's Admin REST API
// package admin covers, and checks that its documentation is honest.
//
// It reads the "Keycloak: METHOD /path" lines of the doc comments in
// keycloak/admin/*.go and counts them against two committed lists of facts:
//
//   - operations.txt: every operation of Keycloak 26.6's Admin OpenAPI
//     description (method, path, deprecated flag), generated from the
//     OpenAPI file by go generate (see gen.go);
//   - outside.txt: the admin endpoints that Keycloak serves and real clients
//     call but that the OpenAPI description leaves out (server info, the
//     console's whoami, cache clearing, user storage, client registration),
//     each with the Keycloak class that serves it.
//
// The live operations are those neither deprecated nor under the deprecated
// client-templates resource; the coverage figure counts those. The tool
// fails when a "Keycloak:" line names an operation on neither list, or when
// a method of a service (a method whose first parameter is a
// context.Context) documents no operation.
//
// Usage:
//
//	go run ./internal/cmd/coverage-admin [-src keycloak/admin] [-missing] [openapi.json]
//	go run ./internal/cmd/coverage-admin -gen openapi.json -out internal/cmd/coverage-admin/operations.txt
//	go test -coverprofile=admin.cover ./keycloak/admin && go run ./internal/cmd/coverage-admin -called admin.cover
//
// With -called, it counts the service methods of package admin and those
// that ran in the tests that wrote the coverage profile, and lists the
// others (see called.go).
//
// With an OpenAPI file as the argument, its operations are used instead of
// operations.txt.
package main

import (
	"bufio"
	_ "embed"
	"errors"
	"flag"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
)

//go:generate go run . -gen ${KEYCLOAK_ADMIN_OPENAPI} -out operations.txt

//go:embed operations.txt
var operationsTxt string

//go:embed outside.txt
var outsideTxt string

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "coverage-admin:", err)
		os.Exit(1)
	}
}

// operation is one documented-able endpoint: "METHOD /path".
type operation struct {
	Key        string // "GET /admin/realms/{realm}/users"
	Deprecated bool
	Source     string // outside.txt: the Keycloak class serving it
}

// leftOut reports whether op is left out of the live count on purpose.
func (op operation) leftOut() bool {
	return op.Deprecated || strings.Contains(op.Key, "/client-templates")
}

// run is main with its arguments and output, for tests.
func run(args []string, w io.Writer) error {
	fl := flag.NewFlagSet("coverage-admin", flag.ContinueOnError)
	fl.SetOutput(w)
	src := fl.String("src", "keycloak/admin", "directory of package admin")
	showMissing := fl.Bool("missing", true, "list the operations not covered")
	gen := fl.String("gen", "", "regenerate the operations list from this OpenAPI file")
	out := fl.String("out", "internal/cmd/coverage-admin/operations.txt", "with -gen: the file to write")
	called := fl.String("called", "", "a coverage profile of package admin's tests: count the service methods that ran")
	skip := fl.Bool("fake-server-tests", false, "print a go test -skip pattern naming the tests of -src that use a server of their own")
	if err := fl.Parse(args); err != nil {
		return err
	}
	if *skip {
		re, err := fakeServerTests(*src)
		if err != nil {
			return err
		}
		_, err = fmt.Fprintln(w, re)
		return err
	}
	if *called != "" {
		return calledReport(w, *src, *called, *showMissing)
	}
	if fl.NArg() > 1 {
		return errors.New("at most one argument, an OpenAPI file")
	}
	if *gen != "" {
		return generate(*gen, *out)
	}
	ops, err := parseOperations(operationsTxt)
	if err != nil {
		return fmt.Errorf("operations.txt: %w", err)
	}
	label := "Keycloak 26.6's Admin OpenAPI"
	if fl.NArg() == 1 {
		if ops, err = readSpec(fl.Arg(0)); err != nil {
			return err
		}
		label = filepath.Base(fl.Arg(0))
	}
	outside, err := parseOperations(outsideTxt)
	if err != nil {
		return fmt.Errorf("outside.txt: %w", err)
	}
	documented, undocumented, err := readDocs(*src)
	if err != nil {
		return err
	}
	return report(w, label, ops, outside, documented, undocumented, *showMissing)
}

func report(w io.Writer, label string, ops, outside []operation, documented map[string]bool, undocumented []string, showMissing bool) error {
	known := map[string]bool{}
	var live, missing, leftOutCovered []string
	covered, templates, deprecated := 0, 0, 0
	for _, op := range ops {
		known[op.Key] = true
		if op.leftOut() {
			if strings.Contains(op.Key, "/client-templates") {
				templates++
			} else {
				deprecated++
			}
			if documented[op.Key] {
				leftOutCovered = append(leftOutCovered, op.Key)
			}
			continue
		}
		live = append(live, op.Key)
		if documented[op.Key] {
			covered++
		} else {
			missing = append(missing, op.Key)
		}
	}
	outCovered := 0
	var outMissing []string
	for _, op := range outside {
		known[op.Key] = true
		if documented[op.Key] {
			outCovered++
		} else {
			outMissing = append(outMissing, op.Key+"  ("+op.Source+")")
		}
	}
	var unknown []string
	for op := range documented {
		if !known[op] {
			unknown = append(unknown, op)
		}
	}
	slices.Sort(unknown)
	pct := 0.0
	if len(live) > 0 {
		pct = 100 * float64(covered) / float64(len(live))
	}
	fmt.Fprintf(w, "admin covers %d/%d live operations of %s (%.1f%%)\n", covered, len(live), label, pct)
	if len(outside) > 0 {
		fmt.Fprintf(w, "admin covers %d/%d endpoints outside the OpenAPI description (outside.txt)\n", outCovered, len(outside))
	}
	if templates+deprecated > 0 {
		fmt.Fprintf(w, "left out on purpose: %d operations of the deprecated client-templates resource and %d marked deprecated (%d of these documented anyway)\n", templates, deprecated, len(leftOutCovered))
	}
	if len(unknown) > 0 {
		fmt.Fprintf(w, "\ndocumented but not a Keycloak operation (%d):\n", len(unknown))
		for _, op := range unknown {
			fmt.Fprintln(w, "  "+op)
		}
	}
	if len(undocumented) > 0 {
		fmt.Fprintf(w, "\nmethods that name no operation (%d):\n", len(undocumented))
		for _, m := range undocumented {
			fmt.Fprintln(w, "  "+m)
		}
	}
	if showMissing && len(missing)+len(outMissing) > 0 {
		fmt.Fprintf(w, "\nmissing (%d):\n", len(missing)+len(outMissing))
		for _, op := range append(missing, outMissing...) {
			fmt.Fprintln(w, "  "+op)
		}
	}
	var errs []error
	if len(unknown) > 0 {
		errs = append(errs, fmt.Errorf("%d documented operations are not Keycloak operations", len(unknown)))
	}
	if len(undocumented) > 0 {
		errs = append(errs, fmt.Errorf("%d methods name no operation", len(undocumented)))
	}
	return errors.Join(errs...)
}

// parseOperations reads the committed lists: one operation a line,
// "METHOD /path [deprecated] [# source]"; blank lines and lines starting
// with # are skipped.
func parseOperations(text string) ([]operation, error) {
	var ops []operation
	for i, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		var op operation
		if body, src, ok := strings.Cut(line, "#"); ok {
			line, op.Source = strings.TrimSpace(body), strings.TrimSpace(src)
		}
		f := strings.Fields(line)
		if len(f) < 2 || len(f) > 3 || !strings.HasPrefix(f[1], "/") || strings.ToUpper(f[0]) != f[0] {
			return nil, fmt.Errorf("line %d: want METHOD /path [deprecated], got %q", i+1, line)
		}
		op.Key = f[0] + " " + f[1]
		if len(f) == 3 {
			if f[2] != "deprecated" {
				return nil, fmt.Errorf("line %d: unknown flag %q", i+1, f[2])
			}
			op.Deprecated = true
		}
		ops = append(ops, op)
	}
	return ops, nil
}

var docLine = regexp.MustCompile(`^\s*//\s*Keycloak:\s+([A-Z]+)\s+(/\S*)\s*$`)

// readDocs returns the operations named by "Keycloak:" lines of the
// non-test Go files in dir, and the service methods (first parameter a
// context.Context) whose doc comment names none.
func readDocs(dir string) (map[string]bool, []string, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		return nil, nil, err
	}
	out := map[string]bool{}
	var undocumented []string
	fset := token.NewFileSet()
	n := 0
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		n++
		b, err := os.ReadFile(f)
		if err != nil {
			return nil, nil, err
		}
		sc := bufio.NewScanner(strings.NewReader(string(b)))
		for sc.Scan() {
			if m := docLine.FindStringSubmatch(sc.Text()); m != nil {
				out[m[1]+" "+m[2]] = true
			}
		}
		file, err := parser.ParseFile(fset, f, b, parser.ParseComments)
		if err != nil {
			return nil, nil, err
		}
		for _, d := range file.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Recv == nil || !fd.Name.IsExported() || !takesContext(fd) {
				continue
			}
			if !docLine.MatchString(docLines(fd.Doc)) {
				undocumented = append(undocumented, recvName(fd)+"."+fd.Name.Name)
			}
		}
	}
	if n == 0 {
		return nil, nil, fmt.Errorf("no Go files in %s", dir)
	}
	slices.Sort(undocumented)
	return out, undocumented, nil
}

// docLines returns the first "Keycloak:" line of a doc comment, or "".
func docLines(cg *ast.CommentGroup) string {
	if cg == nil {
		return ""
	}
	for _, c := range cg.List {
		if docLine.MatchString(c.Text) {
			return c.Text
		}
	}
	return ""
}

func takesContext(fd *ast.FuncDecl) bool {
	if fd.Type.Params == nil || len(fd.Type.Params.List) == 0 {
		return false
	}
	sel, ok := fd.Type.Params.List[0].Type.(*ast.SelectorExpr)
	if !ok {
		return false
	}
	pkg, ok := sel.X.(*ast.Ident)
	return ok && pkg.Name == "context" && sel.Sel.Name == "Context"
}

func recvName(fd *ast.FuncDecl) string {
	t := fd.Recv.List[0].Type
	if s, ok := t.(*ast.StarExpr); ok {
		t = s.X
	}
	switch t := t.(type) {
	case *ast.Ident:
		return t.Name
	case *ast.IndexExpr:
		if id, ok := t.X.(*ast.Ident); ok {
			return id.Name
		}
	}
	return "?"
}

// notFound turns a missing OpenAPI file into an error that says what to pass.
func notFound(path string, err error) error {
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("OpenAPI file %s not found: give the path of Keycloak's Admin OpenAPI description (keycloak-admin-openapi.json)", path)
	}
	return err
}
