package provider

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/terraform-rocketchat/terraform-provider-rocketchat/internal/rocketchattest"
)

// TestAccProvider_network reaches servers behind an internal authority,
// mutual TLS and an access gateway: every setting makes a configuration work
// that fails without it, with an error that names the setting.
func TestAccProvider_network(t *testing.T) {
	t.Parallel()
	belowTheCLI(t)
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance tests run only when TF_ACC is set (make test sets it)")
	}
	const gatewaySecret = "gateway-secret-4d1f9c"
	servers := map[string]*rocketchattest.Server{}
	server := func(name string, opts ...rocketchattest.Option) *rocketchattest.Server {
		srv := rocketchattest.NewServer(append(opts, rocketchattest.WithoutRateLimit())...)
		t.Cleanup(srv.Close)
		servers[name] = srv
		return srv
	}
	plain := server("plain", rocketchattest.WithTLS())
	expired := server("expired", rocketchattest.WithExpiredCertificate())
	wrongHost := server("wrong host", rocketchattest.WithCertificateNames("chat.example.com"))
	mutual := server("mutual", rocketchattest.WithClientAuth())
	gateway := server("gateway", rocketchattest.WithTLS(), rocketchattest.WithRequiredHeader("CF-Access-Client-Secret", gatewaySecret))
	other := rocketchattest.NewServer(rocketchattest.WithTLS())
	otherCA := other.CACertPEM()
	other.Close()

	dir := t.TempDir()
	file := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	certPEM, keyPEM := mutual.ClientCertificate()
	_, otherKeyPEM := mutual.ClientCertificate()
	caFile := func(srv *rocketchattest.Server) string { return file(fmt.Sprintf("ca-%p.pem", srv), srv.CACertPEM()) }
	certFile, keyFile := file("client.pem", certPEM), file("client-key.pem", keyPEM)
	notPEM := file("not-pem.txt", []byte("just some text\n"))

	attr := func(k, v string) string { return fmt.Sprintf("%s = %q", k, v) }
	ca := func(srv *rocketchattest.Server) string { return attr("ca_cert", string(srv.CACertPEM())) }
	integration := `
resource "rocketchat_incoming_integration" "test" {
  name     = "network"
  username = "rocket.cat"
  channels = ["#general"]
}
`
	cases := []struct {
		name    string
		srv     *rocketchattest.Server
		block   []string
		env     map[string]string
		wantErr *regexp.Regexp
	}{
		// An internal authority.
		{name: "untrusted authority", srv: plain,
			wantErr: expectError("Rocket.Chat's certificate is not trusted", `subject "CN=rocketchattest server", issued by "CN=rocketchattest throwaway CA"`, "ca_cert or ca_cert_file", EnvCACertFile)},
		{name: "another authority", srv: plain, block: []string{attr("ca_cert", string(otherCA))}, wantErr: expectError("is not trusted")},
		{name: "ca_cert", srv: plain, block: []string{ca(plain)}},
		{name: "ca_cert_file", srv: plain, block: []string{attr("ca_cert_file", caFile(plain))}},
		{name: EnvCACert, srv: plain, env: map[string]string{EnvCACert: string(plain.CACertPEM())}},
		{name: EnvCACertFile, srv: plain, env: map[string]string{EnvCACertFile: caFile(plain)}},
		{name: "block wins over the environment", srv: plain, block: []string{ca(plain)}, env: map[string]string{EnvCACertFile: notPEM}},
		{name: "insecure_skip_verify", srv: plain, block: []string{"insecure_skip_verify = true"}},
		{name: EnvInsecureSkipVerify, srv: plain, env: map[string]string{EnvInsecureSkipVerify: "true"}},
		// Certificates that are wrong whoever issued them.
		{name: "expired certificate", srv: expired, block: []string{ca(expired)}, wantErr: expectError("Rocket.Chat's certificate has expired", "expired on", "renew")},
		{name: "expired certificate, not checked", srv: expired, block: []string{"insecure_skip_verify = true"}},
		{name: "certificate for another host", srv: wrongHost, block: []string{ca(wrongHost)},
			wantErr: expectError("Rocket.Chat's certificate is for another host", "not valid for 127.0.0.1: it names chat.example.com", "server_url")},
		// Mutual TLS.
		{name: "client certificate missing", srv: mutual, block: []string{ca(mutual)},
			wantErr: expectError("Rocket.Chat requires a client certificate", `"certificate required"`, "client_cert and client_key")},
		{name: "client_cert and client_key", srv: mutual, block: []string{ca(mutual), attr("client_cert", string(certPEM)), attr("client_key", string(keyPEM))}},
		{name: "client certificate files", srv: mutual, block: []string{ca(mutual), attr("client_cert_file", certFile), attr("client_key_file", keyFile)}},
		{name: "client certificate from the environment", srv: mutual, block: []string{ca(mutual)},
			env: map[string]string{EnvClientCertFile: certFile, EnvClientKey: string(keyPEM)}},
		// An access gateway.
		{name: "gateway without its header", srv: gateway, block: []string{ca(gateway)},
			wantErr: expectError("An access gateway answered instead of Rocket.Chat", "HTTP 302, a redirect to", "/cdn-cgi/access/login/", "http_headers", "CF-Access-Client-Secret")},
		{name: "gateway with a wrong header value", srv: gateway, block: []string{ca(gateway), `http_headers = { "CF-Access-Client-Secret" = "wrong" }`},
			wantErr: expectError("An access gateway answered")},
		{name: "http_headers", srv: gateway, block: []string{ca(gateway), fmt.Sprintf(`http_headers = { "CF-Access-Client-Secret" = %q, "X-Team" = "ops" }`, gatewaySecret)}},
		{name: EnvHTTPHeaders, srv: gateway, block: []string{ca(gateway)}, env: map[string]string{EnvHTTPHeaders: `{"CF-Access-Client-Secret": "` + gatewaySecret + `"}`}},
		// Settings that cannot work, refused before any request.
		{name: "ca_cert and ca_cert_file", srv: plain, block: []string{ca(plain), attr("ca_cert_file", caFile(plain))},
			wantErr: expectError("Conflicting ca_cert settings", "Both ca_cert and ca_cert_file are set")},
		{name: "both CA variables", srv: plain, env: map[string]string{EnvCACert: string(plain.CACertPEM()), EnvCACertFile: caFile(plain)},
			wantErr: expectError("Both " + EnvCACert + " and " + EnvCACertFile + " are set")},
		{name: "unreadable ca_cert_file", srv: plain, block: []string{attr("ca_cert_file", filepath.Join(dir, "missing.pem"))},
			wantErr: expectError("Cannot read ca_cert_file", "missing.pem", "no such file")},
		{name: "ca_cert_file without a certificate", srv: plain, block: []string{attr("ca_cert_file", notPEM)},
			wantErr: expectError("Invalid ca_cert_file", "holds no certificate", "-----BEGIN CERTIFICATE-----")},
		{name: "client key in ca_cert", srv: plain, block: []string{attr("ca_cert", string(keyPEM))},
			wantErr: expectError("Invalid ca_cert", "ca_cert holds no certificate")},
		{name: "client_cert without client_key", srv: mutual, block: []string{ca(mutual), attr("client_cert", string(certPEM))},
			wantErr: expectError("Missing client_key", "client_cert is set but no private key is")},
		{name: "client key without certificate", srv: mutual, block: []string{ca(mutual)}, env: map[string]string{EnvClientKeyFile: keyFile},
			wantErr: expectError("Missing client_cert", EnvClientKeyFile)},
		{name: "client key of another certificate", srv: mutual, block: []string{ca(mutual), attr("client_cert_file", certFile), attr("client_key", string(otherKeyPEM))},
			wantErr: expectError("Invalid client certificate or key", "does not belong to the client certificate")},
		{name: "bad " + EnvInsecureSkipVerify, srv: plain, env: map[string]string{EnvInsecureSkipVerify: "sometimes"},
			wantErr: expectError("Invalid "+EnvInsecureSkipVerify, `"sometimes" is not true or false`)},
		{name: "bad " + EnvHTTPHeaders, srv: gateway, block: []string{ca(gateway)}, env: map[string]string{EnvHTTPHeaders: `{"X-Gate": "` + gatewaySecret + `"`},
			wantErr: expectError("Invalid "+EnvHTTPHeaders, "is not a JSON object of strings")},
		{name: "header the provider sets", srv: gateway, block: []string{ca(gateway), `http_headers = { "x-auth-token" = "t" }`},
			wantErr: expectError("Header set by the provider", "X-Auth-Token")},
		{name: "header name with a space", srv: gateway, block: []string{ca(gateway), `http_headers = { "CF Access" = "t" }`},
			wantErr: expectError("Invalid header name", `"CF Access"`)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			admin := tc.srv.Admin()
			lines := append([]string{attr("server_url", tc.srv.URL()), attr("user_id", admin.UserID), attr("auth_token", admin.AuthToken), "max_retries = 0"}, tc.block...)
			config := "provider \"rocketchat\" {\n  " + strings.Join(lines, "\n  ") + "\n}\n" + integration
			step := resource.TestStep{Config: config}
			if tc.wantErr != nil {
				step.ExpectError = tc.wantErr
				step.PlanOnly = true
			} else {
				step.Check = resource.TestCheckResourceAttrSet("rocketchat_incoming_integration.test", "id")
			}
			resource.Test(t, resource.TestCase{ProtoV6ProviderFactories: providersWithEnv(tc.env), Steps: []resource.TestStep{step}})
		})
	}
}

func TestResolveNetworkKeepsSecretsOutOfMessages(t *testing.T) {
	const secret = "header-secret-9b2e"
	keyPEM := "-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg\n-----END PRIVATE KEY-----\n"
	env := map[string]string{
		EnvHTTPHeaders: `{"X-Gate": "` + secret + `", "X-Other": ` + `"` + secret + `\u0000"}`,
		EnvClientKey:   keyPEM,
		EnvCACert:      keyPEM,
	}
	_, _, diags := resolveNetwork(networkModel{HTTPHeaders: types.MapNull(types.StringType)}, func(k string) string { return env[k] })
	if !diags.HasError() {
		t.Fatal("want errors for a CA without a certificate, a key without a certificate and a NUL in a header")
	}
	for _, d := range diags {
		if withPath, ok := d.(diag.DiagnosticWithPath); ok {
			t.Errorf("%q points at %s, whose configuration line Terraform would print", d.Summary(), withPath.Path())
		}
	}
	text := fmt.Sprint(diags)
	for _, s := range []string{secret, "MIGHAgEAMBMGByqGSM49"} {
		if strings.Contains(text, s) {
			t.Errorf("a secret appears in %s", text)
		}
	}
	for _, want := range []string{"ROCKETCHAT_CA_CERT holds no certificate", "Missing client_cert", "X-Other"} {
		if !strings.Contains(text, want) {
			t.Errorf("%q missing from %s", want, text)
		}
	}
}
