package rocketchattest

import (
	"net/http"
	"slices"
	"strings"
	"time"
)

// The look-up endpoints: rooms, users, the caller's memberships, every
// permission with its roles, and public settings such as Site_Url. They are
// Rocket.Chat 8's typed routes (API.v1.get): authentication, then the
// route's permission, then the query schema, then the rate limit, then the
// action (SPEC.md §L1).

// roomsInfo is GET /api/v1/rooms.info (SPEC.md §L2). The route applies no
// query schema: findRoomByIdOrName reads roomId when the key is present (even
// empty), else roomName, and the room is looked up before access is checked.
func (s *Server) roomsInfo(c *call) (map[string]any, *apiFailure) {
	roomID, hasID := c.query["roomId"].(string)
	roomName, hasName := c.query["roomName"].(string)
	_, idKey := c.query["roomId"]
	_, nameKey := c.query["roomName"]
	if (!idKey && !nameKey) || (idKey && roomID == "" && nameKey && roomName == "") {
		return nil, meteorError("error-roomid-param-not-provided", `The parameter "roomId" or "roomName" is required`, nil)
	}
	var r *room
	switch {
	case idKey:
		if hasID {
			r = s.st.rooms[roomID]
		}
	case hasName:
		r = s.st.roomByName(roomName)
	}
	if r == nil {
		return nil, meteorError("error-room-not-found", `The required "roomId" or "roomName" param provided does not match any channel`, nil)
	}
	if _, fail := parseSort(c.query); fail != nil {
		return nil, fail
	}
	if !s.canAccessRoom(c.user, r) {
		// API.v1.failure('not-allowed', 'Not Allowed'): the second argument
		// becomes errorType as it is.
		return nil, &apiFailure{status: http.StatusBadRequest, body: map[string]any{"success": false, "error": "not-allowed", "errorType": "Not Allowed"}}
	}
	return map[string]any{"room": s.roomDoc(r)}, nil
}

// canAccessRoom is Authorization.canAccessRoom without teams, discussions
// and livechat, which this server does not model: a public channel for
// holders of view-c-room, any room for a member holding view-joined-room or
// view-<t>-room. Administrators get no other way in.
func (s *Server) canAccessRoom(u *user, r *room) bool {
	if r.typ == "c" && s.st.hasPermission(u, PermViewPublicRoom) {
		return true
	}
	return r.members[u.id] && (s.st.hasPermission(u, PermViewJoinedRoom) || s.st.hasPermission(u, "view-"+r.typ+"-room"))
}

// roomDoc is a room as rooms.info returns it: the stored document without
// joinCode, members, importIds and e2e.
func (s *Server) roomDoc(r *room) map[string]any {
	doc := map[string]any{
		"_id": r.id, "t": r.typ, "name": r.name, "fname": r.name,
		"msgs": float64(s.st.messageCount(r.id)), "usersCount": float64(len(r.members)),
		"ts": isoDate(r.createdAt), "_updatedAt": isoDate(r.createdAt),
		"ro": false, "sysMes": true, "default": r.id == GeneralRoomID,
	}
	if creator := s.st.users[r.creator]; creator != nil {
		doc["u"] = map[string]any{"_id": creator.id, "username": creator.username}
	}
	if r.archived {
		doc["archived"] = true
	}
	return doc
}

// usersInfo is GET /api/v1/users.info (SPEC.md §L3). Either key matches a
// user's _id or username, exactly (Users.findOneByIdOrUsername). Callers
// other than the user itself see the full fields, roles among them, only
// with view-full-other-user-info.
func (s *Server) usersInfo(c *call) (map[string]any, *apiFailure) {
	var term, searchKey string
	for _, key := range []string{"userId", "username", "importId", "email", "freeSwitchExtension"} {
		if v, _ := c.query[key].(string); v != "" {
			if key != "userId" && key != "username" {
				// Import IDs, e-mail addresses and FreeSwitch extensions are not
				// modelled: no user has one this server can match.
				return nil, plainError("User not found.")
			}
			term, searchKey = v, key
			break
		}
	}
	if term == "" {
		return nil, plainError("Invalid search query.")
	}
	u := s.st.userByIDOrUsername(term)
	if u == nil {
		return nil, plainError("User not found.")
	}
	// The caller is "myself" by what it asked for, not by whom it found: its
	// own _id as userId, or its own username as username.
	myself := (searchKey == "userId" && term == c.user.id) || (searchKey == "username" && term == c.user.username)
	all := myself || s.st.hasPermission(c.user, PermViewFullUserInfo)
	doc := map[string]any{
		"_id": u.id, "username": u.username, "name": u.name, "status": "online",
		"utcOffset": float64(0), "type": u.typ, "active": u.active, "canViewAllInfo": all,
	}
	if all {
		doc["emails"] = []any{map[string]any{"address": u.email, "verified": true}}
		doc["roles"] = toAnySlice(slices.Clone(u.roles))
		doc["statusConnection"] = "online"
		doc["createdAt"] = isoDate(u.createdAt)
	}
	if myself {
		doc["services"] = map[string]any{"password": true}
	}
	if c.query["includeUserRooms"] == "true" && (u.id == c.user.id || s.st.hasPermission(c.user, PermViewOtherUserChannels)) {
		subs := s.st.subscriptionsOf(u)
		s.sortDocs(subs, []sortKey{{"t", 1}, {"name", 1}})
		rooms := []any{}
		for _, sub := range subs {
			room := map[string]any{"_id": sub["_id"], "rid": sub["rid"], "name": sub["name"], "t": sub["t"], "unread": float64(0)}
			if roles, ok := sub["roles"]; ok {
				room["roles"] = roles
			}
			rooms = append(rooms, room)
		}
		doc["rooms"] = rooms
	}
	return map[string]any{"user": doc}, nil
}

// subscriptionsGet is GET /api/v1/subscriptions.get (SPEC.md §L4): every
// room the caller is a member of, not paged.
func (s *Server) subscriptionsGet(c *call) (map[string]any, *apiFailure) {
	since, fail := updatedSince(c.query, `The "lastUpdate" query parameter must be a valid date.`)
	if fail != nil {
		return nil, fail
	}
	subs := s.st.subscriptionsOf(c.user)
	s.sortDocs(subs, nil) // Rocket.Chat asks for no order
	update := []any{}
	for _, sub := range subs {
		if since.IsZero() || sub["_updatedAt"].(string) > isoDate(since) {
			update = append(update, sub)
		}
	}
	return map[string]any{"update": update, "remove": []any{}}, nil
}

// permissionsListAll is GET /api/v1/permissions.listAll (SPEC.md §L5):
// every permission with its roles, to any logged-in user, not paged.
func (s *Server) permissionsListAll(c *call) (map[string]any, *apiFailure) {
	since, fail := updatedSince(c.query, `The "updatedSince" query parameter must be a valid date.`)
	if fail != nil {
		return nil, fail
	}
	docs := make([]map[string]any, 0, len(s.st.permissions))
	for id, roles := range s.st.permissions {
		at := s.st.permissionUpdated[id]
		if !since.IsZero() && !at.After(since) {
			continue
		}
		docs = append(docs, map[string]any{"_id": id, "roles": toAnySlice(slices.Clone(roles)), "_updatedAt": isoDate(at)})
	}
	// Rocket.Chat asks for no order: a new one on every request, or the
	// order of _id with stable ties.
	var keys []sortKey
	if s.cfg.stableTies {
		keys = []sortKey{{"_id", 1}}
	}
	s.sortDocs(docs, keys)
	update := make([]any, len(docs))
	for i, d := range docs {
		update[i] = d
	}
	return map[string]any{"update": update, "remove": []any{}}, nil
}

// updatedSince reads the updatedSince parameter of subscriptions.get and
// permissions.listAll: a date Date.parse understands, else a Meteor.Error
// whose type Rocket.Chat took from another endpoint.
func updatedSince(q map[string]any, message string) (time.Time, *apiFailure) {
	v, _ := q["updatedSince"].(string)
	if v == "" {
		return time.Time{}, nil
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.000Z", "2006-01-02"} {
		if t, err := time.Parse(layout, v); err == nil {
			return t, nil
		}
	}
	return time.Time{}, meteorError("error-roomId-param-invalid", message, nil)
}

// settingsPublic is GET /api/v1/settings.public (SPEC.md §L6), which needs
// no credentials: the public settings, optionally only those whose _id is in
// a comma-separated list, sorted by _id and paged.
func (s *Server) settingsPublic(c *call) (map[string]any, *apiFailure) {
	offset, count := pagination(c.query)
	keys, fail := parseSort(c.query)
	if fail != nil {
		return nil, fail
	}
	var wanted []string
	if ids, _ := c.query["_id"].(string); ids != "" {
		for _, id := range strings.Split(ids, ",") {
			wanted = append(wanted, strings.TrimSpace(id))
		}
	}
	var matches []map[string]any
	for _, st := range s.st.settings {
		if !st.public || (wanted != nil && !slices.Contains(wanted, st.id)) {
			continue
		}
		matches = append(matches, map[string]any{"_id": st.id, "value": st.value})
	}
	if keys == nil {
		keys = []sortKey{{field: "_id", dir: 1}}
	}
	s.sortDocs(matches, keys)
	page := []any{}
	for i := offset; i < len(matches) && (count == 0 || len(page) < count); i++ {
		page = append(page, matches[i])
	}
	return map[string]any{"settings": page, "count": len(page), "offset": offset, "total": len(matches)}, nil
}
