// Command rocketchat-test-server runs the in-memory Rocket.Chat of package
// rocketchattest as a program, for trying the provider by hand and for the
// demo.
//
//	go run ./internal/rocketchattest/cmd/rocketchat-test-server [-listen 127.0.0.1:3000] [-rate-limit CALLS/WINDOW|off] [-site-url URL] [-allow-outgoing HOSTS|*]
//	    [-tls] [-tls-client-auth] [-require-header NAME=VALUE ...]
//
// It listens on loopback only, prints `export NAME=value` lines for the
// administrator (ROCKETCHAT_URL, ROCKETCHAT_USER_ID, ROCKETCHAT_AUTH_TOKEN,
// ROCKETCHAT_USERNAME, ROCKETCHAT_PASSWORD), then a line `ready`, and serves
// until SIGINT or SIGTERM.
//
// -rate-limit sets the limit every user without api-bypass-rate-limit gets
// per endpoint: Rocket.Chat's default, 10/60s, unless given; off turns it
// off. /api/info is never limited.
//
// -site-url sets Rocket.Chat's Site_Url setting, served by
// /api/v1/settings.public as Rocket.Chat serves it: the address users reach
// the server at, which webhook URLs are built on. It defaults to the
// server's own URL.
//
// -allow-outgoing lets outgoing integrations call these hosts (a comma list
// of host names, addresses or host:port) besides loopback addresses, or any
// host with *. Without it a call elsewhere is refused and recorded in the
// integration's history.
//
// -rooms N adds the public channels room-1 … room-N, whose members are the
// administrator and the owner, e.g. to measure checks over many rooms.
//
// -tls serves HTTPS with a certificate from a throwaway authority made at
// start, for 127.0.0.1, ::1 and localhost; the authority's certificate is
// written to a temporary file, printed as ROCKETCHAT_CA_CERT_FILE, and
// removed when the program stops. -tls-client-auth (implies -tls) also
// requires a client certificate from that authority and writes one, with its
// key (mode 0600), for ROCKETCHAT_CLIENT_CERT_FILE and
// ROCKETCHAT_CLIENT_KEY_FILE.
//
// -require-header NAME=VALUE puts the server behind an access gateway:
// requests without that header and value get what Cloudflare Access
// answers, a redirect to an HTML login page. Repeat it to require several
// headers (a Cloudflare service token is two). The value is never printed.
//
// -user owner (or regular) prints the credentials of the seeded user with
// only the manage-own-* permissions (or with none) instead, e.g. to try the
// rate limiter, which the administrator bypasses. On SIGUSR1 the program
// prints a line "requests {...}" with every endpoint's request counter and
// "ratelimited {...}" with the refused calls, for benchmarks.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/terraform-rocketchat/terraform-provider-rocketchat/internal/rocketchattest"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("rocketchat-test-server", flag.ContinueOnError)
	fs.SetOutput(stderr)
	listen := fs.String("listen", "127.0.0.1:3000", "loopback address to listen on; 127.0.0.1:0 picks a free port")
	rateLimit := fs.String("rate-limit", "10/60s", "rate limit non-admin users to CALLS per WINDOW per endpoint (Rocket.Chat's default: 10/60s); off turns it off")
	version := fs.String("version", "8.8.1", "Rocket.Chat version to report")
	who := fs.String("user", "admin", "whose credentials the export lines give: admin, owner (manage-own permissions only) or regular (no integration permission)")
	rooms := fs.Int("rooms", 0, "add this many public channels, room-1 … room-N, with the administrator and the owner as members")
	siteURL := fs.String("site-url", "", "Rocket.Chat's Site_Url setting, the root of the webhook URLs its UI shows (default: the server's own URL)")
	allowOutgoing := fs.String("allow-outgoing", "", "hosts outgoing integrations may call besides loopback addresses: a comma list, or * for any")
	useTLS := fs.Bool("tls", false, "serve HTTPS with a throwaway certificate authority, written to a temporary file (ROCKETCHAT_CA_CERT_FILE) removed on exit")
	clientAuth := fs.Bool("tls-client-auth", false, "require a client certificate from that authority (implies -tls); one is written with its key to temporary files (ROCKETCHAT_CLIENT_CERT_FILE, ROCKETCHAT_CLIENT_KEY_FILE)")
	var requiredHeaders headerFlags
	fs.Var(&requiredHeaders, "require-header", "answer requests lacking the header `NAME=VALUE` as an access gateway (Cloudflare Access) does, with a redirect to an HTML login page; repeat for several headers; the value is never printed")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	opts := []rocketchattest.Option{rocketchattest.WithListenAddr(*listen), rocketchattest.WithVersion(*version)}
	if *useTLS {
		opts = append(opts, rocketchattest.WithTLS())
	}
	if *clientAuth {
		opts = append(opts, rocketchattest.WithClientAuth())
	}
	for i, raw := range requiredHeaders {
		name, value, err := parseRequiredHeader(raw)
		if err != nil {
			// Neither the argument nor a part of it is shown: it may be a secret.
			fmt.Fprintf(stderr, "rocketchat-test-server: -require-header (number %d): %v\n", i+1, err)
			return 2
		}
		opts = append(opts, rocketchattest.WithRequiredHeader(name, value))
	}
	if *siteURL != "" {
		opts = append(opts, rocketchattest.WithSiteURL(*siteURL))
	}
	switch hosts := strings.TrimSpace(*allowOutgoing); hosts {
	case "":
	case "*":
		opts = append(opts, rocketchattest.WithAnyOutgoingHost())
	default:
		list := slices.DeleteFunc(strings.Split(hosts, ","), func(h string) bool { return strings.TrimSpace(h) == "" })
		if len(list) == 0 {
			fmt.Fprintf(stderr, "rocketchat-test-server: -allow-outgoing %q: want a comma list of hosts, or *\n", *allowOutgoing)
			return 2
		}
		opts = append(opts, rocketchattest.WithOutgoingHosts(list...))
	}
	if *rateLimit == "off" {
		opts = append(opts, rocketchattest.WithoutRateLimit())
	} else {
		calls, window, err := parseRateLimit(*rateLimit)
		if err != nil {
			fmt.Fprintf(stderr, "rocketchat-test-server: -rate-limit %q: %v\n", *rateLimit, err)
			return 2
		}
		opts = append(opts, rocketchattest.WithRateLimit(calls, window))
	}
	if *who != "admin" && *who != "owner" && *who != "regular" {
		fmt.Fprintf(stderr, "rocketchat-test-server: -user %q: want admin, owner or regular\n", *who)
		return 2
	}
	srv, err := rocketchattest.Start(opts...)
	if err != nil {
		fmt.Fprintf(stderr, "rocketchat-test-server: %v\n", err)
		return 1
	}
	defer srv.Close()
	tlsFiles, cleanup, err := writeTLSFiles(srv, *clientAuth)
	defer cleanup()
	if err != nil {
		fmt.Fprintf(stderr, "rocketchat-test-server: %v\n", err)
		return 1
	}
	for i := 1; i <= *rooms; i++ {
		srv.AddRoom(fmt.Sprintf("room-%d", i), false, rocketchattest.OwnerUsername)
	}

	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGINT, syscall.SIGTERM)
	defer signal.Stop(stop)
	stats := make(chan os.Signal, 1)
	signal.Notify(stats, syscall.SIGUSR1)
	defer signal.Stop(stats)

	admin := map[string]rocketchattest.Credentials{"admin": srv.Admin(), "owner": srv.Owner(), "regular": srv.Regular()}[*who]
	exports := [][2]string{
		{"ROCKETCHAT_URL", srv.URL()},
		{"ROCKETCHAT_USER_ID", admin.UserID},
		{"ROCKETCHAT_AUTH_TOKEN", admin.AuthToken},
		{"ROCKETCHAT_USERNAME", admin.Username},
		{"ROCKETCHAT_PASSWORD", admin.Password},
	}
	for _, kv := range append(exports, tlsFiles...) {
		fmt.Fprintf(stdout, "export %s=%s\n", kv[0], shellQuote(kv[1]))
	}
	fmt.Fprintln(stdout, "ready")

	for {
		select {
		case <-stats:
			printCounters(stdout, srv)
		case sig := <-stop:
			fmt.Fprintf(stderr, "rocketchat-test-server: %v received, stopping\n", sig)
			return 0
		}
	}
}

// headerFlags collects the -require-header arguments as given; they are
// checked after parsing because the flag package would quote a rejected
// value in its error, and a header value may be a secret.
type headerFlags []string

func (h *headerFlags) String() string { return "" }

func (h *headerFlags) Set(v string) error {
	*h = append(*h, v)
	return nil
}

// parseRequiredHeader reads NAME=VALUE. Its errors never contain the value.
func parseRequiredHeader(arg string) (name, value string, err error) {
	name, value, ok := strings.Cut(arg, "=")
	switch {
	case !ok:
		return "", "", fmt.Errorf("want NAME=VALUE, e.g. CF-Access-Client-Id=ID")
	case !isHeaderName(name):
		return "", "", fmt.Errorf("want NAME=VALUE with NAME a header name (letters, digits and !#$%%&'*+-.^_`|~)")
	case value == "" || strings.ContainsAny(value, "\r\n\x00"):
		return "", "", fmt.Errorf("want NAME=VALUE with a VALUE that is neither empty nor spans lines")
	}
	return name, value, nil
}

// isHeaderName reports whether s is an HTTP field name (RFC 9110 token).
func isHeaderName(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range []byte(s) {
		letterOrDigit := 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
		if !letterOrDigit && strings.IndexByte("!#$%&'*+-.^_`|~", c) < 0 {
			return false
		}
	}
	return true
}

// writeTLSFiles writes the server's authority certificate, and with
// clientAuth a client certificate and its key, into a new private temporary
// directory and returns their export lines; cleanup removes the directory.
// Without TLS it writes nothing.
func writeTLSFiles(srv *rocketchattest.Server, clientAuth bool) (exports [][2]string, cleanup func(), err error) {
	caPEM := srv.CACertPEM()
	if caPEM == nil {
		return nil, func() {}, nil
	}
	dir, err := os.MkdirTemp("", "rocketchat-test-server-")
	if err != nil {
		return nil, func() {}, fmt.Errorf("temporary directory for certificates: %w", err)
	}
	cleanup = func() { _ = os.RemoveAll(dir) }
	type file struct {
		env, name string
		data      []byte
		mode      os.FileMode
	}
	files := []file{{"ROCKETCHAT_CA_CERT_FILE", "ca.pem", caPEM, 0o644}}
	if clientAuth {
		certPEM, keyPEM := srv.ClientCertificate()
		files = append(files,
			file{"ROCKETCHAT_CLIENT_CERT_FILE", "client.pem", certPEM, 0o644},
			file{"ROCKETCHAT_CLIENT_KEY_FILE", "client-key.pem", keyPEM, 0o600})
	}
	for _, f := range files {
		path := filepath.Join(dir, f.name)
		if err := os.WriteFile(path, f.data, f.mode); err != nil {
			return nil, cleanup, fmt.Errorf("writing %s: %w", f.name, err)
		}
		exports = append(exports, [2]string{f.env, path})
	}
	return exports, cleanup, nil
}

// printCounters writes the request and refusal counters as JSON lines.
func printCounters(w io.Writer, srv *rocketchattest.Server) {
	limited := map[string]int{}
	counts := srv.RequestCounts()
	for endpoint := range counts {
		if n := srv.RateLimited(endpoint); n > 0 {
			limited[endpoint] = n
		}
	}
	for _, line := range []struct {
		name string
		v    map[string]int
	}{{"requests", counts}, {"ratelimited", limited}} {
		data, _ := json.Marshal(line.v)
		fmt.Fprintf(w, "%s %s\n", line.name, data)
	}
}

// parseRateLimit reads CALLS/WINDOW, e.g. 10/60s or 10/1m.
func parseRateLimit(v string) (int, time.Duration, error) {
	callsText, windowText, ok := strings.Cut(v, "/")
	if !ok {
		return 0, 0, fmt.Errorf("want CALLS/WINDOW, e.g. 10/60s")
	}
	calls, err := strconv.Atoi(callsText)
	if err != nil || calls < 1 {
		return 0, 0, fmt.Errorf("CALLS must be a positive integer")
	}
	window, err := time.ParseDuration(windowText)
	if err != nil || window <= 0 {
		return 0, 0, fmt.Errorf("WINDOW must be a positive duration such as 60s or 2s")
	}
	return calls, window, nil
}

// shellQuote quotes a value for a POSIX shell's eval.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
