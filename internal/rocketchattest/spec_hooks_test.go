package rocketchattest_test

import (
	"net/http"
	"net/url"
	"slices"
	"time"

	rc "github.com/terraform-rocketchat/terraform-provider-rocketchat/internal/rocketchattest"
)

// §3.7 /hooks

func hookPath(v string) string { return "/hooks/{{" + v + "}}/{{" + v + ".token}}" }

func postHook(v string, body any) req {
	return req{method: http.MethodPost, path: hookPath(v), body: body}
}

func messagesIn(target string, want ...string) func(e *env, _ *resp) {
	return func(e *env, _ *resp) {
		if got := texts(e.srv.Messages(target)); !slices.Equal(got, want) {
			e.t.Errorf("messages in %s: %q, want %q", target, got, want)
		}
	}
}

func spec37() []row {
	withIn := func(e *env) { e.create("in", "admin", incomingBody(nil)) }
	withOverride := func(e *env) {
		e.create("in", "admin", incomingBody(map[string]any{"overrideDestinationChannelEnabled": true}))
	}
	return []row{
		{
			name:  "§3.7 #1 §6 rate limited per hook path; the bypass permission does not apply",
			opts:  []rc.Option{rc.WithRateLimit(2, time.Minute)},
			clock: true,
			setup: func(e *env) {
				withIn(e)
				for range 2 {
					e.ok(req{method: http.MethodPost, path: hookPath("in"), as: "admin", body: map[string]any{"text": "x"}})
				}
			},
			req:    req{method: http.MethodPost, path: hookPath("in"), as: "admin", body: map[string]any{"text": "x"}},
			status: 429,
			body: plainFailure("Error, too many requests. Please slow down. You must wait 60 seconds before trying this endpoint again. " +
				"[error-too-many-requests]"),
			check: messagesIn("#general", "x", "x"),
		},
		{
			name:  "§L10 the limit counts per route and method: GET and POST of one hook apart",
			opts:  []rc.Option{rc.WithRateLimit(2, time.Minute)},
			clock: true,
			setup: func(e *env) {
				withIn(e)
				for range 2 {
					e.ok(req{method: http.MethodPost, path: hookPath("in"), body: map[string]any{"text": "x"}})
				}
			},
			req:     req{method: http.MethodGet, path: hookPath("in")},
			status:  200,
			headers: map[string]any{"X-RateLimit-Remaining": "1"},
		},
		{
			name:  "§L10 the integration and token come before the limit: a wrong token is never counted or refused with 429",
			opts:  []rc.Option{rc.WithRateLimit(2, time.Minute)},
			clock: true,
			setup: func(e *env) {
				withIn(e)
				for range 3 {
					e.verify(row{status: 500, headers: map[string]any{"X-RateLimit-Limit": absent}},
						e.do(req{method: http.MethodPost, path: "/hooks/{{in}}/wrong", body: map[string]any{"text": "x"}}))
				}
			},
			req:     req{method: http.MethodPost, path: "/hooks/{{in}}/wrong", body: map[string]any{"text": "x"}},
			status:  500,
			headers: map[string]any{"X-RateLimit-Limit": absent},
		},
		{
			name:  "§L10 the post-as user comes before the limit too: a hook whose user is gone is never refused with 429",
			opts:  []rc.Option{rc.WithRateLimit(2, time.Minute)},
			clock: true,
			setup: func(e *env) {
				e.userWith("ann", rc.PermMessageImpersonate)
				e.create("in", "admin", incomingBody(map[string]any{"username": "ann"}))
				e.srv.DeleteUser("ann")
				for range 3 {
					e.verify(row{status: 401, headers: map[string]any{"X-RateLimit-Limit": absent}}, e.do(postHook("in", map[string]any{"text": "x"})))
				}
			},
			req:     postHook("in", map[string]any{"text": "x"}),
			status:  401,
			headers: map[string]any{"X-RateLimit-Limit": absent},
			body:    notLoggedInBody,
		},
		{
			name:   "§3.7 #2 no integration with that _id: 500",
			setup:  withIn,
			req:    req{method: http.MethodPost, path: "/hooks/659ea5b72dd9f928ada3e43e/{{in.token}}", body: map[string]any{"text": "x"}},
			status: 500,
			check:  messagesIn("#general"),
		},
		{
			name:   "§3.7 #2 wrong token: 500",
			setup:  withIn,
			req:    req{method: http.MethodPost, path: "/hooks/{{in}}/wrong", body: map[string]any{"text": "x"}},
			status: 500,
			check:  messagesIn("#general"),
		},
		{
			name: "§3.7 #2 the type is not checked and the token is URL-decoded",
			setup: func(e *env) {
				e.create("out", "admin", outgoingBody(map[string]any{"token": "a b/c"}))
			},
			req:    req{method: http.MethodPost, path: "/hooks/{{out}}/" + url.PathEscape("a b/c"), body: map[string]any{"text": "x"}},
			status: 200,
			check:  messagesIn("#general", "x"),
		},
		{
			name: "§3.7 #3 post-as user deleted: 401",
			setup: func(e *env) {
				e.userWith("ann", rc.PermMessageImpersonate)
				e.create("in", "admin", incomingBody(map[string]any{"username": "ann"}))
				e.srv.DeleteUser("ann")
			},
			req:    postHook("in", map[string]any{"text": "x"}),
			status: 401,
			body:   notLoggedInBody,
		},
		{
			name: "§3.7 #3 before #4: disabled and post-as user deleted",
			setup: func(e *env) {
				e.userWith("ann", rc.PermMessageImpersonate)
				e.create("in", "admin", incomingBody(map[string]any{"username": "ann", "enabled": false}))
				e.srv.DeleteUser("ann")
			},
			req:    postHook("in", map[string]any{"text": "x"}),
			status: 401,
		},
		{
			name:   "§3.7 #4 disabled: 503",
			setup:  func(e *env) { e.create("in", "admin", incomingBody(map[string]any{"enabled": false})) },
			req:    postHook("in", map[string]any{"text": "x"}),
			status: 503,
			body:   plainFailure("Service Unavailable"),
			check:  messagesIn("#general"),
		},
		{
			name:   "§3.7 #4 before #9: disabled and a channel override",
			setup:  func(e *env) { e.create("in", "admin", incomingBody(map[string]any{"enabled": false})) },
			req:    postHook("in", map[string]any{"text": "x", "channel": "#general"}),
			status: 503,
		},
		{
			name:  "§3.7 #6 form-urlencoded payload",
			setup: withIn,
			req: req{method: http.MethodPost, path: hookPath("in"), contentType: "application/x-www-form-urlencoded",
				raw: ptr("payload=" + url.QueryEscape(`{"text":"from a form"}`))},
			status: 200,
			check:  messagesIn("#general", "from a form"),
		},
		{
			name:  "§3.7 #6 form-urlencoded payload with a charset parameter",
			setup: withIn,
			req: req{method: http.MethodPost, path: hookPath("in"), contentType: "application/x-www-form-urlencoded; charset=utf-8",
				raw: ptr("payload=" + url.QueryEscape(`{"text":"from a form"}`))},
			status: 200,
			check:  messagesIn("#general", "from a form"),
		},
		{
			name:  "§3.7 #6 form payload that is not a JSON object (newest code)",
			setup: withIn,
			req: req{method: http.MethodPost, path: hookPath("in"), contentType: "application/x-www-form-urlencoded",
				raw: ptr("payload=" + url.QueryEscape(`["text"]`))},
			status: 400,
			body:   plainFailure("Integration payload must be a JSON object, not an array or primitive"),
			check:  messagesIn("#general"),
		},
		{
			name:   "§3.7 #6 JSON body without a content type",
			setup:  withIn,
			req:    req{method: http.MethodPost, path: hookPath("in"), raw: ptr(`{"text":"raw"}`)},
			status: 200,
			check:  messagesIn("#general", "raw"),
		},
		{
			name:   "§3.7 #6 #8 GET carries no body: 200, nothing posted",
			setup:  withIn,
			req:    req{method: http.MethodGet, path: hookPath("in") + "?text=ignored"},
			status: 200,
			body:   map[string]any{"success": true},
			check:  messagesIn("#general"),
		},
		{
			name:   "§3.7 #8 empty body: 200, nothing posted",
			setup:  withIn,
			req:    postHook("in", map[string]any{}),
			status: 200,
			body:   map[string]any{"success": true},
			check:  messagesIn("#general"),
		},
		{
			name:   "§3.7 #8 array body: 200, nothing posted",
			setup:  withIn,
			req:    postHook("in", []any{map[string]any{"text": "x"}}),
			status: 200,
			body:   map[string]any{"success": true},
			check:  messagesIn("#general"),
		},
		{
			name:   "§3.7 #9 channel while the override is disabled",
			setup:  withIn,
			req:    postHook("in", map[string]any{"text": "x", "channel": "#general"}),
			status: 400,
			body:   plainFailure("overriding destination channel is disabled for this integration"),
			check:  messagesIn("#general"),
		},
		{
			name:   "§3.7 #9 roomId while the override is disabled",
			setup:  withIn,
			req:    postHook("in", map[string]any{"text": "x", "roomId": rc.GeneralRoomID}),
			status: 400,
			body:   plainFailure("overriding destination channel is disabled for this integration"),
		},
		{
			name: "§3.7 #9 override enabled: channel in the body posts elsewhere",
			setup: func(e *env) {
				e.srv.AddRoom("lounge", false, "admin")
				withOverride(e)
			},
			req:    postHook("in", map[string]any{"text": "elsewhere", "channel": "#lounge"}),
			status: 200,
			check: func(e *env, r *resp) {
				messagesIn("#lounge", "elsewhere")(e, r)
				messagesIn("#general")(e, r)
			},
		},
		{
			name: "§3.7 #9 override enabled: roomId in the body",
			setup: func(e *env) {
				e.srv.AddRoom("lounge", false, "admin")
				e.create("in", "admin", incomingBody(map[string]any{"overrideDestinationChannelEnabled": true, "channel": "#lounge"}))
			},
			req:    postHook("in", map[string]any{"text": "by id", "roomId": rc.GeneralRoomID}),
			status: 200,
			check:  messagesIn("#general", "by id"),
		},
		{
			name: "§3.7 #10 private group, post-as user not a member: error-not-allowed, nothing posted, not added",
			setup: func(e *env) {
				e.srv.AddRoom("vault", true, "admin")
				e.userWith("ann", rc.PermManageOwnIncoming, rc.PermMessageImpersonate)
				e.create("in", "admin", incomingBody(map[string]any{"username": "ann", "channel": "#vault"}))
			},
			req:    postHook("in", map[string]any{"text": "x"}),
			status: 400,
			body:   plainFailure("error-not-allowed"),
			check: func(e *env, r *resp) {
				messagesIn("#vault")(e, r)
				// Not a member: ann (own-only) still may not target the group.
				e.verify(row{status: 400, want: map[string]any{"errorType": "error-invalid-channel"}},
					e.do(create("ann", incomingBody(map[string]any{"channel": "#vault"}))))
			},
		},
		{
			name: "§3.7 #10 public channel, post-as user not a member: posted and added",
			setup: func(e *env) {
				e.srv.AddRoom("lounge", false, "admin")
				e.userWith("ann", rc.PermManageOwnIncoming, rc.PermMessageImpersonate, rc.PermViewPublicRoom)
				e.create("in", "admin", incomingBody(map[string]any{"username": "ann", "channel": "#lounge"}))
				e.verify(row{status: 400, want: map[string]any{"errorType": "error-invalid-channel"}},
					e.do(create("ann", incomingBody(map[string]any{"channel": "#lounge"}))))
			},
			req:    postHook("in", map[string]any{"text": "joined"}),
			status: 200,
			check: func(e *env, r *resp) {
				messagesIn("#lounge", "joined")(e, r)
				e.verify(row{status: 200}, e.do(create("ann", incomingBody(map[string]any{"channel": "#lounge"}))))
			},
		},
		{
			name: "§3.7 #10 a @user target posts a direct message",
			setup: func(e *env) {
				e.userWith("ann")
				e.create("in", "admin", incomingBody(map[string]any{"channel": "@ann"}))
			},
			req:    postHook("in", map[string]any{"text": "psst"}),
			status: 200,
			check:  messagesIn("@ann", "psst"),
		},
		{
			name: "§3.7 #10 defaults from the integration; posted as the post-as user",
			setup: func(e *env) {
				e.create("in", "admin", incomingBody(map[string]any{"alias": "Alias", "emoji": ":ghost:", "avatar": "https://a.example/a.png"}))
			},
			req:    postHook("in", map[string]any{"text": "hello"}),
			status: 200,
			check: func(e *env, _ *resp) {
				ms := e.srv.Messages("#general")
				if len(ms) != 1 {
					e.t.Fatalf("messages %v", ms)
				}
				m := ms[0]
				// An avatar wins over an emoji: a message has one or the other.
				if m.Alias != "Alias" || m.Emoji != "" || m.Avatar != "https://a.example/a.png" || m.User["username"] != "rocket.cat" {
					e.t.Errorf("message %+v", m)
				}
			},
		},
		{
			name:   "§3.7 #11 ok: {success:true}, the message is in the room",
			setup:  withIn,
			req:    postHook("in", map[string]any{"text": "hello"}),
			status: 200,
			body:   map[string]any{"success": true},
			check:  messagesIn("#general", "hello"),
		},
		{
			name:   "§3.7 #11 msg is accepted like text",
			setup:  withIn,
			req:    postHook("in", map[string]any{"msg": "as msg"}),
			status: 200,
			check:  messagesIn(rc.GeneralRoomID, "as msg"),
		},
		{
			name:   "§3.7 routes: legacy /hooks/<id>/<anything>/<token>",
			setup:  withIn,
			req:    req{method: http.MethodPost, path: "/hooks/{{in}}/ignored/{{in.token}}", body: map[string]any{"text": "legacy"}},
			status: 200,
			check:  messagesIn("#general", "legacy"),
		},
	}
}
