package kctest

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

// UMA grant constants.
const (
	umaGrantType          = "urn:ietf:params:oauth:grant-type:uma-ticket"
	claimFormatJWT        = "urn:ietf:params:oauth:token-type:jwt"
	claimFormatIDToken    = "http://openid.net/specs/openid-connect-core-1_0.html#IDToken"
	typPermissionTicket   = "permission_ticket"
	umaProtectionRoleName = "uma_protection"
)

// ticketPermission is one permission of a permission ticket.
type ticketPermission struct {
	ResourceID string   `json:"rsid"`
	Scopes     []string `json:"scopes,omitempty"`
}

// umaRequest is a parsed UMA grant request.
type umaRequest struct {
	resourceServer *client
	rs             *resourceServer
	identity       azIdentity
	subject        *tokenCheck
	requester      *client // the client asking
	perms          []requestedPerm
	ticket         []ticketPermission // from a ticket
	hasTicket      bool
	claims         map[string][]string
	rpt            claims // a previous RPT, verified
	scope          string
	submit         bool
	includeName    bool
	limit          int // <0: none
	responseMode   string
	// byURI: permission_resource_format=uri names resources by URI;
	// matchingURI also matches the resources' URI patterns.
	byURI, matchingURI bool
}

// requestedPerm is one "permission" parameter.
type requestedPerm struct {
	resource string // "" for scopes only
	scopes   []string
}

// grantUMA is the UMA grant (urn:ietf:params:oauth:grant-type:uma-ticket)
// of the token endpoint, as Keycloak's PermissionGrantType and
// AuthorizationTokenService implement it (keycloak-server.md §5).
func (s *Server) grantUMA(tr *tokenRequest) (any, error) {
	rm, form := tr.rm, tr.form
	req := &umaRequest{limit: -1, includeName: true}

	claimToken := form.Get("claim_token")
	format := form.Get("claim_token_format")
	if claimToken != "" && format == "" {
		format = claimFormatIDToken
	}
	bearer := ""
	if scheme, tok, ok := strings.Cut(tr.r.Header.Get("Authorization"), " "); ok && strings.EqualFold(scheme, "Bearer") {
		bearer = strings.TrimSpace(tok)
	}
	if bearer != "" {
		tc := s.checkAccessToken(rm, bearer, tr.now)
		if !tc.active() || tc.claims.str("typ") != typBearer {
			return nil, newOAuthError(http.StatusUnauthorized, "invalid_grant", "Invalid bearer token")
		}
		req.subject, req.requester = tc, tc.client
	} else {
		c, err := s.authenticateClient(rm, tr.r, form, tr.issuer, tr.now, tr.auth)
		if err != nil {
			return nil, err
		}
		if c.bearerOnly {
			return nil, newOAuthError(http.StatusBadRequest, "invalid_client", "Bearer-only not allowed")
		}
		req.requester = c
		subjectToken := form.Get("subject_token")
		if format == claimFormatIDToken && claimToken != "" {
			subjectToken = claimToken
		}
		if subjectToken != "" {
			tc := s.checkAccessToken(rm, subjectToken, tr.now)
			if !tc.active() {
				desc := "Invalid identity"
				if format == claimFormatIDToken {
					desc = "Invalid signature"
				}
				return nil, newOAuthError(http.StatusBadRequest, "unauthorized_client", desc)
			}
			req.subject = tc
		} else {
			if !c.serviceAccounts || c.serviceAccountUser == nil {
				return nil, newOAuthError(http.StatusUnauthorized, "unauthorized_client", "Client not enabled to retrieve service account")
			}
			req.subject = &tokenCheck{user: c.serviceAccountUser, client: c, claims: claims{}}
		}
	}

	if v := form.Get("rpt"); v != "" {
		t, err := parseJWT(v)
		if err != nil || t.alg() != "RS256" || rm.keyByKid(t.kid()) == nil || !verifyPublic(t, &rm.keyByKid(t.kid()).key.priv.PublicKey) {
			return nil, newOAuthError(http.StatusForbidden, "invalid_rpt", "RPT signature is invalid")
		}
		req.rpt = t.claims
	}
	req.scope = form.Get("scope")
	req.submit = form.Get("submit_request") == "" || strings.EqualFold(form.Get("submit_request"), "true")
	for _, p := range form["permission"] {
		res, scopes, hasScopes := strings.Cut(p, "#")
		rp := requestedPerm{resource: res}
		if hasScopes {
			for sc := range strings.SplitSeq(scopes, ",") {
				if sc = strings.TrimSpace(sc); sc != "" {
					rp.scopes = append(rp.scopes, sc)
				}
			}
		}
		req.perms = append(req.perms, rp)
	}
	if v := form.Get("response_include_resource_name"); v != "" {
		req.includeName, _ = strconv.ParseBool(v)
	}
	if v := form.Get("response_permissions_limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			return nil, newOAuthError(http.StatusBadRequest, "invalid_request", "Invalid response_permissions_limit")
		}
		req.limit = n
	}
	req.responseMode = form.Get("response_mode")
	req.byURI = form.Get("permission_resource_format") == "uri"
	req.matchingURI = strings.EqualFold(form.Get("permission_resource_matching_uri"), "true")

	// AuthorizationTokenService.authorize.
	ticket := form.Get("ticket")
	if claimToken != "" && req.requester.publicClient && ticket == "" {
		return nil, newOAuthError(http.StatusForbidden, "invalid_grant", "Public clients are not allowed to send claims")
	}
	audience := form.Get("audience")
	if ticket != "" {
		tcl, err := s.verifyTicket(rm, ticket, tr.now)
		if err != nil {
			return nil, err
		}
		req.hasTicket = true
		audience = tcl.str("azp")
		if b, err := json.Marshal(tcl["permissions"]); err == nil {
			_ = json.Unmarshal(b, &req.ticket)
		}
		if b, err := json.Marshal(tcl["claims"]); err == nil {
			var cm map[string][]string
			if json.Unmarshal(b, &cm) == nil && len(cm) > 0 {
				req.claims = cm
			}
		}
	}
	if audience == "" {
		return nil, newOAuthError(http.StatusBadRequest, "invalid_request", "You must provide the issuedFor")
	}
	server := rm.findClientByClientID(audience)
	if server == nil {
		return nil, newOAuthError(http.StatusBadRequest, "invalid_request", "Unknown resource server id: ["+audience+"]")
	}
	rs := rm.authzOf(server)
	if rs == nil {
		return nil, newOAuthError(http.StatusBadRequest, "invalid_request", "Client does not support permissions")
	}
	req.resourceServer, req.rs = server, rs
	switch format {
	case "", claimFormatIDToken:
	case claimFormatJWT:
		if claimToken == "" {
			return nil, newOAuthError(http.StatusBadRequest, "invalid_request", "Claim token can not be null")
		}
		b, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(claimToken, "="))
		var pushed map[string]any
		if err != nil || json.Unmarshal(b, &pushed) != nil {
			return nil, newOAuthError(http.StatusBadRequest, "invalid_request", "Invalid claims")
		}
		if req.claims == nil {
			req.claims = map[string][]string{}
		}
		for k, v := range pushed {
			if _, fromTicket := req.claims[k]; fromTicket {
				continue // ticket claims win
			}
			switch x := v.(type) {
			case string:
				req.claims[k] = []string{x}
			case []any:
				for _, e := range x {
					req.claims[k] = append(req.claims[k], azString(e))
				}
			default:
				req.claims[k] = []string{azString(x)}
			}
		}
	default:
		return nil, newOAuthError(http.StatusBadRequest, "invalid_request", "Claim token format ["+format+"] not supported")
	}
	req.identity = azIdentityFor(req.subject.user, req.subject.client, server)

	perms, err := rm.umaPermissions(req)
	if err != nil {
		return nil, err
	}
	grants := rm.evaluate(server, rs, req.identity, perms)
	if req.hasTicket && req.submit {
		rm.submitRequests(req, grants, tr.now)
	}
	if !umaGranted(req, grants) {
		desc := "not_authorized"
		if req.hasTicket && req.submit {
			desc = "request_submitted"
		}
		return nil, newOAuthError(http.StatusForbidden, "access_denied", desc)
	}
	out := rm.permissionsJSON(req, grants)
	switch req.responseMode {
	case "":
	case "decision":
		return map[string]bool{"result": true}, nil
	case "permissions":
		return out, nil
	default:
		return nil, newOAuthError(http.StatusBadRequest, "invalid_request", "Invalid response_mode")
	}
	return s.issueRPT(tr, req, out)
}

func azString(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// umaPermissions builds the permissions to evaluate, as
// AuthorizationTokenService.createPermissions does: from the "permission"
// parameters (or the ticket), then from a previous RPT; with none of them,
// every permission the identity can reach.
func (rm *realm) umaPermissions(req *umaRequest) ([]*azPerm, error) {
	server, rs, id := req.resourceServer, req.rs, req.identity
	requested := req.perms
	if req.hasTicket {
		requested = nil
		for _, tp := range req.ticket {
			requested = append(requested, requestedPerm{resource: tp.ResourceID, scopes: tp.Scopes})
		}
	}
	limit := req.limit
	full := func() bool { return limit >= 0 && limit <= 0 }
	take := func() {
		if limit >= 0 {
			limit--
		}
	}
	if len(requested) == 0 && req.rpt == nil && !req.hasTicket {
		return rm.allPermissions(server, rs, id, limit), nil
	}
	byResource := map[*azResource]*azPerm{}
	byScope := map[*azScope]*azPerm{}
	var out []*azPerm
	addScopes := func(p *azPerm, scopes []*azScope) {
		for _, sc := range scopes {
			if !slices.Contains(p.scopes, sc) {
				p.scopes = append(p.scopes, sc)
			}
		}
	}
	for _, rp := range requested {
		if full() {
			break
		}
		names := slices.Clone(rp.scopes)
		if req.scope != "" {
			names = append(names, strings.Fields(req.scope)...)
		}
		var scopes []*azScope
		for _, n := range names {
			if sc := rs.scopeByName(n); sc != nil && !slices.Contains(scopes, sc) {
				scopes = append(scopes, sc)
			}
		}
		var resources []*azResource
		if rp.resource != "" {
			if req.byURI {
				q := url.Values{"uri": {rp.resource}}
				if req.matchingURI {
					q.Set("matchingUri", "true")
				}
				resources = rm.resourceQuery(server, rs, q)
			} else {
				resources = rm.findRequestedResources(server, rs, id, rp.resource)
			}
			if len(resources) == 0 {
				return nil, newOAuthError(http.StatusBadRequest, "invalid_resource", "Resource with id ["+rp.resource+"] does not exist.")
			}
		}
		if len(names) > 0 && len(scopes) == 0 {
			return nil, newOAuthError(http.StatusBadRequest, "invalid_scope", "One of the given scopes ["+strings.Join(rp.scopes, ", ")+"] is invalid")
		}
		// Without a resource, the scopes select the resources that have them.
		processed := len(resources) > 0
		if !processed {
			for _, r := range rs.sortedResources() {
				if azAnyScope(r.scopes, scopes) {
					resources = append(resources, r)
				}
			}
			processed = len(resources) > 0
		}
		for _, r := range resources {
			if full() {
				break
			}
			if p := byResource[r]; p != nil {
				addScopes(p, scopes)
				continue
			}
			p := &azPerm{resource: r, scopes: azResolveScopes(r, scopes)}
			byResource[r] = p
			out = append(out, p)
			take()
		}
		if !processed {
			for _, sc := range scopes {
				if full() {
					break
				}
				if byScope[sc] == nil {
					p := &azPerm{scopes: []*azScope{sc}}
					byScope[sc] = p
					out = append(out, p)
					take()
				}
			}
		}
	}
	if req.rpt != nil && req.rpt.num("exp") > 0 {
		perms, _ := rptPermissions(req.rpt)
		for _, gp := range perms {
			if full() {
				break
			}
			r := rs.resources[gp.ResourceID]
			if r == nil {
				continue
			}
			p := byResource[r]
			if p == nil {
				p = &azPerm{resource: r}
				byResource[r] = p
				out = append(out, p)
				take()
			}
			for _, n := range gp.Scopes {
				if sc := rs.scopeByName(n); sc != nil && !slices.Contains(p.scopes, sc) {
					p.scopes = append(p.scopes, sc)
				}
			}
		}
	}
	return out, nil
}

// resolveScopes returns the requested scopes that r has, or all of r's
// scopes when none were requested (Permissions.resolveScopes).
func azResolveScopes(r *azResource, requested []*azScope) []*azScope {
	if len(requested) == 0 {
		return slices.Clone(r.scopes)
	}
	var out []*azScope
	for _, sc := range r.scopes {
		if slices.Contains(requested, sc) {
			out = append(out, sc)
		}
	}
	return out
}

// findRequestedResources resolves the resource part of a "permission"
// parameter: an id, a "resource-type..." prefix, or a name (the
// identity's own resource, the ones granted to it by tickets, the
// server's).
func (rm *realm) findRequestedResources(server *client, rs *resourceServer, id azIdentity, ref string) []*azResource {
	if r := rs.resources[ref]; r != nil {
		return []*azResource{r}
	}
	var out []*azResource
	add := func(r *azResource) {
		if r != nil && !slices.Contains(out, r) {
			out = append(out, r)
		}
	}
	byType := func(typ string, keep func(*azResource) bool) []*azResource {
		for _, r := range rs.sortedResources() {
			if r.typ == typ && keep(r) {
				add(r)
			}
		}
		return out
	}
	switch {
	case strings.HasPrefix(ref, "resource-type:"):
		return byType(strings.TrimPrefix(ref, "resource-type:"), func(r *azResource) bool { return r.owner == server.id })
	case strings.HasPrefix(ref, "resource-type-any:"):
		return byType(strings.TrimPrefix(ref, "resource-type-any:"), func(*azResource) bool { return true })
	case strings.HasPrefix(ref, "resource-type-instance:"):
		return byType(strings.TrimPrefix(ref, "resource-type-instance:"), func(r *azResource) bool { return r.owner != server.id })
	case strings.HasPrefix(ref, "resource-type-owner:"):
		return byType(strings.TrimPrefix(ref, "resource-type-owner:"), func(r *azResource) bool { return r.owner == id.id })
	}
	add(rs.resourceByName(ref, id.id))
	if !id.isResourceServer(server) {
		for _, t := range rs.sortedTickets() {
			if t.granted && id.user != nil && t.requester == id.user && t.resource.name == ref {
				add(t.resource)
			}
		}
		add(rs.resourceByName(ref, server.id))
	}
	return out
}

// allPermissions is Permissions.all: the server's resources, the
// identity's own, and those granted to it by tickets.
func (rm *realm) allPermissions(server *client, rs *resourceServer, id azIdentity, limit int) []*azPerm {
	var out []*azPerm
	room := func() bool {
		if limit < 0 {
			return true
		}
		if limit == 0 {
			return false
		}
		limit--
		return true
	}
	resources := rs.sortedResources()
	for _, r := range resources {
		if r.owner == server.id && room() {
			out = append(out, &azPerm{resource: r, scopes: slices.Clone(r.scopes)})
		}
	}
	if !id.isResourceServer(server) {
		for _, r := range resources {
			if r.owner == id.id && room() {
				out = append(out, &azPerm{resource: r, scopes: slices.Clone(r.scopes)})
			}
		}
	}
	granted := map[*azResource]*azPerm{}
	for _, t := range rs.sortedTickets() {
		if !t.granted || id.user == nil || t.requester != id.user {
			continue
		}
		p := granted[t.resource]
		if p == nil {
			if !room() {
				break
			}
			p = &azPerm{resource: t.resource, granted: true}
			granted[t.resource] = p
			out = append(out, p)
		}
		if t.scope != nil && !slices.Contains(p.scopes, t.scope) {
			p.scopes = append(p.scopes, t.scope)
		}
	}
	return out
}

// umaGranted is AuthorizationTokenService.isGranted: something was
// granted and, when upgrading an RPT, every requested resource was.
func umaGranted(req *umaRequest, grants []azGrant) bool {
	if req.rpt != nil && len(req.perms) > 0 {
		for _, rp := range req.perms {
			if rp.resource == "" {
				continue
			}
			found := false
			for _, g := range grants {
				if g.resource != nil && (g.resource.id == rp.resource || g.resource.name == rp.resource) {
					found = true
				}
			}
			if !found {
				return false
			}
		}
	}
	return len(grants) > 0
}

// submitRequests records, for a denied ticket request, a permission
// ticket per resource and scope the requester asked for and did not get,
// on resources whose owner manages access (PermissionTicketAwareDecisionResultCollector).
func (rm *realm) submitRequests(req *umaRequest, grants []azGrant, now time.Time) {
	rs, id := req.rs, req.identity
	if id.user == nil {
		return
	}
	for _, tp := range req.ticket {
		r := rs.resources[tp.ResourceID]
		if r == nil {
			r = rs.resourceByName(tp.ResourceID, id.id)
		}
		if r == nil || !r.ownerManagedAccess || r.owner == id.id || r.owner == req.resourceServer.id {
			continue
		}
		var have []*azScope
		for _, g := range grants {
			if g.resource == r {
				have = g.scopes
			}
		}
		names := tp.Scopes
		if len(names) == 0 {
			names = scopeNames(r.scopes)
		}
		if len(names) == 0 {
			rs.addTicketIfNone(r, nil, id.user, now)
			continue
		}
		for _, n := range names {
			sc := rs.scopeRef(n)
			if sc == nil || slices.Contains(have, sc) {
				continue
			}
			rs.addTicketIfNone(r, sc, id.user, now)
		}
	}
}

// addTicketIfNone creates a pending ticket unless one exists.
func (rs *resourceServer) addTicketIfNone(r *azResource, sc *azScope, requester *user, now time.Time) {
	for _, t := range rs.tickets {
		if t.resource == r && t.scope == sc && t.requester == requester {
			return
		}
	}
	t := &azTicket{id: newID(), owner: r.owner, resource: r, scope: sc, requester: requester, created: now.UnixMilli()}
	rs.tickets[t.id] = t
}

// permissionsJSON renders grants as Keycloak's Permission list.
func (rm *realm) permissionsJSON(req *umaRequest, grants []azGrant) []map[string]any {
	out := []map[string]any{}
	for _, g := range grants {
		p := map[string]any{}
		if g.resource != nil {
			p["rsid"] = g.resource.id
			if req.includeName {
				p["rsname"] = g.resource.name
			}
		}
		if len(g.scopes) > 0 {
			names := make([]string, 0, len(g.scopes))
			for _, sc := range g.scopes {
				names = append(names, sc.name)
			}
			p["scopes"] = names
		}
		if len(req.claims) > 0 {
			p["claims"] = req.claims
		}
		out = append(out, p)
	}
	return out
}

// rptPermission is one permission of an RPT's authorization claim.
type rptPermission struct {
	ResourceID string   `json:"rsid"`
	Scopes     []string `json:"scopes"`
}

// rptPermissions reads the authorization.permissions claim of an RPT,
// typed and as raw objects.
func rptPermissions(cl claims) ([]rptPermission, []map[string]any) {
	var typed struct {
		Authorization struct {
			Permissions []rptPermission `json:"permissions"`
		} `json:"authorization"`
	}
	var raw struct {
		Authorization struct {
			Permissions []map[string]any `json:"permissions"`
		} `json:"authorization"`
	}
	b, _ := json.Marshal(cl)
	_ = json.Unmarshal(b, &typed)
	_ = json.Unmarshal(b, &raw)
	return typed.Authorization.Permissions, raw.Authorization.Permissions
}

// issueRPT mints the RPT: an access token of the requester's session with
// the permissions in its "authorization" claim and the resource server in
// its audience, and a refresh token when there is a session.
func (s *Server) issueRPT(tr *tokenRequest, req *umaRequest, perms []map[string]any) (any, error) {
	rm := tr.rm
	sub := req.subject
	cl := req.requester
	if sub.client != nil {
		cl = sub.client
	}
	scopes, err := rm.resolveScopes(cl, sub.claims.str("scope"))
	if err != nil {
		scopes, _ = rm.resolveScopes(cl, "")
	}
	var sess *userSession
	if sid := sub.claims.str("sid"); sid != "" {
		sess = rm.session(sid, tr.now)
	}
	p := &tokenParams{rm: rm, issuer: tr.issuer, client: cl, user: sub.user, session: sess, scopes: scopes,
		now: tr.now, refresh: sess != nil}
	if sess != nil {
		sess.attach(cl, scopes.String(), tr.now)
	}
	atClaims, err := rm.accessClaims(p)
	if err != nil {
		return nil, err
	}
	atClaims["authorization"] = map[string]any{"permissions": perms}
	aud := atClaims.audiences()
	if !slices.Contains(aud, req.resourceServer.clientID) {
		aud = append(aud, req.resourceServer.clientID)
	}
	sort.Strings(aud)
	if len(aud) == 1 {
		atClaims["aud"] = aud[0]
	} else {
		atClaims["aud"] = aud
	}
	key := rm.activeKey()
	at, err := signRS256(key.key.priv, key.kid, atClaims)
	if err != nil {
		return nil, err
	}
	upgraded := false
	if req.rpt != nil {
		upgraded = true
		oldPerms, _ := rptPermissions(req.rpt)
		for _, old := range oldPerms {
			found := false
			for _, np := range perms {
				if np["rsid"] == old.ResourceID {
					found = true
				}
			}
			if !found {
				upgraded = false
			}
		}
	}
	resp := &tokenResponse{
		AccessToken: at, ExpiresIn: atClaims.num("exp") - tr.now.Unix(), TokenType: "Bearer",
		NotBeforePolicy: rm.notBefore, Scope: scopes.String(), Upgraded: &upgraded,
	}
	if sess != nil {
		resp.SessionState = sess.id
		rt, rexp, err := s.mintRefreshToken(p, atClaims)
		if err != nil {
			return nil, err
		}
		resp.RefreshToken, resp.RefreshExpiresIn = rt, rexp
		if err := rm.addAuthorization(resp, atClaims["authorization"], ""); err != nil {
			return nil, err
		}
	}
	return resp, nil
}

// keepAuthorization gives the tokens of a refresh grant the permissions
// of the refreshed RPT, as Keycloak does: the RPT's refresh token carries
// its "authorization" claim. Tokens refreshed from a plain refresh token
// are left alone.
func (s *Server) keepAuthorization(rm *realm, old claims, resp *tokenResponse) (*tokenResponse, error) {
	auth, ok := old["authorization"]
	if !ok || resp == nil {
		return resp, nil
	}
	aud, _ := old["rpt_aud"].(string)
	return resp, rm.addAuthorization(resp, auth, aud)
}

// addAuthorization re-signs resp's tokens with the "authorization" claim:
// the access token (with audience added to "aud" unless empty) and the
// refresh token (which also remembers the audience).
func (rm *realm) addAuthorization(resp *tokenResponse, auth any, audience string) error {
	key := rm.activeKey()
	if audience != "" {
		t, err := parseJWT(resp.AccessToken)
		if err != nil {
			return err
		}
		t.claims["authorization"] = auth
		aud := t.claims.audiences()
		if !slices.Contains(aud, audience) {
			aud = append(aud, audience)
		}
		sort.Strings(aud)
		if len(aud) == 1 {
			t.claims["aud"] = aud[0]
		} else {
			t.claims["aud"] = aud
		}
		if resp.AccessToken, err = signRS256(key.key.priv, key.kid, t.claims); err != nil {
			return err
		}
	}
	if resp.RefreshToken == "" {
		return nil
	}
	t, err := parseJWT(resp.RefreshToken)
	if err != nil {
		return err
	}
	t.claims["authorization"] = auth
	if audience == "" {
		if at, err := parseJWT(resp.AccessToken); err == nil {
			for _, a := range at.claims.audiences() {
				if rs := rm.findClientByClientID(a); rs != nil && rs.authorizationServices {
					audience = a
				}
			}
		}
	}
	if audience != "" {
		t.claims["rpt_aud"] = audience
	}
	resp.RefreshToken, err = signHS512(rm.hmacSecret, rm.hmacKid, t.claims)
	return err
}

// mintTicket signs a permission ticket for the resource server.
func (s *Server) mintTicket(rm *realm, issuer string, server *client, perms []ticketPermission, cl map[string][]string, now time.Time) (string, error) {
	c := claims{
		"jti": newID(), "iat": now.Unix(), "exp": now.Unix() + int64(rm.accessTokenLifespan),
		"iss": issuer, "aud": issuer, "azp": server.clientID, "typ": typPermissionTicket,
		"permissions": perms,
	}
	if len(cl) > 0 {
		c["claims"] = cl
	}
	key := rm.activeKey()
	return signRS256(key.key.priv, key.kid, c)
}

// verifyTicket checks a permission ticket's signature and expiry.
func (s *Server) verifyTicket(rm *realm, ticket string, now time.Time) (claims, error) {
	t, err := parseJWT(ticket)
	if err != nil || t.alg() != "RS256" {
		return nil, newOAuthError(http.StatusForbidden, "invalid_ticket", "Ticket verification failed")
	}
	k := rm.keyByKid(t.kid())
	if k == nil || !verifyPublic(t, &k.key.priv.PublicKey) {
		return nil, newOAuthError(http.StatusForbidden, "invalid_ticket", "Ticket verification failed")
	}
	if exp := t.claims.num("exp"); exp != 0 && now.Unix() >= exp {
		return nil, newOAuthError(http.StatusForbidden, "invalid_ticket", "Invalid permission ticket.")
	}
	return t.claims, nil
}

// rptIntrospection is what the introspection endpoint answers for an
// active RPT with token_type_hint=requesting_party_token
// (RPTIntrospectionProvider): a few claims and the permissions.
func rptIntrospection(tc *tokenCheck) map[string]any {
	out := map[string]any{"active": true}
	for _, k := range []string{"jti", "typ", "exp", "iat", "aud", "nbf", "acr"} {
		if v, ok := tc.claims[k]; ok {
			out[k] = v
		}
	}
	perms := []map[string]any{}
	_, raw := rptPermissions(tc.claims)
	for _, p := range raw {
		m := map[string]any{}
		for k, v := range p {
			m[k] = v
		}
		if v, ok := p["rsid"]; ok {
			m["resource_id"] = v
		}
		if v, ok := p["scopes"]; ok {
			m["resource_scopes"] = v
		}
		perms = append(perms, m)
	}
	out["permissions"] = perms
	return out
}
