package kctest_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

// TestUnknownMembersRejected pins Jackson's binding of representation
// bodies: a member the representation does not have answers 400 with
// KcUnrecognizedPropertyExceptionHandler's message, through
// KeycloakErrorHandler.getResponse ({"error": the BadRequestException's
// message}), naming the class, the member and where Jackson stood (one
// past the value's first character for a string, the whole value for a
// number or literal). The body is read before the resource method looks
// anything up, so an unknown flow alias still answers the 400.
func TestUnknownMembersRejected(t *testing.T) {
	t.Parallel()
	s, _ := startDemo(t)
	tok := masterToken(t, s)
	a := "/admin/realms/demo"
	users := adminDo(t, s, tok, "GET", a+"/users?username=alice&exact=true", "")
	var list []struct{ ID string }
	if err := json.Unmarshal(users.body, &list); err != nil || len(list) != 1 {
		t.Fatalf("alice: %d %s", users.status, users.body)
	}
	alice := list[0].ID
	msg := func(class, field string, col int) string {
		b, _ := json.Marshal(map[string]string{"error": "Invalid json representation for " + class +
			". Unrecognized field \"" + field + "\" at line 1 column " + itoa(col) + "."})
		return string(b)
	}
	for _, tc := range []struct {
		method, path, body, want string
	}{
		{"PUT", a, `{"wrong":"payload"}`, msg("RealmRepresentation", "wrong", 11)},
		{"POST", "/admin/realms", `{"realm":"x1","wrong":1}`, msg("RealmRepresentation", "wrong", 24)},
		{"PUT", a + "/users/" + alice, `{"zz":1}`, msg("UserRepresentation", "zz", 8)},
		{"POST", a + "/users", `{"username":"new","zz":null}`, msg("UserRepresentation", "zz", 28)},
		{"POST", a + "/users", `{"username":"new","credentials":[{"type":"password","zz":true}]}`, msg("CredentialRepresentation", "zz", 62)},
		{"POST", a + "/clients", `{"clientId":"c","zz":[1]}`, msg("ClientRepresentation", "zz", 23)},
		{"PUT", a + "/events/config", `{"zz":{"a":1}}`, msg("RealmEventsConfigRepresentation", "zz", 8)},
		{"POST", a + "/roles", `{ "zz" : 12 }`, msg("RoleRepresentation", "zz", 12)},
		{"POST", a + "/users/" + alice + "/role-mappings/realm", `[{"name":"x","zz":"y"}]`, msg("RoleRepresentation", "zz", 20)},
		{"PUT", a + "/authentication/flows/no-such-flow/executions", `{"zz":1}`, msg("AuthenticationExecutionInfoRepresentation", "zz", 8)},
		{"PUT", a + "/authentication/flows/browser/executions", `{"id":"x",` + "\n" + ` "zz":1}`, msg("AuthenticationExecutionInfoRepresentation", "zz", 7)[:0]},
		// Malformed JSON and the wrong shape (KeycloakErrorHandler.getErrorCode).
		{"PUT", a + "/users/" + alice, `{`, `{"error":"invalid_request","error_description":"Cannot parse the JSON"}`},
		{"PUT", a + "/users/" + alice, `[]`, `{"error":"unknown_error","error_description":"Cannot parse the JSON"}`},
		{"PUT", a + "/users/" + alice, `{"firstName":{"a":1}}`, `{"error":"unknown_error","error_description":"Cannot parse the JSON"}`},
		{"PUT", a + "/users/" + alice, `{"attributes":{"a":"b"}}`, `{"error":"unknown_error","error_description":"Cannot parse the JSON"}`},
	} {
		res := adminDo(t, s, tok, tc.method, tc.path, tc.body)
		if tc.want == "" {
			// Line 2: the message counts lines and restarts columns.
			tc.want = `{"error":"Invalid json representation for AuthenticationExecutionInfoRepresentation. Unrecognized field \"zz\" at line 2 column 8."}`
		}
		if res.status != http.StatusBadRequest || string(res.body) != tc.want {
			t.Errorf("%s %s %s:\n got %d %s\nwant 400 %s", tc.method, tc.path, tc.body, res.status, res.body, tc.want)
		}
		if ct := res.header.Get("Content-Type"); ct != "application/json" {
			t.Errorf("%s %s: Content-Type %q", tc.method, tc.path, ct)
		}
	}
	// Nothing was created by the rejected bodies.
	if res := adminDo(t, s, tok, "GET", a+"/users?username=new&exact=true", ""); string(res.body) != "[]" {
		t.Errorf("a rejected POST users created a user: %s", res.body)
	}
	// Known members that kctest does not model are accepted, as Keycloak
	// knows them.
	if res := adminDo(t, s, tok, "PUT", a+"/users/"+alice, `{"origin":"x","self":"y","federationLink":null}`); res.status != http.StatusNoContent {
		t.Errorf("PUT users with known members: %d %s", res.status, res.body)
	}
}

// TestScalarCoercion pins Jackson's default coercions of scalars
// (StringDeserializer takes a boolean's or a number's text;
// StdDeserializer._parseBoolean takes "true"; numbers take numeric
// strings): a client created with
// {"oauth2.device.authorization.grant.enabled": true} stores "true".
func TestScalarCoercion(t *testing.T) {
	t.Parallel()
	s, _ := startDemo(t)
	tok := masterToken(t, s)
	a := "/admin/realms/demo"
	res := adminDo(t, s, tok, "POST", a+"/clients", `{"clientId":"coerced","enabled":"true","publicClient":true,`+
		`"nodeReRegistrationTimeout":"30","attributes":{"oauth2.device.authorization.grant.enabled":true,"x.number":12.50}}`)
	if res.status != http.StatusCreated {
		t.Fatalf("POST clients: %d %s", res.status, res.body)
	}
	loc := res.header.Get("Location")
	got := adminDo(t, s, tok, "GET", strings.TrimPrefix(loc, s.URL), "")
	var c struct {
		Enabled    bool              `json:"enabled"`
		Attributes map[string]string `json:"attributes"`
	}
	if err := json.Unmarshal(got.body, &c); err != nil {
		t.Fatalf("GET client: %v %s", err, got.body)
	}
	if !c.Enabled || c.Attributes["oauth2.device.authorization.grant.enabled"] != "true" || c.Attributes["x.number"] != "12.50" {
		t.Errorf("coerced client: %s", got.body)
	}
	// A user's firstName given as a number.
	res = adminDo(t, s, tok, "POST", a+"/users", `{"username":"num","firstName":42,"enabled":1}`)
	if res.status != http.StatusCreated {
		t.Fatalf("POST users: %d %s", res.status, res.body)
	}
	got = adminDo(t, s, tok, "GET", strings.TrimPrefix(res.header.Get("Location"), s.URL), "")
	var u struct {
		FirstName string `json:"firstName"`
		Enabled   bool   `json:"enabled"`
	}
	if err := json.Unmarshal(got.body, &u); err != nil || u.FirstName != "42" || !u.Enabled {
		t.Errorf("coerced user: %s", got.body)
	}
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}
