package provider

import (
	"context"
	"fmt"
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
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/terraform-rocketchat/terraform-provider-rocketchat/internal/client"
)

const outgoingAddr = "rocketchat_outgoing_integration.test"

func TestAccOutgoingIntegration_lifecycle(t *testing.T) {
	env := newAccEnv(t)
	var id string
	sameToken := statecheck.CompareValue(compare.ValuesSame())
	config := func(name string, words ...string) string {
		return env.config(fmt.Sprintf(`
resource "rocketchat_outgoing_integration" "test" {
  name          = %q
  event         = "sendMessage"
  username      = "rocket.cat"
  channels      = ["#general"]
  urls          = ["https://bot.example.com/hook"]
  trigger_words = [%s]
}
`, name, `"`+strings.Join(words, `", "`)+`"`))
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		CheckDestroy:             env.checkDestroyed("rocketchat_outgoing_integration"),
		Steps: []resource.TestStep{
			{
				Config: config("Guggy", "!guggy"),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(outgoingAddr, tfjsonpath.New("id"), knownvalue.StringRegexp(regexp.MustCompile(`^[0-9a-f]{24}$`))),
					// A token the provider generated, because Rocket.Chat needs one on every update.
					statecheck.ExpectKnownValue(outgoingAddr, tfjsonpath.New("token"), knownvalue.StringRegexp(regexp.MustCompile(`^[23456789ABCDEFGHJKLMNPQRSTWXYZabcdefghijkmnopqrstuvwxyz]{24}$`))),
					statecheck.ExpectKnownValue(outgoingAddr, tfjsonpath.New("retry_failed_calls"), knownvalue.Bool(false)),
					statecheck.ExpectKnownValue(outgoingAddr, tfjsonpath.New("retry_count"), knownvalue.Null()),
					sameToken.AddStateValue(outgoingAddr, tfjsonpath.New("token")),
				},
				Check: captureID(outgoingAddr, &id),
			},
			{ResourceName: outgoingAddr, ImportState: true, ImportStateVerify: true},
			{
				Config: config("Guggy GIFs", "!guggy", "!gif"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(outgoingAddr, plancheck.ResourceActionUpdate),
						// Nothing but the name and words change: nothing is "known after apply".
						expectUnknownOnly(outgoingAddr),
					},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(outgoingAddr, tfjsonpath.New("trigger_words"), knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact("!guggy"), knownvalue.StringExact("!gif")})),
					sameToken.AddStateValue(outgoingAddr, tfjsonpath.New("token")),
				},
			},
			{
				Config:           config("Guggy GIFs", "!guggy", "!gif"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
			{
				PreConfig: func() {
					if _, err := env.api.RemoveIntegration(context.Background(), client.OutgoingType, id); err != nil {
						t.Fatal(err)
					}
				},
				Config: config("Guggy GIFs", "!guggy", "!gif"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(outgoingAddr, plancheck.ResourceActionCreate)},
				},
			},
		},
	})
}

// TestAccOutgoingIntegration_allAttributes sets every attribute, then moves
// to an event with other needs, and back to a minimal configuration.
func TestAccOutgoingIntegration_allAttributes(t *testing.T) {
	env := newAccEnv(t)
	full := env.config(`
resource "rocketchat_outgoing_integration" "test" {
  name                  = "Everything"
  enabled               = true
  event                 = "sendMessage"
  username              = "rocket.cat"
  channels              = ["#general", "all_public_channels"]
  urls                  = ["https://a.example.com/hook", "http://b.example.com:8080/hook?x=1"]
  trigger_words         = ["!deploy", "!rollback"]
  trigger_word_anywhere = true
  target_room           = "#dev"
  token                 = "a-token-chosen-by-the-user"
  alias                 = "Deployer"
  avatar                = "https://example.com/deployer.png"
  emoji                 = ":rocket:"
  run_on_edits          = true
  impersonate_user      = true
  retry_failed_calls    = true
  retry_count           = 6
  retry_delay           = "powers-of-two"
  script_enabled        = true
  script_engine         = "isolated-vm"
  script                = <<-EOT
    class Script {
      prepare_outgoing_request({ request }) { return request; }
      process_outgoing_response({ response }) { return { content: { text: response.content.text } }; }
    }
  EOT
}
`)
	userCreated := env.config(`
resource "rocketchat_outgoing_integration" "test" {
  name        = "Welcome"
  event       = "userCreated"
  username    = "rocket.cat"
  urls        = ["https://hr.example.com/new-user"]
  target_room = "#general"
  token       = "a-token-chosen-by-the-user"
}
`)
	minimal := env.config(`
resource "rocketchat_outgoing_integration" "test" {
  name     = "Welcome"
  event    = "roomJoined"
  username = "rocket.cat"
  channels = ["#dev"]
  urls     = ["https://hr.example.com/joined"]
}
`)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		CheckDestroy:             env.checkDestroyed("rocketchat_outgoing_integration"),
		Steps: []resource.TestStep{
			{
				Config: full,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(outgoingAddr, tfjsonpath.New("retry_count"), knownvalue.Int64Exact(6)),
					statecheck.ExpectKnownValue(outgoingAddr, tfjsonpath.New("retry_delay"), knownvalue.StringExact("powers-of-two")),
					statecheck.ExpectKnownValue(outgoingAddr, tfjsonpath.New("token"), knownvalue.StringExact("a-token-chosen-by-the-user")),
					statecheck.ExpectKnownValue(outgoingAddr, tfjsonpath.New("trigger_word_anywhere"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue(outgoingAddr, tfjsonpath.New("script_error"), knownvalue.Null()),
				},
			},
			{ResourceName: outgoingAddr, ImportState: true, ImportStateVerify: true},
			{
				Config: userCreated,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(outgoingAddr, plancheck.ResourceActionUpdate)},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(outgoingAddr, tfjsonpath.New("channels"), knownvalue.Null()),
					statecheck.ExpectKnownValue(outgoingAddr, tfjsonpath.New("trigger_words"), knownvalue.Null()),
					statecheck.ExpectKnownValue(outgoingAddr, tfjsonpath.New("alias"), knownvalue.Null()),
					statecheck.ExpectKnownValue(outgoingAddr, tfjsonpath.New("script"), knownvalue.Null()),
					statecheck.ExpectKnownValue(outgoingAddr, tfjsonpath.New("run_on_edits"), knownvalue.Bool(false)),
				},
			},
			{
				Config: minimal,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(outgoingAddr, tfjsonpath.New("target_room"), knownvalue.Null()),
					// The user's token is gone from the configuration; the one in the state stays in use.
					statecheck.ExpectKnownValue(outgoingAddr, tfjsonpath.New("token"), knownvalue.StringExact("a-token-chosen-by-the-user")),
				},
			},
		},
	})
}

// TestAccOutgoingIntegration_scriptError refuses a script that does not
// compile at plan time, before anything is created, and keeps in
// script_error the compile error Rocket.Chat holds for a script it read
// differently.
func TestAccOutgoingIntegration_scriptError(t *testing.T) {
	env := newAccEnv(t)
	srv := env.fake(t) // the compile error is planted in the server
	config := func(script string) string {
		return env.config(fmt.Sprintf(`
resource "rocketchat_outgoing_integration" "test" {
  name           = "Scripted"
  event          = "sendMessage"
  username       = "rocket.cat"
  channels       = ["#general"]
  urls           = ["https://bot.example.com/hook"]
  script_enabled = true
  script         = %q
}
`, script))
	}
	const valid = "class Script { prepare_outgoing_request({ request }) { return request; } }"
	var id string
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{
				Config:      config("class Script {\n  prepare_outgoing_request({ request }) {\n    return request\n}"),
				ExpectError: regexp.MustCompile(`(?s)The script does not compile.*Line 4, column 2: Expected identifier but found end of file`),
			},
			{
				PreConfig: func() {
					if n := len(srv.Integrations()); n != 0 {
						t.Fatalf("%d integrations were created for a script that does not compile", n)
					}
				},
				Config: config(valid),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(outgoingAddr, tfjsonpath.New("script_error"), knownvalue.Null()),
				},
				Check: captureID(outgoingAddr, &id),
			},
			{
				PreConfig: func() {
					if err := srv.SetScriptError(id, "SyntaxError", "Unexpected token (1:7)"); err != nil {
						t.Fatal(err)
					}
				},
				Config: config(valid),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(outgoingAddr, tfjsonpath.New("script_error"), knownvalue.StringExact("SyntaxError: Unexpected token (1:7)")),
				},
			},
		},
	})
}

// TestAccOutgoingIntegration_writeOnlyToken keeps the token out of the
// state and the plan, and sends a new one when its version changes.
func TestAccOutgoingIntegration_writeOnlyToken(t *testing.T) {
	env := newAccEnv(t)
	var id string
	config := func(token string, version int) string {
		return env.config(fmt.Sprintf(`
resource "rocketchat_outgoing_integration" "test" {
  name             = "Write-only"
  event            = "sendMessage"
  username         = "rocket.cat"
  channels         = ["#general"]
  urls             = ["https://bot.example.com/hook"]
  token_wo         = %q
  token_wo_version = %d
}
`, token, version))
	}
	serverToken := func(want string) resource.TestCheckFunc {
		return func(*terraform.State) error {
			doc, err := env.api.GetIntegration(context.Background(), id)
			if err != nil {
				return err
			}
			if doc.Token != want {
				return fmt.Errorf("Rocket.Chat holds another token than token_wo")
			}
			return nil
		}
	}
	absentFromStateFile := func(secret string) resource.TestCheckFunc {
		return func(s *terraform.State) error {
			for _, rs := range s.RootModule().Resources {
				for k, v := range rs.Primary.Attributes {
					if strings.Contains(v, secret) {
						return fmt.Errorf("the write-only token appears in the state as %s", k)
					}
				}
			}
			return nil
		}
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_11_0)},
		Steps: []resource.TestStep{
			{
				Config: config("first-secret-token", 1),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(outgoingAddr, tfjsonpath.New("token"), knownvalue.Null()),
					statecheck.ExpectKnownValue(outgoingAddr, tfjsonpath.New("token_wo"), knownvalue.Null()),
				},
				Check: resource.ComposeTestCheckFunc(captureID(outgoingAddr, &id), absentFromStateFile("first-secret-token"),
					func(s *terraform.State) error { return serverToken("first-secret-token")(s) }),
			},
			{
				Config: config("second-secret-token", 2),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(outgoingAddr, plancheck.ResourceActionUpdate)},
				},
				Check: resource.ComposeTestCheckFunc(absentFromStateFile("second-secret-token"),
					func(s *terraform.State) error { return serverToken("second-secret-token")(s) }),
			},
			{
				// A changed write-only value alone is invisible to Terraform: no plan.
				Config:           config("third-secret-token", 2),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
			{
				// Another change sends back the token Rocket.Chat holds: a
				// changed token_wo without a new version must not rotate it.
				Config: strings.Replace(config("third-secret-token", 2), `"Write-only"`, `"Write-only, renamed"`, 1),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(outgoingAddr, plancheck.ResourceActionUpdate), expectUnknownOnly(outgoingAddr)},
				},
				Check: serverToken("second-secret-token"),
			},
			{
				// Leaving token_wo: the provider generates a token and keeps it.
				Config: env.config(`
resource "rocketchat_outgoing_integration" "test" {
  name     = "Write-only, renamed"
  event    = "sendMessage"
  username = "rocket.cat"
  channels = ["#general"]
  urls     = ["https://bot.example.com/hook"]
}
`),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{expectUnknownOnly(outgoingAddr, "token")},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(outgoingAddr, tfjsonpath.New("token"), knownvalue.StringRegexp(regexp.MustCompile(`^\w{24}$`))),
				},
				Check: func(s *terraform.State) error {
					generated := s.RootModule().Resources[outgoingAddr].Primary.Attributes["token"]
					return serverToken(generated)(s)
				},
			},
		},
	})
}

// TestAccOutgoingIntegration_retrySettingsPlanned plans the retry settings
// with the values Rocket.Chat stores: null while retrying is off, its
// defaults for those left out once it is on.
func TestAccOutgoingIntegration_retrySettingsPlanned(t *testing.T) {
	env := newAccEnv(t)
	config := func(retry string) string {
		return env.config(`
resource "rocketchat_outgoing_integration" "test" {
  name     = "Retries"
  event    = "sendMessage"
  username = "rocket.cat"
  channels = ["#general"]
  urls     = ["https://bot.example.com/hook"]
  token    = "a-token-chosen-by-the-user"
` + retry + `
}
`)
	}
	retries := func(count, delay knownvalue.Check) []statecheck.StateCheck {
		return []statecheck.StateCheck{
			statecheck.ExpectKnownValue(outgoingAddr, tfjsonpath.New("retry_count"), count),
			statecheck.ExpectKnownValue(outgoingAddr, tfjsonpath.New("retry_delay"), delay),
		}
	}
	planned := func(count, delay knownvalue.Check, unknown ...string) resource.ConfigPlanChecks {
		return resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
			expectUnknownOnly(outgoingAddr, unknown...),
			plancheck.ExpectKnownValue(outgoingAddr, tfjsonpath.New("retry_count"), count),
			plancheck.ExpectKnownValue(outgoingAddr, tfjsonpath.New("retry_delay"), delay),
		}}
	}
	null := knownvalue.Null()
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{
				Config:            config(""),
				ConfigPlanChecks:  planned(null, null, "id", "created_at"),
				ConfigStateChecks: retries(null, null),
			},
			{
				Config:            config("retry_failed_calls = true"),
				ConfigPlanChecks:  planned(knownvalue.Int64Exact(4), knownvalue.StringExact("powers-of-ten")),
				ConfigStateChecks: retries(knownvalue.Int64Exact(4), knownvalue.StringExact("powers-of-ten")),
			},
			{
				Config:            config("retry_failed_calls = true\nretry_count = 7\nretry_delay = \"increments-of-two\""),
				ConfigPlanChecks:  planned(knownvalue.Int64Exact(7), knownvalue.StringExact("increments-of-two")),
				ConfigStateChecks: retries(knownvalue.Int64Exact(7), knownvalue.StringExact("increments-of-two")),
			},
			{
				// Rocket.Chat keeps the stored settings when retrying is turned
				// off; they no longer apply, and read as null.
				Config:            config("retry_failed_calls = false"),
				ConfigPlanChecks:  planned(null, null),
				ConfigStateChecks: retries(null, null),
			},
			{ResourceName: outgoingAddr, ImportState: true, ImportStateVerify: true},
		},
	})
}

// TestAccOutgoingIntegration_importWithoutToken adopts an integration made
// by hand without a token: its first update needs one, so the provider
// generates it.
func TestAccOutgoingIntegration_importWithoutToken(t *testing.T) {
	env := newAccEnv(t)
	doc, err := env.api.CreateIntegration(context.Background(), &client.OutgoingIntegrationRequest{
		IntegrationBase: client.IntegrationBase{Name: "Made by hand", Enabled: true, Username: "rocket.cat", Channels: []string{"#general"}},
		OutgoingTrigger: client.OutgoingTrigger{Event: "sendMessage", URLs: []string{"https://bot.example.com/hook"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	config := func(name string) string {
		return env.config(fmt.Sprintf(`
resource "rocketchat_outgoing_integration" "test" {
  name     = %q
  event    = "sendMessage"
  username = "rocket.cat"
  channels = ["#general"]
  urls     = ["https://bot.example.com/hook"]
}
`, name))
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{
				Config:             config("Made by hand"),
				ResourceName:       outgoingAddr,
				ImportState:        true,
				ImportStateId:      doc.ID,
				ImportStatePersist: true,
			},
			{
				Config:           config("Made by hand"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
			{
				Config: config("Managed now"),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(outgoingAddr, tfjsonpath.New("token"), knownvalue.StringRegexp(regexp.MustCompile(`^\w{24}$`))),
				},
			},
		},
	})
}

// TestAccIntegration_importWrongKind refuses an ID of the other kind.
func TestAccIntegration_importWrongKind(t *testing.T) {
	env := newAccEnv(t)
	in, err := env.api.CreateIntegration(context.Background(), &client.IncomingIntegrationRequest{
		IntegrationBase: client.IntegrationBase{Name: "in", Enabled: true, Username: "rocket.cat", Channels: []string{"#general"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _, _ = env.api.RemoveIntegration(context.Background(), client.IncomingType, in.ID) })
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{
				Config: env.config(`
resource "rocketchat_outgoing_integration" "test" {
  name     = "x"
  event    = "sendMessage"
  username = "rocket.cat"
  channels = ["#general"]
  urls     = ["https://bot.example.com/hook"]
}
`),
				ResourceName:  outgoingAddr,
				ImportState:   true,
				ImportStateId: in.ID,
				ExpectError:   expectError("is an incoming integration; manage or import it as a rocketchat_incoming_integration resource"),
			},
			{
				Config:        env.config(`resource "rocketchat_incoming_integration" "test" {` + "\n" + `name = "x"` + "\n" + `username = "rocket.cat"` + "\n" + `channels = ["#general"]` + "\n}\n"),
				ResourceName:  incomingAddr,
				ImportState:   true,
				ImportStateId: "000000000000000000000000",
				ExpectError:   expectError("Cannot import a non-existent integration"),
			},
		},
	})
}
