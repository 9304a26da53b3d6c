package rocketchattest_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	rc "github.com/terraform-rocketchat/terraform-provider-rocketchat/internal/rocketchattest"
)

// TestSpec holds the fake server against ../../shared/rocketchat-api.md: one
// row per check, in the specification's order, each named after its section
// and the check's number there. Expectations come from the specification's
// text; rows marked "§12" assert the server's documented choice where the
// specification itself is unsure.
func TestSpec(t *testing.T) {
	var rows []row
	for _, section := range [][]row{
		spec1(), spec2(), spec312(), spec313(), spec32(), spec33(), spec34(), spec35(), spec36(), spec37(),
		spec4(), spec5(), spec6(), spec7(), spec8(), spec91(), spec92(), specLookups(), faultRows(),
	} {
		rows = append(rows, section...)
	}
	runRows(t, rows)
}

const (
	pathCreate  = "/api/v1/integrations.create"
	pathGet     = "/api/v1/integrations.get"
	pathList    = "/api/v1/integrations.list"
	pathUpdate  = "/api/v1/integrations.update"
	pathRemove  = "/api/v1/integrations.remove"
	pathHistory = "/api/v1/integrations.history"

	forbiddenText = "User does not have the permissions required for this action [error-unauthorized]"
	loginText     = "You must be logged in to do this."
)

func create(as string, body any) req {
	return req{method: http.MethodPost, path: pathCreate, as: as, body: body}
}
func get(as, query string) req {
	return req{method: http.MethodGet, path: pathGet + "?" + query, as: as}
}
func list(as, query string) req {
	return req{method: http.MethodGet, path: pathList + "?" + query, as: as}
}
func update(as string, body any) req {
	return req{method: http.MethodPut, path: pathUpdate, as: as, body: body}
}
func remove(as string, body any) req {
	return req{method: http.MethodPost, path: pathRemove, as: as, body: body}
}
func history(as, query string) req {
	return req{method: http.MethodGet, path: pathHistory + "?" + query, as: as}
}
func me(as string) req { return req{method: http.MethodGet, path: "/api/v1/me", as: as} }

// meteorFailure is the exact 400 body of a Meteor.Error (§1.2); details nil
// means the body has none.
func meteorFailure(text, errorType string, details map[string]any) map[string]any {
	b := map[string]any{"success": false, "error": text, "errorType": errorType}
	if details != nil {
		b["details"] = details
	}
	return b
}

// failureWant checks error and errorType but not details, for the checks
// whose details the specification does not give.
func failureWant(text, errorType string) map[string]any {
	return map[string]any{"success": false, "error": text, "errorType": errorType}
}

func plainFailure(text string) map[string]any { return map[string]any{"success": false, "error": text} }

func invalidParams(msgs ...string) map[string]any {
	return map[string]any{"success": false, "error": strings.Join(msgs, "\n ") + " [invalid-params]", "errorType": "invalid-params"}
}

func method(name string) map[string]any   { return map[string]any{"method": name} }
func function(name string) map[string]any { return map[string]any{"function": name} }

// before86 runs a row on a server that reports Rocket.Chat 8.5, whose
// incoming integration methods give the post-as user the bot role instead
// of requiring message-impersonate (SPEC.md §L7).
var before86 = []rc.Option{rc.WithVersion("8.5.0")}

var (
	forbiddenBody   = map[string]any{"success": false, "error": forbiddenText}
	notLoggedInBody = map[string]any{"success": false, "error": loginText, "status": "error", "message": loginText}
	noCacheJSON     = map[string]any{"Content-Type": "application/json", "Cache-Control": "no-store", "Pragma": "no-cache"}
)

const (
	verifyFields = "validateOutgoing._verifyRequiredFields"
	verifyRooms  = "validateOutgoing._verifyUserHasPermissionForChannels"
)

func ms(t time.Time) string { return strconv.FormatInt(t.UnixMilli(), 10) }

// ---------------------------------------------------------------------------
// §1 Conventions

func spec1() []row {
	return []row{
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
		{
			name:   "§1.3 unanchored type pattern: create webhook-incoming-invalid",
			req:    create("admin", incomingBody(map[string]any{"type": "webhook-incoming-invalid"})),
			status: 400,
			body:   plainFailure("Invalid integration type."),
			check: func(e *env, _ *resp) {
				if n := len(e.srv.Integrations()); n != 0 {
					e.t.Errorf("%d integrations stored", n)
				}
			},
		},
		{
			name:   "§1.3 unanchored type pattern: update webhook-incoming-invalid",
			setup:  func(e *env) { e.create("in", "admin", incomingBody(nil)) },
			req:    update("admin", incomingUpdate("in", map[string]any{"type": "webhook-incoming-invalid", "name": "changed"})),
			status: 400,
			body:   plainFailure("Invalid integration type."),
			check: func(e *env, _ *resp) {
				if name := e.stored("in")["name"]; name != "Incoming test" {
					e.t.Errorf("name changed to %v", name)
				}
			},
		},
		{
			name:   "§1.3 unanchored type pattern: remove webhook-incoming-x",
			setup:  func(e *env) { e.create("in", "admin", incomingBody(nil)) },
			req:    remove("admin", map[string]any{"type": "webhook-incoming-x", "integrationId": "{{in}}"}),
			status: 400,
			body:   plainFailure("Invalid integration type."),
			check:  func(e *env, _ *resp) { e.stored("in") },
		},
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
	}
}

// ---------------------------------------------------------------------------
// §2 Stored document model

func spec2() []row {
	return []row{
		{
			name:  "§2.1 §2.2 incoming document as get returns it",
			clock: true,
			setup: func(e *env) { e.create("in", "admin", incomingBody(nil)) },
			req:   get("admin", "integrationId={{in}}"),
			check: func(e *env, r *resp) {
				doc := r.body["integration"].(map[string]any)
				want := map[string]any{
					"_id": "{{in}}", "type": "webhook-incoming", "name": "Incoming test", "enabled": true,
					"username": "rocket.cat", "userId": "{{bot}}", "channel": []string{"#general"},
					"scriptEnabled": false, "scriptEngine": "isolated-vm", "overrideDestinationChannelEnabled": false,
					"skipTranspile": false, // 8.4+ source
					"token":         "{{in.token}}", "_createdAt": "2024-01-10T14:12:07.739Z", "_updatedAt": "2024-01-10T14:12:07.739Z",
					"_createdBy": map[string]any{"_id": "{{admin}}", "username": "admin"},
				}
				e.compare("integration", doc, true, want)
			},
			status: 200,
			want: map[string]any{
				"integration._id": objectID, "integration.token": incomingToken,
				"integration._createdAt": isoDate, "integration._updatedAt": isoDate,
			},
		},
		{
			name:  "§2.1 §2.3 outgoing document as get returns it (no token when none was sent)",
			clock: true,
			setup: func(e *env) { e.create("out", "admin", outgoingBody(nil)) },
			req:   get("admin", "integrationId={{out}}"),
			check: func(e *env, r *resp) {
				want := map[string]any{
					"_id": "{{out}}", "type": "webhook-outgoing", "name": "Guggy", "enabled": true,
					"username": "rocket.cat", "userId": "{{bot}}", "channel": []string{"#general"},
					"event": "sendMessage", "urls": []string{"http://text2gif.guggy.com/guggify"}, "triggerWords": []string{"!guggy"},
					"scriptEnabled": false, "scriptEngine": "isolated-vm",
					"_createdAt": "2024-01-10T14:12:07.739Z", "_updatedAt": "2024-01-10T14:12:07.739Z",
					"_createdBy": map[string]any{"_id": "{{admin}}", "username": "admin"},
				}
				e.compare("integration", r.body["integration"], true, want)
			},
			status: 200,
			want:   map[string]any{"integration._id": objectID, "integration.token": absent},
		},
		{
			name:   "§2.1 _id: 24 lowercase hex characters, distinct per document",
			setup:  func(e *env) { e.create("a", "admin", incomingBody(nil)) },
			req:    create("admin", outgoingBody(nil)),
			status: 200,
			want:   map[string]any{"integration._id": objectID},
			check: func(e *env, r *resp) {
				if r.body["integration"].(map[string]any)["_id"] == e.vars["a"] {
					e.t.Error("two documents share an _id")
				}
			},
		},
		{
			name:   "§2.1 name: an empty string is accepted",
			req:    create("admin", incomingBody(map[string]any{"name": ""})),
			status: 200,
			want:   map[string]any{"integration.name": ""},
		},
		{
			name:   "§2.1 username: exact, case-sensitive match",
			req:    create("admin", incomingBody(map[string]any{"username": "Rocket.Cat"})),
			status: 400,
			want:   failureWant("Invalid user [error-invalid-user]", "error-invalid-user"),
		},
		{
			name:   "§2.1 alias, avatar, emoji: stored only if sent",
			req:    create("admin", incomingBody(map[string]any{"alias": "Bot"})),
			status: 200,
			want:   map[string]any{"integration.alias": "Bot", "integration.avatar": absent, "integration.emoji": absent},
		},
		{
			name:   "§2.1 channel: a comma-separated string is stored as an array",
			req:    create("admin", incomingBody(map[string]any{"channel": "#general, @rocket.cat"})),
			status: 200,
			want:   map[string]any{"integration.channel": []string{"#general", "@rocket.cat"}},
		},
		{
			name:   "§2.1 _updatedBy: not set by create",
			req:    create("admin", incomingBody(nil)),
			status: 200,
			want:   map[string]any{"integration._updatedBy": absent},
		},
		{
			name:   "§2.2 token: a request cannot set it on create",
			req:    create("admin", incomingBody(map[string]any{"token": "mine"})),
			status: 400,
			body: invalidParams("must NOT have additional properties", "must have required property 'event'",
				"must match exactly one schema in oneOf"),
		},
		{
			name:   "§2.2 overrideDestinationChannelEnabled: false when omitted on create",
			req:    create("admin", incomingBody(nil)),
			status: 200,
			want:   map[string]any{"integration.overrideDestinationChannelEnabled": false},
		},
		{
			name:   "§2.4 webhook URL: <Site_Url>/hooks/<_id>/<token>",
			setup:  func(e *env) { e.create("in", "admin", incomingBody(nil)) },
			req:    req{method: http.MethodPost, path: "/hooks/{{in}}/{{in.token}}", body: map[string]any{"text": "via URL"}},
			status: 200,
			check: func(e *env, _ *resp) {
				if got := texts(e.srv.Messages("#general")); !slices.Equal(got, []string{"via URL"}) {
					e.t.Errorf("messages %q", got)
				}
			},
		},
	}
}

// ---------------------------------------------------------------------------
// §3.1.2 Incoming create

func spec312() []row {
	return []row{
		{
			name:   "§3.1.2 #2 neither manage-incoming nor manage-own-incoming",
			req:    create("regular", incomingBody(nil)),
			status: 400,
			body:   meteorFailure("Unauthorized [not_authorized]", "not_authorized", method("addIncomingIntegration")),
		},
		{
			name:   "§3.1.2 #2 before #3: no permission and a blank channel",
			req:    create("regular", incomingBody(map[string]any{"channel": " "})),
			status: 400,
			want:   map[string]any{"errorType": "not_authorized"},
		},
		{
			name:   "§3.1.2 #3 channel blank after trim",
			req:    create("admin", incomingBody(map[string]any{"channel": "   "})),
			status: 400,
			body:   meteorFailure("Invalid channel [error-invalid-channel]", "error-invalid-channel", method("addIncomingIntegration")),
		},
		{
			name:   "§3.1.2 #3 channel empty",
			req:    create("admin", incomingBody(map[string]any{"channel": ""})),
			status: 400,
			body:   meteorFailure("Invalid channel [error-invalid-channel]", "error-invalid-channel", method("addIncomingIntegration")),
		},
		{
			name:   "§3.1.2 #4 incoming create: entry without # or @ (details name updateIncomingIntegration, sic)",
			req:    create("admin", incomingBody(map[string]any{"channel": "general"})),
			status: 400,
			body: meteorFailure("Invalid channel. Start with @ or # [error-invalid-channel-start-with-chars]",
				"error-invalid-channel-start-with-chars", method("updateIncomingIntegration")),
		},
		{
			name:   "§3.1.2 #4 empty entry from a trailing comma",
			req:    create("admin", incomingBody(map[string]any{"channel": "#general,"})),
			status: 400,
			want:   map[string]any{"errorType": "error-invalid-channel-start-with-chars"},
		},
		{
			name:   "§3.1.2 #4 all_public_channels is no incoming target",
			req:    create("admin", incomingBody(map[string]any{"channel": "all_public_channels"})),
			status: 400,
			want:   map[string]any{"errorType": "error-invalid-channel-start-with-chars"},
		},
		{
			name:   "§3.1.2 #4 before #5: bad entry and blank username",
			req:    create("admin", incomingBody(map[string]any{"channel": "#general, x", "username": " "})),
			status: 400,
			want:   map[string]any{"errorType": "error-invalid-channel-start-with-chars"},
		},
		{
			name:   "§3.1.2 #5 username blank",
			req:    create("admin", incomingBody(map[string]any{"username": "  "})),
			status: 400,
			body:   meteorFailure("Invalid username [error-invalid-username]", "error-invalid-username", method("addIncomingIntegration")),
		},
		{
			name:   "§3.1.2 #5 before #7: blank username is not looked up",
			req:    create("admin", incomingBody(map[string]any{"username": ""})),
			status: 400,
			want:   map[string]any{"errorType": "error-invalid-username"},
		},
		{
			name:   "§3.1.2 #7 no user with that username",
			req:    create("admin", incomingBody(map[string]any{"username": "nobody"})),
			status: 400,
			body:   meteorFailure("Invalid user [error-invalid-user]", "error-invalid-user", method("addIncomingIntegration")),
		},
		{
			name:   "§3.1.2 #7 before #10: unknown user and unknown room",
			req:    create("admin", incomingBody(map[string]any{"username": "nobody", "channel": "#nowhere"})),
			status: 400,
			want:   map[string]any{"errorType": "error-invalid-user"},
		},
		{
			name:   "§3.1.2 #8 build: token, defaults, channel array, userId, _createdAt, _createdBy",
			clock:  true,
			req:    create("admin", incomingBody(map[string]any{"channel": "#general,@rocket.cat"})),
			status: 200,
			want: map[string]any{
				"integration.token": incomingToken, "integration.scriptEngine": "isolated-vm",
				"integration.overrideDestinationChannelEnabled": false, "integration.channel": []string{"#general", "@rocket.cat"},
				"integration.userId": "{{bot}}", "integration._createdAt": "2024-01-10T14:12:07.739Z",
				"integration._createdBy": map[string]any{"_id": "{{admin}}", "username": "admin"},
				// From the 8.4+ source: the spec's build list leaves it out.
				"integration.skipTranspile": false,
			},
		},
		{
			name:   "§3.1.2 #8 null scriptEngine and overrideDestinationChannelEnabled take the defaults",
			req:    create("admin", incomingBody(map[string]any{"scriptEngine": nil, "overrideDestinationChannelEnabled": nil})),
			status: 200,
			want:   map[string]any{"integration.scriptEngine": "isolated-vm", "integration.overrideDestinationChannelEnabled": false},
		},
		{
			name:   "§3.1.2 #8 overrideDestinationChannelEnabled kept when sent",
			req:    create("admin", incomingBody(map[string]any{"overrideDestinationChannelEnabled": true})),
			status: 200,
			want:   map[string]any{"integration.overrideDestinationChannelEnabled": true},
		},
		{
			name:   "§3.1.2 #8 tokens differ between integrations",
			setup:  func(e *env) { e.create("a", "admin", incomingBody(nil)) },
			req:    create("admin", incomingBody(nil)),
			status: 200,
			check: func(e *env, r *resp) {
				if r.body["integration"].(map[string]any)["token"] == e.vars["a.token"] {
					e.t.Error("two integrations share a token")
				}
			},
		},
		{
			name: "§3.1.2 #9 §3.1.4 enabled non-blank script: scriptCompiled stored",
			req: create("admin", incomingBody(map[string]any{"scriptEnabled": true,
				"script": "class Script { process_incoming_request({ request }) { return { content: { text: 'x' } }; } }"})),
			status: 200,
			want: map[string]any{
				"integration.scriptCompiled": present, "integration.scriptError": absent,
				"integration.script": contains("class Script"),
			},
		},
		{
			name:   "§3.1.2 #9 §3.1.4 script not enabled: nothing compiled",
			req:    create("admin", incomingBody(map[string]any{"scriptEnabled": false, "script": "const a = 1;"})),
			status: 200,
			want:   map[string]any{"integration.script": "const a = 1;", "integration.scriptCompiled": absent, "integration.scriptError": absent},
		},
		{
			name:   "§3.1.2 #9 §3.1.4 blank script: nothing compiled",
			req:    create("admin", incomingBody(map[string]any{"scriptEnabled": true, "script": "   "})),
			status: 200,
			want:   map[string]any{"integration.scriptCompiled": absent, "integration.scriptError": absent},
		},
		{
			name:   "§3.1.2 #9 §3.1.4 a failed compile is not an API error",
			req:    create("admin", incomingBody(map[string]any{"scriptEnabled": true, "script": "class Script { process_incoming_request( {"})),
			status: 200,
			want: map[string]any{
				"success": true, "integration.scriptCompiled": absent, "integration.scriptError.name": "SyntaxError",
				"integration.scriptError.message": present, "integration.scriptError.stack": present,
			},
		},
		{
			name:   "§3.1.2 #10 #GENERAL matches the room by _id",
			req:    create("admin", incomingBody(map[string]any{"channel": "#GENERAL"})),
			status: 200,
			want:   map[string]any{"integration.channel": []string{"#GENERAL"}},
		},
		{
			name:   "§3.1.2 #10 @user matched by _id",
			setup:  func(e *env) { e.userWith("ann") },
			req:    create("admin", incomingBody(map[string]any{"channel": "@{{ann}}"})),
			status: 200,
		},
		{
			name:   "§3.1.2 #10 @user matched by username",
			setup:  func(e *env) { e.userWith("ann") },
			req:    create("admin", incomingBody(map[string]any{"channel": "@ann"})),
			status: 200,
		},
		{
			name:   "§3.1.2 #10 room not found",
			req:    create("admin", incomingBody(map[string]any{"channel": "#general, #nowhere"})),
			status: 400,
			body:   meteorFailure("Invalid room [error-invalid-room]", "error-invalid-room", method("addIncomingIntegration")),
		},
		{
			name:   "§3.1.2 #10 user not found",
			req:    create("admin", incomingBody(map[string]any{"channel": "@nobody"})),
			status: 400,
			want:   failureWant("Invalid room [error-invalid-room]", "error-invalid-room"),
		},
		{
			name:   "§3.1.2 #10 rooms are matched by name, so #Lounge does not find lounge",
			setup:  func(e *env) { e.srv.AddRoom("lounge", false, "admin") },
			req:    create("admin", incomingBody(map[string]any{"channel": "#Lounge"})),
			status: 400,
			want:   map[string]any{"errorType": "error-invalid-room"},
		},
		{
			name:   "§3.1.2 #11 without both permissions: a room the caller is not subscribed to",
			setup:  func(e *env) { e.srv.AddRoom("lounge", false, "admin") },
			req:    create("owner", incomingBody(map[string]any{"channel": "#lounge"})),
			status: 400,
			want:   failureWant("Invalid Channel [error-invalid-channel]", "error-invalid-channel"),
		},
		{
			name:   "§3.1.2 #11 without both permissions: a subscribed room",
			req:    create("owner", incomingBody(map[string]any{"channel": "#general"})),
			status: 200,
			want:   map[string]any{"integration._createdBy": map[string]any{"_id": "{{owner}}", "username": rc.OwnerUsername}},
		},
		{
			name: "§3.1.2 #11 manage-incoming alone is not both permissions",
			setup: func(e *env) {
				e.userWith("carol", rc.PermManageIncoming)
				e.srv.AddRoom("lounge", false, "admin")
			},
			req:    create("carol", incomingBody(map[string]any{"channel": "#lounge"})),
			status: 400,
			want:   failureWant("Invalid Channel [error-invalid-channel]", "error-invalid-channel"),
		},
		{
			name:   "§3.1.2 #11 without both permissions: a @user target is no subscribed room",
			setup:  func(e *env) { e.userWith("ann") },
			req:    create("owner", incomingBody(map[string]any{"channel": "@ann"})),
			status: 400,
			want:   failureWant("Invalid Channel [error-invalid-channel]", "error-invalid-channel"),
		},
		{
			name:   "§3.1.2 #11 with both permissions no subscription is needed",
			setup:  func(e *env) { e.srv.AddRoom("vault", true, "owner") },
			req:    create("admin", incomingBody(map[string]any{"channel": "#vault"})),
			status: 200,
		},
		{
			name:   "§3.1.2 #12 before 8.6: the post-as user gets the bot role",
			opts:   before86,
			setup:  func(e *env) { e.userWith("ann") },
			req:    create("admin", incomingBody(map[string]any{"username": "ann"})),
			status: 200,
			check: func(e *env, _ *resp) {
				if roles := e.srv.Roles("ann"); !slices.Contains(roles, "bot") {
					e.t.Errorf("roles %v", roles)
				}
			},
		},
		{
			name:   "§3.1.2 #12 before 8.6, after #10: no bot role when the room check fails",
			opts:   before86,
			setup:  func(e *env) { e.userWith("ann") },
			req:    create("admin", incomingBody(map[string]any{"username": "ann", "channel": "#nowhere"})),
			status: 400,
			check: func(e *env, _ *resp) {
				if roles := e.srv.Roles("ann"); slices.Contains(roles, "bot") {
					e.t.Errorf("roles %v", roles)
				}
			},
		},
		{
			name:   "§3.1.2 #13 answer: {integration, success:true} with the new _id, stored",
			req:    create("admin", incomingBody(nil)),
			status: 200,
			want:   map[string]any{"success": true, "integration": isObject(), "integration._id": objectID},
			check: func(e *env, r *resp) {
				if len(r.body) != 2 {
					e.t.Errorf("top-level keys: %v", r.body)
				}
				id := r.body["integration"].(map[string]any)["_id"].(string)
				if _, ok := e.srv.Integration(id); !ok {
					e.t.Error("not stored")
				}
			},
		},
		{
			name:   "§3.1.2 #13 §12.3 choice: the answer is the stored document, with _updatedAt",
			clock:  true,
			req:    create("admin", incomingBody(nil)),
			status: 200,
			want:   map[string]any{"integration._updatedAt": "2024-01-10T14:12:07.739Z"},
			check: func(e *env, r *resp) {
				doc := r.body["integration"].(map[string]any)
				stored, _ := e.srv.Integration(doc["_id"].(string))
				e.compare("answer vs stored", doc, true, stored)
			},
		},
		{
			name:   "§3.1.2 #13 §12.3 choice: null optional fields are not stored",
			req:    create("admin", incomingBody(map[string]any{"alias": nil, "script": nil})),
			status: 200,
			want:   map[string]any{"integration.alias": absent, "integration.script": absent},
		},
	}
}

// ---------------------------------------------------------------------------
// §3.1.3 Outgoing create

func spec313() []row {
	return []row{
		{
			name:   "§3.1.3 #2 neither manage-outgoing nor manage-own-outgoing",
			req:    create("regular", outgoingBody(nil)),
			status: 400,
			body:   meteorFailure("[not_authorized]", "not_authorized", nil),
		},
		{
			name:   "§3.1.3 #2 before #5: no permission and a bad event",
			req:    create("regular", outgoingBody(map[string]any{"event": "bogus"})),
			status: 400,
			want:   map[string]any{"errorType": "not_authorized"},
		},
		{
			name:   "§3.1.3 #4 #10a blank channel is deleted, then a channel event fails",
			req:    create("admin", outgoingBody(map[string]any{"channel": "  "})),
			status: 400,
			body:   meteorFailure("Invalid Channel [error-invalid-channel]", "error-invalid-channel", function("validateOutgoing")),
		},
		{
			name:   "§3.1.3 #4 blank channel with an event that ignores channels",
			req:    create("admin", outgoingBody(map[string]any{"channel": " ", "event": "roomCreated"})),
			status: 200,
			want:   map[string]any{"integration.channel": []string{}},
		},
		{
			name:   "§3.1.3 #5 event not one of §8",
			req:    create("admin", outgoingBody(map[string]any{"event": "messageSent"})),
			status: 400,
			body:   meteorFailure("Invalid event type [error-invalid-event-type]", "error-invalid-event-type", function(verifyFields)),
		},
		{
			name:   "§3.1.3 #5 event blank",
			req:    create("admin", outgoingBody(map[string]any{"event": " "})),
			status: 400,
			body:   meteorFailure("Invalid event type [error-invalid-event-type]", "error-invalid-event-type", function(verifyFields)),
		},
		{
			name:   "§3.1.3 #5 §8 messageEdited is not one of the 8.8.1 events",
			req:    create("admin", outgoingBody(map[string]any{"event": "messageEdited"})),
			status: 400,
			want:   map[string]any{"errorType": "error-invalid-event-type"},
		},
		{
			name:   "§3.1.3 #5 §8 messageDeleted accepted behind the flag",
			opts:   []rc.Option{rc.WithMessageEvents()},
			req:    create("admin", outgoingBody(map[string]any{"event": "messageDeleted", "triggerWords": omit})),
			status: 200,
			want:   map[string]any{"integration.event": "messageDeleted", "integration.channel": []string{"#general"}},
		},
		{
			name:   "§3.1.3 #5 before #6: bad event and blank username",
			req:    create("admin", outgoingBody(map[string]any{"event": "bogus", "username": " "})),
			status: 400,
			want:   map[string]any{"errorType": "error-invalid-event-type"},
		},
		{
			name:   "§3.1.3 #6 username blank",
			req:    create("admin", outgoingBody(map[string]any{"username": " "})),
			status: 400,
			body:   meteorFailure("Invalid username [error-invalid-username]", "error-invalid-username", function(verifyFields)),
		},
		{
			name:   "§3.1.3 #6 before #7: blank username, userCreated without targetRoom",
			req:    create("admin", outgoingBody(map[string]any{"username": "", "event": "userCreated"})),
			status: 400,
			want:   map[string]any{"errorType": "error-invalid-username"},
		},
		{
			name:   "§3.1.3 #7 userCreated without targetRoom",
			req:    create("admin", outgoingBody(map[string]any{"event": "userCreated"})),
			status: 400,
			want:   failureWant("Invalid Target Room [error-invalid-targetRoom]", "error-invalid-targetRoom"),
		},
		{
			name:   "§3.1.3 #7 userCreated with an empty targetRoom",
			req:    create("admin", outgoingBody(map[string]any{"event": "userCreated", "targetRoom": ""})),
			status: 400,
			want:   map[string]any{"errorType": "error-invalid-targetRoom"},
		},
		{
			name:   "§3.1.3 #7 before #8: userCreated without targetRoom and without urls",
			req:    create("admin", outgoingBody(map[string]any{"event": "userCreated", "urls": omit})),
			status: 400,
			want:   map[string]any{"errorType": "error-invalid-targetRoom"},
		},
		{
			name:   "§3.1.3 #7 before #10c: own-only caller, userCreated without targetRoom",
			req:    create("owner", outgoingBody(map[string]any{"event": "userCreated"})),
			status: 400,
			want:   map[string]any{"errorType": "error-invalid-targetRoom"},
		},
		{
			name:   "§3.1.3 #8 urls missing",
			req:    create("admin", outgoingBody(map[string]any{"urls": omit})),
			status: 400,
			want:   failureWant("Invalid URLs [error-invalid-urls]", "error-invalid-urls"),
		},
		{
			name:   "§3.1.3 #8 urls null",
			req:    create("admin", outgoingBody(map[string]any{"urls": nil})),
			status: 400,
			want:   failureWant("Invalid URLs [error-invalid-urls]", "error-invalid-urls"),
		},
		{
			name:   "§3.1.3 #8 before #10: no urls and a bad channel",
			req:    create("admin", outgoingBody(map[string]any{"urls": omit, "channel": "general"})),
			status: 400,
			want:   map[string]any{"errorType": "error-invalid-urls"},
		},
		{
			name:   "§3.1.3 #9 no url left after dropping blank ones",
			req:    create("admin", outgoingBody(map[string]any{"urls": []string{" ", "  "}})),
			status: 400,
			want:   failureWant("Invalid URLs [error-invalid-urls]", "error-invalid-urls"),
		},
		{
			name:   "§3.1.3 #9 §2.3 blank urls are filtered out",
			req:    create("admin", outgoingBody(map[string]any{"urls": []string{" ", "https://a.example/x"}})),
			status: 200,
			want:   map[string]any{"integration.urls": []string{"https://a.example/x"}},
		},
		{
			name:   "§3.1.3 #10a event that uses channels without a channel string (null → \"\" by coercion, then deleted)",
			req:    create("admin", outgoingBody(map[string]any{"channel": nil, "event": "roomJoined", "triggerWords": omit})),
			status: 400,
			body:   meteorFailure("Invalid Channel [error-invalid-channel]", "error-invalid-channel", function("validateOutgoing")),
		},
		{
			name:   "§3.1.3 #10b entry without # or @",
			req:    create("admin", outgoingBody(map[string]any{"channel": "#general, general"})),
			status: 400,
			body: meteorFailure("Invalid channel. Start with @ or # [error-invalid-channel-start-with-chars]",
				"error-invalid-channel-start-with-chars", function("validateOutgoing")),
		},
		{
			name:   "§3.1.3 #10b scoped targets pass",
			req:    create("admin", outgoingBody(map[string]any{"channel": "all_public_channels,all_private_groups,all_direct_messages"})),
			status: 200,
			want:   map[string]any{"integration.channel": []string{"all_public_channels", "all_private_groups", "all_direct_messages"}},
		},
		{
			name:   "§3.1.3 #10b §12.6 choice: parseCSV drops empty entries",
			req:    create("admin", outgoingBody(map[string]any{"channel": "#general,, "})),
			status: 200,
			want:   map[string]any{"integration.channel": []string{"#general"}},
		},
		{
			name:   "§3.1.3 #10b before #11: bad entry and unknown user",
			req:    create("admin", outgoingBody(map[string]any{"channel": "general", "username": "nobody"})),
			status: 400,
			want:   map[string]any{"errorType": "error-invalid-channel-start-with-chars"},
		},
		{
			name:   "§3.1.3 #10c event without channels: channel ignored and stored as []",
			req:    create("admin", outgoingBody(map[string]any{"event": "roomArchived", "channel": "not even checked"})),
			status: 200,
			want:   map[string]any{"integration.channel": []string{}, "integration.event": "roomArchived"},
		},
		{
			name:   "§3.1.3 #10c event without channels needs manage-outgoing",
			req:    create("owner", outgoingBody(map[string]any{"event": "roomCreated"})),
			status: 400,
			want: failureWant("Invalid permission for required Integration creation. [error-invalid-permissions]",
				"error-invalid-permissions"),
		},
		{
			name:   "§3.1.3 #10c userCreated with targetRoom by manage-outgoing",
			req:    create("admin", outgoingBody(map[string]any{"event": "userCreated", "targetRoom": "#general"})),
			status: 200,
			want:   map[string]any{"integration.targetRoom": "#general", "integration.channel": []string{}},
		},
		{
			name:   "§3.1.3 #11 no user with that username",
			req:    create("admin", outgoingBody(map[string]any{"username": "nobody"})),
			status: 400,
			body: meteorFailure("Invalid user (did you delete the `rocket.cat` user?) [error-invalid-user]", "error-invalid-user",
				function("validateOutgoing")),
		},
		{
			name:   "§3.1.3 #11 before #16: unknown user and unknown room",
			req:    create("admin", outgoingBody(map[string]any{"username": "nobody", "channel": "#nowhere"})),
			status: 400,
			want:   map[string]any{"errorType": "error-invalid-user"},
		},
		{
			name:  "§3.1.3 #12 build: the body's fields, defaults, channel array, userId, _createdAt, _createdBy",
			clock: true,
			req: create("owner", outgoingBody(map[string]any{
				"alias": "Guggy", "avatar": "https://a.example/a.png", "emoji": ":ghost:", "impersonateUser": true,
				"triggerWordAnywhere": true, "targetRoom": "#general",
			})),
			status: 200,
			want: map[string]any{
				"integration.type": "webhook-outgoing", "integration.scriptEngine": "isolated-vm",
				"integration.channel": []string{"#general"}, "integration.userId": "{{bot}}",
				"integration.alias": "Guggy", "integration.avatar": "https://a.example/a.png", "integration.emoji": ":ghost:",
				"integration.impersonateUser": true, "integration.triggerWordAnywhere": true, "integration.targetRoom": "#general",
				"integration._createdAt": "2024-01-10T14:12:07.739Z",
				"integration._createdBy": map[string]any{"_id": "{{owner}}", "username": rc.OwnerUsername},
				"integration.token":      absent, "integration.retryCount": absent, "integration.runOnEdits": absent,
			},
		},
		{
			name:   "§3.1.3 #12 §2.3 token stored as sent",
			req:    create("admin", outgoingBody(map[string]any{"token": "my-outgoing-token"})),
			status: 200,
			want:   map[string]any{"integration.token": "my-outgoing-token"},
		},
		{
			name:   "§3.1.3 #13 triggerWords: blank entries filtered",
			req:    create("admin", outgoingBody(map[string]any{"triggerWords": []string{" ", "!go", "  "}})),
			status: 200,
			want:   map[string]any{"integration.triggerWords": []string{"!go"}},
		},
		{
			name:   "§3.1.3 #13 triggerWords deleted for events that don't use them",
			req:    create("admin", outgoingBody(map[string]any{"event": "roomJoined", "triggerWords": []string{"!go"}})),
			status: 200,
			want:   map[string]any{"integration.triggerWords": absent},
		},
		{
			name:   "§3.1.3 #14 §3.1.4 a failed compile is not an API error",
			req:    create("admin", outgoingBody(map[string]any{"scriptEnabled": true, "script": "const x = {;"})),
			status: 200,
			want:   map[string]any{"integration.scriptError.name": "SyntaxError", "integration.scriptCompiled": absent},
		},
		{
			name:   "§3.1.3 #14 §3.1.4 enabled script compiled",
			req:    create("admin", outgoingBody(map[string]any{"scriptEnabled": true, "script": "const x = {};"})),
			status: 200,
			want:   map[string]any{"integration.scriptCompiled": present, "integration.scriptError": absent},
		},
		{
			name:   "§3.1.3 #15 runOnEdits normalised when sent",
			req:    create("admin", outgoingBody(map[string]any{"runOnEdits": false})),
			status: 200,
			want:   map[string]any{"integration.runOnEdits": false},
		},
		{
			name:   "§3.1.3 #16 all_public_channels always allowed (own-only caller)",
			req:    create("owner", outgoingBody(map[string]any{"channel": "all_public_channels"})),
			status: 200,
		},
		{
			name:   "§3.1.3 #16 all_private_groups needs manage-outgoing",
			req:    create("owner", outgoingBody(map[string]any{"channel": "all_private_groups"})),
			status: 400,
			body:   meteorFailure("Invalid Channel [error-invalid-channel]", "error-invalid-channel", function(verifyRooms)),
		},
		{
			name:   "§3.1.3 #16 all_direct_messages needs manage-outgoing",
			req:    create("owner", outgoingBody(map[string]any{"channel": "all_direct_messages"})),
			status: 400,
			body:   meteorFailure("Invalid Channel [error-invalid-channel]", "error-invalid-channel", function(verifyRooms)),
		},
		{
			name:   "§3.1.3 #16 ALL_PUBLIC_CHANNELS quirk: passes #10b, then an invalid room",
			req:    create("admin", outgoingBody(map[string]any{"channel": "ALL_PUBLIC_CHANNELS"})),
			status: 400,
			want:   failureWant("Invalid room [error-invalid-room]", "error-invalid-room"),
		},
		{
			name:   "§3.1.3 #16 room not found",
			req:    create("admin", outgoingBody(map[string]any{"channel": "#nowhere"})),
			status: 400,
			want:   failureWant("Invalid room [error-invalid-room]", "error-invalid-room"),
		},
		{
			name:   "§3.1.3 #16 #GENERAL matches the room by _id",
			req:    create("owner", outgoingBody(map[string]any{"channel": "#GENERAL"})),
			status: 200,
			want:   map[string]any{"integration.channel": []string{"#GENERAL"}},
		},
		{
			name:   "§3.1.3 #16 without both permissions: a room the caller is not subscribed to",
			setup:  func(e *env) { e.srv.AddRoom("lounge", false, "admin") },
			req:    create("owner", outgoingBody(map[string]any{"channel": "#lounge"})),
			status: 400,
			want:   failureWant("Invalid Channel [error-invalid-channel]", "error-invalid-channel"),
		},
		{
			name: "§3.1.3 #16 manage-outgoing alone is not both permissions",
			setup: func(e *env) {
				e.userWith("carol", rc.PermManageOutgoing)
				e.srv.AddRoom("lounge", false, "admin")
			},
			req:    create("carol", outgoingBody(map[string]any{"channel": "#lounge"})),
			status: 400,
			want:   failureWant("Invalid Channel [error-invalid-channel]", "error-invalid-channel"),
		},
		{
			name:   "§3.1.3 #16 with both permissions no subscription is needed",
			setup:  func(e *env) { e.srv.AddRoom("vault", true, "owner") },
			req:    create("admin", outgoingBody(map[string]any{"channel": "#vault,@rocket.cat"})),
			status: 200,
		},
		{
			name:   "§3.1.3 #17 retry on, retryCount missing → 4, retryDelay missing → powers-of-ten",
			req:    create("admin", outgoingBody(map[string]any{"retryFailedCalls": true})),
			status: 200,
			want:   map[string]any{"integration.retryCount": 4, "integration.retryDelay": "powers-of-ten"},
		},
		{
			name:   "§3.1.3 #17 retryCount 0 → 4",
			req:    create("admin", outgoingBody(map[string]any{"retryFailedCalls": true, "retryCount": 0})),
			status: 200,
			want:   map[string]any{"integration.retryCount": 4},
		},
		{
			name:   "§3.1.3 #17 retryCount negative → 4",
			req:    create("admin", outgoingBody(map[string]any{"retryFailedCalls": true, "retryCount": -3})),
			status: 200,
			want:   map[string]any{"integration.retryCount": 4},
		},
		{
			name:   "§3.1.3 #17 retryCount 2.7 → 2 (parseInt)",
			req:    create("admin", outgoingBody(map[string]any{"retryFailedCalls": true, "retryCount": 2.7})),
			status: 200,
			want:   map[string]any{"integration.retryCount": 2},
		},
		{
			name:   "§3.1.3 #17 retryCount 0.5 → 4 (parseInt gives 0)",
			req:    create("admin", outgoingBody(map[string]any{"retryFailedCalls": true, "retryCount": 0.5})),
			status: 200,
			want:   map[string]any{"integration.retryCount": 4},
		},
		{
			name:   "§3.1.3 #17 retryDelay lowercased",
			req:    create("admin", outgoingBody(map[string]any{"retryFailedCalls": true, "retryCount": 6, "retryDelay": "Powers-Of-Two"})),
			status: 200,
			want:   map[string]any{"integration.retryCount": 6, "integration.retryDelay": "powers-of-two"},
		},
		{
			name:   "§3.1.3 #17 retryDelay blank → powers-of-ten",
			req:    create("admin", outgoingBody(map[string]any{"retryFailedCalls": true, "retryDelay": "   "})),
			status: 200,
			want:   map[string]any{"integration.retryDelay": "powers-of-ten"},
		},
		{
			name:   "§3.1.3 #17 retry off: retryCount and retryDelay stored as sent",
			req:    create("admin", outgoingBody(map[string]any{"retryFailedCalls": false, "retryCount": 0, "retryDelay": "ABC"})),
			status: 200,
			want:   map[string]any{"integration.retryFailedCalls": false, "integration.retryCount": 0, "integration.retryDelay": "ABC"},
		},
		{
			name:   "§3.1.3 #18 answer {integration, success:true}; unlike incoming, no bot role",
			setup:  func(e *env) { e.userWith("ann") },
			req:    create("admin", outgoingBody(map[string]any{"username": "ann"})),
			status: 200,
			want:   map[string]any{"success": true, "integration._id": objectID, "integration.username": "ann", "integration.userId": "{{ann}}"},
			check: func(e *env, r *resp) {
				if len(r.body) != 2 {
					e.t.Errorf("top-level keys: %v", r.body)
				}
				if roles := e.srv.Roles("ann"); slices.Contains(roles, "bot") {
					e.t.Errorf("roles %v", roles)
				}
			},
		},
	}
}

// ---------------------------------------------------------------------------
// §3.2 integrations.get

func spec32() []row {
	return []row{
		{
			name:   "§3.2 #1 no credentials",
			req:    get("", "integrationId=x"),
			status: 401,
			body:   notLoggedInBody,
		},
		{
			name:   "§3.2 #2 integrationId absent (createdBy alone)",
			req:    get("admin", "createdBy={{admin}}"),
			status: 400,
			body:   invalidParams("must have required property 'integrationId'"),
		},
		{
			name:   "§3.2 #3 integrationId empty",
			req:    get("admin", "integrationId="),
			status: 400,
			body:   plainFailure(`The query parameter "integrationId" is required.`),
		},
		{
			name:   "§3.2 #4 no document with that _id",
			req:    get("admin", "integrationId=659ea5b72dd9f928ada3e43e"),
			status: 400,
			body:   plainFailure("The integration does not exists."),
		},
		{
			name:   "§3.2 #4 createdBy is not the creator",
			setup:  func(e *env) { e.create("in", "admin", incomingBody(nil)) },
			req:    get("admin", "integrationId={{in}}&createdBy={{owner}}"),
			status: 400,
			body:   plainFailure("The integration does not exists."),
		},
		{
			name:   "§3.2 #4 createdBy is the creator",
			setup:  func(e *env) { e.create("in", "admin", incomingBody(nil)) },
			req:    get("admin", "integrationId={{in}}&createdBy={{admin}}"),
			status: 200,
			want:   map[string]any{"integration._id": "{{in}}"},
		},
		{
			name:   "§3.2 #4 before #5: unknown id asked by a user without permissions",
			req:    get("regular", "integrationId=unknown"),
			status: 400,
			body:   plainFailure("The integration does not exists."),
		},
		{
			name:   "§3.2 #5 no permission",
			setup:  func(e *env) { e.create("in", "admin", incomingBody(nil)) },
			req:    get("regular", "integrationId={{in}}"),
			status: 400,
			body:   plainFailure("not-authorized"),
		},
		{
			name:   "§3.2 #5 manage-own but not the creator",
			setup:  func(e *env) { e.create("in", "admin", incomingBody(nil)) },
			req:    get("owner", "integrationId={{in}}"),
			status: 400,
			body:   plainFailure("not-authorized"),
		},
		{
			name: "§3.2 #5 the type comes from the stored document",
			setup: func(e *env) {
				e.userWith("carol", rc.PermManageIncoming)
				e.create("out", "admin", outgoingBody(nil))
			},
			req:    get("carol", "integrationId={{out}}"),
			status: 400,
			body:   plainFailure("not-authorized"),
		},
		{
			name: "§3.2 #5 manage-<type> reads anyone's",
			setup: func(e *env) {
				e.userWith("carol", rc.PermManageIncoming)
				e.create("in", "owner", incomingBody(nil))
			},
			req:    get("carol", "integrationId={{in}}"),
			status: 200,
		},
		{
			name:   "§3.2 #6 the creator with manage-own: the full stored document",
			setup:  func(e *env) { e.create("out", "owner", outgoingBody(map[string]any{"token": "t"})) },
			req:    get("owner", "integrationId={{out}}"),
			status: 200,
			want:   map[string]any{"success": true},
			check: func(e *env, r *resp) {
				e.compare("integration", r.body["integration"], true, e.stored("out"))
			},
		},
		{
			name:   "§3.2 schema: no additionalProperties restriction",
			setup:  func(e *env) { e.create("in", "admin", incomingBody(nil)) },
			req:    get("admin", "integrationId={{in}}&fields=name"),
			status: 200,
		},
	}
}

// ---------------------------------------------------------------------------
// §3.3 integrations.list

// fourIntegrations: admin and owner each create one incoming and one outgoing.
func fourIntegrations(e *env) {
	e.create("adminIn", "admin", incomingBody(map[string]any{"name": "admin in"}))
	e.create("adminOut", "admin", outgoingBody(map[string]any{"name": "admin out"}))
	e.create("ownerIn", "owner", incomingBody(map[string]any{"name": "owner in"}))
	e.create("ownerOut", "owner", outgoingBody(map[string]any{"name": "owner out"}))
}

// namesAre checks the names a list returned, in any order: documents that
// tie on the sort key come in no particular order (SPEC.md §L9).
func namesAre(want ...string) func(e *env, r *resp) {
	return func(e *env, r *resp) {
		got := names(r.body["integrations"])
		slices.Sort(got)
		want = slices.Sorted(slices.Values(want))
		if !slices.Equal(got, want) {
			e.t.Errorf("names %q, want %q in any order", got, want)
		}
	}
}

// namesInOrder checks the names a list returned, in order.
func namesInOrder(want ...string) func(e *env, r *resp) {
	return func(e *env, r *resp) {
		if got := names(r.body["integrations"]); !slices.Equal(got, want) {
			e.t.Errorf("names %q, want %q", got, want)
		}
	}
}

// byID sorts a list on the unique _id, which orders integrations as they
// were created.
var byID = "sort=" + url.QueryEscape(`{"_id":1}`)

func createMany(n int) func(e *env) {
	return func(e *env) {
		for i := range n {
			e.create("", "admin", incomingBody(map[string]any{"name": "n" + strconv.Itoa(i)}))
		}
	}
}

func spec33() []row {
	return []row{
		{
			name:   "§3.3 route permission: none of the four → 403",
			setup:  fourIntegrations,
			req:    list("regular", ""),
			status: 403,
			body:   forbiddenBody,
		},
		{
			name: "§3.3 route permission: manage-own-outgoing alone is enough",
			setup: func(e *env) {
				fourIntegrations(e)
				e.userWith("olga", rc.PermManageOwnOutgoing)
			},
			req:    list("olga", ""),
			status: 200,
			want:   map[string]any{"total": 0, "integrations": []any{}},
		},
		{
			name:   "§3.3 §1.3 schema: count is number|string (union type message)",
			req:    list("admin", "count=1&count=2"),
			status: 400,
			want:   map[string]any{"errorType": "invalid-params", "error": contains("must be number,string")},
		},
		{
			name:   "§3.3 paging: count defaults to 50; total counts all; items == count",
			setup:  createMany(55),
			req:    list("admin", ""),
			status: 200,
			want:   map[string]any{"integrations": lenIs(50), "offset": 0, "items": 50, "count": 50, "total": 55},
		},
		{
			name:   "§3.3 paging: count is capped at 100",
			setup:  createMany(105),
			req:    list("admin", "count=150"),
			status: 200,
			want:   map[string]any{"integrations": lenIs(100), "items": 100, "count": 100, "total": 105},
		},
		{
			name:   "§3.3 paging: count=0 means unlimited",
			setup:  createMany(105),
			req:    list("admin", "count=0"),
			status: 200,
			want:   map[string]any{"integrations": lenIs(105), "items": 105, "count": 105, "total": 105},
		},
		{
			name:   "§3.3 paging: offset and count, on a unique sort",
			setup:  createMany(5),
			req:    list("admin", "offset=3&count=1&"+byID),
			status: 200,
			want:   map[string]any{"offset": 3, "items": 1, "count": 1, "total": 5},
			check:  namesInOrder("n3"),
		},
		{
			name:   "§3.3 paging: offset past the end",
			setup:  createMany(2),
			req:    list("admin", "offset=5"),
			status: 200,
			want:   map[string]any{"integrations": []any{}, "offset": 5, "items": 0, "count": 0, "total": 2},
		},
		{
			name:   "§3.3 paging: offset that parseInt cannot read counts as 0",
			setup:  createMany(2),
			req:    list("admin", "offset=abc"),
			status: 200,
			want:   map[string]any{"offset": 0, "items": 2, "total": 2},
		},
		{
			name: "§3.3 sort: _id orders as created",
			setup: func(e *env) {
				createMany(3)(e)
				e.create("", "admin", outgoingBody(map[string]any{"name": "a first?"}))
			},
			req:    list("admin", byID),
			status: 200,
			check:  namesInOrder("n0", "n1", "n2", "a first?"),
		},
		{
			name:  "§L9 the default sort {ts:-1}: integrations tie, in a new order on each request",
			setup: createMany(30),
			req:   list("admin", "count=0"),
			check: func(e *env, first *resp) {
				again := e.do(list("admin", "count=0"))
				a, b := names(first.body["integrations"]), names(again.body["integrations"])
				if len(a) != 30 || slices.Equal(a, b) {
					e.t.Errorf("two lists of 30 ties came back in the same order: %q", a)
				}
			},
		},
		{
			name: "§L9 the default sort: pages of a list of ties may repeat and skip integrations",
			setup: func(e *env) {
				for range 25 {
					createMany(10)(e)
				}
			},
			check: func(e *env, _ *resp) {
				seen := map[string]int{}
				for offset := 0; offset < 250; offset += 100 {
					for _, d := range e.ok(list("admin", "count=100&offset="+strconv.Itoa(offset)))["integrations"].([]any) {
						seen[d.(map[string]any)["_id"].(string)]++
					}
				}
				if len(seen) == 250 {
					e.t.Error("three pages of 250 ties held every integration once: paging without a unique sort must not be reliable")
				}
			},
		},
		{
			name:  "§L9 WithStableTies: ties in the order they were stored",
			opts:  []rc.Option{rc.WithStableTies()},
			setup: createMany(4),
			req:   list("admin", ""),
			check: namesInOrder("n0", "n1", "n2", "n3"),
		},
		{
			name:   "§3.3 type= (empty) filters nothing",
			setup:  fourIntegrations,
			req:    list("admin", "type="),
			status: 200,
			want:   map[string]any{"total": 4},
		},
		{
			name:   "§3.3 sort: {\"name\":-1}",
			setup:  createMany(3),
			req:    list("admin", "sort="+url.QueryEscape(`{"name":-1}`)),
			status: 200,
			check:  namesInOrder("n2", "n1", "n0"),
		},
		{
			name:   "§3.3 sort: a value other than 1 or -1",
			req:    list("admin", "sort="+url.QueryEscape(`{"name":2}`)),
			status: 400,
			body: meteorFailure(`Invalid sort parameter provided: "{"name":2}" [error-invalid-sort]`, "error-invalid-sort",
				map[string]any{"helperMethod": "parseJsonQuery"}),
		},
		{
			name:   "§3.3 sort: not JSON",
			req:    list("admin", "sort=name"),
			status: 400,
			body: meteorFailure(`Invalid sort parameter provided: "name" [error-invalid-sort]`, "error-invalid-sort",
				map[string]any{"helperMethod": "parseJsonQuery"}),
		},
		{
			name:   "§3.3 sort: JSON that is not an object",
			req:    list("admin", "sort="+url.QueryEscape(`["name"]`)),
			status: 400,
			want:   map[string]any{"errorType": "error-invalid-sort", "details": map[string]any{"helperMethod": "parseJsonQuery"}},
		},
		{
			name:   "§3.3 sort: unterminated object",
			req:    list("admin", "sort="+url.QueryEscape(`{"name":1`)),
			status: 400,
			want:   map[string]any{"errorType": "error-invalid-sort"},
		},
		{
			name: "§3.3 name: case-insensitive substring",
			setup: func(e *env) {
				for _, n := range []string{"Alpha hook", "beta", "the ALPHA two"} {
					e.create("", "admin", incomingBody(map[string]any{"name": n}))
				}
			},
			req:    list("admin", "name=alpha"),
			status: 200,
			want:   map[string]any{"total": 2},
			check:  namesAre("Alpha hook", "the ALPHA two"),
		},
		{
			name: "§3.3 name: regex metacharacters are escaped",
			setup: func(e *env) {
				for _, n := range []string{"a.b", "axb", "(x)*"} {
					e.create("", "admin", incomingBody(map[string]any{"name": n}))
				}
			},
			req:    list("admin", "name=a.b"),
			status: 200,
			check:  namesAre("a.b"),
		},
		{
			name: "§3.3 name: a pattern that is no valid regex matches literally",
			setup: func(e *env) {
				for _, n := range []string{"a.b", "(x)*"} {
					e.create("", "admin", incomingBody(map[string]any{"name": n}))
				}
			},
			req:    list("admin", "name="+url.QueryEscape("(x")),
			status: 200,
			check:  namesAre("(x)*"),
		},
		{
			name:   "§3.3 type: exact match",
			setup:  fourIntegrations,
			req:    list("admin", "type=webhook-outgoing"),
			status: 200,
			check:  namesAre("admin out", "owner out"),
		},
		{
			name:   "§3.3 type: no substring match",
			setup:  fourIntegrations,
			req:    list("admin", "type=webhook"),
			status: 200,
			want:   map[string]any{"total": 0},
		},
		{
			name:   "§3.3 query: deprecated, ignored",
			setup:  fourIntegrations,
			req:    list("admin", "query="+url.QueryEscape(`{"name":"admin in"}`)),
			status: 200,
			want:   map[string]any{"total": 4},
		},
		{
			name:   "§3.3 visibility: both manage-* see everything",
			setup:  fourIntegrations,
			req:    list("admin", ""),
			status: 200,
			check:  namesAre("admin in", "admin out", "owner in", "owner out"),
		},
		{
			name:   "§3.3 visibility: both manage-own-* see only their own",
			setup:  fourIntegrations,
			req:    list("owner", ""),
			status: 200,
			check:  namesAre("owner in", "owner out"),
		},
		{
			name: "§3.3 visibility quirk: manage-incoming plus both own-* see only their own, incoming included",
			setup: func(e *env) {
				fourIntegrations(e)
				e.grant(rc.PermManageIncoming, e.ownerRole())
			},
			req:    list("owner", ""),
			status: 200,
			check:  namesAre("owner in", "owner out"),
		},
		{
			name: "§3.3 visibility: manage-outgoing alone sees every outgoing",
			setup: func(e *env) {
				fourIntegrations(e)
				e.userWith("carol", rc.PermManageOutgoing)
			},
			req:    list("carol", ""),
			status: 200,
			check:  namesAre("admin out", "owner out"),
		},
		{
			name: "§3.3 visibility: manage-own-incoming alone sees own incoming",
			setup: func(e *env) {
				fourIntegrations(e)
				e.revoke(rc.PermManageOwnOutgoing, e.ownerRole())
			},
			req:    list("owner", ""),
			status: 200,
			check:  namesAre("owner in"),
		},
		{
			name: "§3.3 visibility: manage-incoming plus own-outgoing: all incoming and own outgoing",
			setup: func(e *env) {
				fourIntegrations(e)
				e.grant(rc.PermManageIncoming, e.ownerRole())
				e.revoke(rc.PermManageOwnIncoming, e.ownerRole())
			},
			req:    list("owner", ""),
			status: 200,
			check:  namesAre("admin in", "owner in", "owner out"),
		},
		{
			name:   "§3.3 response: integrations, offset, items, count, total, success; full documents",
			setup:  func(e *env) { e.create("in", "admin", incomingBody(nil)) },
			req:    list("admin", ""),
			status: 200,
			check: func(e *env, r *resp) {
				keys := slices.Sorted(func(yield func(string) bool) {
					for k := range r.body {
						if !yield(k) {
							return
						}
					}
				})
				if want := []string{"count", "integrations", "items", "offset", "success", "total"}; !slices.Equal(keys, want) {
					e.t.Errorf("keys %v, want %v", keys, want)
				}
				e.compare("integrations.0", r.body["integrations"].([]any)[0], true, e.stored("in"))
			},
		},
	}
}

// ---------------------------------------------------------------------------
// §3.4 integrations.update

func spec34() []row {
	withIn := func(e *env) { e.create("in", "admin", incomingBody(nil)) }
	withOut := func(e *env) { e.create("out", "admin", outgoingBody(map[string]any{"token": "outgoing-token"})) }
	return []row{
		{
			name:   "§3.4 update is PUT: a POST finds no route (§12.7 choice: plain 404) and changes nothing",
			setup:  withIn,
			req:    req{method: http.MethodPost, path: pathUpdate, as: "admin", body: incomingUpdate("in", map[string]any{"name": "changed"})},
			status: 404,
			check: func(e *env, _ *resp) {
				if name := e.stored("in")["name"]; name != "Incoming test" {
					e.t.Errorf("name changed to %v", name)
				}
			},
		},
		{
			name:   "§3.4.1 incoming: unknown integrationId",
			req:    update("admin", incomingUpdate("x", nil)),
			setup:  func(e *env) { e.vars["x"] = "659ea5b72dd9f928ada3e43e" },
			status: 400,
			body:   plainFailure("No integration found."),
		},
		{
			name:   "§3.4.1 incoming: the lookup comes before the method's checks",
			setup:  func(e *env) { e.vars["x"] = "unknown" },
			req:    update("regular", incomingUpdate("x", map[string]any{"channel": "bad"})),
			status: 400,
			body:   plainFailure("No integration found."),
		},
		{
			name:   "§3.4.1 incoming branch allows unknown properties (not stored)",
			setup:  withIn,
			req:    update("admin", incomingUpdate("in", map[string]any{"foo": "bar"})),
			status: 200,
			want:   map[string]any{"integration.foo": absent},
		},
		{
			name:   "§3.4.1 outgoing branch rejects unknown properties",
			setup:  withOut,
			req:    update("admin", outgoingUpdate("out", map[string]any{"foo": "bar"})),
			status: 400,
			body: invalidParams(`must match pattern "webhook-incoming"`, "must NOT have additional properties",
				"must match exactly one schema in oneOf"),
		},
		{
			name: "§3.4.1 outgoing: found by target_url",
			setup: func(e *env) {
				withOut(e)
				e.create("other", "admin", outgoingBody(map[string]any{"urls": []string{"https://other.example/"}}))
			},
			req:    update("admin", outgoingUpdate("out", map[string]any{"integrationId": omit, "target_url": "https://other.example/", "name": "by url"})),
			status: 200,
			want:   map[string]any{"integration._id": "{{other}}", "integration.name": "by url"},
		},
		{
			name:   "§3.4.1 outgoing: target_url not found",
			setup:  withOut,
			req:    update("admin", outgoingUpdate("out", map[string]any{"integrationId": omit, "target_url": "https://nowhere.example/"})),
			status: 400,
			body:   plainFailure("No integration found."),
		},
		{
			name:   "§3.4.1 outgoing: neither integrationId nor target_url",
			req:    update("admin", outgoingBody(map[string]any{"token": "t"})),
			status: 400,
			body:   plainFailure("No integration found."),
		},
		{
			name:   "§3.4.1 outgoing: unknown integrationId, before validation",
			setup:  func(e *env) { e.vars["x"] = "unknown" },
			req:    update("regular", outgoingUpdate("x", map[string]any{"event": "bogus"})),
			status: 400,
			body:   plainFailure("No integration found."),
		},
		{
			name:   "§3.4.1 the stored type is not checked: an incoming update runs on an outgoing id",
			setup:  withOut,
			req:    update("admin", incomingUpdate("out", map[string]any{"name": "renamed"})),
			status: 200,
			want:   map[string]any{"integration.type": "webhook-outgoing", "integration.name": "renamed"},
		},
		{
			name:   "§3.4.1 answer: the document re-read after the update",
			setup:  withIn,
			req:    update("admin", incomingUpdate("in", map[string]any{"name": "renamed"})),
			status: 200,
			want:   map[string]any{"success": true},
			check: func(e *env, r *resp) {
				e.compare("integration", r.body["integration"], true, e.stored("in"))
			},
		},
		{
			name:   "§3.4.2 #1 channel blank",
			setup:  withIn,
			req:    update("admin", incomingUpdate("in", map[string]any{"channel": " "})),
			status: 400,
			body:   meteorFailure("Invalid channel [error-invalid-channel]", "error-invalid-channel", method("updateIncomingIntegration")),
		},
		{
			name:   "§3.4.2 #2 entry without # or @",
			setup:  withIn,
			req:    update("admin", incomingUpdate("in", map[string]any{"channel": "general"})),
			status: 400,
			body: meteorFailure("Invalid channel. Start with @ or # [error-invalid-channel-start-with-chars]",
				"error-invalid-channel-start-with-chars", method("updateIncomingIntegration")),
		},
		{
			name:   "§3.4.2 #2 before #3: bad channel from a user without permissions",
			setup:  withIn,
			req:    update("regular", incomingUpdate("in", map[string]any{"channel": "general"})),
			status: 400,
			want:   map[string]any{"errorType": "error-invalid-channel-start-with-chars"},
		},
		{
			name:   "§3.4.2 #3 neither permission",
			setup:  withIn,
			req:    update("regular", incomingUpdate("in", nil)),
			status: 400,
			body:   meteorFailure("Unauthorized [not_authorized]", "not_authorized", method("updateIncomingIntegration")),
		},
		{
			name:   "§3.4.2 #4 own-only caller, not the creator",
			setup:  withIn,
			req:    update("owner", incomingUpdate("in", nil)),
			status: 400,
			want:   failureWant("Invalid integration [error-invalid-integration]", "error-invalid-integration"),
		},
		{
			name:   "§3.4.2 #4 own-only caller, the creator",
			setup:  func(e *env) { e.create("in", "owner", incomingBody(nil)) },
			req:    update("owner", incomingUpdate("in", map[string]any{"name": "mine"})),
			status: 200,
			want:   map[string]any{"integration.name": "mine"},
		},
		{
			name:  "§3.4.2 #6 the compile result is written at once, even when a later check fails",
			setup: withIn,
			req: update("admin", incomingUpdate("in", map[string]any{
				"scriptEnabled": true, "script": "function (", "channel": "#nowhere",
			})),
			status: 400,
			want:   map[string]any{"errorType": "error-invalid-room"},
			check: func(e *env, _ *resp) {
				doc := e.stored("in")
				if doc["scriptError"] == nil {
					e.t.Errorf("no scriptError stored: %v", doc)
				}
				if doc["script"] != nil || doc["scriptEnabled"] != false {
					e.t.Errorf("script fields were set: %v", doc)
				}
			},
		},
		{
			name: "§3.4.2 #6 §3.1.4 scriptEnabled false compiles nothing and a stale scriptCompiled remains",
			setup: func(e *env) {
				e.create("in", "admin", incomingBody(map[string]any{"scriptEnabled": true, "script": "const a = 1;"}))
			},
			req:    update("admin", incomingUpdate("in", map[string]any{"scriptEnabled": false, "script": "const b = {;"})),
			status: 200,
			want: map[string]any{
				"integration.scriptEnabled": false, "integration.script": "const b = {;", "integration.scriptCompiled": "const a=1;",
				"integration.scriptError": absent,
			},
		},
		{
			name:   "§3.4.2 #7 room not found",
			setup:  withIn,
			req:    update("admin", incomingUpdate("in", map[string]any{"channel": "#nowhere"})),
			status: 400,
			want:   failureWant("Invalid room [error-invalid-room]", "error-invalid-room"),
		},
		{
			name: "§3.4.2 #7 own-only caller: a room they are not subscribed to",
			setup: func(e *env) {
				e.srv.AddRoom("lounge", false, "admin")
				e.create("in", "owner", incomingBody(nil))
			},
			req:    update("owner", incomingUpdate("in", map[string]any{"channel": "#lounge"})),
			status: 400,
			want:   failureWant("Invalid Channel [error-invalid-channel]", "error-invalid-channel"),
		},
		{
			name:   "§3.4.2 #8 username sent but not found",
			setup:  withIn,
			req:    update("admin", incomingUpdate("in", map[string]any{"username": "nobody"})),
			status: 400,
			want:   failureWant("Invalid Post As User [error-invalid-post-as-user]", "error-invalid-post-as-user"),
		},
		{
			name: "§3.4.2 #8 username omitted: the stored post-as user was deleted",
			setup: func(e *env) {
				e.userWith("ann", rc.PermMessageImpersonate)
				e.create("in", "admin", incomingBody(map[string]any{"username": "ann"}))
				e.srv.DeleteUser("ann")
			},
			req:    update("admin", incomingUpdate("in", nil)),
			status: 400,
			want:   failureWant("Invalid Post As User [error-invalid-post-as-user]", "error-invalid-post-as-user"),
		},
		{
			name: "§3.4.2 #9 before 8.6: the new post-as user gets the bot role",
			opts: before86,
			setup: func(e *env) {
				withIn(e)
				e.userWith("ann")
			},
			req:    update("admin", incomingUpdate("in", map[string]any{"username": "ann"})),
			status: 200,
			check: func(e *env, _ *resp) {
				if roles := e.srv.Roles("ann"); !slices.Contains(roles, "bot") {
					e.t.Errorf("roles %v", roles)
				}
			},
		},
		{
			name:   "§3.4.2 #10 enabled, name and channel are set",
			setup:  withIn,
			req:    update("admin", incomingUpdate("in", map[string]any{"name": "New", "enabled": false, "channel": "#general, @rocket.cat"})),
			status: 200,
			want: map[string]any{
				"integration.name": "New", "integration.enabled": false, "integration.channel": []string{"#general", "@rocket.cat"},
			},
		},
		{
			name: "§3.4.2 #10 omitted field keeps old value (alias, avatar, emoji, script, override)",
			setup: func(e *env) {
				e.create("in", "admin", incomingBody(map[string]any{
					"alias": "A", "avatar": "https://a.example/a.png", "emoji": ":ghost:", "script": "const a = 1;",
					"overrideDestinationChannelEnabled": true,
				}))
			},
			req:    update("admin", incomingUpdate("in", nil)),
			status: 200,
			want: map[string]any{
				"integration.alias": "A", "integration.avatar": "https://a.example/a.png", "integration.emoji": ":ghost:",
				"integration.script": "const a = 1;", "integration.overrideDestinationChannelEnabled": true,
			},
		},
		{
			name:   "§3.4.2 #10 alias:\"\" clears",
			setup:  func(e *env) { e.create("in", "admin", incomingBody(map[string]any{"alias": "A"})) },
			req:    update("admin", incomingUpdate("in", map[string]any{"alias": "", "overrideDestinationChannelEnabled": false})),
			status: 200,
			want:   map[string]any{"integration.alias": "", "integration.overrideDestinationChannelEnabled": false},
		},
		{
			name: "§3.4.2 #10 username change updates userId",
			setup: func(e *env) {
				withIn(e)
				e.userWith("ann", rc.PermMessageImpersonate)
			},
			req:    update("admin", incomingUpdate("in", map[string]any{"username": "ann"})),
			status: 200,
			want:   map[string]any{"integration.username": "ann", "integration.userId": "{{ann}}"},
		},
		{
			name:   "§3.4.2 #10 username omitted keeps username and userId",
			setup:  withIn,
			req:    update("admin", incomingUpdate("in", nil)),
			status: 200,
			want:   map[string]any{"integration.username": "rocket.cat", "integration.userId": "{{bot}}"},
		},
		{
			name:   "§3.4.2 #10 scriptEnabled set; scriptEngine kept; skipTranspile defaults to false",
			setup:  withIn,
			req:    update("admin", incomingUpdate("in", map[string]any{"scriptEnabled": true})),
			status: 200,
			want: map[string]any{
				"integration.scriptEnabled": true, "integration.scriptEngine": "isolated-vm", "integration.skipTranspile": false,
			},
		},
		{
			name:  "§3.4.2 #10 token and type never change; _updatedAt and _updatedBy set; _created* kept",
			clock: true,
			setup: func(e *env) {
				withIn(e)
				e.clock.Advance(90 * time.Second)
			},
			req:    update("admin", incomingUpdate("in", map[string]any{"token": "forged"})),
			status: 200,
			want: map[string]any{
				"integration.token": "{{in.token}}", "integration.type": "webhook-incoming",
				"integration._createdAt": "2024-01-10T14:12:07.739Z", "integration._updatedAt": "2024-01-10T14:13:37.739Z",
				"integration._createdBy": map[string]any{"_id": "{{admin}}", "username": "admin"},
				"integration._updatedBy": map[string]any{"_id": "{{admin}}", "username": "admin"},
			},
		},
		{
			name:   "§3.4.3 #1 validation runs before permission and existence: bad event from a user without permissions",
			setup:  withOut,
			req:    update("regular", outgoingUpdate("out", map[string]any{"event": "bogus"})),
			status: 400,
			body:   meteorFailure("Invalid event type [error-invalid-event-type]", "error-invalid-event-type", function(verifyFields)),
		},
		{
			name:   "§3.4.3 #1 every check of create applies: blank urls",
			setup:  withOut,
			req:    update("admin", outgoingUpdate("out", map[string]any{"urls": []string{" "}})),
			status: 400,
			want:   map[string]any{"errorType": "error-invalid-urls"},
		},
		{
			name:   "§3.4.3 #1 every check of create applies: own-only caller, event without channels",
			setup:  func(e *env) { e.create("out", "owner", outgoingBody(nil)) },
			req:    update("owner", outgoingUpdate("out", map[string]any{"event": "roomCreated"})),
			status: 400,
			want:   map[string]any{"errorType": "error-invalid-permissions"},
		},
		{
			name:   "§3.4.3 #2 token missing",
			setup:  withOut,
			req:    update("admin", outgoingUpdate("out", map[string]any{"token": omit})),
			status: 400,
			body:   meteorFailure("Invalid token [error-invalid-token]", "error-invalid-token", method("updateOutgoingIntegration")),
		},
		{
			name:   "§3.4.3 #2 token blank",
			setup:  withOut,
			req:    update("admin", outgoingUpdate("out", map[string]any{"token": "  "})),
			status: 400,
			body:   meteorFailure("Invalid token [error-invalid-token]", "error-invalid-token", method("updateOutgoingIntegration")),
		},
		{
			name:   "§3.4.3 #2 token null",
			setup:  withOut,
			req:    update("admin", outgoingUpdate("out", map[string]any{"token": nil})),
			status: 400,
			want:   map[string]any{"errorType": "error-invalid-token"},
		},
		{
			name:   "§3.4.3 #1 before #2: bad event and no token",
			setup:  withOut,
			req:    update("admin", outgoingUpdate("out", map[string]any{"token": omit, "event": "bogus"})),
			status: 400,
			want:   map[string]any{"errorType": "error-invalid-event-type"},
		},
		{
			name:   "§3.4.3 #2 before #3: no token from a user without permissions",
			setup:  withOut,
			req:    update("regular", outgoingUpdate("out", map[string]any{"token": omit})),
			status: 400,
			want:   map[string]any{"errorType": "error-invalid-token"},
		},
		{
			name:   "§3.4.3 #3 neither permission",
			setup:  withOut,
			req:    update("regular", outgoingUpdate("out", nil)),
			status: 400,
			body:   meteorFailure("Unauthorized [not_authorized]", "not_authorized", method("updateOutgoingIntegration")),
		},
		{
			name:   "§3.4.3 #4 own-only caller on another's integration",
			setup:  withOut,
			req:    update("owner", outgoingUpdate("out", nil)),
			status: 400,
			body: meteorFailure("[methods] updateOutgoingIntegration -> integration not found [invalid_integration]",
				"invalid_integration", nil),
		},
		{
			name:   "§3.4.3 #4 own-only caller, the creator",
			setup:  func(e *env) { e.create("out", "owner", outgoingBody(nil)) },
			req:    update("owner", outgoingUpdate("out", map[string]any{"name": "mine"})),
			status: 200,
			want:   map[string]any{"integration.name": "mine"},
		},
		{
			name:  "§3.4.3 #6 the sent fields are set; token overwritten with what is sent",
			setup: withOut,
			req: update("admin", outgoingUpdate("out", map[string]any{
				"name": "New", "enabled": false, "channel": "#general, @rocket.cat", "urls": []string{"https://b.example/"},
				"token": "rotated", "triggerWords": []string{"!new"}, "alias": "A", "emoji": ":x:", "avatar": "https://a.example/a.png",
				"targetRoom": "#general", "impersonateUser": true, "triggerWordAnywhere": true, "runOnEdits": true,
				"retryFailedCalls": true, "retryCount": 0, "retryDelay": "Exponential",
			})),
			status: 200,
			want: map[string]any{
				"integration.name": "New", "integration.enabled": false, "integration.channel": []string{"#general", "@rocket.cat"},
				"integration.urls": []string{"https://b.example/"}, "integration.token": "rotated", "integration.triggerWords": []string{"!new"},
				"integration.alias": "A", "integration.emoji": ":x:", "integration.avatar": "https://a.example/a.png",
				"integration.targetRoom": "#general", "integration.impersonateUser": true, "integration.triggerWordAnywhere": true,
				"integration.runOnEdits": true, "integration.retryFailedCalls": true, "integration.retryCount": 4,
				"integration.retryDelay": "exponential",
			},
		},
		{
			name: "§3.4.3 #6 username change updates userId",
			setup: func(e *env) {
				withOut(e)
				e.userWith("ann")
			},
			req:    update("admin", outgoingUpdate("out", map[string]any{"username": "ann"})),
			status: 200,
			want:   map[string]any{"integration.username": "ann", "integration.userId": "{{ann}}"},
		},
		{
			name:   "§3.4.3 #6 omitted triggerWords keeps the old list",
			setup:  withOut,
			req:    update("admin", outgoingUpdate("out", map[string]any{"triggerWords": omit})),
			status: 200,
			want:   map[string]any{"integration.triggerWords": []string{"!guggy"}},
		},
		{
			name:   "§3.4.3 #6 triggerWords [] clears",
			setup:  withOut,
			req:    update("admin", outgoingUpdate("out", map[string]any{"triggerWords": []string{}})),
			status: 200,
			want:   map[string]any{"integration.triggerWords": []string{}},
		},
		{
			name:   "§3.4.3 #6 event without trigger words: the old list survives; channel becomes []",
			setup:  withOut,
			req:    update("admin", outgoingUpdate("out", map[string]any{"event": "roomCreated", "triggerWords": []string{"!new"}})),
			status: 200,
			want: map[string]any{
				"integration.event": "roomCreated", "integration.triggerWords": []string{"!guggy"}, "integration.channel": []string{},
			},
		},
		{
			name:   "§3.4.3 #6 §12.5 choice: an omitted field keeps its old value",
			setup:  func(e *env) { e.create("out", "admin", outgoingBody(map[string]any{"alias": "A", "emoji": ":x:"})) },
			req:    update("admin", outgoingUpdate("out", nil)),
			status: 200,
			want:   map[string]any{"integration.alias": "A", "integration.emoji": ":x:"},
		},
		{
			name: "§3.4.3 #6 scriptError set with scriptCompiled unset",
			setup: func(e *env) {
				e.create("out", "admin", outgoingBody(map[string]any{"scriptEnabled": true, "script": "const a = 1;"}))
			},
			req:    update("admin", outgoingUpdate("out", map[string]any{"scriptEnabled": true, "script": "const a = {;"})),
			status: 200,
			want: map[string]any{
				"integration.script": "const a = {;", "integration.scriptError.name": "SyntaxError", "integration.scriptCompiled": absent,
			},
		},
		{
			name: "§3.4.3 #6 scriptCompiled set with scriptError unset",
			setup: func(e *env) {
				e.create("out", "admin", outgoingBody(map[string]any{"scriptEnabled": true, "script": "const a = {;"}))
			},
			req:    update("admin", outgoingUpdate("out", map[string]any{"scriptEnabled": true, "script": "const a = 1;"})),
			status: 200,
			want:   map[string]any{"integration.scriptCompiled": present, "integration.scriptError": absent},
		},
		{
			name:  "§3.4.3 #6 _updatedAt and _updatedBy; type, _createdAt and _createdBy kept",
			clock: true,
			setup: func(e *env) {
				e.create("out", "owner", outgoingBody(map[string]any{"token": "x"}))
				e.clock.Advance(2 * time.Second)
			},
			req:    update("admin", outgoingUpdate("out", nil)),
			status: 200,
			want: map[string]any{
				"integration.type": "webhook-outgoing", "integration._createdAt": "2024-01-10T14:12:07.739Z",
				"integration._updatedAt": "2024-01-10T14:12:09.739Z",
				"integration._createdBy": map[string]any{"_id": "{{owner}}", "username": rc.OwnerUsername},
				"integration._updatedBy": map[string]any{"_id": "{{admin}}", "username": "admin"},
			},
		},
	}
}

// ---------------------------------------------------------------------------
// §3.5 integrations.remove

func spec35() []row {
	withIn := func(e *env) { e.create("in", "admin", incomingBody(nil)) }
	withOut := func(e *env) { e.create("out", "admin", outgoingBody(nil)) }
	stillStored := func(v string) func(e *env, _ *resp) { return func(e *env, _ *resp) { e.stored(v) } }
	gone := func(v string) func(e *env, _ *resp) {
		return func(e *env, _ *resp) {
			if _, ok := e.srv.Integration(e.vars[v]); ok {
				e.t.Errorf("%s is still stored", v)
			}
		}
	}
	return []row{
		{
			name:   "§3.5 #1 outgoing with both integrationId and target_url: oneOf failure",
			setup:  withOut,
			req:    remove("admin", map[string]any{"type": "webhook-outgoing", "integrationId": "{{out}}", "target_url": "http://text2gif.guggy.com/guggify"}),
			status: 400,
			want:   map[string]any{"success": false, "errorType": "invalid-params", "error": contains("must match exactly one schema in oneOf")},
			check:  stillStored("out"),
		},
		{
			name:   "§3.5 #2 none of the four permissions",
			setup:  withIn,
			req:    remove("regular", map[string]any{"type": "webhook-incoming", "integrationId": "{{in}}"}),
			status: 403,
			body:   forbiddenBody,
			check:  stillStored("in"),
		},
		{
			name:   "§3.5 #3 outgoing with an empty integrationId passes AJV and reaches the handler",
			req:    remove("admin", map[string]any{"type": "webhook-outgoing", "integrationId": ""}),
			status: 400,
			body:   plainFailure("An integrationId or target_url needs to be provided."),
		},
		{
			name:   "§3.5 #4 incoming: no document with that _id",
			req:    remove("admin", map[string]any{"type": "webhook-incoming", "integrationId": "unknown"}),
			status: 400,
			body:   plainFailure("No integration found."),
		},
		{
			name:   "§3.5 #4 outgoing: no document with that _id",
			req:    remove("admin", map[string]any{"type": "webhook-outgoing", "integrationId": "unknown"}),
			status: 400,
			body:   plainFailure("No integration found."),
		},
		{
			name:   "§3.5 #4 outgoing: no document with that url",
			setup:  withOut,
			req:    remove("admin", map[string]any{"type": "webhook-outgoing", "target_url": "https://nowhere.example/"}),
			status: 400,
			body:   plainFailure("No integration found."),
		},
		{
			name:   "§3.5 #4 before #5: unknown id from a user lacking the type's permissions",
			setup:  func(e *env) { e.userWith("olga", rc.PermManageOwnOutgoing) },
			req:    remove("olga", map[string]any{"type": "webhook-incoming", "integrationId": "unknown"}),
			status: 400,
			body:   plainFailure("No integration found."),
		},
		{
			name: "§3.5 #5 incoming: caller lacks manage-incoming and manage-own-incoming",
			setup: func(e *env) {
				withIn(e)
				e.userWith("olga", rc.PermManageOwnOutgoing)
			},
			req:    remove("olga", map[string]any{"type": "webhook-incoming", "integrationId": "{{in}}"}),
			status: 400,
			body:   meteorFailure("Unauthorized [not_authorized]", "not_authorized", method("deleteIncomingIntegration")),
			check:  stillStored("in"),
		},
		{
			name: "§3.5 #5 outgoing: caller lacks manage-outgoing and manage-own-outgoing",
			setup: func(e *env) {
				withOut(e)
				e.userWith("olga", rc.PermManageOwnIncoming)
			},
			req:    remove("olga", map[string]any{"type": "webhook-outgoing", "integrationId": "{{out}}"}),
			status: 400,
			body:   meteorFailure("Unauthorized [not_authorized]", "not_authorized", method("deleteOutgoingIntegration")),
		},
		{
			name:   "§3.5 #6 own-only caller, not the creator (incoming)",
			setup:  withIn,
			req:    remove("owner", map[string]any{"type": "webhook-incoming", "integrationId": "{{in}}"}),
			status: 400,
			body:   meteorFailure("Invalid integration [error-invalid-integration]", "error-invalid-integration", method("deleteIncomingIntegration")),
			check:  stillStored("in"),
		},
		{
			name:   "§3.5 #6 own-only caller, not the creator (outgoing)",
			setup:  withOut,
			req:    remove("owner", map[string]any{"type": "webhook-outgoing", "integrationId": "{{out}}"}),
			status: 400,
			body:   meteorFailure("Invalid integration [error-invalid-integration]", "error-invalid-integration", method("deleteOutgoingIntegration")),
			check:  stillStored("out"),
		},
		{
			name:   "§3.5 #6 own-only caller, the creator",
			setup:  func(e *env) { e.create("in", "owner", incomingBody(nil)) },
			req:    remove("owner", map[string]any{"type": "webhook-incoming", "integrationId": "{{in}}"}),
			status: 200,
			check:  gone("in"),
		},
		{
			name: "§3.5 #7 outgoing remove deletes its history",
			setup: func(e *env) {
				withOut(e)
				if _, err := e.srv.AddHistory(e.vars["out"], "sendMessage", true); err != nil {
					e.t.Fatal(err)
				}
				e.verify(row{status: 200, want: map[string]any{"total": 1}}, e.do(history("admin", "id={{out}}")))
			},
			req:    remove("admin", map[string]any{"type": "webhook-outgoing", "integrationId": "{{out}}"}),
			status: 200,
			check: func(e *env, _ *resp) {
				e.verify(row{status: 200, want: map[string]any{"total": 0, "history": []any{}}}, e.do(history("admin", "id={{out}}")))
			},
		},
		{
			name:   "§3.5 #8 answer: the full document as it was before deletion",
			setup:  func(e *env) { e.create("in", "owner", incomingBody(map[string]any{"alias": "A"})) },
			req:    remove("admin", map[string]any{"type": "webhook-incoming", "integrationId": "{{in}}"}),
			status: 200,
			want:   map[string]any{"success": true, "integration._id": "{{in}}", "integration.token": "{{in.token}}", "integration.alias": "A"},
			check: func(e *env, r *resp) {
				gone("in")(e, r)
				e.verify(row{status: 400, body: plainFailure("The integration does not exists.")}, e.do(get("admin", "integrationId={{in}}")))
			},
		},
		{
			name:   "§3.5 #8 outgoing removed by target_url",
			setup:  withOut,
			req:    remove("admin", map[string]any{"type": "webhook-outgoing", "target_url": "http://text2gif.guggy.com/guggify"}),
			status: 200,
			want:   map[string]any{"integration._id": "{{out}}"},
			check:  gone("out"),
		},
		{
			name:   "§3.5 the stored type is not checked: type webhook-incoming deletes an outgoing id",
			setup:  withOut,
			req:    remove("admin", map[string]any{"type": "webhook-incoming", "integrationId": "{{out}}"}),
			status: 200,
			want:   map[string]any{"integration.type": "webhook-outgoing"},
			check:  gone("out"),
		},
		{
			name: "§3.5 the permissions checked are those of the requested type",
			setup: func(e *env) {
				withOut(e)
				e.userWith("carol", rc.PermManageIncoming)
			},
			req:    remove("carol", map[string]any{"type": "webhook-incoming", "integrationId": "{{out}}"}),
			status: 200,
			check:  gone("out"),
		},
	}
}

// ---------------------------------------------------------------------------
// §3.6 integrations.history

func spec36() []row {
	withHistory := func(e *env) {
		e.create("out", "admin", outgoingBody(nil))
		id, err := e.srv.AddHistory(e.vars["out"], "sendMessage", true)
		if err != nil {
			e.t.Fatal(err)
		}
		e.vars["h1"] = id
	}
	return []row{
		{
			name: "§3.6 route permission: incoming permissions do not help",
			setup: func(e *env) {
				withHistory(e)
				e.userWith("carol", rc.PermManageIncoming, rc.PermManageOwnIncoming)
			},
			req:    history("carol", "id={{out}}"),
			status: 403,
			body:   forbiddenBody,
		},
		{
			name:   "§3.6 schema: id required",
			req:    history("admin", ""),
			status: 400,
			body:   invalidParams("must have required property 'id'"),
		},
		{
			name:   "§3.6 schema: id minLength 1",
			req:    history("admin", "id="),
			status: 400,
			body:   invalidParams("must NOT have fewer than 1 characters"),
		},
		{
			name:   "§3.6 schema: no additional properties",
			req:    history("admin", "id=x&fields=y"),
			status: 400,
			body:   invalidParams("must NOT have additional properties"),
		},
		{
			name:   "§3.6 schema: count is a number (coerced from the query string)",
			req:    history("admin", "id=x&count=abc"),
			status: 400,
			body:   invalidParams("must be number"),
		},
		{
			name:   "§3.6 whitespace id",
			req:    history("admin", "id=%20%20"),
			status: 400,
			body:   plainFailure("Invalid integration id."),
		},
		{
			name:   "§3.6 unknown id: an empty list",
			req:    history("admin", "id=unknown"),
			status: 200,
			body:   map[string]any{"history": []any{}, "offset": 0, "items": 0, "count": 0, "total": 0, "success": true},
		},
		{
			name:   "§3.6 §2.5 response and history document shape",
			setup:  withHistory,
			req:    history("admin", "id={{out}}"),
			status: 200,
			want: map[string]any{
				"offset": 0, "items": 1, "count": 1, "total": 1,
				"history.0._id": "{{h1}}", "history.0.type": present, "history.0.step": present,
				"history.0.integration._id": "{{out}}", "history.0.event": "sendMessage",
				"history.0._createdAt": isoDate, "history.0._updatedAt": isoDate,
				"history.0.ranPrepareScript": false, "history.0.finished": true,
			},
		},
		{
			name: "§3.6 own-only caller: only their own integrations' history",
			setup: func(e *env) {
				withHistory(e)
				e.create("mine", "owner", outgoingBody(nil))
				if _, err := e.srv.AddHistory(e.vars["mine"], "sendMessage", false); err != nil {
					e.t.Fatal(err)
				}
				e.verify(row{status: 200, want: map[string]any{"total": 1}}, e.do(history("owner", "id={{mine}}")))
			},
			req:    history("owner", "id={{out}}"),
			status: 200,
			want:   map[string]any{"total": 0, "history": []any{}},
		},
		{
			name:  "§3.6 default sort: _updatedAt descending; offset and count",
			clock: true,
			setup: func(e *env) {
				withHistory(e)
				e.clock.Advance(time.Second)
				id, _ := e.srv.AddHistory(e.vars["out"], "sendMessage", true)
				e.vars["h2"] = id
				e.verify(row{status: 200, want: map[string]any{"history.0._id": "{{h2}}", "history.1._id": "{{h1}}"}},
					e.do(history("admin", "id={{out}}")))
			},
			req:    history("admin", "id={{out}}&offset=1&count=1"),
			status: 200,
			want:   map[string]any{"offset": 1, "items": 1, "count": 1, "total": 2, "history.0._id": "{{h1}}"},
		},
	}
}

// ---------------------------------------------------------------------------
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

// ---------------------------------------------------------------------------
// §4 Permissions

func spec4() []row {
	return []row{
		{
			name:   "§4 defaults: the admin holds all four permissions",
			setup:  func(e *env) { e.create("in", "owner", incomingBody(nil)); e.create("out", "owner", outgoingBody(nil)) },
			req:    list("admin", ""),
			status: 200,
			want:   map[string]any{"total": 2},
		},
		{
			name:   "§4 create incoming: no route-level check (400, not 403)",
			req:    create("regular", incomingBody(nil)),
			status: 400,
			want:   map[string]any{"errorType": "not_authorized"},
		},
		{
			name:   "§4 create outgoing: no route-level check (400, not 403)",
			req:    create("regular", outgoingBody(nil)),
			status: 400,
			want:   map[string]any{"errorType": "not_authorized"},
		},
		{
			name:   "§4 create outgoing: non-channel events need manage-outgoing",
			setup:  func(e *env) { e.userWith("carol", rc.PermManageOutgoing) },
			req:    create("carol", outgoingBody(map[string]any{"event": "roomArchived"})),
			status: 200,
		},
		{
			name:   "§4 get: no route-level check (400 not-authorized)",
			setup:  func(e *env) { e.create("in", "admin", incomingBody(nil)) },
			req:    get("regular", "integrationId={{in}}"),
			status: 400,
			body:   plainFailure("not-authorized"),
		},
		{
			name:   "§4 list: hasAny of the four",
			setup:  func(e *env) { e.userWith("olga", rc.PermManageOwnIncoming) },
			req:    list("olga", ""),
			status: 200,
		},
		{
			name:   "§4 update: no route-level check (400 not_authorized)",
			setup:  func(e *env) { e.create("out", "admin", outgoingBody(nil)) },
			req:    update("regular", outgoingUpdate("out", nil)),
			status: 400,
			want:   map[string]any{"errorType": "not_authorized"},
		},
		{
			name:   "§4 remove: hasAny of the four (403)",
			setup:  func(e *env) { e.create("out", "admin", outgoingBody(nil)) },
			req:    remove("regular", map[string]any{"type": "webhook-outgoing", "integrationId": "{{out}}"}),
			status: 403,
			body:   forbiddenBody,
		},
		{
			name:   "§4 history: hasAny(manage-outgoing, manage-own-outgoing)",
			setup:  func(e *env) { e.userWith("olga", rc.PermManageOwnOutgoing) },
			req:    history("olga", "id=x"),
			status: 200,
		},
	}
}

// ---------------------------------------------------------------------------
// §5 Authentication

func login(body any) req { return req{method: http.MethodPost, path: "/api/v1/login", body: body} }

func loginWorks(e *env, r *resp) {
	e.t.Helper()
	data, _ := r.body["data"].(map[string]any)
	token, _ := data["authToken"].(string)
	if token == "" {
		e.t.Fatalf("no authToken: %s", r.raw)
	}
	e.verify(row{status: 200, want: map[string]any{"_id": "{{admin}}", "username": "admin"}},
		e.do(req{method: http.MethodGet, path: "/api/v1/me", header: map[string]string{"X-User-Id": "{{admin}}", "X-Auth-Token": token}}))
}

func spec5() []row {
	loginOK := map[string]any{
		"status": "success", "success": true, "data.userId": "{{admin}}", "data.authToken": present,
		"data.me._id": "{{admin}}", "data.me.username": "admin",
	}
	unauthorized := map[string]any{"success": false, "error": "Unauthorized", "status": "error", "message": "Unauthorized"}
	return []row{
		{
			name:   "§5 headers: X-Auth-Token missing",
			req:    req{method: http.MethodGet, path: "/api/v1/me", header: map[string]string{"X-User-Id": "{{admin}}"}},
			status: 401,
			body:   notLoggedInBody,
		},
		{
			name:   "§5 headers: X-User-Id missing",
			req:    req{method: http.MethodGet, path: "/api/v1/me", header: map[string]string{"X-Auth-Token": "x"}},
			status: 401,
			body:   notLoggedInBody,
		},
		{
			name:   "§5 headers: wrong token",
			req:    req{method: http.MethodGet, path: "/api/v1/me", header: map[string]string{"X-User-Id": "{{admin}}", "X-Auth-Token": "wrong"}},
			status: 401,
			body:   notLoggedInBody,
		},
		{
			name: "§5 headers: another user's token",
			setup: func(e *env) {
				e.vars["ownerToken"] = e.srv.Owner().AuthToken
			},
			req:    req{method: http.MethodGet, path: "/api/v1/me", header: map[string]string{"X-User-Id": "{{admin}}", "X-Auth-Token": "{{ownerToken}}"}},
			status: 401,
			body:   notLoggedInBody,
		},
		{
			name:   "§5 login: user and password",
			setup:  func(e *env) { e.vars["pw"] = e.srv.Admin().Password },
			req:    login(map[string]any{"user": "admin", "password": "{{pw}}"}),
			status: 200,
			want:   loginOK,
			check:  loginWorks,
		},
		{
			name:   "§5 login: username key",
			setup:  func(e *env) { e.vars["pw"] = e.srv.Admin().Password },
			req:    login(map[string]any{"username": "admin", "password": "{{pw}}"}),
			status: 200,
			want:   loginOK,
		},
		{
			name: "§5 login: user containing @ is an email",
			setup: func(e *env) {
				e.vars["pw"] = e.srv.Admin().Password
				e.vars["email"] = e.ok(me("admin"))["emails"].([]any)[0].(map[string]any)["address"].(string)
			},
			req:    login(map[string]any{"user": "{{email}}", "password": "{{pw}}"}),
			status: 200,
			want:   loginOK,
			check:  loginWorks,
		},
		{
			name: "§5 login: email key",
			setup: func(e *env) {
				e.vars["pw"] = e.srv.Admin().Password
				e.vars["email"] = e.ok(me("admin"))["emails"].([]any)[0].(map[string]any)["address"].(string)
			},
			req:    login(map[string]any{"email": "{{email}}", "password": "{{pw}}"}),
			status: 200,
			want:   loginOK,
		},
		{
			name:   "§5 login: resume with an auth token",
			setup:  func(e *env) { e.vars["tok"] = e.srv.Admin().AuthToken },
			req:    login(map[string]any{"resume": "{{tok}}"}),
			status: 200,
			want:   loginOK,
			check:  loginWorks,
		},
		{
			name:   "§5 login: user not found → 401 Unauthorized",
			req:    login(map[string]any{"user": "nobody", "password": "x"}),
			status: 401,
			body:   unauthorized,
		},
		{
			name:   "§5 login: §12.11 choice: wrong password answers like user not found",
			req:    login(map[string]any{"user": "admin", "password": "wrong"}),
			status: 401,
			body:   unauthorized,
		},
		{
			name:   "§5 me: _id and username of the caller",
			req:    me("owner"),
			status: 200,
			want: map[string]any{
				"success": true, "_id": "{{owner}}", "username": rc.OwnerUsername, "name": present, "emails": present,
				"status": present, "active": true, "roles": present,
			},
		},
		{
			name:   "§5 logout: the token used stops working",
			req:    req{method: http.MethodPost, path: "/api/v1/logout", as: "owner"},
			status: 200,
			body:   map[string]any{"status": "success", "data": map[string]any{"message": "You've been logged out!"}, "success": true},
			check: func(e *env, _ *resp) {
				e.verify(row{status: 401, body: notLoggedInBody}, e.do(me("owner")))
			},
		},
	}
}

// ---------------------------------------------------------------------------
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

// ---------------------------------------------------------------------------
// §7 Server version

func spec7() []row {
	return []row{
		{
			name:   "§7 GET /api/info: version without the patch level",
			req:    req{method: http.MethodGet, path: "/api/info"},
			status: 200,
			want:   map[string]any{"version": "8.8", "success": true, "minimumClientVersions": isObject()},
		},
		{
			name:   "§7 GET /api/info: another version",
			opts:   []rc.Option{rc.WithVersion("7.10.2")},
			req:    req{method: http.MethodGet, path: "/api/info"},
			status: 200,
			want:   map[string]any{"version": "7.10"},
		},
		{
			name:   "§7 §12.10 choice: authenticated as admin, still major.minor",
			req:    req{method: http.MethodGet, path: "/api/info", as: "admin"},
			status: 200,
			want:   map[string]any{"version": "8.8"},
		},
		{
			name:   "§7 /api/v1/info does not exist (§12.7 choice: plain 404)",
			req:    req{method: http.MethodGet, path: "/api/v1/info", as: "admin"},
			status: 404,
			check: func(e *env, r *resp) {
				if strings.Contains(string(r.raw), "version") {
					e.t.Errorf("body %s", r.raw)
				}
			},
		},
	}
}

// ---------------------------------------------------------------------------
// §8 Outgoing events

func spec8() []row {
	var rows []row
	for _, ev := range []struct {
		name                  string
		channel, triggerWords bool
	}{
		{"sendMessage", true, true},
		{"fileUploaded", true, false},
		{"roomArchived", false, false},
		{"roomCreated", false, false},
		{"roomJoined", true, false},
		{"roomLeft", true, false},
		{"userCreated", false, false},
	} {
		want := map[string]any{"integration.event": ev.name, "integration.channel": []string{}, "integration.triggerWords": absent}
		uses := []string{}
		if ev.channel {
			want["integration.channel"] = []string{"#general"}
			uses = append(uses, "channel")
		}
		if ev.triggerWords {
			want["integration.triggerWords"] = []string{"!x"}
			uses = append(uses, "triggerWords")
		}
		rows = append(rows, row{
			name:   "§8 " + ev.name + " uses [" + strings.Join(uses, ", ") + "]",
			req:    create("admin", outgoingBody(map[string]any{"event": ev.name, "triggerWords": []string{"!x"}, "targetRoom": "#general"})),
			status: 200,
			want:   want,
		})
	}
	return rows
}

// ---------------------------------------------------------------------------
// §9 Rocket.Chat's own e2e tests

// e2eSetup mirrors the e2e suites: all four permissions start empty; "the
// user" is a normal user (role e2e) in a channel of its own, #e2e, since
// this server does not put new users into #general.
//
// Since 8.6 an incoming integration's user must hold message-impersonate
// (SPEC.md §L7); like clients' test suites since then, the e2e role holds it.
func e2eSetup(e *env) {
	e.noPerms()
	// Rocket.Chat's e2e user is an ordinary user: the user role lets it see public rooms.
	e.vars["user"] = e.srv.AddUser("e2e.user", "user", "e2e").UserID
	e.srv.SetPermission(rc.PermMessageImpersonate, "bot", "app", "e2e")
	e.srv.AddRoom("e2e", false, "e2e.user", "admin")
}

func e2eIncoming(over map[string]any) map[string]any {
	return incomingBody(merge(map[string]any{
		"name": "Incoming test", "enabled": true, "alias": "test", "username": "rocket.cat", "scriptEnabled": false,
		"overrideDestinationChannelEnabled": true, "channel": "#general",
	}, over))
}

func spec91() []row {
	// adminAndUser: the admin's and the user's incoming integrations, made
	// under the permissions of e2e #6 and #16.
	adminAndUser := func(e *env) {
		e2eSetup(e)
		e.setPerm(rc.PermManageOwnIncoming, "admin")
		e.create("adminIn", "admin", e2eIncoming(map[string]any{"name": "Incoming test 2", "overrideDestinationChannelEnabled": omit}))
		e.setPerm(rc.PermManageIncoming, "e2e")
		e.create("userIn", "e2e.user", e2eIncoming(map[string]any{"name": "user's", "channel": "#e2e"}))
		e.setPerm(rc.PermManageIncoming)
	}
	return []row{
		{
			name:   "§9.1 #1 manage-incoming=[]: create",
			setup:  e2eSetup,
			req:    create("admin", e2eIncoming(nil)),
			status: 400,
			want:   map[string]any{"success": false, "errorType": "not_authorized"},
		},
		{
			name:   "§9.1 #2 manage-own-incoming=[] too: create",
			setup:  e2eSetup,
			req:    create("admin", e2eIncoming(nil)),
			status: 400,
			want:   map[string]any{"errorType": "not_authorized"},
		},
		{
			name:   "§9.1 #3 type webhook-incoming-invalid",
			setup:  func(e *env) { e2eSetup(e); e.setPerm(rc.PermManageIncoming, "admin") },
			req:    create("admin", e2eIncoming(map[string]any{"type": "webhook-incoming-invalid"})),
			status: 400,
			want:   map[string]any{"success": false, "error": "Invalid integration type."},
		},
		{
			name:   "§9.1 #4 own-incoming=[admin]: create, then remove",
			setup:  func(e *env) { e2eSetup(e); e.setPerm(rc.PermManageOwnIncoming, "admin") },
			req:    create("admin", e2eIncoming(nil)),
			status: 200,
			want:   map[string]any{"integration": isObject()},
			check: func(e *env, r *resp) {
				e.vars["in"] = r.body["integration"].(map[string]any)["_id"].(string)
				e.verify(row{status: 200}, e.do(remove("admin", map[string]any{"type": "webhook-incoming", "integrationId": "{{in}}"})))
			},
		},
		{
			name:   "§9.1 #5 create without overrideDestinationChannelEnabled",
			setup:  func(e *env) { e2eSetup(e); e.setPerm(rc.PermManageOwnIncoming, "admin") },
			req:    create("admin", e2eIncoming(map[string]any{"overrideDestinationChannelEnabled": omit})),
			status: 200,
			want:   map[string]any{"integration.overrideDestinationChannelEnabled": false},
		},
		{
			name:   "§9.1 #6 manage-incoming=[], own=[admin]: create",
			setup:  func(e *env) { e2eSetup(e); e.setPerm(rc.PermManageOwnIncoming, "admin") },
			req:    create("admin", e2eIncoming(map[string]any{"name": "Incoming test 2", "overrideDestinationChannelEnabled": omit})),
			status: 200,
		},
		{
			name:   "§9.1 #7 POST /hooks/{_id}/{token} {text}",
			setup:  adminAndUser,
			req:    postHook("adminIn", map[string]any{"text": "Example message"}),
			status: 200,
		},
		{
			name:   "§9.1 #8 hook with channel:[name] while the override is disabled",
			setup:  adminAndUser,
			req:    postHook("adminIn", map[string]any{"text": "x", "channel": []string{"general"}}),
			status: 400,
			want:   map[string]any{"error": "overriding destination channel is disabled for this integration"},
		},
		{
			name:   "§9.1 #9 hook with roomId while the override is disabled",
			setup:  adminAndUser,
			req:    postHook("adminIn", map[string]any{"text": "x", "roomId": rc.GeneralRoomID}),
			status: 400,
			want:   map[string]any{"error": "overriding destination channel is disabled for this integration"},
		},
		{
			name:   "§9.1 #10 hook {text}: the message is in GENERAL",
			setup:  adminAndUser,
			req:    postHook("adminIn", map[string]any{"text": "Message in general"}),
			status: 200,
			check:  messagesIn(rc.GeneralRoomID, "Message in general"),
		},
		{
			name:  "§9.1 #11 update overrideDestinationChannelEnabled:true, then a hook to another channel",
			setup: func(e *env) { adminAndUser(e); e.srv.AddRoom("other", false, "admin") },
			req: update("admin", incomingUpdate("adminIn", map[string]any{
				"overrideDestinationChannelEnabled": true, "username": "rocket.cat", "channel": "#general", "scriptEnabled": true,
				"enabled": true, "name": "Incoming test 2",
			})),
			status: 200,
			want:   map[string]any{"integration.overrideDestinationChannelEnabled": true},
			check: func(e *env, r *resp) {
				e.verify(row{status: 200}, e.hook("adminIn", map[string]any{"text": "elsewhere", "channel": "#other"}))
				messagesIn("#other", "elsewhere")(e, r)
			},
		},
		{
			name:  "§9.1 #12 hook form-urlencoded payload={msg}",
			setup: adminAndUser,
			req: req{method: http.MethodPost, path: hookPath("adminIn"), contentType: "application/x-www-form-urlencoded",
				raw: ptr("payload=" + url.QueryEscape(`{"msg":"Message as x-www-form-urlencoded"}`))},
			status: 200,
			check:  messagesIn("#general", "Message as x-www-form-urlencoded"),
		},
		{
			name:   "§9.1 #15 history with no outgoing permissions",
			setup:  adminAndUser,
			req:    history("admin", "id={{adminIn}}"),
			status: 403,
			want:   map[string]any{"error": forbiddenText},
		},
		{
			name:   "§9.1 #16 list as admin: contains the admin's integration; offset, items, total",
			setup:  func(e *env) { adminAndUser(e); e.setPerm(rc.PermManageIncoming, "admin") },
			req:    list("admin", ""),
			status: 200,
			want:   map[string]any{"offset": 0, "items": 2, "total": 2},
			check:  namesAre("Incoming test 2", "user's"),
		},
		{
			name:   "§9.1 #17 manage-incoming=[], own-incoming=[user]: the user's list lacks the admin's",
			setup:  func(e *env) { adminAndUser(e); e.setPerm(rc.PermManageOwnIncoming, "e2e") },
			req:    list("e2e.user", ""),
			status: 200,
			check:  namesAre("user's"),
		},
		{
			name:   "§9.1 #18 all permissions removed: list",
			setup:  func(e *env) { adminAndUser(e); e.noPerms() },
			req:    list("admin", ""),
			status: 403,
			want:   map[string]any{"error": forbiddenText},
		},
		{
			name:   "§9.1 #19 get without integrationId",
			setup:  adminAndUser,
			req:    get("admin", ""),
			status: 400,
			want:   map[string]any{"error": "must have required property 'integrationId' [invalid-params]"},
		},
		{
			name:   "§9.1 #20 manage-incoming=[]: get the admin's own (admin lacks own-incoming)",
			setup:  func(e *env) { adminAndUser(e); e.setPerm(rc.PermManageOwnIncoming, "e2e") },
			req:    get("admin", "integrationId={{adminIn}}"),
			status: 400,
			want:   map[string]any{"error": "not-authorized"},
		},
		{
			name:   "§9.1 #21 the same for the user's integration",
			setup:  func(e *env) { adminAndUser(e); e.setPerm(rc.PermManageOwnIncoming, "e2e") },
			req:    get("admin", "integrationId={{userIn}}"),
			status: 400,
			want:   map[string]any{"error": "not-authorized"},
		},
		{
			name:   "§9.1 #22 manage-incoming=[admin]: get integrationId=invalid",
			setup:  func(e *env) { adminAndUser(e); e.setPerm(rc.PermManageIncoming, "admin") },
			req:    get("admin", "integrationId=invalid"),
			status: 400,
			want:   map[string]any{"error": "The integration does not exists."},
		},
		{
			name:   "§9.1 #23 own-incoming=[user]: the user gets their own",
			setup:  func(e *env) { adminAndUser(e); e.setPerm(rc.PermManageOwnIncoming, "e2e") },
			req:    get("e2e.user", "integrationId={{userIn}}"),
			status: 200,
			want:   map[string]any{"integration._id": "{{userIn}}"},
		},
		{
			name:   "§9.1 #24 the admin gets it",
			setup:  func(e *env) { adminAndUser(e); e.setPerm(rc.PermManageIncoming, "admin") },
			req:    get("admin", "integrationId={{userIn}}"),
			status: 200,
		},
		{
			name:  "§9.1 #25 update name and alias; a later get shows them",
			setup: func(e *env) { adminAndUser(e); e.setPerm(rc.PermManageIncoming, "admin") },
			req: update("admin", incomingUpdate("adminIn", map[string]any{
				"name": "Incoming test updated", "alias": "test updated", "username": "rocket.cat", "scriptEnabled": true,
			})),
			status: 200,
			want:   map[string]any{"integration.name": "Incoming test updated", "integration.alias": "test updated"},
			check: func(e *env, _ *resp) {
				e.verify(row{status: 200, want: map[string]any{"integration.name": "Incoming test updated", "integration.alias": "test updated"}},
					e.do(get("admin", "integrationId={{adminIn}}")))
			},
		},
		{
			name:   "§9.1 #26 update username: username and userId change; a hook posts as that user",
			setup:  func(e *env) { adminAndUser(e); e.setPerm(rc.PermManageIncoming, "admin") },
			req:    update("admin", incomingUpdate("adminIn", map[string]any{"username": "e2e.user"})),
			status: 200,
			want:   map[string]any{"integration.username": "e2e.user", "integration.userId": "{{user}}"},
			check: func(e *env, _ *resp) {
				e.verify(row{status: 200}, e.hook("adminIn", map[string]any{"text": "as the user"}))
				ms := e.srv.Messages("#general")
				if len(ms) != 1 || ms[0].User["username"] != "e2e.user" {
					e.t.Errorf("messages %+v", ms)
				}
			},
		},
		{
			name:   "§9.1 #27 manage-incoming=[] (own-incoming=[user] since #23): remove",
			setup:  func(e *env) { adminAndUser(e); e.setPerm(rc.PermManageOwnIncoming, "e2e") },
			req:    remove("admin", map[string]any{"type": "webhook-incoming", "integrationId": "{{adminIn}}"}),
			status: 403,
			want:   map[string]any{"error": forbiddenText},
		},
		{
			name:   "§9.1 #28 own-incoming=[] too: remove",
			setup:  func(e *env) { adminAndUser(e); e.setPerm(rc.PermManageOwnIncoming) },
			req:    remove("admin", map[string]any{"type": "webhook-incoming", "integrationId": "{{adminIn}}"}),
			status: 403,
			want:   map[string]any{"error": forbiddenText},
		},
		{
			name:   "§9.1 #29 remove with type invalid-type",
			setup:  func(e *env) { adminAndUser(e); e.setPerm(rc.PermManageIncoming, "admin") },
			req:    remove("admin", map[string]any{"type": "invalid-type", "integrationId": "{{adminIn}}"}),
			status: 400,
			want:   map[string]any{"success": false, "error": contains("must match exactly one schema in oneOf")},
		},
		{
			name:   "§9.1 #30 remove as admin",
			setup:  func(e *env) { adminAndUser(e); e.setPerm(rc.PermManageIncoming, "admin") },
			req:    remove("admin", map[string]any{"type": "webhook-incoming", "integrationId": "{{adminIn}}"}),
			status: 200,
		},
		{
			name:   "§9.1 #31 the user removes their own with own-incoming=[user]",
			setup:  func(e *env) { adminAndUser(e); e.setPerm(rc.PermManageOwnIncoming, "e2e") },
			req:    remove("e2e.user", map[string]any{"type": "webhook-incoming", "integrationId": "{{userIn}}"}),
			status: 200,
		},
		{
			name: "§9.1 #32–36 post-as user not in a private group: error-not-allowed, no message",
			setup: func(e *env) {
				e2eSetup(e)
				e.setPerm(rc.PermManageIncoming, "admin")
				e.setPerm(rc.PermManageOwnIncoming, "admin")
				e.srv.AddRoom("private-group", true, "admin")
				e.create("in", "admin", e2eIncoming(map[string]any{"username": "e2e.user", "channel": "#private-group"}))
			},
			req:    postHook("in", map[string]any{"text": "x"}),
			status: 400,
			want:   map[string]any{"success": false, "error": "error-not-allowed"},
			check:  messagesIn("#private-group"),
		},
		{
			name: "§9.1 #32–36 post-as user not in a public room: 200",
			setup: func(e *env) {
				e2eSetup(e)
				e.setPerm(rc.PermManageIncoming, "admin")
				e.setPerm(rc.PermManageOwnIncoming, "admin")
				e.srv.AddRoom("public-room", false, "admin")
				e.create("in", "admin", e2eIncoming(map[string]any{"username": "e2e.user", "channel": "#public-room"}))
			},
			req:    postHook("in", map[string]any{"text": "x"}),
			status: 200,
			check:  messagesIn("#public-room", "x"),
		},
	}
}

func spec92() []row {
	// guggy: the user's outgoing integration and the admin's, made under the
	// permissions of e2e setup and #5.
	guggy := func(e *env) {
		e2eSetup(e)
		e.setPerm(rc.PermManageOutgoing, "e2e")
		e.create("userOut", "e2e.user", outgoingBody(map[string]any{
			"alias": "guggy", "avatar": "http://res.guggy.com/logo_128.png", "emoji": ":ghost:", "channel": "#e2e",
		}))
		e.setPerm(rc.PermManageOutgoing)
		e.setPerm(rc.PermManageOwnOutgoing, "admin")
		e.create("adminOut", "admin", outgoingBody(map[string]any{"name": "Guggy admin", "urls": []string{"http://admin.example/"}}))
		e.setPerm(rc.PermManageOwnOutgoing)
	}
	return []row{
		{
			name:   "§9.2 #1 manage-outgoing=[]: create",
			setup:  e2eSetup,
			req:    create("admin", outgoingBody(nil)),
			status: 400,
			want:   map[string]any{"success": false, "errorType": "not_authorized"},
		},
		{
			name:   "§9.2 #2 own-outgoing=[] too: create",
			setup:  e2eSetup,
			req:    create("admin", outgoingBody(nil)),
			status: 400,
			want:   map[string]any{"errorType": "not_authorized"},
		},
		{
			name:   "§9.2 #3 type webhook-outgoing-invalid",
			setup:  func(e *env) { e2eSetup(e); e.setPerm(rc.PermManageOutgoing, "admin") },
			req:    create("admin", outgoingBody(map[string]any{"type": "webhook-outgoing-invalid"})),
			status: 400,
			want:   map[string]any{"success": false, "error": "Invalid integration type."},
		},
		{
			name:   "§9.2 #4 manage-outgoing=[admin]: create",
			setup:  func(e *env) { e2eSetup(e); e.setPerm(rc.PermManageOutgoing, "admin") },
			req:    create("admin", outgoingBody(nil)),
			status: 200,
		},
		{
			name:   "§9.2 #5 manage-outgoing=[], own=[admin]: create",
			setup:  func(e *env) { e2eSetup(e); e.setPerm(rc.PermManageOwnOutgoing, "admin") },
			req:    create("admin", outgoingBody(nil)),
			status: 200,
		},
		{
			name:  "§9.2 #6 create: name, type, enabled, username, event",
			setup: func(e *env) { e2eSetup(e); e.setPerm(rc.PermManageOutgoing, "admin") },
			req: create("admin", outgoingBody(map[string]any{
				"alias": "guggy", "avatar": "http://res.guggy.com/logo_128.png", "emoji": ":ghost:",
			})),
			status: 200,
			want: map[string]any{
				"integration.name": "Guggy", "integration.type": "webhook-outgoing", "integration.enabled": true,
				"integration.username": "rocket.cat", "integration.event": "sendMessage",
			},
		},
		{
			name: "§9.2 #7 list as admin: contains the saved one; offset, items, total",
			setup: func(e *env) {
				guggy(e)
				e.setPerm(rc.PermManageOutgoing, "admin")
				e.setPerm(rc.PermManageIncoming, "admin")
			},
			req:    list("admin", ""),
			status: 200,
			want:   map[string]any{"offset": 0, "items": 2, "total": 2},
			check:  namesAre("Guggy", "Guggy admin"),
		},
		{
			name:   "§9.2 #8 own-outgoing=[user]: the user's list lacks the admin's",
			setup:  func(e *env) { guggy(e); e.setPerm(rc.PermManageOwnOutgoing, "e2e") },
			req:    list("e2e.user", ""),
			status: 200,
			check:  namesAre("Guggy"),
		},
		{
			name:   "§9.2 #9 no permissions: list",
			setup:  guggy,
			req:    list("admin", ""),
			status: 403,
			want:   map[string]any{"error": forbiddenText},
		},
		{
			name:   "§9.2 #10 no outgoing permissions: history",
			setup:  func(e *env) { guggy(e); e.setPerm(rc.PermManageIncoming, "admin") },
			req:    history("admin", "id={{adminOut}}"),
			status: 403,
			want:   map[string]any{"error": forbiddenText},
		},
		{
			name:   "§9.2 #11 manage-outgoing=[admin]: history",
			setup:  func(e *env) { guggy(e); e.setPerm(rc.PermManageOutgoing, "admin") },
			req:    history("admin", "id={{adminOut}}"),
			status: 200,
			want:   map[string]any{"history": lenIs(0), "offset": 0, "items": 0, "total": 0},
		},
		{
			name:   "§9.2 #12 get without integrationId",
			setup:  guggy,
			req:    get("admin", ""),
			status: 400,
			want:   map[string]any{"error": "must have required property 'integrationId' [invalid-params]"},
		},
		{
			name:   "§9.2 #13 no permission: get the admin's",
			setup:  guggy,
			req:    get("admin", "integrationId={{adminOut}}"),
			status: 400,
			want:   map[string]any{"error": "not-authorized"},
		},
		{
			name:   "§9.2 #14 no permission: get the user's",
			setup:  guggy,
			req:    get("admin", "integrationId={{userOut}}"),
			status: 400,
			want:   map[string]any{"error": "not-authorized"},
		},
		{
			name:   "§9.2 #15 get integrationId=invalid",
			setup:  func(e *env) { guggy(e); e.setPerm(rc.PermManageOutgoing, "admin") },
			req:    get("admin", "integrationId=invalid"),
			status: 400,
			want:   map[string]any{"error": "The integration does not exists."},
		},
		{
			name:   "§9.2 #16 the user gets their own",
			setup:  func(e *env) { guggy(e); e.setPerm(rc.PermManageOwnOutgoing, "e2e") },
			req:    get("e2e.user", "integrationId={{userOut}}"),
			status: 200,
		},
		{
			name:   "§9.2 #17 the admin gets it",
			setup:  func(e *env) { guggy(e); e.setPerm(rc.PermManageOutgoing, "admin") },
			req:    get("admin", "integrationId={{userOut}}"),
			status: 200,
		},
		{
			name:   "§9.2 #18 manage-outgoing=[]: remove",
			setup:  guggy,
			req:    remove("admin", map[string]any{"type": "webhook-outgoing", "integrationId": "{{adminOut}}"}),
			status: 403,
			want:   map[string]any{"error": forbiddenText},
		},
		{
			name:   "§9.2 #19 own-incoming=[] (sic): remove",
			setup:  func(e *env) { guggy(e); e.setPerm(rc.PermManageOwnIncoming) },
			req:    remove("admin", map[string]any{"type": "webhook-outgoing", "integrationId": "{{adminOut}}"}),
			status: 403,
		},
		{
			name:   "§9.2 #20 remove with type invalid-type",
			setup:  func(e *env) { guggy(e); e.setPerm(rc.PermManageOutgoing, "admin") },
			req:    remove("admin", map[string]any{"type": "invalid-type", "integrationId": "{{adminOut}}"}),
			status: 400,
			want:   map[string]any{"error": contains("must match exactly one schema in oneOf")},
		},
		{
			name:   "§9.2 #21 remove as admin",
			setup:  func(e *env) { guggy(e); e.setPerm(rc.PermManageOutgoing, "admin") },
			req:    remove("admin", map[string]any{"type": "webhook-outgoing", "integrationId": "{{adminOut}}"}),
			status: 200,
		},
		{
			name:   "§9.2 #22 the user removes their own",
			setup:  func(e *env) { guggy(e); e.setPerm(rc.PermManageOwnOutgoing, "e2e") },
			req:    remove("e2e.user", map[string]any{"type": "webhook-outgoing", "integrationId": "{{userOut}}"}),
			status: 200,
		},
	}
}

// ---------------------------------------------------------------------------
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
