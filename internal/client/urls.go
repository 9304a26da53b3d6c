package client

import (
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strings"
)

// normalizeURL checks that raw is an absolute http(s) URL and returns it
// without a trailing slash. Its errors never quote raw: a URL may hold a
// secret, and the value may come from a sensitive setting.
func normalizeURL(raw string) (string, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return "", errors.New("the Rocket.Chat server URL is empty")
	}
	if problem := URLProblem(raw, true); problem != "" {
		hint := "give the server's base URL, such as https://chat.example.com"
		if hostPort.MatchString(raw) {
			// Only a host and a port, nothing secret: say what was meant.
			hint = "did you mean http://" + raw + " or https://" + raw + "?"
		}
		return "", fmt.Errorf("the Rocket.Chat server URL is not an absolute http:// or https:// URL: %s; %s", problem, hint)
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "", errors.New("the Rocket.Chat server URL cannot be parsed as a URL")
	}
	u.Scheme = strings.ToLower(u.Scheme)
	if u.User != nil {
		return "", errors.New("the Rocket.Chat server URL must not contain user info (user:password@); configure the credentials separately")
	}
	if u.RawQuery != "" || u.ForceQuery || u.Fragment != "" {
		return "", errors.New("the Rocket.Chat server URL must not have a query (?…) or a fragment (#…); give the server's base URL, such as https://chat.example.com")
	}
	u.Path = strings.TrimRight(u.Path, "/")
	u.RawPath = strings.TrimRight(u.RawPath, "/")
	return u.String(), nil
}

// hostPort matches a bare host with an optional port, e.g. 127.0.0.1:3000.
var hostPort = regexp.MustCompile(`^[A-Za-z0-9.-]+(:[0-9]{1,5})?$`)

var schemePattern = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9+.-]*$`)

// URLProblem says what keeps s from being an absolute URL (of http or https
// when httpOnly), without quoting any part of it but a well-formed scheme.
func URLProblem(s string, httpOnly bool) string {
	switch {
	case strings.TrimSpace(s) == "":
		return "it is empty"
	case strings.TrimSpace(s) != s:
		return "it starts or ends with whitespace"
	case strings.ContainsAny(s, " \t\r\n"):
		return "it contains whitespace"
	}
	noScheme := "it has no scheme (it must start with https:// or http://)"
	if !httpOnly {
		noScheme = "it has no scheme, such as https:"
	}
	scheme, rest, found := strings.Cut(s, ":")
	if !found || !schemePattern.MatchString(scheme) {
		return noScheme
	}
	u, err := url.Parse(s)
	if err != nil {
		return "it cannot be parsed as a URL"
	}
	lower := strings.ToLower(scheme)
	hierarchical := strings.HasPrefix(rest, "//")
	if httpOnly {
		switch {
		case !hierarchical:
			// "host:3000" or "user:password@host": what precedes the colon
			// is no scheme, and may be a user name.
			return noScheme
		case lower != "http" && lower != "https":
			return "its scheme is " + lower + ", not http or https"
		}
	}
	if hierarchical {
		if u.Host == "" {
			return "it has no host"
		}
	} else if u.Opaque == "" && u.Host == "" {
		return "it has nothing after the scheme"
	}
	return ""
}
