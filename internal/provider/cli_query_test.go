package provider

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/terraform-rocketchat/terraform-provider-rocketchat/internal/client"
	"github.com/terraform-rocketchat/terraform-provider-rocketchat/internal/rocketchattest"
)

// skipBelowTerraform skips the test unless the workspace's binary is
// Terraform (not OpenTofu) at major.minor or later.
func skipBelowTerraform(t *testing.T, tf string, major, minor int) {
	t.Helper()
	out, err := exec.CommandContext(context.Background(), tf, "version").Output()
	if err != nil {
		t.Fatalf("%s version: %v", tf, err)
	}
	m := regexp.MustCompile(`^Terraform v(\d+)\.(\d+)\.`).FindSubmatch(out)
	if m == nil {
		t.Skipf("needs Terraform %d.%d or later; %s is %s", major, minor, tf, strings.SplitN(string(out), "\n", 2)[0])
	}
	gotMajor, _ := strconv.Atoi(string(m[1]))
	gotMinor, _ := strconv.Atoi(string(m[2]))
	if gotMajor < major || gotMajor == major && gotMinor < minor {
		t.Skipf("needs Terraform %d.%d or later; %s is %s", major, minor, tf, strings.SplitN(string(out), "\n", 2)[0])
	}
}

// TestCLI_queryGeneratesImports finds integrations made by hand with
// terraform query, lets it write their configuration, and plans it: the plan
// must only import, the generated file must hold no secret, and once
// imported the configuration must plan no change.
func TestCLI_queryGeneratesImports(t *testing.T) {
	ws := cliWorkspace(t, "")
	skipBelowTerraform(t, ws.TF, 1, 14)
	srv := rocketchattest.NewServer()
	defer srv.Close()
	api := newAdminClient(srv)
	ctx := context.Background()
	const outgoingToken = "hand-made-outgoing-token-4711"
	incomingScript := `// Turns an Alertmanager notification into a message.
class Script {
  process_incoming_request({ request }) {
    const alerts = request.content.alerts || [];
    return {
      content: {
        text: "*" + alerts.length + " alert(s)*\n" + alerts.map((a) => "- " + a.labels.alertname).join("\n"),
      },
    };
  }
}
`
	outgoingScript := `class Script {
  prepare_outgoing_request({ request }) {
    return { ...request, headers: { "X-Deploy": "1" } };
  }

  process_outgoing_response({ response }) {
    return { content: { text: "Deploy answered " + response.status_code } };
  }
}
`
	token := outgoingToken
	docs := []client.IntegrationRequest{
		&client.IncomingIntegrationRequest{
			IntegrationBase: client.IntegrationBase{Name: "Alertmanager", Enabled: true, Username: "rocket.cat", Channels: []string{"#general"}},
			MessageSettings: client.MessageSettings{Alias: ptr("Alerts"), Emoji: ptr(":rotating_light:"), ScriptEnabled: true, Script: &incomingScript},
		},
		&client.IncomingIntegrationRequest{IntegrationBase: client.IntegrationBase{
			Name: "Disabled webhook", Enabled: false, Username: "rocket.cat", Channels: []string{"#general", "@rocket.cat"},
		}},
		&client.OutgoingIntegrationRequest{
			IntegrationBase: client.IntegrationBase{Name: "Deploy bot", Enabled: true, Username: "rocket.cat", Channels: []string{"#general"}},
			OutgoingTrigger: client.OutgoingTrigger{
				Event: "sendMessage", URLs: []string{"https://deploy.example.com/hook"}, TriggerWords: []string{"!deploy", "!rollback"},
			},
			Token:            &token,
			MessageSettings:  client.MessageSettings{ScriptEnabled: true, Script: &outgoingScript},
			OutgoingDelivery: client.OutgoingDelivery{RetryFailedCalls: ptr(true), RetryCount: ptr(3), RetryDelay: ptr("powers-of-two")},
		},
	}
	for _, req := range docs {
		if _, err := api.CreateIntegration(ctx, req); err != nil {
			t.Fatal(err)
		}
	}
	query := `
list "rocketchat_incoming_integration" "all" {
  provider         = rocketchat
  include_resource = true
}

list "rocketchat_outgoing_integration" "all" {
  provider         = rocketchat
  include_resource = true
}
`
	if err := os.WriteFile(filepath.Join(ws.Dir, "integrations.tfquery.hcl"), []byte(query), 0o600); err != nil {
		t.Fatal(err)
	}
	env := serverEnv(srv.URL(), srv.Admin())
	run := func(args ...string) string {
		t.Helper()
		r := ws.Run(ctx, env, args...)
		if r.ExitCode != 0 {
			t.Fatalf("terraform %s: exit %d\n%s", strings.Join(args, " "), r.ExitCode, r.Output())
		}
		return r.Output()
	}
	printed := run("query", "-no-color", "-generate-config-out=generated.tf")
	// The machine-readable output shows each result's resource object.
	printedJSON := run("query", "-json")
	generated, err := os.ReadFile(filepath.Join(ws.Dir, "generated.tf"))
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("generated.tf:\n%s", generated)
	var secrets []string
	for _, doc := range srv.Integrations() {
		if token, _ := doc["token"].(string); token != "" {
			secrets = append(secrets, token)
		}
	}
	if len(secrets) != len(docs) {
		t.Fatalf("%d tokens on the server, want %d", len(secrets), len(docs))
	}
	for where, text := range map[string]string{
		"generated.tf": string(generated), "terraform query's output": printed, "terraform query -json's output": printedJSON,
	} {
		for _, secret := range secrets {
			if strings.Contains(text, secret) {
				t.Errorf("%s holds a token", where)
			}
		}
		if strings.Contains(text, "/hooks/") {
			t.Errorf("%s holds a webhook URL", where)
		}
	}
	for _, want := range []string{`name += "Alertmanager"`, `name += "Disabled webhook"`, `name += "Deploy bot"`, `import {`, `identity = {`} {
		if !regexp.MustCompile(want).Match(generated) {
			t.Errorf("generated.tf lacks %s", want)
		}
	}
	plan := run("plan", "-no-color", "-input=false")
	if !strings.Contains(plan, "Plan: 3 to import, 0 to add, 0 to change, 0 to destroy.") {
		t.Fatalf("the plan of the generated configuration does more than import:\n%s", plan)
	}
	run("apply", "-auto-approve", "-no-color", "-input=false")
	// The import read the token the result left out into the state, so
	// that the next update can send it back.
	state, err := os.ReadFile(filepath.Join(ws.Dir, "terraform.tfstate"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(state), outgoingToken) {
		t.Error("the import did not read the outgoing token into the state")
	}
	if again := run("plan", "-no-color", "-input=false", "-detailed-exitcode"); !strings.Contains(again, "No changes.") {
		t.Fatalf("the imported integrations plan changes:\n%s", again)
	}
}

func ptr[T any](v T) *T { return &v }
