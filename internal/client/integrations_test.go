package client

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

const incomingDoc = `{"type":"webhook-incoming","username":"test.cat","channel":["#general"],"scriptEnabled":true,"name":"test.cat",
 "enabled":true,"scriptEngine":"isolated-vm","overrideDestinationChannelEnabled":false,
 "token":"XuHp73MccmCvJ9m3fKdQK6HKW9tjhBcbTKKHCSSLsv7qn4fk","userId":"CkCPNcvsvCDfmWLqC",
 "_createdAt":"2024-01-10T14:12:07.739Z","_createdBy":{"_id":"CkCPNcvsvCDfmWLqC","username":"test.cat"},
 "_id":"659ea5b72dd9f928ada3e43e"}`

const outgoingDoc = `{"_id":"659ea5e42dd9f928ada3e451","type":"webhook-outgoing","username":"rocket.cat","channel":["#general","@bob"],
 "scriptEnabled":false,"name":"Guggy","enabled":true,"event":"sendMessage","urls":["https://text2gif.guggy.com/guggify"],
 "triggerWords":["!guggy"],"triggerWordAnywhere":false,"token":"OUTGOING-token-s3cr3t","alias":"Guggy","avatar":"https://x/a.png","emoji":":ghost:",
 "retryFailedCalls":true,"retryCount":4.0,"retryDelay":"powers-of-ten","runOnEdits":true,"impersonateUser":false,"targetRoom":"",
 "scriptEngine":"isolated-vm","scriptError":{"name":"SyntaxError","message":"Unexpected token","stack":"at 1:1"},"skipTranspile":false,
 "userId":"rocket.cat","_createdAt":"2024-01-10T14:12:52.000Z","_createdBy":{"_id":"u1","username":"admin"},
 "_updatedAt":"2024-01-11T09:00:00.123Z","_updatedBy":{"_id":"u2","username":"ops"}}`

func TestRequestJSON(t *testing.T) {
	tests := []struct {
		name string
		req  IntegrationRequest
		want string
	}{
		{
			name: "incoming minimal",
			req: &IncomingIntegrationRequest{IntegrationBase: IntegrationBase{
				Name: "n", Enabled: true, Username: "rocket.cat", Channels: []string{"#general"},
			}},
			want: `{"type":"webhook-incoming","name":"n","enabled":true,"username":"rocket.cat","channel":"#general","scriptEnabled":false}`,
		},
		{
			name: "incoming with every field, empty strings kept",
			req: IncomingIntegrationRequest{
				IntegrationBase: IntegrationBase{Name: "", Enabled: false, Username: "bot", Channels: []string{"#general", "@bob"}},
				MessageSettings: MessageSettings{
					Alias: ptr(""), Avatar: ptr("https://x/a.png"), Emoji: ptr(":ghost:"),
					ScriptEnabled: true, Script: ptr("class Script { process_incoming_request() { return a < b && c > d; } }"),
					ScriptEngine: ptr("isolated-vm"), SkipTranspile: ptr(true),
				},
				IncomingSettings: IncomingSettings{OverrideDestinationChannelEnabled: ptr(false)},
			},
			want: `{"type":"webhook-incoming","name":"","enabled":false,"username":"bot","channel":"#general,@bob","alias":"","avatar":"https://x/a.png","emoji":":ghost:","scriptEnabled":true,"script":"class Script { process_incoming_request() { return a < b && c > d; } }","scriptEngine":"isolated-vm","skipTranspile":true,"overrideDestinationChannelEnabled":false}`,
		},
		{
			name: "outgoing minimal, lists not set",
			req: &OutgoingIntegrationRequest{
				IntegrationBase: IntegrationBase{Name: "o", Enabled: true, Username: "rocket.cat", Channels: nil},
				OutgoingTrigger: OutgoingTrigger{Event: "roomCreated"},
			},
			want: `{"type":"webhook-outgoing","name":"o","enabled":true,"username":"rocket.cat","channel":"","event":"roomCreated","scriptEnabled":false}`,
		},
		{
			name: "outgoing with every field, empty lists sent",
			req: &OutgoingIntegrationRequest{
				IntegrationBase: IntegrationBase{Name: "Guggy", Enabled: true, Username: "rocket.cat", Channels: []string{"#general"}},
				MessageSettings: MessageSettings{Alias: ptr("G"), Avatar: ptr(""), Emoji: ptr(":ghost:"), ScriptEnabled: false, Script: ptr("")},
				OutgoingTrigger: OutgoingTrigger{
					Event: "sendMessage", URLs: []string{"https://a", "https://b"}, TriggerWords: []string{},
					TriggerWordAnywhere: ptr(true), TargetRoom: ptr(""),
				},
				Token: ptr("OUTGOING-token-s3cr3t"),
				OutgoingDelivery: OutgoingDelivery{
					RunOnEdits: ptr(false), RetryFailedCalls: ptr(true), RetryCount: ptr(6), RetryDelay: ptr("powers-of-two"),
					ImpersonateUser: ptr(false),
				},
			},
			want: `{"type":"webhook-outgoing","name":"Guggy","enabled":true,"username":"rocket.cat","channel":"#general","event":"sendMessage","urls":["https://a","https://b"],"triggerWords":[],"triggerWordAnywhere":true,"targetRoom":"","token":"OUTGOING-token-s3cr3t","alias":"G","avatar":"","emoji":":ghost:","scriptEnabled":false,"script":"","runOnEdits":false,"retryFailedCalls":true,"retryCount":6,"retryDelay":"powers-of-two","impersonateUser":false}`,
		},
		{
			name: "outgoing with script settings, several channels",
			req: OutgoingIntegrationRequest{
				IntegrationBase: IntegrationBase{Name: "Relay", Enabled: false, Username: "bot", Channels: []string{"#general", "@bob", "#ops"}},
				MessageSettings: MessageSettings{
					ScriptEnabled: true, Script: ptr("class Script {}"), ScriptEngine: ptr("isolated-vm"), SkipTranspile: ptr(false),
				},
				OutgoingTrigger: OutgoingTrigger{Event: "roomArchived", URLs: []string{"https://a"}, TriggerWords: nil},
			},
			want: `{"type":"webhook-outgoing","name":"Relay","enabled":false,"username":"bot","channel":"#general,@bob,#ops","event":"roomArchived","urls":["https://a"],"scriptEnabled":true,"script":"class Script {}","scriptEngine":"isolated-vm","skipTranspile":false}`,
		},
		{
			name: "incoming without channels",
			req:  &IncomingIntegrationRequest{IntegrationBase: IntegrationBase{Name: "n", Username: "rocket.cat"}},
			want: `{"type":"webhook-incoming","name":"n","enabled":false,"username":"rocket.cat","channel":"","scriptEnabled":false}`,
		},
		{
			name: "channels are not HTML-escaped",
			req:  &IncomingIntegrationRequest{IntegrationBase: IntegrationBase{Name: "<&>", Username: "rocket.cat", Channels: []string{"#r&d", "@<bob>"}}},
			want: `{"type":"webhook-incoming","name":"<&>","enabled":false,"username":"rocket.cat","channel":"#r&d,@<bob>","scriptEnabled":false}`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// What the create call sends.
			srv := newScripted(t, reply(200, `{"integration":`+incomingDoc+`,"success":true}`))
			env := newTestClient(t, srv.URL)
			if _, err := env.c.CreateIntegration(context.Background(), tt.req); err != nil {
				t.Fatal(err)
			}
			r := srv.requests()[0]
			if r.Method != "POST" || r.Path != "/api/v1/integrations.create" || r.RawQuery != "" {
				t.Errorf("request %s %s?%s", r.Method, r.Path, r.RawQuery)
			}
			if r.Body != tt.want {
				t.Errorf("create body\n got %s\nwant %s", r.Body, tt.want)
			}

			// What the update call sends: the same plus integrationId.
			srv2 := newScripted(t, reply(200, `{"integration":`+incomingDoc+`,"success":true}`))
			env2 := newTestClient(t, srv2.URL)
			if _, err := env2.c.UpdateIntegration(context.Background(), "659ea5b72dd9f928ada3e43e", tt.req); err != nil {
				t.Fatal(err)
			}
			r = srv2.requests()[0]
			if r.Method != "PUT" || r.Path != "/api/v1/integrations.update" {
				t.Errorf("update request %s %s", r.Method, r.Path)
			}
			wantUpdate := strings.Replace(tt.want, `"type":"webhook-`+typeSuffix(tt.req)+`",`, `"type":"webhook-`+typeSuffix(tt.req)+`","integrationId":"659ea5b72dd9f928ada3e43e",`, 1)
			if r.Body != wantUpdate {
				t.Errorf("update body\n got %s\nwant %s", r.Body, wantUpdate)
			}
			if strings.Contains(r.Body, "target_url") {
				t.Error("update sends target_url")
			}
		})
	}
}

func typeSuffix(r IntegrationRequest) string {
	return strings.TrimPrefix(string(r.IntegrationType()), "webhook-")
}

func TestCreateIncomingDecodes(t *testing.T) {
	srv := newScripted(t, reply(200, `{"integration":`+incomingDoc+`,"success":true}`))
	env := newTestClient(t, srv.URL)
	in, err := env.c.CreateIntegration(context.Background(), &IncomingIntegrationRequest{
		IntegrationBase: IntegrationBase{Name: "test.cat", Enabled: true, Username: "test.cat", Channels: []string{"#general"}},
		MessageSettings: MessageSettings{ScriptEnabled: true},
	})
	if err != nil {
		t.Fatal(err)
	}
	if in.Type != IncomingType {
		t.Errorf("type %q", in.Type)
	}
	if in.ID != "659ea5b72dd9f928ada3e43e" || in.Token != "XuHp73MccmCvJ9m3fKdQK6HKW9tjhBcbTKKHCSSLsv7qn4fk" ||
		in.Name != "test.cat" || !in.Enabled || in.Username != "test.cat" || in.UserID != "CkCPNcvsvCDfmWLqC" ||
		!in.ScriptEnabled || in.ScriptEngine == nil || *in.ScriptEngine != "isolated-vm" {
		t.Errorf("integration = %+v", in)
	}
	if len(in.Channels) != 1 || in.Channels[0] != "#general" {
		t.Errorf("channels %q", in.Channels)
	}
	if in.OverrideDestinationChannelEnabled == nil || *in.OverrideDestinationChannelEnabled {
		t.Errorf("overrideDestinationChannelEnabled %v", in.OverrideDestinationChannelEnabled)
	}
	if !in.CreatedAt.Equal(time.Date(2024, 1, 10, 14, 12, 7, 739e6, time.UTC)) {
		t.Errorf("created at %s", in.CreatedAt)
	}
	if in.CreatedBy == nil || in.CreatedBy.ID != "CkCPNcvsvCDfmWLqC" || in.CreatedBy.Username != "test.cat" {
		t.Errorf("created by %+v", in.CreatedBy)
	}
	if in.Alias != nil || in.Script != nil {
		t.Errorf("absent fields decoded as set: alias %v script %v", in.Alias, in.Script)
	}
}

func TestGetOutgoingDecodes(t *testing.T) {
	srv := newScripted(t, reply(200, `{"integration":`+outgoingDoc+`,"success":true}`))
	env := newTestClient(t, srv.URL)
	out, err := env.c.GetIntegration(context.Background(), "659ea5e42dd9f928ada3e451")
	if err != nil {
		t.Fatal(err)
	}
	r := srv.requests()[0]
	if r.Method != "GET" || r.Path != "/api/v1/integrations.get" || r.RawQuery != "integrationId=659ea5e42dd9f928ada3e451" || r.Body != "" {
		t.Errorf("request %s %s?%s %q", r.Method, r.Path, r.RawQuery, r.Body)
	}
	if out.Type != OutgoingType || out.Event != "sendMessage" || out.Token != "OUTGOING-token-s3cr3t" {
		t.Errorf("integration %+v", out)
	}
	if strings.Join(out.Channels, ",") != "#general,@bob" || strings.Join(out.URLs, ",") != "https://text2gif.guggy.com/guggify" ||
		strings.Join(out.TriggerWords, ",") != "!guggy" {
		t.Errorf("lists %q %q %q", out.Channels, out.URLs, out.TriggerWords)
	}
	if out.RetryCount == nil || *out.RetryCount != 4 || out.RetryDelay == nil || *out.RetryDelay != "powers-of-ten" ||
		out.RetryFailedCalls == nil || !*out.RetryFailedCalls || out.RunOnEdits == nil || !*out.RunOnEdits ||
		out.ImpersonateUser == nil || *out.ImpersonateUser || out.TriggerWordAnywhere == nil || *out.TriggerWordAnywhere ||
		out.TargetRoom == nil || *out.TargetRoom != "" {
		t.Errorf("outgoing fields %+v %+v", out.OutgoingTrigger, out.OutgoingDelivery)
	}
	if out.Alias == nil || *out.Alias != "Guggy" || out.Avatar == nil || out.Emoji == nil || *out.Emoji != ":ghost:" {
		t.Errorf("alias/avatar/emoji %v %v %v", out.Alias, out.Avatar, out.Emoji)
	}
	if out.ScriptError == nil || out.ScriptError.Name != "SyntaxError" || out.SkipTranspile == nil || *out.SkipTranspile {
		t.Errorf("script error %+v skip %v", out.ScriptError, out.SkipTranspile)
	}
}

func TestIntegrationTolerantDecoding(t *testing.T) {
	var in Integration
	doc := `{"_id":"a","type":"webhook-outgoing","channel":"#a, #b,","retryCount":"5","_createdAt":{"$date":1704895927739},"urls":null}`
	if err := json.Unmarshal([]byte(doc), &in); err != nil {
		t.Fatal(err)
	}
	if strings.Join(in.Channels, "|") != "#a|#b" || in.RetryCount == nil || *in.RetryCount != 5 || in.URLs != nil {
		t.Errorf("decoded %+v", in)
	}
	if want := time.UnixMilli(1704895927739).UTC(); !in.CreatedAt.Equal(want) {
		t.Errorf("created at %s", in.CreatedAt)
	}
	// Round trip keeps Rocket.Chat's names; channels come out as a request
	// sends them.
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{`"_id":"a"`, `"channel":"#a,#b"`, `"retryCount":5`, `"_createdAt":"2024-01-10T14:12:07.739Z"`} {
		if !strings.Contains(string(b), key) {
			t.Errorf("marshalled %s lacks %s", b, key)
		}
	}
}

func TestIntegrationCreatedAtForms(t *testing.T) {
	want := time.UnixMilli(1704895927739).UTC()
	tests := []struct {
		name, createdAt string
	}{
		{"ISO string", `"2024-01-10T14:12:07.739Z"`},
		{"epoch milliseconds", `1704895927739`},
		{"extended JSON, milliseconds", `{"$date":1704895927739}`},
		{"extended JSON, ISO string", `{"$date":"2024-01-10T14:12:07.739Z"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var in Integration
			if err := json.Unmarshal([]byte(`{"_id":"a","_createdAt":`+tt.createdAt+`}`), &in); err != nil {
				t.Fatal(err)
			}
			if !in.CreatedAt.Equal(want) {
				t.Errorf("created at %s, want %s", in.CreatedAt, want)
			}
		})
	}
	var in Integration
	if err := json.Unmarshal([]byte(`{"_id":"a","_createdAt":true}`), &in); err == nil {
		t.Error("a boolean _createdAt decoded")
	}
}

func TestRemoveIntegration(t *testing.T) {
	for _, typ := range []IntegrationType{IncomingType, OutgoingType} {
		srv := newScripted(t, reply(200, `{"integration":`+outgoingDoc+`,"success":true}`))
		env := newTestClient(t, srv.URL)
		got, err := env.c.RemoveIntegration(context.Background(), typ, "659ea5e42dd9f928ada3e451")
		if err != nil {
			t.Fatal(err)
		}
		if got.ID != "659ea5e42dd9f928ada3e451" {
			t.Errorf("removed %+v", got)
		}
		r := srv.requests()[0]
		want := `{"type":"` + string(typ) + `","integrationId":"659ea5e42dd9f928ada3e451"}`
		if r.Method != "POST" || r.Path != "/api/v1/integrations.remove" || r.Body != want {
			t.Errorf("request %s %s %s, want body %s", r.Method, r.Path, r.Body, want)
		}
	}
}

func TestArgumentChecksNeedNoServer(t *testing.T) {
	srv := newScripted(t, reply(500, `{}`))
	env := newTestClient(t, srv.URL)
	ctx := context.Background()
	checks := []error{
		func() error { _, err := env.c.RemoveIntegration(ctx, "webhook-incoming-x", "id"); return err }(),
		func() error { _, err := env.c.RemoveIntegration(ctx, IncomingType, " "); return err }(),
		func() error { _, err := env.c.GetIntegration(ctx, ""); return err }(),
		func() error {
			_, err := env.c.UpdateIntegration(ctx, "", &IncomingIntegrationRequest{})
			return err
		}(),
		func() error { _, err := env.c.CreateIntegration(ctx, nil); return err }(),
		func() error { _, err := env.c.CreateIntegration(ctx, (*OutgoingIntegrationRequest)(nil)); return err }(),
		func() error { _, err := env.c.ListIntegrations(ctx, ListOptions{Offset: -1}); return err }(),
	}
	for i, err := range checks {
		if err == nil {
			t.Errorf("check %d: no error", i)
		}
	}
	if srv.count() != 0 {
		t.Errorf("server saw %d requests", srv.count())
	}
}

func TestListIntegrations(t *testing.T) {
	srv := newScripted(t, reply(200, `{"integrations":[`+incomingDoc+`,`+outgoingDoc+`],"offset":10,"items":2,"count":2,"total":12,"success":true}`))
	env := newTestClient(t, srv.URL)
	page, err := env.c.ListIntegrations(context.Background(), ListOptions{Offset: 10, Count: 2, Name: "gug gy&", Type: OutgoingType})
	if err != nil {
		t.Fatal(err)
	}
	r := srv.requests()[0]
	q, _ := url.ParseQuery(r.RawQuery)
	if r.Method != "GET" || r.Path != "/api/v1/integrations.list" {
		t.Errorf("request %s %s", r.Method, r.Path)
	}
	want := url.Values{"offset": {"10"}, "count": {"2"}, "name": {"gug gy&"}, "type": {"webhook-outgoing"}, "sort": {`{"_id":1}`}}
	if q.Encode() != want.Encode() {
		t.Errorf("query %s, want %s", q.Encode(), want.Encode())
	}
	if page.Offset != 10 || page.Count != 2 || page.Total != 12 || len(page.Integrations) != 2 || page.Integrations[1].Event != "sendMessage" {
		t.Errorf("page %+v", page)
	}

	srv2 := newScripted(t, reply(200, `{"integrations":[],"offset":0,"items":0,"total":0,"success":true}`))
	env2 := newTestClient(t, srv2.URL)
	page, err = env2.c.ListIntegrations(context.Background(), ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if q := srv2.requests()[0].RawQuery; q != "offset=0&sort=%7B%22_id%22%3A1%7D" {
		t.Errorf("query %q: count=0 would mean no limit, and empty filters are not sent", q)
	}
	if page.Integrations == nil || page.Count != 0 {
		t.Errorf("page %+v", page)
	}
}

// listServer serves integrations.list over a slice that a test may change
// between pages; cap limits the page size like API_Upper_Count_Limit.
type listServer struct {
	mu        sync.Mutex
	items     []string
	cap       int
	ignoreOff bool
	onPage    func(n int)
	pages     int
	queries   []url.Values
}

func (l *listServer) handler(w http.ResponseWriter, r *http.Request) {
	l.mu.Lock()
	q := r.URL.Query()
	l.queries = append(l.queries, q)
	for k := range q {
		switch k {
		case "count", "offset", "sort", "name", "type", "query":
		default:
			l.mu.Unlock()
			reply(400, `{"success":false,"error":"must NOT have additional properties [invalid-params]","errorType":"invalid-params"}`)(w, r)
			return
		}
	}
	off, _ := strconv.Atoi(q.Get("offset"))
	if l.ignoreOff {
		off = 0
	}
	count, _ := strconv.Atoi(q.Get("count"))
	if count == 0 || count > l.cap {
		count = l.cap
	}
	var docs []string
	for i := off; i < len(l.items) && i < off+count; i++ {
		docs = append(docs, fmt.Sprintf(`{"_id":%q,"type":"webhook-incoming","name":%q,"channel":["#general"],"_createdAt":"2024-01-10T14:12:07.739Z"}`, l.items[i], "n-"+l.items[i]))
	}
	body := fmt.Sprintf(`{"integrations":[%s],"offset":%d,"items":%d,"count":%d,"total":%d,"success":true}`, strings.Join(docs, ","), off, len(docs), len(docs), len(l.items))
	l.pages++
	n := l.pages
	l.mu.Unlock()
	reply(200, body)(w, r)
	if l.onPage != nil {
		l.onPage(n)
	}
}

func ids(n int, prefix string) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("%s%03d", prefix, i)
	}
	return out
}

func TestListAllIntegrations(t *testing.T) {
	tests := []struct {
		name      string
		ls        *listServer
		change    func(ls *listServer, page int)
		wantLen   int
		wantPages int
	}{
		{name: "250 in pages of 100", ls: &listServer{items: ids(250, "a"), cap: 100}, wantLen: 250, wantPages: 3},
		{name: "exactly 200", ls: &listServer{items: ids(200, "a"), cap: 100}, wantLen: 200, wantPages: 2},
		{name: "none", ls: &listServer{items: nil, cap: 100}, wantLen: 0, wantPages: 1},
		{name: "server caps pages at 50", ls: &listServer{items: ids(120, "a"), cap: 50}, wantLen: 120, wantPages: 3},
		{
			name: "an integration created at the front while paging",
			ls:   &listServer{items: ids(150, "a"), cap: 100},
			change: func(ls *listServer, page int) {
				if page == 1 {
					ls.items = append([]string{"new"}, ls.items...)
				}
			},
			// The shifted item comes again and is dropped; "new" is missed
			// because it sits before the offset, as with any offset paging.
			wantLen: 150, wantPages: 2,
		},
		{
			name: "integrations deleted while paging: stop at an empty page",
			ls:   &listServer{items: ids(150, "a"), cap: 100},
			change: func(ls *listServer, page int) {
				if page == 1 {
					ls.items = ls.items[:100]
				}
			},
			wantLen: 100, wantPages: 2,
		},
		{name: "server ignores offset", ls: &listServer{items: ids(150, "a"), cap: 100, ignoreOff: true}, wantLen: 100, wantPages: 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ls := tt.ls
			if tt.change != nil {
				ls.onPage = func(n int) {
					ls.mu.Lock()
					defer ls.mu.Unlock()
					tt.change(ls, n)
				}
			}
			srv := newScripted(t, ls.handler)
			env := newTestClient(t, srv.URL)
			all, err := env.c.ListAllIntegrations(context.Background(), ListOptions{Type: IncomingType, Name: "n-", Offset: 7, Count: 3})
			if err != nil {
				t.Fatal(err)
			}
			if len(all) != tt.wantLen {
				t.Errorf("got %d integrations, want %d", len(all), tt.wantLen)
			}
			seen := map[string]bool{}
			for _, in := range all {
				if seen[in.ID] {
					t.Errorf("duplicate %s", in.ID)
				}
				seen[in.ID] = true
			}
			if srv.count() != tt.wantPages {
				t.Errorf("%d pages read, want %d", srv.count(), tt.wantPages)
			}
			for _, q := range ls.queries {
				if q.Get("count") != "100" || q.Get("type") != "webhook-incoming" || q.Get("name") != "n-" {
					t.Errorf("query %v", q)
				}
			}
		})
	}
}

// TestIntegrationsStopsEarly stops consuming the sequence at various points:
// no page is read beyond the one that holds the last integration taken.
func TestIntegrationsStopsEarly(t *testing.T) {
	tests := []struct {
		take      int
		wantPages int
	}{
		{take: 1, wantPages: 1},
		{take: 100, wantPages: 1},
		{take: 101, wantPages: 2},
		{take: 250, wantPages: 3},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.take), func(t *testing.T) {
			ls := &listServer{items: ids(250, "a"), cap: 100}
			srv := newScripted(t, ls.handler)
			env := newTestClient(t, srv.URL)
			var got []string
			for in, err := range env.c.Integrations(context.Background(), ListOptions{}) {
				if err != nil {
					t.Fatal(err)
				}
				got = append(got, in.ID)
				if len(got) == tt.take {
					break
				}
			}
			if len(got) != tt.take || got[len(got)-1] != ids(250, "a")[tt.take-1] {
				t.Errorf("took %d, the last %s", len(got), got[len(got)-1])
			}
			if srv.count() != tt.wantPages {
				t.Errorf("%d pages read, want %d", srv.count(), tt.wantPages)
			}
		})
	}
}

// TestIntegrationsYieldsError ends the sequence with the error of a page.
func TestIntegrationsYieldsError(t *testing.T) {
	srv := newScripted(t, reply(403, `{"success":false,"error":"User does not have the permissions required for this action [error-unauthorized]"}`))
	env := newTestClient(t, srv.URL)
	n := 0
	var last error
	for _, err := range env.c.Integrations(context.Background(), ListOptions{}) {
		n++
		last = err
	}
	if n != 1 || last == nil {
		t.Errorf("%d values, the last error %v; want one, an error", n, last)
	}
}

func TestCreateWithoutIntegrationInAnswer(t *testing.T) {
	srv := newScripted(t, reply(200, `{"success":true}`))
	env := newTestClient(t, srv.URL)
	_, err := env.c.CreateIntegration(context.Background(), &IncomingIntegrationRequest{})
	mustErr(t, err)
	if !errors.Is(err, ErrOutcomeUnknown) {
		t.Errorf("err = %v, want ErrOutcomeUnknown", err)
	}
}
