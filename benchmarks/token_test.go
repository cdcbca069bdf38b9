package benchmarks

import (
	"context"
	"net/http"
	"testing"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"

	"github.com/kcgo/kc/keycloak/oidc"
)

// tokenFetcher fetches a fresh client-credentials token and returns its
// access token and type.
type tokenFetcher func(ctx context.Context) (access, typ string, err error)

// kcClientCredentials is oidc.Client.ClientCredentials: discovery done
// once (warm), the secret sent as HTTP Basic credentials.
func kcClientCredentials(tb testing.TB, url string) tokenFetcher {
	c, err := oidc.New(url, benchRealm, serviceClient, oidc.WithClientSecret(serviceSecret))
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := c.Discovery(tb.Context()); err != nil {
		tb.Fatal(err)
	}
	return func(ctx context.Context) (string, string, error) {
		t, err := c.ClientCredentials(ctx)
		if err != nil {
			return "", "", err
		}
		return t.AccessToken, t.TokenType, nil
	}
}

// oauth2ClientCredentials is golang.org/x/oauth2/clientcredentials with
// the token URL known and the secret in the header, on a client with
// keep-alive like kc's.
func oauth2ClientCredentials(tb testing.TB, url string) tokenFetcher {
	cfg := &clientcredentials.Config{
		ClientID:     serviceClient,
		ClientSecret: serviceSecret,
		TokenURL:     url + "/realms/" + benchRealm + "/protocol/openid-connect/token",
		AuthStyle:    oauth2.AuthStyleInHeader,
	}
	hc := &http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone()}
	return func(ctx context.Context) (string, string, error) {
		t, err := cfg.Token(context.WithValue(ctx, oauth2.HTTPClient, hc))
		if err != nil {
			return "", "", err
		}
		return t.AccessToken, t.TokenType, nil
	}
}

func TestClientCredentialsSidesAgree(t *testing.T) {
	url := serverURL(t)
	for name, f := range map[string]tokenFetcher{
		"kc":     kcClientCredentials(t, url),
		"oauth2": oauth2ClientCredentials(t, url),
	} {
		access, typ, err := f(t.Context())
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if access == "" || typ != "Bearer" {
			t.Errorf("%s: got a %q token of %d bytes, want a Bearer token", name, typ, len(access))
		}
	}
}

// BenchmarkClientCredentials fetches a new client-credentials token from
// the same loopback kctest with each library.
func BenchmarkClientCredentials(b *testing.B) {
	url := serverURL(b)
	for _, side := range []struct {
		name string
		f    tokenFetcher
	}{
		{"lib=kc", kcClientCredentials(b, url)},
		{"lib=x-oauth2", oauth2ClientCredentials(b, url)},
	} {
		b.Run(side.name, func(b *testing.B) {
			ctx := b.Context()
			if _, _, err := side.f(ctx); err != nil { // warm the connection
				b.Fatal(err)
			}
			b.ReportAllocs()
			loopCPU(b, func() {
				if _, _, err := side.f(ctx); err != nil {
					b.Fatal(err)
				}
			})
		})
	}
}
