package client

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestLookupsAnswerWithoutDocument covers answers that succeed but lack the
// document asked for: they are errors naming the endpoint, never a nil room
// or user the caller would take for one that exists.
func TestLookupsAnswerWithoutDocument(t *testing.T) {
	cases := []struct {
		name, body, want string
		get              func(*Client) (any, error)
	}{
		{"room missing", `{"success":true}`, "rooms.info answered without a room",
			func(c *Client) (any, error) { return c.RoomInfo(context.Background(), "general", false) }},
		{"room null", `{"room":null,"success":true}`, "rooms.info answered without a room",
			func(c *Client) (any, error) { return c.RoomInfo(context.Background(), "GENERAL", true) }},
		{"room of the wrong shape", `{"room":"general","success":true}`, "decoding the room in the answer of rooms.info",
			func(c *Client) (any, error) { return c.RoomInfo(context.Background(), "general", false) }},
		{"user missing", `{"success":true}`, "users.info answered without a user",
			func(c *Client) (any, error) { return c.UserInfo(context.Background(), "rocket.cat", false) }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				_, _ = w.Write([]byte(tc.body))
			}))
			defer srv.Close()
			got, err := tc.get(newTestClient(t, srv.URL).c)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, %v; want an error containing %q", got, err, tc.want)
			}
		})
	}
}

// TestLookupQueries pins the query parameters each look-up sends.
func TestLookupQueries(t *testing.T) {
	cases := []struct {
		name, want string
		get        func(*Client) error
	}{
		{"room by name", "/api/v1/rooms.info?roomName=general", func(c *Client) error { _, err := c.RoomInfo(context.Background(), "general", false); return err }},
		{"room by id", "/api/v1/rooms.info?roomId=GENERAL", func(c *Client) error { _, err := c.RoomInfo(context.Background(), "GENERAL", true); return err }},
		{"user by name", "/api/v1/users.info?username=rocket.cat", func(c *Client) error { _, err := c.UserInfo(context.Background(), "rocket.cat", false); return err }},
		{"user by id", "/api/v1/users.info?userId=rocket.cat", func(c *Client) error { _, err := c.UserInfo(context.Background(), "rocket.cat", true); return err }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var seen string
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				seen = r.URL.RequestURI()
				w.Header().Set("Content-Type", "application/json")
				_, _ = w.Write([]byte(`{"room":{"_id":"GENERAL","t":"c"},"user":{"_id":"x","username":"rocket.cat"},"success":true}`))
			}))
			defer srv.Close()
			if err := tc.get(newTestClient(t, srv.URL).c); err != nil {
				t.Fatal(err)
			}
			if seen != tc.want {
				t.Errorf("asked %s, want %s", seen, tc.want)
			}
		})
	}
}
