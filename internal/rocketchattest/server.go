package rocketchattest

import (
	"bytes"
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"
)

// Credentials are a seeded user's login: user ID plus auth token for the
// X-User-Id/X-Auth-Token headers, and username plus password for /api/v1/login.
type Credentials struct {
	UserID    string
	Username  string
	Password  string
	AuthToken string
}

type config struct {
	listen        string
	rateCalls     int
	rateWindow    time.Duration
	version       string
	messageEvents bool
	typedErrors   bool
	siteURL       string
	stableTies    bool
	now           func() time.Time
	// outgoingHosts are the hosts outgoing integrations may call besides
	// loopback ones; anyOutgoingHost lifts the restriction.
	outgoingHosts   []string
	anyOutgoingHost bool
	retrySleep      func(ctx context.Context, d time.Duration) error
	scriptTimeout   time.Duration

	// HTTPS (tls.go) and the access gateway in front (gateway.go).
	tls             bool
	tlsNames        []string
	certNames       []string
	expiredCert     bool
	clientAuth      bool
	requiredHeaders []requiredHeader
}

// Option configures a Server.
type Option func(*config)

// WithListenAddr sets the address to listen on (default "127.0.0.1:0", a free
// loopback port).
func WithListenAddr(addr string) Option { return func(c *config) { c.listen = addr } }

// DefaultRateLimit and DefaultRateWindow are the limit of a fresh
// Rocket.Chat, which this server applies unless told otherwise: 10 calls per
// 60 s per endpoint and method, per client IP, for every user without
// api-bypass-rate-limit.
const (
	DefaultRateLimit  = 10
	DefaultRateWindow = 60 * time.Second
)

// WithRateLimit sets the REST rate limiter: calls per window, per endpoint
// and method, per client IP, for users without api-bypass-rate-limit (the
// admin and the bot bypass it, as in Rocket.Chat). Without it the server
// applies Rocket.Chat's default, 10 calls per 60 s.
func WithRateLimit(calls int, window time.Duration) Option {
	return func(c *config) { c.rateCalls, c.rateWindow = calls, window }
}

// WithoutRateLimit turns the rate limiter off, as an administrator can
// (API_Enable_Rate_Limiter); for tests that make many calls as users the
// limit applies to and are about something else.
func WithoutRateLimit() Option { return func(c *config) { c.rateCalls, c.rateWindow = 0, 0 } }

// WithVersion sets the Rocket.Chat version the server reports (default "8.8.1").
func WithVersion(v string) Option { return func(c *config) { c.version = v } }

// WithMessageEvents accepts the outgoing events messageEdited and
// messageDeleted, which one development version of Rocket.Chat lists but the
// 8.8.1 types do not.
func WithMessageEvents() Option { return func(c *config) { c.messageEvents = true } }

// WithTypedRouteErrors reports request validation failures the way
// Rocket.Chat's typed routes do (no " [invalid-params]" suffix; errorType
// "error-invalid-params" for query strings) instead of the legacy format that
// Rocket.Chat's own tests assert. Which one a given 8.x release uses could not
// be confirmed.
func WithTypedRouteErrors() Option { return func(c *config) { c.typedErrors = true } }

// WithSiteURL sets Rocket.Chat's Site_Url setting, the address its users
// reach it at and the root of the webhook URLs its UI shows (default: the
// server's own URL). It may differ from the address a client uses, as
// behind a proxy or on an internal network.
func WithSiteURL(u string) Option { return func(c *config) { c.siteURL = u } }

// WithStableTies makes lists return documents that tie on the sort key in
// the order they were stored, which MongoDB, and so Rocket.Chat, does not
// promise. By default every request gets a new random order of ties, so that
// no client passes by luck.
func WithStableTies() Option { return func(c *config) { c.stableTies = true } }

// WithClock replaces the server's clock (dates in documents, rate limit windows).
func WithClock(now func() time.Time) Option { return func(c *config) { c.now = now } }

// Server is an in-memory Rocket.Chat listening on loopback.
type Server struct {
	cfg     config
	ln      net.Listener
	httpSrv *http.Server
	url     string
	done    chan struct{}
	limiter *rateLimiter
	ca      *certAuthority // nil without TLS

	mu    sync.Mutex // guards st and creds
	st    store
	creds map[string]Credentials

	faultMu sync.Mutex // guards faults and counts
	faults  map[string][]Fault
	counts  map[string]int
	limited map[string]int

	// Outgoing integrations' deliveries. Lock order: mu before outMu.
	outCtx    context.Context // cancelled by Close
	outCancel context.CancelFunc
	outClient *http.Client
	outMu     sync.Mutex    // guards the fields below
	inFlight  int           // deliveries started and not finished, retries included
	outIdle   chan struct{} // closed while inFlight is 0
	outClosed bool
	scripts   scriptCache // compiled integration scripts, by _id
}

// NewServer starts a server with seeded users, rooms and permissions. It
// panics when it cannot listen, like httptest.NewServer.
func NewServer(opts ...Option) *Server {
	s, err := Start(opts...)
	if err != nil {
		panic(err)
	}
	return s
}

// Start is NewServer returning the listen error instead of panicking.
func Start(opts ...Option) (*Server, error) {
	cfg := config{
		listen: "127.0.0.1:0", version: "8.8.1", now: time.Now, rateCalls: DefaultRateLimit, rateWindow: DefaultRateWindow,
		retrySleep: sleepContext,
	}
	for _, o := range opts {
		o(&cfg)
	}
	host, _, err := net.SplitHostPort(cfg.listen)
	if err != nil {
		return nil, fmt.Errorf("rocketchattest: listen address %q: %w", cfg.listen, err)
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return nil, fmt.Errorf("rocketchattest: listen address %q is not a loopback address; this server has no real security and must not be reachable from other machines", cfg.listen)
	}
	ln, err := (&net.ListenConfig{}).Listen(context.Background(), "tcp", cfg.listen)
	if err != nil {
		return nil, fmt.Errorf("rocketchattest: %w", err)
	}
	scheme := "http"
	var ca *certAuthority
	if cfg.tls {
		var tlsCfg *tls.Config
		if ca, tlsCfg, err = serverTLSConfig(cfg); err != nil {
			_ = ln.Close()
			return nil, err
		}
		ln, scheme = tls.NewListener(ln, tlsCfg), "https"
	}
	s := &Server{
		cfg:     cfg,
		ln:      ln,
		url:     scheme + "://" + ln.Addr().String(),
		ca:      ca,
		done:    make(chan struct{}),
		faults:  map[string][]Fault{},
		counts:  map[string]int{},
		limited: map[string]int{},
		creds:   map[string]Credentials{},
	}
	s.initOutgoing()
	if cfg.rateCalls > 0 && cfg.rateWindow > 0 {
		s.limiter = newRateLimiter(cfg.rateCalls, cfg.rateWindow, cfg.now)
	}
	s.seed()
	s.httpSrv = &http.Server{Handler: s.withGateway(s), ReadHeaderTimeout: 10 * time.Second, ErrorLog: quietHandshakeLog()}
	go func() {
		defer close(s.done)
		_ = s.httpSrv.Serve(ln)
	}()
	return s, nil
}

// URL is the base URL, e.g. http://127.0.0.1:41234, without a trailing slash.
func (s *Server) URL() string { return s.url }

// Close stops the server and closes every connection; it stops the
// outgoing integrations' calls and retries under way and waits for them.
func (s *Server) Close() {
	_ = s.httpSrv.Close()
	<-s.done
	s.stopOutgoing()
}

func (s *Server) now() time.Time { return s.cfg.now() }

// Version is the Rocket.Chat version the server reports.
func (s *Server) Version() string { return s.cfg.version }

// seed creates the users, rooms and permissions of a fresh Rocket.Chat plus
// the users tests need.
func (s *Server) seed() {
	now := s.now()
	s.st = store{
		users:             map[string]*user{},
		rooms:             map[string]*room{},
		permissions:       defaultPermissions(),
		permissionUpdated: map[string]time.Time{},
		integrations:      map[string]map[string]any{},
	}
	for id := range s.st.permissions {
		s.st.permissionUpdated[id] = now
	}
	siteURL := s.cfg.siteURL
	if siteURL == "" {
		siteURL = s.url
	}
	s.st.settings = []setting{
		{id: "Site_Url", value: siteURL, public: true},
		{id: "Site_Name", value: "Rocket.Chat", public: true},
		{id: "API_Enable_Rate_Limiter", value: s.limiter != nil},
	}
	s.addUserLocked(AdminUsername, "Administrator", []string{"admin", "user"}, "user", "")
	s.addUserLocked(BotUsername, "Rocket.Cat", []string{"bot"}, "bot", BotUsername)
	s.addUserLocked(OwnerUsername, "Integration Owner", []string{"user", ownIntegrationsRole}, "user", "")
	s.addUserLocked(RegularUsername, "Regular User", []string{"user"}, "user", "")
	s.addUserLocked("alice", "Alice", []string{"user"}, "user", "")
	s.addUserLocked("bob", "Bob", []string{"user"}, "user", "")

	everyone := []string{AdminUsername, BotUsername, OwnerUsername, RegularUsername, "alice", "bob"}
	s.addRoomLocked(GeneralRoomID, "general", "c", everyone)
	s.addRoomLocked("", "random", "c", []string{AdminUsername, "alice", "bob"})
	s.addRoomLocked("", "dev", "c", []string{AdminUsername, OwnerUsername})
	s.addRoomLocked("", "ops-private", "p", []string{AdminUsername, OwnerUsername})
	s.addRoomLocked("", "secret", "p", []string{AdminUsername})
}

func (s *Server) addUserLocked(username, name string, roles []string, typ, id string) Credentials {
	if id == "" {
		id = meteorID()
	}
	c := Credentials{UserID: id, Username: username, Password: loginToken()[:20], AuthToken: loginToken()}
	s.st.users[id] = &user{
		id: id, username: username, name: name, email: username + "@example.com",
		password: c.Password, roles: slices.Clone(roles), typ: typ, active: true,
		tokens: map[string]bool{hashLoginToken(c.AuthToken): true}, createdAt: s.now(),
	}
	s.creds[username] = c
	return c
}

func (s *Server) addRoomLocked(id, name, typ string, members []string) {
	if id == "" {
		id = meteorID()
	}
	now := s.now()
	r := &room{id: id, name: name, typ: typ, members: map[string]bool{}, joined: map[string]membership{}, createdAt: now}
	for i, m := range members {
		if u := s.st.userByUsername(m); u != nil {
			if i == 0 {
				r.creator = u.id
			}
			s.st.join(r, u, now)
		}
	}
	s.st.rooms[id] = r
}

// Admin returns the administrator's credentials: all integration
// permissions, and no rate limit.
func (s *Server) Admin() Credentials { return s.User(AdminUsername) }

// Owner returns the credentials of a user holding only the
// manage-own-incoming-integrations and manage-own-outgoing-integrations
// permissions; a member of #general, #dev and the private group ops-private.
func (s *Server) Owner() Credentials { return s.User(OwnerUsername) }

// Regular returns the credentials of a user without integration permissions.
func (s *Server) Regular() Credentials { return s.User(RegularUsername) }

// User returns the credentials of a seeded or added user; the zero value when there is none.
func (s *Server) User(username string) Credentials {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.creds[username]
}

// AddUser creates a user with the given roles (e.g. "user", "bot", "admin")
// and returns its credentials.
func (s *Server) AddUser(username string, roles ...string) Credentials {
	s.mu.Lock()
	defer s.mu.Unlock()
	if u := s.st.userByUsername(username); u != nil {
		return s.creds[username]
	}
	return s.addUserLocked(username, username, roles, "user", "")
}

// AddRoom creates a public channel (or a private group when private) with
// the given member usernames. The administrator is always a member, as the
// Rocket.Chat reference advises for a test server.
func (s *Server) AddRoom(name string, private bool, members ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	typ := "c"
	if private {
		typ = "p"
	}
	s.addRoomLocked("", name, typ, append([]string{AdminUsername}, members...))
}

// DeleteUser removes a user, as an administrator would.
func (s *Server) DeleteUser(username string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if u := s.st.userByUsername(username); u != nil {
		delete(s.st.users, u.id)
		delete(s.creds, username)
	}
}

// SetPermission sets the roles that hold a permission, like the
// permission editor of Rocket.Chat's administration (e.g.
// SetPermission(PermManageIncoming) takes it from everyone).
func (s *Server) SetPermission(permission string, roles ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.st.permissions[permission] = slices.Clone(roles)
	s.st.permissionUpdated[permission] = s.now()
}

// SetSiteURL changes Rocket.Chat's Site_Url setting, as an administrator
// would under Administration → Settings → General.
func (s *Server) SetSiteURL(u string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := range s.st.settings {
		if s.st.settings[i].id == "Site_Url" {
			s.st.settings[i].value = u
		}
	}
}

// RoomID returns the _id of the room with that name ("" when none).
func (s *Server) RoomID(name string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if r := s.st.roomByName(name); r != nil {
		return r.id
	}
	return ""
}

// LeaveRoom removes a user from a room, as leaving it or being removed would.
func (s *Server) LeaveRoom(name, username string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, u := s.st.roomByName(name), s.st.userByUsername(username)
	if r != nil && u != nil {
		delete(r.members, u.id)
		delete(r.joined, u.id)
	}
}

// RemoveRoom deletes a room, as an administrator would.
func (s *Server) RemoveRoom(name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if r := s.st.roomByName(name); r != nil {
		delete(s.st.rooms, r.id)
	}
}

// ArchiveRoom archives a room, which stays readable and a valid target.
func (s *Server) ArchiveRoom(name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if r := s.st.roomByName(name); r != nil {
		r.archived = true
	}
}

// Roles returns a user's roles (Rocket.Chat adds "bot" to a webhook's post-as user).
func (s *Server) Roles(username string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if u := s.st.userByUsername(username); u != nil {
		return slices.Clone(u.roles)
	}
	return nil
}

// Integration returns a deep copy of the stored document with that _id.
func (s *Server) Integration(id string) (map[string]any, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	doc, ok := s.st.integrations[id]
	if !ok {
		return nil, false
	}
	return deepCopy(doc).(map[string]any), true
}

// Integrations returns deep copies of all stored documents in insertion order.
func (s *Server) Integrations() []map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]map[string]any, 0, len(s.st.order))
	for _, id := range s.st.order {
		out = append(out, deepCopy(s.st.integrations[id]).(map[string]any))
	}
	return out
}

// SetScriptError stores a compile error for an integration's script, as a
// Rocket.Chat whose compiler reads a script differently would (an older
// Babel, for instance): scriptError is set and scriptCompiled removed.
func (s *Server) SetScriptError(id, name, message string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	doc, ok := s.st.integrations[id]
	if !ok {
		return fmt.Errorf("rocketchattest: no integration %q", id)
	}
	doc["scriptError"] = map[string]any{"name": name, "message": message, "stack": name + ": " + message}
	delete(doc, "scriptCompiled")
	return nil
}

// Messages returns the messages webhooks posted into a room, named as in an
// integration's channel list ("#general", "@alice" for direct messages) or
// by room _id.
func (s *Server) Messages(target string) []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	rid := target
	switch {
	case strings.HasPrefix(target, "#"):
		if r := s.st.roomByIDOrName(target[1:]); r != nil {
			rid = r.id
		}
	case strings.HasPrefix(target, "@"):
		if u := s.st.userByIDOrUsername(target[1:]); u != nil {
			var out []Message
			for _, m := range s.st.messages {
				if m.DirectTo == u.username {
					out = append(out, m)
				}
			}
			return out
		}
	}
	var out []Message
	for _, m := range s.st.messages {
		if m.RoomID == rid {
			out = append(out, m)
		}
	}
	return out
}

// ServeHTTP serves the Rocket.Chat API.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	endpoint, rt := resolve(r)
	serve := func(w http.ResponseWriter) {
		switch {
		case endpoint == EndpointHooks:
			s.serveHook(w, r)
		case rt != nil:
			s.serveAPI(w, r, endpoint, rt)
		default:
			// Rocket.Chat's answer for an unknown route was not confirmed; a
			// plain 404 is what a client must cope with in any case.
			http.NotFound(w, r)
		}
	}
	fault, faulty := s.countAndTakeFault(endpoint)
	switch {
	case !faulty:
		serve(w)
	case fault.AfterHandling:
		// The request takes effect; then its answer is late, replaced or lost.
		rec := newRecorder()
		serve(rec)
		if !sleepUnlessGone(r, fault.Delay) {
			return
		}
		if fault.replacesAnswer() {
			applyFault(w, fault)
		} else {
			rec.writeTo(w)
		}
	default:
		if fault.Delay > 0 {
			// A slow server: it has the request and acts on it after the
			// delay, even when the client has given up meanwhile, as a busy
			// Rocket.Chat would.
			body, _ := io.ReadAll(io.LimitReader(r.Body, 10<<20))
			r.Body = io.NopCloser(bytes.NewReader(body))
			time.Sleep(fault.Delay)
		}
		if fault.replacesAnswer() {
			applyFault(w, fault)
			return
		}
		serve(w)
	}
}

// sleepUnlessGone waits d, or less when the client goes away; it reports
// whether the client is still there.
func sleepUnlessGone(r *http.Request, d time.Duration) bool {
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-r.Context().Done():
		return false
	}
}
