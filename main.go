// Command terraform-provider-rocketchat is the Terraform provider for Rocket.Chat integrations.
package main

import (
	"context"
	"flag"
	"log"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/terraform-rocketchat/terraform-provider-rocketchat/internal/provider"
)

// Documentation in docs/ is generated from the schema, templates/ and examples/.
//go:generate terraform fmt -recursive ./examples/
//go:generate go tool tfplugindocs generate --provider-name rocketchat

// version is set by the release build (goreleaser ldflags).
var version = "dev"

func main() {
	var debug bool
	flag.BoolVar(&debug, "debug", false, "run the provider with support for debuggers like delve")
	flag.Parse()

	err := providerserver.Serve(context.Background(), provider.New(version), providerserver.ServeOpts{
		Address: "registry.terraform.io/terraform-rocketchat/rocketchat",
		Debug:   debug,
	})
	if err != nil {
		log.Fatal(err.Error())
	}
}
