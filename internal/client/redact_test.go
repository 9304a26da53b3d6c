package client

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

type step struct {
	status int
	body   string
}

func TestSecretsNeverReachErrors(t *testing.T) {
	incoming := extraSecrets[0]
	outgoing := extraSecrets[1]
	outgoingReq := &OutgoingIntegrationRequest{
		IntegrationBase: IntegrationBase{Name: "o", Enabled: true, Username: "rocket.cat", Channels: []string{"#general"}},
		OutgoingTrigger: OutgoingTrigger{Event: "sendMessage", URLs: []string{"https://x"}}, Token: ptr(outgoing),
	}
	ctx := context.Background()
	tests := []struct {
		name string
		opts []func(*Config)
		// steps are the server's answers, in order.
		steps []step
		run   func(c *Client) error
	}{
		{
			name:  "auth token in a JSON error, its details and message",
			steps: []step{{400, `{"success":false,"error":"bad token ` + testAuthToken + `","errorType":"x-` + testAuthToken + `","message":"` + testAuthToken + `","details":{"token":"` + testAuthToken + `","list":["` + testAuthToken + `"]}}`}},
			run:   func(c *Client) error { _, err := c.Me(ctx); return err },
		},
		{
			name:  "auth token in an HTML page",
			steps: []step{{502, "<html><!-- X-Auth-Token: " + testAuthToken + " --></html>"}},
			run:   func(c *Client) error { _, err := c.Me(ctx); return err },
		},
		{
			name:  "password echoed by a failed login, JSON-escaped",
			opts:  []func(*Config){withPassword},
			steps: []step{{401, `{"success":false,"error":"Unauthorized","message":"wrong password ` + strings.ReplaceAll(testPassword, `"`, `\"`) + `","status":"error"}`}},
			run:   func(c *Client) error { _, err := c.Me(ctx); return err },
		},
		{
			name:  "password echoed URL-encoded",
			opts:  []func(*Config){withPassword},
			steps: []step{{401, `<p>POST user=terraform&password=` + url.QueryEscape(testPassword) + `</p>`}},
			run:   func(c *Client) error { _, err := c.loginShared(ctx, true); return err },
		},
		{
			name:  "login token in a cut-off login answer",
			opts:  []func(*Config){withPassword},
			steps: []step{{200, `{"status":"success","data":{"userId":"u","authToken":"LOGIN-token-s3cr3t-1","me":{"na`}},
			run:   func(c *Client) error { _, err := c.Me(ctx); return err },
		},
		{
			name:  "outgoing token from the request echoed by the server",
			steps: []step{{400, `{"success":false,"error":"Invalid token ` + outgoing + ` [error-invalid-token]","errorType":"error-invalid-token"}`}},
			run:   func(c *Client) error { _, err := c.UpdateIntegration(ctx, "i1", outgoingReq); return err },
		},
		{
			name: "incoming token seen in an earlier answer, then in an error page",
			steps: []step{
				{200, `{"integration":{"_id":"i1","type":"webhook-incoming","token":"` + incoming + `"},"success":true}`},
				{500, `<html>POST /hooks/i1/` + incoming + ` failed</html>`},
			},
			run: func(c *Client) error {
				if _, err := c.GetIntegration(ctx, "i1"); err != nil {
					return fmt.Errorf("unexpected: %w", err)
				}
				_, err := c.GetIntegration(ctx, "i1")
				return err
			},
		},
		{
			name:  "incoming token in a cut-off answer never seen before",
			steps: []step{{200, `{"integration":{"_id":"i1","type":"webhook-incoming","token":"` + incoming + `","name":"x`}},
			run:   func(c *Client) error { _, err := c.GetIntegration(ctx, "i1"); return err },
		},
		{
			name:  "incoming token in a cut-off create answer",
			steps: []step{{200, `{"integration":{"_id":"i1","token":"` + incoming[:30]}},
			run:   func(c *Client) error { _, err := c.CreateIntegration(ctx, incomingReq); return err },
		},
		{
			name:  "outgoing token in a 200 failure",
			steps: []step{{200, `{"success":false,"error":"token ` + outgoing + ` rejected"}`}},
			run:   func(c *Client) error { _, err := c.CreateIntegration(ctx, outgoingReq); return err },
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var hs []http.HandlerFunc
			for _, st := range tt.steps {
				ct := "application/json"
				if strings.HasPrefix(st.body, "<") {
					ct = "text/html"
				}
				hs = append(hs, replyCT(st.status, ct, st.body))
			}
			srv := newScripted(t, hs...)
			env := newTestClient(t, srv.URL, append(tt.opts, noRetry)...)
			err := tt.run(env.c)
			mustErr(t, err)
			if strings.HasPrefix(err.Error(), "unexpected") {
				t.Fatal(err)
			}
			if !strings.Contains(err.Error(), redacted) {
				t.Errorf("error shows no redaction mark: %v", err)
			}
			var apiErr *APIError
			if errors.As(err, &apiErr) {
				assertNoSecrets(t, "APIError fields", fmt.Sprintf("%#v", *apiErr))
			}
		})
	}
}

func TestSecretSetForms(t *testing.T) {
	s := newSecretSet()
	s.add("", "a/b\"c<d>", "tok")
	for _, in := range []string{
		`a/b"c<d>`,
		`a/b\"c<d>`,
		`a/b\"c\u003cd\u003e`,
		`a%2Fb%22c%3Cd%3E`,
		`a\/b\"c<d>`,
	} {
		if got := s.redact("x " + in + " y"); got != "x *** y" {
			t.Errorf("redact(%q) = %q", in, got)
		}
	}
	if got := s.redact("token tok"); got != "***en ***" {
		t.Errorf("redact = %q", got)
	}
	// A longer secret containing a shorter one is replaced whole.
	s.add("tok-long-secret")
	if got := s.redact("tok-long-secret"); got != "***" {
		t.Errorf("redact = %q", got)
	}
}

func TestExcerptRedactsBeforeCutting(t *testing.T) {
	s := newSecretSet()
	secret := strings.Repeat("S", 40)
	s.add(secret)
	body := strings.Repeat("x", excerptLimit-10) + secret
	got := s.excerpt([]byte(body))
	if strings.Contains(got, "SSSS") {
		t.Errorf("excerpt leaks part of a secret: %q", got)
	}
}

func TestLogsAreSecretFree(t *testing.T) {
	srv := newScripted(t, reply(502, `{"token":"`+extraSecrets[1]+`"}`), dropConn(true), reply(200, loginAnswer("LOGIN-token-s3cr3t-1")),
		reply(200, `{"integration":{"_id":"i1","token":"`+extraSecrets[0]+`"},"success":true}`))
	env := newTestClient(t, srv.URL, withPassword)
	if _, err := env.c.GetIntegration(context.Background(), "i1"); err != nil {
		t.Fatal(err)
	}
	text := env.log.text()
	for _, want := range []string{"DEBUG sending Rocket.Chat request", "DEBUG Rocket.Chat answered", "WARN retrying Rocket.Chat request", "INFO logging in to Rocket.Chat"} {
		if !strings.Contains(text, want) {
			t.Errorf("log lacks %q:\n%s", want, text)
		}
	}
	// newTestClient's cleanup checks that no secret is in the log.
}
