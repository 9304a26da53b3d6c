package client

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// Secrets every test client is configured with; no error text or log line
// may contain them.
const (
	testUserID    = "uid-1234567890"
	testAuthToken = "AUTH-TOKEN-s3cr3t-0123456789abcdef"
	testUsername  = "terraform"
	testPassword  = "pa$$w\"rd<&>-s3cr3t"
)

// recorded is one request a scripted server received.
type recorded struct {
	Method   string
	Path     string
	RawQuery string
	Header   http.Header
	Body     string
}

// scripted is an httptest server answering request i with step i (the last
// step repeats) and recording every request.
type scripted struct {
	*httptest.Server
	mu    sync.Mutex
	reqs  []recorded
	steps []http.HandlerFunc
}

func newScripted(t *testing.T, steps ...http.HandlerFunc) *scripted {
	t.Helper()
	s := &scripted{steps: steps}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		s.mu.Lock()
		n := len(s.reqs)
		s.reqs = append(s.reqs, recorded{r.Method, r.URL.Path, r.URL.RawQuery, r.Header.Clone(), string(body)})
		step := s.steps[min(n, len(s.steps)-1)]
		s.mu.Unlock()
		step(w, r)
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *scripted) requests() []recorded {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]recorded(nil), s.reqs...)
}

func (s *scripted) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.reqs)
}

// reply answers with a status, a JSON body and optional header pairs.
func reply(status int, body string, headerPairs ...string) http.HandlerFunc {
	return replyCT(status, "application/json", body, headerPairs...)
}

func replyCT(status int, contentType, body string, headerPairs ...string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if contentType != "" {
			w.Header().Set("Content-Type", contentType)
		}
		for i := 0; i+1 < len(headerPairs); i += 2 {
			if headerPairs[i+1] == "" {
				w.Header()[headerPairs[i]] = nil // suppress, e.g. Date
				continue
			}
			w.Header().Set(headerPairs[i], headerPairs[i+1])
		}
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	}
}

// fakeClock makes waits instant and records them.
type fakeClock struct {
	mu     sync.Mutex
	t      time.Time
	sleeps []time.Duration
}

func newFakeClock() *fakeClock { return &fakeClock{t: time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)} }

func (f *fakeClock) now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.t
}

func (f *fakeClock) sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.sleeps = append(f.sleeps, d)
	f.t = f.t.Add(d)
	return nil
}

func (f *fakeClock) waits() []time.Duration {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]time.Duration(nil), f.sleeps...)
}

func (f *fakeClock) total() time.Duration {
	var sum time.Duration
	for _, d := range f.waits() {
		sum += d
	}
	return sum
}

// logLine is one captured log call.
type logLine struct {
	Level  string
	Msg    string
	Fields map[string]any
}

type captureLogger struct {
	mu    sync.Mutex
	lines []logLine
}

func (l *captureLogger) add(level, msg string, fields map[string]any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lines = append(l.lines, logLine{level, msg, fields})
}

func (l *captureLogger) Debug(_ context.Context, msg string, f map[string]any) {
	l.add("DEBUG", msg, f)
}
func (l *captureLogger) Info(_ context.Context, msg string, f map[string]any) { l.add("INFO", msg, f) }
func (l *captureLogger) Warn(_ context.Context, msg string, f map[string]any) { l.add("WARN", msg, f) }

func (l *captureLogger) text() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var b strings.Builder
	for _, line := range l.lines {
		fmt.Fprintf(&b, "%s %s %v\n", line.Level, line.Msg, line.Fields)
	}
	return b.String()
}

type testEnv struct {
	c     *Client
	clock *fakeClock
	log   *captureLogger
}

// newTestClient builds a token-auth client for url with instant waits and
// jitter that always takes the longest wait.
func newTestClient(t *testing.T, url string, mutate ...func(*Config)) testEnv {
	t.Helper()
	log := &captureLogger{}
	cfg := Config{URL: url, UserID: testUserID, AuthToken: testAuthToken, Logger: log}
	for _, m := range mutate {
		m(&cfg)
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	clock := newFakeClock()
	c.now = clock.now
	c.sleep = clock.sleep
	c.jitter = func(max time.Duration) time.Duration { return max }
	t.Cleanup(func() { assertNoSecrets(t, "log", log.text()) })
	return testEnv{c: c, clock: clock, log: log}
}

func withPassword(cfg *Config) {
	cfg.UserID, cfg.AuthToken = "", ""
	cfg.Username, cfg.Password = testUsername, testPassword
}

// extraSecrets are integration tokens used by tests; they must not leak
// either.
var extraSecrets = []string{
	"XuHp73MccmCvJ9m3fKdQK6HKW9tjhBcbTKKHCSSLsv7qn4fk", // incoming token
	"OUTGOING-token-s3cr3t",                            // outgoing token
	"LOGIN-token-s3cr3t-1",
	"LOGIN-token-s3cr3t-2",
}

func assertNoSecrets(t *testing.T, what, s string) {
	t.Helper()
	for _, secret := range append([]string{testAuthToken, testPassword, `pa$$w\"rd`}, extraSecrets...) {
		if strings.Contains(s, secret) {
			t.Errorf("%s contains the secret %q: %s", what, secret, s)
		}
	}
}

// mustErr checks that err is not nil and free of secrets.
func mustErr(t *testing.T, err error) {
	t.Helper()
	if err == nil {
		t.Fatal("expected an error, got nil")
	}
	assertNoSecrets(t, "error", err.Error())
}

func ptr[T any](v T) *T { return &v }
