package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestRun(t *testing.T) {
	t.Parallel()
	var out strings.Builder
	if err := run([]string{"-src", "testdata/src", "testdata/openapi.json"}, &out); err != nil {
		t.Fatal(err)
	}
	// The client-templates operation and the deprecated one are not live.
	want := `admin covers 3/5 live operations of openapi.json (60.0%)
admin covers 0/`
	if !strings.HasPrefix(out.String(), want) {
		t.Errorf("output starts %q, want %q", out.String(), want)
	}
	for _, line := range []string{
		"left out on purpose: 1 operations of the deprecated client-templates resource and 1 marked deprecated",
		"\n  POST /admin/realms/{realm}/users\n",
		"\n  PUT /admin/realms/{realm}/users/{user-id}\n",
		"\n  GET /admin/serverinfo  (ServerInfoAdminResource.getInfo)\n",
	} {
		if !strings.Contains(out.String(), line) {
			t.Errorf("output lacks %q:\n%s", line, out.String())
		}
	}
	if strings.Contains(out.String(), "  GET /admin/realms/{realm}/client-templates") {
		t.Errorf("a client-templates operation is listed as missing:\n%s", out.String())
	}
}

func TestRunErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"missing spec", []string{"-src", "testdata/src", "testdata/nope.json"}, "testdata/nope.json not found"},
		{"not openapi", []string{"-src", "testdata/src", "main.go"}, "main.go"},
		{"no sources", []string{"-src", "testdata/none", "testdata/openapi.json"}, "no Go files"},
		{"typo", []string{"-src", "testdata/typo", "testdata/openapi.json"}, "1 documented operations are not Keycloak operations"},
		{"method without operation", []string{"-src", "testdata/nodoc", "testdata/openapi.json"}, "1 methods name no operation"},
		{"two args", []string{"a", "b"}, "at most one argument"},
		{"gen without spec", []string{"-gen", "testdata/nope.json"}, "not found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var out strings.Builder
			err := run(tt.args, &out)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("run(%q) = %v, want an error containing %q", tt.args, err, tt.want)
			}
		})
	}
}

func TestNoDocNamesTheMethod(t *testing.T) {
	t.Parallel()
	var out strings.Builder
	_ = run([]string{"-src", "testdata/nodoc", "testdata/openapi.json"}, &out)
	if !strings.Contains(out.String(), "\n  S.Forgot\n") || strings.Contains(out.String(), "S.Local") {
		t.Errorf("output:\n%s", out.String())
	}
}

func TestParseOperations(t *testing.T) {
	t.Parallel()
	got, err := parseOperations("# c\n\nGET /a deprecated\nPOST /b # Src.m\n")
	if err != nil {
		t.Fatal(err)
	}
	want := []operation{{Key: "GET /a", Deprecated: true}, {Key: "POST /b", Source: "Src.m"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	for _, bad := range []string{"GET", "get /a", "GET a", "GET /a old", "GET /a b c d"} {
		if _, err := parseOperations(bad); err == nil {
			t.Errorf("parseOperations(%q) accepted it", bad)
		}
	}
}

// TestCommittedListsParse checks the embedded facts: the live count of
// Keycloak 26.6 (372) and an outside list whose every line names its class.
func TestCommittedListsParse(t *testing.T) {
	t.Parallel()
	ops, err := parseOperations(operationsTxt)
	if err != nil {
		t.Fatal(err)
	}
	live := 0
	for _, op := range ops {
		if !op.leftOut() {
			live++
		}
	}
	if len(ops) != 401 || live != 372 {
		t.Errorf("operations.txt: %d operations, %d live; want 401 and 372", len(ops), live)
	}
	outside, err := parseOperations(outsideTxt)
	if err != nil {
		t.Fatal(err)
	}
	for _, op := range outside {
		if op.Source == "" {
			t.Errorf("outside.txt: %s names no Keycloak class", op.Key)
		}
	}
}

// TestGenerateMatchesCommitted regenerates operations.txt from the OpenAPI
// file when this workplace has it, and compares.
func TestGenerateMatchesCommitted(t *testing.T) {
	t.Parallel()
	spec := os.Getenv("KEYCLOAK_ADMIN_OPENAPI")
	if spec == "" {
		spec = "../../../../shared/reference/keycloak-admin-openapi.json"
	}
	if _, err := os.Stat(spec); err != nil {
		t.Skip("Keycloak's Admin OpenAPI file is not here; set KEYCLOAK_ADMIN_OPENAPI to compare:", err)
	}
	out := filepath.Join(t.TempDir(), "operations.txt")
	if err := generate(spec, out); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(operationsTxt, string(b)); diff != "" {
		t.Errorf("operations.txt is stale; run go generate (-committed +generated):\n%s", diff)
	}
}

func TestRealPackage(t *testing.T) {
	t.Parallel()
	var out strings.Builder
	if err := run([]string{"-src", "../../../keycloak/admin", "-missing=false"}, &out); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	t.Log(out.String())
}

// TestCalled counts the service methods whose body ran, from a coverage
// profile, and lists the others: those counted zero and those the
// profile does not hold.
func TestCalled(t *testing.T) {
	t.Parallel()
	var out strings.Builder
	if err := run([]string{"-src", "testdata/called", "-called", "testdata/called/cover.profile"}, &out); err != nil {
		t.Fatal(err)
	}
	want := "admin has 3 service methods; 1 of them run to their end in a test (cover.profile)\n\nservice methods no test runs (2):\n  S.NotRun\n  S.Missing\n"
	if diff := cmp.Diff(want, out.String()); diff != "" {
		t.Errorf("output (-want +got):\n%s", diff)
	}
	for _, tc := range []struct{ name, profile, want string }{
		{"no profile", "testdata/called/nope.profile", "no such file"},
		{"not a profile", "testdata/called/svc.go", "not a coverage profile"},
		{"another package's profile", "testdata/called/other.profile", "holds no block of the service methods"},
	} {
		err := run([]string{"-src", "testdata/called", "-called", tc.profile}, &out)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want %q", tc.name, err, tc.want)
		}
	}
}

func TestFakeServerTests(t *testing.T) {
	t.Parallel()
	var out strings.Builder
	if err := run([]string{"-src", "testdata/called", "-fake-server-tests"}, &out); err != nil {
		t.Fatal(err)
	}
	if got, want := out.String(), "^(FuzzOwnServer|TestOwnServer)$\n"; got != want {
		t.Errorf("pattern = %q, want %q", got, want)
	}
}
