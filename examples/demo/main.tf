# The configuration `make demo` applies against the in-memory Rocket.Chat.
# The provider reads its settings from the ROCKETCHAT_* environment variables
# that the test server prints.
terraform {
  required_providers {
    rocketchat = {
      source  = "terraform-rocketchat/rocketchat"
      version = "~> 0.1"
    }
  }
}

provider "rocketchat" {}

variable "alias" {
  description = "Name shown on the messages the webhook posts."
  type        = string
  default     = "Deploy notifier"
}

variable "receiver_url" {
  description = "Where the deploy command calls; make demo starts a small receiver there."
  type        = string
  default     = "http://127.0.0.1:9/deploy"
}

variable "deploy_token" {
  description = "Token Rocket.Chat sends with each call, so the receiver knows the call is genuine."
  type        = string
  sensitive   = true
  default     = "demo-deploy-token"
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

# Alertmanager posts its alerts here; the script turns them into a message
# with one attachment per firing alert.
resource "rocketchat_incoming_integration" "alerts" {
  name           = "Alertmanager"
  username       = "rocket.cat"
  channels       = ["#general"]
  alias          = "Alertmanager"
  script_enabled = true
  script         = file("${path.module}/scripts/alertmanager.js")
}

# "!deploy v1.2.3" in #general calls the receiver, whose answer is posted back.
resource "rocketchat_outgoing_integration" "deploy_command" {
  name          = "Deploy command"
  event         = "sendMessage"
  username      = "rocket.cat"
  channels      = ["#general"]
  trigger_words = ["!deploy"]
  urls          = [var.receiver_url]
  token         = var.deploy_token
  alias         = "Deployer"
}

output "incoming_id" {
  value = rocketchat_incoming_integration.deploys.id
}

output "alerts_webhook_url" {
  description = "Where Alertmanager posts; a secret."
  value       = rocketchat_incoming_integration.alerts.webhook_url
  sensitive   = true
}

output "outgoing_id" {
  value = rocketchat_outgoing_integration.deploy_command.id
}

output "webhook_url" {
  description = "Where systems post messages; a secret."
  value       = rocketchat_incoming_integration.deploys.webhook_url
  sensitive   = true
}
