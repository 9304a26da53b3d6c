package client

import (
	"context"
	"errors"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/terraform-rocketchat/terraform-provider-rocketchat/internal/rocketchattest"
)

// TestWebhookURLFollowsSiteURL builds webhook URLs as Rocket.Chat's UI does:
// on Site_Url, whatever address the client reaches the server at.
func TestWebhookURLFollowsSiteURL(t *testing.T) {
	cases := []struct {
		siteURL string
		want    string // with {base} for the client's URL
	}{
		{"https://chat.example.com", "https://chat.example.com/hooks/ID/TOKEN"},
		{"https://chat.example.com/", "https://chat.example.com/hooks/ID/TOKEN"},
		{"https://chat.example.com/rc", "https://chat.example.com/rc/hooks/ID/TOKEN"},
		{"HTTP://Chat.Example.com:8080/rc/", "HTTP://Chat.Example.com:8080/rc/hooks/ID/TOKEN"},
		{"chat.example.com", "http://chat.example.com/hooks/ID/TOKEN"},
		{"  https://chat.example.com  ", "https://chat.example.com/hooks/ID/TOKEN"},
		{"", "{base}/hooks/ID/TOKEN"},
	}
	for _, tc := range cases {
		t.Run(tc.siteURL, func(t *testing.T) {
			srv := rocketchattest.NewServer(rocketchattest.WithSiteURL(tc.siteURL))
			defer srv.Close()
			if tc.siteURL == "" {
				srv.SetSiteURL("")
			}
			c := fakeClient(t, srv, srv.Admin(), false)
			got, fromSiteURL := c.NewDirectory(nil, nil).WebhookURL(context.Background(), "ID", "TOKEN")
			if want := strings.ReplaceAll(tc.want, "{base}", srv.URL()); got != want || fromSiteURL != (tc.siteURL != "") {
				t.Errorf("Site_Url %q: webhook URL %q (from Site_Url: %t), want %q", tc.siteURL, got, fromSiteURL, want)
			}
		})
	}
	t.Run("unreadable Site_Url", func(t *testing.T) {
		s := newScripted(t, reply(http.StatusNotFound, `{"success":false}`))
		c := newTestClient(t, s.URL).c
		if got, fromSiteURL := c.NewDirectory(nil, nil).WebhookURL(context.Background(), "ID", "TOKEN"); got != s.URL+"/hooks/ID/TOKEN" || fromSiteURL {
			t.Errorf("webhook URL %q (from Site_Url: %t), want one on the client's URL", got, fromSiteURL)
		}
	})
	t.Run("read once per directory", func(t *testing.T) {
		s := newScripted(t, reply(http.StatusOK, `{"settings":[{"_id":"Site_Url","value":"https://chat.example.com"}],"success":true}`))
		d := newTestClient(t, s.URL).c.NewDirectory(nil, nil)
		for range 5 {
			d.WebhookURL(context.Background(), "ID", "TOKEN")
		}
		if n := s.count(); n != 1 {
			t.Errorf("%d settings.public calls, want 1", n)
		}
		if r := s.requests()[0]; r.Path != "/api/v1/settings.public" || r.RawQuery != "_id=Site_Url" || r.Header.Get("X-Auth-Token") != "" {
			t.Errorf("request %s?%s with token %q: want an anonymous settings.public for Site_Url", r.Path, r.RawQuery, r.Header.Get("X-Auth-Token"))
		}
	})
}

// TestLazySharesOneLoad loads a value once for concurrent callers, and does
// not keep a load abandoned by its caller.
func TestLazySharesOneLoad(t *testing.T) {
	var l lazy[int]
	var loads atomic.Int32
	release := make(chan struct{})
	load := func(context.Context) (int, error) {
		loads.Add(1)
		<-release
		return 7, nil
	}
	var wg sync.WaitGroup
	results := make([]int, 10)
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i], _ = l.get(context.Background(), load)
		}()
	}
	// End the load once it is under way; callers that come later share it
	// or find its value.
	for waiting := false; !waiting; {
		runtime.Gosched()
		l.mu.Lock()
		waiting = l.loading != nil && loads.Load() == 1
		l.mu.Unlock()
	}
	close(release)
	wg.Wait()
	for _, r := range results {
		if r != 7 {
			t.Fatalf("results %v", results)
		}
	}
	if n := loads.Load(); n != 1 {
		t.Errorf("%d loads for 10 concurrent callers, want 1", n)
	}

	var abandoned lazy[int]
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := abandoned.get(ctx, func(ctx context.Context) (int, error) { return 0, ctx.Err() }); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled load: %v", err)
	}
	v, err := abandoned.get(context.Background(), func(context.Context) (int, error) { return 3, nil })
	if v != 3 || err != nil {
		t.Errorf("after a cancelled load: %d, %v; want the value loaded again", v, err)
	}
}

// TestLookupsCostOneCallEach looks up the same rooms and users many times
// in one run: each distinct one costs its calls once, a user named both as
// post-as user and as "@x" target included, and Rocket.Chat 8, which
// matches username= against _id too, is not asked twice.
func TestLookupsCostOneCallEach(t *testing.T) {
	srv := rocketchattest.NewServer(rocketchattest.WithoutRateLimit()) // three runs in one window
	defer srv.Close()
	c := fakeClient(t, srv, srv.Owner(), false)
	ctx := context.Background()
	var d *Directory
	for _, tc := range []struct {
		server    *ServerInfo
		usersInfo int
	}{
		{nil, 3},                              // nobody: by username, then by _id
		{&ServerInfo{Major: 7, Minor: 10}, 3}, // the same before 8
		{&ServerInfo{Major: 8, Minor: 8}, 2},
	} {
		before := map[string]int{}
		for _, ep := range []string{rocketchattest.EndpointSubscriptionsGet, rocketchattest.EndpointRoomsInfo, rocketchattest.EndpointUsersInfo} {
			before[ep] = srv.Requests(ep)
		}
		d = c.NewDirectory(nil, tc.server)
		for range 20 {
			d.Room(ctx, "general") // a membership: no rooms.info
			d.Room(ctx, "random")  // not a member: rooms.info by name
			d.Room(ctx, "nope")    // by name, then by _id
			d.User(ctx, "rocket.cat", false)
			d.User(ctx, "nobody", true)
			d.User(ctx, "nobody", false)
		}
		for ep, want := range map[string]int{
			rocketchattest.EndpointSubscriptionsGet: 1,
			rocketchattest.EndpointRoomsInfo:        3,
			rocketchattest.EndpointUsersInfo:        tc.usersInfo,
		} {
			if got := srv.Requests(ep) - before[ep]; got != want {
				t.Errorf("server %v: %s: %d calls, want %d", tc.server, ep, got, want)
			}
		}
		if u := d.User(ctx, "nobody", true); u.Exists != No {
			t.Errorf("server %v: @nobody: %+v", tc.server, u)
		}
	}
	if r := d.Room(ctx, "random"); r.Exists != Yes || r.Member != No || r.Type != "c" {
		t.Errorf("#random: %+v", r)
	}
	if r := d.Room(ctx, "secret"); r.Exists != Yes || !r.Hidden || r.Member != No {
		t.Errorf("#secret: %+v", r)
	}
	if r := d.Room(ctx, "nope"); r.Exists != No {
		t.Errorf("#nope: %+v", r)
	}
}

// TestLookupsOfOddAnswers reads answers this server never gives but others
// may: a success without the object asked for, an error known only by the
// "[type]" at the end of its text, a setting that is no string, an
// invitation in place of a membership.
func TestLookupsOfOddAnswers(t *testing.T) {
	ctx := context.Background()
	t.Run("success without the object", func(t *testing.T) {
		s := newScripted(t, reply(200, `{"success":true}`))
		c := newTestClient(t, s.URL).c
		if _, err := c.RoomInfo(ctx, "general", false); err == nil {
			t.Error("rooms.info without a room accepted")
		}
		if _, err := c.UserInfo(ctx, "rocket.cat", false); err == nil {
			t.Error("users.info without a user accepted")
		}
	})
	t.Run("the error type only in the text", func(t *testing.T) {
		s := newScripted(t, reply(400, `{"success":false,"error":"no such room [error-room-not-found]"}`))
		_, err := newTestClient(t, s.URL).c.RoomInfo(ctx, "general", false)
		if !IsRoomNotFound(err) || IsRoomHidden(err) {
			t.Errorf("%v: not recognised as a missing room", err)
		}
		for _, body := range []string{`{"success":false,"error":"not-allowed","errorType":"Not Allowed"}`, `{"success":false,"error":"x","errorType":"error-room-archived"}`} {
			s := newScripted(t, reply(400, body))
			if _, err := newTestClient(t, s.URL).c.RoomInfo(ctx, "x", true); !IsRoomHidden(err) || IsRoomNotFound(err) {
				t.Errorf("%s: not recognised as a hidden room: %v", body, err)
			}
		}
		s = newScripted(t, reply(403, `{"success":false,"error":"not-allowed"}`))
		if _, err := newTestClient(t, s.URL).c.RoomInfo(ctx, "x", true); IsRoomHidden(err) {
			t.Error("a 403 taken for a hidden room")
		}
	})
	t.Run("Site_Url that is no string", func(t *testing.T) {
		s := newScripted(t, reply(200, `{"settings":[{"_id":"Site_Url","value":42}],"success":true}`))
		c := newTestClient(t, s.URL).c
		if got, fromSiteURL := c.NewDirectory(nil, nil).WebhookURL(ctx, "I", "T"); got != s.URL+"/hooks/I/T" || fromSiteURL {
			t.Errorf("webhook URL %q (from Site_Url: %t)", got, fromSiteURL)
		}
	})
	t.Run("an invitation is no membership", func(t *testing.T) {
		s := newScripted(t, reply(200, `{"update":[{"_id":"s1","rid":"R1","name":"ops","t":"p","status":"INVITED"},{"_id":"s2","rid":"R2","name":"dev","t":"c"}],"remove":[],"success":true}`))
		d := newTestClient(t, s.URL).c.NewDirectory(nil, nil)
		if r := d.Room(ctx, "ops"); r.Exists != Yes || r.Member != Unknown || !errors.Is(r.Err, errInvited) {
			t.Errorf("#ops: %+v", r)
		}
		if m := d.IsMemberOfRoomWithID(ctx, "R1"); m != Unknown {
			t.Errorf("R1: %v", m)
		}
		if m := d.IsMemberOfRoomWithID(ctx, "R2"); m != Yes {
			t.Errorf("R2: %v", m)
		}
		if m := d.IsMemberOfRoomWithID(ctx, "R3"); m != No {
			t.Errorf("R3: %v", m)
		}
	})
	t.Run("the caller read when not given", func(t *testing.T) {
		s := newScripted(t, reply(200, `{"_id":"u1","username":"who","roles":["user"],"success":true}`))
		d := newTestClient(t, s.URL).c.NewDirectory(nil, nil)
		if u, err := d.Caller(ctx); err != nil || u.Username != "who" {
			t.Fatalf("caller %+v, %v", u, err)
		}
		f := d.Fresh()
		if f.caller.val == nil || f.caller.val.Username != "who" {
			t.Error("a fresh directory forgot the caller")
		}
		if d.Fresh() != f {
			t.Error("two refusals of a run got two fresh directories, which look everything up twice")
		}
	})
}
