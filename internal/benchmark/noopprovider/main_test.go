package main

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/terraform-rocketchat/terraform-provider-rocketchat/internal/provider"
)

// The no-op provider is a floor only while its schema is the provider's:
// an attribute added there must be added here.
func TestSchemaIsTheIncomingIntegrations(t *testing.T) {
	real, err := provider.NewServer("test")()
	if err != nil {
		t.Fatal(err)
	}
	want := attributes(t, real, "rocketchat_incoming_integration")
	got := attributes(t, providerserver.NewProtocol6(noopProvider{})(), "noop_incoming_integration")
	for name, w := range want {
		if g, ok := got[name]; !ok {
			t.Errorf("%s: missing", name)
		} else if g != w {
			t.Errorf("%s: got %+v, want %+v", name, g, w)
		}
	}
	for name := range got {
		if _, ok := want[name]; !ok {
			t.Errorf("%s: not in the provider's schema", name)
		}
	}
}

type attribute struct {
	typ                                     string
	required, optional, computed, sensitive bool
}

func attributes(t *testing.T, s tfprotov6.ProviderServer, resource string) map[string]attribute {
	t.Helper()
	resp, err := s.GetProviderSchema(context.Background(), &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	schema, ok := resp.ResourceSchemas[resource]
	if !ok {
		t.Fatalf("no schema for %s", resource)
	}
	out := map[string]attribute{}
	for _, a := range schema.Block.Attributes {
		out[a.Name] = attribute{typ: a.Type.String(), required: a.Required, optional: a.Optional, computed: a.Computed, sensitive: a.Sensitive}
	}
	return out
}

// Terraform refuses a created object with unknown values left in it, and
// an updated one whose values differ from the known planned ones.
func TestCreateAndUpdateLeaveNothingUnknown(t *testing.T) {
	ctx := context.Background()
	typ := incomingSchema.Type().TerraformType(ctx).(tftypes.Object)
	planned := map[string]tftypes.Value{}
	for name, at := range typ.AttributeTypes {
		planned[name] = tftypes.NewValue(at, tftypes.UnknownValue)
	}
	planned["name"] = tftypes.NewValue(tftypes.String, "n")
	planned["username"] = tftypes.NewValue(tftypes.String, "rocket.cat")
	planned["channels"] = tftypes.NewValue(tftypes.List{ElementType: tftypes.String}, []tftypes.Value{tftypes.NewValue(tftypes.String, "#general")})
	for _, name := range []string{"alias", "avatar", "emoji", "script", "skip_transpile"} {
		planned[name] = tftypes.NewValue(typ.AttributeTypes[name], nil)
	}
	for _, name := range []string{"enabled", "script_enabled", "override_destination_channel_enabled"} {
		planned[name] = tftypes.NewValue(tftypes.Bool, false)
	}
	plan := tfsdk.Plan{Schema: incomingSchema, Raw: tftypes.NewValue(typ, planned)}

	created := resource.CreateResponse{State: tfsdk.State{Schema: incomingSchema}}
	incomingIntegration{}.Create(ctx, resource.CreateRequest{Plan: plan}, &created)
	if created.Diagnostics.HasError() {
		t.Fatal(created.Diagnostics)
	}
	if !created.State.Raw.IsFullyKnown() {
		t.Errorf("created state has unknown values: %s", created.State.Raw)
	}

	planned["script_error"] = tftypes.NewValue(tftypes.String, tftypes.UnknownValue)
	updated := resource.UpdateResponse{State: tfsdk.State{Schema: incomingSchema}}
	incomingIntegration{}.Update(ctx, resource.UpdateRequest{Plan: tfsdk.Plan{Schema: incomingSchema, Raw: tftypes.NewValue(typ, planned)}}, &updated)
	if updated.Diagnostics.HasError() {
		t.Fatal(updated.Diagnostics)
	}
	var name string
	if updated.Diagnostics.Append(updated.State.GetAttribute(ctx, path.Root("name"), &name)...); name != "n" {
		t.Errorf("updated name %q, want the planned n", name)
	}
	var scriptError types.String
	if updated.Diagnostics.Append(updated.State.GetAttribute(ctx, path.Root("script_error"), &scriptError)...); !scriptError.IsNull() {
		t.Errorf("updated script_error %s, want null", scriptError)
	}
}
