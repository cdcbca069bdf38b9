package kctest

import (
	"crypto/sha256"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
)

// Token types (the "typ" claim).
const (
	typBearer  = "Bearer"
	typID      = "ID"
	typRefresh = "Refresh"
	typOffline = "Offline"
)

// grantedScopes is the outcome of scope resolution for one token request.
type grantedScopes struct {
	scopes []*clientScope // applied client scopes
	openid bool
}

func (g grantedScopes) has(name string) bool {
	for _, sc := range g.scopes {
		if sc.name == name {
			return true
		}
	}
	return false
}

// String is the "scope" claim: openid first, then the applied scopes that
// are included in the token scope.
func (g grantedScopes) String() string {
	var out []string
	if g.openid {
		out = append(out, "openid")
	}
	for _, sc := range g.scopes {
		if sc.includeInTokenScope() && !slices.Contains(out, sc.name) {
			out = append(out, sc.name)
		}
	}
	return strings.Join(out, " ")
}

// resolveScopes applies the client's default scopes and the requested
// optional ones. An unknown requested scope gives 400 invalid_scope.
func (rm *realm) resolveScopes(c *client, requested string) (grantedScopes, error) {
	var g grantedScopes
	for _, n := range c.defaultClientScopes {
		if sc := rm.scopeByName(n); sc != nil && sc.protocol == "openid-connect" {
			g.scopes = append(g.scopes, sc)
		}
	}
	for _, n := range strings.Fields(requested) {
		if n == "openid" {
			g.openid = true
			continue
		}
		if slices.Contains(c.defaultClientScopes, n) {
			continue
		}
		sc := rm.scopeByName(n)
		if sc == nil || sc.protocol != "openid-connect" || !slices.Contains(c.optionalClientScopes, n) {
			return g, newOAuthError(http.StatusBadRequest, "invalid_scope", "Invalid scopes: "+requested)
		}
		if !slices.Contains(g.scopes, sc) {
			g.scopes = append(g.scopes, sc)
		}
	}
	return g, nil
}

// narrowScopes resolves a refresh request's scope: it must be a subset of
// the original token's.
func (rm *realm) narrowScopes(c *client, original, requested string) (grantedScopes, error) {
	if requested == "" {
		return rm.resolveScopes(c, original)
	}
	for _, n := range strings.Fields(requested) {
		if !hasScope(original, n) {
			return grantedScopes{}, newOAuthError(http.StatusBadRequest, "invalid_scope", "Invalid scopes: "+requested)
		}
	}
	return rm.resolveScopes(c, requested)
}

// tokenParams describes the tokens to mint for one grant.
type tokenParams struct {
	rm      *realm
	issuer  string
	client  *client
	user    *user
	session *userSession // nil for a stateless token
	scopes  grantedScopes
	nonce   string
	now     time.Time
	// audience, when set, replaces the computed "aud" (token exchange).
	audience []string
	// refresh asks for a refresh token; offline makes it an offline token.
	refresh bool
	offline bool
	// notes are user session notes of a token without a stored session
	// (a stateless service-account token).
	notes map[string]string
	ms    *mapperSession
}

// tokenResponse is Keycloak's AccessTokenResponse, fields in its order.
type tokenResponse struct {
	AccessToken      string `json:"access_token"`
	ExpiresIn        int64  `json:"expires_in"`
	RefreshExpiresIn int64  `json:"refresh_expires_in"`
	RefreshToken     string `json:"refresh_token,omitempty"`
	TokenType        string `json:"token_type"`
	IDToken          string `json:"id_token,omitempty"`
	NotBeforePolicy  int64  `json:"not-before-policy"`
	SessionState     string `json:"session_state,omitempty"`
	Scope            string `json:"scope,omitempty"`
	IssuedTokenType  string `json:"issued_token_type,omitempty"`
	Upgraded         *bool  `json:"upgraded,omitempty"`
}

// accessLifespan is the client's access token lifespan in seconds.
func (p *tokenParams) accessLifespan() int64 {
	if v := atoiDefault(p.client.attributes["access.token.lifespan"], 0); v > 0 {
		return int64(v)
	}
	return int64(p.rm.accessTokenLifespan)
}

// attrLightweight makes a client's access tokens lightweight; admin-cli and
// security-admin-console have it in a fresh realm. A lightweight access
// token runs only the mappers with lightweight.claim on, so it carries no
// sub, aud, roles or profile; introspection still answers the full set.
const attrLightweight = "client.use.lightweight.access.token.enabled"

// mappers returns the mapper session of this response, built once so the
// resolved roles are shared by its tokens, as Keycloak caches them for one
// request.
func (p *tokenParams) mappers() *mapperSession {
	if p.ms != nil {
		return p.ms
	}
	userNotes, clientNotes := map[string]string{}, map[string]string{}
	if p.session != nil {
		for k, v := range p.session.notes {
			userNotes[k] = v
		}
		if cs := p.session.clients[p.client.id]; cs != nil {
			for k, v := range cs.notes {
				clientNotes[k] = v
			}
		}
	}
	for k, v := range p.notes {
		userNotes[k] = v
	}
	p.ms = &mapperSession{rm: p.rm, client: p.client, user: p.user, scopes: p.scopes,
		userNotes: userNotes, clientNotes: clientNotes, nonce: p.nonce}
	if p.session != nil {
		p.ms.sessionID = p.session.id
	}
	return p.ms
}

// mintAccessToken signs an access token and returns it with its claims.
func (s *Server) mintAccessToken(p *tokenParams) (string, claims, error) {
	cl, err := p.rm.accessClaims(p)
	if err != nil {
		return "", nil, err
	}
	tok, err := signRS256(p.rm.activeKey().key.priv, p.rm.activeKey().kid, cl)
	return tok, cl, err
}

// accessClaims builds an access token's claims: what Keycloak's
// TokenManager.initToken sets, then the protocol mappers
// (transformAccessToken). sub, aud, roles, profile claims, acr and
// allowed-origins all come from mappers (the basic, roles, profile, email,
// acr and web-origins scopes of a fresh realm).
func (rm *realm) accessClaims(p *tokenParams) (claims, error) {
	p.scopes = rm.permittedScopes(p.scopes, p.user)
	iat := p.now.Unix()
	exp := iat + p.accessLifespan()
	if p.session != nil {
		if se := p.session.expires().Unix(); se < exp && !p.offline {
			exp = se
		}
	}
	cl := claims{
		"exp": exp, "iat": iat, "jti": newID(), "iss": p.issuer,
		"typ": typBearer, "azp": p.client.clientID, "scope": p.scopes.String(),
	}
	if p.session != nil {
		cl["sid"] = p.session.id
	} else {
		// A stateless token's session is transient: initToken names
		// the subject itself.
		cl["sub"] = p.user.id
	}
	ms := p.mappers()
	ms.lightweight = p.client.attrTrue(attrLightweight)
	err := ms.run(cl, forAccess)
	ms.lightweight = false
	if err != nil {
		return nil, err
	}
	if p.audience != nil {
		cl["aud"] = slices.Clone(p.audience)
	}
	finishAudience(cl)
	return cl, nil
}

// allowedOrigins resolves the client's web origins; "+" means the origins
// of its redirect URIs.
func (c *client) allowedOrigins() []string {
	var out []string
	add := func(o string) {
		if o != "" && !slices.Contains(out, o) {
			out = append(out, o)
		}
	}
	for _, o := range c.webOrigins {
		if o != "+" {
			add(o)
			continue
		}
		for _, ru := range c.redirectURIs {
			if u, err := url.Parse(ru); err == nil && u.Scheme != "" && u.Host != "" {
				add(u.Scheme + "://" + u.Host)
			}
		}
	}
	return out
}

// mintIDToken signs an ID token for the access token at: the claims of
// AccessTokenResponseBuilder.generateIDToken, then the ID token mappers.
func (s *Server) mintIDToken(p *tokenParams, at string, atClaims claims) (string, error) {
	cl, err := p.rm.idClaims(p, atClaims)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256([]byte(at))
	cl["at_hash"] = b64.EncodeToString(sum[:16])
	return signRS256(p.rm.activeKey().key.priv, p.rm.activeKey().kid, cl)
}

// idClaims builds an ID token's claims; it expires with the access token
// (atClaims; nil computes the access token's expiry).
func (rm *realm) idClaims(p *tokenParams, atClaims claims) (claims, error) {
	if atClaims == nil {
		var err error
		if atClaims, err = rm.accessClaims(p); err != nil {
			return nil, err
		}
	}
	cl := claims{
		"exp": atClaims["exp"], "iat": atClaims["iat"], "jti": newID(), "iss": p.issuer,
		"aud": []string{p.client.clientID}, "sub": p.user.id, "typ": typID, "azp": p.client.clientID,
	}
	if p.session != nil {
		cl["sid"] = p.session.id
	}
	if p.nonce != "" {
		cl["nonce"] = p.nonce
	}
	if err := p.mappers().run(cl, forID); err != nil {
		return nil, err
	}
	finishAudience(cl)
	return cl, nil
}

// mintRefreshToken signs an HS512 refresh token and returns it with its
// lifetime in seconds.
// Like Keycloak's RefreshToken(AccessToken), it takes its sub from the
// access token: none for a lightweight one, the pairwise one for a client
// with a pairwise subject.
func (s *Server) mintRefreshToken(p *tokenParams, atClaims claims) (string, int64, error) {
	typ := typRefresh
	exp := p.session.expires()
	if p.offline {
		typ = typOffline
		exp = p.now.Add(time.Duration(p.rm.offlineSessionIdleTimeout) * time.Second)
	}
	cl := claims{
		"exp": exp.Unix(), "iat": p.now.Unix(), "jti": newID(), "iss": p.issuer,
		"aud": p.issuer, "typ": typ, "azp": p.client.clientID,
		"sid": p.session.id, "scope": p.scopes.String(),
	}
	for _, k := range []string{"sub", "nonce"} {
		if v, ok := atClaims[k]; ok {
			cl[k] = v
		}
	}
	tok, err := signHS512(p.rm.hmacSecret, p.rm.hmacKid, cl)
	return tok, exp.Unix() - p.now.Unix(), err
}

// issueTokens mints the access token and, as asked, the refresh and ID
// tokens, and builds the token response. Callers hold s.mu for writing.
func (s *Server) issueTokens(p *tokenParams) (*tokenResponse, error) {
	p.scopes = p.rm.permittedScopes(p.scopes, p.user)
	if p.session != nil {
		p.session.attach(p.client, p.scopes.String(), p.now)
	}
	at, atClaims, err := s.mintAccessToken(p)
	if err != nil {
		return nil, err
	}
	resp := &tokenResponse{
		AccessToken: at, ExpiresIn: atClaims.num("exp") - p.now.Unix(),
		TokenType: "Bearer", NotBeforePolicy: p.rm.notBefore, Scope: p.scopes.String(),
	}
	if p.session != nil {
		resp.SessionState = p.session.id
		if p.refresh {
			rt, rexp, err := s.mintRefreshToken(p, atClaims)
			if err != nil {
				return nil, err
			}
			resp.RefreshToken = rt
			if !p.offline {
				resp.RefreshExpiresIn = rexp
			}
		}
	}
	if p.scopes.openid {
		idt, err := s.mintIDToken(p, at, atClaims)
		if err != nil {
			return nil, err
		}
		resp.IDToken = idt
	}
	return resp, nil
}

// tokenCheck is the outcome of verifying a token of this realm.
type tokenCheck struct {
	claims  claims
	user    *user
	session *userSession
	client  *client // the azp client
	// reason is why the token is not active ("" when it is).
	reason string
}

func (tc *tokenCheck) active() bool { return tc.reason == "" }

// checkAccessToken verifies an RS256 token of rm (signature, expiry,
// revocation, session, user). Callers hold s.mu (a read lock is enough
// unless sessions are pruned; checkAccessToken may delete expired
// sessions, so hold the write lock).
func (s *Server) checkAccessToken(rm *realm, tok string, now time.Time) *tokenCheck {
	tc := &tokenCheck{}
	t, err := parseJWT(tok)
	if err != nil || t.alg() != "RS256" {
		tc.reason = "Token verification failed"
		return tc
	}
	k := rm.keyByKid(t.kid())
	if k == nil || !verifyPublic(t, &k.key.priv.PublicKey) {
		tc.reason = "Token verification failed"
		return tc
	}
	return s.checkClaims(rm, t.claims, now)
}

// checkRefreshToken verifies an HS512 refresh or offline token of rm.
func (s *Server) checkRefreshToken(rm *realm, tok string, now time.Time) (*tokenCheck, bool) {
	tc := &tokenCheck{}
	t, err := parseJWT(tok)
	if err != nil || !strings.HasPrefix(t.alg(), "HS") {
		tc.reason = "Invalid refresh token"
		return tc, false
	}
	if !verifyHMAC(t, rm.hmacSecret) {
		tc.reason = "Invalid refresh token"
		return tc, false
	}
	return s.checkClaims(rm, t.claims, now), true
}

// checkClaims validates verified claims against the store.
func (s *Server) checkClaims(rm *realm, cl claims, now time.Time) *tokenCheck {
	tc := &tokenCheck{claims: cl}
	if !strings.HasSuffix(cl.str("iss"), "/realms/"+url.PathEscape(rm.name)) {
		tc.reason = "Invalid token issuer"
		return tc
	}
	if exp := cl.num("exp"); exp != 0 && now.Unix() >= exp {
		tc.reason = "Token is not active"
		return tc
	}
	if _, revoked := rm.revokedJTI[cl.str("jti")]; revoked {
		tc.reason = "Token is not active"
		return tc
	}
	tc.client = rm.findClientByClientID(cl.str("azp"))
	if tc.client == nil || !tc.client.enabled {
		tc.reason = "Invalid token"
		return tc
	}
	tc.user = rm.users[cl.str("sub")]
	if sid := cl.str("sid"); tc.user == nil && sid != "" {
		// A lightweight token names its user only through the session,
		// and a pairwise sub is no user id.
		if sess := rm.session(sid, now); sess != nil {
			tc.user = sess.user
		}
	}
	if tc.user == nil {
		tc.reason = "Invalid token"
		return tc
	}
	if !tc.user.enabled {
		tc.reason = "User disabled"
		return tc
	}
	if iat := cl.num("iat"); iat < rm.notBefore || iat < tc.user.notBefore {
		tc.reason = "Stale token"
		return tc
	}
	if sid := cl.str("sid"); sid != "" {
		tc.session = rm.session(sid, now)
		if tc.session == nil || tc.session.clients[tc.client.id] == nil {
			tc.reason = "Session not active"
			return tc
		}
	} else if cl.str("typ") == typRefresh || cl.str("typ") == typOffline {
		tc.reason = "Session not active"
		return tc
	}
	return tc
}

func unixTime(sec int64) time.Time { return time.Unix(sec, 0) }
