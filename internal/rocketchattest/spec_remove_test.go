package rocketchattest_test

import (
	"slices"

	rc "github.com/terraform-rocketchat/terraform-provider-rocketchat/internal/rocketchattest"
)

// §3.5 integrations.remove

func spec35() []row {
	withOut := func(e *env) { e.create("out", "admin", outgoingBody(nil)) }
	stillStored := func(v string) func(e *env, _ *resp) { return func(e *env, _ *resp) { e.stored(v) } }
	gone := func(v string) func(e *env, _ *resp) {
		return func(e *env, _ *resp) {
			if _, ok := e.srv.Integration(e.vars[v]); ok {
				e.t.Errorf("%s is still stored", v)
			}
		}
	}
	return slices.Concat([]row{
		{
			name:   "§3.5 #1 outgoing with both integrationId and target_url: oneOf failure",
			setup:  withOut,
			req:    remove("admin", map[string]any{"type": "webhook-outgoing", "integrationId": "{{out}}", "target_url": "http://text2gif.guggy.com/guggify"}),
			status: 400,
			want:   map[string]any{"success": false, "errorType": "invalid-params", "error": contains("must match exactly one schema in oneOf")},
			check:  stillStored("out"),
		},
	}, forEachKind(
		func(k integrationKind) row {
			return row{
				name:   "§3.5 #2 none of the four permissions",
				setup:  func(e *env) { k.create(e, "admin") },
				req:    remove("regular", k.removeBody(k.v)),
				status: 403,
				body:   forbiddenBody,
				check:  stillStored(k.v),
			}
		},
	), []row{
		{
			name:   "§3.5 #3 outgoing with an empty integrationId passes AJV and reaches the handler",
			req:    remove("admin", map[string]any{"type": "webhook-outgoing", "integrationId": ""}),
			status: 400,
			body:   plainFailure("An integrationId or target_url needs to be provided."),
		},
	}, forEachKind(
		func(k integrationKind) row {
			return row{
				name:   "§3.5 #4 no document with that _id",
				req:    remove("admin", map[string]any{"type": k.typ, "integrationId": "unknown"}),
				status: 400,
				body:   plainFailure("No integration found."),
			}
		},
	), []row{
		{
			name:   "§3.5 #4 outgoing: no document with that url",
			setup:  withOut,
			req:    remove("admin", map[string]any{"type": "webhook-outgoing", "target_url": "https://nowhere.example/"}),
			status: 400,
			body:   plainFailure("No integration found."),
		},
	}, forEachKind(
		func(k integrationKind) row {
			return row{
				name:   "§3.5 #4 before #5: unknown id from a user lacking the type's permissions",
				setup:  func(e *env) { e.userWith("olga", k.otherOwn) },
				req:    remove("olga", map[string]any{"type": k.typ, "integrationId": "unknown"}),
				status: 400,
				body:   plainFailure("No integration found."),
			}
		},
		func(k integrationKind) row {
			return row{
				name: "§3.5 #5 caller lacks manage-<type> and manage-own-<type>",
				setup: func(e *env) {
					k.create(e, "admin")
					e.userWith("olga", k.otherOwn)
				},
				req:    remove("olga", k.removeBody(k.v)),
				status: 400,
				body:   meteorFailure("Unauthorized [not_authorized]", "not_authorized", method(k.deleteMethod)),
				check:  stillStored(k.v),
			}
		},
		func(k integrationKind) row {
			return row{
				name:   "§3.5 #6 own-only caller, not the creator",
				setup:  func(e *env) { k.create(e, "admin") },
				req:    remove("owner", k.removeBody(k.v)),
				status: 400,
				body:   meteorFailure("Invalid integration [error-invalid-integration]", "error-invalid-integration", method(k.deleteMethod)),
				check:  stillStored(k.v),
			}
		},
		func(k integrationKind) row {
			return row{
				name:   "§3.5 #6 own-only caller, the creator",
				setup:  func(e *env) { k.create(e, "owner") },
				req:    remove("owner", k.removeBody(k.v)),
				status: 200,
				want:   map[string]any{"integration._id": "{{" + k.v + "}}", "integration.type": k.typ},
				check:  gone(k.v),
			}
		},
	), []row{
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
	})
}
