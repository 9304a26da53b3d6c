package provider

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/terraform-rocketchat/terraform-provider-rocketchat/internal/client"
	"github.com/terraform-rocketchat/terraform-provider-rocketchat/internal/rocketchattest"
)

// testAccProviders serves the provider in-process to the terraform binary
// that the acceptance tests drive.
var testAccProviders = map[string]func() (tfprotov6.ProviderServer, error){
	"rocketchat": NewServer("test"),
}

// cliOnlyEnv, when set, runs only the tests whose outcome the Terraform or
// OpenTofu binary can change. CI sets it for its runs under OpenTofu and the
// newest Terraform, after make test has run everything under Terraform.
const cliOnlyEnv = "TF_ACC_CLI_ONLY"

// belowTheCLI marks a test whose subject is the provider's own work against
// the server (TLS and headers, retries, batched reads, scripts the server
// runs), which the CLI only relays: it is skipped when cliOnlyEnv is set.
// What a CLI shapes stays in those runs: plans, diagnostics, state, failed
// applies, import, identity, write-only values and queries.
func belowTheCLI(t *testing.T) {
	t.Helper()
	if os.Getenv(cliOnlyEnv) != "" {
		t.Skip("the provider's own work, which the CLI only relays; " + cliOnlyEnv + " is set")
	}
}

// providersWithEnv serves a provider that reads its ROCKETCHAT_* settings
// from env instead of the process environment (variables missing from env
// are unset), so that tests of those settings can run in parallel.
func providersWithEnv(env map[string]string) map[string]func() (tfprotov6.ProviderServer, error) {
	return map[string]func() (tfprotov6.ProviderServer, error){
		"rocketchat": func() (tfprotov6.ProviderServer, error) {
			s, p, err := newServer("test", !loggingRequested(os.Getenv))
			if err != nil {
				return nil, err
			}
			p.getenv = func(k string) string { return env[k] }
			return s, nil
		},
	}
}

// TestMain gives Terraform what it needs when `go test` runs without the
// Makefile: a CLI configuration file that exists, and no update checks.
func TestMain(m *testing.M) {
	if os.Getenv("TF_ACC") != "" {
		if os.Getenv("CHECKPOINT_DISABLE") == "" {
			_ = os.Setenv("CHECKPOINT_DISABLE", "1")
		}
		if f := os.Getenv("TF_CLI_CONFIG_FILE"); f == "" || !fileExists(f) {
			dir, err := os.MkdirTemp("", "tfcli")
			if err != nil {
				fmt.Fprintln(os.Stderr, err)
				os.Exit(1)
			}
			cfg := filepath.Join(dir, "terraform.rc")
			if err := os.WriteFile(cfg, nil, 0o600); err != nil {
				fmt.Fprintln(os.Stderr, err)
				os.Exit(1)
			}
			_ = os.Setenv("TF_CLI_CONFIG_FILE", cfg)
			code := m.Run()
			_ = os.RemoveAll(dir)
			os.Exit(code)
		}
	}
	os.Exit(m.Run())
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// accEnv is the Rocket.Chat an acceptance test runs against: the in-memory
// server started for the test, or — when ROCKETCHAT_URL is set — a real
// server configured through the ROCKETCHAT_* environment variables. Both go
// through the same provider code; only how the server is reached differs.
type accEnv struct {
	srv   *rocketchattest.Server // nil against a real server
	url   string
	admin rocketchattest.Credentials
	api   *client.Client // the administrator's client, for checks and out-of-band changes
}

// opts configure the in-memory server, which otherwise applies Rocket.Chat's
// default rate limit to every user without api-bypass-rate-limit, as a fresh
// Rocket.Chat does.
func newAccEnv(t *testing.T, opts ...rocketchattest.Option) *accEnv {
	t.Helper()
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance tests run only when TF_ACC is set (make test sets it)")
	}
	e := &accEnv{}
	if url := os.Getenv(EnvURL); url != "" {
		e.url = url
		e.admin = rocketchattest.Credentials{
			UserID: os.Getenv(EnvUserID), AuthToken: os.Getenv(EnvAuthToken),
			Username: os.Getenv(EnvUsername), Password: os.Getenv(EnvPassword),
		}
	} else {
		e.srv = rocketchattest.NewServer(opts...)
		t.Cleanup(e.srv.Close)
		e.url = e.srv.URL()
		e.admin = e.srv.Admin()
	}
	cfg := client.Config{URL: e.url, UserID: e.admin.UserID, AuthToken: e.admin.AuthToken}
	if cfg.AuthToken == "" {
		cfg = client.Config{URL: e.url, Username: e.admin.Username, Password: e.admin.Password}
	}
	api, err := client.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	e.api = api
	return e
}

// fake returns the in-memory server, skipping the test against a real one.
func (e *accEnv) fake(t *testing.T) *rocketchattest.Server {
	t.Helper()
	if e.srv == nil {
		t.Skip("needs the in-memory server (fault injection, seeded users or permission changes)")
	}
	return e.srv
}

// providerBlock configures the provider as the administrator. Against a real
// server it is empty: the ROCKETCHAT_* variables configure it, as they would
// in a Terraform Cloud workspace.
func (e *accEnv) providerBlock() string {
	if e.srv == nil {
		return `provider "rocketchat" {}` + "\n"
	}
	return e.providerAs(e.admin)
}

// providerAs configures the provider with another user's token.
func (e *accEnv) providerAs(c rocketchattest.Credentials) string {
	return fmt.Sprintf("provider \"rocketchat\" {\n  server_url = %q\n  user_id    = %q\n  auth_token = %q\n}\n",
		e.url, c.UserID, c.AuthToken)
}

// providerFor configures the provider for another in-memory server.
func (e *accEnv) providerFor(srv *rocketchattest.Server, c rocketchattest.Credentials) string {
	return fmt.Sprintf("provider \"rocketchat\" {\n  server_url = %q\n  user_id    = %q\n  auth_token = %q\n}\n", srv.URL(), c.UserID, c.AuthToken)
}

// config prefixes resources with the provider block.
func (e *accEnv) config(resources string) string { return e.providerBlock() + resources }

// integrationGone checks that no integration with the ID remains.
func (e *accEnv) integrationGone(id string) error {
	_, err := e.api.GetIntegration(context.Background(), id)
	if err == nil {
		return fmt.Errorf("integration %s still exists", id)
	}
	if !client.IsNotFound(err) {
		return err
	}
	return nil
}

func TestProviderConfiguration(t *testing.T) {
	t.Parallel()
	belowTheCLI(t)
	// Every case logs in or reads /api/v1/me anew, more than ten times a
	// minute from one address; the rate limit is not what this test is about.
	env := newAccEnv(t, rocketchattest.WithoutRateLimit())
	srv := env.fake(t)
	closed := rocketchattest.NewServer()
	closedURL := closed.URL()
	closed.Close()

	integration := `
resource "rocketchat_incoming_integration" "test" {
  name     = "provider configuration"
  username = "rocket.cat"
  channels = ["#general"]
}
`
	admin := srv.Admin()
	attr := func(k, v string) string { return fmt.Sprintf("%s = %q", k, v) }
	block := func(lines ...string) string {
		return "provider \"rocketchat\" {\n  " + strings.Join(lines, "\n  ") + "\n}\n"
	}
	url, uid, tok := attr("server_url", env.url), attr("user_id", admin.UserID), attr("auth_token", admin.AuthToken)
	cases := []struct {
		name     string
		provider string
		env      map[string]string
		wantErr  string
	}{
		{name: "token pair", provider: block(url, uid, tok)},
		{name: "username and password", provider: block(url, attr("username", admin.Username), attr("password", admin.Password))},
		{
			name:     "environment variables only",
			provider: block(),
			env:      map[string]string{EnvURL: env.url, EnvUserID: admin.UserID, EnvAuthToken: admin.AuthToken},
		},
		{
			name:     "block wins over environment of the other method",
			provider: block(url, attr("username", admin.Username), attr("password", admin.Password)),
			env:      map[string]string{EnvUserID: "someone-else", EnvAuthToken: "wrong-token"},
		},
		{name: "missing server URL", provider: block(uid, tok), wantErr: `(?s)Missing Rocket.Chat server URL.*ROCKETCHAT_URL`},
		{name: "missing credentials", provider: block(url), wantErr: `(?s)Missing Rocket.Chat credentials.*ROCKETCHAT_AUTH_TOKEN`},
		{name: "user ID without token", provider: block(url, uid), wantErr: `(?s)Missing Rocket.Chat auth token.*ROCKETCHAT_AUTH_TOKEN`},
		{name: "token without user ID", provider: block(url, tok), wantErr: `(?s)Missing Rocket.Chat user ID.*ROCKETCHAT_USER_ID`},
		{name: "username without password", provider: block(url, attr("username", "admin")), wantErr: `(?s)Missing Rocket.Chat password.*ROCKETCHAT_PASSWORD`},
		{name: "password without username", provider: block(url, attr("password", "x")), wantErr: `(?s)Missing Rocket.Chat username.*ROCKETCHAT_USERNAME`},
		{
			name:     "both methods in the block",
			provider: block(url, uid, tok, attr("username", "admin"), attr("password", "x")),
			wantErr:  `Conflicting Rocket.Chat credentials`,
		},
		{
			name:     "wrong token",
			provider: block(url, uid, attr("auth_token", "not-the-token")),
			wantErr:  `(?s)Rocket.Chat rejected the provider's credentials.*HTTP 401.*Check user_id and auth_token`,
		},
		{
			name:     "wrong password",
			provider: block(url, attr("username", admin.Username), attr("password", "wrong")),
			wantErr:  `(?s)Rocket.Chat rejected the provider's credentials.*Check username and password`,
		},
		{
			name:     "server URL that refuses connections",
			provider: block(attr("server_url", closedURL), uid, tok, "max_retries = 0"),
			wantErr:  `(?s)Cannot reach Rocket.Chat.*Check server_url`,
		},
		{
			name:     "server URL that is not a URL",
			provider: block(attr("server_url", "chat.example.com"), uid, tok),
			wantErr:  `(?s)Invalid server_url.*not an absolute http`,
		},
		{
			name:     "environment URL without a scheme",
			provider: block(),
			env:      map[string]string{EnvURL: "127.0.0.1:3000", EnvUserID: admin.UserID, EnvAuthToken: admin.AuthToken},
			wantErr:  `(?s)Invalid Rocket.Chat server URL.*it has\s+no\s+scheme.*did\s+you\s+mean\s+http://127.0.0.1:3000\s+or\s+https://127.0.0.1:3000\?\s+The URL comes.*ROCKETCHAT_URL`,
		},
		{name: "bad request timeout", provider: block(url, uid, tok, attr("request_timeout", "soon")), wantErr: `(?s)Invalid request_timeout.*not a duration`},
		{name: "negative retries", provider: block(url, uid, tok, "max_retries = -1"), wantErr: `(?s)Invalid Attribute Value.*max_retries`},
		{name: "empty auth token", provider: block(url, uid, attr("auth_token", " ")), wantErr: `(?s)Invalid auth_token.*empty`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			step := resource.TestStep{Config: tc.provider + integration}
			if tc.wantErr != "" {
				step.ExpectError = regexp.MustCompile(tc.wantErr)
				step.PlanOnly = true
			}
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: providersWithEnv(tc.env),
				Steps:                    []resource.TestStep{step},
			})
		})
	}
}

func TestResolveSettings(t *testing.T) {
	env := func(m map[string]string) func(string) string {
		return func(k string) string { return m[k] }
	}
	cfg, diags := resolveSettings(providerModel{}, env(map[string]string{
		EnvURL: "https://chat.example.com", EnvUserID: "u", EnvAuthToken: "t", EnvUsername: "n", EnvPassword: "p",
		EnvRequestTimeout: "10s", EnvMaxRetries: "2", EnvMaxRetryWait: "1m",
	}))
	if diags.HasError() {
		t.Fatal(diags)
	}
	if cfg.UserID != "u" || cfg.AuthToken != "t" || cfg.Username != "" || cfg.Password != "" {
		t.Errorf("token pair should win when both pairs come from the environment: %+v", cfg)
	}
	if cfg.RequestTimeout.String() != "10s" || cfg.Retry.MaxAttempts != 3 || cfg.Retry.MaxElapsed.String() != "1m0s" {
		t.Errorf("client settings from the environment not applied: %+v", cfg)
	}
	_, diags = resolveSettings(providerModel{}, env(map[string]string{EnvURL: "https://x", EnvUserID: "u", EnvAuthToken: "t", EnvMaxRetries: "many"}))
	if !diags.HasError() || !strings.Contains(fmt.Sprint(diags), "ROCKETCHAT_MAX_RETRIES") {
		t.Errorf("want an error naming ROCKETCHAT_MAX_RETRIES, got %v", diags)
	}
}

// expectError matches texts in Terraform's output in the given order.
// Terraform wraps long lines wherever a space is, so each space matches any
// whitespace.
func expectError(texts ...string) *regexp.Regexp {
	parts := make([]string, len(texts))
	for i, t := range texts {
		parts[i] = strings.Join(strings.Fields(regexp.QuoteMeta(t)), `\s+`)
	}
	return regexp.MustCompile(`(?s)` + strings.Join(parts, `.*`))
}

// TestAccProvider_unknownSettingsAtPlan configures the provider from a value
// that is only known after apply, as when the server is created in the same
// configuration: the plan must still work, and the apply must use the value.
func TestAccProvider_unknownSettingsAtPlan(t *testing.T) {
	env := newAccEnv(t)
	srv := env.fake(t)
	admin := srv.Admin()
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{{
			Config: fmt.Sprintf(`
resource "terraform_data" "server" {
  input = %q
}

provider "rocketchat" {
  server_url = terraform_data.server.output
  user_id    = %q
  auth_token = %q
}

resource "rocketchat_incoming_integration" "test" {
  name     = "configured late"
  username = "rocket.cat"
  channels = ["#general"]
}
`, env.url, admin.UserID, admin.AuthToken),
			Check: resource.TestCheckResourceAttrSet("rocketchat_incoming_integration.test", "id"),
		}},
	})
}
