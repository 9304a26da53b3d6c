package client

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// ErrOutcomeUnknown marks a failed create whose request may have reached
// Rocket.Chat: the integration may exist although no answer said so.
// Creates are not repeated in that case, because a lost answer must not turn
// into a duplicate integration.
var ErrOutcomeUnknown = errors.New("the outcome of the request is unknown")

// ErrRateLimited marks a call given up because Rocket.Chat's rate limit would
// have made it wait longer than RetryPolicy.MaxElapsed allows. An *APIError
// with HTTP 429 also matches it with errors.Is.
var ErrRateLimited = errors.New("rate limited by Rocket.Chat")

// APIError is an answer from Rocket.Chat that reports a failure: an HTTP
// status outside 2xx, a 2xx body with "success": false, or a body that cannot
// be read as JSON. Texts taken from the body have every known secret replaced
// by "***".
type APIError struct {
	Method   string // HTTP method, e.g. "PUT"
	Endpoint string // path only, e.g. "/api/v1/integrations.update"

	StatusCode int
	ErrorText  string         // Rocket.Chat's "error"
	ErrorType  string         // "errorType"
	Message    string         // "message" (the 401 and login answers carry it)
	Status     string         // "status" (e.g. "error")
	Details    map[string]any // "details"; a non-object value is kept under the key "details"

	ContentType string // the answer's Content-Type
	// BodyExcerpt is the start of a body that is not JSON or carries no error
	// text: at most about 200 bytes, control characters removed, secrets
	// redacted.
	BodyExcerpt string
	Location    string // the target of a redirect, which is never followed
	// HTML is set when the answer was an HTML page rather than JSON with a
	// status an access gateway answers with (see IsHTMLPage); PageTitle is
	// its title, redacted.
	HTML      bool
	PageTitle string
	// LoginRedirect is set when the answer redirected to a login page, as
	// Cloudflare Access does (see IsAccessGateway).
	LoginRedirect bool

	jsonBody bool
}

// Error describes the failure in one sentence.
func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "Rocket.Chat answered %s %s with HTTP %d", e.Method, e.Endpoint, e.StatusCode)
	text := e.text()
	switch {
	case e.StatusCode >= 300 && e.StatusCode < 400 && text == "":
		if e.Location != "" {
			fmt.Fprintf(&b, ", a redirect to %s", e.Location)
		} else {
			b.WriteString(", a redirect")
		}
		if e.LoginRedirect {
			b.WriteString("; a redirect to a login page is what an access gateway in front of Rocket.Chat answers a request without its credentials")
		} else {
			b.WriteString("; redirects are not followed (they would carry the credentials elsewhere): set the server URL to the address Rocket.Chat is served at")
		}
	case text != "":
		if e.StatusCode >= 200 && e.StatusCode < 300 {
			b.WriteString(" but reported a failure")
		}
		b.WriteString(": ")
		b.WriteString(text)
	case e.jsonBody:
		b.WriteString(" and no error message")
		if e.BodyExcerpt != "" {
			b.WriteString(": ")
			b.WriteString(e.BodyExcerpt)
		}
	case e.BodyExcerpt == "":
		b.WriteString(" and an empty body")
	default:
		if isJSONContentType(e.ContentType) {
			b.WriteString(" and a body that is not valid JSON")
		} else {
			b.WriteString(" and a body that is not JSON")
		}
		if e.ContentType != "" {
			fmt.Fprintf(&b, " (%s)", e.ContentType)
		}
		b.WriteString(": ")
		b.WriteString(e.BodyExcerpt)
		if e.HTML {
			b.WriteString("; this HTML page")
			if e.PageTitle != "" && !strings.Contains(e.BodyExcerpt, e.PageTitle) {
				fmt.Fprintf(&b, " (titled %q)", e.PageTitle)
			}
			b.WriteString(" is what an access gateway or a login page in front of Rocket.Chat answers, not Rocket.Chat")
		}
	}
	return b.String()
}

// text combines error, message and errorType without repeating them.
func (e *APIError) text() string {
	msg := strings.TrimSpace(e.ErrorText)
	m := strings.TrimSpace(e.Message)
	switch {
	case msg == "":
		msg = m
	case m != "" && !strings.Contains(msg, m) && !strings.Contains(m, msg):
		msg += " (" + m + ")"
	case m != "" && strings.Contains(m, msg):
		msg = m
	}
	if e.ErrorType != "" && !strings.Contains(msg, "["+e.ErrorType+"]") {
		if msg != "" {
			msg += " "
		}
		msg += "[" + e.ErrorType + "]"
	}
	return msg
}

// Is lets errors.Is(err, ErrRateLimited) match a 429 answer.
func (e *APIError) Is(target error) bool {
	return target == ErrRateLimited && e.StatusCode == http.StatusTooManyRequests
}

// TransportError is a call that got no (complete) answer: the connection was
// refused, reset or timed out, or the context ended. Err keeps the cause, so
// errors.Is(err, context.Canceled) and errors.As(err, **net.OpError) work.
type TransportError struct {
	Method   string
	Endpoint string
	Err      error
	// Timeout is the per-attempt limit when that limit ended the attempt.
	Timeout time.Duration

	msg string // secret-free description of Err
}

func (e *TransportError) Error() string {
	if e.Timeout > 0 {
		return fmt.Sprintf("Rocket.Chat did not answer %s %s within %s", e.Method, e.Endpoint, e.Timeout)
	}
	return fmt.Sprintf("could not get an answer from Rocket.Chat for %s %s: %s", e.Method, e.Endpoint, e.msg)
}

func (e *TransportError) Unwrap() error { return e.Err }

// outcomeUnknownError wraps a create failure after which the integration may
// or may not exist.
type outcomeUnknownError struct {
	method, endpoint string
	err              error
}

func (e *outcomeUnknownError) Error() string {
	return fmt.Sprintf("%v; %s: Rocket.Chat may have created the integration anyway. "+
		"Look for it in Rocket.Chat (Administration > Integrations), then import it or delete it before trying again",
		e.err, ErrOutcomeUnknown)
}

func (e *outcomeUnknownError) Unwrap() []error { return []error{ErrOutcomeUnknown, e.err} }

// gaveUpError tells how long a call was retried before its last error.
type gaveUpError struct {
	err      error
	attempts int
	elapsed  time.Duration
	reason   string
}

func (e *gaveUpError) Error() string {
	attempts := "1 attempt"
	if e.attempts != 1 {
		attempts = fmt.Sprintf("%d attempts", e.attempts)
	}
	if e.reason != "" {
		return fmt.Sprintf("%v (gave up after %s in %s: %s)", e.err, attempts, e.elapsed.Round(time.Millisecond), e.reason)
	}
	return fmt.Sprintf("%v (gave up after %s in %s)", e.err, attempts, e.elapsed.Round(time.Millisecond))
}

func (e *gaveUpError) Unwrap() error { return e.err }

// rateLimitWaitError is a call not sent because the rate-limit window of its
// endpoint ends later than the call may wait.
type rateLimitWaitError struct {
	method, endpoint string
	limit            string
	wait             time.Duration
}

func (e *rateLimitWaitError) Error() string {
	limit := "the rate limit"
	if e.limit != "" {
		limit = "the rate limit of " + e.limit + " calls"
	}
	return fmt.Sprintf("%s was reached for %s %s and its window resets in %s, later than one call may wait (RetryPolicy.MaxElapsed)",
		limit, e.method, e.endpoint, e.wait.Round(time.Second))
}

func (e *rateLimitWaitError) Unwrap() error { return ErrRateLimited }

// newAPIError builds an APIError from an answer. Every text taken from the
// body is redacted.
func newAPIError(method, endpoint string, status int, header http.Header, body []byte, sec *secretSet) *APIError {
	e := &APIError{Method: method, Endpoint: endpoint, StatusCode: status}
	if header != nil {
		e.ContentType = header.Get("Content-Type")
		if loc := header.Get("Location"); loc != "" && status >= 300 && status < 400 {
			// Query, fragment and user info may carry credentials.
			if u, err := url.Parse(loc); err == nil {
				u.User, u.RawQuery, u.ForceQuery, u.Fragment, u.RawFragment = nil, "", false, "", ""
				loc = u.String()
			} else if i := strings.IndexAny(loc, "?#@"); i >= 0 {
				loc = loc[:i]
			}
			e.Location = sec.redact(loc)
			e.LoginRedirect = loginLocation(loc)
		}
	}
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 {
		return e
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(trimmed, &raw); err != nil {
		var anyJSON any
		if json.Unmarshal(trimmed, &anyJSON) == nil {
			e.jsonBody = true
		}
		e.BodyExcerpt = sec.excerpt(trimmed)
		if !e.jsonBody && gatewayStatus(status) && looksLikeHTML(e.ContentType, trimmed) {
			e.HTML = true
			if m := htmlTitleRE.FindSubmatch(trimmed); m != nil {
				e.PageTitle = sec.excerpt(m[1])
			}
		}
		return e
	}
	e.jsonBody = true
	e.ErrorText = sec.redact(rawText(raw["error"]))
	e.ErrorType = sec.redact(rawText(raw["errorType"]))
	e.Message = sec.redact(rawText(raw["message"]))
	e.Status = sec.redact(rawText(raw["status"]))
	if d, ok := raw["details"]; ok && !isNull(d) {
		var v any
		if json.Unmarshal(d, &v) == nil {
			switch t := sec.redactValue(v).(type) {
			case map[string]any:
				e.Details = t
			default:
				e.Details = map[string]any{"details": t}
			}
		}
	}
	if e.ErrorText == "" && e.Message == "" && e.ErrorType == "" {
		e.BodyExcerpt = sec.excerpt(trimmed)
	}
	return e
}

// rawText reads a JSON value as text: a string as is, anything else as
// compact JSON.
func rawText(r json.RawMessage) string {
	if len(r) == 0 || isNull(r) {
		return ""
	}
	var s string
	if json.Unmarshal(r, &s) == nil {
		return s
	}
	var b bytes.Buffer
	if json.Compact(&b, r) == nil {
		return b.String()
	}
	return string(r)
}

func isNull(r json.RawMessage) bool { return string(bytes.TrimSpace(r)) == "null" }

func isJSONContentType(ct string) bool {
	ct = strings.ToLower(ct)
	return strings.Contains(ct, "/json") || strings.Contains(ct, "+json")
}

// Not-found answers (spec §3.2 #4, §3.4.1, §3.5 #4): Rocket.Chat reports a
// missing integration with HTTP 400 and one of these plain texts, never 404.
const (
	notFoundGet    = "The integration does not exists."
	notFoundChange = "No integration found."
)

// IsNotFound reports whether err says the integration does not exist: HTTP
// 400 with "The integration does not exists." (integrations.get) or "No
// integration found." (integrations.update, integrations.remove).
//
// Nothing else counts. Permission answers ("not-authorized",
// "[not_authorized]", "[error-invalid-integration]",
// "[invalid_integration]") must never look like "gone", or the resource
// would be dropped from state and created again as a duplicate. A 404 does
// not count either: Rocket.Chat never answers 404 for a missing integration,
// so a 404 means a wrong URL, a proxy or a missing route.
func IsNotFound(err error) bool {
	var e *APIError
	if !errors.As(err, &e) || e.StatusCode != http.StatusBadRequest {
		return false
	}
	t := strings.TrimSpace(e.ErrorText)
	return t == notFoundGet || t == notFoundChange
}

// IsUnauthorized reports whether Rocket.Chat rejected the credentials
// (HTTP 401, spec §1.1 and §5): wrong user id or token, a revoked token, or a
// failed login.
func IsUnauthorized(err error) bool {
	var e *APIError
	return errors.As(err, &e) && e.StatusCode == http.StatusUnauthorized
}

// permissionErrorTypes are the errorType values of permission failures.
var permissionErrorTypes = map[string]bool{
	// create, update, remove without any manage(-own) permission: spec §3.1.2 #2, §3.1.3 #2, §3.4.2 #3, §3.4.3 #3, §3.5 #5.
	"not_authorized": true,
	// outgoing events without channels need manage-outgoing-integrations: spec §3.1.3 #10c.
	"error-invalid-permissions": true,
	// someone else's integration with only manage-own permission: update incoming §3.4.2 #4 and remove §3.5 #6
	// (existence was checked before, so this is never "gone").
	"error-invalid-integration": true,
	// the same for outgoing update: spec §3.4.3 #4.
	"invalid_integration": true,
	// route permission answers, normally with HTTP 403: spec §1.1, §1.2.
	"error-unauthorized": true,
	"unauthorized":       true,
}

// IsPermissionDenied reports whether Rocket.Chat refused the call for lack of
// a permission:
//   - HTTP 403, e.g. "User does not have the permissions required for this
//     action [error-unauthorized]" (spec §1.1; 6.x: "unauthorized", §10);
//   - HTTP 400 with error "not-authorized" from integrations.get (§3.2 #5);
//   - HTTP 400 with errorType not_authorized, error-invalid-permissions,
//     error-invalid-integration or invalid_integration (§3.1.2 #2,
//     §3.1.3 #2 and #10c, §3.4.2 #3–4, §3.4.3 #3–4, §3.5 #5–6).
func IsPermissionDenied(err error) bool {
	var e *APIError
	if !errors.As(err, &e) {
		return false
	}
	if e.StatusCode == http.StatusForbidden {
		return true
	}
	if e.StatusCode != http.StatusBadRequest {
		return false
	}
	text := strings.TrimSpace(e.ErrorText)
	if text == "not-authorized" {
		return true
	}
	for t := range permissionErrorTypes {
		if hasErrorType(err, t) {
			return true
		}
	}
	return false
}

// IsRateLimited reports whether Rocket.Chat's rate limiter refused the call
// (HTTP 429, spec §6), or the call gave up waiting for its window to reset.
func IsRateLimited(err error) bool {
	return errors.Is(err, ErrRateLimited)
}

// IsOutcomeUnknown reports whether a create failed in a way that leaves open
// whether the integration was created.
func IsOutcomeUnknown(err error) bool { return errors.Is(err, ErrOutcomeUnknown) }
