package rocketchattest_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"time"

	rc "github.com/terraform-rocketchat/terraform-provider-rocketchat/internal/rocketchattest"
)

// Fault injection and request counters (not part of Rocket.Chat)

func faultRows() []row {
	return []row{
		{
			name:   "fault: Status answers with a proxy-like HTML page for 5xx",
			setup:  func(e *env) { e.srv.Fail(rc.EndpointList, 1, rc.Fault{Status: 502}) },
			req:    list("admin", ""),
			status: 502,
			headers: map[string]any{
				"Content-Type": "text/html; charset=utf-8",
			},
			check: func(e *env, r *resp) {
				if !strings.Contains(string(r.raw), "502 Bad Gateway") {
					e.t.Errorf("body %s", r.raw)
				}
				e.verify(row{status: 200}, e.do(list("admin", "")))
			},
		},
		{
			name: "fault: Status 429 with a Rocket.Chat-like body and extra headers",
			setup: func(e *env) {
				e.srv.Fail(rc.EndpointGet, 1, rc.Fault{Status: 429, Header: http.Header{"Retry-After": {"1"}}})
			},
			req:    get("admin", "integrationId=x"),
			status: 429,
			want:   map[string]any{"success": false, "error": contains("[error-too-many-requests]")},
			headers: map[string]any{
				"Retry-After": "1",
			},
		},
		{
			name:    "fault: Body alone is a garbage 200",
			setup:   func(e *env) { e.srv.Fail(rc.EndpointMe, 1, rc.Fault{Body: `{"success":tr`}) },
			req:     me("admin"),
			status:  200,
			headers: map[string]any{"Content-Type": "application/json"},
			check: func(e *env, r *resp) {
				if string(r.raw) != `{"success":tr` {
					e.t.Errorf("body %q", r.raw)
				}
			},
		},
		{
			name:  "fault: Drop closes the connection without an answer",
			setup: func(e *env) { e.srv.Fail(rc.EndpointCreate, 1, rc.Fault{Drop: true}) },
			check: func(e *env, _ *resp) {
				if r := e.do(create("admin", incomingBody(nil))); r.err == nil {
					e.t.Errorf("answered %d %s", r.status, r.raw)
				}
				if n := len(e.srv.Integrations()); n != 0 {
					e.t.Errorf("%d integrations stored", n)
				}
			},
		},
		{
			name:  "fault: AfterHandling with Drop: the create happened, its answer is lost",
			setup: func(e *env) { e.srv.Fail(rc.EndpointCreate, 1, rc.Fault{Drop: true, AfterHandling: true}) },
			check: func(e *env, _ *resp) {
				if r := e.do(create("admin", incomingBody(nil))); r.err == nil {
					e.t.Errorf("answered %d %s", r.status, r.raw)
				}
				if n := len(e.srv.Integrations()); n != 1 {
					e.t.Errorf("%d integrations stored, want 1", n)
				}
			},
		},
		{
			name: "fault: AfterHandling with Status: the remove happened, the client sees 503",
			setup: func(e *env) {
				e.create("in", "admin", incomingBody(nil))
				e.srv.Fail(rc.EndpointRemove, 1, rc.Fault{Status: 503, AfterHandling: true})
			},
			req:    remove("admin", map[string]any{"type": "webhook-incoming", "integrationId": "{{in}}"}),
			status: 503,
			check: func(e *env, _ *resp) {
				if _, ok := e.srv.Integration(e.vars["in"]); ok {
					e.t.Error("still stored")
				}
			},
		},
		{
			name:   "fault: Delay alone waits, then answers for real",
			setup:  func(e *env) { e.srv.Fail(rc.EndpointMe, 1, rc.Fault{Delay: 100 * time.Millisecond}) },
			req:    me("admin"),
			status: 200,
			want:   map[string]any{"username": "admin"},
			check: func(e *env, r *resp) {
				if r.took < 100*time.Millisecond {
					e.t.Errorf("answered after %v", r.took)
				}
			},
		},
		{
			name: "fault: AfterHandling with Delay: the create happened, its answer comes late",
			setup: func(e *env) {
				e.srv.Fail(rc.EndpointCreate, 1, rc.Fault{Delay: 100 * time.Millisecond, AfterHandling: true})
			},
			req:    create("admin", incomingBody(nil)),
			status: 200,
			check: func(e *env, r *resp) {
				if r.took < 100*time.Millisecond {
					e.t.Errorf("answered after %v", r.took)
				}
			},
		},
		{
			name: "fault: a slow server acts on a delayed request even after its client gave up",
			setup: func(e *env) {
				e.srv.Fail(rc.EndpointCreate, 1, rc.Fault{Delay: 300 * time.Millisecond})
				ctx, cancel := context.WithTimeout(e.t.Context(), 50*time.Millisecond)
				defer cancel()
				body, _ := json.Marshal(incomingBody(nil))
				r, _ := http.NewRequestWithContext(ctx, http.MethodPost, e.srv.URL()+"/api/v1/integrations.create", bytes.NewReader(body))
				admin := e.srv.Admin()
				r.Header.Set("X-User-Id", admin.UserID)
				r.Header.Set("X-Auth-Token", admin.AuthToken)
				r.Header.Set("Content-Type", "application/json")
				if res, err := http.DefaultClient.Do(r); err == nil {
					res.Body.Close()
					e.t.Errorf("answered %d before the delay", res.StatusCode)
				}
				if n := len(e.srv.Integrations()); n != 0 {
					e.t.Errorf("%d integrations stored before the delay ended", n)
				}
			},
			check: func(e *env, _ *resp) {
				deadline := time.Now().Add(2 * time.Second)
				for len(e.srv.Integrations()) == 0 && time.Now().Before(deadline) {
					time.Sleep(20 * time.Millisecond)
				}
				if n := len(e.srv.Integrations()); n != 1 {
					e.t.Errorf("%d integrations stored after the delay, want 1", n)
				}
			},
		},
		{
			name: "fault: faults apply in order, one per request",
			setup: func(e *env) {
				e.srv.Fail(rc.EndpointMe, 2, rc.Fault{Status: 504})
				e.verify(row{status: 504}, e.do(me("admin")))
				e.verify(row{status: 504}, e.do(me("admin")))
			},
			req:    me("admin"),
			status: 200,
		},
		{
			name: "fault: ClearFaults forgets pending faults",
			setup: func(e *env) {
				e.srv.Fail(rc.EndpointMe, 3, rc.Fault{Status: 504})
				e.srv.ClearFaults()
			},
			req:    me("admin"),
			status: 200,
		},
		{
			name: "counters: Requests counts every request to an endpoint, refused and faulted ones included",
			setup: func(e *env) {
				e.srv.Fail(rc.EndpointCreate, 1, rc.Fault{Status: 502})
				e.do(create("admin", incomingBody(nil)))                                         // faulted
				e.do(create("", incomingBody(nil)))                                              // 401
				e.do(create("admin", map[string]any{}))                                          // 400
				e.ok(create("admin", incomingBody(nil)))                                         // 200
				e.do(req{method: http.MethodGet, path: "/api/v1/no.such.endpoint", as: "admin"}) // unknown
				e.do(req{method: http.MethodPost, path: "/hooks/x/y"})
			},
			check: func(e *env, _ *resp) {
				counts := map[string]int{
					rc.EndpointCreate: 4, rc.EndpointOther: 1, rc.EndpointHooks: 1, rc.EndpointList: 0,
				}
				for ep, want := range counts {
					if got := e.srv.Requests(ep); got != want {
						e.t.Errorf("Requests(%q) = %d, want %d", ep, got, want)
					}
				}
				e.srv.ResetRequests()
				if got := e.srv.Requests(rc.EndpointCreate); got != 0 {
					e.t.Errorf("after reset: %d", got)
				}
			},
		},
	}
}
