package rocketchattest

// runScript: replaced by the script engine.
//
// runScript runs method of an integration's compiled script. doc is a copy of
// the stored document taken under s.mu; call it without s.mu held. found is
// false when the document has no valid script or the Script instance has no
// such function; err is a failure to instantiate Script, a thrown exception
// or the time limit. params and result are JSON-like values.
func (s *Server) runScript(doc map[string]any, method string, params map[string]any) (result any, found bool, err error) {
	return nil, false, nil
}
