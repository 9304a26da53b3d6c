package rocketchattest

import (
	"math"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// rateLimiter emulates Rocket.Chat's REST rate limiter (spec §6): one Meteor
// RateLimiter rule per route and method, counting per client IP within a fixed
// window that restarts, for every IP at once, on the first call after the
// window has run out. A call is counted first, then allowed when the count is
// within the limit.
type rateLimiter struct {
	limit  int
	window time.Duration
	now    func() time.Time

	mu    sync.Mutex
	rules map[string]*rateRule
}

type rateRule struct {
	lastReset time.Time
	counts    map[string]int // by client IP
}

type rateDecision struct {
	allowed     bool
	limit       int
	remaining   int
	timeToReset time.Duration
}

func newRateLimiter(limit int, window time.Duration, now func() time.Time) *rateLimiter {
	return &rateLimiter{limit: limit, window: window, now: now, rules: map[string]*rateRule{}}
}

// check counts one call of route from ip and reports whether it may proceed.
func (l *rateLimiter) check(route, ip string) rateDecision {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	rule, ok := l.rules[route]
	if !ok {
		rule = &rateRule{lastReset: now, counts: map[string]int{}}
		l.rules[route] = rule
	}
	if now.Sub(rule.lastReset) > l.window {
		rule.lastReset = now
		clear(rule.counts)
	}
	rule.counts[ip]++
	n := rule.counts[ip]
	d := rateDecision{
		allowed:     n <= l.limit,
		limit:       l.limit,
		remaining:   max(l.limit-n, 0),
		timeToReset: l.window - now.Sub(rule.lastReset),
	}
	return d
}

// setHeaders writes the X-RateLimit-* headers; Reset is an absolute time in
// epoch milliseconds, not seconds and not a delta.
func (d rateDecision) setHeaders(h http.Header, now time.Time) {
	h.Set("X-RateLimit-Limit", strconv.Itoa(d.limit))
	h.Set("X-RateLimit-Remaining", strconv.Itoa(d.remaining))
	h.Set("X-RateLimit-Reset", strconv.FormatInt(now.Add(d.timeToReset).UnixMilli(), 10))
}

func (d rateDecision) waitSeconds() int {
	return int(math.Ceil(d.timeToReset.Seconds()))
}
