package provider

import (
	"context"
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/terraform-rocketchat/terraform-provider-rocketchat/internal/client"
	"github.com/terraform-rocketchat/terraform-provider-rocketchat/internal/rocketchattest"
)

// TestAccDrift changes both kinds of integration in Rocket.Chat as a person
// would in the administration UI: the next plan restores them in place, and
// never fails.
func TestAccDrift(t *testing.T) {
	env := newAccEnv(t)
	config := env.config(`
resource "rocketchat_incoming_integration" "in" {
  name     = "Drift in"
  username = "rocket.cat"
  channels = ["#general"]
  alias    = "Keeper"
}

resource "rocketchat_outgoing_integration" "out" {
  name          = "Drift out"
  event         = "sendMessage"
  username      = "rocket.cat"
  channels      = ["#general"]
  urls          = ["https://bot.example.com/hook"]
  trigger_words = ["!go"]
}
`)
	ids := map[string]string{}
	capture := func(s *terraform.State) error {
		for key, rs := range s.RootModule().Resources {
			ids[key] = rs.Primary.ID
		}
		return nil
	}
	ctx := context.Background()
	restored := func(s *terraform.State) error {
		in, err := env.api.GetIntegration(ctx, ids["rocketchat_incoming_integration.in"])
		if err != nil {
			return err
		}
		out, err := env.api.GetIntegration(ctx, ids["rocketchat_outgoing_integration.out"])
		if err != nil {
			return err
		}
		if in.Name != "Drift in" || in.Alias == nil || *in.Alias != "Keeper" || !in.Enabled || len(in.Channels) != 1 {
			return fmt.Errorf("incoming not restored: %+v", in.IntegrationBase)
		}
		if out.Name != "Drift out" || len(out.URLs) != 1 || out.URLs[0] != "https://bot.example.com/hook" || len(out.TriggerWords) != 1 {
			return fmt.Errorf("outgoing not restored: %+v %+v", out.IntegrationBase, out.OutgoingTrigger)
		}
		return nil
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{Config: config, Check: capture},
			{
				PreConfig: func() {
					alias := "Someone else"
					if _, err := env.api.UpdateIntegration(ctx, ids["rocketchat_incoming_integration.in"], &client.IncomingIntegrationRequest{
						IntegrationBase: client.IntegrationBase{Name: "Renamed by hand", Enabled: false, Username: "rocket.cat", Channels: []string{"#general", "#random"}},
						MessageSettings: client.MessageSettings{Alias: &alias},
					}); err != nil {
						t.Fatal(err)
					}
					out, err := env.api.GetIntegration(ctx, ids["rocketchat_outgoing_integration.out"])
					if err != nil {
						t.Fatal(err)
					}
					if _, err := env.api.UpdateIntegration(ctx, out.ID, &client.OutgoingIntegrationRequest{
						IntegrationBase: client.IntegrationBase{Name: "Renamed by hand", Enabled: true, Username: "rocket.cat", Channels: []string{"#general"}},
						OutgoingTrigger: client.OutgoingTrigger{Event: "sendMessage", URLs: []string{"https://elsewhere.example.com"}, TriggerWords: []string{}},
						Token:           &out.Token,
					}); err != nil {
						t.Fatal(err)
					}
				},
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("rocketchat_incoming_integration.in", plancheck.ResourceActionUpdate),
					plancheck.ExpectResourceAction("rocketchat_outgoing_integration.out", plancheck.ResourceActionUpdate),
				}},
				Check: restored,
			},
			{Config: config, ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}}},
		},
	})
}

// TestAccParallelHundred creates 100 integrations with Terraform's default
// parallelism of 10 and destroys them: exactly 100 are made and all go.
func TestAccParallelHundred(t *testing.T) {
	belowTheCLI(t)
	env := newAccEnv(t)
	srv := env.fake(t)
	config := env.config(`
resource "rocketchat_incoming_integration" "many" {
  count    = 100
  name     = "parallel ${count.index}"
  username = "rocket.cat"
  channels = ["#general"]
}

resource "rocketchat_outgoing_integration" "one" {
  name     = "parallel outgoing"
  event    = "sendMessage"
  username = "rocket.cat"
  channels = ["#general"]
  urls     = ["https://bot.example.com/hook"]
}
`)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		CheckDestroy: func(*terraform.State) error {
			if n := len(srv.Integrations()); n != 0 {
				return fmt.Errorf("%d integrations left after destroy", n)
			}
			return nil
		},
		Steps: []resource.TestStep{{
			Config: config,
			Check: func(s *terraform.State) error {
				if n := len(srv.Integrations()); n != 101 {
					return fmt.Errorf("Rocket.Chat holds %d integrations, want 101", n)
				}
				if n := srv.Requests("integrations.create"); n != 101 {
					return fmt.Errorf("%d create requests, want 101", n)
				}
				return stateMatchesServer(s, srv)
			},
		}},
	})
}

// TestAccBatchedRefresh refreshes 120 integrations: the reads share list
// pages, so the refresh costs ⌈120/100⌉ list calls (plus at most one), and
// no get at all.
func TestAccBatchedRefresh(t *testing.T) {
	belowTheCLI(t)
	env := newAccEnv(t)
	srv := env.fake(t)
	config := env.config(`
resource "rocketchat_incoming_integration" "many" {
  count    = 120
  name     = "refresh ${count.index}"
  username = "rocket.cat"
  channels = ["#general"]
}
`)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{Config: config},
			{
				PreConfig: srv.ResetRequests,
				Config:    config,
				PlanOnly:  true,
			},
			{
				PreConfig: func() {
					lists, gets := srv.Requests("integrations.list"), srv.Requests("integrations.get")
					// Two pages of 100 hold 120 integrations; the plan's
					// refresh reads them, and maybe once more for the check
					// that the plan is empty. A refresh that read nothing
					// would leave lists at 0.
					if lists < 2 || lists > 3 || gets != 0 {
						t.Errorf("refreshing 120 integrations took %d list and %d get calls; want 2 or 3, and 0", lists, gets)
					}
				},
				Config:   config,
				PlanOnly: true,
			},
		},
	})
}

// TestAccLostCreate_neverAdoptsAnother creates two identical incoming
// integrations; the first create's connection drops before Rocket.Chat acts.
// Its recovery finds the other create's integration, which matches in every
// field, and must not adopt it: two state entries would manage one
// integration. It reports that nothing was created, and the next apply
// creates the missing one.
func TestAccLostCreate_neverAdoptsAnother(t *testing.T) {
	env := newAccEnv(t)
	srv := env.fake(t)
	config := env.config(`
resource "rocketchat_incoming_integration" "twin" {
  count    = 2
  name     = "twins"
  username = "rocket.cat"
  channels = ["#general"]
}
`)
	distinct := func(s *terraform.State) error {
		seen := map[string]bool{}
		for _, rs := range s.RootModule().Resources {
			if seen[rs.Primary.ID] {
				return fmt.Errorf("two state entries hold %s", rs.Primary.ID)
			}
			seen[rs.Primary.ID] = true
		}
		if held := len(srv.Integrations()); held != len(seen) {
			return fmt.Errorf("Rocket.Chat holds %d integrations, the state %d", held, len(seen))
		}
		return nil
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		CheckDestroy:             env.checkDestroyed(incomingType),
		Steps: []resource.TestStep{
			{
				PreConfig:   func() { srv.Fail(rocketchattest.EndpointCreate, 1, rocketchattest.Fault{Drop: true}) },
				Config:      config,
				ExpectError: expectError("Rocket.Chat did not create the incoming integration", "nothing was created"),
			},
			{
				Config: config,
				Check: resource.ComposeTestCheckFunc(distinct, func(*terraform.State) error {
					if n := len(srv.Integrations()); n != 2 {
						return fmt.Errorf("Rocket.Chat holds %d integrations, want 2", n)
					}
					return nil
				}),
			},
		},
	})
}

// TestAccLostCreate_severalMatch loses the answer of a create after
// Rocket.Chat acted, with two identical integrations made moments before by
// the same user: the provider cannot tell which is its own, and says so.
func TestAccLostCreate_severalMatch(t *testing.T) {
	env := newAccEnv(t)
	srv := env.fake(t)
	var made []string
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{{
			PreConfig: func() {
				for range 2 {
					doc, err := env.api.CreateIntegration(context.Background(), incomingRequest("lookalike"))
					if err != nil {
						t.Fatal(err)
					}
					made = append(made, doc.ID)
				}
				srv.Fail(rocketchattest.EndpointCreate, 1, rocketchattest.Fault{Status: 502, AfterHandling: true})
			},
			Config:      env.config(incomingIn(`"lookalike"`, `"rocket.cat"`, `["#general"]`)),
			ExpectError: expectError("Several incoming integrations match a create whose answer was lost", "Rocket.Chat holds 3 integrations named \"lookalike\""),
		}},
	})
	if n := len(srv.Integrations()); n != 3 {
		t.Errorf("Rocket.Chat holds %d integrations, want the 2 made before and the one the create made", n)
	}
}

// TestAccLostCreate_lookupFails loses a create's answer and then cannot list
// the integrations: the provider says it cannot tell, and how to find out.
func TestAccLostCreate_lookupFails(t *testing.T) {
	env := newAccEnv(t)
	srv := env.fake(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{{
			PreConfig: func() {
				srv.Fail(rocketchattest.EndpointCreate, 1, rocketchattest.Fault{Drop: true, AfterHandling: true})
				srv.Fail(rocketchattest.EndpointList, 20, rocketchattest.Fault{Status: 500, Body: `{"success":false,"error":"Internal server error"}`})
			},
			Config: env.config(incomingIn(`"unknown fate"`, `"rocket.cat"`, `["#general"]`)),
			ExpectError: expectError("Cannot tell whether the incoming integration was created", "Looking for it failed too",
				`Look under Administration → Integrations for one named "unknown fate"`),
		}},
	})
}
