package provider

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/terraform-rocketchat/terraform-provider-rocketchat/internal/client"
)

// finding is one diagnostic of a script check, as the tests compare it.
type finding struct {
	severity diag.Severity
	at       string
	summary  string
	detail   []string // each must appear in the detail
}

func TestScriptCheck(t *testing.T) {
	const incomingScript = "class Script {\n  process_incoming_request({ request }) {\n    return { content: { text: request.content.text } };\n  }\n}\n"
	cases := []struct {
		name      string
		script    string
		kind      client.IntegrationType
		transpile bool
		want      []finding
	}{
		{name: "valid incoming", script: incomingScript, kind: client.IncomingType, transpile: true},
		{name: "regular expression with a bracket", kind: client.IncomingType, transpile: true,
			script: "class Script { process_incoming_request({ request }) { return /\\)/.test(request.content_raw) && /[/]/; } }"},
		{name: "modern syntax", kind: client.IncomingType, transpile: true,
			script: "class Script {\n  #n = 0;\n  static { this.x ??= 1; }\n  async process_incoming_request({ request }) {\n    const { a = 1, ...rest } = request.content ?? {};\n    for await (const x of []) {}\n    return { content: { text: `${a}${rest?.b ?? ''}${1_000n}` } };\n  }\n}\n"},
		{name: "const without a name", script: "class Script {\n  process_incoming_request() {\n    const = 5;\n  }\n}", kind: client.IncomingType, transpile: true,
			want: []finding{{diag.SeverityError, "script", "The script does not compile",
				[]string{"Line 3, column 11: Expected identifier but found \"=\"", "  3 |     const = 5;\n    |           ^", "compile error in script_error"}}}},
		{name: "strict mode under Babel", script: "class Script { process_incoming_request() { return 1; } }\nvar mode = 010;", kind: client.IncomingType, transpile: true,
			want: []finding{{diag.SeverityError, "script", "The script does not compile",
				[]string{"Line 2, column 12: Legacy octal literals", "ECMAScript module, where strict-mode rules apply"}}}},
		{name: "sloppy mode with skip_transpile", script: "class Script { process_incoming_request() { return 1; } }\nvar mode = 010;", kind: client.IncomingType},
		{name: "top-level return with skip_transpile", script: "class Script { process_incoming_request() { return 1; } }\nreturn;", kind: client.IncomingType},
		{name: "top-level return under Babel", script: "class Script { process_incoming_request() { return 1; } }\nreturn;", kind: client.IncomingType, transpile: true,
			want: []finding{{diag.SeverityError, "script", "The script does not compile", []string{"Line 2, column 1: Top-level return"}}}},
		{name: "error on the first line with skip_transpile", script: "let = ;", kind: client.IncomingType,
			want: []finding{{diag.SeverityError, "script", "The script does not compile", []string{"Line 1, column 7: Unexpected \";\"", "  1 | let = ;\n    |       ^"}}}},
		{name: "last line a comment with skip_transpile", script: incomingScript + "// done", kind: client.IncomingType,
			want: []finding{{diag.SeverityError, "script", "The script does not compile", []string{"Line 6, column 8:", "comments out the closing `})`"}}}},
		{name: "last line a comment under Babel", script: incomingScript + "// done", kind: client.IncomingType, transpile: true},
		{name: "unterminated template", script: "class Script {}\nconst s = `abc", kind: client.IncomingType, transpile: true,
			want: []finding{{diag.SeverityError, "script", "The script does not compile", []string{"Line 2, column 15: Unterminated"}}}},
		{name: "strings hidden in the code frame", script: "class Script { process_incoming_request() {\n  const token = 'abc\\'def'; const = 1;\n} }", kind: client.IncomingType, transpile: true,
			want: []finding{{diag.SeverityError, "script", "The script does not compile", []string{"  2 |   const token = '********'; const = 1;\n    |                                   ^"}}}},
		{name: "comments hidden in the code frame", script: "class Script { process_incoming_request() {\n  const = 1; // token s3cr3t\n} }", kind: client.IncomingType, transpile: true,
			want: []finding{{diag.SeverityError, "script", "The script does not compile", []string{"  2 |   const = 1; //*************\n    |         ^"}}}},
		{name: "tabs keep the caret in place", script: "class Script {\n\tprocess_incoming_request() {\n\t\tconst = 1;\n\t}\n}", kind: client.IncomingType, transpile: true,
			want: []finding{{diag.SeverityError, "script", "The script does not compile", []string{"  3 | \t\tconst = 1;\n    | \t\t      ^"}}}},
		{name: "no Script", script: "class Handler { process_incoming_request() {} }", kind: client.IncomingType, transpile: true,
			want: []finding{{diag.SeverityError, "script", "The script defines no Script class", []string{`"ReferenceError: Script is not defined"`, "class Script { process_incoming_request"}}}},
		{name: "a Script in a comment only", script: "// class Script\nclass Handler {}", kind: client.OutgoingType, transpile: true,
			want: []finding{{diag.SeverityError, "script", "The script defines no Script class", []string{"class Script { prepare_outgoing_request"}}}},
		{name: "lower-case script", script: "class script { process_incoming_request() {} }", kind: client.IncomingType,
			want: []finding{{diag.SeverityError, "script", "The script defines no Script class", nil}}},
		{name: "$Script is another name", script: "class $Script { process_incoming_request() {} }", kind: client.IncomingType, transpile: true,
			want: []finding{{diag.SeverityError, "script", "The script defines no Script class", nil}}},
		{name: "Script inside a function", script: "function make() { class Script { process_incoming_request() {} } return Script; }", kind: client.IncomingType, transpile: true,
			want: []finding{{diag.SeverityWarning, "script", "Script is not declared at the top level of the script", []string{"inside a function or block is not found"}}}},
		{name: "Script as a function", script: "function Script() {}\nScript.prototype.process_incoming_request = function () {};", kind: client.IncomingType, transpile: true},
		{name: "Script as a variable", script: "var Script = class { process_incoming_request() {} };", kind: client.IncomingType, transpile: true},
		{name: "incoming Script without its method", script: "class Script { prepare_outgoing_request() {} }", kind: client.IncomingType, transpile: true,
			want: []finding{{diag.SeverityWarning, "script", "The script's Script has no method Rocket.Chat calls",
				[]string{"Rocket.Chat calls process_incoming_request on the Script of an incoming integration, and this script never mentions it"}}}},
		{name: "outgoing Script without either method", script: "class Script { process_incoming_request() {} }", kind: client.OutgoingType, transpile: true,
			want: []finding{{diag.SeverityWarning, "script", "The script's Script has no method Rocket.Chat calls",
				[]string{"prepare_outgoing_request or process_outgoing_response on the Script of an outgoing integration, and this script never mentions either"}}}},
		{name: "outgoing Script with a response method only", script: "class Script { process_outgoing_response({ response }) { return { content: { text: response.content } }; } }", kind: client.OutgoingType, transpile: true},
		{name: "method as a class field", script: "class Script { process_incoming_request = ({ request }) => ({ content: { text: 'x' } }); }", kind: client.IncomingType, transpile: true},
		{name: "blank", script: " \n\t", kind: client.IncomingType, transpile: true},
		{name: "Store declared again", script: "var Store = {};\n" + incomingScript, kind: client.IncomingType, transpile: true,
			want: []finding{{diag.SeverityError, "script", "The script cannot run in Rocket.Chat", []string{"Line 1, column 5: The symbol \"Store\" has already been declared", "Use another name"}}}},
		{name: "top-level await", script: incomingScript + "const config = await Promise.resolve(1);\n", kind: client.IncomingType, transpile: true,
			want: []finding{{diag.SeverityError, "script", "The script cannot run in Rocket.Chat", []string{"Line 6, column 16: await is only valid", "Move it into an async method"}}}},
		{name: "import", script: "// helpers\nimport { format } from 'util';\n" + incomingScript, kind: client.IncomingType, transpile: true,
			want: []finding{{diag.SeverityError, "script", "The script cannot run in Rocket.Chat", []string{"Line 2, column 1: import and export statements", "ReferenceError: require is not defined"}}}},
		{name: "export", script: "export " + incomingScript, kind: client.IncomingType, transpile: true,
			want: []finding{{diag.SeverityError, "script", "The script cannot run in Rocket.Chat", []string{"Line 1, column 1: import and export"}}}},
		{name: "require of its own is left to run time", script: "class Script { process_incoming_request() { return require('x'); } }", kind: client.IncomingType, transpile: true},
		{name: "import.meta under Babel", script: "class Script {\n  process_incoming_request() { return { content: { text: import.meta.url } }; }\n}", kind: client.IncomingType, transpile: true,
			want: []finding{{diag.SeverityError, "script", "The script cannot run in Rocket.Chat", []string{"Line 2, column 58: Cannot use 'import.meta' outside a module"}}}},
		{name: "import.meta with skip_transpile", script: "class Script {\n  process_incoming_request() { return { content: { text: import.meta.url } }; }\n}", kind: client.IncomingType,
			want: []finding{{diag.SeverityError, "script", "The script does not compile", []string{"Line 2, column 58: Cannot use 'import.meta' outside a module"}}}},
		{name: "hashbang", script: "#!/usr/bin/env node\n" + incomingScript, kind: client.IncomingType, transpile: true,
			want: []finding{{diag.SeverityError, "script", "The script cannot run in Rocket.Chat", []string{"Line 1, column 2:"}}}},
		{name: "decorator", script: "function log(c) { return c; }\n  @log\n" + incomingScript, kind: client.IncomingType, transpile: true,
			want: []finding{{diag.SeverityError, "script", "The script does not compile", []string{"Line 2, column 3: Decorators", "  2 |   @log\n    |   ^"}}}},
		{name: "assignment to a call with skip_transpile", script: "class Script { process_incoming_request({ request }) { request.get() = 5; } }", kind: client.IncomingType},
		{name: "assignment to a call under Babel", script: "class Script { process_incoming_request({ request }) { request.get() = 5; } }", kind: client.IncomingType, transpile: true,
			want: []finding{{diag.SeverityError, "script", "The script does not compile", []string{"Invalid assignment target"}}}},
		{name: "assignment to a literal with skip_transpile", script: "class Script { process_incoming_request() { 1 = 5; } }", kind: client.IncomingType,
			want: []finding{{diag.SeverityError, "script", "The script does not compile", []string{"Invalid assignment target"}}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			expectFindings(t, checkScriptSource(tc.script, tc.kind, tc.transpile), tc.want)
		})
	}
}

func TestScriptSettings(t *testing.T) {
	const valid = "class Script { process_incoming_request() { return { content: { text: 'x' } }; } }"
	cases := []struct {
		name    string
		model   integrationModel
		want    []finding
		checked bool
	}{
		{name: "script without script_enabled", model: integrationModel{Script: types.StringValue(valid), ScriptEnabled: types.BoolNull()},
			want: []finding{{diag.SeverityWarning, "script", "The script will not run", []string{"script_enabled is not true, so Rocket.Chat neither compiles nor runs the script"}}}},
		{name: "script with script_enabled false", model: integrationModel{Script: types.StringValue("const = 1"), ScriptEnabled: types.BoolValue(false)},
			want: []finding{{diag.SeverityWarning, "script", "The script will not run", nil}}},
		{name: "script_enabled without a script", model: integrationModel{Script: types.StringNull(), ScriptEnabled: types.BoolValue(true)},
			want: []finding{{diag.SeverityWarning, "script_enabled", "script_enabled has no script to run", []string{"as if it had no script"}}}},
		{name: "script_enabled with a blank script", model: integrationModel{Script: types.StringValue("  \n"), ScriptEnabled: types.BoolValue(true)},
			want: []finding{{diag.SeverityWarning, "script_enabled", "script_enabled has no script to run", nil}}},
		{name: "neither", model: integrationModel{Script: types.StringNull(), ScriptEnabled: types.BoolNull()}},
		{name: "enabled and valid", model: integrationModel{Script: types.StringValue(valid), ScriptEnabled: types.BoolValue(true)}},
		{name: "enabled and broken", model: integrationModel{Script: types.StringValue("const = 1"), ScriptEnabled: types.BoolValue(true)},
			want: []finding{{diag.SeverityError, "script", "The script does not compile", []string{"Line 1, column 7: Expected identifier"}}}},
		{name: "skip_transpile reads sloppy mode", model: integrationModel{Script: types.StringValue(valid + "\nwith (Math) { max(1, 2); }"), ScriptEnabled: types.BoolValue(true), SkipTranspile: types.BoolValue(true)}},
		{name: "skip_transpile false reads a module", model: integrationModel{Script: types.StringValue(valid + "\nwith (Math) { max(1, 2); }"), ScriptEnabled: types.BoolValue(true), SkipTranspile: types.BoolValue(false)},
			want: []finding{{diag.SeverityError, "script", "The script does not compile", []string{"Line 2, column 1: With statements"}}}},
		{name: "unknown script", model: integrationModel{Script: types.StringUnknown(), ScriptEnabled: types.BoolValue(true)}},
		{name: "unknown script_enabled", model: integrationModel{Script: types.StringValue("const = 1"), ScriptEnabled: types.BoolUnknown()}},
		{name: "unknown skip_transpile", model: integrationModel{Script: types.StringValue("const = 1"), ScriptEnabled: types.BoolValue(true), SkipTranspile: types.BoolUnknown()}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			expectFindings(t, tc.model.checkScriptSettings(client.IncomingType), tc.want)
		})
	}
}

func expectFindings(t *testing.T, got diag.Diagnostics, want []finding) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %d findings, want %d: %v", len(got), len(want), got)
	}
	for i, w := range want {
		d := got[i]
		withPath, ok := d.(diag.DiagnosticWithPath)
		if !ok || !withPath.Path().Equal(path.Root(w.at)) || d.Severity() != w.severity || d.Summary() != w.summary {
			t.Errorf("finding %d: got %v %q at %v, want %v %q at %s", i, d.Severity(), d.Summary(), pathOf(d), w.severity, w.summary, w.at)
		}
		for _, text := range w.detail {
			if !strings.Contains(d.Detail(), text) {
				t.Errorf("finding %d lacks %q:\n%s", i, text, d.Detail())
			}
		}
	}
}

func pathOf(d diag.Diagnostic) any {
	if withPath, ok := d.(diag.DiagnosticWithPath); ok {
		return withPath.Path()
	}
	return nil
}

// TestScriptsGuideExamplesPass keeps the scripts guide honest: every
// JavaScript example in it passes the plan-time check without a finding.
func TestScriptsGuideExamplesPass(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", "templates", "guides", "scripts.md.tmpl"))
	if err != nil {
		t.Fatal(err)
	}
	blocks := strings.Split(string(data), "```javascript\n")[1:]
	if len(blocks) == 0 {
		t.Fatal("the guide has no JavaScript example")
	}
	for i, b := range blocks {
		script, _, _ := strings.Cut(b, "```")
		if got := checkScriptSource(script, client.IncomingType, true); len(got) > 0 {
			t.Errorf("example %d: %v", i+1, got)
		}
	}
}

// BenchmarkScriptCheck measures what the plan-time check of one script
// costs, the first time (the demo's Alertmanager script, valid and with a
// syntax error) and again, when the process has read the script before.
func BenchmarkScriptCheck(b *testing.B) {
	data, err := os.ReadFile(filepath.Join("..", "..", "examples", "demo", "scripts", "alertmanager.js"))
	if err != nil {
		b.Fatal(err)
	}
	valid, broken := string(data), strings.Replace(string(data), "const firing = ", "const = ", 1)
	for _, bc := range []struct {
		name   string
		script string
		check  func(string, client.IntegrationType, bool) diag.Diagnostics
	}{
		{"first/valid", valid, readScript},
		{"first/syntax error", broken, readScript},
		{"again/valid", valid, checkScriptSource},
	} {
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				bc.check(bc.script, client.IncomingType, true)
			}
		})
	}
}
