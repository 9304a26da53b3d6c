package rocketchattest

import (
	"slices"
	"strings"
	"time"
)

// Permission names used by the integration endpoints (Rocket.Chat's permissions.ts).
const (
	PermManageIncoming     = "manage-incoming-integrations"
	PermManageOwnIncoming  = "manage-own-incoming-integrations"
	PermManageOutgoing     = "manage-outgoing-integrations"
	PermManageOwnOutgoing  = "manage-own-outgoing-integrations"
	PermBypassRateLimit    = "api-bypass-rate-limit"
	PermMessageImpersonate = "message-impersonate"
	PermViewStatistics     = "view-statistics"

	// Permissions of the look-up endpoints.
	PermViewPublicRoom         = "view-c-room"
	PermViewPrivateRoom        = "view-p-room"
	PermViewDirectRoom         = "view-d-room"
	PermViewJoinedRoom         = "view-joined-room"
	PermViewFullUserInfo       = "view-full-other-user-info"
	PermViewOtherUserChannels  = "view-other-user-channels"
	PermViewRoomAdministration = "view-room-administration"
	PermViewPrivilegedSetting  = "view-privileged-setting"
)

// Usernames and rooms of the seeded data.
const (
	AdminUsername   = "admin"             // all integration permissions, bypasses the rate limiter
	OwnerUsername   = "integration.owner" // only the manage-own-* integration permissions
	RegularUsername = "regular.user"      // no integration permission
	BotUsername     = "rocket.cat"        // the bot every Rocket.Chat has; _id "rocket.cat"

	GeneralRoomID = "GENERAL" // public channel #general; every seeded user is a member
)

// ownIntegrationsRole is a custom role holding the manage-own-* permissions,
// the way an administrator delegates integrations to non-admins.
const ownIntegrationsRole = "integration-manager"

type user struct {
	id        string
	username  string
	name      string
	email     string
	password  string
	roles     []string
	typ       string // "user" or "bot"
	active    bool
	tokens    map[string]bool // hashed login tokens
	createdAt time.Time
}

type room struct {
	id        string
	name      string
	typ       string // "c" public channel, "p" private group, "d" direct message
	members   map[string]bool
	joined    map[string]membership // by user _id: the subscription of each member
	creator   string                // user _id
	createdAt time.Time
	archived  bool
}

// membership is a member's subscription to a room.
type membership struct {
	id string
	at time.Time
}

// setting is one of Rocket.Chat's settings.
type setting struct {
	id     string
	value  any
	public bool
}

// Message is a chat message: posted through chat.postMessage, an incoming
// webhook, or an outgoing integration's reply.
type Message struct {
	ID            string         `json:"_id"`
	RoomID        string         `json:"rid"`
	DirectTo      string         `json:"-"` // username of the other party of a direct message
	Text          string         `json:"msg"`
	Alias         string         `json:"alias,omitempty"`
	Emoji         string         `json:"emoji,omitempty"`
	Avatar        string         `json:"avatar,omitempty"`
	Attachments   []any          `json:"attachments,omitempty"`
	User          map[string]any `json:"u"`
	Bot           map[string]any `json:"bot,omitempty"`  // {i: integration _id} on messages integrations post
	Tmid          string         `json:"tmid,omitempty"` // thread parent
	IntegrationID string         `json:"-"`
	Timestamp     time.Time      `json:"-"`
}

// store is the server's database. Every access happens under Server.mu.
type store struct {
	users       map[string]*user // by _id
	rooms       map[string]*room // by _id
	permissions map[string][]string
	// permissionUpdated is each permission's _updatedAt.
	permissionUpdated map[string]time.Time
	settings          []setting
	integrations      map[string]map[string]any // by _id; documents shaped like Rocket.Chat's
	order             []string                  // integration ids in insertion order (the list's natural order)
	history           []map[string]any
	messages          []Message
}

// defaultPermissions are the roles of a fresh Rocket.Chat's permissions
// (permissions.ts), for those this server consults, plus the custom role
// that holds the manage-own-* ones.
func defaultPermissions() map[string][]string {
	return map[string][]string{
		PermManageIncoming:         {"admin"},
		PermManageOwnIncoming:      {"admin", ownIntegrationsRole},
		PermManageOutgoing:         {"admin"},
		PermManageOwnOutgoing:      {"admin", ownIntegrationsRole},
		PermBypassRateLimit:        {"admin", "bot", "app"},
		PermMessageImpersonate:     {"bot", "app"},
		PermViewStatistics:         {"admin"},
		PermViewPublicRoom:         {"admin", "user", "bot", "app", "anonymous"},
		PermViewPrivateRoom:        {"admin", "user", "anonymous", "guest"},
		PermViewDirectRoom:         {"admin", "user", "bot", "app", "guest"},
		PermViewJoinedRoom:         {"guest", "bot", "app", "anonymous"},
		PermViewFullUserInfo:       {"admin"},
		PermViewOtherUserChannels:  {"admin"},
		PermViewRoomAdministration: {"admin"},
		PermViewPrivilegedSetting:  {"admin"},
	}
}

func (st *store) userByUsername(username string) *user {
	for _, u := range st.users {
		if u.username == username {
			return u
		}
	}
	return nil
}

// userByIDOrUsername is Users.findOne({$or: [{_id: x}, {username: x}]}).
func (st *store) userByIDOrUsername(x string) *user {
	if u, ok := st.users[x]; ok {
		return u
	}
	return st.userByUsername(x)
}

// roomByName is Rooms.findOneByName: an exact, case-sensitive match on
// name, whatever the room's type (direct-message rooms have no name).
func (st *store) roomByName(name string) *room {
	for _, r := range st.rooms {
		if r.name == name && r.typ != "d" {
			return r
		}
	}
	return nil
}

// join subscribes a user to a room.
func (st *store) join(r *room, u *user, at time.Time) {
	if r.members[u.id] {
		return
	}
	r.members[u.id] = true
	r.joined[u.id] = membership{id: meteorID(), at: at}
}

// messageCount is a room's msgs counter.
func (st *store) messageCount(rid string) int {
	n := 0
	for _, m := range st.messages {
		if m.RoomID == rid {
			n++
		}
	}
	return n
}

// subscriptionsOf is Subscriptions.findByUserId projected as
// subscriptions.get returns it, in the order the memberships began.
func (st *store) subscriptionsOf(u *user) []map[string]any {
	var rooms []*room
	for _, r := range st.rooms {
		if r.members[u.id] {
			rooms = append(rooms, r)
		}
	}
	slices.SortFunc(rooms, func(a, b *room) int {
		if c := a.joined[u.id].at.Compare(b.joined[u.id].at); c != 0 {
			return c
		}
		return strings.Compare(a.joined[u.id].id, b.joined[u.id].id)
	})
	out := make([]map[string]any, 0, len(rooms))
	for _, r := range rooms {
		m := r.joined[u.id]
		name := r.name
		if r.typ == "d" {
			// A direct-message subscription is named after the other user.
			for id := range r.members {
				if other := st.users[id]; other != nil && (id != u.id || len(r.members) == 1) {
					name = other.username
				}
			}
		}
		sub := map[string]any{
			"_id": m.id, "rid": r.id, "name": name, "fname": name, "t": r.typ,
			"u":    map[string]any{"_id": u.id, "username": u.username, "name": u.name},
			"open": true, "alert": false, "unread": float64(0), "userMentions": float64(0), "groupMentions": float64(0),
			"ts": isoDate(m.at), "ls": isoDate(m.at), "_updatedAt": isoDate(m.at),
		}
		if r.creator == u.id {
			sub["roles"] = []any{"owner"}
		}
		if r.archived {
			sub["archived"] = true
		}
		out = append(out, sub)
	}
	return out
}

// roomByIDOrName is Rooms.findOne({$or: [{_id: x}, {name: x}]}).
func (st *store) roomByIDOrName(x string) *room {
	if r, ok := st.rooms[x]; ok {
		return r
	}
	for _, r := range st.rooms {
		if r.name == x && r.typ != "d" {
			return r
		}
	}
	return nil
}

func (st *store) hasPermission(u *user, perm string) bool {
	if u == nil {
		return false
	}
	for _, role := range st.permissions[perm] {
		if slices.Contains(u.roles, role) {
			return true
		}
	}
	return false
}

func (st *store) hasAll(u *user, perms ...string) bool {
	for _, p := range perms {
		if !st.hasPermission(u, p) {
			return false
		}
	}
	return true
}

func (st *store) hasAny(u *user, perms ...string) bool {
	for _, p := range perms {
		if st.hasPermission(u, p) {
			return true
		}
	}
	return false
}

// subscribed is Subscriptions.findOneByRoomIdAndUserId. A "@user" target
// resolves to a user record, whose _id is never a room the caller is
// subscribed to, so such targets need both manage permissions — as in
// Rocket.Chat.
func (st *store) subscribed(roomID, userID string) bool {
	r, ok := st.rooms[roomID]
	return ok && r.members[userID]
}

// userRef is the {_id, username} projection Rocket.Chat stores in _createdBy/_updatedBy.
func userRef(u *user) map[string]any {
	return map[string]any{"_id": u.id, "username": u.username}
}

func (u *user) addRole(role string) {
	if !slices.Contains(u.roles, role) {
		u.roles = append(u.roles, role)
	}
}
