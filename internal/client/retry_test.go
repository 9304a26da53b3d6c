package client

import (
	"context"
	"errors"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"reflect"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

const okGet = `{"integration":{"_id":"i1","type":"webhook-incoming","token":"XuHp73MccmCvJ9m3fKdQK6HKW9tjhBcbTKKHCSSLsv7qn4fk"},"success":true}`

// dropConn closes the connection after the whole request was read, without
// an answer: with reset set the peer sees a connection reset, else EOF.
func dropConn(reset bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		conn, _, err := w.(http.Hijacker).Hijack()
		if err != nil {
			panic(err)
		}
		if tcp, ok := conn.(*net.TCPConn); ok && reset {
			_ = tcp.SetLinger(0)
		}
		conn.Close()
	}
}

// hang answers only after the client gave up.
func hang(w http.ResponseWriter, r *http.Request) {
	select {
	case <-r.Context().Done():
	case <-time.After(5 * time.Second):
	}
}

func shortTimeout(c *Config) { c.RequestTimeout = 100 * time.Millisecond }

var failures = []struct {
	name    string
	handler http.HandlerFunc
	opts    []func(*Config)
}{
	{"502 HTML page", replyCT(502, "text/html", "<html><title>502 Bad Gateway</title></html>"), nil},
	{"503", reply(503, `{"success":false,"error":"Service Unavailable"}`), nil},
	{"504", replyCT(504, "text/html", "<html>Gateway Timeout</html>"), nil},
	{"connection reset", dropConn(true), nil},
	{"connection closed (EOF)", dropConn(false), nil},
	{"attempt timeout", hang, []func(*Config){shortTimeout}},
}

func TestIdempotentCallsRetryThenSucceed(t *testing.T) {
	for _, f := range failures {
		t.Run(f.name, func(t *testing.T) {
			srv := newScripted(t, f.handler, reply(200, okGet))
			env := newTestClient(t, srv.URL, f.opts...)
			in, err := env.c.GetIntegration(context.Background(), "i1")
			if err != nil {
				t.Fatalf("GetIntegration: %v", err)
			}
			if in.ID != "i1" {
				t.Errorf("integration %+v", in)
			}
			if srv.count() != 2 {
				t.Errorf("server saw %d requests, want 2", srv.count())
			}
			if got := env.clock.waits(); !reflect.DeepEqual(got, []time.Duration{500 * time.Millisecond}) {
				t.Errorf("waits %v", got)
			}
			if !strings.Contains(env.log.text(), "WARN retrying Rocket.Chat request") {
				t.Errorf("no retry warning logged:\n%s", env.log.text())
			}
		})
	}
}

func TestEveryIdempotentCallRetries(t *testing.T) {
	ctx := context.Background()
	req := &OutgoingIntegrationRequest{OutgoingTrigger: OutgoingTrigger{Event: "sendMessage"}, Token: ptr("OUTGOING-token-s3cr3t")}
	calls := map[string]func(c *Client) error{
		"update": func(c *Client) error { _, err := c.UpdateIntegration(ctx, "i1", req); return err },
		"remove": func(c *Client) error { _, err := c.RemoveIntegration(ctx, OutgoingType, "i1"); return err },
		"list":   func(c *Client) error { _, err := c.ListIntegrations(ctx, ListOptions{}); return err },
		"me":     func(c *Client) error { _, err := c.Me(ctx); return err },
		"info":   func(c *Client) error { _, err := c.Info(ctx); return err },
	}
	for name, fn := range calls {
		t.Run(name, func(t *testing.T) {
			srv := newScripted(t, reply(503, `{}`), dropConn(true), reply(200, okGet))
			env := newTestClient(t, srv.URL)
			if err := fn(env.c); err != nil {
				t.Fatal(err)
			}
			if srv.count() != 3 {
				t.Errorf("%d requests, want 3", srv.count())
			}
		})
	}
	t.Run("login", func(t *testing.T) {
		srv := newScripted(t, reply(502, `{}`), reply(200, loginAnswer("LOGIN-token-s3cr3t-1")), reply(200, meBody))
		env := newTestClient(t, srv.URL, withPassword)
		if _, err := env.c.Me(ctx); err != nil {
			t.Fatal(err)
		}
		if srv.count() != 3 {
			t.Errorf("%d requests, want 3", srv.count())
		}
	})
}

func TestAttemptsAreBounded(t *testing.T) {
	srv := newScripted(t, reply(503, `{"success":false,"error":"Service Unavailable"}`))
	env := newTestClient(t, srv.URL, func(c *Config) {
		c.Retry = RetryPolicy{MaxAttempts: 6, MinBackoff: 500 * time.Millisecond, MaxBackoff: 2 * time.Second}
	})
	_, err := env.c.GetIntegration(context.Background(), "i1")
	mustErr(t, err)
	if srv.count() != 6 {
		t.Errorf("%d requests, want 6", srv.count())
	}
	want := []time.Duration{500 * time.Millisecond, time.Second, 2 * time.Second, 2 * time.Second, 2 * time.Second}
	if got := env.clock.waits(); !reflect.DeepEqual(got, want) {
		t.Errorf("waits %v, want %v (capped exponential)", got, want)
	}
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 503 || !strings.Contains(err.Error(), "gave up after 6 attempts in 7.5s") {
		t.Errorf("err = %v", err)
	}
}

func TestJitterStaysWithinBounds(t *testing.T) {
	c, err := New(Config{URL: "http://x", UserID: "u", AuthToken: "t", Retry: RetryPolicy{MinBackoff: 100 * time.Millisecond, MaxBackoff: time.Second}})
	if err != nil {
		t.Fatal(err)
	}
	for n := 1; n < 10; n++ {
		for range 50 {
			d := c.backoff(n)
			if d < 100*time.Millisecond || d > time.Second {
				t.Fatalf("backoff(%d) = %s", n, d)
			}
		}
	}
}

func TestMaxElapsedBoundsACall(t *testing.T) {
	srv := newScripted(t, reply(503, `{}`))
	env := newTestClient(t, srv.URL, func(c *Config) {
		c.Retry = RetryPolicy{MaxAttempts: 100, MinBackoff: time.Second, MaxBackoff: time.Second, MaxElapsed: 3500 * time.Millisecond}
	})
	_, err := env.c.GetIntegration(context.Background(), "i1")
	mustErr(t, err)
	if srv.count() != 4 {
		t.Errorf("%d requests, want 4", srv.count())
	}
	if total := env.clock.total(); total > 3500*time.Millisecond {
		t.Errorf("waited %s, more than MaxElapsed", total)
	}
	if !strings.Contains(err.Error(), "RetryPolicy.MaxElapsed reached") {
		t.Errorf("err = %v", err)
	}
}

func TestServerErrorIsNotRetried(t *testing.T) {
	srv := newScripted(t, reply(500, `{"success":false,"error":"Internal server error"}`))
	env := newTestClient(t, srv.URL)
	_, err := env.c.GetIntegration(context.Background(), "i1")
	mustErr(t, err)
	if srv.count() != 1 || IsOutcomeUnknown(err) {
		t.Errorf("%d requests, err %v", srv.count(), err)
	}
}

func TestNonRetryableTransportError(t *testing.T) {
	tlsSrv := httptest.NewUnstartedServer(reply(200, okGet))
	tlsSrv.Config.ErrorLog = log.New(io.Discard, "", 0)
	tlsSrv.StartTLS()
	defer tlsSrv.Close()
	env := newTestClient(t, tlsSrv.URL) // the test certificate is not trusted
	_, err := env.c.GetIntegration(context.Background(), "i1")
	mustErr(t, err)
	if len(env.clock.waits()) != 0 {
		t.Errorf("a certificate error was retried: %v", err)
	}
	if !strings.Contains(err.Error(), "certificate") {
		t.Errorf("err = %v", err)
	}
}

var incomingReq = &IncomingIntegrationRequest{IntegrationBase: IntegrationBase{
	Name: "n", Enabled: true, Username: "rocket.cat", Channels: []string{"#general"},
}}

func TestCreateIsNotRepeatedWhenTheOutcomeIsUnknown(t *testing.T) {
	cases := append(failures[:len(failures):len(failures)], struct {
		name    string
		handler http.HandlerFunc
		opts    []func(*Config)
	}{"500", reply(500, `{"success":false,"error":"Internal server error"}`), nil},
		struct {
			name    string
			handler http.HandlerFunc
			opts    []func(*Config)
		}{"200 with a cut-off body", reply(200, `{"integration":{"_id":"i1","token":"XuHp73MccmCvJ9m3fKdQK6HKW9tjhBc`), nil})
	for _, f := range cases {
		t.Run(f.name, func(t *testing.T) {
			srv := newScripted(t, f.handler, reply(200, okGet))
			env := newTestClient(t, srv.URL, f.opts...)
			_, err := env.c.CreateIntegration(context.Background(), incomingReq)
			mustErr(t, err)
			if srv.count() != 1 {
				t.Fatalf("server saw %d create requests, want exactly 1", srv.count())
			}
			if !errors.Is(err, ErrOutcomeUnknown) || !IsOutcomeUnknown(err) {
				t.Errorf("err = %v, want ErrOutcomeUnknown", err)
			}
			for _, part := range []string{"POST /api/v1/integrations.create", "may have created the integration", "import it or delete it"} {
				if !strings.Contains(err.Error(), part) {
					t.Errorf("error %q lacks %q", err, part)
				}
			}
			if strings.Contains(err.Error(), "XuHp73MccmCvJ9m3fKdQK6HKW9tjhBc") {
				t.Errorf("error shows a partial token: %v", err)
			}
		})
	}
}

func TestCreateErrorsKeepTheirCause(t *testing.T) {
	srv := newScripted(t, replyCT(502, "text/html", "<html>bad gateway</html>"))
	env := newTestClient(t, srv.URL)
	_, err := env.c.CreateIntegration(context.Background(), incomingReq)
	var apiErr *APIError
	mustErr(t, err)
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 502 {
		t.Errorf("errors.As(*APIError) fails: %v", err)
	}

	srv2 := newScripted(t, hang)
	env2 := newTestClient(t, srv2.URL, shortTimeout)
	_, err = env2.c.CreateIntegration(context.Background(), incomingReq)
	var te *TransportError
	mustErr(t, err)
	if !errors.As(err, &te) || te.Timeout != 100*time.Millisecond || !strings.Contains(err.Error(), "did not answer POST /api/v1/integrations.create within 100ms") {
		t.Errorf("err = %v", err)
	}
}

// TestCreateUnderWayOutlivesItsCaller: once a create is sent, giving up on
// it (Ctrl-C) would leave what Rocket.Chat made unrecorded, so it runs to
// its answer, which the caller still gets.
func TestCreateUnderWayOutlivesItsCaller(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	answered := make(chan struct{})
	// The server has the request; the caller gives up; only then it answers.
	slow := func(w http.ResponseWriter, r *http.Request) {
		cancel()
		reply(200, okGet)(w, r)
		close(answered)
	}
	srv := newScripted(t, slow)
	env := newTestClient(t, srv.URL)
	in, err := env.c.CreateIntegration(ctx, incomingReq)
	if err != nil || in.ID != "i1" || srv.count() != 1 {
		t.Fatalf("create = %+v, %v after %d requests", in, err, srv.count())
	}
	select {
	case <-answered:
	default:
		t.Error("the create returned before the answer")
	}
}

// TestCreateCancelledBeforeSendingIsNotSent: a create whose caller gave up
// before it went out is not sent at all.
func TestCreateCancelledBeforeSendingIsNotSent(t *testing.T) {
	srv := newScripted(t, reply(200, okGet))
	env := newTestClient(t, srv.URL)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := env.c.CreateIntegration(ctx, incomingReq)
	mustErr(t, err)
	if !errors.Is(err, context.Canceled) || IsOutcomeUnknown(err) || srv.count() != 0 {
		t.Errorf("err = %v after %d requests", err, srv.count())
	}
}

// TestCreateTimedOutIsOutcomeUnknown: a create that got no answer within
// the request timeout may have been acted on.
func TestCreateTimedOutIsOutcomeUnknown(t *testing.T) {
	srv := newScripted(t, hang)
	env := newTestClient(t, srv.URL, shortTimeout)
	_, err := env.c.CreateIntegration(context.Background(), incomingReq)
	mustErr(t, err)
	if !errors.Is(err, ErrOutcomeUnknown) || srv.count() != 1 {
		t.Errorf("err = %v after %d requests", err, srv.count())
	}
}

func TestCreateIsRetriedAfter429(t *testing.T) {
	srv := newScripted(t,
		reply(429, `{"success":false,"error":"Error, too many requests. Please slow down. You must wait 2 seconds before trying this endpoint again. [error-too-many-requests]"}`),
		reply(200, okGet))
	env := newTestClient(t, srv.URL)
	in, err := env.c.CreateIntegration(context.Background(), incomingReq)
	if err != nil {
		t.Fatal(err)
	}
	if in.ID != "i1" || srv.count() != 2 {
		t.Errorf("integration %+v after %d requests", in, srv.count())
	}
	reqs := srv.requests()
	if reqs[0].Body != reqs[1].Body {
		t.Errorf("the second create differs: %s vs %s", reqs[0].Body, reqs[1].Body)
	}
}

// refusingTransport refuses the first n dials like a server that is not
// listening yet.
func refusingTransport(n int32, dials *atomic.Int32) *http.Transport {
	return &http.Transport{
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			if dials.Add(1) <= n {
				return nil, &net.OpError{Op: "dial", Net: network, Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}
			}
			return (&net.Dialer{}).DialContext(ctx, network, addr)
		},
	}
}

func TestCreateIsRetriedWhenTheConnectionWasRefused(t *testing.T) {
	srv := newScripted(t, reply(200, okGet))
	var dials atomic.Int32
	env := newTestClient(t, srv.URL, func(c *Config) { c.HTTPClient = &http.Client{Transport: refusingTransport(2, &dials)} })
	in, err := env.c.CreateIntegration(context.Background(), incomingReq)
	if err != nil {
		t.Fatal(err)
	}
	if in.ID != "i1" || srv.count() != 1 || dials.Load() != 3 {
		t.Errorf("integration %+v, %d requests, %d dials", in, srv.count(), dials.Load())
	}

	// Refused on every attempt: a plain error, not "outcome unknown".
	var dials2 atomic.Int32
	env2 := newTestClient(t, srv.URL, func(c *Config) { c.HTTPClient = &http.Client{Transport: refusingTransport(100, &dials2)} })
	_, err = env2.c.CreateIntegration(context.Background(), incomingReq)
	mustErr(t, err)
	if IsOutcomeUnknown(err) || !errors.Is(err, syscall.ECONNREFUSED) || dials2.Load() != 5 {
		t.Errorf("err = %v after %d dials", err, dials2.Load())
	}
}

func TestCreateIsRetriedWhenAServerStartsListening(t *testing.T) {
	ln, err := (&net.ListenConfig{}).Listen(t.Context(), "tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()

	var srv *httptest.Server
	var count atomic.Int32
	env := newTestClient(t, "http://"+addr)
	env.c.sleep = func(ctx context.Context, d time.Duration) error {
		if srv == nil {
			l, err := (&net.ListenConfig{}).Listen(ctx, "tcp", addr)
			if err != nil {
				t.Skipf("port %s was taken meanwhile: %v", addr, err)
			}
			srv = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				count.Add(1)
				reply(200, okGet)(w, r)
			}))
			srv.Listener = l
			srv.Start()
			t.Cleanup(srv.Close)
		}
		return nil
	}
	if _, err := env.c.CreateIntegration(context.Background(), incomingReq); err != nil {
		t.Fatal(err)
	}
	if count.Load() != 1 {
		t.Errorf("%d creates reached the server", count.Load())
	}
}
