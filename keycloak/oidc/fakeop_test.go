package oidc

// A small OpenID provider that answers like Keycloak 26 (keycloak-server.md
// §4) for the wire tests of this package: discovery, token (every grant),
// certs, userinfo, introspect, revoke, logout and device endpoints, with a
// request log, a fake clock and latency and status faults.

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/hmac"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math/big"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kcgo/kc"
)

var (
	testKeysOnce sync.Once
	testKeys     []*rsa.PrivateKey
)

// rsaKey returns the i-th of a few RSA keys generated once per test binary.
func rsaKey(i int) *rsa.PrivateKey {
	testKeysOnce.Do(func() {
		for range 3 {
			k, err := rsa.GenerateKey(rand.Reader, 2048)
			if err != nil {
				panic(err)
			}
			testKeys = append(testKeys, k)
		}
	})
	return testKeys[i]
}

type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func newFakeClock() *fakeClock { return &fakeClock{now: time.Unix(1_900_000_000, 0)} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

type fakeKey struct {
	kid string
	alg string
	key crypto.Signer
}

type fakeClient struct {
	secret        string
	public        bool
	directAccess  bool
	serviceAcct   bool
	device        bool
	exchange      bool
	jwtKey        crypto.PublicKey // private_key_jwt
	jwtSecretAuth bool             // client_secret_jwt
}

type loggedRequest struct {
	Method string
	Path   string
	Form   url.Values
	Header http.Header
}

type session struct {
	user, client, scope, nonce string
	active                     bool
}

type deviceState struct {
	client, scope string
	approved      bool
	denied        bool
	expiry        time.Time
	sid           string
}

type codeInfo struct {
	client, redirect, challenge, sid string
	expiry                           time.Time
	used                             bool
}

type fault struct {
	status  int
	body    string
	latency bool
	times   int
}

type fakeOP struct {
	t      testing.TB
	srv    *httptest.Server
	realm  string
	clock  *fakeClock
	issuer string

	mu              sync.Mutex
	keys            []*fakeKey
	extraJWKS       []map[string]any
	clients         map[string]*fakeClient
	users           map[string]string // username → password
	sessions        map[string]*session
	refresh         map[string]string // refresh token → session id
	revoked         map[string]bool   // access token jti
	codes           map[string]*codeInfo
	devices         map[string]*deviceState
	log             []loggedRequest
	faults          map[string]*fault // path suffix → fault
	accessLifetime  time.Duration
	refreshLifetime time.Duration
	seq             int
}

func newFakeOP(t testing.TB) *fakeOP {
	op := &fakeOP{
		t: t, realm: "demo", clock: newFakeClock(),
		clients:         map[string]*fakeClient{},
		users:           map[string]string{"alice": "alice-pw"},
		sessions:        map[string]*session{},
		refresh:         map[string]string{},
		revoked:         map[string]bool{},
		codes:           map[string]*codeInfo{},
		devices:         map[string]*deviceState{},
		faults:          map[string]*fault{},
		accessLifetime:  5 * time.Minute,
		refreshLifetime: 30 * time.Minute,
	}
	op.keys = []*fakeKey{{kid: "key-a", alg: RS256, key: rsaKey(0)}}
	op.clients["app"] = &fakeClient{secret: "app-secret", directAccess: true, serviceAcct: true, device: true, exchange: true}
	op.clients["spa"] = &fakeClient{public: true, directAccess: true, device: true}
	op.clients["other"] = &fakeClient{secret: "other-secret", directAccess: true, serviceAcct: true}
	op.srv = httptest.NewServer(http.HandlerFunc(op.serve))
	t.Cleanup(op.srv.Close)
	op.issuer = op.srv.URL + "/realms/" + op.realm
	return op
}

// client returns a Client of op for clientID, with opts after the clock.
func (op *fakeOP) client(clientID string, opts ...kc.Option) *Client {
	op.t.Helper()
	all := append([]kc.Option{WithClock(op.clock.Now)}, opts...)
	c, err := New(op.srv.URL, op.realm, clientID, all...)
	if err != nil {
		op.t.Fatal(err)
	}
	c.wait = func(ctx context.Context, d time.Duration) error {
		op.clock.Advance(d)
		return ctx.Err()
	}
	return c
}

func (op *fakeOP) base() string { return "/realms/" + op.realm + "/protocol/openid-connect" }

func (op *fakeOP) requests(pathSuffix string) []loggedRequest {
	op.mu.Lock()
	defer op.mu.Unlock()
	var out []loggedRequest
	for _, r := range op.log {
		if pathSuffix == "" || strings.HasSuffix(r.Path, pathSuffix) {
			out = append(out, r)
		}
	}
	return out
}

func (op *fakeOP) count(pathSuffix string) int { return len(op.requests(pathSuffix)) }

// inject makes the next times requests to a path ending in suffix fail
// with status and body, or (latency) hang until the request ends.
func (op *fakeOP) inject(suffix string, f fault) {
	op.mu.Lock()
	defer op.mu.Unlock()
	if f.times == 0 {
		f.times = 1 << 30
	}
	op.faults[suffix] = &f
}

func (op *fakeOP) rotate(alg string, key crypto.Signer) string {
	op.mu.Lock()
	defer op.mu.Unlock()
	op.seq++
	kid := fmt.Sprintf("key-%d-%s", op.seq, strings.ToLower(alg))
	op.keys = append(op.keys, &fakeKey{kid: kid, alg: alg, key: key})
	return kid
}

func (op *fakeOP) removeKey(kid string) {
	op.mu.Lock()
	defer op.mu.Unlock()
	for i, k := range op.keys {
		if k.kid == kid {
			op.keys = append(op.keys[:i:i], op.keys[i+1:]...)
			return
		}
	}
}

func (op *fakeOP) activeKey() *fakeKey {
	op.mu.Lock()
	defer op.mu.Unlock()
	return op.keys[len(op.keys)-1]
}

// sign signs claims with the active key.
func (op *fakeOP) sign(claims any) string {
	k := op.activeKey()
	s, err := signJWT(k.key, k.kid, k.alg, claims)
	if err != nil {
		op.t.Fatal(err)
	}
	return s
}

// accessClaims returns the claims of an access token of user for client.
func (op *fakeOP) accessClaims(user, client, scope, sid string) map[string]any {
	now := op.clock.Now()
	c := map[string]any{
		"exp": now.Add(op.accessLifetime).Unix(), "iat": now.Unix(), "jti": newID(),
		"iss": op.issuer, "aud": "account", "sub": "id-" + user, "typ": "Bearer", "azp": client,
		"scope": scope, "preferred_username": user, "email": user + "@example.com", "email_verified": true,
		"realm_access":    map[string]any{"roles": []string{"default-roles-demo", "offline_access", "admin"}},
		"resource_access": map[string]any{"account": map[string]any{"roles": []string{"manage-account", "view-profile"}}, client: map[string]any{"roles": []string{"reader"}}},
	}
	if sid != "" {
		c["sid"] = sid
	}
	return c
}

func newID() string { return rand.Text() }

func (op *fakeOP) serve(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	form := url.Values{}
	if r.Method == http.MethodPost {
		form = r.PostForm
	}
	op.mu.Lock()
	op.log = append(op.log, loggedRequest{Method: r.Method, Path: r.URL.Path, Form: form, Header: r.Header.Clone()})
	var f *fault
	for suffix, ff := range op.faults {
		if strings.HasSuffix(r.URL.Path, suffix) && ff.times > 0 {
			ff.times--
			f = ff
			break
		}
	}
	op.mu.Unlock()
	if f != nil {
		if f.latency {
			<-r.Context().Done()
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(f.status)
		w.Write([]byte(f.body))
		return
	}
	if dup := duplicated(form); dup != "" {
		oauthErr(w, 400, "invalid_request", "duplicated parameter")
		return
	}
	b := op.base()
	switch p := r.URL.Path; {
	case p == "/realms/"+op.realm+"/.well-known/openid-configuration":
		op.discovery(w)
	case p == b+"/certs":
		op.certs(w)
	case p == b+"/token" && r.Method == http.MethodPost:
		op.token(w, r, form)
	case p == b+"/userinfo":
		op.userinfo(w, r)
	case p == b+"/token/introspect" && r.Method == http.MethodPost:
		op.introspect(w, r, form)
	case p == b+"/revoke" && r.Method == http.MethodPost:
		op.revoke(w, r, form)
	case p == b+"/logout" && r.Method == http.MethodPost:
		op.logout(w, r, form)
	case p == b+"/auth/device" && r.Method == http.MethodPost:
		op.deviceAuth(w, r, form)
	default:
		http.NotFound(w, r)
	}
}

func duplicated(form url.Values) string {
	for k, vs := range form {
		if len(vs) > 1 && k != "audience" && k != "resource" && k != "permission" {
			return k
		}
	}
	return ""
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

func oauthErr(w http.ResponseWriter, status int, code, desc string) {
	writeJSON(w, status, map[string]string{"error": code, "error_description": desc})
}

func (op *fakeOP) discovery(w http.ResponseWriter) {
	e := op.srv.URL + op.base()
	writeJSON(w, 200, map[string]any{
		"issuer":                                op.issuer,
		"authorization_endpoint":                e + "/auth",
		"token_endpoint":                        e + "/token",
		"introspection_endpoint":                e + "/token/introspect",
		"userinfo_endpoint":                     e + "/userinfo",
		"end_session_endpoint":                  e + "/logout",
		"jwks_uri":                              e + "/certs",
		"revocation_endpoint":                   e + "/revoke",
		"device_authorization_endpoint":         e + "/auth/device",
		"grant_types_supported":                 []string{"authorization_code", "client_credentials", "password", "refresh_token", GrantDeviceCode, GrantTokenExchange},
		"code_challenge_methods_supported":      []string{"plain", "S256"},
		"token_endpoint_auth_methods_supported": []string{"private_key_jwt", "client_secret_basic", "client_secret_post", "tls_client_auth", "client_secret_jwt"},
		"scopes_supported":                      []string{"openid", "profile", "email"},
		"x-extra":                               "kept in Raw",
	})
}

func (op *fakeOP) certs(w http.ResponseWriter) {
	op.mu.Lock()
	var keys []map[string]any
	for _, k := range op.keys {
		keys = append(keys, jwkOf(k.kid, k.alg, k.key.Public()))
	}
	keys = append(keys, op.extraJWKS...)
	op.mu.Unlock()
	writeJSON(w, 200, map[string]any{"keys": keys})
}

func b64(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

func jwkOf(kid, alg string, pub crypto.PublicKey) map[string]any {
	m := map[string]any{"kid": kid, "alg": alg, "use": "sig"}
	switch k := pub.(type) {
	case *rsa.PublicKey:
		m["kty"], m["n"], m["e"] = "RSA", b64(k.N.Bytes()), b64(big.NewInt(int64(k.E)).Bytes())
	case *ecdsa.PublicKey:
		size := (k.Curve.Params().BitSize + 7) / 8
		b, _ := k.Bytes()
		m["kty"], m["crv"], m["x"], m["y"] = "EC", k.Curve.Params().Name, b64(b[1:1+size]), b64(b[1+size:])
	case ed25519.PublicKey:
		m["kty"], m["crv"], m["x"] = "OKP", "Ed25519", b64(k)
	}
	return m
}

// authClient authenticates the client of a request like Keycloak's
// ClientIdAndSecretAuthenticator and JWT authenticators (§4.2).
func (op *fakeOP) authClient(w http.ResponseWriter, r *http.Request, form url.Values) (string, *fakeClient, bool) {
	id := form.Get("client_id")
	secret := form.Get("client_secret")
	if u, p, ok := r.BasicAuth(); ok && id == "" {
		id, _ = url.QueryUnescape(u)
		secret, _ = url.QueryUnescape(p)
	} else if h := r.Header.Get("Authorization"); h != "" && !strings.HasPrefix(h, "Basic ") && id == "" {
		w.Header().Set("WWW-Authenticate", `Basic realm="`+op.realm+`"`)
		w.WriteHeader(401)
		return "", nil, false
	}
	if id == "" {
		oauthErr(w, 400, "invalid_client", "Missing client_id parameter")
		return "", nil, false
	}
	op.mu.Lock()
	c := op.clients[id]
	op.mu.Unlock()
	if c == nil {
		oauthErr(w, 401, "invalid_client", "Invalid client or Invalid client credentials")
		return "", nil, false
	}
	if c.public {
		return id, c, true
	}
	if a := form.Get("client_assertion"); a != "" {
		if form.Get("client_assertion_type") != "urn:ietf:params:oauth:client-assertion-type:jwt-bearer" || !op.checkAssertion(id, c, a) {
			oauthErr(w, 401, "unauthorized_client", "Invalid client or Invalid client credentials")
			return "", nil, false
		}
		return id, c, true
	}
	if c.jwtKey != nil || c.jwtSecretAuth || secret != c.secret {
		oauthErr(w, 401, "unauthorized_client", "Invalid client or Invalid client credentials")
		return "", nil, false
	}
	return id, c, true
}

func (op *fakeOP) checkAssertion(id string, c *fakeClient, a string) bool {
	parts := strings.Split(a, ".")
	if len(parts) != 3 {
		return false
	}
	hb, _ := base64.RawURLEncoding.DecodeString(parts[0])
	var h struct{ Alg, Kid string }
	if json.Unmarshal(hb, &h) != nil {
		return false
	}
	sig, _ := base64.RawURLEncoding.DecodeString(parts[2])
	input := []byte(parts[0] + "." + parts[1])
	switch {
	case c.jwtSecretAuth && h.Alg == hs256:
		m := hmac.New(sha256.New, []byte(c.secret))
		m.Write(input)
		if !hmac.Equal(m.Sum(nil), sig) {
			return false
		}
	case c.jwtKey != nil:
		if !verifySig(c.jwtKey, h.Alg, input, sig) {
			return false
		}
	default:
		return false
	}
	pb, _ := base64.RawURLEncoding.DecodeString(parts[1])
	var cl struct {
		Iss, Sub, Aud, Jti string
		Exp, Iat           int64
	}
	if json.Unmarshal(pb, &cl) != nil {
		return false
	}
	now := op.clock.Now().Unix()
	return cl.Iss == id && cl.Sub == id && cl.Aud == op.issuer && cl.Jti != "" && cl.Exp > now && cl.Exp-now <= 60
}

func (op *fakeOP) newSession(user, client, scope, nonce string) string {
	sid := newID()
	op.mu.Lock()
	op.sessions[sid] = &session{user: user, client: client, scope: scope, nonce: nonce, active: true}
	op.mu.Unlock()
	return sid
}

// tokens answers a token response for session sid.
func (op *fakeOP) tokens(w http.ResponseWriter, sid string, withRefresh bool) {
	op.mu.Lock()
	s := op.sessions[sid]
	op.mu.Unlock()
	now := op.clock.Now()
	resp := map[string]any{
		"access_token": op.sign(op.accessClaims(s.user, s.client, s.scope, sid)),
		"expires_in":   int(op.accessLifetime / time.Second), "token_type": "Bearer",
		"not-before-policy": 0, "scope": s.scope, "refresh_expires_in": 0,
	}
	if withRefresh {
		rt := "rt-" + newID()
		op.mu.Lock()
		op.refresh[rt] = sid
		op.mu.Unlock()
		resp["refresh_token"] = rt
		resp["refresh_expires_in"] = int(op.refreshLifetime / time.Second)
		resp["session_state"] = sid
	}
	if hasScope(s.scope, "openid") {
		id := op.accessClaims(s.user, s.client, s.scope, sid)
		id["typ"], id["aud"] = "ID", s.client
		if s.nonce != "" {
			id["nonce"] = s.nonce
		}
		id["exp"] = now.Add(op.accessLifetime).Unix()
		resp["id_token"] = op.sign(id)
	}
	writeJSON(w, 200, resp)
}

func hasScope(scope, s string) bool {
	for _, x := range strings.Fields(scope) {
		if x == s {
			return true
		}
	}
	return false
}

func (op *fakeOP) token(w http.ResponseWriter, r *http.Request, form url.Values) {
	gt := form.Get("grant_type")
	if gt == "" {
		oauthErr(w, 400, "invalid_request", "Missing form parameter: grant_type")
		return
	}
	switch gt {
	case GrantPassword, GrantClientCredentials, GrantAuthorizationCode, GrantRefreshToken, GrantTokenExchange, GrantDeviceCode:
	default:
		oauthErr(w, 400, "unsupported_grant_type", "Unsupported grant_type")
		return
	}
	id, c, ok := op.authClient(w, r, form)
	if !ok {
		return
	}
	scope := strings.TrimSpace("profile email " + form.Get("scope"))
	switch gt {
	case GrantPassword:
		if !c.directAccess {
			oauthErr(w, 400, "unauthorized_client", "Client not allowed for direct access grants")
			return
		}
		user := form.Get("username")
		if user == "" {
			oauthErr(w, 401, "invalid_request", "Missing parameter: username")
			return
		}
		op.mu.Lock()
		pw, known := op.users[user]
		op.mu.Unlock()
		if !known || pw != form.Get("password") {
			oauthErr(w, 401, "invalid_grant", "Invalid user credentials")
			return
		}
		op.tokens(w, op.newSession(user, id, scope, ""), true)
	case GrantClientCredentials:
		if c.public {
			oauthErr(w, 401, "unauthorized_client", "Public client not allowed to retrieve service account")
			return
		}
		if !c.serviceAcct {
			oauthErr(w, 401, "unauthorized_client", "Client not enabled to retrieve service account")
			return
		}
		op.tokens(w, op.newSession("service-account-"+id, id, scope, ""), false)
	case GrantAuthorizationCode:
		code := form.Get("code")
		if code == "" {
			oauthErr(w, 400, "invalid_request", "Missing parameter: code")
			return
		}
		op.mu.Lock()
		ci := op.codes[code]
		reused := ci != nil && ci.used
		if ci != nil {
			ci.used = true
		}
		op.mu.Unlock()
		switch {
		case ci == nil || reused:
			oauthErr(w, 400, "invalid_grant", "Code not valid")
		case !op.clock.Now().Before(ci.expiry):
			oauthErr(w, 400, "invalid_grant", "Code is expired")
		case ci.client != id:
			oauthErr(w, 400, "invalid_grant", "Auth error: Found different client_id in clientSession")
		case ci.redirect != form.Get("redirect_uri"):
			oauthErr(w, 400, "invalid_grant", "Incorrect redirect_uri")
		case ci.challenge != "" && form.Get("code_verifier") == "":
			oauthErr(w, 400, "invalid_grant", "PKCE code verifier not specified")
		case ci.challenge != "" && S256Challenge(form.Get("code_verifier")) != ci.challenge:
			oauthErr(w, 400, "invalid_grant", "PKCE verification failed")
		default:
			op.tokens(w, ci.sid, true)
		}
	case GrantRefreshToken:
		rt := form.Get("refresh_token")
		if rt == "" {
			oauthErr(w, 400, "invalid_request", "No refresh token")
			return
		}
		op.mu.Lock()
		sid, ok := op.refresh[rt]
		s := op.sessions[sid]
		op.mu.Unlock()
		switch {
		case !ok:
			oauthErr(w, 400, "invalid_grant", "Invalid refresh token")
		case !s.active:
			oauthErr(w, 400, "invalid_grant", "Session not active")
		case s.client != id:
			oauthErr(w, 400, "invalid_grant", "Invalid refresh token. Token client and authorized client don't match")
		default:
			op.tokens(w, sid, true)
		}
	case GrantTokenExchange:
		st := form.Get("subject_token")
		if st == "" {
			oauthErr(w, 400, "invalid_request", "Parameter 'subject_token' required for standard token exchange")
			return
		}
		if c.public {
			oauthErr(w, 400, "invalid_client", "Public client is not allowed to exchange token")
			return
		}
		if !c.exchange {
			oauthErr(w, 400, "invalid_request", "Standard token exchange is not enabled for the requested client")
			return
		}
		cl, err := op.parseOwn(st)
		if err != nil {
			oauthErr(w, 400, "invalid_request", "Invalid token")
			return
		}
		aud, _ := json.Marshal(cl["aud"])
		if !strings.Contains(string(aud), `"`+id+`"`) {
			oauthErr(w, 403, "access_denied", "Client is not within the token audience")
			return
		}
		rtt := form.Get("requested_token_type")
		if rtt == "" {
			rtt = TokenTypeAccessToken
		}
		if rtt != TokenTypeAccessToken && rtt != TokenTypeRefreshToken && rtt != TokenTypeIDToken {
			oauthErr(w, 400, "invalid_request", "requested_token_type unsupported")
			return
		}
		user := strings.TrimPrefix(cl["sub"].(string), "id-")
		claims := op.accessClaims(user, id, scope, "")
		if auds := form["audience"]; len(auds) > 0 {
			claims["aud"] = auds
		}
		resp := map[string]any{"access_token": op.sign(claims), "expires_in": 300, "token_type": "Bearer",
			"issued_token_type": rtt, "not-before-policy": 0, "refresh_expires_in": 0}
		if rtt == TokenTypeIDToken {
			resp["token_type"] = "N_A"
		}
		writeJSON(w, 200, resp)
	case GrantDeviceCode:
		dc := form.Get("device_code")
		if dc == "" {
			oauthErr(w, 400, "invalid_request", "Missing parameter: device_code")
			return
		}
		op.mu.Lock()
		d := op.devices[dc]
		op.mu.Unlock()
		switch {
		case d == nil || d.client != id:
			oauthErr(w, 400, "invalid_grant", "Device code not valid")
		case !op.clock.Now().Before(d.expiry):
			oauthErr(w, 400, "expired_token", "Device code is expired")
		case d.denied:
			oauthErr(w, 400, "access_denied", "The end user denied the authorization request")
		case !d.approved:
			oauthErr(w, 400, "authorization_pending", "The authorization request is still pending")
		default:
			op.tokens(w, d.sid, true)
		}
	}
}

// parseOwn verifies a token signed by op and returns its claims.
func (op *fakeOP) parseOwn(tok string) (map[string]any, error) {
	op.mu.Lock()
	iss := op.issuer
	op.mu.Unlock()
	v, err := NewVerifier(iss, op.srv.URL+op.base()+"/certs", VerifierConfig{SkipAudienceCheck: true, SkipTypeCheck: true,
		Algorithms: []string{RS256, PS256, ES256, EdDSA}}, WithClock(op.clock.Now))
	if err != nil {
		return nil, err
	}
	// Verify without the HTTP round trip through op's own log: parse keys directly.
	op.mu.Lock()
	set := &JSONWebKeySet{}
	for _, k := range op.keys {
		b, _ := json.Marshal(jwkOf(k.kid, k.alg, k.key.Public()))
		var j JSONWebKey
		json.Unmarshal(b, &j)
		set.Keys = append(set.Keys, j)
	}
	op.mu.Unlock()
	ks, err := parseKeySet(set)
	if err != nil {
		return nil, err
	}
	v.keys.Store(ks)
	c, err := v.Verify(context.Background(), tok)
	if err != nil {
		return nil, err
	}
	var m map[string]any
	if err := json.Unmarshal(c.Raw, &m); err != nil {
		return nil, err
	}
	op.mu.Lock()
	defer op.mu.Unlock()
	if jti, _ := m["jti"].(string); op.revoked[jti] {
		return nil, fmt.Errorf("revoked")
	}
	if sid, _ := m["sid"].(string); sid != "" && (op.sessions[sid] == nil || !op.sessions[sid].active) {
		return nil, fmt.Errorf("session not active")
	}
	return m, nil
}

func (op *fakeOP) userinfo(w http.ResponseWriter, r *http.Request) {
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok || tok == "" {
		w.Header().Set("WWW-Authenticate", `Bearer realm="`+op.realm+`"`)
		w.WriteHeader(401)
		return
	}
	cl, err := op.parseOwn(tok)
	if err != nil {
		w.Header().Set("WWW-Authenticate", `Bearer realm="`+op.realm+`", error="invalid_token", error_description="Token verification failed"`)
		w.WriteHeader(401)
		return
	}
	if !hasScope(fmt.Sprint(cl["scope"]), "openid") {
		w.Header().Set("WWW-Authenticate", `Bearer realm="`+op.realm+`", error="insufficient_scope", error_description="Missing openid scope"`)
		w.WriteHeader(403)
		return
	}
	writeJSON(w, 200, map[string]any{"sub": cl["sub"], "preferred_username": cl["preferred_username"],
		"email": cl["email"], "email_verified": true, "name": "Alice Liddell", "given_name": "Alice",
		"family_name": "Liddell", "custom": "x"})
}

func (op *fakeOP) introspect(w http.ResponseWriter, r *http.Request, form url.Values) {
	id, c, ok := op.authClient(w, r, form)
	if !ok {
		return
	}
	if c.public {
		oauthErr(w, 403, "invalid_request", "Client not allowed.")
		return
	}
	tok := form.Get("token")
	if tok == "" {
		oauthErr(w, 400, "invalid_request", "Token not provided.")
		return
	}
	switch hint := form.Get("token_type_hint"); hint {
	case "", "access_token", "refresh_token", "requesting_party_token":
	default:
		oauthErr(w, 400, "invalid_request", "Unsupported token type ["+hint+"].")
		return
	}
	_ = id
	cl, err := op.parseOwn(tok)
	if err != nil || int64(cl["exp"].(float64)) <= op.clock.Now().Unix() {
		writeJSON(w, 200, map[string]any{"active": false})
		return
	}
	cl["active"], cl["client_id"], cl["username"], cl["token_type"] = true, cl["azp"], cl["preferred_username"], cl["typ"]
	writeJSON(w, 200, cl)
}

func (op *fakeOP) revoke(w http.ResponseWriter, r *http.Request, form url.Values) {
	id, _, ok := op.authClient(w, r, form)
	if !ok {
		return
	}
	tok := form.Get("token")
	if tok == "" {
		oauthErr(w, 400, "invalid_request", "Token not provided")
		return
	}
	op.mu.Lock()
	if sid, ok := op.refresh[tok]; ok {
		s := op.sessions[sid]
		if s.client != id {
			op.mu.Unlock()
			oauthErr(w, 400, "invalid_request", "Unmatching clients")
			return
		}
		delete(op.refresh, tok)
		s.active = false
		op.mu.Unlock()
		w.WriteHeader(200)
		return
	}
	op.mu.Unlock()
	cl, err := op.parseOwn(tok)
	if err != nil {
		oauthErr(w, 200, "invalid_token", "Invalid token")
		return
	}
	if cl["azp"] != id {
		oauthErr(w, 400, "invalid_request", "Unmatching clients")
		return
	}
	op.mu.Lock()
	op.revoked[cl["jti"].(string)] = true
	op.mu.Unlock()
	w.WriteHeader(200)
}

func (op *fakeOP) logout(w http.ResponseWriter, r *http.Request, form url.Values) {
	id, _, ok := op.authClient(w, r, form)
	if !ok {
		return
	}
	rt := form.Get("refresh_token")
	if rt == "" {
		oauthErr(w, 400, "invalid_request", "No refresh token")
		return
	}
	op.mu.Lock()
	defer op.mu.Unlock()
	sid, ok := op.refresh[rt]
	if !ok || !op.sessions[sid].active {
		oauthErr(w, 400, "invalid_grant", "Invalid refresh token")
		return
	}
	if op.sessions[sid].client != id {
		oauthErr(w, 400, "invalid_grant", "Invalid refresh token. Token client and authorized client don't match")
		return
	}
	op.sessions[sid].active = false
	delete(op.refresh, rt)
	w.WriteHeader(204)
}

func (op *fakeOP) deviceAuth(w http.ResponseWriter, r *http.Request, form url.Values) {
	id, c, ok := op.authClient(w, r, form)
	if !ok {
		return
	}
	if !c.device {
		oauthErr(w, 400, "invalid_grant", "Client not allowed for OAuth 2.0 Device Authorization Grant")
		return
	}
	dc := "dc-" + newID()
	uc := "WDJB-MJHT"
	op.mu.Lock()
	op.devices[dc] = &deviceState{client: id, scope: form.Get("scope"), expiry: op.clock.Now().Add(600 * time.Second)}
	op.mu.Unlock()
	writeJSON(w, 200, map[string]any{"device_code": dc, "user_code": uc,
		"verification_uri":          op.srv.URL + "/realms/" + op.realm + "/device",
		"verification_uri_complete": op.srv.URL + "/realms/" + op.realm + "/device?user_code=" + uc,
		"expires_in":                600, "interval": 5})
}

// approveDevice approves (or denies) every pending device code.
func (op *fakeOP) approveDevice(user string, approve bool) {
	op.mu.Lock()
	var pending []*deviceState
	for _, d := range op.devices {
		if !d.approved && !d.denied {
			pending = append(pending, d)
		}
	}
	op.mu.Unlock()
	for _, d := range pending {
		sid := op.newSession(user, d.client, strings.TrimSpace("profile email "+d.scope), "")
		op.mu.Lock()
		d.approved, d.denied, d.sid = approve, !approve, sid
		op.mu.Unlock()
	}
}

// login does what a browser login does: returns a code for the client.
func (op *fakeOP) login(client, user, redirect, challenge, scope, nonce string) string {
	sid := op.newSession(user, client, strings.TrimSpace("profile email "+scope), nonce)
	code := "code-" + newID()
	op.mu.Lock()
	op.codes[code] = &codeInfo{client: client, redirect: redirect, challenge: challenge, sid: sid, expiry: op.clock.Now().Add(time.Minute)}
	op.mu.Unlock()
	return code
}

func mustECKey(c elliptic.Curve) *ecdsa.PrivateKey {
	k, err := ecdsa.GenerateKey(c, rand.Reader)
	if err != nil {
		panic(err)
	}
	return k
}

func mustEdKey() ed25519.PrivateKey {
	_, k, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		panic(err)
	}
	return k
}
