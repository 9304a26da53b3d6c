package main

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/terraform-rocketchat/terraform-provider-rocketchat/internal/provider"
)

// The no-op provider is a floor only while its schema is the provider's:
// an attribute added there must be added here.
func TestSchemaIsTheIncomingIntegrations(t *testing.T) {
	real, err := provider.NewServer("test")()
	if err != nil {
		t.Fatal(err)
	}
	want := attributes(t, real, "rocketchat_incoming_integration")
	got := attributes(t, providerserver.NewProtocol6(noopProvider{})(), "noop_incoming_integration")
	for name, w := range want {
		if g, ok := got[name]; !ok {
			t.Errorf("%s: missing", name)
		} else if g != w {
			t.Errorf("%s: got %+v, want %+v", name, g, w)
		}
	}
	for name := range got {
		if _, ok := want[name]; !ok {
			t.Errorf("%s: not in the provider's schema", name)
		}
	}
}

type attribute struct {
	typ                                     string
	required, optional, computed, sensitive bool
}

func attributes(t *testing.T, s tfprotov6.ProviderServer, resource string) map[string]attribute {
	t.Helper()
	resp, err := s.GetProviderSchema(context.Background(), &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	schema, ok := resp.ResourceSchemas[resource]
	if !ok {
		t.Fatalf("no schema for %s", resource)
	}
	out := map[string]attribute{}
	for _, a := range schema.Block.Attributes {
		out[a.Name] = attribute{typ: a.Type.String(), required: a.Required, optional: a.Optional, computed: a.Computed, sensitive: a.Sensitive}
	}
	return out
}
