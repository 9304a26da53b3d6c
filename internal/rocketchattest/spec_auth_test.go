package rocketchattest_test

import (
	"net/http"
	"slices"

	rc "github.com/terraform-rocketchat/terraform-provider-rocketchat/internal/rocketchattest"
)

// §4 Permissions

func spec4() []row {
	return slices.Concat([]row{
		{
			name:   "§4 defaults: the admin holds all four permissions",
			setup:  func(e *env) { e.create("in", "owner", incomingBody(nil)); e.create("out", "owner", outgoingBody(nil)) },
			req:    list("admin", ""),
			status: 200,
			want:   map[string]any{"total": 2},
		},
	}, forEachKind(
		func(k integrationKind) row {
			return row{
				name:   "§4 create: no route-level check (400, not 403)",
				req:    create("regular", k.body(nil)),
				status: 400,
				want:   map[string]any{"errorType": "not_authorized"},
			}
		},
	), []row{
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
	})
}

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
