package provider

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/terraform-rocketchat/terraform-provider-rocketchat/internal/client"
	"github.com/terraform-rocketchat/terraform-provider-rocketchat/internal/rocketchattest"
)

// The fault matrix: every API operation the provider uses, under every kind
// of misbehaviour a Rocket.Chat (or the proxy in front of it) shows. Each
// cell states the outcome — the operation succeeds after waiting or
// retrying, or it fails with a clear error — and afterwards Rocket.Chat must
// hold exactly the integrations the state records, and one more apply must
// converge. TestFaultMatrixSummary keeps the reliability guide in step
// with this table.

type faultKind struct {
	name  string
	fault func() rocketchattest.Fault
	// acted: the fault strikes after Rocket.Chat handled the request, so
	// only the answer is lost.
	acted bool
}

var (
	proxyHTML  = "<html><body><h1>Bad Gateway</h1>nginx</body></html>"
	faultKinds = []faultKind{
		{name: "429 with X-RateLimit-Reset", fault: func() rocketchattest.Fault {
			reset := strconv.FormatInt(time.Now().Add(time.Second).UnixMilli(), 10)
			return rocketchattest.Fault{Status: http.StatusTooManyRequests, Header: http.Header{
				"X-Ratelimit-Limit": {"10"}, "X-Ratelimit-Remaining": {"0"}, "X-Ratelimit-Reset": {reset},
			}}
		}},
		{name: "500", fault: func() rocketchattest.Fault {
			return rocketchattest.Fault{Status: http.StatusInternalServerError, Body: `{"success":false,"error":"Internal server error"}`}
		}},
		{name: "502", fault: func() rocketchattest.Fault { return rocketchattest.Fault{Status: http.StatusBadGateway} }},
		{name: "503", fault: func() rocketchattest.Fault { return rocketchattest.Fault{Status: http.StatusServiceUnavailable} }},
		{name: "504", fault: func() rocketchattest.Fault { return rocketchattest.Fault{Status: http.StatusGatewayTimeout} }},
		{name: "dropped connection", fault: func() rocketchattest.Fault { return rocketchattest.Fault{Drop: true} }},
		// The server acts after 1.5 s, after the client's 1 s timeout but
		// before the provider's second look for a lost create.
		{name: "answer slower than request_timeout", fault: func() rocketchattest.Fault {
			return rocketchattest.Fault{Delay: 1500 * time.Millisecond}
		}},
		{name: "HTML body with 200", fault: func() rocketchattest.Fault { return rocketchattest.Fault{Body: proxyHTML} }},
		// The request took effect; its answer is lost.
		{name: "502 after acting", acted: true, fault: func() rocketchattest.Fault {
			return rocketchattest.Fault{Status: http.StatusBadGateway, AfterHandling: true}
		}},
		{name: "connection dropped after acting", acted: true, fault: func() rocketchattest.Fault {
			return rocketchattest.Fault{Drop: true, AfterHandling: true}
		}},
		{name: "answer slower than request_timeout after acting", acted: true, fault: func() rocketchattest.Fault {
			return rocketchattest.Fault{Delay: 3 * time.Second, AfterHandling: true}
		}},
		{name: "HTML body with 200 after acting", acted: true, fault: func() rocketchattest.Fault {
			return rocketchattest.Fault{Body: proxyHTML, AfterHandling: true}
		}},
	}
)

// outcome of a cell: the operation succeeds, or fails with an error matching err.
type outcome struct {
	ok  bool
	err string // regexp of the error, when !ok
	// note explains the outcome in the reliability guide.
	note string
	// path checks, from the requests the faulty step made per endpoint,
	// that the outcome came about the way the note says.
	path func(op string, calls map[string]int) error
}

// atLeast and exactly state how many requests an endpoint took in the
// faulty step.
func atLeast(endpoint string, n int) func(map[string]int) error {
	return func(calls map[string]int) error {
		if calls[endpoint] < n {
			return fmt.Errorf("%d requests to %s, want at least %d", calls[endpoint], endpoint, n)
		}
		return nil
	}
}

func exactly(endpoint string, n int) func(map[string]int) error {
	return func(calls map[string]int) error {
		if calls[endpoint] != n {
			return fmt.Errorf("%d requests to %s, want %d", calls[endpoint], endpoint, n)
		}
		return nil
	}
}

func all(checks ...func(map[string]int) error) func(string, map[string]int) error {
	return func(_ string, calls map[string]int) error {
		for _, c := range checks {
			if err := c(calls); err != nil {
				return err
			}
		}
		return nil
	}
}

// onFaulted checks the faulted endpoint of the cell's operation.
func onFaulted(check func(endpoint string, n int) func(map[string]int) error, n int) func(string, map[string]int) error {
	return func(op string, calls map[string]int) error { return check(faultEndpoint(op), n)(calls) }
}

var (
	retried = outcome{ok: true, note: "retried until it succeeds", path: onFaulted(atLeast, 2)}
	waited  = outcome{ok: true, note: "waits until `X-RateLimit-Reset`, then succeeds", path: onFaulted(atLeast, 2)}
	// A create is never repeated after its request may have arrived: the
	// provider looks for what it made instead, once or twice.
	recovered = outcome{ok: true, note: "the answer is lost, the provider finds the integration the create made and adopts it (warning)",
		path: all(exactly(rocketchattest.EndpointCreate, 1), atLeast(rocketchattest.EndpointList, 1))}
	lateFound = outcome{ok: true, note: "the provider gives up waiting, finds nothing at first, and adopts the integration the slow server made by its second look (warning)",
		path: all(exactly(rocketchattest.EndpointCreate, 1), atLeast(rocketchattest.EndpointList, 2))}
	notMade = outcome{err: `Rocket\.Chat did not create the`, note: "error: the answer is lost and no integration was made; the next apply creates it",
		path: all(exactly(rocketchattest.EndpointCreate, 1), atLeast(rocketchattest.EndpointList, 2))}
	final500 = outcome{err: `HTTP 500`, note: "error with Rocket.Chat's message (a 500 comes from the handler and would repeat); the next apply converges",
		path: onFaulted(exactly, 1)}
	garbage = outcome{err: `not JSON|cannot be read|invalid character`, note: "error naming the status and a short excerpt of the body; the next apply converges",
		path: onFaulted(exactly, 1)}
	goneOK   = outcome{ok: true, note: "retried; Rocket.Chat then says the integration is gone, which is what a delete wants", path: onFaulted(atLeast, 2)}
	fellBack = outcome{ok: true, note: "the shared list page fails, so the refresh reads each integration with `integrations.get` instead",
		path: all(atLeast(rocketchattest.EndpointList, 1), atLeast(rocketchattest.EndpointGet, 1))}
)

// expected gives each operation's outcome per fault.
func expected(op, fault string) outcome {
	acted := strings.HasSuffix(fault, "after acting")
	switch {
	case fault == "429 with X-RateLimit-Reset":
		return waited
	case op == "create" && acted:
		return recovered
	case op == "create" && fault == "answer slower than request_timeout":
		return lateFound
	case op == "create":
		return notMade
	case op == "refresh" && (fault == "500" || strings.HasPrefix(fault, "HTML body with 200")):
		return fellBack
	case strings.HasPrefix(fault, "HTML body with 200"):
		return garbage
	case fault == "500":
		return final500
	case op == "remove" && acted:
		return goneOK
	default: // the other operations are safe to repeat
		return retried
	}
}

// The operations: create, update and remove of a resource; refresh, whose
// reads share integrations.list pages; get, which a refresh uses for an
// integration the pages lack (here one deleted outside Terraform, whose
// absence get confirms); and list, as the rocketchat_integrations data
// source calls it.
const faultOps = "create refresh get list update remove"

func faultEndpoint(op string) string {
	return map[string]string{
		"create": rocketchattest.EndpointCreate, "refresh": rocketchattest.EndpointList, "get": rocketchattest.EndpointGet,
		"list": rocketchattest.EndpointList, "update": rocketchattest.EndpointUpdate, "remove": rocketchattest.EndpointRemove,
	}[op]
}

// readOnly operations cannot act twice, so the "after acting" faults do not apply.
func readOnly(op string) bool { return op == "refresh" || op == "get" || op == "list" }

func TestAccFaultMatrix(t *testing.T) {
	for _, op := range strings.Fields(faultOps) {
		for _, fk := range faultKinds {
			if fk.acted && readOnly(op) {
				continue
			}
			t.Run(op+"/"+fk.name, func(t *testing.T) {
				t.Parallel()
				want := expected(op, fk.name)
				// Reads retried or failed, and writes retried until they
				// succeed, are the provider's business; a failed apply is
				// also the CLI's.
				if readOnly(op) || want.ok {
					belowTheCLI(t)
				}
				env := newAccEnv(t)
				srv := env.fake(t)
				runFaultCell(t, env, srv, op, fk, want)
			})
		}
	}
}

func runFaultCell(t *testing.T, env *accEnv, srv *rocketchattest.Server, op string, fk faultKind, want outcome) {
	provider := env.providerAs(srv.Admin())
	provider = strings.TrimSuffix(provider, "}\n") + "  request_timeout = \"1s\"\n  max_retry_wait = \"20s\"\n}\n"
	integration := func(alias string) string {
		return fmt.Sprintf(`
resource "rocketchat_incoming_integration" "test" {
  name     = "fault %s"
  username = "rocket.cat"
  channels = ["#general"]
  alias    = %q
}
`, op, alias)
	}
	two := integration("a") + strings.ReplaceAll(integration("a"), `"test"`, `"second"`)
	// The requests of the faulty step, from its start to the next step.
	var before, during map[string]int
	inject := func() {
		srv.Fail(faultEndpoint(op), 1, fk.fault())
		before = srv.RequestCounts()
	}
	measured := func() {
		during = map[string]int{}
		for k, v := range srv.RequestCounts() {
			if d := v - before[k]; d > 0 {
				during[k] = d
			}
		}
		if n := srv.FaultsPending(faultEndpoint(op)); n != 0 {
			t.Errorf("the faulty step left its fault on %s unsuffered", faultEndpoint(op))
		}
	}
	consistent := func(s *terraform.State) error { return stateMatchesServer(s, srv) }

	faulty := resource.TestStep{PreConfig: inject}
	var steps []resource.TestStep
	switch op {
	case "create":
		faulty.Config = provider + integration("a")
		steps = []resource.TestStep{faulty}
	case "refresh":
		faulty.Config = provider + integration("a")
		steps = []resource.TestStep{{Config: provider + integration("a")}, faulty}
	case "get":
		var second string
		faulty.PreConfig = func() {
			if _, err := env.api.RemoveIntegration(context.Background(), client.IncomingType, second); err != nil {
				t.Fatal(err)
			}
			inject()
		}
		faulty.Config = provider + two
		steps = []resource.TestStep{{Config: provider + two, Check: captureID("rocketchat_incoming_integration.second", &second)}, faulty}
	case "list":
		// Only the data source lists: no managed integration to refresh.
		faulty.PreConfig = func() {
			env.createIntegration(t, env.api, incomingRequest("made by hand"))
			inject()
		}
		faulty.Config = provider + `data "rocketchat_integrations" "all" {}` + "\n"
		consistent = func(s *terraform.State) error {
			if n := len(srv.Integrations()); n != 1 {
				return fmt.Errorf("Rocket.Chat holds %d integrations, want the 1 made by hand", n)
			}
			// The data source read what is there despite the fault.
			ds := s.RootModule().Resources["data.rocketchat_integrations.all"]
			if ds == nil || ds.Primary.Attributes["integrations.#"] != "1" || ds.Primary.Attributes["integrations.0.name"] != "made by hand" {
				return fmt.Errorf("the data source lists %v, want the integration made by hand", ds)
			}
			return nil
		}
		steps = []resource.TestStep{faulty}
	case "update":
		faulty.Config = provider + integration("b")
		steps = []resource.TestStep{{Config: provider + integration("a")}, faulty}
	case "remove":
		faulty.Config = provider
		steps = []resource.TestStep{{Config: provider + integration("a")}, faulty}
	}
	last := &steps[len(steps)-1]
	if want.ok {
		last.Check = consistent
	} else {
		last.ExpectError = regexp.MustCompile(want.err)
	}
	// Whatever happened, one more apply converges to the configuration, and
	// Rocket.Chat holds what the state says. (After every apply the test
	// framework also plans once more and fails unless that plan is empty.)
	// Before it, the faulty step's requests show which path it took.
	steps = append(steps, resource.TestStep{PreConfig: measured, Config: last.Config, Check: consistent})
	resource.Test(t, resource.TestCase{ProtoV6ProviderFactories: testAccProviders, Steps: steps})
	if during == nil {
		t.Fatal("the faulty step's requests were never measured")
	}
	if during[faultEndpoint(op)] < 1 {
		t.Errorf("the faulty step made no request to %s: the fault was not reached", faultEndpoint(op))
	}
	if want.path != nil {
		if err := want.path(op, during); err != nil {
			t.Errorf("%s (requests of the faulty step: %v)", err, during)
		}
	}
}

// stateMatchesServer checks that the integrations Rocket.Chat holds are
// exactly those the state records: no duplicate, no orphan.
func stateMatchesServer(s *terraform.State, srv *rocketchattest.Server) error {
	var inState []string
	for key, rs := range s.RootModule().Resources {
		if strings.HasPrefix(rs.Type, "rocketchat_") && strings.HasSuffix(rs.Type, "_integration") && !strings.HasPrefix(key, "data.") {
			inState = append(inState, rs.Primary.ID)
		}
	}
	var held []string
	for _, doc := range srv.Integrations() {
		held = append(held, doc["_id"].(string))
	}
	sort.Strings(inState)
	sort.Strings(held)
	if !slices.Equal(inState, held) {
		return fmt.Errorf("the state records %v, Rocket.Chat holds %v", inState, held)
	}
	return nil
}

// TestFaultMatrixSummary keeps the table in the reliability guide equal to
// the one the tests run; `go test -run TestFaultMatrixSummary -update`
// rewrites it.
func TestFaultMatrixSummary(t *testing.T) {
	var b strings.Builder
	b.WriteString("| Operation | Fault | Outcome |\n|---|---|---|\n")
	for _, op := range strings.Fields(faultOps) {
		for _, fk := range faultKinds {
			if fk.acted && readOnly(op) {
				continue
			}
			fmt.Fprintf(&b, "| %s | %s | %s |\n", op, fk.name, expected(op, fk.name).note)
		}
	}
	checkGuideSection(t, "fault-matrix", b.String())
}
