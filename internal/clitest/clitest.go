// Package clitest runs the provider the way its users do: the provider
// binary built from this module, found by Terraform through dev_overrides in a
// temporary CLI configuration, driven by the terraform (or tofu) binary in its
// own process. Tests of logs, signals and timing need this, and so does the
// benchmark; ordinary acceptance tests use terraform-plugin-testing instead.
package clitest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// ModuleRoot is the directory holding this module's go.mod.
func ModuleRoot() (string, error) {
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		return "", errors.New("cannot locate the module")
	}
	return filepath.Abs(filepath.Join(filepath.Dir(file), "..", ".."))
}

// BuildProvider compiles the provider into dir and returns the binary's path.
func BuildProvider(ctx context.Context, dir string) (string, error) {
	root, err := ModuleRoot()
	if err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "terraform-provider-rocketchat")
	cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, ".")
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("building the provider: %v\n%s", err, out)
	}
	return bin, nil
}

// Workspace is a directory with a configuration, a CLI configuration that
// points Terraform at a provider binary, and the environment to run in.
type Workspace struct {
	Dir string   // the configuration and its state
	TF  string   // the terraform or tofu binary
	Env []string // added to the process environment
}

// Provider is a provider binary that Terraform finds through dev_overrides.
type Provider struct {
	Name   string // the local name the configuration uses
	Source string // namespace/type; Terraform and OpenTofu each add their registry's host
	Dir    string // the directory holding the binary
}

// registryHosts are the hosts Terraform and OpenTofu resolve a source against.
var registryHosts = []string{"registry.terraform.io", "registry.opentofu.org"}

// NewWorkspace writes config as main.tf (plus the provider's source in
// providers.tf) into a new directory under parent, and a CLI configuration
// whose dev_overrides point at providerDir.
func NewWorkspace(parent, tf, providerDir, config string) (*Workspace, error) {
	return NewWorkspaceFor(parent, tf, []Provider{{Name: "rocketchat", Source: "terraform-rocketchat/rocketchat", Dir: providerDir}}, config)
}

// NewWorkspaceFor is NewWorkspace for any set of provider binaries, none
// included; Terraform then starts only those, as it starts every provider a
// configuration requires.
func NewWorkspaceFor(parent, tf string, providers []Provider, config string) (*Workspace, error) {
	dir, err := os.MkdirTemp(parent, "workspace")
	if err != nil {
		return nil, err
	}
	var overrides, required strings.Builder
	for _, p := range providers {
		for _, host := range registryHosts {
			fmt.Fprintf(&overrides, "    %q = %q\n", host+"/"+p.Source, p.Dir)
		}
		fmt.Fprintf(&required, "    %s = {\n      source = %q\n    }\n", p.Name, p.Source)
	}
	cli := filepath.Join(dir, "cli.tfrc")
	rc := "provider_installation {\n  dev_overrides {\n" + overrides.String() + "  }\n  direct {}\n}\n"
	if err := os.WriteFile(cli, []byte(rc), 0o600); err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(config), 0o600); err != nil {
		return nil, err
	}
	providersTF := "terraform {\n  required_providers {\n" + required.String() + "  }\n}\n"
	if err := os.WriteFile(filepath.Join(dir, "providers.tf"), []byte(providersTF), 0o600); err != nil {
		return nil, err
	}
	return &Workspace{
		Dir: dir,
		TF:  tf,
		Env: []string{"TF_CLI_CONFIG_FILE=" + cli, "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1"},
	}, nil
}

// WriteConfig replaces main.tf.
func (w *Workspace) WriteConfig(config string) error {
	return os.WriteFile(filepath.Join(w.Dir, "main.tf"), []byte(config), 0o600)
}

// Result is what one command did.
type Result struct {
	Args     []string
	Stdout   string
	Stderr   string
	ExitCode int
	Duration time.Duration
	// ProviderPeakRSS is the largest resident set (bytes) any provider
	// process of the command reached, sampled from /proc; 0 where /proc is
	// not available.
	ProviderPeakRSS int64
	// ProviderCPU is the CPU time the command's provider processes used, as
	// last sampled before they ended.
	ProviderCPU time.Duration
	Err         error
}

// Output is stdout and stderr together, for messages and scans.
func (r *Result) Output() string { return r.Stdout + r.Stderr }

// Process is a command started in the background.
type Process struct {
	cmd    *exec.Cmd
	stdout bytes.Buffer
	stderr bytes.Buffer
	start  time.Time
	done   chan struct{}
	result *Result
	peak   *peakRSS
}

// Start runs the binary with args in the workspace without waiting for it.
func (w *Workspace) Start(ctx context.Context, env []string, args ...string) (*Process, error) {
	cmd := exec.CommandContext(ctx, w.TF, args...)
	cmd.Dir = w.Dir
	cmd.Env = append(append(os.Environ(), w.Env...), env...)
	p := &Process{cmd: cmd, done: make(chan struct{})}
	cmd.Stdout, cmd.Stderr = &p.stdout, &p.stderr
	// The process gets its own group, so that a signal meant for it does not
	// reach the test.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	p.start = time.Now()
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	p.peak = watchProviders(cmd.Process.Pid)
	go func() {
		err := cmd.Wait()
		r := &Result{Args: args, Stdout: p.stdout.String(), Stderr: p.stderr.String(), Duration: time.Since(p.start), Err: err}
		r.ProviderPeakRSS, r.ProviderCPU = p.peak.stop()
		var exitErr *exec.ExitError
		if errors.As(err, &exitErr) {
			r.ExitCode = exitErr.ExitCode()
		}
		p.result = r
		close(p.done)
	}()
	return p, nil
}

// Run runs the binary with args in the workspace and waits for it.
func (w *Workspace) Run(ctx context.Context, env []string, args ...string) *Result {
	p, err := w.Start(ctx, env, args...)
	if err != nil {
		return &Result{Args: args, Err: err, ExitCode: -1}
	}
	return p.Wait()
}

// Wait waits for the process to end.
func (p *Process) Wait() *Result {
	<-p.done
	return p.result
}

// Interrupt sends SIGINT, as Ctrl-C in a terminal would.
func (p *Process) Interrupt() error { return p.cmd.Process.Signal(os.Interrupt) }

// Done is closed when the process has ended.
func (p *Process) Done() <-chan struct{} { return p.done }

// peakRSS samples the high-water mark of the resident set of every provider
// process started under a command.
type peakRSS struct {
	root int
	mu   sync.Mutex
	max  int64
	cpu  map[int]time.Duration // by pid
	quit chan struct{}
	wg   sync.WaitGroup
}

func watchProviders(root int) *peakRSS {
	p := &peakRSS{root: root, quit: make(chan struct{}), cpu: map[int]time.Duration{}}
	if _, err := os.Stat("/proc/self/status"); err != nil {
		return p
	}
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		t := time.NewTicker(20 * time.Millisecond)
		defer t.Stop()
		for {
			p.sample()
			select {
			case <-p.quit:
				return
			case <-t.C:
			}
		}
	}()
	return p
}

func (p *peakRSS) stop() (int64, time.Duration) {
	close(p.quit)
	p.wg.Wait()
	p.mu.Lock()
	defer p.mu.Unlock()
	var cpu time.Duration
	for _, d := range p.cpu {
		cpu += d
	}
	return p.max, cpu
}

// sample reads VmHWM, the kernel's own high-water mark, of the provider
// processes below root, so that a peak between two samples is not missed.
func (p *peakRSS) sample() {
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return
	}
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil || !p.descends(pid) {
			continue
		}
		comm, err := os.ReadFile(filepath.Join("/proc", e.Name(), "comm"))
		if err != nil || !strings.HasPrefix(string(comm), "terraform-provi") {
			continue
		}
		hwm, cpu := statusKB(pid, "VmHWM:"), cpuTime(pid)
		p.mu.Lock()
		p.max = max(p.max, hwm*1024)
		if cpu > 0 {
			p.cpu[pid] = cpu
		}
		p.mu.Unlock()
	}
}

func (p *peakRSS) descends(pid int) bool {
	for i := 0; i < 8 && pid > 1; i++ {
		ppid := statusKB(pid, "PPid:")
		if int(ppid) == p.root {
			return true
		}
		pid = int(ppid)
	}
	return false
}

// cpuTime reads the user and system time of a process from /proc/<pid>/stat.
func cpuTime(pid int) time.Duration {
	data, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "stat"))
	if err != nil {
		return 0
	}
	// The command name may hold spaces; the fields after it are fixed.
	i := strings.LastIndexByte(string(data), ')')
	if i < 0 {
		return 0
	}
	f := strings.Fields(string(data)[i+1:])
	if len(f) < 13 {
		return 0
	}
	utime, _ := strconv.ParseInt(f[11], 10, 64)
	stime, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(utime+stime) * time.Second / clockTicks
}

// clockTicks is USER_HZ, the unit of /proc's CPU times on Linux.
const clockTicks = 100

// statusKB reads a numeric field of /proc/<pid>/status.
func statusKB(pid int, field string) int64 {
	data, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "status"))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, field); ok {
			n, _ := strconv.ParseInt(strings.Fields(rest)[0], 10, 64)
			return n
		}
	}
	return 0
}
