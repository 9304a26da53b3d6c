package client

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

// User is a Rocket.Chat user as GET /api/v1/me and the login answer describe it.
type User struct {
	ID       string   `json:"_id"`
	Username string   `json:"username"`
	Roles    []string `json:"roles,omitempty"`
}

// LoginResult is the data of a successful POST /api/v1/login.
type LoginResult struct {
	UserID    string `json:"userId"`
	AuthToken string `json:"authToken"`
}

// ServerInfo is the answer of GET /api/info.
type ServerInfo struct {
	// Version as Rocket.Chat reports it: "MAJOR.MINOR" for most callers,
	// "MAJOR.MINOR.PATCH" for users allowed to view statistics (spec §7).
	Version string `json:"version"`
	// Major, Minor and Patch are parsed from Version; all are 0 when it
	// cannot be parsed, and Patch is 0 when it is absent.
	Major int `json:"-"`
	Minor int `json:"-"`
	Patch int `json:"-"`
}

// AtLeast reports whether the server version is major.minor or newer. It is
// false when the version is unknown.
func (s *ServerInfo) AtLeast(major, minor int) bool {
	if s.Major != major {
		return s.Major > major
	}
	return s.Minor >= minor
}

// loginFlight is one login shared by every call that needs it meanwhile.
type loginFlight struct {
	done chan struct{}
	res  *LoginResult
	err  error
	// runnerCancelled is set when the login failed because the context of
	// the call that ran it ended; the others then try on their own.
	runnerCancelled bool
}

// loginShared runs at most one login at a time. Without force it returns the
// current session when there is one.
func (c *Client) loginShared(ctx context.Context, force bool) (*LoginResult, error) {
	for {
		c.authMu.Lock()
		if !force && c.token != "" {
			res := c.lastResult
			c.authMu.Unlock()
			return res, nil
		}
		f := c.loginCall
		runner := f == nil
		if runner {
			f = &loginFlight{done: make(chan struct{})}
			c.loginCall = f
		}
		c.authMu.Unlock()

		if runner {
			c.runLogin(ctx, f)
		} else if c.joinedLogin != nil {
			c.joinedLogin()
		}
		select {
		case <-f.done:
		case <-ctx.Done():
			return nil, fmt.Errorf("waiting for the login to Rocket.Chat: %w", ctx.Err())
		}
		if f.err != nil && f.runnerCancelled && ctx.Err() == nil {
			continue
		}
		return f.res, f.err
	}
}

func (c *Client) runLogin(ctx context.Context, f *loginFlight) {
	res, err := c.postLogin(ctx)
	c.authMu.Lock()
	defer c.authMu.Unlock()
	if err == nil {
		c.token = res.AuthToken
		c.userID = res.UserID
		c.tokenGen++
		c.lastResult = res
	}
	f.res, f.err = res, err
	f.runnerCancelled = err != nil && ctx.Err() != nil
	c.loginCall = nil
	close(f.done)
}

func (c *Client) postLogin(ctx context.Context) (*LoginResult, error) {
	var out struct {
		Data LoginResult `json:"data"`
	}
	body := struct {
		User     string `json:"user"`
		Password string `json:"password"`
	}{c.username, c.password}
	c.info(ctx, "logging in to Rocket.Chat", map[string]any{"username": c.username})
	err := c.do(ctx, call{method: http.MethodPost, path: "/api/v1/login", body: body, repeatable: true}, &out)
	if err != nil {
		return nil, fmt.Errorf("logging in to Rocket.Chat as %q: %w", c.username, err)
	}
	c.secrets.add(out.Data.AuthToken)
	if out.Data.UserID == "" || out.Data.AuthToken == "" {
		return nil, fmt.Errorf("logging in to Rocket.Chat as %q: the answer has no userId or authToken", c.username)
	}
	return &out.Data, nil
}

// credentials returns the headers' values for an authenticated call,
// logging in first when needed.
func (c *Client) credentials(ctx context.Context) (creds, error) {
	if c.fixedToken != "" {
		return creds{userID: c.fixedUserID, token: c.fixedToken}, nil
	}
	for {
		c.authMu.Lock()
		if c.token != "" {
			cr := creds{userID: c.userID, token: c.token, gen: c.tokenGen}
			c.authMu.Unlock()
			return cr, nil
		}
		c.authMu.Unlock()
		if _, err := c.loginShared(ctx, false); err != nil {
			return creds{}, err
		}
	}
}

// dropToken forgets the login token of generation gen, unless a newer login
// replaced it already.
func (c *Client) dropToken(gen uint64) {
	c.authMu.Lock()
	defer c.authMu.Unlock()
	if c.tokenGen == gen {
		c.token = ""
	}
}

// Me returns the user the client acts as (GET /api/v1/me). It is a cheap way
// to check the credentials.
func (c *Client) Me(ctx context.Context) (*User, error) {
	var u User
	if err := c.do(ctx, call{method: http.MethodGet, path: "/api/v1/me", auth: true, repeatable: true}, &u); err != nil {
		return nil, err
	}
	return &u, nil
}

// Info returns the server version (GET /api/info, which needs no
// credentials; none are sent).
func (c *Client) Info(ctx context.Context) (*ServerInfo, error) {
	var info ServerInfo
	if err := c.do(ctx, call{method: http.MethodGet, path: "/api/info", repeatable: true}, &info); err != nil {
		return nil, err
	}
	info.Major, info.Minor, info.Patch = parseVersion(info.Version)
	return &info, nil
}

// parseVersion reads MAJOR.MINOR[.PATCH], ignoring a leading "v" and any
// suffix such as "-rc.1".
func parseVersion(v string) (major, minor, patch int) {
	v = strings.TrimPrefix(strings.TrimSpace(v), "v")
	if i := strings.IndexFunc(v, func(r rune) bool { return r != '.' && (r < '0' || r > '9') }); i >= 0 {
		v = v[:i]
	}
	parts := strings.Split(v, ".")
	if len(parts) < 2 {
		return 0, 0, 0
	}
	nums := make([]int, 3)
	for i := 0; i < len(parts) && i < 3; i++ {
		n, err := strconv.Atoi(parts[i])
		if err != nil {
			if i < 2 {
				return 0, 0, 0
			}
			break
		}
		nums[i] = n
	}
	return nums[0], nums[1], nums[2]
}
