package kctest

import (
	"net/http"
	"net/url"
	"strings"
)

// bearerToken returns the token of an "Authorization: Bearer <token>"
// header, or "".
func bearerToken(r *http.Request) string {
	scheme, tok, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return ""
	}
	return strings.TrimSpace(tok)
}

// realmOfToken finds the realm whose issuer signed tok, from its "iss"
// claim ({base}/realms/{realm}), without verifying it. Callers hold s.mu.
func (s *Server) realmOfToken(tok string) *realm {
	t, err := parseJWT(tok)
	if err != nil {
		return nil
	}
	iss := t.claims.str("iss")
	i := strings.LastIndex(iss, "/realms/")
	if i < 0 {
		return nil
	}
	name, err := url.PathUnescape(iss[i+len("/realms/"):])
	if err != nil {
		return nil
	}
	return s.realms[name]
}

// verifyBearer verifies the request's bearer access token, which may come
// from any realm of this server (admin tokens come from master). It returns
// the token's realm and check, or nils when there is no token or no such
// realm. Callers hold s.mu for writing (expired sessions are pruned). The
// admin REST API and the Protection API authenticate callers with it:
//
//	rm, tc := s.verifyBearer(r)
//	if tc == nil || !tc.active() { ... 401 ... }
//	roles := rm.effectiveClientRoles(tc.user)
func (s *Server) verifyBearer(r *http.Request) (*realm, *tokenCheck) {
	tok := bearerToken(r)
	if tok == "" {
		return nil, nil
	}
	rm := s.realmOfToken(tok)
	if rm == nil {
		return nil, nil
	}
	tc := s.checkAccessToken(rm, tok, s.now())
	if tc.active() && tc.claims.str("typ") != typBearer {
		tc.reason = "Invalid token type"
	}
	return rm, tc
}
