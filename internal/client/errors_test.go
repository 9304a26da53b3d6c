package client

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"
)

func noRetry(c *Config) { c.Retry.MaxAttempts = 1 }

func TestAPIErrorShapes(t *testing.T) {
	const ep = "GET /api/v1/integrations.get"
	tests := []struct {
		name    string
		handler http.HandlerFunc
		want    APIError // compared field by field where set
		wantMsg string   // exact Error() text, after the "Rocket.Chat answered GET ... " prefix
	}{
		{
			name:    "meteor error with details",
			handler: reply(400, `{"success":false,"error":"Invalid channel [error-invalid-channel]","errorType":"error-invalid-channel","details":{"method":"addIncomingIntegration"}}`),
			want:    APIError{StatusCode: 400, ErrorText: "Invalid channel [error-invalid-channel]", ErrorType: "error-invalid-channel", Details: map[string]any{"method": "addIncomingIntegration"}},
			wantMsg: "with HTTP 400: Invalid channel [error-invalid-channel]",
		},
		{
			name:    "plain error",
			handler: reply(400, `{"success":false,"error":"The integration does not exists."}`),
			want:    APIError{StatusCode: 400, ErrorText: "The integration does not exists."},
			wantMsg: "with HTTP 400: The integration does not exists.",
		},
		{
			name:    "unauthenticated",
			handler: reply(401, `{"success":false,"error":"You must be logged in to do this.","status":"error","message":"You must be logged in to do this."}`),
			want:    APIError{StatusCode: 401, ErrorText: "You must be logged in to do this.", Status: "error", Message: "You must be logged in to do this."},
			wantMsg: "with HTTP 401: You must be logged in to do this.",
		},
		{
			name:    "authorization error without success",
			handler: reply(401, `{"status":"error","message":"You must be logged in to do this."}`),
			want:    APIError{StatusCode: 401, Status: "error", Message: "You must be logged in to do this."},
			wantMsg: "with HTTP 401: You must be logged in to do this.",
		},
		{
			name:    "forbidden",
			handler: reply(403, `{"success":false,"error":"User does not have the permissions required for this action [error-unauthorized]"}`),
			want:    APIError{StatusCode: 403, ErrorText: "User does not have the permissions required for this action [error-unauthorized]"},
			wantMsg: "with HTTP 403: User does not have the permissions required for this action [error-unauthorized]",
		},
		{
			name:    "typed-route validation error without suffix",
			handler: reply(400, `{"success":false,"errorType":"error-invalid-params","error":"must have required property 'integrationId'"}`),
			want:    APIError{StatusCode: 400, ErrorText: "must have required property 'integrationId'", ErrorType: "error-invalid-params"},
			wantMsg: "with HTTP 400: must have required property 'integrationId' [error-invalid-params]",
		},
		{
			name:    "error and a different message",
			handler: reply(401, `{"success":false,"error":"error-invalid-credentials","status":"error","message":"Incorrect password"}`),
			want:    APIError{StatusCode: 401, ErrorText: "error-invalid-credentials", Message: "Incorrect password", Status: "error"},
			wantMsg: "with HTTP 401: error-invalid-credentials (Incorrect password)",
		},
		{
			name:    "details as a string",
			handler: reply(400, `{"success":false,"error":"x","details":"some text"}`),
			want:    APIError{StatusCode: 400, ErrorText: "x", Details: map[string]any{"details": "some text"}},
			wantMsg: "with HTTP 400: x",
		},
		{
			name:    "details as an array",
			handler: reply(400, `{"success":false,"error":"x","details":["a",1]}`),
			want:    APIError{StatusCode: 400, ErrorText: "x", Details: map[string]any{"details": []any{"a", float64(1)}}},
			wantMsg: "with HTTP 400: x",
		},
		{
			name:    "error as an object",
			handler: reply(400, `{"success":false,"error":{"code":7}}`),
			want:    APIError{StatusCode: 400, ErrorText: `{"code":7}`},
			wantMsg: `with HTTP 400: {"code":7}`,
		},
		{
			name:    "200 with success false",
			handler: reply(200, `{"success":false,"error":"not-authorized"}`),
			want:    APIError{StatusCode: 200, ErrorText: "not-authorized"},
			wantMsg: "with HTTP 200 but reported a failure: not-authorized",
		},
		{
			name:    "200 with status error",
			handler: reply(200, `{"status":"error","message":"Something broke"}`),
			want:    APIError{StatusCode: 200, Status: "error", Message: "Something broke"},
			wantMsg: "with HTTP 200 but reported a failure: Something broke",
		},
		{
			name:    "HTML error page from a proxy",
			handler: replyCT(502, "text/html", "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\n<center><h1>502 Bad Gateway</h1></center>\n</body>\n</html>\n"),
			want:    APIError{StatusCode: 502, ContentType: "text/html", BodyExcerpt: "<html> <head><title>502 Bad Gateway</title></head> <body> <center><h1>502 Bad Gateway</h1></center> </body> </html>"},
			wantMsg: "with HTTP 502 and a body that is not JSON (text/html): <html> <head><title>502 Bad Gateway</title></head> <body> <center><h1>502 Bad Gateway</h1></center> </body> </html>",
		},
		{
			name:    "empty body",
			handler: replyCT(500, "", ""),
			want:    APIError{StatusCode: 500},
			wantMsg: "with HTTP 500 and an empty body",
		},
		{
			name:    "empty 200 body",
			handler: replyCT(200, "", ""),
			want:    APIError{StatusCode: 200},
			wantMsg: "with HTTP 200 and an empty body",
		},
		{
			name:    "truncated JSON",
			handler: reply(400, `{"success":false,"error":"Invalid chan`),
			want:    APIError{StatusCode: 400, ContentType: "application/json", BodyExcerpt: `{"success":false,"error":"Invalid chan`},
			wantMsg: `with HTTP 400 and a body that is not valid JSON (application/json): {"success":false,"error":"Invalid chan`,
		},
		{
			name:    "HTML page with 200",
			handler: replyCT(200, "text/html; charset=utf-8", "<!DOCTYPE html><title>Sign in</title>"),
			want:    APIError{StatusCode: 200, BodyExcerpt: "<!DOCTYPE html><title>Sign in</title>", HTML: true, PageTitle: "Sign in"},
			wantMsg: "with HTTP 200 and a body that is not JSON (text/html; charset=utf-8): <!DOCTYPE html><title>Sign in</title>; this HTML page is what an access gateway or a login page in front of Rocket.Chat answers, not Rocket.Chat",
		},
		{
			name:    "JSON without an error text",
			handler: reply(400, `{"success":false}`),
			want:    APIError{StatusCode: 400, BodyExcerpt: `{"success":false}`},
			wantMsg: `with HTTP 400 and no error message: {"success":false}`,
		},
		{
			name:    "control characters",
			handler: replyCT(503, "text/plain", "down\x00\x07 for\tmaintenance\x1b[0m"),
			want:    APIError{StatusCode: 503, BodyExcerpt: "down for maintenance[0m"},
			wantMsg: "with HTTP 503 and a body that is not JSON (text/plain): down for maintenance[0m",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newScripted(t, tt.handler)
			env := newTestClient(t, srv.URL, noRetry)
			_, err := env.c.GetIntegration(context.Background(), "abc")
			mustErr(t, err)
			var e *APIError
			if !errors.As(err, &e) {
				t.Fatalf("err %T %v is not an *APIError", err, err)
			}
			if e.Method != "GET" || e.Endpoint != "/api/v1/integrations.get" {
				t.Errorf("Method/Endpoint = %q %q", e.Method, e.Endpoint)
			}
			check := func(field string, got, want any) {
				if !reflect.ValueOf(want).IsZero() && !reflect.DeepEqual(got, want) {
					t.Errorf("%s = %#v, want %#v", field, got, want)
				}
			}
			check("StatusCode", e.StatusCode, tt.want.StatusCode)
			check("ErrorText", e.ErrorText, tt.want.ErrorText)
			check("ErrorType", e.ErrorType, tt.want.ErrorType)
			check("Message", e.Message, tt.want.Message)
			check("Status", e.Status, tt.want.Status)
			check("ContentType", e.ContentType, tt.want.ContentType)
			check("BodyExcerpt", e.BodyExcerpt, tt.want.BodyExcerpt)
			if tt.want.Details != nil && !reflect.DeepEqual(e.Details, tt.want.Details) {
				t.Errorf("Details = %#v, want %#v", e.Details, tt.want.Details)
			}
			if want := "Rocket.Chat answered " + ep + " " + tt.wantMsg; err.Error() != want {
				t.Errorf("Error() =\n%s\nwant\n%s", err.Error(), want)
			}
			if srv.count() != 1 {
				t.Errorf("server saw %d requests, want 1", srv.count())
			}
		})
	}
}

func TestBodyExcerptIsShort(t *testing.T) {
	page := "<html><body>" + strings.Repeat("é lorem ipsum ", 200) + "</body></html>"
	srv := newScripted(t, replyCT(502, "text/html", page))
	env := newTestClient(t, srv.URL, noRetry)
	_, err := env.c.Me(context.Background())
	var e *APIError
	mustErr(t, err)
	if !errors.As(err, &e) {
		t.Fatalf("err = %v", err)
	}
	if len(e.BodyExcerpt) > excerptLimit+len("…") || !strings.HasSuffix(e.BodyExcerpt, "…") {
		t.Errorf("excerpt has %d bytes: %q", len(e.BodyExcerpt), e.BodyExcerpt)
	}
	if !strings.HasPrefix(e.BodyExcerpt, "<html><body>é lorem") {
		t.Errorf("excerpt = %q", e.BodyExcerpt)
	}
}

func TestErrorPredicates(t *testing.T) {
	tests := []struct {
		name                                  string
		status                                int
		contentType                           string
		body                                  string
		notFound, perm, unauthorized, limited bool
	}{
		{"get not found", 400, "application/json", `{"success":false,"error":"The integration does not exists."}`, true, false, false, false},
		{"update not found", 400, "application/json", `{"success":false,"error":"No integration found."}`, true, false, false, false},
		{"remove not found", 400, "application/json", `{"success":false,"error":"No integration found."}`, true, false, false, false},
		{"get not authorized", 400, "application/json", `{"success":false,"error":"not-authorized"}`, false, true, false, false},
		{"create not_authorized", 400, "application/json", `{"success":false,"error":"Unauthorized [not_authorized]","errorType":"not_authorized","details":{"method":"addIncomingIntegration"}}`, false, true, false, false},
		{"outgoing create not_authorized", 400, "application/json", `{"success":false,"error":"[not_authorized]","errorType":"not_authorized"}`, false, true, false, false},
		{"not_authorized without errorType", 400, "application/json", `{"success":false,"error":"Unauthorized [not_authorized]"}`, false, true, false, false},
		{"someone else's integration", 400, "application/json", `{"success":false,"error":"Invalid integration [error-invalid-integration]","errorType":"error-invalid-integration"}`, false, true, false, false},
		{"outgoing update of someone else's", 400, "application/json", `{"success":false,"error":"[methods] updateOutgoingIntegration -> integration not found [invalid_integration]","errorType":"invalid_integration"}`, false, true, false, false},
		{"non-channel event without manage permission", 400, "application/json", `{"success":false,"error":"Invalid permission for required Integration creation. [error-invalid-permissions]","errorType":"error-invalid-permissions"}`, false, true, false, false},
		{"route permission 403", 403, "application/json", `{"success":false,"error":"User does not have the permissions required for this action [error-unauthorized]"}`, false, true, false, false},
		{"6.x route permission 403", 403, "application/json", `{"success":false,"error":"unauthorized"}`, false, true, false, false},
		{"bad credentials", 401, "application/json", `{"success":false,"error":"You must be logged in to do this.","status":"error","message":"You must be logged in to do this."}`, false, false, true, false},
		{"rate limited", 429, "application/json", `{"success":false,"error":"Error, too many requests. Please slow down. You must wait 3600 seconds before trying this endpoint again. [error-too-many-requests]"}`, false, false, false, true},
		{"404 HTML page from a proxy", 404, "text/html", `<html><body>404 Not Found</body></html>`, false, false, false, false},
		{"404 with JSON", 404, "application/json", `{"success":false,"error":"Not found"}`, false, false, false, false},
		{"404 with the not-found text", 404, "application/json", `{"success":false,"error":"No integration found."}`, false, false, false, false},
		{"other 400", 400, "application/json", `{"success":false,"error":"Invalid channel [error-invalid-channel]","errorType":"error-invalid-channel"}`, false, false, false, false},
		{"500", 500, "application/json", `{"success":false,"error":"Internal server error"}`, false, false, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newScripted(t, replyCT(tt.status, tt.contentType, tt.body))
			env := newTestClient(t, srv.URL, func(c *Config) { c.Retry.MaxAttempts = 1; c.Retry.MaxElapsed = time.Minute })
			_, err := env.c.GetIntegration(context.Background(), "abc")
			mustErr(t, err)
			wrapped := fmt.Errorf("reading rocketchat_incoming_integration: %w", err)
			for _, e := range []error{err, wrapped} {
				if got := IsNotFound(e); got != tt.notFound {
					t.Errorf("IsNotFound = %v, want %v (%v)", got, tt.notFound, e)
				}
				if got := IsPermissionDenied(e); got != tt.perm {
					t.Errorf("IsPermissionDenied = %v, want %v (%v)", got, tt.perm, e)
				}
				if got := IsUnauthorized(e); got != tt.unauthorized {
					t.Errorf("IsUnauthorized = %v, want %v (%v)", got, tt.unauthorized, e)
				}
				if got := IsRateLimited(e); got != tt.limited {
					t.Errorf("IsRateLimited = %v, want %v (%v)", got, tt.limited, e)
				}
			}
		})
	}
	for _, err := range []error{nil, errors.New("x"), context.Canceled} {
		if IsNotFound(err) || IsPermissionDenied(err) || IsUnauthorized(err) || IsRateLimited(err) || IsOutcomeUnknown(err) {
			t.Errorf("a predicate is true for %v", err)
		}
	}
}

func TestTransportErrors(t *testing.T) {
	ln, err := (&net.ListenConfig{}).Listen(t.Context(), "tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()

	env := newTestClient(t, "http://"+addr, func(c *Config) { c.Retry.MaxAttempts = 2 })
	_, err = env.c.GetIntegration(context.Background(), "abc")
	mustErr(t, err)
	var opErr *net.OpError
	if !errors.As(err, &opErr) {
		t.Errorf("errors.As(*net.OpError) fails for %v", err)
	}
	var te *TransportError
	if !errors.As(err, &te) || te.Endpoint != "/api/v1/integrations.get" || te.Method != "GET" {
		t.Errorf("err = %#v", err)
	}
	for _, part := range []string{"GET /api/v1/integrations.get", "connection refused", "gave up after 2 attempts"} {
		if !strings.Contains(err.Error(), part) {
			t.Errorf("error %q does not mention %q", err, part)
		}
	}
	if strings.Contains(err.Error(), "integrationId=") {
		t.Errorf("error shows the query string: %v", err)
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = env.c.GetIntegration(ctx, "abc")
	mustErr(t, err)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("errors.Is(context.Canceled) fails for %v", err)
	}
}
