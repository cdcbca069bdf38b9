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
