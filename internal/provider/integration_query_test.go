package provider

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"
	"github.com/hashicorp/terraform-plugin-testing/querycheck/queryfilter"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/terraform-rocketchat/terraform-provider-rocketchat/internal/client"
)

// TestAccIntegrationResources_identity checks that both resources record the
// integration's ID as their identity, keep it through an update, and import
// by identity as well as by ID (Terraform 1.12 and later).
func TestAccIntegrationResources_identity(t *testing.T) {
	env := newAccEnv(t)
	config := func(name string) string {
		return env.config(fmt.Sprintf(`
resource "rocketchat_incoming_integration" "test" {
  name     = %[1]q
  username = "rocket.cat"
  channels = ["#general"]
}

resource "rocketchat_outgoing_integration" "test" {
  name     = %[1]q
  event    = "sendMessage"
  username = "rocket.cat"
  channels = ["#general"]
  urls     = ["https://bot.example.com/hook"]
}
`, name))
	}
	identityIsID := func(addr string) []statecheck.StateCheck {
		return []statecheck.StateCheck{
			statecheck.ExpectIdentity(addr, map[string]knownvalue.Check{
				"id": knownvalue.StringRegexp(regexp.MustCompile(`^[0-9a-f]{24}$`)),
			}),
			statecheck.ExpectIdentityValueMatchesState(addr, tfjsonpath.New("id")),
		}
	}
	checks := append(identityIsID(incomingAddr), identityIsID(outgoingAddr)...)
	resource.ParallelTest(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_12_0)},
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{Config: config("Identified"), ConfigStateChecks: checks},
			{Config: config("Identified, renamed"), ConfigStateChecks: checks},
			{ResourceName: incomingAddr, ImportState: true, ImportStateKind: resource.ImportBlockWithResourceIdentity},
			{ResourceName: outgoingAddr, ImportState: true, ImportStateKind: resource.ImportBlockWithResourceIdentity},
			{ResourceName: incomingAddr, ImportState: true, ImportStateKind: resource.ImportBlockWithID},
		},
	})
}

// TestAccListResources_query runs terraform query (Terraform 1.14 and later)
// over integrations made by hand and by Terraform, with filters, limits and
// resources, and checks that no result carries a token.
func TestAccListResources_query(t *testing.T) {
	env := newAccEnv(t)
	env.fake(t) // exact counts need a server with nothing else on it
	scripted := incomingRequest("Alertmanager")
	scripted.ScriptEnabled = true
	script := "class Script {\n  process_incoming_request({ request }) {\n    return { content: { text: request.content.text } };\n  }\n}\n"
	scripted.Script = &script
	alerts := env.createIntegration(t, env.api, scripted)
	deploy := env.createIntegration(t, env.api, outgoingRequest("Deploy bot"))
	relay := outgoingRequest("ALERTS relay")
	relay.Enabled = false
	relayed := env.createIntegration(t, env.api, relay)
	byName := func(name string) queryfilter.QueryFilter {
		return queryfilter.ByDisplayName(knownvalue.StringExact(name))
	}
	byID := func(doc *client.Integration) queryfilter.QueryFilter {
		return queryfilter.ByResourceIdentity(map[string]knownvalue.Check{"id": knownvalue.StringExact(doc.ID)})
	}
	resource.ParallelTest(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_14_0)},
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{
				Config: env.config(`
resource "rocketchat_incoming_integration" "test" {
  name     = "Managed webhook"
  username = "rocket.cat"
  channels = ["#general"]
}
`),
			},
			{
				Query: true,
				// The list blocks use the provider block of the configuration.
				Config: `
list "rocketchat_incoming_integration" "all" {
  provider         = rocketchat
  include_resource = true
}

list "rocketchat_outgoing_integration" "all" {
  provider         = rocketchat
  include_resource = true
}

list "rocketchat_outgoing_integration" "alerts" {
  provider = rocketchat
  config {
    name = "alert"
  }
}

list "rocketchat_outgoing_integration" "enabled" {
  provider = rocketchat
  config {
    enabled = true
    event   = "sendMessage"
  }
}

list "rocketchat_incoming_integration" "first" {
  provider = rocketchat
  limit    = 1
}
`,
				QueryResultChecks: []querycheck.QueryResultCheck{
					querycheck.ExpectLength("rocketchat_incoming_integration.all", 2),
					querycheck.ExpectLength("rocketchat_outgoing_integration.all", 2),
					querycheck.ExpectLength("rocketchat_outgoing_integration.alerts", 1),
					querycheck.ExpectLength("rocketchat_outgoing_integration.enabled", 1),
					querycheck.ExpectLength("rocketchat_incoming_integration.first", 1),
					querycheck.ExpectIdentity("rocketchat_outgoing_integration.alerts", map[string]knownvalue.Check{"id": knownvalue.StringExact(relayed.ID)}),
					querycheck.ExpectIdentity("rocketchat_outgoing_integration.enabled", map[string]knownvalue.Check{"id": knownvalue.StringExact(deploy.ID)}),
					querycheck.ExpectIdentity("rocketchat_incoming_integration.first", map[string]knownvalue.Check{"id": knownvalue.StringExact(alerts.ID)}),
					querycheck.ExpectResourceDisplayName("rocketchat_incoming_integration.all", byID(alerts), knownvalue.StringExact("Alertmanager")),
					querycheck.ExpectResourceKnownValues("rocketchat_incoming_integration.all", byName("Alertmanager"), []querycheck.KnownValueCheck{
						{Path: tfjsonpath.New("id"), KnownValue: knownvalue.StringExact(alerts.ID)},
						{Path: tfjsonpath.New("script"), KnownValue: knownvalue.StringExact(script)},
						{Path: tfjsonpath.New("script_enabled"), KnownValue: knownvalue.Bool(true)},
						{Path: tfjsonpath.New("channels"), KnownValue: knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact("#general")})},
						{Path: tfjsonpath.New("token"), KnownValue: knownvalue.Null()},
						{Path: tfjsonpath.New("webhook_url"), KnownValue: knownvalue.Null()},
					}),
					querycheck.ExpectResourceKnownValues("rocketchat_incoming_integration.all", byName("Managed webhook"), []querycheck.KnownValueCheck{
						{Path: tfjsonpath.New("token"), KnownValue: knownvalue.Null()},
					}),
					querycheck.ExpectResourceKnownValues("rocketchat_outgoing_integration.all", byID(relayed), []querycheck.KnownValueCheck{
						{Path: tfjsonpath.New("name"), KnownValue: knownvalue.StringExact("ALERTS relay")},
						{Path: tfjsonpath.New("enabled"), KnownValue: knownvalue.Bool(false)},
						{Path: tfjsonpath.New("trigger_words"), KnownValue: knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact("!bot")})},
						{Path: tfjsonpath.New("urls"), KnownValue: knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact("https://bot.example.com/hook")})},
						{Path: tfjsonpath.New("token"), KnownValue: knownvalue.Null()},
						{Path: tfjsonpath.New("token_wo"), KnownValue: knownvalue.Null()},
					}),
				},
			},
			{
				Query:       true,
				Config:      "list \"rocketchat_outgoing_integration\" \"bad\" {\n  provider = rocketchat\n  config {\n    event = \"sendSmokeSignal\"\n  }\n}\n",
				ExpectError: expectError("value must be one of", "sendMessage"),
			},
		},
	})
}
