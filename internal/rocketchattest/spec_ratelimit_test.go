package rocketchattest_test

import (
	"strconv"
	"time"

	rc "github.com/terraform-rocketchat/terraform-provider-rocketchat/internal/rocketchattest"
)

// §6 Rate limiting

func spec6() []row {
	limit3 := []rc.Option{rc.WithRateLimit(3, time.Minute)}
	reset := ms(t0.Add(time.Minute))
	return []row{
		{
			name:    "§6 headers: Limit, Remaining, Reset in epoch milliseconds",
			opts:    limit3,
			clock:   true,
			req:     me("regular"),
			status:  200,
			headers: map[string]any{"X-RateLimit-Limit": "3", "X-RateLimit-Remaining": "2", "X-RateLimit-Reset": reset},
		},
		{
			name:  "§6 increment then check: call n allowed iff n ≤ limit; Remaining 0 once blocked; no Retry-After",
			opts:  limit3,
			clock: true,
			setup: func(e *env) {
				for i := range 3 {
					e.verify(row{status: 200, headers: map[string]any{"X-RateLimit-Remaining": strconv.Itoa(2 - i)}}, e.do(me("regular")))
				}
			},
			req:    me("regular"),
			status: 429,
			body: plainFailure("Error, too many requests. Please slow down. You must wait 60 seconds before trying this endpoint again. " +
				"[error-too-many-requests]"),
			headers: map[string]any{
				"X-RateLimit-Limit": "3", "X-RateLimit-Remaining": "0", "X-RateLimit-Reset": reset, "Retry-After": absent,
			},
		},
		{
			name:  "§6 counters: RateLimited counts the refused calls per endpoint",
			opts:  limit3,
			clock: true,
			setup: func(e *env) {
				for range 5 {
					e.do(me("regular"))
				}
			},
			req:    me("admin"),
			status: 200,
			check: func(e *env, _ *resp) {
				if got := e.srv.RateLimited(rc.EndpointMe); got != 2 {
					e.t.Errorf("RateLimited(me) = %d, want 2", got)
				}
				if got := e.srv.Requests(rc.EndpointMe); got != 6 {
					e.t.Errorf("Requests(me) = %d, want 6", got)
				}
			},
		},
		{
			name:  "§6 429 seconds = ceil(timeToReset/1000); Reset stays absolute",
			opts:  limit3,
			clock: true,
			setup: func(e *env) {
				for range 4 {
					e.do(me("regular"))
				}
				e.clock.Advance(30*time.Second + 500*time.Millisecond)
			},
			req:    me("regular"),
			status: 429,
			body: plainFailure("Error, too many requests. Please slow down. You must wait 30 seconds before trying this endpoint again. " +
				"[error-too-many-requests]"),
			headers: map[string]any{"X-RateLimit-Reset": reset},
		},
		{
			name:  "§6 the window resets after intervalTime",
			opts:  limit3,
			clock: true,
			setup: func(e *env) {
				for range 4 {
					e.do(me("regular"))
				}
				e.clock.Advance(61 * time.Second)
			},
			req:     me("regular"),
			status:  200,
			headers: map[string]any{"X-RateLimit-Remaining": "2", "X-RateLimit-Reset": ms(t0.Add(121 * time.Second))},
		},
		{
			name:  "§6 a short window: the next call after it passes",
			opts:  []rc.Option{rc.WithRateLimit(1, 150*time.Millisecond)},
			clock: true,
			setup: func(e *env) {
				e.ok(me("regular"))
				if r := e.do(me("regular")); r.status != 429 {
					e.t.Fatalf("second call: %d", r.status)
				}
				e.clock.Advance(200 * time.Millisecond)
			},
			req:    me("regular"),
			status: 200,
		},
		{
			name:  "§6 admin bypasses: not counted, no headers",
			opts:  limit3,
			clock: true,
			setup: func(e *env) {
				for range 5 {
					e.ok(me("admin"))
				}
			},
			req:     me("admin"),
			status:  200,
			headers: map[string]any{"X-RateLimit-Limit": absent, "X-RateLimit-Remaining": absent, "X-RateLimit-Reset": absent},
		},
		{
			name:  "§6 bot bypasses: not counted, no headers",
			opts:  limit3,
			clock: true,
			setup: func(e *env) {
				for range 5 {
					e.ok(me(rc.BotUsername))
				}
			},
			req:     me(rc.BotUsername),
			status:  200,
			headers: map[string]any{"X-RateLimit-Limit": absent},
		},
		{
			name:  "§6 §3.1.2 #12 before 8.6: a post-as user given the bot role bypasses from then on",
			opts:  append([]rc.Option{rc.WithVersion("8.5.0")}, limit3...),
			clock: true,
			setup: func(e *env) {
				e.userWith("ann")
				e.verify(row{status: 200, headers: map[string]any{"X-RateLimit-Remaining": "2"}}, e.do(me("ann")))
				e.create("in", "admin", incomingBody(map[string]any{"username": "ann"}))
			},
			req:     me("ann"),
			status:  200,
			headers: map[string]any{"X-RateLimit-Limit": absent},
		},
		{
			name:  "§6 counted per endpoint and method",
			opts:  limit3,
			clock: true,
			setup: func(e *env) {
				for range 4 {
					e.do(me("owner"))
				}
			},
			req:     list("owner", ""),
			status:  200,
			headers: map[string]any{"X-RateLimit-Remaining": "2"},
		},
		{
			name:  "§6 counted per client IP",
			opts:  limit3,
			clock: true,
			setup: func(e *env) {
				for range 4 {
					e.do(me("regular"))
				}
			},
			check: func(e *env, _ *resp) {
				r := e.doWith(clientFrom("127.0.0.2"), me("regular"))
				if r.err != nil {
					e.t.Skipf("cannot connect from 127.0.0.2: %v", r.err)
				}
				e.verify(row{status: 200, headers: map[string]any{"X-RateLimit-Remaining": "2"}}, r)
			},
		},
		{
			name:  "§6 401 comes before the limiter: unauthenticated calls are not counted",
			opts:  limit3,
			clock: true,
			setup: func(e *env) {
				for range 5 {
					e.verify(row{status: 401, headers: map[string]any{"X-RateLimit-Limit": absent}}, e.do(me("")))
				}
			},
			req:     me("regular"),
			status:  200,
			headers: map[string]any{"X-RateLimit-Remaining": "2"},
		},
		{
			name:  "§6 hooks: one limiter per webhook path",
			opts:  []rc.Option{rc.WithRateLimit(1, time.Minute)},
			clock: true,
			setup: func(e *env) {
				e.create("a", "admin", incomingBody(nil))
				e.create("b", "admin", incomingBody(nil))
				e.verify(row{status: 200, headers: map[string]any{"X-RateLimit-Remaining": "0"}}, e.hook("a", map[string]any{"text": "a"}))
				e.verify(row{status: 429}, e.hook("a", map[string]any{"text": "a"}))
			},
			req:    postHook("b", map[string]any{"text": "b"}),
			status: 200,
			check:  messagesIn("#general", "a", "b"),
		},
	}
}
