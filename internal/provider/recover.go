package provider

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/terraform-rocketchat/terraform-provider-rocketchat/internal/client"
)

// lostCreateLookBack widens the search for a create whose answer was lost:
// the server's clock is known only to the second (Date header) and the
// request may have waited for a connection before it was sent.
const lostCreateLookBack = 5 * time.Second

// lostCreateSecondLook is how long to wait before looking a second time: a
// server that was slow to answer may still be creating the integration.
var lostCreateSecondLook = 2 * time.Second

// recoverLostCreate decides what a create whose outcome is unknown (the
// answer was lost after the request was sent) did, by looking for the
// integration it would have made. Found once: the provider adopts it, so that
// nothing is orphaned and a new apply makes no duplicate. Not found: nothing
// was created, and the user can apply again. Found several times: the provider
// cannot tell which is its own and names them.
//
// It never adopts an integration that another resource of the run holds or
// that another create of the run made or adopted: each look waits until no
// other create is on its way, and the integration it adopts is recorded
// before the next create may go (see providerData.creating).
func recoverLostCreate(ctx context.Context, d *providerData, kind client.IntegrationType, body client.IntegrationRequest,
	start time.Time, createErr error,
) (*client.Integration, diag.Diagnostics) {
	var diags diag.Diagnostics
	c := d.client
	since := c.ServerTime(start).Add(-lostCreateLookBack)
	for look := 1; ; look++ {
		found, err := d.claimCreated(ctx, body, since)
		if err != nil {
			diags.Append(apiErrorDiagnostic("create", kind, createErr))
			diags.AddError("Cannot tell whether the "+kindName(kind)+" was created",
				fmt.Sprintf("Looking for it failed too: %s\n\nLook under Administration → Integrations for one named %q "+
					"created just now; if it is there, import it with `terraform import` instead of applying again.",
					err, body.Base().Name))
			return nil, diags
		}
		switch {
		case len(found) == 1:
			diags.AddWarning("Recovered the "+kindName(kind)+" after a lost answer",
				fmt.Sprintf("Rocket.Chat's answer to the create was lost (%s), but the integration it created was found "+
					"(ID %s) and is now in the state, so no duplicate will be made.", createErr, found[0].ID))
			return &found[0], diags
		case len(found) > 1:
			ids := make([]string, len(found))
			for i, in := range found {
				ids[i] = in.ID
			}
			diags.AddError("Several "+kindName(kind)+"s match a create whose answer was lost",
				fmt.Sprintf("%s\n\nRocket.Chat holds %d integrations named %q that this create could have made: %s. "+
					"Import the one to keep with `terraform import` and delete the others in Rocket.Chat.",
					createErr, len(found), body.Base().Name, strings.Join(ids, ", ")))
			return nil, diags
		case look == 1:
			if err := client.SleepContext(ctx, lostCreateSecondLook); err != nil {
				diags.Append(apiErrorDiagnostic("create", kind, createErr))
				return nil, diags
			}
		default:
			diags.AddError("Rocket.Chat did not create the "+kindName(kind),
				fmt.Sprintf("%s\n\nThe answer was lost, but Rocket.Chat holds no integration that this create made, so "+
					"nothing was created and nothing was added to the state: apply again. Should an integration named %q "+
					"appear in Rocket.Chat later all the same, import it with `terraform import` instead.",
					createErr, body.Base().Name))
			return nil, diags
		}
	}
}

// claimCreated looks for the integrations a lost create made, with no other
// create of the run on its way, and records the one it finds as this run's.
func (d *providerData) claimCreated(ctx context.Context, body client.IntegrationRequest, since time.Time) ([]client.Integration, error) {
	d.creating.Lock()
	defer d.creating.Unlock()
	found, err := d.client.FindCreated(ctx, body, since, d.managed)
	if err == nil && len(found) == 1 {
		d.managedIDs.Store(found[0].ID, true)
	}
	return found, err
}
