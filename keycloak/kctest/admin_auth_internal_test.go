package kctest

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// tokenFor gets an access token from s's token endpoint: a password grant
// when username is set, else client credentials with secret.
func tokenFor(t *testing.T, s *Server, realmName, clientID, secret, username, password string) string {
	t.Helper()
	form := url.Values{"client_id": {clientID}}
	if username != "" {
		form.Set("grant_type", "password")
		form.Set("username", username)
		form.Set("password", password)
	} else {
		form.Set("grant_type", "client_credentials")
		form.Set("client_secret", secret)
	}
	resp, err := http.PostForm(s.URL+"/realms/"+realmName+"/protocol/openid-connect/token", form)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body struct {
		AccessToken string `json:"access_token"`
		Error       string `json:"error_description"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil || body.AccessToken == "" {
		t.Fatalf("token for %s/%s: %d %v %s", realmName, username, resp.StatusCode, err, body.Error)
	}
	return body.AccessToken
}

func TestAdminAuth(t *testing.T) {
	t.Parallel()
	s := Start(t)
	for _, n := range []string{"acme", "other"} {
		if _, err := s.AddRealm(Realm{Name: n}); err != nil {
			t.Fatal(err)
		}
	}
	must := func(_ string, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(s.AddClient("acme", Client{ClientID: "cli", Public: true, DirectAccessGrants: true}))
	must(s.AddUser("acme", User{Username: "viewer", Password: "pw", ClientRoles: map[string][]string{"realm-management": {"view-users"}}}))
	must(s.AddUser("acme", User{Username: "radmin", Password: "pw", ClientRoles: map[string][]string{"realm-management": {"realm-admin"}}}))
	must(s.AddUser("acme", User{Username: "nobody", Password: "pw"}))
	must(s.AddClient("acme", Client{ClientID: "svc", Secret: "s3", ServiceAccounts: true}))
	must(s.AddUser("master", User{Username: "acme-only", Password: "pw", ClientRoles: map[string][]string{"acme-realm": {"manage-users"}}}))
	s.mu.Lock()
	rm := s.realms["acme"]
	rm.findClientByClientID("svc").serviceAccountUser.addRole(rm.findClientByClientID("realm-management").roles["manage-clients"])
	s.mu.Unlock()

	masterAdmin := tokenFor(t, s, "master", "admin-cli", "", "admin", "admin")
	viewer := tokenFor(t, s, "acme", "cli", "", "viewer", "pw")
	radmin := tokenFor(t, s, "acme", "cli", "", "radmin", "pw")
	nobody := tokenFor(t, s, "acme", "cli", "", "nobody", "pw")
	svc := tokenFor(t, s, "acme", "svc", "s3", "", "")
	acmeOnly := tokenFor(t, s, "master", "admin-cli", "", "acme-only", "pw")

	tests := []struct {
		name, auth, realm string
		perm              adminPerm
		status            int
		body              string
	}{
		{"no token", "", "acme", permViewUsers, 401, `{"error":"HTTP 401 Unauthorized"}`},
		{"not bearer", "Basic eDp5", "acme", permViewUsers, 401, `{"error":"HTTP 401 Unauthorized"}`},
		{"garbage", "Bearer x.y.z", "acme", permViewUsers, 401, `{"error":"HTTP 401 Unauthorized"}`},
		{"master admin", "Bearer " + masterAdmin, "acme", permManageRealm, 200, ""},
		{"master admin create realm", "Bearer " + masterAdmin, "", permCreateRealm, 200, ""},
		{"master admin unknown realm", "Bearer " + masterAdmin, "nope", permViewUsers, 404, `{"error":"Realm not found."}`},
		{"viewer views", "Bearer " + viewer, "acme", permViewUsers, 200, ""},
		{"viewer queries groups", "Bearer " + viewer, "acme", permQueryGroups, 200, ""},
		{"viewer cannot manage", "Bearer " + viewer, "acme", permManageUsers, 403, `{"error":"HTTP 403 Forbidden"}`},
		{"viewer other realm", "Bearer " + viewer, "other", permViewUsers, 403, `{"error":"HTTP 403 Forbidden"}`},
		{"realm-admin composite", "Bearer " + radmin, "acme", permManageClients, 200, ""},
		{"realm-admin not master", "Bearer " + radmin, "master", permViewUsers, 403, `{"error":"HTTP 403 Forbidden"}`},
		{"realm-admin cannot create realms", "Bearer " + radmin, "", permCreateRealm, 403, `{"error":"HTTP 403 Forbidden"}`},
		{"no roles", "Bearer " + nobody, "acme", permViewUsers, 403, `{"error":"HTTP 403 Forbidden"}`},
		{"service account", "Bearer " + svc, "acme", permManageClients, 200, ""},
		{"service account lacks users", "Bearer " + svc, "acme", permViewUsers, 403, `{"error":"HTTP 403 Forbidden"}`},
		{"master acme-realm role", "Bearer " + acmeOnly, "acme", permManageUsers, 200, ""},
		{"master acme-realm role other", "Bearer " + acmeOnly, "other", permViewUsers, 403, `{"error":"HTTP 403 Forbidden"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := httptest.NewRequest("GET", "/admin/realms/"+tt.realm, nil)
			if tt.auth != "" {
				r.Header.Set("Authorization", tt.auth)
			}
			w := httptest.NewRecorder()
			s.mu.Lock()
			c, ok := s.adminAuth(w, r, tt.realm, tt.perm)
			s.mu.Unlock()
			if ok != (tt.status == 200) || (ok && c == nil) {
				t.Fatalf("ok = %v, caller %v, want status %d", ok, c, tt.status)
			}
			if ok {
				return
			}
			if w.Code != tt.status || strings.TrimSpace(w.Body.String()) != tt.body {
				t.Errorf("got %d %s, want %d %s", w.Code, w.Body, tt.status, tt.body)
			}
		})
	}
}
