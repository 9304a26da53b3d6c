// Package proxytest is a forward proxy for tests, in the spirit of
// net/http/httptest: an HTTP CONNECT proxy on loopback, the kind a company
// network puts between its machines and the servers they reach over HTTPS.
//
//	proxy := proxytest.NewServer(proxytest.WithHosts(map[string]string{"rocketchat.internal.test": "127.0.0.1"}))
//	defer proxy.Close()
//	// HTTPS_PROXY=proxy.URL(); reach https://rocketchat.internal.test:PORT
//
// Go's http.ProxyFromEnvironment never proxies requests to localhost or a
// loopback address, so a test reaches its server under a made-up name that
// WithHosts maps to the loopback address. ProxyFromEnvironment also reads the
// environment once per process: a test that sets HTTPS_PROXY has to run the
// client in a new process, or give its transport the proxy with http.ProxyURL.
//
// The proxy tunnels only to loopback addresses and mapped names, never out
// of the machine; anything else gets 502 Bad Gateway, as a proxy answers for
// a host it cannot resolve. It tunnels HTTPS only (CONNECT); any other
// request gets 405.
package proxytest

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"
)

// Option configures a Server.
type Option func(*Server)

// WithRefusal answers every CONNECT with this status instead of tunnelling,
// as a proxy refusing the destination (403) or wanting credentials (407,
// with a Proxy-Authenticate header) does.
func WithRefusal(status int) Option { return func(s *Server) { s.refusal = status } }

// WithHosts maps made-up host names to real addresses on this machine. A key
// is a host name, or host:port for one port only; a value is an address
// ("127.0.0.1", keeping the requested port) or host:port.
func WithHosts(hosts map[string]string) Option {
	return func(s *Server) {
		for k, v := range hosts {
			s.hosts[strings.ToLower(k)] = v
		}
	}
}

// Server is a forward proxy listening on loopback.
type Server struct {
	refusal int
	hosts   map[string]string

	ln      net.Listener
	httpSrv *http.Server
	done    chan struct{}

	mu       sync.Mutex // guards the fields below
	requests []string
	tunnels  map[net.Conn]struct{} // both ends of every open tunnel
	closed   bool
	piping   sync.WaitGroup
}

// NewServer starts a proxy on a free loopback port. It panics when it
// cannot listen, like httptest.NewServer.
func NewServer(opts ...Option) *Server {
	s := &Server{hosts: map[string]string{}, tunnels: map[net.Conn]struct{}{}, done: make(chan struct{})}
	for _, o := range opts {
		o(s)
	}
	ln, err := (&net.ListenConfig{}).Listen(context.Background(), "tcp", "127.0.0.1:0")
	if err != nil {
		panic(fmt.Sprintf("proxytest: %v", err))
	}
	s.ln = ln
	s.httpSrv = &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		defer close(s.done)
		_ = s.httpSrv.Serve(ln)
	}()
	return s
}

// URL is the proxy's address, e.g. http://127.0.0.1:41234, for HTTPS_PROXY
// or http.ProxyURL.
func (s *Server) URL() string { return "http://" + s.ln.Addr().String() }

// Requests returns the targets (host:port) of the CONNECT requests seen so
// far, in order, refused ones included.
func (s *Server) Requests() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.requests)
}

// Close stops the proxy and closes every tunnel.
func (s *Server) Close() {
	_ = s.httpSrv.Close()
	<-s.done
	s.mu.Lock()
	s.closed = true
	for c := range s.tunnels {
		_ = c.Close()
	}
	s.mu.Unlock()
	s.piping.Wait()
}

// ServeHTTP answers CONNECT requests.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodConnect {
		w.Header().Set("Allow", http.MethodConnect)
		http.Error(w, "proxytest: only CONNECT is proxied", http.StatusMethodNotAllowed)
		return
	}
	target := r.Host
	s.mu.Lock()
	s.requests = append(s.requests, target)
	s.mu.Unlock()

	if s.refusal != 0 {
		if s.refusal == http.StatusProxyAuthRequired {
			w.Header().Set("Proxy-Authenticate", `Basic realm="proxytest"`)
		}
		http.Error(w, "proxytest: refused", s.refusal)
		return
	}
	addr, ok := s.resolve(target)
	if !ok {
		http.Error(w, "proxytest: "+target+" is neither a loopback address nor a name of WithHosts", http.StatusBadGateway)
		return
	}
	upstream, err := (&net.Dialer{Timeout: 5 * time.Second}).DialContext(r.Context(), "tcp", addr)
	if err != nil {
		http.Error(w, "proxytest: "+err.Error(), http.StatusBadGateway)
		return
	}
	hj, ok := w.(http.Hijacker)
	if !ok {
		_ = upstream.Close()
		http.Error(w, "proxytest: cannot tunnel", http.StatusInternalServerError)
		return
	}
	client, buffered, err := hj.Hijack()
	if err != nil {
		_ = upstream.Close()
		return
	}
	if !s.track(client, upstream) {
		return
	}
	_, err = io.WriteString(client, "HTTP/1.1 200 Connection established\r\n\r\n")
	if err == nil && buffered.Reader.Buffered() > 0 {
		// Bytes the client sent right after its request belong to the tunnel.
		_, err = io.CopyN(upstream, buffered, int64(buffered.Reader.Buffered()))
	}
	if err != nil {
		s.untrack(client, upstream)
		return
	}
	s.piping.Add(2)
	go s.pipe(upstream, client)
	go s.pipe(client, upstream)
}

// resolve maps a CONNECT target to the address to dial: a mapped name, or a
// loopback address as it is.
func (s *Server) resolve(target string) (string, bool) {
	host, port, err := net.SplitHostPort(target)
	if err != nil {
		return "", false
	}
	mapped, ok := s.hosts[strings.ToLower(target)]
	if !ok {
		mapped, ok = s.hosts[strings.ToLower(host)]
	}
	if ok {
		if _, _, err := net.SplitHostPort(mapped); err == nil {
			return mapped, true
		}
		return net.JoinHostPort(strings.Trim(mapped, "[]"), port), true
	}
	if ip := net.ParseIP(host); host == "localhost" || ip != nil && ip.IsLoopback() {
		return target, true
	}
	return "", false
}

// track registers both ends of a tunnel so that Close can end it; it refuses
// (and closes them) once the proxy is closed.
func (s *Server) track(conns ...net.Conn) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		for _, c := range conns {
			_ = c.Close()
		}
		return false
	}
	for _, c := range conns {
		s.tunnels[c] = struct{}{}
	}
	return true
}

func (s *Server) untrack(conns ...net.Conn) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, c := range conns {
		_ = c.Close()
		delete(s.tunnels, c)
	}
}

// pipe copies one direction of a tunnel; when either side ends, both close.
func (s *Server) pipe(dst, src net.Conn) {
	defer s.piping.Done()
	_, _ = io.Copy(dst, src)
	s.untrack(dst, src)
}
