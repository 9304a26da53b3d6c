// Command rocketchat-test-server runs the in-memory Rocket.Chat of package
// rocketchattest as a program, for trying the provider by hand and for the
// demo.
//
//	go run ./internal/rocketchattest/cmd/rocketchat-test-server [-listen 127.0.0.1:3000] [-rate-limit CALLS/WINDOW|off] [-site-url URL] [-allow-outgoing HOSTS|*]
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
	if err := fs.Parse(args); err != nil {
		return 2
	}
	opts := []rocketchattest.Option{rocketchattest.WithListenAddr(*listen), rocketchattest.WithVersion(*version)}
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
	for _, kv := range [][2]string{
		{"ROCKETCHAT_URL", srv.URL()},
		{"ROCKETCHAT_USER_ID", admin.UserID},
		{"ROCKETCHAT_AUTH_TOKEN", admin.AuthToken},
		{"ROCKETCHAT_USERNAME", admin.Username},
		{"ROCKETCHAT_PASSWORD", admin.Password},
	} {
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
