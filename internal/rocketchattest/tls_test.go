package rocketchattest_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/terraform-rocketchat/terraform-provider-rocketchat/internal/rocketchattest"
)

// tlsClient is a client that trusts roots (PEM, may be nil) and presents
// the certificate pair when given; it reaches every host name at the
// server's address, as a resolver or proxy would.
func tlsClient(t *testing.T, srv *rocketchattest.Server, roots []byte, certPEM, keyPEM []byte) *http.Client {
	t.Helper()
	cfg := &tls.Config{MinVersion: tls.VersionTLS12}
	if roots != nil {
		cfg.RootCAs = x509.NewCertPool()
		if !cfg.RootCAs.AppendCertsFromPEM(roots) {
			t.Fatal("roots: no certificate in PEM")
		}
	}
	if certPEM != nil {
		pair, err := tls.X509KeyPair(certPEM, keyPEM)
		if err != nil {
			t.Fatal(err)
		}
		cfg.Certificates = []tls.Certificate{pair}
	}
	addr := strings.TrimPrefix(srv.URL(), "https://")
	dialer := &net.Dialer{}
	tr := &http.Transport{TLSClientConfig: cfg, DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
		return dialer.DialContext(ctx, network, addr)
	}}
	t.Cleanup(tr.CloseIdleConnections)
	return &http.Client{Transport: tr, Timeout: 10 * time.Second}
}

// getInfo fetches /api/info at host (host:port of the URL; the server's own
// address when empty) and returns the status or the transport error.
func getInfo(t *testing.T, c *http.Client, srv *rocketchattest.Server, host string) (int, error) {
	t.Helper()
	u, _ := url.Parse(srv.URL() + "/api/info")
	if host != "" {
		u.Host = net.JoinHostPort(host, u.Port())
	}
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, u.String(), nil)
	res, err := c.Do(req)
	if err != nil {
		return 0, err
	}
	_, _ = io.Copy(io.Discard, res.Body)
	res.Body.Close()
	return res.StatusCode, nil
}

func TestTLS(t *testing.T) {
	isUnknownAuthority := func(err error) bool {
		var e x509.UnknownAuthorityError
		return errors.As(err, &e)
	}
	isWrongHost := func(err error) bool {
		var e x509.HostnameError
		return errors.As(err, &e)
	}
	isExpired := func(err error) bool {
		var e x509.CertificateInvalidError
		return errors.As(err, &e) && e.Reason == x509.Expired
	}
	for _, tc := range []struct {
		name       string
		opts       []rocketchattest.Option
		trustCA    bool
		host       string // the host name the client asks for ("" for the server's own address)
		wantStatus int
		wantErr    func(error) bool
	}{
		{"trusted authority", []rocketchattest.Option{rocketchattest.WithTLS()}, true, "", 200, nil},
		{"localhost is in the certificate", []rocketchattest.Option{rocketchattest.WithTLS()}, true, "localhost", 200, nil},
		{"::1 is in the certificate", []rocketchattest.Option{rocketchattest.WithTLS()}, true, "::1", 200, nil},
		{"system roots only", []rocketchattest.Option{rocketchattest.WithTLS()}, false, "", 0, isUnknownAuthority},
		{"a name of WithTLSNames", []rocketchattest.Option{rocketchattest.WithTLSNames("rocketchat.internal.test")}, true, "rocketchat.internal.test", 200, nil},
		{"a name not given", []rocketchattest.Option{rocketchattest.WithTLSNames("rocketchat.internal.test")}, true, "other.internal.test", 0, isWrongHost},
		{"WithCertificateNames leaves loopback out", []rocketchattest.Option{rocketchattest.WithCertificateNames("chat.example.com")}, true, "", 0, isWrongHost},
		{"WithCertificateNames leaves localhost out", []rocketchattest.Option{rocketchattest.WithCertificateNames("chat.example.com")}, true, "localhost", 0, isWrongHost},
		{"a name of WithCertificateNames", []rocketchattest.Option{rocketchattest.WithCertificateNames("chat.example.com")}, true, "chat.example.com", 200, nil},
		{"expired certificate", []rocketchattest.Option{rocketchattest.WithExpiredCertificate()}, true, "", 0, isExpired},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := rocketchattest.NewServer(tc.opts...)
			defer srv.Close()
			if !strings.HasPrefix(srv.URL(), "https://127.0.0.1:") {
				t.Fatalf("URL %q", srv.URL())
			}
			var roots []byte
			if tc.trustCA {
				roots = srv.CACertPEM()
			}
			status, err := getInfo(t, tlsClient(t, srv, roots, nil, nil), srv, tc.host)
			if tc.wantErr != nil {
				if err == nil || !tc.wantErr(err) {
					t.Fatalf("got status %d, error %v; want the other error", status, err)
				}
				return
			}
			if err != nil || status != tc.wantStatus {
				t.Fatalf("got status %d, error %v; want %d", status, err, tc.wantStatus)
			}
		})
	}
}

func TestTLSAuthority(t *testing.T) {
	parse := func(t *testing.T, data []byte) *x509.Certificate {
		t.Helper()
		block, rest := pem.Decode(data)
		if block == nil || block.Type != "CERTIFICATE" || len(strings.TrimSpace(string(rest))) != 0 {
			t.Fatalf("not one PEM certificate: %q", data)
		}
		cert, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			t.Fatal(err)
		}
		return cert
	}
	a, b := rocketchattest.NewServer(rocketchattest.WithTLS()), rocketchattest.NewServer(rocketchattest.WithTLS())
	defer a.Close()
	defer b.Close()
	ca, other := parse(t, a.CACertPEM()), parse(t, b.CACertPEM())
	key, ok := ca.PublicKey.(*ecdsa.PublicKey)
	if !ok || key.Curve != elliptic.P256() {
		t.Errorf("key %T, want ECDSA P-256", ca.PublicKey)
	}
	if !ca.IsCA || ca.KeyUsage&x509.KeyUsageCertSign == 0 {
		t.Errorf("IsCA %v, key usage %b: not an authority", ca.IsCA, ca.KeyUsage)
	}
	if life := time.Until(ca.NotAfter); life < 23*time.Hour || life > 24*time.Hour {
		t.Errorf("valid for %v more, want 24 h", life)
	}
	if ca.SerialNumber.Cmp(other.SerialNumber) == 0 || ca.SerialNumber.BitLen() < 64 {
		t.Errorf("serial numbers %v and %v: want random ones", ca.SerialNumber, other.SerialNumber)
	}
	// Each server has its own authority: b's is no use against a.
	if _, err := getInfo(t, tlsClient(t, a, b.CACertPEM(), nil, nil), a, ""); err == nil {
		t.Error("another server's authority was trusted")
	}
	// The copy handed out cannot change the server's.
	a.CACertPEM()[30] ^= 1
	if parse(t, a.CACertPEM()).SerialNumber.Cmp(ca.SerialNumber) != 0 {
		t.Error("CACertPEM returned the server's own slice")
	}
}

func TestWithoutTLS(t *testing.T) {
	srv := rocketchattest.NewServer()
	defer srv.Close()
	certPEM, keyPEM := srv.ClientCertificate()
	if !strings.HasPrefix(srv.URL(), "http://") || srv.CACertPEM() != nil || certPEM != nil || keyPEM != nil {
		t.Fatalf("URL %q, CA %q, client certificate %q %q", srv.URL(), srv.CACertPEM(), certPEM, keyPEM)
	}
}

func TestClientAuth(t *testing.T) {
	srv := rocketchattest.NewServer(rocketchattest.WithClientAuth())
	defer srv.Close()
	stranger := rocketchattest.NewServer(rocketchattest.WithTLS())
	defer stranger.Close()

	certPEM, keyPEM := srv.ClientCertificate()
	if block, _ := pem.Decode(keyPEM); block == nil || block.Type != "PRIVATE KEY" {
		t.Fatalf("key is not PKCS #8 PEM: %q", keyPEM)
	}
	if cert, _ := pem.Decode(certPEM); cert == nil {
		t.Fatalf("certificate is not PEM: %q", certPEM)
	} else if c, err := x509.ParseCertificate(cert.Bytes); err != nil || len(c.ExtKeyUsage) != 1 || c.ExtKeyUsage[0] != x509.ExtKeyUsageClientAuth {
		t.Fatalf("client certificate %v: %+v", err, c)
	}
	strangerCert, strangerKey := stranger.ClientCertificate()
	for _, tc := range []struct {
		name      string
		cert, key []byte
		admitted  bool
	}{
		{"no client certificate", nil, nil, false},
		{"a certificate from the server's authority", certPEM, keyPEM, true},
		{"a certificate from another authority", strangerCert, strangerKey, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, err := getInfo(t, tlsClient(t, srv, srv.CACertPEM(), tc.cert, tc.key), srv, "")
			if admitted := err == nil && status == 200; admitted != tc.admitted {
				t.Fatalf("status %d, error %v; want admitted %v", status, err, tc.admitted)
			}
		})
	}
	if got := srv.Requests(rocketchattest.EndpointInfo); got != 1 {
		t.Errorf("%d requests reached the server, want only the admitted one", got)
	}
}

func TestRequiredHeader(t *testing.T) {
	const id, secret = "client-id.access", "s3cr3t-value"
	srv := rocketchattest.NewServer(rocketchattest.WithTLS(),
		rocketchattest.WithRequiredHeader("CF-Access-Client-Id", id), rocketchattest.WithRequiredHeader("cf-access-client-secret", secret))
	defer srv.Close()
	client := tlsClient(t, srv, srv.CACertPEM(), nil, nil)
	noRedirects := *client
	noRedirects.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	loginURL := regexp.MustCompile(`^https://127\.0\.0\.1:[0-9]+/cdn-cgi/access/login/127\.0\.0\.1:[0-9]+\?kid=[0-9a-f]{64}&redirect_url=%2Fapi%2Fv1%2Fme%3Fx%3D1$`)
	loginPage := regexp.MustCompile(`<title>Sign in ・ Cloudflare Access</title>`)

	for _, tc := range []struct {
		name    string
		method  string
		headers map[string][]string
		admit   bool
	}{
		{"no header", http.MethodGet, nil, false},
		{"one of two headers", http.MethodGet, map[string][]string{"CF-Access-Client-Id": {id}}, false},
		{"a wrong value", http.MethodGet, map[string][]string{"CF-Access-Client-Id": {id}, "CF-Access-Client-Secret": {secret + "x"}}, false},
		{"a value differing in case", http.MethodGet, map[string][]string{"CF-Access-Client-Id": {id}, "CF-Access-Client-Secret": {strings.ToUpper(secret)}}, false},
		{"the value twice", http.MethodGet, map[string][]string{"CF-Access-Client-Id": {id}, "CF-Access-Client-Secret": {secret, secret}}, false},
		{"a POST without headers", http.MethodPost, nil, false},
		{"both headers", http.MethodGet, map[string][]string{"Cf-Access-Client-Id": {id}, "CF-ACCESS-CLIENT-SECRET": {secret}}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// send returns the answer's status, header and body.
			send := func(c *http.Client) (int, http.Header, []byte) {
				req, _ := http.NewRequestWithContext(t.Context(), tc.method, srv.URL()+"/api/v1/me?x=1", strings.NewReader("{}"))
				for name, values := range tc.headers {
					for _, v := range values {
						req.Header.Add(name, v)
					}
				}
				admin := srv.Admin()
				req.Header.Set("X-User-Id", admin.UserID)
				req.Header.Set("X-Auth-Token", admin.AuthToken)
				res, err := c.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				defer res.Body.Close()
				body, err := io.ReadAll(res.Body)
				if err != nil {
					t.Fatal(err)
				}
				return res.StatusCode, res.Header, body
			}
			status, header, _ := send(&noRedirects)
			if tc.admit {
				if status != 200 || !strings.HasPrefix(header.Get("Content-Type"), "application/json") {
					t.Fatalf("status %d, Content-Type %q; want Rocket.Chat's answer", status, header.Get("Content-Type"))
				}
				return
			}
			location := header.Get("Location")
			if status != http.StatusFound || !loginURL.MatchString(location) {
				t.Fatalf("status %d, Location %q; want 302 to the login page", status, location)
			}
			// What a client that follows redirects, as Go's does, gets.
			status, header, body := send(client)
			if status != 200 || header.Get("Content-Type") != "text/html; charset=utf-8" || !loginPage.Match(body) {
				t.Fatalf("after the redirect: status %d, Content-Type %q, body %s", status, header.Get("Content-Type"), body)
			}
			if strings.Contains(string(body), secret) || strings.Contains(location, secret) {
				t.Error("the login page shows the required value")
			}
		})
	}
	if got := srv.Requests(rocketchattest.EndpointMe); got != 1 {
		t.Errorf("%d requests reached Rocket.Chat, want only the admitted one", got)
	}
}
