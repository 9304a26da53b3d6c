package client

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// The look-ups below find what a create or update of an integration refers
// to — rooms, users, the caller's permissions and memberships — so that what
// Rocket.Chat would refuse can be found before anything is changed. Each is
// one REST call; Directory shares them across a run.

// Room is a room as rooms.info returns it (a part of IRoom).
type Room struct {
	ID   string `json:"_id"`
	Type string `json:"t"` // "c" public channel, "p" private group, "d" direct messages, "l" livechat
}

// RoomInfo reads a room by its _id (byID) or by its name with GET
// /api/v1/rooms.info. Rocket.Chat looks the room up before it checks access,
// so IsRoomNotFound and IsRoomHidden tell a missing room from one the caller
// may not see.
func (c *Client) RoomInfo(ctx context.Context, key string, byID bool) (*Room, error) {
	return getOne[Room](ctx, c, "/api/v1/rooms.info", "room", lookupQuery(key, byID, "roomId", "roomName"))
}

// lookupQuery asks for key as an _id (byID) or as a name.
func lookupQuery(key string, byID bool, idParam, nameParam string) url.Values {
	if byID {
		return url.Values{idParam: {key}}
	}
	return url.Values{nameParam: {key}}
}

// getOne reads the one document an endpoint answers under field, such as
// rooms.info's "room", and fails if the answer lacks it.
func getOne[T any](ctx context.Context, c *Client, endpoint, field string, q url.Values) (*T, error) {
	var out map[string]json.RawMessage
	if err := c.do(ctx, call{method: http.MethodGet, path: endpoint, query: q, auth: true, repeatable: true}, &out); err != nil {
		return nil, err
	}
	raw, ok := out[field]
	if !ok || string(raw) == "null" {
		return nil, fmt.Errorf("%s answered without a %s", strings.TrimPrefix(endpoint, "/api/v1/"), field)
	}
	var doc T
	if err := json.Unmarshal(raw, &doc); err != nil {
		return nil, fmt.Errorf("decoding the %s in the answer of %s: %w", field, strings.TrimPrefix(endpoint, "/api/v1/"), err)
	}
	return &doc, nil
}

// IsRoomNotFound reports whether rooms.info found no room with that name or
// _id ("error-room-not-found").
func IsRoomNotFound(err error) bool { return hasErrorType(err, "error-room-not-found") }

// IsRoomHidden reports whether rooms.info found the room but the caller may
// not see it (error "not-allowed"): a private group or a channel of a private
// team the caller is not in, even for an administrator. Rocket.Chat before
// 8.8 also answers "error-room-archived" for an archived room.
func IsRoomHidden(err error) bool {
	var e *APIError
	if !errors.As(err, &e) || e.StatusCode != http.StatusBadRequest {
		return false
	}
	return strings.TrimSpace(e.ErrorText) == "not-allowed" || hasErrorType(err, "error-room-archived")
}

// UserInfo is a user as users.info returns it. Roles is nil when the caller
// may not see other users' roles (it lacks view-full-other-user-info).
type UserInfo struct {
	ID       string   `json:"_id"`
	Username string   `json:"username"`
	Roles    []string `json:"roles,omitempty"`
}

// UserInfo reads a user with GET /api/v1/users.info. Rocket.Chat 8 matches
// either key against both _id and username, exactly; older versions match
// username case-insensitively and userId against _id only, so callers compare
// what comes back.
func (c *Client) UserInfo(ctx context.Context, key string, byID bool) (*UserInfo, error) {
	return getOne[UserInfo](ctx, c, "/api/v1/users.info", "user", lookupQuery(key, byID, "userId", "username"))
}

// IsUserNotFound reports whether users.info found no such user.
func IsUserNotFound(err error) bool {
	var e *APIError
	return errors.As(err, &e) && e.StatusCode == http.StatusBadRequest && strings.TrimSpace(e.ErrorText) == "User not found."
}

// Subscription is a room membership of the caller (a part of ISubscription).
type Subscription struct {
	RoomID string `json:"rid"`
	Name   string `json:"name,omitempty"` // the room's name; for direct messages the other user's username
	Type   string `json:"t"`
	// Status is "INVITED" for an invitation not yet accepted.
	Status string `json:"status,omitempty"`
}

// Subscriptions lists every room the caller is a member of (GET
// /api/v1/subscriptions.get, which is not paged).
func (c *Client) Subscriptions(ctx context.Context) ([]Subscription, error) {
	return getUpdates[Subscription](ctx, c, "/api/v1/subscriptions.get")
}

// Permission is a permission and the roles that hold it.
type Permission struct {
	ID    string   `json:"_id"`
	Roles []string `json:"roles"`
}

// Permissions lists every permission with its roles (GET
// /api/v1/permissions.listAll, which any logged-in user may call and which
// is not paged).
func (c *Client) Permissions(ctx context.Context) ([]Permission, error) {
	return getUpdates[Permission](ctx, c, "/api/v1/permissions.listAll")
}

// getUpdates reads an endpoint that answers with its whole collection in
// "update", as Meteor's sync endpoints do (subscriptions.get and
// permissions.listAll without updatedSince).
func getUpdates[T any](ctx context.Context, c *Client, path string) ([]T, error) {
	var out struct {
		Update []T `json:"update"`
	}
	if err := c.do(ctx, call{method: http.MethodGet, path: path, auth: true, repeatable: true}, &out); err != nil {
		return nil, err
	}
	return out.Update, nil
}

// PublicSetting reads a public setting such as Site_Url with GET
// /api/v1/settings.public, which needs no credentials. found is false when
// the setting does not exist or is not public.
func (c *Client) PublicSetting(ctx context.Context, id string) (value json.RawMessage, found bool, err error) {
	var out struct {
		Settings []struct {
			ID    string          `json:"_id"`
			Value json.RawMessage `json:"value"`
		} `json:"settings"`
	}
	q := url.Values{"_id": {id}}
	if err := c.do(ctx, call{method: http.MethodGet, path: "/api/v1/settings.public", query: q, repeatable: true}, &out); err != nil {
		return nil, false, err
	}
	for _, s := range out.Settings {
		if s.ID == id {
			return s.Value, true, nil
		}
	}
	return nil, false, nil
}

// hasErrorType reports whether err is a 400 of that errorType; some versions
// leave errorType out, and Meteor still ends the text with "[type]".
func hasErrorType(err error, errorType string) bool {
	var e *APIError
	if !errors.As(err, &e) || e.StatusCode != http.StatusBadRequest {
		return false
	}
	return e.ErrorType == errorType || strings.HasSuffix(strings.TrimSpace(e.ErrorText), "["+errorType+"]")
}
