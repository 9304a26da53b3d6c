package provider

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	fwresource "github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/acctest"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"

	"github.com/terraform-rocketchat/terraform-provider-rocketchat/internal/rocketchattest"
)

// TestAccIntegration_importHints answers an import by webhook URL or by name
// with the ID to import, and never repeats the URL's token.
func TestAccIntegration_importHints(t *testing.T) {
	env := newAccEnv(t)
	name := "import hints " + acctest.RandString(8)
	in := env.createIntegration(t, env.api, incomingRequest(name))
	twin := incomingRequest(name + " twin")
	first := env.createIntegration(t, env.api, twin)
	second := env.createIntegration(t, env.api, twin)
	config := env.config(`resource "rocketchat_incoming_integration" "test" {` + "\n" + `name = "x"` + "\n" + `username = "rocket.cat"` + "\n" + `channels = ["#general"]` + "\n}\n")
	step := func(id string, want *regexp.Regexp) resource.TestStep {
		return resource.TestStep{Config: config, ResourceName: incomingAddr, ImportState: true, ImportStateId: id, ExpectError: want}
	}
	hookURL := env.url + "/hooks/" + in.ID + "/" + in.Token
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			step(hookURL, expectError("Import takes the integration's ID, not its webhook URL", "The import ID is a webhook URL",
				"Import the integration by its ID, which is in the URL: "+in.ID+".")),
			step(env.url+"/hooks/"+in.ID+"/legacy-user/"+in.Token, expectError("its ID, which is in the URL: "+in.ID+".")),
			step(name, expectError("Import takes the integration's ID", fmt.Sprintf("%q is not an integration ID", name),
				fmt.Sprintf("The incoming integration named %q has the ID %s: import that ID.", name, in.ID))),
			step(name+" twin", expectError(fmt.Sprintf("Several incoming integrations are named %q", name+" twin"), first.ID, second.ID)),
			step("no such integration anywhere", expectError("is not an integration ID",
				"No incoming integration the provider's user can see is named so either.", "rocketchat_integrations data source")),
		},
	})
}

// TestImportByWebhookURLHidesTheToken calls the resource as Terraform does,
// for what Terraform's output cannot show: that no diagnostic repeats the
// token of a webhook URL given as the import ID.
func TestImportByWebhookURLHidesTheToken(t *testing.T) {
	srv := rocketchattest.NewServer()
	defer srv.Close()
	admin := newAdminClient(srv)
	doc, err := admin.CreateIntegration(context.Background(), incomingRequest("hidden"))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	r := NewIncomingIntegrationResource()
	r.(fwresource.ResourceWithConfigure).Configure(ctx, fwresource.ConfigureRequest{ProviderData: newProviderData(admin, nil, nil)}, &fwresource.ConfigureResponse{})
	var schemaResp fwresource.SchemaResponse
	r.Schema(ctx, fwresource.SchemaRequest{}, &schemaResp)
	for _, id := range []string{
		srv.URL() + "/hooks/" + doc.ID + "/" + doc.Token,
		"https://chat.example.com/hooks/" + doc.ID + "/" + doc.Token + "?x=1",
	} {
		resp := fwresource.ImportStateResponse{State: tfsdk.State{Schema: schemaResp.Schema, Raw: tftypes.NewValue(schemaResp.Schema.Type().TerraformType(ctx), nil)}}
		r.(fwresource.ResourceWithImportState).ImportState(ctx, fwresource.ImportStateRequest{ID: id}, &resp)
		if !resp.Diagnostics.HasError() {
			t.Fatalf("import by webhook URL accepted")
		}
		for _, d := range resp.Diagnostics {
			if strings.Contains(d.Summary()+d.Detail(), doc.Token) {
				t.Errorf("a diagnostic shows the webhook's token: %s", d.Detail())
			}
			if !strings.Contains(d.Detail(), doc.ID) {
				t.Errorf("the diagnostic does not give the ID to import: %s", d.Detail())
			}
		}
	}
}

// expectUnknownOnly checks that the planned values of a resource are known
// except for the given top-level attributes, which must be unknown: a plan
// shows "known after apply" only where the value cannot be known before.
func expectUnknownOnly(addr string, unknown ...string) plancheck.PlanCheck {
	return unknownOnlyCheck{addr: addr, unknown: unknown}
}

type unknownOnlyCheck struct {
	addr    string
	unknown []string
}

func (c unknownOnlyCheck) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	for _, rc := range req.Plan.ResourceChanges {
		if rc.Address != c.addr {
			continue
		}
		got, _ := rc.Change.AfterUnknown.(map[string]any)
		var unexpected []string
		for name, v := range got {
			if v == true && !slices.Contains(c.unknown, name) {
				unexpected = append(unexpected, name)
			}
		}
		var missing []string
		for _, name := range c.unknown {
			if got[name] != true {
				missing = append(missing, name)
			}
		}
		slices.Sort(unexpected)
		if len(unexpected) > 0 || len(missing) > 0 {
			resp.Error = fmt.Errorf("%s: planned as unknown but should be known: %v; should be unknown but is known: %v", c.addr, unexpected, missing)
		}
		return
	}
	resp.Error = fmt.Errorf("%s is not in the plan", c.addr)
}
