package rocketchattest

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strings"
	"sync"
	"time"

	"github.com/dop251/goja"
)

// DefaultScriptTimeout is Rocket.Chat's time limit for running an
// integration's compiled script, the wrapper that makes `new Script()`.
const DefaultScriptTimeout = 3000 * time.Millisecond

// WithScriptTimeout changes the time limit of a script run (default
// DefaultScriptTimeout), both the instantiation and each method call.
func WithScriptTimeout(d time.Duration) Option { return func(c *config) { c.scriptTimeout = d } }

var (
	// errScriptEvaluation is getIntegrationScript's failure: the wrapper
	// threw, did not compile or ran out of time ("error-evaluating-script").
	errScriptEvaluation = errors.New("error-evaluating-script")
	// errScriptRunning is a method that threw, ran out of time or returned
	// what cannot be copied out ("error-running-script").
	errScriptRunning = errors.New("error-running-script")
)

// scriptMethods are the methods getCompatibilityScript looks for on the
// Script instance, in its order.
var scriptMethods = []string{"prepare_outgoing_request", "process_outgoing_response", "process_incoming_request"}

// compatibilityScript is getCompatibilityScript(customScript): Store, the
// fetch built on serverFetch, the compiled script, then the instance and the
// list of its functions. It is the text Rocket.Chat compiles, verbatim.
func compatibilityScript(customScript string) string {
	return `
	const Store = (function() {
		const store = {};
		return {
			set(key, val) {
				store[key] = val;
				return val;
			},
			get(key) {
				return store[key];
			},
		};
	})();

	const reproxy = (reference) => {
		return new Proxy(reference, {
			get(target, p, receiver) {
				if (target !== reference || p === 'then') {
					return Reflect.get(target, p, receiver);
				}

				const data = reference.get(p);

				if (typeof data === 'object' && data instanceof ivm.Reference && data.typeof === 'function') {
					return (...args) => data.apply(undefined, args, { arguments: { copy: true }, result: { promise: true } });
				}

				return data;
			}
		});
	};

	//url, options, allowSelfSignedCertificate
	const fetch = async (...args) => {
		const result = await serverFetch.apply(undefined, args, { arguments: { copy: true }, result: { promise: true } });

		if (result && typeof result === 'object' && result.isProxy) {
			return reproxy(result);
		}

		return result;
	};

	` + customScript + `

	(function() {
		const instance = new Script();

		const functions = {
			...(typeof instance['prepare_outgoing_request'] === 'function' ? { prepare_outgoing_request : (...args) => instance.prepare_outgoing_request(...args) } : {}),
			...(typeof instance['process_outgoing_response'] === 'function' ? { process_outgoing_response : (...args) => instance.process_outgoing_response(...args) } : {}),
			...(typeof instance['process_incoming_request'] === 'function' ? { process_incoming_request : (...args) => instance.process_incoming_request(...args) } : {}),
		};

		return {
			...functions,
			availableFunctions: Object.keys(functions),
		}
	})();
`
}

// sandboxScript gives the context what buildSandbox puts in it besides
// global and console: s (lib/utils/stringUtils, copied in), ivm and
// serverFetch. This server makes no HTTP call for a script: serverFetch
// rejects (SPEC.md §S2).
const sandboxScript = `(function(g) {
	const makeString = (o) => (!o ? '' : String(o));
	const escapeRegExp = (x) => x.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
	const toWhiteSpace = (c) => (!c ? '\\s' : (typeof c === 'object' && 'source' in c) ? c.source : '[' + escapeRegExp(makeString(c)) + ']');
	const pad = (str, length, padStr, type = 'right') => {
		str = makeString(str); length = ~~length;
		if (!padStr) padStr = ' '; else if (padStr.length > 1) padStr = padStr.charAt(0);
		const padlen = length - str.length;
		switch (type) {
			case 'right': return str + padStr.repeat(padlen);
			case 'both': return padStr.repeat(Math.ceil(padlen / 2)) + str + padStr.repeat(Math.floor(padlen / 2));
			default: return padStr.repeat(padlen) + str;
		}
	};
	g.s = {
		truncate: (str, length) => (str.length > length ? str.slice(0, length - 3) + '...' : str),
		trim: (str, c) => { str = makeString(str); if (!c) return str.trim(); c = toWhiteSpace(c); return str.replace(new RegExp('^' + c + '+|' + c + '+$', 'g'), ''); },
		ltrim: (str, c) => { str = makeString(str); if (!c) return str.trimLeft(); return str.replace(new RegExp('^' + toWhiteSpace(c) + '+'), ''); },
		rtrim: (str, c) => { str = makeString(str); if (!c) return str.trimRight(); return str.replace(new RegExp(toWhiteSpace(c) + '+$'), ''); },
		capitalize: (str, lowercaseRest) => { str = makeString(str); return str.charAt(0).toUpperCase() + (!lowercaseRest ? str.slice(1) : str.slice(1).toLowerCase()); },
		stripTags: (str) => makeString(str).replace(/<\/?[^>]+>/g, ''),
		strLeft: (str, sep) => { str = makeString(str); sep = makeString(sep); const pos = !sep ? -1 : str.indexOf(sep); return ~pos ? str.slice(0, pos) : str; },
		strRight: (str, sep) => { str = makeString(str); sep = makeString(sep); const pos = !sep ? -1 : str.indexOf(sep); return ~pos ? str.slice(pos + sep.length, str.length) : str; },
		strRightBack: (str, sep) => { str = makeString(str); sep = makeString(sep); const pos = !sep ? -1 : str.lastIndexOf(sep); return ~pos ? str.slice(pos + sep.length, str.length) : str; },
		numberFormat: (n, dec, dsep, tsep) => {
			if (isNaN(n) || n === null || n === undefined) return '';
			const number = n.toFixed(~~dec);
			tsep = typeof tsep === 'string' ? tsep : ',';
			const parts = number.split('.');
			const decimals = parts[1] ? (dsep || '.') + parts[1] : '';
			return parts[0].replace(/(\d)(?=(?:\d{3})+$)/g, '$1' + tsep) + decimals;
		},
		pad: pad,
		lrpad: (str, length, padStr) => pad(str, length, padStr, 'both'),
		wildcardToRegex: (p) => '^' + escapeRegExp(p).replace(/\\\*/g, '.*').replace(/\\\?/g, '.') + '$',
	};
	const unavailable = () => { throw new Error('isolated-vm is not available in this server'); };
	g.ivm = { Reference: function Reference() { unavailable(); }, ExternalCopy: function ExternalCopy() { unavailable(); }, Callback: function Callback() { unavailable(); } };
	g.serverFetch = {
		typeof: 'function',
		apply: () => Promise.reject(new Error('HTTP requests from scripts are not made by this server')),
	};
})(this);`

// consoleMethods are the enumerable methods of Node's console, which
// buildSandbox copies into the context. Output is discarded.
var consoleMethods = []string{
	"log", "warn", "dir", "time", "timeEnd", "timeLog", "trace", "assert", "clear", "count", "countReset",
	"group", "groupEnd", "table", "debug", "info", "dirxml", "error", "groupCollapsed",
}

// scriptInstance is one entry of Rocket.Chat's compiledScripts: the context
// that ran the wrapper (and so holds Store) and the instance's functions.
type scriptInstance struct {
	mu        sync.Mutex // a goja.Runtime runs one call at a time
	vm        *goja.Runtime
	updatedAt any
	methods   []string
	functions map[string]goja.Callable
}

// scriptCache is compiledScripts, by integration _id.
type scriptCache struct {
	mu   sync.Mutex
	byID map[string]*scriptInstance
}

// instantiateScript is getIntegrationScript without the cache: a fresh
// context with the sandbox, then the wrapper around the compiled code, under
// the time limit. Any failure is errScriptEvaluation.
func instantiateScript(compiled string, timeout time.Duration) (*scriptInstance, error) {
	vm := goja.New()
	global := vm.GlobalObject()
	if err := global.Set("global", global); err != nil {
		return nil, err
	}
	console := vm.NewObject()
	for _, name := range consoleMethods {
		_ = console.Set(name, func(goja.FunctionCall) goja.Value { return goja.Undefined() })
	}
	_ = global.Set("console", console)
	if _, err := vm.RunString(sandboxScript); err != nil {
		return nil, fmt.Errorf("sandbox: %w", err)
	}
	program, err := goja.Compile("", compatibilityScript(compiled), false)
	if err != nil {
		return nil, fmt.Errorf("%w: %s", errScriptEvaluation, describeJSError(err))
	}
	var result goja.Value
	err = withTimeLimit(vm, timeout, func() error {
		var runErr error
		result, runErr = vm.RunProgram(program)
		return runErr
	})
	if err != nil {
		return nil, fmt.Errorf("%w: %s", errScriptEvaluation, describeJSError(err))
	}
	obj := result.ToObject(vm)
	inst := &scriptInstance{vm: vm, functions: map[string]goja.Callable{}}
	for _, name := range scriptMethods {
		if fn, ok := goja.AssertFunction(obj.Get(name)); ok {
			inst.methods = append(inst.methods, name)
			inst.functions[name] = fn
		}
	}
	return inst, nil
}

// withTimeLimit runs f and interrupts the runtime when the limit passes,
// as isolated-vm's timeout does.
func withTimeLimit(vm *goja.Runtime, timeout time.Duration, f func() error) error {
	timer := time.AfterFunc(timeout, func() { vm.Interrupt("Script execution timed out.") })
	err := f()
	timer.Stop()
	vm.ClearInterrupt()
	return err
}

// call runs one method with a copy of params, waits for a returned Promise
// and copies the result out, all under the time limit.
func (inst *scriptInstance) call(method string, params map[string]any, timeout time.Duration) (any, error) {
	inst.mu.Lock()
	defer inst.mu.Unlock()
	fn := inst.functions[method]
	var out any
	err := withTimeLimit(inst.vm, timeout, func() error {
		arg, err := jsonCopyIn(inst.vm, params)
		if err != nil {
			return err
		}
		v, err := fn(goja.Undefined(), arg)
		if err != nil {
			return err
		}
		// goja settles promise jobs before the call returns; one still
		// pending waits on something that can never come in this sandbox.
		if p, ok := v.Export().(*goja.Promise); ok {
			switch p.State() {
			case goja.PromiseStateRejected:
				return errors.New(describeThrown(p.Result()))
			case goja.PromiseStatePending:
				return errors.New("the promise the method returned never settled")
			}
			v = p.Result()
		}
		out, err = copyOut(inst.vm, v)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("%w: %s", errScriptRunning, describeJSError(err))
	}
	return out, nil
}

// jsonCopyIn gives the script its own copy of params, as isolated-vm's
// {arguments: {copy: true}} does.
func jsonCopyIn(vm *goja.Runtime, params map[string]any) (goja.Value, error) {
	data, err := json.Marshal(params)
	if err != nil {
		return nil, err
	}
	parse, _ := goja.AssertFunction(vm.Get("JSON").ToObject(vm).Get("parse"))
	return parse(goja.Undefined(), vm.ToValue(string(data)))
}

// copyOut turns a script's value into JSON-like Go values, as
// {result: {copy: true}} copies it out of the isolate: functions and symbols
// cannot be copied; undefined properties are left out (JSON drops them
// anyway); dates become ISO strings as they reach JSON.
func copyOut(vm *goja.Runtime, v goja.Value) (any, error) {
	return copyValue(vm, v, map[*goja.Object]bool{})
}

func copyValue(vm *goja.Runtime, v goja.Value, seen map[*goja.Object]bool) (any, error) {
	if v == nil || goja.IsUndefined(v) || goja.IsNull(v) {
		return nil, nil
	}
	switch x := v.Export().(type) {
	case bool, string:
		return x, nil
	case int64:
		return float64(x), nil
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return nil, nil // JSON.stringify writes null
		}
		return x, nil
	case time.Time:
		return x.UTC().Format("2006-01-02T15:04:05.000Z"), nil
	}
	obj, ok := v.(*goja.Object)
	if !ok {
		return nil, fmt.Errorf("TypeError: %s could not be cloned", v.String())
	}
	if _, isFn := goja.AssertFunction(obj); isFn {
		return nil, errors.New("TypeError: function could not be cloned")
	}
	if seen[obj] {
		return nil, errors.New("TypeError: a circular structure cannot be copied to JSON")
	}
	seen[obj] = true
	defer delete(seen, obj)
	if obj.ClassName() == "Array" {
		n := int(obj.Get("length").ToInteger())
		out := make([]any, n)
		for i := range n {
			e, err := copyValue(vm, obj.Get(fmt.Sprint(i)), seen)
			if err != nil {
				return nil, err
			}
			out[i] = e
		}
		return out, nil
	}
	out := map[string]any{}
	for _, k := range obj.Keys() {
		pv := obj.Get(k)
		if goja.IsUndefined(pv) {
			continue
		}
		e, err := copyValue(vm, pv, seen)
		if err != nil {
			return nil, err
		}
		out[k] = e
	}
	return out, nil
}

// describeJSError is "Name: message" for a thrown JavaScript error, the
// time limit's message for an interrupt, or the Go error's text.
func describeJSError(err error) string {
	var ex *goja.Exception
	if errors.As(err, &ex) {
		return describeThrown(ex.Value())
	}
	var intr *goja.InterruptedError
	if errors.As(err, &intr) {
		return "Error: Script execution timed out."
	}
	var syn *goja.CompilerSyntaxError
	if errors.As(err, &syn) {
		return "SyntaxError: " + syn.Message
	}
	return strings.TrimSpace(err.Error())
}

// describeThrown is "Name: message" for a thrown error object, else
// String(value).
func describeThrown(v goja.Value) string {
	if obj, ok := v.(*goja.Object); ok {
		name, msg := obj.Get("name"), obj.Get("message")
		if name != nil && !goja.IsUndefined(name) {
			m := ""
			if msg != nil && !goja.IsUndefined(msg) {
				m = msg.String()
			}
			return name.String() + ": " + m
		}
	}
	if v == nil {
		return "undefined"
	}
	return v.String() // String(value), as for a thrown string
}

// scriptTimeout is the configured time limit.
func (s *Server) scriptTimeout() time.Duration {
	if s.cfg.scriptTimeout > 0 {
		return s.cfg.scriptTimeout
	}
	return DefaultScriptTimeout
}

// hasValidScript is integrationHasValidScript.
func hasValidScript(doc map[string]any) bool {
	compiled, _ := doc["scriptCompiled"].(string)
	return doc["scriptEnabled"] == true && strings.TrimSpace(compiled) != ""
}

// scriptFor is getIntegrationScript: the cached instance while the
// integration's _updatedAt is unchanged, else a new one, cached only when it
// could be made.
func (s *Server) scriptFor(doc map[string]any) (*scriptInstance, error) {
	id, _ := doc["_id"].(string)
	updatedAt := doc["_updatedAt"]
	s.scripts.mu.Lock()
	cached := s.scripts.byID[id]
	s.scripts.mu.Unlock()
	// +undefined is NaN, which equals nothing: no date, no cache hit.
	if cached != nil && updatedAt != nil && cached.updatedAt == updatedAt {
		return cached, nil
	}
	compiled, _ := doc["scriptCompiled"].(string)
	inst, err := instantiateScript(compiled, s.scriptTimeout())
	if err != nil {
		return nil, err
	}
	inst.updatedAt = updatedAt
	s.scripts.mu.Lock()
	if s.scripts.byID == nil {
		s.scripts.byID = map[string]*scriptInstance{}
	}
	s.scripts.byID[id] = inst
	s.scripts.mu.Unlock()
	return inst, nil
}

// runScript runs method of an integration's compiled script. doc is a copy of the stored document taken under s.mu; call it
// without s.mu held. found is false when the document has no valid script (scriptEnabled true and non-blank scriptCompiled)
// or the Script instance has no such function; err is a failure to instantiate Script, a thrown exception or the time limit.
// params and result are JSON-like values.
func (s *Server) runScript(doc map[string]any, method string, params map[string]any) (result any, found bool, err error) {
	if !hasValidScript(doc) {
		return nil, false, nil
	}
	inst, err := s.scriptFor(doc)
	if err != nil {
		return nil, false, err
	}
	if inst.functions[method] == nil {
		return nil, false, nil
	}
	result, err = inst.call(method, params, s.scriptTimeout())
	return result, true, err
}
