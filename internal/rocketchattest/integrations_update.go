package rocketchattest

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
