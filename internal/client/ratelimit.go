package client

import (
	"context"
	"math"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Rocket.Chat limits calls per endpoint and method, per client IP, in fixed
// windows (spec §6). Its answers carry X-RateLimit-Limit,
// X-RateLimit-Remaining and X-RateLimit-Reset (an absolute time in epoch
// milliseconds); a 429 body says "You must wait S seconds".

// rateLimitMargin is added to a wait after a 429 so that a call does not
// arrive a moment before the server's window resets.
const rateLimitMargin = 100 * time.Millisecond

// pacingMargin is added to a wait for a window that the answers announced as
// exhausted. It is smaller: the reset time is exact to the millisecond, and a
// call that arrives a little early costs one 429, which then says how long
// to wait, while every window lost to margin slows a large apply down.
const pacingMargin = 20 * time.Millisecond

// maxPlausibleWait bounds a wait derived from X-RateLimit-Reset alone; a
// longer one points at clock skew rather than at a real window.
const maxPlausibleWait = 15 * time.Minute

// maxPacingWait caps how long a call is held back before it is even sent.
// A call sent too early costs one 429, whose body then says exactly how long
// to wait; a call held too long (after clock skew) costs more.
const maxPacingWait = 2 * time.Minute

// rateLimits keeps, per endpoint and method, what the server said about its
// rate-limit window, and the calls in flight, so that calls are spread over
// windows instead of running into 429 answers. It is safe for concurrent use.
//
// Until an answer has shown whether an endpoint is limited, one call at a
// time goes to it (the first of a run, and the first after each window
// reset, when the server starts a new window). Then calls go while the
// window has calls left beyond those in flight, and wait for the reset
// otherwise. Users who bypass the limiter get no headers and no pacing.
type rateLimits struct {
	mu    sync.Mutex
	byKey map[string]*rateWindow
}

type rateWindow struct {
	until time.Time // no call before this time (a 429 said so)
	limit string    // X-RateLimit-Limit, for log lines

	learned   bool      // an answer in the current window said whether the endpoint is limited
	limited   bool      // it carried X-RateLimit-* headers
	remaining int       // calls left in the window, as last reported
	reset     time.Time // end of the window, local clock
	inflight  int       // calls sent and not answered yet
	// probe is closed when the call out to learn the window has its answer;
	// nil while no such call is out.
	probe chan struct{}
}

func newRateLimits() *rateLimits { return &rateLimits{byKey: map[string]*rateWindow{}} }

func (r *rateLimits) window(key string) *rateWindow {
	w := r.byKey[key]
	if w == nil {
		w = &rateWindow{}
		r.byKey[key] = w
	}
	return w
}

// hold keeps calls to key back until the given time; an existing later hold wins.
func (r *rateLimits) hold(key string, until time.Time, limit string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	w := r.window(key)
	if until.After(w.until) {
		w.until = until
	}
	if limit != "" {
		w.limit = limit
	}
	w.remaining = 0
}

// acquire waits until a call to the endpoint can be sent without being
// refused, and counts it in flight; the returned release must be called with
// the answer's headers (nil when there was no answer, or a 429 after the
// endpoint was held). It fails at once when a wait for the window to reset
// would end after the call's deadline; a wait for the answer that tells
// whether the endpoint is limited lasts at most that call's timeout.
func (c *Client) acquire(ctx context.Context, method, endpoint string, deadline time.Time) (func(answer http.Header), error) {
	key := method + " " + endpoint
	for {
		now := c.now()
		c.limits.mu.Lock()
		w := c.limits.window(key)
		var wait time.Duration
		window := false // waiting for the window to reset, which is worth a log line
		switch {
		case w.until.After(now):
			wait, window = w.until.Sub(now), true
		case w.learned && w.limited && !now.Before(w.reset):
			w.learned = false // the server starts a new window with the next call
			wait = 0
		case !w.learned && w.probe != nil:
			// Wait for the answer itself, not for a time: it comes when the
			// call out ends, which its own timeout bounds.
			probe := w.probe
			c.limits.mu.Unlock()
			if c.awaitsProbe != nil {
				c.awaitsProbe()
			}
			select {
			case <-probe:
			case <-ctx.Done():
				return nil, ctx.Err()
			}
			continue
		case !w.learned:
			w.probe = make(chan struct{})
			w.inflight++
			c.limits.mu.Unlock()
			return c.releaser(key, true), nil
		case !w.limited || w.remaining-w.inflight > 0:
			w.inflight++
			c.limits.mu.Unlock()
			return c.releaser(key, false), nil
		default:
			wait, window = min(w.reset.Sub(now)+pacingMargin, maxPacingWait), true
		}
		limit := w.limit
		c.limits.mu.Unlock()
		if wait <= 0 {
			continue
		}
		if now.Add(wait).After(deadline) {
			return nil, &rateLimitWaitError{method: method, endpoint: endpoint, limit: limit, wait: wait}
		}
		if window {
			text := "the rate limit"
			if limit != "" {
				text = "rate limit of " + limit + " calls"
			}
			c.info(ctx, text+" reached for "+key+"; waiting "+wait.Round(time.Millisecond).String()+" until the window resets", map[string]any{
				"method": method, "endpoint": endpoint, "wait": wait.String(), "limit": limit,
			})
		}
		if err := c.sleep(ctx, wait); err != nil {
			return nil, err
		}
	}
}

// releaser ends a call's time in flight and learns from its answer.
func (c *Client) releaser(key string, probe bool) func(http.Header) {
	return func(h http.Header) {
		now := c.now()
		c.limits.mu.Lock()
		defer c.limits.mu.Unlock()
		w := c.limits.window(key)
		w.inflight--
		if probe {
			close(w.probe)
			w.probe = nil
		}
		if h == nil {
			return // no answer: nothing learned
		}
		remaining, err := strconv.Atoi(strings.TrimSpace(h.Get("X-RateLimit-Remaining")))
		d, ok := resetWait(h, now)
		if err != nil || !ok || d < 0 || d > maxPlausibleWait {
			// No usable headers: the limiter does not apply to this user, or
			// the server does not say; a 429 would tell.
			w.learned, w.limited = true, false
			return
		}
		reset := now.Add(d)
		if w.learned && w.limited && reset.Sub(w.reset).Abs() < time.Second {
			// Answers of one window arrive in any order; the lowest count is the newest.
			w.remaining = min(w.remaining, remaining)
		} else {
			w.remaining = remaining
		}
		w.learned, w.limited, w.reset = true, true, reset
		if l := h.Get("X-RateLimit-Limit"); l != "" {
			w.limit = l
		}
	}
}

// tooManyRequestsWait chooses how long to wait after a 429. ok is false when
// the answer gives no usable hint.
//
// The body's "wait S seconds" is computed by the server as a duration, so
// clock skew cannot distort it; X-RateLimit-Reset is more precise but an
// absolute time. The reset header is used when it agrees with S, S
// otherwise; then Retry-After; then the reset header alone if plausible.
func tooManyRequestsWait(h http.Header, body []byte, now time.Time) (time.Duration, bool) {
	reset, hasReset := resetWait(h, now)
	if s, ok := bodyWait(body); ok {
		if hasReset && reset >= 0 && reset <= s+time.Second {
			return reset + rateLimitMargin, true
		}
		return s + rateLimitMargin, true
	}
	if ra, ok := retryAfterWait(h, now); ok {
		return ra + rateLimitMargin, true
	}
	if hasReset && reset >= 0 && reset <= maxPlausibleWait {
		return reset + rateLimitMargin, true
	}
	return 0, false
}

// resetWait reads X-RateLimit-Reset as the time left in the window.
// Rocket.Chat sends epoch milliseconds; epoch seconds and a plain number of
// seconds, as other servers send, are tolerated.
//
// The reset time comes from the server's clock. When the server's Date
// header shows that the two clocks disagree, the wait is measured from Date
// instead of the local clock; Date has one-second resolution, so that wait
// may come out up to a second long, which is harmless.
func resetWait(h http.Header, now time.Time) (time.Duration, bool) {
	v := strings.TrimSpace(h.Get("X-RateLimit-Reset"))
	if v == "" {
		return 0, false
	}
	n, err := strconv.ParseFloat(v, 64)
	if err != nil || math.IsNaN(n) || math.IsInf(n, 0) || n < 0 {
		return 0, false
	}
	var at time.Time
	switch {
	case n >= 1e11: // epoch milliseconds
		at = time.UnixMilli(int64(n))
	case n >= 1e9: // epoch seconds
		at = time.Unix(int64(n), 0)
	default: // seconds from now
		return time.Duration(n * float64(time.Second)), true
	}
	local := at.Sub(now)
	if date, err := http.ParseTime(h.Get("Date")); err == nil {
		server := at.Sub(date) // true wait plus the part of a second Date dropped
		if local < server-time.Second-clockTolerance || local > server+clockTolerance {
			return server, true
		}
	}
	return local, true
}

// clockTolerance is how far the local clock may stray from a server's Date
// header (beyond its one-second resolution) before the clocks count as
// skewed; it also absorbs network latency.
const clockTolerance = 250 * time.Millisecond

var mustWaitRE = regexp.MustCompile(`(?i)wait\s+(\d+(?:\.\d+)?)\s+seconds?`)

// bodyWait reads "You must wait S seconds" from a 429 body.
func bodyWait(body []byte) (time.Duration, bool) {
	m := mustWaitRE.FindSubmatch(body)
	if m == nil {
		return 0, false
	}
	s, err := strconv.ParseFloat(string(m[1]), 64)
	if err != nil || s < 0 || s > 24*3600 {
		return 0, false
	}
	return time.Duration(s * float64(time.Second)), true
}

// retryAfterWait reads Retry-After, in seconds or as an HTTP date. Rocket.Chat
// itself does not send it, but proxies in front of it may.
func retryAfterWait(h http.Header, now time.Time) (time.Duration, bool) {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0, false
	}
	if s, err := strconv.Atoi(v); err == nil {
		if s < 0 {
			return 0, false
		}
		return time.Duration(s) * time.Second, true
	}
	at, err := http.ParseTime(v)
	if err != nil {
		return 0, false
	}
	base := now
	if d, err := http.ParseTime(h.Get("Date")); err == nil {
		base = d
	}
	d := at.Sub(base)
	if d < 0 {
		d = 0
	}
	return d, true
}
