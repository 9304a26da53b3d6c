package provider

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/terraform-rocketchat/terraform-provider-rocketchat/internal/client"
	"github.com/terraform-rocketchat/terraform-provider-rocketchat/internal/clitest"
	"github.com/terraform-rocketchat/terraform-provider-rocketchat/internal/rocketchattest"
)

// These tests run the provider binary under the terraform binary, as users
// do, for what only a real process shows: everything Terraform logs and
// prints, and how the provider reacts to Ctrl-C.

var (
	cliBuild    sync.Once
	cliProvider string
	cliErr      error
)

// cliWorkspace builds the provider once per test run and prepares a
// workspace with config.
func cliWorkspace(t *testing.T, config string) *clitest.Workspace {
	t.Helper()
	if os.Getenv("TF_ACC") == "" {
		t.Skip("runs only when TF_ACC is set (make test sets it)")
	}
	tf := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if tf == "" {
		var err error
		if tf, err = exec.LookPath("terraform"); err != nil {
			t.Skip("no terraform binary")
		}
	}
	cliBuild.Do(func() {
		dir, err := os.MkdirTemp("", "provider-build")
		if err != nil {
			cliErr = err
			return
		}
		cliProvider, cliErr = clitest.BuildProvider(context.Background(), dir)
		if cliErr == nil {
			cliProvider = filepath.Dir(cliProvider)
		}
	})
	if cliErr != nil {
		t.Fatal(cliErr)
	}
	ws, err := clitest.NewWorkspace(t.TempDir(), tf, cliProvider, config)
	if err != nil {
		t.Fatal(err)
	}
	return ws
}

func serverEnv(url string, c rocketchattest.Credentials) []string {
	return []string{EnvURL + "=" + url, EnvUserID + "=" + c.UserID, EnvAuthToken + "=" + c.AuthToken}
}

// TestCLI_secretsStayOutOfLogsAndOutput runs apply, plan, import, a failing
// apply and destroy with TF_LOG=TRACE, and searches everything Terraform
// printed or logged for the credentials, the integration tokens, the
// webhook URL, the access gateway's header value and the client key. The
// server sits behind mutual TLS and an access gateway, so that the header
// and the key are used by every request.
func TestCLI_secretsStayOutOfLogsAndOutput(t *testing.T) {
	const gatewaySecret = "gateway-header-secret-6e0b2a"
	srv := rocketchattest.NewServer(rocketchattest.WithClientAuth(), rocketchattest.WithRequiredHeader("CF-Access-Client-Secret", gatewaySecret))
	defer srv.Close()
	admin := srv.Admin()
	const (
		outgoingToken = "user-chosen-outgoing-secret-47"
		writeOnly     = "write-only-outgoing-secret-83"
		rotated       = "write-only-outgoing-secret-rotated-91"
	)
	clientCert, clientKey := srv.ClientCertificate()
	api, err := client.New(client.Config{
		URL: srv.URL(), UserID: admin.UserID, AuthToken: admin.AuthToken,
		TLS:     client.TLSConfig{CACertsPEM: srv.CACertPEM(), ClientCertPEM: clientCert, ClientKeyPEM: clientKey},
		Headers: map[string]string{"CF-Access-Client-Secret": gatewaySecret},
	})
	if err != nil {
		t.Fatal(err)
	}
	manual, err := api.CreateIntegration(context.Background(), &client.IncomingIntegrationRequest{
		IntegrationBase: client.IntegrationBase{Name: "made by hand", Enabled: true, Username: "rocket.cat", Channels: []string{"#general"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	keyDir := t.TempDir()
	caFile, certFile := filepath.Join(keyDir, "ca.pem"), filepath.Join(keyDir, "client.pem")
	for f, data := range map[string][]byte{caFile: srv.CACertPEM(), certFile: clientCert} {
		if err := os.WriteFile(f, data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	// The key and the header value are in the configuration itself, where
	// Terraform handles them as sensitive values.
	config := fmt.Sprintf(`
provider "rocketchat" {
  ca_cert_file     = %q
  client_cert_file = %q
  client_key       = %q
  http_headers     = { "CF-Access-Client-Secret" = %q }
}

variable "wo" {
  type      = string
  sensitive = true
  ephemeral = true
}

resource "rocketchat_incoming_integration" "in" {
  name     = "secrets"
  username = "rocket.cat"
  channels = ["#general"]
}

resource "rocketchat_incoming_integration" "imported" {
  name     = "made by hand"
  username = "rocket.cat"
  channels = ["#general"]
}

resource "rocketchat_outgoing_integration" "out" {
  name     = "secrets"
  event    = "sendMessage"
  username = "rocket.cat"
  channels = ["#general"]
  urls     = ["https://bot.example.com/hook"]
  token    = %q
}

resource "rocketchat_outgoing_integration" "wo" {
  name             = "write-only"
  event            = "sendMessage"
  username         = "rocket.cat"
  channels         = ["#general"]
  urls             = ["https://bot.example.com/hook"]
  token_wo         = var.wo
  token_wo_version = 1
}

resource "rocketchat_outgoing_integration" "generated" {
  name     = "generated token"
  event    = "sendMessage"
  username = "rocket.cat"
  channels = ["#general"]
  urls     = ["https://bot.example.com/hook"]
}

output "url" {
  value     = rocketchat_incoming_integration.in.webhook_url
  sensitive = true
}
`, caFile, certFile, clientKey, gatewaySecret, outgoingToken)
	ws := cliWorkspace(t, config)
	logs := filepath.Join(ws.Dir, "logs")
	if err := os.Mkdir(logs, 0o700); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	var printed strings.Builder
	wo := writeOnly
	run := func(name string, env []string, wantOK bool, args ...string) {
		t.Helper()
		env = append(env, "TF_LOG=TRACE", "TF_LOG_PATH="+filepath.Join(logs, name+".log"), "TF_VAR_wo="+wo)
		r := ws.Run(ctx, env, args...)
		printed.WriteString(r.Output())
		if (r.ExitCode == 0) != wantOK {
			t.Fatalf("%s: exit %d\n%s", name, r.ExitCode, r.Output())
		}
		// The write-only token must never reach the state, whatever the
		// command wrote into it.
		state, err := os.ReadFile(filepath.Join(ws.Dir, "terraform.tfstate"))
		if err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
		for _, secret := range []string{writeOnly, rotated} {
			if strings.Contains(string(state), secret) {
				t.Errorf("after %s, the state holds a write-only token", name)
			}
		}
	}
	tokenAuth := serverEnv(srv.URL(), admin)
	passwordAuth := []string{EnvURL + "=" + srv.URL(), EnvUsername + "=" + admin.Username, EnvPassword + "=" + admin.Password}

	run("import", tokenAuth, true, "import", "-no-color", "-input=false", "rocketchat_incoming_integration.imported", manual.ID)
	run("apply", tokenAuth, true, "apply", "-auto-approve", "-no-color", "-input=false")
	run("plan", passwordAuth, true, "plan", "-no-color", "-input=false")
	run("output", tokenAuth, true, "output", "-no-color")
	// Tokens generated by Rocket.Chat or the provider, and the webhook URLs.
	generated := map[string]string{}
	for _, doc := range srv.Integrations() {
		token, _ := doc["token"].(string)
		id, _ := doc["_id"].(string)
		if token != "" {
			generated["token of "+id] = token
			if doc["type"] == "webhook-incoming" {
				generated["webhook URL of "+id] = srv.URL() + "/hooks/" + id + "/" + token
			}
		}
	}
	run("show", tokenAuth, true, "show", "-no-color")
	// An update that sends a new write-only token.
	wo = rotated
	config = strings.Replace(config, "token_wo_version = 1", "token_wo_version = 2", 1)
	if err := ws.WriteConfig(config); err != nil {
		t.Fatal(err)
	}
	run("rotate", tokenAuth, true, "apply", "-auto-approve", "-no-color", "-input=false")
	if doc, ok := srv.Integration(writeOnlyID(t, srv)); !ok || doc["token"] != rotated {
		t.Fatalf("the rotation did not reach Rocket.Chat")
	}
	// A gateway that turns the header away, so that the failure is reported.
	if err := ws.WriteConfig(strings.Replace(config, gatewaySecret, "wrong-"+gatewaySecret, 1)); err != nil {
		t.Fatal(err)
	}
	run("gateway-refusal", tokenAuth, false, "plan", "-no-color", "-input=false")
	if !strings.Contains(printed.String(), "An access gateway answered instead of Rocket.Chat") {
		t.Fatal("the plan with a wrong header value did not fail at the gateway; the scan would not cover that failure")
	}
	if err := ws.WriteConfig(strings.Replace(config, `channels = ["#general"]`, `channels = ["#no-such-room"]`, 1)); err != nil {
		t.Fatal(err)
	}
	run("failing-apply", tokenAuth, false, "apply", "-auto-approve", "-no-color", "-input=false")
	run("wrong-password", []string{EnvURL + "=" + srv.URL(), EnvUsername + "=" + admin.Username, EnvPassword + "=wrong-" + admin.Password}, false,
		"plan", "-no-color", "-input=false")
	if err := ws.WriteConfig(config); err != nil {
		t.Fatal(err)
	}
	run("destroy", passwordAuth, true, "destroy", "-auto-approve", "-no-color", "-input=false")

	secrets := map[string]string{
		"auth token": admin.AuthToken, "password": admin.Password, "wrong password": "wrong-" + admin.Password,
		"outgoing token": outgoingToken, "write-only token": writeOnly, "rotated write-only token": rotated,
		"gateway header value": gatewaySecret, "client key": clientKeyBody(t, clientKey),
	}
	if len(srv.Integrations()) != 0 {
		t.Fatalf("destroy left %d integrations", len(srv.Integrations()))
	}
	// Two incoming (token and URL each) and three outgoing integrations.
	if len(generated) != 7 {
		t.Fatalf("found %d tokens and URLs after the apply, want 7", len(generated))
	}
	for name, v := range generated {
		secrets[name] = v
	}
	texts := map[string]string{"terraform's output": printed.String()}
	entries, err := os.ReadDir(logs)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(logs, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if len(data) < 1000 {
			t.Fatalf("log %s has only %d bytes: TF_LOG=TRACE did not log", e.Name(), len(data))
		}
		texts["TRACE log of "+e.Name()] = string(data)
	}
	if !strings.Contains(texts["TRACE log of apply.log"], "sending Rocket.Chat request") {
		t.Fatal("the provider's own log lines are not in the TRACE log; the scan would prove nothing")
	}
	for where, text := range texts {
		for name, secret := range secrets {
			if i := strings.Index(text, secret); i >= 0 {
				t.Errorf("the %s appears in %s: …%s…", name, where, text[max(0, i-300):min(len(text), i+100)])
			}
		}
	}
}

// writeOnlyID finds the integration named "write-only".
func writeOnlyID(t *testing.T, srv *rocketchattest.Server) string {
	t.Helper()
	for _, doc := range srv.Integrations() {
		if doc["name"] == "write-only" {
			return doc["_id"].(string)
		}
	}
	t.Fatal("no integration named write-only")
	return ""
}

func newAdminClient(srv *rocketchattest.Server) *client.Client {
	c, err := client.New(client.Config{URL: srv.URL(), UserID: srv.Admin().UserID, AuthToken: srv.Admin().AuthToken})
	if err != nil {
		panic(err)
	}
	return c
}

// TestCLI_interruptDuringRateLimitWait presses Ctrl-C while the provider
// waits for a long rate-limit window: Terraform must stop promptly, and the
// integrations made before the interrupt must all be in the state.
func TestCLI_interruptDuringRateLimitWait(t *testing.T) {
	window := 30 * time.Second
	srv := rocketchattest.NewServer(rocketchattest.WithRateLimit(3, window))
	defer srv.Close()
	var config strings.Builder
	for i := range 8 {
		fmt.Fprintf(&config, "resource \"rocketchat_incoming_integration\" \"n%d\" {\n  name = \"n%d\"\n  username = \"rocket.cat\"\n  channels = [\"#general\"]\n}\n", i, i)
	}
	ws := cliWorkspace(t, config.String())
	logFile := filepath.Join(ws.Dir, "apply.log")
	ctx := context.Background()
	p, err := ws.Start(ctx, append(serverEnv(srv.URL(), srv.Owner()), "TF_LOG=INFO", "TF_LOG_PATH="+logFile),
		"apply", "-auto-approve", "-no-color", "-input=false")
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.After(20 * time.Second)
	for !strings.Contains(readFile(logFile), "until the window resets") {
		select {
		case <-p.Done():
			t.Fatalf("apply ended before waiting for the rate limit:\n%s", p.Wait().Output())
		case <-deadline:
			t.Fatal("the provider never logged that it waits for the rate-limit window")
		case <-time.After(50 * time.Millisecond):
		}
	}
	interrupted := time.Now()
	if err := p.Interrupt(); err != nil {
		t.Fatal(err)
	}
	r := p.Wait()
	if took := time.Since(interrupted); took > 5*time.Second {
		t.Errorf("Terraform took %v to stop after Ctrl-C during a %v wait", took, window)
	}
	if r.ExitCode == 0 {
		t.Errorf("an interrupted apply succeeded:\n%s", r.Output())
	}
	// Nothing orphaned: what Rocket.Chat holds is what the state records.
	list := ws.Run(ctx, serverEnv(srv.URL(), srv.Admin()), "state", "list")
	inState := 0
	for _, line := range strings.Split(strings.TrimSpace(list.Stdout), "\n") {
		if strings.HasPrefix(line, "rocketchat_incoming_integration.") {
			inState++
		}
	}
	if held := len(srv.Integrations()); held != inState || held == 0 {
		t.Errorf("Rocket.Chat holds %d integrations, the state records %d", held, inState)
	}
}

// TestCLI_rateLimitedApply applies more than three windows' worth of
// integrations as a user the limiter applies to: the apply succeeds without
// a single refused call, and logs at INFO why it waits.
func TestCLI_rateLimitedApply(t *testing.T) {
	const limit, n = 4, 13
	window := time.Second
	srv := rocketchattest.NewServer(rocketchattest.WithRateLimit(limit, window))
	defer srv.Close()
	var config strings.Builder
	for i := range n {
		fmt.Fprintf(&config, "resource \"rocketchat_incoming_integration\" \"n%d\" {\n  name = \"n%d\"\n  username = \"rocket.cat\"\n  channels = [\"#general\"]\n}\n", i, i)
	}
	ws := cliWorkspace(t, config.String())
	logFile := filepath.Join(ws.Dir, "apply.log")
	r := ws.Run(context.Background(), append(serverEnv(srv.URL(), srv.Owner()), "TF_LOG=INFO", "TF_LOG_PATH="+logFile),
		"apply", "-auto-approve", "-no-color", "-input=false")
	if r.ExitCode != 0 {
		t.Fatalf("apply failed:\n%s", r.Output())
	}
	if got := len(srv.Integrations()); got != n {
		t.Errorf("%d integrations, want %d", got, n)
	}
	if got := srv.RateLimited(rocketchattest.EndpointCreate); got != 0 {
		t.Errorf("%d creates were refused with 429", got)
	}
	if !strings.Contains(readFile(logFile), "rate limit of 4 calls reached for POST /api/v1/integrations.create; waiting") {
		t.Error("no INFO line says why the provider waits")
	}
	floor := time.Duration((n+limit-1)/limit-1) * window
	if r.Duration < floor {
		t.Errorf("the apply took %v, less than the %v the limit allows", r.Duration, floor)
	}
}

func readFile(p string) string {
	data, _ := os.ReadFile(p)
	return string(data)
}

// TestCLI_planSaysConsequences plans as users do and reads what Terraform
// prints: the warnings that say what an apply will do beyond the diff, and
// the errors about values that may be secret, which must not show them.
func TestCLI_planSaysConsequences(t *testing.T) {
	srv := rocketchattest.NewServer()
	defer srv.Close()
	byHand, err := newAdminClient(srv).CreateIntegration(context.Background(), &client.IncomingIntegrationRequest{
		IntegrationBase: client.IntegrationBase{Name: "made by hand", Enabled: true, Username: "rocket.cat", Channels: []string{"#general"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	resources := func(tokenWO bool) string {
		wo := ""
		if tokenWO {
			wo = "\n  token_wo         = \"a write-only token\"\n  token_wo_version = 1"
		}
		return `
resource "rocketchat_incoming_integration" "alerts" {
  name     = "alerts"
  username = "rocket.cat"
  channels = ["#general"]
}

resource "rocketchat_outgoing_integration" "answers" {
  name        = "answers"
  event       = "sendMessage"
  username    = "rocket.cat"
  channels    = ["#general"]
  urls        = ["https://bot.example.com/hook"]
  target_room = "#nowhere"` + wo + `
}
`
	}
	ws := cliWorkspace(t, resources(true))
	ctx := context.Background()
	admin := serverEnv(srv.URL(), srv.Admin())
	run := func(env []string, wantOK bool, args ...string) string {
		t.Helper()
		r := ws.Run(ctx, env, append(args, "-no-color", "-input=false")...)
		if (r.ExitCode == 0) != wantOK {
			t.Fatalf("terraform %v: exit %d\n%s", args, r.ExitCode, r.Output())
		}
		return strings.Join(strings.Fields(r.Output()), " ")
	}
	says := func(out string, texts ...string) {
		t.Helper()
		for _, text := range texts {
			if !strings.Contains(out, text) {
				t.Errorf("the output lacks %q:\n%s", text, out)
			}
		}
	}

	out := run(admin, true, "apply", "-auto-approve")
	says(out, "Warning: The target room #nowhere names nothing in Rocket.Chat",
		`none is named "#nowhere". When the integration answers, Rocket.Chat looks the room up, finds none and posts to the room that triggered the integration instead`)

	// An integration named like one made by hand.
	if err := ws.WriteConfig(resources(true) + `
resource "rocketchat_incoming_integration" "twin" {
  name     = "made by hand"
  username = "rocket.cat"
  channels = ["#general"]
}
`); err != nil {
		t.Fatal(err)
	}
	out = run(admin, true, "plan")
	says(out, `Warning: An incoming integration named "made by hand" already exists`,
		"ID "+byHand.ID+", made by admin", `Names are not unique, so applying creates a second one beside it.`, `id = "`+byHand.ID+`"`)

	// The webhook deleted by hand, and token_wo left for a generated token.
	if err := ws.WriteConfig(resources(false)); err != nil {
		t.Fatal(err)
	}
	for _, doc := range srv.Integrations() {
		if doc["name"] == "alerts" {
			if _, err := newAdminClient(srv).RemoveIntegration(ctx, client.IncomingType, doc["_id"].(string)); err != nil {
				t.Fatal(err)
			}
		}
	}
	out = run(admin, true, "plan")
	says(out, "Warning: The incoming integration no longer exists",
		"Rocket.Chat gives the new one a new webhook URL (and token): every system that posts to the old URL stops working until it is given the new one.",
		"Warning: The integration's token changes",
		"token_wo is no longer set, and the token it set is not in the state, so the provider generates a new token")

	// A user who may not see other users' roles is told what was not checked.
	out = run(serverEnv(srv.URL(), srv.Owner()), false, "plan")
	says(out, "Warning: Cannot check that rocket.cat may post as an integration",
		"the provider's user integration.owner may not see the roles of rocket.cat (that needs view-full-other-user-info)")
}

// TestCLI_secretURLsAreNeverShown gives URLs with secrets in them through a
// sensitive variable and the environment, wrong in ways the provider
// refuses: the errors say what is wrong without showing the value.
func TestCLI_secretURLsAreNeverShown(t *testing.T) {
	srv := rocketchattest.NewServer()
	defer srv.Close()
	const secret = "s3cr3t-in-the-url"
	ws := cliWorkspace(t, `
variable "hook" {
  type      = string
  sensitive = true
}

resource "rocketchat_outgoing_integration" "test" {
  name     = "secret URL"
  event    = "sendMessage"
  username = "rocket.cat"
  channels = ["#general"]
  urls     = [var.hook]
  avatar   = var.hook
}
`)
	ctx := context.Background()
	for _, tc := range []struct {
		name, hook, serverURL string
		want                  []string
	}{
		{
			name: "a sensitive URL without a scheme", hook: "bot.example.com/hook?token=" + secret, serverURL: srv.URL(),
			want: []string{"Invalid urls entry", "The value is not an absolute http:// or https:// URL: it has no scheme", "(The value is not shown: it may hold a secret.)", "Invalid avatar"},
		},
		{
			name: "a sensitive URL with user info and a bad scheme", hook: "ftp://robot:" + secret + "@bot.example.com/", serverURL: srv.URL(),
			want: []string{"its scheme is ftp, not http or https"},
		},
		{
			name: "a server URL without a scheme, with a token in its query", hook: "https://bot.example.com/hook", serverURL: "chat.example.com/?token=" + secret,
			want: []string{"Invalid Rocket.Chat server URL", "it has no scheme", "ROCKETCHAT_URL"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			env := append(serverEnv(tc.serverURL, srv.Admin()), "TF_VAR_hook="+tc.hook)
			r := ws.Run(ctx, env, "plan", "-no-color", "-input=false")
			out := strings.Join(strings.Fields(r.Output()), " ")
			if r.ExitCode == 0 {
				t.Fatalf("the plan passed:\n%s", out)
			}
			for _, w := range tc.want {
				if !strings.Contains(out, w) {
					t.Errorf("the output lacks %q:\n%s", w, out)
				}
			}
			if strings.Contains(r.Output(), secret) {
				t.Errorf("the output shows the secret:\n%s", r.Output())
			}
		})
	}
}

// TestCLI_scriptFindings plans scripts as users write them and reads what
// Terraform prints: a script that does not compile stops the plan with its
// line, column and a caret; scripts that will not run are warned about; and
// a compile error Rocket.Chat holds is repeated on every plan while the
// script stays as it is.
func TestCLI_scriptFindings(t *testing.T) {
	srv := rocketchattest.NewServer()
	defer srv.Close()
	config := func(script string, enabled bool) string {
		return fmt.Sprintf(`
resource "rocketchat_incoming_integration" "alerts" {
  name           = "alerts"
  username       = "rocket.cat"
  channels       = ["#general"]
  script_enabled = %t
  script         = <<-EOT
%sEOT
}
`, enabled, script)
	}
	const valid = "class Script {\n  process_incoming_request({ request }) {\n    return { content: { text: request.content.text } };\n  }\n}\n"
	const broken = "class Script {\n  process_incoming_request({ request }) {\n    const = request.content.text;\n  }\n}\n"
	ws := cliWorkspace(t, config(broken, true))
	ctx := context.Background()
	admin := serverEnv(srv.URL(), srv.Admin())
	run := func(wantOK bool, args ...string) string {
		t.Helper()
		r := ws.Run(ctx, admin, append(args, "-no-color", "-input=false")...)
		if (r.ExitCode == 0) != wantOK {
			t.Fatalf("terraform %v: exit %d\n%s", args, r.ExitCode, r.Output())
		}
		return r.Output()
	}
	says := func(out string, texts ...string) {
		t.Helper()
		for _, text := range texts {
			if !strings.Contains(out, text) {
				t.Errorf("the output lacks %q:\n%s", text, out)
			}
		}
	}

	out := run(false, "plan")
	says(out, "Error: The script does not compile", "Line 3, column 11: Expected identifier but found \"=\"",
		"  3 |     const = request.content.text;\n    |           ^")
	if err := ws.WriteConfig(config(valid, false)); err != nil {
		t.Fatal(err)
	}
	says(run(true, "plan"), "Warning: The script will not run", "script_enabled is not true")

	if err := ws.WriteConfig(config(valid, true)); err != nil {
		t.Fatal(err)
	}
	out = run(true, "apply", "-auto-approve")
	if strings.Contains(out, "Warning: The script") || strings.Contains(out, "Warning: Rocket.Chat") {
		t.Errorf("a valid script was warned about:\n%s", out)
	}
	id := srv.Integrations()[0]["_id"].(string)
	if err := srv.SetScriptError(id, "SyntaxError", "Unexpected token (3:10)\n\n> 3 | code frame"); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		out = strings.Join(strings.Fields(run(true, "plan")), " ")
		says(out, "Warning: Rocket.Chat cannot compile the script",
			"Rocket.Chat holds this compile error for the incoming integration's script: SyntaxError: Unexpected token (3:10) Until the script is fixed",
			"No changes.")
		if strings.Contains(out, "code frame") {
			t.Error("the warning repeats the error's code frame")
		}
	}
}

// clientKeyBody is the first line of a PEM key's base64 body: a logged key
// would show it whatever happened to its line breaks.
func clientKeyBody(t *testing.T, keyPEM []byte) string {
	t.Helper()
	for _, line := range strings.Split(string(keyPEM), "\n") {
		if len(line) > 40 && !strings.HasPrefix(line, "-----") {
			return line
		}
	}
	t.Fatal("the client key has no base64 body")
	return ""
}
