package rocketchattest

import (
	"encoding/json"
	"io"
	"net"
	"net/http"
	"strings"
)

// call is one authenticated (or anonymous) API request after parsing.
type call struct {
	r     *http.Request
	user  *user  // nil on anonymous routes without credentials
	token string // the auth token the caller used
	body  any    // JSON body after the request schema's coercion
	query map[string]any
}

// bodyMap returns the body as an object; schemas guarantee it for routes that have one.
func (c *call) bodyMap() map[string]any {
	m, _ := c.body.(map[string]any)
	if m == nil {
		m = map[string]any{}
	}
	return m
}

type handler func(s *Server, c *call) (map[string]any, *apiFailure)

type route struct {
	method string
	auth   bool
	// typed marks Rocket.Chat 8's typed routes (API.v1.get and friends):
	// their route permission comes before the query schema, the rate limit
	// after it, and schema failures read {errorType: "error-invalid-params"}
	// without a suffix (SPEC.md §L1).
	typed bool
	// unlimited routes are not rate limited.
	unlimited bool
	body      *schema  // validateParams on the JSON body
	query     *schema  // validateParams on the query string
	anyPerm   []string // route-level permissionsRequired: hasAny, else 403
	handle    handler
}

var apiRoutes map[string]*route

func init() {
	anyIntegrationPerm := []string{PermManageOutgoing, PermManageOwnOutgoing, PermManageIncoming, PermManageOwnIncoming}
	apiRoutes = map[string]*route{
		EndpointLogin:  {method: http.MethodPost, handle: (*Server).login},
		EndpointLogout: {method: http.MethodPost, auth: true, handle: (*Server).logout},
		EndpointMe:     {method: http.MethodGet, auth: true, handle: (*Server).me},
		// /api/info belongs to the API without a version, which has no limiter.
		EndpointInfo:            {method: http.MethodGet, unlimited: true, handle: (*Server).info},
		EndpointCreate:          {method: http.MethodPost, auth: true, body: createIntegrationSchema, handle: (*Server).createIntegration},
		EndpointGet:             {method: http.MethodGet, auth: true, query: getIntegrationQuery, handle: (*Server).getIntegration},
		EndpointList:            {method: http.MethodGet, auth: true, query: listIntegrationsQuery, anyPerm: anyIntegrationPerm, handle: (*Server).listIntegrations},
		EndpointUpdate:          {method: http.MethodPut, auth: true, body: updateIntegrationSchema, handle: (*Server).updateIntegration},
		EndpointRemove:          {method: http.MethodPost, auth: true, body: removeIntegrationSchema, anyPerm: anyIntegrationPerm, handle: (*Server).removeIntegration},
		EndpointHistory:         {method: http.MethodGet, auth: true, query: integrationHistoryQuery, anyPerm: []string{PermManageOutgoing, PermManageOwnOutgoing}, handle: (*Server).integrationHistory},
		EndpointChannelMessages: {method: http.MethodGet, auth: true, handle: (*Server).channelMessages},
		EndpointChatPostMessage: {method: http.MethodPost, auth: true, body: chatPostMessageSchema, handle: (*Server).chatPostMessage},

		EndpointRoomsInfo:          {method: http.MethodGet, auth: true, typed: true, handle: (*Server).roomsInfo},
		EndpointUsersInfo:          {method: http.MethodGet, auth: true, typed: true, query: usersInfoQuery, handle: (*Server).usersInfo},
		EndpointSubscriptionsGet:   {method: http.MethodGet, auth: true, typed: true, query: subscriptionsGetQuery, handle: (*Server).subscriptionsGet},
		EndpointPermissionsListAll: {method: http.MethodGet, auth: true, typed: true, query: permissionsListAllQuery, handle: (*Server).permissionsListAll},
		EndpointSettingsPublic:     {method: http.MethodGet, typed: true, query: settingsPublicQuery, handle: (*Server).settingsPublic},
	}
}

// resolve names the endpoint of a request (for counters and faults) and
// finds its route; the route is nil for unknown paths and wrong methods
// (Rocket.Chat finds no route for a POST to integrations.update).
func resolve(r *http.Request) (string, *route) {
	p := r.URL.Path
	var name string
	switch {
	case strings.HasPrefix(p, "/hooks/"):
		return EndpointHooks, nil
	case p == "/api/info":
		name = EndpointInfo
	case strings.HasPrefix(p, "/api/v1/"):
		name = strings.TrimPrefix(p, "/api/v1/")
		if name == EndpointInfo { // /api/v1/info no longer exists in 7.x and 8.x
			return EndpointOther, nil
		}
	default:
		return EndpointOther, nil
	}
	rt, ok := apiRoutes[name]
	if !ok {
		return EndpointOther, nil
	}
	if r.Method != rt.method {
		return name, nil
	}
	return name, rt
}

// serveAPI runs Rocket.Chat's request pipeline. The legacy routes of the
// integrations check authentication (401), rate limit (429), request schema
// (400 invalid-params), route permission (403), then run the handler (spec
// §1.4); typed routes check the route permission before the schema and the
// rate limit after it (SPEC.md §L1).
func (s *Server) serveAPI(w http.ResponseWriter, r *http.Request, endpoint string, rt *route) {
	c := &call{r: r}
	if rt.auth {
		u, token := s.authenticate(r)
		if u == nil {
			writeFailure(w, notLoggedIn())
			return
		}
		c.user, c.token = u, token
	}
	limited := func() bool {
		if s.limiter == nil || rt.unlimited || s.bypassesRateLimit(c.user) {
			return false
		}
		d := s.limiter.check(endpoint+strings.ToLower(r.Method), clientIP(r))
		d.setHeaders(w.Header(), s.now())
		if d.allowed {
			return false
		}
		s.countLimited(endpoint)
		writeFailure(w, tooManyRequests(d.waitSeconds()))
		return true
	}
	forbidden := func() bool {
		if len(rt.anyPerm) == 0 {
			return false
		}
		s.mu.Lock()
		allowed := s.st.hasAny(s.st.users[c.user.id], rt.anyPerm...)
		s.mu.Unlock()
		if !allowed {
			writeFailure(w, forbiddenFailure())
		}
		return !allowed
	}
	if !rt.typed && limited() {
		return
	}
	if rt.typed && forbidden() {
		return
	}
	if r.Method == http.MethodPost || r.Method == http.MethodPut {
		c.body = readJSONBody(r)
	}
	c.query = queryParams(r)
	if rt.body != nil {
		coerced, msgs := rt.body.validate(c.body)
		if len(msgs) > 0 {
			writeFailure(w, s.invalidParams(msgs, false, rt.typed))
			return
		}
		c.body = coerced
	}
	if rt.query != nil {
		coerced, msgs := rt.query.validate(c.query)
		if len(msgs) > 0 {
			writeFailure(w, s.invalidParams(msgs, true, rt.typed))
			return
		}
		c.query, _ = coerced.(map[string]any)
	}
	if rt.typed && limited() {
		return
	}
	if !rt.typed && forbidden() {
		return
	}
	s.mu.Lock()
	payload, fail := rt.handle(s, c)
	s.mu.Unlock()
	if fail != nil {
		writeFailure(w, fail)
		return
	}
	writeSuccess(w, payload)
}

// invalidParams formats AJV's messages as Rocket.Chat reports them: the
// legacy format on the integration routes unless WithTypedRouteErrors says
// otherwise, the typed one on typed routes.
func (s *Server) invalidParams(msgs []string, query, typed bool) *apiFailure {
	if !typed && !s.cfg.typedErrors {
		// Legacy validateParams: Meteor.Error('invalid-params', msgs.join('\n ')).
		return meteorError("invalid-params", strings.Join(msgs, "\n "), nil)
	}
	errorType := "invalid-params"
	if query {
		errorType = "error-invalid-params"
	}
	return &apiFailure{status: http.StatusBadRequest, body: map[string]any{
		"success": false, "errorType": errorType, "error": strings.Join(msgs, "\n "),
	}}
}

func (s *Server) authenticate(r *http.Request) (*user, string) {
	id, token := r.Header.Get("X-User-Id"), r.Header.Get("X-Auth-Token")
	if id == "" || token == "" {
		return nil, ""
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	u, ok := s.st.users[id]
	if !ok || !u.tokens[hashLoginToken(token)] {
		return nil, ""
	}
	return u, token
}

func (s *Server) bypassesRateLimit(u *user) bool {
	if u == nil {
		return false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.st.hasPermission(s.st.users[u.id], PermBypassRateLimit)
}

func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// readJSONBody decodes a JSON body the way JavaScript would (numbers are
// doubles). An empty or unparseable body is treated as an empty object:
// Rocket.Chat's answer to malformed JSON was not confirmed, and the request
// schema then reports what is missing (spec §1.3 #7).
func readJSONBody(r *http.Request) any {
	data, err := io.ReadAll(io.LimitReader(r.Body, 10<<20))
	if err != nil || len(strings.TrimSpace(string(data))) == 0 {
		return map[string]any{}
	}
	var v any
	if err := json.Unmarshal(data, &v); err != nil {
		return map[string]any{}
	}
	return v
}

// queryParams turns a query string into what Rocket.Chat's query parser
// gives AJV: a string per key, or an array of strings for repeated keys.
func queryParams(r *http.Request) map[string]any {
	out := map[string]any{}
	for k, vs := range r.URL.Query() {
		if len(vs) == 1 {
			out[k] = vs[0]
			continue
		}
		arr := make([]any, len(vs))
		for i, v := range vs {
			arr[i] = v
		}
		out[k] = arr
	}
	return out
}

func writeJSON(w http.ResponseWriter, status int, body any) {
	data, err := json.Marshal(jsonSafe(body))
	if err != nil {
		status, data = http.StatusInternalServerError, []byte(`{"success":false,"error":"Internal server error"}`)
	}
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Cache-Control", "no-store")
	h.Set("Pragma", "no-cache")
	w.WriteHeader(status)
	_, _ = w.Write(data)
}

// writeSuccess is API.v1.success(result): the payload with success: true.
func writeSuccess(w http.ResponseWriter, payload map[string]any) {
	if payload == nil {
		payload = map[string]any{}
	}
	payload["success"] = true
	writeJSON(w, http.StatusOK, payload)
}

func writeFailure(w http.ResponseWriter, f *apiFailure) { writeJSON(w, f.status, f.body) }
