package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/terraform-rocketchat/terraform-provider-rocketchat/internal/client"
	"github.com/terraform-rocketchat/terraform-provider-rocketchat/internal/rocketchattest"
)

// listed is the check of one element of integrations, by ID, kind and name.
func listed(doc *client.Integration) knownvalue.Check {
	return knownvalue.ObjectPartial(map[string]knownvalue.Check{
		"id":   knownvalue.StringExact(doc.ID),
		"type": knownvalue.StringExact(string(doc.Type)),
		"name": knownvalue.StringExact(doc.Name),
	})
}

// listedExactly checks a rocketchat_integrations data source's whole list, in order.
func listedExactly(addr string, docs ...*client.Integration) statecheck.StateCheck {
	checks := make([]knownvalue.Check, len(docs))
	for i, d := range docs {
		checks[i] = listed(d)
	}
	return statecheck.ExpectKnownValue(addr, tfjsonpath.New("integrations"), knownvalue.ListExact(checks))
}

// TestAccIntegrationsDataSource_filters lists integrations of both kinds
// with every filter, alone and together.
func TestAccIntegrationsDataSource_filters(t *testing.T) {
	belowTheCLI(t)
	env := newAccEnv(t)
	env.fake(t) // exact lists need a server with nothing else on it
	alerts := env.createIntegration(t, env.api, incomingRequest("Alertmanager"))
	staging := incomingRequest("CI alerts (staging)")
	staging.Enabled = false
	ci := env.createIntegration(t, env.api, staging)
	deploy := env.createIntegration(t, env.api, outgoingRequest("Deploy bot"))
	relay := outgoingRequest("ALERTS relay")
	relay.Enabled = false
	relayed := env.createIntegration(t, env.api, relay)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{{
			Config: env.config(`
data "rocketchat_integrations" "all" {}

data "rocketchat_integrations" "incoming" {
  type = "webhook-incoming"
}

data "rocketchat_integrations" "outgoing" {
  type = "webhook-outgoing"
}

data "rocketchat_integrations" "incoming_short" {
  type = "incoming"
}

data "rocketchat_integrations" "outgoing_short" {
  type = "outgoing"
}

data "rocketchat_integrations" "alerts" {
  name = "aLeRt"
}

data "rocketchat_integrations" "disabled" {
  enabled = false
}

data "rocketchat_integrations" "enabled_incoming_alerts" {
  type    = "webhook-incoming"
  name    = "alert"
  enabled = true
}

data "rocketchat_integrations" "none" {
  name = "nothing is called this"
}
`),
			ConfigStateChecks: []statecheck.StateCheck{
				listedExactly("data.rocketchat_integrations.all", alerts, ci, deploy, relayed),
				listedExactly("data.rocketchat_integrations.incoming", alerts, ci),
				listedExactly("data.rocketchat_integrations.outgoing", deploy, relayed),
				listedExactly("data.rocketchat_integrations.incoming_short", alerts, ci),
				listedExactly("data.rocketchat_integrations.outgoing_short", deploy, relayed),
				listedExactly("data.rocketchat_integrations.alerts", alerts, ci, relayed),
				listedExactly("data.rocketchat_integrations.disabled", ci, relayed),
				listedExactly("data.rocketchat_integrations.enabled_incoming_alerts", alerts),
				listedExactly("data.rocketchat_integrations.none"),
				// Every field of an element, for each kind.
				statecheck.ExpectKnownValue("data.rocketchat_integrations.all", tfjsonpath.New("integrations").AtSliceIndex(0), knownvalue.ObjectExact(map[string]knownvalue.Check{
					"id":             knownvalue.StringExact(alerts.ID),
					"type":           knownvalue.StringExact("webhook-incoming"),
					"name":           knownvalue.StringExact("Alertmanager"),
					"enabled":        knownvalue.Bool(true),
					"username":       knownvalue.StringExact("rocket.cat"),
					"user_id":        knownvalue.StringExact(alerts.UserID),
					"channels":       knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact("#general")}),
					"event":          knownvalue.Null(),
					"urls":           knownvalue.Null(),
					"trigger_words":  knownvalue.Null(),
					"script_enabled": knownvalue.Bool(false),
					"created_at":     knownvalue.NotNull(),
					"created_by":     knownvalue.StringExact("admin"),
				})),
				statecheck.ExpectKnownValue("data.rocketchat_integrations.all", tfjsonpath.New("integrations").AtSliceIndex(3), knownvalue.ObjectExact(map[string]knownvalue.Check{
					"id":             knownvalue.StringExact(relayed.ID),
					"type":           knownvalue.StringExact("webhook-outgoing"),
					"name":           knownvalue.StringExact("ALERTS relay"),
					"enabled":        knownvalue.Bool(false),
					"username":       knownvalue.StringExact("rocket.cat"),
					"user_id":        knownvalue.StringExact(relayed.UserID),
					"channels":       knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact("#general")}),
					"event":          knownvalue.StringExact("sendMessage"),
					"urls":           knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact("https://bot.example.com/hook")}),
					"trigger_words":  knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact("!bot")}),
					"script_enabled": knownvalue.Bool(false),
					"created_at":     knownvalue.NotNull(),
					"created_by":     knownvalue.StringExact("admin"),
				})),
			},
		}},
	})
}

// TestAccIntegrationsDataSource_manyPages lists more integrations than
// Rocket.Chat returns at once: every one comes back, in order, and each read
// of the list takes one call per page of 100, i.e. 3.
func TestAccIntegrationsDataSource_manyPages(t *testing.T) {
	belowTheCLI(t)
	env := newAccEnv(t)
	srv := env.fake(t)
	const n = 250
	docs := make([]*client.Integration, n)
	for i := range docs {
		if i%2 == 0 {
			docs[i] = env.createIntegration(t, env.api, incomingRequest(fmt.Sprintf("Webhook %03d", i)))
		} else {
			docs[i] = env.createIntegration(t, env.api, outgoingRequest(fmt.Sprintf("Webhook %03d", i)))
		}
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{{
			PreConfig: srv.ResetRequests,
			Config:    env.config(`data "rocketchat_integrations" "all" {}`),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.rocketchat_integrations.all", tfjsonpath.New("integrations"), knownvalue.ListSizeExact(n)),
				listedExactly("data.rocketchat_integrations.all", docs...),
			},
			// Terraform reads the data source once per plan or apply; each
			// read takes one list call per page of 100, i.e. 3. Nothing else
			// in the configuration lists.
			Check: func(*terraform.State) error {
				lists := srv.Requests(rocketchattest.EndpointList)
				t.Logf("%d list calls", lists)
				if lists == 0 || lists%3 != 0 || srv.Requests(rocketchattest.EndpointGet) != 0 {
					return fmt.Errorf("%d list calls and %d get calls: not 3 list calls per read of %d integrations",
						lists, srv.Requests(rocketchattest.EndpointGet), n)
				}
				return nil
			},
		}},
	})
}

// TestAccIntegrationsDataSource_permissions lists as a user who may manage
// only its own integrations, and as one without any integration permission.
func TestAccIntegrationsDataSource_permissions(t *testing.T) {
	belowTheCLI(t)
	env := newAccEnv(t)
	srv := env.fake(t)
	owner := env.clientAs(t, srv.Owner())
	env.createIntegration(t, env.api, incomingRequest("The admin's webhook"))
	ownIncoming := env.createIntegration(t, owner, incomingRequest("The owner's webhook"))
	env.createIntegration(t, env.api, outgoingRequest("The admin's bot"))
	ownOutgoing := env.createIntegration(t, owner, outgoingRequest("The owner's bot"))
	const list = `
data "rocketchat_integrations" "test" {}
`
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{
				Config:            env.providerAs(srv.Owner()) + list,
				ConfigStateChecks: []statecheck.StateCheck{listedExactly("data.rocketchat_integrations.test", ownIncoming, ownOutgoing)},
			},
			{
				Config: env.providerAs(srv.Regular()) + list,
				ExpectError: expectError("Not allowed to list the integrations", "error-unauthorized",
					"lacks a permission", "manage-incoming-integrations"),
			},
		},
	})
}

// TestAccIntegrationsDataSource_withResource lists an integration that a
// resource of the same configuration creates.
func TestAccIntegrationsDataSource_withResource(t *testing.T) {
	env := newAccEnv(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{{
			Config: env.config(`
resource "rocketchat_incoming_integration" "test" {
  name     = "Listed right after creation"
  username = "rocket.cat"
  channels = ["#general"]
}

data "rocketchat_integrations" "test" {
  name       = "listed right after"
  depends_on = [rocketchat_incoming_integration.test]
}
`),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.CompareValuePairs(
					incomingAddr, tfjsonpath.New("id"),
					"data.rocketchat_integrations.test", tfjsonpath.New("integrations").AtSliceIndex(0).AtMapKey("id"),
					compare.ValuesSame()),
				statecheck.ExpectKnownValue("data.rocketchat_integrations.test", tfjsonpath.New("integrations"), knownvalue.ListSizeExact(1)),
			},
		}},
	})
}

func TestAccIntegrationsDataSource_validation(t *testing.T) {
	env := newAccEnv(t)
	step := func(attrs string, want ...string) resource.TestStep {
		return resource.TestStep{
			Config:      env.config("data \"rocketchat_integrations\" \"test\" {\n" + attrs + "\n}\n"),
			PlanOnly:    true,
			ExpectError: expectError(want...),
		}
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			step(`type = "inbound"`, "Invalid Attribute Value Match", `value must be one of: ["incoming" "outgoing" "webhook-incoming" "webhook-outgoing"]`),
			step(`name = ""`, "Invalid name", "empty"),
		},
	})
}
