package rocketchattest_test

import (
	"net/http"
	"net/url"

	rc "github.com/terraform-rocketchat/terraform-provider-rocketchat/internal/rocketchattest"
)

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
