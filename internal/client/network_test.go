package client

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"io"
	"log"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

// testCA is a throwaway certificate authority for TLS tests.
type testCA struct {
	cert    *x509.Certificate
	key     *ecdsa.PrivateKey
	certPEM []byte
}

func newTestCA(t *testing.T, name string) *testCA {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: name},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	return &testCA{cert: cert, key: key, certPEM: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})}
}

// issue signs a leaf certificate for names (DNS names or IP addresses),
// valid until notAfter; usage is server or client authentication.
func (ca *testCA) issue(t *testing.T, cn string, names []string, notAfter time.Time, usage x509.ExtKeyUsage) (certPEM, keyPEM []byte) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()), Subject: pkix.Name{CommonName: cn},
		NotBefore: notAfter.Add(-48 * time.Hour), NotAfter: notAfter,
		ExtKeyUsage: []x509.ExtKeyUsage{usage}, KeyUsage: x509.KeyUsageDigitalSignature,
	}
	for _, n := range names {
		if ip := net.ParseIP(n); ip != nil {
			tmpl.IPAddresses = append(tmpl.IPAddresses, ip)
		} else {
			tmpl.DNSNames = append(tmpl.DNSNames, n)
		}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.cert, &key.PublicKey, ca.key)
	if err != nil {
		t.Fatal(err)
	}
	kder, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: kder})
}

// infoHandler answers /api/info as Rocket.Chat does and records the headers
// of every request.
type infoHandler struct {
	mu      sync.Mutex
	headers map[string]http.Header // by path
}

func (h *infoHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.mu.Lock()
	if h.headers == nil {
		h.headers = map[string]http.Header{}
	}
	h.headers[r.URL.Path] = r.Header.Clone()
	h.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	switch r.URL.Path {
	case "/api/v1/login":
		_, _ = w.Write([]byte(`{"status":"success","data":{"userId":"u1","authToken":"login-token-1","me":{"_id":"u1","username":"bot"}}}`))
	case "/api/v1/me":
		_, _ = w.Write([]byte(`{"success":true,"_id":"u1","username":"bot"}`))
	default:
		_, _ = w.Write([]byte(`{"success":true,"version":"8.8.1"}`))
	}
}

func (h *infoHandler) header(path, name string) string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.headers[path].Get(name)
}

// tlsServer serves h over TLS with a certificate of ca for names.
func tlsServer(t *testing.T, h http.Handler, ca *testCA, names []string, notAfter time.Time, clientCAs *testCA) *httptest.Server {
	t.Helper()
	certPEM, keyPEM := ca.issue(t, "chat.internal", names, notAfter, x509.ExtKeyUsageServerAuth)
	pair, err := tls.X509KeyPair(certPEM, keyPEM)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(h)
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{pair}}
	if clientCAs != nil {
		pool := x509.NewCertPool()
		pool.AddCert(clientCAs.cert)
		srv.TLS.ClientAuth = tls.RequireAndVerifyClientCert
		srv.TLS.ClientCAs = pool
	}
	// The refused handshakes are what the tests provoke.
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return srv
}

func infoWith(t *testing.T, url string, tc TLSConfig, headers map[string]string) error {
	t.Helper()
	c, err := New(Config{URL: url, UserID: "user-1", AuthToken: "auth-token-1", TLS: tc, Headers: headers, Retry: RetryPolicy{MaxAttempts: 1}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Info(context.Background())
	return err
}

func TestTLSServerCertificateErrors(t *testing.T) {
	ca := newTestCA(t, "Example Internal CA")
	other := newTestCA(t, "Some Other CA")
	client := func(t *testing.T) (certPEM, keyPEM []byte) {
		return ca.issue(t, "terraform", nil, time.Now().Add(time.Hour), x509.ExtKeyUsageClientAuth)
	}
	otherCertPEM, otherKeyPEM := other.issue(t, "stranger", nil, time.Now().Add(time.Hour), x509.ExtKeyUsageClientAuth)
	loopback := []string{"127.0.0.1"}
	valid := time.Now().Add(time.Hour)
	tests := []struct {
		name      string
		names     []string
		notAfter  time.Time
		mutual    bool
		tls       func(t *testing.T) TLSConfig
		problem   CertificateProblem
		clientErr bool
		want      []string
	}{
		{name: "system roots only", names: loopback, notAfter: valid, tls: func(*testing.T) TLSConfig { return TLSConfig{} },
			problem: CertificateUntrusted, want: []string{`subject "CN=chat.internal"`, `issued by "CN=Example Internal CA"`, "authority this machine does not trust"}},
		{name: "another authority", names: loopback, notAfter: valid, tls: func(*testing.T) TLSConfig { return TLSConfig{CACertsPEM: other.certPEM} },
			problem: CertificateUntrusted, want: []string{"does not trust"}},
		{name: "the authority added", names: loopback, notAfter: valid, tls: func(*testing.T) TLSConfig { return TLSConfig{CACertsPEM: ca.certPEM} }},
		{name: "the authority in a bundle", names: loopback, notAfter: valid, tls: func(*testing.T) TLSConfig {
			return TLSConfig{CACertsPEM: append(append([]byte{}, other.certPEM...), ca.certPEM...)}
		}},
		{name: "skip verify", names: []string{"elsewhere.example"}, notAfter: time.Now().Add(-time.Hour), tls: func(*testing.T) TLSConfig { return TLSConfig{InsecureSkipVerify: true} }},
		{name: "expired", names: loopback, notAfter: time.Now().Add(-time.Hour), tls: func(*testing.T) TLSConfig { return TLSConfig{CACertsPEM: ca.certPEM} },
			problem: CertificateExpired, want: []string{"expired on"}},
		{name: "wrong host", names: []string{"chat.example.com", "10.1.2.3"}, notAfter: valid, tls: func(*testing.T) TLSConfig { return TLSConfig{CACertsPEM: ca.certPEM} },
			problem: CertificateWrongHost, want: []string{"not valid for 127.0.0.1", "chat.example.com, 10.1.2.3"}},
		{name: "client certificate missing", names: loopback, notAfter: valid, mutual: true, tls: func(*testing.T) TLSConfig { return TLSConfig{CACertsPEM: ca.certPEM} },
			clientErr: true, want: []string{"requires a client certificate", "certificate required"}},
		{name: "client certificate of another authority", names: loopback, notAfter: valid, mutual: true, tls: func(*testing.T) TLSConfig {
			return TLSConfig{CACertsPEM: ca.certPEM, ClientCertPEM: otherCertPEM, ClientKeyPEM: otherKeyPEM}
		}, clientErr: true, want: []string{"requires a client certificate"}},
		{name: "client certificate given", names: loopback, notAfter: valid, mutual: true, tls: func(t *testing.T) TLSConfig {
			c, k := client(t)
			return TLSConfig{CACertsPEM: ca.certPEM, ClientCertPEM: c, ClientKeyPEM: k}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var clientCAs *testCA
			if tt.mutual {
				clientCAs = ca
			}
			srv := tlsServer(t, &infoHandler{}, ca, tt.names, tt.notAfter, clientCAs)
			tc := tt.tls(t)
			err := infoWith(t, srv.URL, tc, nil)
			var certErr *CertificateError
			var clientErr *ClientCertificateError
			switch {
			case tt.problem != 0:
				if !errors.As(err, &certErr) || certErr.Problem != tt.problem {
					t.Fatalf("got %v (%T), want a certificate problem %d", err, err, tt.problem)
				}
			case tt.clientErr:
				if !errors.As(err, &clientErr) {
					t.Fatalf("got %v, want a client certificate error", err)
				}
			default:
				if err != nil {
					t.Fatalf("got %v, want success", err)
				}
				return
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("%q does not say %q", err, w)
				}
			}
			for _, secret := range [][]byte{tc.ClientKeyPEM, tc.ClientCertPEM, tc.CACertsPEM} {
				if len(secret) > 0 && strings.Contains(err.Error(), strings.Split(string(secret), "\n")[1]) {
					t.Errorf("the error quotes PEM content: %v", err)
				}
			}
		})
	}
}

// The extra authorities join the system's: a pool holding only them would
// reject every public certificate.
func TestTLSAddsToSystemRoots(t *testing.T) {
	system, err := x509.SystemCertPool()
	if err != nil || system.Equal(x509.NewCertPool()) {
		t.Skip("this machine has no system certificate pool")
	}
	ca := newTestCA(t, "Example Internal CA")
	tr, err := newTransport(TLSConfig{CACertsPEM: ca.certPEM})
	if err != nil {
		t.Fatal(err)
	}
	onlyOurs := x509.NewCertPool()
	onlyOurs.AddCert(ca.cert)
	if tr.TLSClientConfig.RootCAs.Equal(onlyOurs) {
		t.Fatal("the extra authority replaced the system's")
	}
	system.AddCert(ca.cert)
	if !tr.TLSClientConfig.RootCAs.Equal(system) {
		t.Fatal("the pool is not the system's plus the extra authority")
	}
	if tr.Proxy == nil {
		t.Fatal("the transport does not take the proxy from the environment")
	}
}

func TestTLSConfigErrors(t *testing.T) {
	ca := newTestCA(t, "Example Internal CA")
	certPEM, keyPEM := ca.issue(t, "terraform", nil, time.Now().Add(time.Hour), x509.ExtKeyUsageClientAuth)
	_, otherKey := ca.issue(t, "other", nil, time.Now().Add(time.Hour), x509.ExtKeyUsageClientAuth)
	tests := []struct {
		name string
		cfg  Config
		want string
	}{
		{"CA without a certificate", Config{TLS: TLSConfig{CACertsPEM: keyPEM}}, "no PEM certificate"},
		{"CA not PEM", Config{TLS: TLSConfig{CACertsPEM: []byte("hello")}}, "no PEM certificate"},
		{"certificate without key", Config{TLS: TLSConfig{ClientCertPEM: certPEM}}, "together"},
		{"key without certificate", Config{TLS: TLSConfig{ClientKeyPEM: keyPEM}}, "together"},
		{"key is a certificate", Config{TLS: TLSConfig{ClientCertPEM: certPEM, ClientKeyPEM: certPEM}}, "no PEM private key"},
		{"certificate is a key", Config{TLS: TLSConfig{ClientCertPEM: keyPEM, ClientKeyPEM: keyPEM}}, "no PEM certificate"},
		{"key of another certificate", Config{TLS: TLSConfig{ClientCertPEM: certPEM, ClientKeyPEM: otherKey}}, "does not belong"},
		{"TLS with an HTTP client", Config{TLS: TLSConfig{InsecureSkipVerify: true}, HTTPClient: &http.Client{}}, "cannot be combined"},
		{"reserved header", Config{Headers: map[string]string{"x-auth-token": "v"}}, "set by the client"},
		{"bad header name", Config{Headers: map[string]string{"Bad Name": "v"}}, "not a valid HTTP header name"},
		{"header value with a line break", Config{Headers: map[string]string{"X-Gate": "a\r\nX-Injected: 1"}}, "line break"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.cfg.URL, tt.cfg.UserID, tt.cfg.AuthToken = "https://chat.example.com", "u", "t"
			_, err := New(tt.cfg)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, want an error saying %q", err, tt.want)
			}
			for _, input := range [][]byte{certPEM, keyPEM, otherKey} {
				if strings.Contains(err.Error(), strings.Split(string(input), "\n")[1]) {
					t.Errorf("the error quotes PEM content: %v", err)
				}
			}
			if strings.Contains(err.Error(), "X-Injected") {
				t.Errorf("the error quotes its input: %v", err)
			}
		})
	}
}

// Every request carries the configured headers: the login, the probe of an
// endpoint's rate limit (the first call to it) and authenticated calls.
func TestHeadersOnEveryRequest(t *testing.T) {
	h := &infoHandler{}
	srv := httptest.NewServer(h)
	defer srv.Close()
	const secret = "gateway-secret-value-42"
	c, err := New(Config{URL: srv.URL, Username: "bot", Password: "pw", Headers: map[string]string{"CF-Access-Client-Secret": secret, "X-Team": "ops"}})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := c.Info(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Me(ctx); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"/api/info", "/api/v1/login", "/api/v1/me"} {
		if got := h.header(p, "Cf-Access-Client-Secret"); got != secret {
			t.Errorf("%s was sent without the header (got %q)", p, got)
		}
		if got := h.header(p, "X-Team"); got != "ops" {
			t.Errorf("%s was sent without X-Team (got %q)", p, got)
		}
	}
	if got := h.header("/api/v1/me", "X-Auth-Token"); got != "login-token-1" {
		t.Errorf("the client's own header was lost: %q", got)
	}
}

// A header value echoed in an answer is redacted like a token.
func TestHeaderValueRedacted(t *testing.T) {
	const secret = "gateway-secret-value-42"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusBadRequest)
		_, _ = w.Write([]byte(`{"success":false,"error":"bad header ` + r.Header.Get("X-Gate") + `"}`))
	}))
	defer srv.Close()
	err := infoWith(t, srv.URL, TLSConfig{}, map[string]string{"X-Gate": secret})
	if err == nil || strings.Contains(err.Error(), secret) || !strings.Contains(err.Error(), "bad header ***") {
		t.Fatalf("got %v, want the header value redacted", err)
	}
}

func TestAccessGatewayRecognised(t *testing.T) {
	const page = `<!DOCTYPE html><html><head><title>Sign in ・ Example Access</title></head><body>form</body></html>`
	tests := []struct {
		name, contentType, body string
		status                  int
		html                    bool
	}{
		{"login page", "text/html; charset=utf-8", page, 200, true},
		{"forbidden page", "text/html", page, 403, true},
		{"title beyond the excerpt", "text/html", "<html><head>" + strings.Repeat(`<meta name="x" content="y">`, 12) + "<title>Sign in ・ Example Access</title></head></html>", 200, true},
		{"HTML without its type", "application/octet-stream", "\n  " + page, 200, true},
		{"HTML as JSON", "application/json", "<html>nope</html>", 200, true},
		{"plain text", "text/plain", "upstream connect error", 502, false},
		{"redirect to a login page", "", "/cdn-cgi/access/login/chat.example.com?kid=abc&redirect_url=%2Fapi%2Finfo", 302, true},
		{"redirect to an OAuth2 proxy", "", "https://auth.example.com/oauth2/start?rd=x", 302, true},
		{"redirect to HTTPS", "", "https://chat.example.com/api/info", 301, false},
		{"a proxy's error page", "text/html", "<html><title>502 Bad Gateway</title></html>", 502, false},
		{"JSON failure", "application/json", `{"success":false,"error":"x"}`, 400, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if tt.status >= 300 && tt.status < 400 {
					// As Go's http.Redirect and most gateways: an HTML body.
					http.Redirect(w, r, tt.body, tt.status)
					return
				}
				w.Header().Set("Content-Type", tt.contentType)
				w.WriteHeader(tt.status)
				_, _ = w.Write([]byte(tt.body))
			}))
			defer srv.Close()
			err := infoWith(t, srv.URL, TLSConfig{}, nil)
			if IsAccessGateway(err) != tt.html {
				t.Fatalf("IsAccessGateway(%v) = %v, want %v", err, !tt.html, tt.html)
			}
			if tt.html && !strings.Contains(err.Error(), "an access gateway") {
				t.Errorf("%v does not say what answered", err)
			}
			if tt.html && strings.Contains(tt.body, "<title>") && !strings.Contains(err.Error(), `Sign in ・ Example Access`) {
				t.Errorf("%v does not name the page", err)
			}
		})
	}
}

// proxyTo makes c use proxy for every request; the environment is read once
// per process, so tests cannot set HTTPS_PROXY.
func proxyTo(t *testing.T, c *Client, proxy string) {
	t.Helper()
	u, err := url.Parse(proxy)
	if err != nil {
		t.Fatal(err)
	}
	c.httpClient.Transport.(*http.Transport).Proxy = http.ProxyURL(u)
}

func TestProxyErrors(t *testing.T) {
	refusing := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "blocked by policy", http.StatusForbidden)
	}))
	defer refusing.Close()
	closed := httptest.NewServer(http.NotFoundHandler())
	closedURL := closed.URL
	closed.Close()
	ca := newTestCA(t, "Example Internal CA")
	target := tlsServer(t, &infoHandler{}, ca, []string{"127.0.0.1"}, time.Now().Add(time.Hour), nil)

	tests := []struct {
		name, proxy string
		want        []string
		status      int
	}{
		{"refused", refusing.URL, []string{"the proxy " + strings.TrimPrefix(refusing.URL, "http://"), "refused to connect to " + strings.TrimPrefix(target.URL, "https://"), "HTTP 403 Forbidden"}, 403},
		{"unreachable", "http://user:proxy-password@" + strings.TrimPrefix(closedURL, "http://"), []string{"could not be reached"}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := New(Config{URL: target.URL, UserID: "user-1", AuthToken: "auth-token-1", TLS: TLSConfig{CACertsPEM: ca.certPEM}, Retry: RetryPolicy{MaxAttempts: 1}})
			if err != nil {
				t.Fatal(err)
			}
			proxyTo(t, c, tt.proxy)
			_, err = c.Info(context.Background())
			var pe *ProxyError
			if !errors.As(err, &pe) || pe.StatusCode != tt.status {
				t.Fatalf("got %v, want a proxy error with status %d", err, tt.status)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("%q does not say %q", err, w)
				}
			}
			if strings.Contains(err.Error(), "proxy-password") {
				t.Errorf("the proxy's password appears in %v", err)
			}
		})
	}
}
