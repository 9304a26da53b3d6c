package provider

import (
	"fmt"
	"regexp"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/evanw/esbuild/pkg/api"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/terraform-rocketchat/terraform-provider-rocketchat/internal/client"
)

// The plan-time script check reads a script as Rocket.Chat's compile step
// does (compileIntegrationScript): with Babel, whose default source type is
// an ECMAScript module, so strict-mode rules apply; or, with skip_transpile,
// as node's vm.Script reads `(function(){<script>})`, a sloppy function body.
// esbuild's parser stands in for both: it is pure Go, maintained, and agrees
// with Babel and V8 on the golden corpus in testdata/scripts.

// scriptMethods are the methods Rocket.Chat calls on an integration's Script
// instance, by kind; for outgoing integrations either one makes the script useful.
var scriptMethods = map[client.IntegrationType][]string{
	client.IncomingType: {"process_incoming_request"},
	client.OutgoingType: {"prepare_outgoing_request", "process_outgoing_response"},
}

// vmWrapperStart is what Rocket.Chat puts before a script it checks with
// vm.Script; the wrapper closes with "})" right after the script, without a
// line break, so a script ending in a line comment does not compile either.
const vmWrapperStart = "(function(){"

// moduleEnd turns what esbuild reads into an ECMAScript module, as Babel
// reads a script, without changing the lines of the script.
const moduleEnd = "\n;export {};"

// declaresScript asks esbuild whether Script is declared at the top level.
const declaresScript = "\n;export { Script };"

// scriptSyntaxError is where and why a script does not compile.
type scriptSyntaxError struct {
	line, column int // 1-based; column counts characters
	text         string
	lineText     string
}

// checkScriptSource reports what Rocket.Chat would make of a script that
// script_enabled turns on: a syntax error or a missing Script class as an
// error, a Script without the method the kind needs as a warning.
func checkScriptSource(script string, kind client.IntegrationType, transpile bool) diag.Diagnostics {
	// Terraform validates a configuration several times in one run, and
	// for_each often repeats one script: each is read once per process.
	key := scriptCheckKey{script: script, kind: kind, transpile: transpile}
	if found, ok := scriptChecks.Load(key); ok {
		return found.(diag.Diagnostics)
	}
	diags := readScript(script, kind, transpile)
	scriptChecks.Store(key, diags)
	return diags
}

type scriptCheckKey struct {
	script    string
	kind      client.IntegrationType
	transpile bool
}

// scriptChecks holds the findings of every script checked by this process.
var scriptChecks sync.Map

// readScript is checkScriptSource without the cache.
func readScript(script string, kind client.IntegrationType, transpile bool) diag.Diagnostics {
	var diags diag.Diagnostics
	at := path.Root("script")
	if strings.TrimSpace(script) == "" {
		return diags
	}
	if e := findScriptSyntaxError(script, transpile); e != nil {
		diags.AddAttributeError(at, "The script does not compile",
			fmt.Sprintf("Line %d, column %d: %s\n\n%s\n\nRocket.Chat would save the %s with this compile error in script_error "+
				"and run it as if it had no script.%s Fix the script, or set script_enabled = false.",
				e.line, e.column, e.text, codeFrame(e), kindName(kind), syntaxHint(e, script, transpile)))
		return diags
	}
	e, why, code := findRunError(script)
	if e != nil {
		diags.AddAttributeError(at, "The script cannot run in Rocket.Chat",
			fmt.Sprintf("Line %d, column %d: %s\n\n%s\n\n%s", e.line, e.column, e.text, codeFrame(e), why))
		return diags
	}
	// code is the script as esbuild prints it, without comments: a name
	// that appears there was written as code (or inside a string).
	if !mentions(code, "Script") {
		diags.AddAttributeError(at, "The script defines no Script class",
			"Rocket.Chat runs a script by creating `new Script()`, and this script never mentions Script, so every run "+
				"would fail with \"ReferenceError: Script is not defined\". Define the class at the top level, e.g. "+
				exampleScript(kind)+".")
		return diags
	}
	if !declaresTopLevelScript(script) {
		diags.AddAttributeWarning(at, "Script is not declared at the top level of the script",
			"Rocket.Chat creates `new Script()` after running the script's top level, so Script must be declared there ("+
				exampleScript(kind)+"); a Script declared inside a function or block is not found.")
	}
	methods := scriptMethods[kind]
	for _, m := range methods {
		if mentions(code, m) {
			return diags
		}
	}
	diags.AddAttributeWarning(at, "The script's Script has no method Rocket.Chat calls",
		fmt.Sprintf("Rocket.Chat calls %s on the Script of an %s, and this script never mentions %s, so it "+
			"would do nothing. Add the method, e.g. %s.", strings.Join(methods, " or "), kindName(kind),
			map[bool]string{true: "it", false: "either"}[len(methods) == 1], exampleScript(kind)))
	return diags
}

// checkScriptSettings reports a script that will not run: one that is set
// while script_enabled is false, and script_enabled without a script. When
// the script will run, it is checked with checkScriptSource.
func (m *integrationModel) checkScriptSettings(kind client.IntegrationType) diag.Diagnostics {
	var diags diag.Diagnostics
	if m.Script.IsUnknown() || m.ScriptEnabled.IsUnknown() || m.SkipTranspile.IsUnknown() {
		return diags // checked at apply, when the values are known
	}
	hasScript := strings.TrimSpace(m.Script.ValueString()) != ""
	enabled := m.ScriptEnabled.ValueBool()
	switch {
	case hasScript && !enabled:
		diags.AddAttributeWarning(path.Root("script"), "The script will not run",
			"script_enabled is not true, so Rocket.Chat neither compiles nor runs the script. Set script_enabled = true, "+
				"or remove script.")
	case !hasScript && enabled:
		diags.AddAttributeWarning(path.Root("script_enabled"), "script_enabled has no script to run",
			"script_enabled is true but script is empty, so Rocket.Chat runs the integration as if it had no script. "+
				"Set script, or remove script_enabled.")
	case hasScript:
		diags.Append(checkScriptSource(m.Script.ValueString(), kind, !m.SkipTranspile.ValueBool())...)
	}
	return diags
}

// runPrefix stands for what Rocket.Chat runs before a compiled script: it
// declares Store, the key-value store scripts keep between runs
// (getCompatibilityScript). It is one line, so the script's lines keep
// their numbers plus one.
const runPrefix = "const Store = {};\n"

// findRunError finds what makes a script that compiles fail when Rocket.Chat
// runs it: the compiled code is placed in a classic script (not a module)
// after Store is declared, with no require or exports. It returns where,
// and why in words.
func findRunError(script string) (e *scriptSyntaxError, why, code string) {
	lines := strings.Split(script, "\n")
	r := transformAsV8Reads(runPrefix+script+"\n;", api.TransformOptions{
		Loader: api.LoaderJS, Format: api.FormatCommonJS, MinifyWhitespace: true, LegalComments: api.LegalCommentsNone,
	})
	const classic = "Rocket.Chat runs the script as a classic script, not as a module"
	for _, m := range append(r.Errors, r.Warnings...) {
		if m.Location == nil || m.Location.Line < 2 {
			continue
		}
		if len(r.Errors) == 0 && m.ID != "empty-import-meta" {
			continue // other warnings are not failures
		}
		loc := *m.Location
		loc.Line--
		m.Location = &loc
		why := "Rocket.Chat would save the script without an error, but every run would fail here: " + classic + "."
		switch {
		case m.Text == `The symbol "Store" has already been declared`:
			why = "Rocket.Chat declares Store (the key-value store scripts keep between runs) just before the script, so " +
				"declaring it again fails every run with \"SyntaxError: Identifier 'Store' has already been declared\". Use another name."
		case strings.HasPrefix(m.Text, "Top-level await"):
			m.Text = "await is only valid in async functions and the top level bodies of modules"
			why = classic + ", so await at the top level fails every run. Move it into an async method of Script."
		case m.ID == "empty-import-meta":
			m.Text = "Cannot use 'import.meta' outside a module"
			why = classic + ", so import.meta fails every run. Remove it."
		}
		return placeError(m, lines, 0), why, ""
	}
	code = string(r.Code)
	if strings.Contains(code, "__toCommonJS(") ||
		(strings.Contains(code, "require(") && strings.Count(code, "require(") > strings.Count(minifiedScript(script), "require(")) {
		e := &scriptSyntaxError{text: "import and export statements need a module system"}
		e.line, e.column, e.lineText = firstLineMatching(lines, moduleStatement)
		return e, classic + ", with no module system: Babel turns import and export into require and exports, which do not " +
			"exist there (\"ReferenceError: require is not defined\"). Remove them; scripts cannot load other code.", ""
	}
	return nil, "", code
}

var moduleStatement = regexp.MustCompile(`^\s*(import|export)\b`)

// syntaxHint explains the errors that come from how Rocket.Chat reads a
// script rather than from the script alone.
func syntaxHint(e *scriptSyntaxError, script string, transpile bool) string {
	switch {
	case transpile && (strings.Contains(e.text, "strict mode") || strings.Contains(e.text, "ECMAScript module")):
		return " Rocket.Chat transpiles the script with Babel, which reads it as an ECMAScript module, where " +
			"strict-mode rules apply."
	case !transpile && !strings.HasSuffix(script, "\n") && e.line == strings.Count(script, "\n")+1 &&
		strings.Contains(hideStrings(e.lineText), "//"):
		return " With skip_transpile, Rocket.Chat checks the script as `(function(){<script>})`, so a script " +
			"whose last line ends in a // comment comments out the closing `})`: end the script with a line break."
	}
	return ""
}

// findScriptSyntaxError returns the first syntax error Rocket.Chat's compile
// step would meet, with its position in the script.
func findScriptSyntaxError(script string, transpile bool) *scriptSyntaxError {
	lines := strings.Split(script, "\n")
	if !transpile {
		if e := vmSyntaxError(script, lines); e != nil {
			return e
		}
		return decoratorError(script, lines)
	}
	if msgs := esbuildErrors(script + moduleEnd); len(msgs) > 0 {
		// An unterminated string or comment is found in what is added after
		// the script; read alone, the script places it in itself.
		if loc := msgs[0].Location; loc != nil && loc.Line > len(lines) {
			if alone := esbuildErrors(script); len(alone) > 0 {
				return placeError(alone[0], lines, 0)
			}
		}
		return placeError(msgs[0], lines, 0)
	}
	return decoratorError(script, lines)
}

// vmSyntaxError is vm.Script's verdict on `(function(){<script>})`. V8
// refuses an assignment to a call (`f() = 1`) only when it runs, where
// esbuild refuses it at once: such an assignment is turned into a
// comparison and the script read again.
func vmSyntaxError(script string, lines []string) *scriptSyntaxError {
	r := transformAsV8Reads(vmWrapperStart+script+"})", api.TransformOptions{Loader: api.LoaderJS, Format: api.FormatCommonJS})
	if len(r.Errors) > 0 {
		return placeError(r.Errors[0], lines, len(vmWrapperStart))
	}
	// esbuild only warns that import.meta will be empty outside a module.
	for _, w := range r.Warnings {
		if w.ID == "empty-import-meta" {
			w.Text = "Cannot use 'import.meta' outside a module"
			return placeError(w, lines, len(vmWrapperStart))
		}
	}
	return nil
}

// transformAsV8Reads transforms src, except that an assignment to a call,
// which V8 refuses only when it runs, is turned into a comparison first.
func transformAsV8Reads(src string, opts api.TransformOptions) api.TransformResult {
	opts.LogLevel = api.LogLevelSilent
	for {
		r := api.Transform(src, opts)
		if len(r.Errors) == 0 {
			return r
		}
		patched, ok := callTargetAsComparison(src, r.Errors[0])
		if !ok {
			return r
		}
		src = patched
	}
}

// callTargetAsComparison rewrites the `=` of an assignment whose target is a
// call, where esbuild reports "Invalid assignment target", into `==`.
func callTargetAsComparison(src string, m api.Message) (string, bool) {
	loc := m.Location
	if m.Text != "Invalid assignment target" || loc == nil {
		return "", false
	}
	lineStart := 0
	for range loc.Line - 1 {
		lineStart += strings.IndexByte(src[lineStart:], '\n') + 1
	}
	rest := src[lineStart+loc.Column:]
	eq := strings.Index(rest, "=")
	if eq <= 0 || strings.HasPrefix(rest[eq:], "==") || !strings.HasSuffix(strings.TrimSpace(rest[:eq]), ")") {
		return "", false
	}
	at := lineStart + loc.Column + eq
	return src[:at] + "==" + src[at+1:], true
}

// decoratorError refuses decorators, which esbuild reads but Rocket.Chat's
// Babel (without the decorators plugin) and V8 do not.
func decoratorError(script string, lines []string) *scriptSyntaxError {
	r := api.Transform(script, api.TransformOptions{
		Loader:    api.LoaderJS,
		Supported: map[string]bool{"decorators": false},
		LogLevel:  api.LogLevelSilent,
	})
	if len(r.Errors) > 0 || !strings.Contains(string(r.Code), "__decorateElement") {
		return nil
	}
	e := &scriptSyntaxError{text: "Decorators (@name before a class or member) are not JavaScript that Rocket.Chat accepts"}
	e.line, e.column, e.lineText = firstLineMatching(lines, decoratorLine)
	return e
}

var decoratorLine = regexp.MustCompile(`^\s*@[\w$]`)

// firstLineMatching finds the first line that matches, for findings esbuild
// gives no position for; the column is the line's first non-blank character.
func firstLineMatching(lines []string, re *regexp.Regexp) (line, column int, text string) {
	for i, l := range lines {
		if re.MatchString(l) {
			return i + 1, utf8.RuneCountInString(l[:len(l)-len(strings.TrimLeft(l, " \t"))]) + 1, l
		}
	}
	return 1, 1, lines[0]
}

func esbuildErrors(src string) []api.Message {
	r := api.Transform(src, api.TransformOptions{
		Loader:   api.LoaderJS,
		Target:   api.ESNext,
		LogLevel: api.LogLevelSilent,
	})
	return r.Errors
}

// placeError maps an esbuild message to the script's own lines: shift is
// what a wrapper added before the script's first line, and a position past
// the script (in what the wrapper added after it) is the script's end.
func placeError(m api.Message, lines []string, shift int) *scriptSyntaxError {
	e := &scriptSyntaxError{text: m.Text, line: len(lines)}
	last := lines[len(lines)-1]
	e.lineText, e.column = last, utf8.RuneCountInString(last)+1
	if loc := m.Location; loc != nil && loc.Line <= len(lines) {
		byteCol := loc.Column
		if loc.Line == 1 {
			byteCol -= shift
		}
		lineText := lines[loc.Line-1]
		if byteCol >= 0 && byteCol <= len(lineText) {
			e.line, e.lineText = loc.Line, lineText
			e.column = utf8.RuneCountInString(lineText[:byteCol]) + 1
		}
	}
	return e
}

// codeFrame shows the line of an error with a caret under its column, the
// way Babel does. String and comment contents are hidden: a script may hold
// a secret, and Terraform does not say when a value is sensitive.
func codeFrame(e *scriptSyntaxError) string {
	gutter := fmt.Sprintf("%d | ", e.line)
	shown := hideStrings(e.lineText)
	var caret strings.Builder
	for i, r := range []rune(shown) {
		if i >= e.column-1 {
			break
		}
		if r == '\t' {
			caret.WriteRune('\t')
		} else {
			caret.WriteRune(' ')
		}
	}
	return "  " + gutter + shown + "\n  " + strings.Repeat(" ", len(gutter)-2) + "| " + caret.String() + "^"
}

// hideStrings replaces the characters inside quotes and after // on one line
// with '*', keeping the line's length so that a caret still points at the
// right column.
func hideStrings(line string) string {
	out := []rune(line)
	var quote rune
	for i := 0; i < len(out); i++ {
		r := out[i]
		switch {
		case quote == 0 && (r == '\'' || r == '"' || r == '`'):
			quote = r
		case quote == 0 && r == '/' && i+1 < len(out) && out[i+1] == '/':
			for j := i + 2; j < len(out); j++ {
				out[j] = '*' // a comment may hold a secret too
			}
			return string(out)
		case quote != 0 && r == quote:
			quote = 0
		case quote != 0 && r == '\\' && i+1 < len(out):
			out[i], out[i+1] = '*', '*'
			i++
		case quote != 0:
			out[i] = '*'
		}
	}
	return string(out)
}

// minifiedScript is the script as esbuild prints it without comments.
func minifiedScript(script string) string {
	r := api.Transform(script, api.TransformOptions{
		Loader:           api.LoaderJS,
		Target:           api.ESNext,
		MinifyWhitespace: true,
		LegalComments:    api.LegalCommentsNone,
		LogLevel:         api.LogLevelSilent,
	})
	return string(r.Code)
}

// mentions reports whether name appears in code as a whole word.
func mentions(code, name string) bool {
	return regexp.MustCompile(`(^|[^\w$])` + regexp.QuoteMeta(name) + `($|[^\w$])`).MatchString(code)
}

// declaresTopLevelScript reports whether the script declares Script at its
// top level. It answers true when esbuild cannot read the script as a module
// (sloppy-mode syntax under skip_transpile): then it cannot tell, and the
// check must not warn wrongly.
func declaresTopLevelScript(script string) bool {
	msgs := esbuildErrors(script + declaresScript)
	return len(msgs) != 1 || msgs[0].Text != `"Script" is not declared in this file`
}

func exampleScript(kind client.IntegrationType) string {
	if kind == client.OutgoingType {
		return "`class Script { prepare_outgoing_request({ request }) { return request; } }`"
	}
	return "`class Script { process_incoming_request({ request }) { return { content: { text: request.content.text } }; } }`"
}
