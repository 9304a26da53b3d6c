// Writes golden.json: for every script of cases.mjs, what Rocket.Chat 8.8.1 decides when the script is saved
// (Babel transpile, or node:vm check with skipTranspile) and what running the compiled script gives.
// Run with Node 22 (the Node of Rocket.Chat 8.x, whose V8 also runs the scripts through isolated-vm):
//   cd testdata/scripts && npm ci && node gen.mjs
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';

import cases from './cases.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const goldenPath = path.join(here, 'golden.json');
const wrapperPrefixLength = '(function(){'.length;

// Babel's error messages embed a code frame that is coloured when stdout is a terminal; Rocket.Chat's server
// has no terminal, so colours are turned off before Babel is loaded.
process.env.NO_COLOR = '1';
delete process.env.FORCE_COLOR;
// Browserslist settings from the environment would change preset-env's targets; the production server sets none.
delete process.env.BROWSERSLIST;
delete process.env.BROWSERSLIST_CONFIG;
delete process.env.BROWSERSLIST_ENV;

const { transformSync, loadPartialConfig } = await import('@babel/core');
const { default: presetEnv } = await import('@babel/preset-env');

// Rocket.Chat calls Babel without filename, cwd or root, so Babel looks for babel.config.* and a Browserslist
// configuration from the process's working directory. The production image runs in /app/bundle, which has neither;
// an empty directory reproduces that, whatever directory this generator is started from.
const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rc-script-corpus-'));
process.chdir(workDir);
assertNoConfiguration();

function assertNoConfiguration() {
	const partial = loadPartialConfig({ presets: [presetEnv] });
	if (partial.config || partial.babelrc) {
		throw new Error(`a Babel configuration file would be used: ${partial.config || partial.babelrc}`);
	}
	const probe = transformSync('class A {}', { presets: [presetEnv], compact: true, minified: true, comments: false });
	if (!/_classCallCheck/.test(probe.code)) {
		throw new Error('preset-env did not transpile classes: a Browserslist configuration is in effect');
	}
}

// babelVerdict compiles the script exactly as compileIntegrationScript does when transpiling.
function babelVerdict(source) {
	try {
		const result = transformSync(source, { presets: [presetEnv], compact: true, minified: true, comments: false });
		return { verdict: { ok: true }, code: result?.code ?? source };
	} catch (error) {
		return {
			verdict: {
				ok: false,
				name: error.name,
				message: error.message,
				line: error.loc?.line ?? null,
				column: error.loc?.column ?? null,
			},
			code: null,
		};
	}
}

// vmVerdict checks the script exactly as compileIntegrationScript does with skipTranspile.
function vmVerdict(source) {
	try {
		new vm.Script(`(function(){${source}})`);
		return { ok: true };
	} catch (error) {
		if (!(error instanceof SyntaxError)) {
			// Rocket.Chat rethrows anything but a SyntaxError; no case should get here.
			throw error;
		}
		return { ok: false, name: error.name, message: error.message, ...positionFromStack(error.stack) };
	}
}

// positionFromStack reads where V8 put the caret. Node decorates a vm SyntaxError's stack with
// "evalmachine.<anonymous>:LINE", the source line, and a line of carets under the offending token.
// The column is 0-based like Babel's and relative to the user's script (the wrapper only adds to line 1).
function positionFromStack(stack) {
	const lines = String(stack).split('\n');
	const header = /^evalmachine\.<anonymous>:(\d+)$/.exec(lines[0]);
	if (!header) {
		return { line: null, column: null };
	}
	const line = Number(header[1]);
	const caret = lines[2] === undefined ? -1 : lines[2].indexOf('^');
	if (caret < 0) {
		return { line, column: null };
	}
	const column = line === 1 ? caret - wrapperPrefixLength : caret;
	return { line, column: column < 0 ? null : column };
}

// compatibilityScript embeds compiled code the way the isolated-vm engine's getCompatibilityScript does:
// a classic script with a Store helper before it and, after it, an expression that instantiates Script
// and reports which of the three entry points the instance has as functions.
function compatibilityScript(code) {
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

	${code}

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
`;
}

function runVerdict(code) {
	const quiet = () => {};
	const sandbox = { console: { log: quiet, info: quiet, warn: quiet, error: quiet } };
	try {
		const result = vm.runInNewContext(compatibilityScript(code), sandbox, { timeout: 1000 });
		return { script: true, error: null, methods: Array.from(result.availableFunctions) };
	} catch (error) {
		return { script: false, error: describeThrown(error), methods: [] };
	}
}

// describeThrown formats what the script threw; errors come from another realm, so no instanceof.
function describeThrown(thrown) {
	if (thrown !== null && typeof thrown === 'object' && typeof thrown.name === 'string') {
		return `${thrown.name}: ${thrown.message}`;
	}
	return String(thrown);
}

function installedVersion(name) {
	return JSON.parse(fs.readFileSync(path.join(here, 'node_modules', name, 'package.json'), 'utf8')).version;
}

const golden = {
	generator: 'testdata/scripts/gen.mjs',
	node: process.version,
	babel: { core: installedVersion('@babel/core'), presetEnv: installedVersion('@babel/preset-env') },
	cases: cases.map(({ name, group, source }) => {
		const babel = babelVerdict(source);
		return {
			name,
			group,
			source,
			babel: babel.verdict,
			vm: vmVerdict(source),
			run: babel.code === null ? null : runVerdict(babel.code),
		};
	}),
};

process.chdir(here);
fs.rmSync(workDir, { recursive: true, force: true });
fs.writeFileSync(goldenPath, JSON.stringify(golden, null, 2) + '\n');

if (!process.version.startsWith('v22.')) {
	console.warn(`warning: generated with Node ${process.version}; Rocket.Chat 8.x runs Node 22, whose V8 messages golden.json records`);
}
const count = (predicate) => golden.cases.filter(predicate).length;
console.log(
	`${golden.cases.length} cases: Babel accepts ${count((c) => c.babel.ok)}, vm accepts ${count((c) => c.vm.ok)}, ` +
		`they disagree on ${count((c) => c.babel.ok !== c.vm.ok)}`,
);
