package rocketchattest

import (
	"fmt"
	"net/http"
)

// apiFailure is an answer other than 200, with Rocket.Chat's body for it.
type apiFailure struct {
	status int
	body   map[string]any
}

func (f *apiFailure) Error() string { return fmt.Sprintf("HTTP %d: %v", f.status, f.body["error"]) }

// meteorError is a Meteor.Error(error, reason, details) thrown in a method.
// Rocket.Chat's REST wrapper turns it into a 400 whose "error" is Meteor's
// message, "<reason> [<error>]" or "[<error>]" without a reason (spec §1.2).
func meteorError(errorType, reason string, details map[string]any) *apiFailure {
	msg := "[" + errorType + "]"
	if reason != "" {
		msg = reason + " " + msg
	}
	body := map[string]any{"success": false, "error": msg, "errorType": errorType}
	if details != nil {
		body["details"] = details
	}
	status := http.StatusBadRequest
	switch errorType {
	case "unauthorized", "error-unauthorized":
		status = http.StatusForbidden
	case "error-too-many-requests":
		status = http.StatusTooManyRequests
	}
	return &apiFailure{status: status, body: body}
}

// plainError is a plain Error (or API.v1.failure(msg)): it has no errorType.
func plainError(msg string) *apiFailure {
	return &apiFailure{status: http.StatusBadRequest, body: map[string]any{"success": false, "error": msg}}
}

func method(name string) map[string]any   { return map[string]any{"method": name} }
func function(name string) map[string]any { return map[string]any{"function": name} }

// notLoggedIn is API.v1.unauthorized() for a missing or wrong token. The
// status/message pair is the compatibility shim that 7.x and 8.x still send.
func notLoggedIn() *apiFailure {
	const msg = "You must be logged in to do this."
	return &apiFailure{status: http.StatusUnauthorized, body: map[string]any{
		"success": false, "error": msg, "status": "error", "message": msg,
	}}
}

// forbiddenFailure is the answer to a route-level permission check (7.x and 8.x).
func forbiddenFailure() *apiFailure {
	return &apiFailure{status: http.StatusForbidden, body: map[string]any{
		"success": false, "error": "User does not have the permissions required for this action [error-unauthorized]",
	}}
}

// tooManyRequests is the rate limiter's answer; it carries no errorType.
func tooManyRequests(waitSeconds int) *apiFailure {
	return &apiFailure{status: http.StatusTooManyRequests, body: map[string]any{
		"success": false,
		"error": fmt.Sprintf("Error, too many requests. Please slow down. You must wait %d seconds before trying this endpoint again. [error-too-many-requests]",
			waitSeconds),
	}}
}
