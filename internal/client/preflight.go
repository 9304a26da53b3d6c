package client

import (
	"context"
	"fmt"
	"strings"
)

// OutgoingEvent says what an outgoing event uses (Rocket.Chat's
// outgoingEvents.ts).
type OutgoingEvent struct{ Channels, TriggerWords, TargetRoom bool }

// OutgoingEvents are the outgoing events of Rocket.Chat 8.8, plus
// messageEdited and messageDeleted, which only some versions offer.
var OutgoingEvents = map[string]OutgoingEvent{
	"sendMessage":    {Channels: true, TriggerWords: true},
	"fileUploaded":   {Channels: true},
	"roomArchived":   {},
	"roomCreated":    {},
	"roomJoined":     {Channels: true},
	"roomLeft":       {Channels: true},
	"userCreated":    {TargetRoom: true},
	"messageEdited":  {Channels: true},
	"messageDeleted": {Channels: true},
}

// The targets an outgoing integration may use besides "#room" and "@user".
const (
	AllPublicChannels = "all_public_channels"
	AllPrivateGroups  = "all_private_groups"
	AllDirectMessages = "all_direct_messages"
)

// Change is a create or an update of an integration, as far as its values
// are known before it is sent.
type Change struct {
	Kind   IntegrationType
	Update bool
	// Creator is the username of the integration's creator (updates only;
	// "" when not known).
	Creator string
	// Channels are the entries of the channel list in order; "" stands for
	// an entry whose value is not known yet.
	Channels []string
	// Username is the user the integration posts as; "" when not known yet.
	Username string
	// Event is an outgoing integration's event; "" when not known yet.
	Event string
	// TargetRoom is an outgoing integration's target room; "" when unset or
	// not known yet.
	TargetRoom string
}

// Severity tells a refusal from a doubt.
type Severity int

// The severities of a Problem.
const (
	// Refused: Rocket.Chat would refuse the change.
	Refused Severity = iota
	// Doubtful: the check could not decide, or the change would be accepted
	// but not work as meant.
	Doubtful
)

// Problem is what a check found about a change.
type Problem struct {
	Severity Severity
	// Field is the request field concerned ("channel", "username", "event",
	// "targetRoom"), or "" for the change as a whole.
	Field string
	// Index is the entry of channel concerned; -1 otherwise.
	Index   int
	Summary string
	Detail  string
	// Shared is set for a problem that is the same for every change of a
	// kind in a run, such as a missing permission, so that it can be
	// reported once.
	Shared string
}

// Permission names, as Rocket.Chat's permissions.ts has them.
const (
	PermManageIncoming     = "manage-incoming-integrations"
	PermManageOwnIncoming  = "manage-own-incoming-integrations"
	PermManageOutgoing     = "manage-outgoing-integrations"
	PermManageOwnOutgoing  = "manage-own-outgoing-integrations"
	PermMessageImpersonate = "message-impersonate"
)

func kindPermissions(kind IntegrationType) (manage, own string) {
	if kind == OutgoingType {
		return PermManageOutgoing, PermManageOwnOutgoing
	}
	return PermManageIncoming, PermManageOwnIncoming
}

func kindWord(kind IntegrationType) string {
	if kind == OutgoingType {
		return "outgoing"
	}
	return "incoming"
}

// rights is what the caller may do with integrations of one kind.
type rights struct {
	user        *User
	manage, own bool
}

func (d *Directory) rights(ctx context.Context, kind IntegrationType) (*rights, error) {
	caller, err := d.Caller(ctx)
	if err != nil {
		return nil, err
	}
	manage, own := kindPermissions(kind)
	r := &rights{user: caller}
	if r.manage, err = d.Holds(ctx, caller.Roles, manage); err != nil {
		return nil, err
	}
	if r.own, err = d.Holds(ctx, caller.Roles, own); err != nil {
		return nil, err
	}
	return r, nil
}

// refusedByPermissions is what Rocket.Chat refuses before it looks at any
// value: a caller holding neither permission of the kind, or only the
// manage-own one for an integration another user created. verb is create,
// change or delete; creator is "" for a create or when not known.
func refusedByPermissions(r *rights, kind IntegrationType, verb, creator string) *Problem {
	manage, own := kindPermissions(kind)
	word := kindWord(kind)
	switch {
	case !r.manage && !r.own:
		return &Problem{
			Severity: Refused, Index: -1, Shared: verb + ":" + word,
			Summary: fmt.Sprintf("The provider's user %s may not %s %s integrations", r.user.Username, verb, word),
			Detail: fmt.Sprintf("Rocket.Chat refuses it: %s holds neither %s nor %s. An administrator can grant either under "+
				"Administration → Permissions (to one of its roles: %s); %s covers only the %s integrations the user creates. "+
				"This holds for every %s integration of the run, and is reported once.",
				r.user.Username, manage, own, rolesText(r.user.Roles), own, word, word),
		}
	case !r.manage && creator != "" && creator != r.user.Username:
		fix := fmt.Sprintf("manage this integration with %s's credentials", creator)
		if verb == "delete" {
			fix = fmt.Sprintf("delete the integration as %s, or remove it from the state with terraform state rm to stop "+
				"managing it", creator)
		}
		return &Problem{
			Severity: Refused, Index: -1,
			Summary: fmt.Sprintf("The provider's user %s may not %s this %s integration", r.user.Username, verb, word),
			Detail: fmt.Sprintf("%s holds %s but not %s, so Rocket.Chat lets it %s only the %s integrations it created, and "+
				"%s created this one. Grant %s to one of its roles (%s), or %s.",
				r.user.Username, own, manage, verb, word, creator, manage, rolesText(r.user.Roles), fix),
		}
	}
	return nil
}

// Check finds what Rocket.Chat would refuse in a create or an update: the
// caller's permissions for the kind and, with only the manage-own one, for
// the integration at hand; rooms and users that do not exist; rooms the
// caller must be a member of; targets and events that need
// manage-outgoing-integrations; and a post-as user without
// message-impersonate. It applies Rocket.Chat 8.8's rules
// (addIncomingIntegration, updateIncomingIntegration,
// validateOutgoingIntegration, updateOutgoingIntegration). Where a look-up
// fails or the caller may not see enough to decide, the problem is Doubtful,
// never Refused. Values not known yet are left to Rocket.Chat.
func (d *Directory) Check(ctx context.Context, ch Change) []Problem {
	r, err := d.rights(ctx, ch.Kind)
	if err != nil {
		return []Problem{doubt("", -1, "Rocket.Chat's permissions could not be checked",
			fmt.Sprintf("The provider could not read the permissions of its user, so it cannot tell before the apply whether "+
				"Rocket.Chat accepts this %s integration: %s", kindWord(ch.Kind), err))}
	}
	verb := "create"
	if ch.Update {
		verb = "change"
	}
	if p := refusedByPermissions(r, ch.Kind, verb, ch.Creator); p != nil {
		return []Problem{*p}
	}

	var problems []Problem
	ev, knownEvent := OutgoingEvents[ch.Event]
	usesChannels := ch.Kind == IncomingType || (knownEvent && ev.Channels)
	if ch.Kind == OutgoingType && knownEvent && !ev.Channels && !r.manage {
		problems = append(problems, Problem{
			Severity: Refused, Field: "event", Index: -1,
			Summary: fmt.Sprintf("The event %s needs %s", ch.Event, PermManageOutgoing),
			Detail: fmt.Sprintf("Rocket.Chat accepts the events roomArchived, roomCreated and userCreated, which watch the whole "+
				"server, only from users holding %s; the provider's user %s holds only %s. Grant %s to one of its roles (%s).",
				PermManageOutgoing, r.user.Username, PermManageOwnOutgoing, PermManageOutgoing, rolesText(r.user.Roles)),
		})
	}
	if usesChannels {
		for i, entry := range ch.Channels {
			if p := d.checkTarget(ctx, ch.Kind, r, i, entry); p != nil {
				problems = append(problems, *p)
			}
		}
	}
	if ch.Username != "" {
		problems = append(problems, d.checkPostAs(ctx, ch, r)...)
	}
	if ch.Kind == OutgoingType && ch.TargetRoom != "" {
		if p := d.checkTargetRoom(ctx, ch.TargetRoom); p != nil {
			problems = append(problems, *p)
		}
	}
	return problems
}

// CheckRemove finds whether Rocket.Chat would refuse to delete an
// integration of the kind created by creator ("" when not known).
func (d *Directory) CheckRemove(ctx context.Context, kind IntegrationType, creator string) []Problem {
	r, err := d.rights(ctx, kind)
	if err != nil {
		return nil // the delete itself will say
	}
	if p := refusedByPermissions(r, kind, "delete", creator); p != nil {
		return []Problem{*p}
	}
	return nil
}

// checkTarget checks one entry of channel: "#room", "@user", or for
// outgoing integrations a scoped all_* target.
func (d *Directory) checkTarget(ctx context.Context, kind IntegrationType, r *rights, i int, entry string) *Problem {
	if entry == "" {
		return nil
	}
	manage, own := kindPermissions(kind)
	exempt := r.manage && r.own // Rocket.Chat exempts only users holding both from the membership rule
	if kind == OutgoingType {   // an incoming entry must start with # or @
		switch entry {
		case AllPublicChannels:
			return nil
		case AllPrivateGroups, AllDirectMessages:
			if r.manage {
				return nil
			}
			return &Problem{
				Severity: Refused, Field: "channel", Index: i,
				Summary: fmt.Sprintf("%s needs %s", entry, PermManageOutgoing),
				Detail: fmt.Sprintf("Rocket.Chat accepts %s and %s only from users holding %s, and the provider's user %s holds "+
					"only %s. Grant %s to one of its roles (%s), or list the rooms (#name) instead.",
					AllPrivateGroups, AllDirectMessages, PermManageOutgoing, r.user.Username, own, PermManageOutgoing, rolesText(r.user.Roles)),
			}
		}
	}
	if len(entry) < 2 || (entry[0] != '#' && entry[0] != '@') {
		return nil // the syntax is checked without the server
	}
	name := entry[1:]
	if entry[0] == '@' {
		u := d.User(ctx, name, true)
		switch {
		case u.Exists == Unknown:
			return unchecked(i, entry, u.Err)
		case u.Exists == No:
			return &Problem{
				Severity: Refused, Field: "channel", Index: i,
				Summary: fmt.Sprintf("No user %s", entry),
				Detail: fmt.Sprintf("The entry %q names a user, but Rocket.Chat has no user whose username or ID is %q "+
					"(usernames are case-sensitive). Correct the entry, or create the user first.", entry, name),
			}
		case exempt:
			return nil
		}
		// The membership test looks for a subscription to a room whose _id
		// is the user's; direct-message rooms are never given one.
		if d.IsMemberOfRoomWithID(ctx, u.User.ID) == Yes {
			return nil
		}
		return &Problem{
			Severity: Refused, Field: "channel", Index: i,
			Summary: fmt.Sprintf("The provider's user %s may not target %s", r.user.Username, entry),
			Detail: fmt.Sprintf("%s holds %s, so Rocket.Chat accepts only rooms it is a member of, and a user (%s) never "+
				"counts as one. Grant both %s and %s to one of its roles (%s), or use a room instead.",
				r.user.Username, heldText(r, manage, own), entry, manage, own, rolesText(r.user.Roles)),
		}
	}
	room := d.Room(ctx, name)
	if room.Exists == No {
		return &Problem{
			Severity: Refused, Field: "channel", Index: i,
			Summary: fmt.Sprintf("No room %s", entry),
			Detail: fmt.Sprintf("The entry %q names a room, but Rocket.Chat has no room whose name or ID is %q (names are "+
				"case-sensitive and have no #). Correct the entry, or create the room first.", entry, name),
		}
	}
	if exempt {
		if room.Exists == Unknown {
			return unchecked(i, entry, room.Err)
		}
		return nil
	}
	switch room.Member {
	case Yes:
		return nil
	case Unknown:
		return unchecked(i, entry, room.Err)
	}
	detail := fmt.Sprintf("%s holds %s, so Rocket.Chat accepts only rooms it is a member of, and it is not a member of %s.",
		r.user.Username, heldText(r, manage, own), entry)
	if room.Exists != Yes {
		detail = fmt.Sprintf("%s holds %s, so Rocket.Chat accepts only rooms it is a member of, and it is a member of no room "+
			"whose name or ID is %q.", r.user.Username, heldText(r, manage, own), name)
	}
	return &Problem{
		Severity: Refused, Field: "channel", Index: i,
		Summary: fmt.Sprintf("The provider's user %s is not a member of %s", r.user.Username, entry),
		Detail: detail + fmt.Sprintf(" Add %s to the room, or grant both %s and %s to one of its roles (%s).",
			r.user.Username, manage, own, rolesText(r.user.Roles)),
	}
}

// checkPostAs checks the user the integration posts as: it must exist, by
// exact username, and from Rocket.Chat 8.6 on an incoming integration's user
// must hold message-impersonate.
func (d *Directory) checkPostAs(ctx context.Context, ch Change, r *rights) []Problem {
	u := d.User(ctx, ch.Username, false)
	switch u.Exists {
	case Unknown:
		return []Problem{doubt("username", -1, "The user "+ch.Username+" could not be checked",
			fmt.Sprintf("The provider could not look up the user %s, so it cannot tell before the apply whether Rocket.Chat "+
				"accepts it: %s", ch.Username, u.Err))}
	case No:
		detail := fmt.Sprintf("Rocket.Chat has no user with the username %q (usernames are exact and case-sensitive). "+
			"Give the username of an existing user, such as rocket.cat.", ch.Username)
		if u.ByIDOnly != nil {
			detail = fmt.Sprintf("%q is the ID of the user %s, but Rocket.Chat finds the user an integration posts as by "+
				"username only. Give %q.", ch.Username, u.ByIDOnly.Username, u.ByIDOnly.Username)
		}
		return []Problem{{Severity: Refused, Field: "username", Index: -1, Summary: "No user " + ch.Username, Detail: detail}}
	}
	if ch.Kind != IncomingType || d.server == nil || !d.server.AtLeast(8, 6) {
		return nil
	}
	roles := u.User.Roles
	if u.User.ID == r.user.ID {
		roles = r.user.Roles
	}
	if roles == nil {
		return []Problem{{
			Severity: Doubtful, Field: "username", Index: -1, Shared: "impersonate-unchecked:" + ch.Username,
			Summary: "Cannot check that " + ch.Username + " may post as an integration",
			Detail: fmt.Sprintf("Rocket.Chat %s refuses an incoming integration whose user lacks the %s permission, and "+
				"the provider's user %s may not see the roles of %s (that needs view-full-other-user-info). If %s lacks it, "+
				"the apply fails; bot users such as rocket.cat hold it by default. This is said once for all the integrations "+
				"that post as %s.",
				d.server.Version, PermMessageImpersonate, r.user.Username, ch.Username, ch.Username, ch.Username),
		}}
	}
	holds, err := d.Holds(ctx, roles, PermMessageImpersonate)
	if err != nil || holds {
		return nil
	}
	return []Problem{{
		Severity: Refused, Field: "username", Index: -1,
		Summary: ch.Username + " may not post as an incoming integration",
		Detail: fmt.Sprintf("From Rocket.Chat 8.6 on, the user an incoming integration posts as must hold the %s permission, "+
			"and %s (roles: %s) does not. Post as a bot user such as rocket.cat, or grant %s to one of its roles "+
			"(by default only bot and app hold it).", PermMessageImpersonate, ch.Username, rolesText(roles), PermMessageImpersonate),
	}}
}

// checkTargetRoom warns about a target room that names nothing: Rocket.Chat
// accepts any value, and only when the integration answers does it look the
// room up — falling back to the room that triggered it.
func (d *Directory) checkTargetRoom(ctx context.Context, target string) *Problem {
	var exists Tristate
	var err error
	switch {
	case strings.HasPrefix(target, "@"):
		u := d.User(ctx, target[1:], true)
		exists, err = u.Exists, u.Err
	default:
		room := d.Room(ctx, strings.TrimPrefix(target, "#"))
		exists, err = room.Exists, room.Err
	}
	switch exists {
	case No:
		return &Problem{
			Severity: Doubtful, Field: "targetRoom", Index: -1,
			Summary: "The target room " + target + " names nothing in Rocket.Chat",
			Detail: fmt.Sprintf("Rocket.Chat accepts any target room, but none is named %q. When the integration answers, Rocket.Chat "+
				"looks the room up, finds none and posts to the room that triggered the integration instead (for userCreated, "+
				"nowhere). Name an existing room (#name) or user (@username).", target),
		}
	case Unknown:
		p := doubt("targetRoom", -1, "The target room could not be checked", fmt.Sprintf("Looking up %q failed: %s", target, errText(err)))
		return &p
	}
	return nil
}

func unchecked(i int, entry string, err error) *Problem {
	p := doubt("channel", i, entry+" could not be checked",
		fmt.Sprintf("The provider could not tell whether Rocket.Chat accepts %q: %s", entry, errText(err)))
	return &p
}

func doubt(field string, i int, summary, detail string) Problem {
	return Problem{Severity: Doubtful, Field: field, Index: i, Summary: summary, Detail: detail}
}

func errText(err error) string {
	if err == nil {
		return "the look-up gave no answer"
	}
	return err.Error()
}

// heldText says which of a kind's two permissions the caller holds.
func heldText(r *rights, manage, own string) string {
	if r.manage {
		return manage + " but not " + own
	}
	return "only " + own
}

func rolesText(roles []string) string {
	if len(roles) == 0 {
		return "none"
	}
	return strings.Join(roles, ", ")
}
