# A webhook someone made by hand under Administration → Integrations, looked
# up by its exact name.
data "rocketchat_incoming_integration" "alerts" {
  name = "Alertmanager"
}

# The webhook URL is sensitive: hand it to the system that posts, e.g. as a
# secret, rather than printing it.
output "alerts_webhook_url" {
  value     = data.rocketchat_incoming_integration.alerts.webhook_url
  sensitive = true
}

# When several incoming integrations share a name, look one up by its ID.
data "rocketchat_incoming_integration" "ci" {
  id = "659ea5b72dd9f928ada3e43e"
}

output "ci_channels" {
  value = data.rocketchat_incoming_integration.ci.channels
}
