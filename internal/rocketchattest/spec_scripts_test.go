package rocketchattest_test

import (
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/terraform-rocketchat/terraform-provider-rocketchat/internal/rocketchattest"
)

// TestSpecScripts holds SPEC.md §S1–§S3: how scripts are compiled, run, and
// what the webhook receiver does with what they return.
func TestSpecScripts(t *testing.T) {
	var rows []row
	rows = append(rows, specS1()...)
	rows = append(rows, specS3()...)
	runRows(t, rows)
}

// withScript creates incoming integration "in" posting to #general with the
// script, compiled as Babel would.
func withScript(script string, over map[string]any) func(e *env) {
	return func(e *env) {
		e.create("in", "admin", incomingBody(merge(map[string]any{"scriptEnabled": true, "script": script}, over)))
	}
}

// generalTexts checks the texts posted to #general.
func generalTexts(want ...string) func(e *env, r *resp) {
	return func(e *env, _ *resp) {
		got := texts(e.srv.Messages("#general"))
		if want == nil {
			want = []string{}
		}
		if !slices.Equal(got, want) {
			e.t.Errorf("messages in #general: got %q, want %q", got, want)
		}
	}
}

func hookPost(body any) req {
	return req{method: http.MethodPost, path: "/hooks/{{in}}/{{in.token}}", body: body}
}

func specS1() []row {
	created := func(script string, over map[string]any) req {
		return create("admin", incomingBody(merge(map[string]any{"scriptEnabled": true, "script": script}, over)))
	}
	return []row{
		{
			name:   "§S1 a regex with an escaped parenthesis compiles",
			req:    created(`var r = /\)/; class Script {}`, nil),
			status: 200,
			want:   map[string]any{"integration.scriptCompiled": contains(`/\)/`), "integration.scriptError": absent},
		},
		{
			name:   "§S1 const without a name is Babel's SyntaxError with the file, the position and a code frame",
			req:    created("const = 5", nil),
			status: 200,
			want: map[string]any{
				"integration.scriptCompiled": absent, "integration.scriptError.name": "SyntaxError",
				"integration.scriptError.message": "unknown: Expected identifier but found \"=\" (1:6)\n\n> 1 | const = 5\n    |       ^",
				"integration.scriptError.stack":   matches(`^SyntaxError: unknown: `),
			},
		},
		{
			name:   "§S1 transpiled scripts are strict: with is refused",
			req:    created("with (Math) { max(1, 2) }", nil),
			status: 200,
			want:   map[string]any{"integration.scriptError.name": "SyntaxError", "integration.scriptCompiled": absent},
		},
		{
			name:   "§S1 skipTranspile: a sloppy function body, with and a top-level return pass and the script is stored as sent",
			req:    created("with (Math) { max(1, 2) }\nreturn 1;", map[string]any{"skipTranspile": true}),
			status: 200,
			want:   map[string]any{"integration.scriptCompiled": "with (Math) { max(1, 2) }\nreturn 1;", "integration.scriptError": absent},
		},
		{
			name:   "§S1 skipTranspile: V8's layout, message without file and stack with the wrapped line",
			req:    created("const = 5", map[string]any{"skipTranspile": true}),
			status: 200,
			want: map[string]any{
				"integration.scriptError.name":    "SyntaxError",
				"integration.scriptError.message": `Expected identifier but found "="`,
				"integration.scriptError.stack":   matches(`^evalmachine\.<anonymous>:1\n\(function\(\)\{const = 5\}\)\n {18}\^\n\nSyntaxError: `),
			},
		},
		{
			name:   "§S1 skipTranspile: an import is no function body",
			req:    created(`import x from "y";`, map[string]any{"skipTranspile": true}),
			status: 200,
			want:   map[string]any{"integration.scriptError.name": "SyntaxError"},
		},
		{
			name:   "§S1 an update compiles with its own skipTranspile",
			setup:  withScript("class Script {}", nil),
			req:    update("admin", incomingUpdate("in", map[string]any{"scriptEnabled": true, "script": "return 2;", "skipTranspile": true})),
			status: 200,
			want:   map[string]any{"integration.scriptCompiled": "return 2;", "integration.scriptError": absent},
		},
		{
			name:   "§S1 outgoing: skipTranspile is passed on",
			req:    create("admin", outgoingBody(map[string]any{"scriptEnabled": true, "script": "return 3;", "skipTranspile": true})),
			status: 200,
			want:   map[string]any{"integration.scriptCompiled": "return 3;", "integration.scriptError": absent},
		},
	}
}

func specS3() []row {
	const echoRequest = `class Script { process_incoming_request({ request }) {
		const r = request;
		return { content: { text: [r.content_raw, r.content.a, r.body.a, r.url.search, r.url.query.q, r.url.pathname === '/hooks/' + r.url_params.integrationId + '/' + r.url_params.token,
			r.url_raw === r.url.path, r.url.hash, r.headers['content-type'], r.headers['x-extra'], r.user.username, r.user._id === '{{bot}}', typeof r.user.name].join('|') } };
	} }`
	return []row{
		{
			name:   "§S3 nothing returned: 200 and no message",
			setup:  withScript("class Script { process_incoming_request() {} }", nil),
			req:    hookPost(map[string]any{"text": "ignored"}),
			status: 200, body: map[string]any{"success": true},
			check: generalTexts(),
		},
		{
			name:   "§S3 no process_incoming_request: 200 and no message",
			setup:  withScript("class Script { prepare_outgoing_request() { return {}; } }", nil),
			req:    hookPost(map[string]any{"text": "ignored"}),
			status: 200, body: map[string]any{"success": true},
			check: generalTexts(),
		},
		{
			name:   "§S3 content is posted with its fields",
			setup:  withScript(`class Script { process_incoming_request({ request }) { return { content: { text: 'got ' + request.content.text, alias: 'Al', emoji: ':ok:', attachments: [{ title: 't' }] } }; } }`, nil),
			req:    hookPost(map[string]any{"text": "hello"}),
			status: 200, body: map[string]any{"success": true},
			check: func(e *env, _ *resp) {
				ms := e.srv.Messages("#general")
				if len(ms) != 1 || ms[0].Text != "got hello" || ms[0].Alias != "Al" || ms[0].Emoji != ":ok:" || len(ms[0].Attachments) != 1 {
					e.t.Errorf("messages: %+v", ms)
				}
			},
		},
		{
			name: "§S3 the request the script sees",
			setup: func(e *env) {
				withScript(echoRequest, nil)(e)
			},
			req: req{method: http.MethodPost, path: "/hooks/{{in}}/{{in.token}}?q=1", raw: ptr(`{"a":"x"}`), contentType: "application/json",
				header: map[string]string{"X-Extra": "yes"}},
			status: 200,
			check:  generalTexts(`{"a":"x"}|x|x|?q=1|1|true|true||application/json|yes|rocket.cat|true|string`),
		},
		{
			name:   "§S3 error as a string: 400 with it",
			setup:  withScript("class Script { process_incoming_request() { return { error: 'nope', content: { text: 'x' } }; } }", nil),
			req:    hookPost(map[string]any{}),
			status: 400, body: map[string]any{"success": false, "error": "nope"},
			check: generalTexts(),
		},
		{
			name:   "§S3 error as an object: 400 with the object as the body",
			setup:  withScript("class Script { process_incoming_request() { return { error: { statusCode: 418, reason: 'teapot' } }; } }", nil),
			req:    hookPost(map[string]any{}),
			status: 400, body: map[string]any{"success": false, "statusCode": float64(418), "reason": "teapot"},
		},
		{
			name:   "§S3 response is answered after the message is posted",
			setup:  withScript("class Script { process_incoming_request() { return { content: { text: 'r' }, response: { ok: 1 } }; } }", nil),
			req:    hookPost(map[string]any{}),
			status: 200, body: map[string]any{"success": true, "ok": float64(1)},
			check: generalTexts("r"),
		},
		{
			name:   "§S3 a result without content: error-running-script",
			setup:  withScript("class Script { process_incoming_request() { return { response: { ok: 1 } }; } }", nil),
			req:    hookPost(map[string]any{}),
			status: 400, body: map[string]any{"success": false, "error": "error-running-script"},
			check: generalTexts(),
		},
		{
			name:   "§S3 content that is a string: error-running-script",
			setup:  withScript("class Script { process_incoming_request() { return { content: 'text' }; } }", nil),
			req:    hookPost(map[string]any{}),
			status: 400, body: map[string]any{"success": false, "error": "error-running-script"},
		},
		{
			name:   "§S3 a method that throws: error-running-script",
			setup:  withScript("class Script { process_incoming_request() { throw new Error('boom'); } }", nil),
			req:    hookPost(map[string]any{"text": "t"}),
			status: 400, body: map[string]any{"success": false, "error": "error-running-script"},
			check: generalTexts(),
		},
		{
			name:   "§S3 a rejected promise: error-running-script",
			setup:  withScript("class Script { async process_incoming_request() { await null; throw new Error('later'); } }", nil),
			req:    hookPost(map[string]any{"text": "t"}),
			status: 400, body: map[string]any{"success": false, "error": "error-running-script"},
		},
		{
			name:   "§S3 a result with a function cannot be copied: error-running-script",
			setup:  withScript("class Script { process_incoming_request() { return { content: { text: 'x', f() {} } }; } }", nil),
			req:    hookPost(map[string]any{}),
			status: 400, body: map[string]any{"success": false, "error": "error-running-script"},
		},
		{
			name:   "§S3 a Script that fails to instantiate: error-evaluating-script",
			setup:  withScript("class Script { constructor() { throw new Error('no'); } process_incoming_request() {} }", nil),
			req:    hookPost(map[string]any{"text": "t"}),
			status: 400, body: map[string]any{"success": false, "error": "error-evaluating-script"},
			check: generalTexts(),
		},
		{
			name:   "§S3 an async method's result is awaited",
			setup:  withScript("class Script { async process_incoming_request({ request }) { const t = await Promise.resolve(request.content.text); return { content: { text: 'async ' + t } }; } }", nil),
			req:    hookPost(map[string]any{"text": "ok"}),
			status: 200,
			check:  generalTexts("async ok"),
		},
		{
			name:   "§S3 console does not break anything",
			setup:  withScript("console.log('top', {a: 1}); class Script { process_incoming_request() { console.log('x', [1]); console.info(1); console.warn(null); console.error(new Error('e')); console.debug(); return { content: { text: 'logged' } }; } }", nil),
			req:    hookPost(map[string]any{}),
			status: 200,
			check:  generalTexts("logged"),
		},
		{
			name:   "§S3 a script whose compile failed behaves as no script",
			setup:  withScript("class Script { process_incoming_request( {", nil),
			req:    hookPost(map[string]any{"text": "plain"}),
			status: 200,
			check:  generalTexts("plain"),
		},
		{
			name:   "§S3 a GET does not run the script",
			setup:  withScript("class Script { process_incoming_request() { return { content: { text: 'script' } }; } }", nil),
			req:    req{method: http.MethodGet, path: "/hooks/{{in}}/{{in.token}}"},
			status: 200,
			check:  generalTexts(""),
		},
		{
			name:   "§S3 a channel in content needs the override",
			setup:  withScript("class Script { process_incoming_request() { return { content: { text: 'x', channel: '#general' } }; } }", nil),
			req:    hookPost(map[string]any{}),
			status: 400, body: map[string]any{"success": false, "error": "overriding destination channel is disabled for this integration"},
		},
		{
			name:   "§S3 the script's user posts the message",
			setup:  withScript("class Script { process_incoming_request() { return { content: { text: 'as admin' }, user: { _id: '{{admin}}', username: 'admin', name: 'A' } }; } }", nil),
			req:    hookPost(map[string]any{}),
			status: 200,
			check: func(e *env, _ *resp) {
				ms := e.srv.Messages("#general")
				if len(ms) != 1 || ms[0].User["_id"] != e.vars["admin"] {
					e.t.Errorf("messages: %+v", ms)
				}
			},
		},
		{
			name:   "§S2 a method that loops forever answers within the time limit",
			opts:   []rocketchattest.Option{rocketchattest.WithScriptTimeout(200 * time.Millisecond)},
			setup:  withScript("class Script { process_incoming_request() { for (;;) {} } }", nil),
			req:    hookPost(map[string]any{}),
			status: 400, body: map[string]any{"success": false, "error": "error-running-script"},
			check: func(e *env, r *resp) {
				if r.took > 2*time.Second {
					e.t.Errorf("took %v", r.took)
				}
			},
		},
		{
			name:   "§S2 a script that loops forever at the top fails to instantiate within the time limit",
			opts:   []rocketchattest.Option{rocketchattest.WithScriptTimeout(200 * time.Millisecond)},
			setup:  withScript("while (true) {} class Script {}", nil),
			req:    hookPost(map[string]any{}),
			status: 400, body: map[string]any{"success": false, "error": "error-evaluating-script"},
		},
		{
			name:  "§S2 Store persists between calls and is reset when the integration is updated",
			clock: true,
			setup: withScript("class Script { process_incoming_request() { return { content: { text: String(Store.set('n', (Store.get('n') || 0) + 1)) } }; } }", nil),
			check: func(e *env, _ *resp) {
				for range 2 {
					e.ok(hookPost(map[string]any{}))
				}
				e.clock.Advance(time.Second)
				e.ok(update("admin", incomingUpdate("in", map[string]any{"scriptEnabled": true, "script": e.stored("in")["script"]})))
				e.ok(hookPost(map[string]any{}))
				generalTexts("1", "2", "1")(e, nil)
			},
		},
	}
}

// TestScriptHookDoesNotHoldTheLock: a slow script does not stop the rest of
// the server.
func TestScriptHookDoesNotHoldTheLock(t *testing.T) {
	e := newEnv(t, false, rocketchattest.WithScriptTimeout(time.Second))
	withScript("class Script { process_incoming_request() { const end = Date.now() + 600; while (Date.now() < end) {} } }", nil)(e)
	done := make(chan *resp)
	go func() { done <- e.hook("in", map[string]any{}) }()
	time.Sleep(100 * time.Millisecond)
	start := time.Now()
	e.ok(req{method: http.MethodGet, path: "/api/info"})
	if d := time.Since(start); d > 300*time.Millisecond {
		t.Errorf("the server waited %v for the script", d)
	}
	if r := <-done; r.status != http.StatusOK {
		t.Errorf("hook: %d %s", r.status, r.raw)
	}
}
