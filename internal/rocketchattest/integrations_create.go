package rocketchattest

import (
	"slices"
	"strings"
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
