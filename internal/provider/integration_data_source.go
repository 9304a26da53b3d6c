package provider

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	dsschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/terraform-rocketchat/terraform-provider-rocketchat/internal/client"
)

// integrationDataSource implements the data source of one kind of
// integration, which reads one integration by id or by name. M is the
// kind's model and P its pointer type; the model is the resource's, without
// write-only attributes, so that the resource's mapping fills it.
type integrationDataSource[M any, P interface {
	*M
	integrationReader
}] struct {
	kind   integrationKind
	schema dsschema.Schema
	data   *providerData
}

var _ datasource.DataSourceWithConfigure = (*integrationDataSource[incomingIntegrationModel, *incomingIntegrationModel])(nil)

// newIntegrationDataSource derives a kind's data source from its resource.
func newIntegrationDataSource[M any, P interface {
	*M
	integrationReader
}](kind integrationKind, description string) *integrationDataSource[M, P] {
	cached, ok := dataSourceSchemas.Load(kind.name)
	if !ok {
		cached, _ = dataSourceSchemas.LoadOrStore(kind.name, dataSourceSchema(kind, description))
	}
	return &integrationDataSource[M, P]{kind: kind, schema: cached.(dsschema.Schema)}
}

// dataSourceSchemas holds each kind's data source schema, built once: the
// framework makes a data source value for every call it serves.
var dataSourceSchemas sync.Map

// dataSourceSchema turns a kind's resource schema into its data source's:
// every attribute but the write-only ones and their versions, computed,
// except the two lookup keys id and name, of which the configuration sets
// exactly one.
func dataSourceSchema(kind integrationKind, description string) dsschema.Schema {
	attrs := make(map[string]dsschema.Attribute, len(kind.schema.Attributes))
	for name, a := range kind.schema.Attributes {
		if !configurationOnly(kind.schema.Attributes, name) {
			attrs[name] = computedAttribute(a)
		}
	}
	oneKey := stringvalidator.ExactlyOneOf(path.MatchRoot("id"), path.MatchRoot("name"))
	word := kindWord(kind.typ)
	attrs["id"] = dsschema.StringAttribute{
		MarkdownDescription: "ID of the " + word + " integration to read: the 24-character value in its URL under " +
			"Administration → Integrations. Set exactly one of `id` and `name`; the other is read from Rocket.Chat.",
		Optional:   true,
		Computed:   true,
		Validators: []validator.String{notBlank(), oneKey},
	}
	attrs["name"] = dsschema.StringAttribute{
		MarkdownDescription: "Name of the " + word + " integration to read, as shown under Administration → " +
			"Integrations: exact and case-sensitive. Rocket.Chat does not require names to be unique, so the lookup " +
			"fails when several " + word + " integrations the provider's user can see have this name, and lists their " +
			"IDs. Set exactly one of `id` and `name`; the other is read from Rocket.Chat.",
		Optional:   true,
		Computed:   true,
		Validators: []validator.String{notBlank(), oneKey},
	}
	return dsschema.Schema{MarkdownDescription: description, Attributes: attrs}
}

// configurationOnly reports whether a resource attribute has nothing to
// read: a write-only attribute, which is never stored, or the version number
// that goes with one by Terraform's convention (token_wo_version for
// token_wo), which counts changes of the configuration, not of Rocket.Chat.
func configurationOnly(attrs map[string]schema.Attribute, name string) bool {
	if attrs[name].IsWriteOnly() {
		return true
	}
	wo, ok := attrs[strings.TrimSuffix(name, "_version")]
	return ok && strings.HasSuffix(name, "_wo_version") && wo.IsWriteOnly()
}

// computedAttribute is the data source form of a resource attribute: read
// only, with the same type, description and sensitivity. Validators, plan
// modifiers and defaults concern configuration, which a computed attribute
// has none of.
func computedAttribute(a schema.Attribute) dsschema.Attribute {
	switch a := a.(type) {
	case schema.StringAttribute:
		return dsschema.StringAttribute{
			Computed: true, Sensitive: a.Sensitive, CustomType: a.CustomType,
			Description: a.Description, MarkdownDescription: readOnlyDescription(a.MarkdownDescription), DeprecationMessage: a.DeprecationMessage,
		}
	case schema.BoolAttribute:
		return dsschema.BoolAttribute{
			Computed: true, Sensitive: a.Sensitive, CustomType: a.CustomType,
			Description: a.Description, MarkdownDescription: readOnlyDescription(a.MarkdownDescription), DeprecationMessage: a.DeprecationMessage,
		}
	case schema.Int64Attribute:
		return dsschema.Int64Attribute{
			Computed: true, Sensitive: a.Sensitive, CustomType: a.CustomType,
			Description: a.Description, MarkdownDescription: readOnlyDescription(a.MarkdownDescription), DeprecationMessage: a.DeprecationMessage,
		}
	case schema.ListAttribute:
		return dsschema.ListAttribute{
			Computed: true, Sensitive: a.Sensitive, CustomType: a.CustomType, ElementType: a.ElementType,
			Description: a.Description, MarkdownDescription: readOnlyDescription(a.MarkdownDescription), DeprecationMessage: a.DeprecationMessage,
		}
	}
	// Only reachable when a resource gains an attribute type added neither
	// here nor to the tests, which convert every attribute.
	panic(fmt.Sprintf("no data source form for the resource attribute type %T", a))
}

func (d *integrationDataSource[M, P]) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_" + d.kind.name
}

func (d *integrationDataSource[M, P]) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = d.schema
}

func (d *integrationDataSource[M, P]) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = configuredData(req.ProviderData, &resp.Diagnostics)
}

// configuredData is the provider's data handed to Configure; nil while the
// provider is not configured yet.
func configuredData(from any, diags *diag.Diagnostics) *providerData {
	if from == nil {
		return nil
	}
	data, ok := from.(*providerData)
	if !ok {
		diags.AddError("Unexpected provider data", fmt.Sprintf("Expected *providerData, got %T. Please report this issue.", from))
	}
	return data
}

func (d *integrationDataSource[M, P]) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	if d.data == nil {
		resp.Diagnostics.Append(notConfigured())
		return
	}
	var m M
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, done := d.data.operation(ctx)
	defer done()
	key := P(&m).common()
	var doc *client.Integration
	var diags diag.Diagnostics
	if !key.ID.IsNull() {
		doc, diags = d.byID(ctx, key.ID.ValueString())
	} else {
		doc, diags = d.byName(ctx, key.Name.ValueString())
	}
	resp.Diagnostics.Append(diags...)
	if doc == nil || resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(P(&m).read(ctx, doc, d.data.dir)...)
	// The resource keeps skip_transpile only where it is configured; the data
	// source shows what Rocket.Chat stores (null when it stores nothing).
	P(&m).common().SkipTranspile = types.BoolPointerValue(doc.SkipTranspile)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

// byID reads the integration with the ID. Unlike a resource's refresh, a
// missing integration is an error: a data source must not quietly yield nothing.
func (d *integrationDataSource[M, P]) byID(ctx context.Context, id string) (*client.Integration, diag.Diagnostics) {
	var diags diag.Diagnostics
	doc, err := d.data.reader.Get(ctx, id)
	switch {
	case client.IsNotFound(err):
		diags.AddAttributeError(path.Root("id"), "No "+kindName(d.kind.typ)+" with this ID",
			fmt.Sprintf("Rocket.Chat has no integration with ID %q. The ID is the 24-character value in the "+
				"integration's URL under Administration → Integrations.", id))
		return nil, diags
	case err != nil:
		diags.Append(apiErrorDiagnostic("read", d.kind.typ, err))
		return nil, diags
	case doc.Type != d.kind.typ:
		diags.AddAttributeError(path.Root("id"), "Integration of the other kind",
			fmt.Sprintf("The integration with ID %s is an %s; read it with the %s data source.", id, kindName(doc.Type), typeName(doc.Type)))
		return nil, diags
	}
	return doc, diags
}

// byName finds the one integration of the kind named exactly name among
// those the provider's user can see.
func (d *integrationDataSource[M, P]) byName(ctx context.Context, name string) (*client.Integration, diag.Diagnostics) {
	var diags diag.Diagnostics
	matches, similar, err := findByName(ctx, d.data.client, d.kind.typ, name)
	if err != nil {
		diags.Append(apiErrorDiagnostic("look up", d.kind.typ, err))
		return nil, diags
	}
	word := kindWord(d.kind.typ)
	switch len(matches) {
	case 1:
		return &matches[0], diags
	case 0:
		detail := fmt.Sprintf("No %s the provider's user can see is named exactly %q (names are case-sensitive). "+
			"A user with only the manage-own-%s-integrations permission sees only the integrations it created.",
			kindName(d.kind.typ), name, word)
		if len(similar) > 0 {
			detail += "\n\nSimilar names:" + describeIntegrations(similar, 5, true)
		}
		diags.AddAttributeError(path.Root("name"), "No "+kindName(d.kind.typ)+" named "+fmt.Sprintf("%q", name), detail)
	default:
		diags.AddAttributeError(path.Root("name"), fmt.Sprintf("%d %s integrations are named %q", len(matches), word, name),
			fmt.Sprintf("Rocket.Chat does not require names to be unique, and these %s integrations have the name %q:%s"+
				"\n\nSet id to one of these IDs instead of name.", word, name, describeIntegrations(matches, 0, false)))
	}
	return nil, diags
}

// findByName lists the integrations of a kind named exactly name among those
// the provider's user can see, and those whose names merely contain it.
// Rocket.Chat's filter narrows the list on the server but matches substrings
// regardless of case, so the exact comparison happens here; the type is
// checked here too, because Rocket.Chat before 7.0 ignores both filters.
func findByName(ctx context.Context, c *client.Client, kind client.IntegrationType, name string) (matches, similar []client.Integration, err error) {
	candidates, err := c.ListAllIntegrations(ctx, client.ListOptions{Name: name, Type: kind})
	if err != nil {
		return nil, nil, err
	}
	for _, in := range candidates {
		switch {
		case in.Type != kind:
		case in.Name == name:
			matches = append(matches, in)
		case nameFilter(name).MatchString(in.Name):
			similar = append(similar, in)
		}
	}
	return matches, similar, nil
}

// describeIntegrations lists integrations one a line with what tells them
// apart, their names when asked; at most limit of them unless limit is 0.
func describeIntegrations(list []client.Integration, limit int, names bool) string {
	var b strings.Builder
	for i, in := range list {
		if limit > 0 && i == limit {
			fmt.Fprintf(&b, "\n  … and %d more", len(list)-limit)
			break
		}
		fmt.Fprintf(&b, "\n  - %s", in.ID)
		if names {
			fmt.Fprintf(&b, " %q", in.Name)
		}
		var about []string
		if in.CreatedBy != nil && in.CreatedBy.Username != "" {
			about = append(about, "created by "+in.CreatedBy.Username)
		}
		if !in.CreatedAt.IsZero() {
			about = append(about, "on "+in.CreatedAt.UTC().Format(time.DateOnly))
		}
		if !in.Enabled {
			about = append(about, "disabled")
		}
		if len(about) > 0 {
			b.WriteString(" (" + strings.Join(about, ", ") + ")")
		}
	}
	return b.String()
}

// nameFilter matches names the way Rocket.Chat's list filter does: a
// case-insensitive substring.
func nameFilter(name string) *regexp.Regexp {
	return regexp.MustCompile("(?i)" + regexp.QuoteMeta(name))
}
