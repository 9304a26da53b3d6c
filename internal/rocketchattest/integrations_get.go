package rocketchattest

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
