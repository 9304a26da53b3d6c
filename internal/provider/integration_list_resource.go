package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	listschema "github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/terraform-rocketchat/terraform-provider-rocketchat/internal/client"
)

// integrationListResource lists the integrations of one kind for `terraform
// query`; M is the kind's resource model and P its pointer type, as for
// integrationResource, whose mapping it shares.
type integrationListResource[M any, P interface {
	*M
	integrationState
}] struct {
	kind integrationKind
	data *providerData
}

var (
	_ list.ListResourceWithConfigure = (*integrationListResource[incomingIntegrationModel, *incomingIntegrationModel])(nil)
	_ list.ListResourceWithConfigure = (*integrationListResource[outgoingIntegrationModel, *outgoingIntegrationModel])(nil)
)

// NewIncomingIntegrationListResource is the factory of the
// rocketchat_incoming_integration list resource.
func NewIncomingIntegrationListResource() list.ListResource {
	return &integrationListResource[incomingIntegrationModel, *incomingIntegrationModel]{kind: incomingKind()}
}

// NewOutgoingIntegrationListResource is the factory of the
// rocketchat_outgoing_integration list resource.
func NewOutgoingIntegrationListResource() list.ListResource {
	return &integrationListResource[outgoingIntegrationModel, *outgoingIntegrationModel]{kind: outgoingKind()}
}

func (l *integrationListResource[M, P]) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_" + l.kind.name
}

func (l *integrationListResource[M, P]) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = listConfigSchema(l.kind.typ)
}

func (l *integrationListResource[M, P]) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	l.data = configuredData(req.ProviderData, &resp.Diagnostics)
}

// listConfigSchema is the schema of a list block of one kind: the filters.
func listConfigSchema(kind client.IntegrationType) listschema.Schema {
	word := kindWord(kind)
	attrs := map[string]listschema.Attribute{
		"name": listschema.StringAttribute{
			MarkdownDescription: "List only " + word + " integrations whose name contains this text, regardless of case, " +
				"as Rocket.Chat's own name filter does: `alert` matches `Alertmanager` and `CI alerts`.",
			Optional:   true,
			Validators: []validator.String{notBlank()},
		},
		"enabled": listschema.BoolAttribute{
			MarkdownDescription: "List only enabled (`true`) or only disabled (`false`) " + word + " integrations. Both when not set.",
			Optional:            true,
		},
	}
	if kind == client.OutgoingType {
		attrs["event"] = listschema.StringAttribute{
			MarkdownDescription: "List only outgoing integrations triggered by this event, such as `sendMessage`. All events when not set.",
			Optional:            true,
			Validators:          []validator.String{stringvalidator.OneOf(eventNames...)},
		}
	}
	return listschema.Schema{
		MarkdownDescription: "Finds the " + word + " integrations the provider's user can see, for `terraform query`: " +
			"each with its ID as identity and, with `include_resource = true`, every attribute the resource manages, " +
			"so that `terraform query -generate-config-out` writes configuration and `import` blocks for them. " +
			"Tokens and webhook URLs are never part of a result; the import reads them into the state.",
		Attributes: attrs,
	}
}

// listFilters are a list block's filters; an empty value filters nothing.
type listFilters struct {
	name    string
	enabled types.Bool
	event   string
}

func readListFilters(ctx context.Context, config tfsdk.Config, kind client.IntegrationType) (listFilters, diag.Diagnostics) {
	var name, event types.String
	var f listFilters
	diags := config.GetAttribute(ctx, path.Root("name"), &name)
	diags.Append(config.GetAttribute(ctx, path.Root("enabled"), &f.enabled)...)
	if kind == client.OutgoingType {
		diags.Append(config.GetAttribute(ctx, path.Root("event"), &event)...)
	}
	f.name, f.event = name.ValueString(), event.ValueString()
	return f, diags
}

func (l *integrationListResource[M, P]) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	if l.data == nil {
		stream.Results = list.ListResultsStreamDiagnostics(diag.Diagnostics{notConfigured()})
		return
	}
	filters, diags := readListFilters(ctx, req.Config, l.kind.typ)
	if diags.HasError() {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	stream.Results = func(push func(list.ListResult) bool) {
		if req.Limit <= 0 {
			return
		}
		ctx, done := l.data.operation(ctx)
		defer done()
		// Rocket.Chat before 7.0 ignores the name and type filters, so they
		// are applied here as well; it has no filter for the rest.
		names := nameFilter(filters.name)
		var sent int64
		for doc, err := range l.data.client.Integrations(ctx, client.ListOptions{Name: filters.name, Type: l.kind.typ}) {
			if err != nil {
				push(list.ListResult{Diagnostics: diag.Diagnostics{
					apiErrorDiagnosticFor("list the "+kindWord(l.kind.typ)+" integrations", l.kind.typ, err),
				}})
				return
			}
			switch {
			case doc.Type != l.kind.typ:
			case !names.MatchString(doc.Name):
			case !filters.enabled.IsNull() && doc.Enabled != filters.enabled.ValueBool():
			case filters.event != "" && doc.Event != filters.event:
			default:
				if !push(l.result(ctx, req, &doc)) {
					return
				}
				// Stopping here spares the pages a longer list would need.
				if sent++; sent >= req.Limit {
					return
				}
			}
		}
	}
}

// result is one listed integration: its name, its identity and, when asked
// for, its attributes as the resource's Read maps them, without the token
// and the webhook URL. Terraform may write configuration from the result, and
// no secret belongs there; the import reads them into the state.
func (l *integrationListResource[M, P]) result(ctx context.Context, req list.ListRequest, doc *client.Integration) list.ListResult {
	result := req.NewListResult(ctx)
	result.DisplayName = doc.Name
	result.Diagnostics.Append(setIdentity(ctx, result.Identity, types.StringValue(doc.ID))...)
	if req.IncludeResource {
		withoutSecrets := *doc
		withoutSecrets.Token = ""
		m := P(new(M))
		result.Diagnostics.Append(m.read(ctx, &withoutSecrets, l.data.dir)...)
		result.Diagnostics.Append(result.Resource.Set(ctx, m)...)
	}
	return result
}
