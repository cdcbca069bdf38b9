package kctest

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"
)

// File layout, for the areas that extend kctest:
//
//	server.go, requests.go, faults.go   Server, options, routing, request log, faults
//	httputil.go                         JSON writer, the four error families, form parsing
//	clock.go, keys.go, jwt.go           clock, RSA keys and JWKS, JWT signing/verifying
//	model_*.go                          the store: realm, users, clients, roles, groups,
//	                                    client scopes, sessions (all guarded by Server.mu)
//	seed.go, import.go                  the exported seeding API and realm import
//	tokens.go, bearer.go                minting and checking tokens, bearer authentication
//	oidc*.go                            the OpenID Connect endpoints (registerOIDC)
//	admin_*.go                          the Admin REST API (registerAdmin); admin_bodies.go
//	                                    binds request bodies as Keycloak's Jackson does
//	                                    (representations.json: the members Keycloak knows)
//	authz_*.go                          authorization services (registerAuthz), to come;
//	                                    authz_model.go holds the resourceServer placeholder
//
// Handlers lock s.mu themselves (the write lock whenever they may touch
// sessions), take the realm with s.lookupRealm, and answer errors with
// writeOAuthError, writeErrorMessage, writeFieldErrors or writeGenericError.
// Reusable store helpers: realm.findClientByClientID, findUserByUsername,
// findGroupByPath, effectiveRoles, effectiveRealmRoles,
// effectiveClientRoles, hasRole, newUserSession, session,
// removeUserSessions, enableServiceAccount, enableAuthorization; on Server:
// verifyBearer, authenticateClient, mintAccessToken, issueTokens,
// checkAccessToken, registerGrant (the UMA grant plugs into the token
// endpoint with it).

// Server is an in-memory Keycloak 26 server. It is safe for concurrent use.
type Server struct {
	// URL is the server's base URL, such as "http://127.0.0.1:34567" or,
	// with [WithBasePath], "http://127.0.0.1:34567/auth". It is empty for a
	// server made by [New] until it is served.
	URL string

	basePath  string
	clock     timeSource
	adminUser string
	adminPass string

	handler  http.Handler
	listener net.Listener
	httpSrv  *http.Server
	closeMu  sync.Mutex
	closed   bool

	// mu guards the store: realms and everything in them, and nextKey.
	mu      sync.RWMutex
	realms  map[string]*realm
	nextKey int
	grants  map[string]*grantType

	faults   faultSet
	requests requestLog
	mail     mailbox

	// features holds the enabled version of each feature (features.go);
	// it never changes after New.
	features featureSet

	httpClient *http.Client
	logger     *slog.Logger
}

// Option configures a [Server].
type Option func(*config)

type config struct {
	clock     timeSource
	basePath  string
	adminUser string
	adminPass string
	imports   []importSource
	logger    *slog.Logger
	// requestLog is the request log's size (WithRequestLog).
	requestLog int
	// featuresOn and featuresOff are WithFeatures and WithFeaturesDisabled.
	featuresOn, featuresOff []string
	// mailLog and mailHandler: WithMailLog, WithMailHandler (mail.go).
	mailLog     int
	mailLogSet  bool
	mailHandler func(Mail)
}

type importSource struct {
	path string
	data []byte
}

// WithClock makes the server tell time by now, such as a [FakeClock]'s
// Now. It takes the same type as oidc.WithClock, so one clock drives both
// sides of a test. A nil now keeps the system clock.
func WithClock(now func() time.Time) Option {
	return func(o *config) {
		if now != nil {
			o.clock = funcClock(now)
		}
	}
}

// WithBasePath serves every route under p, as Keycloak's
// --http-relative-path does; WithBasePath("/auth") gives the layout of
// Keycloak 16 and older. Issuers follow: {scheme}://{host}/auth/realms/{r}.
func WithBasePath(p string) Option {
	return func(o *config) { o.basePath = "/" + strings.Trim(p, "/") }
}

// WithLogger sets where the server logs what a client cannot see in an
// answer, such as a token request that failed because the realm configures
// a protocol mapper type kctest does not implement. The default is
// [slog.Default].
func WithLogger(l *slog.Logger) Option { return func(o *config) { o.logger = l } }

// WithBootstrapAdmin sets the master realm's bootstrap admin user (default
// admin/admin).
func WithBootstrapAdmin(username, password string) Option {
	return func(o *config) { o.adminUser, o.adminPass = username, password }
}

// WithRealmFile imports a realm export (RealmRepresentation JSON) when the
// server starts.
func WithRealmFile(path string) Option {
	return func(o *config) { o.imports = append(o.imports, importSource{path: path}) }
}

// WithRealmJSON imports a realm export given as JSON when the server starts.
func WithRealmJSON(data []byte) Option {
	return func(o *config) { o.imports = append(o.imports, importSource{data: bytes.Clone(data)}) }
}

// New returns a server that is not listening: serve [Server.Handler]
// yourself (cmd/kcdev does). Tokens take their issuer from each request's
// Host. The master realm exists with the bootstrap admin.
func New(opts ...Option) (*Server, error) {
	cfg := config{clock: systemClock{}, adminUser: "admin", adminPass: "admin", requestLog: DefaultRequestLogSize}
	for _, o := range opts {
		o(&cfg)
	}
	if cfg.basePath == "/" {
		cfg.basePath = ""
	}
	if cfg.clock == nil {
		cfg.clock = systemClock{}
	}
	features, err := resolveFeatures(cfg.featuresOn, cfg.featuresOff)
	if err != nil {
		return nil, err
	}
	s := &Server{
		features:   features,
		basePath:   cfg.basePath,
		clock:      cfg.clock,
		adminUser:  cfg.adminUser,
		adminPass:  cfg.adminPass,
		requests:   requestLog{size: cfg.requestLog},
		mail:       mailbox{size: DefaultMailLogSize, handler: cfg.mailHandler},
		realms:     map[string]*realm{},
		grants:     map[string]*grantType{},
		httpClient: &http.Client{Timeout: 10 * time.Second},
		logger:     cfg.logger,
	}
	if s.logger == nil {
		s.logger = slog.Default()
	}
	if cfg.mailLogSet {
		s.mail.size = cfg.mailLog
	}
	if err := s.initMaster(); err != nil {
		return nil, err
	}
	for _, src := range cfg.imports {
		data := src.data
		if src.path != "" {
			b, err := os.ReadFile(src.path)
			if err != nil {
				return nil, fmt.Errorf("kctest: %w", err)
			}
			data = b
		}
		if _, err := s.ImportRealm(bytes.NewReader(data)); err != nil {
			if src.path != "" {
				return nil, importingError{src.path, err}
			}
			return nil, err
		}
	}
	s.handler = s.buildHandler()
	return s, nil
}

// NewServer starts a server on a loopback port. Close it when done.
func NewServer(opts ...Option) (*Server, error) {
	s, err := New(opts...)
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("kctest: listen: %w", err)
	}
	s.listener = ln
	s.URL = "http://" + ln.Addr().String() + s.basePath
	s.httpSrv = &http.Server{Handler: s.handler, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = s.httpSrv.Serve(ln) }()
	return s, nil
}

// Start is NewServer for tests: it fails tb on error and closes the server
// when the test ends.
func Start(tb testing.TB, opts ...Option) *Server {
	tb.Helper()
	s, err := NewServer(opts...)
	if err != nil {
		tb.Fatalf("kctest: %v", err)
	}
	tb.Cleanup(s.Close)
	return s
}

// Handler returns the server's HTTP handler: every route with fault
// injection and request logging in front.
func (s *Server) Handler() http.Handler { return s.handler }

// BasePath returns the path prefix set by [WithBasePath], or "".
func (s *Server) BasePath() string { return s.basePath }

// Close stops a server started by [NewServer], closing its connections.
func (s *Server) Close() {
	s.closeMu.Lock()
	defer s.closeMu.Unlock()
	if s.closed {
		return
	}
	s.closed = true
	if s.httpSrv != nil {
		_ = s.httpSrv.Close()
	}
	s.httpClient.CloseIdleConnections()
}

// Shutdown gracefully stops a server started by [NewServer].
func (s *Server) Shutdown(ctx context.Context) error {
	if s.httpSrv == nil {
		return nil
	}
	return s.httpSrv.Shutdown(ctx)
}

// now returns the clock's time.
func (s *Server) now() time.Time { return s.clock.Now() }

// Issuer returns the issuer of realm for tokens requested through s.URL.
func (s *Server) Issuer(realmName string) string { return issuerFor(s.URL, realmName) }

// baseURL returns {scheme}://{host}{basePath} of the request, like
// Keycloak's default hostname provider.
func (s *Server) baseURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host + s.basePath
}

// issuer returns the realm issuer for the request.
func (s *Server) issuer(r *http.Request, realmName string) string {
	return issuerFor(s.baseURL(r), realmName)
}

// buildHandler registers every route. Each area adds its routes in its own
// register function; the admin REST API and authorization services add
// theirs here when they exist.
func (s *Server) buildHandler() http.Handler {
	mux := http.NewServeMux()
	s.registerOIDC(mux)               // oidc_*.go
	s.registerAdmin(mux)              // admin_*.go: the Admin REST API
	s.registerClientRegistration(mux) // client_registration.go
	s.registerAuthz(mux)              // authz_*.go: UMA, the Protection API, admin resource servers
	return s.logRequests(s.injectFaults(s.limitBodies(s.withCORS(s.featureGate(s.jaxrsErrors(mux))))))
}

// jaxrsErrors serves mux, but answers a path no route has with 404 and a
// method the path's routes lack with 405 and an Allow header, both in
// Keycloak's JAX-RS error shape. There is deliberately no catch-all "/"
// route: it would match every method and hide ServeMux's 405. Under
// /realms/{realm}/protocol/ the realm is looked up before the method is
// matched, as Keycloak's sub-resource locator does, so an unknown realm
// answers 404 "Realm does not exist" there.
func (s *Server) jaxrsErrors(mux *http.ServeMux) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h, pattern := mux.Handler(r)
		if pattern != "" {
			mux.ServeHTTP(w, r)
			return
		}
		if r2 := withoutTrailingSlash(r); r2 != nil {
			if _, pattern := mux.Handler(r2); pattern != "" {
				mux.ServeHTTP(w, r2)
				return
			}
		}
		// No route: ServeMux's own handler decides between 404, 405 (with
		// Allow) and a redirect to the clean path; keep its status and
		// headers, and give errors Keycloak's body.
		rec := &muxAnswer{header: http.Header{}}
		h.ServeHTTP(rec, r)
		if _, admin := adminCORSExpose(strings.TrimPrefix(r.URL.Path, s.basePath)); admin && rec.status == http.StatusMethodNotAllowed {
			// AdminRoot's locators hand OPTIONS to AdminCorsPreflightService
			// and every other method to the resource, whose methods alone
			// make the Allow header.
			rec.header.Set("Allow", withoutOptions(rec.header.Get("Allow")))
		}
		if rec.status == http.StatusMethodNotAllowed && (rec.header.Get("Allow") == http.MethodOptions || rec.header.Get("Allow") == "") {
			// Only the CORS preflight route matched: the path is unknown.
			rec.status = http.StatusNotFound
		}
		if rec.status == http.StatusMethodNotAllowed && !s.protocolRealmExists(r) {
			writeGenericError(w, http.StatusNotFound, "Realm does not exist")
			return
		}
		switch rec.status {
		case http.StatusNotFound:
			writeGenericError(w, http.StatusNotFound, "HTTP 404 Not Found")
		case http.StatusMethodNotAllowed:
			w.Header().Set("Allow", rec.header.Get("Allow"))
			writeGenericError(w, http.StatusMethodNotAllowed, "HTTP 405 Method Not Allowed")
		default:
			for k, vs := range rec.header {
				w.Header()[k] = vs
			}
			w.WriteHeader(rec.status)
			_, _ = w.Write(rec.body.Bytes())
		}
	})
}

// withoutOptions returns the Allow list allow without OPTIONS.
func withoutOptions(allow string) string {
	var out []string
	for _, m := range strings.Split(allow, ",") {
		if m = strings.TrimSpace(m); m != "" && m != http.MethodOptions {
			out = append(out, m)
		}
	}
	return strings.Join(out, ", ")
}

// withoutTrailingSlash returns r with one trailing "/" taken off its path,
// or nil when the path has none to take. JAX-RS matches a resource path
// with or without one trailing slash (RESTEasy's
// ResourceMethodRegistry / Quarkus REST's URI template matching), and real
// clients rely on it: the Node admin client creates a realm with
// POST /admin/realms/. Doing it here, once, gives every route the same
// rule.
func withoutTrailingSlash(r *http.Request) *http.Request {
	p := r.URL.Path
	if len(p) < 2 || !strings.HasSuffix(p, "/") || strings.HasSuffix(p, "//") {
		return nil
	}
	r2 := new(http.Request)
	*r2 = *r
	u := *r.URL
	u.Path = p[:len(p)-1]
	if u.RawPath != "" {
		u.RawPath = strings.TrimSuffix(u.RawPath, "/")
	}
	r2.URL = &u
	return r2
}

// muxAnswer records what ServeMux's not-found, not-allowed or redirect
// handler answers.
type muxAnswer struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (a *muxAnswer) Header() http.Header { return a.header }

func (a *muxAnswer) WriteHeader(code int) {
	if a.status == 0 {
		a.status = code
	}
}

func (a *muxAnswer) Write(b []byte) (int, error) {
	a.WriteHeader(http.StatusOK)
	return a.body.Write(b)
}

// handle registers h for "METHOD /path" under the base path.
func (s *Server) handle(mux *http.ServeMux, method, path string, h http.HandlerFunc) {
	mux.HandleFunc(method+" "+s.basePath+path, h)
}

// readAllLimited reads a request body up to its route's limit (see
// limitBodies), or at most maxBodyBytes of any other reader.
func readAllLimited(r io.Reader) ([]byte, error) { return readBody(r) }

// protocolRealmExists reports false for a path under
// /realms/{realm}/protocol/ whose realm does not exist, true otherwise.
func (s *Server) protocolRealmExists(r *http.Request) bool {
	rest, ok := strings.CutPrefix(strings.TrimPrefix(r.URL.Path, s.basePath), "/realms/")
	if !ok {
		return true
	}
	name, tail, _ := strings.Cut(rest, "/")
	if !strings.HasPrefix(tail, "protocol/") {
		return true
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.realms[name] != nil
}
