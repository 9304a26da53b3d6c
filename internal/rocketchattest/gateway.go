package rocketchattest

import (
	"crypto/subtle"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"strings"
)

// WithRequiredHeader puts the server behind an access gateway that lets
// through only requests carrying this header with exactly this value, as
// Cloudflare Access does with a service token (CF-Access-Client-Id and
// CF-Access-Client-Secret) or a company proxy with a header of its own.
// Given more than once, every header is required. Other requests never reach
// Rocket.Chat (they are not counted either) and get the gateway's login page
// instead; see accessGateway. The value is never logged.
func WithRequiredHeader(name, value string) Option {
	return func(c *config) {
		c.requiredHeaders = append(c.requiredHeaders, requiredHeader{name: http.CanonicalHeaderKey(name), value: value})
	}
}

type requiredHeader struct{ name, value string }

// accessLoginPath is where Cloudflare Access serves its login page, on the
// team's domain (https://TEAM.cloudflareaccess.com/cdn-cgi/access/login/HOST).
const accessLoginPath = "/cdn-cgi/access/login/"

// accessGateway answers as Cloudflare Access answers a request without a
// valid session or service token: 302 Found to its login page, whatever the
// method and Accept header, with the application's AUD tag as kid and the
// requested path as redirect_url; the login page itself is HTML served with
// 200 and the title "Sign in ・ Cloudflare Access". Cloudflare was chosen
// over oauth2-proxy because oauth2-proxy answers an API client (Accept:
// application/json) with a bare 401 and a browser with its sign-in page
// under 403, not the redirect-then-HTML a client most often meets. Cloudflare
// serves the page from the team's domain; here it comes from the same host,
// so that a client following the redirect lands on it.
type accessGateway struct {
	required []requiredHeader
	aud      string // the application's AUD tag, 64 hex digits
	next     http.Handler
}

// withGateway puts next behind the access gateway when headers are required.
func (s *Server) withGateway(next http.Handler) http.Handler {
	if len(s.cfg.requiredHeaders) == 0 {
		return next
	}
	return &accessGateway{required: s.cfg.requiredHeaders, aud: randomString("0123456789abcdef", 64), next: next}
}

func (g *accessGateway) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, accessLoginPath) {
		g.serveLoginPage(w, r)
		return
	}
	if g.admits(r) {
		g.next.ServeHTTP(w, r)
		return
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	login := url.URL{
		Scheme:   scheme,
		Host:     r.Host,
		Path:     accessLoginPath + r.Host,
		RawQuery: url.Values{"kid": {g.aud}, "redirect_url": {r.URL.RequestURI()}}.Encode(),
	}
	http.Redirect(w, r, login.String(), http.StatusFound)
}

// admits reports whether every required header is there, once, with its
// value; the comparison takes the same time whatever the value sent.
func (g *accessGateway) admits(r *http.Request) bool {
	for _, h := range g.required {
		got := r.Header.Values(h.name)
		if len(got) != 1 || subtle.ConstantTimeCompare([]byte(got[0]), []byte(h.value)) != 1 {
			return false
		}
	}
	return true
}

func (g *accessGateway) serveLoginPage(w http.ResponseWriter, r *http.Request) {
	app := html.EscapeString(strings.TrimPrefix(r.URL.Path, accessLoginPath))
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	fmt.Fprintf(w, `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Sign in ・ Cloudflare Access</title>
</head>
<body>
<main>
<h1>Log in to %s</h1>
<form method="post" action="%s">
<label for="email">Email</label>
<input type="email" id="email" name="email" autocomplete="email">
<button type="submit">Send login code</button>
</form>
</main>
</body>
</html>
`, app, html.EscapeString(r.URL.Path))
}
