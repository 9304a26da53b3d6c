# Calls a deploy service when someone writes "!deploy" in #ops.
resource "rocketchat_outgoing_integration" "deploy" {
  name               = "Deploy bot"
  event              = "sendMessage"
  username           = "rocket.cat"
  channels           = ["#ops"]
  trigger_words      = ["!deploy"]
  urls               = ["https://deploy.example.com/rocketchat"]
  retry_failed_calls = true
  retry_count        = 3
  retry_delay        = "powers-of-two"
}

# Greets new users in #welcome. The token the receiving service checks comes
# from a write-only variable and never reaches the state (Terraform 1.11+).
resource "rocketchat_outgoing_integration" "welcome" {
  name             = "Welcome"
  event            = "userCreated"
  username         = "rocket.cat"
  target_room      = "#welcome"
  urls             = ["https://hr.example.com/hooks/new-user"]
  token_wo         = var.welcome_token
  token_wo_version = 1
}

variable "welcome_token" {
  type      = string
  sensitive = true
  ephemeral = true
}
