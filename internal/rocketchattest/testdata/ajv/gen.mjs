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
// dist/v1/Ajv.js and the schema modules are ES modules whose imports
// ('ajv/dist/2020', 'ajv-formats', '../Ajv' or './Ajv') do not resolve outside
// Rocket.Chat, so their text is evaluated with those imports supplied as
// arguments. That builds `ajv` and `ajvQuery` with Rocket.Chat's own code and
// compiles each schema with the instance its module picks. A module may export
// several validators; the whole module runs and the named export's schema is
// recorded.
//
// A few endpoints compile their query schema inline in Rocket.Chat's server
// code rather than in rest-typings. Those schemas are transcribed in
// SERVER_SCHEMAS below, with the server file they come from, and compiled
// with the same `ajv`/`ajvQuery` instances.

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

// name in golden.json -> module under dist/v1 and the export that compiles
// the schema
const SCHEMAS = {
	create: { module: 'integrations/IntegrationsCreateProps', export: 'isIntegrationsCreateProps' },
	update: { module: 'integrations/IntegrationsUpdateProps', export: 'isIntegrationsUpdateProps' },
	remove: { module: 'integrations/IntegrationsRemoveProps', export: 'isIntegrationsRemoveProps' },
	get: { module: 'integrations/IntegrationsGetProps', export: 'isIntegrationsGetProps' },
	list: { module: 'integrations/IntegrationsListProps', export: 'isIntegrationsListProps' },
	history: { module: 'integrations/IntegrationsHistoryProps', export: 'isIntegrationsHistoryProps' },
	'users.info': { module: 'users/UsersInfoParamsGet', export: 'isUsersInfoParamsGetProps' },
	'subscriptions.get': { module: 'subscriptionsEndpoints', export: 'isSubscriptionsGetProps' },
	'settings.public': { module: 'settings', export: 'isSettingsPublicWithPaginationProps' },
	'chat.postMessage': { module: 'chat', export: 'isChatPostMessageProps' },
};

// Query schemas that Rocket.Chat's server compiles inline, copied verbatim
// from the file named in source.
const ROCKET_CHAT_COMMIT = '4a1d4312bd7a033a581015aa4d36c72780abb2e2';
const SERVER_SCHEMAS = {
	'permissions.listAll': {
		source: `https://github.com/RocketChat/Rocket.Chat/blob/${ROCKET_CHAT_COMMIT}/apps/meteor/server/api/v1/permissions.ts`,
		instance: 'ajvQuery',
		schema: {
			type: 'object',
			properties: {
				updatedSince: {
					type: 'string',
					nullable: true,
				},
			},
			required: [],
			additionalProperties: false,
		},
	},
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

function loadSchema(dist, { module: moduleName, export: exportName }, instances) {
	const file = path.join(dist, 'v1', `${moduleName}.js`);
	const { imports, body } = moduleBody(file);
	const ajvFile = path.resolve(dist, 'v1', 'Ajv');
	if (
		imports.length !== 1 ||
		!imports[0].from.startsWith('.') ||
		path.resolve(path.dirname(file), imports[0].from) !== ajvFile ||
		!/^\{ (ajv|ajvQuery|ajv, ajvQuery) \}$/.test(imports[0].what)
	) {
		throw new Error(`${file}: unexpected imports ${JSON.stringify(imports)}`);
	}
	const compileRe = new RegExp(`^export const ${exportName} = (ajv|ajvQuery)\\.compile\\((\\w+)\\);$`, 'gm');
	const found = [...body.matchAll(compileRe)];
	if (found.length !== 1) {
		throw new Error(`${file}: want one "export const ${exportName} = ajv.compile(schema);" line, found ${found.length}`);
	}
	const [, instance, schemaVar] = found[0];
	// Other exports of the module are kept as plain constants so that the
	// module runs as a whole; any other export form is unexpected.
	const rest = body.replace(compileRe, '').replace(/^export const /gm, 'const ');
	if (/^\s*(export|import)\b/m.test(rest)) {
		throw new Error(`${file}: unexpected import or export form`);
	}
	// AJV rewrites parts of a schema while compiling it (a nullable union type
	// gains "null"), so the schema is serialised before compile sees it.
	const fnBody = body
		.replace(
			compileRe,
			`const __schema = JSON.stringify(${schemaVar});\nconst __validate = ${instance}.compile(${schemaVar});`,
		)
		.replace(/^export const /gm, 'const ')
		.concat(`\nreturn { schema: JSON.parse(__schema), validate: __validate, instance: '${instance}' };`);
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
		for (const [name, source] of Object.entries(SCHEMAS)) {
			compiled[name] = loadSchema(dist, source, instances);
		}
		const server = {};
		for (const [name, { source, instance, schema }] of Object.entries(SERVER_SCHEMAS)) {
			server[name] = { source, instance, schema: JSON.parse(JSON.stringify(schema)) };
			compiled[name] = { schema: server[name].schema, validate: instances[instance].compile(structuredClone(schema)), instance };
		}

		const probes = {};
		for (const [name, { instance, schema }] of Object.entries(probeSchemas)) {
			const snapshot = JSON.parse(JSON.stringify(schema));
			probes[name] = { instance, schema: snapshot };
			compiled[name] = { validate: instances[instance].compile(structuredClone(schema)) };
		}

		const seen = new Set();
		const out = [];
		const rawSchemas = Object.fromEntries([...Object.keys(SCHEMAS), ...Object.keys(SERVER_SCHEMAS)].map((name) => [name, compiled[name].schema]));
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
			Object.entries(SCHEMAS).map(([name, { module, export: exportName }]) => [
				name,
				{ module: `dist/v1/${module}.js`, export: exportName, instance: compiled[name].instance, schema: compiled[name].schema },
			]),
		);
		// One case per line keeps diffs readable.
		const lines = [
			'{',
			`"ajv": ${JSON.stringify(ajvVersion)},`,
			`"restTypings": ${JSON.stringify(REST_TYPINGS_VERSION)},`,
			`"schemas": ${JSON.stringify(schemas)},`,
			`"server": ${JSON.stringify(server)},`,
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
