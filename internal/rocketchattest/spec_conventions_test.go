package rocketchattest_test

import (
	"slices"
	"time"

	rc "github.com/terraform-rocketchat/terraform-provider-rocketchat/internal/rocketchattest"
)

// §1 Conventions

func spec1() []row {
	return slices.Concat([]row{
		{
			name:    "§1.1 success: 200, success:true, JSON without caching",
			req:     me("admin"),
			status:  200,
			want:    map[string]any{"success": true, "username": "admin"},
			headers: noCacheJSON,
		},
		{
			name:    "§1.1 failure: 400 with success, error, errorType, details and no stack",
			req:     create("admin", incomingBody(map[string]any{"channel": "#nowhere"})),
			status:  400,
			body:    meteorFailure("Invalid room [error-invalid-room]", "error-invalid-room", method("addIncomingIntegration")),
			headers: noCacheJSON,
		},
		{
			name:    "§1.1 not authenticated: 401 with the status/message shim",
			req:     list("", ""),
			status:  401,
			body:    notLoggedInBody,
			headers: noCacheJSON,
		},
		{
			name:    "§1.1 missing route permission: 403 with the exact string and no errorType",
			req:     list("regular", ""),
			status:  403,
			body:    forbiddenBody,
			headers: noCacheJSON,
		},
		{
			name:  "§1.1 rate limited: 429 with error-too-many-requests and no errorType",
			opts:  []rc.Option{rc.WithRateLimit(1, time.Minute)},
			clock: true,
			setup: func(e *env) { e.ok(me("regular")) },
			req:   me("regular"),
			body: plainFailure("Error, too many requests. Please slow down. You must wait 60 seconds before trying this endpoint again. " +
				"[error-too-many-requests]"),
			status:  429,
			headers: noCacheJSON,
		},
		{
			name:   "§1.2 Meteor.Error with a reason: \"<reason> [<error>]\", errorType, details",
			req:    create("admin", incomingBody(map[string]any{"channel": "  "})),
			status: 400,
			body:   meteorFailure("Invalid channel [error-invalid-channel]", "error-invalid-channel", method("addIncomingIntegration")),
		},
		{
			name:   "§1.2 Meteor.Error without a reason: \"[<error>]\"",
			req:    create("regular", outgoingBody(nil)),
			status: 400,
			body:   meteorFailure("[not_authorized]", "not_authorized", nil),
		},
		{
			name:   "§1.2 plain Error: error only",
			req:    get("admin", "integrationId=unknown"),
			status: 400,
			body:   plainFailure("The integration does not exists."),
		},
		{
			name:   "§1.3 create without type: first error of each oneOf branch, then oneOf",
			req:    create("admin", incomingBody(map[string]any{"type": omit})),
			status: 400,
			body: invalidParams("must have required property 'type'", "must have required property 'type'",
				"must match exactly one schema in oneOf"),
		},
		{
			name:   "§1.3 get without integrationId (docs and e2e example)",
			req:    get("admin", ""),
			status: 400,
			body:   invalidParams("must have required property 'integrationId'"),
		},
		{
			name:   "§1.3 remove {} (docs example)",
			req:    remove("admin", map[string]any{}),
			status: 400,
			body: invalidParams("must have required property 'type'", "must have required property 'type'",
				"must have required property 'type'", "must match exactly one schema in oneOf"),
		},
		{
			name:   "§1.3 remove type:\"invalid-type\": must match exactly one schema in oneOf",
			setup:  func(e *env) { e.create("in", "admin", incomingBody(nil)) },
			req:    remove("admin", map[string]any{"type": "invalid-type", "integrationId": "{{in}}"}),
			status: 400,
			want:   map[string]any{"success": false, "errorType": "invalid-params", "error": contains("must match exactly one schema in oneOf")},
		},
	}, forEachKind(
		func(k integrationKind) row {
			return row{
				name:   "§1.3 unanchored type pattern: create " + k.typ + "-invalid",
				req:    create("admin", k.body(map[string]any{"type": k.typ + "-invalid"})),
				status: 400,
				body:   plainFailure("Invalid integration type."),
				check: func(e *env, _ *resp) {
					if n := len(e.srv.Integrations()); n != 0 {
						e.t.Errorf("%d integrations stored", n)
					}
				},
			}
		},
		func(k integrationKind) row {
			return row{
				name:   "§1.3 unanchored type pattern: update " + k.typ + "-invalid",
				setup:  func(e *env) { k.create(e, "admin") },
				req:    update("admin", k.updateBody(k.v, map[string]any{"type": k.typ + "-invalid", "name": "changed"})),
				status: 400,
				body:   plainFailure("Invalid integration type."),
				check: func(e *env, _ *resp) {
					if name, was := e.stored(k.v)["name"], k.body(nil)["name"]; name != was {
						e.t.Errorf("name changed from %v to %v", was, name)
					}
				},
			}
		},
		func(k integrationKind) row {
			return row{
				name:   "§1.3 unanchored type pattern: remove " + k.typ + "-x",
				setup:  func(e *env) { k.create(e, "admin") },
				req:    remove("admin", map[string]any{"type": k.typ + "-x", "integrationId": "{{" + k.v + "}}"}),
				status: 400,
				body:   plainFailure("Invalid integration type."),
				check:  func(e *env, _ *resp) { e.stored(k.v) },
			}
		},
	), []row{
		{
			name:   "§1.3 list with an unknown query parameter",
			req:    list("admin", "fields=name"),
			status: 400,
			body:   invalidParams("must NOT have additional properties"),
		},
		{
			name:   "§1.3 coercion: \"true\"/\"false\" strings become booleans",
			req:    create("admin", incomingBody(map[string]any{"enabled": "true", "scriptEnabled": "false"})),
			status: 200,
			want:   map[string]any{"integration.enabled": true, "integration.scriptEnabled": false},
			check: func(e *env, r *resp) {
				doc, _ := e.srv.Integration(r.body["integration"].(map[string]any)["_id"].(string))
				if doc["enabled"] != true {
					e.t.Errorf("stored enabled = %#v", doc["enabled"])
				}
			},
		},
		{
			name:   "§1.3 coercion: a number becomes a string",
			req:    create("admin", incomingBody(map[string]any{"name": 5})),
			status: 200,
			want:   map[string]any{"integration.name": "5"},
		},
		{
			name:   "§1.3 coercion: null becomes \"\" for a non-nullable string",
			req:    create("admin", incomingBody(map[string]any{"name": nil})),
			status: 200,
			want:   map[string]any{"integration.name": ""},
		},
		{
			name:   "§1.3 §12.2 choice: typed-route errors for a query (error-invalid-params, no suffix)",
			opts:   []rc.Option{rc.WithTypedRouteErrors()},
			req:    get("admin", ""),
			status: 400,
			body:   map[string]any{"success": false, "errorType": "error-invalid-params", "error": "must have required property 'integrationId'"},
		},
		{
			name:   "§1.3 §12.2 choice: typed-route errors for a body (invalid-params, no suffix)",
			opts:   []rc.Option{rc.WithTypedRouteErrors()},
			req:    create("admin", incomingBody(map[string]any{"type": omit})),
			status: 400,
			body: map[string]any{"success": false, "errorType": "invalid-params",
				"error": "must have required property 'type'\n must have required property 'type'\n must match exactly one schema in oneOf"},
		},
		{
			name:  "§1.4 401 before 429: no credentials after the limit is used up",
			opts:  []rc.Option{rc.WithRateLimit(1, time.Minute)},
			clock: true,
			setup: func(e *env) {
				e.ok(me("regular"))
				if r := e.do(me("regular")); r.status != 429 {
					e.t.Fatalf("second call: %d", r.status)
				}
			},
			req:    me(""),
			status: 401,
			body:   notLoggedInBody,
		},
		{
			name:   "§1.4 401 before 400: invalid body without credentials",
			req:    create("", map[string]any{}),
			status: 401,
			body:   notLoggedInBody,
		},
		{
			name:  "§1.4 429 before 400: invalid body after the limit is used up",
			opts:  []rc.Option{rc.WithRateLimit(1, time.Minute)},
			clock: true,
			setup: func(e *env) {
				if r := e.do(create("regular", map[string]any{})); r.status != 400 {
					e.t.Fatalf("first call: %d", r.status)
				}
			},
			req:    create("regular", map[string]any{}),
			status: 429,
			want:   map[string]any{"error": contains("[error-too-many-requests]")},
		},
		{
			name:  "§1.4 429 before 403: no permission after the limit is used up",
			opts:  []rc.Option{rc.WithRateLimit(1, time.Minute)},
			clock: true,
			setup: func(e *env) {
				if r := e.do(list("regular", "")); r.status != 403 {
					e.t.Fatalf("first call: %d", r.status)
				}
			},
			req:    list("regular", ""),
			status: 429,
		},
		{
			name:   "§1.4 400 before 403: unknown list parameter from a user without permissions",
			req:    list("regular", "fields=name"),
			status: 400,
			body:   invalidParams("must NOT have additional properties"),
		},
		{
			name:   "§1.4 400 before 403: remove {} from a user without permissions",
			req:    remove("regular", map[string]any{}),
			status: 400,
			want:   map[string]any{"errorType": "invalid-params"},
		},
		{
			name:   "§1.4 403 before the handler: remove of an unknown id without permissions",
			req:    remove("regular", map[string]any{"type": "webhook-incoming", "integrationId": "unknown"}),
			status: 403,
			body:   forbiddenBody,
		},
	})
}
