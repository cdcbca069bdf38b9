package admin

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestUserExtraRoundTrip(t *testing.T) {
	t.Parallel()
	in := `{"id":"u1","username":"alice","enabled":false,"email":"","futureField":{"a":[1,"}]"]},"weird\"key":"x","userProfileMetadata":{"attributes":[]},"attributes":{"k":["v"]}}`
	var u User
	if err := json.Unmarshal([]byte(in), &u); err != nil {
		t.Fatal(err)
	}
	wantExtra := Extra{
		"futureField":         json.RawMessage(`{"a":[1,"}]"]}`),
		`weird"key`:           json.RawMessage(`"x"`),
		"userProfileMetadata": json.RawMessage(`{"attributes":[]}`),
	}
	if diff := cmp.Diff(wantExtra, u.Extra); diff != "" {
		t.Errorf("Extra (-want +got):\n%s", diff)
	}
	if u.Enabled == nil || *u.Enabled || u.Email == nil || *u.Email != "" {
		t.Errorf("three-state fields lost: enabled=%v email=%v", u.Enabled, u.Email)
	}
	out, err := json.Marshal(u)
	if err != nil {
		t.Fatal(err)
	}
	var got, want map[string]any
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("%s: %v", out, err)
	}
	_ = json.Unmarshal([]byte(in), &want)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
}

func TestExtraDoesNotOverrideKnownFields(t *testing.T) {
	t.Parallel()
	u := User{Username: "alice", Extra: Extra{"username": json.RawMessage(`"mallory"`), "x": json.RawMessage(`1`), "bad": json.RawMessage(`{`)}}
	out, err := json.Marshal(u)
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"username":"alice","x":1}`; string(out) != want {
		t.Errorf("Marshal = %s, want %s", out, want)
	}
	empty, _ := json.Marshal(Group{Extra: Extra{"x": json.RawMessage(`true`)}})
	if want := `{"x":true}`; string(empty) != want {
		t.Errorf("Marshal = %s, want %s", empty, want)
	}
}

func TestExtraCaseInsensitiveKnown(t *testing.T) {
	t.Parallel()
	var r Role
	if err := json.Unmarshal([]byte(`{"Name":"x","other":null}`), &r); err != nil {
		t.Fatal(err)
	}
	if r.Name != "x" {
		t.Errorf("Name = %q", r.Name)
	}
	if diff := cmp.Diff(Extra{"other": json.RawMessage("null")}, r.Extra); diff != "" {
		t.Errorf("Extra (-want +got):\n%s", diff)
	}
}

func FuzzScanObject(f *testing.F) {
	f.Add(`{"a":1,"b":[1,2,{"c":"d"}],"e":"\"}"}`)
	f.Add(`{}`)
	f.Add(`[1]`)
	f.Fuzz(func(t *testing.T, s string) {
		var m map[string]json.RawMessage
		if json.Unmarshal([]byte(s), &m) != nil {
			return
		}
		got := map[string]string{}
		scanObject([]byte(s), func(k, raw []byte) { got[unquoteKey(k)] = string(raw) })
		for k, v := range m {
			if got[k] != string(v) {
				t.Fatalf("key %q: scan %q, json %q", k, got[k], v)
			}
		}
	})
}

var benchUser = []byte(`{"id":"6a1b2c3d-0000-4000-8000-000000000001","username":"alice","firstName":"Alice","lastName":"Liddell","email":"alice@example.com","emailVerified":true,"createdTimestamp":1700000000000,"enabled":true,"totp":false,"disableableCredentialTypes":[],"requiredActions":[],"notBefore":0,"access":{"manageGroupMembership":true,"view":true,"mapRoles":true,"impersonate":true,"manage":true},"attributes":{"locale":["en"]}}`)

func BenchmarkUserUnmarshal(b *testing.B) {
	b.Run("User", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var u User
			if err := json.Unmarshal(benchUser, &u); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("plain", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var u plainUser
			if err := json.Unmarshal(benchUser, &u); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// FuzzUserExtra checks the single-pass decoding against encoding/json:
// the declared fields are those of a plain decode, and Extra holds exactly
// the object's members (as encoding/json sees them) that User does not
// declare, for a User alone and for the elements of a list.
func FuzzUserExtra(f *testing.F) {
	f.Add(string(benchUser))
	f.Add(`{"id":"u1","username":"alice","enabled":false,"futureField":{"a":[1,"}]"]},"weird\"key":"x","attributes":{"k":["v"]}}`)
	f.Add(`{"USERNAME":"a","Username":"b","x":1,"X":2,"\u0078":3}`)
	f.Add(` { "a" : [ 1e3 , -0.5 , true , null , "\\\"" ] , "b\u00e9" : { } } `)
	f.Add(`{"username":1,"y":2}`)
	f.Add(`{"totp":null,"k":"\ud800"}`)
	f.Add(`null`)
	f.Add(`[]`)
	f.Add(`{} {}`)
	f.Add(` {"a":1} x`)
	f.Add(`{"a":`)
	f.Add(`[{"a`)
	f.Add(`{"a"`)
	f.Add(``)
	f.Fuzz(func(t *testing.T, s string) {
		b := []byte(s)
		// The scanners must not panic on any input.
		scanObject(b, func(_, _ []byte) {})
		scanArray(b, func(elem []byte) { scanObject(elem, func(_, _ []byte) {}) })
		var anyList userList
		if errList, errJSON := anyList.UnmarshalJSON(b), json.Unmarshal(b, new([]plainUser)); (errList == nil) != (errJSON == nil) {
			t.Fatalf("list error %v, []plainUser error %v", errList, errJSON)
		}
		var plain plainUser
		errPlain := json.Unmarshal(b, &plain)
		var u User
		errUser := json.Unmarshal(b, &u)
		if (errPlain == nil) != (errUser == nil) {
			t.Fatalf("plain decode error %v, User decode error %v", errPlain, errUser)
		}
		var direct User // UnmarshalJSON called with any bytes, not validated
		errDirect := direct.UnmarshalJSON(b)
		if (errPlain == nil) != (errDirect == nil) {
			t.Fatalf("plain decode error %v, UnmarshalJSON error %v", errPlain, errDirect)
		}
		if errPlain != nil {
			return
		}
		if diff := cmp.Diff(u, direct); diff != "" {
			t.Fatalf("UnmarshalJSON (-json.Unmarshal +direct):\n%s", diff)
		}
		got := u
		got.Extra = nil
		if diff := cmp.Diff(User(plain), got); diff != "" {
			t.Fatalf("declared fields (-plain +User):\n%s", diff)
		}
		var members map[string]json.RawMessage
		if json.Unmarshal(b, &members) != nil {
			members = nil // not an object
		}
		var want Extra
		known := fieldsOf[plainUser]()
		for k, v := range members {
			if !known.hasName(k) {
				if want == nil {
					want = Extra{}
				}
				want[k] = v
			}
		}
		if diff := cmp.Diff(want, u.Extra); diff != "" {
			t.Fatalf("Extra (-want +got):\n%s", diff)
		}

		arr := []byte("[" + s + ",\n" + s + "]")
		var viaElems []User
		if err := json.Unmarshal(arr, &viaElems); err != nil {
			t.Fatal(err)
		}
		var l userList
		if err := json.Unmarshal(arr, &l); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(viaElems, []User(l)); diff != "" {
			t.Fatalf("list (-per element +list):\n%s", diff)
		}
	})
}

// TestListErrors: a list decodes null, the empty array and type errors
// as a []User does.
func TestListErrors(t *testing.T) {
	t.Parallel()
	for _, in := range []string{`null`, `[]`, `[null,{"username":"a","x":1}]`, `[{"username":1}]`, `{"username":"a"}`, `[1]`} {
		var want []User
		errWant := json.Unmarshal([]byte(in), &want)
		var got userList
		errGot := json.Unmarshal([]byte(in), &got)
		if (errWant == nil) != (errGot == nil) {
			t.Errorf("%s: error %v, want %v", in, errGot, errWant)
			continue
		}
		if errWant == nil {
			if diff := cmp.Diff(want, []User(got)); diff != "" {
				t.Errorf("%s (-want +got):\n%s", in, diff)
			}
			if (want == nil) != (got == nil) {
				t.Errorf("%s: nil %v, want %v", in, got == nil, want == nil)
			}
		}
	}
}

func BenchmarkUserMarshal(b *testing.B) {
	var u User
	if err := json.Unmarshal(benchUser, &u); err != nil {
		b.Fatal(err)
	}
	b.Run("User", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := json.Marshal(&u); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("requestBody", func(b *testing.B) { // what Create and Update send
		b.ReportAllocs()
		for b.Loop() {
			if _, err := json.Marshal(u.requestBody()); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("plain", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := json.Marshal((*plainUser)(&u)); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// TestRequestBody: without Extra a representation is sent in its plain
// form, byte for byte what MarshalJSON writes; with Extra (or as a
// Member) it is sent whole.
func TestRequestBody(t *testing.T) {
	t.Parallel()
	var u User
	if err := json.Unmarshal(benchUser, &u); err != nil {
		t.Fatal(err)
	}
	withExtra := u
	withExtra.Extra = Extra{"x": json.RawMessage(`1`)}
	m := &Member{User: u, MembershipType: "MANAGED"}
	for _, tc := range []struct {
		name  string
		body  requestBody
		plain bool
	}{
		{"no Extra", &u, true},
		{"Extra", &withExtra, false},
		{"Member", m, false},
		{"nil", (*User)(nil), false},
	} {
		got := tc.body.requestBody()
		if _, isPlain := got.(*plainUser); isPlain != tc.plain {
			t.Errorf("%s: requestBody is %T", tc.name, got)
		}
		if tc.name == "nil" {
			continue
		}
		want, err := json.Marshal(tc.body)
		if err != nil {
			t.Fatal(err)
		}
		b, err := json.Marshal(got)
		if err != nil {
			t.Fatal(err)
		}
		if string(b) != string(want) {
			t.Errorf("%s: body %s, MarshalJSON %s", tc.name, b, want)
		}
	}
}
