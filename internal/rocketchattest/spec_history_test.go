package rocketchattest_test

import (
	"net/url"
	"time"

	rc "github.com/terraform-rocketchat/terraform-provider-rocketchat/internal/rocketchattest"
)

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
		{
			// JSON.parse("{}") is an object, which `sort || {_updatedAt: -1}`
			// keeps: no order at all, so stable ties show the stored order.
			name:  "§3.6 sort={}: no order, not the default one",
			opts:  []rc.Option{rc.WithStableTies()},
			clock: true,
			setup: func(e *env) {
				withHistory(e)
				e.clock.Advance(time.Second)
				id, _ := e.srv.AddHistory(e.vars["out"], "sendMessage", true)
				e.vars["h2"] = id
			},
			req:    history("admin", "id={{out}}&sort="+url.QueryEscape("{}")),
			status: 200,
			want:   map[string]any{"total": 2, "history.0._id": "{{h1}}", "history.1._id": "{{h2}}"},
		},
	}
}
