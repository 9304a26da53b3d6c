// Command noopprovider is the floor a plugin provider can reach: a provider
// on terraform-plugin-framework with the schema of
// rocketchat_incoming_integration whose operations only fill in computed
// values. The benchmark measures it next to the real provider, so that the
// cost of being a plugin at all is told apart from the provider's own.
// It lives under internal/benchmark so that it never ships.
package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log"
	"os"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/types"
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

func (noopProvider) Resources(context.Context) []func() resource.Resource {
	return []func() resource.Resource{func() resource.Resource { return incomingIntegration{} }}
}

func (noopProvider) DataSources(context.Context) []func() datasource.DataSource { return nil }

// incomingIntegration has rocketchat_incoming_integration's attributes with
// the same types and optional, computed, sensitive and default settings,
// and the same plan modifiers, which decide what a plan shows; validators
// are left out, as the floor checks nothing.
type incomingIntegration struct{}

func (incomingIntegration) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_incoming_integration"
}

func (incomingIntegration) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = incomingSchema
}

var keepState = []planmodifier.String{stringplanmodifier.UseStateForUnknown()}

var incomingSchema = schema.Schema{Attributes: map[string]schema.Attribute{
	"id":             schema.StringAttribute{Computed: true, PlanModifiers: keepState},
	"name":           schema.StringAttribute{Required: true},
	"enabled":        schema.BoolAttribute{Optional: true, Computed: true, Default: booldefault.StaticBool(true)},
	"username":       schema.StringAttribute{Required: true},
	"channels":       schema.ListAttribute{ElementType: types.StringType, Required: true},
	"alias":          schema.StringAttribute{Optional: true},
	"avatar":         schema.StringAttribute{Optional: true},
	"emoji":          schema.StringAttribute{Optional: true},
	"script_enabled": schema.BoolAttribute{Optional: true, Computed: true, Default: booldefault.StaticBool(false)},
	"script":         schema.StringAttribute{Optional: true},
	"script_engine":  schema.StringAttribute{Optional: true, Computed: true, PlanModifiers: keepState},
	"skip_transpile": schema.BoolAttribute{Optional: true},
	"script_error":   schema.StringAttribute{Computed: true},
	"user_id":        schema.StringAttribute{Computed: true},
	"created_at":     schema.StringAttribute{Computed: true, PlanModifiers: keepState},
	"created_by":     schema.StringAttribute{Computed: true, PlanModifiers: keepState},
	"override_destination_channel_enabled": schema.BoolAttribute{Optional: true, Computed: true,
		Default: booldefault.StaticBool(false)},
	"token":       schema.StringAttribute{Computed: true, Sensitive: true, PlanModifiers: keepState},
	"webhook_url": schema.StringAttribute{Computed: true, Sensitive: true, PlanModifiers: keepState},
}}

// Create stores the plan with the computed values the real provider
// fills in. It sets them one by one rather than through a model struct: a
// floor should cost no more than it must.
func (incomingIntegration) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	resp.State.Raw = req.Plan.Raw
	id, token := randomHex(9)[:17], randomHex(24)
	computed := map[string]attr.Value{
		"id": types.StringValue(id), "token": types.StringValue(token),
		"webhook_url":  types.StringValue("http://127.0.0.1/hooks/" + id + "/" + token),
		"script_error": types.StringNull(), "user_id": types.StringValue("rocket.cat"),
		"created_by": types.StringValue("admin"), "created_at": types.StringValue("2026-01-01T00:00:00.000Z"),
	}
	var engine types.String
	resp.Diagnostics.Append(req.Plan.GetAttribute(ctx, path.Root("script_engine"), &engine)...)
	if engine.IsUnknown() {
		computed["script_engine"] = types.StringValue("isolated-vm")
	}
	for name, v := range computed {
		resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root(name), v)...)
	}
}

// Read keeps the state as it is: there is nothing behind it to refresh from.
func (incomingIntegration) Read(context.Context, resource.ReadRequest, *resource.ReadResponse) {}

// Update stores the plan; script_error has no plan modifier, so the plan
// leaves it unknown.
func (incomingIntegration) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	resp.State.Raw = req.Plan.Raw
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("script_error"), types.StringNull())...)
}

func (incomingIntegration) Delete(context.Context, resource.DeleteRequest, *resource.DeleteResponse) {
}

func randomHex(bytes int) string {
	b := make([]byte, bytes)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
