package client

import (
	"context"
	"fmt"
	"slices"
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

// TestBatchReaderNamed finds integrations by kind and name as All lists
// them, after pages, writes that rename and deletes.
func TestBatchReaderNamed(t *testing.T) {
	srv := rocketchattest.NewServer()
	defer srv.Close()
	c := fakeClient(t, srv, srv.Admin(), false)
	ids := seedIntegrations(t, c, 3, "n") // incoming "n 0", "n 1", "n 2"
	b := c.NewBatchReader()
	named := func(kind IntegrationType, name string) []string {
		t.Helper()
		found, err := b.Named(context.Background(), kind, name)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, in := range found {
			out = append(out, in.ID)
		}
		return out
	}
	for _, tc := range []struct {
		name  string
		write func()
		kind  IntegrationType
		find  string
		want  []string
	}{
		{name: "from the pages", kind: IncomingType, find: "n 1", want: ids[1:2]},
		{name: "another kind", kind: OutgoingType, find: "n 1"},
		{name: "renamed by a write", write: func() {
			b.Put(&Integration{ID: ids[0], Type: IncomingType, IntegrationBase: IntegrationBase{Name: "n 1"}})
		}, kind: IncomingType, find: "n 1", want: []string{ids[0], ids[1]}},
		{name: "the old name is gone", kind: IncomingType, find: "n 0"},
		{name: "deleted", write: func() { b.Forget(ids[1]) }, kind: IncomingType, find: "n 1", want: ids[0:1]},
	} {
		if tc.write != nil {
			tc.write()
		}
		got := named(tc.kind, tc.find)
		slices.Sort(got)
		want := slices.Clone(tc.want)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("%s: Named(%s, %q) = %v, want %v", tc.name, tc.kind, tc.find, got, want)
		}
	}
}

// BenchmarkBatchReaderNamed looks up the integrations of one name among a
// thousand, as the plan of each create does: Named against filtering All,
// which the plan did before.
func BenchmarkBatchReaderNamed(b *testing.B) {
	r := &BatchReader{docs: map[string]Integration{}, byName: map[nameKey]map[string]bool{}, complete: true}
	for i := range 1000 {
		r.store(&Integration{ID: fmt.Sprintf("%024d", i), Type: IncomingType, IntegrationBase: IntegrationBase{Name: fmt.Sprintf("n %d", i)}})
	}
	ctx := context.Background()
	b.Run("all-filtered", func(b *testing.B) {
		for range b.N {
			all, _ := r.All(ctx)
			var same []Integration
			for _, in := range all {
				if in.Type == IncomingType && in.Name == "n 500" {
					same = append(same, in)
				}
			}
			_ = same
		}
	})
	b.Run("named", func(b *testing.B) {
		for range b.N {
			_, _ = r.Named(ctx, IncomingType, "n 500")
		}
	})
}
