'use strict';
// Talking to a running instance through its admin shell: `prosodyctl --config CFG shell "<line>"`
// connects to the admin socket (DATA/prosody.sock, mod_admin_socket), sends one line, prints the
// output lines (repl-output) and the final result line ("OK: ...", "Result: ..."; errors go to stderr
// and make the exit code non-zero). A line starting with '>' is evaluated as Lua in Prosody's global
// environment, which is how the helpers below reach internals that have no shell command.
const { execFile } = require('node:child_process');
const { luaString } = require('./prosody-lua');

const SHELL_TIMEOUT_MS = 10000;

/** Runs one admin shell line. Resolves { stdout, stderr }; rejects when prosodyctl reports an error. */
function runAdminShell(handle, line) {
  return new Promise((resolve, reject) => {
    execFile(
      'prosodyctl',
      ['--config', handle.configPath, 'shell', line],
      { timeout: SHELL_TIMEOUT_MS, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, LC_ALL: 'C' } },
      (err, stdout, stderr) => {
        if (err) {
          const detail = (stderr || stdout || err.message).trim();
          reject(new Error(`prosodyctl shell ${JSON.stringify(line.slice(0, 200))} failed: ${detail}`));
        } else resolve({ stdout, stderr });
      },
    );
  });
}

// One column, wide enough that the table never truncates a JID with "…" (the built-in 'jid' column
// is 32 characters wide). Sessions that are not bound yet show user@host or [ip]:port@host.
const JID_COLUMN =
  '{ { title = "JID"; key = "full_jid"; width = 3100; mapper = function(full_jid, s)' +
  ' return full_jid or (s.username and (s.username .. "@" .. s.host)) or "" end } }';

/**
 * Full JIDs of the client sessions the server currently holds for a bare JID (TCP, BOSH and
 * WebSocket alike; includes hibernating stream-management sessions). A full JID argument is bared.
 */
async function sessionsOf(handle, jid) {
  const bare = String(jid).split('/')[0].toLowerCase();
  const { stdout } = await runAdminShell(handle, `c2s:show(nil, ${JID_COLUMN})`);
  // Output: a "JID" header row, one row per session (padded with spaces), then "OK: N c2s sessions shown".
  return stdout
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && l !== 'JID' && !/^OK: /.test(l))
    .filter((l) => l.split('/')[0].toLowerCase() === bare);
}

/**
 * Makes sure a MUC room exists on the conference component and applies the given settings.
 * options: { name?, description?, persistent = true, public = true, membersOnly = false }.
 * Resolves the room JID.
 */
async function createRoom(handle, roomLocalpart, options = {}) {
  const { name, description, persistent = true, public: isPublic = true, membersOnly = false } = options;
  const roomJid = `${String(roomLocalpart).toLowerCase()}@${handle.mucDomain}`;
  const lua = [
    `>local muc = prosody.hosts[${luaString(handle.mucDomain)}].modules.muc`,
    `local jid = ${luaString(roomJid)}`,
    'local room = muc.get_room_from_jid(jid) or muc.create_room(jid)',
    'if not room then return error("could not create " .. jid) end',
    `room:set_persistent(${persistent})`,
    `room:set_public(${isPublic})`,
    `room:set_members_only(${membersOnly})`,
    name ? `room:set_name(${luaString(name)})` : '',
    description ? `room:set_description(${luaString(description)})` : '',
    'room:save(true)',
    'return room.jid',
  ].filter(Boolean);
  const { stdout } = await runAdminShell(handle, lua.join('; '));
  if (!stdout.includes(roomJid)) throw new Error(`createRoom(${roomJid}) unexpected output: ${stdout}`);
  return roomJid;
}

/**
 * Drops cached rosters so roster files written after the users were loaded take effect. Only helps
 * for users without a live session (an online user's roster lives in its session).
 */
async function refreshRosters(handle, usernames) {
  const jids = usernames.map((u) => (String(u).includes('@') ? String(u) : `${u}@${handle.domain}`).toLowerCase());
  const lua =
    `>local cache = prosody.hosts[${luaString(handle.domain)}].roster_cache; if cache then ` +
    jids.map((j) => `cache:set(${luaString(j)}, nil)`).join('; ') +
    ' end; return "refreshed"';
  await runAdminShell(handle, lua);
}

module.exports = { runAdminShell, sessionsOf, createRoom, refreshRosters };
