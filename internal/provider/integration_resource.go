package provider

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/terraform-rocketchat/terraform-provider-rocketchat/internal/client"
)

// integrationReader is what the shared resource and data source code needs
// to fill the model of one kind of integration from Rocket.Chat.
type integrationReader interface {
	common() *integrationModel
	// read copies a stored document into the model.
	read(ctx context.Context, doc *client.Integration, dir *client.Directory) diag.Diagnostics
}

// integrationState is what the shared resource code needs from the model of
// one kind of integration.
type integrationState interface {
	integrationReader
	// request builds the body of a create, or of an update, from the planned
	// values.
	request(ctx context.Context, args requestArgs) (client.IntegrationRequest, diag.Diagnostics)
	// plan fills in the computed attributes of a create or an update with
	// what Rocket.Chat will store, where that is known before.
	plan(ctx context.Context, p *planning)
	// change is what the checks against Rocket.Chat need of the planned values.
	change() client.Change
	// secrets lists the values of the model that logs must never show.
	secrets() []string
}

// requestArgs is what a request is built from besides the planned values.
type requestArgs struct {
	// config is the configuration, which alone holds write-only values.
	config integrationState
	// prior is the state before an update; nil for a create.
	prior integrationState
	// held reads the integration as Rocket.Chat holds it now, for an update
	// that must send back a value the state does not keep.
	held func() (*client.Integration, error)
}

// integrationKind is what tells the two resources apart.
type integrationKind struct {
	name   string // resource type name without the provider prefix
	typ    client.IntegrationType
	schema schema.Schema
}

// integrationResource implements a resource for one kind of integration; M
// is the kind's model and P its pointer type.
type integrationResource[M any, P interface {
	*M
	integrationState
}] struct {
	kind   integrationKind
	values *modelValues[M]
	data   *providerData
}

// integrationResourceFactory makes the factory of a kind's resource. The
// kind and the model's codec are built once, at the first call: the
// framework makes a resource value for every call it serves.
func integrationResourceFactory[M any, P interface {
	*M
	integrationState
}](kind func() integrationKind) func() resource.Resource {
	values := sync.OnceValue(func() *modelValues[M] { return newModelValues[M](kind().schema) })
	return func() resource.Resource { return &integrationResource[M, P]{kind: kind(), values: values()} }
}

var (
	_ resource.ResourceWithConfigure      = (*integrationResource[incomingIntegrationModel, *incomingIntegrationModel])(nil)
	_ resource.ResourceWithImportState    = (*integrationResource[incomingIntegrationModel, *incomingIntegrationModel])(nil)
	_ resource.ResourceWithModifyPlan     = (*integrationResource[incomingIntegrationModel, *incomingIntegrationModel])(nil)
	_ resource.ResourceWithValidateConfig = (*integrationResource[incomingIntegrationModel, *incomingIntegrationModel])(nil)
	_ resource.ResourceWithIdentity       = (*integrationResource[incomingIntegrationModel, *incomingIntegrationModel])(nil)
)

func (r *integrationResource[M, P]) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_" + r.kind.name
}

func (r *integrationResource[M, P]) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = r.kind.schema
}

func (r *integrationResource[M, P]) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = integrationIdentitySchema
}

// integrationIdentitySchema identifies an integration of either kind: its
// ID, which Rocket.Chat never changes.
var integrationIdentitySchema = identityschema.Schema{
	Attributes: map[string]identityschema.Attribute{
		"id": identityschema.StringAttribute{
			Description:       "Rocket.Chat's ID of the integration (24 hexadecimal characters).",
			RequiredForImport: true,
		},
	},
}

// integrationIdentity is the model of integrationIdentitySchema.
type integrationIdentity struct {
	ID types.String `tfsdk:"id"`
}

// setIdentity records the integration's ID as the instance's identity.
// Terraform before 1.12 knows no identities and sends none to fill.
func setIdentity(ctx context.Context, identity *tfsdk.ResourceIdentity, id types.String) diag.Diagnostics {
	if identity == nil {
		return nil
	}
	return identity.Set(ctx, integrationIdentity{ID: id})
}

func (r *integrationResource[M, P]) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = configuredData(req.ProviderData, &resp.Diagnostics)
}

// crossChecker is a model with rules that tie attributes together, checked
// at plan time.
type crossChecker interface {
	validate(ctx context.Context) diag.Diagnostics
}

func (r *integrationResource[M, P]) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	m := P(new(M))
	resp.Diagnostics.Append(r.values.get(ctx, req.Config.Raw, (*M)(m))...)
	if resp.Diagnostics.HasError() {
		return
	}
	// Terraform validates again at apply, once values unknown at plan time
	// (a script made by another resource) are known, before the create.
	resp.Diagnostics.Append(m.common().checkScriptSettings(r.kind.typ)...)
	if checker, ok := any(m).(crossChecker); ok {
		resp.Diagnostics.Append(checker.validate(ctx)...)
	}
}

// ModifyPlan reads the plan and the state only where something may need
// adjusting: Terraform calls it for every resource of every plan, and most
// plans change nothing.
func (r *integrationResource[M, P]) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		r.checkDestroy(ctx, req, resp)
		return
	}
	if r.data != nil && r.data.server != nil && !r.data.server.AtLeast(8, 4) {
		m := integrationModel{SkipTranspile: rawBool(ctx, req.Plan.Raw, "skip_transpile")}
		resp.Diagnostics.Append(m.checkServerSupport(r.data.server)...)
	}
	create := req.State.Raw.IsNull()
	if !create {
		warnHeldScriptError(ctx, req.Plan.Raw, req.State.Raw, r.kind.typ, &resp.Diagnostics)
	}
	if !create && req.Plan.Raw.Equal(req.State.Raw) {
		return // nothing changes
	}
	plan, config := P(new(M)), P(new(M))
	resp.Diagnostics.Append(r.values.get(ctx, req.Plan.Raw, (*M)(plan))...)
	resp.Diagnostics.Append(r.values.get(ctx, req.Config.Raw, (*M)(config))...)
	p := &planning{config: config, diags: &resp.Diagnostics}
	if !create {
		prior := P(new(M))
		resp.Diagnostics.Append(r.values.get(ctx, req.State.Raw, (*M)(prior))...)
		p.prior = prior
	}
	if resp.Diagnostics.HasError() {
		return
	}
	if r.data == nil {
		plan.plan(ctx, p)
		resp.Diagnostics.Append(r.values.set(ctx, &resp.Plan, (*M)(plan))...)
		return
	}
	ctx, done := r.operation(ctx, plan, config)
	defer done()
	p.server = r.data.server
	if r.data.caller != nil {
		p.caller = r.data.caller.Username
	}
	p.userID = func(username string) (string, bool) {
		if u := r.data.dir.User(ctx, username, false); u.Exists == client.Yes {
			return u.User.ID, true
		}
		return "", false
	}
	plan.plan(ctx, p)
	resp.Diagnostics.Append(r.values.set(ctx, &resp.Plan, (*M)(plan))...)
	var prior P
	if !create {
		prior = p.prior.(P)
	}
	r.checkChange(ctx, plan, prior, &resp.Diagnostics)
	if create {
		r.warnSameName(ctx, plan, &resp.Diagnostics)
	}
}

// warnHeldScriptError keeps Rocket.Chat's compile error in view on every
// plan, not only in the apply that saved the script: while the script stays
// as it is, the integration runs without it.
func warnHeldScriptError(ctx context.Context, plan, state tftypes.Value, kind client.IntegrationType, diags *diag.Diagnostics) {
	held := rawString(ctx, state, "script_error")
	if held.IsNull() || held.IsUnknown() {
		return
	}
	same := rawString(ctx, plan, "script").Equal(rawString(ctx, state, "script"))
	for _, name := range []string{"script_enabled", "skip_transpile"} {
		same = same && rawBool(ctx, plan, name).Equal(rawBool(ctx, state, name))
	}
	if !same {
		return // Rocket.Chat compiles the changed script again, and the plan checks it
	}
	first, _, _ := strings.Cut(held.ValueString(), "\n")
	diags.AddAttributeWarning(path.Root("script"), "Rocket.Chat cannot compile the script",
		fmt.Sprintf("Rocket.Chat holds this compile error for the %s's script: %s\n\nUntil the script is fixed, "+
			"Rocket.Chat runs the integration as if it had no script.", kindName(kind), first))
}

// checkDestroy fails the plan of a delete that Rocket.Chat would refuse.
func (r *integrationResource[M, P]) checkDestroy(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if r.data == nil {
		return
	}
	creator := rawString(ctx, req.State.Raw, "created_by")
	ctx, done := r.data.operation(ctx)
	defer done()
	for _, p := range r.data.dir.CheckRemove(ctx, r.kind.typ, knownValue(creator)) {
		r.data.report(p, &resp.Diagnostics)
	}
}

// operation prepares an operation's context: the integration's secrets are
// masked in its log lines as well as the provider's. done releases it.
func (r *integrationResource[M, P]) operation(ctx context.Context, models ...P) (context.Context, func()) {
	var secrets []string
	for _, m := range models {
		secrets = append(secrets, m.secrets()...)
	}
	return r.data.operation(ctx, secrets...)
}

func (r *integrationResource[M, P]) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	if r.data == nil {
		resp.Diagnostics.Append(notConfigured())
		return
	}
	var plan, config M
	resp.Diagnostics.Append(r.values.get(ctx, req.Plan.Raw, &plan)...)
	resp.Diagnostics.Append(r.values.get(ctx, req.Config.Raw, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	body, diags := P(&plan).request(ctx, requestArgs{config: P(&config)})
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, done := r.operation(ctx, &plan, &config)
	defer done()
	start := time.Now()
	r.data.creating.RLock()
	doc, err := r.data.client.CreateIntegration(ctx, body)
	if err == nil {
		r.data.managedIDs.Store(doc.ID, true) // before another create's recovery can look
	}
	r.data.creating.RUnlock()
	switch {
	case client.IsOutcomeUnknown(err):
		var diags diag.Diagnostics
		doc, diags = recoverLostCreate(ctx, r.data, r.kind.typ, body, start, err)
		resp.Diagnostics.Append(diags...)
		if doc == nil {
			return
		}
	case err != nil:
		if !r.locateRefusal(ctx, &plan, nil, err, &resp.Diagnostics) {
			resp.Diagnostics.Append(apiErrorDiagnostic("create", r.kind.typ, err))
		}
		return
	}
	resp.Diagnostics.Append(r.written(ctx, doc, P(&plan), &resp.State)...)
	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, types.StringValue(doc.ID))...)
}

// written records what Rocket.Chat stored after a create or an update: in
// the run's reader, in the model, and in the state, with a warning when the
// script did not compile.
func (r *integrationResource[M, P]) written(ctx context.Context, doc *client.Integration, m P, state *tfsdk.State) diag.Diagnostics {
	r.data.reader.Put(doc)
	r.data.managedIDs.Store(doc.ID, true)
	diags := m.read(ctx, doc, r.data.dir)
	if w := scriptErrorWarning(doc); w != nil {
		diags.Append(w)
	}
	diags.Append(r.values.set(ctx, state, (*M)(m))...)
	return diags
}

// prior reads the state a Read or a Delete starts from, and prepares the
// operation's context.
func (r *integrationResource[M, P]) prior(ctx context.Context, from tfsdk.State, diags *diag.Diagnostics) (context.Context, func(), P, string) {
	if r.data == nil {
		diags.Append(notConfigured())
		return ctx, func() {}, nil, ""
	}
	state := P(new(M))
	diags.Append(r.values.get(ctx, from.Raw, (*M)(state))...)
	if diags.HasError() {
		return ctx, func() {}, nil, ""
	}
	ctx, done := r.operation(ctx, state)
	return ctx, done, state, state.common().ID.ValueString()
}

func (r *integrationResource[M, P]) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	ctx, done, state, id := r.prior(ctx, req.State, &resp.Diagnostics)
	defer done()
	if state == nil {
		return
	}
	r.data.managedIDs.Store(id, true)
	doc, err := r.data.reader.Get(ctx, id)
	if client.IsNotFound(err) {
		consequence := ""
		if r.kind.typ == client.IncomingType {
			consequence = " Rocket.Chat gives the new one a new webhook URL (and token): every system that posts to the " +
				"old URL stops working until it is given the new one."
		}
		resp.Diagnostics.AddWarning("The "+kindName(r.kind.typ)+" no longer exists",
			fmt.Sprintf("Rocket.Chat has no integration with ID %s any more; it was probably deleted outside Terraform. "+
				"It is removed from the state, and the next apply creates it again.%s", id, consequence))
		resp.State.RemoveResource(ctx)
		// The framework requires an identity after every Read without
		// errors, even one that removes the resource.
		resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, types.StringValue(id))...)
		return
	}
	if err != nil {
		resp.Diagnostics.Append(apiErrorDiagnostic("read", r.kind.typ, err))
		return
	}
	if doc.Type != r.kind.typ {
		resp.Diagnostics.Append(wrongKind(id, doc.Type))
		return
	}
	resp.Diagnostics.Append(state.read(ctx, doc, r.data.dir)...)
	resp.Diagnostics.Append(r.values.set(ctx, &resp.State, (*M)(state))...)
	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, state.common().ID)...)
}

func (r *integrationResource[M, P]) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	if r.data == nil {
		resp.Diagnostics.Append(notConfigured())
		return
	}
	var plan, config, state M
	resp.Diagnostics.Append(r.values.get(ctx, req.Plan.Raw, &plan)...)
	resp.Diagnostics.Append(r.values.get(ctx, req.Config.Raw, &config)...)
	resp.Diagnostics.Append(r.values.get(ctx, req.State.Raw, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, done := r.operation(ctx, &plan, &config, &state)
	defer done()
	id := P(&state).common().ID.ValueString()
	held := func() (*client.Integration, error) { return r.data.reader.Get(ctx, id) }
	body, diags := P(&plan).request(ctx, requestArgs{config: P(&config), prior: P(&state), held: held})
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	doc, err := r.data.client.UpdateIntegration(ctx, id, body)
	if err != nil {
		if !r.locateRefusal(ctx, &plan, &state, err, &resp.Diagnostics) {
			resp.Diagnostics.Append(apiErrorDiagnostic("update", r.kind.typ, err))
		}
		return
	}
	resp.Diagnostics.Append(r.written(ctx, doc, P(&plan), &resp.State)...)
	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, types.StringValue(doc.ID))...)
}

func (r *integrationResource[M, P]) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	ctx, done, state, id := r.prior(ctx, req.State, &resp.Diagnostics)
	defer done()
	if state == nil {
		return
	}
	_, err := r.data.client.RemoveIntegration(ctx, r.kind.typ, id)
	r.data.reader.Forget(id)
	if err != nil && !client.IsNotFound(err) {
		resp.Diagnostics.Append(apiErrorDiagnostic("delete", r.kind.typ, err))
	}
}

// ImportState reads the integration once to refuse an ID of the other kind
// with a clear message before anything reaches the state. The ID comes from
// the import ID or, in an import block with identity, from the identity.
func (r *integrationResource[M, P]) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	if r.data == nil {
		resp.Diagnostics.Append(notConfigured())
		return
	}
	ctx, done := r.operation(ctx)
	defer done()
	if req.ID == "" && req.Identity != nil {
		var identity integrationIdentity
		resp.Diagnostics.Append(req.Identity.Get(ctx, &identity)...)
		if resp.Diagnostics.HasError() {
			return
		}
		req.ID = identity.ID.ValueString()
	}
	if id, ok := client.WebhookID(req.ID); ok {
		// Never quote the URL: it holds the webhook's token.
		resp.Diagnostics.AddAttributeError(path.Root("id"), "Import takes the integration's ID, not its webhook URL",
			fmt.Sprintf("The import ID is a webhook URL, which holds the webhook's secret token. Import the integration by "+
				"its ID, which is in the URL: %s.", id))
		return
	}
	if !client.LooksLikeID(req.ID) {
		resp.Diagnostics.Append(r.importByNameHint(ctx, req.ID))
		return
	}
	doc, err := r.data.reader.Get(ctx, req.ID)
	if client.IsNotFound(err) {
		resp.Diagnostics.AddAttributeError(path.Root("id"), "Cannot import a non-existent integration",
			fmt.Sprintf("Rocket.Chat has no integration with ID %q. The ID is the 24-character value in the "+
				"integration's URL under Administration → Integrations.", req.ID))
		return
	}
	if err != nil {
		resp.Diagnostics.Append(apiErrorDiagnostic("read", r.kind.typ, err))
		return
	}
	if doc.Type != r.kind.typ {
		resp.Diagnostics.Append(wrongKind(req.ID, doc.Type))
		return
	}
	var m M
	resp.Diagnostics.Append(P(&m).read(ctx, doc, r.data.dir)...)
	resp.Diagnostics.Append(r.values.set(ctx, &resp.State, &m)...)
	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, types.StringValue(doc.ID))...)
}

// importByNameHint is the error of an import whose ID is no integration ID:
// most often a name, so it names the IDs of the integrations that have it.
func (r *integrationResource[M, P]) importByNameHint(ctx context.Context, name string) diag.Diagnostic {
	summary := "Import takes the integration's ID"
	matches, similar, err := findByName(ctx, r.data.client, r.kind.typ, name)
	if err != nil {
		return apiErrorDiagnostic("look up", r.kind.typ, err)
	}
	detail := fmt.Sprintf("%q is not an integration ID (24 hexadecimal characters, the value in the integration's URL "+
		"under Administration → Integrations).", name)
	switch {
	case len(matches) == 1:
		detail += fmt.Sprintf(" The %s named %q has the ID %s: import that ID.", kindName(r.kind.typ), name, matches[0].ID)
	case len(matches) > 1:
		detail += fmt.Sprintf(" Several %ss are named %q; import the one to manage by its ID:%s",
			kindName(r.kind.typ), name, describeIntegrations(matches, 0, false))
	default:
		detail += fmt.Sprintf(" No %s the provider's user can see is named so either. The rocketchat_integrations data "+
			"source lists the integrations with their IDs.", kindName(r.kind.typ))
		if len(similar) > 0 {
			detail += "\n\nSimilar names:" + describeIntegrations(similar, 5, true)
		}
	}
	return diag.NewAttributeErrorDiagnostic(path.Root("id"), summary, detail)
}

// wrongKind is the error for an ID of an integration of the other kind.
func wrongKind(id string, actual client.IntegrationType) diag.Diagnostic {
	return diag.NewAttributeErrorDiagnostic(path.Root("id"), "Integration of the other kind",
		fmt.Sprintf("The integration with ID %s is an %s; manage or import it as a %s resource.", id, kindName(actual), typeName(actual)))
}

// typeName is the Terraform type name of a kind's resource and data source.
func typeName(kind client.IntegrationType) string {
	return "rocketchat_" + kindWord(kind) + "_integration"
}
