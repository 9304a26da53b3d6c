package provider

import (
	"github.com/hashicorp/terraform-plugin-framework/datasource"
)

// NewOutgoingIntegrationDataSource is the factory of the
// rocketchat_outgoing_integration data source. Its model is the resource's
// without the write-only token_wo and token_wo_version.
func NewOutgoingIntegrationDataSource() datasource.DataSource {
	return newIntegrationDataSource[outgoingIntegrationFields](outgoingKind(),
		"Reads an existing outgoing webhook integration by its `id` or its `name` — one made by hand under "+
			"Administration → Integrations, by another Terraform configuration or by any other tool — for instance to "+
			"check which URLs it calls, or to give the receiving service its token.\n\n"+
			"A lookup by `name` must find exactly one outgoing integration among those the provider's user can see; "+
			"otherwise it fails and lists the candidates' IDs, so that `id` can be used instead. A lookup by `id` "+
			"fails when the integration does not exist or is an incoming one.\n\n"+
			"`token` is sensitive. Rocket.Chat hands the token to every user allowed to read the integration, so the "+
			"data source puts it into the state even when the integration's resource keeps it out with `token_wo`.")
}
