package proxytest_test

import (
	"bufio"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/terraform-rocketchat/terraform-provider-rocketchat/internal/proxytest"
	"github.com/terraform-rocketchat/terraform-provider-rocketchat/internal/rocketchattest"
)

// throughProxy is a client that sends every request through the proxy and
// trusts the test server's authority.
func throughProxy(t *testing.T, proxy *proxytest.Server, srv *rocketchattest.Server) *http.Client {
	t.Helper()
	proxyURL, err := url.Parse(proxy.URL())
	if err != nil {
		t.Fatal(err)
	}
	roots := x509.NewCertPool()
	roots.AppendCertsFromPEM(srv.CACertPEM())
	tr := &http.Transport{Proxy: http.ProxyURL(proxyURL), TLSClientConfig: &tls.Config{RootCAs: roots, MinVersion: tls.VersionTLS12}}
	t.Cleanup(tr.CloseIdleConnections)
	return &http.Client{Transport: tr, Timeout: 10 * time.Second}
}

func TestProxy(t *testing.T) {
	srv := rocketchattest.NewServer(rocketchattest.WithTLSNames("rocketchat.internal.test", "chat.example.test"))
	defer srv.Close()
	port := srv.URL()[strings.LastIndex(srv.URL(), ":")+1:]
	loopback := "127.0.0.1:" + port

	for _, tc := range []struct {
		name       string
		opts       []proxytest.Option
		host       string // host:port the client asks for
		wantStatus int    // 0: the request fails
		wantErr    string // in the failed request's error
	}{
		{"a mapped name, port kept", []proxytest.Option{proxytest.WithHosts(map[string]string{"rocketchat.internal.test": "127.0.0.1"})},
			"rocketchat.internal.test:" + port, 200, ""},
		{"a mapped name in another case", []proxytest.Option{proxytest.WithHosts(map[string]string{"RocketChat.Internal.Test": "127.0.0.1"})},
			"rocketchat.internal.test:" + port, 200, ""},
		{"a mapped host:port", []proxytest.Option{proxytest.WithHosts(map[string]string{"chat.example.test:443": loopback})},
			"chat.example.test:443", 200, ""},
		{"a mapped host:port, another port", []proxytest.Option{proxytest.WithHosts(map[string]string{"chat.example.test:443": loopback})},
			"chat.example.test:" + port, 0, "Bad Gateway"},
		{"a loopback address as it is", nil, loopback, 200, ""},
		{"a name not mapped", nil, "rocketchat.internal.test:" + port, 0, "Bad Gateway"},
		{"a refusal", []proxytest.Option{proxytest.WithRefusal(http.StatusForbidden), proxytest.WithHosts(map[string]string{"rocketchat.internal.test": "127.0.0.1"})},
			"rocketchat.internal.test:" + port, 0, "Forbidden"},
		{"a demand for credentials", []proxytest.Option{proxytest.WithRefusal(http.StatusProxyAuthRequired)},
			loopback, 0, "Proxy Authentication Required"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			proxy := proxytest.NewServer(tc.opts...)
			defer proxy.Close()
			req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, "https://"+tc.host+"/api/info", nil)
			before := srv.Requests(rocketchattest.EndpointInfo)
			res, err := throughProxy(t, proxy, srv).Do(req)
			status := 0
			if err == nil {
				status = res.StatusCode
				res.Body.Close()
			}
			if status != tc.wantStatus || tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)) {
				t.Fatalf("status %d, error %v; want %d, %q", status, err, tc.wantStatus, tc.wantErr)
			}
			if reached := srv.Requests(rocketchattest.EndpointInfo) - before; reached != min(status/200, 1) {
				// Only a tunnelled request reaches the server.
				t.Errorf("%d requests reached the server", reached)
			}
			if got := proxy.Requests(); !slices.Equal(got, []string{tc.host}) {
				t.Errorf("Requests() %q, want %q", got, tc.host)
			}
		})
	}
}

// rawConnect sends a CONNECT for target and returns the proxy's answer and
// the connection, which carries the tunnel after a 200.
func rawConnect(t *testing.T, proxy *proxytest.Server, method, target string) (*http.Response, net.Conn) {
	t.Helper()
	conn, err := (&net.Dialer{}).DialContext(t.Context(), "tcp", strings.TrimPrefix(proxy.URL(), "http://"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	_ = conn.SetDeadline(time.Now().Add(5 * time.Second))
	host := strings.TrimSuffix(strings.TrimPrefix(target, "http://"), "/")
	if _, err := io.WriteString(conn, method+" "+target+" HTTP/1.1\r\nHost: "+host+"\r\n\r\n"); err != nil {
		t.Fatal(err)
	}
	res, err := http.ReadResponse(bufio.NewReader(conn), &http.Request{Method: method})
	if err != nil {
		t.Fatal(err)
	}
	return res, conn
}

func TestProxyAnswers(t *testing.T) {
	t.Run("407 names the scheme it wants", func(t *testing.T) {
		proxy := proxytest.NewServer(proxytest.WithRefusal(http.StatusProxyAuthRequired))
		defer proxy.Close()
		res, _ := rawConnect(t, proxy, http.MethodConnect, "127.0.0.1:443")
		res.Body.Close()
		if res.StatusCode != http.StatusProxyAuthRequired || res.Header.Get("Proxy-Authenticate") != `Basic realm="proxytest"` {
			t.Fatalf("%s, Proxy-Authenticate %q", res.Status, res.Header.Get("Proxy-Authenticate"))
		}
	})
	t.Run("nothing beyond this machine", func(t *testing.T) {
		proxy := proxytest.NewServer()
		defer proxy.Close()
		res, _ := rawConnect(t, proxy, http.MethodConnect, "192.0.2.1:443")
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusBadGateway || !strings.Contains(string(body), "neither a loopback address nor a name of WithHosts") {
			t.Fatalf("%s: %s", res.Status, body)
		}
	})
	t.Run("only CONNECT is proxied", func(t *testing.T) {
		proxy := proxytest.NewServer()
		defer proxy.Close()
		res, _ := rawConnect(t, proxy, http.MethodGet, "http://127.0.0.1:80/")
		res.Body.Close()
		if res.StatusCode != http.StatusMethodNotAllowed || len(proxy.Requests()) != 0 {
			t.Fatalf("%s, Requests() %q", res.Status, proxy.Requests())
		}
	})
}

func TestProxyCloseEndsTunnels(t *testing.T) {
	// An echo server at the far end of the tunnel.
	ln, err := (&net.ListenConfig{}).Listen(context.Background(), "tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() { _, _ = io.Copy(c, c); c.Close() }()
		}
	}()
	proxy := proxytest.NewServer()
	res, conn := rawConnect(t, proxy, http.MethodConnect, ln.Addr().String())
	res.Body.Close()
	if res.StatusCode != 200 {
		t.Fatalf("CONNECT: %s", res.Status)
	}
	if _, err := io.WriteString(conn, "ping"); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 4)
	if _, err := io.ReadFull(conn, buf); err != nil || string(buf) != "ping" {
		t.Fatalf("through the tunnel: %q, %v", buf, err)
	}
	closed := make(chan struct{})
	go func() { proxy.Close(); close(closed) }()
	select {
	case <-closed:
	case <-time.After(5 * time.Second):
		t.Fatal("Close did not return with a tunnel open")
	}
	if _, err := conn.Read(buf); !errors.Is(err, io.EOF) && !errors.Is(err, net.ErrClosed) && !isReset(err) {
		t.Fatalf("tunnel still open after Close: %v", err)
	}
}

func isReset(err error) bool {
	return err != nil && strings.Contains(err.Error(), "connection reset")
}
