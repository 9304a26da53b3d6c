package rocketchattest

import (
	"encoding/json"
	"io"
	mathrand "math/rand/v2"
	"regexp"
	"sort"
	"strings"
)

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

// parseSort is parseJsonQuery's handling of the sort parameter; without
// one, the endpoint's own sort (fallback) applies.
func parseSort(q map[string]any, fallback ...sortKey) ([]sortKey, *apiFailure) {
	raw, ok := q["sort"].(string)
	if !ok || raw == "" {
		return fallback, nil
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
	keys, fail := parseSort(c.query, sortKey{field: "ts", dir: -1})
	if fail != nil {
		return nil, fail
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
