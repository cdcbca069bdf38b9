package kctest

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// parRequestURIPrefix starts every request_uri the PAR endpoint issues
// (ParEndpoint.REQUEST_URI_PREFIX).
const parRequestURIPrefix = "urn:ietf:params:oauth:request_uri:"

// parRequest is a pushed authorization request (RFC 9126): the
// authorization request's parameters, kept until the authorization
// endpoint takes them once.
type parRequest struct {
	client  *client
	params  url.Values
	expires time.Time
}

// handlePAR is POST /realms/{realm}/protocol/openid-connect/ext/par/request
// (Keycloak's ParEndpoint.request): the client authenticates as at the
// token endpoint, the request is checked as the authorization endpoint
// checks it, and the answer is 201 {"request_uri", "expires_in"}.
func (s *Server) handlePAR(w http.ResponseWriter, r *http.Request) {
	s.withClientForm(w, r, s.pushAuthorizationRequest)
}

func (s *Server) pushAuthorizationRequest(w http.ResponseWriter, r *http.Request, form url.Values, ca clientAuth, rm *realm) {
	now := s.now()
	rm.pruneExpired(now)
	iss := s.issuer(r, rm.name)
	c, err := s.authenticateClient(rm, r, form, iss, now, ca)
	if err != nil {
		writeError(w, err)
		return
	}
	if form.Has("request_uri") {
		writeOAuthError(w, http.StatusBadRequest, "invalid_request", "It is not allowed to include request_uri to PAR.")
		return
	}
	params := url.Values{}
	for k, vs := range form {
		switch k {
		case "client_secret", "client_assertion", "client_assertion_type":
		default:
			params[k] = vs
		}
	}
	params.Set("client_id", c.clientID)
	// The authorization endpoint's checks, without a login: prompt is
	// looked at when the request is used, not when it is pushed.
	check := url.Values{}
	for k, vs := range params {
		if k != "prompt" && k != "max_age" {
			check[k] = vs
		}
	}
	redirect, err := s.authorize(rm, iss, check, &authLogin{})
	var pe *authPageError
	switch {
	case errors.As(err, &pe):
		desc := pe.msg
		if strings.Contains(desc, "redirect_uri") {
			desc = "Invalid parameter: redirect_uri"
		}
		writeOAuthError(w, http.StatusBadRequest, "invalid_request", desc)
		return
	case err != nil:
		writeError(w, err)
		return
	case redirect != nil:
		q := redirect.Query()
		if redirect.Fragment != "" {
			q, _ = url.ParseQuery(redirect.Fragment)
		}
		code, desc := q.Get("error"), q.Get("error_description")
		switch code {
		case "unsupported_response_type":
			code, desc = "invalid_request", "Unsupported response type"
		case "invalid_scope":
			code = "invalid_request"
		}
		writeOAuthError(w, http.StatusBadRequest, code, desc)
		return
	}
	lifespan := 60
	if v, err := strconv.Atoi(rm.attributes["parRequestUriLifespan"]); err == nil && v > 0 {
		lifespan = v
	}
	key := newID()
	rm.parRequests[key] = &parRequest{client: c, params: params, expires: now.Add(time.Duration(lifespan) * time.Second)}
	writeJSON(w, http.StatusCreated, map[string]any{"request_uri": parRequestURIPrefix + key, "expires_in": lifespan})
}

// takePAR replaces an authorization request that names a pushed request
// by that request's parameters, once (AuthzEndpointParParser). A
// request_uri that was not issued, was used, expired or belongs to another
// client is an error page.
func (rm *realm) takePAR(params url.Values, now time.Time) (url.Values, error) {
	ru := params.Get("request_uri")
	if !strings.HasPrefix(ru, parRequestURIPrefix) {
		return params, nil
	}
	key := strings.TrimPrefix(ru, parRequestURIPrefix)
	pr := rm.parRequests[key]
	delete(rm.parRequests, key)
	if pr == nil || now.After(pr.expires) || (params.Has("client_id") && params.Get("client_id") != pr.client.clientID) {
		return nil, &authPageError{http.StatusBadRequest, "Invalid Request"}
	}
	return pr.params, nil
}
