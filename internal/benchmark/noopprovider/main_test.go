package main

import (
	"context"
	"reflect"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/terraform-rocketchat/terraform-provider-rocketchat/internal/provider"
)

// The no-op provider is a floor only while its schemas are the provider's.
func TestSchemasAreTheProviders(t *testing.T) {
	real, err := provider.NewServer("test")()
	if err != nil {
		t.Fatal(err)
	}
	noop := providerserver.NewProtocol6(noopProvider{})()
	for _, kind := range []string{"incoming_integration", "outgoing_integration"} {
		want := attributes(t, real, "rocketchat_"+kind)
		got := attributes(t, noop, "noop_"+kind)
		for name, w := range want {
			if g, ok := got[name]; !ok {
				t.Errorf("%s.%s: missing", kind, name)
			} else if g != w {
				t.Errorf("%s.%s: got %+v, want %+v", kind, name, g, w)
			}
		}
		for name := range got {
			if _, ok := want[name]; !ok {
				t.Errorf("%s.%s: not in the provider's schema", kind, name)
			}
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

// Terraform refuses a created or updated object with unknown values left
// in it, or with known planned values changed; and the floor checks nothing.
func TestOperationsFillInWhatIsUnknownAndCheckNothing(t *testing.T) {
	ctx := context.Background()
	for _, r := range (noopProvider{}).Resources(ctx) {
		res := r().(*integration)
		t.Run(res.typeName, func(t *testing.T) {
			typ := res.schema.Type().TerraformType(ctx).(tftypes.Object)
			planned := map[string]tftypes.Value{}
			for name, at := range typ.AttributeTypes {
				planned[name] = tftypes.NewValue(at, tftypes.UnknownValue)
			}
			planned["name"] = tftypes.NewValue(tftypes.String, "n")
			planned["channels"] = tftypes.NewValue(tftypes.List{ElementType: tftypes.String},
				[]tftypes.Value{tftypes.NewValue(tftypes.String, "#general"), tftypes.NewValue(tftypes.String, tftypes.UnknownValue)})
			plan := tfsdk.Plan{Schema: res.schema, Raw: tftypes.NewValue(typ, planned)}

			created := resource.CreateResponse{State: tfsdk.State{Schema: res.schema}}
			res.Create(ctx, resource.CreateRequest{Plan: plan}, &created)
			updated := resource.UpdateResponse{State: tfsdk.State{Schema: res.schema}}
			res.Update(ctx, resource.UpdateRequest{Plan: plan}, &updated)
			for op, state := range map[string]tfsdk.State{"create": created.State, "update": updated.State} {
				if !state.Raw.IsFullyKnown() {
					t.Errorf("%s: unknown values left: %s", op, state.Raw)
				}
				var name string
				var channels []string
				state.GetAttribute(ctx, path.Root("name"), &name)
				state.GetAttribute(ctx, path.Root("channels"), &channels)
				if name != "n" || len(channels) != 2 || channels[0] != "#general" {
					t.Errorf("%s: name %q and channels %q, want the planned n and #general first", op, name, channels)
				}
			}
			for name, a := range res.schema.Attributes {
				if v := reflect.ValueOf(a).FieldByName("Validators"); v.Len() != 0 {
					t.Errorf("%s has validators", name)
				}
			}
		})
	}
}
