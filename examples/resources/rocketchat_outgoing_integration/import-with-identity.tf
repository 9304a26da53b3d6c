import {
  to = rocketchat_outgoing_integration.deploy
  identity = {
    id = "659ea5e42dd9f928ada3e451"
  }
}
