package rocketchattest

import (
	"bytes"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Endpoint names, used by Fail and Requests.
const (
	EndpointLogin   = "login"
	EndpointLogout  = "logout"
	EndpointMe      = "me"
	EndpointInfo    = "info"
	EndpointCreate  = "integrations.create"
	EndpointGet     = "integrations.get"
	EndpointList    = "integrations.list"
	EndpointUpdate  = "integrations.update"
	EndpointRemove  = "integrations.remove"
	EndpointHistory = "integrations.history"
	EndpointHooks   = "hooks"
	// EndpointChannelMessages reads a channel's messages, e.g. those webhooks posted.
	EndpointChannelMessages = "channels.messages"
	// EndpointChatPostMessage posts a message as the caller.
	EndpointChatPostMessage = "chat.postMessage"
	// The look-ups of rooms, users, memberships, permissions and settings.
	EndpointRoomsInfo          = "rooms.info"
	EndpointUsersInfo          = "users.info"
	EndpointSubscriptionsGet   = "subscriptions.get"
	EndpointPermissionsListAll = "permissions.listAll"
	EndpointSettingsPublic     = "settings.public"
	// EndpointOther counts requests to paths the server does not know.
	EndpointOther = "other"
)

// Fault describes how the server misbehaves on a request, for tests of
// retries, timeouts and lost answers.
type Fault struct {
	// Status, when not zero, answers with this HTTP status instead of the
	// real answer. The body is Body, or Rocket.Chat-like JSON for 429 and a
	// proxy-like HTML page for 5xx when Body is empty.
	Status int
	// Body replaces the answer's body (with Status, or with 200 when Status
	// is zero and Body is set: a garbage answer).
	Body string
	// ContentType of Body; default text/html when Body starts with "<",
	// application/json otherwise.
	ContentType string
	// Header is added to the answer (e.g. X-RateLimit-Reset or Retry-After).
	Header http.Header
	// Delay waits this long before the request is handled — or, with
	// AfterHandling, before the answer is sent — e.g. past a client's
	// timeout. Like a busy server, this one still acts on a delayed
	// request whose client has given up meanwhile.
	Delay time.Duration
	// Drop closes the connection without answering.
	Drop bool
	// AfterHandling handles the request for real first — its effects
	// happen — and only then applies Delay, Status, Body or Drop: the
	// answer of a request the server acted on is late or lost.
	AfterHandling bool
}

func (f Fault) replacesAnswer() bool { return f.Status != 0 || f.Body != "" || f.Drop }

// Fail makes the next times requests to endpoint (an Endpoint* name) misbehave as f says.
func (s *Server) Fail(endpoint string, times int, f Fault) {
	s.faultMu.Lock()
	defer s.faultMu.Unlock()
	for range times {
		s.faults[endpoint] = append(s.faults[endpoint], f)
	}
}

// FaultsPending returns how many faults queued for endpoint no request has
// suffered yet.
func (s *Server) FaultsPending(endpoint string) int {
	s.faultMu.Lock()
	defer s.faultMu.Unlock()
	return len(s.faults[endpoint])
}

// ClearFaults forgets faults not yet applied.
func (s *Server) ClearFaults() {
	s.faultMu.Lock()
	defer s.faultMu.Unlock()
	clear(s.faults)
}

// Requests returns how many requests reached endpoint (an Endpoint* name)
// since the server started or ResetRequests was called, including refused
// and faulted ones.
func (s *Server) Requests(endpoint string) int {
	s.faultMu.Lock()
	defer s.faultMu.Unlock()
	return s.counts[endpoint]
}

// RateLimited returns how many requests to endpoint the rate limiter
// refused (429) since the server started or ResetRequests was called.
func (s *Server) RateLimited(endpoint string) int {
	s.faultMu.Lock()
	defer s.faultMu.Unlock()
	return s.limited[endpoint]
}

func (s *Server) countLimited(endpoint string) {
	s.faultMu.Lock()
	defer s.faultMu.Unlock()
	s.limited[endpoint]++
}

// RequestCounts returns a copy of every endpoint's counter.
func (s *Server) RequestCounts() map[string]int {
	s.faultMu.Lock()
	defer s.faultMu.Unlock()
	out := make(map[string]int, len(s.counts))
	for k, v := range s.counts {
		out[k] = v
	}
	return out
}

// ResetRequests sets every counter to zero.
func (s *Server) ResetRequests() {
	s.faultMu.Lock()
	defer s.faultMu.Unlock()
	clear(s.counts)
	clear(s.limited)
}

// countAndTakeFault counts a request and returns the fault it must suffer, if any.
func (s *Server) countAndTakeFault(endpoint string) (Fault, bool) {
	s.faultMu.Lock()
	defer s.faultMu.Unlock()
	s.counts[endpoint]++
	q := s.faults[endpoint]
	if len(q) == 0 {
		return Fault{}, false
	}
	f := q[0]
	s.faults[endpoint] = q[1:]
	return f, true
}

// applyFault answers according to f in place of the real answer.
func applyFault(w http.ResponseWriter, f Fault) {
	if f.Drop {
		dropConnection(w)
		return
	}
	status := f.Status
	if status == 0 {
		status = http.StatusOK
	}
	body := f.Body
	if body == "" {
		body = defaultFaultBody(status)
	}
	ct := f.ContentType
	if ct == "" {
		ct = "application/json"
		if strings.HasPrefix(strings.TrimSpace(body), "<") {
			ct = "text/html; charset=utf-8"
		}
	}
	for k, vs := range f.Header {
		for _, v := range vs {
			w.Header().Add(k, v)
		}
	}
	w.Header().Set("Content-Type", ct)
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write([]byte(body))
}

func defaultFaultBody(status int) string {
	if status == http.StatusTooManyRequests {
		return `{"success":false,"error":"Error, too many requests. Please slow down. You must wait 1 seconds before trying this endpoint again. [error-too-many-requests]"}`
	}
	if status >= 500 {
		// What a reverse proxy in front of Rocket.Chat sends when the upstream fails.
		text := http.StatusText(status)
		return fmt.Sprintf("<html>\r\n<head><title>%d %s</title></head>\r\n<body>\r\n<center><h1>%d %s</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n",
			status, text, status, text)
	}
	return `{"success":false,"error":"injected fault"}`
}

// dropConnection closes the client's connection without an answer.
func dropConnection(w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic(http.ErrAbortHandler)
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	_ = conn.Close()
}

// recorder captures an answer so that a fault can replace it after the
// request was handled.
type recorder struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func newRecorder() *recorder { return &recorder{header: http.Header{}} }

func (r *recorder) Header() http.Header { return r.header }
func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.body.Write(b)
}

// writeTo sends the recorded answer.
func (r *recorder) writeTo(w http.ResponseWriter) {
	for k, vs := range r.header {
		w.Header()[k] = vs
	}
	if r.status == 0 {
		r.status = http.StatusOK
	}
	w.WriteHeader(r.status)
	_, _ = w.Write(r.body.Bytes())
}

func (r *recorder) WriteHeader(status int) {
	if r.status == 0 {
		r.status = status
	}
}
