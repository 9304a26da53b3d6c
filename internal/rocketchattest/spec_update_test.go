package rocketchattest_test

import (
	"net/http"
	"slices"
	"time"

	rc "github.com/terraform-rocketchat/terraform-provider-rocketchat/internal/rocketchattest"
)

// §3.4 integrations.update

func spec34() []row {
	withIn := func(e *env) { e.create("in", "admin", incomingBody(nil)) }
	withOut := func(e *env) { e.create("out", "admin", outgoingBody(map[string]any{"token": "outgoing-token"})) }
	return slices.Concat([]row{
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
	}, forEachKind(
		func(k integrationKind) row {
			return row{
				name:   "§3.4.1 unknown integrationId",
				setup:  func(e *env) { e.vars["x"] = "659ea5b72dd9f928ada3e43e" },
				req:    update("admin", k.updateBody("x", nil)),
				status: 400,
				body:   plainFailure("No integration found."),
			}
		},
		func(k integrationKind) row {
			return row{
				name:   "§3.4.1 unknown integrationId: the lookup comes before the method's checks",
				setup:  func(e *env) { e.vars["x"] = "unknown" },
				req:    update("regular", k.updateBody("x", k.invalid)),
				status: 400,
				body:   plainFailure("No integration found."),
			}
		},
		func(k integrationKind) row {
			return row{
				name:   "§3.4.1 answer: the document re-read after the update",
				setup:  func(e *env) { k.create(e, "admin") },
				req:    update("admin", k.updateBody(k.v, map[string]any{"name": "renamed"})),
				status: 200,
				want:   map[string]any{"success": true, "integration.name": "renamed"},
				check: func(e *env, r *resp) {
					e.compare("integration", r.body["integration"], true, e.stored(k.v))
				},
			}
		},
	), []row{
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
			name:   "§3.4.1 the stored type is not checked: an incoming update runs on an outgoing id",
			setup:  withOut,
			req:    update("admin", incomingUpdate("out", map[string]any{"name": "renamed"})),
			status: 200,
			want:   map[string]any{"integration.type": "webhook-outgoing", "integration.name": "renamed"},
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
	}, forEachKind(
		func(k integrationKind) row {
			return row{
				name:   k.updateSection + " #3 neither permission",
				setup:  func(e *env) { k.create(e, "admin") },
				req:    update("regular", k.updateBody(k.v, nil)),
				status: 400,
				body:   meteorFailure("Unauthorized [not_authorized]", "not_authorized", method(k.updateMethod)),
			}
		},
		func(k integrationKind) row {
			return row{
				name:   k.updateSection + " #4 own-only caller, the creator",
				setup:  func(e *env) { k.create(e, "owner") },
				req:    update("owner", k.updateBody(k.v, map[string]any{"name": "mine"})),
				status: 200,
				want:   map[string]any{"integration.name": "mine"},
			}
		},
	), []row{
		{
			name:   "§3.4.2 #4 own-only caller, not the creator",
			setup:  withIn,
			req:    update("owner", incomingUpdate("in", nil)),
			status: 400,
			want:   failureWant("Invalid integration [error-invalid-integration]", "error-invalid-integration"),
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
			name:   "§3.4.3 #4 own-only caller on another's integration",
			setup:  withOut,
			req:    update("owner", outgoingUpdate("out", nil)),
			status: 400,
			body: meteorFailure("[methods] updateOutgoingIntegration -> integration not found [invalid_integration]",
				"invalid_integration", nil),
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
	})
}
