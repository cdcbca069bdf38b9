package kctest

import (
	"net/http"
	"slices"
)

const (
	grantTokenExchange    = "urn:ietf:params:oauth:grant-type:token-exchange"
	tokenTypeAccess       = "urn:ietf:params:oauth:token-type:access_token"
	tokenTypeRefresh      = "urn:ietf:params:oauth:token-type:refresh_token"
	tokenTypeID           = "urn:ietf:params:oauth:token-type:id_token"
	attrStandardTE        = "standard.token.exchange.enabled"
	attrStandardTERefresh = "standard.token.exchange.enableRefreshRequestedTokenType"
)

// grantTokenExchange is standard token exchange V2 (Keycloak 26.2+): an
// access token whose audience holds the requesting client is exchanged for
// a token of that client, optionally narrowed to the requested audiences.
func (s *Server) grantTokenExchange(tr *tokenRequest) (any, error) {
	rm, c, form := tr.rm, tr.client, tr.form
	badRequest := func(desc string) error { return newOAuthError(http.StatusBadRequest, "invalid_request", desc) }
	for _, p := range []string{"requested_subject", "requested_issuer", "subject_issuer"} {
		if form.Get(p) != "" {
			return nil, badRequest("Parameter '" + p + "' is not supported for standard token exchange")
		}
	}
	if c.publicClient {
		return nil, newOAuthError(http.StatusBadRequest, "invalid_client", "Public client is not allowed to exchange token")
	}
	if !c.attrTrue(attrStandardTE) {
		return nil, badRequest("Standard token exchange is not enabled for the requested client")
	}
	subject := form.Get("subject_token")
	if subject == "" {
		return nil, badRequest("Parameter 'subject_token' required for standard token exchange")
	}
	if stt := form.Get("subject_token_type"); stt != tokenTypeAccess {
		return nil, badRequest("Parameter 'subject_token_type' should be access_token for the standard token exchange")
	}
	rtt := form.Get("requested_token_type")
	switch rtt {
	case "":
		rtt = tokenTypeAccess
	case tokenTypeAccess, tokenTypeID:
	case tokenTypeRefresh:
		if c.attributes[attrStandardTERefresh] != "SAME_SESSION" {
			return nil, badRequest("requested_token_type unsupported")
		}
	default:
		return nil, badRequest("requested_token_type unsupported")
	}
	tc := s.checkAccessToken(rm, subject, tr.now)
	if !tc.active() || tc.claims.str("typ") != typBearer {
		return nil, badRequest("Invalid token")
	}
	if !slices.Contains(tc.claims.audiences(), c.clientID) {
		return nil, newOAuthError(http.StatusForbidden, "access_denied", "Client is not within the token audience")
	}
	scopes, err := rm.resolveScopes(c, form.Get("scope"))
	if err != nil {
		return nil, err
	}
	p := &tokenParams{rm: rm, issuer: tr.issuer, client: c, user: tc.user, session: tc.session,
		scopes: scopes, now: tr.now, refresh: rtt == tokenTypeRefresh}
	if auds := form["audience"]; len(auds) > 0 {
		atc, err := rm.accessClaims(p)
		if err != nil {
			return nil, err
		}
		p.ms = nil // the exchanged token resolves its roles afresh
		available := atc.audiences()
		for _, a := range auds {
			if rm.findClientByClientID(a) == nil {
				return nil, newOAuthError(http.StatusBadRequest, "invalid_client", "Audience not found")
			}
			if !slices.Contains(available, a) {
				return nil, badRequest("Requested audience not available: " + a)
			}
		}
		p.audience = slices.Compact(slices.Sorted(slices.Values(auds)))
	}
	if rtt == tokenTypeRefresh && tc.session == nil {
		return nil, badRequest("requested_token_type unsupported")
	}
	resp, err := s.issueTokens(p)
	if err != nil {
		return nil, err
	}
	resp.IssuedTokenType = rtt
	if rtt == tokenTypeID {
		if resp.IDToken == "" {
			at, atc, err := s.mintAccessToken(p)
			if err != nil {
				return nil, err
			}
			if resp.IDToken, err = s.mintIDToken(p, at, atc); err != nil {
				return nil, err
			}
		}
		resp.AccessToken, resp.IDToken, resp.TokenType = resp.IDToken, "", "N_A"
		resp.RefreshToken, resp.RefreshExpiresIn = "", 0
	} else {
		resp.IDToken = ""
	}
	return resp, nil
}
