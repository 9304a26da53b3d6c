# A webhook that posts alerts into #ops as rocket.cat.
resource "rocketchat_incoming_integration" "alerts" {
  name     = "Alertmanager"
  username = "rocket.cat"
  channels = ["#ops"]
  alias    = "Alertmanager"
  emoji    = ":rotating_light:"
}

# The webhook URL is sensitive: hand it to the system that posts, e.g. as a
# secret, rather than printing it.
output "alerts_webhook_url" {
  value     = rocketchat_incoming_integration.alerts.webhook_url
  sensitive = true
}

# A webhook whose script turns a CI system's payload into a message.
resource "rocketchat_incoming_integration" "ci" {
  name           = "CI results"
  username       = "rocket.cat"
  channels       = ["#builds", "@release.manager"]
  script_enabled = true
  script         = <<-EOT
    class Script {
      process_incoming_request({ request }) {
        const build = request.content;
        return {
          content: {
            text: `Build ${build.number} of ${build.branch}: ${build.status}`,
          },
        };
      }
    }
  EOT
}
