package rocketchattest

import (
	"math"
	"math/big"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Rocket.Chat validates REST input with AJV v8 (ajv/dist/2020) and the schemas
// of @rocket.chat/rest-typings. Clients see AJV's exact messages, and handlers
// see the data after AJV has coerced it in place, so both are reproduced here.
// Only the keywords the integration schemas use are implemented, with AJV's
// behaviour for allErrors: false: keywords run in AJV's order and a schema
// stops at its first error; only anyOf and oneOf collect errors from several
// branches.
// testdata/ajv/golden.json records what the real AJV does with these schemas.

// coercion is AJV's coerceTypes option.
type coercion int

const (
	// coerceScalars is coerceTypes: true, used for request bodies.
	coerceScalars coercion = iota + 1
	// coerceArrays is coerceTypes: "array", used for query strings: a
	// one-element array is unwrapped and a scalar wrapped into an array.
	coerceArrays
)

type schemaProperty struct {
	name   string
	schema *schema
}

// schema is the subset of JSON Schema used by the integration endpoints.
type schema struct {
	// coerce is set on top-level schemas only: it is the AJV instance
	// (ajv or ajvQuery) that compiles them.
	coerce coercion

	types []string
	// unionType records that "type" was written as an array. AJV appends
	// "null" to such an array when nullable is true, and its type error
	// message prints the array, so it reads "must be number,string,null".
	unionType bool
	nullable  bool

	pattern   string // unanchored, as JavaScript's RegExp.test
	patternRE *regexp.Regexp
	minLength int // 0 means absent

	items *schema

	required             []string
	properties           []schemaProperty // in declaration order, the order AJV checks them
	additionalProperties *bool

	anyOf []*schema
	oneOf []*schema
}

// validate checks data (as produced by encoding/json into any, numbers as
// float64; for queries a map[string]any whose values are string or []any of
// strings) against the schema the way AJV does, coercing in place. It returns
// the root value as the caller holds it afterwards and AJV's error messages in
// AJV's order; no messages means valid. AJV coerces values inside the root
// but never replaces the root itself (it has no parent to write to), so the
// root returned is always data.
//
// Like AJV, it leaves coercions made before a failure in place, including
// those made by an anyOf or oneOf branch that did not match.
func (s *schema) validate(data any) (any, []string) {
	v := validation{coerce: s.coerce}
	v.check(s, data, func(any) {})
	return data, v.errors
}

type validation struct {
	coerce coercion
	errors []string
}

func (v *validation) fail(msg string) bool {
	v.errors = append(v.errors, msg)
	return false
}

// check validates data against s and reports whether it is valid. AJV keeps
// each value in a local variable that every keyword and every anyOf/oneOf
// branch on that value shares, and writes a coerced value back to the parent
// object or array only when a coercion succeeds. check mirrors that: store
// writes to the parent (a no-op at the root), and the returned value is the
// local one the next branch sees, which can differ from the stored one when
// a one-element array was unwrapped but its element could not be coerced.
func (v *validation) check(s *schema, data any, store func(any)) (any, bool) {
	// The type keyword, with coercion, comes before every other keyword.
	if types := s.allowedTypes(); len(types) > 0 && !ajvHasAnyType(types, data) {
		var ok bool
		if data, ok = v.coerceData(types, data); !ok {
			return data, v.fail(s.typeMessage())
		}
		store(data)
	}

	// AJV runs anyOf before oneOf; a failure stops the schema.
	if len(s.anyOf) > 0 {
		var ok bool
		if data, ok = v.checkAnyOf(s.anyOf, data, store); !ok {
			return data, false
		}
	}
	if len(s.oneOf) > 0 {
		var ok bool
		if data, ok = v.checkOneOf(s.oneOf, data, store); !ok {
			return data, false
		}
	}

	switch d := data.(type) {
	case string:
		if s.minLength > 0 && utf8.RuneCountInString(d) < s.minLength {
			return data, v.fail("must NOT have fewer than " + strconv.Itoa(s.minLength) + " characters")
		}
		if s.patternRE != nil && !s.patternRE.MatchString(d) {
			return data, v.fail(`must match pattern "` + s.pattern + `"`)
		}
	case []any:
		if s.items != nil {
			for i, item := range d {
				if _, ok := v.check(s.items, item, func(x any) { d[i] = x }); !ok {
					return data, false
				}
			}
		}
	case map[string]any:
		for _, name := range s.required {
			if _, ok := d[name]; !ok {
				return data, v.fail("must have required property '" + name + "'")
			}
		}
		if s.additionalProperties != nil && !*s.additionalProperties {
			for key := range d {
				if !s.hasProperty(key) {
					return data, v.fail("must NOT have additional properties")
				}
			}
		}
		for _, p := range s.properties {
			value, ok := d[p.name]
			if !ok {
				continue
			}
			if _, ok := v.check(p.schema, value, func(x any) { d[p.name] = x }); !ok {
				return data, false
			}
		}
	}
	return data, true
}

// checkAnyOf evaluates every branch, even after one has passed: the AJV build
// Rocket.Chat uses (ajv/dist/2020) tracks evaluated properties for
// unevaluatedProperties and so does not stop at the first match (it would only
// if every property and item were already known to be evaluated, which needs
// keywords these schemas do not use). Later branches therefore still coerce
// the data. Errors of all branches are dropped when any branch passes and kept,
// in branch order, when none does.
func (v *validation) checkAnyOf(branches []*schema, data any, store func(any)) (any, bool) {
	before := len(v.errors)
	passed := false
	for _, branch := range branches {
		// AJV compiles branches inline on the same data, so each branch
		// sees what the branches before it did, failed or not.
		var ok bool
		data, ok = v.check(branch, data, store)
		passed = passed || ok
	}
	if !passed {
		return data, v.fail("must match a schema in anyOf")
	}
	v.errors = v.errors[:before]
	return data, true
}

// checkOneOf evaluates branches in order until a second one passes. Errors of
// failing branches are kept only when oneOf itself fails.
func (v *validation) checkOneOf(branches []*schema, data any, store func(any)) (any, bool) {
	before := len(v.errors)
	passed := false
	for _, branch := range branches {
		// As in anyOf, each branch sees what the branches before it did.
		var ok bool
		if data, ok = v.check(branch, data, store); !ok {
			continue
		}
		if passed {
			passed = false
			break
		}
		passed = true
	}
	if !passed {
		return data, v.fail("must match exactly one schema in oneOf")
	}
	v.errors = v.errors[:before]
	return data, true
}

func (s *schema) hasProperty(name string) bool {
	for _, p := range s.properties {
		if p.name == name {
			return true
		}
	}
	return false
}

// allowedTypes is AJV's getSchemaTypes: "nullable: true" adds "null".
func (s *schema) allowedTypes() []string {
	types := s.types
	if s.nullable && !slices.Contains(types, "null") {
		types = append(append([]string(nil), types...), "null")
	}
	return types
}

func (s *schema) typeMessage() string {
	types := s.types
	if s.unionType {
		types = s.allowedTypes()
	}
	return "must be " + strings.Join(types, ",")
}

// coerceData is AJV's coerceData (compile/validate/dataType.js): the first
// applicable rule, tried in the order the types are listed, wins. It returns
// the value AJV's local variable holds afterwards: the coerced value, or on
// failure the input, unwrapped if it was a one-element query array.
func (v *validation) coerceData(types []string, data any) (any, bool) {
	// AJV's coerceToTypes: scalar types, and arrays for queries, are the
	// coercion targets; with none AJV reports the type error at once.
	var targets []string
	for _, t := range types {
		switch {
		case t == "string", t == "number", t == "boolean", t == "null",
			t == "array" && v.coerce == coerceArrays:
			targets = append(targets, t)
		}
	}
	if v.coerce == 0 || len(targets) == 0 {
		return data, false
	}
	if v.coerce == coerceArrays {
		if arr, ok := data.([]any); ok && len(arr) == 1 {
			data = arr[0]
			// AJV accepts the unwrapped element as is only for a single
			// type: for several types its generated test requires the
			// element to be of all of them at once, which never holds, so
			// ["abc"] for a nullable string falls through to the rules below
			// and fails.
			if ajvHasAllTypes(types, data) {
				return data, true
			}
		}
	}
	for _, t := range targets {
		switch t {
		case "string":
			switch d := data.(type) {
			case float64:
				return jsNumberToString(d), true
			case bool:
				return strconv.FormatBool(d), true
			case nil:
				return "", true
			}
		case "number":
			switch d := data.(type) {
			case bool:
				if d {
					return float64(1), true
				}
				return float64(0), true
			case nil:
				return float64(0), true
			case string:
				// AJV's test is `data && data == +data`.
				if n := jsStringToNumber(d); d != "" && !math.IsNaN(n) {
					return n, true
				}
			}
		case "boolean":
			switch data {
			case "false", float64(0), nil:
				return false, true
			case "true", float64(1):
				return true, true
			}
		case "null":
			switch data {
			case "", float64(0), false:
				return nil, true
			}
		case "array":
			switch data.(type) {
			case string, float64, bool, nil:
				return []any{data}, true
			}
		}
	}
	return data, false
}

func ajvHasAnyType(types []string, data any) bool {
	for _, t := range types {
		if ajvHasType(t, data) {
			return true
		}
	}
	return false
}

func ajvHasAllTypes(types []string, data any) bool {
	for _, t := range types {
		if !ajvHasType(t, data) {
			return false
		}
	}
	return true
}

// ajvHasType is AJV's checkDataType with strictNumbers (its default).
func ajvHasType(t string, data any) bool {
	switch d := data.(type) {
	case nil:
		return t == "null"
	case string:
		return t == "string"
	case bool:
		return t == "boolean"
	case float64:
		return t == "number" && !math.IsInf(d, 0) && !math.IsNaN(d)
	case []any:
		return t == "array"
	case map[string]any:
		return t == "object"
	}
	return false
}

// jsNumberToString is JavaScript's Number.prototype.toString() (radix 10).
func jsNumberToString(f float64) string {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "Infinity"
	case math.IsInf(f, -1):
		return "-Infinity"
	case f == 0:
		return "0" // also for -0
	case f < 0:
		return "-" + jsNumberToString(-f)
	}
	// Shortest digits that round-trip, as "d.ddde±x".
	e := strconv.FormatFloat(f, 'e', -1, 64)
	mantissa, exp, _ := strings.Cut(e, "e")
	digits := strings.Replace(mantissa, ".", "", 1)
	x, _ := strconv.Atoi(exp)
	k := len(digits)
	n := x + 1 // the value is 0.digits × 10^n
	switch {
	case k <= n && n <= 21:
		return digits + strings.Repeat("0", n-k)
	case 0 < n && n <= 21:
		return digits[:n] + "." + digits[n:]
	case -6 < n && n <= 0:
		return "0." + strings.Repeat("0", -n) + digits
	}
	sign := "+"
	if n-1 < 0 {
		sign = "-"
	}
	exponent := "e" + sign + strconv.Itoa(max(n-1, 1-n))
	if k == 1 {
		return digits + exponent
	}
	return digits[:1] + "." + digits[1:] + exponent
}

// isJSWhitespace reports whether r is JavaScript WhiteSpace or LineTerminator,
// which Number() ignores around a numeric string.
func isJSWhitespace(r rune) bool {
	switch r {
	case '\t', '\n', '\v', '\f', '\r', ' ', 0xa0, 0x1680, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000, 0xfeff:
		return true
	}
	return r >= 0x2000 && r <= 0x200a
}

// jsStringToNumber is JavaScript's Number(string).
func jsStringToNumber(s string) float64 {
	s = strings.TrimFunc(s, isJSWhitespace)
	if s == "" {
		return 0
	}
	if len(s) > 2 && s[0] == '0' {
		base := 0
		switch s[1] {
		case 'x', 'X':
			base = 16
		case 'o', 'O':
			base = 8
		case 'b', 'B':
			base = 2
		}
		if base != 0 {
			n, ok := new(big.Int).SetString(s[2:], base)
			if !ok || strings.ContainsAny(s[2:], "_+-") {
				return math.NaN()
			}
			f, _ := new(big.Float).SetInt(n).Float64()
			return f
		}
	}
	switch s {
	case "Infinity", "+Infinity":
		return math.Inf(1)
	case "-Infinity":
		return math.Inf(-1)
	}
	if !isJSDecimalLiteral(s) {
		return math.NaN()
	}
	// Out of range values come back as ±Inf or 0, as in JavaScript.
	f, _ := strconv.ParseFloat(s, 64)
	return f
}

// isJSDecimalLiteral matches JavaScript's StrDecimalLiteral without the
// Infinity forms: [+-] (digits [. [digits]] | . digits) [(e|E) [+-] digits].
func isJSDecimalLiteral(s string) bool {
	i := 0
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	digits := func() int {
		start := i
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		return i - start
	}
	mantissa := digits()
	if i < len(s) && s[i] == '.' {
		i++
		mantissa += digits()
	}
	if mantissa == 0 {
		return false
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		if digits() == 0 {
			return false
		}
	}
	return i == len(s)
}

// Schema constructors, named after the keyword combinations the integration
// schemas use. For AJV "nullable: false" is the same as no nullable at all.

func ofType(t string, nullable bool) *schema {
	return &schema{types: []string{t}, nullable: nullable}
}

// stringMatching is a string with a pattern. AJV compiles patterns as
// JavaScript RegExps with the "u" flag; the patterns used here are plain
// text, on which RE2 agrees.
func stringMatching(pattern string) *schema {
	return &schema{types: []string{"string"}, pattern: pattern, patternRE: regexp.MustCompile(pattern)}
}

func nonEmptyStringArray(nullable bool) *schema {
	return &schema{
		types:    []string{"array"},
		nullable: nullable,
		items:    &schema{types: []string{"string"}, minLength: 1},
	}
}

func objectOf(required []string, additionalProperties *bool, props ...schemaProperty) *schema {
	return &schema{types: []string{"object"}, required: required, additionalProperties: additionalProperties, properties: props}
}

func schemaProp(name string, s *schema) schemaProperty { return schemaProperty{name: name, schema: s} }

func schemaBool(b bool) *bool { return &b }

func withCoercion(c coercion, s *schema) *schema {
	s.coerce = c
	return s
}

// Stand-ins for the schemas' "nullable: true" and "nullable: false".
const (
	nullableTrue  = true
	nullableFalse = false
)

// The schemas below are transcribed from @rocket.chat/rest-typings 8.8.1,
// dist/v1/integrations/Integrations*Props.js, keeping property order.

// createIntegrationSchema is IntegrationsCreateProps (POST integrations.create body).
var createIntegrationSchema = withCoercion(coerceScalars, &schema{oneOf: []*schema{
	objectOf([]string{"type", "username", "channel", "scriptEnabled", "name", "enabled"}, schemaBool(false),
		schemaProp("type", stringMatching("webhook-incoming")),
		schemaProp("username", ofType("string", nullableFalse)),
		schemaProp("channel", ofType("string", nullableFalse)),
		schemaProp("scriptEnabled", ofType("boolean", nullableFalse)),
		schemaProp("skipTranspile", ofType("boolean", nullableTrue)),
		schemaProp("overrideDestinationChannelEnabled", ofType("boolean", nullableTrue)),
		schemaProp("script", ofType("string", nullableTrue)),
		schemaProp("name", ofType("string", nullableFalse)),
		schemaProp("enabled", ofType("boolean", nullableFalse)),
		schemaProp("alias", ofType("string", nullableTrue)),
		schemaProp("avatar", ofType("string", nullableTrue)),
		schemaProp("emoji", ofType("string", nullableTrue)),
		schemaProp("scriptEngine", ofType("string", nullableTrue)),
	),
	objectOf([]string{"type", "username", "channel", "event", "scriptEnabled", "name", "enabled"}, schemaBool(false),
		schemaProp("type", stringMatching("webhook-outgoing")),
		schemaProp("username", ofType("string", nullableFalse)),
		schemaProp("channel", ofType("string", nullableFalse)),
		schemaProp("event", ofType("string", nullableFalse)),
		schemaProp("targetRoom", ofType("string", nullableTrue)),
		schemaProp("urls", nonEmptyStringArray(nullableTrue)),
		schemaProp("triggerWords", nonEmptyStringArray(nullableTrue)),
		schemaProp("triggerWordAnywhere", ofType("boolean", nullableTrue)),
		schemaProp("token", ofType("string", nullableTrue)),
		schemaProp("scriptEnabled", ofType("boolean", nullableFalse)),
		schemaProp("skipTranspile", ofType("boolean", nullableTrue)),
		schemaProp("script", ofType("string", nullableTrue)),
		schemaProp("runOnEdits", ofType("boolean", nullableTrue)),
		schemaProp("retryFailedCalls", ofType("boolean", nullableTrue)),
		schemaProp("retryCount", ofType("number", nullableTrue)),
		schemaProp("retryDelay", ofType("string", nullableTrue)),
		schemaProp("impersonateUser", ofType("boolean", nullableTrue)),
		schemaProp("name", ofType("string", nullableFalse)),
		schemaProp("enabled", ofType("boolean", nullableFalse)),
		schemaProp("alias", ofType("string", nullableTrue)),
		schemaProp("avatar", ofType("string", nullableTrue)),
		schemaProp("emoji", ofType("string", nullableTrue)),
		schemaProp("scriptEngine", ofType("string", nullableTrue)),
	),
}})

// updateIntegrationSchema is IntegrationsUpdateProps (PUT integrations.update
// body). Its incoming branch allows unknown properties; the outgoing one does
// not, and neither requires integrationId to be non-null there.
var updateIntegrationSchema = withCoercion(coerceScalars, &schema{oneOf: []*schema{
	objectOf([]string{"integrationId", "type", "channel", "scriptEnabled", "name", "enabled"}, schemaBool(true),
		schemaProp("type", stringMatching("webhook-incoming")),
		schemaProp("integrationId", ofType("string", nullableFalse)),
		schemaProp("channel", ofType("string", nullableFalse)),
		schemaProp("scriptEnabled", ofType("boolean", nullableFalse)),
		schemaProp("skipTranspile", ofType("boolean", nullableTrue)),
		schemaProp("scriptEngine", ofType("string", nullableFalse)),
		schemaProp("overrideDestinationChannelEnabled", ofType("boolean", nullableTrue)),
		schemaProp("script", ofType("string", nullableTrue)),
		schemaProp("name", ofType("string", nullableFalse)),
		schemaProp("enabled", ofType("boolean", nullableFalse)),
		schemaProp("alias", ofType("string", nullableTrue)),
		schemaProp("avatar", ofType("string", nullableTrue)),
		schemaProp("emoji", ofType("string", nullableTrue)),
	),
	objectOf([]string{"type", "username", "channel", "event", "scriptEnabled", "name", "enabled"}, schemaBool(false),
		schemaProp("type", stringMatching("webhook-outgoing")),
		schemaProp("integrationId", ofType("string", nullableTrue)),
		schemaProp("target_url", ofType("string", nullableTrue)),
		schemaProp("username", ofType("string", nullableFalse)),
		schemaProp("channel", ofType("string", nullableFalse)),
		schemaProp("event", ofType("string", nullableFalse)),
		schemaProp("targetRoom", ofType("string", nullableTrue)),
		schemaProp("urls", nonEmptyStringArray(nullableTrue)),
		schemaProp("triggerWords", nonEmptyStringArray(nullableTrue)),
		schemaProp("triggerWordAnywhere", ofType("boolean", nullableTrue)),
		schemaProp("token", ofType("string", nullableTrue)),
		schemaProp("scriptEnabled", ofType("boolean", nullableFalse)),
		schemaProp("skipTranspile", ofType("boolean", nullableTrue)),
		schemaProp("scriptEngine", ofType("string", nullableFalse)),
		schemaProp("script", ofType("string", nullableTrue)),
		schemaProp("runOnEdits", ofType("boolean", nullableTrue)),
		schemaProp("retryFailedCalls", ofType("boolean", nullableTrue)),
		schemaProp("retryCount", ofType("number", nullableTrue)),
		schemaProp("retryDelay", ofType("string", nullableTrue)),
		schemaProp("impersonateUser", ofType("boolean", nullableTrue)),
		schemaProp("name", ofType("string", nullableFalse)),
		schemaProp("enabled", ofType("boolean", nullableFalse)),
		schemaProp("alias", ofType("string", nullableTrue)),
		schemaProp("avatar", ofType("string", nullableTrue)),
		schemaProp("emoji", ofType("string", nullableTrue)),
	),
}})

// removeIntegrationSchema is IntegrationsRemoveProps (POST integrations.remove
// body). No branch restricts additional properties, so an outgoing body with
// both target_url and integrationId matches two branches and is rejected.
var removeIntegrationSchema = withCoercion(coerceScalars, &schema{oneOf: []*schema{
	objectOf([]string{"type", "integrationId"}, nil,
		schemaProp("type", stringMatching("webhook-incoming")),
		schemaProp("integrationId", ofType("string", nullableFalse)),
	),
	objectOf([]string{"type", "target_url"}, nil,
		schemaProp("type", stringMatching("webhook-outgoing")),
		schemaProp("target_url", ofType("string", nullableFalse)),
	),
	objectOf([]string{"type", "integrationId"}, nil,
		schemaProp("type", stringMatching("webhook-outgoing")),
		schemaProp("integrationId", ofType("string", nullableFalse)),
	),
}})

// getIntegrationQuery is IntegrationsGetProps (GET integrations.get query).
var getIntegrationQuery = withCoercion(coerceArrays, objectOf([]string{"integrationId"}, nil,
	schemaProp("integrationId", ofType("string", nullableFalse)),
	schemaProp("createdBy", ofType("string", nullableTrue)),
))

// listIntegrationsQuery is IntegrationsListProps (GET integrations.list query).
var listIntegrationsQuery = withCoercion(coerceArrays, objectOf([]string{}, schemaBool(false),
	schemaProp("count", &schema{types: []string{"number", "string"}, unionType: true, nullable: true}),
	schemaProp("offset", &schema{types: []string{"number", "string"}, unionType: true, nullable: true}),
	schemaProp("sort", ofType("string", nullableTrue)),
	schemaProp("name", ofType("string", nullableTrue)),
	schemaProp("type", ofType("string", nullableTrue)),
	schemaProp("query", ofType("string", nullableTrue)),
))

// integrationHistoryQuery is IntegrationsHistoryProps (GET integrations.history query).
var integrationHistoryQuery = withCoercion(coerceArrays, objectOf([]string{"id"}, schemaBool(false),
	schemaProp("id", &schema{types: []string{"string"}, minLength: 1}),
	schemaProp("offset", ofType("number", nullableTrue)),
	schemaProp("count", ofType("number", nullableTrue)),
	schemaProp("sort", ofType("string", nullableTrue)),
	schemaProp("query", ofType("string", nullableTrue)),
))
