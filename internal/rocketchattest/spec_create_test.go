package rocketchattest_test

import (
	"slices"

	rc "github.com/terraform-rocketchat/terraform-provider-rocketchat/internal/rocketchattest"
)

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
			name:   "§3.1.2 #11 without both permissions: a @user target is no subscribed room",
			setup:  func(e *env) { e.userWith("ann") },
			req:    create("owner", incomingBody(map[string]any{"channel": "@ann"})),
			status: 400,
			want:   failureWant("Invalid Channel [error-invalid-channel]", "error-invalid-channel"),
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

// §3.1.2 #11 and §3.1.3 #16: the rooms a caller may target

// spec31Rooms holds the room checks that incoming and outgoing creates share:
// without both manage-<type> permissions, only the rooms one is subscribed to.
func spec31Rooms() []row {
	return forEachKind(
		func(k integrationKind) row {
			return row{
				name:   k.roomCheck + " without both permissions: a room the caller is not subscribed to",
				setup:  func(e *env) { e.srv.AddRoom("lounge", false, "admin") },
				req:    create("owner", k.body(map[string]any{"channel": "#lounge"})),
				status: 400,
				want:   failureWant("Invalid Channel [error-invalid-channel]", "error-invalid-channel"),
			}
		},
		func(k integrationKind) row {
			return row{
				name:   k.roomCheck + " without both permissions: a subscribed room",
				req:    create("owner", k.body(map[string]any{"channel": "#general"})),
				status: 200,
				want:   map[string]any{"integration._createdBy": map[string]any{"_id": "{{owner}}", "username": rc.OwnerUsername}},
			}
		},
		func(k integrationKind) row {
			return row{
				name: k.roomCheck + " manage-<type> alone is not both permissions",
				setup: func(e *env) {
					e.userWith("carol", k.manage)
					e.srv.AddRoom("lounge", false, "admin")
				},
				req:    create("carol", k.body(map[string]any{"channel": "#lounge"})),
				status: 400,
				want:   failureWant("Invalid Channel [error-invalid-channel]", "error-invalid-channel"),
			}
		},
		func(k integrationKind) row {
			return row{
				name:   k.roomCheck + " with both permissions no subscription is needed",
				setup:  func(e *env) { e.srv.AddRoom("vault", true, "owner") },
				req:    create("admin", k.body(map[string]any{"channel": "#vault,@rocket.cat"})),
				status: 200,
				want:   map[string]any{"integration.channel": []string{"#vault", "@rocket.cat"}},
			}
		},
	)
}

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
