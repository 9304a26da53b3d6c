package rocketchattest

import (
	"encoding/json"
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
// Scripts are not run: this server cannot execute JavaScript, so an
// integration's message is posted as if it had no script.
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
	body, bodyFail := hookBody(r)

	s.mu.Lock()
	status, answer = s.executeHook(id, token, body, bodyFail)
	s.mu.Unlock()
	writeJSON(w, status, answer)
}

// hookCaller is the webhook route's authentication, with s.mu held: the
// integration with that _id and token, then the user it posts as. A failure
// comes with the status and body to answer.
func (s *Server) hookCaller(id, token string) (doc map[string]any, postAs *user, status int, failure map[string]any) {
	doc, ok := s.st.integrations[id]
	if !ok || doc["token"] != token {
		// Rocket.Chat's authentication hook throws here, which surfaces as a
		// 500; the body the framework sends for it was not confirmed.
		return nil, nil, http.StatusInternalServerError, map[string]any{"success": false, "error": "Internal server error"}
	}
	userID, _ := doc["userId"].(string)
	if postAs = s.st.users[userID]; postAs == nil {
		f := notLoggedIn()
		return nil, nil, f.status, f.body
	}
	return doc, postAs, 0, nil
}

// executeHook runs the receiver's checks in Rocket.Chat's order, with s.mu
// held; the authentication is checked again, as the integration may have
// changed since.
func (s *Server) executeHook(id, token string, body map[string]any, bodyFail string) (int, map[string]any) {
	doc, postAs, status, failure := s.hookCaller(id, token)
	if failure != nil {
		return status, failure
	}
	if doc["enabled"] != true {
		return http.StatusServiceUnavailable, map[string]any{"success": false, "error": "Service Unavailable"}
	}
	if s.requiresImpersonation() && !s.st.hasPermission(postAs, PermMessageImpersonate) {
		return http.StatusBadRequest, map[string]any{"success": false, "error": "error-user-lacks-message-impersonate-permission"}
	}
	if bodyFail != "" {
		return http.StatusBadRequest, map[string]any{"success": false, "error": bodyFail}
	}
	if len(body) == 0 && doc["scriptEnabled"] != true {
		return http.StatusOK, map[string]any{"success": true}
	}
	override := doc["overrideDestinationChannelEnabled"] == true
	if (truthy(body["channel"]) || truthy(body["roomId"])) && !override {
		return http.StatusBadRequest, map[string]any{"success": false, "error": "overriding destination channel is disabled for this integration"}
	}
	payload := maps.Clone(body)
	payload["bot"] = map[string]any{"i": id}
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
func hookBody(r *http.Request) (map[string]any, string) {
	if r.Method == http.MethodGet {
		return map[string]any{}, ""
	}
	data, err := io.ReadAll(io.LimitReader(r.Body, 10<<20))
	if err != nil {
		return map[string]any{}, ""
	}
	// The media type decides, whatever its parameters (e.g. "; charset=utf-8").
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt == "application/x-www-form-urlencoded" {
		form, err := url.ParseQuery(string(data))
		if err == nil && len(form) == 1 {
			raw := form.Get("payload")
			if raw == "" {
				raw = string(data)
			}
			var v any
			if err := json.Unmarshal([]byte(raw), &v); err != nil {
				return nil, err.Error()
			}
			m, ok := v.(map[string]any)
			if !ok {
				return nil, "Integration payload must be a JSON object, not an array or primitive"
			}
			return m, ""
		}
	}
	var v any
	if len(strings.TrimSpace(string(data))) == 0 || json.Unmarshal(data, &v) != nil {
		return map[string]any{}, ""
	}
	if m, ok := v.(map[string]any); ok {
		return m, ""
	}
	return map[string]any{}, ""
}
