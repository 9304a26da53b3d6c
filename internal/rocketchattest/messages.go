package rocketchattest

import "slices"

// channelMessages is GET /api/v1/channels.messages?roomId=…|roomName=…, the
// call Rocket.Chat's own tests use to see that a webhook's message arrived
// (spec §9.1 #10). Only what those tests read is modelled: the room's
// messages, newest first, with the usual page fields. The room must be a
// public channel the caller can see; anything else answers as an unknown
// room.
func (s *Server) channelMessages(c *call) (map[string]any, *apiFailure) {
	roomID, _ := c.query["roomId"].(string)
	roomName, _ := c.query["roomName"].(string)
	var rm *room
	switch {
	case roomID != "":
		rm = s.st.rooms[roomID]
	case roomName != "":
		rm = s.st.roomByIDOrName(roomName)
	default:
		return nil, meteorError("error-room-param-not-provided", `The parameter "roomId" or "roomName" is required`, nil)
	}
	if rm == nil || rm.typ != "c" {
		return nil, meteorError("error-room-not-found", "The required \"roomId\" or \"roomName\" param provided does not match any channel", nil)
	}
	offset, count := pagination(c.query)
	var all []Message
	for _, m := range s.st.messages {
		if m.RoomID == rm.id {
			all = append(all, m)
		}
	}
	slices.Reverse(all)
	page := []any{}
	for i := offset; i < len(all) && (count == 0 || len(page) < count); i++ {
		page = append(page, all[i].doc())
	}
	return map[string]any{"messages": page, "offset": offset, "count": len(page), "total": len(all)}, nil
}
