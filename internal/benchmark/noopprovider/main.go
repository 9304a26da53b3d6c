// Command noopprovider is the floor a plugin provider can reach: a provider
// on terraform-plugin-framework with the provider's two integration
// resources, their schemas as they are but for the validators, whose
// operations only fill in computed values. The benchmark measures it next to
// the real provider, so that the cost of being a plugin at all is told apart
// from the provider's own. It lives under internal/benchmark so that it
// never ships.
package main

import (
	"context"
	"log"
	"math/big"
	"os"
	"reflect"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	rocketchat "github.com/terraform-rocketchat/terraform-provider-rocketchat/internal/provider"
)

// Address is where the benchmark's dev_overrides point Terraform at this binary.
const Address = "registry.terraform.io/bench/noop"

func main() {
	quietUnlessLogging()
	if err := providerserver.Serve(context.Background(), func() provider.Provider { return noopProvider{} },
		providerserver.ServeOpts{Address: Address}); err != nil {
		log.Fatal(err)
	}
}

// defaultLoggingEnv, set to 1, leaves the framework's logging as every
// provider gets it unless it turns it off: the minimal provider.
const defaultLoggingEnv = "BENCH_NOOP_DEFAULT_LOGGING"

// quietUnlessLogging turns log lines off as the real provider does, so that
// both are measured with the same logging cost.
func quietUnlessLogging() {
	if os.Getenv(defaultLoggingEnv) == "1" {
		return
	}
	for _, v := range []string{"TF_LOG", "TF_LOG_PROVIDER", "TF_LOG_PROVIDER_NOOP"} {
		if os.Getenv(v) != "" {
			return
		}
	}
	for _, v := range []string{"TF_LOG_SDK", "TF_LOG_SDK_PROTO", "TF_LOG_SDK_FRAMEWORK"} {
		if os.Getenv(v) == "" {
			_ = os.Setenv(v, "off")
		}
	}
}

type noopProvider struct{}

func (noopProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "noop"
}

func (noopProvider) Schema(context.Context, provider.SchemaRequest, *provider.SchemaResponse) {}

func (noopProvider) Configure(context.Context, provider.ConfigureRequest, *provider.ConfigureResponse) {
}

func (noopProvider) Resources(ctx context.Context) []func() resource.Resource {
	var out []func() resource.Resource
	for _, newReal := range []func() resource.Resource{rocketchat.NewIncomingIntegrationResource, rocketchat.NewOutgoingIntegrationResource} {
		r := noopResource(ctx, newReal())
		out = append(out, func() resource.Resource { return r })
	}
	return out
}

func (noopProvider) DataSources(context.Context) []func() datasource.DataSource { return nil }

// integration is one of the provider's integration resources without its
// work: the same type name (under "noop") and the same attributes, types,
// optional, computed, sensitive and default settings and plan modifiers,
// which decide what a plan shows. Validators are left out, as the floor
// checks nothing.
type integration struct {
	typeName string
	schema   schema.Schema
}

func noopResource(ctx context.Context, real resource.Resource) *integration {
	var meta resource.MetadataResponse
	real.Metadata(ctx, resource.MetadataRequest{ProviderTypeName: "noop"}, &meta)
	var s resource.SchemaResponse
	real.Schema(ctx, resource.SchemaRequest{}, &s)
	attrs := make(map[string]schema.Attribute, len(s.Schema.Attributes))
	for name, a := range s.Schema.Attributes {
		// Every attribute kind has its validators in a field of that name.
		v := reflect.New(reflect.TypeOf(a)).Elem()
		v.Set(reflect.ValueOf(a))
		v.FieldByName("Validators").SetZero()
		attrs[name] = v.Interface().(schema.Attribute)
	}
	s.Schema.Attributes = attrs
	return &integration{typeName: meta.TypeName, schema: s.Schema}
}

func (r *integration) Metadata(_ context.Context, _ resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = r.typeName
}

func (r *integration) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = r.schema
}

// Create stores the plan with a value for everything computed.
func (r *integration) Create(_ context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	resp.State.Raw = known(req.Plan.Raw)
}

// Read keeps the state as it is: there is nothing behind it to refresh from.
func (r *integration) Read(context.Context, resource.ReadRequest, *resource.ReadResponse) {}

// Update stores the plan with a value for everything computed.
func (r *integration) Update(_ context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	resp.State.Raw = known(req.Plan.Raw)
}

func (r *integration) Delete(context.Context, resource.DeleteRequest, *resource.DeleteResponse) {}

// known is v with every unknown value replaced by its type's zero value,
// as an API would fill them in.
func known(v tftypes.Value) tftypes.Value {
	out, err := tftypes.Transform(v, func(_ *tftypes.AttributePath, v tftypes.Value) (tftypes.Value, error) {
		if v.IsKnown() {
			return v, nil
		}
		switch t := v.Type(); {
		case t.Is(tftypes.String):
			return tftypes.NewValue(t, ""), nil
		case t.Is(tftypes.Bool):
			return tftypes.NewValue(t, false), nil
		case t.Is(tftypes.Number):
			return tftypes.NewValue(t, new(big.Float)), nil
		default: // lists and sets
			return tftypes.NewValue(t, []tftypes.Value{}), nil
		}
	})
	if err != nil {
		panic(err) // the function returns none
	}
	return out
}
