package client

import (
	"context"
	"encoding/json"
	"errors"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"
)

// Directory answers, for one Terraform run, what the checks of a create or
// an update need to know: who the caller is and what it may do, which rooms
// and users exist, which rooms the caller is a member of, and Rocket.Chat's
// Site_Url. Each answer is looked up once and shared by every resource of the
// run, so a plan costs a call or two per distinct room and user, never per
// resource. It is safe for concurrent use.
type Directory struct {
	c      *Client
	server *ServerInfo

	freshOnce sync.Once
	fresh     *Directory

	caller      lazy[*User]
	permissions lazy[map[string][]string]
	memberships lazy[[]Subscription]
	siteURL     lazy[string]
	rooms       lazyMap[string, RoomLookup]
	users       lazyMap[userKey, *UserInfo]
}

// NewDirectory returns a directory for one run. caller is the user the
// client acts as, as /api/v1/me returned it; server is what /api/info
// returned, nil when unknown.
func (c *Client) NewDirectory(caller *User, server *ServerInfo) *Directory {
	d := &Directory{c: c, server: server}
	if caller != nil {
		d.caller.done, d.caller.val = true, caller
	}
	return d
}

// Fresh returns a directory that knew only the caller and the server when
// it was made: after Rocket.Chat refused a change, the world may differ from
// what the run looked up earlier. Every refusal of the run shares it, so
// they cost the look-ups once.
func (d *Directory) Fresh() *Directory {
	d.freshOnce.Do(func() {
		d.fresh = &Directory{c: d.c, server: d.server}
		if caller, ok := d.caller.peek(); ok {
			d.fresh.caller.done, d.fresh.caller.val = true, caller
		}
	})
	return d.fresh
}

// Caller is the user the client acts as, with its global roles.
func (d *Directory) Caller(ctx context.Context) (*User, error) {
	return d.caller.get(ctx, d.c.Me)
}

// Holds reports whether a user with these global roles holds a permission.
// Rocket.Chat's checks of integrations pass no room, so room roles never
// count, and administrators hold only what the permission's roles name.
func (d *Directory) Holds(ctx context.Context, roles []string, permission string) (bool, error) {
	perms, err := d.permissions.get(ctx, func(ctx context.Context) (map[string][]string, error) {
		list, err := d.c.Permissions(ctx)
		if err != nil {
			return nil, err
		}
		m := make(map[string][]string, len(list))
		for _, p := range list {
			m[p.ID] = p.Roles
		}
		return m, nil
	})
	if err != nil {
		return false, err
	}
	for _, r := range perms[permission] {
		if slices.Contains(roles, r) {
			return true, nil
		}
	}
	return false, nil
}

// Tristate is an answer that may be unknown.
type Tristate int

// The answers of a Tristate.
const (
	Unknown Tristate = iota
	Yes
	No
)

// RoomLookup is what a run knows of the room a "#x" entry names: Rocket.Chat
// takes the room whose _id or name is x, exactly.
type RoomLookup struct {
	Exists Tristate
	// ID is the room's _id when known.
	ID string
	// Type is "c", "p", "d" … when known.
	Type string
	// Member says whether the caller is a member of the room.
	Member Tristate
	// Hidden is set when the room exists but the caller may not see it.
	Hidden bool
	// Err is why Exists or Member is Unknown.
	Err error
}

// Room looks up the room a "#x" target names (x without the #).
func (d *Directory) Room(ctx context.Context, x string) RoomLookup {
	r, err := d.rooms.get(ctx, x, func(ctx context.Context) (RoomLookup, error) { return d.lookupRoom(ctx, x), nil })
	if err != nil {
		return RoomLookup{Err: err}
	}
	return r
}

func (d *Directory) lookupRoom(ctx context.Context, x string) RoomLookup {
	var out RoomLookup
	subs, subsErr := d.Memberships(ctx)
	if subsErr == nil {
		out.Member = No
		for _, s := range subs {
			// A direct-message room has no name: its subscription's name is
			// the other user's, which "#x" does not match.
			if s.RoomID == x || (s.Type != "d" && s.Name == x) {
				out.Exists, out.ID, out.Type = Yes, s.RoomID, s.Type
				out.Member = membership(s)
				if out.Member == Unknown {
					out.Err = errInvited
				}
				return out
			}
		}
	}
	// By name first, the common case, then by _id.
	for _, byID := range []bool{false, true} {
		room, err := d.c.RoomInfo(ctx, x, byID)
		switch {
		case err == nil:
			out.Exists, out.ID, out.Type = Yes, room.ID, room.Type
		case IsRoomHidden(err):
			out.Exists, out.Hidden = Yes, true
		case IsRoomNotFound(err):
			continue
		default:
			out.Exists, out.Err = Unknown, err
			return out
		}
		if subsErr != nil {
			out.Member, out.Err = Unknown, subsErr
		}
		return out
	}
	out.Exists = No
	return out
}

// errInvited explains an unknown membership: whether Rocket.Chat counts an
// invitation not yet accepted as a membership could not be confirmed in its
// source.
var errInvited = errors.New("the provider's user is invited to the room but has not joined it, and Rocket.Chat may not count an invitation")

// membership says whether a subscription makes the caller a member: an
// invitation not yet accepted may not count (errInvited).
func membership(s Subscription) Tristate {
	if s.Status == "INVITED" {
		return Unknown
	}
	return Yes
}

// Memberships lists the rooms the caller is a member of.
func (d *Directory) Memberships(ctx context.Context) ([]Subscription, error) {
	return d.memberships.get(ctx, d.c.Subscriptions)
}

// IsMemberOfRoomWithID reports whether the caller has a subscription to the
// room with that _id.
func (d *Directory) IsMemberOfRoomWithID(ctx context.Context, id string) Tristate {
	subs, err := d.Memberships(ctx)
	if err != nil {
		return Unknown
	}
	for _, s := range subs {
		if s.RoomID == id {
			return membership(s)
		}
	}
	return No
}

// UserLookup is what a run knows of a user.
type UserLookup struct {
	Exists Tristate
	User   *UserInfo
	// ByIDOnly is set for a username lookup that found only a user whose _id
	// is the name: Rocket.Chat's post-as user is found by username alone.
	ByIDOnly *UserInfo
	Err      error
}

// userKey is a users.info question: x as username= or, with byID, as userId=.
type userKey struct {
	x    string
	byID bool
}

// userInfo asks users.info once per run for each question.
func (d *Directory) userInfo(ctx context.Context, x string, byID bool) (*UserInfo, error) {
	return d.users.get(ctx, userKey{x, byID}, func(ctx context.Context) (*UserInfo, error) { return d.c.UserInfo(ctx, x, byID) })
}

// User looks up a user by exact username, or, with byID, by username or _id
// as an "@x" target is.
func (d *Directory) User(ctx context.Context, x string, byID bool) UserLookup {
	var out UserLookup
	u, err := d.userInfo(ctx, x, false)
	switch {
	case err == nil && u.Username == x:
		out.Exists, out.User = Yes, u
		return out
	case err == nil && u.ID == x:
		if byID {
			out.Exists, out.User = Yes, u
			return out
		}
		out.ByIDOnly = u
	case err == nil, IsUserNotFound(err):
		// Older versions match the username regardless of case, which
		// Rocket.Chat's integration checks do not.
	default:
		out.Err = err
		return out
	}
	if byID && out.ByIDOnly == nil && (d.server == nil || !d.server.AtLeast(8, 0)) {
		// Versions before 8 match username= against usernames only, and
		// userId= against _id.
		u, err := d.userInfo(ctx, x, true)
		switch {
		case err == nil && u.ID == x:
			out.Exists, out.User = Yes, u
			return out
		case err == nil, IsUserNotFound(err):
		default:
			out.Err = err
			return out
		}
	}
	out.Exists = No
	return out
}

// SiteURL is Rocket.Chat's Site_Url setting: the address under which its
// users reach it, from which its UI builds webhook URLs. It is "" when the
// setting cannot be read.
func (d *Directory) SiteURL(ctx context.Context) string {
	v, err := d.siteURL.get(ctx, func(ctx context.Context) (string, error) {
		raw, found, err := d.c.PublicSetting(ctx, "Site_Url")
		if err != nil || !found {
			return "", err
		}
		var s string
		if json.Unmarshal(raw, &s) != nil {
			return "", nil
		}
		return strings.TrimSpace(s), nil
	})
	if err != nil && ctx.Err() == nil {
		d.c.debug(ctx, "Site_Url could not be read; webhook URLs are built on the provider's server URL", map[string]any{"error": err.Error()})
	}
	return v
}

var httpScheme = regexp.MustCompile(`(?i)^https?://`)

// WebhookURL is an incoming integration's address as Rocket.Chat's UI shows
// it: Meteor's absoluteUrl("hooks/<id>/<token>") with Site_Url as the root
// (http:// added when it has no scheme, a slash before the path). Without a
// readable Site_Url it is built on the provider's server URL, and
// fromSiteURL is false.
func (d *Directory) WebhookURL(ctx context.Context, id, token string) (u string, fromSiteURL bool) {
	root := d.SiteURL(ctx)
	if root == "" {
		return d.c.WebhookURL(id, token), false
	}
	if !httpScheme.MatchString(root) {
		root = "http://" + root
	}
	return hookURL(root, id, token), true
}

// hookURL is root/hooks/<id>/<token>.
func hookURL(root, id, token string) string {
	return strings.TrimSuffix(root, "/") + HookPath(id, token)
}

// HookPath is the path of an incoming integration's webhook URL.
func HookPath(id, token string) string {
	return "/hooks/" + url.PathEscape(id) + "/" + url.PathEscape(token)
}

// lazy is a value loaded once, on first use, by one caller while the others
// wait. A load abandoned because its caller's context ended is not kept, so
// the next caller loads again.
type lazy[T any] struct {
	mu      sync.Mutex
	done    bool
	val     T
	err     error
	loading chan struct{}
}

// peek returns the value when it was loaded without an error.
func (l *lazy[T]) peek() (T, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.val, l.done && l.err == nil
}

func (l *lazy[T]) get(ctx context.Context, load func(context.Context) (T, error)) (T, error) {
	for {
		l.mu.Lock()
		if l.done {
			defer l.mu.Unlock()
			return l.val, l.err
		}
		if wait := l.loading; wait != nil {
			l.mu.Unlock()
			select {
			case <-wait:
				continue
			case <-ctx.Done():
				var zero T
				return zero, ctx.Err()
			}
		}
		loading := make(chan struct{})
		l.loading = loading
		l.mu.Unlock()

		v, err := load(ctx)

		l.mu.Lock()
		l.loading = nil
		close(loading)
		if ctx.Err() == nil {
			l.done, l.val, l.err = true, v, err
		}
		l.mu.Unlock()
		return v, err
	}
}

// lazyMap is a lazy value per key.
type lazyMap[K comparable, T any] struct {
	mu sync.Mutex
	m  map[K]*lazy[T]
}

func (m *lazyMap[K, T]) get(ctx context.Context, key K, load func(context.Context) (T, error)) (T, error) {
	m.mu.Lock()
	if m.m == nil {
		m.m = map[K]*lazy[T]{}
	}
	l, ok := m.m[key]
	if !ok {
		l = &lazy[T]{}
		m.m[key] = l
	}
	m.mu.Unlock()
	return l.get(ctx, load)
}
