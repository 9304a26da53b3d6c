package rocketchattest

import (
	"fmt"
	"strings"
)

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
	keys, fail := parseSort(c.query, sortKey{field: "_updatedAt", dir: -1})
	if fail != nil {
		return nil, fail
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
