package provider

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	fwresource "github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
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

const (
	incomingType = "rocketchat_incoming_integration"
	outgoingType = "rocketchat_outgoing_integration"
)

// block renders a resource named "test" with one attribute per line.
func block(typ string, lines ...string) string {
	return fmt.Sprintf("resource %q \"test\" {\n  %s\n}\n", typ, strings.Join(lines, "\n  "))
}

// header is the line Terraform quotes for a diagnostic that points at no attribute.
func header(typ string) string { return fmt.Sprintf("resource %q \"test\" {", typ) }

func incomingIn(name, username, channels string) string {
	return block(incomingType, "name = "+name, "username = "+username, "channels = "+channels)
}

func outgoingIn(name, username, channels string, more ...string) string {
	lines := []string{"name = " + name, `event = "sendMessage"`, "username = " + username, "channels = " + channels,
		`urls = ["https://bot.example.com/hook"]`}
	return block(outgoingType, append(lines, more...)...)
}

// allOf matches when both patterns match, in either order: Terraform works
// on independent resources in parallel, so their errors come in any order.
func allOf(a, b *regexp.Regexp) *regexp.Regexp {
	return regexp.MustCompile(`(?s)(?:` + a.String() + `.*` + b.String() + `|` + b.String() + `.*` + a.String() + `)`)
}

// beforeApply runs fn between plan and apply. With it a test applies a plan
// made under other permissions, as when a saved plan is applied after an
// administrator changed them.
func beforeApply(fn func()) plancheck.PlanCheck { return beforeApplyCheck(fn) }

type beforeApplyCheck func()

func (f beforeApplyCheck) CheckPlan(context.Context, plancheck.CheckPlanRequest, *plancheck.CheckPlanResponse) {
	f()
}

// grantManageAll gives the "user" role, and so every seeded user, the
// permissions to manage everyone's integrations; revokeManageAll takes them
// back to the administrator alone, as in a fresh Rocket.Chat.
func grantManageAll(srv *rocketchattest.Server) {
	srv.SetPermission(rocketchattest.PermManageIncoming, "admin", "user")
	srv.SetPermission(rocketchattest.PermManageOutgoing, "admin", "user")
}

func revokeManageAll(srv *rocketchattest.Server) {
	srv.SetPermission(rocketchattest.PermManageIncoming, "admin")
	srv.SetPermission(rocketchattest.PermManageOutgoing, "admin")
}

// TestAccServerErrors_create maps the create errors that no plan-time check
// can foresee: a room deleted between the plan and the create, which the
// checks then locate; an answer they cannot explain, shown as Rocket.Chat
// gave it; and an event only some Rocket.Chat versions offer.
func TestAccServerErrors_create(t *testing.T) {
	env := newAccEnv(t)
	srv := env.fake(t) // faults and rooms removed on cue
	const inFailed = "Rocket.Chat could not create the incoming integration"
	srv.AddRoom("doomed", false)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{
				// The room disappears while the create request is on its way.
				PreConfig: func() {
					srv.Fail(rocketchattest.EndpointCreate, 1, rocketchattest.Fault{Delay: 500 * time.Millisecond})
					go func() {
						for srv.Requests(rocketchattest.EndpointCreate) == 0 {
							time.Sleep(5 * time.Millisecond)
						}
						srv.RemoveRoom("doomed")
					}()
				},
				Config: env.config(incomingIn(`"errors"`, `"rocket.cat"`, `["#general", "#doomed"]`)),
				ExpectError: diagAt("No room #doomed", `channels = ["#general", "#doomed"]`, `The entry "#doomed" names a room`,
					"Rocket.Chat's answer: Rocket.Chat answered POST /api/v1/integrations.create with HTTP 400: Invalid room [error-invalid-room]"),
			},
			{
				// A refusal the checks find no reason for is shown as it came.
				PreConfig: func() {
					srv.Fail(rocketchattest.EndpointCreate, 1, rocketchattest.Fault{Status: 400,
						Body: `{"success":false,"error":"Invalid room [error-invalid-room]","errorType":"error-invalid-room"}`})
				},
				Config:      env.config(incomingIn(`"errors"`, `"rocket.cat"`, `["#general"]`)),
				ExpectError: diagAt(inFailed, `channels = ["#general"]`, "HTTP 400: Invalid room [error-invalid-room]", roomHint),
			},
			{
				// The provider offers messageEdited for the Rocket.Chat versions
				// that have it; the in-memory server, like 8.8, does not.
				Config: env.config(block(outgoingType, `name = "errors"`, `event = "messageEdited"`, `username = "rocket.cat"`,
					`channels = ["#general"]`, `urls = ["https://bot.example.com/hook"]`)),
				ExpectError: diagAt("Rocket.Chat could not create the outgoing integration", `event = "messageEdited"`, "HTTP 400: Invalid event type [error-invalid-event-type]"),
			},
		},
	})
	if docs := srv.Integrations(); len(docs) != 0 {
		t.Errorf("a refused create left %d integrations behind", len(docs))
	}
}

// TestAccServerErrors_importSomeoneElses refuses to adopt an integration of
// the administrator's with only the manage-own permissions.
func TestAccServerErrors_importSomeoneElses(t *testing.T) {
	env := newAccEnv(t)
	srv := env.fake(t)
	theirs, err := env.api.CreateIntegration(context.Background(), &client.IncomingIntegrationRequest{
		IntegrationBase: client.IntegrationBase{Name: "admin's", Enabled: true, Username: "rocket.cat", Channels: []string{"#general"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{{
			Config:        env.providerAs(srv.Owner()) + incomingIn(`"admin's"`, `"rocket.cat"`, `["#general"]`),
			ResourceName:  incomingAddr,
			ImportState:   true,
			ImportStateId: theirs.ID,
			ExpectError:   expectError("Not allowed to read the incoming integration", "HTTP 400: not-authorized", permissionHintStart),
		}},
	})
}

// TestAccServerErrors_readSomeoneElses reads integrations of the
// administrator's as a user with the manage-own permissions only.
// Rocket.Chat answers "not-authorized", which must be an error: taking it
// for "gone" would drop the resources from the state and create duplicates.
func TestAccServerErrors_readSomeoneElses(t *testing.T) {
	belowTheCLI(t)
	env := newAccEnv(t)
	srv := env.fake(t)
	resources := incomingIn(`"read"`, `"rocket.cat"`, `["#general"]`) + outgoingIn(`"read"`, `"rocket.cat"`, `["#general"]`)
	readDenied := func(typ, kind string) *regexp.Regexp {
		return diagAt("Not allowed to read the "+kind+" integration", header(typ), "GET /api/v1/integrations.get with HTTP 400: not-authorized", permissionHintStart)
	}
	sameIn := statecheck.CompareValue(compare.ValuesSame())
	sameOut := statecheck.CompareValue(compare.ValuesSame())
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		CheckDestroy:             env.checkDestroyed(incomingType, outgoingType),
		Steps: []resource.TestStep{
			{
				Config: env.config(resources),
				ConfigStateChecks: []statecheck.StateCheck{
					sameIn.AddStateValue(incomingAddr, tfjsonpath.New("id")),
					sameOut.AddStateValue(outgoingAddr, tfjsonpath.New("id")),
				},
			},
			{
				Config:      env.providerAs(srv.Owner()) + resources,
				ExpectError: allOf(readDenied(incomingType, "incoming"), readDenied(outgoingType, "outgoing")),
			},
			{
				// Both are still in the state: nothing to create.
				Config:           env.config(resources),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				ConfigStateChecks: []statecheck.StateCheck{
					sameIn.AddStateValue(incomingAddr, tfjsonpath.New("id")),
					sameOut.AddStateValue(outgoingAddr, tfjsonpath.New("id")),
				},
			},
		},
	})
	if n := srv.Requests(rocketchattest.EndpointCreate); n != 2 {
		t.Errorf("%d create requests, want 2", n)
	}
	if n := srv.Requests(rocketchattest.EndpointUpdate); n != 0 {
		t.Errorf("%d update requests: the refused update must not be sent", n)
	}
}

// TestAccServerErrors_changeSomeoneElses applies plans made while the
// manage-own user could manage everyone's integrations after that right was
// taken away: Rocket.Chat then refuses the update or delete of integrations
// the user did not create.
func TestAccServerErrors_changeSomeoneElses(t *testing.T) {
	env := newAccEnv(t)
	srv := env.fake(t)
	owner := env.providerAs(srv.Owner())
	resources := func(name string) string {
		return incomingIn(name, `"rocket.cat"`, `["#general"]`) + outgoingIn(name, `"rocket.cat"`, `["#general"]`)
	}
	denied := func(action, kind, answer string) *regexp.Regexp {
		return expectError("Not allowed to "+action+" the "+kind+" integration", answer, permissionHintStart)
	}
	actions := func(action plancheck.ResourceActionType, then func()) resource.ConfigPlanChecks {
		return resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
			plancheck.ExpectResourceAction(incomingAddr, action),
			plancheck.ExpectResourceAction(outgoingAddr, action),
			beforeApply(then),
		}}
	}
	revokeAll := func() {
		revokeManageAll(srv)
		srv.SetPermission(rocketchattest.PermManageOwnIncoming, "admin")
		srv.SetPermission(rocketchattest.PermManageOwnOutgoing, "admin")
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		CheckDestroy:             env.checkDestroyed(incomingType, outgoingType),
		Steps: []resource.TestStep{
			{Config: env.config(resources(`"original"`))},
			{
				PreConfig:        func() { grantManageAll(srv) },
				Config:           owner + resources(`"renamed"`),
				ConfigPlanChecks: actions(plancheck.ResourceActionUpdate, func() { revokeManageAll(srv) }),
				// Terraform plans each change again when it applies it: the
				// check finds the revoked permission then, before any request.
				ExpectError: allOf(
					expectError("The provider's user integration.owner may not change this incoming integration",
						"so Rocket.Chat lets it change only the incoming integrations it created, and admin created this one."),
					expectError("The provider's user integration.owner may not change this outgoing integration"),
				),
			},
			{
				PreConfig:        func() { grantManageAll(srv) },
				Config:           owner,
				ConfigPlanChecks: actions(plancheck.ResourceActionDestroy, func() { revokeManageAll(srv) }),
				ExpectError: allOf(
					denied("delete", "incoming", "POST /api/v1/integrations.remove with HTTP 400: Invalid integration [error-invalid-integration]"),
					denied("delete", "outgoing", "POST /api/v1/integrations.remove with HTTP 400: Invalid integration [error-invalid-integration]"),
				),
			},
			{
				// Without any integration permission, the route itself refuses.
				PreConfig:        func() { grantManageAll(srv) },
				Config:           owner,
				ConfigPlanChecks: actions(plancheck.ResourceActionDestroy, revokeAll),
				ExpectError: allOf(
					denied("delete", "incoming", "HTTP 403: User does not have the permissions required for this action [error-unauthorized]"),
					denied("delete", "outgoing", "HTTP 403: User does not have the permissions required for this action [error-unauthorized]"),
				),
			},
			{
				// Nothing changed, and both are still in the state.
				Config:           env.config(resources(`"original"`)),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(incomingAddr, tfjsonpath.New("name"), knownvalue.StringExact("original")),
					statecheck.ExpectKnownValue(outgoingAddr, tfjsonpath.New("name"), knownvalue.StringExact("original")),
				},
			},
		},
	})
	if n := srv.Requests(rocketchattest.EndpointCreate); n != 2 {
		t.Errorf("%d create requests, want 2", n)
	}
	if n := srv.Requests(rocketchattest.EndpointUpdate); n != 0 {
		t.Errorf("%d update requests: the refused update must not be sent", n)
	}
}

// TestAccServerErrors_update shows an update refusal that no check foresaw
// as Rocket.Chat gave it; the failed update leaves the state as it was.
func TestAccServerErrors_update(t *testing.T) {
	env := newAccEnv(t)
	srv := env.fake(t)
	resources := func(name string) string {
		return env.config(incomingIn(name, `"rocket.cat"`, `["#general"]`))
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		CheckDestroy:             env.checkDestroyed(incomingType, outgoingType),
		Steps: []resource.TestStep{
			{Config: resources(`"update errors"`)},
			{
				PreConfig: func() {
					srv.Fail(rocketchattest.EndpointUpdate, 1, rocketchattest.Fault{Status: 400,
						Body: `{"success":false,"error":"Invalid Post As User [error-invalid-post-as-user]","errorType":"error-invalid-post-as-user"}`})
				},
				Config: resources(`"renamed"`),
				ExpectError: diagAt("Rocket.Chat could not update the incoming integration", `username = "rocket.cat"`,
					"PUT /api/v1/integrations.update with HTTP 400: Invalid Post As User [error-invalid-post-as-user]", userHint),
			},
			{
				Config:            resources(`"update errors"`),
				ConfigPlanChecks:  resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				ConfigStateChecks: []statecheck.StateCheck{statecheck.ExpectKnownValue(incomingAddr, tfjsonpath.New("name"), knownvalue.StringExact("update errors"))},
			},
		},
	})
}

// TestAccIntegration_manageOwnLifecycle manages both kinds as a user with the
// manage-own permissions only, in a room it is a member of: everything
// works, and a room it is no member of is refused on update as on create.
func TestAccIntegration_manageOwnLifecycle(t *testing.T) {
	// Seven steps of several terraform runs each, as a user the rate limit
	// applies to: a limited run is what TestCLI_rateLimitedApply is about.
	env := newAccEnv(t, rocketchattest.WithoutRateLimit())
	srv := env.fake(t)
	owner := env.providerAs(srv.Owner())
	config := func(name, channels string) string {
		return owner + incomingIn(name, `"rocket.cat"`, channels) + outgoingIn(name, `"rocket.cat"`, channels, `trigger_words = ["!deploy"]`)
	}
	createdByOwner := func(addr string) statecheck.StateCheck {
		return statecheck.ExpectKnownValue(addr, tfjsonpath.New("created_by"), knownvalue.StringExact(rocketchattest.OwnerUsername))
	}
	both := func(action plancheck.ResourceActionType) resource.ConfigPlanChecks {
		return resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
			plancheck.ExpectResourceAction(incomingAddr, action),
			plancheck.ExpectResourceAction(outgoingAddr, action),
		}}
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		CheckDestroy:             env.checkDestroyed(incomingType, outgoingType),
		Steps: []resource.TestStep{
			{
				Config:            config(`"Deploys"`, `["#dev"]`),
				ConfigPlanChecks:  both(plancheck.ResourceActionCreate),
				ConfigStateChecks: []statecheck.StateCheck{createdByOwner(incomingAddr), createdByOwner(outgoingAddr)},
			},
			{ResourceName: incomingAddr, ImportState: true, ImportStateVerify: true},
			{ResourceName: outgoingAddr, ImportState: true, ImportStateVerify: true},
			{
				Config:           config(`"Deploys (prod)"`, `["#dev", "#general"]`),
				ConfigPlanChecks: both(plancheck.ResourceActionUpdate),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(incomingAddr, tfjsonpath.New("name"), knownvalue.StringExact("Deploys (prod)")),
					statecheck.ExpectKnownValue(outgoingAddr, tfjsonpath.New("channels"), knownvalue.ListExact([]knownvalue.Check{
						knownvalue.StringExact("#dev"), knownvalue.StringExact("#general")})),
				},
			},
			{
				Config:           config(`"Deploys (prod)"`, `["#dev", "#general"]`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
			{
				// Refused at plan time, as on create.
				Config: config(`"Deploys (prod)"`, `["#random"]`),
				ExpectError: allOf(
					diagAt("The provider's user integration.owner is not a member of #random", `channels = ["#random"]`, "holds only manage-own-incoming-integrations"),
					diagAt("The provider's user integration.owner is not a member of #random", `channels = ["#random"]`, "holds only manage-own-outgoing-integrations"),
				),
			},
			{
				Config:           config(`"Deploys (prod)"`, `["#dev", "#general"]`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
		},
	})
	if n := srv.Requests(rocketchattest.EndpointRemove); n != 2 {
		t.Errorf("%d remove requests, want the owner's 2", n)
	}
}

// TestAccServerErrors_deletedOutOfBand re-creates integrations deleted
// outside Terraform.
func TestAccServerErrors_deletedOutOfBand(t *testing.T) {
	env := newAccEnv(t)
	resources := env.config(incomingIn(`"out of band"`, `"rocket.cat"`, `["#general"]`) + outgoingIn(`"out of band"`, `"rocket.cat"`, `["#general"]`))
	var inID, outID string
	newIn := statecheck.CompareValue(compare.ValuesDiffer())
	newOut := statecheck.CompareValue(compare.ValuesDiffer())
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		CheckDestroy:             env.checkDestroyed(incomingType, outgoingType),
		Steps: []resource.TestStep{
			{
				Config: resources,
				Check:  resource.ComposeTestCheckFunc(captureID(incomingAddr, &inID), captureID(outgoingAddr, &outID)),
				ConfigStateChecks: []statecheck.StateCheck{
					newIn.AddStateValue(incomingAddr, tfjsonpath.New("id")),
					newOut.AddStateValue(outgoingAddr, tfjsonpath.New("id")),
				},
			},
			{
				PreConfig: func() {
					for typ, id := range map[client.IntegrationType]string{client.IncomingType: inID, client.OutgoingType: outID} {
						if _, err := env.api.RemoveIntegration(context.Background(), typ, id); err != nil {
							t.Fatal(err)
						}
					}
				},
				Config: resources,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(incomingAddr, plancheck.ResourceActionCreate),
					plancheck.ExpectResourceAction(outgoingAddr, plancheck.ResourceActionCreate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					newIn.AddStateValue(incomingAddr, tfjsonpath.New("id")),
					newOut.AddStateValue(outgoingAddr, tfjsonpath.New("id")),
				},
				Check: func(s *terraform.State) error {
					for _, addr := range []string{incomingAddr, outgoingAddr} {
						if _, err := env.api.GetIntegration(context.Background(), s.RootModule().Resources[addr].Primary.ID); err != nil {
							return fmt.Errorf("%s was not created again: %w", addr, err)
						}
					}
					return nil
				},
			},
		},
	})
}

// readDirectly imports an integration as the administrator, runs between,
// then reads the integration with the reader's client, calling the resource
// as Terraform would. The diagnostics and the new state can then be
// inspected, which Terraform's output does not allow for warnings.
func readDirectly(t *testing.T, newResource func() fwresource.Resource, admin, reader *client.Client, id string, between func()) (tfsdk.State, *fwresource.ReadResponse) {
	t.Helper()
	ctx := context.Background()
	configured := func(c *client.Client) fwresource.Resource {
		r := newResource()
		r.(fwresource.ResourceWithConfigure).Configure(ctx, fwresource.ConfigureRequest{ProviderData: newProviderData(c, nil, nil)}, &fwresource.ConfigureResponse{})
		return r
	}
	var schemaResp fwresource.SchemaResponse
	newResource().Schema(ctx, fwresource.SchemaRequest{}, &schemaResp)
	empty := tfsdk.State{Schema: schemaResp.Schema, Raw: tftypes.NewValue(schemaResp.Schema.Type().TerraformType(ctx), nil)}
	imported := fwresource.ImportStateResponse{State: empty}
	configured(admin).(fwresource.ResourceWithImportState).ImportState(ctx, fwresource.ImportStateRequest{ID: id}, &imported)
	if imported.Diagnostics.HasError() {
		t.Fatal(imported.Diagnostics)
	}
	prior := imported.State
	between()
	resp := &fwresource.ReadResponse{State: tfsdk.State{Schema: prior.Schema, Raw: prior.Raw.Copy()}}
	configured(reader).Read(ctx, fwresource.ReadRequest{State: prior}, resp)
	return prior, resp
}

// readCases are one integration of each kind, as the administrator creates them.
var readCases = []struct {
	kind        string
	typ         client.IntegrationType
	newResource func() fwresource.Resource
	req         client.IntegrationRequest
}{
	{"incoming", client.IncomingType, NewIncomingIntegrationResource, &client.IncomingIntegrationRequest{
		IntegrationBase: client.IntegrationBase{Name: "read", Enabled: true, Username: "rocket.cat", Channels: []string{"#general"}},
	}},
	{"outgoing", client.OutgoingType, NewOutgoingIntegrationResource, &client.OutgoingIntegrationRequest{
		IntegrationBase: client.IntegrationBase{Name: "read", Enabled: true, Username: "rocket.cat", Channels: []string{"#general"}},
		OutgoingTrigger: client.OutgoingTrigger{Event: "sendMessage", URLs: []string{"https://bot.example.com/hook"}},
	}},
}

// TestAccIntegration_readDeletedOutOfBand warns and removes the resource from
// the state, so that the next apply creates it again.
func TestAccIntegration_readDeletedOutOfBand(t *testing.T) {
	env := newAccEnv(t)
	ctx := context.Background()
	for _, tc := range readCases {
		t.Run(tc.kind, func(t *testing.T) {
			doc, err := env.api.CreateIntegration(ctx, tc.req)
			if err != nil {
				t.Fatal(err)
			}
			_, resp := readDirectly(t, tc.newResource, env.api, env.api, doc.ID, func() {
				if _, err := env.api.RemoveIntegration(ctx, tc.typ, doc.ID); err != nil {
					t.Fatal(err)
				}
			})
			if len(resp.Diagnostics) != 1 {
				t.Fatalf("want one warning, got %v", resp.Diagnostics)
			}
			d := resp.Diagnostics[0]
			if d.Severity() != diag.SeverityWarning || d.Summary() != "The "+tc.kind+" integration no longer exists" ||
				!strings.Contains(d.Detail(), "Rocket.Chat has no integration with ID "+doc.ID+" any more") ||
				!strings.Contains(d.Detail(), "removed from the state, and the next apply creates it again") {
				t.Errorf("got %s %q: %q", d.Severity(), d.Summary(), d.Detail())
			}
			if !resp.State.Raw.IsNull() {
				t.Error("the resource stayed in the state")
			}
		})
	}
}

// TestAccIntegration_readPermissionDenied reports Rocket.Chat's "not-authorized"
// as an error and leaves the state as it was.
func TestAccIntegration_readPermissionDenied(t *testing.T) {
	env := newAccEnv(t)
	srv := env.fake(t)
	ctx := context.Background()
	owner, err := client.New(client.Config{URL: env.url, UserID: srv.Owner().UserID, AuthToken: srv.Owner().AuthToken})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range readCases {
		t.Run(tc.kind, func(t *testing.T) {
			doc, err := env.api.CreateIntegration(ctx, tc.req)
			if err != nil {
				t.Fatal(err)
			}
			prior, resp := readDirectly(t, tc.newResource, env.api, owner, doc.ID, func() {})
			if len(resp.Diagnostics) != 1 {
				t.Fatalf("want one error, got %v", resp.Diagnostics)
			}
			d := resp.Diagnostics[0]
			if d.Severity() != diag.SeverityError || d.Summary() != "Not allowed to read the "+tc.kind+" integration" ||
				!strings.Contains(d.Detail(), "HTTP 400: not-authorized") || !strings.Contains(d.Detail(), permissionHintStart) {
				t.Errorf("got %s %q: %q", d.Severity(), d.Summary(), d.Detail())
			}
			if !resp.State.Raw.Equal(prior.Raw) {
				t.Errorf("the state changed:\n%v\nwant\n%v", resp.State.Raw, prior.Raw)
			}
			if _, ok := srv.Integration(doc.ID); !ok {
				t.Error("the integration is gone from Rocket.Chat")
			}
		})
	}
}
