// The corpus of integration scripts whose Rocket.Chat verdicts gen.mjs records in golden.json.
// Each case is {name, group, source}; names are unique. Sources are written as they would be pasted
// into the integration form; gen.mjs never rewrites them.
//
// Sources are js`` templates read raw: only \` \$ and \\ are unescaped (to `, $ and \), so regular
// expressions and string escapes such as \d or \n reach the script exactly as written here.

function cook(raw) {
	return raw.replace(/\\([`$\\])/g, '$1');
}

// js strips the first newline and the indentation common to all lines.
function js(strings, ...values) {
	const text = cook(strings.raw.reduce((acc, part, i) => acc + part + (i < values.length ? String(values[i]) : ''), ''))
		.replace(/^\n/, '')
		.replace(/\n[ \t]*$/, '\n');
	const lines = text.split('\n');
	const common = Math.min(...lines.filter((line) => line.trim() !== '').map((line) => line.match(/^ */)[0].length));
	return lines.map((line) => line.slice(common)).join('\n');
}

// incoming wraps a method body in the usual incoming-webhook class.
function incoming(strings, ...values) {
	const body = js(strings, ...values)
		.replace(/\n$/, '')
		.split('\n')
		.map((line) => (line === '' ? line : '    ' + line))
		.join('\n');
	return `class Script {\n  process_incoming_request({ request }) {\n${body}\n  }\n}\n`;
}

// tabs re-indents a source with tabs, as many published scripts are.
function tabs(source) {
	return source.replace(/^(?: {2})+/gm, (spaces) => '\t'.repeat(spaces.length / 2));
}

const cases = [];
function add(group, name, source) {
	cases.push({ name, group, source });
}

// ---- syntax: ES2015–ES2024 forms inside a plausible incoming script ----
const syntax = (name, source) => add('syntax', name, source);

syntax('let-const', incoming`
  let count = 1;
  const label = 'events';
  count += 1;
  return { content: { text: label + ': ' + count } };
`);
syntax('arrow-functions', incoming`
  const double = (n) => n * 2;
  const items = [1, 2, 3].map(x => double(x));
  return { content: { text: items.join(', ') } };
`);
syntax('arrow-lexical-this', js`
  class Script {
    constructor() {
      this.prefix = '[hook]';
    }
    process_incoming_request({ request }) {
      const lines = (request.content.lines || []).map((line) => this.prefix + ' ' + line);
      return { content: { text: lines.join('\n') } };
    }
  }
`);
syntax('arrow-returns-object', incoming`
  const toField = (k, v) => ({ title: k, value: String(v), short: true });
  return { content: { attachments: [{ fields: Object.keys(request.content).map((k) => toField(k, request.content[k])) }] } };
`);
syntax('class-constructor-method', js`
  class Script {
    constructor() {
      this.colors = { ok: '#36a64f', fail: '#d00000' };
    }
    colorFor(status) {
      return this.colors[status] || '#cccccc';
    }
    process_incoming_request({ request }) {
      return { content: { attachments: [{ color: this.colorFor(request.content.status), text: 'done' }] } };
    }
  }
`);
syntax('class-extends-super', js`
  class Base {
    format(text) {
      return '*' + text + '*';
    }
  }
  class Script extends Base {
    constructor() {
      super();
      this.name = 'derived';
    }
    format(text) {
      return super.format(text) + ' (' + this.name + ')';
    }
    process_incoming_request({ request }) {
      return { content: { text: this.format(request.content.text) } };
    }
  }
`);
syntax('class-static-method', js`
  class Script {
    static emoji(state) {
      return state === 'ok' ? ':white_check_mark:' : ':x:';
    }
    process_incoming_request({ request }) {
      return { content: { text: Script.emoji(request.content.state) + ' ' + request.content.name } };
    }
  }
`);
syntax('class-getter-setter', js`
  class Script {
    constructor() {
      this._channel = '#general';
    }
    get channel() {
      return this._channel;
    }
    set channel(value) {
      this._channel = value.startsWith('#') ? value : '#' + value;
    }
    process_incoming_request({ request }) {
      this.channel = request.content.room || 'general';
      return { content: { channel: this.channel, text: 'routed' } };
    }
  }
`);
syntax('class-computed-method-name', js`
  const kind = 'incoming';
  class Script {
    ['process_' + kind + '_request']({ request }) {
      return { content: { text: 'computed ' + request.content.text } };
    }
  }
`);
syntax('class-symbol-method', js`
  class Script {
    *[Symbol.iterator]() {
      yield 'a';
      yield 'b';
    }
    process_incoming_request() {
      return { content: { text: [...this].join('') } };
    }
  }
`);
syntax('class-public-fields', js`
  class Script {
    prefix = '[alert] ';
    counter = 0;
    process_incoming_request({ request }) {
      this.counter++;
      return { content: { text: this.prefix + request.content.text + ' #' + this.counter } };
    }
  }
`);
syntax('class-static-fields', js`
  class Script {
    static version = '2.1';
    static defaults = { emoji: ':robot:' };
    process_incoming_request({ request }) {
      return { content: { emoji: Script.defaults.emoji, text: request.content.text + ' v' + Script.version } };
    }
  }
`);
syntax('class-private-fields', js`
  class Script {
    #seen = new Set();
    process_incoming_request({ request }) {
      if (this.#seen.has(request.content.id)) {
        return false;
      }
      this.#seen.add(request.content.id);
      return { content: { text: 'new event ' + request.content.id } };
    }
  }
`);
syntax('class-private-methods', js`
  class Script {
    #format(alert) {
      return alert.status.toUpperCase() + ': ' + alert.name;
    }
    process_incoming_request({ request }) {
      return { content: { text: request.content.alerts.map((a) => this.#format(a)).join('\n') } };
    }
  }
`);
syntax('class-private-static', js`
  class Script {
    static #instances = 0;
    static #next() {
      return ++Script.#instances;
    }
    process_incoming_request() {
      return { content: { text: 'instance ' + Script.#next() } };
    }
  }
`);
syntax('class-private-accessors', js`
  class Script {
    #raw = '';
    get #text() {
      return this.#raw.trim();
    }
    set #text(value) {
      this.#raw = String(value);
    }
    process_incoming_request({ request }) {
      this.#text = request.content.text;
      return { content: { text: this.#text } };
    }
  }
`);
syntax('class-static-block', js`
  class Script {
    static colors;
    static {
      Script.colors = new Map([['firing', '#ff0000'], ['resolved', '#00ff00']]);
    }
    process_incoming_request({ request }) {
      return { content: { attachments: [{ color: Script.colors.get(request.content.status), text: request.content.status }] } };
    }
  }
`);
syntax('class-private-in', js`
  class Script {
    #token = 'x';
    static isScript(value) {
      return #token in value;
    }
    process_incoming_request({ request }) {
      return { content: { text: String(Script.isScript(this)) + ' ' + request.content.text } };
    }
  }
`);
syntax('class-expression-named', incoming`
  const Formatter = class Inner {
    run(t) {
      return Inner.name + ':' + t;
    }
  };
  return { content: { text: new Formatter().run(request.content.text) } };
`);
syntax('class-async-method', js`
  class Script {
    async process_incoming_request({ request }) {
      const text = await Promise.resolve(request.content.text);
      return { content: { text } };
    }
  }
`);
syntax('class-generator-method', js`
  class Script {
    *lines(alerts) {
      for (const alert of alerts) {
        yield '- ' + alert.labels.alertname;
      }
    }
    process_incoming_request({ request }) {
      return { content: { text: [...this.lines(request.content.alerts)].join('\n') } };
    }
  }
`);
syntax('class-new-target', js`
  class Script {
    constructor() {
      this.kind = new.target.name;
    }
    process_incoming_request() {
      return { content: { text: 'built by ' + this.kind } };
    }
  }
`);
syntax('function-new-target', incoming`
  function Message(text) {
    if (!new.target) {
      return new Message(text);
    }
    this.text = text;
  }
  return { content: Message(request.content.text) };
`);
syntax('template-literal', incoming`
  const { user_name, text } = request.content;
  return { content: { text: \`\${user_name} said: \${text}\` } };
`);
syntax('template-multiline', incoming`
  const c = request.content;
  const text = \`*Build \${c.number}*
  Status: \${c.status}
  Branch: \${c.branch || 'main'}\`;
  return { content: { text } };
`);
syntax('template-nested', incoming`
  const tags = request.content.tags || [];
  return { content: { text: \`tags: \${tags.length ? \`\${tags.map((t) => \`#\${t}\`).join(' ')}\` : 'none'}\` } };
`);
syntax('template-tagged', incoming`
  const bold = (strings, ...values) => strings.reduce((out, s, i) => out + s + (i < values.length ? '*' + values[i] + '*' : ''), '');
  return { content: { text: bold\`Project \${request.content.project} is \${request.content.state}\` } };
`);
syntax('template-string-raw', incoming`
  const path = String.raw\`C:\temp\new\${request.content.file}\`;
  return { content: { text: 'file at ' + path } };
`);
syntax('destructuring-object-defaults', incoming`
  const { text = '(empty)', user_name: user = 'anonymous', ...rest } = request.content;
  return { content: { text: user + ': ' + text + ' ' + Object.keys(rest).length } };
`);
syntax('destructuring-array-rest', incoming`
  const [first, second = 'n/a', ...others] = request.content.items;
  return { content: { text: [first, second, others.length].join(' | ') } };
`);
syntax('destructuring-nested', incoming`
  const { repository: { name, owner: { login } }, commits: [{ message } = {}] } = request.content;
  return { content: { text: login + '/' + name + ': ' + message } };
`);
syntax('destructuring-params-defaults', js`
  class Script {
    process_incoming_request({ request: { content = {}, headers = {} } = {} } = {}) {
      return { content: { text: (headers['x-event'] || 'event') + ' ' + JSON.stringify(content) } };
    }
  }
`);
syntax('destructuring-swap', incoming`
  let [a, b] = [request.content.from, request.content.to];
  [a, b] = [b, a];
  return { content: { text: a + ' <- ' + b } };
`);
syntax('destructuring-in-for-of', incoming`
  const out = [];
  for (const [key, { value }] of Object.entries(request.content.fields)) {
    out.push(key + '=' + value);
  }
  return { content: { text: out.join(', ') } };
`);
syntax('spread-array', incoming`
  const base = ['deploy'];
  const tags = [...base, ...(request.content.tags || []), 'ci'];
  return { content: { text: tags.join(' ') } };
`);
syntax('spread-call', incoming`
  const max = Math.max(...request.content.durations);
  return { content: { text: 'slowest: ' + max + 'ms' } };
`);
syntax('spread-string-set', incoming`
  const letters = [...new Set([...request.content.text])];
  return { content: { text: letters.join('') } };
`);
syntax('object-rest-spread', incoming`
  const { token, ...safe } = request.content;
  const payload = { ...safe, source: 'hook', ...{ alias: 'Bot' } };
  return { content: { text: JSON.stringify(payload) } };
`);
syntax('rest-parameters', incoming`
  const join = (sep, ...parts) => parts.filter(Boolean).join(sep);
  return { content: { text: join(' / ', request.content.a, request.content.b, request.content.c) } };
`);
syntax('default-parameters', incoming`
  function line(label, value = 'n/a', sep = label.length > 5 ? ': ' : ' = ') {
    return label + sep + value;
  }
  return { content: { text: line('status', request.content.status) } };
`);
syntax('trailing-commas', incoming`
  function pick(
    obj,
    key,
  ) {
    return obj[key];
  }
  return {
    content: {
      text: pick(request.content, 'text',),
    },
  };
`);
syntax('for-of', incoming`
  let text = '';
  for (const commit of request.content.commits) {
    text += '- ' + commit.message + '\n';
  }
  return { content: { text } };
`);
syntax('for-of-map', incoming`
  const counts = new Map();
  for (const alert of request.content.alerts) {
    counts.set(alert.status, (counts.get(alert.status) || 0) + 1);
  }
  const parts = [];
  for (const [status, n] of counts) {
    parts.push(status + ': ' + n);
  }
  return { content: { text: parts.join(', ') } };
`);
syntax('generator-function', incoming`
  function* pages(total, size) {
    for (let i = 0; i < total; i += size) {
      yield [i, Math.min(i + size, total)];
    }
  }
  return { content: { text: [...pages(request.content.total, 10)].map(([a, b]) => a + '-' + b).join(' ') } };
`);
syntax('generator-delegation', incoming`
  function* inner() {
    yield 1;
    yield 2;
  }
  function* outer() {
    yield 0;
    yield* inner();
  }
  return { content: { text: [...outer()].join(',') } };
`);
syntax('async-await', js`
  async function delay(value) {
    return value;
  }
  class Script {
    process_incoming_request({ request }) {
      return delay(request.content.text).then((text) => ({ content: { text } }));
    }
  }
`);
syntax('async-arrow', incoming`
  const fetchText = async (t) => {
    const v = await Promise.resolve(t);
    return v.toUpperCase();
  };
  return fetchText(request.content.text).then((text) => ({ content: { text } }));
`);
syntax('async-generator', incoming`
  async function* ticks(n) {
    for (let i = 0; i < n; i++) {
      yield await Promise.resolve(i);
    }
  }
  return { content: { text: typeof ticks(3).next } };
`);
syntax('for-await-of', js`
  class Script {
    async process_incoming_request({ request }) {
      const seen = [];
      for await (const item of request.content.items.map((i) => Promise.resolve(i))) {
        seen.push(item);
      }
      return { content: { text: seen.join(' ') } };
    }
  }
`);
syntax('exponent-operator', incoming`
  let size = 2 ** 10;
  size **= 2;
  return { content: { text: 'buckets: ' + size } };
`);
syntax('optional-catch-binding', incoming`
  let data;
  try {
    data = JSON.parse(request.content.payload);
  } catch {
    data = { text: 'invalid payload' };
  }
  return { content: { text: data.text } };
`);
syntax('optional-chaining', incoming`
  const name = request.content?.user?.name ?? 'unknown';
  const first = request.content.items?.[0]?.title;
  return { content: { text: name + ' ' + first } };
`);
syntax('optional-call', incoming`
  const hook = request.content.format;
  const text = request.content.toString?.() + ' ' + hook?.(request.content);
  return { content: { text } };
`);
syntax('nullish-coalescing', incoming`
  const count = request.content.count ?? 0;
  const label = request.content.label ?? (request.content.name || 'item');
  return { content: { text: label + ': ' + count } };
`);
syntax('logical-assignment-nullish', incoming`
  const c = request.content;
  c.channel ??= '#general';
  c.alias ??= 'Notifier';
  return { content: { channel: c.channel, alias: c.alias, text: c.text } };
`);
syntax('logical-assignment-or-and', incoming`
  const c = request.content;
  c.text ||= '(no text)';
  c.important &&= c.text.includes('!');
  return { content: { text: c.text + (c.important ? ' :warning:' : '') } };
`);
syntax('numeric-separators', incoming`
  const limit = 1_000_000;
  const mask = 0b1010_0001;
  const hex = 0xFF_FF;
  return { content: { text: [limit, mask, hex, 1_000.5].join(' ') } };
`);
syntax('bigint', incoming`
  const big = BigInt(request.content.id) * 10n ** 3n;
  return { content: { text: big.toString() + ' ' + typeof 1n } };
`);
syntax('regex-dotall-flag', incoming`
  const m = /BEGIN(.*)END/s.exec(request.content.text);
  return { content: { text: m ? m[1].trim() : 'no block' } };
`);
syntax('regex-unicode-flag', incoming`
  const emoji = /\u{1F680}/u.test(request.content.text);
  return { content: { text: emoji ? 'rocket!' : 'no rocket' } };
`);
syntax('regex-sticky-flag', incoming`
  const re = /\w+/y;
  re.lastIndex = 4;
  const m = re.exec(request.content.text);
  return { content: { text: m ? m[0] : '' } };
`);
syntax('regex-indices-flag', incoming`
  const m = /(?<key>\w+)=(\d+)/d.exec(request.content.text);
  return { content: { text: m ? JSON.stringify(m.indices) : '' } };
`);
syntax('regex-unicode-sets-flag', incoming`
  const re = /[\p{L}--[a-z]]/v;
  const ok = re.test(request.content.text);
  return { content: { text: ok ? 'has non-ascii letter' : 'plain' } };
`);
syntax('regex-named-groups', incoming`
  const m = /(?<year>\d{4})-(?<month>\d{2})-(?<day>\d{2})/.exec(request.content.date);
  const { year, month } = m.groups;
  const again = '2024-01-02'.replace(/(?<y>\d+)-(?<m>\d+)-(?<d>\d+)/, '$<d>/$<m>/$<y>');
  return { content: { text: year + '/' + month + ' ' + again } };
`);
syntax('regex-named-backreference', incoming`
  const doubled = /(?<word>\w+) \k<word>/.test(request.content.text);
  return { content: { text: doubled ? 'repeated word' : 'fine' } };
`);
syntax('regex-lookbehind', incoming`
  const price = /(?<=\\\$)\d+(\.\d+)?/.exec(request.content.text);
  const notUsd = /(?<!\\\$)\b\d+\b/.exec(request.content.text);
  return { content: { text: (price ? price[0] : '-') + ' ' + (notUsd ? notUsd[0] : '-') } };
`);
syntax('regex-unicode-property', incoming`
  const greek = /\p{Script=Greek}+/u.exec(request.content.text);
  const letters = request.content.text.match(/\p{Letter}/gu) || [];
  return { content: { text: (greek ? greek[0] : '') + ' ' + letters.length } };
`);
syntax('unicode-code-point-escapes', incoming`
  const rocket = '\u{1F680}';
  const \u{61}lias = 'Bot';
  return { content: { alias, text: rocket + ' launched ' + '\u00e9' + String.fromCodePoint(0x1F389) } };
`);
syntax('unicode-identifiers', incoming`
  const café = 'open';
  const ünits = 3;
  return { content: { text: café + ' ' + ünits } };
`);
syntax('json-superset-separators', "class Script {\n  process_incoming_request({ request }) {\n    const sep = '\u2028|\u2029';\n    return { content: { text: request.content.text.split(sep).join(' ') } };\n  }\n}\n");
syntax('labelled-statements', incoming`
  const found = [];
  outer: for (const group of request.content.groups) {
    for (const item of group.items) {
      if (item.skip) continue outer;
      if (item.stop) break outer;
      found.push(item.name);
    }
  }
  block: {
    if (!found.length) break block;
    found.sort();
  }
  return { content: { text: found.join(', ') } };
`);
syntax('object-literal-accessors', incoming`
  const msg = {
    parts: [request.content.title, request.content.body],
    get text() {
      return this.parts.filter(Boolean).join('\n');
    },
    set text(value) {
      this.parts = [value];
    },
  };
  return { content: { text: msg.text } };
`);
syntax('shorthand-properties-methods', incoming`
  const text = request.content.text;
  const channel = '#ops';
  const helpers = {
    upper(s) {
      return s.toUpperCase();
    },
    async later() {
      return 1;
    },
    *gen() {
      yield 1;
    },
  };
  return { content: { text: helpers.upper(text), channel } };
`);
syntax('computed-object-keys', incoming`
  const key = request.content.field || 'text';
  const suffix = 'name';
  return { content: { [key]: request.content.value, ['user_' + suffix]: 'bot', [\`x\${1 + 1}\`]: true } };
`);
syntax('object-super-and-proto', incoming`
  const base = {
    describe() {
      return 'base';
    },
  };
  const obj = {
    __proto__: base,
    describe() {
      return super.describe() + ' > derived';
    },
  };
  return { content: { text: obj.describe() } };
`);
syntax('block-scoped-function', incoming`
  let text = request.content.text;
  {
    function shout(s) {
      return s + '!';
    }
    text = shout(text);
  }
  return { content: { text } };
`);
syntax('import-meta', incoming`
  const where = import.meta.url;
  return { content: { text: 'from ' + where } };
`);
syntax('dynamic-import', incoming`
  const loader = () => import('./format.js');
  return { content: { text: typeof loader } };
`);
syntax('top-level-await', js`
  const config = await Promise.resolve({ prefix: '[bot] ' });
  class Script {
    process_incoming_request({ request }) {
      return { content: { text: config.prefix + request.content.text } };
    }
  }
`);
syntax('hashbang', js`
  #!/usr/bin/env node
  class Script {
    process_incoming_request({ request }) {
      return { content: { text: request.content.text } };
    }
  }
`);
syntax('array-at', incoming`
  const last = request.content.commits.at(-1);
  return { content: { text: 'last commit: ' + last.message } };
`);
syntax('array-find-last', incoming`
  const alerts = request.content.alerts;
  const lastFiring = alerts.findLast((a) => a.status === 'firing');
  const index = alerts.findLastIndex((a) => a.status === 'resolved');
  return { content: { text: (lastFiring ? lastFiring.name : '-') + ' ' + index } };
`);
syntax('object-group-by', incoming`
  const groups = Object.groupBy(request.content.alerts, (a) => a.status);
  const byMap = Map.groupBy(request.content.alerts, (a) => a.severity);
  return { content: { text: Object.keys(groups).join(',') + ' ' + byMap.size } };
`);
syntax('object-has-own', incoming`
  const c = request.content;
  const text = Object.hasOwn(c, 'text') ? c.text : 'no text';
  return { content: { text } };
`);
syntax('array-flat-flatmap', incoming`
  const labels = request.content.issues.flatMap((i) => i.labels).flat(2);
  return { content: { text: [...new Set(labels)].join(', ') } };
`);
syntax('object-entries-from-entries', incoming`
  const cleaned = Object.fromEntries(Object.entries(request.content).filter(([, v]) => v != null));
  return { content: { text: Object.values(cleaned).join(' ') } };
`);
syntax('string-methods-es2017-2021', incoming`
  const id = String(request.content.id).padStart(6, '0');
  const text = request.content.text.trimStart().trimEnd().replaceAll('\r\n', '\n');
  return { content: { text: id + ' ' + text + ' ' + 'ab'.padEnd(4, '.') } };
`);
syntax('string-well-formed', incoming`
  const t = request.content.text;
  return { content: { text: t.isWellFormed() ? t : t.toWellFormed() } };
`);
syntax('array-includes', incoming`
  const allowed = ['push', 'merge_request'];
  return allowed.includes(request.content.object_kind) ? { content: { text: 'ok' } } : false;
`);
syntax('array-copy-methods', incoming`
  const sorted = request.content.scores.toSorted((a, b) => b - a);
  const reversed = sorted.toReversed();
  const replaced = sorted.with(0, 'top');
  const spliced = sorted.toSpliced(1, 1);
  return { content: { text: [sorted, reversed, replaced, spliced].map(String).join(' | ') } };
`);
syntax('promise-combinators', incoming`
  const jobs = [Promise.resolve(1), Promise.reject(new Error('x'))];
  return Promise.allSettled(jobs)
    .then((results) => Promise.any([Promise.resolve(results.length)]))
    .then((n) => ({ content: { text: 'settled ' + n } }));
`);
syntax('promise-with-resolvers', incoming`
  const { promise, resolve } = Promise.withResolvers();
  resolve({ content: { text: request.content.text } });
  return promise;
`);
syntax('symbols-and-description', incoming`
  const tag = Symbol('hook');
  const obj = { [tag]: request.content.text };
  return { content: { text: tag.description + ': ' + obj[tag] } };
`);
syntax('collections', incoming`
  const seen = new WeakMap();
  const ids = new Set(request.content.ids);
  const byId = new Map([...ids].map((id) => [id, { id }]));
  seen.set(request.content, true);
  return { content: { text: byId.size + ' unique ids' } };
`);
syntax('proxy-reflect', incoming`
  const safe = new Proxy(request.content, {
    get(target, prop) {
      return Reflect.has(target, prop) ? Reflect.get(target, prop) : '(missing ' + String(prop) + ')';
    },
  });
  return { content: { text: safe.text + ' ' + safe.author } };
`);
syntax('global-this', incoming`
  const g = globalThis;
  g.lastPayload = request.content;
  return { content: { text: typeof g.lastPayload } };
`);
syntax('error-cause', incoming`
  try {
    JSON.parse(request.content.raw);
  } catch (err) {
    const wrapped = new Error('bad payload', { cause: err });
    return { content: { text: wrapped.message + ': ' + wrapped.cause.name } };
  }
  return { content: { text: 'ok' } };
`);
syntax('weakref-finalization', incoming`
  const ref = new WeakRef(request.content);
  const registry = new FinalizationRegistry(() => {});
  registry.register(request.content, 'payload');
  return { content: { text: typeof ref.deref() } };
`);
syntax('array-from-entries-iterators', incoming`
  const pairs = Array.from(new Map(Object.entries(request.content)).entries(), ([k, v]) => k + ':' + v);
  return { content: { text: pairs.join(' ') } };
`);
syntax('object-assign-define', incoming`
  const out = Object.assign({}, request.content, { source: 'hook' });
  Object.defineProperty(out, 'hidden', { value: 1, enumerable: false });
  return { content: { text: Object.keys(out).join(',') } };
`);

// ---- realworld: scripts in the style published for common services ----
const realworld = (name, source) => add('realworld', name, source);

realworld('alertmanager', js`
  class Script {
    process_incoming_request({ request }) {
      console.log(request.content);

      var alertColor = "warning";
      if (request.content.status == "resolved") {
        alertColor = "good";
      } else if (request.content.status == "firing") {
        alertColor = "danger";
      }

      let finFields = [];
      for (i = 0; i < request.content.alerts.length; i++) {
        var endVal = request.content.alerts[i];
        var elem = {
          title: "alertname: " + endVal.labels.alertname,
          value: "*instance:* " + endVal.labels.instance,
          short: false
        };

        finFields.push(elem);

        if (!!endVal.annotations.summary) {
          finFields.push({
            title: "summary",
            value: endVal.annotations.summary
          });
        }

        if (!!endVal.annotations.severity) {
          finFields.push({
            title: "severity",
            value: endVal.annotations.severity
          });
        }

        if (!!endVal.annotations.description) {
          finFields.push({
            title: "description",
            value: endVal.annotations.description
          });
        }
      }

      return {
        content: {
          username: "Prometheus Alert",
          attachments: [{
            color: alertColor,
            title_link: request.content.externalURL,
            title: "Prometheus notification",
            fields: finFields
          }]
        }
      };

      return {
        error: {
          success: false
        }
      };
    }
  }
`);

realworld('alertmanager-grouped', tabs(js`
  /* exported Script */
  /* globals console, _, s */

  const STATUS_COLORS = {
    firing: "#ff0000",
    resolved: "#36a64f"
  };

  class Script {
    process_incoming_request({ request }) {
      var content = request.content;
      var attachments = [];
      var alerts = content.alerts || [];

      alerts.forEach(function (alert) {
        var text = "";
        for (var key in alert.labels) {
          text += "*" + key + "*: " + alert.labels[key] + "\n";
        }
        attachments.push({
          color: STATUS_COLORS[alert.status] || "#cccccc",
          title: "[" + alert.status.toUpperCase() + "] " + (alert.annotations.summary || alert.labels.alertname),
          title_link: alert.generatorURL,
          text: text,
          ts: alert.startsAt
        });
      });

      return {
        content: {
          text: "Alertmanager: " + alerts.length + " alert(s) for *" + content.receiver + "*",
          attachments: attachments
        }
      };
    }
  }
`));

realworld('grafana-legacy', js`
  class Script {
    process_incoming_request({ request }) {
      // console is a global helper to improve debug
      console.log(request.content);

      var content = request.content;
      var fields = [];
      if (content.evalMatches) {
        content.evalMatches.forEach(function(match) {
          fields.push({ title: match.metric, value: match.value, short: true });
        });
      }

      return {
        content:{
          text: content.ruleName,
          attachments: [{
            title: content.title,
            title_link: content.ruleUrl,
            text: content.message,
            image_url: content.imageUrl,
            color: (content.state == 'alerting' ? '#e0383f' : (content.state == 'ok' ? '#36a64f' : '#e8a317')),
            fields: fields
          }]
        }
      };
    }
  }
`);

realworld('grafana-unified-alerting', js`
  class Script {
    process_incoming_request({ request }) {
      const data = request.content;
      const firing = data.alerts.filter(a => a.status === 'firing');
      const resolved = data.alerts.filter(a => a.status === 'resolved');

      let text = \`**\${data.title}**\n\`;
      if (firing.length) {
        text += \`:fire: Firing: \${firing.length}\n\`;
        firing.forEach(a => {
          text += \`• \${a.labels.alertname} (\${a.labels.grafana_folder || 'General'}) - \${a.annotations.summary || ''}\n\`;
          if (a.panelURL) text += \`  [Panel](\${a.panelURL})\n\`;
        });
      }
      if (resolved.length) {
        text += \`:white_check_mark: Resolved: \${resolved.length}\n\`;
      }

      return {
        content: {
          alias: 'Grafana',
          emoji: ':bar_chart:',
          text: text
        }
      };
    }
  }
`);

realworld('gitlab-push', js`
  /* exported Script */
  class Script {
    process_incoming_request({ request }) {
      var data = request.content;
      if (data.object_kind !== 'push') {
        return { error: { success: false, message: 'unsupported event ' + data.object_kind } };
      }
      var branch = data.ref.replace('refs/heads/', '');
      var commits = data.commits.map(function (c) {
        return '[' + c.id.substring(0, 8) + '](' + c.url + ') ' + c.message.split('\n')[0] + ' - ' + c.author.name;
      });
      return {
        content: {
          username: 'GitLab',
          icon_url: data.project.avatar_url || 'https://about.gitlab.com/images/press/logo/png/gitlab-icon-rgb.png',
          text: data.user_name + ' pushed ' + data.total_commits_count + ' commit(s) to [' + data.project.path_with_namespace + '](' + data.project.web_url + ') ' + branch,
          attachments: [{ text: commits.join('\n'), color: '#FC6D26' }]
        }
      };
    }
  }
`);

realworld('gitlab-merge-request', js`
  class Script {
    process_incoming_request({ request }) {
      const mr = request.content.object_attributes;
      const user = request.content.user;
      const actions = { open: 'opened', close: 'closed', reopen: 'reopened', merge: 'merged', update: 'updated', approved: 'approved' };
      var action = actions[mr.action] || mr.action;

      return {
        content: {
          username: 'GitLab',
          text: user.name + ' ' + action + ' merge request [!' + mr.iid + ' ' + mr.title + '](' + mr.url + ')',
          attachments: [
            {
              title: mr.source_branch + ' → ' + mr.target_branch,
              text: mr.description,
              color: mr.state === 'merged' ? '#1aaa55' : '#fc9403'
            }
          ]
        }
      };
    }
  }
`);

realworld('gitlab-pipeline', js`
  class Script {
    process_incoming_request({ request }) {
      var p = request.content.object_attributes;
      var project = request.content.project;
      var emoji = {
        success: ':white_check_mark:',
        failed: ':x:',
        running: ':arrows_counterclockwise:',
        pending: ':hourglass:',
        canceled: ':no_entry_sign:'
      };
      if (p.status === 'pending' || p.status === 'running') {
        return false; // only report finished pipelines
      }
      var failedJobs = (request.content.builds || []).filter(function (b) { return b.status === 'failed'; });
      msg = (emoji[p.status] || '') + ' Pipeline [#' + p.id + '](' + project.web_url + '/pipelines/' + p.id + ') ' + p.status + ' on ' + p.ref + ' in ' + p.duration + 's';
      if (failedJobs.length > 0) {
        msg += '\nFailed jobs: ' + failedJobs.map(function (b) { return b.name; }).join(', ');
      }
      return { content: { text: msg } };
    }
  }
`);

realworld('gitlab-issue', js`
  class Script {
    process_incoming_request({ request }) {
      var issue = request.content.object_attributes;
      var labels = request.content.labels ? request.content.labels.map(function(l) { return '\`' + l.title + '\`'; }).join(' ') : '';
      return {
        content: {
          text: request.content.user.name + ' ' + issue.action + ' issue [#' + issue.iid + '](' + issue.url + '): ' + issue.title,
          attachments: [{ text: issue.description + (labels ? '\n' + labels : ''), color: issue.state === 'closed' ? '#888888' : '#1f78d1' }]
        }
      };
    }
  }
`);

realworld('gitlab-all-events', tabs(js`
  /* eslint no-console:0, max-len:0 */
  // see https://gitlab.com/help/web_hooks/web_hooks for full json posted by GitLab
  const MENTION_ALL_ALLOWED = false; // <- check that bot permission 'mention-all' are activated in rocketchat before passing this to true.
  const NOTIF_COLOR = '#6498CC';
  const refParser = (ref) => ref.replace(/^refs\/(?:tags|heads)\/(.+)$/, '$1');
  const displayName = (name) => (name && name.toLowerCase().replace(/\s+/g, '.'));
  const atName = (user) => (user && user.name ? '@' + displayName(user.name) : '');
  const makeAttachment = (author, text, color) => {
    return {
      author_name: author ? displayName(author.name) : '',
      author_icon: author ? author.avatar_url : '',
      text,
      color: color || NOTIF_COLOR
    };
  };
  const pushUniq = (array, val) => ~array.indexOf(val) || array.push(val); // eslint-disable-line

  class Script { // eslint-disable-line
    process_incoming_request({ request }) {
      try {
        let result = null;
        const channel = request.url.query.channel;
        const event = request.headers['x-gitlab-event'];
        switch (event) {
          case 'Push Hook':
            result = this.pushEvent(request.content);
            break;
          case 'Merge Request Hook':
            result = this.mergeRequestEvent(request.content);
            break;
          case 'Note Hook':
            result = this.commentEvent(request.content);
            break;
          case 'Issue Hook':
            result = this.issueEvent(request.content);
            break;
          case 'Tag Push Hook':
            result = this.tagEvent(request.content);
            break;
          case 'Pipeline Hook':
            result = this.pipelineEvent(request.content);
            break;
          default:
            result = this.unknownEvent(request, event);
            break;
        }
        if (result && result.content && channel) {
          result.content.channel = '#' + channel;
        }
        return result;
      } catch (e) {
        console.log('gitlabevent error', e);
        return this.createErrorChatMessage(e);
      }
    }

    createErrorChatMessage(error) {
      return {
        content: {
          username: 'Rocket.Cat ErrorHandler',
          text: 'Error occured while parsing an incoming webhook request. Details attached.',
          icon_url: '',
          attachments: [
            {
              text: \`Error: '\${error}', \n Message: '\${error.message}', \n Stack: '\${error.stack}'\`,
              color: NOTIF_COLOR
            }
          ]
        }
      };
    }

    unknownEvent(data, event) {
      return {
        content: {
          username: data.user ? data.user.name : (data.user_name || 'Unknown user'),
          text: 'Unknown event \'' + event + '\' occured. Data attached.',
          icon_url: data.user ? data.user.avatar_url : (data.user_avatar || ''),
          attachments: [
            {
              text: \`\${JSON.stringify(data, null, 4)}\`,
              color: NOTIF_COLOR
            }
          ]
        }
      };
    }

    issueEvent(data) {
      const state = data.object_attributes.state;
      const action = data.object_attributes.action;
      let user_action = state;
      let assigned = '';

      if (action === 'update') {
        user_action = 'updated';
      }

      if (data.assignee) {
        assigned = \`*Assigned to*: @\${data.assignee.username}\n\`;
      }

      return {
        content: {
          username: 'gitlab/' + data.project.name,
          icon_url: data.project.avatar_url || data.user.avatar_url || '',
          text: (data.assignee && data.assignee.name !== data.user.name) ? atName(data.assignee) : '',
          attachments: [
            makeAttachment(
              data.user, \`\${user_action} an issue _\${data.object_attributes.title}_ on \${data.project.name}.
  *Description:* \${data.object_attributes.description}.
  \${assigned}
  See: \${data.object_attributes.url}\`
            )
          ]
        }
      };
    }

    commentEvent(data) {
      const comment = data.object_attributes;
      const user = data.user;
      const avatar = data.project.avatar_url || data.user.avatar_url || '';
      const at = [];
      let text;
      if (data.merge_request) {
        const mr = data.merge_request;
        const lastCommitAuthor = mr.last_commit && mr.last_commit.author;
        if (mr.assignee && mr.assignee.name !== user.name) {
          at.push(atName(mr.assignee));
        }
        if (lastCommitAuthor && lastCommitAuthor.name !== user.name) {
          pushUniq(at, atName(lastCommitAuthor));
        }
        text = \`commented on MR [#\${mr.id} \${mr.title}](\${comment.url})\`;
      } else if (data.commit) {
        const commit = data.commit;
        const message = commit.message.replace(/\n[^\s\S]+/, '...').replace(/\n\$/, '');
        if (commit.author && commit.author.name !== user.name) {
          at.push(atName(commit.author));
        }
        text = \`commented on commit [\${commit.id.slice(0, 8)} \${message}](\${comment.url})\`;
      } else if (data.issue) {
        const issue = data.issue;
        text = \`commented on issue [#\${issue.id} \${issue.title}](\${comment.url})\`;
      } else if (data.snippet) {
        const snippet = data.snippet;
        text = \`commented on code snippet [#\${snippet.id} \${snippet.title}](\${comment.url})\`;
      }
      return {
        content: {
          username: 'gitlab/' + data.project.name,
          icon_url: avatar,
          text: at.join(' '),
          attachments: [
            makeAttachment(user, \`\${text}\n\${comment.note}\`)
          ]
        }
      };
    }

    mergeRequestEvent(data) {
      const user = data.user;
      const mr = data.object_attributes;
      const assignee = mr.assignee;
      let at = [];

      if (mr.action === 'open' && assignee) {
        at = '\n' + atName(assignee);
      } else if (mr.action === 'merge') {
        const lastCommitAuthor = mr.last_commit && mr.last_commit.author;
        if (assignee && assignee.name !== user.name) {
          at.push(atName(assignee));
        }
        if (lastCommitAuthor && lastCommitAuthor.name !== user.name) {
          pushUniq(at, atName(lastCommitAuthor));
        }
      }
      return {
        content: {
          username: \`gitlab/\${mr.target.name}\`,
          icon_url: mr.target.avatar_url || mr.source.avatar_url || user.avatar_url || '',
          text: at.join(' '),
          attachments: [
            makeAttachment(user, \`\${mr.action} MR [#\${mr.iid} \${mr.title}](\${mr.url})\n\${mr.source_branch} into \${mr.target_branch}\`)
          ]
        }
      };
    }

    pushEvent(data) {
      const project = data.project;
      const user = {
        name: data.user_name,
        avatar_url: data.user_avatar
      };
      // branch removal
      if (data.checkout_sha === null && !data.commits.length) {
        return {
          content: {
            username: \`gitlab/\${project.name}\`,
            icon_url: project.avatar_url || data.user_avatar || '',
            attachments: [
              makeAttachment(user, \`removed branch \${refParser(data.ref)} from [\${project.name}](\${project.web_url})\`)
            ]
          }
        };
      }
      // new branch
      if (data.before == 0) { // eslint-disable-line
        return {
          content: {
            username: \`gitlab/\${project.name}\`,
            icon_url: project.avatar_url || data.user_avatar || '',
            attachments: [
              makeAttachment(user, \`pushed new branch [\${refParser(data.ref)}](\${project.web_url}/commits/\${refParser(data.ref)}) to [\${project.name}](\${project.web_url}), which is \${data.total_commits_count} commits ahead of master\`)
            ]
          }
        };
      }
      return {
        content: {
          username: \`gitlab/\${project.name}\`,
          icon_url: project.avatar_url || data.user_avatar || '',
          attachments: [
            makeAttachment(user, \`pushed \${data.total_commits_count} commits to branch [\${refParser(data.ref)}](\${project.web_url}/commits/\${refParser(data.ref)}) in [\${project.name}](\${project.web_url})\`),
            {
              text: data.commits.map((commit) => \`  - \${new Date(commit.timestamp).toUTCString()} [\${commit.id.slice(0, 8)}](\${commit.url}) by \${commit.author.name}: \${commit.message.replace(/\s*\$/, '')}\`).join('\n'),
              color: NOTIF_COLOR
            }
          ]
        }
      };
    }

    tagEvent(data) {
      const tag = refParser(data.ref);
      const user = {
        name: data.user_name,
        avatar_url: data.user_avatar
      };
      let message;
      if (data.checkout_sha === null) {
        message = \`deleted tag [\${tag}](\${data.project.web_url}/tags/)\`;
      } else {
        message = \`pushed tag [\${tag} \${data.checkout_sha.slice(0, 8)}](\${data.project.web_url}/tags/\${tag})\`;
      }
      return {
        content: {
          username: \`gitlab/\${data.project.name}\`,
          icon_url: data.project.avatar_url || data.user_avatar || '',
          text: MENTION_ALL_ALLOWED ? '@all' : '',
          attachments: [
            makeAttachment(user, message)
          ]
        }
      };
    }

    pipelineEvent(data) {
      const status = data.object_attributes.status;
      const link = data.project.web_url;
      const user = {
        name: data.user.name,
        avatar_url: data.user.avatar_url
      };
      const pipeline_time = [data.object_attributes.finished_at, data.object_attributes.created_at].find((x) => x);

      return {
        content: {
          username: \`gitlab/\${data.project.name}\`,
          icon_url: data.project.avatar_url || data.user.avatar_url || '',
          attachments: [
            makeAttachment(user, \`pipeline returned *\${status}* for commit [\${data.commit.id.slice(0, 8)}](\${link}/commit/\${data.commit.id}) made by *\${data.commit.author.name}* at \${new Date(Date.parse(pipeline_time)).toUTCString()}\`)
          ]
        }
      };
    }
  }
`));

realworld('github-push', js`
  class Script {
    process_incoming_request({ request }) {
      var data = request.content;
      if (request.headers['x-github-event'] == 'ping') {
        return { content: { text: 'GitHub says: ' + data.zen } };
      }
      var commits = data.commits;
      var text = '';
      for (var i = 0; i < commits.length; i++) {
        text += '[\`' + commits[i].id.substr(0, 7) + '\`](' + commits[i].url + ') ' + commits[i].message + ' - ' + commits[i].author.name + '\n';
      }
      return {
        content: {
          username: data.sender.login,
          icon_url: data.sender.avatar_url,
          text: 'Pushed ' + commits.length + ' commit(s) to ' + data.repository.full_name + ':' + data.ref.split('/').pop(),
          attachments: [{ text: text, color: '#24292e', title: 'Compare changes', title_link: data.compare }]
        }
      };
    }
  }
`);

realworld('github-pull-request', js`
  class Script {
    process_incoming_request({ request }) {
      const { action, pull_request: pr, repository, sender } = request.content;
      if (!['opened', 'closed', 'reopened', 'ready_for_review'].includes(action)) {
        return false;
      }
      let verb = action;
      if (action === 'closed' && pr.merged) verb = 'merged';
      return {
        content: {
          alias: 'GitHub',
          avatar: sender.avatar_url,
          text: \`[\${repository.full_name}] \${sender.login} \${verb} pull request #\${pr.number}: [\${pr.title}](\${pr.html_url})\`,
          attachments: [{
            text: pr.body || '',
            fields: [
              { title: 'Base', value: pr.base.ref, short: true },
              { title: 'Head', value: pr.head.ref, short: true },
              { title: 'Changes', value: \`+\${pr.additions} / -\${pr.deletions}\`, short: true }
            ]
          }]
        }
      };
    }
  }
`);

realworld('github-issues', js`
  class Script {
    process_incoming_request({ request }) {
      var event = request.headers['x-github-event'];
      var d = request.content;
      if (event === 'issue_comment') {
        return {
          content: {
            text: d.sender.login + ' commented on [#' + d.issue.number + ' ' + d.issue.title + '](' + d.comment.html_url + ')',
            attachments: [{ text: d.comment.body }]
          }
        };
      }
      if (event !== 'issues') {
        return { error: { success: false, message: 'ignored ' + event } };
      }
      labels = d.issue.labels.map(function (l) { return l.name; }).join(', ');
      return {
        content: {
          text: d.sender.login + ' ' + d.action + ' issue [#' + d.issue.number + ' ' + d.issue.title + '](' + d.issue.html_url + ')' + (labels ? ' [' + labels + ']' : '')
        }
      };
    }
  }
`);

realworld('github-workflow-run', js`
  class Script {
    process_incoming_request({ request }) {
      const run = request.content.workflow_run;
      if (!run || request.content.action !== 'completed') return false;
      const icon = run.conclusion === 'success' ? ':large_green_circle:' : ':red_circle:';
      return {
        content: {
          text: \`\${icon} \${run.name} #\${run.run_number} \${run.conclusion} on \${run.head_branch} (\${run.head_commit?.message?.split('\n')[0] ?? ''})\`,
          attachments: [{ title: 'Open run', title_link: run.html_url }]
        }
      };
    }
  }
`);

realworld('jenkins-notification', js`
  class Script {
    process_incoming_request({ request }) {
      // Jenkins "Notification Plugin" JSON format
      var build = request.content.build;
      var color = '#cccccc';
      if (build.status == 'SUCCESS') color = '#36a64f';
      else if (build.status == 'FAILURE') color = '#d00000';
      else if (build.status == 'UNSTABLE') color = '#ffcc00';

      var text = 'Job *' + request.content.name + '* build #' + build.number + ' ' + build.phase.toLowerCase();
      if (build.status) {
        text += ': ' + build.status;
      }

      return {
        content: {
          username: 'Jenkins',
          icon_url: 'https://jenkins.io/images/logos/jenkins/jenkins.png',
          text: text,
          attachments: [{
            title: 'Build log',
            title_link: build.full_url + 'console',
            color: color,
            text: build.scm ? 'Commit ' + build.scm.commit + ' on ' + build.scm.branch : ''
          }]
        }
      };
    }
  }
`);

realworld('bitbucket-push', js`
  class Script {
    process_incoming_request({ request }) {
      var repo = request.content.repository;
      var actor = request.content.actor;
      var changes = request.content.push.changes;
      var text = actor.display_name + ' pushed to ' + repo.full_name + '\n';
      changes.forEach(function (change) {
        if (!change.new) {
          text += 'Deleted ' + change.old.name + '\n';
          return;
        }
        text += '*' + change.new.name + '*:\n';
        change.commits.forEach(function (commit) {
          text += '> [' + commit.hash.substring(0, 7) + '](' + commit.links.html.href + ') ' + commit.message.trim() + '\n';
        });
      });
      return { content: { text: text, icon_url: actor.links.avatar.href } };
    }
  }
`);

realworld('bitbucket-pull-request', js`
  const EVENTS = {
    'pullrequest:created': 'created',
    'pullrequest:updated': 'updated',
    'pullrequest:approved': 'approved',
    'pullrequest:fulfilled': 'merged',
    'pullrequest:rejected': 'declined',
    'pullrequest:comment_created': 'commented on'
  };

  class Script {
    process_incoming_request({ request }) {
      const key = request.headers['x-event-key'];
      const verb = EVENTS[key];
      if (!verb) {
        return { error: { success: false, message: 'Unsupported event: ' + key } };
      }
      const pr = request.content.pullrequest;
      let text = \`\${request.content.actor.display_name} \${verb} PR [#\${pr.id} \${pr.title}](\${pr.links.html.href})\`;
      if (key === 'pullrequest:comment_created') {
        text += '\n> ' + request.content.comment.content.raw;
      }
      return { content: { text } };
    }
  }
`);

realworld('sentry', js`
  class Script {
    process_incoming_request({ request }) {
      var d = request.content;
      var level = d.level || (d.event && d.event.level) || 'error';
      var colors = { fatal: '#d20f2a', error: '#f43f20', warning: '#f18500', info: '#2788ce', debug: '#d3d3d3' };

      var fields = [];
      if (d.event && d.event.tags) {
        d.event.tags.forEach(function (tag) {
          if (tag[0] === 'environment' || tag[0] === 'release' || tag[0] === 'server_name') {
            fields.push({ title: tag[0], value: tag[1], short: true });
          }
        });
      }

      return {
        content: {
          username: 'Sentry',
          icon_url: 'https://sentry.io/_static/sentry/images/favicon.png',
          text: '[' + d.project_name + '] ' + (d.message || d.culprit),
          attachments: [{
            title: d.event ? d.event.title : d.message,
            title_link: d.url,
            text: d.culprit,
            color: colors[level],
            fields: fields
          }]
        }
      };
    }
  }
`);

realworld('zabbix', js`
  class Script {
    process_incoming_request({ request }) {
      // Zabbix media type sends: {"subject":"...","message":"...","severity":"High","status":"PROBLEM"}
      var c = request.content;
      var color;
      switch (c.severity) {
        case 'Disaster': color = '#E45959'; break;
        case 'High': color = '#E97659'; break;
        case 'Average': color = '#FFA059'; break;
        case 'Warning': color = '#FFC859'; break;
        case 'Information': color = '#7499FF'; break;
        default: color = '#97AAB3';
      }
      if (c.status == 'OK' || c.status == 'RESOLVED') color = '#59DB8F';
      return {
        content: {
          text: (c.status == 'PROBLEM' ? ':rotating_light: ' : ':white_check_mark: ') + c.subject,
          attachments: [{ text: c.message.replace(/\r\n/g, '\n'), color: color }]
        }
      };
    }
  }
`);

realworld('generic-json-dump', js`
  class Script {
    process_incoming_request({ request }) {
      console.log(request.content);
      return {
        content:{
          text: "\`\`\`\n" + JSON.stringify(request.content, null, 2) + "\n\`\`\`"
        }
      };
    }
  }
`);

realworld('generic-text-passthrough', js`
  class Script {
    process_incoming_request({ request }) {
      // accept {"text": "..."} or {"message": "..."} or a plain form field
      var text = request.content.text || request.content.message || request.content_raw;
      if (!text) {
        return { error: { success: false, message: 'no text' } };
      }
      return { content: { text: text, alias: request.content.alias, emoji: request.content.emoji } };
    }
  }
`);

realworld('uptime-kuma', js`
  class Script {
    process_incoming_request({ request }) {
      const { heartbeat, monitor, msg } = request.content;
      if (!heartbeat) {
        return { content: { text: msg } }; // test notification
      }
      const up = heartbeat.status === 1;
      return {
        content: {
          text: (up ? ':green_circle: ' : ':red_circle: ') + monitor.name + ' is ' + (up ? 'UP' : 'DOWN'),
          attachments: [{ text: heartbeat.msg + ' (' + heartbeat.ping + ' ms)', color: up ? 'good' : 'danger' }]
        }
      };
    }
  }
`);

realworld('jira', js`
  class Script {
    process_incoming_request({ request }) {
      var data = request.content;
      var issue = data.issue;
      var user = data.user;
      var baseUrl = issue.self.split('/rest/')[0];
      var issueUrl = baseUrl + '/browse/' + issue.key;
      var text;

      if (data.webhookEvent === 'jira:issue_created') {
        text = user.displayName + ' created [' + issue.key + '](' + issueUrl + ')';
      } else if (data.webhookEvent === 'jira:issue_updated') {
        var changes = (data.changelog && data.changelog.items || []).map(function (item) {
          return item.field + ': ' + item.fromString + ' → ' + item.toString;
        });
        text = user.displayName + ' updated [' + issue.key + '](' + issueUrl + ')\n' + changes.join('\n');
        if (data.comment) {
          text += '\n> ' + data.comment.body;
        }
      } else {
        return false;
      }
      return {
        content: {
          text: text,
          attachments: [{ title: issue.fields.summary, title_link: issueUrl, text: issue.fields.status.name + ' | ' + issue.fields.priority.name }]
        }
      };
    }
  }
`);

realworld('docker-hub', js`
  class Script {
    process_incoming_request({ request }) {
      var r = request.content.repository;
      var p = request.content.push_data;
      return {
        content: {
          text: ':whale: ' + p.pusher + ' pushed ' + r.repo_name + ':' + p.tag,
          attachments: [{ title: r.repo_name, title_link: r.repo_url, text: r.description }]
        }
      };
    }
  }
`);

realworld('azure-devops', js`
  class Script {
    process_incoming_request({ request }) {
      const c = request.content;
      const text = c.detailedMessage && c.detailedMessage.markdown ? c.detailedMessage.markdown : c.message.text;
      return {
        content: {
          alias: 'Azure DevOps',
          text: text,
          attachments: c.resource && c.resource.url ? [{ title: c.eventType, title_link: c.resource.url }] : []
        }
      };
    }
  }
`);

realworld('nagios-form', js`
  class Script {
    process_incoming_request({ request }) {
      // nagios posts application/x-www-form-urlencoded
      var c = request.content;
      var state = c.SERVICESTATE || c.HOSTSTATE;
      var icons = { OK: ':white_check_mark:', WARNING: ':warning:', CRITICAL: ':bangbang:', UNKNOWN: ':grey_question:', UP: ':white_check_mark:', DOWN: ':bangbang:' };
      var text = icons[state] + ' ' + c.NOTIFICATIONTYPE + ': ' + c.HOSTNAME;
      if (c.SERVICEDESC) text += '/' + c.SERVICEDESC;
      text += ' is ' + state + '\n' + (c.SERVICEOUTPUT || c.HOSTOUTPUT);
      return { content: { text: text } };
    }
  }
`);

realworld('circleci', js`
  class Script {
    process_incoming_request({ request }) {
      const { type, pipeline, workflow, project } = request.content;
      if (type !== 'workflow-completed') {
        return false;
      }
      const ok = workflow.status === 'success';
      return {
        content: {
          emoji: ok ? ':heavy_check_mark:' : ':heavy_multiplication_x:',
          text: \`\${project.name}: workflow \${workflow.name} \${workflow.status} (\${pipeline.vcs.branch} @ \${pipeline.vcs.revision.slice(0, 7)})\`,
          attachments: [{ title: 'Workflow', title_link: workflow.url }]
        }
      };
    }
  }
`);

realworld('incoming-with-store', js`
  class Script {
    process_incoming_request({ request }) {
      var last = Store.get('lastStatus');
      var status = request.content.status;
      Store.set('lastStatus', status);
      if (last === status) {
        return false; // nothing changed, stay quiet
      }
      return { content: { text: 'Status changed: ' + (last || 'unknown') + ' → ' + status } };
    }
  }
`);

realworld('outgoing-trigger-word-bot', js`
  /* exported Script */
  /* globals console, _, s, HTTP */

  /** Global Helpers
   *
   * console - A normal console instance
   * _       - An underscore instance
   * s       - An underscore string instance
   * HTTP    - The Meteor HTTP object to do sync http calls
   */

  class Script {
    /**
     * @params {object} request
     */
    prepare_outgoing_request({ request }) {
      // request.params            {object}
      // request.method            {string}
      // request.url               {string}
      // request.auth              {string}
      // request.headers           {object}
      // request.data.token        {string}
      // request.data.channel_id   {string}
      // request.data.channel_name {string}
      // request.data.timestamp    {date}
      // request.data.user_id      {string}
      // request.data.user_name    {string}
      // request.data.text         {string}
      // request.data.trigger_word {string}

      let match;

      // Change the URL and method of the request
      match = request.data.text.match(/^pr\s(ls|list)/);
      if (match) {
        return {
          url: request.url + '/pulls',
          headers: request.headers,
          method: 'GET'
        };
      }

      // Prevent the request and return a new message
      match = request.data.text.match(/^help$/);
      if (match) {
        return {
          message: {
            text: [
              '**commands**',
              '\`\`\`',
              '  pr ls [open|closed|all]  List Pull Requests',
              '\`\`\`'
            ].join('\n')
            // "channel": "#name-of-channel",
            // "attachments": [{
            //   "color": "#FF0000",
            //   "author_name": "Rocket.Cat",
            //   "author_link": "https://open.rocket.chat/direct/rocket.cat",
            //   "author_icon": "https://open.rocket.chat/avatar/rocket.cat.jpg",
            //   "title": "Rocket.Chat",
            //   "title_link": "https://rocket.chat",
            //   "text": "Rocket.Chat, the best open source chat",
            //   "fields": [{
            //     "title": "Priority",
            //     "value": "High",
            //     "short": false
            //   }],
            //   "image_url": "https://rocket.chat/images/mockup.png",
            //   "thumb_url": "https://rocket.chat/images/mockup.png"
            // }]
          }
        };
      }
    }

    /**
     * @params {object} request, response
     */
    process_outgoing_response({ request, response }) {
      // request              {object} - the object returned by prepare_outgoing_request

      // response.error       {object}
      // response.status_code {integer}
      // response.content     {object}
      // response.content_raw {string/object}
      // response.headers     {object}

      var text = [];
      response.content.forEach(function(pr) {
        text.push('> '+pr.state+' [#'+pr.number+']('+pr.html_url+') - '+pr.title);
      });

      // Return false will abort the response
      // return false;

      // Return empty will proceed with the default response process
      // return;

      return {
        content: {
          text: text.join('\n'),
          parseUrls: false
          // "attachments": [{
          //   "color": "#FF0000",
          //   "author_name": "Rocket.Cat",
          //   "author_link": "https://open.rocket.chat/direct/rocket.cat",
          //   "author_icon": "https://open.rocket.chat/avatar/rocket.cat.jpg",
          //   "title": "Rocket.Chat",
          //   "title_link": "https://rocket.chat",
          //   "text": "Rocket.Chat, the best open source chat",
          //   "fields": [{
          //     "title": "Priority",
          //     "value": "High",
          //     "short": false
          //   }],
          //   "image_url": "https://rocket.chat/images/mockup.png",
          //   "thumb_url": "https://rocket.chat/images/mockup.png"
          // }]
         }
      };
    }
  }
`);

realworld('outgoing-weather-bot', js`
  class Script {
    prepare_outgoing_request({ request }) {
      var city = request.data.text.replace(request.data.trigger_word, '').trim();
      if (!city) {
        return { message: { text: 'Usage: ' + request.data.trigger_word + ' <city>' } };
      }
      return {
        url: 'https://api.openweathermap.org/data/2.5/weather?units=metric&q=' + encodeURIComponent(city) + '&appid=' + request.params.appid,
        method: 'GET'
      };
    }

    process_outgoing_response({ request, response }) {
      if (response.status_code != 200) {
        return { content: { text: 'Sorry, could not get the weather (' + response.status_code + ')' } };
      }
      w = response.content;
      return {
        content: {
          text: ':partly_sunny: ' + w.name + ': ' + w.weather[0].description + ', ' + Math.round(w.main.temp) + '°C'
        }
      };
    }
  }
`);

realworld('outgoing-giphy', js`
  class Script {
    prepare_outgoing_request({ request }) {
      const q = request.data.text.split(' ').slice(1).join(' ');
      return {
        url: \`https://api.giphy.com/v1/gifs/random?tag=\${encodeURIComponent(q)}&api_key=\${request.data.token}\`,
        method: 'GET'
      };
    }
    process_outgoing_response({ response }) {
      const gif = response.content.data;
      if (!gif || !gif.images) {
        return { content: { text: 'No gif found :(' } };
      }
      return { content: { attachments: [{ image_url: gif.images.original.url, title: gif.title }] } };
    }
  }
`);

realworld('outgoing-jira-link-expander', js`
  const JIRA = 'https://jira.example.com';

  class Script {
    prepare_outgoing_request({ request }) {
      const keys = request.data.text.match(/\b[A-Z][A-Z0-9]+-\d+\b/g);
      if (!keys) {
        return; // nothing to do: no request is made
      }
      return {
        url: JIRA + '/rest/api/2/search?jql=' + encodeURIComponent('key in (' + keys.join(',') + ')'),
        method: 'GET',
        auth: request.params.user + ':' + request.params.password
      };
    }

    process_outgoing_response({ response }) {
      if (!response.content || !response.content.issues) return false;
      return {
        content: {
          attachments: response.content.issues.map((issue) => ({
            title: issue.key + ': ' + issue.fields.summary,
            title_link: JIRA + '/browse/' + issue.key,
            text: issue.fields.status.name
          }))
        }
      };
    }
  }
`);

realworld('outgoing-post-json', js`
  class Script {
    prepare_outgoing_request({ request }) {
      console.log('outgoing', request.data.user_name, request.data.text);
      return {
        url: request.url,
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Source': 'rocketchat' },
        data: {
          user: request.data.user_name,
          room: request.data.channel_name,
          text: request.data.text,
          at: request.data.timestamp
        }
      };
    }

    process_outgoing_response({ request, response }) {
      if (response.error) {
        return { content: { text: ':warning: ' + response.error.message } };
      }
      if (response.content && response.content.reply) {
        return { content: { text: response.content.reply } };
      }
    }
  }
`);

realworld('outgoing-room-events', js`
  class Script {
    prepare_outgoing_request({ request }) {
      // fires on roomJoined / roomLeft: greet newcomers without calling any URL
      if (request.data.user_name === 'rocket.cat') {
        return;
      }
      return {
        message: {
          text: 'Welcome @' + request.data.user_name + ' to #' + request.data.channel_name + '! Please read the pinned messages.'
        }
      };
    }
  }
`);

// ---- sloppy: legal only in sloppy scripts, or only in modules ----
const sloppy = (name, source) => add('sloppy', name, source);

sloppy('with-statement', incoming`
  with (request.content) {
    return { content: { text: user_name + ': ' + text } };
  }
`);
sloppy('with-statement-top-level', js`
  var defaults = { prefix: '>' };
  with (defaults) {
    var label = prefix + ' hook';
  }
  class Script {
    process_incoming_request({ request }) {
      return { content: { text: label + ' ' + request.content.text } };
    }
  }
`);
sloppy('legacy-octal-literal', js`
  var mode = 0755;
  var eight = 010;
  class Script {
    process_incoming_request() {
      return { content: { text: 'mode ' + mode + ' ' + eight } };
    }
  }
`);
sloppy('legacy-octal-like-decimal', js`
  var padded = 089;
  class Script {
    process_incoming_request() {
      return { content: { text: String(padded) } };
    }
  }
`);
sloppy('octal-escape-in-string', js`
  var bell = "ring\07";
  var nul = "a\01b";
  class Script {
    process_incoming_request() {
      return { content: { text: bell.length + ' ' + nul.length } };
    }
  }
`);
sloppy('non-octal-decimal-escape', js`
  var nine = "\9";
  class Script {
    process_incoming_request() {
      return { content: { text: nine } };
    }
  }
`);
sloppy('octal-escape-in-template', js`
  var t = \`\07\`;
  class Script {
    process_incoming_request() {
      return { content: { text: t } };
    }
  }
`);
sloppy('delete-identifier', js`
  var cache = {};
  delete cache;
  class Script {
    process_incoming_request() {
      return { content: { text: typeof cache } };
    }
  }
`);
sloppy('duplicate-parameter-names', js`
  function pick(a, a) {
    return a;
  }
  class Script {
    process_incoming_request({ request }) {
      return { content: { text: pick(1, request.content.text) } };
    }
  }
`);
sloppy('arguments-and-eval-as-names', js`
  function count() {
    var arguments = [1, 2];
    return arguments.length;
  }
  var eval = function (x) { return x; };
  class Script {
    process_incoming_request() {
      return { content: { text: count() + ' ' + eval('ok') } };
    }
  }
`);
sloppy('assign-to-eval-arguments', js`
  function f() {
    arguments = [];
    return arguments.length;
  }
  class Script {
    process_incoming_request() {
      return { content: { text: String(f()) } };
    }
  }
`);
sloppy('html-open-comment', js`
  <!-- legacy comment copied from a web page
  class Script {
    process_incoming_request({ request }) {
      return { content: { text: request.content.text } };
    }
  }
`);
sloppy('html-close-comment', js`
  class Script {
    process_incoming_request({ request }) {
      return { content: { text: request.content.text } };
    }
  }
  --> end of script
`);
sloppy('let-as-identifier', js`
  var let = 'value';
  class Script {
    process_incoming_request() {
      return { content: { text: let } };
    }
  }
`);
sloppy('yield-as-identifier', js`
  var yield = 5;
  class Script {
    process_incoming_request() {
      return { content: { text: String(yield) } };
    }
  }
`);
sloppy('await-as-identifier', js`
  var await = 'later';
  class Script {
    process_incoming_request() {
      return { content: { text: await } };
    }
  }
`);
sloppy('strict-reserved-words-as-names', js`
  var interface = 'eth0';
  var package = 'core';
  var public = true;
  var static = 1;
  class Script {
    process_incoming_request() {
      return { content: { text: interface + ' ' + package } };
    }
  }
`);
sloppy('top-level-return', js`
  class Script {
    process_incoming_request({ request }) {
      return { content: { text: request.content.text } };
    }
  }
  return;
`);
sloppy('top-level-return-early-exit', js`
  var enabled = false;
  if (!enabled) {
    return;
  }
  class Script {
    process_incoming_request() {
      return { content: { text: 'enabled' } };
    }
  }
`);
sloppy('top-level-await-expression', js`
  await null;
  class Script {
    process_incoming_request() {
      return { content: { text: 'awaited' } };
    }
  }
`);
sloppy('import-statement', js`
  import moment from 'moment';
  class Script {
    process_incoming_request({ request }) {
      return { content: { text: moment(request.content.date).fromNow() } };
    }
  }
`);
sloppy('import-side-effect', js`
  import './polyfills';
  class Script {
    process_incoming_request() {
      return { content: { text: 'ok' } };
    }
  }
`);
sloppy('export-class', js`
  export class Script {
    process_incoming_request({ request }) {
      return { content: { text: request.content.text } };
    }
  }
`);
sloppy('export-default', js`
  class Script {
    process_incoming_request({ request }) {
      return { content: { text: request.content.text } };
    }
  }
  export default Script;
`);
sloppy('function-declaration-as-if-body', js`
  if (typeof format === 'undefined') function format(x) { return String(x); }
  class Script {
    process_incoming_request({ request }) {
      return { content: { text: format(request.content.text) } };
    }
  }
`);
sloppy('labelled-function-declaration', js`
  helpers: function helper() { return 'h'; }
  class Script {
    process_incoming_request() {
      return { content: { text: helper() } };
    }
  }
`);
sloppy('implicit-global-in-method', js`
  class Script {
    process_incoming_request({ request }) {
      result = { content: { text: request.content.text } };
      return result;
    }
  }
`);
sloppy('implicit-global-top-level', js`
  counter = 0;
  class Script {
    process_incoming_request() {
      counter++;
      return { content: { text: 'call #' + counter } };
    }
  }
`);
sloppy('this-in-plain-function', js`
  function whoAmI() {
    return typeof this;
  }
  class Script {
    process_incoming_request() {
      return { content: { text: whoAmI() } };
    }
  }
`);
sloppy('html-open-comment-inside-class', js`
  class Script {
    <!-- a comment only in sloppy scripts, even inside a class body
    process_incoming_request() {
      return { content: { text: 'x' } };
    }
  }
`);
sloppy('use-strict-directive-with', js`
  'use strict';
  with (Math) {
    var r = round(1.5);
  }
  class Script {
    process_incoming_request() {
      return { content: { text: String(r) } };
    }
  }
`);

// ---- broken: scripts that do not compile ----
const broken = (name, source) => add('broken', name, source);

broken('const-without-name', incoming`
  const = 5;
  return { content: { text: 'x' } };
`);
broken('missing-closing-brace', js`
  class Script {
    process_incoming_request({ request }) {
      if (request.content.ok) {
        return { content: { text: 'ok' } };
    }
  }
`);
broken('extra-closing-brace', js`
  class Script {
    process_incoming_request({ request }) {
      return { content: { text: request.content.text } };
    }
  }
  }
`);
broken('unbalanced-parenthesis', incoming`
  const text = String(request.content.text;
  return { content: { text } };
`);
broken('unbalanced-bracket', incoming`
  const list = [1, 2, 3;
  return { content: { text: list.join() } };
`);
broken('unterminated-string', incoming`
  const text = 'unterminated;
  return { content: { text } };
`);
broken('unterminated-template', incoming`
  const text = \`value: \${request.content.value};
  return { content: { text } };
`);
broken('unterminated-template-expression', incoming`
  const text = \`value: \${request.content.value\`;
  return { content: { text } };
`);
broken('unterminated-block-comment', js`
  /* configuration
  class Script {
    process_incoming_request() {
      return { content: { text: 'x' } };
    }
  }
`);
broken('unterminated-regex', incoming`
  const re = /abc;
  return { content: { text: String(re) } };
`);
broken('regex-bad-flag', incoming`
  const re = /abc/x;
  return { content: { text: String(re.test(request.content.text)) } };
`);
broken('regex-duplicate-flag', incoming`
  const re = /abc/gg;
  return { content: { text: String(re) } };
`);
broken('regex-invalid-pattern', incoming`
  const re = /(unclosed/;
  return { content: { text: String(re) } };
`);
broken('regex-invalid-quantifier', incoming`
  const re = /+star/;
  return { content: { text: String(re) } };
`);
broken('regex-v-flag-unescaped-paren', incoming`
  const re = /[(]/v;
  return { content: { text: String(re) } };
`);
broken('regex-u-flag-bad-escape', incoming`
  const re = /\-/u;
  return { content: { text: String(re) } };
`);
broken('regex-duplicate-group-name', incoming`
  const re = /(?<n>a)|(?<n>b)(?<n>c)/;
  return { content: { text: String(re) } };
`);
broken('duplicate-let', incoming`
  let text = 'a';
  let text = 'b';
  return { content: { text } };
`);
broken('let-and-var-same-name', incoming`
  let text = 'a';
  var text = 'b';
  return { content: { text } };
`);
broken('duplicate-class-declaration', js`
  class Script {}
  class Script {
    process_incoming_request() {}
  }
`);
broken('let-redeclares-parameter', js`
  class Script {
    process_incoming_request(request) {
      let request = {};
      return { content: { text: 'x' } };
    }
  }
`);
broken('await-in-non-async-function', incoming`
  const data = await Promise.resolve(request.content);
  return { content: { text: data.text } };
`);
broken('yield-outside-generator', incoming`
  yield request.content.text;
  return { content: { text: 'x' } };
`);
broken('invalid-destructuring-target', incoming`
  const { text: 'literal' } = request.content;
  return { content: { text } };
`);
broken('invalid-array-destructuring-target', incoming`
  let a, b;
  [a + b] = [1];
  return { content: { text: 'x' } };
`);
broken('new-target-outside-function', js`
  const kind = new.target;
  class Script {
    process_incoming_request() {
      return { content: { text: 'x' } };
    }
  }
`);
broken('super-outside-method', js`
  function helper() {
    return super.toString();
  }
  class Script {
    process_incoming_request() {
      return { content: { text: helper() } };
    }
  }
`);
broken('super-call-without-extends', js`
  class Script {
    constructor() {
      super();
    }
    process_incoming_request() {
      return { content: { text: 'x' } };
    }
  }
`);
broken('reserved-word-as-variable', incoming`
  var class = 'vip';
  return { content: { text: class } };
`);
broken('enum-as-variable', js`
  var enum = 1;
  class Script {}
`);
broken('assignment-to-literal', incoming`
  1 = 2;
  return { content: { text: 'x' } };
`);
broken('assignment-to-call', incoming`
  request.content.get() = 5;
  return { content: { text: 'x' } };
`);
broken('optional-chain-assignment', incoming`
  request.content?.text = 'x';
  return { content: { text: 'x' } };
`);
broken('getter-with-parameter', js`
  class Script {
    get label(prefix) {
      return prefix + 'x';
    }
    process_incoming_request() {
      return { content: { text: this.label } };
    }
  }
`);
broken('setter-without-parameter', js`
  class Script {
    set label() {}
    process_incoming_request() {
      return { content: { text: 'x' } };
    }
  }
`);
broken('duplicate-constructor', js`
  class Script {
    constructor() {
      this.a = 1;
    }
    constructor() {
      this.b = 2;
    }
    process_incoming_request() {
      return { content: { text: 'x' } };
    }
  }
`);
broken('undeclared-private-name', js`
  class Script {
    process_incoming_request({ request }) {
      this.#cache = request.content;
      return { content: { text: 'x' } };
    }
  }
`);
broken('private-name-outside-class', js`
  class Script {
    #secret = 1;
    process_incoming_request() {
      return { content: { text: 'x' } };
    }
  }
  const leak = new Script().#secret;
`);
broken('delete-private-field', js`
  class Script {
    #cache = {};
    process_incoming_request() {
      delete this.#cache;
      return { content: { text: 'x' } };
    }
  }
`);
broken('duplicate-private-name', js`
  class Script {
    #x = 1;
    #x = 2;
    process_incoming_request() {
      return { content: { text: 'x' } };
    }
  }
`);
broken('break-outside-loop', incoming`
  if (!request.content.text) {
    break;
  }
  return { content: { text: request.content.text } };
`);
broken('continue-outside-loop', incoming`
  continue;
`);
broken('undefined-label', incoming`
  for (const x of request.content.items) {
    if (x) break missing;
  }
  return { content: { text: 'x' } };
`);
broken('invalid-unicode-escape', incoming`
  const text = '\u{110000}';
  return { content: { text } };
`);
broken('malformed-unicode-escape', incoming`
  const text = 'bad \u12 escape';
  return { content: { text } };
`);
broken('invalid-hex-escape', incoming`
  const text = '\xZZ';
  return { content: { text } };
`);
broken('numeric-separator-doubled', incoming`
  const n = 1__000;
  return { content: { text: String(n) } };
`);
broken('numeric-separator-trailing', incoming`
  const n = 1000_;
  return { content: { text: String(n) } };
`);
broken('numeric-separator-after-dot', incoming`
  const n = 1._5;
  return { content: { text: String(n) } };
`);
broken('nullish-mixed-with-or', incoming`
  const text = request.content.a ?? request.content.b || 'default';
  return { content: { text } };
`);
broken('nullish-mixed-with-and', incoming`
  const text = request.content.a && request.content.b ?? 'default';
  return { content: { text } };
`);
broken('missing-comma-in-object', incoming`
  return {
    content: {
      text: 'a'
      alias: 'b'
    }
  };
`);
broken('arrow-after-line-break', incoming`
  const f = (a)
    => a;
  return { content: { text: f('x') } };
`);
broken('misspelled-keyword', js`
  fucntion format(x) {
    return x;
  }
  class Script {}
`);
broken('python-style', js`
  class Script:
      def process_incoming_request(self, request):
          return {"content": {"text": request["content"]["text"]}}
`);
broken('json-pasted', js`
  {
    "content": {
      "text": "hello"
    }
  }
`);
broken('jsx-like-markup', incoming`
  return <div>{request.content.text}</div>;
`);
broken('typescript-annotations', js`
  class Script {
    process_incoming_request({ request }: { request: any }): object {
      return { content: { text: request.content.text } };
    }
  }
`);
broken('decorator', js`
  function log(target) {
    return target;
  }
  @log
  class Script {
    process_incoming_request() {
      return { content: { text: 'x' } };
    }
  }
`);
broken('class-extends-nothing', js`
  class Script extends {
    process_incoming_request() {}
  }
`);
broken('let-let', js`
  let let = 1;
  class Script {}
`);
broken('class-name-reserved-in-strict', js`
  class let {}
  class Script {}
`);
broken('truncated-paste', js`
  class Script {
    process_incoming_request({ request }) {
      var text = request.content.text;
      if (text.length > 100) {
        text = text.substring(0, 100) + '...';
`);
broken('unclosed-for-of', incoming`
  for (const x of request.content.items {
    console.log(x);
  }
  return { content: { text: 'x' } };
`);
broken('duplicate-proto-key', incoming`
  const o = { __proto__: null, __proto__: {} };
  return { content: { text: typeof o } };
`);
broken('invalid-identifier-escape', incoming`
  var a\u0020b = 1;
  return { content: { text: 'x' } };
`);
broken('async-arrow-await-parameter', incoming`
  const f = async (await) => 1;
  return { content: { text: 'x' } };
`);
broken('for-in-const-with-initializer', incoming`
  for (const k = 0 in request.content) {}
  return { content: { text: 'x' } };
`);
broken('rest-element-not-last', incoming`
  const [...rest, last] = request.content.items;
  return { content: { text: last } };
`);
broken('class-field-named-constructor', js`
  class Script {
    constructor = 1;
    process_incoming_request() {}
  }
`);
broken('static-prototype-method', js`
  class Script {
    static prototype() {}
    process_incoming_request() {}
  }
`);
broken('arguments-in-class-field', js`
  class Script {
    args = arguments;
    process_incoming_request() {}
  }
`);

// ---- class: scripts that compile, with or without a usable Script ----
const klass = (name, source) => add('class', name, source);

klass('no-class-at-all', js`
  function process_incoming_request({ request }) {
    return { content: { text: request.content.text } };
  }
`);
klass('lowercase-script-class', js`
  class script {
    process_incoming_request({ request }) {
      return { content: { text: request.content.text } };
    }
  }
`);
klass('script-class-inside-function', js`
  function setup() {
    class Script {
      process_incoming_request({ request }) {
        return { content: { text: request.content.text } };
      }
    }
    return Script;
  }
`);
klass('script-class-inside-block', js`
  {
    class Script {
      process_incoming_request({ request }) {
        return { content: { text: request.content.text } };
      }
    }
  }
`);
klass('script-only-in-comment', js`
  // class Script { process_incoming_request() {} }
  /* class Script {} */
  var note = 'nothing here';
`);
klass('script-only-in-string', js`
  var template = "class Script { process_incoming_request() { return {}; } }";
`);
klass('function-script', js`
  function Script() {}
  Script.prototype.process_incoming_request = function ({ request }) {
    return { content: { text: request.content.text } };
  };
`);
klass('function-script-methods-in-constructor', js`
  function Script() {
    this.prepare_outgoing_request = function ({ request }) {
      return request;
    };
    this.process_outgoing_response = function () {
      return;
    };
  }
`);
klass('var-script-class-expression', js`
  var Script = class {
    process_incoming_request({ request }) {
      return { content: { text: request.content.text } };
    }
  };
`);
klass('assigned-undeclared-script', js`
  Script = class {
    process_incoming_request({ request }) {
      return { content: { text: request.content.text } };
    }
  };
`);
klass('const-script-class-expression', js`
  const Script = class Handler {
    process_incoming_request({ request }) {
      return { content: { text: request.content.text } };
    }
  };
`);
klass('let-script-class-expression', js`
  let Script = class {
    prepare_outgoing_request({ request }) {
      return request;
    }
  };
`);
klass('script-is-arrow-function', js`
  const Script = () => ({
    process_incoming_request: () => ({ content: { text: 'arrow' } }),
  });
`);
klass('script-is-plain-object', js`
  var Script = {
    process_incoming_request({ request }) {
      return { content: { text: request.content.text } };
    },
  };
`);
klass('script-is-string', js`
  var Script = 'class Script {}';
`);
klass('escaped-script-identifier', js`
  class Scr\u0069pt {
    process_incoming_request({ request }) {
      return { content: { text: request.content.text } };
    }
  }
`);
klass('script-empty-class', js`
  class Script {}
`);
klass('script-only-incoming-method', js`
  class Script {
    process_incoming_request({ request }) {
      return { content: { text: request.content.text } };
    }
  }
`);
klass('script-only-prepare-method', js`
  class Script {
    prepare_outgoing_request({ request }) {
      return { url: request.url, method: 'GET' };
    }
  }
`);
klass('script-only-process-response-method', js`
  class Script {
    process_outgoing_response({ response }) {
      return { content: { text: String(response.status_code) } };
    }
  }
`);
klass('script-all-three-methods', js`
  class Script {
    prepare_outgoing_request({ request }) {
      return request;
    }
    process_outgoing_response({ response }) {
      return { content: { text: response.content_raw } };
    }
    process_incoming_request({ request }) {
      return { content: { text: request.content.text } };
    }
  }
`);
klass('script-methods-misspelled', js`
  class Script {
    process_incoming_requests({ request }) {
      return { content: { text: request.content.text } };
    }
    prepareOutgoingRequest({ request }) {
      return request;
    }
  }
`);
klass('methods-as-arrow-fields', js`
  class Script {
    process_incoming_request = ({ request }) => {
      return { content: { text: request.content.text } };
    };
    prepare_outgoing_request = ({ request }) => request;
  }
`);
klass('method-field-not-a-function', js`
  class Script {
    process_incoming_request = 'disabled';
    prepare_outgoing_request = null;
  }
`);
klass('methods-inherited-from-base', js`
  class BaseHook {
    process_incoming_request({ request }) {
      return { content: { text: this.format(request.content) } };
    }
    format(content) {
      return content.text;
    }
  }
  class Script extends BaseHook {
    format(content) {
      return '[' + content.level + '] ' + content.text;
    }
  }
`);
klass('static-method-only', js`
  class Script {
    static process_incoming_request({ request }) {
      return { content: { text: request.content.text } };
    }
  }
`);
klass('getter-returning-method', js`
  class Script {
    get process_incoming_request() {
      return ({ request }) => ({ content: { text: request.content.text } });
    }
  }
`);
klass('constructor-returns-object', js`
  class Script {
    constructor() {
      return {
        prepare_outgoing_request({ request }) {
          return request;
        },
      };
    }
  }
`);
klass('prototype-method-added-later', js`
  class Script {}
  Script.prototype.process_outgoing_response = function ({ response }) {
    return { content: { text: response.content_raw } };
  };
`);
klass('constructor-throws', js`
  class Script {
    constructor() {
      throw new Error('configuration missing');
    }
    process_incoming_request() {
      return { content: { text: 'never' } };
    }
  }
`);
klass('constructor-reads-undefined', js`
  class Script {
    constructor() {
      this.base = settings.baseUrl;
    }
    process_incoming_request() {
      return { content: { text: this.base } };
    }
  }
`);
klass('constructor-with-parameters', js`
  class Script {
    constructor(options = { prefix: '>' }) {
      this.prefix = options.prefix;
    }
    process_incoming_request({ request }) {
      return { content: { text: this.prefix + ' ' + request.content.text } };
    }
  }
`);
klass('top-level-throw', js`
  throw new TypeError('do not use this script');
  class Script {}
`);
klass('top-level-throw-string', js`
  throw 'not ready';
`);
klass('top-level-require', js`
  const crypto = require('crypto');
  class Script {
    process_incoming_request({ request }) {
      return { content: { text: crypto.createHash('md5').update(request.content.text).digest('hex') } };
    }
  }
`);
klass('top-level-console-log', js`
  console.log('script loaded');
  console.warn('deprecated hook');
  class Script {
    process_incoming_request({ request }) {
      return { content: { text: request.content.text } };
    }
  }
`);
klass('top-level-infinite-loop', js`
  while (true) {}
  class Script {}
`);
klass('redeclares-store', js`
  var Store = {};
  class Script {
    process_incoming_request({ request }) {
      return { content: { text: request.content.text } };
    }
  }
`);
klass('uses-store-at-top-level', js`
  Store.set('loadedAt', 'boot');
  class Script {
    process_incoming_request() {
      return { content: { text: Store.get('loadedAt') } };
    }
  }
`);
klass('regex-with-close-paren', js`
  class Script {
    process_incoming_request({ request }) {
      const parts = request.content.text.split(/\)/);
      return { content: { text: parts.join(' ') } };
    }
  }
`);
klass('regex-with-slash-in-class', js`
  class Script {
    process_incoming_request({ request }) {
      const segments = request.content.path.split(/[/]/);
      const braces = /[{}]+/g;
      return { content: { text: segments.join(' > ').replace(braces, '') } };
    }
  }
`);
klass('strings-with-brackets', js`
  class Script {
    process_incoming_request({ request }) {
      const open = '{';
      const close = "}";
      const weird = ')]}';
      return { content: { text: open + request.content.text + close + weird } };
    }
  }
`);
klass('comments-with-brackets', js`
  class Script { // }
    /* } } } */
    process_incoming_request({ request }) { // {
      // return {
      return { content: { text: request.content.text } }; /* { */
    }
  }
`);
klass('template-with-brackets', js`
  class Script {
    process_incoming_request({ request }) {
      return { content: { text: \`}\${'}'}{\${ { a: '}' }.a }\` + request.content.text } };
    }
  }
`);
klass('division-vs-regex', js`
  class Script {
    process_incoming_request({ request }) {
      const ratio = request.content.done / request.content.total / 2;
      const re = /}/;
      return { content: { text: (ratio * 100).toFixed(1) + '% ' + re.source } };
    }
  }
`);
klass('script-class-declared-after-use', js`
  var instance = typeof Script;
  class Script {
    process_incoming_request() {
      return { content: { text: instance } };
    }
  }
`);
klass('two-classes-second-is-script', js`
  class Helper {
    process_incoming_request() {
      return { content: { text: 'helper' } };
    }
  }
  class Script extends Helper {}
`);
klass('script-extends-null-prototype', js`
  class Script extends null {
    process_incoming_request() {
      return { content: { text: 'x' } };
    }
  }
`);
klass('no-trailing-semicolon', js`
  var Script = function () {}
  Script.prototype.process_incoming_request = function ({ request }) {
    return { content: { text: request.content.text } }
  }
`);

const seen = new Set();
for (const { name } of cases) {
	if (seen.has(name)) {
		throw new Error(`duplicate case name ${name}`);
	}
	seen.add(name);
}

export default cases;
