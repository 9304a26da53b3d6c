# Every incoming integration whose name contains "alert", with its attributes,
# so that terraform query -generate-config-out can write configuration for it.
list "rocketchat_incoming_integration" "alerts" {
  provider         = rocketchat
  include_resource = true

  config {
    name    = "alert"
    enabled = true
  }
}
