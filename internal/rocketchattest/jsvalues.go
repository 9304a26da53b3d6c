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

// parseIntJS is JavaScript's parseInt(String(v)): leading whitespace, an
// optional sign, then the longest run of decimal digits; ok is false for NaN.
func parseIntJS(v any) (int, bool) {
	var s string
	switch x := v.(type) {
	case string:
		s = x
	case float64:
		s = jsNumberToString(x)
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

// jsonSafe replaces what JSON.stringify writes differently from
// encoding/json: NaN and ±Infinity become null, -0 becomes 0. AJV's number
// coercion can produce them ("Infinity" → Infinity).
func jsonSafe(v any) any {
	switch x := v.(type) {
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return nil
		}
		if x == 0 {
			return float64(0)
		}
		return x
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = jsonSafe(e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = jsonSafe(e)
		}
		return out
	default:
		return x
	}
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
