package rocketchattest

import (
	"math"
	"strconv"
	"strings"
)

// Rocket.Chat's handlers are JavaScript; these helpers give request values
// (decoded JSON: string, float64, bool, nil, []any, map[string]any) the
// JavaScript meaning the handlers rely on.

// truthy is JavaScript's Boolean(v). A missing key reads as nil, i.e. undefined.
func truthy(v any) bool {
	switch x := v.(type) {
	case nil:
		return false
	case bool:
		return x
	case string:
		return x != ""
	case float64:
		return x != 0 && !math.IsNaN(x)
	default: // arrays and objects, even empty ones
		return true
	}
}

// stringValue reports v as a string when it is one.
func stringValue(v any) (string, bool) {
	s, ok := v.(string)
	return s, ok
}

// isBlankString is `!x || x.trim() === ”` for a value that must be a string.
func isBlankString(v any) bool {
	s, ok := v.(string)
	return !ok || strings.TrimSpace(s) == ""
}

// stringArray is Match.test(v, [String]).
func stringArray(v any) ([]string, bool) {
	arr, ok := v.([]any)
	if !ok {
		return nil, false
	}
	out := make([]string, 0, len(arr))
	for _, item := range arr {
		s, ok := item.(string)
		if !ok {
			return nil, false
		}
		out = append(out, s)
	}
	return out, true
}

func toAnySlice(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

// numberToJSString is JavaScript's String(n) for a double.
func numberToJSString(f float64) string {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "Infinity"
	case math.IsInf(f, -1):
		return "-Infinity"
	case f == 0:
		return "0"
	}
	abs := math.Abs(f)
	if abs >= 1e21 || abs < 1e-6 {
		s := strconv.FormatFloat(f, 'e', -1, 64) // e.g. 1e+21, 5e-07
		mant, exp, _ := strings.Cut(s, "e")
		sign := exp[0]
		digits := strings.TrimLeft(exp[1:], "0")
		return mant + "e" + string(sign) + digits
	}
	return strconv.FormatFloat(f, 'f', -1, 64)
}

// parseIntJS is JavaScript's parseInt(String(v)): leading whitespace, an
// optional sign, then the longest run of decimal digits; ok is false for NaN.
func parseIntJS(v any) (int, bool) {
	var s string
	switch x := v.(type) {
	case string:
		s = x
	case float64:
		s = numberToJSString(x)
	case bool:
		s = strconv.FormatBool(x)
	default:
		return 0, false
	}
	s = strings.TrimLeft(s, " \t\n\r\v\f\u00a0\ufeff")
	neg := false
	if s != "" && (s[0] == '+' || s[0] == '-') {
		neg = s[0] == '-'
		s = s[1:]
	}
	end := 0
	for end < len(s) && s[end] >= '0' && s[end] <= '9' {
		end++
	}
	if end == 0 {
		return 0, false
	}
	n, err := strconv.Atoi(s[:end])
	if err != nil {
		n = math.MaxInt32 // beyond what any caller of this server cares about
	}
	if neg {
		n = -n
	}
	return n, true
}

// splitChannels is channel.split(',').map(trim), as the incoming methods do.
func splitChannels(channel string) []string {
	parts := strings.Split(channel, ",")
	for i := range parts {
		parts[i] = strings.TrimSpace(parts[i])
	}
	return parts
}

// parseCSV is Rocket.Chat's parseCSV used for outgoing channels: split on
// commas, trim, drop empty items. The dropping of empty items could not be
// confirmed from the source.
func parseCSV(channel string) []string {
	out := []string{}
	for _, p := range splitChannels(channel) {
		if p != "" {
			out = append(out, p)
		}
	}
	return out
}

// removeEmpty drops keys whose value is null or undefined, as
// @rocket.chat/tools removeEmpty does before an insert.
func removeEmpty(doc map[string]any) map[string]any {
	for k, v := range doc {
		if v == nil {
			delete(doc, k)
		}
	}
	return doc
}

func deepCopy(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = deepCopy(e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = deepCopy(e)
		}
		return out
	case []string:
		return toAnySlice(x)
	default:
		return x
	}
}
