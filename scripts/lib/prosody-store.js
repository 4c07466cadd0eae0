'use strict';
// Fast user and roster creation by writing Prosody's internal storage files directly.
//
// With `authentication = "internal_plain"` and `storage = "internal"`, Prosody keeps
//   DATA/<host>/accounts/<user>.dat   `return { ["password"] = "..."; };`
//   DATA/<host>/roster/<user>.dat     `return { [false] = { version = N; pending = {} }; ["jid"] = item; ... };`
// where <host> and <user> are encoded by util/datamanager.lua: every byte that is not [A-Za-z0-9]
// becomes %xx (lower-case hex). Account files are read on demand on every login, so users written
// while Prosody runs work at once. Rosters are cached once loaded (core/rostermanager.lua keeps
// up to 1024 offline rosters per host, and online users hold theirs in memory): seed a roster
// before that user or any of its contacts connects, or call refreshRosters() afterwards.
const fs = require('node:fs');
const path = require('node:path');
const { toLua, toLuaFile, parseLuaFile, mapToObject } = require('./prosody-lua');

const SUBSCRIPTIONS = new Set(['both', 'to', 'from', 'none']);

// util/datamanager.lua `encode`: s:gsub("%W", "%%%02x") on the UTF-8 bytes.
function encodePathPart(s) {
  let out = '';
  for (const byte of Buffer.from(String(s), 'utf8')) {
    const c = String.fromCharCode(byte);
    out += /[A-Za-z0-9]/.test(c) ? c : '%' + byte.toString(16).padStart(2, '0');
  }
  return out;
}

// Prosody nodepreps localparts: case-folded, and these characters are not allowed.
function normalizeUsername(username) {
  const u = String(username ?? '').toLowerCase();
  if (!u || /[\s"&'/:<>@]/.test(u) || Buffer.byteLength(u) > 1023) {
    throw new Error(`Invalid XMPP username: ${JSON.stringify(username)}`);
  }
  return u;
}

// 'bob' -> 'bob@domain'; 'bob@other' and full JIDs are kept (the resource is dropped).
function toBareJid(handle, jidOrUsername) {
  const s = String(jidOrUsername).split('/')[0].toLowerCase();
  return s.includes('@') ? s : `${normalizeUsername(s)}@${handle.domain}`;
}

function storeDir(handle, store) {
  return path.join(handle.dataDir, encodePathPart(handle.domain), store);
}

function storeFile(handle, store, username) {
  return path.join(storeDir(handle, store), `${encodePathPart(username)}.dat`);
}

// Files that do not exist yet are written in place (nobody can be reading them), which keeps bulk
// creation of thousands of users fast. Existing files are replaced like datamanager's atomic_store
// does: write a scratch file, then rename it over the target, so Prosody never reads half a file.
function atomicWrite(file, content) {
  try {
    fs.writeFileSync(file, content, { flag: 'wx' });
    return;
  } catch (err) {
    if (err.code === 'ENOENT') {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, content, { flag: 'wx' });
      return;
    }
    if (err.code !== 'EEXIST') throw err;
  }
  const scratch = `${file}~${process.pid}`;
  fs.writeFileSync(scratch, content);
  fs.renameSync(scratch, file);
}

function userRecord(handle, username, password) {
  return { username, password, jid: `${username}@${handle.domain}` };
}

// mod_auth_internal_hashed's account file: SCRAM-SHA-1 keys (hex) with a fixed salt, as
// util/sasl/scram.lua getAuthenticationDatabaseSHA1 computes them.
function hashedAccount(password) {
  const crypto = require('node:crypto');
  const salt = crypto.randomUUID();
  const iteration_count = 4096;
  const salted = crypto.pbkdf2Sync(Buffer.from(password, 'utf8'), Buffer.from(salt, 'utf8'), iteration_count, 20, 'sha1');
  const hmac = (key, text) => crypto.createHmac('sha1', key).update(text).digest();
  const stored_key = crypto.createHash('sha1').update(hmac(salted, 'Client Key')).digest('hex');
  const server_key = hmac(salted, 'Server Key').toString('hex');
  return { iteration_count, salt, stored_key, server_key };
}

/** Writes (or overwrites) an account file. Returns { username, password, jid }. */
function createUser(handle, username, password) {
  const user = normalizeUsername(username);
  if (typeof password !== 'string' || password === '') throw new Error(`Empty password for ${user}`);
  atomicWrite(storeFile(handle, 'accounts', user), toLuaFile(handle.authentication === 'internal_hashed' ? hashedAccount(password) : { password }));
  return userRecord(handle, user, password);
}

/** createUser for many users: [{ username, password }] -> [{ username, password, jid }]. */
function createUsers(handle, users) {
  return users.map((u) => createUser(handle, u.username, u.password));
}

/** Reads a roster file: { meta: { version, pending }, items: { [jid]: item } }, or null. */
function readRoster(handle, username) {
  const file = storeFile(handle, 'roster', normalizeUsername(username));
  let text;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if (err.code === 'ENOENT') return null;
    throw err;
  }
  const map = parseLuaFile(text);
  const meta = mapToObject(map.get(false) ?? new Map());
  const items = {};
  for (const [key, value] of map) {
    if (typeof key === 'string' && key !== 'pending') items[key] = mapToObject(value);
  }
  return { meta, items };
}

function writeRoster(handle, username, roster) {
  const meta = { ...roster.meta, pending: roster.meta.pending ?? {} };
  const table = new Map([[false, meta]]);
  for (const [jid, item] of Object.entries(roster.items)) table.set(jid, item);
  atomicWrite(storeFile(handle, 'roster', username), `return ${toLua(table)};\n`);
}

/**
 * Adds (or replaces) roster items of `username`, keeping any other items already stored, and bumps
 * the roster version. items: [{ jid, name?, groups?: string[], subscription?: 'both'|'to'|'from'|'none' }]
 * (`jid` may be a bare JID or a local username).
 */
function seedRoster(handle, username, items) {
  const user = normalizeUsername(username);
  const self = `${user}@${handle.domain}`;
  const roster = readRoster(handle, user) ?? { meta: {}, items: {} };
  for (const entry of items) {
    const jid = toBareJid(handle, entry.jid);
    if (jid === self) continue; // Prosody drops self-contacts when loading a roster anyway
    const subscription = entry.subscription ?? 'both';
    if (!SUBSCRIPTIONS.has(subscription)) throw new Error(`Bad subscription ${subscription} for ${jid}`);
    const item = { subscription, groups: Object.fromEntries((entry.groups ?? []).map((g) => [String(g), true])) };
    if (entry.name) item.name = String(entry.name);
    roster.items[jid] = item;
  }
  roster.meta.version = (typeof roster.meta.version === 'number' ? roster.meta.version : 0) + 1;
  writeRoster(handle, user, roster);
  return Object.keys(roster.items).length;
}

// Accepts 'alice' or { username: 'alice', name: 'Alice' }.
function asContact(handle, entry) {
  const username = normalizeUsername(typeof entry === 'string' ? entry : entry.username);
  return { username, jid: `${username}@${handle.domain}`, name: typeof entry === 'string' ? undefined : entry.name };
}

/**
 * Makes every pair of the given (existing) users mutual contacts (subscription 'both' on both sides).
 * Entries may be usernames or { username, name?, groups? }; `name`/`groups` are what the others see.
 */
function befriend(handle, users) {
  const contacts = users.map((u) => ({ ...asContact(handle, u), groups: typeof u === 'string' ? undefined : u.groups }));
  for (const me of contacts) {
    const others = contacts.filter((c) => c.username !== me.username);
    seedRoster(handle, me.username, others.map((c) => ({ jid: c.jid, name: c.name, groups: c.groups })));
  }
}

/**
 * Creates `username` plus `count` contacts `${prefix}1..N` (password `${contact}-pass`), all mutual
 * contacts of `username` (each contact's roster holds only `username`). Returns the main user with a
 * `contacts` array. Options: { name?: display name of the main user in the contacts' rosters,
 * groups?: string[] groups of the contacts in the main roster }.
 */
function createUserWithContacts(handle, username, password, count, prefix, options = {}) {
  const main = createUser(handle, username, password);
  const contactPrefix = prefix ?? `${main.username}-c`;
  const contacts = [];
  for (let i = 1; i <= count; i++) {
    const name = `${contactPrefix}${i}`;
    contacts.push(createUser(handle, name, `${name}-pass`));
  }
  // The contacts are new: write their one-item rosters directly instead of read-merge-write.
  const mainItem = { subscription: 'both', groups: {}, ...(options.name ? { name: options.name } : {}) };
  for (const c of contacts) {
    writeRoster(handle, c.username, { meta: { version: 1 }, items: { [main.jid]: mainItem } });
  }
  const groups = options.groups ?? [];
  seedRoster(handle, main.username, contacts.map((c) => ({ jid: c.jid, name: c.username, groups })));
  return { ...main, contacts };
}

let counter = 0;
/** A fresh, valid and (across processes) unique username: `${prefix}-${pid}-${counter}-${random}`. */
function uniqueUsername(prefix = 'user') {
  counter += 1;
  const random = Math.random().toString(36).slice(2, 7);
  return normalizeUsername(`${prefix}-${process.pid.toString(36)}-${counter.toString(36)}-${random}`);
}

module.exports = {
  encodePathPart,
  normalizeUsername,
  createUser,
  createUsers,
  readRoster,
  seedRoster,
  befriend,
  createUserWithContacts,
  uniqueUsername,
};
