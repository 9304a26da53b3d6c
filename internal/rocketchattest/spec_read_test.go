package rocketchattest_test

import (
	"net/url"
	"slices"
	"strconv"

	rc "github.com/terraform-rocketchat/terraform-provider-rocketchat/internal/rocketchattest"
)

// §3.2 integrations.get

func spec32() []row {
	return slices.Concat([]row{
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
	}, forEachKind(
		func(k integrationKind) row {
			return row{
				name:   "§3.2 #5 no permission",
				setup:  func(e *env) { k.create(e, "admin") },
				req:    get("regular", "integrationId={{"+k.v+"}}"),
				status: 400,
				body:   plainFailure("not-authorized"),
			}
		},
		func(k integrationKind) row {
			return row{
				name:   "§3.2 #5 manage-own but not the creator",
				setup:  func(e *env) { k.create(e, "admin") },
				req:    get("owner", "integrationId={{"+k.v+"}}"),
				status: 400,
				body:   plainFailure("not-authorized"),
			}
		},
		func(k integrationKind) row {
			return row{
				name: "§3.2 #5 manage-<type> reads anyone's",
				setup: func(e *env) {
					e.userWith("carol", k.manage)
					k.create(e, "owner")
				},
				req:    get("carol", "integrationId={{"+k.v+"}}"),
				status: 200,
				want:   map[string]any{"integration._id": "{{" + k.v + "}}"},
			}
		},
	), []row{
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
	})
}

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
