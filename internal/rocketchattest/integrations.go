package rocketchattest

import (
	"encoding/json"
	"fmt"
	"io"
	mathrand "math/rand/v2"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
)

const (
	typeIncoming = "webhook-incoming"
	typeOutgoing = "webhook-outgoing"
)

// createIntegration is POST /api/v1/integrations.create (spec §3.1). The
// request schema's type pattern is unanchored, so "webhook-incoming-x"
// passes it and ends here.
func (s *Server) createIntegration(c *call) (map[string]any, *apiFailure) {
	body := c.bodyMap()
	var (
		doc  map[string]any
		fail *apiFailure
	)
	switch body["type"] {
	case typeOutgoing:
		doc, fail = s.addOutgoing(c.user, body)
	case typeIncoming:
		doc, fail = s.addIncoming(c.user, body)
	default:
		return nil, plainError("Invalid integration type.")
	}
	if fail != nil {
		return nil, fail
	}
	return map[string]any{"integration": doc}, nil
}

// addIncoming is addIncomingIntegration (spec §3.1.2), checks in its order.
func (s *Server) addIncoming(caller *user, in map[string]any) (map[string]any, *apiFailure) {
	const m = "addIncomingIntegration"
	if !s.st.hasPermission(caller, PermManageIncoming) && !s.st.hasPermission(caller, PermManageOwnIncoming) {
		return nil, meteorError("not_authorized", "Unauthorized", method(m))
	}
	channels, fail := incomingChannels(in["channel"], m)
	if fail != nil {
		return nil, fail
	}
	if isBlankString(in["username"]) {
		return nil, meteorError("error-invalid-username", "Invalid username", method(m))
	}
	if fail := checkScriptEngine(in, in["scriptEngine"]); fail != nil {
		return nil, fail
	}
	username, _ := stringValue(in["username"])
	postAs := s.st.userByUsername(username)
	if postAs == nil {
		return nil, meteorError("error-invalid-user", "Invalid user", method(m))
	}
	if fail := s.checkImpersonation(postAs, m); fail != nil {
		return nil, fail
	}
	now := s.now()
	doc := deepCopy(in).(map[string]any)
	if doc["scriptEngine"] == nil {
		doc["scriptEngine"] = "isolated-vm"
	}
	// The 8.4+ source of addIncomingIntegration stores skipTranspile as
	// `=== true` on every create (spec §3.1.2 #8).
	doc["skipTranspile"] = in["skipTranspile"] == true
	doc["type"] = typeIncoming
	doc["channel"] = toAnySlice(channels)
	if doc["overrideDestinationChannelEnabled"] == nil {
		doc["overrideDestinationChannelEnabled"] = false
	}
	doc["token"] = incomingToken()
	doc["userId"] = postAs.id
	doc["_createdAt"] = isoDate(now)
	doc["_createdBy"] = userRef(caller)
	if in["scriptEnabled"] == true && !isBlankString(in["script"]) {
		applyCompile(doc, in["script"].(string), in["skipTranspile"] == true)
	}
	if fail := s.checkTargets(caller, channels, PermManageIncoming, PermManageOwnIncoming, method(m)); fail != nil {
		return nil, fail
	}
	s.grantBotRole(postAs)
	return s.insert(removeEmpty(doc)), nil
}

// checkImpersonation is the rule of Rocket.Chat 8.6 and later: the user an
// incoming integration posts as must hold message-impersonate (SPEC.md §L7).
func (s *Server) checkImpersonation(postAs *user, methodName string) *apiFailure {
	if !s.requiresImpersonation() || s.st.hasPermission(postAs, PermMessageImpersonate) {
		return nil
	}
	return meteorError("error-user-lacks-message-impersonate-permission",
		"User selected for the incoming integration lacks the 'message-impersonate' permission.", method(methodName))
}

// grantBotRole is the rule before Rocket.Chat 8.6: the user an incoming
// integration posts as is given the bot role.
func (s *Server) grantBotRole(postAs *user) {
	if !s.requiresImpersonation() {
		postAs.addRole("bot")
	}
}

// requiresImpersonation tells the two generations of the incoming
// integration methods apart. The check arrived in June 2026 between 8.5 and
// 8.7; the release that first shipped it is taken to be 8.6 (SPEC.md §L7).
func (s *Server) requiresImpersonation() bool { return versionAtLeast(s.cfg.version, 8, 6) }

// checkScriptEngine is validateScriptEngine on create: a script that is not
// blank needs the isolated-vm engine, the only one since 7.0.
func checkScriptEngine(in map[string]any, engine any) *apiFailure {
	if isBlankString(in["script"]) {
		return nil
	}
	if e, ok := engine.(string); ok && e != "" && e != "isolated-vm" {
		return plainError("integration-scripts-unknown-engine")
	}
	return nil
}

// incomingChannels validates the comma-separated channel of an incoming
// integration. The start-with-chars error names updateIncomingIntegration
// even on create: Rocket.Chat's own copy-paste slip, kept.
func incomingChannels(v any, methodName string) ([]string, *apiFailure) {
	if isBlankString(v) {
		return nil, meteorError("error-invalid-channel", "Invalid channel", method(methodName))
	}
	channels := splitChannels(v.(string))
	for _, ch := range channels {
		if !strings.HasPrefix(ch, "#") && !strings.HasPrefix(ch, "@") {
			return nil, meteorError("error-invalid-channel-start-with-chars", "Invalid channel. Start with @ or #", method("updateIncomingIntegration"))
		}
	}
	return channels, nil
}

// checkTargets resolves each "#room" / "@user" target and, unless the caller
// holds both manage permissions of the kind, requires a subscription to it.
func (s *Server) checkTargets(caller *user, channels []string, manage, manageOwn string, details map[string]any) *apiFailure {
	for _, ch := range channels {
		var recordID string
		switch ch[0] {
		case '#':
			if r := s.st.roomByIDOrName(ch[1:]); r != nil {
				recordID = r.id
			}
		case '@':
			if u := s.st.userByIDOrUsername(ch[1:]); u != nil {
				recordID = u.id
			}
		}
		if recordID == "" {
			return meteorError("error-invalid-room", "Invalid room", details)
		}
		if !s.st.hasAll(caller, manage, manageOwn) && !s.st.subscribed(recordID, caller.id) {
			return meteorError("error-invalid-channel", "Invalid Channel", details)
		}
	}
	return nil
}

// addOutgoing is addOutgoingIntegration (spec §3.1.3).
func (s *Server) addOutgoing(caller *user, in map[string]any) (map[string]any, *apiFailure) {
	if !s.st.hasPermission(caller, PermManageOutgoing) && !s.st.hasPermission(caller, PermManageOwnOutgoing) {
		return nil, meteorError("not_authorized", "", nil)
	}
	if fail := checkScriptEngine(in, in["scriptEngine"]); fail != nil {
		return nil, fail
	}
	doc, fail := s.validateOutgoing(caller, in)
	if fail != nil {
		return nil, fail
	}
	return s.insert(removeEmpty(doc)), nil
}

// outgoingEvent says what an outgoing event uses (outgoingEvents.ts).
type outgoingEvent struct{ channel, triggerWords, targetRoom bool }

var outgoingEvents = map[string]outgoingEvent{
	"sendMessage":  {channel: true, triggerWords: true},
	"fileUploaded": {channel: true},
	"roomArchived": {},
	"roomCreated":  {},
	"roomJoined":   {channel: true},
	"roomLeft":     {channel: true},
	"userCreated":  {targetRoom: true},
}

// messageEvents exist in one development version of outgoingEvents.ts only.
var messageEvents = map[string]outgoingEvent{
	"messageEdited":  {channel: true},
	"messageDeleted": {channel: true},
}

func (s *Server) outgoingEvent(name string) (outgoingEvent, bool) {
	if ev, ok := outgoingEvents[name]; ok {
		return ev, true
	}
	if s.cfg.messageEvents {
		ev, ok := messageEvents[name]
		return ev, ok
	}
	return outgoingEvent{}, false
}

var scopedChannels = []string{"all_public_channels", "all_private_groups", "all_direct_messages"}

// validateOutgoing is validateOutgoingIntegration (spec §3.1.3 steps 4–17),
// shared by create and update. It returns the document to store: the request
// with its channel parsed and its values normalised.
func (s *Server) validateOutgoing(caller *user, in map[string]any) (map[string]any, *apiFailure) {
	in = deepCopy(in).(map[string]any)
	if ch, ok := in["channel"].(string); ok && strings.TrimSpace(ch) == "" {
		delete(in, "channel")
	}
	required := function("validateOutgoing._verifyRequiredFields")
	eventName, _ := stringValue(in["event"])
	event, known := s.outgoingEvent(eventName)
	if isBlankString(in["event"]) || !known {
		return nil, meteorError("error-invalid-event-type", "Invalid event type", required)
	}
	if isBlankString(in["username"]) {
		return nil, meteorError("error-invalid-username", "Invalid username", required)
	}
	if event.targetRoom && !truthy(in["targetRoom"]) {
		return nil, meteorError("error-invalid-targetRoom", "Invalid Target Room", required)
	}
	urls, ok := stringArray(in["urls"])
	if !ok {
		return nil, meteorError("error-invalid-urls", "Invalid URLs", required)
	}
	urls = slices.DeleteFunc(urls, func(u string) bool { return strings.TrimSpace(u) == "" })
	if len(urls) == 0 {
		return nil, meteorError("error-invalid-urls", "Invalid URLs", required)
	}
	in["urls"] = toAnySlice(urls)

	channels := []string{}
	if event.channel {
		ch, ok := in["channel"].(string)
		if !ok {
			return nil, meteorError("error-invalid-channel", "Invalid Channel", function("validateOutgoing"))
		}
		channels = parseCSV(ch)
		for _, c := range channels {
			if !strings.HasPrefix(c, "#") && !strings.HasPrefix(c, "@") && !slices.Contains(scopedChannels, strings.ToLower(c)) {
				return nil, meteorError("error-invalid-channel-start-with-chars", "Invalid channel. Start with @ or #", function("validateOutgoing"))
			}
		}
	} else if !s.st.hasPermission(caller, PermManageOutgoing) {
		return nil, meteorError("error-invalid-permissions", "Invalid permission for required Integration creation.", function("validateOutgoing"))
	}

	username, _ := stringValue(in["username"])
	postAs := s.st.userByUsername(username)
	if postAs == nil {
		return nil, meteorError("error-invalid-user", "Invalid user (did you delete the `rocket.cat` user?)", function("validateOutgoing"))
	}

	doc := in
	if doc["scriptEngine"] == nil {
		doc["scriptEngine"] = "isolated-vm"
	}
	doc["type"] = typeOutgoing
	doc["channel"] = toAnySlice(channels)
	doc["userId"] = postAs.id
	doc["_createdAt"] = isoDate(s.now())
	doc["_createdBy"] = userRef(caller)

	if event.triggerWords && truthy(in["triggerWords"]) {
		words, ok := stringArray(in["triggerWords"])
		if !ok {
			return nil, meteorError("error-invalid-triggerWords", "Invalid triggerWords", function("validateOutgoing"))
		}
		words = slices.DeleteFunc(words, func(w string) bool { return strings.TrimSpace(w) == "" })
		doc["triggerWords"] = toAnySlice(words)
	} else {
		delete(doc, "triggerWords")
	}

	if in["scriptEnabled"] == true && !isBlankString(in["script"]) {
		applyCompile(doc, in["script"].(string), in["skipTranspile"] == true)
	}
	if v, sent := in["runOnEdits"]; sent {
		doc["runOnEdits"] = v == true
	}

	if fail := s.checkOutgoingTargets(caller, channels); fail != nil {
		return nil, fail
	}

	// Retry settings are normalised only when retrying is on.
	if truthy(doc["retryFailedCalls"]) {
		if n, ok := parseIntJS(doc["retryCount"]); truthy(doc["retryCount"]) && ok && n > 0 {
			doc["retryCount"] = float64(n)
		} else {
			doc["retryCount"] = float64(4)
		}
		if d, ok := doc["retryDelay"].(string); ok && strings.TrimSpace(d) != "" {
			doc["retryDelay"] = strings.ToLower(d)
		} else {
			doc["retryDelay"] = "powers-of-ten"
		}
	}
	return doc, nil
}

// checkOutgoingTargets is _verifyUserHasPermissionForChannels. The scoped
// targets compare case-sensitively here, so ALL_PUBLIC_CHANNELS, which passed
// the case-insensitive check above, starts with neither # nor @: nothing is
// looked up, and it fails as an invalid room, as in Rocket.Chat (SPEC.md §L8).
func (s *Server) checkOutgoingTargets(caller *user, channels []string) *apiFailure {
	details := function("validateOutgoing._verifyUserHasPermissionForChannels")
	for _, ch := range channels {
		if slices.Contains(scopedChannels, ch) {
			if ch != "all_public_channels" && !s.st.hasPermission(caller, PermManageOutgoing) {
				return meteorError("error-invalid-channel", "Invalid Channel", details)
			}
			continue
		}
		if fail := s.checkTargets(caller, []string{ch}, PermManageOutgoing, PermManageOwnOutgoing, details); fail != nil {
			return fail
		}
	}
	return nil
}

// insert stores a new document the way BaseRaw.insertOne does (an ObjectId
// _id and _updatedAt) and returns a copy of what was stored: Rocket.Chat 8.x
// re-reads the stored document for the create answer.
func (s *Server) insert(doc map[string]any) map[string]any {
	now := s.now()
	id := objectID(now)
	doc["_id"] = id
	doc["_updatedAt"] = isoDate(now)
	s.st.integrations[id] = doc
	s.st.order = append(s.st.order, id)
	return deepCopy(doc).(map[string]any)
}

func createdBy(doc map[string]any) string {
	ref, _ := doc["_createdBy"].(map[string]any)
	id, _ := ref["_id"].(string)
	return id
}

// canManage is the permission rule of get, update and remove: the
// manage-<kind> permission for any integration of that kind, or
// manage-own-<kind> for the caller's own ones.
func (s *Server) canManage(caller *user, kind string, doc map[string]any) bool {
	manage, own := PermManageIncoming, PermManageOwnIncoming
	if kind == typeOutgoing {
		manage, own = PermManageOutgoing, PermManageOwnOutgoing
	}
	return s.st.hasPermission(caller, manage) || (s.st.hasPermission(caller, own) && createdBy(doc) == caller.id)
}

// editable loads an integration for a change the way the update methods do:
// any one with manage-<kind>, only the caller's own with manage-own-<kind>
// (nil otherwise); allowed is false when the caller holds neither.
func (s *Server) editable(caller *user, kind, id string) (doc map[string]any, allowed bool) {
	manage, own := PermManageIncoming, PermManageOwnIncoming
	if kind == typeOutgoing {
		manage, own = PermManageOutgoing, PermManageOwnOutgoing
	}
	switch {
	case s.st.hasPermission(caller, manage):
		return s.st.integrations[id], true
	case s.st.hasPermission(caller, own):
		if d := s.st.integrations[id]; d != nil && createdBy(d) == caller.id {
			return d, true
		}
		return nil, true
	}
	return nil, false
}

// getIntegration is GET /api/v1/integrations.get (spec §3.2, findOneIntegration).
func (s *Server) getIntegration(c *call) (map[string]any, *apiFailure) {
	id, _ := c.query["integrationId"].(string)
	if id == "" {
		return nil, plainError(`The query parameter "integrationId" is required.`)
	}
	doc, ok := s.st.integrations[id]
	if creator, _ := c.query["createdBy"].(string); ok && creator != "" && createdBy(doc) != creator {
		ok = false
	}
	if !ok {
		return nil, plainError("The integration does not exists.")
	}
	kind, _ := doc["type"].(string)
	if !s.canManage(c.user, kind, doc) {
		return nil, plainError("not-authorized")
	}
	return map[string]any{"integration": deepCopy(doc)}, nil
}

// Pagination settings: API_Default_Count, API_Upper_Count_Limit and
// API_Allow_Infinite_Count at their defaults.
const (
	defaultCount = 50
	maxCount     = 100
)

// pagination is getPaginationItems.
func pagination(q map[string]any) (offset, count int) {
	if n, ok := parseIntJS(q["offset"]); ok && truthy(q["offset"]) {
		offset = max(n, 0)
	}
	count = defaultCount
	if v, sent := q["count"]; sent {
		if n, ok := parseIntJS(v); ok {
			count = n
		}
	}
	if count > maxCount {
		count = maxCount
	}
	if count < 0 { // MongoDB treats a negative limit as its absolute value
		count = -count
	}
	return offset, count // 0 means no limit (infinite count is allowed by default)
}

// parseSort is parseJsonQuery's handling of the sort parameter.
func parseSort(q map[string]any) ([]sortKey, *apiFailure) {
	raw, ok := q["sort"].(string)
	if !ok || raw == "" {
		return nil, nil
	}
	// The raw value is quoted as is, not escaped: `provided: "{"name":2}"`.
	bad := meteorError("error-invalid-sort", `Invalid sort parameter provided: "`+raw+`"`, map[string]any{"helperMethod": "parseJsonQuery"})
	dec := json.NewDecoder(strings.NewReader(raw))
	tok, err := dec.Token()
	if err != nil || tok != json.Delim('{') {
		return nil, bad
	}
	var keys []sortKey
	for dec.More() {
		kt, err := dec.Token()
		if err != nil {
			return nil, bad
		}
		var dir float64
		if err := dec.Decode(&dir); err != nil || (dir != 1 && dir != -1) {
			return nil, bad
		}
		keys = append(keys, sortKey{field: kt.(string), dir: int(dir)})
	}
	// JSON.parse rejects an unterminated object and trailing text.
	if tok, err := dec.Token(); err != nil || tok != json.Delim('}') {
		return nil, bad
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, bad
	}
	return keys, nil
}

type sortKey struct {
	field string
	dir   int
}

// sortDocs sorts documents as MongoDB does: documents that tie on every
// key come in no particular order, which this server makes a new random
// order on every request unless WithStableTies says otherwise (SPEC.md §L9).
func (s *Server) sortDocs(docs []map[string]any, keys []sortKey) {
	if !s.cfg.stableTies {
		mathrand.Shuffle(len(docs), func(i, j int) { docs[i], docs[j] = docs[j], docs[i] })
	}
	if len(keys) == 0 {
		return
	}
	sort.SliceStable(docs, func(i, j int) bool {
		for _, k := range keys {
			c := compareValues(lookupPath(docs[i], k.field), lookupPath(docs[j], k.field))
			if c != 0 {
				return c*k.dir < 0
			}
		}
		return false
	})
}

func lookupPath(doc map[string]any, path string) any {
	var cur any = doc
	for _, part := range strings.Split(path, ".") {
		m, ok := cur.(map[string]any)
		if !ok {
			return nil
		}
		cur = m[part]
	}
	return cur
}

// compareValues orders missing values first, then numbers, strings and booleans, like MongoDB.
func compareValues(a, b any) int {
	rank := func(v any) int {
		switch v.(type) {
		case nil:
			return 0
		case float64:
			return 1
		case string:
			return 2
		case bool:
			return 4
		default:
			return 3
		}
	}
	if ra, rb := rank(a), rank(b); ra != rb {
		return ra - rb
	}
	switch x := a.(type) {
	case float64:
		y := b.(float64)
		switch {
		case x < y:
			return -1
		case x > y:
			return 1
		}
	case string:
		return strings.Compare(x, b.(string))
	case bool:
		y := b.(bool)
		switch {
		case !x && y:
			return -1
		case x && !y:
			return 1
		}
	}
	return 0
}

// visibleTo is mountIntegrationQueryBasedOnPermissions (spec §3.3).
func (s *Server) visibleTo(caller *user, doc map[string]any) bool {
	kind, _ := doc["type"].(string)
	mine := createdBy(doc) == caller.id
	has := func(p string) bool { return s.st.hasPermission(caller, p) }
	switch {
	case has(PermManageOutgoing) && has(PermManageIncoming):
		return true
	case has(PermManageOwnOutgoing) && has(PermManageOwnIncoming):
		return mine
	}
	return (has(PermManageOutgoing) && kind == typeOutgoing) ||
		(has(PermManageIncoming) && kind == typeIncoming) ||
		(has(PermManageOwnOutgoing) && kind == typeOutgoing && mine) ||
		(has(PermManageOwnIncoming) && kind == typeIncoming && mine)
}

// listIntegrations is GET /api/v1/integrations.list (spec §3.3). The
// deprecated `query` parameter is accepted and ignored. The default sort
// {ts: -1} names a field integrations lack, so every integration ties on it
// and MongoDB may return them in any order: paging with offset and count then
// repeats some and skips others, unless the client sorts on a unique key.
func (s *Server) listIntegrations(c *call) (map[string]any, *apiFailure) {
	offset, count := pagination(c.query)
	keys, fail := parseSort(c.query)
	if fail != nil {
		return nil, fail
	}
	if keys == nil {
		keys = []sortKey{{field: "ts", dir: -1}}
	}
	var nameRe *regexp.Regexp
	if name, _ := c.query["name"].(string); name != "" {
		nameRe = regexp.MustCompile("(?i)" + regexp.QuoteMeta(name))
	}
	typ, _ := c.query["type"].(string)
	hasType := typ != "" // type= (empty) is ignored, as Rocket.Chat ignores a falsy filter
	var matches []map[string]any
	for _, id := range s.st.order {
		doc := s.st.integrations[id]
		if !s.visibleTo(c.user, doc) {
			continue
		}
		if nameRe != nil {
			n, _ := doc["name"].(string)
			if !nameRe.MatchString(n) {
				continue
			}
		}
		if hasType && doc["type"] != typ {
			continue
		}
		matches = append(matches, doc)
	}
	s.sortDocs(matches, keys)
	total := len(matches)
	page := []any{}
	for i := offset; i < total && (count == 0 || len(page) < count); i++ {
		page = append(page, deepCopy(matches[i]))
	}
	return map[string]any{
		"integrations": page, "offset": offset, "items": len(page), "count": len(page), "total": total,
	}, nil
}

// updateIntegration is PUT /api/v1/integrations.update (spec §3.4). It never
// checks that the stored type matches the requested one, as in Rocket.Chat.
func (s *Server) updateIntegration(c *call) (map[string]any, *apiFailure) {
	body := c.bodyMap()
	var id string
	switch body["type"] {
	case typeOutgoing:
		var doc map[string]any
		if target, _ := body["target_url"].(string); target != "" {
			doc = s.findByURL(target)
		} else if iid, _ := body["integrationId"].(string); iid != "" {
			doc = s.st.integrations[iid]
		}
		if doc == nil {
			return nil, plainError("No integration found.")
		}
		id = doc["_id"].(string)
		if fail := s.updateOutgoing(c.user, id, body); fail != nil {
			return nil, fail
		}
	case typeIncoming:
		iid, _ := body["integrationId"].(string)
		if _, ok := s.st.integrations[iid]; !ok {
			return nil, plainError("No integration found.")
		}
		id = iid
		if fail := s.updateIncoming(c.user, id, body); fail != nil {
			return nil, fail
		}
	default:
		return nil, plainError("Invalid integration type.")
	}
	return map[string]any{"integration": deepCopy(s.st.integrations[id])}, nil
}

func (s *Server) findByURL(url string) map[string]any {
	for _, id := range s.st.order {
		doc := s.st.integrations[id]
		if urls, ok := doc["urls"].([]any); ok && slices.Contains(urls, any(url)) {
			return doc
		}
	}
	return nil
}

// updateIncoming is updateIncomingIntegration (spec §3.4.2).
func (s *Server) updateIncoming(caller *user, id string, in map[string]any) *apiFailure {
	const m = "updateIncomingIntegration"
	channels, fail := incomingChannels(in["channel"], m)
	if fail != nil {
		return fail
	}
	current, allowed := s.editable(caller, typeIncoming, id)
	if !allowed {
		return meteorError("not_authorized", "Unauthorized", method(m))
	}
	if current == nil {
		return meteorError("error-invalid-integration", "Invalid integration", method(m))
	}
	if fail := checkScriptEngineOnUpdate(in, current); fail != nil {
		return fail
	}
	skipTranspile := in["skipTranspile"] == true
	// The compile result is written at once, before the checks below: a
	// request that then fails still leaves it behind, as in Rocket.Chat.
	if in["scriptEnabled"] == true && !isBlankString(in["script"]) {
		applyCompile(current, in["script"].(string), skipTranspile)
		current["skipTranspile"] = skipTranspile
	}
	if fail := s.checkTargets(caller, channels, PermManageIncoming, PermManageOwnIncoming, method(m)); fail != nil {
		return fail
	}
	username, sentUsername := in["username"]
	if !sentUsername {
		username = current["username"]
	}
	name, _ := username.(string)
	postAs := s.st.userByUsername(name)
	if postAs == nil {
		return meteorError("error-invalid-post-as-user", "Invalid Post As User", method(m))
	}
	if fail := s.checkImpersonation(postAs, m); fail != nil {
		return fail
	}
	s.grantBotRole(postAs)

	set := map[string]any{
		"enabled": in["enabled"],
		"name":    in["name"],
		"channel": toAnySlice(channels),
	}
	for _, k := range []string{"avatar", "emoji", "alias", "script", "overrideDestinationChannelEnabled"} {
		if v, sent := in[k]; sent {
			set[k] = v
		}
	}
	if sentUsername {
		set["username"], set["userId"] = postAs.username, postAs.id
	}
	set["scriptEnabled"] = in["scriptEnabled"]
	set["scriptEngine"] = engineInEffect(in, current)
	set["skipTranspile"] = skipTranspile
	set["_updatedAt"] = isoDate(s.now())
	set["_updatedBy"] = userRef(caller)
	for k, v := range set {
		current[k] = deepCopy(v)
	}
	return nil
}

// updateOutgoing is updateOutgoingIntegration (spec §3.4.3): the whole
// outgoing validation first, then the token, then permission and existence.
// Fields the request leaves out are not touched (MongoDB ignores undefined
// in $set), so their old values stay.
func (s *Server) updateOutgoing(caller *user, id string, in map[string]any) *apiFailure {
	const m = "updateOutgoingIntegration"
	doc, fail := s.validateOutgoing(caller, in)
	if fail != nil {
		return fail
	}
	if isBlankString(doc["token"]) {
		return meteorError("error-invalid-token", "Invalid token", method(m))
	}
	current, allowed := s.editable(caller, typeOutgoing, id)
	if !allowed {
		return meteorError("not_authorized", "Unauthorized", method(m))
	}
	if current == nil {
		return meteorError("invalid_integration", "[methods] updateOutgoingIntegration -> integration not found", nil)
	}
	if fail := checkScriptEngineOnUpdate(in, current); fail != nil {
		return fail
	}
	for _, k := range []string{
		"event", "enabled", "name", "avatar", "emoji", "alias", "channel", "targetRoom", "impersonateUser",
		"username", "userId", "urls", "token", "script", "scriptEnabled", "skipTranspile",
		"triggerWords", "retryFailedCalls", "retryCount", "retryDelay", "triggerWordAnywhere", "runOnEdits",
	} {
		if v, sent := doc[k]; sent {
			current[k] = deepCopy(v)
		}
	}
	current["scriptEngine"] = engineInEffect(in, current)
	if compiled, ok := doc["scriptCompiled"]; ok && truthy(compiled) {
		current["scriptCompiled"] = compiled
		delete(current, "scriptError")
	} else {
		if e, sent := doc["scriptError"]; sent {
			current["scriptError"] = e
		}
		// A stale scriptError survives an update that compiles nothing.
		delete(current, "scriptCompiled")
	}
	current["_updatedAt"] = isoDate(s.now())
	current["_updatedBy"] = userRef(caller)
	return nil
}

func firstNonNil(vs ...any) any {
	for _, v := range vs {
		if v != nil {
			return v
		}
	}
	return nil
}

// removeIntegration is POST /api/v1/integrations.remove (spec §3.5). The
// permissions checked are those of the requested type, not the stored one.
func (s *Server) removeIntegration(c *call) (map[string]any, *apiFailure) {
	body := c.bodyMap()
	var doc map[string]any
	switch body["type"] {
	case typeOutgoing:
		target, _ := body["target_url"].(string)
		iid, _ := body["integrationId"].(string)
		if target == "" && iid == "" {
			return nil, plainError("An integrationId or target_url needs to be provided.")
		}
		if target != "" {
			doc = s.findByURL(target)
		} else {
			doc = s.st.integrations[iid]
		}
	case typeIncoming:
		iid, _ := body["integrationId"].(string)
		doc = s.st.integrations[iid]
	default:
		return nil, plainError("Invalid integration type.")
	}
	if doc == nil {
		return nil, plainError("No integration found.")
	}
	kind := body["type"].(string)
	m := "deleteIncomingIntegration"
	manage, own := PermManageIncoming, PermManageOwnIncoming
	if kind == typeOutgoing {
		m, manage, own = "deleteOutgoingIntegration", PermManageOutgoing, PermManageOwnOutgoing
	}
	switch {
	case s.st.hasPermission(c.user, manage):
	case s.st.hasPermission(c.user, own):
		if createdBy(doc) != c.user.id {
			return nil, meteorError("error-invalid-integration", "Invalid integration", method(m))
		}
	default:
		return nil, meteorError("not_authorized", "Unauthorized", method(m))
	}
	id := doc["_id"].(string)
	before := deepCopy(doc)
	delete(s.st.integrations, id)
	s.st.order = slices.DeleteFunc(s.st.order, func(x string) bool { return x == id })
	if kind == typeOutgoing {
		s.st.history = slices.DeleteFunc(s.st.history, func(h map[string]any) bool { return historyIntegrationID(h) == id })
	}
	return map[string]any{"integration": before}, nil
}

func historyIntegrationID(h map[string]any) string {
	ref, _ := h["integration"].(map[string]any)
	id, _ := ref["_id"].(string)
	return id
}

// integrationHistory is GET /api/v1/integrations.history (spec §3.6).
func (s *Server) integrationHistory(c *call) (map[string]any, *apiFailure) {
	id, _ := c.query["id"].(string)
	if strings.TrimSpace(id) == "" {
		return nil, plainError("Invalid integration id.")
	}
	offset, count := pagination(c.query)
	keys, fail := parseSort(c.query)
	if fail != nil {
		return nil, fail
	}
	if keys == nil {
		keys = []sortKey{{field: "_updatedAt", dir: -1}}
	}
	ownOnly := !s.st.hasPermission(c.user, PermManageOutgoing)
	var matches []map[string]any
	for _, h := range s.st.history {
		if historyIntegrationID(h) != id {
			continue
		}
		if ownOnly {
			ref, _ := h["integration"].(map[string]any)
			if createdBy(ref) != c.user.id {
				continue
			}
		}
		matches = append(matches, h)
	}
	s.sortDocs(matches, keys)
	page := []any{}
	for i := offset; i < len(matches) && (count == 0 || len(page) < count); i++ {
		page = append(page, deepCopy(matches[i]))
	}
	return map[string]any{
		"history": page, "offset": offset, "items": len(page), "count": len(page), "total": len(matches),
	}, nil
}

// AddHistory records a run of an outgoing integration, as Rocket.Chat does
// when the integration fires, so that history can be read back.
func (s *Server) AddHistory(integrationID, event string, finished bool) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	doc, ok := s.st.integrations[integrationID]
	if !ok || doc["type"] != typeOutgoing {
		return "", fmt.Errorf("rocketchattest: no outgoing integration %q", integrationID)
	}
	now := isoDate(s.now())
	h := map[string]any{
		"_id":              meteorID(),
		"type":             "outgoing-webhook",
		"step":             "finished",
		"integration":      map[string]any{"_id": integrationID, "_createdBy": deepCopy(doc["_createdBy"])},
		"event":            event,
		"_createdAt":       now,
		"_updatedAt":       now,
		"ranPrepareScript": false,
		"finished":         finished,
	}
	s.st.history = append(s.st.history, h)
	return h["_id"].(string), nil
}

// checkScriptEngineOnUpdate is validateScriptEngine on update: it runs only
// when the script is not blank and it or the engine in effect (the body's,
// else the stored one) changes, and its plain Error is rethrown as a
// Meteor.Error without a reason.
func checkScriptEngineOnUpdate(in, current map[string]any) *apiFailure {
	engine := engineInEffect(in, current)
	script := trimmedScript(in["script"])
	if script == "" || (engine == current["scriptEngine"] && script == trimmedScript(current["script"])) {
		return nil
	}
	if fail := checkScriptEngine(in, engine); fail != nil {
		return meteorError("integration-scripts-unknown-engine", "", nil)
	}
	return nil
}

// engineInEffect is what an update stores as scriptEngine:
// integration.scriptEngine ?? oldScriptEngine ?? 'isolated-vm'.
func engineInEffect(in, current map[string]any) any {
	return firstNonNil(in["scriptEngine"], current["scriptEngine"], "isolated-vm")
}

// trimmedScript is script?.trim(): "" for a missing script.
func trimmedScript(v any) string {
	s, _ := v.(string)
	return strings.TrimSpace(s)
}

// versionAtLeast reports whether a version "MAJOR.MINOR[.PATCH]" is
// major.minor or later.
func versionAtLeast(version string, major, minor int) bool {
	parts := strings.SplitN(version, ".", 3)
	if len(parts) < 2 {
		return false
	}
	maj, err1 := strconv.Atoi(parts[0])
	mnr, err2 := strconv.Atoi(parts[1])
	if err1 != nil || err2 != nil {
		return false
	}
	return maj > major || (maj == major && mnr >= minor)
}
