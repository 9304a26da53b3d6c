package client

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"
)

// TLSConfig says how the client checks the server's certificate and which
// certificate it presents. The zero value uses the system's trusted
// authorities and no client certificate.
type TLSConfig struct {
	// CACertsPEM holds extra certificate authorities (PEM), trusted in
	// addition to the system's, e.g. a company's internal authority.
	CACertsPEM []byte
	// ClientCertPEM and ClientKeyPEM are a certificate and its private key
	// (PEM) for servers that require mutual TLS. Both or neither.
	ClientCertPEM []byte
	ClientKeyPEM  []byte
	// InsecureSkipVerify accepts any server certificate. Only for tests and
	// emergencies: anyone on the path can then read the credentials.
	InsecureSkipVerify bool
}

func (t TLSConfig) isZero() bool {
	return len(t.CACertsPEM) == 0 && len(t.ClientCertPEM) == 0 && len(t.ClientKeyPEM) == 0 && !t.InsecureSkipVerify
}

// Errors of TLSConfig. They never quote what the PEM holds.
var (
	ErrNoPEMCertificate = errors.New("no PEM certificate found: expected one or more blocks beginning with -----BEGIN CERTIFICATE-----")
	ErrClientKeyPair    = errors.New("the client certificate and key must be given together")
)

// ParseCertificatesPEM returns the certificates of a PEM bundle, or
// ErrNoPEMCertificate when it holds none. Other blocks are skipped.
func ParseCertificatesPEM(data []byte) ([]*x509.Certificate, error) {
	var certs []*x509.Certificate
	for {
		var block *pem.Block
		block, data = pem.Decode(data)
		if block == nil {
			break
		}
		if block.Type != "CERTIFICATE" {
			continue
		}
		cert, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			return nil, errors.New("a CERTIFICATE block is not a valid X.509 certificate")
		}
		certs = append(certs, cert)
	}
	if len(certs) == 0 {
		return nil, ErrNoPEMCertificate
	}
	return certs, nil
}

// ParseClientKeyPair checks a client certificate and its key. Its errors say
// what was expected without quoting either.
func ParseClientKeyPair(certPEM, keyPEM []byte) (tls.Certificate, error) {
	if len(certPEM) == 0 || len(keyPEM) == 0 {
		return tls.Certificate{}, ErrClientKeyPair
	}
	if _, err := ParseCertificatesPEM(certPEM); err != nil {
		return tls.Certificate{}, fmt.Errorf("client certificate: %w", err)
	}
	if block, _ := pem.Decode(keyPEM); block == nil || !strings.HasSuffix(block.Type, "PRIVATE KEY") {
		return tls.Certificate{}, errors.New("client key: no PEM private key found: expected a block beginning with " +
			"-----BEGIN PRIVATE KEY----- (or RSA / EC PRIVATE KEY)")
	}
	pair, err := tls.X509KeyPair(certPEM, keyPEM)
	if err != nil {
		if strings.Contains(err.Error(), "does not match") {
			return tls.Certificate{}, errors.New("the client key does not belong to the client certificate")
		}
		return tls.Certificate{}, errors.New("client key: not an unencrypted RSA, ECDSA or Ed25519 private key in PEM")
	}
	return pair, nil
}

// newTransport is the HTTP transport of a client without Config.HTTPClient:
// Go's defaults, the proxy taken from HTTPS_PROXY, HTTP_PROXY and NO_PROXY,
// and the TLS settings.
func newTransport(cfg TLSConfig) (*http.Transport, error) {
	t := http.DefaultTransport.(*http.Transport).Clone()
	// Explicit, so that nobody removes it thinking it is the default: it is
	// what makes the provider work behind a company's forward proxy.
	t.Proxy = http.ProxyFromEnvironment
	t.OnProxyConnectResponse = proxyConnectResponse
	if cfg.isZero() {
		return t, nil
	}
	tc := &tls.Config{MinVersion: tls.VersionTLS12, InsecureSkipVerify: cfg.InsecureSkipVerify} //nolint:gosec // only when asked, and the provider warns
	if len(cfg.CACertsPEM) > 0 {
		certs, err := ParseCertificatesPEM(cfg.CACertsPEM)
		if err != nil {
			return nil, fmt.Errorf("CA certificates: %w", err)
		}
		pool, err := x509.SystemCertPool()
		if err != nil || pool == nil {
			pool = x509.NewCertPool()
		}
		for _, c := range certs {
			pool.AddCert(c)
		}
		tc.RootCAs = pool
	}
	if len(cfg.ClientCertPEM) > 0 || len(cfg.ClientKeyPEM) > 0 {
		pair, err := ParseClientKeyPair(cfg.ClientCertPEM, cfg.ClientKeyPEM)
		if err != nil {
			return nil, err
		}
		tc.Certificates = []tls.Certificate{pair}
	}
	t.TLSClientConfig = tc
	return t, nil
}

// proxyConnectResponse keeps the status of a refused CONNECT, which Go's
// transport otherwise reduces to its reason phrase.
func proxyConnectResponse(_ context.Context, proxy *url.URL, req *http.Request, res *http.Response) error {
	if res.StatusCode == http.StatusOK {
		return nil
	}
	return &ProxyError{Proxy: proxy.Host, Target: req.Host, StatusCode: res.StatusCode, Status: strings.TrimSpace(strings.TrimPrefix(res.Status, fmt.Sprint(res.StatusCode)))}
}

// ProxyError is a forward proxy that could not be reached or refused to
// connect to Rocket.Chat.
type ProxyError struct {
	Proxy  string // host:port of the proxy, without credentials
	Target string // host:port the proxy was asked for
	// StatusCode is the proxy's answer to CONNECT; 0 when it could not be reached.
	StatusCode int
	Status     string
	Err        error // why it could not be reached
}

func (e *ProxyError) Error() string {
	if e.StatusCode == 0 {
		return fmt.Sprintf("the proxy %s (from HTTPS_PROXY or HTTP_PROXY) could not be reached: %v", e.Proxy, e.Err)
	}
	status := fmt.Sprintf("HTTP %d", e.StatusCode)
	if e.Status != "" {
		status += " " + e.Status
	}
	return fmt.Sprintf("the proxy %s (from HTTPS_PROXY or HTTP_PROXY) refused to connect to %s: it answered %s", e.Proxy, e.Target, status)
}

func (e *ProxyError) Unwrap() error { return e.Err }

// CertificateProblem says why the server's certificate was not accepted.
type CertificateProblem int

const (
	CertificateUntrusted CertificateProblem = iota + 1 // signed by an unknown authority
	CertificateExpired                                 // expired or not yet valid
	CertificateWrongHost                               // issued for other names
	CertificateInvalid                                 // any other reason
)

// CertificateError is a server certificate that was not accepted.
type CertificateError struct {
	Problem CertificateProblem
	Subject string // of the server's certificate
	Issuer  string
	// Host is the name the client connected to (CertificateWrongHost).
	Host string
	// Names are the DNS names and addresses the certificate is valid for.
	Names     []string
	NotBefore time.Time
	NotAfter  time.Time
	Err       error
}

func (e *CertificateError) Error() string {
	cert := "the server's certificate"
	if e.Subject != "" {
		cert = fmt.Sprintf("the server's certificate (subject %q, issued by %q)", e.Subject, e.Issuer)
	}
	switch e.Problem {
	case CertificateUntrusted:
		return cert + " is signed by an authority this machine does not trust"
	case CertificateExpired:
		if !e.NotBefore.IsZero() && time.Now().Before(e.NotBefore) {
			return fmt.Sprintf("%s is not valid before %s", cert, e.NotBefore.UTC().Format(time.RFC3339))
		}
		return fmt.Sprintf("%s expired on %s", cert, e.NotAfter.UTC().Format(time.RFC3339))
	case CertificateWrongHost:
		names := "no host names"
		if len(e.Names) > 0 {
			names = strings.Join(e.Names, ", ")
		}
		return fmt.Sprintf("%s is not valid for %s: it names %s", cert, e.Host, names)
	default:
		return fmt.Sprintf("%s was not accepted: %v", cert, e.Err)
	}
}

func (e *CertificateError) Unwrap() error { return e.Err }

// ClientCertificateError is a server that wants a client certificate (mutual
// TLS) and was given none, or refused the one it was given.
type ClientCertificateError struct {
	Alert string // the server's TLS alert, e.g. "certificate required"
	Err   error
}

func (e *ClientCertificateError) Error() string {
	return fmt.Sprintf("the server requires a client certificate it accepts (mutual TLS) and ended the connection with the TLS alert %q", e.Alert)
}

func (e *ClientCertificateError) Unwrap() error { return e.Err }

// clientCertAlerts are the TLS alerts a server sends when a client
// certificate is missing or not accepted.
var clientCertAlerts = []string{"certificate required", "bad certificate", "unknown certificate authority", "certificate unknown", "unsupported certificate"}

// classifyNetworkError turns a transport failure caused by TLS or a proxy
// into an error that says which; nil for any other failure.
func classifyNetworkError(err error) error {
	// A refused CONNECT is a *ProxyError already (proxyConnectResponse).
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "proxyconnect" {
		proxy := ""
		var dial *net.OpError
		if errors.As(op.Err, &dial) && dial.Addr != nil {
			proxy = dial.Addr.String()
		}
		return &ProxyError{Proxy: proxy, Err: op.Err}
	}
	if errors.As(err, &op) && op.Op == "remote error" {
		// crypto/tls reports a peer's alert as an unexported type: only its
		// text ("tls: certificate required") tells which.
		alert := strings.TrimPrefix(op.Err.Error(), "tls: ")
		for _, a := range clientCertAlerts {
			if alert == a {
				return &ClientCertificateError{Alert: alert, Err: err}
			}
		}
	}
	var verify *tls.CertificateVerificationError
	var leaf *x509.Certificate
	if errors.As(err, &verify) && len(verify.UnverifiedCertificates) > 0 {
		leaf = verify.UnverifiedCertificates[0]
	}
	var unknown x509.UnknownAuthorityError
	var invalid x509.CertificateInvalidError
	var host x509.HostnameError
	switch {
	case errors.As(err, &unknown):
		if unknown.Cert != nil {
			leaf = unknown.Cert
		}
		return newCertificateError(CertificateUntrusted, leaf, err)
	case errors.As(err, &invalid):
		if invalid.Cert != nil {
			leaf = invalid.Cert
		}
		if invalid.Reason == x509.Expired {
			return newCertificateError(CertificateExpired, leaf, err)
		}
		return newCertificateError(CertificateInvalid, leaf, err)
	case errors.As(err, &host):
		if host.Certificate != nil {
			leaf = host.Certificate
		}
		ce := newCertificateError(CertificateWrongHost, leaf, err)
		ce.Host = host.Host
		return ce
	case verify != nil:
		return newCertificateError(CertificateInvalid, leaf, err)
	}
	return nil
}

func newCertificateError(p CertificateProblem, cert *x509.Certificate, err error) *CertificateError {
	e := &CertificateError{Problem: p, Err: err}
	if cert == nil {
		return e
	}
	e.Subject = nameOf(cert.Subject)
	e.Issuer = nameOf(cert.Issuer)
	e.NotBefore, e.NotAfter = cert.NotBefore, cert.NotAfter
	e.Names = append(e.Names, cert.DNSNames...)
	for _, ip := range cert.IPAddresses {
		e.Names = append(e.Names, ip.String())
	}
	return e
}

// nameOf prefers the common name, which is what people recognise; the full
// distinguished name otherwise.
func nameOf(n pkix.Name) string {
	if n.CommonName != "" {
		return "CN=" + n.CommonName
	}
	return n.String()
}

// htmlTitleRE finds the title of an HTML page.
var htmlTitleRE = regexp.MustCompile(`(?is)<title[^>]*>(.*?)</title>`)

// looksLikeHTML reports whether an answer is an HTML page: what an access
// gateway or a login page sends where Rocket.Chat would send JSON.
func looksLikeHTML(contentType string, body []byte) bool {
	ct := strings.ToLower(contentType)
	if strings.HasPrefix(ct, "text/html") || strings.HasPrefix(ct, "application/xhtml") {
		return true
	}
	trimmed := strings.TrimSpace(string(body[:min(len(body), 512)]))
	return strings.HasPrefix(trimmed, "<")
}

// gatewayStatus reports whether an access gateway answers a request without
// its credentials with status: its login page (2xx) or a refusal (401, 403).
// An HTML 5xx is a proxy's error page instead.
func gatewayStatus(status int) bool {
	return (status >= 200 && status < 300) || status == http.StatusUnauthorized || status == http.StatusForbidden
}

// IsAccessGateway reports whether err is an answer of an access gateway
// (Cloudflare Access, an OAuth2 proxy) to a request without the headers it
// expects: an HTML page where Rocket.Chat answers JSON, or a redirect to a
// login page.
func IsAccessGateway(err error) bool {
	var e *APIError
	return errors.As(err, &e) && (e.HTML || e.LoginRedirect)
}

// loginPathRE matches the paths of login pages: Cloudflare Access's
// /cdn-cgi/access/login, oauth2-proxy's /oauth2/start and sign_in, and the
// usual login, signin, sso and authorize pages.
var loginPathRE = regexp.MustCompile(`(?i)(/cdn-cgi/access/|/oauth2?/|log-?in|sign-?_?in|/sso\b|/saml|/authorize|/auth\b)`)

// loginLocation reports whether a redirect's target is a login page.
func loginLocation(loc string) bool {
	u, err := url.Parse(loc)
	if err != nil {
		return false
	}
	return loginPathRE.MatchString(u.Path)
}

// Why CheckHeader refuses a header.
var (
	ErrHeaderName     = errors.New("not a valid HTTP header name")
	ErrReservedHeader = errors.New("set by the client itself")
	ErrHeaderValue    = errors.New("holds a line break or another control character")
)

// CheckHeader says whether a header may be sent with every request. Its
// errors name the header, never its value, which is often a secret.
func CheckHeader(name, value string) error {
	switch {
	case !validHeaderName(name):
		return fmt.Errorf("%q is %w", name, ErrHeaderName)
	case ReservedHeader(name):
		return fmt.Errorf("the header %s is %w", http.CanonicalHeaderKey(name), ErrReservedHeader)
	case !validHeaderValue(value):
		return fmt.Errorf("the value of the header %s %w", name, ErrHeaderValue)
	}
	return nil
}

// validHeaderName reports whether name is an HTTP token (RFC 9110, section 5.6.2).
func validHeaderName(name string) bool {
	if name == "" {
		return false
	}
	for _, r := range name {
		if r > 0x7e || r <= ' ' || strings.ContainsRune(`"(),/:;<=>?@[\]{}`, r) {
			return false
		}
	}
	return true
}

// validHeaderValue rejects control characters, which could split a header.
func validHeaderValue(v string) bool {
	for _, r := range v {
		if (r < ' ' && r != '\t') || r == 0x7f {
			return false
		}
	}
	return true
}

// reservedHeaders are set by the client or by Go for every request.
var reservedHeaders = map[string]bool{
	"X-User-Id": true, "X-Auth-Token": true, "User-Agent": true, "Accept": true,
	"Content-Type": true, "Content-Length": true, "Host": true, "Transfer-Encoding": true, "Connection": true,
}

// ReservedHeader reports whether Config.Headers may not set name.
func ReservedHeader(name string) bool { return reservedHeaders[http.CanonicalHeaderKey(name)] }
