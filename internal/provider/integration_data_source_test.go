package provider

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	dsschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/terraform-rocketchat/terraform-provider-rocketchat/internal/client"
	"github.com/terraform-rocketchat/terraform-provider-rocketchat/internal/rocketchattest"
)

// TestIntegrationDataSourceSchemas checks that each kind's data source
// offers every attribute its resource stores, with the same type,
// description and sensitivity, computed, and nothing write-only (nor the
// version of a write-only attribute).
func TestIntegrationDataSourceSchemas(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		kind integrationKind
		ds   datasource.DataSource
	}{
		{incomingKind(), NewIncomingIntegrationDataSource()},
		{outgoingKind(), NewOutgoingIntegrationDataSource()},
	} {
		t.Run(tc.kind.name, func(t *testing.T) {
			var resp datasource.SchemaResponse
			tc.ds.Schema(ctx, datasource.SchemaRequest{}, &resp)
			if err := resp.Schema.ValidateImplementation(ctx); err.HasError() {
				t.Fatal(err)
			}
			got := resp.Schema.Attributes
			stored := 0
			for name, ra := range tc.kind.schema.Attributes {
				da, ok := got[name]
				if ra.IsWriteOnly() || name == "token_wo_version" {
					if ok {
						t.Errorf("%s: write-only attribute or its version in the data source", name)
					}
					continue
				}
				stored++
				if !ok {
					t.Errorf("%s: missing from the data source", name)
					continue
				}
				if !da.GetType().Equal(ra.GetType()) {
					t.Errorf("%s: type %s, resource has %s", name, da.GetType(), ra.GetType())
				}
				if da.IsSensitive() != ra.IsSensitive() {
					t.Errorf("%s: sensitive %v, resource has %v", name, da.IsSensitive(), ra.IsSensitive())
				}
				if da.GetMarkdownDescription() == "" {
					t.Errorf("%s: no description", name)
				}
				switch name {
				case "id", "name":
					if !da.IsOptional() || !da.IsComputed() {
						t.Errorf("%s: a lookup key must be optional and computed", name)
					}
				default:
					if !da.IsComputed() || da.IsOptional() || da.IsRequired() {
						t.Errorf("%s: want computed only", name)
					}
					if da.GetMarkdownDescription() != ra.GetMarkdownDescription() {
						t.Errorf("%s: description %q differs from the resource's %q", name, da.GetMarkdownDescription(), ra.GetMarkdownDescription())
					}
				}
			}
			if len(got) != stored {
				t.Errorf("data source has %d attributes, the resource stores %d", len(got), stored)
			}
		})
	}
}

func TestComputedAttribute(t *testing.T) {
	got := computedAttribute(schema.ListAttribute{
		MarkdownDescription: "words", ElementType: types.StringType, Optional: true, Sensitive: true,
	})
	list, ok := got.(dsschema.ListAttribute)
	if !ok || !list.Computed || list.Optional || !list.Sensitive || list.MarkdownDescription != "words" || !list.ElementType.Equal(types.StringType) {
		t.Errorf("list attribute converted to %#v", got)
	}
	defer func() {
		if r := recover(); r == nil || !strings.Contains(r.(string), "MapAttribute") {
			t.Errorf("an attribute type without a data source form: want a panic naming it, got %v", r)
		}
	}()
	computedAttribute(schema.MapAttribute{ElementType: types.StringType, Optional: true})
}

// createIntegration creates an integration through the API, as someone
// working by hand or another tool would. Against a real server it is
// removed when the test ends.
func (e *accEnv) createIntegration(t *testing.T, api *client.Client, req client.IntegrationRequest) *client.Integration {
	t.Helper()
	doc, err := api.CreateIntegration(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	if e.srv == nil {
		t.Cleanup(func() { _, _ = e.api.RemoveIntegration(context.Background(), doc.Type, doc.ID) })
	}
	return doc
}

// clientAs is a client authenticated as a seeded user of the in-memory server.
func (e *accEnv) clientAs(t *testing.T, c rocketchattest.Credentials) *client.Client {
	t.Helper()
	api, err := client.New(client.Config{URL: e.url, UserID: c.UserID, AuthToken: c.AuthToken})
	if err != nil {
		t.Fatal(err)
	}
	return api
}

func incomingRequest(name string) *client.IncomingIntegrationRequest {
	return &client.IncomingIntegrationRequest{IntegrationRequestCommon: client.IntegrationRequestCommon{
		Name: name, Enabled: true, Username: "rocket.cat", Channels: []string{"#general"},
	}}
}

func outgoingRequest(name string) *client.OutgoingIntegrationRequest {
	token := "a-token-set-by-hand"
	return &client.OutgoingIntegrationRequest{
		IntegrationRequestCommon: client.IntegrationRequestCommon{
			Name: name, Enabled: true, Username: "rocket.cat", Channels: []string{"#general"},
		},
		Event: "sendMessage", URLs: []string{"https://bot.example.com/hook"}, TriggerWords: []string{"!bot"}, Token: &token,
	}
}
