package rocketchattest

import (
	"slices"
	"strconv"
	"strings"
)

// The integration endpoints have a file each (integrations_create.go,
// integrations_get.go, …); this one holds what several of them share.

const (
	typeIncoming = "webhook-incoming"
	typeOutgoing = "webhook-outgoing"
)

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

func (s *Server) findByURL(url string) map[string]any {
	for _, id := range s.st.order {
		doc := s.st.integrations[id]
		if urls, ok := doc["urls"].([]any); ok && slices.Contains(urls, any(url)) {
			return doc
		}
	}
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
