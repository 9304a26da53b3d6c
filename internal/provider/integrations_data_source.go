package provider

import (
	"context"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	dsschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/terraform-rocketchat/terraform-provider-rocketchat/internal/client"
)

// integrationsDataSource is rocketchat_integrations: every integration the
// provider's user can see, optionally filtered, without secrets.
type integrationsDataSource struct {
	schema dsschema.Schema
	data   *providerData
}

var _ datasource.DataSourceWithConfigure = (*integrationsDataSource)(nil)

// NewIntegrationsDataSource is the factory of the rocketchat_integrations data source.
func NewIntegrationsDataSource() datasource.DataSource {
	return &integrationsDataSource{schema: integrationsSchema()}
}

type integrationsModel struct {
	Type         types.String `tfsdk:"type"`
	Name         types.String `tfsdk:"name"`
	Enabled      types.Bool   `tfsdk:"enabled"`
	Integrations types.List   `tfsdk:"integrations"`
}

// integrationSummaryModel is one element of integrations: what identifies an
// integration and what it does, but no token and no webhook URL.
type integrationSummaryModel struct {
	ID            types.String `tfsdk:"id"`
	Type          types.String `tfsdk:"type"`
	Name          types.String `tfsdk:"name"`
	Enabled       types.Bool   `tfsdk:"enabled"`
	Username      types.String `tfsdk:"username"`
	UserID        types.String `tfsdk:"user_id"`
	Channels      types.List   `tfsdk:"channels"`
	Event         types.String `tfsdk:"event"`
	URLs          types.List   `tfsdk:"urls"`
	TriggerWords  types.List   `tfsdk:"trigger_words"`
	ScriptEnabled types.Bool   `tfsdk:"script_enabled"`
	CreatedAt     types.String `tfsdk:"created_at"`
	CreatedBy     types.String `tfsdk:"created_by"`
}

var (
	integrationTypes = []string{string(client.IncomingType), string(client.OutgoingType)}
	kindWords        = []string{"incoming", "outgoing"}
)

// integrationType reads a kind as the type filter takes it: incoming or
// outgoing, or Rocket.Chat's own names; "" for none.
func integrationType(s string) client.IntegrationType {
	switch s {
	case "incoming":
		return client.IncomingType
	case "outgoing":
		return client.OutgoingType
	}
	return client.IntegrationType(s)
}

func (d *integrationsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_integrations"
}

func (d *integrationsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = d.schema
}

func integrationsSchema() dsschema.Schema {
	// Attributes whose resource descriptions fit a list of both kinds come
	// from the incoming resource, whose descriptions of them are the outgoing
	// one's too.
	shared := incomingKind().schema.Attributes
	element := map[string]dsschema.Attribute{
		"id": dsschema.StringAttribute{
			MarkdownDescription: "Rocket.Chat's ID of the integration (24 hexadecimal characters): what the " +
				"`rocketchat_incoming_integration` and `rocketchat_outgoing_integration` data sources and resource " +
				"imports take.",
			Computed: true,
		},
		"enabled": dsschema.BoolAttribute{
			MarkdownDescription: "Whether the integration is active.",
			Computed:            true,
		},
		"script_enabled": dsschema.BoolAttribute{
			MarkdownDescription: "Whether Rocket.Chat runs the integration's script.",
			Computed:            true,
		},
		"type": dsschema.StringAttribute{
			MarkdownDescription: "Kind of the integration: `webhook-incoming` or `webhook-outgoing`.",
			Computed:            true,
		},
		"channels": dsschema.ListAttribute{
			MarkdownDescription: "Rooms (`#name`) and users (`@username`) the integration posts to (incoming) or " +
				"watches (outgoing; also `all_public_channels` and the like); null when there are none.",
			ElementType: types.StringType,
			Computed:    true,
		},
		"event": dsschema.StringAttribute{
			MarkdownDescription: "Event that triggers an outgoing integration, such as `sendMessage`; null for incoming integrations.",
			Computed:            true,
		},
		"urls": dsschema.ListAttribute{
			MarkdownDescription: "URLs an outgoing integration calls; null for incoming integrations.",
			ElementType:         types.StringType,
			Computed:            true,
		},
		"trigger_words": dsschema.ListAttribute{
			MarkdownDescription: "Words that make a message trigger an outgoing `sendMessage` integration; null when " +
				"there are none and for incoming integrations.",
			ElementType: types.StringType,
			Computed:    true,
		},
	}
	for _, name := range []string{"name", "username", "user_id", "created_at", "created_by"} {
		element[name] = computedAttribute(shared[name])
	}
	return dsschema.Schema{
		MarkdownDescription: "Lists the integrations the provider's user can see — incoming and outgoing webhooks, " +
			"whoever made them — optionally filtered by kind, name and state, e.g. to audit what exists or to find " +
			"an integration's ID. It pages through Rocket.Chat's list however long it is.\n\n" +
			"The list carries no secrets: no tokens and no webhook URLs. Read those with the " +
			"`rocketchat_incoming_integration` or `rocketchat_outgoing_integration` data source and the ID.\n\n" +
			"A user with only the manage-own-*-integrations permissions sees only the integrations it created.",
		Attributes: map[string]dsschema.Attribute{
			"type": dsschema.StringAttribute{
				MarkdownDescription: "List only integrations of this kind: `incoming` or `outgoing`, or Rocket.Chat's " +
					"names for them, `webhook-incoming` and `webhook-outgoing`. Both when not set.",
				Optional:   true,
				Validators: []validator.String{stringvalidator.OneOf(append(slices.Clone(kindWords), integrationTypes...)...)},
			},
			"name": dsschema.StringAttribute{
				MarkdownDescription: "List only integrations whose name contains this text, regardless of case, as " +
					"Rocket.Chat's own name filter does: `alert` matches `Alertmanager` and `CI alerts`.",
				Optional:   true,
				Validators: []validator.String{notBlank()},
			},
			"enabled": dsschema.BoolAttribute{
				MarkdownDescription: "List only enabled (`true`) or only disabled (`false`) integrations. Both when not set.",
				Optional:            true,
			},
			"integrations": dsschema.ListNestedAttribute{
				MarkdownDescription: "The integrations that match, in the order Rocket.Chat returns them (as a rule, the order they were created in).",
				Computed:            true,
				NestedObject:        dsschema.NestedAttributeObject{Attributes: element},
			},
		},
	}
}

func (d *integrationsDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = configuredData(req.ProviderData, &resp.Diagnostics)
}

func (d *integrationsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	if d.data == nil {
		resp.Diagnostics.Append(notConfigured())
		return
	}
	var m integrationsModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, done := d.data.operation(ctx)
	defer done()
	typ := integrationType(m.Type.ValueString())
	name := m.Name.ValueString()
	all, err := d.data.client.ListAllIntegrations(ctx, client.ListOptions{Name: name, Type: typ})
	if err != nil {
		what := "list the integrations"
		if typ != "" {
			what = "list the " + kindWord(typ) + " integrations"
		}
		resp.Diagnostics.Append(apiErrorDiagnosticFor(what, typ, err))
		return
	}
	// Rocket.Chat before 7.0 ignores the name and type filters, so they are
	// applied here as well; Rocket.Chat has no enabled filter at all.
	names := nameFilter(name)
	items := []integrationSummaryModel{}
	for i := range all {
		in := &all[i]
		switch {
		case typ != "" && in.Type != typ:
		case !names.MatchString(in.Name):
		case !m.Enabled.IsNull() && in.Enabled != m.Enabled.ValueBool():
		default:
			item, diags := summarize(ctx, in)
			resp.Diagnostics.Append(diags...)
			items = append(items, item)
		}
	}
	elem := d.schema.Attributes["integrations"].(dsschema.ListNestedAttribute).NestedObject.Type()
	list, diags := types.ListValueFrom(ctx, elem, items)
	resp.Diagnostics.Append(diags...)
	m.Integrations = list
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

// summarize maps a stored document with the resources' own mapping, so that
// every value reads as it does in a resource's or data source's state.
func summarize(ctx context.Context, doc *client.Integration) (integrationSummaryModel, diag.Diagnostics) {
	var full outgoingIntegrationFields
	var diags diag.Diagnostics
	if doc.Type == client.OutgoingType {
		diags = full.read(ctx, doc, nil) // only an incoming webhook's URL needs the directory
	} else {
		diags = full.readCommon(doc)
		full.Event = types.StringNull()
		full.URLs = types.ListNull(types.StringType)
		full.TriggerWords = types.ListNull(types.StringType)
	}
	c := full.integrationModel
	return integrationSummaryModel{
		ID: c.ID, Type: types.StringValue(string(doc.Type)), Name: c.Name, Enabled: c.Enabled,
		Username: c.Username, UserID: c.UserID, Channels: c.Channels,
		Event: full.Event, URLs: full.URLs, TriggerWords: full.TriggerWords,
		ScriptEnabled: c.ScriptEnabled, CreatedAt: c.CreatedAt, CreatedBy: c.CreatedBy,
	}, diags
}
