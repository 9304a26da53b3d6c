package client

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/terraform-rocketchat/terraform-provider-rocketchat/internal/rocketchattest"
)

func seedIntegrations(t *testing.T, c *Client, n int, prefix string) []string {
	t.Helper()
	ids := make([]string, n)
	for i := range n {
		doc, err := c.CreateIntegration(context.Background(), &IncomingIntegrationRequest{IntegrationBase: IntegrationBase{
			Name: fmt.Sprintf("%s %d", prefix, i), Enabled: true, Username: "rocket.cat", Channels: []string{"#general"},
		}})
		if err != nil {
			t.Fatal(err)
		}
		ids[i] = doc.ID
	}
	return ids
}

// TestBatchReaderSharesPages refreshes 250 integrations at Terraform's
// parallelism: three list pages serve them all.
func TestBatchReaderSharesPages(t *testing.T) {
	srv := rocketchattest.NewServer()
	defer srv.Close()
	c := fakeClient(t, srv, srv.Admin(), false)
	ids := seedIntegrations(t, c, 250, "batch")
	srv.ResetRequests()

	b := c.NewBatchReader()
	var wg sync.WaitGroup
	sem := make(chan struct{}, 10)
	for _, id := range ids {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			doc, err := b.Get(context.Background(), id)
			if err != nil || doc.ID != id {
				t.Errorf("Get(%s) = %v, %v", id, doc, err)
			}
		}()
	}
	wg.Wait()
	if got := srv.Requests(rocketchattest.EndpointList); got != 3 {
		t.Errorf("%d list calls, want 3", got)
	}
	if got := srv.Requests(rocketchattest.EndpointGet); got != 0 {
		t.Errorf("%d get calls, want 0", got)
	}
}

// TestBatchReaderConfirmsWithGet never takes "not in the pages" for "gone":
// get decides, and a permission error stays a permission error.
func TestBatchReaderConfirmsWithGet(t *testing.T) {
	srv := rocketchattest.NewServer()
	defer srv.Close()
	admin := fakeClient(t, srv, srv.Admin(), false)
	owner := fakeClient(t, srv, srv.Owner(), false)
	adminIDs := seedIntegrations(t, admin, 3, "admin's")
	ownIDs := seedIntegrations(t, owner, 2, "owner's")
	gone := adminIDs[2]
	if _, err := admin.RemoveIntegration(context.Background(), IncomingType, gone); err != nil {
		t.Fatal(err)
	}
	srv.ResetRequests()

	b := owner.NewBatchReader()
	for _, id := range ownIDs {
		if _, err := b.Get(context.Background(), id); err != nil {
			t.Fatal(err)
		}
	}
	// The owner's list does not show the admin's integration: get must say why.
	_, err := b.Get(context.Background(), adminIDs[0])
	if !IsPermissionDenied(err) || IsNotFound(err) {
		t.Errorf("another user's integration: %v", err)
	}
	_, err = b.Get(context.Background(), gone)
	if !IsNotFound(err) {
		t.Errorf("deleted integration: %v", err)
	}
	if got := srv.Requests(rocketchattest.EndpointGet); got != 2 {
		t.Errorf("%d get calls, want 2 (one per integration the pages lacked)", got)
	}
}

// TestBatchReaderBudget keeps list calls at most the number of reads when
// the server holds many integrations the run does not read.
func TestBatchReaderBudget(t *testing.T) {
	srv := rocketchattest.NewServer()
	defer srv.Close()
	c := fakeClient(t, srv, srv.Admin(), false)
	seedIntegrations(t, c, 450, "unmanaged")
	wanted := seedIntegrations(t, c, 2, "managed")
	srv.ResetRequests()

	b := c.NewBatchReader()
	for _, id := range wanted {
		if _, err := b.Get(context.Background(), id); err != nil {
			t.Fatal(err)
		}
	}
	lists, gets := srv.Requests(rocketchattest.EndpointList), srv.Requests(rocketchattest.EndpointGet)
	if lists > 2 || lists+gets > 2*len(wanted) {
		t.Errorf("%d list and %d get calls for %d reads", lists, gets, len(wanted))
	}
}

// TestBatchReaderWritesAndFailures serves the run's own writes, forgets
// deletions, and falls back to get when listing fails.
func TestBatchReaderWritesAndFailures(t *testing.T) {
	srv := rocketchattest.NewServer()
	defer srv.Close()
	c := fakeClient(t, srv, srv.Admin(), false)
	ids := seedIntegrations(t, c, 3, "w")
	b := c.NewBatchReader()
	if _, err := b.Get(context.Background(), ids[0]); err != nil {
		t.Fatal(err)
	}
	updated := &Integration{ID: ids[1], IntegrationBase: IntegrationBase{Name: "renamed"}}
	b.Put(updated)
	if doc, _ := b.Get(context.Background(), ids[1]); doc.Name != "renamed" {
		t.Errorf("Put not served: %q", doc.Name)
	}
	b.Forget(ids[2])
	srv.ResetRequests()
	if _, err := b.Get(context.Background(), ids[2]); err != nil {
		t.Fatal(err)
	}
	if srv.Requests(rocketchattest.EndpointGet) != 1 {
		t.Error("a forgotten integration was not read again")
	}

	srv2 := rocketchattest.NewServer()
	defer srv2.Close()
	c2 := fakeClient(t, srv2, srv2.Admin(), false)
	ids2 := seedIntegrations(t, c2, 2, "f")
	srv2.Fail(rocketchattest.EndpointList, 1, rocketchattest.Fault{Status: 500, Body: `{"success":false,"error":"boom"}`})
	b2 := c2.NewBatchReader()
	for _, id := range ids2 {
		if _, err := b2.Get(context.Background(), id); err != nil {
			t.Fatalf("after a failed list: %v", err)
		}
	}
	if srv2.Requests(rocketchattest.EndpointGet) != 2 {
		t.Errorf("%d gets after the list failed, want 2", srv2.Requests(rocketchattest.EndpointGet))
	}
}
