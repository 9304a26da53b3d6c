package provider

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/terraform-rocketchat/terraform-provider-rocketchat/internal/proxytest"
	"github.com/terraform-rocketchat/terraform-provider-rocketchat/internal/rocketchattest"
)

// Go reads HTTPS_PROXY once per process, so the proxy is tested with the
// provider binary in a process of its own, as users run it.

// corpHost is a made-up name that only the test proxy resolves: Go never
// sends requests for loopback addresses through a proxy.
const corpHost = "rocketchat.corp.test"

func TestCLI_forwardProxy(t *testing.T) {
	srv := rocketchattest.NewServer(rocketchattest.WithTLSNames(corpHost))
	defer srv.Close()
	u, err := url.Parse(srv.URL())
	if err != nil {
		t.Fatal(err)
	}
	corpURL := "https://" + corpHost + ":" + u.Port()
	proxy := proxytest.NewServer(proxytest.WithHosts(map[string]string{corpHost: "127.0.0.1"}))
	defer proxy.Close()
	refusing := proxytest.NewServer(proxytest.WithRefusal(http.StatusForbidden))
	defer refusing.Close()

	ws := cliWorkspace(t, `
resource "rocketchat_incoming_integration" "test" {
  name     = "through the proxy"
  username = "rocket.cat"
  channels = ["#general"]
}
`)
	caFile := filepath.Join(ws.Dir, "ca.pem")
	if err := os.WriteFile(caFile, srv.CACertPEM(), 0o600); err != nil {
		t.Fatal(err)
	}
	base := append(serverEnv(corpURL, srv.Admin()), EnvCACertFile+"="+caFile, EnvMaxRetries+"=0",
		// The machine's own proxy settings must not decide the outcome.
		"HTTP_PROXY=", "http_proxy=", "https_proxy=", "no_proxy=")
	cases := []struct {
		name    string
		env     []string
		wantOK  bool
		want    *regexp.Regexp
		proxied *proxytest.Server // must have seen a CONNECT to the server
		// bypassed must have seen nothing: the name is then looked up
		// directly, which fails however the machine's resolver words it.
		bypassed *proxytest.Server
	}{
		{name: "no proxy", env: []string{"HTTPS_PROXY=", "NO_PROXY="}, want: expectError("Cannot reach Rocket.Chat"), bypassed: proxy},
		{name: "HTTPS_PROXY", env: []string{"HTTPS_PROXY=" + proxy.URL(), "NO_PROXY="}, wantOK: true, proxied: proxy},
		{name: "NO_PROXY names the host", env: []string{"HTTPS_PROXY=" + proxy.URL(), "NO_PROXY=.corp.test"}, want: expectError("Cannot reach Rocket.Chat"), bypassed: proxy},
		{name: "proxy refuses", env: []string{"HTTPS_PROXY=" + refusing.URL(), "NO_PROXY="}, proxied: refusing,
			want: expectError("The proxy refused the connection to Rocket.Chat", "the proxy "+strings.TrimPrefix(refusing.URL(), "http://"),
				"refused to connect to "+corpHost+":"+u.Port(), "HTTP 403 Forbidden", "NO_PROXY")},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := 0
			if tc.proxied != nil {
				before = len(tc.proxied.Requests())
			}
			bypassedBefore := 0
			if tc.bypassed != nil {
				bypassedBefore = len(tc.bypassed.Requests())
			}
			r := ws.Run(context.Background(), append(base, tc.env...), "apply", "-auto-approve", "-no-color", "-input=false")
			if (r.ExitCode == 0) != tc.wantOK {
				t.Fatalf("exit %d\n%s", r.ExitCode, r.Output())
			}
			if tc.want != nil && !tc.want.MatchString(r.Output()) {
				t.Errorf("output does not match %s:\n%s", tc.want, r.Output())
			}
			if tc.proxied != nil {
				seen := tc.proxied.Requests()[before:]
				if len(seen) == 0 || seen[0] != corpHost+":"+u.Port() {
					t.Errorf("the proxy saw %v, want CONNECT %s:%s", seen, corpHost, u.Port())
				}
			}
			if tc.bypassed != nil {
				if seen := tc.bypassed.Requests()[bypassedBefore:]; len(seen) != 0 {
					t.Errorf("the proxy saw %v, want no request", seen)
				}
			}
		})
	}
	if len(srv.Integrations()) != 1 {
		t.Errorf("Rocket.Chat holds %d integrations, want the one made through the proxy", len(srv.Integrations()))
	}
}

// TestCLI_insecureSkipVerifyWarnsOnce applies several resources with
// certificate checks off: the apply works and the warning is shown once per
// provider configuration, not once per resource.
func TestCLI_insecureSkipVerifyWarnsOnce(t *testing.T) {
	srv := rocketchattest.NewServer(rocketchattest.WithExpiredCertificate())
	defer srv.Close()
	var config strings.Builder
	for i := range 4 {
		fmt.Fprintf(&config, "resource \"rocketchat_incoming_integration\" \"n%d\" {\n  name = \"n%d\"\n  username = \"rocket.cat\"\n  channels = [\"#general\"]\n}\n", i, i)
	}
	ws := cliWorkspace(t, config.String())
	env := serverEnv(srv.URL(), srv.Admin())
	ctx := context.Background()
	const warning = "Warning: TLS certificate verification is off"

	r := ws.Run(ctx, env, "plan", "-no-color", "-input=false")
	if r.ExitCode == 0 || !strings.Contains(r.Output(), "has expired") {
		t.Fatalf("without %s the plan should fail on the expired certificate:\n%s", EnvInsecureSkipVerify, r.Output())
	}
	env = append(env, EnvInsecureSkipVerify+"=true")
	for _, cmd := range [][]string{{"plan"}, {"apply", "-auto-approve"}} {
		r := ws.Run(ctx, env, append(cmd, "-no-color", "-input=false")...)
		if r.ExitCode != 0 {
			t.Fatalf("%s: exit %d\n%s", cmd[0], r.ExitCode, r.Output())
		}
		n := strings.Count(r.Output(), warning)
		t.Logf("terraform %s shows the warning %d time(s)", cmd[0], n)
		if n != 1 {
			t.Errorf("terraform %s shows the warning %d times, want once per configuration:\n%s", cmd[0], n, r.Output())
		}
	}
	if len(srv.Integrations()) != 4 {
		t.Errorf("Rocket.Chat holds %d integrations, want 4", len(srv.Integrations()))
	}
}
