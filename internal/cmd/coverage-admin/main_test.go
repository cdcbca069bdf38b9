package main

import (
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
	want := `admin covers 3/5 operations of openapi.json (60.0%)

missing (2):
  POST /admin/realms/{realm}/users
  PUT /admin/realms/{realm}/users/{user-id}
`
	if diff := cmp.Diff(want, out.String()); diff != "" {
		t.Errorf("output (-want +got):\n%s", diff)
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
		{"typo", []string{"-src", "testdata/typo", "testdata/openapi.json"}, "1 documented operations are not in"},
		{"two args", []string{"a", "b"}, "at most one argument"},
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

func TestRealPackageDocumentsOnlyRealOperations(t *testing.T) {
	t.Parallel()
	var out strings.Builder
	err := run([]string{"-src", "../../../keycloak/admin", "-missing=false", "../../../../shared/reference/keycloak-admin-openapi.json"}, &out)
	if err != nil && strings.Contains(err.Error(), "not found") {
		t.Skip("OpenAPI file not available:", err)
	}
	if err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	t.Log(out.String())
}
