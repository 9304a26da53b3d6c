# The configuration `make demo` applies against the in-memory Rocket.Chat.
# The provider reads its settings from the ROCKETCHAT_* environment variables
# that the test server prints.
terraform {
  required_providers {
    rocketchat = {
      source = "terraform-rocketchat/rocketchat"
    }
  }
}

provider "rocketchat" {}

variable "alias" {
  description = "Name shown on the messages the webhook posts."
  type        = string
  default     = "Deploy notifier"
}

variable "channels" {
  description = "Rooms the webhook posts to."
  type        = list(string)
  default     = ["#general"]
}

resource "rocketchat_incoming_integration" "deploys" {
  name     = "Deploy notifications"
  username = "rocket.cat"
  channels = var.channels
  alias    = var.alias
  emoji    = ":rocket:"
}

resource "rocketchat_outgoing_integration" "deploy_command" {
  name          = "Deploy command"
  event         = "sendMessage"
  username      = "rocket.cat"
  channels      = ["#general"]
  trigger_words = ["!deploy"]
  urls          = ["https://deploy.example.com/rocketchat"]
}

output "incoming_id" {
  value = rocketchat_incoming_integration.deploys.id
}

output "outgoing_id" {
  value = rocketchat_outgoing_integration.deploy_command.id
}

output "webhook_url" {
  description = "Where systems post messages; a secret."
  value       = rocketchat_incoming_integration.deploys.webhook_url
  sensitive   = true
}
