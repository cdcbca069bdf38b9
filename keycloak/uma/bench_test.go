package uma_test

import (
	"testing"

	"github.com/kcgo/kc/keycloak/uma"
)

// BenchmarkGetResource measures one Protection API read against kctest,
// with the PAT cached and discovery done.
func BenchmarkGetResource(b *testing.B) {
	s, _ := start(b)
	c := newClient(b, s)
	res, err := c.CreateResource(b.Context(), uma.Resource{Name: "bench", Scopes: []uma.Scope{{Name: "view"}}})
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := c.GetResource(b.Context(), res.ID); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkResourceDecode measures decoding a resource in Keycloak's
// spelling.
func BenchmarkResourceDecode(b *testing.B) {
	in := []byte(`{"_id":"1","name":"a","uris":["/a"],"resource_scopes":[{"id":"s1","name":"view"},{"id":"s2","name":"edit"}],"icon_uri":"i","owner":{"id":"o","name":"bob"},"ownerManagedAccess":true,"attributes":{"k":["v"]}}`)
	var r uma.Resource
	for b.Loop() {
		if err := r.UnmarshalJSON(in); err != nil {
			b.Fatal(err)
		}
	}
}
