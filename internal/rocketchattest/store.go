package rocketchattest

import (
	"slices"
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
	id      string
	name    string
	typ     string // "c" public channel, "p" private group, "d" direct message
	members map[string]bool
}

// Message is a chat message posted into a room through an incoming webhook.
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
	IntegrationID string         `json:"-"`
	Timestamp     time.Time      `json:"-"`
}

// store is the server's database. Every access happens under Server.mu.
type store struct {
	users        map[string]*user // by _id
	rooms        map[string]*room // by _id
	permissions  map[string][]string
	integrations map[string]map[string]any // by _id; documents shaped like Rocket.Chat's
	order        []string                  // integration ids in insertion order (the list's natural order)
	history      []map[string]any
	messages     []Message
}

func defaultPermissions() map[string][]string {
	return map[string][]string{
		PermManageIncoming:     {"admin"},
		PermManageOwnIncoming:  {"admin", ownIntegrationsRole},
		PermManageOutgoing:     {"admin"},
		PermManageOwnOutgoing:  {"admin", ownIntegrationsRole},
		PermBypassRateLimit:    {"admin", "bot", "app"},
		PermMessageImpersonate: {"bot", "app"},
		PermViewStatistics:     {"admin"},
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
