package rocketchattest_test

import (
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	rc "github.com/terraform-rocketchat/terraform-provider-rocketchat/internal/rocketchattest"
)

// The rows of SPEC.md: the look-up endpoints and the rules of the
// integration methods that the provider's plan-time checks reproduce.

func getPath(as, path string) req { return req{method: http.MethodGet, path: path, as: as} }

func roomsInfo(as, query string) req { return getPath(as, "/api/v1/rooms.info?"+query) }
func usersInfo(as, query string) req { return getPath(as, "/api/v1/users.info?"+query) }
func subscriptions(as, query string) req {
	return getPath(as, "/api/v1/subscriptions.get?"+query)
}
func permissionsList(as, query string) req {
	return getPath(as, "/api/v1/permissions.listAll?"+query)
}
func settingsPublic(as, query string) req {
	return getPath(as, "/api/v1/settings.public?"+query)
}

// typedInvalid is a typed route's answer to a query that fails its schema.
func typedInvalid(msgs ...string) map[string]any {
	return map[string]any{"success": false, "errorType": "error-invalid-params", "error": strings.Join(msgs, "\n ")}
}

var (
	notAllowedBody   = map[string]any{"success": false, "error": "not-allowed", "errorType": "Not Allowed"}
	roomNotFoundBody = meteorFailure(`The required "roomId" or "roomName" param provided does not match any channel [error-room-not-found]`, "error-room-not-found", nil)
	usersInfoNoKey   = []string{
		"must have required property 'userId'", "must have required property 'username'", "must have required property 'importId'",
		"must have required property 'email'", "must have required property 'freeSwitchExtension'", "must match a schema in anyOf",
	}
)

// roomIDVar records a room's _id as the variable {{room_<name>}}.
func roomIDVar(name string) func(e *env) {
	return func(e *env) { e.vars["room_"+name] = e.srv.RoomID(name) }
}

func specLookups() []row {
	impersonation := "User selected for the incoming integration lacks the 'message-impersonate' permission. [error-user-lacks-message-impersonate-permission]"
	return []row{
		// §L1 typed routes
		{name: "§L1 #1 no credentials: 401", req: usersInfo("", "username=rocket.cat"), status: 401, body: notLoggedInBody, headers: noCacheJSON},
		{
			name: "§L1 #3 schema failure: error-invalid-params without a suffix, whatever WithTypedRouteErrors says",
			req:  usersInfo("admin", ""), status: 400, body: typedInvalid(usersInfoNoKey...), headers: noCacheJSON,
		},
		{
			name: "§L1 #3 before #4: a refused query is not counted by the rate limiter",
			opts: []rc.Option{rc.WithRateLimit(1, time.Minute)}, clock: true,
			setup: func(e *env) {
				e.verify(row{status: 400}, e.do(usersInfo("owner", "")))
				e.verify(row{status: 400}, e.do(usersInfo("owner", "nickname=x")))
			},
			req: usersInfo("owner", "username=rocket.cat"), status: 200,
			headers: map[string]any{"X-RateLimit-Limit": "1", "X-RateLimit-Remaining": "0"},
		},
		{
			name: "§L1 #4 rate limited after the schema: 429",
			opts: []rc.Option{rc.WithRateLimit(1, time.Minute)}, clock: true,
			setup: func(e *env) { e.ok(subscriptions("owner", "")) },
			req:   subscriptions("owner", ""), status: 429,
			want: map[string]any{"error": contains("[error-too-many-requests]"), "errorType": absent},
		},

		// §L2 rooms.info
		{
			name: "§L2 #1 neither roomId nor roomName",
			req:  roomsInfo("admin", ""), status: 400, headers: noCacheJSON,
			body: meteorFailure(`The parameter "roomId" or "roomName" is required [error-roomid-param-not-provided]`, "error-roomid-param-not-provided", nil),
		},
		{
			name: "§L1 no schema on rooms.info: both keys empty is the missing-parameter error",
			req:  roomsInfo("admin", "roomId=&roomName="), status: 400,
			want: map[string]any{"errorType": "error-roomid-param-not-provided"},
		},
		{name: "§L2 #2 by name", req: roomsInfo("regular", "roomName=general"), status: 200, want: map[string]any{
			"room._id": "GENERAL", "room.t": "c", "room.name": "general", "room.fname": "general", "room.default": true,
			"room.usersCount": float64(6), "room.members": absent, "success": true,
		}},
		{name: "§L2 #2 by _id", req: roomsInfo("regular", "roomId=GENERAL"), status: 200, want: map[string]any{"room.name": "general"}},
		{name: "§L2 #2 a present roomId wins, even empty", req: roomsInfo("regular", "roomId=&roomName=general"), status: 400, body: roomNotFoundBody},
		{name: "§L2 #2 names are case-sensitive", req: roomsInfo("admin", "roomName=General"), status: 400, body: roomNotFoundBody},
		{name: "§L2 #2 roomName does not match an _id", req: roomsInfo("admin", "roomName=GENERAL"), status: 400, body: roomNotFoundBody},
		{name: "§L2 #3 no such room", req: roomsInfo("admin", "roomName=nowhere"), status: 400, body: roomNotFoundBody},
		{name: "§L2 #3 before #5: no such room even for a user who could see none", req: roomsInfo("regular", "roomId=nowhere"), status: 400, body: roomNotFoundBody},
		{name: "§L2 unknown parameters are ignored", req: roomsInfo("admin", "roomName=general&fields=%7B%22name%22%3A1%7D&x=1"), status: 200, want: map[string]any{"room.t": "c"}},
		{name: "§L2 #4 invalid sort", req: roomsInfo("admin", "roomName=general&sort=nope"), status: 400, want: map[string]any{"errorType": "error-invalid-sort"}},
		{name: "§L2 #5 a private group of others: not-allowed", req: roomsInfo("owner", "roomName=secret"), status: 400, body: notAllowedBody},
		{
			name:  "§L2.1 an administrator outside a private group: not-allowed",
			setup: func(e *env) { e.srv.LeaveRoom("ops-private", "admin") },
			req:   roomsInfo("admin", "roomName=ops-private"), status: 400, body: notAllowedBody,
		},
		{name: "§L2.1 a member of a private group holding view-p-room", req: roomsInfo("owner", "roomName=ops-private"), status: 200, want: map[string]any{"room.t": "p"}},
		{name: "§L2.1 a public channel without being a member (view-c-room)", req: roomsInfo("regular", "roomName=dev"), status: 200, want: map[string]any{"room.t": "c"}},
		{
			name:  "§L2.1 without view-c-room a public channel needs a membership",
			setup: func(e *env) { e.srv.SetPermission(rc.PermViewPublicRoom, "admin") },
			req:   roomsInfo("regular", "roomName=dev"), status: 400, body: notAllowedBody,
		},
		{
			name:  "§L2 #6 archived rooms are answered",
			setup: func(e *env) { e.srv.ArchiveRoom("dev") },
			req:   roomsInfo("owner", "roomName=dev"), status: 200, want: map[string]any{"room.archived": true},
		},

		// §L3 users.info
		{name: "§L3 #1 no key", req: usersInfo("admin", "includeUserRooms=true"), status: 400, body: typedInvalid(usersInfoNoKey...)},
		{name: "§L3 #1 two keys", req: usersInfo("admin", "userId=&username="), status: 400, body: typedInvalid(
			"must NOT have additional properties", "must NOT have additional properties", "must have required property 'importId'",
			"must have required property 'email'", "must have required property 'freeSwitchExtension'", "must match a schema in anyOf")},
		{name: "§L3 #2 an empty term", req: usersInfo("admin", "username="), status: 400, body: plainFailure("Invalid search query.")},
		{name: "§L3 #3 by username", req: usersInfo("admin", "username=rocket.cat"), status: 200, want: map[string]any{
			"user._id": "{{bot}}", "user.username": "rocket.cat", "user.type": "bot", "user.active": true,
			"user.canViewAllInfo": true, "user.roles": []string{"bot"},
		}},
		{name: "§L3 #3 username also matches an _id", req: usersInfo("admin", "username={{owner}}"), status: 200, want: map[string]any{"user.username": rc.OwnerUsername}},
		{name: "§L3 #3 userId also matches a username", req: usersInfo("admin", "userId=rocket.cat"), status: 200, want: map[string]any{"user._id": "{{bot}}"}},
		{name: "§L3 #3 usernames are case-sensitive", req: usersInfo("admin", "username=Rocket.Cat"), status: 400, body: plainFailure("User not found.")},
		{name: "§L3 #3 no such user", req: usersInfo("owner", "userId=nobody"), status: 400, body: plainFailure("User not found.")},
		{name: "§L3 #3 e-mail look-ups find nobody here", req: usersInfo("admin", "email=admin@example.com"), status: 400, body: plainFailure("User not found.")},
		{name: "§L3 #4 without view-full-other-user-info: no roles", req: usersInfo("owner", "username=rocket.cat"), status: 200, want: map[string]any{
			"user.username": "rocket.cat", "user.canViewAllInfo": false, "user.roles": absent, "user.emails": absent, "user.services": absent,
		}},
		{name: "§L3 #4 oneself: roles and services", req: usersInfo("owner", "username="+rc.OwnerUsername), status: 200, want: map[string]any{
			"user.canViewAllInfo": true, "user.roles": present, "user.services.password": true,
		}},
		{name: "§L3 #4 includeUserRooms for oneself", req: usersInfo("owner", "username="+rc.OwnerUsername+"&includeUserRooms=true"), status: 200, want: map[string]any{
			"user.rooms": lenIs(3), "user.rooms.0.name": "dev", "user.rooms.1.rid": "GENERAL", "user.rooms.2.t": "p",
		}},
		{name: "§L3 #4 oneself by the wrong key is someone else: no services, no full fields", req: usersInfo("owner", "userId="+rc.OwnerUsername), status: 200,
			want: map[string]any{"user.username": rc.OwnerUsername, "user.canViewAllInfo": false, "user.services": absent, "user.emails": absent}},
		{name: "§L3 #4 includeUserRooms of others needs view-other-user-channels", req: usersInfo("owner", "username=admin&includeUserRooms=true"), status: 200, want: map[string]any{
			"user.rooms": absent,
		}},

		// §L4 subscriptions.get
		{name: "§L4 #2 every membership, not paged", req: subscriptions("owner", ""), status: 200, check: func(e *env, r *resp) {
			byName := map[string]map[string]any{}
			for _, s := range r.body["update"].([]any) {
				byName[s.(map[string]any)["name"].(string)] = s.(map[string]any)
			}
			if names := slices.Sorted(maps.Keys(byName)); !slices.Equal(names, []string{"dev", "general", "ops-private"}) {
				e.t.Errorf("memberships %v", names)
			}
			e.verify(row{want: map[string]any{"remove": lenIs(0)}}, r)
			general, dev, ops := byName["general"], byName["dev"], byName["ops-private"]
			if general["rid"] != "GENERAL" || general["t"] != "c" || general["open"] != true {
				e.t.Errorf("#general: %v", general)
			}
			if u, _ := general["u"].(map[string]any); u["_id"] != e.vars["owner"] || u["username"] != rc.OwnerUsername {
				e.t.Errorf("#general's u: %v", general["u"])
			}
			if _, has := dev["roles"]; has || ops["t"] != "p" {
				e.t.Errorf("#dev: %v; #ops-private: %v", dev, ops)
			}
		}},
		{name: "§L4 #2 no order is promised: a new one on every request", req: subscriptions("admin", ""), status: 200, check: func(e *env, first *resp) {
			order := func(r *resp) string {
				var names []string
				for _, s := range r.body["update"].([]any) {
					names = append(names, s.(map[string]any)["name"].(string))
				}
				return strings.Join(names, ",")
			}
			for range 20 {
				if order(e.do(subscriptions("admin", ""))) != order(first) {
					return
				}
			}
			e.t.Errorf("21 lists of memberships in one order: %s", order(first))
		}},
		{name: "§L4 #3 the room's creator holds the owner role", req: subscriptions("admin", ""), status: 200, want: map[string]any{"update.0.roles": []string{"owner"}}},
		{
			name: "§L4 #3 a direct-message subscription is named after the other user",
			setup: func(e *env) {
				e.create("in", "admin", incomingBody(map[string]any{"channel": "@" + rc.OwnerUsername}))
				e.ok(postHook("in", map[string]any{"text": "hi"}))
			},
			req: subscriptions("owner", ""), status: 200, check: func(e *env, r *resp) {
				for _, s := range r.body["update"].([]any) {
					if sub := s.(map[string]any); sub["t"] == "d" {
						if sub["name"] != rc.BotUsername {
							e.t.Errorf("direct subscription named %v", sub["name"])
						}
						return
					}
				}
				e.t.Error("no direct-message subscription")
			},
		},
		{name: "§L4 #1 updatedSince that is no date", req: subscriptions("owner", "updatedSince=soon"), status: 400,
			body: meteorFailure(`The "lastUpdate" query parameter must be a valid date. [error-roomId-param-invalid]`, "error-roomId-param-invalid", nil)},
		{name: "§L4 #2 updatedSince after every change", req: subscriptions("owner", "updatedSince=2999-01-01T00:00:00.000Z"), status: 200, want: map[string]any{"update": lenIs(0)}},
		{name: "§L4 an unknown parameter", req: subscriptions("owner", "count=5"), status: 400, body: typedInvalid("must NOT have additional properties")},

		// §L5 permissions.listAll
		{name: "§L5 #2 any logged-in user; every permission with its roles", req: permissionsList("regular", ""), status: 200, check: func(e *env, r *resp) {
			roles := map[string][]string{}
			for _, p := range r.body["update"].([]any) {
				doc := p.(map[string]any)
				for _, role := range doc["roles"].([]any) {
					roles[doc["_id"].(string)] = append(roles[doc["_id"].(string)], role.(string))
				}
			}
			for perm, want := range map[string][]string{
				rc.PermManageIncoming: {"admin"}, rc.PermMessageImpersonate: {"bot", "app"},
				rc.PermViewPublicRoom: {"admin", "user", "bot", "app", "anonymous"}, rc.PermViewFullUserInfo: {"admin"},
			} {
				if !slices.Equal(roles[perm], want) {
					e.t.Errorf("%s: roles %v, want %v", perm, roles[perm], want)
				}
			}
			e.verify(row{want: map[string]any{"remove": lenIs(0), "update.0._updatedAt": matches(`^\d{4}-\d\d-\d\dT`)}}, r)
		}},
		{
			name: "§L5 #2 updatedSince: only what changed after it", clock: true,
			setup: func(e *env) {
				e.clock.Advance(time.Hour)
				e.srv.SetPermission(rc.PermManageIncoming, "admin", "user")
			},
			req: permissionsList("regular", "updatedSince=2024-01-10T14:30:00.000Z"), status: 200,
			want: map[string]any{"update": lenIs(1), "update.0._id": rc.PermManageIncoming, "update.0.roles": []string{"admin", "user"}},
		},
		{name: "§L5 #2 no order is promised: a new one on every request", req: permissionsList("admin", ""), status: 200, check: func(e *env, first *resp) {
			order := func(r *resp) string {
				var ids []string
				for _, p := range r.body["update"].([]any) {
					ids = append(ids, p.(map[string]any)["_id"].(string))
				}
				return strings.Join(ids, ",")
			}
			if order(e.do(permissionsList("admin", ""))) == order(first) {
				e.t.Errorf("two lists of permissions in one order: %s", order(first))
			}
		}},
		{name: "§L5 #2 WithStableTies: in the order of _id", opts: []rc.Option{rc.WithStableTies()}, req: permissionsList("admin", ""), status: 200,
			check: func(e *env, r *resp) {
				var ids []string
				for _, p := range r.body["update"].([]any) {
					ids = append(ids, p.(map[string]any)["_id"].(string))
				}
				if len(ids) < 5 || !slices.IsSorted(ids) {
					e.t.Errorf("permissions %v", ids)
				}
			}},
		{name: "§L5 #1 updatedSince that is no date", req: permissionsList("regular", "updatedSince=yesterday"), status: 400,
			body: meteorFailure(`The "updatedSince" query parameter must be a valid date. [error-roomId-param-invalid]`, "error-roomId-param-invalid", nil)},
		{name: "§L5 no credentials", req: permissionsList("", ""), status: 401, body: notLoggedInBody},

		// §L6 settings.public
		{name: "§L6 #1 Site_Url without credentials: the server's own URL", req: settingsPublic("", "_id=Site_Url"), status: 200, check: func(e *env, r *resp) {
			e.verify(row{body: map[string]any{
				"success": true, "count": float64(1), "offset": float64(0), "total": float64(1),
				"settings": []any{map[string]any{"_id": "Site_Url", "value": e.srv.URL()}},
			}}, r)
		}},
		{
			name: "§L6 WithSiteURL", opts: []rc.Option{rc.WithSiteURL("https://chat.example.com/rc/")},
			req: settingsPublic("", "_id=Site_Url"), status: 200, want: map[string]any{"settings.0.value": "https://chat.example.com/rc/"},
		},
		{
			name:  "§L6 SetSiteURL changes it as an administrator would",
			setup: func(e *env) { e.srv.SetSiteURL("https://chat.example.org") },
			req:   settingsPublic("admin", "_id=Site_Url"), status: 200, want: map[string]any{"settings.0.value": "https://chat.example.org"},
		},
		{name: "§L6 #1 a comma-separated list, trimmed", req: settingsPublic("", "_id=Site_Name,%20Site_Url"), status: 200, want: map[string]any{
			"settings": lenIs(2), "settings.0._id": "Site_Name", "settings.1._id": "Site_Url",
		}},
		{name: "§L6 #1 private settings are not listed", req: settingsPublic("", "_id=API_Enable_Rate_Limiter"), status: 200, want: map[string]any{
			"settings": lenIs(0), "total": float64(0), "count": float64(0),
		}},
		{name: "§L6 #2 sorted by _id and paged", req: settingsPublic("", "count=1&offset=1"), status: 200, want: map[string]any{
			"settings": lenIs(1), "settings.0._id": "Site_Url", "total": float64(2), "offset": float64(1),
		}},
		{name: "§L6 fields is refused", req: settingsPublic("", "fields=x"), status: 400, body: typedInvalid("must NOT have additional properties")},

		// §L7 the post-as user of incoming integrations
		{
			name:  "§L7 #1 create: a post-as user without message-impersonate",
			setup: func(e *env) { e.userWith("ann") },
			req:   create("admin", incomingBody(map[string]any{"username": "ann"})), status: 400,
			body: meteorFailure(impersonation, "error-user-lacks-message-impersonate-permission", method("addIncomingIntegration")),
		},
		{
			name: "§L7 #1 after §3.1.2 #7 and before #10: a missing user, then impersonation, then rooms",
			setup: func(e *env) {
				e.userWith("ann")
				e.verify(row{status: 400, want: map[string]any{"errorType": "error-invalid-user"}},
					e.do(create("admin", incomingBody(map[string]any{"username": "nobody", "channel": "#nowhere"}))))
			},
			req: create("admin", incomingBody(map[string]any{"username": "ann", "channel": "#nowhere"})), status: 400,
			want: map[string]any{"errorType": "error-user-lacks-message-impersonate-permission"},
		},
		{
			name: "§L7 #2 update: checked even when the user is not sent",
			setup: func(e *env) {
				e.userWith("ann", rc.PermMessageImpersonate)
				e.create("in", "admin", incomingBody(map[string]any{"username": "ann"}))
				e.srv.SetPermission(rc.PermMessageImpersonate, "bot", "app")
			},
			req: update("admin", incomingUpdate("in", nil)), status: 400,
			body: meteorFailure(impersonation, "error-user-lacks-message-impersonate-permission", method("updateIncomingIntegration")),
		},
		{
			name:  "§L7 #3 no bot role any more",
			setup: func(e *env) { e.userWith("ann", rc.PermMessageImpersonate) },
			req:   create("admin", incomingBody(map[string]any{"username": "ann"})), status: 200,
			check: func(e *env, _ *resp) {
				if roles := e.srv.Roles("ann"); slices.Contains(roles, "bot") {
					e.t.Errorf("roles %v", roles)
				}
			},
		},
		{
			name: "§L7 #4 /hooks: after 503, a post-as user that lost the permission",
			setup: func(e *env) {
				e.userWith("ann", rc.PermMessageImpersonate)
				e.create("in", "admin", incomingBody(map[string]any{"username": "ann"}))
				e.create("off", "admin", incomingBody(map[string]any{"username": "ann", "enabled": false}))
				e.srv.SetPermission(rc.PermMessageImpersonate, "bot", "app")
				e.verify(row{status: 503}, e.do(postHook("off", map[string]any{"text": "x"})))
			},
			req: postHook("in", map[string]any{"text": "x"}), status: 400,
			body:  plainFailure("error-user-lacks-message-impersonate-permission"),
			check: messagesIn("#general"),
		},
		{
			name:  "§L7 outgoing integrations are not concerned",
			setup: func(e *env) { e.userWith("ann") },
			req:   create("admin", outgoingBody(map[string]any{"username": "ann"})), status: 200,
		},
		{
			name: "§L7 before 8.6 no impersonation check", opts: before86,
			setup: func(e *env) { e.userWith("ann") },
			req:   create("admin", incomingBody(map[string]any{"username": "ann"})), status: 200,
		},
		{
			name: "§L7 create: a script needs the isolated-vm engine",
			req:  create("admin", incomingBody(map[string]any{"script": "class Script {}", "scriptEngine": "vm2"})), status: 400,
			body: plainFailure("integration-scripts-unknown-engine"),
		},
		{
			name: "§L7 create: no script, no engine check",
			req:  create("admin", incomingBody(map[string]any{"scriptEngine": "vm2"})), status: 200,
		},
		{
			name: "§L7 create outgoing: the engine is checked right after the permission",
			req:  create("admin", outgoingBody(map[string]any{"script": "class Script {}", "scriptEngine": "vm2", "event": "nope"})), status: 400,
			body: plainFailure("integration-scripts-unknown-engine"),
		},
		{
			name:  "§L7 update: a changed engine with a script, after the ownership check",
			setup: func(e *env) { e.create("in", "admin", incomingBody(map[string]any{"script": "class Script {}"})) },
			req:   update("admin", incomingUpdate("in", map[string]any{"script": "class Script {}", "scriptEngine": "vm2"})), status: 400,
			body: meteorFailure("[integration-scripts-unknown-engine]", "integration-scripts-unknown-engine", nil),
		},
		{
			name:  "§L7 update: the stored engine is in effect when the body sends none",
			setup: func(e *env) { e.create("in", "admin", incomingBody(map[string]any{"scriptEngine": "vm2"})) },
			req:   update("admin", incomingUpdate("in", map[string]any{"script": "class Script {}"})), status: 400,
			body: meteorFailure("[integration-scripts-unknown-engine]", "integration-scripts-unknown-engine", nil),
		},

		// §L12 the default rate limit
		{
			name: "§L12 by default, Rocket.Chat's limit: 10 calls per 60 s per endpoint for a user without the bypass", clock: true,
			setup: func(e *env) {
				for range 10 {
					e.ok(me("owner"))
				}
			},
			req: me("owner"), status: 429,
			headers: map[string]any{"X-RateLimit-Limit": "10", "X-RateLimit-Remaining": "0"},
			want:    map[string]any{"error": contains("You must wait 60 seconds")},
		},
		{
			name: "§L12 /api/info is never limited", clock: true,
			setup: func(e *env) {
				for range 20 {
					e.ok(req{method: http.MethodGet, path: "/api/info"})
				}
			},
			req: req{method: http.MethodGet, path: "/api/info"}, status: 200,
			headers: map[string]any{"X-RateLimit-Limit": absent},
		},
		{
			name: "§L12 WithoutRateLimit turns the limiter off", opts: []rc.Option{rc.WithoutRateLimit()},
			setup: func(e *env) {
				for range 20 {
					e.ok(me("owner"))
				}
			},
			req: me("owner"), status: 200,
			headers: map[string]any{"X-RateLimit-Limit": absent},
		},
		{name: "§L12 a limit of zero calls is no limit", opts: []rc.Option{rc.WithRateLimit(0, time.Minute)}, req: me("owner"), status: 200,
			headers: map[string]any{"X-RateLimit-Limit": absent}},

		// Edges the rows above leave open.
		{name: "§3.3 count above the upper limit: 100", setup: createMany(101), req: list("admin", "count=101"), status: 200,
			want: map[string]any{"items": float64(100), "total": float64(101)}},
		{name: "§3.3 a negative count counts as its size", setup: createMany(3), req: list("admin", "count=-2"), status: 200,
			want: map[string]any{"items": float64(2), "total": float64(3)}},
		{name: "§3.3 count=0: no limit", setup: createMany(3), req: list("admin", "count=0"), status: 200,
			want: map[string]any{"items": float64(3)}},
		{
			name: "§3.6 the default sort puts the newest run first, whatever the ties", clock: true,
			setup: func(e *env) {
				e.create("out", "admin", outgoingBody(nil))
				for i := range 6 {
					e.clock.Advance(time.Second)
					id, err := e.srv.AddHistory(e.vars["out"], "sendMessage", true)
					if err != nil {
						e.t.Fatal(err)
					}
					e.vars["h"+strconv.Itoa(i)] = id
				}
			},
			req: history("admin", "id={{out}}"), status: 200,
			want: map[string]any{"history.0._id": "{{h5}}", "history.1._id": "{{h4}}", "history.2._id": "{{h3}}", "history.5._id": "{{h0}}"},
		},
		{name: "§L6 #2 settings paged: count=1", req: settingsPublic("", "count=1"), status: 200,
			want: map[string]any{"settings": lenIs(1), "settings.0._id": "Site_Name", "total": float64(2), "count": float64(1)}},
		{
			name: "§L4 #2 updatedSince at the very time of a change leaves it out", clock: true,
			req: subscriptions("owner", "updatedSince="+url.QueryEscape(t0.Format("2006-01-02T15:04:05.000Z"))), status: 200,
			want: map[string]any{"update": lenIs(0)},
		},
		{
			name: "§L4 #2 updatedSince just before a change keeps it", clock: true,
			req: subscriptions("owner", "updatedSince="+url.QueryEscape(t0.Add(-time.Millisecond).Format("2006-01-02T15:04:05.000Z"))), status: 200,
			want: map[string]any{"update": lenIs(3)},
		},
		{name: "§L2 #6 the creator of a room", req: roomsInfo("admin", "roomName=dev"), status: 200, want: map[string]any{"room.u.username": "admin"}},
		{name: "§L7 8.6.0 requires message-impersonate", opts: []rc.Option{rc.WithVersion("8.6.0")},
			setup: func(e *env) { e.userWith("ann") }, req: create("admin", incomingBody(map[string]any{"username": "ann"})), status: 400},
		{name: "§L7 9.0 requires it too", opts: []rc.Option{rc.WithVersion("9.0.0")},
			setup: func(e *env) { e.userWith("ann") }, req: create("admin", incomingBody(map[string]any{"username": "ann"})), status: 400},
		{name: "§L7 7.9 does not", opts: []rc.Option{rc.WithVersion("7.9.0")},
			setup: func(e *env) { e.userWith("ann") }, req: create("admin", incomingBody(map[string]any{"username": "ann"})), status: 200},
		{
			name: "§3.7 #10 one direct room per pair of users, however many posts",
			setup: func(e *env) {
				e.create("in", "admin", incomingBody(map[string]any{"channel": "@alice"}))
				e.ok(postHook("in", map[string]any{"text": "one"}))
				e.ok(postHook("in", map[string]any{"text": "two"}))
			},
			req: usersInfo("alice", "username=alice&includeUserRooms=true"), status: 200,
			check: func(e *env, r *resp) {
				direct := 0
				for _, s := range r.body["user"].(map[string]any)["rooms"].([]any) {
					if s.(map[string]any)["t"] == "d" {
						direct++
					}
				}
				if direct != 1 {
					e.t.Errorf("alice has %d direct rooms with the webhook's user, want 1", direct)
				}
				messagesIn("@alice", "one", "two")(e, r)
			},
		},
		{
			name: "§3.7 #10 a user's direct room with itself", setup: func(e *env) {
				e.create("in", "admin", incomingBody(map[string]any{"channel": "@rocket.cat"}))
			},
			req: postHook("in", map[string]any{"text": "note to self"}), status: 200,
			check: messagesIn("@rocket.cat", "note to self"),
		},

		// §L11 me
		{name: "§L11 /api/v1/me has the fields of IMeApiUser, no more", req: me("owner"), status: 200, check: func(e *env, r *resp) {
			var keys []string
			for k := range r.body {
				keys = append(keys, k)
			}
			slices.Sort(keys)
			want := []string{"_id", "_updatedAt", "active", "avatarUrl", "email", "emails", "isOAuthUser", "name", "roles",
				"services", "settings", "status", "statusConnection", "success", "username", "utcOffset"}
			if !slices.Equal(keys, want) {
				e.t.Errorf("fields %q, want %q", keys, want)
			}
			e.verify(row{want: map[string]any{"services.password.exists": true, "settings.preferences": map[string]any{}, "type": absent}}, r)
		}},

		// §L8 look-ups of the integration methods
		{
			name:  "§L8 #4 ALL_PUBLIC_CHANNELS is an invalid room without any look-up",
			setup: func(e *env) { e.srv.AddRoom("LL_PUBLIC_CHANNELS", false, "owner") },
			req:   create("admin", outgoingBody(map[string]any{"channel": "ALL_PUBLIC_CHANNELS"})), status: 400,
			want: map[string]any{"errorType": "error-invalid-room"},
		},
		{
			name: "§L8 #3 @user needs both permissions, even towards a user one chats with",
			setup: func(e *env) {
				e.create("dm", "admin", incomingBody(map[string]any{"channel": "@" + rc.OwnerUsername}))
				e.ok(postHook("dm", map[string]any{"text": "hi"}))
			},
			req: create("owner", incomingBody(map[string]any{"channel": "@rocket.cat"})), status: 400,
			want: map[string]any{"errorType": "error-invalid-channel"},
		},
		{
			name:  "§L8 #2 a room by its _id",
			setup: roomIDVar("dev"),
			req:   create("owner", incomingBody(map[string]any{"channel": "#{{room_dev}}"})), status: 200,
		},
		{
			name: "§L8 #3 only both permissions exempt from the membership rule",
			setup: func(e *env) {
				e.userWith("mia", rc.PermManageIncoming)
			},
			req: create("mia", incomingBody(map[string]any{"channel": "#dev"})), status: 400,
			want: map[string]any{"errorType": "error-invalid-channel"},
		},
	}
}
