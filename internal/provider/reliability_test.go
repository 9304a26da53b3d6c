package provider

import (
	"context"
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/terraform-rocketchat/terraform-provider-rocketchat/internal/client"
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
			return fmt.Errorf("incoming not restored: %+v", in.IntegrationCommon)
		}
		if out.Name != "Drift out" || len(out.URLs) != 1 || out.URLs[0] != "https://bot.example.com/hook" || len(out.TriggerWords) != 1 {
			return fmt.Errorf("outgoing not restored: %+v %+v", out.IntegrationCommon, out.OutgoingFields)
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
						IntegrationRequestCommon: client.IntegrationRequestCommon{
							Name: "Renamed by hand", Enabled: false, Username: "rocket.cat", Channels: []string{"#general", "#random"}, Alias: &alias,
						},
					}); err != nil {
						t.Fatal(err)
					}
					out, err := env.api.GetIntegration(ctx, ids["rocketchat_outgoing_integration.out"])
					if err != nil {
						t.Fatal(err)
					}
					if _, err := env.api.UpdateIntegration(ctx, out.ID, &client.OutgoingIntegrationRequest{
						IntegrationRequestCommon: client.IntegrationRequestCommon{Name: "Renamed by hand", Enabled: true, Username: "rocket.cat", Channels: []string{"#general"}},
						Event:                    "sendMessage", URLs: []string{"https://elsewhere.example.com"}, TriggerWords: []string{},
						Token: &out.Token,
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
					if lists > 3 || gets != 0 {
						t.Errorf("refreshing 120 integrations took %d list and %d get calls; want at most 3 and 0", lists, gets)
					}
				},
				Config:   config,
				PlanOnly: true,
			},
		},
	})
}
