// Package client talks to Rocket.Chat's REST API: authentication, server
// information and the integrations.* endpoints (incoming and outgoing
// webhooks).
//
// A Client is safe for concurrent use. It logs in once when it uses a
// username and password, paces its calls to Rocket.Chat's rate limiter,
// retries calls that can safely be repeated, never repeats a create whose
// request may have reached the server, and keeps every secret out of its
// errors and log lines.
package client

import (
	"context"
	"errors"
	"math/rand/v2"
	"net/http"
	"sync"
	"time"
)

// DefaultUserAgent is sent when Config.UserAgent is empty.
const DefaultUserAgent = "terraform-provider-rocketchat"

// Defaults of Config and RetryPolicy.
const (
	DefaultRequestTimeout = 30 * time.Second
	DefaultMaxAttempts    = 5
	DefaultMinBackoff     = 500 * time.Millisecond
	DefaultMaxBackoff     = 30 * time.Second
	DefaultMaxElapsed     = 5 * time.Minute
)

// Config configures a Client. Exactly one way to authenticate must be given:
// UserID with AuthToken (a login or personal access token), or Username with
// Password.
type Config struct {
	// URL is the server's base URL, e.g. https://chat.example.com. A path
	// prefix is kept; a trailing slash is tolerated.
	URL string

	UserID    string
	AuthToken string

	// Username and Password make the client log in via POST /api/v1/login
	// and keep the token it receives.
	Username string
	Password string

	// HTTPClient is optional. Its redirect policy is replaced: redirects are
	// never followed, so the credentials headers cannot travel to another
	// host.
	HTTPClient *http.Client

	// TLS configures certificate checks and mutual TLS. It applies to the
	// client's own transport, so it cannot be combined with HTTPClient.
	TLS TLSConfig

	// Headers are sent with every request, e.g. the credentials of an access
	// gateway in front of Rocket.Chat. Their values are treated as secrets.
	// The headers the client sets itself (see ReservedHeader) are refused.
	Headers map[string]string

	// UserAgent defaults to DefaultUserAgent.
	UserAgent string

	// RequestTimeout bounds one attempt of a call; default 30s.
	RequestTimeout time.Duration

	Retry RetryPolicy

	// Logger receives secret-free log lines; nil means no logging.
	Logger Logger
}

// RetryPolicy bounds how a call is repeated after a failure that allows it.
// Zero fields take the defaults.
type RetryPolicy struct {
	// MaxAttempts is the number of attempts of one call, the first included,
	// counting attempts that failed with a 5xx or a connection error; default
	// 5. Answers of the rate limiter (429) are not counted: the server said
	// when to come back.
	MaxAttempts int
	// MinBackoff is the shortest wait before a retry; default 500ms.
	MinBackoff time.Duration
	// MaxBackoff caps the exponential backoff; default 30s.
	MaxBackoff time.Duration
	// MaxElapsed bounds the whole call, attempts and waits included; default 5m.
	MaxElapsed time.Duration
}

// Logger receives structured, secret-free log lines. Fields never hold
// bodies, headers, tokens or passwords.
type Logger interface {
	Debug(ctx context.Context, msg string, fields map[string]any)
	Info(ctx context.Context, msg string, fields map[string]any)
	Warn(ctx context.Context, msg string, fields map[string]any)
}

// Client is a Rocket.Chat REST client. Create it with New.
type Client struct {
	baseURL    string
	userAgent  string
	headers    http.Header
	timeout    time.Duration
	retry      RetryPolicy
	log        Logger
	httpClient *http.Client

	// Token authentication, fixed for the client's life.
	fixedUserID, fixedToken string
	// Password authentication.
	username, password string

	authMu     sync.Mutex
	userID     string
	token      string
	tokenGen   uint64
	loginCall  *loginFlight
	lastResult *LoginResult

	secrets *secretSet
	limits  *rateLimits
	clock   serverClock

	// Replaceable in tests so that waits take no time.
	now    func() time.Time
	sleep  func(ctx context.Context, d time.Duration) error
	jitter func(max time.Duration) time.Duration
	// joinedLogin, when set, is told that a call waits for a login another
	// call runs; tests synchronise on it.
	joinedLogin func()
	// awaitsProbe, when set, is told that a call waits for the answer that
	// says whether an endpoint is rate-limited.
	awaitsProbe func()
}

// New checks cfg and returns a Client. It does not contact the server.
func New(cfg Config) (*Client, error) {
	base, err := normalizeURL(cfg.URL)
	if err != nil {
		return nil, err
	}
	tokenAuth := cfg.UserID != "" || cfg.AuthToken != ""
	passwordAuth := cfg.Username != "" || cfg.Password != ""
	switch {
	case tokenAuth && passwordAuth:
		return nil, errors.New("configure either a user ID with an auth token, or a username with a password, not both")
	case !tokenAuth && !passwordAuth:
		return nil, errors.New("no credentials: configure a user ID with an auth token (or personal access token), or a username with a password")
	case tokenAuth && cfg.UserID == "":
		return nil, errors.New("an auth token needs the user ID it belongs to")
	case tokenAuth && cfg.AuthToken == "":
		return nil, errors.New("a user ID needs an auth token")
	case passwordAuth && cfg.Username == "":
		return nil, errors.New("a password needs a username")
	case passwordAuth && cfg.Password == "":
		return nil, errors.New("a username needs a password")
	}

	c := &Client{
		baseURL:     base,
		userAgent:   cfg.UserAgent,
		timeout:     cfg.RequestTimeout,
		retry:       cfg.Retry,
		log:         cfg.Logger,
		fixedUserID: cfg.UserID,
		fixedToken:  cfg.AuthToken,
		username:    cfg.Username,
		password:    cfg.Password,
		secrets:     newSecretSet(),
		limits:      newRateLimits(),
		now:         time.Now,
		sleep:       SleepContext,
		jitter:      randomDuration,
	}
	if c.userAgent == "" {
		c.userAgent = DefaultUserAgent
	}
	if c.timeout <= 0 {
		c.timeout = DefaultRequestTimeout
	}
	if c.retry.MaxAttempts <= 0 {
		c.retry.MaxAttempts = DefaultMaxAttempts
	}
	if c.retry.MinBackoff <= 0 {
		c.retry.MinBackoff = DefaultMinBackoff
	}
	if c.retry.MaxBackoff <= 0 {
		c.retry.MaxBackoff = DefaultMaxBackoff
	}
	if c.retry.MaxBackoff < c.retry.MinBackoff {
		c.retry.MaxBackoff = c.retry.MinBackoff
	}
	if c.retry.MaxElapsed <= 0 {
		c.retry.MaxElapsed = DefaultMaxElapsed
	}
	hc := &http.Client{}
	if cfg.HTTPClient != nil {
		if !cfg.TLS.isZero() {
			return nil, errors.New("TLS settings apply to the client's own transport and cannot be combined with an HTTP client")
		}
		copied := *cfg.HTTPClient
		hc = &copied
	} else {
		t, err := newTransport(cfg.TLS)
		if err != nil {
			return nil, err
		}
		hc.Transport = t
	}
	if len(cfg.Headers) > 0 {
		c.headers = http.Header{}
		for name, value := range cfg.Headers {
			if err := CheckHeader(name, value); err != nil {
				return nil, err
			}
			c.headers.Set(name, value)
			c.secrets.add(value)

		}
	}
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	c.httpClient = hc
	c.secrets.add(cfg.AuthToken, cfg.Password)
	return c, nil
}

// URL is the server's base URL without a trailing slash.
func (c *Client) URL() string { return c.baseURL }

// WebhookURL is the address of an incoming integration: <URL>/hooks/<id>/<token>.
func (c *Client) WebhookURL(id, token string) string {
	return hookURL(c.baseURL, id, token)
}

// UserID is the id of the user the client acts as: the configured one with
// token authentication, the logged-in one with password authentication
// (empty before the first login).
func (c *Client) UserID() string {
	if c.fixedToken != "" {
		return c.fixedUserID
	}
	c.authMu.Lock()
	defer c.authMu.Unlock()
	return c.userID
}

func (c *Client) debug(ctx context.Context, msg string, fields map[string]any) {
	if c.log != nil {
		c.log.Debug(ctx, msg, fields)
	}
}

func (c *Client) info(ctx context.Context, msg string, fields map[string]any) {
	if c.log != nil {
		c.log.Info(ctx, msg, fields)
	}
}

func (c *Client) warn(ctx context.Context, msg string, fields map[string]any) {
	if c.log != nil {
		c.log.Warn(ctx, msg, fields)
	}
}

// SleepContext waits for d, or less if ctx ends first (its error then).
func SleepContext(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

func randomDuration(max time.Duration) time.Duration {
	if max <= 0 {
		return 0
	}
	return time.Duration(rand.Int64N(int64(max) + 1))
}
