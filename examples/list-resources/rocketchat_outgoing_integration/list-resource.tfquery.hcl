# The outgoing integrations that react to messages, up to 500 of them.
list "rocketchat_outgoing_integration" "on_messages" {
  provider         = rocketchat
  include_resource = true
  limit            = 500

  config {
    event = "sendMessage"
  }
}
