package rocketchattest_test

import (
	"net/http"
	"testing"
)

// withOutgoingScript creates outgoing integration "out" calling the receiver
// with the script, compiled as Babel would.
func withOutgoingScript(script string, over map[string]any) func(o *outEnv) {
	return func(o *outEnv) {
		o.outgoing("out", merge(map[string]any{"scriptEnabled": true, "script": script}, over))
	}
}

// wantHistory checks fields of the integration's only history document.
func (o *outEnv) wantHistory(v string, want map[string]any) {
	o.t.Helper()
	h := o.history(v)
	if len(h) != 1 {
		o.t.Fatalf("history %v", h)
	}
	for path, w := range want {
		got, present := lookup(h[0], path)
		o.compare("history "+path, got, present, w)
	}
}

// TestOutgoingScripts holds SPEC.md §O5: what prepare_outgoing_request and
// process_outgoing_response do to a delivery.
func TestOutgoingScripts(t *testing.T) {
	const mozilla = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/41.0.2227.0 Safari/537.36"
	pong := []answer{jsonAnswer(`{"text":"pong"}`)}
	runOutRows(t, []outRow{
		{name: "§O5 #1 prepare_outgoing_request sets the url, method, headers and data", answers: []answer{jsonAnswer(`{}`)},
			setup: withOutgoingScript(`class Script {
				prepare_outgoing_request({ request }) {
					return { url: request.url + '/changed?x=1', method: 'PUT', headers: { 'X-Custom': 'yes' },
						data: { said: request.data.text, by: request.data.user_name } };
				}
			}`, nil),
			check: func(o *outEnv, _ *resp) {
				call := o.wantCalls(1)[0]
				o.compare("method", call.method, true, http.MethodPut)
				o.compare("path", call.path, true, "/hook/changed?x=1")
				o.compare("body", call.body, true, map[string]any{"said": "!guggy hi", "by": "admin"})
				o.compare("X-Custom", call.header.Get("X-Custom"), true, "yes")
				o.compare("Content-Type", call.header.Get("Content-Type"), true, "application/json")
				if call.header.Get("User-Agent") == mozilla {
					o.t.Errorf("the script's headers replace the default ones, got User-Agent %q", mozilla)
				}
				o.wantHistory("out", map[string]any{
					"step": "after-http-call", "url": o.recv.URL + "/hook/changed?x=1", "ranPrepareScript": true,
					"httpCallData": map[string]any{"said": "!guggy hi", "by": "admin"}, "error": absent,
				})
			}},
		{name: "§O5 #1 auth becomes Basic Authorization; process_outgoing_response sees it and Content-Type in request.headers",
			answers: []answer{jsonAnswer(`{}`)},
			setup: withOutgoingScript(`class Script {
				prepare_outgoing_request({ request }) { request.auth = 'user:pa:ss'; return request; }
				process_outgoing_response({ request }) {
					return { content: { text: request.headers.Authorization + ' ' + request.headers['Content-Type'] } };
				}
			}`, nil),
			check: func(o *outEnv, _ *resp) {
				o.compare("Authorization", o.wantCalls(1)[0].header.Get("Authorization"), true, "Basic dXNlcjpwYTpzcw==")
				messagesIn("#general", "!guggy hi", "Basic dXNlcjpwYTpzcw== application/json")(o.env, nil)
			}},
		{name: "§O5 #1 neither data nor headers: the call has no body and no Content-Type",
			answers: []answer{jsonAnswer(`{}`)},
			setup: withOutgoingScript(`class Script {
				prepare_outgoing_request({ request }) { return { url: request.url, method: 'GET' }; }
			}`, nil),
			check: func(o *outEnv, _ *resp) {
				call := o.wantCalls(1)[0]
				if call.method != http.MethodGet || call.body != nil || call.header.Get("Content-Type") != "" {
					o.t.Errorf("call %+v", call)
				}
				o.wantHistory("out", map[string]any{"step": "after-http-call", "httpCallData": absent})
			}},
		{name: "§O5 #2 data without a headers object ends the run after pre-http-call, without a call",
			setup: withOutgoingScript(`class Script {
				prepare_outgoing_request({ request }) { return { url: request.url, method: 'POST', data: { a: 1 } }; }
			}`, nil),
			check: func(o *outEnv, _ *resp) {
				o.wantCalls(0)
				o.wantHistory("out", map[string]any{"step": "pre-http-call", "httpCallData.a": 1.0, "finished": absent})
			}},
		{name: "§O5 #2 auth without a headers object ends the run before pre-http-call",
			setup: withOutgoingScript(`class Script {
				prepare_outgoing_request({ request }) { return { url: request.url, method: 'POST', auth: 'u:p' }; }
			}`, nil),
			check: func(o *outEnv, _ *resp) {
				o.wantCalls(0)
				o.wantSteps("out", "after-maybe-ran-prepare")
			}},
		{name: "§O5 #2 auth without a colon ends the run without a call",
			setup: withOutgoingScript(`class Script {
				prepare_outgoing_request({ request }) { request.auth = 'nocolon'; return request; }
			}`, nil),
			check: func(o *outEnv, _ *resp) { o.wantCalls(0); o.wantSteps("out", "after-maybe-ran-prepare") }},
		{name: "§O5 #2 an auth that is not a string ends the run without a call",
			setup: withOutgoingScript(`class Script {
				prepare_outgoing_request({ request }) { request.auth = 42; return request; }
			}`, nil),
			check: func(o *outEnv, _ *resp) { o.wantCalls(0); o.wantSteps("out", "after-maybe-ran-prepare") }},
		{name: "§O5 #3 a message without url is posted and nothing is called",
			setup: withOutgoingScript(`class Script {
				prepare_outgoing_request({ request }) { return { message: { text: 'from prepare ' + request.data.trigger_word } }; }
			}`, nil),
			check: func(o *outEnv, _ *resp) {
				o.wantCalls(0)
				messagesIn("#general", "!guggy hi", "from prepare !guggy")(o.env, nil)
				o.wantHistory("out", map[string]any{
					"step": "after-prepare-no-url_or_method", "finished": true,
					"prepareSentMessage.0.channel": "#GENERAL", "prepareSentMessage.0.message.msg": "from prepare !guggy",
				})
			}},
		{name: "§O5 #3 a message with the request is posted, then the call is made", answers: []answer{jsonAnswer(`{}`)},
			setup: withOutgoingScript(`class Script {
				prepare_outgoing_request({ request }) { return { ...request, message: { text: 'first', channel: '#random' } }; }
			}`, nil),
			check: func(o *outEnv, _ *resp) {
				o.wantCalls(1)
				messagesIn("#random", "first")(o.env, nil)
				o.wantHistory("out", map[string]any{"step": "after-http-call", "prepareSentMessage.0.channel": "#random"})
			}},
		{name: "§O5 #3 a message that is not an object ends the run: nothing posted, nothing called",
			setup: withOutgoingScript(`class Script {
				prepare_outgoing_request({ request }) { return { ...request, message: 'hello' }; }
			}`, nil),
			check: func(o *outEnv, _ *resp) {
				o.wantCalls(0)
				messagesIn("#general", "!guggy hi")(o.env, nil)
				o.wantSteps("out", "after-maybe-ran-prepare")
			}},
		{name: "§O5 #4 returning nothing: no call, after-prepare-no-opts",
			setup: withOutgoingScript(`class Script { prepare_outgoing_request() {} }`, nil),
			check: func(o *outEnv, _ *resp) {
				o.wantCalls(0)
				o.wantHistory("out", map[string]any{"step": "after-prepare-no-opts", "finished": true, "error": absent})
			}},
		{name: "§O5 #4 returning false: no call, after-prepare-no-opts",
			setup: withOutgoingScript(`class Script { prepare_outgoing_request() { return false; } }`, nil),
			check: func(o *outEnv, _ *resp) {
				o.wantCalls(0)
				o.wantHistory("out", map[string]any{"step": "after-prepare-no-opts", "finished": true})
			}},
		{name: "§O5 #4 returning an object without url and method: no call",
			setup: withOutgoingScript(`class Script { prepare_outgoing_request({ request }) { return { url: request.url }; } }`, nil),
			check: func(o *outEnv, _ *resp) {
				o.wantCalls(0)
				o.wantHistory("out", map[string]any{"step": "after-prepare-no-url_or_method", "finished": true})
			}},
		{name: "§O5 #5 a throwing prepare_outgoing_request is recorded and nothing is called",
			setup: withOutgoingScript(`class Script { prepare_outgoing_request() { throw new TypeError('no way'); } }`, nil),
			check: func(o *outEnv, _ *resp) {
				o.wantCalls(0)
				o.wantHistory("out", map[string]any{
					"step": "after-prepare-no-opts", "finished": true, "ranPrepareScript": true,
					"error": true, "errorStack": "  TypeError: no way",
				})
			}},
		{name: "§O5 #5 a rejected async prepare_outgoing_request is a throw",
			setup: withOutgoingScript(`class Script { async prepare_outgoing_request() { await null; throw new Error('later'); } }`, nil),
			check: func(o *outEnv, _ *resp) {
				o.wantCalls(0)
				o.wantHistory("out", map[string]any{"step": "after-prepare-no-opts", "error": true, "errorStack": "  Error: later"})
			}},
		{name: "§O5 #6 process_outgoing_response's content is the reply, attachments and all", answers: pong,
			setup: withOutgoingScript(`class Script {
				process_outgoing_response({ request, response }) {
					return { content: {
						text: response.status_code + ' ' + response.content_raw + ' ' + response.headers['content-type'] + ' ' + request.data.text,
						attachments: [{ title: 'A', text: 'att', fields: [{ title: 'f', value: 'v' }] }],
					} };
				}
			}`, nil),
			check: func(o *outEnv, _ *resp) {
				o.wantCalls(1)
				ms := o.srv.Messages("#general")
				if len(ms) != 2 {
					o.t.Fatalf("messages %+v", ms)
				}
				reply := ms[1]
				o.compare("reply text", reply.Text, true, `200 {"text":"pong"} application/json !guggy hi`)
				o.compare("reply attachments", reply.Attachments, true,
					[]any{map[string]any{"title": "A", "text": "att", "fields": []any{map[string]any{"title": "f", "value": "v"}}}})
				o.compare("reply bot", reply.Bot["i"], true, o.vars["out"])
				o.wantHistory("out", map[string]any{
					"step": "after-process-send-message", "finished": true, "processSentMessage.0.channel": "#GENERAL",
				})
			}},
		{name: "§O5 #6 process_outgoing_response runs on a failed answer too, and its content is still the reply",
			answers: []answer{{status: 503, body: "busy"}},
			setup: withOutgoingScript(`class Script {
				process_outgoing_response({ response }) { return { content: { text: 'status ' + response.status_code } }; }
			}`, map[string]any{"retryFailedCalls": true, "retryCount": 2, "retryDelay": "powers-of-two"}),
			check: func(o *outEnv, _ *resp) {
				o.wantCalls(1)
				messagesIn("#general", "!guggy hi", "status 503")(o.env, nil)
				o.wantSteps("out", "after-process-send-message")
			}},
		{name: "§O5 #7 process_outgoing_response returning false: no reply", answers: pong,
			setup: withOutgoingScript(`class Script { process_outgoing_response() { return false; } }`, nil),
			check: func(o *outEnv, _ *resp) {
				messagesIn("#general", "!guggy hi")(o.env, nil)
				o.wantHistory("out", map[string]any{"step": "after-process-false-result", "finished": true})
			}},
		{name: "§O5 #7 process_outgoing_response returning nothing: the answer is handled as without a script", answers: pong,
			setup: withOutgoingScript(`class Script { process_outgoing_response() { return { content: '' }; } }`, nil),
			check: func(o *outEnv, _ *resp) {
				messagesIn("#general", "!guggy hi", "pong")(o.env, nil)
				o.wantSteps("out", "url-response-sent-message")
			}},
		{name: "§O5 #8 a throwing process_outgoing_response is recorded; the answer is handled as without a script", answers: pong,
			setup: withOutgoingScript(`class Script { process_outgoing_response() { throw new Error('bad answer'); } }`, nil),
			check: func(o *outEnv, _ *resp) {
				messagesIn("#general", "!guggy hi", "pong")(o.env, nil)
				o.wantHistory("out", map[string]any{
					"step": "url-response-sent-message", "error": true, "errorStack": "  Error: bad answer", "finished": true,
				})
			}},
		{name: "§O5 #8 a throwing process_outgoing_response on an answer without text leaves its error step",
			answers: []answer{jsonAnswer(`{}`)},
			setup:   withOutgoingScript(`class Script { process_outgoing_response() { throw 'plain'; } }`, nil),
			check: func(o *outEnv, _ *resp) {
				o.wantHistory("out", map[string]any{
					"step": "execute-script-error-running-process_outgoing_response", "error": true, "errorStack": "  plain",
				})
			}},
		{name: "§O5 #9 a content that is not an object fails as the call's error", answers: pong,
			setup: withOutgoingScript(`class Script { process_outgoing_response() { return { content: 'hello' }; } }`, nil),
			check: func(o *outEnv, _ *resp) {
				messagesIn("#general", "!guggy hi")(o.env, nil)
				o.wantHistory("out", map[string]any{
					"step": "after-http-call", "httpError.message": "TypeError: Cannot create property 'bot' on string 'hello'",
					"httpResult": "null",
				})
			}},
		{name: "§O5 #10 a Script that cannot be made is as no script: the default call and the answer's reply", answers: pong,
			setup: withOutgoingScript(`class Script {
				constructor() { throw new Error('cannot'); }
				prepare_outgoing_request() { return false; }
				process_outgoing_response() { return false; }
			}`, nil),
			check: func(o *outEnv, _ *resp) {
				call := o.wantCalls(1)[0]
				o.compare("User-Agent", call.header.Get("User-Agent"), true, mozilla)
				o.compare("token", call.body["token"], true, "s3cr3t-token")
				messagesIn("#general", "!guggy hi", "pong")(o.env, nil)
				o.wantHistory("out", map[string]any{"step": "url-response-sent-message", "error": absent, "errorStack": absent})
			}},
		{name: "§O5 #10 a script with scriptError is as no script", answers: pong,
			setup: withOutgoingScript(`class Script { prepare_outgoing_request() { return false; } `, nil),
			check: func(o *outEnv, _ *resp) {
				o.compare("scriptError", o.stored("out")["scriptError"] != nil, true, true)
				o.wantCalls(1)
				messagesIn("#general", "!guggy hi", "pong")(o.env, nil)
			}},
		{name: "§O5 #10 scriptEnabled false: the script is not run", answers: pong,
			setup: withOutgoingScript(`class Script { prepare_outgoing_request() { return false; } }`, map[string]any{"scriptEnabled": false}),
			check: func(o *outEnv, _ *resp) { o.wantCalls(1); messagesIn("#general", "!guggy hi", "pong")(o.env, nil) }},
		{name: "§O5 #10 a script with only process_outgoing_response makes the default request", answers: []answer{jsonAnswer(`{}`)},
			setup: withOutgoingScript(`class Script { process_outgoing_response() {} }`, nil),
			check: func(o *outEnv, _ *resp) {
				call := o.wantCalls(1)[0]
				if call.method != http.MethodPost || call.header.Get("User-Agent") != mozilla || call.body["text"] != "!guggy hi" {
					o.t.Errorf("call %+v", call)
				}
			}},
		{name: "§O5 #11 async methods are awaited", answers: pong,
			setup: withOutgoingScript(`class Script {
				async prepare_outgoing_request({ request }) { await null; request.data = { late: true }; return request; }
				async process_outgoing_response({ response }) { await null; return { content: { text: 'async ' + response.content } }; }
			}`, nil),
			check: func(o *outEnv, _ *resp) {
				o.compare("body", o.wantCalls(1)[0].body, true, map[string]any{"late": true})
				messagesIn("#general", "!guggy hi", `async {"text":"pong"}`)(o.env, nil)
			}},
		{name: "§O5 #12 Store is kept between deliveries", answers: []answer{jsonAnswer(`{}`), jsonAnswer(`{}`)},
			setup: func(o *outEnv) {
				withOutgoingScript(`class Script {
					prepare_outgoing_request({ request }) {
						const n = (Store.get('n') || 0) + 1;
						Store.set('n', n);
						request.data = { n };
						return request;
					}
				}`, nil)(o)
				o.ok(chatPost("admin", map[string]any{"channel": "#general", "text": "!guggy one"}))
				o.wait()
			},
			check: func(o *outEnv, _ *resp) {
				calls := o.wantCalls(2)
				o.compare("first n", calls[0].body["n"], true, 1.0)
				o.compare("second n", calls[1].body["n"], true, 2.0)
			}},
	})
}
