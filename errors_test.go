package kc_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kcgo/kc"
	"github.com/kcgo/kc/internal/rest"
	"github.com/kcgo/kc/keycloak/kctest"
)

// errorFixtures are the Keycloak error bodies of testdata/errors, one or
// more per family of [kc.APIError]'s documentation, with the status
// Keycloak sends them with.
var errorFixtures = []struct {
	file   string
	status int
	want   kc.APIError
	is     []error
	msg    string
}{
	{ // OAuth: OAuth2ErrorRepresentation (TokenEndpoint, ErrorResponseException).
		"oauth-invalid-grant.json", 401,
		kc.APIError{ErrorCode: "invalid_grant", ErrorDescription: "Invalid user credentials"},
		[]error{kc.ErrUnauthorized, kc.ErrInvalidGrant}, "401 Unauthorized: invalid_grant: Invalid user credentials",
	},
	{ // Admin errorMessage: ErrorRepresentation (ErrorResponse.exists).
		"admin-error-message.json", 409,
		kc.APIError{ErrorMessage: "User exists with same username"},
		[]error{kc.ErrConflict}, "409 Conflict: User exists with same username",
	},
	{ // Admin errorMessage with field and params: one user-profile error.
		"admin-field-error.json", 400,
		kc.APIError{Field: "email", ErrorMessage: "error-invalid-email", Params: []any{"email", "bad"}},
		[]error{kc.ErrBadRequest}, "400 Bad Request: email: error-invalid-email",
	},
	{ // Multi-error: ErrorRepresentation with errors (two user-profile errors or more).
		"user-profile-errors.json", 400,
		kc.APIError{Errors: []kc.FieldError{
			{Field: "username", ErrorMessage: "error-invalid-length", Params: []any{"username", 3.0, 255.0}},
			{Field: "email", ErrorMessage: "error-invalid-email", Params: []any{"email", "bad"}},
		}},
		[]error{kc.ErrBadRequest}, "400 Bad Request: username: error-invalid-length: email: error-invalid-email",
	},
	{ // Generic JAX-RS: KeycloakErrorHandler, the exception's message in "error".
		"jaxrs-not-found.json", 404,
		kc.APIError{ErrorCode: "User not found"},
		[]error{kc.ErrNotFound}, "404 Not Found: User not found",
	},
}

func readFixture(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "errors", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestAPIErrorFromFixtures decodes each family of Keycloak error body into
// an APIError: its fields, its sentinels and its message.
func TestAPIErrorFromFixtures(t *testing.T) {
	t.Parallel()
	for _, fx := range errorFixtures {
		t.Run(fx.file, func(t *testing.T) {
			t.Parallel()
			body := readFixture(t, fx.file)
			u, _ := url.Parse("https://sso.example.com/x")
			resp := &http.Response{StatusCode: fx.status, Header: http.Header{}, Body: io.NopCloser(bytes.NewReader(body))}
			got := rest.DecodeError("POST", u, resp)
			want := fx.want
			want.StatusCode, want.Method, want.URL, want.Body = fx.status, "POST", "https://sso.example.com/x", body
			if diff := cmp.Diff(&want, got); diff != "" {
				t.Errorf("APIError (-want +got):\n%s", diff)
			}
			for _, target := range fx.is {
				if !errors.Is(got, target) {
					t.Errorf("errors.Is(err, %v) = false", target)
				}
			}
			if !strings.HasSuffix(got.Error(), fx.msg) {
				t.Errorf("Error() = %q, want it to end in %q", got.Error(), fx.msg)
			}
		})
	}
}

// TestKctestSendsTheFixtureBodies checks that kctest answers with the same
// bodies and statuses, so that the fixtures and the test server agree.
func TestKctestSendsTheFixtureBodies(t *testing.T) {
	t.Parallel()
	srv := kctest.Start(t, kctest.WithRealmFile("testdata/realms/demo-realm.json"))
	adminTok := token(t, srv.URL+"/realms/master/protocol/openid-connect/token",
		url.Values{"grant_type": {"password"}, "client_id": {"admin-cli"}, "username": {"admin"}, "password": {"admin"}})
	users := srv.URL + "/admin/realms/demo/users"
	cases := map[string]func() *http.Response{
		"oauth-invalid-grant.json": func() *http.Response {
			return post(t, srv.URL+"/realms/demo/protocol/openid-connect/token", "", "application/x-www-form-urlencoded",
				url.Values{"grant_type": {"password"}, "client_id": {"demo-app"}, "username": {"alice"}, "password": {"wrong"}}.Encode())
		},
		"admin-error-message.json": func() *http.Response {
			return post(t, users, adminTok, "application/json", `{"username":"alice","enabled":true}`)
		},
		"admin-field-error.json": func() *http.Response {
			return post(t, users, adminTok, "application/json", `{"username":"carol","email":"bad"}`)
		},
		"user-profile-errors.json": func() *http.Response {
			return post(t, users, adminTok, "application/json", `{"username":"ab","email":"bad"}`)
		},
		"jaxrs-not-found.json": func() *http.Response {
			req, _ := http.NewRequestWithContext(t.Context(), "GET", users+"/00000000-0000-0000-0000-000000000000", nil)
			req.Header.Set("Authorization", "Bearer "+adminTok)
			return do(t, req)
		},
	}
	for _, fx := range errorFixtures {
		resp := cases[fx.file]()
		got, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != fx.status {
			t.Errorf("%s: status %d, want %d", fx.file, resp.StatusCode, fx.status)
		}
		var g, w any
		if err := json.Unmarshal(got, &g); err != nil {
			t.Errorf("%s: kctest body %q: %v", fx.file, got, err)
			continue
		}
		_ = json.Unmarshal(readFixture(t, fx.file), &w)
		if diff := cmp.Diff(w, g); diff != "" {
			t.Errorf("%s: kctest body (-fixture +kctest):\n%s", fx.file, diff)
		}
	}
}

func do(t *testing.T, req *http.Request) *http.Response {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	return resp
}

func post(t *testing.T, u, bearer, contentType, body string) *http.Response {
	t.Helper()
	req, _ := http.NewRequestWithContext(t.Context(), "POST", u, strings.NewReader(body))
	req.Header.Set("Content-Type", contentType)
	if bearer != "" {
		req.Header.Set("Authorization", "Bearer "+bearer)
	}
	return do(t, req)
}

func token(t *testing.T, u string, form url.Values) string {
	t.Helper()
	resp := post(t, u, "", "application/x-www-form-urlencoded", form.Encode())
	defer resp.Body.Close()
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&tok); err != nil || tok.AccessToken == "" {
		t.Fatalf("token: %d %v", resp.StatusCode, err)
	}
	return tok.AccessToken
}
