package rocketchattest

import "fmt"

// applyCompile stands in for compileIntegrationScript: Rocket.Chat compiles
// an enabled, non-blank script with Babel and stores either scriptCompiled or
// scriptError — a failed compile is not an API error (spec §3.1.4). This
// server cannot run Babel; it stores the script itself as the compiled code
// and reports unbalanced brackets, the commonest syntax error, as a
// SyntaxError. The message text is indicative only: Babel's wording differs.
func applyCompile(doc map[string]any, script string) {
	if line, col, ok := findSyntaxError(script); ok {
		msg := fmt.Sprintf("Unexpected token (%d:%d)", line, col)
		doc["scriptError"] = map[string]any{
			"name":    "SyntaxError",
			"message": msg,
			"stack":   "SyntaxError: " + msg + "\n    at compileIntegrationScript",
		}
		delete(doc, "scriptCompiled")
		return
	}
	doc["scriptCompiled"] = script
	delete(doc, "scriptError")
}

// findSyntaxError reports the position of the first bracket that does not
// match, skipping strings, template literals and comments.
func findSyntaxError(src string) (line, col int, found bool) {
	type open struct {
		ch        byte
		line, col int
	}
	var stack []open
	line, col = 1, 0
	closing := map[byte]byte{')': '(', ']': '[', '}': '{'}
	for i := 0; i < len(src); i++ {
		c := src[i]
		col++
		if c == '\n' {
			line, col = line+1, 0
			continue
		}
		switch {
		case c == '/' && i+1 < len(src) && src[i+1] == '/':
			for i < len(src) && src[i] != '\n' {
				i++
			}
			line, col = line+1, 0
		case c == '/' && i+1 < len(src) && src[i+1] == '*':
			i += 2
			for i+1 < len(src) && (src[i] != '*' || src[i+1] != '/') {
				if src[i] == '\n' {
					line, col = line+1, 0
				}
				i++
			}
			i++
		case c == '"' || c == '\'' || c == '`':
			for i++; i < len(src) && src[i] != c; i++ {
				switch src[i] {
				case '\\':
					i++
				case '\n':
					if c != '`' {
						return line, col, true
					}
					line, col = line+1, 0
				}
			}
			if i >= len(src) {
				return line, col, true
			}
		case c == '(' || c == '[' || c == '{':
			stack = append(stack, open{c, line, col})
		case c == ')' || c == ']' || c == '}':
			if len(stack) == 0 || stack[len(stack)-1].ch != closing[c] {
				return line, col, true
			}
			stack = stack[:len(stack)-1]
		}
	}
	if len(stack) > 0 {
		return line, col + 1, true
	}
	return 0, 0, false
}
