package client

import (
	"context"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/terraform-rocketchat/terraform-provider-rocketchat/internal/rocketchattest"
)

func TestServerTimeFollowsDateHeader(t *testing.T) {
	var sc serverClock
	local := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	h := http.Header{"Date": {local.Add(-90 * time.Second).Format(http.TimeFormat)}}
	sc.observe(h, local)
	c := &Client{}
	c.clock.offset, c.clock.known = sc.offset, sc.known
	got := c.ServerTime(local)
	if d := got.Sub(local.Add(-90 * time.Second)); d < 0 || d > time.Second {
		t.Errorf("ServerTime = %v, want within a second after %v", got, local.Add(-90*time.Second))
	}
	if got := (&Client{}).ServerTime(local); !got.Equal(local) {
		t.Errorf("without a Date header: %v", got)
	}
}

// TestFindCreated finds the integration a create made after its answer was
// lost, and only that one: not an identical older one, not one of another
// user, not one with other fields.
func TestFindCreated(t *testing.T) {
	// The earlier integrations are an hour old: Date headers have one-second
	// resolution, so callers look back a little further than their start.
	var past atomic.Bool
	past.Store(true)
	srv := rocketchattest.NewServer(rocketchattest.WithClock(func() time.Time {
		if past.Load() {
			return time.Now().Add(-time.Hour)
		}
		return time.Now()
	}))
	defer srv.Close()
	ctx := context.Background()
	admin := fakeClient(t, srv, srv.Admin(), false)
	owner := fakeClient(t, srv, srv.Owner(), false)

	incoming := func(channel string) *IncomingIntegrationRequest {
		return &IncomingIntegrationRequest{IntegrationBase: IntegrationBase{
			Name: "Alerts", Enabled: true, Username: "rocket.cat", Channels: []string{channel},
		}}
	}
	older, err := admin.CreateIntegration(ctx, incoming("#general"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := owner.CreateIntegration(ctx, incoming("#general")); err != nil { // another user's
		t.Fatal(err)
	}
	if _, err := admin.CreateIntegration(ctx, incoming("#random")); err != nil { // other fields
		t.Fatal(err)
	}
	past.Store(false)
	since := admin.ServerTime(time.Now()).Add(-2 * time.Second)

	srv.Fail(rocketchattest.EndpointCreate, 1, rocketchattest.Fault{Drop: true, AfterHandling: true})
	_, err = admin.CreateIntegration(ctx, incoming("#general"))
	if !IsOutcomeUnknown(err) {
		t.Fatalf("err = %v, want an unknown outcome", err)
	}
	found, err := admin.FindCreated(ctx, incoming("#general"), since, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(found) != 1 || found[0].ID == older.ID {
		t.Fatalf("found %d integrations: %+v", len(found), found)
	}
	if _, ok := srv.Integration(found[0].ID); !ok {
		t.Errorf("found %s, which the server does not hold", found[0].ID)
	}

	// An outgoing request's token pins the match down.
	token := "token-of-this-create-only"
	outgoing := &OutgoingIntegrationRequest{
		IntegrationBase: IntegrationBase{Name: "Bot", Enabled: true, Username: "rocket.cat", Channels: []string{"#general"}},
		OutgoingTrigger: OutgoingTrigger{Event: "sendMessage", URLs: []string{"https://bot.example.com"}}, Token: &token,
	}
	other := *outgoing
	otherToken := "another-token"
	other.Token = &otherToken
	if _, err := admin.CreateIntegration(ctx, &other); err != nil {
		t.Fatal(err)
	}
	srv.Fail(rocketchattest.EndpointCreate, 1, rocketchattest.Fault{Status: http.StatusBadGateway, AfterHandling: true})
	if _, err := admin.CreateIntegration(ctx, outgoing); !IsOutcomeUnknown(err) {
		t.Fatalf("err = %v, want an unknown outcome", err)
	}
	found, err = admin.FindCreated(ctx, outgoing, since, nil)
	if err != nil || len(found) != 1 || found[0].Token != token {
		t.Fatalf("found %+v, err %v", found, err)
	}

	// A create refused before the server acted leaves nothing to find.
	srv.Fail(rocketchattest.EndpointCreate, 1, rocketchattest.Fault{Status: http.StatusBadGateway})
	lost := incoming("@alice")
	if _, err := admin.CreateIntegration(ctx, lost); !IsOutcomeUnknown(err) {
		t.Fatalf("err = %v, want an unknown outcome", err)
	}
	if found, err := admin.FindCreated(ctx, lost, since, nil); err != nil || len(found) != 0 {
		t.Fatalf("found %+v, err %v", found, err)
	}
}

// TestFindCreatedLeavesOutWhatIsTaken leaves out the integrations the
// caller says are accounted for, and outgoing ones whose channels differ.
func TestFindCreatedLeavesOutWhatIsTaken(t *testing.T) {
	srv := rocketchattest.NewServer()
	defer srv.Close()
	ctx := context.Background()
	admin := fakeClient(t, srv, srv.Admin(), false)
	req := &IncomingIntegrationRequest{IntegrationBase: IntegrationBase{
		Name: "Twin", Enabled: true, Username: "rocket.cat", Channels: []string{"#general", " "},
	}}
	doc, err := admin.CreateIntegration(ctx, &IncomingIntegrationRequest{IntegrationBase: IntegrationBase{
		Name: "Twin", Enabled: true, Username: "rocket.cat", Channels: []string{"#general"},
	}})
	if err != nil {
		t.Fatal(err)
	}
	since := admin.ServerTime(time.Now()).Add(-time.Minute)
	if found, err := admin.FindCreated(ctx, req, since, nil); err != nil || len(found) != 1 || found[0].ID != doc.ID {
		t.Fatalf("found %+v, %v: blank channels are compared as Rocket.Chat drops them", found, err)
	}
	taken := func(id string) bool { return id == doc.ID }
	if found, err := admin.FindCreated(ctx, req, since, taken); err != nil || len(found) != 0 {
		t.Errorf("found %+v, %v: an integration accounted for was offered again", found, err)
	}

	out := &OutgoingIntegrationRequest{
		IntegrationBase: IntegrationBase{Name: "Relay", Enabled: true, Username: "rocket.cat", Channels: []string{"#general"}},
		OutgoingTrigger: OutgoingTrigger{Event: "sendMessage", URLs: []string{"https://bot.example.com"}},
	}
	if _, err := admin.CreateIntegration(ctx, out); err != nil {
		t.Fatal(err)
	}
	other := *out
	other.Channels = []string{"#random"}
	if found, err := admin.FindCreated(ctx, &other, since, nil); err != nil || len(found) != 0 {
		t.Errorf("found %+v, %v: an outgoing integration with other channels matched", found, err)
	}
}
