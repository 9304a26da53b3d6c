package client

import (
	"context"
	"errors"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

const serverDate = "Sat, 01 Mar 2025 12:00:00 GMT"

var serverTime = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)

func tooMany(seconds int) string {
	return `{"success":false,"error":"Error, too many requests. Please slow down. You must wait ` + strconv.Itoa(seconds) +
		` seconds before trying this endpoint again. [error-too-many-requests]"}`
}

func epochMS(t time.Time) string { return strconv.FormatInt(t.UnixMilli(), 10) }

func TestTooManyRequestsWait(t *testing.T) {
	clientNow := serverTime.Add(-17 * time.Second) // the client's clock is off
	tests := []struct {
		name    string
		headers []string
		body    string
		now     time.Time // the client's clock; clientNow when zero
		want    time.Duration
	}{
		{
			name:    "reset relative to the server's Date, agreeing with the body",
			headers: []string{"Date", serverDate, "X-RateLimit-Reset", epochMS(serverTime.Add(2500 * time.Millisecond))},
			body:    tooMany(3),
			want:    2500*time.Millisecond + rateLimitMargin,
		},
		{
			name:    "clocks that agree: the precise local clock is used",
			headers: []string{"Date", serverDate, "X-RateLimit-Reset", epochMS(clientNow.Add(17*time.Second + 2200*time.Millisecond))},
			now:     clientNow.Add(17*time.Second + 300*time.Millisecond),
			want:    1900*time.Millisecond + rateLimitMargin,
		},
		{
			name:    "reset without Date uses the client clock",
			headers: []string{"X-RateLimit-Reset", epochMS(clientNow.Add(4 * time.Second))},
			want:    4*time.Second + rateLimitMargin,
		},
		{
			name:    "reset in the past (clock skew): the body's seconds win",
			headers: []string{"X-RateLimit-Reset", epochMS(clientNow.Add(-time.Hour))},
			body:    tooMany(3),
			want:    3*time.Second + rateLimitMargin,
		},
		{
			name:    "reset far in the future (clock skew): the body's seconds win",
			headers: []string{"X-RateLimit-Reset", epochMS(clientNow.Add(time.Hour))},
			body:    tooMany(3),
			want:    3*time.Second + rateLimitMargin,
		},
		{
			name: "body only",
			body: tooMany(42),
			want: 42*time.Second + rateLimitMargin,
		},
		{
			name:    "Retry-After seconds",
			headers: []string{"Retry-After", "5"},
			want:    5*time.Second + rateLimitMargin,
		},
		{
			name:    "Retry-After date",
			headers: []string{"Date", serverDate, "Retry-After", serverTime.Add(8 * time.Second).Format(http.TimeFormat)},
			want:    8*time.Second + rateLimitMargin,
		},
		{
			name:    "implausible reset alone is ignored",
			headers: []string{"X-RateLimit-Reset", epochMS(clientNow.Add(48 * time.Hour))},
			want:    -1,
		},
		{
			name:    "reset in epoch seconds",
			headers: []string{"Date", serverDate, "X-RateLimit-Reset", strconv.FormatInt(serverTime.Add(6*time.Second).Unix(), 10)},
			want:    6*time.Second + rateLimitMargin,
		},
		{name: "no hint", want: -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := http.Header{}
			for i := 0; i+1 < len(tt.headers); i += 2 {
				h.Set(tt.headers[i], tt.headers[i+1])
			}
			now := clientNow
			if !tt.now.IsZero() {
				now = tt.now
			}
			got, ok := tooManyRequestsWait(h, []byte(tt.body), now)
			if tt.want < 0 {
				if ok {
					t.Errorf("wait %s, want no hint", got)
				}
				return
			}
			if !ok || got != tt.want {
				t.Errorf("wait %s (%v), want %s", got, ok, tt.want)
			}
		})
	}
}

func TestRateLimitedCallWaitsAndRetries(t *testing.T) {
	srv := newScripted(t,
		reply(429, tooMany(3), "Date", serverDate, "X-RateLimit-Limit", "10", "X-RateLimit-Remaining", "0",
			"X-RateLimit-Reset", epochMS(serverTime.Add(2500*time.Millisecond))),
		reply(200, okGet))
	env := newTestClient(t, srv.URL)
	if _, err := env.c.GetIntegration(context.Background(), "i1"); err != nil {
		t.Fatal(err)
	}
	if got, want := env.clock.waits(), []time.Duration{2500*time.Millisecond + rateLimitMargin}; !reflect.DeepEqual(got, want) {
		t.Errorf("waits %v, want %v", got, want)
	}
	if srv.count() != 2 {
		t.Errorf("%d requests", srv.count())
	}
	if !strings.Contains(env.log.text(), "INFO rate limit of 10 calls reached for GET /api/v1/integrations.get; waiting 2.6s until the window resets") {
		t.Errorf("log:\n%s", env.log.text())
	}
}

func TestRateLimitBodySecondsWithoutHeaders(t *testing.T) {
	srv := newScripted(t, reply(429, tooMany(7)), reply(429, tooMany(1)), reply(200, okGet))
	env := newTestClient(t, srv.URL, func(c *Config) { c.Retry.MaxAttempts = 1 }) // 429s do not use up attempts
	if _, err := env.c.GetIntegration(context.Background(), "i1"); err != nil {
		t.Fatal(err)
	}
	want := []time.Duration{7*time.Second + rateLimitMargin, time.Second + rateLimitMargin}
	if got := env.clock.waits(); !reflect.DeepEqual(got, want) {
		t.Errorf("waits %v, want %v", got, want)
	}
}

func TestHintless429UsesBackoff(t *testing.T) {
	srv := newScripted(t, reply(429, `{"success":false,"error":"slow down"}`), reply(429, `{}`), reply(200, okGet))
	env := newTestClient(t, srv.URL)
	if _, err := env.c.GetIntegration(context.Background(), "i1"); err != nil {
		t.Fatal(err)
	}
	if got, want := env.clock.waits(), []time.Duration{500 * time.Millisecond, time.Second}; !reflect.DeepEqual(got, want) {
		t.Errorf("waits %v, want %v", got, want)
	}
}

func TestRateLimitLongerThanMaxElapsed(t *testing.T) {
	srv := newScripted(t, reply(429, tooMany(600)))
	env := newTestClient(t, srv.URL, func(c *Config) { c.Retry.MaxElapsed = time.Minute })
	_, err := env.c.GetIntegration(context.Background(), "i1")
	mustErr(t, err)
	if !IsRateLimited(err) || srv.count() != 1 || len(env.clock.waits()) != 0 {
		t.Errorf("err %v after %d requests and waits %v", err, srv.count(), env.clock.waits())
	}
	if !strings.Contains(err.Error(), "[error-too-many-requests]") || !strings.Contains(err.Error(), "later than RetryPolicy.MaxElapsed allows") {
		t.Errorf("err = %v", err)
	}

	// The next call is held back without being sent, and fails at once too.
	_, err = env.c.GetIntegration(context.Background(), "i1")
	mustErr(t, err)
	if !IsRateLimited(err) || srv.count() != 1 {
		t.Errorf("err %v after %d requests", err, srv.count())
	}
}

func TestProactivePacing(t *testing.T) {
	exhausted := reply(200, okGet, "Date", serverDate, "X-RateLimit-Limit", "10", "X-RateLimit-Remaining", "0",
		"X-RateLimit-Reset", epochMS(serverTime.Add(30*time.Second)))
	srv := newScripted(t, exhausted, reply(200, meBody), reply(200, okGet))
	env := newTestClient(t, srv.URL)
	ctx := context.Background()
	if _, err := env.c.GetIntegration(ctx, "i1"); err != nil {
		t.Fatal(err)
	}
	// Another endpoint has its own window.
	if _, err := env.c.Me(ctx); err != nil {
		t.Fatal(err)
	}
	if len(env.clock.waits()) != 0 {
		t.Fatalf("waited for another endpoint: %v", env.clock.waits())
	}
	// The same endpoint waits for the window instead of running into a 429.
	if _, err := env.c.GetIntegration(ctx, "i2"); err != nil {
		t.Fatal(err)
	}
	if got, want := env.clock.waits(), []time.Duration{30*time.Second + pacingMargin}; !reflect.DeepEqual(got, want) {
		t.Errorf("waits %v, want %v", got, want)
	}
	if srv.count() != 3 {
		t.Errorf("%d requests", srv.count())
	}
	if !strings.Contains(env.log.text(), "INFO rate limit of 10 calls reached for GET /api/v1/integrations.get; waiting 30.02s until the window resets") {
		t.Errorf("log:\n%s", env.log.text())
	}
}

func TestNoPacingWhileCallsRemain(t *testing.T) {
	srv := newScripted(t, reply(200, okGet, "Date", serverDate, "X-RateLimit-Limit", "10", "X-RateLimit-Remaining", "1",
		"X-RateLimit-Reset", epochMS(serverTime.Add(30*time.Second))))
	env := newTestClient(t, srv.URL)
	for range 3 {
		if _, err := env.c.GetIntegration(context.Background(), "i1"); err != nil {
			t.Fatal(err)
		}
	}
	if len(env.clock.waits()) != 0 {
		t.Errorf("waits %v", env.clock.waits())
	}
}

func TestPacingHoldsConcurrentCalls(t *testing.T) {
	var mu sync.Mutex
	var resetAt time.Time
	var early []time.Time
	first := true
	handler := func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		now := time.Now()
		if first {
			first = false
			resetAt = now.Add(300 * time.Millisecond)
			reply(200, okGet, "Date", "", "X-RateLimit-Limit", "10", "X-RateLimit-Remaining", "0", "X-RateLimit-Reset", epochMS(resetAt))(w, r)
			return
		}
		if now.Before(resetAt) {
			early = append(early, now)
		}
		reply(200, okGet)(w, r)
	}
	srv := newScripted(t, handler)
	c, err := New(Config{URL: srv.URL, UserID: testUserID, AuthToken: testAuthToken}) // real clock
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := c.GetIntegration(ctx, "i0"); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for range 10 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := c.GetIntegration(ctx, "i1"); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if len(early) != 0 || srv.count() != 11 {
		t.Errorf("%d calls sent before the window reset; %d requests", len(early), srv.count())
	}
}

func TestCancelDuringRateLimitWait(t *testing.T) {
	srv := newScripted(t, reply(429, tooMany(60)))
	c, err := New(Config{URL: srv.URL, UserID: testUserID, AuthToken: testAuthToken}) // real sleeps
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, cancel)
	start := time.Now()
	_, err = c.CreateIntegration(ctx, incomingReq)
	elapsed := time.Since(start)
	mustErr(t, err)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
	if IsOutcomeUnknown(err) {
		t.Errorf("a create refused by the rate limiter is not of unknown outcome: %v", err)
	}
	if elapsed > time.Second {
		t.Errorf("returned after %s", elapsed)
	}

	// A call held back by pacing returns promptly too.
	ctx2, cancel2 := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel2()
	start = time.Now()
	_, err = c.CreateIntegration(ctx2, incomingReq)
	mustErr(t, err)
	if !errors.Is(err, context.DeadlineExceeded) || time.Since(start) > time.Second || srv.count() != 1 {
		t.Errorf("err %v after %s and %d requests", err, time.Since(start), srv.count())
	}
}

func TestCancelDuringBackoff(t *testing.T) {
	srv := newScripted(t, reply(503, `{}`))
	c, err := New(Config{URL: srv.URL, UserID: testUserID, AuthToken: testAuthToken, Retry: RetryPolicy{MinBackoff: 10 * time.Second}})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, cancel)
	start := time.Now()
	_, err = c.GetIntegration(ctx, "i1")
	mustErr(t, err)
	if !errors.Is(err, context.Canceled) || time.Since(start) > time.Second {
		t.Errorf("err %v after %s", err, time.Since(start))
	}
}

// TestRateLimitHintBoundaries reads each hint at the edge of what it
// accepts: just inside and just outside.
func TestRateLimitHintBoundaries(t *testing.T) {
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	h := func(kv ...string) http.Header {
		out := http.Header{}
		for i := 0; i < len(kv); i += 2 {
			out.Set(kv[i], kv[i+1])
		}
		return out
	}
	t.Run("X-RateLimit-Reset", func(t *testing.T) {
		for _, tc := range []struct {
			value string
			want  time.Duration
			ok    bool
		}{
			{"0", 0, true},   // seconds from now, nothing to wait
			{"-1", 0, false}, // no negative time
			{"5", 5 * time.Second, true},
			{"999999999", 999999999 * time.Second, true}, // just below epoch seconds: a delta
			{strconv.FormatInt(now.Add(3*time.Second).Unix(), 10), 3 * time.Second, true},
			{"99999999999", time.Unix(99999999999, 0).Sub(now), true}, // just below epoch milliseconds: seconds
			{strconv.FormatInt(now.Add(1500*time.Millisecond).UnixMilli(), 10), 1500 * time.Millisecond, true},
			{"NaN", 0, false}, {"Inf", 0, false}, {"soon", 0, false}, {"", 0, false},
		} {
			got, ok := resetWait(h("X-RateLimit-Reset", tc.value), now)
			if ok != tc.ok || (ok && got != tc.want) {
				t.Errorf("%q: %v, %v; want %v, %v", tc.value, got, ok, tc.want, tc.ok)
			}
		}
	})
	t.Run("the server's Date against the local clock", func(t *testing.T) {
		reset := strconv.FormatInt(now.Add(10*time.Second).UnixMilli(), 10)
		for _, tc := range []struct {
			skew time.Duration // local clock minus the server's
			want time.Duration
		}{
			{0, 10 * time.Second},
			// Date drops the fraction of a second, so the server may be up to
			// a second ahead of it: a local clock that far ahead still agrees.
			{time.Second + clockTolerance, 10*time.Second - time.Second - clockTolerance},
			{time.Second + clockTolerance + time.Millisecond, 10 * time.Second}, // skewed: measured from Date
			{-clockTolerance, 10*time.Second + clockTolerance},
			{-clockTolerance - time.Millisecond, 10 * time.Second},
		} {
			got, _ := resetWait(h("X-RateLimit-Reset", reset, "Date", now.Format(http.TimeFormat)), now.Add(tc.skew))
			if got != tc.want {
				t.Errorf("skew %v: %v, want %v", tc.skew, got, tc.want)
			}
		}
	})
	t.Run("the body's seconds", func(t *testing.T) {
		for _, tc := range []struct {
			body string
			want time.Duration
			ok   bool
		}{
			{"You must wait 0 seconds", 0, true},
			{"You must wait 86400 seconds", 24 * time.Hour, true},
			{"You must wait 86401 seconds", 0, false},
			{"You must wait 2.5 seconds", 2500 * time.Millisecond, true},
			{"Please wait", 0, false},
		} {
			got, ok := bodyWait([]byte(tc.body))
			if ok != tc.ok || (ok && got != tc.want) {
				t.Errorf("%q: %v, %v; want %v, %v", tc.body, got, ok, tc.want, tc.ok)
			}
		}
	})
	t.Run("Retry-After", func(t *testing.T) {
		for _, tc := range []struct {
			header http.Header
			want   time.Duration
			ok     bool
		}{
			{h("Retry-After", "0"), 0, true},
			{h("Retry-After", "-1"), 0, false},
			{h("Retry-After", "7"), 7 * time.Second, true},
			{h("Retry-After", now.Add(-time.Minute).Format(http.TimeFormat)), 0, true}, // a date past: no wait
			{h("Retry-After", now.Add(time.Minute).Format(http.TimeFormat), "Date", now.Add(30*time.Second).Format(http.TimeFormat)), 30 * time.Second, true},
			{h("Retry-After", "later"), 0, false},
		} {
			got, ok := retryAfterWait(tc.header, now)
			if ok != tc.ok || (ok && got != tc.want) {
				t.Errorf("%v: %v, %v; want %v, %v", tc.header, got, ok, tc.want, tc.ok)
			}
		}
	})
	t.Run("a reset that agrees with the body", func(t *testing.T) {
		at := func(d time.Duration) http.Header {
			return h("X-RateLimit-Reset", strconv.FormatInt(now.Add(d).UnixMilli(), 10))
		}
		for _, tc := range []struct {
			header http.Header
			body   string
			want   time.Duration
		}{
			{at(3 * time.Second), tooMany(2), 3*time.Second + rateLimitMargin},                  // within a second of the body: the precise reset
			{at(3*time.Second + time.Millisecond), tooMany(2), 2*time.Second + rateLimitMargin}, // further: the body
			{at(0), tooMany(2), rateLimitMargin},
			{at(maxPlausibleWait), "", maxPlausibleWait + rateLimitMargin},
		} {
			got, ok := tooManyRequestsWait(tc.header, []byte(tc.body), now)
			if !ok || got != tc.want {
				t.Errorf("%v %q: %v, %v; want %v", tc.header, tc.body, got, ok, tc.want)
			}
		}
		if _, ok := tooManyRequestsWait(at(maxPlausibleWait+time.Millisecond), nil, now); ok {
			t.Error("a reset further than any plausible window was taken")
		}
	})
}

// TestWaitersOfA429ProbeKeepTheHold sends calls to an endpoint whose window
// is not known yet: one goes, the others wait for its answer. When that
// answer is a 429, none of them may go before the wait it names is over.
func TestWaitersOfA429ProbeKeepTheHold(t *testing.T) {
	const waiters = 20
	var env testEnv
	release := make(chan struct{})
	var mu sync.Mutex
	var heldUntil time.Time
	var early []time.Time
	srv := newScripted(t,
		func(w http.ResponseWriter, r *http.Request) {
			<-release
			mu.Lock()
			heldUntil = env.clock.now().Add(3 * time.Second)
			mu.Unlock()
			reply(429, tooMany(3))(w, r)
		},
		func(w http.ResponseWriter, r *http.Request) {
			mu.Lock()
			if now := env.clock.now(); now.Before(heldUntil) {
				early = append(early, now)
			}
			mu.Unlock()
			reply(200, okGet)(w, r)
		})
	env = newTestClient(t, srv.URL)
	waiting := make(chan struct{}, waiters)
	env.c.awaitsProbe = func() { waiting <- struct{}{} }
	var wg sync.WaitGroup
	errs := make(chan error, waiters+1)
	for range waiters + 1 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := env.c.GetIntegration(context.Background(), "i1"); err != nil {
				errs <- err
			}
		}()
	}
	for range waiters {
		<-waiting
	}
	close(release)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if len(early) > 0 {
		t.Errorf("%d calls went before the 429's wait was over (the first at %v, held until %v)", len(early), early[0], heldUntil)
	}
	if n := srv.count(); n != waiters+2 {
		t.Errorf("%d requests, want the 429 and one per call", n)
	}
}
