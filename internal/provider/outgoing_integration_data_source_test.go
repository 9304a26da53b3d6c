package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"
)

// TestAccOutgoingIntegrationDataSource_byIDAndName reads an integration that
// a resource of the same configuration manages, by id and by name, then one
// made outside Terraform.
func TestAccOutgoingIntegrationDataSource_byIDAndName(t *testing.T) {
	env := newAccEnv(t)
	byHand := env.createIntegration(t, env.api, outgoingRequest("Deploy bot (made by hand)"))
	const byID, byName = "data.rocketchat_outgoing_integration.by_id", "data.rocketchat_outgoing_integration.by_name"
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{
				Config: env.config(`
resource "rocketchat_outgoing_integration" "test" {
  name                  = "Deploy bot (data source)"
  event                 = "sendMessage"
  username              = "rocket.cat"
  channels              = ["#general", "all_public_channels"]
  urls                  = ["https://deploy.example.com/hook", "https://backup.example.com/hook"]
  trigger_words         = ["!deploy", "!rollback"]
  trigger_word_anywhere = true
  token                 = "a-token-chosen-by-the-user"
  alias                 = "Deployer"
  retry_failed_calls    = true
  retry_count           = 6
  retry_delay           = "powers-of-two"
}

data "rocketchat_outgoing_integration" "by_id" {
  id = rocketchat_outgoing_integration.test.id
}

data "rocketchat_outgoing_integration" "by_name" {
  name = rocketchat_outgoing_integration.test.name
}
`),
				ConfigStateChecks: checksOf(
					sameAsResource(outgoingAddr, byID, outgoingKind()),
					sameAsResource(outgoingAddr, byName, outgoingKind()),
					[]statecheck.StateCheck{
						statecheck.ExpectKnownValue(byName, tfjsonpath.New("token"), knownvalue.StringExact("a-token-chosen-by-the-user")),
						statecheck.ExpectKnownValue(byName, tfjsonpath.New("event"), knownvalue.StringExact("sendMessage")),
						statecheck.ExpectKnownValue(byName, tfjsonpath.New("urls"), knownvalue.ListExact([]knownvalue.Check{
							knownvalue.StringExact("https://deploy.example.com/hook"), knownvalue.StringExact("https://backup.example.com/hook"),
						})),
						statecheck.ExpectKnownValue(byName, tfjsonpath.New("trigger_words"), knownvalue.ListSizeExact(2)),
						statecheck.ExpectKnownValue(byID, tfjsonpath.New("retry_count"), knownvalue.Int64Exact(6)),
						statecheck.ExpectKnownValue(byID, tfjsonpath.New("retry_delay"), knownvalue.StringExact("powers-of-two")),
						statecheck.ExpectKnownValue(byID, tfjsonpath.New("alias"), knownvalue.StringExact("Deployer")),
					}),
			},
			{
				Config: env.config(fmt.Sprintf(`
data "rocketchat_outgoing_integration" "by_id" {
  id = %q
}
`, byHand.ID)),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(byID, tfjsonpath.New("name"), knownvalue.StringExact("Deploy bot (made by hand)")),
					statecheck.ExpectKnownValue(byID, tfjsonpath.New("token"), knownvalue.StringExact("a-token-set-by-hand")),
					statecheck.ExpectKnownValue(byID, tfjsonpath.New("trigger_words"), knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact("!bot")})),
					statecheck.ExpectKnownValue(byID, tfjsonpath.New("target_room"), knownvalue.Null()),
					statecheck.ExpectKnownValue(byID, tfjsonpath.New("retry_failed_calls"), knownvalue.Bool(false)),
				},
			},
		},
	})
}

// TestAccOutgoingIntegrationDataSource_writeOnlyToken shows that Rocket.Chat
// hands out a token that the resource keeps out of the state with token_wo,
// as the data source's documentation warns.
func TestAccOutgoingIntegrationDataSource_writeOnlyToken(t *testing.T) {
	env := newAccEnv(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_11_0)},
		Steps: []resource.TestStep{{
			Config: env.config(`
resource "rocketchat_outgoing_integration" "test" {
  name             = "Write-only token"
  event            = "roomJoined"
  username         = "rocket.cat"
  channels         = ["#general"]
  urls             = ["https://hr.example.com/joined"]
  token_wo         = "kept-out-of-the-resource"
  token_wo_version = 1
}

data "rocketchat_outgoing_integration" "test" {
  id = rocketchat_outgoing_integration.test.id
}
`),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(outgoingAddr, tfjsonpath.New("token"), knownvalue.Null()),
				statecheck.ExpectKnownValue("data.rocketchat_outgoing_integration.test", tfjsonpath.New("token"), knownvalue.StringExact("kept-out-of-the-resource")),
				statecheck.ExpectKnownValue("data.rocketchat_outgoing_integration.test", tfjsonpath.New("trigger_words"), knownvalue.Null()),
			},
		}},
	})
}

// TestAccOutgoingIntegrationDataSource_errors covers every way a lookup fails.
func TestAccOutgoingIntegrationDataSource_errors(t *testing.T) {
	env := newAccEnv(t)
	srv := env.fake(t)
	first := env.createIntegration(t, env.api, outgoingRequest("Guggy"))
	second := env.createIntegration(t, env.api, outgoingRequest("Guggy"))
	incoming := env.createIntegration(t, env.api, incomingRequest("Guggy"))
	mine := env.createIntegration(t, env.clientAs(t, srv.Owner()), outgoingRequest("Mine"))
	lookup := func(attrs string) string {
		return env.config(`data "rocketchat_outgoing_integration" "test" {` + "\n" + attrs + "\n}\n")
	}
	asOwner := func(attrs string) string {
		return env.providerAs(srv.Owner()) + `data "rocketchat_outgoing_integration" "test" {` + "\n" + attrs + "\n}\n"
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{
				Config:      lookup(`id = "0123456789abcdef01234567"`),
				ExpectError: expectError("No outgoing integration with this ID", "0123456789abcdef01234567"),
			},
			{
				Config:      lookup(`name = "guggy!"`),
				ExpectError: expectError(`No outgoing integration named "guggy!"`),
			},
			{
				Config:      lookup(`name = "Guggy"`),
				ExpectError: expectError(`2 outgoing integrations are named "Guggy"`, first.ID, second.ID, "Set id"),
			},
			{
				Config: lookup(fmt.Sprintf("id = %q", incoming.ID)),
				ExpectError: expectError("Integration of the other kind", "is an incoming integration",
					"rocketchat_incoming_integration data source"),
			},
			{
				Config:      asOwner(fmt.Sprintf("id = %q", first.ID)),
				ExpectError: expectError("Not allowed to read the outgoing integration", "lacks a permission"),
			},
			{
				Config:      asOwner(`name = "Guggy"`),
				ExpectError: expectError(`No outgoing integration named "Guggy"`, "manage-own-outgoing-integrations"),
			},
			{
				Config: asOwner(`name = "Mine"`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.rocketchat_outgoing_integration.test", tfjsonpath.New("id"), knownvalue.StringExact(mine.ID)),
					statecheck.ExpectKnownValue("data.rocketchat_outgoing_integration.test", tfjsonpath.New("token"), knownvalue.StringExact("a-token-set-by-hand")),
				},
			},
		},
	})
}
