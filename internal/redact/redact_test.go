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

func TestSecretKeysMapsAndJSON(t *testing.T) {
	t.Parallel()
	for name, want := range map[string]bool{
		"clientSecret": true, "secret": true, "client.secret.rotated": true, "bindCredential": true,
		"keystorePassword": true, "privateKey": true, "password": true, "secretData": true, "client_secret": true,
		"clientId": false, "host": false, "bindDn": false, "clientAuthMethod": false, "certificate": false, "tokenUrl": false,
	} {
		if got := IsSecretKey(name); got != want {
			t.Errorf("IsSecretKey(%q) = %v, want %v", name, got, want)
		}
	}
	m := map[string]string{"clientId": "kc", "clientSecret": "s"}
	if got := Map(m); got["clientSecret"] != Placeholder || got["clientId"] != "kc" || m["clientSecret"] != "s" {
		t.Errorf("Map = %v, input now %v", got, m)
	}
	if got := MultiMap(map[string][]string{"secret": {"s"}, "kid": {"k"}}); got["secret"][0] != Placeholder || got["kid"][0] != "k" {
		t.Errorf("MultiMap = %v", got)
	}
	got := JSON([]byte(`{"host":"h","password":"s","creds":[{"type":"password","value":"s"}],"n":1,"on":true}`))
	want := `{"creds":[{"type":"password","value":"REDACTED"}],"host":"h","n":1,"on":true,"password":"REDACTED"}`
	if got != want {
		t.Errorf("JSON = %s, want %s", got, want)
	}
	if JSON([]byte(`{"password":`)) != Placeholder {
		t.Error("invalid JSON not replaced")
	}
}
