package admin

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// fastSeeds are forms the fast path must decode as encoding/json does, or
// leave to it: escapes, invalid UTF-8, members given twice, keys matching
// only case-insensitively, nulls, numbers an int can't take, trailing data.
var fastSeeds = []string{
	`[{"id":"1","username":"a","firstName":"A","emailVerified":true,"enabled":false,"createdTimestamp":1700000000000,"notBefore":0,"disableableCredentialTypes":[],"requiredActions":["x",null],"access":{"view":true,"manage":null},"attributes":{"k":["v"],"n":null,"e":[]},"clientRoles":{}}]`,
	`[{"id":"\u00e9\ud83d\ude00\n","username":"caf\u00e9","email":"\ud800"}]`,
	"[{\"username\":\"\xff\xfe\",\"x\":\"\xff\"}]",
	`[{"username":"a","username":"b"}]`,
	`[{"USERNAME":"a"}]`,
	`[{"user\u006eame":"a"}]`,
	`[{"unknown":{"a":[1,2,{"b":"}"}]},"other\"key":-1.5e+3}]`,
	`[{"createdTimestamp":1.0}]`,
	`[{"createdTimestamp":1e3}]`,
	`[{"createdTimestamp":99999999999999999999}]`,
	`[{"createdTimestamp":-0}]`,
	`[{"createdTimestamp":01}]`,
	`[{"notBefore":null,"email":null,"enabled":null,"username":null,"attributes":null}]`,
	`[{"enabled":"true"}]`,
	`[{"username":1}]`,
	`[{"access":{"a":1}}]`,
	`[{"credentials":[{"type":"password","value":"x","temporary":false,"extra":1}]}]`,
	`[{"federatedIdentities":null},null,{}]`,
	`[]`, `null`, ` [ ] `, `[{}] x`, `[{},]`, `[,]`, `[{"a":}]`, `[{"a":tru}]`, `{"id":"1"}`,
	`[{"x":"\x"}]`, `[{"x":"\u12"}]`, "[{\"x\":\"a\tb\"}]", `[{"x":[[[[[[[[]]]]]]]]}]`,
	`[{"attributes":{"k":["a","b"],"k":["c"]}}]`,
	`[{"requiredActions":["a"],"requiredActions":["b"]}]`,
}

// seedRealms adds the users, clients, groups and roles of the realm
// exports in testdata as list bodies.
func seedRealms(tb testing.TB) []string {
	var out []string
	for _, s := range seedRealmLists(tb) {
		out = append(out, s.body)
	}
	return out
}

type seedList struct{ kind, body string }

func seedRealmLists(tb testing.TB) []seedList {
	tb.Helper()
	files, _ := filepath.Glob("../../testdata/realms/*.json")
	var out []seedList
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			tb.Fatal(err)
		}
		var realm map[string]json.RawMessage
		if err := json.Unmarshal(b, &realm); err != nil {
			tb.Fatal(err)
		}
		for _, k := range []string{"users", "clients", "groups", "clientScopes", "identityProviders"} {
			if raw, ok := realm[k]; ok {
				out = append(out, seedList{k, string(raw)})
			}
		}
		out = append(out, seedList{"realm", "[" + string(b) + "]"})
	}
	return out
}

// checkFast decodes b with the fast path and with encoding/json, as a list
// of P and as each element alone: where the fast path decodes, encoding/json
// must decode the same values; where it gives up, the caller's fallback
// answers.
func checkFast[T, P any, PP plainOf[T, P]](t *testing.T, b []byte) {
	t.Helper()
	ps, ok := fastList[P](b)
	var slow list[T, P, PP]
	errSlow := slow.decodeSlow(b)
	if ok {
		if errSlow != nil {
			t.Fatalf("%T: fast decoded %q, encoding/json: %v", ps, b, errSlow)
		}
		var fast list[T, P, PP]
		fast.set(ps)
		if diff := cmp.Diff([]T(slow), []T(fast)); diff != "" {
			t.Fatalf("%T of %q (-encoding/json +fast):\n%s", ps, b, diff)
		}
	}
	var elems []json.RawMessage
	if json.Unmarshal(b, &elems) != nil {
		return
	}
	for _, e := range elems {
		var fast, want P
		if !fastObject(e, &fast, PP(&fast).extra()) {
			continue
		}
		if err := json.Unmarshal(e, &want); err != nil {
			t.Fatalf("%T: fast decoded %q, encoding/json: %v", want, e, err)
		}
		*PP(&want).extra() = unknownMembers(e, fieldsOf[P]())
		if diff := cmp.Diff(*PP(&want).rep(), *PP(&fast).rep()); diff != "" {
			t.Fatalf("%T of %q (-encoding/json +fast):\n%s", want, e, diff)
		}
	}
}

func checkAllFast(t *testing.T, b []byte) {
	checkFast[User, plainUser](t, b)
	checkFast[ClientApp, plainClient](t, b)
	checkFast[Group, plainGroup](t, b)
	checkFast[Role, plainRole](t, b)
	checkFast[ClientScope, plainClientScope](t, b)
	checkFast[Realm, plainRealm](t, b)
	checkFast[IdentityProvider, plainIdentityProvider](t, b)
	checkFast[Organization, plainOrganization](t, b)
}

func TestFastDecodeMatchesEncodingJSON(t *testing.T) {
	t.Parallel()
	for _, s := range append(fastSeeds, seedRealms(t)...) {
		checkAllFast(t, []byte(s))
	}
}

// TestFastDecodeDecodesKeycloakForms pins that the forms Keycloak sends
// take the fast path (else the speed is lost, silently).
func TestFastDecodeDecodesKeycloakForms(t *testing.T) {
	t.Parallel()
	for _, s := range []string{fastSeeds[0], fastSeeds[1], fastSeeds[6], `[]`, `null`} {
		if _, ok := fastList[plainUser]([]byte(s)); !ok {
			t.Errorf("fast path refused %s", s)
		}
	}
	fast := map[string]func([]byte) bool{
		"users":             func(b []byte) bool { _, ok := fastList[plainUser](b); return ok },
		"clients":           func(b []byte) bool { _, ok := fastList[plainClient](b); return ok },
		"groups":            func(b []byte) bool { _, ok := fastList[plainGroup](b); return ok },
		"clientScopes":      func(b []byte) bool { _, ok := fastList[plainClientScope](b); return ok },
		"identityProviders": func(b []byte) bool { _, ok := fastList[plainIdentityProvider](b); return ok },
		"realm":             func(b []byte) bool { _, ok := fastList[plainRealm](b); return ok },
	}
	for _, s := range seedRealmLists(t) {
		if !fast[s.kind]([]byte(s.body)) {
			t.Errorf("fast path refused the %s of a realm: %.80s", s.kind, s.body)
		}
	}
	for _, s := range []string{fastSeeds[3], fastSeeds[4], fastSeeds[5], fastSeeds[7], `[{}] x`} {
		if _, ok := fastList[plainUser]([]byte(s)); ok {
			t.Errorf("fast path decoded %s, which only encoding/json gets right", s)
		}
	}
}

// TestFastDecodeSlicesDoNotShareMemory: appending to one decoded slice
// never writes over another's elements, though both come from one chunk.
func TestFastDecodeSlicesDoNotShareMemory(t *testing.T) {
	t.Parallel()
	var l userList
	if err := l.DecodeBody([]byte(`[{"requiredActions":["a"],"realmRoles":["b"],"groups":["c","d"]}]`)); err != nil {
		t.Fatal(err)
	}
	u := &l[0]
	u.RequiredActions = append(u.RequiredActions, "x")
	if u.RealmRoles[0] != "b" || len(u.RealmRoles) != 1 {
		t.Errorf("RealmRoles = %q after an append to RequiredActions", u.RealmRoles)
	}
}

func FuzzFastDecodeMatchesEncodingJSON(f *testing.F) {
	for _, s := range fastSeeds {
		f.Add(s)
	}
	for _, s := range seedRealms(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) { checkAllFast(t, []byte(s)) })
}
