package rocketchattest

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"log"
	"math/big"
	"net"
	"os"
	"slices"
	"time"
)

// WithTLS serves HTTPS, as a Rocket.Chat behind a company's reverse proxy
// does: the server makes a throwaway certificate authority (ECDSA P-256,
// valid 24 hours) and a server certificate from it for 127.0.0.1, ::1,
// localhost and the names of WithTLSNames. URL then starts with https://;
// a client trusts the server by adding CACertPEM to its roots.
func WithTLS() Option { return func(c *config) { c.tls = true } }

// WithTLSNames adds host names (or addresses) to the server certificate, for
// tests that reach the server under a made-up name through a proxy. It
// implies WithTLS.
func WithTLSNames(names ...string) Option {
	return func(c *config) { c.tls, c.tlsNames = true, append(c.tlsNames, names...) }
}

// WithCertificateNames puts only these names in the server certificate, not
// the loopback ones, so that a client reaching the server at 127.0.0.1 meets
// a certificate for another host. It implies WithTLS.
func WithCertificateNames(names ...string) Option {
	return func(c *config) { c.tls, c.certNames = true, append(c.certNames, names...) }
}

// WithExpiredCertificate serves a server certificate that expired a day ago
// (its authority is still valid). It implies WithTLS.
func WithExpiredCertificate() Option { return func(c *config) { c.tls, c.expiredCert = true, true } }

// WithClientAuth requires every client to present a certificate issued by
// the server's authority (mutual TLS), as a company's proxy may; a client
// gets one from ClientCertificate. It implies WithTLS.
func WithClientAuth() Option { return func(c *config) { c.tls, c.clientAuth = true, true } }

// certValidity is how long the throwaway certificates live: longer than any
// test run, short enough that a leaked one soon means nothing.
const certValidity = 24 * time.Hour

// certAuthority is the server's throwaway certificate authority.
type certAuthority struct {
	cert *x509.Certificate
	key  *ecdsa.PrivateKey
	pem  []byte
}

func newCertAuthority() (*certAuthority, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	serial, err := randomSerial()
	if err != nil {
		return nil, err
	}
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{Organization: []string{"rocketchattest"}, CommonName: "rocketchattest throwaway CA"},
		NotBefore:             now.Add(-time.Minute), // tolerates a client clock slightly behind
		NotAfter:              now.Add(certValidity),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
		BasicConstraintsValid: true,
		IsCA:                  true,
		MaxPathLenZero:        true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, err
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, err
	}
	return &certAuthority{cert: cert, key: key, pem: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})}, nil
}

// issue signs a certificate with a fresh P-256 key; tmpl gives the subject,
// names, usage and validity, the serial number is random.
func (ca *certAuthority) issue(tmpl *x509.Certificate) (certPEM, keyPEM []byte, err error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, nil, err
	}
	if tmpl.SerialNumber, err = randomSerial(); err != nil {
		return nil, nil, err
	}
	tmpl.KeyUsage = x509.KeyUsageDigitalSignature
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.cert, &key.PublicKey, ca.key)
	if err != nil {
		return nil, nil, err
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil, nil, err
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
		pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER}), nil
}

// randomSerial draws a 128-bit serial number, as RFC 5280 advises (positive,
// unpredictable).
func randomSerial() (*big.Int, error) {
	return rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 128))
}

// serverTLSConfig makes the authority, the server certificate and the TLS
// settings the configuration asks for.
func serverTLSConfig(cfg config) (*certAuthority, *tls.Config, error) {
	ca, err := newCertAuthority()
	if err != nil {
		return nil, nil, fmt.Errorf("rocketchattest: certificate authority: %w", err)
	}
	names := cfg.certNames
	if names == nil {
		names = append([]string{"127.0.0.1", "::1", "localhost"}, cfg.tlsNames...)
	}
	now := time.Now()
	tmpl := &x509.Certificate{
		Subject:     pkix.Name{Organization: []string{"rocketchattest"}, CommonName: "rocketchattest server"},
		NotBefore:   now.Add(-time.Minute),
		NotAfter:    now.Add(certValidity),
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	if cfg.expiredCert {
		tmpl.NotBefore, tmpl.NotAfter = now.Add(-2*certValidity), now.Add(-certValidity)
	}
	for _, name := range slices.Compact(slices.Sorted(slices.Values(names))) {
		if ip := net.ParseIP(name); ip != nil {
			tmpl.IPAddresses = append(tmpl.IPAddresses, ip)
		} else {
			tmpl.DNSNames = append(tmpl.DNSNames, name)
		}
	}
	certPEM, keyPEM, err := ca.issue(tmpl)
	if err != nil {
		return nil, nil, fmt.Errorf("rocketchattest: server certificate: %w", err)
	}
	pair, err := tls.X509KeyPair(certPEM, keyPEM)
	if err != nil {
		return nil, nil, fmt.Errorf("rocketchattest: server certificate: %w", err)
	}
	tlsCfg := &tls.Config{
		MinVersion:   tls.VersionTLS12,
		Certificates: []tls.Certificate{pair},
		// HTTP/1.1 only: injected faults drop connections by hijacking them,
		// which HTTP/2 does not allow.
		NextProtos: []string{"http/1.1"},
	}
	if cfg.clientAuth {
		pool := x509.NewCertPool()
		pool.AddCert(ca.cert)
		tlsCfg.ClientAuth, tlsCfg.ClientCAs = tls.RequireAndVerifyClientCert, pool
	}
	return ca, tlsCfg, nil
}

// CACertPEM returns the PEM certificate of the server's throwaway authority,
// which a client adds to its roots to trust the server; nil without TLS.
func (s *Server) CACertPEM() []byte {
	if s.ca == nil {
		return nil
	}
	return bytes.Clone(s.ca.pem)
}

// ClientCertificate issues a client certificate from the server's authority,
// valid 24 hours, with its PKCS #8 private key, both PEM; nil, nil without
// TLS. Each call issues a new one.
func (s *Server) ClientCertificate() (certPEM, keyPEM []byte) {
	if s.ca == nil {
		return nil, nil
	}
	now := time.Now()
	certPEM, keyPEM, err := s.ca.issue(&x509.Certificate{
		Subject:     pkix.Name{Organization: []string{"rocketchattest"}, CommonName: "rocketchattest client"},
		NotBefore:   now.Add(-time.Minute),
		NotAfter:    now.Add(certValidity),
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
	})
	if err != nil {
		panic("rocketchattest: client certificate: " + err.Error())
	}
	return certPEM, keyPEM
}

// quietHandshakeLog is the server's error log without failed TLS
// handshakes, which tests provoke on purpose (an untrusted authority, a
// wrong host, a missing client certificate) and which would drown the rest.
func quietHandshakeLog() *log.Logger {
	return log.New(handshakeFilter{}, "", log.LstdFlags)
}

type handshakeFilter struct{}

func (handshakeFilter) Write(p []byte) (int, error) {
	if bytes.Contains(p, []byte("TLS handshake error")) {
		return len(p), nil
	}
	return os.Stderr.Write(p)
}
