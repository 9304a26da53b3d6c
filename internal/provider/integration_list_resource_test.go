package provider

import (
	"context"
	"fmt"
	"io"
	"iter"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/path"
	fwresource "github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/terraform-rocketchat/terraform-provider-rocketchat/internal/client"
	"github.com/terraform-rocketchat/terraform-provider-rocketchat/internal/rocketchattest"
)

// listCall runs a list resource as the framework does, without Terraform:
// every Terraform that has list resources (1.14 and later) sends the same
// request.
type listCall struct {
	kind    client.IntegrationType
	filters map[string]tftypes.Value
	include bool
	limit   int64
}

// listKind is what a test needs of one kind: its list resource and resource.
type listKind struct {
	list     func() list.ListResource
	resource func() fwresource.Resource
}

var listKinds = map[client.IntegrationType]listKind{
	client.IncomingType: {NewIncomingIntegrationListResource, NewIncomingIntegrationResource},
	client.OutgoingType: {NewOutgoingIntegrationListResource, NewOutgoingIntegrationResource},
}

// results returns the list resource's results as an iterator, configured
// with data (nil for an unconfigured provider).
func (c listCall) results(t *testing.T, data *providerData) iter.Seq[list.ListResult] {
	t.Helper()
	ctx := context.Background()
	k := listKinds[c.kind]
	lr := k.list()
	if data != nil {
		var resp fwresource.ConfigureResponse
		lr.(list.ListResourceWithConfigure).Configure(ctx, fwresource.ConfigureRequest{ProviderData: data}, &resp)
		if resp.Diagnostics.HasError() {
			t.Fatal(resp.Diagnostics)
		}
	}
	var schemaResp list.ListResourceSchemaResponse
	lr.ListResourceConfigSchema(ctx, list.ListResourceSchemaRequest{}, &schemaResp)
	values := map[string]tftypes.Value{}
	for name, attr := range schemaResp.Schema.Attributes {
		values[name] = tftypes.NewValue(attr.GetType().TerraformType(ctx), nil)
		if v, ok := c.filters[name]; ok {
			values[name] = v
		}
	}
	if len(values) != len(schemaResp.Schema.Attributes) {
		t.Fatalf("filters %v are not all in the schema", c.filters)
	}
	config := tfsdk.Config{Schema: schemaResp.Schema, Raw: tftypes.NewValue(schemaResp.Schema.Type().TerraformType(ctx), values)}
	r := k.resource()
	var rs fwresource.SchemaResponse
	r.Schema(ctx, fwresource.SchemaRequest{}, &rs)
	var is fwresource.IdentitySchemaResponse
	r.(fwresource.ResourceWithIdentity).IdentitySchema(ctx, fwresource.IdentitySchemaRequest{}, &is)
	var stream list.ListResultsStream
	lr.List(ctx, list.ListRequest{
		Config: config, IncludeResource: c.include, Limit: c.limit,
		ResourceSchema: rs.Schema, ResourceIdentitySchema: is.IdentitySchema,
	}, &stream)
	if stream.Results == nil {
		t.Fatal("no results stream")
	}
	return stream.Results
}

// listedIDs are the IDs of the results, in order; it fails the test on any
// diagnostic.
func listedIDs(t *testing.T, results iter.Seq[list.ListResult]) []string {
	t.Helper()
	ids := []string{}
	for r := range results {
		if len(r.Diagnostics) > 0 {
			t.Fatalf("diagnostics: %v", r.Diagnostics)
		}
		var identity integrationIdentity
		if d := r.Identity.Get(context.Background(), &identity); d.HasError() {
			t.Fatal(d)
		}
		ids = append(ids, identity.ID.ValueString())
	}
	return ids
}

func str(s string) tftypes.Value   { return tftypes.NewValue(tftypes.String, s) }
func boolean(b bool) tftypes.Value { return tftypes.NewValue(tftypes.Bool, b) }

func docIDs(docs ...*client.Integration) []string {
	ids := []string{}
	for _, d := range docs {
		ids = append(ids, d.ID)
	}
	return ids
}

// TestListIntegrations_filters lists both kinds with every filter, alone and
// together, and with limits.
func TestListIntegrations_filters(t *testing.T) {
	srv := rocketchattest.NewServer()
	defer srv.Close()
	api := newAdminClient(srv)
	create := func(req client.IntegrationRequest) *client.Integration {
		t.Helper()
		doc, err := api.CreateIntegration(context.Background(), req)
		if err != nil {
			t.Fatal(err)
		}
		return doc
	}
	alerts := create(incomingRequest("Alertmanager"))
	staging := incomingRequest("CI alerts (staging)")
	staging.Enabled = false
	ci := create(staging)
	deploy := create(outgoingRequest("Deploy bot"))
	relay := outgoingRequest("ALERTS relay")
	relay.Enabled = false
	relayed := create(relay)
	joined := outgoingRequest("Alerts on join")
	joined.Event, joined.TriggerWords = "roomJoined", nil
	onJoin := create(joined)
	data := newProviderData(api, nil, nil)
	in, out := client.IncomingType, client.OutgoingType
	tests := []struct {
		name string
		call listCall
		want []*client.Integration
	}{
		{"incoming", listCall{kind: in, limit: 100}, []*client.Integration{alerts, ci}},
		{"outgoing", listCall{kind: out, limit: 100}, []*client.Integration{deploy, relayed, onJoin}},
		{"name regardless of case", listCall{kind: in, filters: map[string]tftypes.Value{"name": str("aLeRt")}, limit: 100}, []*client.Integration{alerts, ci}},
		{"name of outgoing", listCall{kind: out, filters: map[string]tftypes.Value{"name": str("alerts")}, limit: 100}, []*client.Integration{relayed, onJoin}},
		{"name matching none", listCall{kind: in, filters: map[string]tftypes.Value{"name": str("Deploy")}, limit: 100}, nil},
		{"disabled", listCall{kind: in, filters: map[string]tftypes.Value{"enabled": boolean(false)}, limit: 100}, []*client.Integration{ci}},
		{"enabled", listCall{kind: out, filters: map[string]tftypes.Value{"enabled": boolean(true)}, limit: 100}, []*client.Integration{deploy, onJoin}},
		{"event", listCall{kind: out, filters: map[string]tftypes.Value{"event": str("sendMessage")}, limit: 100}, []*client.Integration{deploy, relayed}},
		{"every filter", listCall{kind: out, filters: map[string]tftypes.Value{
			"name": str("alert"), "enabled": boolean(true), "event": str("roomJoined"),
		}, limit: 100}, []*client.Integration{onJoin}},
		{"limit", listCall{kind: out, limit: 2}, []*client.Integration{deploy, relayed}},
		{"limit after filters", listCall{kind: out, filters: map[string]tftypes.Value{"enabled": boolean(true)}, limit: 1}, []*client.Integration{deploy}},
		{"limit 0", listCall{kind: in, limit: 0}, nil},
		{"with resources", listCall{kind: out, include: true, limit: 100}, []*client.Integration{deploy, relayed, onJoin}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := listedIDs(t, tt.call.results(t, data))
			if want := docIDs(tt.want...); !slices.Equal(got, want) {
				t.Errorf("listed %v, want %v", got, want)
			}
		})
	}
}

// TestListIntegrations_results checks each field of a result, with and
// without the resource: the display name, the identity, and the resource as
// an import reads it into the state, except the token and the webhook URL.
func TestListIntegrations_results(t *testing.T) {
	srv := rocketchattest.NewServer()
	defer srv.Close()
	api := newAdminClient(srv)
	ctx := context.Background()
	scripted := incomingRequest("Scripted webhook")
	scripted.ScriptEnabled = true
	script := "class Script {\n  process_incoming_request({ request }) {\n    return { content: { text: request.content.text } };\n  }\n}\n"
	scripted.Script = &script
	outgoing := outgoingRequest("Outgoing with a token")
	outgoing.TriggerWords = []string{"!deploy", "!rollback"}
	data := newProviderData(api, nil, nil)
	for _, req := range []client.IntegrationRequest{scripted, outgoing} {
		doc, err := api.CreateIntegration(ctx, req)
		if err != nil {
			t.Fatal(err)
		}
		if doc.Token == "" {
			t.Fatal("the integration has no token to hide")
		}
		t.Run(string(doc.Type), func(t *testing.T) {
			imported := importedState(t, listKinds[doc.Type].resource(), data, doc.ID)
			for _, include := range []bool{false, true} {
				var results []list.ListResult
				for r := range (listCall{kind: doc.Type, include: include, limit: 10}).results(t, data) {
					results = append(results, r)
				}
				if len(results) != 1 {
					t.Fatalf("%d results", len(results))
				}
				r := results[0]
				if len(r.Diagnostics) > 0 {
					t.Fatal(r.Diagnostics)
				}
				if r.DisplayName != doc.Name {
					t.Errorf("display name %q, want %q", r.DisplayName, doc.Name)
				}
				var id types.String
				r.Identity.GetAttribute(ctx, path.Root("id"), &id)
				if id.ValueString() != doc.ID {
					t.Errorf("identity %s, want %s", id, doc.ID)
				}
				if !include {
					if !r.Resource.Raw.IsNull() {
						t.Errorf("a resource without include_resource: %s", r.Resource.Raw)
					}
					continue
				}
				// The import's state, without the secrets, is the result.
				want := imported.Raw.Copy()
				want, err := tftypes.Transform(want, func(p *tftypes.AttributePath, v tftypes.Value) (tftypes.Value, error) {
					if p.Equal(tftypes.NewAttributePath().WithAttributeName("token")) || p.Equal(tftypes.NewAttributePath().WithAttributeName("webhook_url")) {
						return tftypes.NewValue(v.Type(), nil), nil
					}
					return v, nil
				})
				if err != nil {
					t.Fatal(err)
				}
				if !r.Resource.Raw.Equal(want) {
					t.Errorf("resource\n%s\nwant\n%s", r.Resource.Raw, want)
				}
				if s := r.Resource.Raw.String(); strings.Contains(s, doc.Token) || strings.Contains(s, "/hooks/") {
					t.Errorf("the result holds a secret: %s", s)
				}
				var script types.String
				r.Resource.GetAttribute(ctx, path.Root("script"), &script)
				if doc.Type == client.IncomingType && script.ValueString() != *scripted.Script {
					t.Errorf("script %q", script.ValueString())
				}
			}
		})
	}
}

// importedState is the state an import of the integration writes.
func importedState(t *testing.T, r fwresource.Resource, data *providerData, id string) tfsdk.State {
	t.Helper()
	ctx := context.Background()
	r.(fwresource.ResourceWithConfigure).Configure(ctx, fwresource.ConfigureRequest{ProviderData: data}, &fwresource.ConfigureResponse{})
	var rs fwresource.SchemaResponse
	r.Schema(ctx, fwresource.SchemaRequest{}, &rs)
	resp := fwresource.ImportStateResponse{State: tfsdk.State{Schema: rs.Schema, Raw: tftypes.NewValue(rs.Schema.Type().TerraformType(ctx), nil)}}
	r.(fwresource.ResourceWithImportState).ImportState(ctx, fwresource.ImportStateRequest{ID: id}, &resp)
	if resp.Diagnostics.HasError() {
		t.Fatal(resp.Diagnostics)
	}
	return resp.State
}

// TestListIntegrations_manyPages lists more integrations than one page holds,
// of both kinds mixed, from a server that orders ties anew for every request:
// each comes once, in order, and a limit spares the pages after it.
func TestListIntegrations_manyPages(t *testing.T) {
	srv := rocketchattest.NewServer()
	defer srv.Close()
	api := newAdminClient(srv)
	const n = 250
	var incoming, outgoing []*client.Integration
	for i := range n {
		var req client.IntegrationRequest = incomingRequest(fmt.Sprintf("Webhook %03d", i))
		if i%5 == 0 {
			req = outgoingRequest(fmt.Sprintf("Webhook %03d", i))
		}
		doc, err := api.CreateIntegration(context.Background(), req)
		if err != nil {
			t.Fatal(err)
		}
		if doc.Type == client.IncomingType {
			incoming = append(incoming, doc)
		} else {
			outgoing = append(outgoing, doc)
		}
	}
	data := newProviderData(api, nil, nil)
	tests := []struct {
		name      string
		call      listCall
		want      []*client.Integration
		wantPages int
	}{
		{"all incoming", listCall{kind: client.IncomingType, limit: 1000}, incoming, 2},
		{"all outgoing", listCall{kind: client.OutgoingType, limit: 1000}, outgoing, 1},
		{"Terraform's default limit", listCall{kind: client.IncomingType, limit: 100}, incoming[:100], 1},
		{"a limit on the second page", listCall{kind: client.IncomingType, limit: 150}, incoming[:150], 2},
		{"the name filter on the server", listCall{kind: client.IncomingType, filters: map[string]tftypes.Value{"name": str("Webhook 1")}, limit: 1000},
			slices.DeleteFunc(slices.Clone(incoming), func(d *client.Integration) bool { return !strings.HasPrefix(d.Name, "Webhook 1") }), 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv.ResetRequests()
			got := listedIDs(t, tt.call.results(t, data))
			if want := docIDs(tt.want...); !slices.Equal(got, want) {
				t.Errorf("listed %d integrations, want %d:\n%v\n%v", len(got), len(want), got, want)
			}
			if pages := srv.Requests(rocketchattest.EndpointList); pages != tt.wantPages {
				t.Errorf("%d list calls, want %d", pages, tt.wantPages)
			}
		})
	}
}

// TestListIntegrations_errors reports what goes wrong as a result with an
// error diagnostic, before any result or after some.
func TestListIntegrations_errors(t *testing.T) {
	srv := rocketchattest.NewServer()
	defer srv.Close()
	api := newAdminClient(srv)
	for i := range 120 {
		if _, err := api.CreateIntegration(context.Background(), incomingRequest(fmt.Sprintf("Webhook %03d", i))); err != nil {
			t.Fatal(err)
		}
	}
	regular, err := client.New(client.Config{URL: srv.URL(), UserID: srv.Regular().UserID, AuthToken: srv.Regular().AuthToken})
	if err != nil {
		t.Fatal(err)
	}
	refused := rocketchattest.Fault{Status: 400, Body: `{"success":false,"error":"Invalid sort parameter [error-invalid-sort]","errorType":"error-invalid-sort"}`}
	tests := []struct {
		name      string
		data      *providerData
		failAfter int // results before the list call fails; -1: none fails
		wantOK    int
		want      []string
	}{
		{name: "not configured", data: nil, failAfter: -1, want: []string{"provider", "not configured"}},
		{name: "no permission", data: newProviderData(regular, nil, nil), failAfter: -1,
			want: []string{"Not allowed to list the incoming integrations", "manage-incoming-integrations"}},
		{name: "the first page fails", data: newProviderData(api, nil, nil), failAfter: 0,
			want: []string{"Rocket.Chat could not list the incoming integrations", "error-invalid-sort"}},
		{name: "the second page fails", data: newProviderData(api, nil, nil), failAfter: 100, wantOK: 100,
			want: []string{"Rocket.Chat could not list the incoming integrations", "error-invalid-sort"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv.ClearFaults()
			if tt.failAfter == 0 {
				srv.Fail(rocketchattest.EndpointList, 1, refused)
			}
			ok, errs := 0, 0
			for r := range (listCall{kind: client.IncomingType, include: true, limit: 1000}).results(t, tt.data) {
				if !r.Diagnostics.HasError() {
					ok++
					if ok == tt.failAfter {
						srv.Fail(rocketchattest.EndpointList, 1, refused)
					}
					continue
				}
				errs++
				var text string
				for _, d := range r.Diagnostics {
					text += d.Summary() + "\n" + d.Detail() + "\n"
				}
				if !expectError(tt.want...).MatchString(text) {
					t.Errorf("diagnostics:\n%s\nwant %q", text, tt.want)
				}
			}
			if ok != tt.wantOK || errs != 1 {
				t.Errorf("%d results and %d errors; want %d and 1", ok, errs, tt.wantOK)
			}
		})
	}
}

// TestListIntegrations_unfilteringServer lists from a server that ignores the
// name and type filters, as Rocket.Chat before 7.0 does: the list resource
// filters by itself.
func TestListIntegrations_unfilteringServer(t *testing.T) {
	const body = `{"integrations":[
{"_id":"aaaaaaaaaaaaaaaaaaaaaaa1","type":"webhook-incoming","name":"Alertmanager","enabled":true,"username":"rocket.cat","channel":["#general"],"_createdAt":"2024-01-10T14:12:07.739Z"},
{"_id":"aaaaaaaaaaaaaaaaaaaaaaa2","type":"webhook-outgoing","name":"Alert relay","enabled":true,"username":"rocket.cat","channel":["#general"],"event":"sendMessage","urls":["https://bot.example.com"],"_createdAt":"2024-01-10T14:12:07.739Z"},
{"_id":"aaaaaaaaaaaaaaaaaaaaaaa3","type":"webhook-incoming","name":"Deploys","enabled":true,"username":"rocket.cat","channel":["#general"],"_createdAt":"2024-01-10T14:12:07.739Z"}
],"offset":0,"count":3,"total":3,"success":true}`
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/api/v1/integrations.list" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, body)
	}))
	defer srv.Close()
	api, err := client.New(client.Config{URL: srv.URL, UserID: "u", AuthToken: "t"})
	if err != nil {
		t.Fatal(err)
	}
	data := newProviderData(api, nil, nil)
	tests := []struct {
		call listCall
		want []string
	}{
		{listCall{kind: client.IncomingType, limit: 10}, []string{"aaaaaaaaaaaaaaaaaaaaaaa1", "aaaaaaaaaaaaaaaaaaaaaaa3"}},
		{listCall{kind: client.OutgoingType, limit: 10}, []string{"aaaaaaaaaaaaaaaaaaaaaaa2"}},
		{listCall{kind: client.IncomingType, filters: map[string]tftypes.Value{"name": str("ALERT")}, limit: 10}, []string{"aaaaaaaaaaaaaaaaaaaaaaa1"}},
	}
	for _, tt := range tests {
		if got := listedIDs(t, tt.call.results(t, data)); !slices.Equal(got, tt.want) {
			t.Errorf("%s %v: listed %v, want %v", tt.call.kind, tt.call.filters, got, tt.want)
		}
	}
}
