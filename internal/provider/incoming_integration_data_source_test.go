package provider

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

// sameAsResource checks that a data source holds the resource's value of
// every attribute the two share. skip_transpile is left out: the resource
// keeps it only when configured, the data source shows what is stored.
func sameAsResource(resourceAddr, dataAddr string, kind integrationKind) []statecheck.StateCheck {
	var checks []statecheck.StateCheck
	for name := range kind.schema.Attributes {
		if configurationOnly(kind.schema.Attributes, name) || name == "skip_transpile" {
			continue
		}
		checks = append(checks, statecheck.CompareValuePairs(
			resourceAddr, tfjsonpath.New(name), dataAddr, tfjsonpath.New(name), compare.ValuesSame()))
	}
	return checks
}

// TestAccIncomingIntegrationDataSource_byIDAndName reads an integration that
// a resource of the same configuration manages, by id and by name, and then
// integrations made outside Terraform.
func TestAccIncomingIntegrationDataSource_byIDAndName(t *testing.T) {
	env := newAccEnv(t)
	byHand := env.createIntegration(t, env.api, incomingRequest("Grafana (made by hand)"))
	lower := env.createIntegration(t, env.api, incomingRequest("grafana (made by hand)"))
	const byID, byName = "data.rocketchat_incoming_integration.by_id", "data.rocketchat_incoming_integration.by_name"
	managed := checksOf(
		sameAsResource(incomingAddr, byID, incomingKind()),
		sameAsResource(incomingAddr, byName, incomingKind()),
		[]statecheck.StateCheck{
			// Not just equal: really there.
			statecheck.ExpectKnownValue(byName, tfjsonpath.New("token"), knownvalue.StringRegexp(regexp.MustCompile(`^\w{48}$`))),
			statecheck.ExpectKnownValue(byName, tfjsonpath.New("webhook_url"), knownvalue.StringRegexp(regexp.MustCompile(`^`+regexp.QuoteMeta(env.url)+`/hooks/[0-9a-f]{24}/\w{48}$`))),
			statecheck.ExpectKnownValue(byName, tfjsonpath.New("alias"), knownvalue.StringExact("Alertmanager")),
			statecheck.ExpectKnownValue(byName, tfjsonpath.New("channels"), knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact("#general"), knownvalue.StringExact("@alice")})),
			statecheck.ExpectKnownValue(byName, tfjsonpath.New("override_destination_channel_enabled"), knownvalue.Bool(true)),
			statecheck.ExpectKnownValue(byID, tfjsonpath.New("script_enabled"), knownvalue.Bool(true)),
			statecheck.ExpectKnownValue(byID, tfjsonpath.New("created_by"), knownvalue.NotNull()),
			statecheck.ExpectKnownValue(incomingAddr, tfjsonpath.New("skip_transpile"), knownvalue.Null()),
			statecheck.ExpectKnownValue(byID, tfjsonpath.New("skip_transpile"), knownvalue.Bool(false)),
		})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{
				Config: env.config(`
resource "rocketchat_incoming_integration" "test" {
  name                                 = "Alertmanager (data source)"
  username                             = "rocket.cat"
  channels                             = ["#general", "@alice"]
  alias                                = "Alertmanager"
  emoji                                = ":rotating_light:"
  override_destination_channel_enabled = true
  script_enabled                       = true
  script                               = "class Script { process_incoming_request({ request }) { return { content: { text: request.content.text } }; } }"
}

data "rocketchat_incoming_integration" "by_id" {
  id = rocketchat_incoming_integration.test.id
}

data "rocketchat_incoming_integration" "by_name" {
  name = rocketchat_incoming_integration.test.name
}
`),
				ConfigStateChecks: managed,
			},
			{
				Config: env.config(fmt.Sprintf(`
data "rocketchat_incoming_integration" "by_id" {
  id = %q
}

data "rocketchat_incoming_integration" "by_name" {
  name = "grafana (made by hand)"
}
`, byHand.ID)),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(byID, tfjsonpath.New("name"), knownvalue.StringExact("Grafana (made by hand)")),
					statecheck.ExpectKnownValue(byID, tfjsonpath.New("token"), knownvalue.StringExact(byHand.Token)),
					statecheck.ExpectKnownValue(byID, tfjsonpath.New("webhook_url"), knownvalue.StringExact(env.api.WebhookURL(byHand.ID, byHand.Token))),
					statecheck.ExpectKnownValue(byID, tfjsonpath.New("channels"), knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact("#general")})),
					statecheck.ExpectKnownValue(byID, tfjsonpath.New("alias"), knownvalue.Null()),
					// The exact name wins over one that differs only in case.
					statecheck.ExpectKnownValue(byName, tfjsonpath.New("id"), knownvalue.StringExact(lower.ID)),
					statecheck.ExpectKnownValue(byName, tfjsonpath.New("token"), knownvalue.StringExact(lower.Token)),
				},
			},
		},
	})
}

func checksOf(groups ...[]statecheck.StateCheck) []statecheck.StateCheck {
	var all []statecheck.StateCheck
	for _, g := range groups {
		all = append(all, g...)
	}
	return all
}

// TestAccIncomingIntegrationDataSource_errors covers every way a lookup fails.
func TestAccIncomingIntegrationDataSource_errors(t *testing.T) {
	env := newAccEnv(t)
	srv := env.fake(t)
	first := env.createIntegration(t, env.api, incomingRequest("Jenkins"))
	second := env.createIntegration(t, env.clientAs(t, srv.Owner()), incomingRequest("Jenkins"))
	outgoing := env.createIntegration(t, env.api, outgoingRequest("Jenkins"))
	lookup := func(attrs string) string {
		return env.config(`data "rocketchat_incoming_integration" "test" {` + "\n" + attrs + "\n}\n")
	}
	step := func(attrs string, want ...string) resource.TestStep {
		return resource.TestStep{Config: lookup(attrs), PlanOnly: true, ExpectError: expectError(want...)}
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			step(`id = "0123456789abcdef01234567"`,
				"No incoming integration with this ID", `Rocket.Chat has no integration with ID "0123456789abcdef01234567"`),
			step(`name = "Nobody has this name"`,
				`No incoming integration named "Nobody has this name"`, "names are case-sensitive"),
			// Only the case differs: not a match, but shown as a near miss.
			step(`name = "JENKINS"`,
				`No incoming integration named "JENKINS"`, "Similar names:", first.ID, `"Jenkins"`, second.ID),
			step(`name = "Jenkins"`,
				`2 incoming integrations are named "Jenkins"`,
				first.ID, "created by admin", second.ID, "created by integration.owner", "Set id to one of these IDs"),
			step(fmt.Sprintf("id = %q", outgoing.ID),
				"Integration of the other kind", "is an outgoing integration", "rocketchat_outgoing_integration data source"),
			step(``, "No attribute specified when one (and only one) of [id,name] is required"),
			step(fmt.Sprintf("id = %q\nname = \"Jenkins\"", first.ID), "2 attributes specified when one (and only one) of [id,name]"),
			step(`name = " "`, "Invalid name", "empty"),
		},
	})
}

// TestAccIncomingIntegrationDataSource_permissions reads as a user who may
// manage only its own integrations.
func TestAccIncomingIntegrationDataSource_permissions(t *testing.T) {
	env := newAccEnv(t)
	srv := env.fake(t)
	admins := env.createIntegration(t, env.api, incomingRequest("The admin's"))
	own := env.createIntegration(t, env.clientAs(t, srv.Owner()), incomingRequest("The owner's"))
	asOwner := func(attrs string) string {
		return env.providerAs(srv.Owner()) + `data "rocketchat_incoming_integration" "test" {` + "\n" + attrs + "\n}\n"
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{
				Config: asOwner(fmt.Sprintf("id = %q", admins.ID)),
				ExpectError: expectError("Not allowed to read the incoming integration", "not-authorized",
					"lacks a permission", "manage-own-*"),
			},
			{
				// Someone else's integration is not even listed.
				Config:      asOwner(`name = "The admin's"`),
				ExpectError: expectError(`No incoming integration named "The admin's"`, "manage-own-incoming-integrations"),
			},
			{
				Config: asOwner(`name = "The owner's"`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.rocketchat_incoming_integration.test", tfjsonpath.New("id"), knownvalue.StringExact(own.ID)),
					statecheck.ExpectKnownValue("data.rocketchat_incoming_integration.test", tfjsonpath.New("created_by"), knownvalue.StringExact("integration.owner")),
				},
			},
			{
				Config:      env.providerAs(srv.Regular()) + `data "rocketchat_incoming_integration" "test" { name = "The owner's" }`,
				ExpectError: expectError("Not allowed to look up the incoming integration", "error-unauthorized", "lacks a permission"),
			},
		},
	})
}
