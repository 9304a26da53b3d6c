package provider

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/terraform-rocketchat/terraform-provider-rocketchat/internal/client"
)

// eventDescriptions say when each outgoing event fires; what each uses is
// client.OutgoingEvents.
var eventDescriptions = map[string]string{
	"sendMessage":    "a message is sent",
	"fileUploaded":   "a file is uploaded",
	"roomArchived":   "a room is archived",
	"roomCreated":    "a channel or private group is created",
	"roomJoined":     "a user joins a room",
	"roomLeft":       "a user leaves a room",
	"userCreated":    "a user is created",
	"messageEdited":  "a message is edited (only Rocket.Chat versions that offer it)",
	"messageDeleted": "a message is deleted (only Rocket.Chat versions that offer it)",
}

// eventNames lists the events in the order Rocket.Chat's UI shows them.
var eventNames = []string{"sendMessage", "fileUploaded", "roomArchived", "roomCreated", "roomJoined", "roomLeft", "userCreated", "messageEdited", "messageDeleted"}

var retryDelays = []string{"powers-of-ten", "powers-of-two", "increments-of-two"}

// What Rocket.Chat stores for retry settings left out while retrying is on.
const (
	defaultRetryCount = 4
	defaultRetryDelay = "powers-of-ten"
)

// outgoingIntegrationFields are the attributes of an outgoing integration
// that Rocket.Chat stores and returns: all but the write-only ones. It is the
// model of the rocketchat_outgoing_integration data source, which has no
// write-only attributes.
type outgoingIntegrationFields struct {
	integrationModel
	Event               types.String `tfsdk:"event"`
	URLs                types.List   `tfsdk:"urls"`
	TriggerWords        types.List   `tfsdk:"trigger_words"`
	TriggerWordAnywhere types.Bool   `tfsdk:"trigger_word_anywhere"`
	TargetRoom          types.String `tfsdk:"target_room"`
	Token               types.String `tfsdk:"token"`
	RunOnEdits          types.Bool   `tfsdk:"run_on_edits"`
	ImpersonateUser     types.Bool   `tfsdk:"impersonate_user"`
	RetryFailedCalls    types.Bool   `tfsdk:"retry_failed_calls"`
	RetryCount          types.Int64  `tfsdk:"retry_count"`
	RetryDelay          types.String `tfsdk:"retry_delay"`
}

// outgoingIntegrationModel is the state of rocketchat_outgoing_integration.
type outgoingIntegrationModel struct {
	outgoingIntegrationFields
	TokenWO        types.String `tfsdk:"token_wo"`
	TokenWOVersion types.Int64  `tfsdk:"token_wo_version"`
}

func eventList() string {
	var b strings.Builder
	for _, name := range eventNames {
		ev := client.OutgoingEvents[name]
		fmt.Fprintf(&b, "\n  - `%s`: %s", name, eventDescriptions[name])
		switch {
		case ev.TriggerWords:
			b.WriteString("; uses `channels` and `trigger_words`")
		case ev.Channels:
			b.WriteString("; uses `channels`")
		case ev.TargetRoom:
			b.WriteString("; needs `target_room`; no `channels`")
		default:
			b.WriteString("; no `channels`")
		}
	}
	return b.String()
}

// NewOutgoingIntegrationResource is the factory of rocketchat_outgoing_integration.
var NewOutgoingIntegrationResource = integrationResourceFactory[outgoingIntegrationModel](outgoingKind)

// outgoingKind describes outgoing integrations, built once as incomingKind is.
var outgoingKind = sync.OnceValue(buildOutgoingKind)

func buildOutgoingKind() integrationKind {
	optionalFalse := func(desc string) schema.BoolAttribute {
		return schema.BoolAttribute{MarkdownDescription: withConfigNote(desc, "Defaults to `false`."), Optional: true, Computed: true, Default: booldefault.StaticBool(false)}
	}
	return integrationKind{
		name: "outgoing_integration",
		typ:  client.OutgoingType,
		schema: resourceSchema(
			"Manages an outgoing webhook integration: when an event happens in Rocket.Chat (a message with a trigger "+
				"word, a file upload, a new user, …), Rocket.Chat calls the configured URLs, optionally shaping the call "+
				"and the answer with a script.\n\n"+
				"Rocket.Chat requires the integration's token on every change. When neither `token` nor `token_wo` is "+
				"set, the provider generates one at creation and keeps it in the state (sensitive). With `token_wo` the "+
				"token never reaches the state or the plan (Terraform 1.11 or later).",
			commonAttributes(client.OutgoingType, channelsAttribute(
				withConfigNote("Rooms (`#name`) and users (`@username`) whose events trigger the integration, or "+
					"`all_public_channels`, `all_private_groups` (needs manage-outgoing-integrations), `all_direct_messages` "+
					"(likewise).", "Required for the events that use channels; must be left out for the others."), false, true)),
			map[string]schema.Attribute{
				"event": schema.StringAttribute{
					MarkdownDescription: "Event that triggers the integration:" + eventList(),
					Required:            true,
					Validators:          []validator.String{stringvalidator.OneOf(eventNames...)},
				},
				"urls": schema.ListAttribute{
					MarkdownDescription: "URLs Rocket.Chat calls when the event happens (absolute `http` or `https`).",
					ElementType:         types.StringType,
					Required:            true,
					Validators:          entriesAre(absoluteHTTPURL()),
				},
				"trigger_words": schema.ListAttribute{
					MarkdownDescription: "Words that make a message trigger the integration (`sendMessage` only). " +
						"Without them, every message in `channels` does.",
					ElementType: types.StringType,
					Optional:    true,
					Validators:  entriesAre(notBlankEntry()),
				},
				"trigger_word_anywhere": optionalFalse("Whether a trigger word counts anywhere in a message, not only at its start."),
				"target_room": schema.StringAttribute{
					MarkdownDescription: "Room the integration posts its answers to; required for `userCreated`.",
					Optional:            true,
					Validators:          []validator.String{notBlank()},
				},
				"token": schema.StringAttribute{
					MarkdownDescription: withConfigNote("Token Rocket.Chat sends with every call, so that the receiving "+
						"service can check the call came from Rocket.Chat.", "Generated by the provider (24 characters) when "+
						"neither this nor `token_wo` is set. Conflicts with `token_wo`."),
					Optional:      true,
					Computed:      true,
					Sensitive:     true,
					Validators:    []validator.String{notBlank(), stringvalidator.ConflictsWith(path.MatchRoot("token_wo"))},
					PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
				},
				"token_wo": schema.StringAttribute{
					MarkdownDescription: "Write-only form of `token`: sent to Rocket.Chat but never stored in the state or " +
						"shown in a plan. Needs Terraform 1.11 or later and `token_wo_version`; change `token_wo_version` to " +
						"send a new value.",
					Optional:  true,
					Sensitive: true,
					WriteOnly: true,
					Validators: []validator.String{
						notBlank(),
						stringvalidator.ConflictsWith(path.MatchRoot("token")),
						stringvalidator.AlsoRequires(path.MatchRoot("token_wo_version")),
					},
				},
				"token_wo_version": schema.Int64Attribute{
					MarkdownDescription: "Version of `token_wo`. Terraform cannot see a change of a write-only value, so " +
						"change this number whenever `token_wo` changes.",
					Optional:   true,
					Validators: []validator.Int64{int64validator.AlsoRequires(path.MatchRoot("token_wo"))},
				},
				"run_on_edits":       optionalFalse("Whether edited messages trigger the integration again."),
				"impersonate_user":   optionalFalse("Whether answers are posted as the user who triggered the integration instead of `username`."),
				"retry_failed_calls": optionalFalse("Whether Rocket.Chat retries a call that failed."),
				"retry_count": schema.Int64Attribute{
					MarkdownDescription: withConfigNote("How many times Rocket.Chat retries a failed call; null while "+
						"`retry_failed_calls` is off.", "At least 1; needs `retry_failed_calls`. Rocket.Chat uses 4 when it is not set."),
					Optional:   true,
					Computed:   true,
					Validators: []validator.Int64{int64validator.AtLeast(1)},
				},
				"retry_delay": schema.StringAttribute{
					MarkdownDescription: withConfigNote("How the wait between retries grows: `powers-of-ten` (0.1 s, 1 s, "+
						"10 s, …), `powers-of-two` (2 s, 4 s, 8 s, …) or `increments-of-two` (2 s, 4 s, 6 s, …); null while "+
						"`retry_failed_calls` is off.", "Needs `retry_failed_calls`; Rocket.Chat uses `powers-of-ten` when it is not set."),
					Optional:   true,
					Computed:   true,
					Validators: []validator.String{stringvalidator.OneOf(retryDelays...)},
				},
			}),
	}
}

func (m *outgoingIntegrationFields) common() *integrationModel { return &m.integrationModel }

// validate checks what an event requires and excludes (spec §8).
func (m *outgoingIntegrationModel) validate(context.Context) diag.Diagnostics {
	var diags diag.Diagnostics
	if m.Event.IsUnknown() || m.Event.IsNull() {
		return diags
	}
	name := m.Event.ValueString()
	ev, ok := client.OutgoingEvents[name]
	if !ok {
		return diags // the attribute's own validator reports it
	}
	switch {
	case ev.Channels && m.Channels.IsNull():
		diags.AddAttributeError(path.Root("channels"), "Missing channels",
			fmt.Sprintf("The event %s needs channels: list the rooms (#name) or users (@username) to watch, or use all_public_channels.", name))
	case !ev.Channels && !m.Channels.IsNull() && !m.Channels.IsUnknown():
		diags.AddAttributeError(path.Root("channels"), "channels has no effect for this event",
			fmt.Sprintf("Rocket.Chat ignores channels for the event %s and stores none. Remove channels.", name))
	}
	if !ev.TriggerWords && !m.TriggerWords.IsNull() && !m.TriggerWords.IsUnknown() {
		diags.AddAttributeError(path.Root("trigger_words"), "trigger_words has no effect for this event",
			fmt.Sprintf("Only the event sendMessage uses trigger words; Rocket.Chat drops them for %s. Remove trigger_words.", name))
	}
	if ev.TargetRoom && m.TargetRoom.IsNull() {
		diags.AddAttributeError(path.Root("target_room"), "Missing target_room",
			fmt.Sprintf("The event %s needs target_room: the room the integration posts to.", name))
	}
	if !m.RetryFailedCalls.IsUnknown() && !m.RetryFailedCalls.ValueBool() {
		for attr, set := range map[string]bool{
			"retry_count": !m.RetryCount.IsNull() && !m.RetryCount.IsUnknown(),
			"retry_delay": !m.RetryDelay.IsNull() && !m.RetryDelay.IsUnknown(),
		} {
			if set {
				diags.AddAttributeError(path.Root(attr), attr+" needs retry_failed_calls",
					attr+" only matters when Rocket.Chat retries failed calls. Set retry_failed_calls = true, or remove "+attr+".")
			}
		}
	}
	return diags
}

func (m *outgoingIntegrationModel) writeOnly() bool { return !m.TokenWOVersion.IsNull() }

func (m *outgoingIntegrationModel) request(ctx context.Context, args requestArgs) (client.IntegrationRequest, diag.Diagnostics) {
	update := args.prior != nil
	base, message, diags := m.commonRequest(ctx, update)
	urls, d := listStrings(ctx, m.URLs)
	diags.Append(d...)
	words, d := listStrings(ctx, m.TriggerWords)
	diags.Append(d...)
	if words == nil && update {
		words = []string{} // clears the stored list
	}
	token, d := m.token(args)
	diags.Append(d...)
	req := &client.OutgoingIntegrationRequest{
		IntegrationBase: base,
		OutgoingTrigger: client.OutgoingTrigger{
			Event:               m.Event.ValueString(),
			URLs:                urls,
			TriggerWords:        words,
			TriggerWordAnywhere: knownBool(m.TriggerWordAnywhere),
			TargetRoom:          optionalString(m.TargetRoom, update),
		},
		Token:           &token,
		MessageSettings: message,
		OutgoingDelivery: client.OutgoingDelivery{
			RunOnEdits:       knownBool(m.RunOnEdits),
			ImpersonateUser:  knownBool(m.ImpersonateUser),
			RetryFailedCalls: knownBool(m.RetryFailedCalls),
			RetryDelay:       knownString(m.RetryDelay),
		},
	}
	if !m.RetryCount.IsNull() && !m.RetryCount.IsUnknown() {
		n := int(m.RetryCount.ValueInt64())
		req.RetryCount = &n
	}
	return req, diags
}

// token returns the token to send. With token_wo it is the write-only value
// when the integration is created or token_wo_version changes, and otherwise
// the token Rocket.Chat holds, sent back unchanged: Rocket.Chat requires a
// token on every update, and Terraform cannot tell whether a write-only
// value changed. Without token_wo it is the configured or stored token, or a
// new one, which then goes into the state because every later update must
// send it again.
func (m *outgoingIntegrationModel) token(args requestArgs) (string, diag.Diagnostics) {
	var diags diag.Diagnostics
	if m.writeOnly() {
		m.Token = types.StringNull()
		prior, _ := args.prior.(*outgoingIntegrationModel)
		if prior != nil && prior.writeOnly() && prior.TokenWOVersion.Equal(m.TokenWOVersion) && args.held != nil {
			held, err := args.held()
			if err != nil {
				diags.AddError("Cannot read the integration's token",
					"token_wo_version did not change, so the token Rocket.Chat holds is sent back unchanged (Rocket.Chat "+
						"requires it on every update), but reading it failed: "+err.Error())
				return "", diags
			}
			if held.Token != "" {
				return held.Token, diags
			}
			// Rocket.Chat holds none (it was removed by hand): send token_wo.
		}
		cfg, _ := args.config.(*outgoingIntegrationModel)
		if cfg == nil || cfg.TokenWO.IsNull() || cfg.TokenWO.IsUnknown() {
			diags.AddAttributeError(path.Root("token_wo"), "Missing token_wo",
				"token_wo_version is set, so the token comes from token_wo, which has no known value. Rocket.Chat requires "+
					"the token on every change of an outgoing integration.")
			return "", diags
		}
		return cfg.TokenWO.ValueString(), diags
	}
	if !m.Token.IsNull() && !m.Token.IsUnknown() {
		return m.Token.ValueString(), diags
	}
	generated, err := client.NewOutgoingToken()
	if err != nil {
		diags.AddError("Cannot generate a token", err.Error())
		return "", diags
	}
	m.Token = types.StringValue(generated)
	return generated, diags
}

// read copies a stored document into the state; with token_wo the token
// stays out of it.
func (m *outgoingIntegrationModel) read(ctx context.Context, doc *client.Integration, dir *client.Directory) diag.Diagnostics {
	diags := m.outgoingIntegrationFields.read(ctx, doc, dir)
	if m.writeOnly() {
		m.Token = types.StringNull()
	}
	return diags
}

// read copies a stored document into the fields, the token included.
func (m *outgoingIntegrationFields) read(_ context.Context, doc *client.Integration, _ *client.Directory) diag.Diagnostics {
	diags := m.readCommon(doc)
	ev := client.OutgoingEvents[doc.Event]
	m.Event = types.StringValue(doc.Event)
	m.URLs = stringList(doc.URLs)
	// Rocket.Chat leaves an old trigger word list in place when the event
	// changes to one that has none; it no longer applies.
	m.TriggerWords = types.ListNull(types.StringType)
	if ev.TriggerWords {
		m.TriggerWords = stringList(doc.TriggerWords)
	}
	m.TriggerWordAnywhere = types.BoolValue(doc.TriggerWordAnywhere != nil && *doc.TriggerWordAnywhere)
	m.TargetRoom = nullableString(doc.TargetRoom)
	m.Token = emptyAsNull(doc.Token)
	m.RunOnEdits = types.BoolValue(doc.RunOnEdits != nil && *doc.RunOnEdits)
	m.ImpersonateUser = types.BoolValue(doc.ImpersonateUser != nil && *doc.ImpersonateUser)
	m.RetryFailedCalls = types.BoolValue(doc.RetryFailedCalls != nil && *doc.RetryFailedCalls)
	// Rocket.Chat keeps the retry settings when retrying is turned off; they
	// no longer apply.
	m.RetryCount = types.Int64Null()
	m.RetryDelay = types.StringNull()
	if m.RetryFailedCalls.ValueBool() {
		if doc.RetryCount != nil {
			m.RetryCount = types.Int64Value(int64(*doc.RetryCount))
		}
		m.RetryDelay = nullableString(doc.RetryDelay)
	}
	return diags
}

// plan shows what Rocket.Chat will store: no retry settings while retrying
// is off, and Rocket.Chat's defaults for those left out once it is on; no
// token with token_wo, the stored token otherwise, and a warning when the
// provider must generate a new one for an existing integration.
func (m *outgoingIntegrationModel) plan(_ context.Context, p *planning) {
	m.planCommon(p)
	cfg := p.config.(*outgoingIntegrationModel)
	if !m.RetryFailedCalls.IsUnknown() {
		on := m.RetryFailedCalls.ValueBool()
		if cfg.RetryCount.IsNull() {
			m.RetryCount = types.Int64Null()
			if on {
				m.RetryCount = types.Int64Value(defaultRetryCount)
			}
		}
		if cfg.RetryDelay.IsNull() {
			m.RetryDelay = types.StringNull()
			if on {
				m.RetryDelay = types.StringValue(defaultRetryDelay)
			}
		}
	}
	prior, _ := p.prior.(*outgoingIntegrationModel)
	switch {
	case m.writeOnly():
		m.Token = types.StringNull()
	case !cfg.Token.IsNull() || prior == nil:
		// The configured token, or one generated when the integration is created.
	case !prior.Token.IsNull():
		m.Token = prior.Token
	default:
		m.Token = types.StringUnknown()
		reason := "Rocket.Chat holds no token for this integration and requires one for every change"
		if prior.writeOnly() {
			reason = "token_wo is no longer set, and the token it set is not in the state"
		}
		p.diags.AddAttributeWarning(path.Root("token"), "The integration's token changes",
			reason+", so the provider generates a new token and sends it to Rocket.Chat. From then on Rocket.Chat sends "+
				"the new token with every call: give it to the receiving service (it is in the state, marked sensitive), "+
				"or set token or token_wo to keep the token that service knows.")
	}
}

func (m *outgoingIntegrationModel) change() client.Change {
	ch := m.commonChange(client.OutgoingType)
	ch.Event = knownValue(m.Event)
	ch.TargetRoom = knownValue(m.TargetRoom)
	return ch
}

func (m *outgoingIntegrationModel) secrets() []string {
	return []string{m.Token.ValueString(), m.TokenWO.ValueString()}
}
