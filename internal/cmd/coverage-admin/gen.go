package main

import (
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"
)

var methods = []string{"get", "put", "post", "delete", "patch", "head", "options"}

// readSpec returns the operations of an OpenAPI description, sorted by path
// then method.
func readSpec(path string) ([]operation, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, notFound(path, err)
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
	paths := make([]string, 0, len(doc.Paths))
	for p := range doc.Paths {
		paths = append(paths, p)
	}
	slices.Sort(paths)
	var ops []operation
	for _, p := range paths {
		for _, m := range methods {
			raw, ok := doc.Paths[p][m]
			if !ok {
				continue
			}
			var o struct {
				Deprecated bool `json:"deprecated"`
			}
			if err := json.Unmarshal(raw, &o); err != nil {
				return nil, fmt.Errorf("%s: %s %s: %w", path, m, p, err)
			}
			ops = append(ops, operation{Key: strings.ToUpper(m) + " " + p, Deprecated: o.Deprecated})
		}
	}
	return ops, nil
}

// generate writes the operations of the OpenAPI file spec to out, as the
// facts operations.txt holds: method, path and deprecated flag, nothing of
// the description's text.
func generate(spec, out string) error {
	if spec == "" {
		return fmt.Errorf("-gen needs the OpenAPI file (set KEYCLOAK_ADMIN_OPENAPI for go generate)")
	}
	ops, err := readSpec(spec)
	if err != nil {
		return err
	}
	var b strings.Builder
	b.WriteString("# The operations of Keycloak's Admin OpenAPI description (26.6): METHOD /path [deprecated].\n")
	b.WriteString("# Generated; do not edit. Regenerate with:\n")
	b.WriteString("#   KEYCLOAK_ADMIN_OPENAPI=/path/to/keycloak-admin-openapi.json go generate ./internal/cmd/coverage-admin\n")
	for _, op := range ops {
		b.WriteString(op.Key)
		if op.Deprecated {
			b.WriteString(" deprecated")
		}
		b.WriteByte('\n')
	}
	return os.WriteFile(out, []byte(b.String()), 0o644)
}
