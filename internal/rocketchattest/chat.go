package rocketchattest

import (
	"maps"
	"regexp"
	"slices"
	"strings"
	"unicode/utf16"
)

// messageMaxAllowedSize is Message_MaxAllowedSize of a fresh Rocket.Chat.
const messageMaxAllowedSize = 5000

// chatPostMessageSchema is ChatPostMessageSchema from @rocket.chat/rest-typings
// 8.8.1, dist/v1/chat.js (isChatPostMessageProps, POST chat.postMessage body),
// keeping property order; the "description" annotations are left out.
var chatPostMessageSchema = withCoercion(coerceScalars, &schema{oneOf: []*schema{
	objectOf([]string{"roomId"}, schemaBool(false), append([]schemaProperty{
		schemaProp("roomId", stringOrStrings()),
	}, postMessageProps(true)...)...),
	objectOf([]string{"channel"}, schemaBool(false), append([]schemaProperty{
		schemaProp("channel", stringOrStrings()),
	}, postMessageProps(false)...)...),
}})

func stringOrStrings() *schema {
	return &schema{oneOf: []*schema{
		ofType("string", nullableFalse),
		{types: []string{"array"}, items: ofType("string", nullableFalse)},
	}}
}

// postMessageProps are the properties both branches share after the target;
// only the roomId branch has tmid, between attachments and customFields.
func postMessageProps(withThread bool) []schemaProperty {
	props := []schemaProperty{
		schemaProp("text", ofType("string", nullableTrue)),
		schemaProp("alias", ofType("string", nullableTrue)),
		schemaProp("emoji", ofType("string", nullableTrue)),
		schemaProp("avatar", ofType("string", nullableTrue)),
		schemaProp("attachments", &schema{types: []string{"array"}, nullable: true, items: ofType("object", nullableFalse)}),
	}
	if withThread {
		props = append(props, schemaProp("tmid", ofType("string", nullableFalse)))
	}
	return append(props,
		schemaProp("customFields", ofType("object", nullableTrue)),
		schemaProp("parseUrls", ofType("boolean", nullableFalse)),
	)
}

// chatPostMessage is POST /api/v1/chat.postMessage (SPEC.md §O1): the size
// limit, then processWebhookMessage as the caller, answering the first
// message posted.
func (s *Server) chatPostMessage(c *call) (map[string]any, *apiFailure) {
	body := c.bodyMap()
	if text, _ := body["text"].(string); text != "" && jsLength(text) > messageMaxAllowedSize {
		return nil, plainError("error-message-size-exceeded")
	}
	if atts, ok := body["attachments"].([]any); ok {
		for _, a := range atts {
			att, _ := a.(map[string]any)
			if text, _ := att["text"].(string); text != "" && jsLength(text) > messageMaxAllowedSize {
				return nil, plainError("error-message-size-exceeded")
			}
		}
	}
	sent, err := s.processWebhookMessage(body, c.user, messageDefaults{})
	if err != nil {
		return nil, err.restFailure()
	}
	if len(sent) == 0 {
		return nil, plainError("unknown-error")
	}
	return map[string]any{
		"ts":      float64(s.now().UnixMilli()),
		"channel": sent[0].channel,
		"message": sent[0].message.doc(),
	}, nil
}

// jsLength is a JavaScript string's length: UTF-16 code units.
func jsLength(s string) int { return len(utf16.Encode([]rune(s))) }

// messageDefaults are processWebhookMessage's defaultValues: what an
// integration contributes when the payload does not say.
type messageDefaults struct {
	channel any // string or []any, as stored
	alias   string
	avatar  string
	emoji   string
}

// postFailure is an error thrown while posting: a Meteor.Error (meteor) or a
// plain Error, whose code is its error or message.
type postFailure struct {
	meteor bool
	code   string
}

// restFailure is how the REST wrapper answers it (spec §1.2).
func (f *postFailure) restFailure() *apiFailure {
	if f.meteor {
		return meteorError(f.code, "", nil)
	}
	return plainError(f.code)
}

func (f *postFailure) Error() string { return f.code }

var invalidChannel = &postFailure{meteor: true, code: "invalid-channel"}

// sentMessage is one entry of processWebhookMessage's answer.
type sentMessage struct {
	channel string
	message Message
}

// historyValue is the {channel, message} entry as history documents keep it.
func (m sentMessage) historyValue() map[string]any {
	return map[string]any{"channel": m.channel, "message": m.message.doc()}
}

// processWebhookMessage posts a payload as user into each of its targets
// (channel, else roomId, else the defaults), with s.mu held. Targets before a
// failing one stay posted, as in Rocket.Chat.
func (s *Server) processWebhookMessage(payload map[string]any, postAs *user, defaults messageDefaults) ([]sentMessage, *postFailure) {
	targets := firstTruthy(payload["channel"], payload["roomId"], defaults.channel)
	var channels []string
	for _, t := range ensureArray(targets) {
		ch, _ := t.(string)
		if !slices.Contains(channels, ch) {
			channels = append(channels, ch)
		}
	}
	var sent []sentMessage
	for _, ch := range channels {
		rm, fail := s.webhookTargetRoom(postAs, ch)
		if fail != nil {
			return sent, fail
		}
		msg := buildWebhookMessage(payload, defaults)
		if !s.canAccessRoom(postAs, rm) {
			return sent, &postFailure{code: "error-not-allowed"}
		}
		if fail := s.validateMessage(msg, postAs); fail != nil {
			return sent, fail
		}
		sent = append(sent, sentMessage{channel: ch, message: s.saveMessageLocked(msg, rm, postAs)})
	}
	return sent, nil
}

// webhookTargetRoom resolves one target the way processWebhookMessage does:
// "#x" a room by _id or name (joining a public channel), "@x" the direct
// room with a user, anything else a room by _id or name and then the direct
// room with the user of that _id.
func (s *Server) webhookTargetRoom(postAs *user, target string) (*room, *postFailure) {
	if target == "" {
		// channel[0] is undefined: the look-up is for the text "undefined".
		target = "undefined"
	}
	switch target[0] {
	case '#':
		return s.roomByNameOrIDWithOptionToJoin(postAs, target[1:], roomLookup{join: true, errorOnEmpty: true})
	case '@':
		return s.roomByNameOrIDWithOptionToJoin(postAs, target[1:], roomLookup{direct: true, join: true, errorOnEmpty: true})
	}
	if rm, _ := s.roomByNameOrIDWithOptionToJoin(postAs, target, roomLookup{join: true}); rm != nil {
		return rm, nil
	}
	return s.roomByNameOrIDWithOptionToJoin(postAs, target, roomLookup{direct: true, directByIDOnly: true, join: true, errorOnEmpty: true})
}

// roomLookup are getRoomByNameOrIdWithOptionToJoin's options.
type roomLookup struct {
	direct         bool // type: 'd'
	directByIDOnly bool // tryDirectByUserIdOnly
	join           bool // joinChannel
	errorOnEmpty   bool
}

// roomByNameOrIDWithOptionToJoin is getRoomByNameOrIdWithOptionToJoin, with
// s.mu held: a missing room is invalid-channel when errorOnEmpty, else nil.
func (s *Server) roomByNameOrIDWithOptionToJoin(u *user, nameOrID string, opt roomLookup) (*room, *postFailure) {
	missing := func() (*room, *postFailure) {
		if opt.errorOnEmpty {
			return nil, invalidChannel
		}
		return nil, nil
	}
	var rm *room
	switch {
	case strings.HasPrefix(nameOrID, "#"):
		rm = s.st.roomByIDOrName(nameOrID[1:])
	case strings.HasPrefix(nameOrID, "@") || opt.direct:
		nameOrID = strings.Replace(nameOrID, "@", "", 1)
		var other *user
		if opt.directByIDOnly {
			other = s.st.users[nameOrID]
		} else {
			other = s.st.userByIDOrUsername(nameOrID)
		}
		if other != nil {
			rm = s.existingDirectRoom(u, other)
		} else {
			rm = s.st.rooms[nameOrID]
		}
		if rm == nil {
			if other == nil {
				return missing()
			}
			return s.directRoom(u, other), nil
		}
	default:
		rm = s.st.roomByIDOrName(nameOrID)
	}
	if rm == nil {
		return missing()
	}
	if opt.direct && rm.typ != "d" {
		return missing()
	}
	if rm.typ == "c" && opt.join {
		s.st.join(rm, u, s.now())
	}
	return rm, nil
}

// buildWebhookMessage is the message processWebhookMessage builds: the
// payload's fields over the defaults, and an avatar or else an emoji, never both.
func buildWebhookMessage(payload map[string]any, defaults messageDefaults) Message {
	text := pickString(payload["text"], payload["msg"])
	msg := Message{
		Text:  strings.TrimSpace(text),
		Alias: pickString(payload["username"], payload["alias"], defaults.alias),
	}
	switch {
	case pickString(payload["icon_url"], payload["avatar"]) != "":
		msg.Avatar = pickString(payload["icon_url"], payload["avatar"])
	case pickString(payload["icon_emoji"], payload["emoji"]) != "":
		msg.Emoji = pickString(payload["icon_emoji"], payload["emoji"])
	case defaults.avatar != "":
		msg.Avatar = defaults.avatar
	case defaults.emoji != "":
		msg.Emoji = defaults.emoji
	}
	// Attachments that are not an array are ignored; an attachment's msg becomes its text.
	if atts, ok := payload["attachments"].([]any); ok {
		msg.Attachments = deepCopy(atts).([]any)
		for _, a := range msg.Attachments {
			if att, ok := a.(map[string]any); ok {
				if m, _ := att["msg"].(string); m != "" {
					att["text"] = strings.TrimSpace(m)
					delete(att, "msg")
				}
			}
		}
	}
	if bot, ok := payload["bot"].(map[string]any); ok {
		msg.Bot = maps.Clone(bot)
		msg.IntegrationID, _ = bot["i"].(string)
	}
	msg.Tmid, _ = payload["tmid"].(string)
	return msg
}

var javascriptURL = regexp.MustCompile(`(?i)^javascript:`)

// validateMessage is sendMessage's validateMessage, for the parts this
// server models: a javascript: avatar, the message-impersonate permission
// an alias or avatar needs, and attachment fields without title or value.
func (s *Server) validateMessage(msg Message, u *user) *postFailure {
	if javascriptURL.MatchString(msg.Avatar) {
		return &postFailure{code: "Invalid href value provided"}
	}
	if (msg.Alias != "" || msg.Avatar != "") && !s.st.hasPermission(u, PermMessageImpersonate) {
		return &postFailure{code: "Not enough permission"}
	}
	for _, a := range msg.Attachments {
		att, _ := a.(map[string]any)
		fields, _ := att["fields"].([]any)
		for _, f := range fields {
			field, _ := f.(map[string]any)
			if !truthy(field["title"]) || !truthy(field["value"]) {
				return &postFailure{code: "Invalid attachment field, title and value is required"}
			}
		}
	}
	return nil
}

// saveMessageLocked stores a message posted by u into rm, then runs what
// Rocket.Chat runs after saving one: the outgoing integrations it fires.
func (s *Server) saveMessageLocked(msg Message, rm *room, u *user) Message {
	msg.ID = meteorID()
	msg.RoomID = rm.id
	msg.User = map[string]any{"_id": u.id, "username": u.username, "name": u.name}
	msg.Timestamp = s.now()
	if rm.typ == "d" {
		for id := range rm.members {
			if other := s.st.users[id]; other != nil && (id != u.id || len(rm.members) == 1) {
				msg.DirectTo = other.username
			}
		}
	}
	s.st.messages = append(s.st.messages, msg)
	s.fireOutgoingLocked(msg, rm)
	return msg
}

// doc is the message as the API returns it.
func (m Message) doc() map[string]any {
	doc := map[string]any{
		"_id": m.ID, "rid": m.RoomID, "msg": m.Text, "ts": isoDate(m.Timestamp), "_updatedAt": isoDate(m.Timestamp),
		"u": maps.Clone(m.User), "groupable": false,
	}
	for k, v := range map[string]string{"alias": m.Alias, "emoji": m.Emoji, "avatar": m.Avatar, "tmid": m.Tmid} {
		if v != "" {
			doc[k] = v
		}
	}
	if m.Bot != nil {
		doc["bot"] = deepCopy(m.Bot)
	}
	if len(m.Attachments) > 0 {
		doc["attachments"] = deepCopy(m.Attachments)
	}
	return doc
}

// existingDirectRoom is Rooms.findOneDirectRoomContainingAllUserIDs for two
// users (one when a user writes to itself).
func (s *Server) existingDirectRoom(a, b *user) *room {
	want := map[string]bool{a.id: true, b.id: true}
	for _, r := range s.st.rooms {
		if r.typ == "d" && maps.Equal(r.members, want) {
			return r
		}
	}
	return nil
}

// firstTruthy is a || b || c.
func firstTruthy(vs ...any) any {
	for _, v := range vs {
		if truthy(v) {
			return v
		}
	}
	if len(vs) == 0 {
		return nil
	}
	return vs[len(vs)-1]
}

// ensureArray is [].concat(v) for one value or an array.
func ensureArray(v any) []any {
	if arr, ok := v.([]any); ok {
		return arr
	}
	return []any{v}
}
