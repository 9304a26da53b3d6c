package provider

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/terraform-rocketchat/terraform-provider-rocketchat/internal/client"
	"github.com/terraform-rocketchat/terraform-provider-rocketchat/internal/rocketchattest"
)

const incomingAddr = "rocketchat_incoming_integration.test"

// captureID records a resource's ID from the state for later steps.
func captureID(addr string, id *string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		rs, ok := s.RootModule().Resources[addr]
		if !ok {
			return fmt.Errorf("%s not in state", addr)
		}
		*id = rs.Primary.ID
		return nil
	}
}

// checkDestroyed verifies that every integration of the test is gone from Rocket.Chat.
func (e *accEnv) checkDestroyed(types ...string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		for _, rs := range s.RootModule().Resources {
			for _, typ := range types {
				if rs.Type == typ {
					if err := e.integrationGone(rs.Primary.ID); err != nil {
						return err
					}
				}
			}
		}
		return nil
	}
}

func TestAccIncomingIntegration_lifecycle(t *testing.T) {
	env := newAccEnv(t)
	var id string
	sameToken := statecheck.CompareValue(compare.ValuesSame())
	sameURL := statecheck.CompareValue(compare.ValuesSame())
	config := func(name, alias string) string {
		return env.config(fmt.Sprintf(`
resource "rocketchat_incoming_integration" "test" {
  name     = %q
  username = "rocket.cat"
  channels = ["#general"]
  alias    = %q
}
`, name, alias))
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		CheckDestroy:             env.checkDestroyed("rocketchat_incoming_integration"),
		Steps: []resource.TestStep{
			{
				Config: config("Alerts", "Alertmanager"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(incomingAddr, plancheck.ResourceActionCreate)},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(incomingAddr, tfjsonpath.New("id"), knownvalue.StringRegexp(regexp.MustCompile(`^[0-9a-f]{24}$`))),
					statecheck.ExpectKnownValue(incomingAddr, tfjsonpath.New("token"), knownvalue.StringRegexp(regexp.MustCompile(`^[23456789ABCDEFGHJKLMNPQRSTWXYZabcdefghijkmnopqrstuvwxyz]{48}$`))),
					statecheck.ExpectKnownValue(incomingAddr, tfjsonpath.New("webhook_url"), knownvalue.StringRegexp(regexp.MustCompile(`^`+regexp.QuoteMeta(env.url)+`/hooks/[0-9a-f]{24}/\w{48}$`))),
					statecheck.ExpectKnownValue(incomingAddr, tfjsonpath.New("enabled"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue(incomingAddr, tfjsonpath.New("script_enabled"), knownvalue.Bool(false)),
					statecheck.ExpectKnownValue(incomingAddr, tfjsonpath.New("override_destination_channel_enabled"), knownvalue.Bool(false)),
					statecheck.ExpectKnownValue(incomingAddr, tfjsonpath.New("channels"), knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact("#general")})),
					statecheck.ExpectKnownValue(incomingAddr, tfjsonpath.New("created_by"), knownvalue.NotNull()),
					statecheck.ExpectKnownValue(incomingAddr, tfjsonpath.New("user_id"), knownvalue.NotNull()),
					sameToken.AddStateValue(incomingAddr, tfjsonpath.New("token")),
					sameURL.AddStateValue(incomingAddr, tfjsonpath.New("webhook_url")),
				},
				Check: captureID(incomingAddr, &id),
			},
			{
				ResourceName:      incomingAddr,
				ImportState:       true,
				ImportStateVerify: true,
			},
			{
				Config: config("Alerts (prod)", "Prometheus"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(incomingAddr, plancheck.ResourceActionUpdate),
						// A rename: nothing is "known after apply".
						expectUnknownOnly(incomingAddr),
					},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(incomingAddr, tfjsonpath.New("name"), knownvalue.StringExact("Alerts (prod)")),
					statecheck.ExpectKnownValue(incomingAddr, tfjsonpath.New("alias"), knownvalue.StringExact("Prometheus")),
					sameToken.AddStateValue(incomingAddr, tfjsonpath.New("token")),
					sameURL.AddStateValue(incomingAddr, tfjsonpath.New("webhook_url")),
				},
			},
			{
				Config: config("Alerts (prod)", "Prometheus"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
			},
			{
				PreConfig: func() {
					if _, err := env.api.RemoveIntegration(context.Background(), client.IncomingType, id); err != nil {
						t.Fatal(err)
					}
				},
				Config: config("Alerts (prod)", "Prometheus"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(incomingAddr, plancheck.ResourceActionCreate)},
				},
			},
		},
	})
}

// postJSON posts a JSON body, with extra headers (name, value, …), as a
// monitoring system posts to a webhook.
func postJSON(url, body string, headers ...string) (*http.Response, error) {
	req, err := http.NewRequestWithContext(context.Background(), http.MethodPost, url, strings.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	return http.DefaultClient.Do(req)
}

// TestAccIncomingIntegration_allAttributes sets every attribute, clears the
// optional ones again, and posts through the webhook.
func TestAccIncomingIntegration_allAttributes(t *testing.T) {
	env := newAccEnv(t)
	var webhookURL string
	full := env.config(`
resource "rocketchat_incoming_integration" "test" {
  name                                 = "Everything"
  enabled                              = true
  username                             = "rocket.cat"
  channels                             = ["#general", "@alice"]
  alias                                = "CI"
  avatar                               = "https://example.com/ci.png"
  emoji                                = ":robot:"
  override_destination_channel_enabled = true
  script_enabled                       = true
  script_engine                        = "isolated-vm"
  script                               = <<-EOT
    class Script {
      process_incoming_request({ request }) {
        return { content: { text: request.content.text } };
      }
    }
  EOT
}
`)
	minimal := env.config(`
resource "rocketchat_incoming_integration" "test" {
  name     = "Everything"
  enabled  = false
  username = "rocket.cat"
  channels = ["#general"]
}
`)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		CheckDestroy:             env.checkDestroyed("rocketchat_incoming_integration"),
		Steps: []resource.TestStep{
			{
				Config: full,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(incomingAddr, tfjsonpath.New("channels"), knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact("#general"), knownvalue.StringExact("@alice")})),
					statecheck.ExpectKnownValue(incomingAddr, tfjsonpath.New("avatar"), knownvalue.StringExact("https://example.com/ci.png")),
					statecheck.ExpectKnownValue(incomingAddr, tfjsonpath.New("emoji"), knownvalue.StringExact(":robot:")),
					statecheck.ExpectKnownValue(incomingAddr, tfjsonpath.New("override_destination_channel_enabled"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue(incomingAddr, tfjsonpath.New("script_error"), knownvalue.Null()),
				},
				Check: resource.TestCheckResourceAttrWith(incomingAddr, "webhook_url", func(v string) error {
					webhookURL = v
					return nil
				}),
			},
			{ResourceName: incomingAddr, ImportState: true, ImportStateVerify: true},
			{
				Config: minimal,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(incomingAddr, plancheck.ResourceActionUpdate)},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(incomingAddr, tfjsonpath.New("alias"), knownvalue.Null()),
					statecheck.ExpectKnownValue(incomingAddr, tfjsonpath.New("avatar"), knownvalue.Null()),
					statecheck.ExpectKnownValue(incomingAddr, tfjsonpath.New("emoji"), knownvalue.Null()),
					statecheck.ExpectKnownValue(incomingAddr, tfjsonpath.New("script"), knownvalue.Null()),
					statecheck.ExpectKnownValue(incomingAddr, tfjsonpath.New("enabled"), knownvalue.Bool(false)),
					statecheck.ExpectKnownValue(incomingAddr, tfjsonpath.New("override_destination_channel_enabled"), knownvalue.Bool(false)),
				},
				Check: func(*terraform.State) error {
					// The webhook URL survived the update; a disabled webhook answers 503.
					resp, err := postJSON(webhookURL, `{"text":"hello"}`)
					if err != nil {
						return err
					}
					defer resp.Body.Close()
					if resp.StatusCode != http.StatusServiceUnavailable {
						return fmt.Errorf("posting to the disabled webhook: HTTP %d, want 503", resp.StatusCode)
					}
					return nil
				},
			},
		},
	})
}

// TestAccIncomingIntegration_webhookPosts checks that the webhook URL in the
// state is the one Rocket.Chat answers on, and that the message arrives.
func TestAccIncomingIntegration_webhookPosts(t *testing.T) {
	belowTheCLI(t)
	env := newAccEnv(t)
	srv := env.fake(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{{
			Config: env.config(`
resource "rocketchat_incoming_integration" "test" {
  name     = "Deploys"
  username = "rocket.cat"
  channels = ["#dev"]
  alias    = "Deployer"
}
`),
			Check: resource.TestCheckResourceAttrWith(incomingAddr, "webhook_url", func(url string) error {
				resp, err := postJSON(url, `{"text":"deployed v1.2.3"}`)
				if err != nil {
					return err
				}
				defer resp.Body.Close()
				if resp.StatusCode != http.StatusOK {
					return fmt.Errorf("webhook answered HTTP %d", resp.StatusCode)
				}
				msgs := srv.Messages("#dev")
				if len(msgs) != 1 || msgs[0].Text != "deployed v1.2.3" || msgs[0].Alias != "Deployer" {
					return fmt.Errorf("messages in #dev: %+v", msgs)
				}
				return nil
			}),
		}},
	})
}

// TestAccIncomingIntegration_webhookURLFromSiteURL builds webhook_url on
// Rocket.Chat's Site_Url, as its UI does, not on the address the provider
// reaches it at: reaching the same server under another name changes
// nothing.
func TestAccIncomingIntegration_webhookURLFromSiteURL(t *testing.T) {
	env := newAccEnv(t)
	env.fake(t)
	srv := rocketchattest.NewServer(rocketchattest.WithSiteURL("https://chat.example.com/rc"))
	defer srv.Close()
	admin := srv.Admin()
	resources := incomingIn(`"site url"`, `"rocket.cat"`, `["#general"]`)
	via := func(url string) string {
		return fmt.Sprintf("provider \"rocketchat\" {\n  server_url = %q\n  user_id    = %q\n  auth_token = %q\n}\n", url, admin.UserID, admin.AuthToken) + resources
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{
				Config: via(srv.URL()),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(incomingAddr, tfjsonpath.New("webhook_url"),
						knownvalue.StringRegexp(regexp.MustCompile(`^https://chat\.example\.com/rc/hooks/[0-9a-f]{24}/\w{48}$`))),
				},
			},
			{
				Config:           via(strings.Replace(srv.URL(), "127.0.0.1", "localhost", 1)),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
			{
				// Site_Url cannot be read for a while: the URL built on it
				// before still holds, and nothing shows as drift.
				PreConfig: func() {
					srv.Fail(rocketchattest.EndpointSettingsPublic, 20, rocketchattest.Fault{Status: http.StatusBadRequest, Body: `{"success":false,"error":"unavailable"}`})
				},
				RefreshState: true,
				Check: resource.TestMatchResourceAttr(incomingAddr, "webhook_url",
					regexp.MustCompile(`^https://chat\.example\.com/rc/hooks/`)),
			},
			{
				PreConfig: func() {
					if srv.FaultsPending(rocketchattest.EndpointSettingsPublic) == 20 {
						t.Error("no plan tried to read Site_Url while it could not be read")
					}
					srv.ClearFaults()
				},
				ResourceName: incomingAddr, ImportState: true, ImportStateVerify: true,
			},
		},
	})
}

// TestAccIncomingIntegration_scriptKnownOnlyAtApply checks a script that is
// unknown at plan time (made by another resource) when Terraform validates
// the configuration again at apply: a broken one fails there, and nothing is
// created.
func TestAccIncomingIntegration_scriptKnownOnlyAtApply(t *testing.T) {
	env := newAccEnv(t)
	srv := env.fake(t)
	config := func(script string) string {
		return env.config(fmt.Sprintf(`
resource "terraform_data" "script" {
  input = %q
}

resource "rocketchat_incoming_integration" "test" {
  name           = "Script made elsewhere"
  username       = "rocket.cat"
  channels       = ["#general"]
  script_enabled = true
  script         = terraform_data.script.output
}
`, script))
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{
				Config: config("class Script {\n  process_incoming_request() {\n    return { content: { text: 'x' } }\n}\n"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectUnknownValue(incomingAddr, tfjsonpath.New("script"))},
				},
				ExpectError: regexp.MustCompile(`(?s)The script does not compile.*Line 5, column 1: Expected identifier but found end of file`),
			},
			{
				PreConfig: func() {
					if n := len(srv.Integrations()); n != 0 {
						t.Fatalf("%d integrations were created for a script that does not compile", n)
					}
				},
				Config: config("class Script {\n  process_incoming_request() {\n    return { content: { text: 'x' } };\n  }\n}\n"),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(incomingAddr, tfjsonpath.New("script_error"), knownvalue.Null()),
				},
			},
		},
	})
}
