package provider

import (
	"context"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/terraform-rocketchat/terraform-provider-rocketchat/internal/rocketchattest"
)

// TestStopEndsLaterOperations asks the server to stop, as Terraform does on
// Ctrl-C: the provider's stopped context ends, and an operation that begins
// afterwards ends at once although its own context goes on. The framework
// alone cancels only the operations already running.
func TestStopEndsLaterOperations(t *testing.T) {
	s, p, err := newServer("test", true)
	if err != nil {
		t.Fatal(err)
	}
	if p.stopped.Err() != nil {
		t.Fatal("the provider counts as stopped before Terraform asked")
	}
	if _, err := s.StopProvider(context.Background(), &tfprotov6.StopProviderRequest{}); err != nil {
		t.Fatal(err)
	}
	select {
	case <-p.stopped.Done():
	case <-time.After(time.Second):
		t.Fatal("StopProvider did not end the provider's stopped context")
	}

	d := &providerData{stopped: p.stopped}
	ctx, done := d.operation(context.Background())
	defer done()
	select {
	case <-ctx.Done():
	case <-time.After(time.Second):
		t.Fatal("an operation begun after the stop does not end")
	}
}

// TestOperationEndsWithItsContext keeps an operation going while nothing
// stopped the provider, and ends it with its own context.
func TestOperationEndsWithItsContext(t *testing.T) {
	stopped, stop := context.WithCancel(context.Background())
	defer stop()
	d := &providerData{stopped: stopped}
	parent, cancel := context.WithCancel(context.Background())
	ctx, done := d.operation(parent)
	defer done()
	if ctx.Err() != nil {
		t.Fatal("the operation ended while nothing stopped it")
	}
	cancel()
	select {
	case <-ctx.Done():
	case <-time.After(time.Second):
		t.Fatal("the operation outlives its own context")
	}
}

// TestConfigureHandsOnTheStop checks that the resources' operations get the
// provider's stopped context.
func TestConfigureHandsOnTheStop(t *testing.T) {
	srv := rocketchattest.NewServer()
	defer srv.Close()
	admin := srv.Admin()
	t.Setenv(EnvURL, srv.URL())
	t.Setenv(EnvUserID, admin.UserID)
	t.Setenv(EnvAuthToken, admin.AuthToken)
	_, p, err := newServer("test", true)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	var schemaResp provider.SchemaResponse
	p.Schema(ctx, provider.SchemaRequest{}, &schemaResp)
	typ := schemaResp.Schema.Type().TerraformType(ctx).(tftypes.Object)
	empty := map[string]tftypes.Value{}
	for name, at := range typ.AttributeTypes {
		empty[name] = tftypes.NewValue(at, nil)
	}
	var resp provider.ConfigureResponse
	p.Configure(ctx, provider.ConfigureRequest{Config: tfsdk.Config{Schema: schemaResp.Schema, Raw: tftypes.NewValue(typ, empty)}}, &resp)
	if resp.Diagnostics.HasError() {
		t.Fatal(resp.Diagnostics)
	}
	data, ok := resp.ResourceData.(*providerData)
	if !ok || data.stopped != p.stopped || resp.DataSourceData != resp.ResourceData {
		t.Fatalf("resources get %+v, want the provider's stopped context", resp.ResourceData)
	}
}

// TestServerServesListResources checks that the server Terraform talks to
// offers the list RPCs and the list resources: Terraform asks the server,
// not the framework's, and finds no list resource where they are missing.
func TestServerServesListResources(t *testing.T) {
	s, _, err := newServer("test", true)
	if err != nil {
		t.Fatal(err)
	}
	var ps tfprotov6.ProviderServer = s
	if _, ok := ps.(tfprotov6.ListResourceServer); !ok {
		t.Fatal("the server does not serve list resources")
	}
	resp, err := s.GetProviderSchema(context.Background(), &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"rocketchat_incoming_integration", "rocketchat_outgoing_integration"} {
		if resp.ListResourceSchemas[name] == nil {
			t.Errorf("no list resource %s", name)
		}
		if resp.ResourceSchemas[name] == nil || resp.ResourceSchemas[name].Block == nil {
			t.Errorf("no resource %s", name)
		}
	}
	identities, err := s.GetResourceIdentitySchemas(context.Background(), &tfprotov6.GetResourceIdentitySchemasRequest{})
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"rocketchat_incoming_integration", "rocketchat_outgoing_integration"} {
		if id := identities.IdentitySchemas[name]; id == nil || len(id.IdentityAttributes) != 1 || id.IdentityAttributes[0].Name != "id" {
			t.Errorf("identity of %s: %+v", name, id)
		}
	}
}
