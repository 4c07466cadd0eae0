'use strict';
// Reading and writing the small subset of Lua that Prosody's internal storage uses for its data files
// (`return { ["key"] = value; ... };`, see /usr/lib/prosody/util/serialization.lua and
// util/datamanager.lua). Values: strings, finite numbers, booleans and (nested) tables.

// Escapes for a double-quoted Lua string literal. Lua strings are byte strings; the file is written as
// UTF-8, so non-ASCII characters can stay as they are. Control characters use the 3-digit decimal form
// (`\ddd`), which cannot swallow a following digit.
function luaString(value) {
  const s = String(value);
  let out = '"';
  for (const ch of s) {
    const code = ch.codePointAt(0);
    if (ch === '\\') out += '\\\\';
    else if (ch === '"') out += '\\"';
    else if (code < 0x20 || code === 0x7f) out += '\\' + String(code).padStart(3, '0');
    else out += ch;
  }
  return out + '"';
}

function luaKey(key) {
  if (typeof key === 'boolean' || typeof key === 'number') return `[${key}]`;
  return `[${luaString(key)}]`;
}

// Serialises a JS value. Plain objects become tables with string keys; a Map may carry non-string
// keys (Prosody's roster uses `[false]` for its metadata entry).
function toLua(value, indent = '') {
  if (value === null || value === undefined) throw new TypeError('Lua tables cannot hold nil values');
  if (typeof value === 'string') return luaString(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`Cannot serialise ${value} to Lua`);
    return String(value);
  }
  const entries = value instanceof Map ? [...value.entries()] : Object.entries(value);
  if (entries.length === 0) return '{}';
  const inner = indent + '\t';
  const lines = entries
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${inner}${luaKey(k)} = ${toLua(v, inner)};`);
  return `{\n${lines.join('\n')}\n${indent}}`;
}

// The whole content of a datamanager file.
function toLuaFile(value) {
  return `return ${toLua(value)};\n`;
}

const SIMPLE_ESCAPES = { a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\', '"': '"', "'": "'", '\n': '\n' };

// Parses `return <value>;` as written by Prosody (or by toLuaFile). Tables become Maps so that
// non-string keys survive; use mapToObject() for the usual string-keyed case.
function parseLuaFile(text) {
  let pos = 0;
  const fail = (msg) => {
    throw new SyntaxError(`${msg} at offset ${pos}: ${JSON.stringify(text.slice(pos, pos + 30))}`);
  };
  const skip = () => {
    for (;;) {
      while (pos < text.length && /\s/.test(text[pos])) pos++;
      if (text.startsWith('--', pos)) {
        const nl = text.indexOf('\n', pos);
        pos = nl === -1 ? text.length : nl + 1;
      } else return;
    }
  };
  const expect = (tok) => {
    skip();
    if (!text.startsWith(tok, pos)) fail(`Expected '${tok}'`);
    pos += tok.length;
  };
  const parseString = () => {
    const quote = text[pos++];
    const bytes = [];
    const pushText = (s) => bytes.push(...Buffer.from(s, 'utf8'));
    while (pos < text.length && text[pos] !== quote) {
      let ch = text[pos++];
      if (ch !== '\\') {
        pushText(ch);
        continue;
      }
      ch = text[pos++];
      if (ch in SIMPLE_ESCAPES) pushText(SIMPLE_ESCAPES[ch]);
      else if (/[0-9]/.test(ch)) {
        const m = /^[0-9]{1,3}/.exec(text.slice(pos - 1));
        bytes.push(Number(m[0]));
        pos += m[0].length - 1;
      } else if (ch === 'x') {
        bytes.push(parseInt(text.substr(pos, 2), 16));
        pos += 2;
      } else if (ch === 'z') {
        while (/\s/.test(text[pos])) pos++;
      } else if (ch === 'u') {
        const end = text.indexOf('}', pos);
        pushText(String.fromCodePoint(parseInt(text.slice(pos + 1, end), 16)));
        pos = end + 1;
      } else fail('Bad escape');
    }
    if (text[pos] !== quote) fail('Unterminated string');
    pos++;
    return Buffer.from(bytes).toString('utf8');
  };
  const parseValue = () => {
    skip();
    const ch = text[pos];
    if (ch === '"' || ch === "'") return parseString();
    if (ch === '{') return parseTable();
    const word = /^(true|false|nil)\b/.exec(text.slice(pos, pos + 6));
    if (word) {
      pos += word[1].length;
      return word[1] === 'nil' ? null : word[1] === 'true';
    }
    const num = /^-?(0x[0-9a-fA-F]+|[0-9]*\.?[0-9]+([eE][-+]?[0-9]+)?)/.exec(text.slice(pos, pos + 40));
    if (num) {
      pos += num[0].length;
      return Number(num[0]);
    }
    if (text.startsWith('math.huge', pos)) {
      pos += 9;
      return Infinity;
    }
    return fail('Unexpected token');
  };
  const parseTable = () => {
    expect('{');
    const map = new Map();
    let index = 1;
    for (;;) {
      skip();
      if (text[pos] === '}') {
        pos++;
        return map;
      }
      let key;
      if (text[pos] === '[') {
        pos++;
        key = parseValue();
        expect(']');
        expect('=');
      } else {
        const ident = /^[A-Za-z_][A-Za-z0-9_]*\s*=(?!=)/.exec(text.slice(pos, pos + 200));
        if (ident) {
          key = ident[0].replace(/\s*=$/, '');
          pos += ident[0].length;
        } else key = index++;
      }
      const value = parseValue();
      if (value !== null) map.set(key, value);
      skip();
      if (text[pos] === ',' || text[pos] === ';') pos++;
      else if (text[pos] !== '}') fail("Expected ',', ';' or '}'");
    }
  };
  expect('return');
  const value = parseValue();
  skip();
  if (text[pos] === ';') pos++;
  skip();
  if (pos !== text.length) fail('Trailing data');
  return value;
}

// Converts parsed Maps (recursively) into plain objects; keys become strings.
function mapToObject(value) {
  if (!(value instanceof Map)) return value;
  const obj = {};
  for (const [k, v] of value) obj[String(k)] = mapToObject(v);
  return obj;
}

module.exports = { luaString, toLua, toLuaFile, parseLuaFile, mapToObject };
