import {
  to = rocketchat_incoming_integration.alerts
  identity = {
    id = "659ea5b72dd9f928ada3e43e"
  }
}
