# An incoming integration is imported by its ID, the 24-character value in
# its URL under Administration → Integrations.
terraform import rocketchat_incoming_integration.alerts 659ea5b72dd9f928ada3e43e
