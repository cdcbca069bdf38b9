package kctest

import (
	"errors"
	"testing"
)

// TestBindColumn pins where Jackson reports an unrecognized field
// (UnrecognizedPropertyException.from takes the parser's current
// location): one past the last character read, which is the whole value
// for a number or a literal and only the opening character of a string,
// array or object. Vectors as a Keycloak 26 answers them.
func TestBindColumn(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		body         string
		line, column int
	}{
		{`{"zz":1}`, 1, 8},
		{`{"zz":12}`, 1, 9},
		{`{"zz":"a"}`, 1, 8},
		{`{"zz":null}`, 1, 11},
		{`{"zz":true}`, 1, 11},
		{`{"zz":[1,2]}`, 1, 8},
		{`{"zz":{"a":1}}`, 1, 8},
		{`{ "zz" : 1 }`, 1, 11},
		{`{"zz":1,"alias":"VERIFY_EMAIL"}`, 1, 8},
		{`{"alias":"VERIFY_EMAIL","zz":1}`, 1, 31},
		{"{\n  \"alias\": \"x\",\n  \"zz\": 1\n}", 3, 10},
	} {
		_, err := bindJSON([]byte(tc.body), "RequiredActionProviderRepresentation")
		var be *bindError
		if !errors.As(err, &be) || be.kind != bindUnknown || be.member != "zz" || be.line != tc.line || be.column != tc.column {
			t.Errorf("%s: %v, want zz at %d:%d", tc.body, err, tc.line, tc.column)
		}
	}
}

// TestBindCoercions pins the body a handler reads after Jackson's scalar
// coercions, and that Jackson reads only the first value.
func TestBindCoercions(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, want string }{
		{`{"attributes":{"a":true,"b":12,"c":-1.5e3,"d":null}}`, `{"attributes":{"a":"true","b":"12","c":"-1.5e3","d":null}}`},
		{`{"enabled":"TRUE","bearerOnly":"","publicClient":0,"notBefore":"7","nodeReRegistrationTimeout":3.9}`,
			`{"enabled":true,"bearerOnly":null,"publicClient":false,"notBefore":7,"nodeReRegistrationTimeout":3}`},
		{`{"clientId":"x"} trailing`, `{"clientId":"x"}`},
	} {
		out, err := bindJSON([]byte(tc.in), "ClientRepresentation")
		if err != nil || string(out) != tc.want {
			t.Errorf("%s:\n got %s %v\nwant %s", tc.in, out, err, tc.want)
		}
	}
}
