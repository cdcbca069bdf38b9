// Command kctest-reps writes keycloak/kctest/representations.json: for each
// representation of Keycloak's Admin REST API the JSON members Keycloak's
// Jackson binding knows and their types, and for each admin route that
// takes a representation body, the body's type. kctest checks request
// bodies against it as Jackson does (unknown members are rejected, scalars
// are coerced).
//
// Usage (from the repository root, or with go generate in keycloak/kctest):
//
//	go run ./internal/cmd/kctest-reps [-o keycloak/kctest/representations.json] [openapi.json]
//
// The OpenAPI file defaults to ../shared/reference/keycloak-admin-openapi.json.
//
// A type is written as "string", "boolean", "integer", "number", "any",
// a representation name, "[T]" (array of T) or "{T}" (object whose members
// are all T).
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"regexp"
	"sort"
	"strings"
)

const defaultSpec = "../shared/reference/keycloak-admin-openapi.json"

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "kctest-reps:", err)
		os.Exit(1)
	}
}

type schema struct {
	Ref                  string             `json:"$ref"`
	Type                 string             `json:"type"`
	Items                *schema            `json:"items"`
	Properties           map[string]*schema `json:"properties"`
	AdditionalProperties json.RawMessage    `json:"additionalProperties"`
	AllOf                []*schema          `json:"allOf"`
	Enum                 []any              `json:"enum"`
}

type spec struct {
	Paths      map[string]map[string]json.RawMessage `json:"paths"`
	Components struct {
		Schemas map[string]*schema `json:"schemas"`
	} `json:"components"`
}

type operation struct {
	RequestBody *struct {
		Content map[string]struct {
			Schema *schema `json:"schema"`
		} `json:"content"`
	} `json:"requestBody"`
}

// Output is the file's shape.
type output struct {
	// Types maps a representation's simple class name to its members.
	Types map[string]map[string]string `json:"types"`
	// Bodies maps "METHOD /path" (path parameters written {}) to the type
	// of the JSON body.
	Bodies map[string]string `json:"bodies"`
}

// extraBodies are bodies the OpenAPI describes as a raw stream but that
// Keycloak binds to a representation.
var extraBodies = map[string]string{
	// RealmsAdminResource.importRealm(RealmRepresentation)
	"POST /admin/realms": "RealmRepresentation",
}

// extraMembers are members Jackson binds that the OpenAPI leaves out.
var extraMembers = map[string]map[string]string{
	// ResourceRepresentation: @JsonProperty("resource_scopes") beside "scopes".
	"ResourceRepresentation": {"resource_scopes": "[ScopeRepresentation]"},
}

var param = regexp.MustCompile(`\{[^}]*\}`)

func run(args []string, stdout io.Writer) error {
	fl := flag.NewFlagSet("kctest-reps", flag.ContinueOnError)
	out := fl.String("o", "keycloak/kctest/representations.json", "output file (- for stdout)")
	if err := fl.Parse(args); err != nil {
		return err
	}
	path := defaultSpec
	if fl.NArg() > 0 {
		path = fl.Arg(0)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	var sp spec
	if err := json.Unmarshal(b, &sp); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	g := gen{schemas: sp.Components.Schemas, out: output{Types: map[string]map[string]string{}, Bodies: map[string]string{}}}
	for p, ops := range sp.Paths {
		for method, raw := range ops {
			var op operation
			if json.Unmarshal(raw, &op) != nil || op.RequestBody == nil {
				continue
			}
			c, ok := op.RequestBody.Content["application/json"]
			if !ok || c.Schema == nil {
				continue
			}
			t := g.typeOf(c.Schema)
			if t == "string" || t == "any" {
				continue // a raw body, not a representation
			}
			g.out.Bodies[strings.ToUpper(method)+" "+param.ReplaceAllString(p, "{}")] = t
		}
	}
	for k, t := range extraBodies {
		g.out.Bodies[k] = t
		g.define(t)
	}
	for name, members := range extraMembers {
		for k, t := range members {
			if g.out.Types[name] != nil {
				g.out.Types[name][k] = t
			}
		}
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", " ")
	// encoding/json sorts map keys: the file is deterministic.
	if err := enc.Encode(g.out); err != nil {
		return err
	}
	if *out == "-" {
		_, err := stdout.Write(buf.Bytes())
		return err
	}
	return os.WriteFile(*out, buf.Bytes(), 0o644)
}

type gen struct {
	schemas map[string]*schema
	out     output
}

// typeOf returns the type string of s, defining the representations it
// names.
func (g *gen) typeOf(s *schema) string {
	if s == nil {
		return "any"
	}
	if s.Ref != "" {
		return g.define(strings.TrimPrefix(s.Ref, "#/components/schemas/"))
	}
	if len(s.AllOf) > 0 {
		// Members such as ResourceRepresentation.owner take more than one
		// shape in Keycloak (an id or an object); do not check them.
		return "any"
	}
	switch s.Type {
	case "string":
		return "string"
	case "boolean", "integer", "number":
		return s.Type
	case "array":
		return "[" + g.typeOf(s.Items) + "]"
	case "object":
		if len(s.Properties) > 0 {
			return "any"
		}
		ap := bytes.TrimSpace(s.AdditionalProperties)
		if len(ap) == 0 || string(ap) == "true" || string(ap) == "{}" {
			return "{any}"
		}
		var item schema
		if json.Unmarshal(ap, &item) != nil {
			return "{any}"
		}
		return "{" + g.typeOf(&item) + "}"
	}
	return "any"
}

// define records the members of the named schema and returns its type
// string: the name for a representation with members, else the type it
// stands for.
func (g *gen) define(name string) string {
	if _, ok := g.out.Types[name]; ok {
		return name
	}
	s := g.schemas[name]
	if s == nil {
		return "any"
	}
	if len(s.Properties) == 0 {
		if len(s.Enum) > 0 {
			return "string"
		}
		c := *s
		c.Ref = ""
		return g.typeOf(&c)
	}
	members := map[string]string{}
	g.out.Types[name] = members // before recursing: types refer to themselves
	keys := make([]string, 0, len(s.Properties))
	for k := range s.Properties {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		members[k] = g.typeOf(s.Properties[k])
	}
	return name
}
