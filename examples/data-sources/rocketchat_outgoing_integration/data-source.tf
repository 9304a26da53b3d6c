# An outgoing webhook managed elsewhere, looked up by its exact name.
data "rocketchat_outgoing_integration" "deploy" {
  name = "Deploy bot"
}

output "deploy_bot_urls" {
  value = data.rocketchat_outgoing_integration.deploy.urls
}

# The receiving service checks that each call carries this token.
output "deploy_bot_token" {
  value     = data.rocketchat_outgoing_integration.deploy.token
  sensitive = true
}
