# An outgoing integration is imported by its ID. Its token is read from
# Rocket.Chat into the state; use token_wo afterwards to keep it out.
terraform import rocketchat_outgoing_integration.deploy 659ea5e42dd9f928ada3e451
