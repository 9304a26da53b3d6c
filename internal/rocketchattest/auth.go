package rocketchattest

import (
	"net/http"
	"regexp"
	"slices"
	"strings"
)

// loginFailed is the 401 of POST /api/v1/login. Rocket.Chat forces error and
// message to "Unauthorized" when the user is not found; the strings for a
// wrong password could not be confirmed, so the server answers the same
// (spec §12.11).
func loginFailed() *apiFailure {
	return &apiFailure{status: http.StatusUnauthorized, body: map[string]any{
		"success": false, "status": "error", "error": "Unauthorized", "message": "Unauthorized",
	}}
}

// login is POST /api/v1/login with {user|username|email, password} or {resume}.
func (s *Server) login(c *call) (map[string]any, *apiFailure) {
	body := c.bodyMap()
	var u *user
	if resume, ok := body["resume"].(string); ok && resume != "" {
		hashed := hashLoginToken(resume)
		for _, cand := range s.st.users {
			if cand.tokens[hashed] {
				u = cand
			}
		}
		if u == nil {
			return nil, loginFailed()
		}
		return s.loginSuccess(u), nil
	}
	password, _ := body["password"].(string)
	name := ""
	for _, key := range []string{"user", "username", "email"} {
		if v, ok := body[key].(string); ok && v != "" {
			name = v
			break
		}
	}
	if name == "" || password == "" {
		return nil, loginFailed()
	}
	if strings.Contains(name, "@") {
		for _, cand := range s.st.users {
			if strings.EqualFold(cand.email, name) {
				u = cand
			}
		}
	} else {
		u = s.st.userByUsername(name)
	}
	if u == nil || u.password != password || !u.active {
		return nil, loginFailed()
	}
	return s.loginSuccess(u), nil
}

func (s *Server) loginSuccess(u *user) map[string]any {
	token := loginToken()
	u.tokens[hashLoginToken(token)] = true
	return map[string]any{
		"status": "success",
		"data":   map[string]any{"userId": u.id, "authToken": token, "me": s.userInfo(u)},
	}
}

// logout is POST /api/v1/logout: the token used for the call stops working.
func (s *Server) logout(c *call) (map[string]any, *apiFailure) {
	if u := s.st.users[c.user.id]; u != nil {
		delete(u.tokens, hashLoginToken(c.token))
	}
	return map[string]any{"status": "success", "data": map[string]any{"message": "You've been logged out!"}}, nil
}

// me is GET /api/v1/me.
func (s *Server) me(c *call) (map[string]any, *apiFailure) {
	u := s.st.users[c.user.id]
	if u == nil {
		return nil, notLoggedIn()
	}
	return s.userInfo(u), nil
}

// userInfo is getUserInfo of the fields `me` reads (getBaseUserFields and
// services) that this server's users have (SPEC.md §L11): no type, no
// createdAt, no services but the trimmed password flag.
func (s *Server) userInfo(u *user) map[string]any {
	return map[string]any{
		"_id":              u.id,
		"username":         u.username,
		"name":             u.name,
		"emails":           []any{map[string]any{"address": u.email, "verified": true}},
		"email":            u.email,
		"status":           "online",
		"statusConnection": "online",
		"utcOffset":        0,
		"active":           u.active,
		"roles":            slices.Clone(u.roles),
		"settings":         map[string]any{"profile": map[string]any{}, "preferences": map[string]any{}, "calendar": map[string]any{}},
		"avatarUrl":        s.url + "/avatar/" + u.username,
		"isOAuthUser":      false,
		"services":         map[string]any{"password": map[string]any{"exists": true}},
		"_updatedAt":       isoDate(u.createdAt),
	}
}

var patchLevel = regexp.MustCompile(`(\d+\.\d+).*`)

// info is GET /api/info. The version loses its patch level (8.8.1 → 8.8);
// Rocket.Chat shows the full version only to users with view-statistics on
// routers that authenticate this anonymous route, which could not be
// confirmed for 8.x, so this server always shows major.minor (spec §12.10).
func (s *Server) info(_ *call) (map[string]any, *apiFailure) {
	return map[string]any{
		"version": patchLevel.ReplaceAllString(s.cfg.version, "$1"),
		// Placeholder values: the real ones come from Rocket.Chat's package.json.
		"minimumClientVersions": map[string]any{"desktop": "3.9.6", "mobile": "4.39.0"},
	}, nil
}
