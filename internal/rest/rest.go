// Package rest is the one HTTP pipeline of kc: every request of every API
// package is built, authenticated, sent, retried and decoded here.
package rest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"path"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hashicorp/go-cleanhttp"
	"github.com/hashicorp/go-retryablehttp"

	"github.com/kcgo/kc"
	"github.com/kcgo/kc/internal/origin"
	"github.com/kcgo/kc/internal/redact"
	"github.com/kcgo/kc/internal/settings"
)

// Version is kc's version, sent in the User-Agent.
const Version = "0.1.0"

// MaxRawBody bounds a success body read whole (into a *[]byte), below
// the client's own limit.
const MaxRawBody = 16 << 20

// DefaultMaxBody is the bound of a success body when no
// kc.WithMaxResponseBody is given.
const DefaultMaxBody = settings.DefaultMaxBody

// Client sends requests for one API package.
type Client struct {
	pkg       string // prefix of error messages: "admin", "oidc", ...
	base      *url.URL
	baseEsc   string                // base.EscapedPath()
	http      *retryablehttp.Client // retries what is safe to repeat
	once      *retryablehttp.Client // sends once
	userAgent []string              // the User-Agent header's value, shared, never changed
	logger    *slog.Logger
	maxBody   int64         // bound of a success body
	timeout   time.Duration // per attempt
	timeoutBy string        // what set timeout, for error messages

	// bearer caches the Authorization header of the last token, so that a
	// managed source's token costs no allocation per request.
	bearer atomic.Pointer[bearerHeader]
}

type bearerHeader struct {
	tok   *kc.Token
	value []string
}

// Shared header values; http.Header.Set replaces a value, never changes it.
var (
	acceptJSON  = []string{"application/json"}
	contentJSON = []string{"application/json"}
	contentForm = []string{"application/x-www-form-urlencoded"}
)

// New returns a client for package pkg that builds its URLs under
// serverURL and the base path of s.
func New(pkg, serverURL string, s *settings.Settings) (*Client, error) {
	base, err := ParseServerURL(pkg, serverURL)
	if err != nil {
		return nil, err
	}
	if s.BasePath != "" && !strings.HasSuffix(base.Path, s.BasePath) {
		base.Path += s.BasePath
		base.RawPath = ""
	}
	c := &Client{pkg: pkg, base: base, baseEsc: base.EscapedPath(), logger: s.Logger, maxBody: s.MaxBody}
	ua := "kc-go/" + Version
	if s.UserAgent != "" {
		ua = s.UserAgent + " " + ua
	}
	c.userAgent = []string{ua}
	c.http, c.once = newRetryClients(s, c.logger)
	c.timeout = c.http.HTTPClient.Timeout
	c.timeoutBy = "kc.WithTimeout"
	if !s.TimeoutSet && s.HTTPClient != nil && s.HTTPClient.Timeout > 0 {
		c.timeoutBy = "the Timeout of kc.WithHTTPClient's client"
	}
	return c, nil
}

// ParseServerURL checks that raw is an absolute http or https URL with a
// host and nothing after its path, and returns it without a trailing slash.
func ParseServerURL(pkg, raw string) (*url.URL, error) {
	if raw == "" {
		return nil, fmt.Errorf("%s: serverURL is empty", pkg)
	}
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("%s: serverURL: %w", pkg, errors.Unwrap(err))
	}
	switch {
	case u.Scheme != "http" && u.Scheme != "https":
		return nil, fmt.Errorf("%s: serverURL %q: scheme must be http or https", pkg, redact.URL(u))
	case u.Host == "":
		return nil, fmt.Errorf("%s: serverURL %q has no host", pkg, redact.URL(u))
	case u.RawQuery != "" || u.Fragment != "" || u.ForceQuery:
		return nil, fmt.Errorf("%s: serverURL %q must not have a query or fragment", pkg, redact.URL(u))
	case u.User != nil:
		return nil, fmt.Errorf("%s: serverURL must not hold credentials", pkg)
	}
	u.Path = strings.TrimRight(u.Path, "/")
	u.RawPath = ""
	if strings.Contains(u.Path, "//") || path.Clean("/"+u.Path) != "/"+strings.TrimPrefix(u.Path, "/") {
		return nil, fmt.Errorf("%s: serverURL %q has an unclean path", pkg, redact.URL(u))
	}
	return u, nil
}

// Base returns the server URL with the base path, without trailing slash.
func (c *Client) Base() *url.URL { u := *c.base; return &u }

// URL returns the base URL followed by segments, each escaped on its own: a
// segment "a/b c?d" stays one segment, "%2F" and all. Empty segments and the
// dot segments "." and ".." are refused: Keycloak's server normalises them
// away, so they could reach a resource other than the one named.
func (c *Client) URL(segments ...string) (*url.URL, error) {
	u := new(url.URL)
	if err := c.buildURL(u, segments, nil); err != nil {
		return nil, err
	}
	return u, nil
}

// buildURL sets u to the base URL followed by segments (see URL) and the
// query q, encoded as url.Values.Encode does. The path, the escaped path
// when it differs, and the query share one string: one allocation.
func (c *Client) buildURL(u *url.URL, segments []string, q url.Values) error {
	rawLen, escLen, escaped := len(c.base.Path), len(c.baseEsc), false
	for _, s := range segments {
		if s == "" || s == "." || s == ".." {
			return fmt.Errorf("%s: path segment %q is not allowed", c.pkg, s)
		}
		e := url.PathEscape(s) // s itself, without allocating, when nothing needs escaping
		escaped = escaped || len(e) != len(s)
		rawLen += 1 + len(s)
		escLen += 1 + len(e)
	}
	withRaw := escaped || c.baseEsc != c.base.Path
	var kbuf [8]string
	keys := kbuf[:0]
	for k := range q {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	n, qLen := rawLen, queryLen(q, keys)
	if withRaw {
		n += escLen
	}
	var b strings.Builder
	b.Grow(n + qLen)
	b.WriteString(c.base.Path)
	for _, s := range segments {
		b.WriteByte('/')
		b.WriteString(s)
	}
	if withRaw {
		b.WriteString(c.baseEsc)
		for _, s := range segments {
			b.WriteByte('/')
			b.WriteString(url.PathEscape(s))
		}
	}
	writeQuery(&b, q, keys)
	all := b.String()
	*u = *c.base
	u.Path, u.RawPath, u.RawQuery = all[:rawLen], "", all[n:]
	if withRaw {
		u.RawPath = all[rawLen:n]
	}
	return nil
}

// queryLen is the length of q encoded by writeQuery.
func queryLen(q url.Values, keys []string) int {
	n := 0
	for _, k := range keys {
		for _, v := range q[k] {
			n += queryEscapedLen(k) + 1 + queryEscapedLen(v) + 1
		}
	}
	return max(n-1, 0)
}

// writeQuery writes q as url.Values.Encode does, keys in the order of
// keys (sorted).
func writeQuery(b *strings.Builder, q url.Values, keys []string) {
	first := true
	for _, k := range keys {
		for _, v := range q[k] {
			if !first {
				b.WriteByte('&')
			}
			first = false
			writeQueryEscaped(b, k)
			b.WriteByte('=')
			writeQueryEscaped(b, v)
		}
	}
}

// queryEscapedLen is len(url.QueryEscape(s)), without allocating.
func queryEscapedLen(s string) int {
	n := len(s)
	for i := 0; i < len(s); i++ {
		if c := s[i]; c != ' ' && queryEscapes(c) {
			n += 2
		}
	}
	return n
}

// writeQueryEscaped writes url.QueryEscape(s), without allocating.
func writeQueryEscaped(b *strings.Builder, s string) {
	const hex = "0123456789ABCDEF"
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == ' ':
			b.WriteByte('+')
		case queryEscapes(c):
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
		default:
			b.WriteByte(c)
		}
	}
}

// queryEscapes reports whether url.QueryEscape escapes c: everything but
// letters, digits and - _ . ~ (a space becomes +).
func queryEscapes(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return false
	case c == '-', c == '_', c == '.', c == '~':
		return false
	}
	return true
}

// Request is one call.
type Request struct {
	Method string
	// URL is an absolute URL, such as an endpoint from discovery; when nil
	// the URL is the base URL followed by Path.
	URL  *url.URL
	Path []string // segments, escaped one by one
	// Query is added to the URL's query.
	Query url.Values

	JSON any        // body, encoded as JSON
	Form url.Values // body, form-encoded
	// Body is a body sent as it is, with ContentType (text/plain for a
	// localization text, multipart/form-data for an uploaded file).
	Body        []byte
	ContentType string

	// Auth supplies the bearer token. On a 401 answer a source that is a
	// kc.TokenInvalidator drops its token and the request is sent once more
	// with a fresh one.
	Auth kc.TokenSource
	// TokenRejected, when set, tells which other error answers mean that
	// the token was rejected, with the same drop-and-retry-once: the
	// Protection API answers a bad PAT with 403 invalid_bearer_token.
	TokenRejected func(*kc.APIError) bool
	// BasicUser and BasicPassword, when BasicUser is set, are sent as HTTP
	// Basic credentials, each form-encoded first as RFC 6749 §2.3.1 says.
	BasicUser, BasicPassword string

	Header http.Header // more headers

	// CreatedIn, when set, is another collection (path segments, like
	// Path) whose URL plus one segment a 201's Location may be, besides
	// the request URL plus one segment: Keycloak answers a new child group
	// with its place under /groups.
	CreatedIn []string

	// Idempotent marks a POST as safe to repeat, so it is retried like a GET.
	Idempotent bool
	// NoRetry sends the request once whatever its method: for a request
	// whose repetition would fail or do harm, such as a code exchange.
	NoRetry bool
}

// Response is what the caller gets besides the decoded body.
type Response struct {
	StatusCode int
	Header     http.Header
	// Location is the Location header, and ID its last path segment,
	// unescaped: the ID of what a 201 answer created.
	Location string
	ID       string
}

// Do sends req and decodes a success body into out: nil discards it, a
// *[]byte receives it raw (at most MaxRawBody bytes), anything else is
// decoded as JSON, streamed, and must be one JSON value with nothing after
// it. A body longer than the client's limit (kc.WithMaxResponseBody) is an
// error wrapping kc.ErrResponseTooLarge. An empty body leaves out as it
// is. An answer of 400 or more is returned as a *kc.APIError; a redirect
// is never followed but returned as an error wrapping kc.ErrRedirect; the
// Location of a 201 answer must be the request URL plus one segment (see
// Request.CreatedIn), which becomes Response.ID.
func (c *Client) Do(ctx context.Context, req *Request, out any) (*Response, error) {
	if ctx == nil {
		return nil, fmt.Errorf("%s: nil context", c.pkg)
	}
	cl := new(call)
	u := &cl.url
	if err := c.requestURL(req, u); err != nil {
		return nil, err
	}
	body, ctype, err := encodeBody(req)
	if err != nil {
		return nil, fmt.Errorf("%s: %s %s: encoding body: %w", c.pkg, req.Method, redact.URL(u), err)
	}
	hc := c.once
	if !req.NoRetry && (req.Idempotent || idempotentMethod(req.Method)) {
		hc = c.http
	}
	for attempt := 0; ; attempt++ {
		resp, tok, err := c.send(ctx, hc, req, u, body, ctype)
		if err != nil {
			return nil, err
		}
		if inv, ok := req.Auth.(kc.TokenInvalidator); ok && attempt == 0 && tok != nil {
			switch {
			case resp.StatusCode == http.StatusUnauthorized:
				drainClose(resp.Body)
				inv.InvalidateToken(tok)
				continue
			case req.TokenRejected != nil && resp.StatusCode >= 400:
				apiErr := DecodeError(req.Method, u, resp)
				drainClose(resp.Body)
				if req.TokenRejected(apiErr) {
					inv.InvalidateToken(tok)
					continue
				}
				return &Response{StatusCode: resp.StatusCode, Header: resp.Header}, apiErr
			}
		}
		return c.finish(ctx, req, cl, resp, out)
	}
}

// call holds what one Do needs besides the request, in one allocation:
// the URL, the bound on the answer's body and the Response.
type call struct {
	url  url.URL
	body limitReader
	resp Response
}

// requestURL sets u to the URL of req: req.URL or the base URL followed
// by req.Path, with req.Query added.
func (c *Client) requestURL(req *Request, u *url.URL) error {
	if req.URL == nil {
		return c.buildURL(u, req.Path, req.Query)
	}
	if !req.URL.IsAbs() {
		return fmt.Errorf("%s: URL %q is not absolute", c.pkg, redact.URL(req.URL))
	}
	*u = *req.URL
	if len(req.Query) > 0 && u.RawQuery == "" {
		u.RawQuery = req.Query.Encode()
	} else if len(req.Query) > 0 {
		q := u.Query()
		for k, vs := range req.Query {
			for _, v := range vs {
				q.Add(k, v)
			}
		}
		u.RawQuery = q.Encode()
	}
	return nil
}

func encodeBody(req *Request) ([]byte, []string, error) {
	switch {
	case (req.JSON != nil && req.Form != nil) || (req.Body != nil && (req.JSON != nil || req.Form != nil)):
		return nil, nil, errors.New("more than one body")
	case req.Body != nil:
		if req.ContentType == "" {
			return nil, nil, errors.New("a raw body without a content type")
		}
		return req.Body, []string{req.ContentType}, nil
	case req.JSON != nil:
		b, err := json.Marshal(req.JSON)
		return b, contentJSON, err
	case req.Form != nil:
		return []byte(req.Form.Encode()), contentForm, nil
	}
	return nil, nil, nil
}

func (c *Client) send(ctx context.Context, hc *retryablehttp.Client, req *Request, u *url.URL, body []byte, ctype []string) (*http.Response, *kc.Token, error) {
	h := make(http.Header, 4+len(req.Header))
	for k, vs := range req.Header {
		h[k] = append([]string(nil), vs...)
	}
	h["User-Agent"] = c.userAgent
	if len(h["Accept"]) == 0 {
		h["Accept"] = acceptJSON
	}
	if ctype != nil {
		h["Content-Type"] = ctype
	}
	hr := (&http.Request{
		Method: req.Method, URL: u, Header: h, Host: u.Host,
		Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
	}).WithContext(ctx)
	if req.BasicUser != "" {
		hr.SetBasicAuth(url.QueryEscape(req.BasicUser), url.QueryEscape(req.BasicPassword))
	}
	var tok *kc.Token
	if req.Auth != nil {
		var err error
		tok, err = req.Auth.Token(ctx)
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %s %s: getting token: %w", c.pkg, req.Method, redact.URL(u), err)
		}
		if tok == nil || tok.AccessToken == "" {
			return nil, nil, fmt.Errorf("%s: %s %s: token source returned no access token", c.pkg, req.Method, redact.URL(u))
		}
		h["Authorization"] = c.bearerValue(tok)
	}
	resp, err := roundTrip(ctx, hc, hr, body)
	if err != nil {
		return nil, nil, c.transportError(ctx, req.Method, u, err)
	}
	return resp, tok, nil
}

// bearerValue returns the Authorization header's value for tok, reusing
// the last one when tok is the same token.
func (c *Client) bearerValue(tok *kc.Token) []string {
	if b := c.bearer.Load(); b != nil && b.tok == tok && b.value[0][len("Bearer "):] == tok.AccessToken {
		return b.value
	}
	v := []string{"Bearer " + tok.AccessToken}
	c.bearer.Store(&bearerHeader{tok: tok, value: v})
	return v
}

func (c *Client) transportError(ctx context.Context, method string, u *url.URL, err error) error {
	if ue, ok := errors.AsType[*url.Error](err); ok {
		err = ue.Err // its message holds the unredacted URL
	}
	return fmt.Errorf("%s: %s %s: %w", c.pkg, method, redact.URL(u), c.deadlineError(ctx, err))
}

// deadlineError says which deadline ended an attempt: the call's context
// (its own error, which says whether it was cancelled or ran out of time)
// or the per-attempt timeout (an error matching both kc.ErrAttemptTimeout
// and context.DeadlineExceeded). Other errors are returned as they are.
func (c *Client) deadlineError(ctx context.Context, err error) error {
	switch ctxErr := ctx.Err(); {
	case ctxErr == context.DeadlineExceeded:
		return errCallDeadline
	case ctxErr != nil:
		return ctxErr
	case errors.Is(err, context.DeadlineExceeded):
		return &attemptTimeoutError{limit: c.timeout, by: c.timeoutBy, cause: err}
	}
	return err
}

// errCallDeadline is the error of a call whose context's deadline passed.
var errCallDeadline error = callDeadlineError{}

type callDeadlineError struct{}

func (callDeadlineError) Error() string {
	return "context deadline exceeded (the deadline of the call's context)"
}
func (callDeadlineError) Is(target error) bool { return target == context.DeadlineExceeded }
func (callDeadlineError) Timeout() bool        { return true }

// attemptTimeoutError is the error of an attempt cut by the per-attempt
// timeout while the call's context still had time.
type attemptTimeoutError struct {
	limit time.Duration
	by    string
	cause error
}

func (e *attemptTimeoutError) Error() string {
	return fmt.Sprintf("attempt timed out: no complete answer within %v (the per-attempt timeout, %s; the call's context still had time)", e.limit, e.by)
}

func (e *attemptTimeoutError) Is(target error) bool {
	return target == kc.ErrAttemptTimeout || target == context.DeadlineExceeded
}

func (e *attemptTimeoutError) Unwrap() error { return e.cause }
func (e *attemptTimeoutError) Timeout() bool { return true }

func (c *Client) finish(ctx context.Context, req *Request, cl *call, resp *http.Response, out any) (*Response, error) {
	defer drainClose(resp.Body)
	method, u := req.Method, &cl.url
	r := &cl.resp
	r.StatusCode, r.Header = resp.StatusCode, resp.Header
	if resp.StatusCode >= 400 {
		return r, DecodeError(method, u, resp)
	}
	r.Location = resp.Header.Get("Location")
	if resp.StatusCode >= 300 {
		return r, fmt.Errorf("%s: %s %s: answered %d with Location %q: %w", c.pkg, method, redact.URL(u),
			resp.StatusCode, redact.String(r.Location), kc.ErrRedirect)
	}
	if resp.StatusCode == http.StatusCreated && r.Location != "" {
		id, err := c.createdID(req, u, r.Location)
		if err != nil {
			return r, err
		}
		r.ID = id
	}
	if out == nil || resp.StatusCode == http.StatusNoContent {
		return r, nil
	}
	body := &cl.body
	*body = limitReader{r: resp.Body, left: c.maxBody}
	if raw, ok := out.(*[]byte); ok {
		body.left = min(c.maxBody, MaxRawBody)
		b, err := io.ReadAll(body)
		if err != nil {
			return r, c.bodyError(ctx, method, u, resp, body, err)
		}
		*raw = b
		return r, nil
	}
	if d, ok := out.(BodyDecoder); ok {
		return r, c.decodeWhole(ctx, method, u, resp, body, d)
	}
	dec := json.NewDecoder(body)
	if err := dec.Decode(out); err != nil && err != io.EOF {
		return r, c.bodyError(ctx, method, u, resp, body, err)
	}
	// One JSON value, nothing after it but white space.
	if _, err := dec.Token(); err != io.EOF {
		if !body.over {
			err = errTrailing
		}
		return r, c.bodyError(ctx, method, u, resp, body, err)
	}
	return r, nil
}

// BodyDecoder is a result that decodes a whole success body itself, in one
// pass, such as the admin package's lists: Do reads the body into memory
// and calls DecodeBody, where it would otherwise stream the body into
// encoding/json, which scans a value whole before it hands it to an
// UnmarshalJSON method that decodes it again. DecodeBody must reject
// anything but exactly one JSON value, as json.Unmarshal does, and must
// not keep b, whose memory is reused. A body of only white space leaves
// the result as it is.
type BodyDecoder interface {
	DecodeBody(b []byte) error
}

// bodyBufs holds the buffers decodeWhole reads bodies into, each at most
// maxPooledBody bytes, so that listing page after page reuses one.
var bodyBufs sync.Pool // *[]byte

const (
	maxPooledBody = 1 << 20
	// maxPresize bounds the buffer sized from a Content-Length header:
	// beyond it the buffer grows as the body arrives.
	maxPresize = 16 << 20
)

func (c *Client) decodeWhole(ctx context.Context, method string, u *url.URL, resp *http.Response, body *limitReader, d BodyDecoder) error {
	bp, _ := bodyBufs.Get().(*[]byte)
	if bp == nil {
		bp = new([]byte)
	}
	b := (*bp)[:0]
	if n := resp.ContentLength; n > int64(cap(b)) {
		b = make([]byte, 0, min(n, body.left, maxPresize)+1) // +1: the read that sees EOF
	}
	b, err := appendBody(b, body)
	if err == nil && len(bytes.TrimLeft(b, " \t\r\n")) > 0 {
		err = d.DecodeBody(b)
	}
	if err != nil {
		err = c.bodyError(ctx, method, u, resp, body, err)
	}
	if cap(b) <= maxPooledBody {
		*bp = b[:0]
		bodyBufs.Put(bp)
	}
	return err
}

// appendBody appends what r reads, up to EOF, to b.
func appendBody(b []byte, r io.Reader) ([]byte, error) {
	for {
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)]
		}
		n, err := r.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if err == io.EOF {
			return b, nil
		}
		if err != nil {
			return b, err
		}
	}
}

var errTrailing = errors.New("data after the JSON value")

// bodyError describes a failure to read or decode a success body: the
// limit when the body went past it, the context's error when it ended.
func (c *Client) bodyError(ctx context.Context, method string, u *url.URL, resp *http.Response, body *limitReader, err error) error {
	switch {
	case body.over:
		return fmt.Errorf("%s: %s %s: %d answer: body exceeds the limit of %d bytes: %w", c.pkg, method, redact.URL(u),
			resp.StatusCode, body.limit(), kc.ErrResponseTooLarge)
	case resp.Request != nil && resp.Request.Context().Err() != nil:
		// The per-attempt timeout ends the request's context too.
		err = context.DeadlineExceeded
	}
	return fmt.Errorf("%s: %s %s: decoding %d answer: %w", c.pkg, method, redact.URL(u), resp.StatusCode, c.deadlineError(ctx, err))
}

// limitReader is the one bound on what kc reads of an answer: it returns
// at most left bytes, then errLimit if more would follow. Error bodies
// are cut there (kc.MaxErrorBody), success bodies fail there.
type limitReader struct {
	r    io.Reader
	left int64
	read int64
	over bool
}

var errLimit = errors.New("body limit reached")

func (l *limitReader) Read(p []byte) (int, error) {
	if l.over {
		return 0, errLimit
	}
	if int64(len(p)) > l.left+1 {
		p = p[:l.left+1]
	}
	n, err := l.r.Read(p)
	if int64(n) > l.left {
		n, l.over, err = int(l.left), true, errLimit
	}
	l.left -= int64(n)
	l.read += int64(n)
	return n, err
}

func (l *limitReader) limit() int64 { return l.read + l.left }

// createdID returns the ID in the Location of a 201 answer: the one
// segment after the request URL (or after the collection of
// req.CreatedIn), on the same origin. Anything else, such as another host,
// realm or collection, or a dot segment, is an error: the ID would name
// something other than what was created.
func (c *Client) createdID(req *Request, u *url.URL, loc string) (string, error) {
	bad := func() (string, error) {
		return "", fmt.Errorf("%s: %s %s: 201 answer's Location %q is not the request URL plus one segment",
			c.pkg, req.Method, redact.URL(u), redact.String(loc))
	}
	lu, err := url.Parse(loc)
	if err != nil {
		return bad()
	}
	lu = u.ResolveReference(lu)
	if !origin.Same(u, lu) {
		return bad()
	}
	got, ok := pathSegments(lu.EscapedPath())
	if !ok || len(got) == 0 {
		return bad()
	}
	id := got[len(got)-1]
	if id == "" || id == "." || id == ".." {
		return bad()
	}
	parents := [][]string{nil}
	if reqSegs, ok := pathSegments(u.EscapedPath()); ok {
		parents[0] = reqSegs
	}
	if req.CreatedIn != nil {
		cu, err := c.URL(req.CreatedIn...)
		if err != nil {
			return "", err
		}
		if segs, ok := pathSegments(cu.EscapedPath()); ok {
			parents = append(parents, segs)
		}
	}
	for _, p := range parents {
		if p != nil && slices.Equal(p, got[:len(got)-1]) {
			return id, nil
		}
	}
	return bad()
}

// pathSegments splits an escaped path into its unescaped segments,
// ignoring one trailing slash.
func pathSegments(p string) ([]string, bool) {
	p = strings.TrimPrefix(strings.TrimSuffix(p, "/"), "/")
	if p == "" {
		return []string{}, true
	}
	segs := strings.Split(p, "/")
	for i, s := range segs {
		v, err := url.PathUnescape(s)
		if err != nil {
			return nil, false
		}
		segs[i] = v
	}
	return segs, true
}

var drainBufs = sync.Pool{New: func() any { b := make([]byte, 512); return &b }}

// drainClose reads what is left of a body, up to 4 KiB, so that the
// connection can be reused, and closes it.
func drainClose(rc io.ReadCloser) {
	bp := drainBufs.Get().(*[]byte)
	for n := 0; n < 4<<10; {
		k, err := rc.Read(*bp)
		n += k
		if err != nil {
			break
		}
	}
	drainBufs.Put(bp)
	rc.Close()
}

// DecodeError reads at most kc.MaxErrorBody bytes of an error answer and
// fills a *kc.APIError from whichever of Keycloak's error shapes it holds.
func DecodeError(method string, u *url.URL, resp *http.Response) *kc.APIError {
	body, _ := io.ReadAll(&limitReader{r: resp.Body, left: kc.MaxErrorBody})
	e := &kc.APIError{
		StatusCode:      resp.StatusCode,
		Method:          method,
		URL:             redact.URL(u),
		WWWAuthenticate: resp.Header.Get("WWW-Authenticate"),
		Body:            body,
	}
	var wire struct {
		Error            string          `json:"error"`
		ErrorDescription string          `json:"error_description"`
		ErrorMessage     string          `json:"errorMessage"`
		Field            string          `json:"field"`
		Params           []any           `json:"params"`
		Errors           []kc.FieldError `json:"errors"`
	}
	if json.Unmarshal(bytes.TrimSpace(body), &wire) == nil {
		e.ErrorCode, e.ErrorDescription = wire.Error, wire.ErrorDescription
		e.ErrorMessage, e.Field, e.Params, e.Errors = wire.ErrorMessage, wire.Field, wire.Params, wire.Errors
	}
	if e.ErrorCode == "" && e.WWWAuthenticate != "" {
		params := ParseChallenge(e.WWWAuthenticate)
		e.ErrorCode, e.ErrorDescription = params["error"], params["error_description"]
	}
	return e
}

// ParseChallenge returns the auth-params of a WWW-Authenticate challenge
// such as `Bearer realm="r", error="invalid_token"`, keys lower-cased, and
// the scheme under the key "" .
func ParseChallenge(h string) map[string]string {
	m := map[string]string{}
	h = strings.TrimSpace(h)
	scheme, rest, _ := strings.Cut(h, " ")
	m[""] = scheme
	for rest = strings.TrimSpace(rest); rest != ""; rest = strings.TrimSpace(rest) {
		k, v, ok := strings.Cut(rest, "=")
		if !ok {
			break
		}
		k = strings.ToLower(strings.TrimSpace(k))
		v = strings.TrimLeft(v, " ")
		if strings.HasPrefix(v, `"`) {
			var b strings.Builder
			i := 1
			for ; i < len(v) && v[i] != '"'; i++ {
				if v[i] == '\\' && i+1 < len(v) {
					i++
				}
				b.WriteByte(v[i])
			}
			m[k] = b.String()
			rest = v[min(i+1, len(v)):]
		} else {
			val, after, _ := strings.Cut(v, ",")
			m[k] = strings.TrimSpace(val)
			rest = after
			continue
		}
		rest = strings.TrimLeft(rest, " ")
		rest = strings.TrimPrefix(rest, ",")
	}
	return m
}

func idempotentMethod(m string) bool {
	switch m {
	case http.MethodGet, http.MethodHead, http.MethodPut, http.MethodDelete, http.MethodOptions:
		return true
	}
	return false
}

// defaultHTTPClient is used when the caller gives none.
func defaultHTTPClient() *http.Client {
	return &http.Client{Transport: cleanhttp.DefaultPooledTransport()}
}

// SharedHTTPClient returns a new pooled client for several API clients to
// share, so they share connections.
func SharedHTTPClient() *http.Client { return defaultHTTPClient() }
