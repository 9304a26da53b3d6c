package rocketchattest_test

import (
	"context"
	"encoding/json"
	"io"
	"maps"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	rc "github.com/terraform-rocketchat/terraform-provider-rocketchat/internal/rocketchattest"
)

// answer is what the receiver of an outgoing integration answers to one call.
type answer struct {
	status      int // 0: 200
	contentType string
	body        string
}

// received is one call the receiver got.
type received struct {
	method string
	path   string // with the query
	header http.Header
	body   map[string]any
}

// receiver is an httptest.Server standing for an outgoing integration's URL.
type receiver struct {
	*httptest.Server
	mu      sync.Mutex
	answers []answer
	calls   []received
}

func newReceiver(t *testing.T, answers ...answer) *receiver {
	rv := &receiver{answers: answers}
	rv.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		data, _ := io.ReadAll(r.Body)
		var body map[string]any
		_ = json.Unmarshal(data, &body)
		rv.mu.Lock()
		rv.calls = append(rv.calls, received{method: r.Method, path: r.URL.RequestURI(), header: r.Header.Clone(), body: body})
		a := answer{}
		if len(rv.answers) > 0 {
			a, rv.answers = rv.answers[0], rv.answers[1:]
		}
		rv.mu.Unlock()
		if a.contentType != "" {
			w.Header().Set("Content-Type", a.contentType)
		}
		if a.status == 0 {
			a.status = http.StatusOK
		}
		w.WriteHeader(a.status)
		_, _ = io.WriteString(w, a.body)
	}))
	t.Cleanup(rv.Close)
	return rv
}

func (rv *receiver) received() []received {
	rv.mu.Lock()
	defer rv.mu.Unlock()
	return slices.Clone(rv.calls)
}

func jsonAnswer(body string) answer { return answer{contentType: "application/json", body: body} }

// sleeps records the retry delays the server asks for and returns at once.
type sleeps struct {
	mu sync.Mutex
	d  []time.Duration
}

func (s *sleeps) sleep(_ context.Context, d time.Duration) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.d = append(s.d, d)
	return nil
}

func (s *sleeps) all() []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.d)
}

// tickingClock advances a millisecond on every reading, so that history
// documents sort in the order they were made.
type tickingClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *tickingClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(time.Millisecond)
	return c.now
}

type outEnv struct {
	*env
	recv   *receiver
	sleeps *sleeps
}

// outRow is one rule of §O2–§O4: a receiver with its answers, integrations
// (setup), one message (post), then checks once nothing is in flight.
type outRow struct {
	name    string
	opts    []rc.Option
	answers []answer
	setup   func(o *outEnv)
	post    req // default: the admin posts "!guggy hi" to #general
	check   func(o *outEnv, r *resp)
}

func runOutRows(t *testing.T, rows []outRow) {
	t.Helper()
	for _, rw := range rows {
		t.Run(rw.name, func(t *testing.T) {
			t.Parallel()
			o := &outEnv{recv: newReceiver(t, rw.answers...), sleeps: &sleeps{}}
			clock := &tickingClock{now: t0}
			opts := append([]rc.Option{rc.WithRetrySleep(o.sleeps.sleep), rc.WithClock(clock.Now), rc.WithoutRateLimit()}, rw.opts...)
			o.env = newEnv(t, false, opts...)
			o.vars["receiver"] = o.recv.URL
			if rw.setup != nil {
				rw.setup(o)
			}
			post := rw.post
			if post.path == "" {
				post = chatPost("admin", map[string]any{"channel": "#general", "text": "!guggy hi"})
			}
			r := o.do(post)
			if r.err != nil {
				t.Fatal(r.err)
			}
			o.wait()
			if rw.check != nil {
				rw.check(o, r)
			}
		})
	}
}

func (o *outEnv) wait() {
	o.t.Helper()
	ctx, cancel := context.WithTimeout(o.t.Context(), 10*time.Second)
	defer cancel()
	if err := o.srv.WaitOutgoing(ctx); err != nil {
		o.t.Fatalf("WaitOutgoing: %v", err)
	}
}

// outgoing creates an outgoing integration in variable v calling the receiver.
func (o *outEnv) outgoing(v string, over map[string]any) {
	o.t.Helper()
	body := outgoingBody(map[string]any{"urls": []any{"{{receiver}}/hook"}, "token": "s3cr3t-token"})
	o.create(v, "admin", merge(body, over))
}

// history returns an integration's history documents, oldest first.
func (o *outEnv) history(v string) []map[string]any {
	o.t.Helper()
	body := o.ok(history("admin", "id={{"+v+"}}&sort=%7B%22_createdAt%22%3A1%7D"))
	var out []map[string]any
	for _, h := range body["history"].([]any) {
		out = append(out, h.(map[string]any))
	}
	return out
}

func (o *outEnv) steps(v string) []string {
	var out []string
	for _, h := range o.history(v) {
		out = append(out, h["step"].(string))
	}
	return out
}

func (o *outEnv) wantCalls(n int) []received {
	o.t.Helper()
	calls := o.recv.received()
	if len(calls) != n {
		o.t.Fatalf("receiver got %d calls, want %d: %+v", len(calls), n, calls)
	}
	return calls
}

func (o *outEnv) wantSteps(v string, want ...string) {
	o.t.Helper()
	if got := o.steps(v); !slices.Equal(got, want) {
		o.t.Errorf("history steps %q, want %q", got, want)
	}
}

func chatPost(as string, body any) req {
	return req{method: http.MethodPost, path: "/api/v1/chat.postMessage", as: as, body: body}
}

func TestOutgoingFiring(t *testing.T) {
	calls := func(n int) func(o *outEnv, _ *resp) { return func(o *outEnv, _ *resp) { o.wantCalls(n) } }
	triggerWord := func(word any) func(o *outEnv, _ *resp) {
		return func(o *outEnv, _ *resp) {
			got, present := o.wantCalls(1)[0].body["trigger_word"]
			if word == nil && present || word != nil && got != word {
				o.t.Errorf("trigger_word %v (present %v), want %v", got, present, word)
			}
		}
	}
	text := func(s string) req { return chatPost("admin", map[string]any{"channel": "#general", "text": s}) }
	runOutRows(t, []outRow{
		{name: "§O2 a trigger word at the start fires", setup: func(o *outEnv) { o.outgoing("out", nil) }, check: triggerWord("!guggy")},
		{name: "§O2 a trigger word later in the text does not fire", setup: func(o *outEnv) { o.outgoing("out", nil) },
			post: text("say !guggy"), check: func(o *outEnv, _ *resp) { o.wantCalls(0); o.wantSteps("out") }},
		{name: "§O2 triggerWordAnywhere: a trigger word anywhere fires", setup: func(o *outEnv) {
			o.outgoing("out", map[string]any{"triggerWordAnywhere": true})
		}, post: text("say !guggy"), check: triggerWord("!guggy")},
		{name: "§O2 the first matching trigger word is sent", setup: func(o *outEnv) {
			o.outgoing("out", map[string]any{"triggerWords": []any{"!nope", "!gu", "!guggy"}})
		}, check: triggerWord("!gu")},
		{name: "§O2 trigger words are case-sensitive", setup: func(o *outEnv) { o.outgoing("out", nil) },
			post: text("!GUGGY hi"), check: calls(0)},
		{name: "§O2 without trigger words every message fires, without trigger_word", setup: func(o *outEnv) {
			o.outgoing("out", map[string]any{"triggerWords": omit})
		}, post: text("anything"), check: triggerWord(nil)},
		{name: "§O2 a disabled integration does not fire", setup: func(o *outEnv) {
			o.outgoing("out", map[string]any{"enabled": false})
		}, check: func(o *outEnv, _ *resp) { o.wantCalls(0); o.wantSteps("out") }},
		{name: "§O2 another event does not fire on messages", setup: func(o *outEnv) {
			o.outgoing("out", map[string]any{"event": "roomJoined"})
		}, check: calls(0)},
		{name: "§O2 every URL is called", answers: []answer{jsonAnswer("{}"), jsonAnswer("{}")}, setup: func(o *outEnv) {
			o.outgoing("out", map[string]any{"urls": []any{"{{receiver}}/a", "{{receiver}}/b"}})
		}, check: func(o *outEnv, _ *resp) { o.wantCalls(2); o.wantSteps("out", "after-http-call", "after-http-call") }},
		{name: "§O2 every integration a message triggers fires", setup: func(o *outEnv) {
			o.outgoing("one", nil)
			o.outgoing("two", map[string]any{"channel": "all_public_channels"})
		}, check: calls(2)},
		{name: "§O2 a message posted through an incoming webhook fires", setup: func(o *outEnv) {
			o.outgoing("out", nil)
			o.create("in", "admin", incomingBody(nil))
		}, post: postHook("in", map[string]any{"text": "!guggy from a hook"}), check: func(o *outEnv, _ *resp) {
			body := o.wantCalls(1)[0].body
			if body["bot"] != true || body["user_name"] != "rocket.cat" || body["text"] != "!guggy from a hook" {
				o.t.Errorf("payload %v", body)
			}
		}},
	})
}

func TestOutgoingChannels(t *testing.T) {
	type channelCase struct {
		name    string
		channel string
		post    req
		fires   bool
	}
	general := chatPost("admin", map[string]any{"channel": "#general", "text": "!guggy"})
	private := chatPost("admin", map[string]any{"channel": "#ops-private", "text": "!guggy"})
	toAlice := chatPost("admin", map[string]any{"channel": "@alice", "text": "!guggy"})
	fromAlice := chatPost("alice", map[string]any{"channel": "@admin", "text": "!guggy"})
	cases := []channelCase{
		{"#name, public channel", "#general", general, true},
		{"#_id, public channel", "#GENERAL", general, true},
		{"another room", "#dev", general, false},
		{"no channel (an empty list): all public channels", ",", general, true},
		{"all_public_channels", "all_public_channels", general, true},
		{"all_public_channels, private group", "all_public_channels", private, false},
		{"#name, private group", "#ops-private", private, true},
		{"all_private_groups", "all_private_groups", private, true},
		{"all_private_groups, public channel", "all_private_groups", general, false},
		{"@user, direct message to that user", "@alice", toAlice, true},
		{"@user, direct message by that user", "@alice", fromAlice, false},
		{"all_direct_messages", "all_direct_messages", toAlice, true},
		{"all_direct_messages, public channel", "all_direct_messages", general, false},
	}
	var rows []outRow
	for _, c := range cases {
		want := 0
		if c.fires {
			want = 1
		}
		rows = append(rows, outRow{
			name:  "§O2 channel " + c.name,
			setup: func(o *outEnv) { o.outgoing("out", map[string]any{"channel": c.channel}) },
			post:  c.post,
			check: func(o *outEnv, r *resp) {
				if r.status != http.StatusOK {
					o.t.Fatalf("post: %d %s", r.status, r.raw)
				}
				o.wantCalls(want)
			},
		})
	}
	runOutRows(t, rows)
}

func TestOutgoingCall(t *testing.T) {
	runOutRows(t, []outRow{
		{name: "§O3 the payload and headers", setup: func(o *outEnv) { o.outgoing("out", nil) }, check: func(o *outEnv, r *resp) {
			call := o.wantCalls(1)[0]
			msg := r.body["message"].(map[string]any)
			want := map[string]any{
				"token": "s3cr3t-token", "bot": false, "trigger_word": "!guggy", "channel_id": "GENERAL", "channel_name": "general",
				"message_id": msg["_id"], "timestamp": msg["ts"], "user_id": o.vars["admin"], "user_name": "admin",
				"text": "!guggy hi", "siteUrl": o.srv.URL(),
			}
			o.compare("payload", call.body, true, want)
			if call.method != http.MethodPost || call.header.Get("Content-Type") != "application/json" ||
				call.header.Get("User-Agent") != "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/41.0.2227.0 Safari/537.36" {
				o.t.Errorf("%s with headers %v", call.method, call.header)
			}
		}},
		{name: "§O3 the payload of a direct message has no channel_name", setup: func(o *outEnv) {
			o.outgoing("out", map[string]any{"channel": "all_direct_messages"})
		}, post: chatPost("admin", map[string]any{"channel": "@alice", "text": "!guggy"}), check: func(o *outEnv, _ *resp) {
			if body := o.wantCalls(1)[0].body; body["channel_name"] != nil || body["channel_id"] == nil {
				o.t.Errorf("payload %v", body)
			}
		}},
		{name: "§O3 a JSON answer with text is posted back with the integration's alias and emoji", answers: []answer{jsonAnswer(`{"text":"pong"}`)},
			setup: func(o *outEnv) { o.outgoing("out", map[string]any{"alias": "Guggy", "emoji": ":ghost:"}) },
			check: func(o *outEnv, _ *resp) {
				o.wantCalls(1) // the reply does not start with the trigger word
				ms := o.srv.Messages("#general")
				if len(ms) != 2 {
					o.t.Fatalf("messages %+v", ms)
				}
				reply := ms[1]
				if reply.Text != "pong" || reply.Alias != "Guggy" || reply.Emoji != ":ghost:" || reply.Avatar != "" ||
					reply.User["username"] != "rocket.cat" || reply.Bot["i"] != o.vars["out"] {
					o.t.Errorf("reply %+v", reply)
				}
				h := o.history("out")[0]
				o.compare("step", h["step"], true, "url-response-sent-message")
				o.compare("finished", h["finished"], true, true)
				o.compare("resultMessage.0.channel", lookupOr(h, "resultMessage.0.channel"), true, "#GENERAL")
				o.compare("httpResult", h["httpResult"], true, `"{\"text\":\"pong\"}"`)
			}},
		{name: "§O3 the reply takes an avatar over the emoji", answers: []answer{jsonAnswer(`{"text":"pong"}`)},
			setup: func(o *outEnv) {
				o.outgoing("out", map[string]any{"emoji": ":ghost:", "avatar": "https://a.example/a.png"})
			},
			check: func(o *outEnv, _ *resp) {
				if ms := o.srv.Messages("#general"); len(ms) != 2 || ms[1].Avatar != "https://a.example/a.png" || ms[1].Emoji != "" {
					o.t.Errorf("messages %+v", ms)
				}
			}},
		{name: "§O3 a reply that starts with the trigger word fires again", answers: []answer{jsonAnswer(`{"text":"!guggy again"}`)},
			setup: func(o *outEnv) { o.outgoing("out", nil) },
			check: func(o *outEnv, _ *resp) {
				second := o.wantCalls(2)[1].body
				if second["bot"] != true || second["user_name"] != "rocket.cat" || second["text"] != "!guggy again" {
					o.t.Errorf("second payload %v", second)
				}
			}},
		{name: "§O3 an answer that is not JSON posts nothing", answers: []answer{{contentType: "text/plain", body: `{"text":"pong"}`}},
			setup: func(o *outEnv) { o.outgoing("out", nil) },
			check: func(o *outEnv, _ *resp) {
				messagesIn("#general", "!guggy hi")(o.env, nil)
				o.wantSteps("out", "after-http-call")
			}},
		{name: "§O3 the reply names its channel", answers: []answer{jsonAnswer(`{"text":"over here","channel":"#random"}`)},
			setup: func(o *outEnv) { o.outgoing("out", nil) },
			check: func(o *outEnv, _ *resp) { messagesIn("#random", "over here")(o.env, nil) }},
		{name: "§O3 a reply into a private group the bot is not in fails as a call error", answers: []answer{jsonAnswer(`{"text":"x","channel":"#secret"}`)},
			setup: func(o *outEnv) { o.outgoing("out", nil) },
			check: func(o *outEnv, _ *resp) {
				messagesIn("#secret")(o.env, nil)
				h := o.history("out")[0]
				o.compare("step", h["step"], true, "after-http-call")
				o.compare("httpError.message", lookupOr(h, "httpError.message"), true, "error-not-allowed")
			}},
		{name: "§O3 non-2xx retried per the settings, powers-of-two", answers: []answer{{status: 503, body: "busy"}, {status: 503, body: "busy"}, {status: 503, body: "busy"}},
			setup: func(o *outEnv) {
				o.outgoing("out", map[string]any{"retryFailedCalls": true, "retryCount": 2, "retryDelay": "powers-of-two"})
			},
			check: func(o *outEnv, _ *resp) {
				o.wantCalls(3)
				o.wantSteps("out", "going-to-retry-1", "going-to-retry-2", "too-many-retries")
				if got := o.sleeps.all(); !slices.Equal(got, []time.Duration{2 * time.Second, 4 * time.Second}) {
					o.t.Errorf("delays %v", got)
				}
				for _, h := range o.history("out") {
					o.compare("error", h["error"], true, true)
				}
			}},
		{name: "§O3 an empty 200 is a failure; not configured to retry", setup: func(o *outEnv) { o.outgoing("out", nil) },
			check: func(o *outEnv, _ *resp) {
				o.wantCalls(1)
				o.wantSteps("out", "failed-and-not-configured-to-retry")
			}},
		{name: "§O3 a 500 with content is not retried", answers: []answer{{status: 500, body: "boom"}},
			setup: func(o *outEnv) { o.outgoing("out", map[string]any{"retryFailedCalls": true}) },
			check: func(o *outEnv, _ *resp) {
				o.wantCalls(1)
				o.wantSteps("out", "after-process-http-status-500")
			}},
		{name: "§O3 a 410 with content disables the integration", answers: []answer{{status: 410, body: "gone"}},
			setup: func(o *outEnv) { o.outgoing("out", map[string]any{"retryFailedCalls": true}) },
			check: func(o *outEnv, _ *resp) {
				o.wantCalls(1)
				o.wantSteps("out", "after-process-http-status-410")
				o.compare("enabled", o.stored("out")["enabled"], true, false)
			}},
		{name: "§O3 a refused connection is recorded and not retried", setup: func(o *outEnv) {
			o.outgoing("out", map[string]any{"urls": []any{"http://" + closedPort(o.t) + "/hook"}, "retryFailedCalls": true})
		}, check: func(o *outEnv, _ *resp) {
			h := o.history("out")
			if len(h) != 1 {
				o.t.Fatalf("history %v", h)
			}
			o.compare("step", h[0]["step"], true, "after-http-call")
			o.compare("httpResult", h[0]["httpResult"], true, "null")
			o.compare("httpError.message", lookupOr(h[0], "httpError.message"), true, contains("refused"))
		}},
		{name: "§O3 a URL that is not loopback is refused without a call", setup: func(o *outEnv) {
			o.outgoing("out", map[string]any{"urls": []any{"http://192.0.2.1/hook?token=TOPSECRET"}})
		}, check: func(o *outEnv, _ *resp) {
			h := o.history("out")[0]
			msg, _ := lookupOr(h, "httpError.message").(string)
			if !strings.Contains(msg, "-allow-outgoing") || !strings.Contains(msg, "192.0.2.1") || strings.Contains(msg, "TOPSECRET") {
				o.t.Errorf("httpError %q", msg)
			}
			o.compare("url", h["url"], true, "http://192.0.2.1/hook?token=TOPSECRET")
		}},
		{name: "§O3 localhost is loopback", setup: func(o *outEnv) {
			o.outgoing("out", map[string]any{"urls": []any{strings.Replace(o.recv.URL, "127.0.0.1", "localhost", 1)}})
		}, check: func(o *outEnv, _ *resp) { o.wantCalls(1) }},
		{name: "§O4 the history document of a call", answers: []answer{jsonAnswer(`{}`)},
			setup: func(o *outEnv) { o.outgoing("out", nil) },
			check: func(o *outEnv, r *resp) {
				h := o.history("out")
				if len(h) != 1 {
					o.t.Fatalf("history %v", h)
				}
				keys := slices.Sorted(maps.Keys(h[0]))
				want := []string{"_createdAt", "_id", "_updatedAt", "data", "event", "httpCallData", "httpResult", "integration",
					"ranPrepareScript", "step", "triggerWord", "type", "url"}
				if !slices.Equal(keys, want) {
					o.t.Errorf("history fields %q, want %q", keys, want)
				}
				for path, want := range map[string]any{
					"type": "outgoing-webhook", "step": "after-http-call", "event": "sendMessage", "triggerWord": "!guggy",
					"ranPrepareScript": true, "url": o.recv.URL + "/hook", "httpResult": `"{}"`, "data.token": "s3cr3t-token",
					"httpCallData.text": "!guggy hi", "_createdAt": isoDate, "_updatedAt": isoDate,
				} {
					o.compare(path, lookupOr(h[0], path), true, want)
				}
				o.compare("integration._id", lookupOr(h[0], "integration._id"), true, o.vars["out"])
				o.compare("data.message_id", lookupOr(h[0], "data.message_id"), true, lookupOr(r.body, "message._id"))
			}},
	})
}

func lookupOr(v any, path string) any {
	got, _ := lookup(v, path)
	return got
}

// closedPort is a loopback address nothing listens on.
func closedPort(t *testing.T) string {
	ln, err := (&net.ListenConfig{}).Listen(t.Context(), "tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	_ = ln.Close()
	return addr
}

func TestOutgoingRetryDelays(t *testing.T) {
	cases := []struct {
		delay string
		want  []time.Duration
	}{
		{"powers-of-ten", []time.Duration{100 * time.Millisecond, time.Second, 10 * time.Second}},
		{"powers-of-two", []time.Duration{2 * time.Second, 4 * time.Second, 8 * time.Second}},
		{"increments-of-two", []time.Duration{2 * time.Second, 4 * time.Second, 6 * time.Second}},
	}
	var rows []outRow
	for _, c := range cases {
		rows = append(rows, outRow{
			name:    "§O3 retryDelay " + c.delay,
			answers: []answer{{status: 503, body: "x"}, {status: 503, body: "x"}, {status: 503, body: "x"}, {status: 503, body: "x"}},
			setup: func(o *outEnv) {
				o.outgoing("out", map[string]any{"retryFailedCalls": true, "retryCount": 3, "retryDelay": c.delay})
			},
			check: func(o *outEnv, _ *resp) {
				o.wantCalls(4)
				if got := o.sleeps.all(); !slices.Equal(got, c.want) {
					o.t.Errorf("delays %v, want %v", got, c.want)
				}
			},
		})
	}
	rows = append(rows, outRow{
		name: "§O3 an unknown retryDelay stops", answers: []answer{{status: 503, body: "x"}},
		setup: func(o *outEnv) {
			o.outgoing("out", map[string]any{"retryFailedCalls": true, "retryCount": 3, "retryDelay": "fibonacci"})
		},
		check: func(o *outEnv, _ *resp) {
			o.wantCalls(1)
			o.wantSteps("out", "failed-and-retry-delay-is-invalid")
		},
	})
	runOutRows(t, rows)
}

// TestOutgoingClose: Close stops a call under way and waits for it.
func TestOutgoingClose(t *testing.T) {
	release := make(chan struct{})
	hanging := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}))
	defer hanging.Close()
	defer close(release)
	e := newEnv(t, false, rc.WithoutRateLimit())
	e.vars["receiver"] = hanging.URL
	e.create("out", "admin", outgoingBody(map[string]any{"urls": []any{"{{receiver}}"}}))
	e.ok(chatPost("admin", map[string]any{"channel": "#general", "text": "!guggy"}))

	ctx, cancel := context.WithTimeout(t.Context(), 200*time.Millisecond)
	defer cancel()
	if err := e.srv.WaitOutgoing(ctx); err == nil {
		t.Fatal("WaitOutgoing returned while the call hangs")
	}
	start := time.Now()
	e.srv.Close()
	if took := time.Since(start); took > 5*time.Second {
		t.Errorf("Close took %v", took)
	}
	// Close waited for the call it stopped: nothing is left in flight.
	done, cancelDone := context.WithTimeout(t.Context(), 100*time.Millisecond)
	defer cancelDone()
	if err := e.srv.WaitOutgoing(done); err != nil {
		t.Errorf("WaitOutgoing after Close: %v", err)
	}
}

func TestChatPostMessage(t *testing.T) {
	long := strings.Repeat("x", 5001)
	oneOfMissing := "must have required property 'roomId'\n must have required property 'channel'\n must match exactly one schema in oneOf [invalid-params]"
	runRows(t, []row{
		{name: "§O1 without credentials: 401", req: chatPost("", map[string]any{"channel": "#general", "text": "x"}), status: 401},
		{name: "§O1 neither roomId nor channel: invalid-params", req: chatPost("admin", map[string]any{"text": "x"}), status: 400,
			body: map[string]any{"success": false, "errorType": "invalid-params", "error": oneOfMissing}},
		{name: "§O1 an unknown property: invalid-params", req: chatPost("admin", map[string]any{"channel": "#general", "icon_emoji": ":x:"}), status: 400,
			want: map[string]any{"errorType": "invalid-params", "error": contains("must NOT have additional properties")}},
		{name: "§O1 text over Message_MaxAllowedSize", req: chatPost("admin", map[string]any{"channel": "#general", "text": long}), status: 400,
			body: map[string]any{"success": false, "error": "error-message-size-exceeded"}},
		{name: "§O1 text of exactly Message_MaxAllowedSize", req: chatPost("admin", map[string]any{"channel": "#general", "text": long[1:]}), status: 200},
		{name: "§O1 an attachment's text over Message_MaxAllowedSize", status: 400,
			req:  chatPost("admin", map[string]any{"channel": "#general", "attachments": []any{map[string]any{"text": long}}}),
			body: map[string]any{"success": false, "error": "error-message-size-exceeded"}},
		{name: "§O1 an unknown #room: invalid-channel", req: chatPost("admin", map[string]any{"channel": "#nope", "text": "x"}), status: 400,
			body: map[string]any{"success": false, "error": "[invalid-channel]", "errorType": "invalid-channel"}},
		{name: "§O1 an unknown @user: invalid-channel", req: chatPost("admin", map[string]any{"channel": "@nobody", "text": "x"}), status: 400,
			body: map[string]any{"success": false, "error": "[invalid-channel]", "errorType": "invalid-channel"}},
		{name: "§O1 an empty channel: invalid-channel", req: chatPost("admin", map[string]any{"channel": "", "text": "x"}), status: 400,
			want: map[string]any{"errorType": "invalid-channel"}},
		{name: "§O1 an empty list of channels: unknown-error", req: chatPost("admin", map[string]any{"channel": []any{}, "text": "x"}), status: 400,
			body: map[string]any{"success": false, "error": "unknown-error"}},
		{name: "§O1 a private group the caller is not in: error-not-allowed", req: chatPost("regular", map[string]any{"channel": "#secret", "text": "x"}),
			status: 400, body: map[string]any{"success": false, "error": "error-not-allowed"}},
		{name: "§O1 an alias needs message-impersonate", req: chatPost("regular", map[string]any{"channel": "#general", "text": "x", "alias": "Boss"}),
			status: 400, body: map[string]any{"success": false, "error": "Not enough permission"}},
		{name: "§O1 an avatar needs message-impersonate", req: chatPost("admin", map[string]any{"channel": "#general", "avatar": "https://a.example/a.png"}),
			status: 400, body: map[string]any{"success": false, "error": "Not enough permission"}},
		{name: "§O1 an emoji needs nothing", req: chatPost("regular", map[string]any{"channel": "#general", "text": "x", "emoji": ":smile:"}),
			status: 200, want: map[string]any{"message.emoji": ":smile:"}},
		{name: "§O1 a javascript: avatar", req: chatPost("admin", map[string]any{"channel": "#general", "avatar": "JavaScript:alert(1)"}),
			status: 400, body: map[string]any{"success": false, "error": "Invalid href value provided"}},
		{name: "§O1 an attachment field without a value", status: 400,
			req:  chatPost("admin", map[string]any{"channel": "#general", "attachments": []any{map[string]any{"fields": []any{map[string]any{"title": "t"}}}}}),
			body: map[string]any{"success": false, "error": "Invalid attachment field, title and value is required"}},
		{name: "§O1 posted to #name: the answer", req: chatPost("regular", map[string]any{"channel": "#general", "text": "  hello  "}), status: 200,
			want: map[string]any{
				"success": true, "ts": isNumber(), "channel": "#general", "message._id": matches(`^[23456789A-Za-z]{17}$`),
				"message.rid": "GENERAL", "message.msg": "hello", "message.u._id": "{{regular}}", "message.u.username": "regular.user",
				"message.ts": isoDate, "message.bot": absent, "message.alias": absent,
			},
			check: messagesIn("#general", "hello")},
		{name: "§O1 posted by roomId", req: chatPost("admin", map[string]any{"roomId": "GENERAL", "text": "by id"}), status: 200,
			want: map[string]any{"channel": "GENERAL", "message.rid": "GENERAL"}},
		{name: "§O1 posted to @user: a direct message", req: chatPost("admin", map[string]any{"channel": "@alice", "text": "psst"}), status: 200,
			want: map[string]any{"channel": "@alice"}, check: messagesIn("@alice", "psst")},
		{name: "§O1 posted to several channels: the first is answered", status: 200,
			req:  chatPost("admin", map[string]any{"channel": []any{"#random", "#general", "#random"}, "text": "both"}),
			want: map[string]any{"channel": "#random"},
			check: func(e *env, _ *resp) {
				messagesIn("#random", "both")(e, nil)
				messagesIn("#general", "both")(e, nil)
			}},
		{name: "§O1 a public channel the caller is not in is joined", req: chatPost("regular", map[string]any{"channel": "#random", "text": "hi"}),
			status: 200, check: messagesIn("#random", "hi")},
		{name: "§O1 an avatar and an emoji: the avatar is kept", status: 200,
			req:  chatPost("rocket.cat", map[string]any{"channel": "#general", "emoji": ":x:", "avatar": "https://a.example/a.png", "alias": "A"}),
			want: map[string]any{"message.avatar": "https://a.example/a.png", "message.emoji": absent, "message.alias": "A"}},
	})
}

func isNumber() matcher {
	return func(got any, present bool) string {
		if _, ok := got.(float64); !ok || !present {
			return "not a number"
		}
		return ""
	}
}
