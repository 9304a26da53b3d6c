# Every integration the provider's user can see.
data "rocketchat_integrations" "all" {}

output "integrations" {
  value = [for i in data.rocketchat_integrations.all.integrations : "${i.type} ${i.id} ${i.name}"]
}

# Disabled incoming webhooks whose name contains "alert" in any case, e.g.
# "Alertmanager" or "CI alerts".
data "rocketchat_integrations" "disabled_alerts" {
  type    = "webhook-incoming"
  name    = "alert"
  enabled = false
}

output "disabled_alert_webhooks" {
  value = { for i in data.rocketchat_integrations.disabled_alerts.integrations : i.id => i.name }
}
