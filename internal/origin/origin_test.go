package origin

import (
	"net/url"
	"testing"
)

func TestSame(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		a, b string
		same bool
	}{
		{"https://kc.example/a", "https://KC.example:443/b?x", true},
		{"http://kc.example/", "http://kc.example:80/", true},
		{"https://kc.example/", "http://kc.example/", false},
		{"https://kc.example/", "https://kc.example:8443/", false},
		{"http://127.0.0.1:8080/", "http://localhost:8080/", false},
		{"https://kc.example/", "https://evil.example/", false},
	} {
		a, _ := url.Parse(tc.a)
		b, _ := url.Parse(tc.b)
		if got := Same(a, b); got != tc.same {
			t.Errorf("Same(%s, %s) = %v, want %v", tc.a, tc.b, got, tc.same)
		}
	}
}
