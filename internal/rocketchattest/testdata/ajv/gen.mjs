// Runs the request schemas of @rocket.chat/rest-typings through the real AJV
// and records what it does, so the Go validator can be checked against it.
//
// Regenerate golden.json:
//
//   cd internal/rocketchattest/testdata/ajv && npm ci && node gen.mjs
//
// The schemas are not copied into this repository. By default the script runs
// `npm pack @rocket.chat/rest-typings@<version>` into a temporary directory and
// reads dist/v1 from there; set REST_TYPINGS_DIR to an unpacked copy of the
// package (the directory holding package.json) to skip the download.
//
// dist/v1/Ajv.js and the *Props.js files are ES modules whose imports
// ('ajv/dist/2020', 'ajv-formats', '../Ajv') do not resolve outside Rocket.Chat,
// so their text is evaluated with those imports supplied as arguments. That
// builds `ajv` and `ajvQuery` with Rocket.Chat's own code and compiles each
// schema with the instance its module picks.

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

import { cases, probeSchemas } from './cases.mjs';

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));

const REST_TYPINGS_VERSION = '8.8.1';

// name in golden.json -> module under dist/v1/integrations
const SCHEMAS = {
	create: 'IntegrationsCreateProps',
	update: 'IntegrationsUpdateProps',
	remove: 'IntegrationsRemoveProps',
	get: 'IntegrationsGetProps',
	list: 'IntegrationsListProps',
	history: 'IntegrationsHistoryProps',
};

function restTypingsDir() {
	if (process.env.REST_TYPINGS_DIR) {
		return { dir: process.env.REST_TYPINGS_DIR, cleanup() {} };
	}
	const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rest-typings-'));
	const out = execFileSync('npm', ['pack', `@rocket.chat/rest-typings@${REST_TYPINGS_VERSION}`, '--pack-destination', tmp, '--silent'], {
		encoding: 'utf8',
	});
	const tarball = path.join(tmp, out.trim().split('\n').pop());
	execFileSync('tar', ['-xzf', tarball, '-C', tmp]);
	return { dir: path.join(tmp, 'package'), cleanup: () => fs.rmSync(tmp, { recursive: true, force: true }) };
}

// Splits an ES module's source into its import specifiers and a function body.
function moduleBody(file) {
	const text = fs.readFileSync(file, 'utf8');
	const imports = [];
	const body = text
		.replace(/^import\s+(.+?)\s+from\s+'([^']+)';\s*$/gm, (_, what, from) => {
			imports.push({ what, from });
			return '';
		})
		.replace(/^\/\/# sourceMappingURL=.*$/gm, '');
	return { imports, body };
}

function expectImports(file, got, want) {
	const g = JSON.stringify(got);
	const w = JSON.stringify(want);
	if (g !== w) {
		throw new Error(`${file}: unexpected imports ${g}, want ${w}`);
	}
}

function loadAjvInstances(dist) {
	const file = path.join(dist, 'v1', 'Ajv.js');
	const { imports, body } = moduleBody(file);
	expectImports(file, imports, [
		{ what: 'Ajv', from: 'ajv/dist/2020' },
		{ what: 'addFormats', from: 'ajv-formats' },
	]);
	if (!/^export \{ ajv, ajvQuery \};$/m.test(body)) {
		throw new Error(`${file}: expected "export { ajv, ajvQuery };"`);
	}
	const fnBody = body.replace(/^export \{ ajv, ajvQuery \};$/m, '').replace(/^export const /gm, 'const ') + '\nreturn { ajv, ajvQuery };';
	const Ajv = require('ajv/dist/2020').default;
	const addFormats = require('ajv-formats').default;
	return new Function('Ajv', 'addFormats', fnBody)(Ajv, addFormats);
}

function loadSchema(dist, moduleName, instances) {
	const file = path.join(dist, 'v1', 'integrations', `${moduleName}.js`);
	const { imports, body } = moduleBody(file);
	if (imports.length !== 1 || imports[0].from !== '../Ajv' || !/^\{ (ajv|ajvQuery) \}$/.test(imports[0].what)) {
		throw new Error(`${file}: unexpected imports ${JSON.stringify(imports)}`);
	}
	const compileRe = /^export const (\w+) = (ajv|ajvQuery)\.compile\((\w+)\);$/m;
	const m = body.match(compileRe);
	if (!m) {
		throw new Error(`${file}: no "export const x = ajv.compile(schema);" line`);
	}
	// AJV rewrites parts of a schema while compiling it (a nullable union type
	// gains "null"), so the schema is serialised before compile sees it.
	const fnBody = body.replace(
		compileRe,
		`const __schema = JSON.stringify(${m[3]});\nreturn { schema: JSON.parse(__schema), validate: ${m[2]}.compile(${m[3]}), instance: '${m[2]}' };`,
	);
	return new Function('ajv', 'ajvQuery', fnBody)(instances.ajv, instances.ajvQuery);
}

// JSON cannot carry -0 or non-finite numbers, yet AJV's coercion produces
// them ("-0" -> -0, "Infinity" -> Infinity); they are written as {"$number": "..."}.
function encodeSpecialNumbers(_key, value) {
	if (typeof value === 'number' && (!Number.isFinite(value) || Object.is(value, -0))) {
		return { $number: Object.is(value, -0) ? '-0' : String(value) };
	}
	return value;
}

function main() {
	const src = restTypingsDir();
	try {
		const pkg = JSON.parse(fs.readFileSync(path.join(src.dir, 'package.json'), 'utf8'));
		if (pkg.name !== '@rocket.chat/rest-typings' || pkg.version !== REST_TYPINGS_VERSION) {
			throw new Error(`${src.dir} holds ${pkg.name}@${pkg.version}, want @rocket.chat/rest-typings@${REST_TYPINGS_VERSION}`);
		}
		const dist = path.join(src.dir, 'dist');
		const instances = loadAjvInstances(dist);
		const compiled = {};
		for (const [name, moduleName] of Object.entries(SCHEMAS)) {
			compiled[name] = loadSchema(dist, moduleName, instances);
		}

		const probes = {};
		for (const [name, { instance, schema }] of Object.entries(probeSchemas)) {
			const snapshot = JSON.parse(JSON.stringify(schema));
			probes[name] = { instance, schema: snapshot };
			compiled[name] = { validate: instances[instance].compile(structuredClone(schema)) };
		}

		const seen = new Set();
		const out = [];
		const rawSchemas = Object.fromEntries(Object.keys(SCHEMAS).map((name) => [name, compiled[name].schema]));
		for (const c of cases(structuredClone(rawSchemas))) {
			if (seen.has(c.name)) {
				throw new Error(`duplicate case name ${c.name}`);
			}
			seen.add(c.name);
			const v = compiled[c.schema];
			if (!v) {
				throw new Error(`${c.name}: unknown schema ${c.schema}`);
			}
			const data = JSON.parse(c.input);
			const valid = v.validate(data);
			out.push({
				name: c.name,
				schema: c.schema,
				input: c.input,
				valid,
				messages: (v.validate.errors || []).map((e) => e.message),
				coerced: JSON.parse(JSON.stringify(data, encodeSpecialNumbers)),
			});
		}

		const ajvVersion = JSON.parse(fs.readFileSync(require.resolve('ajv/package.json'), 'utf8')).version;
		const schemas = Object.fromEntries(
			Object.keys(SCHEMAS).map((name) => [name, { module: SCHEMAS[name], instance: compiled[name].instance, schema: compiled[name].schema }]),
		);
		// One case per line keeps diffs readable.
		const lines = [
			'{',
			`"ajv": ${JSON.stringify(ajvVersion)},`,
			`"restTypings": ${JSON.stringify(REST_TYPINGS_VERSION)},`,
			`"schemas": ${JSON.stringify(schemas)},`,
			`"probes": ${JSON.stringify(probes)},`,
			'"cases": [',
			out.map((c) => JSON.stringify(c)).join(',\n'),
			']',
			'}',
			'',
		];
		fs.writeFileSync(path.join(here, 'golden.json'), lines.join('\n'));
		const invalid = out.filter((c) => !c.valid).length;
		console.log(`golden.json: ${out.length} cases (${out.length - invalid} valid, ${invalid} invalid), ajv ${ajvVersion}`);
	} finally {
		src.cleanup();
	}
}

main();
