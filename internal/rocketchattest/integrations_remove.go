package rocketchattest

import (
	"slices"
)

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
