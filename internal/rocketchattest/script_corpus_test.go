package rocketchattest

import (
	"encoding/json"
	"errors"
	"os"
	"slices"
	"strings"
	"testing"
	"time"
)

type scriptVerdict struct {
	OK      bool   `json:"ok"`
	Name    string `json:"name"`
	Message string `json:"message"`
	Line    *int   `json:"line"`
	Column  *int   `json:"column"`
}

type scriptRunVerdict struct {
	Script  bool     `json:"script"`
	Error   *string  `json:"error"`
	Methods []string `json:"methods"`
}

type scriptCase struct {
	Name   string            `json:"name"`
	Group  string            `json:"group"`
	Source string            `json:"source"`
	Babel  scriptVerdict     `json:"babel"`
	VM     scriptVerdict     `json:"vm"`
	Run    *scriptRunVerdict `json:"run"`
}

// verdictAllowList names the cases whose verdict esbuild cannot give as
// Babel or V8 does, and why. Every other disagreement fails the test.
var verdictAllowList = map[string]string{
	// esbuild does not check the bodies and flags of regular expression
	// literals; Babel's regexpu transform and V8 do.
	"babel/regex-v-flag-unescaped-paren": "esbuild does not validate regular expressions",
	"babel/regex-u-flag-bad-escape":      "esbuild does not validate regular expressions",
	"babel/regex-duplicate-group-name":   "esbuild does not validate regular expressions",
	"vm/regex-invalid-pattern":           "esbuild does not validate regular expressions",
	"vm/regex-invalid-quantifier":        "esbuild does not validate regular expressions",
	"vm/regex-v-flag-unescaped-paren":    "esbuild does not validate regular expressions",
	"vm/regex-u-flag-bad-escape":         "esbuild does not validate regular expressions",
	"vm/regex-duplicate-group-name":      "esbuild does not validate regular expressions",
	// esbuild accepts `async (await) => 1`.
	"babel/async-arrow-await-parameter": "esbuild accepts await as an async arrow's parameter",
	"vm/async-arrow-await-parameter":    "esbuild accepts await as an async arrow's parameter",
}

// runAllowList names the cases whose run differs because Babel lowers to
// ES5 what esbuild cannot lower (classes, arrows) or goja lacks a feature.
var runAllowList = map[string]string{
	"regex-indices-flag":              "goja has no d flag",
	"regex-unicode-sets-flag":         "goja has no v flag",
	"script-class-inside-block":       "Babel's ES5 class is a var, visible outside the block; esbuild keeps the class",
	"script-is-arrow-function":        "Babel's ES5 arrow is a function, so a constructor; esbuild keeps the arrow",
	"script-class-declared-after-use": "Babel's ES5 class is a hoisted var; esbuild keeps the class and its temporal dead zone",
}

// TestScriptCorpus compares compileScript and the engine with the verdicts
// Rocket.Chat's own compiler and wrapper gave on the golden corpus
// (testdata/scripts/golden.json): verdicts must agree, positions are
// reported, and runs must agree on success, error name and methods.
func TestScriptCorpus(t *testing.T) {
	data, err := os.ReadFile("../../testdata/scripts/golden.json")
	if err != nil {
		t.Fatal(err)
	}
	var golden struct {
		Cases []scriptCase `json:"cases"`
	}
	if err := json.Unmarshal(data, &golden); err != nil {
		t.Fatal(err)
	}
	if len(golden.Cases) < 170 {
		t.Fatalf("only %d cases", len(golden.Cases))
	}
	for _, mode := range []struct {
		name      string
		transpile bool
		verdict   func(scriptCase) scriptVerdict
	}{
		{"babel", true, func(c scriptCase) scriptVerdict { return c.Babel }},
		{"vm", false, func(c scriptCase) scriptVerdict { return c.VM }},
	} {
		var verdicts, failures, lines, lineTotal, columns, columnTotal int
		for _, c := range golden.Cases {
			want := mode.verdict(c)
			_, problem := checkScript(c.Source, mode.transpile)
			if got := problem == nil; got != want.OK {
				reason, allowed := verdictAllowList[mode.name+"/"+c.Name]
				if !allowed {
					t.Errorf("%s %s: ok %v, want %v (%s / want %q)", mode.name, c.Name, got, want.OK, describeProblem(problem), want.Message)
				} else {
					t.Logf("%s %s: allowed disagreement: %s", mode.name, c.Name, reason)
				}
				continue
			}
			verdicts++
			if want.OK {
				continue
			}
			failures++
			if want.Line != nil {
				lineTotal++
				if problem.line == *want.Line {
					lines++
				} else {
					t.Logf("%s %s: line %d, want %d (%s / want %q)", mode.name, c.Name, problem.line, *want.Line, problem.text, firstLine(want.Message))
				}
			}
			if want.Column != nil && want.Line != nil && problem.line == *want.Line {
				columnTotal++
				if problem.column == *want.Column {
					columns++
				} else {
					t.Logf("%s %s: column %d, want %d (%s / want %q)", mode.name, c.Name, problem.column, *want.Column, problem.text, firstLine(want.Message))
				}
			}
		}
		t.Logf("%s: verdicts %d/%d agree; of %d errors, lines %d/%d, columns %d/%d (where the line agrees)",
			mode.name, verdicts, len(golden.Cases), failures, lines, lineTotal, columns, columnTotal)
	}

	var runs, runsAgree int
	for _, c := range golden.Cases {
		if c.Run == nil {
			continue
		}
		runs++
		compiled, problem := checkScript(c.Source, true)
		if problem != nil {
			continue // reported above
		}
		inst, err := instantiateScript(compiled, time.Second)
		var methods []string
		errName := ""
		if err != nil {
			if !errors.Is(err, errScriptEvaluation) {
				t.Errorf("run %s: %v", c.Name, err)
				continue
			}
			errName = strings.TrimPrefix(err.Error(), errScriptEvaluation.Error()+": ")
			errName, _, _ = strings.Cut(errName, ":")
		} else {
			methods = inst.methods
		}
		wantName := ""
		if c.Run.Error != nil {
			wantName, _, _ = strings.Cut(*c.Run.Error, ":")
		}
		if (err == nil) != c.Run.Script || errName != wantName || !slices.Equal(methods, c.Run.Methods) {
			if reason, ok := runAllowList[c.Name]; ok {
				t.Logf("run %s: allowed disagreement: %s", c.Name, reason)
				continue
			}
			t.Errorf("run %s: script %v, error %q, methods %v; want %v, %v, %v (%v)", c.Name, err == nil, errName, methods,
				c.Run.Script, wantName, c.Run.Methods, err)
			continue
		}
		runsAgree++
	}
	t.Logf("runs: %d/%d agree", runsAgree, runs)
}

func describeProblem(p *syntaxProblem) string {
	if p == nil {
		return "no error"
	}
	return p.text
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}
