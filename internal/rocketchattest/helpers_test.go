package rocketchattest_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net"
	"net/http"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/terraform-rocketchat/terraform-provider-rocketchat/internal/rocketchattest"
)

// row is one check of the specification: it prepares a fresh server, sends
// one request and compares the answer with what the specification says.
type row struct {
	name  string
	opts  []rocketchattest.Option
	clock bool // run the server on a manual clock starting at t0

	setup func(e *env) // fixtures, permissions, earlier requests
	req   req          // the request under test; zero means check does all the work

	status  int            // expected HTTP status (0: not checked)
	body    map[string]any // expected body, exactly
	want    map[string]any // expected values at JSON paths (literal or matcher)
	headers map[string]any // expected headers (string or matcher)
	check   func(e *env, r *resp)
}

// req is an HTTP request. Strings in path, body and header may name
// variables as {{name}}; the server's seeded users are {{admin}}, {{owner}},
// {{regular}} (their _id) and setups add more.
type req struct {
	method      string
	path        string
	as          string // "admin", "owner", "regular", a username, or "" for no credentials
	body        any    // sent as JSON unless raw is set
	raw         *string
	contentType string
	header      map[string]string
}

type resp struct {
	status int
	header http.Header
	raw    []byte
	body   map[string]any // nil when the body is not a JSON object
	err    error          // transport error (e.g. a dropped connection)
	took   time.Duration
}

// t0 is the start of the manual clock: the time of Rocket.Chat's own docs example.
var t0 = time.Date(2024, 1, 10, 14, 12, 7, 739_000_000, time.UTC)

type manualClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *manualClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *manualClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

type env struct {
	t      *testing.T
	srv    *rocketchattest.Server
	clock  *manualClock
	client *http.Client
	vars   map[string]string
	perms  map[string][]string // role lists of the integration permissions, as last set
}

func newEnv(t *testing.T, withClock bool, opts ...rocketchattest.Option) *env {
	t.Helper()
	e := &env{t: t, vars: map[string]string{}}
	if withClock {
		e.clock = &manualClock{now: t0}
		opts = append(opts, rocketchattest.WithClock(e.clock.Now))
	}
	e.srv = rocketchattest.NewServer(opts...)
	t.Cleanup(e.srv.Close)
	// A fresh connection per request: the transport never replays a request
	// on a reused connection, which matters for dropped answers.
	e.client = &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
	for _, name := range []string{"admin", "owner", "regular"} {
		e.vars[name] = e.creds(name).UserID
	}
	e.vars["bot"] = e.srv.User(rocketchattest.BotUsername).UserID
	// Rocket.Chat grants the four permissions to admin only; the seeded
	// owner holds the two manage-own-* ones through a role of its own.
	e.perms = map[string][]string{}
	for _, p := range allIntegrationPerms {
		e.perms[p] = []string{"admin"}
	}
	for _, role := range e.srv.Roles(rocketchattest.OwnerUsername) {
		if role != "user" {
			e.perms[rocketchattest.PermManageOwnIncoming] = append(e.perms[rocketchattest.PermManageOwnIncoming], role)
			e.perms[rocketchattest.PermManageOwnOutgoing] = append(e.perms[rocketchattest.PermManageOwnOutgoing], role)
		}
	}
	return e
}

// setPerm gives a permission to exactly these roles.
func (e *env) setPerm(perm string, roles ...string) {
	e.perms[perm] = slices.Clone(roles)
	e.srv.SetPermission(perm, roles...)
}

// grant adds roles to a permission.
func (e *env) grant(perm string, roles ...string) {
	e.setPerm(perm, append(slices.Clone(e.perms[perm]), roles...)...)
}

// revoke takes a permission from a role.
func (e *env) revoke(perm, role string) {
	e.setPerm(perm, slices.DeleteFunc(slices.Clone(e.perms[perm]), func(r string) bool { return r == role })...)
}

// userWith adds a user (variable name = its _id) whose own role holds
// exactly the given permissions.
func (e *env) userWith(name string, perms ...string) {
	role := name + "-role"
	e.vars[name] = e.srv.AddUser(name, role).UserID
	for _, p := range perms {
		if _, tracked := e.perms[p]; !tracked {
			// Permissions other than the integration ones keep their default roles.
			e.perms[p] = defaultRoles[p]
		}
		e.grant(p, role)
	}
}

// defaultRoles are the default roles of the other permissions rows grant.
var defaultRoles = map[string][]string{
	rocketchattest.PermMessageImpersonate: {"bot", "app"},
	rocketchattest.PermViewPublicRoom:     {"admin", "user", "bot", "app", "anonymous"},
}

// ownerRole is the role through which the seeded owner holds its permissions.
func (e *env) ownerRole() string {
	for _, role := range e.srv.Roles(rocketchattest.OwnerUsername) {
		if role != "user" {
			return role
		}
	}
	e.t.Fatal("the owner has no role of its own")
	return ""
}

func (e *env) creds(as string) rocketchattest.Credentials {
	switch as {
	case "admin":
		return e.srv.Admin()
	case "owner":
		return e.srv.Owner()
	case "regular":
		return e.srv.Regular()
	}
	return e.srv.User(as)
}

// expand replaces {{name}} in every string of v.
func (e *env) expand(v any) any {
	switch x := v.(type) {
	case string:
		return e.expandString(x)
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, val := range x {
			out[k] = e.expand(val)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, val := range x {
			out[i] = e.expand(val)
		}
		return out
	case []string:
		out := make([]any, len(x))
		for i, val := range x {
			out[i] = e.expandString(val)
		}
		return out
	}
	return v
}

var placeholder = regexp.MustCompile(`\{\{([A-Za-z0-9_.-]+)\}\}`)

func (e *env) expandString(s string) string {
	return placeholder.ReplaceAllStringFunc(s, func(m string) string {
		name := m[2 : len(m)-2]
		v, ok := e.vars[name]
		if !ok {
			e.t.Fatalf("no variable %q", name)
		}
		return v
	})
}

// do sends a request and decodes the answer.
func (e *env) do(q req) *resp {
	e.t.Helper()
	return e.doWith(e.client, q)
}

func (e *env) doWith(client *http.Client, q req) *resp {
	e.t.Helper()
	var body io.Reader
	ct := q.contentType
	switch {
	case q.raw != nil:
		body = strings.NewReader(e.expandString(*q.raw))
	case q.body != nil:
		data, err := json.Marshal(e.expand(q.body))
		if err != nil {
			e.t.Fatalf("encode body: %v", err)
		}
		body = bytes.NewReader(data)
		if ct == "" {
			ct = "application/json"
		}
	}
	method := q.method
	if method == "" {
		method = http.MethodGet
	}
	r, err := http.NewRequestWithContext(e.t.Context(), method, e.srv.URL()+e.expandString(q.path), body)
	if err != nil {
		e.t.Fatalf("new request: %v", err)
	}
	if ct != "" {
		r.Header.Set("Content-Type", ct)
	}
	if q.as != "" {
		c := e.creds(q.as)
		if c.UserID == "" {
			e.t.Fatalf("no user %q", q.as)
		}
		r.Header.Set("X-User-Id", c.UserID)
		r.Header.Set("X-Auth-Token", c.AuthToken)
	}
	for k, v := range q.header {
		r.Header.Set(k, e.expandString(v))
	}
	start := time.Now()
	res, err := client.Do(r)
	out := &resp{err: err}
	if err != nil {
		out.took = time.Since(start)
		return out
	}
	defer res.Body.Close()
	out.raw, out.err = io.ReadAll(res.Body)
	out.took = time.Since(start)
	out.status, out.header = res.StatusCode, res.Header
	var m map[string]any
	if json.Unmarshal(out.raw, &m) == nil {
		out.body = m
	}
	return out
}

// ok sends a request that must succeed with 200 and returns its body.
func (e *env) ok(q req) map[string]any {
	e.t.Helper()
	r := e.do(q)
	if r.err != nil || r.status != http.StatusOK {
		e.t.Fatalf("%s %s: want 200, got %d %s (%v)", q.method, q.path, r.status, r.raw, r.err)
	}
	return r.body
}

// Request bodies. over replaces keys; a value of omit removes the key.
type omitted struct{}

var omit = omitted{}

func merge(base, over map[string]any) map[string]any {
	out := maps.Clone(base)
	for k, v := range over {
		if _, del := v.(omitted); del {
			delete(out, k)
			continue
		}
		out[k] = v
	}
	return out
}

func incomingBody(over map[string]any) map[string]any {
	return merge(map[string]any{
		"type": "webhook-incoming", "name": "Incoming test", "enabled": true, "username": "rocket.cat",
		"scriptEnabled": false, "channel": "#general",
	}, over)
}

func outgoingBody(over map[string]any) map[string]any {
	return merge(map[string]any{
		"type": "webhook-outgoing", "name": "Guggy", "enabled": true, "username": "rocket.cat",
		"scriptEnabled": false, "channel": "#general", "event": "sendMessage",
		"urls": []any{"http://text2gif.guggy.com/guggify"}, "triggerWords": []any{"!guggy"},
	}, over)
}

// incomingUpdate is an update body for the integration in variable v.
func incomingUpdate(v string, over map[string]any) map[string]any {
	return merge(map[string]any{
		"integrationId": "{{" + v + "}}", "type": "webhook-incoming", "name": "Incoming test", "enabled": true,
		"scriptEnabled": false, "channel": "#general",
	}, over)
}

func outgoingUpdate(v string, over map[string]any) map[string]any {
	return merge(outgoingBody(map[string]any{"integrationId": "{{" + v + "}}", "token": "outgoing-token"}), over)
}

// create creates an integration as a user, stores its _id in variable v
// (and an incoming token in v.token) and returns the answer's document.
func (e *env) create(v, as string, body map[string]any) map[string]any {
	e.t.Helper()
	doc := e.ok(req{method: http.MethodPost, path: "/api/v1/integrations.create", as: as, body: body})["integration"].(map[string]any)
	if v != "" {
		e.vars[v] = doc["_id"].(string)
		if tok, ok := doc["token"].(string); ok {
			e.vars[v+".token"] = tok
		}
	}
	return doc
}

func (e *env) stored(v string) map[string]any {
	e.t.Helper()
	doc, ok := e.srv.Integration(e.vars[v])
	if !ok {
		e.t.Fatalf("integration %s (%s) is not stored", v, e.vars[v])
	}
	return doc
}

// noPerms takes the four integration permissions from every role, as
// Rocket.Chat's own e2e tests do before each case.
func (e *env) noPerms() {
	for _, p := range allIntegrationPerms {
		e.setPerm(p)
	}
}

var allIntegrationPerms = []string{
	rocketchattest.PermManageIncoming, rocketchattest.PermManageOwnIncoming,
	rocketchattest.PermManageOutgoing, rocketchattest.PermManageOwnOutgoing,
}

// hook posts a JSON body to an incoming integration's webhook.
func (e *env) hook(v string, body any) *resp {
	e.t.Helper()
	return e.do(req{method: http.MethodPost, path: "/hooks/{{" + v + "}}/{{" + v + ".token}}", body: body})
}

func texts(ms []rocketchattest.Message) []string {
	out := []string{}
	for _, m := range ms {
		out = append(out, m.Text)
	}
	return out
}

func names(list any) []string {
	out := []string{}
	arr, _ := list.([]any)
	for _, d := range arr {
		n, _ := d.(map[string]any)["name"].(string)
		out = append(out, n)
	}
	return out
}

// lookup reads a dotted path ("integration.channel.0") in a decoded JSON value.
func lookup(v any, path string) (any, bool) {
	if path == "" {
		return v, true
	}
	cur := v
	for _, part := range strings.Split(path, ".") {
		switch x := cur.(type) {
		case map[string]any:
			val, ok := x[part]
			if !ok {
				return nil, false
			}
			cur = val
		case []any:
			i, err := strconv.Atoi(part)
			if err != nil || i < 0 || i >= len(x) {
				return nil, false
			}
			cur = x[i]
		default:
			return nil, false
		}
	}
	return cur, true
}

// matcher checks a value found (or not) at a path; it returns a complaint or "".
type matcher func(v any, present bool) string

var absent matcher = func(v any, present bool) string {
	if present {
		return fmt.Sprintf("want absent, got %#v", v)
	}
	return ""
}

var present matcher = func(v any, p bool) string {
	if !p {
		return "want present, is absent"
	}
	return ""
}

func contains(sub string) matcher {
	return func(v any, p bool) string {
		s, ok := v.(string)
		if !ok || !strings.Contains(s, sub) {
			return fmt.Sprintf("want a string containing %q, got %#v", sub, v)
		}
		return ""
	}
}

func matches(pattern string) matcher {
	re := regexp.MustCompile(pattern)
	return func(v any, p bool) string {
		s, ok := v.(string)
		if !ok || !re.MatchString(s) {
			return fmt.Sprintf("want a string matching %s, got %#v", pattern, v)
		}
		return ""
	}
}

func lenIs(n int) matcher {
	return func(v any, p bool) string {
		arr, ok := v.([]any)
		if !ok || len(arr) != n {
			return fmt.Sprintf("want an array of %d, got %#v", n, v)
		}
		return ""
	}
}

func isObject() matcher {
	return func(v any, p bool) string {
		if _, ok := v.(map[string]any); !ok {
			return fmt.Sprintf("want an object, got %#v", v)
		}
		return ""
	}
}

// Shapes of §2: ObjectId, incoming token and ISO-8601 dates with milliseconds.
var (
	objectID      = matches(`^[0-9a-f]{24}$`)
	incomingToken = matches(`^[23456789ABCDEFGHJKLMNPQRSTWXYZabcdefghijkmnopqrstuvwxyz]{48}$`)
	isoDate       = matches(`^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$`)
)

// normal turns a Go literal into what decoding its JSON gives.
func normal(v any) any {
	data, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	var out any
	if err := json.Unmarshal(data, &out); err != nil {
		panic(err)
	}
	return out
}

func (e *env) compare(what string, got any, gotPresent bool, want any) {
	e.t.Helper()
	if m, ok := want.(matcher); ok {
		if msg := m(got, gotPresent); msg != "" {
			e.t.Errorf("%s: %s", what, msg)
		}
		return
	}
	w := normal(e.expand(want))
	if !gotPresent {
		e.t.Errorf("%s: absent, want %#v", what, w)
		return
	}
	if !reflect.DeepEqual(got, w) {
		e.t.Errorf("%s:\n got %#v\nwant %#v", what, got, w)
	}
}

// verify compares an answer with a row's expectations.
func (e *env) verify(rw row, r *resp) {
	e.t.Helper()
	if r.err != nil {
		e.t.Fatalf("request failed: %v", r.err)
	}
	if rw.status != 0 && r.status != rw.status {
		e.t.Errorf("status %d, want %d; body %s", r.status, rw.status, r.raw)
	}
	if rw.body != nil {
		e.compare("body", r.body, r.body != nil, rw.body)
	}
	for _, path := range slices.Sorted(maps.Keys(rw.want)) {
		got, ok := lookup(r.body, path)
		e.compare(path, got, ok, rw.want[path])
	}
	for _, name := range slices.Sorted(maps.Keys(rw.headers)) {
		vals, ok := r.header[http.CanonicalHeaderKey(name)]
		var got any
		if ok {
			got = strings.Join(vals, ", ")
		}
		e.compare("header "+name, got, ok, rw.headers[name])
	}
}

func runRows(t *testing.T, rows []row) {
	t.Helper()
	seen := map[string]bool{}
	for _, rw := range rows {
		if seen[rw.name] {
			t.Fatalf("duplicate row name %q", rw.name)
		}
		seen[rw.name] = true
		t.Run(rw.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, rw.clock, rw.opts...)
			if rw.setup != nil {
				rw.setup(e)
			}
			var r *resp
			if rw.req.path != "" {
				r = e.do(rw.req)
				e.verify(rw, r)
			}
			if rw.check != nil {
				rw.check(e, r)
			}
		})
	}
}

// clientFrom is an HTTP client whose connections come from another loopback
// address, for rules that count per client IP.
func clientFrom(ip string) *http.Client {
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(ip)}, Timeout: 5 * time.Second}
	return &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{
		DisableKeepAlives: true,
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			return d.DialContext(ctx, network, addr)
		},
	}}
}

func ptr(s string) *string { return &s }

// Requests to the integration endpoints and the answers the specification
// gives, shared by the rows of every section.

const (
	pathCreate  = "/api/v1/integrations.create"
	pathGet     = "/api/v1/integrations.get"
	pathList    = "/api/v1/integrations.list"
	pathUpdate  = "/api/v1/integrations.update"
	pathRemove  = "/api/v1/integrations.remove"
	pathHistory = "/api/v1/integrations.history"

	forbiddenText = "User does not have the permissions required for this action [error-unauthorized]"
	loginText     = "You must be logged in to do this."
)

func create(as string, body any) req {
	return req{method: http.MethodPost, path: pathCreate, as: as, body: body}
}
func get(as, query string) req {
	return req{method: http.MethodGet, path: pathGet + "?" + query, as: as}
}
func list(as, query string) req {
	return req{method: http.MethodGet, path: pathList + "?" + query, as: as}
}
func update(as string, body any) req {
	return req{method: http.MethodPut, path: pathUpdate, as: as, body: body}
}
func remove(as string, body any) req {
	return req{method: http.MethodPost, path: pathRemove, as: as, body: body}
}
func history(as, query string) req {
	return req{method: http.MethodGet, path: pathHistory + "?" + query, as: as}
}
func me(as string) req { return req{method: http.MethodGet, path: "/api/v1/me", as: as} }

// meteorFailure is the exact 400 body of a Meteor.Error (§1.2); details nil
// means the body has none.
func meteorFailure(text, errorType string, details map[string]any) map[string]any {
	b := map[string]any{"success": false, "error": text, "errorType": errorType}
	if details != nil {
		b["details"] = details
	}
	return b
}

// failureWant checks error and errorType but not details, for the checks
// whose details the specification does not give.
func failureWant(text, errorType string) map[string]any {
	return map[string]any{"success": false, "error": text, "errorType": errorType}
}

func plainFailure(text string) map[string]any { return map[string]any{"success": false, "error": text} }

func invalidParams(msgs ...string) map[string]any {
	return map[string]any{"success": false, "error": strings.Join(msgs, "\n ") + " [invalid-params]", "errorType": "invalid-params"}
}

func method(name string) map[string]any   { return map[string]any{"method": name} }
func function(name string) map[string]any { return map[string]any{"function": name} }

// before86 runs a row on a server that reports Rocket.Chat 8.5, whose
// incoming integration methods give the post-as user the bot role instead
// of requiring message-impersonate (SPEC.md §L7).
var before86 = []rocketchattest.Option{rocketchattest.WithVersion("8.5.0")}

var (
	forbiddenBody   = map[string]any{"success": false, "error": forbiddenText}
	notLoggedInBody = map[string]any{"success": false, "error": loginText, "status": "error", "message": loginText}
	noCacheJSON     = map[string]any{"Content-Type": "application/json", "Cache-Control": "no-store", "Pragma": "no-cache"}
)

const (
	verifyFields = "validateOutgoing._verifyRequiredFields"
	verifyRooms  = "validateOutgoing._verifyUserHasPermissionForChannels"
)

func ms(t time.Time) string { return strconv.FormatInt(t.UnixMilli(), 10) }
