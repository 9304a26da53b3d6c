package rocketchattest

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// TestCompileScriptVerdicts holds compileScript to the verdicts of Babel (a
// strict-mode module) and of vm.Script around a sloppy function body.
func TestCompileScriptVerdicts(t *testing.T) {
	cases := []struct {
		name       string
		src        string
		babelValid bool
		vmValid    bool
	}{
		{"regex with an escaped parenthesis", `var r = /\)/; class Script {}`, true, true},
		{"const without a name", "const = 5", false, false},
		{"unbalanced brace", "class Script { process_incoming_request() {", false, false},
		{"with statement is sloppy only", "with (Math) { max(1, 2) }", false, true},
		{"top-level return is a function body's", "return 1;", false, true},
		{"legacy octal literal is sloppy only", "var a = 010;", false, true},
		{"delete of a name is sloppy only", "var x; delete x;", false, true},
		{"duplicate parameters are sloppy only", "function f(a, a) {}", false, true},
		{"implements is reserved in strict mode", "var implements = 1;", false, true},
		{"import is a module's", `import x from "y";`, true, false},
		{"export is a module's", "export const a = 1;", true, false},
		{"let declared twice", "let a; let a;", false, false},
		{"the wrapper can be closed early", "}); (function(){", false, true},
		{"modern syntax", "class Script { #n = 1; async process_incoming_request({ request }) { return { content: { text: request?.content?.text ?? '' } }; } }", true, true},
		{"string with a bracket", `var s = "(";`, true, true},
		{"template literal with a brace", "var s = `}${1}`;", true, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			for _, mode := range []struct {
				transpile bool
				valid     bool
			}{{true, c.babelValid}, {false, c.vmValid}} {
				compiled, scriptError := compileScript(c.src, mode.transpile)
				if got := scriptError == nil; got != mode.valid {
					t.Errorf("transpile=%v: valid %v, want %v (error %v)", mode.transpile, got, mode.valid, scriptError)
				}
				if scriptError == nil && strings.TrimSpace(compiled) == "" && strings.TrimSpace(c.src) != "" {
					t.Errorf("transpile=%v: nothing stored", mode.transpile)
				}
			}
		})
	}
}

// TestCompileScriptErrorShape checks Babel's message layout (file, text,
// position, code frame) and V8's stack layout on one error each.
func TestCompileScriptErrorShape(t *testing.T) {
	src := "class Script {\n\tprocess() {\n\t\tconst = 5;\n\t}\n}"
	_, babel := compileScript(src, true)
	wantMessage := "unknown: Expected identifier but found \"=\" (3:8)\n\n" +
		"  1 | class Script {\n" +
		"  2 | \tprocess() {\n" +
		"> 3 | \t\tconst = 5;\n" +
		"    | \t\t      ^\n" +
		"  4 | \t}\n" +
		"  5 | }"
	if babel == nil || babel["name"] != "SyntaxError" || babel["message"] != wantMessage {
		t.Errorf("transpile error:\n got %q\nwant %q", babel["message"], wantMessage)
	}
	if stack, _ := babel["stack"].(string); !strings.HasPrefix(stack, "SyntaxError: "+wantMessage+"\n    at ") {
		t.Errorf("transpile stack %q", stack)
	}

	_, v8 := compileScript("const = 5", false)
	wantStack := "evalmachine.<anonymous>:1\n(function(){const = 5})\n                  ^\n\nSyntaxError: Expected identifier but found \"=\"\n    at "
	if v8 == nil || v8["message"] != `Expected identifier but found "="` || !strings.HasPrefix(v8["stack"].(string), wantStack) {
		t.Errorf("vm error: %#v", v8)
	}
	// On line 1 the column counts from the script's start, not the prologue's.
	_, first := compileScript("var = 1", true)
	if msg, _ := first["message"].(string); !strings.Contains(msg, "(1:4)") {
		t.Errorf("line 1 column: %q", msg)
	}
}

func TestInstantiateScript(t *testing.T) {
	cases := []struct {
		name    string
		src     string
		methods []string
		err     string
	}{
		{"all three methods", "class Script { prepare_outgoing_request(){} process_outgoing_response(){} process_incoming_request(){} }",
			[]string{"prepare_outgoing_request", "process_outgoing_response", "process_incoming_request"}, ""},
		{"no methods", "class Script {}", nil, ""},
		{"a property that is no function", "class Script { constructor(){ this.process_incoming_request = 1 } }", nil, ""},
		{"no Script", "var a = 1;", nil, "ReferenceError: Script is not defined"},
		{"constructor throws", "class Script { constructor(){ throw new TypeError('no') } }", nil, "TypeError: no"},
		{"top-level code throws", "null.x; class Script {}", nil, "TypeError"},
		{"sandbox globals", "if (typeof Store.set !== 'function' || typeof console.log !== 'function' || global !== globalThis || typeof s.trim !== 'function' || typeof fetch !== 'function') throw new Error('missing'); class Script {}", nil, ""},
		{"no timers or require", "if (typeof setTimeout !== 'undefined' || typeof require !== 'undefined' || typeof process !== 'undefined') throw new Error('extra'); class Script {}", nil, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			compiled, scriptError := compileScript(c.src, true)
			if scriptError != nil {
				t.Fatalf("compile: %v", scriptError["message"])
			}
			inst, err := instantiateScript(compiled, time.Second)
			if c.err != "" {
				if !errors.Is(err, errScriptEvaluation) || !strings.Contains(err.Error(), c.err) {
					t.Fatalf("err %v, want %q", err, c.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if strings.Join(inst.methods, ",") != strings.Join(c.methods, ",") {
				t.Errorf("methods %v, want %v", inst.methods, c.methods)
			}
		})
	}
}

const benchScript = `class Script {
  process_incoming_request({ request }) {
    const alerts = (request.content.alerts || []).map((a) => ({ title: a.labels.alertname, text: a.annotations.summary }));
    return { content: { text: 'Alerts: ' + alerts.length, attachments: alerts } };
  }
}`

func BenchmarkCompileScript(b *testing.B) {
	for b.Loop() {
		if _, e := compileScript(benchScript, true); e != nil {
			b.Fatal(e)
		}
	}
}

func BenchmarkRunScript(b *testing.B) {
	compiled, _ := compileScript(benchScript, true)
	params := map[string]any{"request": map[string]any{"content": map[string]any{"alerts": []any{
		map[string]any{"labels": map[string]any{"alertname": "Down"}, "annotations": map[string]any{"summary": "host down"}},
	}}}}
	b.Run("instantiate", func(b *testing.B) {
		for b.Loop() {
			if _, err := instantiateScript(compiled, time.Second); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("call", func(b *testing.B) {
		inst, _ := instantiateScript(compiled, time.Second)
		for b.Loop() {
			if _, err := inst.call("process_incoming_request", params, time.Second); err != nil {
				b.Fatal(err)
			}
		}
	})
}
