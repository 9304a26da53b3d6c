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

// rateLimitMargin is added to every wait so that a call does not arrive a
// moment before the server's window resets.
const rateLimitMargin = 100 * time.Millisecond

// maxPlausibleWait bounds a wait derived from X-RateLimit-Reset alone; a
// longer one points at clock skew rather than at a real window.
const maxPlausibleWait = 15 * time.Minute

// maxPacingWait caps how long a call is held back before it is even sent.
// A call sent too early costs one 429, whose body then says exactly how long
// to wait; a call held too long (after clock skew) costs more.
const maxPacingWait = 2 * time.Minute

// rateLimits remembers, per endpoint and method, until when further calls
// would only be refused. It is safe for concurrent use.
type rateLimits struct {
	mu    sync.Mutex
	byKey map[string]rateWindow
}

type rateWindow struct {
	until time.Time
	limit string // X-RateLimit-Limit, for log lines
}

func newRateLimits() *rateLimits { return &rateLimits{byKey: map[string]rateWindow{}} }

func (r *rateLimits) get(key string) rateWindow {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.byKey[key]
}

// hold keeps calls to key back until the given time; an existing later hold wins.
func (r *rateLimits) hold(key string, until time.Time, limit string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	w := r.byKey[key]
	if until.After(w.until) {
		w.until = until
	}
	if limit != "" {
		w.limit = limit
	}
	r.byKey[key] = w
}

// waitForWindow holds a call back while its endpoint's window is exhausted.
// It fails at once when the window ends after the call's deadline.
func (c *Client) waitForWindow(ctx context.Context, method, endpoint string, deadline time.Time) error {
	key := method + " " + endpoint
	for {
		w := c.limits.get(key)
		now := c.now()
		d := w.until.Sub(now)
		if d <= 0 {
			return nil
		}
		if now.Add(d).After(deadline) {
			return &rateLimitWaitError{method: method, endpoint: endpoint, limit: w.limit, wait: d}
		}
		limit := "the rate limit"
		if w.limit != "" {
			limit = "rate limit of " + w.limit + " calls"
		}
		c.info(ctx, limit+" reached for "+key+"; waiting "+d.Round(time.Millisecond).String()+" until the window resets", map[string]any{
			"method":   method,
			"endpoint": endpoint,
			"wait":     d.String(),
			"limit":    w.limit,
		})
		if err := c.sleep(ctx, d); err != nil {
			return err
		}
	}
}

// noteRateLimit records an exhausted window announced by a response that
// was not refused (X-RateLimit-Remaining: 0).
func (c *Client) noteRateLimit(method, endpoint string, h http.Header) {
	if strings.TrimSpace(h.Get("X-RateLimit-Remaining")) != "0" {
		return
	}
	d, ok := resetWait(h, c.now())
	if !ok || d < 0 || d > maxPlausibleWait {
		// Without a believable reset time the next call may go; a 429 would
		// then say how long to wait.
		return
	}
	d = min(d+rateLimitMargin, maxPacingWait)
	c.limits.hold(method+" "+endpoint, c.now().Add(d), h.Get("X-RateLimit-Limit"))
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
