package rocketchattest_test

import (
	"net/http"
	"slices"
)

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
