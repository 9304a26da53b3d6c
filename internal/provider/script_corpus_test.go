package provider

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/terraform-rocketchat/terraform-provider-rocketchat/internal/client"
)

// scriptCorpus is testdata/scripts/golden.json: scripts with the verdicts of
// Rocket.Chat's own compile step (Babel, or node's vm.Script with
// skip_transpile) and of running them in its wrapper.
type scriptCorpus struct {
	Cases []struct {
		Name   string        `json:"name"`
		Group  string        `json:"group"`
		Source string        `json:"source"`
		Babel  corpusVerdict `json:"babel"`
		VM     corpusVerdict `json:"vm"`
		Run    *struct {
			Script  bool     `json:"script"`
			Error   *string  `json:"error"`
			Methods []string `json:"methods"`
		} `json:"run"`
	} `json:"cases"`
}

type corpusVerdict struct {
	OK      bool   `json:"ok"`
	Message string `json:"message"`
	Line    *int   `json:"line"`
	Column  *int   `json:"column"`
}

func loadScriptCorpus(t *testing.T) scriptCorpus {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "testdata", "scripts", "golden.json"))
	if err != nil {
		t.Fatal(err)
	}
	var c scriptCorpus
	if err := json.Unmarshal(data, &c); err != nil {
		t.Fatal(err)
	}
	if len(c.Cases) < 150 {
		t.Fatalf("the corpus has %d scripts, fewer than expected", len(c.Cases))
	}
	return c
}

// knownMisses are the scripts Rocket.Chat refuses and the check lets pass,
// by mode, with the reason. A miss costs no more than today: Rocket.Chat
// saves the script with a scriptError, and every plan then warns about it.
var knownMisses = map[string]string{
	"vm/regex-invalid-pattern":           "the check does not validate regular expression patterns; V8 does, for every literal",
	"vm/regex-invalid-quantifier":        "the check does not validate regular expression patterns; V8 does, for every literal",
	"babel/regex-v-flag-unescaped-paren": "the check does not validate regular expression patterns; Babel does, for the u and v flags",
	"vm/regex-v-flag-unescaped-paren":    "the check does not validate regular expression patterns",
	"babel/regex-u-flag-bad-escape":      "the check does not validate regular expression patterns; Babel does, for the u and v flags",
	"vm/regex-u-flag-bad-escape":         "the check does not validate regular expression patterns",
	"babel/regex-duplicate-group-name":   "the check does not validate regular expression patterns; Babel does, for named groups",
	"vm/regex-duplicate-group-name":      "the check does not validate regular expression patterns",
	"babel/async-arrow-await-parameter":  "esbuild accepts await as the parameter name of an async arrow function",
	"vm/async-arrow-await-parameter":     "esbuild accepts await as the parameter name of an async arrow function",
}

// TestScriptCheckAgreesWithRocketChat runs the plan-time check over the
// corpus: it must refuse exactly the scripts Rocket.Chat's compile step
// refuses, at the same line, and must never refuse a script that runs.
func TestScriptCheckAgreesWithRocketChat(t *testing.T) {
	t.Parallel()
	corpus := loadScriptCorpus(t)
	type tally struct{ cases, verdicts, rejected, lines, columns int }
	var babel, vm tally
	var classCases, classAgree int
	for _, c := range corpus.Cases {
		for _, mode := range []struct {
			transpile bool
			want      corpusVerdict
			tally     *tally
		}{{true, c.Babel, &babel}, {false, c.VM, &vm}} {
			name := map[bool]string{true: "babel", false: "vm"}[mode.transpile]
			e := findScriptSyntaxError(c.Source, mode.transpile)
			mode.tally.cases++
			if (e == nil) != mode.want.OK {
				if reason, ok := knownMisses[name+"/"+c.Name]; ok && e == nil {
					t.Logf("%s/%s: a known miss: %s", name, c.Name, reason)
					continue
				}
				if e == nil {
					t.Errorf("%s/%s: Rocket.Chat refuses it (%s) but the check passes it", name, c.Name, firstLine(mode.want.Message))
				} else {
					t.Errorf("%s/%s: the check refuses it (line %d, column %d: %s) but Rocket.Chat accepts it", name, c.Name, e.line, e.column, e.text)
				}
				continue
			}
			mode.tally.verdicts++
			if e == nil {
				continue
			}
			mode.tally.rejected++
			if mode.want.Line != nil && *mode.want.Line == e.line {
				mode.tally.lines++
				if mode.want.Column != nil && *mode.want.Column+1 == e.column {
					mode.tally.columns++
				}
			} else {
				t.Logf("%s/%s: line %d, column %d: %s — Rocket.Chat: %s", name, c.Name, e.line, e.column, e.text, firstLine(mode.want.Message))
			}
		}
		if c.Run == nil {
			continue
		}
		// A script that compiles: the check must not refuse one that runs,
		// and should refuse one whose Script cannot be made.
		classCases++
		var errs diag.Diagnostics
		for _, d := range checkScriptSource(c.Source, client.IncomingType, true) {
			if d.Severity() == diag.SeverityError {
				errs.Append(d)
			}
		}
		switch {
		case c.Run.Script && errs.HasError():
			t.Errorf("class/%s: Rocket.Chat runs it, but the check refuses it: %s", c.Name, errs[0].Summary())
		case !c.Run.Script && !errs.HasError():
			t.Logf("class/%s: Rocket.Chat fails to make its Script (%v), the check lets it pass", c.Name, deref(c.Run.Error))
		default:
			classAgree++
		}
	}
	t.Logf("Babel: %d of %d verdicts agree; of %d refused, %d at the same line, %d at the same line and column",
		babel.verdicts, babel.cases, babel.rejected, babel.lines, babel.columns)
	t.Logf("vm.Script (skip_transpile): %d of %d verdicts agree; of %d refused, %d at the same line, %d at the same line and column",
		vm.verdicts, vm.cases, vm.rejected, vm.lines, vm.columns)
	t.Logf("Script class: %d of %d compiling scripts judged as Rocket.Chat runs them", classAgree, classCases)
}

func firstLine(s string) string {
	for i, r := range s {
		if r == '\n' {
			return s[:i]
		}
	}
	return s
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
