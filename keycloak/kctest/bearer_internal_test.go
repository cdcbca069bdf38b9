package kctest

import (
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

func TestVerifyBearer(t *testing.T) {
	t.Parallel()
	s, err := New()
	if err != nil {
		t.Fatal(err)
	}
	form := url.Values{"grant_type": {"password"}, "client_id": {"admin-cli"}, "username": {"admin"}, "password": {"admin"}}
	req := httptest.NewRequest("POST", "http://kc.test/realms/master/protocol/openid-connect/token", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, req)
	if rec.Code != 200 {
		t.Fatalf("token: %d %s", rec.Code, rec.Body)
	}
	tok := rec.Body.String()
	tok = tok[strings.Index(tok, `"access_token":"`)+len(`"access_token":"`):]
	tok = tok[:strings.IndexByte(tok, '"')]

	tests := []struct {
		name   string
		header string
		active bool
		found  bool
	}{
		{"valid", "Bearer " + tok, true, true},
		{"lower-case scheme", "bearer " + tok, true, true},
		{"no header", "", false, false},
		{"basic", "Basic abc", false, false},
		{"garbage", "Bearer abc", false, false},
	}
	for _, tt := range tests {
		r := httptest.NewRequest("GET", "http://kc.test/admin/realms", nil)
		if tt.header != "" {
			r.Header.Set("Authorization", tt.header)
		}
		s.mu.Lock()
		rm, tc := s.verifyBearer(r)
		var roles []string
		if tc != nil && tc.active() {
			roles = rm.effectiveRealmRoles(tc.user)
		}
		s.mu.Unlock()
		if (tc != nil) != tt.found || (tc != nil && tc.active() != tt.active) {
			t.Errorf("%s: check = %+v", tt.name, tc)
		}
		if tt.active && (rm.name != "master" || !strings.Contains(strings.Join(roles, ","), "admin")) {
			t.Errorf("%s: realm %s roles %v", tt.name, rm.name, roles)
		}
	}
}
