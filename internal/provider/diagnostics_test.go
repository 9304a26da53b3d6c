package provider

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/terraform-rocketchat/terraform-provider-rocketchat/internal/client"
	"github.com/terraform-rocketchat/terraform-provider-rocketchat/internal/rocketchattest"
)

// Rocket.Chat's endpoints as the client names them in its errors.
const (
	createEP = "/api/v1/integrations.create"
	getEP    = "/api/v1/integrations.get"
	updateEP = "/api/v1/integrations.update"
	removeEP = "/api/v1/integrations.remove"
)

// rcError is a failure answer as the client decodes it (spec §1.2).
func rcError(method, endpoint string, status int, text, errorType string, details map[string]any) *client.APIError {
	return &client.APIError{Method: method, Endpoint: endpoint, StatusCode: status, ErrorText: text, ErrorType: errorType, Details: details}
}

func methodDetails(m string) map[string]any   { return map[string]any{"method": m} }
func functionDetails(f string) map[string]any { return map[string]any{"function": f} }

// Texts of the permission hint and the kind-specific membership hint.
const (
	permissionHintStart = "The user the provider authenticates as lacks a permission."
	incomingMembership  = "holds both the manage-incoming-integrations and the manage-own-incoming-integrations permissions, it must be a member of every room in channels"
	outgoingMembership  = "holds both the manage-outgoing-integrations and the manage-own-outgoing-integrations permissions, it must be a member of every room in channels"
	roomHint            = "Every entry of channels must name an existing room (#name) or user (@username)."
	userHint            = "username must be the username of an existing user, such as rocket.cat."
	eventPermissionHint = "The events roomArchived, roomCreated and userCreated need the manage-outgoing-integrations permission; the manage-own permission is not enough."
)

// diagCase is an error of the client and the diagnostic it must become.
type diagCase struct {
	name    string
	action  string
	kind    client.IntegrationType
	err     error
	summary string
	attr    string   // "" when the diagnostic must not point at an attribute
	want    []string // fragments of the detail, in order
	notWant []string // texts the detail must not contain
}

func checkDiagnostic(t *testing.T, tc diagCase) {
	t.Helper()
	d := apiErrorDiagnostic(tc.action, tc.kind, tc.err)
	if d.Severity() != diag.SeverityError {
		t.Errorf("severity %v, want error", d.Severity())
	}
	if d.Summary() != tc.summary {
		t.Errorf("summary %q, want %q", d.Summary(), tc.summary)
	}
	var got string
	if wp, ok := d.(diag.DiagnosticWithPath); ok {
		got = wp.Path().String()
	}
	if got != tc.attr {
		t.Errorf("attribute %q, want %q", got, tc.attr)
	}
	detail := d.Detail()
	// Rocket.Chat's own message comes first, as the client words it.
	if !strings.HasPrefix(detail, tc.err.Error()) {
		t.Errorf("detail does not start with the error %q:\n%s", tc.err.Error(), detail)
	}
	rest := detail
	for _, w := range tc.want {
		i := strings.Index(rest, w)
		if i < 0 {
			t.Errorf("detail lacks %q (in this order):\n%s", w, detail)
			break
		}
		rest = rest[i+len(w):]
	}
	for _, w := range tc.notWant {
		if strings.Contains(detail, w) {
			t.Errorf("detail contains %q:\n%s", w, detail)
		}
	}
}

func TestAPIErrorDiagnostic(t *testing.T) {
	in, out := client.IncomingType, client.OutgoingType
	cases := []diagCase{
		// Errors that concern one attribute (spec §3.1.2, §3.1.3, §3.4).
		{
			name: "invalid room on incoming create", action: "create", kind: in,
			err:     rcError("POST", createEP, 400, "Invalid room [error-invalid-room]", "error-invalid-room", methodDetails("addIncomingIntegration")),
			summary: "Rocket.Chat could not create the incoming integration", attr: "channels",
			want: []string{"HTTP 400: Invalid room [error-invalid-room]", roomHint}, notWant: []string{permissionHintStart},
		},
		{
			name: "invalid room on outgoing update", action: "update", kind: out,
			err:     rcError("PUT", updateEP, 400, "Invalid room [error-invalid-room]", "error-invalid-room", functionDetails("validateOutgoing._verifyUserHasPermissionForChannels")),
			summary: "Rocket.Chat could not update the outgoing integration", attr: "channels", want: []string{roomHint},
		},
		{
			name: "room the user is not a member of, incoming", action: "create", kind: in,
			err:     rcError("POST", createEP, 400, "Invalid Channel [error-invalid-channel]", "error-invalid-channel", methodDetails("addIncomingIntegration")),
			summary: "Rocket.Chat could not create the incoming integration", attr: "channels",
			want: []string{"Invalid Channel [error-invalid-channel]", incomingMembership, "it can never target @users"}, notWant: []string{"<kind>", "all_private_groups"},
		},
		{
			name: "room the user is not a member of, outgoing", action: "create", kind: out,
			err:     rcError("POST", createEP, 400, "Invalid Channel [error-invalid-channel]", "error-invalid-channel", functionDetails("validateOutgoing._verifyUserHasPermissionForChannels")),
			summary: "Rocket.Chat could not create the outgoing integration", attr: "channels",
			want: []string{outgoingMembership, "The targets all_private_groups and all_direct_messages need manage-outgoing-integrations"}, notWant: []string{"<kind>"},
		},
		{
			name: "channel without # or @", action: "create", kind: in,
			err:     rcError("POST", createEP, 400, "Invalid channel. Start with @ or # [error-invalid-channel-start-with-chars]", "error-invalid-channel-start-with-chars", methodDetails("updateIncomingIntegration")),
			summary: "Rocket.Chat could not create the incoming integration", attr: "channels",
		},
		{
			name: "blank username", action: "create", kind: out,
			err:     rcError("POST", createEP, 400, "Invalid username [error-invalid-username]", "error-invalid-username", functionDetails("validateOutgoing._verifyRequiredFields")),
			summary: "Rocket.Chat could not create the outgoing integration", attr: "username",
		},
		{
			name: "unknown user on incoming create", action: "create", kind: in,
			err:     rcError("POST", createEP, 400, "Invalid user [error-invalid-user]", "error-invalid-user", methodDetails("addIncomingIntegration")),
			summary: "Rocket.Chat could not create the incoming integration", attr: "username", want: []string{"Invalid user [error-invalid-user]", userHint},
		},
		{
			name: "unknown user on outgoing create", action: "create", kind: out,
			err:     rcError("POST", createEP, 400, "Invalid user (did you delete the `rocket.cat` user?) [error-invalid-user]", "error-invalid-user", functionDetails("validateOutgoing")),
			summary: "Rocket.Chat could not create the outgoing integration", attr: "username", want: []string{"did you delete the `rocket.cat` user?", userHint},
		},
		{
			name: "unknown user on incoming update", action: "update", kind: in,
			err:     rcError("PUT", updateEP, 400, "Invalid Post As User [error-invalid-post-as-user]", "error-invalid-post-as-user", methodDetails("updateIncomingIntegration")),
			summary: "Rocket.Chat could not update the incoming integration", attr: "username", want: []string{"Invalid Post As User [error-invalid-post-as-user]", userHint},
		},
		{
			name: "post-as user without message-impersonate", action: "create", kind: in,
			err: rcError("POST", createEP, 400, "User selected for the incoming integration lacks the 'message-impersonate' permission. [error-user-lacks-message-impersonate-permission]",
				"error-user-lacks-message-impersonate-permission", methodDetails("addIncomingIntegration")),
			summary: "Rocket.Chat could not create the incoming integration", attr: "username",
			want: []string{"lacks the 'message-impersonate' permission", "Post as a bot user such as rocket.cat"},
		},
		{
			name: "event the server does not know", action: "create", kind: out,
			err:     rcError("POST", createEP, 400, "Invalid event type [error-invalid-event-type]", "error-invalid-event-type", functionDetails("validateOutgoing._verifyRequiredFields")),
			summary: "Rocket.Chat could not create the outgoing integration", attr: "event",
		},
		{
			// An incoming integration has no event attribute to point at.
			name: "event error on an incoming integration", action: "create", kind: in,
			err:     rcError("POST", createEP, 400, "Invalid event type [error-invalid-event-type]", "error-invalid-event-type", nil),
			summary: "Rocket.Chat could not create the incoming integration",
		},
		{
			name: "event that needs manage-outgoing-integrations", action: "create", kind: out,
			err:     rcError("POST", createEP, 400, "Invalid permission for required Integration creation. [error-invalid-permissions]", "error-invalid-permissions", functionDetails("validateOutgoing")),
			summary: "Not allowed to create the outgoing integration", attr: "event",
			want: []string{"[error-invalid-permissions]", eventPermissionHint, permissionHintStart},
		},
		{
			name: "target room", action: "create", kind: out,
			err:     rcError("POST", createEP, 400, "Invalid Target Room [error-invalid-targetRoom]", "error-invalid-targetRoom", functionDetails("validateOutgoing._verifyRequiredFields")),
			summary: "Rocket.Chat could not create the outgoing integration", attr: "target_room",
		},
		{
			name: "urls", action: "update", kind: out,
			err:     rcError("PUT", updateEP, 400, "Invalid URLs [error-invalid-urls]", "error-invalid-urls", functionDetails("validateOutgoing._verifyRequiredFields")),
			summary: "Rocket.Chat could not update the outgoing integration", attr: "urls",
		},
		{
			name: "trigger words", action: "create", kind: out,
			err:     rcError("POST", createEP, 400, "Invalid triggerWords [error-invalid-triggerWords]", "error-invalid-triggerWords", functionDetails("validateOutgoing")),
			summary: "Rocket.Chat could not create the outgoing integration", attr: "trigger_words",
		},
		{
			name: "outgoing token", action: "update", kind: out,
			err:     rcError("PUT", updateEP, 400, "Invalid token [error-invalid-token]", "error-invalid-token", methodDetails("updateOutgoingIntegration")),
			summary: "Rocket.Chat could not update the outgoing integration", attr: "token",
		},
		{
			// The incoming token is Rocket.Chat's; the user cannot fix it.
			name: "token error on an incoming integration", action: "update", kind: in,
			err:     rcError("PUT", updateEP, 400, "Invalid token [error-invalid-token]", "error-invalid-token", nil),
			summary: "Rocket.Chat could not update the incoming integration",
		},

		{
			// A server with FREEZE_INTEGRATION_SCRIPTS answers with a plain Error (spec §3.1.2 #6, §3.1.3 #3).
			name: "scripts frozen by the server", action: "create", kind: in,
			err:     rcError("POST", createEP, 400, "integration-scripts-disabled", "", nil),
			summary: "Rocket.Chat could not create the incoming integration", attr: "script",
			want: []string{"HTTP 400: integration-scripts-disabled", "FREEZE_INTEGRATION_SCRIPTS", "Remove script"},
		},
		{
			name: "isolated-vm scripts frozen by the server", action: "update", kind: out,
			err:     rcError("PUT", updateEP, 400, "integration-scripts-isolated-vm-disabled", "", nil),
			summary: "Rocket.Chat could not update the outgoing integration", attr: "script", want: []string{"FREEZE_INTEGRATION_SCRIPTS"},
		},

		// Permission answers (spec §3.1–§3.5, §4): never an attribute, always the hint.
		{
			name: "create without permission, incoming", action: "create", kind: in,
			err:     rcError("POST", createEP, 400, "Unauthorized [not_authorized]", "not_authorized", methodDetails("addIncomingIntegration")),
			summary: "Not allowed to create the incoming integration", want: []string{"Unauthorized [not_authorized]", permissionHintStart, "Administration → Permissions"},
		},
		{
			name: "create without permission, outgoing", action: "create", kind: out,
			err:     rcError("POST", createEP, 400, "[not_authorized]", "not_authorized", nil),
			summary: "Not allowed to create the outgoing integration", want: []string{"[not_authorized]", permissionHintStart},
		},
		{
			name: "read someone else's integration", action: "read", kind: in,
			err:     rcError("GET", getEP, 400, "not-authorized", "", nil),
			summary: "Not allowed to read the incoming integration", want: []string{"HTTP 400: not-authorized", permissionHintStart},
		},
		{
			name: "update someone else's incoming integration", action: "update", kind: in,
			err:     rcError("PUT", updateEP, 400, "Invalid integration [error-invalid-integration]", "error-invalid-integration", methodDetails("updateIncomingIntegration")),
			summary: "Not allowed to update the incoming integration", want: []string{"[error-invalid-integration]", permissionHintStart},
		},
		{
			name: "update someone else's outgoing integration", action: "update", kind: out,
			err:     rcError("PUT", updateEP, 400, "[methods] updateOutgoingIntegration -> integration not found [invalid_integration]", "invalid_integration", nil),
			summary: "Not allowed to update the outgoing integration", want: []string{"[invalid_integration]", permissionHintStart},
		},
		{
			name: "update without permission", action: "update", kind: out,
			err:     rcError("PUT", updateEP, 400, "Unauthorized [not_authorized]", "not_authorized", methodDetails("updateOutgoingIntegration")),
			summary: "Not allowed to update the outgoing integration", want: []string{permissionHintStart},
		},
		{
			name: "delete someone else's integration", action: "delete", kind: out,
			err:     rcError("POST", removeEP, 400, "Invalid integration [error-invalid-integration]", "error-invalid-integration", methodDetails("deleteOutgoingIntegration")),
			summary: "Not allowed to delete the outgoing integration", want: []string{permissionHintStart},
		},
		{
			name: "delete refused by the route permission", action: "delete", kind: in,
			err:     rcError("POST", removeEP, 403, "User does not have the permissions required for this action [error-unauthorized]", "", nil),
			summary: "Not allowed to delete the incoming integration", want: []string{"HTTP 403: User does not have the permissions required for this action [error-unauthorized]", permissionHintStart},
		},
		{
			// 6.x answered route permission failures with a bare "unauthorized" (spec §10).
			name: "delete refused by a 6.x server", action: "delete", kind: in,
			err:     rcError("POST", removeEP, 403, "unauthorized", "", nil),
			summary: "Not allowed to delete the incoming integration", want: []string{permissionHintStart},
		},

		// Credentials, rate limits and the rest.
		{
			name: "revoked token", action: "read", kind: out,
			err: &client.APIError{Method: "GET", Endpoint: getEP, StatusCode: 401, ErrorText: "You must be logged in to do this.",
				Message: "You must be logged in to do this.", Status: "error"},
			summary: "Rocket.Chat rejected the provider's credentials",
			want:    []string{"HTTP 401: You must be logged in to do this.", "The auth token may have been revoked or the password changed"},
			notWant: []string{permissionHintStart},
		},
		{
			name: "rate limited", action: "update", kind: in,
			err:     rcError("PUT", updateEP, 429, "Error, too many requests. Please slow down. You must wait 41 seconds before trying this endpoint again. [error-too-many-requests]", "", nil),
			summary: "Rocket.Chat could not update the incoming integration",
			want:    []string{"[error-too-many-requests]", "Rocket.Chat's rate limiter kept refusing the call", "api-bypass-rate-limit"},
		},
		{
			name: "outcome of a create unknown", action: "create", kind: out,
			err:     errors.Join(client.ErrOutcomeUnknown, &client.TransportError{Method: "POST", Endpoint: createEP, Err: errors.New("connection reset")}),
			summary: "The outcome of the request to create the outgoing integration is unknown",
			want:    []string{"Rocket.Chat may have acted on the request before the answer was lost", "terraform import"},
		},
		{
			name: "integration type the server does not know", action: "create", kind: in,
			err:     rcError("POST", createEP, 400, "Invalid integration type.", "", nil),
			summary: "Rocket.Chat could not create the incoming integration", notWant: []string{permissionHintStart},
		},
		{
			name: "request schema", action: "create", kind: out,
			err:     rcError("POST", createEP, 400, "must NOT have additional properties [invalid-params]", "invalid-params", nil),
			summary: "Rocket.Chat could not create the outgoing integration",
		},
		{
			name: "proxy error page", action: "read", kind: in,
			err:     &client.APIError{Method: "GET", Endpoint: getEP, StatusCode: 502, ContentType: "text/html", BodyExcerpt: "<html><head><title>502 Bad Gateway</title>"},
			summary: "Rocket.Chat could not read the incoming integration",
		},
		{
			name: "no answer", action: "delete", kind: out,
			err:     &client.TransportError{Method: "POST", Endpoint: removeEP, Err: errors.New("connection refused"), Timeout: 30 * time.Second},
			summary: "Rocket.Chat could not delete the outgoing integration",
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) { checkDiagnostic(t, tc) })
	}
}

// TestAPIErrorDiagnostic_fromClient maps errors the client really returns
// from the in-memory server, so that the table above cannot drift from the
// errors' real shape.
func TestAPIErrorDiagnostic_fromClient(t *testing.T) {
	srv := rocketchattest.NewServer()
	t.Cleanup(srv.Close)
	ctx := context.Background()
	newClient := func(t *testing.T, creds rocketchattest.Credentials, retry client.RetryPolicy) *client.Client {
		c, err := client.New(client.Config{URL: srv.URL(), UserID: creds.UserID, AuthToken: creds.AuthToken, Retry: retry})
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	fast := client.RetryPolicy{MaxAttempts: 2, MinBackoff: time.Millisecond, MaxBackoff: time.Millisecond, MaxElapsed: time.Second}
	admin := newClient(t, srv.Admin(), fast)
	incoming := func(channels ...string) *client.IncomingIntegrationRequest {
		return &client.IncomingIntegrationRequest{IntegrationBase: client.IntegrationBase{
			Name: "diagnostics", Enabled: true, Username: "rocket.cat", Channels: channels,
		}}
	}
	mustFail := func(t *testing.T, err error) error {
		t.Helper()
		if err == nil {
			t.Fatal("the call succeeded")
		}
		return err
	}

	t.Run("invalid room", func(t *testing.T) {
		_, err := admin.CreateIntegration(ctx, incoming("#nonexistent"))
		checkDiagnostic(t, diagCase{action: "create", kind: client.IncomingType, err: mustFail(t, err),
			summary: "Rocket.Chat could not create the incoming integration", attr: "channels",
			want: []string{"Invalid room [error-invalid-room]", roomHint}})
	})
	t.Run("answer lost after the create", func(t *testing.T) {
		srv.Fail(rocketchattest.EndpointCreate, 1, rocketchattest.Fault{Drop: true, AfterHandling: true})
		_, err := admin.CreateIntegration(ctx, incoming("#general"))
		if !client.IsOutcomeUnknown(mustFail(t, err)) {
			t.Fatalf("not an unknown outcome: %v", err)
		}
		checkDiagnostic(t, diagCase{action: "create", kind: client.IncomingType, err: err,
			summary: "The outcome of the request to create the incoming integration is unknown",
			want:    []string{"terraform import"}})
	})
	t.Run("rate limited beyond the allowed wait", func(t *testing.T) {
		reset := strconv.FormatInt(time.Now().Add(time.Hour).UnixMilli(), 10)
		srv.Fail(rocketchattest.EndpointGet, 1, rocketchattest.Fault{Status: http.StatusTooManyRequests,
			Header: http.Header{"X-Ratelimit-Limit": {"10"}, "X-Ratelimit-Remaining": {"0"}, "X-Ratelimit-Reset": {reset}}})
		_, err := admin.GetIntegration(ctx, "659ea5b72dd9f928ada3e43e")
		if !client.IsRateLimited(mustFail(t, err)) {
			t.Fatalf("not rate limited: %v", err)
		}
		checkDiagnostic(t, diagCase{action: "read", kind: client.OutgoingType, err: err,
			summary: "Rocket.Chat could not read the outgoing integration",
			want:    []string{"Rocket.Chat's rate limiter kept refusing the call"}})
	})
	t.Run("revoked token", func(t *testing.T) {
		creds := srv.Admin()
		creds.AuthToken = "revoked-" + creds.AuthToken
		_, err := newClient(t, creds, fast).GetIntegration(ctx, "659ea5b72dd9f928ada3e43e")
		checkDiagnostic(t, diagCase{action: "read", kind: client.IncomingType, err: mustFail(t, err),
			summary: "Rocket.Chat rejected the provider's credentials", want: []string{"HTTP 401"}})
	})
	t.Run("no permission", func(t *testing.T) {
		_, err := newClient(t, srv.Regular(), fast).CreateIntegration(ctx, incoming("#general"))
		checkDiagnostic(t, diagCase{action: "create", kind: client.IncomingType, err: mustFail(t, err),
			summary: "Not allowed to create the incoming integration", want: []string{"Unauthorized [not_authorized]", permissionHintStart}})
	})
}

// TestValidators checks each string validator's verdict and message.
func TestValidators(t *testing.T) {
	cases := []struct {
		name      string
		validator validator.String
		value     string
		want      string // the whole message; "" when the value is fine
	}{
		{"notBlank ok", notBlank(), "x", ""},
		{"notBlank keeps inner spaces", notBlank(), " a b ", ""},
		{"notBlank empty", notBlank(), "", "The value is empty. Give a non-empty value, or leave the attribute out."},
		{"notBlank whitespace", notBlank(), " \t\n", "The value is empty. Give a non-empty value, or leave the attribute out."},

		{"trimmed ok", trimmed(), "Deploy bot", ""},
		{"trimmed empty", trimmed(), "", "The value is empty. Give a non-empty value, or leave the attribute out."},
		{"trimmed leading space", trimmed(), " CI", `" CI" starts or ends with whitespace, which Rocket.Chat does not keep. Remove it.`},
		{"trimmed trailing newline", trimmed(), "CI\n", `"CI\n" starts or ends with whitespace, which Rocket.Chat does not keep. Remove it.`},

		{"http URL ok", absoluteHTTPURL(), "https://bot.example.com/hook?x=1", ""},
		{"http URL with port ok", absoluteHTTPURL(), "http://10.0.0.1:8080/hook", ""},
		{"http URL relative", absoluteHTTPURL(), "/hook", `The value is not an absolute http:// or https:// URL: it has no scheme (it must start with https:// or http://). Give a full URL such as https://example.com/hook. (The value is not shown: it may hold a secret.)`},
		{"http URL ftp", absoluteHTTPURL(), "ftp://example.com/hook", `The value is not an absolute http:// or https:// URL: its scheme is ftp, not http or https. Give a full URL such as https://example.com/hook. (The value is not shown: it may hold a secret.)`},
		{"http URL without host", absoluteHTTPURL(), "https:///hook", `The value is not an absolute http:// or https:// URL: it has no host. Give a full URL such as https://example.com/hook. (The value is not shown: it may hold a secret.)`},
		{"http URL with whitespace", absoluteHTTPURL(), " https://example.com", `The value is not an absolute http:// or https:// URL: it starts or ends with whitespace. Give a full URL such as https://example.com/hook. (The value is not shown: it may hold a secret.)`},
		{"http URL upper-case scheme", absoluteHTTPURL(), "HTTPS://example.com/hook", ""},

		{"URL ok", absoluteURL(), "https://example.com/a.png", ""},
		{"URL data ok", absoluteURL(), "data:image/png;base64,iVBORw0KGgo=", ""},
		{"URL relative", absoluteURL(), "a.png", `The value is not an absolute URL: it has no scheme, such as https:. Give a full URL such as https://example.com/avatar.png. (The value is not shown: it may hold a secret.)`},
		{"URL without host", absoluteURL(), "https://", `The value is not an absolute URL: it has no host. Give a full URL such as https://example.com/avatar.png. (The value is not shown: it may hold a secret.)`},
		{"URL with whitespace", absoluteURL(), "https://example.com/a.png ", `The value is not an absolute URL: it starts or ends with whitespace. Give a full URL such as https://example.com/avatar.png. (The value is not shown: it may hold a secret.)`},

		{"emoji ok", emojiName(), ":white_check_mark:", ""},
		{"emoji plus ok", emojiName(), ":+1:", ""},
		{"emoji without colons", emojiName(), "ghost", `"ghost" is not an emoji name. Write it between colons, such as :ghost: or :white_check_mark:.`},
		{"emoji empty name", emojiName(), "::", `"::" is not an emoji name. Write it between colons, such as :ghost: or :white_check_mark:.`},
		{"emoji two names", emojiName(), ":a::b:", `":a::b:" is not an emoji name. Write it between colons, such as :ghost: or :white_check_mark:.`},

		{"username ok", postAsUsername(), "rocket.cat", ""},
		{"username empty", postAsUsername(), " ", "The username is empty. Give the username of an existing user, such as rocket.cat."},
		{"username with @", postAsUsername(), "@alice", `"@alice" starts with @. Give the username alone, such as "alice".`},
		{"username with space", postAsUsername(), "alice smith", `"alice smith" contains whitespace or a comma, which no Rocket.Chat username has.`},
		{"username with comma", postAsUsername(), "alice,bob", `"alice,bob" contains whitespace or a comma, which no Rocket.Chat username has.`},
		{"username with tab", postAsUsername(), "alice\t", `"alice\t" contains whitespace or a comma, which no Rocket.Chat username has.`},

		{"incoming room ok", channelTarget(false), "#general", ""},
		{"incoming user ok", channelTarget(false), "@alice", ""},
		{"incoming room by id ok", channelTarget(false), "#GENERAL", ""},
		{"incoming all_public_channels", channelTarget(false), "all_public_channels", `"all_public_channels" is not a room or a user. Write a room as #name (e.g. #general) and a user as @username (e.g. @alice).`},
		{"incoming name alone", channelTarget(false), "general", `"general" is not a room or a user. Write a room as #name (e.g. #general) and a user as @username (e.g. @alice).`},
		{"incoming # alone", channelTarget(false), "#", `"#" is not a room or a user. Write a room as #name (e.g. #general) and a user as @username (e.g. @alice).`},
		{"incoming empty", channelTarget(false), "", `"" is not a room or a user. Write a room as #name (e.g. #general) and a user as @username (e.g. @alice).`},
		{"incoming surrounding space", channelTarget(false), "#general ", `"#general " starts or ends with whitespace, which Rocket.Chat trims. Remove it.`},
		{"incoming inner space", channelTarget(false), "#dev ops", `"#dev ops" contains whitespace, which no room name or username has.`},
		{"incoming comma", channelTarget(false), "#a,#b", `"#a,#b" contains a comma. Give each room or user as its own list entry.`},
		{"outgoing all_public_channels ok", channelTarget(true), "all_public_channels", ""},
		{"outgoing all_private_groups ok", channelTarget(true), "all_private_groups", ""},
		{"outgoing all_direct_messages ok", channelTarget(true), "all_direct_messages", ""},
		{"outgoing room ok", channelTarget(true), "#dev", ""},
		{"outgoing ALL_PUBLIC_CHANNELS", channelTarget(true), "ALL_PUBLIC_CHANNELS", `"ALL_PUBLIC_CHANNELS" must be written in lower case: all_public_channels.`},
		{"outgoing All_Direct_Messages", channelTarget(true), "All_Direct_Messages", `"All_Direct_Messages" must be written in lower case: all_direct_messages.`},
		{"outgoing name alone", channelTarget(true), "dev", `"dev" is not a room or a user. Write a room as #name (e.g. #general) and a user as @username (e.g. @alice), or use all_public_channels, all_private_groups, all_direct_messages.`},
		{"outgoing scoped with space", channelTarget(true), " all_public_channels", `" all_public_channels" starts or ends with whitespace, which Rocket.Chat trims. Remove it.`},

		{"duration ok", positiveDuration(), "1m30s", ""},
		{"duration not a duration", positiveDuration(), "soon", `"soon" not a duration; use a Go duration such as 30s, 2m or 1m30s.`},
		{"duration without unit", positiveDuration(), "30", `"30" not a duration; use a Go duration such as 30s, 2m or 1m30s.`},
		{"duration zero", positiveDuration(), "0s", `"0s" must be longer than zero.`},
		{"duration negative", positiveDuration(), "-5s", `"-5s" must be longer than zero.`},
	}
	ctx := context.Background()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := path.Root("attr")
			req := validator.StringRequest{Path: p, ConfigValue: types.StringValue(tc.value)}
			var resp validator.StringResponse
			tc.validator.ValidateString(ctx, req, &resp)
			diags := resp.Diagnostics
			if tc.want == "" {
				if diags.HasError() {
					t.Fatalf("%q refused: %v", tc.value, diags)
				}
				return
			}
			if len(diags) != 1 {
				t.Fatalf("%q: want one error, got %v", tc.value, diags)
			}
			d := diags[0]
			if d.Summary() != "Invalid attr" || d.Detail() != tc.want {
				t.Errorf("%q: got %q / %q, want %q / %q", tc.value, d.Summary(), d.Detail(), "Invalid attr", tc.want)
			}
			if wp, ok := d.(diag.DiagnosticWithPath); !ok || !wp.Path().Equal(p) {
				t.Errorf("%q: the error does not point at the attribute", tc.value)
			}
		})
	}
}

// TestURLValidatorsNeverQuoteTheValue feeds URLs with a secret in every part
// a URL can hide one in: none of it may reach the message, since Terraform
// does not tell a provider that a value came from a sensitive variable.
func TestURLValidatorsNeverQuoteTheValue(t *testing.T) {
	const secret = "s3cr3t"
	values := []string{
		"chat.example.com/hook?token=" + secret,
		"127.0.0.1:3000/?token=" + secret,
		"user:" + secret + "@chat.example.com",
		secret + ":password@chat.example.com",
		"https://user:" + secret + "@",
		"https:///hooks/" + secret,
		"ftp://chat.example.com/" + secret,
		" https://chat.example.com/?token=" + secret,
		"https://chat.example.com/hook?token=" + secret + " ",
		"https://chat example.com/#" + secret,
		"https://chat.example.com/%zz" + secret,
		"/hooks/" + secret,
		secret,
	}
	for _, v := range []validator.String{absoluteHTTPURL(), absoluteURL()} {
		for _, value := range values {
			var resp validator.StringResponse
			v.ValidateString(context.Background(), validator.StringRequest{Path: path.Root("urls").AtListIndex(0), ConfigValue: types.StringValue(value)}, &resp)
			if !resp.Diagnostics.HasError() && v.Description(context.Background()) == absoluteHTTPURL().Description(context.Background()) {
				t.Errorf("%q accepted as an absolute http URL", value)
			}
			for _, d := range resp.Diagnostics {
				if strings.Contains(d.Summary()+d.Detail(), secret) {
					t.Errorf("%s: the message for %q shows the secret: %s", v.Description(context.Background()), value, d.Detail())
				}
			}
		}
	}
}

// TestValidatorsSkipNullAndUnknown leaves null values to Required and
// unknown ones to apply time.
func TestValidatorsSkipNullAndUnknown(t *testing.T) {
	for _, v := range []validator.String{notBlank(), trimmed(), absoluteHTTPURL(), absoluteURL(), emojiName(), postAsUsername(), channelTarget(true), positiveDuration()} {
		for _, val := range []types.String{types.StringNull(), types.StringUnknown()} {
			var resp validator.StringResponse
			v.ValidateString(context.Background(), validator.StringRequest{Path: path.Root("attr"), ConfigValue: val}, &resp)
			if resp.Diagnostics.HasError() {
				t.Errorf("%s refused %v: %v", v.Description(context.Background()), val, resp.Diagnostics)
			}
		}
	}
}

// TestValidatorSummaryNamesListEntries names the list in the summary of an
// entry's error, while the error still points at the entry itself.
func TestValidatorSummaryNamesListEntries(t *testing.T) {
	var resp validator.StringResponse
	p := path.Root("channels").AtListIndex(2)
	channelTarget(false).ValidateString(context.Background(), validator.StringRequest{Path: p, ConfigValue: types.StringValue("dev")}, &resp)
	if len(resp.Diagnostics) != 1 || resp.Diagnostics[0].Summary() != "Invalid channels entry" {
		t.Fatalf("got %v, want one error \"Invalid channels entry\"", resp.Diagnostics)
	}
	if wp, ok := resp.Diagnostics[0].(diag.DiagnosticWithPath); !ok || !wp.Path().Equal(p) {
		t.Errorf("the error does not point at channels[2]")
	}
}
