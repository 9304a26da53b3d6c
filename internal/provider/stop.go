package provider

import (
	"context"
	"errors"
	"os"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

// NewServer serves the provider over protocol 6, around the framework's
// server, for two things the framework alone does not do. Both stem from how
// terraform-plugin-framework v1.19 handles contexts: it registers a cancel
// function for every call's context and, on StopProvider, cancels those
// registered so far, keeping them all until then
// (registerContext and cancelRegisteredContexts in
// https://github.com/hashicorp/terraform-plugin-framework/blob/v1.19.0/internal/proto6server/serve.go):
//
//   - When Terraform asks the provider to stop (Ctrl-C), operations that
//     begin afterwards end at once too. The framework cancels only those
//     already running, and one that starts a moment later would otherwise
//     wait out a whole rate-limit window before Terraform can exit
//     (TestStopEndsLaterOperations).
//   - When nobody asked for logs, the calls Terraform makes once per
//     resource reach the framework with a context free of the logging
//     values the plugin library puts in it. The framework keeps every
//     call's context until the provider stops, and those values made a
//     thousand-resource apply hold well over 100 MB (make bench measures
//     the peak).
func NewServer(version string) func() (tfprotov6.ProviderServer, error) {
	quiet := !loggingRequested(os.Getenv)
	return func() (tfprotov6.ProviderServer, error) {
		s, _, err := newServer(version, quiet)
		return s, err
	}
}

// newServer builds the server and the provider it serves, whose stopped
// context ends when Terraform asks the server to stop.
func newServer(version string, quiet bool) (*server, *rocketChatProvider, error) {
	stopped, stop := context.WithCancel(context.Background())
	p := &rocketChatProvider{version: version, stopped: stopped, getenv: os.Getenv}
	inner, err := providerserver.NewProtocol6WithError(p)()
	if err != nil {
		stop()
		return nil, nil, err
	}
	lister, ok := inner.(tfprotov6.ListResourceServer)
	if !ok {
		stop()
		return nil, nil, errors.New("the framework's server serves no list resources")
	}
	return &server{ProviderServer: inner, lister: lister, stop: stop, quiet: quiet}, p, nil
}

// loggingRequested reports whether any of Terraform's logging settings asks
// for the provider's log lines.
func loggingRequested(getenv func(string) string) bool {
	for _, v := range []string{
		"TF_LOG", "TF_LOG_PROVIDER", "TF_LOG_PROVIDER_ROCKETCHAT", "TF_LOG_SDK", "TF_LOG_SDK_PROTO",
		"TF_LOG_SDK_FRAMEWORK", "TF_LOG_SDK_PROTO_DATA_DIR", "TF_ACC_LOG_PATH", "TF_LOG_PATH_MASK",
	} {
		if s := getenv(v); s != "" && !strings.EqualFold(s, "off") {
			return true
		}
	}
	return false
}

type server struct {
	tfprotov6.ProviderServer
	// lister serves the list resources, which ProviderServer does not
	// include: without them here, Terraform would find none.
	lister tfprotov6.ListResourceServer
	stop   context.CancelFunc
	quiet  bool
}

func (s *server) StopProvider(ctx context.Context, req *tfprotov6.StopProviderRequest) (*tfprotov6.StopProviderResponse, error) {
	s.stop()
	return s.ProviderServer.StopProvider(ctx, req)
}

// lean returns a context that ends with ctx but holds none of its values,
// when logging is off; done releases it.
func (s *server) lean(ctx context.Context) (context.Context, func()) {
	if !s.quiet {
		return ctx, func() {}
	}
	return endWith(context.Background(), ctx)
}

// endWith returns a context derived from ctx that also ends when other
// does; done releases it.
func endWith(ctx, other context.Context) (context.Context, func()) {
	ctx, cancel := context.WithCancel(ctx)
	unregister := context.AfterFunc(other, cancel)
	return ctx, func() {
		unregister()
		cancel()
	}
}

// call runs one call of the framework's server with a lean context.
func call[Req, Resp any](s *server, ctx context.Context, req Req, f func(context.Context, Req) (Resp, error)) (Resp, error) {
	ctx, done := s.lean(ctx)
	defer done()
	return f(ctx, req)
}

func (s *server) ValidateResourceConfig(ctx context.Context, req *tfprotov6.ValidateResourceConfigRequest) (*tfprotov6.ValidateResourceConfigResponse, error) {
	return call(s, ctx, req, s.ProviderServer.ValidateResourceConfig)
}

func (s *server) UpgradeResourceState(ctx context.Context, req *tfprotov6.UpgradeResourceStateRequest) (*tfprotov6.UpgradeResourceStateResponse, error) {
	return call(s, ctx, req, s.ProviderServer.UpgradeResourceState)
}

func (s *server) ReadResource(ctx context.Context, req *tfprotov6.ReadResourceRequest) (*tfprotov6.ReadResourceResponse, error) {
	return call(s, ctx, req, s.ProviderServer.ReadResource)
}

func (s *server) PlanResourceChange(ctx context.Context, req *tfprotov6.PlanResourceChangeRequest) (*tfprotov6.PlanResourceChangeResponse, error) {
	return call(s, ctx, req, s.ProviderServer.PlanResourceChange)
}

func (s *server) ApplyResourceChange(ctx context.Context, req *tfprotov6.ApplyResourceChangeRequest) (*tfprotov6.ApplyResourceChangeResponse, error) {
	return call(s, ctx, req, s.ProviderServer.ApplyResourceChange)
}

func (s *server) ImportResourceState(ctx context.Context, req *tfprotov6.ImportResourceStateRequest) (*tfprotov6.ImportResourceStateResponse, error) {
	return call(s, ctx, req, s.ProviderServer.ImportResourceState)
}

func (s *server) ValidateDataResourceConfig(ctx context.Context, req *tfprotov6.ValidateDataResourceConfigRequest) (*tfprotov6.ValidateDataResourceConfigResponse, error) {
	return call(s, ctx, req, s.ProviderServer.ValidateDataResourceConfig)
}

func (s *server) ReadDataSource(ctx context.Context, req *tfprotov6.ReadDataSourceRequest) (*tfprotov6.ReadDataSourceResponse, error) {
	return call(s, ctx, req, s.ProviderServer.ReadDataSource)
}

func (s *server) ValidateListResourceConfig(ctx context.Context, req *tfprotov6.ValidateListResourceConfigRequest) (*tfprotov6.ValidateListResourceConfigResponse, error) {
	return call(s, ctx, req, s.lister.ValidateListResourceConfig)
}

// ListResource keeps the lean context until Terraform has read every result:
// the results are produced, and Rocket.Chat's pages read, as it reads them.
func (s *server) ListResource(ctx context.Context, req *tfprotov6.ListResourceRequest) (*tfprotov6.ListResourceServerStream, error) {
	ctx, done := s.lean(ctx)
	stream, err := s.lister.ListResource(ctx, req)
	if err != nil || stream == nil || stream.Results == nil {
		done()
		return stream, err
	}
	results := stream.Results
	stream.Results = func(push func(tfprotov6.ListResourceResult) bool) {
		defer done()
		results(push)
	}
	return stream, nil
}

// operation prepares the context of one operation: its log lines mask the
// provider's secrets and the given ones, and it ends when Terraform stops
// the provider. done releases it.
func (d *providerData) operation(ctx context.Context, secrets ...string) (context.Context, func()) {
	ctx = maskSecrets(ctx, append(append([]string(nil), d.secrets...), secrets...)...)
	if d.stopped == nil {
		return ctx, func() {}
	}
	return endWith(ctx, d.stopped)
}
