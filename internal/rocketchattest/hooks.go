package rocketchattest

import (
	"encoding/json"
	"errors"
	"io"
	"maps"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strings"
)

// serveHook is the incoming webhook receiver, /hooks/:integrationId/:token
// and the legacy /hooks/:integrationId/:userId/:token (spec §3.7), for POST
// and GET. It needs no credentials: the token in the path is the secret.
//
// An integration with a valid script has its process_incoming_request run
// on a POST, as Rocket.Chat does, outside the lock; what the script returns
// decides the answer and the message (SPEC.md §S3).
func (s *Server) serveHook(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost && r.Method != http.MethodGet {
		http.NotFound(w, r)
		return
	}
	parts := strings.Split(strings.TrimPrefix(r.URL.EscapedPath(), "/hooks/"), "/")
	var id, rawToken string
	switch len(parts) {
	case 2:
		id, rawToken = parts[0], parts[1]
	case 3:
		id, rawToken = parts[0], parts[2]
	default:
		http.NotFound(w, r)
		return
	}
	token, err := url.PathUnescape(rawToken)
	if err != nil {
		token = rawToken
	}
	// The route's authentication comes first: the integration, its token
	// and its post-as user; only then the rate limit (SPEC.md §L10).
	s.mu.Lock()
	_, _, status, answer := s.hookCaller(id, token)
	s.mu.Unlock()
	if answer != nil {
		writeJSON(w, status, answer)
		return
	}
	// One limiter rule per webhook route and method, as for the REST
	// routes; the bypass permission does not apply.
	if s.limiter != nil {
		d := s.limiter.check("hooks:"+r.URL.Path+strings.ToLower(r.Method), clientIP(r))
		d.setHeaders(w.Header(), s.now())
		if !d.allowed {
			s.countLimited(EndpointHooks)
			writeFailure(w, tooManyRequests(d.waitSeconds()))
			return
		}
	}
	raw, body, bodyFail := hookBody(r)

	s.mu.Lock()
	doc, postAs, status, answer := s.checkHook(id, token, bodyFail)
	s.mu.Unlock()
	if answer != nil {
		writeJSON(w, status, answer)
		return
	}
	var scriptResponse any
	// request.body is null for a GET, so the script runs for a POST only.
	if hasValidScript(doc) && r.Method == http.MethodPost {
		request := hookRequest(r, parts, token, raw, body, postAs)
		result, _, err := s.runScript(doc, "process_incoming_request", map[string]any{"request": request})
		var done bool
		body, scriptResponse, postAs, done, status, answer = scriptOutcome(result, err, body, postAs)
		if done {
			writeJSON(w, status, answer)
			return
		}
	}

	s.mu.Lock()
	status, answer = s.postHook(doc, postAs, body)
	s.mu.Unlock()
	if status == http.StatusOK && truthy(scriptResponse) {
		// API.v1.success(response) marks an object and sends anything else as it is.
		if m, ok := scriptResponse.(map[string]any); ok {
			m["success"] = true
		}
		writeJSON(w, http.StatusOK, scriptResponse)
		return
	}
	writeJSON(w, status, answer)
}

// hookCaller is the webhook route's authentication, with s.mu held: the
// integration with that _id and token, then the user it posts as. A failure
// comes with the status and body to answer.
func (s *Server) hookCaller(id, token string) (doc map[string]any, postAs *user, status int, failure map[string]any) {
	doc, ok := s.st.integrations[id]
	if !ok || doc["token"] != token {
		// Rocket.Chat's authentication hook throws here, which surfaces as a
		// 500; the body the framework sends for it was not confirmed (spec §12.7).
		return nil, nil, http.StatusInternalServerError, map[string]any{"success": false, "error": "Internal server error"}
	}
	userID, _ := doc["userId"].(string)
	if postAs = s.st.users[userID]; postAs == nil {
		f := notLoggedIn()
		return nil, nil, f.status, f.body
	}
	return doc, postAs, 0, nil
}

// checkHook runs the receiver's checks before the script, in Rocket.Chat's
// order, with s.mu held; the authentication is checked again, as the
// integration may have changed since. It returns a copy of the integration
// as the request read it, and a copy of the user it posts as.
func (s *Server) checkHook(id, token, bodyFail string) (map[string]any, *user, int, map[string]any) {
	doc, postAs, status, failure := s.hookCaller(id, token)
	if failure != nil {
		return nil, nil, status, failure
	}
	if doc["enabled"] != true {
		return nil, nil, http.StatusServiceUnavailable, map[string]any{"success": false, "error": "Service Unavailable"}
	}
	if s.requiresImpersonation() && !s.st.hasPermission(postAs, PermMessageImpersonate) {
		return nil, nil, http.StatusBadRequest, map[string]any{"success": false, "error": "error-user-lacks-message-impersonate-permission"}
	}
	if bodyFail != "" {
		return nil, nil, http.StatusBadRequest, map[string]any{"success": false, "error": bodyFail}
	}
	caller := *postAs
	return deepCopy(doc).(map[string]any), &caller, 0, nil
}

// postHook is the rest of executeIntegrationRest, with s.mu held: the empty
// body, the destination override and the message to each target.
func (s *Server) postHook(doc map[string]any, postAs *user, body map[string]any) (int, map[string]any) {
	if body == nil || (len(body) == 0 && doc["scriptEnabled"] != true) {
		return http.StatusOK, map[string]any{"success": true}
	}
	override := doc["overrideDestinationChannelEnabled"] == true
	if (truthy(body["channel"]) || truthy(body["roomId"])) && !override {
		return http.StatusBadRequest, map[string]any{"success": false, "error": "overriding destination channel is disabled for this integration"}
	}
	// The user is the one the request read, or the one a script named;
	// memberships are those of now.
	if stored := s.st.users[postAs.id]; stored != nil {
		postAs = stored
	}
	payload := maps.Clone(body)
	payload["bot"] = map[string]any{"i": doc["_id"]}
	defaults := messageDefaults{channel: doc["channel"]}
	defaults.alias, _ = doc["alias"].(string)
	defaults.avatar, _ = doc["avatar"].(string)
	defaults.emoji, _ = doc["emoji"].(string)
	sent, fail := s.processWebhookMessage(payload, postAs, defaults)
	if fail != nil {
		return http.StatusBadRequest, map[string]any{"success": false, "error": fail.code}
	}
	if len(sent) == 0 {
		return http.StatusBadRequest, map[string]any{"success": false, "error": "unknown-error"}
	}
	return http.StatusOK, map[string]any{"success": true}
}

// hookRequest is the request object api.ts hands to process_incoming_request.
// Rocket.Chat's request.url is absolute, so url.path and url_raw are too.
func hookRequest(r *http.Request, parts []string, token, raw string, body map[string]any, postAs *user) map[string]any {
	full := "http://" + r.Host + r.URL.RequestURI()
	search := ""
	if r.URL.RawQuery != "" {
		search = "?" + r.URL.RawQuery
	}
	query := map[string]any{}
	for k, vs := range r.URL.Query() {
		query[k] = vs[0]
	}
	params := map[string]any{"integrationId": parts[0], "token": token}
	if len(parts) == 3 {
		params["userId"] = parts[1]
	}
	headers := map[string]any{"host": r.Host}
	for k, vs := range r.Header {
		headers[strings.ToLower(k)] = strings.Join(vs, ", ")
	}
	return map[string]any{
		"url": map[string]any{
			"hash": "", "search": search, "query": query, "pathname": r.URL.EscapedPath(), "path": full,
		},
		"url_raw":     full,
		"url_params":  params,
		"content":     body,
		"content_raw": raw,
		"headers":     headers,
		"body":        body,
		"user":        map[string]any{"_id": postAs.id, "name": postAs.name, "username": postAs.username},
	}
}

// scriptOutcome is what executeIntegrationRest does with the script's
// result: done with an answer, or the body to post (result.content, with
// separateResponse carried over), the response to send after posting and
// the user to post as.
func scriptOutcome(result any, err error, body map[string]any, postAs *user) (
	content map[string]any, response any, poster *user, done bool, status int, answer map[string]any,
) {
	fail := func(code string) (map[string]any, any, *user, bool, int, map[string]any) {
		return nil, nil, nil, true, http.StatusBadRequest, map[string]any{"success": false, "error": code}
	}
	if err != nil {
		// The thrown Error reaches the route's catch, which answers its message.
		if errors.Is(err, errScriptEvaluation) {
			return fail(errScriptEvaluation.Error())
		}
		return fail(errScriptRunning.Error())
	}
	if !truthy(result) {
		return nil, nil, nil, true, http.StatusOK, map[string]any{"success": true}
	}
	obj, _ := result.(map[string]any)
	if e := obj["error"]; truthy(e) {
		// API.v1.failure(result.error) sends an object as the body itself.
		if m, ok := e.(map[string]any); ok {
			m["success"] = false
			return nil, nil, nil, true, http.StatusBadRequest, m
		}
		return nil, nil, nil, true, http.StatusBadRequest, map[string]any{"success": false, "error": e}
	}
	// `'separateResponse' in content` throws for anything but an object.
	switch c := obj["content"].(type) {
	case map[string]any:
		content = c
	case []any:
		content = map[string]any{} // an array's elements are no message fields
	default:
		return fail(errScriptRunning.Error())
	}
	if _, ok := content["separateResponse"]; !ok {
		content["separateResponse"] = body["separateResponse"] == true
	}
	poster = postAs
	if u, ok := obj["user"].(map[string]any); ok {
		id, _ := u["_id"].(string)
		username, _ := u["username"].(string)
		name, _ := u["name"].(string)
		poster = &user{id: id, username: username, name: name}
	}
	return content, obj["response"], poster, false, 0, nil
}

// directRoom finds or creates the direct-message room of two users; its _id
// is the two user ids sorted and joined, as Rocket.Chat makes it (a user's
// room with itself gets a random one).
func (s *Server) directRoom(a, b *user) *room {
	if r := s.existingDirectRoom(a, b); r != nil {
		return r
	}
	id := meteorID()
	if a.id != b.id {
		ids := []string{a.id, b.id}
		slices.Sort(ids)
		id = ids[0] + ids[1]
	}
	now := s.now()
	r := &room{id: id, typ: "d", creator: a.id, createdAt: now, members: map[string]bool{}, joined: map[string]membership{}}
	s.st.join(r, a, now)
	s.st.join(r, b, now)
	s.st.rooms[id] = r
	return r
}

func pickString(vs ...any) string {
	for _, v := range vs {
		if s, ok := v.(string); ok && s != "" {
			return s
		}
	}
	return ""
}

// hookBody reads what the receiver accepts: JSON (also without a content
// type), or a form with a single payload=<json> field. A GET has no body.
func hookBody(r *http.Request) (raw string, body map[string]any, failure string) {
	if r.Method == http.MethodGet {
		return "", map[string]any{}, ""
	}
	data, err := io.ReadAll(io.LimitReader(r.Body, 10<<20))
	if err != nil {
		return "", map[string]any{}, ""
	}
	raw = string(data)
	// The media type decides, whatever its parameters (e.g. "; charset=utf-8").
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt == "application/x-www-form-urlencoded" {
		form, err := url.ParseQuery(string(data))
		if err == nil && len(form) == 1 {
			payload := form.Get("payload")
			if payload == "" {
				payload = raw
			}
			var v any
			if err := json.Unmarshal([]byte(payload), &v); err != nil {
				return raw, nil, err.Error()
			}
			m, ok := v.(map[string]any)
			if !ok {
				return raw, nil, "Integration payload must be a JSON object, not an array or primitive"
			}
			return raw, m, ""
		}
	}
	var v any
	if len(strings.TrimSpace(raw)) == 0 || json.Unmarshal(data, &v) != nil {
		return raw, map[string]any{}, ""
	}
	if m, ok := v.(map[string]any); ok {
		return raw, m, ""
	}
	return raw, map[string]any{}, ""
}
