package provider

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/terraform-rocketchat/terraform-provider-rocketchat/internal/client"
	"github.com/terraform-rocketchat/terraform-provider-rocketchat/internal/rocketchattest"
)

var update = flag.Bool("update", false, "rewrite generated parts of the documentation templates")

// checkGuideSection compares the generated part of the reliability guide
// between its markers with want, or rewrites it with -update.
func checkGuideSection(t *testing.T, name, want string) {
	t.Helper()
	file := filepath.Join("..", "..", "templates", "guides", "reliability.md.tmpl")
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	begin, end := "<!-- "+name+":begin -->\n", "<!-- "+name+":end -->"
	text := string(data)
	i, j := strings.Index(text, begin), strings.Index(text, end)
	if i < 0 || j < i {
		t.Fatalf("%s has no %s markers", file, name)
	}
	got := text[i+len(begin) : j]
	if got == want {
		return
	}
	if !*update {
		t.Fatalf("the %s table in %s is out of date; run: go test ./internal/provider -run %s -update", name, file, t.Name())
	}
	if err := os.WriteFile(file, []byte(text[:i+len(begin)]+want+text[j:]), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestCLI_adoptionGuideImportsOnly applies the adoption guide's for_each
// example to a Rocket.Chat with integrations made by hand: the plan imports
// each of them and changes nothing.
func TestCLI_adoptionGuideImportsOnly(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", "templates", "guides", "adopting.md.tmpl"))
	if err != nil {
		t.Fatal(err)
	}
	const start = "```terraform\ndata \"rocketchat_integrations\" \"incoming\""
	i := strings.Index(string(data), start)
	if i < 0 {
		t.Fatal("the guide has no for_each example")
	}
	example, _, _ := strings.Cut(string(data)[i+len("```terraform\n"):], "```")

	srv := rocketchattest.NewServer()
	defer srv.Close()
	api := newAdminClient(srv)
	for _, name := range []string{"Alertmanager", "CI alerts"} {
		script := "class Script {\n  process_incoming_request({ request }) {\n    return { content: { text: request.content.text } };\n  }\n}\n"
		alias := "Bot"
		if _, err := api.CreateIntegration(context.Background(), &client.IncomingIntegrationRequest{
			IntegrationBase: client.IntegrationBase{Name: name, Enabled: true, Username: "rocket.cat", Channels: []string{"#general"}},
			MessageSettings: client.MessageSettings{Alias: &alias, ScriptEnabled: true, Script: &script},
		}); err != nil {
			t.Fatal(err)
		}
	}
	ws := cliWorkspace(t, example)
	r := ws.Run(context.Background(), serverEnv(srv.URL(), srv.Admin()), "plan", "-no-color", "-input=false")
	if r.ExitCode != 0 || !strings.Contains(r.Output(), "Plan: 2 to import, 0 to add, 0 to change, 0 to destroy.") {
		t.Fatalf("terraform plan: exit %d\n%s", r.ExitCode, r.Output())
	}
}
