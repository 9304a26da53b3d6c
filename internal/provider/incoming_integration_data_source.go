package provider

import (
	"github.com/hashicorp/terraform-plugin-framework/datasource"
)

// NewIncomingIntegrationDataSource is the factory of the
// rocketchat_incoming_integration data source. Its model is the resource's,
// which has no write-only attributes.
func NewIncomingIntegrationDataSource() datasource.DataSource {
	return newIntegrationDataSource[incomingIntegrationModel](incomingKind(),
		"Reads an existing incoming webhook integration by its `id` or its `name` — one made by hand under "+
			"Administration → Integrations, by another Terraform configuration or by any other tool — for instance to "+
			"hand its webhook URL to the system that posts to it.\n\n"+
			"A lookup by `name` must find exactly one incoming integration among those the provider's user can see; "+
			"otherwise it fails and lists the candidates' IDs, so that `id` can be used instead. A lookup by `id` "+
			"fails when the integration does not exist or is an outgoing one. `token` and `webhook_url` are sensitive.")
}
