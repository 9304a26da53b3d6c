package client

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"
)

// serverClock follows the server's clock through the Date header of its
// answers, so that times the server wrote (such as _createdAt) can be
// compared with local times despite clock skew.
type serverClock struct {
	mu     sync.Mutex
	offset time.Duration // server time minus local time
	known  bool
}

func (sc *serverClock) observe(h http.Header, local time.Time) {
	date, err := http.ParseTime(h.Get("Date"))
	if err != nil {
		return
	}
	sc.mu.Lock()
	defer sc.mu.Unlock()
	// Date drops the fraction of a second: the server's time lies in
	// [date, date+1s); the middle is the best guess.
	sc.offset = date.Add(500 * time.Millisecond).Sub(local)
	sc.known = true
}

// ServerTime converts a local time to the server's clock, as far as the
// Date headers seen so far tell; without any, it returns local unchanged.
func (c *Client) ServerTime(local time.Time) time.Time {
	c.clock.mu.Lock()
	defer c.clock.mu.Unlock()
	if !c.clock.known {
		return local
	}
	return local.Add(c.clock.offset)
}

// FindCreated lists the integrations that a create with req may have made
// although its answer was lost (see IsOutcomeUnknown): integrations of the
// same kind and name, created by the client's user at or after since (server
// time), whose stored fields are what req asked for, leaving out those that
// taken says are accounted for already (nil: none). An outgoing request's
// token, unique per integration, makes the match certain.
func (c *Client) FindCreated(ctx context.Context, req IntegrationRequest, since time.Time, taken func(id string) bool) ([]Integration, error) {
	typ, err := requestType(req)
	if err != nil {
		return nil, err
	}
	base := req.Base()
	candidates, err := c.ListAllIntegrations(ctx, ListOptions{Name: base.Name, Type: typ})
	if err != nil {
		return nil, err
	}
	me := c.UserID()
	var found []Integration
	for _, in := range candidates {
		if in.Name != base.Name || in.Type != typ || in.Username != base.Username || in.CreatedAt.Before(since) {
			continue
		}
		if taken != nil && taken(in.ID) {
			continue
		}
		if me != "" && (in.CreatedBy == nil || in.CreatedBy.ID != me) {
			continue
		}
		if !matchesRequest(&in, req) {
			continue
		}
		found = append(found, in)
	}
	return found, nil
}

// matchesRequest compares what Rocket.Chat stores with what a request sent.
// Channels are compared as Rocket.Chat parses them; an outgoing event that
// does not use channels stores none.
func matchesRequest(in *Integration, req IntegrationRequest) bool {
	switch r := req.(type) {
	case *OutgoingIntegrationRequest:
		if r.Token != nil && in.Token != *r.Token {
			return false
		}
		if in.Event != r.Event || !slices.Equal(in.URLs, nonBlank(r.URLs)) {
			return false
		}
		return len(in.Channels) == 0 || slices.Equal(in.Channels, nonBlank(r.Channels))
	case *IncomingIntegrationRequest:
		return slices.Equal(in.Channels, nonBlank(r.Channels))
	case OutgoingIntegrationRequest:
		return matchesRequest(in, &r)
	case IncomingIntegrationRequest:
		return matchesRequest(in, &r)
	}
	return false
}

func nonBlank(items []string) []string {
	out := make([]string, 0, len(items))
	for _, s := range items {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}
