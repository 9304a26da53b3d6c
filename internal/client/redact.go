package client

import (
	"bytes"
	"encoding/json"
	"net/url"
	"sort"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// redacted replaces every secret in error texts.
const redacted = "***"

// excerptLimit bounds how much of an unexpected body an error shows.
const excerptLimit = 200

// secretSet holds every value that must never reach an error text or a log
// line: the configured auth token and password, login tokens, and every
// integration token seen in a request or an answer. It is safe for concurrent
// use.
type secretSet struct {
	mu     sync.RWMutex
	seen   map[string]struct{}
	forms  []string // each secret as it may appear in a body, longest first
	formOK map[string]struct{}
}

func newSecretSet() *secretSet {
	return &secretSet{seen: map[string]struct{}{}, formOK: map[string]struct{}{}}
}

// add registers secrets. Empty strings are ignored.
func (s *secretSet) add(values ...string) {
	var fresh []string
	s.mu.RLock()
	for _, v := range values {
		if v == "" {
			continue
		}
		if _, ok := s.seen[v]; !ok {
			fresh = append(fresh, v)
		}
	}
	s.mu.RUnlock()
	if len(fresh) == 0 {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	changed := false
	for _, v := range fresh {
		if _, ok := s.seen[v]; ok {
			continue
		}
		s.seen[v] = struct{}{}
		// A secret echoed inside a JSON string or a URL is escaped, so the
		// escaped spellings are redacted as well.
		for _, f := range secretForms(v) {
			if _, ok := s.formOK[f]; ok {
				continue
			}
			s.formOK[f] = struct{}{}
			s.forms = append(s.forms, f)
			changed = true
		}
	}
	if changed {
		// Longest first, so that a secret containing another is replaced whole.
		sort.SliceStable(s.forms, func(i, j int) bool { return len(s.forms[i]) > len(s.forms[j]) })
	}
}

func secretForms(v string) []string {
	forms := []string{v}
	for _, escapeHTML := range []bool{true, false} {
		var b bytes.Buffer
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(escapeHTML)
		if err := enc.Encode(v); err == nil {
			q := strings.TrimSuffix(b.String(), "\n")
			forms = append(forms, q[1:len(q)-1])
		}
	}
	// Some JSON encoders also escape "/".
	for _, f := range forms {
		if strings.Contains(f, "/") {
			forms = append(forms, strings.ReplaceAll(f, "/", `\/`))
		}
	}
	return append(forms, url.QueryEscape(v), url.PathEscape(v))
}

// redact replaces every registered secret in s.
func (s *secretSet) redact(str string) string {
	if str == "" {
		return str
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	for _, f := range s.forms {
		if strings.Contains(str, f) {
			str = strings.ReplaceAll(str, f, redacted)
		}
	}
	return str
}

// redactValue redacts every string inside a decoded JSON value, keys included.
func (s *secretSet) redactValue(v any) any {
	switch t := v.(type) {
	case string:
		return s.redact(t)
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, val := range t {
			out[s.redact(k)] = s.redactValue(val)
		}
		return out
	case []any:
		out := make([]any, len(t))
		for i, val := range t {
			out[i] = s.redactValue(val)
		}
		return out
	default:
		return v
	}
}

// excerpt makes a short, printable, secret-free extract of a body for an
// error message. Secrets are replaced before anything is cut, so that a
// secret split by the cut cannot leak in part.
func (s *secretSet) excerpt(body []byte) string {
	str := strings.ToValidUTF8(string(body), "\uFFFD")
	str = s.redact(str)
	var b strings.Builder
	space := false
	for _, r := range str {
		if unicode.IsSpace(r) {
			space = true
			continue
		}
		if unicode.IsControl(r) || r == utf8.RuneError {
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
		if b.Len() > excerptLimit {
			break
		}
	}
	out := b.String()
	if len(out) > excerptLimit {
		cut := excerptLimit
		for cut > 0 && !utf8.RuneStart(out[cut]) {
			cut--
		}
		out = out[:cut] + "…"
	}
	return out
}
