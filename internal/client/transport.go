package client

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"regexp"
	"sync/atomic"
	"syscall"
	"time"
)

// maxBodySize bounds how much of an answer is read.
const maxBodySize = 32 << 20

// call describes one REST call.
type call struct {
	method string
	path   string // e.g. "/api/v1/integrations.get"; also names the endpoint in errors and logs
	query  url.Values
	body   any
	auth   bool
	// repeatable means the server may receive the request twice without
	// harm. Creates are not: they are repeated only when the request
	// certainly did not reach the server.
	repeatable bool
}

type creds struct {
	userID, token string
	gen           uint64
}

// do runs a call with authentication, rate-limit pacing and retries, and
// decodes a successful answer into out (when out is not nil).
func (c *Client) do(ctx context.Context, cl call, out any) error {
	var body []byte
	if cl.body != nil {
		var b bytes.Buffer
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(cl.body); err != nil {
			return fmt.Errorf("encoding the body of %s %s: %w", cl.method, cl.path, err)
		}
		body = bytes.TrimSuffix(b.Bytes(), []byte("\n"))
		c.secrets.add(scanTokens(body)...)
	}
	start := c.now()
	deadline := start.Add(c.retry.MaxElapsed)
	relogged := false
	for {
		var cr creds
		if cl.auth {
			var err error
			if cr, err = c.credentials(ctx); err != nil {
				return err
			}
		}
		err := c.send(ctx, &cl, body, cr, start, deadline, out)
		if cl.auth && c.fixedToken == "" && !relogged && IsUnauthorized(err) {
			// Login tokens can be revoked or expire: log in again once. The
			// server checks credentials before anything else, so even a
			// create can be sent again.
			relogged = true
			c.warn(ctx, "Rocket.Chat rejected the login token; logging in again", map[string]any{
				"method": cl.method, "endpoint": cl.path,
			})
			c.dropToken(cr.gen)
			continue
		}
		return err
	}
}

// attemptResult is what one HTTP exchange produced.
type attemptResult struct {
	status int
	header http.Header
	body   []byte

	err       error // no complete answer
	connected bool  // a connection to the server was obtained
	written   bool  // the whole request was written
	timedOut  bool  // the per-attempt timeout ended it
}

// send runs the attempts of one call with one set of credentials.
func (c *Client) send(ctx context.Context, cl *call, body []byte, cr creds, start, deadline time.Time, out any) error {
	key := cl.method + " " + cl.path
	failures := 0 // attempts that failed with a 5xx or a connection error
	attempts := 0
	hintless := 0 // 429 answers without a usable wait
	giveUp := func(err error, reason string) error {
		if attempts <= 1 && reason == "" {
			return err
		}
		return &gaveUpError{err: err, attempts: attempts, elapsed: c.now().Sub(start), reason: reason}
	}
	for {
		release, err := c.acquire(ctx, cl.method, cl.path, deadline)
		if err != nil {
			if ctx.Err() != nil {
				return fmt.Errorf("%s %s: waiting for the rate-limit window to reset: %w", cl.method, cl.path, err)
			}
			return err
		}
		timeout := c.timeout
		if left := deadline.Sub(c.now()); left < timeout {
			timeout = left
		}
		if timeout <= 0 {
			return fmt.Errorf("%s %s: no time left for an attempt (RetryPolicy.MaxElapsed %s)", cl.method, cl.path, c.retry.MaxElapsed)
		}
		attempts++
		c.debug(ctx, "sending Rocket.Chat request", map[string]any{"method": cl.method, "endpoint": cl.path, "attempt": attempts})
		began := c.now()
		res := c.attempt(ctx, cl, body, cr, timeout)
		switch {
		case res.err != nil:
			release(nil)
		case res.status != http.StatusTooManyRequests:
			release(res.header)
		} // a 429 is released below, once the endpoint is held

		if res.err != nil {
			terr := c.transportError(ctx, cl, &res, timeout)
			c.debug(ctx, "Rocket.Chat request failed", map[string]any{
				"method": cl.method, "endpoint": cl.path, "attempt": attempts,
				"error": terr.Error(), "duration_ms": c.now().Sub(began).Milliseconds(),
			})
			if ctx.Err() != nil {
				return c.outcome(cl, &res, terr)
			}
			if (!cl.repeatable && !neverSent(&res)) || !retryableTransport(&res) {
				return c.outcome(cl, &res, terr)
			}
			failures++
			if failures >= c.retry.MaxAttempts {
				return giveUp(c.outcome(cl, &res, terr), "")
			}
			if err := c.backoffWait(ctx, cl, failures, 0, deadline, terr.Error()); err != nil {
				if errors.Is(err, errNoBudget) {
					return giveUp(c.outcome(cl, &res, terr), "RetryPolicy.MaxElapsed reached")
				}
				return err
			}
			continue
		}

		c.debug(ctx, "Rocket.Chat answered", map[string]any{
			"method": cl.method, "endpoint": cl.path, "attempt": attempts,
			"status": res.status, "duration_ms": c.now().Sub(began).Milliseconds(),
		})
		c.secrets.add(scanTokens(res.body)...)
		c.clock.observe(res.header, c.now())

		switch {
		case res.status >= 200 && res.status < 300:
			err := c.decode(cl, &res, out)
			if err != nil && !cl.repeatable {
				// The server acted but its answer cannot be read.
				return &outcomeUnknownError{method: cl.method, endpoint: cl.path, err: err}
			}
			return err

		case res.status == http.StatusTooManyRequests:
			// The limiter answers before the handler runs, so nothing was done
			// and any call, a create included, may be sent again.
			apiErr := newAPIError(cl.method, cl.path, res.status, res.header, res.body, c.secrets)
			wait, ok := tooManyRequestsWait(res.header, res.body, c.now())
			if !ok {
				hintless++
				wait = c.backoff(hintless)
			}
			// A hint of "0 seconds" must not turn into a burst of requests.
			wait = max(wait, c.retry.MinBackoff)
			// Other calls to this endpoint wait as well: the hold is in place
			// before the release wakes those that waited for this answer.
			c.limits.hold(key, c.now().Add(wait), res.header.Get("X-RateLimit-Limit"))
			release(nil)
			if c.now().Add(wait).After(deadline) {
				return giveUp(apiErr, fmt.Sprintf("the rate-limit window ends in %s, later than RetryPolicy.MaxElapsed allows", wait.Round(time.Second)))
			}
			continue

		case res.status == http.StatusBadGateway || res.status == http.StatusServiceUnavailable || res.status == http.StatusGatewayTimeout:
			apiErr := newAPIError(cl.method, cl.path, res.status, res.header, res.body, c.secrets)
			if !cl.repeatable {
				// A gateway error says nothing about whether the server acted.
				return &outcomeUnknownError{method: cl.method, endpoint: cl.path, err: apiErr}
			}
			failures++
			if failures >= c.retry.MaxAttempts {
				return giveUp(apiErr, "")
			}
			ra, _ := retryAfterWait(res.header, c.now())
			if err := c.backoffWait(ctx, cl, failures, ra, deadline, fmt.Sprintf("HTTP %d", res.status)); err != nil {
				if errors.Is(err, errNoBudget) {
					return giveUp(apiErr, "RetryPolicy.MaxElapsed reached")
				}
				return err
			}
			continue

		default:
			// Other answers, 500 included (Rocket.Chat's 500s come from
			// handler errors that a second try repeats), are final.
			apiErr := newAPIError(cl.method, cl.path, res.status, res.header, res.body, c.secrets)
			if res.status >= 500 && !cl.repeatable {
				return &outcomeUnknownError{method: cl.method, endpoint: cl.path, err: apiErr}
			}
			return apiErr
		}
	}
}

var errNoBudget = errors.New("no time left for another attempt")

// backoffWait sleeps before retry number n (1 for the first retry): capped
// exponential backoff with full jitter above MinBackoff, at least atLeast.
func (c *Client) backoffWait(ctx context.Context, cl *call, n int, atLeast time.Duration, deadline time.Time, reason string) error {
	wait := c.backoff(n)
	if atLeast > wait {
		wait = atLeast
	}
	if c.now().Add(wait).After(deadline) {
		return errNoBudget
	}
	c.warn(ctx, "retrying Rocket.Chat request", map[string]any{
		"method": cl.method, "endpoint": cl.path, "retry": n, "wait": wait.String(), "reason": reason,
	})
	if err := c.sleep(ctx, wait); err != nil {
		return fmt.Errorf("%s %s: waiting to retry after %s: %w", cl.method, cl.path, reason, err)
	}
	return nil
}

func (c *Client) backoff(n int) time.Duration {
	ceil := c.retry.MinBackoff
	for i := 1; i < n && ceil < c.retry.MaxBackoff; i++ {
		ceil *= 2
	}
	if ceil > c.retry.MaxBackoff {
		ceil = c.retry.MaxBackoff
	}
	return c.retry.MinBackoff + c.jitter(ceil-c.retry.MinBackoff)
}

// attempt performs one HTTP exchange.
func (c *Client) attempt(ctx context.Context, cl *call, body []byte, cr creds, timeout time.Duration) attemptResult {
	if err := ctx.Err(); err != nil {
		return attemptResult{err: err} // never sent
	}
	reqCtx := ctx
	if !cl.repeatable {
		// A create that is under way runs to its end (within the timeout)
		// even when the caller gives up, e.g. on Ctrl-C: abandoning it
		// could leave an integration that Rocket.Chat made and nobody
		// records. Waits before sending still end with the caller.
		reqCtx = context.WithoutCancel(ctx)
	}
	actx, cancel := context.WithTimeout(reqCtx, timeout)
	defer cancel()
	var connected, written atomic.Bool
	actx = httptrace.WithClientTrace(actx, &httptrace.ClientTrace{
		GotConn: func(httptrace.GotConnInfo) { connected.Store(true) },
		WroteRequest: func(i httptrace.WroteRequestInfo) {
			if i.Err == nil {
				written.Store(true)
			}
		},
	})
	u := c.baseURL + cl.path
	if len(cl.query) > 0 {
		u += "?" + cl.query.Encode()
	}
	var rdr io.Reader
	if body != nil {
		rdr = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(actx, cl.method, u, rdr)
	if err != nil {
		return attemptResult{err: err}
	}
	for name, values := range c.headers {
		req.Header[name] = values
	}
	req.Header.Set("User-Agent", c.userAgent)
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if cl.auth {
		req.Header.Set("X-User-Id", cr.userID)
		req.Header.Set("X-Auth-Token", cr.token)
	}
	resp, err := c.httpClient.Do(req)
	res := attemptResult{}
	finish := func(err error) attemptResult {
		res.err = err
		res.connected = connected.Load()
		res.written = written.Load()
		res.timedOut = ctx.Err() == nil && errors.Is(actx.Err(), context.DeadlineExceeded)
		return res
	}
	if err != nil {
		return finish(err)
	}
	defer resp.Body.Close()
	res.status = resp.StatusCode
	res.header = resp.Header
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxBodySize+1))
	if err != nil {
		return finish(fmt.Errorf("reading the answer (HTTP %d): %w", resp.StatusCode, err))
	}
	if len(data) > maxBodySize {
		return finish(fmt.Errorf("the answer (HTTP %d) is larger than %d MiB", resp.StatusCode, maxBodySize>>20))
	}
	res.body = data
	return finish(nil)
}

// neverSent reports whether the request certainly did not reach the server:
// no connection was made, or dialling failed before anything was written.
func neverSent(r *attemptResult) bool {
	if r.written {
		return false
	}
	return !r.connected || isDialError(r.err)
}

func isDialError(err error) bool {
	var op *net.OpError
	return errors.As(err, &op) && op.Op == "dial"
}

// retryableTransport reports whether a failed exchange is worth another try:
// connection refused, reset or closed early, or a timeout of the attempt.
// Certificate errors, unknown hosts and other lasting problems are not.
func retryableTransport(r *attemptResult) bool {
	if r.timedOut {
		return true
	}
	err := r.err
	var dns *net.DNSError
	if errors.As(err, &dns) {
		return dns.IsTimeout || dns.IsTemporary
	}
	if isDialError(err) {
		return true
	}
	for _, target := range []error{io.EOF, io.ErrUnexpectedEOF, syscall.ECONNRESET, syscall.ECONNREFUSED, syscall.ECONNABORTED, syscall.EPIPE} {
		if errors.Is(err, target) {
			return true
		}
	}
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// transportError describes a failed exchange without secrets.
func (c *Client) transportError(ctx context.Context, cl *call, r *attemptResult, timeout time.Duration) *TransportError {
	e := &TransportError{Method: cl.method, Endpoint: cl.path, Err: r.err}
	if r.timedOut {
		e.Timeout = timeout
	}
	inner := r.err
	var ue *url.Error
	if errors.As(inner, &ue) {
		// url.Error repeats the whole URL; the endpoint is named already.
		inner = ue.Err
	}
	switch {
	case errors.Is(r.err, context.Canceled) && ctx.Err() != nil:
		e.msg = "the operation was cancelled (" + context.Canceled.Error() + ")"
	case errors.Is(r.err, context.DeadlineExceeded) && ctx.Err() != nil:
		e.msg = "the operation's deadline passed (" + context.DeadlineExceeded.Error() + ")"
	default:
		e.msg = inner.Error()
		if typed := classifyNetworkError(r.err); typed != nil {
			e.Err = typed
			e.msg = typed.Error()
		}
	}
	e.msg = c.secrets.redact(e.msg)
	return e
}

// outcome marks a failed create as "outcome unknown" when its request may
// have reached the server.
func (c *Client) outcome(cl *call, r *attemptResult, err error) error {
	if cl.repeatable || neverSent(r) {
		return err
	}
	return &outcomeUnknownError{method: cl.method, endpoint: cl.path, err: err}
}

// decode reads a 2xx answer. Rocket.Chat can report a failure with a 2xx
// status ("success": false, or "status": "error" without "success").
func (c *Client) decode(cl *call, r *attemptResult, out any) error {
	trimmed := bytes.TrimSpace(r.body)
	var env struct {
		Success *bool           `json:"success"`
		Status  json.RawMessage `json:"status"`
	}
	if len(trimmed) == 0 || !json.Valid(trimmed) {
		return newAPIError(cl.method, cl.path, r.status, r.header, r.body, c.secrets)
	}
	if err := json.Unmarshal(trimmed, &env); err != nil {
		return fmt.Errorf("Rocket.Chat answered %s %s with HTTP %d, but the answer is not a JSON object", cl.method, cl.path, r.status)
	}
	if (env.Success != nil && !*env.Success) || (env.Success == nil && rawText(env.Status) == "error") {
		return newAPIError(cl.method, cl.path, r.status, r.header, r.body, c.secrets)
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(trimmed, out); err != nil {
		return fmt.Errorf("Rocket.Chat answered %s %s with HTTP %d, but the answer could not be read: %s",
			cl.method, cl.path, r.status, c.secrets.redact(err.Error()))
	}
	return nil
}

// tokenFieldRE finds token values in JSON bodies, including one cut off by
// the end of a truncated body, so that they can be redacted from errors.
var tokenFieldRE = regexp.MustCompile(`"(?:token|authToken)"\s*:\s*"((?:[^"\\]|\\.)*)("|$)`)

func scanTokens(body []byte) []string {
	var out []string
	for _, m := range tokenFieldRE.FindAllSubmatch(body, -1) {
		raw := m[1]
		var s string
		if json.Unmarshal([]byte(`"`+string(raw)+`"`), &s) == nil {
			out = append(out, s)
		} else {
			out = append(out, string(raw))
		}
	}
	return out
}
