package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

// NewServer serves the provider over protocol 6. Unlike the framework's
// server alone, it also stops the operations that begin after Terraform asked
// the provider to stop (Ctrl-C): the framework cancels only those already
// running, and one that starts a moment later would otherwise wait out a
// whole rate-limit window before Terraform can exit.
func NewServer(version string) func() (tfprotov6.ProviderServer, error) {
	return func() (tfprotov6.ProviderServer, error) {
		stopped, stop := context.WithCancel(context.Background())
		inner, err := providerserver.NewProtocol6WithError(&rocketChatProvider{version: version, stopped: stopped})()
		if err != nil {
			stop()
			return nil, err
		}
		return &stoppingServer{ProviderServer: inner, stop: stop}, nil
	}
}

type stoppingServer struct {
	tfprotov6.ProviderServer
	stop context.CancelFunc
}

func (s *stoppingServer) StopProvider(ctx context.Context, req *tfprotov6.StopProviderRequest) (*tfprotov6.StopProviderResponse, error) {
	s.stop()
	return s.ProviderServer.StopProvider(ctx, req)
}

// operation prepares the context of one operation: its log lines mask the
// provider's secrets and the given ones, and it ends when Terraform stops
// the provider. done releases it.
func (d *providerData) operation(ctx context.Context, secrets ...string) (context.Context, func()) {
	ctx = maskSecrets(ctx, append(append([]string(nil), d.secrets...), secrets...)...)
	if d.stopped == nil {
		return ctx, func() {}
	}
	ctx, cancel := context.WithCancel(ctx)
	unregister := context.AfterFunc(d.stopped, cancel)
	return ctx, func() {
		unregister()
		cancel()
	}
}
