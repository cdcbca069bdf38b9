package kctest

import (
	"context"
	"crypto"
	"crypto/subtle"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"net/http"
	"net/url"
	"strings"
	"time"
)

const clientAssertionJWT = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"

// Client authentication errors (keycloak-server.md §4.2).
var (
	errMissingClientID = newOAuthError(http.StatusBadRequest, "invalid_client", "Missing client_id parameter")
	errInvalidClient   = newOAuthError(http.StatusUnauthorized, "invalid_client", "Invalid client or Invalid client credentials")
	errBadSecret       = newOAuthError(http.StatusUnauthorized, "unauthorized_client", "Invalid client or Invalid client credentials")
)

// clientAuth carries what client authentication needs from outside the
// store lock: a remote JWKS fetched for private_key_jwt.
type clientAuth struct {
	remoteJWKS []byte
}

// prepareClientAuth fetches the jwks.url of a client that authenticates with
// a client assertion. It runs before the store lock is taken, so that a
// jwks.url pointing back at this server cannot deadlock.
func (s *Server) prepareClientAuth(ctx context.Context, realmName string, form url.Values) clientAuth {
	var ca clientAuth
	assertion := form.Get("client_assertion")
	if assertion == "" {
		return ca
	}
	t, err := parseJWT(assertion)
	if err != nil || strings.HasPrefix(t.alg(), "HS") {
		return ca
	}
	s.mu.RLock()
	var jwksURL string
	if rm := s.realms[realmName]; rm != nil {
		if c := rm.findClientByClientID(t.claims.str("sub")); c != nil {
			jwksURL = c.attributes["jwks.url"]
		}
	}
	s.mu.RUnlock()
	if jwksURL == "" {
		return ca
	}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, jwksURL, nil)
	if err != nil {
		return ca
	}
	resp, err := s.httpClient.Do(req)
	if err != nil {
		return ca
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusOK {
		ca.remoteJWKS, _ = readAllLimited(resp.Body)
	}
	return ca
}

// authenticateClient identifies and authenticates the client of a
// token-family request (client_secret_basic, client_secret_post,
// client_secret_jwt, private_key_jwt; public clients send only client_id).
// Callers hold s.mu for writing.
// On success, the answer's CORS headers follow the client's web origins.
func (s *Server) authenticateClient(rm *realm, r *http.Request, form url.Values, iss string, now time.Time, ca clientAuth) (c *client, err error) {
	defer func() {
		if err == nil {
			corsFrom(r.Context()).allowClient(c)
		}
	}()
	if form.Get("client_assertion_type") != "" || form.Get("client_assertion") != "" {
		return s.authenticateAssertion(rm, form, iss, now, ca)
	}
	clientID, secret := form.Get("client_id"), form.Get("client_secret")
	if h := r.Header.Get("Authorization"); h != "" && clientID == "" {
		id, sec, ok := parseBasic(h)
		if !ok {
			return nil, &oauthError{status: http.StatusUnauthorized, challenge: `Basic realm="` + rm.name + `"`}
		}
		clientID, secret = id, sec
	} else if h != "" && secret == "" {
		// A form client_id wins over Basic; its secret may still come from
		// the header when the ids agree.
		if id, sec, ok := parseBasic(h); ok && id == clientID {
			secret = sec
		}
	}
	if clientID == "" {
		return nil, errMissingClientID
	}
	c = rm.findClientByClientID(clientID)
	if c == nil || !c.enabled {
		return nil, errInvalidClient
	}
	if c.publicClient {
		return c, nil
	}
	if c.secret == "" || subtle.ConstantTimeCompare([]byte(c.secret), []byte(secret)) != 1 {
		return nil, errBadSecret
	}
	if exp := c.attributes["client.secret.expiration.time"]; exp != "" {
		if t := atoiDefault(exp, 0); t > 0 && now.Unix() >= int64(t) {
			return nil, errBadSecret
		}
	}
	return c, nil
}

// parseBasic decodes an HTTP Basic header whose parts are form-encoded
// (RFC 6749 §2.3.1).
func parseBasic(h string) (id, secret string, ok bool) {
	scheme, rest, found := strings.Cut(h, " ")
	if !found || !strings.EqualFold(scheme, "Basic") {
		return "", "", false
	}
	b, err := base64.StdEncoding.DecodeString(strings.TrimSpace(rest))
	if err != nil {
		return "", "", false
	}
	rawID, rawSecret, found := strings.Cut(string(b), ":")
	if !found {
		return "", "", false
	}
	id, err1 := url.QueryUnescape(rawID)
	secret, err2 := url.QueryUnescape(rawSecret)
	if err1 != nil || err2 != nil {
		return rawID, rawSecret, true
	}
	return id, secret, true
}

// assertionFailure is Keycloak 26's answer to a bad client assertion (older
// servers sent unauthorized_client).
func assertionFailure(msg string) error {
	return newOAuthError(http.StatusBadRequest, "invalid_client", "Client authentication with signed JWT failed: "+msg)
}

// authenticateAssertion checks a client_secret_jwt or private_key_jwt
// client assertion: iss = sub = client_id, aud holds the issuer or one of
// its endpoints, not expired, jti not replayed.
func (s *Server) authenticateAssertion(rm *realm, form url.Values, iss string, now time.Time, ca clientAuth) (*client, error) {
	if form.Get("client_assertion_type") != clientAssertionJWT {
		return nil, newOAuthError(http.StatusBadRequest, "invalid_client", "Parameter client_assertion_type is missing or has wrong value")
	}
	assertion := form.Get("client_assertion")
	if assertion == "" {
		return nil, newOAuthError(http.StatusBadRequest, "invalid_client", "client_assertion parameter missing")
	}
	t, err := parseJWT(assertion)
	if err != nil {
		return nil, assertionFailure("Token is not valid")
	}
	clientID := t.claims.str("sub")
	if clientID == "" {
		return nil, errMissingClientID
	}
	if fid := form.Get("client_id"); fid != "" && fid != clientID {
		return nil, assertionFailure("client_id parameter does not match sub claim")
	}
	c := rm.findClientByClientID(clientID)
	if c == nil || !c.enabled {
		return nil, errInvalidClient
	}
	if t.claims.str("iss") != clientID {
		return nil, assertionFailure("Issuer mismatch")
	}
	var ok bool
	switch {
	case strings.HasPrefix(t.alg(), "HS"):
		ok = c.secret != "" && verifyHMAC(t, []byte(c.secret))
	default:
		ok = verifyWithClientKeys(t, c, ca.remoteJWKS)
	}
	if !ok {
		return nil, assertionFailure("Invalid signature")
	}
	auds := t.claims.audiences()
	okAud := false
	for _, a := range auds {
		if a == iss || strings.HasPrefix(a, iss+"/protocol/openid-connect/") {
			okAud = true
		}
	}
	if !okAud {
		return nil, assertionFailure("Invalid token audience")
	}
	exp := t.claims.num("exp")
	if exp == 0 || now.Unix() >= exp {
		return nil, assertionFailure("Token is not active")
	}
	if nbf := t.claims.num("nbf"); nbf != 0 && now.Unix() < nbf {
		return nil, assertionFailure("Token is not active")
	}
	jti := t.claims.str("jti")
	if jti == "" {
		return nil, assertionFailure("Missing ID on the token")
	}
	key := c.id + "/" + jti
	if _, used := rm.usedJTI[key]; used {
		return nil, assertionFailure("Token reuse detected")
	}
	rm.usedJTI[key] = time.Unix(exp, 0)
	return c, nil
}

// verifyWithClientKeys checks an asymmetric assertion against the client's
// jwks.string attribute, its fetched jwks.url, or its
// jwt.credential.certificate.
func verifyWithClientKeys(t *jwtToken, c *client, remote []byte) bool {
	var docs [][]byte
	if js := c.attributes["jwks.string"]; js != "" {
		docs = append(docs, []byte(js))
	}
	if remote != nil {
		docs = append(docs, remote)
	}
	var candidates []crypto.PublicKey
	for _, d := range docs {
		byKid, all, err := parseJWKS(d)
		if err != nil {
			continue
		}
		if k, ok := byKid[t.kid()]; ok && t.kid() != "" {
			candidates = append(candidates, k)
		} else {
			for _, k := range all {
				candidates = append(candidates, k)
			}
		}
	}
	if certPEM := c.attributes["jwt.credential.certificate"]; certPEM != "" {
		der := []byte(certPEM)
		if blk, _ := pem.Decode([]byte(certPEM)); blk != nil {
			der = blk.Bytes
		} else if b, err := base64.StdEncoding.DecodeString(certPEM); err == nil {
			der = b
		}
		if cert, err := x509.ParseCertificate(der); err == nil {
			candidates = append(candidates, cert.PublicKey)
		}
	}
	for _, k := range candidates {
		if verifyPublic(t, k) {
			return true
		}
	}
	return false
}

// clientFormHandler handles a form POST of a client endpoint (token,
// introspection, revocation, logout, device), with the form read, the
// client's authentication prepared and the store locked.
type clientFormHandler func(w http.ResponseWriter, r *http.Request, form url.Values, ca clientAuth, rm *realm)

// withClientForm reads the form of r and calls h through withClientAuth.
func (s *Server) withClientForm(w http.ResponseWriter, r *http.Request, h clientFormHandler) {
	form, err := parseForm(w, r)
	if err != nil {
		writeError(w, err)
		return
	}
	s.withClientAuth(w, r, form, h)
}

// withClientAuth prepares the client's authentication (fetching a
// jwks.url before taking the lock), locks the store, finds the realm and
// calls h.
func (s *Server) withClientAuth(w http.ResponseWriter, r *http.Request, form url.Values, h clientFormHandler) {
	ca := s.prepareClientAuth(r.Context(), r.PathValue("realm"), form)
	s.mu.Lock()
	defer s.mu.Unlock()
	rm := s.lookupRealm(w, r)
	if rm == nil {
		return
	}
	h(w, r, form, ca, rm)
}
