// Package provider maps Terraform to Rocket.Chat: the provider configuration
// and the integration resources and data sources. Talking to Rocket.Chat is
// the client package's business; this package only translates.
package provider

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/terraform-rocketchat/terraform-provider-rocketchat/internal/client"
)

// Environment variables that configure the provider when the attribute is not
// set (Terraform Cloud workspaces configure providers this way).
const (
	EnvURL            = "ROCKETCHAT_URL"
	EnvUserID         = "ROCKETCHAT_USER_ID"
	EnvAuthToken      = "ROCKETCHAT_AUTH_TOKEN"
	EnvUsername       = "ROCKETCHAT_USERNAME"
	EnvPassword       = "ROCKETCHAT_PASSWORD"
	EnvRequestTimeout = "ROCKETCHAT_REQUEST_TIMEOUT"
	EnvMaxRetries     = "ROCKETCHAT_MAX_RETRIES"
	EnvMaxRetryWait   = "ROCKETCHAT_MAX_RETRY_WAIT"
)

var (
	_ provider.Provider                  = (*rocketChatProvider)(nil)
	_ provider.ProviderWithListResources = (*rocketChatProvider)(nil)
)

type rocketChatProvider struct {
	version string
	// stopped ends when Terraform asks the provider to stop (see NewServer).
	stopped context.Context
	// getenv reads the ROCKETCHAT_* settings: os.Getenv, except in tests
	// that give each provider its own environment so that they can run in
	// parallel.
	getenv func(string) string
}

type providerModel struct {
	ServerURL      types.String `tfsdk:"server_url"`
	UserID         types.String `tfsdk:"user_id"`
	AuthToken      types.String `tfsdk:"auth_token"`
	Username       types.String `tfsdk:"username"`
	Password       types.String `tfsdk:"password"`
	RequestTimeout types.String `tfsdk:"request_timeout"`
	MaxRetries     types.Int64  `tfsdk:"max_retries"`
	MaxRetryWait   types.String `tfsdk:"max_retry_wait"`
	networkModel
}

// providerData is what resources and data sources receive from Configure.
type providerData struct {
	client *client.Client
	// reader serves this run's reads from shared list pages.
	reader *client.BatchReader
	// dir answers this run's look-ups of rooms, users and permissions.
	dir *client.Directory
	// reported holds the problems shared by every resource of a kind that
	// were reported in this run, so that each is reported once.
	reported sync.Map
	// managedIDs holds the integrations that resources of this run read,
	// created or adopted: those in the state.
	managedIDs sync.Map
	// creating is held for reading by every create on its way to
	// Rocket.Chat, and for writing while a create whose answer was lost looks
	// for what it made: the look then sees every other create's result.
	creating sync.RWMutex
	server   *client.ServerInfo
	caller   *client.User    // the provider's user
	secrets  []string        // masked in every log line
	stopped  context.Context // ends when Terraform stops the provider; nil when it cannot tell
}

func (p *rocketChatProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "rocketchat"
	resp.Version = p.version
}

func (p *rocketChatProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "The Rocket.Chat provider manages [Rocket.Chat](https://www.rocket.chat/) integrations — incoming and " +
			"outgoing webhooks and their scripts — through Rocket.Chat's REST API.\n\n" +
			"Authenticate either with a user ID and an auth token (a personal access token works the same way), or with a " +
			"username and password. Every setting can come from an environment variable instead, which is how a Terraform " +
			"Cloud workspace configures it; a setting in the provider block wins over its environment variable.\n\n" +
			"Behind a company network, `ca_cert`, `client_cert` and `client_key`, `http_headers` and the `HTTPS_PROXY` " +
			"environment variable reach a server behind an internal certificate authority, mutual TLS, an access " +
			"gateway or a forward proxy.",
		Attributes: map[string]schema.Attribute{
			"server_url": schema.StringAttribute{
				MarkdownDescription: "Base URL of the Rocket.Chat server, e.g. `https://chat.example.com`. A trailing slash is " +
					"tolerated. Environment variable: `" + EnvURL + "`.",
				Optional:   true,
				Validators: []validator.String{absoluteHTTPURL()},
			},
			"user_id": schema.StringAttribute{
				MarkdownDescription: "ID of the user to act as, used with `auth_token`. Environment variable: `" + EnvUserID + "`.",
				Optional:            true,
				Validators:          []validator.String{notBlank()},
			},
			"auth_token": schema.StringAttribute{
				MarkdownDescription: "Auth token or personal access token of `user_id`. Environment variable: `" + EnvAuthToken + "`.",
				Optional:            true,
				Sensitive:           true,
				Validators:          []validator.String{notBlank()},
			},
			"username": schema.StringAttribute{
				MarkdownDescription: "Username to log in with, used with `password` instead of `user_id` and `auth_token`. " +
					"Environment variable: `" + EnvUsername + "`.",
				Optional:   true,
				Validators: []validator.String{notBlank()},
			},
			"password": schema.StringAttribute{
				MarkdownDescription: "Password of `username`. Environment variable: `" + EnvPassword + "`.",
				Optional:            true,
				Sensitive:           true,
				Validators:          []validator.String{notBlank()},
			},
			"request_timeout": schema.StringAttribute{
				MarkdownDescription: "Longest time one HTTP request may take, as a Go duration such as `30s` (the default). " +
					"Environment variable: `" + EnvRequestTimeout + "`.",
				Optional:   true,
				Validators: []validator.String{positiveDuration()},
			},
			"max_retries": schema.Int64Attribute{
				MarkdownDescription: "How many times a failed call that is safe to repeat is retried after a 5xx answer or a " +
					"connection error (default `4`; `0` turns retries off). Creates are retried only when Rocket.Chat certainly " +
					"did not act on them. Environment variable: `" + EnvMaxRetries + "`.",
				Optional:   true,
				Validators: []validator.Int64{int64validator.Between(0, 20)},
			},
			"max_retry_wait": schema.StringAttribute{
				MarkdownDescription: "Longest total time one call may spend waiting on rate limits and retries, as a Go " +
					"duration (default `5m`). Environment variable: `" + EnvMaxRetryWait + "`.",
				Optional:   true,
				Validators: []validator.String{positiveDuration()},
			},
		},
	}
	for name, attr := range networkAttributes() {
		resp.Schema.Attributes[name] = attr
	}
}

// Configure builds the client and checks it against the server once, so that
// a wrong URL or token fails at plan time with a clear message rather than at
// the first resource.
func (p *rocketChatProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var cfg providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	// A setting that depends on a resource not created yet is unknown during
	// plan. Configure then leaves the provider unconfigured; resources report
	// it only if they need the server before the value is known.
	for _, v := range []types.String{cfg.ServerURL, cfg.UserID, cfg.AuthToken, cfg.Username, cfg.Password, cfg.RequestTimeout, cfg.MaxRetryWait} {
		if v.IsUnknown() {
			return
		}
	}
	if cfg.MaxRetries.IsUnknown() || cfg.unknown() {
		return
	}

	settings, diags := resolveSettings(cfg, p.getenv)
	resp.Diagnostics.Append(diags...)
	tlsConfig, headers, diags := resolveNetwork(cfg.networkModel, p.getenv)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	settings.TLS, settings.Headers = tlsConfig, headers
	if tlsConfig.InsecureSkipVerify {
		// Configure runs once per provider process, so this is said once per
		// plan or apply rather than once per resource.
		summary, detail := insecureWarning()
		resp.Diagnostics.AddAttributeWarning(path.Root("insecure_skip_verify"), summary, detail)
	}
	settings.UserAgent = fmt.Sprintf("terraform-provider-rocketchat/%s (+https://registry.terraform.io/providers/terraform-rocketchat/rocketchat) Terraform/%s",
		p.version, req.TerraformVersion)
	settings.Logger = tflogLogger{}
	secrets := []string{settings.AuthToken, settings.Password, string(tlsConfig.ClientKeyPEM)}
	for _, v := range headers {
		secrets = append(secrets, v)
	}
	ctx = maskSecrets(ctx, secrets...)

	c, err := client.New(settings)
	if err != nil {
		// resolveSettings has checked the credentials; what is left is the URL.
		resp.Diagnostics.AddAttributeError(path.Root("server_url"), "Invalid Rocket.Chat server URL",
			fmt.Sprintf("%s\n\nThe URL comes from server_url in the provider block or, when that is not set, from the %s "+
				"environment variable.", sentence(err.Error()), EnvURL))
		return
	}
	info, err := c.Info(ctx)
	if attr, summary, detail, ok := networkDiagnostic(err); ok {
		addErrorAt(&resp.Diagnostics, attr, summary, detail)
		return
	}
	if err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("server_url"), "Cannot reach Rocket.Chat",
			fmt.Sprintf("The provider could not read the server version from %s/api/info: %s\n\n"+
				"Check server_url (or %s): it must be the base URL of a Rocket.Chat server that this machine can reach.",
				c.URL(), err, EnvURL))
		return
	}
	me, err := c.Me(ctx)
	if attr, summary, detail, ok := networkDiagnostic(err); ok {
		// A gateway may guard only the REST API, not /api/info.
		addErrorAt(&resp.Diagnostics, attr, summary, detail)
		return
	}
	if err != nil {
		attr, hint := credentialAttribute(settings)
		summary := "Rocket.Chat rejected the provider's credentials"
		if !client.IsUnauthorized(err) {
			summary = "Cannot check the provider's credentials"
		}
		addErrorAt(&resp.Diagnostics, attr, summary, fmt.Sprintf("%s\n\n%s", err, hint))
		return
	}
	data := newProviderData(c, me, info)
	data.secrets, data.stopped = secrets, p.stopped
	resp.ResourceData = data
	resp.DataSourceData = data
	resp.ListResourceData = data
}

// newProviderData is what a run's resources and data sources share; me and
// info are what /api/v1/me and /api/info returned (nil when not read).
func newProviderData(c *client.Client, me *client.User, info *client.ServerInfo) *providerData {
	return &providerData{client: c, reader: c.NewBatchReader(), dir: c.NewDirectory(me, info), server: info, caller: me}
}

// resolveSettings merges the provider block with the environment (the block
// wins) and checks that exactly one way to authenticate is given.
func resolveSettings(cfg providerModel, getenv func(string) string) (client.Config, diag.Diagnostics) {
	var d diag.Diagnostics
	pick := func(v types.String, env string) string {
		if !v.IsNull() {
			return v.ValueString()
		}
		return getenv(env)
	}
	out := client.Config{URL: pick(cfg.ServerURL, EnvURL)}
	if out.URL == "" {
		d.AddAttributeError(path.Root("server_url"), "Missing Rocket.Chat server URL",
			"Set server_url in the provider block or the "+EnvURL+" environment variable to the base URL of your Rocket.Chat server, e.g. https://chat.example.com.")
	}

	// The method chosen in the provider block wins; environment variables of
	// the other method are then ignored, so a shell or workspace that exports
	// both pairs still works.
	blockToken := !cfg.UserID.IsNull() || !cfg.AuthToken.IsNull()
	blockPassword := !cfg.Username.IsNull() || !cfg.Password.IsNull()
	useToken := blockToken
	switch {
	case blockToken && blockPassword:
		d.AddAttributeError(path.Root("username"), "Conflicting Rocket.Chat credentials",
			"The provider block sets both user_id/auth_token and username/password. Keep one way to authenticate: "+
				"a user ID with an auth token (or personal access token), or a username with a password.")
		return out, d
	case !blockToken && !blockPassword:
		useToken = getenv(EnvUserID) != "" || getenv(EnvAuthToken) != ""
	}
	if useToken {
		out.UserID = pick(cfg.UserID, EnvUserID)
		out.AuthToken = pick(cfg.AuthToken, EnvAuthToken)
		if out.UserID == "" {
			d.AddAttributeError(path.Root("user_id"), "Missing Rocket.Chat user ID",
				"auth_token is set but user_id is not. Set user_id in the provider block or "+EnvUserID+" to the ID of the user the token belongs to.")
		}
		if out.AuthToken == "" {
			d.AddAttributeError(path.Root("auth_token"), "Missing Rocket.Chat auth token",
				"user_id is set but auth_token is not. Set auth_token in the provider block or "+EnvAuthToken+" to that user's auth token or personal access token.")
		}
	} else {
		out.Username = pick(cfg.Username, EnvUsername)
		out.Password = pick(cfg.Password, EnvPassword)
		switch {
		case out.Username == "" && out.Password == "":
			d.AddError("Missing Rocket.Chat credentials",
				"Set user_id and auth_token (or "+EnvUserID+" and "+EnvAuthToken+"), or username and password (or "+
					EnvUsername+" and "+EnvPassword+"). A personal access token goes in auth_token.")
		case out.Username == "":
			d.AddAttributeError(path.Root("username"), "Missing Rocket.Chat username",
				"password is set but username is not. Set username in the provider block or "+EnvUsername+".")
		case out.Password == "":
			d.AddAttributeError(path.Root("password"), "Missing Rocket.Chat password",
				"username is set but password is not. Set password in the provider block or "+EnvPassword+".")
		}
	}

	if v := pick(cfg.RequestTimeout, EnvRequestTimeout); v != "" {
		dur, err := parsePositiveDuration(v)
		if err != nil {
			d.AddAttributeError(path.Root("request_timeout"), "Invalid request_timeout", fmt.Sprintf("%q (from the provider block or %s): %s.", v, EnvRequestTimeout, err))
		}
		out.RequestTimeout = dur
	}
	if v := pick(cfg.MaxRetryWait, EnvMaxRetryWait); v != "" {
		dur, err := parsePositiveDuration(v)
		if err != nil {
			d.AddAttributeError(path.Root("max_retry_wait"), "Invalid max_retry_wait", fmt.Sprintf("%q (from the provider block or %s): %s.", v, EnvMaxRetryWait, err))
		}
		out.Retry.MaxElapsed = dur
	}
	retries := int64(client.DefaultMaxAttempts - 1)
	if !cfg.MaxRetries.IsNull() {
		retries = cfg.MaxRetries.ValueInt64()
	} else if v := getenv(EnvMaxRetries); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 0 || n > 20 {
			d.AddAttributeError(path.Root("max_retries"), "Invalid "+EnvMaxRetries, fmt.Sprintf("%q is not a whole number between 0 and 20.", v))
		}
		retries = n
	}
	out.Retry.MaxAttempts = int(retries) + 1
	return out, d
}

// credentialAttribute names the attribute to blame for rejected credentials.
func credentialAttribute(cfg client.Config) (string, string) {
	if cfg.Username != "" {
		return "password", "Check username and password (or " + EnvUsername + " and " + EnvPassword + ")."
	}
	return "auth_token", "Check user_id and auth_token (or " + EnvUserID + " and " + EnvAuthToken +
		"): the token must belong to that user and must not have been revoked."
}

func parsePositiveDuration(v string) (time.Duration, error) {
	d, err := time.ParseDuration(v)
	if err != nil {
		return 0, errors.New("not a duration; use a Go duration such as 30s, 2m or 1m30s")
	}
	if d <= 0 {
		return 0, errors.New("must be longer than zero")
	}
	return d, nil
}

func (p *rocketChatProvider) Resources(_ context.Context) []func() resource.Resource {
	return []func() resource.Resource{
		NewIncomingIntegrationResource,
		NewOutgoingIntegrationResource,
	}
}

func (p *rocketChatProvider) ListResources(_ context.Context) []func() list.ListResource {
	return []func() list.ListResource{
		NewIncomingIntegrationListResource,
		NewOutgoingIntegrationListResource,
	}
}

func (p *rocketChatProvider) DataSources(_ context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{
		NewIncomingIntegrationDataSource,
		NewOutgoingIntegrationDataSource,
		NewIntegrationsDataSource,
	}
}

// sentence makes an error text a sentence: capitalised, with a full stop
// unless it ends with a question mark.
func sentence(s string) string {
	if s == "" {
		return s
	}
	s = strings.ToUpper(s[:1]) + s[1:]
	if !strings.HasSuffix(s, "?") && !strings.HasSuffix(s, ".") {
		s += "."
	}
	return s
}
