package rocketchattest

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"mime"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Outgoing integrations fire as in Rocket.Chat's triggerHandler.ts (SPEC.md
// §O2–§O4): a saved message picks the integrations it triggers; each URL of
// each gets a history document and, without making the poster wait, a JSON
// POST whose answer may be posted back into the room, with retries.

// outgoingUserAgent is the User-Agent Rocket.Chat's prepareOutgoingRequest sets.
const outgoingUserAgent = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/41.0.2227.0 Safari/537.36"

// outgoingCallTimeout bounds a call whose request sets no timeout. Rocket.Chat
// sets none of its own; a test server must not hang on a silent receiver.
const outgoingCallTimeout = 30 * time.Second

// successStatuses are triggerHandler's successResults.
var successStatuses = []int{200, 201, 202}

// WithOutgoingHosts lets outgoing integrations call these hosts (a host name
// or address, or host:port) besides loopback addresses, which are always allowed.
func WithOutgoingHosts(hosts ...string) Option {
	return func(c *config) {
		for _, h := range hosts {
			if h = strings.ToLower(strings.TrimSpace(h)); h != "" {
				c.outgoingHosts = append(c.outgoingHosts, h)
			}
		}
	}
}

// WithAnyOutgoingHost lets outgoing integrations call any address, as
// Rocket.Chat does. By default they may call only loopback addresses.
func WithAnyOutgoingHost() Option { return func(c *config) { c.anyOutgoingHost = true } }

// WithRetrySleep replaces how the server waits before retrying a failed
// outgoing call (default: a timer). sleep must return early with an error
// when ctx is done; a test can record d and return at once.
func WithRetrySleep(sleep func(ctx context.Context, d time.Duration) error) Option {
	return func(c *config) { c.retrySleep = sleep }
}

func sleepContext(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (s *Server) initOutgoing() {
	s.outCtx, s.outCancel = context.WithCancel(context.Background())
	s.outIdle = make(chan struct{})
	close(s.outIdle)
	dialer := &net.Dialer{Timeout: 10 * time.Second, Control: s.checkDialAddress}
	s.outClient = &http.Client{
		Timeout: outgoingCallTimeout,
		Transport: &http.Transport{
			DialContext:       dialer.DialContext,
			DisableKeepAlives: true,
			Proxy:             nil, // a proxy would hide where the call goes
		},
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) >= 10 {
				return errors.New("stopped after 10 redirects")
			}
			return s.checkOutgoingURL(req.URL)
		},
	}
}

// WaitOutgoing returns when no outgoing call, reply or retry is under way,
// or with ctx's error.
func (s *Server) WaitOutgoing(ctx context.Context) error {
	for {
		s.outMu.Lock()
		idle := s.outIdle
		s.outMu.Unlock()
		select {
		case <-idle:
			// A delivery may have started another one (a reply firing an
			// integration) just before finishing; look again.
			s.outMu.Lock()
			done := s.inFlight == 0
			s.outMu.Unlock()
			if done {
				return nil
			}
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

func (s *Server) stopOutgoing() {
	s.outMu.Lock()
	s.outClosed = true
	idle := s.outIdle
	s.outMu.Unlock()
	s.outCancel()
	<-idle
}

// goDeliver runs f in its own goroutine, counted as in flight; it does
// nothing once the server is closing.
func (s *Server) goDeliver(f func()) {
	s.outMu.Lock()
	defer s.outMu.Unlock()
	if s.outClosed {
		return
	}
	if s.inFlight == 0 {
		s.outIdle = make(chan struct{})
	}
	s.inFlight++
	go func() {
		defer func() {
			s.outMu.Lock()
			defer s.outMu.Unlock()
			if s.inFlight--; s.inFlight == 0 {
				close(s.outIdle)
			}
		}()
		f()
	}()
}

// errOutgoingRefused is why a call to a host that is not allowed is not made.
var errOutgoingRefused = errors.New("not a loopback address")

// checkOutgoingURL refuses a URL whose host is neither loopback nor allowed.
// The error names only the host: a URL may carry a secret.
func (s *Server) checkOutgoingURL(u *url.URL) error {
	if u.Scheme != "http" && u.Scheme != "https" {
		return fmt.Errorf("rocketchattest: unsupported protocol scheme %q", u.Scheme)
	}
	if s.outgoingHostAllowed(u.Hostname(), u.Host) {
		return nil
	}
	return fmt.Errorf("rocketchattest: refusing to call %s: %w; allow it with WithOutgoingHosts or WithAnyOutgoingHost, or the program flag -allow-outgoing",
		u.Hostname(), errOutgoingRefused)
}

func (s *Server) outgoingHostAllowed(hostname, hostPort string) bool {
	if s.cfg.anyOutgoingHost {
		return true
	}
	hostname, hostPort = strings.ToLower(hostname), strings.ToLower(hostPort)
	if hostname == "localhost" || slices.Contains(s.cfg.outgoingHosts, hostname) || slices.Contains(s.cfg.outgoingHosts, hostPort) {
		return true
	}
	ip := net.ParseIP(hostname)
	return ip != nil && ip.IsLoopback()
}

// checkDialAddress makes sure that a name allowed as loopback ("localhost")
// resolves to a loopback address.
func (s *Server) checkDialAddress(_, address string, _ syscall.RawConn) error {
	if s.cfg.anyOutgoingHost || len(s.cfg.outgoingHosts) > 0 {
		return nil
	}
	host, _, err := net.SplitHostPort(address)
	if err != nil {
		return err
	}
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("rocketchattest: refusing to connect to %s: %w", host, errOutgoingRefused)
	}
	return nil
}

// triggersFor is getTriggersToExecute plus executeTriggers' filter, with
// s.mu held: the enabled sendMessage integrations whose channels name the
// message's room, in the order they were stored.
func (s *Server) triggersFor(rm *room, msg Message) []map[string]any {
	keys := map[string]bool{}
	switch rm.typ {
	case "d":
		keys["all_direct_messages"] = true
		for id := range rm.members {
			keys["@"+id] = true
			if u := s.st.users[id]; u != nil && u.username != msg.User["username"] {
				keys["@"+u.username] = true
			}
		}
	case "c":
		keys["all_public_channels"] = true
		keys["#"+rm.id] = true
		keys["#"+rm.name] = true
	default:
		keys["all_private_groups"] = true
		keys["#"+rm.id] = true
		keys["#"+rm.name] = true
	}
	var out []map[string]any
	for _, id := range s.st.order {
		doc := s.st.integrations[id]
		if doc["type"] != typeOutgoing || doc["enabled"] != true || doc["event"] != "sendMessage" {
			continue
		}
		if slices.ContainsFunc(triggerChannels(doc), func(ch string) bool { return keys[ch] }) {
			out = append(out, doc)
		}
	}
	return out
}

// triggerChannels is where addIntegration files an integration: its
// channels, or all_public_channels when it has none.
func triggerChannels(doc map[string]any) []string {
	var out []string
	switch ch := doc["channel"].(type) {
	case string:
		if ch != "" {
			out = []string{ch}
		}
	case []any:
		for _, c := range ch {
			if s, ok := c.(string); ok {
				out = append(out, s)
			}
		}
	}
	if len(out) == 0 {
		return []string{"all_public_channels"}
	}
	return out
}

// fireOutgoingLocked is executeTriggers for the sendMessage event, with s.mu held.
func (s *Server) fireOutgoingLocked(msg Message, rm *room) {
	for _, doc := range s.triggersFor(rm, msg) {
		trigger := deepCopy(doc).(map[string]any)
		urls, _ := stringArray(trigger["urls"])
		for _, u := range urls {
			s.startTriggerURLLocked(&outgoingRun{trigger: trigger, url: u, msg: msg, roomID: rm.id, roomType: rm.typ}, 0)
		}
	}
}

// outgoingRun is one execution of an integration for one URL.
type outgoingRun struct {
	trigger   map[string]any // the integration as it was when the message fired it
	url       string
	msg       Message
	roomID    string
	roomType  string
	tries     int
	historyID string
	data      map[string]any
}

func (r *outgoingRun) integrationID() string { id, _ := r.trigger["_id"].(string); return id }

// startTriggerURLLocked is the part of executeTriggerUrl Rocket.Chat runs
// before the poster gets its answer, with s.mu held: the enabled check, the
// trigger words, the history document and the payload. The rest runs in
// the background.
func (s *Server) startTriggerURLLocked(base *outgoingRun, tries int) {
	run := *base
	run.tries = tries
	if current := s.st.integrations[run.integrationID()]; current == nil || current["enabled"] != true {
		return
	}
	word, ok := triggerWordOf(run.trigger, run.msg.Text)
	if !ok {
		return
	}
	run.historyID = s.insertHistoryLocked(run.trigger, "sendMessage")
	run.data = s.outgoingData(&run, word)
	fields := map[string]any{"data": deepCopy(run.data)}
	if word != "" {
		fields["triggerWord"] = word
	}
	s.updateHistoryLocked(run.historyID, "mapped-args-to-data", fields)
	s.goDeliver(func() { s.deliver(&run) })
}

// triggerWordOf finds the first trigger word the text starts with (or
// contains, with triggerWordAnywhere); ok is false when the integration has
// trigger words and none matches.
func triggerWordOf(trigger map[string]any, text string) (word string, ok bool) {
	words, _ := stringArray(trigger["triggerWords"])
	if len(words) == 0 {
		return "", true
	}
	anywhere := truthy(trigger["triggerWordAnywhere"])
	for _, w := range words {
		if (!anywhere && strings.HasPrefix(text, w)) || (anywhere && strings.Contains(text, w)) {
			return w, true
		}
	}
	return "", false
}

// outgoingData is mapEventArgsToData for sendMessage: the JSON body.
func (s *Server) outgoingData(run *outgoingRun, word string) map[string]any {
	data := map[string]any{"bot": false}
	if tok, ok := run.trigger["token"]; ok && tok != nil {
		data["token"] = tok
	}
	if word != "" {
		data["trigger_word"] = word
	}
	data["channel_id"] = run.roomID
	if rm := s.st.rooms[run.roomID]; rm != nil && rm.typ != "d" {
		data["channel_name"] = rm.name // direct rooms have no name
	}
	m := run.msg
	data["message_id"] = m.ID
	data["timestamp"] = isoDate(m.Timestamp)
	data["user_id"] = m.User["_id"]
	data["user_name"] = m.User["username"]
	data["text"] = m.Text
	data["siteUrl"] = s.settingLocked("Site_Url")
	if m.Alias != "" {
		data["alias"] = m.Alias
	}
	if m.Bot != nil {
		data["bot"] = true
	}
	if m.Tmid != "" {
		data["tmid"] = m.Tmid
	}
	return data
}

func (s *Server) settingLocked(id string) any {
	for _, st := range s.st.settings {
		if st.id == id {
			return st.value
		}
	}
	return nil
}

// insertHistoryLocked is updateHistory without a historyId: a new document
// holding the whole integration.
func (s *Server) insertHistoryLocked(trigger map[string]any, event string) string {
	now := isoDate(s.now())
	h := map[string]any{
		"_id": meteorID(), "type": "outgoing-webhook", "step": "start-execute-trigger-url",
		"integration": deepCopy(trigger), "event": event, "_createdAt": now, "_updatedAt": now,
	}
	s.st.history = append(s.st.history, h)
	return h["_id"].(string)
}

// updateHistoryLocked is updateHistory with a historyId: it sets step and
// fields on the document, if it still exists.
func (s *Server) updateHistoryLocked(id, step string, fields map[string]any) {
	for _, h := range s.st.history {
		if h["_id"] == id {
			h["step"] = step
			for k, v := range fields {
				h[k] = v
			}
			h["_updatedAt"] = isoDate(s.now())
			return
		}
	}
}

func (s *Server) updateHistory(id, step string, fields map[string]any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.updateHistoryLocked(id, step, fields)
}

// outgoingRequest is what prepare_outgoing_request returned, or the default.
type outgoingRequest struct {
	value   map[string]any // the whole object, as process_outgoing_response sees it
	url     string
	method  string
	headers map[string]any
	data    any
}

// deliver is the rest of executeTriggerUrl, without s.mu held: the prepare
// script, the call, the answer, the reply and a retry.
func (s *Server) deliver(run *outgoingRun) {
	req, ok := s.prepareRequest(run)
	if !ok {
		return
	}
	target, err := url.Parse(req.url)
	if err == nil {
		err = s.checkOutgoingURL(target)
	}
	if err != nil {
		s.callFailed(run, err)
		return
	}
	status, header, content, err := s.call(req)
	if err != nil {
		s.callFailed(run, err)
		return
	}
	s.updateHistory(run.historyID, "after-http-call", map[string]any{"httpResult": jsonStringify(content)})
	if err := s.processResponse(run, req, status, header, content); err != nil {
		s.callFailed(run, err)
	}
}

// prepareRequest runs prepare_outgoing_request; ok is false when the run ends there.
func (s *Server) prepareRequest(run *outgoingRun) (outgoingRequest, bool) {
	request := map[string]any{
		"params": map[string]any{}, "method": "POST", "url": run.url, "data": deepCopy(run.data),
		"headers": map[string]any{"User-Agent": outgoingUserAgent},
	}
	var opts any = request
	if result, ran := s.runOutgoingScript(run, "prepare_outgoing_request", map[string]any{"request": request}); ran {
		opts = result
	}
	s.updateHistory(run.historyID, "after-maybe-ran-prepare", map[string]any{"ranPrepareScript": true})
	if !truthy(opts) {
		s.updateHistory(run.historyID, "after-prepare-no-opts", map[string]any{"finished": true})
		return outgoingRequest{}, false
	}
	o, _ := opts.(map[string]any)
	if truthy(o["message"]) {
		sent, fail := s.sendReply(run, o["message"])
		if fail != nil {
			// Rocket.Chat's executeTriggerUrl throws here, outside any step.
			return outgoingRequest{}, false
		}
		if sent == nil {
			s.updateHistory(run.historyID, "after-prepare-send-message-failed", map[string]any{"finished": true})
			return outgoingRequest{}, false
		}
		s.updateHistory(run.historyID, "after-prepare-send-message", map[string]any{"prepareSentMessage": sent})
	}
	req := outgoingRequest{value: o, data: o["data"]}
	req.url, _ = o["url"].(string)
	req.method, _ = o["method"].(string)
	if req.url == "" || req.method == "" {
		s.updateHistory(run.historyID, "after-prepare-no-url_or_method", map[string]any{"finished": true})
		return outgoingRequest{}, false
	}
	// Rocket.Chat sets Authorization and Content-Type on the script's own
	// headers object, so process_outgoing_response sees them there. Without
	// such an object (or with an auth that is not "user:pass") it throws a
	// TypeError outside any step: the run ends without a call.
	req.headers, _ = o["headers"].(map[string]any)
	if auth := o["auth"]; truthy(auth) {
		text, isString := auth.(string)
		if !isString || !strings.Contains(text, ":") || req.headers == nil {
			return outgoingRequest{}, false
		}
		req.headers["Authorization"] = "Basic " + base64.StdEncoding.EncodeToString([]byte(text))
	}
	fields := map[string]any{"url": req.url}
	if _, ok := o["data"]; ok {
		fields["httpCallData"] = deepCopy(o["data"])
	}
	s.updateHistory(run.historyID, "pre-http-call", fields)
	if truthy(req.data) {
		if req.headers == nil {
			return outgoingRequest{}, false
		}
		req.headers["Content-Type"] = "application/json"
	}
	return req, true
}

// runOutgoingScript is hasScriptAndMethod then executeOutgoingScript: ran
// is false when there is no valid script, no such method, or a Script that
// cannot be made (hasScriptAndMethod suppresses that error, so the run goes
// on as without a script). A method that throws is recorded in history and
// its result is undefined (nil). executeOutgoingScript's own steps for a
// missing script or method cannot follow a successful hasScriptAndMethod:
// the instance it made is the cached one.
func (s *Server) runOutgoingScript(run *outgoingRun, method string, params map[string]any) (result any, ran bool) {
	doc := deepCopy(run.trigger).(map[string]any)
	if !hasValidScript(doc) {
		return nil, false
	}
	inst, err := s.scriptFor(doc)
	if err != nil || inst.functions[method] == nil {
		return nil, false
	}
	s.updateHistory(run.historyID, "execute-script-before-running-"+method, nil)
	result, err = inst.call(method, params, s.scriptTimeout())
	if err != nil {
		s.updateHistory(run.historyID, "execute-script-error-running-"+method, map[string]any{"error": true, "errorStack": indentedStack(err)})
		return nil, true
	}
	return result, true
}

// indentedStack is err.stack.replace(/^/gm, '  ') of a method's error. The
// stack here is its first line, "Name: message": goja's frames would not
// be isolated-vm's.
func indentedStack(err error) string {
	stack := strings.TrimPrefix(err.Error(), errScriptRunning.Error()+": ")
	return "  " + strings.ReplaceAll(stack, "\n", "\n  ")
}

// call makes the HTTP request; its context ends with the server.
func (s *Server) call(req outgoingRequest) (status int, header http.Header, content string, err error) {
	var body io.Reader
	if truthy(req.data) {
		if text, ok := req.data.(string); ok {
			body = strings.NewReader(text)
		} else {
			encoded, err := json.Marshal(jsonSafe(req.data))
			if err != nil {
				return 0, nil, "", err
			}
			body = bytes.NewReader(encoded)
		}
	}
	ctx := s.outCtx
	if ms, ok := req.value["timeout"].(float64); ok && ms > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, time.Duration(ms)*time.Millisecond)
		defer cancel()
	}
	httpReq, err := http.NewRequestWithContext(ctx, strings.ToUpper(req.method), req.url, body)
	if err != nil {
		return 0, nil, "", err
	}
	for k, v := range req.headers {
		if text, ok := v.(string); ok {
			httpReq.Header.Set(k, text)
		}
	}
	res, err := s.outClient.Do(httpReq)
	if err != nil {
		return 0, nil, "", err
	}
	defer func() { _ = res.Body.Close() }()
	data, err := io.ReadAll(io.LimitReader(res.Body, 10<<20))
	if err != nil {
		return 0, nil, "", err
	}
	return res.StatusCode, res.Header, string(data), nil
}

// callFailed is the fetch promise's catch: the error is recorded and
// nothing is retried.
func (s *Server) callFailed(run *outgoingRun, err error) {
	s.updateHistory(run.historyID, "after-http-call", map[string]any{
		"httpError":  map[string]any{"message": redactURLError(err)},
		"httpResult": jsonStringify(nil),
	})
}

// redactURLError keeps a URL, which may carry a secret, out of an error text.
func redactURLError(err error) string {
	var urlErr *url.Error
	if errors.As(err, &urlErr) {
		return urlErr.Op + ": " + urlErr.Err.Error()
	}
	return err.Error()
}

// processResponse is the fetch promise's then: the response script, the
// reply, and the handling of failures and retries. An error is what the
// promise's catch then records.
func (s *Server) processResponse(run *outgoingRun, req outgoingRequest, status int, header http.Header, content string) error {
	var parsed map[string]any
	if mt, _, _ := mime.ParseMediaType(header.Get("Content-Type")); slices.Contains(
		[]string{"application/json", "text/javascript", "application/javascript", "application/x-javascript"}, mt) {
		_ = json.Unmarshal([]byte(content), &parsed)
	}

	var responseContent any
	headers := map[string]any{}
	for k, vs := range header {
		headers[strings.ToLower(k)] = strings.Join(vs, ", ")
	}
	sandbox := map[string]any{
		"request": deepCopy(req.value),
		"response": map[string]any{
			"error": nil, "status_code": float64(status), "content": content, "content_raw": content, "headers": headers,
		},
	}
	if result, ran := s.runOutgoingScript(run, "process_outgoing_response", sandbox); ran {
		if result == false {
			responseContent = false
		} else if m, ok := result.(map[string]any); ok && truthy(m["content"]) {
			responseContent = m["content"]
		}
	}

	if truthy(responseContent) {
		return s.replyFinishing(run, responseContent, "after-process-send-message", "after-process-send-message-failed", "processSentMessage")
	}
	if responseContent == false {
		s.updateHistory(run.historyID, "after-process-false-result", map[string]any{"finished": true})
		return nil
	}

	if content == "" || !slices.Contains(successStatuses, status) {
		if content != "" {
			switch status {
			case http.StatusGone:
				s.mu.Lock()
				s.updateHistoryLocked(run.historyID, "after-process-http-status-410", map[string]any{"error": true})
				if doc := s.st.integrations[run.integrationID()]; doc != nil {
					doc["enabled"] = false
					doc["_updatedAt"] = isoDate(s.now())
				}
				s.mu.Unlock()
				return nil
			case http.StatusInternalServerError:
				s.updateHistory(run.historyID, "after-process-http-status-500", map[string]any{"error": true})
				return nil
			}
		}
		s.retryOrGiveUp(run)
		return nil
	}

	if truthy(parsed["text"]) || truthy(parsed["attachments"]) {
		return s.replyFinishing(run, parsed, "url-response-sent-message", "after-http-call-send-message-failed", "resultMessage")
	}
	return nil
}

// replyFinishing posts a reply and finishes the run's history: sentStep with
// the sent message under field, or failedStep when nothing could be posted.
// A failure processWebhookMessage threw is returned.
func (s *Server) replyFinishing(run *outgoingRun, message any, sentStep, failedStep, field string) error {
	sent, fail := s.sendReply(run, message)
	if fail != nil {
		return fail
	}
	if sent == nil {
		s.updateHistory(run.historyID, failedStep, map[string]any{"finished": true})
		return nil
	}
	s.updateHistory(run.historyID, sentStep, map[string]any{field: sent, "finished": true})
	return nil
}

// retryOrGiveUp applies retryFailedCalls, retryCount and retryDelay after a
// failed call: the next try is a new run, with a new history document.
func (s *Server) retryOrGiveUp(run *outgoingRun) {
	retryCount := jsNumber(run.trigger["retryCount"])
	if !truthy(run.trigger["retryFailedCalls"]) || !truthy(run.trigger["retryCount"]) {
		s.updateHistory(run.historyID, "failed-and-not-configured-to-retry", map[string]any{"error": true})
		return
	}
	if !(float64(run.tries) < retryCount) || !truthy(run.trigger["retryDelay"]) {
		s.updateHistory(run.historyID, "too-many-retries", map[string]any{"error": true})
		return
	}
	s.updateHistory(run.historyID, fmt.Sprintf("going-to-retry-%d", run.tries+1), map[string]any{"error": true})
	wait, ok := retryWait(run.trigger["retryDelay"], run.tries)
	if !ok {
		s.updateHistory(run.historyID, "failed-and-retry-delay-is-invalid", map[string]any{
			"error": true, "errorStack": "Error: The integration's retryDelay setting is invalid.",
		})
		return
	}
	if err := s.cfg.retrySleep(s.outCtx, wait); err != nil || s.outCtx.Err() != nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.startTriggerURLLocked(run, run.tries+1)
}

// retryWait is the delay before try tries+1 (tries counts from 0).
func retryWait(delay any, tries int) (time.Duration, bool) {
	var ms float64
	switch delay {
	case "powers-of-ten": // 0.1 s, 1 s, 10 s, 1 min 40 s, …
		ms = math.Pow(10, float64(tries+2))
	case "powers-of-two": // 2 s, 4 s, 8 s, …
		ms = math.Pow(2, float64(tries+1)) * 1000
	case "increments-of-two": // 2 s, 4 s, 6 s, …
		ms = float64((tries+1)*2) * 1000
	default:
		return 0, false
	}
	return time.Duration(ms * float64(time.Millisecond)), true
}

// jsNumber is Number(v) for the values a stored retryCount can hold.
func jsNumber(v any) float64 {
	switch x := v.(type) {
	case float64:
		return x
	case bool:
		if x {
			return 1
		}
		return 0
	case string:
		return jsStringToNumber(x)
	case nil:
		return math.NaN()
	}
	return math.NaN()
}

// sendReply is triggerHandler's sendMessage: message is posted as the
// integration's user (or, with impersonateUser, as the poster) into the
// message's room, or the channel the message names. sent is nil when there
// is no such user or room; fail is an error processWebhookMessage threw, or
// the TypeError of setting bot on a message that is not an object.
func (s *Server) sendReply(run *outgoingRun, message any) ([]any, *postFailure) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var postAs *user
	if truthy(run.trigger["impersonateUser"]) {
		name, _ := run.data["user_name"].(string)
		postAs = s.userByUsernameIgnoringCase(name)
	}
	if postAs == nil {
		name, _ := run.trigger["username"].(string)
		postAs = s.userByUsernameIgnoringCase(name)
	}
	if postAs == nil {
		return nil, nil
	}
	payload, _ := deepCopy(message).(map[string]any)
	rm := s.st.rooms[run.roomID]
	target, _ := payload["channel"].(string)
	if target == "" {
		target, _ = run.trigger["targetRoom"].(string)
	}
	if target != "" {
		if found, _ := s.roomByNameOrIDWithOptionToJoin(postAs, target, roomLookup{join: true}); found != nil {
			rm = found
		}
	}
	if rm == nil {
		return nil, nil
	}
	if payload == nil {
		// message.bot = … on a primitive, in strict-mode code; an array
		// (which JavaScript would take) is refused too.
		return nil, &postFailure{code: fmt.Sprintf("TypeError: Cannot create property 'bot' on %s", jsTypeAndValue(message))}
	}
	payload["bot"] = map[string]any{"i": run.integrationID()}
	defaults := messageDefaults{channel: "#" + rm.id}
	if rm.typ == "d" {
		defaults.channel = "@" + rm.id
	}
	defaults.alias, _ = run.trigger["alias"].(string)
	defaults.avatar, _ = run.trigger["avatar"].(string)
	defaults.emoji, _ = run.trigger["emoji"].(string)
	sent, fail := s.processWebhookMessage(payload, postAs, defaults)
	if fail != nil {
		return nil, fail
	}
	out := make([]any, 0, len(sent))
	for _, m := range sent {
		out = append(out, m.historyValue())
	}
	return out, nil
}

func (s *Server) userByUsernameIgnoringCase(name string) *user {
	if name == "" {
		return nil
	}
	for _, u := range s.st.users {
		if strings.EqualFold(u.username, name) {
			return u
		}
	}
	return nil
}

// jsonStringify is JSON.stringify(v, null, 2) for a string or null, as
// history keeps httpResult.
func jsonStringify(v any) string {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
	return strings.TrimSuffix(buf.String(), "\n")
}

// jsTypeAndValue names a truthy non-object value as V8's "Cannot create
// property" error does: its type, then its text in quotes.
func jsTypeAndValue(v any) string {
	switch x := v.(type) {
	case string:
		return "string '" + x + "'"
	case float64:
		return "number '" + strconv.FormatFloat(x, 'g', -1, 64) + "'"
	case bool:
		return "boolean '" + strconv.FormatBool(x) + "'"
	}
	return "an array, which this server does not post"
}
