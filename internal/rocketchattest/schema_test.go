package rocketchattest

import (
	"bytes"
	"encoding/json"
	"math"
	"os"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// golden.json is produced by testdata/ajv/gen.mjs from the real AJV and the
// real @rocket.chat/rest-typings schemas (plus the few query schemas that
// Rocket.Chat's server compiles inline).
const goldenPath = "testdata/ajv/golden.json"

type goldenFile struct {
	AJV         string                  `json:"ajv"`
	RestTypings string                  `json:"restTypings"`
	Schemas     map[string]goldenSchema `json:"schemas"`
	Server      map[string]goldenSchema `json:"server"`
	Probes      map[string]goldenSchema `json:"probes"`
	Cases       []goldenCase            `json:"cases"`
}

type goldenSchema struct {
	Module   string          `json:"module"`   // rest-typings file; empty for server schemas and probes
	Export   string          `json:"export"`   // the module's validator compiled from the schema
	Source   string          `json:"source"`   // Rocket.Chat server file, for server schemas
	Instance string          `json:"instance"` // "ajv" (bodies) or "ajvQuery" (queries)
	Schema   json.RawMessage `json:"schema"`
}

type goldenCase struct {
	Name     string          `json:"name"`
	Schema   string          `json:"schema"`
	Input    string          `json:"input"` // JSON text
	Valid    bool            `json:"valid"`
	Messages []string        `json:"messages"`
	Coerced  json.RawMessage `json:"coerced"`
}

// goldenSchemas holds the Go schema for every Rocket.Chat schema in
// golden.json, from rest-typings ("schemas") or the server ("server").
var goldenSchemas = map[string]*schema{
	"create":              createIntegrationSchema,
	"update":              updateIntegrationSchema,
	"remove":              removeIntegrationSchema,
	"get":                 getIntegrationQuery,
	"list":                listIntegrationsQuery,
	"history":             integrationHistoryQuery,
	"users.info":          usersInfoQuery,
	"subscriptions.get":   subscriptionsGetQuery,
	"settings.public":     settingsPublicQuery,
	"permissions.listAll": permissionsListAllQuery,
	"chat.postMessage":    chatPostMessageSchema,
}

// probeSchemas mirror the probe schemas in testdata/ajv/cases.mjs. They reach
// coercion rules that the integration schemas do not use.
var probeSchemas = map[string]*schema{
	"probe-body": withCoercion(coerceScalars, objectOf(nil, nil,
		schemaProp("n", ofType("number", nullableFalse)),
		schemaProp("b", ofType("boolean", nullableFalse)),
		schemaProp("s", ofType("string", nullableFalse)),
		schemaProp("u", &schema{types: []string{"string", "boolean"}, unionType: true}),
		schemaProp("un", &schema{types: []string{"boolean", "number"}, unionType: true, nullable: true}),
		schemaProp("a", &schema{types: []string{"array"}, items: ofType("number", nullableFalse)}),
		schemaProp("o", objectOf(nil, nil, schemaProp("x", ofType("boolean", nullableFalse)))),
	)),
	"probe-query": withCoercion(coerceArrays, objectOf(nil, nil,
		schemaProp("a", nonEmptyStringArray(nullableFalse)),
		schemaProp("an", &schema{types: []string{"array"}, nullable: true, items: ofType("number", nullableFalse)}),
		schemaProp("n", ofType("number", nullableFalse)),
		schemaProp("b", ofType("boolean", nullableFalse)),
		schemaProp("u", &schema{types: []string{"number", "boolean"}, unionType: true}),
		schemaProp("ua", &schema{types: []string{"array", "string"}, unionType: true}),
	)),
	"probe-anyof": withCoercion(coerceArrays, objectOf(nil, nil,
		schemaProp("s", &schema{anyOf: []*schema{
			{types: []string{"string"}, minLength: 3},
			ofType("array", nullableFalse),
		}}),
		schemaProp("n", &schema{anyOf: []*schema{
			ofType("number", nullableFalse),
			ofType("boolean", nullableFalse),
			ofType("array", nullableFalse),
		}}),
	)),
	"probe-anyof-root": withCoercion(coerceArrays, &schema{anyOf: []*schema{
		objectOf([]string{"a"}, nil,
			schemaProp("a", ofType("number", nullableFalse)),
			schemaProp("b", ofType("boolean", nullableFalse)),
		),
		objectOf([]string{"a"}, nil, schemaProp("a", ofType("array", nullableFalse))),
		objectOf(nil, nil, schemaProp("d", ofType("array", nullableFalse))),
	}}),
}

func lookupSchema(name string) (*schema, bool) {
	if s, ok := goldenSchemas[name]; ok {
		return s, true
	}
	s, ok := probeSchemas[name]
	return s, ok
}

func loadGolden(t *testing.T) *goldenFile {
	t.Helper()
	raw, err := os.ReadFile(goldenPath)
	if err != nil {
		t.Fatal(err)
	}
	var g goldenFile
	if err := json.Unmarshal(raw, &g); err != nil {
		t.Fatalf("%s: %v", goldenPath, err)
	}
	if len(g.Cases) == 0 {
		t.Fatalf("%s has no cases", goldenPath)
	}
	return &g
}

func TestSchemaMatchesAJV(t *testing.T) {
	g := loadGolden(t)
	for _, c := range g.Cases {
		t.Run(c.Name, func(t *testing.T) {
			s, ok := lookupSchema(c.Schema)
			if !ok {
				t.Fatalf("unknown schema %q", c.Schema)
			}
			var data any
			if err := json.Unmarshal([]byte(c.Input), &data); err != nil {
				t.Fatalf("input %s: %v", c.Input, err)
			}
			got, msgs := s.validate(data)

			if valid := len(msgs) == 0; valid != c.Valid {
				t.Errorf("input %s: valid = %v, AJV says %v (messages %q)", c.Input, valid, c.Valid, msgs)
			}
			if !slices.Equal(msgs, c.Messages) {
				t.Errorf("input %s:\nmessages %q\nAJV      %q", c.Input, msgs, c.Messages)
			}
			gotJSON := coercedJSON(t, got)
			var gotView, wantView any
			if err := json.Unmarshal(gotJSON, &gotView); err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(c.Coerced, &wantView); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(gotView, wantView) {
				t.Errorf("input %s:\ncoerced %s\nAJV     %s", c.Input, gotJSON, c.Coerced)
			}
		})
	}
}

// coercedJSON encodes v as gen.mjs does: -0 and non-finite numbers, which
// JSON cannot hold, become {"$number": "..."}.
func coercedJSON(t *testing.T, v any) []byte {
	t.Helper()
	var view func(any) any
	view = func(v any) any {
		switch x := v.(type) {
		case float64:
			switch {
			case math.IsNaN(x), math.IsInf(x, 0):
				return map[string]any{"$number": jsNumberToString(x)}
			case x == 0 && math.Signbit(x):
				return map[string]any{"$number": "-0"}
			}
			return x
		case []any:
			out := make([]any, len(x))
			for i, e := range x {
				out[i] = view(e)
			}
			return out
		case map[string]any:
			out := make(map[string]any, len(x))
			for k, e := range x {
				out[k] = view(e)
			}
			return out
		}
		return v
	}
	b, err := json.Marshal(view(v))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestSchemasTranscribed checks the Go schemas against the schema objects
// gen.mjs read from @rocket.chat/rest-typings or took from Rocket.Chat's
// server code (and the probes against cases.mjs), property order included.
func TestSchemasTranscribed(t *testing.T) {
	g := loadGolden(t)
	if len(g.Schemas)+len(g.Server) != len(goldenSchemas) || len(g.Probes) != len(probeSchemas) {
		t.Errorf("golden has %d schemas, %d server schemas and %d probes, Go has %d schemas and %d probes",
			len(g.Schemas), len(g.Server), len(g.Probes), len(goldenSchemas), len(probeSchemas))
	}
	all := map[string]goldenSchema{}
	for name, gs := range g.Schemas {
		all[name] = gs
	}
	for name, gs := range g.Server {
		if _, dup := all[name]; dup {
			t.Errorf("%s is both a rest-typings and a server schema", name)
		}
		gs.Module = gs.Source
		all[name] = gs
	}
	for name, gs := range g.Probes {
		gs.Module = name
		all[name] = gs
	}
	for name, gs := range all {
		t.Run(name, func(t *testing.T) {
			s, ok := lookupSchema(name)
			if !ok {
				t.Fatalf("no Go schema for %s (%s)", name, gs.Module)
			}
			wantMode := map[string]coercion{"ajv": coerceScalars, "ajvQuery": coerceArrays}[gs.Instance]
			if s.coerce != wantMode {
				t.Errorf("%s is compiled by %s, Go schema has coercion %d", gs.Module, gs.Instance, s.coerce)
			}

			var want any
			if err := json.Unmarshal(gs.Schema, &want); err != nil {
				t.Fatal(err)
			}
			want = dropNoOps(want)
			got := schemaAsJSON(t, s)
			if !reflect.DeepEqual(got, want) {
				gotJSON, _ := json.Marshal(got)
				wantJSON, _ := json.Marshal(want)
				t.Errorf("%s differs\nGo:  %s\nnpm: %s", gs.Module, gotJSON, wantJSON)
			}

			wantOrder, err := propertyOrders(gs.Schema)
			if err != nil {
				t.Fatal(err)
			}
			gotOrder := map[string][]string{}
			goPropertyOrders(s, "", gotOrder)
			if !reflect.DeepEqual(gotOrder, wantOrder) {
				t.Errorf("%s property order differs\nGo:  %v\nnpm: %v", gs.Module, gotOrder, wantOrder)
			}
		})
	}
}

// schemaAsJSON renders s in the shape of the JSON Schema it was transcribed
// from, leaving out "nullable: false" (AJV's default).
func schemaAsJSON(t *testing.T, s *schema) map[string]any {
	t.Helper()
	m := map[string]any{}
	switch {
	case s.unionType:
		types := make([]any, len(s.types))
		for i, ty := range s.types {
			types[i] = ty
		}
		m["type"] = types
	case len(s.types) == 1:
		m["type"] = s.types[0]
	case len(s.types) > 1:
		t.Errorf("several types %v without unionType", s.types)
	}
	if s.nullable {
		m["nullable"] = true
	}
	if s.pattern != "" {
		m["pattern"] = s.pattern
		if s.patternRE == nil || s.patternRE.String() != s.pattern {
			t.Errorf("pattern %q compiled as %v", s.pattern, s.patternRE)
		}
	} else if s.patternRE != nil {
		t.Errorf("compiled pattern %v without pattern", s.patternRE)
	}
	if s.minLength > 0 {
		m["minLength"] = float64(s.minLength)
	}
	if s.items != nil {
		m["items"] = schemaAsJSON(t, s.items)
	}
	if s.required != nil {
		req := make([]any, len(s.required))
		for i, r := range s.required {
			req[i] = r
		}
		m["required"] = req
	}
	if len(s.properties) > 0 {
		props := map[string]any{}
		for _, p := range s.properties {
			props[p.name] = schemaAsJSON(t, p.schema)
		}
		m["properties"] = props
	}
	if s.additionalProperties != nil {
		m["additionalProperties"] = *s.additionalProperties
	}
	for keyword, branches := range map[string][]*schema{"anyOf": s.anyOf, "oneOf": s.oneOf} {
		if len(branches) == 0 {
			continue
		}
		out := make([]any, len(branches))
		for i, b := range branches {
			out[i] = schemaAsJSON(t, b)
		}
		m[keyword] = out
	}
	return m
}

// dropNoOps removes what does not change validation and so has no Go
// counterpart: "nullable: false" and "description" annotations. Property
// schemas are objects, so a property named like either keyword is kept.
func dropNoOps(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := map[string]any{}
		for k, e := range x {
			if k == "nullable" && e == false {
				continue
			}
			if _, text := e.(string); k == "description" && text {
				continue
			}
			out[k] = dropNoOps(e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = dropNoOps(e)
		}
		return out
	}
	return v
}

// propertyOrders maps the JSON pointer of every "properties" object in a
// schema to its keys in document order.
func propertyOrders(raw []byte) (map[string][]string, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	out := map[string][]string{}
	var walk func(path string) error
	walk = func(path string) error {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		switch tok {
		case json.Delim('{'):
			var keys []string
			for dec.More() {
				kt, err := dec.Token()
				if err != nil {
					return err
				}
				k := kt.(string)
				keys = append(keys, k)
				if err := walk(path + "/" + k); err != nil {
					return err
				}
			}
			if _, err := dec.Token(); err != nil {
				return err
			}
			if strings.HasSuffix(path, "/properties") {
				out[path] = keys
			}
		case json.Delim('['):
			for i := 0; dec.More(); i++ {
				if err := walk(path + "/" + strconv.Itoa(i)); err != nil {
					return err
				}
			}
			if _, err := dec.Token(); err != nil {
				return err
			}
		}
		return nil
	}
	return out, walk("")
}

func goPropertyOrders(s *schema, path string, out map[string][]string) {
	if len(s.properties) > 0 {
		names := make([]string, len(s.properties))
		for i, p := range s.properties {
			names[i] = p.name
			goPropertyOrders(p.schema, path+"/properties/"+p.name, out)
		}
		out[path+"/properties"] = names
	}
	if s.items != nil {
		goPropertyOrders(s.items, path+"/items", out)
	}
	for i, b := range s.anyOf {
		goPropertyOrders(b, path+"/anyOf/"+strconv.Itoa(i), out)
	}
	for i, b := range s.oneOf {
		goPropertyOrders(b, path+"/oneOf/"+strconv.Itoa(i), out)
	}
}

func TestJSNumberToString(t *testing.T) {
	// Expected values are what String(n) prints in Node.js.
	for _, tc := range []struct {
		in   float64
		want string
	}{
		{0, "0"},
		{math.Copysign(0, -1), "0"},
		{5, "5"},
		{-5, "-5"},
		{1.5, "1.5"},
		{0.1, "0.1"},
		{0.30000000000000004, "0.30000000000000004"},
		{1e20, "100000000000000000000"},
		{123456789012345678901, "123456789012345680000"},
		{1e21, "1e+21"},
		{1.5e21, "1.5e+21"},
		{0.000001, "0.000001"},
		{0.0000001, "1e-7"},
		{1.5e-10, "1.5e-10"},
		{123e-20, "1.23e-18"},
		{math.MaxFloat64, "1.7976931348623157e+308"},
		{5e-324, "5e-324"},
		{9007199254740993, "9007199254740992"},
		{math.Inf(1), "Infinity"},
		{math.Inf(-1), "-Infinity"},
		{math.NaN(), "NaN"},
	} {
		if got := jsNumberToString(tc.in); got != tc.want {
			t.Errorf("jsNumberToString(%v) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestJSStringToNumber(t *testing.T) {
	// Expected values are what Number(s) gives in Node.js.
	nan := math.NaN()
	for _, tc := range []struct {
		in   string
		want float64
	}{
		{"", 0},
		{" ", 0},
		{"\u00a0\ufeff\u2028", 0},
		{"5", 5},
		{" 5\n", 5},
		{"+5", 5},
		{"-5.5", -5.5},
		{".5", 0.5},
		{"5.", 5},
		{"1e3", 1000},
		{"1E-3", 0.001},
		{"0x1F", 31},
		{"0o17", 15},
		{"0b101", 5},
		{"Infinity", math.Inf(1)},
		{"-Infinity", math.Inf(-1)},
		{"1e400", math.Inf(1)},
		{"1e-400", 0},
		{"-0x10", nan},
		{"0x", nan},
		{"0x-1", nan},
		{"0x_1", nan},
		{"1_000", nan},
		{"1e", nan},
		{".", nan},
		{"+", nan},
		{"inf", nan},
		{"infinity", nan},
		{"NaN", nan},
		{"5abc", nan},
		{"1,5", nan},
		{"0x1p3", nan},
	} {
		got := jsStringToNumber(tc.in)
		if !(got == tc.want || math.IsNaN(got) && math.IsNaN(tc.want)) {
			t.Errorf("jsStringToNumber(%q) = %v, want %v", tc.in, got, tc.want)
		}
	}
}
