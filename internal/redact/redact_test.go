package redact

import (
	"net/url"
	"testing"
)

func TestURL(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"https://kc/x?first=0&max=10":                        "https://kc/x?first=0&max=10",
		"https://kc/x?client_secret=s&code=c&state=ok":       "https://kc/x?client_secret=REDACTED&code=REDACTED&state=ok",
		"https://u:pw@kc/x":                                  "https://u:REDACTED@kc/x",
		"https://kc/cb?Password=p#access_token=t":            "https://kc/cb?Password=REDACTED",
		"https://kc/x?refresh_token=a&refresh_token=b&max=1": "https://kc/x?max=1&refresh_token=REDACTED&refresh_token=REDACTED",
	} {
		u, err := url.Parse(in)
		if err != nil {
			t.Fatal(err)
		}
		if got := URL(u); got != want {
			t.Errorf("URL(%s) = %s, want %s", in, got, want)
		}
	}
	if String("%zz") != Placeholder {
		t.Error("unparsable URL not replaced")
	}
}
