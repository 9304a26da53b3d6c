package rocketchattest

import (
	"fmt"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/evanw/esbuild/pkg/api"
)

// applyCompile is what the integration methods do with compileIntegrationScript
// (SPEC.md §S1): an enabled, non-blank script is compiled with
// {transpile: !skipTranspile}; the document keeps either scriptCompiled or
// scriptError, and a failed compile is not an API error.
func applyCompile(doc map[string]any, script string, skipTranspile bool) {
	compiled, scriptError := compileScript(script, !skipTranspile)
	if scriptError != nil {
		doc["scriptError"] = scriptError
		delete(doc, "scriptCompiled")
		return
	}
	doc["scriptCompiled"] = compiled
	delete(doc, "scriptError")
}

const (
	// strictPrologue makes esbuild parse the script as Babel parses a module:
	// in strict mode. It sits on line 1, so columns there are shifted back.
	strictPrologue = `"use strict";`
	// moduleEpilogue marks the file as an ECMAScript module, which refuses a
	// top-level return and allows a top-level await, as Babel's module goal does.
	moduleEpilogue = "\nexport {};\n"
	// functionPrologue and functionEpilogue are the wrapper validateOnly hands
	// to vm.Script when the script is not transpiled.
	functionPrologue = "(function(){"
	functionEpilogue = "})"
)

// compileScript is compileIntegrationScript. With transpile the script is
// checked as Babel's default parse checks it (a strict-mode module) and the
// stored code is esbuild's output; without, it is checked as the body of a
// sloppy-mode function and stored as it was sent. The stored code differs
// from Babel's ES5 output but runs the same in the engine (SPEC.md §S1).
func compileScript(script string, transpile bool) (compiled string, scriptError map[string]any) {
	compiled, problem := checkScript(script, transpile)
	switch {
	case problem == nil:
		return compiled, nil
	case transpile:
		return "", babelSyntaxError(script, *problem)
	default:
		return "", v8SyntaxError(script, *problem)
	}
}

// checkScript is compileScript with the first syntax error as a position in
// the script itself: 1-based line, 0-based column in UTF-16 units.
func checkScript(script string, transpile bool) (string, *syntaxProblem) {
	if !transpile {
		if p := checkAsVMScript(script); p != nil {
			return "", p.shifted(len(functionPrologue), script)
		}
		if p := decoratorProblem(script); p != nil {
			return "", p
		}
		return script, nil
	}
	if p := decoratorProblem(script); p != nil {
		return "", p
	}
	// A hashbang is legal only at the very start, where the prologue goes:
	// it is checked as the line comment of the same length it is.
	hashbang := ""
	if strings.HasPrefix(script, "#!") {
		hashbang, _, _ = strings.Cut(script, "\n")
		script = "//" + script[2:]
	}
	checked := transformJS(strictPrologue+script+moduleEpilogue, api.FormatESModule)
	if p := firstError(checked); p != nil {
		return "", p.shifted(len(strictPrologue), script)
	}
	// Babel turns import and export into require() and exports, which the
	// engine lacks; esbuild's CommonJS output fails there the same way.
	if cjs := transformJS(script, api.FormatCommonJS); hashbang == "" && len(cjs.Errors) == 0 && usesModuleSyntax(string(cjs.Code), script) {
		return strings.TrimSuffix(string(cjs.Code), "\n"), nil
	}
	// Otherwise the module's own output: top-level `this` is undefined, as
	// in Babel's. A top-level await stays and fails when the engine compiles
	// the wrapper.
	code := strings.TrimSuffix(string(checked.Code), "\n")
	code = strings.TrimSuffix(code, "export{};")
	// The prologue's directive is left out: in the wrapper it would be a
	// plain expression anyway, as Babel's "use strict" is.
	code = strings.TrimPrefix(code, strictPrologue)
	if hashbang != "" {
		// Babel keeps the hashbang in its output, where the wrapper cannot
		// compile it; so is it kept here.
		code = hashbang + "\n" + code
	}
	return code, nil
}

// checkAsVMScript is vm.Script's verdict on the wrapped script, as a
// position in the wrapped text. Two of V8's rules differ from esbuild's:
// V8 refuses an assignment to a call (`f() = 1`) only when it runs, so such
// an assignment is read again as a comparison; and it refuses import.meta
// outside a module, where esbuild only warns.
func checkAsVMScript(script string) *syntaxProblem {
	src := functionPrologue + script + functionEpilogue
	for {
		r := transformJS(src, api.FormatCommonJS)
		p := firstError(r)
		if p == nil {
			for _, w := range r.Warnings {
				if w.ID == "empty-import-meta" && w.Location != nil {
					return &syntaxProblem{text: "Cannot use 'import.meta' outside a module", line: w.Location.Line,
						lineText: w.Location.LineText, column: utf16Column(w.Location.LineText, w.Location.Column)}
				}
			}
			return nil
		}
		patched, ok := assignmentToCallAsComparison(src, r.Errors[0])
		if !ok {
			return p
		}
		src = patched
	}
}

// assignmentToCallAsComparison turns the `=` after a call that esbuild calls
// an invalid assignment target into `==`.
func assignmentToCallAsComparison(src string, e api.Message) (string, bool) {
	if e.Text != "Invalid assignment target" || e.Location == nil {
		return "", false
	}
	at := 0
	for range e.Location.Line - 1 {
		at += strings.IndexByte(src[at:], '\n') + 1
	}
	at += e.Location.Column
	eq := strings.IndexByte(src[at:], '=')
	if eq <= 0 || strings.HasPrefix(src[at+eq:], "==") || !strings.HasSuffix(strings.TrimSpace(src[at:at+eq]), ")") {
		return "", false
	}
	return src[:at+eq] + "=" + src[at+eq:], true
}

// decoratorProblem refuses decorators, which esbuild parses and lowers but
// neither Babel (without its decorators plugin) nor V8 accepts. esbuild gives
// no position for them, so the first line that starts with @name is taken.
func decoratorProblem(script string) *syntaxProblem {
	r := api.Transform(script, api.TransformOptions{
		Loader: api.LoaderJS, LogLevel: api.LogLevelSilent, Supported: map[string]bool{"decorators": false},
	})
	if len(r.Errors) > 0 || !strings.Contains(string(r.Code), "__decorateElement") {
		return nil
	}
	for i, line := range strings.Split(script, "\n") {
		if trimmed := strings.TrimLeft(line, " \t"); strings.HasPrefix(trimmed, "@") {
			return &syntaxProblem{text: "Support for the experimental syntax 'decorators' isn't currently enabled",
				line: i + 1, column: utf16Len(line) - utf16Len(trimmed), lineText: line}
		}
	}
	return &syntaxProblem{text: "Support for the experimental syntax 'decorators' isn't currently enabled", line: 1}
}

// shifted moves a position found in prologue+script+epilogue into script:
// line 1 loses the prologue's columns, and a position in the epilogue's
// lines is the end of the script.
func (p *syntaxProblem) shifted(prologue int, script string) *syntaxProblem {
	q := *p
	lines := strings.Split(script, "\n")
	if q.line == 1 {
		q.column -= prologue
	}
	if q.line > len(lines) {
		q.line = len(lines)
		q.column = utf16Len(lines[q.line-1])
	}
	q.line = max(q.line, 1)
	q.column = max(q.column, 0)
	q.lineText = lines[q.line-1]
	return &q
}

// usesModuleSyntax tells whether esbuild's CommonJS output of script needed
// require() or module.exports, i.e. whether the script imports or exports.
func usesModuleSyntax(cjs, script string) bool {
	plain := string(transformJS(script, api.FormatDefault).Code)
	for _, marker := range []string{"require(", "module.exports", "__toCommonJS"} {
		if strings.Contains(cjs, marker) && !strings.Contains(plain, marker) {
			return true
		}
	}
	return false
}

// transformJS runs esbuild over a whole script. Async generators and
// for-await are lowered because goja lacks them.
func transformJS(src string, format api.Format) api.TransformResult {
	return api.Transform(src, api.TransformOptions{
		Loader:           api.LoaderJS,
		Format:           format,
		Target:           api.ESNext,
		MinifyWhitespace: true,
		LogLevel:         api.LogLevelSilent,
		// import() becomes a promise of require(), as Babel's module transform
		// makes it: the script runs and only a call fails.
		Supported: map[string]bool{"async-generator": false, "for-await": false, "dynamic-import": false},
	})
}

// syntaxProblem is esbuild's first error, at a 1-based line and a 0-based
// column counted in UTF-16 units as JavaScript counts them.
type syntaxProblem struct {
	text     string
	line     int
	column   int
	lineText string
}

func firstError(r api.TransformResult) *syntaxProblem {
	if len(r.Errors) == 0 {
		return nil
	}
	e := r.Errors[0]
	p := &syntaxProblem{text: e.Text}
	if e.Location != nil {
		p.line = e.Location.Line
		p.lineText = e.Location.LineText
		p.column = utf16Column(e.Location.LineText, e.Location.Column)
	}
	return p
}

// utf16Column turns esbuild's byte column into UTF-16 units.
func utf16Column(line string, byteCol int) int {
	if byteCol > len(line) {
		byteCol = len(line)
	}
	n := 0
	for _, r := range line[:byteCol] {
		n += len(utf16.Encode([]rune{r}))
	}
	return n
}

// babelSyntaxError is the error Babel's transformSync throws for a parse
// error: "unknown: <text> (<line>:<column>)", a blank line and the code
// frame of @babel/code-frame (two lines above, three below, no colours). The
// text is esbuild's wording, not Babel's.
func babelSyntaxError(script string, p syntaxProblem) map[string]any {
	lines := strings.Split(script, "\n")
	message := fmt.Sprintf("unknown: %s (%d:%d)\n\n%s", p.text, p.line, p.column, babelCodeFrame(lines, p.line, p.column))
	return map[string]any{
		"name":    "SyntaxError",
		"message": message,
		"stack":   "SyntaxError: " + message + "\n    at compileIntegrationScript",
	}
}

// babelCodeFrame is codeFrameColumns(code, {start: {line, column: column+1}}).
func babelCodeFrame(lines []string, line, column int) string {
	start := max(line-3, 0)
	end := min(len(lines), line+3)
	width := len(fmt.Sprint(end))
	var b strings.Builder
	for n := start + 1; n <= end; n++ {
		text := strings.TrimSuffix(lines[n-1], "\r")
		gutter := fmt.Sprintf(" %*d |", width, n)
		if n > start+1 {
			b.WriteByte('\n')
		}
		if n != line {
			b.WriteString(" " + gutter)
			if text != "" {
				b.WriteString(" " + text)
			}
			continue
		}
		b.WriteString(">" + gutter)
		if text != "" {
			b.WriteString(" " + text)
		}
		// The marker keeps the line's tabs so that it lines up under them.
		b.WriteString("\n " + strings.Repeat(" ", len(gutter)-1) + "| " + markerSpacing(text, column) + "^")
	}
	return b.String()
}

// markerSpacing is line.slice(0, column).replace(/[^\t]/g, " ").
func markerSpacing(line string, column int) string {
	var b strings.Builder
	units := 0
	for _, r := range line {
		if units >= column {
			break
		}
		if r == '\t' {
			b.WriteByte('\t')
		} else {
			b.WriteByte(' ')
		}
		units += len(utf16.Encode([]rune{r}))
	}
	return b.String()
}

func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n += len(utf16.Encode([]rune{r}))
	}
	if !utf8.ValidString(s) {
		return len(s)
	}
	return n
}

// v8SyntaxError is the SyntaxError vm.Script throws, with the stack Node
// decorates: the file name and line, the source line, a caret, a blank line,
// then the error. The line shown is the wrapped one. The text is esbuild's wording, not V8's.
func v8SyntaxError(script string, p syntaxProblem) map[string]any {
	text, column := p.lineText, p.column
	if p.line == 1 {
		text, column = functionPrologue+text, column+len(functionPrologue)
	}
	if p.line == len(strings.Split(script, "\n")) {
		text += functionEpilogue
	}
	stack := fmt.Sprintf("evalmachine.<anonymous>:%d\n%s\n%s^\n\nSyntaxError: %s\n    at new Script (node:vm:117:7)",
		p.line, text, markerSpacing(text, column), p.text)
	return map[string]any{"name": "SyntaxError", "message": p.text, "stack": stack}
}
