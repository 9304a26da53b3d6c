package provider

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/terraform-rocketchat/terraform-provider-rocketchat/internal/client"
)

// integrationModel holds the attributes both kinds of integration share.
// Both directions of the mapping for them live in this file.
type integrationModel struct {
	ID            types.String `tfsdk:"id"`
	Name          types.String `tfsdk:"name"`
	Enabled       types.Bool   `tfsdk:"enabled"`
	Username      types.String `tfsdk:"username"`
	Channels      types.List   `tfsdk:"channels"`
	Alias         types.String `tfsdk:"alias"`
	Avatar        types.String `tfsdk:"avatar"`
	Emoji         types.String `tfsdk:"emoji"`
	ScriptEnabled types.Bool   `tfsdk:"script_enabled"`
	Script        types.String `tfsdk:"script"`
	ScriptEngine  types.String `tfsdk:"script_engine"`
	SkipTranspile types.Bool   `tfsdk:"skip_transpile"`
	ScriptError   types.String `tfsdk:"script_error"`
	UserID        types.String `tfsdk:"user_id"`
	CreatedAt     types.String `tfsdk:"created_at"`
	CreatedBy     types.String `tfsdk:"created_by"`
}

// commonAttributes returns the schema attributes both kinds share; channels
// differ in which targets they accept and whether they are required.
func commonAttributes(kind client.IntegrationType, channels schema.ListAttribute) map[string]schema.Attribute {
	word := kindWord(kind)
	return map[string]schema.Attribute{
		"id": schema.StringAttribute{
			MarkdownDescription: "Rocket.Chat's ID of the integration (24 hexadecimal characters). Import takes this ID.",
			Computed:            true,
			PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
		},
		"name": schema.StringAttribute{
			MarkdownDescription: "Name of the integration, as shown under Administration → Integrations.",
			Required:            true,
			Validators:          []validator.String{requiredNotBlank("Alertmanager")},
		},
		"enabled": schema.BoolAttribute{
			MarkdownDescription: withConfigNote("Whether the integration is active.", "Defaults to `true`."),
			Optional:            true,
			Computed:            true,
			Default:             booldefault.StaticBool(true),
		},
		"username": schema.StringAttribute{
			MarkdownDescription: "Username of the user the integration posts as, without `@` — e.g. `rocket.cat`. " +
				"The user must exist. Rocket.Chat gives it the `bot` role.",
			Required:   true,
			Validators: []validator.String{postAsUsername()},
		},
		"channels": channels,
		"alias": schema.StringAttribute{
			MarkdownDescription: "Name shown instead of the user's name on the messages the integration posts.",
			Optional:            true,
			Validators:          []validator.String{trimmed()},
		},
		"avatar": schema.StringAttribute{
			MarkdownDescription: "URL of an image shown instead of the user's avatar on the messages the integration posts.",
			Optional:            true,
			Validators:          []validator.String{absoluteURL()},
		},
		"emoji": schema.StringAttribute{
			MarkdownDescription: "Emoji shown instead of the user's avatar, written between colons, e.g. `:ghost:`.",
			Optional:            true,
			Validators:          []validator.String{emojiName()},
		},
		"script_enabled": schema.BoolAttribute{
			MarkdownDescription: withConfigNote("Whether Rocket.Chat runs `script` for this integration.", "Defaults to `false`."),
			Optional:            true,
			Computed:            true,
			Default:             booldefault.StaticBool(false),
		},
		"script": schema.StringAttribute{
			MarkdownDescription: "JavaScript run by Rocket.Chat for each " + map[string]string{
				"incoming": "request the webhook receives (a `class Script` with `process_incoming_request`)",
				"outgoing": "event the integration handles (a `class Script` with `prepare_outgoing_request` and `process_outgoing_response`)",
			}[word] + ". Rocket.Chat compiles it when `script_enabled` is `true`; a script that does not compile is " +
				"still saved, and the provider then shows Rocket.Chat's compile error as a warning and in `script_error`.",
			Optional:   true,
			Validators: []validator.String{notBlank()},
		},
		"script_engine": schema.StringAttribute{
			MarkdownDescription: "Engine that runs the script. Rocket.Chat 7 and later only offer `isolated-vm`, the default.",
			Optional:            true,
			Computed:            true,
			Validators:          []validator.String{stringvalidator.OneOf("isolated-vm")},
			PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
		},
		"skip_transpile": schema.BoolAttribute{
			MarkdownDescription: withConfigNote("Whether the script runs as written instead of being transpiled with Babel first.",
				"Needs Rocket.Chat 8.4 or later; leave it unset for older servers."),
			Optional: true,
		},
		"script_error": schema.StringAttribute{
			MarkdownDescription: "Rocket.Chat's compile error for `script` (e.g. `SyntaxError: Unexpected token (3:1)`), " +
				"or null when the script compiled or is not enabled.",
			Computed: true,
		},
		"user_id": schema.StringAttribute{
			MarkdownDescription: "ID of the user named by `username`.",
			Computed:            true,
		},
		"created_at": schema.StringAttribute{
			MarkdownDescription: "When the integration was created (RFC 3339).",
			Computed:            true,
			PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
		},
		"created_by": schema.StringAttribute{
			MarkdownDescription: "Username of the user who created the integration.",
			Computed:            true,
			PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
		},
	}
}

// readOnlyDescriptions maps a resource attribute's description to the part
// that also describes the attribute in a data source: what the attribute is,
// without what only matters when configuring it.
var readOnlyDescriptions sync.Map

// withConfigNote joins what an attribute is with a note that only matters
// when configuring it (a default, a conflict, a requirement); the data
// sources derived from the resources keep only the former.
func withConfigNote(what, note string) string {
	full := what + " " + note
	readOnlyDescriptions.Store(full, what)
	return full
}

// readOnlyDescription is the data source form of a resource attribute's description.
func readOnlyDescription(description string) string {
	if what, ok := readOnlyDescriptions.Load(description); ok {
		return what.(string)
	}
	return description
}

// channelsAttribute is the list form of Rocket.Chat's comma-separated channel field.
func channelsAttribute(description string, required, allowScoped bool) schema.ListAttribute {
	return schema.ListAttribute{
		MarkdownDescription: description,
		ElementType:         types.StringType,
		Required:            required,
		Optional:            !required,
		Validators:          entriesAre(channelTarget(allowScoped)),
	}
}

// entriesAre validates a list of strings: at least one entry, none null,
// each accepted by entry. The entry validators skip null entries, which
// would otherwise pass the plan and fail the apply with a conversion error.
func entriesAre(entry validator.String) []validator.List {
	return []validator.List{
		listvalidator.SizeAtLeast(1),
		listvalidator.NoNullValues(),
		listvalidator.ValueStringsAre(entry),
	}
}

// commonRequest builds the request fields both kinds share. On update every
// managed field is sent, and an unset optional one as "" so that Rocket.Chat
// clears it: an update keeps the stored value of any field it leaves out.
func (m *integrationModel) commonRequest(ctx context.Context, update bool) (client.IntegrationBase, client.MessageSettings, diag.Diagnostics) {
	channels, diags := listStrings(ctx, m.Channels)
	base := client.IntegrationBase{
		Name:     m.Name.ValueString(),
		Enabled:  m.Enabled.ValueBool(),
		Username: m.Username.ValueString(),
		Channels: channels,
	}
	return base, client.MessageSettings{
		Alias:         optionalString(m.Alias, update),
		Avatar:        optionalString(m.Avatar, update),
		Emoji:         optionalString(m.Emoji, update),
		ScriptEnabled: m.ScriptEnabled.ValueBool(),
		Script:        optionalString(m.Script, update),
		ScriptEngine:  knownString(m.ScriptEngine),
		SkipTranspile: knownBool(m.SkipTranspile),
	}, diags
}

// readCommon copies the shared fields of a stored document into the model.
// Empty values read as null: the configuration cannot hold them (validators
// reject empty strings and lists), and Rocket.Chat stores "" where the
// provider cleared a field.
func (m *integrationModel) readCommon(doc *client.Integration) diag.Diagnostics {
	m.ID = types.StringValue(doc.ID)
	m.Name = types.StringValue(doc.Name)
	m.Enabled = types.BoolValue(doc.Enabled)
	m.Username = types.StringValue(doc.Username)
	m.Channels = stringList(doc.Channels)
	m.Alias = nullableString(doc.Alias)
	m.Avatar = nullableString(doc.Avatar)
	m.Emoji = nullableString(doc.Emoji)
	m.ScriptEnabled = types.BoolValue(doc.ScriptEnabled)
	m.Script = nullableString(doc.Script)
	m.ScriptEngine = nullableString(doc.ScriptEngine)
	// skip_transpile is managed only when configured: older servers neither
	// accept nor return it.
	if !m.SkipTranspile.IsNull() {
		m.SkipTranspile = types.BoolValue(doc.SkipTranspile != nil && *doc.SkipTranspile)
	}
	m.ScriptError = types.StringNull()
	if doc.ScriptEnabled && doc.ScriptError != nil {
		m.ScriptError = types.StringValue(doc.ScriptError.Name + ": " + doc.ScriptError.Message)
	}
	m.UserID = emptyAsNull(doc.UserID)
	m.CreatedAt = types.StringNull()
	if !doc.CreatedAt.IsZero() {
		m.CreatedAt = types.StringValue(doc.CreatedAt.UTC().Format(time.RFC3339Nano))
	}
	m.CreatedBy = types.StringNull()
	if doc.CreatedBy != nil {
		m.CreatedBy = types.StringValue(doc.CreatedBy.Username)
	}
	return nil
}

// planning is what a kind needs to plan the computed attributes of a create
// or an update.
type planning struct {
	prior  integrationState // nil for a create
	config integrationState
	// caller is the username of the provider's user, who becomes the
	// creator; "" when it is not known.
	caller string
	// userID returns the ID of the user with a username, when the run can
	// look it up.
	userID func(username string) (string, bool)
	server *client.ServerInfo
	diags  *diag.Diagnostics
}

// planCommon plans the computed attributes both kinds share with the values
// Rocket.Chat will store, so that a plan shows "known after apply" only for
// what is not known before: IDs, dates and tokens of what is created, and a
// compile result.
func (m *integrationModel) planCommon(p *planning) {
	var prior *integrationModel
	if p.prior != nil {
		prior = p.prior.common()
	}
	if prior == nil && m.CreatedBy.IsUnknown() && p.caller != "" {
		m.CreatedBy = types.StringValue(p.caller)
	}
	if m.UserID.IsUnknown() {
		switch {
		case prior != nil && m.Username.Equal(prior.Username):
			m.UserID = prior.UserID
		case !m.Username.IsUnknown() && p.userID != nil:
			if id, ok := p.userID(m.Username.ValueString()); ok {
				m.UserID = types.StringValue(id)
			}
		}
	}
	if m.ScriptEngine.IsUnknown() && !p.config.common().ScriptEngine.IsUnknown() {
		// Rocket.Chat keeps the stored engine, or defaults to isolated-vm, the
		// only one since 7.0.
		switch {
		case prior != nil && !prior.ScriptEngine.IsNull():
			m.ScriptEngine = prior.ScriptEngine
		case p.server != nil && p.server.AtLeast(7, 0):
			m.ScriptEngine = types.StringValue("isolated-vm")
		}
	}
	if m.ScriptError.IsUnknown() {
		switch {
		case prior != nil && m.Script.Equal(prior.Script) && m.ScriptEnabled.Equal(prior.ScriptEnabled) &&
			m.SkipTranspile.Equal(prior.SkipTranspile) && m.ScriptEngine.Equal(prior.ScriptEngine):
			m.ScriptError = prior.ScriptError
		case !m.ScriptEnabled.IsUnknown() && !m.ScriptEnabled.ValueBool():
			// A disabled script is not compiled, and its error is not kept.
			m.ScriptError = types.StringNull()
		case prior == nil && m.Script.IsNull():
			m.ScriptError = types.StringNull()
		}
	}
}

// checkServerSupport rejects settings the connected server cannot take.
func (m *integrationModel) checkServerSupport(server *client.ServerInfo) diag.Diagnostics {
	var diags diag.Diagnostics
	if server != nil && !m.SkipTranspile.IsNull() && !server.AtLeast(8, 4) {
		diags.AddAttributeError(path.Root("skip_transpile"), "skip_transpile needs Rocket.Chat 8.4 or later",
			fmt.Sprintf("The server runs Rocket.Chat %s, which rejects requests that carry skipTranspile. Remove skip_transpile.", server.Version))
	}
	return diags
}

func optionalString(v types.String, update bool) *string {
	if v.IsNull() || v.IsUnknown() {
		if update {
			empty := ""
			return &empty
		}
		return nil
	}
	s := v.ValueString()
	return &s
}

func knownString(v types.String) *string {
	if v.IsNull() || v.IsUnknown() {
		return nil
	}
	s := v.ValueString()
	return &s
}

func knownBool(v types.Bool) *bool {
	if v.IsNull() || v.IsUnknown() {
		return nil
	}
	b := v.ValueBool()
	return &b
}

func nullableString(p *string) types.String {
	if p == nil {
		return types.StringNull()
	}
	return emptyAsNull(*p)
}

func emptyAsNull(s string) types.String {
	if s == "" {
		return types.StringNull()
	}
	return types.StringValue(s)
}

func stringList(items []string) types.List {
	if len(items) == 0 {
		return types.ListNull(types.StringType)
	}
	elems := make([]attr.Value, len(items))
	for i, s := range items {
		elems[i] = types.StringValue(s)
	}
	return types.ListValueMust(types.StringType, elems)
}

func listStrings(ctx context.Context, l types.List) ([]string, diag.Diagnostics) {
	if l.IsNull() || l.IsUnknown() {
		return nil, nil
	}
	var out []string
	diags := l.ElementsAs(ctx, &out, false)
	return out, diags
}

// resourceSchema assembles a kind's schema from the shared and its own attributes.
func resourceSchema(description string, common, own map[string]schema.Attribute) schema.Schema {
	attrs := make(map[string]schema.Attribute, len(common)+len(own))
	for k, v := range common {
		attrs[k] = v
	}
	for k, v := range own {
		attrs[k] = v
	}
	return schema.Schema{MarkdownDescription: description, Attributes: attrs}
}

var _ resource.Resource = (*integrationResource[incomingIntegrationModel, *incomingIntegrationModel])(nil)
