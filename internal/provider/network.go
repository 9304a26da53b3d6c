package provider

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"sort"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/terraform-rocketchat/terraform-provider-rocketchat/internal/client"
)

// Environment variables of the settings for reaching Rocket.Chat through a
// company network, named as in the Vault, Grafana and Kubernetes providers.
const (
	EnvCACert             = "ROCKETCHAT_CA_CERT"
	EnvCACertFile         = "ROCKETCHAT_CA_CERT_FILE"
	EnvClientCert         = "ROCKETCHAT_CLIENT_CERT"
	EnvClientCertFile     = "ROCKETCHAT_CLIENT_CERT_FILE"
	EnvClientKey          = "ROCKETCHAT_CLIENT_KEY"
	EnvClientKeyFile      = "ROCKETCHAT_CLIENT_KEY_FILE"
	EnvInsecureSkipVerify = "ROCKETCHAT_INSECURE_SKIP_VERIFY"
	EnvHTTPHeaders        = "ROCKETCHAT_HTTP_HEADERS"
)

// networkAttributes are the provider block's TLS and header settings.
func networkAttributes() map[string]schema.Attribute {
	return map[string]schema.Attribute{
		"ca_cert": schema.StringAttribute{
			MarkdownDescription: "PEM-encoded certificate of the authority that issued the server's certificate, such as a " +
				"company's internal authority (several may be concatenated). It is trusted in addition to the system's " +
				"authorities, not instead of them. Conflicts with `ca_cert_file`. Environment variable: `" + EnvCACert + "`.",
			Optional: true,
		},
		"ca_cert_file": schema.StringAttribute{
			MarkdownDescription: "Path of a PEM file holding the certificates of `ca_cert`. Conflicts with `ca_cert`. " +
				"Environment variable: `" + EnvCACertFile + "`.",
			Optional: true,
		},
		"client_cert": schema.StringAttribute{
			MarkdownDescription: "PEM-encoded client certificate for servers (or the proxies in front of them) that " +
				"require mutual TLS; needs `client_key` or `client_key_file`. Conflicts with `client_cert_file`. " +
				"Environment variable: `" + EnvClientCert + "`.",
			Optional: true,
		},
		"client_cert_file": schema.StringAttribute{
			MarkdownDescription: "Path of a PEM file holding `client_cert`. Conflicts with `client_cert`. " +
				"Environment variable: `" + EnvClientCertFile + "`.",
			Optional: true,
		},
		"client_key": schema.StringAttribute{
			MarkdownDescription: "PEM-encoded, unencrypted private key of `client_cert`. Conflicts with `client_key_file`. " +
				"Environment variable: `" + EnvClientKey + "`.",
			Optional:  true,
			Sensitive: true,
		},
		"client_key_file": schema.StringAttribute{
			MarkdownDescription: "Path of a PEM file holding `client_key`. Conflicts with `client_key`. " +
				"Environment variable: `" + EnvClientKeyFile + "`.",
			Optional: true,
		},
		"insecure_skip_verify": schema.BoolAttribute{
			MarkdownDescription: "Accept any server certificate without checking it (default `false`). Anyone between " +
				"Terraform and Rocket.Chat could then read the credentials; prefer `ca_cert`. Every run warns while it is " +
				"on. Environment variable: `" + EnvInsecureSkipVerify + "` (`true` or `false`).",
			Optional: true,
		},
		"http_headers": schema.MapAttribute{
			MarkdownDescription: "HTTP headers sent with every request, such as the service token of an access gateway in " +
				"front of Rocket.Chat (Cloudflare Access: `CF-Access-Client-Id` and `CF-Access-Client-Secret`). The values " +
				"are sensitive and never logged. The headers the provider sets itself (`X-User-Id`, `X-Auth-Token`, " +
				"`User-Agent`, `Accept`, `Content-Type`) cannot be set. Environment variable: `" + EnvHTTPHeaders +
				"`, a JSON object such as `{\"CF-Access-Client-Id\": \"…\"}`; the attribute, when set, replaces it whole.",
			ElementType: types.StringType,
			Optional:    true,
			Sensitive:   true,
		},
	}
}

// networkModel is the part of providerModel that networkAttributes describe.
type networkModel struct {
	CACert             types.String `tfsdk:"ca_cert"`
	CACertFile         types.String `tfsdk:"ca_cert_file"`
	ClientCert         types.String `tfsdk:"client_cert"`
	ClientCertFile     types.String `tfsdk:"client_cert_file"`
	ClientKey          types.String `tfsdk:"client_key"`
	ClientKeyFile      types.String `tfsdk:"client_key_file"`
	InsecureSkipVerify types.Bool   `tfsdk:"insecure_skip_verify"`
	HTTPHeaders        types.Map    `tfsdk:"http_headers"`
}

func (m networkModel) unknown() bool {
	for _, v := range []types.String{m.CACert, m.CACertFile, m.ClientCert, m.ClientCertFile, m.ClientKey, m.ClientKeyFile} {
		if v.IsUnknown() {
			return true
		}
	}
	if m.InsecureSkipVerify.IsUnknown() || m.HTTPHeaders.IsUnknown() {
		return true
	}
	for _, v := range m.HTTPHeaders.Elements() {
		if v.IsUnknown() {
			return true
		}
	}
	return false
}

// pemSetting is a PEM value given inline or as a file, in the provider block
// or in the environment.
type pemSetting struct {
	attr, fileAttr string // e.g. ca_cert, ca_cert_file
	env, fileEnv   string
	what           string // what it holds, for messages
}

var (
	caCertSetting     = pemSetting{"ca_cert", "ca_cert_file", EnvCACert, EnvCACertFile, "the certificate of an authority"}
	clientCertSetting = pemSetting{"client_cert", "client_cert_file", EnvClientCert, EnvClientCertFile, "a client certificate"}
	clientKeySetting  = pemSetting{"client_key", "client_key_file", EnvClientKey, EnvClientKeyFile, "the client certificate's private key"}
)

// resolve returns the PEM data, where it came from (for messages), and
// false when it is not set. The provider block wins over the environment.
func (s pemSetting) resolve(inline, file types.String, getenv func(string) string, d *diag.Diagnostics) (data []byte, from string, ok bool) {
	data, from, _, ok = s.resolveFrom(inline, file, getenv, d)
	return data, from, ok
}

// resolveFrom is resolve that also tells whether the data came from a file.
func (s pemSetting) resolveFrom(inline, file types.String, getenv func(string) string, d *diag.Diagnostics) (data []byte, from string, fromFile, ok bool) {
	content, name := inline.ValueString(), file.ValueString()
	contentFrom, fileFrom := s.attr, s.fileAttr
	if inline.IsNull() && file.IsNull() {
		content, name = getenv(s.env), getenv(s.fileEnv)
		contentFrom, fileFrom = s.env, s.fileEnv
	}
	switch {
	case content != "" && name != "":
		// At the file's attribute: its line shows a path, never PEM text.
		addErrorAt(d, s.fileAttr, "Conflicting "+s.attr+" settings",
			fmt.Sprintf("Both %s and %s are set. Set one: %s holds the PEM text of %s, %s names a file holding it.",
				contentFrom, fileFrom, contentFrom, s.what, fileFrom))
		return nil, "", false, false
	case content != "":
		return []byte(content), contentFrom, false, true
	case name != "":
		data, err := os.ReadFile(name)
		if err != nil {
			addErrorAt(d, s.fileAttr, "Cannot read "+s.fileAttr,
				fmt.Sprintf("%s names a file that cannot be read: %s. It must be a PEM file holding %s.",
					fileFrom, describeFileError(err), s.what))
			return nil, "", true, false
		}
		return data, fmt.Sprintf("%s (%s)", fileFrom, name), true, true
	}
	return nil, "", false, false
}

// describeFileError says why a file cannot be read; os errors already name
// the path.
func describeFileError(err error) string {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return fmt.Sprintf("%s %s", pe.Path, pe.Err)
	}
	return err.Error()
}

// resolveNetwork reads the TLS and header settings from the provider block
// and the environment. Its messages never quote a certificate, a key or a
// header value.
func resolveNetwork(m networkModel, getenv func(string) string) (client.TLSConfig, map[string]string, diag.Diagnostics) {
	var d diag.Diagnostics
	var out client.TLSConfig

	if data, from, fromFile, ok := caCertSetting.resolveFrom(m.CACert, m.CACertFile, getenv, &d); ok {
		if _, err := client.ParseCertificatesPEM(data); err != nil {
			attr := caCertSetting.attr
			if fromFile {
				attr = caCertSetting.fileAttr
			}
			addErrorAt(&d, attr, "Invalid "+attr,
				fmt.Sprintf("%s holds no certificate: %s.", from, sentenceTail(err)))
		} else {
			out.CACertsPEM = data
		}
	}

	before := d.ErrorsCount()
	cert, certFrom, haveCert := clientCertSetting.resolve(m.ClientCert, m.ClientCertFile, getenv, &d)
	key, keyFrom, haveKey := clientKeySetting.resolve(m.ClientKey, m.ClientKeyFile, getenv, &d)
	switch {
	case d.ErrorsCount() > before:
		// A conflict or an unreadable file was reported already.
	case haveCert && !haveKey:
		addErrorAt(&d, "client_key", "Missing client_key",
			fmt.Sprintf("%s is set but no private key is: set client_key or client_key_file (or %s or %s) to the unencrypted PEM private key of the client certificate.",
				certFrom, EnvClientKey, EnvClientKeyFile))
	case haveKey && !haveCert:
		addErrorAt(&d, "client_cert", "Missing client_cert",
			fmt.Sprintf("%s is set but no client certificate is: set client_cert or client_cert_file (or %s or %s) to the PEM certificate that goes with the key.",
				keyFrom, EnvClientCert, EnvClientCertFile))
	case haveCert && haveKey:
		if _, err := client.ParseClientKeyPair(cert, key); err != nil {
			attr := "client_key"
			if errors.Is(err, client.ErrNoPEMCertificate) {
				attr = "client_cert"
			}
			addErrorAt(&d, attr, "Invalid client certificate or key",
				fmt.Sprintf("The client certificate (from %s) and key (from %s) cannot be used: %s.", certFrom, keyFrom, sentenceTail(err)))
		} else {
			out.ClientCertPEM, out.ClientKeyPEM = cert, key
		}
	}

	if !m.InsecureSkipVerify.IsNull() {
		out.InsecureSkipVerify = m.InsecureSkipVerify.ValueBool()
	} else if v := getenv(EnvInsecureSkipVerify); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			addErrorAt(&d, "insecure_skip_verify", "Invalid "+EnvInsecureSkipVerify,
				fmt.Sprintf("%q is not true or false.", v))
		}
		out.InsecureSkipVerify = b
	}

	headers, from := map[string]string{}, "http_headers"
	if !m.HTTPHeaders.IsNull() {
		for name, v := range m.HTTPHeaders.Elements() {
			s, ok := v.(types.String)
			if !ok || s.IsNull() {
				addErrorAt(&d, "http_headers", "Missing header value",
					fmt.Sprintf("The header %s in http_headers has no value.", name))
				continue
			}
			headers[name] = s.ValueString()
		}
	} else if v := getenv(EnvHTTPHeaders); v != "" {
		from = EnvHTTPHeaders
		if err := json.Unmarshal([]byte(v), &headers); err != nil {
			// The JSON error could quote part of a value: say only what is expected.
			addErrorAt(&d, "http_headers", "Invalid "+EnvHTTPHeaders,
				EnvHTTPHeaders+" is not a JSON object of strings. It must look like "+
					`{"CF-Access-Client-Id": "…", "CF-Access-Client-Secret": "…"}`+": header names as keys, their values as strings.")
			headers = nil
		}
	}
	names := make([]string, 0, len(headers))
	for name := range headers {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		err := client.CheckHeader(name, headers[name])
		switch {
		case errors.Is(err, client.ErrReservedHeader):
			addErrorAt(&d, "http_headers", "Header set by the provider",
				fmt.Sprintf("%s sets %s, which the provider sets itself. Remove it; credentials belong in user_id and auth_token, or username and password.",
					from, http.CanonicalHeaderKey(name)))
		case errors.Is(err, client.ErrHeaderName):
			addErrorAt(&d, "http_headers", "Invalid header name",
				fmt.Sprintf("%s holds %q, which is not an HTTP header name: use letters, digits and - only, such as CF-Access-Client-Id.", from, name))
		case errors.Is(err, client.ErrHeaderValue):
			addErrorAt(&d, "http_headers", "Invalid header value",
				fmt.Sprintf("The value of %s in %s holds a line break or another control character, which a header cannot carry.", name, from))
		}
	}
	if d.HasError() {
		return out, nil, d
	}
	return out, headers, d
}

// sensitiveAttributes hold secrets, or PEM text that may be a private key
// pasted in the wrong place. Terraform shows the configuration line an
// attribute's diagnostic points at, value included, so diagnostics about
// them point at the provider block and name the attribute in their text.
var sensitiveAttributes = map[string]bool{
	"auth_token": true, "password": true, "client_key": true, "http_headers": true,
	"ca_cert": true, "client_cert": true,
}

// addErrorAt reports an error about a provider attribute.
func addErrorAt(d *diag.Diagnostics, attr, summary, detail string) {
	if sensitiveAttributes[attr] {
		d.AddError(summary, detail)
		return
	}
	d.AddAttributeError(path.Root(attr), summary, detail)
}

// sentenceTail makes an error text fit after a colon: no capital, no stop.
func sentenceTail(err error) string {
	return strings.TrimSuffix(err.Error(), ".")
}

// insecureWarning is added once per provider configuration while
// insecure_skip_verify is on.
func insecureWarning() (string, string) {
	return "TLS certificate verification is off",
		"insecure_skip_verify (or " + EnvInsecureSkipVerify + ") makes the provider accept any certificate, so anyone " +
			"between Terraform and Rocket.Chat can read the credentials and change what the provider sees. Trust the " +
			"server's authority with ca_cert or ca_cert_file (or " + EnvCACert + " or " + EnvCACertFile + ") instead."
}

// networkDiagnostic explains a failure to reach Rocket.Chat caused by TLS,
// a proxy or an access gateway: what happened, and which setting fixes it.
// ok is false for other errors.
func networkDiagnostic(err error) (attr, summary, detail string, ok bool) {
	var certErr *client.CertificateError
	var clientCertErr *client.ClientCertificateError
	var proxyErr *client.ProxyError
	switch {
	case errors.As(err, &certErr):
		switch certErr.Problem {
		case client.CertificateUntrusted:
			return "ca_cert", "Rocket.Chat's certificate is not trusted",
				sentence(err.Error()) + "\n\nIf the server uses a company's internal authority, give the provider that " +
					"authority's certificate (PEM) with ca_cert or ca_cert_file, or the " + EnvCACert + " or " + EnvCACertFile +
					" environment variable. It is trusted in addition to the system's authorities.", true
		case client.CertificateExpired:
			return "server_url", "Rocket.Chat's certificate has expired",
				sentence(err.Error()) + "\n\nThe server's certificate is out of date: whoever runs the server (or the " +
					"proxy in front of it) must renew it. The provider refuses it because an expired certificate no " +
					"longer proves who answers.", true
		case client.CertificateWrongHost:
			return "server_url", "Rocket.Chat's certificate is for another host",
				sentence(err.Error()) + "\n\nSet server_url (or " + EnvURL + ") to one of the names the certificate " +
					"names, or have the server's certificate issued for the name you use.", true
		default:
			return "server_url", "Rocket.Chat's certificate was not accepted", sentence(err.Error()), true
		}
	case errors.As(err, &clientCertErr):
		return "client_cert", "Rocket.Chat requires a client certificate",
			sentence(err.Error()) + "\n\nThe server, or the proxy in front of it, accepts only clients with a " +
				"certificate it trusts (mutual TLS). Set client_cert and client_key, or client_cert_file and " +
				"client_key_file (or " + EnvClientCert + " and " + EnvClientKey + ", or " + EnvClientCertFile + " and " +
				EnvClientKeyFile + "), to a certificate it accepts and its private key.", true
	case errors.As(err, &proxyErr):
		detail := sentence(err.Error()) + "\n\nThe provider reaches Rocket.Chat through the proxy that HTTPS_PROXY " +
			"(or HTTP_PROXY for an http:// server URL) names, except for the hosts in NO_PROXY. "
		if proxyErr.StatusCode != 0 {
			detail += "Ask the proxy's administrator to allow the server, or, if the server can be reached directly, add its host to NO_PROXY."
		} else {
			detail += "Check that the proxy's address is right, or, if the server can be reached directly, add its host to NO_PROXY."
		}
		return "server_url", "The proxy refused the connection to Rocket.Chat", detail, true
	case client.IsAccessGateway(err):
		return "http_headers", "An access gateway answered instead of Rocket.Chat",
			sentence(err.Error()) + "\n\nA gateway such as Cloudflare Access or an OAuth2 proxy guards the server and " +
				"wants its own credentials on every request. Set http_headers (or " + EnvHTTPHeaders + ", a JSON object) " +
				"to the headers it expects, e.g. CF-Access-Client-Id and CF-Access-Client-Secret for a Cloudflare " +
				"Access service token.", true
	}
	return "", "", "", false
}
