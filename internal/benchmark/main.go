// Command benchmark measures the provider at scale against the test server
// program on loopback, with the real terraform binary, and compares every
// figure with baselines measured in the same run: the same number of
// resources of a no-op plugin provider with the same schema (the floor any
// plugin provider can reach; measured quiet, as the provider runs, and with
// the framework's default logging, as a minimal provider runs), the same
// number of terraform_data resources
// (Terraform's own cost, with no plugin at all), or the floor a rate limit
// sets. `make bench` runs it; it prints a table and writes it into
// templates/guides/performance.md.tmpl, from which docs/ is generated.
//
//	go run ./internal/benchmark [-sizes 50,200,1000] [-repeat 3] [-tf terraform] [-write]
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/terraform-rocketchat/terraform-provider-rocketchat/internal/clitest"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "benchmark:", err)
		os.Exit(1)
	}
}

type options struct {
	sizes      []int
	repeat     int
	tf         string
	write      bool
	rateN      int
	rateCalls  int
	rateWindow time.Duration
	// checksBaseline is the commit before plan-time checks, measured next
	// to the current code for the cost the checks add.
	checksBaseline string
}

func parseOptions() (options, error) {
	o := options{}
	sizes := flag.String("sizes", "50,200,1000", "numbers of integrations to measure")
	flag.IntVar(&o.repeat, "repeat", 3, "runs per figure for sizes up to 200 (the median is reported); larger sizes run once")
	flag.StringVar(&o.tf, "tf", "terraform", "terraform or tofu binary")
	flag.BoolVar(&o.write, "write", false, "write the table into templates/guides/performance.md.tmpl")
	flag.IntVar(&o.rateN, "rate-n", 50, "integrations to create under the rate limit")
	rate := flag.String("rate-limit", "10/2s", "rate limit for the rate-limited case, CALLS/WINDOW")
	flag.StringVar(&o.checksBaseline, "checks-baseline", "903492d", "commit of the provider without plan-time checks, to measure what they cost; empty to skip")
	flag.Parse()
	for _, s := range strings.Split(*sizes, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 1 {
			return o, fmt.Errorf("-sizes %q: want positive numbers", *sizes)
		}
		o.sizes = append(o.sizes, n)
	}
	calls, window, ok := strings.Cut(*rate, "/")
	var err error
	if o.rateCalls, err = strconv.Atoi(calls); !ok || err != nil {
		return o, fmt.Errorf("-rate-limit %q: want CALLS/WINDOW", *rate)
	}
	if o.rateWindow, err = time.ParseDuration(window); err != nil {
		return o, fmt.Errorf("-rate-limit %q: %v", *rate, err)
	}
	return o, nil
}

// figure is one measured operation.
type figure struct {
	n           int
	op          string
	provider    time.Duration
	noop        time.Duration // the no-op plugin provider, quiet as the provider is
	noopLogging time.Duration // the same with the framework's default logging
	baseline    time.Duration // terraform_data
	providerCPU time.Duration // CPU time of the provider process itself
	calls       map[string]int
	peakMemory  int64
}

func run() error {
	o, err := parseOptions()
	if err != nil {
		return err
	}
	tf, err := exec.LookPath(o.tf)
	if err != nil {
		return err
	}
	ctx := context.Background()
	tmp, err := os.MkdirTemp("", "rocketchat-bench")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	root, err := clitest.ModuleRoot()
	if err != nil {
		return err
	}
	fmt.Fprintln(os.Stderr, "building the provider and the test server …")
	providerBin, err := clitest.BuildProvider(ctx, tmp)
	if err != nil {
		return err
	}
	serverBin := filepath.Join(tmp, "rocketchat-test-server")
	build := exec.CommandContext(ctx, "go", "build", "-o", serverBin, "./internal/rocketchattest/cmd/rocketchat-test-server")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		return fmt.Errorf("building the test server: %v\n%s", err, out)
	}
	noopDir := filepath.Join(tmp, "noop")
	build = exec.CommandContext(ctx, "go", "build", "-o", filepath.Join(noopDir, "terraform-provider-noop"), "./internal/benchmark/noopprovider")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		return fmt.Errorf("building the no-op provider: %v\n%s", err, out)
	}
	b := &bench{tf: tf, tmp: tmp, providerDir: filepath.Dir(providerBin), noopDir: noopDir, serverBin: serverBin}

	var figures []figure
	for _, n := range o.sizes {
		repeat := o.repeat
		if n > 200 {
			repeat = 1
		}
		fs, err := b.measure(ctx, n, repeat)
		if err != nil {
			return fmt.Errorf("with %d integrations: %w", n, err)
		}
		figures = append(figures, fs...)
	}
	rated, err := b.rateLimited(ctx, o.rateN, o.rateCalls, o.rateWindow)
	if err != nil {
		return fmt.Errorf("rate-limited case: %w", err)
	}
	var checks *checksFigure
	if o.checksBaseline != "" {
		c, err := b.checks(ctx, root, o.checksBaseline, 200, 10, o.repeat)
		if err != nil {
			return fmt.Errorf("plan-time checks: %w", err)
		}
		checks = &c
	}
	table := render(figures, rated, checks, machine(tf))
	fmt.Print(table)
	if o.write {
		return writeGuide(filepath.Join(root, "templates", "guides", "performance.md.tmpl"), table)
	}
	return nil
}

type bench struct {
	tf, tmp, providerDir, noopDir, serverBin string
}

func (b *bench) rocketchat() []clitest.Provider {
	return []clitest.Provider{{Name: "rocketchat", Source: "terraform-rocketchat/rocketchat", Dir: b.providerDir}}
}

func (b *bench) noop() []clitest.Provider {
	return []clitest.Provider{{Name: "noop", Source: "bench/noop", Dir: b.noopDir}}
}

// server is a running test server program.
type server struct {
	cmd   *exec.Cmd
	env   []string
	lines chan string
}

func (b *bench) startServer(ctx context.Context, args ...string) (*server, error) {
	cmd := exec.CommandContext(ctx, b.serverBin, append([]string{"-listen", "127.0.0.1:0"}, args...)...)
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	cmd.Stderr = io.Discard
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	s := &server{cmd: cmd, lines: make(chan string, 16)}
	go func() {
		sc := bufio.NewScanner(out)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			s.lines <- sc.Text()
		}
		close(s.lines)
	}()
	for line := range s.lines {
		if line == "ready" {
			return s, nil
		}
		if kv, ok := strings.CutPrefix(line, "export "); ok {
			name, value, _ := strings.Cut(kv, "=")
			s.env = append(s.env, name+"="+strings.Trim(value, "'"))
		}
	}
	return nil, errors.New("the test server stopped before it was ready")
}

// counters asks the server for its request counters (SIGUSR1).
func (s *server) counters() (map[string]int, map[string]int, error) {
	if err := s.cmd.Process.Signal(syscall.SIGUSR1); err != nil {
		return nil, nil, err
	}
	var requests, limited map[string]int
	for requests == nil || limited == nil {
		select {
		case line, ok := <-s.lines:
			if !ok {
				return nil, nil, errors.New("the test server stopped")
			}
			if v, ok := strings.CutPrefix(line, "requests "); ok {
				if err := json.Unmarshal([]byte(v), &requests); err != nil {
					return nil, nil, err
				}
			}
			if v, ok := strings.CutPrefix(line, "ratelimited "); ok {
				if err := json.Unmarshal([]byte(v), &limited); err != nil {
					return nil, nil, err
				}
			}
		case <-time.After(5 * time.Second):
			return nil, nil, errors.New("no counters from the test server")
		}
	}
	return requests, limited, nil
}

func (s *server) stop() {
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	_ = s.cmd.Wait()
}

// integrations configures n integrations of a provider, half incoming,
// half outgoing.
func integrations(provider string, n int) string {
	half := n / 2
	return fmt.Sprintf(`
provider %q {}
%s
resource "%s_outgoing_integration" "out" {
  count         = %d
  name          = "outgoing ${count.index}"
  event         = "sendMessage"
  username      = "rocket.cat"
  channels      = ["#general"]
  urls          = ["https://bot.example.com/hook"]
  trigger_words = ["!bench"]
}
`, provider, incomingIntegrations(provider, half, "#general"), provider, n-half)
}

// incomingIntegrations configures n incoming integrations of a provider.
// incomingIntegrations configures n incoming integrations that post to
// channel, an HCL string that may use count.index.
func incomingIntegrations(provider string, n int, channel string) string {
	return fmt.Sprintf(`
resource "%s_incoming_integration" "in" {
  count    = %d
  name     = "incoming ${count.index}"
  username = "rocket.cat"
  channels = [%q]
  alias    = "bench"
}
`, provider, n, channel)
}

func terraformData(n int) string {
	return fmt.Sprintf(`
resource "terraform_data" "d" {
  count = %d
  input = "incoming ${count.index}"
}
`, n)
}

var (
	applyArgs   = []string{"apply", "-auto-approve", "-input=false", "-no-color", "-parallelism=10"}
	planArgs    = []string{"plan", "-input=false", "-no-color", "-detailed-exitcode", "-parallelism=10"}
	destroyArgs = []string{"destroy", "-auto-approve", "-input=false", "-no-color", "-parallelism=10"}
)

type opResult struct {
	took    time.Duration
	cpu     time.Duration
	calls   map[string]int
	limited int
	peak    int64
}

// cycle runs apply, a no-change plan and destroy once, with counters for each.
func (b *bench) cycle(ctx context.Context, providers []clitest.Provider, config string, srv *server, env ...string) (map[string]opResult, error) {
	ws, err := clitest.NewWorkspaceFor(b.tmp, b.tf, providers, config)
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(ws.Dir)
	if srv != nil {
		env = append(env, srv.env...)
	}
	out := map[string]opResult{}
	for _, step := range []struct {
		name string
		args []string
		exit int
	}{{"apply", applyArgs, 0}, {"plan", planArgs, 0}, {"destroy", destroyArgs, 0}} {
		var before map[string]int
		var beforeLimited map[string]int
		if srv != nil {
			if before, beforeLimited, err = srv.counters(); err != nil {
				return nil, err
			}
		}
		r := ws.Run(ctx, env, step.args...)
		if r.ExitCode != step.exit {
			return nil, fmt.Errorf("%s: exit %d\n%s", step.name, r.ExitCode, tail(r.Output(), 40))
		}
		res := opResult{took: r.Duration, cpu: r.ProviderCPU, peak: r.ProviderPeakRSS}
		if srv != nil {
			after, afterLimited, err := srv.counters()
			if err != nil {
				return nil, err
			}
			res.calls = since(before, after)
			res.limited = total(since(beforeLimited, afterLimited))
		}
		out[step.name] = res
	}
	return out, nil
}

func (b *bench) measure(ctx context.Context, n, repeat int) ([]figure, error) {
	fmt.Fprintf(os.Stderr, "N=%d: %d run(s) of apply, plan and destroy, with the provider, the no-op provider (quiet, then with default logging) and terraform_data …\n", n, repeat)
	var provider, noop, noopLogging, baseline []map[string]opResult
	for range repeat {
		srv, err := b.startServer(ctx)
		if err != nil {
			return nil, err
		}
		p, err := b.cycle(ctx, b.rocketchat(), integrations("rocketchat", n), srv)
		srv.stop()
		if err != nil {
			return nil, err
		}
		floor, err := b.cycle(ctx, b.noop(), integrations("noop", n), nil)
		if err != nil {
			return nil, err
		}
		// The name is the no-op provider's defaultLoggingEnv.
		logging, err := b.cycle(ctx, b.noop(), integrations("noop", n), nil, "BENCH_NOOP_DEFAULT_LOGGING=1")
		if err != nil {
			return nil, err
		}
		// No provider at all: Terraform would otherwise start one just to read its schema.
		base, err := b.cycle(ctx, nil, terraformData(n), nil)
		if err != nil {
			return nil, err
		}
		provider, noop, noopLogging, baseline = append(provider, p), append(noop, floor), append(noopLogging, logging), append(baseline, base)
	}
	var out []figure
	for _, op := range []string{"apply", "plan", "destroy"} {
		f := figure{n: n, op: op, provider: median(provider, op), noop: median(noop, op), noopLogging: median(noopLogging, op), baseline: median(baseline, op), calls: provider[0][op].calls,
			providerCPU: provider[len(provider)/2][op].cpu}
		for _, p := range provider {
			f.peakMemory = max(f.peakMemory, p[op].peak)
		}
		out = append(out, f)
	}
	return out, nil
}

// since is what counters grew by between two readings.
func since(before, after map[string]int) map[string]int {
	out := map[string]int{}
	for k, v := range after {
		if d := v - before[k]; d > 0 {
			out[k] = d
		}
	}
	return out
}

func total(counts map[string]int) int {
	n := 0
	for _, v := range counts {
		n += v
	}
	return n
}

func median(runs []map[string]opResult, op string) time.Duration {
	ds := make([]time.Duration, len(runs))
	for i, r := range runs {
		ds[i] = r[op].took
	}
	slices.Sort(ds)
	return ds[len(ds)/2]
}

type rateFigure struct {
	n, calls   int
	window     time.Duration
	apply      time.Duration
	baseline   time.Duration // N terraform_data, Terraform's own cost
	floor      time.Duration
	limited    int
	createCall int
}

// rateLimited creates n integrations as a user the limiter applies to.
func (b *bench) rateLimited(ctx context.Context, n, calls int, window time.Duration) (rateFigure, error) {
	fmt.Fprintf(os.Stderr, "rate limit %d/%s: creating %d integrations as a non-admin user …\n", calls, window, n)
	srv, err := b.startServer(ctx, "-user", "owner", "-rate-limit", fmt.Sprintf("%d/%s", calls, window))
	if err != nil {
		return rateFigure{}, err
	}
	defer srv.stop()
	ws, err := clitest.NewWorkspace(b.tmp, b.tf, b.providerDir, integrations("rocketchat", n))
	if err != nil {
		return rateFigure{}, err
	}
	defer os.RemoveAll(ws.Dir)
	before, _, err := srv.counters()
	if err != nil {
		return rateFigure{}, err
	}
	r := ws.Run(ctx, srv.env, applyArgs...)
	if r.ExitCode != 0 {
		return rateFigure{}, fmt.Errorf("apply: exit %d\n%s", r.ExitCode, tail(r.Output(), 40))
	}
	after, limited, err := srv.counters()
	if err != nil {
		return rateFigure{}, err
	}
	base, err := b.cycle(ctx, nil, terraformData(n), nil)
	if err != nil {
		return rateFigure{}, err
	}
	windows := (n+calls-1)/calls - 1
	return rateFigure{
		n: n, calls: calls, window: window, apply: r.Duration, baseline: base["apply"].took,
		floor: time.Duration(windows) * window, limited: limited["integrations.create"],
		createCall: after["integrations.create"] - before["integrations.create"],
	}, nil
}

// checksFigure is what the plan-time checks cost: the plan of n new
// integrations spread over rooms, with the checks and without them.
type checksFigure struct {
	n, rooms           int
	baselineRef        string
	with, without      time.Duration
	withCalls, noCalls map[string]int
	limitedTook        time.Duration
	limitedCalls       map[string]int
	limitedRefused     int
}

// spread configures n incoming integrations over rooms room-1 … room-k.
func spread(n, rooms int) string {
	return "\nprovider \"rocketchat\" {}\n" + incomingIntegrations("rocketchat", n, fmt.Sprintf("#room-${count.index %% %d + 1}", rooms))
}

// checks measures the plan of n new integrations over rooms with the
// current provider and with the one built from baselineRef, which has no
// plan-time checks, then with the current one as a non-admin user under
// Rocket.Chat's default rate limit.
func (b *bench) checks(ctx context.Context, root, baselineRef string, n, rooms, repeat int) (checksFigure, error) {
	fmt.Fprintf(os.Stderr, "plan-time checks: plans of %d new integrations over %d rooms, with and without the checks (%s) …\n", n, rooms, baselineRef)
	baseDir := filepath.Join(b.tmp, "baseline-provider")
	if err := buildAt(ctx, root, baselineRef, baseDir); err != nil {
		return checksFigure{}, err
	}
	out := checksFigure{n: n, rooms: rooms, baselineRef: baselineRef}
	roomsFlag := []string{"-rooms", strconv.Itoa(rooms)}
	plan := func(providerDir string, args ...string) (time.Duration, map[string]int, int, error) {
		srv, err := b.startServer(ctx, append(roomsFlag, args...)...)
		if err != nil {
			return 0, nil, 0, err
		}
		defer srv.stop()
		ws, err := clitest.NewWorkspace(b.tmp, b.tf, providerDir, spread(n, rooms))
		if err != nil {
			return 0, nil, 0, err
		}
		defer os.RemoveAll(ws.Dir)
		before, beforeLimited, err := srv.counters()
		if err != nil {
			return 0, nil, 0, err
		}
		r := ws.Run(ctx, srv.env, planArgs...)
		if r.ExitCode != 2 { // changes to make
			return 0, nil, 0, fmt.Errorf("plan: exit %d\n%s", r.ExitCode, tail(r.Output(), 40))
		}
		after, afterLimited, err := srv.counters()
		if err != nil {
			return 0, nil, 0, err
		}
		return r.Duration, since(before, after), total(since(beforeLimited, afterLimited)), nil
	}
	var with, without []time.Duration
	for range repeat {
		d, calls, _, err := plan(b.providerDir)
		if err != nil {
			return out, err
		}
		with, out.withCalls = append(with, d), calls
		if d, calls, _, err = plan(baseDir); err != nil {
			return out, err
		}
		without, out.noCalls = append(without, d), calls
	}
	slices.Sort(with)
	slices.Sort(without)
	out.with, out.without = with[len(with)/2], without[len(without)/2]
	var err error
	out.limitedTook, out.limitedCalls, out.limitedRefused, err = plan(b.providerDir, "-user", "owner", "-rate-limit", "10/60s")
	return out, err
}

// buildAt builds the provider as it was at a commit into dir.
func buildAt(ctx context.Context, root, ref, dir string) error {
	src := filepath.Join(dir, "src")
	if err := os.MkdirAll(src, 0o755); err != nil {
		return err
	}
	archive := exec.CommandContext(ctx, "sh", "-c", `git -C "$1" archive "$2" | tar -x -C "$3"`, "sh", root, ref, src)
	if out, err := archive.CombinedOutput(); err != nil {
		return fmt.Errorf("extracting %s: %v\n%s", ref, err, out)
	}
	build := exec.CommandContext(ctx, "go", "build", "-o", filepath.Join(dir, "terraform-provider-rocketchat"), ".")
	build.Dir = src
	if out, err := build.CombinedOutput(); err != nil {
		return fmt.Errorf("building %s: %v\n%s", ref, err, out)
	}
	return nil
}

func render(figures []figure, rated rateFigure, checks *checksFigure, machine string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Measured on %s.\n\n", machine)
	b.WriteString("| N | Operation | Provider | No-op, quiet | No-op, default logging | `terraform_data` | Ratio to no-op, quiet | Ratio to no-op, default logging | Ratio to `terraform_data` | Provider process CPU | API calls |\n" +
		"|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---|\n")
	for _, f := range figures {
		fmt.Fprintf(&b, "| %d | %s | %s | %s | %s | %s | %.2f× | %.2f× | %.2f× | %s | %s |\n", f.n, f.op, seconds(f.provider),
			seconds(f.noop), seconds(f.noopLogging), seconds(f.baseline), float64(f.provider)/float64(f.noop),
			float64(f.provider)/float64(f.noopLogging), float64(f.provider)/float64(f.baseline), seconds(f.providerCPU), callList(f.calls))
	}
	b.WriteString("\n| N | Refresh calls (list + get) | Target ⌈N/100⌉ + 1 | Peak provider memory | Target |\n|---:|---:|---:|---:|---:|\n")
	for _, f := range figures {
		if f.op != "plan" {
			continue
		}
		peak := 0.0
		for _, g := range figures {
			if g.n == f.n {
				peak = math.Max(peak, float64(g.peakMemory)/(1<<20))
			}
		}
		fmt.Fprintf(&b, "| %d | %d | %d | %.1f MB | 64 MB |\n", f.n, f.calls["integrations.list"]+f.calls["integrations.get"], (f.n+99)/100+1, peak)
	}
	own := rated.apply - rated.baseline
	fmt.Fprintf(&b, "\nRate-limited apply: %d integrations as a non-admin user under %d calls per %s: %s "+
		"(Terraform's own time for %d resources: %s; the provider's share: %s). The floor the limit sets is %s "+
		"(⌈%d/%d⌉ − 1 windows): ratio %.2f× for the provider's share, %.2f× for the whole apply. "+
		"%d create calls, %d refused with 429.\n",
		rated.n, rated.calls, rated.window, seconds(rated.apply), rated.n, seconds(rated.baseline), seconds(own),
		seconds(rated.floor), rated.n, rated.calls, float64(own)/float64(rated.floor), float64(rated.apply)/float64(rated.floor),
		rated.createCall, rated.limited)
	if checks != nil {
		fmt.Fprintf(&b, "\nPlan-time checks: a plan of %d new integrations over %d rooms takes %s with the checks and %s "+
			"without them (the provider at %s): %+.2f s, %.2f×. Calls with the checks: %s; without: %s. As a non-admin "+
			"user under Rocket.Chat's default limit of 10 calls per 60 s: %s, calls %s, %d refused with 429.\n",
			checks.n, checks.rooms, seconds(checks.with), seconds(checks.without), checks.baselineRef,
			(checks.with - checks.without).Seconds(), float64(checks.with)/float64(checks.without),
			callList(checks.withCalls), callList(checks.noCalls), seconds(checks.limitedTook), callList(checks.limitedCalls), checks.limitedRefused)
	}
	return b.String()
}

func callList(calls map[string]int) string {
	keys := make([]string, 0, len(calls))
	for k := range calls {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	parts := make([]string, 0, len(keys))
	total := 0
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%s %d", strings.TrimPrefix(k, "integrations."), calls[k]))
		total += calls[k]
	}
	return fmt.Sprintf("%d (%s)", total, strings.Join(parts, ", "))
}

func seconds(d time.Duration) string { return fmt.Sprintf("%.2f s", d.Seconds()) }

func tail(s string, lines int) string {
	all := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(all) > lines {
		all = all[len(all)-lines:]
	}
	return strings.Join(all, "\n")
}

// machine describes where the figures come from.
func machine(tf string) string {
	cpu := "unknown CPU"
	if data, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(data), "\n") {
			if v, ok := strings.CutPrefix(line, "model name"); ok {
				cpu = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(v), ":"))
				break
			}
		}
	}
	version := "unknown version"
	if out, err := exec.CommandContext(context.Background(), tf, "version").Output(); err == nil {
		version = strings.SplitN(string(out), "\n", 2)[0]
	}
	return fmt.Sprintf("%s, %d CPUs, %s/%s, %s, %s, %s", cpu, runtime.NumCPU(), runtime.GOOS, runtime.GOARCH,
		runtime.Version(), version, time.Now().UTC().Format("2006-01-02"))
}

// writeGuide replaces the figures between the markers of the guide template.
func writeGuide(file, table string) error {
	data, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	const begin, end = "<!-- benchmark:begin -->\n", "<!-- benchmark:end -->"
	text := string(data)
	i, j := strings.Index(text, begin), strings.Index(text, end)
	if i < 0 || j < i {
		return fmt.Errorf("%s has no benchmark markers", file)
	}
	return os.WriteFile(file, []byte(text[:i+len(begin)]+table+text[j:]), 0o644)
}
