package client

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

const meBody = `{"_id":"uid-1234567890","username":"admin","name":"Admin","emails":[{"address":"a@example.com","verified":true}],
"status":"online","active":true,"roles":["user","admin"],"type":"user","avatarUrl":"https://x/avatar/admin","settings":{},"success":true}`

func loginAnswer(token string) string {
	return `{"status":"success","data":{"userId":"uid-login","authToken":"` + token + `","me":{"_id":"uid-login","username":"terraform","roles":["user"],"active":true}},"success":true}`
}

// authServer serves /api/v1/login and /api/v1/me, handing out the given
// tokens in turn and accepting only tokens not revoked.
type authServer struct {
	mu      sync.Mutex
	tokens  []string
	issued  int
	revoked map[string]bool
	logins  atomic.Int32
	mes     atomic.Int32
	delay   time.Duration
	failMe  bool // answer /me with 401 always
	// arrived, when set, is told of every login request; release, when
	// set, holds each login until it is closed.
	arrived chan struct{}
	release chan struct{}
}

func (a *authServer) handler(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case "/api/v1/login":
		a.logins.Add(1)
		if a.arrived != nil {
			a.arrived <- struct{}{}
		}
		if a.release != nil {
			<-a.release
		}
		time.Sleep(a.delay)
		var body map[string]string
		_ = json.NewDecoder(r.Body).Decode(&body)
		if body["user"] != testUsername || body["password"] != testPassword {
			reply(401, `{"success":false,"error":"Unauthorized","status":"error","message":"Unauthorized"}`)(w, r)
			return
		}
		a.mu.Lock()
		tok := a.tokens[min(a.issued, len(a.tokens)-1)]
		a.issued++
		a.mu.Unlock()
		reply(200, loginAnswer(tok))(w, r)
	case "/api/v1/me":
		a.mes.Add(1)
		a.mu.Lock()
		ok := !a.failMe && r.Header.Get("X-User-Id") == "uid-login" && !a.revoked[r.Header.Get("X-Auth-Token")] && r.Header.Get("X-Auth-Token") != ""
		a.mu.Unlock()
		if !ok {
			reply(401, `{"success":false,"error":"You must be logged in to do this.","status":"error","message":"You must be logged in to do this."}`)(w, r)
			return
		}
		reply(200, meBody)(w, r)
	default:
		reply(404, `{"success":false,"error":"no route"}`)(w, r)
	}
}

func TestLogin(t *testing.T) {
	as := &authServer{tokens: []string{"LOGIN-token-s3cr3t-1"}}
	srv := newScripted(t, as.handler)
	env := newTestClient(t, srv.URL, withPassword)
	res, err := env.c.loginShared(context.Background(), true)
	if err != nil {
		t.Fatal(err)
	}
	if res.UserID != "uid-login" || res.AuthToken != "LOGIN-token-s3cr3t-1" {
		t.Errorf("login result %+v", res)
	}
	if env.c.UserID() != "uid-login" {
		t.Errorf("UserID() = %q", env.c.UserID())
	}
	r := srv.requests()[0]
	if r.Method != "POST" || r.Path != "/api/v1/login" || r.Header.Get("X-Auth-Token") != "" || r.Header.Get("Content-Type") != "application/json" {
		t.Errorf("login request %s %s %v", r.Method, r.Path, r.Header)
	}
	if want := `{"user":"terraform","password":"pa$$w\"rd<&>-s3cr3t"}`; r.Body != want {
		t.Errorf("login body %s, want %s", r.Body, want)
	}
	// Later calls use the token without logging in again.
	if _, err := env.c.Me(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n := as.logins.Load(); n != 1 {
		t.Errorf("%d logins", n)
	}
	me := srv.requests()[1]
	if me.Header.Get("X-User-Id") != "uid-login" || me.Header.Get("X-Auth-Token") != "LOGIN-token-s3cr3t-1" {
		t.Errorf("me headers %v", me.Header)
	}
}

func TestLoginFailure(t *testing.T) {
	as := &authServer{tokens: []string{"LOGIN-token-s3cr3t-1"}}
	srv := newScripted(t, as.handler)
	env := newTestClient(t, srv.URL, func(c *Config) { withPassword(c); c.Password = "wrong-" + testPassword })
	_, err := env.c.Me(context.Background())
	mustErr(t, err)
	if strings.Contains(err.Error(), "wrong-") {
		t.Errorf("error shows the password: %v", err)
	}
	if !IsUnauthorized(err) || !strings.Contains(err.Error(), `logging in to Rocket.Chat as "terraform"`) {
		t.Errorf("err = %v", err)
	}
	if as.mes.Load() != 0 || as.logins.Load() != 1 {
		t.Errorf("me %d, logins %d", as.mes.Load(), as.logins.Load())
	}
}

func TestConcurrentCallsShareOneLogin(t *testing.T) {
	as := &authServer{tokens: []string{"LOGIN-token-s3cr3t-1"}, delay: 50 * time.Millisecond}
	srv := newScripted(t, as.handler)
	env := newTestClient(t, srv.URL, withPassword)
	var wg sync.WaitGroup
	errs := make(chan error, 50)
	for range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := env.c.Me(context.Background()); err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if n := as.logins.Load(); n != 1 {
		t.Errorf("%d login requests, want 1", n)
	}
	if n := as.mes.Load(); n != 50 {
		t.Errorf("%d me requests, want 50", n)
	}
}

func TestCancelledLoginDoesNotFailOthers(t *testing.T) {
	as := &authServer{tokens: []string{"LOGIN-token-s3cr3t-1"}, arrived: make(chan struct{}, 2), release: make(chan struct{})}
	srv := newScripted(t, as.handler)
	env := newTestClient(t, srv.URL, withPassword)
	joined := make(chan struct{}, 1)
	env.c.joinedLogin = func() { joined <- struct{}{} }
	ctx, cancel := context.WithCancel(context.Background())
	first := make(chan error, 1)
	go func() { _, err := env.c.Me(ctx); first <- err }()
	<-as.arrived // the first call now runs the login
	second := make(chan error, 1)
	go func() { _, err := env.c.Me(context.Background()); second <- err }()
	<-joined // the second call waits for that login
	cancel()
	close(as.release)
	if err := <-first; !errors.Is(err, context.Canceled) {
		t.Errorf("first call: %v", err)
	}
	if err := <-second; err != nil {
		t.Errorf("second call failed with the first call's cancellation: %v", err)
	}
}

func TestReloginAfter401(t *testing.T) {
	as := &authServer{tokens: []string{"LOGIN-token-s3cr3t-1", "LOGIN-token-s3cr3t-2"}, revoked: map[string]bool{}}
	srv := newScripted(t, as.handler)
	env := newTestClient(t, srv.URL, withPassword)
	ctx := context.Background()
	if _, err := env.c.Me(ctx); err != nil {
		t.Fatal(err)
	}
	as.mu.Lock()
	as.revoked["LOGIN-token-s3cr3t-1"] = true
	as.mu.Unlock()
	if _, err := env.c.Me(ctx); err != nil {
		t.Fatalf("call after the token was revoked: %v", err)
	}
	if as.logins.Load() != 2 || as.mes.Load() != 3 {
		t.Errorf("logins %d, me %d; want 2 and 3", as.logins.Load(), as.mes.Load())
	}
	if got := srv.requests()[4].Header.Get("X-Auth-Token"); got != "LOGIN-token-s3cr3t-2" {
		t.Errorf("retry used token %q", got)
	}

	// A 401 that persists after the fresh login is returned, after one retry.
	as.mu.Lock()
	as.failMe = true
	as.mu.Unlock()
	_, err := env.c.Me(ctx)
	mustErr(t, err)
	if !IsUnauthorized(err) {
		t.Errorf("err = %v", err)
	}
	if as.logins.Load() != 3 || as.mes.Load() != 5 {
		t.Errorf("logins %d, me %d; want 3 and 5", as.logins.Load(), as.mes.Load())
	}
}

func TestTokenAuth401IsAnError(t *testing.T) {
	srv := newScripted(t, reply(401, `{"success":false,"error":"You must be logged in to do this.","status":"error","message":"You must be logged in to do this."}`))
	env := newTestClient(t, srv.URL)
	_, err := env.c.Me(context.Background())
	mustErr(t, err)
	if !IsUnauthorized(err) || srv.count() != 1 {
		t.Errorf("err %v after %d requests", err, srv.count())
	}
}

func TestMe(t *testing.T) {
	srv := newScripted(t, reply(200, meBody))
	env := newTestClient(t, srv.URL)
	u, err := env.c.Me(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if u.ID != "uid-1234567890" || u.Username != "admin" || !slices.Contains(u.Roles, "admin") {
		t.Errorf("user %+v", u)
	}
	if r := srv.requests()[0]; r.Method != "GET" || r.Path != "/api/v1/me" {
		t.Errorf("request %s %s", r.Method, r.Path)
	}
}

func TestInfo(t *testing.T) {
	tests := []struct {
		version             string
		major, minor, patch int
	}{
		{"8.8", 8, 8, 0},
		{"8.8.1", 8, 8, 1},
		{"7.10.0-rc.1", 7, 10, 0},
		{"v6.13.2", 6, 13, 2},
		{"nonsense", 0, 0, 0},
		{"", 0, 0, 0},
	}
	for _, tt := range tests {
		srv := newScripted(t, reply(200, `{"version":"`+tt.version+`","minimumClientVersions":{"desktop":"3.9.6","mobile":"4.39.0"},"success":true}`))
		env := newTestClient(t, srv.URL, withPassword)
		info, err := env.c.Info(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if info.Version != tt.version || info.Major != tt.major || info.Minor != tt.minor || info.Patch != tt.patch {
			t.Errorf("Info for %q = %+v", tt.version, info)
		}
		r := srv.requests()
		if len(r) != 1 || r[0].Path != "/api/info" || r[0].Method != "GET" || r[0].Header.Get("X-Auth-Token") != "" {
			t.Errorf("requests %+v", r)
		}
	}
	si := ServerInfo{Major: 8, Minor: 4}
	if !si.AtLeast(8, 4) || !si.AtLeast(7, 10) || si.AtLeast(8, 5) || si.AtLeast(9, 0) {
		t.Error("AtLeast is wrong")
	}
}
