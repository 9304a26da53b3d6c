terraform {
  required_providers {
    rocketchat = {
      source  = "terraform-rocketchat/rocketchat"
      version = "~> 0.1"
    }
  }
}

# Token authentication: a user ID and an auth token or personal access token.
# Prefer the ROCKETCHAT_URL, ROCKETCHAT_USER_ID and ROCKETCHAT_AUTH_TOKEN
# environment variables, so that no secret lives in the configuration.
provider "rocketchat" {
  server_url = "https://chat.example.com"
  user_id    = var.rocketchat_user_id
  auth_token = var.rocketchat_auth_token
}

variable "rocketchat_user_id" {
  type = string
}

variable "rocketchat_auth_token" {
  type      = string
  sensitive = true
}
