// Inputs fed to AJV by gen.mjs. Every input is JSON text, so that values such
// as -0 or 1e21 reach AJV (and the Go side) exactly as a client would send them.
//
// cases(schemas) receives the schema objects read from @rocket.chat/rest-typings
// (and those gen.mjs takes from Rocket.Chat's server code) and sweeps every
// declared property, so a property added upstream is covered without editing
// this file.

const j = (v) => JSON.stringify(v);

function label(v) {
	if (v === null) return 'null';
	if (Array.isArray(v)) return `array:${j(v)}`;
	if (typeof v === 'object') return `object:${j(v)}`;
	if (typeof v === 'string') return `string:${j(v)}`;
	return `${typeof v}:${j(v)}`;
}

// Every JSON type, plus the strings and numbers that AJV coerces.
const BODY_VALUES = ['abc', '', 'true', 'false', '5', 0, 1, 2.5, true, false, null, [], ['x'], {}];

// What a query string parser can produce: strings, repeated keys (arrays) and,
// with bracket syntax, nested objects.
const QUERY_VALUES = ['abc', '', '5', ' ', ['abc'], ['5'], [''], ['a', 'b'], [], { a: 'b' }];

const incomingCreate = {
	type: 'webhook-incoming',
	username: 'rocket.cat',
	channel: '#general',
	scriptEnabled: false,
	name: 'hook',
	enabled: true,
};
const incomingCreateFull = {
	...incomingCreate,
	skipTranspile: false,
	overrideDestinationChannelEnabled: true,
	script: 'class Script { process_incoming_request() { return {}; } }',
	alias: 'bot',
	avatar: 'https://example.com/avatar.png',
	emoji: ':ghost:',
	scriptEngine: 'isolated-vm',
};
const outgoingCreate = {
	type: 'webhook-outgoing',
	username: 'rocket.cat',
	channel: '#general',
	event: 'sendMessage',
	scriptEnabled: false,
	name: 'hook',
	enabled: true,
};
const outgoingCreateFull = {
	...outgoingCreate,
	targetRoom: '#random',
	urls: ['https://example.com/hook', 'https://example.org/hook'],
	triggerWords: ['!deploy', 'ping'],
	triggerWordAnywhere: true,
	token: 'secret-token',
	skipTranspile: true,
	script: 'class Script {}',
	runOnEdits: true,
	retryFailedCalls: true,
	retryCount: 6,
	retryDelay: 'powers-of-ten',
	impersonateUser: false,
	alias: 'bot',
	avatar: 'https://example.com/avatar.png',
	emoji: ':ghost:',
	scriptEngine: 'isolated-vm',
};
const incomingUpdate = {
	type: 'webhook-incoming',
	integrationId: 'abc123',
	channel: '#general',
	scriptEnabled: false,
	name: 'hook',
	enabled: true,
};
const incomingUpdateFull = {
	...incomingUpdate,
	skipTranspile: false,
	scriptEngine: 'isolated-vm',
	overrideDestinationChannelEnabled: false,
	script: '',
	alias: 'bot',
	avatar: 'https://example.com/avatar.png',
	emoji: ':ghost:',
};
const outgoingUpdate = {
	type: 'webhook-outgoing',
	integrationId: 'abc123',
	username: 'rocket.cat',
	channel: '#general',
	event: 'sendMessage',
	scriptEnabled: false,
	name: 'hook',
	enabled: true,
};
const outgoingUpdateFull = {
	...outgoingCreateFull,
	integrationId: 'abc123',
	target_url: 'https://example.com/hook',
};
const removeIncoming = { type: 'webhook-incoming', integrationId: 'abc123' };
const removeOutgoingByURL = { type: 'webhook-outgoing', target_url: 'https://example.com/hook' };
const removeOutgoingByID = { type: 'webhook-outgoing', integrationId: 'abc123' };

// Base inputs for each oneOf branch, in branch order.
const postByRoomId = { roomId: 'GENERAL' };
const postByChannel = { channel: '#general' };
const postFull = {
	text: 'hello',
	alias: 'Bot',
	emoji: ':ghost:',
	avatar: 'https://example.com/a.png',
	attachments: [{ title: 'A', text: 'x', fields: [{ title: 't', value: 'v', short: true }] }],
	customFields: { ticket: 'T-1' },
	parseUrls: false,
};
const BRANCH_BASES = {
	create: [
		['incoming', incomingCreate],
		['outgoing', outgoingCreate],
	],
	update: [
		['incoming', incomingUpdate],
		['outgoing', outgoingUpdate],
	],
	remove: [
		['incoming', removeIncoming],
		['outgoing-url', removeOutgoingByURL],
		['outgoing-id', removeOutgoingByID],
	],
	'chat.postMessage': [
		['roomId', postByRoomId],
		['channel', postByChannel],
	],
};
const QUERY_BASES = {
	get: { integrationId: 'abc123' },
	list: {},
	history: { id: 'abc123' },
	'subscriptions.get': {},
	'settings.public': {},
	'permissions.listAll': {},
};
// Base queries for each anyOf branch, in branch order; each holds exactly the
// branch's required properties.
const ANYOF_QUERY_BASES = {
	'users.info': [
		['by-userId', { userId: 'abc123' }],
		['by-username', { username: 'rocket.cat' }],
		['by-importId', { importId: 'import-1' }],
		['by-email', { email: 'cat@example.com' }],
		['by-freeSwitchExtension', { freeSwitchExtension: '1001' }],
	],
};
const USER_KEYS = Object.assign({}, ...ANYOF_QUERY_BASES['users.info'].map(([, base]) => base));

// Schemas that are not Rocket.Chat's, compiled by the same AJV instances, to
// pin down coercion rules the integration schemas do not reach: non-nullable
// numbers and booleans, union types without null, and array wrapping in
// query mode.
export const probeSchemas = {
	'probe-body': {
		instance: 'ajv',
		schema: {
			type: 'object',
			properties: {
				n: { type: 'number' },
				b: { type: 'boolean' },
				s: { type: 'string' },
				u: { type: ['string', 'boolean'] },
				un: { type: ['boolean', 'number'], nullable: true },
				a: { type: 'array', items: { type: 'number' } },
				o: { type: 'object', properties: { x: { type: 'boolean' } } },
			},
		},
	},
	'probe-query': {
		instance: 'ajvQuery',
		schema: {
			type: 'object',
			properties: {
				a: { type: 'array', items: { type: 'string', minLength: 1 } },
				an: { type: 'array', nullable: true, items: { type: 'number' } },
				n: { type: 'number' },
				b: { type: 'boolean' },
				u: { type: ['number', 'boolean'] },
				ua: { type: ['array', 'string'] },
			},
		},
	},
	// anyOf on a property: a failing branch coerces the value before a later
	// branch looks at it.
	'probe-anyof': {
		instance: 'ajvQuery',
		schema: {
			type: 'object',
			properties: {
				s: { anyOf: [{ type: 'string', minLength: 3 }, { type: 'array' }] },
				n: { anyOf: [{ type: 'number' }, { type: 'boolean' }, { type: 'array' }] },
			},
		},
	},
	// anyOf at the root, as users.info has it: whether coercions of a failed
	// branch survive, and whether branches after the first passing one run
	// (the third branch would wrap d into an array).
	'probe-anyof-root': {
		instance: 'ajvQuery',
		schema: {
			anyOf: [
				{ type: 'object', properties: { a: { type: 'number' }, b: { type: 'boolean' } }, required: ['a'] },
				{ type: 'object', properties: { a: { type: 'array' } }, required: ['a'] },
				{ type: 'object', properties: { d: { type: 'array' } } },
			],
		},
	},
};

const PROBE_VALUES = ['abc', '', 'true', 'false', '5', '0', 0, 1, 2.5, true, false, null, [], ['x'], ['5'], ['true'], [''], [null], [1, 2], [['5']], {}];

const without = (obj, key) => Object.fromEntries(Object.entries(obj).filter(([k]) => k !== key));

export function cases(schemas) {
	const out = [];
	const add = (schema, name, input) => out.push({ schema, name: `${schema}/${name}`, input: typeof input === 'string' ? input : j(input) });

	// Sweeps driven by the schemas themselves.
	for (const [schemaName, bases] of Object.entries(BRANCH_BASES)) {
		const branches = schemas[schemaName].oneOf;
		if (branches.length !== bases.length) {
			throw new Error(`${schemaName}: ${branches.length} oneOf branches, ${bases.length} bases`);
		}
		branches.forEach((branch, i) => {
			const [branchName, base] = bases[i];
			add(schemaName, `${branchName}/minimal`, base);
			for (const req of branch.required) {
				add(schemaName, `${branchName}/missing/${req}`, without(base, req));
			}
			for (const prop of Object.keys(branch.properties)) {
				for (const v of BODY_VALUES) {
					add(schemaName, `${branchName}/${prop}=${label(v)}`, { ...base, [prop]: v });
				}
			}
		});
	}
	for (const [schemaName, bases] of Object.entries(ANYOF_QUERY_BASES)) {
		const branches = schemas[schemaName].anyOf;
		if (branches.length !== bases.length) {
			throw new Error(`${schemaName}: ${branches.length} anyOf branches, ${bases.length} bases`);
		}
		branches.forEach((branch, i) => {
			const [branchName, base] = bases[i];
			if (j([...branch.required].sort()) !== j(Object.keys(base).sort())) {
				throw new Error(`${schemaName}/${branchName}: required ${j(branch.required)}, base ${j(base)}`);
			}
			add(schemaName, `${branchName}/minimal`, base);
			for (const prop of Object.keys(branch.properties)) {
				for (const v of QUERY_VALUES) {
					add(schemaName, `${branchName}/${prop}=${label(v)}`, { ...base, [prop]: v });
				}
			}
		});
	}
	for (const [schemaName, base] of Object.entries(QUERY_BASES)) {
		const schema = schemas[schemaName];
		add(schemaName, 'minimal', base);
		for (const req of schema.required) {
			add(schemaName, `missing/${req}`, without(base, req));
		}
		for (const prop of Object.keys(schema.properties)) {
			for (const v of QUERY_VALUES) {
				add(schemaName, `${prop}=${label(v)}`, { ...base, [prop]: v });
			}
		}
	}

	// Not an object at all.
	for (const s of ['create', 'update', 'remove', 'get', 'list', 'history', 'users.info', 'subscriptions.get', 'settings.public', 'permissions.listAll', 'chat.postMessage']) {
		for (const raw of ['[]', '[{}]', '"webhook-incoming"', '""', 'null', '0', '5', 'true', 'false', '{}']) {
			add(s, `root=${raw}`, raw);
		}
	}

	// Complete bodies.
	add('create', 'incoming/full', incomingCreateFull);
	add('create', 'outgoing/full', outgoingCreateFull);
	add('update', 'incoming/full', incomingUpdateFull);
	add('update', 'outgoing/full', outgoingUpdateFull);
	add('update', 'outgoing/without-integrationId', without(outgoingUpdate, 'integrationId'));
	add('update', 'outgoing/nulls', { ...outgoingUpdate, integrationId: null, target_url: null, urls: null, triggerWords: null, retryCount: null });
	add('remove', 'outgoing/both-ids', { type: 'webhook-outgoing', integrationId: 'abc123', target_url: 'https://example.com/hook' });
	add('remove', 'incoming/with-target_url', { type: 'webhook-incoming', integrationId: 'abc123', target_url: 'https://example.com/hook' });
	add('remove', 'outgoing/type-only', { type: 'webhook-outgoing' });
	add('remove', 'incoming/type-only', { type: 'webhook-incoming' });
	add('remove', 'empty', {});
	add('remove', 'ids-only', { integrationId: 'abc123', target_url: 'https://example.com/hook' });

	// Unknown properties.
	const extras = [
		['foo', 'bar'],
		['_id', 'abc'],
		['constructor', 'x'],
		['1', 'numeric key'],
	];
	for (const [k, v] of extras) {
		add('create', `incoming/extra/${k}`, { ...incomingCreate, [k]: v });
		add('create', `outgoing/extra/${k}`, { ...outgoingCreate, [k]: v });
		add('update', `incoming/extra/${k}`, { ...incomingUpdate, [k]: v });
		add('update', `outgoing/extra/${k}`, { ...outgoingUpdate, [k]: v });
		add('remove', `incoming/extra/${k}`, { ...removeIncoming, [k]: v });
		add('remove', `outgoing-url/extra/${k}`, { ...removeOutgoingByURL, [k]: v });
		add('get', `extra/${k}`, { integrationId: 'abc123', [k]: v });
		add('list', `extra/${k}`, { [k]: v });
		add('history', `extra/${k}`, { id: 'abc123', [k]: v });
		add('users.info', `by-userId/extra/${k}`, { userId: 'abc123', [k]: v });
		add('users.info', `extra-only/${k}`, { [k]: v });
		add('subscriptions.get', `extra/${k}`, { [k]: v });
		add('settings.public', `extra/${k}`, { [k]: v });
		add('permissions.listAll', `extra/${k}`, { [k]: v });
	}
	// Properties of the other branch.
	add('create', 'incoming/with-event', { ...incomingCreate, event: 'sendMessage' });
	add('create', 'incoming/with-urls', { ...incomingCreate, urls: ['https://example.com'] });
	add('create', 'outgoing/with-overrideDestinationChannelEnabled', { ...outgoingCreate, overrideDestinationChannelEnabled: true });
	add('update', 'incoming/with-outgoing-fields', { ...incomingUpdate, username: 'rocket.cat', event: 'sendMessage', urls: [1, ''], retryCount: 'x' });
	add('update', 'outgoing/with-overrideDestinationChannelEnabled', { ...outgoingUpdate, overrideDestinationChannelEnabled: true });
	add('update', 'incoming/with-target_url', { ...incomingUpdate, target_url: 'https://example.com' });

	// The type patterns are not anchored.
	const typeValues = [
		'webhook-incoming',
		'webhook-outgoing',
		'webhook-incoming-invalid',
		'xwebhook-incomingx',
		'xwebhook-outgoingx',
		'webhook-outgoing-invalid',
		'invalid-type',
		'webhook',
		'WEBHOOK-INCOMING',
		'Webhook-Outgoing',
		'webhook-incoming webhook-outgoing',
		'webhook-outgoing/webhook-incoming',
		' webhook-incoming ',
		'webhook_incoming',
	];
	for (const t of typeValues) {
		add('create', `type/incoming-body/${j(t)}`, { ...incomingCreate, type: t });
		add('create', `type/outgoing-body/${j(t)}`, { ...outgoingCreate, type: t });
		add('update', `type/incoming-body/${j(t)}`, { ...incomingUpdate, type: t });
		add('update', `type/outgoing-body/${j(t)}`, { ...outgoingUpdate, type: t });
		add('remove', `type/integrationId/${j(t)}`, { ...removeIncoming, type: t });
		add('remove', `type/target_url/${j(t)}`, { ...removeOutgoingByURL, type: t });
		add('remove', `type/both/${j(t)}`, { type: t, integrationId: 'abc123', target_url: 'https://example.com/hook' });
	}
	// A body that satisfies both update branches.
	add('update', 'both-branches', { ...outgoingUpdate, type: 'webhook-incoming+webhook-outgoing' });
	add('update', 'both-branches/integrationId-null', { ...outgoingUpdate, type: 'webhook-incoming+webhook-outgoing', integrationId: null });
	add('create', 'both-branches/incoming-body', { ...incomingCreate, type: 'webhook-incoming+webhook-outgoing' });
	add('create', 'both-branches/outgoing-body', { ...outgoingCreate, type: 'webhook-incoming+webhook-outgoing' });

	// String arrays.
	const arrays = [
		[],
		[''],
		['a', ''],
		['', 'a'],
		['a', 'b', 'c'],
		[1, 'a'],
		['a', 1.5],
		[null],
		['a', null],
		[true, false],
		[[]],
		[['a']],
		[{}],
		['a', 5, ''],
		['a', {}, ''],
		[' '],
		['\u{1F600}'],
	];
	for (const prop of ['urls', 'triggerWords']) {
		for (const a of arrays) {
			add('create', `outgoing/${prop}/${j(a)}`, { ...outgoingCreate, [prop]: a });
			add('update', `outgoing/${prop}/${j(a)}`, { ...outgoingUpdate, [prop]: a });
		}
		add('create', `outgoing/${prop}/string-and-bad-later-prop`, { ...outgoingCreate, [prop]: 'https://example.com', retryCount: 'x' });
	}
	add('create', 'outgoing/urls-and-triggerWords-both-bad', { ...outgoingCreate, urls: [''], triggerWords: [{}] });

	// Numbers and strings that AJV turns into each other.
	const numberTexts = [
		'1.5',
		'-0',
		'0',
		'-0.0',
		'1e21',
		'1e+21',
		'1E21',
		'1e20',
		'123456789012345678901',
		'100000000000000000000',
		'0.000001',
		'0.0000001',
		'1e-7',
		'1.5e-10',
		'0.1',
		'0.30000000000000004',
		'-5',
		'-1.25',
		'3.0',
		'1.7976931348623157e308',
		'5e-324',
		'2.2250738585072014e-308',
		'9007199254740993',
		'123e-20',
		'1e300',
		'4.35',
		'0.5e1',
		'12345678901234567890123',
	];
	for (const n of numberTexts) {
		add('create', `number/name=${n}`, `{"type":"webhook-incoming","username":"rocket.cat","channel":"#general","scriptEnabled":false,"name":${n},"enabled":true}`);
		add('create', `number/retryCount=${n}`, `${j(outgoingCreate).slice(0, -1)},"retryCount":${n}}`);
		add('update', `number/retryDelay=${n}`, `${j(outgoingUpdate).slice(0, -1)},"retryDelay":${n}}`);
	}
	const numericStrings = [
		'5',
		'5.5',
		'-5',
		'+5',
		' 5 ',
		'\t5\n',
		'\u00a05\u3000',
		'\ufeff5',
		' ',
		'\n',
		'0x10',
		'0X1f',
		'-0x10',
		'0b101',
		'0o17',
		'0xg',
		'1e3',
		'1E3',
		'1e',
		'.5',
		'5.',
		'.',
		'1_000',
		'1,5',
		'Infinity',
		'-Infinity',
		'+Infinity',
		'infinity',
		'NaN',
		'1e400',
		'-1e400',
		'1e-400',
		'-0',
		'00',
		'007',
		'0.0',
		'abc',
		'5abc',
		'null',
		'true',
		'0x',
		'0xFFFFFFFFFFFFFFFFFFFF',
		'123456789012345678901234567890',
	];
	for (const s of numericStrings) {
		add('create', `retryCount/string/${j(s)}`, { ...outgoingCreate, retryCount: s });
		add('history', `count/string/${j(s)}`, { id: 'abc123', count: s });
		add('history', `offset/array/${j(s)}`, { id: 'abc123', offset: [s] });
		add('list', `count/array/${j(s)}`, { count: [s] });
	}
	for (const v of [true, false, null, 0, -1, 1.5, 2, [], [5], ['5'], {}]) {
		add('create', `retryCount/${label(v)}`, { ...outgoingCreate, retryCount: v });
		add('update', `retryCount/${label(v)}`, { ...outgoingUpdate, retryCount: v });
	}
	const booleanValues = ['true', 'false', 'TRUE', 'False', '1', '0', 'yes', 1, 0, 2, -1, 0.5, null, ''];
	for (const v of booleanValues) {
		add('create', `boolean/enabled/${label(v)}`, { ...incomingCreate, enabled: v });
		add('create', `boolean/skipTranspile/${label(v)}`, { ...incomingCreate, skipTranspile: v });
		add('update', `boolean/runOnEdits/${label(v)}`, { ...outgoingUpdate, runOnEdits: v });
	}

	// Several problems at once: only the first one found is reported per branch.
	add('create', 'order/missing-and-extra', { ...without(incomingCreate, 'name'), foo: 1 });
	add('create', 'order/extra-and-bad-type', { ...incomingCreate, foo: 1, enabled: 'maybe' });
	add('create', 'order/two-bad-props', { ...incomingCreate, enabled: 'maybe', username: [] });
	add('create', 'order/two-missing', without(without(incomingCreate, 'username'), 'enabled'));
	add('create', 'order/coerce-then-fail', { type: 'webhook-incoming', username: 5, channel: null, scriptEnabled: 'true', name: 1.5, enabled: 'maybe', alias: false });
	add('create', 'order/coerce-then-fail-outgoing', { ...outgoingCreate, username: 5, channel: null, scriptEnabled: 'true', retryCount: '3', urls: [1, 2], triggerWords: [null] });
	add('create', 'order/type-null', { ...incomingCreate, type: null });
	add('create', 'order/type-number', { ...incomingCreate, type: 5 });
	add('create', 'order/type-true', { ...outgoingCreate, type: true });
	add('create', 'order/type-array', { ...outgoingCreate, type: ['webhook-outgoing'] });
	add('create', 'order/type-object', { ...outgoingCreate, type: { a: 1 } });
	add('create', 'order/only-type', { type: 'webhook-incoming' });
	add('create', 'order/only-type-outgoing', { type: 'webhook-outgoing' });
	add('create', 'order/empty-strings', { type: 'webhook-incoming', username: '', channel: '', scriptEnabled: false, name: '', enabled: false });
	add('create', 'order/all-null', { type: null, username: null, channel: null, scriptEnabled: null, name: null, enabled: null });
	add('create', 'order/all-null-outgoing', { type: 'webhook-outgoing', username: null, channel: null, event: null, scriptEnabled: null, name: null, enabled: null, targetRoom: null, urls: null, triggerWords: null, retryCount: null });
	add('create', 'order/all-strings', { type: 'webhook-outgoing', username: 'u', channel: 'c', event: 'e', scriptEnabled: 'false', name: 'n', enabled: 'true', retryCount: '10', runOnEdits: 'true', urls: [] });
	add('create', 'order/all-empty-strings-outgoing', { type: 'webhook-outgoing', username: '', channel: '', event: '', scriptEnabled: '', name: '', enabled: '', retryCount: '', runOnEdits: '', urls: '', triggerWords: '', targetRoom: '' });
	add('update', 'order/incoming-coerce-then-outgoing', { ...incomingUpdate, type: 'webhook-incoming', integrationId: null, scriptEngine: null, enabled: 'false' });
	add('update', 'order/outgoing-integrationId-null', { ...outgoingUpdate, integrationId: null });
	add('update', 'order/incoming-integrationId-null', { ...incomingUpdate, integrationId: null });
	add('update', 'order/outgoing-scriptEngine-null', { ...outgoingUpdate, scriptEngine: null });
	add('update', 'order/incoming-scriptEngine-null', { ...incomingUpdate, scriptEngine: null });
	add('update', 'order/missing-type-extra', { ...without(incomingUpdate, 'type'), foo: 1 });
	add('remove', 'order/integrationId-null', { type: 'webhook-incoming', integrationId: null });
	add('remove', 'order/target_url-null', { type: 'webhook-outgoing', target_url: null });
	add('remove', 'order/both-null', { type: 'webhook-outgoing', integrationId: null, target_url: null });
	add('remove', 'order/type-number-both', { type: 5, integrationId: 'a', target_url: 'b' });
	add('remove', 'order/integrationId-object', { type: 'webhook-outgoing', integrationId: {}, target_url: 'b' });
	add('remove', 'order/target_url-array', { type: 'webhook-outgoing', integrationId: 'a', target_url: [] });

	// chat.postMessage: complete bodies, the targets, and what neither branch allows.
	add('chat.postMessage', 'roomId/full', { ...postByRoomId, ...postFull, tmid: 'parent-id' });
	add('chat.postMessage', 'channel/full', { ...postByChannel, ...postFull });
	add('chat.postMessage', 'channel/with-tmid', { ...postByChannel, tmid: 'parent-id' });
	add('chat.postMessage', 'roomId-and-channel', { roomId: 'GENERAL', channel: '#general' });
	add('chat.postMessage', 'roomId-and-channel/null', { roomId: 'GENERAL', channel: null });
	add('chat.postMessage', 'text-only', { text: 'hello' });
	for (const t of [[], ['#a', '#b'], ['#a', 1], [null], [['#a']], [{}], [true], '']) {
		add('chat.postMessage', `channel/target/${j(t)}`, { channel: t, text: 'x' });
		add('chat.postMessage', `roomId/target/${j(t)}`, { roomId: t, text: 'x' });
	}
	for (const a of [[{}], [{ title: 'a' }, {}], [1], ['x'], [null], [[]], [{}, 'x'], [true]]) {
		add('chat.postMessage', `attachments/${j(a)}`, { ...postByChannel, attachments: a });
	}
	for (const k of ['icon_emoji', 'icon_url', 'username', 'msg', 'bot', 'groupable', 'foo', '_id', 'constructor', '1']) {
		add('chat.postMessage', `roomId/extra/${k}`, { ...postByRoomId, [k]: 'x' });
		add('chat.postMessage', `channel/extra/${k}`, { ...postByChannel, [k]: 'x' });
	}
	add('chat.postMessage', 'order/extra-and-bad-text', { ...postByChannel, foo: 1, text: {} });
	add('chat.postMessage', 'order/bad-text-and-bad-alias', { ...postByRoomId, text: [], alias: {} });
	add('chat.postMessage', 'order/coerce-then-fail', { ...postByChannel, text: 5, alias: true, parseUrls: 'yes' });
	add('chat.postMessage', 'order/coerce-all', { channel: 5, text: 1.5, alias: false, emoji: 0, avatar: null, parseUrls: 'true', customFields: null, attachments: null });

	// Queries.
	add('get', 'createdBy-and-id', { integrationId: 'abc123', createdBy: 'rocket.cat' });
	add('get', 'id-array-and-createdBy-array', { integrationId: ['abc123'], createdBy: ['x'] });
	add('get', 'id-empty', { integrationId: '' });
	add('get', 'missing-with-createdBy', { createdBy: 'x' });
	add('list', 'all', { count: '25', offset: '50', sort: '{"name":1}', name: 'hook', type: 'webhook-incoming', query: '{}' });
	add('list', 'all-arrays', { count: ['25'], offset: ['50'], sort: ['s'], name: ['n'], type: ['t'], query: ['q'] });
	add('list', 'all-empty', { count: '', offset: '', sort: '', name: '', type: '', query: '' });
	add('list', 'all-empty-arrays', { count: [''], offset: [''], sort: [''], name: [''], type: [''], query: [''] });
	add('list', 'repeated-count', { count: ['1', '2'] });
	add('list', 'extra-and-bad-count', { foo: 'x', count: ['1', '2'] });
	add('list', 'bad-count-and-bad-offset', { count: ['1', '2'], offset: ['1', '2'] });
	add('list', 'bad-sort-and-extra-last', { sort: ['a', 'b'], zzz: '1' });
	add('history', 'all', { id: 'abc123', offset: '10', count: '20', sort: '{"_updatedAt":-1}', query: '{}' });
	add('history', 'all-arrays', { id: ['abc123'], offset: ['10'], count: ['20'], sort: ['s'], query: ['q'] });
	add('history', 'all-empty', { id: 'x', offset: '', count: '', sort: '', query: '' });
	add('history', 'id-empty', { id: '' });
	add('history', 'id-empty-array', { id: [''] });
	add('history', 'id-empty-and-extra', { id: '', foo: 'x' });
	add('history', 'missing-id-and-extra', { foo: 'x' });
	add('history', 'id-repeated', { id: ['a', 'b'] });
	add('history', 'count-repeated', { id: 'a', count: ['1', '2'] });
	add('history', 'count-bad-and-offset-bad', { id: 'a', offset: 'x', count: 'y' });
	add('history', 'id-bad-and-count-bad', { id: ['a', 'b'], count: 'y' });

	// users.info: which errors anyOf reports, and when.
	const keys = Object.keys(USER_KEYS);
	add('users.info', 'empty', {});
	for (let a = 0; a < keys.length; a++) {
		for (let b = a + 1; b < keys.length; b++) {
			add('users.info', `two-keys/${keys[a]}+${keys[b]}`, { [keys[a]]: USER_KEYS[keys[a]], [keys[b]]: USER_KEYS[keys[b]] });
			add('users.info', `two-keys/${keys[b]}+${keys[a]}`, { [keys[b]]: USER_KEYS[keys[b]], [keys[a]]: USER_KEYS[keys[a]] });
		}
	}
	add('users.info', 'all-keys', USER_KEYS);
	for (const [branchName, base] of ANYOF_QUERY_BASES['users.info']) {
		add('users.info', `${branchName}/with-includeUserRooms`, { ...base, includeUserRooms: 'true' });
		add('users.info', `${branchName}/with-fields`, { ...base, fields: '{"name":1}' });
		add('users.info', `${branchName}/with-both`, { ...base, includeUserRooms: 'false', fields: '{}' });
		add('users.info', `${branchName}/with-both-arrays`, { ...base, includeUserRooms: ['true'], fields: ['{}'] });
		add('users.info', `${branchName}/fields-null`, { ...base, fields: null });
		add('users.info', `${branchName}/includeUserRooms-null`, { ...base, includeUserRooms: null });
		add('users.info', `${branchName}/empty-value`, Object.fromEntries(Object.keys(base).map((k) => [k, ''])));
		add('users.info', `${branchName}/empty-everything`, { ...Object.fromEntries(Object.keys(base).map((k) => [k, ''])), includeUserRooms: '', fields: '' });
		add('users.info', `${branchName}/key-array`, Object.fromEntries(Object.keys(base).map((k) => [k, [base[k]]])));
		add('users.info', `${branchName}/key-repeated`, Object.fromEntries(Object.keys(base).map((k) => [k, [base[k], 'other']])));
		add('users.info', `${branchName}/key-repeated-and-other-key`, { ...Object.fromEntries(Object.keys(base).map((k) => [k, ['a', 'b']])), ...(base.userId ? { username: 'x' } : { userId: 'x' }) });
		add('users.info', `${branchName}/coerce-then-fail`, { ...base, includeUserRooms: ['true'], fields: ['a', 'b'] });
		add('users.info', `${branchName}/bad-includeUserRooms-and-fields`, { ...base, includeUserRooms: ['a', 'b'], fields: ['a', 'b'] });
		add('users.info', `${branchName}/extra-and-bad-fields`, { ...base, foo: 'x', fields: ['a', 'b'] });
	}
	add('users.info', 'only-includeUserRooms', { includeUserRooms: 'true' });
	add('users.info', 'only-fields', { fields: '{}' });
	add('users.info', 'only-both', { includeUserRooms: 'true', fields: '{}' });
	add('users.info', 'only-bad-fields', { fields: ['a', 'b'] });
	add('users.info', 'two-keys-and-extra', { userId: 'abc123', username: 'rocket.cat', foo: 'x' });
	add('users.info', 'two-keys-empty', { userId: '', username: '' });
	add('users.info', 'two-keys-arrays', { userId: ['abc123'], username: ['rocket.cat'] });
	add('users.info', 'last-key-with-bad-fields', { freeSwitchExtension: '1001', fields: ['a', 'b'] });
	add('users.info', 'key-object', { userId: { a: 'b' } });
	add('users.info', 'key-number', { userId: 5 });
	add('users.info', 'key-null', { username: null });

	// The other lookup queries.
	add('subscriptions.get', 'updatedSince-date', { updatedSince: '2024-01-01T00:00:00.000Z' });
	add('subscriptions.get', 'updatedSince-null', { updatedSince: null });
	add('subscriptions.get', 'updatedSince-repeated-and-extra', { updatedSince: ['a', 'b'], foo: 'x' });
	add('permissions.listAll', 'updatedSince-date', { updatedSince: '2024-01-01T00:00:00.000Z' });
	add('permissions.listAll', 'updatedSince-null', { updatedSince: null });
	add('permissions.listAll', 'updatedSince-repeated-and-extra', { updatedSince: ['a', 'b'], foo: 'x' });
	add('settings.public', 'all', { count: '25', offset: '50', sort: '{"_id":1}', _id: 'Site_Url', query: '{}' });
	add('settings.public', 'all-arrays', { count: ['25'], offset: ['50'], sort: ['s'], _id: ['i'], query: ['q'] });
	add('settings.public', 'all-empty', { count: '', offset: '', sort: '', _id: '', query: '' });
	add('settings.public', 'all-empty-arrays', { count: [''], offset: [''], sort: [''], _id: [''], query: [''] });
	add('settings.public', 'nulls', { count: null, offset: null, sort: null, _id: null, query: null });
	add('settings.public', 'count-bad-and-offset-bad', { count: 'x', offset: 'y' });
	add('settings.public', 'count-repeated', { count: ['1', '2'] });
	add('settings.public', 'extra-and-bad-count', { foo: 'x', count: 'y' });
	for (const s of ['5', '-1', '1.5', ' ', '0x10', 'Infinity', '1e400', '-0', 'abc']) {
		add('settings.public', `count/string/${j(s)}`, { count: s });
		add('settings.public', `offset/array/${j(s)}`, { offset: [s] });
	}

	// anyOf probes.
	add('probe-anyof-root', 'empty', {});
	add('probe-anyof-root', 'coerce-then-pass', { a: '5', b: 'x', d: 'y' });
	add('probe-anyof-root', 'first-passes', { a: '5', b: 'true', d: 'y' });
	add('probe-anyof-root', 'third-passes', { b: 'x', d: 'y' });
	add('probe-anyof-root', 'object-a', { a: {}, d: 'y' });
	add('probe-anyof-root', 'all-fail', { a: {}, d: {} });
	add('probe-anyof-root', 'array-a-bad-b', { a: ['5'], b: 'x', d: ['y'] });
	add('probe-anyof-root', 'number-a-bad-b', { a: 5, b: 'x' });
	add('probe-anyof', 'both', { s: 5, n: 'true' });
	add('probe-anyof', 'both-fail-s', { s: {}, n: 'x' });
	// A one-element array that a branch unwraps but cannot coerce stays
	// unwrapped for the next branch without being written back.
	add('probe-anyof', 's=nested-short', { s: [['ab']] });
	add('probe-anyof', 's=nested-number', { s: [[5]] });
	add('probe-anyof', 'n=nested-true', { n: [[true]] });
	add('probe-anyof', 'n=nested-text', { n: [['x']] });
	add('probe-anyof', 'n=nested-object', { n: [{}] });

	const probeProps = (schema) => (schema.properties ? Object.keys(schema.properties) : [...new Set(schema.anyOf.flatMap((b) => Object.keys(b.properties)))]);
	for (const [schemaName, { schema }] of Object.entries(probeSchemas)) {
		for (const prop of probeProps(schema)) {
			for (const v of PROBE_VALUES) {
				add(schemaName, `${prop}=${label(v)}`, { [prop]: v });
			}
		}
	}
	add('probe-body', 'o=nested', { o: { x: 'true' } });
	add('probe-body', 'o=nested-bad', { o: { x: 'maybe' } });
	add('probe-query', 'a=nested-items', { a: [['x'], 5, true] });

	return out;
}
