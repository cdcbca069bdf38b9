package admin_test

import (
	"bytes"
	"errors"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kcgo/kc"
	"github.com/kcgo/kc/keycloak/admin"
)

// TestLocalization follows Keycloak's RealmLocalizationResource: texts per
// locale and key, the default locale's texts as a fallback, 404 for a
// missing text or locale.
func TestLocalization(t *testing.T) {
	t.Parallel()
	e := setup(t)
	ctx := t.Context()
	l := e.realm.Localization
	if got := must[[]string](t)(l.Locales(ctx)); len(got) != 0 {
		t.Fatalf("Locales of a new realm = %q", got)
	}
	check(t, l.SetTexts(ctx, "en", map[string]string{"hello": "Hello", "bye": "Bye"}))
	check(t, l.SetText(ctx, "de", "hello", "Hallo, \"Welt\"\n"))
	if diff := cmp.Diff([]string{"de", "en"}, must[[]string](t)(l.Locales(ctx))); diff != "" {
		t.Errorf("Locales (-want +got):\n%s", diff)
	}
	if got := must[string](t)(l.Text(ctx, "de", "hello")); got != "Hallo, \"Welt\"\n" {
		t.Errorf("Text = %q: a text/plain body must round-trip as it is", got)
	}
	if diff := cmp.Diff(map[string]string{"hello": "Hallo, \"Welt\"\n"}, must[map[string]string](t)(l.Texts(ctx, "de", false))); diff != "" {
		t.Errorf("Texts (-want +got):\n%s", diff)
	}
	// The fallback needs a default locale.
	check(t, e.c.Realms.Update(ctx, "acme", &admin.Realm{Extra: admin.Extra{"defaultLocale": []byte(`"en"`)}}))
	want := map[string]string{"hello": "Hallo, \"Welt\"\n", "bye": "Bye"}
	if diff := cmp.Diff(want, must[map[string]string](t)(l.Texts(ctx, "de", true))); diff != "" {
		t.Errorf("Texts with fallback (-want +got):\n%s", diff)
	}
	check(t, l.DeleteText(ctx, "en", "bye"))
	for name, err := range map[string]error{
		"Text of a deleted key":   func() error { _, err := l.Text(ctx, "en", "bye"); return err }(),
		"DeleteText twice":        l.DeleteText(ctx, "en", "bye"),
		"DeleteLocale of nothing": l.DeleteLocale(ctx, "fr"),
	} {
		if !errors.Is(err, kc.ErrNotFound) {
			t.Errorf("%s: %v, want ErrNotFound", name, err)
		}
	}
	check(t, l.DeleteLocale(ctx, "de"))
	if diff := cmp.Diff([]string{"en"}, must[[]string](t)(l.Locales(ctx))); diff != "" {
		t.Errorf("Locales after DeleteLocale (-want +got):\n%s", diff)
	}
	for name, err := range map[string]error{
		"locale": l.SetText(ctx, "", "k", "v"),
		"key":    func() error { _, err := l.Text(ctx, "en", " "); return err }(),
	} {
		if err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("empty %s: %v", name, err)
		}
	}
}

// TestLocalizationWire pins the raw answers of RealmLocalizationResource:
// a text is text/plain, the 404 bodies are the exception messages, and a
// multipart upload of a JSON file in part "file" is accepted.
func TestLocalizationWire(t *testing.T) {
	t.Parallel()
	e := setup(t)
	tok := must[*kc.Token](t)(e.ts.Token(t.Context()))
	do := func(method, path, ctype string, body io.Reader) (int, string, string) {
		t.Helper()
		req, _ := http.NewRequest(method, e.srv.URL+"/admin/realms/acme/localization"+path, body)
		req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
		if ctype != "" {
			req.Header.Set("Content-Type", ctype)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, resp.Header.Get("Content-Type"), string(b)
	}
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, _ := mw.CreateFormFile("file", "en.json")
	_, _ = fw.Write([]byte(`{"title":"Acme"}`))
	_ = mw.Close()
	if code, _, body := do("POST", "/en", mw.FormDataContentType(), &buf); code != 204 {
		t.Fatalf("multipart POST = %d %s", code, body)
	}
	code, ctype, body := do("GET", "/en/title", "", nil)
	if code != 200 || !strings.HasPrefix(ctype, "text/plain") || body != "Acme" {
		t.Errorf("GET text = %d %q %q", code, ctype, body)
	}
	if code, _, body := do("GET", "/en/nope", "", nil); code != 404 || body != `{"error":"Localization text not found"}` {
		t.Errorf("missing text = %d %s", code, body)
	}
	if code, _, body := do("DELETE", "/fr", "", nil); code != 404 || body != `{"error":"No localization texts for locale fr found."}` {
		t.Errorf("missing locale = %d %s", code, body)
	}
}
