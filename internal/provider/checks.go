package provider

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/terraform-rocketchat/terraform-provider-rocketchat/internal/client"
)

// The checks here need Rocket.Chat: they run while Terraform plans, on the
// values known by then, so that what Rocket.Chat would refuse fails the plan
// before anything is created. The rules live in the client; this file only
// puts what they find on the attributes it concerns.

// problemAttributes maps the request fields of the client's checks to
// attributes.
var problemAttributes = map[string]string{
	"channel":    "channels",
	"username":   "username",
	"event":      "event",
	"targetRoom": "target_room",
}

// report adds a problem found by a check to diags, once per run for
// problems shared by every integration of a kind.
func (d *providerData) report(p client.Problem, diags *diag.Diagnostics) {
	if p.Shared != "" {
		if _, seen := d.reported.LoadOrStore(p.Shared, true); seen {
			return
		}
	}
	var at path.Path
	if attr, ok := problemAttributes[p.Field]; ok {
		at = path.Root(attr)
		if p.Index >= 0 {
			at = at.AtListIndex(p.Index)
		}
	}
	switch {
	case p.Severity == client.Refused && at.Equal(path.Empty()):
		diags.AddError(p.Summary, p.Detail)
	case p.Severity == client.Refused:
		diags.AddAttributeError(at, p.Summary, p.Detail)
	case at.Equal(path.Empty()):
		diags.AddWarning(p.Summary, p.Detail)
	default:
		diags.AddAttributeWarning(at, p.Summary, p.Detail)
	}
}

// commonChange is what the checks need of the attributes both kinds share;
// values not known yet are left out.
func (m *integrationModel) commonChange(kind client.IntegrationType) client.Change {
	ch := client.Change{Kind: kind, Username: knownValue(m.Username)}
	if !m.Channels.IsNull() && !m.Channels.IsUnknown() {
		for _, e := range m.Channels.Elements() {
			s, _ := e.(types.String)
			ch.Channels = append(ch.Channels, knownValue(s))
		}
	}
	return ch
}

func knownValue(v types.String) string {
	if v.IsNull() || v.IsUnknown() {
		return ""
	}
	return v.ValueString()
}

// checkChange runs the checks on a planned create (prior nil) or update.
func (r *integrationResource[M, P]) checkChange(ctx context.Context, plan, prior P, diags *diag.Diagnostics) {
	for _, p := range r.data.dir.Check(ctx, r.changeOf(plan, prior)) {
		r.data.report(p, diags)
	}
}

// changeOf is what the checks judge: a create when prior is nil, otherwise
// an update of the integration prior's creator made.
func (r *integrationResource[M, P]) changeOf(plan, prior P) client.Change {
	ch := plan.change()
	if prior != nil {
		ch.Update = true
		ch.Creator = knownValue(prior.common().CreatedBy)
	}
	return ch
}

// locateRefusal runs the checks after Rocket.Chat refused a create or an
// update, when its answer names no entry ("Invalid room"): they find which
// one, now that every value is known. It reports false when they find
// nothing to blame.
func (r *integrationResource[M, P]) locateRefusal(ctx context.Context, plan, prior P, err error, diags *diag.Diagnostics) bool {
	if !refusalOfTargets(err) {
		return false
	}
	var found diag.Diagnostics
	for _, p := range r.data.dir.Fresh().Check(ctx, r.changeOf(plan, prior)) {
		if p.Severity == client.Refused {
			p.Shared = ""
			p.Detail += "\n\nRocket.Chat's answer: " + err.Error()
			r.data.report(p, &found)
		}
	}
	diags.Append(found...)
	return found.HasError()
}

// refusalOfTargets reports whether Rocket.Chat refused a change for one of
// the reasons the checks can locate.
func refusalOfTargets(err error) bool {
	for _, code := range []string{
		"error-invalid-room", "error-invalid-channel", "error-invalid-user", "error-invalid-post-as-user",
		"error-user-lacks-message-impersonate-permission", "error-invalid-permissions",
	} {
		if strings.Contains(err.Error(), "["+code+"]") {
			return true
		}
	}
	return false
}

// warnSameName warns before creating an integration named like one that
// Rocket.Chat already holds: names are not unique, so the create would make
// a second one, which is seldom meant when the first was made by hand.
func (r *integrationResource[M, P]) warnSameName(ctx context.Context, plan P, diags *diag.Diagnostics) {
	name := plan.common().Name
	if name.IsNull() || name.IsUnknown() {
		return
	}
	named, err := r.data.reader.Named(ctx, r.kind.typ, name.ValueString())
	if err != nil {
		return // a plan must not fail for a courtesy
	}
	var same []client.Integration
	for _, in := range named {
		if !r.data.managed(in.ID) {
			same = append(same, in)
		}
	}
	if len(same) == 0 {
		return
	}
	slices.SortFunc(same, func(a, b client.Integration) int {
		return cmp.Or(a.CreatedAt.Compare(b.CreatedAt), strings.Compare(a.ID, b.ID))
	})
	first := same[0]
	about := ""
	if first.CreatedBy != nil && first.CreatedBy.Username != "" {
		about = " by " + first.CreatedBy.Username
	}
	if !first.CreatedAt.IsZero() {
		about += " on " + first.CreatedAt.UTC().Format(time.DateOnly)
	}
	others := ""
	if len(same) > 1 {
		others = fmt.Sprintf(" (and %d more with this name)", len(same)-1)
	}
	diags.AddAttributeWarning(path.Root("name"), fmt.Sprintf("An %s named %q already exists", kindName(r.kind.typ), name.ValueString()),
		fmt.Sprintf("Rocket.Chat already holds an %s with this name: ID %s, made%s%s. Names are not unique, so applying creates a "+
			"second one beside it. If that integration is the one this resource should manage, import it instead of creating "+
			"another: an import block with this resource as `to` and id = %q, or terraform import with this resource's address "+
			"and that ID.", kindName(r.kind.typ), first.ID, about, others, first.ID))
}

// managed reports whether a resource of this run has read the integration
// with the ID: it is in the state, not one made by hand.
func (d *providerData) managed(id string) bool {
	_, ok := d.managedIDs.Load(id)
	return ok
}
