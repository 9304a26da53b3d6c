package client

import (
	"context"
	"sync"
)

// BatchReader reads integrations for one Terraform run through shared
// integrations.list pages instead of one integrations.get per integration:
// refreshing N integrations then costs about N/100 calls instead of N, which
// matters under Rocket.Chat's rate limit of 10 calls per minute per
// endpoint.
//
// It stays correct where pages cannot help: an integration missing from the
// pages is read with get, which alone decides between "gone" and "not
// allowed"; a user who sees only their own integrations in the list still
// gets get's answer for the others. Get fetches pages only while they can pay
// off — never more pages than reads so far — so that a server with many
// integrations the run does not manage costs at most a page per read; All,
// which a plan that creates calls to find integrations of the same name,
// reads every page once for the run.
//
// Create one per run (per provider configuration) so that nothing older than
// the run is served, and tell it about writes (Put, Forget). It is safe for
// concurrent use.
type BatchReader struct {
	c *Client

	mu       sync.Mutex
	docs     map[string]Integration
	byName   map[nameKey]map[string]bool // IDs in docs by kind and name
	offset   int                         // of the next page
	complete bool                        // every page has been read
	failed   error                       // why listing failed; reads then fall back to get
	reads    int                         // Get calls so far
	pages    int                         // pages fetched so far
	fetching chan struct{}               // closed when the page being fetched has arrived
}

// NewBatchReader returns a reader for one run.
func (c *Client) NewBatchReader() *BatchReader {
	return &BatchReader{c: c, docs: map[string]Integration{}, byName: map[nameKey]map[string]bool{}}
}

type nameKey struct {
	kind IntegrationType
	name string
}

// store records doc with b.mu held.
func (b *BatchReader) store(doc *Integration) {
	b.drop(doc.ID)
	b.docs[doc.ID] = *doc
	key := nameKey{doc.Type, doc.Name}
	if b.byName[key] == nil {
		b.byName[key] = map[string]bool{}
	}
	b.byName[key][doc.ID] = true
}

// drop forgets the integration with the id with b.mu held.
func (b *BatchReader) drop(id string) {
	old, ok := b.docs[id]
	if !ok {
		return
	}
	delete(b.docs, id)
	key := nameKey{old.Type, old.Name}
	if delete(b.byName[key], id); len(b.byName[key]) == 0 {
		delete(b.byName, key)
	}
}

// Get returns the integration with the id, as GetIntegration would.
func (b *BatchReader) Get(ctx context.Context, id string) (*Integration, error) {
	b.mu.Lock()
	b.reads++
	for {
		if doc, ok := b.docs[id]; ok {
			b.mu.Unlock()
			return &doc, nil
		}
		if b.complete || b.failed != nil || b.pages >= b.reads {
			b.mu.Unlock()
			return b.get(ctx, id)
		}
		if err := b.nextPage(ctx); err != nil {
			return nil, err
		}
	}
}

// nextPage waits for the page being fetched, or fetches the next one, with
// b.mu held on entry and, unless it returns an error, on return.
func (b *BatchReader) nextPage(ctx context.Context) error {
	if b.fetching != nil {
		wait := b.fetching
		b.mu.Unlock()
		select {
		case <-wait:
		case <-ctx.Done():
			return ctx.Err()
		}
		b.mu.Lock()
		return nil
	}
	b.fetchPage(ctx) // releases and retakes the lock
	if err := ctx.Err(); err != nil {
		b.mu.Unlock()
		return err
	}
	return nil
}

// fetchPage reads the next page with b.mu held on entry and on return.
func (b *BatchReader) fetchPage(ctx context.Context) {
	done := make(chan struct{})
	b.fetching = done
	offset := b.offset
	b.mu.Unlock()

	page, err := b.c.ListIntegrations(ctx, ListOptions{Offset: offset, Count: listAllPageSize})

	b.mu.Lock()
	b.fetching = nil
	close(done)
	switch {
	case err != nil && ctx.Err() != nil:
		// Only this read was cancelled; another may fetch the page.
	case err != nil:
		// Listing is not possible (no permission to list, or the server
		// keeps failing): get still is.
		b.failed = err
		b.c.debug(ctx, "reading integrations one by one: listing them failed", map[string]any{"error": err.Error()})
	default:
		b.pages++
		for i := range page.Integrations {
			b.store(&page.Integrations[i])
		}
		b.offset += len(page.Integrations)
		b.complete = len(page.Integrations) == 0 || b.offset >= page.Total
	}
}

func (b *BatchReader) get(ctx context.Context, id string) (*Integration, error) {
	doc, err := b.c.GetIntegration(ctx, id)
	if err != nil {
		return nil, err
	}
	b.Put(doc)
	return doc, nil
}

// Put records an integration the run has just written (created or updated),
// so that later reads in the run see it as it is now.
func (b *BatchReader) Put(doc *Integration) {
	if doc == nil {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.store(doc)
}

// Forget drops an integration the run has just deleted.
func (b *BatchReader) Forget(id string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.drop(id)
}

// All returns every integration the caller can see, reading the pages not
// read yet; the run's other reads then find them there.
func (b *BatchReader) All(ctx context.Context) ([]Integration, error) {
	if err := b.readAll(ctx); err != nil {
		return nil, err
	}
	out := make([]Integration, 0, len(b.docs))
	for _, doc := range b.docs {
		out = append(out, doc)
	}
	b.mu.Unlock()
	return out, nil
}

// Named returns the integrations of a kind with a name, as All would list
// them. A plan calls it for every integration it creates, so it looks them
// up instead of going through every integration of the run.
func (b *BatchReader) Named(ctx context.Context, kind IntegrationType, name string) ([]Integration, error) {
	if err := b.readAll(ctx); err != nil {
		return nil, err
	}
	var out []Integration
	for id := range b.byName[nameKey{kind, name}] {
		out = append(out, b.docs[id])
	}
	b.mu.Unlock()
	return out, nil
}

// readAll reads every page not read yet; unless it returns an error, b.mu
// is held on return.
func (b *BatchReader) readAll(ctx context.Context) error {
	b.mu.Lock()
	for !b.complete {
		if err := b.failed; err != nil {
			b.mu.Unlock()
			return err
		}
		if err := b.nextPage(ctx); err != nil {
			return err
		}
	}
	return nil
}
