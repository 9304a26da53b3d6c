package client

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestNewValidatesConfig(t *testing.T) {
	tests := []struct {
		name    string
		cfg     Config
		wantErr string
	}{
		{"token auth", Config{URL: "https://chat.example.com", UserID: "u", AuthToken: "t"}, ""},
		{"password auth", Config{URL: "https://chat.example.com", Username: "u", Password: "p"}, ""},
		{"no credentials", Config{URL: "https://chat.example.com"}, "no credentials"},
		{"both methods", Config{URL: "https://chat.example.com", UserID: "u", AuthToken: "t", Username: "u", Password: "p"}, "not both"},
		{"token without user id", Config{URL: "https://chat.example.com", AuthToken: "t"}, "needs the user ID"},
		{"user id without token", Config{URL: "https://chat.example.com", UserID: "u"}, "needs an auth token"},
		{"password without username", Config{URL: "https://chat.example.com", Password: "p"}, "needs a username"},
		{"username without password", Config{URL: "https://chat.example.com", Username: "u"}, "needs a password"},
		{"empty URL", Config{UserID: "u", AuthToken: "t"}, "URL is empty"},
		{"relative URL", Config{URL: "chat.example.com", UserID: "u", AuthToken: "t"}, "it has no scheme (it must start with https:// or http://); did you mean http://chat.example.com or https://chat.example.com?"},
		{"host and port without scheme", Config{URL: "127.0.0.1:3000", UserID: "u", AuthToken: "t"}, "it has no scheme (it must start with https:// or http://); did you mean http://127.0.0.1:3000 or https://127.0.0.1:3000?"},
		{"no scheme, a secret in the query", Config{URL: "chat.example.com/?token=hunter2", UserID: "u", AuthToken: "t"}, "it has no scheme (it must start with https:// or http://); give the server's base URL, such as https://chat.example.com"},
		{"no scheme, user info", Config{URL: "admin:hunter2@chat.example.com", UserID: "u", AuthToken: "t"}, "it has no scheme"},
		{"other scheme", Config{URL: "ftp://chat.example.com", UserID: "u", AuthToken: "t"}, "its scheme is ftp, not http or https"},
		{"no host", Config{URL: "https://", UserID: "u", AuthToken: "t"}, "has no host"},
		{"query", Config{URL: "https://chat.example.com/?a=hunter2", UserID: "u", AuthToken: "t"}, "must not have a query (?…) or a fragment (#…)"},
		{"fragment", Config{URL: "https://chat.example.com/#hunter2", UserID: "u", AuthToken: "t"}, "must not have a query (?…) or a fragment (#…)"},
		{"user info", Config{URL: "https://admin:hunter2@chat.example.com", UserID: "u", AuthToken: "t"}, "user info"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := New(tt.cfg)
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("New: %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("New error = %v, want it to contain %q", err, tt.wantErr)
			}
			if strings.Contains(err.Error(), "hunter2") {
				t.Errorf("error shows the secret in the URL: %v", err)
			}
		})
	}
}

func TestURLNormalisation(t *testing.T) {
	tests := map[string]string{
		"https://chat.example.com":          "https://chat.example.com",
		"https://chat.example.com/":         "https://chat.example.com",
		"https://chat.example.com//":        "https://chat.example.com",
		"  HTTPS://chat.example.com:8443/ ": "https://chat.example.com:8443",
		"http://10.0.0.1:3000/chat/":        "http://10.0.0.1:3000/chat",
	}
	for in, want := range tests {
		c, err := New(Config{URL: in, UserID: "u", AuthToken: "t"})
		if err != nil {
			t.Fatalf("New(%q): %v", in, err)
		}
		if got := c.URL(); got != want {
			t.Errorf("URL() for %q = %q, want %q", in, got, want)
		}
	}
}

func TestWebhookURLAndUserID(t *testing.T) {
	c, err := New(Config{URL: "https://chat.example.com/", UserID: "u1", AuthToken: "t"})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := c.WebhookURL("659ea5b72dd9f928ada3e43e", "XuHp73Mcc"), "https://chat.example.com/hooks/659ea5b72dd9f928ada3e43e/XuHp73Mcc"; got != want {
		t.Errorf("WebhookURL = %q, want %q", got, want)
	}
	if got := c.UserID(); got != "u1" {
		t.Errorf("UserID = %q", got)
	}
	pc, err := New(Config{URL: "https://chat.example.com", Username: "u", Password: "p"})
	if err != nil {
		t.Fatal(err)
	}
	if got := pc.UserID(); got != "" {
		t.Errorf("UserID before login = %q, want empty", got)
	}
}

func TestDefaults(t *testing.T) {
	c, err := New(Config{URL: "https://chat.example.com", UserID: "u", AuthToken: "t"})
	if err != nil {
		t.Fatal(err)
	}
	want := RetryPolicy{MaxAttempts: 5, MinBackoff: 500 * time.Millisecond, MaxBackoff: 30 * time.Second, MaxElapsed: 5 * time.Minute}
	if c.retry != want {
		t.Errorf("retry = %+v, want %+v", c.retry, want)
	}
	if c.timeout != 30*time.Second || c.userAgent != "terraform-provider-rocketchat" {
		t.Errorf("timeout %s, user agent %q", c.timeout, c.userAgent)
	}
}

func TestHeaders(t *testing.T) {
	srv := newScripted(t, reply(200, `{"integration":{"_id":"x","type":"webhook-incoming"},"success":true}`))
	ua := "terraform-provider-rocketchat/1.2.3 (+https://registry.terraform.io/providers/terraform-rocketchat/rocketchat) Terraform/1.9.0"
	env := newTestClient(t, srv.URL, func(c *Config) { c.UserAgent = ua })
	ctx := context.Background()
	if _, err := env.c.GetIntegration(ctx, "x"); err != nil {
		t.Fatal(err)
	}
	if _, err := env.c.RemoveIntegration(ctx, IncomingType, "x"); err != nil {
		t.Fatal(err)
	}
	reqs := srv.requests()
	for i, r := range reqs {
		for name, want := range map[string]string{
			"X-User-Id":    testUserID,
			"X-Auth-Token": testAuthToken,
			"User-Agent":   ua,
			"Accept":       "application/json",
		} {
			if got := r.Header.Get(name); got != want {
				t.Errorf("request %d: %s = %q, want %q", i, name, got, want)
			}
		}
	}
	if got := reqs[0].Header.Get("Content-Type"); got != "" {
		t.Errorf("GET without body has Content-Type %q", got)
	}
	if got := reqs[1].Header.Get("Content-Type"); got != "application/json" {
		t.Errorf("POST Content-Type = %q", got)
	}
}

func TestRedirectIsNotFollowed(t *testing.T) {
	other := newScripted(t, reply(200, `{"success":true}`))
	srv := newScripted(t, replyCT(http.StatusMovedPermanently, "text/html", "<html>moved</html>", "Location", other.URL+"/api/v1/me?token="+testAuthToken))
	env := newTestClient(t, srv.URL)
	_, err := env.c.Me(context.Background())
	mustErr(t, err)
	if other.count() != 0 {
		t.Fatal("the redirect was followed, carrying the credentials to another host")
	}
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 301 || apiErr.Location != other.URL+"/api/v1/me" {
		t.Fatalf("err = %#v", err)
	}
	if !strings.Contains(err.Error(), "redirects are not followed") {
		t.Errorf("message: %v", err)
	}
}
