//go:build unix

package main

import (
	"bufio"
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"
)

// buildServer compiles the program into a temporary directory.
func buildServer(t *testing.T) string {
	t.Helper()
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go is not on PATH")
	}
	bin := filepath.Join(t.TempDir(), "rocketchat-test-server")
	out, err := exec.CommandContext(t.Context(), goBin, "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

var exportLine = regexp.MustCompile(`^export ([A-Z_]+)='((?:[^']|'\\'')*)'$`)

func TestServerProgram(t *testing.T) {
	bin := buildServer(t)

	t.Run("serves until SIGTERM", func(t *testing.T) {
		cmd := exec.CommandContext(t.Context(), bin, "-listen", "127.0.0.1:0")
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		exited := make(chan error, 1)
		go func() { exited <- cmd.Wait() }()
		t.Cleanup(func() {
			if cmd.ProcessState == nil {
				_ = cmd.Process.Kill()
				t.Logf("killed: %v", <-exited)
			}
		})

		// Five export lines, then ready.
		lines := make(chan string)
		go func() {
			defer close(lines)
			sc := bufio.NewScanner(stdout)
			for sc.Scan() {
				lines <- sc.Text()
			}
		}()
		env := map[string]string{}
		var order []string
	read:
		for {
			select {
			case line, ok := <-lines:
				if !ok {
					t.Fatalf("stdout closed before ready; stderr: %s", stderr.String())
				}
				if line == "ready" {
					break read
				}
				m := exportLine.FindStringSubmatch(line)
				if m == nil {
					t.Fatalf("unexpected line %q", line)
				}
				env[m[1]] = strings.ReplaceAll(m[2], `'\''`, "'")
				order = append(order, m[1])
			case <-time.After(10 * time.Second):
				t.Fatal("no ready line within 10s")
			}
		}
		want := []string{"ROCKETCHAT_URL", "ROCKETCHAT_USER_ID", "ROCKETCHAT_AUTH_TOKEN", "ROCKETCHAT_USERNAME", "ROCKETCHAT_PASSWORD"}
		if strings.Join(order, " ") != strings.Join(want, " ") {
			t.Fatalf("exports %v, want %v", order, want)
		}
		if !regexp.MustCompile(`^http://127\.0\.0\.1:[1-9][0-9]*$`).MatchString(env["ROCKETCHAT_URL"]) {
			t.Fatalf("ROCKETCHAT_URL %q", env["ROCKETCHAT_URL"])
		}

		// What `curl -H X-User-Id -H X-Auth-Token $ROCKETCHAT_URL/api/v1/me` does.
		res := getAsPrintedUser(t, env, "/api/v1/me")
		var me map[string]any
		err = json.NewDecoder(res.Body).Decode(&me)
		res.Body.Close()
		if err != nil || res.StatusCode != 200 || me["_id"] != env["ROCKETCHAT_USER_ID"] || me["username"] != env["ROCKETCHAT_USERNAME"] {
			t.Fatalf("me: %d %v %v", res.StatusCode, me, err)
		}

		// The printed username and password log in too.
		body, _ := json.Marshal(map[string]string{"user": env["ROCKETCHAT_USERNAME"], "password": env["ROCKETCHAT_PASSWORD"]})
		req, _ := http.NewRequestWithContext(t.Context(), http.MethodPost, env["ROCKETCHAT_URL"]+"/api/v1/login", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		res, err = http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, res.Body)
		res.Body.Close()
		if res.StatusCode != 200 {
			t.Fatalf("login: %d", res.StatusCode)
		}

		if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
			t.Fatal(err)
		}
		select {
		case err := <-exited:
			if err != nil {
				t.Fatalf("exit after SIGTERM: %v; stderr: %s", err, stderr.String())
			}
		case <-time.After(5 * time.Second):
			t.Fatal("still running 5s after SIGTERM")
		}
		req, _ = http.NewRequestWithContext(t.Context(), http.MethodGet, env["ROCKETCHAT_URL"]+"/api/info", nil)
		if res, err := http.DefaultClient.Do(req); err == nil {
			res.Body.Close()
			t.Error("still answering after exit")
		}
	})

	t.Run("-user owner and SIGUSR1 counters", func(t *testing.T) {
		env, sc, cmd := startProgram(t, bin, "-listen", "127.0.0.1:0", "-user", "owner")
		if env["ROCKETCHAT_USERNAME"] != "integration.owner" {
			t.Fatalf("exports for %q, want integration.owner", env["ROCKETCHAT_USERNAME"])
		}
		for range 2 {
			req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, env["ROCKETCHAT_URL"]+"/api/info", nil)
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
		}
		if err := cmd.Process.Signal(syscall.SIGUSR1); err != nil {
			t.Fatal(err)
		}
		if !sc.Scan() || sc.Text() != `requests {"info":2}` {
			t.Fatalf("after SIGUSR1: %q", sc.Text())
		}
		if !sc.Scan() || sc.Text() != `ratelimited {}` {
			t.Fatalf("after SIGUSR1: %q", sc.Text())
		}
	})

	t.Run("-site-url is the Site_Url setting, the server's URL by default", func(t *testing.T) {
		for _, tc := range []struct {
			args []string
			want func(env map[string]string) string
		}{
			{nil, func(env map[string]string) string { return env["ROCKETCHAT_URL"] }},
			{[]string{"-site-url", "https://chat.example.com/rc/"}, func(map[string]string) string { return "https://chat.example.com/rc/" }},
		} {
			env, _, _ := startProgram(t, bin, append([]string{"-listen", "127.0.0.1:0"}, tc.args...)...)
			req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, env["ROCKETCHAT_URL"]+"/api/v1/settings.public?_id=Site_Url", nil)
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			var got struct {
				Settings []struct {
					ID    string `json:"_id"`
					Value string `json:"value"`
				} `json:"settings"`
			}
			err = json.NewDecoder(res.Body).Decode(&got)
			res.Body.Close()
			if err != nil || len(got.Settings) != 1 || got.Settings[0].ID != "Site_Url" || got.Settings[0].Value != tc.want(env) {
				t.Errorf("%v: settings.public answered %+v (%v), want Site_Url %q", tc.args, got, err, tc.want(env))
			}
		}
	})

	t.Run("Rocket.Chat's rate limit by default, -rate-limit off without", func(t *testing.T) {
		for _, tc := range []struct {
			args      []string
			wantLimit string
		}{{nil, "10"}, {[]string{"-rate-limit", "3/1m"}, "3"}, {[]string{"-rate-limit", "off"}, ""}} {
			env, _, _ := startProgram(t, bin, append([]string{"-listen", "127.0.0.1:0", "-user", "owner"}, tc.args...)...)
			res := getAsPrintedUser(t, env, "/api/v1/me")
			res.Body.Close()
			if got := res.Header.Get("X-RateLimit-Limit"); got != tc.wantLimit {
				t.Errorf("%v: X-RateLimit-Limit %q, want %q", tc.args, got, tc.wantLimit)
			}
		}
	})

	t.Run("-rooms adds public channels", func(t *testing.T) {
		env, _, _ := startProgram(t, bin, "-listen", "127.0.0.1:0", "-rooms", "3", "-user", "owner")
		for room, want := range map[string]int{"room-3": 200, "room-4": 400} {
			res := getAsPrintedUser(t, env, "/api/v1/rooms.info?roomName="+room)
			res.Body.Close()
			if res.StatusCode != want {
				t.Errorf("rooms.info %s: %d, want %d", room, res.StatusCode, want)
			}
		}
	})

	t.Run("-allow-outgoing lets outgoing integrations call other hosts", func(t *testing.T) {
		for _, tc := range []struct {
			args    []string
			refused bool
		}{{nil, true}, {[]string{"-allow-outgoing", "other.example, receiver.invalid"}, false}, {[]string{"-allow-outgoing=*"}, false}} {
			env, _, _ := startProgram(t, bin, append([]string{"-listen", "127.0.0.1:0", "-rate-limit", "off"}, tc.args...)...)
			var created struct {
				Integration struct {
					ID string `json:"_id"`
				} `json:"integration"`
			}
			res := sendAsPrintedUser(t, env, http.MethodPost, "/api/v1/integrations.create", map[string]any{
				"type": "webhook-outgoing", "name": "out", "enabled": true, "username": "rocket.cat", "scriptEnabled": false,
				"channel": "#general", "event": "sendMessage", "urls": []string{"http://receiver.invalid/hook"},
			})
			err := json.NewDecoder(res.Body).Decode(&created)
			res.Body.Close()
			if err != nil {
				t.Fatal(err)
			}
			sendAsPrintedUser(t, env, http.MethodPost, "/api/v1/chat.postMessage", map[string]any{"channel": "#general", "text": "hi"}).Body.Close()
			var httpError string
			for deadline := time.Now().Add(5 * time.Second); httpError == "" && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
				var got struct {
					History []struct {
						HTTPError struct {
							Message string `json:"message"`
						} `json:"httpError"`
					} `json:"history"`
				}
				res := getAsPrintedUser(t, env, "/api/v1/integrations.history?id="+created.Integration.ID)
				err := json.NewDecoder(res.Body).Decode(&got)
				res.Body.Close()
				if err != nil {
					t.Fatal(err)
				}
				if len(got.History) == 1 {
					httpError = got.History[0].HTTPError.Message
				}
			}
			if httpError == "" {
				t.Fatalf("%v: no failed call in history", tc.args)
			}
			if refused := strings.Contains(httpError, "-allow-outgoing"); refused != tc.refused {
				t.Errorf("%v: httpError %q, want refused %v", tc.args, httpError, tc.refused)
			}
		}
	})

	t.Run("-tls, -tls-client-auth and -require-header", func(t *testing.T) { testNetworkFlags(t, bin) })

	refused := []struct {
		name   string
		args   []string
		code   int
		stderr []string
		hidden []string // what must not appear on either output
	}{
		{"non-loopback -listen 0.0.0.0", []string{"-listen", "0.0.0.0:0"}, 1, []string{"not a loopback address"}, nil},
		{"non-loopback -listen :0 (all interfaces)", []string{"-listen", ":0"}, 1, []string{"not a loopback address"}, nil},
		{"non-loopback -listen 192.0.2.1", []string{"-listen", "192.0.2.1:0"}, 1, []string{"not a loopback address"}, nil},
		{"-rate-limit without a slash", []string{"-listen", "127.0.0.1:0", "-rate-limit", "10"}, 2, []string{`-rate-limit "10"`, "CALLS/WINDOW"}, nil},
		{"-rate-limit with zero calls", []string{"-listen", "127.0.0.1:0", "-rate-limit", "0/1s"}, 2, []string{`-rate-limit "0/1s"`, "CALLS must be a positive integer"}, nil},
		{"-allow-outgoing with an empty host list", []string{"-listen", "127.0.0.1:0", "-allow-outgoing", " , "}, 2, []string{`-allow-outgoing " , "`}, nil},
		{"-rate-limit with a bad window", []string{"-listen", "127.0.0.1:0", "-rate-limit", "5/soon"}, 2, []string{`-rate-limit "5/soon"`, "WINDOW must be a positive duration"}, nil},
		{"-require-header without =", []string{"-listen", "127.0.0.1:0", "-require-header", "s3cr3t-token"}, 2, []string{"-require-header (number 1)", "want NAME=VALUE"}, []string{"s3cr3t"}},
		{"-require-header with a bad name", []string{"-listen", "127.0.0.1:0", "-require-header", "X-Ok=v", "-require-header", "X Gate=s3cr3t-token"}, 2, []string{"-require-header (number 2)", "NAME a header name"}, []string{"s3cr3t"}},
		{"-require-header with an empty value", []string{"-listen", "127.0.0.1:0", "-require-header", "X-Gate="}, 2, []string{"-require-header (number 1)", "neither empty"}, nil},
		{"-require-header with a value over two lines", []string{"-listen", "127.0.0.1:0", "-require-header", "X-Gate=s3cr3t\nX-Other: 1"}, 2, []string{"-require-header (number 1)", "spans lines"}, []string{"s3cr3t"}},
	}
	for _, tc := range refused {
		t.Run("refuses "+tc.name, func(t *testing.T) {
			cmd := exec.CommandContext(t.Context(), bin, tc.args...)
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			done := make(chan error, 1)
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			go func() { done <- cmd.Wait() }()
			var err error
			select {
			case err = <-done:
			case <-time.After(5 * time.Second):
				_ = cmd.Process.Kill()
				t.Logf("killed: %v", <-done)
				t.Fatal("did not exit")
			}
			var exit *exec.ExitError
			if !errors.As(err, &exit) || exit.ExitCode() != tc.code {
				t.Fatalf("exit %v, want code %d; stderr: %s", err, tc.code, stderr.String())
			}
			for _, s := range tc.stderr {
				if !strings.Contains(stderr.String(), s) {
					t.Errorf("stderr %q lacks %q", stderr.String(), s)
				}
			}
			if stdout.Len() != 0 {
				t.Errorf("stdout %q", stdout.String())
			}
			for _, h := range tc.hidden {
				if strings.Contains(stderr.String(), h) {
					t.Errorf("stderr %q shows %q", stderr.String(), h)
				}
			}
		})
	}
}

// testNetworkFlags runs the program as a server behind a company network
// and checks what it prints, how it answers, and that it leaves no file
// behind when it stops.
func testNetworkFlags(t *testing.T, bin string) {
	const secret = "s3cr3t-gate-value"
	base := []string{"ROCKETCHAT_URL", "ROCKETCHAT_USER_ID", "ROCKETCHAT_AUTH_TOKEN", "ROCKETCHAT_USERNAME", "ROCKETCHAT_PASSWORD"}
	for _, tc := range []struct {
		name        string
		args        []string
		stop        syscall.Signal
		wantExports []string // after the five of every run
		scheme      string
		clientAuth  bool
		gate        bool // requests need X-Gate: secret
	}{
		{"-tls", []string{"-tls"}, syscall.SIGTERM, []string{"ROCKETCHAT_CA_CERT_FILE"}, "https", false, false},
		{"-tls stopped by SIGINT", []string{"-tls"}, syscall.SIGINT, []string{"ROCKETCHAT_CA_CERT_FILE"}, "https", false, false},
		{"-tls-client-auth", []string{"-tls-client-auth"}, syscall.SIGTERM, []string{"ROCKETCHAT_CA_CERT_FILE", "ROCKETCHAT_CLIENT_CERT_FILE", "ROCKETCHAT_CLIENT_KEY_FILE"}, "https", true, false},
		{"-tls-client-auth stopped by SIGINT", []string{"-tls", "-tls-client-auth"}, syscall.SIGINT, []string{"ROCKETCHAT_CA_CERT_FILE", "ROCKETCHAT_CLIENT_CERT_FILE", "ROCKETCHAT_CLIENT_KEY_FILE"}, "https", true, false},
		{"-require-header", []string{"-require-header", "X-Gate=" + secret}, syscall.SIGTERM, nil, "http", false, true},
		{"-require-header over -tls", []string{"-tls", "-require-header", "X-Gate=" + secret}, syscall.SIGTERM, []string{"ROCKETCHAT_CA_CERT_FILE"}, "https", false, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cmd := exec.CommandContext(t.Context(), bin, append([]string{"-listen", "127.0.0.1:0"}, tc.args...)...)
			stdout, err := cmd.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			var stderr bytes.Buffer // read only once the program has exited
			cmd.Stderr = &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			exited := make(chan error, 1)
			go func() { exited <- cmd.Wait() }()
			t.Cleanup(func() {
				if cmd.ProcessState == nil {
					_ = cmd.Process.Kill()
					t.Logf("killed: %v", <-exited)
				}
			})
			var printed strings.Builder
			env, order := map[string]string{}, []string(nil)
			sc := bufio.NewScanner(stdout)
			for sc.Scan() && sc.Text() != "ready" {
				printed.WriteString(sc.Text() + "\n")
				if m := exportLine.FindStringSubmatch(sc.Text()); m != nil {
					env[m[1]] = m[2]
					order = append(order, m[1])
				}
			}
			if want := append(slices.Clone(base), tc.wantExports...); !slices.Equal(order, want) {
				t.Fatalf("exports %v, want %v", order, want)
			}
			if !strings.HasPrefix(env["ROCKETCHAT_URL"], tc.scheme+"://127.0.0.1:") {
				t.Fatalf("ROCKETCHAT_URL %q, want %s", env["ROCKETCHAT_URL"], tc.scheme)
			}
			var files []string
			for _, name := range tc.wantExports {
				files = append(files, env[name])
			}
			if tc.clientAuth {
				if info, err := os.Stat(env["ROCKETCHAT_CLIENT_KEY_FILE"]); err != nil || info.Mode().Perm() != 0o600 {
					t.Fatalf("key file: %v, mode %v; want 0600", err, info.Mode().Perm())
				}
			}

			// What a client configured from the export lines gets, and one
			// without each piece of the configuration.
			type attempt struct {
				name            string
				ca, cert, gated bool
				wantStatus      int // 0: the connection fails
			}
			attempts := []attempt{{"configured", true, true, true, 200}}
			if tc.scheme == "https" {
				attempts = append(attempts, attempt{"without the CA file", false, true, true, 0})
			}
			if tc.clientAuth {
				attempts = append(attempts, attempt{"without the client certificate", true, false, true, 0})
			}
			if tc.gate {
				attempts = append(attempts, attempt{"without the header", true, true, false, http.StatusFound})
			}
			for _, a := range attempts {
				cfg := &tls.Config{MinVersion: tls.VersionTLS12}
				if a.ca && env["ROCKETCHAT_CA_CERT_FILE"] != "" {
					data, err := os.ReadFile(env["ROCKETCHAT_CA_CERT_FILE"])
					if err != nil {
						t.Fatal(err)
					}
					cfg.RootCAs = x509.NewCertPool()
					cfg.RootCAs.AppendCertsFromPEM(data)
				}
				if a.cert && tc.clientAuth {
					pair, err := tls.LoadX509KeyPair(env["ROCKETCHAT_CLIENT_CERT_FILE"], env["ROCKETCHAT_CLIENT_KEY_FILE"])
					if err != nil {
						t.Fatal(err)
					}
					cfg.Certificates = []tls.Certificate{pair}
				}
				client := &http.Client{
					Transport:     &http.Transport{TLSClientConfig: cfg},
					CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
				}
				req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, env["ROCKETCHAT_URL"]+"/api/info", nil)
				if a.gated && tc.gate {
					req.Header.Set("X-Gate", secret)
				}
				status := 0
				if res, err := client.Do(req); err == nil {
					status = res.StatusCode
					res.Body.Close()
				}
				client.CloseIdleConnections()
				if status != a.wantStatus {
					t.Errorf("%s: status %d, want %d (0: refused connection)", a.name, status, a.wantStatus)
				}
			}

			if err := cmd.Process.Signal(tc.stop); err != nil {
				t.Fatal(err)
			}
			select {
			case err := <-exited:
				if err != nil {
					t.Fatalf("exit after %v: %v; stderr: %s", tc.stop, err, stderr.String())
				}
			case <-time.After(5 * time.Second):
				t.Fatalf("still running 5s after %v", tc.stop)
			}
			for _, f := range files {
				if _, err := os.Stat(f); !errors.Is(err, fs.ErrNotExist) {
					t.Errorf("%s still there after exit: %v", f, err)
				}
				if _, err := os.Stat(filepath.Dir(f)); !errors.Is(err, fs.ErrNotExist) {
					t.Errorf("directory of %s still there after exit: %v", f, err)
				}
			}
			if strings.Contains(printed.String()+stderr.String(), secret) {
				t.Errorf("the header value was printed: %s%s", printed.String(), stderr.String())
			}
		})
	}
}

// startProgram runs the program until the test ends and returns its export
// lines, read up to "ready", the rest of its standard output, and the process.
func startProgram(t *testing.T, bin string, args ...string) (map[string]string, *bufio.Scanner, *exec.Cmd) {
	t.Helper()
	cmd := exec.CommandContext(t.Context(), bin, args...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	sc := bufio.NewScanner(stdout)
	env := map[string]string{}
	for sc.Scan() && sc.Text() != "ready" {
		if m := exportLine.FindStringSubmatch(sc.Text()); m != nil {
			env[m[1]] = m[2]
		}
	}
	return env, sc, cmd
}

// getAsPrintedUser makes a GET with the credentials the program printed, as
// `curl -H X-User-Id -H X-Auth-Token` would.
func getAsPrintedUser(t *testing.T, env map[string]string, path string) *http.Response {
	t.Helper()
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, env["ROCKETCHAT_URL"]+path, nil)
	req.Header.Set("X-User-Id", env["ROCKETCHAT_USER_ID"])
	req.Header.Set("X-Auth-Token", env["ROCKETCHAT_AUTH_TOKEN"])
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// sendAsPrintedUser sends JSON with the credentials the program printed.
func sendAsPrintedUser(t *testing.T, env map[string]string, method, path string, body any) *http.Response {
	t.Helper()
	data, err := json.Marshal(body)
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequestWithContext(t.Context(), method, env["ROCKETCHAT_URL"]+path, bytes.NewReader(data))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-User-Id", env["ROCKETCHAT_USER_ID"])
	req.Header.Set("X-Auth-Token", env["ROCKETCHAT_AUTH_TOKEN"])
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if res.StatusCode != http.StatusOK {
		t.Fatalf("%s %s: status %d", method, path, res.StatusCode)
	}
	return res
}
