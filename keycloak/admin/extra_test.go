package admin

import (
	"bytes"
	"encoding/json"
	"fmt"
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
		var anyList, bodyList userList
		if errList, errJSON := anyList.UnmarshalJSON(b), json.Unmarshal(b, new([]plainUser)); (errList == nil) != (errJSON == nil) {
			t.Fatalf("list error %v, []plainUser error %v", errList, errJSON)
		}
		if errList, errBody := anyList.UnmarshalJSON(b), bodyList.DecodeBody(b); (errList == nil) != (errBody == nil) {
			t.Fatalf("UnmarshalJSON error %v, DecodeBody error %v", errList, errBody)
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
		var body userList
		if err := body.DecodeBody(arr); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(viaElems, []User(body)); diff != "" {
			t.Fatalf("DecodeBody (-per element +list):\n%s", diff)
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

// bigUserList is an array of n users, over the 256 KiB that unmarshal
// decodes with a pooled decoder for n ≥ 1,000; users at the indexes in
// odd carry members User does not declare.
func bigUserList(n int, odd ...int) []byte {
	var b bytes.Buffer
	b.WriteByte('[')
	for i := range n {
		if i > 0 {
			b.WriteString(",\n")
		}
		fmt.Fprintf(&b, `{"id":"%08x-0000-4000-8000-%012x","username":"user-%06d","firstName":"First%d","email":"user-%06d@example.com","emailVerified":%t,"attributes":{"department":["dept-%d"]},"enabled":true,"createdTimestamp":1795632451915,"totp":false,"notBefore":0`, i, i, i, i, i, i%2 == 0, i%17)
		for _, j := range odd {
			if i == j {
				fmt.Fprintf(&b, `,"userProfileMetadata":{"n":%d},"futureField":"f%d"`, i, i)
			}
		}
		b.WriteByte('}')
	}
	b.WriteByte(']')
	return b.Bytes()
}

// TestLargeListKeepsExtra: a list of any size decodes as its elements do
// one by one, the undeclared members of the few elements that have them
// in their Extra, nil elsewhere.
func TestLargeListKeepsExtra(t *testing.T) {
	t.Parallel()
	for _, n := range []int{0, 1, 3_000} {
		for _, odd := range [][]int{nil, {0}, {n - 1}, {2, 2_500}} {
			in := bigUserList(n, odd...)
			var want []User
			if err := json.Unmarshal(in, &want); err != nil {
				t.Fatal(err)
			}
			withExtra := 0
			for _, u := range want {
				if u.Extra != nil {
					withExtra++
				}
			}
			if n > 2_500 && withExtra != len(odd) {
				t.Fatalf("n=%d odd=%v: %d users with Extra, want %d", n, odd, withExtra, len(odd))
			}
			var viaBody, viaJSON userList
			if err := viaBody.DecodeBody(in); err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(in, &viaJSON); err != nil {
				t.Fatal(err)
			}
			for name, got := range map[string]userList{"DecodeBody": viaBody, "json.Unmarshal": viaJSON} {
				if diff := cmp.Diff(want, []User(got)); diff != "" {
					t.Errorf("n=%d odd=%v: %s (-per element +list):\n%s", n, odd, name, diff)
				}
			}
		}
	}
}

// TestListKeepsNothingOfTheBody: the pipeline reuses the body's memory
// once DecodeBody returns, so nothing decoded may point into it.
func TestListKeepsNothingOfTheBody(t *testing.T) {
	t.Parallel()
	in := bigUserList(50, 7)
	var want []User
	if err := json.Unmarshal(in, &want); err != nil {
		t.Fatal(err)
	}
	var got userList
	if err := got.DecodeBody(in); err != nil {
		t.Fatal(err)
	}
	for i := range in {
		in[i] = 'X'
	}
	if diff := cmp.Diff(want, []User(got)); diff != "" {
		t.Errorf("after the body was overwritten (-want +got):\n%s", diff)
	}
}

// BenchmarkUserListDecode decodes a body of 1,000 users as the pipeline
// does (DecodeBody), through encoding/json (UnmarshalJSON, what a list
// nested in another value costs), and as a plain []plainUser with
// encoding/json's Decoder, which is how a hand-written client reads a
// response.
func BenchmarkUserListDecode(b *testing.B) {
	in := bigUserList(1_000)
	b.Run("how=DecodeBody", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var l userList
			if err := l.DecodeBody(in); err != nil || len(l) != 1_000 {
				b.Fatal(len(l), err)
			}
		}
	})
	b.Run("how=UnmarshalJSON", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var l userList
			if err := json.Unmarshal(in, &l); err != nil || len(l) != 1_000 {
				b.Fatal(len(l), err)
			}
		}
	})
	b.Run("how=plain", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var l []plainUser
			if err := json.NewDecoder(bytes.NewReader(in)).Decode(&l); err != nil || len(l) != 1_000 {
				b.Fatal(len(l), err)
			}
		}
	})
}
