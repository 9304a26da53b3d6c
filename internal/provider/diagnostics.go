package provider

import (
	"errors"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/terraform-rocketchat/terraform-provider-rocketchat/internal/client"
)

// errorAttributes maps Rocket.Chat's errorType values to the attribute they
// concern (spec §3.1–§3.5).
var errorAttributes = map[string]string{
	"error-invalid-channel":                           "channels",
	"error-invalid-channel-start-with-chars":          "channels",
	"error-invalid-room":                              "channels",
	"error-invalid-username":                          "username",
	"error-invalid-user":                              "username",
	"error-invalid-post-as-user":                      "username",
	"error-user-lacks-message-impersonate-permission": "username",
	"error-invalid-event-type":                        "event",
	"error-invalid-permissions":                       "event",
	"error-invalid-targetRoom":                        "target_room",
	"error-invalid-urls":                              "urls",
	"error-invalid-triggerWords":                      "trigger_words",
	"error-invalid-token":                             "token",
	// Plain errors, which carry their code as the whole text (spec §3.1.2 #6).
	"integration-scripts-disabled":             "script",
	"integration-scripts-isolated-vm-disabled": "script",
}

// errorHints explain what a Rocket.Chat error usually means for a Terraform user.
var errorHints = map[string]string{
	"error-invalid-room": "Every entry of channels must name an existing room (#name) or user (@username).",
	"error-invalid-channel": "Unless the provider's user holds both the manage-<kind>-integrations and the " +
		"manage-own-<kind>-integrations permissions, it must be a member of every room in channels, and it can " +
		"never target @users.",
	"error-invalid-user":         "username must be the username of an existing user, such as rocket.cat.",
	"error-invalid-post-as-user": "username must be the username of an existing user, such as rocket.cat.",
	"error-user-lacks-message-impersonate-permission": "From Rocket.Chat 8.6 on, the user an incoming integration posts as must " +
		"hold the message-impersonate permission (by default only the bot and app roles do). Post as a bot user such as " +
		"rocket.cat, or grant the permission to one of the user's roles.",
	"error-invalid-permissions": "The events roomArchived, roomCreated and userCreated need the " +
		"manage-outgoing-integrations permission; the manage-own permission is not enough.",
	"integration-scripts-disabled": "The Rocket.Chat server forbids integration scripts (FREEZE_INTEGRATION_SCRIPTS " +
		"is set). Remove script, or ask its administrator to allow scripts.",
	"integration-scripts-isolated-vm-disabled": "The Rocket.Chat server forbids integration scripts (FREEZE_INTEGRATION_SCRIPTS " +
		"is set). Remove script, or ask its administrator to allow scripts.",
}

// permissionHint is added to every answer that means "not allowed".
const permissionHint = "The user the provider authenticates as lacks a permission. Creating, reading, changing and " +
	"deleting integrations needs manage-incoming-integrations / manage-outgoing-integrations, or the manage-own-* " +
	"variants for integrations that user created. An administrator grants them under Administration → Permissions."

// apiErrorDiagnostic turns an error of the client into a diagnostic with
// Rocket.Chat's own message, on the attribute it concerns where there is
// one, with a hint for permission, credential and rate-limit problems.
func apiErrorDiagnostic(action string, kind client.IntegrationType, err error) diag.Diagnostic {
	return apiErrorDiagnosticFor(action+" the "+kindName(kind), kind, err)
}

// apiErrorDiagnosticFor is apiErrorDiagnostic for what the summaries name,
// such as "list the integrations", where a single integration does not fit.
func apiErrorDiagnosticFor(what string, kind client.IntegrationType, err error) diag.Diagnostic {
	summary := "Rocket.Chat could not " + what
	detail := err.Error()
	var apiErr *client.APIError
	attr := ""
	if errors.As(err, &apiErr) {
		code := apiErr.ErrorType
		if code == "" {
			// A plain Error has no errorType; some use their code as the text.
			code = strings.TrimSpace(apiErr.ErrorText)
		}
		attr = errorAttributes[code]
		if hint := errorHints[code]; hint != "" {
			detail += "\n\n" + strings.ReplaceAll(hint, "<kind>", kindWord(kind))
			if code == "error-invalid-channel" && kind == client.OutgoingType {
				detail += " The targets all_private_groups and all_direct_messages need manage-outgoing-integrations."
			}
		}
	}
	switch {
	case client.IsPermissionDenied(err):
		summary = "Not allowed to " + what
		detail += "\n\n" + permissionHint
	case client.IsUnauthorized(err):
		summary = "Rocket.Chat rejected the provider's credentials"
		detail += "\n\nThe auth token may have been revoked or the password changed; check the provider configuration."
	case client.IsRateLimited(err):
		detail += "\n\nRocket.Chat's rate limiter kept refusing the call for longer than max_retry_wait allows. " +
			"Raise max_retry_wait, lower -parallelism, or give the provider's user the api-bypass-rate-limit permission."
	case client.IsOutcomeUnknown(err):
		summary = "The outcome of the request to " + what + " is unknown"
		detail += "\n\nRocket.Chat may have acted on the request before the answer was lost. " +
			"Look for the integration in Rocket.Chat (Administration → Integrations); if it exists, import it with " +
			"`terraform import` instead of applying again, so that no duplicate is created."
	}
	if attr != "" && attributeOf(kind, attr) {
		return diag.NewAttributeErrorDiagnostic(path.Root(attr), summary, detail)
	}
	return diag.NewErrorDiagnostic(summary, detail)
}

// attributeOf reports whether a kind of integration has the attribute.
func attributeOf(kind client.IntegrationType, attr string) bool {
	switch attr {
	case "event", "target_room", "urls", "trigger_words", "token":
		return kind == client.OutgoingType
	}
	return true
}

func kindName(kind client.IntegrationType) string {
	return kindWord(kind) + " integration"
}

func kindWord(kind client.IntegrationType) string {
	if kind == client.OutgoingType {
		return "outgoing"
	}
	return "incoming"
}

// notConfigured is the error of an operation that needs the server while the
// provider could not be configured yet (a setting is unknown during plan).
func notConfigured() diag.Diagnostic {
	return diag.NewErrorDiagnostic("Rocket.Chat provider not configured",
		"The provider's settings are not known yet (they depend on resources that have not been created), so it "+
			"cannot talk to Rocket.Chat. Apply the resources the provider configuration depends on first, or set the "+
			"settings to known values.")
}

// scriptErrorWarning tells the user that Rocket.Chat stored the integration
// but could not compile its script: Rocket.Chat answers such a request with
// success, so without this warning nobody would notice.
func scriptErrorWarning(doc *client.Integration) diag.Diagnostic {
	if doc == nil || doc.ScriptError == nil || !doc.ScriptEnabled {
		return nil
	}
	return diag.NewAttributeWarningDiagnostic(path.Root("script"), "Rocket.Chat could not compile the script",
		fmt.Sprintf("Rocket.Chat saved the %s but reports: %s: %s\n\nUntil the script is fixed, Rocket.Chat runs the "+
			"integration as if it had no script.", kindName(doc.Type), doc.ScriptError.Name, doc.ScriptError.Message))
}
