package client

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/terraform-rocketchat/terraform-provider-rocketchat/internal/rocketchattest"
)

// End-to-end tests against the in-memory Rocket.Chat.

func fakeClient(t *testing.T, srv *rocketchattest.Server, creds rocketchattest.Credentials, password bool) *Client {
	t.Helper()
	cfg := Config{URL: srv.URL(), UserID: creds.UserID, AuthToken: creds.AuthToken}
	if password {
		cfg = Config{URL: srv.URL(), Username: creds.Username, Password: creds.Password}
	}
	cfg.Retry = RetryPolicy{MinBackoff: 10 * time.Millisecond, MaxBackoff: 50 * time.Millisecond, MaxElapsed: 10 * time.Second}
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestFakeIncomingLifecycle(t *testing.T) {
	srv := rocketchattest.NewServer()
	defer srv.Close()
	c := fakeClient(t, srv, srv.Admin(), false)
	ctx := context.Background()

	created, err := c.CreateIntegration(ctx, &IncomingIntegrationRequest{
		IntegrationBase: IntegrationBase{Name: "CI alerts", Enabled: true, Username: "rocket.cat", Channels: []string{"#general"}},
		MessageSettings: MessageSettings{Alias: ptr("CI"), Emoji: ptr(":robot:")},
	})
	if err != nil {
		t.Fatal(err)
	}
	if created.Type != IncomingType || len(created.Token) != 48 || len(created.ID) != 24 || created.Channels[0] != "#general" {
		t.Fatalf("created %+v", created)
	}
	if created.OverrideDestinationChannelEnabled == nil || *created.OverrideDestinationChannelEnabled {
		t.Errorf("overrideDestinationChannelEnabled %v", created.OverrideDestinationChannelEnabled)
	}

	got, err := c.GetIntegration(ctx, created.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Token != created.Token || got.Alias == nil || *got.Alias != "CI" {
		t.Errorf("got %+v", got)
	}

	updated, err := c.UpdateIntegration(ctx, created.ID, &IncomingIntegrationRequest{
		IntegrationBase:  IntegrationBase{Name: "CI alerts (renamed)", Enabled: false, Username: "rocket.cat", Channels: []string{"#general"}},
		MessageSettings:  MessageSettings{Alias: ptr("")}, // cleared
		IncomingSettings: IncomingSettings{OverrideDestinationChannelEnabled: ptr(true)},
	})
	if err != nil {
		t.Fatal(err)
	}
	if updated.Name != "CI alerts (renamed)" || updated.Enabled || updated.Token != created.Token ||
		updated.Alias == nil || *updated.Alias != "" || updated.Emoji == nil || *updated.Emoji != ":robot:" ||
		updated.OverrideDestinationChannelEnabled == nil || !*updated.OverrideDestinationChannelEnabled {
		t.Errorf("updated %+v", updated)
	}
	if want := srv.URL() + "/hooks/" + created.ID + "/" + created.Token; c.WebhookURL(created.ID, created.Token) != want {
		t.Errorf("webhook URL %s", c.WebhookURL(created.ID, created.Token))
	}

	page, err := c.ListIntegrations(ctx, ListOptions{Name: "renamed", Type: IncomingType})
	if err != nil {
		t.Fatal(err)
	}
	if page.Total != 1 || len(page.Integrations) != 1 || page.Integrations[0].ID != created.ID {
		t.Errorf("list %+v", page)
	}

	removed, err := c.RemoveIntegration(ctx, IncomingType, created.ID)
	if err != nil {
		t.Fatal(err)
	}
	if removed.ID != created.ID {
		t.Errorf("removed %+v", removed)
	}
	for name, call := range map[string]func() error{
		"get": func() error { _, err := c.GetIntegration(ctx, created.ID); return err },
		"update": func() error {
			_, err := c.UpdateIntegration(ctx, created.ID, &IncomingIntegrationRequest{})
			return err
		},
		"remove": func() error { _, err := c.RemoveIntegration(ctx, IncomingType, created.ID); return err },
	} {
		if err := call(); !IsNotFound(err) || IsPermissionDenied(err) {
			t.Errorf("%s after remove: %v, want not found", name, err)
		}
	}
}

func TestFakeOutgoingLifecycle(t *testing.T) {
	srv := rocketchattest.NewServer()
	defer srv.Close()
	c := fakeClient(t, srv, srv.Admin(), true) // password login
	ctx := context.Background()

	req := &OutgoingIntegrationRequest{
		IntegrationBase:  IntegrationBase{Name: "Guggy", Enabled: true, Username: "rocket.cat", Channels: []string{"#general"}},
		OutgoingTrigger:  OutgoingTrigger{Event: "sendMessage", URLs: []string{"https://example.com/hook"}, TriggerWords: []string{"!guggy"}},
		Token:            ptr("OUTGOING-token-s3cr3t"),
		OutgoingDelivery: OutgoingDelivery{RetryFailedCalls: ptr(true)},
	}
	created, err := c.CreateIntegration(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	if created.Type != OutgoingType || created.Token != "OUTGOING-token-s3cr3t" || created.Event != "sendMessage" ||
		created.RetryCount == nil || *created.RetryCount != 4 || created.RetryDelay == nil || *created.RetryDelay != "powers-of-ten" {
		t.Fatalf("created %+v / %+v", created.IntegrationBase, created.OutgoingDelivery)
	}
	if c.UserID() != srv.Admin().UserID {
		t.Errorf("UserID after login = %q", c.UserID())
	}

	req.TriggerWords = []string{} // cleared
	req.URLs = []string{"https://example.com/other"}
	updated, err := c.UpdateIntegration(ctx, created.ID, req)
	if err != nil {
		t.Fatal(err)
	}
	if len(updated.TriggerWords) != 0 || len(updated.URLs) != 1 || updated.URLs[0] != "https://example.com/other" {
		t.Errorf("updated %+v", updated.OutgoingTrigger)
	}

	// The outgoing token is required on update.
	noToken := *req
	noToken.Token = nil
	_, err = c.UpdateIntegration(ctx, created.ID, &noToken)
	var apiErr *APIError
	mustErr(t, err)
	if !errors.As(err, &apiErr) || apiErr.ErrorType != "error-invalid-token" || IsNotFound(err) {
		t.Errorf("update without token: %v", err)
	}

	if _, err := c.RemoveIntegration(ctx, OutgoingType, created.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetIntegration(ctx, created.ID); !IsNotFound(err) {
		t.Errorf("get after remove: %v", err)
	}

	me, err := c.Me(ctx)
	if err != nil || me.Username != srv.Admin().Username {
		t.Errorf("me %+v, %v", me, err)
	}
	info, err := c.Info(ctx)
	if err != nil || info.Major < 6 || info.Version == "" {
		t.Errorf("info %+v, %v", info, err)
	}
}

func TestFakeListAllPagesOverHundred(t *testing.T) {
	srv := rocketchattest.NewServer()
	defer srv.Close()
	c := fakeClient(t, srv, srv.Admin(), false)
	ctx := context.Background()

	const n = 130
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var req IntegrationRequest = &IncomingIntegrationRequest{IntegrationBase: IntegrationBase{
				Name: fmt.Sprintf("bulk-%03d", i), Enabled: true, Username: "rocket.cat", Channels: []string{"#general"},
			}}
			if i%2 == 1 {
				req = &OutgoingIntegrationRequest{
					IntegrationBase: IntegrationBase{Name: fmt.Sprintf("bulk-%03d", i), Enabled: true, Username: "rocket.cat", Channels: []string{"#general"}},
					OutgoingTrigger: OutgoingTrigger{Event: "sendMessage", URLs: []string{"https://example.com"}},
				}
			}
			if _, err := c.CreateIntegration(ctx, req); err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if _, err := c.CreateIntegration(ctx, &IncomingIntegrationRequest{IntegrationBase: IntegrationBase{
		Name: "unrelated", Enabled: true, Username: "rocket.cat", Channels: []string{"#general"},
	}}); err != nil {
		t.Fatal(err)
	}

	srv.ResetRequests()
	all, err := c.ListAllIntegrations(ctx, ListOptions{Name: "BULK"})
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != n {
		t.Errorf("listed %d, want %d", len(all), n)
	}
	if got := srv.Requests(rocketchattest.EndpointList); got != 2 {
		t.Errorf("%d list requests, want 2", got)
	}
	incoming, err := c.ListAllIntegrations(ctx, ListOptions{Name: "bulk-", Type: IncomingType})
	if err != nil {
		t.Fatal(err)
	}
	if len(incoming) != n/2 {
		t.Errorf("listed %d incoming, want %d", len(incoming), n/2)
	}
}

func TestFakePermissionIsNotNotFound(t *testing.T) {
	srv := rocketchattest.NewServer()
	defer srv.Close()
	admin := fakeClient(t, srv, srv.Admin(), false)
	owner := fakeClient(t, srv, srv.Owner(), false)
	regular := fakeClient(t, srv, srv.Regular(), false)
	ctx := context.Background()
	req := &IncomingIntegrationRequest{IntegrationBase: IntegrationBase{
		Name: "admin's", Enabled: true, Username: "rocket.cat", Channels: []string{"#general"},
	}}
	in, err := admin.CreateIntegration(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	checks := map[string]error{}
	_, checks["owner get"] = owner.GetIntegration(ctx, in.ID)
	_, checks["owner update"] = owner.UpdateIntegration(ctx, in.ID, req)
	_, checks["owner remove"] = owner.RemoveIntegration(ctx, IncomingType, in.ID)
	_, checks["regular create"] = regular.CreateIntegration(ctx, req)
	_, checks["regular list"] = regular.ListIntegrations(ctx, ListOptions{})
	for name, err := range checks {
		if !IsPermissionDenied(err) || IsNotFound(err) {
			t.Errorf("%s: %v, want a permission error", name, err)
		}
	}
	if _, ok := srv.Integration(in.ID); !ok {
		t.Error("the integration is gone")
	}
}

func TestFakeLostCreateAnswer(t *testing.T) {
	srv := rocketchattest.NewServer()
	defer srv.Close()
	c := fakeClient(t, srv, srv.Admin(), false)
	ctx := context.Background()
	srv.Fail(rocketchattest.EndpointCreate, 1, rocketchattest.Fault{Status: http.StatusBadGateway, AfterHandling: true})
	_, err := c.CreateIntegration(ctx, &IncomingIntegrationRequest{IntegrationBase: IntegrationBase{
		Name: "lost", Enabled: true, Username: "rocket.cat", Channels: []string{"#general"},
	}})
	mustErr(t, err)
	if !IsOutcomeUnknown(err) {
		t.Errorf("err = %v", err)
	}
	if got := srv.Requests(rocketchattest.EndpointCreate); got != 1 {
		t.Errorf("%d create requests, want 1", got)
	}
	all, err := c.ListAllIntegrations(ctx, ListOptions{Name: "lost"})
	if err != nil || len(all) != 1 {
		t.Errorf("integrations named lost: %d, %v", len(all), err)
	}

	// A dropped get is simply retried.
	srv.Fail(rocketchattest.EndpointGet, 1, rocketchattest.Fault{Drop: true})
	if _, err := c.GetIntegration(ctx, all[0].ID); err != nil {
		t.Errorf("get after a dropped connection: %v", err)
	}
	if got := srv.Requests(rocketchattest.EndpointGet); got != 2 {
		t.Errorf("%d get requests, want 2", got)
	}
}

func TestFakeRateLimit(t *testing.T) {
	srv := rocketchattest.NewServer(rocketchattest.WithRateLimit(3, 300*time.Millisecond))
	defer srv.Close()
	admin := fakeClient(t, srv, srv.Admin(), false)
	owner := fakeClient(t, srv, srv.Owner(), false)
	ctx := context.Background()
	in, err := admin.CreateIntegration(ctx, &IncomingIntegrationRequest{IntegrationBase: IntegrationBase{
		Name: "limited", Enabled: true, Username: "rocket.cat", Channels: []string{"#general"},
	}})
	if err != nil {
		t.Fatal(err)
	}
	srv.ResetRequests()
	start := time.Now()
	for range 7 {
		// The owner may not read the admin's integration, but every call
		// still counts against the limit.
		if _, err := owner.GetIntegration(ctx, in.ID); !IsPermissionDenied(err) {
			t.Fatalf("get: %v", err)
		}
	}
	if elapsed := time.Since(start); elapsed < 300*time.Millisecond || elapsed > 3*time.Second {
		t.Errorf("7 calls at 3 per 300ms took %s", elapsed)
	}
	if got := srv.Requests(rocketchattest.EndpointGet); got > 8 {
		t.Errorf("%d get requests for 7 calls: pacing did not avoid 429s", got)
	}
}

// TestFakePacingAvoids429 sends many concurrent creates as a user the
// limiter applies to: they spread over the windows without a single 429,
// and take about the floor the limit sets.
func TestFakePacingAvoids429(t *testing.T) {
	const limit, n = 5, 30
	window := 400 * time.Millisecond
	srv := rocketchattest.NewServer(rocketchattest.WithRateLimit(limit, window))
	defer srv.Close()
	c := fakeClient(t, srv, srv.Owner(), false)
	ctx := context.Background()
	start := time.Now()
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := c.CreateIntegration(ctx, &IncomingIntegrationRequest{IntegrationBase: IntegrationBase{
				Name: fmt.Sprintf("paced %d", i), Enabled: true, Username: "rocket.cat", Channels: []string{"#general"},
			}})
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	took := time.Since(start)
	if got := srv.RateLimited(rocketchattest.EndpointCreate); got != 0 {
		t.Errorf("%d creates were refused with 429", got)
	}
	if got := len(srv.Integrations()); got != n {
		t.Errorf("%d integrations, want %d", got, n)
	}
	floor := time.Duration((n+limit-1)/limit-1) * window
	if took < floor {
		t.Errorf("took %v, less than the %v the limit allows: the limiter cannot have applied", took, floor)
	}
	t.Logf("%d creates under %d per %v: %v (floor %v)", n, limit, window, took, floor)
}

// TestListsSeeEachIntegrationOnce reads 250 integrations from a server that
// returns ties in a new order on every request, as MongoDB may: every
// consumer of the list sees each integration exactly once.
func TestListsSeeEachIntegrationOnce(t *testing.T) {
	srv := rocketchattest.NewServer()
	defer srv.Close()
	c := fakeClient(t, srv, srv.Admin(), false)
	ctx := context.Background()
	const n = 250
	ids := map[string]bool{}
	for i := range n {
		doc, err := c.CreateIntegration(ctx, &IncomingIntegrationRequest{
			IntegrationBase: IntegrationBase{Name: "same name", Enabled: true, Username: "rocket.cat", Channels: []string{"#general"}},
			MessageSettings: MessageSettings{Alias: ptr(fmt.Sprint(i))},
		})
		if err != nil {
			t.Fatal(err)
		}
		ids[doc.ID] = true
	}
	once := func(what string, list []Integration) {
		t.Helper()
		seen := map[string]int{}
		for _, in := range list {
			seen[in.ID]++
		}
		for id := range ids {
			if seen[id] != 1 {
				t.Errorf("%s: integration %s seen %d times", what, id, seen[id])
			}
		}
		if len(list) != n {
			t.Errorf("%s: %d integrations, want %d", what, len(list), n)
		}
	}

	all, err := c.ListAllIntegrations(ctx, ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	once("ListAllIntegrations", all)
	named, err := c.ListAllIntegrations(ctx, ListOptions{Name: "same", Type: IncomingType})
	if err != nil {
		t.Fatal(err)
	}
	once("ListAllIntegrations by name", named)

	gets, lists := srv.Requests(rocketchattest.EndpointGet), srv.Requests(rocketchattest.EndpointList)
	reader := c.NewBatchReader()
	var read []Integration
	for id := range ids {
		doc, err := reader.Get(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		read = append(read, *doc)
	}
	once("BatchReader", read)
	// Pages are fetched while they can pay off; a read that comes before its
	// page is worth it goes to get. Either way, each page is read once.
	if got := srv.Requests(rocketchattest.EndpointList) - lists; got != 3 {
		t.Errorf("BatchReader read %d list pages, want 3 for 250 integrations", got)
	}
	if got := srv.Requests(rocketchattest.EndpointGet) - gets; got > 3 {
		t.Errorf("BatchReader read %d integrations with get, want at most one per page", got)
	}
	everything, err := reader.All(ctx)
	if err != nil {
		t.Fatal(err)
	}
	once("BatchReader.All", everything)

	found, err := c.FindCreated(ctx, &IncomingIntegrationRequest{IntegrationBase: IntegrationBase{
		Name: "same name", Enabled: true, Username: "rocket.cat", Channels: []string{"#general"},
	}}, time.Time{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	once("FindCreated", found)
}
